/*
 * forms.h - the back office's paper forms of Circular 01/2018/TT-VPCP (as
 * renumbered by Circular 03/2025/TT-VPCP), rendered as A4 PDFs in the style
 * of form 01 (receipt.h):
 *   02 phiếu yêu cầu bổ sung, hoàn thiện hồ sơ   - what to supplement, one notice
 *   03 phiếu từ chối tiếp nhận giải quyết hồ sơ - the reasons for refusing
 *   04 phiếu xin lỗi và hẹn lại ngày trả kết quả - the apology and the new date
 *   05 phiếu kiểm soát quá trình giải quyết hồ sơ - each holder, from when to
 *      when, on time or late
 *
 * Like receipt.h the renderer only draws what it is given: no database, no
 * HTTP, no decisions. Strings are UTF-8 (NFC); long text wraps and long
 * lists flow onto further pages.
 */
#ifndef MOTCUA_FORMS_H
#define MOTCUA_FORMS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* One row of form 05: who held the dossier and how it went. */
struct form_holder {
	const char *unit;     /* the agency or desk ("Bộ phận Một cửa - Sở Tư pháp") */
	const char *person;   /* the officer's name, may be "" */
	const char *task;     /* what they did ("Tiếp nhận", "Thẩm định", ...) */
	const char *from_at;  /* "YYYY-MM-DD HH:MM:SS" */
	const char *until_at; /* NULL: still holding it */
	const char *due_at;   /* this holder's share of the time, NULL: none */
	bool late;	      /* handed on after due_at */
};

struct form_data {
	int form; /* 2, 3, 4 or 5 */
	const char *agency_name, *code, *applicant_name, *address, *phone, *email,
		*procedure_name;  /* required; address, phone, email may be "" */
	const char *issued_at;	  /* "YYYY-MM-DD HH:MM:SS": when the form was issued */
	const char *officer_name; /* who signs; may be NULL */
	const char *received_at;  /* may be NULL (form 02/03 before receipt) */
	const char *due_at;	  /* the due date before (04) or now (05); may be NULL */
	const char *new_due_at;	  /* form 04: the new date; required there */
	/* 02: the documents or corrections needed, one per line;
	 * 03: the reasons for refusing; 04: why the dossier is late. */
	const char *text;
	const struct form_holder *holders; /* form 05 */
	int nholders;
	const char *lookup_url; /* absolute URL put in a QR code; may be NULL */
	/* The place in the date line under the motto ("Ninh Bình" gives
	 * "Ninh Bình, ngày 28 tháng 11 năm 2026"); NULL or "": "Ngày ...". */
	const char *place;
};

#define FORM_MAX_HOLDERS 500
#define FORM_MAX_TEXT	 16000 /* bytes of any one string */

/*
 * Appends the PDF to out. MC_OK, or MC_INVALID / MC_INTERNAL with the reason
 * in err (a missing or malformed field, invalid UTF-8, the font missing,
 * out's cap reached); on failure out may hold a partial PDF to discard.
 * Thread-safe like receipt_pdf.
 */
mc_status form_pdf(const struct form_data *f, buf *out, char *err, size_t errlen);

#endif
