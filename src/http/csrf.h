/*
 * csrf.h - protection of state-changing forms against cross-site requests.
 *
 * Double-submit token: a random 256-bit token lives in an HttpOnly,
 * SameSite=Lax cookie and is repeated in a hidden field of every form the
 * page renders; a POST is accepted only when both are present and equal
 * (compared in constant time). A foreign site can make the browser send the
 * cookie but cannot read it to fill the field. Once someone is signed in
 * the token is the session's (session.csrf); requests authenticated by a
 * bearer token need none. JSON clients may send it as X-CSRF-Token.
 */
#ifndef MOTCUA_CSRF_H
#define MOTCUA_CSRF_H

#include <stdbool.h>

#include "http/request.h"

/* The request's token for hidden fields, creating and setting the cookie
 * when the visitor has none yet. */
const char *csrf_token(http_req *r);

/* True when the form field "csrf" (or the X-CSRF-Token header) matches the
 * session's token or, signed out, the cookie; otherwise replies 403
 * with a message that asks the user to reload the page, and returns false. */
bool csrf_check(http_req *r);

#endif
