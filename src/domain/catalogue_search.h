/*
 * catalogue_search.h - searching the published catalogue: an in-memory index
 * (domain/search.h) built from the database, shared by every request, and
 * rebuilt when the catalogue changes.
 *
 * The index is a snapshot: a request takes a reference, searches, copies
 * what it shows into its arena, and lets go. A rebuild builds the next
 * snapshot beside the current one and swaps it in, so searches never wait
 * for a rebuild and never see half of one. Freshness: a request checks the
 * catalogue's version at most every CATALOGUE_CHECK_SECONDS.
 */
#ifndef MOTCUA_CATALOGUE_SEARCH_H
#define MOTCUA_CATALOGUE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

#define CATALOGUE_CHECK_SECONDS 10

struct catalogue_hit {
	const char *code, *name, *field_code, *field_name, *levels, *service_level;
};

struct catalogue_facet {
	const char *value; /* field code, level, agency code or service level */
	const char *label; /* its name to show (field or agency name) */
	unsigned count;
};

struct catalogue_query {
	const char *text;
	const char *field_code, *level, *agency_code, *service_level;
	size_t offset, limit;
	bool prefix;
};

struct catalogue_results {
	size_t total;
	struct catalogue_hit *hits;
	size_t nhits;
	struct catalogue_facet *fields, *levels, *agencies, *service_levels;
	size_t nfields, nlevels, nagencies, nservice_levels;
	bool partial, browse;
	const char *version; /* the catalogue version the index was built from */
};

/* Searches the published catalogue (building or refreshing the index when
 * needed: call from a worker thread). Everything returned lives in a. */
mc_status catalogue_search(db *d, arena *a, const struct catalogue_query *q,
			   struct catalogue_results *out);

/* Frees the current snapshot (at shutdown; no search may run). */
void catalogue_search_release(void);

#endif
