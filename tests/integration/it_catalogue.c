/*
 * it_catalogue.c - `motcua import` and `motcua export` on the real binary,
 * then the catalogue as citizens meet it: the search page and the API.
 *
 * National records (tests/unit/fixtures/dvcqg_sample.jsonl, real records of
 * the national portal) and the shipped agency tree are imported into an
 * empty deployment; importing again changes nothing; an export imports into
 * another deployment and exports to the same bytes; a file with mistakes is
 * refused whole, with every problem on its line.
 *
 * Then the demo catalogue (init --demo): the national records and the
 * generated ones for the six ministries the crawl lacks, at least 2,100
 * published procedures; every generated record flagged; each province-level
 * one carried out by exactly its department, in the 2025 shape and in the
 * 2020 shape where labour, tourism and information still had departments of
 * their own; each commune-level one by every commune; and the search finds
 * them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define SAMPLE	 "tests/unit/fixtures/dvcqg_sample.jsonl"
#define AGENCIES "data/agencies/ninhbinh_2025-07-01.tsv"

static struct it_server srv;

static int motcua(const struct it_server *s, const char *const *args, struct it_cmd *out)
{
	const char *argv[16] = {it_bin()};
	int n = 1;
	for (; args[n - 1] && n < 13; n++)
		argv[n] = args[n - 1];
	argv[n++] = "--data";
	argv[n++] = s->data;
	argv[n] = NULL;
	const char *env[2] = {s->db_env[0] ? s->db_env : NULL, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, IT_START_MS * 2), 0);
	int st = r.status;
	if (out)
		*out = r;
	else
		it_cmd_free(&r);
	return st;
}

static long long count(const char *table)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	return it_db_count(srv.db_path, sql, NULL);
}

static void test_import_agencies_then_again_unchanged(void **state)
{
	struct it_cmd r;
	assert_int_equal(motcua(&srv, (const char *[]){"import", "agencies", AGENCIES, NULL}, &r),
			 0);
	assert_non_null(strstr(r.out, "145 agencies"));
	it_cmd_free(&r);
	assert_int_equal(count("agency"), 145);
	assert_int_equal(motcua(&srv, (const char *[]){"import", "agencies", AGENCIES, NULL}, NULL),
			 0);
	assert_int_equal(count("agency"), 145);
}

static void test_import_national_records_idempotent(void **state)
{
	struct it_cmd r;
	/* The sample holds one record the crawl got wrong: without
	 * --skip-invalid the whole file is refused. */
	assert_int_equal(motcua(&srv, (const char *[]){"import", "procedures", SAMPLE, NULL}, &r),
			 1);
	assert_non_null(strstr(r.err, "crawl mismatch"));
	it_cmd_free(&r);
	assert_int_equal(count("procedure"), 0);
	const char *const args[] = {"import", "procedures", SAMPLE, "--skip-invalid", NULL};
	assert_int_equal(motcua(&srv, args, &r), 0);
	long long n = count("procedure");
	it_note("%s", r.out);
	assert_true(n >= 10);
	assert_non_null(strstr(r.out, "1 invalid records skipped"));
	it_cmd_free(&r);
	assert_true(count("procedure_agency") > 0);
	assert_int_equal(motcua(&srv, args, &r), 0);
	char want[64];
	snprintf(want, sizeof(want), "(0 added, 0 updated, %lld unchanged)", n);
	assert_non_null(strstr(r.out, want));
	it_cmd_free(&r);
}

static void test_export_round_trips(void **state)
{
	char first[PATH_MAX + 32], second[PATH_MAX + 32];
	snprintf(first, sizeof(first), "%s/first.jsonl", srv.root);
	snprintf(second, sizeof(second), "%s/second.jsonl", srv.root);
	assert_int_equal(motcua(&srv, (const char *[]){"export", "procedures", first, NULL}, NULL),
			 0);

	struct it_server other;
	assert_int_equal(it_server_start(&other, NULL), 0);
	assert_int_equal(
		motcua(&other, (const char *[]){"import", "agencies", AGENCIES, NULL}, NULL), 0);
	assert_int_equal(
		motcua(&other, (const char *[]){"import", "procedures", first, NULL}, NULL), 0);
	assert_int_equal(
		motcua(&other, (const char *[]){"export", "procedures", second, NULL}, NULL), 0);
	size_t la, lb;
	char *a = it_read_file(first, &la), *b = it_read_file(second, &lb);
	assert_true(la > 1000);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	it_server_free(&other);
}

static void test_bad_file_is_refused_whole(void **state)
{
	char bad[PATH_MAX + 32];
	snprintf(bad, sizeof(bad), "%s/bad.jsonl", srv.root);
	assert_int_equal(
		it_write_file(
			bad,
			"{\"code\":\"9.999991\",\"name\":\"Một thủ tục\",\"field\":\"Hộ tịch\","
			"\"levels\":[\"commune\"]}\n"
			"{\"code\":\"1.0011\",\"name\":\"x\",\"field\":\"f\",\"levels\":["
			"\"province\"]}\n"
			"not json\n"
			"{\"code\":\"9.999992\",\"name\":\"y\",\"field\":\"f\",\"levels\":["
			"\"galaxy\"]}\n",
			false),
		0);
	long long before = count("procedure");
	struct it_cmd r;
	assert_int_equal(motcua(&srv, (const char *[]){"import", "procedures", bad, NULL}, &r), 1);
	assert_non_null(strstr(r.err, "bad.jsonl:2: code"));
	assert_non_null(strstr(r.err, "bad.jsonl:3:"));
	assert_non_null(strstr(r.err, "bad.jsonl:4: levels"));
	assert_non_null(strstr(r.err, "nothing was imported"));
	it_cmd_free(&r);
	assert_int_equal(count("procedure"), before);
	assert_int_equal(it_db_count(srv.db_path, "SELECT COUNT(*) FROM procedure WHERE code = $1",
				     "9.999991"),
			 0);
	/* Bad usage is a usage error. */
	assert_int_equal(motcua(&srv, (const char *[]){"import", "things", bad, NULL}, NULL), 2);
}

static void test_imported_procedures_are_searchable(void **state)
{
	struct http_resp r;
	assert_int_equal(
		http_fetch(srv.port, "GET", "/api/v1/procedures?limit=100", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"total\":"));
	/* Take the first procedure's code and find it by code and on its page. */
	const char *c = strstr(r.body, "\"code\":\"");
	assert_non_null(c);
	char code[16];
	snprintf(code, sizeof(code), "%.8s", c + 8);
	http_resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/thu-tuc?q=%s", code);
	assert_int_equal(http_fetch(srv.port, "GET", path, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/thu-tuc/%s", code);
	assert_int_equal(http_fetch(srv.port, "GET", path, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	assert_int_equal(http_fetch(srv.port, "GET", "/thu-tuc/9.999999", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	assert_int_equal(http_fetch(srv.port, "GET", "/thu-tuc?trang=0", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
}

/* ---- the demo catalogue ---- */

/* The six ministries with generated records, and the department that carries
 * out their province-level procedures in the 2025 shape. */
static const char *const new_ministries[][2] = {
	{"bo-y-te", "so-y-te"},
	{"bo-giao-duc-dt", "so-giao-duc-dao-tao"},
	{"bo-van-hoa-ttdl", "so-van-hoa-the-thao-du-lich"},
	{"bo-noi-vu", "so-noi-vu"},
	{"bo-cong-thuong", "so-cong-thuong"},
	{"bo-khoa-hoc-cn", "so-khoa-hoc-cong-nghe"},
};
#define NEW_MINISTRIES (sizeof(new_ministries) / sizeof(new_ministries[0]))

static long long count_sql(const char *db, const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static long long count_sql(const char *db, const char *arg, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(sql));
	long long v = it_db_count(db, sql, arg);
	assert_true(v >= 0);
	return v;
}

/* Generated province-level procedures of ministry $1 (field field when not
 * NULL) not carried out by agency, or carried out by any other agency. */
static long long misassigned(const char *db, const char *ministry, const char *field,
			     const char *agency)
{
	char only_field[128] = "";
	if (field)
		snprintf(only_field, sizeof(only_field), " AND p.field_code = '%s'", field);
	return count_sql(db, ministry,
			 "SELECT COUNT(*) FROM procedure p WHERE p.generated = 1"
			 " AND p.ministry = $1 AND p.levels = 'province'%s"
			 " AND ((SELECT COUNT(*) FROM procedure_agency x"
			 "   WHERE x.procedure_code = p.code) <> 1"
			 "  OR NOT EXISTS (SELECT 1 FROM procedure_agency x"
			 "   WHERE x.procedure_code = p.code AND x.agency_code = '%s'))",
			 only_field, agency);
}

/* Generated commune-level procedures not carried out by every commune, or by
 * anything else. */
static long long communes_missing(const char *db)
{
	return count_sql(
		db, NULL,
		"SELECT COUNT(*) FROM procedure p WHERE p.generated = 1 AND p.levels = 'commune'"
		" AND ((SELECT COUNT(*) FROM procedure_agency x JOIN agency g"
		"   ON g.code = x.agency_code WHERE x.procedure_code = p.code"
		"   AND g.level = 'commune')"
		"  <> (SELECT COUNT(*) FROM agency WHERE level = 'commune' AND valid_to IS NULL)"
		"  OR EXISTS (SELECT 1 FROM procedure_agency x JOIN agency g"
		"   ON g.code = x.agency_code WHERE x.procedure_code = p.code"
		"   AND g.level <> 'commune'))");
}

static void test_demo_catalogue_is_complete(void **state)
{
	struct it_server demo;
	assert_int_equal(it_server_start(&demo, &(struct it_server_opts){.demo = true}), 0);
	const char *db = demo.db_path;
	assert_true(count_sql(db, NULL, "SELECT COUNT(*) FROM procedure WHERE published = 1") >=
		    2100);
	/* National records are never flagged, generated ones always are, and
	 * only they use the 9.xxxxxx codes. */
	assert_int_equal(
		count_sql(db, NULL,
			  "SELECT COUNT(*) FROM procedure WHERE generated = 0"
			  " AND (code LIKE '9.%%' OR record LIKE '%%\"generated\":true%%')"),
		0);
	assert_int_equal(count_sql(db, NULL,
				   "SELECT COUNT(*) FROM procedure WHERE generated = 1"
				   " AND (code NOT LIKE '9.%%'"
				   "  OR record NOT LIKE '%%\"generated\":true%%')"),
			 0);
	long long total = 0;
	for (size_t i = 0; i < NEW_MINISTRIES; i++) {
		const char *m = new_ministries[i][0];
		long long province = count_sql(db, m,
					       "SELECT COUNT(*) FROM procedure WHERE ministry = $1"
					       " AND generated = 1 AND levels = 'province'");
		long long commune = count_sql(db, m,
					      "SELECT COUNT(*) FROM procedure WHERE ministry = $1"
					      " AND generated = 1 AND levels = 'commune'");
		it_note("%s: %lld province, %lld commune", m, province, commune);
		assert_true(province >= 20);
		assert_int_equal(count_sql(db, m,
					   "SELECT COUNT(*) FROM procedure WHERE ministry = $1"
					   " AND generated = 0"),
				 0);
		assert_int_equal(misassigned(db, m, NULL, new_ministries[i][1]), 0);
		total += province + commune;
	}
	assert_true(total >= 520);
	assert_true(count_sql(db, NULL,
			      "SELECT COUNT(*) FROM procedure WHERE generated = 1"
			      " AND levels = 'commune'") > 50);
	assert_int_equal(communes_missing(db), 0);

	/* The search ranks the licence itself first. */
	struct http_resp r;
	assert_int_equal(http_fetch(demo.port, "GET",
				    "/api/v1/procedures?q=phong%20kham%20da%20khoa&limit=5", NULL,
				    NULL, 0, &r),
			 0);
	assert_int_equal(r.status, 200);
	const char *c = strstr(r.body, "\"code\":\"");
	assert_non_null(c);
	assert_memory_equal(c + 8, "9.1", 3);
	char path[64];
	snprintf(path, sizeof(path), "/thu-tuc/%.8s", c + 8);
	const char *name = strstr(c, "\"name\":\"");
	assert_non_null(name);
	static const char want[] = "Cấp giấy phép hoạt động đối với phòng khám đa khoa\"";
	assert_memory_equal(name + 8, want, sizeof(want) - 1);
	http_resp_free(&r);
	/* A generated record's page says what it is like any other. */
	assert_int_equal(http_fetch(demo.port, "GET", path, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "phòng khám đa khoa"));
	http_resp_free(&r);
	it_server_free(&demo);
}

/* GET /api/v1/procedures?cursor=: pages read with next_cursor cover the
 * results exactly once; a bad cursor is 400, a cursor and an offset
 * together 400, and a cursor from before the catalogue changed 409. */
static json_t *get_json(unsigned short port, const char *path, int want)
{
	struct http_resp r;
	assert_int_equal(http_fetch(port, "GET", path, NULL, NULL, 0, &r), 0);
	if (r.status != want)
		it_note("GET %s: %d %s", path, r.status, r.body);
	assert_int_equal(r.status, want);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	http_resp_free(&r);
	assert_non_null(j);
	return j;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cursor_pages_cover_the_results_once(void **state)
{
	struct it_server demo;
	assert_int_equal(it_server_start(&demo, &(struct it_server_opts){.demo = true}), 0);
	char path[256] = "/api/v1/procedures?q=giay%20phep&limit=37";
	static char *codes[4000];
	size_t n = 0, total = 0;
	char first_cursor[80] = "";
	for (int page = 0; page < 200; page++) {
		json_t *j = get_json(demo.port, path, 200);
		total = (size_t)json_integer_value(json_object_get(j, "total"));
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(j, "procedures"), i, p)
		{
			assert_true(n < sizeof(codes) / sizeof(codes[0]));
			codes[n++] = strdup(json_string_value(json_object_get(p, "code")));
		}
		const char *next = json_string_value(json_object_get(j, "next_cursor"));
		if (next && !first_cursor[0])
			snprintf(first_cursor, sizeof(first_cursor), "%s", next);
		if (next)
			snprintf(path, sizeof(path),
				 "/api/v1/procedures?q=giay%%20phep&limit=37&cursor=%s", next);
		json_decref(j);
		if (!next)
			break;
	}
	assert_true(total > 37 * 2);
	assert_int_equal(n, total);
	qsort(codes, n, sizeof(codes[0]), cmp_code);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(codes[i - 1], codes[i]) < 0);
	for (size_t i = 0; i < n; i++)
		free(codes[i]);

	json_decref(get_json(demo.port, "/api/v1/procedures?q=giay&cursor=12.zz", 400));
	snprintf(path, sizeof(path), "/api/v1/procedures?q=giay%%20phep&offset=5&cursor=%s",
		 first_cursor);
	json_decref(get_json(demo.port, path, 400));
	/* Another query with this cursor: refused, not a shifted list. */
	snprintf(path, sizeof(path), "/api/v1/procedures?q=khai%%20sinh&cursor=%s", first_cursor);
	json_decref(get_json(demo.port, path, 409));

	/* The catalogue changes (an import): the old cursor is refused once
	 * the index has seen the change (it checks every few seconds). */
	char file[PATH_MAX + 32];
	snprintf(file, sizeof(file), "%s/one.jsonl", demo.root);
	assert_int_equal(it_write_file(file,
				       "{\"code\":\"9.990777\",\"name\":\"Cấp giấy phép thử\","
				       "\"field\":\"Thử nghiệm\",\"levels\":[\"province\"]}\n",
				       false),
			 0);
	assert_int_equal(motcua(&demo, (const char *[]){"import", "procedures", file, NULL}, NULL),
			 0);
	snprintf(path, sizeof(path), "/api/v1/procedures?q=giay%%20phep&limit=37&cursor=%s",
		 first_cursor);
	int status = 0;
	for (int tries = 0; tries < 60 && status != 409; tries++) {
		struct http_resp r;
		assert_int_equal(http_fetch(demo.port, "GET", path, NULL, NULL, 0, &r), 0);
		status = r.status;
		http_resp_free(&r);
		if (status != 409)
			usleep(500 * 1000);
	}
	assert_int_equal(status, 409);
	it_server_free(&demo);
}

static void test_demo_catalogue_2020_departments(void **state)
{
	struct it_server old;
	assert_int_equal(it_server_start(&old, NULL), 0);
	assert_int_equal(it_server_stop(&old), 0);
	assert_int_equal(motcua(&old,
				(const char *[]){"init", "--demo", "--shape", "2020-01-01",
						 "--demo-dossiers", "0", NULL},
				NULL),
			 0);
	const char *db = old.db_path;
	/* Before 2025 the labour department carried out labour, war invalids,
	 * social protection and vocational training; tourism, and press and
	 * posts, had departments of their own. */
	static const char *const split[][3] = {
		{"bo-noi-vu", "viec-lam", "so-lao-dong-tbxh"},
		{"bo-noi-vu", "lao-dong", "so-lao-dong-tbxh"},
		{"bo-noi-vu", "nguoi-co-cong", "so-lao-dong-tbxh"},
		{"bo-noi-vu", "to-chuc-phi-chinh-phu", "so-noi-vu"},
		{"bo-y-te", "bao-tro-xa-hoi", "so-lao-dong-tbxh"},
		{"bo-y-te", "kham-benh-chua-benh", "so-y-te"},
		{"bo-giao-duc-dt", "giao-duc-nghe-nghiep", "so-lao-dong-tbxh"},
		{"bo-giao-duc-dt", "giao-duc-trung-hoc", "so-giao-duc-dao-tao"},
		{"bo-van-hoa-ttdl", "lu-hanh", "so-du-lich"},
		{"bo-van-hoa-ttdl", "du-lich", "so-du-lich"},
		{"bo-van-hoa-ttdl", "xuat-ban-in-va-phat-hanh", "so-thong-tin-truyen-thong"},
		{"bo-van-hoa-ttdl", "van-hoa", "so-van-hoa-the-thao"},
		{"bo-khoa-hoc-cn", "buu-chinh", "so-thong-tin-truyen-thong"},
		{"bo-khoa-hoc-cn", "hoat-dong-khoa-hoc-va-cong-nghe", "so-khoa-hoc-cong-nghe"},
		{"bo-cong-thuong", NULL, "so-cong-thuong"},
	};
	for (size_t i = 0; i < sizeof(split) / sizeof(split[0]); i++) {
		if (split[i][1])
			assert_true(count_sql(db, split[i][1],
					      "SELECT COUNT(*) FROM procedure WHERE generated = 1"
					      " AND levels = 'province' AND field_code = $1") > 0);
		assert_int_equal(misassigned(db, split[i][0], split[i][1], split[i][2]), 0);
	}
	/* And none is left without an agency. */
	assert_int_equal(count_sql(db, NULL,
				   "SELECT COUNT(*) FROM procedure p WHERE p.generated = 1"
				   " AND NOT EXISTS (SELECT 1 FROM procedure_agency x"
				   "  WHERE x.procedure_code = p.code)"),
			 0);
	assert_int_equal(count_sql(db, NULL, "SELECT COUNT(*) FROM agency WHERE level = 'commune'"),
			 145);
	assert_int_equal(communes_missing(db), 0);
	it_server_free(&old);
}

static int setup(void **state)
{
	return it_server_start(&srv, NULL);
}

static int teardown(void **state)
{
	it_server_free(&srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_agencies_then_again_unchanged),
		cmocka_unit_test(test_import_national_records_idempotent),
		cmocka_unit_test(test_export_round_trips),
		cmocka_unit_test(test_bad_file_is_refused_whole),
		cmocka_unit_test(test_imported_procedures_are_searchable),
		cmocka_unit_test(test_demo_catalogue_is_complete),
		cmocka_unit_test(test_demo_catalogue_2020_departments),
		cmocka_unit_test(test_cursor_pages_cover_the_results_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
