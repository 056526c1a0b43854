/*
 * payverify.c - public verification of payment receipts (payverify.h).
 */
#include "domain/payverify.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES 32
#define FIELD_MAX 64

static unsigned char key[KEY_BYTES];
static bool key_loaded;

/* Reads the hex key of fd; -1 when it is not 64 hex characters. */
static int key_read(int fd)
{
	char hex[2 * KEY_BYTES + 2];
	ssize_t n = read(fd, hex, sizeof(hex) - 1);
	if (n < 2 * KEY_BYTES)
		return -1;
	hex[n] = 0;
	size_t len;
	if (sodium_hex2bin(key, sizeof(key), hex, 2 * KEY_BYTES, NULL, &len, NULL) != 0 ||
	    len != KEY_BYTES)
		return -1;
	return 0;
}

static int key_create(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST
			       ? 1
			       : (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
	unsigned char raw[KEY_BYTES];
	randombytes_buf(raw, sizeof(raw));
	char hex[2 * KEY_BYTES + 2];
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	hex[2 * KEY_BYTES] = '\n';
	hex[2 * KEY_BYTES + 1] = 0;
	size_t len = 2 * KEY_BYTES + 1;
	bool ok = fchmod(fd, 0600) == 0 && write(fd, hex, len) == (ssize_t)len && fsync(fd) == 0;
	sodium_memzero(raw, sizeof(raw));
	if (close(fd) != 0 || !ok) {
		snprintf(err, errlen, "%s: could not be written", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int payverify_init(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, PAYVERIFY_KEY_FILE);
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium did not start");
		return -1;
	}
	if (access(path, F_OK) != 0 && key_create(path, err, errlen) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = fstat(fd, &st);
	if (rc == 0 && (st.st_mode & 077)) {
		snprintf(err, errlen, "%s may be read by others: chmod 600 it", path);
		rc = -1;
	} else if (rc == 0 && key_read(fd) < 0) {
		snprintf(err, errlen, "%s: not 64 hexadecimal characters", path);
		rc = -1;
	}
	close(fd);
	key_loaded = rc == 0;
	return rc;
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
				" FROM payment p JOIN dossier d ON d.id = p.dossier_id"
				" JOIN agency g ON g.code = d.agency_code"
				" WHERE d.code = $1 AND p.receipt_no = $2",
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
