/*
 * catalogue.h - the procedure catalogue (thủ tục hành chính) as the portal's
 * pages need it. This first part serves the home page: the fields (lĩnh vực)
 * that procedures are grouped in, with how many published procedures each
 * holds.
 */
#ifndef MOTCUA_CATALOGUE_H
#define MOTCUA_CATALOGUE_H

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"
#include "domain/procedure.h"

struct field_summary {
	const char *code;
	const char *name_vi;
	const char *name_en;
	int64_t procedures;
};

/* The fields in display order, with their published procedure counts. */
mc_status catalogue_fields(db *d, arena *a, struct field_summary **out, int *n);

/* Published procedures and agencies, for the home page's figures. */
mc_status catalogue_totals(db *d, arena *a, int64_t *procedures, int64_t *agencies);

/* What catalogue_put did with a record. */
enum catalogue_change { CATALOGUE_ADDED, CATALOGUE_UPDATED, CATALOGUE_UNCHANGED };

/*
 * Inside a write: stores p (its field too, created on first sight) so that
 * storing the same record again changes nothing. *change (may be NULL) says
 * what happened. The write goes through catalogue_cache_write (as does
 * catalogue_assign_agencies'), so that the cache drops the old record once
 * it is committed.
 */
mc_status catalogue_put(db_conn *c, const struct procedure_rec *p, enum catalogue_change *change);

/*
 * Inside a write: gives every procedure without agencies to the agencies
 * that carry it out in this province, by the demo rules (docs/catalogue.md):
 * commune-level procedures to every current commune People's Committee,
 * district-level ones to every district committee, province-level ones to
 * the department of their ministry. *assigned gets the rows added.
 */
mc_status catalogue_assign_agencies(db_conn *c, int64_t *assigned);

/* The stored record of procedure code; MC_NOT_FOUND when there is none
 * (including a code that is not shaped like one). */
mc_status catalogue_get(db *d, arena *a, const char *code, struct procedure_rec *out);

/* The URL-safe code of a field name: "Hộ tịch" -> "ho-tich". */
const char *catalogue_field_code(arena *a, const char *name);

#endif
