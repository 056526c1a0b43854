/*
 * agencies.c - GET /api/v1/agencies (filters: level, parent, current) and
 * GET /api/v1/agencies/{code}; GET /api/v1/fields.
 */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/agency.h"
#include "domain/catalogue.h"

static const char *const levels[] = {"province", "department", "district", "commune", "unit"};

static json_t *agency_json(const struct agency *g)
{
	return json_pack("{s:s,s:s?,s:s,s:s,s:s?,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:I,s:s?}",
			 "code", g->code, "identifier", g->identifier, "kind", g->kind, "level",
			 g->level, "parent", g->parent_code, "name", g->name, "address",
			 g->address ?: "", "phone", g->phone ?: "", "email", g->email ?: "",
			 "website", g->website ?: "", "valid_from", g->valid_from, "valid_to",
			 g->valid_to, "successor", g->successor_code, "procedures",
			 (json_int_t)g->procedures, "merged_at", g->merged_at);
}

void api_agencies(http_req *r)
{
	struct app *app = http_app(r);
	struct agency_filter f = {0};
	int64_t current;
	if (!http_query_text(r, "level", 16, false, &f.level) ||
	    !http_query_text(r, "parent", 64, false, &f.parent) ||
	    !http_query_int(r, "current", 0, 1, 1, &current))
		return;
	if (f.level) {
		bool known = false;
		for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			known |= strcmp(levels[i], f.level) == 0;
		if (!known) {
			const char *args[2] = {"level",
					       "province, department, district, commune, unit"};
			http_reply_error(r, 400,
					 i18n_format(r->a, r->lang, "error.field_choice", 2, args));
			return;
		}
	}
	f.current_only = current == 1;
	struct agency *list;
	int n;
	mc_status rc = agency_list(app->db, r->a, &f, &list, &n);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, agency_json(&list[i]));
	json_t *doc = json_pack("{s:o,s:i}", "agencies", items, "count", n);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_agency(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = http_param(r, "code");
	struct agency g;
	mc_status rc = agency_get(app->db, r->a, code, &g);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc = agency_json(&g);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_fields(http_req *r)
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
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:I}", "code", fields[i].code,
						       "name", fields[i].name_vi, "name_en",
						       fields[i].name_en ?: "", "procedures",
						       (json_int_t)fields[i].procedures));
	json_t *doc = json_pack("{s:o,s:i}", "fields", items, "count", n);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
