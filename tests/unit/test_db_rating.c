/*
 * test_db_rating.c - satisfaction ratings on SQLite and PostgreSQL: only a
 * returned dossier (status 10) can be rated, only by its applicant, only
 * once (two concurrent submissions from two connections: exactly one
 * wins); scores and texts are checked; only officers of the dossier's
 * agency see it and answer, once; each change leaves its audit entry and
 * the chain verifies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "dbfixture.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/catalogue.h"
#include "domain/procedure.h"
#include "domain/rating.h"
#include "http/router.h"

#define PROC "1.000001"
#define T0   "2026-11-20 09:00:00"
#define T1   "2026-11-27 10:00:00"
#define DONE "000.00.16.H43-261120-0001" /* status 10, applicant cit */
#define NINE "000.00.16.H43-261120-0002" /* status 9, applicant cit */
#define B10  "000.00.17.H43-261120-0001" /* status 10 at agency B, applicant cit2 */

static const struct rating_actor CIT = {"cit", ROLE_CITIZEN, NULL};
static const struct rating_actor CIT2 = {"cit2", ROLE_CITIZEN, NULL};
static const struct rating_actor DESK_A = {"desk-a", ROLE_DESK, "ag-a"};
static const struct rating_actor LEAD_A = {"lead-a", ROLE_LEADER, "ag-a"};
static const struct rating_actor ALL_B = {"all-b", ROLE_DESK | ROLE_LEADER, "ag-b"};
static const int GOOD[RATING_NINDICES] = {2, 1, 2, 0, 2};

static mc_status script_fn(db_conn *c, void *p)
{
	mc_status rc = db_exec(c, p, NULL, -1, NULL);
	if (rc != MC_OK)
		fprintf(stderr, "# %s\n", db_errmsg(c));
	return rc;
}

static mc_status put_proc(db_conn *c, void *p)
{
	return catalogue_put(c, p, NULL);
}

static int setup(void **state)
{
	char err[512] = "";
	if (dbfixture_setup(state, "rating", NULL) != 0)
		return -1;
	struct dbfixture *f = *state;
	json_t *j = json_pack("{s:s,s:s,s:s,s:[s]}", "code", PROC, "name", "Đăng ký khai sinh",
			      "field", "Hộ tịch", "levels", "province");
	struct procedure_rec p;
	if (procedure_from_json(j, f->a, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "# procedure: %s\n", err);
		return -1;
	}
	json_decref(j);
	if (db_write(f->d, put_proc, &p) != MC_OK)
		return -1;
	char *sql =
		"INSERT INTO agency (code, name, level, identifier) VALUES"
		" ('ag-a', 'Sở Tư pháp', 'department', '000.00.16.H43'),"
		" ('ag-b', 'UBND xã Yên Mạc', 'commune', '000.00.17.H43');"
		"INSERT INTO account (id, login, kind, roles, agency_code, full_name, email,"
		" password_hash, created_at) VALUES"
		" ('cit', 'cit', 'citizen', 1, NULL, 'Nguyễn Văn A', '', 'x', '" T0 "'),"
		" ('cit2', 'cit2', 'citizen', 1, NULL, 'Lê Thị B', '', 'x', '" T0 "'),"
		" ('desk-a', 'desk-a', 'officer', 4, 'ag-a', 'Trần Thị Bình', '', 'x', '" T0 "'),"
		" ('lead-a', 'lead-a', 'officer', 16, 'ag-a', 'Hoàng Văn Em', '', 'x', '" T0 "'),"
		" ('all-b', 'all-b', 'officer', 20, 'ag-b', 'Vũ Thị Giang', '', 'x', '" T0 "');"
		"INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status,"
		" created_at, updated_at, submitted_at) VALUES"
		" ('d1', '" DONE "', '" PROC "', 'ag-a', 'cit', 10, '" T0 "', '" T1 "', '" T0 "'),"
		" ('d2', '" NINE "', '" PROC "', 'ag-a', 'cit', 9, '" T0 "', '" T1 "', '" T0 "'),"
		" ('d3', '" B10 "', '" PROC "', 'ag-b', 'cit2', 10, '" T0 "', '" T1 "', '" T0 "');";
	return db_write(f->d, script_fn, sql) == MC_OK ? 0 : -1;
}

static mc_status rate(struct dbfixture *f, const struct rating_actor *who, const char *code,
		      const int *scores, const char *comment, const char **why)
{
	return rating_create(f->d, f->a, who, code, scores, comment, T1, why);
}

static int64_t count(struct dbfixture *f, const char *sql)
{
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), f->a, sql, DB_NOARGS, &r), MC_OK);
	return db_int(r, 0, 0);
}

static void test_only_returned(void **state)
{
	struct dbfixture *f = *state;
	const char *why = NULL;
	struct rating x;
	assert_int_equal(rating_get(f->d, f->a, &CIT, NINE, &x), MC_OK);
	assert_false(x.can_rate);
	assert_int_equal(rate(f, &CIT, NINE, GOOD, NULL, &why), MC_CONFLICT);
	assert_string_equal(why, "rating.error.not_returned");
	assert_int_equal(rating_get(f->d, f->a, &CIT, DONE, &x), MC_OK);
	assert_true(x.can_rate);
	assert_false(x.exists);
	assert_int_equal(rate(f, &CIT, DONE, GOOD, "  Cán bộ nhiệt tình.  ", &why), MC_OK);
	assert_null(why);
	assert_int_equal(rating_get(f->d, f->a, &CIT, DONE, &x), MC_OK);
	assert_true(x.exists);
	assert_false(x.can_rate);
	for (int i = 0; i < RATING_NINDICES; i++)
		assert_int_equal(x.scores[i], GOOD[i]);
	assert_string_equal(x.comment, "Cán bộ nhiệt tình.");
	assert_string_equal(x.created_at, T1);
	assert_null(x.answer);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rating"), 1);
}

static void test_only_applicant(void **state)
{
	struct dbfixture *f = *state;
	const char *why = NULL;
	assert_int_equal(rate(f, &CIT2, DONE, GOOD, NULL, &why), MC_NOT_FOUND);
	assert_int_equal(rate(f, &DESK_A, DONE, GOOD, NULL, &why), MC_NOT_FOUND);
	assert_int_equal(rate(f, &CIT, "000.00.16.H43-261120-0099", GOOD, NULL, &why),
			 MC_NOT_FOUND);
	struct rating x;
	assert_int_equal(rating_get(f->d, f->a, &CIT2, DONE, &x), MC_NOT_FOUND);
	assert_int_equal(rating_get(f->d, f->a, &ALL_B, DONE, &x), MC_NOT_FOUND);
	assert_int_equal(rating_get(f->d, f->a, &DESK_A, DONE, &x), MC_OK);
	assert_false(x.can_rate);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rating"), 0);
}

static void test_checks(void **state)
{
	struct dbfixture *f = *state;
	const char *why = NULL;
	int bad[RATING_NINDICES] = {2, 2, 3, 2, 2};
	assert_int_equal(rate(f, &CIT, DONE, bad, NULL, &why), MC_INVALID);
	assert_string_equal(why, "rating.error.score");
	bad[2] = -1;
	assert_int_equal(rate(f, &CIT, DONE, bad, NULL, &why), MC_INVALID);
	char *longc = malloc(RATING_COMMENT_MAX + 2);
	memset(longc, 'a', RATING_COMMENT_MAX + 1);
	longc[RATING_COMMENT_MAX + 1] = 0;
	assert_int_equal(rate(f, &CIT, DONE, GOOD, longc, &why), MC_INVALID);
	assert_string_equal(why, "rating.error.comment_long");
	longc[RATING_COMMENT_MAX] = 0; /* exactly the limit */
	assert_int_equal(rate(f, &CIT, DONE, GOOD, longc, &why), MC_OK);
	free(longc);
	assert_int_equal(rate(f, &CIT, DONE, GOOD, NULL, &why), MC_CONFLICT);
	assert_string_equal(why, "rating.error.already");
	assert_int_equal(count(f, "SELECT COUNT(*) FROM rating"), 1);
}

struct racer {
	const char *target; /* its own connection to this database, or NULL */
	db *shared;	    /* else this handle, shared with the other thread */
	mc_status rc;
	const char *why;
};

static void *race(void *p)
{
	struct racer *r = p;
	db *d = r->shared;
	char err[256];
	r->rc = MC_INTERNAL;
	if (!d && db_open(r->target, &d, err, sizeof(err)) != MC_OK)
		return NULL;
	arena *a = arena_new(0);
	r->rc = rating_create(d, a, &CIT, DONE, GOOD, "Nhanh.", T1, &r->why);
	arena_free(a);
	if (!r->shared)
		db_close(d);
	return NULL;
}

/* Two submissions at once, several rounds: one wins the first, none the
 * others. On PostgreSQL they come from two connections (two nodes); on
 * SQLite from two threads of one server (one writer per database). */
static void test_concurrent_once(void **state)
{
	struct dbfixture *f = *state;
	bool pg = testdb_is_postgres();
	for (int round = 0; round < 5; round++) {
		struct racer r[2] = {{pg ? f->target : NULL, pg ? NULL : f->d, MC_OK, NULL},
				     {pg ? f->target : NULL, pg ? NULL : f->d, MC_OK, NULL}};
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		int wins = (r[0].rc == MC_OK) + (r[1].rc == MC_OK);
		int lost = (r[0].rc == MC_CONFLICT) + (r[1].rc == MC_CONFLICT);
		if (wins + lost != 2)
			fprintf(stderr, "# round %d: %d %d\n", round, r[0].rc, r[1].rc);
		assert_int_equal(wins, round == 0 ? 1 : 0);
		assert_int_equal(wins + lost, 2);
		for (int i = 0; i < 2; i++)
			if (r[i].rc == MC_CONFLICT)
				assert_string_equal(r[i].why, "rating.error.already");
		assert_int_equal(count(f, "SELECT COUNT(*) FROM rating"), 1);
	}
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'rating.create'"),
			 1);
}

static void test_answer_scope(void **state)
{
	struct dbfixture *f = *state;
	const char *why = NULL;
	assert_int_equal(rating_answer(f->d, f->a, &DESK_A, DONE, "Cảm ơn.", T1, &why),
			 MC_NOT_FOUND); /* nothing rated yet */
	assert_string_equal(why, "rating.error.none");
	assert_int_equal(rate(f, &CIT, DONE, GOOD, "Phải đi lại hai lần.", &why), MC_OK);
	assert_int_equal(rating_answer(f->d, f->a, &ALL_B, DONE, "Cảm ơn.", T1, &why),
			 MC_NOT_FOUND); /* another agency */
	assert_int_equal(rating_answer(f->d, f->a, &CIT, DONE, "Cảm ơn.", T1, &why),
			 MC_NOT_FOUND); /* not an officer */
	assert_int_equal(rating_answer(f->d, f->a, &DESK_A, DONE, "   ", T1, &why), MC_INVALID);
	assert_string_equal(why, "rating.error.empty");
	struct rating x;
	assert_int_equal(rating_get(f->d, f->a, &LEAD_A, DONE, &x), MC_OK);
	assert_true(x.can_answer);
	assert_int_equal(rating_answer(f->d, f->a, &LEAD_A, DONE,
				       "Xin lỗi ông/bà; đơn vị đã chấn chỉnh.", T1, &why),
			 MC_OK);
	assert_int_equal(rating_answer(f->d, f->a, &DESK_A, DONE, "Lần hai.", T1, &why),
			 MC_CONFLICT);
	assert_string_equal(why, "rating.error.answered");
	assert_int_equal(rating_get(f->d, f->a, &CIT, DONE, &x), MC_OK);
	assert_string_equal(x.answer, "Xin lỗi ông/bà; đơn vị đã chấn chỉnh.");
	assert_string_equal(x.answered_by_name, "Hoàng Văn Em");
	assert_false(x.can_answer);
	/* Agency B's officer answers its own dossier, not A's. */
	assert_int_equal(rate(f, &CIT2, B10, GOOD, NULL, &why), MC_OK);
	assert_int_equal(rating_answer(f->d, f->a, &DESK_A, B10, "Sai đơn vị.", T1, &why),
			 MC_NOT_FOUND);
	assert_int_equal(rating_answer(f->d, f->a, &ALL_B, B10, "Cảm ơn.", T1, &why), MC_OK);
}

static void test_audit(void **state)
{
	struct dbfixture *f = *state;
	const char *why = NULL;
	assert_int_equal(rate(f, &CIT, DONE, GOOD, "Tốt.", &why), MC_OK);
	assert_int_equal(rating_answer(f->d, f->a, &DESK_A, DONE, "Cảm ơn.", T1, &why), MC_OK);
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), f->a,
				  "SELECT actor, action, subject FROM audit_log ORDER BY n",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 2);
	assert_string_equal(db_text(r, 0, 0), "cit");
	assert_string_equal(db_text(r, 0, 1), "rating.create");
	assert_string_equal(db_text(r, 0, 2), "dossier:" DONE);
	assert_string_equal(db_text(r, 1, 0), "desk-a");
	assert_string_equal(db_text(r, 1, 1), "rating.answer");
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.entries, 2);
	assert_int_equal(rep.first_broken, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_only_returned, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_only_applicant, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_checks, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_once, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_answer_scope, setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, dbfixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
