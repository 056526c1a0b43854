/*
 * pdfdoc.c - the shared drawing machinery of the PDF forms: cairo (PDF
 * surface) and pango (text shaping and line breaking), the QR code made by
 * libqrencode and drawn as vector rectangles so it stays sharp at any zoom
 * and in print.
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
#include "domain/pdfdoc.h"

#include <cairo-pdf.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The calling thread's font map; checks once that PDFDOC_FONT is really installed rather than
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
	PangoFontDescription *fd = pango_font_description_from_string(PDFDOC_FONT " 10");
	PangoFont *font = pango_font_map_load_font(fm, pc, fd);
	bool ok = false;
	if (font) {
		PangoFontDescription *got = pango_font_describe(font);
		const char *family = pango_font_description_get_family(got);
		ok = family && g_ascii_strcasecmp(family, PDFDOC_FONT) == 0;
		pango_font_description_free(got);
		g_object_unref(font);
	}
	pango_font_description_free(fd);
	g_object_unref(pc);
	if (!ok) {
		snprintf(err, errlen,
			 "font '%s' is not installed (Debian package fonts-dejavu-core)",
			 PDFDOC_FONT);
		g_object_unref(fm);
		return NULL;
	}
	pthread_setspecific(fontmap_key, fm);
	return fm;
}

/* ---- the document ---- */

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
						      : CAIRO_STATUS_WRITE_ERROR;
}

mc_status pdfdoc_open(struct pdfdoc *d, buf *out, const char *title, char *err, size_t errlen)
{
	PangoFontMap *fm = thread_fontmap(err, errlen);
	if (!fm)
		return MC_INTERNAL;
	d->content_w = d->width - 2 * d->margin_x;
	d->bottom = d->height - d->margin_b;
	d->y = d->margin_t;
	d->page = 1;
	d->out = out;
	d->surface = cairo_pdf_surface_create_for_stream(write_out, out, d->width, d->height);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "motcua");
	d->cr = cairo_create(d->surface);
	d->pc = pango_font_map_create_context(fm);
	/* 72 dpi: font sizes in points, the PDF's unit. (Set on the context:
	 * changing a font map's resolution makes pango 1.50 drop its font set
	 * without freeing it.) */
	pango_cairo_context_set_resolution(d->pc, 72.0);
	pango_cairo_update_context(d->cr, d->pc);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pc, fo);
	cairo_font_options_destroy(fo);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	return MC_OK;
}

mc_status pdfdoc_close(struct pdfdoc *d, mc_status st, char *err, size_t errlen)
{
	/* The last page is emitted when the surface is finished. */
	cairo_status_t cs = cairo_status(d->cr);
	g_object_unref(d->pc);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	if (cs == CAIRO_STATUS_SUCCESS)
		cs = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->pc = NULL;
	d->cr = NULL;
	d->surface = NULL;
	if (st != MC_OK)
		return st;
	if (d->out->overflow) {
		snprintf(err, errlen, "the PDF is larger than the output buffer allows (%zu bytes)",
			 d->out->max);
		return MC_INTERNAL;
	}
	if (cs != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "cairo: %s", cairo_status_to_string(cs));
		return MC_INTERNAL;
	}
	return MC_OK;
}

/* ---- the pen ---- */

PangoLayout *pdfdoc_layout(struct pdfdoc *d, const char *text, bool markup, double width,
			   double size, int style, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(d->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, PDFDOC_FONT);
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	pango_font_description_set_weight(fd, (style & PDFDOC_BOLD) ? PANGO_WEIGHT_BOLD
								    : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, (style & PDFDOC_ITALIC) ? PANGO_STYLE_ITALIC
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

double pdfdoc_layout_height(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_get_extents(l, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

void pdfdoc_rule(struct pdfdoc *d, double x0, double x1, double y, double w)
{
	cairo_set_line_width(d->cr, w);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

void pdfdoc_new_page(struct pdfdoc *d)
{
	cairo_show_page(d->cr);
	d->page++;
	d->y = d->margin_t;
	char *m = g_markup_printf_escaped("<i>Mã hồ sơ: %s (trang %d)</i>", d->code, d->page);
	PangoLayout *l = pdfdoc_layout(d, m, true, d->content_w, d->small_pt, PDFDOC_REGULAR,
				       PANGO_ALIGN_RIGHT);
	g_free(m);
	cairo_move_to(d->cr, d->margin_x, d->y);
	pango_cairo_show_layout(d->cr, l);
	d->y += pdfdoc_layout_height(l) + 2;
	pdfdoc_rule(d, d->margin_x, d->margin_x + d->content_w, d->y, 0.5);
	d->y += 6;
	g_object_unref(l);
}

void pdfdoc_keep_together(struct pdfdoc *d, double h)
{
	if (d->y + h > d->bottom && h <= d->bottom - (d->margin_t + 20))
		pdfdoc_new_page(d);
}

void pdfdoc_flow(struct pdfdoc *d, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double lh = (double)logical.height / PANGO_SCALE;
		double base =
			(double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		if (d->y + lh > d->bottom)
			pdfdoc_new_page(d);
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		cairo_move_to(d->cr, x + (double)logical.x / PANGO_SCALE, d->y + base);
		pango_cairo_show_layout_line(d->cr, line);
		d->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

void pdfdoc_paragraph(struct pdfdoc *d, const char *markup, double indent, double after)
{
	PangoLayout *l = pdfdoc_layout(d, markup, true, d->content_w - indent, d->body_pt,
				       PDFDOC_REGULAR, PANGO_ALIGN_LEFT);
	pdfdoc_keep_together(d, pdfdoc_layout_height(l));
	pdfdoc_flow(d, l, d->margin_x + indent);
	d->y += after;
	g_object_unref(l);
}

void pdfdoc_centred(struct pdfdoc *d, const char *markup, double size)
{
	PangoLayout *l = pdfdoc_layout(d, markup, true, d->content_w, size, PDFDOC_REGULAR,
				       PANGO_ALIGN_CENTER);
	pdfdoc_flow(d, l, d->margin_x);
	g_object_unref(l);
}

void pdfdoc_labelled(struct pdfdoc *d, const char *label, const char *value)
{
	char *m = g_markup_printf_escaped("<b>%s</b> %s", label, value);
	pdfdoc_paragraph(d, m, 0, 3);
	g_free(m);
}

/* ---- blocks ---- */

void pdfdoc_motto(struct pdfdoc *d, const char *left_markup, double left_w, double gap, double size)
{
	double right_w = d->content_w - left_w - gap;
	PangoLayout *left = pdfdoc_layout(d, left_markup, true, left_w, size, PDFDOC_REGULAR,
					  PANGO_ALIGN_CENTER);
	/* The national motto stays on one line, as on the printed form. */
	PangoLayout *right = pdfdoc_layout(
		d, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>\n<b>Độc lập - Tự do - Hạnh phúc</b>",
		true, right_w, size, PDFDOC_REGULAR, PANGO_ALIGN_CENTER);
	double lh = pdfdoc_layout_height(left), rh = pdfdoc_layout_height(right);
	double y0 = d->y;
	cairo_move_to(d->cr, d->margin_x, y0);
	pango_cairo_show_layout(d->cr, left);
	cairo_move_to(d->cr, d->margin_x + left_w + gap, y0);
	pango_cairo_show_layout(d->cr, right);
	/* The short rules under both headings, as on the printed form; their
	 * lengths follow the type size (7.5 points on form 01). */
	double k = size / 7.5;
	double lc = d->margin_x + left_w / 2, rcx = d->margin_x + left_w + gap + right_w / 2;
	pdfdoc_rule(d, lc - 25 * k, lc + 25 * k, y0 + lh + 3, 0.6);
	pdfdoc_rule(d, rcx - 55 * k, rcx + 55 * k, y0 + rh + 3, 0.6);
	d->y = y0 + (lh > rh ? lh : rh) + 8;
	g_object_unref(left);
	g_object_unref(right);
}

void pdfdoc_under_motto(struct pdfdoc *d, const char *markup, double left_w, double gap,
			double size)
{
	double right_w = d->content_w - left_w - gap;
	PangoLayout *l =
		pdfdoc_layout(d, markup, true, right_w, size, PDFDOC_REGULAR, PANGO_ALIGN_CENTER);
	cairo_move_to(d->cr, d->margin_x + left_w + gap, d->y);
	pango_cairo_show_layout(d->cr, l);
	d->y += pdfdoc_layout_height(l);
	g_object_unref(l);
}

void pdfdoc_columns(struct pdfdoc *d, const char *left_markup, const char *right_markup)
{
	double col = d->content_w / 2;
	PangoLayout *left = left_markup ? pdfdoc_layout(d, left_markup, true, col - 4, d->body_pt,
							PDFDOC_REGULAR, PANGO_ALIGN_CENTER)
					: NULL;
	PangoLayout *right = pdfdoc_layout(d, right_markup, true, col - 4, d->body_pt,
					   PDFDOC_REGULAR, PANGO_ALIGN_CENTER);
	double lh = left ? pdfdoc_layout_height(left) : 0, rh = pdfdoc_layout_height(right);
	double h = lh > rh ? lh : rh;
	if (d->y + h > d->bottom)
		pdfdoc_new_page(d);
	if (left) {
		cairo_move_to(d->cr, d->margin_x, d->y);
		pango_cairo_show_layout(d->cr, left);
		g_object_unref(left);
	}
	cairo_move_to(d->cr, d->margin_x + col + 4, d->y);
	pango_cairo_show_layout(d->cr, right);
	d->y += h;
	g_object_unref(right);
}

mc_status pdfdoc_qr_block(struct pdfdoc *d, const char *label_markup, const char *url, double side,
			  double size, char *err, size_t errlen)
{
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr) {
		snprintf(err, errlen, "lookup_url: cannot be put in a QR code");
		return MC_INTERNAL;
	}
	char *esc = g_markup_escape_text(url, -1);
	char *all = g_strconcat(label_markup, "\n", esc, NULL);
	g_free(esc);
	double text_x = side + 10;
	PangoLayout *l = pdfdoc_layout(d, all, true, d->content_w - text_x, size, PDFDOC_REGULAR,
				       PANGO_ALIGN_LEFT);
	g_free(all);
	double th = pdfdoc_layout_height(l);
	double h = th > side ? th : side;
	pdfdoc_keep_together(d, h + 6);
	double y0 = d->y, module = side / qr->width;
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
			cairo_rectangle(d->cr, d->margin_x + start * module, y0 + row * module,
					(col - start) * module, module);
		}
	}
	cairo_fill(d->cr);
	QRcode_free(qr);
	cairo_move_to(d->cr, d->margin_x + text_x, y0 + (h - th) / 2);
	pango_cairo_show_layout(d->cr, l);
	g_object_unref(l);
	d->y = y0 + h + 8;
	return MC_OK;
}

/* ---- checks ---- */

bool pdfdoc_parse_stamp(const char *s, struct pdfdoc_stamp *t)
{
	if (!s || strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':')
		return false;
	for (int i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return false;
#define NUM2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
	t->year = NUM2(0) * 100 + NUM2(2);
	t->month = NUM2(5);
	t->day = NUM2(8);
	t->hour = NUM2(11);
	t->minute = NUM2(14);
	t->second = NUM2(17);
#undef NUM2
	if (t->month < 1 || t->month > 12 || t->day < 1 || t->hour > 23 || t->minute > 59 ||
	    t->second > 59)
		return false;
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
	return t->day <= days[t->month - 1] && !(t->month == 2 && t->day == 29 && !leap);
}

bool pdfdoc_text_ok(const char *what, const char *s, bool required, size_t max, char *err,
		    size_t errlen)
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
	if (n > max) {
		snprintf(err, errlen, "%s: longer than %zu bytes", what, max);
		return false;
	}
	if (!g_utf8_validate(s, (gssize)n, NULL)) {
		snprintf(err, errlen, "%s: not valid UTF-8", what);
		return false;
	}
	return true;
}
