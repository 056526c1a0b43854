/*
 * ratelimit.c - fixed-window counters in a chained hash table behind one
 * mutex. Keys are short (an address), so nodes carry the key inline. The
 * table never grows past max_keys nodes: see ratelimit.h for what happens
 * when it is full. Nothing here blocks on I/O.
 */
#include "core/ratelimit.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 64

struct node {
	struct node *next;
	time_t window_start;
	unsigned count;
	char key[KEY_MAX];
};

struct ratelimit {
	pthread_mutex_t mu;
	unsigned limit, window;
	size_t max_keys, size, nbuckets;
	struct node **buckets;
};

ratelimit *ratelimit_new(unsigned limit, unsigned window, size_t max_keys)
{
	ratelimit *rl = calloc(1, sizeof(*rl));
	if (!rl)
		abort();
	pthread_mutex_init(&rl->mu, NULL);
	rl->limit = limit;
	rl->window = window ? window : 1;
	rl->max_keys = max_keys ? max_keys : 1;
	rl->nbuckets = 64;
	while (rl->nbuckets < rl->max_keys && rl->nbuckets < (1u << 20))
		rl->nbuckets <<= 1;
	rl->buckets = calloc(rl->nbuckets, sizeof(*rl->buckets));
	if (!rl->buckets)
		abort();
	return rl;
}

void ratelimit_free(ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t i = 0; i < rl->nbuckets; i++) {
		struct node *n = rl->buckets[i];
		while (n) {
			struct node *next = n->next;
			free(n);
			n = next;
		}
	}
	free(rl->buckets);
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

/* FNV-1a: keys come from clients, but a bucket chain only costs time
 * inside this small table, and the table is capped. */
static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* The key counted for an address: an IPv6 address by its /64, anything
 * else as given (cut to KEY_MAX - 1 bytes). */
static void canonical_key(const char *addr, char out[KEY_MAX])
{
	unsigned char a6[16];
	if (strchr(addr, ':') && inet_pton(AF_INET6, addr, a6) == 1) {
		memset(a6 + 8, 0, 8);
		char text[INET6_ADDRSTRLEN];
		if (inet_ntop(AF_INET6, a6, text, sizeof(text))) {
			snprintf(out, KEY_MAX, "%s/64", text);
			return;
		}
	}
	snprintf(out, KEY_MAX, "%s", addr);
}

/* Removes expired nodes; if none expired, the one with the oldest window. */
static void make_room(ratelimit *rl, time_t now)
{
	struct node **oldest = NULL;
	for (size_t i = 0; i < rl->nbuckets; i++) {
		struct node **pp = &rl->buckets[i];
		while (*pp) {
			struct node *n = *pp;
			if (now - n->window_start >= (time_t)rl->window) {
				*pp = n->next;
				free(n);
				rl->size--;
				continue;
			}
			if (!oldest || n->window_start < (*oldest)->window_start)
				oldest = pp;
			pp = &n->next;
		}
	}
	if (rl->size >= rl->max_keys && oldest) {
		struct node *n = *oldest;
		*oldest = n->next;
		free(n);
		rl->size--;
	}
}

bool ratelimit_hit(ratelimit *rl, const char *addr, time_t now, unsigned *retry_after)
{
	char key[KEY_MAX];
	canonical_key(addr ? addr : "", key);
	bool ok;
	pthread_mutex_lock(&rl->mu);
	size_t b = hash(key) & (rl->nbuckets - 1);
	struct node *n = rl->buckets[b];
	while (n && strcmp(n->key, key) != 0)
		n = n->next;
	if (!n) {
		if (rl->size >= rl->max_keys) {
			make_room(rl, now);
			b = hash(key) & (rl->nbuckets - 1);
		}
		n = calloc(1, sizeof(*n));
		if (!n)
			abort();
		memcpy(n->key, key, sizeof(n->key));
		n->window_start = now;
		n->next = rl->buckets[b];
		rl->buckets[b] = n;
		rl->size++;
	} else if (now - n->window_start >= (time_t)rl->window || now < n->window_start) {
		/* A new window (or the clock went back: start afresh). */
		n->window_start = now;
		n->count = 0;
	}
	ok = n->count < rl->limit;
	if (ok) {
		n->count++;
	} else if (retry_after) {
		time_t left = n->window_start + (time_t)rl->window - now;
		*retry_after = left < 1 ? 1 : (unsigned)left;
	}
	pthread_mutex_unlock(&rl->mu);
	return ok;
}

size_t ratelimit_size(ratelimit *rl)
{
	pthread_mutex_lock(&rl->mu);
	size_t n = rl->size;
	pthread_mutex_unlock(&rl->mu);
	return n;
}
