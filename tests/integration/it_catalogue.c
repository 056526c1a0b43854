/*
 * it_catalogue.c - `motcua import` and `motcua export` on the real binary,
 * then the catalogue as citizens meet it: the search page and the API.
 *
 * National records (tests/unit/fixtures/dvcqg_sample.jsonl, real records of
 * the national portal) and the shipped agency tree are imported into an
 * empty deployment; importing again changes nothing; an export imports into
 * another deployment and exports to the same bytes; a file with mistakes is
 * refused whole, with every problem on its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
