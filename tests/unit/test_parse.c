/*
 * test_parse.c - the strict conversions (core/parse.h): integers at and past
 * the int64 limits and with stray characters, sizes with K/M/G suffixes and
 * overflow, booleans, listen addresses for IPv4 and IPv6, and the UTF-8 text
 * check (overlongs, surrogates, above U+10FFFF, truncation, C0 and C1
 * controls). Every failure must leave the output untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/parse.h"

#define SENTINEL 0x5eed5eedll

static void int_ok(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t v = SENTINEL;
	if (parse_int64(s, min, max, &v) != 0)
		print_error("parse_int64(\"%s\") failed\n", s);
	assert_int_equal(parse_int64(s, min, max, &v), 0);
	assert_true(v == want);
}

static void int_bad(const char *s, int64_t min, int64_t max)
{
	int64_t v = SENTINEL;
	int rc = parse_int64(s, min, max, &v);
	if (rc != -1)
		print_error("parse_int64(\"%s\") accepted\n", s ? s : "(null)");
	assert_int_equal(rc, -1);
	assert_true(v == SENTINEL);
}

static void test_int64(void **state)
{
	(void)state;
	int_ok("0", INT64_MIN, INT64_MAX, 0);
	int_ok("-0", INT64_MIN, INT64_MAX, 0);
	int_ok("-0", 0, 10, 0); /* -0 is zero, inside [0, 10] */
	int_ok("42", INT64_MIN, INT64_MAX, 42);
	int_ok("-42", INT64_MIN, INT64_MAX, -42);
	int_ok("007", 0, 100, 7);
	int_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	int_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	int_ok("10", 10, 10, 10);

	int_bad("9223372036854775808", INT64_MIN, INT64_MAX);
	int_bad("-9223372036854775809", INT64_MIN, INT64_MAX);
	int_bad("99999999999999999999999", INT64_MIN, INT64_MAX);
	int_bad("11", 0, 10);
	int_bad("-1", 0, 10);
	int_bad("65536", 0, 65535);
	int_bad("", INT64_MIN, INT64_MAX);
	int_bad(NULL, INT64_MIN, INT64_MAX);
	int_bad(" 12", INT64_MIN, INT64_MAX);
	int_bad("\t12", INT64_MIN, INT64_MAX);
	int_bad("12 ", INT64_MIN, INT64_MAX);
	int_bad("12\n", INT64_MIN, INT64_MAX);
	int_bad("12abc", INT64_MIN, INT64_MAX);
	int_bad("abc", INT64_MIN, INT64_MAX);
	int_bad("1.5", INT64_MIN, INT64_MAX);
	int_bad("1e3", INT64_MIN, INT64_MAX);
	int_bad("0x10", INT64_MIN, INT64_MAX);
	int_bad("-", INT64_MIN, INT64_MAX);
	int_bad("--1", INT64_MIN, INT64_MAX);
	int_bad("1-", INT64_MIN, INT64_MAX);
	int_bad("１２", INT64_MIN, INT64_MAX); /* full-width digits */
}

static void size_ok(const char *s, size_t max, size_t want)
{
	size_t v = SENTINEL;
	if (parse_size(s, max, &v) != 0)
		print_error("parse_size(\"%s\") failed\n", s);
	assert_int_equal(parse_size(s, max, &v), 0);
	assert_true(v == want);
}

static void size_bad(const char *s, size_t max)
{
	size_t v = SENTINEL;
	int rc = parse_size(s, max, &v);
	if (rc != -1)
		print_error("parse_size(\"%s\") accepted\n", s ? s : "(null)");
	assert_int_equal(rc, -1);
	assert_true(v == SENTINEL);
}

static void test_size(void **state)
{
	(void)state;
	size_ok("0", SIZE_MAX, 0);
	size_ok("1024", SIZE_MAX, 1024);
	size_ok("1K", SIZE_MAX, 1024);
	size_ok("1k", SIZE_MAX, 1024);
	size_ok("1KB", SIZE_MAX, 1024);
	size_ok("64kb", SIZE_MAX, 64u << 10);
	size_ok("20M", SIZE_MAX, 20u << 20);
	size_ok("20MB", SIZE_MAX, 20u << 20);
	size_ok("2G", SIZE_MAX, (size_t)2 << 30);
	size_ok("3GB", SIZE_MAX, (size_t)3 << 30);
	size_ok("0M", SIZE_MAX, 0);
	/* Limits: exactly max is fine, one unit more is not. */
	size_ok("1024", 1024, 1024);
	size_ok("1K", 1024, 1024);
	size_ok("1G", (size_t)1 << 30, (size_t)1 << 30);
	size_bad("1025", 1024);
	size_bad("2K", 1024);
	size_bad("2G", (size_t)1 << 30);
	/* Overflow of the number or of number x suffix. */
	size_bad("18446744073709551616", SIZE_MAX);
	size_bad("99999999999999999999999", SIZE_MAX);
	size_bad("17179869184G", SIZE_MAX); /* 2^34 GiB = 2^64 bytes */
	size_bad("18014398509481984K", SIZE_MAX);
	/* Not sizes. */
	size_bad("", SIZE_MAX);
	size_bad(NULL, SIZE_MAX);
	size_bad("K", SIZE_MAX);
	size_bad("-1", SIZE_MAX);
	size_bad("-1K", SIZE_MAX);
	size_bad("+1", SIZE_MAX);
	size_bad(" 1", SIZE_MAX);
	size_bad("1 ", SIZE_MAX);
	size_bad("1 K", SIZE_MAX);
	size_bad("1.5M", SIZE_MAX);
	size_bad("1T", SIZE_MAX);
	size_bad("1KK", SIZE_MAX);
	size_bad("1KBB", SIZE_MAX);
	size_bad("1Kx", SIZE_MAX);
	size_bad("1MiB", SIZE_MAX);
	size_bad("0x10", SIZE_MAX);
}

static void test_bool(void **state)
{
	(void)state;
	static const char *const yes[] = {"1", "true", "TRUE", "True", "yes", "YES", "on", "On"};
	static const char *const no[] = {"0", "false", "FALSE", "no", "No", "off", "OFF"};
	static const char *const bad[] = {"",	   "2",	   "y",	 "n",  "truee", " true",
					  "true ", "nope", "-1", "01", "o"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		bool v = false;
		assert_int_equal(parse_bool(yes[i], &v), 0);
		assert_true(v);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		bool v = true;
		assert_int_equal(parse_bool(no[i], &v), 0);
		assert_false(v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool v = true;
		if (parse_bool(bad[i], &v) != -1)
			print_error("parse_bool(\"%s\") accepted\n", bad[i]);
		assert_int_equal(parse_bool(bad[i], &v), -1);
		assert_true(v);
		v = false;
		assert_int_equal(parse_bool(bad[i], &v), -1);
		assert_false(v);
	}
}

static void listen_ok(const char *s, const char *host, unsigned short port)
{
	char h[64];
	unsigned short p = 1;
	memset(h, 'x', sizeof(h));
	if (parse_listen(s, h, sizeof(h), &p) != 0)
		print_error("parse_listen(\"%s\") failed\n", s);
	assert_int_equal(parse_listen(s, h, sizeof(h), &p), 0);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
}

static void listen_bad(const char *s)
{
	char h[64] = "untouched";
	unsigned short p = 4321;
	int rc = parse_listen(s, h, sizeof(h), &p);
	if (rc != -1)
		print_error("parse_listen(\"%s\") accepted\n", s);
	assert_int_equal(rc, -1);
	assert_string_equal(h, "untouched");
	assert_int_equal(p, 4321);
}

static void test_listen(void **state)
{
	(void)state;
	listen_ok("127.0.0.1:8080", "127.0.0.1", 8080);
	listen_ok("0.0.0.0:80", "0.0.0.0", 80);
	listen_ok("localhost:65535", "localhost", 65535);
	listen_ok("portal.ninhbinh.gov.vn:1", "portal.ninhbinh.gov.vn", 1);
	listen_ok("[::1]:80", "::1", 80);
	listen_ok("[::]:8443", "::", 8443);
	listen_ok("[2001:db8::1]:443", "2001:db8::1", 443);

	listen_bad("127.0.0.1");
	listen_bad("127.0.0.1:");
	listen_bad(":80");
	listen_bad("");
	listen_bad("127.0.0.1:65536");
	listen_bad("127.0.0.1:99999999999999999999");
	listen_bad("127.0.0.1:-1");
	listen_bad("127.0.0.1:80x");
	listen_bad("127.0.0.1: 80");
	listen_bad("127.0.0.1:http");
	listen_bad("[::1]");
	listen_bad("[::1]80");
	listen_bad("[::1]:");
	listen_bad("[::1]:70000");
	listen_bad("[::1:80");
	listen_bad("[]:80");

	/* The host must fit with its terminator. */
	char h[10];
	unsigned short p = 0;
	assert_int_equal(parse_listen("127.0.0.1:80", h, 10, &p), 0);
	assert_string_equal(h, "127.0.0.1");
	p = 7;
	assert_int_equal(parse_listen("127.0.0.10:80", h, 10, &p), -1);
	assert_int_equal(p, 7);
}

static bool valid(const char *s)
{
	return utf8_valid_text(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
	(void)state;
	static const char *const good[] = {
		"",
		"plain ASCII ~!@#$%^&*()",
		"Nguyễn Văn Ánh, Ủy ban nhân dân tỉnh Ninh Bình",
		"Đăng ký khai sinh — lệ phí: 0 đ",
		"tab\there, newline\nhere, CR\r\n",
		"\xc2\xa0",	     /* U+00A0, first after C1 */
		"\xdf\xbf",	     /* U+07FF, last two-byte */
		"\xe0\xa0\x80",	     /* U+0800, first three-byte */
		"\xed\x9f\xbf",	     /* U+D7FF, just below surrogates */
		"\xee\x80\x80",	     /* U+E000, just above */
		"\xef\xbf\xbd",	     /* U+FFFD */
		"\xf0\x90\x80\x80",  /* U+10000, first four-byte */
		"\xf4\x8f\xbf\xbf",  /* U+10FFFF, the last code point */
		"e\xcc\x82\xcc\x83", /* NFD is still valid UTF-8 */
	};
	static const char *const bad[] = {
		"\xc0\x80",		    /* overlong NUL */
		"\xc0\xaf",		    /* overlong '/' */
		"\xc1\xbf",		    /* overlong U+007F */
		"\xe0\x80\x80",		    /* overlong three-byte */
		"\xe0\x9f\xbf",		    /* overlong U+07FF */
		"\xf0\x80\x80\x80",	    /* overlong four-byte */
		"\xf0\x8f\xbf\xbf",	    /* overlong U+FFFF */
		"\xed\xa0\x80",		    /* U+D800 */
		"\xed\xbf\xbf",		    /* U+DFFF */
		"\xed\xa0\xbd\xed\xb8\x80", /* CESU-8 pair */
		"\xf4\x90\x80\x80",	    /* U+110000 */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80",
		"\xfe",
		"\xff",
		"\x80", /* lone continuation */
		"a\xbf",
		"\xc3",		/* truncated two-byte */
		"\xe1\xba",	/* truncated three-byte */
		"\xf0\x9f\x98", /* truncated four-byte */
		"\xe1\xba"
		"a",		/* truncated, then ASCII */
		"\xc3\xc3\xa9", /* lead where a continuation belongs */
		"\x01",
		"a\x1b[0m", /* ESC */
		"\x7f",	    /* DEL */
		"\x0b",	    /* vertical tab */
		"\x0c",	    /* form feed */
		"\xc2\x80", /* U+0080, C1 */
		"\xc2\x85", /* U+0085 NEL */
		"\xc2\x9f", /* U+009F, last C1 */
		"Nguy\xe1\xbb\x85n\x07",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!valid(good[i]))
			print_error("good[%zu] refused\n", i);
		assert_true(valid(good[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (valid(bad[i]))
			print_error("bad[%zu] accepted\n", i);
		assert_false(valid(bad[i]));
	}
	/* NUL is a control character too. */
	assert_false(utf8_valid_text("a\0b", 3));
	/* Only n bytes are looked at: a sequence cut by n is truncated, and
	 * what lies past n does not matter. */
	assert_false(utf8_valid_text("\xe1\xba\xbf", 2));
	assert_true(utf8_valid_text("\xe1\xba\xbf", 3));
	assert_true(utf8_valid_text("ab\x01", 2));
	assert_true(utf8_valid_text(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int64),	   cmocka_unit_test(test_size),
		cmocka_unit_test(test_bool),	   cmocka_unit_test(test_listen),
		cmocka_unit_test(test_utf8_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
