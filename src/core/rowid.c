/* rowid.c - see rowid.h. */
#include "core/rowid.h"

#include <sodium.h>
#include <stdint.h>
#include <time.h>

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
	unsigned char rnd[10];
	randombytes_buf(rnd, sizeof(rnd));
	for (int i = 0; i < 10; i++) {
		out[12 + 2 * i] = hex[rnd[i] >> 4];
		out[13 + 2 * i] = hex[rnd[i] & 0xf];
	}
	out[ROWID_LEN] = '\0';
}
