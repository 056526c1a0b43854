/*
 * jobs.h - background jobs that run on one node at a time.
 *
 * Every node starts the jobs thread; each round (every jobs_interval
 * seconds) it tries to take or renew each job's lease row in job_lease and
 * runs the job's step only while it holds the lease (docs/deploy.md,
 * "Background jobs"). A node that dies stops renewing; its lease runs out
 * and another node takes the job over. A lease can still run out under a
 * slow holder, so every step must be safe to run twice.
 *
 * The jobs thread never serves HTTP; steps may block on the database and on
 * the network (bounded by their own timeouts).
 */
#ifndef MOTCUA_JOBS_H
#define MOTCUA_JOBS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/status.h"
#include "db/db.h"

struct app;

/* One background job: a stable name (the job_lease key) and one round of
 * work that must return by deadline, when the lease may have run out. */
struct job {
	const char *name;
	mc_status (*step)(struct app *app, time_t deadline);
};

/* Starts the jobs thread for app (its db and cfg must outlive jobs_stop).
 * Returns MC_OK, or MC_INTERNAL when the thread could not start. */
mc_status jobs_start(struct app *app);

/* Asks the thread to stop, waits for the step in progress, gives up the
 * leases this node holds (so another node takes over at once) and joins
 * the thread. Does nothing when jobs were not started. */
void jobs_stop(void);

/* True once jobs_stop was called: long steps check it between items. */
bool jobs_stopping(void);

/*
 * The lease row of job name, in one write on d: created if missing, then
 * given to holder until expires when it is free, has expired before now, or
 * is already holder's (a renewal). *got tells whether holder has it now.
 */
mc_status jobs_lease(db *d, const char *name, const char *holder, int64_t now, int64_t expires,
		     bool *got);

/* Ends holder's lease of name at once (nothing when another node holds it). */
mc_status jobs_lease_release(db *d, const char *name, const char *holder);

/* Seconds an outbox job waits after the attempts-th failure of one item:
 * base, 2 base, 4 base ... capped at JOBS_MAX_BACKOFF. */
#define JOBS_MAX_BACKOFF 21600
int64_t jobs_backoff(unsigned base, int64_t attempts);

/* This node's holder name: "hostname:pid:random". */
const char *jobs_node_id(void);

#endif
