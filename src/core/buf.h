/*
 * buf.h - growable byte buffer with a hard cap.
 *
 * Every buffer is created with the most it may ever hold; an append that would
 * pass the cap fails and leaves the buffer as it was, with b->overflow set, so
 * a caller can append many pieces and check once at the end. The contents are
 * always NUL-terminated (the terminator is not counted in len), so b->data
 * can be passed to C string functions when the content has no NUL inside.
 *
 * Memory is on the heap: release it with buf_release(), or hand it to a
 * library that frees it with buf_detach().
 */
#ifndef MOTCUA_BUF_H
#define MOTCUA_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
	char *data;    /* NULL until the first append */
	size_t len;    /* bytes held, excluding the terminator */
	size_t alloc;  /* bytes allocated */
	size_t max;    /* cap on len */
	bool overflow; /* an append was refused */
} buf;

#define BUF_INIT(maxlen) ((buf){NULL, 0, 0, (maxlen), false})

/* Prepares an empty buffer that may hold at most max bytes. */
void buf_init(buf *b, size_t max);

/* Frees the memory; the buffer is empty and usable again. */
void buf_release(buf *b);

/* Empties the buffer, keeping its memory. */
void buf_reset(buf *b);

/* Returns the heap block (caller frees; never NULL) and empties the buffer. */
char *buf_detach(buf *b, size_t *len);

/* Append; each returns 0, or -1 when the cap would be passed. */
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The contents as a C string ("" for an empty buffer). */
const char *buf_str(const buf *b);

#endif
