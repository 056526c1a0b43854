/* dossier_notice.c - the receipt notice of an online submission
 * (dossier_notice.h), through notify_transition. */
#include "domain/dossier_notice.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>

#include "domain/dossier.h"
#include "domain/notify.h"

static pthread_mutex_t origin_mu = PTHREAD_MUTEX_INITIALIZER;
static char origin[512];

void dossier_notice_set_origin(const char *public_url)
{
	pthread_mutex_lock(&origin_mu);
	snprintf(origin, sizeof(origin), "%s", public_url ? public_url : "");
	pthread_mutex_unlock(&origin_mu);
}

/* A member of the applicant snapshot, in the arena ("" when absent). */
static const char *member(arena *a, json_t *j, const char *name)
{
	const char *v = json_string_value(json_object_get(j, name));
	return arena_strdup(a, v ? v : "");
}

mc_status dossier_notice_submitted(db_conn *c, arena *a, const char *id)
{
	db_result *res;
	mc_status rc =
		db_query(c, a,
			 "SELECT d.code, d.due_at, d.applicant, p.name, g.name FROM dossier d"
			 " JOIN procedure p ON p.code = d.procedure_code"
			 " JOIN agency g ON g.code = d.agency_code WHERE d.id = $1",
			 DB_ARGS(DB_TEXT(id)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) != 1)
		return MC_NOT_FOUND;
	const char *code = db_text(res, 0, 0), *due = db_text(res, 0, 1);
	json_t *ap = json_loads(db_text(res, 0, 2) ? db_text(res, 0, 2) : "{}", 0, NULL);
	pthread_mutex_lock(&origin_mu);
	const char *url = arena_printf(a, "%s/tra-cuu?ma=%s", origin, code ? code : "");
	pthread_mutex_unlock(&origin_mu);
	struct notice n = {
		.code = code,
		.procedure_name = db_text(res, 0, 3),
		.agency_name = db_text(res, 0, 4),
		.name = member(a, ap, "name"),
		.email = member(a, ap, "email"),
		.phone = member(a, ap, "phone"),
		.event = "submit",
		.status_to = DOSSIER_NEW,
		.due_at = due ? arena_printf(a, "%.16s", due) : NULL,
		.lookup_url = url,
	};
	json_decref(ap);
	return notify_transition(c, a, &n);
}
