/*
 * identity.c - validators for citizen IDs, tax codes, mobile numbers, e-mail,
 * passwords and birth dates, and name masking (see identity.h).
 *
 * Never touches the database or the network and never allocates outside the
 * caller's arena, except the common-password list, built once per process.
 */
#include "domain/identity.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "core/assets.h"

/* Sets *why when the caller asked for it; returns false so that a failing
 * check is one line. */
static bool fail(const char **why, const char *key)
{
	if (why)
		*why = key;
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Today's date in Vietnam (UTC+7, no daylight saving). */
static void today_vn(int *y, int *m, int *d)
{
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static bool real_date(int y, int m, int d)
{
	return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* ---- dates ---- */

bool id_date_parse(const char *s, char out[11])
{
	if (!s)
		return false;
	size_t n = strlen(s);
	int y, m, d;
	if (n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) && all_digits(s + 5, 2) &&
	    all_digits(s + 8, 2)) {
		y = digits_value(s, 4);
		m = digits_value(s + 5, 2);
		d = digits_value(s + 8, 2);
	} else {
		/* d{1,2}/m{1,2}/yyyy */
		const char *p = s;
		size_t k = 0;
		while (k < 2 && is_digit(p[k]))
			k++;
		if (k == 0 || p[k] != '/')
			return false;
		d = digits_value(p, k);
		p += k + 1;
		k = 0;
		while (k < 2 && is_digit(p[k]))
			k++;
		if (k == 0 || p[k] != '/')
			return false;
		m = digits_value(p, k);
		p += k + 1;
		if (strlen(p) != 4 || !all_digits(p, 4))
			return false;
		y = digits_value(p, 4);
	}
	if (!real_date(y, m, d))
		return false;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return true;
}

bool id_birth_date_valid(const char *s, const char **why)
{
	if (!s || !*s)
		return fail(why, "identity.required");
	size_t n = strlen(s);
	if (n != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
	    !all_digits(s + 8, 2))
		return fail(why, "identity.birth_date_format");
	int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
	if (!real_date(y, m, d))
		return fail(why, "identity.birth_date_invalid");
	if (y < 1900)
		return fail(why, "identity.birth_date_too_old");
	int ty, tm, td;
	today_vn(&ty, &tm, &td);
	if (y * 10000 + m * 100 + d > ty * 10000 + tm * 100 + td)
		return fail(why, "identity.birth_date_future");
	return true;
}

/* ---- citizen ID ---- */

/* Province codes of the citizen ID, Circular 07/2016/TT-BCA, appendix
 * ("Danh mục mã tỉnh, thành phố trực thuộc trung ương"): the 63 provinces as
 * they were before the 2025 mergers. Numbers already issued keep their code. */
static const struct {
	char code[4];
	const char *name;
} provinces[] = {
	{"001", "Hà Nội"},
	{"002", "Hà Giang"},
	{"004", "Cao Bằng"},
	{"006", "Bắc Kạn"},
	{"008", "Tuyên Quang"},
	{"010", "Lào Cai"},
	{"011", "Điện Biên"},
	{"012", "Lai Châu"},
	{"014", "Sơn La"},
	{"015", "Yên Bái"},
	{"017", "Hòa Bình"},
	{"019", "Thái Nguyên"},
	{"020", "Lạng Sơn"},
	{"022", "Quảng Ninh"},
	{"024", "Bắc Giang"},
	{"025", "Phú Thọ"},
	{"026", "Vĩnh Phúc"},
	{"027", "Bắc Ninh"},
	{"030", "Hải Dương"},
	{"031", "Hải Phòng"},
	{"033", "Hưng Yên"},
	{"034", "Thái Bình"},
	{"035", "Hà Nam"},
	{"036", "Nam Định"},
	{"037", "Ninh Bình"},
	{"038", "Thanh Hóa"},
	{"040", "Nghệ An"},
	{"042", "Hà Tĩnh"},
	{"044", "Quảng Bình"},
	{"045", "Quảng Trị"},
	{"046", "Thừa Thiên Huế"},
	{"048", "Đà Nẵng"},
	{"049", "Quảng Nam"},
	{"051", "Quảng Ngãi"},
	{"052", "Bình Định"},
	{"054", "Phú Yên"},
	{"056", "Khánh Hòa"},
	{"058", "Ninh Thuận"},
	{"060", "Bình Thuận"},
	{"062", "Kon Tum"},
	{"064", "Gia Lai"},
	{"066", "Đắk Lắk"},
	{"067", "Đắk Nông"},
	{"068", "Lâm Đồng"},
	{"070", "Bình Phước"},
	{"072", "Tây Ninh"},
	{"074", "Bình Dương"},
	{"075", "Đồng Nai"},
	{"077", "Bà Rịa - Vũng Tàu"},
	{"079", "Hồ Chí Minh"},
	{"080", "Long An"},
	{"082", "Tiền Giang"},
	{"083", "Bến Tre"},
	{"084", "Trà Vinh"},
	{"086", "Vĩnh Long"},
	{"087", "Đồng Tháp"},
	{"089", "An Giang"},
	{"091", "Kiên Giang"},
	{"092", "Cần Thơ"},
	{"093", "Hậu Giang"},
	{"094", "Sóc Trăng"},
	{"095", "Bạc Liêu"},
	{"096", "Cà Mau"},
};

_Static_assert(sizeof(provinces) / sizeof(provinces[0]) == 63, "63 provinces");

const char *id_cccd_province(const char *code3)
{
	if (!code3)
		return NULL;
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (strncmp(provinces[i].code, code3, 3) == 0 && strlen(code3) >= 3)
			return provinces[i].name;
	return NULL;
}

/* Digit 4: even male, odd female; 0-1 born 1900-1999, 2-3 2000-2099, 4-5
 * 2100-2199, 6-7 2200-2299, 8-9 1800-1899 (Circular 07/2016/TT-BCA art. 7). */
static int century_of(char g)
{
	static const int start[5] = {1900, 2000, 2100, 2200, 1800};
	return start[(g - '0') / 2];
}

bool id_cccd_valid(const char *s, const char *birth_date, const char **why)
{
	if (!s || !*s)
		return fail(why, "identity.required");
	if (strlen(s) != 12 || !all_digits(s, 12))
		return fail(why, "identity.cccd_format");
	if (!id_cccd_province(s))
		return fail(why, "identity.cccd_province");
	int year = century_of(s[3]) + digits_value(s + 4, 2);
	int ty, tm, td;
	today_vn(&ty, &tm, &td);
	if (year > ty)
		return fail(why, "identity.cccd_year_future");
	char iso[11];
	if (birth_date && id_date_parse(birth_date, iso) && digits_value(iso, 4) != year)
		return fail(why, "identity.cccd_birth_year");
	return true;
}

int id_cccd_gender(const char *s)
{
	if (!id_cccd_valid(s, NULL, NULL))
		return -1;
	return (s[3] - '0') % 2;
}

/* ---- tax code ---- */

/*
 * Check digit of the 10-digit tax code (structure: Circular 105/2020/TT-BTC
 * art. 5, N1-N9 then check digit N10). The weights are the tax authority's
 * algorithm as used by its own validation tools: N10 = 10 - (sum of Ni * wi
 * mod 11) with w = 31 29 23 19 17 13 7 5 3; a remainder of 0 would need a
 * check digit of 10, which is never issued. Checked against published codes:
 * Viettel 0100109106 (sum 114, 114 mod 11 = 4, 10 - 4 = 6) and Vietcombank
 * 0100112437 (sum 102, mod 11 = 3, check 7). Some web pages give
 * "11 - (sum mod 11)", which rejects both, so it is not used.
 */
static bool tax_check_ok(const char *s)
{
	static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (s[i] - '0') * w[i];
	int check = 10 - sum % 11;
	return check != 10 && check == s[9] - '0';
}

bool id_tax_code_valid(const char *s, const char **why)
{
	if (!s || !*s)
		return fail(why, "identity.required");
	size_t n = strlen(s);
	const char *branch = NULL;
	if (n == 12 && all_digits(s, 12)) {
		/* From 2025-07-01 a person's tax code is the CCCD number
		 * (Circular 86/2024/TT-BTC art. 5, Law on Tax Administration
		 * 38/2019/QH14 art. 35 as amended); businesses keep 10/13. */
		if (!id_cccd_valid(s, NULL, NULL))
			return fail(why, "identity.tax_personal");
		return true;
	}
	if (n == 10 && all_digits(s, 10))
		branch = NULL;
	else if (n == 13 && all_digits(s, 13))
		branch = s + 10;
	else if (n == 14 && all_digits(s, 10) && s[10] == '-' && all_digits(s + 11, 3))
		branch = s + 11;
	else
		return fail(why, "identity.tax_format");
	if (!tax_check_ok(s))
		return fail(why, "identity.tax_check");
	if (branch && digits_value(branch, 3) == 0)
		return fail(why, "identity.tax_branch");
	return true;
}

/* ---- mobile numbers ---- */

/*
 * Mobile prefixes after the 2018 change from 11 to 10 digits (Ministry of
 * Information and Communications, Decision 798/QĐ-BTTTT, 2018) and the later
 * allocations: Viettel 032-039 086 096-098; VinaPhone 081-085 088 091 094;
 * MobiFone 070 076-079 089 090 093; Vietnamobile 092 056 058; Wintel 052;
 * Gmobile 059 099; Itelecom 087; Reddi 055. Cross-checked with the
 * libphonenumber VN metadata, which allows these prefixes as mobile.
 */
static const char mobile_prefixes[][3] = {
	"32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98", /* Viettel */
	"81", "82", "83", "84", "85", "88", "91", "94",				/* VinaPhone */
	"70", "76", "77", "78", "79", "89", "90", "93",				/* MobiFone */
	"92", "56", "58", "52", "59", "99", "87", "55",
};

bool id_phone_valid(const char *s, char normalized[16], const char **why)
{
	if (!s || !*s)
		return fail(why, "identity.required");
	char d[16];
	size_t nd = 0;
	bool plus = false;
	const char *p = s;
	if (*p == '+') {
		plus = true;
		p++;
	}
	for (; *p; p++) {
		if (is_digit(*p)) {
			if (nd == sizeof(d) - 1)
				return fail(why, "identity.phone_format");
			d[nd++] = *p;
		} else if ((*p == ' ' || *p == '.' || *p == '-') && nd > 0 && is_digit(p[1])) {
			continue;
		} else {
			return fail(why, "identity.phone_format");
		}
	}
	d[nd] = '\0';
	/* The national significant number: what follows the 0 or the 84. */
	const char *national;
	if (d[0] == '8' && d[1] == '4' && d[2] == '0')
		national = d + 3; /* "+84 0912..." */
	else if (d[0] == '8' && d[1] == '4')
		national = d + 2;
	else if (!plus && d[0] == '0')
		national = d + 1;
	else
		return fail(why, "identity.phone_format");
	size_t nn = strlen(national);
	/* Landlines: area code 2xx and 10 digits (9 before 2017). */
	if (national[0] == '2' && (nn == 10 || nn == 9))
		return fail(why, "identity.phone_landline");
	if (nn != 9)
		return fail(why, "identity.phone_format");
	bool known = false;
	for (size_t i = 0; i < sizeof(mobile_prefixes) / sizeof(mobile_prefixes[0]); i++)
		if (national[0] == mobile_prefixes[i][0] && national[1] == mobile_prefixes[i][1])
			known = true;
	if (!known)
		return fail(why, "identity.phone_prefix");
	normalized[0] = '0';
	memcpy(normalized + 1, national, 9);
	normalized[10] = '\0';
	return true;
}

/* ---- e-mail ---- */

/* Code points in valid UTF-8 (continuation bytes are not counted). */
static size_t cp_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static bool valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

bool id_email_valid(const char *s, const char **why)
{
	if (!s || !*s)
		return fail(why, "identity.required");
	size_t n = strlen(s);
	if (n > 254)
		return fail(why, "identity.email_too_long");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] == 0x7f)
			return fail(why, "identity.email_space");
	if (!valid_utf8(s, n))
		return fail(why, "identity.email_format");
	const char *at = strchr(s, '@');
	if (!at || strchr(at + 1, '@'))
		return fail(why, "identity.email_at");
	size_t local = (size_t)(at - s);
	if (local == 0)
		return fail(why, "identity.email_local");
	if (local > 64 || s[0] == '.' || at[-1] == '.' || memmem(s, local, "..", 2))
		return fail(why, "identity.email_format");
	const char *dom = at + 1;
	size_t dn = strlen(dom);
	if (dn == 0 || !strchr(dom, '.'))
		return fail(why, "identity.email_domain");
	/* Labels: letters, digits, '-' and non-ASCII (internationalised
	 * names), not empty, not starting or ending with '-'. */
	size_t label = 0;
	for (size_t i = 0; i <= dn; i++) {
		char c = dom[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || dom[i - 1] == '-')
				return fail(why, "identity.email_domain");
			label = 0;
			continue;
		}
		bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (unsigned char)c >= 0x80 || (c == '-' && label > 0);
		if (!ok)
			return fail(why, "identity.email_domain");
		label++;
	}
	return true;
}

/* ---- passwords ---- */

static struct {
	char **words; /* sorted, distinct, lower-case */
	size_t n;
	char *text;
} common;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Builds the list once; it lives until the process exits. */
static void common_load(void)
{
	const struct asset *as = asset_find("data/common-passwords.txt");
	if (!as)
		return;
	common.text = malloc(as->len + 1);
	if (!common.text)
		abort();
	memcpy(common.text, as->data, as->len);
	common.text[as->len] = '\0';
	size_t lines = 1;
	for (size_t i = 0; i < as->len; i++)
		lines += as->data[i] == '\n';
	common.words = calloc(lines, sizeof(*common.words));
	if (!common.words)
		abort();
	char *p = common.text;
	while (*p) {
		char *e = strchr(p, '\n');
		if (e)
			*e = '\0';
		size_t len = strlen(p);
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
			p[--len] = '\0';
		if (len > 0 && p[0] != '#') {
			ascii_lower(p);
			assert(common.n < lines);
			common.words[common.n++] = p;
		}
		if (!e)
			break;
		p = e + 1;
	}
	qsort(common.words, common.n, sizeof(*common.words), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < common.n; i++)
		if (k == 0 || strcmp(common.words[k - 1], common.words[i]) != 0)
			common.words[k++] = common.words[i];
	common.n = k;
}

size_t id_common_password_count(void)
{
	pthread_once(&common_once, common_load);
	return common.n;
}

/* utf8proc_map into a heap string the caller frees, or NULL. */
static char *map_utf8(const char *s, utf8proc_option_t opt)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  opt | UTF8PROC_NULLTERM | UTF8PROC_STABLE);
	if (n < 0)
		return NULL;
	return (char *)out;
}

/* Case-folded, marks stripped, đ as d, only letters and digits kept:
 * "Nguyễn Văn An" -> "nguyenvanan". Heap string, or NULL. */
static char *fold_compact(const char *s)
{
	char *f = map_utf8(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	if (!f)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; f[i]; i++) {
		unsigned char c = (unsigned char)f[i];
		if (c == 0xc4 && (unsigned char)f[i + 1] == 0x91) { /* đ */
			f[k++] = 'd';
			i++;
		} else if (is_digit((char)c) || (c >= 'a' && c <= 'z') || c >= 0x80) {
			f[k++] = (char)c;
		}
	}
	f[k] = '\0';
	return f;
}

static bool common_contains(const char *folded)
{
	pthread_once(&common_once, common_load);
	return common.n > 0 &&
	       bsearch(&folded, common.words, common.n, sizeof(*common.words), cmp_str) != NULL;
}

bool id_password_ok(const char *pw, const char *login, const char *name, const char **why)
{
	if (!pw || !*pw)
		return fail(why, "identity.required");
	size_t n = strlen(pw);
	if (n > 128)
		return fail(why, "identity.password_too_long");
	size_t cps = 0;
	utf8proc_int32_t first = -1;
	bool one_char = true;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)pw + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return fail(why, "identity.password_invalid");
		if (first < 0)
			first = cp;
		else if (cp != first)
			one_char = false;
		cps++;
		i += (size_t)k;
	}
	if (cps < 10)
		return fail(why, "identity.password_too_short");
	if (one_char)
		return fail(why, "identity.password_repeated");

	bool ok = true;
	const char *problem = NULL;
	char *pw_fold = map_utf8(pw, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	char *pw_compact = fold_compact(pw);
	char *login_fold =
		login && *login ? map_utf8(login, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) : NULL;
	char *name_compact = name && *name ? fold_compact(name) : NULL;
	if (!pw_fold || !pw_compact) {
		ok = false;
		problem = "identity.password_invalid";
		goto out;
	}
	if (login_fold && cp_count(login_fold) >= 3 && strstr(pw_fold, login_fold)) {
		ok = false;
		problem = "identity.password_login";
		goto out;
	}
	if (name_compact && strlen(name_compact) >= 4 && strstr(pw_compact, name_compact)) {
		ok = false;
		problem = "identity.password_name";
		goto out;
	}
	if (common_contains(pw_fold)) {
		ok = false;
		problem = "identity.password_common";
		goto out;
	}
out:
	free(pw_fold);
	free(pw_compact);
	free(login_fold);
	free(name_compact);
	if (!ok)
		return fail(why, problem);
	return true;
}

/* ---- name masking ---- */

static bool is_space_cp(utf8proc_int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

char *id_mask_name(arena *a, const char *full_name)
{
	if (!full_name)
		return NULL;
	char *nfc = map_utf8(full_name, UTF8PROC_COMPOSE);
	if (!nfc)
		return NULL;
	size_t n = strlen(nfc);
	/* Worst case: every code point becomes '*' or stays, plus spaces. */
	char *out = arena_alloc(a, n * 2 + 1);
	size_t k = 0, words = 0;
	char *result = NULL;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)nfc + i,
							(utf8proc_ssize_t)(n - i), &cp);
		if (len <= 0)
			goto out;
		if (is_space_cp(cp)) {
			i += (size_t)len;
			continue;
		}
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
			goto out;
		/* A word starts here. */
		if (words > 0)
			out[k++] = ' ';
		size_t start = i, cps = 0;
		while (i < n) {
			len = utf8proc_iterate((const utf8proc_uint8_t *)nfc + i,
					       (utf8proc_ssize_t)(n - i), &cp);
			if (len <= 0)
				goto out;
			if (is_space_cp(cp))
				break;
			if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
				goto out;
			if (cps == 0 || words == 0) {
				memcpy(out + k, nfc + i, (size_t)len);
				k += (size_t)len;
			} else {
				out[k++] = '*';
			}
			cps++;
			i += (size_t)len;
		}
		assert(i > start);
		words++;
	}
	if (words == 0)
		goto out;
	if (words == 1) {
		/* One word: its first letter and a star per remaining letter. */
		utf8proc_int32_t cp;
		utf8proc_ssize_t len =
			utf8proc_iterate((const utf8proc_uint8_t *)out, (utf8proc_ssize_t)k, &cp);
		size_t total = (size_t)len;
		size_t rest = 0;
		for (size_t j = (size_t)len; j < k;) {
			utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)out + j,
							      (utf8proc_ssize_t)(k - j), &cp);
			j += (size_t)l;
			rest++;
		}
		memset(out + total, '*', rest);
		k = total + rest;
	}
	out[k] = '\0';
	result = out;
out:
	free(nfc);
	return result;
}
