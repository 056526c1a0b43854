/*
 * db_sqlite.c - the SQLite backend: WAL, synchronous=FULL, foreign keys, a
 * busy timeout, and a per-connection cache of prepared statements.
 *
 * Parameters are written $1, $2 ... in SQL shared with PostgreSQL; SQLite
 * treats "$1" as a named parameter (numbered in order of first use, one
 * number for a name used twice), so each cached statement keeps a map from
 * $k to SQLite's index, made once when it is prepared. Read connections are query_only, so a
 * write that slips into a read path fails loudly instead of bypassing the
 * single writer.
 *
 * Checkpoints (copying the WAL back into the database file) run on a
 * thread of their own with its own connection, not inside the writer's
 * COMMIT as SQLite's automatic checkpoint would: the writer is the one
 * serial step of every write, and the checkpoint was a quarter of its time
 * under bench/submit.sh. The thread starts the first time the WAL reaches
 * CKPT_FRAMES frames and runs PASSIVE checkpoints (they never wait for
 * readers or the writer), each after a commit that leaves the WAL at least
 * that long. Durability is unchanged: commits are durable in the WAL
 * (synchronous=FULL), and the checkpoint syncs the database file before
 * the WAL is reused.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/copytext.h"
#include "db/db_backend.h"
#include "db/walbuf.h"

/*
 * The statement cache is set-associative: a statement's hash picks a set of
 * CACHE_WAYS slots, and a new statement replaces the least recently used
 * one of its set. Direct-mapped (one slot per hash), two statements of the
 * same submission that collided evicted each other and were prepared again
 * on every job: a profile of the writer under bench/submit.sh showed
 * audit_append's statements re-prepared each time (3 % of the writer).
 */
#define CACHE_SLOTS 256
#define CACHE_WAYS  4

struct cached {
	unsigned long long used; /* the connection's use counter at the last use */
	char *sql;
	sqlite3_stmt *stmt;
	int nparams; /* sqlite3_bind_parameter_count */
	int *param;  /* param[k - 1]: SQLite's index of "$k", 0 when absent */
};

/* Frames in the WAL (4 KiB pages) that ask for a checkpoint: 16 MiB. */
#define CKPT_FRAMES 4000
/*
 * Frames past which the writer itself checkpoints and truncates the WAL
 * (TRUNCATE: waits, up to the busy timeout, for readers to leave the WAL,
 * then empties the file): 1 GiB. The passive checkpoints above copy pages
 * back but cannot restart the WAL while the writer goes straight from one
 * transaction to the next, so back-to-back large writes (the first
 * statistics build at ten million dossiers) grew it to 27 GB. A refused
 * attempt (readers stayed) is tried again after the next commit.
 */
#define CKPT_CAP_FRAMES 262144

struct ckpt {
	char *target;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started, want, stop, broken;
};

struct sq {
	sqlite3 *h;
	struct ckpt *ck; /* the writer's checkpointer; NULL on readers */
	struct cached cache[CACHE_SLOTS];
	unsigned long long uses; /* counts cache look-ups, for least recently used */
	char err[512];
};

static unsigned hash_sql(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static mc_status map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return MC_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return MC_BUSY;
	case SQLITE_CONSTRAINT: return MC_CONFLICT;
	case SQLITE_TOOBIG: return MC_TOO_LARGE;
	default: return MC_INTERNAL;
	}
}

static void note(struct sq *c)
{
	snprintf(c->err, sizeof(c->err), "%s", sqlite3_errmsg(c->h));
}

/* ---- checkpoints off the writer ---- */

static void *ckpt_main(void *arg)
{
	struct ckpt *k = arg;
	sqlite3 *h = NULL;
	pthread_setname_np(pthread_self(), "db-ckpt");
	if (sqlite3_open_v2(k->target, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA synchronous=FULL;", NULL, NULL, NULL) != SQLITE_OK) {
		log_warn("db: no checkpoint connection (%s): the writer checkpoints itself",
			 h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		pthread_mutex_lock(&k->mu);
		k->broken = true;
		pthread_mutex_unlock(&k->mu);
		return NULL;
	}
	pthread_mutex_lock(&k->mu);
	while (!k->stop) {
		if (!k->want) {
			pthread_cond_wait(&k->cv, &k->mu);
			continue;
		}
		k->want = false;
		pthread_mutex_unlock(&k->mu);
		int rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			log_warn("db: checkpoint failed: %s", sqlite3_errmsg(h));
		pthread_mutex_lock(&k->mu);
	}
	pthread_mutex_unlock(&k->mu);
	sqlite3_close(h);
	return NULL;
}

/* After every commit of the writer (in place of SQLite's autocheckpoint). */
static int wal_hook(void *arg, sqlite3 *h, const char *dbname, int frames)
{
	struct ckpt *k = arg;
	if (frames < CKPT_FRAMES)
		return SQLITE_OK;
	if (frames >= CKPT_CAP_FRAMES) {
		int rc = sqlite3_wal_checkpoint_v2(h, dbname, SQLITE_CHECKPOINT_TRUNCATE, NULL,
						   NULL);
		if (rc == SQLITE_OK)
			return SQLITE_OK;
		log_warn("db: the WAL has %d frames and could not be truncated: %s", frames,
			 sqlite3_errstr(rc));
	}
	pthread_mutex_lock(&k->mu);
	if (!k->started && !k->broken) {
		k->started = pthread_create(&k->thread, NULL, ckpt_main, k) == 0;
		k->broken = !k->started;
	}
	bool inline_ckpt = k->broken;
	k->want = true;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	if (inline_ckpt)
		sqlite3_wal_checkpoint_v2(h, dbname, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

static void ckpt_start(struct sq *c, const char *target)
{
	struct ckpt *k = calloc(1, sizeof(*k));
	if (!k || !(k->target = strdup(target)))
		abort();
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	c->ck = k;
	sqlite3_wal_hook(c->h, wal_hook, k);
}

static void ckpt_stop(struct ckpt *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = true;
	pthread_cond_signal(&k->cv);
	bool join = k->started;
	pthread_mutex_unlock(&k->mu);
	if (join)
		pthread_join(k->thread, NULL);
	pthread_cond_destroy(&k->cv);
	pthread_mutex_destroy(&k->mu);
	free(k->target);
	free(k);
}

/*
 * Once per process, before the first connection: no global memory
 * statistics. With them every sqlite3_malloc and free of every connection
 * takes one process-wide mutex, and the writer and the readers of all
 * workers allocate on every statement. And the writer's VFS (walbuf.h).
 */
static bool walbuf_ok; /* set once, before any connection */

static void sq_global(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	walbuf_ok = walbuf_register();
}

static mc_status sq_connect(const char *target, bool writer, void **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_global);
	struct sq *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
	/* The writer's WAL appends go out one system call per batch
	 * (walbuf.h; it needs the synchronous=FULL set below). */
	int rc = sqlite3_open_v2(target, &c->h, flags, writer && walbuf_ok ? WALBUF_VFS : NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target,
			 c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
		sqlite3_close(c->h);
		free(c);
		return MC_INTERNAL;
	}
	sqlite3_busy_timeout(c->h, 5000);
	sqlite3_extended_result_codes(c->h, 1);
	/*
	 * temp_store=MEMORY on the writer: group commit wraps every write in a
	 * SAVEPOINT, and a savepoint's statement journal spills to a temporary
	 * file past 64 KiB, i.e. one pwrite of every page a submission
	 * touches, twice (bench/submit.sh, docs/performance.md). In memory it
	 * is never written; it lives for one job and is bounded by the pages
	 * the job changes.
	 */
	/*
	 * The writer keeps 64 MiB of pages and reads the database file through
	 * mmap: it is the only writer, so its cache stays valid across its own
	 * commits. Readers do not map the file: a read transaction that finds
	 * the WAL changed drops the connection's cache and unmaps the whole
	 * region, and under steady writes that was a munmap and a page fault
	 * per page per lookup (bench/stats.sh: 627 -> 287 µs per lookup).
	 */
	const char *setup = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				     "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
				     "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
				   : "PRAGMA foreign_keys=ON; PRAGMA query_only=1;";
	char *msg = NULL;
	if (sqlite3_exec(c->h, setup, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target, msg ? msg : "setup failed");
		sqlite3_free(msg);
		sqlite3_close(c->h);
		free(c);
		return MC_INTERNAL;
	}
	if (writer)
		ckpt_start(c, target);
	*out = c;
	return MC_OK;
}

static void sq_disconnect(void *p)
{
	struct sq *c = p;
	if (!c)
		return;
	ckpt_stop(c->ck); /* before the writer closes (its close checkpoints) */
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
		free(c->cache[i].param);
	}
	sqlite3_close(c->h);
	free(c);
}

/* Fills slot->param from the names of the statement's parameters. */
static void map_params(struct cached *slot)
{
	int n = sqlite3_bind_parameter_count(slot->stmt);
	slot->nparams = n;
	slot->param = calloc((size_t)(n ? n : 1), sizeof(int));
	if (!slot->param)
		abort();
	for (int idx = 1; idx <= n; idx++) {
		const char *name = sqlite3_bind_parameter_name(slot->stmt, idx);
		char *end;
		long k = name && name[0] == '$' ? strtol(name + 1, &end, 10) : 0;
		if (k >= 1 && k <= n && *end == '\0')
			slot->param[k - 1] = idx;
	}
}

/* Returns the cache slot holding a prepared statement for sql, reset, or
 * NULL. A miss prepares sql into the least recently used slot of its set.
 * Bindings are not cleared: bind_args binds every parameter before each
 * run. */
static struct cached *prepare(struct sq *c, const char *sql)
{
	struct cached *set = &c->cache[(hash_sql(sql) % (CACHE_SLOTS / CACHE_WAYS)) * CACHE_WAYS];
	struct cached *slot = &set[0];
	c->uses++;
	for (int i = 0; i < CACHE_WAYS; i++) {
		if (set[i].sql && strcmp(set[i].sql, sql) == 0) {
			set[i].used = c->uses;
			sqlite3_reset(set[i].stmt);
			return &set[i];
		}
		if (set[i].used < slot->used)
			slot = &set[i];
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		note(c);
		return NULL;
	}
	sqlite3_finalize(slot->stmt);
	free(slot->sql);
	free(slot->param);
	slot->sql = strdup(sql);
	if (!slot->sql)
		abort();
	slot->stmt = st;
	slot->used = c->uses;
	map_params(slot);
	return slot;
}

static int bind_args(struct sq *c, const struct cached *slot, const db_arg *args, int nargs)
{
	sqlite3_stmt *st = slot->stmt;
	for (int i = 0; i < nargs; i++) {
		int idx = i < slot->nparams ? slot->param[i] : 0;
		if (idx == 0) {
			snprintf(c->err, sizeof(c->err),
				 "parameter $%d is not used in the statement", i + 1);
			return -1;
		}
		int rc;
		switch (args[i].type) {
		case DB_INT: rc = sqlite3_bind_int64(st, idx, args[i].i); break;
		case DB_TEXT:
			rc = sqlite3_bind_text(st, idx, args[i].s, (int)args[i].len, SQLITE_STATIC);
			break;
		default: rc = sqlite3_bind_null(st, idx); break;
		}
		if (rc != SQLITE_OK) {
			note(c);
			return -1;
		}
	}
	if (slot->nparams != nargs) {
		snprintf(c->err, sizeof(c->err), "statement wants %d parameters, got %d",
			 slot->nparams, nargs);
		return -1;
	}
	return 0;
}

static mc_status sq_run(void *p, arena *a, const char *sql, const db_arg *args, int nargs,
			db_result **out, int64_t *changes)
{
	struct sq *c = p;
	struct cached *slot = prepare(c, sql);
	if (!slot)
		return MC_INTERNAL;
	sqlite3_stmt *st = slot->stmt;
	if (bind_args(c, slot, args, nargs) < 0) {
		sqlite3_reset(st);
		return MC_INTERNAL;
	}
	int ncols = sqlite3_column_count(st);
	db_result *r = out ? db_result_new(a, ncols) : NULL;
	int cap = 0, rc;
	const char *cells[64];
	size_t lens[64];
	if (ncols > 64) {
		snprintf(c->err, sizeof(c->err), "more than 64 columns");
		return MC_INTERNAL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!r)
			continue;
		for (int i = 0; i < ncols; i++) {
			cells[i] = (const char *)sqlite3_column_text(st, i);
			lens[i] = (size_t)sqlite3_column_bytes(st, i);
		}
		db_result_push(r, a, &cap, cells, lens);
	}
	mc_status s = map_rc(rc);
	if (s != MC_OK)
		note(c);
	if (changes)
		*changes = sqlite3_changes64(c->h);
	sqlite3_reset(st);
	if (out)
		*out = r;
	return s;
}

/*
 * One statement without ';' (the writer's BEGIN, SAVEPOINT job, RELEASE
 * and COMMIT around every job) runs from the statement cache: sqlite3_exec
 * parsed and compiled it again on every call. Scripts go to sqlite3_exec.
 */
static mc_status sq_script(void *p, const char *sql)
{
	struct sq *c = p;
	if (!strchr(sql, ';'))
		return sq_run(p, NULL, sql, NULL, 0, NULL, NULL);
	char *msg = NULL;
	int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(c->err, sizeof(c->err), "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
	}
	return map_rc(rc);
}

static const char *sq_errmsg(void *p)
{
	return ((struct sq *)p)->err;
}

static mc_status sq_copy_out(void *p, const char *table, db_line_fn emit, void *ud)
{
	struct sq *c = p;
	if (!db_plain_identifier(table)) {
		snprintf(c->err, sizeof(c->err), "bad table name");
		return MC_INVALID;
	}
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->h, sql, -1, &st, NULL) != SQLITE_OK) {
		note(c);
		return MC_INTERNAL;
	}
	int ncols = sqlite3_column_count(st), rc;
	buf line = BUF_INIT(1u << 30);
	for (int i = 0; i < ncols; i++) {
		if (i)
			buf_putc(&line, '\t');
		buf_puts(&line, sqlite3_column_name(st, i));
	}
	mc_status s = emit(ud, line.data, line.len) < 0 ? MC_INTERNAL : MC_OK;
	while (s == MC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&line);
		for (int i = 0; i < ncols; i++) {
			if (i)
				buf_putc(&line, '\t');
			const char *v = sqlite3_column_type(st, i) == SQLITE_NULL
						? NULL
						: (const char *)sqlite3_column_text(st, i);
			copytext_put(&line, v, (size_t)sqlite3_column_bytes(st, i));
		}
		if (line.overflow || emit(ud, line.data, line.len) < 0)
			s = MC_INTERNAL;
	}
	if (s == MC_OK && rc != SQLITE_DONE) {
		note(c);
		s = map_rc(rc);
	}
	buf_release(&line);
	sqlite3_finalize(st);
	return s;
}

#define COPY_MAX_COLS 64

static mc_status sq_copy_in(void *p, const char *table, db_next_line_fn next, void *ud,
			    int64_t *rows)
{
	struct sq *c = p;
	const char *line;
	size_t len;
	char *cols[COPY_MAX_COLS];
	size_t lens[COPY_MAX_COLS];
	*rows = 0;
	if (!db_plain_identifier(table) || next(ud, &line, &len) != 1) {
		snprintf(c->err, sizeof(c->err), "%s: missing the line of column names", table);
		return MC_INVALID;
	}
	arena *a = arena_new(0);
	int ncols = copytext_split(a, line, len, cols, lens, COPY_MAX_COLS);
	buf sql = BUF_INIT(8192);
	buf_printf(&sql, "INSERT INTO %s (", table);
	for (int i = 0; i < ncols; i++) {
		if (!db_plain_identifier(cols[i])) {
			snprintf(c->err, sizeof(c->err), "%s: bad column name", table);
			ncols = -1;
			break;
		}
		buf_printf(&sql, "%s%s", i ? ", " : "", cols[i]);
	}
	buf_puts(&sql, ") VALUES (");
	for (int i = 0; i < ncols; i++)
		buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
	buf_putc(&sql, ')');
	mc_status s = ncols > 0 ? MC_OK : MC_INVALID;
	db_arg args[COPY_MAX_COLS];
	int more;
	while (s == MC_OK && (more = next(ud, &line, &len)) == 1) {
		arena *row = arena_new(0);
		int n = copytext_split(row, line, len, cols, lens, COPY_MAX_COLS);
		if (n != ncols) {
			snprintf(c->err, sizeof(c->err), "%s: row %lld has %d fields, expected %d",
				 table, (long long)*rows + 1, n, ncols);
			s = MC_INVALID;
		} else {
			for (int i = 0; i < n; i++)
				args[i] = cols[i] ? (db_arg){DB_TEXT, 0, cols[i], lens[i]}
						  : DB_NULLARG;
			s = sq_run(p, NULL, sql.data, args, n, NULL, NULL);
			if (s == MC_OK)
				(*rows)++;
		}
		arena_free(row);
	}
	if (s == MC_OK && more < 0) {
		snprintf(c->err, sizeof(c->err), "%s: cannot read the rows", table);
		s = MC_INTERNAL;
	}
	buf_release(&sql);
	arena_free(a);
	return s;
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.run = sq_run,
	.script = sq_script,
	.errmsg = sq_errmsg,
	.tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
		      " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name",
	.foreign_keys_sql = "SELECT m.name, k.\"table\" FROM sqlite_master m"
			    " JOIN pragma_foreign_key_list(m.name) k WHERE m.type = 'table'",
	.copy_out = sq_copy_out,
	.copy_in = sq_copy_in,
	.snapshot_sql = "BEGIN",
	.dialect = "sqlite",
};
