/*
 * it_http.c - the HTTP core of a real motcua, over real sockets: keep-alive,
 * error statuses (404, 405, 400, 413, 431), security headers, slow clients,
 * /metrics, the access log, and graceful shutdown on SIGTERM.
 *
 * One server (connection_timeout = 2) serves every test but the shutdown
 * one, which starts and stops its own. Tests never assert how fast anything
 * is; deadlines only catch hangs.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"

static struct it_server srv;

static int group_setup(void **state)
{
	struct it_server_opts o = {.conf = "connection_timeout = 2\n"};
	return it_server_start(&srv, &o) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	int st = it_server_stop(&srv);
	if (st != 0) {
		it_note("server exited with status %d", st);
		it_server_dump_log(&srv);
	}
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* A fresh connection still gets a 200 from /healthz. */
static void assert_server_up(unsigned short port)
{
	struct http_resp r;
	int rc = http_fetch(port, "GET", "/healthz", NULL, NULL, 0, &r);
	assert_response(rc, &r, 200);
	assert_string_equal(r.body, "{\"status\":\"ok\"}\n");
	http_resp_free(&r);
}

/* Sends raw bytes on a new connection and reads what comes back. The
 * server may answer and hang up before it has read everything (a refused
 * header or body), so a failed send still reads the answer. */
static int raw_exchange(const char *req, size_t len, struct http_resp *r, http_conn *c)
{
	if (http_connect(c, srv.port) < 0)
		return HTTP_ERR;
	if (http_send(c, req, len) < 0 && errno != EPIPE && errno != ECONNRESET)
		return HTTP_ERR;
	return http_read(c, r, IT_TIMEOUT_MS);
}

/* ---- keep-alive ---- */

static void test_keepalive_120_requests_on_one_socket(void **state)
{
	static const char *const paths[] = {"/", "/healthz", "/static/portal.css"};
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	int fd = c.fd;
	for (int i = 0; i < 120; i++) {
		struct http_resp r;
		const char *path = paths[i % 3];
		int rc = http_get(&c, path, NULL, &r);
		if (rc != 0 || r.status != 200 || r.closed)
			fail_msg("request %d (%s): rc %d, status %d, closed %d", i, path, rc,
				 r.status, r.closed);
		assert_null(http_resp_header(&r, "Connection"));
		assert_true(r.body_len > 0);
		http_resp_free(&r);
	}
	/* The same socket carried every request, and it is still open. */
	assert_int_equal(c.fd, fd);
	assert_false(c.eof);
	http_close(&c);
}

/* ---- 404 and 405 ---- */

static void test_unknown_page_is_404_html(void **state)
{
	http_conn c;
	struct http_resp r;
	assert_int_equal(http_connect(&c, srv.port), 0);
	assert_response(http_get(&c, "/khong-co-trang-nay", NULL, &r), &r, 404);
	assert_non_null(strstr(http_resp_header(&r, "Content-Type"), "text/html"));
	assert_non_null(strstr(r.body, "<html lang=\"vi\">"));
	assert_non_null(strstr(r.body, "404"));
	http_resp_free(&r);
	/* A 404 does not cost the connection. */
	assert_response(http_get(&c, "/healthz", NULL, &r), &r, 200);
	http_resp_free(&r);
	http_close(&c);
}

static void test_unknown_api_path_is_404_json(void **state)
{
	struct http_resp r;
	assert_response(http_fetch(srv.port, "GET", "/api/v1/khong-co", NULL, NULL, 0, &r), &r,
			404);
	assert_non_null(strstr(http_resp_header(&r, "Content-Type"), "application/json"));
	json_error_t jerr;
	json_t *doc = json_loads(r.body, 0, &jerr);
	assert_non_null(doc);
	json_t *err = json_object_get(doc, "error");
	assert_true(json_is_object(err));
	assert_int_equal(json_integer_value(json_object_get(err, "status")), 404);
	assert_true(json_is_string(json_object_get(err, "message")));
	assert_true(strlen(json_string_value(json_object_get(err, "message"))) > 0);
	json_decref(doc);
	http_resp_free(&r);
}

static void test_post_to_get_only_route_is_405_with_allow(void **state)
{
	static const char *const paths[] = {"/healthz", "/metrics", "/static/portal.css"};
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp r;
		int rc = http_request(&c, "POST", paths[i],
				      "Content-Type: application/x-www-form-urlencoded\r\n", "a=b",
				      3, &r);
		assert_response(rc, &r, 405);
		const char *allow = http_resp_header(&r, "Allow");
		assert_non_null(allow);
		assert_string_equal(allow, "GET");
		assert_non_null(strstr(http_resp_header(&r, "Content-Type"), "text/html"));
		http_resp_free(&r);
	}
	/* A route with both methods lists both. */
	struct http_resp r;
	assert_response(http_request(&c, "DELETE", "/gop-y", NULL, NULL, 0, &r), &r, 405);
	const char *allow = http_resp_header(&r, "Allow");
	assert_non_null(allow);
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(allow, "POST"));
	http_resp_free(&r);
	/* The body of a refused POST was read, so the connection still works. */
	assert_response(http_get(&c, "/healthz", NULL, &r), &r, 200);
	http_resp_free(&r);
	http_close(&c);
}

static void test_api_405_is_json_with_allow(void **state)
{
	struct http_resp r;
	assert_response(http_fetch(srv.port, "POST", "/api/v1/health", NULL, "", 0, &r), &r, 405);
	assert_string_equal(http_resp_header(&r, "Allow"), "GET");
	json_t *doc = json_loads(r.body, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(doc, "error"), "status")), 405);
	json_decref(doc);
	http_resp_free(&r);
}

/* ---- malformed requests ---- */

static void expect_4xx_then_up(const char *req, const char *what)
{
	http_conn c;
	struct http_resp r;
	int rc = raw_exchange(req, strlen(req), &r, &c);
	assert_int_equal(rc, 0);
	it_note("%s: %d %s", what, r.status, r.reason);
	assert_in_range(r.status, 400, 499);
	http_resp_free(&r);
	assert_true(http_wait_closed(&c, IT_TIMEOUT_MS));
	http_close(&c);
	assert_server_up(srv.port);
}

static void test_malformed_request_line_is_400(void **state)
{
	expect_4xx_then_up("GET / FOO/1.1\r\nHost: x\r\n\r\n", "bad protocol in request line");
	expect_4xx_then_up("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", "extra word in request line");
}

static void test_header_line_without_colon_is_400(void **state)
{
	expect_4xx_then_up("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
			   "header line without a colon");
}

static void test_bad_content_length_is_400(void **state)
{
	expect_4xx_then_up("POST /gop-y HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
			   "Content-Length: abc");
}

static void test_garbage_gets_4xx_or_close(void **state)
{
	/* libmicrohttpd 0.9.75 closes on a request line without spaces
	 * without answering; either that or a 4xx is fine, a hang is not. */
	http_conn c;
	struct http_resp r;
	static const char req[] = "GARBAGE\r\n\r\n";
	int rc = raw_exchange(req, sizeof(req) - 1, &r, &c);
	if (rc == 0) {
		it_note("GARBAGE: %d %s", r.status, r.reason);
		assert_in_range(r.status, 400, 499);
		http_resp_free(&r);
	} else {
		it_note("GARBAGE: connection closed without a response");
		assert_int_equal(rc, HTTP_EOF);
	}
	http_close(&c);
	assert_server_up(srv.port);
}

/* A request whose body length can be read two ways gets 400 and a closed
 * connection; the request hidden behind it is never answered. */
static void expect_framing_refused(const char *framing, const char *body)
{
	char req[512];
	snprintf(req, sizeof(req),
		 "POST /gop-y HTTP/1.1\r\nHost: x\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\n%s\r\n%sGET /healthz HTTP/1.1\r\nHost: "
		 "x\r\n\r\n",
		 framing, body);
	http_conn c;
	struct http_resp r;
	assert_response(raw_exchange(req, strlen(req), &r, &c), &r, 400);
	assert_string_equal(http_resp_header(&r, "Connection"), "close");
	http_resp_free(&r);
	assert_int_equal(http_read(&c, &r, IT_TIMEOUT_MS), HTTP_EOF);
	http_close(&c);
	assert_server_up(srv.port);
}

static void test_conflicting_content_lengths_are_400(void **state)
{
	expect_framing_refused("Content-Length: 5\r\nContent-Length: 60\r\n", "a=bcd");
}

static void test_content_length_with_chunked_is_400(void **state)
{
	expect_framing_refused("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n");
}

/* ---- body and header limits ---- */

/* Any well-formed token passes the CSRF check when the cookie and the
 * field agree. */
#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char post_head[] = "POST /gop-y HTTP/1.1\r\nHost: x\r\n"
				"Content-Type: application/x-www-form-urlencoded\r\n";

static void test_announced_body_over_limit_is_413_before_body(void **state)
{
	http_conn c;
	struct http_resp r;
	char req[512];
	snprintf(req, sizeof(req), "%sContent-Length: 1048576\r\n\r\n", post_head);
	/* Only the head is sent: the answer must not wait for the body. */
	assert_response(raw_exchange(req, strlen(req), &r, &c), &r, 413);
	assert_string_equal(http_resp_header(&r, "Connection"), "close");
	assert_non_null(strstr(http_resp_header(&r, "Content-Type"), "text/html"));
	http_resp_free(&r);
	assert_true(http_wait_closed(&c, IT_TIMEOUT_MS));
	http_close(&c);
	assert_server_up(srv.port);
}

static void test_expect_continue_over_limit_is_413_not_100(void **state)
{
	http_conn c;
	struct http_resp r;
	char req[512];
	snprintf(req, sizeof(req), "%sContent-Length: 1048576\r\nExpect: 100-continue\r\n\r\n",
		 post_head);
	assert_int_equal(http_connect(&c, srv.port), 0);
	assert_int_equal(http_send_str(&c, req), 0);
	/* A "100 Continue" first would invite a body that will be refused. */
	assert_int_equal(http_read(&c, &r, IT_TIMEOUT_MS), 0);
	assert_int_equal(r.status, 413);
	assert_int_equal(r.interim, 0);
	http_resp_free(&r);
	http_close(&c);
	assert_server_up(srv.port);
}

static int send_chunk(http_conn *c, size_t n)
{
	char head[32], *data = malloc(n);
	if (!data)
		return -1;
	memset(data, 'a', n);
	snprintf(head, sizeof(head), "%zx\r\n", n);
	int rc = http_send_str(c, head) == 0 && http_send(c, data, n) == 0 &&
				 http_send_str(c, "\r\n") == 0
			 ? 0
			 : -1;
	free(data);
	return rc;
}

static void test_chunked_body_growing_past_limit_is_413(void **state)
{
	http_conn c;
	struct http_resp r;
	assert_int_equal(http_connect(&c, srv.port), 0);
	assert_int_equal(http_send_str(&c, post_head), 0);
	assert_int_equal(http_send_str(&c, "Transfer-Encoding: chunked\r\n\r\n"), 0);
	/* 24 KiB against the route's 16 KiB limit. */
	for (int i = 0; i < 24; i++)
		assert_int_equal(send_chunk(&c, 1024), 0);
	assert_int_equal(http_send_str(&c, "0\r\n\r\n"), 0);
	assert_response(http_read(&c, &r, IT_TIMEOUT_MS), &r, 413);
	assert_string_equal(http_resp_header(&r, "Connection"), "close");
	http_resp_free(&r);
	http_close(&c);
	assert_server_up(srv.port);
}

static void test_endless_chunked_body_is_cut_off(void **state)
{
	http_conn c;
	assert_int_equal(http_connect(&c, srv.port), 0);
	assert_int_equal(http_send_str(&c, post_head), 0);
	assert_int_equal(http_send_str(&c, "Transfer-Encoding: chunked\r\n\r\n"), 0);
	/* 64 MiB would take a while to swallow; the server must hang up
	 * (with or without a 413) long before. */
	size_t sent = 0;
	while (sent < (64u << 20) && send_chunk(&c, 64 * 1024) == 0)
		sent += 64 * 1024;
	it_note("server stopped reading after %zu KiB were sent", sent / 1024);
	assert_true(sent < (64u << 20));
	assert_true(http_wait_closed(&c, IT_TIMEOUT_MS));
	http_close(&c);
	assert_server_up(srv.port);
}

static void test_100k_cookie_header_is_431(void **state)
{
	size_t n = 100 * 1024;
	char *req = malloc(n + 256);
	assert_non_null(req);
	int h = snprintf(req, 256, "GET / HTTP/1.1\r\nHost: x\r\nCookie: big=");
	memset(req + h, 'x', n);
	memcpy(req + h + n, "\r\n\r\n", 4);
	http_conn c;
	struct http_resp r;
	int rc = raw_exchange(req, (size_t)h + n + 4, &r, &c);
	free(req);
	assert_int_equal(rc, 0);
	it_note("100 KiB cookie: %d %s", r.status, r.reason);
	assert_int_equal(r.status, 431);
	http_resp_free(&r);
	assert_true(http_wait_closed(&c, IT_TIMEOUT_MS));
	http_close(&c);
	assert_server_up(srv.port);
}

/* ---- security headers ---- */

static void test_security_headers_on_every_response(void **state)
{
	static const struct {
		const char *method, *path, *headers, *body;
		int status;
	} cases[] = {
		{"GET", "/", NULL, NULL, 200},
		{"GET", "/healthz", NULL, NULL, 200},
		{"GET", "/static/portal.css", NULL, NULL, 200},
		{"GET", "/favicon.ico", NULL, NULL, 200},
		{"GET", "/gop-y", NULL, NULL, 200},
		{"HEAD", "/", NULL, NULL, 200},
		{"GET", "/khong-co", NULL, NULL, 404},
		{"GET", "/api/v1/khong-co", NULL, NULL, 404},
		{"POST", "/healthz", NULL, "", 405},
		{"POST", "/gop-y", "Content-Type: application/x-www-form-urlencoded\r\n", "a=b",
		 403},
		{"POST", "/gop-y", "Content-Type: text/plain\r\nCookie: csrf=" TOKEN "\r\n", "a=b",
		 415},
		{"POST", "/gop-y", NULL, NULL, 0}, /* 413: body announced, not sent */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_resp r;
		int rc;
		if (cases[i].status == 0) {
			http_conn c;
			char req[256];
			snprintf(req, sizeof(req), "%sContent-Length: 999999\r\n\r\n", post_head);
			rc = raw_exchange(req, strlen(req), &r, &c);
			http_close(&c);
		} else {
			rc = http_fetch(srv.port, cases[i].method, cases[i].path, cases[i].headers,
					cases[i].body, cases[i].body ? strlen(cases[i].body) : 0,
					&r);
		}
		assert_int_equal(rc, 0);
		if (cases[i].status)
			assert_int_equal(r.status, cases[i].status);
		const char *why = it_security_problem(&r);
		if (why)
			fail_msg("%s %s (%d): %s", cases[i].method, cases[i].path, r.status, why);
		http_resp_free(&r);
	}
}

/* ---- slow clients ---- */

static void test_stalled_client_is_closed_and_others_served(void **state)
{
	http_conn slow;
	assert_int_equal(http_connect(&slow, srv.port), 0);
	assert_int_equal(http_send_str(&slow, "GET /heal"), 0);
	/* While it stalls, others are served on connections of their own. */
	for (int i = 0; i < 5; i++)
		assert_server_up(srv.port);
	/* connection_timeout = 2: it goes well before our 10 s deadline,
	 * and without a response. */
	assert_true(http_wait_closed(&slow, 10000));
	http_close(&slow);
	assert_server_up(srv.port);
}

/* ---- /metrics ---- */

static double metric_or_zero(const char *text, const char *series)
{
	double v;
	return it_metric(text, series, &v) ? v : 0;
}

static void get_metrics(http_conn *c, struct http_resp *r)
{
	assert_response(http_get(c, "/metrics", NULL, r), r, 200);
	assert_non_null(strstr(http_resp_header(r, "Content-Type"), "text/plain; version=0.0.4"));
}

/* Every line is a comment or "name{labels} number". */
static void assert_prometheus_text(const char *text)
{
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		assert_non_null(nl);
		if (*line != '#') {
			const char *sp = memchr(line, ' ', (size_t)(nl - line));
			if (!sp)
				fail_msg("metrics line without a value: %.*s", (int)(nl - line),
					 line);
			char *end;
			strtod(sp + 1, &end);
			if (end != nl)
				fail_msg("metrics line with a bad value: %.*s", (int)(nl - line),
					 line);
		}
		line = nl + 1;
	}
}

static void test_metrics_count_requests_by_route_and_status(void **state)
{
	static const char ok_series[] =
		"motcua_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}";
	static const char nf_series[] =
		"motcua_http_requests_total{method=\"\",route=\"unmatched\",status=\"404\"}";
	http_conn c;
	struct http_resp r;
	/* One connection: each request completes before the next is read,
	 * so the counts are exact. */
	assert_int_equal(http_connect(&c, srv.port), 0);
	get_metrics(&c, &r);
	double ok0 = metric_or_zero(r.body, ok_series), nf0 = metric_or_zero(r.body, nf_series);
	http_resp_free(&r);
	for (int i = 0; i < 5; i++) {
		assert_response(http_get(&c, "/healthz", NULL, &r), &r, 200);
		http_resp_free(&r);
	}
	for (int i = 0; i < 3; i++) {
		assert_response(http_get(&c, "/khong-co-metrics", NULL, &r), &r, 404);
		http_resp_free(&r);
	}
	get_metrics(&c, &r);
	const char *m = r.body;
	assert_prometheus_text(m);
	double v;
	assert_true(it_metric(m, ok_series, &v));
	assert_int_equal((int)(v - ok0), 5);
	assert_true(it_metric(m, nf_series, &v));
	assert_int_equal((int)(v - nf0), 3);

	/* The latency histogram of /healthz. */
	assert_non_null(strstr(m, "# TYPE motcua_http_request_duration_seconds histogram"));
	double inf, count, first;
	assert_true(it_metric(m,
			      "motcua_http_request_duration_seconds_bucket{method=\"GET\","
			      "route=\"/healthz\",le=\"+Inf\"}",
			      &inf));
	assert_true(it_metric(m,
			      "motcua_http_request_duration_seconds_count{method=\"GET\","
			      "route=\"/healthz\"}",
			      &count));
	assert_true(it_metric(m,
			      "motcua_http_request_duration_seconds_bucket{method=\"GET\","
			      "route=\"/healthz\",le=\"0.0005\"}",
			      &first));
	assert_true(it_metric(m,
			      "motcua_http_request_duration_seconds_sum{method=\"GET\","
			      "route=\"/healthz\"}",
			      &v));
	assert_true(inf >= 5 && inf == count && first <= inf);

	/* Gauges: this very request is in flight. */
	assert_true(it_metric(m, "motcua_http_in_flight", &v));
	assert_true(v >= 1);
	assert_true(it_metric(m, "motcua_db_writer_queue_depth", &v));
	assert_true(v >= 0);
	/* The group-commit batch histogram. */
	assert_non_null(strstr(m, "# TYPE motcua_db_commit_batch_size histogram"));
	assert_true(it_metric(m, "motcua_db_commit_batch_size_bucket{le=\"+Inf\"}", &inf));
	assert_true(it_metric(m, "motcua_db_commit_batch_size_count", &count));
	assert_true(it_metric(m, "motcua_db_commit_batch_size_sum", &v));
	assert_true(inf == count);
	http_resp_free(&r);
	http_close(&c);
}

/* ---- access log ---- */

static bool is_iso_time(const char *s)
{
	/* 2026-11-28T03:24:45.740Z */
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return false;
	return true;
}

static void test_access_log_is_one_json_line_per_request(void **state)
{
	char paths[3][64];
	size_t sizes[3];
	int statuses[3];
	snprintf(paths[0], sizeof(paths[0]), "/it-log-%d-a", (int)getpid());
	snprintf(paths[1], sizeof(paths[1]), "/gop-y/GY-000000-IT%d", (int)getpid());
	snprintf(paths[2], sizeof(paths[2]), "/static/it-log-%d.css", (int)getpid());
	for (int i = 0; i < 3; i++) {
		struct http_resp r;
		assert_int_equal(http_fetch(srv.port, "GET", paths[i], NULL, NULL, 0, &r), 0);
		sizes[i] = r.body_len;
		statuses[i] = r.status;
		http_resp_free(&r);
	}
	/* Written when each request completes: wait for the last one. */
	assert_true(it_wait_file_contains(srv.out_path, paths[2], IT_TIMEOUT_MS));
	char *log = it_server_stdout(&srv);
	int seen[3] = {0, 0, 0}, lines = 0;
	static const char *const routes[3] = {NULL, "/gop-y/{ref}", "/static/*"};
	for (char *line = log, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl); /* every line is complete */
		*nl = '\0';
		json_error_t jerr;
		json_t *o = json_loads(line, 0, &jerr);
		if (!o)
			fail_msg("access log line is not JSON: %s", line);
		lines++;
		const char *time = json_string_value(json_object_get(o, "time"));
		const char *method = json_string_value(json_object_get(o, "method"));
		const char *path = json_string_value(json_object_get(o, "path"));
		json_t *route = json_object_get(o, "route");
		assert_true(time && is_iso_time(time));
		assert_true(method && *method);
		assert_non_null(path);
		assert_true(json_is_string(route) || json_is_null(route));
		assert_true(json_is_integer(json_object_get(o, "status")));
		assert_true(json_is_integer(json_object_get(o, "bytes")));
		assert_true(json_is_integer(json_object_get(o, "us")));
		assert_true(json_integer_value(json_object_get(o, "us")) >= 0);
		for (int i = 0; i < 3; i++) {
			if (strcmp(path, paths[i]) != 0)
				continue;
			seen[i]++;
			assert_string_equal(method, "GET");
			if (routes[i])
				assert_string_equal(json_string_value(route), routes[i]);
			else
				assert_true(json_is_null(route));
			assert_int_equal(json_integer_value(json_object_get(o, "status")),
					 statuses[i]);
			assert_int_equal(json_integer_value(json_object_get(o, "bytes")), sizes[i]);
		}
		json_decref(o);
	}
	free(log);
	for (int i = 0; i < 3; i++)
		assert_int_equal(seen[i], 1);
	assert_true(lines >= 3);
}

/* ---- graceful shutdown (a server of its own) ---- */

static struct it_server stopping;

static int stopping_setup(void **state)
{
	return it_server_start(&stopping, NULL) == 0 ? 0 : -1;
}

static int stopping_teardown(void **state)
{
	it_server_free(&stopping);
	return 0;
}

static int in_flight(unsigned short port)
{
	struct http_resp r;
	double v = -1;
	if (http_fetch(port, "GET", "/metrics", NULL, NULL, 0, &r) == 0) {
		if (!it_metric(r.body, "motcua_http_in_flight", &v))
			v = -1;
		http_resp_free(&r);
	}
	return (int)v;
}

static void test_sigterm_finishes_request_in_flight_then_exits_0(void **state)
{
	static const char token[] = TOKEN;
	char form[512];
	snprintf(form, sizeof(form),
		 "csrf=%s&name=Tr%%E1%%BA%%A7n+V%%C4%%83n+An&contact=0912345678"
		 "&subject=D%%E1%%BB%%ABng+m%%C3%%A1y+ch%%E1%%BB%%A7&body=G%%E1%%BB%%ADi+"
		 "tr%%C6%%B0%%E1%%BB%%9Bc+khi+m%%C3%%A1y+ch%%E1%%BB%%A7+d%%E1%%BB%%ABng",
		 token);
	char head[512];
	snprintf(head, sizeof(head),
		 "POST /gop-y HTTP/1.1\r\nHost: x\r\nCookie: csrf=%s\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n",
		 token, strlen(form));
	http_conn c;
	assert_int_equal(http_connect(&c, stopping.port), 0);
	assert_int_equal(http_send_str(&c, head), 0);
	assert_int_equal(http_send(&c, form, 20), 0);
	/* Wait until the server has begun the request (it and the /metrics
	 * request itself are in flight). */
	int n = 0;
	for (int i = 0; i < 400 && (n = in_flight(stopping.port)) < 2; i++)
		usleep(25000);
	assert_true(n >= 2);

	assert_int_equal(kill(stopping.pid, SIGTERM), 0);
	assert_true(it_wait_file_contains(stopping.err_path, "SIGTERM received", IT_TIMEOUT_MS));
	/* New connections are refused while the request is finishing. */
	bool refused = false;
	for (int i = 0; i < 400 && !refused; i++) {
		http_conn probe;
		if (http_connect(&probe, stopping.port) < 0)
			refused = errno == ECONNREFUSED;
		else
			http_close(&probe);
		if (!refused)
			usleep(25000);
	}
	assert_true(refused);

	/* The request in flight still gets its whole response. */
	struct http_resp r;
	assert_int_equal(http_send(&c, form + 20, strlen(form) - 20), 0);
	assert_response(http_read(&c, &r, IT_TIMEOUT_MS), &r, 303);
	const char *loc = http_resp_header(&r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/gop-y/GY-", 10), 0);
	assert_int_equal(r.body_len, strlen(loc));
	char ref[64];
	snprintf(ref, sizeof(ref), "%s", loc + 7);
	http_resp_free(&r);
	http_close(&c);

	int st = it_server_wait(&stopping, IT_START_MS);
	if (st != 0)
		it_server_dump_log(&stopping);
	assert_int_equal(st, 0);
	assert_true(it_wait_file_contains(stopping.err_path, "stopped", 1000));

	/* What it answered was stored before it stopped. */
	assert_int_equal(
		it_db_count(stopping.db_path, "SELECT count(*) FROM feedback WHERE ref = $1", ref),
		1);
}

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keepalive_120_requests_on_one_socket),
		cmocka_unit_test(test_unknown_page_is_404_html),
		cmocka_unit_test(test_unknown_api_path_is_404_json),
		cmocka_unit_test(test_post_to_get_only_route_is_405_with_allow),
		cmocka_unit_test(test_api_405_is_json_with_allow),
		cmocka_unit_test(test_malformed_request_line_is_400),
		cmocka_unit_test(test_header_line_without_colon_is_400),
		cmocka_unit_test(test_bad_content_length_is_400),
		cmocka_unit_test(test_garbage_gets_4xx_or_close),
		cmocka_unit_test(test_conflicting_content_lengths_are_400),
		cmocka_unit_test(test_content_length_with_chunked_is_400),
		cmocka_unit_test(test_announced_body_over_limit_is_413_before_body),
		cmocka_unit_test(test_expect_continue_over_limit_is_413_not_100),
		cmocka_unit_test(test_chunked_body_growing_past_limit_is_413),
		cmocka_unit_test(test_endless_chunked_body_is_cut_off),
		cmocka_unit_test(test_100k_cookie_header_is_431),
		cmocka_unit_test(test_security_headers_on_every_response),
		cmocka_unit_test(test_stalled_client_is_closed_and_others_served),
		cmocka_unit_test(test_metrics_count_requests_by_route_and_status),
		cmocka_unit_test(test_access_log_is_one_json_line_per_request),
		cmocka_unit_test_setup_teardown(
			test_sigterm_finishes_request_in_flight_then_exits_0, stopping_setup,
			stopping_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
