/*
 * admin_targets.c - /quan-tri/chi-tieu: the targets (chỉ tiêu) the province
 * sets per unit and year for the public statistics (stats.h), set by the
 * system admin; every change is audited ("stats.target"). The same is
 * available as `motcua stats target`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "domain/agency.h"
#include "domain/stats.h"
#include "http/csrf.h"
#include "web/web.h"

static const char *const metrics[] = {"on_time_rate",	   "online_rate",
				      "digitisation_rate", "online_payment_rate",
				      "satisfaction_rate", "index"};

static int this_year(void)
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

static void render(http_req *r, int status, int year, const char *error)
{
	struct app *app = http_app(r);
	struct stats_target_row *rows;
	int n;
	mc_status st = stats_list_targets(app->db, r->a, year, &rows, &n);
	struct agency *list;
	int na;
	struct agency_filter af = {.current_only = true};
	if (st == MC_OK)
		st = agency_list(app->db, r->a, &af, &list, &na);
	if (st != MC_OK) {
		http_reply_status(r, st);
		return;
	}
	json_t *targets = json_array(), *agencies = json_array(), *ms = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			targets,
			json_pack(
				"{s:s,s:s,s:s,s:s,s:s}", "agency", rows[i].agency_name, "metric",
				http_msg(r, arena_printf(r->a, "stats.metric.%s", rows[i].metric)),
				"value", arena_printf(r->a, "%.2f", rows[i].value), "set_by",
				rows[i].set_by, "set_at", rows[i].set_at));
	for (int i = 0; i < na; i++)
		json_array_append_new(agencies, json_pack("{s:s,s:s}", "value", list[i].code,
							  "label", list[i].name));
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		json_array_append_new(
			ms,
			json_pack("{s:s,s:s}", "value", metrics[i], "label",
				  http_msg(r, arena_printf(r->a, "stats.metric.%s", metrics[i]))));
	page_render(r, status, "admin_targets",
		    json_pack("{s:i,s:o,s:o,s:o,s:b,s:s?}", "year", year, "targets", targets,
			      "agencies", agencies, "metrics", ms, "has_targets", n > 0, "error",
			      error));
}

void web_admin_targets(http_req *r)
{
	int64_t year;
	if (!http_query_int(r, "year", 2000, 2999, this_year(), &year))
		return;
	render(r, 200, (int)year, NULL);
}

void web_admin_target_save(http_req *r)
{
	if (!csrf_check(r))
		return;
	struct app *app = http_app(r);
	const char *agency, *metric, *value;
	int64_t year;
	if (!http_form_text(r, "agency", 1, 64, &agency, NULL) ||
	    !http_form_text(r, "metric", 1, 32, &metric, NULL) ||
	    !http_form_text(r, "value", 1, 16, &value, NULL) ||
	    !http_form_int(r, "year", 2000, 2999, &year, NULL))
		return;
	char *end;
	double v = strtod(value, &end);
	const char *why = NULL;
	mc_status st = *end ? MC_INVALID
			    : stats_set_target(app->db, r->user->account_id, agency, (int)year,
					       metric, v, &why);
	if (*end)
		why = "stats.error.value";
	if (st == MC_INVALID) {
		render(r, 400, (int)year, http_msg(r, why));
		return;
	}
	if (st != MC_OK) {
		http_reply_status(r, st);
		return;
	}
	http_redirect(r, 303, arena_printf(r->a, "/quan-tri/chi-tieu?year=%d", (int)year));
}
