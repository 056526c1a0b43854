/*
 * test_identity.c - identity validators (domain/identity.h), table by table:
 * citizen IDs with their province, gender and century rules and the birth
 * year they must agree with; tax codes with real published codes, wrong check
 * digits and branch forms; mobile numbers in every written form, landlines and
 * unallocated prefixes; e-mail; passwords against the common list, the login
 * and the name; dates in both written forms; and name masking of Vietnamese
 * names in NFC and NFD. Every refusal is checked for the i18n key that tells
 * the citizen why, and every key exists in both catalogues.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "domain/identity.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* why is NULL for rows that must pass. */
struct row {
	const char *in;
	const char *why;
};

static void check_why(const char *in, bool ok, const char *want, const char *got)
{
	if (!want) {
		if (!ok)
			fail_msg("'%s' refused with %s", in, got ? got : "(no reason)");
		return;
	}
	if (ok)
		fail_msg("'%s' accepted, expected %s", in, want);
	if (!got || strcmp(got, want) != 0)
		fail_msg("'%s' refused with %s, expected %s", in, got ? got : "(none)", want);
	/* Every reason is a real message in both languages. */
	assert_non_null(i18n_lookup(LANG_VI, got));
	assert_non_null(i18n_lookup(LANG_EN, got));
}

static int setup(void **state)
{
	char err[256];
	if (i18n_init(err, sizeof(err)) != 0)
		return -1;
	*state = arena_new(0);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	i18n_release();
	return 0;
}

/* ---- citizen ID ---- */

static void test_cccd_table(void **state)
{
	static const struct row rows[] = {
		{"001090012345", NULL},			    /* Hà Nội, man born 1990 */
		{"037185000123", NULL},			    /* Ninh Bình, woman born 1985 */
		{"079203004567", NULL},			    /* Hồ Chí Minh, man born 2003 */
		{"096301000001", NULL},			    /* Cà Mau, woman born 2001 */
		{"036899000001", NULL},			    /* Nam Định, woman born 1899 */
		{"024000000000", NULL},			    /* Bắc Giang, man born 1900 */
		{"002099999999", NULL},			    /* Hà Giang, 1999 */
		{"000090012345", "identity.cccd_province"}, /* no province 000 */
		{"099090012345", "identity.cccd_province"}, /* nor 099 */
		{"003090012345", "identity.cccd_province"}, /* gaps in the list */
		{"097090012345", "identity.cccd_province"},
		{"100090012345", "identity.cccd_province"},
		{"00109001234", "identity.cccd_format"},   /* 11 digits */
		{"0010900123456", "identity.cccd_format"}, /* 13 digits */
		{"00109001234a", "identity.cccd_format"},
		{"A01090012345", "identity.cccd_format"},
		{"001 090 012 345", "identity.cccd_format"},
		{"001090012345 ", "identity.cccd_format"},
		{"001-090-012345", "identity.cccd_format"},
		{"１２３４５６７８９０１２", "identity.cccd_format"}, /* full-width digits */
		{"", "identity.required"},
		{"001490012345", "identity.cccd_year_future"}, /* born 2190 */
		{"001699012345", "identity.cccd_year_future"}, /* born 2299 */
		{"001299012345", "identity.cccd_year_future"}, /* born 2099 */
	};
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		bool ok = id_cccd_valid(rows[i].in, NULL, &why);
		check_why(rows[i].in, ok, rows[i].why, why);
	}
	const char *why = NULL;
	assert_false(id_cccd_valid(NULL, NULL, &why));
	assert_string_equal(why, "identity.required");
	/* why may be NULL. */
	assert_false(id_cccd_valid("000090012345", NULL, NULL));
}

static void test_cccd_birth_date(void **state)
{
	static const struct {
		const char *cccd, *birth, *why;
	} rows[] = {
		{"001090012345", "1990-05-17", NULL},
		{"001090012345", "17/05/1990", NULL},
		{"001190012345", "1990-01-01", NULL},
		{"001203012345", "2003-12-31", NULL},
		{"036899000001", "1899-02-03", NULL},
		{"001090012345", "2090-05-17", "identity.cccd_birth_year"}, /* century */
		{"001220012345", "1920-05-17", "identity.cccd_birth_year"},
		{"001090012345", "1991-05-17", "identity.cccd_birth_year"}, /* year */
		{"001091012345", "1990-12-31", "identity.cccd_birth_year"},
		{"001803012345", "2003-01-01", "identity.cccd_birth_year"},
		{"001203012345", "1903-01-01", "identity.cccd_birth_year"},
		/* A birth date that is not a date is its own field's problem. */
		{"001090012345", "hôm qua", NULL},
		{"001090012345", "", NULL},
		{"001090012345", "1991-02-30", NULL},
	};
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		bool ok = id_cccd_valid(rows[i].cccd, rows[i].birth, &why);
		check_why(rows[i].cccd, ok, rows[i].why, why);
	}
}

static void test_cccd_gender_and_province(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int gender;
	} rows[] = {
		{"001090012345", 0},  {"001190012345", 1},
		{"001203012345", 0},  {"001303012345", 1},
		{"001800012345", 0},  {"001900012345", 1},
		{"00109001234", -1},  {"000090012345", -1},
		{"001490012345", -1}, {"", -1},
	};
	for (size_t i = 0; i < N(rows); i++)
		assert_int_equal(id_cccd_gender(rows[i].in), rows[i].gender);
	assert_int_equal(id_cccd_gender(NULL), -1);
	assert_string_equal(id_cccd_province("001"), "Hà Nội");
	assert_string_equal(id_cccd_province("037"), "Ninh Bình");
	assert_string_equal(id_cccd_province("096"), "Cà Mau");
	assert_string_equal(id_cccd_province("079"), "Hồ Chí Minh");
	assert_null(id_cccd_province("000"));
	assert_null(id_cccd_province("03"));
	assert_null(id_cccd_province(NULL));
	/* Exactly 63 codes from 001 to 096. */
	int count = 0;
	for (int c = 0; c < 1000; c++) {
		char code[16];
		snprintf(code, sizeof(code), "%03d", c);
		if (id_cccd_province(code)) {
			count++;
			assert_true(c >= 1 && c <= 96);
		}
	}
	assert_int_equal(count, 63);
}

/* ---- tax code ---- */

static void test_tax_code_table(void **state)
{
	static const struct row rows[] = {
		{"0100109106", NULL},	  /* Viettel */
		{"0100112437", NULL},	  /* Vietcombank */
		{"0101248141", NULL},	  /* FPT */
		{"0300588569", NULL},	  /* Vinamilk */
		{"0100109106-001", NULL}, /* branch, with dash */
		{"0100109106001", NULL},  /* branch, without */
		{"0100109106-999", NULL},
		{"001090012345", NULL}, /* personal: the CCCD number (from 2025-07-01) */
		{"0100109107", "identity.tax_check"},
		{"0100109105", "identity.tax_check"},
		{"0100112436", "identity.tax_check"},
		{"1100109106", "identity.tax_check"},
		{"0100109160", "identity.tax_check"}, /* swapped digits */
		{"0100109107-001", "identity.tax_check"},
		{"1000000080", "identity.tax_check"}, /* remainder 0: no digit fits */
		{"1000000089", "identity.tax_check"},
		{"0100109106-000", "identity.tax_branch"},
		{"0100109106000", "identity.tax_branch"},
		{"010010910", "identity.tax_format"},	   /* 9 digits */
		{"01001091061", "identity.tax_format"},	   /* 11 */
		{"01001091060011", "identity.tax_format"}, /* 14 digits */
		{"0100109106-01", "identity.tax_format"},
		{"0100109106-0001", "identity.tax_format"},
		{"0100109106 001", "identity.tax_format"},
		{"0100109106_001", "identity.tax_format"},
		{"010010910A", "identity.tax_format"},
		{" 0100109106", "identity.tax_format"},
		{"000090012345", "identity.tax_personal"}, /* 12 digits, not a CCCD */
		{"001490012345", "identity.tax_personal"},
		{"", "identity.required"},
	};
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		bool ok = id_tax_code_valid(rows[i].in, &why);
		check_why(rows[i].in, ok, rows[i].why, why);
	}
	assert_false(id_tax_code_valid(NULL, NULL));
}

/* Every 9-digit base has exactly one check digit, or none when the
 * remainder is 0; changing any single digit of a valid code breaks it. */
static void test_tax_code_single_digit_errors(void **state)
{
	(void)state;
	const char *good[] = {"0100109106", "0100112437", "0101248141", "0300588569"};
	for (size_t g = 0; g < N(good); g++) {
		for (int pos = 0; pos < 10; pos++) {
			for (char d = '0'; d <= '9'; d++) {
				char s[11];
				memcpy(s, good[g], 11);
				if (s[pos] == d)
					continue;
				s[pos] = d;
				/* No weight is a multiple of 11 (nor is any
				 * change of one digit), so the sum mod 11
				 * always moves. */
				assert_false(id_tax_code_valid(s, NULL));
			}
		}
	}
	int valid = 0;
	for (int last = 0; last < 10; last++) {
		char s[11] = "010011243";
		s[9] = (char)('0' + last);
		valid += id_tax_code_valid(s, NULL);
	}
	assert_int_equal(valid, 1);
}

/* ---- mobile numbers ---- */

static void test_phone_table(void **state)
{
	static const struct {
		const char *in, *norm, *why;
	} rows[] = {
		{"0912345678", "0912345678", NULL},
		{"+84912345678", "0912345678", NULL},
		{"84912345678", "0912345678", NULL},
		{"+84 912 345 678", "0912345678", NULL},
		{"0912 345 678", "0912345678", NULL},
		{"0912.345.678", "0912345678", NULL},
		{"0912-345-678", "0912345678", NULL},
		{"+84 0912 345 678", "0912345678", NULL},
		{"0868686868", "0868686868", NULL}, /* Viettel */
		{"0321234567", "0321234567", NULL},
		{"0391234567", "0391234567", NULL},
		{"0971234567", "0971234567", NULL},
		{"0881234567", "0881234567", NULL}, /* VinaPhone */
		{"0811234567", "0811234567", NULL},
		{"0851234567", "0851234567", NULL},
		{"0941234567", "0941234567", NULL},
		{"0701234567", "0701234567", NULL}, /* MobiFone */
		{"0761234567", "0761234567", NULL},
		{"0791234567", "0791234567", NULL},
		{"0891234567", "0891234567", NULL},
		{"0901234567", "0901234567", NULL},
		{"0931234567", "0931234567", NULL},
		{"0921234567", "0921234567", NULL}, /* Vietnamobile */
		{"0561234567", "0561234567", NULL},
		{"0581234567", "0581234567", NULL},
		{"0521234567", "0521234567", NULL}, /* Wintel */
		{"0591234567", "0591234567", NULL}, /* Gmobile */
		{"0991234567", "0991234567", NULL},
		{"0871234567", "0871234567", NULL},		    /* Itelecom */
		{"0551234567", "0551234567", NULL},		    /* Reddi */
		{"02438123456", NULL, "identity.phone_landline"},   /* Hà Nội landline */
		{"0229 3871 234", NULL, "identity.phone_landline"}, /* Ninh Bình */
		{"+84 24 3812 3456", NULL, "identity.phone_landline"},
		{"0312345678", NULL, "identity.phone_prefix"}, /* 031 unallocated */
		{"0301234567", NULL, "identity.phone_prefix"},
		{"0501234567", NULL, "identity.phone_prefix"},
		{"0571234567", NULL, "identity.phone_prefix"},
		{"0711234567", NULL, "identity.phone_prefix"},
		{"0801234567", NULL, "identity.phone_prefix"},
		{"0951234567", NULL, "identity.phone_prefix"},
		{"0111234567", NULL, "identity.phone_prefix"},
		{"091234567", NULL, "identity.phone_format"}, /* too short */
		{"09123456789", NULL, "identity.phone_format"},
		{"912345678", NULL, "identity.phone_format"},
		{"+1 912 345 678", NULL, "identity.phone_format"},
		{"+0912345678", NULL, "identity.phone_format"},
		{"0912  345678", NULL, "identity.phone_format"}, /* two separators */
		{"0912-.345678", NULL, "identity.phone_format"},
		{" 0912345678", NULL, "identity.phone_format"},
		{"0912345678 ", NULL, "identity.phone_format"},
		{"0912345678a", NULL, "identity.phone_format"},
		{"(091) 2345678", NULL, "identity.phone_format"},
		{"++84912345678", NULL, "identity.phone_format"},
		{"84 84912345678", NULL, "identity.phone_format"},
		{"09123456789012345678", NULL, "identity.phone_format"},
		{"", NULL, "identity.required"},
	};
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		char norm[16] = "untouched";
		bool ok = id_phone_valid(rows[i].in, norm, &why);
		check_why(rows[i].in, ok, rows[i].why, why);
		if (rows[i].norm)
			assert_string_equal(norm, rows[i].norm);
	}
}

/* ---- e-mail ---- */

static void test_email_table(void **state)
{
	static const struct row rows[] = {
		{"an.nguyen@gmail.com", NULL},
		{"AN.NGUYEN@GMAIL.COM", NULL},
		{"so-tu-phap@ninhbinh.gov.vn", NULL},
		{"a@b.vn", NULL},
		{"user+tag@example.co", NULL},
		{"x_y@mail-server.example.org", NULL},
		{"tên@bưuđiện.vn", NULL}, /* internationalised */
		{"", "identity.required"},
		{"an.nguyengmail.com", "identity.email_at"},
		{"an@nguyen@gmail.com", "identity.email_at"},
		{"@gmail.com", "identity.email_local"},
		{"an@", "identity.email_domain"},
		{"an@localhost", "identity.email_domain"},
		{"an@gmail.", "identity.email_domain"},
		{"an@.gmail.com", "identity.email_domain"},
		{"an@gmail..com", "identity.email_domain"},
		{"an@-gmail.com", "identity.email_domain"},
		{"an@gmail-.com", "identity.email_domain"},
		{"an@gm_ail.com", "identity.email_domain"},
		{"an@[127.0.0.1]", "identity.email_domain"},
		{"an nguyen@gmail.com", "identity.email_space"},
		{"an@gmail.com ", "identity.email_space"},
		{"an\t@gmail.com", "identity.email_space"},
		{"an\r\nBcc: x@y.z", "identity.email_space"},
		{"an\x7f@gmail.com", "identity.email_space"},
		{".an@gmail.com", "identity.email_format"},
		{"an.@gmail.com", "identity.email_format"},
		{"a..n@gmail.com", "identity.email_format"},
		{"\xff\xfe@gmail.com", "identity.email_format"},
		{"an@gm\xc3\x28.com", "identity.email_format"},
	};
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		bool ok = id_email_valid(rows[i].in, &why);
		check_why(rows[i].in, ok, rows[i].why, why);
	}
	/* Length limits: 254 bytes in all, 64 before the @. */
	char s[300];
	memset(s, 'a', 64);
	s[64] = '@';
	memset(s + 65, 'b', 185);
	memcpy(s + 250, ".com", 5); /* 254 bytes */
	assert_true(id_email_valid(s, NULL));
	memcpy(s + 250, ".comx", 6); /* 255 */
	const char *why = NULL;
	assert_false(id_email_valid(s, &why));
	assert_string_equal(why, "identity.email_too_long");
	memset(s, 'a', 65);
	memcpy(s + 65, "@b.vn", 6);
	assert_false(id_email_valid(s, &why));
	assert_string_equal(why, "identity.email_format");
}

/* ---- passwords ---- */

static void test_password_table(void **state)
{
	static const struct {
		const char *pw, *login, *name, *why;
	} rows[] = {
		{"Trâu vàng gặm cỏ 1975", "an.nguyen", "Nguyễn Văn An", NULL},
		{"correct horse battery staple", NULL, NULL, NULL},
		{"mưa rơi trên mái", NULL, NULL, NULL}, /* 16 code points */
		{"đôi mắt đẹp", NULL, NULL, NULL},	/* 11 code points, 17 bytes */
		{"Zx9#kLm2!qP", "user", "Lê Thị Hoa", NULL},
		{"aaaaaaaaab", NULL, NULL, NULL},
		{"", NULL, NULL, "identity.required"},
		{"ngắn quá", NULL, NULL, "identity.password_too_short"},
		{"đôi mắt", NULL, NULL, "identity.password_too_short"}, /* 7 code points */
		{"123456789", NULL, NULL, "identity.password_too_short"},
		{"aaaaaaaaaaaa", NULL, NULL, "identity.password_repeated"},
		{"ơơơơơơơơơơơơ", NULL, NULL, "identity.password_repeated"},
		{"1234567890", NULL, NULL, "identity.password_common"},
		{"password123", NULL, NULL, "identity.password_common"},
		{"PASSWORD123", NULL, NULL, "identity.password_common"},
		{"PaSsWoRd123", NULL, NULL, "identity.password_common"},
		{"matkhau123456", NULL, NULL, "identity.password_common"},
		{"Matkhau@123", NULL, NULL, "identity.password_common"},
		{"anhyeuem123", NULL, NULL, "identity.password_common"},
		{"iloveyou123", NULL, NULL, "identity.password_common"},
		{"qwertyuiop", NULL, NULL, "identity.password_common"},
		{"vietnam2024", NULL, NULL, "identity.password_common"},
		{"0987654321", NULL, NULL, "identity.password_common"},
		{"Admin@1234", NULL, NULL, "identity.password_common"},
		{"my login is an.nguyen!", "an.nguyen", NULL, "identity.password_login"},
		{"xxAN.NGUYENxx2025", "an.nguyen", NULL, "identity.password_login"},
		{"an.nguyen", "an.nguyen", NULL, "identity.password_too_short"},
		{"anan-2025-anan", "an", NULL, NULL}, /* logins under 3 letters ignored */
		{"nguyenvanan1990", NULL, "Nguyễn Văn An", "identity.password_name"},
		{"NguyễnVănAn!1990", NULL, "Nguyễn  Văn   An", "identity.password_name"},
		{"doThiAnh-2025", NULL, "Đỗ Thị Ánh", "identity.password_name"},
		{"bao-an-1990-xy", NULL, "An", NULL}, /* short names ignored */
		{"bad\x01control", NULL, NULL, "identity.password_invalid"},
		{"bad\xff utf-8 text", NULL, NULL, "identity.password_invalid"},
		{"line\nbreak password", NULL, NULL, "identity.password_invalid"},
	};
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		bool ok = id_password_ok(rows[i].pw, rows[i].login, rows[i].name, &why);
		check_why(rows[i].pw, ok, rows[i].why, why);
	}
	assert_false(id_password_ok(NULL, NULL, NULL, NULL));
}

static void test_password_lengths(void **state)
{
	(void)state;
	char pw[200];
	const char *why = NULL;
	/* 128 bytes pass, 129 do not. */
	for (int i = 0; i < 129; i++)
		pw[i] = (char)('a' + i % 26);
	pw[128] = '\0';
	assert_true(id_password_ok(pw, NULL, NULL, &why));
	pw[128] = 'z';
	pw[129] = '\0';
	assert_false(id_password_ok(pw, NULL, NULL, &why));
	assert_string_equal(why, "identity.password_too_long");
	/* 42 "ệ" (3 bytes each) are 126 bytes and 42 code points: fine apart
	 * from being one character. */
	pw[0] = '\0';
	for (int i = 0; i < 42; i++)
		memcpy(pw + 3 * i, "ệ", 4);
	assert_false(id_password_ok(pw, NULL, NULL, &why));
	assert_string_equal(why, "identity.password_repeated");
	/* Nine code points count as nine, whatever the bytes. */
	assert_false(id_password_ok("ệệệệệệệệa", NULL, NULL, &why));
	assert_string_equal(why, "identity.password_too_short");
	assert_true(id_password_ok("ệệệệệệệệab", NULL, NULL, &why));
}

static void test_common_list(void **state)
{
	(void)state;
	assert_true(id_common_password_count() >= 1000);
	/* Every long entry of the list is refused, in upper case too. */
	static const char *const samples[] = {"1234567890", "qwertyuiop", "anhyeuem2000",
					      "0123456789", "1234512345", "password2024"};
	for (size_t i = 0; i < N(samples); i++) {
		const char *why = NULL;
		char up[64];
		snprintf(up, sizeof(up), "%s", samples[i]);
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		assert_false(id_password_ok(samples[i], NULL, NULL, &why));
		assert_string_equal(why, "identity.password_common");
		assert_false(id_password_ok(up, NULL, NULL, &why));
		assert_string_equal(why, "identity.password_common");
	}
}

static void *load_list(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)id_common_password_count();
}

/* Loading races on first use; every thread sees the whole list. */
static void test_common_list_threads(void **state)
{
	(void)state;
	pthread_t t[8];
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, load_list, NULL), 0);
	size_t first = 0;
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(t[i], &r);
		if (i == 0)
			first = (size_t)(uintptr_t)r;
		assert_int_equal((size_t)(uintptr_t)r, first);
	}
	assert_true(first >= 1000);
}

/* ---- dates ---- */

static void test_date_parse(void **state)
{
	(void)state;
	static const struct {
		const char *in, *iso;
	} rows[] = {
		{"05/09/1990", "1990-09-05"}, {"5/9/1990", "1990-09-05"},
		{"29/02/2024", "2024-02-29"}, {"31/12/1999", "1999-12-31"},
		{"1990-09-05", "1990-09-05"}, {"2000-02-29", "2000-02-29"},
		{"29/02/2023", NULL},	      {"29/02/1900", NULL},
		{"31/04/2020", NULL},	      {"00/01/2020", NULL},
		{"01/13/2020", NULL},	      {"01/00/2020", NULL},
		{"1990-9-5", NULL},	      {"05/09/90", NULL},
		{"05-09-1990", NULL},	      {"005/09/1990", NULL},
		{"05/09/19900", NULL},	      {"1990/09/05", NULL},
		{"1990-09-05 ", NULL},	      {"", NULL},
		{"0999-01-01", NULL},	      {"05/09/1990x", NULL},
	};
	for (size_t i = 0; i < N(rows); i++) {
		char out[11] = "untouched";
		bool ok = id_date_parse(rows[i].in, out);
		if (rows[i].iso) {
			if (!ok)
				fail_msg("'%s' not parsed", rows[i].in);
			assert_string_equal(out, rows[i].iso);
		} else {
			if (ok)
				fail_msg("'%s' parsed as %s", rows[i].in, out);
			assert_string_equal(out, "untouched");
		}
	}
	char out[11];
	assert_false(id_date_parse(NULL, out));
}

static void test_birth_date(void **state)
{
	(void)state;
	static const struct row rows[] = {
		{"1990-09-05", NULL},
		{"1900-01-01", NULL},
		{"2024-02-29", NULL},
		{"1899-12-31", "identity.birth_date_too_old"},
		{"2023-02-29", "identity.birth_date_invalid"},
		{"1990-13-01", "identity.birth_date_invalid"},
		{"1990-00-10", "identity.birth_date_invalid"},
		{"1990-04-31", "identity.birth_date_invalid"},
		{"9999-12-31", "identity.birth_date_future"},
		{"05/09/1990", "identity.birth_date_format"},
		{"1990-9-5", "identity.birth_date_format"},
		{"19900905", "identity.birth_date_format"},
		{"", "identity.required"},
	};
	for (size_t i = 0; i < N(rows); i++) {
		const char *why = NULL;
		bool ok = id_birth_date_valid(rows[i].in, &why);
		check_why(rows[i].in, ok, rows[i].why, why);
	}
	/* Today (UTC+7) passes, tomorrow does not. */
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	char s[16];
	gmtime_r(&now, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	assert_true(id_birth_date_valid(s, NULL));
	now += 24 * 3600;
	gmtime_r(&now, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	assert_false(id_birth_date_valid(s, NULL));
}

/* ---- masking ---- */

static void test_mask_name(void **state)
{
	arena *a = *state;
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"Nguyễn Văn An", "Nguyễn V** A*"},
		{"Đỗ Thị Ánh", "Đỗ T** Á**"},
		{"Trần Thị Ngọc Diễm", "Trần T** N*** D***"},
		{"Lê A", "Lê A"},
		{"An", "A*"},
		{"Ánh", "Á**"},
		{"Đ", "Đ"},
		{"  Nguyễn   Văn\tAn  ", "Nguyễn V** A*"},
		{"Nguyễn\xc2\xa0Văn An", "Nguyễn V** A*"}, /* no-break space */
		/* NFD: base letters with combining marks count as one each. */
		{"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An", "Nguyễn V** A*"},
		{"\xc4\x90o\xcc\x82\xcc\x83 Thi\xcc\xa3 A\xcc\x81nh", "Đỗ T** Á**"},
		{"O\xcc\x9b\xcc\x89 U\xcc\x9b\xcc\x81"
		 "c",
		 "Ở Ứ*"},
		{"Hoàng Trọng Phụng", "Hoàng T**** P****"},
		{"John O'Neil", "John O*****"},
	};
	for (size_t i = 0; i < N(rows); i++) {
		const char *m = id_mask_name(a, rows[i].in);
		if (!m)
			fail_msg("'%s' not masked", rows[i].in);
		assert_string_equal(m, rows[i].out);
	}
	assert_null(id_mask_name(a, ""));
	assert_null(id_mask_name(a, "   \t "));
	assert_null(id_mask_name(a, NULL));
	assert_null(id_mask_name(a, "Ng\xff An"));
	assert_null(id_mask_name(a, "Nguyễn\x01Văn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cccd_table),
		cmocka_unit_test(test_cccd_birth_date),
		cmocka_unit_test(test_cccd_gender_and_province),
		cmocka_unit_test(test_tax_code_table),
		cmocka_unit_test(test_tax_code_single_digit_errors),
		cmocka_unit_test(test_phone_table),
		cmocka_unit_test(test_email_table),
		cmocka_unit_test(test_password_table),
		cmocka_unit_test(test_password_lengths),
		cmocka_unit_test(test_common_list),
		cmocka_unit_test(test_common_list_threads),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_birth_date),
		cmocka_unit_test(test_mask_name),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
