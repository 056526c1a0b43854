/*
 * test_db_sync.c - the national sync export on SQLite and PostgreSQL:
 * pages in change order without drafts, a stored cursor gets exactly the
 * later changes (once, in their latest state), paging by limit neither
 * skips nor repeats, malformed cursors are refused, and under concurrent
 * writers (two connections on PostgreSQL) a reader polling with its cursor
 * ends with every dossier's final state and never sees a number twice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testdb.h"
#include "dbfixture.h"
#include "db/db.h"
#include "domain/catalogue.h"
#include "domain/procedure.h"
#include "domain/sync.h"

#define PROC  "1.000001"
#define T0    "2026-11-20 09:00:00"
#define NDOSS 8

static mc_status script_fn(db_conn *c, void *p)
{
	mc_status rc = db_exec(c, p, NULL, -1, NULL);
	if (rc != MC_OK)
		fprintf(stderr, "# %s\n", db_errmsg(c));
	return rc;
}

static void script(db *d, const char *sql)
{
	assert_int_equal(db_write(d, script_fn, (void *)sql), MC_OK);
}

static mc_status put_proc(db_conn *c, void *p)
{
	return catalogue_put(c, p, NULL);
}

/* Dossier n (1-based): code ...-000n, status 2; id "d<n>". */
static void add_dossier(struct dbfixture *f, int n, const char *code)
{
	char sql[512];
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO dossier (id, code, procedure_code, agency_code, status, channel,"
		" created_at, updated_at, submitted_at, received_at, due_at) VALUES ('d%d', %s%s%s,"
		" '" PROC "', 'ag-a', %d, 1, '" T0 "', '" T0 "', '" T0 "', '" T0 "',"
		" '2026-11-27 17:00:00')",
		n, code ? "'" : "", code ? code : "NULL", code ? "'" : "", code ? 2 : 0);
	script(f->d, sql);
}

static int setup(void **state)
{
	char err[512] = "";
	if (dbfixture_setup(state, "sync", NULL) != 0)
		return -1;
	struct dbfixture *f = *state;
	json_t *j = json_pack("{s:s,s:s,s:s,s:[s]}", "code", PROC, "name", "Đăng ký khai sinh",
			      "field", "Hộ tịch", "levels", "province");
	struct procedure_rec p;
	if (procedure_from_json(j, f->a, &p, err, sizeof(err)) != 0)
		return -1;
	json_decref(j);
	if (db_write(f->d, put_proc, &p) != MC_OK)
		return -1;
	script(f->d, "INSERT INTO agency (code, name, level, identifier) VALUES"
		     " ('ag-a', 'Sở Tư pháp', 'department', '000.00.16.H43')");
	return 0;
}

static struct sync_page page(struct dbfixture *f, const char *cursor, int limit)
{
	struct sync_page pg;
	assert_int_equal(sync_page(f->d, f->a, cursor, limit, &pg), MC_OK);
	return pg;
}

static void test_cursor(void **state)
{
	struct dbfixture *f = *state;
	add_dossier(f, 1, "000.00.16.H43-261120-0001");
	add_dossier(f, 2, NULL); /* a draft */
	add_dossier(f, 3, "000.00.16.H43-261120-0002");
	struct sync_page pg = page(f, NULL, 0);
	assert_int_equal(pg.n, 2);
	assert_false(pg.more);
	assert_string_equal(pg.rows[0].code, "000.00.16.H43-261120-0001");
	assert_string_equal(pg.rows[1].code, "000.00.16.H43-261120-0002");
	assert_true(pg.rows[0].seq < pg.rows[1].seq);
	json_t *j = sync_row_json(f->a, &pg.rows[0]);
	assert_string_equal(json_string_value(json_object_get(j, "received")),
			    "2026-11-20T09:00:00+07:00");
	assert_string_equal(json_string_value(json_object_get(j, "agency_identifier")),
			    "000.00.16.H43");
	assert_true(json_is_null(json_object_get(j, "finished")));
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 2);
	json_decref(j);
	const char *cur = pg.next_cursor;
	/* Nothing new: an empty page keeps the cursor. */
	pg = page(f, cur, 0);
	assert_int_equal(pg.n, 0);
	assert_string_equal(pg.next_cursor, cur);
	/* Changes after the cursor come once, latest state, in change order;
	 * the draft turning into a dossier shows up too. */
	script(f->d, "UPDATE dossier SET status = 4 WHERE id = 'd3'");
	script(f->d, "UPDATE dossier SET status = 9, finished_at = '2026-11-26 10:00:00'"
		     " WHERE id = 'd1'");
	script(f->d, "UPDATE dossier SET status = 10 WHERE id = 'd1'");
	script(f->d, "UPDATE dossier SET code = '000.00.16.H43-261120-0003', status = 1"
		     " WHERE id = 'd2'");
	pg = page(f, cur, 0);
	assert_int_equal(pg.n, 3);
	assert_string_equal(pg.rows[0].code, "000.00.16.H43-261120-0002");
	assert_int_equal(pg.rows[0].status, 4);
	assert_string_equal(pg.rows[1].code, "000.00.16.H43-261120-0001");
	assert_int_equal(pg.rows[1].status, 10);
	assert_string_equal(pg.rows[1].finished_at, "2026-11-26 10:00:00");
	assert_string_equal(pg.rows[2].code, "000.00.16.H43-261120-0003");
	assert_int_equal(page(f, pg.next_cursor, 0).n, 0);
}

static void test_limit_pages(void **state)
{
	struct dbfixture *f = *state;
	char code[64];
	for (int i = 1; i <= 7; i++) {
		snprintf(code, sizeof(code), "000.00.16.H43-261120-%04d", i);
		add_dossier(f, i, code);
	}
	const char *cur = SYNC_CURSOR_START;
	int seen[8] = {0}, sizes[4] = {0}, pages = 0;
	for (bool more = true; more && pages < 4; pages++) {
		struct sync_page pg = page(f, cur, 3);
		sizes[pages] = pg.n;
		for (int i = 0; i < pg.n; i++)
			seen[(int)strtol(pg.rows[i].code + 21, NULL, 10)]++;
		more = pg.more;
		cur = pg.next_cursor;
	}
	assert_int_equal(sizes[0], 3);
	assert_int_equal(sizes[1], 3);
	assert_int_equal(sizes[2], 1);
	for (int i = 1; i <= 7; i++)
		assert_int_equal(seen[i], 1);
}

static void test_bad_cursor(void **state)
{
	struct dbfixture *f = *state;
	struct sync_page pg;
	static const char *const bad[] = {
		"x", "c", "c-1", "c01", "1", "c1a", "c99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sync_page(f->d, f->a, bad[i], 0, &pg), MC_INVALID);
	assert_int_equal(sync_page(f->d, f->a, "c0", SYNC_PAGE_MAX + 1, &pg), MC_INVALID);
	assert_int_equal(sync_page(f->d, f->a, "c0", -1, &pg), MC_INVALID);
	assert_int_equal(sync_page(f->d, f->a, "c12", 1, &pg), MC_OK);
}

/* ---- concurrent writers and a polling reader ---- */

struct writer {
	struct dbfixture *f;
	int w;
	mc_status rc;
};

static volatile int writers_left;

static void *write_loop(void *p)
{
	struct writer *x = p;
	db *d = x->f->d;
	char err[256];
	if (testdb_is_postgres() && db_open(x->f->target, &d, err, sizeof(err)) != MC_OK) {
		x->rc = MC_INTERNAL;
		return NULL;
	}
	for (int k = 1; k <= 120 && x->rc == MC_OK; k++) {
		char sql[256];
		snprintf(sql, sizeof(sql),
			 "UPDATE dossier SET finished_at = '2026-12-0%d %02d:%02d:00'"
			 " WHERE id = 'd%d'",
			 x->w + 1, k / 60, k % 60, 1 + (k * 3 + x->w) % NDOSS);
		x->rc = db_write(d, script_fn, sql);
	}
	if (d != x->f->d)
		db_close(d);
	__atomic_sub_fetch(&writers_left, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_concurrent(void **state)
{
	struct dbfixture *f = *state;
	char code[64];
	for (int i = 1; i <= NDOSS; i++) {
		snprintf(code, sizeof(code), "000.00.16.H43-261120-%04d", i);
		add_dossier(f, i, code);
	}
	const char *last[NDOSS + 1] = {0};
	char cur[32] = SYNC_CURSOR_START;
	int64_t prev = 0;
	writers_left = 2;
	struct writer w[2] = {{f, 0, MC_OK}, {f, 1, MC_OK}};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, write_loop, &w[i]), 0);
	for (int round = 0;; round++) {
		bool done = __atomic_load_n(&writers_left, __ATOMIC_SEQ_CST) == 0;
		struct sync_page pg = page(f, cur, 5);
		for (int i = 0; i < pg.n; i++) {
			assert_true(pg.rows[i].seq > prev); /* never twice, never back */
			prev = pg.rows[i].seq;
			last[(int)strtol(pg.rows[i].code + 21, NULL, 10)] = pg.rows[i].finished_at;
		}
		snprintf(cur, sizeof(cur), "%s", pg.next_cursor);
		if (done && !pg.more)
			break;
		if (pg.n == 0)
			usleep(1000);	     /* the writers are slow to commit: poll gently */
		assert_true(round < 600000); /* ten minutes of empty polls: a hang */
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].rc, MC_OK);
	}
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), f->a,
				  "SELECT code, finished_at FROM dossier ORDER BY code", DB_NOARGS,
				  &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), NDOSS);
	for (int i = 0; i < NDOSS; i++) {
		const char *want = db_isnull(r, i, 1) ? NULL : db_text(r, i, 1);
		const char *got = last[i + 1];
		if (!want || !got || strcmp(want, got) != 0)
			fail_msg("%s: final %s, the reader has %s", db_text(r, i, 0),
				 want ? want : "NULL", got ? got : "NULL");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cursor, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_limit_pages, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_cursor, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup, dbfixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
