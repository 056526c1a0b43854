/* schedule.c - reads calendar_day into a work_calendar. */
#include "domain/schedule.h"

#include "core/log.h"

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
