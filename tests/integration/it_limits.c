/*
 * it_limits.c - connection limits of a real motcua: past
 * max_connections_per_ip or max_connections a new connection is answered
 * 503 with Retry-After (never left waiting in the listen queue), and once
 * connections close, new ones are served again.
 *
 * The server runs with max_connections = 8 and max_connections_per_ip = 4.
 * Distinct client addresses come from binding the client socket to
 * 127.0.0.x before connecting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static struct it_server srv;

static int group_setup(void **state)
{
	struct it_server_opts o = {.conf = "max_connections = 8\nmax_connections_per_ip = 4\n"};
	return it_server_start(&srv, &o) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* Idle connections a test holds open; closed after each test, so a test
 * that fails half-way does not leave the next one over the limit. */
static http_conn held[16];
static int nheld;

static int release_held(void **state)
{
	for (int i = 0; i < nheld; i++)
		http_close(&held[i]);
	nheld = 0;
	return 0;
}

/*
 * Opens a connection from src and makes one request on it, so the server
 * has surely counted it; the connection is then left idle. The server counts
 * a closed connection off asynchronously, so a probe that was just closed
 * (wait_quiet's, or a refused one) may still hold a place: a 503 here is
 * retried on a new connection for a while.
 */
static http_conn *open_idle(const char *src)
{
	assert_true(nheld < 16);
	http_conn *c = &held[nheld];
	for (int attempt = 0; attempt < 400; attempt++) {
		struct http_resp r;
		if (http_connect_from(c, src, srv.port) < 0)
			fail_msg("cannot connect from %s", src);
		int rc = http_get(c, "/healthz", NULL, &r);
		int status = rc == 0 ? r.status : rc;
		if (rc == 0)
			http_resp_free(&r);
		if (status == 200) {
			nheld++;
			return c;
		}
		http_close(c);
		if (status != 503)
			fail_msg("idle connection from %s: %d", src, status);
		usleep(25000);
	}
	fail_msg("the server kept refusing connections from %s", src);
	return NULL;
}

/* A request on a new connection from src; its status (0 on failure). */
static int status_from(const char *src, struct http_resp *keep)
{
	http_conn c;
	struct http_resp r;
	if (http_connect_from(&c, src, srv.port) < 0)
		return 0;
	int rc = http_get(&c, "/healthz", NULL, &r);
	int status = rc == 0 ? r.status : 0;
	if (rc == 0 && status == 503) {
		/* Refused connections are closed by the server. */
		if (!http_wait_closed(&c, IT_TIMEOUT_MS))
			status = -503;
	}
	if (rc == 0 && keep)
		*keep = r;
	else if (rc == 0)
		http_resp_free(&r);
	http_close(&c);
	return status;
}

/* Closed connections are counted off asynchronously: wait (a while) until
 * a new connection from src is served. */
static void assert_served_again(const char *src)
{
	int status = 0;
	for (int i = 0; i < 400 && status != 200; i++) {
		status = status_from(src, NULL);
		if (status != 200)
			usleep(25000);
	}
	assert_int_equal(status, 200);
}

/* Waits until the only connection the server counts is the one asking. */
static void wait_quiet(void)
{
	double n = -1;
	for (int i = 0; i < 400 && n != 1; i++) {
		struct http_resp r;
		if (http_fetch(srv.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0) {
			if (r.status != 200 || !it_metric(r.body, "motcua_http_connections", &n))
				n = -1;
			http_resp_free(&r);
		}
		if (n != 1)
			usleep(25000);
	}
	assert_true(n == 1);
}

static void assert_busy(const struct http_resp *r)
{
	assert_int_equal(r->status, 503);
	const char *retry = http_resp_header(r, "Retry-After");
	assert_non_null(retry);
	char *end;
	long secs = strtol(retry, &end, 10);
	assert_true(end != retry && *end == '\0' && secs > 0);
	assert_string_equal(http_resp_header(r, "Connection"), "close");
	assert_null(it_security_problem(r));
}

static void test_fifth_connection_from_one_address_gets_503(void **state)
{
	wait_quiet();
	for (int i = 0; i < 4; i++)
		open_idle("127.0.0.1");
	struct http_resp r;
	assert_int_equal(status_from("127.0.0.1", &r), 503);
	assert_busy(&r);
	http_resp_free(&r);
	/* Another address is not affected by this one's limit. */
	assert_int_equal(status_from("127.0.0.5", NULL), 200);
	release_held(state);
	assert_served_again("127.0.0.1");
}

static void test_idle_connections_keep_working_at_the_limit(void **state)
{
	wait_quiet();
	for (int i = 0; i < 4; i++)
		open_idle("127.0.0.6");
	assert_int_equal(status_from("127.0.0.6", NULL), 503);
	/* The four that were let in are still served. */
	for (int i = 0; i < 4; i++) {
		struct http_resp r;
		assert_response(http_get(&held[i], "/healthz", NULL, &r), &r, 200);
		http_resp_free(&r);
	}
	release_held(state);
	assert_served_again("127.0.0.6");
}

static void test_refusals_are_counted_as_unmatched_503(void **state)
{
	/* The earlier tests were refused before any route was matched. */
	struct http_resp r;
	assert_response(http_fetch(srv.port, "GET", "/metrics", NULL, NULL, 0, &r), &r, 200);
	double v;
	assert_true(it_metric(
		r.body,
		"motcua_http_requests_total{method=\"\",route=\"unmatched\",status=\"503\"}", &v));
	assert_true(v >= 2);
	assert_false(it_metric(
		r.body, "motcua_http_requests_total{method=\"GET\",route=\"/\",status=\"503\"}",
		&v));
	http_resp_free(&r);
}

static void test_ninth_connection_overall_gets_503(void **state)
{
	/* 4 + 4 from two addresses fill max_connections = 8 without
	 * reaching either address's own limit. */
	wait_quiet();
	for (int i = 0; i < 8; i++)
		open_idle(i < 4 ? "127.0.0.2" : "127.0.0.3");
	struct http_resp r;
	assert_int_equal(status_from("127.0.0.4", &r), 503);
	assert_busy(&r);
	http_resp_free(&r);
	release_held(state);
	assert_served_again("127.0.0.4");
}

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fifth_connection_from_one_address_gets_503,
					  release_held),
		cmocka_unit_test_teardown(test_idle_connections_keep_working_at_the_limit,
					  release_held),
		cmocka_unit_test_teardown(test_ninth_connection_overall_gets_503, release_held),
		cmocka_unit_test(test_refusals_are_counted_as_unmatched_503),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
