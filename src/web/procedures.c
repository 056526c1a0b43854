/*
 * procedures.c - the catalogue pages citizens use first: search results
 * with facets and pagination (/thu-tuc), and the procedure page
 * (/thu-tuc/{code}) with everything to know before coming: documents, fees,
 * time limits, where, legal basis.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/format.h"
#include "core/html.h"
#include "domain/catalogue.h"
#include "domain/dossier.h"
#include "domain/catalogue_search.h"
#include "web/web.h"

#define PAGE_SIZE 20

static const char *level_label(http_req *r, const char *level)
{
	char key[48];
	snprintf(key, sizeof(key), "level.%s", level && *level ? level : "other");
	const char *t = i18n_lookup(r->lang, key);
	return t ? t : level;
}

/* "a, b" of the levels text "province,commune". */
static const char *levels_label(http_req *r, const char *levels)
{
	buf b = BUF_INIT(512);
	char *copy = arena_strdup(r->a, levels ? levels : "");
	for (char *p = copy, *next; p && *p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		buf_printf(&b, "%s%s", b.len ? ", " : "", level_label(r, p));
	}
	const char *s = arena_strdup(r->a, buf_str(&b));
	buf_release(&b);
	return s;
}

/* The URL of the results page with one parameter changed (NULL removes). */
static const char *url_with(http_req *r, const struct catalogue_query *q, const char *key,
			    const char *value, size_t page)
{
	const char *keys[] = {"q", "linh-vuc", "cap", "co-quan", "muc-do"};
	const char *vals[] = {q->text, q->field_code, q->level, q->agency_code, q->service_level};
	buf b = BUF_INIT(8192);
	buf_puts(&b, "/thu-tuc");
	char sep = '?';
	for (size_t i = 0; i < 5; i++) {
		const char *v = strcmp(keys[i], key) == 0 ? value : vals[i];
		if (!v || !*v)
			continue;
		buf_printf(&b, "%c%s=", sep, keys[i]);
		url_escape(&b, v, strlen(v));
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%ctrang=%zu", sep, page);
	const char *s = arena_strdup(r->a, buf_str(&b));
	buf_release(&b);
	return s;
}

static json_t *facet_list(http_req *r, const struct catalogue_query *q, const char *key,
			  const char *chosen, const struct catalogue_facet *f, size_t n, size_t max,
			  bool levels)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n && i < max; i++) {
		bool on = chosen && strcmp(chosen, f[i].value) == 0;
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:b,s:s}", "label",
					levels ? level_label(r, f[i].value) : f[i].label, "count",
					format_thousands(r->a, f[i].count), "on", on, "url",
					url_with(r, q, key, on ? NULL : f[i].value, 1)));
	}
	return list;
}

void web_procedures(http_req *r)
{
	struct app *app = http_app(r);
	struct catalogue_query q = {.limit = PAGE_SIZE};
	int64_t page;
	if (!http_query_text(r, "q", 200, false, &q.text) ||
	    !http_query_text(r, "linh-vuc", 80, false, &q.field_code) ||
	    !http_query_text(r, "cap", 20, false, &q.level) ||
	    !http_query_text(r, "co-quan", 64, false, &q.agency_code) ||
	    !http_query_text(r, "muc-do", 20, false, &q.service_level) ||
	    !http_query_int(r, "trang", 1, 10000, 1, &page))
		return;
	q.offset = (size_t)(page - 1) * PAGE_SIZE;
	struct catalogue_results res;
	mc_status rc = catalogue_search(app->db, r->a, &q, &res);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *hits = json_array();
	for (size_t i = 0; i < res.nhits; i++)
		json_array_append_new(
			hits, json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", res.hits[i].code, "name",
					res.hits[i].name, "field", res.hits[i].field_name, "levels",
					levels_label(r, res.hits[i].levels), "url",
					arena_printf(r->a, "/thu-tuc/%s", res.hits[i].code)));
	size_t pages = (res.total + PAGE_SIZE - 1) / PAGE_SIZE;
	char total[32], from[32], to[32];
	snprintf(total, sizeof(total), "%s", format_thousands(r->a, (int64_t)res.total));
	snprintf(from, sizeof(from), "%zu", res.total ? q.offset + 1 : 0);
	snprintf(to, sizeof(to), "%zu", q.offset + res.nhits);
	const char *args[3] = {from, to, total};
	json_t *ctx = json_pack(
		"{s:s?,s:o,s:b,s:s,s:b,s:b,s:o,s:o,s:o,s:b,s:b,s:s?,s:s?}", "q", q.text, "hits",
		hits, "has_hits", res.nhits > 0, "summary",
		i18n_format(r->a, r->lang, "search.summary", 3, args), "partial", res.partial,
		"browse", res.browse, "fields",
		facet_list(r, &q, "linh-vuc", q.field_code, res.fields, res.nfields, 15, false),
		"levels", facet_list(r, &q, "cap", q.level, res.levels, res.nlevels, 10, true),
		"agencies",
		facet_list(r, &q, "co-quan", q.agency_code, res.agencies, res.nagencies, 15, false),
		"has_prev", page > 1, "has_next",
		(size_t)page<pages, "prev_url", page> 1
			? url_with(r, &q, "", NULL, (size_t)page - 1)
			: NULL,
		"next_url",
		(size_t)page < pages ? url_with(r, &q, "", NULL, (size_t)page + 1) : NULL);
	page_render(r, 200, "procedures", ctx);
}

static json_t *methods_json(http_req *r, const struct procedure_rec *p)
{
	json_t *list = json_array();
	for (size_t i = 0; i < p->nmethods; i++) {
		const struct procedure_method *m = &p->methods[i];
		char key[48];
		snprintf(key, sizeof(key), "channel.%s", procedure_channel_name(m->channel));
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s,s:s}", "channel", http_msg(r, key), "time",
					*m->time_text ? m->time_text : "—", "fee",
					m->fee_amount == 0  ? http_msg(r, "procedure.free")
					: m->fee_amount > 0 ? format_money_vnd(r->a, m->fee_amount)
					: *m->fee	    ? m->fee
							    : "—",
					"description", m->description));
	}
	return list;
}

static json_t *documents_json(http_req *r, const struct procedure_rec *p)
{
	json_t *list = json_array();
	for (size_t i = 0; i < p->ndocuments; i++) {
		const struct procedure_document *d = &p->documents[i];
		char o[16], c[16];
		snprintf(o, sizeof(o), "%d", d->originals);
		snprintf(c, sizeof(c), "%d", d->copies);
		const char *args[2] = {o, c};
		json_t *templates = json_array();
		for (size_t k = 0; k < d->ntemplates; k++)
			json_array_append_new(templates, json_string(d->templates[k]));
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:s,s:o,s:b}", "case", d->case_name, "name", d->name,
				  "copies", i18n_format(r->a, r->lang, "procedure.copies", 2, args),
				  "templates", templates, "has_templates", d->ntemplates > 0));
	}
	return list;
}

static json_t *strings_json(const char **s, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(s[i]));
	return list;
}

void web_procedure(http_req *r)
{
	struct app *app = http_app(r);
	const char *code = http_param(r, "code");
	struct procedure_rec p;
	mc_status rc = catalogue_get(app->db, r->a, code, &p);
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *legal = json_array();
	for (size_t i = 0; i < p.nlegal_basis; i++)
		json_array_append_new(legal, json_pack("{s:s,s:s}", "title", p.legal_basis[i].title,
						       "number", p.legal_basis[i].number));
	json_t *results = json_array();
	for (size_t i = 0; i < p.nresults; i++)
		json_array_append_new(results, json_string(p.results[i].name));
	buf lv = BUF_INIT(256);
	for (unsigned bit = 1; bit <= PROCEDURE_LEVEL_OTHER; bit <<= 1)
		if (p.levels & bit)
			buf_printf(&lv, "%s%s", lv.len ? "," : "", procedure_level_name(bit));
	const char *levels = levels_label(r, buf_str(&lv));
	buf_release(&lv);
	json_t *ctx = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b}",
		"code", p.code, "name", p.name, "field", p.field, "field_url",
		arena_printf(r->a, "/linh-vuc/%s", catalogue_field_code(r->a, p.field)), "levels",
		levels, "decision", p.decision, "methods", methods_json(r, &p), "documents",
		documents_json(r, &p), "steps", strings_json(p.steps, p.nsteps), "applicants",
		strings_json(p.applicants, p.napplicants), "legal", legal, "results", results,
		"conditions", p.conditions, "agency", p.agency_implementing, "competent",
		p.agency_competent, "address", p.receiving_address, "has_conditions",
		*p.conditions != '\0', "has_legal", p.nlegal_basis > 0, "has_address",
		*p.receiving_address != '\0', "generated", p.generated);
	json_object_set_new(ctx, "online", json_boolean(dossier_procedure_online(&p)));
	page_render(r, 200, "procedure", ctx);
}
