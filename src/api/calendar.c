/*
 * calendar.c - the official schedule in the JSON API:
 * GET /api/v1/calendar/{year} (public: holidays are public knowledge),
 * PUT and DELETE /api/v1/calendar/days/{date} (the system admin only).
 * Each edit is one audited write (domain/schedule.h); the next due date
 * computed by any node uses it.
 */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/schedule.h"

void api_calendar_year(http_req *r)
{
	struct app *app = http_app(r);
	int64_t year;
	if (parse_int64(http_param(r, "year"), SCHEDULE_YEAR_MIN, SCHEDULE_YEAR_MAX, &year) < 0) {
		http_reply_error(r, 400, http_msg(r, "calendar.err.year"));
		return;
	}
	json_t *doc;
	mc_status rc = schedule_year_json(app->db, (int)year, &doc);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

/* The {date} of the path, or false after replying 400. */
static bool path_date(http_req *r, struct solar_date *d)
{
	if (date_parse(http_param(r, "date"), d))
		return true;
	http_reply_error(r, 400, http_msg(r, "calendar.err.date_iso"));
	return false;
}

static void reply_field(http_req *r, int status, const char *field, const char *key)
{
	json_t *doc = json_pack("{s:{s:i,s:s,s:s,s:{s:s}}}", "error", "status", status, "reason",
				status == 409 ? "Conflict" : "Unprocessable Content", "message",
				http_msg(r, key), "fields", field, http_msg(r, key));
	http_reply_json(r, status, doc);
	json_decref(doc);
}

void api_calendar_day_put(http_req *r)
{
	struct app *app = http_app(r);
	struct solar_date date;
	if (!api_csrf(r) || !path_date(r, &date))
		return;
	json_error_t je;
	json_t *b = r->body.len ? json_loadb(r->body.data, r->body.len, 0, &je) : NULL;
	json_t *w = json_object_get(b, "working"), *n = json_object_get(b, "name");
	if (!json_is_object(b) || !json_is_boolean(w) ||
	    (n && !json_is_null(n) && !json_is_string(n))) {
		const char *field = json_is_boolean(w) ? "name" : "working";
		json_decref(b); /* w and n belong to b */
		reply_field(r, 422, field, "calendar.err.body");
		return;
	}
	bool working = json_is_true(w);
	const char *raw = json_is_string(n) ? json_string_value(n) : "", *name = "";
	enum text_problem tp = text_clean(r->a, raw, strlen(raw), 0, SCHEDULE_NAME_MAX, &name);
	json_decref(b);
	if (tp != TEXT_OK) {
		reply_field(r, 422, "name", "calendar.err.name_long");
		return;
	}
	const char *problem = NULL;
	mc_status rc = schedule_set(app->db, r->user->account_id, date, working, name,
				    SCHEDULE_REPLACE, &problem);
	if (rc == MC_INVALID) {
		reply_field(r, 422,
			    strstr(problem, ".year")		  ? "date"
			    : strstr(problem, ".already_working") ? "working"
								  : "name",
			    problem);
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	char iso[11];
	date_format(date, iso);
	json_t *doc = json_pack("{s:s,s:b,s:s}", "date", iso, "working", working, "name", name);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_calendar_day_delete(http_req *r)
{
	struct app *app = http_app(r);
	struct solar_date date;
	if (!api_csrf(r) || !path_date(r, &date))
		return;
	mc_status rc = schedule_unset(app->db, r->user->account_id, date);
	if (rc == MC_NOT_FOUND) {
		http_reply_error(r, 404, http_msg(r, "calendar.err.no_override"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	http_reply(r, 204, "application/json", "", 0);
}
