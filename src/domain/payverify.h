/*
 * payverify.h - public verification of a payment receipt (xác thực biên lai
 * thu phí, lệ phí): the QR code of the receipt PDF points to
 * /bien-lai/xac-thuc?ma={dossier code}&so={receipt no}&t={tag}, a page
 * anyone may open that confirms the receipt is genuine: its number, the
 * dossier code, the amount, when it was paid, the method and the issuing
 * agency; no personal data (no payer, no reference, no account).
 *
 * No enumeration: the tag is a keyed HMAC-SHA256 of the dossier code and
 * the receipt number (truncated to 128 bits, hex), with a key only the
 * server knows (32 random bytes, hex, in the table app_secret: made by the
 * first `serve` of a deployment, shared by every node, carried by backups;
 * `init` leaves the database empty for a restore). A
 * missing, malformed or forged
 * tag and an unknown receipt give the same MC_NOT_FOUND; the tag is checked
 * before the database is read, in constant time. The pages add the lookup
 * budget of the client's address (lookup.h). This module knows no HTTP.
 */
#ifndef MOTCUA_PAYVERIFY_H
#define MOTCUA_PAYVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

#define PAYVERIFY_TAG_LEN 32 /* hex characters: 128 bits */

/* Loads the key from the database, storing a new random one when there is
 * none (several nodes starting at once agree on the first stored). -1 with
 * err set when it cannot be read or stored, or is malformed. Call once at
 * start (serve), before any thread uses the functions below. */
int payverify_init(db *d, char *err, size_t errlen);

/* Whether a key is loaded (tests and commands that never called init). */
bool payverify_ready(void);

/* The tag of (code, no); "" without a key. */
void payverify_tag(const char *code, const char *no, char out[PAYVERIFY_TAG_LEN + 1]);

/* base (may be NULL or "") + "/bien-lai/xac-thuc?ma=CODE&so=NO&t=TAG";
 * without a key, the login-protected receipt page base +
 * "/ho-so/CODE/bien-lai/NO". In a. */
const char *payverify_url(arena *a, const char *base, const char *code, const char *no);

/*
 * The one way a stored receipt is found by (dossier code, receipt number),
 * shared by payverify_check (public: no personal data) and pay_receipt_load
 * (the dossier's own, with the payer) so that their WHERE clauses cannot
 * drift apart: "SELECT ... FROM " PAY_RECEIPT_FROM [more JOINs]
 * " WHERE " PAY_RECEIPT_WHERE, with $1 the dossier code and $2 the receipt
 * number. Aliases: p payment, d dossier, g the dossier's agency.
 */
#define PAY_RECEIPT_FROM                                                                           \
	"payment p JOIN dossier d ON d.id = p.dossier_id JOIN agency g ON g.code = d.agency_code"
#define PAY_RECEIPT_WHERE "d.code = $1 AND p.receipt_no = $2"

/* What the public may see of a genuine receipt. */
struct payverify_result {
	const char *receipt_no, *code, *agency_name;
	int64_t amount;	     /* đồng */
	const char *paid_at; /* "YYYY-MM-DD HH:MM:SS" */
	const char *source;  /* "qr-statement", "gateway", "officer" */
};

/* MC_OK with out filled when tag is the tag of (code, no) and the dossier
 * code has a payment with that receipt number; MC_NOT_FOUND for anything
 * else (no key, a missing or bad tag, an unknown receipt, malformed
 * values). */
mc_status payverify_check(db *d, arena *a, const char *code, const char *no, const char *tag,
			  struct payverify_result *out);

#endif
