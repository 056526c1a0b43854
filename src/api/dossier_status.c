/*
 * dossier_status.c - GET /api/v1/dossiers/{code}/status: the public state of
 * a dossier for apps and the national portal, the same view as the lookup
 * page (a masked applicant name, no officer names) and the same budget of
 * lookups per client address.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/lookup.h"

void api_dossier_status(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = lookup_code_upper(r->a, http_param(r, "code"));
	/* The lookup budget of the client's address (domain/lookup.h). */
	unsigned retry;
	if (!lookup_allowed(http_client_addr(r), &retry)) {
		http_reply_retry_after(r, retry, "lookup.throttled");
		return;
	}
	struct lookup_result res;
	mc_status rc = lookup_dossier(app->db, r->a, code, NULL, &res);
	if (rc == MC_INVALID) {
		http_reply_error(r, 400, http_msg(r, "lookup.malformed"));
		return;
	}
	if (rc == MC_NOT_FOUND) {
		http_reply_error(r, 404, http_msg(r, "lookup.not_found"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *timeline = json_array();
	for (int i = 0; i < res.nevents; i++)
		json_array_append_new(timeline,
				      json_pack("{s:s,s:s,s:s,s:i}", "at", res.events[i].at,
						"action", res.events[i].action, "action_name",
						lookup_action_name(r->lang, &res.events[i]),
						"status", res.events[i].status));
	json_t *doc = json_pack(
		"{s:s,s:i,s:s,s:{s:s,s:s},s:{s:s,s:s},s:s?,s:s?,s:s,s:o}", "code", res.code,
		"status", res.status, "status_name", lookup_status_name(r->lang, res.status),
		"procedure", "code", res.procedure_code, "name", res.procedure_name, "agency",
		"code", res.agency_code, "name", res.agency_name, "received_at", res.received_at,
		"due_at", res.due_at, "applicant", res.applicant_masked, "timeline", timeline);
	/* The verification code: GET /api/v1/audit/{audit_hash} shows that entry. */
	json_object_set_new(doc, "audit_hash",
			    res.audit_hash && *res.audit_hash ? json_string(res.audit_hash)
							      : json_null());
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
