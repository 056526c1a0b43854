/*
 * calendar.h - working days (ngày làm việc) and public holidays.
 *
 * Defaults follow the Labour Code 2019 art. 112: 1/1; Tết Nguyên đán, five
 * days (the last day of the lunar year and lunar 1/1 to 1/4); Giỗ Tổ Hùng
 * Vương (lunar 10/3); 30/4; 1/5; 2/9 with 1/9. A holiday that falls on a
 * Saturday or Sunday gives a compensatory day off (nghỉ bù) on the next
 * working day. Each year the government announces the real schedule (swap
 * days, Saturdays worked), which an admin enters as overrides; an override
 * wins over every default for its date.
 *
 * Due dates count working days: a dossier received after the cut-off time
 * (15:00 by default) or on a day off counts from the next working day at the
 * start of office hours; the due time is then that many working days later
 * at the same time of day.
 */
#ifndef MOTCUA_CALENDAR_H
#define MOTCUA_CALENDAR_H

#include <stdbool.h>

#include "domain/lunar.h"

enum holiday_kind {
	HOLIDAY_LEGAL,	      /* a public holiday by law */
	HOLIDAY_COMPENSATORY, /* nghỉ bù for a holiday on a weekend */
	HOLIDAY_ANNOUNCED,    /* a day off set by the admin (swap day) */
	WORKDAY_ANNOUNCED,    /* a day worked set by the admin (a Saturday) */
};

struct holiday {
	struct solar_date date;
	enum holiday_kind kind;
	char name[96];
};

#define CALENDAR_MAX_PER_YEAR 64

/* The default holidays and compensatory days of a year, in date order
 * (holidays on weekends included). Returns how many were written. */
int calendar_default_holidays(int year, struct holiday *out, int max);

typedef struct work_calendar work_calendar;

/* A calendar with the default rules; overrides are added with _set. */
work_calendar *calendar_new(void);
void calendar_free(work_calendar *c);

/* Declares date a day off (working = false) or a working day, overriding
 * the defaults; name describes it. Returns -1 when the table is full. */
int calendar_set(work_calendar *c, struct solar_date date, bool working, const char *name);

bool calendar_is_working_day(const work_calendar *c, struct solar_date d);

/* Every day off and announced working day of a year, defaults merged with
 * the overrides, in date order. Returns how many were written. */
int calendar_year(const work_calendar *c, int year, struct holiday *out, int max);

struct datetime {
	struct solar_date date;
	int hour, minute;
};

struct office_hours {
	int open_minute;   /* minutes after midnight office opens: 7:30 -> 450 */
	int cutoff_minute; /* receipts after this count from the next working day */
};

#define OFFICE_HOURS_DEFAULT ((struct office_hours){7 * 60 + 30, 15 * 60})

/* The due date-time n working days after a receipt at `from`. */
struct datetime calendar_due(const work_calendar *c, struct office_hours h, struct datetime from,
			     int n);

/* t moved n working days later (to a working day), same time of day; the
 * "due soon" (sắp đến hạn) limit is now moved 2 working days. */
struct datetime calendar_add_working_days(const work_calendar *c, struct datetime t, int n);

/* The next date after d. */
struct solar_date date_next(struct solar_date d);

/* "YYYY-MM-DD" and "YYYY-MM-DD HH:MM": parse (strict, real dates only) and
 * format (out must hold 17 bytes). */
bool date_parse(const char *s, struct solar_date *out);
bool datetime_parse(const char *s, struct datetime *out);
void date_format(struct solar_date d, char out[11]);
void datetime_format(struct datetime t, char out[17]);

#endif
