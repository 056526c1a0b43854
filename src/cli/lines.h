/*
 * lines.h - reading a stream line by line for the commands that load files
 * (restore, migrate, import): from a libarchive entry or a FILE, lines of
 * any length (up to 1 GiB), hashed (SHA-256 of every byte read, newlines
 * included) and counted as they go.
 */
#ifndef MOTCUA_LINES_H
#define MOTCUA_LINES_H

#include <archive.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/progress.h"

struct line_reader {
	struct archive *ar; /* NULL: read from f */
	FILE *f;
	buf data; /* BUF_INIT(the longest line allowed) */
	size_t off;
	bool eof;
	bool lenient_end;	      /* accept a last line without its newline */
	crypto_hash_sha256_state sha; /* crypto_hash_sha256_init before use */
	int64_t lines;
	struct progress *pr; /* counts lines after the first, or NULL */
};

/* The next line without its newline (valid until the next call); returns 1,
 * 0 at the end, -1 on a read error, a line over the limit, or (unless
 * lenient_end) a last line without newline. Matches db_next_line_fn. */
int lines_next(void *reader, const char **line, size_t *len);

#endif
