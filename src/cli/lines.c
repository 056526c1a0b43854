/* lines.c - a growing window over the input, compacted as lines are used. */
#include "cli/lines.h"

#include <string.h>

int lines_next(void *ud, const char **line, size_t *len)
{
	struct line_reader *lr = ud;
	for (;;) {
		char *start = lr->data.data ? lr->data.data + lr->off : NULL;
		size_t avail = lr->data.len - lr->off;
		char *nl = start ? memchr(start, '\n', avail) : NULL;
		if (nl || (lr->eof && avail && lr->lenient_end)) {
			*line = start;
			*len = nl ? (size_t)(nl - start) : avail;
			lr->off += *len + (nl ? 1 : 0);
			crypto_hash_sha256_update(&lr->sha, (unsigned char *)start,
						  *len + (nl ? 1 : 0));
			if (lr->lines++ > 0 && lr->pr)
				progress_add(lr->pr, 1);
			return 1;
		}
		if (lr->eof)
			return avail ? -1 : 0; /* a last line without newline: damaged */
		/* Keep the partial line, read more behind it. */
		if (lr->off) {
			memmove(lr->data.data, start, avail);
			lr->data.len = avail;
			lr->off = 0;
		}
		char chunk[65536];
		ssize_t n = lr->ar ? archive_read_data(lr->ar, chunk, sizeof(chunk))
				   : (ssize_t)fread(chunk, 1, sizeof(chunk), lr->f);
		if (n < 0)
			return -1;
		if (n == 0)
			lr->eof = true;
		else if (buf_append(&lr->data, chunk, (size_t)n) < 0)
			return -1;
	}
}
