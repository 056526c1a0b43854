/*
 * accounts.c - the account actions of the JSON API: API tokens (POST
 * /api/v1/tokens is how apps sign in), my profile, password, data and
 * closing, registration, password reset, and officers for administrators.
 * Bodies are JSON objects; a field problem answers 422 with
 * {"error": {..., "fields": {"id_number": "..."}}} naming every field.
 * Browser sessions calling state-changing endpoints send X-CSRF-Token.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "app.h"
#include "domain/account.h"
#include "domain/session.h"
#include "domain/signup_limit.h"
#include "http/csrf.h"

/* The body as a JSON object, or NULL after replying 400. */
static json_t *body_object(http_req *r)
{
	json_error_t je;
	json_t *j = r->body.len ? json_loadb(r->body.data, r->body.len, 0, &je) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		http_reply_error(r, 400, http_msg(r, "account.err.json"));
		return NULL;
	}
	return j;
}

/* A string member; a member of another type is a problem of that field. */
static const char *member(arena *a, json_t *o, const char *name, struct account_problem **probs)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		account_problem_add(a, probs, name, "account.err.type_string", NULL);
		return NULL;
	}
	const char *s = json_string_value(v);
	/* Trim surrounding spaces like the form getters do. */
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

static void reply_problems(http_req *r, const struct account_problem *p)
{
	json_t *fields = json_object();
	for (; p; p = p->next)
		if (!json_object_get(fields, p->field))
			json_object_set_new(fields, p->field,
					    json_string(account_problem_message(r->a, r->lang, p)));
	json_t *doc = json_pack("{s:{s:i,s:s,s:s,s:o}}", "error", "status", 422, "reason",
				"Unprocessable Content", "message", http_msg(r, "status.invalid"),
				"fields", fields);
	http_reply_json(r, 422, doc);
	json_decref(doc);
}

/* A string member as sent, untrimmed (passwords, tokens); none otherwise. */
static const char *raw_member(arena *a, json_t *o, const char *name, const char *none)
{
	json_t *v = json_object_get(o, name);
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : none;
}

/* Replies to a failed action (422 naming the fields for MC_INVALID with
 * problems, else the status's error) and returns true; false for MC_OK. */
static bool replied_failure(http_req *r, mc_status rc, const struct account_problem *probs)
{
	if (rc == MC_INVALID && probs)
		reply_problems(r, probs);
	else if (rc != MC_OK)
		http_reply_status(r, rc);
	return rc != MC_OK;
}

/* The reply to an action without a body: 204, or as replied_failure. */
static void reply_done(http_req *r, mc_status rc, const struct account_problem *probs)
{
	if (!replied_failure(r, rc, probs))
		http_reply(r, 204, "application/json", "", 0);
}

bool api_csrf(http_req *r)
{
	if (r->user && !r->user->api && !http_header(r, "X-CSRF-Token")) {
		http_reply_error(r, 403, http_msg(r, "error.csrf"));
		return false;
	}
	return csrf_check(r);
}

static const char *iso_utc(arena *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char s[32];
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, s);
}

static void reply_locked(http_req *r, int64_t retry)
{
	char secs[24];
	snprintf(secs, sizeof(secs), "%lld", (long long)retry);
	http_add_header(r, "Retry-After", secs);
	char mins[24];
	snprintf(mins, sizeof(mins), "%lld", (long long)((retry + 59) / 60));
	const char *args[2] = {mins, iso_utc(r->a, time(NULL) + retry)};
	http_reply_error(r, 429, i18n_format(r->a, r->lang, "account.locked", 2, args));
}

void api_token_create(http_req *r)
{
	struct app *app = http_app(r);
	json_t *b = body_object(r);
	if (!b)
		return;
	struct account_problem *probs = NULL;
	const char *login = member(r->a, b, "login", &probs);
	const char *password = raw_member(r->a, b, "password", NULL);
	const char *label = member(r->a, b, "label", &probs);
	json_decref(b);
	if (!login)
		account_problem_add(r->a, &probs, "login", "error.field_required", NULL);
	if (!password || !*password)
		account_problem_add(r->a, &probs, "password", "error.field_required", NULL);
	if (label && strlen(label) > 100)
		account_problem_add(r->a, &probs, "label", "error.field_too_long", "100");
	if (probs) {
		reply_problems(r, probs);
		return;
	}
	struct account acc;
	int64_t retry;
	switch (account_authenticate(app->db, r->a, login, password, http_client_addr(r), &acc,
				     &retry)) {
	case AUTH_OK: break;
	case AUTH_LOCKED: reply_locked(r, retry); return;
	case AUTH_WRONG:
		http_add_header(r, "WWW-Authenticate", "Bearer");
		http_reply_error(r, 401, http_msg(r, "account.err.credentials"));
		return;
	case AUTH_ERROR: http_reply_status(r, MC_BUSY); return;
	}
	char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1], hash[SESSION_TOKEN_LEN + 1];
	int64_t now = time(NULL);
	mc_status rc = session_create(app->db, acc.id, "api", label ? label : "",
				      http_client_addr(r), SESSION_API_TTL, token, csrf);
	if (replied_failure(r, rc, NULL))
		return;
	session_hash(token, hash);
	hash[16] = '\0';
	json_t *doc = json_pack("{s:s,s:s,s:s}", "token", token, "id", hash, "expires_at",
				iso_utc(r->a, now + SESSION_API_TTL));
	http_add_header(r, "Cache-Control", "no-store");
	http_reply_json(r, 201, doc);
	json_decref(doc);
}

void api_tokens(http_req *r)
{
	struct app *app = http_app(r);
	char hash[SESSION_TOKEN_LEN + 1];
	session_hash(session_token(r), hash);
	struct api_token *t;
	int n;
	mc_status rc = account_tokens(app->db, r->a, r->user->account_id, hash, &t, &n);
	if (replied_failure(r, rc, NULL))
		return;
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "id", t[i].id, "label",
					 t[i].label, "created_at", iso_utc(r->a, t[i].created_at),
					 "last_seen", iso_utc(r->a, t[i].last_seen), "expires_at",
					 iso_utc(r->a, t[i].expires_at), "current", t[i].current));
	json_t *doc = json_pack("{s:o}", "items", items);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_token_revoke(http_req *r)
{
	struct app *app = http_app(r);
	if (!api_csrf(r))
		return;
	const char *id = http_param(r, "id");
	mc_status rc;
	if (strcmp(id, "current") == 0)
		rc = session_delete(app->db, session_token(r));
	else
		rc = account_token_revoke(app->db, r->user->account_id, id);
	reply_done(r, rc, NULL);
}

static json_t *account_json(const struct account *a)
{
	json_t *roles = json_array();
	static const unsigned bits[] = {1u << 0, 1u << 1, 1u << 2, 1u << 3,
					1u << 4, 1u << 5, 1u << 6};
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (a->roles & bits[i])
			json_array_append_new(roles, json_string(account_role_name(bits[i])));
	return json_pack("{s:s,s:s,s:s,s:o,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:s?,"
			 "s:s}",
			 "id", a->id, "login", a->login, "kind", a->kind, "roles", roles, "agency",
			 a->agency_code, "full_name", a->full_name, "id_number", a->id_number,
			 "birth_date", a->birth_date, "gender", a->gender, "tax_code", a->tax_code,
			 "representative", a->representative, "phone", a->phone, "email", a->email,
			 "address", a->address, "consent_at", a->consent_at, "created_at",
			 a->created_at);
}

void api_me(http_req *r)
{
	struct app *app = http_app(r);
	struct account acc;
	mc_status rc = account_get(app->db, r->a, r->user->account_id, &acc);
	if (replied_failure(r, rc, NULL))
		return;
	json_t *doc = account_json(&acc);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_me_data(http_req *r)
{
	struct app *app = http_app(r);
	json_t *doc;
	mc_status rc = account_export(app->db, r->a, r->user->account_id, &doc);
	if (replied_failure(r, rc, NULL))
		return;
	http_add_header(r, "Cache-Control", "no-store");
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_me_password(http_req *r)
{
	struct app *app = http_app(r);
	if (!api_csrf(r))
		return;
	json_t *b = body_object(r);
	if (!b)
		return;
	const char *current = raw_member(r->a, b, "current", "");
	const char *password = raw_member(r->a, b, "password", "");
	json_decref(b);
	char keep[SESSION_TOKEN_LEN + 1];
	session_hash(session_token(r), keep);
	struct account_problem *probs = NULL;
	mc_status rc = account_change_password(app->db, r->a, r->user->account_id, current,
					       password, keep, &probs);
	reply_done(r, rc, probs);
}

void api_me_close(http_req *r)
{
	struct app *app = http_app(r);
	if (!api_csrf(r))
		return;
	json_t *b = body_object(r);
	if (!b)
		return;
	const char *password = raw_member(r->a, b, "password", "");
	json_decref(b);
	struct account_problem *probs = NULL;
	mc_status rc = account_close(app->db, r->a, r->user->account_id, password, &probs);
	reply_done(r, rc, probs);
}

void api_sessions_delete(http_req *r)
{
	struct app *app = http_app(r);
	if (!api_csrf(r))
		return;
	reply_done(r, session_delete_all(app->db, r->user->account_id, NULL), NULL);
}

void api_account_register(http_req *r)
{
	struct app *app = http_app(r);
	json_t *b = body_object(r);
	if (!b)
		return;
	struct account_problem *probs = NULL;
	struct account_input in = {0};
	in.kind = member(r->a, b, "kind", &probs);
	in.full_name = member(r->a, b, "full_name", &probs);
	in.id_number = member(r->a, b, "id_number", &probs);
	in.birth_date = member(r->a, b, "birth_date", &probs);
	in.tax_code = member(r->a, b, "tax_code", &probs);
	in.representative = member(r->a, b, "representative", &probs);
	in.phone = member(r->a, b, "phone", &probs);
	in.email = member(r->a, b, "email", &probs);
	in.address = member(r->a, b, "address", &probs);
	in.password = raw_member(r->a, b, "password", NULL);
	in.consent = json_is_true(json_object_get(b, "consent"));
	json_decref(b);
	const char *id = NULL;
	unsigned wait = 0;
	if (!signup_limit_hit(SIGNUP_REGISTER, app->cfg.signup_limit, http_client_addr(r),
			      time(NULL), &wait)) {
		http_reply_retry_after(r, wait, "account.signup_limited_api");
		return;
	}
	mc_status rc = probs ? MC_INVALID : account_register(app->db, r->a, &in, &probs, &id);
	struct account acc;
	if (replied_failure(r, rc, probs) ||
	    replied_failure(r, account_get(app->db, r->a, id, &acc), NULL))
		return;
	json_t *doc = account_json(&acc);
	http_add_header(r, "Location", "/api/v1/me");
	http_reply_json(r, 201, doc);
	json_decref(doc);
}

void api_reset_request(http_req *r)
{
	struct app *app = http_app(r);
	json_t *b = body_object(r);
	if (!b)
		return;
	struct account_problem *probs = NULL;
	const char *email = member(r->a, b, "email", &probs);
	json_decref(b);
	if (!email && !probs)
		account_problem_add(r->a, &probs, "email", "error.field_required", NULL);
	if (probs) {
		reply_problems(r, probs);
		return;
	}
	unsigned wait = 0;
	if (!signup_limit_hit(SIGNUP_RESET, app->cfg.signup_limit, http_client_addr(r), time(NULL),
			      &wait)) {
		http_reply_retry_after(r, wait, "account.signup_limited_api");
		return;
	}
	/* Links in mail use the configured public_url, never the Host header. */
	const char *origin = app->cfg.public_url;
	mc_status rc =
		account_reset_request(app->db, r->a, r->lang, email, origin, app->cfg.site_name);
	if (replied_failure(r, rc, NULL))
		return;
	/* The same answer whether or not the address is registered. */
	json_t *doc = json_pack("{s:s}", "message", http_msg(r, "account.forgot_sent"));
	http_reply_json(r, 202, doc);
	json_decref(doc);
}

void api_reset_apply(http_req *r)
{
	struct app *app = http_app(r);
	json_t *b = body_object(r);
	if (!b)
		return;
	const char *token = raw_member(r->a, b, "token", "");
	const char *password = raw_member(r->a, b, "password", "");
	json_decref(b);
	struct account_problem *probs = NULL;
	mc_status rc = account_reset_apply(app->db, r->a, token, password, &probs);
	if (rc == MC_NOT_FOUND) {
		http_reply_error(r, 404, http_msg(r, "account.reset_dead"));
		return;
	}
	reply_done(r, rc, probs);
}

void api_officers(http_req *r)
{
	struct app *app = http_app(r);
	const char *scope = (r->user->roles & ROLE_SYSADMIN) ? NULL : r->user->agency_code;
	struct account *offs;
	int n;
	mc_status rc = account_officers(app->db, r->a, scope, &offs, &n);
	if (replied_failure(r, rc, NULL))
		return;
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = account_json(&offs[i]);
		json_object_set_new(o, "enabled", json_boolean(!offs[i].closed_at));
		json_array_append_new(items, o);
	}
	json_t *doc = json_pack("{s:o}", "items", items);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_officer_create(http_req *r)
{
	struct app *app = http_app(r);
	if (!api_csrf(r))
		return;
	json_t *b = body_object(r);
	if (!b)
		return;
	struct account_problem *probs = NULL;
	struct officer_input in = {0};
	in.login = member(r->a, b, "login", &probs);
	in.full_name = member(r->a, b, "full_name", &probs);
	in.email = member(r->a, b, "email", &probs);
	in.agency_code = member(r->a, b, "agency", &probs);
	const char *role = member(r->a, b, "role", &probs);
	json_decref(b);
	in.roles = account_role_parse(role);
	in.actor = r->user->account_id;
	if (!(r->user->roles & ROLE_SYSADMIN)) {
		if ((in.agency_code && strcmp(in.agency_code, r->user->agency_code ?: "") != 0) ||
		    (in.roles & ROLE_SYSADMIN)) {
			http_reply_error(r, 403, http_msg(r, "status.forbidden"));
			return;
		}
		in.agency_code = r->user->agency_code;
	}
	char password[ACCOUNT_PW_LEN + 1];
	const char *id = NULL;
	mc_status rc = probs ? MC_INVALID
			     : account_officer_create(app->db, r->a, &in, password, &probs, &id);
	if (replied_failure(r, rc, probs))
		return;
	json_t *doc = json_pack("{s:s,s:s,s:s}", "id", id, "login", in.login, "password", password);
	http_add_header(r, "Cache-Control", "no-store");
	http_reply_json(r, 201, doc);
	json_decref(doc);
}

void api_officer_enabled(http_req *r)
{
	struct app *app = http_app(r);
	if (!api_csrf(r))
		return;
	json_t *b = body_object(r);
	if (!b)
		return;
	json_t *en = json_object_get(b, "enabled");
	bool is_bool = json_is_boolean(en), enabled = json_is_true(en);
	json_decref(b);
	if (!is_bool) {
		struct account_problem *probs = NULL;
		account_problem_add(r->a, &probs, "enabled", "account.err.type_bool", NULL);
		reply_problems(r, probs);
		return;
	}
	const char *id = http_param(r, "id");
	if (strcmp(id, r->user->account_id) == 0) {
		http_reply_error(r, 409, http_msg(r, "account.err.self"));
		return;
	}
	mc_status rc = account_officer_set_enabled(
		app->db, r->user->account_id, id,
		(r->user->roles & ROLE_SYSADMIN) ? NULL : r->user->agency_code, enabled);
	reply_done(r, rc, NULL);
}
