/*
 * lunar.c - new moons (Meeus's series, as simplified in Hồ Ngọc Đức's
 * method), the Sun's longitude, and the month arithmetic built on them.
 *
 * Everything works in Julian day numbers. A lunar month begins on the local
 * (UTC+7) day of its new moon. Month 11 contains the winter solstice; between
 * two months 11 there are 12 or 13 months, and in the latter case the leap
 * month is the first one in which the Sun enters no new 30-degree sector of
 * longitude (no major solar term).
 */
#include "domain/lunar.h"

#include <math.h>

#define SYNODIC 29.530588853
#define K0	2415021.076998695 /* the new moon of 1900-01-01, days */

long jd_from_date(int d, int m, int y)
{
	long a = (14 - m) / 12;
	long yy = y + 4800 - a;
	long mm = m + 12 * a - 3;
	long jd = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
	if (jd < 2299161) /* before the Gregorian reform: Julian calendar */
		jd = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - 32083;
	return jd;
}

struct solar_date jd_to_date(long jd)
{
	long a, b, c;
	if (jd > 2299160) {
		a = jd + 32044;
		b = (4 * a + 3) / 146097;
		c = a - (b * 146097) / 4;
	} else {
		b = 0;
		c = jd + 32082;
	}
	long d = (4 * c + 3) / 1461;
	long e = c - (1461 * d) / 4;
	long m = (5 * e + 2) / 153;
	struct solar_date s = {
		.day = (int)(e - (153 * m + 2) / 5 + 1),
		.month = (int)(m + 3 - 12 * (m / 10)),
		.year = (int)(b * 100 + d - 4800 + m / 10),
	};
	return s;
}

/* Julian day (with fraction, UT) of the k-th new moon after 1900-01-01. */
static double new_moon(long k)
{
	const double dr = M_PI / 180;
	double t = k / 1236.85, t2 = t * t, t3 = t2 * t;
	double jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
	jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
	double m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
	double mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
	double f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
	double c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m);
	c1 += -0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr) - 0.0004 * sin(dr * 3 * mpr);
	c1 += 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr));
	c1 += -0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m));
	c1 += -0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr));
	c1 += 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m));
	/* ΔT, the difference between dynamical and universal time. */
	double deltat = t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 -
					  0.000000081 * t * t3
				: -0.000278 + 0.000265 * t + 0.000262 * t2;
	return jd1 + c1 - deltat;
}

/* The local day number on which the k-th new moon falls. */
static long new_moon_day(long k)
{
	return (long)floor(new_moon(k) + 0.5 + LUNAR_TZ / 24);
}

/* The Sun's longitude at local midnight starting day jdn, as a sector
 * 0..11 of 30 degrees (sector 9 begins at the winter solstice, 270°). */
static int sun_sector(long jdn)
{
	const double dr = M_PI / 180;
	double t = (jdn - 2451545.5 - LUNAR_TZ / 24) / 36525, t2 = t * t;
	double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
	double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m);
	dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m);
	double l = (l0 + dl) * dr;
	l -= 2 * M_PI * floor(l / (2 * M_PI));
	return (int)floor(l / M_PI * 6);
}

/* The day number on which lunar month 11 of solar year y begins. */
static long month11(int y)
{
	long off = jd_from_date(31, 12, y) - 2415021;
	long k = (long)floor(off / SYNODIC);
	long nm = new_moon_day(k);
	if (sun_sector(nm) >= 9) /* this new moon is after the solstice */
		nm = new_moon_day(k - 1);
	return nm;
}

/* In a 13-month year starting at month 11 on day a11: the offset of the
 * leap month from month 11 (so 1 means the month right after month 11). */
static int leap_offset(long a11)
{
	long k = (long)floor((a11 - K0) / SYNODIC + 0.5);
	int i = 1, last, arc = sun_sector(new_moon_day(k + 1));
	do {
		last = arc;
		i++;
		arc = sun_sector(new_moon_day(k + i));
	} while (arc != last && i < 14);
	return i - 1;
}

struct lunar_date solar_to_lunar(struct solar_date s)
{
	long day = jd_from_date(s.day, s.month, s.year);
	long k = (long)floor((day - K0) / SYNODIC);
	/* k comes from the mean month; the true new moon can be a day or so
	 * either side, so step until start <= day < the next new moon. */
	long start = new_moon_day(k + 1);
	while (start > day)
		start = new_moon_day(--k);
	while (new_moon_day(k + 1) <= day)
		start = new_moon_day(++k);
	long a11 = month11(s.year), b11;
	struct lunar_date l = {.leap = false};
	if (a11 >= start) {
		l.year = s.year;
		b11 = a11;
		a11 = month11(s.year - 1);
	} else {
		l.year = s.year + 1;
		b11 = month11(s.year + 1);
	}
	l.day = (int)(day - start + 1);
	int diff = (int)floor((start - a11) / 29.0);
	l.month = diff + 11;
	if (b11 - a11 > 365) {
		int leap = leap_offset(a11);
		if (diff >= leap) {
			l.month = diff + 10;
			l.leap = diff == leap;
		}
	}
	if (l.month > 12)
		l.month -= 12;
	if (l.month >= 11 && diff < 4)
		l.year -= 1;
	return l;
}

bool lunar_to_solar(struct lunar_date l, struct solar_date *out)
{
	if (l.month < 1 || l.month > 12 || l.day < 1 || l.day > 30)
		return false;
	long a11, b11;
	if (l.month < 11) {
		a11 = month11(l.year - 1);
		b11 = month11(l.year);
	} else {
		a11 = month11(l.year);
		b11 = month11(l.year + 1);
	}
	long k = (long)floor(0.5 + (a11 - K0) / SYNODIC);
	int off = l.month - 11;
	if (off < 0)
		off += 12;
	if (b11 - a11 > 365) {
		int leap_off = leap_offset(a11);
		int leap_month = leap_off - 2;
		if (leap_month < 0)
			leap_month += 12;
		if (l.leap && l.month != leap_month)
			return false;
		if (l.leap || off >= leap_off)
			off += 1;
	} else if (l.leap) {
		return false;
	}
	long start = new_moon_day(k + off);
	long next = new_moon_day(k + off + 1);
	if (start + l.day - 1 >= next)
		return false; /* day 30 of a 29-day month */
	*out = jd_to_date(start + l.day - 1);
	return true;
}

int lunar_leap_month(int y)
{
	for (int m = 1; m <= 12; m++) {
		struct solar_date s;
		if (lunar_to_solar((struct lunar_date){y, m, 1, true}, &s))
			return m;
	}
	return 0;
}

int weekday(struct solar_date s)
{
	return (int)((jd_from_date(s.day, s.month, s.year) + 1) % 7);
}
