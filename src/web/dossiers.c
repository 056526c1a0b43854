/*
 * dossiers.c - the applicant's pages for dossiers (hồ sơ): the online form
 * of a procedure (draft or submit), resuming a draft from any device, the
 * list "Hồ sơ của tôi", one dossier with its files, and the withdrawal
 * request. Post/redirect/get after every successful write; every problem
 * shown beside its field with what was typed kept. Data only through
 * src/domain/dossier.h.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/catalogue.h"
#include "domain/dossier.h"
#include "http/csrf.h"
#include "web/dossier_input.h"
#include "web/officer.h"
#include "web/web.h"

static const char *status_text(http_req *r, int status)
{
	return http_msg(r, dossier_status_key(status));
}

static const char *when(http_req *r, const char *iso)
{
	return iso ? format_datetime_vn(r->a, iso) : "";
}

/* Trims "YYYY-MM-DD HH:MM:SS" to minutes before formatting. */
static const char *when_min(http_req *r, const char *iso)
{
	if (!iso)
		return "";
	return format_datetime_vn(r->a, strlen(iso) > 16 ? arena_strndup(r->a, iso, 16) : iso);
}

static json_t *errors_ctx(const struct field_error *errs, json_t **list_out)
{
	json_t *errors = json_object();
	json_t *list = json_array();
	for (const struct field_error *e = errs; e; e = e->next) {
		if (!json_object_get(errors, e->field))
			json_object_set_new(errors, e->field, json_string(e->message));
		json_array_append_new(
			list, json_pack("{s:s,s:s}", "field", e->field, "message", e->message));
	}
	*list_out = list;
	return errors;
}

void dossier_form_render(http_req *r, int status, const struct procedure_rec *p,
			 const struct dossier_input *in, const struct dossier *draft,
			 const struct field_error *errs, bool saved, bool desk)
{
	struct app *app = http_app(r);
	struct dossier_agency *agencies = NULL;
	int nag = 0;
	mc_status rc = dossier_agencies(app->db, r->a, p->code, &agencies, &nag);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *ag = json_array();
	for (int i = 0; i < nag; i++)
		json_array_append_new(
			ag,
			json_pack("{s:s,s:s,s:b,s:b}", "code", agencies[i].code, "name",
				  agencies[i].name, "selected",
				  in->agency_code && strcmp(in->agency_code, agencies[i].code) == 0,
				  "no_identifier", agencies[i].identifier == NULL));
	json_t *errors_list;
	json_t *errors = errors_ctx(errs, &errors_list);
	json_t *docs = json_array();
	for (size_t i = 0; i < p->ndocuments; i++) {
		const struct procedure_document *d = &p->documents[i];
		char o[16], c[16];
		snprintf(o, sizeof(o), "%d", d->originals);
		snprintf(c, sizeof(c), "%d", d->copies);
		const char *args[2] = {o, c};
		json_t *templates = json_array();
		for (size_t k = 0; k < d->ntemplates; k++)
			json_array_append_new(templates, json_string(d->templates[k]));
		const char *field = arena_printf(r->a, "doc_%zu", i);
		json_t *kept = json_null();
		for (int k = 0; draft && k < draft->nfiles; k++)
			if (draft->files[k].slot == (int)i)
				kept = json_pack("{s:s,s:s}", "name", draft->files[k].name, "size",
						 format_thousands(r->a, (draft->files[k].size +
									 1023) / 1024));
		json_t *err = json_object_get(errors, field);
		json_array_append_new(
			docs,
			json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:b,s:o,s:O?}", "field", field, "case",
				  d->case_name, "name", d->name, "copies",
				  i18n_format(r->a, r->lang, "procedure.copies", 2, args),
				  "optional", dossier_document_optional(d), "templates", templates,
				  "has_templates", d->ntemplates > 0, "kept", kept, "error", err));
		json_object_set_new(json_array_get(docs, json_array_size(docs) - 1), "has_case",
				    json_boolean(*d->case_name != '\0'));
	}
	const struct dossier_applicant *ap = &in->applicant;
	const char *rm = in->return_method ? in->return_method : "online";
	json_t *ctx = json_pack(
		"{s:s,s:s,s:s,s:s?,s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,"
		"s:b,s:b,s:b,s:s?,s:s?,s:b}",
		"csrf", csrf_token(r), "code", p->code, "procedure", p->name, "draft", in->draft_id,
		"agencies", ag, "documents", docs, "errors", errors, "error_list", errors_list,
		"has_errors", errs != NULL, "business", in->business, "citizen", !in->business,
		"name", ap->name, "id_number", ap->id_number, "tax_code", ap->tax_code,
		"birth_date", ap->birth_date, "phone", ap->phone, "email", ap->email, "address",
		ap->address, "rm_online", strcmp(rm, "online") == 0, "rm_desk",
		strcmp(rm, "desk") == 0, "rm_post", strcmp(rm, "post") == 0, "return_address",
		in->return_address, "notes", in->notes, "saved", saved);
	json_object_set_new(ctx, "desk", json_boolean(desk));
	json_object_set_new(ctx, "action_url",
			    json_string(desk ? "/can-bo/tiep-nhan"
					     : arena_printf(r->a, "/thu-tuc/%s/nop", p->code)));
	page_render(r, status, "dossier_form", ctx);
}

/* The online procedure of the path, or a reply (404 when not online). */
static bool load_procedure(http_req *r, const char *code, struct procedure_rec *p)
{
	struct app *app = http_app(r);
	mc_status rc = catalogue_get(app->db, r->a, code, p);
	if (rc == MC_OK && (!p->published || !dossier_procedure_online(p)))
		rc = MC_NOT_FOUND;
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return false;
	}
	return true;
}

void web_dossier_form(http_req *r)
{
	struct app *app = http_app(r);
	struct procedure_rec p;
	if (!load_procedure(r, http_param(r, "code"), &p))
		return;
	struct dossier_input in = {.account_id = r->user->account_id};
	mc_status rc = dossier_applicant_defaults(app->db, r->a, r->user->account_id, &in.applicant,
						  &in.business);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	if (in.applicant.birth_date && !*in.applicant.birth_date)
		in.applicant.birth_date = NULL;
	else if (in.applicant.birth_date) /* shown as people write it */
		in.applicant.birth_date = format_datetime_vn(r->a, in.applicant.birth_date);
	dossier_form_render(r, 200, &p, &in, NULL, NULL, false, false);
}

void web_dossier_draft(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier d;
	mc_status rc =
		dossier_get_draft(app->db, r->a, r->user->account_id, http_param(r, "id"), &d);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	struct procedure_rec p;
	if (!load_procedure(r, d.procedure_code, &p))
		return;
	struct dossier_input in = {.draft_id = d.id,
				   .account_id = d.account_id,
				   .business = strcmp(r->user->kind, "business") == 0,
				   .procedure_code = d.procedure_code,
				   .agency_code = d.agency_code,
				   .applicant = d.applicant,
				   .return_method = d.return_method,
				   .return_address = d.return_address,
				   .notes = d.notes};
	dossier_form_render(r, 200, &p, &in, &d, NULL, http_query(r, "luu") != NULL, false);
}

/*
 * A submission that failed validation: the files of this request that
 * passed the type and size checks are kept with the draft (created if
 * there is none yet), so the citizen chooses again only what was wrong.
 * in->draft_id becomes the draft's and *kept its files; false when there
 * was nothing to keep or the draft could not be saved (the form then
 * asks for the files again, as before).
 */
static bool keep_uploads(http_req *r, struct dossier_input *in, struct dossier *kept)
{
	struct app *app = http_app(r);
	if (in->nuploads == 0)
		return false;
	struct dossier_problem *pr = NULL;
	const char *id = NULL;
	const char *agency = in->agency_code;
	mc_status rc = dossier_save_draft(app->db, r->a, app->cfg.data_dir, in, &pr, &id);
	in->agency_code = agency; /* the form shows the choice as it was made */
	if (rc != MC_OK || dossier_get_draft(app->db, r->a, in->account_id, id, kept) != MC_OK)
		return false;
	in->draft_id = id;
	return true;
}

void web_dossier_post(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct procedure_rec p;
	if (!load_procedure(r, http_param(r, "code"), &p))
		return;
	struct field_error *errs = NULL;
	struct dossier_input in;
	if (!dossier_input_read(r, &in, &errs))
		return;
	in.procedure_code = p.code;
	const char *action = NULL;
	if (!http_form_text(r, "action", 0, 10, &action, NULL))
		return;
	bool draft = action && strcmp(action, "draft") == 0;
	struct dossier kept;
	bool have_kept = false;
	if (in.draft_id) {
		mc_status rc = dossier_get_draft(app->db, r->a, in.account_id, in.draft_id, &kept);
		if (rc != MC_OK) {
			http_reply_status(r, rc);
			return;
		}
		have_kept = true;
	}
	if (errs) {
		/* Everything at once: the domain's problems join the reader's. */
		if (!draft) {
			struct dossier_problem *pr = NULL;
			in.check_only = true;
			if (dossier_submit(app->db, r->a, app->cfg.data_dir,
					   (struct office_hours){0, 0}, &in, &pr,
					   NULL) == MC_INVALID)
				dossier_input_problems(r, pr, &errs);
			in.check_only = false;
		}
		have_kept = keep_uploads(r, &in, &kept) || have_kept;
		dossier_form_render(r, 422, &p, &in, have_kept ? &kept : NULL, errs, false, false);
		return;
	}
	struct dossier_problem *problems = NULL;
	mc_status rc;
	if (draft) {
		const char *id = NULL;
		rc = dossier_save_draft(app->db, r->a, app->cfg.data_dir, &in, &problems, &id);
		if (rc == MC_OK) {
			http_redirect(r, 303,
				      arena_printf(r->a, "/ho-so-cua-toi/nhap/%s?luu=1", id));
			return;
		}
	} else {
		struct dossier_receipt rec;
		struct office_hours h = {app->cfg.office_open, app->cfg.receipt_cutoff};
		rc = dossier_submit(app->db, r->a, app->cfg.data_dir, h, &in, &problems, &rec);
		if (rc == MC_OK) {
			http_redirect(r, 303, arena_printf(r->a, "/ho-so/%s?moi=1", rec.code));
			return;
		}
	}
	if (rc == MC_INVALID) {
		dossier_input_problems(r, problems, &errs);
		if (!draft)
			have_kept = keep_uploads(r, &in, &kept) || have_kept;
		dossier_form_render(r, 422, &p, &in, have_kept ? &kept : NULL, errs, false, false);
		return;
	}
	http_reply_status(r, rc);
}

void web_my_dossiers(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier *list;
	int n;
	mc_status rc = dossier_list(app->db, r->a, r->user->account_id, &list, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *subs = json_array();
	json_t *drafts = json_array();
	for (int i = 0; i < n; i++) {
		const struct dossier *d = &list[i];
		if (d->status == DOSSIER_DRAFT)
			json_array_append_new(drafts, json_pack("{s:s,s:s,s:s,s:s}", "id", d->id,
								"procedure", d->procedure_name,
								"agency", d->agency_name, "updated",
								when_min(r, d->updated_at)));
		else
			json_array_append_new(
				subs, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", d->code,
						"procedure", d->procedure_name, "agency",
						d->agency_name, "status", status_text(r, d->status),
						"submitted", when_min(r, d->submitted_at), "due",
						when_min(r, d->due_at)));
	}
	json_t *ctx =
		json_pack("{s:o,s:o,s:b,s:b}", "dossiers", subs, "drafts", drafts, "has_dossiers",
			  json_array_size(subs) > 0, "has_drafts", json_array_size(drafts) > 0);
	page_render(r, 200, "dossier_list", ctx);
}

static struct dossier_viewer viewer_of(http_req *r)
{
	return (struct dossier_viewer){r->user->account_id, r->user->agency_code};
}

static const char *return_text(http_req *r, const char *m)
{
	if (strcmp(m, "post") == 0)
		return http_msg(r, "dossier.return.post");
	if (strcmp(m, "desk") == 0)
		return http_msg(r, "dossier.return.desk");
	return http_msg(r, "dossier.return.online");
}

/* The dossier page; reason_error (may be NULL) is shown beside the
 * withdrawal form's reason. */
static void render_dossier(http_req *r, int status, const char *reason_error)
{
	struct app *app = http_app(r);
	struct dossier_viewer v = viewer_of(r);
	struct dossier d;
	mc_status rc = dossier_get(app->db, r->a, &v, http_param(r, "code"), &d);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *files = json_array();
	for (int i = 0; i < d.nfiles; i++)
		json_array_append_new(files, json_pack("{s:s,s:s,s:s,s:i}", "url",
						       arena_printf(r->a, "/ho-so/%s/tep/%s",
								    d.code, d.files[i].id),
						       "name", d.files[i].name, "size",
						       format_thousands(r->a, d.files[i].size),
						       "slot", d.files[i].slot + 1));
	json_t *events = json_array();
	for (int i = 0; i < d.nevents; i++) {
		/* No note is false, not "": a section over "" renders "()". */
		const char *note = d.events[i].note;
		json_array_append_new(
			events, json_pack("{s:s,s:s,s:o}", "at", when(r, d.events[i].at), "status",
					  status_text(r, d.events[i].status_to), "note",
					  note && *note ? json_string(note) : json_false()));
	}
	bool mine = strcmp(d.account_id ? d.account_id : "", r->user->account_id) == 0;
	char *lookup = NULL;
	json_t *ctx = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:b,s:s,s:b}", "code",
		d.code, "procedure", d.procedure_name, "procedure_code", d.procedure_code, "agency",
		d.agency_name, "status", status_text(r, d.status), "submitted",
		when_min(r, d.submitted_at), "due", d.due_at ? when_min(r, d.due_at) : "—",
		"return_method", return_text(r, d.return_method), "return_address",
		d.return_address, "name", d.applicant.name, "phone", d.applicant.phone, "notes",
		d.notes, "files", files, "events", events, "just_submitted",
		mine && http_query(r, "moi") != NULL, "can_withdraw",
		mine && dossier_can_withdraw(d.status), "csrf", csrf_token(r), "has_files",
		d.nfiles > 0);
	lookup = arena_printf(r->a, "/tra-cuu?ma=%s", d.code);
	json_object_set_new(ctx, "lookup_url", json_string(lookup));
	json_object_set_new(ctx, "receipt_url",
			    json_string(arena_printf(r->a, "/ho-so/%s/bien-nhan.pdf", d.code)));
	if (reason_error)
		json_object_set_new(ctx, "reason_error", json_string(reason_error));
	json_t *supplement = mine ? officer_supplement_ctx(r, &d) : NULL;
	if (supplement)
		json_object_set_new(ctx, "supplement", supplement);
	json_object_set_new(ctx, "supplement_sent", json_boolean(mine && http_query(r, "bo-sung")));
	web_payment_block(r, d.code, ctx); /* fees and payment (web/payments.c) */
	json_t *rating = web_rating_block(r, d.code);
	if (rating)
		json_object_set_new(ctx, "rating", rating);
	page_render(r, status, "dossier", ctx);
}

void web_dossier(http_req *r)
{
	render_dossier(r, 200, NULL);
}

void web_dossier_withdraw(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *code = http_param(r, "code");
	const char *reason = NULL;
	struct field_error *errs = NULL;
	if (!http_form_text(r, "reason", 1, DOSSIER_REASON_MAX, &reason, &errs)) {
		if (!r->status)
			render_dossier(r, 422, http_msg(r, "dossier.error.reason"));
		return;
	}
	mc_status rc = dossier_withdraw(app->db, r->user->account_id, code, reason);
	if (rc == MC_CONFLICT) {
		http_reply_error(r, 409, http_msg(r, "dossier.error.withdraw_status"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, arena_printf(r->a, "/ho-so/%s", code));
}

/*
 * A file of a dossier, for the applicant and the officers of the handling
 * agency only (404 for anyone else), always as an attachment so that a
 * browser never renders uploaded content on the portal's origin. The bytes
 * come from the blob store of the uploads module; a build without it says
 * so with 503 instead of guessing at storage it does not know.
 */
void web_dossier_file(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier_viewer v = viewer_of(r);
	struct dossier_file f;
	mc_status rc = dossier_file_get(app->db, r->a, &v, http_param(r, "code"),
					http_param(r, "file"), &f);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	dossier_file_send(r, &f);
}
