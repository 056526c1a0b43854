/*
 * admin_calendar.c - /quan-tri/lich?nam=YYYY: the year's official schedule
 * (lịch làm việc) as month grids and a list of days off and working days,
 * with the system admin's overrides added, edited and removed there. Agency
 * admins see the same page read-only: the schedule is the province's, set
 * by the system admin (the Department of Information and Communications)
 * from the government's yearly announcement.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/text.h"
#include "domain/identity.h"
#include "domain/schedule.h"
#include "http/csrf.h"
#include "web/web.h"

/* What a failed form keeps to show again. */
struct typed {
	const char *date, *kind, *name;
	const char *date_error, *kind_error, *name_error;
};

static bool is_sysadmin(http_req *r)
{
	return (r->user->roles & ROLE_SYSADMIN) != 0;
}

static int this_year(void)
{
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

static const char *msg_n(http_req *r, const char *prefix, int n)
{
	char key[48];
	snprintf(key, sizeof(key), "%s%d", prefix, n);
	return http_msg(r, key);
}

/* "2026-04-30" -> "30/04/2026". */
static const char *vn_date(http_req *r, const char *iso)
{
	return arena_printf(r->a, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* The 12 month grids, Monday first, each cell with a text label for the
 * days that are not ordinary working days. */
static json_t *months(http_req *r, int year, const json_t *days)
{
	work_calendar *none = calendar_new();
	json_t *out = json_array();
	for (int m = 1; m <= 12; m++) {
		json_t *weeks = json_array(), *week = NULL;
		struct solar_date d = {year, m, 1};
		int lead = (weekday(d) + 6) % 7; /* Monday 0 */
		for (; d.month == m; d = date_next(d)) {
			if (!week) {
				week = json_array();
				for (int i = 0; i < lead; i++)
					json_array_append_new(week, json_pack("{s:s}", "day", ""));
				lead = 0;
			}
			char iso[11];
			date_format(d, iso);
			const char *cls = NULL, *label = NULL;
			size_t i;
			json_t *e;
			json_array_foreach(days, i, e)
			{
				if (strcmp(json_string_value(json_object_get(e, "date")), iso) != 0)
					continue;
				cls = json_string_value(json_object_get(e, "kind"));
				label = json_string_value(json_object_get(e, "name"));
			}
			if (!cls && !calendar_is_working_day(none, d)) {
				cls = "weekend";
				label = http_msg(r, "calendar.kind.weekend");
			}
			json_t *cell = json_pack("{s:i}", "day", d.day);
			if (cls) {
				json_object_set_new(cell, "cls", json_string(cls));
				json_object_set_new(cell, "label", json_string(label));
			}
			json_array_append_new(week, cell);
			if (json_array_size(week) == 7) {
				json_array_append_new(weeks, json_pack("{s:o}", "cells", week));
				week = NULL;
			}
		}
		if (week) {
			while (json_array_size(week) < 7)
				json_array_append_new(week, json_pack("{s:s}", "day", ""));
			json_array_append_new(weeks, json_pack("{s:o}", "cells", week));
		}
		json_array_append_new(out, json_pack("{s:s,s:i,s:o}", "name",
						     msg_n(r, "calendar.month.", m), "month", m,
						     "weeks", weeks));
	}
	calendar_free(none);
	return out;
}

static void render(http_req *r, int status, int year, const struct typed *t, bool saved)
{
	struct app *app = http_app(r);
	json_t *doc;
	mc_status rc = schedule_year_json(app->db, year, &doc);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *days = json_object_get(doc, "days");
	bool edit = is_sysadmin(r);
	size_t i;
	json_t *e;
	json_array_foreach(days, i, e)
	{
		const char *iso = json_string_value(json_object_get(e, "date"));
		const char *kind = json_string_value(json_object_get(e, "kind"));
		json_object_set_new(e, "date_vn", json_string(vn_date(r, iso)));
		json_object_set_new(
			e, "weekday_name",
			json_string(msg_n(r, "calendar.weekday.",
					  (int)json_integer_value(json_object_get(e, "weekday")))));
		json_object_set_new(
			e, "kind_label",
			json_string(http_msg(r, arena_printf(r->a, "calendar.kind.%s", kind))));
		json_object_set_new(
			e, "editable",
			json_boolean(edit && json_is_true(json_object_get(e, "override"))));
		json_t *def = json_object_get(e, "default");
		if (def)
			json_object_set_new(
				e, "default_label",
				json_string(
					json_is_true(json_object_get(def, "working"))
						? http_msg(r, "calendar.default_working")
						: arena_printf(r->a, "%s: %s",
							       http_msg(r, "calendar.default_off"),
							       json_string_value(json_object_get(
								       def, "name")))));
	}
	json_t *errors = json_array();
	if (t && t->date_error)
		json_array_append_new(
			errors, json_pack("{s:s,s:s}", "field", "date", "message", t->date_error));
	if (t && t->kind_error)
		json_array_append_new(errors, json_pack("{s:s,s:s}", "field", "kind-off", "message",
							t->kind_error));
	if (t && t->name_error)
		json_array_append_new(
			errors, json_pack("{s:s,s:s}", "field", "name", "message", t->name_error));
	bool working = t && t->kind && strcmp(t->kind, "working") == 0;
	json_t *ctx = json_pack(
		"{s:i,s:i,s:i,s:b,s:s,s:O,s:b,s:o,s:o,s:b,s:b,s:b,s:s,s:s,s:s?,s:s?,s:s?}",
		"cal_year", year, "cal_prev", year > SCHEDULE_YEAR_MIN ? year - 1 : year,
		"cal_next", year < SCHEDULE_YEAR_MAX ? year + 1 : year, "can_edit", edit, "csrf",
		csrf_token(r), "days", days, "has_days", json_array_size(days) > 0, "months",
		months(r, year, days), "error_list", errors, "has_errors",
		json_array_size(errors) > 0, "saved", saved, "kind_working", working, "typed_date",
		t && t->date ? t->date : "", "typed_name", t && t->name ? t->name : "",
		"date_error", t ? t->date_error : NULL, "kind_error", t ? t->kind_error : NULL,
		"name_error", t ? t->name_error : NULL);
	json_decref(doc);
	page_render(r, status, "admin_calendar", ctx);
}

void web_admin_calendar(http_req *r)
{
	int64_t year, saved;
	if (!http_query_int(r, "nam", SCHEDULE_YEAR_MIN, SCHEDULE_YEAR_MAX, this_year(), &year) ||
	    !http_query_int(r, "luu", 0, 1, 0, &saved))
		return;
	render(r, 200, (int)year, NULL, saved == 1);
}

static void back(http_req *r, int year)
{
	http_redirect(r, 303, arena_printf(r->a, "/quan-tri/lich?nam=%d&luu=1", year));
}

/* Adds an override (or, with thay=1 from an existing row, replaces it). */
void web_admin_calendar_save(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	struct typed t = {0};
	const char *replace = NULL; /* "1" from a row of the list: edit, not add */
	if (!http_form_text(r, "date", 0, 32, &t.date, NULL) ||
	    !http_form_text(r, "kind", 0, 16, &t.kind, NULL) ||
	    !http_form_text(r, "name", 0, 1024, &t.name, NULL) ||
	    !http_form_text(r, "thay", 0, 1, &replace, NULL))
		return;
	char iso[11] = "";
	struct solar_date date = {this_year(), 1, 1};
	if (!t.date || !*t.date || !id_date_parse(t.date, iso) || !date_parse(iso, &date))
		t.date_error = http_msg(r, "calendar.err.date");
	bool working = t.kind && strcmp(t.kind, "working") == 0;
	if (!working && !(t.kind && strcmp(t.kind, "off") == 0))
		t.kind_error = http_msg(r, "calendar.err.kind");
	const char *name = "";
	if (t.name &&
	    text_clean(r->a, t.name, strlen(t.name), 0, SCHEDULE_NAME_MAX, &name) != TEXT_OK)
		t.name_error = http_msg(r, "calendar.err.name_long");
	/* Every problem at once: the name even when the date is wrong. */
	if (!t.name_error && !t.kind_error && !working && !*name)
		t.name_error = http_msg(r, "calendar.err.name_required");
	const char *problem = NULL;
	mc_status rc = MC_INVALID;
	if (!t.date_error && !t.kind_error && !t.name_error)
		rc = schedule_set(app->db, r->user->account_id, date, working, name,
				  replace && strcmp(replace, "1") == 0 ? SCHEDULE_REPLACE
								       : SCHEDULE_ADD_ONLY,
				  &problem);
	if (rc == MC_OK) {
		back(r, date.year);
		return;
	}
	if (problem && (strstr(problem, ".year") || strstr(problem, ".duplicate")))
		t.date_error = http_msg(r, problem);
	else if (problem && strstr(problem, ".already_working"))
		t.kind_error = http_msg(r, problem);
	else if (problem)
		t.name_error = http_msg(r, problem);
	else if (rc != MC_INVALID) {
		http_reply_status(r, rc);
		return;
	}
	render(r, rc == MC_CONFLICT ? 409 : 422, iso[0] ? date.year : this_year(), &t, false);
}

void web_admin_calendar_delete(http_req *r)
{
	struct app *app = http_app(r);
	if (!csrf_check(r))
		return;
	const char *iso;
	struct solar_date date;
	if (!http_form_text(r, "date", 10, 10, &iso, NULL))
		return;
	if (!date_parse(iso, &date)) {
		http_reply_error(r, 400, http_msg(r, "calendar.err.date_iso"));
		return;
	}
	mc_status rc = schedule_unset(app->db, r->user->account_id, date);
	if (rc == MC_NOT_FOUND) {
		http_reply_error(r, 404, http_msg(r, "calendar.err.no_override"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	back(r, date.year);
}
