/*
 * signup_limit.h - how often one client address may register an account
 * (đăng ký tài khoản) or ask for a password-reset link: at most `limit`
 * of each per SIGNUP_WINDOW seconds (the signup_limit setting).
 *
 * Sign-in failures are counted in the shared throttle table (account.h);
 * these budgets live in this process's memory like the lookup budget
 * (lookup.h): a refused request must not cost a durable write, and the
 * budget only has to make mass registration, CCCD probing ("đã được đăng
 * ký") and mail flooding slow, not exact. With N nodes an address gets at
 * most N x limit; nginx's limit_req in front is the cluster-wide line.
 */
#ifndef MOTCUA_SIGNUP_LIMIT_H
#define MOTCUA_SIGNUP_LIMIT_H

#include <stdbool.h>
#include <time.h>

#define SIGNUP_WINDOW (60 * 60)

enum signup_kind { SIGNUP_REGISTER, SIGNUP_RESET };

/*
 * Counts one request of kind from address at time now. True when it is
 * allowed (always when limit is 0); false when the address has used its
 * limit in the current window, with *retry_after (may be NULL) set to the
 * seconds until it may try again (at least 1). Refused requests are not
 * counted. Thread-safe.
 */
bool signup_limit_hit(enum signup_kind kind, unsigned limit, const char *address, time_t now,
		      unsigned *retry_after);

/* Forgets every count (tests). */
void signup_limit_reset(void);

#endif
