/*
 * agencies.c - the agencies of the province (/co-quan) grouped by level, and
 * one agency's page (/co-quan/{code}): who it is, how to reach it, and the
 * procedures it carries out.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/agency.h"
#include "domain/catalogue_search.h"
#include "web/web.h"

void web_agencies(http_req *r)
{
	struct app *app = http_app(r);
	/* Units merged away are left out unless ?sap-nhap=1 asks for them. */
	int64_t merged = 0;
	if (!http_query_int(r, "sap-nhap", 0, 1, 0, &merged))
		return;
	struct agency_filter f = {.current_only = merged == 0};
	struct agency *list;
	int n;
	mc_status rc = agency_list(app->db, r->a, &f, &list, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	/* Groups in the order the list comes: province, departments,
	 * districts, communes. */
	json_t *groups = json_array(), *items = NULL;
	const char *level = NULL;
	for (int i = 0; i < n; i++) {
		if (!level || strcmp(level, list[i].level) != 0) {
			level = list[i].level;
			items = json_array();
			char key[48];
			snprintf(key, sizeof(key), "agency.group.%s", level);
			json_array_append_new(groups,
					      json_pack("{s:s,s:o}", "title", http_msg(r, key),
							"agencies", items));
		}
		json_array_append_new(
			items,
			json_pack("{s:s,s:s,s:s,s:b}", "name", list[i].name, "url",
				  arena_printf(r->a, "/co-quan/%s", list[i].code), "count",
				  format_thousands(r->a, list[i].procedures), "merged",
				  list[i].successor_code != NULL && list[i].merged_at != NULL));
	}
	page_render(r, 200, "agencies",
		    json_pack("{s:o,s:b}", "groups", groups, "show_merged", merged == 1));
}

/* "Đã sáp nhập vào <successor>" for a unit that was merged: the
 * successor's name and page, and since when; JSON false otherwise. */
static json_t *merged_into(http_req *r, const struct agency *g)
{
	struct app *app = http_app(r);
	struct agency next;
	if (!g->merged_at || !g->successor_code ||
	    agency_get(app->db, r->a, g->successor_code, &next) != MC_OK)
		return json_false();
	const char *day = format_datetime_vn(r->a, arena_strndup(r->a, g->merged_at, 10));
	return json_pack("{s:s,s:s,s:s}", "name", next.name, "url",
			 arena_printf(r->a, "/co-quan/%s", next.code), "since",
			 i18n_format(r->a, r->lang, "agency.merged_on", 1, &day));
}

void web_agency(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = http_param(r, "code");
	struct agency g;
	mc_status rc = agency_get(app->db, r->a, code, &g);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	struct catalogue_query q = {.agency_code = g.code, .limit = 50};
	struct catalogue_results res;
	rc = catalogue_search(app->db, r->a, &q, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *procs = json_array();
	for (size_t i = 0; i < res.nhits; i++)
		json_array_append_new(
			procs, json_pack("{s:s,s:s,s:s}", "code", res.hits[i].code, "name",
					 res.hits[i].name, "url",
					 arena_printf(r->a, "/thu-tuc/%s", res.hits[i].code)));
	char shown[24], total[24];
	snprintf(shown, sizeof(shown), "%zu", res.nhits);
	snprintf(total, sizeof(total), "%s", format_thousands(r->a, (int64_t)res.total));
	const char *args[2] = {shown, total};
	json_t *ctx = json_pack("{s:s,s:s?,s:s,s:s,s:s,s:s,s:o,s:b,s:s,s:s,s:o}", "name", g.name,
				"identifier", g.identifier, "address", g.address ?: "", "phone",
				g.phone ?: "", "email", g.email ?: "", "website", g.website ?: "",
				"procedures", procs, "more", res.total > res.nhits, "shown",
				i18n_format(r->a, r->lang, "agency.shown", 2, args), "all_url",
				arena_printf(r->a, "/thu-tuc?co-quan=%s", g.code), "merged",
				merged_into(r, &g));
	page_render(r, 200, "agency", ctx);
}
