/*
 * payment.c - fees, collection accounts, payment recording, bank statement
 * import and the gateway callback (see payment.h).
 *
 * Recording is pay_record_in: every way money arrives ends there, inside a
 * write, so the payment row, the fee's new status, the receipt number and
 * the audit entry commit together. The statement import decides each line
 * inside its one write (duplicates against what is stored and what came
 * earlier in the file, then code and amount against the owed fees), so two
 * imports of overlapping statements never count a line twice.
 */
#include "domain/payment.h"

#include <ctype.h>
#include <jansson.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/format.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/audit.h"
#include "domain/backoffice.h"
#include "http/router.h"
#include "domain/vietqr.h"

#define REF_MAX	    100 /* bytes of a reference */
#define NAME_MAX_CP 70	/* code points of an account name */

/* ---- banks ---- */

/* NAPAS BINs of Vietnamese banks (the bankId of NAPAS's member list, as
 * used in VietQR field 38/01/00). */
static const struct {
	const char *bin, *name;
} banks[] = {
	{"970400", "Saigonbank"},
	{"970403", "Sacombank"},
	{"970405", "Agribank"},
	{"970406", "DongA Bank"},
	{"970407", "Techcombank"},
	{"970408", "GPBank"},
	{"970409", "Bac A Bank"},
	{"970412", "PVcomBank"},
	{"970414", "OceanBank"},
	{"970415", "VietinBank"},
	{"970416", "ACB"},
	{"970418", "BIDV"},
	{"970419", "NCB"},
	{"970422", "MB Bank"},
	{"970423", "TPBank"},
	{"970424", "Shinhan Bank"},
	{"970425", "ABBANK"},
	{"970426", "MSB"},
	{"970427", "VietABank"},
	{"970428", "Nam A Bank"},
	{"970429", "SCB"},
	{"970430", "PG Bank"},
	{"970431", "Eximbank"},
	{"970432", "VPBank"},
	{"970433", "VietBank"},
	{"970436", "Vietcombank"},
	{"970437", "HDBank"},
	{"970438", "BaoViet Bank"},
	{"970439", "Public Bank"},
	{"970440", "SeABank"},
	{"970441", "VIB"},
	{"970442", "Hong Leong Bank"},
	{"970443", "SHB"},
	{"970448", "OCB"},
	{"970449", "LPBank"},
	{"970452", "KienlongBank"},
	{"970454", "Viet Capital Bank"},
};

const char *pay_bank_name(const char *bin)
{
	for (size_t i = 0; bin && i < sizeof banks / sizeof *banks; i++)
		if (strcmp(banks[i].bin, bin) == 0)
			return banks[i].name;
	return NULL;
}

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool clean_line(const char *s, size_t maxcp)
{
	if (!s || !*s || !utf8_valid_text(s, strlen(s)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return false;
	return text_length(s) <= maxcp;
}

const char *pay_account_problem(const struct pay_account *acct)
{
	if (!pay_bank_name(acct->bin))
		return "payment.bad_bin";
	if (!digits(acct->account, 6, 19))
		return "payment.bad_account";
	if (!clean_line(acct->name, NAME_MAX_CP))
		return "payment.bad_account_name";
	return NULL;
}

static void now_vn(char out[20])
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

struct account_ctx {
	const char *actor;
	const struct pay_account *acct;
	const char *now;
};

static mc_status account_write(db_conn *c, void *arg)
{
	struct account_ctx *x = arg;
	const struct pay_account *p = x->acct;
	arena *a = arena_new(1024);
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT 1 FROM agency WHERE code = $1",
				DB_ARGS(DB_TEXT(p->agency_code)), &r);
	if (rc == MC_OK && db_nrows(r) == 0)
		rc = MC_NOT_FOUND;
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM agency_bank WHERE agency_code = $1",
			     DB_ARGS(DB_TEXT(p->agency_code)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "INSERT INTO agency_bank (agency_code, bin, account, account_name, "
			     "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)",
			     DB_ARGS(DB_TEXT(p->agency_code), DB_TEXT(p->bin), DB_TEXT(p->account),
				     DB_TEXT(p->name), DB_TEXT(x->now), DB_TEXT(x->actor)),
			     NULL);
	if (rc == MC_OK) {
		json_t *data = json_pack("{s:s,s:s,s:s}", "bin", p->bin, "account", p->account,
					 "name", p->name);
		rc = audit_append(c, x->actor, "payment.bank_set",
				  arena_printf(a, "agency:%s", p->agency_code), data, NULL);
		json_decref(data);
	}
	arena_free(a);
	return rc;
}

mc_status pay_account_set(db *d, const char *actor, const struct pay_account *acct,
			  const char **why)
{
	const char *problem = pay_account_problem(acct);
	if (problem || !acct->agency_code || !*acct->agency_code) {
		if (why)
			*why = problem ? problem : "payment.bad_agency";
		return MC_INVALID;
	}
	char now[20];
	now_vn(now);
	struct account_ctx x = {actor, acct, now};
	return db_write(d, account_write, &x);
}

mc_status pay_account_get(db_conn *c, arena *a, const char *agency_code, struct pay_account *out)
{
	db_result *r;
	mc_status rc = db_query(
		c, a, "SELECT bin, account, account_name FROM agency_bank WHERE agency_code = $1",
		DB_ARGS(DB_TEXT(agency_code)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	*out = (struct pay_account){arena_strdup(a, agency_code), db_text(r, 0, 0),
				    db_text(r, 0, 1), db_text(r, 0, 2)};
	return MC_OK;
}

/* ---- fees ---- */

static const char fee_select[] =
	"SELECT d.id, d.code, d.agency_code, d.status, f.amount, f.purpose, f.status, "
	"f.created_at, f.paid_at FROM dossier d JOIN dossier_fee f ON f.dossier_id = d.id "
	"WHERE d.code = $1";

mc_status pay_fee_get(db_conn *c, arena *a, const char *code, struct pay_fee *out)
{
	db_result *r;
	mc_status rc = db_query(c, a, fee_select, DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	*out = (struct pay_fee){
		.dossier_id = db_text(r, 0, 0),
		.code = db_text(r, 0, 1),
		.agency_code = db_text(r, 0, 2),
		.dossier_status = (int)db_int(r, 0, 3),
		.amount = db_int(r, 0, 4),
		.purpose = db_text(r, 0, 5),
		.paid = strcmp(db_text(r, 0, 6), "paid") == 0,
		.created_at = db_text(r, 0, 7),
		.paid_at = db_text(r, 0, 8),
	};
	return MC_OK;
}

mc_status pay_fee_set_in(db_conn *c, arena *a, const char *actor, const char *code, int64_t amount,
			 const char *now)
{
	if (amount <= 0 || amount > PAY_MAX_AMOUNT)
		return MC_INVALID;
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT id FROM dossier WHERE code = $1",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	const char *id = db_text(r, 0, 0);
	struct pay_fee old;
	rc = pay_fee_get(c, a, code, &old);
	if (rc == MC_OK && old.paid)
		return MC_CONFLICT;
	if (rc != MC_OK && rc != MC_NOT_FOUND)
		return rc;
	rc = db_exec(c, "DELETE FROM dossier_fee WHERE dossier_id = $1", DB_ARGS(DB_TEXT(id)),
		     NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "INSERT INTO dossier_fee (dossier_id, amount, purpose, status, "
			     "created_at, created_by) VALUES ($1, $2, $3, 'owed', $4, $5)",
			     DB_ARGS(DB_TEXT(id), DB_INT(amount), DB_TEXT(code), DB_TEXT(now),
				     DB_TEXT(actor)),
			     NULL);
	if (rc != MC_OK)
		return rc;
	json_t *data = json_pack("{s:I}", "amount", (json_int_t)amount);
	rc = audit_append(c, actor, "payment.fee_set", arena_printf(a, "dossier:%s", code), data,
			  NULL);
	json_decref(data);
	return rc;
}

struct fee_ctx {
	const char *actor, *code, *now;
	int64_t amount;
};

static mc_status fee_write(db_conn *c, void *arg)
{
	struct fee_ctx *x = arg;
	arena *a = arena_new(1024);
	mc_status rc = pay_fee_set_in(c, a, x->actor, x->code, x->amount, x->now);
	arena_free(a);
	return rc;
}

mc_status pay_fee_set(db *d, const char *actor, const char *code, int64_t amount)
{
	if (amount <= 0 || amount > PAY_MAX_AMOUNT)
		return MC_INVALID;
	char now[20];
	now_vn(now);
	struct fee_ctx x = {actor, code, now, amount};
	return db_write(d, fee_write, &x);
}

/* ---- recording ---- */

const char *pay_source_name(enum pay_source s)
{
	switch (s) {
	case PAY_STATEMENT: return "qr-statement";
	case PAY_OFFICER: return "officer";
	case PAY_GATEWAY: return "gateway";
	}
	return "officer";
}

/* "YYYY-MM-DD[ HH:MM[:SS]]" or "dd/mm/yyyy[ HH:MM[:SS]]" to the stored form;
 * NULL when it is neither or not a real date. */
static const char *normal_time(arena *a, const char *s)
{
	if (!s)
		return NULL;
	int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, k = 0;
	size_t n = strlen(s);
	if (n >= 10 && s[4] == '-' && s[7] == '-') {
		k = sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &m, &d, &hh, &mm, &ss);
	} else if (n >= 10 && s[2] == '/' && s[5] == '/') {
		k = sscanf(s, "%2d/%2d/%4d %2d:%2d:%2d", &d, &m, &y, &hh, &mm, &ss);
	} else {
		return NULL;
	}
	if (k < 3 || n > 19 || y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || hh > 23 ||
	    mm > 59 || ss > 59 || hh < 0 || mm < 0 || ss < 0)
		return NULL;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return NULL;
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mm, ss);
}

static bool reference_ok(const char *s)
{
	return s && *s && strlen(s) <= REF_MAX && clean_line(s, REF_MAX);
}

static const char *new_receipt_no(arena *a, const char *now)
{
	unsigned char raw[4];
	randombytes_buf(raw, sizeof raw);
	/* BL<yymmdd>-<8 hex>: biên lai, the day it was issued, a random tail. */
	return arena_printf(a, "BL%.2s%.2s%.2s-%02X%02X%02X%02X", now + 2, now + 5, now + 8, raw[0],
			    raw[1], raw[2], raw[3]);
}

static const char *new_id(arena *a)
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof raw);
	char *hex = arena_alloc(a, 33);
	sodium_bin2hex(hex, 33, raw, sizeof raw);
	return hex;
}

static mc_status set_why(const char **why, const char *key, mc_status rc)
{
	if (why)
		*why = key;
	return rc;
}

mc_status pay_record_in(db_conn *c, arena *a, const struct pay_record *p, const char *now,
			struct pay_result *out, const char **why)
{
	const char *paid_at = normal_time(a, p->paid_at);
	if (!p->code || !paid_at || !reference_ok(p->reference) || !p->actor || !*p->actor)
		return set_why(why, "payment.bad_fields", MC_INVALID);
	struct pay_fee fee;
	mc_status rc = pay_fee_get(c, a, p->code, &fee);
	if (rc == MC_NOT_FOUND)
		return set_why(why, "payment.no_fee", rc);
	if (rc != MC_OK)
		return rc;
	const char *source = pay_source_name(p->source);
	db_result *r;
	rc = db_query(c, a, "SELECT 1 FROM payment WHERE source = $1 AND reference = $2",
		      DB_ARGS(DB_TEXT(source), DB_TEXT(p->reference)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) > 0)
		return set_why(why, "payment.duplicate", MC_CONFLICT);
	if (fee.paid)
		return set_why(why, "payment.already_paid", MC_CONFLICT);
	if (p->amount != fee.amount)
		return set_why(why, "payment.amount_differs", MC_INVALID);

	const char *receipt = new_receipt_no(a, now);
	rc = db_exec(
		c,
		"INSERT INTO payment (id, dossier_id, source, amount, reference, paid_at, "
		"recorded_at, recorded_by, receipt_no) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
		"$9)",
		DB_ARGS(DB_TEXT(new_id(a)), DB_TEXT(fee.dossier_id), DB_TEXT(source),
			DB_INT(p->amount), DB_TEXT(p->reference), DB_TEXT(paid_at), DB_TEXT(now),
			DB_TEXT(p->actor), DB_TEXT(receipt)),
		NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier_fee SET status = 'paid', paid_at = $1 WHERE "
			     "dossier_id = $2 AND status = 'owed'",
			     DB_ARGS(DB_TEXT(paid_at), DB_TEXT(fee.dossier_id)), NULL);
	if (rc != MC_OK)
		return rc;
	json_t *data = json_pack("{s:s,s:I,s:s,s:s,s:s}", "source", source, "amount",
				 (json_int_t)p->amount, "reference", p->reference, "paid_at",
				 paid_at, "receipt_no", receipt);
	rc = audit_append(c, p->actor, "payment.record", arena_printf(a, "dossier:%s", p->code),
			  data, NULL);
	json_decref(data);
	if (rc == MC_OK && out)
		*out = (struct pay_result){receipt, fee.dossier_status == 6, false};
	return rc;
}

struct record_ctx {
	arena *a;
	const struct pay_record *p;
	const char *now;
	struct pay_result *out;
	const char **why;
};

static mc_status record_write(db_conn *c, void *arg)
{
	struct record_ctx *x = arg;
	return pay_record_in(c, x->a, x->p, x->now, x->out, x->why);
}

mc_status pay_record(db *d, arena *a, const struct pay_record *p, struct pay_result *out,
		     const char **why)
{
	char now[20];
	now_vn(now);
	struct record_ctx x = {a, p, arena_strdup(a, now), out, why};
	return db_write(d, record_write, &x);
}

mc_status pay_financial_done_in(db_conn *c, const struct bo_env *env, arena *a,
				const struct bo_actor *who, const char *code, bool *done)
{
	if (done)
		*done = false;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT stage, version, agency_code, account_id, assignee_id "
				"FROM dossier WHERE code = $1",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	if (strcmp(db_text(r, 0, 0), wf_stage_name(WF_FINANCIAL)) != 0)
		return MC_OK; /* moved on meanwhile, or never waited */
	/* The confirming officer acts when the table lets them (a desk, the
	 * assigned specialist); otherwise the agency acts as a desk, without a
	 * person (a leader's confirmation, a statement line, the gateway). */
	struct bo_actor system = {NULL, ROLE_DESK, db_text(r, 0, 2)};
	const struct bo_actor *actor = &system;
	if (who && (bo_actor_bits(who, db_text(r, 0, 2), db_text(r, 0, 3), db_text(r, 0, 4)) &
		    (WF_DESK | WF_SPECIALIST)))
		actor = who;
	struct bo_action act = {.action = WF_FINANCIAL_DONE,
				.version = db_int(r, 0, 1),
				.note = "payment recorded"};
	struct bo_result res;
	rc = bo_act_in(c, env, a, actor, code, &act, &res);
	if (rc == MC_OK && done)
		*done = true;
	return rc;
}

struct done_ctx {
	const struct bo_env *env;
	arena *a;
	const struct bo_actor *who;
	const char *code;
	bool *done;
};

static mc_status done_write(db_conn *c, void *arg)
{
	struct done_ctx *x = arg;
	return pay_financial_done_in(c, x->env, x->a, x->who, x->code, x->done);
}

mc_status pay_financial_done(const struct bo_env *env, arena *a, const struct bo_actor *who,
			     const char *code, bool *done)
{
	struct done_ctx x = {env, a, who, code, done};
	return db_write(env->d, done_write, &x);
}

/* Inside the payment's write: a dossier waiting for this payment moves on. */
static mc_status record_done_in(db_conn *c, const struct bo_env *env, arena *a,
				const struct bo_actor *who, const char *code,
				struct pay_result *res)
{
	res->financial_done = false;
	if (!res->financial_due)
		return MC_OK;
	return pay_financial_done_in(c, env, a, who, code, &res->financial_done);
}

struct record_done_ctx {
	const struct bo_env *env;
	arena *a;
	const struct bo_actor *who;
	const struct pay_record *p;
	const char *now;
	struct pay_result *out;
	const char **why;
};

static mc_status record_done_write(db_conn *c, void *arg)
{
	struct record_done_ctx *x = arg;
	mc_status rc = pay_record_in(c, x->a, x->p, x->now, x->out, x->why);
	return rc == MC_OK ? record_done_in(c, x->env, x->a, x->who, x->p->code, x->out) : rc;
}

mc_status pay_record_done(const struct bo_env *env, arena *a, const struct bo_actor *who,
			  const struct pay_record *p, struct pay_result *out, const char **why)
{
	char now[20];
	now_vn(now);
	struct pay_result res = {0};
	struct record_done_ctx x = {env, a, who, p, arena_strdup(a, now), &res, why};
	mc_status rc = db_write(env->d, record_done_write, &x);
	if (out)
		*out = res;
	return rc;
}

mc_status pay_list(db_conn *c, arena *a, const char *code, struct pay_payment **out, int *n)
{
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT p.source, p.reference, p.paid_at, p.recorded_at, "
				"p.receipt_no, p.amount FROM payment p JOIN dossier d ON d.id = "
				"p.dossier_id WHERE d.code = $1 ORDER BY p.recorded_at, p.id",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK)
		return rc;
	*n = db_nrows(r);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof **out);
	for (int i = 0; i < *n; i++)
		(*out)[i] =
			(struct pay_payment){db_text(r, i, 0), db_text(r, i, 1), db_text(r, i, 2),
					     db_text(r, i, 3), db_text(r, i, 4), db_int(r, i, 5)};
	return MC_OK;
}

/* ---- what the applicant sees ---- */

const char *pay_vietqr(arena *a, const struct pay_account *acct, int64_t amount,
		       const char *purpose)
{
	struct vietqr q = {
		.bin = acct->bin, .account = acct->account, .amount = amount, .purpose = purpose};
	const char *out = NULL;
	char err[128];
	return vietqr_build(a, &q, &out, err, sizeof err) == MC_OK ? out : NULL;
}

const char *pay_qr_svg(arena *a, const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	int w = qr->width, side = w + 8;
	buf b;
	buf_init(&b, 1u << 20);
	buf_printf(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		   "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"VietQR\">"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   side, side, side, side);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				buf_printf(&b, "M%d %dh1v1h-1z", x + 4, y + 4);
	buf_puts(&b, "\"/></svg>");
	QRcode_free(qr);
	const char *out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

/* "YYYY-MM-DD HH:MM:SS" as "dd/mm/yyyy HH:MM". */
static const char *shown_time(arena *a, const char *s)
{
	if (!s || strlen(s) < 16)
		return "";
	return arena_printf(a, "%.2s/%.2s/%.4s %.5s", s + 8, s + 5, s, s + 11);
}

mc_status pay_view_json(db_conn *c, arena *a, const char *code, bool svg, json_t **out)
{
	struct pay_fee fee;
	mc_status rc = pay_fee_get(c, a, code, &fee);
	if (rc == MC_NOT_FOUND) {
		*out = json_pack("{s:s,s:n,s:n,s:n,s:n,s:n,s:[]}", "status", "none", "amount",
				 "amount_text", "purpose", "beneficiary", "vietqr", "payments");
		return MC_OK;
	}
	if (rc != MC_OK)
		return rc;
	struct pay_account acct;
	rc = pay_account_get(c, a, fee.agency_code, &acct);
	if (rc != MC_OK && rc != MC_NOT_FOUND)
		return rc;
	bool has_account = rc == MC_OK;
	const char *payload =
		has_account && !fee.paid ? pay_vietqr(a, &acct, fee.amount, fee.purpose) : NULL;
	json_t *o = json_pack("{s:s,s:I,s:s,s:s}", "status", fee.paid ? "paid" : "owed", "amount",
			      (json_int_t)fee.amount, "amount_text",
			      format_money_vnd(a, fee.amount), "purpose", fee.purpose);
	json_object_set_new(o, "beneficiary",
			    has_account ? json_pack("{s:s,s:s,s:s,s:s}", "bin", acct.bin, "bank",
						    pay_bank_name(acct.bin), "account",
						    acct.account, "name", acct.name)
					: json_null());
	json_object_set_new(o, "vietqr", payload ? json_string(payload) : json_null());
	if (svg && payload) {
		const char *s = pay_qr_svg(a, payload);
		if (s)
			json_object_set_new(o, "qr_svg", json_string(s));
	}
	struct pay_payment *list;
	int n;
	rc = pay_list(c, a, code, &list, &n);
	if (rc != MC_OK) {
		json_decref(o);
		return rc;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			arr, json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "source",
				       list[i].source, "amount", (json_int_t)list[i].amount,
				       "amount_text", format_money_vnd(a, list[i].amount),
				       "reference", list[i].reference, "paid_at", list[i].paid_at,
				       "paid_at_text", shown_time(a, list[i].paid_at), "receipt_no",
				       list[i].receipt_no, "receipt_url",
				       arena_printf(a, "/ho-so/%s/bien-lai/%s", code,
						    list[i].receipt_no),
				       "receipt_pdf_url",
				       arena_printf(a, "/ho-so/%s/bien-lai/%s.pdf", code,
						    list[i].receipt_no)));
	json_object_set_new(o, "payments", arr);
	*out = o;
	return MC_OK;
}

/* ---- statement ---- */

/* Splits one CSV record starting at *pos into at most max fields (quotes
 * with "" inside); advances *pos past its newline. Returns the count. */
static int csv_record(arena *a, const char *s, size_t len, size_t *pos, char sep, char **f, int max)
{
	int nf = 0;
	size_t i = *pos;
	for (;;) {
		char *v = arena_alloc(a, len - i + 1);
		size_t k = 0;
		if (i < len && s[i] == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
					v[k++] = s[i++];
				else if (s[i] == '"')
					break;
				else
					v[k++] = s[i];
			}
			i++;
		}
		while (i < len && s[i] != sep && s[i] != '\n' && s[i] != '\r')
			v[k++] = s[i++];
		v[k] = '\0';
		while (k > 0 && v[k - 1] == ' ')
			v[--k] = '\0';
		char *t = v;
		while (*t == ' ')
			t++;
		if (nf < max)
			f[nf] = t;
		nf++;
		if (i < len && s[i] == sep) {
			i++;
			continue;
		}
		break;
	}
	while (i < len && s[i] != '\n')
		i++;
	*pos = i < len ? i + 1 : len;
	return nf;
}

/* "1.500.000", "1,500,000", "1500000", "1.500.000 đ", "+1500000": whole đồng;
 * -1 when it is not a positive whole amount. */
static int64_t statement_amount(const char *s)
{
	int64_t v = 0;
	int nd = 0;
	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (v > PAY_MAX_AMOUNT)
				return -1;
			v = v * 10 + (*s - '0');
			nd++;
		} else if ((*s == '.' || *s == ',') && nd > 0 && isdigit((unsigned char)s[1]) &&
			   isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
			   !isdigit((unsigned char)s[4])) {
			continue;
		} else if (*s == ' ' || strncmp(s, "đ", strlen("đ")) == 0 ||
			   strncmp(s, "VND", 3) == 0) {
			break;
		} else {
			return -1;
		}
	}
	return nd && v > 0 && v <= PAY_MAX_AMOUNT ? v : -1;
}

static int column_of(char **h, int nh, const char *const *names)
{
	for (int i = 0; i < nh; i++)
		for (const char *const *n = names; *n; n++)
			if (strcasecmp(h[i], *n) == 0)
				return i;
	return -1;
}

mc_status pay_statement_parse(arena *a, const char *text, size_t len, struct pay_line **out, int *n,
			      char *err, size_t errlen)
{
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a BOM from spreadsheets */
		text += 3;
		len -= 3;
	}
	size_t pos = 0;
	char *h[16];
	size_t eol = strcspn(text, "\n");
	char sep = memchr(text, ';', eol < len ? eol : len) ? ';' : ',';
	int nh = csv_record(a, text, len, &pos, sep, h, 16);
	if (nh > 16)
		nh = 16;
	static const char *const c_date[] = {"date", "ngày", "ngay", NULL};
	static const char *const c_amount[] = {"amount", "số tiền", "so tien", NULL};
	static const char *const c_desc[] = {"description", "nội dung", "noi dung", NULL};
	static const char *const c_ref[] = {"reference", "số tham chiếu", "so tham chieu", NULL};
	int cd = column_of(h, nh, c_date), ca = column_of(h, nh, c_amount),
	    cs = column_of(h, nh, c_desc), cr = column_of(h, nh, c_ref);
	if (cd < 0 || ca < 0 || cs < 0 || cr < 0) {
		snprintf(err, errlen,
			 "line 1: the header must name the columns date, amount, description, "
			 "reference");
		return MC_INVALID;
	}
	int cap = 64, count = 0, line = 1;
	struct pay_line *v = arena_calloc(a, (size_t)cap, sizeof *v);
	while (pos < len) {
		line++;
		size_t start = pos;
		char *f[16];
		int nf = csv_record(a, text, len, &pos, sep, f, 16);
		if (nf == 1 && !*f[0] && pos - start <= 2)
			continue; /* an empty line */
		if (count == cap) {
			struct pay_line *w = arena_calloc(a, (size_t)cap * 2, sizeof *w);
			memcpy(w, v, (size_t)cap * sizeof *v);
			v = w;
			cap *= 2;
		}
		struct pay_line *l = &v[count++];
		*l = (struct pay_line){.line = line, .outcome = PAY_UNMATCHED};
		int most = cd > ca ? cd : ca;
		most = most > cs ? most : cs;
		most = most > cr ? most : cr;
		if (nf <= most) {
			l->why = "payment.line_columns";
			continue;
		}
		l->date = normal_time(a, f[cd]);
		l->amount = statement_amount(f[ca]);
		l->description = f[cs];
		l->reference = f[cr];
		if (!l->date)
			l->why = "payment.line_date";
		else if (l->amount <= 0)
			l->why = "payment.line_amount";
		else if (!utf8_valid_text(l->description, strlen(l->description)))
			l->why = "payment.line_text";
		else if (*l->reference && !reference_ok(l->reference))
			l->why = "payment.line_reference";
	}
	*out = v;
	*n = count;
	return MC_OK;
}

/* Matches code at d: letters and digits case-insensitively; where the code
 * has '.' or '-' the description may have one of ". - _ /" or a space, or
 * nothing. Returns the bytes consumed, or 0. */
static size_t match_at(const char *d, const char *code)
{
	const char *p = d;
	for (const char *c = code; *c; c++) {
		if (*c == '.' || *c == '-') {
			if (*p && strchr(".-_/ ", *p))
				p++;
			continue;
		}
		if (toupper((unsigned char)*p) != toupper((unsigned char)*c))
			return 0;
		p++;
	}
	return (size_t)(p - d);
}

const char *pay_find_code(const char *description, const char *const *codes, int ncodes)
{
	const char *found = NULL;
	for (const char *s = description; s && *s; s++) {
		if (s > description && isalnum((unsigned char)s[-1]))
			continue;
		for (int i = 0; i < ncodes; i++) {
			size_t k = match_at(s, codes[i]);
			if (!k || isalnum((unsigned char)s[k]))
				continue;
			if (found && strcmp(found, codes[i]) != 0)
				return NULL; /* two different dossiers: nobody can tell which */
			found = codes[i];
		}
	}
	return found;
}

struct import_ctx {
	const struct bo_env *env;
	arena *a;
	const char *actor, *now;
	struct pay_line *lines;
	int n;
	struct pay_summary *sum;
};

static const char *line_reference(arena *a, const struct pay_line *l)
{
	if (l->reference && *l->reference)
		return l->reference;
	/* No bank reference: the line's own content stands for it. */
	char *key = arena_printf(a, "%s|%lld|%s", l->date, (long long)l->amount, l->description);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return arena_printf(a, "line:%.32s", hex);
}

static mc_status import_write(db_conn *c, void *arg)
{
	struct import_ctx *x = arg;
	arena *a = x->a;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT d.code, f.amount FROM dossier_fee f JOIN dossier d ON "
				"d.id = f.dossier_id WHERE f.status = 'owed' ORDER BY d.code",
				DB_NOARGS, &r);
	if (rc != MC_OK)
		return rc;
	int ncodes = db_nrows(r);
	const char **codes = arena_calloc(a, (size_t)ncodes + 1, sizeof *codes);
	for (int i = 0; i < ncodes; i++)
		codes[i] = db_text(r, i, 0);
	*x->sum = (struct pay_summary){0};
	const char **refs = arena_calloc(a, (size_t)x->n + 1, sizeof *refs);
	for (int i = 0; i < x->n; i++)
		refs[i] = x->lines[i].why ? NULL : line_reference(a, &x->lines[i]);
	for (int i = 0; i < x->n; i++) {
		struct pay_line *l = &x->lines[i];
		if (!refs[i]) { /* malformed, told by the parser */
			x->sum->unmatched++;
			continue;
		}
		const char *ref = refs[i];
		bool again = false;
		for (int j = 0; j < i && !again; j++)
			again = refs[j] && strcmp(refs[j], ref) == 0;
		if (!again) {
			rc = db_query(c, a,
				      "SELECT 1 FROM payment WHERE source = 'qr-statement' AND "
				      "reference = $1",
				      DB_ARGS(DB_TEXT(ref)), &r);
			if (rc != MC_OK)
				return rc;
			again = db_nrows(r) > 0;
		}
		l->code = pay_find_code(l->description, codes, ncodes);
		struct pay_record p = {l->code, l->amount, PAY_STATEMENT, ref, l->date, x->actor};
		struct pay_result res = {0};
		const char *why = NULL;
		if (again) {
			rc = MC_CONFLICT;
			why = "payment.duplicate";
		} else if (!l->code) {
			rc = MC_NOT_FOUND;
			why = "payment.no_code";
		} else {
			rc = pay_record_in(c, a, &p, x->now, &res, &why);
		}
		if (rc == MC_OK) {
			/* A failure here is not the line's: the whole import rolls
			 * back rather than keep a payment without its effect. */
			mc_status done = record_done_in(c, x->env, a, NULL, l->code, &res);
			if (done != MC_OK)
				return done;

			l->outcome = PAY_MATCHED;
			l->receipt_no = res.receipt_no;
			l->financial_due = res.financial_due;
			l->financial_done = res.financial_done;
			x->sum->matched++;
			x->sum->amount += l->amount;
		} else if (rc == MC_CONFLICT && why && strcmp(why, "payment.duplicate") == 0) {
			l->outcome = PAY_DUPLICATE;
			l->why = why;
			x->sum->duplicate++;
		} else if (rc == MC_CONFLICT || rc == MC_INVALID || rc == MC_NOT_FOUND) {
			l->outcome = PAY_UNMATCHED;
			l->why = why ? why : "payment.no_code";
			x->sum->unmatched++;
		} else {
			return rc;
		}
	}
	return MC_OK;
}

mc_status pay_statement_import(const struct bo_env *env, arena *a, const char *actor,
			       struct pay_line *lines, int n, struct pay_summary *sum)
{
	char now[20];
	now_vn(now);
	struct import_ctx x = {env, a, actor, arena_strdup(a, now), lines, n, sum};
	return db_write(env->d, import_write, &x);
}

/* ---- gateway callback ---- */

void pay_signature(const char *secret, const char *body, size_t len, char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

mc_status pay_signature_check(const char *secret, const char *body, size_t len,
			      const char *signature)
{
	if (!secret || !*secret || !signature || strlen(signature) != 64)
		return MC_UNAUTHORIZED;
	char want[65], got[65];
	pay_signature(secret, body, len, want);
	for (int i = 0; i < 64; i++)
		got[i] = (char)tolower((unsigned char)signature[i]);
	got[64] = '\0';
	return sodium_memcmp(want, got, 64) == 0 ? MC_OK : MC_UNAUTHORIZED;
}

static const char *json_str(arena *a, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? arena_strdup(a, s) : NULL;
}

mc_status pay_callback_parse(arena *a, const char *body, size_t len, struct pay_callback *cb,
			     const char **why)
{
	json_t *j = json_loadb(body, len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return set_why(why, "payment.bad_fields", MC_INVALID);
	}
	*cb = (struct pay_callback){
		.code = json_str(a, j, "dossier"),
		.reference = json_str(a, j, "reference"),
		.nonce = json_str(a, j, "nonce"),
		.paid_at = json_str(a, j, "paid_at"),
		.amount = json_is_integer(json_object_get(j, "amount"))
				  ? json_integer_value(json_object_get(j, "amount"))
				  : -1,
		.timestamp = json_is_integer(json_object_get(j, "timestamp"))
				     ? json_integer_value(json_object_get(j, "timestamp"))
				     : -1,
	};
	json_decref(j);
	size_t nl = cb->nonce ? strlen(cb->nonce) : 0;
	if (!cb->code || !reference_ok(cb->reference) || nl < 16 || nl > 128 ||
	    !clean_line(cb->nonce, 128) || !normal_time(a, cb->paid_at) || cb->amount <= 0 ||
	    cb->timestamp < 0)
		return set_why(why, "payment.bad_fields", MC_INVALID);
	return MC_OK;
}

struct callback_ctx {
	const struct bo_env *env;
	arena *a;
	const struct pay_callback *cb;
	int64_t now;
	const char *now_text;
	struct pay_result res;
	const char **why;
};

static mc_status callback_write(db_conn *c, void *arg)
{
	struct callback_ctx *x = arg;
	db_result *r;
	mc_status rc = db_exec(c, "DELETE FROM payment_nonce WHERE seen_at < $1",
			       DB_ARGS(DB_INT(x->now - 2 * PAY_CALLBACK_SKEW)), NULL);
	if (rc == MC_OK)
		rc = db_query(c, x->a, "SELECT 1 FROM payment_nonce WHERE nonce = $1",
			      DB_ARGS(DB_TEXT(x->cb->nonce)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) > 0)
		return set_why(x->why, "payment.replay", MC_CONFLICT);
	rc = db_exec(c, "INSERT INTO payment_nonce (nonce, seen_at) VALUES ($1, $2)",
		     DB_ARGS(DB_TEXT(x->cb->nonce), DB_INT(x->now)), NULL);
	if (rc != MC_OK)
		return rc;
	struct pay_record p = {x->cb->code,	 x->cb->amount,	 PAY_GATEWAY,
			       x->cb->reference, x->cb->paid_at, "system"};
	rc = pay_record_in(c, x->a, &p, x->now_text, &x->res, x->why);
	return rc == MC_OK ? record_done_in(c, x->env, x->a, NULL, p.code, &x->res) : rc;
}

mc_status pay_callback_record(const struct bo_env *env, arena *a, const struct pay_callback *cb,
			      int64_t now, struct pay_result *out, const char **why)
{
	if (cb->timestamp < now - PAY_CALLBACK_SKEW || cb->timestamp > now + PAY_CALLBACK_SKEW)
		return set_why(why, "payment.stale", MC_UNAUTHORIZED);
	time_t t = (time_t)now + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char text[20];
	strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
	struct callback_ctx x = {env, a, cb, now, arena_strdup(a, text), {0}, why};
	mc_status rc = db_write(env->d, callback_write, &x);
	if (out)
		*out = x.res;
	return rc;
}
