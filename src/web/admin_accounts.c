/*
 * admin_accounts.c - /quan-tri/tai-khoan: officers (cán bộ) as their
 * administrators see them. The system admin sees and creates officers of
 * every agency; an agency admin only those of their own agency, and never a
 * system admin. A new officer's generated password is shown once, on the
 * page that answers the creation (never in a URL), and is not kept. Each
 * row has an edit form for the officer's roles (and, for the system admin,
 * agency): domain/officer_update.h, audited as perm.officer_update.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/account.h"
#include "domain/officer_update.h"
#include "http/csrf.h"
#include "web/web.h"

static const char *const officer_roles[] = {"desk", "specialist", "leader", "agency-admin",
					    "sysadmin"};

static bool is_sysadmin(http_req *r)
{
	return (r->user->roles & ROLE_SYSADMIN) != 0;
}

/* The roles this admin may give, as options: "selected" on the one named
 * selected (the creation form), "checked" on the bits of checked (a row's
 * edit form). */
static json_t *role_options(http_req *r, const char *selected, unsigned checked)
{
	json_t *opts = json_array();
	for (size_t k = 0; k < 5; k++) {
		if (!is_sysadmin(r) && strcmp(officer_roles[k], "sysadmin") == 0)
			continue;
		char key[64];
		snprintf(key, sizeof(key), "account.role.%s", officer_roles[k]);
		json_array_append_new(
			opts,
			json_pack("{s:s,s:s,s:b,s:b}", "value", officer_roles[k], "label",
				  http_msg(r, key), "selected",
				  selected && strcmp(selected, officer_roles[k]) == 0, "checked",
				  (checked & account_role_parse(officer_roles[k])) != 0));
	}
	return opts;
}

/* The row's edit form: one checkbox per role the admin may give, checked
 * for the officer's, and the agency for the system admin. */
static void edit_ctx(http_req *r, json_t *row, const struct account *o)
{
	json_t *opts = role_options(r, NULL, o->roles);
	json_object_set_new(row, "role_options", opts);
	json_object_set_new(row, "agency_code", json_string(o->agency_code ? o->agency_code : ""));
	json_object_set_new(row, "edit_agency", json_boolean(is_sysadmin(r)));
}

static void render(http_req *r, int status, const struct officer_input *typed,
		   const char *role_typed, const json_t *errors, const json_t *list,
		   const char *created_login, const char *created_password)
{
	struct app *app = http_app(r);
	const char *scope = is_sysadmin(r) ? NULL : r->user->agency_code;
	struct account *offs;
	int n;
	mc_status rc = account_officers(app->db, r->a, scope, &offs, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *rows = json_array();
	for (int i = 0; i < n; i++) {
		json_t *roles = json_array();
		for (size_t k = 0; k < 5; k++)
			if (offs[i].roles & account_role_parse(officer_roles[k])) {
				char key[64];
				snprintf(key, sizeof(key), "account.role.%s", officer_roles[k]);
				json_array_append_new(roles, json_string(http_msg(r, key)));
			}
		char *role_text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&role_text, &len);
		for (size_t k = 0; f && k < json_array_size(roles); k++)
			fprintf(f, "%s%s", k ? ", " : "",
				json_string_value(json_array_get(roles, k)));
		if (f)
			fclose(f);
		json_t *row = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "id", offs[i].id, "login",
					offs[i].login, "name", offs[i].full_name, "agency",
					offs[i].agency_code ? offs[i].agency_code : "-", "roles",
					role_text ? role_text : "", "active", !offs[i].closed_at,
					"self", strcmp(offs[i].id, r->user->account_id) == 0);
		edit_ctx(r, row, &offs[i]);
		json_array_append_new(rows, row);
		free(role_text);
		json_decref(roles);
	}
	json_t *fields = json_array();
	json_array_append_new(fields, web_form_field(r, "login", "text", "off", ACCOUNT_LOGIN_MAX,
						     typed ? typed->login : NULL, errors,
						     "account.hint.officer_login"));
	json_array_append_new(fields,
			      web_form_field(r, "full_name", "text", "off", ACCOUNT_NAME_MAX,
					     typed ? typed->full_name : NULL, errors, NULL));
	json_array_append_new(fields, web_form_field(r, "email", "email", "off", 254,
						     typed ? typed->email : NULL, errors, NULL));
	if (is_sysadmin(r))
		json_array_append_new(fields, web_form_field(r, "agency", "text", "off", 64,
							     typed ? typed->agency_code : NULL,
							     errors, "account.hint.agency"));
	json_t *options = role_options(r, role_typed, 0);
	const char *role_err = json_string_value(json_object_get(errors, "role"));
	json_t *ctx = json_pack("{s:s,s:o,s:o,s:o,s:s?,s:s?,s:s?,s:s?,s:O,s:b,s:b}", "csrf",
				csrf_token(r), "officers", rows, "fields", fields, "roles", options,
				"role_error", role_err, "scope", scope, "created_login",
				created_login, "created_password", created_password, "error_list",
				list ? list : json_array(), "has_errors",
				list && json_array_size(list) > 0, "has_officers", n > 0);
	if (!list)
		json_decref(json_object_get(ctx, "error_list"));
	web_payment_bank_block(r, ctx); /* the fee account (web/payments.c) */
	page_render(r, status, "admin_accounts", ctx);
}

/* The page again, 422, with what was wrong (and what was typed, when the
 * creation form was sent). */
static void render_problems(http_req *r, const struct officer_input *typed, const char *role,
			    const struct account_problem *probs, const struct field_error *errs)
{
	json_t *errors = json_object(), *list = json_array();
	web_problems(r, probs, errs, errors, list);
	render(r, 422, typed, role, errors, list, NULL, NULL);
	json_decref(errors);
	json_decref(list);
}

void web_admin_accounts(http_req *r)
{
	render(r, 200, NULL, NULL, NULL, NULL, NULL, NULL);
}

void web_admin_account_create(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct officer_input in = {0};
	in.login = web_form_value(r, "login", &errs);
	in.full_name = web_form_value(r, "full_name", &errs);
	in.email = web_form_value(r, "email", &errs);
	in.agency_code = web_form_value(r, "agency", &errs);
	const char *role = web_form_value(r, "role", &errs);
	if (r->status)
		return;
	in.roles = account_role_parse(role);
	in.actor = r->user->account_id;
	if (!is_sysadmin(r)) {
		/* An agency admin acts for their own agency only. */
		if ((in.agency_code && strcmp(in.agency_code, r->user->agency_code ?: "") != 0) ||
		    (in.roles & ROLE_SYSADMIN)) {
			http_reply_error(r, 403, http_msg(r, "status.forbidden"));
			return;
		}
		in.agency_code = r->user->agency_code;
	}
	struct account_problem *probs = NULL;
	char password[ACCOUNT_PW_LEN + 1];
	mc_status rc = MC_INVALID;
	if (!errs)
		rc = account_officer_create(app->db, r->a, &in, password, &probs, NULL);
	if (rc == MC_INVALID) {
		render_problems(r, &in, role, probs, errs);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_add_header(r, "Cache-Control", "no-store");
	render(r, 201, NULL, NULL, NULL, NULL, in.login, password);
}

void web_admin_account_status(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	int64_t enabled;
	if (!http_form_int(r, "enabled", 0, 1, &enabled, NULL))
		return;
	const char *id = http_param(r, "id");
	if (strcmp(id, r->user->account_id) == 0) {
		http_reply_error(r, 409, http_msg(r, "account.err.self"));
		return;
	}
	mc_status rc = account_officer_set_enabled(app->db, r->user->account_id, id,
						   is_sysadmin(r) ? NULL : r->user->agency_code,
						   enabled == 1);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, "/quan-tri/tai-khoan");
}

void web_admin_account_update(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *id = http_param(r, "id");
	if (strcmp(id, r->user->account_id) == 0) {
		http_reply_error(r, 409, http_msg(r, "account.err.self_update"));
		return;
	}
	struct field_error *errs = NULL;
	struct officer_change in = {.id = id,
				    .actor = r->user->account_id,
				    .scope = is_sysadmin(r) ? NULL : r->user->agency_code};
	for (size_t k = 0; k < 5; k++) {
		char name[32];
		snprintf(name, sizeof(name), "role_%s", officer_roles[k]);
		if (web_form_value(r, name, &errs))
			in.roles |= account_role_parse(officer_roles[k]);
	}
	in.agency_code = is_sysadmin(r) ? web_form_value(r, "agency", &errs) : NULL;
	if (r->status)
		return;
	struct account_problem *probs = NULL;
	struct officer_change_result out;
	mc_status rc = MC_INVALID;
	if (!errs && !in.roles)
		account_problem_add(r->a, &probs, "role", "account.err.role", NULL);
	else if (!errs)
		rc = officer_update(app->db, r->a, &in, &out, &probs);
	if (rc == MC_INVALID) {
		render_problems(r, NULL, NULL, probs, errs);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, "/quan-tri/tai-khoan");
}
