/*
 * test_format.c - Vietnamese presentation (core/format.h): ISO dates and
 * date-times as dd/mm/yyyy and HH:MM, anything else returned unchanged,
 * thousands separated by dots down to INT64_MIN, and money as "... đ".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/format.h"

static int setup(void **state)
{
	*state = arena_new(0);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void test_datetime(void **state)
{
	arena *a = *state;
	assert_string_equal(format_datetime_vn(a, "2026-11-28 09:15:02"), "28/11/2026 09:15");
	assert_string_equal(format_datetime_vn(a, "2026-11-28 09:15"), "28/11/2026 09:15");
	assert_string_equal(format_datetime_vn(a, "2026-11-28T23:59:59Z"), "28/11/2026 23:59");
	assert_string_equal(format_datetime_vn(a, "2026-01-02"), "02/01/2026");
	assert_string_equal(format_datetime_vn(a, "1999-12-31 00:00:00"), "31/12/1999 00:00");
	/* A time that is cut short leaves just the date. */
	/* Anything that is not a whole date (and time) comes back unchanged. */
	assert_string_equal(format_datetime_vn(a, "2026-11-28 09"), "2026-11-28 09");
	assert_string_equal(format_datetime_vn(a, "2026-11-28 09:1x"), "2026-11-28 09:1x");
	assert_string_equal(format_datetime_vn(a, "2026-11-28garbage"), "2026-11-28garbage");
	assert_string_equal(format_datetime_vn(a, "2026-13-45"), "2026-13-45");
	assert_string_equal(format_datetime_vn(a, "2026-11-28 10:25:24.978222+07"),
			    "28/11/2026 10:25");
}

static void test_datetime_garbage_unchanged(void **state)
{
	arena *a = *state;
	static const char *const junk[] = {
		"",	      "hôm nay",     "2026/11/28", "28-11-2026", "26-11-28",
		"2026-11-2",  "2026-1-28",   "20261128",   "2026-11-xx", "abcd-ef-gh",
		"2026 11 28", "-2026-11-28", "2026-11",	   "    -  -  ",
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		const char *out = format_datetime_vn(a, junk[i]);
		if (strcmp(out, junk[i]) != 0)
			print_error("\"%s\" became \"%s\"\n", junk[i], out);
		assert_string_equal(out, junk[i]);
	}
}

static void thousands_is(arena *a, int64_t n, const char *want)
{
	const char *got = format_thousands(a, n);
	if (strcmp(got, want) != 0)
		print_error("%lld: got \"%s\", wanted \"%s\"\n", (long long)n, got, want);
	assert_string_equal(got, want);
}

static void test_thousands(void **state)
{
	arena *a = *state;
	thousands_is(a, 0, "0");
	thousands_is(a, 7, "7");
	thousands_is(a, 999, "999");
	thousands_is(a, 1000, "1.000");
	thousands_is(a, 1001, "1.001");
	thousands_is(a, 10000, "10.000");
	thousands_is(a, 100000, "100.000");
	thousands_is(a, 999999, "999.999");
	thousands_is(a, 1000000, "1.000.000");
	thousands_is(a, 1500000, "1.500.000");
	thousands_is(a, 123456789, "123.456.789");
	thousands_is(a, -1, "-1");
	thousands_is(a, -999, "-999");
	thousands_is(a, -1000, "-1.000");
	thousands_is(a, -1500000, "-1.500.000");
	thousands_is(a, INT64_MAX, "9.223.372.036.854.775.807");
	thousands_is(a, INT64_MIN, "-9.223.372.036.854.775.808");
	thousands_is(a, INT64_MIN + 1, "-9.223.372.036.854.775.807");
}

static void test_money(void **state)
{
	arena *a = *state;
	assert_string_equal(format_money_vnd(a, 1500000), "1.500.000 đ");
	assert_string_equal(format_money_vnd(a, 0), "0 đ");
	assert_string_equal(format_money_vnd(a, 500), "500 đ");
	assert_string_equal(format_money_vnd(a, -25000), "-25.000 đ");
	assert_string_equal(format_money_vnd(a, INT64_MIN), "-9.223.372.036.854.775.808 đ");
	/* "đ" is U+0111, two bytes in UTF-8. */
	const char *m = format_money_vnd(a, 1);
	assert_int_equal(strlen(m), 4);
	assert_memory_equal(m + 2, "\xc4\x91", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_datetime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_datetime_garbage_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thousands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_money, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
