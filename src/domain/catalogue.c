/* catalogue.c - read side of the procedure catalogue. */
#include "domain/catalogue.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "domain/catalogue_cache.h"
#include "domain/fold.h"

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
				" FROM field f ORDER BY f.sort, 4 DESC, f.name_vi",
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

/* ---- writing ---- */

const char *catalogue_field_code(arena *a, const char *name)
{
	char *f = fold(a, name, strlen(name));
	for (char *p = f; *p; p++)
		if (*p == ' ')
			*p = '-';
	return f;
}

static const char *levels_text(arena *a, unsigned levels)
{
	buf b = BUF_INIT(256);
	for (unsigned bit = 1; bit <= PROCEDURE_LEVEL_OTHER; bit <<= 1)
		if (levels & bit)
			buf_printf(&b, "%s%s", b.len ? "," : "", procedure_level_name(bit));
	const char *s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return s;
}

mc_status catalogue_put(db_conn *c, const struct procedure_rec *p, enum catalogue_change *change)
{
	arena *a = arena_new(0);
	const char *field = catalogue_field_code(a, p->field);
	json_t *j = procedure_to_json(p);
	char *record = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	mc_status rc =
		db_exec(c,
			"INSERT INTO field (code, name_vi, name_en, sort) VALUES ($1, $2, '', 0)"
			" ON CONFLICT (code) DO NOTHING",
			DB_ARGS(DB_TEXT(field), DB_TEXT(p->field)), NULL);
	db_result *old = NULL;
	if (rc == MC_OK)
		rc = db_query(c, a, "SELECT record FROM procedure WHERE code = $1",
			      DB_ARGS(DB_TEXT(p->code)), &old);
	bool exists = db_nrows(old) > 0;
	bool same = exists && strcmp(db_text(old, 0, 0), record) == 0;
	if (rc == MC_OK && !same) {
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
		rc = db_exec(c,
			     "INSERT INTO procedure (code, name, field_code, published, levels,"
			     " service_level, ministry, generated, record, updated_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
			     " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
			     " field_code = excluded.field_code, published = excluded.published,"
			     " levels = excluded.levels, service_level = excluded.service_level,"
			     " ministry = excluded.ministry, generated = excluded.generated,"
			     " record = excluded.record, updated_at = excluded.updated_at",
			     DB_ARGS(DB_TEXT(p->code), DB_TEXT(p->name), DB_TEXT(field),
				     DB_INT(p->published ? 1 : 0),
				     DB_TEXT(levels_text(a, p->levels)),
				     DB_TEXT(procedure_service_level_name(p->service_level)),
				     DB_TEXT(p->ministry), DB_INT(p->generated ? 1 : 0),
				     DB_TEXT(record), DB_TEXT(stamp)),
			     NULL);
	}
	if (change)
		*change = same ? CATALOGUE_UNCHANGED : exists ? CATALOGUE_UPDATED : CATALOGUE_ADDED;
	free(record);
	arena_free(a);
	return rc;
}

/*
 * The department of each ministry's province-level procedures, for every
 * field or for one field (a field code, see catalogue_field_code). Several
 * codes are listed where the 2020 and the 2025 shapes of the province differ;
 * the first that exists is used. A procedure gets the first row that matches
 * it, so a ministry's rows for one field come before its row for the rest.
 *
 * In 2025 the labour department's work was split: labour, employment and war
 * invalids went to home affairs (Sở Nội vụ), social protection to health (Sở
 * Y tế), vocational training to education; press and publishing went to
 * culture, posts to science and technology (which took over Sở Thông tin và
 * Truyền thông), and tourism and culture became one department.
 */
static const struct {
	const char *ministry;
	const char *field; /* "" for every field */
	const char *agencies;
} departments[] = {
	{"bo-tu-phap", "", "so-tu-phap"},
	{"bo-tai-chinh", "", "so-tai-chinh"},
	{"bo-nong-nghiep-mt", "", "so-nong-nghiep-moi-truong so-nong-nghiep-ptnt"},
	{"bo-xay-dung", "", "so-xay-dung"},
	{"bo-cong-an", "", "cong-an"},
	{"ngan-hang-nha-nuoc", "", "vp-ubnd"},
	{"toa-an-nhan-dan", "", "vp-ubnd"},
	{"bo-y-te", "bao-tro-xa-hoi", "so-lao-dong-tbxh so-y-te"},
	{"bo-y-te", "tre-em", "so-lao-dong-tbxh so-y-te"},
	{"bo-y-te", "", "so-y-te"},
	{"bo-giao-duc-dt", "giao-duc-nghe-nghiep", "so-lao-dong-tbxh so-giao-duc-dao-tao"},
	{"bo-giao-duc-dt", "", "so-giao-duc-dao-tao"},
	{"bo-van-hoa-ttdl", "du-lich", "so-du-lich so-van-hoa-the-thao-du-lich"},
	{"bo-van-hoa-ttdl", "lu-hanh", "so-du-lich so-van-hoa-the-thao-du-lich"},
	{"bo-van-hoa-ttdl", "bao-chi", "so-thong-tin-truyen-thong so-van-hoa-the-thao-du-lich"},
	{"bo-van-hoa-ttdl", "xuat-ban-in-va-phat-hanh",
	 "so-thong-tin-truyen-thong so-van-hoa-the-thao-du-lich"},
	{"bo-van-hoa-ttdl", "", "so-van-hoa-the-thao-du-lich so-van-hoa-the-thao"},
	{"bo-noi-vu", "viec-lam", "so-lao-dong-tbxh so-noi-vu"},
	{"bo-noi-vu", "lao-dong", "so-lao-dong-tbxh so-noi-vu"},
	{"bo-noi-vu", "an-toan-ve-sinh-lao-dong", "so-lao-dong-tbxh so-noi-vu"},
	{"bo-noi-vu", "nguoi-co-cong", "so-lao-dong-tbxh so-noi-vu"},
	{"bo-noi-vu", "", "so-noi-vu"},
	{"bo-cong-thuong", "", "so-cong-thuong"},
	{"bo-khoa-hoc-cn", "buu-chinh", "so-thong-tin-truyen-thong so-khoa-hoc-cong-nghe"},
	{"bo-khoa-hoc-cn", "", "so-khoa-hoc-cong-nghe"},
};

/* Assigns row i's province-level procedures that have no agency yet. */
static mc_status assign_department(db_conn *c, arena *a, size_t i, int64_t *added)
{
	char *list = arena_strdup(a, departments[i].agencies);
	for (char *code = list, *next; code; code = next) {
		next = strchr(code, ' ');
		if (next)
			*next++ = '\0';
		int64_t n = 0;
		mc_status rc = db_exec(c,
				       "INSERT INTO procedure_agency (procedure_code, agency_code)"
				       " SELECT p.code, $1 FROM procedure p"
				       " WHERE p.ministry = $2 AND ($3 = '' OR p.field_code = $3)"
				       " AND (',' || p.levels || ',') LIKE '%,province,%'"
				       " AND EXISTS (SELECT 1 FROM agency WHERE code = $1)"
				       " AND NOT EXISTS (SELECT 1 FROM procedure_agency x WHERE "
				       "x.procedure_code = p.code)",
				       DB_ARGS(DB_TEXT(code), DB_TEXT(departments[i].ministry),
					       DB_TEXT(departments[i].field)),
				       &n);
		if (rc != MC_OK)
			return rc;
		*added += n;
		if (n > 0)
			break;
	}
	return MC_OK;
}

mc_status catalogue_assign_agencies(db_conn *c, int64_t *assigned)
{
	arena *a = arena_new(0);
	int64_t n = 0;
	*assigned = 0;
	/* Commune and district procedures: every such committee carries them out. */
	static const char *const local[][2] = {{"commune", "commune"}, {"district", "district"}};
	mc_status rc = MC_OK;
	for (size_t i = 0; rc == MC_OK && i < 2; i++) {
		rc = db_exec(c,
			     "INSERT INTO procedure_agency (procedure_code, agency_code)"
			     " SELECT p.code, g.code FROM procedure p, agency g"
			     " WHERE (',' || p.levels || ',') LIKE $1 AND g.level = $2"
			     " AND g.valid_to IS NULL"
			     " AND NOT EXISTS (SELECT 1 FROM procedure_agency x"
			     "  WHERE x.procedure_code = p.code AND x.agency_code = g.code)",
			     DB_ARGS(DB_TEXT(arena_printf(a, "%%,%s,%%", local[i][0])),
				     DB_TEXT(local[i][1])),
			     &n);
		*assigned += n;
	}
	for (size_t i = 0; rc == MC_OK && i < sizeof(departments) / sizeof(departments[0]); i++)
		rc = assign_department(c, a, i, assigned);
	arena_free(a);
	return rc;
}

mc_status catalogue_get(db *d, arena *a, const char *code, struct procedure_rec *out)
{
	if (!procedure_code_valid(code))
		return MC_NOT_FOUND; /* no such record can exist: spare the query */
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *r;
	mc_status rc = db_query(c, a, "SELECT record FROM procedure WHERE code = $1",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	json_error_t je;
	json_t *j = json_loads(db_text(r, 0, 0), 0, &je);
	char err[256];
	int ok = j ? procedure_from_json(j, a, out, err, sizeof(err)) : -1;
	json_decref(j);
	if (ok < 0) {
		log_error("catalogue_get %s: stored record unreadable: %s", code,
			  j ? err : je.text);
		return MC_INTERNAL;
	}
	return MC_OK;
}
