/*
 * vietqr.h - the NAPAS VietQR payload (mã VietQR): an EMVCo merchant-presented
 * QR code (EMV QRCPS-MPM) for an inter-bank transfer to an account, built for
 * a fee owed and parsed back (tests, fuzzing, statement tooling).
 *
 * The payload is a string of data objects ID(2 digits) LENGTH(2 digits)
 * VALUE. The objects used (NAPAS "VietQR" specification, 2021):
 *   00 payload format indicator "01"
 *   01 point of initiation: "11" static, "12" dynamic (one payment, amount)
 *   38 merchant account information, a template:
 *        00 GUID "A000000727" (NAPAS)
 *        01 beneficiary organisation, a template: 00 bank BIN (6 digits),
 *           01 account number (up to 19)
 *        02 service code "QRIBFTTA" (transfer to an account)
 *   53 currency "704" (VND); 54 amount (digits only: đồng have no minor unit)
 *   58 country "VN"
 *   62 additional data, a template: 01 bill number, 08 purpose of transaction
 *   63 CRC: CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no
 *      reflection, no final xor) of every byte up to and including "6304",
 *      written as 4 uppercase hexadecimal digits; always the last object.
 *
 * Pure functions: no database, no allocation outside the caller's arena.
 */
#ifndef MOTCUA_VIETQR_H
#define MOTCUA_VIETQR_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"

#define VIETQR_GUID	    "A000000727"
#define VIETQR_SERVICE_ACCT "QRIBFTTA"
#define VIETQR_MAX_ACCOUNT  19		    /* digits or letters of an account number */
#define VIETQR_MAX_PURPOSE  25		    /* bytes of the purpose or bill number */
#define VIETQR_MAX_AMOUNT   9999999999999LL /* 13 digits: the field holds up to 13 */

struct vietqr {
	const char *bin;	/* bank BIN, 6 digits */
	const char *account;	/* account number, 1..19 of [0-9A-Za-z] */
	const char *service;	/* parse: "QRIBFTTA" or another NAPAS code; build: ignored */
	int64_t amount;		/* đồng; 0 = none (static code) */
	const char *purpose;	/* 62/08, may be NULL; printable ASCII */
	const char *bill;	/* 62/01, may be NULL; printable ASCII */
	const char *initiation; /* parse only: "11" or "12" */
	const char *crc;	/* parse only: the 4 hex digits found */
};

/* CRC-16/CCITT-FALSE of n bytes ("123456789" gives 0x29B1). */
uint16_t vietqr_crc16(const void *p, size_t n);

/*
 * Builds the payload of q into the arena: dynamic ("12") with an amount,
 * static ("11") without. MC_INVALID with a reason in err when a field does
 * not fit the specification (BIN not 6 digits, account empty or too long,
 * amount negative or more than 13 digits, purpose/bill not printable ASCII
 * or longer than 25 bytes).
 */
mc_status vietqr_build(arena *a, const struct vietqr *q, const char **out, char *err,
		       size_t errlen);

/*
 * Parses a payload: every object's ID and length, the mandatory objects and
 * their fixed values, the CRC. Strings in *q point into the arena. On
 * MC_INVALID err says where: "offset 38, ID 54: amount is not digits".
 * Unknown objects at the root (e.g. 52 merchant category, 59 name) and
 * unknown sub-objects are skipped, as EMVCo asks of a reader.
 */
mc_status vietqr_parse(arena *a, const char *payload, size_t len, struct vietqr *q, char *err,
		       size_t errlen);

#endif
