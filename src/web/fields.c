/*
 * fields.c - the fields (lĩnh vực) procedures are grouped in: every field
 * with its count (/linh-vuc), and one field's page (/linh-vuc/{code}): its
 * procedures by level, and the agencies that carry them out.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "domain/catalogue.h"
#include "domain/catalogue_search.h"
#include "web/web.h"

/* A field holds at most a few hundred procedures: one page lists them all. */
#define FIELD_PAGE_MAX	     500
#define FIELD_AGENCIES_SHOWN 12

static const char *field_name(http_req *r, const struct field_summary *f)
{
	return r->lang == LANG_EN && f->name_en && *f->name_en ? f->name_en : f->name_vi;
}

void web_fields(http_req *r)
{
	struct app *app = http_app(r);
	struct field_summary *fields;
	int n;
	mc_status rc = catalogue_fields(app->db, r->a, &fields, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		if (fields[i].procedures == 0)
			continue;
		json_array_append_new(
			items, json_pack("{s:s,s:s,s:s}", "name", field_name(r, &fields[i]), "url",
					 arena_printf(r->a, "/linh-vuc/%s", fields[i].code),
					 "count", format_thousands(r->a, fields[i].procedures)));
	}
	page_render(r, 200, "fields", json_pack("{s:o}", "fields", items));
}

static json_t *level_groups(http_req *r, const struct catalogue_results *res)
{
	static const char *const order[] = {"province", "district", "commune", "ministry", "other"};
	json_t *groups = json_array();
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		json_t *items = json_array();
		for (size_t i = 0; i < res->nhits; i++) {
			const struct catalogue_hit *h = &res->hits[i];
			/* levels is "province,commune": a procedure shows under its
			 * first level only, so each is listed once. */
			size_t len = strcspn(h->levels, ",");
			if (strlen(order[k]) != len || strncmp(h->levels, order[k], len) != 0)
				continue;
			json_array_append_new(
				items,
				json_pack("{s:s,s:s,s:s}", "code", h->code, "name", h->name, "url",
					  arena_printf(r->a, "/thu-tuc/%s", h->code)));
		}
		if (json_array_size(items) == 0) {
			json_decref(items);
			continue;
		}
		char key[40];
		snprintf(key, sizeof(key), "level.%s", order[k]);
		json_array_append_new(
			groups, json_pack("{s:s,s:s,s:o}", "title", http_msg(r, key), "count",
					  format_thousands(r->a, (int64_t)json_array_size(items)),
					  "procedures", items));
	}
	return groups;
}

void web_field(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = http_param(r, "code");
	struct field_summary *fields;
	int n;
	mc_status rc = catalogue_fields(app->db, r->a, &fields, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	const struct field_summary *f = NULL;
	for (int i = 0; i < n && !f; i++)
		if (strcmp(fields[i].code, code) == 0 && fields[i].procedures > 0)
			f = &fields[i];
	if (!f) {
		http_reply_error(r, 404, http_msg(r, "field_page.not_found"));
		return;
	}
	struct catalogue_query q = {.field_code = f->code, .limit = FIELD_PAGE_MAX};
	struct catalogue_results res;
	rc = catalogue_search(app->db, r->a, &q, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	/* Commune-level fields are carried out by every commune: the page
	 * names the first few agencies and counts the rest. */
	size_t nshow = res.nagencies < FIELD_AGENCIES_SHOWN ? res.nagencies : FIELD_AGENCIES_SHOWN;
	json_t *agencies = json_array();
	for (size_t i = 0; i < nshow; i++)
		json_array_append_new(
			agencies,
			json_pack("{s:s,s:s,s:s}", "name", res.agencies[i].label, "url",
				  arena_printf(r->a, "/co-quan/%s", res.agencies[i].value), "count",
				  format_thousands(r->a, res.agencies[i].count)));
	const char *total = format_thousands(r->a, (int64_t)res.total);
	const char *rest = format_thousands(r->a, (int64_t)(res.nagencies - nshow));
	json_t *ctx =
		json_pack("{s:s,s:s,s:o,s:o,s:s?,s:s}", "name", field_name(r, f), "summary",
			  i18n_format(r->a, r->lang, "field_page.summary", 1, &total), "levels",
			  level_groups(r, &res), "agencies", agencies, "more_agencies",
			  res.nagencies > nshow
				  ? i18n_format(r->a, r->lang, "field_page.more_agencies", 1, &rest)
				  : NULL,
			  "search_url", arena_printf(r->a, "/thu-tuc?linh-vuc=%s", f->code));
	page_render(r, 200, "field", ctx);
}
