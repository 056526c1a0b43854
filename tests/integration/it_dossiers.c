/*
 * it_dossiers.c - online dossier submission (hồ sơ) on a real motcua, on
 * SQLite and on PostgreSQL: the form page, submission through the API and
 * the form with its code and due date, every validation problem reported
 * at once with nothing stored, drafts resumed from another session, 1,000
 * concurrent submissions to one agency giving the codes 0001..1000 with no
 * gap, a failed write giving its number back, privacy between applicants
 * and agencies, and the withdrawal request by status.
 *
 * The test catalogue is imported from JSON lines: procedure 9.990001 needs
 * one document and takes an optional one, 9.990002 takes only an optional
 * one, 9.990003 cannot be filed online. Agency ag-a and ag-b have
 * identifier codes, ag-x has none.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"
#include "signin.h"

#define IDENT_A "000.00.16.H43"
#define IDENT_B "000.00.17.H43"

static struct it_server srv;
static char citizen1[40], citizen2[40], business1[40], officer_a[40], officer_b[40];
static struct it_user c1_web, c1_api, c2_api, c2_web, b1_api, off_a, off_b;

static const char procedures_jsonl[] =
	"{\"code\":\"9.990001\",\"name\":\"Đăng ký thử nghiệm\",\"field\":\"Thử nghiệm\","
	"\"levels\":[\"province\"],\"service_level\":\"toan-trinh\",\"methods\":[{\"channel\":"
	"\"online\",\"time_value\":\"3\",\"time_unit\":\"working_days\",\"time_text\":\"3 Ngày "
	"làm việc\"}],\"documents\":[{\"name\":\"Tờ khai đăng ký\",\"originals\":1,\"copies\":0,"
	"\"templates\":[\"Mẫu số 01.docx\"]},{\"name\":\"Giấy ủy quyền (nếu có)\",\"originals\":"
	"0,\"copies\":1}]}\n"
	"{\"code\":\"9.990002\",\"name\":\"Khai báo thử nghiệm\",\"field\":\"Thử nghiệm\","
	"\"levels\":[\"province\"],\"service_level\":\"toan-trinh\",\"methods\":[{\"channel\":"
	"\"online\",\"time_value\":\"5\",\"time_unit\":\"days\"}],\"documents\":[{\"name\":"
	"\"Giấy tờ khác (nếu có)\",\"originals\":0,\"copies\":1}]}\n"
	"{\"code\":\"9.990003\",\"name\":\"Thủ tục trực tiếp\",\"field\":\"Thử nghiệm\","
	"\"levels\":[\"province\"],\"methods\":[{\"channel\":\"direct\",\"time_value\":\"3\","
	"\"time_unit\":\"working_days\"}],\"documents\":[{\"name\":\"Đơn\",\"originals\":1,"
	"\"copies\":0}]}\n";

static int group_setup(void **state)
{
	struct it_server_opts o = {0};
	if (it_server_start(&srv, &o) != 0)
		return -1;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/procedures.jsonl", srv.root);
	if (it_write_file(path, procedures_jsonl, false) < 0)
		return -1;
	const char *argv[] = {it_bin(), "import", "procedures", path, "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	if (it_run(&cmd, argv, env, IT_START_MS) != 0 || cmd.status != 0) {
		fprintf(stderr, "import failed: %s\n", cmd.err ? cmd.err : "");
		return -1;
	}
	it_cmd_free(&cmd);
	if (it_db_exec_retry(srv.db_path,
			     "INSERT INTO agency (code, name, level, identifier) VALUES"
			     " ('ag-a', 'Sở Thử nghiệm A', 'department', '" IDENT_A "'),"
			     " ('ag-b', 'Sở Thử nghiệm B', 'department', '" IDENT_B "'),"
			     " ('ag-x', 'Sở Chưa có mã', 'department', NULL);"
			     "INSERT INTO procedure_agency (procedure_code, agency_code) VALUES"
			     " ('9.990001', 'ag-a'), ('9.990001', 'ag-b'), ('9.990001', 'ag-x'),"
			     " ('9.990002', 'ag-a'), ('9.990002', 'ag-b'), ('9.990003', 'ag-a');") <
	    0)
		return -1;
	if (it_account_create(srv.db_path, "congdan1", "citizen", 1, NULL, citizen1) < 0 ||
	    it_account_create(srv.db_path, "congdan2", "citizen", 1, NULL, citizen2) < 0 ||
	    it_account_create(srv.db_path, "doanhnghiep1", "business", 2, NULL, business1) < 0 ||
	    it_account_create(srv.db_path, "canbo-a", "officer", 4, "ag-a", officer_a) < 0 ||
	    it_account_create(srv.db_path, "canbo-b", "officer", 4, "ag-b", officer_b) < 0)
		return -1;
	if (it_signin(srv.db_path, citizen1, "web", &c1_web) < 0 ||
	    it_signin(srv.db_path, citizen1, "api", &c1_api) < 0 ||
	    it_signin(srv.db_path, citizen2, "api", &c2_api) < 0 ||
	    it_signin(srv.db_path, citizen2, "web", &c2_web) < 0 ||
	    it_signin(srv.db_path, business1, "api", &b1_api) < 0 ||
	    it_signin(srv.db_path, officer_a, "api", &off_a) < 0 ||
	    it_signin(srv.db_path, officer_b, "api", &off_b) < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* ---- building requests ---- */

#define BOUNDARY "----motcuaTestBoundary7d3"

struct body {
	char *p;
	size_t len, cap;
};

static void body_add(struct body *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void body_printf(struct body *b, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	body_add(b, tmp, (size_t)n);
}

/*
 * A request body from NULL-terminated name/value pairs. A name starting
 * with "doc_" is a file whose content is the value (multipart only).
 * multipart/form-data, or urlencoded (files left out).
 * *ctype gets the Content-Type header line.
 */
static struct body make_body(const char *const kv[], bool multipart, const char **ctype)
{
	struct body b = {0};
	if (multipart) {
		for (int i = 0; kv[i]; i += 2) {
			if (strncmp(kv[i], "doc_", 4) == 0)
				body_printf(&b,
					    "--" BOUNDARY "\r\nContent-Disposition: form-data; "
					    "name=\"%s\"; filename=\"%s.pdf\"\r\nContent-Type: "
					    "application/pdf\r\n\r\n",
					    kv[i], kv[i]);
			else
				body_printf(
					&b,
					"--" BOUNDARY
					"\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n",
					kv[i]);
			body_add(&b, kv[i + 1], strlen(kv[i + 1]));
			body_add(&b, "\r\n", 2);
		}
		body_printf(&b, "--" BOUNDARY "--\r\n");
		*ctype = "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n";
	} else {
		for (int i = 0; kv[i]; i += 2) {
			if (strncmp(kv[i], "doc_", 4) == 0)
				continue;
			char *v = it_urlencode(kv[i + 1]);
			body_printf(&b, "%s%s=%s", b.len ? "&" : "", kv[i], v);
			free(v);
		}
		if (!b.p)
			body_add(&b, "", 0);
		*ctype = "Content-Type: application/x-www-form-urlencoded\r\n";
	}
	return b;
}

/* A small PDF-looking file (the upload module sniffs types). */
static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

static int send_body(http_conn *c, const char *method, const char *path, const char *auth,
		     const char *const kv[], bool multipart, struct http_resp *r)
{
	const char *ctype;
	struct body b = make_body(kv, multipart, &ctype);
	char headers[1024];
	snprintf(headers, sizeof(headers), "%s%s", auth, ctype);
	int rc = http_request(c, method, path, headers, b.p, b.len, r);
	free(b.p);
	return rc;
}

static int post_as(const char *path, const char *auth, const char *const kv[], bool multipart,
		   struct http_resp *r)
{
	http_conn c;
	if (http_connect(&c, srv.port) < 0)
		return -1;
	int rc = send_body(&c, "POST", path, auth, kv, multipart, r);
	http_close(&c);
	return rc;
}

/* To a submission route (RT_UPLOAD): multipart, with files. */
static int post(const char *path, const char *auth, const char *const kv[], struct http_resp *r)
{
	return post_as(path, auth, kv, true, r);
}

/* To any other route: an urlencoded form. */
static int post_form(const char *path, const char *auth, const char *const kv[],
		     struct http_resp *r)
{
	return post_as(path, auth, kv, false, r);
}

static struct http_resp get(const char *path, const char *auth, int want)
{
	struct http_resp r;
	int rc = http_fetch(srv.port, "GET", path, auth, NULL, 0, &r);
	if (rc == 0 && r.status != want)
		it_note("GET %s: %d %s", path, r.status, r.body);
	assert_response(rc, &r, want);
	return r;
}

static json_t *json_of(const struct http_resp *r)
{
	json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
	if (!j)
		it_note("not JSON: %s", r->body);
	assert_non_null(j);
	return j;
}

static long long count(const char *sql)
{
	return it_db_count(srv.db_path, sql, NULL);
}

/* Today in Vietnam time as YYMMDD. */
static void today_yymmdd(char out[7])
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 7, "%02u%02u%02u", (unsigned)tm.tm_year % 100u,
		 (unsigned)tm.tm_mon % 12u + 1u, (unsigned)tm.tm_mday % 32u);
}

/* Submits procedure 9.990001 to agency
 * through the API as the citizen with this bearer header; the code, or
 * NULL (malloc'd). */
static char *submit_ok(const char *auth, const char *agency)
{
	const char *kv[] = {"procedure",
			    "9.990001",
			    "agency",
			    agency,
			    "name",
			    "Nguyễn Văn An",
			    "id_number",
			    "037090123456",
			    "birth_date",
			    "05/09/1990",
			    "phone",
			    "0912345678",
			    "address",
			    "Số 1 đường Lê Lợi",
			    "return_method",
			    "online",
			    "doc_0",
			    pdf,
			    NULL};
	struct http_resp r;
	int rc = post("/api/v1/dossiers", auth, kv, &r);
	if (rc != 0 || r.status != 201) {
		it_note("submit: %d %s", r.status, rc == 0 ? r.body : "");
		if (rc == 0)
			http_resp_free(&r);
		return NULL;
	}
	json_t *j = json_of(&r);
	char *code = strdup(json_string_value(json_object_get(j, "code")));
	json_decref(j);
	http_resp_free(&r);
	return code;
}

/* ---- tests ---- */

static void test_procedure_page_and_form(void **state)
{
	struct http_resp r = get("/thu-tuc/9.990001", NULL, 200);
	assert_non_null(strstr(r.body, "href=\"/thu-tuc/9.990001/nop\""));
	http_resp_free(&r);
	r = get("/thu-tuc/9.990003", NULL, 200);
	assert_null(strstr(r.body, "/thu-tuc/9.990003/nop"));
	http_resp_free(&r);

	/* Nobody signed in: the form is not served. */
	struct http_resp anon;
	assert_int_equal(http_fetch(srv.port, "GET", "/thu-tuc/9.990001/nop", NULL, NULL, 0, &anon),
			 0);
	assert_true(anon.status == 401 || anon.status == 403 || anon.status == 303);
	http_resp_free(&anon);

	r = get("/thu-tuc/9.990001/nop", c1_web.headers, 200);
	assert_non_null(strstr(r.body, "Tờ khai đăng ký"));
	assert_non_null(strstr(r.body, "1 bản chính, 0 bản sao"));
	assert_non_null(strstr(r.body, "Mẫu số 01.docx"));
	assert_non_null(strstr(r.body, "name=\"doc_0\""));
	assert_non_null(strstr(r.body, "name=\"doc_1\""));
	assert_non_null(strstr(r.body, "Sở Thử nghiệm A"));
	assert_non_null(strstr(r.body, "Sở Thử nghiệm B"));
	assert_non_null(strstr(r.body, "value=\"Nguyễn Văn congdan1\"")); /* prefilled */
	assert_non_null(strstr(r.body, "value=\"0912345678\""));
	assert_non_null(strstr(r.body, "value=\"05/09/1990\""));
	assert_non_null(strstr(r.body, "Lưu nháp"));
	assert_non_null(strstr(r.body, "Nộp hồ sơ"));
	assert_non_null(strstr(r.body, "name=\"id_number\"")); /* a citizen: CCCD */
	assert_null(strstr(r.body, "name=\"tax_code\""));
	http_resp_free(&r);

	/* Officers do not apply: the role check refuses them. */
	r = get("/thu-tuc/9.990001/nop", off_a.headers, 403);
	http_resp_free(&r);
	r = get("/api/v1/dossiers", off_a.headers, 403);
	http_resp_free(&r);

	/* A procedure that is not filed online has no form. */
	r = get("/thu-tuc/9.990003/nop", c1_web.headers, 404);
	http_resp_free(&r);
}

static void test_submit_api(void **state)
{
	char day[7];
	today_yymmdd(day);
	long long before = count("SELECT COUNT(*) FROM dossier");
	char *code = submit_ok(c1_api.headers, "ag-a");
	assert_non_null(code);
	/* <identifier>-<YYMMDD>-<NNNN> */
	char want_prefix[64];
	snprintf(want_prefix, sizeof(want_prefix), "%s-%s-", IDENT_A, day);
	assert_int_equal(strncmp(code, want_prefix, strlen(want_prefix)), 0);
	const char *seq = code + strlen(want_prefix);
	assert_int_equal(strlen(seq), 4);
	for (int i = 0; i < 4; i++)
		assert_true(seq[i] >= '0' && seq[i] <= '9');
	assert_int_equal(count("SELECT COUNT(*) FROM dossier"), before + 1);

	char path[256];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	struct http_resp r = get(path, c1_api.headers, 200);
	json_t *j = json_of(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 1);
	const char *due = json_string_value(json_object_get(j, "due"));
	const char *sub = json_string_value(json_object_get(j, "submitted"));
	assert_non_null(due);
	assert_non_null(sub);
	assert_true(strcmp(due, sub) > 0); /* later than the receipt */
	assert_int_equal(json_array_size(json_object_get(j, "events")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(j, "events"), 0), "action")),
			    "submitted");
	assert_int_equal(json_array_size(json_object_get(j, "files")), 1);
	json_decref(j);
	http_resp_free(&r);

	/* The due date is the one `motcua calendar due` gives for 3 working
	 * days (9.990001) or 5 calendar days (9.990002) from the receipt. */
	char *cols[2] = {0};
	snprintf(path, sizeof(path), "SELECT submitted_at, due_at FROM dossier WHERE code = $1");
	assert_int_equal(it_db_row(srv.db_path, path, code, cols, 2), 1);
	char from[17];
	snprintf(from, sizeof(from), "%.16s", cols[0]);
	const char *argv[] = {it_bin(),		"calendar", "due",    "--from", from,
			      "--working-days", "3",	    "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	assert_int_equal(it_run(&cmd, argv, env, IT_TIMEOUT_MS), 0);
	assert_int_equal(cmd.status, 0);
	assert_int_equal(strncmp(cmd.out, cols[1], 16), 0);
	it_cmd_free(&cmd);
	free(cols[0]);
	free(cols[1]);

	/* The applicant's list, in the API and on the page. */
	r = get("/api/v1/dossiers", c1_api.headers, 200);
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	r = get("/ho-so-cua-toi", c1_web.headers, 200);
	assert_non_null(strstr(r.body, code));
	assert_non_null(strstr(r.body, "Mới"));
	http_resp_free(&r);

	/* Recorded in the audit chain, in the same write. */
	char subject[96];
	snprintf(subject, sizeof(subject), "dossier:%s", code);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT COUNT(*) FROM audit_log WHERE action = 'dossier.submit'"
			    " AND subject = $1",
			    subject),
		1);
	/* The public lookup and the receipt find it. */
	snprintf(path, sizeof(path), "/tra-cuu?ma=%s", code);
	r = get(path, NULL, 200);
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/ho-so/%s/bien-nhan.pdf", code);
	r = get(path, c1_web.headers, 200);
	assert_int_equal(memcmp(r.body, "%PDF", 4), 0);
	http_resp_free(&r);
	free(code);
}

static void test_validation_all_at_once(void **state)
{
	long long dossiers = count("SELECT COUNT(*) FROM dossier");
	long long seqs = count("SELECT COALESCE(SUM(last), 0) FROM dossier_seq");
	long long events = count("SELECT COUNT(*) FROM dossier_event");
	const char *kv[] = {"procedure",  "9.990001",	      "agency",	       "ag-x",
			    "name",	  "Trần Thị Bình",    "id_number",     "12AB",
			    "birth_date", "31/02/1990",	      "phone",	       "12345",
			    "email",	  "khong-phai-email", "return_method", "post",
			    NULL};
	struct http_resp r;
	assert_response(post("/api/v1/dossiers", c1_api.headers, kv, &r), &r, 422);
	json_t *j = json_of(&r);
	json_t *fields = json_object_get(json_object_get(j, "error"), "fields");
	const char *want[] = {"agency", "id_number", "birth_date",     "phone",
			      "email",	"address",   "return_address", "doc_0"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!json_object_get(fields, want[i]))
			it_note("missing problem for %s in %s", want[i], r.body);
		assert_non_null(json_object_get(fields, want[i]));
	}
	assert_null(json_object_get(fields, "doc_1")); /* optional: "(nếu có)" */
	assert_null(json_object_get(fields, "name"));
	json_decref(j);
	http_resp_free(&r);

	/* The same on the form page: every message beside its field. */
	const char *form[] = {"csrf",	       c1_web.csrf,  "action",	  "submit",
			      "agency",	       "ag-a",	     "name",	  "",
			      "phone",	       "0912345678", "id_number", "037090123456",
			      "birth_date",    "05/09/1990", "address",	  "Hà Nội",
			      "return_method", "bus",	     NULL};
	assert_response(post("/thu-tuc/9.990001/nop", c1_web.headers, form, &r), &r, 422);
	assert_non_null(strstr(r.body, "id=\"e-name\""));
	assert_non_null(strstr(r.body, "id=\"e-return_method\""));
	assert_non_null(strstr(r.body, "id=\"e-doc_0\""));
	assert_non_null(strstr(r.body, "Tờ khai đăng ký"));
	assert_non_null(strstr(r.body, "value=\"Hà Nội\"")); /* what was typed is kept */
	http_resp_free(&r);

	/* A value the form reader refuses (too long) comes back together with
	 * the dossier's own problems. */
	char long_name[200];
	memset(long_name, 'A', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	const char *mixed[] = {"procedure", "9.990002", "agency", "ag-a", "name", long_name, NULL};
	assert_response(post("/api/v1/dossiers", c1_api.headers, mixed, &r), &r, 422);
	j = json_of(&r);
	fields = json_object_get(json_object_get(j, "error"), "fields");
	assert_non_null(json_object_get(fields, "name"));
	assert_non_null(json_object_get(fields, "phone"));
	assert_non_null(json_object_get(fields, "address"));
	json_decref(j);
	http_resp_free(&r);

	/* A file of a type the portal refuses (a Windows program) is reported
	 * beside its slot, with the other problems. */
	{
		const char *exe[] = {
			"procedure", "9.990001",
			"agency",    "ag-a",
			"doc_0",     "MZ\x90\x03 This program cannot be run in DOS mode.",
			NULL};
		assert_response(post("/api/v1/dossiers", c1_api.headers, exe, &r), &r, 422);
		j = json_of(&r);
		fields = json_object_get(json_object_get(j, "error"), "fields");
		assert_non_null(json_object_get(fields, "doc_0"));
		assert_non_null(json_object_get(fields, "phone"));
		json_decref(j);
		http_resp_free(&r);
	}

	/* An agency that does not carry out the procedure. */
	const char *wrong[] = {"procedure", "9.990003", "agency", "ag-a", NULL};
	assert_response(post("/api/v1/dossiers", c1_api.headers, wrong, &r), &r, 404);
	http_resp_free(&r);

	/* Nothing was stored by any of them. */
	assert_int_equal(count("SELECT COUNT(*) FROM dossier"), dossiers);
	assert_int_equal(count("SELECT COALESCE(SUM(last), 0) FROM dossier_seq"), seqs);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier_event"), events);
}

static void test_business_applicant(void **state)
{
	const char *kv[] = {"procedure",
			    "9.990002",
			    "agency",
			    "ag-b",
			    "name",
			    "Công ty TNHH Thử",
			    "phone",
			    "0243123456",
			    "address",
			    "Khu công nghiệp Gián Khẩu",
			    "return_method",
			    "desk",
			    NULL};
	struct http_resp r;
	assert_response(post("/api/v1/dossiers", b1_api.headers, kv, &r), &r, 422);
	assert_non_null(strstr(r.body, "tax_code"));
	assert_null(strstr(r.body, "id_number"));
	assert_null(strstr(r.body, "birth_date"));
	http_resp_free(&r);
}

static void test_drafts_resume_elsewhere(void **state)
{
	const char *kv[] = {"csrf",
			    c1_web.csrf,
			    "action",
			    "draft",
			    "agency",
			    "ag-b",
			    "name",
			    "Nguyễn Văn An",
			    "phone",
			    "0912345678",
			    "notes",
			    "Nộp bổ sung sau",
			    "return_method",
			    "post",
			    "return_address",
			    "Số 5 Trần Hưng Đạo",
			    "doc_1",
			    pdf,
			    NULL};
	struct http_resp r;
	assert_response(post("/thu-tuc/9.990001/nop", c1_web.headers, kv, &r), &r, 303);
	const char *loc = http_resp_header(&r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/ho-so-cua-toi/nhap/", 20), 0);
	char draft_path[128], id[40];
	snprintf(draft_path, sizeof(draft_path), "%.*s", (int)(strchr(loc, '?') - loc), loc);
	snprintf(id, sizeof(id), "%.32s", draft_path + 20);
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path, "SELECT status FROM dossier WHERE id = $1", id),
			 0);

	/* Another device: a second session of the same account. */
	struct it_user other;
	assert_int_equal(it_signin(srv.db_path, citizen1, "web", &other), 0);
	r = get(draft_path, other.headers, 200);
	assert_non_null(strstr(r.body, "Nộp bổ sung sau"));
	assert_non_null(strstr(r.body, "Số 5 Trần Hưng Đạo"));
	assert_non_null(strstr(r.body, id));	      /* the hidden draft field */
	assert_non_null(strstr(r.body, "doc_1.pdf")); /* the kept file */
	http_resp_free(&r);
	r = get("/ho-so-cua-toi", other.headers, 200);
	assert_non_null(strstr(r.body, draft_path));
	http_resp_free(&r);

	/* Someone else's draft does not exist for them. */
	r = get(draft_path, c2_web.headers, 404);
	http_resp_free(&r);

	/* Finish it from the second device: the draft becomes the dossier. */
	const char *fin[] = {"csrf",
			     other.csrf,
			     "action",
			     "submit",
			     "draft_id",
			     id,
			     "agency",
			     "ag-b",
			     "name",
			     "Nguyễn Văn An",
			     "id_number",
			     "037090123456",
			     "birth_date",
			     "05/09/1990",
			     "phone",
			     "0912345678",
			     "address",
			     "Số 1 đường Lê Lợi",
			     "return_method",
			     "post",
			     "return_address",
			     "Số 5 Trần Hưng Đạo",
			     "doc_0",
			     pdf,
			     NULL};
	assert_response(post("/thu-tuc/9.990001/nop", other.headers, fin, &r), &r, 303);
	loc = http_resp_header(&r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/ho-so/" IDENT_B "-", 7 + strlen(IDENT_B) + 1), 0);
	char page[128];
	snprintf(page, sizeof(page), "%s", loc);
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path, "SELECT status FROM dossier WHERE id = $1", id),
			 1);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM dossier_file WHERE dossier_id = $1", id),
			 2);
	r = get(page, other.headers, 200);
	assert_non_null(strstr(r.body, "bien-nhan.pdf"));
	assert_non_null(strstr(r.body, "/tra-cuu?ma=" IDENT_B));
	assert_non_null(strstr(r.body, "Đã nộp hồ sơ"));
	http_resp_free(&r);
	/* Submitted drafts cannot be opened as drafts any more. */
	r = get(draft_path, other.headers, 404);
	http_resp_free(&r);
}

static void test_drafts_api(void **state)
{
	const char *kv[] = {"procedure", "9.990002", "draft",	      "1", "agency",
			    "ag-a",	 "name",     "Phạm Thị Dung", NULL};
	struct http_resp r;
	assert_response(post("/api/v1/dossiers", c2_api.headers, kv, &r), &r, 201);
	json_t *j = json_of(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 0);
	assert_null(json_object_get(j, "code"));
	char id[40];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	http_resp_free(&r);
	assert_int_equal(strlen(id), 32);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM dossier WHERE id = $1 AND status = 0"
				     " AND code IS NULL",
				     id),
			 1);

	/* Not the caller's draft, or another procedure's: not found. */
	const char *theirs[] = {"procedure", "9.990002", "draft_id", id, NULL};
	assert_response(post("/api/v1/dossiers", c1_api.headers, theirs, &r), &r, 404);
	http_resp_free(&r);
	const char *other[] = {"procedure", "9.990001", "draft_id", id, "draft", "1", NULL};
	assert_response(post("/api/v1/dossiers", c2_api.headers, other, &r), &r, 404);
	http_resp_free(&r);

	/* Update it, then submit it: the same row gets its code. Each request
	 * carries the whole form; only files are kept per slot. */
	const char *upd[] = {"procedure", "9.990002", "draft_id", id,	   "draft",
			     "1",	  "agency",   "ag-b",	  "notes", "Cập nhật từ ứng dụng",
			     NULL};
	assert_response(post("/api/v1/dossiers", c2_api.headers, upd, &r), &r, 201);
	http_resp_free(&r);
	const char *sub[] = {"procedure",
			     "9.990002",
			     "draft_id",
			     id,
			     "agency",
			     "ag-b",
			     "name",
			     "Phạm Thị Dung",
			     "id_number",
			     "037090111222",
			     "birth_date",
			     "1990-01-02",
			     "phone",
			     "0987123456",
			     "address",
			     "Xã Gia Viễn",
			     "return_method",
			     "desk",
			     "notes",
			     "Cập nhật từ ứng dụng",
			     NULL};
	assert_response(post("/api/v1/dossiers", c2_api.headers, sub, &r), &r, 201);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "id")), id);
	assert_int_equal(strncmp(json_string_value(json_object_get(j, "code")), IDENT_B "-",
				 strlen(IDENT_B) + 1),
			 0);
	json_decref(j);
	http_resp_free(&r);
	char *cols[2] = {0};
	assert_int_equal(it_db_row(srv.db_path, "SELECT notes, status FROM dossier WHERE id = $1",
				   id, cols, 2),
			 1);
	assert_string_equal(cols[0], "Cập nhật từ ứng dụng");
	assert_string_equal(cols[1], "1");
	free(cols[0]);
	free(cols[1]);
	/* Submitted once: a second submission of the same draft is refused. */
	assert_int_equal(post("/api/v1/dossiers", c2_api.headers, sub, &r), 0);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
}

/* ---- 1,000 concurrent submissions to one agency ---- */

#define CONC_THREADS 20
#define CONC_EACH    50

struct conc_arg {
	const char *auth;
	int ok, failed;
};

static void *conc_worker(void *p)
{
	struct conc_arg *a = p;
	const char *kv[] = {"procedure",
			    "9.990001",
			    "agency",
			    "ag-b",
			    "name",
			    "Lê Văn Cường",
			    "id_number",
			    "037090654321",
			    "birth_date",
			    "1990-09-05",
			    "phone",
			    "0987654321",
			    "address",
			    "Thôn Đông, xã Gia Viễn",
			    "return_method",
			    "online",
			    "doc_0",
			    pdf,
			    NULL};
	http_conn c;
	bool open = false;
	for (int i = 0; i < CONC_EACH; i++) {
		/* A new connection every ten requests: many connections overall. */
		if (!open || i % 10 == 0) {
			if (open)
				http_close(&c);
			if (http_connect(&c, srv.port) < 0) {
				a->failed++;
				open = false;
				continue;
			}
			open = true;
		}
		struct http_resp r;
		int rc = send_body(&c, "POST", "/api/v1/dossiers", a->auth, kv, true, &r);
		if (rc == 0 && r.status == 201)
			a->ok++;
		else
			a->failed++;
		if (rc == 0) {
			if (r.closed) {
				http_close(&c);
				open = false;
			}
			http_resp_free(&r);
		} else {
			http_close(&c);
			open = false;
		}
	}
	if (open)
		http_close(&c);
	return NULL;
}

static void test_concurrent_codes_gapless(void **state)
{
	char day[7];
	today_yymmdd(day);
	long long base = count("SELECT COALESCE(MAX(last), 0) FROM dossier_seq"
			       " WHERE agency_code = 'ag-b'");
	pthread_t th[CONC_THREADS];
	struct conc_arg args[CONC_THREADS];
	struct it_user users[CONC_THREADS];
	for (int i = 0; i < CONC_THREADS; i++) {
		/* Two applicants, one token per thread. */
		assert_int_equal(
			it_signin(srv.db_path, i % 2 ? citizen1 : citizen2, "api", &users[i]), 0);
		args[i] = (struct conc_arg){users[i].headers, 0, 0};
		assert_int_equal(pthread_create(&th[i], NULL, conc_worker, &args[i]), 0);
	}
	int ok = 0;
	for (int i = 0; i < CONC_THREADS; i++) {
		pthread_join(th[i], NULL);
		ok += args[i].ok;
	}
	assert_int_equal(ok, CONC_THREADS * CONC_EACH);
	long long n = CONC_THREADS * CONC_EACH;
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(DISTINCT code) FROM dossier WHERE agency_code = 'ag-b'"
		 " AND code LIKE '" IDENT_B "-%s-%%'",
		 day);
	assert_int_equal(count(sql), base + n);
	/* Distinct numbers, all within 1..base+n: no gap, no repeat. */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM dossier WHERE agency_code = 'ag-b'"
		 " AND code LIKE '" IDENT_B "-%s-%%'"
		 " AND CAST(substr(code, length(code) - 3) AS INTEGER) BETWEEN 1 AND %lld",
		 day, base + n);
	assert_int_equal(count(sql), base + n);
	assert_int_equal(count("SELECT MAX(last) FROM dossier_seq WHERE agency_code = 'ag-b'"),
			 base + n);
	char code[64];
	snprintf(code, sizeof(code), IDENT_B "-%s-%04lld", day, base + n);
	assert_int_equal(
		it_db_count(srv.db_path, "SELECT COUNT(*) FROM dossier WHERE code = $1", code), 1);
	/* One audit entry per submission, and the chain intact. */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM audit_log WHERE action = 'dossier.submit'"
		 " AND subject LIKE 'dossier:" IDENT_B "-%s-%%'",
		 day);
	assert_int_equal(count(sql), base + n);
	const char *argv[] = {it_bin(), "audit", "verify", "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	assert_int_equal(it_run(&cmd, argv, env, IT_START_MS), 0);
	if (cmd.status != 0)
		it_note("audit verify: %s %s", cmd.out, cmd.err);
	assert_int_equal(cmd.status, 0);
	it_cmd_free(&cmd);
}

/* A write that fails inside the transaction gives its number back. */
static void test_failed_write_rolls_back(void **state)
{
	char day[7];
	today_yymmdd(day);
	long long last = count("SELECT COALESCE(MAX(last), 0) FROM dossier_seq"
			       " WHERE agency_code = 'ag-a'");
	/* Occupy the next code so that the submission's UPDATE fails. */
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO dossier (id, code, procedure_code, agency_code, status, created_at,"
		 " updated_at) VALUES ('blocker', '" IDENT_A "-%s-%04lld', '9.990002', 'ag-a', 1,"
		 " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
		 day, last + 1);
	assert_int_equal(it_db_exec_retry(srv.db_path, sql), 0);
	long long dossiers = count("SELECT COUNT(*) FROM dossier");
	char *code = submit_ok(c1_api.headers, "ag-a");
	assert_null(code);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier"), dossiers);
	assert_int_equal(count("SELECT COALESCE(MAX(last), 0) FROM dossier_seq"
			       " WHERE agency_code = 'ag-a'"),
			 last);
	assert_int_equal(it_db_exec_retry(srv.db_path, "DELETE FROM dossier WHERE id = 'blocker'"),
			 0);
	code = submit_ok(c1_api.headers, "ag-a");
	assert_non_null(code);
	char want[64];
	snprintf(want, sizeof(want), IDENT_A "-%s-%04lld", day, last + 1);
	assert_string_equal(code, want);
	free(code);
}

static void test_privacy(void **state)
{
	char *code = submit_ok(c1_api.headers, "ag-a");
	assert_non_null(code);
	char path[256];
	struct http_resp r;
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	r = get(path, c2_api.headers, 404);
	http_resp_free(&r);
	r = get(path, off_b.headers, 404); /* another agency's officer */
	http_resp_free(&r);
	r = get(path, off_a.headers, 200); /* the handling agency's officer */
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/ho-so/%s", code);
	r = get(path, c2_web.headers, 404);
	http_resp_free(&r);
	r = get(path, c1_web.headers, 200);
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	r = get("/api/v1/dossiers", c2_api.headers, 200);
	assert_null(strstr(r.body, code));
	http_resp_free(&r);

	char *cols[1] = {0};
	if (it_db_row(srv.db_path,
		      "SELECT f.id FROM dossier_file f JOIN dossier d ON d.id = f.dossier_id"
		      " WHERE d.code = $1",
		      code, cols, 1) == 1) {
		snprintf(path, sizeof(path), "/ho-so/%s/tep/%s", code, cols[0]);
		r = get(path, c2_web.headers, 404);
		http_resp_free(&r);
		r = get(path, off_b.headers, 404);
		http_resp_free(&r);
		/* The applicant and the handling agency get the bytes, as an
		 * attachment. */
		const struct it_user *allowed[] = {&c1_web, &off_a};
		for (int i = 0; i < 2; i++) {
			r = get(path, allowed[i]->headers, 200);
			assert_int_equal(r.body_len, strlen(pdf));
			assert_memory_equal(r.body, pdf, strlen(pdf));
			const char *cd = http_resp_header(&r, "Content-Disposition");
			assert_non_null(cd);
			assert_non_null(strstr(cd, "attachment"));
			assert_non_null(strstr(cd, "doc_0.pdf"));
			http_resp_free(&r);
		}
		free(cols[0]);
	}
	/* A file id that is not of this dossier. */
	snprintf(path, sizeof(path), "/ho-so/%s/tep/0123456789abcdef0123456789abcdef", code);
	r = get(path, c1_web.headers, 404);
	http_resp_free(&r);
	free(code);
}

static void test_withdrawal(void **state)
{
	char *code = submit_ok(c1_api.headers, "ag-a");
	assert_non_null(code);
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/withdraw", code);
	struct http_resp r;
	const char *none[] = {"reason", "", NULL};
	const char *reason[] = {"reason", "Tôi nộp nhầm thủ tục", NULL};

	/* Without a reason: refused, nothing changes. */
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	char hdr[512];
	snprintf(hdr, sizeof(hdr), "%sContent-Type: application/x-www-form-urlencoded\r\n",
		 c1_api.headers);
	assert_response(http_request(&c, "POST", path, hdr, "reason=", 7, &r), &r, 422);
	http_resp_free(&r);
	(void)none;
	/* Someone else's dossier: not found. */
	snprintf(hdr, sizeof(hdr), "%sContent-Type: application/json\r\n", c2_api.headers);
	const char *js = "{\"reason\": \"Không cần nữa\"}";
	assert_response(http_request(&c, "POST", path, hdr, js, strlen(js), &r), &r, 404);
	http_resp_free(&r);
	/* From status 1: allowed, and recorded. */
	snprintf(hdr, sizeof(hdr), "%sContent-Type: application/json\r\n", c1_api.headers);
	assert_response(http_request(&c, "POST", path, hdr, js, strlen(js), &r), &r, 200);
	http_resp_free(&r);
	assert_int_equal(
		it_db_count(srv.db_path, "SELECT status FROM dossier WHERE code = $1", code), 7);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT COUNT(*) FROM dossier_event e JOIN dossier d ON d.id ="
			    " e.dossier_id WHERE d.code = $1 AND e.action = 'withdraw_request'"
			    " AND e.status_from = 1 AND e.status_to = 7",
			    code),
		1);
	/* Twice: refused. */
	assert_response(http_request(&c, "POST", path, hdr, js, strlen(js), &r), &r, 409);
	http_resp_free(&r);
	http_close(&c);

	/* By status: 2, 4, 5 allowed; 3, 6, 8, 9, 10 refused. */
	const int statuses[] = {2, 3, 4, 5, 6, 8, 9, 10};
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "UPDATE dossier SET status = %d WHERE code = '%s'",
			 statuses[i], code);
		assert_int_equal(it_db_exec_retry(srv.db_path, sql), 0);
		int s = statuses[i];
		bool allowed = s == 2 || s == 4 || s == 5;
		assert_response(post_form(path, c1_api.headers, reason, &r), &r,
				allowed ? 200 : 409);
		http_resp_free(&r);
	}

	/* The page: a form with CSRF. */
	char *code2 = submit_ok(c1_api.headers, "ag-b");
	assert_non_null(code2);
	snprintf(path, sizeof(path), "/ho-so/%s", code2);
	r = get(path, c1_web.headers, 200);
	assert_non_null(strstr(r.body, "/rut"));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/ho-so/%s/rut", code2);
	const char *bad_csrf[] = {"csrf", "0000", "reason", "Lý do", NULL};
	assert_int_equal(post_form(path, c1_web.headers, bad_csrf, &r), 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	const char *empty[] = {"csrf", c1_web.csrf, "reason", "  ", NULL};
	assert_response(post_form(path, c1_web.headers, empty, &r), &r, 422);
	assert_non_null(strstr(r.body, "id=\"e-reason\""));
	assert_non_null(strstr(r.body, "Vui lòng nêu lý do rút hồ sơ."));
	http_resp_free(&r);
	const char *good[] = {"csrf", c1_web.csrf, "reason", "Lý do cá nhân", NULL};
	assert_response(post_form(path, c1_web.headers, good, &r), &r, 303);
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/ho-so/%s", code2);
	r = get(path, c1_web.headers, 200);
	assert_non_null(strstr(r.body, "Công dân yêu cầu rút hồ sơ"));
	assert_non_null(strstr(r.body, "Lý do cá nhân"));
	http_resp_free(&r);
	free(code);
	free(code2);
}

/* A submission on the form that fails validation keeps the files that
 * passed the checks with a draft: the page shows them ("Đã tải lên") and
 * asks only for the wrong one; submitting the draft uses them. */
static void test_failed_form_keeps_valid_files(void **state)
{
	long long drafts = count("SELECT COUNT(*) FROM dossier WHERE status = 0");
	const char *form[] = {"csrf",
			      c1_web.csrf,
			      "action",
			      "submit",
			      "agency",
			      "ag-a",
			      "name",
			      "",
			      "phone",
			      "0912345678",
			      "id_number",
			      "037090123456",
			      "birth_date",
			      "05/09/1990",
			      "address",
			      "Số 9 Lê Lợi",
			      "return_method",
			      "online",
			      "doc_0",
			      pdf,
			      "doc_1",
			      "MZ\x90\x03 This program cannot be run in DOS mode.",
			      NULL};
	struct http_resp r;
	assert_response(post("/thu-tuc/9.990001/nop", c1_web.headers, form, &r), &r, 422);
	assert_non_null(strstr(r.body, "id=\"e-name\""));
	assert_non_null(strstr(r.body, "id=\"e-doc_1\"")); /* the wrong file */
	assert_null(strstr(r.body, "id=\"e-doc_0\""));	   /* the good one is kept */
	assert_non_null(strstr(r.body, "Đã tải lên: <strong>doc_0.pdf</strong> (1 KB)"));
	assert_null(strstr(r.body, "<strong>doc_1.pdf</strong>"));
	const char *at = strstr(r.body, "name=\"draft_id\" value=\"");
	assert_non_null(at);
	char id[40];
	snprintf(id, sizeof(id), "%.32s", at + strlen("name=\"draft_id\" value=\""));
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE status = 0"), drafts + 1);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM dossier_file WHERE dossier_id = $1"
				     " AND slot = 0 AND name = 'doc_0.pdf'",
				     id),
			 1);

	/* The citizen fixes the name and submits without choosing the file again. */
	const char *again[] = {
		"csrf",	      c1_web.csrf,  "action",	   "submit",	    "draft_id",
		id,	      "agency",	    "ag-a",	   "name",	    "Nguyễn Văn An",
		"phone",      "0912345678", "id_number",   "037090123456",  "birth_date",
		"05/09/1990", "address",    "Số 9 Lê Lợi", "return_method", "online",
		NULL};
	assert_response(post("/thu-tuc/9.990001/nop", c1_web.headers, again, &r), &r, 303);
	assert_int_equal(strncmp(http_resp_header(&r, "Location"), "/ho-so/", 7), 0);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE status = 0"), drafts);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM dossier d JOIN dossier_file f ON"
				     " f.dossier_id = d.id WHERE d.id = $1 AND d.status = 1",
				     id),
			 1);
}

/* The applicant is told of an online submission (receipt notice) in the
 * submission's write: one mail to the email, one short message to the
 * phone given on the form, each naming the code. */
static void test_submission_notice(void **state)
{
	const char *kv[] = {"procedure",
			    "9.990001",
			    "agency",
			    "ag-b",
			    "name",
			    "Phạm Thị Lan",
			    "id_number",
			    "037090123456",
			    "birth_date",
			    "05/09/1990",
			    "phone",
			    "0987654321",
			    "email",
			    "lan.nop@vidu.vn",
			    "address",
			    "Số 2 Trần Phú",
			    "return_method",
			    "online",
			    "doc_0",
			    pdf,
			    NULL};
	struct http_resp r;
	assert_response(post("/api/v1/dossiers", c1_api.headers, kv, &r), &r, 201);
	json_t *j = json_of(&r);
	char *code = strdup(json_string_value(json_object_get(j, "code")));
	json_decref(j);
	http_resp_free(&r);
	char *cols[2] = {0};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT subject, body FROM mail_outbox WHERE to_addr = $1",
				   "lan.nop@vidu.vn", cols, 2),
			 1);
	assert_non_null(strstr(cols[0], code));
	assert_non_null(strstr(cols[1], "Phạm Thị Lan"));
	assert_non_null(strstr(cols[1], "Đăng ký thử nghiệm"));
	char url[128];
	snprintf(url, sizeof(url), "/tra-cuu?ma=%s", code);
	assert_non_null(strstr(cols[1], url));
	free(cols[0]);
	free(cols[1]);
	assert_int_equal(
		count("SELECT COUNT(*) FROM mail_outbox WHERE to_addr = 'lan.nop@vidu.vn'"), 1);
	char like[96];
	snprintf(like, sizeof(like), "%%%s%%", code);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM message_outbox WHERE body LIKE $1",
				     like),
			 1);
	free(code);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_procedure_page_and_form),
		cmocka_unit_test(test_submit_api),
		cmocka_unit_test(test_validation_all_at_once),
		cmocka_unit_test(test_business_applicant),
		cmocka_unit_test(test_drafts_resume_elsewhere),
		cmocka_unit_test(test_drafts_api),
		cmocka_unit_test(test_concurrent_codes_gapless),
		cmocka_unit_test(test_failed_write_rolls_back),
		cmocka_unit_test(test_privacy),
		cmocka_unit_test(test_withdrawal),
		cmocka_unit_test(test_submission_notice),
		cmocka_unit_test(test_failed_form_keeps_valid_files),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
