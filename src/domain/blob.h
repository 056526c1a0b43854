/*
 * blob.h - the content-addressed store of uploaded files (tệp đính kèm).
 *
 * A blob is named by the SHA-256 of its bytes, so the same scan uploaded
 * twice is stored once and a name can never point at other bytes. Its row
 * (table blob: hash, size, mime) is in the database with either backend;
 * the bytes are
 *   - with SQLite: the file DIR/blobs/<first 2 hex>/<64 hex>, written and
 *     fsync'd (file and directory) before the row is committed, so a
 *     committed row never names a missing file;
 *   - with PostgreSQL: blob_chunk rows (base64, at most BLOB_CHUNK raw
 *     bytes each) in the same transaction as the row, so every node of a
 *     cluster can serve every file.
 * Blobs are never under a web root; they go out only through a handler
 * that has checked who may see them. This module knows no HTTP.
 */
#ifndef MOTCUA_BLOB_H
#define MOTCUA_BLOB_H

#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct upload_file;

#define BLOB_CHUNK (1u << 20)

/*
 * On a worker, before the db_write that records the file: with SQLite
 * ("sqlite" as backend, see db_backend_name) links the upload's temporary
 * file into DIR/blobs/ (when that blob is not there yet) and makes it
 * durable; with PostgreSQL does nothing. MC_INVALID for a file that was
 * refused (f->error set); MC_INTERNAL on an I/O error (logged).
 */
mc_status blob_store_prepare(const char *data_dir, const char *backend,
			     const struct upload_file *f);

/*
 * Inside the db_write closure that records the file: inserts the blob row
 * unless that hash is already stored, and with PostgreSQL its chunks (read
 * from f->path here).
 */
mc_status blob_put(db_conn *c, const char *backend, const struct upload_file *f);

/* A blob to send: fd >= 0 (SQLite: an open file, the caller closes it or
 * hands it to http_reply_file) or data (PostgreSQL: the bytes in the
 * arena, their hash checked). */
struct blob_content {
	int fd;
	const char *data;
	uint64_t size;
	const char *mime;
};

/*
 * Finds the blob named hash (64 lowercase hex digits). MC_INVALID for a
 * malformed hash, MC_NOT_FOUND when it is not stored, MC_INTERNAL when the
 * bytes are missing or do not match their hash (logged).
 */
mc_status blob_read(db *d, arena *a, const char *data_dir, const char *hash,
		    struct blob_content *out);

/* True for 64 lowercase hex digits. */
bool blob_hash_valid(const char *hash);

#endif
