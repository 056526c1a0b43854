/*
 * calendar.c - holiday rules, overrides and working-day arithmetic.
 *
 * Defaults are computed per year on demand (a handful of lunar conversions),
 * overrides are a small sorted table; a calendar is read-only once built, so
 * any number of threads may use it at once.
 */
#include "domain/calendar.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OVERRIDES 4096
/* Default holidays are precomputed for these years; dates outside them are
 * computed on demand. */
#define FIRST_YEAR 1990
#define LAST_YEAR  2150

struct work_calendar {
	struct holiday *over; /* sorted by date */
	int nover;
	long first_day;		      /* day number of FIRST_YEAR-01-01 */
	const unsigned char *holiday; /* 1 for a default holiday, by day number (shared) */
	long ndays;
};

static long day_number(struct solar_date d)
{
	return jd_from_date(d.day, d.month, d.year);
}

struct solar_date date_next(struct solar_date d)
{
	return jd_to_date(day_number(d) + 1);
}

static bool weekend(struct solar_date d)
{
	int w = weekday(d);
	return w == 0 || w == 6;
}

static void put(struct holiday *out, int *n, int max, struct solar_date d, enum holiday_kind k,
		const char *name)
{
	if (*n >= max)
		return;
	out[*n].date = d;
	out[*n].kind = k;
	snprintf(out[*n].name, sizeof(out[*n].name), "%s", name);
	(*n)++;
}

static int by_date(const void *a, const void *b)
{
	long x = day_number(((const struct holiday *)a)->date);
	long y = day_number(((const struct holiday *)b)->date);
	return x < y ? -1 : x > y;
}

static bool listed(const struct holiday *h, int n, long dn)
{
	for (int i = 0; i < n; i++)
		if (day_number(h[i].date) == dn)
			return true;
	return false;
}

/* The legal holidays of a year by the rules, without compensation. */
static int legal_days(int year, struct holiday *out, int max)
{
	int n = 0;
	struct solar_date d;
	put(out, &n, max, (struct solar_date){year, 1, 1}, HOLIDAY_LEGAL, "Tết Dương lịch");
	/* Tết of lunar year `year` falls in January or February of `year`. */
	if (lunar_to_solar((struct lunar_date){year, 1, 1, false}, &d)) {
		long first = day_number(d);
		put(out, &n, max, jd_to_date(first - 1), HOLIDAY_LEGAL,
		    "Tết Nguyên đán (ngày cuối năm Âm lịch)");
		static const char *const names[] = {
			"Tết Nguyên đán (mùng 1)", "Tết Nguyên đán (mùng 2)",
			"Tết Nguyên đán (mùng 3)", "Tết Nguyên đán (mùng 4)"};
		for (int i = 0; i < 4; i++)
			put(out, &n, max, jd_to_date(first + i), HOLIDAY_LEGAL, names[i]);
	}
	if (lunar_to_solar((struct lunar_date){year, 3, 10, false}, &d))
		put(out, &n, max, d, HOLIDAY_LEGAL, "Giỗ Tổ Hùng Vương (10/3 Âm lịch)");
	put(out, &n, max, (struct solar_date){year, 4, 30}, HOLIDAY_LEGAL,
	    "Ngày Chiến thắng (30/4)");
	put(out, &n, max, (struct solar_date){year, 5, 1}, HOLIDAY_LEGAL,
	    "Ngày Quốc tế Lao động (1/5)");
	put(out, &n, max, (struct solar_date){year, 9, 1}, HOLIDAY_LEGAL,
	    "Quốc khánh (ngày liền kề 2/9)");
	put(out, &n, max, (struct solar_date){year, 9, 2}, HOLIDAY_LEGAL, "Quốc khánh (2/9)");
	qsort(out, (size_t)n, sizeof(*out), by_date);
	return n;
}

int calendar_default_holidays(int year, struct holiday *out, int max)
{
	int n = legal_days(year, out, max);
	int nlegal = n;
	/* Each holiday on a weekend gives the next working day off that is
	 * neither a weekend, a holiday, nor already given as compensation. */
	for (int i = 0; i < nlegal; i++) {
		if (!weekend(out[i].date))
			continue;
		long dn = day_number(out[i].date) + 1;
		while (weekend(jd_to_date(dn)) || listed(out, n, dn))
			dn++;
		char name[96];
		snprintf(name, sizeof(name), "Nghỉ bù %.80s", out[i].name);
		put(out, &n, max, jd_to_date(dn), HOLIDAY_COMPENSATORY, name);
	}
	qsort(out, (size_t)n, sizeof(*out), by_date);
	return n;
}

/*
 * The default holidays of every supported year, as one bitmap by day
 * number. Computing them runs the lunar algorithm for each year (a few
 * milliseconds in all), so it is done once per process and shared,
 * read-only, by every calendar: a due date on the submission path costs a
 * lookup, not an astronomy lesson.
 */
static unsigned char *default_bitmap;
static long bitmap_first_day, bitmap_ndays;
static pthread_once_t bitmap_once = PTHREAD_ONCE_INIT;

static void build_bitmap(void)
{
	bitmap_first_day = jd_from_date(1, 1, FIRST_YEAR);
	bitmap_ndays = jd_from_date(1, 1, LAST_YEAR + 1) - bitmap_first_day;
	default_bitmap = calloc((size_t)bitmap_ndays, 1);
	if (!default_bitmap)
		abort();
	for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
		struct holiday h[CALENDAR_MAX_PER_YEAR];
		int n = calendar_default_holidays(y, h, CALENDAR_MAX_PER_YEAR);
		for (int i = 0; i < n; i++) {
			long k = day_number(h[i].date) - bitmap_first_day;
			if (k >= 0 && k < bitmap_ndays)
				default_bitmap[k] = 1;
		}
	}
}

work_calendar *calendar_new(void)
{
	pthread_once(&bitmap_once, build_bitmap);
	work_calendar *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->first_day = bitmap_first_day;
	c->ndays = bitmap_ndays;
	c->holiday = default_bitmap;
	return c;
}

void calendar_free(work_calendar *c)
{
	if (!c)
		return;
	free(c->over);
	free(c);
}

static const struct holiday *find_override(const work_calendar *c, long dn)
{
	int lo = 0, hi = c->nover - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		long x = day_number(c->over[mid].date);
		if (x == dn)
			return &c->over[mid];
		if (x < dn)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int calendar_set(work_calendar *c, struct solar_date date, bool working, const char *name)
{
	struct holiday *h = (struct holiday *)find_override(c, day_number(date));
	if (!h) {
		if (c->nover == MAX_OVERRIDES)
			return -1;
		struct holiday *grown = realloc(c->over, sizeof(*grown) * (size_t)(c->nover + 1));
		if (!grown)
			abort();
		c->over = grown;
		h = &c->over[c->nover++];
	}
	h->date = date;
	h->kind = working ? WORKDAY_ANNOUNCED : HOLIDAY_ANNOUNCED;
	snprintf(h->name, sizeof(h->name), "%s", name ? name : "");
	qsort(c->over, (size_t)c->nover, sizeof(*c->over), by_date);
	return 0;
}

bool calendar_is_working_day(const work_calendar *c, struct solar_date d)
{
	const struct holiday *o = find_override(c, day_number(d));
	if (o)
		return o->kind == WORKDAY_ANNOUNCED;
	if (weekend(d))
		return false;
	long k = day_number(d) - c->first_day;
	if (k >= 0 && k < c->ndays)
		return !c->holiday[k];
	struct holiday h[CALENDAR_MAX_PER_YEAR];
	int n = calendar_default_holidays(d.year, h, CALENDAR_MAX_PER_YEAR);
	return !listed(h, n, day_number(d));
}

int calendar_year(const work_calendar *c, int year, struct holiday *out, int max)
{
	struct holiday def[CALENDAR_MAX_PER_YEAR];
	int nd = calendar_default_holidays(year, def, CALENDAR_MAX_PER_YEAR), n = 0;
	for (int i = 0; i < nd; i++)
		if (!find_override(c, day_number(def[i].date)))
			put(out, &n, max, def[i].date, def[i].kind, def[i].name);
	for (int i = 0; i < c->nover; i++)
		if (c->over[i].date.year == year)
			put(out, &n, max, c->over[i].date, c->over[i].kind, c->over[i].name);
	qsort(out, (size_t)n, sizeof(*out), by_date);
	return n;
}

struct datetime calendar_due(const work_calendar *c, struct office_hours h, struct datetime from,
			     int n)
{
	struct datetime t = from;
	int minute = from.hour * 60 + from.minute;
	if (!calendar_is_working_day(c, t.date) || minute >= h.cutoff_minute) {
		/* Counts as received at the opening of the next working day. */
		do
			t.date = date_next(t.date);
		while (!calendar_is_working_day(c, t.date));
		t.hour = h.open_minute / 60;
		t.minute = h.open_minute % 60;
	} else if (minute < h.open_minute) {
		t.hour = h.open_minute / 60;
		t.minute = h.open_minute % 60;
	}
	return calendar_add_working_days(c, t, n);
}

struct datetime calendar_add_working_days(const work_calendar *c, struct datetime t, int n)
{
	for (int i = 0; i < n; i++) {
		do
			t.date = date_next(t.date);
		while (!calendar_is_working_day(c, t.date));
	}
	return t;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool date_parse(const char *s, struct solar_date *out)
{
	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return false;
	struct solar_date d = {(s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
				       (s[3] - '0'),
			       (s[5] - '0') * 10 + (s[6] - '0'), (s[8] - '0') * 10 + (s[9] - '0')};
	if (d.year < 1800 || d.year > 2199 || d.month < 1 || d.month > 12 || d.day < 1)
		return false;
	/* A real date survives the round trip through the day number. */
	struct solar_date back = jd_to_date(jd_from_date(d.day, d.month, d.year));
	if (back.day != d.day || back.month != d.month || back.year != d.year)
		return false;
	*out = d;
	return true;
}

bool datetime_parse(const char *s, struct datetime *out)
{
	char date[11];
	if (strlen(s) != 16 || s[10] != ' ' || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2))
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	struct datetime t;
	if (!date_parse(date, &t.date))
		return false;
	t.hour = (s[11] - '0') * 10 + (s[12] - '0');
	t.minute = (s[14] - '0') * 10 + (s[15] - '0');
	if (t.hour > 23 || t.minute > 59)
		return false;
	*out = t;
	return true;
}

/* Dates here are always valid (1800-2199), so the fields have fixed widths;
 * unsigned arithmetic tells the compiler so. */
void date_format(struct solar_date d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
		 (unsigned)d.day % 100u);
}

void datetime_format(struct datetime t, char out[17])
{
	char date[11];
	date_format(t.date, date);
	snprintf(out, 17, "%.10s %02u:%02u", date, (unsigned)t.hour % 100u,
		 (unsigned)t.minute % 100u);
}
