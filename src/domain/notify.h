/*
 * notify.h - telling the applicant that their dossier moved (thông báo).
 *
 * A notice is written to the outboxes INSIDE the transaction of the
 * transition it reports (the caller's db_write), so a transition that rolls
 * back tells nobody and one that commits is told exactly once, even across
 * a restart: the senders (mail.c's SMTP job, the webhook job for SMS/Zalo)
 * deliver from the outbox with retries and backoff.
 */
#ifndef MOTCUA_NOTIFY_H
#define MOTCUA_NOTIFY_H

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct notice {
	const char *code;	    /* the dossier code */
	const char *procedure_name; /* what was asked for */
	const char *agency_name;    /* who handles it */
	const char *name;	    /* the applicant, as they wrote it */
	const char *email;	    /* NULL or "": no email */
	const char *phone;	    /* NULL or "": no SMS/Zalo */
	const char *event;	    /* the workflow action name ("receive", "approve", ...) */
	int status_to;		    /* national status code 1-10 after the move */
	const char *due_at;	    /* "YYYY-MM-DD HH:MM" or NULL */
	const char *note;	    /* the officer's words (reasons, items), may be NULL */
	const char *lookup_url;	    /* absolute address of the public lookup */
};

/* Longest short message, in code points: one SMS of GSM characters. A text
 * longer than this (a long note) is cut and ends with "…". */
#define NOTIFY_SMS_CHARS 160

/*
 * Queues the notice on connection c (inside the caller's write): an email
 * (mail.h) when n->email is set, a short text message (message.h) when
 * n->phone is set. The texts are Vietnamese (locale key
 * "notify.<event>.subject"/".body"/".sms", with "notify.default.*" for
 * events without their own); due_at is shown dd/mm/yyyy HH:MM. MC_INVALID
 * when code or event is missing; an email or phone that is not valid is
 * skipped with a log line (the transition must go on); a database error is
 * returned as is so the caller's write rolls back.
 */
mc_status notify_transition(db_conn *c, arena *a, const struct notice *n);

/* The channel of the short messages notify_transition queues from now on:
 * "zalo", or anything else for "sms" (the default). Set once at start-up
 * from the sms_channel setting. */
void notify_set_channel(const char *channel);

#endif
