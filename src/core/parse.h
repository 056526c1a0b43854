/*
 * parse.h - strict conversions of text to numbers, the only ones the project
 * uses (atoi and friends are banned: they accept "12abc" and overflow
 * silently). Each returns 0 on success, -1 when the whole string is not a
 * number within [min, max]; *out is untouched on failure.
 */
#ifndef MOTCUA_PARSE_H
#define MOTCUA_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Sizes with an optional K, M or G suffix (powers of 1024): "20M". */
int parse_size(const char *s, size_t max, size_t *out);

/* "true/false/yes/no/on/off/1/0". */
int parse_bool(const char *s, bool *out);

/* "HOST:PORT" or "[V6]:PORT"; host is copied into host (hostlen bytes). */
int parse_listen(const char *s, char *host, size_t hostlen, unsigned short *port);

/* Valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) and no
 * control characters other than tab, LF and CR. */
bool utf8_valid_text(const char *s, size_t n);

#endif
