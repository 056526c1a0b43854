/*
 * it_officer_pages.c - the one-stop back office pages (/can-bo...) on a real
 * motcua, on SQLite and on PostgreSQL: each officer role sees its pages and
 * nobody else does, an officer of another agency gets 404 for the dossier
 * and its actions, actions need the CSRF token, a stale version shows who
 * did what meanwhile over the fresh page, the queue's "Trang sau" links
 * give every dossier exactly once, the supplement round trip (desk asks,
 * the applicant uploads on /ho-so/{code}, the dossier is back at the
 * desk), desk entry of an in-person dossier, and form 05 as a PDF.
 *
 * Agencies ag-a and ag-b both carry out procedure 9.990001 (one required
 * document); each has a desk officer, a specialist and a leader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"
#include "signin.h"

static struct it_server srv;
static struct it_user cit_api, cit_web, desk_a, spec_a, lead_a, desk_b;
static char cit_id[40];

static const char procedures_jsonl[] =
	"{\"code\":\"9.990001\",\"name\":\"Đăng ký thử nghiệm\",\"field\":\"Thử nghiệm\","
	"\"levels\":[\"province\"],\"service_level\":\"toan-trinh\",\"methods\":[{\"channel\":"
	"\"online\",\"time_value\":\"3\",\"time_unit\":\"working_days\"}],\"documents\":[{"
	"\"name\":\"Tờ khai đăng ký\",\"originals\":1,\"copies\":0}]}\n";

static int officer(const char *login, unsigned roles, const char *agency, struct it_user *u)
{
	char id[40];
	if (it_account_create(srv.db_path, login, "officer", roles, agency, id) < 0)
		return -1;
	return it_signin(srv.db_path, id, "web", u);
}

static int group_setup(void **state)
{
	(void)state;
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
			     " ('ag-a', 'Sở Thử nghiệm A', 'department', '000.00.16.H43'),"
			     " ('ag-b', 'Sở Thử nghiệm B', 'department', '000.00.17.H43');"
			     "INSERT INTO procedure_agency (procedure_code, agency_code) VALUES"
			     " ('9.990001', 'ag-a'), ('9.990001', 'ag-b');") < 0)
		return -1;
	if (it_account_create(srv.db_path, "congdan", "citizen", 1, NULL, cit_id) < 0 ||
	    it_signin(srv.db_path, cit_id, "api", &cit_api) < 0 ||
	    it_signin(srv.db_path, cit_id, "web", &cit_web) < 0)
		return -1;
	if (officer("motcua-a", 4, "ag-a", &desk_a) < 0 ||
	    officer("chuyenvien-a", 8, "ag-a", &spec_a) < 0 ||
	    officer("lanhdao-a", 16, "ag-a", &lead_a) < 0 ||
	    officer("motcua-b", 4, "ag-b", &desk_b) < 0)
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

#define BOUNDARY "----motcuaOfficerBoundary41"

struct body {
	char *p;
	size_t len, cap;
};

static void body_add(struct body *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, tmp, (size_t)n + 1);
	b->len += (size_t)n;
}

static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/* POSTs NULL-terminated name/value pairs; multipart (names doc_* are PDF
 * files) or urlencoded. */
static int post(const char *path, const char *auth, const char *const kv[], bool multipart,
		struct http_resp *r)
{
	struct body b = {0};
	const char *ctype;
	for (int i = 0; kv[i]; i += 2) {
		if (multipart) {
			if (strncmp(kv[i], "doc_", 4) == 0)
				body_add(&b,
					 "--" BOUNDARY
					 "\r\nContent-Disposition: form-data; name=\"%s\";"
					 " filename=\"%s.pdf\"\r\nContent-Type: "
					 "application/pdf\r\n\r\n"
					 "%s\r\n",
					 kv[i], kv[i], kv[i + 1]);
			else
				body_add(&b,
					 "--" BOUNDARY "\r\nContent-Disposition: form-data;"
					 " name=\"%s\"\r\n\r\n%s\r\n",
					 kv[i], kv[i + 1]);
		} else {
			char *v = it_urlencode(kv[i + 1]);
			body_add(&b, "%s%s=%s", b.len ? "&" : "", kv[i], v);
			free(v);
		}
	}
	if (multipart) {
		body_add(&b, "--" BOUNDARY "--\r\n");
		ctype = "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n";
	} else {
		if (!b.p)
			body_add(&b, "%s", "");
		ctype = "Content-Type: application/x-www-form-urlencoded\r\n";
	}
	char headers[1024];
	snprintf(headers, sizeof(headers), "%s%s", auth, ctype);
	int rc = http_fetch(srv.port, "POST", path, headers, b.p, b.len, r);
	free(b.p);
	return rc;
}

static struct http_resp get(const char *path, const char *auth, int want)
{
	struct http_resp r;
	int rc = http_fetch(srv.port, "GET", path, auth, NULL, 0, &r);
	if (rc == 0 && r.status != want)
		it_note("GET %s: %d %.2000s", path, r.status, r.body);
	assert_response(rc, &r, want);
	return r;
}

/* A new dossier of the citizen at agency (through the API): its code
 * (malloc'd). */
static char *submit(const char *agency, const char *name)
{
	const char *kv[] = {
		"procedure", "9.990001",     "agency",	      agency,	    "name",  name,
		"id_number", "037090123456", "birth_date",    "05/09/1990", "phone", "0912345678",
		"address",   "Số 1 Lê Lợi",  "return_method", "online",	    "doc_0", pdf,
		NULL};
	struct http_resp r;
	int rc = post("/api/v1/dossiers", cit_api.headers, kv, true, &r);
	if (rc == 0 && r.status != 201)
		it_note("submit: %d %s", r.status, r.body);
	assert_response(rc, &r, 201);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	char *code = strdup(json_string_value(json_object_get(j, "code")));
	json_decref(j);
	http_resp_free(&r);
	return code;
}

/* The value of the first hidden input name="name" after the form whose
 * action input has this value (or anywhere, when action is NULL). */
static long long version_on(const char *html, const char *action)
{
	const char *p = html;
	if (action) {
		char needle[96];
		snprintf(needle, sizeof(needle), "name=\"action\" value=\"%s\"", action);
		const char *at = strstr(html, needle);
		if (!at)
			return -1;
		/* the version input comes just before the action input */
		const char *v = NULL;
		for (const char *s = strstr(html, "name=\"version\" value=\""); s && s < at;
		     s = strstr(s + 1, "name=\"version\" value=\""))
			v = s;
		p = v;
	} else {
		p = strstr(html, "name=\"version\" value=\"");
	}
	if (!p)
		return -1;
	return strtoll(p + strlen("name=\"version\" value=\""), NULL, 10);
}

static char *dossier_path(const char *code, const char *tail)
{
	static char path[256];
	snprintf(path, sizeof(path), "/can-bo/ho-so/%s%s", code, tail);
	return path;
}

/* Takes action on code as u with the version now shown to u; returns the
 * response status, and the response in *out when not NULL. */
static int act(const struct it_user *u, const char *code, const char *action,
	       const char *const extra[], struct http_resp *out)
{
	struct http_resp page = get(dossier_path(code, ""), u->headers, 200);
	long long v = version_on(page.body, action);
	if (v < 0)
		it_note("no %s form on %s for this officer", action, code);
	assert_true(v >= 0);
	http_resp_free(&page);
	char vs[32];
	snprintf(vs, sizeof(vs), "%lld", v);
	const char *kv[16] = {"csrf", u->csrf, "action", action, "version", vs};
	int k = 6;
	for (int i = 0; extra && extra[i] && k < 14; i++)
		kv[k++] = extra[i];
	kv[k] = NULL;
	struct http_resp r;
	assert_int_equal(post(dossier_path(code, "/xu-ly"), u->headers, kv, false, &r), 0);
	int status = r.status;
	if (status != 303)
		it_note("%s on %s: %d %.1500s", action, code, r.status, r.body);
	if (out)
		*out = r;
	else
		http_resp_free(&r);
	return status;
}

/* ---- tests ---- */

static void test_pages_per_role(void **state)
{
	(void)state;
	const struct it_user *officers[] = {&desk_a, &spec_a, &lead_a};
	for (size_t i = 0; i < 3; i++) {
		struct http_resp r = get("/can-bo", officers[i]->headers, 200);
		assert_non_null(strstr(r.body, "Chờ tiếp nhận"));
		assert_non_null(strstr(r.body, "Chờ phê duyệt"));
		assert_non_null(strstr(r.body, "Quá hạn"));
		assert_non_null(strstr(r.body, "Sở Thử nghiệm A"));
		/* the header links the back office; the desk alone enters dossiers */
		assert_non_null(strstr(r.body, "href=\"/can-bo\""));
		assert_int_equal(strstr(r.body, "href=\"/can-bo/tiep-nhan\"") != NULL, i == 0);
		http_resp_free(&r);
		r = get("/can-bo/ho-so?hang=processing", officers[i]->headers, 200);
		assert_non_null(strstr(r.body, "aria-current=\"page\""));
		http_resp_free(&r);
	}
	/* only the desk enters in-person dossiers */
	struct http_resp r = get("/can-bo/tiep-nhan", desk_a.headers, 200);
	assert_non_null(strstr(r.body, "/can-bo/tiep-nhan?thu-tuc=9.990001"));
	http_resp_free(&r);
	r = get("/can-bo/tiep-nhan", spec_a.headers, 403);
	http_resp_free(&r);
	/* a citizen is refused; nobody signed in is sent to sign in */
	r = get("/can-bo", cit_web.headers, 403);
	http_resp_free(&r);
	r = get("/can-bo", NULL, 303);
	assert_non_null(strstr(http_resp_header(&r, "Location"), "/dang-nhap"));
	http_resp_free(&r);
	/* a queue that does not exist */
	r = get("/can-bo/ho-so?hang=everything", desk_a.headers, 400);
	http_resp_free(&r);
}

static void test_scoping_and_csrf(void **state)
{
	(void)state;
	char *code = submit("ag-a", "Trần Thị Phạm Vi");
	struct http_resp r = get(dossier_path(code, ""), desk_a.headers, 200);
	assert_non_null(strstr(r.body, "Trần Thị Phạm Vi"));
	assert_non_null(strstr(r.body, "037090123456")); /* full data for its agency */
	assert_non_null(strstr(r.body, "name=\"action\" value=\"receive\""));
	long long v = version_on(r.body, "receive");
	http_resp_free(&r);
	assert_true(v >= 0);
	/* the other agency's desk sees nothing and can do nothing */
	r = get(dossier_path(code, ""), desk_b.headers, 404);
	assert_null(strstr(r.body, "Trần Thị Phạm Vi"));
	http_resp_free(&r);
	char vs[32];
	snprintf(vs, sizeof(vs), "%lld", v);
	const char *kv_b[] = {"csrf", desk_b.csrf, "action", "receive", "version", vs, NULL};
	assert_int_equal(post(dossier_path(code, "/xu-ly"), desk_b.headers, kv_b, false, &r), 0);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	r = get(dossier_path(code, "/mau/5.pdf"), desk_b.headers, 404);
	http_resp_free(&r);
	/* its queue does not list it either */
	r = get("/can-bo/ho-so?hang=new", desk_b.headers, 200);
	assert_null(strstr(r.body, code));
	http_resp_free(&r);
	r = get("/can-bo/ho-so?hang=new", desk_a.headers, 200);
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	/* without the CSRF token nothing happens */
	const char *kv_nocsrf[] = {"action", "receive", "version", vs, NULL};
	assert_int_equal(post(dossier_path(code, "/xu-ly"), desk_a.headers, kv_nocsrf, false, &r),
			 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	const char *kv_bad[] = {"csrf", desk_b.csrf, "action", "receive", "version", vs, NULL};
	assert_int_equal(post(dossier_path(code, "/xu-ly"), desk_a.headers, kv_bad, false, &r), 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	r = get(dossier_path(code, ""), desk_a.headers, 200);
	assert_int_equal(version_on(r.body, "receive"), v); /* unchanged */
	http_resp_free(&r);
	free(code);
}

static void test_stale_version_shows_conflict(void **state)
{
	(void)state;
	char *code = submit("ag-a", "Lê Văn Xung Đột");
	struct http_resp r = get(dossier_path(code, ""), desk_a.headers, 200);
	long long seen = version_on(r.body, "receive");
	http_resp_free(&r);
	/* someone receives it first */
	assert_int_equal(act(&desk_a, code, "receive", NULL, NULL), 303);
	/* the form the officer still had open carries the old version */
	char vs[32];
	snprintf(vs, sizeof(vs), "%lld", seen);
	const char *kv[] = {"csrf",  desk_a.csrf,    "action", "request_supplement", "version", vs,
			    "items", "Bản sao CCCD", NULL};
	assert_int_equal(post(dossier_path(code, "/xu-ly"), desk_a.headers, kv, false, &r), 0);
	if (r.status != 409)
		it_note("stale: %d %.1500s", r.status, r.body);
	assert_int_equal(r.status, 409);
	/* who did what, when; and the fresh page under it */
	assert_non_null(strstr(r.body, "Hồ sơ đã được tiếp nhận bởi Nguyễn Văn motcua-a lúc"));
	assert_non_null(strstr(r.body, "role=\"alert\""));
	assert_non_null(strstr(r.body, code));
	assert_null(strstr(r.body, "name=\"action\" value=\"receive\""));
	http_resp_free(&r);
	/* an action the table does not have now says why, and changes nothing */
	const char *kv2[] = {"csrf", desk_a.csrf, "action", "approve", "version", vs, NULL};
	r = get(dossier_path(code, ""), desk_a.headers, 200);
	char fresh[32];
	snprintf(fresh, sizeof(fresh), "%lld", version_on(r.body, NULL));
	http_resp_free(&r);
	kv2[5] = fresh;
	assert_int_equal(post(dossier_path(code, "/xu-ly"), desk_a.headers, kv2, false, &r), 0);
	assert_true(r.status == 422 || r.status == 403);
	assert_non_null(strstr(r.body, "class=\"errors\""));
	http_resp_free(&r);
	free(code);
}

/* Follows "Trang sau" from first until the last page, counting each code
 * of want[] seen; returns how many rows were seen in all. */
static int walk(const char *first, const struct it_user *u, char **want, int nwant, int *seen)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s", first);
	int rows = 0;
	for (int pages = 0; pages < 50; pages++) {
		struct http_resp r = get(path, u->headers, 200);
		for (const char *p = strstr(r.body, "<tr><th scope=\"row\">"); p;
		     p = strstr(p + 1, "<tr><th scope=\"row\">")) {
			rows++;
			for (int i = 0; i < nwant; i++) {
				char needle[128];
				snprintf(needle, sizeof(needle), "\"/can-bo/ho-so/%s\"", want[i]);
				const char *end = strstr(p, "</tr>");
				const char *hit = strstr(p, needle);
				if (hit && end && hit < end)
					seen[i]++;
			}
		}
		const char *next = strstr(r.body, "rel=\"next\"");
		const char *href = NULL;
		if (next) { /* <a href="..." rel="next"> */
			for (const char *s = next; s > r.body; s--)
				if (strncmp(s, "href=\"", 6) == 0) {
					href = s + 6;
					break;
				}
		}
		if (!href) {
			http_resp_free(&r);
			return rows;
		}
		const char *q = strchr(href, '"');
		size_t n = 0;
		for (const char *s = href; s < q && n + 1 < sizeof(path); s++) {
			if (strncmp(s, "&amp;", 5) == 0) {
				path[n++] = '&';
				s += 4;
			} else {
				path[n++] = *s;
			}
		}
		path[n] = '\0';
		http_resp_free(&r);
	}
	fail_msg("more than 50 pages");
	return rows;
}

static void test_queue_pages_give_each_once(void **state)
{
	(void)state;
	enum { N = 47 };
	char *codes[N];
	for (int i = 0; i < N; i++)
		codes[i] = submit("ag-a", i % 2 ? "Phạm Thị Trang" : "Hoàng Văn Trang");
	/* "new" in pages of 20: every dossier exactly once */
	int seen[N] = {0};
	int rows = walk("/can-bo/ho-so?hang=new", &desk_a, codes, N, seen);
	for (int i = 0; i < N; i++) {
		if (seen[i] != 1)
			it_note("%s seen %d times", codes[i], seen[i]);
		assert_int_equal(seen[i], 1);
	}
	assert_true(rows >= N);
	/* a search without diacritics, across every queue ("all") */
	int seen2[N] = {0};
	rows = walk("/can-bo/ho-so?q=pham+thi+trang", &desk_a, codes, N, seen2);
	for (int i = 0; i < N; i++)
		assert_int_equal(seen2[i], i % 2 ? 1 : 0);
	assert_int_equal(rows, N / 2);
	/* a forged cursor is refused, not guessed at */
	struct http_resp r = get("/can-bo/ho-so?hang=all&sau=9~x", desk_a.headers, 400);
	http_resp_free(&r);
	for (int i = 0; i < N; i++)
		free(codes[i]);
}

static void test_supplement_round_trip(void **state)
{
	(void)state;
	char *code = submit("ag-a", "Đỗ Thị Bổ Sung");
	const char *items[] = {"items", "Bản sao giấy khai sinh\nẢnh 4x6", NULL};
	assert_int_equal(act(&desk_a, code, "request_supplement", items, NULL), 303);
	char path[128];
	snprintf(path, sizeof(path), "/ho-so/%s", code);
	struct http_resp r = get(path, cit_web.headers, 200);
	assert_non_null(strstr(r.body, "Bản sao giấy khai sinh\nẢnh 4x6"));
	assert_non_null(strstr(r.body, "action=\"/ho-so/"));
	assert_non_null(strstr(r.body, "name=\"doc_0\""));
	long long v = version_on(r.body, NULL);
	http_resp_free(&r);
	assert_true(v >= 0);
	/* the other agency's officer cannot supplement for the applicant */
	char vs[32];
	snprintf(vs, sizeof(vs), "%lld", v);
	char sp[160];
	snprintf(sp, sizeof(sp), "/ho-so/%s/bo-sung", code);
	const char *kv[] = {"csrf",	      cit_web.csrf, "version", vs,  "notes",
			    "Em gửi bổ sung", "doc_0",	    pdf,       NULL};
	r = (struct http_resp){0};
	assert_int_equal(post(sp, desk_b.headers, kv, true, &r), 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	/* nothing attached: said so, nothing changes */
	const char *kv0[] = {"csrf", cit_web.csrf, "version", vs, NULL};
	assert_int_equal(post(sp, cit_web.headers, kv0, true, &r), 0);
	assert_int_equal(r.status, 422);
	http_resp_free(&r);
	assert_int_equal(post(sp, cit_web.headers, kv, true, &r), 0);
	if (r.status != 303)
		it_note("supplement: %d %s", r.status, r.body);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	r = get(path, cit_web.headers, 200);
	assert_null(strstr(r.body, "/bo-sung\""));
	http_resp_free(&r);
	/* back at the desk, which can receive it now */
	r = get(dossier_path(code, ""), desk_a.headers, 200);
	assert_non_null(strstr(r.body, "name=\"action\" value=\"receive\""));
	http_resp_free(&r);
	assert_int_equal(act(&desk_a, code, "receive", NULL, NULL), 303);
	free(code);
}

static long long account_id_of(const char *login, char out[40])
{
	char *col = NULL;
	int got = it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1", login, &col, 1);
	assert_int_equal(got, 1);
	snprintf(out, 40, "%s", col);
	free(col);
	return 0;
}

static void test_whole_path_and_form05(void **state)
{
	(void)state;
	char *code = submit("ag-a", "Vũ Văn Trọn Vẹn");
	assert_int_equal(act(&desk_a, code, "receive", NULL, NULL), 303);
	char spec[40];
	account_id_of("chuyenvien-a", spec);
	struct http_resp r = get(dossier_path(code, ""), lead_a.headers, 200);
	assert_non_null(strstr(r.body, "Nguyễn Văn chuyenvien-a")); /* in the select */
	http_resp_free(&r);
	const char *assign[] = {"assignee", spec, NULL};
	assert_int_equal(act(&lead_a, code, "assign", assign, NULL), 303);
	/* the flash-style confirmation after the redirect */
	r = get(dossier_path(code, "?xong=assign"), lead_a.headers, 200);
	assert_non_null(strstr(r.body, "Đã ghi nhận: Phân công chuyên viên."));
	http_resp_free(&r);
	assert_int_equal(act(&spec_a, code, "submit_approval", NULL, NULL), 303);
	assert_int_equal(act(&lead_a, code, "approve", NULL, NULL), 303);
	r = get("/can-bo/ho-so?hang=return", desk_a.headers, 200);
	assert_non_null(strstr(r.body, code));
	http_resp_free(&r);
	assert_int_equal(act(&desk_a, code, "return_result", NULL, NULL), 303);
	/* the process control slip lists each holder */
	r = get(dossier_path(code, ""), desk_a.headers, 200);
	assert_non_null(strstr(r.body, "Đã trả kết quả"));
	assert_true(it_count(r.body, "<td>Đúng hạn</td>") + it_count(r.body, "Trễ hạn") >= 4);
	assert_non_null(strstr(r.body, "/mau/5.pdf"));
	http_resp_free(&r);
#if __has_include("../../src/domain/forms.c")
	r = get(dossier_path(code, "/mau/5.pdf"), desk_a.headers, 200);
	assert_memory_equal(r.body, "%PDF-", 5);
#else
	r = get(dossier_path(code, "/mau/5.pdf"), desk_a.headers, 503);
#endif
	http_resp_free(&r);
	r = get(dossier_path(code, "/mau/7.pdf"), desk_a.headers, 404);
	http_resp_free(&r);
	free(code);
}

static void test_desk_entry(void **state)
{
	(void)state;
	struct http_resp r = get("/can-bo/tiep-nhan?thu-tuc=9.990001", desk_a.headers, 200);
	assert_non_null(strstr(r.body, "action=\"/can-bo/tiep-nhan\""));
	assert_null(strstr(r.body, "value=\"draft\""));
	http_resp_free(&r);
	/* a problem is shown on the form, nothing stored */
	long long before = it_db_count(srv.db_path, "SELECT count(*) FROM dossier", NULL);
	const char *bad[] = {"csrf",	     desk_a.csrf, "procedure", "9.990001", "name",
			     "Mai Văn Quầy", "id_number", "0370",      "phone",	   "0912345678",
			     "address",	     "Thôn Đông", "doc_0",     pdf,	   NULL};
	assert_int_equal(post("/can-bo/tiep-nhan", desk_a.headers, bad, true, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "id=\"e-id_number\""));
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path, "SELECT count(*) FROM dossier", NULL), before);
	const char *kv[] = {
		"csrf",	     desk_a.csrf,    "procedure",     "9.990001",   "name",  "Mai Văn Quầy",
		"id_number", "037090654321", "birth_date",    "01/02/1990", "phone", "0912345678",
		"address",   "Thôn Đông",    "return_method", "desk",	    "doc_0", pdf,
		NULL};
	assert_int_equal(post("/can-bo/tiep-nhan", desk_a.headers, kv, true, &r), 0);
	if (r.status != 303)
		it_note("desk entry: %d %.2000s", r.status, r.body);
	assert_int_equal(r.status, 303);
	const char *loc = http_resp_header(&r, "Location");
	assert_non_null(strstr(loc, "/can-bo/ho-so/000.00.16.H43-"));
	char path[256];
	snprintf(path, sizeof(path), "%s", loc);
	http_resp_free(&r);
	r = get(path, desk_a.headers, 200);
	assert_non_null(strstr(r.body, "Trực tiếp"));
	assert_non_null(strstr(r.body, "Mai Văn Quầy"));
	assert_non_null(strstr(r.body, "/bien-nhan.pdf"));
	assert_non_null(strstr(r.body, "Đã ghi nhận: Tiếp nhận."));
	http_resp_free(&r);
	/* another agency's procedure cannot be entered here */
	r = get("/can-bo/tiep-nhan?thu-tuc=9.999999", desk_a.headers, 404);
	http_resp_free(&r);
}

/* "YYYY-MM-DD HH:MM:SS" in Vietnam time, days and seconds from now. */
static void vn_stamp(char out[32], int days, long seconds)
{
	time_t t = time(NULL) + 7 * 3600 + (time_t)days * 86400 + seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Whether the queue row of code on html carries the "sắp đến hạn" tag. */
static bool row_due_soon(const char *html, const char *code)
{
	char needle[96];
	snprintf(needle, sizeof(needle), ">%s</a>", code);
	const char *row = strstr(html, needle);
	assert_non_null(row);
	const char *end = strstr(row, "</tr>");
	const char *tag = strstr(row, "class=\"tag soon\"");
	assert_non_null(end);
	return tag && tag < end;
}

/* The "sắp đến hạn" mark counts working days, like the due_soon queue: with
 * the next five days off and the two after them working, a dossier due in
 * almost seven calendar days is due within two working days. */
static void test_due_soon_counts_working_days(void **state)
{
	(void)state;
	char *soon = submit("ag-b", "Đỗ Văn Hạn"), *later = submit("ag-b", "Vũ Thị Muộn");
	char sql[2048], d[8][32], due_soon[32], due_later[32];
	for (int i = 1; i <= 7; i++)
		vn_stamp(d[i], i, 0);
	vn_stamp(due_soon, 7, -3600);
	vn_stamp(due_later, 9, 0);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM calendar_day WHERE date >= '%.10s' AND date <= '%.10s';"
		 "INSERT INTO calendar_day (date, working, name) VALUES ('%.10s', 0, 'Nghỉ'),"
		 " ('%.10s', 0, 'Nghỉ'), ('%.10s', 0, 'Nghỉ'), ('%.10s', 0, 'Nghỉ'),"
		 " ('%.10s', 0, 'Nghỉ'), ('%.10s', 1, 'Làm bù'), ('%.10s', 1, 'Làm bù');"
		 "UPDATE dossier SET status = 4, stage = 'assigned', due_at = '%s' WHERE code = "
		 "'%s';"
		 "UPDATE dossier SET status = 4, stage = 'assigned', due_at = '%s' WHERE code = "
		 "'%s';",
		 d[1], d[7], d[1], d[2], d[3], d[4], d[5], d[6], d[7], due_soon, soon, due_later,
		 later);
	assert_int_equal(it_db_exec_retry(srv.db_path, sql), 0);
	struct http_resp r = get("/can-bo/ho-so?hang=all", desk_b.headers, 200);
	assert_true(row_due_soon(r.body, soon));
	assert_false(row_due_soon(r.body, later));
	http_resp_free(&r);
	/* The queue counts the same dossier, and its own page shows the mark. */
	r = get("/can-bo/ho-so?hang=due_soon", desk_b.headers, 200);
	assert_true(row_due_soon(r.body, soon));
	assert_null(strstr(r.body, later));
	http_resp_free(&r);
	r = get(dossier_path(soon, ""), desk_b.headers, 200);
	assert_non_null(strstr(r.body, "class=\"tag soon\""));
	http_resp_free(&r);
	r = get(dossier_path(later, ""), desk_b.headers, 200);
	assert_null(strstr(r.body, "class=\"tag soon\""));
	http_resp_free(&r);
	free(soon);
	free(later);
}

/* The admin page's edit form (perm.officer_update): a specialist moved to
 * another agency, signed out, their assigned dossier back at the unit. */
static void test_admin_moves_officer(void **state)
{
	(void)state;
	char admin_id[40], spec_id[40], path[128], sql[512];
	struct it_user admin, moved;
	assert_int_equal(it_account_create(srv.db_path, "quantri", "officer", 64, NULL, admin_id),
			 0);
	assert_int_equal(it_signin(srv.db_path, admin_id, "web", &admin), 0);
	assert_int_equal(
		it_account_create(srv.db_path, "chuyenvien-m", "officer", 8, "ag-a", spec_id), 0);
	assert_int_equal(it_signin(srv.db_path, spec_id, "web", &moved), 0);
	char *code = submit("ag-a", "Phan Văn Chuyển");
	snprintf(sql, sizeof(sql),
		 "UPDATE dossier SET status = 4, stage = 'assigned', assignee_id = '%s'"
		 " WHERE code = '%s'",
		 spec_id, code);
	assert_int_equal(it_db_exec_retry(srv.db_path, sql), 0);
	snprintf(path, sizeof(path), "/quan-tri/tai-khoan/%s/sua", spec_id);
	struct http_resp r = get("/quan-tri/tai-khoan", admin.headers, 200);
	assert_non_null(strstr(r.body, path));
	http_resp_free(&r);
	/* An unknown agency: shown, nothing changed. */
	const char *bad[] = {"csrf", admin.csrf, "role_specialist", "1", "agency", "ag-x", NULL};
	assert_int_equal(post(path, admin.headers, bad, false, &r), 0);
	assert_int_equal(r.status, 422);
	http_resp_free(&r);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT count(*) FROM account WHERE id = $1 AND agency_code = 'ag-a'",
			    spec_id),
		1);
	/* No CSRF token: refused. */
	const char *nocsrf[] = {"role_specialist", "1", "agency", "ag-b", NULL};
	assert_int_equal(post(path, admin.headers, nocsrf, false, &r), 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	const char *kv[] = {"csrf",   admin.csrf,    "role_specialist",
			    "1",      "role_leader", "1",
			    "agency", "ag-b",	     NULL};
	assert_int_equal(post(path, admin.headers, kv, false, &r), 0);
	if (r.status != 303)
		it_note("update: %d %.1500s", r.status, r.body);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT count(*) FROM account WHERE id = $1 AND agency_code = 'ag-b'"
			    " AND roles = 24",
			    spec_id),
		1);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT count(*) FROM session WHERE account_id = $1", spec_id),
			 0);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT count(*) FROM dossier WHERE code = $1 AND stage = 'received'"
			    " AND assignee_id IS NULL",
			    code),
		1);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT count(*) FROM audit_log WHERE action = 'perm.officer_update'"
			    " AND actor = $1",
			    admin_id),
		1);
	/* The old session no longer opens the back office. */
	r = get("/can-bo", moved.headers, 303);
	assert_non_null(strstr(http_resp_header(&r, "Location"), "/dang-nhap"));
	http_resp_free(&r);
	/* Nobody changes their own rights. */
	snprintf(path, sizeof(path), "/quan-tri/tai-khoan/%s/sua", admin_id);
	const char *self[] = {"csrf", admin.csrf, "role_desk", "1", NULL};
	assert_int_equal(post(path, admin.headers, self, false, &r), 0);
	assert_int_equal(r.status, 409);
	http_resp_free(&r);
	free(code);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_per_role),
		cmocka_unit_test(test_scoping_and_csrf),
		cmocka_unit_test(test_stale_version_shows_conflict),
		cmocka_unit_test(test_queue_pages_give_each_once),
		cmocka_unit_test(test_supplement_round_trip),
		cmocka_unit_test(test_whole_path_and_form05),
		cmocka_unit_test(test_desk_entry),
		cmocka_unit_test(test_due_soon_counts_working_days),
		cmocka_unit_test(test_admin_moves_officer),
	};
	return cmocka_run_group_tests_name("it_officer_pages", tests, group_setup, group_teardown);
}
