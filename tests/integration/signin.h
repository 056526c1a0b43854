/*
 * signin.h - signs test users in without the accounts pages: inserts an
 * account row and a session row straight into a server's database (only
 * the SHA-256 of the token is stored, as src/domain/session.c expects) and
 * gives back the headers a browser or an API client would send.
 */
#ifndef MOTCUA_IT_SIGNIN_H
#define MOTCUA_IT_SIGNIN_H

#include <stdbool.h>

struct it_user {
	char account_id[40];
	char token[65];	   /* the session or API token */
	char csrf[65];	   /* the web session's CSRF token ("" for API tokens) */
	char headers[320]; /* "Cookie: ..." or "Authorization: Bearer ..." lines */
};

/*
 * Creates an account on the database at target: kind "citizen", "business"
 * or "officer", role bits as in src/http/router.h, agency_code for officers
 * (or NULL). Citizens get a CCCD, a birth date, a phone and an address;
 * businesses a tax code. The id is written to account_id (40 bytes).
 * Returns 0, or -1 after printing why.
 */
int it_account_create(const char *target, const char *login, const char *kind, unsigned roles,
		      const char *agency_code, char account_id[40]);

/* A new session of kind "web" (cookie + CSRF) or "api" (bearer token) for
 * account_id, filling *u. Each call is another "device". 0 or -1. */
int it_signin(const char *target, const char *account_id, const char *kind, struct it_user *u);

/* it_account_create, then it_signin with a session of kind session ("web"
 * or "api"): a signed-in user in one call. 0 or -1. */
int it_user_new(const char *target, const char *login, const char *kind, unsigned roles,
		const char *agency_code, const char *session, struct it_user *u);

/* it_db_exec, retried for a few seconds while a running server holds the
 * SQLite write lock (the harness connection has no busy timeout). */
int it_db_exec_retry(const char *target, const char *sql);

#endif
