/*
 * payreceipt.c - the electronic payment receipt as an A5 PDF (see
 * payreceipt.h), drawn with the shared machinery of pdfdoc.h like form 01.
 *
 * Layout: the national header with the collecting agency, the date, the
 * title and number, the facts of the payment one per line (the amount in
 * figures and in words), the QR code of the verification address and the
 * two signature columns.
 */
#include "domain/payreceipt.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/format.h"
#include "domain/payment.h"
#include "domain/payverify.h"
#include "domain/pdfdoc.h"

#define PAGE_WIDTH  419.5276 /* A5: 148 x 210 mm */
#define PAGE_HEIGHT 595.2756
#define MARGIN_X    34.0
#define MARGIN_T    28.0
#define MARGIN_B    34.0
#define CONTENT_W   (PAGE_WIDTH - 2 * MARGIN_X)
#define BODY_PT	    9.5
#define SMALL_PT    8.5
#define HEAD_PT	    7.5
#define QR_SIDE	    72.0

const char *pay_receipt_method(const char *source)
{
	if (!source)
		return NULL;
	if (strcmp(source, "qr-statement") == 0)
		return "Chuyển khoản qua mã QR (VietQR)";
	if (strcmp(source, "gateway") == 0)
		return "Cổng thanh toán trực tuyến";
	if (strcmp(source, "officer") == 0)
		return "Tiền mặt tại Bộ phận một cửa";
	return NULL;
}

/* "YYYY-MM-DD HH:MM:SS" -> "dd/mm/yyyy HH:MM" (checked before). */
static void shown(const char *s, char out[17])
{
	snprintf(out, 17, "%.2s/%.2s/%.4s %.5s", s + 8, s + 5, s, s + 11);
}

static void header(struct pdfdoc *d, const struct pay_receipt *p)
{
	double left_w = CONTENT_W * 0.42, gap = 4;
	char *upper = g_utf8_strup(p->agency_name, -1);
	char *m = g_markup_printf_escaped("<b>%s</b>", upper);
	g_free(upper);
	pdfdoc_motto(d, m, left_w, gap, HEAD_PT);
	g_free(m);
	struct pdfdoc_stamp t;
	pdfdoc_parse_stamp(p->recorded_at, &t);
	char date[96];
	snprintf(date, sizeof(date), "<i>Ngày %02d tháng %02d năm %04d</i>", t.day, t.month,
		 t.year);
	pdfdoc_under_motto(d, date, left_w, gap, SMALL_PT);
	d->y += 12;
	pdfdoc_centred(d, "<b>BIÊN LAI THU PHÍ, LỆ PHÍ</b>", 12);
	pdfdoc_centred(d, "<i>(Biên lai điện tử)</i>", SMALL_PT);
	d->y += 2;
	m = g_markup_printf_escaped("<b>Số: %s</b>", p->receipt_no);
	pdfdoc_centred(d, m, 10.5);
	g_free(m);
	d->y += 10;
}

static void facts(struct pdfdoc *d, const struct pay_receipt *p)
{
	char paid[17], recorded[17];
	shown(p->paid_at, paid);
	shown(p->recorded_at, recorded);
	buf b = BUF_INIT(1u << 16);
	pdfdoc_labelled(d, "Đơn vị thu:", p->agency_name);
	pdfdoc_labelled(d, "Người nộp:", p->payer);
	pdfdoc_labelled(d, "Mã hồ sơ:", p->code);
	pdfdoc_labelled(d, "Thủ tục hành chính:", p->procedure_name);
	pdfdoc_labelled(d, "Khoản thu:", p->fee_item);
	/* Figures and words from the same number: format.h's two readings. */
	arena *a = arena_new(1024);
	pdfdoc_labelled(d, "Số tiền:", format_money_vnd(a, p->amount));
	pdfdoc_labelled(d, "Bằng chữ:", format_money_words(a, p->amount));
	arena_free(a);
	pdfdoc_labelled(d, "Hình thức thanh toán:", pay_receipt_method(p->source));
	pdfdoc_labelled(d, "Số tham chiếu:", p->reference);
	if (p->account && *p->account) {
		buf_printf(&b, "%s %s", p->bank ? p->bank : "", p->account);
		pdfdoc_labelled(d, "Tài khoản thu:", buf_str(&b));
	}
	pdfdoc_labelled(d, "Thời gian thanh toán:", paid);
	pdfdoc_labelled(d, "Thời gian ghi nhận:", recorded);
	buf_release(&b);
	d->y += 6;
}

static bool text_ok(const char *what, const char *s, bool required, char *err, size_t errlen)
{
	return pdfdoc_text_ok(what, s, required, PAY_RECEIPT_MAX_TEXT, err, errlen);
}

static bool receipt_valid(const struct pay_receipt *p, char *err, size_t errlen)
{
	if (!text_ok("receipt_no", p->receipt_no, true, err, errlen) ||
	    !text_ok("agency_name", p->agency_name, true, err, errlen) ||
	    !text_ok("payer", p->payer, true, err, errlen) ||
	    !text_ok("code", p->code, true, err, errlen) ||
	    !text_ok("procedure_name", p->procedure_name, true, err, errlen) ||
	    !text_ok("fee_item", p->fee_item, true, err, errlen) ||
	    !text_ok("reference", p->reference, true, err, errlen) ||
	    !text_ok("bank", p->bank, false, err, errlen) ||
	    !text_ok("account", p->account, false, err, errlen) ||
	    !text_ok("verify_url", p->verify_url, true, err, errlen))
		return false;
	if (!pay_receipt_method(p->source)) {
		snprintf(err, errlen, "source: not qr-statement, gateway or officer");
		return false;
	}
	if (p->amount <= 0 || p->amount > PAY_MAX_AMOUNT) {
		snprintf(err, errlen, "amount: not 1 to %lld đồng", (long long)PAY_MAX_AMOUNT);
		return false;
	}
	struct pdfdoc_stamp t;
	if (!pdfdoc_parse_stamp(p->paid_at, &t)) {
		snprintf(err, errlen, "paid_at: not YYYY-MM-DD HH:MM:SS");
		return false;
	}
	if (!pdfdoc_parse_stamp(p->recorded_at, &t)) {
		snprintf(err, errlen, "recorded_at: not YYYY-MM-DD HH:MM:SS");
		return false;
	}
	return true;
}

mc_status pay_receipt_pdf(const struct pay_receipt *p, buf *out, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!receipt_valid(p, err, errlen))
		return MC_INTERNAL;
	struct pdfdoc d = {
		.width = PAGE_WIDTH,
		.height = PAGE_HEIGHT,
		.margin_x = MARGIN_X,
		.margin_t = MARGIN_T,
		.margin_b = MARGIN_B,
		.body_pt = BODY_PT,
		.small_pt = SMALL_PT,
		.code = p->receipt_no,
	};
	char *title = g_strdup_printf("Biên lai thu phí, lệ phí %s", p->receipt_no);
	mc_status st = pdfdoc_open(&d, out, title, err, errlen);
	g_free(title);
	if (st != MC_OK)
		return st;
	header(&d, p);
	facts(&d, p);
	st = pdfdoc_qr_block(&d, "<b>Kiểm tra biên lai:</b> quét mã QR hoặc truy cập",
			     p->verify_url, QR_SIDE, SMALL_PT, err, errlen);
	if (st == MC_OK) {
		char *left =
			g_markup_printf_escaped("<b>NGƯỜI NỘP TIỀN</b>\n\n\n<b>%s</b>", p->payer);
		char *right = g_markup_printf_escaped(
			"<b>ĐƠN VỊ THU</b>\n<i>(Biên lai điện tử, lập từ dữ liệu thanh toán)</i>"
			"\n\n<b>%s</b>",
			p->agency_name);
		pdfdoc_columns(&d, left, right);
		g_free(left);
		g_free(right);
	}
	return pdfdoc_close(&d, st, err, errlen);
}

/* ---- the stored payment ---- */

mc_status pay_receipt_load(db_conn *c, arena *a, const char *code, const char *no, const char *base,
			   struct pay_receipt *out)
{
	db_result *r;
	mc_status rc = db_query(
		c, a,
		"SELECT p.receipt_no, g.name, d.applicant, d.code, pr.name, p.amount, p.source, "
		"p.reference, p.paid_at, p.recorded_at, b.bin, b.account FROM " PAY_RECEIPT_FROM
		" JOIN procedure pr ON pr.code = d.procedure_code"
		" LEFT JOIN agency_bank b ON b.agency_code = d.agency_code"
		" WHERE " PAY_RECEIPT_WHERE,
		DB_ARGS(DB_TEXT(code), DB_TEXT(no)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	json_t *j = json_loads(db_text(r, 0, 2) ? db_text(r, 0, 2) : "{}", 0, NULL);
	const char *payer = json_string_value(json_object_get(j, "name"));
	payer = arena_strdup(a, payer && *payer ? payer : "-");
	json_decref(j);
	const char *bin = db_text(r, 0, 10);
	*out = (struct pay_receipt){
		.receipt_no = db_text(r, 0, 0),
		.agency_name = db_text(r, 0, 1),
		.payer = payer,
		.code = db_text(r, 0, 3),
		.procedure_name = db_text(r, 0, 4),
		.fee_item = "Phí, lệ phí giải quyết thủ tục hành chính",
		.amount = db_int(r, 0, 5),
		.source = db_text(r, 0, 6),
		.reference = db_text(r, 0, 7),
		.paid_at = db_text(r, 0, 8),
		.recorded_at = db_text(r, 0, 9),
		.bank = bin ? pay_bank_name(bin) : NULL,
		.account = db_text(r, 0, 11),
		.verify_url = payverify_url(a, base, db_text(r, 0, 3), db_text(r, 0, 0)),
	};
	return MC_OK;
}
