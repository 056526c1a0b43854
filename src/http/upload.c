/*
 * upload.c - multipart/form-data bodies: small files in memory, larger ones
 * streamed to temporary files (see upload.h): limits, hashing, safe
 * filenames, type by content.
 *
 * Runs on the I/O thread while the body arrives, so it only does what is
 * cheap there: copy to memory or write() to the page cache (no fsync) and
 * hash. Reading the bytes again (libmagic, the zip check) happens on a
 * worker.
 */
#include "http/upload.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "http/multipart.h"
#include "http/request.h"

#define NAME_MAX_BYTES 200
#define TMP_PREFIX     "up-"

struct upload {
	arena *a;
	mp_parser mp;
	const char *tmp_dir;
	uint64_t max_file, max_total, total, text_total;
	uint64_t mem_total; /* bytes of finished files held in memory */
	struct upload_file *files, **ftail;
	struct upload_file *cur; /* the file part being received */
	const char *skip;	 /* field of a file part with an empty filename, no bytes yet */
	struct form_field *fields, **fldtail;
	struct form_field *curfield; /* the text part being received */
	buf text;
	buf mem; /* the current file part while it is at most UPLOAD_MEM_MAX */
	int fd;
	crypto_hash_sha256_state h;
	enum upload_failure failure;
	const char *failed_file;
};

/* ---- safe names ---- */

/* Collapses runs of dots (no "..") and trims dots and spaces from both
 * ends, in place; returns the new length. */
static size_t tidy_dots(char *s)
{
	size_t o = 0;
	for (size_t k = 0; s[k]; k++) {
		if (s[k] == '.' && o && s[o - 1] == '.')
			continue;
		s[o++] = s[k];
	}
	s[o] = '\0';
	size_t start = 0;
	while (start < o && (s[start] == '.' || s[start] == ' '))
		start++;
	while (o > start && (s[o - 1] == '.' || s[o - 1] == ' '))
		o--;
	memmove(s, s + start, o - start);
	s[o - start] = '\0';
	return o - start;
}

const char *upload_safe_name(arena *a, const char *raw)
{
	const char *base = raw ? raw : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t len = strlen(base);
	buf b;
	buf_init(&b, len * 3 + 8);
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)base;
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			buf_putc(&b, '_'); /* a byte that is not UTF-8 */
			i++;
			continue;
		}
		bool drop = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == ':' || cp == 0x2028 ||
			    cp == 0x2029 || cp == 0xfeff || (cp >= 0x202a && cp <= 0x202e) ||
			    (cp >= 0x2066 && cp <= 0x2069); /* bidi overrides disguise extensions */
		if (!drop)
			buf_append(&b, s + i, (size_t)n);
		i += (size_t)n;
	}
	const char *clean = NULL;
	if (text_clean(a, b.data ? b.data : "", b.len, 0, SIZE_MAX, &clean) != TEXT_OK)
		clean = "";
	buf_release(&b);

	char *name = arena_strdup(a, clean);
	size_t nlen = tidy_dots(name);
	if (nlen > NAME_MAX_BYTES) {
		/* Keep a short extension; cut the stem on a character boundary. */
		const char *dot = strrchr(name, '.');
		size_t ext =
			dot && (size_t)(name + nlen - dot) <= 16 ? (size_t)(name + nlen - dot) : 0;
		size_t stem = NAME_MAX_BYTES - ext;
		while (stem && ((unsigned char)name[stem] & 0xc0) == 0x80)
			stem--;
		memmove(name + stem, name + nlen - ext, ext + 1);
		nlen = tidy_dots(name); /* the cut may have put two dots together */
	}
	return nlen ? name : "tep";
}

/* ---- streaming ---- */

static void remove_files(upload *u)
{
	if (u->fd >= 0) {
		close(u->fd);
		u->fd = -1;
	}
	if (u->cur && u->cur->path) {
		unlink(u->cur->path);
		u->cur->path = NULL;
	}
	for (struct upload_file *f = u->files; f; f = f->next) {
		if (f->path)
			unlink(f->path);
	}
}

static void upload_cleanup(void *p)
{
	upload *u = p;
	remove_files(u);
	buf_release(&u->text);
	buf_release(&u->mem);
}

static int stop(upload *u, enum upload_failure why)
{
	if (u->failure == UPLOAD_OK) {
		u->failure = why;
		if (u->cur && !u->failed_file)
			u->failed_file = u->cur->name;
	}
	return 1;
}

/* Starts receiving a file part, in memory at first. */
static int start_file(upload *u, const char *field, const char *filename)
{
	struct upload_file *f = arena_zalloc(u->a, sizeof(*f));
	f->field = field;
	f->name = upload_safe_name(u->a, filename);
	u->cur = f;
	buf_reset(&u->mem);
	crypto_hash_sha256_init(&u->h);
	return 0;
}

static int write_all(upload *u, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(u->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("upload: cannot write %s: %s", u->cur->path, strerror(errno));
			return stop(u, UPLOAD_IO);
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The part has grown past UPLOAD_MEM_MAX: into a new temporary file, with
 * the bytes held so far. */
static int spill(upload *u)
{
	struct upload_file *f = u->cur;
	unsigned char rnd[16];
	char hex[33];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	f->path = arena_printf(u->a, "%s/" TMP_PREFIX "%s", u->tmp_dir, hex);
	u->fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (u->fd < 0) {
		log_error("upload: cannot create %s: %s", f->path, strerror(errno));
		f->path = NULL;
		return stop(u, UPLOAD_IO);
	}
	int rc = write_all(u, u->mem.data ? u->mem.data : "", u->mem.len);
	buf_reset(&u->mem);
	return rc;
}

static int on_begin(void *ud, const char *name, const char *filename, const char *ctype)
{
	upload *u = ud;
	(void)ctype; /* the declared type is never trusted */
	const char *field;
	if (text_clean(u->a, name, strlen(name), 1, 200, &field) != TEXT_OK)
		return stop(u, UPLOAD_MALFORMED);
	u->skip = NULL;
	if (filename && !*filename) {
		/* A file input left empty: browsers send filename="" and no
		 * bytes. The file is made only if bytes come after all. */
		u->skip = field;
		return 0;
	}
	if (filename)
		return start_file(u, field, filename);
	u->curfield = arena_zalloc(u->a, sizeof(*u->curfield));
	u->curfield->name = field;
	buf_reset(&u->text);
	return 0;
}

static int on_data(void *ud, const char *p, size_t n)
{
	upload *u = ud;
	if (u->skip) {
		/* Bytes under an empty filename: a file after all, named "tep". */
		const char *field = u->skip;
		u->skip = NULL;
		if (start_file(u, field, ""))
			return 1;
	}
	if (u->cur) {
		u->cur->size += n;
		if (u->cur->size > u->max_file)
			return stop(u, UPLOAD_FILE_TOO_LARGE);
		crypto_hash_sha256_update(&u->h, (const unsigned char *)p, n);
		if (u->fd < 0 && u->cur->size <= UPLOAD_MEM_MAX &&
		    u->mem_total + u->cur->size <= UPLOAD_MEM_TOTAL) {
			if (buf_append(&u->mem, p, n) < 0)
				return stop(u, UPLOAD_IO);
			return 0;
		}
		if (u->fd < 0 && spill(u))
			return 1;
		return write_all(u, p, n);
	}
	if (u->curfield) {
		u->text_total += n;
		if (u->text_total > UPLOAD_FIELDS_MAX || buf_append(&u->text, p, n) < 0)
			return stop(u, UPLOAD_FIELD_TOO_LARGE);
	}
	return 0;
}

static int on_end(void *ud)
{
	upload *u = ud;
	if (u->cur) {
		struct upload_file *f = u->cur;
		if (u->fd < 0) {
			unsigned char *d = arena_alloc(u->a, u->mem.len + 1);
			if (u->mem.len)
				memcpy(d, u->mem.data, u->mem.len);
			f->data = d;
			u->mem_total += f->size;
		} else if (close(u->fd) < 0) {
			u->fd = -1;
			return stop(u, UPLOAD_IO);
		}
		u->fd = -1;
		unsigned char digest[crypto_hash_sha256_BYTES];
		crypto_hash_sha256_final(&u->h, digest);
		sodium_bin2hex(f->sha256, sizeof(f->sha256), digest, sizeof(digest));
		*u->ftail = f;
		u->ftail = &f->next;
		u->cur = NULL;
	} else if (u->curfield) {
		struct form_field *fld = u->curfield;
		fld->value = arena_strndup(u->a, u->text.data ? u->text.data : "", u->text.len);
		fld->value_len = u->text.len;
		*u->fldtail = fld;
		u->fldtail = &fld->next;
		u->curfield = NULL;
	}
	u->skip = NULL;
	return 0;
}

static const struct mp_callbacks callbacks = {on_begin, on_data, on_end};

upload *upload_new(arena *a, const char *content_type, const char *tmp_dir, uint64_t max_file,
		   uint64_t max_total)
{
	char boundary[MP_BOUNDARY_MAX + 1];
	if (mp_boundary(content_type, boundary, sizeof(boundary)) < 0)
		return NULL;
	if (sodium_init() < 0)
		return NULL;
	upload *u = arena_zalloc(a, sizeof(*u));
	u->a = a;
	u->tmp_dir = arena_strdup(a, tmp_dir);
	u->max_file = max_file;
	u->max_total = max_total;
	u->ftail = &u->files;
	u->fldtail = &u->fields;
	u->fd = -1;
	buf_init(&u->text, UPLOAD_FIELD_MAX);
	buf_init(&u->mem, UPLOAD_MEM_MAX);
	mp_init(&u->mp, boundary, &callbacks, u);
	arena_cleanup_add(a, upload_cleanup, u);
	return u;
}

int upload_feed(upload *u, const char *data, size_t n)
{
	if (u->failure != UPLOAD_OK)
		return -1;
	bool over = n > u->max_total - u->total;
	size_t take = over ? (size_t)(u->max_total - u->total) : n;
	u->total += take;
	int rc = mp_feed(&u->mp, data, take);
	if (rc == 0 && over)
		stop(u, UPLOAD_TOO_LARGE);
	else if (rc != 0)
		stop(u, UPLOAD_MALFORMED); /* no-op when a callback already said why */
	if (u->failure != UPLOAD_OK) {
		remove_files(u);
		return -1;
	}
	return 0;
}

int upload_finish(upload *u)
{
	if (u->failure != UPLOAD_OK)
		return -1;
	if (mp_finish(&u->mp) != 0) {
		stop(u, UPLOAD_MALFORMED);
		remove_files(u);
		return -1;
	}
	return 0;
}

enum upload_failure upload_failure(const upload *u)
{
	return u->failure;
}

const char *upload_failed_file(const upload *u)
{
	return u->failed_file;
}

struct upload_file *upload_files(const upload *u)
{
	return u->failure == UPLOAD_OK ? u->files : NULL;
}

struct form_field *upload_fields(const upload *u)
{
	return u->fields;
}

const struct upload_file *http_upload_files(http_req *r)
{
	return r->upload ? upload_files(r->upload) : NULL;
}

/* ---- type by content ---- */

static pthread_key_t magic_key;
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;

static void magic_free(void *m)
{
	magic_close(m);
}

static void magic_key_init(void)
{
	pthread_key_create(&magic_key, magic_free);
}

/* A magic_t is not thread-safe: each thread gets its own. */
static magic_t thread_magic(void)
{
	pthread_once(&magic_once, magic_key_init);
	magic_t m = pthread_getspecific(magic_key);
	if (m)
		return m;
	m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (!m)
		return NULL;
	if (magic_load(m, NULL) != 0) {
		log_error("upload: cannot load the magic database: %s", magic_error(m));
		magic_close(m);
		return NULL;
	}
	pthread_setspecific(magic_key, m);
	return m;
}

enum ooxml { OOXML_NONE, OOXML_WORD, OOXML_EXCEL };

/*
 * libmagic recognises Office Open XML only when the zip's entries come in
 * the order Office writes them; other writers give application/zip or
 * octet-stream. So a zip is accepted as DOCX or XLSX when it holds
 * [Content_Types].xml and a word/ or xl/ part, read with libarchive.
 */
static enum ooxml ooxml_kind(const char *path, const void *data, size_t size)
{
	struct archive *ar = archive_read_new();
	archive_read_support_format_zip(ar);
	enum ooxml kind = OOXML_NONE;
	bool types = false, word = false, xl = false;
	int opened = path ? archive_read_open_filename(ar, path, 65536)
			  : archive_read_open_memory(ar, data, size);
	if (opened == ARCHIVE_OK) {
		struct archive_entry *e;
		for (int n = 0; n < 20000 && archive_read_next_header(ar, &e) == ARCHIVE_OK; n++) {
			const char *name = archive_entry_pathname(e);
			if (!name)
				continue;
			if (strcmp(name, "[Content_Types].xml") == 0)
				types = true;
			else if (strncmp(name, "word/", 5) == 0)
				word = true;
			else if (strncmp(name, "xl/", 3) == 0)
				xl = true;
		}
	}
	archive_read_free(ar);
	if (types && word && !xl)
		kind = OOXML_WORD;
	else if (types && xl && !word)
		kind = OOXML_EXCEL;
	return kind;
}

static const char mime_docx[] =
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document";
static const char mime_xlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

static const char *const allowed_types[] = {
	"application/pdf",
	"image/jpeg",
	"image/png",
	"application/msword",
	"application/vnd.ms-excel",
	mime_docx,
	mime_xlsx,
	"application/vnd.oasis.opendocument.text",
};

/* The type of the bytes at path, or of data (size bytes) when path is NULL. */
static const char *detect(arena *a, const char *path, const void *data, size_t size, bool *allowed)
{
	*allowed = false;
	magic_t m = thread_magic();
	const char *t = !m ? NULL : path ? magic_file(m, path) : magic_buffer(m, data, size);
	if (!t) {
		if (m)
			log_warn("upload: libmagic failed on %s: %s", path ? path : "(memory)",
				 magic_error(m));
		return "application/octet-stream";
	}
	const char *mime = arena_strdup(a, t);
	if (!strcmp(mime, mime_docx) || !strcmp(mime, mime_xlsx) ||
	    !strcmp(mime, "application/zip") || !strcmp(mime, "application/octet-stream")) {
		/* Checked, not believed: the name says nothing and magic may guess. */
		enum ooxml k = ooxml_kind(path, data, size);
		if (k == OOXML_WORD)
			mime = mime_docx;
		else if (k == OOXML_EXCEL)
			mime = mime_xlsx;
		else if (!strcmp(mime, mime_docx) || !strcmp(mime, mime_xlsx))
			mime = "application/zip";
	}
	for (size_t i = 0; i < sizeof(allowed_types) / sizeof(allowed_types[0]); i++)
		if (strcmp(mime, allowed_types[i]) == 0)
			*allowed = true;
	return mime;
}

const char *upload_detect(arena *a, const char *path, bool *allowed)
{
	return detect(a, path, NULL, 0, allowed);
}

const char *upload_detect_buffer(arena *a, const void *data, size_t size, bool *allowed)
{
	return detect(a, NULL, data ? data : "", size, allowed);
}

void upload_classify(upload *u)
{
	for (struct upload_file *f = upload_files(u); f; f = f->next) {
		bool ok;
		f->mime = f->path ? upload_detect(u->a, f->path, &ok)
				  : upload_detect_buffer(u->a, f->data, (size_t)f->size, &ok);
		if (f->size == 0)
			f->error = "upload.empty";
		else if (!ok)
			f->error = "upload.type";
	}
}

void upload_clean_tmp(const char *tmp_dir)
{
	DIR *d = opendir(tmp_dir);
	if (!d)
		return;
	int dfd = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		/* Another server on the same directory may be receiving one now:
		 * only files older than any request can live are stale. */
		if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 &&
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    time(NULL) - st.st_mtime > 3600)
			unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}
