/*
 * it_stats.c - public statistics on a real motcua (SQLite and PostgreSQL):
 * dossiers inserted straight into the database are taken in by the stats
 * job within seconds (jobs_interval = 1); then GET /api/v1/stats, the
 * dashboard /thong-ke (charts with role="img", <title>, <desc> and a table
 * beside each; a bad period is a 400 with a clear message), the CSV export
 * (UTF-8 with a BOM), the XLSX export opened by a real reader (LibreOffice
 * headless converts it to CSV; skipped when soffice is absent) and compared
 * with the JSON, and the domain gauges in /metrics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <time.h>

#include "harness.h"

static struct it_server srv;

static const char *const setup_sql[] = {
	"INSERT INTO agency (code, name, level) VALUES"
	" ('so-tu-phap', 'Sở Tư pháp', 'department'),"
	" ('ubnd-giavien', 'Ủy ban nhân dân xã Gia Viễn', 'commune')",
	"INSERT INTO procedure (code, name) VALUES ('1.001193', 'Đăng ký khai sinh')",
	"INSERT INTO dossier (id, code, procedure_code, agency_code, status, stage, channel,"
	" created_at, updated_at, submitted_at, due_at, finished_at, supplements) VALUES"
	" ('s0', 'S-0', '1.001193', 'so-tu-phap', 4, 'assigned', 1, '2026-10-20 08:00:00',"
	" '2026-11-20 08:00:00', '2026-10-20 08:00:00', '2026-12-20 17:00:00', NULL, 0),"
	" ('s1', 'S-1', '1.001193', 'so-tu-phap', 9, 'done', 2, '2026-11-02 08:00:00',"
	" '2026-11-20 08:00:00', '2026-11-02 08:00:00', '2026-11-10 17:00:00',"
	" '2026-11-05 10:00:00', 0),"
	" ('s2', 'S-2', '1.001193', 'so-tu-phap', 9, 'done', 1, '2026-11-03 08:00:00',"
	" '2026-11-20 08:00:00', '2026-11-03 08:00:00', '2026-11-06 17:00:00',"
	" '2026-11-09 10:00:00', 0),"
	" ('s3', 'S-3', '1.001193', 'so-tu-phap', 4, 'assigned', 2, '2026-11-04 08:00:00',"
	" '2026-11-20 08:00:00', '2026-11-04 08:00:00', '2026-11-10 17:00:00', NULL, 0),"
	" ('g1', 'G-1', '1.001193', 'ubnd-giavien', 10, 'returned', 2, '2026-11-02 08:00:00',"
	" '2026-11-20 08:00:00', '2026-11-02 08:00:00', '2026-11-10 17:00:00',"
	" '2026-11-10 10:00:00', 0)",
	"INSERT INTO blob (hash, size, mime, created_at) VALUES ('h1', 10, 'application/pdf',"
	" '2026-11-02 08:00:00')",
	"INSERT INTO dossier_file (id, dossier_id, slot, name, blob_hash, size, mime, uploaded_at)"
	" VALUES ('f1', 'g1', 0, 'to-khai.pdf', 'h1', 10, 'application/pdf', '2026-11-02 "
	"08:00:00')",
	NULL,
};

static int group_setup(void **state)
{
	(void)state;
	struct it_server_opts o = {.conf = "jobs_interval = 1\n"};
	if (it_server_start(&srv, &o) != 0)
		return -1;
	for (int i = 0; setup_sql[i]; i++)
		if (it_db_exec(srv.db_path, setup_sql[i]) != 0)
			return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

static struct http_resp get(const char *path, int want)
{
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "GET", path, NULL, NULL, 0, &r), 0);
	if (r.status != want)
		fprintf(stderr, "# %s: %d %s\n", path, r.status, r.body);
	assert_int_equal(r.status, want);
	return r;
}

/* The JSON of November once the job has taken the dossiers in. */
static json_t *november(void)
{
	for (int i = 0; i < 100; i++) {
		struct http_resp r = get("/api/v1/stats?period=2026-11", 200);
		json_t *j = json_loads(r.body, 0, NULL);
		http_resp_free(&r);
		assert_non_null(j);
		if (json_integer_value(json_object_get(json_object_get(j, "total"), "received")) ==
		    4)
			return j;
		json_decref(j);
		usleep(200 * 1000);
	}
	fail_msg("the stats job did not take the dossiers in within 20 s");
	return NULL;
}

static void test_api(void **state)
{
	(void)state;
	json_t *j = november();
	json_t *t = json_object_get(j, "total");
	assert_int_equal(json_integer_value(json_object_get(t, "finished")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "early")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "on_time")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "late")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "open_overdue")), 1);
	json_t *units = json_object_get(j, "units");
	assert_int_equal(json_array_size(units), 2);
	/* Gia Viễn: 1/1 on time, online, digitised (index 100); the department: 1/2 */
	json_t *u0 = json_array_get(units, 0);
	assert_string_equal(json_string_value(json_object_get(u0, "code")), "ubnd-giavien");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(u0, "score"), "grade")),
		"excellent");
	/* s0, received in October and still open, is carried over into November */
	assert_int_equal(json_integer_value(json_object_get(t, "carried_over")), 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(u0, "figures"), "carried_over")),
		0);
	json_t *u1 = json_array_get(units, 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(u1, "figures"), "carried_over")),
		1);
	assert_true(json_real_value(json_object_get(json_object_get(u1, "figures"),
						    "on_time_rate")) == 50.0);
	json_decref(j);
	struct http_resp r = get("/api/v1/stats?period=2026-Q5", 400);
	assert_non_null(strstr(r.body, "2026-Q3"));
	http_resp_free(&r);
	r = get("/api/v1/stats?from=2026-12-01&to=2026-11-01", 400);
	http_resp_free(&r);
	r = get("/api/v1/stats?level=galaxy", 400);
	http_resp_free(&r);
}

static void test_page(void **state)
{
	(void)state;
	json_decref(november());
	struct http_resp r = get("/thong-ke?period=2026-11", 200);
	assert_non_null(strstr(r.body, "role=\"img\""));
	assert_non_null(strstr(r.body, "<title id=\"chart-rank-title\">"));
	assert_non_null(strstr(r.body, "<desc id=\"chart-months-desc\">"));
	assert_non_null(strstr(r.body, "Ủy ban nhân dân xã Gia Viễn"));
	assert_non_null(strstr(r.body, "Xuất sắc"));
	assert_non_null(strstr(r.body, "/thong-ke.xlsx?period=2026-11"));
	http_resp_free(&r);
	r = get("/thong-ke?period=2026-13", 400);
	assert_non_null(strstr(r.body, "Kỳ báo cáo không hợp lệ"));
	assert_non_null(strstr(r.body, "aria-invalid=\"true\""));
	http_resp_free(&r);
}

static void test_csv(void **state)
{
	(void)state;
	json_decref(november());
	struct http_resp r = get("/thong-ke.csv?period=2026-11", 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(
		strstr(r.body, "\"1\",\"ubnd-giavien\",\"Ủy ban nhân dân xã Gia Viễn\",0,1,1"));
	assert_non_null(strstr(r.body, "\"so-tu-phap\",\"Sở Tư pháp\",1,3,"));
	assert_non_null(strstr(r.body, "\"Tổng cộng\",1,4,"));
	http_resp_free(&r);
}

/* The line of the CSV that LibreOffice made starting with prefix, cut at
 * its end (csv is changed). */
/* One file of a zip archive (libarchive), NUL-terminated; fails the test
 * when it is missing. */
static char *zip_entry(const char *zip, const char *name)
{
	struct archive *ar = archive_read_new();
	archive_read_support_format_zip(ar);
	assert_int_equal(archive_read_open_filename(ar, zip, 65536), ARCHIVE_OK);
	struct archive_entry *e;
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), name) != 0)
			continue;
		size_t cap = 1 << 16, len = 0;
		char *out = malloc(cap);
		assert_non_null(out);
		la_ssize_t k;
		while ((k = archive_read_data(ar, out + len, cap - len - 1)) > 0) {
			len += (size_t)k;
			if (cap - len < 2) {
				cap *= 2;
				out = realloc(out, cap);
				assert_non_null(out);
			}
		}
		out[len] = 0;
		archive_read_free(ar);
		return out;
	}
	archive_read_free(ar);
	fail_msg("%s: no %s", zip, name);
	return NULL;
}

static void test_xlsx_opens_and_matches_json(void **state)
{
	(void)state;
	struct it_cmd which;
	const char *const wargv[] = {"/bin/sh", "-c", "command -v soffice", NULL};
	if (it_run(&which, wargv, NULL, 10000) != 0 || which.status != 0) {
		it_cmd_free(&which);
		skip(); /* LibreOffice is not installed */
	}
	char soffice[PATH_MAX];
	snprintf(soffice, sizeof(soffice), "%s", which.out);
	soffice[strcspn(soffice, "\n")] = 0;
	it_cmd_free(&which);
	json_t *j = november();
	struct http_resp r = get("/thong-ke.xlsx?period=2026-11", 200);
	assert_memory_equal(r.body, "PK", 2);
	char dir[PATH_MAX], path[PATH_MAX + 32], profile[PATH_MAX + 64], csvp[PATH_MAX + 32];
	assert_int_equal(it_mkdtemp(dir), 0);
	snprintf(path, sizeof(path), "%s/thong-ke.xlsx", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body, 1, r.body_len, f), r.body_len);
	fclose(f);
	http_resp_free(&r);
	snprintf(profile, sizeof(profile), "-env:UserInstallation=file://%s/profile", dir);
	const char *const argv[] = {soffice,
				    profile,
				    "--headless",
				    "--convert-to",
				    "csv:Text - txt - csv (StarCalc):44,34,76",
				    "--outdir",
				    dir,
				    path,
				    NULL};
	struct it_cmd cmd;
	assert_int_equal(it_run(&cmd, argv, NULL, 120000), 0);
	if (cmd.status != 0)
		fprintf(stderr, "# soffice: %s %s\n", cmd.out, cmd.err);
	assert_int_equal(cmd.status, 0);
	it_cmd_free(&cmd);
	snprintf(csvp, sizeof(csvp), "%s/thong-ke.csv", dir);
	size_t len;
	char *csv = it_read_file(csvp, &len);
	assert_non_null(csv);
	/* The report's head, as a province writes it. */
	assert_non_null(strstr(csv, "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"));
	assert_non_null(strstr(csv, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
	assert_non_null(strstr(csv, "Độc lập - Tự do - Hạnh phúc"));
	assert_non_null(strstr(csv, "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"));
	assert_non_null(strstr(csv, "Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026"));
	assert_non_null(strstr(csv, "STT,Đơn vị,Số hồ sơ nhận giải quyết,"));
	assert_non_null(strstr(csv, "(1),(2),(3),"));
	assert_non_null(strstr(csv, ",(18)"));
	/* Each unit's row as LibreOffice read it, against the JSON: numbered
	 * within its level's group. */
	json_t *units = json_object_get(j, "units");
	for (size_t i = 0; i < json_array_size(units); i++) {
		json_t *u = json_array_get(units, i), *fig = json_object_get(u, "figures");
		const char *keys[] = {
			"carried_over",	    "received_online", "received_desk", "received_post",
			"finished",	    "early",	       "on_time",	"late",
			"open_within_time", "open_overdue",    "withdrawn",	"refused"};
		char want[512];
		/* (3) received for handling = carried over + received */
		int k = snprintf(
			want, sizeof(want), "1,%s,%lld",
			json_string_value(json_object_get(u, "name")),
			(long long)(json_integer_value(json_object_get(fig, "carried_over")) +
				    json_integer_value(json_object_get(fig, "received"))));
		for (size_t c = 0; c < sizeof keys / sizeof *keys; c++)
			k += snprintf(want + k, sizeof(want) - (size_t)k, ",%lld",
				      (long long)json_integer_value(json_object_get(fig, keys[c])));
		snprintf(want + k, sizeof(want) - (size_t)k, ",%.2f,%.2f,",
			 json_real_value(json_object_get(fig, "online_rate")),
			 json_real_value(json_object_get(fig, "digitisation_rate")));
		if (!strstr(csv, want))
			fail_msg("unit %zu: want %s... in\n%s", i, want, csv);
	}
	/* The groups with their subtotals (the department has s1-s3; the commune
	 * g1), and the province's total in the last row. */
	assert_non_null(strstr(csv, "I,\"Sở, ban, ngành\",4,1,2,1,0,2,1,0,1,0,1,0,0,66.67,0.00,"));
	assert_non_null(strstr(csv, "II,Ủy ban nhân dân cấp xã,1,0,1,0,0,1,0,1,0,0,0,0,0,100.00,"));
	assert_non_null(strstr(csv, ",TỔNG CỘNG TOÀN TỈNH,5,1,3,1,0,3,1,1,1,0,1,0,0,75.00,25.00,"));
	free(csv);
	/* The print setup and the second sheet, in the workbook's own XML. */
	char *xml = zip_entry(path, "xl/workbook.xml");
	assert_non_null(strstr(xml, "name=\"Chỉ số 766\""));
	assert_non_null(strstr(xml, "_xlnm.Print_Titles"));
	free(xml);
	xml = zip_entry(path, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "orientation=\"landscape\""));
	assert_non_null(strstr(xml, "paperSize=\"9\""));
	assert_non_null(strstr(xml, "fitToHeight=\"0\""));
	assert_non_null(strstr(xml, "<mergeCell ref=\"C8:G8\"/>"));
	free(xml);
	xml = zip_entry(path, "xl/sharedStrings.xml");
	assert_non_null(strstr(xml, "Số hóa hồ sơ (22)"));
	assert_non_null(strstr(xml, "Xuất sắc"));
	free(xml);
	/* Its temporary file was in DIR/tmp, and is gone. */
	char tmpdir[PATH_MAX + 16];
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", srv.data);
	char lsc[PATH_MAX + 64];
	snprintf(lsc, sizeof(lsc), "ls -A '%s' | grep -c motcua-xlsx || true", tmpdir);
	const char *const largv[] = {"/bin/sh", "-c", lsc, NULL};
	assert_int_equal(it_run(&cmd, largv, NULL, 10000), 0);
	assert_string_equal(cmd.out, "0\n");
	it_cmd_free(&cmd);
	it_rmtree(dir);
	json_decref(j);
}

static void test_metrics(void **state)
{
	(void)state;
	json_decref(november());
	struct http_resp r = get("/metrics", 200);
	assert_non_null(strstr(r.body, "motcua_dossiers_overdue_open{agency=\"so-tu-phap\"} 1\n"));
	assert_null(strstr(r.body, "motcua_dossiers_overdue_open{agency=\"ubnd-giavien\"}"));
	assert_non_null(strstr(r.body, "motcua_outbox_backlog{outbox=\"mail\"} 0\n"));
	http_resp_free(&r);
}

/* The system admin sets a target on /quan-tri/chi-tieu: stored, audited,
 * shown on the dashboard as met or not; a bad value is a 400. */
static void test_admin_targets(void **state)
{
	(void)state;
	char token[65], hash[65], sql[1024];
	unsigned char raw[32], h[crypto_hash_sha256_BYTES];
	assert_true(sodium_init() >= 0);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	crypto_hash_sha256(h, (const unsigned char *)token, 64);
	sodium_bin2hex(hash, sizeof(hash), h, sizeof(h));
	long long now = (long long)time(NULL);
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO account (id, login, kind, roles, full_name, password_hash, created_at)"
		" VALUES ('sys', 'sys', 'officer', 64, 'Quản trị', 'x', '2026-01-01 00:00:00');"
		"INSERT INTO session (token_hash, account_id, kind, csrf, created_at, last_seen,"
		" expires_at) VALUES ('%s', 'sys', 'web', '%s', %lld, %lld, %lld);",
		hash, hash, now, now, now + 3600);
	assert_int_equal(it_db_exec(srv.db_path, sql), 0);
	char cookie[128];
	snprintf(cookie, sizeof(cookie), "Cookie: mc_session=%s\r\n", token);
	struct http_resp r = get("/quan-tri/chi-tieu?year=2026", 303); /* to sign in */
	http_resp_free(&r);
	assert_int_equal(
		http_fetch(srv.port, "GET", "/quan-tri/chi-tieu?year=2026", cookie, NULL, 0, &r),
		0);
	assert_int_equal(r.status, 200);
	const char *p = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	char csrf[128];
	snprintf(csrf, sizeof(csrf), "%.*s", (int)strcspn(p, "\""), p);
	http_resp_free(&r);
	char headers[256], form[256];
	snprintf(headers, sizeof(headers),
		 "Cookie: mc_session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n",
		 token);
	snprintf(form, sizeof(form),
		 "csrf=%s&agency=so-tu-phap&year=2026&metric=on_time_rate&value=120", csrf);
	assert_int_equal(
		http_fetch(srv.port, "POST", "/quan-tri/chi-tieu", headers, form, strlen(form), &r),
		0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "từ 0 đến 100"));
	http_resp_free(&r);
	snprintf(form, sizeof(form),
		 "csrf=%s&agency=so-tu-phap&year=2026&metric=on_time_rate&value=45", csrf);
	assert_int_equal(
		http_fetch(srv.port, "POST", "/quan-tri/chi-tieu", headers, form, strlen(form), &r),
		0);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT value FROM stats_target WHERE agency_code = $1",
				     "so-tu-phap"),
			 4500);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM audit_log WHERE actor = $1"
				     " AND action = 'stats.target'",
				     "sys"),
			 1);
	/* the department's on-time rate is 50 %: the 45 % target is met */
	json_t *j = november();
	json_t *u1 = json_array_get(json_object_get(j, "units"), 1);
	json_t *t = json_array_get(json_object_get(u1, "targets"), 0);
	assert_string_equal(json_string_value(json_object_get(t, "metric")), "on_time_rate");
	assert_true(json_is_true(json_object_get(t, "met")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api),	cmocka_unit_test(test_page),
		cmocka_unit_test(test_csv),	cmocka_unit_test(test_xlsx_opens_and_matches_json),
		cmocka_unit_test(test_metrics), cmocka_unit_test(test_admin_targets),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
