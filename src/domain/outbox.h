/*
 * outbox.h - the one walker of the outboxes (hộp thư đi) that background
 * jobs empty: mail over SMTP (mail.h), SMS/Zalo messages to the webhook
 * (message.h).
 *
 * A round reads at most batch rows due now (the channel's select: pending,
 * next_attempt_at <= now, oldest first), opens one libcurl handle, and tries
 * them one by one until the deadline passes or the jobs thread stops. Each
 * outcome is recorded in its own db_write by the channel's record function,
 * so a crash loses at most the outcome of the row in flight (it goes out
 * again: delivery is at least once). A failure waits jobs_backoff(mail_retry,
 * attempts) seconds, or longer when the other side asked for it
 * (Retry-After); a retry at max_attempts becomes a give-up.
 *
 * Runs on the jobs thread only (never an HTTP thread).
 */
#ifndef MOTCUA_OUTBOX_H
#define MOTCUA_OUTBOX_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct app;
struct config;

enum outbox_verdict { OUTBOX_SENT, OUTBOX_RETRY, OUTBOX_GIVE_UP };

/* One row being tried. The select's columns are id, attempts, then the
 * channel's own from column 2. */
struct outbox_try {
	db_result *r;
	int row;
	const char *id;
	int64_t attempts; /* this attempt's number (stored attempts + 1) */
	char err[512];	  /* send: why it failed */
	long retry_after; /* send: seconds the other side asked to wait; 0 none */
};

/* What the round writes for one row, in its own write. */
struct outbox_outcome {
	const char *id;
	enum outbox_verdict v;
	const char *error;
	int64_t now, next, attempts;
};

struct outbox_channel {
	const char *name;	/* "mail", "messages": the log prefix */
	const char *select_sql; /* $1 now, $2 the batch size */
	int batch, max_attempts;
	/* Sends t's row on h (reset by the channel); fills t->err on failure. */
	enum outbox_verdict (*send)(const struct config *cfg, CURL *h, arena *a,
				    struct outbox_try *t);
	/* Records one outcome on the connection of a db_write closure. */
	mc_status (*record)(db_conn *c, const struct outbox_outcome *o);
};

/*
 * One round of ch's job, stopping early when the clock passes deadline (the
 * end of this node's lease, less a margin). Returns MC_OK, or the database
 * status when the outbox could not be read.
 */
mc_status outbox_walk(struct app *app, const struct outbox_channel *ch, time_t deadline);

/* Makes a transfer on h give up as soon as the jobs thread is stopping. */
void outbox_stop_on_shutdown(CURL *h);

/* A new outbox row id: 32 hex digits, time-ordered (core/rowid.h). */
void outbox_new_id(char id[33]);

#endif
