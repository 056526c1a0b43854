/*
 * identity_fallback.c - minimal identity checks used until the identity
 * module (src/domain/identity.c) is merged; compiles to nothing once
 * src/domain/identity.h exists. Rules: CCCD (căn cước công dân) is 12 digits,
 * a province code 001-096, a century-and-gender digit and the two last digits
 * of the birth year (Circular 59/2021/TT-BCA); a tax code (mã số thuế) is 10
 * digits with its check digit, optionally "-NNN" for a branch; mobile numbers
 * are 10 digits starting 03, 05, 07, 08 or 09 (or +84).
 */
#include "domain/identity_fallback.h"

#if !__has_include("domain/identity.h")
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool fail(const char **why, const char *key)
{
	if (why)
		*why = key;
	return false;
}

bool id_date_parse(const char *s, char out[11])
{
	int d, m, y;
	size_t n = s ? strlen(s) : 0;
	if (n == 10 && s[2] == '/' && s[5] == '/' && all_digits(s, 2) && all_digits(s + 3, 2) &&
	    all_digits(s + 6, 4)) {
		d = (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[3] - '0') * 10 + (s[4] - '0');
		y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	} else if (n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) &&
		   all_digits(s + 5, 2) && all_digits(s + 8, 2)) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[5] - '0') * 10 + (s[6] - '0');
		d = (s[8] - '0') * 10 + (s[9] - '0');
	} else {
		return false;
	}
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 11);
	return true;
}

bool id_cccd_valid(const char *s, const char *birth_date, const char **why)
{
	if (!s || strlen(s) != 12 || !all_digits(s, 12))
		return fail(why, "account.why.cccd_digits");
	int province = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (province < 1 || province > 96)
		return fail(why, "account.why.cccd_province");
	if (birth_date && strlen(birth_date) == 10) {
		int year = (birth_date[0] - '0') * 1000 + (birth_date[1] - '0') * 100 +
			   (birth_date[2] - '0') * 10 + (birth_date[3] - '0');
		int century = (s[3] - '0') / 2; /* 0,1: 1900s; 2,3: 2000s; ... */
		int yy = (s[4] - '0') * 10 + (s[5] - '0');
		if (1900 + century * 100 + yy != year)
			return fail(why, "account.why.cccd_birth");
	}
	return true;
}

bool id_tax_code_valid(const char *s, const char **why)
{
	size_t n = s ? strlen(s) : 0;
	if (!(n == 10 || (n == 14 && s[10] == '-' && all_digits(s + 11, 3))) || !all_digits(s, 10))
		return fail(why, "account.why.tax_digits");
	static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (s[i] - '0') * w[i];
	if (10 - sum % 11 != s[9] - '0')
		return fail(why, "account.why.tax_check");
	return true;
}

bool id_phone_valid(const char *s, char normalized[16], const char **why)
{
	char d[16];
	size_t k = 0;
	const char *p = s ? s : "";
	if (strncmp(p, "+84", 3) == 0) {
		d[k++] = '0';
		p += 3;
	}
	for (; *p && k < sizeof(d) - 1; p++) {
		if (*p == ' ' || *p == '.' || *p == '-')
			continue;
		if (!isdigit((unsigned char)*p))
			return fail(why, "account.why.phone");
		d[k++] = *p;
	}
	d[k] = '\0';
	if (*p || k != 10 || d[0] != '0' || !strchr("35789", d[1]))
		return fail(why, "account.why.phone");
	memcpy(normalized, d, k + 1);
	return true;
}

bool id_email_valid(const char *s, const char **why)
{
	const char *at = s ? strchr(s, '@') : NULL;
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(s) > 254 ||
	    at[1] == '.' || s[strlen(s) - 1] == '.' || strpbrk(s, " \t<>\"(),;:[]\\"))
		return fail(why, "account.why.email");
	return true;
}

bool id_password_ok(const char *pw, const char *login, const char *name, const char **why)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < 8)
		return fail(why, "account.why.password_short");
	if (n > 128)
		return fail(why, "account.why.password_long");
	if ((login && *login && strstr(pw, login)) || (name && *name && strcmp(pw, name) == 0))
		return fail(why, "account.why.password_personal");
	bool letter = false, digit = false;
	for (const char *p = pw; *p; p++) {
		letter |= isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80;
		digit |= isdigit((unsigned char)*p);
	}
	if (!letter || !digit)
		return fail(why, "account.why.password_mix");
	return true;
}
#endif
