/*
 * it_notify.c - the applicant's notices end to end: the test queues notices
 * with notify_transition in a write of its own on a real motcua's database
 * (as a back-office transition does), and the server's jobs deliver them
 * to a real SMTP server (python3-aiosmtpd, smtp.h) and to an SMS/Zalo
 * webhook receiver (Python's http.server, written here) on loopback ports.
 *
 * Checks: each message reaches the webhook once, as the JSON body
 * docs/notifications.md describes, with the Idempotency-Key of its row and
 * an X-Motcua-Signature that Python's hmac module accepts; a 500 or a 429
 * is retried (same key, same body) until the 200; a 400 is not retried and
 * its answer is kept in last_error; with the webhook down the message waits
 * and goes out once it is up. The notice's email arrives once with its
 * Vietnamese subject (RFC 2047, decoded by Python) and body, also when
 * motcua is stopped right after queueing or while it is stopped, and
 * started again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "db/db.h"
#include "domain/notify.h"
#include "harness.h"
#include "smtp.h"

#define WAIT_MS 60000
#define SECRET	"bí mật của tỉnh Ninh Bình 2026"

/*
 * The webhook receiver: answers each POST with the next status of the plan
 * for its "to" number (the last one repeats; 200 for numbers not in the
 * plan) and appends one JSON line per request to the log: the status it
 * answered, whether the signature is right (Python's hmac), the
 * Idempotency-Key and Content-Type headers, the raw body and its JSON.
 */
static const char receiver_py[] =
	"import hashlib, hmac, http.server, json, sys, threading\n"
	"port, secret, log = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]\n"
	"plan = json.loads(sys.argv[4])\n"
	"seen, lock = {}, threading.Lock()\n"
	"class H(http.server.BaseHTTPRequestHandler):\n"
	"    protocol_version = 'HTTP/1.1'\n"
	"    def do_POST(self):\n"
	"        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))\n"
	"        want = 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()\n"
	"        sig = self.headers.get('X-Motcua-Signature', '')\n"
	"        try:\n"
	"            msg = json.loads(body.decode('utf-8'))\n"
	"        except ValueError:\n"
	"            msg = None\n"
	"        to = msg.get('to') if isinstance(msg, dict) else None\n"
	"        with lock:\n"
	"            k = seen.get(to, 0)\n"
	"            seen[to] = k + 1\n"
	"            steps = plan.get(to, [200])\n"
	"            status = steps[min(k, len(steps) - 1)]\n"
	"            rec = {'path': self.path, 'status': status,\n"
	"                   'sig_ok': hmac.compare_digest(sig, want),\n"
	"                   'key': self.headers.get('Idempotency-Key'),\n"
	"                   'type': self.headers.get('Content-Type'),\n"
	"                   'body': body.decode('utf-8', 'replace'), 'msg': msg}\n"
	"            with open(log, 'a', encoding='utf-8') as f:\n"
	"                f.write(json.dumps(rec, ensure_ascii=False) + '\\n')\n"
	"        reply = b'{\"error\":\"s\\xe1\\xbb\\x91 kh\\xc3\\xb4ng h\\xe1\\xbb\\xa3p "
	"l\\xe1\\xbb\\x87\"}'"
	" if status == 400 else b'{}'\n"
	"        self.send_response(status)\n"
	"        self.send_header('Content-Type', 'application/json')\n"
	"        self.send_header('Content-Length', str(len(reply)))\n"
	"        self.end_headers()\n"
	"        self.wfile.write(reply)\n"
	"    def log_message(self, *a):\n"
	"        pass\n"
	"http.server.ThreadingHTTPServer(('127.0.0.1', port), H).serve_forever()\n";

struct hook {
	char dir[PATH_MAX];
	char script[PATH_MAX + 16];
	char log[PATH_MAX + 16];
	char plan[512];
	unsigned short port;
	pid_t pid;
};

static int hook_init(struct hook *h, const char *plan)
{
	memset(h, 0, sizeof(*h));
	if (it_mkdtemp(h->dir) < 0)
		return -1;
	snprintf(h->script, sizeof(h->script), "%s/hook.py", h->dir);
	snprintf(h->log, sizeof(h->log), "%s/requests.jsonl", h->dir);
	snprintf(h->plan, sizeof(h->plan), "%s", plan);
	h->port = it_free_port();
	return it_write_file(h->script, receiver_py, false);
}

static int hook_start(struct hook *h)
{
	char port[8], err[PATH_MAX + 32];
	snprintf(port, sizeof(port), "%u", h->port);
	snprintf(err, sizeof(err), "%s/hook.err", h->dir);
	h->pid = fork();
	if (h->pid < 0)
		return -1;
	if (h->pid == 0) {
		FILE *f = freopen(err, "a", stderr);
		(void)f;
		execl(PYTHON, PYTHON, h->script, port, SECRET, h->log, h->plan, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 600; i++) {
		if (it_port_open(h->port))
			return 0;
		it_sleep_ms(50);
	}
	fprintf(stderr, "the webhook receiver did not start on port %u\n", h->port);
	return -1;
}

static void hook_free(struct hook *h)
{
	if (h->pid > 0) {
		kill(h->pid, SIGTERM);
		waitpid(h->pid, NULL, 0);
		h->pid = 0;
	}
	if (h->dir[0])
		it_rmtree(h->dir);
	h->dir[0] = '\0';
}

/* Every request received so far: a JSON array of the log's objects. */
static json_t *hook_requests(const struct hook *h)
{
	json_t *all = json_array();
	char *text = it_read_file(h->log, NULL);
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (!nl)
			break; /* a line still being written */
		*nl = '\0';
		json_error_t je;
		json_t *r = json_loads(line, 0, &je);
		if (!r)
			fail_msg("bad line in the receiver's log: %s", line);
		json_array_append_new(all, r);
		line = nl + 1;
	}
	free(text);
	return all;
}

/* Requests for number to (all of them when to is NULL). */
static int hook_count(const struct hook *h, const char *to)
{
	json_t *all = hook_requests(h), *r;
	size_t i;
	int n = 0;
	json_array_foreach(all, i, r)
	{
		const char *t = json_string_value(json_object_get(json_object_get(r, "msg"), "to"));
		n += !to || (t && strcmp(t, to) == 0);
	}
	json_decref(all);
	return n;
}

static bool hook_wait(const struct hook *h, const char *to, int want)
{
	for (int waited = 0; waited < WAIT_MS; waited += 100) {
		if (hook_count(h, to) >= want)
			return true;
		it_sleep_ms(100);
	}
	return false;
}

/* ---- queueing notices as a transition does ---- */

struct queue {
	const struct notice *n;
	int count;
};

static mc_status queue_fn(db_conn *c, void *p)
{
	const struct queue *q = p;
	arena *a = arena_new(0);
	mc_status st = MC_OK;
	for (int i = 0; i < q->count && st == MC_OK; i++)
		st = notify_transition(c, a, &q->n[i]);
	arena_free(a);
	return st;
}

/* Queues notices n[0..count) in one write on the server's database. */
static void queue(const struct it_server *s, const struct notice *n, int count)
{
	char err[512] = "";
	db *d;
	if (db_open(s->db_path, &d, err, sizeof(err)) != MC_OK)
		fail_msg("opening %s: %s", s->db_path, err);
	struct queue q = {n, count};
	assert_int_equal(db_write(d, queue_fn, &q), MC_OK);
	db_close(d);
}

#define CODE "000.00.16.H43-261128-0001"
#define URL  "https://dichvucong.ninhbinh.gov.vn/tra-cuu?ma=" CODE

static struct notice notice(const char *code, const char *email, const char *phone)
{
	return (struct notice){
		.code = code,
		.procedure_name = "Đăng ký khai sinh",
		.agency_name = "UBND xã Gia Viễn",
		.name = "Nguyễn Văn An",
		.email = email,
		.phone = phone,
		.event = "receive",
		.status_to = 2,
		.due_at = "2026-12-03 17:00",
		.lookup_url = URL,
	};
}

/* One column of the message_outbox row sent to number to (malloc'd, NULL
 * for SQL NULL). */
static char *outbox(const char *target, const char *to, const char *col)
{
	char sql[256], *v = NULL;
	snprintf(sql, sizeof(sql), "SELECT %s FROM message_outbox WHERE to_phone = $1", col);
	assert_int_equal(it_db_row(target, sql, to, &v, 1), 1);
	return v;
}

/* Waits until the row for to has a non-NULL col. */
static bool outbox_wait(const char *target, const char *to, const char *col)
{
	for (int waited = 0; waited < WAIT_MS; waited += 100) {
		char *v = outbox(target, to, col);
		free(v);
		if (v)
			return true;
		it_sleep_ms(100);
	}
	return false;
}

static char *server_conf(unsigned short smtp_port, unsigned short hook_port)
{
	static char conf[1024];
	snprintf(conf, sizeof(conf),
		 "smtp_url = smtp://127.0.0.1:%u\n"
		 "smtp_from = no-reply@dichvucong.ninhbinh.gov.vn\n"
		 "sms_webhook_url = http://127.0.0.1:%u/sms?tenant=ninhbinh\n"
		 "sms_webhook_secret = \"%s\"\n"
		 "jobs_interval = 1\n"
		 "mail_retry = 1\n",
		 smtp_port, hook_port, SECRET);
	return conf;
}

/* What a test started, stopped by teardown even when the test fails
 * half-way. */
static struct smtp S;
static struct hook H;
static struct it_server A;

static int setup(void **state)
{
	(void)state;
	memset(&S, 0, sizeof(S));
	memset(&H, 0, sizeof(H));
	memset(&A, 0, sizeof(A));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	it_server_free(&A);
	hook_free(&H);
	smtp_free(&S);
	return 0;
}

static const char sms_text[] =
	"UBND xã Gia Viễn đã tiếp nhận hồ sơ " CODE ", hẹn trả kết quả 03/12/2026 17:00.";

/* The request for number to: exactly n arrived, each one signed, keyed and
 * shaped as promised, all with the same body. Returns the body (malloc'd). */
static char *check_requests(const char *to, int n, const char *want_status)
{
	json_t *all = hook_requests(&H), *r;
	size_t i;
	int seen = 0;
	char *body = NULL, *id = outbox(A.db_path, to, "id");
	json_array_foreach(all, i, r)
	{
		json_t *m = json_object_get(r, "msg");
		const char *t = json_string_value(json_object_get(m, "to"));
		if (!t || strcmp(t, to) != 0)
			continue;
		seen++;
		assert_true(json_is_true(json_object_get(r, "sig_ok")));
		assert_string_equal(json_string_value(json_object_get(r, "key")), id);
		assert_string_equal(json_string_value(json_object_get(r, "path")),
				    "/sms?tenant=ninhbinh");
		assert_string_equal(json_string_value(json_object_get(r, "type")),
				    "application/json; charset=utf-8");
		assert_int_equal(json_object_size(m), 5);
		assert_string_equal(json_string_value(json_object_get(m, "id")), id);
		assert_string_equal(json_string_value(json_object_get(m, "channel")), "sms");
		assert_string_equal(json_string_value(json_object_get(m, "text")), sms_text);
		const char *at = json_string_value(json_object_get(m, "created_at"));
		assert_non_null(at);
		assert_int_equal(strlen(at), 25);
		assert_string_equal(at + 19, "+07:00");
		const char *b = json_string_value(json_object_get(r, "body"));
		if (!body)
			body = strdup(b);
		else
			assert_string_equal(b, body); /* a retry posts the same bytes */
	}
	json_decref(all);
	assert_int_equal(seen, n);
	char *last = outbox(A.db_path, to, want_status);
	assert_non_null(last);
	free(last);
	free(id);
	return body;
}

static void test_webhook_delivery_and_retries(void **state)
{
	(void)state;
	assert_int_equal(hook_init(&H, "{\"+84912000002\": [500, 200], \"+84912000003\": [400],"
				       " \"+84912000004\": [429, 503, 200]}"),
			 0);
	assert_int_equal(hook_start(&H), 0);
	/* No SMTP server: mail is not this test's subject. */
	assert_int_equal(
		it_server_start(
			&A, &(struct it_server_opts){.conf = server_conf(it_free_port(), H.port)}),
		0);
	struct notice n[4] = {
		notice(CODE, NULL, "0912 000 001"),
		notice(CODE, NULL, "0912000002"),
		notice(CODE, NULL, "+84 912 000 003"),
		notice(CODE, NULL, "0912.000.004"),
	};
	queue(&A, n, 4);
	if (!hook_wait(&H, "+84912000001", 1) || !hook_wait(&H, "+84912000002", 2) ||
	    !hook_wait(&H, "+84912000003", 1) || !hook_wait(&H, "+84912000004", 3)) {
		it_server_dump_log(&A);
		fail_msg("the webhook got %d requests", hook_count(&H, NULL));
	}
	assert_true(outbox_wait(A.db_path, "+84912000002", "sent_at"));
	assert_true(outbox_wait(A.db_path, "+84912000004", "sent_at"));
	/* Several more rounds (retries come after 1 s here): nothing more. */
	it_sleep_ms(4000);
	assert_int_equal(hook_count(&H, NULL), 7);

	free(check_requests("+84912000001", 1, "sent_at"));
	free(check_requests("+84912000002", 2, "sent_at"));
	free(check_requests("+84912000003", 1, "failed_at"));
	free(check_requests("+84912000004", 3, "sent_at"));

	char *v = outbox(A.db_path, "+84912000001", "attempts");
	assert_string_equal(v, "1");
	free(v);
	v = outbox(A.db_path, "+84912000002", "attempts");
	assert_string_equal(v, "2");
	free(v);
	v = outbox(A.db_path, "+84912000002", "last_error");
	assert_string_equal(v, "HTTP 500: {}");
	free(v);
	v = outbox(A.db_path, "+84912000004", "attempts");
	assert_string_equal(v, "3");
	free(v);
	v = outbox(A.db_path, "+84912000004", "last_error");
	assert_string_equal(v, "HTTP 503: {}");
	free(v);
	/* The 400 is final: failed_at, one attempt, the answer on record. */
	assert_null(outbox(A.db_path, "+84912000003", "sent_at"));
	v = outbox(A.db_path, "+84912000003", "attempts");
	assert_string_equal(v, "1");
	free(v);
	v = outbox(A.db_path, "+84912000003", "last_error");
	assert_string_equal(v, "HTTP 400: {\"error\":\"số không hợp lệ\"}");
	free(v);
	char *log = it_server_stderr(&A);
	assert_int_equal(it_count(log, "given up at attempt 1: HTTP 400"), 1);
	free(log);
	assert_int_equal(it_server_stop(&A), 0);
}

/* With the webhook down, the message keeps its attempts and error, and goes
 * out once when the webhook is up. */
static void test_webhook_down_then_up(void **state)
{
	(void)state;
	assert_int_equal(hook_init(&H, "{}"), 0);
	assert_int_equal(
		it_server_start(
			&A, &(struct it_server_opts){.conf = server_conf(it_free_port(), H.port)}),
		0);
	struct notice n = notice(CODE, NULL, "0912000001");
	queue(&A, &n, 1);
	bool failed = false;
	for (int waited = 0; waited < WAIT_MS && !failed; waited += 100) {
		char *v = outbox(A.db_path, "+84912000001", "attempts");
		failed = strcmp(v, "0") != 0;
		free(v);
		if (!failed)
			it_sleep_ms(100);
	}
	assert_true(failed);
	char *err = outbox(A.db_path, "+84912000001", "last_error");
	assert_true(strlen(err) > 0);
	it_note("last_error while the webhook is down: %s", err);
	free(err);
	assert_null(outbox(A.db_path, "+84912000001", "sent_at"));
	assert_null(outbox(A.db_path, "+84912000001", "failed_at"));
	assert_int_equal(hook_start(&H), 0);
	if (!hook_wait(&H, NULL, 1) || !outbox_wait(A.db_path, "+84912000001", "sent_at")) {
		it_server_dump_log(&A);
		fail_msg("the message was not delivered after the webhook came up");
	}
	it_sleep_ms(3000);
	free(check_requests("+84912000001", 1, "sent_at"));
	assert_int_equal(it_server_stop(&A), 0);
}

/* Python's decoding of every mail so far: subject and body of each. */
static void check_mails(int want)
{
	json_t *all = smtp_messages(&S), *m;
	size_t i;
	assert_int_equal(json_array_size(all), want);
	json_array_foreach(all, i, m)
	{
		assert_string_equal(json_string_value(json_object_get(m, "to")),
				    "an.nguyen@example.vn");
		assert_string_equal(json_string_value(json_object_get(m, "subject")),
				    "Hồ sơ " CODE " đã được tiếp nhận");
		assert_string_equal(
			json_string_value(json_object_get(m, "body")),
			"Kính gửi Nguyễn Văn An,\n\nUBND xã Gia Viễn đã tiếp nhận hồ sơ " CODE
			" (Đăng ký khai sinh).\nNgày hẹn trả kết quả: 03/12/2026 "
			"17:00.\n\nTra cứu hồ sơ: " URL
			"\n\nĐây là thư tự động, xin đừng trả lời thư này.\n");
	}
	json_decref(all);
}

/* The email of a notice arrives once: while motcua runs, when it is stopped
 * right after queueing, and when it was queued while motcua was stopped. */
static void test_email_once_across_restart(void **state)
{
	(void)state;
	assert_int_equal(smtp_init(&S), 0);
	assert_int_equal(smtp_start(&S), 0);
	assert_int_equal(hook_init(&H, "{}"), 0);
	assert_int_equal(hook_start(&H), 0);
	assert_int_equal(
		it_server_start(&A, &(struct it_server_opts){.conf = server_conf(S.port, H.port)}),
		0);
	struct notice n = notice(CODE, "an.nguyen@example.vn", "0912000001");
	queue(&A, &n, 1);
	if (!smtp_wait_count(&S, 1, WAIT_MS) || !hook_wait(&H, NULL, 1)) {
		it_server_dump_log(&A);
		fail_msg("the first notice was not delivered");
	}
	check_mails(1);

	/* Stopped right after queueing: sent before the stop or after the
	 * restart, never both. */
	queue(&A, &n, 1);
	assert_int_equal(it_server_stop(&A), 0);
	/* Queued while stopped: nothing is lost. */
	queue(&A, &n, 1);
	assert_true(it_db_count(A.db_path, "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL",
				NULL) >= 1);
	assert_int_equal(it_server_restart(&A), 0);
	if (!smtp_wait_count(&S, 3, WAIT_MS) || !hook_wait(&H, NULL, 3)) {
		it_server_dump_log(&A);
		fail_msg("after the restart: %d mails, %d messages", smtp_count(&S),
			 hook_count(&H, NULL));
	}
	/* Several more rounds send nothing twice. */
	it_sleep_ms(4000);
	check_mails(3);
	assert_int_equal(hook_count(&H, NULL), 3);
	assert_int_equal(it_db_count(A.db_path,
				     "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL",
				     NULL),
			 0);
	assert_int_equal(it_db_count(A.db_path,
				     "SELECT count(*) FROM message_outbox WHERE sent_at IS NULL",
				     NULL),
			 0);
	/* Three different messages, each posted once. */
	json_t *all = hook_requests(&H), *r;
	size_t i, j;
	json_array_foreach(all, i, r)
	{
		assert_true(json_is_true(json_object_get(r, "sig_ok")));
		for (j = 0; j < i; j++)
			assert_string_not_equal(
				json_string_value(json_object_get(r, "key")),
				json_string_value(json_object_get(json_array_get(all, j), "key")));
	}
	json_decref(all);
	assert_int_equal(it_server_stop(&A), 0);
}

int main(void)
{
	char err[256] = "";
	if (sodium_init() < 0 || i18n_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "i18n: %s\n", err);
		return 1;
	}
	const struct CMUnitTest all[] = {
		cmocka_unit_test_setup_teardown(test_webhook_delivery_and_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_webhook_down_then_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_email_once_across_restart, setup, teardown),
	};
	int rc = cmocka_run_group_tests_name("it_notify", all, NULL, NULL);
	i18n_release();
	return rc;
}
