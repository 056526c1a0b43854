/*
 * mail.h - outgoing mail: queued in the database with the change it reports,
 * sent later by the "mail" background job (domain/jobs.h) over SMTP.
 *
 * A mail is a mail_outbox row; a mail sent late keeps the last error that
 * delayed it. mail_queue inserts it inside the caller's
 * db_write closure, so the mail exists exactly when the change commits. The
 * job sends pending rows oldest first, a batch per round, through libcurl;
 * a sent row gets sent_at; a failure adds one to attempts, keeps the error in
 * last_error and waits mail_retry seconds, doubled per attempt, before the
 * next try; after MAIL_MAX_ATTEMPTS the row is left alone (and logged).
 * With smtp_url empty nothing is sent: mail stays queued.
 *
 * Delivery is at least once: a node that dies after the server accepted a
 * message but before sent_at commits sends it again. The job lease makes
 * that the only way a message goes out twice.
 */
#ifndef MOTCUA_MAIL_H
#define MOTCUA_MAIL_H

#include <stddef.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"
#include "db/db.h"

struct app;

#define MAIL_MAX_ATTEMPTS 10
#define MAIL_BATCH	  20
#define MAIL_MAX_SUBJECT  512	    /* bytes */
#define MAIL_MAX_BODY	  (1 << 20) /* bytes */

/*
 * Queues a mail on c, which must be the connection of a db_write closure.
 * to must be a valid address (identity.h rules), subject one line of UTF-8
 * text, body UTF-8 text. Returns MC_INVALID (with a log line) when one is
 * not, or the database status.
 */
mc_status mail_queue(db_conn *c, const char *to, const char *subject, const char *body);

/*
 * The whole message as it goes over the wire: headers (Date, From, To,
 * Subject encoded per RFC 2047 when not ASCII, Message-ID, MIME-Version,
 * Content-Type text/plain; charset=UTF-8, quoted-printable) and the body,
 * with CRLF line ends. id makes the Message-ID unique; when is its date.
 * Returns 0, or -1 when out holds too little room (out->overflow).
 */
int mail_compose(buf *out, const char *id, const char *from, const char *to, const char *subject,
		 const char *body, time_t when);

/*
 * One round of the mail job: sends at most MAIL_BATCH pending mails, stops
 * early when the clock passes deadline (the end of this node's lease, less
 * a margin). Returns MC_OK, or the database status when the outbox could
 * not be read.
 */
mc_status mail_job_step(struct app *app, time_t deadline);

#endif
