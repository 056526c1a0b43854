/*
 * fuzz_calendar.c - libFuzzer target for the calendar's date input and
 * due-date arithmetic: date_parse and datetime_parse (domain/calendar.c,
 * what `motcua calendar due --from`, the admin's schedule and the catalogue
 * import read), id_date_parse (domain/identity.c, an applicant's birth
 * date), parse_int64 with the CLI's bounds (--working-days, YEAR), the
 * lunar conversions (domain/lunar.c) and calendar_due / calendar_year on a
 * calendar with overrides taken from the input.
 *
 * Input layout: lines. Line 1 is the date input: the whole line goes to
 * every parser. Line 2 is the number of working days (0-3650 as the CLI
 * takes it; the due date is only computed up to 400 so one input stays
 * fast). Line 3's first four bytes give the office hours (opening
 * 0-1439, cut-off 0-1440). Each later line "YYYY-MM-DD" is a day off, with a
 * '+' after it a day worked (at most 16). An embedded NUL ends a line early,
 * as in a form field or argv.
 *
 * Besides crashes the target checks against reference implementations
 * written here: a date is accepted exactly when it is a real date of
 * 1800-2199 in the strict shape, and formats back to the same text; the
 * birth-date parser accepts d/m/yyyy and ISO exactly when the date is real
 * (years 1000-9999) and writes the padded ISO form; a solar date converts
 * to lunar and back to itself; the due date is a working day, not before
 * the receipt, exactly n working days after the day the count starts, at
 * the right time of day; the working-day bitmap agrees with the rules
 * computed afresh; a year's list is sorted, in that year and complete.
 *
 *   FUZZ_TARGETS=calendar scripts/fuzz.sh 120
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"
#include "core/parse.h"
#include "domain/calendar.h"
#include "domain/identity.h"
#include "domain/lunar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* identity.c reads its common-password list from the embedded assets. */
const struct asset motcua_assets[] = {{NULL, NULL, 0}};

#define MAX_LINES     20
#define MAX_OVERRIDES 16
#define MAX_DUE_DAYS  400

/* ---- reference implementations ---- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s, as a number; -1 when one is not a digit. */
static int number(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool real(int y, int m, int d, int ymin, int ymax)
{
	return y >= ymin && y <= ymax && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* "YYYY-MM-DD" of 1800-2199, as date_parse promises. */
static bool ref_date(const char *s, size_t len, struct solar_date *out)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = number(s, 4), m = number(s + 5, 2), d = number(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !real(y, m, d, 1800, 2199))
		return false;
	*out = (struct solar_date){y, m, d};
	return true;
}

static bool ref_datetime(const char *s, size_t len, struct datetime *out)
{
	if (len != 16 || s[10] != ' ' || s[13] != ':' || !ref_date(s, 10, &out->date))
		return false;
	out->hour = number(s + 11, 2);
	out->minute = number(s + 14, 2);
	return out->hour >= 0 && out->hour <= 23 && out->minute >= 0 && out->minute <= 59;
}

/* d{1,2}/m{1,2}/yyyy or YYYY-MM-DD, years 1000-9999, into padded ISO. */
static bool ref_id_date(const char *s, size_t len, char out[11])
{
	int y, m, d;
	if (len == 10 && s[4] == '-' && s[7] == '-') {
		y = number(s, 4);
		m = number(s + 5, 2);
		d = number(s + 8, 2);
	} else {
		const char *slash1 = memchr(s, '/', len);
		if (!slash1)
			return false;
		const char *slash2 = memchr(slash1 + 1, '/', len - (size_t)(slash1 + 1 - s));
		if (!slash2)
			return false;
		size_t dl = (size_t)(slash1 - s), ml = (size_t)(slash2 - slash1 - 1),
		       yl = len - (size_t)(slash2 + 1 - s);
		if (dl < 1 || dl > 2 || ml < 1 || ml > 2 || yl != 4)
			return false;
		d = number(s, (int)dl);
		m = number(slash1 + 1, (int)ml);
		y = number(slash2 + 1, 4);
	}
	if (y < 0 || m < 0 || d < 0 || !real(y, m, d, 1000, 9999))
		return false;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return true;
}

/* strtoll's grammar without leading space: [+-]digits, in range. */
static bool ref_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return false;
	int64_t v = 0;
	for (; *p; p++) {
		if (!is_digit(*p))
			return false;
		if (v > 100000) /* far beyond every bound used here */
			return false;
		v = v * 10 + (*p - '0');
	}
	v = neg ? -v : v;
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* ---- checks ---- */

static long day_no(struct solar_date d)
{
	return jd_from_date(d.day, d.month, d.year);
}

static bool same_date(struct solar_date a, struct solar_date b)
{
	return a.year == b.year && a.month == b.month && a.day == b.day;
}

static void check_parsers(const char *s, size_t len)
{
	struct solar_date d, rd;
	bool ok = date_parse(s, &d);
	CHECK(ok == ref_date(s, len, &rd));
	if (ok) {
		CHECK(same_date(d, rd));
		char back[11];
		date_format(d, back);
		CHECK(strcmp(back, s) == 0);
		/* The lunar calendar round-trips every supported day. */
		struct lunar_date l = solar_to_lunar(d);
		CHECK(l.month >= 1 && l.month <= 12 && l.day >= 1 && l.day <= 30);
		CHECK(!l.leap || lunar_leap_month(l.year) == l.month);
		struct solar_date again;
		CHECK(lunar_to_solar(l, &again) && same_date(again, d));
		CHECK(weekday(d) == (int)((day_no(d) + 1) % 7));
	}

	struct datetime t, rt;
	ok = datetime_parse(s, &t);
	CHECK(ok == ref_datetime(s, len, &rt));
	if (ok) {
		CHECK(same_date(t.date, rt.date) && t.hour == rt.hour && t.minute == rt.minute);
		char back[17];
		datetime_format(t, back);
		CHECK(strcmp(back, s) == 0);
	}

	char iso[11] = "untouched", ref[11];
	ok = id_date_parse(s, iso);
	CHECK(ok == ref_id_date(s, len, ref));
	if (ok)
		CHECK(strcmp(iso, ref) == 0);
	else
		CHECK(strcmp(iso, "untouched") == 0);

	int64_t v, rv;
	ok = parse_int64(s, 0, 3650, &v) == 0;
	CHECK(ok == ref_int(s, 0, 3650, &rv));
	if (ok)
		CHECK(v == rv);
}

/* Working day by the rules computed afresh (weekends, the year's default
 * holidays) unless overridden. */
static bool ref_working(const struct holiday *over, int nover, struct solar_date d)
{
	for (int i = nover - 1; i >= 0; i--) /* the last setting wins */
		if (same_date(over[i].date, d))
			return over[i].kind == WORKDAY_ANNOUNCED;
	int w = weekday(d);
	if (w == 0 || w == 6)
		return false;
	struct holiday h[CALENDAR_MAX_PER_YEAR];
	int n = calendar_default_holidays(d.year, h, CALENDAR_MAX_PER_YEAR);
	for (int i = 0; i < n; i++)
		if (same_date(h[i].date, d))
			return false;
	return true;
}

static void check_due(const work_calendar *c, const struct holiday *over, int nover,
		      struct office_hours h, struct datetime from, int n)
{
	struct datetime due = calendar_due(c, h, from, n);
	/* Where the count starts: the receipt's day, or the next working day
	 * at opening when received on a day off or after the cut-off. */
	int minute = from.hour * 60 + from.minute;
	long start = day_no(from.date);
	int hour = from.hour, min = from.minute;
	if (!calendar_is_working_day(c, from.date) || minute >= h.cutoff_minute) {
		do
			start++;
		while (!calendar_is_working_day(c, jd_to_date(start)));
		hour = h.open_minute / 60;
		min = h.open_minute % 60;
	} else if (minute < h.open_minute) {
		hour = h.open_minute / 60;
		min = h.open_minute % 60;
	}
	CHECK(due.hour == hour && due.minute == min);
	CHECK(due.hour >= 0 && due.hour <= 23 && due.minute >= 0 && due.minute <= 59);
	long end = day_no(due.date);
	CHECK(end >= day_no(from.date) && end >= start);
	CHECK(calendar_is_working_day(c, due.date));
	CHECK(ref_working(over, nover, due.date));
	int counted = 0;
	for (long k = start + 1; k <= end; k++)
		counted += calendar_is_working_day(c, jd_to_date(k));
	CHECK(counted == n);
	/* The bitmap and the overrides agree with the rules on the start day. */
	CHECK(calendar_is_working_day(c, jd_to_date(start)) ==
	      ref_working(over, nover, jd_to_date(start)));
}

static void check_year(const work_calendar *c, const struct holiday *over, int nover, int year)
{
	struct holiday list[CALENDAR_MAX_PER_YEAR * 4];
	int n = calendar_year(c, year, list, (int)(sizeof(list) / sizeof(list[0])));
	CHECK(n >= 0 && n <= (int)(sizeof(list) / sizeof(list[0])));
	for (int i = 0; i < n; i++) {
		CHECK(list[i].date.year == year);
		CHECK(memchr(list[i].name, '\0', sizeof(list[i].name)) != NULL);
		if (i > 0)
			CHECK(day_no(list[i - 1].date) <= day_no(list[i].date));
		/* A listed day off is not a working day, a listed workday is. */
		CHECK(calendar_is_working_day(c, list[i].date) ==
		      (list[i].kind == WORKDAY_ANNOUNCED));
	}
	/* Every override of that year is listed. */
	for (int i = 0; i < nover; i++) {
		if (over[i].date.year != year)
			continue;
		bool found = false;
		for (int k = 0; k < n && !found; k++)
			found = same_date(list[k].date, over[i].date);
		CHECK(found);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* Split into lines, each ending at its newline or its first NUL. */
	char *lines[MAX_LINES];
	int nlines = 0;
	for (char *p = buf; nlines < MAX_LINES;) {
		char *nl = memchr(p, '\n', (size_t)(buf + size - p));
		lines[nlines++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (int i = 0; i < nlines; i++)
		check_parsers(lines[i], strlen(lines[i]));

	struct datetime from;
	int64_t n;
	if (nlines >= 2 && datetime_parse(lines[0], &from) &&
	    parse_int64(lines[1], 0, 3650, &n) == 0 && n <= MAX_DUE_DAYS) {
		struct office_hours h = OFFICE_HOURS_DEFAULT;
		if (nlines >= 3 && strlen(lines[2]) >= 4) {
			const unsigned char *b = (const unsigned char *)lines[2];
			h.open_minute = (b[0] * 256 + b[1]) % 1440;
			h.cutoff_minute = (b[2] * 256 + b[3]) % 1441;
		}
		work_calendar *c = calendar_new();
		struct holiday over[MAX_OVERRIDES];
		int nover = 0;
		for (int i = 3; i < nlines && nover < MAX_OVERRIDES; i++) {
			struct solar_date d;
			char day[11];
			if (strlen(lines[i]) < 10)
				continue;
			memcpy(day, lines[i], 10);
			day[10] = '\0';
			if (!date_parse(day, &d))
				continue;
			bool working = lines[i][10] == '+';
			CHECK(calendar_set(c, d, working, lines[i] + 10) == 0);
			over[nover].date = d;
			over[nover].kind = working ? WORKDAY_ANNOUNCED : HOLIDAY_ANNOUNCED;
			nover++;
		}
		check_due(c, over, nover, h, from, (int)n);
		check_year(c, over, nover, from.date.year);
		calendar_free(c);
	}
	free(buf);
	return 0;
}
