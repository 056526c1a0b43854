#!/usr/bin/env python3
"""Builds the Ninh Bình agency trees shipped in data/agencies/ from the
General Statistics Office unit lists in ../shared/data/.

Each file is one shape on its own (no successor links: the 2025 merger is
applied to a live 2020 deployment as an event, not loaded as demo data).
Two shapes: 2020-01-01 (province, 20 departments and sectors, 8 district
People's Committees, 145 commune People's Committees) and 2025-07-01 (the
two-level province after the merger: departments as reorganised in 2025 and
129 commune and ward People's Committees). Identifier codes (mã định danh,
V1V2V3.Z1Z2.Y1Y2.MX1X2) are demo placeholders in the national shape: a real
deployment's admin sets the real ones. Output is committed; rerun only when
the inputs change.
"""
import csv, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
P = "H43"  # province part of the demo identifiers
COLS = ["code", "identifier", "kind", "level", "parent_code", "name", "address", "phone",
        "email", "website", "valid_from", "valid_to", "successor_code"]

DEPTS_2020 = [
    ("vp-ubnd", "van-phong", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("so-noi-vu", "so", "Sở Nội vụ"),
    ("so-tu-phap", "so", "Sở Tư pháp"),
    ("so-ke-hoach-dau-tu", "so", "Sở Kế hoạch và Đầu tư"),
    ("so-tai-chinh", "so", "Sở Tài chính"),
    ("so-cong-thuong", "so", "Sở Công Thương"),
    ("so-nong-nghiep-ptnt", "so", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("so-giao-thong-van-tai", "so", "Sở Giao thông vận tải"),
    ("so-xay-dung", "so", "Sở Xây dựng"),
    ("so-tai-nguyen-moi-truong", "so", "Sở Tài nguyên và Môi trường"),
    ("so-thong-tin-truyen-thong", "so", "Sở Thông tin và Truyền thông"),
    ("so-lao-dong-tbxh", "so", "Sở Lao động - Thương binh và Xã hội"),
    ("so-van-hoa-the-thao", "so", "Sở Văn hóa và Thể thao"),
    ("so-du-lich", "so", "Sở Du lịch"),
    ("so-khoa-hoc-cong-nghe", "so", "Sở Khoa học và Công nghệ"),
    ("so-giao-duc-dao-tao", "so", "Sở Giáo dục và Đào tạo"),
    ("so-y-te", "so", "Sở Y tế"),
    ("thanh-tra", "nganh", "Thanh tra tỉnh"),
    ("ban-quan-ly-kcn", "ban", "Ban Quản lý các khu công nghiệp tỉnh"),
    ("cong-an", "nganh", "Công an tỉnh"),
]
# The 2025 reorganisation merged departments; the successor of each old one.
DEPTS_2025 = [
    ("vp-ubnd", "van-phong", "Văn phòng Ủy ban nhân dân tỉnh", []),
    ("so-noi-vu", "so", "Sở Nội vụ", ["so-lao-dong-tbxh"]),
    ("so-tu-phap", "so", "Sở Tư pháp", []),
    ("so-tai-chinh", "so", "Sở Tài chính", ["so-ke-hoach-dau-tu"]),
    ("so-cong-thuong", "so", "Sở Công Thương", []),
    ("so-nong-nghiep-moi-truong", "so", "Sở Nông nghiệp và Môi trường",
     ["so-nong-nghiep-ptnt", "so-tai-nguyen-moi-truong"]),
    ("so-xay-dung", "so", "Sở Xây dựng", ["so-giao-thong-van-tai"]),
    ("so-khoa-hoc-cong-nghe", "so", "Sở Khoa học và Công nghệ", ["so-thong-tin-truyen-thong"]),
    ("so-van-hoa-the-thao-du-lich", "so", "Sở Văn hóa, Thể thao và Du lịch",
     ["so-van-hoa-the-thao", "so-du-lich"]),
    ("so-giao-duc-dao-tao", "so", "Sở Giáo dục và Đào tạo", []),
    ("so-y-te", "so", "Sở Y tế", []),
    ("so-dan-toc-ton-giao", "so", "Sở Dân tộc và Tôn giáo", []),
    ("thanh-tra", "nganh", "Thanh tra tỉnh", []),
    ("ban-quan-ly-kcn", "ban", "Ban Quản lý các khu công nghiệp tỉnh", []),
    ("cong-an", "nganh", "Công an tỉnh", []),
]

def units(name):
    with open(f"{SRC}/{name}", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))

def row(**kw):
    return [kw.get(c, "") for c in COLS]

def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(COLS) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{path}: {len(rows)} agencies", file=sys.stderr)

def shape_2020():
    rows, u = [], units("ninhbinh_units_2020-01-01.tsv")
    prov = "ubnd-37"
    rows.append(row(code=prov, identifier=f"000.00.00.{P}", kind="ubnd", level="province",
                    name="Ủy ban nhân dân tỉnh Ninh Bình", valid_from="2020-01-01"))
    for i, (code, kind, name) in enumerate(DEPTS_2020, 1):
        rows.append(row(code=code, identifier=f"000.00.{i:02d}.{P}", kind=kind, level="department",
                        parent_code=prov, name=name, valid_from="2020-01-01"))
    districts = [x for x in u if x["level"] == "district"]
    for i, d in enumerate(districts, 21):
        d["ident_y"] = i
        rows.append(row(code=f"ubnd-{d['code']}", identifier=f"000.00.{i:02d}.{P}", kind="ubnd",
                        level="district", parent_code=prov, name=f"Ủy ban nhân dân {d['name']}",
                        valid_from="2020-01-01"))
    by_code = {d["code"]: d for d in districts}
    seen = {}
    for c in u:
        if c["level"] != "commune":
            continue
        d = by_code[c["parent_code"]]
        seen[d["code"]] = seen.get(d["code"], 0) + 1
        rows.append(row(code=f"ubnd-{c['code']}", identifier=f"000.{seen[d['code']]:02d}.{d['ident_y']:02d}.{P}",
                        kind="ubnd", level="commune", parent_code=f"ubnd-{d['code']}",
                        name=f"Ủy ban nhân dân {c['name']}", valid_from="2020-01-01"))
    return rows

def shape_2025():
    rows, u = [], units("ninhbinh_units_2025-07-01.tsv")
    prov = "ubnd-37"
    rows.append(row(code=prov, identifier=f"000.00.00.{P}", kind="ubnd", level="province",
                    name="Ủy ban nhân dân tỉnh Ninh Bình", valid_from="2025-07-01"))
    for i, (code, kind, name, _) in enumerate(DEPTS_2025, 1):
        rows.append(row(code=code, identifier=f"000.00.{i:02d}.{P}", kind=kind, level="department",
                        parent_code=prov, name=name, valid_from="2025-07-01"))
    communes = [x for x in u if x["level"] == "commune"]
    for i, c in enumerate(communes):
        y, z = 30 + i // 99, i % 99 + 1
        rows.append(row(code=f"ubnd-{c['code']}", identifier=f"000.{z:02d}.{y:02d}.{P}", kind="ubnd",
                        level="commune", parent_code=prov, name=f"Ủy ban nhân dân {c['name']}",
                        valid_from="2025-07-01"))
    return rows

write("data/agencies/ninhbinh_2020-01-01.tsv", shape_2020())
write("data/agencies/ninhbinh_2025-07-01.tsv", shape_2025())
