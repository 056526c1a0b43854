/*
 * buf.c - bounded growable buffer. Growth doubles, never past max + 1 bytes
 * of allocation (the +1 is the terminator).
 */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("motcua: out of memory\n", stderr);
	abort();
}

void buf_init(buf *b, size_t max)
{
	*b = BUF_INIT(max);
}

void buf_release(buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->overflow = false;
}

void buf_reset(buf *b)
{
	b->len = 0;
	b->overflow = false;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	if (!p) {
		p = malloc(1);
		if (!p)
			oom();
		p[0] = '\0';
	}
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}

static int ensure(buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra) {
		b->overflow = true;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	size_t n = b->alloc ? b->alloc : 256;
	while (n < need)
		n = n > (b->max + 1) / 2 ? b->max + 1 : n * 2;
	char *p = realloc(b->data, n);
	if (!p)
		oom();
	b->data = p;
	b->alloc = n;
	return 0;
}

int buf_append(buf *b, const void *p, size_t n)
{
	if (ensure(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	if (ensure(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *buf_str(const buf *b)
{
	return b->data ? b->data : "";
}
