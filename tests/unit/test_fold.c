/*
 * test_fold.c - search keys (domain/fold.h): every Vietnamese letter with
 * every tone, in both cases, NFC and NFD, folds to its base letter and keeps
 * its exact form; đ/Đ fold to d; punctuation separates words; invalid UTF-8
 * is skipped; Telex and VNI keystrokes decode to the right syllable, and
 * words that are not Telex or VNI are left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/fold.h"

/* The twelve vowel letters as base letter + modifier (0 for none). */
static const struct {
	char base;
	utf8proc_int32_t modifier;
} vowels[] = {
	{'a', 0}, {'a', 0x0306}, {'a', 0x0302}, {'e', 0}, {'e', 0x0302}, {'i', 0},
	{'o', 0}, {'o', 0x0302}, {'o', 0x031B}, {'u', 0}, {'u', 0x031B}, {'y', 0},
};

/* No tone, then huyền, sắc, hỏi, ngã, nặng. */
static const utf8proc_int32_t tones[] = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

static size_t encode(char *out, const utf8proc_int32_t *cps, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (cps[i])
			k += (size_t)utf8proc_encode_char(cps[i], (utf8proc_uint8_t *)out + k);
	out[k] = '\0';
	return k;
}

/* utf8proc_map into the arena, so the test frees nothing by hand. */
static const char *map(arena *a, const char *s, utf8proc_option_t opt)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  opt | UTF8PROC_NULLTERM | UTF8PROC_STABLE);
	assert_true(n >= 0);
	char *copy = arena_strndup(a, (const char *)out, (size_t)n);
	free(out);
	return copy;
}

static utf8proc_int32_t single_code_point(const char *s)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
	assert_true(k > 0);
	assert_int_equal(s[k], '\0');
	return cp;
}

static const char *fold_str(arena *a, const char *s)
{
	return fold(a, s, strlen(s));
}

static void check_letter(arena *a, char base, const char *decomposed)
{
	char expect[2] = {base, '\0'};
	const char *nfc = map(a, decomposed, UTF8PROC_COMPOSE);
	/* Every Vietnamese letter has a precomposed code point. */
	utf8proc_int32_t lower = single_code_point(nfc);
	char upper[8];
	utf8proc_int32_t up = utf8proc_toupper(lower);
	assert_int_not_equal(up, lower);
	encode(upper, &up, 1);
	const char *nfd = map(a, nfc, UTF8PROC_DECOMPOSE);
	const char *nfd_upper = map(a, upper, UTF8PROC_DECOMPOSE);

	assert_string_equal(fold_str(a, nfc), expect);
	assert_string_equal(fold_str(a, upper), expect);
	assert_string_equal(fold_str(a, nfd), expect);
	assert_string_equal(fold_str(a, nfd_upper), expect);
	assert_string_equal(fold_exact(a, nfc, strlen(nfc)), nfc);
	assert_string_equal(fold_exact(a, upper, strlen(upper)), nfc);
	assert_string_equal(fold_exact(a, nfd, strlen(nfd)), nfc);
	assert_string_equal(fold_exact(a, nfd_upper, strlen(nfd_upper)), nfc);
}

static void test_every_letter_every_tone(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	size_t checked = 0;
	for (size_t v = 0; v < sizeof(vowels) / sizeof(vowels[0]); v++) {
		for (size_t t = 0; t < sizeof(tones) / sizeof(tones[0]); t++) {
			utf8proc_int32_t cps[3] = {vowels[v].base, vowels[v].modifier, tones[t]};
			char s[16];
			encode(s, cps, 3);
			check_letter(a, vowels[v].base, s);
			checked++;
		}
	}
	assert_int_equal(checked, 72);
	assert_string_equal(fold_str(a, "đ"), "d");
	assert_string_equal(fold_str(a, "Đ"), "d");
	assert_string_equal(fold_exact(a, "Đ", strlen("Đ")), "đ");
	arena_free(a);
}

static void test_phrases(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_string_equal(fold_str(a, "Đăng ký  KHAI-SINH!"), "dang ky khai sinh");
	const char *typed = "Đăng ký  KHAI-SINH!";
	assert_string_equal(fold_exact(a, typed, strlen(typed)), "đăng ký khai sinh");
	assert_string_equal(fold_str(a, "  Cấp Giấy chứng nhận quyền sử dụng đất, (lần đầu)  "),
			    "cap giay chung nhan quyen su dung dat lan dau");
	assert_string_equal(fold_str(a, "1.001193"), "1 001193");
	assert_string_equal(fold_str(a, "Việt Nam – Lào"), "viet nam lao");
	assert_string_equal(fold_str(a, "NGƯỜI ĐƯỢC ỦY QUYỀN"), "nguoi duoc uy quyen");
	assert_string_equal(fold_str(a, ""), "");
	assert_string_equal(fold_str(a, " \t\n.,;!?"), "");
	assert_string_equal(fold(a, NULL, 0), "");
	/* A phrase typed in NFD folds exactly like its NFC form. */
	const char *phrase = "Thủ tục đăng ký thường trú, Hộ tịch, Quốc tịch";
	const char *nfd = map(a, phrase, UTF8PROC_DECOMPOSE);
	assert_string_not_equal(nfd, phrase);
	assert_string_equal(fold_str(a, nfd), fold_str(a, phrase));
	assert_string_equal(fold_exact(a, nfd, strlen(nfd)), fold_exact(a, phrase, strlen(phrase)));
	arena_free(a);
}

static void test_other_scripts(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_string_equal(fold_str(a, "Ñandú Straße"), "nandu strasse");
	assert_string_equal(fold_str(a, "北京 2024"), "北京 2024");
	assert_string_equal(fold_str(a, "Ελλάδα"), "ελλαδα");
	/* Marks alone are not a word. */
	assert_string_equal(fold_str(a, "\xcc\x81 x \xcc\x82"), "x");
	arena_free(a);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	/* Stray continuation, truncated sequences, overlong '/', surrogate,
	 * out-of-range code point: all skipped, the rest survives. */
	static const char bad[] = "kh\x80"
				  "ai \xe1\xba sinh \xc0\xaf"
				  "x \xed\xa0\x80y \xf4\x90\x80\x80z \xff";
	const char *f = fold(a, bad, sizeof(bad) - 1);
	assert_string_equal(f, "khai sinh x y z");
	/* A lone lead byte at the very end. */
	assert_string_equal(fold(a, "ab\xc3", 3), "ab");
	/* Embedded NUL separates, it is not read as the end. */
	assert_string_equal(fold(a, "ab\0cd", 5), "ab cd");
	arena_free(a);
}

static void test_tokens(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	struct fold_token *t;
	const char *s = "Đăng KÝ, khai-sinh";
	size_t n = fold_tokens(a, s, strlen(s), 10, &t);
	assert_int_equal(n, 4);
	assert_string_equal(t[0].folded, "dang");
	assert_string_equal(t[0].exact, "đăng");
	assert_int_equal(t[0].folded_len, 4);
	assert_int_equal(t[0].exact_len, strlen("đăng"));
	assert_string_equal(t[1].folded, "ky");
	assert_string_equal(t[1].exact, "ký");
	assert_string_equal(t[3].exact, "sinh");
	n = fold_tokens(a, s, strlen(s), 2, &t);
	assert_int_equal(n, 2);
	n = fold_tokens(a, s, strlen(s), 0, &t);
	assert_int_equal(n, 0);
	/* A long input: many words, all kept. */
	size_t len = 20000;
	char *big = arena_alloc(a, len + 1);
	for (size_t i = 0; i < len; i++)
		big[i] = i % 4 == 3 ? ' ' : 'a';
	big[len] = '\0';
	n = fold_tokens(a, big, len, SIZE_MAX, &t);
	assert_int_equal(n, 5000);
	arena_free(a);
}

static const char *telex(arena *a, const char *s)
{
	return fold_telex(a, s, strlen(s));
}

static const char *vni(arena *a, const char *s)
{
	return fold_vni(a, s, strlen(s));
}

/* Each word decoded when it reads as Telex or VNI, then folded: what the
 * search does with the decoded alternative of every query word. */
static const char *decode_fold(arena *a, const char *s)
{
	struct fold_token *t;
	size_t n = fold_tokens(a, s, strlen(s), SIZE_MAX, &t);
	buf b = BUF_INIT(4096);
	for (size_t i = 0; i < n; i++) {
		const char *w = t[i].exact;
		bool digit = strpbrk(w, "0123456789") != NULL;
		const char *d =
			digit ? fold_vni(a, w, t[i].exact_len) : fold_telex(a, w, t[i].exact_len);
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, fold_str(a, d ? d : w));
	}
	assert_false(b.overflow);
	const char *out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

static void test_telex(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_string_equal(telex(a, "ddawng"), "đăng");
	assert_string_equal(telex(a, "kys"), "ký");
	assert_string_equal(telex(a, "vieejt"), "việt");
	assert_string_equal(telex(a, "dduwowngf"), "đường");
	assert_string_equal(telex(a, "dduongwf"), "đường");
	assert_string_equal(telex(a, "keets"), "kết");
	assert_string_equal(telex(a, "hoon"), "hôn");
	assert_string_equal(telex(a, "hoawcj"), "hoặc");
	assert_string_equal(telex(a, "muaw"), "mưa");
	assert_string_equal(telex(a, "nhwngx"), "những");
	assert_string_equal(telex(a, "quys"), "quý");
	assert_string_equal(telex(a, "gif"), "gì");
	assert_string_equal(telex(a, "giaays"), "giấy");
	assert_string_equal(telex(a, "tieengs"), "tiếng");
	assert_string_equal(telex(a, "hoaf"), "hoà");
	assert_string_equal(telex(a, "thuyr"), "thuỷ");
	assert_string_equal(telex(a, "cuar"), "của");
	assert_string_equal(telex(a, "khoong"), "không");
	assert_string_equal(telex(a, "tuwj"), "tự");
	assert_string_equal(telex(a, "asz"), "a");
	assert_string_equal(decode_fold(a, "ddawng kys khai sinh"), "dang ky khai sinh");
	assert_string_equal(decode_fold(a, "vieejt"), "viet");
	assert_string_equal(decode_fold(a, "dduwowngf"), "duong");

	/* Plain words carry no Telex key, or do not make a syllable. */
	static const char *const plain[] = {"khai", "sinh", "dang", "ky",      "ket", "hon",
					    "for",  "the",  "and",  "thuong",  "ddd", "xyz",
					    "kyss", "ww",   "sss",  "nghieng", NULL};
	for (size_t i = 0; plain[i]; i++)
		assert_null(telex(a, plain[i]));
	/* Ambiguous words decode; the search keeps their raw form too. */
	assert_string_equal(telex(a, "as"), "á");
	assert_string_equal(telex(a, "ex"), "ẽ");
	/* Not lower-case ASCII letters, or too long: not Telex. */
	assert_null(telex(a, "Kys"));
	assert_null(telex(a, "k1s"));
	assert_null(telex(a, "ddddddddddddddddddddddd"));
	assert_null(fold_telex(a, "", 0));
	assert_null(fold_telex(a, NULL, 0));
	arena_free(a);
}

static void test_vni(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_string_equal(vni(a, "dang5"), "dạng");
	assert_string_equal(vni(a, "ky1"), "ký");
	assert_string_equal(vni(a, "d9ang8"), "đăng");
	assert_string_equal(vni(a, "vie65t"), "việt");
	assert_string_equal(vni(a, "vie6t5"), "việt");
	assert_string_equal(vni(a, "d9uo7ng2"), "đường");
	assert_string_equal(vni(a, "mua7"), "mưa");
	assert_string_equal(vni(a, "ke6t1"), "kết");
	assert_string_equal(vni(a, "ho6n"), "hôn");
	assert_string_equal(vni(a, "a10"), "a");
	assert_string_equal(decode_fold(a, "dang5 ky1"), "dang ky");
	assert_string_equal(decode_fold(a, "d9ang8 ky1 khai sinh"), "dang ky khai sinh");
	assert_string_equal(decode_fold(a, "Vie65t"), "viet");

	assert_null(vni(a, "khai"));	/* no key */
	assert_null(vni(a, "1193"));	/* a number */
	assert_null(vni(a, "001193"));	/* a code part */
	assert_null(vni(a, "x1"));	/* no vowel for the tone */
	assert_null(vni(a, "ba9"));	/* đ only at the start */
	assert_null(vni(a, "ky11"));	/* two tones */
	assert_null(vni(a, "bi6"));	/* circumflex on i */
	assert_null(vni(a, "thuong8")); /* breve without an a */
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_letter_every_tone),
		cmocka_unit_test(test_phrases),
		cmocka_unit_test(test_other_scripts),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_telex),
		cmocka_unit_test(test_vni),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
