/*
 * test_receipt.c - form 01 as a PDF (domain/receipt.h), read back with the
 * same tools a reader would use: pdftotext finds the code and every kind of
 * Vietnamese diacritic (compared after NFC), pdfinfo says A5, pdffonts says
 * the font is embedded DejaVu Serif, zbarimg decodes the QR code of a
 * 200 dpi rendering to the lookup URL, and pdftotext -bbox shows that long
 * text and many documents wrap and flow onto more pages without a word
 * outside the page. Four threads render at once; the time per receipt is
 * printed as a TAP comment. The electronic payment receipt (payreceipt.h)
 * is read back the same way: its amount in figures and in Vietnamese words
 * (format_money_words, tested on its own against the reading rules), the
 * method, the times, and the QR code of its verification address.
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
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/format.h"
#include "domain/payreceipt.h"
#include "domain/receipt.h"
#include "pdfcheck.h"

#define CODE "000.00.16.H43-261128-0007"
#define URL  "http://127.0.0.1:8080/tra-cuu?ma=" CODE

static const struct receipt_doc docs3[] = {
	{"Tờ khai đăng ký khai sinh (Mẫu số 01)", 1, 0},
	{"Giấy chứng sinh do cơ sở y tế cấp", 1, 1},
	{"Giấy tờ tùy thân (ỷ ỹ ự ữ)", 0, 2},
};

static struct receipt sample(void)
{
	return (struct receipt){
		.agency_name = "Ủy ban nhân dân phường Hoa Lư",
		.code = CODE,
		.applicant_name = "Nguyễn Thị Hường",
		.address = "Số 12 đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình",
		.phone = "0912345678",
		.email = "huong@example.vn",
		.procedure_name = "Đăng ký khai sinh",
		.docs = docs3,
		.ndocs = 3,
		.received_at = "2026-11-28 09:15:02",
		.due_at = "2026-12-02 16:30:00",
		.return_method = "desk",
		.return_address = NULL,
		.officer_name = "Đặng Quốc Việt",
		.lookup_url = URL,
	};
}

/* ---- helpers ---- */

static char *render_file(const struct receipt *rc, const char *name)
{
	buf out = BUF_INIT(16u << 20);
	char err[256];
	mc_status st = receipt_pdf(rc, &out, err, sizeof(err));
	if (st != MC_OK)
		fail_msg("receipt_pdf: %s", err);
	return pdfcheck_save(&out, name);
}

static char *nfc(char *s)
{
	char *n = (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
	assert_non_null(n);
	free(s);
	return n;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

/* pdftotext -layout may stretch one space into several: squeeze them. */
static char *squeeze(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++)
		if (!(*r == ' ' && w > s && w[-1] == ' '))
			*w++ = *r;
	*w = '\0';
	return s;
}

/* ---- tests ---- */

static void test_vietnamese_text(void **state)
{
	struct receipt rc = sample();
	char *path = render_file(&rc, "vi.pdf");
	char *text = squeeze(nfc(pdfcheck_run("pdftotext -layout -enc UTF-8 '%s' -", path)));
	assert_contains(text, CODE);
	assert_contains(text, "Mã hồ sơ: " CODE);
	assert_contains(text, "Nguyễn Thị Hường");
	assert_contains(text, "Đặng Quốc Việt");
	assert_contains(text, "ỷ ỹ ự ữ");
	assert_contains(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_contains(text, "Độc lập - Tự do - Hạnh phúc");
	assert_contains(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
	assert_contains(text, "ỦY BAN NHÂN DÂN PHƯỜNG");
	assert_contains(text, "Tiếp nhận hồ sơ của:");
	assert_contains(text, "Đăng ký khai sinh");
	assert_contains(text, "Giấy chứng sinh do cơ sở y tế cấp");
	assert_contains(text, "09 giờ 15 phút, ngày 28 tháng 11 năm 2026");
	assert_contains(text, "16 giờ 30 phút, ngày 02 tháng 12 năm 2026");
	assert_contains(text, "Ngày hẹn trả kết quả");
	assert_contains(text, "Trực tiếp tại Bộ phận tiếp nhận và trả");
	assert_contains(text, "NGƯỜI NỘP HỒ SƠ");
	assert_contains(text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
	assert_contains(text, "huong@example.vn");
	free(text);

	/* The font is the one asked for, embedded (a subset), not a fallback. */
	char *fonts = pdfcheck_run("pdffonts '%s'", path);
	assert_contains(fonts, "DejaVuSerif");
	assert_null(strstr(fonts, " no  ")); /* every font embedded */
	free(fonts);
	free(path);
}

static void test_page_is_a5(void **state)
{
	struct receipt rc = sample();
	char *path = render_file(&rc, "a5.pdf");
	char *info = pdfcheck_run("pdfinfo '%s'", path);
	/* A5 is 148 x 210 mm: 419.53 x 595.28 points. */
	const char *size = strstr(info, "Page size:");
	assert_non_null(size);
	double w, h;
	assert_int_equal(sscanf(size, "Page size: %lf x %lf pts", &w, &h), 2);
	assert_true(w > 419.0 && w < 420.0);
	assert_true(h > 595.0 && h < 595.6);
	assert_non_null(strstr(info, "Pages:") && strstr(strstr(info, "Pages:"), " 1\n"));
	assert_contains(info, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả " CODE);
	free(info);
	free(path);
}

static void test_qr_decodes_to_lookup_url(void **state)
{
	struct receipt rc = sample();
	char *path = render_file(&rc, "qr.pdf");
	char *decoded = pdfcheck_qr(path, "qr");
	assert_string_equal(decoded, URL "\n");
	free(decoded);
	free(path);
}

/* Every word box that pdftotext -bbox reports lies inside the page. */
static void assert_words_inside(const char *path, int *pages)
{
	char *html = pdfcheck_run("pdftotext -bbox '%s' -", path);
	*pages = 0;
	int words = 0;
	for (const char *p = html; (p = strstr(p, "<page ")); p++)
		(*pages)++;
	for (const char *p = html; (p = strstr(p, "<word ")); p++) {
		double x0, y0, x1, y1;
		assert_int_equal(sscanf(p,
					"<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
					&x0, &y0, &x1, &y1),
				 4);
		if (x0 < 20 || x1 > RECEIPT_PAGE_WIDTH - 20 || y0 < 10 ||
		    y1 > RECEIPT_PAGE_HEIGHT - 20)
			fail_msg("word outside the page: %.80s", p);
		words++;
	}
	assert_true(words > 100);
	free(html);
}

static void test_long_text_wraps_and_flows(void **state)
{
	/* A procedure name of ~2,400 bytes, one word of 300 letters without a
	 * space, 150 documents with long names. */
	buf name = BUF_INIT(1u << 16);
	for (int i = 0; i < 40; i++)
		buf_puts(&name, "Cấp đổi giấy chứng nhận quyền sử dụng đất ");
	for (int i = 0; i < 300; i++)
		buf_putc(&name, 'x');
	struct receipt_doc many[150];
	char names[150][200];
	for (int i = 0; i < 150; i++) {
		snprintf(names[i], sizeof(names[i]),
			 "Giấy tờ số %d: bản vẽ sơ đồ thửa đất, tài sản gắn liền với đất kèm "
			 "theo văn bản xác nhận của cơ quan có thẩm quyền",
			 i + 1);
		many[i] = (struct receipt_doc){names[i], i % 3, (i + 1) % 4};
	}
	struct receipt rc = sample();
	rc.procedure_name = name.data;
	rc.agency_name = "Văn phòng đăng ký đất đai thuộc Sở Nông nghiệp và Môi trường tỉnh "
			 "Ninh Bình, chi nhánh khu vực Hoa Lư - Tam Điệp - Nho Quan";
	rc.docs = many;
	rc.ndocs = 150;
	char *path = render_file(&rc, "long.pdf");
	int pages;
	assert_words_inside(path, &pages);
	assert_true(pages >= 3);
	char *text = squeeze(nfc(pdfcheck_run("pdftotext -layout '%s' -", path)));
	/* Later pages repeat the code; the last document and the signatures
	 * made it onto the paper. */
	assert_contains(text, "Mã hồ sơ: " CODE " (trang 2)");
	assert_contains(text, "Giấy tờ số 150:");
	assert_contains(text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
	free(text);
	free(path);
	buf_release(&name);
}

static void test_return_methods(void **state)
{
	struct receipt rc = sample();
	rc.return_method = "post";
	rc.return_address = "Thôn Yên Trạch, xã Gia Viễn, tỉnh Ninh Bình";
	rc.officer_name = NULL;
	char *path = render_file(&rc, "post.pdf");
	char *text = squeeze(nfc(pdfcheck_run("pdftotext -layout '%s' -", path)));
	assert_contains(text, "Qua dịch vụ bưu chính công ích");
	assert_contains(text, "Thôn Yên Trạch, xã Gia Viễn");
	assert_contains(text, "Tiếp nhận trực tuyến");
	free(text);
	free(path);

	rc.return_method = "online";
	path = render_file(&rc, "online.pdf");
	text = squeeze(nfc(pdfcheck_run("pdftotext -layout '%s' -", path)));
	assert_contains(text, "Trực tuyến, trên Cổng dịch vụ công");
	assert_null(strstr(text, "bưu chính"));
	free(text);
	free(path);
}

static void expect_refused(const struct receipt *rc, const char *why)
{
	buf out = BUF_INIT(1u << 20);
	char err[256];
	assert_int_equal(receipt_pdf(rc, &out, err, sizeof(err)), MC_INTERNAL);
	assert_contains(err, why);
	buf_release(&out);
}

static void test_bad_input_refused(void **state)
{
	struct receipt rc = sample();
	rc.received_at = "28/11/2026 09:15";
	expect_refused(&rc, "received_at");
	rc = sample();
	rc.due_at = "2026-13-01 00:00:00";
	expect_refused(&rc, "due_at");
	rc = sample();
	rc.applicant_name = "Nguy\xe1\xbb"; /* cut in the middle of a letter */
	expect_refused(&rc, "applicant_name: not valid UTF-8");
	rc = sample();
	rc.code = NULL;
	expect_refused(&rc, "code: missing");
	rc = sample();
	rc.return_method = "pigeon";
	expect_refused(&rc, "return_method");
	rc = sample();
	struct receipt_doc bad = {"Tờ khai", -1, 0};
	rc.docs = &bad;
	rc.ndocs = 1;
	expect_refused(&rc, "docs[0]");

	/* A buffer too small for the PDF is an error, not a truncated file. */
	rc = sample();
	buf small = BUF_INIT(2000);
	char err[256];
	assert_int_equal(receipt_pdf(&rc, &small, err, sizeof(err)), MC_INTERNAL);
	assert_contains(err, "larger than the output buffer");
	buf_release(&small);
}

/* ---- four threads at once ---- */

#define THREADS	   4
#define PER_THREAD 6

struct job {
	int id;
	int failures;
	char code[64];
	double ms;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	snprintf(j->code, sizeof(j->code), "000.00.16.H43-261128-%04d", 100 + j->id);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:8080/tra-cuu?ma=%s", j->code);
	struct receipt rc = sample();
	rc.code = j->code;
	rc.lookup_url = url;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < PER_THREAD; i++) {
		buf out = BUF_INIT(16u << 20);
		char err[256];
		if (receipt_pdf(&rc, &out, err, sizeof(err)) != MC_OK ||
		    memcmp(out.data, "%PDF-", 5) != 0)
			j->failures++;
		if (i == PER_THREAD - 1) {
			char path[256];
			snprintf(path, sizeof(path), "%s/thread%d.pdf", pdfcheck_dir(), j->id);
			FILE *f = fopen(path, "wb");
			if (!f || fwrite(out.data, 1, out.len, f) != out.len)
				j->failures++;
			if (f)
				fclose(f);
		}
		buf_release(&out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	j->ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
		PER_THREAD;
	return NULL;
}

static void test_four_threads(void **state)
{
	/* Warm this thread's font map first so the timing below is of
	 * rendering, then time one receipt alone. */
	struct receipt rc = sample();
	buf out = BUF_INIT(16u << 20);
	char err[256];
	assert_int_equal(receipt_pdf(&rc, &out, err, sizeof(err)), MC_OK);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 5; i++) {
		buf_reset(&out);
		assert_int_equal(receipt_pdf(&rc, &out, err, sizeof(err)), MC_OK);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double one =
		((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
		5;
	printf("# one receipt (warm, one thread): %.1f ms, %zu bytes\n", one, out.len);
	buf_release(&out);

	pthread_t th[THREADS];
	struct job jobs[THREADS] = {0};
	for (int i = 0; i < THREADS; i++) {
		jobs[i].id = i;
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(jobs[i].failures, 0);
		printf("# thread %d: %.1f ms per receipt (first includes its font map)\n", i,
		       jobs[i].ms);
		char path[256];
		snprintf(path, sizeof(path), "%s/thread%d.pdf", pdfcheck_dir(), i);
		char *text = pdfcheck_run("pdftotext -layout '%s' -", path);
		assert_contains(text, jobs[i].code);
		free(text);
	}
}

/* ---- the payment receipt ---- */

static void test_money_words(void **state)
{
	static const struct {
		int64_t n;
		const char *words;
	} cases[] = {
		{0, "Không đồng"},
		{5, "Năm đồng"},
		{10, "Mười đồng"},
		{11, "Mười một đồng"},
		{14, "Mười bốn đồng"},
		{15, "Mười lăm đồng"},
		{20, "Hai mươi đồng"},
		{21, "Hai mươi mốt đồng"},
		{24, "Hai mươi tư đồng"},
		{25, "Hai mươi lăm đồng"},
		{101, "Một trăm lẻ một đồng"},
		{104, "Một trăm lẻ bốn đồng"},
		{105, "Một trăm lẻ năm đồng"},
		{115, "Một trăm mười lăm đồng"},
		{1001, "Một nghìn không trăm lẻ một đồng"},
		{10000, "Mười nghìn đồng"},
		{50000, "Năm mươi nghìn đồng"},
		{1000005, "Một triệu không trăm lẻ năm đồng"},
		{1010000, "Một triệu không trăm mười nghìn đồng"},
		{1500000, "Một triệu năm trăm nghìn đồng"},
		{31250000, "Ba mươi mốt triệu hai trăm năm mươi nghìn đồng"},
		{2000000000, "Hai tỷ đồng"},
		{2000500000, "Hai tỷ năm trăm nghìn đồng"},
		{2500000000, "Hai tỷ năm trăm triệu đồng"},
		{2000000004, "Hai tỷ không trăm lẻ bốn đồng"},
		{10000000000, "Mười tỷ đồng"},
		{1000000000000, "Một nghìn tỷ đồng"},
	};
	arena *a = arena_new(0);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = format_money_words(a, cases[i].n);
		if (!got || strcmp(got, cases[i].words) != 0)
			fail_msg("%lld: '%s', want '%s'", (long long)cases[i].n,
				 got ? got : "(null)", cases[i].words);
	}
	assert_null(format_money_words(a, -1));
	arena_free(a);
}

#define PAY_URL "http://127.0.0.1:8080/ho-so/" CODE "/bien-lai/BL261129-0A1B2C3D"

static struct pay_receipt pay_sample(void)
{
	return (struct pay_receipt){
		.receipt_no = "BL261129-0A1B2C3D",
		.agency_name = "Sở Tư pháp tỉnh Ninh Bình",
		.payer = "Nguyễn Thị Hường",
		.code = CODE,
		.procedure_name = "Cấp Phiếu lý lịch tư pháp",
		.fee_item = "Phí, lệ phí giải quyết thủ tục hành chính",
		.amount = 1500000,
		.source = "qr-statement",
		.reference = "FT26332012345",
		.paid_at = "2026-11-29 08:05:00",
		.recorded_at = "2026-11-29 09:41:07",
		.bank = "Vietcombank",
		.account = "0011004020393",
		.verify_url = PAY_URL,
	};
}

static char *render_pay(const struct pay_receipt *p, const char *name)
{
	buf out = BUF_INIT(PAY_RECEIPT_BUF_MAX);
	char err[256];
	if (pay_receipt_pdf(p, &out, err, sizeof(err)) != MC_OK)
		fail_msg("pay_receipt_pdf: %s", err);
	return pdfcheck_save(&out, name);
}

static void test_payment_receipt(void **state)
{
	struct pay_receipt p = pay_sample();
	char *path = render_pay(&p, "bl.pdf");
	char *text = squeeze(nfc(pdfcheck_run("pdftotext -layout -enc UTF-8 '%s' -", path)));
	assert_contains(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_contains(text, "Độc lập - Tự do - Hạnh phúc");
	assert_contains(text, "SỞ TƯ PHÁP TỈNH NINH BÌNH");
	assert_contains(text, "Ngày 29 tháng 11 năm 2026");
	assert_contains(text, "BIÊN LAI THU PHÍ, LỆ PHÍ");
	assert_contains(text, "Số: BL261129-0A1B2C3D");
	assert_contains(text, "Đơn vị thu: Sở Tư pháp tỉnh Ninh Bình");
	assert_contains(text, "Người nộp: Nguyễn Thị Hường");
	assert_contains(text, "Mã hồ sơ: " CODE);
	assert_contains(text, "Thủ tục hành chính: Cấp Phiếu lý lịch tư pháp");
	assert_contains(text, "Khoản thu: Phí, lệ phí giải quyết thủ tục hành chính");
	assert_contains(text, "Số tiền: 1.500.000 đ");
	assert_contains(text, "Bằng chữ: Một triệu năm trăm nghìn đồng");
	assert_contains(text, "Hình thức thanh toán: Chuyển khoản qua mã QR (VietQR)");
	assert_contains(text, "Số tham chiếu: FT26332012345");
	assert_contains(text, "Tài khoản thu: Vietcombank 0011004020393");
	assert_contains(text, "Thời gian thanh toán: 29/11/2026 08:05");
	assert_contains(text, "Thời gian ghi nhận: 29/11/2026 09:41");
	assert_contains(text, "NGƯỜI NỘP TIỀN");
	free(text);
	char *info = pdfcheck_run("pdfinfo '%s'", path);
	assert_contains(info, "Biên lai thu phí, lệ phí BL261129-0A1B2C3D");
	assert_contains(info, "Pages:           1\n");
	free(info);

	char *decoded = pdfcheck_qr(path, "blqr");
	assert_string_equal(decoded, PAY_URL "\n");
	free(decoded);
	free(path);

	/* The other methods, and an amount whose words use lẻ and mốt. */
	p.source = "officer";
	p.amount = 21000005;
	p.bank = p.account = NULL;
	path = render_pay(&p, "bl2.pdf");
	text = squeeze(nfc(pdfcheck_run("pdftotext -layout -enc UTF-8 '%s' -", path)));
	assert_contains(text, "Tiền mặt tại Bộ phận một cửa");
	assert_contains(text, "Số tiền: 21.000.005 đ");
	assert_contains(text, "Hai mươi mốt triệu không trăm lẻ năm đồng");
	assert_null(strstr(text, "Tài khoản thu"));
	free(text);
	free(path);
	p.source = "gateway";
	path = render_pay(&p, "bl3.pdf");
	text = squeeze(nfc(pdfcheck_run("pdftotext -layout -enc UTF-8 '%s' -", path)));
	assert_contains(text, "Cổng thanh toán trực tuyến");
	free(text);
	free(path);
}

static void test_payment_receipt_refused(void **state)
{
	struct {
		struct pay_receipt p;
		const char *why;
	} bad[6];
	for (int i = 0; i < 6; i++)
		bad[i].p = pay_sample();
	bad[0].p.amount = 0;
	bad[0].why = "amount";
	bad[1].p.source = "cash";
	bad[1].why = "source";
	bad[2].p.paid_at = "29/11/2026";
	bad[2].why = "paid_at";
	bad[3].p.payer = "";
	bad[3].why = "payer";
	bad[4].p.reference = "\xC3\x28";
	bad[4].why = "reference";
	bad[5].p.verify_url = NULL;
	bad[5].why = "verify_url";
	for (int i = 0; i < 6; i++) {
		buf out = BUF_INIT(PAY_RECEIPT_BUF_MAX);
		char err[256];
		assert_int_equal(pay_receipt_pdf(&bad[i].p, &out, err, sizeof(err)), MC_INTERNAL);
		if (strncmp(err, bad[i].why, strlen(bad[i].why)) != 0)
			fail_msg("case %d: '%s', want '%s...'", i, err, bad[i].why);
		buf_release(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vietnamese_text),
		cmocka_unit_test(test_page_is_a5),
		cmocka_unit_test(test_qr_decodes_to_lookup_url),
		cmocka_unit_test(test_long_text_wraps_and_flows),
		cmocka_unit_test(test_return_methods),
		cmocka_unit_test(test_bad_input_refused),
		cmocka_unit_test(test_four_threads),
		cmocka_unit_test(test_money_words),
		cmocka_unit_test(test_payment_receipt),
		cmocka_unit_test(test_payment_receipt_refused),
	};
	return cmocka_run_group_tests(tests, pdfcheck_setup, pdfcheck_teardown);
}
