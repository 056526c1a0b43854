/*
 * test_upload.c - uploads kept in memory or streamed to temporary files
 * (http/upload.h): small files in memory and larger ones spilled to disk
 * with the bytes held before, files and text fields from a multipart body
 * cut into chunks at every
 * byte, SHA-256 while streaming, limits per file and per request (the
 * failing file named, nothing left on disk), a client that goes away
 * half-way, safe filenames, type by content (PDF, PNG, JPEG, DOCX and XLSX
 * built here as zips, ODT from tests/unit/fixtures/minimal.odt, HTML
 * disguised as PDF; from a file and from memory), and the Content-Disposition
 * of downloads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/request.h"
#include "http/upload.h"

struct fx {
	char dir[PATH_MAX];
	arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_upload.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->a = arena_new(0);
	*state = f;
	return 0;
}

/* Number of files in dir. */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->a)
		arena_free(f->a);
	/* Freeing the arena removed every temporary file. */
	int left = count_files(f->dir);
	rmdir(f->dir);
	free(f);
	return left == 0 ? 0 : -1;
}

#define CT "multipart/form-data; boundary=----b0undary"

static void part_text(buf *b, const char *name, const char *value)
{
	buf_printf(b, "------b0undary\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
		   name, value);
}

static void part_file(buf *b, const char *field, const char *filename, const void *data, size_t len)
{
	buf_printf(b,
		   "------b0undary\r\nContent-Disposition: form-data; name=\"%s\"; "
		   "filename=\"%s\"\r\nContent-Type: application/pdf\r\n\r\n",
		   field, filename);
	buf_append(b, data, len);
	buf_puts(b, "\r\n");
}

static void end(buf *b)
{
	buf_puts(b, "------b0undary--\r\n");
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *p = malloc(1 << 20);
	*len = fread(p, 1, 1 << 20, fp);
	fclose(fp);
	return p;
}

/* The bytes of an uploaded file, wherever they are (free them). */
static char *file_bytes(const struct upload_file *file, size_t *len)
{
	if (file->path)
		return read_all(file->path, len);
	char *p = malloc(file->size + 1);
	memcpy(p, file->data, file->size);
	*len = file->size;
	return p;
}

static void sha_hex(const void *p, size_t n, char out[65])
{
	unsigned char d[32];
	crypto_hash_sha256(d, p, n);
	sodium_bin2hex(out, 65, d, 32);
}

static void test_files_and_fields_every_split(void **state)
{
	struct fx *f = *state;
	const char pdf[] = "%PDF-1.4\r\n\r\n------b0undar\r\n%%EOF\r\n";
	buf body;
	buf_init(&body, 1 << 20);
	part_text(&body, "procedure", "1.001193");
	part_file(&body, "doc_0", "Tờ khai.pdf", pdf, sizeof(pdf) - 1);
	part_file(&body, "doc_1", "", "", 0); /* a file input left empty */
	part_text(&body, "note", "Ninh Bình");
	end(&body);
	char want[65];
	sha_hex(pdf, sizeof(pdf) - 1, want);

	for (size_t cut = 0; cut <= body.len; cut++) {
		arena *a = arena_new(0);
		upload *u = upload_new(a, CT, f->dir, 1 << 20, 1 << 20);
		assert_non_null(u);
		assert_int_equal(upload_feed(u, body.data, cut), 0);
		for (size_t at = cut; at < body.len; at += 7)
			assert_int_equal(upload_feed(u, body.data + at,
						     body.len - at < 7 ? body.len - at : 7),
					 0);
		assert_int_equal(upload_finish(u), 0);
		struct upload_file *file = upload_files(u);
		assert_non_null(file);
		assert_null(file->next);
		assert_string_equal(file->field, "doc_0");
		assert_string_equal(file->name, "Tờ khai.pdf");
		assert_int_equal(file->size, sizeof(pdf) - 1);
		assert_string_equal(file->sha256, want);
		assert_null(file->path); /* small: in memory */
		assert_non_null(file->data);
		size_t len;
		char *got = file_bytes(file, &len);
		assert_non_null(got);
		assert_int_equal(len, sizeof(pdf) - 1);
		assert_memory_equal(got, pdf, len);
		free(got);
		struct form_field *fld = upload_fields(u);
		assert_string_equal(fld->name, "procedure");
		assert_string_equal(fld->value, "1.001193");
		assert_string_equal(fld->next->name, "note");
		assert_string_equal(fld->next->value, "Ninh Bình");
		assert_null(fld->next->next);
		upload_classify(u);
		assert_string_equal(file->mime, "application/pdf");
		assert_null(file->error);
		arena_free(a);
		assert_int_equal(count_files(f->dir), 0);
	}
	buf_release(&body);
}

/* An empty filename with bytes after it is still a file (named "tep");
 * without bytes it is an unchosen input and no file at all. */
static void test_empty_filename(void **state)
{
	struct fx *f = *state;
	buf body;
	buf_init(&body, 1 << 20);
	part_file(&body, "doc_0", "", "%PDF-1.4 x", 10);
	part_file(&body, "doc_1", "", "", 0);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	assert_int_equal(upload_feed(u, body.data, body.len), 0);
	assert_int_equal(upload_finish(u), 0);
	struct upload_file *file = upload_files(u);
	assert_non_null(file);
	assert_string_equal(file->field, "doc_0");
	assert_string_equal(file->name, "tep");
	assert_int_equal(file->size, 10);
	assert_null(file->next);
	buf_release(&body);
}

static void test_file_too_large(void **state)
{
	struct fx *f = *state;
	char *data = calloc(1, 5000);
	buf body;
	buf_init(&body, 1 << 20);
	part_file(&body, "doc_0", "nhỏ.pdf", data, 4096); /* exactly at the limit: fine */
	part_file(&body, "doc_1", "abc.pdf", data, 4097);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 4096, 1 << 20);
	int rc = 0;
	for (size_t at = 0; rc == 0 && at < body.len; at += 1000)
		rc = upload_feed(u, body.data + at, body.len - at < 1000 ? body.len - at : 1000);
	assert_int_equal(rc, -1);
	assert_int_equal(upload_failure(u), UPLOAD_FILE_TOO_LARGE);
	assert_string_equal(upload_failed_file(u), "abc.pdf");
	assert_null(upload_files(u));
	assert_int_equal(count_files(f->dir), 0); /* removed at once, not at the end */
	assert_int_equal(upload_feed(u, "more", 4), -1);
	assert_int_equal(upload_finish(u), -1);
	free(data);
	buf_release(&body);
}

static void test_request_too_large(void **state)
{
	struct fx *f = *state;
	char *data = calloc(1, 3000);
	buf body;
	buf_init(&body, 1 << 20);
	part_file(&body, "doc_0", "a.pdf", data, 3000);
	part_file(&body, "doc_1", "b.pdf", data, 3000);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 5000);
	assert_int_equal(upload_feed(u, body.data, body.len), -1);
	assert_int_equal(upload_failure(u), UPLOAD_TOO_LARGE);
	assert_string_equal(upload_failed_file(u), "b.pdf");
	assert_int_equal(count_files(f->dir), 0);
	free(data);
	buf_release(&body);
}

static void test_field_too_large(void **state)
{
	struct fx *f = *state;
	char *big = malloc(UPLOAD_FIELD_MAX + 2);
	memset(big, 'x', UPLOAD_FIELD_MAX + 1);
	big[UPLOAD_FIELD_MAX + 1] = '\0';
	buf body;
	buf_init(&body, 1 << 20);
	part_text(&body, "note", big);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	assert_int_equal(upload_feed(u, body.data, body.len), -1);
	assert_int_equal(upload_failure(u), UPLOAD_FIELD_TOO_LARGE);
	assert_null(upload_failed_file(u));
	free(big);
	buf_release(&body);
}

/* The client goes away half-way: freeing the request removes the file. A
 * small one was never on disk. */
static void test_disconnect(void **state)
{
	struct fx *f = *state;
	size_t big_n = UPLOAD_MEM_MAX + 100;
	char *big = calloc(1, big_n);
	memcpy(big, "%PDF-1.4 half", 13);
	buf body;
	buf_init(&body, 1 << 20);
	part_file(&body, "doc_0", "a.pdf", "%PDF-1.4 small", 14);
	part_file(&body, "doc_1", "b.pdf", big, big_n);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	size_t first = strstr(body.data, "small") - body.data + 5;
	assert_int_equal(upload_feed(u, body.data, first), 0);
	assert_int_equal(count_files(f->dir), 0);
	assert_int_equal(upload_feed(u, body.data + first, body.len - 5 - first), 0);
	assert_int_equal(count_files(f->dir), 1);
	arena_free(f->a);
	f->a = NULL;
	assert_int_equal(count_files(f->dir), 0);
	free(big);
	buf_release(&body);
}

/* A file of UPLOAD_MEM_MAX bytes stays in memory; one byte more goes to a
 * temporary file that starts with the bytes held so far. Both hash and
 * classify alike. */
/* Past UPLOAD_MEM_TOTAL for the request, further parts go to disk. */
static void test_memory_total(void **state)
{
	struct fx *f = *state;
	char *data = calloc(1, UPLOAD_MEM_MAX);
	memcpy(data, "%PDF-1.4\n", 9);
	size_t nfiles = UPLOAD_MEM_TOTAL / UPLOAD_MEM_MAX + 2;
	buf body;
	buf_init(&body, 4u << 20);
	for (size_t i = 0; i < nfiles; i++)
		part_file(&body, "doc_0", "a.pdf", data, UPLOAD_MEM_MAX);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 4u << 20);
	assert_int_equal(upload_feed(u, body.data, body.len), 0);
	assert_int_equal(upload_finish(u), 0);
	size_t in_memory = 0, on_disk = 0;
	for (const struct upload_file *file = upload_files(u); file; file = file->next) {
		in_memory += file->path == NULL;
		on_disk += file->path != NULL;
	}
	assert_int_equal(in_memory, UPLOAD_MEM_TOTAL / UPLOAD_MEM_MAX);
	assert_int_equal(on_disk, 2);
	assert_int_equal(count_files(f->dir), 2);
	free(data);
	buf_release(&body);
}

static void test_memory_limit(void **state)
{
	struct fx *f = *state;
	size_t n = UPLOAD_MEM_MAX + 1;
	char *data = malloc(n);
	memcpy(data, "%PDF-1.4\n", 9);
	for (size_t i = 9; i < n; i++)
		data[i] = (char)('a' + i % 23);
	buf body;
	buf_init(&body, 1 << 20);
	part_file(&body, "doc_0", "vừa.pdf", data, n - 1);
	part_file(&body, "doc_1", "lớn.pdf", data, n);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	for (size_t at = 0; at < body.len; at += 1000)
		assert_int_equal(
			upload_feed(u, body.data + at, body.len - at < 1000 ? body.len - at : 1000),
			0);
	assert_int_equal(upload_finish(u), 0);
	assert_int_equal(count_files(f->dir), 1);
	upload_classify(u);
	const struct upload_file *file = upload_files(u);
	for (size_t k = 0; k < 2; k++, file = file->next) {
		assert_non_null(file);
		size_t want_n = n - 1 + k;
		if (k == 0) {
			assert_null(file->path);
		} else {
			assert_non_null(file->path);
		}
		char want[65];
		sha_hex(data, want_n, want);
		assert_string_equal(file->sha256, want);
		size_t len;
		char *got = file_bytes(file, &len);
		assert_int_equal(len, want_n);
		assert_memory_equal(got, data, want_n);
		free(got);
		assert_string_equal(file->mime, "application/pdf");
		assert_null(file->error);
	}
	free(data);
	buf_release(&body);
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	assert_null(upload_new(f->a, "application/x-www-form-urlencoded", f->dir, 1, 1));
	assert_null(upload_new(f->a, "multipart/form-data", f->dir, 1, 1));
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	const char *cut = "------b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx";
	assert_int_equal(upload_feed(u, cut, strlen(cut)), 0);
	assert_int_equal(upload_finish(u), -1);
	assert_int_equal(upload_failure(u), UPLOAD_MALFORMED);
	/* A field name that is not UTF-8 */
	u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	const char *bad = "------b0undary\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\n";
	assert_int_equal(upload_feed(u, bad, strlen(bad)), -1);
	assert_int_equal(upload_failure(u), UPLOAD_MALFORMED);
}

static void test_safe_name(void **state)
{
	struct fx *f = *state;
	arena *a = f->a;
	assert_string_equal(upload_safe_name(a, "../../etc/passwd"), "passwd");
	assert_string_equal(upload_safe_name(a, "C:\\Users\\An\\giấy tờ.pdf"), "giấy tờ.pdf");
	assert_string_equal(upload_safe_name(a, "a\x01\x1f\x7f"
						"b:c.pdf"),
			    "abc.pdf");
	assert_string_equal(upload_safe_name(a, "..."), "tep");
	assert_string_equal(upload_safe_name(a, ""), "tep");
	assert_string_equal(upload_safe_name(a, NULL), "tep");
	assert_string_equal(upload_safe_name(a, "/"), "tep");
	assert_string_equal(upload_safe_name(a, "a..b...pdf"), "a.b.pdf");
	assert_string_equal(upload_safe_name(a, " .hidden. "), "hidden");
	assert_string_equal(upload_safe_name(a, "x\xff"
						"y.pdf"),
			    "x_y.pdf");
	/* NFD in, NFC out: "ế" as e + U+0302 + U+0301. */
	assert_string_equal(upload_safe_name(a, "Ke\xcc\x82\xcc\x81t qua\xcc\x89.pdf"),
			    "Kết quả.pdf");
	/* Right-to-left override hiding ".exe" */
	assert_string_equal(upload_safe_name(a, "a\xe2\x80\xaegpj.exe"), "agpj.exe");
	/* Long names: at most 200 bytes, the extension kept, UTF-8 whole. */
	char longname[1024] = "";
	for (int i = 0; i < 150; i++)
		strncat(longname, "ệ", sizeof(longname) - strlen(longname) - 1);
	strncat(longname, ".docx", sizeof(longname) - strlen(longname) - 1);
	const char *s = upload_safe_name(a, longname);
	assert_true(strlen(s) <= 200);
	assert_int_equal(strcmp(s + strlen(s) - 5, ".docx"), 0);
	assert_int_equal(strlen(s) - 5, 195); /* 65 whole "ệ" of 3 bytes */
	/* A cut that would put two dots together (found by fuzz_multipart). */
	char dots[300];
	memset(dots, 'a', 195);
	dots[195] = '.';
	memset(dots + 196, 'x', 20);
	memcpy(dots + 216, ".pdf", 5);
	s = upload_safe_name(a, dots);
	assert_int_equal(strlen(s), 199);
	assert_null(strstr(s, ".."));
	assert_string_equal(s + 195, ".pdf");
}

/* Writes a file into dir and returns its path (in a). */
static const char *write_file(arena *a, const char *dir, const char *name, const void *p, size_t n)
{
	const char *path = arena_printf(a, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	fclose(fp);
	return path;
}

/* A zip of the named entries (each with a little XML), as OOXML writers
 * other than Office lay it out: the content types last. */
static const char *write_zip(arena *a, const char *dir, const char *name,
			     const char *const *entries)
{
	const char *path = arena_printf(a, "%s/%s", dir, name);
	struct archive *ar = archive_write_new();
	archive_write_set_format_zip(ar);
	assert_int_equal(archive_write_open_filename(ar, path), ARCHIVE_OK);
	for (const char *const *e = entries; *e; e++) {
		const char xml[] = "<?xml version=\"1.0\"?><x/>";
		struct archive_entry *en = archive_entry_new();
		archive_entry_set_pathname(en, *e);
		archive_entry_set_size(en, sizeof(xml) - 1);
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0644);
		archive_write_header(ar, en);
		archive_write_data(ar, xml, sizeof(xml) - 1);
		archive_entry_free(en);
	}
	archive_write_close(ar);
	archive_write_free(ar);
	return path;
}

static void test_detect(void **state)
{
	struct fx *f = *state;
	arena *a = f->a;
	bool ok;
	const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
	const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,	0, 0, 13,
				     'I',  'H', 'D', 'R', 0,	0,    0,    1,	  0,	0, 0, 1,
				     8,	   6,	0,   0,	  0,	0x1f, 0x15, 0xc4, 0x89, 0, 0, 0,
				     0,	   'I', 'E', 'N', 'D',	0xae, 0x42, 0x60, 0x82};
	const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F',  0,
				      1,    1,	  0,	0,    1, 0,    1,   0,	 0,   0xff, 0xd9};
	const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";

	assert_string_equal(
		upload_detect(a, write_file(a, f->dir, "a.bin", pdf, sizeof(pdf) - 1), &ok),
		"application/pdf");
	assert_true(ok);
	assert_string_equal(upload_detect(a, write_file(a, f->dir, "b.bin", png, sizeof(png)), &ok),
			    "image/png");
	assert_true(ok);
	assert_string_equal(
		upload_detect(a, write_file(a, f->dir, "c.bin", jpeg, sizeof(jpeg)), &ok),
		"image/jpeg");
	assert_true(ok);
	assert_string_equal(
		upload_detect(a, write_file(a, f->dir, "d.pdf", html, sizeof(html) - 1), &ok),
		"text/html");
	assert_false(ok);

	const char *docx[] = {"word/document.xml", "_rels/.rels", "[Content_Types].xml", NULL};
	assert_string_equal(
		upload_detect(a, write_zip(a, f->dir, "e.bin", docx), &ok),
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_true(ok);
	const char *xlsx[] = {"[Content_Types].xml", "xl/workbook.xml", NULL};
	assert_string_equal(upload_detect(a, write_zip(a, f->dir, "f.bin", xlsx), &ok),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_true(ok);
	/* A zip that only claims to be a document by its name is a zip. */
	const char *plain[] = {"word/document.xml", "notes.txt", NULL};
	assert_string_equal(upload_detect(a, write_zip(a, f->dir, "g.docx", plain), &ok),
			    "application/zip");
	assert_false(ok);
	/* ODT: a fixture written the way office suites do ("mimetype" first,
	 * stored), which is what libmagic looks for. */
	assert_string_equal(upload_detect(a, "tests/unit/fixtures/minimal.odt", &ok),
			    "application/vnd.oasis.opendocument.text");
	assert_true(ok);

	/* The same from memory (uploads up to UPLOAD_MEM_MAX). */
	assert_string_equal(upload_detect_buffer(a, pdf, sizeof(pdf) - 1, &ok), "application/pdf");
	assert_true(ok);
	assert_string_equal(upload_detect_buffer(a, html, sizeof(html) - 1, &ok), "text/html");
	assert_false(ok);
	size_t zlen;
	char *zip = read_all(write_zip(a, f->dir, "h.bin", xlsx), &zlen);
	assert_string_equal(upload_detect_buffer(a, zip, zlen, &ok),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_true(ok);
	free(zip);
	zip = read_all(write_zip(a, f->dir, "i.bin", plain), &zlen);
	assert_string_equal(upload_detect_buffer(a, zip, zlen, &ok), "application/zip");
	assert_false(ok);
	free(zip);
	for (char c = 'a'; c <= 'i'; c++) {
		char p[PATH_MAX + 16];
		snprintf(p, sizeof(p), "%s/%c.bin", f->dir, c);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%c.pdf", f->dir, c);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%c.docx", f->dir, c);
		unlink(p);
	}
}

static void test_classify_empty(void **state)
{
	struct fx *f = *state;
	buf body;
	buf_init(&body, 1 << 20);
	part_file(&body, "doc_0", "trống.pdf", "", 0);
	part_file(&body, "doc_1", "trang.pdf", "<html>not a pdf</html>", 22);
	end(&body);
	upload *u = upload_new(f->a, CT, f->dir, 1 << 20, 1 << 20);
	assert_int_equal(upload_feed(u, body.data, body.len), 0);
	assert_int_equal(upload_finish(u), 0);
	upload_classify(u);
	struct upload_file *file = upload_files(u);
	assert_string_equal(file->error, "upload.empty");
	assert_string_equal(file->sha256,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(file->next->error, "upload.type");
	assert_string_equal(file->next->mime, "text/html");
	buf_release(&body);
}

/* At start-up, files a crash left behind go; one that may belong to a
 * request of another server on the same directory stays; others are
 * never touched. */
static void test_clean_tmp(void **state)
{
	struct fx *f = *state;
	char old_file[PATH_MAX + 16], new_file[PATH_MAX + 16], other[PATH_MAX + 16];
	snprintf(old_file, sizeof(old_file), "%s/up-old", f->dir);
	snprintf(new_file, sizeof(new_file), "%s/up-new", f->dir);
	snprintf(other, sizeof(other), "%s/keep-me", f->dir);
	write_file(f->a, f->dir, "up-old", "x", 1);
	write_file(f->a, f->dir, "up-new", "x", 1);
	write_file(f->a, f->dir, "keep-me", "x", 1);
	struct utimbuf t = {time(NULL) - 7200, time(NULL) - 7200};
	assert_int_equal(utime(old_file, &t), 0);
	assert_int_equal(utime(other, &t), 0);
	upload_clean_tmp(f->dir);
	assert_int_not_equal(access(old_file, F_OK), 0);
	assert_int_equal(access(new_file, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	unlink(new_file);
	unlink(other);
}

static void test_content_disposition(void **state)
{
	struct fx *f = *state;
	assert_string_equal(http_content_disposition(f->a, "report.pdf"),
			    "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
	assert_string_equal(http_content_disposition(f->a, "Tờ khai \"A\" 100%.pdf"),
			    "attachment; filename=\"T_ khai _A_ 100_.pdf\"; "
			    "filename*=UTF-8''T%E1%BB%9D%20khai%20%22A%22%20100%25.pdf");
	assert_string_equal(http_content_disposition(f->a, "ờ"),
			    "attachment; filename=\"_\"; filename*=UTF-8''%E1%BB%9D");
	assert_string_equal(http_content_disposition(f->a, ""),
			    "attachment; filename=\"tep\"; filename*=UTF-8''");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_files_and_fields_every_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_filename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_safe_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_tmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_content_disposition, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
