/*
 * copytext.h - PostgreSQL COPY text format, field by field (private to
 * src/db/): how the SQLite backend writes and reads the format that
 * PostgreSQL speaks natively.
 */
#ifndef MOTCUA_COPYTEXT_H
#define MOTCUA_COPYTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

/* Appends one field (NULL for SQL NULL) escaped for COPY text. */
int copytext_put(buf *b, const char *s, size_t n);

/*
 * Splits one line into at most max fields, decoding escapes into a.
 * fields[i] is NULL for \N. Returns the number of fields, or -1 for a bad
 * escape or more than max fields.
 */
int copytext_split(arena *a, const char *line, size_t len, char **fields, size_t *lens, int max);

#endif
