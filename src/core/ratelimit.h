/*
 * ratelimit.h - counters of events per key (a client address) in fixed
 * windows, held in this process's memory: "at most N lookups per W seconds
 * per address". Thread-safe (one mutex; each hit is a hash lookup).
 *
 * Memory is bounded: at most max_keys addresses are tracked; when the table
 * is full, expired windows are swept, and if every window is still live the
 * one that started longest ago (closest to expiring) is dropped. IPv6
 * addresses are counted per /64, the block one subscriber usually holds.
 */
#ifndef MOTCUA_RATELIMIT_H
#define MOTCUA_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct ratelimit ratelimit;

/* A limiter allowing limit events per window seconds per key. */
ratelimit *ratelimit_new(unsigned limit, unsigned window, size_t max_keys);
void ratelimit_free(ratelimit *rl);

/*
 * Counts one event of key at time now. Returns true when it is allowed;
 * false when key has used its limit in the current window, with
 * *retry_after (may be NULL) set to the seconds until the window ends
 * (at least 1). Refused events are not counted.
 */
bool ratelimit_hit(ratelimit *rl, const char *key, time_t now, unsigned *retry_after);

/* Keys tracked now (for tests and metrics). */
size_t ratelimit_size(ratelimit *rl);

#endif
