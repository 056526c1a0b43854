/*
 * catalogue_report.c - builds the shipped procedure catalogue from the
 * national portal crawl, and the report of how well it parsed.
 *
 * Reads the crawl (.jsonl.gz, one national record per line), parses each
 * record with dvcqg_parse, keeps those carried out at province, district or
 * commune level, and writes OUTDIR/procedures.jsonl (our format, one record
 * per line, sorted by code) and OUTDIR/REPORT.md (statistics and every record
 * that did not parse cleanly). Every written line is read back with
 * procedure_from_json and compared with what was parsed; any difference is a
 * bug and fails the run. The output depends only on the input: no dates, no
 * paths, no hash-order iteration. It must never write a partial file in
 * place of a good one: both files are written to a temporary name and
 * renamed.
 *
 * Build and run (after `make`, from the repository root):
 *
 *   gcc -std=c17 -D_GNU_SOURCE -O2 -Isrc -o build/catalogue_report \
 *       tools/catalogue_report.c build/libmotcua.a \
 *       $(pkg-config --cflags --libs jansson libutf8proc zlib)
 *   build/catalogue_report ../shared/data/dvcqg_procedures_2026.jsonl.gz data/catalogue
 *
 * `build/catalogue_report --show CODE FILE.jsonl.gz` prints one record as
 * parsed, with its problems, for looking into a parse.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/dvcqg.h"
#include "domain/procedure.h"

#define MAX_LINE      (64u << 20)
#define LIST_MESSAGES 3 /* problems quoted per record in the report */

struct stats {
	unsigned records, rejected, clean, partial;
	unsigned local, local_clean, local_partial, local_rejected;
	unsigned sec_records[DVCQG_NSECTIONS]; /* records with a problem there */
	unsigned sec_problems[DVCQG_NSECTIONS];
	unsigned local_sec_records[DVCQG_NSECTIONS];
	unsigned prefix_dropped, service[3], units[6], methods, documents, templates, legal,
		results, legal_unnumbered, results_uncoded;
};

/* One output line with its code, kept until all are read so they can be
 * sorted by code. */
struct out_line {
	char code[16];
	char *text; /* a catalogue line, or a report row */
};

struct lines {
	struct out_line *v;
	size_t n, cap;
};

/* Reads one line (without its newline) from a gzip stream into b; returns 0,
 * 1 at the end of the input, -1 on an error or a line over MAX_LINE. */
static int read_line(gzFile in, buf *b)
{
	buf_reset(b);
	for (;;) {
		int ch = gzgetc(in);
		if (ch == -1) {
			int err;
			gzerror(in, &err);
			if (err != Z_OK && err != Z_STREAM_END)
				return -1;
			return b->len ? 0 : 1;
		}
		if (ch == '\n')
			return 0;
		if (buf_putc(b, (char)ch))
			return -1;
	}
}

static void push_line(struct lines *l, const char *code, char *text)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			perror("realloc");
			exit(1);
		}
	}
	struct out_line *o = &l->v[l->n++];
	snprintf(o->code, sizeof(o->code), "%s", code);
	o->text = text;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct out_line *)a)->code, ((const struct out_line *)b)->code);
}

/* Dumps p, reads the dump back and compares: the shipped file must be
 * exactly what the importer will see. Returns the dump, or NULL. */
static char *dump_checked(const struct procedure_rec *p, arena *a)
{
	json_t *j = procedure_to_json(p);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	json_error_t jerr;
	json_t *back = json_loads(text, 0, &jerr);
	struct procedure_rec q;
	char err[256];
	int rc = back ? procedure_from_json(back, a, &q, err, sizeof(err)) : -1;
	json_decref(back);
	if (rc) {
		fprintf(stderr, "%s: our own output does not read back: %s\n", p->code,
			back ? err : jerr.text);
	} else if (!procedure_equal(p, &q)) {
		fprintf(stderr, "%s: read back differs from what was written\n", p->code);
		rc = -1;
	}
	if (rc) {
		free(text);
		return NULL;
	}
	return text;
}

static void count(struct stats *st, const struct procedure_rec *p, const struct dvcqg_report *rep,
		  bool local)
{
	st->records++;
	st->local += local;
	if (rep->rejected) {
		st->rejected++;
		st->local_rejected += local;
		return;
	}
	bool clean = dvcqg_report_total(rep) == 0;
	st->clean += clean;
	st->partial += !clean;
	st->local_clean += local && clean;
	st->local_partial += local && !clean;
	for (int s = 0; s < DVCQG_NSECTIONS; s++) {
		st->sec_problems[s] += rep->counts[s];
		st->sec_records[s] += rep->counts[s] > 0;
		st->local_sec_records[s] += local && rep->counts[s] > 0;
	}
	if (!local)
		return;
	st->prefix_dropped += rep->name_prefix_dropped;
	st->service[p->service_level]++;
	st->methods += (unsigned)p->nmethods;
	for (size_t i = 0; i < p->nmethods; i++)
		st->units[p->methods[i].time_unit]++;
	st->documents += (unsigned)p->ndocuments;
	for (size_t i = 0; i < p->ndocuments; i++)
		st->templates += (unsigned)p->documents[i].ntemplates;
	st->legal += (unsigned)p->nlegal_basis;
	for (size_t i = 0; i < p->nlegal_basis; i++)
		st->legal_unnumbered += !*p->legal_basis[i].number;
	st->results += (unsigned)p->nresults;
	for (size_t i = 0; i < p->nresults; i++)
		st->results_uncoded += !*p->results[i].code;
}

/* Markdown table cells must not hold '|' or line breaks. */
static void put_cell(buf *b, const char *s)
{
	for (; *s; s++)
		buf_putc(b, *s == '|' ? '/' : *s == '\n' ? ' ' : *s);
}

static void list_entry(struct lines *list, const char *code, const struct dvcqg_report *rep,
		       bool local)
{
	buf line = BUF_INIT(1 << 20);
	buf *b = &line;
	buf_printf(b, "| %s | %s | %u | ", code,
		   rep->rejected ? "rejected"
		   : local	 ? "yes"
				 : "no",
		   dvcqg_report_total(rep));
	for (size_t i = 0; i < rep->nproblems && i < LIST_MESSAGES; i++) {
		if (i)
			buf_puts(b, "<br>");
		put_cell(b, rep->problems[i].message);
	}
	if (dvcqg_report_total(rep) > LIST_MESSAGES)
		buf_puts(b, "<br>...");
	buf_puts(b, " |\n");
	size_t len;
	push_line(list, code, buf_detach(b, &len));
}

static void section_table(buf *b, const struct stats *st)
{
	unsigned all = st->records - st->rejected, local = st->local - st->local_rejected;
	buf_puts(b, "| section | clean | with problems | clean, shipped | with problems, shipped "
		    "| problems |\n|---|---:|---:|---:|---:|---:|\n");
	for (int s = 0; s < DVCQG_NSECTIONS; s++)
		buf_printf(b, "| %s | %u | %u | %u | %u | %u |\n", dvcqg_section_name(s),
			   all - st->sec_records[s], st->sec_records[s],
			   local - st->local_sec_records[s], st->local_sec_records[s],
			   st->sec_problems[s]);
}

static void write_report_head(buf *b, const struct stats *st, const char *input)
{
	const char *base = strrchr(input, '/');
	base = base ? base + 1 : input;
	buf_printf(b,
		   "# Procedure catalogue: parse report\n\n"
		   "Generated by `tools/catalogue_report.c` from `%s` (see docs/catalogue.md).\n"
		   "Do not edit: run the tool again.\n\n"
		   "## Totals\n\n"
		   "| | all records | province, district or commune (shipped) |\n"
		   "|---|---:|---:|\n"
		   "| records | %u | %u |\n"
		   "| parsed cleanly | %u | %u |\n"
		   "| parsed with problems | %u | %u |\n"
		   "| rejected | %u | %u |\n\n",
		   base, st->records, st->local, st->clean, st->local_clean, st->partial,
		   st->local_partial, st->rejected, st->local_rejected);
	buf_printf(b,
		   "## Problems per section\n\n"
		   "Records, by section, that parsed cleanly or with problems; the %u rejected "
		   "records are in neither (see the list below).\n\n",
		   st->rejected);
	section_table(b, st);
	buf_printf(b,
		   "\n## Shipped records\n\n"
		   "- %u methods: %u in working days, %u in days, %u in hours, %u in months, "
		   "%u in years, %u without a unit\n"
		   "- %u documents, %u form file names\n"
		   "- %u legal bases (%u without a number), %u results (%u without a code)\n"
		   "- service level: %u toan-trinh, %u mot-phan, %u not stated\n"
		   "- %u names had the portal's \"Thủ tục \" prefix dropped (portal_name keeps "
		   "it)\n\n",
		   st->methods, st->units[PROCEDURE_TIME_WORKING_DAYS],
		   st->units[PROCEDURE_TIME_DAYS], st->units[PROCEDURE_TIME_HOURS],
		   st->units[PROCEDURE_TIME_MONTHS], st->units[PROCEDURE_TIME_YEARS],
		   st->units[PROCEDURE_TIME_UNKNOWN], st->documents, st->templates, st->legal,
		   st->legal_unnumbered, st->results, st->results_uncoded,
		   st->service[PROCEDURE_SERVICE_FULL], st->service[PROCEDURE_SERVICE_PARTIAL],
		   st->service[PROCEDURE_SERVICE_NONE], st->prefix_dropped);
	buf_printf(b,
		   "## Records not parsed cleanly\n\n"
		   "Rejected records are not shipped. The others are shipped when carried out "
		   "locally, with what could be read; the first %d problems of each are "
		   "quoted.\n\n"
		   "| code | shipped | problems | first problems |\n|---|---|---:|---|\n",
		   LIST_MESSAGES);
}

/* Writes data to path through a temporary file and a rename. */
static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "catalogue_report: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "catalogue_report: cannot rename %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_catalogue(const char *dir, struct lines *lines)
{
	qsort(lines->v, lines->n, sizeof(*lines->v), by_code);
	buf out = BUF_INIT((size_t)1 << 30);
	for (size_t i = 0; i < lines->n; i++) {
		buf_puts(&out, lines->v[i].text);
		buf_putc(&out, '\n');
	}
	int rc = out.overflow ? -1 : write_file(dir, "procedures.jsonl", buf_str(&out), out.len);
	buf_release(&out);
	return rc;
}

static void show(const struct procedure_rec *p, const struct dvcqg_report *rep)
{
	json_t *j = procedure_to_json(p);
	char *text = json_dumps(j, JSON_INDENT(2));
	printf("%s\n", text);
	free(text);
	json_decref(j);
	for (size_t i = 0; i < rep->nproblems; i++)
		printf("problem: %s\n", rep->problems[i].message);
	printf("%u problems%s\n", dvcqg_report_total(rep), rep->rejected ? ", rejected" : "");
}

struct run {
	const char *input, *outdir, *show_code;
	struct stats st;
	struct lines lines;
	struct lines list; /* the report's rows for records with problems */
	int failures;
};

/* One input line: parse, count, list, and keep it when it is shipped. */
static void one_record(struct run *r, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *rec = json_loadb(line, len, 0, &jerr);
	if (!rec) {
		fprintf(stderr, "catalogue_report: line %u: %s\n", r->st.records + 1, jerr.text);
		r->failures++;
		return;
	}
	arena *a = arena_new(1 << 16);
	struct procedure_rec p;
	struct dvcqg_report rep;
	int rc = dvcqg_parse(rec, a, &p, &rep);
	const char *code = rc == 0 ? p.code : json_string_value(json_object_get(rec, "ma_thu_tuc"));
	if (!code)
		code = "?";
	bool local = (p.levels & PROCEDURE_LEVEL_LOCAL) != 0;
	if (rc != 0) {
		/* A rejected record's levels are still worth knowing. */
		const char *lv = json_string_value(json_object_get(rec, "cap_thuc_hien"));
		local = lv &&
			(strstr(lv, "Cấp tỉnh") || strstr(lv, "Cấp huyện") || strstr(lv, "Cấp xã"));
	}
	if (r->show_code) {
		if (strcmp(code, r->show_code) == 0)
			show(&p, &rep);
	} else {
		count(&r->st, &p, &rep, local);
		if (dvcqg_report_total(&rep) > 0)
			list_entry(&r->list, code, &rep, local);
		if (rc == 0 && local) {
			char *json = dump_checked(&p, a);
			if (json)
				push_line(&r->lines, p.code, json);
			else
				r->failures++;
		}
	}
	arena_free(a);
	json_decref(rec);
}

static int read_input(struct run *r)
{
	gzFile in = gzopen(r->input, "rb");
	if (!in) {
		fprintf(stderr, "catalogue_report: cannot open %s\n", r->input);
		return -1;
	}
	buf line = BUF_INIT(MAX_LINE);
	int rc;
	while ((rc = read_line(in, &line)) == 0)
		if (line.len)
			one_record(r, buf_str(&line), line.len);
	buf_release(&line);
	gzclose(in);
	if (rc < 0)
		fprintf(stderr, "catalogue_report: %s: read error or line too long\n", r->input);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct run r = {0};
	if (argc == 4 && strcmp(argv[1], "--show") == 0) {
		r.show_code = argv[2];
		r.input = argv[3];
		return read_input(&r) ? 1 : 0;
	}
	if (argc != 3) {
		fprintf(stderr,
			"usage: %s INPUT.jsonl.gz OUTDIR\n"
			"       %s --show CODE INPUT.jsonl.gz\n",
			argv[0], argv[0]);
		return 2;
	}
	r.input = argv[1];
	r.outdir = argv[2];
	if (read_input(&r) || r.failures) {
		fprintf(stderr, "catalogue_report: %d failures; nothing written\n", r.failures);
		return 1;
	}
	buf report = BUF_INIT((size_t)64 << 20);
	write_report_head(&report, &r.st, r.input);
	qsort(r.list.v, r.list.n, sizeof(*r.list.v), by_code);
	for (size_t i = 0; i < r.list.n; i++)
		buf_puts(&report, r.list.v[i].text);
	int rc = report.overflow || write_catalogue(r.outdir, &r.lines) ||
		 write_file(r.outdir, "REPORT.md", buf_str(&report), report.len);
	fprintf(stderr,
		"catalogue_report: %u records, %zu shipped, %u clean, %u partial, %u rejected\n",
		r.st.records, r.lines.n, r.st.clean, r.st.partial, r.st.rejected);
	for (size_t i = 0; i < r.lines.n; i++)
		free(r.lines.v[i].text);
	free(r.lines.v);
	for (size_t i = 0; i < r.list.n; i++)
		free(r.list.v[i].text);
	free(r.list.v);
	buf_release(&report);
	return rc ? 1 : 0;
}
