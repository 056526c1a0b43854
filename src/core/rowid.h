/*
 * rowid.h - identifiers of new rows (dossiers, their files, outbox
 * messages): 32 lower-case hex digits, time-ordered.
 *
 * The first 12 digits are the milliseconds since 1970 (48 bits, good until
 * the year 10889), the last 20 are random (80 bits from libsodium, drawn
 * in blocks into a per-thread pool). Ids made later sort after earlier
 * ones, so a new row goes to the right-most
 * leaf of its primary-key B-tree and of the indexes that lead with it,
 * instead of a random leaf: fewer pages dirtied per group commit and per
 * checkpoint (bench/submit.sh, docs/performance.md). The random part keeps
 * ids unguessable; access is checked on every read anyway.
 *
 * Thread-safe. Needs sodium_init() (main does it).
 */
#ifndef MOTCUA_CORE_ROWID_H
#define MOTCUA_CORE_ROWID_H

#define ROWID_LEN 32

/* Writes a new id and its terminating NUL into out. */
void rowid_new(char out[ROWID_LEN + 1]);

#endif
