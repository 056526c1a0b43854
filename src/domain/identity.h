/*
 * identity.h - checks on the personal identifiers a citizen or business types
 * into a form: citizen ID numbers, tax codes, mobile numbers, e-mail
 * addresses, passwords and birth dates, and the masked name shown on public
 * lookups.
 *
 * Pure functions: no database, no HTTP, no global state except the
 * common-password list, loaded once from the embedded data/common-passwords.txt.
 * Every function is safe to call from any thread and on any bytes (NULL is
 * treated as empty input). When a check fails and why is not NULL, *why is
 * set to an i18n key ("identity.*", locale/vi.json) that tells the citizen
 * what is wrong in plain words; on success *why is left alone.
 * The rules and their legal sources are in docs/identity.md.
 */
#ifndef MOTCUA_IDENTITY_H
#define MOTCUA_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/*
 * Citizen ID (căn cước công dân, CCCD; Circular 07/2016/TT-BCA art. 7 and
 * appendix): exactly 12 ASCII digits; digits 1-3 one of the 63 province codes,
 * digit 4 gender and century, digits 5-6 the last two digits of the birth
 * year. The birth year must not be in the future. When birth_date is a valid
 * date ("YYYY-MM-DD" or "dd/mm/yyyy") its year must agree with the number; a
 * birth_date that is NULL, empty or not a date is not compared (its own field
 * reports it).
 */
bool id_cccd_valid(const char *s, const char *birth_date, const char **why);

/* 0 male, 1 female, -1 when s is not a valid CCCD. */
int id_cccd_gender(const char *s);

/* The province name (NFC Vietnamese) of a three-digit CCCD province code such
 * as "037", or NULL when the code is not on the list. */
const char *id_cccd_province(const char *code3);

/*
 * Tax code (mã số thuế): 10 digits with a check digit, or the 10 digits plus a
 * 3-digit branch number 001-999, written with a dash or without
 * ("0100109106-001", "0100109106001"); or, for a person, the 12-digit CCCD
 * number, which is the personal tax code from 2025-07-01 (Circular
 * 86/2024/TT-BTC art. 5).
 */
bool id_tax_code_valid(const char *s, const char **why);

/*
 * Vietnamese mobile number, written "0912345678", "+84912345678" or
 * "84912345678", with single spaces, dots or dashes between digit groups.
 * On success normalized holds "0912345678" (10 digits and a NUL). The
 * three-digit prefix must be an allocated mobile prefix; landlines (02x) are
 * refused with their own message.
 */
bool id_phone_valid(const char *s, char normalized[16], const char **why);

/* Pragmatic e-mail check: at most 254 bytes, exactly one '@', a non-empty
 * local part, a domain of non-empty dot-separated labels with at least one
 * dot, no spaces or control characters. */
bool id_email_valid(const char *s, const char **why);

/*
 * Password rules: valid UTF-8 without control characters, at least 10 code
 * points, at most 128 bytes, not one character repeated, not containing the
 * login (when it has 3 or more characters) or the person's name written
 * without spaces and marks (when 4 or more letters), and not on the
 * common-password list (compared case-insensitively). login and name may be
 * NULL.
 */
bool id_password_ok(const char *pw, const char *login, const char *name, const char **why);

/* Number of distinct entries on the common-password list (for tests and
 * the startup log). */
size_t id_common_password_count(void);

/*
 * The name as shown on public lookups: "Nguyễn Văn An" -> "Nguyễn V** A*".
 * The first word stays whole; each later word keeps its first letter (one
 * NFC code point) and shows '*' for each remaining code point. A single word
 * is masked the same way ("An" -> "A*"). Input is normalised to NFC, runs of white
 * space collapse. Returns NULL for invalid UTF-8 or a name with no words.
 */
char *id_mask_name(arena *a, const char *full_name);

/* Birth date "YYYY-MM-DD": a real calendar date, from 1900-01-01 up to today
 * (Vietnam time, UTC+7). */
bool id_birth_date_valid(const char *s, const char **why);

/* Parses "dd/mm/yyyy" (day and month may have one digit) or "YYYY-MM-DD",
 * checks that it is a real calendar date (years 1000-9999) and writes the
 * ISO form "YYYY-MM-DD" to out. Leaves out untouched on failure. */
bool id_date_parse(const char *s, char out[11]);

#endif
