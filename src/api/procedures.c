/*
 * procedures.c - GET /api/v1/procedures (search with facets, pagination by
 * cursor or offset) and GET /api/v1/procedures/{code} (the whole record in
 * the catalogue format of docs/catalogue.md).
 *
 * A cursor ("next_cursor" of one page, "cursor" of the next request) names
 * a position in one ranking: the offset, and a digest of the query and of
 * the catalogue version the index was built from. Pages read with cursors
 * therefore never skip or repeat a procedure: when the catalogue changed
 * in between (an import, an admin's edit), the cursor is refused with 409
 * and the client starts again, instead of silently getting a shifted list.
 */
#include <sodium.h>
#include <stdio.h>
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

#define CURSOR_DIGEST 16 /* hex digits */

/* hex(SHA-256(version, query))[0..16): what a cursor is bound to. */
static void cursor_digest(const struct catalogue_query *q, const char *version,
			  char out[CURSOR_DIGEST + 1])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	const char *parts[] = {version,
			       q->text ? q->text : "",
			       q->field_code ? q->field_code : "",
			       q->level ? q->level : "",
			       q->agency_code ? q->agency_code : "",
			       q->service_level ? q->service_level : "",
			       q->prefix ? "p" : ""};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i],
					  strlen(parts[i]) + 1);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	memcpy(out, hex, CURSOR_DIGEST);
	out[CURSOR_DIGEST] = '\0';
}

/* "<offset>.<digest>" -> offset and digest; false when not shaped so. */
static bool cursor_parse(const char *c, int64_t *offset, char digest[CURSOR_DIGEST + 1])
{
	const char *dot = strchr(c, '.');
	if (!dot || dot == c || dot - c > 7 || strlen(dot + 1) != CURSOR_DIGEST)
		return false;
	int64_t v = 0;
	for (const char *p = c; p < dot; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	for (const char *p = dot + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	*offset = v;
	memcpy(digest, dot + 1, CURSOR_DIGEST + 1);
	return true;
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
	const char *cursor = NULL;
	char want[CURSOR_DIGEST + 1] = "";
	if (!http_query_text(r, "cursor", 64, false, &cursor))
		return;
	if (cursor && *cursor) {
		if (http_query(r, "offset")) {
			http_reply_error(r, 400, http_msg(r, "api.cursor_with_offset"));
			return;
		}
		if (!cursor_parse(cursor, &offset, want) || offset > 1000000) {
			http_reply_error(r, 400, http_msg(r, "api.cursor_invalid"));
			return;
		}
	}
	q.offset = (size_t)offset;
	q.limit = (size_t)limit;
	q.prefix = prefix == 1;
	struct catalogue_results res;
	mc_status rc = catalogue_search(app->db, r->a, &q, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	char digest[CURSOR_DIGEST + 1];
	cursor_digest(&q, res.version ? res.version : "", digest);
	if (want[0] && strcmp(want, digest) != 0) {
		http_reply_error(r, 409, http_msg(r, "api.cursor_expired"));
		return;
	}
	const char *next = NULL;
	if (q.offset + res.nhits < res.total)
		next = arena_printf(r->a, "%zu.%s", q.offset + res.nhits, digest);
	json_t *items = json_array();
	for (size_t i = 0; i < res.nhits; i++) {
		const struct catalogue_hit *h = &res.hits[i];
		json_array_append_new(items,
				      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", h->code,
						"name", h->name, "field", h->field_code,
						"field_name", h->field_name, "levels", h->levels,
						"service_level", h->service_level));
	}
	json_t *doc = json_pack(
		"{s:o,s:I,s:I,s:I,s:s?,s:b,s:{s:o,s:o,s:o,s:o}}", "procedures", items, "total",
		(json_int_t)res.total, "offset", (json_int_t)q.offset, "limit", (json_int_t)q.limit,
		"next_cursor", next, "partial", res.partial, "facets", "field",
		facets_json(res.fields, res.nfields), "level", facets_json(res.levels, res.nlevels),
		"agency", facets_json(res.agencies, res.nagencies), "service_level",
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
