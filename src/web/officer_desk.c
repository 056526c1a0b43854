/*
 * officer_desk.c - two pages around the supplement and the desk:
 *  - /can-bo/tiep-nhan: a desk officer enters a dossier brought in person
 *    (channel 1, nộp trực tiếp): choose one of the agency's procedures, type
 *    the applicant's data, attach the scans; the dossier is received at once
 *    (bo_desk_entry) and the officer lands on its page with the receipt.
 *  - POST /ho-so/{code}/bo-sung: the applicant sends what the agency asked
 *    for (bổ sung hồ sơ), files through the same upload path as the online
 *    form, as the workflow action supplement_submit.
 */
#include <string.h>

#include "app.h"
#include "domain/backoffice.h"
#include "domain/catalogue.h"
#include "domain/catalogue_search.h"
#include "http/csrf.h"
#include "web/dossier_input.h"
#include "web/officer.h"
#include "web/web.h"

/* Step 1: the agency's procedures matching q (all of them, by name, when
 * q is blank). */
static void render_choose(http_req *r, const char *q)
{
	struct app *app = http_app(r);
	struct catalogue_query cq = {.text = q, .agency_code = r->user->agency_code, .limit = 50};
	struct catalogue_results res;
	mc_status rc = catalogue_search(app->db, r->a, &cq, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *hits = json_array();
	for (size_t i = 0; i < res.nhits; i++)
		json_array_append_new(hits, json_pack("{s:s,s:s}", "code", res.hits[i].code, "name",
						      res.hits[i].name));
	json_t *ctx = json_pack("{s:o,s:b,s:s?}", "hits", hits, "has_hits", res.nhits > 0, "q", q);
	page_render(r, 200, "officer_desk", ctx);
}

/* The procedure of the form, when the agency carries it out; else a reply. */
static bool load_procedure(http_req *r, const char *code, struct procedure_rec *p)
{
	struct app *app = http_app(r);
	mc_status rc = catalogue_get(app->db, r->a, code, p);
	struct dossier_agency *ags = NULL;
	int nag = 0;
	if (rc == MC_OK)
		rc = dossier_agencies(app->db, r->a, p->code, &ags, &nag);
	bool ours = false;
	for (int i = 0; rc == MC_OK && i < nag; i++)
		ours = ours || strcmp(ags[i].code, r->user->agency_code) == 0;
	if (rc == MC_OK && (!p->published || !ours))
		rc = MC_NOT_FOUND;
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return false;
	}
	return true;
}

void web_officer_desk_form(http_req *r)
{
	const char *code = NULL, *q = NULL, *kind = NULL;
	if (!http_query_text(r, "thu-tuc", 16, false, &code) ||
	    !http_query_text(r, "q", 200, false, &q) ||
	    !http_query_text(r, "loai", 10, false, &kind))
		return;
	if (!code || !*code) {
		render_choose(r, q);
		return;
	}
	struct procedure_rec p;
	if (!load_procedure(r, code, &p))
		return;
	struct dossier_input in = {.business = kind && strcmp(kind, "to-chuc") == 0,
				   .agency_code = r->user->agency_code,
				   .return_method = "desk"};
	dossier_form_render(r, 200, &p, &in, NULL, NULL, false, true);
}

void web_officer_desk_submit(http_req *r)
{
	if (!csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct dossier_input in;
	if (!dossier_input_read(r, &in, &errs))
		return;
	const char *kind = NULL;
	if (!http_form_text(r, "loai", 0, 10, &kind, NULL))
		return;
	struct procedure_rec p;
	if (!load_procedure(r, in.procedure_code ? in.procedure_code : "", &p))
		return;
	/* the applicant has no account here; the officer's agency receives */
	in.account_id = NULL;
	in.draft_id = NULL;
	in.business = kind && strcmp(kind, "to-chuc") == 0;
	in.agency_code = r->user->agency_code;
	in.procedure_code = p.code;
	struct bo_env env = officer_env(r);
	struct bo_actor who = officer_actor(r);
	struct dossier_problem *problems = NULL;
	struct dossier_receipt rec;
	mc_status rc = errs ? MC_INVALID : bo_desk_entry(&env, r->a, &who, &in, &problems, &rec);
	if (rc == MC_OK) {
		http_redirect(r, 303,
			      arena_printf(r->a, "/can-bo/ho-so/%s?xong=receive", rec.code));
		return;
	}
	if (rc == MC_INVALID) {
		dossier_input_problems(r, problems, &errs);
		dossier_form_render(r, 422, &p, &in, NULL, errs, false, true);
		return;
	}
	http_reply_status(r, rc);
}

void web_dossier_supplement(http_req *r)
{
	if (!csrf_check(r))
		return;
	const char *code = http_param(r, "code");
	struct field_error *errs = NULL;
	struct dossier_input in;
	if (!dossier_input_read(r, &in, &errs))
		return;
	int64_t version = 0;
	if (!http_form_int(r, "version", 0, INT64_MAX, &version, NULL))
		return;
	if (errs) {
		http_reply_error(r, 422, errs->message);
		return;
	}
	if (in.nuploads == 0) {
		http_reply_error(r, 422, http_msg(r, "officer.supplement.need_file"));
		return;
	}
	struct bo_env env = officer_env(r);
	struct bo_actor who = {r->user->account_id, r->user->roles, NULL};
	struct bo_action act = {.action = WF_SUPPLEMENT_SUBMIT,
				.version = version,
				.note = in.notes,
				.uploads = in.uploads,
				.nuploads = in.nuploads};
	struct bo_result res;
	memset(&res, 0, sizeof(res));
	mc_status rc = bo_act(&env, r->a, &who, code, &act, &res);
	if (rc == MC_OK) {
		http_redirect(r, 303, arena_printf(r->a, "/ho-so/%s?bo-sung=1", code));
		return;
	}
	if (rc == MC_CONFLICT) {
		http_reply_error(r, 409, http_msg(r, "officer.error.conflict_plain"));
		return;
	}
	if ((rc == MC_INVALID || rc == MC_FORBIDDEN) && res.why) {
		const char *t = i18n_lookup(r->lang, res.why);
		http_reply_error(r, rc == MC_INVALID ? 422 : 403,
				 t ? t : http_msg(r, "officer.error.action"));
		return;
	}
	http_reply_status(r, rc);
}

json_t *officer_supplement_ctx(http_req *r, const struct dossier *d)
{
	if (d->status != DOSSIER_SUPPLEMENT || !d->account_id ||
	    strcmp(d->account_id, r->user->account_id) != 0)
		return NULL;
	struct bo_env env = officer_env(r);
	struct bo_actor who = {r->user->account_id, r->user->roles, NULL};
	struct bo_dossier b;
	if (bo_get(&env, r->a, &who, d->code, &b) != MC_OK)
		return NULL;
	/* the officer's list: the note of the latest supplement request */
	const char *asked = "";
	for (int i = 0; i < d->nevents; i++)
		if (d->events[i].action && strcmp(d->events[i].action, "request_supplement") == 0)
			asked = d->events[i].note ? d->events[i].note : "";
	/* one upload per document of the procedure: a file replaces the one
	 * of its slot, the others stay */
	struct app *app = http_app(r);
	struct procedure_rec p;
	json_t *slots = json_array();
	if (catalogue_get(app->db, r->a, d->procedure_code, &p) == MC_OK)
		for (size_t i = 0; i < p.ndocuments; i++)
			json_array_append_new(slots, json_pack("{s:s,s:s}", "field",
							       arena_printf(r->a, "doc_%zu", i),
							       "label", p.documents[i].name));
	return json_pack("{s:I,s:s,s:o}", "version", (json_int_t)b.version, "asked", asked, "slots",
			 slots);
}
