/*
 * payments.c - fees and payments in the JSON API:
 *   GET  /api/v1/dossiers/{code}/payment            the applicant or the agency's officers
 *   POST /api/v1/officer/dossiers/{code}/fee        desk or leader: the fee owed
 *   POST /api/v1/officer/dossiers/{code}/payments   desk or leader: a payment seen by hand
 *   POST /api/v1/payments/callback                  the payment gateway, signed
 * Who may see a dossier is dossier_get's decision (404 for anyone else).
 */
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "app.h"
#include "domain/backoffice.h"
#include "domain/catalogue.h"
#include "domain/dossier.h"
#include "domain/fee.h"
#include "domain/payment.h"
#include "core/log.h"
#include "http/csrf.h"
#include "web/officer.h"

/* The dossier, when this person may see it; replies otherwise. */
static bool visible(http_req *r, struct dossier *d)
{
	struct app *app = http_app(r);
	struct dossier_viewer v = {r->user->account_id, r->user->agency_code};
	mc_status rc = dossier_get(app->db, r->a, &v, http_param(r, "code"), d);
	if (rc != MC_OK)
		http_reply_status(r, rc);
	return rc == MC_OK;
}

/* Officers act for their own agency only (an applicant who sees the
 * dossier is not its officer). */
static bool officer_of(http_req *r, struct dossier *d)
{
	if (!r->user->api && !csrf_check(r))
		return false;
	if (!visible(r, d))
		return false;
	if (!r->user->agency_code || strcmp(r->user->agency_code, d->agency_code) != 0) {
		http_reply_status(r, MC_NOT_FOUND);
		return false;
	}
	return true;
}

static void reply_why(http_req *r, mc_status rc, const char *why)
{
	if (why &&
	    (rc == MC_INVALID || rc == MC_CONFLICT || rc == MC_NOT_FOUND || rc == MC_UNAUTHORIZED))
		http_reply_error(r, rc == MC_INVALID ? 422 : http_status_of(rc), http_msg(r, why));
	else
		http_reply_status(r, rc);
}

/* The JSON object of the body, or a 400 reply and NULL. */
static json_t *body_json(http_req *r)
{
	const char *ct = http_header(r, "Content-Type");
	json_t *j = NULL;
	if (ct && strncasecmp(ct, "application/json", 16) == 0)
		j = json_loadb(buf_str(&r->body), r->body.len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		http_reply_error(r, 400, http_msg(r, "payment.json_body"));
		return NULL;
	}
	return j;
}

/* An officer's request about a dossier of their agency: its JSON body, or
 * NULL after a reply. */
static json_t *officer_request(http_req *r, struct dossier *d)
{
	return officer_of(r, d) ? body_json(r) : NULL;
}

static void reply_view(http_req *r, int status, const char *code)
{
	struct app *app = http_app(r);
	db_conn *c = db_reader(app->db);
	json_t *doc = NULL;
	mc_status rc = c ? pay_view_json(c, r->a, code, false, &doc) : MC_BUSY;
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_object_set_new(doc, "code", json_string(code));
	http_reply_json(r, status, doc);
	json_decref(doc);
}

void api_dossier_payment(http_req *r)
{
	struct dossier d;
	if (visible(r, &d))
		reply_view(r, 200, d.code);
}

void api_officer_fee(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier d;
	json_t *j = officer_request(r, &d);
	if (!j)
		return;
	json_t *amount = json_object_get(j, "amount");
	int64_t v = json_is_integer(amount) ? json_integer_value(amount) : -1;
	bool given = amount && !json_is_null(amount);
	json_decref(j);
	if (given && (v <= 0 || v > PAY_MAX_AMOUNT)) {
		http_reply_error(r, 422, http_msg(r, "payment.bad_amount"));
		return;
	}
	if (!given) {
		/* From the procedure's published fee, when it says one amount. */
		struct procedure_rec p;
		mc_status rc = catalogue_get(app->db, r->a, d.procedure_code, &p);
		v = rc == MC_OK ? fee_for_channel(&p, d.channel) : -1;
		if (v == 0) {
			http_reply_error(r, 422, http_msg(r, "payment.fee_free"));
			return;
		}
		if (v < 0) {
			http_reply_error(r, 422, http_msg(r, "payment.fee_ambiguous"));
			return;
		}
	}
	mc_status rc = pay_fee_set(app->db, r->user->account_id, d.code, v);
	if (rc == MC_CONFLICT) {
		http_reply_error(r, 409, http_msg(r, "payment.already_paid"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	reply_view(r, 200, d.code);
}

/* Now in Vietnam time, for a payment seen today. */
static const char *today(http_req *r)
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char s[20];
	strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S", &tm);
	return arena_strdup(r->a, s);
}

static void reply_recorded(http_req *r, int status, const char *code, const struct pay_result *res)
{
	bool done = res->financial_done;
	const char *url = arena_printf(r->a, "/ho-so/%s/bien-lai/%s", code, res->receipt_no);
	http_add_header(r, "Location", url);
	json_t *doc =
		json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "code", code, "status", "paid", "receipt_no",
			  res->receipt_no, "receipt_url", url, "receipt_pdf_url",
			  arena_printf(r->a, "%s.pdf", url), "financial_done", done);
	http_reply_json(r, status, doc);
	json_decref(doc);
}

void api_officer_payment(http_req *r)
{
	struct dossier d;
	json_t *j = officer_request(r, &d);
	if (!j)
		return;
	json_t *amount = json_object_get(j, "amount");
	const char *ref = json_string_value(json_object_get(j, "reference"));
	const char *paid_at = json_string_value(json_object_get(j, "paid_at"));
	struct pay_record p = {
		.code = d.code,
		.amount = json_is_integer(amount) ? json_integer_value(amount) : -1,
		.source = PAY_OFFICER,
		.reference = ref ? arena_strdup(r->a, ref) : NULL,
		.paid_at = paid_at ? arena_strdup(r->a, paid_at) : today(r),
		.actor = r->user->account_id,
	};
	json_decref(j);
	struct pay_result res;
	const char *why = NULL;
	struct bo_env env = officer_env(r); /* WF_FINANCIAL_DONE in the payment's write */
	struct bo_actor who = officer_actor(r);
	mc_status rc =
		p.amount > 0 ? pay_record_done(&env, r->a, &who, &p, &res, &why) : MC_INVALID;
	if (rc != MC_OK) {
		reply_why(r, rc, why ? why : "payment.bad_amount");
		return;
	}
	reply_recorded(r, 201, d.code, &res);
}

void api_payment_callback(http_req *r)
{
	struct app *app = http_app(r);
	const char *body = buf_str(&r->body);
	if (pay_signature_check(app->cfg.payment_callback_secret, body, r->body.len,
				http_header(r, "X-Signature")) != MC_OK) {
		http_reply_error(r, 401, http_msg(r, "payment.bad_signature"));
		return;
	}
	struct pay_callback cb;
	const char *why = NULL;
	mc_status rc = pay_callback_parse(r->a, body, r->body.len, &cb, &why);
	struct pay_result res;
	struct bo_env env = officer_env(r);
	if (rc == MC_OK)
		rc = pay_callback_record(&env, r->a, &cb, (int64_t)time(NULL), &res, &why);
	if (rc != MC_OK) {
		reply_why(r, rc, why);
		return;
	}
	reply_recorded(r, 200, cb.code, &res);
}
