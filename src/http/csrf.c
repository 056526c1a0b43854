/* csrf.c - token generation with libsodium, constant-time comparison.
 * Signed in with a browser session, the token is the session's own (so a
 * new sign-in gets a new one); signed out, it is the double-submit cookie.
 * Requests carrying a bearer token cannot be forged by a browser: none. */
#include "http/csrf.h"

#include <sodium.h>
#include <string.h>

#define TOKEN_HEX 64 /* 32 random bytes */

static bool well_formed(const char *t)
{
	if (!t || strlen(t) != TOKEN_HEX)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

const char *csrf_token(http_req *r)
{
	if (r->user && !r->user->api && well_formed(r->user->csrf))
		return r->user->csrf;
	const char *have = http_cookie(r, "csrf");
	if (well_formed(have))
		return have;
	unsigned char raw[TOKEN_HEX / 2];
	randombytes_buf(raw, sizeof(raw));
	char *hex = arena_alloc(r->a, TOKEN_HEX + 1);
	sodium_bin2hex(hex, TOKEN_HEX + 1, raw, sizeof(raw));
	http_set_cookie(r, "csrf", hex, -1);
	return hex;
}

bool csrf_check(http_req *r)
{
	if (r->user && r->user->api)
		return true;
	/* JSON clients of a browser session send the token in a header. */
	const char *field = http_header(r, "X-CSRF-Token");
	if (!field && !http_form_text(r, "csrf", 0, TOKEN_HEX, &field, NULL))
		field = NULL;
	const char *session = r->user ? r->user->csrf : NULL;
	/* A form rendered by an inline page (no session known there) carries
	 * the cookie's token: still a double-submit proof. */
	const char *cookie = http_cookie(r, "csrf");
	if (well_formed(field) &&
	    ((well_formed(session) && sodium_memcmp(session, field, TOKEN_HEX) == 0) ||
	     (well_formed(cookie) && sodium_memcmp(cookie, field, TOKEN_HEX) == 0)))
		return true;
	if (!r->status)
		http_reply_error(r, 403, http_msg(r, "error.csrf"));
	return false;
}
