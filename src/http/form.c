/* form.c - urlencoded decoding; linear in the input, bounded in fields. */
#include "http/form.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *form_decode(arena *a, const char *s, size_t len, size_t *outlen)
{
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (len - i < 3)
				return NULL;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

int form_parse(arena *a, const char *s, size_t len, struct form_field **out)
{
	struct form_field *head = NULL, **tail = &head;
	int n = 0;
	size_t i = 0;
	*out = NULL;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != '&')
			i++;
		size_t end = i++;
		if (end == start)
			continue; /* "a=1&&b=2": empty pair */
		if (n == FORM_MAX_FIELDS)
			return -1;
		const char *eq = memchr(s + start, '=', end - start);
		size_t nlen = eq ? (size_t)(eq - (s + start)) : end - start;
		struct form_field *f = arena_zalloc(a, sizeof(*f));
		f->name = form_decode(a, s + start, nlen, NULL);
		f->value = eq ? form_decode(a, eq + 1, end - start - nlen - 1, &f->value_len)
			      : arena_strdup(a, "");
		if (!f->name || !f->value)
			return -1;
		*tail = f;
		tail = &f->next;
		n++;
	}
	*out = head;
	return n;
}

const struct form_field *form_find(const struct form_field *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}
