/*
 * test_blob.c - the content-addressed blob store (domain/blob.h) on the
 * test's backend (SQLite, or PostgreSQL under scripts/test.sh): bytes come
 * back as they went in (a small file, one of several chunks, and an upload
 * held in memory, also over a damaged file of its name), the same
 * bytes are stored once, a refused file is never stored, a write rolled
 * back leaves no row and no chunk, damaged bytes are refused rather than
 * served, and malformed or unknown names are told apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "domain/blob.h"
#include "http/upload.h"
#include "../testdb.h"

struct fx {
	char dir[PATH_MAX];
	char target[PATH_MAX + 64];
	db *d;
	arena *a;
	int n; /* temporary files made */
};

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_blob.XXXXXX");
	char err[512] = "";
	if (!mkdtemp(f->dir) || testdb_new(f->dir, f->target, sizeof(f->target)) != 0)
		return -1;
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK ||
	    db_migrate(f->d, NULL, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "test_blob: %s\n", err);
		return -1;
	}
	f->a = arena_new(0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->d);
	arena_free(f->a);
	nftw(f->dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* An upload_file as the HTTP layer would hand it over, for bytes p[0..n). */
static struct upload_file *make_file(struct fx *f, const void *p, size_t n)
{
	struct upload_file *u = arena_zalloc(f->a, sizeof(*u));
	u->path = arena_printf(f->a, "%s/up-%d", f->dir, f->n++);
	FILE *fp = fopen(u->path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	fclose(fp);
	unsigned char d[32];
	crypto_hash_sha256(d, p, n);
	sodium_bin2hex(u->sha256, sizeof(u->sha256), d, 32);
	u->size = n;
	u->mime = "application/pdf";
	u->field = "doc_0";
	u->name = "a.pdf";
	return u;
}

struct put_args {
	const struct upload_file *file;
	const char *backend;
	mc_status after; /* returned after a successful put, to force a rollback */
};

static mc_status put_fn(db_conn *c, void *arg)
{
	struct put_args *p = arg;
	mc_status rc = blob_put(c, p->backend, p->file);
	return rc == MC_OK ? p->after : rc;
}

static mc_status store(struct fx *f, const struct upload_file *u, mc_status after)
{
	const char *backend = db_backend_name(f->d);
	mc_status rc = blob_store_prepare(f->dir, backend, u);
	if (rc != MC_OK)
		return rc;
	struct put_args p = {u, backend, after};
	return db_write(f->d, put_fn, &p);
}

/* Reads the blob back as bytes, whichever the backend. */
static char *load(struct fx *f, const char *hash, uint64_t *size, mc_status *rc)
{
	struct blob_content c;
	*rc = blob_read(f->d, f->a, f->dir, hash, &c);
	if (*rc != MC_OK)
		return NULL;
	*size = c.size;
	char *p = malloc(c.size + 1);
	if (c.fd >= 0) {
		assert_int_equal(read(c.fd, p, c.size), (ssize_t)c.size);
		close(c.fd);
		assert_null(c.data);
	} else {
		assert_non_null(c.data);
		memcpy(p, c.data, c.size);
	}
	assert_string_equal(c.mime, "application/pdf");
	return p;
}

static long long count(struct fx *f, const char *sql, const char *hash)
{
	db_result *res;
	if (db_query(db_reader(f->d), f->a, sql, DB_ARGS(DB_TEXT(hash)), &res) != MC_OK)
		return -1;
	return db_int(res, 0, 0);
}

static void test_roundtrip(void **state)
{
	struct fx *f = *state;
	const char small[] = "%PDF-1.4 small file";
	size_t big_n = 2 * BLOB_CHUNK + 12345;
	unsigned char *big = malloc(big_n);
	for (size_t i = 0; i < big_n; i++)
		big[i] = (unsigned char)(i * 7 + (i >> 13));
	struct upload_file *a = make_file(f, small, sizeof(small) - 1);
	struct upload_file *b = make_file(f, big, big_n);
	assert_int_equal(store(f, a, MC_OK), MC_OK);
	assert_int_equal(store(f, b, MC_OK), MC_OK);

	uint64_t size;
	mc_status rc;
	char *got = load(f, a->sha256, &size, &rc);
	assert_int_equal(rc, MC_OK);
	assert_int_equal(size, sizeof(small) - 1);
	assert_memory_equal(got, small, size);
	free(got);
	got = load(f, b->sha256, &size, &rc);
	assert_int_equal(rc, MC_OK);
	assert_int_equal(size, big_n);
	assert_memory_equal(got, big, big_n);
	free(got);

	bool pg = strcmp(db_backend_name(f->d), "sqlite") != 0;
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob_chunk WHERE hash = $1", b->sha256),
			 pg ? 3 : 0);
	if (!pg) {
		char path[PATH_MAX + 100];
		snprintf(path, sizeof(path), "%s/blobs/%.2s/%s", f->dir, b->sha256, b->sha256);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, big_n);
	}
	free(big);
}

/* An upload kept in memory (upload.h, UPLOAD_MEM_MAX): written into the
 * store from its bytes, and over a file of the wrong size under its name. */
static void test_from_memory(void **state)
{
	struct fx *f = *state;
	const char bytes[] = "%PDF-1.4 held in memory";
	struct upload_file *u = make_file(f, bytes, sizeof(bytes) - 1);
	unlink(u->path);
	u->path = NULL;
	u->data = (const unsigned char *)bytes;
	bool sqlite = strcmp(db_backend_name(f->d), "sqlite") == 0;
	char path[PATH_MAX + 100];
	snprintf(path, sizeof(path), "%s/blobs/%.2s/%s", f->dir, u->sha256, u->sha256);
	if (sqlite) {
		char dir[PATH_MAX + 16];
		snprintf(dir, sizeof(dir), "%s/blobs", f->dir);
		mkdir(dir, 0750);
		snprintf(dir, sizeof(dir), "%s/blobs/%.2s", f->dir, u->sha256);
		mkdir(dir, 0750);
		FILE *fp = fopen(path, "wb"); /* damaged: too short */
		assert_non_null(fp);
		fputs("%PDF", fp);
		fclose(fp);
	}
	assert_int_equal(store(f, u, MC_OK), MC_OK);
	uint64_t size;
	mc_status rc;
	char *got = load(f, u->sha256, &size, &rc);
	assert_int_equal(rc, MC_OK);
	assert_int_equal(size, sizeof(bytes) - 1);
	assert_memory_equal(got, bytes, size);
	free(got);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob_chunk WHERE hash = $1", u->sha256),
			 sqlite ? 0 : 1);
	if (sqlite) {
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, sizeof(bytes) - 1);
	}
}

static void test_stored_once(void **state)
{
	struct fx *f = *state;
	const char bytes[] = "%PDF-1.4 the same scan, twice";
	struct upload_file *a = make_file(f, bytes, sizeof(bytes) - 1);
	struct upload_file *b = make_file(f, bytes, sizeof(bytes) - 1);
	assert_int_equal(store(f, a, MC_OK), MC_OK);
	assert_int_equal(store(f, b, MC_OK), MC_OK);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob WHERE hash = $1", a->sha256), 1);
	bool pg = strcmp(db_backend_name(f->d), "sqlite") != 0;
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob_chunk WHERE hash = $1", a->sha256),
			 pg ? 1 : 0);
}

static void test_refused_and_rolled_back(void **state)
{
	struct fx *f = *state;
	struct upload_file *bad = make_file(f, "<html>", 6);
	bad->error = "upload.type";
	assert_int_equal(store(f, bad, MC_OK), MC_INVALID);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob WHERE hash = $1", bad->sha256), 0);

	struct upload_file *u = make_file(f, "%PDF-1.4 rolled back", 20);
	assert_int_equal(store(f, u, MC_CONFLICT), MC_CONFLICT);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob WHERE hash = $1", u->sha256), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM blob_chunk WHERE hash = $1", u->sha256), 0);
	uint64_t size;
	mc_status rc;
	assert_null(load(f, u->sha256, &size, &rc));
	assert_int_equal(rc, MC_NOT_FOUND);
}

static void test_names(void **state)
{
	struct fx *f = *state;
	uint64_t size;
	mc_status rc;
	assert_null(load(f, "../../etc/passwd", &size, &rc));
	assert_int_equal(rc, MC_INVALID);
	assert_null(load(f, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
			 &size, &rc));
	assert_int_equal(rc, MC_INVALID); /* upper case is not a name we give out */
	assert_null(load(f, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			 &size, &rc));
	assert_int_equal(rc, MC_NOT_FOUND);
	assert_false(blob_hash_valid(NULL));
	assert_false(blob_hash_valid("abc"));
}

static mc_status damage_fn(db_conn *c, void *arg)
{
	return db_exec(c, "UPDATE blob_chunk SET data = $1 WHERE hash = $2",
		       DB_ARGS(DB_TEXT("JVBERi0xLjQgZGFtYWdlZA=="), DB_TEXT(arg)), NULL);
}

static void test_damaged(void **state)
{
	struct fx *f = *state;
	struct upload_file *u = make_file(f, "%PDF-1.4 will be damaged", 24);
	assert_int_equal(store(f, u, MC_OK), MC_OK);
	if (strcmp(db_backend_name(f->d), "sqlite") == 0) {
		char path[PATH_MAX + 100];
		snprintf(path, sizeof(path), "%s/blobs/%.2s/%s", f->dir, u->sha256, u->sha256);
		assert_int_equal(truncate(path, 5), 0);
	} else {
		assert_int_equal(db_write(f->d, damage_fn, u->sha256), MC_OK);
	}
	uint64_t size;
	mc_status rc;
	assert_null(load(f, u->sha256, &size, &rc));
	assert_int_equal(rc, MC_INTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_from_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_and_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
