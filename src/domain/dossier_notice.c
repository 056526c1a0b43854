/* dossier_notice.c - the receipt notice of an online submission
 * (dossier_notice.h), through notify_transition. */
#include "domain/dossier_notice.h"

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

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

mc_status dossier_notice_submitted(db_conn *c, arena *a, const struct dossier_notice_facts *f)
{
	const char *code = or_empty(f->code);
	pthread_mutex_lock(&origin_mu);
	const char *url = arena_printf(a, "%s/tra-cuu?ma=%s", origin, code);
	pthread_mutex_unlock(&origin_mu);
	struct notice n = {
		.code = code,
		.procedure_name = f->procedure_name,
		.agency_name = f->agency_name,
		.name = or_empty(f->name),
		.email = or_empty(f->email),
		.phone = or_empty(f->phone),
		.event = "submit",
		.status_to = DOSSIER_NEW,
		.due_at = f->due_at ? arena_printf(a, "%.16s", f->due_at) : NULL,
		.lookup_url = url,
	};
	return notify_transition(c, a, &n);
}
