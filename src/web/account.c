/*
 * account.c - the pages of accounts (tài khoản): registration of a citizen
 * or a business, sign-in and sign-out, my account (profile, password, sign
 * out everywhere, API tokens, my data, closing the account), and the
 * forgotten-password pages. Every form carries the CSRF token; every problem
 * is shown beside its field with what was typed kept (never a password).
 * Sign-in always issues a new session token (no session fixation).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/format.h"
#include "domain/account.h"
#include "domain/session.h"
#include "domain/signup_limit.h"
#include "http/csrf.h"
#include "web/web.h"

/* ---- form helpers shared with the admin page ---- */

json_t *web_form_field(http_req *r, const char *name, const char *type, const char *autocomplete,
		       int max, const char *value, const json_t *errors, const char *hint_key)
{
	char key[80];
	snprintf(key, sizeof(key), "account.field.%s", name);
	const char *err = json_string_value(json_object_get(errors, name));
	const char *hint = hint_key ? http_msg(r, hint_key) : NULL;
	const char *described = hint && err ? arena_printf(r->a, "h-%s e-%s", name, name)
				: hint	    ? arena_printf(r->a, "h-%s", name)
				: err	    ? arena_printf(r->a, "e-%s", name)
					    : NULL;
	/* Absent parts are false, not "": a section over "" would render. */
	json_t *f = json_pack("{s:s,s:s,s:s,s:i,s:s}", "name", name, "label", http_msg(r, key),
			      "type", type, "max", max, "value", value ? value : "");
	json_object_set_new(f, "autocomplete",
			    autocomplete ? json_string(autocomplete) : json_false());
	json_object_set_new(f, "error", err ? json_string(err) : json_false());
	json_object_set_new(f, "hint", hint ? json_string(hint) : json_false());
	json_object_set_new(f, "describedby", described ? json_string(described) : json_false());
	return f;
}

void web_problems(http_req *r, const struct account_problem *p, const struct field_error *fe,
		  json_t *errors, json_t *list)
{
	for (; fe; fe = fe->next) {
		if (json_object_get(errors, fe->field))
			continue;
		json_object_set_new(errors, fe->field, json_string(fe->message));
		json_array_append_new(
			list, json_pack("{s:s,s:s}", "field", fe->field, "message", fe->message));
	}
	for (; p; p = p->next) {
		if (json_object_get(errors, p->field))
			continue;
		const char *msg = account_problem_message(r->a, r->lang, p);
		json_object_set_new(errors, p->field, json_string(msg));
		json_array_append_new(list,
				      json_pack("{s:s,s:s}", "field", p->field, "message", msg));
	}
}

const char *web_form_value(http_req *r, const char *name, struct field_error **errs)
{
	const char *v = NULL;
	if (!http_form_text(r, name, 0, 1024, &v, errs))
		return NULL;
	return v && *v ? v : NULL;
}

/* A place to go back to after signing in: a local path only. */
static const char *safe_next(const char *t)
{
	if (!t || t[0] != '/' || t[1] == '/' || strchr(t, '\\') || strlen(t) > 1024)
		return "/tai-khoan";
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "/tai-khoan";
	return t;
}

static void start_session(http_req *r, const char *account_id, const char *next)
{
	struct app *app = http_app(r);
	/* Whatever token the browser brought is dropped: a new one is issued. */
	const char *old = http_cookie(r, SESSION_COOKIE);
	if (old && *old && strlen(old) <= SESSION_TOKEN_LEN)
		session_delete(app->db, old);
	char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
	mc_status rc = session_create(app->db, account_id, "web", "", http_client_addr(r),
				      SESSION_MAX, token, csrf);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_set_cookie(r, SESSION_COOKIE, token, SESSION_MAX);
	http_redirect(r, 303, next);
}

static void end_cookie(http_req *r)
{
	http_set_cookie(r, SESSION_COOKIE, "", 0);
}

/* ---- sign-in ---- */

static void render_login(http_req *r, int status, const char *login, const char *next,
			 const char *message, const json_t *errors)
{
	json_t *fields = json_array();
	json_array_append_new(fields, web_form_field(r, "login", "text", "username", 254, login,
						     errors, "account.hint.login"));
	json_array_append_new(fields, web_form_field(r, "password", "password", "current-password",
						     1024, NULL, errors, NULL));
	json_t *ctx = json_pack("{s:s,s:s,s:o,s:s?}", "csrf", csrf_token(r), "next",
				safe_next(next), "fields", fields, "message", message);
	page_render(r, status, "login", ctx);
}

void web_login_form(http_req *r)
{
	const char *next = NULL;
	if (!http_query_text(r, "tiep", 1024, false, &next))
		return;
	if (r->user && !r->user->api) {
		http_redirect(r, 303, safe_next(next));
		return;
	}
	render_login(r, 200, NULL, next, NULL, NULL);
}

/* "HH:MM" in Vietnam time, seconds from now. */
static const char *clock_in(arena *a, int64_t seconds)
{
	time_t t = time(NULL) + seconds + 7 * 3600 + 59;
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* The message (and Retry-After) when an address has used its signup budget. */
static const char *web_signup_limited(http_req *r, unsigned retry_after)
{
	char mins[24], secs[24];
	snprintf(mins, sizeof(mins), "%u", (retry_after + 59) / 60);
	snprintf(secs, sizeof(secs), "%u", retry_after);
	http_add_header(r, "Retry-After", secs);
	const char *args[2] = {mins, clock_in(r->a, retry_after)};
	return i18n_format(r->a, r->lang, "account.signup_limited", 2, args);
}

const char *web_locked_message(http_req *r, int64_t retry_after)
{
	char mins[24], secs[24];
	snprintf(mins, sizeof(mins), "%lld", (long long)((retry_after + 59) / 60));
	snprintf(secs, sizeof(secs), "%lld", (long long)retry_after);
	http_add_header(r, "Retry-After", secs);
	const char *args[2] = {mins, clock_in(r->a, retry_after)};
	return i18n_format(r->a, r->lang, "account.locked", 2, args);
}

void web_login_submit(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct field_error *errs = NULL;
	const char *login = web_form_value(r, "login", &errs);
	const char *password = NULL;
	http_form_text(r, "password", 0, 1024, &password, &errs);
	const char *next = web_form_value(r, "tiep", &errs);
	if (r->status)
		return;
	json_t *errors = json_object(), *list = json_array();
	if (!login)
		http_field_error(r, &errs, "login", http_msg(r, "account.err.login_required"));
	if (!password || !*password)
		http_field_error(r, &errs, "password",
				 http_msg(r, "account.err.password_required"));
	if (errs) {
		web_problems(r, NULL, errs, errors, list);
		json_decref(list);
		render_login(r, 422, login, next, NULL, errors);
		json_decref(errors);
		return;
	}
	json_decref(list);
	json_decref(errors);
	struct account acc;
	int64_t retry = 0;
	switch (account_authenticate(app->db, r->a, login, password, http_client_addr(r), &acc,
				     &retry)) {
	case AUTH_OK: start_session(r, acc.id, safe_next(next)); return;
	case AUTH_LOCKED:
		render_login(r, 429, login, next, web_locked_message(r, retry), NULL);
		return;
	case AUTH_WRONG:
		render_login(r, 401, login, next, http_msg(r, "account.err.credentials"), NULL);
		return;
	case AUTH_ERROR: http_reply_status(r, MC_BUSY); return;
	}
}

void web_logout(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *tok = http_cookie(r, SESSION_COOKIE);
	if (tok && *tok && strlen(tok) <= SESSION_TOKEN_LEN &&
	    session_delete(app->db, tok) != MC_OK) {
		http_reply_status(r, MC_BUSY);
		return;
	}
	end_cookie(r);
	http_redirect(r, 303, "/");
}

/* ---- registration ---- */

static void render_register(http_req *r, int status, const struct account_input *in,
			    const json_t *errors, const json_t *list)
{
	bool business = in && in->kind && strcmp(in->kind, "business") == 0;
	json_t *fields = json_array();
#define F(name, type, ac, max, val, hint)                                                          \
	json_array_append_new(                                                                     \
		fields, web_form_field(r, name, type, ac, max, in ? val : NULL, errors, hint))
	if (business) {
		F("company_name", "text", "organization", ACCOUNT_NAME_MAX, in->full_name, NULL);
		F("tax_code", "text", "off", 14, in->tax_code, "account.hint.tax_code");
		F("representative", "text", "name", ACCOUNT_NAME_MAX, in->representative, NULL);
	} else {
		F("full_name", "text", "name", ACCOUNT_NAME_MAX, in->full_name, NULL);
		F("id_number", "text", "off", 12, in->id_number, "account.hint.id_number");
		F("birth_date", "text", "bday", 10, in->birth_date, "account.hint.birth_date");
	}
	F("phone", "tel", "tel", 20, in->phone, NULL);
	F("email", "email", "email", 254, in->email, NULL);
	F("address", "text", "street-address", ACCOUNT_ADDRESS_MAX, in->address, NULL);
	F("password", "password", "new-password", 128, NULL, "account.hint.password");
#undef F
	const char *consent_err = json_string_value(json_object_get(errors, "consent"));
	json_t *ctx = json_pack("{s:s,s:b,s:s,s:o,s:b,s:s?,s:O,s:b}", "csrf", csrf_token(r),
				"is_business", business, "kind", business ? "business" : "citizen",
				"fields", fields, "consent_checked", in && in->consent,
				"consent_error", consent_err ? consent_err : NULL, "error_list",
				list ? list : json_array(), "has_errors",
				list && json_array_size(list) > 0);
	if (!list)
		json_decref(json_object_get(ctx, "error_list"));
	page_render(r, status, "register", ctx);
}

void web_register_form(http_req *r)
{
	const char *kind = NULL;
	if (!http_query_text(r, "loai", 16, false, &kind))
		return;
	struct account_input in = {.kind = kind && strcmp(kind, "doanh-nghiep") == 0 ? "business"
										     : "citizen"};
	render_register(r, 200, &in, NULL, NULL);
}

void web_register_submit(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct account_input in = {0};
	in.kind = web_form_value(r, "kind", &errs);
	bool business = in.kind && strcmp(in.kind, "business") == 0;
	in.full_name = web_form_value(r, business ? "company_name" : "full_name", &errs);
	in.id_number = web_form_value(r, "id_number", &errs);
	in.birth_date = web_form_value(r, "birth_date", &errs);
	in.tax_code = web_form_value(r, "tax_code", &errs);
	in.representative = web_form_value(r, "representative", &errs);
	in.phone = web_form_value(r, "phone", &errs);
	in.email = web_form_value(r, "email", &errs);
	in.address = web_form_value(r, "address", &errs);
	http_form_text(r, "password", 0, 1024, &in.password, &errs);
	in.consent = web_form_value(r, "consent", &errs) != NULL;
	if (r->status)
		return;
	struct account_input typed = in;
	struct account_problem *probs = NULL;
	const char *id = NULL;
	unsigned wait = 0;
	if (!signup_limit_hit(SIGNUP_REGISTER, app->cfg.signup_limit, http_client_addr(r),
			      time(NULL), &wait)) {
		json_t *list = json_array();
		json_array_append_new(list, json_pack("{s:s,s:s}", "field",
						      business ? "company_name" : "full_name",
						      "message", web_signup_limited(r, wait)));
		render_register(r, 429, &typed, NULL, list);
		json_decref(list);
		return;
	}
	mc_status rc = errs ? MC_INVALID : account_register(app->db, r->a, &in, &probs, &id);
	if (rc == MC_INVALID) {
		if (business) {
			/* The name field of a business form is company_name. */
			for (struct account_problem *p = probs; p; p = p->next)
				if (strcmp(p->field, "full_name") == 0)
					p->field = "company_name";
		}
		json_t *errors = json_object(), *list = json_array();
		web_problems(r, probs, errs, errors, list);
		render_register(r, 422, &typed, errors, list);
		json_decref(errors);
		json_decref(list);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	start_session(r, id, "/tai-khoan?xong=dang-ky");
}

/* ---- my account ---- */

static void profile_row(json_t *rows, http_req *r, const char *field, const char *value)
{
	if (!value || !*value)
		return;
	char key[80];
	snprintf(key, sizeof(key), "account.field.%s", field);
	json_array_append_new(rows,
			      json_pack("{s:s,s:s}", "label", http_msg(r, key), "value", value));
}

static const char *when(http_req *r, int64_t unix_seconds)
{
	time_t t = (time_t)unix_seconds + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char iso[32];
	strftime(iso, sizeof(iso), "%Y-%m-%d %H:%M", &tm);
	return format_datetime_vn(r->a, iso);
}

static void render_account(http_req *r, int status, const json_t *errors, const json_t *list)
{
	struct app *app = http_app(r);
	struct account acc;
	mc_status rc = account_get(app->db, r->a, r->user->account_id, &acc);
	struct api_token *toks = NULL;
	int ntok = 0;
	if (rc == MC_OK)
		rc = account_tokens(app->db, r->a, acc.id, NULL, &toks, &ntok);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *rows = json_array();
	bool business = strcmp(acc.kind, "business") == 0;
	profile_row(rows, r, business ? "company_name" : "full_name", acc.full_name);
	profile_row(rows, r, "login", acc.login);
	profile_row(rows, r, "id_number", acc.id_number);
	profile_row(rows, r, "birth_date",
		    acc.birth_date ? format_datetime_vn(r->a, acc.birth_date) : NULL);
	if (acc.gender)
		profile_row(rows, r, "gender",
			    http_msg(r, strcmp(acc.gender, "male") == 0 ? "account.gender_male"
									: "account.gender_female"));
	profile_row(rows, r, "tax_code", acc.tax_code);
	profile_row(rows, r, "representative", acc.representative);
	profile_row(rows, r, "phone", acc.phone);
	profile_row(rows, r, "email", acc.email);
	profile_row(rows, r, "address", acc.address);
	profile_row(rows, r, "agency", acc.agency_code);
	profile_row(rows, r, "consent_at",
		    acc.consent_at ? format_datetime_vn(r->a, acc.consent_at) : NULL);
	json_t *tokens = json_array();
	for (int i = 0; i < ntok; i++)
		json_array_append_new(tokens,
				      json_pack("{s:s,s:s,s:s,s:s}", "id", toks[i].id, "label",
						*toks[i].label ? toks[i].label : "-", "created",
						when(r, toks[i].created_at), "expires",
						when(r, toks[i].expires_at)));
	const char *done = NULL;
	if (!http_query_text(r, "xong", 32, false, &done))
		return;
	const char *notice = NULL;
	if (done && strcmp(done, "dang-ky") == 0)
		notice = http_msg(r, "account.done_register");
	else if (done && strcmp(done, "mat-khau") == 0)
		notice = http_msg(r, "account.done_password");
	else if (done && strcmp(done, "thu-hoi") == 0)
		notice = http_msg(r, "account.done_revoke");
	json_t *pw = json_array(), *close = json_array();
	json_array_append_new(pw, web_form_field(r, "current", "password", "current-password", 1024,
						 NULL, errors, NULL));
	json_array_append_new(pw, web_form_field(r, "password", "password", "new-password", 128,
						 NULL, errors, "account.hint.password"));
	json_array_append_new(close, web_form_field(r, "close_password", "password",
						    "current-password", 1024, NULL, errors, NULL));
	json_t *ctx = json_pack("{s:s,s:s,s:o,s:o,s:b,s:o,s:o,s:s?,s:O,s:b}", "csrf", csrf_token(r),
				"name", acc.full_name, "profile", rows, "tokens", tokens,
				"has_tokens", ntok > 0, "password_fields", pw, "close_fields",
				close, "notice", notice, "error_list", list ? list : json_array(),
				"has_errors", list && json_array_size(list) > 0);
	if (!list)
		json_decref(json_object_get(ctx, "error_list"));
	page_render(r, status, "account", ctx);
}

void web_account(http_req *r)
{
	render_account(r, 200, NULL, NULL);
}

static void account_problems(http_req *r, struct account_problem *probs, const char *rename_from,
			     const char *rename_to)
{
	for (struct account_problem *p = probs; p; p = p->next)
		if (rename_from && strcmp(p->field, rename_from) == 0)
			p->field = rename_to;
	json_t *errors = json_object(), *list = json_array();
	web_problems(r, probs, NULL, errors, list);
	render_account(r, 422, errors, list);
	json_decref(errors);
	json_decref(list);
}

void web_account_password(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *current = NULL, *password = NULL;
	if (!http_form_text(r, "current", 0, 1024, &current, NULL) ||
	    !http_form_text(r, "password", 0, 1024, &password, NULL))
		return;
	char keep[SESSION_TOKEN_LEN + 1];
	session_hash(session_token(r), keep);
	struct account_problem *probs = NULL;
	mc_status rc = account_change_password(app->db, r->a, r->user->account_id, current,
					       password, keep, &probs);
	if (rc == MC_INVALID) {
		account_problems(r, probs, NULL, NULL);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, "/tai-khoan?xong=mat-khau");
}

void web_account_signout_all(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	mc_status rc = session_delete_all(app->db, r->user->account_id, NULL);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	end_cookie(r);
	http_redirect(r, 303, "/dang-nhap");
}

void web_account_token_revoke(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	mc_status rc = account_token_revoke(app->db, r->user->account_id, http_param(r, "id"));
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, "/tai-khoan?xong=thu-hoi");
}

void web_account_data(http_req *r)
{
	struct app *app = http_app(r);
	json_t *doc;
	mc_status rc = account_export(app->db, r->a, r->user->account_id, &doc);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_add_header(r, "Content-Disposition", "attachment; filename=\"du-lieu-ca-nhan.json\"");
	http_add_header(r, "Cache-Control", "no-store");
	char *s = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!s) {
		http_reply_status(r, MC_INTERNAL);
		return;
	}
	http_reply(r, 200, "application/json; charset=utf-8", s, strlen(s));
	free(s);
}

static void render_notice(http_req *r, int status, const char *title_key, const char *msg_key,
			  const char *link, const char *link_key)
{
	json_t *ctx = json_pack("{s:s,s:s,s:s?,s:s?}", "title", http_msg(r, title_key), "message",
				http_msg(r, msg_key), "link", link, "link_text",
				link_key ? http_msg(r, link_key) : NULL);
	page_render(r, status, "notice", ctx);
}

void web_account_close(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *password = NULL;
	if (!http_form_text(r, "close_password", 0, 1024, &password, NULL))
		return;
	struct account_problem *probs = NULL;
	mc_status rc = account_close(app->db, r->a, r->user->account_id, password, &probs);
	if (rc == MC_INVALID) {
		account_problems(r, probs, "password", "close_password");
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	end_cookie(r);
	r->user = NULL; /* the page header shows nobody signed in */
	render_notice(r, 200, "account.closed_title", "account.closed_text", "/",
		      "error.back_home");
}

/* ---- forgotten password ---- */

/* The portal's origin for links in mail: the configured public_url, never
 * the request's Host header (which a client chooses: a reset link must not
 * point wherever an attacker says). */
static const char *origin(http_req *r)
{
	struct app *app = http_app(r);
	return app->cfg.public_url;
}

static void render_forgot(http_req *r, int status, const char *email, const json_t *errors)
{
	json_t *fields = json_array();
	json_array_append_new(
		fields, web_form_field(r, "email", "email", "email", 254, email, errors, NULL));
	page_render(r, status, "forgot",
		    json_pack("{s:s,s:o}", "csrf", csrf_token(r), "fields", fields));
}

void web_forgot_form(http_req *r)
{
	render_forgot(r, 200, NULL, NULL);
}

void web_forgot_submit(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct field_error *errs = NULL;
	const char *email = web_form_value(r, "email", &errs);
	if (r->status)
		return;
	if (!email && !errs)
		http_field_error(r, &errs, "email", http_msg(r, "account.err.email_required"));
	if (errs) {
		json_t *errors = json_object(), *list = json_array();
		web_problems(r, NULL, errs, errors, list);
		json_decref(list);
		render_forgot(r, 422, email, errors);
		json_decref(errors);
		return;
	}
	unsigned wait = 0;
	if (!signup_limit_hit(SIGNUP_RESET, app->cfg.signup_limit, http_client_addr(r), time(NULL),
			      &wait)) {
		json_t *errors = json_pack("{s:s}", "email", web_signup_limited(r, wait));
		render_forgot(r, 429, email, errors);
		json_decref(errors);
		return;
	}
	mc_status rc =
		account_reset_request(app->db, r->a, r->lang, email, origin(r), app->cfg.site_name);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	render_notice(r, 200, "account.forgot_title", "account.forgot_sent", "/dang-nhap",
		      "account.nav_sign_in");
}

static void render_reset(http_req *r, int status, const char *token, const json_t *errors)
{
	json_t *fields = json_array();
	json_array_append_new(fields, web_form_field(r, "password", "password", "new-password", 128,
						     NULL, errors, "account.hint.password"));
	page_render(r, status, "reset",
		    json_pack("{s:s,s:s,s:o}", "csrf", csrf_token(r), "token", token, "fields",
			      fields));
}

void web_reset_form(http_req *r)
{
	struct app *app = http_app(r);
	const char *t = NULL;
	if (!http_query_text(r, "t", 128, false, &t))
		return;
	if (!t || !account_reset_valid(app->db, r->a, t)) {
		render_notice(r, 404, "account.reset_title", "account.reset_dead", "/quen-mat-khau",
			      "account.forgot_title");
		return;
	}
	render_reset(r, 200, t, NULL);
}

void web_reset_submit(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *t = NULL, *password = NULL;
	if (!http_form_text(r, "t", 0, 128, &t, NULL) ||
	    !http_form_text(r, "password", 0, 1024, &password, NULL))
		return;
	struct account_problem *probs = NULL;
	mc_status rc = account_reset_apply(app->db, r->a, t, password, &probs);
	if (rc == MC_NOT_FOUND) {
		render_notice(r, 404, "account.reset_title", "account.reset_dead", "/quen-mat-khau",
			      "account.forgot_title");
		return;
	}
	if (rc == MC_INVALID) {
		json_t *errors = json_object(), *list = json_array();
		web_problems(r, probs, NULL, errors, list);
		json_decref(list);
		render_reset(r, 422, t, errors);
		json_decref(errors);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	end_cookie(r);
	render_notice(r, 200, "account.reset_title", "account.reset_done", "/dang-nhap",
		      "account.nav_sign_in");
}
