/*
 * test_db_jobs.c - job leases (domain/jobs.h) on a real database (SQLite,
 * then PostgreSQL in the second pass of scripts/test.sh): the first node to
 * ask gets a missing or free lease, another node cannot take it while it
 * lasts, the holder renews it, anyone takes it once it has expired, a
 * release hands it over at once and only the holder can release it; and
 * threads racing for one lease through the group-commit writer (several
 * closures in one transaction) leave exactly one winner per round. Races
 * between processes are in tests/integration/it_mail.c (two nodes).
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

#include "core/arena.h"
#include "db/db.h"
#include "domain/jobs.h"
#include "testdb.h"
#include "unit/dbfixture.h"

static struct dbfixture F;

static int group_setup(void **state)
{
	(void)state;
	return dbfixture_open(&F, "jobs", NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	dbfixture_close(&F);
	return 0;
}

static bool take(const char *name, const char *holder, int64_t now, int64_t expires)
{
	bool got = false;
	assert_int_equal(jobs_lease(F.d, name, holder, now, expires, &got), MC_OK);
	return got;
}

/* The holder and expiry stored for name. */
static void stored(const char *name, char *holder, size_t len, int64_t *expires)
{
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(db_reader(F.d), a,
				  "SELECT holder, expires_at FROM job_lease WHERE name = $1",
				  DB_ARGS(DB_TEXT(name)), &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	snprintf(holder, len, "%s", db_text(r, 0, 0));
	*expires = db_int(r, 0, 1);
	arena_free(a);
}

static void test_lease_lifecycle(void **state)
{
	(void)state;
	char holder[64];
	int64_t exp;
	/* Missing row: created and given to the first node. */
	assert_true(take("mail", "node-a", 1000, 1120));
	stored("mail", holder, sizeof(holder), &exp);
	assert_string_equal(holder, "node-a");
	assert_int_equal(exp, 1120);
	/* Another node cannot take it while it lasts, even at its last second. */
	assert_false(take("mail", "node-b", 1001, 1121));
	assert_false(take("mail", "node-b", 1120, 1240));
	stored("mail", holder, sizeof(holder), &exp);
	assert_string_equal(holder, "node-a");
	assert_int_equal(exp, 1120);
	/* The holder renews it. */
	assert_true(take("mail", "node-a", 1100, 1220));
	stored("mail", holder, sizeof(holder), &exp);
	assert_int_equal(exp, 1220);
	/* Expired: the other node takes it, and the old holder cannot renew. */
	assert_true(take("mail", "node-b", 1221, 1341));
	assert_false(take("mail", "node-a", 1222, 1342));
	stored("mail", holder, sizeof(holder), &exp);
	assert_string_equal(holder, "node-b");
	/* Only the holder can release; a release hands over at once. */
	assert_int_equal(jobs_lease_release(F.d, "mail", "node-a"), MC_OK);
	assert_false(take("mail", "node-c", 1230, 1350));
	assert_int_equal(jobs_lease_release(F.d, "mail", "node-b"), MC_OK);
	assert_true(take("mail", "node-c", 1230, 1350));
	/* Leases of different jobs are independent. */
	assert_true(take("reminders", "node-a", 1230, 1350));
	stored("mail", holder, sizeof(holder), &exp);
	assert_string_equal(holder, "node-c");
}

struct racer {
	char name[24];
	int64_t round;
	bool got;
	mc_status st;
};

/* No cmocka assertion here: they may only run on the main thread. */
static void *race(void *p)
{
	struct racer *r = p;
	r->st = jobs_lease(F.d, "race", r->name, r->round * 100, r->round * 100 + 50, &r->got);
	return NULL;
}

/* Eight nodes asking at once: one winner per round; the lease expires
 * between rounds, so each round starts free. */
static void test_lease_race(void **state)
{
	(void)state;
	for (int64_t round = 1; round <= 10; round++) {
		struct racer rs[8];
		pthread_t t[8];
		for (int i = 0; i < 8; i++) {
			snprintf(rs[i].name, sizeof(rs[i].name), "node-%d", i);
			rs[i].round = round;
			rs[i].got = false;
			assert_int_equal(pthread_create(&t[i], NULL, race, &rs[i]), 0);
		}
		int winners = 0;
		for (int i = 0; i < 8; i++) {
			pthread_join(t[i], NULL);
			assert_int_equal(rs[i].st, MC_OK);
			winners += rs[i].got;
		}
		assert_int_equal(winners, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_lifecycle),
		cmocka_unit_test(test_lease_race),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
