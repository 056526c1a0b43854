/*
 * payverify.c - the public verification of a payment receipt (xác thực
 * biên lai), GET /bien-lai/xac-thuc?ma={dossier code}&so={receipt no}&t={tag}
 * (the address in the receipt PDF's QR code, payverify.h): a genuine receipt
 * shows its number, the dossier code, the amount, when it was paid, the
 * method and the issuing agency, and nothing personal; a missing, forged or
 * unknown one the same "not valid" page with status 404. The lookup budget
 * of the client's address applies (lookup.h).
 */
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/lookup.h"
#include "domain/payverify.h"
#include "web/web.h"

bool web_payverify_load(http_req *r, const char *code, const char *no, const char *tag,
			struct payverify_result *out)
{
	unsigned retry;
	if (!lookup_allowed(http_client_addr(r), &retry)) {
		http_reply_retry_after(r, retry, "lookup.throttled");
		return false;
	}
	struct app *app = http_app(r);
	mc_status st = payverify_check(app->db, r->a, code, no, tag, out);
	if (st != MC_OK && st != MC_NOT_FOUND) {
		http_reply_status(r, st);
		return false;
	}
	if (st == MC_NOT_FOUND)
		out->receipt_no = NULL;
	return true;
}

void web_payverify(http_req *r)
{
	struct payverify_result v;
	if (!web_payverify_load(r, http_query(r, "ma"), http_query(r, "so"), http_query(r, "t"),
				&v))
		return;
	json_t *ctx = json_object();
	if (v.receipt_no)
		json_object_set_new(
			ctx, "receipt",
			json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "receipt_no", v.receipt_no, "code",
				  v.code, "agency", v.agency_name, "amount",
				  format_money_vnd(r->a, v.amount), "paid_at",
				  format_datetime_vn(r->a, v.paid_at), "source",
				  http_msg(r, arena_printf(r->a, "payment.source.%s", v.source))));
	http_add_header(r, "Cache-Control", "no-store");
	http_add_header(r, "Referrer-Policy", "no-referrer");
	page_render(r, v.receipt_no ? 200 : 404, "payverify", ctx);
}
