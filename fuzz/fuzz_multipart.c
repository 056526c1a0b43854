/*
 * fuzz_multipart.c - libFuzzer target for the streaming multipart parser
 * (http/multipart.c) and the filename cleaner (upload_safe_name in
 * http/upload.c), the code that reads what a client uploads.
 *
 * Input: byte 0 picks the boundary, byte 1 where the body is cut in two,
 * the rest is the body. The body is parsed three ways: whole, cut in two,
 * and one byte at a time; the parts, their bytes and the verdict must be
 * the same each time (a difference is a finding, like a crash). Part data
 * must never contain the delimiter, names must fit their bounds, and every
 * filename seen goes through upload_safe_name, whose result is checked:
 * valid UTF-8, NFC, at most 200 bytes, never empty, no '/', '\', ':',
 * control character or "..". The body also goes through the upload
 * module (upload_feed) with small limits: failures leave no file behind,
 * and no temporary file outlives the request. It keeps no state between
 * inputs but its temporary directory.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/parse.h"
#include "core/text.h"
#include "http/multipart.h"
#include "http/upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static const char *const boundaries[] = {"b", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
					 "XyZ'()+_,-./:=?", "a b"};

struct run {
	buf log; /* a transcript of the callbacks */
	const char *delim;
	size_t dlen;
	buf part; /* the current part's bytes */
	arena *a;
};

static void check_name(arena *a, const char *raw)
{
	const char *s = upload_safe_name(a, raw);
	size_t n = strlen(s);
	CHECK(n > 0 && n <= 200);
	CHECK(utf8_valid_text(s, n));
	CHECK(!strstr(s, ".."));
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		CHECK(*p >= 0x20 && *p != 0x7f && *p != '/' && *p != '\\' && *p != ':');
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
	CHECK(nfc && strcmp((const char *)nfc, s) == 0);
	free(nfc);
}

static int on_begin(void *ud, const char *name, const char *filename, const char *ctype)
{
	struct run *r = ud;
	CHECK(name && strlen(name) < MP_NAME_MAX);
	CHECK(!filename || strlen(filename) < MP_NAME_MAX);
	CHECK(!ctype || strlen(ctype) < 256);
	buf_printf(&r->log, "B%zu:%s|%zu:%s|%zu:%s\n", strlen(name), name,
		   filename ? strlen(filename) : 0, filename ? filename : "",
		   ctype ? strlen(ctype) : 0, ctype ? ctype : "");
	if (filename)
		check_name(r->a, filename);
	buf_reset(&r->part);
	return 0;
}

static int on_data(void *ud, const char *p, size_t n)
{
	struct run *r = ud;
	CHECK(n > 0 && n <= MP_OUT_BUF);
	buf_append(&r->part, p, n);
	return 0;
}

static int on_end(void *ud)
{
	struct run *r = ud;
	CHECK(!memmem(r->part.data ? r->part.data : "", r->part.len, r->delim, r->dlen));
	buf_printf(&r->log, "D%zu:", r->part.len);
	buf_append(&r->log, r->part.data ? r->part.data : "", r->part.len);
	buf_puts(&r->log, "E\n");
	buf_reset(&r->part);
	return 0;
}

static const struct mp_callbacks cb = {on_begin, on_data, on_end};

/* Parses body with the given cut (step 0: in two at cut; else step bytes
 * at a time) and returns the transcript with the verdict (malloc'd). */
static char *parse(const char *boundary, const char *body, size_t len, size_t cut, size_t step,
		   size_t *outlen)
{
	static mp_parser p;
	struct run r = {0};
	buf_init(&r.log, 64u << 20);
	buf_init(&r.part, 64u << 20);
	char delim[MP_BOUNDARY_MAX + 8] = "\r\n--";
	strncat(delim, boundary, MP_BOUNDARY_MAX);
	r.delim = delim;
	r.dlen = strlen(delim);
	r.a = arena_new(0);
	mp_init(&p, boundary, &cb, &r);
	int rc = 0;
	if (step == 0) {
		rc = mp_feed(&p, body, cut);
		if (rc == 0)
			rc = mp_feed(&p, body + cut, len - cut);
	} else {
		for (size_t i = 0; rc == 0 && i < len; i += step)
			rc = mp_feed(&p, body + i, len - i < step ? len - i : step);
	}
	int fin = mp_finish(&p);
	CHECK(rc == 0 || fin == rc);
	buf_printf(&r.log, "rc=%d fin=%d", rc, fin);
	arena_free(r.a);
	buf_release(&r.part);
	return buf_detach(&r.log, outlen);
}

/* Files left in dir. */
static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/*
 * The same body through the upload module, with small limits so they are
 * reached: every file it reports has its bytes on disk with the size it
 * says, a failed upload reports no file, and once the request's arena is
 * freed the temporary directory is empty again.
 */
static void check_upload(const char *boundary, const char *body, size_t len, size_t cut)
{
	static char dir[64];
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/fuzz_multipart.XXXXXX");
		CHECK(mkdtemp(dir));
	}
	char ct[128];
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"%s\"", boundary);
	arena *a = arena_new(0);
	upload *u = upload_new(a, ct, dir, 64, 2048);
	CHECK(u);
	int rc = upload_feed(u, body, cut);
	if (rc == 0)
		rc = upload_feed(u, body + cut, len - cut);
	if (rc == 0)
		rc = upload_finish(u);
	CHECK((rc == 0) == (upload_failure(u) == UPLOAD_OK));
	if (rc != 0) {
		CHECK(upload_files(u) == NULL);
		CHECK(files_in(dir) == 0); /* removed at once */
	}
	for (const struct upload_file *f = upload_files(u); f; f = f->next) {
		FILE *fp = fopen(f->path, "rb");
		CHECK(fp);
		fseek(fp, 0, SEEK_END);
		CHECK((uint64_t)ftell(fp) == f->size && f->size <= 64);
		fclose(fp);
		CHECK(strlen(f->sha256) == 64 && f->name[0] && f->field[0]);
	}
	arena_free(a);
	CHECK(files_in(dir) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const char *boundary = boundaries[data[0] % (sizeof(boundaries) / sizeof(boundaries[0]))];
	const char *body = (const char *)data + 2;
	size_t len = size - 2;
	size_t cut = len ? (size_t)data[1] * len / 255 : 0;

	size_t n1, n2, n3;
	char *whole = parse(boundary, body, len, len, 0, &n1);
	char *two = parse(boundary, body, len, cut, 0, &n2);
	char *bytes = parse(boundary, body, len, 0, 1, &n3);
	CHECK(n1 == n2 && memcmp(whole, two, n1) == 0);
	CHECK(n1 == n3 && memcmp(whole, bytes, n1) == 0);
	free(whole);
	free(two);
	free(bytes);
	check_upload(boundary, body, len, cut);

	/* The body as a Content-Type value: the boundary extraction. */
	char *ct = malloc(len + 1);
	CHECK(ct);
	memcpy(ct, body, len);
	ct[len] = '\0';
	char b[MP_BOUNDARY_MAX + 1];
	if (mp_boundary(ct, b, sizeof(b)) == 0)
		CHECK(strlen(b) >= 1 && strlen(b) <= MP_BOUNDARY_MAX && b[strlen(b) - 1] != ' ');
	free(ct);
	return 0;
}
