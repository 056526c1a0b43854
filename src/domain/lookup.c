/*
 * lookup.c - the public view of a dossier by its code, and the receipt
 * data for its applicant and the officers of its agency. Reads only, on the
 * caller's read connection; SQL is portable (SQLite and PostgreSQL).
 *
 * Never put personal data other than the masked name, or any officer's
 * name, into the public view.
 */
#include "domain/lookup.h"

#include "domain/identity.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/ratelimit.h"
#include "domain/audit.h"
#include "domain/catalogue.h"

/*
 * The lookup budget lives in this process's memory, not in the shared
 * throttle table: counting a read-only lookup must not cost a durable write
 * (group commit is for real changes), and the budget only has to make
 * enumeration hopeless, not exact. With N nodes behind the balancer an
 * address gets at most N x LOOKUP_LIMIT lookups per window, still a tiny
 * fraction of the 10,000 codes of one agency's day; nginx's limit_req in
 * front (deploy/nginx.conf) is the first, cluster-wide line.
 */
static ratelimit *lookup_limiter;
static pthread_once_t lookup_limiter_once = PTHREAD_ONCE_INIT;

static void lookup_limiter_init(void)
{
	lookup_limiter = ratelimit_new(LOOKUP_LIMIT, LOOKUP_WINDOW, 100000);
}

bool lookup_allowed(const char *client_addr, unsigned *retry_after)
{
	pthread_once(&lookup_limiter_once, lookup_limiter_init);
	return ratelimit_hit(lookup_limiter, client_addr, time(NULL), retry_after);
}

static bool upper_or_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

bool lookup_code_valid(const char *code)
{
	/* "000.00.16.H43-261128-0001", position by position: x is an upper-case
	 * letter or a digit, L an upper-case letter, 9 a digit, the rest as is. */
	static const char shape[] = "xxx.xx.xx.Lxx-999999-9999";
	if (!code || strlen(code) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		char c = code[i], s = shape[i];
		bool ok = s == 'x'   ? upper_or_digit(c)
			  : s == 'L' ? (c >= 'A' && c <= 'Z')
			  : s == '9' ? (c >= '0' && c <= '9')
				     : c == s;
		if (!ok)
			return false;
	}
	return true;
}

char *lookup_code_upper(arena *a, const char *code)
{
	char *c = arena_strdup(a, code ? code : "");
	for (char *p = c; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return c;
}

const char *lookup_status_name(enum lang l, int status)
{
	static const char *const numbers[] = {"0", "1", "2", "3", "4", "5",
					      "6", "7", "8", "9", "10"};
	if (status < 0 || status > DOSSIER_STATUS_MAX)
		return "?";
	char key[32];
	snprintf(key, sizeof(key), "lookup.status.%d", status);
	const char *s = i18n_lookup(l, key);
	return s ? s : numbers[status];
}

const char *lookup_action_name(enum lang l, const struct lookup_event *e)
{
	char key[96];
	const char *s = NULL;
	if (e->action && strlen(e->action) < 64) {
		snprintf(key, sizeof(key), "lookup.action.%s", e->action);
		s = i18n_lookup(l, key);
	}
	return s ? s : lookup_status_name(l, e->status);
}

/* The applicant's name from the dossier's JSON snapshot ("" when absent). */
static const char *applicant_field(arena *a, const char *json, const char *key)
{
	json_t *j = json_loads(json ? json : "{}", 0, NULL);
	const char *v = json_string_value(json_object_get(j, key));
	const char *out = arena_strdup(a, v ? v : "");
	json_decref(j);
	return out;
}

#define DOSSIER_COLUMNS                                                                            \
	"d.id, d.code, d.status, d.procedure_code, p.name, d.agency_code, g.name, "                \
	"d.submitted_at, d.due_at, d.applicant, d.account_id, d.return_method, "                   \
	"d.return_address, d.created_at, "                                                         \
	"(SELECT h.hash FROM audit_log h WHERE h.subject = 'dossier:' || d.code"                   \
	" ORDER BY h.n DESC LIMIT 1)"
#define DOSSIER_BY_CODE                                                                            \
	" FROM dossier d JOIN procedure p ON p.code = d.procedure_code"                            \
	" JOIN agency g ON g.code = d.agency_code WHERE d.code = $1 AND d.status > 0"

enum {
	C_ID,
	C_CODE,
	C_STATUS,
	C_PCODE,
	C_PNAME,
	C_ACODE,
	C_ANAME,
	C_SUBMITTED,
	C_DUE,
	C_APPLICANT,
	C_ACCOUNT,
	C_RETURN,
	C_RETURN_ADDR,
	C_CREATED,
	C_AUDIT, /* the latest audit hash (index audit_log_subject), in the same query */
	/* lookup_dossier only: one row per event, NULL when there is none */
	C_EV_AT,
	C_EV_ACTION,
	C_EV_STATUS
};

/*
 * The public view in one statement, so one read transaction: the dossier
 * row with its procedure and agency names and audit hash, computed once (a
 * materialized CTE; SQLite 3.35+ and PostgreSQL 12+), repeated on each of
 * its events in order (one index leaf since migration 0018: the covering
 * index dossier_event_timeline on SQLite, the primary key with INCLUDE on
 * PostgreSQL). docs/performance.md "Session 6".
 */
static const char lookup_sql[] =
	"WITH x (id, code, status, pcode, pname, acode, aname, submitted_at, due_at, applicant,"
	" account_id, return_method, return_address, created_at, audit_hash) AS MATERIALIZED"
	" (SELECT " DOSSIER_COLUMNS DOSSIER_BY_CODE ")"
	" SELECT x.*, e.at, e.action, e.status_to FROM x"
	" LEFT JOIN dossier_event e ON e.dossier_id = x.id ORDER BY e.n";

/* The dossier row (query sql, whose first columns are DOSSIER_COLUMNS);
 * MC_NOT_FOUND for drafts and unknown codes alike. */
static mc_status load(db_conn *c, arena *a, const char *sql, const char *code, db_result **r)
{
	mc_status rc = db_query(c, a, sql, DB_ARGS(DB_TEXT(code)), r);
	if (rc != MC_OK) {
		log_error("lookup %s: %s", code, db_errmsg(c));
		return rc;
	}
	return db_nrows(*r) == 0 ? MC_NOT_FOUND : MC_OK;
}

/* The applicant, or an officer of the handling agency. */
static bool entitled(const struct lookup_viewer *v, const db_result *r)
{
	if (!v || !v->account_id)
		return false;
	const char *owner = db_text(r, 0, C_ACCOUNT);
	return (owner && strcmp(owner, v->account_id) == 0) ||
	       (v->agency_code && strcmp(v->agency_code, db_text(r, 0, C_ACODE)) == 0);
}

mc_status lookup_dossier(db *d, arena *a, const char *code, const struct lookup_viewer *viewer,
			 struct lookup_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!lookup_code_valid(code))
		return MC_INVALID;
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = load(c, a, lookup_sql, code, &r);
	if (rc != MC_OK)
		return rc;
	out->code = db_text(r, 0, C_CODE);
	out->status = (int)db_int(r, 0, C_STATUS);
	out->procedure_code = db_text(r, 0, C_PCODE);
	out->procedure_name = db_text(r, 0, C_PNAME);
	out->agency_code = db_text(r, 0, C_ACODE);
	out->agency_name = db_text(r, 0, C_ANAME);
	out->received_at = db_text(r, 0, C_SUBMITTED);
	out->due_at = db_text(r, 0, C_DUE);
	out->viewer_entitled = entitled(viewer, r);
	out->applicant_masked =
		id_mask_name(a, applicant_field(a, db_text(r, 0, C_APPLICANT), "name"));

	/* The timeline: when and what, never who. */
	int rows = db_nrows(r);
	out->nevents = db_isnull(r, 0, C_EV_AT) ? 0 : rows;
	out->events = arena_calloc(a, (size_t)out->nevents + 1, sizeof(*out->events));
	for (int i = 0; i < out->nevents; i++) {
		out->events[i].at = db_text(r, i, C_EV_AT);
		out->events[i].action = db_text(r, i, C_EV_ACTION);
		out->events[i].status = (int)db_int(r, i, C_EV_STATUS);
	}
	out->audit_hash = db_isnull(r, 0, C_AUDIT) ? "" : db_text(r, 0, C_AUDIT);
	return MC_OK;
}

/* The documents received: the procedure's required documents that the
 * dossier has a file for (every one of them for a dossier without files,
 * received on paper), then extra files by their names. */
static mc_status receipt_documents(db *d, db_conn *c, arena *a, const char *dossier_id,
				   const char *procedure_code, struct receipt *out)
{
	struct procedure_rec rec;
	mc_status rc = catalogue_get(d, a, procedure_code, &rec);
	if (rc == MC_NOT_FOUND) {
		procedure_init(&rec);
	} else if (rc != MC_OK) {
		return rc;
	}
	db_result *f;
	rc = db_query(
		c, a,
		"SELECT slot, name FROM dossier_file WHERE dossier_id = $1 ORDER BY slot, name",
		DB_ARGS(DB_TEXT(dossier_id)), &f);
	if (rc != MC_OK) {
		log_error("receipt files: %s", db_errmsg(c));
		return rc;
	}
	int nfiles = db_nrows(f);
	struct receipt_doc *docs =
		arena_calloc(a, rec.ndocuments + (size_t)nfiles + 1, sizeof(*docs));
	int n = 0;
	for (size_t i = 0; i < rec.ndocuments && n < RECEIPT_MAX_DOCS; i++) {
		bool has = nfiles == 0;
		for (int k = 0; k < nfiles && !has; k++)
			has = db_int(f, k, 0) == (int64_t)i;
		if (!has)
			continue;
		docs[n++] = (struct receipt_doc){rec.documents[i].name, rec.documents[i].originals,
						 rec.documents[i].copies};
	}
	for (int k = 0; k < nfiles && n < RECEIPT_MAX_DOCS; k++)
		if (db_int(f, k, 0) < 0 || (size_t)db_int(f, k, 0) >= rec.ndocuments)
			docs[n++] = (struct receipt_doc){db_text(f, k, 1), 0, 1};
	out->docs = docs;
	out->ndocs = n;
	return MC_OK;
}

mc_status lookup_receipt(db *d, arena *a, const char *code, const struct lookup_viewer *viewer,
			 const char *public_url, struct receipt *out)
{
	memset(out, 0, sizeof(*out));
	if (!lookup_code_valid(code) || !viewer || !viewer->account_id)
		return MC_NOT_FOUND;
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = load(c, a, "SELECT " DOSSIER_COLUMNS DOSSIER_BY_CODE, code, &r);
	if (rc != MC_OK)
		return rc;
	if (!entitled(viewer, r))
		return MC_NOT_FOUND;
	if (db_isnull(r, 0, C_DUE))
		return MC_CONFLICT;

	const char *applicant = db_text(r, 0, C_APPLICANT);
	out->agency_name = db_text(r, 0, C_ANAME);
	out->code = db_text(r, 0, C_CODE);
	out->applicant_name = applicant_field(a, applicant, "name");
	out->address = applicant_field(a, applicant, "address");
	out->phone = applicant_field(a, applicant, "phone");
	out->email = applicant_field(a, applicant, "email");
	out->procedure_name = db_text(r, 0, C_PNAME);
	out->received_at = db_isnull(r, 0, C_SUBMITTED) ? db_text(r, 0, C_CREATED)
							: db_text(r, 0, C_SUBMITTED);
	out->due_at = db_text(r, 0, C_DUE);
	out->return_method = db_text(r, 0, C_RETURN);
	out->return_address = db_text(r, 0, C_RETURN_ADDR);
	out->lookup_url = arena_printf(a, "%s/tra-cuu?ma=%s", public_url, out->code);
	if (!*out->applicant_name)
		out->applicant_name = "-";

	/* The officer who received it at the desk, when one did; an online
	 * dossier's receipt is issued by the portal. */
	db_result *o;
	rc = db_query(
		c, a,
		"SELECT a.full_name FROM dossier_event e JOIN account a ON a.id = e.account_id"
		" WHERE e.dossier_id = $1 AND e.status_to = 2 AND a.kind = 'officer'"
		" ORDER BY e.n LIMIT 1",
		DB_ARGS(DB_TEXT(db_text(r, 0, C_ID))), &o);
	if (rc != MC_OK) {
		log_error("receipt officer: %s", db_errmsg(c));
		return rc;
	}
	out->officer_name = db_nrows(o) ? db_text(o, 0, 0) : NULL;
	return receipt_documents(d, c, a, db_text(r, 0, C_ID), db_text(r, 0, C_PCODE), out);
}
