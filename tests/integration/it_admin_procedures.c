/*
 * it_admin_procedures.c - agency admins edit their procedures in the web UI
 * (/quan-tri/thu-tuc): who may, what a save changes, and that a bad edit is
 * shown beside its field and changes nothing; and the public page cache,
 * which must never serve a signed-in person someone else's page.
 *
 * Accounts and sessions are made directly in the database (a session row is
 * the SHA-256 of a token the test chooses), so this test needs nothing from
 * the sign-in pages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct it_server srv;

/* A province-level procedure of Sở Tư pháp, and a commune-level one. */
#define OWN_CODE   "1.000426"
#define OTHER_CODE "1.001193"

struct who {
	char token[65];
	char cookie[160];
};
static struct who admin, citizen;

/* Creates an account with roles and agency, and a web session for it. */
static void make_session(struct who *w, const char *id, int roles, const char *agency)
{
	unsigned char raw[32], h[crypto_hash_sha256_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(w->token, sizeof(w->token), raw, sizeof(raw));
	crypto_hash_sha256(h, (const unsigned char *)w->token, 64);
	char hash[65];
	sodium_bin2hex(hash, sizeof(hash), h, sizeof(h));
	char sql[2048];
	long long now = (long long)time(NULL);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO account (id, login, kind, roles, agency_code, full_name,"
		 " password_hash, created_at) VALUES ('%s', '%s', '%s', %d, %s%s%s,"
		 " 'Người thử', 'x', '2026-01-01 00:00:00');"
		 "INSERT INTO session (token_hash, account_id, kind, csrf, created_at, last_seen,"
		 " expires_at) VALUES ('%s', '%s', 'web', '%s', %lld, %lld, %lld);",
		 id, id, agency ? "officer" : "citizen", roles, agency ? "'" : "",
		 agency ? agency : "NULL", agency ? "'" : "", hash, id, hash, now, now, now + 3600);
	assert_int_equal(it_db_exec(srv.db_path, sql), 0);
	snprintf(w->cookie, sizeof(w->cookie), "Cookie: mc_session=%s\r\n", w->token);
}

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	struct it_server_opts o = {.demo = true};
	if (it_server_start(&srv, &o) < 0)
		return -1;
	make_session(&admin, "admin-tp", 1 << 5, "so-tu-phap");
	make_session(&citizen, "citizen-1", 1 << 0, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	it_server_free(&srv);
	return 0;
}

static struct http_resp get(const char *path, const char *headers, int want)
{
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "GET", path, headers, NULL, 0, &r), 0);
	if (r.status != want)
		fprintf(stderr, "# GET %s: %d\n%s\n", path, r.status, r.body);
	assert_int_equal(r.status, want);
	return r;
}

/* The hidden csrf field of a form page (malloc'd). */
static char *hidden_csrf(const char *body)
{
	const char *p = strstr(body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	return strndup(p, strcspn(p, "\""));
}

/* Posts form (already encoded) to the edit page of code as the admin, with
 * the token of a fresh GET of the form; returns the response. */
static struct http_resp post_edit(const char *code, const char *form_tail, bool with_csrf)
{
	char path[64];
	snprintf(path, sizeof(path), "/quan-tri/thu-tuc/%s", code);
	struct http_resp page = get(path, admin.cookie, 200);
	char *csrf = hidden_csrf(page.body);
	char *cookie = it_set_cookie(&page, "csrf");
	http_resp_free(&page);
	char headers[512];
	snprintf(headers, sizeof(headers),
		 "Cookie: mc_session=%s%s%s\r\nContent-Type: application/x-www-form-urlencoded\r\n",
		 admin.token, cookie ? "; csrf=" : "", cookie ? cookie : "");
	size_t len = strlen(form_tail) + 256;
	char *form = malloc(len);
	assert_non_null(form);
	snprintf(form, len, "csrf=%s&%s", with_csrf ? csrf : "wrong", form_tail);
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "POST", path, headers, form, strlen(form), &r), 0);
	free(form);
	free(csrf);
	free(cookie);
	return r;
}

static void test_nobody_signed_in_is_sent_to_sign_in(void **state)
{
	(void)state;
	struct http_resp r = get("/quan-tri/thu-tuc", NULL, 303);
	const char *loc = http_resp_header(&r, "Location");
	assert_non_null(loc);
	assert_string_equal(loc, "/dang-nhap?tiep=/quan-tri/thu-tuc");
	http_resp_free(&r);
}

static void test_a_citizen_is_forbidden(void **state)
{
	(void)state;
	struct http_resp r = get("/quan-tri/thu-tuc", citizen.cookie, 403);
	http_resp_free(&r);
}

static void test_the_list_holds_the_agency_procedures_only(void **state)
{
	(void)state;
	struct http_resp r = get("/quan-tri/thu-tuc", admin.cookie, 200);
	assert_non_null(strstr(r.body, "/quan-tri/thu-tuc/" OWN_CODE));
	assert_null(strstr(r.body, "/quan-tri/thu-tuc/" OTHER_CODE "\""));
	http_resp_free(&r);
	r = get("/quan-tri/thu-tuc/" OTHER_CODE, admin.cookie, 404);
	http_resp_free(&r);
}

static void test_an_edit_is_saved_and_shown_publicly(void **state)
{
	(void)state;
	struct http_resp page = get("/quan-tri/thu-tuc/" OWN_CODE, admin.cookie, 200);
	/* Keep every posted document row as it is, then add one. */
	const char *nd = strstr(page.body, "name=\"ndocs\" value=\"");
	assert_non_null(nd);
	int ndocs = (int)strtol(nd + strlen("name=\"ndocs\" value=\""), NULL, 10);
	assert_true(ndocs >= 3);
	http_resp_free(&page);
	char form[4096];
	int stored =
		(int)it_db_count(srv.db_path,
				 "SELECT COUNT(*) FROM procedure WHERE code = $1 AND record LIKE"
				 " '%\"documents\":[]%'",
				 OWN_CODE) == 1
			? 0
			: ndocs - 3;
	/* Rows 0..stored-1 are left out of the form on purpose: an admin
	 * clears a document by emptying its name, so only the new row stays. */
	snprintf(form, sizeof(form),
		 "name=C%%E1%%BA%%A5p+b%%E1%%BA%%A3n+sao+tr%%C3%%ADch+l%%E1%%BB%%A5c+(s%%E1%%BB%%"
		 "ADa)"
		 "&service_level=toan-trinh&published=1&ndocs=%d&d%d_name=T%%E1%%BB%%9D+khai+m%%E1%"
		 "%BB%%9Bi"
		 "&d%d_originals=1&d%d_copies=2",
		 stored + 1, stored, stored, stored);
	struct http_resp r = post_edit(OWN_CODE, form, true);
	if (r.status != 303)
		fprintf(stderr, "# %s\n", r.body);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_resp_header(&r, "Location"),
			    "/quan-tri/thu-tuc/" OWN_CODE "?luu=1");
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM procedure WHERE code = $1 AND"
				     " name = 'Cấp bản sao trích lục (sửa)' AND service_level ="
				     " 'toan-trinh' AND record LIKE '%Tờ khai mới%'",
				     OWN_CODE),
			 1);
	r = get("/thu-tuc/" OWN_CODE, NULL, 200);
	assert_non_null(strstr(r.body, "Cấp bản sao trích lục (sửa)"));
	assert_non_null(strstr(r.body, "Tờ khai mới"));
	http_resp_free(&r);
}

static void test_a_bad_edit_is_shown_and_changes_nothing(void **state)
{
	(void)state;
	char *before[1] = {NULL};
	assert_int_equal(it_db_row(srv.db_path, "SELECT record FROM procedure WHERE code = $1",
				   OWN_CODE, before, 1),
			 1);
	struct http_resp r = post_edit(OWN_CODE, "name=&m0_unit=weeks&ndocs=0", true);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Tên thủ tục không được để trống."));
	assert_non_null(strstr(r.body, "aria-invalid=\"true\""));
	http_resp_free(&r);
	char *after[1] = {NULL};
	assert_int_equal(it_db_row(srv.db_path, "SELECT record FROM procedure WHERE code = $1",
				   OWN_CODE, after, 1),
			 1);
	assert_string_equal(before[0], after[0]);
	free(before[0]);
	free(after[0]);
}

static void test_without_the_csrf_token_nothing_is_saved(void **state)
{
	(void)state;
	struct http_resp r = post_edit(OWN_CODE, "name=Kh%C3%B4ng+%C4%91%C6%B0%E1%BB%A3c", false);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path, "SELECT COUNT(*) FROM procedure WHERE name = $1",
				     "Không được"),
			 0);
}

/* The page cache (RT_CACHE) answers visitors without a session from
 * memory, but never someone signed in, and never keeps a reply that sets a
 * cookie (a language switch). */
static long long cache_hits(void)
{
	struct http_resp r = get("/metrics", NULL, 200);
	const char *p = strstr(r.body, "motcua_page_cache_lookups_total{result=\"hit\"} ");
	assert_non_null(p);
	long long n =
		strtoll(p + strlen("motcua_page_cache_lookups_total{result=\"hit\"} "), NULL, 10);
	http_resp_free(&r);
	return n;
}

static void test_public_pages_come_from_the_cache_but_not_for_the_signed_in(void **state)
{
	(void)state;
	const char *path = "/linh-vuc/ho-tich";
	struct http_resp first = get(path, NULL, 200);
	long long before = cache_hits();
	struct http_resp again = get(path, NULL, 200);
	assert_int_equal(cache_hits(), before + 1);
	assert_int_equal(again.body_len, first.body_len);
	assert_memory_equal(again.body, first.body, first.body_len);
	/* Signed in: rendered for this person (the header names them). */
	struct http_resp mine = get(path, admin.cookie, 200);
	assert_int_equal(cache_hits(), before + 1);
	assert_non_null(strstr(mine.body, "Người thử"));
	assert_null(strstr(again.body, "Người thử"));
	/* A language switch sets a cookie: answered in English, not kept, so
	 * the next Vietnamese visitor still gets Vietnamese. */
	struct http_resp en = get("/linh-vuc/ho-tich?lang=en", NULL, 200);
	assert_non_null(strstr(en.body, "lang=\"en\""));
	struct http_resp vi = get(path, NULL, 200);
	assert_non_null(strstr(vi.body, "lang=\"vi\""));
	http_resp_free(&first);
	http_resp_free(&again);
	http_resp_free(&mine);
	http_resp_free(&en);
	http_resp_free(&vi);
}

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nobody_signed_in_is_sent_to_sign_in),
		cmocka_unit_test(test_a_citizen_is_forbidden),
		cmocka_unit_test(test_the_list_holds_the_agency_procedures_only),
		cmocka_unit_test(test_an_edit_is_saved_and_shown_publicly),
		cmocka_unit_test(test_a_bad_edit_is_shown_and_changes_nothing),
		cmocka_unit_test(test_without_the_csrf_token_nothing_is_saved),
		cmocka_unit_test(test_public_pages_come_from_the_cache_but_not_for_the_signed_in),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
