/*
 * fee.c - reading a published fee text into đồng (see fee.h). The text is
 * folded (lower case, no diacritics, words split on punctuation) to
 * recognise "free" and the currency words; amounts are read from the raw
 * text, where the thousands separators still show.
 */
#include "domain/fee.h"

#include <stdbool.h>
#include <string.h>

#include "core/arena.h"
#include "domain/fold.h"

#define FEE_MAX 100000000000LL /* 100 billion đồng */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Reads an amount at s: digits, optionally grouped by threes with '.' or
 * ',' (one kind). *end gets where it stops; -1 for a decimal or a bad
 * group ("1,5", "1.50"). */
static int64_t read_amount(const char *s, const char **end)
{
	int64_t v = 0;
	const char *p = s;
	char sep = 0;
	while (is_digit(*p)) {
		if (v > FEE_MAX)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	size_t lead = (size_t)(p - s);
	while ((*p == '.' || *p == ',') && is_digit(p[1])) {
		if ((sep && *p != sep) || lead > 3 || !is_digit(p[2]) || !is_digit(p[3]) ||
		    is_digit(p[4])) {
			*end = p;
			return -1;
		}
		sep = *p;
		v = v * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		p += 4;
	}
	*end = p;
	return v > FEE_MAX ? -1 : v;
}

/* The folded words after an amount name đồng: "d", "dong", "vnd", "vnđ"
 * (folds to "vnd"), "viet nam dong". */
static bool dong_follows(arena *a, const char *s)
{
	const char *f = fold(a, s, strlen(s));
	return starts(f, "dong") || starts(f, "vnd") || starts(f, "viet nam dong") ||
	       (f[0] == 'd' && (f[1] == '\0' || f[1] == ' '));
}

int64_t fee_text_amount(const char *text)
{
	if (!text)
		return -1;
	arena *a = arena_new(1024);
	const char *f = fold(a, text, strlen(text));
	static const char *const free_words[] = {
		"mien phi",	 "khong", "khong thu phi", "khong thu", "mien le phi", "khong co",
		"khong mat phi", "0",	  "0 dong",	   "0 vnd",	NULL};
	int64_t result = -1;
	for (const char *const *w = free_words; *w; w++)
		if (strcmp(f, *w) == 0)
			result = 0;
	if (result == 0 || strchr(text, '%') || strstr(f, "usd") || strstr(f, "den ")) {
		arena_free(a);
		return result;
	}
	int64_t found = -1;
	bool ambiguous = false;
	for (const char *p = text; *p && !ambiguous;) {
		if (!is_digit(*p) || (p > text && is_digit(p[-1]))) {
			p++;
			continue;
		}
		const char *end;
		int64_t v = read_amount(p, &end);
		if (v < 0) {
			ambiguous = true; /* a decimal or a broken group: nobody can tell */
			break;
		}
		/* Numbers that are not followed by đồng ("02 bản") do not count. */
		if (dong_follows(a, end)) {
			if (found >= 0 && found != v)
				ambiguous = true;
			found = v;
		}
		p = end;
	}
	arena_free(a);
	if (ambiguous || found < 1000)
		return -1;
	return found;
}

int64_t fee_for_channel(const struct procedure_rec *p, int channel)
{
	for (size_t i = 0; i < p->nmethods; i++) {
		const struct procedure_method *m = &p->methods[i];
		if ((int)m->channel + 1 != channel)
			continue;
		if (m->fee_amount >= 0)
			return m->fee_amount;
		/* The import left it open: a note beside the fee contradicts or
		 * qualifies it ("Miễn phí" with an amount in the note). */
		if (m->fee_note && *m->fee_note)
			return -1;
		return fee_text_amount(m->fee);
	}
	return -1;
}
