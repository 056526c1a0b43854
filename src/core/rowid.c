/* rowid.c - see rowid.h. */
#include "core/rowid.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/*
 * Random bytes are drawn from libsodium 320 at a time into a per-thread
 * pool: randombytes_buf is one getrandom system call per call, and a
 * submission makes three ids (dossier, file, outbox row), two of them on
 * the single db writer thread (1 % of its time in a bench/submit.sh
 * profile). The process never forks, so no two processes share a pool.
 */
#define POOL_BYTES 320
#define ID_RANDOM  10

static _Thread_local unsigned char pool[POOL_BYTES];
static _Thread_local size_t pool_left;

static void random_tail(unsigned char out[ID_RANDOM])
{
	if (pool_left < ID_RANDOM) {
		randombytes_buf(pool, sizeof(pool));
		pool_left = sizeof(pool);
	}
	unsigned char *p = pool + sizeof(pool) - pool_left;
	memcpy(out, p, ID_RANDOM);
	sodium_memzero(p, ID_RANDOM); /* a used byte does not stay behind */
	pool_left -= ID_RANDOM;
}

void rowid_new(char out[ROWID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	for (int i = 11; i >= 0; i--) {
		out[i] = hex[ms & 0xf];
		ms >>= 4;
	}
	unsigned char rnd[ID_RANDOM];
	random_tail(rnd);
	for (int i = 0; i < ID_RANDOM; i++) {
		out[12 + 2 * i] = hex[rnd[i] >> 4];
		out[13 + 2 * i] = hex[rnd[i] & 0xf];
	}
	out[ROWID_LEN] = '\0';
}
