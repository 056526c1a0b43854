/* notify.c - the applicant's notices, queued in the transition's write. */
#include "domain/notify.h"

#include <stdio.h>

#include "core/i18n.h"
#include "domain/mail.h"

static const char *key(arena *a, const char *event, const char *part)
{
	const char *k = arena_printf(a, "notify.%s.%s", event, part);
	return i18n_lookup(LANG_VI, k) ? k : arena_printf(a, "notify.default.%s", part);
}

mc_status notify_transition(db_conn *c, arena *a, const struct notice *n)
{
	if (!n || !n->code || !*n->code || !n->event || !*n->event)
		return MC_INVALID;
	if (!n->email || !*n->email)
		return MC_OK;
	const char *status = i18n_get(LANG_VI, arena_printf(a, "lookup.status.%d", n->status_to));
	const char *args[] = {
		n->code,
		n->procedure_name ? n->procedure_name : "",
		n->agency_name ? n->agency_name : "",
		n->name ? n->name : "",
		status,
		n->due_at ? n->due_at : "",
		n->note ? n->note : "",
		n->lookup_url ? n->lookup_url : "",
	};
	const char *subject = i18n_format(a, LANG_VI, key(a, n->event, "subject"), 8, args);
	const char *body = i18n_format(a, LANG_VI, key(a, n->event, "body"), 8, args);
	if (!subject || !body)
		return MC_INTERNAL;
	return mail_queue(c, n->email, subject, body);
}
