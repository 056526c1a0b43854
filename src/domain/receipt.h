/*
 * receipt.h - the receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn
 * trả kết quả): form 01 of Circular 01/2018/TT-VPCP, as renumbered by
 * Circular 03/2025/TT-VPCP, rendered as an A5 PDF with a QR code of the
 * dossier's public lookup address.
 *
 * The renderer only draws what it is given: it reads no database, decides
 * no due date and knows no HTTP. Every string is UTF-8 (NFC expected); long
 * text wraps and many documents flow onto further pages, never off the page.
 */
#ifndef MOTCUA_RECEIPT_H
#define MOTCUA_RECEIPT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* One document received (thành phần hồ sơ) with its counts. */
struct receipt_doc {
	const char *name;
	int originals, copies; /* bản chính, bản sao; 0..99 */
};

struct receipt {
	const char *agency_name, *code, *applicant_name, *address, *phone, *email,
		*procedure_name; /* required; address, phone, email may be "" */
	const struct receipt_doc *docs;
	int ndocs;
	const char *received_at;   /* "YYYY-MM-DD HH:MM:SS" */
	const char *due_at;	   /* "YYYY-MM-DD HH:MM:SS" */
	const char *return_method; /* "online", "desk", "post" */
	const char *return_address,
		*officer_name;	/* may be NULL; officer NULL for online receipt */
	const char *lookup_url; /* absolute URL put in the QR */
};

/* A5 in PDF points (1/72 inch): 148 x 210 mm. */
#define RECEIPT_PAGE_WIDTH  419.5276
#define RECEIPT_PAGE_HEIGHT 595.2756

/* The font family every receipt is set in, chosen by name (it has every
 * Vietnamese letter precomposed); Debian package fonts-dejavu-core. */
#define RECEIPT_FONT "DejaVu Serif"

/* Limits on what one receipt may carry (more is a caller's bug). */
#define RECEIPT_MAX_DOCS 500
#define RECEIPT_MAX_TEXT 16000 /* bytes of any one string */

/*
 * Appends the PDF to out (which grows as needed up to its cap). Returns
 * MC_OK, or MC_INTERNAL with the reason in err (errlen bytes, always
 * terminated): a missing or malformed field, invalid UTF-8, the font not
 * installed, out's cap reached. On failure out may hold a partial PDF: the
 * caller discards it. Thread-safe: each thread renders with its own font
 * map (pango's font maps are not thread-safe), so workers render at once.
 */
mc_status receipt_pdf(const struct receipt *rc, buf *out, char *err, size_t errlen);

#endif
