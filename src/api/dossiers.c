/*
 * dossiers.c - the dossier API (hồ sơ) for the signed-in applicant:
 * POST /api/v1/dossiers (multipart form: submit, or save a draft with
 * draft=1), GET /api/v1/dossiers (mine), GET /api/v1/dossiers/{code} (the
 * applicant or the handling agency's officers) and
 * POST /api/v1/dossiers/{code}/withdraw. Validation problems come back all
 * at once as {"error": {"message", "fields": {field: message}}}.
 */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "app.h"
#include "domain/dossier.h"
#include "http/csrf.h"
#include "web/dossier_input.h"

static void reply_fields(http_req *r, int status, const struct field_error *errs)
{
	json_t *fields = json_object();
	for (const struct field_error *e = errs; e; e = e->next)
		if (!json_object_get(fields, e->field))
			json_object_set_new(fields, e->field, json_string(e->message));
	json_t *doc = json_pack("{s:{s:i,s:s,s:s,s:o}}", "error", "status", status, "reason",
				status == 422 ? "Unprocessable Entity" : "Bad Request", "message",
				http_msg(r, "dossier.error.fix_fields"), "fields", fields);
	http_reply_json(r, status, doc);
	json_decref(doc);
}

json_t *api_time_json(http_req *r, const char *s)
{
	if (!s || strlen(s) < 16)
		return json_null();
	return json_string(arena_printf(r->a, "%.10sT%.5s:%s+07:00", s, s + 11,
					strlen(s) >= 19 ? s + 17 : "00"));
}

void api_dossier_create(http_req *r)
{
	struct app *app = http_app(r);
	/* A browser's cookie can reach the API too: it needs the CSRF field. */
	if (!r->user->api && !csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct dossier_input in;
	if (!dossier_input_read(r, &in, &errs))
		return;
	int64_t draft = 0;
	const char *draft_text = NULL;
	if (!http_form_text(r, "draft", 0, 1, &draft_text, &errs))
		draft_text = NULL;
	if (draft_text && *draft_text && !http_form_int(r, "draft", 0, 1, &draft, &errs))
		draft = 0;
	if (!in.procedure_code)
		http_field_error(r, &errs, "procedure", http_msg(r, "dossier.error.required"));
	struct dossier_problem *problems = NULL;
	mc_status rc;
	if (errs) {
		/* Everything at once: the domain's problems join the reader's. */
		if (!draft && in.procedure_code) {
			in.check_only = true;
			rc = dossier_submit(app->db, r->a, app->cfg.data_dir,
					    (struct office_hours){0, 0}, &in, &problems, NULL);
			if (rc == MC_INVALID)
				dossier_input_problems(r, problems, &errs);
		}
		reply_fields(r, 422, errs);
		return;
	}
	json_t *doc = NULL;
	if (draft) {
		const char *id = NULL;
		rc = dossier_save_draft(app->db, r->a, app->cfg.data_dir, &in, &problems, &id);
		if (rc == MC_OK)
			doc = json_pack("{s:s,s:i}", "id", id, "status", DOSSIER_DRAFT);
	} else {
		struct dossier_receipt rec;
		struct office_hours h = {app->cfg.office_open, app->cfg.receipt_cutoff};
		rc = dossier_submit(app->db, r->a, app->cfg.data_dir, h, &in, &problems, &rec);
		if (rc == MC_OK)
			doc = json_pack("{s:s,s:s,s:i,s:o,s:o}", "code", rec.code, "id", rec.id,
					"status", DOSSIER_NEW, "submitted",
					api_time_json(r, rec.submitted_at), "due",
					api_time_json(r, rec.due_at));
	}
	if (rc == MC_INVALID) {
		dossier_input_problems(r, problems, &errs);
		reply_fields(r, 422, errs);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	if (!draft)
		http_add_header(r, "Location",
				arena_printf(r->a, "/api/v1/dossiers/%s",
					     json_string_value(json_object_get(doc, "code"))));
	http_reply_json(r, 201, doc);
	json_decref(doc);
}

static json_t *summary_json(http_req *r, const struct dossier *d)
{
	return json_pack("{s:s,s:s?,s:s,s:s,s:s,s:s,s:i,s:s,s:o,s:o,s:o}", "id", d->id, "code",
			 d->code, "procedure", d->procedure_code, "procedure_name",
			 d->procedure_name, "agency", d->agency_code, "agency_name", d->agency_name,
			 "status", d->status, "status_name",
			 http_msg(r, dossier_status_key(d->status)), "created",
			 api_time_json(r, d->created_at), "submitted",
			 api_time_json(r, d->submitted_at), "due", api_time_json(r, d->due_at));
}

void api_dossiers(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier *list;
	int n;
	mc_status rc = dossier_list(app->db, r->a, r->user->account_id, &list, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, summary_json(r, &list[i]));
	json_t *doc = json_pack("{s:o}", "dossiers", items);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

json_t *api_dossier_json(http_req *r, const struct dossier *dp)
{
	const struct dossier d = *dp;
	json_t *doc = summary_json(r, &d);
	const struct dossier_applicant *p = &d.applicant;
	json_object_set_new(doc, "applicant",
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", p->name, "id_number",
				      p->id_number, "tax_code", p->tax_code, "birth_date",
				      p->birth_date, "phone", p->phone, "email", p->email,
				      "address", p->address));
	json_object_set_new(doc, "return_method", json_string(d.return_method));
	json_object_set_new(doc, "return_address", json_string(d.return_address));
	json_object_set_new(doc, "notes", json_string(d.notes));
	json_object_set_new(doc, "channel", json_integer(d.channel));
	json_t *files = json_array();
	for (int i = 0; i < d.nfiles; i++)
		json_array_append_new(
			files,
			json_pack("{s:s,s:i,s:s,s:s,s:I,s:s,s:s}", "id", d.files[i].id, "slot",
				  d.files[i].slot, "name", d.files[i].name, "mime", d.files[i].mime,
				  "size", (json_int_t)d.files[i].size, "sha256",
				  d.files[i].blob_hash, "url",
				  arena_printf(r->a, "/ho-so/%s/tep/%s", d.code, d.files[i].id)));
	json_object_set_new(doc, "files", files);
	json_t *events = json_array();
	for (int i = 0; i < d.nevents; i++)
		json_array_append_new(
			events, json_pack("{s:i,s:o,s:s,s:i,s:i,s:s}", "n", d.events[i].n, "at",
					  api_time_json(r, d.events[i].at), "action",
					  d.events[i].action, "from", d.events[i].status_from, "to",
					  d.events[i].status_to, "note", d.events[i].note));
	json_object_set_new(doc, "events", events);
	return doc;
}

void api_dossier(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier_viewer v = {r->user->account_id, r->user->agency_code};
	struct dossier d;
	mc_status rc = dossier_get(app->db, r->a, &v, http_param(r, "code"), &d);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc = api_dossier_json(r, &d);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

/* The reason, from a JSON body {"reason": ...} or a form field. */
static bool read_reason(http_req *r, const char **reason, struct field_error **errs)
{
	const char *ct = http_header(r, "Content-Type");
	if (ct && strncasecmp(ct, "application/json", 16) == 0) {
		json_t *j = json_loadb(buf_str(&r->body), r->body.len, 0, NULL);
		const char *s = j ? json_string_value(json_object_get(j, "reason")) : NULL;
		*reason = s ? arena_strdup(r->a, s) : NULL;
		json_decref(j);
		if (!j) {
			http_reply_error(r, 400, http_msg(r, "error.form_damaged"));
			return false;
		}
		if (!*reason || !**reason)
			http_field_error(r, errs, "reason", http_msg(r, "dossier.error.reason"));
		return true;
	}
	if (!http_form_text(r, "reason", 1, DOSSIER_REASON_MAX, reason, errs))
		return !r->status;
	return true;
}

void api_dossier_withdraw(http_req *r)
{
	struct app *app = http_app(r);
	struct field_error *errs = NULL;
	const char *reason = NULL;
	if (!r->user->api && !csrf_check(r))
		return;
	if (!read_reason(r, &reason, &errs))
		return;
	if (errs) {
		reply_fields(r, 422, errs);
		return;
	}
	mc_status rc =
		dossier_withdraw(app->db, r->user->account_id, http_param(r, "code"), reason);
	if (rc == MC_INVALID) {
		http_field_error(r, &errs, "reason", http_msg(r, "dossier.error.reason"));
		reply_fields(r, 422, errs);
		return;
	}
	if (rc == MC_CONFLICT) {
		http_reply_error(r, 409, http_msg(r, "dossier.error.withdraw_status"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc =
		json_pack("{s:s,s:i}", "code", http_param(r, "code"), "status", DOSSIER_WITHDRAWAL);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
