/*
 * text.h - checking and normalising text that enters the system.
 *
 * Vietnamese can be typed as precomposed letters (NFC, "ế" as one code point)
 * or as a base letter plus combining marks (NFD, what some phones and macOS
 * send). Everything stored or compared is NFC, so the same name is always
 * the same bytes.
 */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

enum text_problem { TEXT_OK, TEXT_BAD_UTF8, TEXT_TOO_SHORT, TEXT_TOO_LONG };

/*
 * Validates s[0..len) as UTF-8 text without control characters (tab and
 * newlines allowed), normalises it to NFC, trims surrounding white space and
 * checks that the result is between minlen and maxlen code points.
 * On TEXT_OK *out is the clean copy in a.
 */
enum text_problem text_clean(arena *a, const char *s, size_t len, size_t minlen, size_t maxlen,
			     const char **out);

/* Number of code points in valid UTF-8. */
size_t text_length(const char *s);

#endif
