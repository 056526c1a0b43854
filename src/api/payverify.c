/*
 * payverify.c - GET /api/v1/receipts/verify?code=&receipt_no=&tag=: the
 * public verification of a payment receipt as JSON (docs/openapi.yaml), the
 * same answer as the page /bien-lai/xac-thuc (web/payverify.c): 200 with
 * what the public may see of a genuine receipt, 404 for a missing, forged or
 * unknown one, 429 past the lookup budget.
 */
#include "api/api.h"
#include "app.h"
#include "domain/payverify.h"
#include "web/web.h"

void api_payverify(http_req *r)
{
	struct payverify_result v;
	if (!web_payverify_load(r, http_query(r, "code"), http_query(r, "receipt_no"),
				http_query(r, "tag"), &v))
		return;
	if (!v.receipt_no) {
		http_reply_error(r, 404, http_msg(r, "payverify.invalid"));
		return;
	}
	json_t *doc = json_pack("{s:b,s:s,s:s,s:I,s:s,s:s,s:s}", "valid", 1, "receipt_no",
				v.receipt_no, "code", v.code, "amount", (json_int_t)v.amount,
				"paid_at", v.paid_at, "method", v.source, "agency", v.agency_name);
	http_add_header(r, "Cache-Control", "no-store");
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
