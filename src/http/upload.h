/*
 * upload.h - files sent with multipart/form-data, streamed to disk.
 *
 * Routes flagged RT_UPLOAD never hold a large body in memory: the server
 * feeds each chunk, on the I/O thread, through the multipart parser
 * (multipart.h) into this module, which keeps a file part of at most
 * UPLOAD_MEM_MAX bytes in memory (the request arena) and writes a larger
 * one to a temporary file under DIR/tmp/ (O_EXCL, mode 0600, no fsync;
 * the bytes held so far go there first once the part grows past the
 * limit). It hashes the file parts with
 * SHA-256 as they pass and keeps small text fields in memory for the usual
 * form getters. Limits are checked while the bytes arrive: per file
 * (upload_max_file) and per request (the route's limit). On a worker,
 * before the handler, each file's type is decided by its content with
 * libmagic, never by its name or the type the client declared.
 *
 * Temporary files are removed when the request completes, however it ends
 * (a reply, an error, a client that disconnects half-way). To keep a file,
 * blob_store_prepare (domain/blob.h) links it into the blob store first.
 */
#ifndef MOTCUA_UPLOAD_H
#define MOTCUA_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "http/form.h"

struct http_req;

struct upload_file {
	const char *field;	   /* form field name of the part, e.g. "doc_0" */
	const char *name;	   /* the client's filename made safe (upload_safe_name) */
	const char *path;	   /* temporary file holding the bytes, or NULL: */
	const unsigned char *data; /* the bytes in memory (size <= UPLOAD_MEM_MAX) */
	uint64_t size;
	char sha256[65];   /* hex, computed while streaming */
	const char *mime;  /* decided by content (libmagic), never by name */
	const char *error; /* NULL, or an i18n key: "upload.type", "upload.empty" */
	struct upload_file *next;
};

/* The files of an RT_UPLOAD request, in field order (NULL: none, or not an
 * upload route). */
const struct upload_file *http_upload_files(struct http_req *r);

/* ---- used by the server (and the tests) ---- */

typedef struct upload upload;

/* Why streaming stopped; see upload_failure. */
enum upload_failure {
	UPLOAD_OK,
	UPLOAD_MALFORMED,	/* not valid multipart: 400 */
	UPLOAD_FILE_TOO_LARGE,	/* one file over the per-file limit: 413 */
	UPLOAD_TOO_LARGE,	/* the whole request over its limit: 413 */
	UPLOAD_FIELD_TOO_LARGE, /* a text field over UPLOAD_FIELD_MAX: 413 */
	UPLOAD_IO,		/* the temporary file could not be written: 500 */
};

#define UPLOAD_FIELD_MAX  (64u * 1024) /* one text field */
#define UPLOAD_FIELDS_MAX (1u << 20)   /* all text fields together */
/* A file part up to this size stays in memory: no temporary file (an inode
 * created and removed per upload costs more than the bytes). */
#define UPLOAD_MEM_MAX (64u * 1024)
/* ...as long as the request's files in memory stay within this; later
 * parts go to temporary files. */
#define UPLOAD_MEM_TOTAL (1u << 20)

/*
 * Starts an upload for a body with this Content-Type into tmp_dir (which
 * must exist). Returns NULL when the type is not multipart/form-data with a
 * valid boundary. Everything lives in a; an arena cleanup closes and
 * removes the temporary files.
 */
upload *upload_new(arena *a, const char *content_type, const char *tmp_dir, uint64_t max_file,
		   uint64_t max_total);

/* Feeds the next body bytes. Returns 0, or -1 once streaming has failed
 * (see upload_failure); then every temporary file is already removed and
 * later bytes are ignored. */
int upload_feed(upload *u, const char *data, size_t n);

/* The body has ended; -1 when it was cut short (UPLOAD_MALFORMED). */
int upload_finish(upload *u);

enum upload_failure upload_failure(const upload *u);

/* The (safe) name of the file being received when streaming failed, or
 * NULL when no file was. */
const char *upload_failed_file(const upload *u);

/* The files received, in order, and the text fields (form.h list). */
struct upload_file *upload_files(const upload *u);
struct form_field *upload_fields(const upload *u);

/*
 * Decides each file's type with libmagic (one handle per thread) and sets
 * mime and error. Runs on a worker thread: it reads the files.
 */
void upload_classify(upload *u);

/* The type of the file at path by content, and whether it is allowed:
 * returns the MIME type (in a) and sets *allowed. Exposed for tests. */
const char *upload_detect(arena *a, const char *path, bool *allowed);

/* The same for bytes in memory (magic_buffer). */
const char *upload_detect_buffer(arena *a, const void *data, size_t size, bool *allowed);

/*
 * The client's filename made safe to store and to show: the last path
 * component only, without control characters, '/', '\', ':' or "..",
 * invalid UTF-8 replaced, NFC, trimmed, at most 200 bytes (the extension
 * kept), never empty ("tep" when nothing is left).
 */
const char *upload_safe_name(arena *a, const char *raw);

/* Removes temporary files left in tmp_dir by a crash (at start-up): those
 * older than an hour, as a request never lives that long. */
void upload_clean_tmp(const char *tmp_dir);

#endif
