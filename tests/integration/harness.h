/*
 * harness.h - what the integration tests share: a real build/motcua in a
 * throw-away data directory, a small HTTP/1.1 client on plain POSIX sockets
 * (so tests can also send malformed requests), and a way to run CLI commands.
 *
 * The binary under test is $MOTCUA_BIN (scripts/test.sh sets it). Every wait
 * has a generous deadline (the sanitizer build is several times slower): the
 * deadlines catch hangs, they never measure speed. Only 127.0.0.0/8 is used.
 */
#ifndef MOTCUA_IT_HARNESS_H
#define MOTCUA_IT_HARNESS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How long one response may take, and how long a server may take to start
 * or stop. */
#define IT_TIMEOUT_MS 20000
#define IT_START_MS   60000

/* ---- files and commands ---- */

/* $MOTCUA_BIN; aborts the test binary with a message when it is unset. */
const char *it_bin(void);

/* Creates a fresh temporary directory into out (PATH_MAX bytes); 0 or -1. */
int it_mkdtemp(char *out);

/* Removes path and everything below it; 0 or -1. */
int it_rmtree(const char *path);

/* Writes (or appends) text to path; 0 or -1. */
int it_write_file(const char *path, const char *text, bool append);

/* The whole file, NUL-terminated (malloc'd; NULL when unreadable). */
char *it_read_file(const char *path, size_t *len);

/* Waits until the file at path contains needle; true when it did in time. */
bool it_wait_file_contains(const char *path, const char *needle, int timeout_ms);

/* The result of a finished command. */
struct it_cmd {
	int status; /* exit status, 128 + signal when killed, -1 on timeout */
	char *out;  /* standard output, NUL-terminated */
	char *err;  /* standard error, NUL-terminated */
};

/*
 * Runs argv (argv[0] is a path) with the test's environment minus every
 * MOTCUA_* variable, plus env (NAME=value strings, NULL-terminated, may be
 * NULL). Kills it after timeout_ms. Returns 0 when it ran (see r->status).
 */
int it_run(struct it_cmd *r, const char *const argv[], const char *const env[], int timeout_ms);
void it_cmd_free(struct it_cmd *r);

/* A TCP port on 127.0.0.1 that was free a moment ago. */
unsigned short it_free_port(void);

/* ---- a motcua server ---- */

struct it_server_opts {
	bool demo;		/* init --demo */
	int demo_dossiers;	/* with demo: 0 none (the default, so counts stay put),
			       * N dossiers, -1 init's default spread */
	const char *conf;	/* lines appended to DIR/motcua.conf, or NULL */
	const char *database;	/* share this PostgreSQL database (another node's
			       * db_path) instead of a fresh one, or NULL */
	const char *const *sql; /* statements run on the database once the
				 * server answers (test data), NULL-ended, or NULL */
};

/*
 * The database a data directory uses. scripts/test.sh runs the integration
 * tests twice: on SQLite, and with MOTCUA_TEST_BACKEND=postgres (see
 * tests/testdb.h), when each server gets a fresh PostgreSQL database.
 */
bool it_db_is_postgres(void);

/* Fills target with a fresh database for a data directory at dir: its
 * motcua.db, or a new PostgreSQL database's URL; 0 or -1. */
int it_db_new(const char *dir, char *target, size_t len);

struct it_server {
	char root[PATH_MAX];	      /* temporary directory, removed by it_server_free */
	char data[PATH_MAX + 8];      /* root/data: the data directory */
	char out_path[PATH_MAX + 32]; /* server's standard output (the access log) */
	char err_path[PATH_MAX + 32]; /* server's standard error (its log) */
	char init_out[PATH_MAX + 32]; /* what 'init' printed */
	char db_path[PATH_MAX + 32];  /* data/motcua.db, or a PostgreSQL URL */
	char db_env[PATH_MAX + 64];   /* MOTCUA_DATABASE=... for PostgreSQL, or "" */
	pid_t pid;		      /* 0 when not running */
	unsigned short port;
};

/*
 * Creates a data directory with 'init', appends o->conf to its motcua.conf,
 * starts 'serve' on a free port of 127.0.0.1, waits until GET /healthz
 * answers 200 and runs o->sql. Returns 0, or -1 after printing why (and the
 * server's log).
 */
int it_server_start(struct it_server *s, const struct it_server_opts *o);

/* The end of a test group: stops the server, prints its log when it did
 * not exit cleanly, frees it. 0 after a clean exit, else -1. */
int it_server_finish(struct it_server *s);

/* Serves again on the data directory (and database) of a server that was
 * stopped, on a new free port, and waits for /healthz; its standard output
 * and error files start afresh. Returns 0, or -1 (also when it still runs). */
int it_server_restart(struct it_server *s);

/* Sends SIGTERM and waits for the process; returns its exit status (128 +
 * signal when killed by one, -1 when it did not stop in time). */
int it_server_stop(struct it_server *s);

/* Waits for an already signalled server to exit; status as it_server_stop. */
int it_server_wait(struct it_server *s, int timeout_ms);

/* Stops the server if it still runs (SIGKILL if it must), removes root. */
void it_server_free(struct it_server *s);

/* The server's standard output / error so far (malloc'd). */
char *it_server_stdout(const struct it_server *s);
char *it_server_stderr(const struct it_server *s);

/*
 * Runs sql with at most one parameter ($1 = arg, unless arg is NULL) on the
 * database at target (a SQLite file, or a postgres:// URL such as an
 * it_server's db_path) and copies the first row's first ncols columns into
 * cols (malloc'd text, NULL for SQL NULL). Returns 1 with a row, 0 without,
 * -1 on an error (printed).
 */
int it_db_row(const char *target, const char *sql, const char *arg, char **cols, int ncols);

/* Runs statements that return no rows on the database at target, outside
 * any server (to set up data); 0, or -1 after printing the error. */
int it_db_exec(const char *target, const char *sql);

/* The first column of the first row as a number (-1 on no row or error). */
long long it_db_count(const char *target, const char *sql, const char *arg);

/* Loads the server's receipt verification key (payverify.h) from the
 * database at target into this process, as another node would; false
 * with a message on stderr when it cannot. */
bool it_payverify_load(const char *target);

/* Prints the last lines of the server's log as TAP comments. */
void it_server_dump_log(const struct it_server *s);

/* ---- HTTP/1.1 client ---- */

typedef struct http_conn {
	int fd;
	unsigned short port;
	char *in; /* bytes received and not yet consumed */
	size_t len, cap;
	bool eof;  /* the server closed its side */
	bool head; /* the last request sent was HEAD: its response has no body */
} http_conn;

struct http_header_line {
	char *name, *value;
};

struct http_resp {
	int status;
	char *reason;
	struct http_header_line *headers;
	int nheaders;
	char *body; /* NUL-terminated for convenience; body_len counts the bytes */
	size_t body_len;
	bool chunked;
	bool closed; /* the connection was closed by the time the response ended */
	int interim; /* 1xx responses that came first (and were skipped) */
};

/* http_read and the request helpers return 0 or one of these. */
enum {
	HTTP_ERR = -1,	   /* socket error or a response that cannot be parsed */
	HTTP_EOF = -2,	   /* closed before a response began */
	HTTP_TIMEOUT = -3, /* no complete response in time */
};

/* Opens a connection to 127.0.0.1:port (from src, e.g. "127.0.0.2", when
 * not NULL). Returns 0, or -1 with errno set. */
int http_connect(http_conn *c, unsigned short port);
int http_connect_from(http_conn *c, const char *src, unsigned short port);
void http_close(http_conn *c);

/* Sends raw bytes; 0 or -1. */
int http_send(http_conn *c, const void *p, size_t n);
int http_send_str(http_conn *c, const char *s);

/* Reads one response (skipping 1xx interim ones). */
int http_read(http_conn *c, struct http_resp *r, int timeout_ms);
void http_resp_free(struct http_resp *r);

/* Header lookup, case-insensitive; the n-th (from 0) for repeated headers. */
const char *http_resp_header(const struct http_resp *r, const char *name);
const char *http_resp_header_n(const struct http_resp *r, const char *name, int n);

/* Waits until the server closes the connection (reading and dropping any
 * bytes); true when it did within timeout_ms. */
bool http_wait_closed(http_conn *c, int timeout_ms);

/*
 * Sends one request and reads its response. headers are complete lines
 * ("Name: value\r\n", may be NULL); Host is added, and Content-Length when
 * body is not NULL.
 */
int http_request(http_conn *c, const char *method, const char *path, const char *headers,
		 const void *body, size_t body_len, struct http_resp *r);
int http_get(http_conn *c, const char *path, const char *headers, struct http_resp *r);
int http_post_form(http_conn *c, const char *path, const char *form, const char *headers,
		   struct http_resp *r);

/* One request on a connection of its own. */
int http_fetch(unsigned short port, const char *method, const char *path, const char *headers,
	       const void *body, size_t body_len, struct http_resp *r);

/* ---- accounts through the pages ---- */

/* The anonymous CSRF token the tests send as both cookie and form field
 * (the double-submit check). */
#define IT_CSRF "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/*
 * Registers a citizen through the web form (POST /dang-ky) with
 * full_name, CCCD, email and password, born 01/02/1990, phone 0912345678,
 * address "Hoa Lư, Ninh Bình", from address addr (X-Real-IP; NULL: the
 * loopback itself). The response is in *r (303 on success, with the new
 * session's cookie); the return value is http_fetch's.
 */
int it_register_citizen(unsigned short port, const char *addr, const char *full_name,
			const char *cccd, const char *email, const char *password,
			struct http_resp *r);

/* ---- helpers for assertions ---- */

/* The text of a PDF (pdftotext with flags, e.g. "-layout"), malloc'd, or
 * NULL after printing why. */
char *it_pdf_text(const void *pdf, size_t len, const char *flags);

/* application/x-www-form-urlencoded encoding of s (malloc'd). */
char *it_urlencode(const char *s);

/* The value of a Prometheus series ("name{labels}" exactly as printed) in a
 * /metrics text; true when found. */
bool it_metric(const char *text, const char *series, double *out);

/* The value of cookie name in the response's Set-Cookie headers (malloc'd,
 * NULL when not set). */
char *it_set_cookie(const struct http_resp *r, const char *name);

/* Counts occurrences of needle in haystack. */
int it_count(const char *haystack, const char *needle);

/*
 * NULL when the response carries the security headers every motcua
 * response must have (a Content-Security-Policy with frame-ancestors 'none'
 * and no 'unsafe-inline', X-Content-Type-Options: nosniff, a
 * Referrer-Policy); otherwise what is missing.
 */
const char *it_security_problem(const struct http_resp *r);

/* For cmocka tests: the request went through and got status want. */
#define assert_response(rc, r, want)                                                               \
	do {                                                                                       \
		assert_int_equal((rc), 0);                                                         \
		assert_int_equal((r)->status, (want));                                             \
	} while (0)

/* Prints a TAP comment line ("# ...") on standard output. */
void it_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
