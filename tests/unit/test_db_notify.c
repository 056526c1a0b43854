/*
 * test_db_notify.c - the applicant's notices (domain/notify.h) and the
 * short-message outbox (domain/message.h) on a real database (SQLite, then
 * PostgreSQL in the second pass of scripts/test.sh): notify_transition
 * writes the right mail and message rows with their Vietnamese texts word
 * for word, nothing without an email or a phone, nothing when the caller's
 * write rolls back or when an address is not valid; the short text is one
 * line of at most 160 characters; and the webhook body and its signature
 * are what docs/notifications.md promises (RFC 4231 HMAC vectors).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/text.h"
#include "db/db.h"
#include "domain/message.h"
#include "domain/notify.h"
#include "testdb.h"
#include "unit/dbfixture.h"

static struct dbfixture F;

static int group_setup(void **state)
{
	(void)state;
	char err[512] = "";
	if (sodium_init() < 0 || i18n_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "i18n: %s\n", err);
		return -1;
	}
	return dbfixture_open(&F, "notify", NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	dbfixture_close(&F);
	i18n_release();
	return 0;
}

/* Empties both outboxes before each test. */
static mc_status clear_fn(db_conn *c, void *p)
{
	(void)p;
	static const char *const tables[] = {"mail_outbox", "message_outbox", "throttle"};
	mc_status st = MC_OK;
	for (size_t i = 0; i < 3 && st == MC_OK; i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[i]);
		st = db_exec(c, sql, DB_NOARGS, NULL);
	}
	return st;
}

static int clear(void **state)
{
	(void)state;
	notify_set_channel("sms");
	return db_write(F.d, clear_fn, NULL) == MC_OK ? 0 : -1;
}

/* A transition's write: queues the notice, then ends as `then` says (a
 * failure after queueing rolls everything back). */
struct transition {
	const struct notice *n;
	mc_status then;
	mc_status notified;
};

static mc_status transition_fn(db_conn *c, void *p)
{
	struct transition *t = p;
	arena *a = arena_new(0);
	/* The change the notice reports, written first like a real one. */
	mc_status st =
		db_exec(c, "INSERT INTO throttle (key, window_start, count) VALUES ($1, 0, 1)",
			DB_ARGS(DB_TEXT(t->n->code)), NULL);
	if (st == MC_OK)
		st = t->notified = notify_transition(c, a, t->n);
	arena_free(a);
	return st == MC_OK ? t->then : st;
}

static mc_status run(const struct notice *n, mc_status then, mc_status *notified)
{
	struct transition t = {n, then, MC_INTERNAL};
	mc_status st = db_write(F.d, transition_fn, &t);
	*notified = t.notified;
	return st;
}

static long long count(const char *sql)
{
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(db_reader(F.d), a, sql, DB_NOARGS, &r), MC_OK);
	long long n = db_int(r, 0, 0);
	arena_free(a);
	return n;
}

static long long rows(void)
{
	return count("SELECT (SELECT count(*) FROM mail_outbox) + (SELECT count(*) FROM "
		     "message_outbox) + (SELECT count(*) FROM throttle WHERE key LIKE '000.%')");
}

#define CODE "000.00.16.H43-261128-0001"
#define URL  "https://dichvucong.ninhbinh.gov.vn/tra-cuu?ma=" CODE

static const struct notice receive = {
	.code = CODE,
	.procedure_name = "Đăng ký khai sinh",
	.agency_name = "UBND xã Gia Viễn",
	.name = "Nguyễn Văn An",
	.email = "an.nguyen@example.vn",
	.phone = "091 234 5678",
	.event = "receive",
	.status_to = 2,
	.due_at = "2026-12-03 17:00",
	.lookup_url = URL,
};

static void test_receive_queues_mail_and_message(void **state)
{
	(void)state;
	mc_status notified;
	assert_int_equal(run(&receive, MC_OK, &notified), MC_OK);
	assert_int_equal(notified, MC_OK);
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(db_reader(F.d), a,
				  "SELECT to_addr, subject, body, sent_at FROM mail_outbox",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	assert_string_equal(db_text(r, 0, 0), "an.nguyen@example.vn");
	assert_string_equal(db_text(r, 0, 1), "Hồ sơ " CODE " đã được tiếp nhận");
	assert_string_equal(db_text(r, 0, 2),
			    "Kính gửi Nguyễn Văn An,\n\nUBND xã Gia Viễn đã tiếp nhận hồ sơ " CODE
			    " (Đăng ký khai sinh).\nNgày hẹn trả kết quả: 03/12/2026 17:00.\n\n"
			    "Tra cứu hồ sơ: " URL
			    "\n\nĐây là thư tự động, xin đừng trả lời thư này.");
	assert_true(db_isnull(r, 0, 3));
	assert_int_equal(db_query(db_reader(F.d), a,
				  "SELECT id, channel, to_phone, body, attempts, next_attempt_at,"
				  " sent_at, failed_at, last_error, created_at FROM message_outbox",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	const char *id = db_text(r, 0, 0);
	assert_int_equal(strlen(id), 32);
	assert_int_equal(strspn(id, "0123456789abcdef"), 32);
	assert_string_equal(db_text(r, 0, 1), "sms");
	assert_string_equal(db_text(r, 0, 2), "+84912345678");
	const char *text = db_text(r, 0, 3);
	assert_string_equal(text, "UBND xã Gia Viễn đã tiếp nhận hồ sơ " CODE
				  ", hẹn trả kết quả 03/12/2026 17:00.");
	assert_true(text_length(text) <= NOTIFY_SMS_CHARS);
	assert_int_equal(db_int(r, 0, 4), 0);
	assert_int_equal(db_int(r, 0, 5), 0);
	assert_true(db_isnull(r, 0, 6));
	assert_true(db_isnull(r, 0, 7));
	assert_string_equal(db_text(r, 0, 8), "");
	assert_true(db_int(r, 0, 9) > 1700000000);
	arena_free(a);
}

/* An event without texts of its own takes the default ones; a phone alone
 * gets a message and no mail; the officer's lines become one line. */
static void test_default_texts_and_phone_only(void **state)
{
	(void)state;
	struct notice n = receive;
	n.email = "";
	n.phone = "+84 86 123 4567";
	n.event = "financial_request";
	n.status_to = 6;
	n.due_at = NULL;
	n.note = "Nộp lệ phí 1.500.000 đ\ntại Kho bạc Nhà nước.";
	notify_set_channel("zalo");
	mc_status notified;
	assert_int_equal(run(&n, MC_OK, &notified), MC_OK);
	assert_int_equal(count("SELECT count(*) FROM mail_outbox"), 0);
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(db_reader(F.d), a,
				  "SELECT channel, to_phone, body FROM message_outbox", DB_NOARGS,
				  &r),
			 MC_OK);
	assert_int_equal(db_nrows(r), 1);
	assert_string_equal(db_text(r, 0, 0), "zalo");
	assert_string_equal(db_text(r, 0, 1), "+84861234567");
	assert_string_equal(db_text(r, 0, 2),
			    "Hồ sơ " CODE " tại UBND xã Gia Viễn: Yêu cầu thực hiện nghĩa vụ tài "
			    "chính. Nộp lệ phí 1.500.000 đ tại Kho bạc Nhà nước.");
	arena_free(a);
}

/* A long note: the text is cut to 160 characters ending with "…". */
static void test_long_note_is_cut(void **state)
{
	(void)state;
	char note[1200];
	size_t used = 0;
	for (int i = 0; i < 30; i++)
		used += (size_t)snprintf(note + used, sizeof(note) - used, "Thiếu bản sao. ");
	struct notice n = receive;
	n.email = NULL;
	n.event = "request_supplement";
	n.status_to = 5;
	n.note = note;
	mc_status notified;
	assert_int_equal(run(&n, MC_OK, &notified), MC_OK);
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(
		db_query(db_reader(F.d), a, "SELECT body FROM message_outbox", DB_NOARGS, &r),
		MC_OK);
	assert_int_equal(db_nrows(r), 1);
	const char *text = db_text(r, 0, 0);
	assert_int_equal(text_length(text), NOTIFY_SMS_CHARS);
	const char *prefix = "Hồ sơ " CODE " cần bổ sung: Thiếu bản sao. Thiếu bản sao.";
	assert_memory_equal(text, prefix, strlen(prefix));
	size_t len = strlen(text);
	assert_string_equal(text + len - 3, "…");
	assert_true(text[len - 4] != ' ');
	arena_free(a);
}

static void test_nothing_without_email_or_phone(void **state)
{
	(void)state;
	struct notice n = receive;
	n.email = NULL;
	n.phone = "";
	mc_status notified;
	assert_int_equal(run(&n, MC_OK, &notified), MC_OK);
	assert_int_equal(notified, MC_OK);
	assert_int_equal(count("SELECT count(*) FROM mail_outbox"), 0);
	assert_int_equal(count("SELECT count(*) FROM message_outbox"), 0);
	/* The transition itself committed. */
	assert_int_equal(rows(), 1);
}

/* The notice exists exactly when the transition it reports commits. */
static void test_rollback_leaves_nothing(void **state)
{
	(void)state;
	mc_status notified;
	assert_int_equal(run(&receive, MC_CONFLICT, &notified), MC_CONFLICT);
	assert_int_equal(notified, MC_OK);
	assert_int_equal(rows(), 0);
}

/* A notice without a code or event is a caller's bug: refused, and with
 * it the write. A contact that fails the checks is skipped (the officer's
 * transition must go on): a good one beside it is still told. */
static void test_bad_input_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *code, *event, *email, *phone;
		mc_status want;
		long long rows;
	} cases[] = {
		{NULL, "receive", "an@example.vn", NULL, MC_INVALID, 0},
		{"", "receive", "an@example.vn", NULL, MC_INVALID, 0},
		{CODE, NULL, "an@example.vn", NULL, MC_INVALID, 0},
		{CODE, "", NULL, "0912345678", MC_INVALID, 0},
		{CODE, "receive", "not-an-address", NULL, MC_OK, 0},
		{CODE, "receive", NULL, "0241234567", MC_OK, 0},
		{CODE, "receive", NULL, "12345", MC_OK, 0},
		{CODE, "receive", "an@example.vn", "09123", MC_OK, 1},
		{CODE, "receive", "not-an-address", "0912345678", MC_OK, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct notice n = receive;
		n.code = cases[i].code;
		n.event = cases[i].event;
		n.email = cases[i].email;
		n.phone = cases[i].phone;
		arena *a = arena_new(0);
		if (!n.code) {
			/* Without a code the helper cannot write its row. */
			assert_int_equal(notify_transition(NULL, a, &n), MC_INVALID);
			arena_free(a);
			continue;
		}
		arena_free(a);
		assert_int_equal(clear(NULL), 0);
		mc_status notified;
		assert_int_equal(run(&n, MC_OK, &notified), cases[i].want);
		assert_int_equal(notified, cases[i].want);
		/* the transition's own row commits with the notices it could queue */
		assert_int_equal(rows(), cases[i].want == MC_OK ? cases[i].rows + 1 : 0);
	}
	assert_int_equal(notify_transition(NULL, NULL, NULL), MC_INVALID);
}

struct queue_args {
	const char *channel, *phone, *text;
};

static mc_status queue_fn(db_conn *c, void *p)
{
	struct queue_args *q = p;
	return message_queue(c, q->channel, q->phone, q->text);
}

static void test_message_queue_checks_its_input(void **state)
{
	(void)state;
	char big[MESSAGE_MAX_CHARS + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	static const char *const bad_texts[] = {"", "   ", "a\tb", "a\rb", "\xc3\x28", "a\x01"};
	struct queue_args q = {"sms", "0912345678", "Xin chào"};
	for (size_t i = 0; i < sizeof(bad_texts) / sizeof(bad_texts[0]); i++) {
		q.text = bad_texts[i];
		assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	}
	q.text = big;
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	q.text = NULL;
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	q = (struct queue_args){"email", "0912345678", "Xin chào"};
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	q.channel = NULL;
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	q = (struct queue_args){"zalo", NULL, "Xin chào"};
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	assert_int_equal(count("SELECT count(*) FROM message_outbox"), 0);
	/* Largest text, and text typed as NFD stored as NFC, two lines kept. */
	big[MESSAGE_MAX_CHARS] = '\0';
	q = (struct queue_args){"zalo", "0912345678", big};
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_OK);
	q.text = "Ho\xcc\x82\xcc\x80 so\xcc\x9b\ndo\xcc\x82";
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_OK);
	assert_int_equal(count("SELECT count(*) FROM message_outbox WHERE body = 'Hồ sơ\ndô'"), 1);
}

static void test_json_body(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	/* 2026-11-29 06:30:00 UTC is 13:30 in Vietnam. */
	const char *j = message_json(a, "0123456789abcdef0123456789abcdef", "sms", "+84912345678",
				     "Hồ sơ \"A\" đã có kết quả.", 1795933800);
	assert_string_equal(j,
			    "{\"id\":\"0123456789abcdef0123456789abcdef\",\"channel\":\"sms\","
			    "\"to\":\"+84912345678\",\"text\":\"Hồ sơ \\\"A\\\" đã có kết quả.\","
			    "\"created_at\":\"2026-11-29T13:30:00+07:00\"}");
	arena_free(a);
}

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block size). */
static void test_signature_vectors(void **state)
{
	(void)state;
	char sig[MESSAGE_SIGNATURE_LEN];
	message_sign("Jefe", "what do ya want for nothing?", 28, sig);
	assert_string_equal(
		sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	char key1[21];
	memset(key1, 0x0b, 20);
	key1[20] = '\0';
	message_sign(key1, "Hi There", 8, sig);
	assert_string_equal(
		sig, "sha256=b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	char key6[132];
	memset(key6, 0xaa, 131);
	key6[131] = '\0';
	const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
	message_sign(key6, msg, strlen(msg), sig);
	assert_string_equal(
		sig, "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

int main(void)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test_setup(test_receive_queues_mail_and_message, clear),
		cmocka_unit_test_setup(test_default_texts_and_phone_only, clear),
		cmocka_unit_test_setup(test_long_note_is_cut, clear),
		cmocka_unit_test_setup(test_nothing_without_email_or_phone, clear),
		cmocka_unit_test_setup(test_rollback_leaves_nothing, clear),
		cmocka_unit_test_setup(test_bad_input_is_refused, clear),
		cmocka_unit_test_setup(test_message_queue_checks_its_input, clear),
		cmocka_unit_test(test_json_body),
		cmocka_unit_test(test_signature_vectors),
	};
	return cmocka_run_group_tests_name(testdb_backend(), all, group_setup, group_teardown);
}
