/*
 * audit.h - the audit chain (nhật ký kiểm toán): an append-only log in
 * which each entry carries the SHA-256 of the previous entry and of its own
 * content.
 *
 * An entry is (n, at, actor, action, subject, data): n counts from 1 with
 * no gaps; at is Vietnam time "YYYY-MM-DD HH:MM:SS"; actor is an account id
 * or "system"; action a dotted name ("dossier.submit", "account.login",
 * "catalogue.edit"); subject what it is about ("dossier:<code>",
 * "account:<id>", "procedure:<code>"); data a JSON object, stored in its
 * compact form with sorted keys. Its hash is
 *
 *	hex(SHA-256(prev_hash "\n" n "\n" at "\n" actor "\n" action "\n"
 *	            subject "\n" data))
 *
 * over the stored text exactly, so verification never depends on how a
 * JSON library prints. actor, action and subject hold no control characters.
 *
 * Appends happen inside the write that makes the change (the same
 * transaction): the change and its entry commit together or not at all.
 * The single audit_head row is updated first, which on PostgreSQL locks it
 * until commit: appends from several nodes form one chain.
 */
#ifndef MOTCUA_AUDIT_H
#define MOTCUA_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"
#include "db/db.h"

#define AUDIT_HASH_LEN 64 /* hex digits */

/*
 * Inside a write: appends an entry. data may be NULL (an empty object); it
 * is not consumed. hash_out (may be NULL) gets the new entry's hash.
 * MC_INVALID when actor, action or subject is empty, too long (200 bytes)
 * or holds control characters.
 */
mc_status audit_append(db_conn *c, const char *actor, const char *action, const char *subject,
		       const json_t *data, char hash_out[AUDIT_HASH_LEN + 1]);

/* The hash of the latest entry about subject, or "" when there is none
 * (out holds AUDIT_HASH_LEN + 1 bytes). */
mc_status audit_latest(db_conn *c, arena *a, const char *subject, char out[AUDIT_HASH_LEN + 1]);

/* One stored entry (strings in the caller's arena). */
struct audit_entry {
	int64_t n;
	const char *at, *actor, *action, *subject, *data, *prev_hash, *hash;
};

/* The entry whose hash is hash (64 lowercase hex digits): MC_INVALID for
 * another shape, MC_NOT_FOUND when no entry has it. */
mc_status audit_get(db_conn *c, arena *a, const char *hash, struct audit_entry *out);

/*
 * Whether an entry about subject may be shown to anyone holding its hash:
 * dossiers ("dossier:"), the schedule ("calendar:") and the catalogue
 * ("procedure:", "catalogue:"). Even then only n, at, action, subject,
 * prev_hash and hash are public; actor and data (account ids, addresses)
 * are not. Entries about accounts are never public.
 */
bool audit_public_subject(const char *subject);

struct audit_report {
	int64_t entries;      /* entries checked */
	int64_t first_broken; /* 0 when the chain is intact */
	char reason[256];     /* why first_broken is broken */
};

/*
 * Recomputes the whole chain in order. MC_OK with first_broken = 0 when it
 * is intact; MC_OK with first_broken and a reason when not; another status
 * when the database could not be read. progress (may be NULL) is called
 * every few thousand entries with the count so far.
 */
mc_status audit_verify(db_conn *c, struct audit_report *out,
		       void (*progress)(void *ud, int64_t done, int64_t total), void *ud);

/* hex(SHA-256) of one entry's fields, as described above. */
void audit_hash(const char *prev_hash, int64_t n, const char *at, const char *actor,
		const char *action, const char *subject, const char *data,
		char out[AUDIT_HASH_LEN + 1]);

#endif
