/*
 * feedback.c - the góp ý pages: the form, its submission (every problem
 * shown beside its field, what was typed kept), and the confirmation with
 * the message's reference. Post/redirect/get, so a reload never sends twice.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/feedback.h"
#include "http/csrf.h"
#include "web/web.h"

static void render_form(http_req *r, int status, const struct feedback *f,
			const struct field_error *errs)
{
	json_t *errors = json_object();
	json_t *list = json_array();
	for (const struct field_error *e = errs; e; e = e->next) {
		if (!json_object_get(errors, e->field))
			json_object_set_new(errors, e->field, json_string(e->message));
		json_array_append_new(
			list, json_pack("{s:s,s:s}", "field", e->field, "message", e->message));
	}
	json_t *ctx = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:b,s:i,s:i,s:i}", "csrf",
				csrf_token(r), "name", f ? f->name : NULL, "contact",
				f ? f->contact : NULL, "subject", f ? f->subject : NULL, "body",
				f ? f->body : NULL, "errors", errors, "error_list", list,
				"has_errors", errs != NULL, "subject_max", FEEDBACK_SUBJECT_MAX,
				"body_max", FEEDBACK_BODY_MAX, "name_max", FEEDBACK_NAME_MAX);
	char max[16];
	snprintf(max, sizeof(max), "%d", FEEDBACK_BODY_MAX);
	const char *args[1] = {max};
	json_object_set_new(ctx, "body_max_text",
			    json_string(i18n_format(r->a, r->lang, "feedback.max_chars", 1, args)));
	page_render(r, status, "feedback", ctx);
}

void web_feedback_form(http_req *r)
{
	render_form(r, 200, NULL, NULL);
}

/* Keeps what the user typed, even when it failed validation, so the form
 * comes back filled in. */
static const char *raw_field(http_req *r, const char *name)
{
	const char *v = NULL;
	struct field_error *ignore = NULL;
	if (http_form_text(r, name, 0, FEEDBACK_BODY_MAX * 2, &v, &ignore))
		return v;
	return NULL;
}

void web_feedback_submit(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct field_error *errs = NULL;
	struct feedback f = {.lang = lang_code(r->lang)};
	bool ok = http_form_text(r, "name", FEEDBACK_NAME_MIN, FEEDBACK_NAME_MAX, &f.name, &errs);
	ok &= http_form_text(r, "contact", 1, FEEDBACK_CONTACT_MAX, &f.contact, &errs);
	if (f.contact && !feedback_contact_valid(f.contact)) {
		http_field_error(r, &errs, "contact", http_msg(r, "feedback.contact_invalid"));
		ok = false;
	}
	ok &= http_form_text(r, "subject", FEEDBACK_SUBJECT_MIN, FEEDBACK_SUBJECT_MAX, &f.subject,
			     &errs);
	ok &= http_form_text(r, "body", FEEDBACK_BODY_MIN, FEEDBACK_BODY_MAX, &f.body, &errs);
	if (r->status)
		return; /* the body was not a form at all: already answered */
	if (!ok) {
		struct feedback typed = {.name = raw_field(r, "name"),
					 .contact = raw_field(r, "contact"),
					 .subject = raw_field(r, "subject"),
					 .body = raw_field(r, "body")};
		render_form(r, 422, &typed, errs);
		return;
	}
	mc_status rc = feedback_submit(app->db, r->a, &f);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_redirect(r, 303, arena_printf(r->a, "/gop-y/%s", f.ref));
}

void web_feedback_done(http_req *r)
{
	struct app *app = http_app(r);
	const char *ref = http_param(r, "ref");
	struct feedback f;
	if (strlen(ref) > 32) {
		http_reply_error(r, 404, http_msg(r, "error.not_found"));
		return;
	}
	mc_status rc = feedback_get(app->db, r->a, ref, &f);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	/* Only what the sender needs to quote: no name, no contact. */
	json_t *ctx = json_pack("{s:s,s:s,s:s}", "ref", f.ref, "subject", f.subject, "created_at",
				format_datetime_vn(r->a, f.created_at));
	page_render(r, 200, "feedback_done", ctx);
}
