/* officer_update.c - an officer's roles and agency changed, in one write
 * (officer_update.h). */
#include "domain/officer_update.h"

#include <jansson.h>
#include <string.h>

#include "core/log.h"
#include "domain/audit.h"
#include "domain/workflow.h"
#include "http/router.h"

#define OFFICER_ROLES                                                                              \
	(ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER | ROLE_AGENCY_ADMIN | ROLE_SYSADMIN)
/* Status codes of open dossiers (dossier.h: 1, 2, 4, 5, 6, 7). */
#define OPEN_STATUSES "(1, 2, 4, 5, 6, 7)"

struct update_ctx {
	arena *a;
	const struct officer_change *in;
	struct officer_change_result *out;
	struct account_problem **probs;
	unsigned old_roles;
	const char *old_agency;
	const char *login; /* the officer's, as stored */
};

static json_t *roles_json(unsigned bits)
{
	json_t *j = json_array();
	for (unsigned bit = ROLE_DESK; bit <= ROLE_SYSADMIN; bit <<= 1)
		if (bits & bit)
			json_array_append_new(j, json_string(account_role_name(bit)));
	return j;
}

static bool same(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* Reads the officer and checks the change; fills out's new state. */
static mc_status check(db_conn *c, struct update_ctx *w)
{
	const struct officer_change *in = w->in;
	db_result *r;
	mc_status rc = db_query(c, w->a,
				"SELECT id, roles, agency_code, login FROM account"
				" WHERE kind = 'officer' AND (login = $1 OR id = $2)",
				DB_ARGS(DB_TEXT(in->login ? in->login : ""),
					DB_TEXT(in->login ? "" : (in->id ? in->id : ""))),
				&r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	w->out->id = db_text(r, 0, 0);
	w->login = db_text(r, 0, 3);
	w->old_roles = (unsigned)db_int(r, 0, 1);
	w->old_agency = db_text(r, 0, 2);
	/* An agency admin sees the officers of their agency, never a system
	 * admin (web/admin_accounts.c). */
	if (in->scope && (!same(in->scope, w->old_agency) || (w->old_roles & ROLE_SYSADMIN)))
		return MC_NOT_FOUND;
	unsigned roles = in->roles ? in->roles : w->old_roles;
	const char *agency = in->agency_code && *in->agency_code ? in->agency_code : w->old_agency;
	if (!roles || (roles & ~OFFICER_ROLES) || (in->scope && (roles & ROLE_SYSADMIN)))
		account_problem_add(w->a, w->probs, "role", "account.err.role", NULL);
	else if ((roles & ~ROLE_SYSADMIN) && !agency)
		account_problem_add(w->a, w->probs, "agency", "account.err.agency_needed", NULL);
	if (agency && !same(agency, w->old_agency)) {
		rc = db_query(c, w->a, "SELECT 1 FROM agency WHERE code = $1",
			      DB_ARGS(DB_TEXT(agency)), &r);
		if (rc != MC_OK)
			return rc;
		if (db_nrows(r) == 0 || (in->scope && !same(in->scope, agency)))
			account_problem_add(w->a, w->probs, "agency", "account.err.agency_unknown",
					    NULL);
	}
	if (*w->probs)
		return MC_INVALID;
	w->out->roles = roles;
	w->out->agency_code = agency;
	w->out->changed = roles != w->old_roles || !same(agency, w->old_agency);
	return MC_OK;
}

/* The officer's open dossiers at the old agency lose their assignee; those
 * with the specialist go back to the unit's queue with a new holder row. */
static mc_status return_dossiers(db_conn *c, struct update_ctx *w, const char *now)
{
	const char *id = w->out->id, *agency = w->old_agency;
	const char *received = wf_stage_name(WF_RECEIVED);
	mc_status rc = db_exec(
		c,
		"INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task,"
		" from_at, due_at) SELECT h.dossier_id,"
		" (SELECT MAX(x.n) FROM dossier_holder x WHERE x.dossier_id = h.dossier_id) + 1,"
		" h.agency_code, NULL, $3, $4, h.due_at FROM dossier_holder h"
		" JOIN dossier d ON d.id = h.dossier_id WHERE h.until_at IS NULL"
		" AND h.account_id = $1 AND d.assignee_id = $1 AND d.agency_code = $2"
		" AND d.stage = 'assigned' AND d.status IN " OPEN_STATUSES,
		DB_ARGS(DB_TEXT(id), DB_TEXT(agency), DB_TEXT(received), DB_TEXT(now)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier_holder SET until_at = $3 WHERE until_at IS NULL"
			     " AND account_id = $1 AND dossier_id IN (SELECT id FROM dossier"
			     " WHERE assignee_id = $1 AND agency_code = $2 AND stage = 'assigned'"
			     " AND status IN " OPEN_STATUSES ")",
			     DB_ARGS(DB_TEXT(id), DB_TEXT(agency), DB_TEXT(now)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier SET assignee_id = NULL, version = version + 1,"
			     " stage = CASE WHEN stage = 'assigned' THEN $3 ELSE stage END,"
			     " status = CASE WHEN stage = 'assigned' THEN $4 ELSE status END,"
			     " updated_at = $5 WHERE assignee_id = $1 AND agency_code = $2"
			     " AND status IN " OPEN_STATUSES,
			     DB_ARGS(DB_TEXT(id), DB_TEXT(agency), DB_TEXT(received),
				     DB_INT(wf_status_code(WF_RECEIVED)), DB_TEXT(now)),
			     &w->out->returned);
	return rc;
}

static mc_status update_fn(db_conn *c, void *p)
{
	struct update_ctx *w = p;
	mc_status rc = check(c, w);
	if (rc != MC_OK || !w->out->changed)
		return rc;
	const struct officer_change_result *o = w->out;
	char now[20];
	account_now_text(now);
	rc = db_exec(c, "UPDATE account SET roles = $1, agency_code = $2 WHERE id = $3",
		     DB_ARGS(DB_INT(o->roles), DB_TEXT(o->agency_code), DB_TEXT(o->id)), NULL);
	bool leaves = w->old_agency &&
		      (!same(o->agency_code, w->old_agency) ||
		       ((w->old_roles & ROLE_SPECIALIST) && !(o->roles & ROLE_SPECIALIST)));
	if (rc == MC_OK && leaves)
		rc = return_dossiers(c, w, now);
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM session WHERE account_id = $1",
			     DB_ARGS(DB_TEXT(o->id)), &w->out->sessions_ended);
	if (rc == MC_OK) {
		json_t *data =
			json_pack("{s:s,s:o,s:s?,s:{s:o,s:s?},s:I,s:I,s:s?}", "login", w->login,
				  "roles", roles_json(o->roles), "agency", o->agency_code, "before",
				  "roles", roles_json(w->old_roles), "agency", w->old_agency,
				  "returned_dossiers", (json_int_t)o->returned, "sessions_ended",
				  (json_int_t)o->sessions_ended, "agency_scope", w->in->scope);
		rc = audit_append(c, w->in->actor ? w->in->actor : "system", "perm.officer_update",
				  arena_printf(w->a, "account:%s", o->id), data, NULL);
		json_decref(data);
	}
	if (rc != MC_OK && rc != MC_INVALID)
		log_error("officer update %s: %s", o->id ? o->id : "?", db_errmsg(c));
	return rc;
}

mc_status officer_update(db *d, arena *a, const struct officer_change *in,
			 struct officer_change_result *out, struct account_problem **probs)
{
	memset(out, 0, sizeof(*out));
	struct update_ctx w = {.a = a, .in = in, .out = out, .probs = probs};
	return db_write(d, update_fn, &w);
}
