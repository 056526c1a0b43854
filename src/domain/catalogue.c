/* catalogue.c - read side of the procedure catalogue. */
#include "domain/catalogue.h"

#include "core/log.h"

mc_status catalogue_fields(db *d, arena *a, struct field_summary **out, int *n)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT f.code, f.name_vi, f.name_en,"
				" (SELECT COUNT(*) FROM procedure p WHERE p.field_code = f.code"
				"  AND p.published = 1)"
				" FROM field f ORDER BY f.sort, f.name_vi",
				DB_NOARGS, &r);
	if (rc != MC_OK) {
		log_error("catalogue_fields: %s", db_errmsg(c));
		return rc;
	}
	*n = db_nrows(r);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++) {
		(*out)[i].code = db_text(r, i, 0);
		(*out)[i].name_vi = db_text(r, i, 1);
		(*out)[i].name_en = db_text(r, i, 2);
		(*out)[i].procedures = db_int(r, i, 3);
	}
	return MC_OK;
}

mc_status catalogue_totals(db *d, arena *a, int64_t *procedures, int64_t *agencies)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT (SELECT COUNT(*) FROM procedure WHERE published = 1),"
				" (SELECT COUNT(*) FROM agency)",
				DB_NOARGS, &r);
	if (rc != MC_OK) {
		log_error("catalogue_totals: %s", db_errmsg(c));
		return rc;
	}
	*procedures = db_int(r, 0, 0);
	*agencies = db_int(r, 0, 1);
	return MC_OK;
}
