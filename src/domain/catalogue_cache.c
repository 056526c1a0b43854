/*
 * catalogue_cache.c - procedure records and their competent agencies kept
 * per process (see catalogue_cache.h): a small direct-mapped table under one
 * mutex, entries reference-counted so a replaced one outlives its readers.
 */
#include "domain/catalogue_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "domain/catalogue.h"

#define SLOTS 256

struct entry {
	arena *a; /* owns everything below */
	const char *code;
	unsigned long gen;
	int64_t loaded_ms;
	int refs; /* the table's and each reader's; under the mutex */
	struct procedure_rec rec;
	struct dossier_agency *agencies;
	int n;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *slots[SLOTS];
static atomic_ulong generation;
static db *_Atomic served; /* the database the cache is for */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned slot_of(const char *code)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % SLOTS;
}

/* Drops one reference; the caller holds the mutex. */
static void unref_locked(struct entry *e)
{
	if (--e->refs == 0)
		arena_free(e->a);
}

static void release(void *p)
{
	pthread_mutex_lock(&lock);
	unref_locked(p);
	pthread_mutex_unlock(&lock);
}

static void hand_out(arena *a, struct entry *e, struct procedure_rec *p,
		     const struct dossier_agency **agencies, int *n)
{
	arena_cleanup_add(a, release, e);
	*p = e->rec;
	*agencies = e->agencies;
	*n = e->n;
}

static struct entry *load(db *d, const char *code, unsigned long gen, mc_status *rc)
{
	struct entry *e;
	arena *ea = arena_new(0);
	e = arena_zalloc(ea, sizeof(*e));
	e->a = ea;
	e->code = arena_strdup(ea, code);
	e->gen = gen;
	e->loaded_ms = now_ms();
	*rc = catalogue_get(d, ea, code, &e->rec);
	if (*rc == MC_OK)
		*rc = dossier_agencies(d, ea, code, &e->agencies, &e->n);
	if (*rc != MC_OK) {
		arena_free(ea);
		return NULL;
	}
	return e;
}

mc_status catalogue_cache_get(db *d, arena *a, const char *code, struct procedure_rec *p,
			      const struct dossier_agency **agencies, int *n)
{
	if (!procedure_code_valid(code))
		return MC_NOT_FOUND;
	if (d != atomic_load(&served)) { /* not the served database: read through */
		mc_status rc = catalogue_get(d, a, code, p);
		struct dossier_agency *list = NULL;
		if (rc == MC_OK)
			rc = dossier_agencies(d, a, code, &list, n);
		*agencies = list;
		return rc;
	}
	unsigned s = slot_of(code);
	unsigned long gen = atomic_load(&generation);
	pthread_mutex_lock(&lock);
	struct entry *e = slots[s];
	if (e && e->gen == gen && strcmp(e->code, code) == 0 &&
	    now_ms() - e->loaded_ms < CATALOGUE_CACHE_TTL_MS) {
		e->refs++;
		pthread_mutex_unlock(&lock);
		hand_out(a, e, p, agencies, n);
		return MC_OK;
	}
	pthread_mutex_unlock(&lock);

	mc_status rc;
	e = load(d, code, gen, &rc); /* outside the lock: readers go on meanwhile */
	if (!e)
		return rc;
	pthread_mutex_lock(&lock);
	e->refs = 2; /* the table's and this caller's */
	if (slots[s])
		unref_locked(slots[s]);
	slots[s] = e;
	pthread_mutex_unlock(&lock);
	hand_out(a, e, p, agencies, n);
	return MC_OK;
}

void catalogue_cache_attach(db *d)
{
	atomic_store(&served, d);
	catalogue_cache_bump();
}

mc_status catalogue_cache_write(db *d, db_write_fn fn, void *arg)
{
	mc_status rc = db_write(d, fn, arg);
	/* Only now is the change durable: a reader that loaded the old rows
	 * meanwhile stored them under the old generation. Bumped on failure
	 * too (a failed commit may leave nothing changed; one reload is cheap). */
	catalogue_cache_bump();
	return rc;
}

void catalogue_cache_bump(void)
{
	atomic_fetch_add(&generation, 1);
}

unsigned long catalogue_cache_generation(void)
{
	return atomic_load(&generation);
}
