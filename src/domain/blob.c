/*
 * blob.c - the content-addressed blob store (see blob.h): files under
 * DIR/blobs with SQLite, base64 chunks in the database with PostgreSQL.
 *
 * Ordering is what keeps "nothing half-written": the file is fsync'd, then
 * linked under its final name, then the directory is fsync'd, and only
 * after that does the transaction that names it commit.
 */
#include "domain/blob.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "http/upload.h"

bool blob_hash_valid(const char *hash)
{
	if (!hash || strlen(hash) != 64)
		return false;
	for (const char *p = hash; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool is_sqlite(const char *backend)
{
	return backend && strcmp(backend, "sqlite") == 0;
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* An upload held in memory: written to a temporary name beside path,
 * synced, then renamed over path (which may hold a file of the wrong size). */
static int write_new(const char *path, const unsigned char *data, uint64_t size)
{
	char tmp[PATH_MAX + 128];
	unsigned char rnd[8];
	char hex[17];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(tmp, sizeof(tmp), "%s.%s", path, hex);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	uint64_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, (size_t)(size - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (uint64_t)w;
	}
	int rc = off == size && fsync(fd) == 0 ? 0 : -1;
	if (close(fd) < 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	return rc;
}

/* An upload in a temporary file: synced, then linked as path (replacing a
 * file of the wrong size there: a crash while restoring, a disk error). */
static int link_upload(const char *from, const char *path)
{
	if (fsync_path(from, O_RDONLY) < 0)
		return -1;
	if (link(from, path) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	char tmp[PATH_MAX + 96];
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	unlink(tmp);
	return link(from, tmp) < 0 || rename(tmp, path) < 0 ? -1 : 0;
}

static int mkdir_p(const char *path)
{
	return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

mc_status blob_store_prepare(const char *data_dir, const char *backend, const struct upload_file *f)
{
	if (f->error || (!f->path && !f->data) || !blob_hash_valid(f->sha256))
		return MC_INVALID;
	if (!is_sqlite(backend))
		return MC_OK; /* the bytes travel in blob_chunk rows */
	char top[PATH_MAX], dir[PATH_MAX + 8], path[PATH_MAX + 80];
	snprintf(top, sizeof(top), "%s/blobs", data_dir);
	snprintf(dir, sizeof(dir), "%s/%.2s", top, f->sha256);
	snprintf(path, sizeof(path), "%s/%s", dir, f->sha256);
	struct stat st;
	/* The same bytes are stored already. Touched, so that the sweep job
	 * (sweep.h), which removes old files no row names, leaves a file alone
	 * while the write that will name it is in flight. */
	if (stat(path, &st) == 0 && (uint64_t)st.st_size == f->size &&
	    utimensat(AT_FDCWD, path, NULL, 0) == 0)
		return MC_OK;
	const char *step = "create the directories";
	if (mkdir_p(top) < 0 || mkdir_p(dir) < 0)
		goto fail;
	step = f->data ? "write the file" : "link the file";
	if (f->data ? write_new(path, f->data, f->size) < 0 : link_upload(f->path, path) < 0)
		goto fail;
	step = "sync the directory";
	if (fsync_path(dir, O_RDONLY | O_DIRECTORY) < 0 ||
	    fsync_path(top, O_RDONLY | O_DIRECTORY) < 0)
		goto fail;
	return MC_OK;
fail:
	log_error("blob: cannot %s for %s: %s", step, path, strerror(errno));
	return MC_INTERNAL;
}

static const char *now_text(char out[20])
{
	time_t t = time(NULL) + 7 * 3600; /* Vietnam time, UTC+7, no DST */
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
	return out;
}

/* Writes the file's bytes as blob_chunk rows. */
static mc_status put_chunks_memory(db_conn *c, const struct upload_file *f)
{
	size_t b64len = sodium_base64_ENCODED_LEN(BLOB_CHUNK, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64len);
	mc_status rc = b64 ? MC_OK : MC_INTERNAL;
	for (uint64_t off = 0, n = 0; rc == MC_OK && off < f->size; off += BLOB_CHUNK, n++) {
		size_t got = f->size - off < BLOB_CHUNK ? (size_t)(f->size - off) : BLOB_CHUNK;
		sodium_bin2base64(b64, b64len, f->data + off, got, sodium_base64_VARIANT_ORIGINAL);
		rc = db_exec(c, "INSERT INTO blob_chunk (hash, n, data) VALUES ($1, $2, $3)",
			     DB_ARGS(DB_TEXT(f->sha256), DB_INT((int64_t)n), DB_TEXT(b64)), NULL);
	}
	free(b64);
	return rc;
}

static mc_status put_chunks(db_conn *c, const struct upload_file *f)
{
	if (f->data)
		return put_chunks_memory(c, f);
	mc_status rc = MC_INTERNAL;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	size_t b64len = sodium_base64_ENCODED_LEN(BLOB_CHUNK, sodium_base64_VARIANT_ORIGINAL);
	unsigned char *raw = malloc(BLOB_CHUNK);
	char *b64 = malloc(b64len);
	if (fd < 0 || !raw || !b64) {
		log_error("blob: cannot read %s: %s", f->path, strerror(errno));
		goto out;
	}
	uint64_t total = 0;
	for (int64_t n = 0;; n++) {
		size_t got = 0;
		while (got < BLOB_CHUNK) {
			ssize_t k = read(fd, raw + got, BLOB_CHUNK - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				log_error("blob: cannot read %s: %s", f->path, strerror(errno));
				goto out;
			}
			if (k == 0)
				break;
			got += (size_t)k;
		}
		if (got == 0)
			break;
		total += got;
		sodium_bin2base64(b64, b64len, raw, got, sodium_base64_VARIANT_ORIGINAL);
		rc = db_exec(c, "INSERT INTO blob_chunk (hash, n, data) VALUES ($1, $2, $3)",
			     DB_ARGS(DB_TEXT(f->sha256), DB_INT(n), DB_TEXT(b64)), NULL);
		if (rc != MC_OK)
			goto out;
		rc = MC_INTERNAL;
		if (got < BLOB_CHUNK)
			break;
	}
	if (total != f->size) {
		log_error("blob: %s changed size (%llu, expected %llu)", f->path,
			  (unsigned long long)total, (unsigned long long)f->size);
		goto out;
	}
	rc = MC_OK;
out:
	if (fd >= 0)
		close(fd);
	free(raw);
	free(b64);
	return rc;
}

mc_status blob_put(db_conn *c, const char *backend, const struct upload_file *f)
{
	if (f->error || !f->mime || !blob_hash_valid(f->sha256))
		return MC_INVALID;
	char now[20];
	int64_t inserted = 0;
	mc_status rc =
		db_exec(c,
			"INSERT INTO blob (hash, size, mime, created_at) VALUES ($1, $2, $3, $4)"
			" ON CONFLICT (hash) DO NOTHING",
			DB_ARGS(DB_TEXT(f->sha256), DB_INT(f->size), DB_TEXT(f->mime),
				DB_TEXT(now_text(now))),
			&inserted);
	if (rc != MC_OK || inserted == 0 || is_sqlite(backend))
		return rc;
	return put_chunks(c, f);
}

static bool has_chunks(db_conn *c, arena *a, const char *hash)
{
	db_result *res;
	return db_query(c, a, "SELECT 1 FROM blob_chunk WHERE hash = $1 LIMIT 1",
			DB_ARGS(DB_TEXT(hash)), &res) == MC_OK &&
	       db_nrows(res) > 0;
}

mc_status blob_chunk_file(db_conn *c, const char *hash, uint64_t size, const char *path)
{
	if (!blob_hash_valid(hash))
		return MC_INVALID;
	arena *a = arena_new(0);
	bool done = has_chunks(c, a, hash);
	arena_free(a);
	if (done)
		return MC_OK;
	struct upload_file f = {.path = path, .size = size};
	snprintf(f.sha256, sizeof(f.sha256), "%s", hash);
	return put_chunks(c, &f);
}

static mc_status read_chunks(db_conn *c, arena *a, const char *hash, struct blob_content *out)
{
	db_result *res;
	mc_status rc = db_query(c, a, "SELECT data FROM blob_chunk WHERE hash = $1 ORDER BY n",
				DB_ARGS(DB_TEXT(hash)), &res);
	if (rc != MC_OK)
		return rc;
	unsigned char *data = arena_alloc(a, out->size + 1);
	size_t at = 0;
	for (int i = 0; i < db_nrows(res); i++) {
		size_t got;
		const char *b64 = db_text(res, i, 0);
		if (sodium_base642bin(data + at, out->size - at, b64, db_len(res, i, 0), NULL, &got,
				      NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			goto bad;
		at += got;
	}
	if (at != out->size)
		goto bad;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(digest, data, at);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	if (strcmp(hex, hash) != 0)
		goto bad;
	data[at] = '\0';
	out->data = (const char *)data;
	return MC_OK;
bad:
	log_error("blob: the stored chunks of %s do not give back its bytes", hash);
	return MC_INTERNAL;
}

mc_status blob_read(db *d, arena *a, const char *data_dir, const char *hash,
		    struct blob_content *out)
{
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (!blob_hash_valid(hash))
		return MC_INVALID;
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	db_result *res;
	mc_status rc = db_query(c, a, "SELECT size, mime FROM blob WHERE hash = $1",
				DB_ARGS(DB_TEXT(hash)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) == 0)
		return MC_NOT_FOUND;
	out->size = (uint64_t)db_int(res, 0, 0);
	out->mime = db_text(res, 0, 1);
	/*
	 * Each backend has its home for the bytes, and looks in the other's
	 * when they are not there: a backup of either backend restores into
	 * either (rows and files travel together), and a node just migrated
	 * from SQLite still finds the files that came with it.
	 */
	bool sqlite = is_sqlite(db_backend_name(d));
	if (!sqlite && has_chunks(c, a, hash))
		return read_chunks(c, a, hash, out);
	char path[PATH_MAX + 80];
	snprintf(path, sizeof(path), "%s/blobs/%.2s/%s", data_dir, hash, hash);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && (uint64_t)st.st_size == out->size) {
		out->fd = fd;
		return MC_OK;
	}
	if (fd >= 0)
		close(fd);
	if (sqlite && has_chunks(c, a, hash))
		return read_chunks(c, a, hash, out);
	log_error("blob: %s is in neither %s nor the database", hash, path);
	return MC_INTERNAL;
}
