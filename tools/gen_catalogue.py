#!/usr/bin/env python3
# gen_catalogue.py - writes data/catalogue/generated.jsonl: demo procedure
# records for the ministries the national crawl lacks (health, education,
# culture and tourism, home affairs and labour, industry and trade, science
# and technology), so that the Ninh Binh demo has a complete-looking
# catalogue (issue 4).
#
# The names are real procedure names as provincial catalogues publish them;
# fields, steps, documents, time limits, fees and legal bases are plausible
# and based on the documents cited, but were written for the demo, not copied
# from an official record. Codes are made up in the range 9.100001-9.699999,
# which no national code uses (national codes start with 1, 2, 3, 5 or 6),
# and every record carries "generated": true. See docs/catalogue.md,
# "Generated records".
#
# Plain Python 3 standard library; the output depends only on this file:
#     python3 tools/gen_catalogue.py [OUT]   (default data/catalogue/generated.jsonl)
import json
import sys
import unicodedata

OUT = sys.argv[1] if len(sys.argv) > 1 else "data/catalogue/generated.jsonl"

# Ministry -> (code prefix, department that carries out its province-level
# procedures, named as in the 2025 shape of the province).
MINISTRIES = {
    "bo-y-te": ("9.1", "Sở Y tế"),
    "bo-giao-duc-dt": ("9.2", "Sở Giáo dục và Đào tạo"),
    "bo-van-hoa-ttdl": ("9.3", "Sở Văn hóa, Thể thao và Du lịch"),
    "bo-noi-vu": ("9.4", "Sở Nội vụ"),
    "bo-cong-thuong": ("9.5", "Sở Công Thương"),
    "bo-khoa-hoc-cn": ("9.6", "Sở Khoa học và Công nghệ"),
}
COMMUNE = "Ủy ban nhân dân cấp xã"
UBT = "Ủy ban nhân dân tỉnh"
CTUBT = "Chủ tịch Ủy ban nhân dân tỉnh"
CTUBX = "Chủ tịch Ủy ban nhân dân cấp xã"

# Applicants, in the national portal's words.
CN = "Công dân Việt Nam"
NN = "Người nước ngoài"
DN = "Doanh nghiệp"
TC = "Tổ chức (không bao gồm doanh nghiệp, HTX)"
HTX = "Hợp tác xã"
HKD = "Hộ kinh doanh"
VC = "Cán bộ, công chức, viên chức"
DVSN = "Đơn vị sự nghiệp công lập"

records = []
current = None  # the ministry being written


def ministry(m):
    global current
    current = m


def law(title, number=""):
    return (title, number)


def doc(name, originals=1, copies=0, template=""):
    return (name, originals, copies, template)


def fee_text(amount):
    return "Miễn phí" if amount == 0 else "{:,} Đồng".format(amount)


def add(names, field, level="province", days=10, unit="working_days", fee=0, fee_note="",
        docs=(), legal=(), applicants=(CN,), result="", online="mot-phan", post=True,
        competent="", conditions="", visit=False, coordinating=""):
    """Adds one record per name, all sharing the other properties."""
    if isinstance(names, str):
        names = [names]
    for name in names:
        records.append(dict(ministry=current, name=name, field=field, level=level, days=days,
                            unit=unit, fee=fee, fee_note=fee_note, docs=list(docs),
                            legal=list(legal), applicants=list(applicants), result=result,
                            online=online, post=post, competent=competent,
                            conditions=conditions, visit=visit, coordinating=coordinating))


# The actions a licence is usually published with, as (name prefix, what the
# application asks for).
AMEND = (("Cấp", "cấp mới"), ("Cấp lại", "cấp lại"), ("Điều chỉnh", "điều chỉnh"))
AMEND_SDBS = (("Cấp", "cấp mới"), ("Cấp sửa đổi, bổ sung", "sửa đổi, bổ sung"),
              ("Cấp lại", "cấp lại"))
RENEW = (("Cấp", "cấp mới"), ("Cấp lại", "cấp lại"), ("Gia hạn", "gia hạn"))


def grant_set(kinds, verb_fmt, field, results, days=(20, 10, 15), fees=(0, 0, 0),
              actions=AMEND, **kw):
    """One record per kind and action (grant, re-grant, amend or renew).
    verb_fmt has {a} for the action and {k} for the kind; the first action
    takes the documents given, the others a request and the licence."""
    base_docs = kw.pop("docs", ())
    for k in kinds:
        for i, (a, what) in enumerate(actions):
            d = list(base_docs) if i == 0 else [
                doc("Đơn đề nghị {} {}".format(what, results.lower()), 1, 0,
                    "Mẫu số 0{}".format(i + 1)),
                doc("Bản gốc {} đã được cấp (nếu còn)".format(results.lower()), 1, 0)
                if "lại" in what else
                doc("Tài liệu chứng minh nội dung đề nghị {}".format(what), 0, 1),
            ]
            add(verb_fmt.format(a=a, k=k), field, days=days[i], fee=fees[i], docs=d,
                result=results, **kw)


# ---------------------------------------------------------------- health
ministry("bo-y-te")
L_KBCB = [law("Luật Khám bệnh, chữa bệnh", "15/2023/QH15"),
          law("Nghị định quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh",
              "96/2023/NĐ-CP"),
          law("Thông tư quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh",
              "32/2023/TT-BYT"),
          law("Thông tư quy định mức thu, miễn, chế độ thu, nộp, quản lý và sử dụng phí, lệ phí "
              "trong lĩnh vực y tế", "59/2023/TT-BTC")]
D_GPHD = [doc("Đơn đề nghị cấp giấy phép hoạt động", 1, 0, "Mẫu số 01 Phụ lục XI"),
          doc("Danh sách người hành nghề đăng ký hành nghề tại cơ sở", 1, 0, "Mẫu số 02 Phụ lục XI"),
          doc("Bản kê khai cơ sở vật chất, thiết bị y tế, tổ chức nhân sự của cơ sở", 1, 0,
              "Mẫu số 03 Phụ lục XI"),
          doc("Danh mục chuyên môn kỹ thuật đề xuất thực hiện", 1, 0),
          doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập cơ sở", 0, 1),
          doc("Tài liệu chứng minh cơ sở đáp ứng điều kiện về phòng cháy, chữa cháy và quản lý "
              "chất thải y tế", 0, 1)]
FACILITIES = ["bệnh viện", "phòng khám đa khoa", "phòng khám chuyên khoa", "phòng khám bác sỹ y khoa",
              "phòng khám y sỹ đa khoa", "phòng khám y học cổ truyền", "phòng khám răng hàm mặt",
              "phòng khám dinh dưỡng", "phòng khám điều dưỡng", "phòng khám hộ sinh",
              "phòng chẩn trị y học cổ truyền", "phòng xét nghiệm", "phòng chẩn đoán hình ảnh",
              "cơ sở dịch vụ cấp cứu, hỗ trợ vận chuyển người bệnh",
              "cơ sở dịch vụ chăm sóc sức khỏe tại nhà", "trạm y tế cấp xã"]
for k in FACILITIES:
    grant_fee = 10500000 if k == "bệnh viện" else 5700000 if "đa khoa" in k else 4300000
    add("Cấp giấy phép hoạt động đối với " + k, "Khám bệnh, chữa bệnh", days=60, unit="days",
        fee=grant_fee, fee_note="Phí thẩm định cấp giấy phép hoạt động",
        docs=D_GPHD, legal=L_KBCB, applicants=[DN, TC, DVSN], result="Giấy phép hoạt động",
        visit=True,
        conditions="Đáp ứng điều kiện cấp giấy phép hoạt động đối với " + k +
                   " quy định tại Nghị định số 96/2023/NĐ-CP.")
    add("Cấp lại giấy phép hoạt động đối với " + k, "Khám bệnh, chữa bệnh", days=10, fee=1500000,
        fee_note="Phí thẩm định cấp lại giấy phép hoạt động",
        docs=[doc("Đơn đề nghị cấp lại giấy phép hoạt động", 1, 0, "Mẫu số 04 Phụ lục XI"),
              doc("Bản gốc giấy phép hoạt động bị hư hỏng (nếu có)", 1, 0)],
        legal=L_KBCB, applicants=[DN, TC, DVSN], result="Giấy phép hoạt động",
        online="toan-trinh")
    add("Điều chỉnh giấy phép hoạt động đối với " + k, "Khám bệnh, chữa bệnh", days=30,
        unit="days", fee=4300000, fee_note="Phí thẩm định điều chỉnh giấy phép hoạt động",
        docs=[doc("Đơn đề nghị điều chỉnh giấy phép hoạt động", 1, 0, "Mẫu số 05 Phụ lục XI"),
              doc("Bản kê khai cơ sở vật chất, thiết bị y tế, nhân sự liên quan đến nội dung điều "
                  "chỉnh", 1, 0),
              doc("Danh mục chuyên môn kỹ thuật bổ sung", 1, 0)],
        legal=L_KBCB, applicants=[DN, TC, DVSN], result="Giấy phép hoạt động", visit=True)

D_GPHN = [doc("Đơn đề nghị cấp giấy phép hành nghề", 1, 0, "Mẫu số 01 Phụ lục I"),
          doc("Văn bằng chuyên môn phù hợp với chức danh đề nghị cấp", 0, 1),
          doc("Giấy chứng nhận đạt kết quả kiểm tra đánh giá năng lực hành nghề", 0, 1),
          doc("Giấy chứng nhận đủ sức khỏe để hành nghề khám bệnh, chữa bệnh", 1, 0),
          doc("Phiếu lý lịch tư pháp", 1, 0),
          doc("Hai ảnh màu 4 x 6 cm, nền trắng, chụp trong thời gian không quá 6 tháng", 2, 0)]
for title in ["bác sỹ", "y sỹ", "điều dưỡng", "hộ sinh", "kỹ thuật y", "dinh dưỡng lâm sàng",
              "cấp cứu viên ngoại viện", "tâm lý lâm sàng"]:
    add("Cấp mới giấy phép hành nghề đối với chức danh chuyên môn là " + title,
        "Khám bệnh, chữa bệnh", days=30, unit="days", fee=360000,
        fee_note="Phí thẩm định cấp giấy phép hành nghề", docs=D_GPHN, legal=L_KBCB,
        applicants=[CN, NN], result="Giấy phép hành nghề khám bệnh, chữa bệnh",
        online="toan-trinh")
add(["Cấp giấy phép hành nghề đối với chức danh chuyên môn là lương y",
     "Cấp giấy phép hành nghề đối với người có bài thuốc gia truyền hoặc có phương pháp chữa bệnh "
     "gia truyền"], "Khám bệnh, chữa bệnh", days=30, unit="days", fee=360000,
    fee_note="Phí thẩm định cấp giấy phép hành nghề", docs=D_GPHN[:1] + [
        doc("Giấy chứng nhận lương y hoặc giấy chứng nhận là người có bài thuốc gia truyền, "
            "phương pháp chữa bệnh gia truyền", 0, 1)] + D_GPHN[3:], legal=L_KBCB,
    result="Giấy phép hành nghề khám bệnh, chữa bệnh")
add(["Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh", "Gia hạn giấy phép hành nghề khám bệnh, "
     "chữa bệnh", "Điều chỉnh giấy phép hành nghề khám bệnh, chữa bệnh"], "Khám bệnh, chữa bệnh",
    days=10, fee=150000, fee_note="Phí thẩm định cấp lại, gia hạn, điều chỉnh giấy phép hành nghề",
    docs=[doc("Đơn đề nghị theo mẫu", 1, 0, "Mẫu số 02 Phụ lục I"),
          doc("Giấy phép hành nghề đã được cấp", 0, 1),
          doc("Giấy tờ chứng minh đã cập nhật kiến thức y khoa liên tục (đối với gia hạn)", 0, 1)],
    legal=L_KBCB, applicants=[CN, NN], result="Giấy phép hành nghề khám bệnh, chữa bệnh",
    online="toan-trinh")
add(["Công bố cơ sở khám bệnh, chữa bệnh đáp ứng yêu cầu là cơ sở hướng dẫn thực hành",
     "Công bố cơ sở đủ điều kiện thực hiện khám sức khỏe",
     "Công bố cơ sở đủ điều kiện thực hiện khám sức khỏe cho người lái xe"],
    "Khám bệnh, chữa bệnh", days=10, online="toan-trinh", legal=L_KBCB[:3],
    docs=[doc("Văn bản công bố", 1, 0, "Mẫu số 01"),
          doc("Bản kê khai nhân sự, cơ sở vật chất, thiết bị đáp ứng điều kiện", 1, 0)],
    applicants=[DN, TC, DVSN], result="Thông báo công khai trên Cổng thông tin điện tử Sở Y tế")
add(["Phê duyệt danh mục kỹ thuật chuyên môn của cơ sở khám bệnh, chữa bệnh",
     "Cho phép áp dụng kỹ thuật mới, phương pháp mới trong khám bệnh, chữa bệnh"],
    "Khám bệnh, chữa bệnh", days=30, unit="days", legal=L_KBCB[:3], visit=True,
    docs=[doc("Văn bản đề nghị của cơ sở khám bệnh, chữa bệnh", 1, 0),
          doc("Danh mục kỹ thuật đề nghị kèm quy trình kỹ thuật", 1, 0),
          doc("Bản kê khai nhân sự, thiết bị y tế để thực hiện kỹ thuật", 1, 0)],
    applicants=[DN, TC, DVSN], result="Quyết định phê duyệt")

L_DUOC = [law("Luật Dược", "105/2016/QH13"),
          law("Luật sửa đổi, bổ sung một số điều của Luật Dược", "44/2024/QH15"),
          law("Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Dược",
              "54/2017/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung một số quy định liên quan đến điều kiện đầu tư kinh "
              "doanh thuộc phạm vi quản lý nhà nước của Bộ Y tế", "155/2018/NĐ-CP")]
add("Cấp chứng chỉ hành nghề dược theo hình thức xét hồ sơ", "Dược phẩm", days=20, fee=500000,
    fee_note="Phí thẩm định cấp chứng chỉ hành nghề dược", legal=L_DUOC, online="toan-trinh",
    docs=[doc("Đơn đề nghị cấp chứng chỉ hành nghề dược", 1, 0, "Mẫu số 02 Phụ lục I"),
          doc("Văn bằng chuyên môn", 0, 1),
          doc("Giấy xác nhận thời gian thực hành chuyên môn", 1, 0, "Mẫu số 03 Phụ lục I"),
          doc("Giấy chứng nhận đủ sức khỏe để hành nghề dược", 1, 0),
          doc("Phiếu lý lịch tư pháp", 1, 0),
          doc("Hai ảnh chân dung 4 x 6 cm", 2, 0)],
    result="Chứng chỉ hành nghề dược")
add(["Cấp lại chứng chỉ hành nghề dược theo hình thức xét hồ sơ (trường hợp bị hư hỏng hoặc bị mất)",
     "Điều chỉnh nội dung chứng chỉ hành nghề dược theo hình thức xét hồ sơ"], "Dược phẩm", days=5,
    legal=L_DUOC, online="toan-trinh",
    docs=[doc("Đơn đề nghị cấp lại hoặc điều chỉnh chứng chỉ hành nghề dược", 1, 0,
              "Mẫu số 04 Phụ lục I"),
          doc("Giấy tờ chứng minh nội dung thay đổi (đối với điều chỉnh)", 0, 1),
          doc("Hai ảnh chân dung 4 x 6 cm", 2, 0)], result="Chứng chỉ hành nghề dược")
D_GCN_DUOC = [doc("Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", 1, 0,
                  "Mẫu số 19 Phụ lục I"),
              doc("Tài liệu kỹ thuật tương ứng với cơ sở kinh doanh dược", 1, 0),
              doc("Giấy tờ pháp lý chứng minh việc thành lập cơ sở", 0, 1),
              doc("Chứng chỉ hành nghề dược của người chịu trách nhiệm chuyên môn về dược", 0, 1)]
for k in ["nhà thuốc", "quầy thuốc", "tủ thuốc của trạm y tế xã",
          "cơ sở chuyên bán lẻ dược liệu, thuốc dược liệu, thuốc cổ truyền", "cơ sở bán buôn thuốc"]:
    add("Cấp giấy chứng nhận đủ điều kiện kinh doanh dược đối với " + k, "Dược phẩm", days=20,
        fee=1000000, fee_note="Phí thẩm định điều kiện kinh doanh thuốc", docs=D_GCN_DUOC,
        legal=L_DUOC, applicants=[DN, HKD, HTX], visit=True,
        result="Giấy chứng nhận đủ điều kiện kinh doanh dược")
    add("Cấp lại giấy chứng nhận đủ điều kiện kinh doanh dược đối với " + k, "Dược phẩm", days=7,
        docs=[doc("Đơn đề nghị cấp lại Giấy chứng nhận đủ điều kiện kinh doanh dược", 1, 0,
                  "Mẫu số 22 Phụ lục I")], legal=L_DUOC, applicants=[DN, HKD, HTX],
        online="toan-trinh", result="Giấy chứng nhận đủ điều kiện kinh doanh dược")
    add("Điều chỉnh nội dung giấy chứng nhận đủ điều kiện kinh doanh dược đối với " + k,
        "Dược phẩm", days=10, docs=[doc("Đơn đề nghị điều chỉnh nội dung Giấy chứng nhận đủ "
                                        "điều kiện kinh doanh dược", 1, 0, "Mẫu số 21 Phụ lục I"),
                                    doc("Tài liệu chứng minh nội dung thay đổi", 0, 1)],
        legal=L_DUOC, applicants=[DN, HKD, HTX],
        result="Giấy chứng nhận đủ điều kiện kinh doanh dược")
L_GPP = L_DUOC[:3] + [law("Thông tư quy định về Thực hành tốt cơ sở bán lẻ thuốc",
                          "02/2018/TT-BYT")]
add(["Đánh giá đáp ứng Thực hành tốt cơ sở bán lẻ thuốc",
     "Đánh giá duy trì đáp ứng Thực hành tốt cơ sở bán lẻ thuốc",
     "Đánh giá đáp ứng Thực hành tốt phân phối thuốc đối với cơ sở bán buôn thuốc"], "Dược phẩm",
    days=20, fee=1000000, fee_note="Phí thẩm định tiêu chuẩn và điều kiện thực hành tốt",
    docs=[doc("Đơn đề nghị đánh giá", 1, 0, "Mẫu số 01"),
          doc("Tài liệu kỹ thuật về cơ sở bán lẻ, phân phối thuốc", 1, 0)],
    legal=L_GPP, applicants=[DN, HKD, HTX], visit=True,
    result="Biên bản đánh giá và Giấy chứng nhận đạt Thực hành tốt")
add(["Cho phép bán lẻ thuốc thuộc danh mục thuốc hạn chế bán lẻ",
     "Cho phép mua thuốc gây nghiện, thuốc hướng thần, thuốc tiền chất đối với cơ sở khám bệnh, "
     "chữa bệnh", "Cấp giấy xác nhận nội dung thông tin thuốc theo hình thức hội thảo giới thiệu "
     "thuốc", "Công bố cơ sở kinh doanh có tổ chức kệ thuốc"], "Dược phẩm", days=10,
    docs=[doc("Văn bản đề nghị", 1, 0, "Mẫu số 01"), doc("Tài liệu kèm theo theo quy định", 1, 0)],
    legal=L_DUOC[:3], applicants=[DN, HKD, TC], result="Văn bản chấp thuận")
add(["Tiếp nhận phiếu công bố sản phẩm mỹ phẩm sản xuất trong nước",
     "Cấp giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm"], "Mỹ phẩm", days=5,
    fee=500000, fee_note="Phí thẩm định hồ sơ công bố sản phẩm mỹ phẩm",
    docs=[doc("Phiếu công bố sản phẩm mỹ phẩm hoặc đơn đề nghị", 2, 0, "Mẫu số 01"),
          doc("Giấy ủy quyền của nhà sản xuất cho tổ chức, cá nhân chịu trách nhiệm đưa sản phẩm "
              "ra thị trường", 0, 1)],
    legal=[law("Nghị định quy định về quản lý mỹ phẩm", "93/2016/NĐ-CP"),
           law("Thông tư quy định về quản lý mỹ phẩm", "06/2011/TT-BYT")],
    applicants=[DN], online="toan-trinh", result="Số tiếp nhận phiếu công bố")

L_ATTP = [law("Luật An toàn thực phẩm", "55/2010/QH12"),
          law("Nghị định quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm",
              "15/2018/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung một số quy định liên quan đến điều kiện đầu tư kinh "
              "doanh thuộc phạm vi quản lý nhà nước của Bộ Y tế", "155/2018/NĐ-CP")]
D_ATTP = [doc("Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 1, 0,
              "Mẫu số 01"),
          doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ bảo đảm điều kiện vệ "
              "sinh an toàn thực phẩm", 1, 0),
          doc("Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất, kinh doanh "
              "thực phẩm", 0, 1),
          doc("Giấy xác nhận đã được tập huấn kiến thức an toàn thực phẩm", 0, 1)]
add(["Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất thực phẩm, "
     "kinh doanh dịch vụ ăn uống thuộc thẩm quyền của Sở Y tế"], "An toàn thực phẩm và dinh dưỡng",
    days=20, fee=1000000, fee_note="Phí thẩm định cơ sở sản xuất thực phẩm", docs=D_ATTP,
    legal=L_ATTP, applicants=[DN, HKD, HTX], visit=True,
    result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")
add(["Cấp lại giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất thực "
     "phẩm, kinh doanh dịch vụ ăn uống thuộc thẩm quyền của Sở Y tế"],
    "An toàn thực phẩm và dinh dưỡng", days=5, online="toan-trinh",
    docs=[doc("Đơn đề nghị cấp lại Giấy chứng nhận", 1, 0, "Mẫu số 02")], legal=L_ATTP,
    applicants=[DN, HKD, HTX], result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")
add(["Đăng ký bản công bố sản phẩm sản xuất trong nước đối với thực phẩm dinh dưỡng y học, thực "
     "phẩm dùng cho chế độ ăn đặc biệt, sản phẩm dinh dưỡng dùng cho trẻ đến 36 tháng tuổi",
     "Đăng ký bản công bố sản phẩm nhập khẩu đối với thực phẩm dinh dưỡng y học, thực phẩm dùng "
     "cho chế độ ăn đặc biệt, sản phẩm dinh dưỡng dùng cho trẻ đến 36 tháng tuổi",
     "Cấp giấy xác nhận nội dung quảng cáo thực phẩm"], "An toàn thực phẩm và dinh dưỡng", days=7,
    fee=1500000, fee_note="Phí thẩm định hồ sơ đăng ký bản công bố sản phẩm",
    docs=[doc("Bản công bố sản phẩm hoặc đơn đề nghị xác nhận nội dung quảng cáo", 1, 0,
              "Mẫu số 02 Phụ lục I"),
          doc("Phiếu kết quả kiểm nghiệm an toàn thực phẩm của sản phẩm trong thời hạn 12 tháng",
              1, 0),
          doc("Bằng chứng khoa học chứng minh công dụng của sản phẩm", 0, 1)],
    legal=L_ATTP[:2], applicants=[DN], online="toan-trinh",
    result="Giấy tiếp nhận đăng ký bản công bố sản phẩm")

L_TTB = [law("Nghị định về quản lý trang thiết bị y tế", "98/2021/NĐ-CP"),
         law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 98/2021/NĐ-CP",
             "07/2023/NĐ-CP")]
add(["Công bố đủ điều kiện mua bán trang thiết bị y tế thuộc loại B, C, D",
     "Công bố tiêu chuẩn áp dụng đối với trang thiết bị y tế thuộc loại A",
     "Công bố đủ điều kiện sản xuất trang thiết bị y tế"], "Trang thiết bị y tế", days=3,
    fee=3000000, fee_note="Phí thẩm định hồ sơ công bố",
    docs=[doc("Văn bản công bố", 1, 0, "Mẫu số 01 Phụ lục I"),
          doc("Bản kê khai nhân sự, kho bảo quản và phương tiện vận chuyển", 1, 0),
          doc("Tài liệu về điều kiện sản xuất hoặc mua bán trang thiết bị y tế", 0, 1)],
    legal=L_TTB, applicants=[DN, HKD], online="toan-trinh", result="Số công bố")

add(["Cấp giấy chứng nhận phòng xét nghiệm đạt tiêu chuẩn an toàn sinh học cấp I, cấp II",
     "Công bố cơ sở đủ điều kiện thực hiện tiêm chủng",
     "Công bố cơ sở đủ điều kiện điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế"],
    "Y tế dự phòng", days=20, visit=True,
    docs=[doc("Văn bản đề nghị hoặc văn bản công bố", 1, 0, "Mẫu số 01"),
          doc("Bản kê khai nhân sự, cơ sở vật chất, trang thiết bị", 1, 0),
          doc("Quy trình thực hành chuẩn và kế hoạch xử lý sự cố", 1, 0)],
    legal=[law("Luật Phòng, chống bệnh truyền nhiễm", "03/2007/QH12"),
           law("Nghị định quy định về bảo đảm an toàn sinh học tại phòng xét nghiệm",
               "103/2016/NĐ-CP"),
           law("Nghị định quy định về hoạt động tiêm chủng", "104/2016/NĐ-CP"),
           law("Nghị định quy định về điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay "
               "thế", "90/2016/NĐ-CP")],
    applicants=[DN, TC, DVSN], result="Giấy chứng nhận hoặc thông báo công bố")

L_GDYK = [law("Luật Bảo hiểm xã hội", "41/2024/QH15"),
          law("Luật An toàn, vệ sinh lao động", "84/2015/QH13"),
          law("Thông tư quy định chi tiết thi hành Luật Bảo hiểm xã hội và Luật An toàn, vệ sinh "
              "lao động thuộc lĩnh vực y tế", "56/2017/TT-BYT")]
add(["Khám giám định lần đầu do tai nạn lao động", "Khám giám định lần đầu do bệnh nghề nghiệp",
     "Khám giám định tái phát tai nạn lao động", "Khám giám định tổng hợp",
     "Khám giám định để thực hiện chế độ hưu trí đối với người lao động",
     "Khám giám định để xác định lao động nữ không đủ sức khỏe để chăm sóc con sau khi sinh",
     "Khám giám định phúc quyết theo đề nghị của cá nhân"], "Giám định y khoa", days=60,
    unit="days", online="", docs=[doc("Giấy đề nghị khám giám định", 1, 0, "Mẫu số 01"),
                                  doc("Giấy tờ về khám, điều trị thương tật, bệnh tật", 0, 1),
                                  doc("Biên bản điều tra tai nạn lao động hoặc kết quả chẩn đoán "
                                      "bệnh nghề nghiệp (tùy trường hợp)", 0, 1)],
    legal=L_GDYK, applicants=[CN], result="Biên bản giám định y khoa",
    competent="Hội đồng Giám định y khoa tỉnh")

L_BTXH = [law("Nghị định quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
              "20/2021/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 20/2021/NĐ-CP",
              "76/2024/NĐ-CP")]
L_CSTGXH = [law("Nghị định quy định về thành lập, tổ chức, hoạt động, giải thể và quản lý các cơ "
                "sở trợ giúp xã hội", "103/2017/NĐ-CP")]
add(["Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội thuộc thẩm quyền của Sở Y tế",
     "Cấp lại, điều chỉnh giấy phép hoạt động đối với cơ sở trợ giúp xã hội thuộc thẩm quyền của "
     "Sở Y tế", "Thành lập cơ sở trợ giúp xã hội công lập thuộc Ủy ban nhân dân tỉnh",
     "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Sở Y tế",
     "Giải thể cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Sở Y tế"],
    "Bảo trợ xã hội", days=15,
    docs=[doc("Văn bản đề nghị", 1, 0, "Mẫu số 01"), doc("Đề án hoạt động của cơ sở", 1, 0),
          doc("Danh sách nhân viên và lý lịch trích ngang của người đứng đầu cơ sở", 1, 0)],
    legal=L_CSTGXH, applicants=[TC, DVSN], visit=True, result="Giấy phép hoặc quyết định")
add(["Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã "
     "hội cấp tỉnh", "Dừng trợ giúp xã hội tại cơ sở trợ giúp xã hội cấp tỉnh"],
    "Bảo trợ xã hội", days=10, online="",
    docs=[doc("Đơn đề nghị của đối tượng hoặc người giám hộ", 1, 0, "Mẫu số 01"),
          doc("Bản sao giấy tờ tùy thân hoặc giấy khai sinh", 0, 1),
          doc("Văn bản đề nghị của Ủy ban nhân dân cấp xã", 1, 0)],
    legal=L_BTXH + L_CSTGXH, applicants=[CN], result="Quyết định tiếp nhận")
add(["Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi "
     "dưỡng hằng tháng", "Chi trả trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng "
     "hằng tháng khi đối tượng thay đổi nơi cư trú", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, "
     "sửa chữa nhà ở", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
     "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội",
     "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn"],
    "Bảo trợ xã hội", level="commune", days=15,
    docs=[doc("Tờ khai hoặc đơn đề nghị của đối tượng", 1, 0, "Mẫu số 1a"),
          doc("Giấy tờ chứng minh thuộc đối tượng hưởng chính sách", 0, 1)],
    legal=L_BTXH, applicants=[CN], result="Quyết định của Chủ tịch Ủy ban nhân dân cấp xã",
    competent=CTUBX)
add(["Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Ủy ban nhân "
     "dân cấp xã", "Giải thể cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của "
     "Ủy ban nhân dân cấp xã"], "Bảo trợ xã hội", level="commune", days=15,
    docs=[doc("Văn bản đề nghị", 1, 0, "Mẫu số 01"), doc("Đề án hoạt động hoặc phương án giải thể",
                                                         1, 0)],
    legal=L_CSTGXH, applicants=[TC, CN], competent=CTUBX, result="Giấy chứng nhận hoặc quyết định")
L_NKT = [law("Luật Người khuyết tật", "51/2010/QH12"),
         law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Người khuyết "
             "tật", "28/2012/NĐ-CP"),
         law("Thông tư quy định về việc xác định mức độ khuyết tật do Hội đồng xác định mức độ "
             "khuyết tật thực hiện", "01/2019/TT-BLĐTBXH")]
add(["Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
     "Đổi, cấp lại Giấy xác nhận khuyết tật"], "Bảo trợ xã hội", level="commune", days=20,
    docs=[doc("Đơn đề nghị xác định, xác định lại mức độ khuyết tật", 1, 0, "Mẫu số 01"),
          doc("Bản sao các giấy tờ liên quan đến khuyết tật (bệnh án, giấy ra viện...)", 0, 1)],
    legal=L_NKT, applicants=[CN], result="Giấy xác nhận khuyết tật", competent=CTUBX)
L_TE = [law("Luật Trẻ em", "102/2016/QH13"),
        law("Nghị định quy định chi tiết một số điều của Luật Trẻ em", "56/2017/NĐ-CP")]
add(["Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc "
     "người gây tổn hại cho trẻ em", "Chấm dứt việc chăm sóc thay thế cho trẻ em",
     "Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm "
     "sóc thay thế không phải là người thân thích của trẻ em",
     "Chuyển trẻ em đang được chăm sóc thay thế tại cơ sở trợ giúp xã hội đến cá nhân, gia đình "
     "nhận chăm sóc thay thế",
     "Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, "
     "bóc lột, bỏ rơi và trẻ em có hoàn cảnh đặc biệt"], "Trẻ em", level="commune", days=12,
    online="", docs=[doc("Đơn đăng ký hoặc văn bản đề nghị", 1, 0, "Mẫu số 01"),
                     doc("Phiếu đánh giá nguy cơ và nhu cầu của trẻ em", 1, 0)],
    legal=L_TE, applicants=[CN, TC], result="Quyết định của Chủ tịch Ủy ban nhân dân cấp xã",
    competent=CTUBX)
add("Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số", "Dân số",
    level="commune", days=10, docs=[doc("Tờ khai đề nghị hỗ trợ", 1, 0, "Mẫu số 01"),
                                    doc("Giấy khai sinh của trẻ", 0, 1)],
    legal=[law("Nghị định quy định chính sách hỗ trợ cho phụ nữ thuộc hộ nghèo là người dân tộc "
               "thiểu số khi sinh con đúng chính sách dân số", "39/2015/NĐ-CP")],
    applicants=[CN], result="Quyết định hỗ trợ", competent=CTUBX)
add(["Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ "
     "ăn uống thuộc thẩm quyền của Ủy ban nhân dân cấp xã",
     "Cấp lại giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch "
     "vụ ăn uống thuộc thẩm quyền của Ủy ban nhân dân cấp xã"],
    "An toàn thực phẩm và dinh dưỡng", level="commune", days=15, fee=500000,
    fee_note="Phí thẩm định cơ sở kinh doanh dịch vụ ăn uống", docs=D_ATTP, legal=L_ATTP,
    applicants=[HKD, DN], visit=True, result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")

# ---------------------------------------------------------------- education
ministry("bo-giao-duc-dt")
L_GD = [law("Luật Giáo dục", "43/2019/QH14"),
        law("Nghị định quy định về điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục",
            "125/2024/NĐ-CP")]
L_THPT = L_GD + [law("Thông tư ban hành Điều lệ trường trung học cơ sở, trường trung học phổ "
                     "thông và trường phổ thông có nhiều cấp học", "32/2020/TT-BGDĐT")]
D_THANHLAP = [doc("Tờ trình đề nghị thành lập hoặc cho phép thành lập trường", 1, 0),
              doc("Đề án thành lập trường", 1, 0),
              doc("Văn bản chứng minh quyền sử dụng đất, quyền sở hữu hoặc hợp đồng thuê tài sản "
                  "gắn liền với đất", 0, 1),
              doc("Bản vẽ thiết kế mặt bằng, quy hoạch tổng thể của trường", 1, 0)]
D_HOATDONG = [doc("Tờ trình đề nghị cho phép hoạt động giáo dục", 1, 0),
              doc("Quyết định thành lập hoặc cho phép thành lập trường", 0, 1),
              doc("Danh sách cán bộ quản lý, giáo viên kèm bản sao văn bằng, chứng chỉ", 1, 0),
              doc("Chương trình giáo dục và danh mục tài liệu học tập", 1, 0)]
D_TOCHUCLAI = [doc("Tờ trình đề nghị sáp nhập, chia, tách hoặc giải thể", 1, 0),
               doc("Đề án sáp nhập, chia, tách hoặc phương án giải thể, bảo đảm quyền lợi của "
                   "người học, giáo viên", 1, 0)]
for school, lv, comp in [("trường trung học phổ thông", "province", CTUBT),
                         ("trường phổ thông có nhiều cấp học có cấp học cao nhất là trung học phổ "
                          "thông", "province", CTUBT),
                         ("trường trung học cơ sở", "commune", CTUBX),
                         ("trường phổ thông có nhiều cấp học có cấp học cao nhất là trung học cơ "
                          "sở", "commune", CTUBX)]:
    field = "Giáo dục trung học"
    kw = dict(level=lv, legal=L_THPT, competent=comp, online="")
    add("Thành lập {} công lập".format(school), field, days=20, docs=D_THANHLAP, applicants=[DVSN],
        result="Quyết định thành lập", visit=True, **kw)
    add("Cho phép thành lập {} tư thục".format(school), field, days=20, docs=D_THANHLAP,
        applicants=[DN, TC, CN], result="Quyết định cho phép thành lập", visit=True, **kw)
    add(["Cho phép {} hoạt động giáo dục".format(school),
         "Cho phép {} hoạt động giáo dục trở lại".format(school)], field, days=20,
        docs=D_HOATDONG, applicants=[DVSN, DN, TC], result="Quyết định cho phép hoạt động giáo dục",
        visit=True, **kw)
    add(["Sáp nhập, chia, tách {}".format(school), "Giải thể {} (theo đề nghị của tổ chức, cá nhân "
         "đề nghị thành lập trường)".format(school)], field, days=20, docs=D_TOCHUCLAI,
        applicants=[DVSN, DN, TC], result="Quyết định", **kw)
add("Chuyển đổi trường trung học phổ thông tư thục do nhà đầu tư trong nước đầu tư sang trường "
    "trung học phổ thông tư thục hoạt động không vì lợi nhuận", "Giáo dục trung học", days=20,
    online="", docs=[doc("Văn bản đề nghị chuyển đổi", 1, 0),
                     doc("Cam kết chuyển đổi sang hoạt động không vì lợi nhuận", 1, 0),
                     doc("Dự thảo quy chế tổ chức và hoạt động của trường sau chuyển đổi", 1, 0)],
    legal=L_THPT, applicants=[DN, TC], competent=CTUBT, result="Quyết định cho phép chuyển đổi")
L_CHUYENTRUONG = [law("Quyết định ban hành Quy định chuyển trường và tiếp nhận học sinh học tại "
                      "các trường trung học cơ sở và trung học phổ thông", "51/2002/QĐ-BGDĐT"),
                  law("Thông tư sửa đổi, bổ sung một số điều của Quy định chuyển trường và tiếp "
                      "nhận học sinh học tại các trường trung học cơ sở và trung học phổ thông",
                      "50/2021/TT-BGDĐT")]
D_CHUYENTRUONG = [doc("Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký", 1, 0, "Mẫu số 01"),
                  doc("Học bạ", 1, 0), doc("Giấy chứng nhận trúng tuyển vào lớp đầu cấp", 1, 0),
                  doc("Giấy giới thiệu chuyển trường do nhà trường nơi đi cấp", 1, 0)]
add(["Chuyển trường đối với học sinh trung học phổ thông",
     "Tiếp nhận học sinh trung học phổ thông Việt Nam về nước",
     "Tiếp nhận học sinh người nước ngoài cấp trung học phổ thông",
     "Xin học lại tại trường khác đối với học sinh trung học phổ thông"], "Giáo dục trung học",
    days=3, docs=D_CHUYENTRUONG, legal=L_CHUYENTRUONG, applicants=[CN, NN],
    result="Giấy giới thiệu chuyển trường hoặc văn bản tiếp nhận", online="toan-trinh")
add(["Chuyển trường đối với học sinh trung học cơ sở", "Chuyển trường đối với học sinh tiểu học",
     "Tiếp nhận học sinh trung học cơ sở Việt Nam về nước"], "Giáo dục trung học", level="commune",
    days=3, docs=D_CHUYENTRUONG, legal=L_CHUYENTRUONG, applicants=[CN],
    result="Văn bản tiếp nhận", online="toan-trinh")
L_MN = L_GD + [law("Thông tư ban hành Điều lệ trường mầm non", "52/2020/TT-BGDĐT")]
add(["Thành lập trường mầm non công lập", "Cho phép thành lập trường mầm non dân lập, tư thục",
     "Cho phép trường mầm non hoạt động giáo dục", "Sáp nhập, chia, tách trường mầm non",
     "Giải thể trường mầm non", "Cho phép thành lập nhóm trẻ, lớp mẫu giáo độc lập dân lập, tư "
     "thục", "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục",
     "Giải thể nhóm trẻ, lớp mẫu giáo độc lập"], "Giáo dục mầm non", level="commune", days=20,
    online="", docs=D_THANHLAP[:2] + D_HOATDONG[2:3], legal=L_MN, applicants=[DVSN, DN, TC, CN],
    visit=True, competent=CTUBX, result="Quyết định")
L_TH = L_GD + [law("Thông tư ban hành Điều lệ trường tiểu học", "28/2020/TT-BGDĐT")]
add(["Thành lập trường tiểu học công lập", "Cho phép thành lập trường tiểu học tư thục",
     "Cho phép trường tiểu học hoạt động giáo dục", "Sáp nhập, chia, tách trường tiểu học",
     "Giải thể trường tiểu học"], "Giáo dục tiểu học", level="commune", days=20, online="",
    docs=D_THANHLAP[:2] + D_HOATDONG[2:3], legal=L_TH, applicants=[DVSN, DN, TC], visit=True,
    competent=CTUBX, result="Quyết định")
add(["Thành lập trung tâm giáo dục thường xuyên", "Cho phép trung tâm giáo dục thường xuyên hoạt "
     "động giáo dục", "Thành lập trung tâm ngoại ngữ, tin học",
     "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục",
     "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục trở lại",
     "Sáp nhập, chia, tách trung tâm ngoại ngữ, tin học", "Giải thể trung tâm ngoại ngữ, tin học",
     "Thành lập trung tâm hỗ trợ và phát triển giáo dục hòa nhập"],
    "Giáo dục thường xuyên", days=20, docs=D_THANHLAP[:2] + D_HOATDONG[2:], legal=L_GD,
    applicants=[DN, TC, DVSN], visit=True, result="Quyết định")
add(["Thành lập trung tâm học tập cộng đồng", "Cho phép trung tâm học tập cộng đồng hoạt động "
     "giáo dục trở lại"], "Giáo dục thường xuyên", level="commune", days=10, online="",
    docs=D_THANHLAP[:2], legal=L_GD, applicants=[TC], competent=CTUBX, result="Quyết định")
L_THI = [law("Thông tư ban hành Quy chế thi tốt nghiệp trung học phổ thông", "24/2024/TT-BGDĐT")]
add(["Đăng ký dự thi tốt nghiệp trung học phổ thông", "Phúc khảo bài thi tốt nghiệp trung học phổ "
     "thông", "Xét đặc cách tốt nghiệp trung học phổ thông"], "Thi, tuyển sinh", days=5,
    online="toan-trinh", post=False,
    docs=[doc("Phiếu đăng ký dự thi hoặc đơn phúc khảo", 1, 0, "Mẫu số 01"),
          doc("Căn cước hoặc giấy tờ tùy thân", 0, 1),
          doc("Giấy tờ chứng minh được cộng điểm ưu tiên, khuyến khích (nếu có)", 0, 1)],
    legal=L_GD[:1] + L_THI, applicants=[CN], result="Thông báo kết quả")
add(["Đăng ký dự tuyển sinh vào lớp 10 trung học phổ thông", "Xét tuyển sinh vào trường phổ thông "
     "dân tộc nội trú"], "Thi, tuyển sinh", days=5, online="toan-trinh", post=False,
    docs=[doc("Phiếu đăng ký dự tuyển", 1, 0, "Mẫu số 01"),
          doc("Bằng tốt nghiệp trung học cơ sở hoặc giấy chứng nhận tốt nghiệp tạm thời", 0, 1),
          doc("Học bạ trung học cơ sở", 0, 1)],
    legal=L_GD[:1] + [law("Thông tư ban hành Quy chế tuyển sinh trung học cơ sở và tuyển sinh trung "
                          "học phổ thông", "30/2024/TT-BGDĐT")], applicants=[CN],
    result="Danh sách trúng tuyển")
L_VB = [law("Thông tư ban hành Quy chế quản lý bằng tốt nghiệp trung học cơ sở, bằng tốt nghiệp "
            "trung học phổ thông, văn bằng giáo dục đại học và chứng chỉ của hệ thống giáo dục "
            "quốc dân", "21/2019/TT-BGDĐT"),
        law("Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ "
            "ký và chứng thực hợp đồng, giao dịch", "23/2015/NĐ-CP")]
add(["Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Chỉnh sửa nội dung văn bằng, chứng chỉ",
     "Cấp lại bằng tốt nghiệp trung học phổ thông do bị ghi sai thông tin"], "Văn bằng, chứng chỉ",
    days=5, online="toan-trinh",
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 01"), doc("Văn bằng, chứng chỉ đề nghị chỉnh sửa", 0, 1),
          doc("Giấy tờ làm căn cứ chỉnh sửa (trích lục khai sinh, quyết định thay đổi hộ tịch)",
              0, 1)],
    legal=L_VB, applicants=[CN], result="Bản sao văn bằng hoặc quyết định chỉnh sửa")
add("Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở nước ngoài cấp",
    "Văn bằng, chứng chỉ", days=20, online="toan-trinh",
    docs=[doc("Đơn đề nghị công nhận văn bằng", 1, 0, "Mẫu số 01"),
          doc("Văn bằng đề nghị công nhận và bản dịch công chứng sang tiếng Việt", 0, 1),
          doc("Kết quả học tập ở bậc học tương ứng", 0, 1)],
    legal=[law("Thông tư quy định điều kiện, trình tự, thủ tục công nhận văn bằng do cơ sở giáo "
               "dục nước ngoài cấp để sử dụng tại Việt Nam", "13/2021/TT-BGDĐT")],
    applicants=[CN], result="Giấy công nhận văn bằng")
add(["Cấp giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học",
     "Đăng ký hoạt động lại dịch vụ tư vấn du học"],
    "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân", days=20, fee=0,
    docs=[doc("Văn bản đề nghị cấp giấy chứng nhận", 1, 0, "Mẫu số 01"),
          doc("Giấy chứng nhận đăng ký doanh nghiệp", 0, 1),
          doc("Danh sách nhân viên tư vấn du học kèm văn bằng và chứng chỉ bồi dưỡng", 1, 0)],
    legal=L_GD, applicants=[DN], result="Giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học")
L_CQG = [law("Thông tư quy định về kiểm định chất lượng giáo dục và công nhận đạt chuẩn quốc gia "
             "đối với trường trung học cơ sở, trường trung học phổ thông và trường phổ thông có "
             "nhiều cấp học", "18/2018/TT-BGDĐT")]
add(["Công nhận trường trung học đạt chuẩn quốc gia", "Công nhận trường tiểu học đạt chuẩn quốc "
     "gia", "Công nhận trường mầm non đạt chuẩn quốc gia", "Công nhận xã đạt chuẩn phổ cập giáo dục, "
     "xóa mù chữ"], "Kiểm định chất lượng giáo dục", days=30, unit="days", online="",
    docs=[doc("Tờ trình đề nghị công nhận", 1, 0),
          doc("Báo cáo tự đánh giá và báo cáo đánh giá ngoài", 1, 0)],
    legal=L_CQG + [law("Nghị định về phổ cập giáo dục, xóa mù chữ", "20/2014/NĐ-CP")],
    applicants=[DVSN], competent=CTUBT, visit=True, result="Quyết định công nhận")
L_GDNN = [law("Luật Giáo dục nghề nghiệp", "74/2014/QH13"),
          law("Nghị định quy định điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục nghề "
              "nghiệp", "143/2016/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung các Nghị định quy định về điều kiện đầu tư và hoạt động "
              "trong lĩnh vực giáo dục nghề nghiệp", "24/2022/NĐ-CP")]
add(["Thành lập trung tâm giáo dục nghề nghiệp công lập", "Cho phép thành lập trung tâm giáo dục "
     "nghề nghiệp tư thục", "Sáp nhập, chia, tách trung tâm giáo dục nghề nghiệp",
     "Giải thể trung tâm giáo dục nghề nghiệp", "Thành lập trường trung cấp công lập",
     "Cho phép thành lập trường trung cấp tư thục", "Sáp nhập, chia, tách trường trung cấp",
     "Giải thể trường trung cấp"], "Giáo dục nghề nghiệp", days=15,
    docs=D_THANHLAP[:3], legal=L_GDNN, applicants=[DN, TC, DVSN], competent=CTUBT,
    result="Quyết định")
add(["Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp đối với trung tâm giáo dục nghề "
     "nghiệp, trường trung cấp, doanh nghiệp",
     "Cấp giấy chứng nhận đăng ký bổ sung hoạt động giáo dục nghề nghiệp đối với trung tâm giáo dục "
     "nghề nghiệp, trường trung cấp, doanh nghiệp",
     "Chấm dứt hoạt động giáo dục nghề nghiệp theo đề nghị của cơ sở giáo dục nghề nghiệp"],
    "Giáo dục nghề nghiệp", days=10, online="toan-trinh",
    docs=[doc("Văn bản đề nghị đăng ký hoạt động giáo dục nghề nghiệp", 1, 0, "Mẫu số 1a"),
          doc("Báo cáo thực trạng về cơ sở vật chất, thiết bị, chương trình, đội ngũ nhà giáo", 1, 0),
          doc("Quyết định thành lập hoặc giấy chứng nhận đăng ký doanh nghiệp", 0, 1)],
    legal=L_GDNN, applicants=[DN, TC, DVSN], visit=True,
    result="Giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp")

# ---------------------------------------------------------------- culture, sports, tourism
ministry("bo-van-hoa-ttdl")
L_KARAOKE = [law("Nghị định quy định về kinh doanh dịch vụ karaoke, dịch vụ vũ trường",
                 "54/2019/NĐ-CP"),
             law("Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí thẩm định "
                 "cấp giấy phép kinh doanh karaoke, vũ trường", "01/2021/TT-BTC")]
D_KARAOKE = [doc("Đơn đề nghị cấp giấy phép", 1, 0, "Mẫu số 01"),
             doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", 0, 1),
             doc("Giấy chứng nhận đủ điều kiện về phòng cháy và chữa cháy", 0, 1)]
add("Cấp giấy phép kinh doanh dịch vụ karaoke", "Văn hóa", days=5, fee=4000000,
    fee_note="Từ 01 đến 03 phòng: 4.000.000 đồng/giấy; từ 04 phòng trở lên thêm 1.000.000 đồng/phòng",
    docs=D_KARAOKE, legal=L_KARAOKE, applicants=[DN, HKD], visit=True,
    conditions="Phòng hát có diện tích sử dụng từ 20 m2 trở lên, không kể công trình phụ; không "
               "đặt chốt cửa bên trong phòng hát.", result="Giấy phép kinh doanh dịch vụ karaoke")
add(["Cấp giấy phép điều chỉnh giấy phép kinh doanh dịch vụ karaoke",
     "Cấp giấy phép kinh doanh dịch vụ vũ trường",
     "Cấp giấy phép điều chỉnh giấy phép kinh doanh dịch vụ vũ trường"], "Văn hóa", days=5,
    fee=2000000, fee_note="Phí thẩm định điều chỉnh; vũ trường: 10.000.000 đồng/giấy",
    docs=D_KARAOKE, legal=L_KARAOKE, applicants=[DN, HKD], visit=True,
    result="Giấy phép kinh doanh")
L_NTBD = [law("Nghị định quy định về hoạt động nghệ thuật biểu diễn", "144/2020/NĐ-CP")]
add(["Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật trên địa bàn quản lý",
     "Tổ chức cuộc thi, liên hoan trên địa bàn quản lý (không thuộc trường hợp toàn quốc và quốc "
     "tế)", "Tổ chức cuộc thi người đẹp, người mẫu trên địa bàn quản lý"], "Nghệ thuật biểu diễn",
    days=5, online="toan-trinh",
    docs=[doc("Văn bản thông báo hoặc văn bản đề nghị tổ chức", 1, 0, "Mẫu số 01"),
          doc("Đề án tổ chức cuộc thi, liên hoan, thể lệ cuộc thi", 1, 0)],
    legal=L_NTBD, applicants=[DN, TC, DVSN], result="Văn bản chấp thuận")
L_QC = [law("Luật Quảng cáo", "16/2012/QH13"),
        law("Luật sửa đổi, bổ sung một số điều của Luật Quảng cáo", "75/2025/QH15"),
        law("Nghị định quy định chi tiết thi hành một số điều của Luật Quảng cáo", "181/2013/NĐ-CP")]
add("Tiếp nhận thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn", "Quảng cáo",
    days=5, online="toan-trinh",
    docs=[doc("Văn bản thông báo sản phẩm quảng cáo", 1, 0, "Mẫu số 01"),
          doc("Ma-két sản phẩm quảng cáo in màu có chữ ký của tổ chức, cá nhân", 1, 0),
          doc("Giấy tờ chứng minh sự hợp chuẩn, hợp quy của sản phẩm, hàng hóa", 0, 1)],
    legal=L_QC, applicants=[DN, TC, CN], result="Văn bản trả lời (khi có ý kiến)")
grant_set(["văn phòng đại diện của doanh nghiệp quảng cáo nước ngoài tại Việt Nam"],
          "{a} giấy phép thành lập {k}", "Quảng cáo", "Giấy phép thành lập văn phòng đại diện",
          days=(10, 7, 7), fees=(3000000, 1500000, 1500000), actions=AMEND_SDBS,
          docs=[doc("Đơn đề nghị cấp giấy phép thành lập văn phòng đại diện", 1, 0, "Mẫu số 01"),
                doc("Giấy tờ chứng minh sự thành lập hợp pháp của doanh nghiệp quảng cáo nước "
                    "ngoài, được hợp pháp hóa lãnh sự", 0, 1)],
          legal=L_QC, applicants=[DN])
L_DS = [law("Luật Di sản văn hóa", "45/2024/QH15")]
add(["Cấp chứng chỉ hành nghề tu bổ di tích", "Cấp lại chứng chỉ hành nghề tu bổ di tích",
     "Cấp giấy chứng nhận đủ điều kiện hành nghề tu bổ di tích",
     "Cấp giấy chứng nhận đủ điều kiện kinh doanh giám định cổ vật",
     "Đăng ký di vật, cổ vật, bảo vật quốc gia",
     "Cấp phép cho người nước ngoài tiến hành nghiên cứu sưu tầm di sản văn hóa phi vật thể tại "
     "địa phương", "Xác nhận đủ điều kiện cấp giấy phép hoạt động đối với bảo tàng ngoài công lập",
     "Cấp giấy phép hoạt động bảo tàng ngoài công lập", "Xếp hạng di tích cấp tỉnh",
     "Thẩm định dự án tu bổ, phục hồi di tích cấp tỉnh"], "Di sản văn hóa", days=15,
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 01"), doc("Bản sao văn bằng, chứng chỉ chuyên môn hoặc "
                                                     "tài liệu về hiện vật, di tích", 0, 1),
          doc("Ảnh màu hoặc bản vẽ hiện trạng", 1, 0)],
    legal=L_DS, applicants=[CN, DN, TC], result="Chứng chỉ, giấy chứng nhận hoặc quyết định")
L_MT = [law("Nghị định về hoạt động mỹ thuật", "113/2013/NĐ-CP"),
        law("Nghị định về hoạt động nhiếp ảnh", "72/2016/NĐ-CP"),
        law("Nghị định về hoạt động triển lãm", "23/2019/NĐ-CP")]
add(["Cấp giấy phép triển lãm mỹ thuật", "Cấp giấy phép sao chép tác phẩm mỹ thuật về danh nhân "
     "văn hóa, anh hùng dân tộc, lãnh tụ", "Cấp giấy phép xây dựng tượng đài, tranh hoành tráng",
     "Cấp giấy phép triển lãm tác phẩm nhiếp ảnh tại Việt Nam",
     "Cấp giấy phép đưa tác phẩm nhiếp ảnh từ Việt Nam ra nước ngoài triển lãm",
     "Cấp giấy phép tổ chức triển lãm do tổ chức ở địa phương đưa ra nước ngoài không vì mục đích "
     "thương mại", "Tiếp nhận thông báo tổ chức triển lãm do tổ chức, cá nhân tại địa phương tổ "
     "chức không vì mục đích thương mại"], "Mỹ thuật, nhiếp ảnh và triển lãm", days=7,
    docs=[doc("Văn bản đề nghị cấp giấy phép", 1, 0, "Mẫu số 01"),
          doc("Danh sách tác phẩm kèm ảnh mẫu", 1, 0),
          doc("Văn bản đồng ý của tác giả hoặc chủ sở hữu tác phẩm", 0, 1)],
    legal=L_MT, applicants=[TC, CN, DN], result="Giấy phép")
add("Cấp giấy phép phân loại phim", "Điện ảnh", days=15, fee=1200000,
    fee_note="Phí thẩm định nội dung phim, tính theo thời lượng",
    docs=[doc("Đơn đề nghị cấp giấy phép phân loại phim", 1, 0, "Mẫu số 01"),
          doc("Bản phim hoàn chỉnh và kịch bản văn học", 1, 0),
          doc("Giấy tờ chứng minh quyền sở hữu hoặc quyền phát hành phim", 0, 1)],
    legal=[law("Luật Điện ảnh", "05/2022/QH15")], applicants=[DN], result="Giấy phép phân loại phim")
L_TV = [law("Luật Thư viện", "46/2019/QH14"),
        law("Nghị định quy định chi tiết một số điều của Luật Thư viện", "93/2020/NĐ-CP")]
add(["Thông báo thành lập thư viện đối với thư viện chuyên ngành ở cấp tỉnh và thư viện ngoài "
     "công lập", "Thông báo sáp nhập, hợp nhất, chia, tách thư viện chuyên ngành ở cấp tỉnh và thư "
     "viện ngoài công lập", "Thông báo chấm dứt hoạt động thư viện chuyên ngành ở cấp tỉnh và thư "
     "viện ngoài công lập"], "Thư viện", days=5, online="toan-trinh",
    docs=[doc("Thông báo theo mẫu", 1, 0, "Mẫu số 01"), doc("Văn bản thành lập hoặc quyết định", 0, 1)],
    legal=L_TV, applicants=[TC, DVSN], result="Văn bản xác nhận")
add(["Thông báo thành lập thư viện đối với thư viện cộng đồng",
     "Thông báo chấm dứt hoạt động thư viện cộng đồng"], "Thư viện", level="commune", days=5,
    online="toan-trinh", docs=[doc("Thông báo theo mẫu", 1, 0, "Mẫu số 01")], legal=L_TV,
    applicants=[CN, TC], result="Văn bản xác nhận")
L_GDINH = [law("Luật Phòng, chống bạo lực gia đình", "13/2022/QH15"),
           law("Nghị định quy định chi tiết Luật Phòng, chống bạo lực gia đình", "76/2023/NĐ-CP")]
add(["Cấp giấy chứng nhận đăng ký hoạt động của cơ sở trợ giúp nạn nhân bạo lực gia đình",
     "Cấp giấy chứng nhận nghiệp vụ chăm sóc nạn nhân bạo lực gia đình"], "Gia đình", days=10,
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 01"), doc("Đề án hoạt động hoặc văn bằng chuyên môn", 1, 0)],
    legal=L_GDINH, applicants=[TC, CN], result="Giấy chứng nhận")
add(["Đăng ký hoạt động của cơ sở hỗ trợ nạn nhân bạo lực gia đình",
     "Thay đổi nội dung đăng ký hoạt động của cơ sở hỗ trợ nạn nhân bạo lực gia đình"], "Gia đình",
    level="commune", days=10, docs=[doc("Đơn đăng ký hoạt động", 1, 0, "Mẫu số 01")], legal=L_GDINH,
    applicants=[TC, CN], result="Giấy chứng nhận đăng ký hoạt động")
L_VHCS = [law("Nghị định quy định khung tiêu chuẩn và trình tự, thủ tục, hồ sơ xét tặng danh hiệu "
              "Gia đình văn hóa; Thôn, tổ dân phố văn hóa; Xã, phường, thị trấn tiêu biểu",
              "86/2023/NĐ-CP")]
add(["Xét tặng danh hiệu Gia đình văn hóa", "Xét tặng Giấy khen Gia đình văn hóa",
     "Xét tặng danh hiệu Thôn, tổ dân phố văn hóa", "Xét tặng Giấy khen Thôn, tổ dân phố văn hóa"],
    "Văn hóa cơ sở", level="commune", days=5, post=False, online="",
    docs=[doc("Báo cáo thành tích và đề nghị của Trưởng thôn, tổ trưởng tổ dân phố", 1, 0),
          doc("Biên bản họp bình xét", 1, 0)], legal=L_VHCS, applicants=[CN, TC],
    competent=CTUBX, result="Quyết định tặng danh hiệu")
add("Xét tặng danh hiệu Xã, phường tiêu biểu", "Văn hóa cơ sở", days=20, online="", post=False,
    docs=[doc("Tờ trình đề nghị của Ủy ban nhân dân cấp xã", 1, 0),
          doc("Báo cáo thành tích xây dựng xã, phường tiêu biểu", 1, 0)], legal=L_VHCS,
    applicants=[TC], competent=CTUBT, result="Quyết định tặng danh hiệu")
L_LH = [law("Nghị định quy định về quản lý và tổ chức lễ hội", "110/2018/NĐ-CP")]
add(["Đăng ký tổ chức lễ hội cấp tỉnh", "Thông báo tổ chức lễ hội cấp tỉnh"], "Văn hóa cơ sở",
    days=15, docs=[doc("Văn bản đăng ký hoặc thông báo tổ chức lễ hội", 1, 0, "Mẫu số 01"),
                   doc("Kế hoạch tổ chức lễ hội", 1, 0)], legal=L_LH, applicants=[TC],
    result="Văn bản chấp thuận")
add(["Đăng ký tổ chức lễ hội cấp xã", "Thông báo tổ chức lễ hội cấp xã"], "Văn hóa cơ sở",
    level="commune", days=5, docs=[doc("Văn bản đăng ký hoặc thông báo tổ chức lễ hội", 1, 0,
                                       "Mẫu số 01")], legal=L_LH, applicants=[TC],
    result="Văn bản chấp thuận")
L_GAME = [law("Nghị định về quản lý, cung cấp, sử dụng dịch vụ Internet và thông tin trên mạng",
              "147/2024/NĐ-CP")]
add(["Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
     "Sửa đổi, bổ sung giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện "
     "tử công cộng", "Gia hạn giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi "
     "điện tử công cộng", "Cấp lại giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò "
     "chơi điện tử công cộng"], "Phát thanh, truyền hình và thông tin điện tử", level="commune",
    days=5, online="toan-trinh",
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 01"),
          doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", 0, 1)],
    legal=L_GAME, applicants=[DN, HKD], visit=True,
    result="Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng")
L_TT = [law("Luật Thể dục, thể thao", "77/2006/QH11"),
        law("Luật sửa đổi, bổ sung một số điều của Luật Thể dục, thể thao", "26/2018/QH14"),
        law("Nghị định quy định chi tiết một số điều của Luật sửa đổi, bổ sung một số điều của Luật "
            "Thể dục, thể thao", "36/2019/NĐ-CP")]
D_TT = [doc("Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", 1, 0,
            "Mẫu số 02"),
        doc("Bản tóm tắt tình hình chuẩn bị các điều kiện kinh doanh hoạt động thể thao", 1, 0,
            "Mẫu số 03"),
        doc("Văn bằng, chứng chỉ của người hướng dẫn tập luyện thể thao", 0, 1)]
for sport in ["Bơi, Lặn", "Billiards & Snooker", "Quần vợt", "Thể dục thể hình và Fitness",
              "Thể dục thẩm mỹ", "Yoga", "Khiêu vũ thể thao", "Bóng đá", "Cầu lông", "Bóng bàn",
              "Võ cổ truyền, Vovinam", "Taekwondo", "Karate", "Judo", "Golf", "Patin",
              "Bắn súng thể thao", "Leo núi thể thao"]:
    add("Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao đối với môn " + sport,
        "Thể dục thể thao", days=7, fee=500000,
        fee_note="Phí thẩm định cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
        docs=D_TT, legal=L_TT, applicants=[DN, HKD], visit=True,
        result="Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao")
add(["Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao trong trường hợp thay đổi "
     "nội dung ghi trong giấy chứng nhận", "Cấp lại giấy chứng nhận đủ điều kiện kinh doanh hoạt "
     "động thể thao", "Đăng cai tổ chức giải thi đấu vô địch từng môn thể thao của tỉnh"],
    "Thể dục thể thao", days=5, online="toan-trinh",
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 04"), doc("Giấy chứng nhận đã được cấp", 0, 1)],
    legal=L_TT, applicants=[DN, HKD, TC], result="Giấy chứng nhận hoặc quyết định")
add(["Công nhận câu lạc bộ thể thao cơ sở", "Thành lập câu lạc bộ thể thao cơ sở có sử dụng kinh "
     "phí nhà nước"], "Thể dục thể thao", level="commune", days=7, online="",
    docs=[doc("Đơn đề nghị công nhận", 1, 0), doc("Danh sách hội viên và quy chế hoạt động", 1, 0)],
    legal=L_TT, applicants=[CN, TC], competent=CTUBX, result="Quyết định công nhận")
L_DL = [law("Luật Du lịch", "09/2017/QH14"),
        law("Nghị định quy định chi tiết một số điều của Luật Du lịch", "168/2017/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 168/2017/NĐ-CP",
            "94/2021/NĐ-CP"),
        law("Thông tư quy định chi tiết một số điều của Luật Du lịch", "06/2017/TT-BVHTTDL")]
grant_set(["kinh doanh dịch vụ lữ hành nội địa"], "{a} giấy phép {k}", "Lữ hành",
          "Giấy phép kinh doanh dịch vụ lữ hành nội địa", days=(10, 5, 5),
          fees=(3000000, 2000000, 1500000),
          actions=(("Cấp", "cấp mới"), ("Cấp đổi", "cấp đổi"), ("Cấp lại", "cấp lại")),
          docs=[doc("Đơn đề nghị cấp giấy phép kinh doanh dịch vụ lữ hành", 1, 0, "Mẫu số 02"),
                doc("Giấy chứng nhận đăng ký doanh nghiệp", 0, 1),
                doc("Giấy chứng nhận ký quỹ kinh doanh dịch vụ lữ hành", 1, 0),
                doc("Văn bằng chuyên ngành lữ hành của người phụ trách kinh doanh", 0, 1)],
          legal=L_DL, applicants=[DN], conditions="Ký quỹ 100.000.000 đồng tại ngân hàng.")
add("Thu hồi giấy phép kinh doanh dịch vụ lữ hành nội địa trong trường hợp doanh nghiệp chấm dứt "
    "hoạt động kinh doanh dịch vụ lữ hành", "Lữ hành", days=30, unit="days", online="toan-trinh",
    docs=[doc("Thông báo chấm dứt hoạt động kinh doanh dịch vụ lữ hành", 1, 0, "Mẫu số 04"),
          doc("Bản gốc giấy phép kinh doanh dịch vụ lữ hành", 1, 0)],
    legal=L_DL, applicants=[DN], result="Quyết định thu hồi giấy phép")
D_HDV = [doc("Đơn đề nghị cấp thẻ hướng dẫn viên du lịch", 1, 0, "Mẫu số 09"),
         doc("Sơ yếu lý lịch có xác nhận", 1, 0),
         doc("Bằng tốt nghiệp chuyên ngành hướng dẫn du lịch hoặc chứng chỉ nghiệp vụ", 0, 1),
         doc("Giấy chứng nhận sức khỏe do cơ sở khám bệnh, chữa bệnh có thẩm quyền cấp", 1, 0),
         doc("Hai ảnh chân dung màu cỡ 3 x 4 cm", 2, 0)]
for kind, fee in [("hướng dẫn viên du lịch quốc tế", 650000), ("hướng dẫn viên du lịch nội địa", 650000),
                  ("hướng dẫn viên du lịch tại điểm", 200000)]:
    add("Cấp thẻ " + kind, "Lữ hành", days=10, fee=fee, fee_note="Phí thẩm định cấp thẻ",
        docs=D_HDV, legal=L_DL, applicants=[CN], online="toan-trinh",
        result="Thẻ " + kind)
add(["Cấp đổi thẻ hướng dẫn viên du lịch quốc tế, thẻ hướng dẫn viên du lịch nội địa",
     "Cấp lại thẻ hướng dẫn viên du lịch",
     "Cấp giấy chứng nhận khóa cập nhật kiến thức cho hướng dẫn viên du lịch nội địa và hướng dẫn "
     "viên du lịch quốc tế"], "Lữ hành", days=10, fee=325000,
    fee_note="Phí thẩm định cấp đổi, cấp lại thẻ", docs=D_HDV[:1] + D_HDV[3:],
    legal=L_DL, applicants=[CN], online="toan-trinh", result="Thẻ hướng dẫn viên du lịch")
for kind in ["khách sạn", "biệt thự du lịch", "căn hộ du lịch", "tàu thủy lưu trú du lịch"]:
    add("Công nhận hạng cơ sở lưu trú du lịch: hạng 1 sao, 2 sao, 3 sao đối với " + kind, "Du lịch",
        days=30, unit="days", fee=1500000, fee_note="Phí thẩm định công nhận hạng cơ sở lưu trú",
        docs=[doc("Đơn đề nghị công nhận hạng cơ sở lưu trú du lịch", 1, 0, "Mẫu số 05"),
              doc("Bản tự đánh giá chất lượng cơ sở lưu trú du lịch theo tiêu chuẩn quốc gia", 1, 0),
              doc("Danh sách người quản lý và nhân viên kèm văn bằng, chứng chỉ", 1, 0)],
        legal=L_DL, applicants=[DN, HKD], visit=True,
        result="Quyết định công nhận hạng và biển hiệu")
add(["Công nhận cơ sở kinh doanh dịch vụ ăn uống đạt tiêu chuẩn phục vụ khách du lịch",
     "Công nhận cơ sở kinh doanh dịch vụ mua sắm đạt tiêu chuẩn phục vụ khách du lịch",
     "Công nhận cơ sở kinh doanh dịch vụ thể thao đạt tiêu chuẩn phục vụ khách du lịch",
     "Công nhận cơ sở kinh doanh dịch vụ vui chơi, giải trí đạt tiêu chuẩn phục vụ khách du lịch",
     "Công nhận cơ sở kinh doanh dịch vụ chăm sóc sức khỏe đạt tiêu chuẩn phục vụ khách du lịch",
     "Công nhận điểm du lịch", "Công nhận khu du lịch cấp tỉnh"], "Du lịch", days=30, unit="days",
    docs=[doc("Đơn đề nghị công nhận", 1, 0, "Mẫu số 01"),
          doc("Báo cáo thực trạng cơ sở hoặc hồ sơ đề nghị công nhận điểm, khu du lịch", 1, 0)],
    legal=L_DL, applicants=[DN, HKD, TC], visit=True, result="Quyết định công nhận")
L_XB = [law("Luật Xuất bản", "19/2012/QH13"),
        law("Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Xuất bản",
            "195/2013/NĐ-CP"),
        law("Nghị định quy định về hoạt động in", "60/2014/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 60/2014/NĐ-CP",
            "25/2018/NĐ-CP")]
add(["Cấp giấy phép xuất bản tài liệu không kinh doanh", "Cấp giấy phép hoạt động in",
     "Cấp lại giấy phép hoạt động in", "Đăng ký hoạt động cơ sở in",
     "Thay đổi thông tin đăng ký hoạt động cơ sở in", "Cấp giấy phép nhập khẩu xuất bản phẩm không "
     "kinh doanh", "Đăng ký hoạt động phát hành xuất bản phẩm",
     "Cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm", "Cấp giấy phép nhập khẩu thiết bị in"],
    "Xuất bản, In và Phát hành", days=10, online="toan-trinh",
    docs=[doc("Đơn đề nghị hoặc tờ khai đăng ký", 1, 0, "Mẫu số 01"),
          doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập", 0, 1),
          doc("Bản thảo, danh mục xuất bản phẩm hoặc tài liệu về thiết bị in (tùy trường hợp)", 1, 0)],
    legal=L_XB, applicants=[DN, TC, HKD], result="Giấy phép hoặc văn bản xác nhận đăng ký")
L_BC = [law("Luật Báo chí", "103/2016/QH13")]
add(["Cho phép họp báo (trong nước)", "Cho phép họp báo (nước ngoài)",
     "Cấp giấy phép xuất bản bản tin", "Văn bản chấp thuận thay đổi nội dung ghi trong giấy phép "
     "xuất bản bản tin", "Cấp giấy phép xuất bản đặc san"], "Báo chí", days=10,
    online="toan-trinh", post=False,
    docs=[doc("Văn bản thông báo hoặc tờ khai đề nghị cấp phép", 1, 0, "Mẫu số 01"),
          doc("Maket bản tin, đặc san hoặc nội dung họp báo", 1, 0)],
    legal=L_BC, applicants=[TC, DN], result="Giấy phép hoặc văn bản chấp thuận")

# ---------------------------------------------------------------- home affairs and labour
ministry("bo-noi-vu")
L_HOI = [law("Nghị định quy định về tổ chức, hoạt động và quản lý hội", "126/2024/NĐ-CP")]
D_HOI = [doc("Đơn đề nghị", 1, 0, "Mẫu số 01"), doc("Dự thảo điều lệ hội", 1, 0),
         doc("Danh sách những người trong ban vận động hoặc ban lãnh đạo lâm thời", 1, 0),
         doc("Văn bản xác nhận nơi dự kiến đặt trụ sở của hội", 0, 1)]
add(["Thành lập hội", "Phê duyệt điều lệ hội", "Chia, tách; sáp nhập; hợp nhất hội",
     "Đổi tên hội", "Hội tự giải thể", "Báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của "
     "hội", "Cho phép hội đặt văn phòng đại diện"], "Tổ chức phi chính phủ", days=30, unit="days",
    docs=D_HOI, legal=L_HOI, applicants=[CN, TC], competent=CTUBT, result="Quyết định")
add(["Thành lập hội có phạm vi hoạt động trong xã", "Phê duyệt điều lệ hội có phạm vi hoạt động "
     "trong xã", "Đổi tên hội có phạm vi hoạt động trong xã", "Hội có phạm vi hoạt động trong xã tự "
     "giải thể"], "Tổ chức phi chính phủ", level="commune", days=30, unit="days", docs=D_HOI,
    legal=L_HOI, applicants=[CN, TC], competent=CTUBX, result="Quyết định")
L_QUY = [law("Nghị định về tổ chức, hoạt động của quỹ xã hội, quỹ từ thiện", "93/2019/NĐ-CP"),
         law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 93/2019/NĐ-CP",
             "136/2024/NĐ-CP")]
add(["Cấp giấy phép thành lập và công nhận điều lệ quỹ",
     "Công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên hội đồng quản lý quỹ",
     "Công nhận thay đổi, bổ sung thành viên hội đồng quản lý quỹ",
     "Thay đổi giấy phép thành lập và công nhận điều lệ (sửa đổi, bổ sung) quỹ",
     "Cấp lại giấy phép thành lập và công nhận điều lệ quỹ",
     "Cho phép quỹ hoạt động trở lại sau khi bị tạm đình chỉ hoạt động",
     "Hợp nhất, sáp nhập, chia, tách quỹ", "Đổi tên quỹ", "Quỹ tự giải thể"],
    "Tổ chức phi chính phủ", days=30, unit="days",
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 01"), doc("Dự thảo điều lệ quỹ hoặc điều lệ sửa đổi", 1, 0),
          doc("Tài liệu chứng minh tài sản đóng góp để thành lập quỹ", 1, 0),
          doc("Sơ yếu lý lịch của các thành viên ban sáng lập, hội đồng quản lý quỹ", 1, 0)],
    legal=L_QUY, applicants=[CN, TC], competent=CTUBT, result="Quyết định")
add(["Thẩm định thành lập đơn vị sự nghiệp công lập", "Thẩm định tổ chức lại, giải thể đơn vị sự "
     "nghiệp công lập"], "Tổ chức hành chính, đơn vị sự nghiệp công lập", days=15, online="",
    docs=[doc("Tờ trình đề nghị", 1, 0), doc("Đề án thành lập, tổ chức lại hoặc giải thể", 1, 0),
          doc("Dự thảo quyết định và quy chế tổ chức, hoạt động", 1, 0)],
    legal=[law("Nghị định quy định về thành lập, tổ chức lại, giải thể đơn vị sự nghiệp công lập",
               "120/2020/NĐ-CP")], applicants=[DVSN], competent=UBT,
    result="Văn bản thẩm định")
L_CC = [law("Nghị định quy định về tuyển dụng, sử dụng và quản lý công chức", "138/2020/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 138/2020/NĐ-CP",
            "116/2024/NĐ-CP")]
L_VC = [law("Nghị định quy định về tuyển dụng, sử dụng và quản lý viên chức", "115/2020/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 115/2020/NĐ-CP",
            "85/2023/NĐ-CP")]
D_TUYEN = [doc("Phiếu đăng ký dự tuyển", 1, 0, "Mẫu số 01"),
           doc("Văn bằng, chứng chỉ theo yêu cầu của vị trí dự tuyển", 0, 1),
           doc("Giấy tờ chứng nhận thuộc đối tượng ưu tiên (nếu có)", 0, 1)]
add(["Thi tuyển công chức", "Xét tuyển công chức", "Tiếp nhận vào làm công chức",
     "Thi nâng ngạch công chức"], "Công chức, viên chức", days=30, unit="days", online="",
    docs=D_TUYEN, legal=L_CC, applicants=[CN, VC], competent=UBT,
    result="Quyết định tuyển dụng hoặc bổ nhiệm ngạch")
add(["Thi tuyển viên chức", "Xét tuyển viên chức", "Xét thăng hạng chức danh nghề nghiệp viên "
     "chức"], "Công chức, viên chức", days=30, unit="days", online="", docs=D_TUYEN, legal=L_VC,
    applicants=[CN, VC], result="Quyết định tuyển dụng hoặc bổ nhiệm chức danh nghề nghiệp")
L_TDKT = [law("Luật Thi đua, khen thưởng", "06/2022/QH15"),
          law("Nghị định quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
              "98/2023/NĐ-CP")]
D_KT = [doc("Tờ trình đề nghị khen thưởng", 1, 0),
        doc("Báo cáo thành tích của cá nhân, tập thể được đề nghị khen thưởng", 1, 0, "Mẫu số 01"),
        doc("Biên bản họp xét của Hội đồng thi đua, khen thưởng", 1, 0)]
add(["Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh theo công trạng",
     "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho gia đình",
     "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh theo đợt hoặc chuyên đề",
     "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh về thành tích đột xuất",
     "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh về thành tích đối ngoại",
     "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh", "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
     "Tặng danh hiệu Tập thể lao động xuất sắc"], "Thi đua, khen thưởng", days=20, online="",
    post=False, docs=D_KT, legal=L_TDKT, applicants=[TC, CN, VC], competent=CTUBT,
    result="Quyết định khen thưởng")
add(["Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã theo công trạng",
     "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình",
     "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã theo đợt hoặc chuyên đề",
     "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích đột xuất",
     "Tặng danh hiệu Lao động tiên tiến", "Tặng danh hiệu Chiến sĩ thi đua cơ sở"],
    "Thi đua, khen thưởng", level="commune", days=20, online="", post=False, docs=D_KT,
    legal=L_TDKT, applicants=[TC, CN, VC], competent=CTUBX, result="Quyết định khen thưởng")
L_LT = [law("Luật Lưu trữ", "33/2024/QH15")]
add(["Cấp chứng chỉ hành nghề lưu trữ", "Cấp lại chứng chỉ hành nghề lưu trữ"], "Văn thư, lưu trữ",
    days=15, online="toan-trinh",
    docs=[doc("Đơn đề nghị cấp chứng chỉ hành nghề lưu trữ", 1, 0, "Mẫu số 01"),
          doc("Văn bằng chuyên môn và giấy xác nhận thời gian làm việc", 0, 1),
          doc("Hai ảnh màu cỡ 2 x 3 cm", 2, 0)], legal=L_LT, applicants=[CN],
    result="Chứng chỉ hành nghề lưu trữ")
add("Phục vụ việc sử dụng tài liệu của độc giả tại phòng đọc", "Văn thư, lưu trữ", days=1,
    online="", post=False, docs=[doc("Phiếu yêu cầu đọc tài liệu", 1, 0, "Mẫu số 01"),
                                 doc("Căn cước hoặc giấy giới thiệu", 0, 1)],
    legal=L_LT, applicants=[CN, TC], result="Tài liệu được phục vụ tại phòng đọc")
add(["Thành lập thôn mới, tổ dân phố mới", "Ghép thôn, tổ dân phố"], "Chính quyền địa phương",
    level="commune", days=30, unit="days", online="",
    docs=[doc("Tờ trình của Ủy ban nhân dân cấp xã", 1, 0), doc("Đề án thành lập hoặc ghép", 1, 0),
          doc("Biên bản lấy ý kiến cử tri hộ gia đình", 1, 0)],
    legal=[law("Thông tư hướng dẫn về tổ chức và hoạt động của thôn, tổ dân phố", "04/2012/TT-BNV"),
           law("Thông tư sửa đổi, bổ sung một số điều của Thông tư số 04/2012/TT-BNV",
               "14/2018/TT-BNV")],
    applicants=[TC], competent=UBT, result="Nghị quyết của Hội đồng nhân dân tỉnh")
add(["Xác nhận phiên hiệu thanh niên xung phong ở cấp tỉnh", "Thành lập tổ chức thanh niên xung "
     "phong cấp tỉnh", "Giải thể tổ chức thanh niên xung phong cấp tỉnh"], "Thanh niên", days=15,
    online="", docs=[doc("Văn bản đề nghị", 1, 0), doc("Đề án hoặc tài liệu chứng minh", 1, 0)],
    legal=[law("Luật Thanh niên", "57/2020/QH14"),
           law("Nghị định quy định về tổ chức và hoạt động của thanh niên xung phong")],
    applicants=[TC, CN], competent=CTUBT, result="Quyết định hoặc giấy xác nhận")
L_VL = [law("Luật Việc làm", "38/2013/QH13"),
        law("Nghị định quy định chi tiết thi hành Luật Việc làm về bảo hiểm thất nghiệp",
            "28/2015/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 28/2015/NĐ-CP",
            "61/2020/NĐ-CP")]
D_BHTN = [doc("Đề nghị hưởng trợ cấp thất nghiệp", 1, 0, "Mẫu số 03"),
          doc("Hợp đồng lao động đã hết hạn hoặc quyết định thôi việc, xác nhận chấm dứt hợp đồng "
              "lao động", 0, 1),
          doc("Sổ bảo hiểm xã hội", 1, 0)]
add(["Giải quyết hưởng trợ cấp thất nghiệp", "Tạm dừng hưởng trợ cấp thất nghiệp",
     "Tiếp tục hưởng trợ cấp thất nghiệp", "Chấm dứt hưởng trợ cấp thất nghiệp",
     "Chuyển nơi hưởng trợ cấp thất nghiệp (chuyển đi)",
     "Chuyển nơi hưởng trợ cấp thất nghiệp (chuyển đến)", "Hỗ trợ học nghề",
     "Thông báo về việc tìm kiếm việc làm hằng tháng"], "Việc làm", days=20, online="toan-trinh",
    docs=D_BHTN, legal=L_VL, applicants=[CN], coordinating="Bảo hiểm xã hội tỉnh",
    result="Quyết định của Giám đốc Sở Nội vụ")
add("Hỗ trợ người lao động tham gia đào tạo, bồi dưỡng, nâng cao trình độ kỹ năng nghề để duy trì "
    "việc làm", "Việc làm", days=20,
    docs=[doc("Văn bản đề nghị hỗ trợ của người sử dụng lao động", 1, 0, "Mẫu số 01"),
          doc("Phương án đào tạo, bồi dưỡng, nâng cao trình độ kỹ năng nghề", 1, 0)],
    legal=L_VL, applicants=[DN], result="Quyết định hỗ trợ")
L_DVVL = [law("Nghị định quy định chi tiết khoản 3 Điều 37 và Điều 39 của Luật Việc làm về trung "
              "tâm dịch vụ việc làm, doanh nghiệp hoạt động dịch vụ việc làm", "23/2021/NĐ-CP")]
grant_set(["hoạt động dịch vụ việc làm của doanh nghiệp hoạt động dịch vụ việc làm"],
          "{a} giấy phép {k}", "Việc làm", "Giấy phép hoạt động dịch vụ việc làm",
          days=(7, 5, 5), actions=RENEW,
          docs=[doc("Văn bản đề nghị cấp giấy phép", 1, 0, "Mẫu số 02"),
                                doc("Giấy chứng nhận đã thực hiện ký quỹ", 1, 0),
                                doc("Giấy tờ chứng minh địa điểm hoạt động", 0, 1)],
          legal=L_VL[:1] + L_DVVL, applicants=[DN])
L_LDNN = [law("Bộ luật Lao động", "45/2019/QH14"),
          law("Nghị định quy định về người lao động nước ngoài làm việc tại Việt Nam và tuyển dụng, "
              "quản lý người lao động Việt Nam làm việc cho tổ chức, cá nhân nước ngoài tại Việt "
              "Nam", "152/2020/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 152/2020/NĐ-CP",
              "70/2023/NĐ-CP")]
D_LDNN = [doc("Văn bản đề nghị cấp giấy phép lao động của người sử dụng lao động", 1, 0,
              "Mẫu số 11"),
          doc("Giấy chứng nhận sức khỏe", 1, 0),
          doc("Phiếu lý lịch tư pháp hoặc văn bản xác nhận không phải là người phạm tội", 1, 0),
          doc("Văn bản chứng minh là nhà quản lý, giám đốc điều hành, chuyên gia hoặc lao động kỹ "
              "thuật", 0, 1),
          doc("Hộ chiếu", 0, 1), doc("Hai ảnh màu cỡ 4 x 6 cm", 2, 0)]
add(["Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
     "Cấp lại giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
     "Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
     "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
     "Chấp thuận nhu cầu sử dụng người lao động nước ngoài",
     "Báo cáo giải trình thay đổi nhu cầu sử dụng người lao động nước ngoài"], "Việc làm", days=5,
    fee=600000, fee_note="Lệ phí cấp giấy phép lao động theo quy định của Hội đồng nhân dân tỉnh",
    docs=D_LDNN, legal=L_LDNN, applicants=[DN, TC, NN], online="toan-trinh",
    result="Giấy phép lao động hoặc văn bản chấp thuận")
L_LD = [law("Bộ luật Lao động", "45/2019/QH14"),
        law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động về "
            "điều kiện lao động và quan hệ lao động", "145/2020/NĐ-CP")]
add("Đăng ký nội quy lao động", "Lao động", days=7, online="toan-trinh",
    docs=[doc("Văn bản đề nghị đăng ký nội quy lao động", 1, 0),
          doc("Nội quy lao động", 1, 0),
          doc("Văn bản góp ý của tổ chức đại diện người lao động tại cơ sở (nếu có)", 1, 0),
          doc("Các văn bản của người sử dụng lao động có quy định liên quan đến kỷ luật lao động "
              "và trách nhiệm vật chất", 1, 0)],
    legal=L_LD, applicants=[DN, TC, HTX],
    conditions="Người sử dụng lao động sử dụng từ 10 người lao động trở lên.",
    result="Thông báo về việc đăng ký nội quy lao động")
add("Gửi thỏa ước lao động tập thể cấp doanh nghiệp", "Lao động", days=10, online="toan-trinh",
    docs=[doc("Thỏa ước lao động tập thể đã ký kết", 1, 0)], legal=L_LD, applicants=[DN],
    result="Văn bản xác nhận đã nhận thỏa ước")
grant_set(["hoạt động cho thuê lại lao động"], "{a} giấy phép {k}", "Lao động",
          "Giấy phép hoạt động cho thuê lại lao động", days=(20, 10, 10),
          actions=AMEND[:2],
          docs=[doc("Văn bản đề nghị cấp giấy phép", 1, 0, "Mẫu số 05 Phụ lục III"),
                doc("Bản lý lịch tự thuật của người đại diện theo pháp luật", 1, 0),
                doc("Giấy chứng nhận tiền ký quỹ hoạt động cho thuê lại lao động", 1, 0)],
          legal=L_LD, applicants=[DN], conditions="Ký quỹ 2.000.000.000 đồng.")
add(["Gia hạn giấy phép hoạt động cho thuê lại lao động", "Thu hồi giấy phép hoạt động cho thuê lại "
     "lao động", "Rút tiền ký quỹ của doanh nghiệp cho thuê lại lao động"], "Lao động", days=10,
    docs=[doc("Văn bản đề nghị", 1, 0, "Mẫu số 06 Phụ lục III"),
          doc("Giấy phép hoạt động cho thuê lại lao động đã được cấp", 0, 1)],
    legal=L_LD, applicants=[DN], result="Quyết định")
L_ATLD = [law("Luật An toàn, vệ sinh lao động", "84/2015/QH13"),
          law("Nghị định quy định chi tiết một số điều của Luật An toàn, vệ sinh lao động về hoạt "
              "động kiểm định kỹ thuật an toàn lao động, huấn luyện an toàn, vệ sinh lao động và "
              "quan trắc môi trường lao động", "44/2016/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung các Nghị định liên quan đến điều kiện đầu tư kinh doanh "
              "và thủ tục hành chính thuộc phạm vi quản lý nhà nước của Bộ Lao động - Thương binh "
              "và Xã hội", "140/2018/NĐ-CP")]
grant_set(["đủ điều kiện hoạt động huấn luyện an toàn, vệ sinh lao động hạng A"],
          "{a} giấy chứng nhận {k}", "An toàn, vệ sinh lao động",
          "Giấy chứng nhận đủ điều kiện hoạt động huấn luyện an toàn, vệ sinh lao động",
          days=(25, 10, 10), actions=RENEW,
          docs=[doc("Văn bản đề nghị cấp giấy chứng nhận", 1, 0, "Mẫu số 01"),
                                   doc("Bản thuyết minh về cơ sở vật chất, thiết bị và người huấn "
                                       "luyện", 1, 0)],
          legal=L_ATLD, applicants=[DN, TC], visit=True)
add("Khai báo khi đưa vào sử dụng các loại máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn "
    "lao động", "An toàn, vệ sinh lao động", days=5, online="toan-trinh",
    docs=[doc("Phiếu khai báo sử dụng đối tượng kiểm định", 1, 0, "Mẫu số 01"),
          doc("Giấy chứng nhận kết quả kiểm định", 0, 1)],
    legal=L_ATLD, applicants=[DN, TC, HKD], result="Xác nhận khai báo")
L_NCC = [law("Pháp lệnh Ưu đãi người có công với cách mạng", "02/2020/UBTVQH14"),
         law("Nghị định quy định chi tiết và biện pháp thi hành Pháp lệnh Ưu đãi người có công với "
             "cách mạng", "131/2021/NĐ-CP"),
         law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 131/2021/NĐ-CP",
             "55/2023/NĐ-CP")]
D_NCC = [doc("Bản khai hoặc đơn đề nghị", 1, 0, "Mẫu số 01 Phụ lục I"),
         doc("Giấy tờ chứng minh là người có công hoặc thân nhân người có công", 0, 1)]
add(["Giải quyết chế độ ưu đãi đối với thương binh, người hưởng chính sách như thương binh",
     "Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú",
     "Cấp trích lục hoặc sao hồ sơ người có công với cách mạng",
     "Sửa đổi thông tin cá nhân trong hồ sơ người có công", "Hỗ trợ thăm viếng mộ liệt sĩ",
     "Hỗ trợ di chuyển hài cốt liệt sĩ", "Cấp giấy chứng nhận thân nhân liệt sĩ",
     "Giám định lại thương tật do vết thương cũ tái phát và điều chỉnh chế độ"], "Người có công",
    days=12, docs=D_NCC, legal=L_NCC, applicants=[CN], result="Quyết định hoặc giấy chứng nhận")
add(["Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Giải quyết chế độ mai táng phí, trợ cấp một "
     "lần khi người có công với cách mạng từ trần", "Hỗ trợ người có công đi làm phương tiện, dụng "
     "cụ trợ giúp chỉnh hình, phục hồi chức năng",
     "Công nhận và giải quyết chế độ ưu đãi người hoạt động kháng chiến bị nhiễm chất độc hóa học",
     "Giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ",
     "Xác nhận thông tin về nơi liệt sĩ hy sinh", "Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam "
     "anh hùng"], "Người có công", level="commune", days=12, docs=D_NCC, legal=L_NCC,
    applicants=[CN], competent=CTUBX, result="Quyết định trợ cấp")

# ---------------------------------------------------------------- industry and trade
ministry("bo-cong-thuong")
L_RUOU = [law("Nghị định về kinh doanh rượu", "105/2017/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung một số điều của các Nghị định liên quan đến điều kiện đầu "
              "tư kinh doanh thuộc lĩnh vực quản lý nhà nước của Bộ Công Thương", "17/2020/NĐ-CP")]
D_RUOU = [doc("Đơn đề nghị cấp giấy phép", 1, 0, "Mẫu số 01"),
          doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", 0, 1),
          doc("Tài liệu chứng minh quyền sử dụng hợp pháp địa điểm kinh doanh", 0, 1),
          doc("Hợp đồng nguyên tắc hoặc văn bản giới thiệu của nhà cung cấp rượu", 0, 1)]
grant_set(["bán buôn rượu"], "{a} giấy phép {k}", "Lưu thông hàng hóa trong nước",
          "Giấy phép bán buôn rượu", days=(10, 7, 7), fees=(1100000, 0, 0), actions=AMEND_SDBS,
          docs=D_RUOU, legal=L_RUOU, applicants=[DN])
add("Cấp giấy phép sản xuất rượu công nghiệp (quy mô dưới 3 triệu lít/năm)",
    "Lưu thông hàng hóa trong nước", days=15, fee=1100000,
    fee_note="Phí thẩm định điều kiện kinh doanh", docs=D_RUOU[:3] + [
        doc("Bản công bố sản phẩm rượu hoặc giấy tiếp nhận bản công bố hợp quy", 0, 1)],
    legal=L_RUOU, applicants=[DN], visit=True, result="Giấy phép sản xuất rượu công nghiệp")
grant_set(["bán lẻ rượu", "bán rượu tiêu dùng tại chỗ", "sản xuất rượu thủ công nhằm mục đích "
           "kinh doanh"], "{a} giấy phép {k}", "Lưu thông hàng hóa trong nước",
          "Giấy phép kinh doanh rượu", days=(10, 7, 7), fees=(600000, 0, 0), level="commune", actions=AMEND_SDBS,
          docs=D_RUOU, legal=L_RUOU, applicants=[DN, HKD], online="mot-phan")
L_TL = [law("Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Phòng, chống tác "
            "hại của thuốc lá về kinh doanh thuốc lá", "67/2013/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 67/2013/NĐ-CP",
            "106/2017/NĐ-CP")]
grant_set(["bán buôn sản phẩm thuốc lá"], "{a} giấy phép {k}", "Lưu thông hàng hóa trong nước",
          "Giấy phép bán buôn sản phẩm thuốc lá", days=(15, 7, 7), fees=(1100000, 0, 0), actions=AMEND_SDBS,
          docs=D_RUOU, legal=L_TL, applicants=[DN])
grant_set(["bán lẻ sản phẩm thuốc lá"], "{a} giấy phép {k}", "Lưu thông hàng hóa trong nước",
          "Giấy phép bán lẻ sản phẩm thuốc lá", days=(15, 7, 7), fees=(300000, 0, 0), actions=AMEND_SDBS,
          level="commune", docs=D_RUOU, legal=L_TL, applicants=[DN, HKD])
L_XD = [law("Nghị định về kinh doanh xăng dầu", "83/2014/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 83/2014/NĐ-CP", "95/2021/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 95/2021/NĐ-CP và Nghị định số "
            "83/2014/NĐ-CP", "80/2023/NĐ-CP")]
D_XD = [doc("Đơn đề nghị cấp giấy chứng nhận", 1, 0, "Mẫu số 05"),
        doc("Bản kê trang thiết bị của cửa hàng bán lẻ xăng dầu", 1, 0),
        doc("Tài liệu chứng minh đáp ứng điều kiện phòng cháy, chữa cháy và bảo vệ môi trường",
            0, 1),
        doc("Chứng chỉ đào tạo nghiệp vụ của cán bộ quản lý, nhân viên cửa hàng", 0, 1)]
grant_set(["cửa hàng đủ điều kiện bán lẻ xăng dầu"], "{a} giấy chứng nhận {k}",
          "Lưu thông hàng hóa trong nước", "Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", actions=AMEND_SDBS,
          days=(15, 10, 10), fees=(1200000, 600000, 600000), docs=D_XD, legal=L_XD,
          applicants=[DN], visit=True)
add(["Cấp giấy xác nhận đủ điều kiện làm tổng đại lý kinh doanh xăng dầu",
     "Cấp giấy xác nhận đủ điều kiện làm đại lý bán lẻ xăng dầu"],
    "Lưu thông hàng hóa trong nước", days=20, fee=1200000,
    fee_note="Phí thẩm định điều kiện kinh doanh xăng dầu", docs=D_XD[:1] + [
        doc("Hợp đồng đại lý với thương nhân đầu mối hoặc thương nhân phân phối", 0, 1),
        doc("Danh sách cửa hàng bán lẻ thuộc hệ thống phân phối", 1, 0)],
    legal=L_XD, applicants=[DN], result="Giấy xác nhận đủ điều kiện")
L_KHI = [law("Nghị định về kinh doanh khí", "87/2018/NĐ-CP")]
grant_set(["đủ điều kiện cửa hàng bán lẻ LPG chai", "đủ điều kiện trạm nạp LPG vào chai",
           "đủ điều kiện trạm nạp LPG vào phương tiện vận tải"], "{a} giấy chứng nhận {k}",
          "Kinh doanh khí", "Giấy chứng nhận đủ điều kiện kinh doanh khí", days=(15, 7, 7), actions=AMEND_SDBS,
          fees=(1200000, 600000, 600000),
          docs=[doc("Đơn đề nghị cấp giấy chứng nhận", 1, 0, "Mẫu số 01"),
                doc("Tài liệu chứng minh đáp ứng điều kiện về phòng cháy, chữa cháy", 0, 1),
                doc("Chứng chỉ đào tạo an toàn của nhân viên", 0, 1)],
          legal=L_KHI, applicants=[DN], visit=True)
L_FDI = [law("Luật Thương mại", "36/2005/QH11"),
         law("Nghị định quy định chi tiết Luật Thương mại và Luật Quản lý ngoại thương về hoạt động "
             "mua bán hàng hóa và các hoạt động liên quan trực tiếp đến mua bán hàng hóa của nhà đầu "
             "tư nước ngoài, tổ chức kinh tế có vốn đầu tư nước ngoài tại Việt Nam", "09/2018/NĐ-CP")]
add(["Cấp giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài để thực hiện quyền "
     "phân phối bán lẻ hàng hóa", "Điều chỉnh giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu "
     "tư nước ngoài", "Cấp lại giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài",
     "Cấp giấy phép lập cơ sở bán lẻ", "Điều chỉnh giấy phép lập cơ sở bán lẻ",
     "Gia hạn giấy phép lập cơ sở bán lẻ"], "Lưu thông hàng hóa trong nước", days=15,
    fee=2000000, fee_note="Phí thẩm định cấp giấy phép kinh doanh, giấy phép lập cơ sở bán lẻ",
    docs=[doc("Đơn đề nghị cấp giấy phép", 1, 0, "Mẫu số 01"), doc("Bản giải trình có nội dung theo "
                                                                   "quy định", 1, 0),
          doc("Giấy chứng nhận đăng ký đầu tư, giấy chứng nhận đăng ký doanh nghiệp", 0, 1)],
    legal=L_FDI, applicants=[DN], online="toan-trinh", result="Giấy phép")
L_VPDD = [law("Nghị định quy định chi tiết Luật Thương mại về Văn phòng đại diện, Chi nhánh của "
              "thương nhân nước ngoài tại Việt Nam", "07/2016/NĐ-CP")]
add(["Cấp giấy phép thành lập văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
     "Cấp lại giấy phép thành lập văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
     "Điều chỉnh giấy phép thành lập văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
     "Gia hạn giấy phép thành lập văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
     "Chấm dứt hoạt động của văn phòng đại diện của thương nhân nước ngoài tại Việt Nam"],
    "Thương mại quốc tế", days=7, fee=3000000,
    fee_note="Lệ phí cấp giấy phép thành lập văn phòng đại diện",
    docs=[doc("Đơn đề nghị theo mẫu của Bộ Công Thương", 1, 0, "Mẫu MĐ-1"),
          doc("Bản sao giấy đăng ký kinh doanh của thương nhân nước ngoài, hợp pháp hóa lãnh sự",
              0, 1),
          doc("Văn bản bổ nhiệm người đứng đầu văn phòng đại diện", 0, 1)],
    legal=[law("Luật Thương mại", "36/2005/QH11")] + L_VPDD, applicants=[DN],
    online="toan-trinh", result="Giấy phép thành lập văn phòng đại diện")
L_XTTM = [law("Nghị định quy định chi tiết Luật Thương mại về hoạt động xúc tiến thương mại",
              "81/2018/NĐ-CP"),
          law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 81/2018/NĐ-CP",
              "128/2024/NĐ-CP")]
add(["Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi thực hiện trên địa bàn một "
     "tỉnh", "Đăng ký sửa đổi, bổ sung nội dung chương trình khuyến mại theo hình thức mang tính "
     "may rủi thực hiện trên địa bàn một tỉnh", "Thông báo thực hiện khuyến mại",
     "Đăng ký tổ chức hội chợ, triển lãm thương mại tại Việt Nam",
     "Đăng ký sửa đổi, bổ sung nội dung tổ chức hội chợ, triển lãm thương mại tại Việt Nam"],
    "Xúc tiến thương mại", days=5, online="toan-trinh", post=False,
    docs=[doc("Văn bản đề nghị thực hiện chương trình khuyến mại hoặc đăng ký tổ chức hội chợ", 1, 0,
              "Mẫu số 01"), doc("Thể lệ chương trình khuyến mại", 1, 0),
          doc("Mẫu vé số dự thưởng (nếu có)", 1, 0)],
    legal=L_XTTM, applicants=[DN], result="Văn bản xác nhận")
L_HC = [law("Luật Hóa chất", "06/2007/QH12"),
        law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Hóa chất",
            "113/2017/NĐ-CP"),
        law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 113/2017/NĐ-CP",
            "82/2022/NĐ-CP")]
grant_set(["đủ điều kiện sản xuất hóa chất sản xuất, kinh doanh có điều kiện trong lĩnh vực công "
           "nghiệp", "đủ điều kiện kinh doanh hóa chất sản xuất, kinh doanh có điều kiện trong lĩnh "
           "vực công nghiệp"], "{a} giấy chứng nhận {k}", "Hóa chất",
          "Giấy chứng nhận đủ điều kiện", days=(12, 5, 5), fees=(1200000, 600000, 600000), actions=AMEND_SDBS,
          docs=[doc("Văn bản đề nghị cấp giấy chứng nhận", 1, 0, "Mẫu số 01"),
                doc("Bản kê khai địa điểm kinh doanh, kho chứa và trang thiết bị", 1, 0),
                doc("Biện pháp phòng ngừa, ứng phó sự cố hóa chất", 1, 0)],
          legal=L_HC, applicants=[DN], visit=True)
add("Thẩm định, phê duyệt kế hoạch phòng ngừa, ứng phó sự cố hóa chất trong lĩnh vực công nghiệp",
    "Hóa chất", days=30, unit="days", online="",
    docs=[doc("Văn bản đề nghị thẩm định", 1, 0), doc("Kế hoạch phòng ngừa, ứng phó sự cố hóa chất",
                                                      5, 0)],
    legal=L_HC, applicants=[DN], result="Quyết định phê duyệt")
L_VLN = [law("Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ", "42/2024/QH15"),
         law("Nghị định quy định chi tiết Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ "
             "trợ về vật liệu nổ công nghiệp và tiền chất thuốc nổ", "71/2018/NĐ-CP")]
add(["Cấp giấy phép sử dụng vật liệu nổ công nghiệp", "Cấp lại giấy phép sử dụng vật liệu nổ công "
     "nghiệp", "Cấp giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp"],
    "Vật liệu nổ công nghiệp, tiền chất thuốc nổ", days=10, online="",
    docs=[doc("Văn bản đề nghị cấp giấy phép", 1, 0, "Mẫu số 01"),
          doc("Thiết kế nổ mìn hoặc phương án nổ mìn đã được phê duyệt", 1, 0),
          doc("Quyết định bổ nhiệm chỉ huy nổ mìn và danh sách thợ mìn", 0, 1)],
    legal=L_VLN, applicants=[DN], visit=True, result="Giấy phép sử dụng vật liệu nổ công nghiệp")
L_DIEN = [law("Luật Điện lực", "61/2024/QH15"),
          law("Thông tư quy định trình tự, thủ tục cấp giấy phép hoạt động điện lực",
              "21/2020/TT-BCT")]
add(["Cấp giấy phép hoạt động phát điện đối với nhà máy điện có quy mô công suất dưới 3 MW đặt tại "
     "địa phương", "Cấp giấy phép hoạt động phân phối điện đến cấp điện áp 35 kV tại địa phương",
     "Cấp giấy phép hoạt động bán lẻ điện đến cấp điện áp 0,4 kV tại địa phương",
     "Cấp giấy phép hoạt động tư vấn chuyên ngành điện thuộc thẩm quyền cấp của địa phương",
     "Sửa đổi, bổ sung giấy phép hoạt động điện lực thuộc thẩm quyền cấp của địa phương"], "Điện",
    days=15, fee=800000, fee_note="Phí thẩm định cấp giấy phép hoạt động điện lực",
    docs=[doc("Văn bản đề nghị cấp giấy phép hoạt động điện lực", 1, 0, "Mẫu 01"),
          doc("Danh sách trích ngang người quản lý kỹ thuật, vận hành kèm văn bằng", 1, 0),
          doc("Tài liệu về lưới điện, nhà máy điện hoặc hồ sơ năng lực tư vấn", 1, 0)],
    legal=L_DIEN, applicants=[DN, HTX], online="toan-trinh",
    result="Giấy phép hoạt động điện lực")
L_ATTP_CT = [law("Luật An toàn thực phẩm", "55/2010/QH12"),
             law("Nghị định quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm",
                 "15/2018/NĐ-CP"),
             law("Thông tư quy định về quản lý an toàn thực phẩm thuộc trách nhiệm của Bộ Công "
                 "Thương", "43/2018/TT-BCT")]
add(["Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh "
     "thực phẩm thuộc thẩm quyền của Sở Công Thương", "Cấp lại giấy chứng nhận cơ sở đủ điều kiện an "
     "toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm thuộc thẩm quyền của Sở Công "
     "Thương", "Cấp giấy xác nhận kiến thức về an toàn thực phẩm cho tổ chức và cá nhân sản xuất, "
     "kinh doanh thực phẩm do Sở Công Thương thực hiện"], "An toàn thực phẩm", days=20,
    fee=1000000, fee_note="Phí thẩm định cơ sở đủ điều kiện an toàn thực phẩm",
    docs=[doc("Đơn đề nghị cấp Giấy chứng nhận", 1, 0, "Mẫu số 01"),
          doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ", 1, 0),
          doc("Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất, kinh doanh", 0, 1)],
    legal=L_ATTP_CT, applicants=[DN, HKD], visit=True, result="Giấy chứng nhận")
add(["Cấp giấy xác nhận ưu đãi dự án sản xuất sản phẩm công nghiệp hỗ trợ thuộc Danh mục sản phẩm "
     "công nghiệp hỗ trợ ưu tiên phát triển", "Cấp giấy chứng nhận đủ điều kiện đầu tư trồng cây "
     "thuốc lá", "Cấp thông báo xác nhận công bố sản phẩm hàng hóa nhóm 2 phù hợp với quy chuẩn kỹ "
     "thuật tương ứng"], "Công nghiệp địa phương", days=15, online="toan-trinh",
    docs=[doc("Đơn đề nghị xác nhận hoặc bản công bố", 1, 0, "Mẫu số 01"),
          doc("Tài liệu chứng minh năng lực sản xuất hoặc kết quả chứng nhận hợp quy", 0, 1)],
    legal=[law("Nghị định về phát triển công nghiệp hỗ trợ", "111/2015/NĐ-CP")] + L_TL[:1],
    applicants=[DN, HTX], visit=True, result="Giấy xác nhận hoặc giấy chứng nhận")
L_DACAP = [law("Nghị định về quản lý hoạt động kinh doanh theo phương thức đa cấp", "40/2018/NĐ-CP"),
           law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 40/2018/NĐ-CP",
               "18/2023/NĐ-CP")]
add(["Đăng ký hoạt động bán hàng đa cấp tại địa phương", "Đăng ký sửa đổi, bổ sung nội dung hoạt "
     "động bán hàng đa cấp tại địa phương", "Chấm dứt hoạt động bán hàng đa cấp tại địa phương",
     "Thông báo tổ chức hội nghị, hội thảo, đào tạo về bán hàng đa cấp"],
    "Quản lý cạnh tranh", days=15, online="toan-trinh",
    docs=[doc("Văn bản đề nghị đăng ký hoạt động bán hàng đa cấp tại địa phương", 1, 0, "Mẫu số 09"),
          doc("Giấy chứng nhận đăng ký hoạt động bán hàng đa cấp do Bộ Công Thương cấp", 0, 1),
          doc("Văn bản giới thiệu người đại diện tại địa phương", 1, 0)],
    legal=L_DACAP, applicants=[DN], result="Xác nhận đăng ký hoạt động bán hàng đa cấp")
add(["Thành lập, mở rộng cụm công nghiệp", "Lựa chọn chủ đầu tư xây dựng hạ tầng kỹ thuật cụm "
     "công nghiệp"], "Công nghiệp địa phương", days=30, unit="days", online="",
    docs=[doc("Văn bản đề nghị", 1, 0), doc("Báo cáo đầu tư thành lập, mở rộng cụm công nghiệp", 1, 0)],
    legal=[law("Nghị định về quản lý, phát triển cụm công nghiệp", "32/2024/NĐ-CP")],
    applicants=[DN, TC], competent=UBT, result="Quyết định")

# ---------------------------------------------------------------- science and technology
ministry("bo-khoa-hoc-cn")
L_KHCN = [law("Luật Khoa học và công nghệ", "29/2013/QH13"),
          law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học và "
              "công nghệ", "08/2014/NĐ-CP"),
          law("Thông tư hướng dẫn thành lập và đăng ký hoạt động của tổ chức khoa học và công nghệ, "
              "văn phòng đại diện, chi nhánh của tổ chức khoa học và công nghệ", "03/2014/TT-BKHCN")]
D_KHCN = [doc("Đơn đăng ký hoạt động khoa học và công nghệ", 1, 0, "Mẫu số 01"),
          doc("Quyết định thành lập tổ chức khoa học và công nghệ", 0, 1),
          doc("Điều lệ tổ chức và hoạt động", 1, 0),
          doc("Hồ sơ nhân lực và văn bản chứng minh trụ sở", 1, 0)]
grant_set(["đăng ký hoạt động khoa học và công nghệ"], "{a} giấy chứng nhận {k}",
          "Hoạt động khoa học và công nghệ",
          "Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", days=(15, 5, 10),
          fees=(800000, 400000, 400000),
          actions=(("Cấp", "cấp mới"), ("Cấp lại", "cấp lại"),
                   ("Thay đổi, bổ sung nội dung", "thay đổi, bổ sung nội dung")), docs=D_KHCN, legal=L_KHCN, applicants=[TC, DN])
add(["Cấp giấy chứng nhận đăng ký hoạt động lần đầu cho văn phòng đại diện, chi nhánh của tổ chức "
     "khoa học và công nghệ", "Cấp giấy chứng nhận doanh nghiệp khoa học và công nghệ",
     "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước",
     "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh sử dụng ngân sách nhà nước",
     "Giao quyền sở hữu, quyền sử dụng kết quả nghiên cứu khoa học và phát triển công nghệ sử dụng "
     "ngân sách nhà nước"], "Hoạt động khoa học và công nghệ", days=15, online="toan-trinh",
    docs=[doc("Đơn đề nghị hoặc phiếu đăng ký", 1, 0, "Mẫu số 01"),
          doc("Báo cáo kết quả thực hiện nhiệm vụ hoặc hồ sơ chứng minh năng lực", 1, 0)],
    legal=L_KHCN[:2] + [law("Nghị định về doanh nghiệp khoa học và công nghệ", "13/2019/NĐ-CP")],
    applicants=[TC, DN, CN], result="Giấy chứng nhận hoặc quyết định")
add(["Đăng ký tham gia tuyển chọn, giao trực tiếp tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa "
     "học và công nghệ cấp tỉnh", "Đánh giá, nghiệm thu và công nhận kết quả thực hiện nhiệm vụ khoa "
     "học và công nghệ cấp tỉnh", "Đánh giá đồng thời thẩm định kết quả thực hiện nhiệm vụ khoa học "
     "và công nghệ không sử dụng ngân sách nhà nước", "Xét tặng giải thưởng khoa học và công nghệ "
     "cấp tỉnh"], "Hoạt động khoa học và công nghệ", days=30, unit="days", online="",
    docs=[doc("Đơn đăng ký hoặc văn bản đề nghị", 1, 0, "Mẫu B1-1-ĐON"),
          doc("Thuyết minh nhiệm vụ hoặc báo cáo tổng hợp kết quả", 1, 0),
          doc("Lý lịch khoa học của chủ nhiệm và thành viên chính", 1, 0)],
    legal=L_KHCN[:2], applicants=[TC, CN, DN], competent=UBT, result="Quyết định")
add(["Thẩm định công nghệ dự án đầu tư", "Có ý kiến về công nghệ dự án đầu tư"],
    "Chuyển giao công nghệ", days=15, online="",
    docs=[doc("Văn bản đề nghị thẩm định hoặc lấy ý kiến về công nghệ", 1, 0),
          doc("Báo cáo nghiên cứu khả thi hoặc đề xuất dự án đầu tư", 1, 0),
          doc("Phần thuyết minh về công nghệ của dự án", 1, 0)],
    legal=[law("Luật Chuyển giao công nghệ", "07/2017/QH14"),
           law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Chuyển giao "
               "công nghệ", "76/2018/NĐ-CP")],
    applicants=[DN, TC], result="Văn bản thẩm định hoặc văn bản góp ý")
L_CGCN = [law("Luật Chuyển giao công nghệ", "07/2017/QH14"),
          law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Chuyển giao "
              "công nghệ", "76/2018/NĐ-CP")]
add(["Cấp giấy chứng nhận đăng ký chuyển giao công nghệ (trừ những trường hợp thuộc thẩm quyền của "
     "Bộ Khoa học và Công nghệ)", "Đăng ký gia hạn, sửa đổi, bổ sung nội dung chuyển giao công nghệ "
     "(trừ những trường hợp thuộc thẩm quyền của Bộ Khoa học và Công nghệ)"], "Chuyển giao công nghệ",
    days=5, fee=1000000, fee_note="0,1% tổng giá trị hợp đồng, tối đa 10.000.000 đồng",
    docs=[doc("Văn bản đề nghị đăng ký chuyển giao công nghệ", 1, 0, "Mẫu số 01"),
          doc("Hợp đồng chuyển giao công nghệ, bản dịch tiếng Việt nếu bằng tiếng nước ngoài", 1, 0)],
    legal=L_CGCN, applicants=[DN, TC], online="toan-trinh",
    result="Giấy chứng nhận đăng ký chuyển giao công nghệ")
L_TDC = [law("Luật Chất lượng sản phẩm, hàng hóa", "05/2007/QH12"),
         law("Luật Tiêu chuẩn và quy chuẩn kỹ thuật", "68/2006/QH11"),
         law("Nghị định quy định chi tiết thi hành một số điều của Luật Chất lượng sản phẩm, hàng "
             "hóa", "132/2008/NĐ-CP"),
         law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 132/2008/NĐ-CP",
             "74/2018/NĐ-CP"),
         law("Thông tư quy định về công bố hợp chuẩn, công bố hợp quy và phương thức đánh giá sự "
             "phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật", "28/2012/TT-BKHCN")]
add(["Đăng ký công bố hợp chuẩn dựa trên kết quả chứng nhận hợp chuẩn của tổ chức chứng nhận",
     "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá của tổ chức, cá nhân sản xuất, kinh "
     "doanh", "Đăng ký công bố hợp quy đối với các sản phẩm, hàng hóa sản xuất trong nước, dịch vụ, "
     "quá trình, môi trường được quản lý bởi các quy chuẩn kỹ thuật do Bộ Khoa học và Công nghệ ban "
     "hành", "Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu thuộc trách nhiệm quản lý của Bộ "
     "Khoa học và Công nghệ", "Miễn giảm kiểm tra chất lượng hàng hóa nhập khẩu thuộc trách nhiệm "
     "quản lý của Bộ Khoa học và Công nghệ"], "Tiêu chuẩn đo lường chất lượng", days=5,
    online="toan-trinh", post=True,
    docs=[doc("Bản công bố hoặc bản đăng ký kiểm tra", 1, 0, "Mẫu số 02"),
          doc("Giấy chứng nhận hợp chuẩn, hợp quy hoặc kết quả tự đánh giá", 0, 1),
          doc("Kế hoạch giám sát định kỳ hoặc chứng từ nhập khẩu (tùy trường hợp)", 0, 1)],
    legal=L_TDC, applicants=[DN, HKD], result="Thông báo tiếp nhận hồ sơ hoặc kết quả kiểm tra")
L_DLG = [law("Luật Đo lường", "04/2011/QH13"),
         law("Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Đo lường",
             "86/2012/NĐ-CP")]
add(["Chứng nhận chuẩn đo lường để kiểm định, hiệu chuẩn, thử nghiệm phương tiện đo nhóm 2",
     "Kiểm tra nhà nước về đo lường đối với phương tiện đo, lượng của hàng đóng gói sẵn nhập khẩu",
     "Điều chỉnh nội dung của chứng chỉ chứng nhận chuẩn đo lường"],
    "Tiêu chuẩn đo lường chất lượng", days=10,
    docs=[doc("Đơn đề nghị", 1, 0, "Mẫu số 01"), doc("Giấy chứng nhận kiểm định, hiệu chuẩn chuẩn "
                                                      "đo lường", 0, 1)],
    legal=L_DLG, applicants=[DN, TC], result="Chứng chỉ hoặc thông báo kết quả kiểm tra")
add(["Công bố sử dụng dấu định lượng trên nhãn hàng đóng gói sẵn", "Đăng ký tham dự sơ tuyển, xét "
     "tặng giải thưởng chất lượng quốc gia", "Cấp giấy xác nhận đăng ký hoạt động xét tặng giải "
     "thưởng chất lượng sản phẩm, hàng hóa của tổ chức, cá nhân"],
    "Tiêu chuẩn đo lường chất lượng", days=10, online="toan-trinh",
    docs=[doc("Bản công bố hoặc đơn đăng ký", 1, 0, "Mẫu số 01"),
          doc("Báo cáo tự đánh giá hoặc tài liệu chứng minh đáp ứng yêu cầu", 1, 0)],
    legal=L_DLG, applicants=[DN, TC], result="Thông báo hoặc giấy xác nhận")
L_BX = [law("Luật Năng lượng nguyên tử", "18/2008/QH12"),
        law("Nghị định quy định về việc tiến hành công việc bức xạ và hoạt động dịch vụ hỗ trợ ứng "
            "dụng năng lượng nguyên tử", "142/2020/NĐ-CP")]
D_BX = [doc("Đơn đề nghị cấp giấy phép tiến hành công việc bức xạ", 1, 0, "Mẫu số 01"),
        doc("Phiếu khai báo thiết bị X-quang chẩn đoán trong y tế", 1, 0),
        doc("Báo cáo đánh giá an toàn bức xạ", 1, 0),
        doc("Biên bản kiểm định thiết bị X-quang và đo kiểm tra liều bức xạ tại nơi làm việc", 0, 1)]
for action in ["Cấp", "Gia hạn", "Sửa đổi, bổ sung", "Cấp lại"]:
    add(action + " giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong "
        "y tế", "An toàn bức xạ và hạt nhân", days=15 if action in ("Cấp", "Gia hạn") else 10,
        fee=2000000 if action == "Cấp" else 1000000,
        fee_note="Phí thẩm định an toàn bức xạ theo từng thiết bị", docs=D_BX, legal=L_BX,
        applicants=[DN, TC, DVSN], result="Giấy phép tiến hành công việc bức xạ")
add(["Cấp và cấp lại chứng chỉ nhân viên bức xạ cho người phụ trách an toàn cơ sở X-quang chẩn "
     "đoán trong y tế", "Khai báo thiết bị X-quang chẩn đoán trong y tế"],
    "An toàn bức xạ và hạt nhân", days=10, online="toan-trinh",
    docs=[doc("Đơn đề nghị hoặc phiếu khai báo", 1, 0, "Mẫu số 02"),
          doc("Giấy chứng nhận đào tạo an toàn bức xạ", 0, 1)],
    legal=L_BX, applicants=[CN, DN, DVSN], result="Chứng chỉ nhân viên bức xạ hoặc xác nhận khai báo")
L_BCH = [law("Luật Bưu chính", "49/2010/QH12"),
         law("Nghị định quy định chi tiết thi hành một số nội dung của Luật Bưu chính",
             "47/2011/NĐ-CP"),
         law("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 47/2011/NĐ-CP",
             "25/2022/NĐ-CP")]
D_BCH = [doc("Giấy đề nghị cấp giấy phép bưu chính", 1, 0, "Mẫu số 01"),
         doc("Giấy chứng nhận đăng ký doanh nghiệp", 0, 1),
         doc("Mẫu hợp đồng cung ứng và sử dụng dịch vụ bưu chính", 1, 0),
         doc("Bảng giá cước và quy định về mức giới hạn trách nhiệm bồi thường", 1, 0)]
add("Cấp giấy phép bưu chính (phạm vi nội tỉnh)", "Bưu chính", days=20, fee=5000000,
    fee_note="Phí thẩm định điều kiện hoạt động bưu chính", docs=D_BCH, legal=L_BCH,
    applicants=[DN], online="toan-trinh", result="Giấy phép bưu chính")
add(["Sửa đổi, bổ sung giấy phép bưu chính (phạm vi nội tỉnh)", "Cấp lại giấy phép bưu chính khi "
     "hết hạn (phạm vi nội tỉnh)", "Cấp lại giấy phép bưu chính bị mất hoặc hư hỏng không sử dụng "
     "được", "Cấp văn bản xác nhận thông báo hoạt động bưu chính", "Cấp lại văn bản xác nhận thông "
     "báo hoạt động bưu chính khi bị mất hoặc hư hỏng không sử dụng được"], "Bưu chính", days=10,
    docs=D_BCH[:2], legal=L_BCH, applicants=[DN], online="toan-trinh",
    result="Giấy phép bưu chính hoặc văn bản xác nhận")


# ---------------------------------------------------------------- output
def nfc(s):
    return unicodedata.normalize("NFC", s)


def steps_of(r, agency):
    where = ("Bộ phận Một cửa " + ("của Ủy ban nhân dân cấp xã" if r["level"] == "commune" else
                                   "tỉnh (Trung tâm Phục vụ hành chính công)"))
    ways = ["trực tiếp tại " + where]
    if r["post"]:
        ways.append("qua dịch vụ bưu chính công ích")
    if r["online"]:
        ways.append("trực tuyến trên Cổng Dịch vụ công quốc gia")
    decider = r["competent"] or agency
    s3 = "Bước 3: {} thẩm định hồ sơ{}".format(
        agency, ", kiểm tra thực tế tại cơ sở" if r["visit"] else "")
    if r["coordinating"]:
        s3 += ", phối hợp với " + r["coordinating"]
    if r["competent"]:
        s3 += " và trình {} xem xét, quyết định".format(r["competent"])
    s3 += (". Trường hợp đủ điều kiện, {} ban hành kết quả ({}); trường hợp không đủ điều kiện, "
           "có văn bản trả lời và nêu rõ lý do.").format(decider, r["result"] or "văn bản")
    return [
        "Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định và nộp " + ", ".join(ways[:-1]) +
        (" hoặc " if len(ways) > 1 else "") + ways[-1] + ".",
        "Bước 2: Công chức tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ. Hồ sơ chưa đầy đủ thì "
        "hướng dẫn bổ sung, hoàn thiện một lần; hồ sơ đầy đủ thì cấp Giấy tiếp nhận hồ sơ và hẹn "
        "trả kết quả.",
        s3,
        "Bước 4: Trả kết quả tại nơi nộp hồ sơ" + (", qua dịch vụ bưu chính công ích" if r["post"]
                                                  else "") +
        (" hoặc trên Cổng Dịch vụ công quốc gia" if r["online"] else "") + ".",
    ]


UNIT_TEXT = {"working_days": "Ngày làm việc", "days": "Ngày"}


def to_json(r, code):
    prefix, dept = MINISTRIES[r["ministry"]]
    agency = COMMUNE if r["level"] == "commune" else dept
    channels = ["direct"] + (["online"] if r["online"] else []) + (["post"] if r["post"] else [])
    methods = []
    for ch in channels:
        methods.append({
            "channel": ch, "time_value": str(r["days"]), "time_unit": r["unit"],
            "time_text": "{} {}".format(r["days"], UNIT_TEXT[r["unit"]]),
            "fee": fee_text(r["fee"]),
            "fee_note": (r["fee_note"] or "Phí thẩm định hồ sơ") if r["fee"] else "",
            "fee_amount": r["fee"],
            "description": {"direct": "Nộp hồ sơ trực tiếp tại Bộ phận Một cửa",
                            "online": "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
                            "post": "Nộp hồ sơ qua dịch vụ bưu chính công ích"}[ch]})
    docs = [{"case": "", "name": n, "originals": o, "copies": c,
             "templates": [t + ".docx"] if t else []} for (n, o, c, t) in r["docs"]]
    o = {
        "code": code, "name": r["name"], "portal_name": r["name"], "decision": "", "kind": "",
        "field": r["field"], "ministry": r["ministry"], "levels": [r["level"]],
        "applicants": r["applicants"], "steps": steps_of(r, agency), "methods": methods,
        "documents": docs,
        "legal_basis": [{"title": t, "number": n} for (t, n) in r["legal"]],
        "conditions": r["conditions"],
        "results": [{"name": r["result"], "code": ""}] if r["result"] else [],
        "result_note": "", "agency_implementing": agency,
        "agency_competent": r["competent"] or agency, "agency_delegated": "",
        "agency_coordinating": r["coordinating"],
        "receiving_address": ("Bộ phận Một cửa Ủy ban nhân dân cấp xã" if r["level"] == "commune"
                              else "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình"),
        "service_level": r["online"] or "", "source_url": "", "published": True,
        "generated": True,
    }
    return json.loads(nfc(json.dumps(o, ensure_ascii=False)))


def main():
    seen, counters, lines = set(), {}, []
    for r in records:
        assert r["name"] not in seen, "repeated name: " + r["name"]
        seen.add(r["name"])
        prefix = MINISTRIES[r["ministry"]][0]
        counters[prefix] = counters.get(prefix, 0) + 1
        code = "{}{:05d}".format(prefix, counters[prefix])
        lines.append(json.dumps(to_json(r, code), ensure_ascii=False, separators=(",", ":")))
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    tally = {}
    for r in records:
        key = (r["ministry"], r["level"])
        tally[key] = tally.get(key, 0) + 1
    for (m, lv), n in sorted(tally.items()):
        print("{:18} {:9} {:4}".format(m, lv, n), file=sys.stderr)
    print("{} records -> {}".format(len(records), OUT), file=sys.stderr)


main()
