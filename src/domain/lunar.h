/*
 * lunar.h - the Vietnamese lunar calendar (âm lịch), computed from the
 * astronomical rules Hồ Ngọc Đức published: a lunar month starts on the day
 * of the new moon, month 11 is the one holding the winter solstice, and in a
 * year with 13 months the first month without a major solar term is the leap
 * month. Days are reckoned in Vietnam's time zone, UTC+7, which is why Tết
 * sometimes differs from the Chinese new year (1985, 2007, 2030, 2053).
 *
 * Pure computation: no state, no allocation, valid for the Gregorian years
 * 1800-2199 that motcua needs.
 */
#ifndef MOTCUA_LUNAR_H
#define MOTCUA_LUNAR_H

#include <stdbool.h>

#define LUNAR_TZ 7.0 /* hours east of UTC */

struct solar_date {
	int year, month, day;
};

struct lunar_date {
	int year, month, day;
	bool leap; /* a leap month (tháng nhuận) repeats the month before */
};

/* Julian day number of a Gregorian date (and back). */
long jd_from_date(int day, int month, int year);
struct solar_date jd_to_date(long jd);

/* The lunar date of a solar date. */
struct lunar_date solar_to_lunar(struct solar_date s);

/* The solar date of a lunar date; false when it does not exist (a leap
 * flag on a month that is not leap that year, or day 30 of a 29-day month). */
bool lunar_to_solar(struct lunar_date l, struct solar_date *out);

/* The leap month of lunar year y (1-12), or 0 when the year has none. */
int lunar_leap_month(int y);

/* Day of the week, 0 = Sunday ... 6 = Saturday. */
int weekday(struct solar_date s);

#endif
