/*
 * test_multipart.c - the streaming multipart/form-data parser
 * (http/multipart.h): the boundary parameter, parts and their data, the
 * same result whatever way the body is cut into chunks (every split point,
 * and one byte at a time), data that looks almost like a boundary, and
 * bodies that are refused (cut short, no Content-Disposition, oversized
 * headers, a callback that stops).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/multipart.h"

/* What the callbacks saw, as one text: "[name|filename|type]data<end>". */
struct seen {
	buf log;
	int stop_at_data; /* return this from part_data when non-zero */
};

static int on_begin(void *ud, const char *name, const char *filename, const char *ctype)
{
	struct seen *s = ud;
	buf_printf(&s->log, "[%s|%s|%s]", name, filename ? filename : "-", ctype ? ctype : "-");
	return 0;
}

static int on_data(void *ud, const char *p, size_t n)
{
	struct seen *s = ud;
	assert_true(n > 0);
	buf_append(&s->log, p, n);
	return s->stop_at_data;
}

static int on_end(void *ud)
{
	struct seen *s = ud;
	buf_puts(&s->log, "<end>");
	return 0;
}

static const struct mp_callbacks cb = {on_begin, on_data, on_end};

#define BODY                                                                                       \
	"preamble to ignore\r\n"                                                                   \
	"--XyZ'()+_,-./:=?\r\n"                                                                    \
	"Content-Disposition: form-data; name=\"procedure\"\r\n"                                   \
	"\r\n"                                                                                     \
	"1.001193\r\n"                                                                             \
	"--XyZ'()+_,-./:=?\r\n"                                                                    \
	"content-disposition: form-data; name=doc_0; filename=\"t\\\"\\\\k.pdf\"\r\n"              \
	"Content-Type: application/pdf\r\n"                                                        \
	"\r\n"                                                                                     \
	"%PDF\r\n--XyZ'()+_\r\r\n-\r\n--XyZ'()+_,-./:=\r\n\r\n\r--\r\n"                            \
	"--XyZ'()+_,-./:=?  \r\n"                                                                  \
	"Content-Disposition: form-data; name=\"empty\"\r\n"                                       \
	"\r\n"                                                                                     \
	"\r\n"                                                                                     \
	"--XyZ'()+_,-./:=?--\r\nepilogue"

#define EXPECTED                                                                                   \
	"[procedure|-|-]1.001193<end>"                                                             \
	"[doc_0|t\"\\k.pdf|application/pdf]"                                                       \
	"%PDF\r\n--XyZ'()+_\r\r\n-\r\n--XyZ'()+_,-./:=\r\n\r\n\r--<end>"                           \
	"[empty|-|-]<end>"

static const char boundary[] = "XyZ'()+_,-./:=?";

/* Feeds body in pieces of at most step bytes, the first piece first_len. */
static int run(const char *body, size_t len, size_t first_len, size_t step, struct seen *s)
{
	mp_parser *p = malloc(sizeof(*p));
	assert_non_null(p);
	buf_init(&s->log, 1 << 20);
	mp_init(p, boundary, &cb, s);
	int rc = mp_feed(p, body, first_len);
	for (size_t at = first_len; rc == 0 && at < len; at += step)
		rc = mp_feed(p, body + at, len - at < step ? len - at : step);
	if (rc == 0)
		rc = mp_finish(p);
	free(p);
	return rc;
}

static void test_boundary_param(void **state)
{
	char b[MP_BOUNDARY_MAX + 1];
	assert_int_equal(mp_boundary("multipart/form-data; boundary=abc123", b, sizeof(b)), 0);
	assert_string_equal(b, "abc123");
	assert_int_equal(
		mp_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"", b, sizeof(b)),
		0);
	assert_string_equal(b, "a b:c");
	assert_int_equal(mp_boundary("multipart/form-data", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/mixed; boundary=x", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("application/x-www-form-urlencoded", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary(NULL, b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a\rb", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"ab \"", b, sizeof(b)), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"abc", b, sizeof(b)), -1);
	char longb[128];
	memset(longb, 'a', sizeof(longb));
	snprintf(longb, sizeof(longb), "multipart/form-data; boundary=%071d", 0);
	assert_int_equal(mp_boundary(longb, b, sizeof(b)), -1); /* 71 characters */
	snprintf(longb, sizeof(longb), "multipart/form-data; boundary=%070d", 0);
	assert_int_equal(mp_boundary(longb, b, sizeof(b)), 0);
}

static void test_whole(void **state)
{
	struct seen s = {0};
	assert_int_equal(run(BODY, strlen(BODY), strlen(BODY), 1, &s), 0);
	assert_string_equal(buf_str(&s.log), EXPECTED);
	buf_release(&s.log);
}

/* Every split point, and one byte at a time: the same parts, same bytes. */
static void test_every_split(void **state)
{
	size_t len = strlen(BODY);
	for (size_t cut = 0; cut <= len; cut++) {
		struct seen s = {0};
		assert_int_equal(run(BODY, len, cut, len, &s), 0);
		if (strcmp(buf_str(&s.log), EXPECTED) != 0)
			fail_msg("split at %zu: %s", cut, buf_str(&s.log));
		buf_release(&s.log);
	}
	struct seen s = {0};
	assert_int_equal(run(BODY, len, 0, 1, &s), 0);
	assert_string_equal(buf_str(&s.log), EXPECTED);
	buf_release(&s.log);
}

/* A large part passes through in runs, unchanged. */
static void test_large_part(void **state)
{
	size_t n = 3 * MP_OUT_BUF + 17;
	buf body;
	buf_init(&body, 1 << 20);
	buf_puts(&body, "--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n");
	size_t start = body.len;
	for (size_t i = 0; i < n; i++)
		buf_putc(&body, (char)("\r\n-b"[i % 4])); /* CR LF dashes everywhere */
	buf_puts(&body, "\r\n--b--");
	mp_parser *p = malloc(sizeof(*p));
	struct seen s = {0};
	buf_init(&s.log, 1 << 20);
	mp_init(p, "b", &cb, &s);
	for (size_t at = 0; at < body.len; at += 1000)
		assert_int_equal(
			mp_feed(p, body.data + at, body.len - at < 1000 ? body.len - at : 1000), 0);
	assert_int_equal(mp_finish(p), 0);
	const char *log = buf_str(&s.log);
	const char *data = strchr(log, ']') + 1;
	assert_int_equal(strlen(data), n + strlen("<end>"));
	assert_memory_equal(data, body.data + start, n);
	free(p);
	buf_release(&s.log);
	buf_release(&body);
}

static int parse_all(const char *b, const char *body)
{
	mp_parser *p = malloc(sizeof(*p));
	struct seen s = {0};
	buf_init(&s.log, 1 << 20);
	mp_init(p, b, &cb, &s);
	int rc = mp_feed(p, body, strlen(body));
	if (rc == 0)
		rc = mp_finish(p);
	free(p);
	buf_release(&s.log);
	return rc;
}

static void test_refused(void **state)
{
	/* Cut short: no closing boundary. */
	assert_int_equal(parse_all("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx"),
			 -1);
	/* Nothing at all, or only a preamble. */
	assert_int_equal(parse_all("b", ""), -1);
	assert_int_equal(parse_all("b", "hello"), -1);
	/* No Content-Disposition, or no name, or another disposition. */
	assert_int_equal(parse_all("b", "--b\r\n\r\nx\r\n--b--"), -1);
	assert_int_equal(parse_all("b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--"), -1);
	assert_int_equal(parse_all("b", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--"),
			 -1);
	assert_int_equal(
		parse_all("b", "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--"),
		-1);
	/* Two names, an unclosed quote, line folding, a NUL in the headers. */
	assert_int_equal(
		parse_all("b",
			  "--b\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n\r\n--b--"),
		-1);
	assert_int_equal(
		parse_all("b", "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--b--"),
		-1);
	assert_int_equal(parse_all("b", "--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n"
					"\r\n--b--"),
			 -1);
	/* Garbage after a boundary, a bare LF. */
	assert_int_equal(parse_all("b", "--bx\r\n"), -1);
	assert_int_equal(parse_all("b", "--b\n"), -1);
	assert_int_equal(parse_all("b", "--b-x"), -1);
	/* The valid minimum, for contrast. */
	assert_int_equal(
		parse_all("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--b--"),
		0);
	assert_int_equal(parse_all("b", "--b--"), 0);

	/* Headers larger than MP_HEADERS_MAX. */
	buf big;
	buf_init(&big, 1 << 20);
	buf_puts(&big, "--b\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	for (int i = 0; i < MP_HEADERS_MAX; i++)
		buf_putc(&big, 'p');
	buf_puts(&big, "\r\n\r\n\r\n--b--");
	assert_int_equal(parse_all("b", buf_str(&big)), -1);
	buf_release(&big);
}

static void test_too_many_parts(void **state)
{
	buf body;
	buf_init(&body, 1 << 24);
	for (int i = 0; i <= MP_PARTS_MAX; i++)
		buf_printf(&body, "--b\r\nContent-Disposition: form-data; name=f%d\r\n\r\nv\r\n",
			   i);
	buf_puts(&body, "--b--");
	assert_int_equal(parse_all("b", buf_str(&body)), -1);
	buf_release(&body);
}

/* A callback's refusal stops the parser, sticks, and comes back as is. */
static void test_callback_stops(void **state)
{
	mp_parser *p = malloc(sizeof(*p));
	struct seen s = {0};
	buf_init(&s.log, 1 << 20);
	s.stop_at_data = 7;
	mp_init(p, "b", &cb, &s);
	const char *body = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz\r\n--b--";
	assert_int_equal(mp_feed(p, body, strlen(body)), 7);
	assert_int_equal(mp_feed(p, "more", 4), 7);
	assert_int_equal(mp_finish(p), 7);
	free(p);
	buf_release(&s.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary_param), cmocka_unit_test(test_whole),
		cmocka_unit_test(test_every_split),    cmocka_unit_test(test_large_part),
		cmocka_unit_test(test_refused),	       cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
