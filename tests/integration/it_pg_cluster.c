/*
 * it_pg_cluster.c - several motcua nodes on one PostgreSQL database behind a
 * real nginx, and PostgreSQL restarting under load.
 *
 * Runs only in the PostgreSQL pass of scripts/test.sh (the it_pg_ prefix):
 * a single SQLite file is not a multi-node deployment. Proves that nodes
 * share what matters (a form's CSRF cookie from one node works on the other;
 * a write through one is read through the other; nginx spreads requests and
 * hundreds of concurrent writes through both land once each), and that when
 * PostgreSQL is killed motcua answers 503 with Retry-After, recovers by
 * itself when it returns, and has lost nothing it acknowledged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct it_server a, b;
static pid_t nginx_pid;
static unsigned short nginx_port;
static char nginx_dir[PATH_MAX];

static int start_nginx(void)
{
	if (it_mkdtemp(nginx_dir) < 0)
		return -1;
	nginx_port = it_free_port();
	char conf[PATH_MAX + 32];
	static char text[PATH_MAX * 8 + 1024];
	snprintf(conf, sizeof(conf), "%s/nginx.conf", nginx_dir);
	snprintf(text, sizeof(text),
		 "worker_processes 1;\n"
		 "pid %s/nginx.pid;\n"
		 "error_log %s/error.log warn;\n"
		 "events { worker_connections 1024; }\n"
		 "http {\n"
		 "  access_log off;\n"
		 "  client_body_temp_path %s/body;\n"
		 "  proxy_temp_path %s/proxy;\n"
		 "  fastcgi_temp_path %s/fastcgi;\n"
		 "  uwsgi_temp_path %s/uwsgi;\n"
		 "  scgi_temp_path %s/scgi;\n"
		 "  upstream motcua { server 127.0.0.1:%u; server 127.0.0.1:%u; keepalive 32; }\n"
		 "  server {\n"
		 "    listen 127.0.0.1:%u;\n"
		 "    location / {\n"
		 "      proxy_pass http://motcua;\n"
		 "      proxy_http_version 1.1;\n"
		 "      proxy_set_header Connection \"\";\n"
		 "      proxy_set_header Host $host;\n"
		 "    }\n"
		 "  }\n"
		 "}\n",
		 nginx_dir, nginx_dir, nginx_dir, nginx_dir, nginx_dir, nginx_dir, nginx_dir,
		 a.port, b.port, nginx_port);
	if (it_write_file(conf, text, false) < 0)
		return -1;
	nginx_pid = fork();
	if (nginx_pid == 0) {
		execl("/usr/sbin/nginx", "nginx", "-c", conf, "-g", "daemon off;", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 400; i++) {
		struct http_resp r;
		if (http_fetch(nginx_port, "GET", "/healthz", NULL, NULL, 0, &r) == 0) {
			int st = r.status;
			http_resp_free(&r);
			if (st == 200)
				return 0;
		}
		struct timespec ts = {0, 25 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "nginx did not start\n");
	return -1;
}

static int group_setup(void **state)
{
	if (!it_db_is_postgres()) {
		fprintf(stderr, "it_pg_cluster needs MOTCUA_TEST_BACKEND=postgres\n");
		return -1;
	}
	if (it_server_start(&a, &(struct it_server_opts){.demo = true}) < 0)
		return -1;
	if (it_server_start(&b, &(struct it_server_opts){.database = a.db_path}) < 0)
		return -1;
	return start_nginx();
}

static int group_teardown(void **state)
{
	if (nginx_pid > 0) {
		kill(nginx_pid, SIGQUIT);
		waitpid(nginx_pid, NULL, 0);
	}
	it_rmtree(nginx_dir);
	it_server_free(&b);
	it_server_free(&a);
	return 0;
}

/* The CSRF token and cookie header of a fresh feedback form on port. */
static char *csrf_from(unsigned short port, char *cookie, size_t len)
{
	struct http_resp r;
	assert_int_equal(http_fetch(port, "GET", "/gop-y", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	char *token = it_set_cookie(&r, "csrf");
	assert_non_null(token);
	snprintf(cookie, len, "Cookie: csrf=%s\r\n", token);
	http_resp_free(&r);
	return token;
}

static char *feedback_form(const char *token, const char *name)
{
	char *n = it_urlencode(name);
	char *form = malloc(1024);
	assert_non_null(form);
	snprintf(form, 1024,
		 "csrf=%s&name=%s&contact=0912345678&subject=G%%C3%%B3p+%%C3%%BD+nhi%%E1%%BB%%81u+"
		 "n%%C3%%BAt"
		 "&body=M%%E1%%BB%%99t+c%%E1%%BB%%95ng+cho+c%%E1%%BA%%A3+t%%E1%%BB%%89nh",
		 token, n);
	free(n);
	return form;
}

/* POSTs a feedback form to port; returns the status, *ref (malloc'd) gets
 * the reference on 303. */
static int post_feedback(unsigned short port, const char *token, const char *cookie,
			 const char *name, char **ref)
{
	char *form = feedback_form(token, name);
	char headers[256];
	snprintf(headers, sizeof(headers), "%sContent-Type: application/x-www-form-urlencoded\r\n",
		 cookie);
	struct http_resp r;
	int rc = http_fetch(port, "POST", "/gop-y", headers, form, strlen(form), &r);
	free(form);
	if (rc != 0)
		return -1;
	int status = r.status;
	const char *loc = http_resp_header(&r, "Location");
	if (ref)
		*ref = status == 303 && loc && strrchr(loc, '/') ? strdup(strrchr(loc, '/') + 1)
								 : NULL;
	http_resp_free(&r);
	return status;
}

static void test_a_form_from_one_node_is_accepted_by_the_other(void **state)
{
	char cookie[256];
	char *token = csrf_from(a.port, cookie, sizeof(cookie));
	char *ref = NULL;
	assert_int_equal(post_feedback(b.port, token, cookie, "Trần Văn Nam", &ref), 303);
	assert_non_null(ref);
	/* Written through b, read through a and through nginx. */
	char path[128];
	snprintf(path, sizeof(path), "/gop-y/%s", ref);
	struct http_resp r;
	assert_int_equal(http_fetch(a.port, "GET", path, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, ref));
	http_resp_free(&r);
	assert_int_equal(http_fetch(nginx_port, "GET", path, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	free(ref);
	free(token);
}

static void test_nginx_spreads_requests_over_both_nodes(void **state)
{
	for (int i = 0; i < 40; i++) {
		struct http_resp r;
		assert_int_equal(http_fetch(nginx_port, "GET", "/healthz", NULL, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		http_resp_free(&r);
	}
	char *la = it_server_stdout(&a), *lb = it_server_stdout(&b);
	int na = it_count(la, "\"route\":\"/healthz\""),
	    nb = it_count(lb, "\"route\":\"/healthz\"");
	it_note("healthz answered by node a %d times, node b %d times", na, nb);
	assert_true(na >= 10 && nb >= 10);
	free(la);
	free(lb);
}

#define CONCURRENT 200

struct poster {
	const char *token, *cookie;
	int index, status;
	char *ref;
};

static void *post_through_nginx(void *arg)
{
	struct poster *p = arg;
	char name[64];
	snprintf(name, sizeof(name), "Người gửi %d", p->index);
	p->status = post_feedback(nginx_port, p->token, p->cookie, name, &p->ref);
	return NULL;
}

static void test_concurrent_writes_through_both_nodes_land_once(void **state)
{
	char cookie[256];
	char *token = csrf_from(nginx_port, cookie, sizeof(cookie));
	long long before = it_db_count(a.db_path, "SELECT COUNT(*) FROM feedback", NULL);
	static struct poster p[CONCURRENT];
	pthread_t t[CONCURRENT];
	for (int i = 0; i < CONCURRENT; i++) {
		p[i] = (struct poster){.token = token, .cookie = cookie, .index = i};
		assert_int_equal(pthread_create(&t[i], NULL, post_through_nginx, &p[i]), 0);
	}
	for (int i = 0; i < CONCURRENT; i++)
		pthread_join(t[i], NULL);
	int ok = 0;
	for (int i = 0; i < CONCURRENT; i++) {
		if (p[i].status == 303)
			ok++;
		else
			it_note("post %d answered %d", i, p[i].status);
		for (int k = 0; k < i; k++)
			if (p[i].ref && p[k].ref)
				assert_string_not_equal(p[i].ref, p[k].ref);
	}
	assert_int_equal(ok, CONCURRENT);
	for (int i = 0; i < CONCURRENT; i++) {
		assert_int_equal(it_db_count(a.db_path,
					     "SELECT COUNT(*) FROM feedback WHERE ref = $1",
					     p[i].ref),
				 1);
		free(p[i].ref);
	}
	assert_int_equal(it_db_count(a.db_path, "SELECT COUNT(*) FROM feedback", NULL),
			 before + CONCURRENT);
	free(token);
}

/* ---- PostgreSQL killed under load ---- */

static int pg_cluster(const char *what)
{
	const char *dir = getenv("MOTCUA_TEST_PG_DIR");
	if (!dir)
		return -1;
	char port[16] = "";
	if (strcmp(what, "start") == 0) {
		char path[PATH_MAX + 8];
		snprintf(path, sizeof(path), "%s/port", dir);
		char *p = it_read_file(path, NULL);
		if (!p)
			return -1;
		snprintf(port, sizeof(port), "%.*s", (int)strcspn(p, "\n"), p);
		free(p);
	}
	const char *argv[] = {"scripts/pg-cluster.sh", what, dir, port[0] ? port : NULL, NULL};
	struct it_cmd r;
	if (it_run(&r, argv, NULL, 360000) < 0)
		return -1;
	int st = r.status;
	if (st != 0)
		it_note("pg-cluster %s: %s%s", what, r.out, r.err);
	it_cmd_free(&r);
	return st;
}

#define MAX_ACKED 100000

static struct {
	pthread_mutex_t mu;
	char *acked[MAX_ACKED];
	int nacked, n503, nother;
	bool retry_after_ok;
	volatile bool stop;
	const char *token, *cookie;
} load = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void *keep_writing(void *arg)
{
	int i = 0;
	while (!load.stop) {
		char name[64];
		snprintf(name, sizeof(name), "Tải liên tục %d", i++);
		char *form = feedback_form(load.token, name);
		char headers[256];
		snprintf(headers, sizeof(headers),
			 "%sContent-Type: application/x-www-form-urlencoded\r\n", load.cookie);
		struct http_resp r;
		int rc = http_fetch(a.port, "POST", "/gop-y", headers, form, strlen(form), &r);
		free(form);
		pthread_mutex_lock(&load.mu);
		if (rc == 0 && r.status == 303 && load.nacked < MAX_ACKED) {
			const char *loc = http_resp_header(&r, "Location");
			load.acked[load.nacked++] = strdup(strrchr(loc, '/') + 1);
		} else if (rc == 0 && r.status == 503) {
			load.n503++;
			load.retry_after_ok |= http_resp_header(&r, "Retry-After") != NULL;
		} else {
			load.nother++;
		}
		pthread_mutex_unlock(&load.mu);
		if (rc == 0)
			http_resp_free(&r);
	}
	return NULL;
}

static int count_of(int *field)
{
	pthread_mutex_lock(&load.mu);
	int v = *field;
	pthread_mutex_unlock(&load.mu);
	return v;
}

static bool wait_until(int *field, int at_least, int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 20) {
		if (count_of(field) >= at_least)
			return true;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return false;
}

static void test_postgres_restart_503_then_recovery_and_nothing_lost(void **state)
{
	char cookie[256];
	char *token = csrf_from(a.port, cookie, sizeof(cookie));
	load.token = token;
	load.cookie = cookie;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, keep_writing, NULL), 0);
	/* A checkpoint first, so the restart replays only this test's WAL and
	 * not everything the suite wrote before (minutes on a slow disk). */
	assert_int_equal(it_db_exec(getenv("MOTCUA_TEST_PG"), "CHECKPOINT"), 0);
	assert_true(wait_until(&load.nacked, 20, IT_TIMEOUT_MS));
	assert_int_equal(pg_cluster("kill"), 0);
	bool saw_503 = wait_until(&load.n503, 5, IT_TIMEOUT_MS);
	int acked_before_restart = count_of(&load.nacked);
	assert_int_equal(pg_cluster("start"), 0);
	bool recovered = wait_until(&load.nacked, acked_before_restart + 20, IT_START_MS);
	load.stop = true;
	pthread_join(t, NULL);
	it_note("acknowledged %d writes, %d answered 503, %d other answers", load.nacked, load.n503,
		load.nother);
	assert_true(saw_503);
	assert_true(load.retry_after_ok);
	assert_true(recovered);
	/* Every write that was acknowledged is in the database. */
	for (int i = 0; i < load.nacked; i++) {
		assert_int_equal(it_db_count(a.db_path,
					     "SELECT COUNT(*) FROM feedback WHERE ref = $1",
					     load.acked[i]),
				 1);
		free(load.acked[i]);
	}
	/* The other node recovers too. */
	struct http_resp r;
	assert_int_equal(http_fetch(b.port, "GET", "/api/v1/fields", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	free(token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_form_from_one_node_is_accepted_by_the_other),
		cmocka_unit_test(test_nginx_spreads_requests_over_both_nodes),
		cmocka_unit_test(test_concurrent_writes_through_both_nodes_land_once),
		cmocka_unit_test(test_postgres_restart_503_then_recovery_and_nothing_lost),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
