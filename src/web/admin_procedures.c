/*
 * admin_procedures.c - agency admins keep their procedures up to date
 * (/quan-tri/thu-tuc): the list of what their agency carries out, and an
 * edit form for what changes locally: the name shown, the online service
 * level, whether it is published, conditions, where dossiers are received,
 * steps, each filing method's time limit and fee, and the required
 * documents. A system admin may edit any procedure.
 *
 * The edit is applied to the stored record's JSON and read back through
 * procedure_from_json, so an edited record obeys exactly the rules of an
 * imported one; problems are shown beside their fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/audit.h"
#include "domain/catalogue.h"
#include "domain/catalogue_cache.h"
#include "domain/catalogue_search.h"
#include "http/csrf.h"
#include "web/web.h"

#define ADMIN_PAGE_SIZE 50
#define NEW_DOC_ROWS	3 /* empty rows offered for documents to add */
#define MAX_DOC_ROWS	200

static bool is_sysadmin(http_req *r)
{
	return (r->user->roles & ROLE_SYSADMIN) != 0;
}

/* True when the signed-in admin may edit procedure code: a system admin
 * always, an agency admin when their agency carries it out. */
static mc_status may_edit(http_req *r, const char *code, bool *ok)
{
	*ok = is_sysadmin(r);
	if (*ok)
		return MC_OK;
	if (!r->user->agency_code)
		return MC_OK;
	struct app *app = http_app(r);
	db_conn *c = db_reader(app->db);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc = db_query(c, r->a,
				"SELECT 1 FROM procedure_agency WHERE procedure_code = $1"
				" AND agency_code = $2",
				DB_ARGS(DB_TEXT(code), DB_TEXT(r->user->agency_code)), &res);
	*ok = rc == MC_OK && db_nrows(res) > 0;
	return rc;
}

void web_admin_procedures(http_req *r)
{
	struct app *app = http_app(r);
	const char *q = NULL;
	int64_t page;
	if (!http_query_text(r, "q", 200, false, &q) ||
	    !http_query_int(r, "trang", 1, 10000, 1, &page))
		return;
	struct catalogue_query cq = {.text = q && *q ? q : NULL,
				     .agency_code = is_sysadmin(r) ? NULL : r->user->agency_code,
				     .offset = (size_t)(page - 1) * ADMIN_PAGE_SIZE,
				     .limit = ADMIN_PAGE_SIZE};
	if (!is_sysadmin(r) && !cq.agency_code) {
		http_reply_status(r, MC_FORBIDDEN);
		return;
	}
	struct catalogue_results res;
	mc_status rc = catalogue_search(app->db, r->a, &cq, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < res.nhits; i++)
		json_array_append_new(
			items,
			json_pack("{s:s,s:s,s:s,s:s}", "code", res.hits[i].code, "name",
				  res.hits[i].name, "field", res.hits[i].field_name, "url",
				  arena_printf(r->a, "/quan-tri/thu-tuc/%s", res.hits[i].code)));
	const char *total = format_thousands(r->a, (int64_t)res.total);
	bool more = cq.offset + res.nhits < res.total;
	json_t *ctx = json_pack(
		"{s:s,s:o,s:s,s:s?,s:s?}", "q", q ? q : "", "procedures", items, "summary",
		i18n_format(r->a, r->lang, "admin_proc.summary", 1, &total), "next_url",
		more ? arena_printf(r->a, "/quan-tri/thu-tuc?trang=%lld&q=%s", (long long)page + 1,
				    q ? q : "")
		     : NULL,
		"prev_url",
		page > 1 ? arena_printf(r->a, "/quan-tri/thu-tuc?trang=%lld&q=%s",
					(long long)page - 1, q ? q : "")
			 : NULL);
	page_render(r, 200, "admin_procedures", ctx);
}

/* ---- the edit form ---- */

static const char *const units[] = {"working_days", "days", "hours", "months", "years", ""};

static json_t *unit_options(http_req *r, const char *selected)
{
	json_t *opts = json_array();
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char key[48];
		snprintf(key, sizeof(key), "admin_proc.unit.%s", *units[i] ? units[i] : "none");
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", units[i], "label",
						      http_msg(r, key), "selected",
						      strcmp(units[i], selected) == 0));
	}
	return opts;
}

/* Steps are shown one per paragraph: separated by a blank line. */
static const char *steps_text(http_req *r, json_t *steps)
{
	buf b = BUF_INIT(PROCEDURE_MAX_BLOCK);
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s)
		buf_printf(&b, "%s%s", i ? "\n\n" : "", json_string_value(s));
	const char *out = arena_strdup(r->a, buf_str(&b));
	buf_release(&b);
	return out;
}

static json_t *split_steps(const char *text)
{
	json_t *arr = json_array();
	const char *p = text;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		const char *crlf = strstr(p, "\r\n\r\n");
		size_t skip = 2;
		if (crlf && (!end || crlf < end)) {
			end = crlf;
			skip = 4;
		}
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
			len--;
		const char *start = p;
		while (len && (*start == '\r' || *start == '\n' || *start == ' ')) {
			start++;
			len--;
		}
		if (len)
			json_array_append_new(arr, json_stringn(start, len));
		if (!end)
			break;
		p = end + skip;
	}
	return arr;
}

/* Renders the form from a record in our JSON format (the stored one, or the
 * one the admin typed), with errors beside fields. */
static void render_edit(http_req *r, int status, json_t *rec, const struct field_error *errs,
			bool saved)
{
	json_t *errors = json_object(), *list = json_array();
	for (const struct field_error *e = errs; e; e = e->next) {
		if (!json_object_get(errors, e->field))
			json_object_set_new(errors, e->field, json_string(e->message));
		json_array_append_new(
			list, json_pack("{s:s,s:s}", "field", e->field, "message", e->message));
	}
	json_t *methods = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(rec, "methods"), i, m)
	{
		char key[48];
		snprintf(key, sizeof(key), "channel.%s",
			 json_string_value(json_object_get(m, "channel")));
		json_int_t amount = json_integer_value(json_object_get(m, "fee_amount"));
		json_array_append_new(
			methods,
			json_pack(
				"{s:i,s:s,s:s,s:o,s:s,s:s}", "i", (int)i, "channel",
				http_msg(r, key), "time_value",
				json_string_value(json_object_get(m, "time_value")), "units",
				unit_options(r, json_string_value(json_object_get(m, "time_unit"))),
				"fee", json_string_value(json_object_get(m, "fee")), "fee_amount",
				amount >= 0 ? arena_printf(r->a, "%lld", (long long)amount) : ""));
	}
	json_t *docs = json_array();
	json_t *d;
	size_t ndocs = json_array_size(json_object_get(rec, "documents"));
	json_array_foreach(json_object_get(rec, "documents"), i, d) json_array_append_new(
		docs, json_pack("{s:i,s:i,s:s,s:I,s:I}", "i", (int)i, "n", (int)i + 1, "name",
				json_string_value(json_object_get(d, "name")), "originals",
				json_integer_value(json_object_get(d, "originals")), "copies",
				json_integer_value(json_object_get(d, "copies"))));
	for (size_t k = 0; k < NEW_DOC_ROWS; k++)
		json_array_append_new(docs, json_pack("{s:i,s:i,s:s,s:i,s:i}", "i",
						      (int)(ndocs + k), "n", (int)(ndocs + k + 1),
						      "name", "", "originals", 0, "copies", 0));
	const char *sl = json_string_value(json_object_get(rec, "service_level"));
	json_t *ctx = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:o,s:o,s:o,s:o,s:b,s:b,s:i}", "csrf",
		csrf_token(r), "code", json_string_value(json_object_get(rec, "code")), "name",
		json_string_value(json_object_get(rec, "name")), "conditions",
		json_string_value(json_object_get(rec, "conditions")), "receiving_address",
		json_string_value(json_object_get(rec, "receiving_address")), "steps",
		steps_text(r, json_object_get(rec, "steps")), "published",
		json_is_true(json_object_get(rec, "published")), "sl_full",
		strcmp(sl, "toan-trinh") == 0, "sl_partial", strcmp(sl, "mot-phan") == 0, "sl_none",
		*sl == '\0', "methods", methods, "documents", docs, "errors", errors, "error_list",
		list, "has_errors", errs != NULL, "saved", saved, "ndocs",
		(int)(ndocs + NEW_DOC_ROWS));
	page_render(r, status, "admin_procedure", ctx);
}

/* Loads procedure code as JSON after checking the admin may edit it; on
 * failure replies (404 for what the admin may not see) and returns NULL. */
static json_t *load(http_req *r, const char *code)
{
	bool ok;
	mc_status rc = may_edit(r, code, &ok);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return NULL;
	}
	if (!ok) {
		http_reply_status(r, MC_NOT_FOUND);
		return NULL;
	}
	struct procedure_rec p;
	rc = catalogue_get(((struct app *)http_app(r))->db, r->a, code, &p);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return NULL;
	}
	return procedure_to_json(&p);
}

void web_admin_procedure(http_req *r)
{
	json_t *rec = load(r, http_param(r, "code"));
	if (!rec)
		return;
	const char *saved = http_query(r, "luu");
	render_edit(r, 200, rec, NULL, saved && strcmp(saved, "1") == 0);
	json_decref(rec);
}

/* A form field of the edit form, text of at most max bytes; NULL when the
 * form does not have it (the stored value is then kept) or when it is
 * invalid (a problem is appended to *errs). */
static const char *text_field(http_req *r, const char *name, size_t max, struct field_error **errs)
{
	const char *v = NULL;
	if (!http_form_text(r, name, 0, max, &v, errs))
		return NULL;
	return v;
}

/* An integer field; "" is def. False when absent or not a number in range
 * (then with a problem appended to *errs). */
static bool int_field(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
		      int64_t *out, struct field_error **errs)
{
	const char *v = text_field(r, name, 32, errs);
	if (!v)
		return false;
	if (!*v) {
		*out = def;
		return true;
	}
	int64_t x;
	if (!http_form_int(r, name, min, max, &x, errs))
		return false;
	*out = x;
	return true;
}

/* The record and its "catalogue.edit" audit entry, in one write. */
struct put_args {
	const struct procedure_rec *p;
	const char *actor, *subject;
	const json_t *changes;
};

static mc_status put_fn(db_conn *c, void *arg)
{
	struct put_args *w = arg;
	mc_status rc = catalogue_put(c, w->p, NULL);
	if (rc != MC_OK || json_object_size(w->changes) == 0)
		return rc;
	json_t *data = json_pack("{s:O}", "changes", w->changes);
	rc = audit_append(c, w->actor, "catalogue.edit", w->subject, data, NULL);
	json_decref(data);
	return rc;
}

/* The top-level fields whose value differs: {field: {before, after}}. */
static json_t *changed_fields(const json_t *before, const json_t *after)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)after, k, v)
	{
		json_t *b = json_object_get(before, k);
		if (!json_equal(b, v))
			json_object_set_new(
				out, k,
				json_pack("{s:O,s:O}", "before", b ? b : json_null(), "after", v));
	}
	json_object_foreach((json_t *)before, k, v)
	{
		if (!json_object_get(after, k))
			json_object_set_new(out, k, json_pack("{s:O,s:n}", "before", v, "after"));
	}
	return out;
}

/* Applies the posted form to rec; problems go to *errs. */
static void apply_form(http_req *r, json_t *rec, struct field_error **errs)
{
	const char *v;
	if ((v = text_field(r, "name", PROCEDURE_MAX_LINE * 4, errs))) {
		if (!*v)
			http_field_error(r, errs, "name", http_msg(r, "admin_proc.name_required"));
		json_object_set_new(rec, "name", json_string(v));
	}
	if ((v = text_field(r, "service_level", 20, errs))) {
		if (strcmp(v, "toan-trinh") && strcmp(v, "mot-phan") && *v)
			http_field_error(r, errs, "service_level",
					 http_msg(r, "admin_proc.service_level_invalid"));
		else
			json_object_set_new(rec, "service_level", json_string(v));
	}
	json_object_set_new(rec, "published",
			    json_boolean(http_form_text(r, "published", 0, 8, &v, NULL) && v &&
					 strcmp(v, "1") == 0));
	if ((v = text_field(r, "conditions", PROCEDURE_MAX_BLOCK * 4, errs)))
		json_object_set_new(rec, "conditions", json_string(v));
	if ((v = text_field(r, "receiving_address", PROCEDURE_MAX_BLOCK * 4, errs)))
		json_object_set_new(rec, "receiving_address", json_string(v));
	if ((v = text_field(r, "steps", PROCEDURE_MAX_BLOCK * 4, errs)))
		json_object_set_new(rec, "steps", split_steps(v));

	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(rec, "methods"), i, m)
	{
		char name[48];
		snprintf(name, sizeof(name), "m%zu_time", i);
		if ((v = text_field(r, name, 16, errs)))
			json_object_set_new(m, "time_value", json_string(v));
		snprintf(name, sizeof(name), "m%zu_unit", i);
		if ((v = text_field(r, name, 20, errs)))
			json_object_set_new(m, "time_unit", json_string(v));
		snprintf(name, sizeof(name), "m%zu_fee", i);
		if ((v = text_field(r, name, PROCEDURE_MAX_LINE, errs)))
			json_object_set_new(m, "fee", json_string(v));
		snprintf(name, sizeof(name), "m%zu_amount", i);
		int64_t amount;
		if (int_field(r, name, 0, PROCEDURE_MAX_FEE, -1, &amount, errs))
			json_object_set_new(m, "fee_amount", json_integer(amount));
	}

	/* Documents: every posted row; a row whose name is empty is removed,
	 * so an admin deletes a document by clearing its name. */
	json_t *old = json_object_get(rec, "documents");
	int64_t nrows;
	if (!int_field(r, "ndocs", 0, MAX_DOC_ROWS, 0, &nrows, errs))
		return; /* no document rows posted: the documents stay as they are */
	json_t *docs = json_array();
	for (int64_t k = 0; k < nrows; k++) {
		char name[32], orig[32], copies[32];
		snprintf(name, sizeof(name), "d%lld_name", (long long)k);
		snprintf(orig, sizeof(orig), "d%lld_originals", (long long)k);
		snprintf(copies, sizeof(copies), "d%lld_copies", (long long)k);
		const char *dn = text_field(r, name, PROCEDURE_MAX_LINE * 4, errs);
		int64_t o = 0, c = 0;
		if (!dn || !*dn)
			continue;
		bool ok = int_field(r, orig, 0, PROCEDURE_MAX_COUNT, 0, &o, errs);
		ok &= int_field(r, copies, 0, PROCEDURE_MAX_COUNT, 0, &c, errs);
		(void)ok; /* a bad count is reported in *errs; the row stays for the form */
		json_t *d = (size_t)k < json_array_size(old)
				    ? json_deep_copy(json_array_get(old, (size_t)k))
				    : json_pack("{s:s,s:s,s:i,s:i,s:[]}", "case", "", "name", "",
						"originals", 0, "copies", 0, "templates");
		json_object_set_new(d, "name", json_string(dn));
		json_object_set_new(d, "originals", json_integer(o));
		json_object_set_new(d, "copies", json_integer(c));
		json_array_append_new(docs, d);
	}
	json_object_set_new(rec, "documents", docs);
}

/* The form field a procedure_from_json message is about ("methods[1].x: ..."
 * -> "m1_time" and so on), so the message shows beside it. */
static const char *field_of(http_req *r, const char *msg)
{
	unsigned k;
	if (sscanf(msg, "methods[%u].time_unit", &k) == 1)
		return arena_printf(r->a, "m%u_unit", k);
	if (sscanf(msg, "methods[%u].fee", &k) == 1)
		return arena_printf(r->a, "m%u_fee", k);
	if (sscanf(msg, "methods[%u]", &k) == 1)
		return arena_printf(r->a, "m%u_time", k);
	if (sscanf(msg, "documents[%u]", &k) == 1)
		return arena_printf(r->a, "d%u_name", k);
	static const char *const direct[] = {"name", "conditions", "receiving_address", "steps",
					     "service_level"};
	for (size_t i = 0; i < sizeof(direct) / sizeof(direct[0]); i++)
		if (strncmp(msg, direct[i], strlen(direct[i])) == 0)
			return direct[i];
	return "name";
}

void web_admin_procedure_save(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *code = http_param(r, "code");
	json_t *rec = load(r, code);
	if (!rec)
		return;
	struct field_error *errs = NULL;
	json_t *before = json_deep_copy(rec);
	apply_form(r, rec, &errs);
	if (r->status) {
		json_decref(rec);
		json_decref(before);
		return;
	}
	struct procedure_rec p;
	char err[256];
	if (!errs && procedure_from_json(rec, r->a, &p, err, sizeof(err)) < 0) {
		const char *args[1] = {err};
		http_field_error(r, &errs, field_of(r, err),
				 i18n_format(r->a, r->lang, "admin_proc.invalid", 1, args));
	}
	if (errs) {
		render_edit(r, 422, rec, errs, false);
		json_decref(rec);
		json_decref(before);
		return;
	}
	json_decref(rec);
	/* Compared in the stored form, so only what really changes is listed. */
	json_t *after = procedure_to_json(&p);
	json_t *changes = changed_fields(before, after);
	json_decref(before);
	json_decref(after);
	struct put_args w = {&p, r->user->account_id, arena_printf(r->a, "procedure:%s", code),
			     changes};
	mc_status rc = catalogue_cache_write(app->db, put_fn, &w);
	json_decref(changes);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, arena_printf(r->a, "/quan-tri/thu-tuc/%s?luu=1", code));
}
