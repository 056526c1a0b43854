/*
 * schedule.h - the admin's official schedule (lịch làm việc chính thức):
 * calendar_day rows applied to a working-day calendar, and the edits that
 * change them.
 *
 * Each row makes one date a day off (a swap day, an extra holiday) or a
 * working day (a Saturday worked, a default holiday cancelled); it wins over
 * the Labour Code defaults for that date (domain/calendar.h).
 *
 * Every edit is one db_write carrying its audit entry (domain/audit.h):
 * "calendar.set" / "calendar.unset", subject "calendar:YYYY-MM-DD", data
 * {working, name, before} where before is the override replaced or removed
 * ({working, name}) or null. An import is one write: every row, and one
 * "calendar.import" entry with the counts and the file's SHA-256.
 *
 * Freshness: nothing caches the schedule. Whoever computes a due date calls
 * schedule_load, which reads the few dozen rows of calendar_day (one scan of
 * a tiny table, about what a version check would cost), so an edit is seen
 * by the next computation on every node of a cluster without any signal.
 */
#ifndef MOTCUA_SCHEDULE_H
#define MOTCUA_SCHEDULE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/calendar.h"

#define SCHEDULE_YEAR_MIN 1900
#define SCHEDULE_YEAR_MAX 2199
#define SCHEDULE_NAME_MAX 95 /* bytes, the size of struct holiday's name */

/* A calendar with the defaults and every override stored in the database. */
mc_status schedule_load(db *d, work_calendar **out);

/* One override as stored. */
struct schedule_day {
	struct solar_date date;
	bool working;
	const char *name;
	const char *updated_at, *updated_by; /* "" when not known */
};

/* The overrides of one year, in date order. */
mc_status schedule_overrides(db *d, arena *a, int year, struct schedule_day **out, int *n);

/*
 * Checks one override: a real date in SCHEDULE_YEAR_MIN..MAX, a name of at
 * most SCHEDULE_NAME_MAX bytes without control characters, required for a
 * day off, and not a working day on a date that is one by default (nothing
 * to override). NULL when fine, else the i18n key of the problem
 * ("calendar.err.*"). name is trimmed in place by the caller.
 */
const char *schedule_check(struct solar_date date, bool working, const char *name);

/*
 * The year as the API and the admin page show it (*out is a new reference):
 * {"year", "days": [...]} listing, in date order, every day off (legal
 * holidays, even on a weekend; compensatory days; the admin's days off) and
 * every working day the admin set, each {"date", "weekday" (0 Sunday ..
 * 6 Saturday), "working", "kind" ("holiday", "compensatory", "day_off",
 * "working_day"), "name", "override"}; an override also has "updated_at",
 * "updated_by" and "default" ({"working", "name"}: what the rules say).
 */
mc_status schedule_year_json(db *d, int year, json_t **out);

/* How schedule_set treats a date that already has an override. */
enum schedule_mode { SCHEDULE_REPLACE, SCHEDULE_ADD_ONLY };

/*
 * Sets the override of date (audited as actor). MC_INVALID with *problem
 * (an i18n key) when schedule_check fails; MC_CONFLICT with *problem
 * "calendar.err.duplicate" in SCHEDULE_ADD_ONLY mode when the date already
 * has one.
 */
mc_status schedule_set(db *d, const char *actor, struct solar_date date, bool working,
		       const char *name, enum schedule_mode mode, const char **problem);

/* Removes the override of date (audited); MC_NOT_FOUND when it has none. */
mc_status schedule_unset(db *d, const char *actor, struct solar_date date);

/*
 * Sets every day of days[0..n) in one write (all or nothing) with one
 * "calendar.import" audit entry {rows, added, replaced, sha256}; days must
 * already be checked and hold no date twice. *added and *replaced (may be
 * NULL) get the counts.
 */
mc_status schedule_import(db *d, const char *actor, const struct schedule_day *days, int n,
			  const char *sha256, int *added, int *replaced);

#endif
