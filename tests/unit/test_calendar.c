/*
 * test_calendar.c - the lunar calendar against published dates (Tết in the
 * years where Vietnam differs from China, leap months), a round trip over
 * seventy years of days, the default holidays with compensatory days,
 * overrides, and due dates around the cut-off and Tết.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/lunar.h"

static void check_tet(int year, int month, int day)
{
	struct solar_date s;
	assert_true(lunar_to_solar((struct lunar_date){year, 1, 1, false}, &s));
	assert_int_equal(s.year, year);
	assert_int_equal(s.month, month);
	assert_int_equal(s.day, day);
	struct lunar_date l = solar_to_lunar(s);
	assert_int_equal(l.year, year);
	assert_int_equal(l.month, 1);
	assert_int_equal(l.day, 1);
	assert_false(l.leap);
}

static void test_tet_dates(void **state)
{
	check_tet(1985, 1, 21); /* China: 20 February 1985 */
	check_tet(2007, 2, 17); /* China: 18 February */
	check_tet(2020, 1, 25);
	check_tet(2023, 1, 22);
	check_tet(2024, 2, 10);
	check_tet(2025, 1, 29);
	check_tet(2026, 2, 17);
	check_tet(2030, 2, 2);	/* China: 3 February */
	check_tet(2053, 2, 18); /* China: 19 February */
}

static void test_leap_months(void **state)
{
	assert_int_equal(lunar_leap_month(2020), 4);
	assert_int_equal(lunar_leap_month(2023), 2);
	assert_int_equal(lunar_leap_month(2025), 6);
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(2026), 0);
	/* Vietnam's leap month of 1985 (China's was the 10th month of 1984). */
	assert_int_equal(lunar_leap_month(1985), 2);
	assert_int_equal(lunar_leap_month(1984), 0);
	/* The leap 4th month of 2020 began on 23 May 2020. */
	struct solar_date s;
	assert_true(lunar_to_solar((struct lunar_date){2020, 4, 1, true}, &s));
	assert_int_equal(s.month, 5);
	assert_int_equal(s.day, 23);
	assert_false(lunar_to_solar((struct lunar_date){2024, 4, 1, true}, &s));
}

static void test_round_trip(void **state)
{
	long first = jd_from_date(1, 1, 1990), last = jd_from_date(31, 12, 2060);
	for (long jd = first; jd <= last; jd++) {
		struct solar_date s = jd_to_date(jd), back;
		assert_int_equal(jd_from_date(s.day, s.month, s.year), jd);
		struct lunar_date l = solar_to_lunar(s);
		assert_true(l.day >= 1 && l.day <= 30 && l.month >= 1 && l.month <= 12);
		assert_true(lunar_to_solar(l, &back));
		assert_int_equal(jd_from_date(back.day, back.month, back.year), jd);
	}
}

static void test_known_lunar_days(void **state)
{
	struct solar_date s;
	assert_true(lunar_to_solar((struct lunar_date){2026, 3, 10, false}, &s));
	assert_int_equal(s.month, 4);
	assert_int_equal(s.day, 26); /* Giỗ Tổ Hùng Vương 2026 */
	struct lunar_date l = solar_to_lunar((struct solar_date){2026, 11, 28});
	assert_int_equal(l.month, 10);
	assert_int_equal(l.day, 20);
	assert_int_equal(weekday((struct solar_date){2026, 11, 28}), 6); /* a Saturday */
}

static bool has(const struct holiday *h, int n, int y, int m, int d, enum holiday_kind k)
{
	for (int i = 0; i < n; i++)
		if (h[i].date.year == y && h[i].date.month == m && h[i].date.day == d &&
		    h[i].kind == k)
			return true;
	return false;
}

static void test_default_holidays(void **state)
{
	struct holiday h[CALENDAR_MAX_PER_YEAR];
	int n = calendar_default_holidays(2025, h, CALENDAR_MAX_PER_YEAR);
	/* 11 legal days; mùng 4 Tết (Saturday 1 Feb) gives Monday 3 Feb off. */
	assert_int_equal(n, 12);
	assert_true(has(h, n, 2025, 1, 28, HOLIDAY_LEGAL));
	assert_true(has(h, n, 2025, 2, 3, HOLIDAY_COMPENSATORY));
	assert_true(has(h, n, 2025, 4, 7, HOLIDAY_LEGAL));
	n = calendar_default_holidays(2026, h, CALENDAR_MAX_PER_YEAR);
	/* Giỗ Tổ on Sunday 26 April 2026: Monday 27 April off. */
	assert_true(has(h, n, 2026, 4, 26, HOLIDAY_LEGAL));
	assert_true(has(h, n, 2026, 4, 27, HOLIDAY_COMPENSATORY));
	for (int i = 1; i < n; i++) /* in date order */
		assert_true(
			jd_from_date(h[i - 1].date.day, h[i - 1].date.month, h[i - 1].date.year) <
			jd_from_date(h[i].date.day, h[i].date.month, h[i].date.year));
}

static struct datetime dt(const char *s)
{
	struct datetime t;
	assert_true(datetime_parse(s, &t));
	return t;
}

static void expect_due(work_calendar *c, const char *from, int n, const char *want)
{
	char out[17];
	datetime_format(calendar_due(c, OFFICE_HOURS_DEFAULT, dt(from), n), out);
	assert_string_equal(out, want);
}

static void test_due_dates(void **state)
{
	work_calendar *c = calendar_new();
	expect_due(c, "2026-11-23 09:00", 3, "2026-11-26 09:00"); /* Mon -> Thu */
	expect_due(c, "2026-11-27 09:00", 1, "2026-11-30 09:00"); /* Fri -> Mon */
	expect_due(c, "2026-11-27 15:30", 1, "2026-12-01 07:30"); /* after the cut-off */
	expect_due(c, "2026-11-28 10:00", 1, "2026-12-01 07:30"); /* Saturday, online */
	expect_due(c, "2026-02-13 09:00", 1, "2026-02-23 09:00"); /* over Tết */
	expect_due(c, "2026-11-23 06:00", 0, "2026-11-23 07:30"); /* before opening */
	/* An announced working Saturday and an announced swap day off. */
	assert_int_equal(calendar_set(c, (struct solar_date){2026, 11, 28}, true, "Làm bù"), 0);
	assert_int_equal(calendar_set(c, (struct solar_date){2026, 11, 30}, false, "Nghỉ bù"), 0);
	expect_due(c, "2026-11-27 09:00", 1, "2026-11-28 09:00");
	expect_due(c, "2026-11-27 09:00", 2, "2026-12-01 09:00");
	assert_false(calendar_is_working_day(c, (struct solar_date){2026, 11, 30}));
	calendar_free(c);
}

static void expect_add(work_calendar *c, const char *from, int n, const char *want)
{
	char out[17];
	datetime_format(calendar_add_working_days(c, dt(from), n), out);
	assert_string_equal(out, want);
}

/* The "due soon" limit: whole working days, same time, no office hours. */
static void test_add_working_days(void **state)
{
	work_calendar *c = calendar_new();
	expect_add(c, "2026-11-25 16:00", 2, "2026-11-27 16:00"); /* Wed -> Fri */
	expect_add(c, "2026-11-26 16:00", 2, "2026-11-30 16:00"); /* Thu -> Mon */
	expect_add(c, "2026-11-28 10:00", 2, "2026-12-01 10:00"); /* Sat -> Tue */
	expect_add(c, "2026-04-29 09:00", 2, "2026-05-05 09:00"); /* over 30/4, 1/5 */
	expect_add(c, "2026-11-25 16:00", 0, "2026-11-25 16:00");
	assert_int_equal(calendar_set(c, (struct solar_date){2026, 11, 27}, false, "Nghỉ bù"), 0);
	expect_add(c, "2026-11-25 16:00", 2, "2026-11-30 16:00");
	calendar_free(c);
}

static void test_parse(void **state)
{
	struct solar_date d;
	struct datetime t;
	assert_true(date_parse("2024-02-29", &d));
	assert_false(date_parse("2025-02-29", &d));
	assert_false(date_parse("2025-13-01", &d));
	assert_false(date_parse("2025-1-01", &d));
	assert_false(date_parse("20250101", &d));
	assert_false(datetime_parse("2025-01-01 24:00", &t));
	assert_false(datetime_parse("2025-01-01T10:00", &t));
	assert_true(datetime_parse("2025-01-01 23:59", &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tet_dates),
		cmocka_unit_test(test_leap_months),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_known_lunar_days),
		cmocka_unit_test(test_default_holidays),
		cmocka_unit_test(test_due_dates),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_add_working_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
