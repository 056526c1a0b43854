/*
 * form.h - application/x-www-form-urlencoded parsing (HTML form bodies and
 * query strings), into an arena.
 *
 * Strict: a '%' not followed by two hex digits is an error rather than a
 * guess, so the user is told the form arrived damaged instead of seeing a
 * silently altered value. '+' decodes to a space. Names and values may be
 * empty. Validation of the decoded text (UTF-8, lengths) is the getters' job.
 */
#ifndef MOTCUA_FORM_H
#define MOTCUA_FORM_H

#include <stddef.h>

#include "core/arena.h"

struct form_field {
	const char *name;
	const char *value;
	size_t value_len; /* a value may contain "%00" and so a NUL */
	struct form_field *next;
};

#define FORM_MAX_FIELDS 1000

/*
 * Parses s[0..len) into a list in document order. Returns the number of
 * fields, or -1 when the encoding is broken or there are more than
 * FORM_MAX_FIELDS fields.
 */
int form_parse(arena *a, const char *s, size_t len, struct form_field **out);

/* The first field called name, or NULL. */
const struct form_field *form_find(const struct form_field *list, const char *name);

/* Decodes percent-escapes and '+' in s[0..len) into a new string in a;
 * returns NULL on a broken escape. *outlen gets the decoded length. */
char *form_decode(arena *a, const char *s, size_t len, size_t *outlen);

#endif
