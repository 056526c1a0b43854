/*
 * catalogue.c - `motcua import procedures|agencies FILE` and
 * `motcua export procedures|agencies [FILE]`.
 *
 * Procedures come as JSON lines, either the national portal's records
 * (detected by their "ma_thu_tuc" key, parsed by domain/dvcqg.c) or our own
 * catalogue format (docs/catalogue.md); agencies as tab- or comma-separated
 * text with a header naming the columns (data/agencies/ shows them), or as
 * JSON lines with the same keys. Files may be gzip-compressed.
 *
 * Import is all or nothing: every line is checked first and every problem
 * is reported with its line (and column, for JSON syntax); only a file
 * without problems is written, in one transaction. Importing the same file
 * again changes nothing. Export writes what import reads.
 */
#include <archive.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/lines.h"
#include "core/arena.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/agency.h"
#include "domain/audit.h"
#include "domain/calendar.h"
#include "domain/catalogue.h"
#include "domain/catalogue_cache.h"
#include "domain/dvcqg.h"

#define MAX_REPORTED 50

const char cmd_import_usage[] =
	"usage: motcua import procedures|agencies FILE --data DIR [--skip-invalid] [--local-only]\n"
	"  procedures: JSON lines, the national portal's records or motcua's catalogue format\n"
	"    --skip-invalid  import the valid records and report the others (instead of nothing)\n"
	"    --local-only    only procedures carried out at province, district or commune level\n"
	"  agencies:   CSV or TSV with a header (code, identifier, kind, level, parent_code, "
	"name,\n"
	"              address, phone, email, website, valid_from, valid_to, successor_code),\n"
	"              or JSON lines with those keys\n"
	"  FILE may be gzip-compressed. Nothing is written unless every line is valid.\n";
const char cmd_export_usage[] =
	"usage: motcua export procedures|agencies [FILE] --data DIR\n"
	"  Writes JSON lines (to standard output when no FILE is named) that import reads back.\n"
	"       motcua export dossiers [--since CURSOR] --data DIR (the national sync export)\n";

static int usage(const char *text, const char *problem, const char *arg)
{
	fprintf(stderr, "motcua: %s%s%s\n%s", problem, arg ? " " : "", arg ? arg : "", text);
	return 2;
}

struct import_opts {
	bool skip_invalid, local_only;
};

/* Parses "KIND [FILE] --data DIR"; returns 0, 2 (usage) or -1 (--help).
 * io is NULL for export, which takes no import flags. */
static int parse(int argc, char **argv, const char *text, bool file_required, const char **kind,
		 const char **file, const char **data, struct import_opts *io)
{
	*kind = *file = *data = NULL;
	for (int i = 1; i < argc; i++) {
		if (io && strcmp(argv[i], "--skip-invalid") == 0) {
			io->skip_invalid = true;
		} else if (io && strcmp(argv[i], "--local-only") == 0) {
			io->local_only = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(text, stdout);
			return -1;
		} else if (strcmp(argv[i], "--data") == 0) {
			if (++i == argc)
				return usage(text, "this flag needs a value:", "--data");
			*data = argv[i];
		} else if (strncmp(argv[i], "--data=", 7) == 0) {
			*data = argv[i] + 7;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(text, "unknown flag", argv[i]);
		} else if (!*kind) {
			*kind = argv[i];
		} else if (!*file) {
			*file = argv[i];
		} else {
			return usage(text, "unexpected argument", argv[i]);
		}
	}
	if (!*kind || (strcmp(*kind, "procedures") != 0 && strcmp(*kind, "agencies") != 0))
		return usage(text, "say what: procedures or agencies, not",
			     *kind ? *kind : "nothing");
	if (file_required && !*file)
		return usage(text, "FILE is required", NULL);
	if (!*data)
		return usage(text, "--data DIR is required", NULL);
	if (io && (io->skip_invalid || io->local_only) && strcmp(*kind, "procedures") != 0)
		return usage(text, "--skip-invalid and --local-only are for procedures", NULL);
	return 0;
}

/* ---- reading the input ---- */

struct input {
	struct archive *ar;
	struct line_reader lr;
	const char *name;
};

static int input_open(struct input *in, const char *path)
{
	memset(in, 0, sizeof(*in));
	struct stat st;
	if (stat(path, &st) == 0 && st.st_size == 0) {
		fprintf(stderr, "motcua import: %s is empty\n", path);
		return -1;
	}
	in->name = path;
	in->ar = archive_read_new();
	archive_read_support_filter_all(in->ar); /* gzip, xz, ... or none */
	archive_read_support_format_raw(in->ar);
	struct archive_entry *e;
	if (archive_read_open_filename(in->ar, path, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(in->ar, &e) != ARCHIVE_OK) {
		fprintf(stderr, "motcua import: %s: %s\n", path, archive_error_string(in->ar));
		archive_read_free(in->ar);
		return -1;
	}
	in->lr = (struct line_reader){
		.ar = in->ar, .data = BUF_INIT(64u << 20), .lenient_end = true};
	crypto_hash_sha256_init(&in->lr.sha);
	return 0;
}

/* hex(SHA-256) of every byte read so far: the whole file once read. */
static void input_sha256(struct input *in, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&in->lr.sha, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/*
 * The one "catalogue.import" audit entry of an import, in its write: subject
 * "catalogue:<what>", data {sha256, ...counts} (counts consumed), actor
 * "cli:<user>". One entry per import, not one per record.
 */
static mc_status audit_import(db_conn *c, const char *what, const char *sha256, json_t *counts)
{
	char actor[96], subject[64];
	snprintf(subject, sizeof(subject), "catalogue:%s", what);
	json_object_set_new(counts, "sha256", json_string(sha256));
	mc_status rc = audit_append(c, cli_actor(actor, sizeof(actor)), "catalogue.import", subject,
				    counts, NULL);
	json_decref(counts);
	return rc;
}

static void input_close(struct input *in)
{
	buf_release(&in->lr.data);
	archive_read_free(in->ar);
}

/* Problems are printed as they are found, the first MAX_REPORTED of them. */
struct problems {
	const char *file;
	int count;
};

static void problem(struct problems *p, long line, long column, const char *msg)
{
	if (p->count++ >= MAX_REPORTED)
		return;
	if (column > 0)
		fprintf(stderr, "%s:%ld:%ld: %s\n", p->file, line, column, msg);
	else
		fprintf(stderr, "%s:%ld: %s\n", p->file, line, msg);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* ---- procedures ---- */

struct proc_import {
	struct import_opts opts;
	int skipped, other_level;
	struct procedure_rec *recs;
	size_t n, cap;
	arena *a;
	int added, updated, unchanged;
	int64_t assigned;
	char err[512];
	struct progress pr;
	char sha256[65];
};

static void keep(struct proc_import *im, const struct procedure_rec *p)
{
	if (im->n == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 256;
		im->recs = realloc(im->recs, im->cap * sizeof(*im->recs));
		if (!im->recs)
			abort();
	}
	im->recs[im->n++] = *p;
}

/* Parses one line into a record; false after reporting the problem. */
static bool read_procedure(struct proc_import *im, struct problems *pb, long line, const char *text,
			   size_t len, bool *duplicate)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, 0, &je);
	if (!j) {
		problem(pb, line, je.column, je.text);
		return false;
	}
	struct procedure_rec p;
	char err[512];
	bool ok;
	if (json_object_get(j, "ma_thu_tuc")) {
		struct dvcqg_report rep;
		ok = dvcqg_parse(j, im->a, &p, &rep) == 0;
		if (!ok)
			snprintf(err, sizeof(err), "%s",
				 rep.nproblems ? rep.problems[0].message
					       : "the national record cannot be used");
	} else {
		ok = procedure_from_json(j, im->a, &p, err, sizeof(err)) == 0;
	}
	json_decref(j);
	if (!ok) {
		if (im->opts.skip_invalid) {
			im->skipped++;
			fprintf(stderr, "%s:%ld: skipped: %s\n", pb->file, line, err);
			return false;
		}
		problem(pb, line, 0, err);
		return false;
	}
	if (im->opts.local_only && !(p.levels & PROCEDURE_LEVEL_LOCAL)) {
		im->other_level++;
		return false;
	}
	for (size_t i = 0; i < im->n; i++)
		if (strcmp(im->recs[i].code, p.code) == 0) {
			char msg[128];
			snprintf(msg, sizeof(msg), "procedure %s appears twice in the file",
				 p.code);
			problem(pb, line, 0, msg);
			*duplicate = true;
			return false;
		}
	keep(im, &p);
	return true;
}

static mc_status write_procedures(db_conn *c, void *arg)
{
	struct proc_import *im = arg;
	for (size_t i = 0; i < im->n; i++) {
		enum catalogue_change ch;
		mc_status rc = catalogue_put(c, &im->recs[i], &ch);
		if (rc != MC_OK) {
			snprintf(im->err, sizeof(im->err), "procedure %s: %s", im->recs[i].code,
				 db_errmsg(c));
			return rc;
		}
		im->added += ch == CATALOGUE_ADDED;
		im->updated += ch == CATALOGUE_UPDATED;
		im->unchanged += ch == CATALOGUE_UNCHANGED;
		progress_add(&im->pr, 1);
	}
	mc_status rc = catalogue_assign_agencies(c, &im->assigned);
	if (rc != MC_OK)
		return rc;
	return audit_import(c, "procedures", im->sha256,
			    json_pack("{s:I,s:i,s:i,s:i,s:I,s:i,s:i}", "records", (json_int_t)im->n,
				      "added", im->added, "updated", im->updated, "unchanged",
				      im->unchanged, "assigned", (json_int_t)im->assigned,
				      "skipped", im->skipped, "other_level", im->other_level));
}

static int import_procedures(db *d, const char *file, struct import_opts opts)
{
	struct input in;
	if (input_open(&in, file) < 0)
		return 1;
	struct proc_import im = {.a = arena_new(1u << 20), .opts = opts};
	struct problems pb = {file, 0};
	const char *text;
	size_t len;
	int more;
	long line = 0;
	bool dup = false;
	progress_start(&im.pr, "import: checking lines", 0);
	in.lr.pr = NULL;
	while ((more = lines_next(&in.lr, &text, &len)) == 1) {
		line++;
		progress_add(&im.pr, 1);
		if (!blank(text, len))
			read_procedure(&im, &pb, line, text, len, &dup);
	}
	progress_done(&im.pr, "lines", NULL);
	if (more < 0)
		problem(&pb, line + 1, 0,
			"cannot read this line (too long, or the file is damaged)");
	int rc = 0;
	if (pb.count) {
		fprintf(stderr, "motcua import: %d problem%s%s; nothing was imported\n", pb.count,
			pb.count == 1 ? "" : "s",
			pb.count > MAX_REPORTED ? " (the first 50 are shown)" : "");
		rc = 1;
	} else {
		input_sha256(&in, im.sha256);
		progress_start(&im.pr, "import: writing procedures", (int64_t)im.n);
		mc_status st = catalogue_cache_write(d, write_procedures, &im);
		progress_done(&im.pr, "procedures", NULL);
		if (st != MC_OK) {
			fprintf(stderr, "motcua import: nothing was imported: %s\n",
				im.err[0] ? im.err : mc_status_name(st));
			rc = 1;
		} else {
			printf("imported %s: %zu procedures (%d added, %d updated, %d unchanged), "
			       "%lld "
			       "agency assignments added; %d invalid records skipped, %d not "
			       "carried out in the "
			       "province left out\n",
			       file, im.n, im.added, im.updated, im.unchanged,
			       (long long)im.assigned, im.skipped, im.other_level);
		}
	}
	free(im.recs);
	arena_free(im.a);
	input_close(&in);
	return rc;
}

/* ---- agencies ---- */

static const char *const agency_cols[] = {
	"code",	 "identifier", "kind",	  "level",	"parent_code", "name",		"address",
	"phone", "email",      "website", "valid_from", "valid_to",    "successor_code"};
#define NCOLS ((int)(sizeof(agency_cols) / sizeof(agency_cols[0])))

struct agency_row {
	const char *v[NCOLS]; /* NULL for empty */
	long line;
};

struct agency_import {
	struct agency_row *rows;
	size_t n, cap;
	arena *a;
	char err[512];
	int written;
	char sha256[65];
};

/* Splits a CSV (quotes allowed) or TSV line into fields in a. */
static int split_fields(arena *a, const char *s, size_t len, char sep, const char **out, int max)
{
	int n = 0;
	size_t i = 0;
	while (n < max) {
		buf f = BUF_INIT(1u << 16);
		if (sep == ',' && i < len && s[i] == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
					buf_putc(&f, s[i++]);
				else if (s[i] == '"')
					break;
				else
					buf_putc(&f, s[i]);
			}
			if (i >= len) {
				buf_release(&f);
				return -1; /* an unterminated quote */
			}
			i++;
		} else {
			while (i < len && s[i] != sep)
				buf_putc(&f, s[i++]);
		}
		out[n++] = arena_strdup(a, buf_str(&f));
		buf_release(&f);
		if (i >= len || s[i] != sep)
			return i >= len ? n : -1;
		i++;
	}
	return -1;
}

static const char *const levels[] = {"province", "department", "district", "commune", "unit"};

/* Checks one agency row; returns the problem or NULL. */
static const char *check_agency(arena *a, const char **v)
{
	if (!v[0] || !agency_code_valid(v[0]))
		return "code: use lower-case letters, digits, '-' and '.' (at most 64)";
	if (!v[5])
		return "name: required";
	bool known = false;
	for (size_t i = 0; v[3] && i < sizeof(levels) / sizeof(levels[0]); i++)
		known |= strcmp(levels[i], v[3]) == 0;
	if (!known)
		return "level: one of province, department, district, commune, unit";
	for (int i = 0; i < NCOLS; i++) {
		const char *clean;
		if (v[i] && text_clean(a, v[i], strlen(v[i]), 0, 1000, &clean) != TEXT_OK)
			return arena_printf(a,
					    "%s: not valid UTF-8 text of at most 1000 characters",
					    agency_cols[i]);
		if (v[i])
			v[i] = clean;
	}
	struct solar_date day;
	if (v[10] && !date_parse(v[10], &day))
		return "valid_from: a date YYYY-MM-DD";
	if (v[11] && !date_parse(v[11], &day))
		return "valid_to: a date YYYY-MM-DD";
	return NULL;
}

static void keep_agency(struct agency_import *im, const char **v, long line)
{
	if (im->n == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 256;
		im->rows = realloc(im->rows, im->cap * sizeof(*im->rows));
		if (!im->rows)
			abort();
	}
	struct agency_row *r = &im->rows[im->n++];
	for (int i = 0; i < NCOLS; i++)
		r->v[i] = v[i] && *v[i] ? v[i] : NULL;
	r->line = line;
}

/* A header line: every column named once, in any order; the map gives the
 * position of each known column (-1 when absent). */
static const char *read_header(const char **f, int n, int *map)
{
	for (int k = 0; k < NCOLS; k++)
		map[k] = -1;
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (k < NCOLS && strcmp(agency_cols[k], f[i]) != 0)
			k++;
		if (k == NCOLS)
			return "unknown column in the header";
		if (map[k] >= 0)
			return "a column is named twice in the header";
		map[k] = i;
	}
	if (map[0] < 0 || map[3] < 0 || map[5] < 0)
		return "the header needs at least code, level and name";
	return NULL;
}

static void read_agency_line(struct agency_import *im, struct problems *pb, long line,
			     const char *text, size_t len, char sep, int *map, bool *header)
{
	const char *f[64], *v[NCOLS] = {0};
	if (sep == '{') {
		json_error_t je;
		json_t *j = json_loadb(text, len, 0, &je);
		if (!j || !json_is_object(j)) {
			problem(pb, line, j ? 1 : je.column, j ? "not a JSON object" : je.text);
			json_decref(j);
			return;
		}
		const char *key;
		json_t *val;
		json_object_foreach(j, key, val)
		{
			int k = 0;
			while (k < NCOLS && strcmp(agency_cols[k], key) != 0)
				k++;
			if (k == NCOLS || (!json_is_string(val) && !json_is_null(val))) {
				problem(pb, line, 0,
					arena_printf(im->a, "%s: unknown key or not a string",
						     key));
				json_decref(j);
				return;
			}
			v[k] = json_is_string(val) ? arena_strdup(im->a, json_string_value(val))
						   : NULL;
		}
		json_decref(j);
	} else {
		int n = split_fields(im->a, text, len, sep, f, 64);
		if (n < 0) {
			problem(pb, line, 0, "broken quoting or too many fields");
			return;
		}
		if (!*header) {
			const char *msg = read_header(f, n, map);
			if (msg)
				problem(pb, line, 0, msg);
			*header = true;
			return;
		}
		int want = 0;
		for (int k = 0; k < NCOLS; k++)
			want += map[k] >= 0;
		if (n != want) {
			problem(pb, line, 0,
				arena_printf(im->a, "%d fields, the header has %d", n, want));
			return;
		}
		for (int k = 0; k < NCOLS; k++)
			v[k] = map[k] >= 0 && *f[map[k]] ? f[map[k]] : NULL;
	}
	const char *msg = check_agency(im->a, v);
	if (msg) {
		problem(pb, line, 0, msg);
		return;
	}
	for (size_t i = 0; i < im->n; i++)
		if (strcmp(im->rows[i].v[0], v[0]) == 0) {
			problem(pb, line, 0, arena_printf(im->a, "agency %s appears twice", v[0]));
			return;
		}
	keep_agency(im, v, line);
}

static mc_status write_agencies(db_conn *c, void *arg)
{
	struct agency_import *im = arg;
	/* Parents may come after their children in the file: insert without
	 * links first, then set the links. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < im->n; i++) {
			const char **v = im->rows[i].v;
			mc_status rc = pass == 0 ? db_exec(c,
							   "INSERT INTO agency (code, identifier, "
							   "kind, level, name,"
							   " address, phone, email, website, "
							   "valid_from, valid_to)"
							   " VALUES ($1, $2, COALESCE($3, ''), $4, "
							   "$5, COALESCE($6, ''),"
							   " COALESCE($7, ''), COALESCE($8, ''), "
							   "COALESCE($9, ''), $10, $11)"
							   " ON CONFLICT (code) DO UPDATE SET "
							   "identifier = excluded.identifier,"
							   " kind = excluded.kind, level = "
							   "excluded.level, name = excluded.name,"
							   " address = excluded.address, phone = "
							   "excluded.phone,"
							   " email = excluded.email, website = "
							   "excluded.website,"
							   " valid_from = excluded.valid_from, "
							   "valid_to = excluded.valid_to",
							   DB_ARGS(DB_TEXT(v[0]), DB_TEXT(v[1]),
								   DB_TEXT(v[2]), DB_TEXT(v[3]),
								   DB_TEXT(v[5]), DB_TEXT(v[6]),
								   DB_TEXT(v[7]), DB_TEXT(v[8]),
								   DB_TEXT(v[9]), DB_TEXT(v[10]),
								   DB_TEXT(v[11])),
							   NULL)
						 : db_exec(c,
							   "UPDATE agency SET parent_code = $2, "
							   "successor_code = $3"
							   " WHERE code = $1",
							   DB_ARGS(DB_TEXT(v[0]), DB_TEXT(v[4]),
								   DB_TEXT(v[12])),
							   NULL);
			if (rc != MC_OK) {
				snprintf(im->err, sizeof(im->err), "line %ld, agency %s: %s",
					 im->rows[i].line, v[0],
					 rc == MC_CONFLICT ? "unknown parent or successor, or an "
							     "identifier another agency has"
							   : db_errmsg(c));
				return rc;
			}
			im->written += pass == 0;
		}
	return audit_import(c, "agencies", im->sha256, json_pack("{s:i}", "agencies", im->written));
}

static int import_agencies(db *d, const char *file)
{
	struct input in;
	if (input_open(&in, file) < 0)
		return 1;
	struct agency_import im = {.a = arena_new(1u << 16)};
	struct problems pb = {file, 0};
	const char *text;
	size_t len;
	int more, map[NCOLS];
	long line = 0;
	bool header = false;
	char sep = 0;
	while ((more = lines_next(&in.lr, &text, &len)) == 1) {
		line++;
		if (blank(text, len))
			continue;
		if (!sep) /* JSON lines, or the header tells tab from comma */
			sep = text[0] == '{' ? '{' : memchr(text, '\t', len) ? '\t' : ',';
		read_agency_line(&im, &pb, line, text, len, sep, map, &header);
	}
	if (more < 0)
		problem(&pb, line + 1, 0,
			"cannot read this line (too long, or the file is damaged)");
	int rc = 0;
	if (pb.count) {
		fprintf(stderr, "motcua import: %d problem%s; nothing was imported\n", pb.count,
			pb.count == 1 ? "" : "s");
		rc = 1;
	} else if (input_sha256(&in, im.sha256), db_write(d, write_agencies, &im) != MC_OK) {
		fprintf(stderr, "motcua import: nothing was imported: %s\n", im.err);
		rc = 1;
	} else {
		printf("imported %s: %d agencies\n", file, im.written);
	}
	free(im.rows);
	arena_free(im.a);
	input_close(&in);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	const char *kind, *file, *data;
	struct import_opts io = {0};
	int rc = parse(argc, argv, cmd_import_usage, true, &kind, &file, &data, &io);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0)
		return 1;
	rc = strcmp(kind, "procedures") == 0 ? import_procedures(d, file, io)
					     : import_agencies(d, file);
	db_close(d);
	return rc;
}

/* ---- export ---- */

static int export_rows(db *d, FILE *out, bool procedures)
{
	db_conn *c = db_reader(d);
	arena *a = arena_new(0);
	db_result *r;
	const char *sql = procedures ? "SELECT code, record FROM procedure ORDER BY code"
				     : "SELECT code, identifier, kind, level, parent_code, name,"
				       " address, phone, email, website, valid_from, valid_to,"
				       " successor_code FROM agency ORDER BY code";
	if (!c || db_query(c, a, sql, DB_NOARGS, &r) != MC_OK) {
		fprintf(stderr, "motcua export: %s\n", c ? db_errmsg(c) : "no database");
		arena_free(a);
		return 1;
	}
	int n = db_nrows(r), rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		if (procedures) {
			if (fprintf(out, "%s\n", db_text(r, i, 1)) < 0)
				rc = 1;
			continue;
		}
		json_t *o = json_object();
		for (int k = 0; k < NCOLS; k++)
			json_object_set_new(o, agency_cols[k],
					    db_isnull(r, i, k) ? json_null()
							       : json_string(db_text(r, i, k)));
		char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (fprintf(out, "%s\n", line) < 0)
			rc = 1;
		free(line);
		json_decref(o);
	}
	fprintf(stderr, "export: %d %s\n", n, procedures ? "procedures" : "agencies");
	arena_free(a);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "dossiers") == 0)
		return cmd_export_dossiers(argc, argv);
	const char *kind, *file, *data;
	int rc = parse(argc, argv, cmd_export_usage, false, &kind, &file, &data, NULL);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0)
		return 1;
	FILE *out = file ? fopen(file, "w") : stdout;
	if (!out) {
		perror(file);
		db_close(d);
		return 1;
	}
	rc = export_rows(d, out, strcmp(kind, "procedures") == 0);
	if (file && fclose(out) != 0) {
		perror(file);
		rc = 1;
	}
	db_close(d);
	return rc;
}
