/*
 * test_db_sweep.c - the sweep job (domain/sweep.h) on a real database
 * (SQLite, then PostgreSQL in the second pass of scripts/test.sh), with an
 * injected clock: expired reset links, sessions past their end or idle,
 * and old throttle counters go; live ones stay. With SQLite, blob files
 * that no row names go once they are an hour old; named, young and
 * foreign files stay, and a file blob_store_prepare reuses is touched so
 * an in-flight write keeps it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "domain/account.h"
#include "domain/blob.h"
#include "domain/session.h"
#include "domain/sweep.h"
#include "http/upload.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	char target[512];
	db *d;
};

static struct fixture F;

#define NOW 2000000000LL /* the injected clock: 2033-05-18 */

static int group_setup(void **state)
{
	(void)state;
	snprintf(F.dir, sizeof(F.dir), "/tmp/motcua-sweep-XXXXXX");
	if (!mkdtemp(F.dir) || testdb_new(F.dir, F.target, sizeof(F.target)) != 0)
		return -1;
	char err[512] = "";
	if (db_open(F.target, &F.d, err, sizeof(err)) != MC_OK ||
	    db_migrate(F.d, NULL, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "database: %s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	db_close(F.d);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	return system(cmd) == 0 ? 0 : -1;
}

static mc_status sql_fn(db_conn *c, void *p)
{
	return db_exec(c, (const char *)p, NULL, 0, NULL);
}

static void exec(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(db_write(F.d, sql_fn, sql), MC_OK);
}

static long long count(const char *sql)
{
	arena *a = arena_new(0);
	db_result *res;
	assert_int_equal(db_query(db_reader(F.d), a, sql, NULL, 0, &res), MC_OK);
	long long n = db_int(res, 0, 0);
	arena_free(a);
	return n;
}

static void test_expired_rows_go_live_rows_stay(void **state)
{
	(void)state;
	exec("INSERT INTO account (id, login, kind, full_name, password_hash, created_at)"
	     " VALUES ('a1', '037090000001', 'citizen', 'Nguyễn Văn An', 'x',"
	     " '2026-11-29 08:00:00')");
	/* Reset links: expired, expiring exactly now, used and expired, live. */
	exec("INSERT INTO password_reset (token_hash, account_id, expires_at, used_at) VALUES"
	     " ('r1', 'a1', %lld, NULL), ('r2', 'a1', %lld, NULL), ('r3', 'a1', %lld, %lld),"
	     " ('r4', 'a1', %lld, NULL)",
	     NOW - 10, NOW, NOW - 100, NOW - 500, NOW + RESET_TTL);
	/* Sessions: past its end; web idle too long; web just active; api with
	 * an old last_seen but a live expiry (API tokens have no idle limit). */
	exec("INSERT INTO session (token_hash, account_id, kind, created_at, last_seen,"
	     " expires_at) VALUES ('s1', 'a1', 'web', %lld, %lld, %lld),"
	     " ('s2', 'a1', 'web', %lld, %lld, %lld), ('s3', 'a1', 'web', %lld, %lld, %lld),"
	     " ('s4', 'a1', 'api', %lld, %lld, %lld)",
	     NOW - SESSION_MAX, NOW - 60, NOW - 1, NOW - 3600, NOW - SESSION_IDLE, NOW + 3600,
	     NOW - 3600, NOW - 60, NOW + 3600, NOW - 86400, NOW - 86400, NOW + 86400);
	exec("INSERT INTO throttle (key, window_start, count) VALUES ('addr:old', %lld, 9),"
	     " ('addr:new', %lld, 2)",
	     NOW - 2 * THROTTLE_WINDOW - 1, NOW - 60);

	struct sweep_counts n = {0};
	assert_int_equal(sweep_expired(F.d, NOW, &n), MC_OK);
	assert_int_equal(n.resets, 3);
	assert_int_equal(n.sessions, 2);
	assert_int_equal(n.throttles, 1);
	assert_int_equal(count("SELECT COUNT(*) FROM password_reset WHERE token_hash = 'r4'"), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM password_reset"), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM session WHERE token_hash IN ('s3', 's4')"), 2);
	assert_int_equal(count("SELECT COUNT(*) FROM session"), 2);
	assert_int_equal(count("SELECT COUNT(*) FROM throttle WHERE key = 'addr:new'"), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM throttle"), 1);

	/* Again at the same time: nothing more (safe to run twice). */
	n = (struct sweep_counts){0};
	assert_int_equal(sweep_expired(F.d, NOW, &n), MC_OK);
	assert_int_equal(n.resets + n.sessions + n.throttles, 0);
	/* Later, the rest has run out too. */
	assert_int_equal(sweep_expired(F.d, NOW + 2 * 86400, &n), MC_OK);
	assert_int_equal(count("SELECT COUNT(*) FROM password_reset"), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM session"), 0);
}

/* ---- blob files ---- */

static const char *hash_of(char c)
{
	static char h[4][65];
	static int k;
	char *o = h[k++ % 4];
	memset(o, c, 64);
	o[0] = 'a';
	o[1] = 'b';
	o[64] = '\0';
	return o;
}

/* DIR/blobs/ab/<name> with a few bytes, modified age seconds before now. */
static void put_file(const char *name, time_t now, time_t age, char *path, size_t len)
{
	char dir[256];
	snprintf(dir, sizeof(dir), "%s/blobs", F.dir);
	mkdir(dir, 0750);
	snprintf(dir, sizeof(dir), "%s/blobs/ab", F.dir);
	mkdir(dir, 0750);
	snprintf(path, len, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("%PDF-1.4\n", f);
	fclose(f);
	struct timespec ts[2] = {{now - age, 0}, {now - age, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void test_unnamed_old_blob_files_go(void **state)
{
	(void)state;
	time_t now = time(NULL);
	char orphan[320], young[320], named[320], foreign[320];
	put_file(hash_of('1'), now, SWEEP_BLOB_AGE + 60, orphan, sizeof(orphan));
	put_file(hash_of('2'), now, 60, young, sizeof(young));
	const char *h3 = hash_of('3');
	put_file(h3, now, 2 * SWEEP_BLOB_AGE, named, sizeof(named));
	put_file("notes.txt", now, 2 * SWEEP_BLOB_AGE, foreign, sizeof(foreign));
	exec("INSERT INTO blob (hash, size, mime, created_at) VALUES ('%s', 9,"
	     " 'application/pdf', '2026-11-29 08:00:00')",
	     h3);

	struct sweep_counts n = {0};
	assert_int_equal(sweep_blobs(F.d, F.dir, now, 0, &n), MC_OK);
	if (strcmp(testdb_backend(), "sqlite") != 0) {
		/* PostgreSQL keeps its bytes in rows: the directory is not its store. */
		assert_int_equal(n.blobs, 0);
		assert_true(exists(orphan));
		return;
	}
	assert_int_equal(n.blobs, 1);
	assert_false(exists(orphan));
	assert_true(exists(young));
	assert_true(exists(named));
	assert_true(exists(foreign));
	/* An hour later the young one has become an orphan too. */
	assert_int_equal(sweep_blobs(F.d, F.dir, now + SWEEP_BLOB_AGE, 0, &n), MC_OK);
	assert_false(exists(young));
	assert_true(exists(named));
}

static void test_a_reused_file_is_touched_and_kept(void **state)
{
	(void)state;
	time_t now = time(NULL);
	char stored[320], tmp[320];
	const char *h = hash_of('4');
	/* Left by a write that rolled back two hours ago... */
	put_file(h, now, 2 * SWEEP_BLOB_AGE, stored, sizeof(stored));
	/* ...and the same bytes uploaded again now: prepare reuses the file. */
	snprintf(tmp, sizeof(tmp), "%s/upload.tmp", F.dir);
	FILE *f = fopen(tmp, "w");
	assert_non_null(f);
	fputs("%PDF-1.4\n", f);
	fclose(f);
	struct upload_file u = {.field = "doc_0",
				.name = "a.pdf",
				.path = tmp,
				.size = 9,
				.mime = "application/pdf"};
	memcpy(u.sha256, h, 65);
	assert_int_equal(blob_store_prepare(F.dir, "sqlite", &u), MC_OK);
	struct stat st;
	assert_int_equal(stat(stored, &st), 0);
	assert_true(st.st_mtime + 60 >= now);
	struct sweep_counts n = {0};
	assert_int_equal(sweep_blobs(F.d, F.dir, now, 0, &n), MC_OK);
	assert_int_equal(n.blobs, 0);
	assert_true(exists(stored));
	unlink(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expired_rows_go_live_rows_stay),
		cmocka_unit_test(test_unnamed_old_blob_files_go),
		cmocka_unit_test(test_a_reused_file_is_touched_and_kept),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
