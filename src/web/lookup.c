/*
 * lookup.c - the public dossier lookup page (tra cứu hồ sơ, GET /tra-cuu),
 * and the receipt download (GET /ho-so/{code}/bien-nhan.pdf). Lookups share
 * one budget per client address with the JSON status API (domain/lookup.h)
 * so codes cannot be enumerated; the public view shows a masked name and no
 * officer names.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "core/log.h"
#include "domain/lookup.h"
#include "domain/receipt.h"
#include "web/web.h"

/* Receipts are about 60 KiB; the cap only guards against a runaway. */
#define RECEIPT_BUF_MAX (16u << 20)

static const char *when(http_req *r, const char *iso)
{
	return iso ? format_datetime_vn(r->a, iso) : http_msg(r, "lookup.not_set");
}

static struct lookup_viewer viewer_of(http_req *r)
{
	struct lookup_viewer v = {0};
	if (r->user) {
		v.account_id = r->user->account_id;
		v.agency_code = r->user->agency_code;
	}
	return v;
}

static void render_page(http_req *r, int status, const char *typed, const char *error,
			const struct lookup_result *res)
{
	json_t *ctx = json_pack("{s:s,s:b,s:o}", "ma", typed ? typed : "", "has_errors",
				error != NULL, "errors", json_object());
	if (error)
		json_object_set_new(json_object_get(ctx, "errors"), "ma", json_string(error));
	if (res) {
		json_t *timeline = json_array();
		for (int i = 0; i < res->nevents; i++)
			json_array_append_new(
				timeline,
				json_pack("{s:s?,s:s?}", "at", when(r, res->events[i].at), "action",
					  lookup_action_name(r->lang, &res->events[i])));
		json_t *result =
			json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "code", res->code,
				  "procedure_code", res->procedure_code, "procedure_name",
				  res->procedure_name, "agency_name", res->agency_name, "applicant",
				  res->applicant_masked, "status_name",
				  lookup_status_name(r->lang, res->status), "received_at",
				  when(r, res->received_at), "due_at", when(r, res->due_at));
		if (res->viewer_entitled)
			json_object_set_new(result, "receipt_url",
					    json_string(arena_printf(
						    r->a, "/ho-so/%s/bien-nhan.pdf", res->code)));
		json_object_set_new(ctx, "result", result);
		json_object_set_new(ctx, "timeline", timeline);
		json_object_set_new(ctx, "has_timeline", json_boolean(res->nevents > 0));
	}
	page_render(r, status, "lookup", ctx);
}

void web_lookup(http_req *r)
{
	struct app *app = http_app(r);
	const char *typed;
	if (!http_query_text(r, "ma", 64, false, &typed))
		return;
	if (!typed || !*typed) {
		render_page(r, 200, NULL, NULL, NULL);
		return;
	}
	/* The lookup budget of the client's address (domain/lookup.h). */
	unsigned retry;
	if (!lookup_allowed(http_client_addr(r), &retry)) {
		http_reply_retry_after(r, retry, "lookup.throttled");
		return;
	}
	const char *code = lookup_code_upper(r->a, typed);
	struct lookup_viewer v = viewer_of(r);
	struct lookup_result res;
	mc_status rc = lookup_dossier(app->db, r->a, code, &v, &res);
	switch (rc) {
	case MC_OK: render_page(r, 200, code, NULL, &res); return;
	case MC_INVALID: render_page(r, 400, typed, http_msg(r, "lookup.malformed"), NULL); return;
	case MC_NOT_FOUND:
		render_page(r, 404, typed, http_msg(r, "lookup.not_found"), NULL);
		return;
	default: http_reply_status(r, rc); return;
	}
}

void web_receipt_pdf(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = http_param(r, "code");
	struct lookup_viewer v = viewer_of(r);
	struct receipt rc;
	mc_status st = lookup_receipt(app->db, r->a, code, &v, app->cfg.public_url, &rc);
	if (st == MC_NOT_FOUND) {
		http_reply_error(r, 404, http_msg(r, "error.not_found"));
		return;
	}
	if (st == MC_CONFLICT) {
		http_reply_error(r, 409, http_msg(r, "lookup.receipt_not_ready"));
		return;
	}
	if (st != MC_OK) {
		http_reply_status(r, st);
		return;
	}
	buf pdf = BUF_INIT(RECEIPT_BUF_MAX);
	char err[256];
	st = receipt_pdf(&rc, &pdf, err, sizeof(err));
	if (st != MC_OK) {
		log_error("receipt %s: %s", code, err);
		buf_release(&pdf);
		http_reply_status(r, st);
		return;
	}
	http_add_header(r, "Content-Disposition",
			arena_printf(r->a, "attachment; filename=\"bien-nhan-%s.pdf\"", rc.code));
	http_add_header(r, "Cache-Control", "private, no-store");
	http_reply(r, 200, "application/pdf", pdf.data, pdf.len);
	buf_release(&pdf);
}
