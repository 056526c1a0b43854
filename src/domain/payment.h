/*
 * payment.h - fees and payments (phí, lệ phí và thanh toán): the agency's
 * collection account, the fee a dossier owes, and the recording of money
 * received, by bank statement import, by an officer's hand confirmation or by
 * the payment gateway's signed callback.
 *
 * Every recording is one write that inserts the payment row (unique by
 * source and reference, so one bank line or gateway transaction never counts
 * twice), marks the fee paid, numbers the electronic receipt (biên lai điện
 * tử) and appends the audit entry "payment.record". A fee is paid once, by
 * the exact amount owed.
 *
 * When the dossier is waiting for its financial obligation (status 6),
 * recording a payment is where the back office's WF_FINANCIAL_DONE belongs:
 * pay_record_in reports it through *financial_due, and pay_record_done,
 * the statement import and the gateway callback perform it (bo_act_in) in
 * the payment's own write, so a payment is never recorded without its
 * effect on the dossier, nor the reverse.
 */
#ifndef MOTCUA_PAYMENT_H
#define MOTCUA_PAYMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

/* ---- banks and accounts ---- */

/* The short name of a Vietnamese bank by its NAPAS BIN ("970436" ->
 * "Vietcombank"), or NULL when the BIN is not one we know. */
const char *pay_bank_name(const char *bin);

struct pay_account {
	const char *agency_code, *bin, *account, *name;
};

/* Checks an account before it is stored: a known BIN, 6..19 digits, a name
 * of 1..70 printable characters. NULL when fine, else an i18n key. */
const char *pay_account_problem(const struct pay_account *acct);

/* Stores (or replaces) the agency's account, with an audit entry
 * "payment.bank_set". MC_INVALID with *why (an i18n key) for a bad account,
 * MC_NOT_FOUND for an unknown agency. */
mc_status pay_account_set(db *d, const char *actor, const struct pay_account *acct,
			  const char **why);

/* The agency's account; MC_NOT_FOUND when none is configured. */
mc_status pay_account_get(db_conn *c, arena *a, const char *agency_code, struct pay_account *out);

/* ---- fees ---- */

#define PAY_MAX_AMOUNT 10000000000LL /* 10 billion đồng: more is a typing error */

struct pay_fee {
	const char *dossier_id, *code, *agency_code;
	int dossier_status;
	int64_t amount;
	const char *purpose;
	bool paid;
	const char *created_at, *paid_at;
};

/*
 * Inside a write: sets the fee the dossier owes (amount > 0). MC_NOT_FOUND
 * for an unknown dossier, MC_CONFLICT when its fee is already paid.
 */
mc_status pay_fee_set_in(db_conn *c, arena *a, const char *actor, const char *code, int64_t amount,
			 const char *now);
mc_status pay_fee_set(db *d, const char *actor, const char *code, int64_t amount);

/* The dossier's fee; MC_NOT_FOUND when it owes none. */
mc_status pay_fee_get(db_conn *c, arena *a, const char *code, struct pay_fee *out);

/* ---- recording ---- */

enum pay_source { PAY_STATEMENT, PAY_OFFICER, PAY_GATEWAY };
const char *pay_source_name(enum pay_source s); /* "qr-statement", "officer", "gateway" */

struct pay_record {
	const char *code; /* dossier code */
	int64_t amount;
	enum pay_source source;
	const char *reference; /* bank or gateway reference; officer: the slip number */
	const char *paid_at;   /* "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD" */
	const char *actor;     /* account id, or "system" */
};

struct pay_result {
	const char *receipt_no;
	bool financial_due;  /* the dossier was at status 6: WF_FINANCIAL_DONE is due */
	bool financial_done; /* ... and was performed in the same write */
};

/*
 * Inside a write: records one payment. MC_NOT_FOUND when the dossier owes
 * no fee; MC_CONFLICT when the fee is already paid or (source, reference) is
 * already recorded (*why "payment.duplicate" or "payment.already_paid");
 * MC_INVALID when the amount differs from the fee ("payment.amount_differs")
 * or a field is malformed.
 */
mc_status pay_record_in(db_conn *c, arena *a, const struct pay_record *p, const char *now,
			struct pay_result *out, const char **why);
mc_status pay_record(db *d, arena *a, const struct pay_record *p, struct pay_result *out,
		     const char **why);

struct bo_env;
struct bo_actor;

/*
 * Inside a write: when the dossier is in stage financial (status 6),
 * performs WF_FINANCIAL_DONE through bo_act_in, so the clock runs again;
 * otherwise nothing (MC_OK, *done false). who is the officer who confirmed
 * the payment, or NULL for the system (statement import, gateway); when
 * who may not perform it (a leader) or is NULL, the dossier's own agency
 * acts as a desk, without a person. *done (may be NULL) tells whether it
 * moved. Any failure must roll the caller's write back.
 */
mc_status pay_financial_done_in(db_conn *c, const struct bo_env *env, arena *a,
				const struct bo_actor *who, const char *code, bool *done);

/* pay_financial_done_in in a write of its own (the desk's repair of a
 * dossier paid before this was one write). */
mc_status pay_financial_done(const struct bo_env *env, arena *a, const struct bo_actor *who,
			     const char *code, bool *done);

/*
 * pay_record_in and pay_financial_done_in in ONE write: either the payment
 * is recorded and the waiting dossier moves on, or nothing is written.
 * out->financial_done tells whether it moved.
 */
mc_status pay_record_done(const struct bo_env *env, arena *a, const struct bo_actor *who,
			  const struct pay_record *p, struct pay_result *out, const char **why);

/* The payments of a dossier, oldest first. */
struct pay_payment {
	const char *source, *reference, *paid_at, *recorded_at, *receipt_no;
	int64_t amount;
};
mc_status pay_list(db_conn *c, arena *a, const char *code, struct pay_payment **out, int *n);

/* ---- what the applicant sees ---- */

/*
 * The dossier's payment as shown to the applicant and its officers:
 * {"status": "none"|"owed"|"paid", "amount", "amount_text" ("1.500.000 đ"),
 *  "purpose", "beneficiary": {"bin", "bank", "account", "name"} or null,
 *  "vietqr": the payload (owed with an account; else null),
 *  "payments": [{"source", "amount", "amount_text", "reference", "paid_at",
 *  "receipt_no", "receipt_url"}]}; with svg set, also "qr_svg", the code as
 * an inline SVG. The caller decides who may see it (dossier_get).
 */
mc_status pay_view_json(db_conn *c, arena *a, const char *code, bool svg, json_t **out);

/* The VietQR payload for a fee into an account (dynamic, amount, purpose
 * the dossier code); NULL when it cannot be built. */
const char *pay_vietqr(arena *a, const struct pay_account *acct, int64_t amount,
		       const char *purpose);

/* An inline SVG of a QR code of text (black modules on white, 4-module
 * quiet zone, scales with its box); NULL when text is too long. */
const char *pay_qr_svg(arena *a, const char *text);

/* ---- bank statement import ---- */

enum pay_outcome { PAY_MATCHED, PAY_UNMATCHED, PAY_DUPLICATE };

struct pay_line {
	int line; /* 1-based line number in the file */
	const char *date, *description, *reference;
	int64_t amount;
	enum pay_outcome outcome;
	const char *code; /* the dossier named, when one was found */
	const char *why;  /* unmatched/duplicate: an i18n key */
	const char *receipt_no;
	bool financial_due;  /* matched, and the dossier was at status 6 */
	bool financial_done; /* ... and it moved on in the import's write */
};

/*
 * Parses a statement in CSV (comma or semicolon separated, double quotes,
 * a header line naming date, amount, description, reference in any order).
 * Amounts may carry thousands separators ("1.500.000", "1,500,000").
 * Malformed lines are returned as unmatched with their reason, so the report
 * names every line; MC_INVALID only when the header is missing a column.
 */
mc_status pay_statement_parse(arena *a, const char *text, size_t len, struct pay_line **out, int *n,
			      char *err, size_t errlen);

/* Finds the dossier code in a transfer description, dots and dashes
 * optional (banks often strip them); codes are matched against the owed
 * fees in codes[0..ncodes). Returns the code or NULL. */
const char *pay_find_code(const char *description, const char *const *codes, int ncodes);

struct pay_summary {
	int matched, unmatched, duplicate;
	int64_t amount; /* matched, đồng */
};

/*
 * Records every matched line in one write (match = the code of an owed fee
 * in the description AND the exact amount; a reference already recorded or
 * repeated in the file is a duplicate), with WF_FINANCIAL_DONE for each
 * dossier that waited (pay_financial_done_in, the system acting): a
 * failure there rolls the whole import back. Fills each line's outcome.
 */
mc_status pay_statement_import(const struct bo_env *env, arena *a, const char *actor,
			       struct pay_line *lines, int n, struct pay_summary *sum);

/* ---- gateway callback ---- */

#define PAY_CALLBACK_SKEW 300 /* seconds a callback's timestamp may differ from now */

/*
 * Checks a gateway callback: hex(HMAC-SHA256(secret, body)) equals
 * signature (constant time). MC_UNAUTHORIZED when not.
 */
mc_status pay_signature_check(const char *secret, const char *body, size_t len,
			      const char *signature);

/* hex HMAC-SHA256 of body under secret (65 bytes with the NUL). */
void pay_signature(const char *secret, const char *body, size_t len, char out[65]);

struct pay_callback {
	const char *code, *reference, *nonce, *paid_at;
	int64_t amount, timestamp;
};

/*
 * Parses the JSON body of a callback ({"dossier","amount","reference",
 * "paid_at","timestamp","nonce"}) into cb (strings in a). MC_INVALID with
 * *why when a field is missing or malformed.
 */
mc_status pay_callback_parse(arena *a, const char *body, size_t len, struct pay_callback *cb,
			     const char **why);

/*
 * Records a verified callback: MC_UNAUTHORIZED ("payment.stale") when its
 * timestamp is more than PAY_CALLBACK_SKEW from now; MC_CONFLICT
 * ("payment.replay") when its nonce was seen; otherwise as pay_record_done
 * with the system acting. The nonce is stored in the same write as the
 * payment and the dossier's move.
 */
mc_status pay_callback_record(const struct bo_env *env, arena *a, const struct pay_callback *cb,
			      int64_t now, struct pay_result *out, const char **why);

#endif
