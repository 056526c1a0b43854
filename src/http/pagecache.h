/*
 * pagecache.h - rendered public pages kept for a few seconds, so that the
 * catalogue pages most people read (a search, a procedure, a field, an
 * agency) are answered on the I/O thread without a worker, a database read
 * or a render, as the home page is.
 *
 * Only what every visitor without a session would get is kept: the server
 * uses it for GET requests on RT_CACHE routes that carry no session cookie
 * and no Authorization header, and stores a reply only when it is a 200
 * without extra headers (no Set-Cookie). Entries live PAGECACHE_TTL
 * seconds, so an admin's edit shows within that time, the same freshness
 * the search index has. Memory is bounded: a fixed number of slots,
 * direct-mapped by the key's hash (a newer page replaces an older one in
 * its slot), each body at most PAGECACHE_MAX_BODY bytes.
 */
#ifndef MOTCUA_PAGECACHE_H
#define MOTCUA_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

#define PAGECACHE_SLOTS	   2048
#define PAGECACHE_TTL	   10 /* seconds */
#define PAGECACHE_MAX_BODY (256u * 1024)

typedef struct pagecache pagecache;

pagecache *pagecache_new(void);
void pagecache_free(pagecache *c);

/* On a fresh entry for key: appends its body to out, sets *content_type
 * (copied into a) and returns true. */
bool pagecache_get(pagecache *c, const char *key, arena *a, buf *out, const char **content_type);

/* Keeps body under key (copied); bodies over the limit are not kept. */
void pagecache_put(pagecache *c, const char *key, const char *content_type, const char *body,
		   size_t len);

/* Hits and misses so far (for /metrics). */
void pagecache_stats(pagecache *c, unsigned long long *hits, unsigned long long *misses);

#endif
