/*
 * fuzz_identity.c - libFuzzer target for the identity validators
 * (domain/identity.c): every validator on arbitrary bytes.
 *
 * Input layout: up to two newlines split the input into a value, a second
 * value (the login, or the birth date for id_cccd_valid) and a third (the
 * name); each part is NUL-terminated, so an embedded NUL ends it early as it
 * would in a form field. Besides crashes the target checks the contracts: a
 * refusal always gives a reason and an acceptance never sets one; an accepted
 * phone number normalises to ten digits that are accepted again unchanged; an
 * accepted CCCD has a gender and is also a personal tax code; a parsed date is
 * ISO and parses again to itself; a masked name is valid UTF-8 with no more
 * code points than the input and masks again to itself.
 *
 * The common-password list normally comes from the embedded assets; this
 * target links a small table of its own instead of build/gen/assets.c.
 *
 *   scripts/fuzz.sh 120 with FUZZ_TARGETS=identity
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/arena.h"
#include "core/assets.h"
#include "domain/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static const char passwords[] = "# test list\n1234567890\npassword123\r\nMatKhau@123\n\n";
const struct asset motcua_assets[] = {
	{"data/common-passwords.txt", passwords, sizeof(passwords) - 1},
	{NULL, NULL, 0},
};

/* A refusal names its reason; an acceptance leaves why alone. */
static void check_reason(bool ok, const char *why)
{
	if (ok)
		CHECK(why == NULL);
	else
		CHECK(why != NULL && strncmp(why, "identity.", 9) == 0);
}

static size_t code_points(const char *s)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		CHECK(k > 0);
		i += (size_t)k;
		n++;
	}
	return n;
}

static void check_all(arena *a, const char *v, const char *second, const char *third)
{
	const char *why = NULL;
	bool ok = id_cccd_valid(v, second, &why);
	check_reason(ok, why);
	why = NULL;
	ok = id_cccd_valid(v, NULL, &why);
	check_reason(ok, why);
	int g = id_cccd_gender(v);
	CHECK(ok ? (g == 0 || g == 1) : g == -1);
	if (ok)
		CHECK(id_tax_code_valid(v, NULL));

	why = NULL;
	ok = id_tax_code_valid(v, &why);
	check_reason(ok, why);

	char norm[16];
	why = NULL;
	ok = id_phone_valid(v, norm, &why);
	check_reason(ok, why);
	if (ok) {
		CHECK(strlen(norm) == 10 && norm[0] == '0');
		for (int i = 0; i < 10; i++)
			CHECK(norm[i] >= '0' && norm[i] <= '9');
		char again[16];
		CHECK(id_phone_valid(norm, again, NULL));
		CHECK(strcmp(norm, again) == 0);
	}

	why = NULL;
	ok = id_email_valid(v, &why);
	check_reason(ok, why);
	if (ok)
		CHECK(strlen(v) <= 254 && strchr(v, '@'));

	why = NULL;
	ok = id_password_ok(v, second, third, &why);
	check_reason(ok, why);
	if (ok)
		CHECK(strlen(v) <= 128 && code_points(v) >= 10);

	why = NULL;
	ok = id_birth_date_valid(v, &why);
	check_reason(ok, why);

	char iso[11];
	if (id_date_parse(v, iso)) {
		CHECK(strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-');
		char again[11];
		CHECK(id_date_parse(iso, again) && strcmp(iso, again) == 0);
		if (ok)
			CHECK(strcmp(iso, v) == 0);
	} else {
		CHECK(!ok);
	}

	char *m = id_mask_name(a, v);
	if (m) {
		size_t n = code_points(m);
		CHECK(n > 0);
		char *again = id_mask_name(a, m);
		CHECK(again && strcmp(again, m) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(0);
	char *copy = arena_strndup(a, (const char *)data, size);
	char *parts[3] = {copy, NULL, NULL};
	char *nl = strchr(copy, '\n');
	if (nl) {
		*nl = '\0';
		parts[1] = nl + 1;
		char *nl2 = strchr(parts[1], '\n');
		if (nl2) {
			*nl2 = '\0';
			parts[2] = nl2 + 1;
		}
	}
	check_all(a, parts[0], parts[1], parts[2]);
	if (parts[1])
		check_all(a, parts[1], parts[0], parts[2]);
	arena_free(a);
	return 0;
}
