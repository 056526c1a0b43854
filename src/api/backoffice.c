/*
 * backoffice.c - the officers' JSON API (hệ thống một cửa điện tử), the
 * same actions as the officer pages (src/domain/backoffice.h):
 *   GET  /api/v1/officer/queues                 counts of the six queues
 *   GET  /api/v1/officer/dossiers?queue=&q=&cursor=&limit=   one page
 *   GET  /api/v1/officer/dossiers/{code}         the dossier, holders, actions
 *   POST /api/v1/officer/dossiers/{code}/actions {action, version, ...}
 *   POST /api/v1/dossiers/{code}/supplement      the applicant's supplement
 * A stale version is 409 with what happened; a refused action 422 (not
 * possible now, a rule) or 403 (not this officer's), with the reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "core/i18n.h"
#include "domain/backoffice.h"
#include "http/csrf.h"
#include "web/dossier_input.h"

static struct bo_env env_of(http_req *r)
{
	struct app *app = http_app(r);
	return (struct bo_env){app->db,
			       app->cfg.data_dir,
			       (struct office_hours){app->cfg.office_open, app->cfg.receipt_cutoff},
			       app->cfg.public_url,
			       NULL,
			       false};
}

static struct bo_actor actor_of(http_req *r)
{
	return (struct bo_actor){r->user->account_id, r->user->roles, r->user->agency_code};
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void api_officer_queues(http_req *r)
{
	struct bo_env env = env_of(r);
	struct bo_actor who = actor_of(r);
	int64_t counts[BO_NQUEUES];
	mc_status rc = bo_queue_counts(&env, r->a, &who, counts);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *q = json_object();
	for (int i = 0; i < BO_NQUEUES; i++)
		json_object_set_new(q, bo_queue_name((enum bo_queue)i),
				    json_integer((json_int_t)counts[i]));
	json_t *doc = json_pack("{s:s,s:o}", "agency", who.agency_code, "queues", q);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

static json_t *row_json(http_req *r, const struct bo_row *x)
{
	return json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:i,s:I,s:o,s:o,s:o,s:o,s:o,s:b}", "code", x->code,
		"procedure", x->procedure_code, "procedure_name", x->procedure_name,
		"applicant_name", x->applicant_name, "stage", wf_stage_name(x->stage), "status",
		x->status, "status_name", http_msg(r, dossier_status_key(x->status)), "channel",
		x->channel, "version", (json_int_t)x->version, "submitted",
		api_time_json(r, x->submitted_at), "received", api_time_json(r, x->received_at),
		"due", api_time_json(r, x->due_at), "assignee", str_or_null(x->assignee_id),
		"assignee_name", str_or_null(x->assignee_name), "overdue", x->overdue);
}

void api_officer_dossiers(http_req *r)
{
	struct bo_env env = env_of(r);
	struct bo_actor who = actor_of(r);
	int q = bo_queue_parse(http_query(r, "queue"));
	const char *limit_text = http_query(r, "limit");
	int limit = 0;
	if (limit_text && *limit_text) {
		char *end = NULL;
		long v = strtol(limit_text, &end, 10);
		limit = end && !*end && v >= 1 && v <= BO_PAGE_MAX ? (int)v : -1;
	}
	if (q < 0 || limit < 0) {
		http_reply_error(r, 400, http_msg(r, "backoffice.error.queue"));
		return;
	}
	struct bo_page pg;
	mc_status rc = bo_queue_page(&env, r->a, &who, (enum bo_queue)q, http_query(r, "q"),
				     http_query(r, "cursor"), limit, &pg);
	if (rc == MC_INVALID) {
		http_reply_error(r, 400, http_msg(r, "backoffice.error.queue"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, row_json(r, &pg.rows[i]));
	json_t *doc = json_pack("{s:s,s:o,s:o}", "queue", bo_queue_name((enum bo_queue)q),
				"dossiers", items, "next_cursor", str_or_null(pg.next_cursor));
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

static json_t *holders_json(http_req *r, const struct bo_dossier *v)
{
	json_t *a = json_array();
	for (int i = 0; i < v->nholders; i++) {
		const struct bo_holder *h = &v->holders[i];
		json_array_append_new(a, json_pack("{s:i,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:b}", "n",
						   h->n, "agency", h->agency_code, "agency_name",
						   h->agency_name, "account",
						   str_or_null(h->account_id), "person",
						   str_or_null(h->person), "task", h->task, "from",
						   api_time_json(r, h->from_at), "until",
						   api_time_json(r, h->until_at), "due",
						   api_time_json(r, h->due_at), "late", h->late));
	}
	return a;
}

void api_officer_dossier(http_req *r)
{
	struct bo_env env = env_of(r);
	struct bo_actor who = actor_of(r);
	struct bo_dossier v;
	mc_status rc = bo_get(&env, r->a, &who, http_param(r, "code"), &v);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	const struct dossier *d = &v.d;
	json_t *doc = api_dossier_json(r, d);
	json_object_set_new(doc, "stage", json_string(wf_stage_name(v.stage)));
	json_object_set_new(doc, "version", json_integer((json_int_t)v.version));
	json_object_set_new(doc, "assignee", str_or_null(v.assignee_id));
	json_object_set_new(doc, "assignee_name", str_or_null(v.assignee_name));
	json_object_set_new(doc, "received", api_time_json(r, v.received_at));
	json_object_set_new(doc, "paused", api_time_json(r, v.paused_at));
	json_object_set_new(doc, "apology", api_time_json(r, v.apology_at));
	json_object_set_new(doc, "finished", api_time_json(r, v.finished_at));
	json_object_set_new(doc, "paused_days", json_integer(v.paused_days));
	json_object_set_new(doc, "supplements", json_integer(v.supplements));
	json_object_set_new(doc, "holders", holders_json(r, &v));
	json_t *forms = json_array();
	for (int i = 0; i < v.nforms; i++)
		json_array_append_new(
			forms,
			json_pack("{s:i,s:i,s:s,s:o,s:s}", "form", v.forms[i].form, "n",
				  v.forms[i].n, "sha256", v.forms[i].blob_hash, "created",
				  api_time_json(r, v.forms[i].created_at), "url",
				  arena_printf(r->a,
					       "/api/v1/officer/dossiers/%s/forms/%02d-%d.pdf",
					       d->code, v.forms[i].form, v.forms[i].n)));
	json_object_set_new(doc, "forms", forms);
	json_object_set_new(doc, "slip_url",
			    json_string(arena_printf(
				    r->a, "/api/v1/officer/dossiers/%s/forms/05.pdf", d->code)));
	json_t *allowed = json_array();
	for (int i = 0; i < v.nallowed; i++)
		json_array_append_new(allowed, json_string(wf_action_name(v.allowed[i])));
	json_object_set_new(doc, "actions", allowed);
	json_t *spec = json_array();
	for (int i = 0; i < v.nspecialists; i++)
		json_array_append_new(spec, json_pack("{s:s,s:s}", "id", v.specialists[i].id,
						      "name", v.specialists[i].name));
	json_object_set_new(doc, "specialists", spec);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

/* POST /api/v1/officer/dossiers: desk entry of an in-person dossier, the
 * same multipart form as POST /api/v1/dossiers (applicant fields, doc_<slot>
 * scans) plus `business=1` for an organisation; received at once. */
void api_officer_desk_entry(http_req *r)
{
	if (!r->user->api && !csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct dossier_input in;
	if (!dossier_input_read(r, &in, &errs))
		return;
	const char *business = NULL;
	if (!http_form_text(r, "business", 0, 1, &business, &errs))
		business = NULL;
	in.account_id = NULL; /* the applicant came to the desk; no account */
	in.business = business && strcmp(business, "1") == 0;
	in.draft_id = NULL;
	if (!in.procedure_code)
		http_field_error(r, &errs, "procedure", http_msg(r, "dossier.error.required"));
	struct dossier_problem *problems = NULL;
	struct dossier_receipt rec;
	struct bo_env env = env_of(r);
	struct bo_actor who = actor_of(r);
	mc_status rc = errs ? MC_INVALID : bo_desk_entry(&env, r->a, &who, &in, &problems, &rec);
	if (rc == MC_INVALID) {
		dossier_input_problems(r, problems, &errs);
		json_t *fields = json_object();
		for (const struct field_error *e = errs; e; e = e->next)
			if (!json_object_get(fields, e->field))
				json_object_set_new(fields, e->field, json_string(e->message));
		json_t *doc = json_pack("{s:{s:i,s:s,s:s,s:o}}", "error", "status", 422, "reason",
					"Unprocessable Entity", "message",
					http_msg(r, "dossier.error.fix_fields"), "fields", fields);
		http_reply_json(r, 422, doc);
		json_decref(doc);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc = json_pack("{s:s,s:s,s:s,s:i,s:I,s:o,s:o}", "code", rec.code, "id", rec.id,
				"stage", "received", "status", DOSSIER_RECEIVED, "version",
				(json_int_t)1, "submitted", api_time_json(r, rec.submitted_at),
				"due", api_time_json(r, rec.due_at));
	http_add_header(r, "Location", arena_printf(r->a, "/api/v1/officer/dossiers/%s", rec.code));
	http_reply_json(r, 201, doc);
	json_decref(doc);
}

/* GET .../forms/05.pdf (the control slip as it stands) or .../forms/02-1.pdf
 * (the first stored form 02). */
void api_officer_form(http_req *r)
{
	struct bo_env env = env_of(r);
	struct bo_actor who = actor_of(r);
	const char *code = http_param(r, "code");
	const char *file = http_param(r, "file");
	int form = 0, n = 0, used = 0;
	if (file && strcmp(file, "05.pdf") == 0) {
		buf pdf;
		buf_init(&pdf, 32u << 20);
		mc_status rc = bo_slip_pdf(&env, r->a, &who, code, &pdf);
		if (rc == MC_OK) {
			http_add_header(r, "Content-Disposition",
					http_content_disposition(r->a, "mau-05.pdf"));
			http_reply(r, 200, "application/pdf", pdf.data, pdf.len);
		} else {
			http_reply_status(r, rc);
		}
		buf_release(&pdf);
		return;
	}
	if (!file || sscanf(file, "%2d-%6d.pdf%n", &form, &n, &used) != 2 ||
	    (size_t)used != strlen(file)) {
		http_reply_status(r, MC_NOT_FOUND);
		return;
	}
	struct dossier_file f;
	mc_status rc = bo_form_file(&env, r->a, &who, code, form, n, &f);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	dossier_file_send(r, &f);
}

/* The outcome of bo_act as the reply. */
static void reply_act(http_req *r, const char *code, mc_status rc, const struct bo_result *out)
{
	json_t *doc;
	int status;
	if (rc == MC_OK) {
		status = 200;
		doc = json_pack("{s:s,s:s,s:i,s:s,s:I,s:o}", "code", code, "stage",
				wf_stage_name(out->stage), "status", out->status, "status_name",
				http_msg(r, dossier_status_key(out->status)), "version",
				(json_int_t)out->version, "due", api_time_json(r, out->due_at));
	} else if (rc == MC_CONFLICT) {
		const struct bo_happened *h = &out->happened;
		const char *did = http_msg(r, arena_printf(r->a, "backoffice.did.%s", h->action));
		const char *at = h->at && strlen(h->at) >= 16
					 ? arena_printf(r->a, "%.5s %.2s/%.2s/%.4s", h->at + 11,
							h->at + 8, h->at + 5, h->at)
					 : "";
		const char *args[] = {h->actor_name, did, at};
		const char *msg = i18n_format(r->a, r->lang,
					      *h->actor_name ? "backoffice.error.stale"
							     : "backoffice.error.stale_system",
					      3, args);
		status = 409;
		doc = json_pack("{s:{s:i,s:s,s:s,s:{s:s,s:s,s:o,s:I}}}", "error", "status", 409,
				"reason", "Conflict", "message", msg, "happened", "action",
				h->action, "by", h->actor_name, "at", api_time_json(r, h->at),
				"version", (json_int_t)h->version);
	} else if ((rc == MC_INVALID || rc == MC_FORBIDDEN) && out->why) {
		status = rc == MC_INVALID ? 422 : 403;
		const char *msg = http_msg(r, out->why);
		doc = json_pack("{s:{s:i,s:s,s:s,s:s,s:o}}", "error", "status", status, "reason",
				status == 422 ? "Unprocessable Entity" : "Forbidden", "message",
				msg, "key", out->why, "fields", json_object());
		if (out->field)
			json_object_set_new(
				json_object_get(json_object_get(doc, "error"), "fields"),
				out->field, json_string(msg));
	} else {
		http_reply_status(r, rc);
		return;
	}
	http_reply_json(r, status, doc);
	json_decref(doc);
}

static const char *jstr(http_req *r, json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));
	return s ? arena_strdup(r->a, s) : NULL;
}

void api_officer_action(http_req *r)
{
	if (!r->user->api && !csrf_check(r))
		return;
	json_t *j = json_loadb(buf_str(&r->body), r->body.len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		http_reply_error(r, 400, http_msg(r, "error.form_damaged"));
		return;
	}
	struct bo_result out = {0};
	int x = wf_action_parse(json_string_value(json_object_get(j, "action")));
	json_t *ver = json_object_get(j, "version");
	json_t *days = json_object_get(j, "days");
	json_t *amount = json_object_get(j, "amount");
	struct bo_action act = {
		.action = (enum wf_action)x,
		.version = json_is_integer(ver) ? (int64_t)json_integer_value(ver) : -1,
		.note = jstr(r, j, "note"),
		.items = jstr(r, j, "items"),
		.assignee = jstr(r, j, "assignee"),
		.new_due = jstr(r, j, "new_due"),
		.agency = jstr(r, j, "agency"),
		.days = json_is_integer(days) && json_integer_value(days) > 0 &&
					json_integer_value(days) <= 365
				? (int)json_integer_value(days)
				: 0,
		.amount = json_is_integer(amount) ? (int64_t)json_integer_value(amount) : 0,
	};
	json_decref(j);
	const char *code = http_param(r, "code");
	mc_status rc;
	if (x < 0) {
		rc = MC_INVALID;
		out.why = "backoffice.error.action";
		out.field = "action";
	} else if (act.version < 0) {
		rc = MC_INVALID;
		out.why = "backoffice.error.version";
		out.field = "version";
	} else {
		struct bo_env env = env_of(r);
		struct bo_actor who = actor_of(r);
		rc = bo_act(&env, r->a, &who, code, &act, &out);
	}
	reply_act(r, code, rc, &out);
}

void api_dossier_supplement(http_req *r)
{
	if (!r->user->api && !csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct dossier_input in;
	if (!dossier_input_read(r, &in, &errs))
		return;
	int64_t version = -1;
	const char *note = NULL;
	if (!http_form_int(r, "version", 0, INT64_MAX / 2, &version, &errs))
		version = -1;
	if (!http_form_text(r, "note", 0, BO_NOTE_MAX, &note, &errs))
		note = NULL;
	struct bo_result out = {0};
	mc_status rc;
	if (errs || version < 0) {
		rc = MC_INVALID;
		out.why = version < 0 ? "backoffice.error.version" : "backoffice.error.too_long";
		out.field = errs ? errs->field : "version";
	} else {
		struct bo_env env = env_of(r);
		struct bo_actor who = {r->user->account_id, r->user->roles, NULL};
		struct bo_action act = {.action = WF_SUPPLEMENT_SUBMIT,
					.version = version,
					.note = note,
					.uploads = in.uploads,
					.nuploads = in.nuploads};
		rc = bo_act(&env, r->a, &who, http_param(r, "code"), &act, &out);
	}
	reply_act(r, http_param(r, "code"), rc, &out);
}
