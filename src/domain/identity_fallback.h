/*
 * identity_fallback.h - the identity checks the accounts module calls
 * (CCCD, tax code, phone, email, password, dates), declared here only until
 * src/domain/identity.h (written in parallel) is merged: once that header
 * exists this file includes it and identity_fallback.c compiles to nothing.
 * The lead can then replace includes of this file by "domain/identity.h".
 */
#ifndef MOTCUA_IDENTITY_FALLBACK_H
#define MOTCUA_IDENTITY_FALLBACK_H

#if __has_include("domain/identity.h")
#include "domain/identity.h"
#else
#include <stdbool.h>

/* Each returns true when s is acceptable; otherwise *why (may be NULL) is
 * an i18n key saying what is wrong. */
bool id_cccd_valid(const char *s, const char *birth_date, const char **why);
bool id_tax_code_valid(const char *s, const char **why);
bool id_phone_valid(const char *s, char normalized[16], const char **why);
bool id_email_valid(const char *s, const char **why);
bool id_password_ok(const char *pw, const char *login, const char *name, const char **why);
/* "dd/mm/yyyy" or "yyyy-mm-dd" -> "yyyy-mm-dd" when it is a real date. */
bool id_date_parse(const char *s, char out[11]);
#endif

#endif
