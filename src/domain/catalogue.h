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

#endif
