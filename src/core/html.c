/* html.c - HTML, URL and JSON string escaping into bounded buffers. */
#include "core/html.h"

#include <stdio.h>

int html_escape(buf *out, const char *s, size_t n)
{
	size_t run = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		rc |= buf_append(out, s + run, i - run);
		rc |= buf_puts(out, rep);
		run = i + 1;
	}
	rc |= buf_append(out, s + run, n - run);
	return rc ? -1 : 0;
}

int url_escape(buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			rc |= buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			rc |= buf_append(out, e, 3);
		}
	}
	return rc ? -1 : 0;
}

int json_escape(buf *out, const char *s, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': rc |= buf_puts(out, "\\\""); break;
		case '\\': rc |= buf_puts(out, "\\\\"); break;
		case '\n': rc |= buf_puts(out, "\\n"); break;
		case '\r': rc |= buf_puts(out, "\\r"); break;
		case '\t': rc |= buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20)
				rc |= buf_printf(out, "\\u%04x", c);
			else
				rc |= buf_putc(out, (char)c);
		}
	}
	return rc ? -1 : 0;
}
