/*
 * fuzz_form.c - libFuzzer target for what parses client text: urlencoded
 * forms and query strings (http/form.c), the strict number, size and address
 * parsers (core/parse.c), UTF-8 checking and NFC cleaning (core/text.c) and
 * the Accept-Language picker (lang_from_accept in core/i18n.c).
 *
 * The input is a form body. It is parsed whole and decoded whole; each field
 * value then goes through utf8_valid_text, text_clean (with the limits the
 * feedback form uses, chosen by field position), parse_int64, parse_size,
 * parse_listen, parse_bool and lang_from_accept, and so does the raw input
 * up to its first NUL, as a header or configuration value would. Every
 * result is checked against a small independent reference, so a wrong
 * answer is a finding as much as a crash is. It must never keep state
 * between inputs.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "core/arena.h"
#include "core/assets.h"
#include "core/i18n.h"
#include "core/parse.h"
#include "core/text.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* i18n.c reaches the compiled-in catalogues through asset_find; the
 * Accept-Language picker needs none, so the table is empty. */
const struct asset motcua_assets[] = {{NULL, NULL, 0}};

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* ---- urlencoding ---- */

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Reference for form_decode: NULL exactly when some '%' lacks two hex
 * digits; otherwise each escape shrinks the text by two bytes. */
static bool ref_decode_ok(const char *s, size_t len, size_t *outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++, o++) {
		if (s[i] != '%')
			continue;
		if (len - i < 3)
			return false;
		if (!is_hex(s[i + 1]) || !is_hex(s[i + 2]))
			return false;
		i += 2;
	}
	*outlen = o;
	return true;
}

static void check_decode(arena *a, const char *s, size_t len)
{
	size_t outlen = (size_t)-1, want;
	char *out = form_decode(a, s, len, &outlen);
	bool ok = ref_decode_ok(s, len, &want);
	CHECK((out != NULL) == ok);
	if (!out)
		return;
	CHECK(outlen == want && outlen <= len && out[outlen] == '\0');
	/* Text without '%' and '+' decodes to itself. */
	if (!memchr(s, '%', len) && !memchr(s, '+', len))
		CHECK(memcmp(out, s, len) == 0);
}

/* ---- numbers, sizes, addresses ---- */

/* Reference for parse_int64: [+-]?[0-9]+, within [min, max]. */
static bool ref_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return false;
	/* accumulate negatively so INT64_MIN fits */
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		int d = *s - '0';
		if (v < (INT64_MIN + d) / 10)
			return false;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == INT64_MIN)
			return false;
		v = -v;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static void check_int64(const char *s)
{
	static const int64_t ranges[][2] = {
		{INT64_MIN, INT64_MAX}, {0, 65535}, {1, 1000}, {-1, 1}, {0, INT64_MAX}};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		int64_t got = 0x5a5a, want = 0;
		int rc = parse_int64(s, ranges[i][0], ranges[i][1], &got);
		bool ok = ref_int64(s, ranges[i][0], ranges[i][1], &want);
		CHECK((rc == 0) == ok);
		CHECK(ok ? got == want : got == 0x5a5a);
	}
}

/* Reference for parse_size: [0-9]+ with an optional K, M or G, that one
 * optionally followed by B; at most max. */
static bool ref_size(const char *s, size_t max, size_t *out)
{
	if (!(*s >= '0' && *s <= '9'))
		return false;
	unsigned long long v = 0;
	bool big = false;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			big = true;
		else
			v = v * 10 + d;
	}
	unsigned long long mul = 1;
	if (*s) {
		switch (*s) {
		case 'k':
		case 'K': mul = 1ull << 10; break;
		case 'm':
		case 'M': mul = 1ull << 20; break;
		case 'g':
		case 'G': mul = 1ull << 30; break;
		default: return false;
		}
		s++;
		if (*s == 'b' || *s == 'B')
			s++;
		if (*s)
			return false;
	}
	if (big || v > max / mul)
		return false;
	*out = (size_t)(v * mul);
	return true;
}

static void check_size(const char *s)
{
	static const size_t maxes[] = {SIZE_MAX, 64u << 20, 1000};
	for (size_t i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		size_t got = 7, want = 0;
		int rc = parse_size(s, maxes[i], &got);
		bool ok = ref_size(s, maxes[i], &want);
		CHECK((rc == 0) == ok);
		CHECK(ok ? got == want && got <= maxes[i] : got == 7);
	}
}

static void check_listen(const char *s)
{
	/* Exact-size buffers so a write past hostlen trips ASan. */
	static const size_t lens[] = {1, 16, 64};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char *host = malloc(lens[i]);
		CHECK(host);
		unsigned short port = 1;
		if (parse_listen(s, host, lens[i], &port) == 0) {
			size_t hl = strnlen(host, lens[i]);
			CHECK(hl > 0 && hl < lens[i]);
			/* the host is copied from the text, ahead of ":port" */
			const char *at = strstr(s, host);
			CHECK(at && (at == s || (at == s + 1 && s[0] == '[')));
			const char *colon = strrchr(s, ':');
			int64_t p;
			CHECK(colon && parse_int64(colon + 1, 0, 65535, &p) == 0 && p == port);
		}
		free(host);
	}
}

static void check_bool(const char *s)
{
	static const char *const words[] = {"1", "true", "yes", "on", "0", "false", "no", "off"};
	bool got = false, known = false, want = false;
	for (size_t i = 0; i < 8 && !known; i++)
		if (strcasecmp(s, words[i]) == 0) {
			known = true;
			want = i < 4;
		}
	int rc = parse_bool(s, &got);
	CHECK((rc == 0) == known);
	CHECK(!known || got == want);
}

/* Reference-free checks for the Accept-Language picker: a known language,
 * the same answer twice, and Vietnamese unless the header names English. */
static void check_lang(const char *s)
{
	enum lang l = lang_from_accept(s);
	CHECK(l == LANG_VI || l == LANG_EN);
	CHECK(lang_from_accept(s) == l);
	if (l == LANG_EN) {
		bool named = false;
		for (const char *p = s; p[0] && p[1] && !named; p++)
			named = tolower((unsigned char)p[0]) == 'e' &&
				tolower((unsigned char)p[1]) == 'n';
		CHECK(named);
	}
}

/* ---- text ---- */

static size_t count_cps(const char *s, size_t n)
{
	size_t cps = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cps++;
	return cps;
}

static bool ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* NFC of s[0..len) trimmed of ASCII white space, with utf8proc; its length
 * in code points, or -1 when utf8proc refuses it. */
static long ref_clean_cps(const char *s, size_t len)
{
	while (len && ascii_space(*s)) {
		s++;
		len--;
	}
	while (len && ascii_space(s[len - 1]))
		len--;
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return -1;
	long cps = (long)count_cps((const char *)nfc, (size_t)n);
	free(nfc);
	return cps;
}

static bool is_nfc(const char *s)
{
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
	bool same = nfc && strcmp((const char *)nfc, s) == 0;
	free(nfc);
	return same;
}

/* The limits of the feedback form (domain/feedback.h) and the raw copy. */
static const size_t limits[][2] = {{2, 100}, {1, 120}, {5, 200}, {10, 5000}, {0, 10000}, {0, 3}};
#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

static void check_text(arena *a, const char *s, size_t len, size_t which)
{
	bool valid = utf8_valid_text(s, len);
	size_t minlen = limits[which % NLIMITS][0], maxlen = limits[which % NLIMITS][1];
	const char *out = NULL;
	enum text_problem p = text_clean(a, s, len, minlen, maxlen, &out);
	if (!valid) {
		CHECK(p == TEXT_BAD_UTF8);
		return;
	}
	long cps = ref_clean_cps(s, len);
	switch (p) {
	case TEXT_OK: {
		CHECK(out);
		size_t ol = strlen(out);
		CHECK(utf8_valid_text(out, ol));
		CHECK(cps >= 0 && count_cps(out, ol) == (size_t)cps);
		CHECK((size_t)cps >= minlen && (size_t)cps <= maxlen);
		CHECK(ol == 0 || (!ascii_space(out[0]) && !ascii_space(out[ol - 1])));
		CHECK(is_nfc(out));
		break;
	}
	case TEXT_BAD_UTF8: CHECK(cps < 0); break;
	case TEXT_TOO_SHORT: CHECK(cps >= 0 && (size_t)cps < minlen); break;
	/* too long only when the clean text is: padding and NFD must not count */
	case TEXT_TOO_LONG: CHECK(cps < 0 || (size_t)cps > maxlen); break;
	default: abort();
	}
}

/* All the single-value parsers over one NUL-terminated string. */
static void check_value(arena *a, const char *s, size_t len, size_t which)
{
	check_text(a, s, len, which);
	check_int64(s);
	check_size(s);
	check_listen(s);
	check_bool(s);
	check_lang(s);
}

/* ---- the form ---- */

/* Pairs of s[0..len) between '&'s that are not empty. */
static size_t count_pairs(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != '&')
			i++;
		if (i > start)
			n++;
		i++;
	}
	return n;
}

/* Does every pair decode (name and value)? */
static bool pairs_decode(const char *s, size_t len)
{
	size_t i = 0, dummy;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != '&')
			i++;
		const char *eq = memchr(s + start, '=', i - start);
		size_t nlen = eq ? (size_t)(eq - (s + start)) : i - start;
		if (!ref_decode_ok(s + start, nlen, &dummy))
			return false;
		if (eq && !ref_decode_ok(eq + 1, i - start - nlen - 1, &dummy))
			return false;
		i++;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reading past the end trips ASan. */
	char *s = malloc(size + 1);
	CHECK(s);
	memcpy(s, data, size);
	s[size] = '\0';
	arena *a = arena_new(0);

	struct form_field *list = (struct form_field *)1;
	int n = form_parse(a, s, size, &list);
	size_t want = count_pairs(s, size);
	if (n < 0) {
		CHECK(list == NULL);
		CHECK(want > FORM_MAX_FIELDS || !pairs_decode(s, size));
	} else {
		CHECK((size_t)n == want && n <= FORM_MAX_FIELDS);
		size_t count = 0;
		for (const struct form_field *f = list; f; f = f->next, count++) {
			CHECK(f->name && f->value);
			CHECK(strlen(f->name) <= size && f->value_len <= size);
			CHECK(f->value[f->value_len] == '\0');
			/* values may hold a NUL; the parsers see what precedes it */
			check_value(a, f->value, strlen(f->value), count);
			if (strlen(f->value) < f->value_len)
				check_text(a, f->value, f->value_len, count);
		}
		CHECK(count == (size_t)n);
		/* form_find gives the first field of that name, or NULL */
		const struct form_field *first = NULL;
		for (const struct form_field *f = list; f && !first; f = f->next)
			if (strcmp(f->name, "name") == 0)
				first = f;
		CHECK(form_find(list, "name") == first);
		CHECK(!list || form_find(list, list->name) == list);
	}

	check_decode(a, s, size);
	check_value(a, s, strlen(s), NLIMITS - 1);

	arena_free(a);
	free(s);
	return 0;
}
