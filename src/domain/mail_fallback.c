/*
 * mail_fallback.c - the outbox row of a mail, used until the mail module
 * (src/domain/mail.c) is merged; compiles to nothing once mail.h exists.
 */
#include "domain/mail_fallback.h"

#if !__has_include("domain/mail.h")
#include <time.h>

#include "domain/session.h"

mc_status mail_queue_local(db_conn *c, const char *to, const char *subject, const char *body)
{
	char id[SESSION_TOKEN_LEN + 1];
	session_new_token(id);
	id[24] = '\0';
	return db_exec(c,
		       "INSERT INTO mail_outbox (id, to_addr, subject, body, created_at)"
		       " VALUES ($1, $2, $3, $4, $5)",
		       DB_ARGS(DB_TEXT(id), DB_TEXT(to), DB_TEXT(subject), DB_TEXT(body),
			       DB_INT(time(NULL))),
		       NULL);
}
#endif
