/*
 * fuzz_vietqr.c - libFuzzer target for the VietQR payload (domain/vietqr.c).
 *
 * Every input is parsed as a payload: the parser must never crash, must
 * explain every refusal, and a payload it accepts must carry a CRC that
 * matches. The input is also parsed with a correct CRC put on it, so the
 * fuzzer reaches the field checks behind the CRC. Besides, the input is cut
 * into fields (BIN, account, amount digits, purpose) and built: a build that
 * succeeds must parse back to the same fields (build -> parse round trip).
 *
 *   FUZZ_TARGETS=vietqr scripts/fuzz.sh 120
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/vietqr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static void parse_one(arena *a, const char *p, size_t n)
{
	struct vietqr q;
	char err[160] = "";
	mc_status st = vietqr_parse(a, p, n, &q, err, sizeof err);
	CHECK(st == MC_OK || st == MC_INVALID);
	if (st != MC_OK) {
		CHECK(err[0] != '\0');
		return;
	}
	CHECK(n >= 8 && memcmp(p + n - 8, "6304", 4) == 0);
	char crc[5];
	snprintf(crc, sizeof crc, "%04X", (unsigned)vietqr_crc16(p, n - 4));
	CHECK(memcmp(crc, p + n - 4, 4) == 0);
	CHECK(q.bin && strlen(q.bin) == 6 && q.account && q.service && q.initiation);
	CHECK(q.amount >= 0 && q.amount <= VIETQR_MAX_AMOUNT);
}

static void round_trip(arena *a, const char *s, size_t n)
{
	/* Fields: 6 bytes BIN, then '|'-separated account, amount, purpose. */
	if (n < 6)
		return;
	char *copy = arena_strndup(a, s, n);
	char *f[4] = {arena_strndup(a, copy, 6), copy + 6, NULL, NULL};
	for (int i = 1; i < 3 && f[i]; i++) {
		char *bar = strchr(f[i], '|');
		if (bar) {
			*bar = '\0';
			f[i + 1] = bar + 1;
		}
	}
	int64_t amount = 0;
	if (f[2])
		for (const char *d = f[2]; *d >= '0' && *d <= '9' && amount < VIETQR_MAX_AMOUNT;
		     d++)
			amount = amount * 10 + (*d - '0');
	if (amount > VIETQR_MAX_AMOUNT)
		amount = VIETQR_MAX_AMOUNT;
	struct vietqr in = {.bin = f[0], .account = f[1], .amount = amount, .purpose = f[3]};
	const char *p = NULL;
	char err[160] = "";
	if (vietqr_build(a, &in, &p, err, sizeof err) != MC_OK) {
		CHECK(err[0] != '\0');
		return;
	}
	struct vietqr out;
	CHECK(vietqr_parse(a, p, strlen(p), &out, err, sizeof err) == MC_OK);
	CHECK(strcmp(out.bin, in.bin) == 0 && strcmp(out.account, in.account) == 0);
	CHECK(out.amount == in.amount);
	CHECK(in.purpose ? out.purpose && strcmp(out.purpose, in.purpose) == 0 : !out.purpose);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(0);
	const char *s = (const char *)data;
	parse_one(a, s, size);
	/* The same bytes with a correct CRC appended (when it ends with "6304"). */
	if (size >= 4 && size < 600 && memcmp(s + size - 4, "6304", 4) == 0) {
		char *p = arena_alloc(a, size + 5);
		memcpy(p, s, size);
		snprintf(p + size, 5, "%04X", (unsigned)vietqr_crc16(s, size));
		parse_one(a, p, size + 4);
	}
	round_trip(a, s, size);
	arena_free(a);
	return 0;
}
