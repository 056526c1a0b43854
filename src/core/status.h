/*
 * status.h - the small vocabulary of outcomes shared by every layer.
 *
 * Domain and storage code return these; the HTTP layer maps them to status
 * codes in exactly one place (http_status_of in http/response.c) and the CLI
 * maps them to exit codes. Never return a bare -1 across a module boundary.
 */
#ifndef MOTCUA_STATUS_H
#define MOTCUA_STATUS_H

typedef enum mc_status {
	MC_OK = 0,
	MC_INVALID,	 /* the caller's input is wrong: 400 */
	MC_UNAUTHORIZED, /* no valid credentials: 401 */
	MC_FORBIDDEN,	 /* credentials lack the right: 403 */
	MC_NOT_FOUND,	 /* 404 */
	MC_CONFLICT,	 /* state changed under the caller: 409 */
	MC_TOO_LARGE,	 /* a limit on size was passed: 413 */
	MC_BUSY,	 /* overloaded or a dependency is down: 503 */
	MC_INTERNAL,	 /* a bug or an I/O failure: 500 */
	MC_REPLIED,	 /* a helper already produced the response */
} mc_status;

/* A stable English name for logs ("invalid", "not_found", ...). */
const char *mc_status_name(mc_status s);

#endif
