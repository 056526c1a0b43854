/*
 * test_i18n.c - the message catalogue (core/i18n.h): both languages load
 * with the same keys, the Vietnamese texts are NFC and carry their
 * diacritics, lookups of missing keys, {1}/{2} placeholders, the nested
 * table for templates, and the Accept-Language choice including headers
 * that are garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "core/arena.h"
#include "core/assets.h"
#include "core/buf.h"
#include "core/i18n.h"

static int group_setup(void **state)
{
	(void)state;
	char err[256] = "";
	if (i18n_init(err, sizeof(err)) != 0) {
		print_error("i18n_init: %s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	i18n_release();
	return 0;
}

/* The flat catalogue straight from the embedded file, independent of
 * i18n.c's own loading. */
static json_t *raw_catalogue(const char *name)
{
	const struct asset *a = asset_find(name);
	assert_non_null(a);
	json_error_t e;
	json_t *t = json_loadb(a->data, a->len, 0, &e);
	assert_non_null(t);
	assert_true(json_is_object(t));
	return t;
}

static void test_init_twice_and_release(void **state)
{
	(void)state;
	char err[256] = "";
	assert_int_equal(i18n_init(err, sizeof(err)), 0);
	assert_non_null(i18n_lookup(LANG_VI, "home.title"));
	i18n_release();
	assert_null(i18n_lookup(LANG_VI, "home.title"));
	assert_string_equal(i18n_get(LANG_EN, "home.title"), "home.title");
	assert_int_equal(i18n_init(err, sizeof(err)), 0);
	assert_non_null(i18n_lookup(LANG_EN, "home.title"));
}

static void test_same_keys(void **state)
{
	(void)state;
	json_t *vi = raw_catalogue("locale/vi.json");
	json_t *en = raw_catalogue("locale/en.json");
	assert_true(json_object_size(vi) > 10);
	assert_int_equal(json_object_size(vi), json_object_size(en));
	const char *k;
	json_t *v;
	json_object_foreach(vi, k, v)
	{
		if (!json_object_get(en, k))
			print_error("\"%s\" is in vi.json only\n", k);
		assert_non_null(json_object_get(en, k));
		assert_true(json_is_string(v));
		/* What i18n serves is what the file says. */
		assert_string_equal(i18n_lookup(LANG_VI, k), json_string_value(v));
		assert_string_equal(i18n_lookup(LANG_EN, k),
				    json_string_value(json_object_get(en, k)));
	}
	json_object_foreach(en, k, v)
	{
		if (!json_object_get(vi, k))
			print_error("\"%s\" is in en.json only\n", k);
		assert_non_null(json_object_get(vi, k));
	}
	json_decref(vi);
	json_decref(en);
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

static void test_vietnamese_is_nfc(void **state)
{
	(void)state;
	json_t *vi = raw_catalogue("locale/vi.json");
	const char *k;
	json_t *v;
	size_t with_marks = 0;
	json_object_foreach(vi, k, v)
	{
		const char *s = json_string_value(v);
		utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
		assert_non_null(nfc);
		if (strcmp((const char *)nfc, s) != 0)
			print_error("\"%s\" is not NFC\n", k);
		assert_string_equal((const char *)nfc, s);
		free(nfc);
		if (has_non_ascii(s))
			with_marks++;
	}
	/* The Vietnamese catalogue is Vietnamese: most texts carry marks. */
	assert_true(with_marks * 2 > json_object_size(vi));
	json_decref(vi);

	static const char *const keys[] = {"home.title", "nav.home", "nav.procedures",
					   "nav.feedback", "error.field_required"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *t = i18n_lookup(LANG_VI, keys[i]);
		assert_non_null(t);
		assert_true(has_non_ascii(t));
		assert_string_not_equal(t, i18n_lookup(LANG_EN, keys[i]));
	}
	/* A precomposed letter, not a base letter plus a combining mark. */
	assert_non_null(strstr(i18n_lookup(LANG_VI, "nav.procedures"), "ủ"));
}

static void test_missing_keys(void **state)
{
	(void)state;
	assert_null(i18n_lookup(LANG_VI, "no.such.key"));
	assert_null(i18n_lookup(LANG_EN, ""));
	assert_string_equal(i18n_get(LANG_VI, "no.such.key"), "no.such.key");
	assert_string_equal(i18n_get(LANG_EN, "home"), "home"); /* a prefix, not a key */
	assert_string_equal(i18n_get(LANG_EN, "home.title"), i18n_lookup(LANG_EN, "home.title"));
}

/* Independent expectation: tmpl with each "{i}" replaced by args[i-1]. */
static char *fill(arena *a, const char *tmpl, int nargs, const char *const *args)
{
	buf b = BUF_INIT(1 << 16);
	for (const char *s = tmpl; *s;) {
		bool done = false;
		for (int i = 0; i < nargs && !done; i++) {
			char ph[8] = {'{', (char)('1' + i), '}', 0};
			if (strncmp(s, ph, 3) == 0) {
				buf_puts(&b, args[i]);
				s += 3;
				done = true;
			}
		}
		if (!done)
			buf_putc(&b, *s++);
	}
	char *out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

static void test_format(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	const char *args[] = {"Họ và tên", "3"};
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *tmpl = i18n_lookup((enum lang)l, "error.field_too_short");
		assert_non_null(tmpl);
		assert_non_null(strstr(tmpl, "{1}"));
		assert_non_null(strstr(tmpl, "{2}"));
		const char *s = i18n_format(a, (enum lang)l, "error.field_too_short", 2, args);
		assert_string_equal(s, fill(a, tmpl, 2, args));
		assert_non_null(strstr(s, "Họ và tên"));
		assert_null(strstr(s, "{1}"));
		assert_null(strstr(s, "{2}"));
	}
	/* Arguments are inserted as they are, braces and all: no second
	 * round of substitution. */
	const char *tricky[] = {"{2}", "x"};
	const char *s = i18n_format(a, LANG_EN, "error.field_too_short", 2, tricky);
	assert_non_null(strstr(s, "{2}"));
	assert_string_equal(s, fill(a, i18n_lookup(LANG_EN, "error.field_too_short"), 2, tricky));
	/* A text without placeholders comes back as it is. */
	assert_string_equal(i18n_format(a, LANG_VI, "home.title", 0, NULL),
			    i18n_lookup(LANG_VI, "home.title"));
	/* Too few arguments, or a missing key: no crash, a usable string. */
	s = i18n_format(a, LANG_VI, "error.field_too_short", 1, args);
	assert_non_null(s);
	assert_non_null(strstr(s, "Họ và tên"));
	assert_string_equal(i18n_format(a, LANG_VI, "no.such.key", 1, args), "no.such.key");
	arena_free(a);
}

static void test_table_nested(void **state)
{
	(void)state;
	for (int l = 0; l < LANG_COUNT; l++) {
		json_t *t = i18n_table((enum lang)l);
		assert_non_null(t);
		json_t *home = json_object_get(t, "home");
		assert_true(json_is_object(home));
		json_t *title = json_object_get(home, "title");
		assert_true(json_is_string(title));
		assert_string_equal(json_string_value(title),
				    i18n_lookup((enum lang)l, "home.title"));
		assert_null(json_object_get(t, "home.title")); /* not flat */
	}
	/* Every flat key is reachable by walking its dots. */
	json_t *vi = raw_catalogue("locale/vi.json");
	const char *k;
	json_t *v;
	json_object_foreach(vi, k, v)
	{
		json_t *node = i18n_table(LANG_VI);
		char part[128];
		const char *s = k;
		for (;;) {
			const char *dot = strchr(s, '.');
			size_t n = dot ? (size_t)(dot - s) : strlen(s);
			assert_true(n < sizeof(part));
			memcpy(part, s, n);
			part[n] = '\0';
			node = json_object_get(node, part);
			assert_non_null(node);
			if (!dot)
				break;
			s = dot + 1;
		}
		assert_true(json_is_string(node));
		assert_string_equal(json_string_value(node), json_string_value(v));
	}
	json_decref(vi);
}

static void test_lang_codes(void **state)
{
	(void)state;
	assert_string_equal(lang_code(LANG_VI), "vi");
	assert_string_equal(lang_code(LANG_EN), "en");
	enum lang l = LANG_EN;
	assert_int_equal(lang_parse("vi", &l), 0);
	assert_int_equal(l, LANG_VI);
	assert_int_equal(lang_parse("EN", &l), 0);
	assert_int_equal(l, LANG_EN);
	assert_int_equal(lang_parse("Vi", &l), 0);
	assert_int_equal(l, LANG_VI);
	static const char *const bad[] = {"", "fr", "vie", "e", "en-US", " en", "eng"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = LANG_EN;
		assert_int_equal(lang_parse(bad[i], &l), -1);
		assert_int_equal(l, LANG_EN);
	}
	assert_int_equal(lang_parse(NULL, &l), -1);
}

static void accept_is(const char *header, enum lang want)
{
	enum lang got = lang_from_accept(header);
	if (got != want)
		print_error("Accept-Language \"%s\": got %s, wanted %s\n",
			    header ? header : "(null)", lang_code(got), lang_code(want));
	assert_int_equal(got, want);
}

static void test_accept_language(void **state)
{
	(void)state;
	accept_is(NULL, LANG_VI);
	accept_is("", LANG_VI);
	accept_is("en", LANG_EN);
	accept_is("EN", LANG_EN);
	accept_is("en-US,en;q=0.9", LANG_EN);
	accept_is("en-GB", LANG_EN);
	accept_is("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", LANG_VI);
	accept_is("fr", LANG_VI);
	accept_is("fr-FR,fr;q=0.9", LANG_VI);
	accept_is("*", LANG_VI);
	accept_is("vi;q=0.5, en;q=0.8", LANG_EN);
	accept_is("en;q=0.5, vi;q=0.8", LANG_VI);
	accept_is("fr, de;q=0.9, en;q=0.1", LANG_EN); /* en is named, vi is not */
	accept_is("de-DE, vi;q=0.2, en;q=0.1", LANG_VI);
	accept_is("en , vi", LANG_EN); /* equal quality: the first */
	accept_is("vi,en", LANG_VI);
	accept_is("en ;q=0.3, vi ;q=0.4", LANG_VI);
	accept_is("fr, en;q=0", LANG_VI); /* q=0 means "not acceptable" */
	accept_is("en;q=0, vi;q=0", LANG_VI);
	accept_is("env, vin", LANG_VI); /* neither is vi nor en */
	accept_is("en_US", LANG_VI);

	/* Garbage must be safe and fall back to Vietnamese. */
	static const char *const junk[] = {
		";;;", ",,,",	"   ",	    ";q=1",	"q=1",	    "e",     "-",
		"en;", "en;q=", "en;q=abc", "en;q=nan", "\xff\xfe", "=,=;=", ";q=;q=;q=",
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		enum lang l = lang_from_accept(junk[i]);
		assert_true(l == LANG_VI || l == LANG_EN);
	}
	accept_is(";;;", LANG_VI);
	accept_is("en;q=abc", LANG_VI);
	/* A long header is read to its end. */
	static char big[20000];
	size_t n = 0;
	while (n + 16 < sizeof(big)) {
		memcpy(big + n, "fr;q=0.1, ", 10);
		n += 10;
	}
	memcpy(big + n, "en", 3);
	accept_is(big, LANG_EN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_twice_and_release),
		cmocka_unit_test(test_same_keys),
		cmocka_unit_test(test_vietnamese_is_nfc),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_table_nested),
		cmocka_unit_test(test_lang_codes),
		cmocka_unit_test(test_accept_language),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
