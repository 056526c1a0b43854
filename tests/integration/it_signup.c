/*
 * it_signup.c - the per-address budget of registrations and password-reset
 * requests (signup_limit, domain/signup_limit.h) on a real motcua, on
 * SQLite and PostgreSQL: with signup_limit = 3, the fourth registration
 * from one address (web form or POST /api/v1/accounts, refused attempts
 * included) is a 429 with Retry-After and a Vietnamese message, nothing is
 * stored, the typed values stay in the form; another address still
 * registers; reset requests have a budget of their own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static struct it_server srv;

static int group_setup(void **state)
{
	(void)state;
	struct it_server_opts o = {.conf = "signup_limit = 3\n"};
	return it_server_start(&srv, &o) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	return it_server_finish(&srv);
}

static void assert_contains(const char *body, const char *needle)
{
	if (!body || !strstr(body, needle))
		fail_msg("response does not contain \"%s\": %.400s", needle, body ? body : "");
}

/* A web registration from address (X-Real-IP; the server trusts loopback
 * as its proxy) with this CCCD; the status it got. */
static int web_register(const char *address, const char *cccd, const char *email,
			struct http_resp *out)
{
	assert_int_equal(it_register_citizen(srv.port, address, "Trần Thị Hoa", cccd, email,
					     "HoaSen@Trang26", out),
			 0);
	return out->status;
}

static int post_json(const char *path, const char *address, const char *json, struct http_resp *out)
{
	char h[256];
	snprintf(h, sizeof(h), "Content-Type: application/json\r\nX-Real-IP: %s\r\n", address);
	assert_int_equal(http_fetch(srv.port, "POST", path, h, json, strlen(json), out), 0);
	return out->status;
}

static void assert_throttled(struct http_resp *r)
{
	assert_int_equal(r->status, 429);
	const char *ra = http_resp_header(r, "Retry-After");
	assert_non_null(ra);
	long secs = strtol(ra, NULL, 10);
	assert_true(secs >= 1 && secs <= 3600);
}

static long long count(const char *sql, const char *arg)
{
	long long n = it_db_count(srv.db_path, sql, arg);
	assert_true(n >= 0);
	return n;
}

static void test_web_registration_budget_per_address(void **state)
{
	(void)state;
	struct http_resp r;
	/* Three attempts, refused ones included (a CCCD that does not exist:
	 * probing numbers costs budget too). */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(web_register("10.60.0.1", "000000000000", "a@vidu.vn", &r), 422);
		http_resp_free(&r);
	}
	web_register("10.60.0.1", "037090000201", "hoa1@vidu.vn", &r);
	assert_throttled(&r);
	assert_contains(r.body, "Có quá nhiều yêu cầu đăng ký");
	assert_contains(r.body, "Trần Thị Hoa"); /* what was typed stays */
	assert_contains(r.body, "hoa1@vidu.vn");
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = $1", "037090000201"), 0);
	/* Another address has its own budget. */
	assert_int_equal(web_register("10.60.0.2", "037090000201", "hoa1@vidu.vn", &r), 303);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = $1", "037090000201"), 1);
}

static void test_api_registration_shares_the_budget(void **state)
{
	(void)state;
	struct http_resp r;
	const char *bad = "{\"kind\":\"citizen\"}";
	for (int i = 0; i < 3; i++) {
		assert_int_equal(post_json("/api/v1/accounts", "10.60.0.3", bad, &r), 422);
		http_resp_free(&r);
	}
	const char *good = "{\"kind\":\"citizen\",\"full_name\":\"Lê Văn Nam\","
			   "\"id_number\":\"037090000202\",\"birth_date\":\"1990-02-01\","
			   "\"phone\":\"0912345678\",\"email\":\"nam2@vidu.vn\",\"address\":"
			   "\"Hoa Lư\",\"password\":\"HoaSen@Trang26\",\"consent\":true}";
	post_json("/api/v1/accounts", "10.60.0.3", good, &r);
	assert_throttled(&r);
	assert_contains(r.body, "Có quá nhiều yêu cầu đăng ký");
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = $1", "037090000202"), 0);
	/* The web form from the same address is refused as well. */
	web_register("10.60.0.3", "037090000202", "nam2@vidu.vn", &r);
	assert_throttled(&r);
	http_resp_free(&r);
	assert_int_equal(post_json("/api/v1/accounts", "10.60.0.4", good, &r), 201);
	http_resp_free(&r);
}

static void test_reset_requests_have_their_own_budget(void **state)
{
	(void)state;
	struct http_resp r;
	char h[256];
	const char *form = "csrf=" IT_CSRF "&email=khong-co%40vidu.vn";
	snprintf(h, sizeof(h),
		 "Content-Type: application/x-www-form-urlencoded\r\nCookie: csrf=" IT_CSRF
		 "\r\nX-Real-IP: 10.60.0.5\r\n");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(
			http_fetch(srv.port, "POST", "/quen-mat-khau", h, form, strlen(form), &r),
			0);
		assert_int_equal(r.status, 200);
		http_resp_free(&r);
	}
	assert_int_equal(http_fetch(srv.port, "POST", "/quen-mat-khau", h, form, strlen(form), &r),
			 0);
	assert_throttled(&r);
	assert_contains(r.body, "đặt lại mật khẩu");
	assert_contains(r.body, "khong-co@vidu.vn");
	http_resp_free(&r);
	const char *json = "{\"email\":\"khong-co@vidu.vn\"}";
	for (int i = 0; i < 3; i++) {
		assert_int_equal(post_json("/api/v1/password-resets", "10.60.0.6", json, &r), 202);
		http_resp_free(&r);
	}
	post_json("/api/v1/password-resets", "10.60.0.6", json, &r);
	assert_throttled(&r);
	http_resp_free(&r);
	/* Registration from 10.60.0.5 is untouched by its reset requests. */
	assert_int_equal(web_register("10.60.0.5", "037090000203", "mai3@vidu.vn", &r), 303);
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_registration_budget_per_address),
		cmocka_unit_test(test_api_registration_shares_the_budget),
		cmocka_unit_test(test_reset_requests_have_their_own_budget),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
