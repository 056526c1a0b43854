/*
 * test_forms.c - forms 02 to 05 as PDFs (domain/forms.h), read back with
 * poppler's tools: pdftotext finds the form number, the title, the
 * Vietnamese wording (compared after NFC, with runs of white space made
 * one space so wrapped lines read as one), the applicant's data, the
 * numbered items, reasons and dates; pdfinfo says A4; zbarimg decodes the
 * QR code; 300 holders on form 05 flow onto several pages with every row
 * present and every word inside the page. Invalid input is refused naming
 * the field; four threads render at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "domain/forms.h"
#include "domain/pdfdoc.h"
#include "pdfcheck.h"

#define CODE   "000.00.16.H43-261128-0042"
#define URL    "http://127.0.0.1:8080/tra-cuu?ma=" CODE
#define AGENCY "Ủy ban nhân dân phường Hoa Lư"

static struct form_data sample(int form)
{
	return (struct form_data){
		.form = form,
		.agency_name = AGENCY,
		.code = CODE,
		.applicant_name = "Trần Thị Ngọc Ánh",
		.address = "Số 5 phố Trần Hưng Đạo, phường Hoa Lư, tỉnh Ninh Bình",
		.phone = "0987654321",
		.email = "anh@example.vn",
		.procedure_name = "Đăng ký khai sinh",
		.issued_at = "2026-11-30 10:05:00",
		.officer_name = "Phạm Văn Dũng",
		.received_at = "2026-11-28 09:15:02",
		.due_at = "2026-12-02 16:30:00",
		.new_due_at = form == 4 ? "2026-12-09 16:30:00" : NULL,
		.text = "Bản sao giấy chứng sinh có chứng thực\n"
			"  \r\n"
			"Tờ khai ghi rõ họ, chữ đệm và tên người cha (ỷ ỹ ự ữ)\r\n"
			"Giấy xác nhận nơi cư trú của người mẹ\n",
		.place = "Ninh Bình",
		.lookup_url = URL,
	};
}

/* ---- helpers ---- */

/* Renders f into dir/name; the path (to free), or fails the test. */
static char *render(const struct form_data *f, const char *name)
{
	buf out = BUF_INIT(32u << 20);
	char err[256];
	mc_status st = form_pdf(f, &out, err, sizeof(err));
	if (st != MC_OK)
		fail_msg("form_pdf(%d): %s", f->form, err);
	return pdfcheck_save(&out, name);
}

/* The PDF's text in reading order (in layout order when layout: rows of a
 * table stay rows), NFC, every run of white space (line and page breaks
 * too) one space. */
static char *text_as(const char *path, bool layout)
{
	char *raw = pdfcheck_run("pdftotext %s -enc UTF-8 '%s' -", layout ? "-layout" : "", path);
	char *n = (char *)utf8proc_NFC((const utf8proc_uint8_t *)raw);
	assert_non_null(n);
	free(raw);
	char *w = n;
	for (const char *r = n; *r; r++) {
		bool space = *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f' || *r == '\r';
		/* A line may break after a slash ("Ông/" "Bà"): no space there. */
		if (space && (w == n || w[-1] == ' ' || (w[-1] == '/' && *r == '\n')))
			continue;
		*w++ = space ? ' ' : *r;
	}
	*w = '\0';
	return n;
}

static char *text_of(const char *path)
{
	return text_as(path, false);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%.3000s", needle, hay);
}

/* The page count and size from pdfinfo; the size must be A4. */
static int a4_pages(const char *path, const char *title)
{
	char *info = pdfcheck_run("pdfinfo '%s'", path);
	const char *size = strstr(info, "Page size:");
	assert_non_null(size);
	double w, h;
	assert_int_equal(sscanf(size, "Page size: %lf x %lf pts", &w, &h), 2);
	/* A4 is 210 x 297 mm: 595.28 x 841.89 points. */
	if (!(w > 595.0 && w < 595.6 && h > 841.6 && h < 842.2))
		fail_msg("not A4: %.2f x %.2f", w, h);
	const char *pages = strstr(info, "Pages:");
	assert_non_null(pages);
	int n = 0;
	assert_int_equal(sscanf(pages, "Pages: %d", &n), 1);
	assert_contains(info, title);
	free(info);
	return n;
}

/* What every form shows: the header, the date line, the code. */
static void assert_common(const char *text, int form, const char *title)
{
	char number[32];
	snprintf(number, sizeof(number), "Mẫu số %02d", form);
	assert_contains(text, number);
	assert_contains(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_contains(text, "Độc lập - Tự do - Hạnh phúc");
	assert_contains(text, "ỦY BAN NHÂN DÂN PHƯỜNG HOA LƯ");
	assert_contains(text, "Ninh Bình, ngày 30 tháng 11 năm 2026");
	assert_contains(text, title);
	assert_contains(text, "Mã hồ sơ: " CODE);
}

/* Renders f into name, checks it is one A4 page whose PDF title is meta
 * and the code and which has what every form has; its text. */
static char *one_page(const struct form_data *f, const char *name, const char *meta,
		      const char *title)
{
	char *path = render(f, name);
	char *pdf_title = g_strdup_printf("%s %s", meta, f->code);
	assert_int_equal(a4_pages(path, pdf_title), 1);
	g_free(pdf_title);
	char *text = text_of(path);
	assert_common(text, f->form, title);
	free(path);
	return text;
}

/* ---- one test per form ---- */

static void test_form02_supplement(void **state)
{
	struct form_data f = sample(2);
	char *text = one_page(&f, "02.pdf", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
			      "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
	assert_contains(text, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ");
	assert_contains(text, "Hồ sơ của: Trần Thị Ngọc Ánh");
	assert_contains(text, "Địa chỉ: Số 5 phố Trần Hưng Đạo, phường Hoa Lư, tỉnh Ninh Bình");
	assert_contains(text, "anh@example.vn");
	assert_contains(text, "Nội dung yêu cầu giải quyết: Đăng ký khai sinh");
	assert_contains(text, "Thời gian nhận hồ sơ: 28/11/2026 09:15");
	assert_contains(text, "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:");
	/* One notice listing everything, numbered; the blank line is skipped. */
	assert_contains(text, "1. Bản sao giấy chứng sinh có chứng thực 2. Tờ khai ghi rõ họ, "
			      "chữ đệm và tên người cha (ỷ ỹ ự ữ) 3. Giấy xác nhận nơi cư trú "
			      "của người mẹ");
	assert_null(strstr(text, "4. "));
	assert_contains(text, "Thời hạn giải quyết hồ sơ được tính lại từ đầu kể từ ngày Bộ "
			      "phận tiếp nhận và trả kết quả nhận đủ hồ sơ hợp lệ.");
	assert_contains(text,
			"liên hệ Bộ phận tiếp nhận và trả kết quả " AGENCY " để được hướng dẫn.");
	assert_contains(text, "NGƯỜI HƯỚNG DẪN");
	assert_contains(text, "Phạm Văn Dũng");
	free(text);

	/* The QR code at 200 dpi decodes to the lookup address. */
	char *path = g_strdup_printf("%s/02.pdf", pdfcheck_dir());
	char *decoded = pdfcheck_qr(path, "qr02");
	assert_string_equal(decoded, URL "\n");
	free(decoded);

	/* The font is the one asked for, embedded. */
	char *fonts = pdfcheck_run("pdffonts '%s'", path);
	assert_contains(fonts, "DejaVuSerif");
	assert_null(strstr(fonts, " no  "));
	free(fonts);
	free(path);

	/* Online, without an officer and a place: no QR, the online wording,
	 * the date line starts "Ngày". */
	f.officer_name = NULL;
	f.lookup_url = NULL;
	f.place = NULL;
	f.received_at = NULL;
	path = render(&f, "02-online.pdf");
	text = text_of(path);
	assert_contains(text, "Ngày 30 tháng 11 năm 2026");
	assert_null(strstr(text, "Ninh Bình, ngày"));
	assert_contains(text, "Thông báo trực tuyến trên Cổng dịch vụ công");
	assert_null(strstr(text, "Tra cứu tình trạng hồ sơ"));
	assert_null(strstr(text, "Thời gian nhận hồ sơ"));
	free(text);
	free(path);
}

static void test_form03_refusal(void **state)
{
	struct form_data f = sample(3);
	f.text = "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường\n"
		 "Người yêu cầu không có quyền đăng ký (đã đăng ký khai sinh tại xã Gia Viễn)";
	char *text = one_page(&f, "03.pdf", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
			      "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
	assert_contains(text, "Tiếp nhận hồ sơ của: Trần Thị Ngọc Ánh");
	assert_contains(text, "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể "
			      "như sau:");
	assert_contains(text,
			"1. Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân "
			"phường 2. Người yêu cầu không có quyền đăng ký (đã đăng ký khai sinh "
			"tại xã Gia Viễn)");
	assert_contains(text, "Xin thông báo để Ông/Bà/tổ chức được biết và thực hiện./.");
	assert_contains(text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
	free(text);

	/* One reason is not numbered. */
	f.text = "Hồ sơ giả mạo chữ ký";
	char *path = render(&f, "03-one.pdf");
	text = text_of(path);
	assert_contains(text, "như sau: Hồ sơ giả mạo chữ ký");
	assert_null(strstr(text, "1. Hồ sơ"));
	free(text);
	free(path);
}

static void test_form04_apology(void **state)
{
	struct form_data f = sample(4);
	f.text = "Phải xác minh thông tin hộ tịch với Sở Tư pháp tỉnh Nam Định cũ.";
	char *text = one_page(&f, "04.pdf", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
			      "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
	/* Issued by the agency, not the desk. */
	assert_null(strstr(text, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"));
	assert_contains(text, "Kính gửi: Trần Thị Ngọc Ánh");
	assert_contains(text, "Ngày 28/11/2026 09:15, " AGENCY
			      " đã tiếp nhận hồ sơ của Ông/Bà/tổ chức đề nghị giải quyết thủ "
			      "tục hành chính: Đăng ký khai sinh; mã hồ sơ: " CODE ".");
	assert_contains(text, "Ngày hẹn trả kết quả: 02/12/2026 16:30");
	assert_contains(text, "chưa trả được kết quả giải quyết hồ sơ đúng hẹn ghi trên Giấy "
			      "tiếp nhận hồ sơ và hẹn trả kết quả, vì lý do: Phải xác minh thông "
			      "tin hộ tịch với Sở Tư pháp tỉnh Nam Định cũ.");
	assert_contains(text, "Sự chậm trễ này đã gây phiền hà cho Ông/Bà/tổ chức. " AGENCY
			      " thành thật xin lỗi Ông/Bà/tổ chức và hẹn trả kết quả giải "
			      "quyết hồ sơ vào: 09/12/2026 16:30.");
	assert_contains(text, "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà/tổ chức./.");
	assert_contains(text, "THỦ TRƯỞNG CƠ QUAN");
	assert_contains(text, "Ký, ghi rõ họ tên và đóng dấu");
	assert_contains(text, "Phạm Văn Dũng");
	free(text);
}

static const struct form_holder holders4[] = {
	{"Bộ phận Một cửa - " AGENCY, "Lê Thu Hà", "Tiếp nhận", "2026-11-28 09:15:02",
	 "2026-11-28 10:00:00", "2026-11-28 17:00:00", false},
	{"Công chức Tư pháp - Hộ tịch", "", "Thẩm định", "2026-11-28 10:00:00",
	 "2026-12-01 08:00:00", "2026-11-30 17:00:00", true},
	{"Lãnh đạo " AGENCY, "Vũ Minh Tuấn", "", "2026-12-01 08:00:00", "2026-12-01 15:00:00",
	 "2026-12-02 17:00:00", false},
	{"Bộ phận Một cửa - " AGENCY, NULL, "Trả kết quả", "2026-12-01 15:00:00", NULL, NULL,
	 false},
};

static void test_form05_control_slip(void **state)
{
	struct form_data f = sample(5);
	f.text = NULL;
	f.holders = holders4;
	f.nholders = 4;
	char *text = one_page(&f, "05.pdf", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
			      "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
	assert_contains(text, "Người nộp hồ sơ: Trần Thị Ngọc Ánh");
	assert_contains(text, "Thời gian nhận hồ sơ: 28/11/2026 09:15");
	assert_contains(text, "Ngày hẹn trả kết quả: 02/12/2026 16:30");
	assert_contains(text, "Tên cơ quan");
	assert_contains(text, "Thời gian giao nhận");
	assert_contains(text, "Kết quả (trước hạn, đúng hạn, quá hạn)");
	assert_contains(text, "Lê Thu Hà - Tiếp nhận");
	assert_contains(text, "Công chức Tư pháp - Hộ tịch Thẩm định");
	assert_contains(text, "Vũ Minh Tuấn");
	assert_contains(text,
			"Nhận: 28/11/2026 09:15 Giao: 28/11/2026 10:00 Hạn: 28/11/2026 17:00");
	assert_contains(text, "Nhận: 01/12/2026 15:00 Giao: (đang giữ hồ sơ)");
	/* The results, row by row, in order. */
	const char *r1 = strstr(text, "Đúng hạn"), *r2 = strstr(text, "Quá hạn");
	assert_non_null(r1);
	assert_non_null(r2);
	assert_true(r1 < r2);
	const char *r3 = strstr(r2, "Trước hạn"), *r4 = strstr(r2, "Đang giải quyết");
	assert_non_null(r3);
	assert_non_null(r4);
	assert_true(r3 < r4);
	free(text);
}

/* Every word box pdftotext -bbox reports lies inside the A4 page. */
static int words_inside(const char *path)
{
	char *html = pdfcheck_run("pdftotext -bbox '%s' -", path);
	int words = 0;
	for (const char *p = html; (p = strstr(p, "<word ")); p++) {
		double x0, y0, x1, y1;
		assert_int_equal(sscanf(p,
					"<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
					&x0, &y0, &x1, &y1),
				 4);
		if (x0 < 30 || x1 > PDFDOC_A4_WIDTH - 30 || y0 < 20 || y1 > PDFDOC_A4_HEIGHT - 30)
			fail_msg("word outside the page: %.80s", p);
		words++;
	}
	free(html);
	return words;
}

static void test_form05_many_holders_flow(void **state)
{
	enum { N = 300 };
	static struct form_holder many[N];
	static char units[N][160];
	for (int i = 0; i < N; i++) {
		/* Every tenth holder has a name long enough to wrap. */
		snprintf(units[i], sizeof(units[i]), "Đơn vị [H%03d]%s", i + 1,
			 i % 10 == 0 ? " Phòng Tư pháp và Hộ tịch, Văn phòng Hội đồng nhân dân "
				       "và Ủy ban nhân dân phường Hoa Lư"
				     : "");
		many[i] = (struct form_holder){units[i],
					       "Nguyễn Văn An",
					       "Thẩm định",
					       "2026-11-28 09:15:02",
					       "2026-11-28 10:00:00",
					       "2026-11-29 10:00:00",
					       i % 7 == 0};
	}
	struct form_data f = sample(5);
	f.holders = many;
	f.nholders = N;
	char *path = render(&f, "05-many.pdf");
	int pages = a4_pages(path, CODE);
	assert_true(pages >= 4);
	assert_true(words_inside(path) > 300 * 8);
	char *text = text_as(path, true);
	/* Every row, in order, once; later pages carry the code. */
	const char *at = text;
	for (int i = 0; i < N; i++) {
		char tag[16];
		snprintf(tag, sizeof(tag), "[H%03d]", i + 1);
		const char *hit = strstr(at, tag);
		if (!hit)
			fail_msg("row %s missing or out of order", tag);
		at = hit + 1;
		assert_null(strstr(at, tag));
	}
	char cont[64];
	snprintf(cont, sizeof(cont), "Mã hồ sơ: %s (trang %d)", CODE, pages);
	assert_contains(text, cont);
	assert_contains(text, "Mã hồ sơ: " CODE " (trang 2)");
	/* The heading is repeated on each page of the table (the signature
	 * may have the last page to itself). */
	int heads = 0;
	for (const char *p = text; (p = strstr(p, "Thời gian giao nhận")); p++)
		heads++;
	assert_true(heads == pages || heads == pages - 1);
	assert_contains(text, "NGƯỜI LẬP PHIẾU");
	free(text);
	free(path);
}

/* ---- refusals ---- */

static void expect_refused(const struct form_data *f, const char *why)
{
	buf out = BUF_INIT(1u << 20);
	char err[256];
	mc_status st = form_pdf(f, &out, err, sizeof(err));
	if (st != MC_INVALID)
		fail_msg("expected MC_INVALID for '%s', got %d (%s)", why, st, err);
	assert_contains(err, why);
	buf_release(&out);
}

static void test_bad_input_refused(void **state)
{
	struct form_data f = sample(2);
	f.form = 6;
	expect_refused(&f, "form: 6");
	f = sample(2);
	f.code = NULL;
	expect_refused(&f, "code: missing");
	f = sample(3);
	f.agency_name = "";
	expect_refused(&f, "agency_name: empty");
	f = sample(2);
	f.address = NULL;
	expect_refused(&f, "address: missing");
	f = sample(2);
	f.issued_at = "30/11/2026 10:05";
	expect_refused(&f, "issued_at");
	f = sample(2);
	f.issued_at = "2026-02-29 10:05:00"; /* 2026 is not a leap year */
	expect_refused(&f, "issued_at");
	f = sample(3);
	f.received_at = "2026-11-31 09:00:00";
	expect_refused(&f, "received_at");
	f = sample(2);
	f.text = "Bản sao \xe1\xbb"; /* cut in the middle of a letter */
	expect_refused(&f, "text: not valid UTF-8");
	f = sample(2);
	f.applicant_name = "Tr\xc3";
	expect_refused(&f, "applicant_name: not valid UTF-8");
	f = sample(2);
	f.text = " \n\r\n ";
	expect_refused(&f, "text: no document");
	f = sample(3);
	f.text = NULL;
	expect_refused(&f, "text: missing");

	/* Text over FORM_MAX_TEXT bytes; exactly the limit is fine. */
	char *big = malloc(FORM_MAX_TEXT + 2);
	assert_non_null(big);
	memset(big, 'a', FORM_MAX_TEXT + 1);
	big[FORM_MAX_TEXT + 1] = '\0';
	f = sample(2);
	f.text = big;
	expect_refused(&f, "text: longer than");
	f.procedure_name = big;
	expect_refused(&f, "procedure_name: longer than");
	big[FORM_MAX_TEXT] = '\0';
	f = sample(3);
	f.text = big;
	buf out = BUF_INIT(32u << 20);
	char err[256];
	assert_int_equal(form_pdf(&f, &out, err, sizeof(err)), MC_OK);
	buf_release(&out);
	free(big);

	/* Form 04 needs both dates, the new one later. */
	f = sample(4);
	f.new_due_at = NULL;
	expect_refused(&f, "new_due_at: missing");
	f = sample(4);
	f.due_at = NULL;
	expect_refused(&f, "due_at: missing");
	f = sample(4);
	f.new_due_at = f.due_at;
	expect_refused(&f, "new_due_at: not after due_at");
	f = sample(4);
	f.received_at = NULL;
	expect_refused(&f, "received_at: missing");

	/* Form 05's holders. */
	f = sample(5);
	f.nholders = 0;
	f.holders = holders4;
	expect_refused(&f, "holders: between 1 and");
	f.nholders = FORM_MAX_HOLDERS + 1;
	expect_refused(&f, "holders: between 1 and");
	struct form_holder bad[2] = {holders4[0], holders4[1]};
	bad[1].from_at = "2026-11-28";
	f.holders = bad;
	f.nholders = 2;
	expect_refused(&f, "holders[1].from_at");
	bad[1] = holders4[1];
	bad[1].until_at = "2026-11-27 10:00:00";
	expect_refused(&f, "holders[1].until_at: before from_at");
	bad[1] = holders4[1];
	bad[1].unit = NULL;
	expect_refused(&f, "holders[1].unit: missing");
	bad[1] = holders4[1];
	bad[1].task = "Th\xe1";
	expect_refused(&f, "holders[1].task: not valid UTF-8");

	/* A buffer too small for the PDF is an error, not a truncated file. */
	f = sample(2);
	buf small = BUF_INIT(2000);
	assert_int_equal(form_pdf(&f, &small, err, sizeof(err)), MC_INTERNAL);
	assert_contains(err, "larger than the output buffer");
	buf_release(&small);
}

/* ---- four threads at once ---- */

#define THREADS	   4
#define PER_THREAD 4

struct job {
	int id, failures;
	char code[64];
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	snprintf(j->code, sizeof(j->code), "000.00.16.H43-261128-%04d", 200 + j->id);
	for (int i = 0; i < PER_THREAD; i++) {
		struct form_data f = sample(2 + (j->id + i) % 4);
		f.code = j->code;
		f.holders = holders4;
		f.nholders = 4;
		buf out = BUF_INIT(16u << 20);
		char err[256];
		if (form_pdf(&f, &out, err, sizeof(err)) != MC_OK ||
		    memcmp(out.data, "%PDF-", 5) != 0)
			j->failures++;
		char path[256];
		snprintf(path, sizeof(path), "%s/thread%d-%d.pdf", pdfcheck_dir(), j->id, i);
		FILE *fp = fopen(path, "wb");
		if (!fp || fwrite(out.data, 1, out.len, fp) != out.len)
			j->failures++;
		if (fp)
			fclose(fp);
		buf_release(&out);
	}
	return NULL;
}

static void test_four_threads(void **state)
{
	pthread_t th[THREADS];
	struct job jobs[THREADS] = {0};
	for (int i = 0; i < THREADS; i++) {
		jobs[i].id = i;
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	static const char *const titles[4] = {"PHIẾU YÊU CẦU BỔ SUNG", "PHIẾU TỪ CHỐI TIẾP NHẬN",
					      "PHIẾU XIN LỖI VÀ HẸN LẠI",
					      "PHIẾU KIỂM SOÁT QUÁ TRÌNH"};
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(jobs[i].failures, 0);
		for (int k = 0; k < PER_THREAD; k++) {
			char path[256];
			snprintf(path, sizeof(path), "%s/thread%d-%d.pdf", pdfcheck_dir(), i, k);
			char *text = text_of(path);
			assert_contains(text, jobs[i].code);
			assert_contains(text, titles[(i + k) % 4]);
			free(text);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form02_supplement),
		cmocka_unit_test(test_form03_refusal),
		cmocka_unit_test(test_form04_apology),
		cmocka_unit_test(test_form05_control_slip),
		cmocka_unit_test(test_form05_many_holders_flow),
		cmocka_unit_test(test_bad_input_refused),
		cmocka_unit_test(test_four_threads),
	};
	return cmocka_run_group_tests(tests, pdfcheck_setup, pdfcheck_teardown);
}
