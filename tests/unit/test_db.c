/*
 * test_db.c - the storage interface (db/db.h) on a fresh database per test
 * (SQLite in a temporary directory, or PostgreSQL when scripts/test.sh sets
 * MOTCUA_TEST_BACKEND=postgres; see tests/testdb.h): migrations run once,
 * typed parameters round-trip, a failed write is rolled back alone while
 * its batch commits, concurrent writers share commits (group commit),
 * constraint violations are MC_CONFLICT, a wrong parameter count is an
 * error, readers work from many threads, db_close finishes queued writes
 * and what was committed survives a reopen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/assets.h"
#include "db/db.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	char target[1024];
	db *d;
	arena *a;
};

/* ---- helpers ---- */

static void rm_rf_dir(const char *dir)
{
	/* SQLite leaves motcua.db, -wal and -shm; nothing else is created. */
	static const char *const files[] = {"motcua.db", "motcua.db-wal", "motcua.db-shm",
					    "motcua.db-journal"};
	char p[256];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static mc_status create_kv(db_conn *c, void *arg)
{
	(void)arg;
	return db_exec(c,
		       "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT, n BIGINT);"
		       "CREATE TABLE big (id BIGINT PRIMARY KEY, body TEXT NOT NULL)",
		       NULL, -1, NULL);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-db-XXXXXX");
	if (!mkdtemp(f->dir) || testdb_new(f->dir, f->target, sizeof(f->target)) != 0) {
		free(f);
		return -1;
	}
	char err[512] = "";
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK) {
		print_error("db_open(%s): %s\n", f->target, err);
		rm_rf_dir(f->dir);
		free(f);
		return -1;
	}
	if (db_write(f->d, create_kv, NULL) != MC_OK) {
		print_error("cannot create the test tables\n");
		db_close(f->d);
		rm_rf_dir(f->dir);
		free(f);
		return -1;
	}
	f->a = arena_new(0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	arena_free(f->a);
	rm_rf_dir(f->dir);
	free(f);
	return 0;
}

/* A write that inserts one kv row; rc_after replaces a successful result
 * (to make a write fail after it has changed the database). */
struct put {
	const char *k, *v;
	int64_t n;
	mc_status rc_after;
	mc_status rc; /* what db_write returned */
};

static mc_status put_fn(db_conn *c, void *arg)
{
	struct put *p = arg;
	mc_status rc = db_exec(c, "INSERT INTO kv (k, v, n) VALUES ($1, $2, $3)",
			       DB_ARGS(DB_TEXT(p->k), DB_TEXT(p->v), DB_INT(p->n)), NULL);
	if (rc == MC_OK && p->rc_after != MC_OK)
		return p->rc_after;
	return rc;
}

static mc_status put(db *d, const char *k, const char *v, int64_t n)
{
	struct put p = {k, v, n, MC_OK, MC_OK};
	return db_write(d, put_fn, &p);
}

/* A write that tries a duplicate insert, ignores the conflict as an
 * "insert if absent" would, and then inserts a row of its own. */
struct upsertish {
	const char *dup, *mine; /* mine NULL: return right after the conflict */
	mc_status first, second;
};

static mc_status ignore_conflict_fn(db_conn *c, void *arg)
{
	struct upsertish *u = arg;
	u->first = db_exec(c, "INSERT INTO kv (k, v) VALUES ($1, 'dup')", DB_ARGS(DB_TEXT(u->dup)),
			   NULL);
	if (!u->mine)
		return MC_OK;
	u->second = db_exec(c, "INSERT INTO kv (k, v) VALUES ($1, 'mine')",
			    DB_ARGS(DB_TEXT(u->mine)), NULL);
	return u->second;
}

/* The row count of kv with key k, read on the calling thread's reader. */
static int count_key(db *d, const char *k)
{
	arena *a = arena_new(0);
	db_result *r = NULL;
	db_conn *c = db_reader(d);
	assert_non_null(c);
	assert_int_equal(
		db_query(c, a, "SELECT COUNT(*) FROM kv WHERE k = $1", DB_ARGS(DB_TEXT(k)), &r),
		MC_OK);
	int n = (int)db_int(r, 0, 0);
	arena_free(a);
	return n;
}

static int64_t count_rows(db *d, const char *table)
{
	arena *a = arena_new(0);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	db_result *r = NULL;
	db_conn *c = db_reader(d);
	assert_non_null(c);
	assert_int_equal(db_query(c, a, sql, DB_NOARGS, &r), MC_OK);
	int64_t n = db_int(r, 0, 0);
	arena_free(a);
	return n;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/*
 * The gate: a write that holds the writer thread until `want` other writes
 * are queued behind it, so the test knows exactly which writes share the
 * next batch. Waiting inside a write is what real writes must not do; here
 * it is the point.
 */
struct gate {
	db *d;
	unsigned want;
	atomic_bool running;
	atomic_bool hold; /* keep holding after the queue is full */
	bool timed_out;
	mc_status rc;
};

static mc_status gate_fn(db_conn *c, void *arg)
{
	(void)c;
	struct gate *g = arg;
	atomic_store(&g->running, true);
	double start = now_s();
	for (;;) {
		struct db_stats s;
		db_get_stats(g->d, &s);
		if (s.queue_depth >= g->want && !atomic_load(&g->hold))
			break;
		if (now_s() - start > 30) {
			g->timed_out = true;
			break;
		}
		sleep_ms(1);
	}
	return MC_OK;
}

static void *gate_thread(void *arg)
{
	struct gate *g = arg;
	g->rc = db_write(g->d, gate_fn, g);
	return NULL;
}

static void gate_start(struct gate *g, pthread_t *t, db *d, unsigned want)
{
	g->d = d;
	g->want = want;
	atomic_init(&g->running, false);
	atomic_init(&g->hold, false);
	g->timed_out = false;
	assert_int_equal(pthread_create(t, NULL, gate_thread, g), 0);
	while (!atomic_load(&g->running))
		sleep_ms(1);
}

struct put_job {
	db *d;
	struct put p;
};

static void *put_thread(void *arg)
{
	struct put_job *j = arg;
	j->p.rc = db_write(j->d, put_fn, &j->p);
	return NULL;
}

struct ignore_job {
	db *d;
	struct upsertish u;
	mc_status rc;
};

static void *ignore_thread(void *arg)
{
	struct ignore_job *j = arg;
	j->rc = db_write(j->d, ignore_conflict_fn, &j->u);
	return NULL;
}

/* ---- tests ---- */

static void test_open(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(db_backend_name(f->d), testdb_backend());
	/* A target that cannot be opened is an error with a message. */
	db *d = (db *)1;
	char err[512] = "";
	const char *bad = testdb_is_postgres() ? "postgres://nobody@127.0.0.1:1/none"
					       : "/nonexistent-motcua-dir/sub/motcua.db";
	assert_int_not_equal(db_open(bad, &d, err, sizeof(err)), MC_OK);
	assert_true(strlen(err) > 0);
	assert_ptr_equal(d, (db *)1);
}

/* Migration files meant for this backend, as db_migrate selects them. */
static int expected_migrations(const char *backend)
{
	int n = 0;
	const char *prefix = "db/migrations/";
	for (const struct asset *a = motcua_assets; a->name; a++) {
		if (strncmp(a->name, prefix, strlen(prefix)) != 0)
			continue;
		const char *base = a->name + strlen(prefix);
		size_t len = strlen(base);
		if (len < 5 || strcmp(base + len - 4, ".sql") != 0)
			continue;
		const char *dot = strchr(base, '.');
		size_t dlen = (size_t)(base + len - 4 - dot);
		if (dot != base + len - 4 &&
		    (strlen(backend) != dlen - 1 || strncmp(dot + 1, backend, dlen - 1) != 0))
			continue;
		n++;
	}
	return n;
}

static void test_migrate_once(void **state)
{
	struct fixture *f = *state;
	int want = expected_migrations(db_backend_name(f->d));
	assert_true(want >= 1);
	char err[512] = "";
	int applied = -1;
	mc_status rc = db_migrate(f->d, &applied, err, sizeof(err));
	if (rc != MC_OK)
		print_error("db_migrate: %s\n", err);
	assert_int_equal(rc, MC_OK);
	assert_int_equal(applied, want);
	applied = -1;
	assert_int_equal(db_migrate(f->d, &applied, err, sizeof(err)), MC_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(db_migrate(f->d, NULL, err, sizeof(err)), MC_OK);

	db_result *r = NULL;
	db_conn *c = db_reader(f->d);
	assert_int_equal(db_query(c, f->a, "SELECT version FROM schema_migrations ORDER BY version",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), want);
	assert_string_equal(db_text(r, 0, 0), "0001_init");
	assert_int_equal(db_query(c, f->a,
				  "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
				  DB_ARGS(DB_TEXT("0001_init")), &r),
			 MC_OK);
	assert_int_equal(db_int(r, 0, 0), 1);
	/* The tables of 0001 exist and are empty. */
	assert_int_equal(count_rows(f->d, "feedback"), 0);
	assert_int_equal(count_rows(f->d, "procedure"), 0);

	/* After a reopen nothing runs again. */
	db_close(f->d);
	assert_int_equal(db_open(f->target, &f->d, err, sizeof(err)), MC_OK);
	applied = -1;
	assert_int_equal(db_migrate(f->d, &applied, err, sizeof(err)), MC_OK);
	assert_int_equal(applied, 0);
}

struct exec_job {
	const char *sql;
	const db_arg *args;
	int nargs;
	int64_t changes;
};

static mc_status exec_fn(db_conn *c, void *arg)
{
	struct exec_job *e = arg;
	return db_exec(c, e->sql, e->args, e->nargs, &e->changes);
}

static void test_roundtrip(void **state)
{
	struct fixture *f = *state;
	const char *vi = "Nguyễn Thị Ánh — \"quoted\" 'single' \\ back\nline\ttab";
	const char *inject = "x'); DROP TABLE kv; --";
	assert_int_equal(put(f->d, "vi", vi, INT64_MAX), MC_OK);
	assert_int_equal(put(f->d, "min", "", INT64_MIN), MC_OK);
	assert_int_equal(put(f->d, inject, NULL, -7), MC_OK);

	/* NULL through DB_NULLARG and through DB_TEXT(NULL). */
	const db_arg nul[] = {DB_TEXT("null"), DB_NULLARG, DB_NULLARG};
	struct exec_job e = {"INSERT INTO kv (k, v, n) VALUES ($1, $2, $3)", nul, 3, 0};
	assert_int_equal(db_write(f->d, exec_fn, &e), MC_OK);
	assert_int_equal(e.changes, 1);

	db_conn *c = db_reader(f->d);
	assert_non_null(c);
	assert_ptr_equal(db_reader(f->d), c); /* one per thread */
	db_result *r = NULL;
	assert_int_equal(db_query(c, f->a, "SELECT k, v, n FROM kv WHERE k = $1",
				  DB_ARGS(DB_TEXT("vi")), &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	assert_int_equal(db_ncols(r), 3);
	assert_string_equal(db_text(r, 0, 0), "vi");
	assert_string_equal(db_text(r, 0, 1), vi);
	assert_int_equal(db_len(r, 0, 1), strlen(vi));
	assert_true(db_int(r, 0, 2) == INT64_MAX);
	assert_false(db_isnull(r, 0, 1));

	assert_int_equal(
		db_query(c, f->a, "SELECT v, n FROM kv WHERE k = $1", DB_ARGS(DB_TEXT("min")), &r),
		MC_OK);
	assert_string_equal(db_text(r, 0, 0), ""); /* empty, not NULL */
	assert_false(db_isnull(r, 0, 0));
	assert_int_equal(db_len(r, 0, 0), 0);
	assert_true(db_int(r, 0, 1) == INT64_MIN);

	assert_int_equal(
		db_query(c, f->a, "SELECT v, n FROM kv WHERE k = $1", DB_ARGS(DB_TEXT("null")), &r),
		MC_OK);
	assert_true(db_isnull(r, 0, 0));
	assert_null(db_text(r, 0, 0));
	assert_true(db_isnull(r, 0, 1));
	assert_int_equal(db_int(r, 0, 1), 0);

	/* Parameters are values, never SQL. */
	assert_int_equal(
		db_query(c, f->a, "SELECT k, v FROM kv WHERE k = $1", DB_ARGS(DB_TEXT(inject)), &r),
		MC_OK);
	assert_int_equal(db_nrows(r), 1);
	assert_string_equal(db_text(r, 0, 0), inject);
	assert_true(db_isnull(r, 0, 1));
	assert_int_equal(count_rows(f->d, "kv"), 4);

	/* A parameter used twice, and parameters in another order. */
	const db_arg twice[] = {DB_TEXT("same")};
	e = (struct exec_job){"INSERT INTO kv (k, v, n) VALUES ($1, $1, 1)", twice, 1, 0};
	assert_int_equal(db_write(f->d, exec_fn, &e), MC_OK);
	assert_int_equal(db_query(c, f->a, "SELECT k FROM kv WHERE k = $1 AND v = $1",
				  DB_ARGS(DB_TEXT("same")), &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	const db_arg swapped[] = {DB_TEXT("value-2"), DB_TEXT("key-2")};
	e = (struct exec_job){"INSERT INTO kv (k, v) VALUES ($2, $1)", swapped, 2, 0};
	assert_int_equal(db_write(f->d, exec_fn, &e), MC_OK);
	assert_int_equal(
		db_query(c, f->a, "SELECT v FROM kv WHERE k = $1", DB_ARGS(DB_TEXT("key-2")), &r),
		MC_OK);
	assert_string_equal(db_text(r, 0, 0), "value-2");
	/* Three in another order, one of them twice, the same statement twice. */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(
			db_query(c, f->a,
				 "SELECT $3, k, $1 FROM kv WHERE k = $2 AND v = $1 AND $3 = $3",
				 DB_ARGS(DB_TEXT("value-2"), DB_TEXT("key-2"), DB_INT(7 + i)), &r),
			MC_OK);
		assert_int_equal(db_nrows(r), 1);
		assert_int_equal(db_int(r, 0, 0), 7 + i);
		assert_string_equal(db_text(r, 0, 1), "key-2");
		assert_string_equal(db_text(r, 0, 2), "value-2");
	}

	/* changes counts the rows an UPDATE touched. */
	const db_arg upd[] = {DB_INT(5), DB_TEXT("vi"), DB_TEXT("min")};
	e = (struct exec_job){"UPDATE kv SET n = $1 WHERE k = $2 OR k = $3", upd, 3, -1};
	assert_int_equal(db_write(f->d, exec_fn, &e), MC_OK);
	assert_int_equal(e.changes, 2);

	/* Several rows come back in the order asked for; out-of-range cells
	 * are NULL rather than a crash. */
	assert_int_equal(db_query(c, f->a, "SELECT k FROM kv ORDER BY k", DB_NOARGS, &r), MC_OK);
	assert_int_equal(db_nrows(r), 6);
	for (int i = 1; i < db_nrows(r); i++)
		assert_true(strcmp(db_text(r, i - 1, 0), db_text(r, i, 0)) < 0);
	assert_null(db_text(r, 6, 0));
	assert_null(db_text(r, -1, 0));
	assert_null(db_text(r, 0, 1));
	assert_int_equal(db_len(r, 99, 0), 0);
	assert_int_equal(db_int(r, 0, 5), 0);
	/* An empty result. */
	assert_int_equal(
		db_query(c, f->a, "SELECT k FROM kv WHERE k = $1", DB_ARGS(DB_TEXT("absent")), &r),
		MC_OK);
	assert_int_equal(db_nrows(r), 0);
	assert_int_equal(db_ncols(r), 1);
}

static void test_many_rows_and_long_text(void **state)
{
	struct fixture *f = *state;
	/* One write inserting 500 rows, one of them 1 MB long. */
	static char body[1 << 20];
	memset(body, 'y', sizeof(body) - 1);
	for (int i = 0; i < 500; i++) {
		const db_arg args[] = {DB_INT(i), DB_TEXT(i == 250 ? body : "short")};
		struct exec_job e = {"INSERT INTO big (id, body) VALUES ($1, $2)", args, 2, 0};
		assert_int_equal(db_write(f->d, exec_fn, &e), MC_OK);
	}
	db_result *r = NULL;
	assert_int_equal(db_query(db_reader(f->d), f->a, "SELECT id, body FROM big ORDER BY id",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 500);
	for (int i = 0; i < 500; i++)
		assert_int_equal(db_int(r, i, 0), i);
	assert_int_equal(db_len(r, 250, 1), sizeof(body) - 1);
	assert_memory_equal(db_text(r, 250, 1), body, sizeof(body));
	assert_string_equal(db_text(r, 499, 1), "short");
}

/* More distinct statements than the statement cache holds, each run twice
 * and between runs of one repeated statement: every answer must come from
 * its own statement (an evicted slot is prepared again, never reused for
 * another text). */
static void test_statement_cache_turnover(void **state)
{
	struct fixture *f = *state;
	db_conn *c = db_reader(f->d);
	assert_non_null(c);
	char sql[64];
	db_result *r = NULL;
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < 600; k++) {
			snprintf(sql, sizeof(sql), "SELECT %d + $1", k);
			assert_int_equal(db_query(c, f->a, sql, DB_ARGS(DB_INT(round)), &r), MC_OK);
			assert_int_equal(db_int(r, 0, 0), k + round);
			assert_int_equal(db_query(c, f->a, "SELECT $1 * 2", DB_ARGS(DB_INT(k)), &r),
					 MC_OK);
			assert_int_equal(db_int(r, 0, 0), 2 * k);
		}
	}
}

/* One write larger than the writer's WAL buffer (src/db/walbuf.h, 2 MiB):
 * 48 rows of 96 KiB in one job, then a reader sees every byte. */
static mc_status big_rows_fn(db_conn *c, void *arg)
{
	const char *body = arg;
	for (int i = 0; i < 48; i++) {
		mc_status rc = db_exec(c, "INSERT INTO big (id, body) VALUES ($1, $2)",
				       DB_ARGS(DB_INT(1000 + i), DB_TEXT(body)), NULL);
		if (rc != MC_OK)
			return rc;
	}
	return MC_OK;
}

static void test_write_larger_than_wal_buffer(void **state)
{
	struct fixture *f = *state;
	static char body[96 << 10];
	memset(body, 'z', sizeof(body) - 1);
	assert_int_equal(db_write(f->d, big_rows_fn, body), MC_OK);
	db_result *r = NULL;
	assert_int_equal(db_query(db_reader(f->d), f->a,
				  "SELECT COUNT(*), SUM(LENGTH(body)) FROM big WHERE id >= 1000",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_int(r, 0, 0), 48);
	assert_int_equal(db_int(r, 0, 1), 48 * (int64_t)(sizeof(body) - 1));
}

static void test_conflict(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(put(f->d, "a", "first", 1), MC_OK);
	assert_int_equal(put(f->d, "a", "second", 2), MC_CONFLICT);
	db_result *r = NULL;
	assert_int_equal(db_query(db_reader(f->d), f->a, "SELECT v FROM kv WHERE k = $1",
				  DB_ARGS(DB_TEXT("a")), &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	assert_string_equal(db_text(r, 0, 0), "first");
	struct db_stats s;
	db_get_stats(f->d, &s);
	assert_true(s.failed_writes >= 1);
	/* The writer goes on working after the conflict. */
	assert_int_equal(put(f->d, "b", "fine", 3), MC_OK);
	assert_int_equal(count_key(f->d, "b"), 1);
}

static void test_bad_statements(void **state)
{
	struct fixture *f = *state;
	db_conn *c = db_reader(f->d);
	db_result *r = NULL;
	const db_arg one[] = {DB_TEXT("x")};
	const db_arg three[] = {DB_TEXT("x"), DB_TEXT("y"), DB_TEXT("z")};
	/* Too few, too many, and arguments for a statement without any. */
	assert_int_not_equal(
		db_query(c, f->a, "SELECT k FROM kv WHERE k = $1 OR v = $2", one, 1, &r), MC_OK);
	assert_int_not_equal(
		db_query(c, f->a, "SELECT k FROM kv WHERE k = $1 OR v = $2", three, 3, &r), MC_OK);
	assert_int_not_equal(db_query(c, f->a, "SELECT COUNT(*) FROM kv", one, 1, &r), MC_OK);
	assert_int_not_equal(db_query(c, f->a, "SELECT k FROM kv WHERE k = $1", DB_NOARGS, &r),
			     MC_OK);
	/* A number skipped ($2 missing): wrong with two arguments or three. */
	assert_int_not_equal(db_query(c, f->a, "SELECT k FROM kv WHERE k = $1 OR v = $3",
				      DB_ARGS(DB_TEXT("x"), DB_TEXT("y")), &r),
			     MC_OK);
	assert_int_not_equal(
		db_query(c, f->a, "SELECT k FROM kv WHERE k = $1 OR v = $3", three, 3, &r), MC_OK);
	/* Syntax errors and unknown tables are errors with a message. */
	assert_int_not_equal(db_query(c, f->a, "SELEKT 1", DB_NOARGS, &r), MC_OK);
	assert_true(strlen(db_errmsg(c)) > 0);
	assert_int_not_equal(db_query(c, f->a, "SELECT * FROM no_such_table", DB_NOARGS, &r),
			     MC_OK);
	assert_true(strlen(db_errmsg(c)) > 0);

	/* The same through the writer: an error, and nothing written. */
	struct exec_job e = {"INSERT INTO kv (k, v) VALUES ($1, $2)", one, 1, 0};
	assert_int_not_equal(db_write(f->d, exec_fn, &e), MC_OK);
	e = (struct exec_job){"INSERT INTO kv (k) VALUES ($1)", three, 3, 0};
	assert_int_not_equal(db_write(f->d, exec_fn, &e), MC_OK);
	assert_int_equal(count_rows(f->d, "kv"), 0);

	/* Both connections still work, with the same statements done right. */
	assert_int_equal(db_query(c, f->a, "SELECT k FROM kv WHERE k = $1 OR v = $2",
				  DB_ARGS(DB_TEXT("x"), DB_TEXT("y")), &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 0);
	const db_arg two[] = {DB_TEXT("x"), DB_TEXT("y")};
	e = (struct exec_job){"INSERT INTO kv (k, v) VALUES ($1, $2)", two, 2, 0};
	assert_int_equal(db_write(f->d, exec_fn, &e), MC_OK);
	assert_int_equal(count_key(f->d, "x"), 1);
}

static void test_reader_is_read_only(void **state)
{
	struct fixture *f = *state;
	/* PostgreSQL readers are ordinary sessions; the read-only promise is
	 * SQLite's (query_only). skip() would print "not ok # SKIP", which
	 * scripts/test.sh counts as a failure. */
	if (testdb_is_postgres())
		return;
	db_conn *c = db_reader(f->d);
	assert_int_not_equal(
		db_exec(c, "INSERT INTO kv (k) VALUES ($1)", DB_ARGS(DB_TEXT("sneaky")), NULL),
		MC_OK);
	assert_int_equal(count_key(f->d, "sneaky"), 0);
}

static void test_failed_write_rolls_back_alone(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(put(f->d, "taken", "old", 0), MC_OK);
	struct db_stats before;
	db_get_stats(f->d, &before);

	/* Hold the writer until all three writes below are queued, so they
	 * run in one batch: one fails after inserting, one violates a key,
	 * one succeeds. */
	struct gate g;
	pthread_t gt;
	gate_start(&g, &gt, f->d, 3);
	struct put_job jobs[3] = {
		{f->d, {"bad", "rolled back", 1, MC_INVALID, MC_OK}},
		{f->d, {"taken", "new", 2, MC_OK, MC_OK}},
		{f->d, {"good", "kept", 3, MC_OK, MC_OK}},
	};
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, put_thread, &jobs[i]), 0);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	pthread_join(gt, NULL);
	assert_false(g.timed_out);
	assert_int_equal(g.rc, MC_OK);

	assert_int_equal(jobs[0].p.rc, MC_INVALID);
	assert_int_equal(jobs[1].p.rc, MC_CONFLICT);
	assert_int_equal(jobs[2].p.rc, MC_OK);
	assert_int_equal(count_key(f->d, "bad"), 0);
	assert_int_equal(count_key(f->d, "good"), 1);
	db_result *r = NULL;
	assert_int_equal(db_query(db_reader(f->d), f->a, "SELECT v FROM kv WHERE k = $1",
				  DB_ARGS(DB_TEXT("taken")), &r),
			 MC_OK);
	assert_string_equal(db_text(r, 0, 0), "old");

	struct db_stats after;
	db_get_stats(f->d, &after);
	assert_int_equal(after.writes - before.writes, 4);
	assert_int_equal(after.commits - before.commits, 2); /* the gate, then the three */
	assert_int_equal(after.failed_writes - before.failed_writes, 2);
	assert_int_equal(after.batch_hist[1] - before.batch_hist[1], 1); /* a batch of 2-3 */
}

/* A write that meets a conflict and ignores it (an "insert if absent"),
 * then either stops or goes on to insert a row of its own, sharing a batch
 * with an ordinary write. Whatever the backend makes of the ignored error,
 * a write reported as committed must be in the database. */
static void ignored_error_case(struct fixture *f, const char *mine, const char *other)
{
	struct gate g;
	pthread_t gt;
	gate_start(&g, &gt, f->d, 2);
	struct ignore_job ij = {f->d, {"dup", mine, MC_OK, MC_OK}, MC_OK};
	struct put_job pj = {f->d, {other, "v", 1, MC_OK, MC_OK}};
	pthread_t t1, t2;
	assert_int_equal(pthread_create(&t1, NULL, ignore_thread, &ij), 0);
	assert_int_equal(pthread_create(&t2, NULL, put_thread, &pj), 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_join(gt, NULL);
	assert_false(g.timed_out);
	assert_int_equal(ij.u.first, MC_CONFLICT);
	if (pj.p.rc != MC_OK || count_key(f->d, other) != 1)
		print_error("a write sharing a batch with an ignored error: rc %d, rows %d\n",
			    (int)pj.p.rc, count_key(f->d, other));
	assert_int_equal(pj.p.rc, MC_OK);
	assert_int_equal(count_key(f->d, other), 1);
	if (mine)
		assert_int_equal(count_key(f->d, mine), ij.rc == MC_OK ? 1 : 0);
	assert_int_equal(count_key(f->d, "dup"), 1);
}

static void test_ignored_error_does_not_poison_batch(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(put(f->d, "dup", "old", 0), MC_OK);
	ignored_error_case(f, "mine", "other1");
	ignored_error_case(f, NULL, "other2");
}

enum { NTHREADS = 64 };

static void test_group_commit(void **state)
{
	struct fixture *f = *state;
	struct db_stats before;
	db_get_stats(f->d, &before);

	/* Deterministic: 63 writes queue behind the gate and share a commit. */
	struct gate g;
	pthread_t gt;
	gate_start(&g, &gt, f->d, NTHREADS - 1);
	static struct put_job jobs[NTHREADS];
	static char keys[NTHREADS][16];
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS - 1; i++) {
		snprintf(keys[i], sizeof(keys[i]), "g%02d", i);
		jobs[i] = (struct put_job){f->d, {keys[i], "v", i, MC_OK, MC_OK}};
		assert_int_equal(pthread_create(&t[i], NULL, put_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < NTHREADS - 1; i++)
		pthread_join(t[i], NULL);
	pthread_join(gt, NULL);
	assert_false(g.timed_out);
	struct db_stats after;
	db_get_stats(f->d, &after);
	assert_int_equal(after.writes - before.writes, NTHREADS);
	assert_int_equal(after.commits - before.commits, 2);
	assert_true(after.commits - before.commits < after.writes - before.writes);
	assert_int_equal(after.batch_hist[5] - before.batch_hist[5], 1); /* 32-63 */
	assert_int_equal(after.queue_depth, 0);
	for (int i = 0; i < NTHREADS - 1; i++) {
		assert_int_equal(jobs[i].p.rc, MC_OK);
		assert_int_equal(count_key(f->d, keys[i]), 1);
	}

	/* Free-running: 64 threads at once, no gate. Every write lands, each
	 * commit is counted, and no commit holds fewer than one write. */
	db_get_stats(f->d, &before);
	for (int i = 0; i < NTHREADS; i++) {
		snprintf(keys[i], sizeof(keys[i]), "f%02d", i);
		jobs[i] = (struct put_job){f->d, {keys[i], "v", i, MC_OK, MC_OK}};
		assert_int_equal(pthread_create(&t[i], NULL, put_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	db_get_stats(f->d, &after);
	assert_int_equal(after.writes - before.writes, NTHREADS);
	assert_true(after.commits - before.commits >= 1);
	assert_true(after.commits - before.commits <= NTHREADS);
	uint64_t batches = 0;
	for (int i = 0; i < 8; i++)
		batches += after.batch_hist[i] - before.batch_hist[i];
	assert_int_equal(batches, after.commits - before.commits);
	for (int i = 0; i < NTHREADS; i++) {
		assert_int_equal(jobs[i].p.rc, MC_OK);
		assert_int_equal(count_key(f->d, keys[i]), 1);
	}
	assert_int_equal(count_rows(f->d, "kv"), 2 * NTHREADS - 1);
}

struct reader_job {
	db *d;
	db_conn *conn;
	int64_t seen;
	int ok;
};

static void *reader_thread(void *arg)
{
	struct reader_job *j = arg;
	j->conn = db_reader(j->d);
	if (!j->conn || db_reader(j->d) != j->conn)
		return NULL;
	arena *a = arena_new(0);
	j->ok = 1;
	for (int i = 0; i < 50; i++) {
		db_result *r = NULL;
		if (db_query(j->conn, a, "SELECT COUNT(*), SUM(n) FROM kv WHERE v = $1",
			     DB_ARGS(DB_TEXT("r")), &r) != MC_OK) {
			j->ok = 0;
			break;
		}
		j->seen = db_int(r, 0, 0) * 1000000 + db_int(r, 0, 1);
	}
	arena_free(a);
	return NULL;
}

static void test_readers_in_threads(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 20; i++) {
		char k[16];
		snprintf(k, sizeof(k), "r%d", i);
		assert_int_equal(put(f->d, k, "r", i), MC_OK);
	}
	enum { NR = 8 };
	struct reader_job jobs[NR];
	pthread_t t[NR];
	for (int i = 0; i < NR; i++) {
		jobs[i] = (struct reader_job){f->d, NULL, -1, 0};
		assert_int_equal(pthread_create(&t[i], NULL, reader_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < NR; i++)
		pthread_join(t[i], NULL);
	db_conn *mine = db_reader(f->d);
	for (int i = 0; i < NR; i++) {
		assert_int_equal(jobs[i].ok, 1);
		assert_true(jobs[i].seen == 20 * 1000000 + 190);
		assert_ptr_not_equal(jobs[i].conn, mine);
		for (int k = 0; k < i; k++)
			assert_ptr_not_equal(jobs[i].conn, jobs[k].conn);
	}
}

static void *release_later(void *arg)
{
	struct gate *g = arg;
	sleep_ms(100); /* long enough for db_close to be waiting for the writer */
	atomic_store(&g->hold, false);
	return NULL;
}

static void reopen(struct fixture *f)
{
	char err[512] = "";
	f->d = NULL;
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK)
		print_error("reopen: %s\n", err);
	assert_non_null(f->d);
}

static void test_close_finishes_queued_writes(void **state)
{
	struct fixture *f = *state;
	enum { NQ = 16 };
	/* The gate holds the writer with 16 writes queued; db_close is called
	 * while they wait; every one must still commit. */
	struct gate g;
	pthread_t gt, rt;
	gate_start(&g, &gt, f->d, NQ);
	atomic_store(&g.hold, true);
	struct put_job jobs[NQ];
	char keys[NQ][16];
	pthread_t t[NQ];
	for (int i = 0; i < NQ; i++) {
		snprintf(keys[i], sizeof(keys[i]), "q%02d", i);
		jobs[i] = (struct put_job){f->d, {keys[i], "queued", i, MC_OK, MC_BUSY}};
		assert_int_equal(pthread_create(&t[i], NULL, put_thread, &jobs[i]), 0);
	}
	struct db_stats s = {0};
	for (double start = now_s(); now_s() - start < 30; sleep_ms(1)) {
		db_get_stats(f->d, &s);
		if (s.queue_depth == NQ)
			break;
	}
	assert_int_equal(s.queue_depth, NQ);
	assert_int_equal(pthread_create(&rt, NULL, release_later, &g), 0);
	db_close(f->d);
	f->d = NULL;
	for (int i = 0; i < NQ; i++)
		pthread_join(t[i], NULL);
	pthread_join(rt, NULL);
	pthread_join(gt, NULL);
	assert_false(g.timed_out);
	assert_int_equal(g.rc, MC_OK);
	for (int i = 0; i < NQ; i++)
		assert_int_equal(jobs[i].p.rc, MC_OK);

	reopen(f);
	for (int i = 0; i < NQ; i++)
		assert_int_equal(count_key(f->d, keys[i]), 1);
}

static void test_durable_after_reopen(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 100; i++) {
		char k[16];
		snprintf(k, sizeof(k), "d%03d", i);
		assert_int_equal(put(f->d, k, "Đà Nẵng", i), MC_OK);
	}
	/* This thread's reader of the old handle must not be reused by the
	 * new one. */
	assert_int_equal(count_rows(f->d, "kv"), 100);
	db_close(f->d);
	reopen(f);
	assert_int_equal(count_rows(f->d, "kv"), 100);
	db_result *r = NULL;
	assert_int_equal(
		db_query(db_reader(f->d), f->a, "SELECT k, v, n FROM kv ORDER BY k", DB_NOARGS, &r),
		MC_OK);
	assert_int_equal(db_nrows(r), 100);
	assert_string_equal(db_text(r, 42, 0), "d042");
	assert_string_equal(db_text(r, 42, 1), "Đà Nẵng");
	assert_int_equal(db_int(r, 42, 2), 42);
	/* And the reopened database takes writes. */
	assert_int_equal(put(f->d, "d100", "x", 100), MC_OK);
	assert_int_equal(put(f->d, "d000", "x", 0), MC_CONFLICT);
	db_close(f->d);
	reopen(f);
	assert_int_equal(count_rows(f->d, "kv"), 101);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_rows_and_long_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache_turnover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_larger_than_wal_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_is_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_rolls_back_alone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ignored_error_does_not_poison_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readers_in_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_finishes_queued_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_durable_after_reopen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
