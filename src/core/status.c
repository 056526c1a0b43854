/* status.c - names for the status vocabulary, for logs and JSON errors. */
#include "core/status.h"

const char *mc_status_name(mc_status s)
{
	switch (s) {
	case MC_OK: return "ok";
	case MC_INVALID: return "invalid";
	case MC_UNAUTHORIZED: return "unauthorized";
	case MC_FORBIDDEN: return "forbidden";
	case MC_NOT_FOUND: return "not_found";
	case MC_CONFLICT: return "conflict";
	case MC_TOO_LARGE: return "too_large";
	case MC_BUSY: return "busy";
	case MC_INTERNAL: return "internal";
	case MC_REPLIED: return "replied";
	}
	return "unknown";
}
