/*
 * test_lookup.c - the pieces of the public dossier lookup that need no
 * database: the dossier code shape (a table of good and bad codes), codes
 * typed in lower case, status and timeline wording from the catalogues in
 * both languages, and the per-address budget (core/ratelimit.h): limit,
 * window, Retry-After, IPv6 per /64, bounded memory, many threads at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/ratelimit.h"
#include "domain/lookup.h"

static void test_code_shape(void **state)
{
	static const char *const good[] = {
		"000.00.16.H43-261128-0001",
		"G22.34.01.A12-991231-9999",
		"ABC.DE.FG.HIJ-000000-0000",
		"123.45.67.Z00-260101-0042",
	};
	static const char *const bad[] = {
		"",
		"000.00.16.H43-261128-001",   /* 3-digit sequence */
		"000.00.16.H43-261128-00011", /* 5-digit sequence */
		"000.00.16.H43-26112-0001",   /* 5-digit date */
		"000.00.16.043-261128-0001",  /* M must be a letter */
		"000.00.16.h43-261128-0001",  /* lower case (the pages upper-case first) */
		"000.00.16.H43_261128_0001",  /* wrong separators */
		"000-00.16.H43-261128-0001",
		"00.00.16.H43-261128-0001",
		"000.00.16.H43-26112A-0001",
		"000.00.16.H43-261128-0001 ",
		" 000.00.16.H43-261128-0001",
		"000.00.16.H4\xc3\x8a-261128-0001", /* a letter outside ASCII */
		"000.00.16.H43-261128-0001\n",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!lookup_code_valid(good[i]))
			fail_msg("refused '%s'", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (lookup_code_valid(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
	assert_false(lookup_code_valid(NULL));

	arena *a = arena_new(0);
	assert_string_equal(lookup_code_upper(a, "000.00.16.h43-261128-0001"),
			    "000.00.16.H43-261128-0001");
	assert_true(lookup_code_valid(lookup_code_upper(a, "abc.de.fg.hij-000000-0000")));
	arena_free(a);
}

static void test_status_words(void **state)
{
	char err[256];
	assert_int_equal(i18n_init(err, sizeof(err)), 0);
	/* The national portal's own wording. */
	static const char *const vi[] = {NULL,
					 "Mới đăng ký",
					 "Được tiếp nhận",
					 "Không được tiếp nhận",
					 "Đang xử lý",
					 "Yêu cầu bổ sung giấy tờ",
					 "Yêu cầu thực hiện nghĩa vụ tài chính",
					 "Công dân yêu cầu rút hồ sơ",
					 "Dừng xử lý",
					 "Đã xử lý xong",
					 "Đã trả kết quả"};
	for (int s = 1; s <= DOSSIER_STATUS_MAX; s++) {
		assert_string_equal(lookup_status_name(LANG_VI, s), vi[s]);
		assert_string_not_equal(lookup_status_name(LANG_EN, s), vi[s]);
	}
	assert_string_equal(lookup_status_name(LANG_EN, 4), "Being processed");
	assert_string_equal(lookup_status_name(LANG_VI, 11), "?");
	assert_string_equal(lookup_status_name(LANG_VI, -1), "?");

	struct lookup_event named = {"2026-11-28 09:15:02", "submitted", 1};
	struct lookup_event unnamed = {"2026-11-28 09:15:02", "an_action_nobody_named", 5};
	struct lookup_event hostile = {"2026-11-28 09:15:02", "../../etc", 9};
	assert_string_equal(lookup_action_name(LANG_VI, &named), "Nộp hồ sơ trực tuyến");
	assert_string_equal(lookup_action_name(LANG_EN, &named), "Submitted online");
	assert_string_equal(lookup_action_name(LANG_VI, &unnamed), "Yêu cầu bổ sung giấy tờ");
	assert_string_equal(lookup_action_name(LANG_VI, &hostile), "Đã xử lý xong");
	i18n_release();
}

static void test_budget(void **state)
{
	ratelimit *rl = ratelimit_new(3, 300, 100);
	unsigned retry = 0;
	time_t t = 1000000;
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_hit(rl, "203.0.113.5", t + i, &retry));
	assert_false(ratelimit_hit(rl, "203.0.113.5", t + 10, &retry));
	assert_int_equal(retry, 290);
	/* A refused lookup is not counted and does not extend the window. */
	assert_false(ratelimit_hit(rl, "203.0.113.5", t + 299, &retry));
	assert_int_equal(retry, 1);
	/* Others are not affected. */
	assert_true(ratelimit_hit(rl, "203.0.113.6", t + 10, &retry));
	/* The next window starts afresh. */
	assert_true(ratelimit_hit(rl, "203.0.113.5", t + 300, &retry));
	assert_true(ratelimit_hit(rl, "203.0.113.5", t + 301, &retry));
	assert_true(ratelimit_hit(rl, "203.0.113.5", t + 302, &retry));
	assert_false(ratelimit_hit(rl, "203.0.113.5", t + 303, &retry));
	/* A clock that jumps back starts a new window rather than locking out. */
	assert_true(ratelimit_hit(rl, "203.0.113.5", t - 50, &retry));
	ratelimit_free(rl);
}

static void test_ipv6_per_64(void **state)
{
	ratelimit *rl = ratelimit_new(2, 60, 100);
	time_t t = 5000;
	assert_true(ratelimit_hit(rl, "2001:db8:aa:bb::1", t, NULL));
	assert_true(ratelimit_hit(rl, "2001:db8:aa:bb:1:2:3:4", t, NULL));
	assert_false(ratelimit_hit(rl, "2001:0db8:00aa:00bb::ffff", t, NULL));
	assert_true(ratelimit_hit(rl, "2001:db8:aa:bc::1", t, NULL));
	assert_int_equal(ratelimit_size(rl), 2);
	/* Text that is no address is still a key of its own. */
	assert_true(ratelimit_hit(rl, "not:an:address", t, NULL));
	assert_true(ratelimit_hit(rl, "", t, NULL));
	ratelimit_free(rl);
}

static void test_memory_bounded(void **state)
{
	ratelimit *rl = ratelimit_new(1, 60, 50);
	char key[32];
	/* 200 addresses in one window: never more than 50 tracked; the oldest
	 * windows go first. */
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
		assert_true(ratelimit_hit(rl, key, 100 + i / 10, NULL));
		assert_true(ratelimit_size(rl) <= 50);
	}
	/* The most recent addresses are still counted. */
	assert_false(ratelimit_hit(rl, "10.0.0.199", 120, NULL));
	/* Expired windows are swept when room is needed. */
	assert_true(ratelimit_hit(rl, "192.0.2.1", 1000, NULL));
	assert_int_equal(ratelimit_size(rl), 1);
	ratelimit_free(rl);
}

#define THREADS 4
#define HITS	5000

static ratelimit *shared;
static int allowed[THREADS];

static void *hammer(void *arg)
{
	int id = (int)(intptr_t)arg;
	for (int i = 0; i < HITS; i++)
		allowed[id] +=
			ratelimit_hit(shared, i % 2 ? "198.51.100.1" : "198.51.100.2", 7000, NULL);
	return NULL;
}

static void test_threads_count_exactly(void **state)
{
	shared = ratelimit_new(1000, 60, 10);
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, hammer, (void *)(intptr_t)i), 0);
	int total = 0;
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		total += allowed[i];
	}
	/* Exactly the limit for each of the two addresses, no more, no less. */
	assert_int_equal(total, 2000);
	ratelimit_free(shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_shape),     cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_budget),	       cmocka_unit_test(test_ipv6_per_64),
		cmocka_unit_test(test_memory_bounded), cmocka_unit_test(test_threads_count_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
