/*
 * i18n.h - the one message catalogue: every user-facing text of motcua, in
 * Vietnamese (the default) and English.
 *
 * Catalogues are locale/vi.json and locale/en.json, compiled into the binary,
 * flat objects of "key": "text". Templates reach them as {{t.key}}; C code
 * through i18n_get. Placeholders are {1}, {2} ... filled by i18n_format.
 * Loading checks that both catalogues have the same keys, so a text cannot
 * silently exist in only one language.
 */
#ifndef MOTCUA_I18N_H
#define MOTCUA_I18N_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"

enum lang { LANG_VI = 0, LANG_EN = 1 };
#define LANG_COUNT 2

/* Loads both catalogues; returns 0, or -1 with the problem in err. */
int i18n_init(char *err, size_t errlen);
void i18n_release(void);

/* The text for key, or the key itself when missing (and a log line). */
const char *i18n_get(enum lang l, const char *key);

/* The text for key, or NULL when the catalogue has none (no log line). */
const char *i18n_lookup(enum lang l, const char *key);

/* The text with {1}..{n} replaced by the arguments, in a. */
const char *i18n_format(arena *a, enum lang l, const char *key, int nargs, const char *const *args);

/* The whole catalogue nested by the dots in its keys, for templates
 * ({{t.home.title}}); borrowed: do not decref. */
json_t *i18n_table(enum lang l);

/* "vi" or "en". */
const char *lang_code(enum lang l);

/* Parses "vi"/"en" (case-insensitive); returns -1 for anything else. */
int lang_parse(const char *s, enum lang *out);

/* Picks the language from an Accept-Language header: the first of vi or en
 * by quality; Vietnamese when neither is named or the header is NULL. */
enum lang lang_from_accept(const char *accept_language);

#endif
