/*
 * payreceipt.h - the electronic payment receipt (biên lai thu phí, lệ phí
 * điện tử) as a PDF: an A5 page drawn with pdfdoc.h, with the receipt
 * number, the collecting agency, the payer, the dossier code, the
 * procedure, the fee item, the amount in figures ("1.500.000 đ") and in
 * words ("Một triệu năm trăm nghìn đồng"), the method, the times
 * dd/mm/yyyy HH:MM and a QR code of the receipt's verification address.
 *
 * pay_receipt_load reads one stored payment (the record); pay_receipt_pdf
 * only draws what it is given, so the PDF can never disagree with the
 * payment row. Who may have it is the caller's decision (dossier_get).
 */
#ifndef MOTCUA_PAYRECEIPT_H
#define MOTCUA_PAYRECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"
#include "db/db.h"

struct pay_receipt {
	const char *receipt_no, *agency_name, *payer, *code, *procedure_name; /* required */
	const char *fee_item;	    /* required: what was paid for */
	int64_t amount;		    /* đồng, > 0 */
	const char *source;	    /* "qr-statement", "gateway", "officer" */
	const char *reference;	    /* the bank, gateway or desk slip reference */
	const char *paid_at;	    /* "YYYY-MM-DD HH:MM:SS" */
	const char *recorded_at;    /* "YYYY-MM-DD HH:MM:SS" */
	const char *bank, *account; /* the collection account; NULL when none */
	const char *verify_url;	    /* absolute URL put in the QR */
};

#define PAY_RECEIPT_MAX_TEXT 4000 /* bytes of any one string */
#define PAY_RECEIPT_BUF_MAX  (8u << 20)

/* The method in words on the receipt: "Chuyển khoản qua mã QR (VietQR)",
 * "Cổng thanh toán trực tuyến", "Tiền mặt tại Bộ phận một cửa"; NULL for an
 * unknown source. */
const char *pay_receipt_method(const char *source);

/*
 * The receipt no of the dossier code from the stored payment, its dossier,
 * agency and collection account; verify_url is payverify_url's public
 * verification address under base (may be NULL or ""). MC_NOT_FOUND when the dossier
 * has no payment with that number.
 */
mc_status pay_receipt_load(db_conn *c, arena *a, const char *code, const char *no, const char *base,
			   struct pay_receipt *out);

/*
 * Appends the PDF to out. MC_OK, or MC_INTERNAL with the reason in err: a
 * missing or malformed field, invalid UTF-8, the font not installed, out's
 * cap reached (out then holds a partial PDF the caller discards).
 * Thread-safe like receipt_pdf.
 */
mc_status pay_receipt_pdf(const struct pay_receipt *p, buf *out, char *err, size_t errlen);

#endif
