/*
 * audit.c - GET /api/v1/audit/{hash}: the public fields of one audit entry
 * (docs/audit.md), so anyone holding the hash a lookup page showed can
 * later check what the portal recorded: {n, at, action, subject, prev_hash,
 * hash}. Only entries about dossiers, the schedule and the catalogue
 * answer; the actor and the data stay private.
 */
#include "api/api.h"
#include "app.h"
#include "domain/audit.h"

void api_audit_entry(http_req *r)
{
	struct app *app = http_app(r);
	db_conn *c = db_reader(app->db);
	struct audit_entry e;
	mc_status rc = c ? audit_get(c, r->a, http_param(r, "hash"), &e) : MC_BUSY;
	if (rc == MC_INVALID) {
		http_reply_error(r, 400, http_msg(r, "audit.err.hash"));
		return;
	}
	if (rc == MC_NOT_FOUND || (rc == MC_OK && !audit_public_subject(e.subject))) {
		http_reply_error(r, 404, http_msg(r, "audit.err.not_found"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc =
		json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "n", (json_int_t)e.n, "at", e.at, "action",
			  e.action, "subject", e.subject, "prev_hash", e.prev_hash, "hash", e.hash);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
