/*
 * payverify.c - public verification of payment receipts (payverify.h).
 */
#include "domain/payverify.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_BYTES 32
#define FIELD_MAX 64

static unsigned char key[KEY_BYTES];
static bool key_loaded;

#define SECRET_NAME "receipt-verify"

struct put_args {
	const char *hex;
	const char *now;
};

/* The first node to start stores its key; later ones keep what is there. */
static mc_status key_put(db_conn *c, void *p)
{
	const struct put_args *k = p;
	return db_exec(c,
		       "INSERT INTO app_secret (name, value, created_at) VALUES ($1, $2, $3)"
		       " ON CONFLICT (name) DO NOTHING",
		       DB_ARGS(DB_TEXT(SECRET_NAME), DB_TEXT(k->hex), DB_TEXT(k->now)), NULL);
}

/* The stored key into key; 0 found, 1 none, -1 error or malformed. */
static int key_get(db *d, arena *a, char *err, size_t errlen)
{
	db_conn *c = db_reader(d);
	db_result *r;
	if (!c || db_query(c, a, "SELECT value FROM app_secret WHERE name = $1",
			   DB_ARGS(DB_TEXT(SECRET_NAME)), &r) != MC_OK) {
		snprintf(err, errlen, "reading the receipt verification key: %s",
			 c ? db_errmsg(c) : "no database connection");
		return -1;
	}
	if (db_nrows(r) == 0)
		return 1;
	const char *hex = db_text(r, 0, 0);
	size_t len;
	if (strlen(hex) != 2 * KEY_BYTES ||
	    sodium_hex2bin(key, sizeof(key), hex, 2 * KEY_BYTES, NULL, &len, NULL) != 0 ||
	    len != KEY_BYTES) {
		snprintf(err, errlen,
			 "the receipt verification key in app_secret is not 64"
			 " hexadecimal characters");
		return -1;
	}
	return 0;
}

int payverify_init(db *d, char *err, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium did not start");
		return -1;
	}
	arena *a = arena_new(0);
	if (!a)
		abort();
	int rc = key_get(d, a, err, errlen);
	if (rc == 1) {
		unsigned char raw[KEY_BYTES];
		char hex[2 * KEY_BYTES + 1];
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
		sodium_memzero(raw, sizeof(raw));
		char now[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", &tm);
		struct put_args k = {hex, now};
		if (db_write(d, key_put, &k) != MC_OK) {
			snprintf(err, errlen, "storing the receipt verification key failed");
			rc = -1;
		} else {
			rc = key_get(d, a, err, errlen); /* ours, or another node's */
			if (rc == 1) {
				snprintf(err, errlen,
					 "the receipt verification key was not stored");
				rc = -1;
			}
		}
		sodium_memzero(hex, sizeof(hex));
	}
	arena_free(a);
	key_loaded = rc == 0;
	return key_loaded ? 0 : -1;
}

bool payverify_ready(void)
{
	return key_loaded;
}

void payverify_tag(const char *code, const char *no, char out[PAYVERIFY_TAG_LEN + 1])
{
	out[0] = 0;
	if (!key_loaded || !code || !no)
		return;
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, key, sizeof(key));
	/* "receipt" domain-separates this key's use; \n cannot occur in either */
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"receipt\n", 8);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)code, strlen(code));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)no, strlen(no));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, PAYVERIFY_TAG_LEN + 1, mac, PAYVERIFY_TAG_LEN / 2);
}

const char *payverify_url(arena *a, const char *base, const char *code, const char *no)
{
	if (!key_loaded)
		return arena_printf(a, "%s/ho-so/%s/bien-lai/%s", base ? base : "", code, no);
	char tag[PAYVERIFY_TAG_LEN + 1];
	payverify_tag(code, no, tag);
	return arena_printf(a, "%s/bien-lai/xac-thuc?ma=%s&so=%s&t=%s", base ? base : "", code, no,
			    tag);
}

/* Dossier codes and receipt numbers: [0-9A-Za-z.-], at most FIELD_MAX. */
static bool field_ok(const char *s)
{
	if (!s || !*s || strlen(s) > FIELD_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || *s == '.' || *s == '-'))
			return false;
	return true;
}

mc_status payverify_check(db *d, arena *a, const char *code, const char *no, const char *tag,
			  struct payverify_result *out)
{
	if (!key_loaded || !field_ok(code) || !field_ok(no) || !tag ||
	    strlen(tag) != PAYVERIFY_TAG_LEN)
		return MC_NOT_FOUND;
	char want[PAYVERIFY_TAG_LEN + 1];
	payverify_tag(code, no, want);
	if (sodium_memcmp(want, tag, PAYVERIFY_TAG_LEN) != 0)
		return MC_NOT_FOUND;
	db_conn *rd = db_reader(d);
	if (!rd)
		return MC_BUSY;
	db_result *r;
	mc_status st = db_query(rd, a,
				"SELECT p.receipt_no, d.code, g.name, p.amount, p.paid_at, p.source"
				" FROM " PAY_RECEIPT_FROM " WHERE " PAY_RECEIPT_WHERE,
				DB_ARGS(DB_TEXT(code), DB_TEXT(no)), &r);
	if (st != MC_OK)
		return st;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	*out = (struct payverify_result){
		.receipt_no = db_text(r, 0, 0),
		.code = db_text(r, 0, 1),
		.agency_name = db_text(r, 0, 2),
		.amount = db_int(r, 0, 3),
		.paid_at = db_text(r, 0, 4),
		.source = db_text(r, 0, 5),
	};
	return MC_OK;
}
