/*
 * test_rowid.c - new row ids (core/rowid.h): 32 lower-case hex digits,
 * the first 12 the creation time in milliseconds, so that ids made later
 * sort after earlier ones; the random tail makes ids of the same
 * millisecond differ.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rowid.h"

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void test_shape(void **state)
{
	(void)state;
	char id[ROWID_LEN + 1];
	rowid_new(id);
	assert_int_equal(strlen(id), ROWID_LEN);
	assert_int_equal(strspn(id, "0123456789abcdef"), ROWID_LEN);
}

static void test_time_prefix(void **state)
{
	(void)state;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t before = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	char id[ROWID_LEN + 1];
	rowid_new(id);
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t after = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	char prefix[13];
	memcpy(prefix, id, 12);
	prefix[12] = '\0';
	uint64_t ms = strtoull(prefix, NULL, 16);
	assert_true(ms >= before && ms <= after);
}

static void test_later_sorts_after(void **state)
{
	(void)state;
	char a[ROWID_LEN + 1], b[ROWID_LEN + 1];
	rowid_new(a);
	struct timespec pause = {0, 2 * 1000 * 1000}; /* 2 ms: another millisecond */
	nanosleep(&pause, NULL);
	rowid_new(b);
	assert_true(strcmp(a, b) < 0);
}

static void test_same_millisecond_differs(void **state)
{
	(void)state;
	enum { N = 1000 };
	static char ids[N][ROWID_LEN + 1];
	for (int i = 0; i < N; i++)
		rowid_new(ids[i]);
	for (int i = 1; i < N; i++) {
		assert_string_not_equal(ids[i - 1], ids[i]);
	}
}

/* The random tails come from a per-thread pool refilled in blocks: tails
 * made by two threads, across several refills, never repeat. */
enum { PER_THREAD = 700 };
static char tails[2 * PER_THREAD][21];

static void *make_tails(void *arg)
{
	char(*out)[21] = arg;
	char id[ROWID_LEN + 1];
	for (int i = 0; i < PER_THREAD; i++) {
		rowid_new(id);
		memcpy(out[i], id + 12, 21);
	}
	return NULL;
}

static int cmp_tail(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_tails_differ_across_threads(void **state)
{
	(void)state;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, make_tails, tails[PER_THREAD]), 0);
	make_tails(tails[0]);
	pthread_join(t, NULL);
	qsort(tails, 2 * PER_THREAD, sizeof(tails[0]), cmp_tail);
	for (int i = 1; i < 2 * PER_THREAD; i++)
		assert_string_not_equal(tails[i - 1], tails[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_time_prefix),
		cmocka_unit_test(test_later_sorts_after),
		cmocka_unit_test(test_same_millisecond_differs),
		cmocka_unit_test(test_tails_differ_across_threads),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
