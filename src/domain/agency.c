/* agency.c - reading agencies; writes arrive with the import and admin pages. */
#include "domain/agency.h"

#include <string.h>
#include <time.h>

#include "core/log.h"

#define AGENCY_COLUMNS                                                                             \
	"a.code, a.identifier, a.kind, a.level, a.parent_code, a.name, a.address, a.phone,"        \
	" a.email, a.website, a.valid_from, a.valid_to, a.successor_code,"                         \
	" (SELECT COUNT(*) FROM procedure_agency pa WHERE pa.agency_code = a.code), a.merged_at"

/* Sorting by level needs an order that is not alphabetical. */
#define LEVEL_ORDER                                                                                \
	"CASE a.level WHEN 'province' THEN 0 WHEN 'department' THEN 1 WHEN 'district' THEN 2"      \
	" WHEN 'commune' THEN 3 ELSE 4 END"

static void fill(const db_result *r, int i, struct agency *g)
{
	*g = (struct agency){
		.code = db_text(r, i, 0),
		.identifier = db_text(r, i, 1),
		.kind = db_text(r, i, 2),
		.level = db_text(r, i, 3),
		.parent_code = db_text(r, i, 4),
		.name = db_text(r, i, 5),
		.address = db_text(r, i, 6),
		.phone = db_text(r, i, 7),
		.email = db_text(r, i, 8),
		.website = db_text(r, i, 9),
		.valid_from = db_text(r, i, 10),
		.valid_to = db_text(r, i, 11),
		.successor_code = db_text(r, i, 12),
		.procedures = db_int(r, i, 13),
		.merged_at = db_text(r, i, 14),
	};
}

bool agency_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n == 0 || n > 64)
		return false;
	for (const char *p = code; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '.'))
			return false;
	return true;
}

mc_status agency_list(db *d, arena *a, const struct agency_filter *f, struct agency **out, int *n)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	char today[11];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	db_result *r;
	mc_status rc = db_query(
		c, a,
		"SELECT " AGENCY_COLUMNS " FROM agency a"
		" WHERE (CAST($1 AS TEXT) IS NULL OR a.level = $1)"
		" AND (CAST($2 AS TEXT) IS NULL OR a.parent_code = $2)"
		" AND (CAST($3 AS TEXT) IS NULL OR ((a.valid_to IS NULL OR a.valid_to >= $3)"
		" AND a.merged_at IS NULL))"
		" ORDER BY " LEVEL_ORDER ", a.name, a.code",
		DB_ARGS(DB_TEXT(f->level), DB_TEXT(f->parent),
			DB_TEXT(f->current_only ? today : NULL)),
		&r);
	if (rc != MC_OK) {
		log_error("agency_list: %s", db_errmsg(c));
		return rc;
	}
	*n = db_nrows(r);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++)
		fill(r, i, &(*out)[i]);
	return MC_OK;
}

mc_status agency_get(db *d, arena *a, const char *code, struct agency *out)
{
	if (!agency_code_valid(code))
		return MC_NOT_FOUND;
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT " AGENCY_COLUMNS " FROM agency a WHERE a.code = $1",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK) {
		log_error("agency_get: %s", db_errmsg(c));
		return rc;
	}
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	fill(r, 0, out);
	return MC_OK;
}
