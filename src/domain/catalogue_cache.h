/*
 * catalogue_cache.h - a per-process cache of what every online submission
 * reads about its procedure: the published record (thủ tục hành chính) and
 * its competent agencies (cơ quan có thẩm quyền).
 *
 * Freshness: an entry is used while the process's generation counter has
 * not moved since it was loaded and for at most CATALOGUE_CACHE_TTL_MS.
 * Catalogue imports and edits, agency assignment and agency merges are
 * written through catalogue_cache_write, which bumps the counter once the
 * write is durably committed, so this process sees its own edits at once
 * (a reader that loaded the old rows before the commit stored them under
 * the old generation); other processes (other nodes, the `motcua` CLI) see
 * an edit within the TTL.
 *
 * The cache serves one database, the one `motcua serve` attached
 * (catalogue_cache_attach); for any other handle catalogue_cache_get reads
 * through, so tools and tests that open several databases are unaffected.
 *
 * Entries are immutable and reference-counted: what catalogue_cache_get
 * hands out lives until the caller's arena is freed, even when the entry is
 * replaced meanwhile. Thread-safe.
 */
#ifndef MOTCUA_CATALOGUE_CACHE_H
#define MOTCUA_CATALOGUE_CACHE_H

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/dossier.h"
#include "domain/procedure.h"

#define CATALOGUE_CACHE_TTL_MS 5000

/*
 * The record of procedure code (as catalogue_get) and its current
 * competent agencies (as dossier_agencies). *p and *agencies point into
 * the cache, valid until a is freed; read-only. MC_NOT_FOUND for an
 * unknown code (not cached).
 */
mc_status catalogue_cache_get(db *d, arena *a, const char *code, struct procedure_rec *p,
			      const struct dossier_agency **agencies, int *n);

/* Serves d from now on (NULL: none), every entry stale. */
void catalogue_cache_attach(db *d);

/*
 * db_write(d, fn, arg), then every entry of this process stale: the way to
 * write procedure records or their competent agencies (catalogue_put,
 * catalogue_assign_agencies, agency merges). Returns db_write's status.
 */
mc_status catalogue_cache_write(db *d, db_write_fn fn, void *arg);

/* Makes every entry of this process stale. */
void catalogue_cache_bump(void);

/* The current generation (for tests). */
unsigned long catalogue_cache_generation(void);

#endif
