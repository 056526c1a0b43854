/*
 * harness.c - temporary data directories, the motcua child process, and a
 * minimal HTTP/1.1 client for the integration tests (see harness.h).
 *
 * It must stay dumb: it parses what the server sends without forgiving
 * anything a browser would not forgive, and it never retries or reconnects
 * on its own, so a test sees exactly what happened on the wire.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "testdb.h"

extern char **environ;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void it_note(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# %s\n", line);
	fflush(stdout);
}

/* ---- files and commands ---- */

const char *it_bin(void)
{
	const char *b = getenv("MOTCUA_BIN");
	if (!b || !*b) {
		fprintf(stderr, "MOTCUA_BIN is not set: run the integration tests through "
				"scripts/test.sh, or set it to the motcua binary\n");
		exit(2);
	}
	return b;
}

int it_mkdtemp(char *out)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(out, PATH_MAX, "%s/motcua-it.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(out) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int it_rmtree(const char *path)
{
	if (!path || !*path)
		return -1;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_bytes(const char *path, const void *p, size_t n, const char *mode)
{
	FILE *f = fopen(path, mode);
	if (!f)
		return -1;
	int rc = fwrite(p, 1, n, f) == n ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int it_write_file(const char *path, const char *text, bool append)
{
	return write_bytes(path, text, strlen(text), append ? "a" : "w");
}

char *it_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *p = xmalloc(cap);
	size_t got;
	while ((got = fread(p + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			cap *= 2;
			p = realloc(p, cap);
			if (!p)
				abort();
		}
	}
	fclose(f);
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

bool it_wait_file_contains(const char *path, const char *needle, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		char *s = it_read_file(path, NULL);
		bool found = s && strstr(s, needle);
		free(s);
		if (found)
			return true;
		if (now_ms() > deadline)
			return false;
		sleep_ms(20);
	}
}

/* The environment for children: ours without MOTCUA_*, plus extra. */
static char **child_env(const char *const extra[])
{
	size_t n = 0, m = 0;
	for (char **e = environ; *e; e++)
		n++;
	for (const char *const *e = extra; e && *e; e++)
		m++;
	char **env = xmalloc((n + m + 1) * sizeof(*env));
	size_t k = 0;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "MOTCUA_", 7) != 0)
			env[k++] = *e;
	for (const char *const *e = extra; e && *e; e++)
		env[k++] = (char *)(uintptr_t)*e;
	env[k] = NULL;
	return env;
}

/* Starts argv with stdout and stderr sent to files; 0 or -1. */
static int spawn(pid_t *pid, const char *const argv[], const char *const env[], const char *out,
		 const char *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char **envp = child_env(env);
	int rc = posix_spawn(pid, argv[0], &fa, NULL, (char *const *)(uintptr_t)argv, envp);
	free(envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "cannot start %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	return 0;
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Waits for pid; its status, or -1 (pid still running) after timeout_ms. */
static int wait_pid(pid_t pid, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			return decode_status(st);
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() > deadline)
			return -1;
		sleep_ms(10);
	}
}

int it_run(struct it_cmd *r, const char *const argv[], const char *const env[], int timeout_ms)
{
	memset(r, 0, sizeof(*r));
	char dir[PATH_MAX], out[PATH_MAX + 8], err[PATH_MAX + 8];
	if (it_mkdtemp(dir) < 0)
		return -1;
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	pid_t pid;
	if (spawn(&pid, argv, env, out, err) < 0) {
		it_rmtree(dir);
		return -1;
	}
	r->status = wait_pid(pid, timeout_ms);
	if (r->status < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		r->status = -1;
	}
	r->out = it_read_file(out, NULL);
	r->err = it_read_file(err, NULL);
	if (!r->out)
		r->out = xstrndup("", 0);
	if (!r->err)
		r->err = xstrndup("", 0);
	it_rmtree(dir);
	return 0;
}

void it_cmd_free(struct it_cmd *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

unsigned short it_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 0;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	unsigned short port = 0;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* ---- the server ---- */

char *it_server_stdout(const struct it_server *s)
{
	char *p = it_read_file(s->out_path, NULL);
	return p ? p : xstrndup("", 0);
}

char *it_server_stderr(const struct it_server *s)
{
	char *p = it_read_file(s->err_path, NULL);
	return p ? p : xstrndup("", 0);
}

static int row_sqlite(const char *path, const char *sql, const char *arg, char **cols, int ncols)
{
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	int rc = -1;
	/* The server under test may be writing: wait for its lock. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, IT_TIMEOUT_MS) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(q);
	if (step == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
	if (step != SQLITE_ROW || sqlite3_column_count(q) < ncols) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	for (int i = 0; i < ncols; i++) {
		const char *v = (const char *)sqlite3_column_text(q, i);
		cols[i] = v ? xstrndup(v, strlen(v)) : NULL;
	}
	rc = 1;
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}

static int row_pg(const char *url, const char *sql, const char *arg, char **cols, int ncols)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r = NULL;
	int rc = -1;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "%s", PQerrorMessage(c));
		goto out;
	}
	const char *params[1] = {arg};
	r = PQexecParams(c, sql, arg ? 1 : 0, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQnfields(r) < ncols) {
		fprintf(stderr, "%s", PQresultErrorMessage(r));
		goto out;
	}
	rc = PQntuples(r) > 0;
	for (int i = 0; rc && i < ncols; i++)
		cols[i] = PQgetisnull(r, 0, i)
				  ? NULL
				  : xstrndup(PQgetvalue(r, 0, i), (size_t)PQgetlength(r, 0, i));
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

int it_db_exec(const char *target, const char *sql)
{
	int rc = -1;
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0) {
		PGconn *c = PQconnectdb(target);
		PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
		if (r && PQresultStatus(r) == PGRES_COMMAND_OK)
			rc = 0;
		else
			fprintf(stderr, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return rc;
	}
	sqlite3 *db;
	char *msg = NULL;
	if (sqlite3_open_v2(target, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_busy_timeout(db, IT_TIMEOUT_MS) == SQLITE_OK &&
	    sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		rc = 0;
	else
		fprintf(stderr, "%s: %s\n", target, msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc;
}

int it_db_row(const char *target, const char *sql, const char *arg, char **cols, int ncols)
{
	for (int i = 0; i < ncols; i++)
		cols[i] = NULL;
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
		return row_pg(target, sql, arg, cols, ncols);
	return row_sqlite(target, sql, arg, cols, ncols);
}

long long it_db_count(const char *target, const char *sql, const char *arg)
{
	char *v;
	if (it_db_row(target, sql, arg, &v, 1) != 1 || !v) {
		free(v);
		return -1;
	}
	long long n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

void it_server_dump_log(const struct it_server *s)
{
	char *log = it_server_stderr(s);
	/* The last 30 lines are enough to see why it failed. */
	char *start = log + strlen(log);
	for (int lines = 0; start > log && lines <= 30; start--)
		if (start[-1] == '\n')
			lines++;
	it_note("server log (%s):", s->err_path);
	for (char *line = start; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		if (n)
			it_note("  %.*s", (int)n, line);
		line += n + (nl ? 1 : 0);
	}
	free(log);
}

static bool healthy(unsigned short port)
{
	struct http_resp r;
	http_conn c;
	if (http_connect(&c, port) < 0)
		return false;
	bool ok = http_get(&c, "/healthz", NULL, &r) == 0 && r.status == 200;
	if (ok)
		http_resp_free(&r);
	http_close(&c);
	return ok;
}

bool it_db_is_postgres(void)
{
	return testdb_is_postgres();
}

int it_db_new(const char *dir, char *target, size_t len)
{
	return testdb_new(dir, target, len);
}

/* The extra environment of the server's commands. */
static const char *const *server_env(const struct it_server *s, const char *env[2])
{
	env[0] = s->db_env[0] ? s->db_env : NULL;
	env[1] = NULL;
	return env;
}

static int init_dir(struct it_server *s, const struct it_server_opts *o)
{
	const char *env[2];
	char n[16];
	snprintf(n, sizeof(n), "%d", o->demo_dossiers);
	const char *argv[] = {it_bin(),
			      "init",
			      "--data",
			      s->data,
			      o->demo ? "--demo" : NULL,
			      o->demo_dossiers >= 0 ? "--demo-dossiers" : NULL,
			      n,
			      NULL};
	struct it_cmd r;
	/* The demo year takes ~10 s, minutes under ASan on PostgreSQL. */
	if (it_run(&r, argv, server_env(s, env), o->demo_dossiers ? 5 * IT_START_MS : IT_START_MS) <
	    0)
		return -1;
	it_write_file(s->init_out, r.out, false);
	int rc = r.status == 0 ? 0 : -1;
	if (rc < 0)
		fprintf(stderr, "motcua init failed (%d):\n%s%s", r.status, r.out, r.err);
	it_cmd_free(&r);
	if (rc == 0 && o->conf) {
		char conf[PATH_MAX + 32];
		snprintf(conf, sizeof(conf), "%s/motcua.conf", s->data);
		rc = it_write_file(conf, "\n# added by the integration test\n", true);
		if (rc == 0)
			rc = it_write_file(conf, o->conf, true);
	}
	return rc;
}

/* Starts 'serve' on s's data directory and a free port, and waits until
 * GET /healthz answers; 0, or -1 after printing why. */
static int serve(struct it_server *s)
{
	const char *env[2];
	/* The free port may be taken between our check and the server's
	 * bind: then the server exits at once, and we try another. */
	for (int attempt = 0; attempt < 5; attempt++) {
		char listen[32];
		s->port = it_free_port();
		snprintf(listen, sizeof(listen), "127.0.0.1:%u", s->port);
		const char *argv[] = {it_bin(),	  "serve", "--data", s->data,
				      "--listen", listen,  NULL};
		if (spawn(&s->pid, argv, server_env(s, env), s->out_path, s->err_path) < 0)
			return -1;
		int64_t deadline = now_ms() + IT_START_MS;
		while (now_ms() < deadline) {
			int st;
			if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
				s->pid = 0;
				break;
			}
			if (healthy(s->port)) {
				it_note("motcua serving on 127.0.0.1:%u, database %s", s->port,
					it_db_is_postgres() ? "postgres" : "sqlite");
				return 0;
			}
			sleep_ms(25);
		}
		if (s->pid) {
			fprintf(stderr, "motcua serve did not answer /healthz in time\n");
			it_server_dump_log(s);
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			s->pid = 0;
			return -1;
		}
		char *log = it_server_stderr(s);
		bool in_use = strstr(log, "cannot listen") != NULL;
		free(log);
		if (!in_use)
			break;
	}
	fprintf(stderr, "motcua serve exited at start-up\n");
	it_server_dump_log(s);
	return -1;
}

int it_server_start(struct it_server *s, const struct it_server_opts *o)
{
	static const struct it_server_opts none;
	if (!o)
		o = &none;
	memset(s, 0, sizeof(*s));
	if (it_mkdtemp(s->root) < 0) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(s->data, sizeof(s->data), "%s/data", s->root);
	snprintf(s->out_path, sizeof(s->out_path), "%s/stdout.log", s->root);
	snprintf(s->err_path, sizeof(s->err_path), "%s/stderr.log", s->root);
	snprintf(s->init_out, sizeof(s->init_out), "%s/init.out", s->root);
	if (o->database)
		snprintf(s->db_path, sizeof(s->db_path), "%s", o->database);
	else if (it_db_new(s->data, s->db_path, sizeof(s->db_path)) < 0)
		return -1;
	if (it_db_is_postgres())
		snprintf(s->db_env, sizeof(s->db_env), "MOTCUA_DATABASE=%s", s->db_path);
	if (init_dir(s, o) < 0)
		return -1;
	if (serve(s) < 0)
		return -1;
	for (int i = 0; o->sql && o->sql[i]; i++)
		if (it_db_exec(s->db_path, o->sql[i]) < 0) {
			it_server_free(s);
			return -1;
		}
	return 0;
}

int it_server_finish(struct it_server *s)
{
	int st = it_server_stop(s);
	if (st != 0)
		it_server_dump_log(s);
	it_server_free(s);
	return st == 0 ? 0 : -1;
}

int it_server_restart(struct it_server *s)
{
	if (s->pid || !s->root[0])
		return -1;
	return serve(s);
}

int it_server_wait(struct it_server *s, int timeout_ms)
{
	if (!s->pid)
		return -1;
	int st = wait_pid(s->pid, timeout_ms);
	if (st >= 0)
		s->pid = 0;
	return st;
}

int it_server_stop(struct it_server *s)
{
	if (!s->pid)
		return -1;
	kill(s->pid, SIGTERM);
	return it_server_wait(s, IT_START_MS);
}

void it_server_free(struct it_server *s)
{
	if (s->pid) {
		pid_t pid = s->pid;
		int st = it_server_stop(s);
		if (st != 0)
			it_note("server %d stopped with status %d", (int)pid, st);
		if (st < 0) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
		}
		s->pid = 0;
	}
	if (s->root[0] && !getenv("MOTCUA_IT_KEEP"))
		it_rmtree(s->root);
	s->root[0] = '\0';
}

/* ---- HTTP client ---- */

int http_connect_from(http_conn *c, const char *src, unsigned short port)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->port = port;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (src) {
		struct sockaddr_in b = {.sin_family = AF_INET, .sin_port = 0};
		if (inet_pton(AF_INET, src, &b.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&b, sizeof(b)) < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int rc;
	do
		rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	return 0;
}

int http_connect(http_conn *c, unsigned short port)
{
	return http_connect_from(c, NULL, port);
}

void http_close(http_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->in);
	c->in = NULL;
	c->len = c->cap = 0;
}

int http_send(http_conn *c, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int http_send_str(http_conn *c, const char *s)
{
	return http_send(c, s, strlen(s));
}

/* Reads more bytes into c->in; 1 when some came, 0 at EOF, HTTP_TIMEOUT, or
 * HTTP_ERR. */
static int fill(http_conn *c, int64_t deadline)
{
	if (c->eof)
		return 0;
	if (c->cap - c->len < 16384) {
		c->cap = c->cap ? c->cap * 2 : 65536;
		c->in = realloc(c->in, c->cap);
		if (!c->in)
			abort();
	}
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return HTTP_TIMEOUT;
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		int rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return HTTP_ERR;
		if (rc == 0)
			return HTTP_TIMEOUT;
		ssize_t n = recv(c->fd, c->in + c->len, c->cap - c->len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ECONNRESET) {
			c->eof = true;
			return 0;
		}
		if (n < 0)
			return HTTP_ERR;
		if (n == 0) {
			c->eof = true;
			return 0;
		}
		c->len += (size_t)n;
		c->in[c->len] = '\0';
		return 1;
	}
}

/* Drops the first n bytes of the input, keeping it NUL-terminated. */
static void consume(http_conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->len - n + 1);
	c->len -= n;
}

static char *find_crlf2(const http_conn *c)
{
	return c->len >= 4 ? memmem(c->in, c->len, "\r\n\r\n", 4) : NULL;
}

void http_resp_free(struct http_resp *r)
{
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->reason);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

const char *http_resp_header_n(const struct http_resp *r, const char *name, int n)
{
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0 && n-- == 0)
			return r->headers[i].value;
	return NULL;
}

const char *http_resp_header(const struct http_resp *r, const char *name)
{
	return http_resp_header_n(r, name, 0);
}

/* Parses the status line and headers in c->in[0..end). */
static int parse_head(const char *p, const char *end, struct http_resp *r)
{
	const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
	if (!eol)
		eol = end;
	if (eol - p < 12 || strncmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ' ||
	    !isdigit((unsigned char)p[9]) || !isdigit((unsigned char)p[10]) ||
	    !isdigit((unsigned char)p[11]))
		return HTTP_ERR;
	r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	const char *rs = p + 12;
	while (rs < eol && *rs == ' ')
		rs++;
	r->reason = xstrndup(rs, (size_t)(eol - rs));
	int cap = 0;
	for (p = eol + 2; p < end;) {
		eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!eol)
			eol = end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon)
			return HTTP_ERR;
		const char *v = colon + 1, *ve = eol;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (r->nheaders == cap) {
			cap = cap ? cap * 2 : 16;
			r->headers = realloc(r->headers, (size_t)cap * sizeof(*r->headers));
			if (!r->headers)
				abort();
		}
		r->headers[r->nheaders].name = xstrndup(p, (size_t)(colon - p));
		r->headers[r->nheaders].value = xstrndup(v, (size_t)(ve - v));
		r->nheaders++;
		p = eol + 2;
	}
	return 0;
}

/* Appends n bytes to the body being built. */
static void body_add(struct http_resp *r, const char *p, size_t n)
{
	r->body = realloc(r->body, r->body_len + n + 1);
	if (!r->body)
		abort();
	memcpy(r->body + r->body_len, p, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
}

/* Makes sure c->in holds at least n bytes; 0, or an HTTP_* error. */
static int need(http_conn *c, size_t n, int64_t deadline)
{
	while (c->len < n) {
		int rc = fill(c, deadline);
		if (rc == 0)
			return HTTP_ERR; /* closed mid-response */
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Makes sure c->in holds a CRLF; its offset in *at. */
static int need_line(http_conn *c, size_t *at, int64_t deadline)
{
	for (;;) {
		char *eol = c->len >= 2 ? memmem(c->in, c->len, "\r\n", 2) : NULL;
		if (eol) {
			*at = (size_t)(eol - c->in);
			return 0;
		}
		int rc = fill(c, deadline);
		if (rc == 0)
			return HTTP_ERR;
		if (rc < 0)
			return rc;
	}
}

static int read_chunked(http_conn *c, struct http_resp *r, int64_t deadline)
{
	for (;;) {
		size_t eol;
		int rc = need_line(c, &eol, deadline);
		if (rc < 0)
			return rc;
		char *end;
		unsigned long long size = strtoull(c->in, &end, 16);
		if (end == c->in)
			return HTTP_ERR;
		consume(c, eol + 2);
		if (size == 0)
			break;
		if ((rc = need(c, (size_t)size + 2, deadline)) < 0)
			return rc;
		body_add(r, c->in, (size_t)size);
		if (memcmp(c->in + size, "\r\n", 2) != 0)
			return HTTP_ERR;
		consume(c, (size_t)size + 2);
	}
	for (;;) { /* trailers, up to the empty line */
		size_t eol;
		int rc = need_line(c, &eol, deadline);
		if (rc < 0)
			return rc;
		consume(c, eol + 2);
		if (eol == 0)
			return 0;
	}
}

static int read_one(http_conn *c, struct http_resp *r, int64_t deadline)
{
	memset(r, 0, sizeof(*r));
	char *hend;
	while (!(hend = find_crlf2(c))) {
		int rc = fill(c, deadline);
		if (rc == 0)
			return c->len ? HTTP_ERR : HTTP_EOF;
		if (rc < 0)
			return rc;
	}
	size_t head_len = (size_t)(hend - c->in) + 4;
	if (parse_head(c->in, hend, r) < 0) {
		http_resp_free(r);
		return HTTP_ERR;
	}
	consume(c, head_len);
	body_add(r, "", 0);
	r->body_len = 0;
	const char *te = http_resp_header(r, "Transfer-Encoding");
	const char *cl = http_resp_header(r, "Content-Length");
	int rc = 0;
	if (c->head || r->status / 100 == 1 || r->status == 204 || r->status == 304) {
		/* no body */
	} else if (te && strcasestr(te, "chunked")) {
		r->chunked = true;
		rc = read_chunked(c, r, deadline);
	} else if (cl) {
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		if (end == cl || *end)
			rc = HTTP_ERR;
		else if ((rc = need(c, (size_t)n, deadline)) == 0) {
			body_add(r, c->in, (size_t)n);
			consume(c, (size_t)n);
		}
	} else {
		while ((rc = fill(c, deadline)) > 0)
			;
		if (rc == 0) {
			body_add(r, c->in, c->len);
			consume(c, c->len);
		}
	}
	if (rc < 0) {
		http_resp_free(r);
		return rc;
	}
	if (!c->eof && c->len == 0) {
		/* Notice a close that came right behind the response. */
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		if (poll(&p, 1, 0) == 1) {
			int f = fill(c, now_ms() + 1);
			(void)f;
		}
	}
	r->closed = c->eof;
	return 0;
}

int http_read(http_conn *c, struct http_resp *r, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (int interim = 0;; interim++) {
		int rc = read_one(c, r, deadline);
		if (rc < 0)
			return rc;
		if (r->status >= 200) {
			r->interim = interim;
			return 0;
		}
		http_resp_free(r); /* 100 Continue and friends */
	}
}

bool http_wait_closed(http_conn *c, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		if (c->eof)
			return true;
		int rc = fill(c, deadline);
		if (rc == 0)
			return true;
		if (rc < 0)
			return false;
		c->len = 0; /* whatever came, drop it */
		c->in[0] = '\0';
	}
}

int http_request(http_conn *c, const char *method, const char *path, const char *headers,
		 const void *body, size_t body_len, struct http_resp *r)
{
	char head[8192];
	int n = snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s", method,
			 path, c->port, headers ? headers : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return HTTP_ERR;
	if (body) {
		int m = snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n",
				 body_len);
		if (m < 0 || (size_t)m >= sizeof(head) - (size_t)n)
			return HTTP_ERR;
		n += m;
	}
	if ((size_t)n + 2 >= sizeof(head))
		return HTTP_ERR;
	memcpy(head + n, "\r\n", 3);
	n += 2;
	c->head = strcmp(method, "HEAD") == 0;
	if (http_send(c, head, (size_t)n) < 0 || (body && http_send(c, body, body_len) < 0))
		return HTTP_ERR;
	return http_read(c, r, IT_TIMEOUT_MS);
}

int http_get(http_conn *c, const char *path, const char *headers, struct http_resp *r)
{
	return http_request(c, "GET", path, headers, NULL, 0, r);
}

int http_post_form(http_conn *c, const char *path, const char *form, const char *headers,
		   struct http_resp *r)
{
	char h[4096];
	int n = snprintf(h, sizeof(h), "Content-Type: application/x-www-form-urlencoded\r\n%s",
			 headers ? headers : "");
	if (n < 0 || (size_t)n >= sizeof(h))
		return HTTP_ERR;
	return http_request(c, "POST", path, h, form, strlen(form), r);
}

int http_fetch(unsigned short port, const char *method, const char *path, const char *headers,
	       const void *body, size_t body_len, struct http_resp *r)
{
	http_conn c;
	if (http_connect(&c, port) < 0)
		return HTTP_ERR;
	int rc = http_request(&c, method, path, headers, body, body_len, r);
	http_close(&c);
	return rc;
}

/* ---- helpers for assertions ---- */

char *it_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = xmalloc(n * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*o++ = (char)*p;
		} else if (*p == ' ') {
			*o++ = '+';
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int it_register_citizen(unsigned short port, const char *addr, const char *full_name,
			const char *cccd, const char *email, const char *password,
			struct http_resp *r)
{
	const char *kv[] = {
		"kind",	      "citizen",	   "full_name", full_name,    "id_number", cccd,
		"birth_date", "01/02/1990",	   "phone",	"0912345678", "email",	   email,
		"address",    "Hoa Lư, Ninh Bình", "password",	password,     "consent",   "1"};
	size_t n = sizeof(kv) / sizeof(kv[0]), cap = sizeof("csrf=" IT_CSRF);
	for (size_t i = 0; i < n; i++)
		cap += strlen(kv[i]) * 3 + 2;
	char *form = xmalloc(cap);
	size_t len = (size_t)snprintf(form, cap, "csrf=" IT_CSRF);
	for (size_t i = 0; i < n; i += 2) {
		char *v = it_urlencode(kv[i + 1]);
		len += (size_t)snprintf(form + len, cap - len, "&%s=%s", kv[i], v);
		free(v);
	}
	char h[256];
	snprintf(h, sizeof(h),
		 "Content-Type: application/x-www-form-urlencoded\r\nCookie: csrf=" IT_CSRF
		 "\r\n%s%s%s",
		 addr ? "X-Real-IP: " : "", addr ? addr : "", addr ? "\r\n" : "");
	int rc = http_fetch(port, "POST", "/dang-ky", h, form, len, r);
	free(form);
	return rc;
}

bool it_metric(const char *text, const char *series, double *out)
{
	size_t n = strlen(series);
	for (const char *line = text; line && *line;) {
		if (strncmp(line, series, n) == 0 && line[n] == ' ') {
			char *end;
			*out = strtod(line + n + 1, &end);
			return end != line + n + 1;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

char *it_set_cookie(const struct http_resp *r, const char *name)
{
	size_t n = strlen(name);
	const char *v;
	for (int i = 0; (v = http_resp_header_n(r, "Set-Cookie", i)); i++) {
		if (strncmp(v, name, n) == 0 && v[n] == '=') {
			const char *s = v + n + 1, *e = strchr(s, ';');
			return xstrndup(s, e ? (size_t)(e - s) : strlen(s));
		}
	}
	return NULL;
}

char *it_pdf_text(const void *pdf, size_t len, const char *flags)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], cmd[PATH_MAX * 2 + 128];
	if (it_mkdtemp(dir) < 0) {
		perror("mkdtemp");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/r.pdf", dir);
	char *text = NULL;
	if (write_bytes(path, pdf, len, "wb") == 0) {
		snprintf(cmd, sizeof(cmd), "pdftotext %s '%s' '%s/r.txt'", flags, path, dir);
		if (system(cmd) == 0) {
			snprintf(path, sizeof(path), "%s/r.txt", dir);
			text = it_read_file(path, NULL);
		} else {
			fprintf(stderr, "it_pdf_text: '%s' failed\n", cmd);
		}
	}
	it_rmtree(dir);
	return text;
}

int it_count(const char *haystack, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);
	for (const char *p = haystack; len && (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

const char *it_security_problem(const struct http_resp *r)
{
	const char *csp = http_resp_header(r, "Content-Security-Policy");
	const char *nosniff = http_resp_header(r, "X-Content-Type-Options");
	const char *referrer = http_resp_header(r, "Referrer-Policy");
	if (!csp)
		return "no Content-Security-Policy";
	if (!strstr(csp, "frame-ancestors 'none'"))
		return "Content-Security-Policy without frame-ancestors 'none'";
	if (strstr(csp, "unsafe-inline"))
		return "Content-Security-Policy allows 'unsafe-inline'";
	if (!nosniff || strcasecmp(nosniff, "nosniff") != 0)
		return "no X-Content-Type-Options: nosniff";
	if (!referrer || !*referrer)
		return "no Referrer-Policy";
	return NULL;
}
