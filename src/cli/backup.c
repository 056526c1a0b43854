/*
 * backup.c - `motcua backup`, `motcua restore` and `motcua migrate`.
 *
 * A backup is a gzip-compressed tar archive (libarchive):
 *   manifest.json          format, date, backend, schema versions, and for each
 *                          table its row count and SHA-256; for each file its
 *                          size and SHA-256
 *   tables/NNN-name.copy   one table in PostgreSQL COPY text format, in
 *                          foreign-key order (parents first)
 *   blobs/...              the uploaded files of DIR/blobs, as they are
 * Tables are read inside one consistent snapshot (a WAL read transaction on
 * SQLite, REPEATABLE READ on PostgreSQL, where rows travel over the COPY
 * protocol), so a backup can run while the portal serves. The same format
 * restores into either backend, and `migrate` is that copy done directly.
 *
 * Restore loads every table in one transaction and checks each table's row
 * count and hash against the manifest, so a damaged archive leaves the
 * database untouched; files go to a temporary directory first and are moved
 * into DIR/blobs only after the rows are committed.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/blob.h"
#include "cli/lines.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/progress.h"

#define FORMAT_NAME    "motcua-backup"
#define FORMAT_VERSION 1

const char cmd_backup_usage[] =
	"usage: motcua backup --data DIR --to FILE\n"
	"  Writes the database and DIR/blobs into FILE (a .tar.gz), consistently,\n"
	"  while the portal keeps serving.\n";
const char cmd_restore_usage[] =
	"usage: motcua restore --data DIR --from FILE [--force]\n"
	"  Loads a backup into DIR's database (SQLite, or MOTCUA_DATABASE) and DIR/blobs.\n"
	"  The database must be empty unless --force, which deletes its rows first.\n"
	"  Stop the portal before restoring.\n";
const char cmd_migrate_usage[] =
	"usage: motcua migrate --data DIR --to postgres://...\n"
	"  Copies every table of DIR's database into an empty PostgreSQL database,\n"
	"  then checks row counts, then loads the uploaded files of DIR/blobs into the\n"
	"  database so that every node can serve them.\n";

struct opts {
	const char *data, *to, *from;
	int force;
};

static int usage(const char *text, const char *problem, const char *arg)
{
	fprintf(stderr, "motcua: %s%s%s\n%s", problem, arg ? " " : "", arg ? arg : "", text);
	return 2;
}

static int parse(int argc, char **argv, const char *text, struct opts *o, bool want_to,
		 bool want_from)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"to", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'}, {"force", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},	{0, 0, 0, 0},
	};
	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': o->data = optarg; break;
		case 't': o->to = optarg; break;
		case 'f': o->from = optarg; break;
		case 'F': o->force = 1; break;
		case 'h': fputs(text, stdout); return -1;
		case ':': return usage(text, "this flag needs a value:", argv[optind - 1]);
		default: return usage(text, "unknown flag", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage(text, "unexpected argument", argv[optind]);
	if (!o->data)
		return usage(text, "--data DIR is required", NULL);
	if (want_to != (o->to != NULL))
		return usage(text, want_to ? "--to is required" : "unknown flag",
			     want_to ? NULL : "--to");
	if (want_from != (o->from != NULL))
		return usage(text, want_from ? "--from FILE is required" : "unknown flag",
			     want_from ? NULL : "--from");
	if (o->force && !want_from)
		return usage(text, "unknown flag", "--force");
	return 0;
}

/* libarchive converts file names through the locale's character set and
 * fails (or worse) on "tờ khai.pdf" in the C locale: use UTF-8. */
static void utf8_locale(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "en_US.UTF-8");
}

static void hex_digest(crypto_hash_sha256_state *st, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(st, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* ---- writing a table to a temporary file ---- */

struct spool {
	FILE *f;
	int64_t rows; /* lines after the header */
	crypto_hash_sha256_state sha;
	struct progress *pr;
};

static int spool_line(void *ud, const char *line, size_t len)
{
	struct spool *s = ud;
	crypto_hash_sha256_update(&s->sha, (const unsigned char *)line, len);
	crypto_hash_sha256_update(&s->sha, (const unsigned char *)"\n", 1);
	if (fwrite(line, 1, len, s->f) != len || fputc('\n', s->f) == EOF)
		return -1;
	if (s->rows++ > 0 && s->pr)
		progress_add(s->pr, 1);
	return 0;
}

/* ---- the list of uploaded files ---- */

static struct {
	char **paths;
	size_t n, cap;
	size_t rootlen;
} walk;

static int walk_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_F)
		return 0;
	if (walk.n == walk.cap) {
		walk.cap = walk.cap ? walk.cap * 2 : 64;
		walk.paths = realloc(walk.paths, walk.cap * sizeof(char *));
		if (!walk.paths)
			abort();
	}
	walk.paths[walk.n] = strdup(path);
	if (!walk.paths[walk.n])
		abort();
	walk.n++;
	return 0;
}

static void walk_free(void)
{
	for (size_t i = 0; i < walk.n; i++)
		free(walk.paths[i]);
	free(walk.paths);
	memset(&walk, 0, sizeof(walk));
}

/* ---- archive helpers ---- */

static int add_bytes(struct archive *ar, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_update_pathname_utf8(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0640);
	archive_entry_set_mtime(e, time(NULL), 0);
	int rc = archive_write_header(ar, e) == ARCHIVE_OK &&
				 archive_write_data(ar, data, len) == (la_ssize_t)len
			 ? 0
			 : -1;
	archive_entry_free(e);
	return rc;
}

/* Adds the file at path under name; fills its SHA-256 and size. */
static int add_file(struct archive *ar, const char *name, const char *path, char sha[65],
		    int64_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	struct archive_entry *e = archive_entry_new();
	archive_entry_update_pathname_utf8(e, name);
	archive_entry_set_size(e, st.st_size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0640);
	archive_entry_set_mtime(e, st.st_mtime, 0);
	int hr = archive_write_header(ar, e);
	int rc = hr == ARCHIVE_OK || hr == ARCHIVE_WARN ? 0 : -1;
	archive_entry_free(e);
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	char chunk[65536];
	size_t n;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		crypto_hash_sha256_update(&hs, (unsigned char *)chunk, n);
		if (archive_write_data(ar, chunk, n) != (la_ssize_t)n)
			rc = -1;
	}
	if (ferror(f))
		rc = -1;
	fclose(f);
	if (rc < 0)
		fprintf(stderr, "motcua backup: %s: %s\n", name, archive_error_string(ar));
	hex_digest(&hs, sha);
	*size = st.st_size;
	return rc;
}

/* ---- backup ---- */

struct table_dump {
	const char *name;
	char path[PATH_MAX];
	int64_t rows;
	char sha[65];
};

static int dump_tables(db *d, arena *a, const char *tmpdir, struct table_dump **out, int *n,
		       json_t *schema)
{
	db_conn *c = db_reader(d);
	if (!c || db_snapshot_begin(c) != MC_OK) {
		fprintf(stderr, "motcua backup: cannot start a snapshot: %s\n",
			c ? db_errmsg(c) : "");
		return -1;
	}
	const char **names;
	db_result *r;
	int rc = 0;
	if (db_tables(c, a, &names, n) != MC_OK ||
	    db_query(c, a, "SELECT version FROM schema_migrations ORDER BY version", DB_NOARGS,
		     &r) != MC_OK) {
		fprintf(stderr, "motcua backup: %s\n", db_errmsg(c));
		db_snapshot_end(c);
		return -1;
	}
	for (int i = 0; i < db_nrows(r); i++)
		json_array_append_new(schema, json_string(db_text(r, i, 0)));
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	struct progress pr;
	progress_start(&pr, "backup: rows", 0);
	for (int i = 0; i < *n && rc == 0; i++) {
		struct table_dump *t = &(*out)[i];
		t->name = names[i];
		snprintf(t->path, sizeof(t->path), "%s/%03d-%s.copy", tmpdir, i, t->name);
		struct spool s = {.f = fopen(t->path, "w"), .pr = &pr};
		crypto_hash_sha256_init(&s.sha);
		if (!s.f) {
			fprintf(stderr, "motcua backup: %s: %s\n", t->path, strerror(errno));
			rc = -1;
			break;
		}
		mc_status st = db_copy_out(c, t->name, spool_line, &s);
		if (fclose(s.f) != 0 || st != MC_OK) {
			fprintf(stderr, "motcua backup: table %s: %s\n", t->name, db_errmsg(c));
			rc = -1;
		}
		t->rows = s.rows > 0 ? s.rows - 1 : 0;
		hex_digest(&s.sha, t->sha);
	}
	db_snapshot_end(c);
	progress_done(&pr, "rows", NULL);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, cmd_backup_usage, &o, true, false);
	if (rc)
		return rc < 0 ? 0 : rc;
	utf8_locale();
	struct config cfg;
	db *d;
	if (cli_load_config(o.data, &cfg) < 0 || cli_open_db(&cfg, false, &d) < 0)
		return 1;
	arena *a = arena_new(0);
	char tmpdir[PATH_MAX + 32], tmpfile[PATH_MAX + 16], blobs[PATH_MAX + 8];
	snprintf(tmpdir, sizeof(tmpdir), "%s.parts-XXXXXX", o.to);
	snprintf(tmpfile, sizeof(tmpfile), "%s.tmp", o.to);
	snprintf(blobs, sizeof(blobs), "%s/blobs", o.data);
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "motcua backup: cannot create a directory beside %s: %s\n", o.to,
			strerror(errno));
		db_close(d);
		arena_free(a);
		return 1;
	}
	json_t *schema = json_array();
	struct table_dump *tables = NULL;
	int ntables = 0;
	rc = dump_tables(d, a, tmpdir, &tables, &ntables, schema) < 0 ? 1 : 0;
	const char *backend = db_backend_name(d);
	db_close(d);

	walk.rootlen = strlen(blobs);
	struct stat st;
	if (rc == 0 && stat(blobs, &st) == 0 && nftw(blobs, walk_cb, 16, FTW_PHYS) != 0) {
		fprintf(stderr, "motcua backup: cannot list %s\n", blobs);
		rc = 1;
	}

	struct archive *ar = archive_write_new();
	archive_write_add_filter_gzip(ar);
	archive_write_set_format_pax_restricted(ar);
	/* File names are UTF-8 whatever the locale ("tờ khai.pdf"). */
	archive_write_set_options(ar, "hdrcharset=UTF-8");
	if (rc == 0 && archive_write_open_filename(ar, tmpfile) != ARCHIVE_OK) {
		fprintf(stderr, "motcua backup: %s: %s\n", tmpfile, archive_error_string(ar));
		rc = 1;
	}
	/* Files are hashed while they are archived, so the manifest (which
	 * must come first for restore) is written after a first pass that
	 * only hashes. Uploaded files are content-addressed and immutable, so
	 * hashing them twice gives the same answer. */
	json_t *jtables = json_array(), *jfiles = json_array();
	for (int i = 0; i < ntables; i++)
		json_array_append_new(jtables, json_pack("{s:s,s:I,s:s}", "name", tables[i].name,
							 "rows", (json_int_t)tables[i].rows,
							 "sha256", tables[i].sha));
	int64_t bytes = 0;
	for (size_t i = 0; rc == 0 && i < walk.n; i++) {
		FILE *f = fopen(walk.paths[i], "rb");
		if (!f) {
			fprintf(stderr, "motcua backup: %s: %s\n", walk.paths[i], strerror(errno));
			rc = 1;
			break;
		}
		crypto_hash_sha256_state hs;
		crypto_hash_sha256_init(&hs);
		char chunk[65536], sha[65];
		size_t n;
		int64_t size = 0;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			crypto_hash_sha256_update(&hs, (unsigned char *)chunk, n);
			size += (int64_t)n;
		}
		fclose(f);
		hex_digest(&hs, sha);
		json_array_append_new(jfiles, json_pack("{s:s,s:I,s:s}", "path",
							walk.paths[i] + walk.rootlen + 1, "size",
							(json_int_t)size, "sha256", sha));
	}
	time_t now = time(NULL);
	char when[32];
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_t *manifest = json_pack("{s:s,s:i,s:s,s:s,s:o,s:o,s:o}", "format", FORMAT_NAME,
				     "version", FORMAT_VERSION, "created", when, "backend", backend,
				     "schema", schema, "tables", jtables, "files", jfiles);
	char *mtext = json_dumps(manifest, JSON_INDENT(1));
	if (rc == 0 && add_bytes(ar, "manifest.json", mtext, strlen(mtext)) < 0)
		rc = 1;
	free(mtext);
	for (int i = 0; rc == 0 && i < ntables; i++) {
		char name[128], sha[65];
		int64_t size;
		snprintf(name, sizeof(name), "tables/%03d-%s.copy", i, tables[i].name);
		if (add_file(ar, name, tables[i].path, sha, &size) < 0)
			rc = 1;
	}
	struct progress pr;
	progress_start(&pr, "backup: files", (int64_t)walk.n);
	for (size_t i = 0; rc == 0 && i < walk.n; i++) {
		char name[PATH_MAX + 8], sha[65];
		int64_t size;
		snprintf(name, sizeof(name), "blobs/%s", walk.paths[i] + walk.rootlen + 1);
		if (add_file(ar, name, walk.paths[i], sha, &size) < 0)
			rc = 1;
		bytes += size;
		progress_add(&pr, 1);
	}
	char note[64];
	snprintf(note, sizeof(note), "%lld bytes", (long long)bytes);
	progress_done(&pr, "files", note);
	if (rc == 0 && (archive_write_close(ar) != ARCHIVE_OK)) {
		fprintf(stderr, "motcua backup: %s: %s\n", tmpfile, archive_error_string(ar));
		rc = 1;
	}
	archive_write_free(ar);
	json_decref(manifest);
	for (int i = 0; i < ntables; i++)
		unlink(tables[i].path);
	rmdir(tmpdir);
	if (rc == 0 && rename(tmpfile, o.to) != 0) {
		fprintf(stderr, "motcua backup: %s: %s\n", o.to, strerror(errno));
		rc = 1;
	}
	if (rc != 0)
		unlink(tmpfile);
	else {
		int64_t rows = 0;
		for (int i = 0; i < ntables; i++)
			rows += tables[i].rows;
		printf("backup %s: %d tables, %lld rows, %zu files\n", o.to, ntables,
		       (long long)rows, walk.n);
	}
	walk_free();
	arena_free(a);
	return rc;
}

/* ---- loading tables (restore and migrate) ---- */

/* Tables to load from spooled COPY files, in foreign-key order, in one
 * transaction (the writer closure load_tables). */
struct load_job {
	const char **names;
	const char **paths;
	int n;
	bool force;		  /* delete existing rows first */
	const char *if_not_empty; /* the advice when a table has rows */
	int64_t rows;
	char err[768];
	struct progress pr;
};

static mc_status empty_tables(db_conn *c, struct load_job *j)
{
	arena *a = arena_new(0);
	const char **names;
	int n;
	mc_status rc = db_tables(c, a, &names, &n);
	for (int i = n - 1; rc == MC_OK && i >= 0; i--) {
		db_result *res;
		rc = db_query(c, a, arena_printf(a, "SELECT COUNT(*) FROM %s", names[i]), DB_NOARGS,
			      &res);
		if (rc != MC_OK || db_int(res, 0, 0) == 0)
			continue;
		if (!j->force) {
			snprintf(j->err, sizeof(j->err), "table %s already has %lld rows; %s",
				 names[i], (long long)db_int(res, 0, 0), j->if_not_empty);
			rc = MC_CONFLICT;
		} else {
			rc = db_exec(c, arena_printf(a, "DELETE FROM %s", names[i]), DB_NOARGS,
				     NULL);
		}
	}
	if (rc != MC_OK && !j->err[0])
		snprintf(j->err, sizeof(j->err), "%s", db_errmsg(c));
	arena_free(a);
	return rc;
}

static mc_status load_tables(db_conn *c, void *arg)
{
	struct load_job *j = arg;
	mc_status rc = empty_tables(c, j);
	for (int i = 0; rc == MC_OK && i < j->n; i++) {
		struct line_reader lr = {
			.f = fopen(j->paths[i], "r"), .data = BUF_INIT(1u << 30), .pr = &j->pr};
		crypto_hash_sha256_init(&lr.sha);
		int64_t rows = 0;
		rc = lr.f ? db_copy_in(c, j->names[i], lines_next, &lr, &rows) : MC_INTERNAL;
		if (lr.f)
			fclose(lr.f);
		buf_release(&lr.data);
		if (rc != MC_OK)
			snprintf(j->err, sizeof(j->err), "table %s: %s", j->names[i], db_errmsg(c));
		j->rows += rows;
	}
	return rc;
}

/* ---- restore ---- */

struct restore {
	struct archive *ar;
	json_t *manifest;
	const char *blob_tmp;  /* files land here until the rows are committed */
	const char *spool_dir; /* tables land here, then load in FK order */
	char err[768];
	size_t files;
	struct progress pr;
};

static json_t *manifest_entry(json_t *list, const char *key, const char *value)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, key)) ?: "", value) == 0)
			return e;
	}
	return NULL;
}

static int mkdirs_for(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0750);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static bool safe_relative(const char *p)
{
	return *p && *p != '/' && !strstr(p, "..") && !strstr(p, "//");
}

/* Copies a table entry to spool_dir/NAME.copy, checking its row count and
 * hash against the manifest before anything touches the database. */
static int spool_table(struct restore *r, const char *entry)
{
	const char *dash = strchr(entry, '-');
	size_t n = dash ? strlen(dash + 1) : 0;
	char table[80];
	if (!dash || n < 6 || n - 5 >= sizeof(table) || strcmp(dash + 1 + n - 5, ".copy") != 0) {
		snprintf(r->err, sizeof(r->err), "%s: not a table file", entry);
		return -1;
	}
	memcpy(table, dash + 1, n - 5);
	table[n - 5] = '\0';
	json_t *m = manifest_entry(json_object_get(r->manifest, "tables"), "name", table);
	if (!m || !db_plain_identifier(table)) {
		snprintf(r->err, sizeof(r->err), "%s: table %s is not in the manifest", entry,
			 table);
		return -1;
	}
	char path[PATH_MAX + 96];
	snprintf(path, sizeof(path), "%s/%s.copy", r->spool_dir, table);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(r->err, sizeof(r->err), "%.600s: %s", path, strerror(errno));
		return -1;
	}
	struct line_reader lr = {.ar = r->ar, .data = BUF_INIT(1u << 30), .pr = &r->pr};
	crypto_hash_sha256_init(&lr.sha);
	const char *line;
	size_t len;
	int more, rc = 0;
	while ((more = lines_next(&lr, &line, &len)) == 1)
		if (fwrite(line, 1, len, f) != len || fputc('\n', f) == EOF)
			more = -1;
	if (fclose(f) != 0 || more < 0)
		rc = -1;
	char sha[65];
	hex_digest(&lr.sha, sha);
	buf_release(&lr.data);
	int64_t rows = lr.lines > 0 ? lr.lines - 1 : 0;
	json_int_t want = json_integer_value(json_object_get(m, "rows"));
	const char *want_sha = json_string_value(json_object_get(m, "sha256"));
	if (rc < 0 || rows != want || !want_sha || strcmp(sha, want_sha) != 0) {
		snprintf(r->err, sizeof(r->err),
			 "table %s: %lld rows read, the manifest says %lld%s: the archive is "
			 "damaged",
			 table, (long long)rows, (long long)want,
			 rows == want ? " but its checksum differs" : "");
		return -1;
	}
	json_object_set_new(m, "path", json_string(path));
	return 0;
}

static int restore_blob(struct restore *r, const char *entry)
{
	const char *rel = entry + strlen("blobs/");
	json_t *m = manifest_entry(json_object_get(r->manifest, "files"), "path", rel);
	if (!safe_relative(rel) || !m) {
		snprintf(r->err, sizeof(r->err), "%s: unexpected file in the archive", entry);
		return -1;
	}
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", r->blob_tmp, rel);
	FILE *f = NULL;
	if (mkdirs_for(path) < 0 || !(f = fopen(path, "wb"))) {
		snprintf(r->err, sizeof(r->err), "%.600s: %s", path, strerror(errno));
		return -1;
	}
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	char chunk[65536], sha[65];
	ssize_t n;
	int64_t size = 0;
	while ((n = archive_read_data(r->ar, chunk, sizeof(chunk))) > 0) {
		crypto_hash_sha256_update(&hs, (unsigned char *)chunk, (size_t)n);
		size += n;
		if (fwrite(chunk, 1, (size_t)n, f) != (size_t)n)
			n = -1;
	}
	if (fclose(f) != 0 || n < 0) {
		snprintf(r->err, sizeof(r->err), "%s: cannot write or read", entry);
		return -1;
	}
	hex_digest(&hs, sha);
	const char *want = json_string_value(json_object_get(m, "sha256"));
	if (!want || strcmp(want, sha) != 0 ||
	    size != json_integer_value(json_object_get(m, "size"))) {
		snprintf(r->err, sizeof(r->err),
			 "%s: content differs from the manifest: the archive is damaged", entry);
		return -1;
	}
	r->files++;
	progress_add(&r->pr, 1);
	return 0;
}

/* Reads every entry: tables to the spool, files to blob_tmp, all checked
 * against the manifest. Entries may come in any order (tar(1) repacks). */
static int read_archive(struct restore *r)
{
	struct archive_entry *e;
	int hr, rc = 0;
	while (rc == 0 &&
	       ((hr = archive_read_next_header(r->ar, &e)) == ARCHIVE_OK || hr == ARCHIVE_WARN)) {
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		if (!name) {
			snprintf(r->err, sizeof(r->err), "an entry without a name in the archive");
			return -1;
		}
		if (archive_entry_filetype(e) == AE_IFDIR)
			continue; /* archives repacked by tar(1) list their folders */
		if (archive_entry_filetype(e) != AE_IFREG) {
			snprintf(r->err, sizeof(r->err), "%s: not a regular file", name);
			return -1;
		}
		if (strncmp(name, "tables/", 7) == 0)
			rc = spool_table(r, name);
		else if (strncmp(name, "blobs/", 6) == 0)
			rc = restore_blob(r, name);
		else {
			snprintf(r->err, sizeof(r->err), "%s: unexpected entry in the archive",
				 name);
			rc = -1;
		}
	}
	if (rc == 0 && hr != ARCHIVE_EOF) {
		snprintf(r->err, sizeof(r->err), "the archive is damaged: %s",
			 archive_error_string(r->ar));
		return -1;
	}
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(r->manifest, "tables"), i, t)
	{
		if (rc == 0 && !json_object_get(t, "path")) {
			snprintf(r->err, sizeof(r->err), "table %s is missing from the archive",
				 json_string_value(json_object_get(t, "name")));
			rc = -1;
		}
	}
	return rc;
}

/* The spooled tables in this database's foreign-key order. */
static int plan_load(db *d, arena *a, json_t *manifest, struct load_job *j, char *err,
		     size_t errlen)
{
	db_conn *c = db_reader(d);
	const char **names;
	int n;
	if (!c || db_tables(c, a, &names, &n) != MC_OK) {
		snprintf(err, errlen, "cannot list the database's tables");
		return -1;
	}
	json_t *tables = json_object_get(manifest, "tables");
	j->names = arena_calloc(a, json_array_size(tables) + 1, sizeof(char *));
	j->paths = arena_calloc(a, json_array_size(tables) + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		json_t *m = manifest_entry(tables, "name", names[i]);
		if (!m)
			continue; /* a table newer than the backup keeps its defaults */
		j->names[j->n] = names[i];
		j->paths[j->n++] = json_string_value(json_object_get(m, "path"));
	}
	if ((size_t)j->n != json_array_size(tables)) {
		snprintf(err, errlen, "the backup has tables this database does not know");
		return -1;
	}
	return 0;
}

static json_t *read_manifest(struct archive *ar, char *err, size_t errlen)
{
	struct archive_entry *e;
	int hr = archive_read_next_header(ar, &e);
	if ((hr != ARCHIVE_OK && hr != ARCHIVE_WARN) || !archive_entry_pathname(e) ||
	    strcmp(archive_entry_pathname(e), "manifest.json") != 0) {
		snprintf(err, errlen, "not a motcua backup (no manifest.json first)");
		return NULL;
	}
	buf b = BUF_INIT(64u << 20);
	char chunk[65536];
	ssize_t n;
	while ((n = archive_read_data(ar, chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	json_error_t je;
	json_t *m = n < 0 || b.overflow ? NULL : json_loadb(buf_str(&b), b.len, 0, &je);
	buf_release(&b);
	if (!m || strcmp(json_string_value(json_object_get(m, "format")) ?: "", FORMAT_NAME) != 0 ||
	    json_integer_value(json_object_get(m, "version")) != FORMAT_VERSION ||
	    !json_is_array(json_object_get(m, "tables")) ||
	    !json_is_array(json_object_get(m, "files"))) {
		snprintf(err, errlen, "manifest.json is not a motcua backup manifest of version %d",
			 FORMAT_VERSION);
		json_decref(m);
		return NULL;
	}
	return m;
}

/* Every schema version in the backup must be known here (a newer backup
 * cannot be restored by an older motcua). */
static int check_schema(db *d, json_t *manifest, char *err, size_t errlen)
{
	db_conn *c = db_reader(d);
	arena *a = arena_new(0);
	db_result *r;
	int rc = 0;
	if (!c || db_query(c, a, "SELECT version FROM schema_migrations", DB_NOARGS, &r) != MC_OK) {
		snprintf(err, errlen, "cannot read schema_migrations");
		rc = -1;
	}
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(manifest, "schema"), i, v)
	{
		bool found = false;
		for (int k = 0; rc == 0 && k < db_nrows(r); k++)
			found |= strcmp(db_text(r, k, 0), json_string_value(v) ?: "") == 0;
		if (rc == 0 && !found) {
			snprintf(err, errlen,
				 "the backup was made by a newer motcua (schema %s); upgrade first",
				 json_string_value(v));
			rc = -1;
		}
	}
	arena_free(a);
	return rc;
}

static int move_blobs(const char *from, const char *to)
{
	walk_free();
	walk.rootlen = strlen(from);
	struct stat st;
	if (stat(from, &st) < 0)
		return 0;
	if (nftw(from, walk_cb, 16, FTW_PHYS) != 0)
		return -1;
	for (size_t i = 0; i < walk.n; i++) {
		char dest[PATH_MAX + 64];
		snprintf(dest, sizeof(dest), "%s/%s", to, walk.paths[i] + walk.rootlen + 1);
		if (mkdirs_for(dest) < 0 || rename(walk.paths[i], dest) < 0)
			return -1;
	}
	return 0;
}

static int rm_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

int cmd_restore(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, cmd_restore_usage, &o, false, true);
	if (rc)
		return rc < 0 ? 0 : rc;
	utf8_locale();
	struct config cfg;
	db *d;
	char err[768];
	if (cli_load_config(o.data, &cfg) < 0)
		return 1;
	struct archive *ar = archive_read_new();
	archive_read_support_filter_all(ar);
	archive_read_support_format_tar(ar);
	if (archive_read_open_filename(ar, o.from, 65536) != ARCHIVE_OK) {
		fprintf(stderr, "motcua restore: %s: %s\n", o.from, archive_error_string(ar));
		archive_read_free(ar);
		return 1;
	}
	json_t *manifest = read_manifest(ar, err, sizeof(err));
	if (!manifest) {
		fprintf(stderr, "motcua restore: %s: %s\n", o.from, err);
		archive_read_free(ar);
		return 1;
	}
	if (cli_open_db(&cfg, true, &d) < 0) {
		json_decref(manifest);
		archive_read_free(ar);
		return 1;
	}
	arena *a = arena_new(0);
	char blob_tmp[PATH_MAX + 32], spool[PATH_MAX + 32], blobs[PATH_MAX + 8];
	snprintf(blobs, sizeof(blobs), "%s/blobs", o.data);
	snprintf(blob_tmp, sizeof(blob_tmp), "%s/blobs.restore-XXXXXX", o.data);
	snprintf(spool, sizeof(spool), "%s/tables.restore-XXXXXX", o.data);
	struct restore r = {
		.ar = ar, .manifest = manifest, .blob_tmp = blob_tmp, .spool_dir = spool};
	struct load_job j = {.force = o.force,
			     .if_not_empty = "restore into an empty database, or add --force to "
					     "delete its rows first"};
	if (check_schema(d, manifest, err, sizeof(err)) < 0) {
		fprintf(stderr, "motcua restore: %s\n", err);
		rc = 1;
	} else if (!mkdtemp(blob_tmp) || !mkdtemp(spool)) {
		fprintf(stderr, "motcua restore: cannot create a folder in %s: %s\n", o.data,
			strerror(errno));
		rc = 1;
	} else {
		progress_start(&r.pr, "restore: reading", 0);
		int ok = read_archive(&r);
		progress_done(&r.pr, "rows and files", NULL);
		mc_status st = MC_INVALID;
		if (ok == 0 && plan_load(d, a, manifest, &j, r.err, sizeof(r.err)) == 0) {
			progress_start(&j.pr, "restore: loading rows", 0);
			st = db_write(d, load_tables, &j);
			progress_done(&j.pr, "rows", NULL);
			if (st != MC_OK)
				snprintf(r.err, sizeof(r.err), "%s", j.err);
		}
		if (st != MC_OK) {
			fprintf(stderr, "motcua restore: nothing was changed: %s\n",
				r.err[0] ? r.err : mc_status_name(st));
			rc = 1;
		} else if ((mkdir(blobs, 0750) < 0 && errno != EEXIST) ||
			   move_blobs(blob_tmp, blobs) < 0) {
			fprintf(stderr,
				"motcua restore: rows restored, but moving files into %s failed: "
				"%s\n",
				blobs, strerror(errno));
			rc = 1;
		}
	}
	nftw(blob_tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	nftw(spool, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	if (rc == 0)
		printf("restored %s: %lld rows, %zu files (backup of %s from %s)\n", o.from,
		       (long long)j.rows, r.files,
		       json_string_value(json_object_get(manifest, "backend")),
		       json_string_value(json_object_get(manifest, "created")));
	walk_free();
	db_close(d);
	arena_free(a);
	json_decref(manifest);
	archive_read_free(ar);
	return rc;
}

/* ---- migrate ---- */

struct chunk_job {
	const char *hash, *path;
	uint64_t size;
};

static mc_status chunk_fn(db_conn *c, void *p)
{
	struct chunk_job *j = p;
	return blob_chunk_file(c, j->hash, j->size, j->path);
}

/*
 * Loads the files of DIR/blobs into the PostgreSQL database as chunks, one
 * file per write, so that every node serves them (docs/deploy.md). A file
 * already there is skipped, so an interrupted migrate can be run again.
 */
static int migrate_blobs(db *src, db *dst, const char *data)
{
	arena *a = arena_new(0);
	db_conn *c = db_reader(src);
	db_result *r;
	if (!c ||
	    db_query(c, a, "SELECT hash, size FROM blob ORDER BY hash", DB_NOARGS, &r) != MC_OK) {
		fprintf(stderr, "motcua migrate: cannot list the uploaded files\n");
		arena_free(a);
		return -1;
	}
	struct progress pr;
	progress_start(&pr, "migrate: files", db_nrows(r));
	int rc = 0;
	for (int i = 0; rc == 0 && i < db_nrows(r); i++) {
		const char *hash = db_text(r, i, 0);
		char path[PATH_MAX + 80];
		snprintf(path, sizeof(path), "%s/blobs/%.2s/%s", data, hash, hash);
		struct chunk_job j = {hash, path, (uint64_t)db_int(r, i, 1)};
		mc_status st = db_write(dst, chunk_fn, &j);
		if (st != MC_OK) {
			fprintf(stderr, "motcua migrate: file %s: %s\n", path, mc_status_name(st));
			rc = -1;
		}
		progress_add(&pr, 1);
	}
	progress_done(&pr, "files", rc == 0 ? "in the database" : "FAILED");
	arena_free(a);
	return rc;
}

/* Compares row counts table by table; prints differences. */
static int compare_counts(db *src, db *dst, const char **names, int n)
{
	arena *a = arena_new(0);
	db_conn *cs = db_reader(src), *cd = db_reader(dst);
	int rc = cs && cd ? 0 : -1;
	for (int i = 0; rc == 0 && i < n; i++) {
		const char *sql = arena_printf(a, "SELECT COUNT(*) FROM %s", names[i]);
		db_result *x, *y;
		if (db_query(cs, a, sql, DB_NOARGS, &x) != MC_OK ||
		    db_query(cd, a, sql, DB_NOARGS, &y) != MC_OK ||
		    db_int(x, 0, 0) != db_int(y, 0, 0)) {
			fprintf(stderr, "motcua migrate: table %s differs after the copy\n",
				names[i]);
			rc = -1;
		}
	}
	arena_free(a);
	return rc;
}

int cmd_migrate(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, cmd_migrate_usage, &o, true, false);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (strncmp(o.to, "postgres://", 11) != 0 && strncmp(o.to, "postgresql://", 13) != 0)
		return usage(cmd_migrate_usage, "--to must be a postgres:// URL, not", o.to);
	struct config cfg;
	db *src, *dst;
	char err[512];
	if (cli_load_config(o.data, &cfg) < 0 || cli_open_db(&cfg, true, &src) < 0)
		return 1;
	if (db_open(o.to, &dst, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "motcua migrate: %s\n", err);
		db_close(src);
		return 1;
	}
	int applied;
	if (db_migrate(dst, &applied, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "motcua migrate: preparing the schema: %s\n", err);
		db_close(src);
		db_close(dst);
		return 1;
	}
	arena *a = arena_new(0);
	char tmpdir[] = "/tmp/motcua-migrate-XXXXXX";
	struct table_dump *tables = NULL;
	struct load_job m = {.if_not_empty = "migrate into an empty PostgreSQL database"};
	json_t *schema = json_array();
	if (!mkdtemp(tmpdir) || dump_tables(src, a, tmpdir, &tables, &m.n, schema) < 0) {
		rc = 1;
	} else {
		m.names = arena_calloc(a, (size_t)m.n + 1, sizeof(char *));
		m.paths = arena_calloc(a, (size_t)m.n + 1, sizeof(char *));
		for (int i = 0; i < m.n; i++) {
			m.names[i] = tables[i].name;
			m.paths[i] = tables[i].path;
		}
		progress_start(&m.pr, "migrate: rows", 0);
		mc_status st = db_write(dst, load_tables, &m);
		progress_done(&m.pr, "rows", NULL);
		if (st != MC_OK) {
			fprintf(stderr, "motcua migrate: nothing was copied: %s\n",
				m.err[0] ? m.err : mc_status_name(st));
			rc = 1;
		} else if (compare_counts(src, dst, m.names, m.n) < 0 ||
			   migrate_blobs(src, dst, o.data) < 0) {
			rc = 1;
		}
	}
	for (int i = 0; tables && i < m.n; i++)
		unlink(tables[i].path);
	rmdir(tmpdir);
	json_decref(schema);
	if (rc == 0)
		printf("migrated %lld rows in %d tables and the uploaded files to PostgreSQL; set "
		       "'database = %s' in %s/motcua.conf (%s/blobs may then be archived)\n",
		       (long long)m.rows, m.n, o.to, o.data, o.data);
	db_close(src);
	db_close(dst);
	arena_free(a);
	return rc;
}
