/*
 * receipt.c - form 01, the receipt and appointment slip, drawn with cairo
 * (PDF surface) and pango (text shaping and line breaking), the QR code made
 * by libqrencode and drawn as vector rectangles so it stays sharp at any
 * zoom and in print.
 *
 * Layout: a pen walks down the page; every block is measured first, kept
 * together when it fits on one page, and otherwise flows line by line onto
 * the next page, which repeats the dossier code at its top. Nothing is drawn
 * past the bottom margin and no line is wider than its column (words longer
 * than a column are broken between characters).
 *
 * Threads: pango's font maps and contexts are not thread-safe, so each
 * thread keeps its own PangoFontMap (a pthread key frees it when the thread
 * ends). fontconfig underneath is thread-safe. libqrencode is reentrant.
 * This file must never touch the database or know about HTTP.
 */
#include "domain/receipt.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* ---- sanitizer builds ----
 * fontconfig keeps a pattern's element array through an offset from the
 * pattern (FcPatternElts), not a pointer, so LeakSanitizer cannot see that
 * pango's cached patterns still own their arrays and reports them as lost.
 * Leaks allocated under fontconfig are therefore not reported; everything
 * else still is. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

/* ---- one font map per thread ---- */

static pthread_key_t fontmap_key;
static pthread_once_t fontmap_once = PTHREAD_ONCE_INIT;

static void fontmap_free(void *p)
{
	g_object_unref(p);
}

static void fontmap_key_init(void)
{
	if (pthread_key_create(&fontmap_key, fontmap_free) != 0)
		abort();
}

/* The calling thread's font map; checks once that RECEIPT_FONT is really installed rather than
 * silently replaced by fontconfig. NULL with err set when it is not. */
static PangoFontMap *thread_fontmap(char *err, size_t errlen)
{
	pthread_once(&fontmap_once, fontmap_key_init);
	PangoFontMap *fm = pthread_getspecific(fontmap_key);
	if (fm)
		return fm;
	fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	if (!fm)
		fm = pango_cairo_font_map_new();
	PangoContext *pc = pango_font_map_create_context(fm);
	PangoFontDescription *fd = pango_font_description_from_string(RECEIPT_FONT " 10");
	PangoFont *font = pango_font_map_load_font(fm, pc, fd);
	bool ok = false;
	if (font) {
		PangoFontDescription *got = pango_font_describe(font);
		const char *family = pango_font_description_get_family(got);
		ok = family && g_ascii_strcasecmp(family, RECEIPT_FONT) == 0;
		pango_font_description_free(got);
		g_object_unref(font);
	}
	pango_font_description_free(fd);
	g_object_unref(pc);
	if (!ok) {
		snprintf(err, errlen,
			 "font '%s' is not installed (Debian package fonts-dejavu-core)",
			 RECEIPT_FONT);
		g_object_unref(fm);
		return NULL;
	}
	pthread_setspecific(fontmap_key, fm);
	return fm;
}

/* ---- the pen ---- */

struct pen {
	cairo_t *cr;
	PangoContext *pc;
	const struct receipt *rc;
	double y;
	int page;
};

enum style { REGULAR = 0, BOLD = 1, ITALIC = 2 };

/* A layout of text (pango markup when markup is true) width points wide. */
static PangoLayout *layout_new(struct pen *p, const char *text, bool markup, double width,
			       double size, int style, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, RECEIPT_FONT);
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	pango_font_description_set_weight(fd,
					  (style & BOLD) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, (style & ITALIC) ? PANGO_STYLE_ITALIC
							      : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	if (markup)
		pango_layout_set_markup(l, text, -1);
	else
		pango_layout_set_text(l, text, -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_get_extents(l, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

static void draw_rule(struct pen *p, double x0, double x1, double y, double w)
{
	cairo_set_line_width(p->cr, w);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x1, y);
	cairo_stroke(p->cr);
}

/* Starts a new page, which repeats the code so loose pages can be matched. */
static void new_page(struct pen *p)
{
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN_T;
	char *m = g_markup_printf_escaped("<i>Mã hồ sơ: %s (trang %d)</i>", p->rc->code, p->page);
	PangoLayout *l = layout_new(p, m, true, CONTENT_W, SMALL_PT, REGULAR, PANGO_ALIGN_RIGHT);
	g_free(m);
	cairo_move_to(p->cr, MARGIN_X, p->y);
	pango_cairo_show_layout(p->cr, l);
	p->y += layout_height(l) + 2;
	draw_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.5);
	p->y += 6;
	g_object_unref(l);
}

/* Makes room for a block h points high: a new page when it does not fit
 * here but would fit on an empty page. */
static void keep_together(struct pen *p, double h)
{
	if (p->y + h > BOTTOM && h <= BOTTOM - (MARGIN_T + 20))
		new_page(p);
}

/* Draws a layout at x line by line from the pen's position, moving to a new
 * page between lines when the next one would cross the bottom margin. */
static void flow(struct pen *p, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double lh = (double)logical.height / PANGO_SCALE;
		double base =
			(double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		if (p->y + lh > BOTTOM)
			new_page(p);
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		cairo_move_to(p->cr, x + (double)logical.x / PANGO_SCALE, p->y + base);
		pango_cairo_show_layout_line(p->cr, line);
		p->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* A paragraph of markup across the content width, then space after. */
static void paragraph(struct pen *p, const char *markup, double indent, double after)
{
	PangoLayout *l =
		layout_new(p, markup, true, CONTENT_W - indent, BODY_PT, REGULAR, PANGO_ALIGN_LEFT);
	keep_together(p, layout_height(l));
	flow(p, l, MARGIN_X + indent);
	p->y += after;
	g_object_unref(l);
}

/* "<b>label</b> value" with value escaped. */
static void labelled(struct pen *p, const char *label, const char *value)
{
	char *m = g_markup_printf_escaped("<b>%s</b> %s", label, value);
	paragraph(p, m, 0, 3);
	g_free(m);
}

/* ---- the parts of the form ---- */

/* "2026-11-28 09:15:02" -> its parts; false when it is not that shape. */
static bool parse_stamp(const char *s, int *y, int *mo, int *d, int *h, int *mi)
{
	if (!s || strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':')
		return false;
	for (int i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return false;
#define NUM2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
	*y = NUM2(0) * 100 + NUM2(2);
	*mo = NUM2(5);
	*d = NUM2(8);
	*h = NUM2(11);
	*mi = NUM2(14);
	int sec = NUM2(17);
#undef NUM2
	return *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= 31 && *h <= 23 && *mi <= 59 && sec <= 59;
}

/* "09 giờ 15 phút, ngày 28 tháng 11 năm 2026" */
static void stamp_words(const char *s, char *out, size_t len)
{
	int y, mo, d, h, mi;
	parse_stamp(s, &y, &mo, &d, &h, &mi);
	snprintf(out, len, "%02d giờ %02d phút, ngày %02d tháng %02d năm %04d", h, mi, d, mo, y);
}

static void header(struct pen *p)
{
	const struct receipt *rc = p->rc;
	double left_w = CONTENT_W * 0.38, gap = 4, right_w = CONTENT_W - left_w - gap;
	char *upper = g_utf8_strup(rc->agency_name, -1);
	char *m = g_markup_printf_escaped("%s\n<b>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</b>", upper);
	g_free(upper);
	PangoLayout *left = layout_new(p, m, true, left_w, HEAD_PT, REGULAR, PANGO_ALIGN_CENTER);
	g_free(m);
	/* The national motto stays on one line, as on the printed form. */
	PangoLayout *right = layout_new(
		p, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>\n<b>Độc lập - Tự do - Hạnh phúc</b>",
		true, right_w, HEAD_PT, REGULAR, PANGO_ALIGN_CENTER);
	double lh = layout_height(left), rh = layout_height(right);
	double y0 = p->y;
	cairo_move_to(p->cr, MARGIN_X, y0);
	pango_cairo_show_layout(p->cr, left);
	cairo_move_to(p->cr, MARGIN_X + left_w + gap, y0);
	pango_cairo_show_layout(p->cr, right);
	/* The short rules under both headings, as on the printed form. */
	double lc = MARGIN_X + left_w / 2, rcx = MARGIN_X + left_w + gap + right_w / 2;
	draw_rule(p, lc - 25, lc + 25, y0 + lh + 3, 0.6);
	draw_rule(p, rcx - 55, rcx + 55, y0 + rh + 3, 0.6);
	p->y = y0 + (lh > rh ? lh : rh) + 8;
	g_object_unref(left);
	g_object_unref(right);

	int y, mo, d, h, mi;
	parse_stamp(rc->received_at, &y, &mo, &d, &h, &mi);
	char date[96];
	snprintf(date, sizeof(date), "<i>Ngày %02d tháng %02d năm %04d</i>", d, mo, y);
	PangoLayout *dl = layout_new(p, date, true, right_w, SMALL_PT, REGULAR, PANGO_ALIGN_CENTER);
	cairo_move_to(p->cr, MARGIN_X + left_w + gap, p->y);
	pango_cairo_show_layout(p->cr, dl);
	p->y += layout_height(dl) + 12;
	g_object_unref(dl);

	PangoLayout *title = layout_new(p, "<b>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</b>", true,
					CONTENT_W, 12, REGULAR, PANGO_ALIGN_CENTER);
	flow(p, title, MARGIN_X);
	g_object_unref(title);
	p->y += 2;
	m = g_markup_printf_escaped("<b>Mã hồ sơ: %s</b>", rc->code);
	PangoLayout *code = layout_new(p, m, true, CONTENT_W, 10.5, REGULAR, PANGO_ALIGN_CENTER);
	g_free(m);
	flow(p, code, MARGIN_X);
	g_object_unref(code);
	p->y += 10;
}

static void applicant(struct pen *p)
{
	const struct receipt *rc = p->rc;
	char *m = g_markup_printf_escaped("Bộ phận tiếp nhận và trả kết quả %s", rc->agency_name);
	paragraph(p, m, 0, 3);
	g_free(m);
	labelled(p, "Tiếp nhận hồ sơ của:", rc->applicant_name);
	labelled(p, "Địa chỉ:", rc->address);
	m = g_markup_printf_escaped("<b>Số điện thoại:</b> %s      <b>Email:</b> %s", rc->phone,
				    rc->email);
	paragraph(p, m, 0, 3);
	g_free(m);
	labelled(p, "Nội dung yêu cầu giải quyết:", rc->procedure_name);
	p->y += 3;
}

/* The table of documents: number, name, originals, copies. Rows are kept
 * whole on a page when they fit on one; a page break repeats the heading. */
#define COL_NO	  22.0
#define COL_COUNT 54.0
#define COL_NAME  (CONTENT_W - COL_NO - 2 * COL_COUNT)

static double table_heading(struct pen *p)
{
	static const char *const heads[4] = {"TT", "Tên giấy tờ", "Bản chính", "Bản sao"};
	double widths[4] = {COL_NO, COL_NAME, COL_COUNT, COL_COUNT};
	double x = MARGIN_X, h = 0;
	PangoLayout *ls[4];
	for (int i = 0; i < 4; i++) {
		ls[i] = layout_new(p, heads[i], false, widths[i] - 4, SMALL_PT, BOLD,
				   i == 1 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
		double lh = layout_height(ls[i]);
		h = lh > h ? lh : h;
	}
	keep_together(p, h + 30);
	draw_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.6);
	p->y += 2;
	for (int i = 0; i < 4; i++) {
		cairo_move_to(p->cr, x + 2, p->y);
		pango_cairo_show_layout(p->cr, ls[i]);
		x += widths[i];
		g_object_unref(ls[i]);
	}
	p->y += h + 2;
	draw_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.6);
	p->y += 2;
	return h;
}

static void documents(struct pen *p)
{
	const struct receipt *rc = p->rc;
	paragraph(p, "<b>1. Thành phần hồ sơ nộp gồm:</b>", 0, 3);
	if (rc->ndocs == 0) {
		paragraph(p, "<i>(Không có giấy tờ kèm theo)</i>", 12, 4);
		return;
	}
	table_heading(p);
	for (int i = 0; i < rc->ndocs; i++) {
		const struct receipt_doc *d = &rc->docs[i];
		char no[16], orig[16], copy[16];
		snprintf(no, sizeof(no), "%d", i + 1);
		snprintf(orig, sizeof(orig), "%d", d->originals);
		snprintf(copy, sizeof(copy), "%d", d->copies);
		PangoLayout *name = layout_new(p, d->name, false, COL_NAME - 4, BODY_PT, REGULAR,
					       PANGO_ALIGN_LEFT);
		double h = layout_height(name);
		if (p->y + h > BOTTOM && h <= BOTTOM - (MARGIN_T + 60)) {
			new_page(p);
			table_heading(p);
		}
		/* The number and counts sit on the row's first line. */
		const char *cells[3] = {no, orig, copy};
		double xs[3] = {MARGIN_X, MARGIN_X + COL_NO + COL_NAME,
				MARGIN_X + COL_NO + COL_NAME + COL_COUNT};
		double ws[3] = {COL_NO, COL_COUNT, COL_COUNT};
		PangoLayout *first = layout_new(p, cells[0], false, ws[0] - 4, BODY_PT, REGULAR,
						PANGO_ALIGN_CENTER);
		double fh = layout_height(first);
		g_object_unref(first);
		if (p->y + fh > BOTTOM) {
			new_page(p);
			table_heading(p);
		}
		for (int c = 0; c < 3; c++) {
			PangoLayout *l = layout_new(p, cells[c], false, ws[c] - 4, BODY_PT, REGULAR,
						    PANGO_ALIGN_CENTER);
			cairo_move_to(p->cr, xs[c] + 2, p->y + 1);
			pango_cairo_show_layout(p->cr, l);
			g_object_unref(l);
		}
		p->y += 1;
		flow(p, name, MARGIN_X + COL_NO + 2);
		g_object_unref(name);
		p->y += 2;
		cairo_save(p->cr);
		cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
		draw_rule(p, MARGIN_X, MARGIN_X + CONTENT_W, p->y, 0.3);
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

static void times(struct pen *p)
{
	const struct receipt *rc = p->rc;
	char words[128];
	paragraph(p, "<b>2. Số lượng hồ sơ:</b> 01 (bộ)", 0, 3);
	stamp_words(rc->received_at, words, sizeof(words));
	labelled(p, "3. Thời gian nhận hồ sơ:", words);
	stamp_words(rc->due_at, words, sizeof(words));
	labelled(p, "4. Ngày hẹn trả kết quả:", words);
	char *owned;
	const char *how = return_words(rc, &owned);
	labelled(p, "5. Đăng ký nhận kết quả:", how);
	g_free(owned);
	p->y += 4;
}

/* The QR code of the lookup URL, one filled rectangle per run of dark
 * modules in a row, with the URL in words beside it. */
static mc_status qr_block(struct pen *p, char *err, size_t errlen)
{
	const struct receipt *rc = p->rc;
	QRcode *qr = QRcode_encodeString(rc->lookup_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr) {
		snprintf(err, errlen, "lookup_url: cannot be put in a QR code");
		return MC_INTERNAL;
	}
	char *m = g_markup_printf_escaped("<b>6. Tra cứu tình trạng hồ sơ:</b> quét mã QR hoặc "
					  "truy cập\n%s",
					  rc->lookup_url);
	double text_x = QR_SIDE + 10;
	PangoLayout *l =
		layout_new(p, m, true, CONTENT_W - text_x, SMALL_PT, REGULAR, PANGO_ALIGN_LEFT);
	g_free(m);
	double th = layout_height(l);
	double h = th > QR_SIDE ? th : QR_SIDE;
	keep_together(p, h + 6);
	double y0 = p->y, module = QR_SIDE / qr->width;
	for (int row = 0; row < qr->width; row++) {
		int col = 0;
		while (col < qr->width) {
			if (!(qr->data[row * qr->width + col] & 1)) {
				col++;
				continue;
			}
			int start = col;
			while (col < qr->width && (qr->data[row * qr->width + col] & 1))
				col++;
			cairo_rectangle(p->cr, MARGIN_X + start * module, y0 + row * module,
					(col - start) * module, module);
		}
	}
	cairo_fill(p->cr);
	QRcode_free(qr);
	cairo_move_to(p->cr, MARGIN_X + text_x, y0 + (h - th) / 2);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y = y0 + h + 8;
	return MC_OK;
}

static void signatures(struct pen *p)
{
	const struct receipt *rc = p->rc;
	double col = CONTENT_W / 2;
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
	PangoLayout *left =
		layout_new(p, left_m, true, col - 4, BODY_PT, REGULAR, PANGO_ALIGN_CENTER);
	PangoLayout *right =
		layout_new(p, right_m, true, col - 4, BODY_PT, REGULAR, PANGO_ALIGN_CENTER);
	g_free(left_m);
	g_free(right_m);
	double lh = layout_height(left), rh = layout_height(right), h = lh > rh ? lh : rh;
	if (p->y + h > BOTTOM)
		new_page(p);
	cairo_move_to(p->cr, MARGIN_X, p->y);
	pango_cairo_show_layout(p->cr, left);
	cairo_move_to(p->cr, MARGIN_X + col + 4, p->y);
	pango_cairo_show_layout(p->cr, right);
	p->y += h;
	g_object_unref(left);
	g_object_unref(right);
}

/* ---- checks and the entry point ---- */

static bool text_ok(const char *what, const char *s, bool required, char *err, size_t errlen)
{
	if (!s) {
		if (!required)
			return true;
		snprintf(err, errlen, "%s: missing", what);
		return false;
	}
	size_t n = strlen(s);
	if (required && n == 0) {
		snprintf(err, errlen, "%s: empty", what);
		return false;
	}
	if (n > RECEIPT_MAX_TEXT) {
		snprintf(err, errlen, "%s: longer than %d bytes", what, RECEIPT_MAX_TEXT);
		return false;
	}
	if (!g_utf8_validate(s, (gssize)n, NULL)) {
		snprintf(err, errlen, "%s: not valid UTF-8", what);
		return false;
	}
	return true;
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
	int y, mo, d, h, mi;
	if (!parse_stamp(rc->received_at, &y, &mo, &d, &h, &mi)) {
		snprintf(err, errlen, "received_at: not YYYY-MM-DD HH:MM:SS");
		return false;
	}
	if (!parse_stamp(rc->due_at, &y, &mo, &d, &h, &mi)) {
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

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
						      : CAIRO_STATUS_WRITE_ERROR;
}

mc_status receipt_pdf(const struct receipt *rc, buf *out, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!receipt_valid(rc, err, errlen))
		return MC_INTERNAL;
	PangoFontMap *fm = thread_fontmap(err, errlen);
	if (!fm)
		return MC_INTERNAL;

	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, RECEIPT_PAGE_WIDTH,
								 RECEIPT_PAGE_HEIGHT);
	char *title = g_strdup_printf("Giấy tiếp nhận hồ sơ và hẹn trả kết quả %s", rc->code);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "motcua");
	g_free(title);
	cairo_t *cr = cairo_create(s);
	PangoContext *pc = pango_font_map_create_context(fm);
	/* 72 dpi: font sizes in points, the PDF's unit. (Set on the context:
	 * changing a font map's resolution makes pango 1.50 drop its font set
	 * without freeing it.) */
	pango_cairo_context_set_resolution(pc, 72.0);
	pango_cairo_update_context(cr, pc);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	cairo_set_source_rgb(cr, 0, 0, 0);

	struct pen p = {.cr = cr, .pc = pc, .rc = rc, .y = MARGIN_T, .page = 1};
	header(&p);
	applicant(&p);
	documents(&p);
	times(&p);
	mc_status st = qr_block(&p, err, errlen);
	if (st == MC_OK)
		signatures(&p);
	/* The last page is emitted when the surface is finished. */

	cairo_status_t cs = cairo_status(cr);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cs == CAIRO_STATUS_SUCCESS)
		cs = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != MC_OK)
		return st;
	if (out->overflow) {
		snprintf(err, errlen, "the PDF is larger than the output buffer allows (%zu bytes)",
			 out->max);
		return MC_INTERNAL;
	}
	if (cs != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "cairo: %s", cairo_status_to_string(cs));
		return MC_INTERNAL;
	}
	return MC_OK;
}
