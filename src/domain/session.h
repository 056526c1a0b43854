/*
 * session.h - server-side sessions (phiên đăng nhập) and API tokens.
 *
 * A token is 32 random bytes written as 64 hex digits; the database keeps
 * only its SHA-256 (session.token_hash), so a leaked backup gives out no
 * live session. Browsers carry the token in the HttpOnly, SameSite=Lax
 * cookie SESSION_COOKIE; API clients send "Authorization: Bearer <token>".
 * A browser session ends after SESSION_IDLE seconds without a request or
 * SESSION_MAX seconds after sign-in, whichever comes first; an API token
 * lives until its expiry or until it is revoked. last_seen is written at
 * most every SESSION_TOUCH seconds, so reading pages costs no writes.
 *
 * Every node checks sessions in the shared database: any node can answer.
 */
#ifndef MOTCUA_SESSION_H
#define MOTCUA_SESSION_H

#include <stdbool.h>

#include "core/status.h"
#include "db/db.h"
#include "http/request.h"

#define SESSION_COOKIE	  "mc_session"
#define SESSION_IDLE	  (30 * 60)
#define SESSION_MAX	  (12 * 60 * 60)
#define SESSION_TOUCH	  (5 * 60)
#define SESSION_API_TTL	  (90L * 24 * 60 * 60)
#define SESSION_TOKEN_LEN 64 /* hex digits */

/* hex(SHA-256(token)). */
void session_hash(const char *token, char out[SESSION_TOKEN_LEN + 1]);

/* A fresh random token (also used for CSRF tokens and reset links). */
void session_new_token(char out[SESSION_TOKEN_LEN + 1]);

/*
 * Inside a write: stores a new session of kind "web" or "api" for
 * account_id, lasting ttl seconds (SESSION_MAX for web), and fills token
 * (given to the client once, never stored) and csrf (web only; "" for api).
 */
mc_status session_insert(db_conn *c, const char *account_id, const char *kind, const char *label,
			 const char *address, long ttl, char token[SESSION_TOKEN_LEN + 1],
			 char csrf[SESSION_TOKEN_LEN + 1]);

/* The same as its own durable write. */
mc_status session_create(db *d, const char *account_id, const char *kind, const char *label,
			 const char *address, long ttl, char token[SESSION_TOKEN_LEN + 1],
			 char csrf[SESSION_TOKEN_LEN + 1]);

/* Ends the session or API token with this token (sign-out, revocation). */
mc_status session_delete(db *d, const char *token);

/* Ends every session and token of an account (sign out everywhere);
 * keep_hash (may be NULL) names one session to keep. */
mc_status session_delete_all(db *d, const char *account_id, const char *keep_hash);

/*
 * The resolver installed with http_set_auth_resolver: finds the session of
 * the request's cookie or bearer token and sets r->user. An unknown or
 * expired browser session clears its cookie and leaves r->user NULL; an
 * unknown or expired bearer token is answered 401 at once.
 */
void session_resolve(http_req *r);

/* The token the request presented (cookie or bearer), or NULL. */
const char *session_token(http_req *r);

#endif
