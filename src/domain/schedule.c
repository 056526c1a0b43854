/* schedule.c - reads calendar_day into a work_calendar, and the audited
 * edits of it (see schedule.h). */
#include "domain/schedule.h"

#include <jansson.h>
#include <string.h>

#include "core/log.h"
#include "domain/account.h"
#include "domain/audit.h"

mc_status schedule_load(db *d, work_calendar **out)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	arena *a = arena_new(0);
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT date, working, name FROM calendar_day ORDER BY date",
				DB_NOARGS, &r);
	if (rc != MC_OK) {
		log_error("schedule: %s", db_errmsg(c));
		arena_free(a);
		return rc;
	}
	work_calendar *cal = calendar_new();
	for (int i = 0; i < db_nrows(r); i++) {
		struct solar_date day;
		if (!date_parse(db_text(r, i, 0), &day)) {
			log_warn("schedule: ignoring calendar_day with bad date '%s'",
				 db_text(r, i, 0));
			continue;
		}
		calendar_set(cal, day, db_int(r, i, 1) == 1, db_text(r, i, 2));
	}
	arena_free(a);
	*out = cal;
	return MC_OK;
}

mc_status schedule_overrides(db *d, arena *a, int year, struct schedule_day **out, int *n)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	char from[11], to[11];
	date_format((struct solar_date){year, 1, 1}, from);
	date_format((struct solar_date){year, 12, 31}, to);
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT date, working, name, updated_at, updated_by FROM"
				" calendar_day WHERE date >= $1 AND date <= $2 ORDER BY date",
				DB_ARGS(DB_TEXT(from), DB_TEXT(to)), &r);
	if (rc != MC_OK)
		return rc;
	int rows = db_nrows(r), k = 0;
	struct schedule_day *days = arena_calloc(a, (size_t)rows + 1, sizeof(*days));
	for (int i = 0; i < rows; i++) {
		if (!date_parse(db_text(r, i, 0), &days[k].date))
			continue;
		days[k].working = db_int(r, i, 1) == 1;
		days[k].name = db_text(r, i, 2);
		days[k].updated_at = db_text(r, i, 3);
		days[k].updated_by = db_text(r, i, 4);
		k++;
	}
	*out = days;
	*n = k;
	return MC_OK;
}

static bool same_day(struct solar_date x, struct solar_date y)
{
	return x.year == y.year && x.month == y.month && x.day == y.day;
}

static const char *const kind_names[] = {
	[HOLIDAY_LEGAL] = "holiday",
	[HOLIDAY_COMPENSATORY] = "compensatory",
	[HOLIDAY_ANNOUNCED] = "day_off",
	[WORKDAY_ANNOUNCED] = "working_day",
};

/* What the rules alone say of a date: {working, name}. */
static json_t *default_of(const work_calendar *def, const struct holiday *h, int nh,
			  struct solar_date d)
{
	for (int i = 0; i < nh; i++)
		if (same_day(h[i].date, d))
			return json_pack("{s:b,s:s}", "working", false, "name", h[i].name);
	return json_pack("{s:b,s:s}", "working", calendar_is_working_day(def, d), "name", "");
}

mc_status schedule_year_json(db *d, int year, json_t **out)
{
	arena *a = arena_new(0);
	struct schedule_day *over;
	int nover;
	mc_status rc = schedule_overrides(d, a, year, &over, &nover);
	if (rc != MC_OK) {
		arena_free(a);
		return rc;
	}
	work_calendar *cal = calendar_new(), *def = calendar_new();
	for (int i = 0; i < nover; i++)
		calendar_set(cal, over[i].date, over[i].working, over[i].name);
	struct holiday defaults[CALENDAR_MAX_PER_YEAR];
	int ndef = calendar_default_holidays(year, defaults, CALENDAR_MAX_PER_YEAR);
	struct holiday *h = arena_calloc(a, (size_t)(ndef + nover + 1), sizeof(*h));
	int n = calendar_year(cal, year, h, ndef + nover + 1);
	json_t *days = json_array();
	for (int i = 0; i < n; i++) {
		char date[11];
		date_format(h[i].date, date);
		bool is_over = h[i].kind == HOLIDAY_ANNOUNCED || h[i].kind == WORKDAY_ANNOUNCED;
		json_t *day = json_pack(
			"{s:s,s:i,s:b,s:s,s:s,s:b}", "date", date, "weekday", weekday(h[i].date),
			"working", h[i].kind == WORKDAY_ANNOUNCED, "kind", kind_names[h[i].kind],
			"name", h[i].name, "override", is_over);
		const struct schedule_day *o = NULL;
		for (int k = 0; is_over && !o && k < nover; k++)
			if (same_day(over[k].date, h[i].date))
				o = &over[k];
		if (o) {
			json_object_set_new(day, "updated_at", json_string(o->updated_at));
			json_object_set_new(day, "updated_by", json_string(o->updated_by));
			json_object_set_new(day, "default",
					    default_of(def, defaults, ndef, h[i].date));
		}
		json_array_append_new(days, day);
	}
	calendar_free(cal);
	calendar_free(def);
	arena_free(a);
	*out = json_pack("{s:i,s:o}", "year", year, "days", days);
	return MC_OK;
}

const char *schedule_check(struct solar_date date, bool working, const char *name)
{
	if (date.year < SCHEDULE_YEAR_MIN || date.year > SCHEDULE_YEAR_MAX)
		return "calendar.err.year";
	size_t len = name ? strlen(name) : 0;
	if (len > SCHEDULE_NAME_MAX)
		return "calendar.err.name_long";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "calendar.err.name_control";
	if (!working && len == 0)
		return "calendar.err.name_required";
	if (working) {
		work_calendar *def = calendar_new();
		bool already = calendar_is_working_day(def, date);
		calendar_free(def);
		if (already)
			return "calendar.err.already_working";
	}
	return NULL;
}

struct set_ctx {
	const char *actor, *now;
	const struct schedule_day *days;
	int n;
	enum schedule_mode mode;
	bool unset;
	const char *sha256;
	int added, replaced;
	bool duplicate, missing;
};

/* The override of date before this change, as {working, name}, or null. */
static mc_status before_json(db_conn *c, const char *date, json_t **out)
{
	arena *a = arena_new(0);
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT working, name FROM calendar_day WHERE date = $1",
				DB_ARGS(DB_TEXT(date)), &r);
	*out = NULL;
	if (rc == MC_OK)
		*out = db_nrows(r) == 1 ? json_pack("{s:b,s:s}", "working", db_int(r, 0, 0) == 1,
						    "name", db_text(r, 0, 1))
					: json_null();
	arena_free(a);
	return rc;
}

/* One date: the row and, unless importing, its own audit entry. */
static mc_status apply_one(db_conn *c, struct set_ctx *w, const struct schedule_day *day)
{
	char date[11];
	date_format(day->date, date);
	json_t *before;
	mc_status rc = before_json(c, date, &before);
	if (rc != MC_OK)
		return rc;
	bool existed = !json_is_null(before);
	if (w->unset && !existed) {
		w->missing = true;
		rc = MC_NOT_FOUND;
	} else if (!w->unset && existed && w->mode == SCHEDULE_ADD_ONLY) {
		w->duplicate = true;
		rc = MC_CONFLICT;
	} else if (w->unset) {
		rc = db_exec(c, "DELETE FROM calendar_day WHERE date = $1", DB_ARGS(DB_TEXT(date)),
			     NULL);
	} else {
		rc = db_exec(
			c,
			"INSERT INTO calendar_day (date, working, name, updated_at, updated_by)"
			" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (date) DO UPDATE SET"
			" working = excluded.working, name = excluded.name,"
			" updated_at = excluded.updated_at, updated_by = excluded.updated_by",
			DB_ARGS(DB_TEXT(date), DB_INT(day->working ? 1 : 0),
				DB_TEXT(day->name ? day->name : ""), DB_TEXT(w->now),
				DB_TEXT(w->actor)),
			NULL);
		if (existed)
			w->replaced++;
		else
			w->added++;
	}
	if (rc == MC_OK && !w->sha256) {
		json_t *data =
			w->unset ? json_pack("{s:n,s:n,s:O}", "working", "name", "before", before)
				 : json_pack("{s:b,s:s,s:O}", "working", day->working, "name",
					     day->name ? day->name : "", "before", before);
		char subject[32];
		snprintf(subject, sizeof(subject), "calendar:%s", date);
		rc = audit_append(c, w->actor, w->unset ? "calendar.unset" : "calendar.set",
				  subject, data, NULL);
		json_decref(data);
	}
	json_decref(before);
	return rc;
}

static mc_status set_fn(db_conn *c, void *p)
{
	struct set_ctx *w = p;
	w->added = w->replaced = 0;
	for (int i = 0; i < w->n; i++) {
		mc_status rc = apply_one(c, w, &w->days[i]);
		if (rc != MC_OK)
			return rc;
	}
	if (!w->sha256)
		return MC_OK;
	json_t *data = json_pack("{s:i,s:i,s:i,s:s}", "rows", w->n, "added", w->added, "replaced",
				 w->replaced, "sha256", w->sha256);
	mc_status rc = audit_append(c, w->actor, "calendar.import", "calendar:import", data, NULL);
	json_decref(data);
	return rc;
}

static mc_status run(db *d, struct set_ctx *w)
{
	char now[20];
	account_now_text(now);
	w->now = now;
	return db_write(d, set_fn, w);
}

mc_status schedule_set(db *d, const char *actor, struct solar_date date, bool working,
		       const char *name, enum schedule_mode mode, const char **problem)
{
	*problem = schedule_check(date, working, name);
	if (*problem)
		return MC_INVALID;
	struct schedule_day day = {date, working, name ? name : "", NULL, NULL};
	struct set_ctx w = {.actor = actor, .days = &day, .n = 1, .mode = mode};
	mc_status rc = run(d, &w);
	if (w.duplicate)
		*problem = "calendar.err.duplicate";
	return rc;
}

mc_status schedule_unset(db *d, const char *actor, struct solar_date date)
{
	struct schedule_day day = {date, false, NULL, NULL, NULL};
	struct set_ctx w = {.actor = actor, .days = &day, .n = 1, .unset = true};
	return run(d, &w);
}

mc_status schedule_import(db *d, const char *actor, const struct schedule_day *days, int n,
			  const char *sha256, int *added, int *replaced)
{
	struct set_ctx w = {.actor = actor,
			    .days = days,
			    .n = n,
			    .mode = SCHEDULE_REPLACE,
			    .sha256 = sha256 ? sha256 : ""};
	mc_status rc = run(d, &w);
	if (added)
		*added = w.added;
	if (replaced)
		*replaced = w.replaced;
	return rc;
}
