/*
 * forms.c - forms 02 to 05 of Circular 01/2018/TT-VPCP (phiếu yêu cầu bổ
 * sung, phiếu từ chối, phiếu xin lỗi, phiếu kiểm soát) as A4 portrait PDFs,
 * drawn with the machinery form 01 uses (pdfdoc.h).
 *
 * Every form: "Mẫu số 0N" top right; the agency (and for the desk's forms
 * "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ") top left beside the national motto;
 * the place and date under the motto; the title and the dossier code; the
 * applicant; the form's own text; the QR code of the lookup address when
 * given; the signature block. Dates in the body are dd/mm/yyyy HH:MM, the
 * date line is in words as on the paper form. The wording follows the
 * circular's appendix in our own words.
 *
 * This file must never touch the database or know about HTTP.
 */
#include "domain/forms.h"

#include <stdio.h>
#include <string.h>

#include "domain/pdfdoc.h"

/* Margins and sizes, in points. */
#define MARGIN_X 56.7 /* 20 mm */
#define MARGIN_T 42.5 /* 15 mm */
#define MARGIN_B 48.0
#define BODY_PT	 11.0
#define SMALL_PT 9.5
#define HEAD_PT	 9.5
#define TITLE_PT 13.0
#define QR_SIDE	 72.0
#define INDENT	 14.0 /* of numbered items; the number hangs */

/* What differs between the four forms. */
struct kind {
	const char *title;  /* upper case, on the page */
	const char *meta;   /* the PDF's title, before the code */
	bool desk;	    /* issued by the one-stop desk, not the agency's head */
	const char *signer; /* who signs, and how */
	const char *sign_how;
};

static const struct kind kinds[4] = {
	{"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", true,
	 "NGƯỜI HƯỚNG DẪN", "Ký và ghi rõ họ tên"},
	{"PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
	 true, "NGƯỜI TIẾP NHẬN HỒ SƠ", "Ký và ghi rõ họ tên"},
	{"PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
	 false, "THỦ TRƯỞNG CƠ QUAN", "Ký, ghi rõ họ tên và đóng dấu"},
	{"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
	 true, "NGƯỜI LẬP PHIẾU", "Ký và ghi rõ họ tên"},
};

/* "2026-11-28 09:15:02" -> "28/11/2026 09:15" (the stamp is checked). */
static void dmy(const char *stamp, char *out, size_t len)
{
	struct pdfdoc_stamp t;
	pdfdoc_parse_stamp(stamp, &t);
	snprintf(out, len, "%02d/%02d/%04d %02d:%02d", t.day, t.month, t.year, t.hour, t.minute);
}

/* "<b>label</b> dd/mm/yyyy HH:MM" as a paragraph. */
static void labelled_stamp(struct pdfdoc *d, const char *label, const char *stamp)
{
	char when[32];
	dmy(stamp, when, sizeof(when));
	pdfdoc_labelled(d, label, when);
}

/* ---- the parts every form has ---- */

static void header(struct pdfdoc *d, const struct form_data *f, const struct kind *k)
{
	char number[32];
	snprintf(number, sizeof(number), "<b>Mẫu số %02d</b>", f->form);
	PangoLayout *l = pdfdoc_layout(d, number, true, d->content_w, SMALL_PT, PDFDOC_REGULAR,
				       PANGO_ALIGN_RIGHT);
	cairo_move_to(d->cr, d->margin_x, d->y);
	pango_cairo_show_layout(d->cr, l);
	d->y += pdfdoc_layout_height(l) + 4;
	g_object_unref(l);

	double left_w = d->content_w * 0.45, gap = 6;
	char *upper = g_utf8_strup(f->agency_name, -1);
	char *m = k->desk ? g_markup_printf_escaped("%s\n<b>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</b>",
						    upper)
			  : g_markup_printf_escaped("<b>%s</b>", upper);
	g_free(upper);
	pdfdoc_motto(d, m, left_w, gap, HEAD_PT);
	g_free(m);

	struct pdfdoc_stamp t;
	pdfdoc_parse_stamp(f->issued_at, &t);
	char date[64];
	snprintf(date, sizeof(date), "ngày %02d tháng %02d năm %04d", t.day, t.month, t.year);
	char *line = f->place && *f->place
			     ? g_markup_printf_escaped("<i>%s, %s</i>", f->place, date)
			     : g_strdup_printf("<i>N%s</i>", date + 1); /* "Ngày ..." */
	pdfdoc_under_motto(d, line, left_w, gap, SMALL_PT + 0.5);
	g_free(line);
	d->y += 14;

	m = g_markup_printf_escaped("<b>%s</b>", k->title);
	pdfdoc_centred(d, m, TITLE_PT);
	g_free(m);
	d->y += 2;
	m = g_markup_printf_escaped("<b>Mã hồ sơ: %s</b>", f->code);
	pdfdoc_centred(d, m, BODY_PT);
	g_free(m);
	d->y += 12;
}

static void applicant(struct pdfdoc *d, const struct form_data *f, const char *whose)
{
	pdfdoc_labelled(d, whose, f->applicant_name);
	pdfdoc_labelled(d, "Địa chỉ:", f->address);
	char *m = g_markup_printf_escaped("<b>Số điện thoại:</b> %s      <b>Email:</b> %s",
					  f->phone, f->email);
	pdfdoc_paragraph(d, m, 0, 3);
	g_free(m);
	pdfdoc_labelled(d, "Nội dung yêu cầu giải quyết:", f->procedure_name);
	if (f->received_at)
		labelled_stamp(d, "Thời gian nhận hồ sơ:", f->received_at);
	d->y += 4;
}

/* The non-blank lines of text, each its own paragraph: numbered "1. ",
 * "2. " with the number hanging when numbered, else indented. */
static void lines(struct pdfdoc *d, const char *text, bool numbered)
{
	gchar **parts = g_strsplit(text, "\n", -1);
	int n = 0;
	for (gchar **s = parts; *s; s++) {
		g_strstrip(*s); /* also the '\r' of a CRLF line */
		if (!**s)
			continue;
		n++;
		char *m = numbered ? g_markup_printf_escaped("%d. %s", n, *s)
				   : g_markup_escape_text(*s, -1);
		PangoLayout *l = pdfdoc_layout(d, m, true, d->content_w - INDENT, d->body_pt,
					       PDFDOC_REGULAR, PANGO_ALIGN_LEFT);
		g_free(m);
		if (numbered)
			pango_layout_set_indent(l, (int)(-INDENT * PANGO_SCALE));
		pdfdoc_keep_together(d, pdfdoc_layout_height(l));
		pdfdoc_flow(d, l, d->margin_x + INDENT);
		d->y += 3;
		g_object_unref(l);
	}
	g_strfreev(parts);
	d->y += 3;
}

/* The number of non-blank lines in text. */
static int count_lines(const char *text)
{
	int n = 0;
	bool blank = true;
	for (const char *s = text;; s++) {
		if (*s == '\n' || *s == '\0') {
			n += !blank;
			blank = true;
			if (!*s)
				return n;
		} else if (*s != ' ' && *s != '\t' && *s != '\r') {
			blank = false;
		}
	}
}

static mc_status closing(struct pdfdoc *d, const struct form_data *f, const struct kind *k,
			 char *err, size_t errlen)
{
	if (f->lookup_url) {
		mc_status st = pdfdoc_qr_block(
			d, "<b>Tra cứu tình trạng hồ sơ:</b> quét mã QR hoặc truy cập",
			f->lookup_url, QR_SIDE, SMALL_PT, err, errlen);
		if (st != MC_OK)
			return st;
	}
	d->y += 6;
	char *right =
		f->officer_name
			? g_markup_printf_escaped("<b>%s</b>\n<i>(%s)</i>\n\n\n\n<b>%s</b>",
						  k->signer, k->sign_how, f->officer_name)
			: g_markup_printf_escaped("<b>%s</b>\n<i>(Thông báo trực tuyến trên Cổng "
						  "dịch vụ công)</i>",
						  k->signer);
	const char *left =
		f->form == 4 ? "<b><i>Nơi nhận:</i></b>\n- Như trên;\n- Lưu: hồ sơ." : NULL;
	pdfdoc_columns(d, left, right);
	g_free(right);
	return MC_OK;
}

/* ---- the forms' own text ---- */

static void form02(struct pdfdoc *d, const struct form_data *f)
{
	applicant(d, f, "Hồ sơ của:");
	pdfdoc_paragraph(d, "<b>Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:</b>", 0,
			 4);
	lines(d, f->text, true);
	pdfdoc_paragraph(d,
			 "Thời hạn giải quyết hồ sơ được tính lại từ đầu kể từ ngày Bộ phận tiếp "
			 "nhận và trả kết quả nhận đủ hồ sơ hợp lệ.",
			 0, 3);
	char *m =
		g_markup_printf_escaped("Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng "
					"mắc, Ông/Bà/tổ chức liên hệ Bộ phận tiếp nhận và trả kết "
					"quả %s để được hướng dẫn.",
					f->agency_name);
	pdfdoc_paragraph(d, m, 0, 6);
	g_free(m);
}

static void form03(struct pdfdoc *d, const struct form_data *f)
{
	char *m = g_markup_printf_escaped("Bộ phận tiếp nhận và trả kết quả %s", f->agency_name);
	pdfdoc_paragraph(d, m, 0, 3);
	g_free(m);
	applicant(d, f, "Tiếp nhận hồ sơ của:");
	pdfdoc_paragraph(d,
			 "Qua xem xét, Bộ phận tiếp nhận và trả kết quả thông báo không tiếp "
			 "nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
			 0, 4);
	lines(d, f->text, count_lines(f->text) > 1);
	pdfdoc_paragraph(d, "Xin thông báo để Ông/Bà/tổ chức được biết và thực hiện./.", 0, 6);
}

static void form04(struct pdfdoc *d, const struct form_data *f)
{
	char received[32], due[32], new_due[32];
	dmy(f->received_at, received, sizeof(received));
	dmy(f->due_at, due, sizeof(due));
	dmy(f->new_due_at, new_due, sizeof(new_due));
	pdfdoc_labelled(d, "Kính gửi:", f->applicant_name);
	d->y += 3;
	char *m = g_markup_printf_escaped("Ngày %s, %s đã tiếp nhận hồ sơ của Ông/Bà/tổ chức đề "
					  "nghị giải quyết thủ tục hành chính: %s; mã hồ sơ: %s.",
					  received, f->agency_name, f->procedure_name, f->code);
	pdfdoc_paragraph(d, m, 0, 3);
	g_free(m);
	pdfdoc_labelled(d, "Ngày hẹn trả kết quả:", due);
	m = g_markup_printf_escaped("Tuy nhiên, đến nay %s chưa trả được kết quả giải quyết hồ sơ "
				    "đúng hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
				    "vì lý do:",
				    f->agency_name);
	pdfdoc_paragraph(d, m, 0, 4);
	g_free(m);
	lines(d, f->text, false);
	m = g_markup_printf_escaped("Sự chậm trễ này đã gây phiền hà cho Ông/Bà/tổ chức. %s thành "
				    "thật xin lỗi Ông/Bà/tổ chức và hẹn trả kết quả giải quyết hồ "
				    "sơ vào: <b>%s</b>.",
				    f->agency_name, new_due);
	pdfdoc_paragraph(d, m, 0, 3);
	g_free(m);
	pdfdoc_paragraph(d, "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà/tổ chức./.", 0, 6);
}

/* Form 05's table: number, holder, times, result. Rows are kept whole on a
 * page when they fit on one; a page break repeats the heading. */
#define COL_NO	   24.0
#define COL_TIME   150.0
#define COL_RESULT 118.0
#define NCOLS	   4

static void col_geometry(const struct pdfdoc *d, double x[NCOLS], double w[NCOLS])
{
	w[0] = COL_NO;
	w[1] = d->content_w - COL_NO - COL_TIME - COL_RESULT;
	w[2] = COL_TIME;
	w[3] = COL_RESULT;
	x[0] = d->margin_x;
	for (int i = 1; i < NCOLS; i++)
		x[i] = x[i - 1] + w[i - 1];
}

static void table_heading(struct pdfdoc *d)
{
	static const char *const heads[NCOLS] = {"TT", "Tên cơ quan", "Thời gian giao nhận",
						 "Kết quả (trước hạn, đúng hạn, quá hạn)"};
	double x[NCOLS], w[NCOLS], h = 0;
	col_geometry(d, x, w);
	PangoLayout *ls[NCOLS];
	for (int i = 0; i < NCOLS; i++) {
		ls[i] = pdfdoc_layout(d, heads[i], false, w[i] - 4, SMALL_PT, PDFDOC_BOLD,
				      PANGO_ALIGN_CENTER);
		double lh = pdfdoc_layout_height(ls[i]);
		h = lh > h ? lh : h;
	}
	pdfdoc_keep_together(d, h + 40);
	pdfdoc_rule(d, d->margin_x, d->margin_x + d->content_w, d->y, 0.6);
	d->y += 2;
	for (int i = 0; i < NCOLS; i++) {
		cairo_move_to(d->cr, x[i] + 2, d->y);
		pango_cairo_show_layout(d->cr, ls[i]);
		g_object_unref(ls[i]);
	}
	d->y += h + 2;
	pdfdoc_rule(d, d->margin_x, d->margin_x + d->content_w, d->y, 0.6);
	d->y += 2;
}

/* "Trước hạn" (handed on a day before its due date or earlier), "Đúng hạn",
 * "Quá hạn" (late, as the caller says), "Đang giải quyết" (still held). */
static const char *holder_result(const struct form_holder *h)
{
	if (h->late)
		return "<b>Quá hạn</b>";
	if (!h->until_at)
		return "<i>Đang giải quyết</i>";
	if (h->due_at && strncmp(h->until_at, h->due_at, 10) < 0)
		return "Trước hạn";
	return "Đúng hạn";
}

static void holder_row(struct pdfdoc *d, int i, const struct form_holder *h)
{
	double x[NCOLS], w[NCOLS];
	col_geometry(d, x, w);
	char no[16], from[32], until[32], due[32];
	snprintf(no, sizeof(no), "%d", i + 1);
	dmy(h->from_at, from, sizeof(from));
	if (h->until_at)
		dmy(h->until_at, until, sizeof(until));
	if (h->due_at)
		dmy(h->due_at, due, sizeof(due));
	bool person = h->person && *h->person, task = h->task && *h->task;
	char *who = g_markup_printf_escaped("<b>%s</b>%s%s%s%s", h->unit,
					    person || task ? "\n" : "", person ? h->person : "",
					    person && task ? " - " : "", task ? h->task : "");
	char *when = g_strdup_printf("Nhận: %s\nGiao: %s%s%s", from,
				     h->until_at ? until : "(đang giữ hồ sơ)",
				     h->due_at ? "\nHạn: " : "", h->due_at ? due : "");
	const char *cells[NCOLS] = {no, who, when, holder_result(h)};
	PangoLayout *ls[NCOLS];
	double small_h = 0;
	for (int c = 0; c < NCOLS; c++) {
		ls[c] = pdfdoc_layout(d, cells[c], true, w[c] - 4, SMALL_PT, PDFDOC_REGULAR,
				      c == 1 || c == 2 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
		double lh = pdfdoc_layout_height(ls[c]);
		if (c != 1 && lh > small_h)
			small_h = lh;
	}
	g_free(who);
	g_free(when);
	double uh = pdfdoc_layout_height(ls[1]);
	double row_h = uh > small_h ? uh : small_h;
	/* Whole on this page, or on the next; a holder's name longer than a
	 * page flows line by line after the other cells. */
	if (d->y + row_h + 2 > d->bottom && row_h <= d->bottom - (d->margin_t + 60)) {
		pdfdoc_new_page(d);
		table_heading(d);
	}
	if (d->y + small_h + 2 > d->bottom) {
		pdfdoc_new_page(d);
		table_heading(d);
	}
	double y0 = d->y + 1;
	for (int c = 0; c < NCOLS; c++) {
		if (c == 1)
			continue;
		cairo_move_to(d->cr, x[c] + 2, y0);
		pango_cairo_show_layout(d->cr, ls[c]);
		g_object_unref(ls[c]);
	}
	int page0 = d->page;
	d->y = y0;
	pdfdoc_flow(d, ls[1], x[1] + 2);
	g_object_unref(ls[1]);
	if (d->page == page0 && d->y < y0 + small_h)
		d->y = y0 + small_h;
	d->y += 2;
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.6, 0.6, 0.6);
	pdfdoc_rule(d, d->margin_x, d->margin_x + d->content_w, d->y, 0.3);
	cairo_restore(d->cr);
	d->y += 1;
}

static void form05(struct pdfdoc *d, const struct form_data *f)
{
	char *m = g_markup_printf_escaped("<i>(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
					  "mã hồ sơ %s)</i>",
					  f->code);
	pdfdoc_paragraph(d, m, 0, 6);
	g_free(m);
	pdfdoc_labelled(d, "Người nộp hồ sơ:", f->applicant_name);
	pdfdoc_labelled(d, "Nội dung yêu cầu giải quyết:", f->procedure_name);
	labelled_stamp(d, "Thời gian nhận hồ sơ:", f->received_at);
	if (f->due_at)
		labelled_stamp(d, "Ngày hẹn trả kết quả:", f->due_at);
	pdfdoc_labelled(d, "Cơ quan (bộ phận) giải quyết hồ sơ:", f->agency_name);
	d->y += 6;
	table_heading(d);
	for (int i = 0; i < f->nholders; i++)
		holder_row(d, i, &f->holders[i]);
	d->y += 8;
}

/* ---- checks and the entry point ---- */

static bool text_ok(const char *what, const char *s, bool required, char *err, size_t errlen)
{
	return pdfdoc_text_ok(what, s, required, FORM_MAX_TEXT, err, errlen);
}

/* A string that may be empty but not NULL. */
static bool present_ok(const char *what, const char *s, char *err, size_t errlen)
{
	if (!s) {
		snprintf(err, errlen, "%s: missing", what);
		return false;
	}
	return text_ok(what, s, false, err, errlen);
}

/* A time stamp for field what: NULL only when optional. */
static bool stamp_ok(const char *what, const char *s, bool required, char *err, size_t errlen)
{
	struct pdfdoc_stamp t;
	if (!s && !required)
		return true;
	if (!s) {
		snprintf(err, errlen, "%s: missing", what);
		return false;
	}
	if (!pdfdoc_parse_stamp(s, &t)) {
		snprintf(err, errlen, "%s: not a date-time YYYY-MM-DD HH:MM:SS", what);
		return false;
	}
	return true;
}

static bool holders_valid(const struct form_data *f, char *err, size_t errlen)
{
	if (f->nholders < 1 || f->nholders > FORM_MAX_HOLDERS || !f->holders) {
		snprintf(err, errlen, "holders: between 1 and %d holders", FORM_MAX_HOLDERS);
		return false;
	}
	for (int i = 0; i < f->nholders; i++) {
		const struct form_holder *h = &f->holders[i];
		char what[64];
#define FIELD(name) (snprintf(what, sizeof(what), "holders[%d]." name, i), what)
		if (!text_ok(FIELD("unit"), h->unit, true, err, errlen) ||
		    !text_ok(FIELD("person"), h->person, false, err, errlen) ||
		    !text_ok(FIELD("task"), h->task, false, err, errlen) ||
		    !stamp_ok(FIELD("from_at"), h->from_at, true, err, errlen) ||
		    !stamp_ok(FIELD("until_at"), h->until_at, false, err, errlen) ||
		    !stamp_ok(FIELD("due_at"), h->due_at, false, err, errlen))
			return false;
		if (h->until_at && strcmp(h->until_at, h->from_at) < 0) {
			snprintf(err, errlen, "%s: before from_at", FIELD("until_at"));
			return false;
		}
#undef FIELD
	}
	return true;
}

static bool form_valid(const struct form_data *f, char *err, size_t errlen)
{
	if (f->form < 2 || f->form > 5) {
		snprintf(err, errlen, "form: %d is not 2, 3, 4 or 5", f->form);
		return false;
	}
	if (!text_ok("agency_name", f->agency_name, true, err, errlen) ||
	    !text_ok("code", f->code, true, err, errlen) ||
	    !text_ok("applicant_name", f->applicant_name, true, err, errlen) ||
	    !present_ok("address", f->address, err, errlen) ||
	    !present_ok("phone", f->phone, err, errlen) ||
	    !present_ok("email", f->email, err, errlen) ||
	    !text_ok("procedure_name", f->procedure_name, true, err, errlen) ||
	    !text_ok("officer_name", f->officer_name, false, err, errlen) ||
	    !text_ok("lookup_url", f->lookup_url, false, err, errlen) ||
	    !text_ok("place", f->place, false, err, errlen) ||
	    !text_ok("text", f->text, f->form != 5, err, errlen))
		return false;
	bool late = f->form == 4, slip = f->form == 5;
	if (!stamp_ok("issued_at", f->issued_at, true, err, errlen) ||
	    !stamp_ok("received_at", f->received_at, late || slip, err, errlen) ||
	    !stamp_ok("due_at", f->due_at, late, err, errlen) ||
	    !stamp_ok("new_due_at", f->new_due_at, late, err, errlen))
		return false;
	if (late && strcmp(f->new_due_at, f->due_at) <= 0) {
		snprintf(err, errlen, "new_due_at: not after due_at");
		return false;
	}
	if ((f->form == 2 || f->form == 3) && count_lines(f->text) == 0) {
		snprintf(err, errlen, "text: no %s given",
			 f->form == 2 ? "document or correction" : "reason");
		return false;
	}
	if (late && count_lines(f->text) == 0) {
		snprintf(err, errlen, "text: no reason given");
		return false;
	}
	return !slip || holders_valid(f, err, errlen);
}

mc_status form_pdf(const struct form_data *f, buf *out, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!form_valid(f, err, errlen))
		return MC_INVALID;
	const struct kind *k = &kinds[f->form - 2];
	struct pdfdoc d = {
		.width = PDFDOC_A4_WIDTH,
		.height = PDFDOC_A4_HEIGHT,
		.margin_x = MARGIN_X,
		.margin_t = MARGIN_T,
		.margin_b = MARGIN_B,
		.body_pt = BODY_PT,
		.small_pt = SMALL_PT,
		.code = f->code,
	};
	char *title = g_strdup_printf("%s %s", k->meta, f->code);
	mc_status st = pdfdoc_open(&d, out, title, err, errlen);
	g_free(title);
	if (st != MC_OK)
		return st;
	header(&d, f, k);
	switch (f->form) {
	case 2: form02(&d, f); break;
	case 3: form03(&d, f); break;
	case 4: form04(&d, f); break;
	default: form05(&d, f); break;
	}
	st = closing(&d, f, k, err, errlen);
	return pdfdoc_close(&d, st, err, errlen);
}
