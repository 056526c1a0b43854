/*
 * test_account.c - the pure parts of accounts (domain/account.h): every
 * field of a registration checked and normalised, each problem named by its
 * field with a message in both languages, generated passwords, role names,
 * and argon2id hashes that verify and carry the configured parameters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "domain/account.h"
#include "http/router.h"

static int group_setup(void **state)
{
	(void)state;
	char err[256] = "";
	if (sodium_init() < 0 || i18n_init(err, sizeof(err)) != 0) {
		print_error("setup: %s\n", err);
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

static struct account_input citizen(void)
{
	return (struct account_input){.kind = "citizen",
				      .full_name = "Nguyễn Văn An",
				      .id_number = "037090001234",
				      .birth_date = "05/09/1990",
				      .phone = "0912345678",
				      .email = "An.Nguyen@Vidu.VN",
				      .address = "Hoa Lư, Ninh Bình",
				      .password = "HoaSen@Trang26",
				      .consent = true};
}

static bool has(const struct account_problem *p, const char *field)
{
	for (; p; p = p->next)
		if (strcmp(p->field, field) == 0)
			return true;
	return false;
}

static int nproblems(const struct account_problem *p)
{
	int n = 0;
	for (; p; p = p->next)
		n++;
	return n;
}

static void test_valid_citizen_is_normalised(void **state)
{
	arena *a = arena_new(0);
	struct account_input in = citizen();
	struct account_problem *probs = NULL;
	assert_true(account_validate(a, &in, &probs));
	assert_null(probs);
	assert_string_equal(in.birth_date, "1990-09-05");
	assert_string_equal(in.email, "an.nguyen@vidu.vn");
	assert_null(in.tax_code);
	arena_free(a);
}

static void test_every_citizen_field_problem_is_reported(void **state)
{
	arena *a = arena_new(0);
	struct account_input in = {.kind = "citizen",
				   .full_name = NULL,
				   .id_number = "03709000123",
				   .birth_date = "30/02/1990",
				   .phone = "12345",
				   .email = "no-at-sign",
				   .address = "",
				   .password = "short",
				   .consent = false};
	struct account_problem *probs = NULL;
	assert_false(account_validate(a, &in, &probs));
	const char *fields[] = {"full_name", "birth_date", "id_number", "phone",
				"email",     "address",	   "password",	"consent"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!has(probs, fields[i]))
			fail_msg("no problem reported for %s", fields[i]);
	assert_int_equal(nproblems(probs), 8);
	/* Each problem reads as a sentence naming its field, in both languages. */
	for (const struct account_problem *p = probs; p; p = p->next) {
		const char *vi = account_problem_message(a, LANG_VI, p);
		const char *en = account_problem_message(a, LANG_EN, p);
		assert_non_null(strchr(vi, ' '));
		assert_non_null(strchr(en, ' '));
		assert_string_not_equal(vi, p->key);
		assert_string_not_equal(en, p->key);
	}
	arena_free(a);
}

static void test_cccd_must_match_the_birth_year(void **state)
{
	arena *a = arena_new(0);
	struct account_input in = citizen();
	in.birth_date = "05/09/1991";
	struct account_problem *probs = NULL;
	assert_false(account_validate(a, &in, &probs));
	assert_int_equal(nproblems(probs), 1);
	assert_string_equal(probs->field, "id_number");
	/* A birth date in the future is refused on its own field. */
	in = citizen();
	in.birth_date = "05/09/2190";
	probs = NULL;
	assert_false(account_validate(a, &in, &probs));
	assert_true(has(probs, "birth_date"));
	arena_free(a);
}

static void test_business_needs_a_valid_tax_code_and_representative(void **state)
{
	arena *a = arena_new(0);
	struct account_input in = {.kind = "business",
				   .full_name = "Công ty TNHH Gốm sứ Hoa Lư",
				   .tax_code = "2700123459",
				   .representative = "Phạm Văn Cường",
				   .phone = "0369123456",
				   .email = "lienhe@gomsu.vn",
				   .address = "Ninh Bình",
				   .password = "HoaSen@Trang26",
				   .consent = true,
				   .id_number = "037090001234"};
	struct account_problem *probs = NULL;
	assert_true(account_validate(a, &in, &probs));
	assert_null(in.id_number); /* a business has no CCCD */
	in.tax_code = "2700123458";
	in.representative = NULL;
	assert_false(account_validate(a, &in, &probs));
	assert_true(has(probs, "tax_code"));
	assert_true(has(probs, "representative"));
	assert_int_equal(nproblems(probs), 2);
	arena_free(a);
}

static void test_kind_and_password_containing_the_login(void **state)
{
	arena *a = arena_new(0);
	struct account_input in = citizen();
	in.kind = "admin";
	struct account_problem *probs = NULL;
	assert_false(account_validate(a, &in, &probs));
	assert_string_equal(probs->field, "kind");
	in = citizen();
	in.password = "x037090001234";
	probs = NULL;
	assert_false(account_validate(a, &in, &probs));
	assert_string_equal(probs->field, "password");
	arena_free(a);
}

static void test_generated_passwords_are_random_and_mixed(void **state)
{
	char a[ACCOUNT_PW_LEN + 1], b[ACCOUNT_PW_LEN + 1];
	for (int i = 0; i < 200; i++) {
		account_random_password(a);
		account_random_password(b);
		assert_int_equal(strlen(a), ACCOUNT_PW_LEN);
		assert_string_not_equal(a, b);
		bool letter = false, digit = false;
		for (const char *p = a; *p; p++) {
			assert_true(isalnum((unsigned char)*p));
			assert_null(strchr("0O1lI", *p));
			letter |= isalpha((unsigned char)*p) != 0;
			digit |= isdigit((unsigned char)*p) != 0;
		}
		assert_true(letter && digit);
	}
}

static void test_role_names_round_trip(void **state)
{
	const char *names[] = {"desk", "specialist", "leader", "agency-admin", "sysadmin"};
	const unsigned bits[] = {ROLE_DESK, ROLE_SPECIALIST, ROLE_LEADER, ROLE_AGENCY_ADMIN,
				 ROLE_SYSADMIN};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(account_role_parse(names[i]), bits[i]);
		assert_string_equal(account_role_name(bits[i]), names[i]);
	}
	/* Citizens and businesses register themselves: not an officer role. */
	assert_int_equal(account_role_parse("citizen"), 0);
	assert_int_equal(account_role_parse("boss"), 0);
	assert_int_equal(account_role_parse(NULL), 0);
}

static void test_password_hash_verifies_with_the_configured_cost(void **state)
{
	char h[crypto_pwhash_STRBYTES];
	assert_int_equal(account_hash_password("HoaSen@Trang26", h, sizeof(h)), MC_OK);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_int_equal(crypto_pwhash_str_verify(h, "HoaSen@Trang26", 14), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(h, "HoaSen@Trang27", 14), 0);
	assert_int_equal(
		crypto_pwhash_str_needs_rehash(h, ACCOUNT_PW_OPSLIMIT, ACCOUNT_PW_MEMLIMIT), 0);
	assert_int_not_equal(crypto_pwhash_str_needs_rehash(h, 3, ACCOUNT_PW_MEMLIMIT), 0);
	assert_int_equal(account_hash_password("x", h, 8), MC_INTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_citizen_is_normalised),
		cmocka_unit_test(test_every_citizen_field_problem_is_reported),
		cmocka_unit_test(test_cccd_must_match_the_birth_year),
		cmocka_unit_test(test_business_needs_a_valid_tax_code_and_representative),
		cmocka_unit_test(test_kind_and_password_containing_the_login),
		cmocka_unit_test(test_generated_passwords_are_random_and_mixed),
		cmocka_unit_test(test_role_names_round_trip),
		cmocka_unit_test(test_password_hash_verifies_with_the_configured_cost),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
