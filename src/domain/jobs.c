/*
 * jobs.c - the jobs thread and the job_lease rows (jobs.h).
 *
 * The lease SQL is portable (SQLite >= 3.24 and PostgreSQL): the row is
 * created if missing with ON CONFLICT DO NOTHING, then taken when it has
 * expired or renewed when this node holds it, in one write.
 */
#include "domain/jobs.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "domain/mail.h"
#include "domain/message.h"
#include "domain/stats.h"
#include "domain/sweep.h"

/* Every job of motcua, in the order they run each round. */
static const struct job jobs[] = {
	{"mail", mail_job_step},
	{"messages", message_job_step},
	{"stats", stats_job_step},
	{"sweep", sweep_job_step},
};
#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))

/* A step ends this many seconds before its lease runs out, so that the
 * last item it starts (an SMTP exchange: 30 s at most) ends in time. */
#define LEASE_MARGIN 45

static struct {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running;
	atomic_bool stop;
	char node[128];
	bool held[NJOBS];
	bool lease_failing[NJOBS]; /* logged once until a lease write works again */
} J = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

bool jobs_stopping(void)
{
	return atomic_load(&J.stop);
}

int64_t jobs_backoff(unsigned base, int64_t attempts)
{
	int64_t wait = base;
	for (int64_t i = 1; i < attempts && wait < JOBS_MAX_BACKOFF; i++)
		wait *= 2;
	return wait < JOBS_MAX_BACKOFF ? wait : JOBS_MAX_BACKOFF;
}

const char *jobs_node_id(void)
{
	return J.node;
}

/* Lease length: long enough for a step, at least three rounds. */
static int64_t lease_seconds(const struct config *cfg)
{
	int64_t s = 3 * (int64_t)cfg->jobs_interval;
	return s < 120 ? 120 : s;
}

struct lease_args {
	const char *name, *holder;
	int64_t now, expires;
	bool got;
};

static mc_status lease_fn(db_conn *c, void *p)
{
	struct lease_args *a = p;
	mc_status st = db_exec(c,
			       "INSERT INTO job_lease (name, holder, expires_at) VALUES ($1, '', 0)"
			       " ON CONFLICT (name) DO NOTHING",
			       DB_ARGS(DB_TEXT(a->name)), NULL);
	if (st != MC_OK)
		return st;
	int64_t changes = 0;
	st = db_exec(
		c,
		"UPDATE job_lease SET holder = $1, expires_at = $2"
		" WHERE name = $3 AND (expires_at < $4 OR holder = $1)",
		DB_ARGS(DB_TEXT(a->holder), DB_INT(a->expires), DB_TEXT(a->name), DB_INT(a->now)),
		&changes);
	a->got = st == MC_OK && changes == 1;
	return st;
}

static mc_status release_fn(db_conn *c, void *p)
{
	struct lease_args *a = p;
	return db_exec(c, "UPDATE job_lease SET expires_at = 0 WHERE name = $1 AND holder = $2",
		       DB_ARGS(DB_TEXT(a->name), DB_TEXT(a->holder)), NULL);
}

mc_status jobs_lease(db *d, const char *name, const char *holder, int64_t now, int64_t expires,
		     bool *got)
{
	struct lease_args a = {name, holder, now, expires, false};
	mc_status st = db_write(d, lease_fn, &a);
	*got = st == MC_OK && a.got;
	return st;
}

mc_status jobs_lease_release(db *d, const char *name, const char *holder)
{
	struct lease_args a = {name, holder, 0, 0, false};
	return db_write(d, release_fn, &a);
}

static void run_round(void)
{
	const struct config *cfg = &J.app->cfg;
	for (size_t i = 0; i < NJOBS && !jobs_stopping(); i++) {
		int64_t now = time(NULL), expires = now + lease_seconds(cfg);
		bool got;
		mc_status st = jobs_lease(J.app->db, jobs[i].name, J.node, now, expires, &got);
		if (st != MC_OK) {
			/* The database is down: say so once, not every round. */
			if (!J.lease_failing[i])
				log_warn("jobs: lease of %s could not be written (%s); retrying "
					 "every round",
					 jobs[i].name, mc_status_name(st));
			J.lease_failing[i] = true;
			continue;
		}
		if (J.lease_failing[i])
			log_info("jobs: lease of %s written again", jobs[i].name);
		J.lease_failing[i] = false;
		if (got != J.held[i])
			log_info("jobs: %s %s on this node (%s)", jobs[i].name,
				 got ? "runs" : "no longer runs", J.node);
		J.held[i] = got;
		if (!got)
			continue;
		st = jobs[i].step(J.app, (time_t)(expires - LEASE_MARGIN));
		if (st != MC_OK)
			log_warn("jobs: %s step failed (%s)", jobs[i].name, mc_status_name(st));
	}
}

static void *jobs_main(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "jobs");
	pthread_mutex_lock(&J.mu);
	while (!jobs_stopping()) {
		pthread_mutex_unlock(&J.mu);
		run_round();
		pthread_mutex_lock(&J.mu);
		if (jobs_stopping())
			break;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += J.app->cfg.jobs_interval;
		pthread_cond_timedwait(&J.cv, &J.mu, &until);
	}
	pthread_mutex_unlock(&J.mu);
	/* Hand the leases over at once instead of after they expire. */
	for (size_t i = 0; i < NJOBS; i++) {
		if (!J.held[i])
			continue;
		if (jobs_lease_release(J.app->db, jobs[i].name, J.node) != MC_OK)
			log_warn("jobs: lease of %s not released; it expires by itself",
				 jobs[i].name);
		J.held[i] = false;
	}
	return NULL;
}

mc_status jobs_start(struct app *app)
{
	if (J.running)
		return MC_OK;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("jobs: libcurl could not be initialised");
		return MC_INTERNAL;
	}
	char host[64] = "";
	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "unknown");
	unsigned char raw[6];
	char rnd[13];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(rnd, sizeof(rnd), raw, sizeof(raw));
	snprintf(J.node, sizeof(J.node), "%s:%ld:%s", host, (long)getpid(), rnd);
	J.app = app;
	atomic_store(&J.stop, false);
	memset(J.held, 0, sizeof(J.held));
	memset(J.lease_failing, 0, sizeof(J.lease_failing));
	if (pthread_create(&J.thread, NULL, jobs_main, NULL) != 0) {
		log_error("jobs: the jobs thread could not start");
		curl_global_cleanup();
		return MC_INTERNAL;
	}
	J.running = true;
	log_info("jobs: every %u s as %s", app->cfg.jobs_interval, J.node);
	return MC_OK;
}

void jobs_stop(void)
{
	if (!J.running)
		return;
	pthread_mutex_lock(&J.mu);
	atomic_store(&J.stop, true);
	pthread_cond_signal(&J.cv);
	pthread_mutex_unlock(&J.mu);
	pthread_join(J.thread, NULL);
	curl_global_cleanup();
	J.running = false;
}
