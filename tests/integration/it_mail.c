/*
 * it_mail.c - outgoing mail end to end: a real SMTP server (Debian's
 * python3-aiosmtpd writing a maildir) on a loopback port, a real motcua
 * serve whose mail job sends the mail_outbox rows, and Python's own e-mail
 * parser reading back what arrived (so the RFC 2047 subject and the
 * quoted-printable body are decoded by code that is not ours).
 *
 * Checks: a queued Vietnamese mail arrives with its subject and body intact
 * and its row is marked sent; with the SMTP server down the row keeps its
 * attempts and last error and goes out once the server is up, while a row
 * at its last attempt is given up; with no smtp_url nothing is sent and the
 * log warns once; and, on PostgreSQL only, two nodes on one database deliver
 * 20 mails exactly once between them and hand the job over when the holder
 * stops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "smtp.h"

#define WAIT_MS 60000

static const char subject_vi[] = "Hồ sơ 000.00.16.H43-261128-0001 đã được tiếp nhận — "
				 "vui lòng theo dõi tiến độ xử lý trên Cổng dịch vụ công";
static const char body_vi[] = "Kính gửi ông Nguyễn Văn An,\n"
			      "\n"
			      "Hồ sơ Đăng ký khai sinh của ông đã được tiếp nhận ngày 28/11/2026.\n"
			      ".\n"
			      "Lệ phí: 1.500.000 đ = một triệu năm trăm nghìn đồng.  \n"
			      "Trân trọng.";

static const char *field(json_t *m, const char *key)
{
	const char *v = json_string_value(json_object_get(m, key));
	assert_non_null(v);
	return v;
}

/* SQL text literal: s between quotes, quotes doubled. */
static char *sql_quote(const char *s)
{
	size_t n = strlen(s);
	char *q = malloc(2 * n + 3), *p = q;
	assert_non_null(q);
	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'')
			*p++ = '\'';
		*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

static void queue_row(const char *db, const char *id, const char *to, const char *subject,
		      const char *body, long long created, int attempts)
{
	char *qs = sql_quote(subject), *qb = sql_quote(body);
	size_t len = strlen(qs) + strlen(qb) + 512;
	char *sql = malloc(len);
	assert_non_null(sql);
	snprintf(sql, len,
		 "INSERT INTO mail_outbox (id, to_addr, subject, body, created_at, attempts)"
		 " VALUES ('%s', '%s', %s, %s, %lld, %d)",
		 id, to, qs, qb, created, attempts);
	assert_int_equal(it_db_exec(db, sql), 0);
	free(sql);
	free(qs);
	free(qb);
}

static char *server_conf(unsigned short smtp_port)
{
	static char conf[512];
	snprintf(conf, sizeof(conf),
		 "smtp_url = smtp://127.0.0.1:%u\n"
		 "smtp_from = no-reply@dichvucong.ninhbinh.gov.vn\n"
		 "jobs_interval = 1\n"
		 "mail_retry = 1\n",
		 smtp_port);
	return conf;
}

/* One column of one mail_outbox row (malloc'd, NULL for SQL NULL). */
static char *outbox(const char *db, const char *id, const char *col)
{
	char sql[256], *v = NULL;
	snprintf(sql, sizeof(sql), "SELECT %s FROM mail_outbox WHERE id = $1", col);
	assert_int_equal(it_db_row(db, sql, id, &v, 1), 1);
	return v;
}

/* What a test started, stopped by teardown even when the test fails
 * half-way (a cmocka failure leaves the test function at once). */
static struct smtp S;
static struct it_server A, B;

static int setup(void **state)
{
	(void)state;
	memset(&S, 0, sizeof(S));
	memset(&A, 0, sizeof(A));
	memset(&B, 0, sizeof(B));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	it_server_free(&B);
	it_server_free(&A);
	smtp_free(&S);
	return 0;
}

static void test_vietnamese_mail_arrives_decoded(void **state)
{
	(void)state;
	assert_int_equal(smtp_init(&S), 0);
	assert_int_equal(smtp_start(&S), 0);
	assert_int_equal(it_server_start(&A, &(struct it_server_opts){.conf = server_conf(S.port)}),
			 0);
	/* A row written around mail_queue whose address would add a header:
	 * given up at once, never sent. */
	queue_row(A.db_path, "m-bad", "x@example.vn\r\nBcc: y@example.vn", "Xấu", "Không gửi.", 999,
		  0);
	queue_row(A.db_path, "m-vi-1", "an.nguyen@example.vn", subject_vi, body_vi, 1000, 0);
	if (!smtp_wait_count(&S, 1, WAIT_MS)) {
		it_server_dump_log(&A);
		fail_msg("the mail did not arrive");
	}
	json_t *all = smtp_messages(&S);
	assert_int_equal(json_array_size(all), 1);
	json_t *m = json_array_get(all, 0);
	assert_string_equal(field(m, "subject"), subject_vi);
	/* The body arrives as sent, ending with the line end every message
	 * body ends with. */
	char body_nl[sizeof(body_vi) + 1];
	snprintf(body_nl, sizeof(body_nl), "%s\n", body_vi);
	assert_string_equal(field(m, "body"), body_nl);
	assert_string_equal(field(m, "to"), "an.nguyen@example.vn");
	assert_string_equal(field(m, "from"), "no-reply@dichvucong.ninhbinh.gov.vn");
	assert_string_equal(field(m, "id"), "<m-vi-1@dichvucong.ninhbinh.gov.vn>");
	assert_non_null(strstr(field(m, "date"), "+0700"));
	assert_string_equal(field(m, "cte"), "quoted-printable");
	assert_string_equal(field(m, "type"), "text/plain; charset=UTF-8");
	json_decref(all);

	/* The row is marked sent, once. */
	for (int i = 0; i < 100; i++) {
		char *sent = outbox(A.db_path, "m-vi-1", "sent_at");
		bool done = sent != NULL;
		free(sent);
		if (done)
			break;
		it_sleep_ms(100);
	}
	char *sent = outbox(A.db_path, "m-vi-1", "sent_at");
	assert_non_null(sent);
	assert_true(strtoll(sent, NULL, 10) > 1700000000);
	free(sent);
	char *attempts = outbox(A.db_path, "m-vi-1", "attempts");
	assert_string_equal(attempts, "0");
	free(attempts);
	/* Three more rounds send nothing more. */
	it_sleep_ms(3000);
	assert_int_equal(smtp_count(&S), 1);
	attempts = outbox(A.db_path, "m-bad", "attempts");
	assert_string_equal(attempts, "10");
	free(attempts);
	assert_null(outbox(A.db_path, "m-bad", "sent_at"));
	char *err = outbox(A.db_path, "m-bad", "last_error");
	assert_string_equal(err, "the recipient is not a valid address");
	free(err);
	assert_int_equal(it_server_stop(&A), 0);
	it_server_free(&A);
	smtp_free(&S);
}

static void test_server_down_then_up(void **state)
{
	(void)state;
	assert_int_equal(smtp_init(&S), 0);
	/* Nothing listens on S.port yet. */
	assert_int_equal(it_server_start(&A, &(struct it_server_opts){.conf = server_conf(S.port)}),
			 0);
	queue_row(A.db_path, "m-late", "ba.tran@example.vn", "Thông báo bổ sung hồ sơ",
		  "Vui lòng bổ sung bản sao giấy khai sinh.", 1000, 0);
	/* A row at its last attempt: one more failure and it is given up. */
	queue_row(A.db_path, "m-last", "ca.le@example.vn", "Lần cuối", "Thư cuối cùng.", 999, 9);
	bool failed = false;
	for (int waited = 0; waited < WAIT_MS && !failed; waited += 100) {
		char *a = outbox(A.db_path, "m-late", "attempts");
		char *b = outbox(A.db_path, "m-last", "attempts");
		failed = strcmp(a, "0") != 0 && strcmp(b, "10") == 0;
		free(a);
		free(b);
		if (!failed)
			it_sleep_ms(100);
	}
	if (!failed) {
		it_server_dump_log(&A);
		fail_msg("no attempt was recorded");
	}
	char *err = outbox(A.db_path, "m-late", "last_error");
	assert_non_null(err);
	assert_true(strlen(err) > 0);
	it_note("last_error while the server is down: %s", err);
	free(err);
	char *sent = outbox(A.db_path, "m-late", "sent_at");
	assert_null(sent);
	assert_int_equal(smtp_count(&S), 0);

	assert_int_equal(smtp_start(&S), 0);
	if (!smtp_wait_count(&S, 1, WAIT_MS)) {
		it_server_dump_log(&A);
		fail_msg("the mail was not delivered after the server came up");
	}
	json_t *all = smtp_messages(&S);
	assert_int_equal(json_array_size(all), 1);
	assert_string_equal(field(json_array_get(all, 0), "subject"), "Thông báo bổ sung hồ sơ");
	json_decref(all);
	for (int i = 0; i < 100; i++) {
		sent = outbox(A.db_path, "m-late", "sent_at");
		if (sent)
			break;
		it_sleep_ms(100);
	}
	assert_non_null(sent);
	free(sent);
	/* The failed attempts and the error that delayed it stay on record. */
	char *attempts = outbox(A.db_path, "m-late", "attempts");
	assert_true(strtol(attempts, NULL, 10) >= 1);
	free(attempts);
	err = outbox(A.db_path, "m-late", "last_error");
	assert_true(err && strlen(err) > 0);
	free(err);
	/* The given-up row stays unsent with its 10 attempts. */
	it_sleep_ms(2500);
	assert_null(outbox(A.db_path, "m-last", "sent_at"));
	attempts = outbox(A.db_path, "m-last", "attempts");
	assert_string_equal(attempts, "10");
	free(attempts);
	assert_int_equal(smtp_count(&S), 1);
	char *log = it_server_stderr(&A);
	assert_non_null(strstr(log, "m-last given up at attempt 10"));
	free(log);
	assert_int_equal(it_server_stop(&A), 0);
	it_server_free(&A);
	smtp_free(&S);
}

static void test_no_smtp_url_keeps_mail_queued(void **state)
{
	(void)state;
	assert_int_equal(
		it_server_start(&A, &(struct it_server_opts){.conf = "jobs_interval = 1\n"}), 0);
	queue_row(A.db_path, "m-held", "an@example.vn", "Giữ lại", "Chưa gửi.", 1000, 0);
	assert_true(it_wait_file_contains(A.err_path, "smtp_url is not set", WAIT_MS));
	it_sleep_ms(3000);
	char *log = it_server_stderr(&A);
	assert_int_equal(it_count(log, "smtp_url is not set"), 1);
	free(log);
	assert_null(outbox(A.db_path, "m-held", "sent_at"));
	char *attempts = outbox(A.db_path, "m-held", "attempts");
	assert_string_equal(attempts, "0");
	free(attempts);
	assert_int_equal(it_server_stop(&A), 0);
	it_server_free(&A);
}

/* PostgreSQL only: two nodes, one database, one lease. */
static void test_two_nodes_deliver_each_mail_once(void **state)
{
	(void)state;
	assert_int_equal(smtp_init(&S), 0);
	assert_int_equal(smtp_start(&S), 0);
	const char *conf = server_conf(S.port);
	assert_int_equal(it_server_start(&A, &(struct it_server_opts){.conf = conf}), 0);
	assert_int_equal(
		it_server_start(&B, &(struct it_server_opts){.conf = conf, .database = A.db_path}),
		0);
	for (int i = 0; i < 20; i++) {
		char id[32], subject[64];
		snprintf(id, sizeof(id), "m-%02d", i);
		snprintf(subject, sizeof(subject), "Thư số %02d", i);
		queue_row(A.db_path, id, "an@example.vn", subject, "Nội dung thư.", 1000 + i, 0);
	}
	if (!smtp_wait_count(&S, 20, WAIT_MS)) {
		it_server_dump_log(&A);
		it_server_dump_log(&B);
		fail_msg("only %d of 20 mails arrived", smtp_count(&S));
	}
	/* Give both nodes several more rounds to send anything twice. */
	it_sleep_ms(4000);
	json_t *all = smtp_messages(&S);
	assert_int_equal(json_array_size(all), 20);
	bool seen[20] = {false};
	size_t i;
	json_t *m;
	json_array_foreach(all, i, m)
	{
		const char *subj = field(m, "subject");
		int n = -1;
		assert_int_equal(sscanf(subj, "Thư số %d", &n), 1);
		assert_true(n >= 0 && n < 20);
		assert_false(seen[n]);
		seen[n] = true;
	}
	json_decref(all);
	assert_int_equal(it_db_count(A.db_path,
				     "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL",
				     NULL),
			 0);

	/* Exactly one node ran the job. */
	char *la = it_server_stderr(&A), *lb = it_server_stderr(&B);
	int ra = it_count(la, "mail runs on this node"),
	    rb = it_count(lb, "mail runs on this node");
	free(la);
	free(lb);
	assert_int_equal(ra + rb, 1);
	struct it_server *holder = ra ? &A : &B, *other = ra ? &B : &A;

	/* When the holder stops, it hands the lease over and the other node
	 * sends the next mail. */
	assert_int_equal(it_server_stop(holder), 0);
	queue_row(other->db_path, "m-after", "an@example.vn", "Sau khi chuyển", "Nút còn lại gửi.",
		  2000, 0);
	if (!smtp_wait_count(&S, 21, WAIT_MS)) {
		it_server_dump_log(other);
		fail_msg("the remaining node did not take the mail job over");
	}
	char *lo = it_server_stderr(other);
	assert_int_equal(it_count(lo, "mail runs on this node"), 1);
	free(lo);
	assert_int_equal(it_server_stop(other), 0);
	it_server_free(&B);
	it_server_free(&A);
	smtp_free(&S);
}

int main(void)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test_setup_teardown(test_vietnamese_mail_arrives_decoded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_server_down_then_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_smtp_url_keeps_mail_queued, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_two_nodes_deliver_each_mail_once, setup,
						teardown),
	};
	/* Several nodes on one SQLite file are not a deployment: the last test
	 * runs in the PostgreSQL pass only. */
	size_t n = sizeof(all) / sizeof(all[0]);
	if (!it_db_is_postgres())
		n--;
	return _cmocka_run_group_tests("it_mail", all, n, NULL, NULL);
}
