/*
 * it_lookup.c - the public dossier lookup (GET /tra-cuu, GET
 * /api/v1/dossiers/{code}/status) and the receipt download (GET
 * /ho-so/{code}/bien-nhan.pdf) on a real motcua, on SQLite and PostgreSQL.
 * Agencies, a procedure, accounts with sessions, dossiers and their events
 * are inserted straight into the database; the tests then check what the
 * public sees (masked name, status in words, no officer names), that drafts
 * and unknown codes are the same 404, malformed codes a 400, the budget of
 * lookups per address (429 with Retry-After), and who may download the
 * receipt (the applicant and the handling agency's officers; everyone else
 * a 404).
 */
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

static struct it_server srv;

#define CODE1	   "000.00.16.H43-261128-0001" /* processing, owner citizen 1 */
#define CODE2	   "000.00.16.H43-261128-0002" /* a draft that somehow has a code */
#define CODE3	   "000.00.16.H43-261128-0003" /* new, no due date yet, owner citizen 2 */
#define CODE4	   "000.00.16.H43-261128-0004" /* received on paper, no event recorded */
#define CODE9	   "000.00.16.H43-261128-0009" /* no such dossier */
#define PUBLIC_URL "https://dichvucong.example.vn"

/* Web sessions of the accounts below (signin.h). */
static struct it_user owner, other, officer, outside;

/* Every request of the ordinary tests comes "through nginx" from this
 * address, so the throttle test's addresses start with a full budget. */
#define FROM(ip) "X-Real-IP: " ip "\r\n"

static const char *const setup_sql[] = {
	"INSERT INTO agency (code, name, level, identifier) VALUES"
	" ('ubnd-hoalu', 'Ủy ban nhân dân phường Hoa Lư', 'commune', '000.00.16.H43'),"
	" ('ubnd-tamdiep', 'Ủy ban nhân dân phường Tam Điệp', 'commune', '000.00.17.H43')",
	"INSERT INTO procedure (code, name, record) VALUES ('1.001193', 'Đăng ký khai sinh',"
	" '{\"code\":\"1.001193\",\"name\":\"Đăng ký khai sinh\",\"field\":\"Hộ tịch\","
	"\"levels\":[\"commune\"],\"documents\":["
	"{\"name\":\"Tờ khai đăng ký khai sinh\",\"originals\":1,\"copies\":0},"
	"{\"name\":\"Giấy chứng sinh\",\"originals\":1,\"copies\":0}]}')",
	"INSERT INTO account (id, login, kind, roles, agency_code, full_name, password_hash,"
	" created_at) VALUES"
	" ('acc-owner', 'owner', 'citizen', 1, NULL, 'Nguyễn Văn An', 'x', '2026-01-01 00:00:00'),"
	" ('acc-other', 'other', 'citizen', 1, NULL, 'Trần Thị Hường', 'x', '2026-01-01 00:00:00'),"
	" ('acc-officer', 'officer', 'officer', 4, 'ubnd-hoalu', 'Đặng Quốc Việt', 'x',"
	" '2026-01-01 00:00:00'),"
	" ('acc-outside', 'outside', 'officer', 4, 'ubnd-tamdiep', 'Lê Văn Tám', 'x',"
	" '2026-01-01 00:00:00')",
	"INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status, channel,"
	" applicant, return_method, return_address, created_at, updated_at, submitted_at, due_at)"
	" VALUES"
	" ('d1', '" CODE1 "', '1.001193', 'ubnd-hoalu', 'acc-owner', 4, 2,"
	" '{\"name\":\"Nguyễn Văn An\",\"id_number\":\"037090001234\",\"birth_date\":"
	"\"1990-05-01\",\"phone\":\"0912345678\",\"email\":\"an@example.vn\",\"address\":"
	"\"Số 5 phố Lương Văn Thăng, phường Hoa Lư\"}',"
	" 'post', 'Thôn Yên Trạch, xã Gia Viễn', '2026-11-28 09:00:00', '2026-11-28 10:00:00',"
	" '2026-11-28 09:15:02', '2026-12-02 16:30:00'),"
	" ('d2', '" CODE2 "', '1.001193', 'ubnd-hoalu', 'acc-owner', 0, 2, '{\"name\":\"Nguyễn Văn"
	" An\"}', 'online', '', '2026-11-28 09:00:00', '2026-11-28 09:00:00', NULL, NULL),"
	" ('d3', '" CODE3 "', '1.001193', 'ubnd-hoalu', 'acc-other', 1, 2,"
	" '{\"name\":\"  Hường \"}', 'online', '', '2026-11-28 11:00:00', '2026-11-28 11:00:00',"
	" '2026-11-28 11:00:00', NULL),"
	" ('d4', '" CODE4 "', '1.001193', 'ubnd-hoalu', NULL, 2, 1, '{\"name\":\"Lê Thị Bình\"}',"
	" 'desk', '', '2026-11-28 12:00:00', '2026-11-28 12:00:00', '2026-11-28 12:00:00',"
	" '2026-12-03 16:30:00')",
	"INSERT INTO dossier_event (dossier_id, n, at, account_id, action, status_from, status_to,"
	" note) VALUES"
	" ('d1', 1, '2026-11-28 09:15:02', 'acc-owner', 'submitted', 0, 1, ''),"
	" ('d1', 2, '2026-11-28 10:00:00', 'acc-officer', 'received', 1, 2, 'Đặng Quốc Việt nhận'),"
	" ('d1', 3, '2026-11-29 08:00:00', 'acc-officer', 'assigned', 2, 4, ''),"
	" ('d3', 1, '2026-11-28 11:00:00', 'acc-other', 'submitted', 0, 1, '')",
	"INSERT INTO blob (hash, size, mime, created_at) VALUES"
	" ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 10,"
	" 'application/pdf', '2026-11-28 09:10:00')",
	"INSERT INTO dossier_file (id, dossier_id, slot, name, blob_hash, size, mime, uploaded_at)"
	" VALUES ('f1', 'd1', 0, 'to-khai.pdf',"
	" 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 10,"
	" 'application/pdf', '2026-11-28 09:10:00')",
	NULL,
};

static int group_setup(void **state)
{
	struct it_server_opts o = {.conf = "public_url = " PUBLIC_URL "\n", .sql = setup_sql};
	const char *t = srv.db_path;
	if (it_server_start(&srv, &o) != 0 || it_signin(t, "acc-owner", "web", &owner) < 0 ||
	    it_signin(t, "acc-other", "web", &other) < 0 ||
	    it_signin(t, "acc-officer", "web", &officer) < 0 ||
	    it_signin(t, "acc-outside", "web", &outside) < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	return it_server_finish(&srv);
}

/* ---- helpers ---- */

static struct http_resp get(const char *path, const char *headers, int want)
{
	struct http_resp r;
	int rc = http_fetch(srv.port, "GET", path, headers, NULL, 0, &r);
	assert_int_equal(rc, 0);
	if (r.status != want)
		fail_msg("GET %s: status %d, wanted %d; body: %.400s", path, r.status, want,
			 r.body);
	return r;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in: %.3000s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("'%s' should not be in: %.3000s", needle, hay);
}

static json_t *json_of(const struct http_resp *r)
{
	json_error_t je;
	json_t *j = json_loadb(r->body, r->body_len, 0, &je);
	if (!j)
		fail_msg("not JSON (%s): %.300s", je.text, r->body);
	return j;
}

/* ---- the page ---- */

static void test_form_without_code(void **state)
{
	struct http_resp r = get("/tra-cuu", FROM("10.0.0.1"), 200);
	assert_contains(r.body, "<h1>Tra cứu hồ sơ</h1>");
	assert_contains(r.body, "name=\"ma\"");
	assert_lacks(r.body, "aria-invalid");
	assert_null(it_security_problem(&r));
	http_resp_free(&r);
}

static void test_page_shows_public_view(void **state)
{
	struct http_resp r = get("/tra-cuu?ma=" CODE1, FROM("10.0.0.1"), 200);
	assert_contains(r.body, CODE1);
	assert_contains(r.body, "Đăng ký khai sinh");
	assert_contains(r.body, "Ủy ban nhân dân phường Hoa Lư");
	assert_contains(r.body, "<strong>Đang xử lý</strong>");
	assert_contains(r.body, "Nguyễn V** A*");
	assert_contains(r.body, "28/11/2026 09:15");
	assert_contains(r.body, "02/12/2026 16:30");
	/* The timeline: in words, in order, without who did it. */
	const char *a = strstr(r.body, "Nộp hồ sơ trực tuyến");
	const char *b = strstr(r.body, "Tiếp nhận hồ sơ</td>");
	const char *c = strstr(r.body, "29/11/2026 08:00</td><td>Đang xử lý");
	assert_true(a && b && c && a < b && b < c);
	assert_lacks(r.body, "Nguyễn Văn An");
	assert_lacks(r.body, "Đặng Quốc Việt");
	assert_lacks(r.body, "0912345678");
	assert_lacks(r.body, "bien-nhan.pdf"); /* nobody signed in */
	http_resp_free(&r);

	/* Codes typed in lower case are found too. */
	r = get("/tra-cuu?ma=000.00.16.h43-261128-0001", FROM("10.0.0.1"), 200);
	assert_contains(r.body, CODE1);
	http_resp_free(&r);

	/* English. */
	r = get("/tra-cuu?ma=" CODE1 "&lang=en", FROM("10.0.0.1") "Accept-Language: en\r\n", 200);
	assert_contains(r.body, "Being processed");
	http_resp_free(&r);
}

static void test_page_links_receipt_for_applicant_only(void **state)
{
	char h[512];
	snprintf(h, sizeof(h), FROM("10.0.0.1") "%s", owner.headers);
	struct http_resp r = get("/tra-cuu?ma=" CODE1, h, 200);
	assert_contains(r.body, "href=\"/ho-so/" CODE1 "/bien-nhan.pdf\"");
	http_resp_free(&r);
	snprintf(h, sizeof(h), FROM("10.0.0.1") "%s", other.headers);
	r = get("/tra-cuu?ma=" CODE1, h, 200);
	assert_lacks(r.body, "bien-nhan.pdf");
	http_resp_free(&r);
}

static void test_page_no_date_and_single_word_name(void **state)
{
	struct http_resp r = get("/tra-cuu?ma=" CODE3, FROM("10.0.0.1"), 200);
	assert_contains(r.body, "Mới đăng ký");
	assert_contains(r.body, "H****");
	assert_contains(r.body, "Chưa có"); /* no due date yet */
	assert_lacks(r.body, "Hường");
	http_resp_free(&r);
}

static void test_page_malformed_is_400_beside_field(void **state)
{
	struct http_resp r = get("/tra-cuu?ma=H43-2611-1", FROM("10.0.0.1"), 400);
	assert_contains(r.body, "Mã hồ sơ không đúng dạng");
	assert_contains(r.body, "aria-invalid=\"true\"");
	assert_contains(r.body, "value=\"H43-2611-1\""); /* what was typed stays */
	http_resp_free(&r);
	/* Almost right: a lower-case-only letter group that upper-cases fine is
	 * accepted above; a wrong separator is not. */
	r = get("/tra-cuu?ma=000.00.16.H43_261128_0001", FROM("10.0.0.1"), 400);
	http_resp_free(&r);
}

static void test_page_draft_and_unknown_are_the_same_404(void **state)
{
	struct http_resp d = get("/tra-cuu?ma=" CODE2, FROM("10.0.0.1"), 404);
	struct http_resp u = get("/tra-cuu?ma=" CODE9, FROM("10.0.0.1"), 404);
	assert_contains(d.body, "Không tìm thấy hồ sơ có mã này");
	assert_contains(u.body, "Không tìm thấy hồ sơ có mã này");
	assert_lacks(d.body, "Đăng ký khai sinh");
	http_resp_free(&d);
	http_resp_free(&u);
}

/* ---- the API ---- */

static void test_api_status(void **state)
{
	struct http_resp r = get("/api/v1/dossiers/" CODE1 "/status", FROM("10.0.0.2"), 200);
	json_t *j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "code")), CODE1);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 4);
	assert_string_equal(json_string_value(json_object_get(j, "status_name")), "Đang xử lý");
	json_t *p = json_object_get(j, "procedure");
	assert_string_equal(json_string_value(json_object_get(p, "code")), "1.001193");
	assert_string_equal(json_string_value(json_object_get(p, "name")), "Đăng ký khai sinh");
	json_t *g = json_object_get(j, "agency");
	assert_string_equal(json_string_value(json_object_get(g, "code")), "ubnd-hoalu");
	assert_string_equal(json_string_value(json_object_get(g, "name")),
			    "Ủy ban nhân dân phường Hoa Lư");
	assert_string_equal(json_string_value(json_object_get(j, "applicant")), "Nguyễn V** A*");
	assert_string_equal(json_string_value(json_object_get(j, "received_at")),
			    "2026-11-28 09:15:02");
	assert_string_equal(json_string_value(json_object_get(j, "due_at")), "2026-12-02 16:30:00");
	json_t *t = json_object_get(j, "timeline");
	assert_int_equal(json_array_size(t), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0), "action")),
			    "submitted");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "status")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 1), "at")),
			    "2026-11-28 10:00:00");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 2), "status")), 4);
	/* No personal data beyond the masked name, no officer. */
	assert_lacks(r.body, "Văn An");
	assert_lacks(r.body, "Việt");
	assert_lacks(r.body, "acc-");
	assert_lacks(r.body, "0912345678");
	json_decref(j);
	http_resp_free(&r);

	r = get("/api/v1/dossiers/" CODE3 "/status", FROM("10.0.0.2"), 200);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "applicant")), "H****");
	assert_true(json_is_null(json_object_get(j, "due_at")));
	assert_int_equal(json_array_size(json_object_get(j, "timeline")), 1);
	json_decref(j);
	http_resp_free(&r);

	/* A dossier with no event yet: the view, with an empty timeline. */
	r = get("/api/v1/dossiers/" CODE4 "/status", FROM("10.0.0.2"), 200);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "applicant")), "Lê T** B***");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "timeline")), 0);
	json_decref(j);
	http_resp_free(&r);
}

static void test_api_errors(void **state)
{
	struct http_resp d = get("/api/v1/dossiers/" CODE2 "/status", FROM("10.0.0.2"), 404);
	struct http_resp u = get("/api/v1/dossiers/" CODE9 "/status", FROM("10.0.0.2"), 404);
	json_t *dj = json_of(&d), *uj = json_of(&u);
	const char *dm =
		json_string_value(json_object_get(json_object_get(dj, "error"), "message"));
	const char *um =
		json_string_value(json_object_get(json_object_get(uj, "error"), "message"));
	assert_non_null(dm);
	assert_non_null(um);
	assert_string_equal(dm, um); /* a draft looks exactly like nothing */
	json_decref(dj);
	json_decref(uj);
	http_resp_free(&d);
	http_resp_free(&u);

	struct http_resp m = get("/api/v1/dossiers/abc/status", FROM("10.0.0.2"), 400);
	json_t *mj = json_of(&m);
	assert_contains(json_string_value(json_object_get(json_object_get(mj, "error"), "message")),
			"000.00.16.H43-261128-0001");
	json_decref(mj);
	http_resp_free(&m);
}

/* ---- the budget of lookups per address ---- */

static void test_throttle(void **state)
{
	/* Page and API share one budget of 30 per 5 minutes per address. */
	for (int i = 0; i < 30; i++) {
		const char *path =
			i % 2 ? "/tra-cuu?ma=" CODE9 : "/api/v1/dossiers/" CODE1 "/status";
		struct http_resp r = get(path, FROM("198.51.100.7"), i % 2 ? 404 : 200);
		http_resp_free(&r);
	}
	struct http_resp r = get("/tra-cuu?ma=" CODE1, FROM("198.51.100.7"), 429);
	const char *retry = http_resp_header(&r, "Retry-After");
	assert_non_null(retry);
	long secs = strtol(retry, NULL, 10);
	assert_true(secs >= 1 && secs <= 300);
	assert_contains(r.body, "Vui lòng thử lại sau");
	http_resp_free(&r);
	r = get("/api/v1/dossiers/" CODE1 "/status", FROM("198.51.100.7"), 429);
	assert_non_null(http_resp_header(&r, "Retry-After"));
	json_t *j = json_of(&r);
	assert_non_null(json_object_get(j, "error"));
	json_decref(j);
	http_resp_free(&r);

	/* Another address is not affected; the form alone costs nothing. */
	r = get("/tra-cuu?ma=" CODE1, FROM("198.51.100.8"), 200);
	http_resp_free(&r);
	r = get("/tra-cuu", FROM("198.51.100.7"), 200);
	http_resp_free(&r);

	/* IPv6 addresses count per /64: two hosts of one block share it. */
	for (int i = 0; i < 30; i++) {
		r = get("/tra-cuu?ma=" CODE9,
			i % 2 ? FROM("2001:db8:1:2::1") : FROM("2001:db8:1:2::2"), 404);
		http_resp_free(&r);
	}
	r = get("/tra-cuu?ma=" CODE9, FROM("2001:db8:1:2:ffff::9"), 429);
	http_resp_free(&r);
	r = get("/tra-cuu?ma=" CODE9, FROM("2001:db8:1:3::1"), 404);
	http_resp_free(&r);
}

/* ---- the receipt ---- */

static void test_receipt_for_owner(void **state)
{
	struct http_resp r = get("/ho-so/" CODE1 "/bien-nhan.pdf", owner.headers, 200);
	assert_string_equal(http_resp_header(&r, "Content-Type"), "application/pdf");
	assert_string_equal(http_resp_header(&r, "Content-Disposition"),
			    "attachment; filename=\"bien-nhan-" CODE1 ".pdf\"");
	assert_true(r.body_len > 1000);
	assert_memory_equal(r.body, "%PDF-", 5);
	char *text = it_pdf_text(r.body, r.body_len, "-layout");
	assert_non_null(text);
	assert_contains(text, "Mã hồ sơ: " CODE1);
	assert_contains(text, "Nguyễn Văn An");
	assert_contains(text, "Đặng Quốc Việt"); /* received at the desk by this officer */
	assert_contains(text, "Tờ khai đăng ký khai sinh");
	assert_lacks(text, "Giấy chứng sinh"); /* not among the files received */
	assert_contains(text, "Qua dịch vụ bưu chính công ích");
	/* The lookup address may wrap under the QR code: compare without
	 * white space. */
	char *flat = strdup(text);
	size_t k = 0;
	for (size_t i = 0; flat[i]; i++)
		if (flat[i] != ' ' && flat[i] != '\n')
			flat[k++] = flat[i];
	flat[k] = '\0';
	assert_contains(flat, PUBLIC_URL "/tra-cuu?ma=" CODE1);
	free(flat);
	assert_contains(text, "09 giờ 15 phút, ngày 28 tháng 11 năm 2026");
	free(text);
	http_resp_free(&r);
}

static void test_receipt_for_agency_officer(void **state)
{
	struct http_resp r = get("/ho-so/" CODE1 "/bien-nhan.pdf", officer.headers, 200);
	assert_memory_equal(r.body, "%PDF-", 5);
	http_resp_free(&r);
}

static void test_receipt_refused(void **state)
{
	/* Another citizen, an officer of another agency: as if it did not
	 * exist. So is a draft, and an unknown or malformed code. */
	struct http_resp r = get("/ho-so/" CODE1 "/bien-nhan.pdf", other.headers, 404);
	assert_lacks(r.body, "%PDF");
	http_resp_free(&r);
	r = get("/ho-so/" CODE1 "/bien-nhan.pdf", outside.headers, 404);
	http_resp_free(&r);
	r = get("/ho-so/" CODE2 "/bien-nhan.pdf", owner.headers, 404);
	http_resp_free(&r);
	r = get("/ho-so/" CODE9 "/bien-nhan.pdf", owner.headers, 404);
	http_resp_free(&r);
	r = get("/ho-so/nonsense/bien-nhan.pdf", owner.headers, 404);
	http_resp_free(&r);
	/* Nobody signed in: asked to sign in, no PDF. */
	struct http_resp anon;
	assert_int_equal(
		http_fetch(srv.port, "GET", "/ho-so/" CODE1 "/bien-nhan.pdf", NULL, NULL, 0, &anon),
		0);
	assert_true(anon.status == 401 || anon.status == 303);
	assert_lacks(anon.body, "%PDF");
	http_resp_free(&anon);
	/* The owner of a dossier without a due date yet: no receipt to give. */
	r = get("/ho-so/" CODE3 "/bien-nhan.pdf", other.headers, 409);
	assert_contains(r.body, "chưa có giấy tiếp nhận");
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_without_code),
		cmocka_unit_test(test_page_shows_public_view),
		cmocka_unit_test(test_page_links_receipt_for_applicant_only),
		cmocka_unit_test(test_page_no_date_and_single_word_name),
		cmocka_unit_test(test_page_malformed_is_400_beside_field),
		cmocka_unit_test(test_page_draft_and_unknown_are_the_same_404),
		cmocka_unit_test(test_api_status),
		cmocka_unit_test(test_api_errors),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_receipt_for_owner),
		cmocka_unit_test(test_receipt_for_agency_officer),
		cmocka_unit_test(test_receipt_refused),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
