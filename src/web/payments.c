/*
 * payments.c - fees and payments on the portal's pages: the block of the
 * dossier page (/ho-so/{code}) that shows a fee owed with the beneficiary
 * and its VietQR code, and the electronic receipt (biên lai điện tử) of a
 * payment, /ho-so/{code}/bien-lai/{no}, an HTML page rendered from the
 * stored payment row for the applicant and the agency's officers, and the
 * same receipt as an A5 PDF at /ho-so/{code}/bien-lai/{no}.pdf (an
 * attachment; payreceipt.h); and
 * the agency's collection account on the agency admin's page.
 */
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "core/log.h"
#include "domain/dossier.h"
#include "domain/payment.h"
#include "domain/payreceipt.h"
#include "web/web.h"

void web_payment_block(http_req *r, const char *code, json_t *ctx)
{
	struct app *app = http_app(r);
	db_conn *c = db_reader(app->db);
	json_t *view = NULL;
	if (!c || pay_view_json(c, r->a, code, true, &view) != MC_OK)
		return; /* the page shows without the block rather than fail */
	const char *status = json_string_value(json_object_get(view, "status"));
	if (strcmp(status, "none") == 0) {
		json_decref(view);
		return;
	}
	json_object_set_new(view, "owed", json_boolean(strcmp(status, "owed") == 0));
	json_object_set_new(view, "has_payments",
			    json_boolean(json_array_size(json_object_get(view, "payments")) > 0));
	json_object_set_new(ctx, "payment", view);
}

void web_payment_bank_block(http_req *r, json_t *ctx)
{
	struct app *app = http_app(r);
	db_conn *c = db_reader(app->db);
	struct pay_account acct;
	if (!r->user || !r->user->agency_code || !c ||
	    pay_account_get(c, r->a, r->user->agency_code, &acct) != MC_OK) {
		json_object_set_new(ctx, "bank_missing",
				    json_boolean(r->user && r->user->agency_code));
		return;
	}
	json_object_set_new(ctx, "bank",
			    json_pack("{s:s,s:s,s:s,s:s}", "bin", acct.bin, "bank",
				      pay_bank_name(acct.bin) ? pay_bank_name(acct.bin) : "",
				      "account", acct.account, "name", acct.name));
}

/* The receipt as a PDF, for a dossier this person may see. */
static void receipt_pdf(http_req *r, db_conn *c, const struct dossier *d, const char *no)
{
	struct app *app = http_app(r);
	struct pay_receipt p;
	mc_status rc = pay_receipt_load(c, r->a, d->code, no, app->cfg.public_url, &p);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	buf pdf = BUF_INIT(PAY_RECEIPT_BUF_MAX);
	char err[256];
	rc = pay_receipt_pdf(&p, &pdf, err, sizeof(err));
	if (rc != MC_OK) {
		log_error("payment receipt %s of %s: %s", no, d->code, err);
		buf_release(&pdf);
		http_reply_status(r, rc);
		return;
	}
	http_add_header(r, "Cache-Control", "private, no-store");
	http_reply_attachment(r, pdf.data, pdf.len, "application/pdf",
			      arena_printf(r->a, "bien-lai-%s.pdf", no));
	buf_release(&pdf);
}

void web_payment_receipt(http_req *r)
{
	struct app *app = http_app(r);
	struct dossier_viewer v = {r->user->account_id, r->user->agency_code};
	struct dossier d;
	mc_status rc = dossier_get(app->db, r->a, &v, http_param(r, "code"), &d);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	db_conn *c = db_reader(app->db);
	const char *no = http_param(r, "no");
	size_t len = strlen(no);
	if (c && len > 4 && strcmp(no + len - 4, ".pdf") == 0) {
		receipt_pdf(r, c, &d, arena_printf(r->a, "%.*s", (int)(len - 4), no));
		return;
	}
	struct pay_payment *list;
	int n = 0;
	rc = c ? pay_list(c, r->a, d.code, &list, &n) : MC_BUSY;
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i].receipt_no, no) != 0)
			continue;
		struct pay_account acct;
		bool has_account = pay_account_get(c, r->a, d.agency_code, &acct) == MC_OK;
		const char *p = list[i].paid_at, *q = list[i].recorded_at;
		json_t *ctx = json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "receipt_no", no,
			"agency", d.agency_name, "code", d.code, "procedure", d.procedure_name,
			"payer", d.applicant.name, "amount", format_money_vnd(r->a, list[i].amount),
			"source",
			http_msg(r, arena_printf(r->a, "payment.source.%s", list[i].source)),
			"reference", list[i].reference, "paid_at",
			arena_printf(r->a, "%.2s/%.2s/%.4s %.5s", p + 8, p + 5, p, p + 11),
			"recorded_at",
			arena_printf(r->a, "%.2s/%.2s/%.4s %.5s", q + 8, q + 5, q, q + 11),
			"account", has_account ? acct.account : "", "bank",
			has_account && pay_bank_name(acct.bin) ? pay_bank_name(acct.bin) : "");
		json_object_set_new(ctx, "amount_words",
				    json_string(format_money_words(r->a, list[i].amount)));
		json_object_set_new(
			ctx, "pdf_url",
			json_string(arena_printf(r->a, "/ho-so/%s/bien-lai/%s.pdf", d.code, no)));
		page_render(r, 200, "payment_receipt", ctx);
		return;
	}
	http_reply_status(r, MC_NOT_FOUND);
}
