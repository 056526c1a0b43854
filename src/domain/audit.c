/* audit.c - appending to and verifying the audit chain (see audit.h). */
#include "domain/audit.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"

#define AUDIT_FIELD_MAX 200
#define VERIFY_BATCH	5000
#define AUDIT_GENESIS	"0000000000000000000000000000000000000000000000000000000000000000"

void audit_hash(const char *prev_hash, int64_t n, const char *at, const char *actor,
		const char *action, const char *subject, const char *data,
		char out[AUDIT_HASH_LEN + 1])
{
	crypto_hash_sha256_state st;
	char num[24];
	int len = snprintf(num, sizeof(num), "%lld", (long long)n);
	crypto_hash_sha256_init(&st);
	const char *parts[] = {prev_hash, num, at, actor, action, subject, data};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (i)
			crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
		size_t l = i == 1 ? (size_t)len : strlen(parts[i]);
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], l);
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, AUDIT_HASH_LEN + 1, h, sizeof(h));
}

static bool plain_field(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > AUDIT_FIELD_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* Increments the head's number; head gets its new n and the last hash. */
static mc_status next_head(db_conn *c, arena *a, db_result **head)
{
	return db_query(c, a, "UPDATE audit_head SET n = n + 1 WHERE id = 1 RETURNING n, hash",
			DB_NOARGS, head);
}

mc_status audit_append(db_conn *c, const char *actor, const char *action, const char *subject,
		       const json_t *data, char hash_out[AUDIT_HASH_LEN + 1])
{
	if (!plain_field(actor) || !plain_field(action) || !plain_field(subject))
		return MC_INVALID;
	char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (data && !text)
		return MC_INVALID;
	arena *a = arena_new(0);
	db_result *head = NULL;
	/*
	 * One statement takes the next number and reads the previous hash; the
	 * UPDATE takes the head row's lock first (PostgreSQL), so a concurrent
	 * append on another node waits for this transaction. Only the very
	 * first append finds no head row and creates it. (Before: insert-if-
	 * missing, increment, then read back, three statements per entry on
	 * the writer's path of every submission.)
	 */
	mc_status rc = next_head(c, a, &head);
	if (rc == MC_OK && db_nrows(head) == 0) {
		rc = db_exec(c,
			     "INSERT INTO audit_head (id, n, hash) VALUES (1, 0, $1)"
			     " ON CONFLICT (id) DO NOTHING",
			     DB_ARGS(DB_TEXT(AUDIT_GENESIS)), NULL);
		if (rc == MC_OK)
			rc = next_head(c, a, &head);
	}
	if (rc == MC_OK && db_nrows(head) != 1)
		rc = MC_INTERNAL;
	if (rc == MC_OK) {
		int64_t n = db_int(head, 0, 0);
		const char *prev = db_text(head, 0, 1);
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		char at[32], hash[AUDIT_HASH_LEN + 1];
		strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm);
		const char *d = text ? text : "{}";
		audit_hash(prev, n, at, actor, action, subject, d, hash);
		rc = db_exec(
			c,
			"INSERT INTO audit_log (n, at, actor, action, subject, data, prev_hash,"
			" hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			DB_ARGS(DB_INT(n), DB_TEXT(at), DB_TEXT(actor), DB_TEXT(action),
				DB_TEXT(subject), DB_TEXT(d), DB_TEXT(prev), DB_TEXT(hash)),
			NULL);
		if (rc == MC_OK)
			rc = db_exec(c, "UPDATE audit_head SET hash = $1 WHERE id = 1",
				     DB_ARGS(DB_TEXT(hash)), NULL);
		if (rc == MC_OK && hash_out)
			memcpy(hash_out, hash, sizeof(hash));
	}
	if (rc != MC_OK)
		log_error("audit: cannot append %s %s: %s", action, subject, db_errmsg(c));
	free(text);
	arena_free(a);
	return rc;
}

mc_status audit_latest(db_conn *c, arena *a, const char *subject, char out[AUDIT_HASH_LEN + 1])
{
	db_result *r;
	out[0] = '\0';
	mc_status rc = db_query(c, a,
				"SELECT hash FROM audit_log WHERE subject = $1 ORDER BY n DESC"
				" LIMIT 1",
				DB_ARGS(DB_TEXT(subject)), &r);
	if (rc == MC_OK && db_nrows(r) == 1)
		snprintf(out, AUDIT_HASH_LEN + 1, "%s", db_text(r, 0, 0));
	return rc;
}

mc_status audit_get(db_conn *c, arena *a, const char *hash, struct audit_entry *out)
{
	size_t len = strlen(hash);
	if (len != AUDIT_HASH_LEN || strspn(hash, "0123456789abcdef") != len)
		return MC_INVALID;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT n, at, actor, action, subject, data, prev_hash, hash"
				" FROM audit_log WHERE hash = $1 ORDER BY n LIMIT 1",
				DB_ARGS(DB_TEXT(hash)), &r);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(r) != 1)
		return MC_NOT_FOUND;
	*out = (struct audit_entry){db_int(r, 0, 0),  db_text(r, 0, 1), db_text(r, 0, 2),
				    db_text(r, 0, 3), db_text(r, 0, 4), db_text(r, 0, 5),
				    db_text(r, 0, 6), db_text(r, 0, 7)};
	return MC_OK;
}

bool audit_public_subject(const char *subject)
{
	static const char *const prefixes[] = {"dossier:", "calendar:", "procedure:", "catalogue:"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(subject, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static void broken(struct audit_report *out, int64_t n, const char *why)
{
	out->first_broken = n;
	snprintf(out->reason, sizeof(out->reason), "%s", why);
}

mc_status audit_verify(db_conn *c, struct audit_report *out,
		       void (*progress)(void *ud, int64_t done, int64_t total), void *ud)
{
	memset(out, 0, sizeof(*out));
	arena *a = arena_new(0);
	db_result *head;
	mc_status rc =
		db_query(c, a, "SELECT n, hash FROM audit_head WHERE id = 1", DB_NOARGS, &head);
	if (rc != MC_OK) {
		arena_free(a);
		return rc;
	}
	/* No head yet: nothing was ever appended. */
	int64_t total = db_nrows(head) == 1 ? db_int(head, 0, 0) : 0;
	const char *head_hash = db_nrows(head) == 1 ? db_text(head, 0, 1) : AUDIT_GENESIS;
	char prev[AUDIT_HASH_LEN + 1];
	memcpy(prev, AUDIT_GENESIS, sizeof(prev));
	int64_t expect = 1;
	for (;;) {
		arena *b = arena_new(0);
		db_result *r;
		rc = db_query(c, b,
			      "SELECT n, at, actor, action, subject, data, prev_hash, hash"
			      " FROM audit_log WHERE n >= $1 ORDER BY n LIMIT $2",
			      DB_ARGS(DB_INT(expect), DB_INT(VERIFY_BATCH)), &r);
		if (rc != MC_OK) {
			arena_free(b);
			break;
		}
		int rows = db_nrows(r);
		for (int i = 0; i < rows && !out->first_broken; i++) {
			int64_t n = db_int(r, i, 0);
			if (n != expect) {
				broken(out, expect, "entry missing: the numbers jump over it");
				break;
			}
			char h[AUDIT_HASH_LEN + 1];
			if (strcmp(db_text(r, i, 6), prev) != 0) {
				broken(out, n,
				       "its previous-entry hash does not match the entry before");
				break;
			}
			audit_hash(prev, n, db_text(r, i, 1), db_text(r, i, 2), db_text(r, i, 3),
				   db_text(r, i, 4), db_text(r, i, 5), h);
			if (strcmp(h, db_text(r, i, 7)) != 0) {
				broken(out, n, "its content does not match its hash");
				break;
			}
			memcpy(prev, h, sizeof(h));
			out->entries++;
			expect++;
		}
		arena_free(b);
		if (progress)
			progress(ud, out->entries, total);
		if (out->first_broken || rows < VERIFY_BATCH)
			break;
	}
	if (rc == MC_OK && !out->first_broken) {
		if (out->entries != total)
			broken(out, out->entries + 1,
			       "entry missing: the chain is shorter than its head says");
		else if (strcmp(prev, head_hash) != 0)
			broken(out, total, "the head's hash does not match the last entry");
	}
	arena_free(a);
	return rc;
}
