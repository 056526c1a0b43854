/* pagecache.c - the short-lived cache of rendered public pages. */
#include "http/pagecache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
	char *key;
	char *content_type;
	char *body;
	size_t len;
	time_t stored;
};

struct pagecache {
	pthread_mutex_t mu;
	struct slot slots[PAGECACHE_SLOTS];
	unsigned long long hits, misses;
};

/* FNV-1a: keys are short, and the slot count is a power of two. */
static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h & (PAGECACHE_SLOTS - 1));
}

static time_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

pagecache *pagecache_new(void)
{
	pagecache *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

static void clear(struct slot *s)
{
	free(s->key);
	free(s->content_type);
	free(s->body);
	memset(s, 0, sizeof(*s));
}

void pagecache_free(pagecache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < PAGECACHE_SLOTS; i++)
		clear(&c->slots[i]);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

bool pagecache_get(pagecache *c, const char *key, arena *a, buf *out, const char **content_type)
{
	struct slot *s = &c->slots[slot_of(key)];
	bool hit = false;
	pthread_mutex_lock(&c->mu);
	if (s->key && strcmp(s->key, key) == 0 && now() - s->stored < PAGECACHE_TTL &&
	    buf_append(out, s->body, s->len) == 0) {
		*content_type = arena_strdup(a, s->content_type);
		hit = true;
	}
	if (hit)
		c->hits++;
	else
		c->misses++;
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void pagecache_put(pagecache *c, const char *key, const char *content_type, const char *body,
		   size_t len)
{
	if (len > PAGECACHE_MAX_BODY || !content_type)
		return;
	/* Copies are made outside the lock; the swap inside it. */
	struct slot fresh = {strdup(key), strdup(content_type), malloc(len ? len : 1), len, now()};
	if (!fresh.key || !fresh.content_type || !fresh.body) {
		clear(&fresh);
		return;
	}
	memcpy(fresh.body, body, len);
	struct slot *s = &c->slots[slot_of(key)];
	pthread_mutex_lock(&c->mu);
	struct slot old = *s;
	*s = fresh;
	pthread_mutex_unlock(&c->mu);
	clear(&old);
}

void pagecache_stats(pagecache *c, unsigned long long *hits, unsigned long long *misses)
{
	pthread_mutex_lock(&c->mu);
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->mu);
}
