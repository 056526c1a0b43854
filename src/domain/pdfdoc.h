/*
 * pdfdoc.h - the drawing machinery shared by the back office's PDF forms
 * (receipt.c for form 01, forms.c for forms 02-05): a cairo PDF surface
 * written into a buf, pango layouts in one font family, a pen that walks
 * down the page and flows text onto further pages (each repeating the
 * dossier code), the national motto header, two-column signature blocks,
 * a vector QR code, and the checks every form makes on its strings and
 * time stamps.
 *
 * Internal to src/domain: it decides nothing about a form's content.
 * Threads: each thread renders with its own pango font map (pango's font
 * maps are not thread-safe); a pthread key frees it when the thread ends.
 */
#ifndef MOTCUA_PDFDOC_H
#define MOTCUA_PDFDOC_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* The font family every form is set in, chosen by name (it has every
 * Vietnamese letter precomposed); Debian package fonts-dejavu-core. */
#define PDFDOC_FONT "DejaVu Serif"

/* A4 and A5 in PDF points (1/72 inch). */
#define PDFDOC_A4_WIDTH	 595.2756
#define PDFDOC_A4_HEIGHT 841.8898

enum pdfdoc_style { PDFDOC_REGULAR = 0, PDFDOC_BOLD = 1, PDFDOC_ITALIC = 2 };

/* A document being drawn. The caller fills the geometry, sizes and code
 * before pdfdoc_open; the rest belongs to pdfdoc. */
struct pdfdoc {
	double width, height;		     /* the page */
	double margin_x, margin_t, margin_b; /* margins (left = right) */
	double body_pt, small_pt;	     /* paragraph and page-heading sizes */
	const char *code;		     /* repeated at the top of later pages */
	double content_w, bottom;	     /* derived by pdfdoc_open */
	double y;			     /* the pen, from the top of the page */
	int page;			     /* 1-based */
	cairo_t *cr;
	PangoContext *pc;
	cairo_surface_t *surface;
	buf *out;
};

/*
 * Starts the PDF (title in its metadata) written into out. MC_OK, or
 * MC_INTERNAL with err set when the font is not installed; on failure
 * nothing needs closing.
 */
mc_status pdfdoc_open(struct pdfdoc *d, buf *out, const char *title, char *err, size_t errlen);

/*
 * Finishes the document and frees everything. st is the drawing's own
 * outcome so far: returned as it is when not MC_OK; otherwise MC_INTERNAL
 * with err set when out's cap was reached or cairo failed.
 */
mc_status pdfdoc_close(struct pdfdoc *d, mc_status st, char *err, size_t errlen);

/* A layout of text (pango markup when markup is true), width points wide,
 * wrapping between words and, for words longer than the width, letters. */
PangoLayout *pdfdoc_layout(struct pdfdoc *d, const char *text, bool markup, double width,
			   double size, int style, PangoAlignment align);
double pdfdoc_layout_height(PangoLayout *l);

void pdfdoc_rule(struct pdfdoc *d, double x0, double x1, double y, double w);

/* A new page, which repeats the code so loose pages can be matched. */
void pdfdoc_new_page(struct pdfdoc *d);

/* A new page when a block h points high does not fit here but would fit on
 * an empty page. */
void pdfdoc_keep_together(struct pdfdoc *d, double h);

/* Draws a layout at x line by line from the pen, moving to a new page
 * between lines when the next one would cross the bottom margin. */
void pdfdoc_flow(struct pdfdoc *d, PangoLayout *l, double x);

/* A paragraph of markup across the content width (less indent), kept
 * together when it fits on a page, then `after` points of space. */
void pdfdoc_paragraph(struct pdfdoc *d, const char *markup, double indent, double after);

/* A line (or lines) of markup centred across the content width, flowing
 * like a paragraph but with no space after. */
void pdfdoc_centred(struct pdfdoc *d, const char *markup, double size);

/* "<b>label</b> value", value escaped, as a paragraph. */
void pdfdoc_labelled(struct pdfdoc *d, const char *label, const char *value);

/*
 * The national header: left_markup centred in the left column left_w wide,
 * the motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh
 * phúc" centred in the rest (after gap points), both at size points, with
 * the short rules under them; the pen moves below both plus 8 points.
 */
void pdfdoc_motto(struct pdfdoc *d, const char *left_markup, double left_w, double gap,
		  double size);

/* A line of markup centred under the motto's column (same left_w, gap as
 * pdfdoc_motto), such as the date; the pen moves below it. */
void pdfdoc_under_motto(struct pdfdoc *d, const char *markup, double left_w, double gap,
			double size);

/* Two centred columns of markup side by side (left may be NULL), each half
 * the content width; a new page first when they do not fit. */
void pdfdoc_columns(struct pdfdoc *d, const char *left_markup, const char *right_markup);

/* The QR code of url, side points square at the left margin, with text
 * markup (label, then the URL) beside it. MC_INTERNAL with err set when
 * the URL does not fit in a QR code. */
mc_status pdfdoc_qr_block(struct pdfdoc *d, const char *label_markup, const char *url, double side,
			  double size, char *err, size_t errlen);

/* ---- checks ---- */

struct pdfdoc_stamp {
	int year, month, day, hour, minute, second;
};

/* "2026-11-28 09:15:02" -> its parts; false when it is not that shape or a
 * part is out of range (the day is checked against its month and year). */
bool pdfdoc_parse_stamp(const char *s, struct pdfdoc_stamp *t);

/* A string for field `what`: NULL or "" refused when required ("what:
 * missing", "what: empty"), more than max bytes or invalid UTF-8 refused;
 * err names the field. */
bool pdfdoc_text_ok(const char *what, const char *s, bool required, size_t max, char *err,
		    size_t errlen);

#endif
