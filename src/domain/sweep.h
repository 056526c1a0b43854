/*
 * sweep.h - the "sweep" background job (jobs.h): deletes what has run out
 * and would otherwise stay for ever.
 *
 *   - password_reset rows whose link has expired (RESET_TTL after it was
 *     sent; used links expire the same way);
 *   - sessions past their absolute end, and browser sessions idle for
 *     SESSION_IDLE (they can no longer sign anybody in: session_resolve
 *     refuses them);
 *   - throttle counters whose window ended long ago;
 *   - with SQLite, files under DIR/blobs that no blob row names and that
 *     are older than SWEEP_BLOB_AGE: a write that linked its upload into
 *     the store and then rolled back (a refused submission, a crash) left
 *     them. The age keeps an in-flight write safe: blob_store_prepare
 *     links or touches the file just before its db_write commits the row.
 *
 * Each step is idempotent, so running it twice (a lease that ran out) is
 * harmless. The job runs at most every SWEEP_EVERY seconds.
 */
#ifndef MOTCUA_SWEEP_H
#define MOTCUA_SWEEP_H

#include <stdint.h>
#include <time.h>

#include "core/status.h"
#include "db/db.h"

struct app;

#define SWEEP_EVERY    (10 * 60)
#define SWEEP_BLOB_AGE (60 * 60)

struct sweep_counts {
	int64_t resets, sessions, throttles, blobs;
};

/* Deletes expired reset links, sessions and throttle counters as of now
 * (Unix seconds), in one write; adds what it deleted to *n. */
mc_status sweep_expired(db *d, int64_t now, struct sweep_counts *n);

/* Removes the files of data_dir/blobs that no blob row names and whose
 * modification time is SWEEP_BLOB_AGE or more before now; stops at
 * deadline (0: none) and adds what it removed to n->blobs. Only for the
 * SQLite store: does nothing on another backend. */
mc_status sweep_blobs(db *d, const char *data_dir, time_t now, time_t deadline,
		      struct sweep_counts *n);

/* The jobs.h step of job "sweep". */
mc_status sweep_job_step(struct app *app, time_t deadline);

#endif
