/* sweep.c - the sweep job (sweep.h). */
#include "domain/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/blob.h"
#include "domain/jobs.h"
#include "domain/session.h"

struct expired_args {
	int64_t now;
	struct sweep_counts *n;
};

static mc_status expired_fn(db_conn *c, void *p)
{
	struct expired_args *w = p;
	int64_t k = 0;
	mc_status rc = db_exec(c, "DELETE FROM password_reset WHERE expires_at <= $1",
			       DB_ARGS(DB_INT(w->now)), &k);
	w->n->resets += k;
	k = 0;
	if (rc == MC_OK)
		rc = db_exec(c,
			     "DELETE FROM session WHERE expires_at <= $1 OR"
			     " (kind = 'web' AND last_seen <= $2)",
			     DB_ARGS(DB_INT(w->now), DB_INT(w->now - SESSION_IDLE)), &k);
	w->n->sessions += k;
	k = 0;
	/* A counter is live for THROTTLE_WINDOW after its window starts. */
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM throttle WHERE window_start <= $1",
			     DB_ARGS(DB_INT(w->now - 2 * THROTTLE_WINDOW)), &k);
	w->n->throttles += k;
	return rc;
}

mc_status sweep_expired(db *d, int64_t now, struct sweep_counts *n)
{
	struct sweep_counts got = {0};
	struct expired_args w = {now, &got};
	mc_status rc = db_write(d, expired_fn, &w);
	if (rc == MC_OK) {
		n->resets += got.resets;
		n->sessions += got.sessions;
		n->throttles += got.throttles;
	}
	return rc;
}

/* Whether a blob row names hash; errors count as "named" (keep the file). */
static bool blob_named(db *d, const char *hash)
{
	db_conn *c = db_reader(d);
	arena *a = arena_new(0);
	db_result *res;
	bool named = !c || !a ||
		     db_query(c, a, "SELECT 1 FROM blob WHERE hash = $1", DB_ARGS(DB_TEXT(hash)),
			      &res) != MC_OK ||
		     db_nrows(res) > 0;
	arena_free(a);
	return named;
}

static bool old_enough(const char *path, time_t now)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime + SWEEP_BLOB_AGE <= now;
}

/* One DIR/blobs/<2 hex> directory. */
static mc_status sweep_dir(db *d, const char *dir, const char *prefix, time_t now, time_t deadline,
			   struct sweep_counts *n)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return errno == ENOENT ? MC_OK : MC_INTERNAL;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		if (jobs_stopping() || (deadline && time(NULL) >= deadline))
			break;
		/* Only names the store writes: 64 hex digits under their first two. */
		if (!blob_hash_valid(e->d_name) || strncmp(e->d_name, prefix, 2) != 0)
			continue;
		char path[PATH_MAX + 80];
		if (snprintf(path, sizeof(path), "%s/%.64s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if (!old_enough(path, now) || blob_named(d, e->d_name))
			continue;
		/* Looked at again just before: a write that reused this file
		 * touched it (blob_store_prepare) and may be about to commit. */
		if (!old_enough(path, now))
			continue;
		if (unlink(path) == 0) {
			n->blobs++;
			log_info("sweep: removed unreferenced blob %s", e->d_name);
		} else if (errno != ENOENT) {
			log_warn("sweep: cannot remove %s: %s", path, strerror(errno));
		}
	}
	closedir(dh);
	return MC_OK;
}

mc_status sweep_blobs(db *d, const char *data_dir, time_t now, time_t deadline,
		      struct sweep_counts *n)
{
	if (strcmp(db_backend_name(d), "sqlite") != 0)
		return MC_OK;
	char top[PATH_MAX];
	if (snprintf(top, sizeof(top), "%s/blobs", data_dir) >= (int)sizeof(top))
		return MC_INVALID;
	DIR *dh = opendir(top);
	if (!dh)
		return errno == ENOENT ? MC_OK : MC_INTERNAL;
	mc_status rc = MC_OK;
	struct dirent *e;
	while (rc == MC_OK && (e = readdir(dh)) != NULL) {
		const char *s = e->d_name;
		bool hex2 = strlen(s) == 2 && strspn(s, "0123456789abcdef") == 2;
		if (!hex2)
			continue;
		char dir[PATH_MAX + 4];
		snprintf(dir, sizeof(dir), "%s/%.2s", top, s);
		rc = sweep_dir(d, dir, s, now, deadline, n);
	}
	closedir(dh);
	return rc;
}

mc_status sweep_job_step(struct app *app, time_t deadline)
{
	static _Atomic time_t last;
	time_t now = time(NULL);
	if (now - atomic_load(&last) < SWEEP_EVERY)
		return MC_OK;
	struct sweep_counts n = {0};
	mc_status rc = sweep_expired(app->db, now, &n);
	if (rc == MC_OK)
		rc = sweep_blobs(app->db, app->cfg.data_dir, now, deadline, &n);
	if (rc == MC_OK) {
		atomic_store(&last, now);
		if (n.resets || n.sessions || n.throttles || n.blobs)
			log_info("sweep: %lld reset links, %lld sessions, %lld counters, %lld "
				 "blob files",
				 (long long)n.resets, (long long)n.sessions, (long long)n.throttles,
				 (long long)n.blobs);
	}
	return rc;
}
