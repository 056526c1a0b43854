/*
 * it_caladmin.c - the official schedule's administration (page, API, CLI)
 * and the audit entries of sign-ins, permissions, calendar and catalogue
 * edits: each edit changes what `calendar holidays` prints and the due
 * dates the running server computes, each audited event appears once with
 * its action and subject, the chain verifies until a row is tampered with,
 * and the lookup shows the hash audit_latest would return.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "signin.h"

#define IDENT_A "000.00.77.H43"

static struct it_server srv;
static char sysadmin_id[40], agadmin_id[40], citizen_id[40];
static struct it_user sys_api, sys_web, ag_api, ag_web, cit_web, cit_api;
static char procedures_sha[65];

static const char procedures_jsonl[] =
	"{\"code\":\"9.990001\",\"name\":\"Đăng ký thử nghiệm\",\"field\":\"Thử nghiệm\","
	"\"levels\":[\"province\"],\"service_level\":\"toan-trinh\",\"methods\":[{\"channel\":"
	"\"online\",\"time_value\":\"3\",\"time_unit\":\"working_days\"}],\"documents\":[{"
	"\"name\":\"Tờ khai đăng ký\",\"originals\":1,\"copies\":0}]}\n";

/* Runs motcua with args (NULL-terminated, without --data); exit status,
 * and *out / *err when not NULL (malloc'd). */
static int run(const char *const args[], char **out, char **err)
{
	const char *argv[16] = {it_bin()};
	int n = 1;
	for (int i = 0; args[i] && n < 13; i++)
		argv[n++] = args[i];
	argv[n++] = "--data";
	argv[n++] = srv.data;
	argv[n] = NULL;
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	assert_int_equal(it_run(&cmd, argv, env, IT_START_MS), 0);
	int st = cmd.status;
	if (out)
		*out = strdup(cmd.out ? cmd.out : "");
	if (err)
		*err = strdup(cmd.err ? cmd.err : "");
	it_cmd_free(&cmd);
	return st;
}

static void sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	struct it_server_opts o = {0};
	if (it_server_start(&srv, &o) != 0)
		return -1;
	if (it_db_exec_retry(srv.db_path,
			     "INSERT INTO agency (code, name, level, identifier)"
			     " VALUES ('ag-a', 'Sở Thử nghiệm A', 'department', '" IDENT_A
			     "')") < 0)
		return -1;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/procedures.jsonl", srv.root);
	if (it_write_file(path, procedures_jsonl, false) < 0)
		return -1;
	sha256_hex(procedures_jsonl, procedures_sha);
	const char *argv[] = {it_bin(), "import", "procedures", path, "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	if (it_run(&cmd, argv, env, IT_START_MS) != 0 || cmd.status != 0) {
		fprintf(stderr, "import failed: %s\n", cmd.err ? cmd.err : "");
		return -1;
	}
	it_cmd_free(&cmd);
	if (it_db_exec_retry(srv.db_path, "INSERT INTO procedure_agency (procedure_code,"
					  " agency_code) VALUES ('9.990001', 'ag-a')") < 0)
		return -1;
	if (it_account_create(srv.db_path, "quantri-ht", "officer", 1 << 6, NULL, sysadmin_id) <
		    0 ||
	    it_account_create(srv.db_path, "quantri-a", "officer", 1 << 5, "ag-a", agadmin_id) <
		    0 ||
	    it_account_create(srv.db_path, "congdan-a", "citizen", 1, NULL, citizen_id) < 0)
		return -1;
	if (it_signin(srv.db_path, sysadmin_id, "api", &sys_api) < 0 ||
	    it_signin(srv.db_path, sysadmin_id, "web", &sys_web) < 0 ||
	    it_signin(srv.db_path, agadmin_id, "api", &ag_api) < 0 ||
	    it_signin(srv.db_path, agadmin_id, "web", &ag_web) < 0 ||
	    it_signin(srv.db_path, citizen_id, "web", &cit_web) < 0 ||
	    it_signin(srv.db_path, citizen_id, "api", &cit_api) < 0)
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

/* ---- requests ---- */

static struct http_resp call(const char *method, const char *path, const char *headers,
			     const char *body, int want)
{
	struct http_resp r;
	char h[1024];
	snprintf(h, sizeof(h), "%s%s", headers ? headers : "",
		 body ? "Content-Type: application/json\r\n" : "");
	int rc = http_fetch(srv.port, method, path, h, body, body ? strlen(body) : 0, &r);
	if (rc == 0 && r.status != want)
		it_note("%s %s: %d %s", method, path, r.status, r.body);
	assert_response(rc, &r, want);
	return r;
}

static void expect(const char *method, const char *path, const char *headers, const char *body,
		   int want)
{
	struct http_resp r = call(method, path, headers, body, want);
	http_resp_free(&r);
}

/* A form post from a web session (its CSRF token added). */
static struct http_resp post_form(const char *path, const struct it_user *u, const char *form,
				  int want)
{
	char h[1024], body[2048];
	snprintf(h, sizeof(h), "%sContent-Type: application/x-www-form-urlencoded\r\n", u->headers);
	snprintf(body, sizeof(body), "csrf=%s&%s", u->csrf, form);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", path, h, body, strlen(body), &r);
	if (rc == 0 && r.status != want)
		it_note("POST %s: %d %s", path, r.status, r.body);
	assert_response(rc, &r, want);
	return r;
}

static long long count(const char *sql, const char *arg)
{
	return it_db_count(srv.db_path, sql, arg);
}

static long long audit_count(const char *action, const char *subject)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM audit_log WHERE action = '%s' AND subject = $1", action);
	return count(sql, subject);
}

/* The data of the latest entry with action and subject (malloc'd). */
static char *audit_data(const char *action, const char *subject)
{
	char sql[256], *cols[1] = {NULL};
	snprintf(sql, sizeof(sql),
		 "SELECT data FROM audit_log WHERE action = '%s' AND subject = $1"
		 " ORDER BY n DESC LIMIT 1",
		 action);
	assert_int_equal(it_db_row(srv.db_path, sql, subject, cols, 1), 1);
	return cols[0];
}

static bool holidays_list(const char *year, const char *line)
{
	char *out = NULL;
	const char *args[] = {"calendar", "holidays", year, NULL};
	assert_int_equal(run(args, &out, NULL), 0);
	bool has = strstr(out, line) != NULL;
	free(out);
	return has;
}

static void verify_chain(int want_status, const char *want_text)
{
	char *out = NULL, *err = NULL;
	const char *args[] = {"audit", "verify", NULL};
	int st = run(args, &out, &err);
	if (st != want_status)
		it_note("audit verify: %d %s %s", st, out, err);
	assert_int_equal(st, want_status);
	assert_non_null(strstr(out, want_text));
	free(out);
	free(err);
}

/* ---- the official schedule ---- */

static void test_api_edits_change_holidays_and_are_audited(void **state)
{
	(void)state;
	/* 2031-03-04 is a Tuesday: an ordinary working day. */
	assert_false(holidays_list("2031", "2031-03-04\t"));
	struct http_resp r = call("PUT", "/api/v1/calendar/days/2031-03-04", sys_api.headers,
				  "{\"working\": false, \"name\": \"Nghỉ thử nghiệm\"}", 200);
	http_resp_free(&r);
	assert_true(holidays_list("2031", "2031-03-04\tNghỉ thử nghiệm\n"));
	assert_int_equal(audit_count("calendar.set", "calendar:2031-03-04"), 1);
	char *data = audit_data("calendar.set", "calendar:2031-03-04");
	assert_string_equal(data,
			    "{\"before\":null,\"name\":\"Nghỉ thử nghiệm\",\"working\":false}");
	free(data);
	char *cols[1] = {NULL};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT actor FROM audit_log WHERE subject = $1 ORDER BY n DESC",
				   "calendar:2031-03-04", cols, 1),
			 1);
	assert_string_equal(cols[0], sysadmin_id);
	free(cols[0]);

	/* The year as the API shows it: the override, and what the rules say. */
	r = call("GET", "/api/v1/calendar/2031", NULL, NULL, 200);
	json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(doc);
	size_t i;
	json_t *d, *found = NULL;
	json_array_foreach(json_object_get(doc, "days"), i, d)
	{
		if (strcmp(json_string_value(json_object_get(d, "date")), "2031-03-04") == 0)
			found = d;
	}
	assert_non_null(found);
	assert_true(json_is_true(json_object_get(found, "override")));
	assert_string_equal(json_string_value(json_object_get(found, "kind")), "day_off");
	assert_true(json_is_true(json_object_get(json_object_get(found, "default"), "working")));
	json_decref(doc);
	http_resp_free(&r);

	/* A second edit records what it replaced. */
	expect("PUT", "/api/v1/calendar/days/2031-03-04", sys_api.headers,
	       "{\"working\": false, \"name\": \"Nghỉ hoán đổi\"}", 200);
	assert_int_equal(audit_count("calendar.set", "calendar:2031-03-04"), 2);
	data = audit_data("calendar.set", "calendar:2031-03-04");
	assert_non_null(
		strstr(data, "\"before\":{\"name\":\"Nghỉ thử nghiệm\",\"working\":false}"));
	free(data);

	expect("DELETE", "/api/v1/calendar/days/2031-03-04", sys_api.headers, NULL, 204);
	assert_false(holidays_list("2031", "2031-03-04\t"));
	assert_int_equal(audit_count("calendar.unset", "calendar:2031-03-04"), 1);
	expect("DELETE", "/api/v1/calendar/days/2031-03-04", sys_api.headers, NULL, 404);
	assert_int_equal(audit_count("calendar.unset", "calendar:2031-03-04"), 1);
}

static void test_api_refuses_invalid_input(void **state)
{
	(void)state;
	long long before = count("SELECT COUNT(*) FROM audit_log", NULL);
	expect("PUT", "/api/v1/calendar/days/2031-02-30", sys_api.headers,
	       "{\"working\": false, \"name\": \"x\"}", 400);
	expect("PUT", "/api/v1/calendar/days/31-03-2031", sys_api.headers,
	       "{\"working\": false, \"name\": \"x\"}", 400);
	/* A day off needs its name; a working day must not already be one. */
	struct http_resp r = call("PUT", "/api/v1/calendar/days/2031-03-05", sys_api.headers,
				  "{\"working\": false}", 422);
	assert_non_null(strstr(r.body, "\"name\""));
	http_resp_free(&r);
	r = call("PUT", "/api/v1/calendar/days/2031-03-05", sys_api.headers, "{\"working\": true}",
		 422);
	assert_non_null(strstr(r.body, "\"working\""));
	http_resp_free(&r);
	expect("PUT", "/api/v1/calendar/days/2031-03-05", sys_api.headers,
	       "{\"working\": \"no\", \"name\": \"x\"}", 422);
	expect("PUT", "/api/v1/calendar/days/1899-03-06", sys_api.headers,
	       "{\"working\": false, \"name\": \"x\"}", 422);
	char big[400];
	snprintf(big, sizeof(big), "{\"working\": false, \"name\": \"%0200d\"}", 7);
	expect("PUT", "/api/v1/calendar/days/2031-03-05", sys_api.headers, big, 422);
	expect("GET", "/api/v1/calendar/1899", NULL, NULL, 400);
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_day WHERE date LIKE '%-03-05'"
			       " OR date = '1899-03-06'",
			       NULL),
			 0);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log", NULL), before);
}

static void test_only_the_system_admin_edits(void **state)
{
	(void)state;
	expect("PUT", "/api/v1/calendar/days/2031-03-06", ag_api.headers,
	       "{\"working\": false, \"name\": \"x\"}", 403);
	expect("PUT", "/api/v1/calendar/days/2031-03-06", cit_api.headers,
	       "{\"working\": false, \"name\": \"x\"}", 403);
	expect("DELETE", "/api/v1/calendar/days/2031-03-06", ag_api.headers, NULL, 403);
	expect("GET", "/quan-tri/lich?nam=2031", cit_web.headers, NULL, 403);
	struct http_resp r =
		post_form("/quan-tri/lich", &ag_web, "date=06%2F03%2F2031&kind=off&name=x", 403);
	http_resp_free(&r);
	/* Agency admins read the schedule, without the forms. */
	r = call("GET", "/quan-tri/lich?nam=2031", ag_web.headers, NULL, 200);
	assert_null(strstr(r.body, "action=\"/quan-tri/lich\" method=\"post\""));
	assert_non_null(strstr(r.body, "Quốc khánh (2/9)"));
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_day WHERE date = '2031-03-06'", NULL),
			 0);
}

static void test_page_adds_edits_and_removes(void **state)
{
	(void)state;
	struct http_resp r = call("GET", "/quan-tri/lich?nam=2031", sys_web.headers, NULL, 200);
	assert_int_equal(it_count(r.body, "<table class=\"cal\">"), 12);
	assert_non_null(strstr(r.body, "action=\"/quan-tri/lich\" method=\"post\""));
	http_resp_free(&r);

	r = post_form("/quan-tri/lich", &sys_web,
		      "date=07%2F03%2F2031&kind=off&name=Ngh%E1%BB%89+b%C3%B9+th%E1%BB%AD", 303);
	assert_string_equal(http_resp_header(&r, "Location"), "/quan-tri/lich?nam=2031&luu=1");
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_day WHERE date = '2031-03-07'"
			       " AND working = 0 AND name = 'Nghỉ bù thử'",
			       NULL),
			 1);
	r = call("GET", "/quan-tri/lich?nam=2031&luu=1", sys_web.headers, NULL, 200);
	assert_non_null(strstr(r.body, "07/03/2031"));
	assert_non_null(strstr(r.body, "Nghỉ bù thử"));
	http_resp_free(&r);

	/* Adding the same date again is refused; editing it replaces it. */
	r = post_form("/quan-tri/lich", &sys_web, "date=07%2F03%2F2031&kind=off&name=Kh%C3%A1c",
		      409);
	assert_non_null(strstr(r.body, "đã có trong lịch"));
	http_resp_free(&r);
	r = post_form("/quan-tri/lich", &sys_web, "date=31%2F02%2F2031&kind=off&name=x", 422);
	assert_non_null(strstr(r.body, "Hãy nhập một ngày có thật"));
	http_resp_free(&r);
	r = post_form("/quan-tri/lich", &sys_web, "date=08%2F03%2F2031&kind=off&name=", 422);
	assert_non_null(strstr(r.body, "tên hoặc lý do"));
	http_resp_free(&r);
	/* Every problem at once, each linked to its field. */
	r = post_form("/quan-tri/lich", &sys_web, "date=&kind=off&name=", 422);
	assert_non_null(strstr(r.body, "<a href=\"#f-date\">"));
	assert_non_null(strstr(r.body, "<a href=\"#f-name\">"));
	http_resp_free(&r);
	r = post_form("/quan-tri/lich", &sys_web,
		      "thay=1&date=07%2F03%2F2031&kind=off&name=Ngh%E1%BB%89+kh%C3%A1c", 303);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_day WHERE date = '2031-03-07'"
			       " AND name = 'Nghỉ khác'",
			       NULL),
			 1);
	/* A Saturday worked (2031-03-08), then removed. */
	r = post_form("/quan-tri/lich", &sys_web,
		      "date=8%2F3%2F2031&kind=working&name=L%C3%A0m+b%C3%B9", 303);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM calendar_day WHERE date = '2031-03-08'"
			       " AND working = 1",
			       NULL),
			 1);
	r = post_form("/quan-tri/lich/xoa", &sys_web, "date=2031-03-08", 303);
	http_resp_free(&r);
	r = post_form("/quan-tri/lich/xoa", &sys_web, "date=2031-03-07", 303);
	http_resp_free(&r);
	assert_int_equal(
		count("SELECT COUNT(*) FROM calendar_day WHERE date LIKE '2031-03-0%'", NULL), 0);
	assert_int_equal(audit_count("calendar.set", "calendar:2031-03-07"), 2);
	assert_int_equal(audit_count("calendar.unset", "calendar:2031-03-08"), 1);
	/* A form without its CSRF token changes nothing. */
	char h[512];
	snprintf(h, sizeof(h), "%sContent-Type: application/x-www-form-urlencoded\r\n",
		 sys_web.headers);
	const char *form = "date=09%2F03%2F2031&kind=off&name=x";
	assert_int_equal(http_fetch(srv.port, "POST", "/quan-tri/lich", h, form, strlen(form), &r),
			 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
}

static void test_cli_set_unset_import(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	const char *set[] = {"calendar", "set", "2032-01-02", "--off", "--name", "Nghỉ CLI", NULL};
	assert_int_equal(run(set, &out, &err), 0);
	free(out);
	free(err);
	assert_true(holidays_list("2032", "2032-01-02\tNghỉ CLI\n"));
	char *cols[1] = {NULL};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT actor FROM audit_log WHERE subject = $1 ORDER BY n DESC",
				   "calendar:2032-01-02", cols, 1),
			 1);
	assert_true(strncmp(cols[0], "cli:", 4) == 0);
	free(cols[0]);
	const char *noname[] = {"calendar", "set", "2032-01-05", "--off", NULL};
	assert_int_equal(run(noname, NULL, &err), 1);
	assert_non_null(strstr(err, "name"));
	free(err);
	const char *unset[] = {"calendar", "unset", "2032-01-02", NULL};
	assert_int_equal(run(unset, NULL, NULL), 0);
	assert_int_equal(run(unset, NULL, NULL), 1);
	assert_false(holidays_list("2032", "2032-01-02\t"));

	/* Import: all lines or none, problems named by line. */
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/lich-2032.tsv", srv.root);
	assert_int_equal(it_write_file(path,
				       "# lịch năm 2032\n"
				       "2032-02-09\toff\tNghỉ Tết thêm\n"
				       "2032-02-31\toff\tNgày sai\n"
				       "2032-02-21\tworking\tLàm bù\n"
				       "2032-02-09\toff\tLặp lại\n",
				       false),
			 0);
	const char *imp[] = {"calendar", "import", path, NULL};
	assert_int_equal(run(imp, NULL, &err), 1);
	assert_non_null(strstr(err, "lich-2032.tsv:3:"));
	assert_non_null(strstr(err, "lich-2032.tsv:5:"));
	free(err);
	assert_int_equal(
		count("SELECT COUNT(*) FROM calendar_day WHERE date LIKE '2032-02-%'", NULL), 0);
	const char *good = "2032-02-09\toff\tNghỉ Tết thêm\n2032-02-21\tworking\tLàm bù\n";
	assert_int_equal(it_write_file(path, good, false), 0);
	assert_int_equal(run(imp, &out, NULL), 0);
	assert_non_null(strstr(out, "2 dates"));
	free(out);
	assert_true(holidays_list("2032", "2032-02-09\tNghỉ Tết thêm\n"));
	assert_int_equal(
		count("SELECT COUNT(*) FROM calendar_day WHERE date LIKE '2032-02-%'", NULL), 2);
	assert_int_equal(audit_count("calendar.import", "calendar:import"), 1);
	char sha[65];
	sha256_hex(good, sha);
	char *data = audit_data("calendar.import", "calendar:import");
	assert_non_null(strstr(data, sha));
	assert_non_null(strstr(data, "\"rows\":2"));
	free(data);
}

/* ---- due dates and the lookup ---- */

#define BOUNDARY "----motcuaCalBoundary"
static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/* Submits 9.990001 as the citizen; the reply's code and due (malloc'd). */
static void submit(char **code, char **due)
{
	static const char *const kv[] = {
		"procedure",  "9.990001",	   "agency",	    "ag-a",
		"name",	      "Nguyễn Văn An",	   "id_number",	    "037090123456",
		"birth_date", "05/09/1990",	   "phone",	    "0912345678",
		"address",    "Số 1 đường Lê Lợi", "return_method", "online",
		NULL};
	char body[8192];
	size_t len = 0;
	for (int i = 0; kv[i]; i += 2)
		len += (size_t)snprintf(body + len, sizeof(body) - len,
					"--" BOUNDARY "\r\nContent-Disposition: form-data;"
					" name=\"%s\"\r\n\r\n%s\r\n",
					kv[i], kv[i + 1]);
	len += (size_t)snprintf(body + len, sizeof(body) - len,
				"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"doc_0\";"
				" filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%s\r\n"
				"--" BOUNDARY "--\r\n",
				pdf);
	char h[512];
	snprintf(h, sizeof(h), "%sContent-Type: multipart/form-data; boundary=" BOUNDARY "\r\n",
		 cit_api.headers);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", "/api/v1/dossiers", h, body, len, &r);
	if (rc == 0 && r.status != 201)
		it_note("submit: %d %s", r.status, r.body);
	assert_response(rc, &r, 201);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	*code = strdup(json_string_value(json_object_get(j, "code")));
	*due = strdup(json_string_value(json_object_get(j, "due")));
	json_decref(j);
	http_resp_free(&r);
}

static void test_due_dates_follow_the_schedule(void **state)
{
	(void)state;
	char *code1, *due1, *code2, *due2, *code3, *due3;
	submit(&code1, &due1);
	/* The due day becomes a day off: the running server counts past it. */
	char path[64], day[11];
	snprintf(day, sizeof(day), "%.10s", due1);
	snprintf(path, sizeof(path), "/api/v1/calendar/days/%s", day);
	expect("PUT", path, sys_api.headers, "{\"working\": false, \"name\": \"Nghỉ đột xuất\"}",
	       200);
	submit(&code2, &due2);
	assert_true(strncmp(due2, due1, 10) > 0);
	expect("DELETE", path, sys_api.headers, NULL, 204);
	submit(&code3, &due3);
	assert_int_equal(strncmp(due3, due1, 10), 0);
	free(code1), free(due1), free(code2), free(due2), free(code3), free(due3);
}

static void test_lookup_shows_the_latest_audit_hash(void **state)
{
	(void)state;
	char *code, *due;
	submit(&code, &due);
	char subject[96], *cols[1] = {NULL};
	snprintf(subject, sizeof(subject), "dossier:%s", code);
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT hash FROM audit_log WHERE subject = $1 ORDER BY n DESC",
				   subject, cols, 1),
			 1);
	char *hash = cols[0];
	assert_int_equal(strlen(hash), 64);

	char path[160];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/status", code);
	struct http_resp r = call("GET", path, NULL, NULL, 200);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "audit_hash")), hash);
	json_decref(j);
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/tra-cuu?ma=%s", code);
	r = call("GET", path, NULL, NULL, 200);
	assert_non_null(strstr(r.body, hash));
	assert_non_null(strstr(r.body, "Mã kiểm chứng"));
	http_resp_free(&r);

	/* Anyone holding the hash sees the entry's public fields only. */
	snprintf(path, sizeof(path), "/api/v1/audit/%s", hash);
	r = call("GET", path, NULL, NULL, 200);
	j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "subject")), subject);
	assert_string_equal(json_string_value(json_object_get(j, "action")), "dossier.submit");
	assert_null(json_object_get(j, "actor"));
	assert_null(json_object_get(j, "data"));
	json_decref(j);
	http_resp_free(&r);
	expect("GET", "/api/v1/audit/not-a-hash", NULL, NULL, 400);
	char *out = NULL;
	const char *show[] = {"audit", "show", hash, NULL};
	assert_int_equal(run(show, &out, NULL), 0);
	assert_non_null(strstr(out, "action\tdossier.submit\n"));
	assert_non_null(strstr(out, "matches its hash"));
	free(out);
	free(hash);
	free(code);
	free(due);
}

/* ---- audited events ---- */

static char *token_for(const char *login, const char *password, int want)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"login\": \"%s\", \"password\": \"%s\"}", login, password);
	struct http_resp r = call("POST", "/api/v1/tokens", NULL, body, want);
	char *tok = NULL;
	if (want == 201) {
		json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
		tok = strdup(json_string_value(json_object_get(j, "token")));
		json_decref(j);
	}
	http_resp_free(&r);
	return tok;
}

static void test_sign_ins_and_permissions_are_audited(void **state)
{
	(void)state;
	char *out = NULL;
	const char *add[] = {"user",   "add",  "--login",  "canbo.audit", "--name", "Cán bộ Kiểm",
			     "--role", "desk", "--agency", "ag-a",	  NULL};
	assert_int_equal(run(add, &out, NULL), 0);
	const char *pw = strstr(out, "password: ");
	assert_non_null(pw);
	char password[64];
	snprintf(password, sizeof(password), "%.*s", (int)strcspn(pw + 10, "\n"), pw + 10);
	free(out);
	char *cols[1] = {NULL};
	assert_int_equal(it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1",
				   "canbo.audit", cols, 1),
			 1);
	char subject[96];
	snprintf(subject, sizeof(subject), "account:%s", cols[0]);
	char *id = cols[0];
	assert_int_equal(audit_count("perm.officer_create", subject), 1);
	char *data = audit_data("perm.officer_create", subject);
	assert_non_null(strstr(data, "\"roles\":[\"desk\"]"));
	free(data);

	/* A wrong password: one counted failure, without the password. */
	free(token_for("canbo.audit", "sai-mat-khau-1", 401));
	assert_int_equal(audit_count("auth.login_failed", subject), 1);
	data = audit_data("auth.login_failed", subject);
	assert_non_null(strstr(data, "\"login\":\"canbo.audit\""));
	assert_null(strstr(data, "sai-mat-khau"));
	free(data);

	char *tok = token_for("canbo.audit", password, 201);
	assert_int_equal(audit_count("auth.login", subject), 1);
	data = audit_data("auth.login", subject);
	assert_non_null(strstr(data, "\"method\":\"token\""));
	assert_non_null(strstr(data, "\"address\":\"127.0.0.1\""));
	free(data);
	char auth[160];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", tok);
	expect("DELETE", "/api/v1/tokens/current", auth, NULL, 204);
	assert_int_equal(audit_count("auth.token_revoke", subject), 1);
	free(tok);
	tok = token_for("canbo.audit", password, 201);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", tok);
	expect("DELETE", "/api/v1/sessions", auth, NULL, 204);
	assert_int_equal(audit_count("auth.logout_all", subject), 1);
	assert_int_equal(audit_count("auth.login", subject), 2);
	free(tok);
	/* Entries about accounts are not public, even with their hash. */
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT hash FROM audit_log WHERE subject = $1 ORDER BY n DESC",
				   subject, cols, 1),
			 1);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/audit/%s", cols[0]);
	free(cols[0]);
	expect("GET", path, NULL, NULL, 404);

	/* The sign-in form, then its sign-out (double-submit CSRF cookie). */
	char x[65], h[512], body[256];
	memset(x, 'a', 64);
	x[64] = '\0';
	snprintf(h, sizeof(h),
		 "Cookie: csrf=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n", x);
	snprintf(body, sizeof(body), "csrf=%s&login=canbo.audit&password=%s", x, password);
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "POST", "/dang-nhap", h, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	char *session = it_set_cookie(&r, "mc_session");
	assert_non_null(session);
	http_resp_free(&r);
	assert_int_equal(audit_count("auth.login", subject), 3);
	data = audit_data("auth.login", subject);
	assert_non_null(strstr(data, "\"method\":\"form\""));
	free(data);
	snprintf(h, sizeof(h),
		 "Cookie: mc_session=%s; csrf=%s\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\n",
		 session, x);
	snprintf(body, sizeof(body), "csrf=%s", x);
	assert_int_equal(http_fetch(srv.port, "POST", "/dang-xuat", h, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	free(session);
	assert_int_equal(audit_count("auth.logout", subject), 1);

	/* The system admin disables and enables the officer. */
	snprintf(path, sizeof(path), "/api/v1/officers/%s/enabled", id);
	expect("POST", path, sys_api.headers, "{\"enabled\": false}", 204);
	expect("POST", path, sys_api.headers, "{\"enabled\": true}", 204);
	assert_int_equal(audit_count("perm.officer_disable", subject), 1);
	assert_int_equal(audit_count("perm.officer_enable", subject), 1);
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT actor FROM audit_log WHERE subject = $1 ORDER BY n DESC",
				   subject, cols, 1),
			 1);
	assert_string_equal(cols[0], sysadmin_id);
	free(cols[0]);

	/* A password change, then the account closed, by the officer. */
	tok = token_for("canbo.audit", password, 201);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", tok);
	snprintf(body, sizeof(body), "{\"current\": \"%s\", \"password\": \"Kiem-Tra-2031-moi\"}",
		 password);
	expect("POST", "/api/v1/me/password", auth, body, 204);
	assert_int_equal(audit_count("auth.password_change", subject), 1);
	expect("POST", "/api/v1/me/close", auth, "{\"password\": \"Kiem-Tra-2031-moi\"}", 204);
	assert_int_equal(audit_count("account.close", subject), 1);
	free(tok);
	free(id);
	verify_chain(0, "audit chain intact");
}

static void test_a_flood_of_failures_is_bounded(void **state)
{
	(void)state;
	/* Unknown logins count toward the throttle too; once locked, further
	 * attempts are refused before any write and leave no entry. */
	for (int i = 0; i < 8; i++) {
		struct http_resp r;
		const char *body = "{\"login\": \"khong-co-ai\", \"password\": \"doan-bua\"}";
		char h[] = "Content-Type: application/json\r\n";
		assert_int_equal(
			http_fetch(srv.port, "POST", "/api/v1/tokens", h, body, strlen(body), &r),
			0);
		assert_true(r.status == 401 || r.status == 429);
		http_resp_free(&r);
	}
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action ="
			       " 'auth.login_failed' AND data LIKE $1",
			       "%\"login\":\"khong-co-ai\"%"),
			 5);
}

static void test_catalogue_edits_and_imports_are_audited(void **state)
{
	(void)state;
	assert_int_equal(audit_count("catalogue.import", "catalogue:procedures"), 1);
	char *data = audit_data("catalogue.import", "catalogue:procedures");
	assert_non_null(strstr(data, procedures_sha));
	assert_non_null(strstr(data, "\"added\":1"));
	free(data);

	struct http_resp r =
		post_form("/quan-tri/thu-tuc/9.990001", &ag_web,
			  "name=%C4%90%C4%83ng+k%C3%BD+th%E1%BB%AD+nghi%E1%BB%87m+%28s%E1%BB%ADa%29"
			  "&service_level=toan-trinh&published=1",
			  303);
	http_resp_free(&r);
	assert_int_equal(audit_count("catalogue.edit", "procedure:9.990001"), 1);
	data = audit_data("catalogue.edit", "procedure:9.990001");
	assert_non_null(strstr(data, "\"name\":{\"after\":\"Đăng ký thử nghiệm (sửa)\","
				     "\"before\":\"Đăng ký thử nghiệm\"}"));
	/* Fields posted unchanged are not listed. */
	assert_null(strstr(data, "\"service_level\""));
	assert_null(strstr(data, "\"code\""));
	free(data);
}

/* Last: a row changed behind the portal's back breaks the chain there. */
static void test_tampering_is_named_by_verify(void **state)
{
	(void)state;
	verify_chain(0, "audit chain intact");
	char *cols[1] = {NULL};
	assert_int_equal(
		it_db_row(srv.db_path, "SELECT hash FROM audit_log WHERE n = $1", "2", cols, 1), 1);
	assert_int_equal(it_db_exec_retry(srv.db_path, "UPDATE audit_log SET data ="
						       " '{\"forged\":true}' WHERE n = 2"),
			 0);
	verify_chain(1, "broken at entry 2");
	char *out = NULL;
	const char *show[] = {"audit", "show", cols[0], NULL};
	assert_int_equal(run(show, &out, NULL), 1);
	assert_non_null(strstr(out, "DOES NOT match"));
	free(out);
	free(cols[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_edits_change_holidays_and_are_audited),
		cmocka_unit_test(test_api_refuses_invalid_input),
		cmocka_unit_test(test_only_the_system_admin_edits),
		cmocka_unit_test(test_page_adds_edits_and_removes),
		cmocka_unit_test(test_cli_set_unset_import),
		cmocka_unit_test(test_due_dates_follow_the_schedule),
		cmocka_unit_test(test_lookup_shows_the_latest_audit_hash),
		cmocka_unit_test(test_sign_ins_and_permissions_are_audited),
		cmocka_unit_test(test_a_flood_of_failures_is_bounded),
		cmocka_unit_test(test_catalogue_edits_and_imports_are_audited),
		cmocka_unit_test(test_tampering_is_named_by_verify),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
