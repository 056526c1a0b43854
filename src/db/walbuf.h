/*
 * walbuf.h - a SQLite VFS for the single writer connection that gathers
 * its appends to the write-ahead log (WAL) into one buffer and writes them
 * with few system calls.
 *
 * SQLite writes each WAL frame as two pwrite calls (the 24-byte frame
 * header, then the 4 KiB page), so a group commit of a batch of
 * submissions was a few thousand system calls on the one serial thread
 * (under bench/submit.sh a quarter of the db-writer thread's time was in
 * pwrite, docs/performance.md). This VFS passes every file through to the
 * default VFS except the WAL, whose consecutive writes are kept in memory
 * (up to WALBUF_BYTES) and written in 124 KiB calls before anything that must see
 * them: a sync, a read, a size or truncate, a write elsewhere in the file,
 * a file control, closing the file.
 *
 * Durability is unchanged because the writer runs with synchronous=FULL:
 * SQLite syncs the WAL at every commit before it publishes the new frames
 * in the WAL index, and the sync writes the buffer first. So readers
 * (other connections, the checkpoint thread) never look for a frame that
 * is still in the buffer. A connection with synchronous below FULL must
 * not use this VFS (its commits would not reach the file).
 *
 * Thread-safety: the VFS is registered once (walbuf_register, idempotent
 * under pthread_once in the caller); each file's buffer belongs to the one
 * connection that opened it.
 */
#ifndef MOTCUA_DB_WALBUF_H
#define MOTCUA_DB_WALBUF_H

#include <stdbool.h>

#define WALBUF_VFS   "motcua-walbuf"
#define WALBUF_BYTES (2u << 20)

/* Registers the VFS named WALBUF_VFS over the default one (not as the
 * default). False when there is no default VFS to wrap. Call once. */
bool walbuf_register(void);

#endif
