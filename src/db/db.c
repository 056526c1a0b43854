/*
 * db.c - the backend-independent half of storage: the registry of per-thread
 * read connections, the single writer thread with group commit, result
 * access and migrations.
 *
 * Why one writer: SQLite allows one writer at a time, and two contending
 * writer connections gave 1.5 s p99 waits (BRIEF.md). Batching every write
 * that is waiting into one transaction turns N disk flushes into one, so the
 * durable commit rate stops being the ceiling on writes per second.
 */
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"
#include "core/log.h"
#include "db/db_backend.h"

#define MAX_BATCH   256
#define MAX_READERS 512

struct db_conn {
	db *owner;
	void *impl;
	bool writer;
};

struct job {
	db_write_fn fn;
	void *arg;
	mc_status rc;
	bool done;
	/* The caller waits on its own condition variable: one broadcast to
	 * every waiting caller woke them all (up to the number of workers,
	 * most of them queued for a later batch) after each commit. */
	pthread_cond_t cv;
	struct job *next;
};

struct db {
	const struct db_backend *be;
	char target[1024];

	pthread_key_t reader_key;
	pthread_mutex_t readers_mu;
	db_conn *readers[MAX_READERS];
	int nreaders;

	/* writer */
	db_conn *wconn;
	pthread_t writer;
	pthread_mutex_t mu;
	pthread_cond_t cv_work; /* writer waits for jobs */
	pthread_cond_t cv_done; /* db_close waits for the last callers to leave */
	struct job *head, *tail;
	unsigned depth;
	unsigned callers; /* threads inside db_write; db_close waits for them */
	bool stopping;

	struct db_stats stats; /* guarded by mu */
};

static const struct db_backend *backend_for(const char *target)
{
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
		return &db_pg_backend;
	return &db_sqlite_backend;
}

const char *db_backend_name(const db *d)
{
	return d->be->name;
}

/* ---- statements ---- */

mc_status db_query(db_conn *c, arena *a, const char *sql, const db_arg *args, int nargs,
		   db_result **out)
{
	return c->owner->be->run(c->impl, a, sql, args, nargs, out, NULL);
}

mc_status db_exec(db_conn *c, const char *sql, const db_arg *args, int nargs, int64_t *changes)
{
	if (nargs < 0)
		return c->owner->be->script(c->impl, sql);
	return c->owner->be->run(c->impl, NULL, sql, args, nargs, NULL, changes);
}

mc_status db_snapshot_begin(db_conn *c)
{
	return c->owner->be->script(c->impl, c->owner->be->snapshot_sql);
}

void db_snapshot_end(db_conn *c)
{
	c->owner->be->script(c->impl, "COMMIT");
}

mc_status db_copy_out(db_conn *c, const char *table, db_line_fn emit, void *ud)
{
	return c->owner->be->copy_out(c->impl, table, emit, ud);
}

mc_status db_copy_in(db_conn *c, const char *table, db_next_line_fn next, void *ud, int64_t *rows)
{
	return c->owner->be->copy_in(c->impl, table, next, ud, rows);
}

mc_status db_tables(db_conn *c, arena *a, const char ***names, int *n)
{
	const struct db_backend *be = c->owner->be;
	db_result *t, *f;
	mc_status rc = be->run(c->impl, a, be->tables_sql, NULL, 0, &t, NULL);
	if (rc == MC_OK)
		rc = be->run(c->impl, a, be->foreign_keys_sql, NULL, 0, &f, NULL);
	if (rc != MC_OK)
		return rc;
	int nall = db_nrows(t), nfk = db_nrows(f);
	const char **all = arena_calloc(a, (size_t)nall + 1, sizeof(char *));
	const char **child = arena_calloc(a, (size_t)nfk + 1, sizeof(char *));
	const char **parent = arena_calloc(a, (size_t)nfk + 1, sizeof(char *));
	for (int i = 0; i < nall; i++)
		all[i] = db_text(t, i, 0);
	for (int i = 0; i < nfk; i++) {
		child[i] = db_text(f, i, 0);
		parent[i] = db_text(f, i, 1);
	}
	/* Topological order: repeatedly take a table whose parents are all
	 * placed (self-references do not count). */
	const char **out = arena_calloc(a, (size_t)nall + 1, sizeof(char *));
	bool *placed = arena_calloc(a, (size_t)nall + 1, sizeof(bool));
	int nout = 0;
	for (int round = 0; round < nall && nout < nall; round++) {
		for (int i = 0; i < nall; i++) {
			if (placed[i])
				continue;
			bool ready = true;
			for (int k = 0; k < nfk && ready; k++) {
				if (strcmp(child[k], all[i]) != 0 || strcmp(parent[k], all[i]) == 0)
					continue;
				for (int j = 0; j < nall; j++)
					if (!placed[j] && strcmp(all[j], parent[k]) == 0)
						ready = false;
			}
			if (ready) {
				placed[i] = true;
				out[nout++] = all[i];
			}
		}
	}
	for (int i = 0; i < nall; i++) /* a cycle: append the rest as they are */
		if (!placed[i])
			out[nout++] = all[i];
	*names = out;
	*n = nout;
	return MC_OK;
}

mc_status db_lock_migrations(db_conn *c)
{
	const struct db_backend *be = c->owner->be;
	return be->lock_migrations ? be->lock_migrations(c->impl) : MC_OK;
}

const char *db_errmsg(db_conn *c)
{
	return c->owner->be->errmsg(c->impl);
}

bool db_plain_identifier(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9') || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* ---- results ---- */

db_result *db_result_new(arena *a, int ncols)
{
	db_result *r = arena_zalloc(a, sizeof(*r));
	r->ncols = ncols;
	return r;
}

void db_result_push(db_result *r, arena *a, int *cap, const char *const *cells, const size_t *lens)
{
	if (r->nrows == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		char **nc = arena_calloc(a, (size_t)ncap * (size_t)(r->ncols ? r->ncols : 1),
					 sizeof(char *));
		size_t *nl = arena_calloc(a, (size_t)ncap * (size_t)(r->ncols ? r->ncols : 1),
					  sizeof(size_t));
		if (r->nrows) {
			memcpy(nc, r->cells, sizeof(char *) * (size_t)(r->nrows * r->ncols));
			memcpy(nl, r->lens, sizeof(size_t) * (size_t)(r->nrows * r->ncols));
		}
		r->cells = nc;
		r->lens = nl;
		*cap = ncap;
	}
	for (int i = 0; i < r->ncols; i++) {
		size_t at = (size_t)(r->nrows * r->ncols + i);
		r->cells[at] = cells[i] ? arena_strndup(a, cells[i], lens[i]) : NULL;
		r->lens[at] = cells[i] ? lens[i] : 0;
	}
	r->nrows++;
}

int db_nrows(const db_result *r)
{
	return r ? r->nrows : 0;
}

int db_ncols(const db_result *r)
{
	return r ? r->ncols : 0;
}

static bool in_range(const db_result *r, int row, int col)
{
	return r && row >= 0 && row < r->nrows && col >= 0 && col < r->ncols;
}

const char *db_text(const db_result *r, int row, int col)
{
	return in_range(r, row, col) ? r->cells[row * r->ncols + col] : NULL;
}

size_t db_len(const db_result *r, int row, int col)
{
	return in_range(r, row, col) ? r->lens[row * r->ncols + col] : 0;
}

bool db_isnull(const db_result *r, int row, int col)
{
	return db_text(r, row, col) == NULL;
}

int64_t db_int(const db_result *r, int row, int col)
{
	const char *s = db_text(r, row, col);
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end ? 0 : v;
}

/* ---- connections ---- */

db_conn *db_reader(db *d)
{
	db_conn *c = pthread_getspecific(d->reader_key);
	if (c)
		return c;
	char err[512];
	void *impl;
	if (d->be->connect(d->target, false, &impl, err, sizeof(err)) != MC_OK) {
		log_error("db: cannot open a read connection: %s", err);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->owner = d;
	c->impl = impl;
	pthread_mutex_lock(&d->readers_mu);
	if (d->nreaders == MAX_READERS) {
		pthread_mutex_unlock(&d->readers_mu);
		d->be->disconnect(impl);
		free(c);
		log_error("db: more than %d threads asked for read connections", MAX_READERS);
		return NULL;
	}
	d->readers[d->nreaders++] = c;
	pthread_mutex_unlock(&d->readers_mu);
	pthread_setspecific(d->reader_key, c);
	return c;
}

/* ---- the writer ---- */

static unsigned hist_bucket(unsigned n)
{
	unsigned b = 0;
	while (n > 1 && b < 7) {
		n >>= 1;
		b++;
	}
	return b;
}

static void run_batch(db *d, struct job *batch, unsigned n)
{
	const struct db_backend *be = d->be;
	void *w = d->wconn->impl;
	mc_status rc = be->script(w, "BEGIN");
	unsigned failed = 0;
	if (rc == MC_OK) {
		for (struct job *j = batch; j; j = j->next) {
			rc = be->script(w, "SAVEPOINT job");
			if (rc != MC_OK) {
				j->rc = rc;
				continue;
			}
			j->rc = j->fn(d->wconn, j->arg);
			/* A RELEASE that fails after fn succeeded means fn went on
			 * past a failed statement, which leaves a PostgreSQL
			 * transaction aborted: undo fn alone rather than lose the
			 * whole batch at COMMIT. */
			if (j->rc == MC_OK && be->script(w, "RELEASE SAVEPOINT job") != MC_OK)
				j->rc = MC_INTERNAL;
			if (j->rc != MC_OK) {
				failed++;
				be->script(w, "ROLLBACK TO SAVEPOINT job");
				be->script(w, "RELEASE SAVEPOINT job");
			}
		}
		rc = be->script(w, "COMMIT");
	}
	if (rc != MC_OK) {
		log_error("db: group commit of %u writes failed: %s", n, be->errmsg(w));
		be->script(w, "ROLLBACK");
		for (struct job *j = batch; j; j = j->next)
			if (j->rc == MC_OK)
				j->rc = rc;
	}
	pthread_mutex_lock(&d->mu);
	d->stats.commits++;
	d->stats.writes += n;
	d->stats.failed_writes += failed;
	d->stats.batch_hist[hist_bucket(n)]++;
	for (struct job *j = batch; j; j = j->next) {
		/* j lives on its caller's stack: the caller cannot return
		 * before mu is unlocked below, so j->next is still valid. */
		j->done = true;
		pthread_cond_signal(&j->cv);
	}
	pthread_mutex_unlock(&d->mu);
}

static void *writer_main(void *arg)
{
	db *d = arg;
	/* The name bench/submit.sh looks for (its CPU per submission). */
	pthread_setname_np(pthread_self(), "db-writer");
	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (!d->head && !d->stopping)
			pthread_cond_wait(&d->cv_work, &d->mu);
		if (!d->head && d->stopping)
			break;
		struct job *batch = d->head, *last = batch;
		unsigned n = 1;
		while (last->next && n < MAX_BATCH) {
			last = last->next;
			n++;
		}
		d->head = last->next;
		if (!d->head)
			d->tail = NULL;
		last->next = NULL;
		d->depth -= n;
		pthread_mutex_unlock(&d->mu);
		run_batch(d, batch, n);
		pthread_mutex_lock(&d->mu);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

mc_status db_write(db *d, db_write_fn fn, void *arg)
{
	struct job j = {.fn = fn, .arg = arg, .rc = MC_OK};
	pthread_mutex_lock(&d->mu);
	if (d->stopping) {
		pthread_mutex_unlock(&d->mu);
		return MC_BUSY;
	}
	pthread_cond_init(&j.cv, NULL);
	if (d->tail)
		d->tail->next = &j;
	else
		d->head = &j;
	d->tail = &j;
	d->depth++;
	d->callers++;
	pthread_cond_signal(&d->cv_work);
	while (!j.done)
		pthread_cond_wait(&j.cv, &d->mu);
	if (--d->callers == 0 && d->stopping)
		pthread_cond_broadcast(&d->cv_done); /* db_close may free d now */
	pthread_mutex_unlock(&d->mu);
	pthread_cond_destroy(&j.cv);
	return j.rc;
}

void db_get_stats(db *d, struct db_stats *out)
{
	pthread_mutex_lock(&d->mu);
	*out = d->stats;
	out->queue_depth = d->depth;
	pthread_mutex_unlock(&d->mu);
}

/* ---- open and close ---- */

mc_status db_open(const char *target, db **out, char *err, size_t errlen)
{
	const struct db_backend *be = backend_for(target);
	if (!be) {
		snprintf(err, errlen, "no backend for '%s' in this build", target);
		return MC_INVALID;
	}
	if (strlen(target) >= sizeof(((db *)0)->target)) {
		snprintf(err, errlen, "database target is too long");
		return MC_INVALID;
	}
	db *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->be = be;
	memcpy(d->target, target, strlen(target) + 1);
	void *impl;
	mc_status rc = be->connect(target, true, &impl, err, errlen);
	if (rc != MC_OK) {
		free(d);
		return rc;
	}
	d->wconn = calloc(1, sizeof(db_conn));
	if (!d->wconn)
		abort();
	d->wconn->owner = d;
	d->wconn->impl = impl;
	d->wconn->writer = true;
	pthread_key_create(&d->reader_key, NULL);
	pthread_mutex_init(&d->readers_mu, NULL);
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv_work, NULL);
	pthread_cond_init(&d->cv_done, NULL);
	if (pthread_create(&d->writer, NULL, writer_main, d) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		be->disconnect(impl);
		free(d->wconn);
		free(d);
		return MC_INTERNAL;
	}
	*out = d;
	return MC_OK;
}

void db_close(db *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stopping = true;
	pthread_cond_signal(&d->cv_work);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->writer, NULL);
	/* Callers of the last batch are woken but may not have left db_write
	 * yet; they still touch d->mu, so wait until they have. */
	pthread_mutex_lock(&d->mu);
	while (d->callers)
		pthread_cond_wait(&d->cv_done, &d->mu);
	pthread_mutex_unlock(&d->mu);
	for (int i = 0; i < d->nreaders; i++) {
		d->be->disconnect(d->readers[i]->impl);
		free(d->readers[i]);
	}
	d->be->disconnect(d->wconn->impl);
	free(d->wconn);
	pthread_key_delete(d->reader_key);
	pthread_mutex_destroy(&d->readers_mu);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->cv_work);
	pthread_cond_destroy(&d->cv_done);
	free(d);
}
