/* signup_limit.c - per-address budgets of registrations and reset requests
 * (signup_limit.h), one core/ratelimit.h table per kind. */
#include "domain/signup_limit.h"

#include <pthread.h>

#include "core/ratelimit.h"

#define SIGNUP_KEYS 100000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	ratelimit *rl;
	unsigned limit;
} tables[2];

bool signup_limit_hit(enum signup_kind kind, unsigned limit, const char *address, time_t now,
		      unsigned *retry_after)
{
	if (limit == 0)
		return true;
	/* The limit comes from the settings, fixed after start-up; a table is
	 * made again only when it differs (tests). The hit is under the same
	 * lock, so a table is never freed while in use. */
	pthread_mutex_lock(&mu);
	if (!tables[kind].rl || tables[kind].limit != limit) {
		ratelimit_free(tables[kind].rl);
		tables[kind].rl = ratelimit_new(limit, SIGNUP_WINDOW, SIGNUP_KEYS);
		tables[kind].limit = limit;
	}
	bool ok = !tables[kind].rl ||
		  ratelimit_hit(tables[kind].rl, address ? address : "", now, retry_after);
	pthread_mutex_unlock(&mu);
	return ok;
}

void signup_limit_reset(void)
{
	pthread_mutex_lock(&mu);
	for (int i = 0; i < 2; i++) {
		ratelimit_free(tables[i].rl);
		tables[i].rl = NULL;
	}
	pthread_mutex_unlock(&mu);
}
