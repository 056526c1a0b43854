/*
 * it_backup.c - `motcua backup`, `restore` and `migrate` on the real binary.
 *
 * Backup a live portal with data in every table and files in blobs/, wipe,
 * restore into a fresh database, and compare: every row (as the sorted lines
 * of each table's dump) and every file, byte for byte. Also: a damaged
 * archive changes nothing, a non-empty database is refused unless --force,
 * and in the PostgreSQL pass a SQLite deployment is migrated to PostgreSQL
 * and a SQLite backup restores into PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static char root[PATH_MAX];

/* A data directory with its own fresh database (on the pass's backend, or
 * forced to SQLite). env gets MOTCUA_DATABASE=... or "" for SQLite. */
struct dir {
	char path[PATH_MAX + 32];
	char db[PATH_MAX + 64];
	char env[PATH_MAX + 96];
};

static void make_dir(struct dir *d, const char *name, bool sqlite)
{
	snprintf(d->path, sizeof(d->path), "%s/%s", root, name);
	mkdir(d->path, 0750);
	if (sqlite || !it_db_is_postgres()) {
		snprintf(d->db, sizeof(d->db), "%s/motcua.db", d->path);
		d->env[0] = '\0';
	} else {
		assert_int_equal(it_db_new(d->path, d->db, sizeof(d->db)), 0);
		snprintf(d->env, sizeof(d->env), "MOTCUA_DATABASE=%s", d->db);
	}
}

/* Runs motcua with args for data directory d; returns the exit status. */
static int motcua(const struct dir *d, const char *const *args, struct it_cmd *out)
{
	const char *argv[16] = {it_bin()};
	int n = 1;
	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	const char *env[2] = {d->env[0] ? d->env : NULL, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, IT_START_MS * 2), 0);
	int st = r.status;
	if (out)
		*out = r;
	else {
		if (st != 0)
			it_note("motcua %s: %s%s", args[0], r.out, r.err);
		it_cmd_free(&r);
	}
	return st;
}

static void sql(const struct dir *d, const char *stmt)
{
	assert_int_equal(it_db_exec(d->db, stmt), 0);
}

/* A portal with rows in every table, awkward text, and uploaded files. */
static void populate(struct dir *d)
{
	assert_int_equal(motcua(d,
				(const char *[]){"init", "--data", d->path, "--demo",
						 "--demo-dossiers", "0", NULL},
				NULL),
			 0);
	sql(d, "INSERT INTO feedback VALUES ('GY-1', '2026-11-28 09:00:00', 'Nguyễn Văn Ánh',"
	       " '0912345678', 'Tab\there, newline\nthere, backslash \\ and \\N literally',"
	       " 'Nội dung có dấu: ắằẳẵặ ĐĐ', 'vi')");
	sql(d, "INSERT INTO feedback VALUES ('GY-2', '2026-11-28 09:01:00', 'Empty', 'a@b.vn', '', "
	       "'x', 'en')");
	sql(d, "INSERT INTO calendar_day VALUES ('2026-12-31', 0, 'Nghỉ bù', '', 'admin')");
	sql(d, "INSERT INTO procedure_agency VALUES ('1.000005', 'ubnd-37')");
	char dir[PATH_MAX + 64], file[PATH_MAX + 96];
	snprintf(dir, sizeof(dir), "%s/blobs/ab", d->path);
	mkdir(dir, 0750);
	snprintf(file, sizeof(file), "%s/abcdef0123", dir);
	char bin[4096];
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 7 + 3);
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bin, 1, sizeof(bin), f), sizeof(bin));
	fclose(f);
	snprintf(file, sizeof(file), "%s/blobs/tờ khai.pdf", d->path);
	assert_int_equal(it_write_file(file, "%PDF-1.4 tờ khai\n", false), 0);
}

/* The sorted lines of every table's dump in an archive, as one string. */
static char *tables_of(const char *archive)
{
	char dir[PATH_MAX + 16], cmd[PATH_MAX * 3];
	snprintf(dir, sizeof(dir), "%s/x-XXXXXX", root);
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "tar -xzf '%s' -C '%s' && cd '%s/tables' && for f in *.copy; do "
		 "echo \"== ${f#*-}\"; sort \"$f\"; done > ../all.txt",
		 archive, dir, dir);
	assert_int_equal(system(cmd), 0);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/all.txt", dir);
	char *text = it_read_file(path, NULL);
	assert_non_null(text);
	return text;
}

static void assert_same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = it_read_file(a, &la), *y = it_read_file(b, &lb);
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(la, lb);
	assert_memory_equal(x, y, la);
	free(x);
	free(y);
}

static void test_backup_wipe_restore_compare(void **state)
{
	struct dir src, dst;
	make_dir(&src, "src", false);
	populate(&src);
	char first[PATH_MAX + 16], second[PATH_MAX + 16];
	snprintf(first, sizeof(first), "%s/first.tar.gz", root);
	snprintf(second, sizeof(second), "%s/second.tar.gz", root);
	assert_int_equal(motcua(&src,
				(const char *[]){"backup", "--data", src.path, "--to", first, NULL},
				NULL),
			 0);

	make_dir(&dst, "dst", false);
	assert_int_equal(motcua(&dst, (const char *[]){"init", "--data", dst.path, NULL}, NULL), 0);
	assert_int_equal(
		motcua(&dst, (const char *[]){"restore", "--data", dst.path, "--from", first, NULL},
		       NULL),
		0);
	assert_int_equal(
		motcua(&dst, (const char *[]){"backup", "--data", dst.path, "--to", second, NULL},
		       NULL),
		0);

	char *a = tables_of(first), *b = tables_of(second);
	assert_true(strstr(a, "Tab\\there, newline\\nthere") != NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	char fa[PATH_MAX + 96], fb[PATH_MAX + 96];
	snprintf(fa, sizeof(fa), "%s/blobs/ab/abcdef0123", src.path);
	snprintf(fb, sizeof(fb), "%s/blobs/ab/abcdef0123", dst.path);
	assert_same_file(fa, fb);
	snprintf(fa, sizeof(fa), "%s/blobs/tờ khai.pdf", src.path);
	snprintf(fb, sizeof(fb), "%s/blobs/tờ khai.pdf", dst.path);
	assert_same_file(fa, fb);
	assert_int_equal(it_db_count(dst.db, "SELECT COUNT(*) FROM procedure", NULL),
			 it_db_count(src.db, "SELECT COUNT(*) FROM procedure", NULL));

	/* Restoring again into the now full database is refused, and --force
	 * replaces the rows. */
	struct it_cmd r;
	assert_int_equal(
		motcua(&dst, (const char *[]){"restore", "--data", dst.path, "--from", first, NULL},
		       &r),
		1);
	assert_non_null(strstr(r.err, "--force"));
	it_cmd_free(&r);
	assert_int_equal(motcua(&dst,
				(const char *[]){"restore", "--data", dst.path, "--from", first,
						 "--force", NULL},
				NULL),
			 0);
	assert_int_equal(it_db_count(dst.db, "SELECT COUNT(*) FROM feedback", NULL), 2);
}

static void test_damaged_archive_changes_nothing(void **state)
{
	struct dir src, dst;
	make_dir(&src, "src2", false);
	populate(&src);
	char good[PATH_MAX + 16], bad[PATH_MAX + 16];
	snprintf(good, sizeof(good), "%s/good.tar.gz", root);
	snprintf(bad, sizeof(bad), "%s/bad.tar.gz", root);
	assert_int_equal(motcua(&src,
				(const char *[]){"backup", "--data", src.path, "--to", good, NULL},
				NULL),
			 0);
	/* Flip one row inside the archive: same size, different content. */
	char cmd[PATH_MAX * 4];
	snprintf(cmd, sizeof(cmd),
		 "d=$(mktemp -d '%s/t-XXXXXX') && tar -xzf '%s' -C \"$d\" && "
		 "sed -i 's/Nguyễn Văn Ánh/Nguyễn Văn Ảnh/' \"$d\"/tables/*feedback.copy && "
		 "tar -czf '%s' -C \"$d\" manifest.json tables blobs",
		 root, good, bad);
	assert_int_equal(system(cmd), 0);
	make_dir(&dst, "dst2", false);
	assert_int_equal(motcua(&dst, (const char *[]){"init", "--data", dst.path, NULL}, NULL), 0);
	struct it_cmd r;
	assert_int_equal(
		motcua(&dst, (const char *[]){"restore", "--data", dst.path, "--from", bad, NULL},
		       &r),
		1);
	if (!strstr(r.err, "damaged"))
		it_note("restore said: %s", r.err);
	assert_non_null(strstr(r.err, "damaged"));
	it_cmd_free(&r);
	assert_int_equal(it_db_count(dst.db, "SELECT COUNT(*) FROM feedback", NULL), 0);
	assert_int_equal(it_db_count(dst.db, "SELECT COUNT(*) FROM procedure", NULL), 0);
	char blob[PATH_MAX + 96];
	snprintf(blob, sizeof(blob), "%s/blobs/ab/abcdef0123", dst.path);
	struct stat st;
	assert_int_not_equal(stat(blob, &st), 0);

	/* Not an archive at all. */
	assert_int_equal(
		motcua(&dst, (const char *[]){"restore", "--data", dst.path, "--from", blob, NULL},
		       NULL),
		1);
}

static void test_sqlite_to_postgres(void **state)
{
	if (!it_db_is_postgres()) {
		it_note("SQLite pass: migrating to PostgreSQL is tested in the PostgreSQL pass");
		return;
	}
	struct dir lite, pg;
	make_dir(&lite, "lite", true);
	populate(&lite);
	make_dir(&pg, "pg", false);
	assert_int_equal(
		motcua(&lite, (const char *[]){"migrate", "--data", lite.path, "--to", pg.db, NULL},
		       NULL),
		0);
	char a[PATH_MAX + 16], b[PATH_MAX + 16];
	snprintf(a, sizeof(a), "%s/lite.tar.gz", root);
	snprintf(b, sizeof(b), "%s/pg.tar.gz", root);
	assert_int_equal(motcua(&lite,
				(const char *[]){"backup", "--data", lite.path, "--to", a, NULL},
				NULL),
			 0);
	assert_int_equal(
		motcua(&pg, (const char *[]){"backup", "--data", pg.path, "--to", b, NULL}, NULL),
		0);
	char *x = tables_of(a), *y = tables_of(b);
	assert_string_equal(x, y);
	free(x);
	free(y);
	/* Migrating again into the same, now full, database is refused. */
	assert_int_equal(
		motcua(&lite, (const char *[]){"migrate", "--data", lite.path, "--to", pg.db, NULL},
		       NULL),
		1);

	/* And a SQLite backup restores into PostgreSQL. */
	struct dir pg2;
	make_dir(&pg2, "pg2", false);
	assert_int_equal(motcua(&pg2,
				(const char *[]){"restore", "--data", pg2.path, "--from", a, NULL},
				NULL),
			 0);
	assert_int_equal(it_db_count(pg2.db, "SELECT COUNT(*) FROM feedback", NULL), 2);
}

static int setup(void **state)
{
	return it_mkdtemp(root);
}

static int teardown(void **state)
{
	return it_rmtree(root);
}

/* A file uploaded to a SQLite deployment lives in DIR/blobs; after
 * `migrate` it is in PostgreSQL's blob_chunk rows, byte for byte, so that
 * every node can serve it. */
static void test_migrate_brings_uploaded_files_into_postgres(void **state)
{
	if (!it_db_is_postgres()) {
		it_note("SQLite pass: migrating to PostgreSQL is tested in the PostgreSQL pass");
		return;
	}
	struct dir lite, pg;
	make_dir(&lite, "lite-files", true);
	assert_int_equal(motcua(&lite, (const char *[]){"init", "--data", lite.path, NULL}, NULL),
			 0);
	static const char content[] = "%PDF-1.4\nTờ khai có dấu\n%%EOF\n";
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hash[65], dir[PATH_MAX + 64], file[PATH_MAX + 160];
	crypto_hash_sha256(digest, (const unsigned char *)content, strlen(content));
	sodium_bin2hex(hash, sizeof(hash), digest, sizeof(digest));
	snprintf(dir, sizeof(dir), "%s/blobs", lite.path);
	mkdir(dir, 0750);
	snprintf(dir, sizeof(dir), "%s/blobs/%.2s", lite.path, hash);
	assert_int_equal(mkdir(dir, 0750), 0);
	snprintf(file, sizeof(file), "%s/%s", dir, hash);
	assert_int_equal(it_write_file(file, content, false), 0);
	char insert[512];
	snprintf(insert, sizeof(insert),
		 "INSERT INTO blob (hash, size, mime, created_at) VALUES ('%s', %zu,"
		 " 'application/pdf', '2026-11-29 08:00:00')",
		 hash, strlen(content));
	sql(&lite, insert);
	make_dir(&pg, "pg-files", false);
	assert_int_equal(
		motcua(&lite, (const char *[]){"migrate", "--data", lite.path, "--to", pg.db, NULL},
		       NULL),
		0);
	char *cols[1] = {NULL};
	assert_int_equal(it_db_row(pg.db, "SELECT data FROM blob_chunk WHERE hash = $1 AND n = 0",
				   hash, cols, 1),
			 1);
	unsigned char back[256];
	size_t len;
	assert_int_equal(sodium_base642bin(back, sizeof(back), cols[0], strlen(cols[0]), NULL, &len,
					   NULL, sodium_base64_VARIANT_ORIGINAL),
			 0);
	assert_int_equal(len, strlen(content));
	assert_memory_equal(back, content, len);
	free(cols[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_wipe_restore_compare),
		cmocka_unit_test(test_damaged_archive_changes_nothing),
		cmocka_unit_test(test_sqlite_to_postgres),
		cmocka_unit_test(test_migrate_brings_uploaded_files_into_postgres),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
