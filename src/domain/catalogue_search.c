/*
 * catalogue_search.c - the shared index snapshot: build from the database,
 * reference counting, version checks and the search itself.
 */
#include "domain/catalogue_search.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "domain/search.h"

struct snapshot {
	search_index *ix;
	arena *a; /* the documents' strings and the tables below */
	struct catalogue_hit *docs;
	size_t n;
	/* labels for facet values */
	const char **field_codes, **field_names;
	size_t nfields;
	const char **agency_codes, **agency_names;
	size_t nagencies;
	char version[96];
	int refs;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t built; /* broadcast when a check or build ends */
	struct snapshot *cur;
	time_t checked;
	bool building;
} state = {.mu = PTHREAD_MUTEX_INITIALIZER, .built = PTHREAD_COND_INITIALIZER};

static void snapshot_unref(struct snapshot *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&state.mu);
	bool last = --s->refs == 0;
	pthread_mutex_unlock(&state.mu);
	if (last) {
		search_free(s->ix);
		arena_free(s->a);
		free(s);
	}
}

/* A string that changes whenever the published catalogue or the agencies
 * change (a merge moves procedures between agencies without changing the
 * counts: its merged_at does). */
static mc_status version_of(db_conn *c, arena *a, char *out, size_t len)
{
	db_result *r;
	mc_status rc =
		db_query(c, a,
			 "SELECT (SELECT COUNT(*) FROM procedure WHERE published = 1),"
			 " (SELECT MAX(updated_at) FROM procedure),"
			 " (SELECT COUNT(*) FROM procedure_agency), (SELECT COUNT(*) FROM agency),"
			 " (SELECT MAX(merged_at) FROM agency)",
			 DB_NOARGS, &r);
	if (rc == MC_OK)
		snprintf(out, len, "%s|%s|%s|%s|%s", db_text(r, 0, 0) ?: "", db_text(r, 0, 1) ?: "",
			 db_text(r, 0, 2) ?: "", db_text(r, 0, 3) ?: "", db_text(r, 0, 4) ?: "");
	return rc;
}

/* "Giấy khai sinh; Tờ khai ..." from a stored record's documents. */
static const char *document_names(arena *a, const char *record)
{
	json_t *j = json_loads(record, 0, NULL);
	buf b = BUF_INIT(1u << 20);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(j, "documents"), i, d)
	{
		const char *name = json_string_value(json_object_get(d, "name"));
		if (name)
			buf_printf(&b, "%s%s", b.len ? "; " : "", name);
	}
	json_decref(j);
	const char *s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return s;
}

/* One level for the level facet: the most local one the procedure has. */
static const char *main_level(const char *levels)
{
	static const char *const order[] = {"commune", "district", "province", "ministry", "other"};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (levels && strstr(levels, order[i]))
			return order[i];
	return "";
}

/* Fills the facet label tables of s from the database. */
static mc_status load_labels(db_conn *c, struct snapshot *s)
{
	db_result *f, *g;
	mc_status rc =
		db_query(c, s->a, "SELECT code, name_vi FROM field ORDER BY code", DB_NOARGS, &f);
	if (rc == MC_OK)
		rc = db_query(c, s->a, "SELECT code, name FROM agency ORDER BY code", DB_NOARGS,
			      &g);
	if (rc != MC_OK)
		return rc;
	s->nfields = (size_t)db_nrows(f);
	s->field_codes = arena_calloc(s->a, s->nfields + 1, sizeof(char *));
	s->field_names = arena_calloc(s->a, s->nfields + 1, sizeof(char *));
	for (size_t i = 0; i < s->nfields; i++) {
		s->field_codes[i] = db_text(f, (int)i, 0);
		s->field_names[i] = db_text(f, (int)i, 1);
	}
	s->nagencies = (size_t)db_nrows(g);
	s->agency_codes = arena_calloc(s->a, s->nagencies + 1, sizeof(char *));
	s->agency_names = arena_calloc(s->a, s->nagencies + 1, sizeof(char *));
	for (size_t i = 0; i < s->nagencies; i++) {
		s->agency_codes[i] = db_text(g, (int)i, 0);
		s->agency_names[i] = db_text(g, (int)i, 1);
	}
	return MC_OK;
}

static int by_text(const void *x, const void *y, void *r)
{
	return strcmp(db_text(r, *(const int *)x, 0), db_text(r, *(const int *)y, 0));
}

/* Row numbers of r in strcmp order of its first column. */
static int *sorted_rows(arena *a, const db_result *r)
{
	int n = db_nrows(r);
	int *rows = arena_calloc(a, (size_t)n + 1, sizeof(int));
	for (int i = 0; i < n; i++)
		rows[i] = i;
	qsort_r(rows, (size_t)n, sizeof(int), by_text, (void *)(uintptr_t)r);
	return rows;
}

/* Reads the published procedures and their agencies, builds the index. */
static struct snapshot *build(db_conn *c, const char *version)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->a = arena_new(1u << 20);
	s->refs = 1;
	snprintf(s->version, sizeof(s->version), "%s", version);
	db_result *r, *ag;
	mc_status rc =
		db_query(c, s->a,
			 "SELECT p.code, p.name, p.field_code, COALESCE(f.name_vi, ''), p.levels,"
			 " p.service_level, p.record FROM procedure p"
			 " LEFT JOIN field f ON f.code = p.field_code"
			 " WHERE p.published = 1 ORDER BY p.code",
			 DB_NOARGS, &r);
	/* Agencies come as (procedure, agency) pairs in procedure order and
	 * are merged here: grouping functions differ between backends. */
	if (rc == MC_OK)
		rc = db_query(
			c, s->a,
			"SELECT pa.procedure_code, pa.agency_code, g.name FROM procedure_agency pa"
			" JOIN agency g ON g.code = pa.agency_code"
			" ORDER BY pa.procedure_code, pa.agency_code",
			DB_NOARGS, &ag);
	if (rc == MC_OK)
		rc = load_labels(c, s);
	if (rc != MC_OK) {
		log_error("catalogue search: cannot read the catalogue: %s", db_errmsg(c));
		arena_free(s->a);
		free(s);
		return NULL;
	}
	s->n = (size_t)db_nrows(r);
	/* Both lists are walked together in strcmp order, whatever order the
	 * database's collation gave them. */
	int *prow = sorted_rows(s->a, r), *arow = sorted_rows(s->a, ag);
	s->docs = arena_calloc(s->a, s->n + 1, sizeof(*s->docs));
	struct search_doc *docs = arena_calloc(s->a, s->n + 1, sizeof(*docs));
	int k = 0, nag = db_nrows(ag);
	buf codes = BUF_INIT(1u << 20), names = BUF_INIT(4u << 20);
	for (size_t i = 0; i < s->n; i++) {
		int row = prow[i];
		s->docs[i] = (struct catalogue_hit){db_text(r, row, 0), db_text(r, row, 1),
						    db_text(r, row, 2), db_text(r, row, 3),
						    db_text(r, row, 4), db_text(r, row, 5)};
		buf_reset(&codes);
		buf_reset(&names);
		while (k < nag && strcmp(db_text(ag, arow[k], 0), s->docs[i].code) < 0)
			k++;
		for (; k < nag && strcmp(db_text(ag, arow[k], 0), s->docs[i].code) == 0; k++) {
			buf_printf(&codes, "%s%s", codes.len ? " " : "", db_text(ag, arow[k], 1));
			/* Every commune's name would make all commune procedures
			 * match any place name: the first few are enough. */
			if (names.len < 512)
				buf_printf(&names, "%s%s", names.len ? "; " : "",
					   db_text(ag, arow[k], 2));
		}
		docs[i] = (struct search_doc){
			.code = s->docs[i].code,
			.name = s->docs[i].name,
			.field_name = s->docs[i].field_name,
			.agency_names = arena_strdup(s->a, buf_str(&names)),
			.document_names = document_names(s->a, db_text(r, row, 6)),
			.field_code = s->docs[i].field_code,
			.level = main_level(s->docs[i].levels),
			.agency_codes = arena_strdup(s->a, buf_str(&codes)),
			.service_level = s->docs[i].service_level,
		};
	}
	buf_release(&codes);
	buf_release(&names);
	s->ix = search_build(docs, s->n);
	log_info("catalogue search: indexed %zu procedures (%zu KiB)", s->n,
		 search_memory(s->ix) / 1024);
	return s;
}

/* The current snapshot, refreshed when the catalogue changed; a reference
 * the caller drops with snapshot_unref. */
static struct snapshot *acquire(db *d, mc_status *rc)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&state.mu);
	struct snapshot *s;
	for (;;) {
		s = state.cur;
		bool stale = !s || now - state.checked >= CATALOGUE_CHECK_SECONDS;
		if (s && (!stale || state.building)) {
			/* Fresh, or another thread is checking: use what is there. */
			s->refs++;
			pthread_mutex_unlock(&state.mu);
			*rc = MC_OK;
			return s;
		}
		if (!state.building)
			break;
		/* No index yet and one is being built: wait for it rather
		 * than build a second one beside it. */
		pthread_cond_wait(&state.built, &state.mu);
	}
	state.building = true;
	pthread_mutex_unlock(&state.mu);

	/* This thread checks, and rebuilds if the catalogue changed. */
	db_conn *c = db_reader(d);
	arena *a = arena_new(0);
	char version[96] = "";
	*rc = c ? version_of(c, a, version, sizeof(version)) : MC_BUSY;
	struct snapshot *fresh = NULL;
	if (*rc == MC_OK && (!s || strcmp(s->version, version) != 0)) {
		fresh = build(c, version);
		if (!fresh)
			*rc = MC_INTERNAL;
	}
	arena_free(a);
	pthread_mutex_lock(&state.mu);
	state.building = false;
	if (*rc == MC_OK)
		state.checked = now;
	struct snapshot *old = NULL;
	if (fresh) {
		old = state.cur;
		state.cur = fresh;
	}
	s = state.cur;
	if (s)
		s->refs++;
	pthread_cond_broadcast(&state.built);
	pthread_mutex_unlock(&state.mu);
	snapshot_unref(old);
	if (s && *rc != MC_OK)
		*rc = MC_OK; /* a stale index beats no answer while the database is away */
	return s;
}

void catalogue_search_release(void)
{
	pthread_mutex_lock(&state.mu);
	struct snapshot *s = state.cur;
	state.cur = NULL;
	pthread_mutex_unlock(&state.mu);
	snapshot_unref(s);
}

static const char *label_of(const char **codes, const char **names, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(codes[i], v) == 0)
			return names[i];
	return v;
}

static struct catalogue_facet *copy_facets(arena *a, const struct search_facets *f, size_t *n,
					   const char **codes, const char **names, size_t nlabels)
{
	struct catalogue_facet *out = arena_calloc(a, f->n + 1, sizeof(*out));
	for (size_t i = 0; i < f->n; i++) {
		out[i].value = arena_strdup(a, f->items[i].value);
		out[i].label =
			arena_strdup(a, codes ? label_of(codes, names, nlabels, f->items[i].value)
					      : f->items[i].value);
		out[i].count = f->items[i].count;
	}
	*n = f->n;
	return out;
}

mc_status catalogue_search(db *d, arena *a, const struct catalogue_query *q,
			   struct catalogue_results *out)
{
	mc_status rc;
	struct snapshot *s = acquire(d, &rc);
	if (!s)
		return rc == MC_OK ? MC_INTERNAL : rc;
	struct search_query sq = {q->text,	    q->field_code, q->level, q->agency_code,
				  q->service_level, q->offset,	   q->limit, q->prefix};
	struct search_result r;
	rc = search_run(s->ix, &sq, a, &r);
	if (rc == MC_OK) {
		memset(out, 0, sizeof(*out));
		out->total = r.total;
		out->partial = r.partial;
		out->browse = r.browse;
		out->version = arena_strdup(a, s->version);
		out->nhits = r.nhits;
		out->hits = arena_calloc(a, r.nhits + 1, sizeof(*out->hits));
		for (size_t i = 0; i < r.nhits; i++) {
			const struct catalogue_hit *h = &s->docs[r.hits[i].doc];
			out->hits[i] = (struct catalogue_hit){
				arena_strdup(a, h->code),	arena_strdup(a, h->name),
				arena_strdup(a, h->field_code), arena_strdup(a, h->field_name),
				arena_strdup(a, h->levels),	arena_strdup(a, h->service_level)};
		}
		out->fields = copy_facets(a, &r.field_code, &out->nfields, s->field_codes,
					  s->field_names, s->nfields);
		out->levels = copy_facets(a, &r.level, &out->nlevels, NULL, NULL, 0);
		out->agencies = copy_facets(a, &r.agency_code, &out->nagencies, s->agency_codes,
					    s->agency_names, s->nagencies);
		out->service_levels =
			copy_facets(a, &r.service_level, &out->nservice_levels, NULL, NULL, 0);
	}
	snapshot_unref(s);
	return rc;
}
