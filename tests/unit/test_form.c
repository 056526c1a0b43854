/*
 * test_form.c - application/x-www-form-urlencoded parsing (http/form.h):
 * '+' and %XX decoding, %00 inside values counted by value_len, empty names,
 * values and pairs, broken escapes refused rather than guessed, the field
 * limit, and form_find returning the first field of a name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/form.h"

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

static int parse(arena *a, const char *s, struct form_field **out)
{
	return form_parse(a, s, strlen(s), out);
}

static void assert_field(const struct form_field *f, const char *name, const char *value)
{
	assert_non_null(f);
	assert_string_equal(f->name, name);
	assert_int_equal(f->value_len, strlen(value));
	assert_memory_equal(f->value, value, f->value_len + 1); /* with its NUL */
}

static void test_simple(void **state)
{
	arena *a = *state;
	struct form_field *f;
	assert_int_equal(parse(a, "name=An&age=30&city=Ninh+B%C3%ACnh", &f), 3);
	assert_field(f, "name", "An");
	assert_field(f->next, "age", "30");
	assert_field(f->next->next, "city", "Ninh Bình");
	assert_null(f->next->next->next);
}

static void test_decoding(void **state)
{
	arena *a = *state;
	struct form_field *f;
	/* '+' is a space, "%2B" a plus; hex in either case; names decode too. */
	assert_int_equal(parse(a, "q=a+b%2Bc&h%C6%B0=%c6%b0%C6%B0&e=%3D%26", &f), 3);
	assert_field(f, "q", "a b+c");
	assert_field(f->next, "hư", "ưư");
	assert_field(f->next->next, "e", "=&");
	/* A raw '=' after the first belongs to the value. */
	assert_int_equal(parse(a, "k=a=b", &f), 1);
	assert_field(f, "k", "a=b");
	/* Bytes are not validated here: a lone %FF decodes as is. */
	assert_int_equal(parse(a, "x=%FF", &f), 1);
	assert_int_equal(f->value_len, 1);
	assert_int_equal((unsigned char)f->value[0], 0xFF);
}

static void test_nul_in_value(void **state)
{
	arena *a = *state;
	struct form_field *f;
	assert_int_equal(parse(a, "v=ab%00cd&w=1", &f), 2);
	assert_string_equal(f->name, "v");
	assert_int_equal(f->value_len, 5);
	assert_memory_equal(f->value, "ab\0cd", 6);
	assert_field(f->next, "w", "1");
	/* Only the first len bytes are parsed. */
	assert_int_equal(form_parse(a, "a=1&b=2", 3, &f), 1);
	assert_field(f, "a", "1");
	assert_null(f->next);
	/* A NUL byte in the raw input is data, not an end. */
	assert_int_equal(form_parse(a, "a=x\0y&b=2", 9, &f), 2);
	assert_int_equal(f->value_len, 3);
	assert_memory_equal(f->value, "x\0y", 3);
}

static void test_empty_parts(void **state)
{
	arena *a = *state;
	struct form_field *f = (void *)1;
	assert_int_equal(parse(a, "", &f), 0);
	assert_null(f);
	assert_int_equal(form_parse(a, NULL, 0, &f), 0);
	assert_null(f);

	assert_int_equal(parse(a, "a=1&&b=2", &f), 2);
	assert_field(f, "a", "1");
	assert_field(f->next, "b", "2");

	assert_int_equal(parse(a, "&&&", &f), 0);
	assert_null(f);
	assert_int_equal(parse(a, "&a=1&", &f), 1);
	assert_field(f, "a", "1");

	/* Empty values, a name without '=', an empty name. */
	assert_int_equal(parse(a, "a=&b&=c&=", &f), 4);
	assert_field(f, "a", "");
	assert_field(f->next, "b", "");
	assert_field(f->next->next, "", "c");
	assert_field(f->next->next->next, "", "");
}

static void test_broken_escapes(void **state)
{
	arena *a = *state;
	static const char *const bad[] = {
		"a=%",	  "a=%4",   "a=%zz",  "a=%4g",	  "a=%g4", "a=1&b=%", "%=1",   "%4=1",
		"a%zz=1", "a=%%41", "a=100%", "a=%4&b=2", "a=%+4", "a=% 4",   "a=%-1", "a=%0x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct form_field *f = (void *)1;
		int n = parse(a, bad[i], &f);
		if (n != -1)
			print_error("\"%s\" parsed to %d fields\n", bad[i], n);
		assert_int_equal(n, -1);
		assert_null(f);
	}
	/* An escape cut off by len is broken even if the bytes follow. */
	struct form_field *f;
	assert_int_equal(form_parse(a, "a=%41", 4, &f), -1);
	assert_int_equal(form_parse(a, "a=%41", 5, &f), 1);
	assert_field(f, "a", "A");
}

static void test_field_limit(void **state)
{
	arena *a = *state;
	char *s = malloc((FORM_MAX_FIELDS + 1) * 8 + 1);
	assert_non_null(s);
	size_t n = 0;
	for (int i = 0; i < FORM_MAX_FIELDS; i++) {
		memcpy(s + n, "f=1&", 4);
		n += 4;
	}
	struct form_field *f;
	/* Exactly the limit: accepted, every field present. */
	assert_int_equal(form_parse(a, s, n - 1, &f), FORM_MAX_FIELDS);
	int count = 0;
	for (const struct form_field *p = f; p; p = p->next)
		count++;
	assert_int_equal(count, FORM_MAX_FIELDS);
	/* Empty pairs do not count towards the limit. */
	memcpy(s + n, "&&&&", 4);
	assert_int_equal(form_parse(a, s, n + 4, &f), FORM_MAX_FIELDS);
	/* One more: refused. */
	memcpy(s + n, "g=2", 3);
	f = (void *)1;
	assert_int_equal(form_parse(a, s, n + 3, &f), -1);
	assert_null(f);
	free(s);
}

static void test_find(void **state)
{
	arena *a = *state;
	struct form_field *f;
	assert_int_equal(parse(a, "x=1&y=2&x=3&=e", &f), 4);
	const struct form_field *x = form_find(f, "x");
	assert_ptr_equal(x, f);
	assert_string_equal(x->value, "1");
	assert_string_equal(form_find(f, "y")->value, "2");
	assert_string_equal(form_find(f, "")->value, "e");
	assert_null(form_find(f, "z"));
	assert_null(form_find(f, "X")); /* names are case-sensitive */
	assert_null(form_find(f, "x "));
	assert_null(form_find(NULL, "x"));
	/* The rest of the list after the first match is reachable. */
	assert_string_equal(form_find(x->next, "x")->value, "3");
}

static void test_decode(void **state)
{
	arena *a = *state;
	size_t len = 99;
	char *d = form_decode(a, "a+b%20c%00", 10, &len);
	assert_non_null(d);
	assert_int_equal(len, 6);
	assert_memory_equal(d, "a b c\0", 7);
	d = form_decode(a, "", 0, &len);
	assert_non_null(d);
	assert_int_equal(len, 0);
	assert_string_equal(d, "");
	assert_string_equal(form_decode(a, "%E1%BA%BF", 9, NULL), "ế");
	assert_null(form_decode(a, "%e", 2, &len));
	assert_null(form_decode(a, "ab%", 3, &len));
	assert_null(form_decode(a, "%G0", 3, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_in_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
