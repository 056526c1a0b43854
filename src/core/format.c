/* format.c - Vietnamese presentation of dates, numbers and money. */
#include "core/format.h"

#include "core/buf.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

const char *format_datetime_vn(arena *a, const char *s)
{
	size_t n = strlen(s);
	if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return s;
	int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return s;
	if (n == 10)
		return arena_printf(a, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
	/* HH:MM, optionally :SS, then optionally fractions or a zone
	 * ("2026-11-28 10:25:24.978+07" as PostgreSQL prints timestamps). */
	if (n < 16 || (s[10] != ' ' && s[10] != 'T') || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2))
		return s;
	if (n > 16 &&
	    (s[16] != ':' || n < 19 || !digits(s + 17, 2) || (n > 19 && !strchr(".Z+-", s[19]))))
		return s;
	return arena_printf(a, "%.2s/%.2s/%.4s %.5s", s + 8, s + 5, s, s + 11);
}

const char *format_thousands(arena *a, int64_t n)
{
	char tmp[32], out[40];
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	int len = 0;
	do {
		tmp[len++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	size_t o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = len - 1; i >= 0; i--) {
		out[o++] = tmp[i];
		if (i && i % 3 == 0)
			out[o++] = '.';
	}
	return arena_strndup(a, out, o);
}

const char *format_money_vnd(arena *a, int64_t dong)
{
	return arena_printf(a, "%s đ", format_thousands(a, dong));
}

/* ---- amounts in words ---- */

static const char *const digit_words[10] = {"không", "một", "hai", "ba",  "bốn",
					    "năm",   "sáu", "bảy", "tám", "chín"};

static void word(buf *b, const char *w)
{
	if (b->len)
		buf_putc(b, ' ');
	buf_puts(b, w);
}

/* One group of three digits; full: a group after the first, read with its
 * zero hundreds ("không trăm"). */
static void group_words(buf *b, int n, bool full)
{
	int h = n / 100, t = n / 10 % 10, u = n % 10;
	if (full || h) {
		word(b, digit_words[h]);
		word(b, "trăm");
	}
	if (t == 0) {
		if (u && (full || h))
			word(b, "lẻ");
		if (u)
			word(b, digit_words[u]);
		return;
	}
	if (t == 1) {
		word(b, "mười");
	} else {
		word(b, digit_words[t]);
		word(b, "mươi");
	}
	if (u == 1 && t > 1)
		word(b, "mốt");
	else if (u == 4 && t > 1)
		word(b, "tư");
	else if (u == 5)
		word(b, "lăm");
	else if (u)
		word(b, digit_words[u]);
}

/* n > 0, below a billion after the first billion group; *started: a
 * group has been read before (the next ones are read in full). */
static void number_words(buf *b, int64_t n, bool *started)
{
	if (n >= 1000000000) {
		number_words(b, n / 1000000000, started);
		word(b, "tỷ");
		n %= 1000000000;
	}
	static const char *const units[3] = {"triệu", "nghìn", NULL};
	static const int64_t sizes[3] = {1000000, 1000, 1};
	for (int i = 0; i < 3; i++) {
		int g = (int)(n / sizes[i] % 1000);
		if (!g)
			continue;
		group_words(b, g, *started);
		*started = true;
		if (units[i])
			word(b, units[i]);
	}
}

const char *format_money_words(arena *a, int64_t dong)
{
	if (dong < 0)
		return NULL;
	if (dong == 0)
		return "Không đồng";
	buf b;
	buf_init(&b, 4096);
	bool started = false;
	number_words(&b, dong, &started);
	word(&b, "đồng");
	char *s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	s[0] = (char)toupper((unsigned char)s[0]); /* every digit word starts in ASCII */
	return s;
}
