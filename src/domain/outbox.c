/* outbox.c - the one walker of the outboxes (outbox.h). */
#include "domain/outbox.h"

#include <stdbool.h>

#include "app.h"
#include "core/log.h"
#include "core/rowid.h"
#include "domain/jobs.h"

static int progress_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)ud, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return jobs_stopping() ? 1 : 0;
}

void outbox_stop_on_shutdown(CURL *h)
{
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
}

void outbox_new_id(char id[33])
{
	rowid_new(id);
}

struct record_arg {
	const struct outbox_channel *ch;
	const struct outbox_outcome *o;
};

static mc_status record_fn(db_conn *c, void *p)
{
	const struct record_arg *x = p;
	return x->ch->record(c, x->o);
}

/* Tries one row and records its outcome; true when it went out. */
static bool try_one(struct app *app, const struct outbox_channel *ch, CURL *h, arena *a,
		    db_result *r, int row)
{
	struct outbox_try t = {
		.r = r, .row = row, .id = db_text(r, row, 0), .attempts = db_int(r, row, 1) + 1};
	enum outbox_verdict v = ch->send(&app->cfg, h, a, &t);
	if (v == OUTBOX_RETRY && t.attempts >= ch->max_attempts)
		v = OUTBOX_GIVE_UP;
	int64_t now = time(NULL), wait = jobs_backoff(app->cfg.mail_retry, t.attempts);
	struct outbox_outcome o = {.id = t.id,
				   .v = v,
				   .error = t.err,
				   .now = now,
				   .next = now + (t.retry_after > wait ? t.retry_after : wait),
				   .attempts = t.attempts};
	mc_status w = db_write(app->db, record_fn, &(struct record_arg){ch, &o});
	if (w != MC_OK)
		log_error("%s: recording the outcome of %s failed (%s); it may go out again",
			  ch->name, t.id, mc_status_name(w));
	if (v == OUTBOX_GIVE_UP)
		log_error("%s: %s given up at attempt %lld: %s", ch->name, t.id,
			  (long long)t.attempts, t.err);
	else if (v == OUTBOX_RETRY)
		log_warn("%s: %s not sent (attempt %lld): %s", ch->name, t.id,
			 (long long)t.attempts, t.err);
	return v == OUTBOX_SENT;
}

mc_status outbox_walk(struct app *app, const struct outbox_channel *ch, time_t deadline)
{
	db_conn *rd = db_reader(app->db);
	if (!rd)
		return MC_BUSY;
	arena *a = arena_new(0);
	db_result *r;
	mc_status st =
		db_query(rd, a, ch->select_sql, DB_ARGS(DB_INT(time(NULL)), DB_INT(ch->batch)), &r);
	if (st != MC_OK) {
		log_error("%s: reading the outbox failed: %s", ch->name, db_errmsg(rd));
		goto out;
	}
	if (db_nrows(r) == 0)
		goto out;
	CURL *h = curl_easy_init();
	if (!h) {
		log_error("%s: libcurl could not start", ch->name);
		st = MC_INTERNAL;
		goto out;
	}
	int sent = 0, failed = 0;
	for (int i = 0; i < db_nrows(r); i++) {
		if (time(NULL) >= deadline || jobs_stopping())
			break;
		if (try_one(app, ch, h, a, r, i))
			sent++;
		else
			failed++;
	}
	curl_easy_cleanup(h);
	if (sent || failed)
		log_info("%s: %d sent, %d failed", ch->name, sent, failed);
out:
	arena_free(a);
	return st;
}
