/*
 * receipt.c - form 01, the receipt and appointment slip, drawn with the
 * shared machinery of pdfdoc.h (cairo PDF surface, pango text, per-thread
 * font maps, page flow, vector QR code).
 *
 * Layout: the national header, the title and code, the applicant, the
 * table of documents (rows kept whole on a page when they fit, the heading
 * repeated after a page break), the times, the QR code of the lookup
 * address and the two signatures. This file must never touch the database
 * or know about HTTP.
 */
#include "domain/receipt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/pdfdoc.h"

/* Margins and column sizes, in points. */
#define MARGIN_X  34.0 /* 12 mm */
#define MARGIN_T  28.0
#define MARGIN_B  34.0
#define CONTENT_W (RECEIPT_PAGE_WIDTH - 2 * MARGIN_X)
#define BOTTOM	  (RECEIPT_PAGE_HEIGHT - MARGIN_B)
#define BODY_PT	  9.5
#define SMALL_PT  8.5
#define HEAD_PT	  7.5
#define QR_SIDE	  72.0 /* about 25 mm: ~6 px per module at 200 dpi for a 60-byte URL */

/* ---- the parts of the form ---- */

/* "09 giờ 15 phút, ngày 28 tháng 11 năm 2026" */
static void stamp_words(const char *s, char *out, size_t len)
{
	struct pdfdoc_stamp t;
	pdfdoc_parse_stamp(s, &t);
	snprintf(out, len, "%02d giờ %02d phút, ngày %02d tháng %02d năm %04d", t.hour, t.minute,
		 t.day, t.month, t.year);
}

static void header(struct pdfdoc *p, const struct receipt *rc)
{
	double left_w = CONTENT_W * 0.38, gap = 4;
	char *upper = g_utf8_strup(rc->agency_name, -1);
	char *m = g_markup_printf_escaped("%s\n<b>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</b>", upper);
	g_free(upper);
	pdfdoc_motto(p, m, left_w, gap, HEAD_PT);
	g_free(m);

	struct pdfdoc_stamp t;
	pdfdoc_parse_stamp(rc->received_at, &t);
	char date[96];
	snprintf(date, sizeof(date), "<i>Ngày %02d tháng %02d năm %04d</i>", t.day, t.month,
		 t.year);
	pdfdoc_under_motto(p, date, left_w, gap, SMALL_PT);
	p->y += 12;

	pdfdoc_centred(p, "<b>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</b>", 12);
	p->y += 2;
	m = g_markup_printf_escaped("<b>Mã hồ sơ: %s</b>", rc->code);
	pdfdoc_centred(p, m, 10.5);
	g_free(m);
	p->y += 10;
}

static void applicant(struct pdfdoc *p, const struct receipt *rc)
{
	char *m = g_markup_printf_escaped("Bộ phận tiếp nhận và trả kết quả %s", rc->agency_name);
	pdfdoc_paragraph(p, m, 0, 3);
	g_free(m);
	pdfdoc_labelled(p, "Tiếp nhận hồ sơ của:", rc->applicant_name);
	pdfdoc_labelled(p, "Địa chỉ:", rc->address);
	m = g_markup_printf_escaped("<b>Số điện thoại:</b> %s      <b>Email:</b> %s", rc->phone,
				    rc->email);
	pdfdoc_paragraph(p, m, 0, 3);
	g_free(m);
	pdfdoc_labelled(p, "Nội dung yêu cầu giải quyết:", rc->procedure_name);
	p->y += 3;
}

/* The table of documents: number, name, originals, copies. Rows are kept
 * whole on a page when they fit on one; a page break repeats the heading. */
#define COL_NO	  22.0
#define COL_COUNT 54.0
#define COL_NAME  (CONTENT_W - COL_NO - 2 * COL_COUNT)

static double table_heading(struct pdfdoc *p)
{
	static const char *const heads[4] = {"TT", "Tên giấy tờ", "Bản chính", "Bản sao"};
	double widths[4] = {COL_NO, COL_NAME, COL_COUNT, COL_COUNT};
	double x = MARGIN_X, h = 0;
	PangoLayout *ls[4];
	for (int i = 0; i < 4; i++) {
		ls[i] = pdfdoc_layout(p, heads[i], false, widths[i] - 4, SMALL_PT, PDFDOC_BOLD,
				      i == 1 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
		double lh = pdfdoc_layout_height(ls[i]);
		h = lh > h ? lh : h;
	}
	pdfdoc_keep_together(p, h + 30);
	pdfdoc_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.6);
	p->y += 2;
	for (int i = 0; i < 4; i++) {
		cairo_move_to(p->cr, x + 2, p->y);
		pango_cairo_show_layout(p->cr, ls[i]);
		x += widths[i];
		g_object_unref(ls[i]);
	}
	p->y += h + 2;
	pdfdoc_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.6);
	p->y += 2;
	return h;
}

static void documents(struct pdfdoc *p, const struct receipt *rc)
{
	pdfdoc_paragraph(p, "<b>1. Thành phần hồ sơ nộp gồm:</b>", 0, 3);
	if (rc->ndocs == 0) {
		pdfdoc_paragraph(p, "<i>(Không có giấy tờ kèm theo)</i>", 12, 4);
		return;
	}
	table_heading(p);
	for (int i = 0; i < rc->ndocs; i++) {
		const struct receipt_doc *d = &rc->docs[i];
		char no[16], orig[16], copy[16];
		snprintf(no, sizeof(no), "%d", i + 1);
		snprintf(orig, sizeof(orig), "%d", d->originals);
		snprintf(copy, sizeof(copy), "%d", d->copies);
		PangoLayout *name = pdfdoc_layout(p, d->name, false, COL_NAME - 4, BODY_PT,
						  PDFDOC_REGULAR, PANGO_ALIGN_LEFT);
		double h = pdfdoc_layout_height(name);
		if (p->y + h > BOTTOM && h <= BOTTOM - (MARGIN_T + 60)) {
			pdfdoc_new_page(p);
			table_heading(p);
		}
		/* The number and counts sit on the row's first line. */
		const char *cells[3] = {no, orig, copy};
		double xs[3] = {MARGIN_X, MARGIN_X + COL_NO + COL_NAME,
				MARGIN_X + COL_NO + COL_NAME + COL_COUNT};
		double ws[3] = {COL_NO, COL_COUNT, COL_COUNT};
		PangoLayout *first = pdfdoc_layout(p, cells[0], false, ws[0] - 4, BODY_PT,
						   PDFDOC_REGULAR, PANGO_ALIGN_CENTER);
		double fh = pdfdoc_layout_height(first);
		g_object_unref(first);
		if (p->y + fh > BOTTOM) {
			pdfdoc_new_page(p);
			table_heading(p);
		}
		for (int c = 0; c < 3; c++) {
			PangoLayout *l = pdfdoc_layout(p, cells[c], false, ws[c] - 4, BODY_PT,
						       PDFDOC_REGULAR, PANGO_ALIGN_CENTER);
			cairo_move_to(p->cr, xs[c] + 2, p->y + 1);
			pango_cairo_show_layout(p->cr, l);
			g_object_unref(l);
		}
		p->y += 1;
		pdfdoc_flow(p, name, MARGIN_X + COL_NO + 2);
		g_object_unref(name);
		p->y += 2;
		cairo_save(p->cr);
		cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
		pdfdoc_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.3);
		cairo_restore(p->cr);
		p->y += 1;
	}
	p->y += 5;
}

static const char *return_words(const struct receipt *rc, char **owned)
{
	*owned = NULL;
	const char *addr = rc->return_address && *rc->return_address ? rc->return_address : NULL;
	if (strcmp(rc->return_method, "online") == 0)
		return "Trực tuyến, trên Cổng dịch vụ công (kết quả điện tử gửi vào tài khoản "
		       "của người nộp)";
	if (strcmp(rc->return_method, "post") == 0) {
		*owned = g_strdup_printf("Qua dịch vụ bưu chính công ích, gửi đến: %s",
					 addr ? addr : rc->address);
		return *owned;
	}
	*owned = g_strdup_printf("Trực tiếp tại Bộ phận tiếp nhận và trả kết quả%s%s",
				 addr ? ", " : "", addr ? addr : "");
	return *owned;
}

static void times(struct pdfdoc *p, const struct receipt *rc)
{
	char words[128];
	pdfdoc_paragraph(p, "<b>2. Số lượng hồ sơ:</b> 01 (bộ)", 0, 3);
	stamp_words(rc->received_at, words, sizeof(words));
	pdfdoc_labelled(p, "3. Thời gian nhận hồ sơ:", words);
	stamp_words(rc->due_at, words, sizeof(words));
	pdfdoc_labelled(p, "4. Ngày hẹn trả kết quả:", words);
	char *owned;
	const char *how = return_words(rc, &owned);
	pdfdoc_labelled(p, "5. Đăng ký nhận kết quả:", how);
	g_free(owned);
	p->y += 4;
}

static void signatures(struct pdfdoc *p, const struct receipt *rc)
{
	char *left_m = g_markup_printf_escaped("<b>NGƯỜI NỘP HỒ SƠ</b>\n<i>(Ký và ghi rõ họ "
					       "tên)</i>\n\n\n\n<b>%s</b>",
					       rc->applicant_name);
	char *right_m =
		rc->officer_name
			? g_markup_printf_escaped("<b>NGƯỜI TIẾP NHẬN HỒ SƠ</b>\n<i>(Ký và ghi rõ "
						  "họ tên)</i>\n\n\n\n<b>%s</b>",
						  rc->officer_name)
			: g_strdup("<b>NGƯỜI TIẾP NHẬN HỒ SƠ</b>\n<i>(Tiếp nhận trực tuyến trên "
				   "Cổng dịch vụ công)</i>");
	pdfdoc_columns(p, left_m, right_m);
	g_free(left_m);
	g_free(right_m);
}

/* ---- checks and the entry point ---- */

static bool text_ok(const char *what, const char *s, bool required, char *err, size_t errlen)
{
	return pdfdoc_text_ok(what, s, required, RECEIPT_MAX_TEXT, err, errlen);
}

static bool receipt_valid(const struct receipt *rc, char *err, size_t errlen)
{
	if (!text_ok("agency_name", rc->agency_name, true, err, errlen) ||
	    !text_ok("code", rc->code, true, err, errlen) ||
	    !text_ok("applicant_name", rc->applicant_name, true, err, errlen) ||
	    !text_ok("address", rc->address, false, err, errlen) ||
	    !text_ok("phone", rc->phone, false, err, errlen) ||
	    !text_ok("email", rc->email, false, err, errlen) ||
	    !text_ok("procedure_name", rc->procedure_name, true, err, errlen) ||
	    !text_ok("return_method", rc->return_method, true, err, errlen) ||
	    !text_ok("return_address", rc->return_address, false, err, errlen) ||
	    !text_ok("officer_name", rc->officer_name, false, err, errlen) ||
	    !text_ok("lookup_url", rc->lookup_url, true, err, errlen))
		return false;
	/* address, phone and email may be empty strings but not NULL. */
	if (!rc->address || !rc->phone || !rc->email) {
		snprintf(err, errlen, "%s: missing",
			 !rc->address ? "address"
			 : !rc->phone ? "phone"
				      : "email");
		return false;
	}
	struct pdfdoc_stamp t;
	if (!pdfdoc_parse_stamp(rc->received_at, &t)) {
		snprintf(err, errlen, "received_at: not YYYY-MM-DD HH:MM:SS");
		return false;
	}
	if (!pdfdoc_parse_stamp(rc->due_at, &t)) {
		snprintf(err, errlen, "due_at: not YYYY-MM-DD HH:MM:SS");
		return false;
	}
	if (strcmp(rc->return_method, "online") != 0 && strcmp(rc->return_method, "desk") != 0 &&
	    strcmp(rc->return_method, "post") != 0) {
		snprintf(err, errlen, "return_method: not online, desk or post");
		return false;
	}
	if (rc->ndocs < 0 || rc->ndocs > RECEIPT_MAX_DOCS || (rc->ndocs > 0 && !rc->docs)) {
		snprintf(err, errlen, "docs: between 0 and %d documents", RECEIPT_MAX_DOCS);
		return false;
	}
	for (int i = 0; i < rc->ndocs; i++) {
		char what[32];
		snprintf(what, sizeof(what), "docs[%d].name", i);
		if (!text_ok(what, rc->docs[i].name, true, err, errlen))
			return false;
		if (rc->docs[i].originals < 0 || rc->docs[i].originals > 99 ||
		    rc->docs[i].copies < 0 || rc->docs[i].copies > 99) {
			snprintf(err, errlen, "docs[%d]: counts must be 0 to 99", i);
			return false;
		}
	}
	return true;
}

mc_status receipt_pdf(const struct receipt *rc, buf *out, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!receipt_valid(rc, err, errlen))
		return MC_INTERNAL;
	struct pdfdoc p = {
		.width = RECEIPT_PAGE_WIDTH,
		.height = RECEIPT_PAGE_HEIGHT,
		.margin_x = MARGIN_X,
		.margin_t = MARGIN_T,
		.margin_b = MARGIN_B,
		.body_pt = BODY_PT,
		.small_pt = SMALL_PT,
		.code = rc->code,
	};
	char *title = g_strdup_printf("Giấy tiếp nhận hồ sơ và hẹn trả kết quả %s", rc->code);
	mc_status st = pdfdoc_open(&p, out, title, err, errlen);
	g_free(title);
	if (st != MC_OK)
		return st;
	header(&p, rc);
	applicant(&p, rc);
	documents(&p, rc);
	times(&p, rc);
	st = pdfdoc_qr_block(&p,
			     "<b>6. Tra cứu tình trạng hồ sơ:</b> quét mã QR hoặc "
			     "truy cập",
			     rc->lookup_url, QR_SIDE, SMALL_PT, err, errlen);
	if (st == MC_OK)
		signatures(&p, rc);
	return pdfdoc_close(&p, st, err, errlen);
}
