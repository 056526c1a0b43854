/* text.c - UTF-8 validation (core/parse.h), NFC through utf8proc, trimming. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/parse.h"

size_t text_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum text_problem text_clean(arena *a, const char *s, size_t len, size_t minlen, size_t maxlen,
			     const char **out)
{
	if (!utf8_valid_text(s, len))
		return TEXT_BAD_UTF8;
	while (len && is_space(*s)) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	/* Cheap bound before normalising, after trimming so padding does not
	 * count. NFC folds at most 16 bytes into one code point (a full
	 * canonical decomposition has at most four code points, of at most
	 * four bytes each), so more than 16 bytes per allowed code point is too
	 * long whatever the normalisation does. */
	if (len / 16 > maxlen)
		return TEXT_TOO_LONG;
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return TEXT_BAD_UTF8;
	char *copy = arena_strndup(a, (const char *)nfc, (size_t)n);
	free(nfc);
	size_t cps = text_length(copy);
	if (cps < minlen)
		return TEXT_TOO_SHORT;
	if (cps > maxlen)
		return TEXT_TOO_LONG;
	*out = copy;
	return TEXT_OK;
}
