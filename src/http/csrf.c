/* csrf.c - token generation with libsodium, constant-time comparison. */
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
	const char *cookie = http_cookie(r, "csrf");
	const char *field = NULL;
	if (well_formed(cookie) && http_form_text(r, "csrf", 0, TOKEN_HEX, &field, NULL) &&
	    well_formed(field) && sodium_memcmp(cookie, field, TOKEN_HEX) == 0)
		return true;
	if (!r->status)
		http_reply_error(r, 403, http_msg(r, "error.csrf"));
	return false;
}
