/*
 * vietqr.c - build and parse NAPAS VietQR payloads (see vietqr.h).
 *
 * Parsing walks the ID-length-value objects of one level at a time with
 * tlv_next, which checks that the header is four digits and the value fits
 * inside its parent; the root level then checks order (00 first, 63 last),
 * duplicates and the fixed values, and the templates 38, 38/01 and 62 are
 * walked the same way with their own offsets, so every error names the
 * absolute offset of the object that is wrong.
 */
#include "domain/vietqr.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PAYLOAD_MAX 512 /* EMV QRCPS: a payload holds at most 512 characters */

uint16_t vietqr_crc16(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint16_t crc = 0xFFFF;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(s[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021)
					     : (uint16_t)(crc << 1);
	}
	return crc;
}

static mc_status fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static mc_status fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return MC_INVALID;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool alnum_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
	}
	return n > 0;
}

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
			return false;
	return true;
}

/* ---- build ---- */

/* Appends ID, two-digit length and value; false when it does not fit. */
static bool put(char *out, size_t cap, size_t *n, const char *id, const char *v, size_t vlen)
{
	if (vlen > 99 || *n + 4 + vlen >= cap)
		return false;
	snprintf(out + *n, cap - *n, "%s%02zu", id, vlen);
	memcpy(out + *n + 4, v, vlen);
	*n += 4 + vlen;
	out[*n] = '\0';
	return true;
}

static mc_status check_text(const char *what, const char *s, char *err, size_t errlen)
{
	if (!s)
		return MC_OK;
	size_t n = strlen(s);
	if (n == 0 || n > VIETQR_MAX_PURPOSE || !printable(s, n))
		return fail(err, errlen, "%s must be 1..%d printable ASCII characters", what,
			    VIETQR_MAX_PURPOSE);
	return MC_OK;
}

mc_status vietqr_build(arena *a, const struct vietqr *q, const char **out, char *err, size_t errlen)
{
	if (!q->bin || strlen(q->bin) != 6 || !all_digits(q->bin, 6))
		return fail(err, errlen, "bank BIN must be 6 digits");
	size_t alen = q->account ? strlen(q->account) : 0;
	if (alen > VIETQR_MAX_ACCOUNT || !alnum_only(q->account ? q->account : "", alen))
		return fail(err, errlen, "account number must be 1..%d letters or digits",
			    VIETQR_MAX_ACCOUNT);
	if (q->amount < 0 || q->amount > VIETQR_MAX_AMOUNT)
		return fail(err, errlen, "amount must be 0..%lld", (long long)VIETQR_MAX_AMOUNT);
	mc_status st = check_text("purpose", q->purpose, err, errlen);
	if (st == MC_OK)
		st = check_text("bill number", q->bill, err, errlen);
	if (st != MC_OK)
		return st;

	char bene[64], mai[128], add[64], amount[24];
	size_t nb = 0, nm = 0, nd = 0;
	bool ok = put(bene, sizeof bene, &nb, "00", q->bin, 6) &&
		  put(bene, sizeof bene, &nb, "01", q->account, alen) &&
		  put(mai, sizeof mai, &nm, "00", VIETQR_GUID, strlen(VIETQR_GUID)) &&
		  put(mai, sizeof mai, &nm, "01", bene, nb) &&
		  put(mai, sizeof mai, &nm, "02", VIETQR_SERVICE_ACCT, strlen(VIETQR_SERVICE_ACCT));
	add[0] = '\0';
	if (ok && q->bill)
		ok = put(add, sizeof add, &nd, "01", q->bill, strlen(q->bill));
	if (ok && q->purpose)
		ok = put(add, sizeof add, &nd, "08", q->purpose, strlen(q->purpose));

	char p[PAYLOAD_MAX + 1];
	size_t n = 0;
	ok = ok && put(p, sizeof p, &n, "00", "01", 2) &&
	     put(p, sizeof p, &n, "01", q->amount > 0 ? "12" : "11", 2) &&
	     put(p, sizeof p, &n, "38", mai, nm) && put(p, sizeof p, &n, "53", "704", 3);
	if (ok && q->amount > 0) {
		int k = snprintf(amount, sizeof amount, "%lld", (long long)q->amount);
		ok = put(p, sizeof p, &n, "54", amount, (size_t)k);
	}
	ok = ok && put(p, sizeof p, &n, "58", "VN", 2);
	if (ok && nd)
		ok = put(p, sizeof p, &n, "62", add, nd);
	if (!ok || n + 8 > PAYLOAD_MAX)
		return fail(err, errlen, "payload longer than %d characters", PAYLOAD_MAX);
	memcpy(p + n, "6304", 4);
	n += 4;
	snprintf(p + n, sizeof p - n, "%04X", (unsigned)vietqr_crc16(p, n));
	*out = arena_strdup(a, p);
	return MC_OK;
}

/* ---- parse ---- */

struct tlv {
	char id[3];
	size_t off; /* absolute offset of the ID */
	const char *v;
	size_t len;
};

/* Reads the object at s[*pos] of a level that ends at end; base is the
 * absolute offset of s. Returns 1 with t filled, 0 at the end, -1 on error. */
static int tlv_next(const char *s, size_t *pos, size_t end, size_t base, struct tlv *t, char *err,
		    size_t errlen)
{
	if (*pos >= end)
		return 0;
	size_t at = base + *pos;
	if (end - *pos < 4) {
		fail(err, errlen, "offset %zu: truncated object header", at);
		return -1;
	}
	const char *h = s + *pos;
	if (!all_digits(h, 2)) {
		fail(err, errlen, "offset %zu: ID is not two digits", at);
		return -1;
	}
	t->id[0] = h[0];
	t->id[1] = h[1];
	t->id[2] = '\0';
	if (!all_digits(h + 2, 2)) {
		fail(err, errlen, "offset %zu, ID %s: length is not two digits", at, t->id);
		return -1;
	}
	size_t len = (size_t)((h[2] - '0') * 10 + (h[3] - '0'));
	if (len == 0 || len > end - *pos - 4) {
		fail(err, errlen, "offset %zu, ID %s: length %zu %s", at, t->id, len,
		     len == 0 ? "is empty" : "runs past the end");
		return -1;
	}
	t->off = at;
	t->v = h + 4;
	t->len = len;
	*pos += 4 + len;
	return 1;
}

static bool is(const struct tlv *t, const char *v)
{
	return t->len == strlen(v) && memcmp(t->v, v, t->len) == 0;
}

static mc_status bad(const struct tlv *t, char *err, size_t errlen, const char *what)
{
	return fail(err, errlen, "offset %zu, ID %s: %s", t->off, t->id, what);
}

/* Template 38/01: 00 BIN, 01 account. */
static mc_status parse_beneficiary(arena *a, const struct tlv *parent, struct vietqr *q, char *err,
				   size_t errlen)
{
	size_t pos = 0, base = parent->off + 4;
	struct tlv t;
	int r;
	while ((r = tlv_next(parent->v, &pos, parent->len, base, &t, err, errlen)) == 1) {
		if (strcmp(t.id, "00") == 0) {
			if (q->bin || t.len != 6 || !all_digits(t.v, 6))
				return bad(&t, err, errlen, "bank BIN must be 6 digits, once");
			q->bin = arena_strndup(a, t.v, t.len);
		} else if (strcmp(t.id, "01") == 0) {
			if (q->account || t.len > VIETQR_MAX_ACCOUNT || !alnum_only(t.v, t.len))
				return bad(&t, err, errlen,
					   "account number must be 1..19 letters "
					   "or digits, once");
			q->account = arena_strndup(a, t.v, t.len);
		}
	}
	if (r < 0)
		return MC_INVALID;
	if (!q->bin || !q->account)
		return bad(parent, err, errlen, "beneficiary lacks the bank BIN or the account");
	return MC_OK;
}

/* Template 38: 00 GUID, 01 beneficiary, 02 service code. */
static mc_status parse_merchant(arena *a, const struct tlv *parent, struct vietqr *q, char *err,
				size_t errlen)
{
	size_t pos = 0, base = parent->off + 4;
	struct tlv t;
	bool guid = false, bene = false;
	int r;
	while ((r = tlv_next(parent->v, &pos, parent->len, base, &t, err, errlen)) == 1) {
		if (strcmp(t.id, "00") == 0) {
			if (guid || !is(&t, VIETQR_GUID))
				return bad(&t, err, errlen, "GUID must be A000000727, once");
			guid = true;
		} else if (strcmp(t.id, "01") == 0) {
			if (bene)
				return bad(&t, err, errlen, "beneficiary given twice");
			mc_status st = parse_beneficiary(a, &t, q, err, errlen);
			if (st != MC_OK)
				return st;
			bene = true;
		} else if (strcmp(t.id, "02") == 0) {
			if (q->service || !alnum_only(t.v, t.len))
				return bad(&t, err, errlen, "service code must be letters, once");
			q->service = arena_strndup(a, t.v, t.len);
		}
	}
	if (r < 0)
		return MC_INVALID;
	if (!guid || !bene || !q->service)
		return bad(parent, err, errlen,
			   "merchant account lacks the GUID, the beneficiary or the service code");
	return MC_OK;
}

/* Template 62: 01 bill number, 08 purpose; other sub-objects skipped. */
static mc_status parse_additional(arena *a, const struct tlv *parent, struct vietqr *q, char *err,
				  size_t errlen)
{
	size_t pos = 0, base = parent->off + 4;
	struct tlv t;
	int r;
	while ((r = tlv_next(parent->v, &pos, parent->len, base, &t, err, errlen)) == 1) {
		const char **slot = strcmp(t.id, "01") == 0   ? &q->bill
				    : strcmp(t.id, "08") == 0 ? &q->purpose
							      : NULL;
		if (!slot)
			continue;
		if (*slot)
			return bad(&t, err, errlen, "given twice");
		*slot = arena_strndup(a, t.v, t.len);
	}
	return r < 0 ? MC_INVALID : MC_OK;
}

static mc_status parse_root_object(arena *a, const struct tlv *t, struct vietqr *q, char *err,
				   size_t errlen)
{
	if (strcmp(t->id, "01") == 0) {
		if (!is(t, "11") && !is(t, "12"))
			return bad(t, err, errlen, "point of initiation must be 11 or 12");
		q->initiation = arena_strndup(a, t->v, t->len);
	} else if (strcmp(t->id, "38") == 0) {
		return parse_merchant(a, t, q, err, errlen);
	} else if (strcmp(t->id, "53") == 0) {
		if (!is(t, "704"))
			return bad(t, err, errlen, "currency must be 704 (VND)");
	} else if (strcmp(t->id, "54") == 0) {
		if (t->len > 13 || !all_digits(t->v, t->len))
			return bad(t, err, errlen,
				   "amount must be 1..13 digits (VND has no decimals)");
		int64_t v = 0;
		for (size_t i = 0; i < t->len; i++)
			v = v * 10 + (t->v[i] - '0');
		if (v == 0)
			return bad(t, err, errlen, "amount is zero");
		q->amount = v;
	} else if (strcmp(t->id, "58") == 0) {
		if (!is(t, "VN"))
			return bad(t, err, errlen, "country must be VN");
	} else if (strcmp(t->id, "62") == 0) {
		return parse_additional(a, t, q, err, errlen);
	}
	return MC_OK;
}

mc_status vietqr_parse(arena *a, const char *payload, size_t len, struct vietqr *q, char *err,
		       size_t errlen)
{
	memset(q, 0, sizeof *q);
	if (len > PAYLOAD_MAX)
		return fail(err, errlen, "offset %d: payload longer than %d characters",
			    PAYLOAD_MAX, PAYLOAD_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)payload[i] < 0x20 || payload[i] == 0x7F)
			return fail(err, errlen, "offset %zu: control character", i);

	bool seen[100] = {false};
	size_t pos = 0;
	struct tlv t;
	int r, count = 0;
	while ((r = tlv_next(payload, &pos, len, 0, &t, err, errlen)) == 1) {
		int id = (t.id[0] - '0') * 10 + (t.id[1] - '0');
		if (seen[id])
			return bad(&t, err, errlen, "object given twice");
		seen[id] = true;
		if (count++ == 0 && id != 0)
			return bad(&t, err, errlen, "the payload must open with ID 00");
		if (id == 0 && !is(&t, "01"))
			return bad(&t, err, errlen, "payload format indicator must be 01");
		if (id == 63) {
			if (t.len != 4)
				return bad(&t, err, errlen, "CRC must be 4 hexadecimal digits");
			if (pos != len)
				return bad(&t, err, errlen, "CRC must be the last object");
			char want[5];
			snprintf(want, sizeof want, "%04X",
				 (unsigned)vietqr_crc16(payload, t.off + 4));
			q->crc = arena_strndup(a, t.v, 4);
			if (memcmp(want, t.v, 4) != 0)
				return fail(err, errlen, "offset %zu, ID 63: CRC %.4s, computed %s",
					    t.off, t.v, want);
			continue;
		}
		mc_status st = parse_root_object(a, &t, q, err, errlen);
		if (st != MC_OK)
			return st;
	}
	if (r < 0)
		return MC_INVALID;
	static const int mandatory[] = {0, 1, 38, 53, 58, 63};
	static const char *const names[] = {"payload format",	"point of initiation",
					    "merchant account", "currency",
					    "country",		"CRC"};
	for (size_t i = 0; i < sizeof mandatory / sizeof *mandatory; i++)
		if (!seen[mandatory[i]])
			return fail(err, errlen, "offset %zu, ID %02d: %s missing", len,
				    mandatory[i], names[i]);
	if (strcmp(q->initiation, "12") == 0 && q->amount == 0)
		return fail(err, errlen, "offset %zu, ID 54: a dynamic code (12) needs an amount",
			    len);
	return MC_OK;
}
