/*
 * fold.h - turning Vietnamese text into comparable search keys.
 *
 * Citizens type procedure names with or without diacritics, in any case, as
 * NFC or NFD, and sometimes with the raw Telex or VNI keystrokes their phone
 * did not convert ("ddawng kys", "dang5 ky1"). Search compares *folded*
 * tokens (no marks, đ as d, lower case, ASCII where Vietnamese is concerned)
 * and uses the *exact* form (lower-cased NFC, marks kept) only to reward a
 * query whose diacritics match a document's.
 *
 * Everything here is pure and thread-safe: output goes to the caller's arena,
 * there is no global state. Input may be any bytes: invalid UTF-8 sequences
 * are skipped, never read past, never passed to utf8proc; only the first
 * 64 MiB of an input are read. These functions
 * must never guess a language or drop letters of other scripts: a letter
 * that has no Vietnamese reading is kept (lower-cased, marks removed).
 */
#ifndef MOTCUA_FOLD_H
#define MOTCUA_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/*
 * One word of a text. Both forms cover the same code points, so the i-th
 * folded token and the i-th exact token always describe the same word.
 *   folded: marks removed, đ/Đ -> d, case-folded; letters and digits only.
 *   exact:  lower-cased (case-folded) NFC with its marks.
 * Both are NUL-terminated; the lengths are in bytes. folded is never empty.
 */
struct fold_token {
	const char *folded;
	const char *exact;
	size_t folded_len;
	size_t exact_len;
};

/*
 * Splits s[0..len) into words: maximal runs of letters, digits and combining
 * marks (Unicode categories L, N, M); everything else separates. Returns the
 * number of tokens stored in *out (an array allocated in a), at most max. A
 * run made only of marks folds to nothing and is dropped.
 */
size_t fold_tokens(arena *a, const char *s, size_t len, size_t max, struct fold_token **out);

/*
 * The folded tokens of s[0..len) joined by single spaces, without leading or
 * trailing space: "Đăng ký  KHAI-SINH!" -> "dang ky khai sinh". Never NULL.
 */
char *fold(arena *a, const char *s, size_t len);

/* The exact tokens joined the same way: "Đăng ký KHAI-SINH" -> "đăng ký khai sinh". */
char *fold_exact(arena *a, const char *s, size_t len);

/*
 * Lower-cased NFC of s[0..len) with invalid UTF-8 skipped; nothing else
 * changes (punctuation and spaces stay). *out_len may be NULL.
 */
char *fold_nfc_lower(arena *a, const char *s, size_t len, size_t *out_len);

/*
 * Reads one token as a Vietnamese syllable typed in Telex: aa aw ee oo ow uw
 * w dd, tone keys s f r x j after the vowels, z to clear the tone
 * ("ddawng" -> "đăng", "vieejt" -> "việt", "dduwowngf" -> "đường").
 * tok must be lower-case ASCII letters. Returns the syllable in NFC with the
 * tone placed by modern orthography (allocated in a), or NULL when the token
 * uses no Telex key or the result is not a well-formed syllable ("for",
 * "khai", "sinh" give NULL). Callers keep the raw token as an alternative:
 * "as" decodes to "á" but may have meant "as".
 */
const char *fold_telex(arena *a, const char *tok, size_t len);

/*
 * The same for VNI: digits 1-5 tones (sắc huyền hỏi ngã nặng), 6 circumflex,
 * 7 horn, 8 breve, 9 đ, 0 clears the tone ("dang5" -> "dạng", "ky1" -> "ký",
 * "vie65t" -> "việt"). tok must be lower-case ASCII letters and digits,
 * starting with a letter; NULL when no digit key was used or the syllable is
 * not well-formed.
 */
const char *fold_vni(arena *a, const char *tok, size_t len);

#endif
