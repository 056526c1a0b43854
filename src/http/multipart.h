/*
 * multipart.h - a streaming multipart/form-data parser (RFC 7578, RFC 2046).
 *
 * Bytes arrive in chunks of any size, split anywhere, and are handed on as
 * they come: the parser keeps no part body in memory, only a part's header
 * block (bounded) and the few bytes that might be the start of a boundary.
 * It knows nothing about files, limits or HTTP; upload.c builds on it. It
 * must never read or write outside the chunk it is given, whatever the
 * bytes, which the fuzz target fuzz/fuzz_multipart.c checks.
 */
#ifndef MOTCUA_MULTIPART_H
#define MOTCUA_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MP_BOUNDARY_MAX 70    /* RFC 2046 5.1.1 */
#define MP_HEADERS_MAX	8192  /* one part's header block */
#define MP_NAME_MAX	1024  /* a decoded name or filename parameter */
#define MP_PARTS_MAX	1000  /* parts in one body */
#define MP_OUT_BUF	16384 /* data handed on in runs of at most this */

/*
 * Called for each part. filename is NULL for a plain field and the raw
 * (unsanitised) filename parameter for a file part; content_type may be
 * NULL. A callback returns 0 to go on, anything else to stop the parser,
 * which then returns that value from mp_feed.
 */
struct mp_callbacks {
	int (*part_begin)(void *ud, const char *name, const char *filename,
			  const char *content_type);
	int (*part_data)(void *ud, const char *p, size_t n);
	int (*part_end)(void *ud);
};

enum mp_state {
	MP_PREAMBLE,
	MP_AFTER_DELIM,
	MP_DASH2,
	MP_PAD_LF,
	MP_HEADERS,
	MP_BODY,
	MP_DONE,
	MP_ERROR
};

typedef struct mp_parser {
	enum mp_state state;
	const struct mp_callbacks *cb;
	void *ud;
	char delim[MP_BOUNDARY_MAX + 5]; /* "\r\n--" boundary */
	size_t dlen;
	size_t match; /* bytes of delim matched so far */
	char hdr[MP_HEADERS_MAX];
	size_t hlen;
	char out[MP_OUT_BUF];
	size_t olen;
	unsigned parts;
	int rc; /* the sticky error: -1 malformed, or a callback's value */
} mp_parser;

/*
 * Extracts the boundary parameter of a Content-Type header into out (at
 * least MP_BOUNDARY_MAX + 1 bytes). Returns 0, or -1 when the type is not
 * multipart/form-data or the boundary is missing or not RFC 2046 shaped.
 */
int mp_boundary(const char *content_type, char *out, size_t outlen);

/* Starts a parser for boundary (as mp_boundary returned it). */
void mp_init(mp_parser *p, const char *boundary, const struct mp_callbacks *cb, void *ud);

/*
 * Feeds the next n bytes. Returns 0, -1 when the body is not valid
 * multipart, or a callback's non-zero value; after an error every later call
 * returns the same value without looking at the bytes.
 */
int mp_feed(mp_parser *p, const char *data, size_t n);

/* The body has ended: 0 when the closing boundary was seen, else -1 (or
 * the earlier error). */
int mp_finish(mp_parser *p);

#endif
