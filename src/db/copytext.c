/* copytext.c - escaping and splitting of COPY text lines. */
#include "db/copytext.h"

int copytext_put(buf *b, const char *s, size_t n)
{
	if (!s)
		return buf_puts(b, "\\N");
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\': rc |= buf_puts(b, "\\\\"); break;
		case '\t': rc |= buf_puts(b, "\\t"); break;
		case '\n': rc |= buf_puts(b, "\\n"); break;
		case '\r': rc |= buf_puts(b, "\\r"); break;
		default: rc |= buf_putc(b, s[i]);
		}
	}
	return rc ? -1 : 0;
}

int copytext_split(arena *a, const char *line, size_t len, char **fields, size_t *lens, int max)
{
	int n = 0;
	size_t i = 0;
	for (;;) {
		if (n == max)
			return -1;
		size_t start = i;
		while (i < len && line[i] != '\t')
			i++;
		size_t flen = i - start;
		if (flen == 2 && line[start] == '\\' && line[start + 1] == 'N') {
			fields[n] = NULL;
			lens[n] = 0;
		} else {
			char *out = arena_alloc(a, flen + 1);
			size_t o = 0;
			for (size_t k = start; k < start + flen; k++) {
				if (line[k] != '\\') {
					out[o++] = line[k];
					continue;
				}
				if (++k == start + flen)
					return -1;
				switch (line[k]) {
				case '\\': out[o++] = '\\'; break;
				case 't': out[o++] = '\t'; break;
				case 'n': out[o++] = '\n'; break;
				case 'r': out[o++] = '\r'; break;
				default: return -1;
				}
			}
			out[o] = '\0';
			fields[n] = out;
			lens[n] = o;
		}
		n++;
		if (i >= len)
			return n;
		i++; /* the tab */
	}
}
