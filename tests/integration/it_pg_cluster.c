/*
 * it_pg_cluster.c - several motcua nodes on one PostgreSQL database behind a
 * real nginx, and PostgreSQL restarting under load.
 *
 * Runs only in the PostgreSQL pass of scripts/test.sh (the it_pg_ prefix):
 * a single SQLite file is not a multi-node deployment. Proves that nodes
 * share what matters (a form's CSRF cookie from one node works on the other;
 * a write through one is read through the other; nginx spreads requests and
 * hundreds of concurrent writes through both land once each; a citizen signs
 * in through one node and acts through the other; a file uploaded through
 * one is downloaded through the other; 500 concurrent submissions through
 * both get unique, gapless dossier codes), and that when
 * PostgreSQL is killed motcua answers 503 with Retry-After, recovers by
 * itself when it returns, and has lost nothing it acknowledged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
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

/* How many of s's access-log lines contain needle, once there are at
 * least want of them or after 5 s: the log's thread writes its lines up
 * to 100 ms after each request. */
static int logged(const struct it_server *s, const char *needle, int want)
{
	int n = 0;
	for (int i = 0; i < 200; i++) {
		char *log = it_server_stdout(s);
		n = it_count(log, needle);
		free(log);
		if (n >= want)
			break;
		struct timespec ts = {0, 25 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return n;
}

/* ---- the citizen's path across nodes ---- */

/* A procedure filed online with one required document, carried out by the
 * demo's Sở Tư pháp (which has an identifier code, so it can number
 * dossiers). */
#define TEST_PROC "9.990101"
static const char test_procedure[] =
	"{\"code\":\"" TEST_PROC "\",\"name\":\"Đăng ký thử nghiệm nhiều máy\","
	"\"field\":\"Thử nghiệm\",\"levels\":[\"province\"],\"service_level\":\"toan-trinh\","
	"\"methods\":[{\"channel\":\"online\",\"time_value\":\"3\",\"time_unit\":"
	"\"working_days\"}],\"documents\":[{\"name\":\"Tờ khai\",\"originals\":1,"
	"\"copies\":0}]}\n";

static int import_test_procedure(void)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/test.jsonl", a.root);
	if (it_write_file(path, test_procedure, false) < 0)
		return -1;
	const char *argv[] = {it_bin(), "import", "procedures", path, "--data", a.data, NULL};
	const char *env[] = {a.db_env, NULL};
	struct it_cmd cmd;
	if (it_run(&cmd, argv, env, IT_START_MS) != 0 || cmd.status != 0) {
		fprintf(stderr, "import failed: %s\n", cmd.err ? cmd.err : "");
		return -1;
	}
	it_cmd_free(&cmd);
	return it_db_exec(a.db_path, "INSERT INTO procedure_agency (procedure_code, agency_code)"
				     " VALUES ('" TEST_PROC "', 'so-tu-phap')");
}

/* The first demo citizen of demo-accounts.tsv (login, password). */
static char citizen_login[64], citizen_password[64];

static int demo_citizen(void)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/demo-accounts.tsv", a.data);
	char *text = it_read_file(path, NULL);
	if (!text)
		return -1;
	int rc = -1;
	for (char *line = text; line && *line && rc < 0;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char login[64], password[64], role[32];
		if (sscanf(line, "%63[^\t]\t%63[^\t]\t%31[^\t]", login, password, role) == 3 &&
		    strcmp(role, "citizen") == 0) {
			snprintf(citizen_login, sizeof(citizen_login), "%s", login);
			snprintf(citizen_password, sizeof(citizen_password), "%s", password);
			rc = 0;
		}
		line = next;
	}
	free(text);
	return rc;
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
	if (import_test_procedure() < 0 || demo_citizen() < 0)
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
	int na = logged(&a, "\"route\":\"/healthz\"", 10),
	    nb = logged(&b, "\"route\":\"/healthz\"", 10);
	it_note("healthz answered by node a %d times, node b %d times", na, nb);
	assert_true(na >= 10 && nb >= 10);
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

/* A bearer token for the demo citizen, asked of node port. */
static char *api_token(unsigned short port)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", citizen_login,
		 citizen_password);
	struct http_resp r;
	assert_int_equal(http_fetch(port, "POST", "/api/v1/tokens",
				    "Content-Type: application/json\r\n", body, strlen(body), &r),
			 0);
	if (r.status != 201)
		it_note("tokens: %d %s", r.status, r.body);
	assert_int_equal(r.status, 201);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	char *token = strdup(json_string_value(json_object_get(j, "token")));
	json_decref(j);
	http_resp_free(&r);
	return token;
}

/* The value of the hidden csrf field of a page (malloc'd). */
static char *hidden_csrf(const char *body)
{
	const char *p = strstr(body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	return strndup(p, strcspn(p, "\""));
}

static void test_sign_in_through_one_node_act_through_the_other(void **state)
{
	/* API: a token from node a works on node b. */
	char *token = api_token(a.port);
	char auth[160];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", token);
	struct http_resp r;
	assert_int_equal(http_fetch(b.port, "GET", "/api/v1/me", auth, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, citizen_login));
	http_resp_free(&r);

	/* Browser: the sign-in form from node a, the session used on node b. */
	assert_int_equal(http_fetch(a.port, "GET", "/dang-nhap", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	char *csrf = hidden_csrf(r.body);
	char *cookie = it_set_cookie(&r, "csrf");
	http_resp_free(&r);
	char headers[512], form[512];
	snprintf(headers, sizeof(headers),
		 "Cookie: csrf=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n",
		 cookie ? cookie : "");
	snprintf(form, sizeof(form), "csrf=%s&login=%s&password=%s&tiep=%%2Ftai-khoan", csrf,
		 citizen_login, citizen_password);
	assert_int_equal(http_fetch(a.port, "POST", "/dang-nhap", headers, form, strlen(form), &r),
			 0);
	assert_int_equal(r.status, 303);
	char *session = it_set_cookie(&r, "mc_session");
	assert_non_null(session);
	http_resp_free(&r);
	char scookie[256];
	snprintf(scookie, sizeof(scookie), "Cookie: mc_session=%s\r\n", session);
	assert_int_equal(http_fetch(b.port, "GET", "/tai-khoan", scookie, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	char *session_csrf = hidden_csrf(r.body);
	http_resp_free(&r);

	/* Signing out through node b ends the session on node a too. */
	snprintf(headers, sizeof(headers),
		 "Cookie: mc_session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n",
		 session);
	snprintf(form, sizeof(form), "csrf=%s", session_csrf);
	assert_int_equal(http_fetch(b.port, "POST", "/dang-xuat", headers, form, strlen(form), &r),
			 0);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	assert_int_equal(http_fetch(a.port, "GET", "/tai-khoan", scookie, NULL, 0, &r), 0);
	assert_int_equal(r.status, 303); /* to the sign-in page */
	http_resp_free(&r);
	free(session_csrf);
	free(session);
	free(cookie);
	free(csrf);
	free(token);
}

#define BOUNDARY "----motcuaClusterBoundary"

/* A small PDF: the server decides types by content. */
static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/* A multipart submission of TEST_PROC with one document whose bytes end
 * with tag (so files differ); *len gets the length (malloc'd). */
static char *submission(const char *tag, size_t *len)
{
	size_t cap = 8192;
	char *body = malloc(cap);
	assert_non_null(body);
	int n = snprintf(
		body, cap,
		"--" BOUNDARY
		"\r\nContent-Disposition: form-data; name=\"procedure\"\r\n\r\n" TEST_PROC
		"\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"agency\"\r\n\r\n"
		"so-tu-phap\r\n--" BOUNDARY
		"\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
		"Nguyễn Văn An\r\n--" BOUNDARY
		"\r\nContent-Disposition: form-data; name=\"id_number\"\r\n\r\n037090123456\r\n"
		"--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"birth_date\"\r\n\r\n"
		"05/09/1990\r\n--" BOUNDARY
		"\r\nContent-Disposition: form-data; name=\"phone\"\r\n\r\n"
		"0912345678\r\n--" BOUNDARY
		"\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n"
		"an@example.vn\r\n--" BOUNDARY
		"\r\nContent-Disposition: form-data; name=\"address\""
		"\r\n\r\nPhường Hoa Lư, Ninh Bình\r\n--" BOUNDARY
		"\r\nContent-Disposition: form-data;"
		" name=\"return_method\"\r\n\r\nonline\r\n--" BOUNDARY "\r\nContent-Disposition: "
		"form-data; name=\"doc_0\"; filename=\"to-khai.pdf\"\r\nContent-Type: "
		"application/pdf"
		"\r\n\r\n%s%% %s\n\r\n--" BOUNDARY "--\r\n",
		pdf_bytes, tag);
	assert_true(n > 0 && (size_t)n < cap);
	*len = (size_t)n;
	return body;
}

static const char multipart_ct[] = "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n";

/* Submits through port; returns the HTTP status, *code (malloc'd) on 201. */
static int submit(unsigned short port, const char *auth, const char *tag, char **code)
{
	size_t len;
	char *body = submission(tag, &len);
	char headers[512];
	snprintf(headers, sizeof(headers), "%s%s", auth, multipart_ct);
	struct http_resp r;
	int rc = http_fetch(port, "POST", "/api/v1/dossiers", headers, body, len, &r);
	free(body);
	if (rc != 0)
		return -1;
	int status = r.status;
	if (code)
		*code = NULL;
	if (status == 201 && code) {
		json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
		const char *c = j ? json_string_value(json_object_get(j, "code")) : NULL;
		*code = c ? strdup(c) : NULL;
		json_decref(j);
	} else if (status != 201) {
		it_note("submit: %d %s", status, r.body);
	}
	http_resp_free(&r);
	return status;
}

static void test_upload_through_one_download_through_the_other(void **state)
{
	char *token = api_token(a.port);
	char auth[160];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", token);
	char *code = NULL;
	assert_int_equal(submit(a.port, auth, "upload-a", &code), 201);
	assert_non_null(code);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	struct http_resp r;
	assert_int_equal(http_fetch(b.port, "GET", path, auth, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	json_t *file = json_array_get(json_object_get(j, "files"), 0);
	assert_non_null(file);
	snprintf(path, sizeof(path), "/ho-so/%s/tep/%s", code,
		 json_string_value(json_object_get(file, "id")));
	json_decref(j);
	http_resp_free(&r);
	assert_int_equal(http_fetch(b.port, "GET", path, auth, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	size_t want_len;
	char *want = submission("upload-a", &want_len);
	const char *start = strstr(want, "%PDF-1.4");
	size_t flen = (size_t)(strstr(start, "\r\n--" BOUNDARY "--") - start);
	assert_int_equal(r.body_len, flen);
	assert_memory_equal(r.body, start, flen);
	http_resp_free(&r);
	free(want);
	free(code);
	free(token);
}

#define CODE_THREADS 10
#define CODE_EACH    50 /* 500 in all */

struct coder {
	const char *auth;
	int index;
	int ok;
	char *codes[CODE_EACH];
};

static void *submit_through_nginx(void *arg)
{
	struct coder *c = arg;
	for (int i = 0; i < CODE_EACH; i++) {
		char tag[32];
		snprintf(tag, sizeof(tag), "c%d-%d", c->index, i);
		if (submit(nginx_port, c->auth, tag, &c->codes[i]) == 201 && c->codes[i])
			c->ok++;
	}
	return NULL;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void test_500_concurrent_codes_through_both_nodes_are_gapless(void **state)
{
	char *token = api_token(a.port);
	char auth[160];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", token);
	long long before = it_db_count(a.db_path,
				       "SELECT COUNT(*) FROM dossier WHERE agency_code = $1"
				       " AND code IS NOT NULL",
				       "so-tu-phap");
	static struct coder c[CODE_THREADS];
	pthread_t t[CODE_THREADS];
	for (int i = 0; i < CODE_THREADS; i++) {
		c[i] = (struct coder){.auth = auth, .index = i};
		assert_int_equal(pthread_create(&t[i], NULL, submit_through_nginx, &c[i]), 0);
	}
	char *all[CODE_THREADS * CODE_EACH];
	int n = 0;
	for (int i = 0; i < CODE_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].ok, CODE_EACH);
		for (int k = 0; k < CODE_EACH; k++)
			all[n++] = c[i].codes[k];
	}
	qsort(all, (size_t)n, sizeof(all[0]), cmp_str);
	/* Distinct, of one day, and with the earlier ones the numbers
	 * 1..before+500 with no gap. */
	for (int i = 1; i < n; i++)
		assert_true(strcmp(all[i - 1], all[i]) < 0);
	const char *day = strchr(all[0], '-');
	for (int i = 0; i < n; i++) {
		assert_memory_equal(strchr(all[i], '-'), day, 8);
		long seq = strtol(strrchr(all[i], '-') + 1, NULL, 10);
		assert_int_equal(seq, before + 1 + i);
	}
	assert_int_equal(it_db_count(a.db_path,
				     "SELECT MAX(last) FROM dossier_seq WHERE agency_code = $1",
				     "so-tu-phap"),
			 before + n);
	/* Both nodes took part. */
	assert_true(logged(&a, "\"path\":\"/api/v1/dossiers\"", 1) > 0);
	assert_true(logged(&b, "\"path\":\"/api/v1/dossiers\"", 1) > 0);
	for (int i = 0; i < n; i++)
		free(all[i]);
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
		cmocka_unit_test(test_sign_in_through_one_node_act_through_the_other),
		cmocka_unit_test(test_upload_through_one_download_through_the_other),
		cmocka_unit_test(test_500_concurrent_codes_through_both_nodes_are_gapless),
		cmocka_unit_test(test_postgres_restart_503_then_recovery_and_nothing_lost),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
