/*
 * test_vietqr.c - VietQR payloads (domain/vietqr.h): the CRC against the
 * standard check value, a payload published by a third party parsed back
 * field by field, build -> parse round trips (static and dynamic, with and
 * without purpose and bill number), and every malformed case the parser
 * refuses, each with the offset and ID of the fault in its message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/vietqr.h"

/* The README of github.com/subiz/vietqr ("Sử dụng" section) prints this
 * payload for 120.000 đ to account 0011001932418 at VietinBank (BIN 970415)
 * with the note "ung ho lu lut"; its CRC C15C is the published one. */
static const char published[] = "00020101021238570010A00000072701270006970415011300110019324180208"
				"QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C";

static void test_crc_vectors(void **state)
{
	(void)state;
	/* CRC-16/CCITT-FALSE check value (the catalogue of CRC parameters). */
	assert_int_equal(vietqr_crc16("123456789", 9), 0x29B1);
	assert_int_equal(vietqr_crc16("", 0), 0xFFFF);
	assert_int_equal(vietqr_crc16("A", 1), 0xB915);
}

static void test_published_example(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	struct vietqr q;
	char err[160] = "";
	assert_int_equal(vietqr_parse(a, published, strlen(published), &q, err, sizeof err), MC_OK);
	assert_string_equal(q.bin, "970415");
	assert_string_equal(q.account, "0011001932418");
	assert_string_equal(q.service, "QRIBFTTA");
	assert_int_equal(q.amount, 120000);
	assert_string_equal(q.purpose, "ung ho lu lut");
	assert_null(q.bill);
	assert_string_equal(q.initiation, "12");
	assert_string_equal(q.crc, "C15C");

	/* Built again from its fields, it is the same string byte for byte. */
	const char *again = NULL;
	q.service = NULL;
	assert_int_equal(vietqr_build(a, &q, &again, err, sizeof err), MC_OK);
	assert_string_equal(again, published);
	arena_free(a);
}

static void round_trip(arena *a, const char *bin, const char *acct, int64_t amount,
		       const char *purpose, const char *bill)
{
	struct vietqr in = {
		.bin = bin, .account = acct, .amount = amount, .purpose = purpose, .bill = bill};
	const char *p = NULL;
	char err[160] = "";
	assert_int_equal(vietqr_build(a, &in, &p, err, sizeof err), MC_OK);
	struct vietqr out;
	assert_int_equal(vietqr_parse(a, p, strlen(p), &out, err, sizeof err), MC_OK);
	assert_string_equal(out.bin, bin);
	assert_string_equal(out.account, acct);
	assert_int_equal(out.amount, amount);
	assert_string_equal(out.initiation, amount ? "12" : "11");
	if (purpose)
		assert_string_equal(out.purpose, purpose);
	else
		assert_null(out.purpose);
	if (bill)
		assert_string_equal(out.bill, bill);
	else
		assert_null(out.bill);
	/* The CRC covers everything up to and including "6304". */
	char crc[5];
	size_t n = strlen(p);
	snprintf(crc, sizeof crc, "%04X", (unsigned)vietqr_crc16(p, n - 4));
	assert_string_equal(p + n - 4, crc);
	assert_memory_equal(p + n - 8, "6304", 4);
}

static void test_round_trips(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	round_trip(a, "970436", "0011004020393", 1500000, "000.00.16.H43-261128-0001", NULL);
	round_trip(a, "970405", "1", 0, NULL, NULL);
	round_trip(a, "970418", "1234567890123456789", VIETQR_MAX_AMOUNT, "x", "HD-42");
	round_trip(a, "970422", "AB12cd", 50000, NULL, "B1");
	arena_free(a);
}

static void test_build_refuses(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	const char *p = NULL;
	char err[160];
	const struct vietqr bad[] = {
		{.bin = "97043", .account = "1"},
		{.bin = "97043x", .account = "1"},
		{.bin = NULL, .account = "1"},
		{.bin = "970436", .account = ""},
		{.bin = "970436", .account = NULL},
		{.bin = "970436", .account = "12345678901234567890"},
		{.bin = "970436", .account = "12-34"},
		{.bin = "970436", .account = "1", .amount = -1},
		{.bin = "970436", .account = "1", .amount = VIETQR_MAX_AMOUNT + 1},
		{.bin = "970436", .account = "1", .purpose = "Lệ phí"},
		{.bin = "970436", .account = "1", .purpose = "12345678901234567890123456"},
		{.bin = "970436", .account = "1", .purpose = ""},
		{.bin = "970436", .account = "1", .bill = "a\nb"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		assert_int_equal(vietqr_build(a, &bad[i], &p, err, sizeof err), MC_INVALID);
		assert_true(err[0] != '\0');
	}
	arena_free(a);
}

/* Puts a correct CRC on body (which ends just before "6304"). */
static const char *with_crc(arena *a, const char *body)
{
	char *s = arena_printf(a, "%s6304", body);
	return arena_printf(a, "%s%04X", s, (unsigned)vietqr_crc16(s, strlen(s)));
}

#define MAI "38570010A00000072701270006970415011300110019324180208QRIBFTTA"

static void test_malformed(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	const struct {
		const char *payload;
		int fix_crc; /* 1: body gets a correct CRC, so only the named fault remains */
		const char *where;
	} cases[] = {
		{"", 0, "ID 00"},
		{"000201010", 0, "offset 6: truncated"},
		{"0X0201", 0, "offset 0: ID is not"},
		{"000X01", 0, "offset 0, ID 00: length is not"},
		{"000301", 0, "offset 0, ID 00: length 3 runs past"},
		{"0000", 0, "offset 0, ID 00: length 0"},
		{"000202" MAI "5303704"
		 "5802VN",
		 1, "offset 0, ID 00: payload format"},
		{"010212000201" MAI "5303704"
		 "5802VN",
		 1, "offset 0, ID 01: the payload must open"},
		{"0002010102130000" MAI, 1, "ID 01: point of initiation"},
		{"000201010212" MAI "5303840"
		 "5802VN",
		 1, "offset 73, ID 53: currency"},
		{"000201010212" MAI "5303704"
		 "5802US",
		 1, "offset 80, ID 58: country"},
		{"000201010212" MAI "5303704"
		 "54041.00"
		 "5802VN",
		 1, "offset 80, ID 54: amount must"},
		{"000201010212" MAI "5303704"
		 "54010"
		 "5802VN",
		 1, "offset 80, ID 54: amount is zero"},
		{"000201010212" MAI "5303704"
		 "5802VN",
		 1, "ID 54: a dynamic code"},
		{"000201010211" MAI "5303704", 1, "ID 58: country missing"},
		{"000201010211"
		 "5303704"
		 "5802VN",
		 1, "ID 38: merchant account missing"},
		{"000201010211" MAI "5802VN", 1, "ID 53: currency missing"},
		{"000201" MAI "5303704"
		 "5802VN",
		 1, "ID 01: point of initiation missing"},
		{"000201010211" MAI "5303704"
		 "5802VN"
		 "5802VN",
		 1, "offset 86, ID 58: object given twice"},
		{"000201010211"
		 "38570010A00000072801270006970415011300110019324180208QRIBFTTA"
		 "5303704"
		 "5802VN",
		 1, "offset 16, ID 00: GUID"},
		{"000201010211"
		 "38570010A00000072701270006970X15011300110019324180208QRIBFTTA"
		 "5303704"
		 "5802VN",
		 1, "offset 34, ID 00: bank BIN"},
		{"000201010211"
		 "38570010A00000072701270006970415011300110019324-80208QRIBFTTA"
		 "5303704"
		 "5802VN",
		 1, "offset 44, ID 01: account number"},
		{"000201010211"
		 "38450010A0000007270127000697041501130011001932418"
		 "5303704"
		 "5802VN",
		 1, "offset 12, ID 38: merchant account lacks"},
		{"000201010211"
		 "38400010A000000727011000069704150208QRIBFTTA"
		 "5303704"
		 "5802VN",
		 1, "offset 30, ID 01: beneficiary lacks"},
		{"000201010211"
		 "38570010A00000072701270006970415011300110019324180209QRIBFTTA"
		 "5303704"
		 "5802VN",
		 1, "offset 61, ID 02: length 9 runs past"},
		{"000201010211" MAI "5303704"
		 "5802VN"
		 "62100801a0801b",
		 1, "ID 08: given twice"},
		{"000201010211" MAI "5303704"
		 "5802VN"
		 "620208",
		 1, "offset 90: truncated"},
		/* A wrong CRC, a CRC in lower case, too short, not last. */
		{"000201010211" MAI "5303704"
		 "5802VN"
		 "63040000",
		 0, "offset 86, ID 63: CRC 0000"},
		{"000201010211" MAI "5303704"
		 "5802VN"
		 "6303ABC",
		 0, "ID 63: CRC must be 4"},
		{"000201010211" MAI "5303704"
		 "5802VN"
		 "63040000"
		 "5802VN",
		 0, "ID 63: CRC must be the last"},
		{"000201010211" MAI "5303704"
		 "5802VN",
		 0, "ID 63: CRC missing"},
		{"000201010211" MAI "5303704"
		 "5802V\n",
		 0, "offset 85: control character"},
	};
	int failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *p = cases[i].fix_crc ? with_crc(a, cases[i].payload) : cases[i].payload;
		struct vietqr q;
		char err[160] = "";
		mc_status st = vietqr_parse(a, p, strlen(p), &q, err, sizeof err);
		if (st != MC_INVALID || !strstr(err, cases[i].where)) {
			print_error("case %zu (%s): status %d, message \"%s\", wanted \"%s\"\n", i,
				    p, (int)st, err, cases[i].where);
			failures++;
		}
	}
	assert_int_equal(failures, 0);

	/* Lower-case hex of the right value is still refused: the spec says upper case. */
	char *p = arena_strdup(a, published);
	size_t n = strlen(p);
	p[n - 1] = 'c';
	struct vietqr q;
	char err[160];
	assert_int_equal(vietqr_parse(a, p, n, &q, err, sizeof err), MC_INVALID);

	/* Every single-byte change of the published payload is refused. */
	for (size_t i = 0; i < n; i++) {
		char *m = arena_strdup(a, published);
		m[i] = m[i] == '1' ? '2' : '1';
		assert_int_equal(vietqr_parse(a, m, n, &q, err, sizeof err), MC_INVALID);
	}
	/* Truncated at any point: refused. */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(vietqr_parse(a, published, i, &q, err, sizeof err), MC_INVALID);
	arena_free(a);
}

static void test_unknown_objects_skipped(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	/* 52 merchant category and 59 merchant name are not VietQR's, but a
	 * reader skips them; so does an unknown sub-object of 62. */
	const char *p = with_crc(a, "000201010211" MAI "52045999"
				    "5303704"
				    "5802VN"
				    "5905BO TU"
				    "62120703T01"
				    "0801x");
	/* 62 above: 07 03 "T01" then 08 01 "x" = 12 bytes. */
	struct vietqr q;
	char err[160] = "";
	assert_int_equal(vietqr_parse(a, p, strlen(p), &q, err, sizeof err), MC_OK);
	assert_string_equal(q.purpose, "x");
	assert_int_equal(q.amount, 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_vectors), cmocka_unit_test(test_published_example),
		cmocka_unit_test(test_round_trips), cmocka_unit_test(test_build_refuses),
		cmocka_unit_test(test_malformed),   cmocka_unit_test(test_unknown_objects_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
