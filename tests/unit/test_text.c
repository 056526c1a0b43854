/*
 * test_text.c - cleaning text that enters the system (core/text.h): NFD
 * input comes out as NFC bytes, surrounding white space is trimmed, limits
 * count code points (not bytes, not NFD marks), and invalid UTF-8 or control
 * characters are refused without touching the output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/text.h"

/* "Nguyễn" precomposed (ễ = U+1EC5) and decomposed (e + U+0302 + U+0303). */
#define NGUYEN_NFC "Nguy\xe1\xbb\x85n"
#define NGUYEN_NFD "Nguye\xcc\x82\xcc\x83n"
/* ệ = U+1EC7; NFD is e + U+0323 + U+0302, five bytes. */
#define E_DOT_HAT_NFC "\xe1\xbb\x87"
#define E_DOT_HAT_NFD "e\xcc\xa3\xcc\x82"

static int setup(void **state)
{
	*state = arena_new(0);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static const char *clean_ok(arena *a, const char *s, size_t minlen, size_t maxlen)
{
	const char *out = NULL;
	enum text_problem p = text_clean(a, s, strlen(s), minlen, maxlen, &out);
	if (p != TEXT_OK)
		print_error("text_clean(\"%s\", %zu, %zu) = %d\n", s, minlen, maxlen, (int)p);
	assert_int_equal(p, TEXT_OK);
	assert_non_null(out);
	return out;
}

static void clean_fails(arena *a, const char *s, size_t len, size_t minlen, size_t maxlen,
			enum text_problem want)
{
	const char *out = "untouched";
	enum text_problem p = text_clean(a, s, len, minlen, maxlen, &out);
	if (p != want)
		print_error("text_clean(\"%.*s\") = %d, wanted %d\n", (int)len, s, (int)p,
			    (int)want);
	assert_int_equal(p, want);
	assert_string_equal(out, "untouched");
}

static void test_nfc(void **state)
{
	arena *a = *state;
	assert_string_equal(clean_ok(a, NGUYEN_NFD, 1, 100), NGUYEN_NFC);
	assert_string_equal(clean_ok(a, NGUYEN_NFC, 1, 100), NGUYEN_NFC);
	/* Half composed: ê (U+00EA) + combining tilde -> ễ. */
	assert_string_equal(clean_ok(a, "Nguy\xc3\xaa\xcc\x83n", 1, 100), NGUYEN_NFC);
	/* Marks in the other canonical order compose to the same letter. */
	assert_string_equal(clean_ok(a, "e\xcc\x82\xcc\xa3", 1, 1), E_DOT_HAT_NFC);
	assert_string_equal(clean_ok(a, E_DOT_HAT_NFD, 1, 1), E_DOT_HAT_NFC);
	/* Đ has no decomposition and stays as it is. */
	assert_string_equal(clean_ok(a, "Đặng", 1, 4), "Đặng");
	/* The copy lives in the arena, separate from the input. */
	char in[] = "Trần";
	const char *out = clean_ok(a, in, 1, 10);
	in[0] = 'X';
	assert_string_equal(out, "Trần");
}

static void test_trim(void **state)
{
	arena *a = *state;
	assert_string_equal(clean_ok(a, "  An \t\r\n", 1, 10), "An");
	assert_string_equal(clean_ok(a, "\n\tNguyễn Văn  An\n", 1, 100), "Nguyễn Văn  An");
	assert_string_equal(clean_ok(a, "dòng 1\ndòng 2", 1, 100), "dòng 1\ndòng 2");
	assert_string_equal(clean_ok(a, "   ", 0, 10), "");
	assert_string_equal(clean_ok(a, "", 0, 10), "");
	clean_fails(a, "   ", 3, 1, 10, TEXT_TOO_SHORT);
	clean_fails(a, "", 0, 1, 10, TEXT_TOO_SHORT);
	/* Trimming comes before the length check: padding does not count. */
	assert_string_equal(clean_ok(a, "   An   ", 2, 2), "An");
	char padded[512];
	memset(padded, ' ', sizeof(padded));
	memcpy(padded + 200, "An", 2);
	padded[sizeof(padded) - 1] = '\0';
	assert_string_equal(clean_ok(a, padded, 1, 10), "An");
}

static void test_lengths_in_code_points(void **state)
{
	arena *a = *state;
	/* Ten letters with diacritics and a space: 10 code points, 14 bytes. */
	const char *name = "Nguyễn Thị";
	assert_int_equal(text_length(name), 10);
	assert_true(strlen(name) > 10);
	assert_string_equal(clean_ok(a, name, 10, 10), name);
	clean_fails(a, name, strlen(name), 1, 9, TEXT_TOO_LONG);
	clean_fails(a, name, strlen(name), 11, 20, TEXT_TOO_SHORT);
	/* The same name typed in NFD is 16 bytes and 13 code points before
	 * normalising; the limit applies to the NFC result. */
	const char *nfd = "Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3";
	assert_int_equal(text_length(nfd), 13);
	assert_string_equal(clean_ok(a, nfd, 10, 10), name);
	clean_fails(a, nfd, strlen(nfd), 1, 9, TEXT_TOO_LONG);
	/* Two-code-point minimum on a two-letter name with marks. */
	assert_string_equal(clean_ok(a, "Ân", 2, 2), "Ân");
	clean_fails(a, "Ân", strlen("Ân"), 3, 10, TEXT_TOO_SHORT);
}

static void test_long_nfd_text(void **state)
{
	arena *a = *state;
	/* 100 letters of five NFD bytes each (500 bytes): 100 code points in
	 * NFC, so exactly at a limit of 100. */
	char nfd[100 * 5 + 1], nfc[100 * 3 + 1];
	for (int i = 0; i < 100; i++) {
		memcpy(nfd + i * 5, E_DOT_HAT_NFD, 5);
		memcpy(nfc + i * 3, E_DOT_HAT_NFC, 3);
	}
	nfd[500] = '\0';
	nfc[300] = '\0';
	assert_string_equal(clean_ok(a, nfd, 1, 100), nfc);
	clean_fails(a, nfd, 500, 1, 99, TEXT_TOO_LONG);
	/* Very long input is refused, whatever its form. */
	static char huge[100000];
	memset(huge, 'a', sizeof(huge) - 1);
	clean_fails(a, huge, sizeof(huge) - 1, 1, 1000, TEXT_TOO_LONG);
}

static void test_bad_input(void **state)
{
	arena *a = *state;
	static const char *const bad[] = {
		"\xc3",		    /* truncated */
		"Nguy\xe1\xbb",	    /* truncated in the middle of a name */
		"\xc0\xae",	    /* overlong */
		"\xed\xa0\x80",	    /* surrogate */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xff",
		"a\x01b",     /* C0 control */
		"An\x1b[31m", /* escape sequence */
		"\x7f",	      /* DEL */
		"a\xc2\x85z", /* C1 control (NEL) */
		"   \x01   ", /* a control inside white space */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		clean_fails(a, bad[i], strlen(bad[i]), 0, 100, TEXT_BAD_UTF8);
	/* A NUL inside the given length is a control character. */
	clean_fails(a, "ab\0cd", 5, 0, 100, TEXT_BAD_UTF8);
	/* Bad bytes win over length problems. */
	clean_fails(a, "\xff", 1, 5, 10, TEXT_BAD_UTF8);
	/* Only len bytes are looked at. */
	const char *out = NULL;
	assert_int_equal(text_clean(a, "abc\x01", 3, 1, 10, &out), TEXT_OK);
	assert_string_equal(out, "abc");
	assert_int_equal(text_clean(a, NGUYEN_NFC, 6, 1, 10, &out), TEXT_BAD_UTF8);
}

static void test_text_length(void **state)
{
	(void)state;
	assert_int_equal(text_length(""), 0);
	assert_int_equal(text_length("abc"), 3);
	assert_int_equal(text_length(NGUYEN_NFC), 6);
	assert_int_equal(text_length(NGUYEN_NFD), 8);
	assert_int_equal(text_length("\xf0\x9f\x98\x80"), 1); /* one emoji */
	assert_int_equal(text_length("đ"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nfc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lengths_in_code_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_nfd_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_length, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
