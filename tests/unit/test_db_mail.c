/*
 * test_db_mail.c - the mail outbox (domain/mail.h) on a real database (SQLite,
 * then PostgreSQL in the second pass of scripts/test.sh): mail_queue stores a
 * valid mail, refuses bad recipients, multi-line subjects and bad text, and
 * its row commits or rolls back with the caller's write; and mail_compose
 * builds messages whose headers are complete, whose lines end in CRLF and stay
 * short, whose quoted-printable body and RFC 2047 subject decode back to the
 * original text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/mail.h"
#include "testdb.h"
#include "unit/dbfixture.h"

static struct dbfixture F;

static int group_setup(void **state)
{
	(void)state;
	return dbfixture_open(&F, "mail", NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	dbfixture_close(&F);
	return 0;
}

struct queue_args {
	const char *to, *subject, *body;
	mc_status then; /* what the caller's write returns after queueing */
	mc_status queued;
};

static mc_status queue_fn(db_conn *c, void *p)
{
	struct queue_args *a = p;
	a->queued = mail_queue(c, a->to, a->subject, a->body);
	if (a->queued != MC_OK)
		return a->queued;
	return a->then;
}

static long long count_to(const char *to)
{
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(db_reader(F.d), a,
				  "SELECT count(*) FROM mail_outbox WHERE to_addr = $1",
				  DB_ARGS(DB_TEXT(to)), &r),
			 MC_OK);
	long long n = db_int(r, 0, 0);
	arena_free(a);
	return n;
}

static void test_queue_stores_the_mail(void **state)
{
	(void)state;
	struct queue_args q = {
		"an.nguyen@example.vn", "Hồ sơ đã được tiếp nhận",
		"Kính gửi ông An,\r\nHồ sơ của ông đã được tiếp nhận.\n\tTrân trọng.", MC_OK,
		MC_INTERNAL};
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_OK);
	assert_int_equal(q.queued, MC_OK);
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(
		db_query(db_reader(F.d), a,
			 "SELECT id, subject, body, attempts, sent_at, last_error,"
			 " next_attempt_at, created_at FROM mail_outbox WHERE to_addr = $1",
			 DB_ARGS(DB_TEXT(q.to)), &r),
		MC_OK);
	assert_int_equal(db_nrows(r), 1);
	const char *id = db_text(r, 0, 0);
	assert_int_equal(strlen(id), 32);
	assert_int_equal(strspn(id, "0123456789abcdef"), 32);
	assert_string_equal(db_text(r, 0, 1), q.subject);
	assert_string_equal(db_text(r, 0, 2), q.body);
	assert_int_equal(db_int(r, 0, 3), 0);
	assert_true(db_isnull(r, 0, 4));
	assert_string_equal(db_text(r, 0, 5), "");
	assert_int_equal(db_int(r, 0, 6), 0);
	assert_true(db_int(r, 0, 7) > 1700000000);
	arena_free(a);
}

/* The mail exists exactly when the change it reports commits. */
static void test_queue_rolls_back_with_the_caller(void **state)
{
	(void)state;
	struct queue_args q = {"rollback@example.vn", "Không gửi", "Thân thư.", MC_CONFLICT,
			       MC_INTERNAL};
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_CONFLICT);
	assert_int_equal(q.queued, MC_OK);
	assert_int_equal(count_to("rollback@example.vn"), 0);
}

static void test_queue_refuses_bad_input(void **state)
{
	(void)state;
	static const struct {
		const char *to, *subject, *body;
	} rows[] = {
		{"not-an-address", "Chủ đề", "Thân"},
		{"", "Chủ đề", "Thân"},
		{NULL, "Chủ đề", "Thân"},
		{"a b@example.vn", "Chủ đề", "Thân"},
		{"x@example.vn\r\nBcc: y@example.vn", "Chủ đề", "Thân"},
		{"bad@example.vn", "", "Thân"},
		{"bad@example.vn", NULL, "Thân"},
		{"bad@example.vn", "Chủ đề\r\nBcc: y@example.vn", "Thân"},
		{"bad@example.vn", "Chủ đề\n", "Thân"},
		{"bad@example.vn", "Chủ \xff đề", "Thân"},
		{"bad@example.vn", "Chủ đề", NULL},
		{"bad@example.vn", "Chủ đề", "Thân \x01 thư"},
		{"bad@example.vn", "Chủ đề", "Thân \xc3\x28 thư"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct queue_args q = {rows[i].to, rows[i].subject, rows[i].body, MC_OK,
				       MC_INTERNAL};
		assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	}
	/* A subject one byte too long, and the longest one. */
	char subject[MAIL_MAX_SUBJECT + 2];
	memset(subject, 'a', sizeof(subject) - 1);
	subject[sizeof(subject) - 1] = '\0';
	struct queue_args q = {"bad@example.vn", subject, "Thân", MC_OK, MC_INTERNAL};
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_INVALID);
	assert_int_equal(count_to("bad@example.vn"), 0);
	subject[MAIL_MAX_SUBJECT] = '\0';
	q.to = "long@example.vn";
	assert_int_equal(db_write(F.d, queue_fn, &q), MC_OK);
	assert_int_equal(count_to("long@example.vn"), 1);
}

/* ---- composing ---- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes a quoted-printable body with CRLF line ends into LF text. */
static char *qp_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	assert_non_null(out);
	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=') {
			int hi = hexval(s[1]), lo = hexval(s[2]);
			assert_true(hi >= 0 && lo >= 0);
			*o++ = (char)(hi * 16 + lo);
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			*o++ = '\n';
			s += 2;
		} else {
			assert_true(*s != '\r' && *s != '\n');
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* Decodes the "=?UTF-8?B?...?=" words of a folded Subject value. */
static char *subject_decode(const char *v)
{
	char *out = calloc(1, strlen(v) + 1);
	size_t n = 0;
	assert_non_null(out);
	while ((v = strstr(v, "=?UTF-8?B?"))) {
		v += 10;
		const char *end = strstr(v, "?=");
		assert_non_null(end);
		assert_true(end - v + 12 <= 75);
		size_t got;
		assert_int_equal(sodium_base642bin((unsigned char *)out + n, strlen(v), v,
						   (size_t)(end - v), NULL, &got, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		n += got;
		v = end + 2;
	}
	out[n] = '\0';
	return out;
}

struct message {
	char *text;
	const char *body;  /* after the blank line */
	char subject[512]; /* the Subject value, unfolded */
};

static void compose(struct message *m, const char *subject, const char *body)
{
	buf b = BUF_INIT(1 << 20);
	assert_int_equal(mail_compose(&b, "abc123", "no-reply@dichvucong.ninhbinh.gov.vn",
				      "an@example.vn", subject, body, 0),
			 0);
	m->text = b.data;
	/* Every line ends in CRLF and is at most 78 characters (RFC 5322). */
	size_t col = 0;
	for (const char *p = m->text; *p; p++) {
		if (*p == '\n') {
			assert_true(p > m->text && p[-1] == '\r');
			col = 0;
		} else {
			col++;
			assert_true(col <= 78);
		}
	}
	const char *sep = strstr(m->text, "\r\n\r\n");
	assert_non_null(sep);
	m->body = sep + 4;
	const char *s = strstr(m->text, "\r\nSubject: ");
	assert_non_null(s);
	s += 11;
	size_t k = 0;
	for (; *s && !(s[0] == '\r' && s[1] == '\n' && s[2] != ' '); s++)
		if (*s != '\r' && *s != '\n' && k < sizeof(m->subject) - 1)
			m->subject[k++] = *s;
	m->subject[k] = '\0';
}

static void test_compose_headers(void **state)
{
	(void)state;
	struct message m;
	compose(&m, "Plain subject", "Body.");
	static const char date[] = "Date: Thu, 01 Jan 1970 07:00:00 +0700\r\n";
	assert_true(strncmp(m.text, date, sizeof(date) - 1) == 0);
	static const char *const headers[] = {
		"\r\nFrom: no-reply@dichvucong.ninhbinh.gov.vn\r\n",
		"\r\nTo: an@example.vn\r\n",
		"\r\nSubject: Plain subject\r\n",
		"\r\nMessage-ID: <abc123@dichvucong.ninhbinh.gov.vn>\r\n",
		"\r\nMIME-Version: 1.0\r\n",
		"\r\nContent-Type: text/plain; charset=UTF-8\r\n",
		"\r\nContent-Transfer-Encoding: quoted-printable\r\n",
	};
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!strstr(m.text, headers[i]))
			fail_msg("missing header %s in:\n%s", headers[i] + 2, m.text);
	assert_string_equal(m.body, "Body.\r\n");
	free(m.text);
	/* Text that looks like an encoded word is encoded itself. */
	compose(&m, "=?UTF-8?B?eA==?=", "x");
	assert_true(strncmp(m.subject, "=?UTF-8?B?", 10) == 0);
	char *d = subject_decode(m.subject);
	assert_string_equal(d, "=?UTF-8?B?eA==?=");
	free(d);
	free(m.text);
}

static void test_compose_round_trip(void **state)
{
	(void)state;
	static const struct {
		const char *subject, *body, *decoded;
	} rows[] = {
		{"Hồ sơ đã được tiếp nhận", "Kính gửi ông Nguyễn Văn An,\nTrân trọng.",
		 "Kính gửi ông Nguyễn Văn An,\nTrân trọng.\n"},
		{"Thông báo: hồ sơ 000.00.16.H43-261128-0001 cần bổ sung giấy tờ theo mẫu 02 — "
		 "vui lòng nộp trong 3 ngày làm việc",
		 ".\n..dot first\nline with trailing space \nand tab\t\n= equals =\r\nCRLF",
		 ".\n..dot first\nline with trailing space \nand tab\t\n= equals =\nCRLF\n"},
		{"Ứ", "", "\n"},
		{"a",
		 "ệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệ một dòng rất dài không có dấu "
		 "xuống dòng nào cả xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 "ệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệ một dòng rất dài không có dấu "
		 "xuống dòng nào cả xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct message m;
		compose(&m, rows[i].subject, rows[i].body);
		char *subject = strncmp(m.subject, "=?", 2) == 0 ? subject_decode(m.subject)
								 : strdup(m.subject);
		assert_string_equal(subject, rows[i].subject);
		char *body = qp_decode(m.body);
		assert_string_equal(body, rows[i].decoded);
		/* No line of the body starts with a dot (SMTP would eat it)
		 * and no line ends in white space (relays strip it). */
		for (const char *p = m.body; *p; p++) {
			if (p == m.body || p[-1] == '\n')
				assert_true(*p != '.');
			if (p[0] == '\r')
				assert_true(p == m.body || (p[-1] != ' ' && p[-1] != '\t'));
		}
		free(subject);
		free(body);
		free(m.text);
	}
}

/* A message that does not fit the buffer is refused, not cut. */
static void test_compose_overflow(void **state)
{
	(void)state;
	buf b = BUF_INIT(200);
	assert_int_equal(mail_compose(&b, "x", "a@b.vn", "c@d.vn", "Chủ đề", "Thân thư dài.", 0),
			 -1);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_stores_the_mail),
		cmocka_unit_test(test_queue_rolls_back_with_the_caller),
		cmocka_unit_test(test_queue_refuses_bad_input),
		cmocka_unit_test(test_compose_headers),
		cmocka_unit_test(test_compose_round_trip),
		cmocka_unit_test(test_compose_overflow),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
