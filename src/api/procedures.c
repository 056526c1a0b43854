/*
 * procedures.c - GET /api/v1/procedures (search with facets, offset
 * pagination) and GET /api/v1/procedures/{code} (the whole record in the
 * catalogue format of docs/catalogue.md).
 */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/catalogue.h"
#include "domain/catalogue_search.h"

static json_t *facets_json(const struct catalogue_facet *f, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:i}", "value", f[i].value, "label",
						      f[i].label, "count", (int)f[i].count));
	return list;
}

void api_procedures(http_req *r)
{
	struct app *app = http_app(r);
	struct catalogue_query q = {0};
	int64_t offset, limit, prefix;
	if (!http_query_text(r, "q", 200, false, &q.text) ||
	    !http_query_text(r, "field", 80, false, &q.field_code) ||
	    !http_query_text(r, "level", 20, false, &q.level) ||
	    !http_query_text(r, "agency", 64, false, &q.agency_code) ||
	    !http_query_text(r, "service_level", 20, false, &q.service_level) ||
	    !http_query_int(r, "offset", 0, 1000000, 0, &offset) ||
	    !http_query_int(r, "limit", 1, 100, 20, &limit) ||
	    !http_query_int(r, "prefix", 0, 1, 0, &prefix))
		return;
	q.offset = (size_t)offset;
	q.limit = (size_t)limit;
	q.prefix = prefix == 1;
	struct catalogue_results res;
	mc_status rc = catalogue_search(app->db, r->a, &q, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < res.nhits; i++) {
		const struct catalogue_hit *h = &res.hits[i];
		json_array_append_new(items,
				      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", h->code,
						"name", h->name, "field", h->field_code,
						"field_name", h->field_name, "levels", h->levels,
						"service_level", h->service_level));
	}
	json_t *doc = json_pack("{s:o,s:I,s:I,s:I,s:b,s:{s:o,s:o,s:o,s:o}}", "procedures", items,
				"total", (json_int_t)res.total, "offset", (json_int_t)q.offset,
				"limit", (json_int_t)q.limit, "partial", res.partial, "facets",
				"field", facets_json(res.fields, res.nfields), "level",
				facets_json(res.levels, res.nlevels), "agency",
				facets_json(res.agencies, res.nagencies), "service_level",
				facets_json(res.service_levels, res.nservice_levels));
	http_reply_json(r, 200, doc);
	json_decref(doc);
}

void api_procedure(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = http_param(r, "code");
	struct procedure_rec p;
	mc_status rc = catalogue_get(app->db, r->a, code, &p);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *doc = procedure_to_json(&p);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
