/*
 * bench/search.c - latency of the catalogue search (domain/search.h) on one
 * core: builds the index over the demo catalogue (data/catalogue/procedures.jsonl,
 * 1,601 procedures) and over 50,000 procedures (the demo ones plus names
 * recombined from their words), runs a fixed list of realistic queries many
 * times, and prints p50/p99/max per corpus with build time and index size.
 * It is a measuring tool only: it must never be linked into the product or
 * write anything but standard output.
 *
 * Build and run from the repository root, after `make`:
 *
 *   gcc -std=c17 -D_GNU_SOURCE -O2 -Isrc bench/search.c build/libmotcua.a \
 *       $(pkg-config --libs libutf8proc jansson) -lm -o build/bench_search && build/bench_search
 *
 * Options: -v prints the best three hits of every query on the demo corpus;
 * -q prints the mean latency of each query; -n ROUNDS sets how many times the query list runs (default 200).
 * Each timed query includes creating and freeing its arena, as a request
 * would.
 */
#include <stdint.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "domain/search.h"

#define SYNTHETIC_DOCS 50000

static const char *const queries[] = {
	/* with diacritics */
	"đăng ký khai sinh",
	"đăng ký kết hôn",
	"khai tử",
	"đăng ký thường trú",
	"cấp giấy chứng nhận quyền sử dụng đất",
	"lý lịch tư pháp",
	"giấy phép lái xe",
	"thủ tục hải quan",
	"hoàn thuế giá trị gia tăng",
	"giấy phép xây dựng",
	"thành lập doanh nghiệp",
	"công chứng hợp đồng",
	"căn cước",
	"hộ chiếu",
	/* without diacritics, any case */
	"dang ky khai sinh",
	"DANG KY KET HON",
	"khai tu",
	"dang ky thuong tru",
	"cap giay chung nhan quyen su dung dat",
	"ly lich tu phap",
	"giay phep lai xe",
	"hai quan",
	"hoan thue",
	"giay phep xay dung",
	"thanh lap doanh nghiep",
	"cong chung",
	"can cuoc cong dan",
	"xuat nhap canh",
	"nuoi con nuoi",
	"dat dai",
	/* Telex and VNI */
	"ddawng kys khai sinh",
	"ddawng kys keets hoon",
	"dang5 ky1 khai sinh",
	"d9ang8 ky1 ke6t1 ho6n",
	"giaays pheps laix xe",
	"thuees",
	/* typos and half-typed words */
	"khia sinh",
	"dang ky khia sinh",
	"ket hno",
	"thuogn tru",
	"giay phpe",
	"khai sin",
	"chung nha",
	"dang k",
	"g",
	"ho ti",
	/* codes */
	"1.001193",
	"001193",
	"1.000894",
	"2.000986",
	"1.0046",
};
#define NQUERIES (sizeof(queries) / sizeof(queries[0]))

struct row {
	char *code, *name, *field;
};

static double clock_us(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double now_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

/* CPU time of this thread: what a query costs on a core of its own, without
 * the time other processes held the core (the machine may be shared). */
static double cpu_us(void)
{
	return clock_us(CLOCK_THREAD_CPUTIME_ID);
}

/* Reads the shipped catalogue (JSON lines); rows of code, name and field. */
static struct row *read_catalogue(const char *path, size_t *nrows)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	struct row *rows = NULL;
	size_t n = 0, alloc = 0;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		json_t *j = json_loads(line, 0, NULL);
		const char *code = json_string_value(json_object_get(j, "code"));
		const char *name = json_string_value(json_object_get(j, "name"));
		const char *field = json_string_value(json_object_get(j, "field"));
		if (code && name && field) {
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 1024;
				rows = realloc(rows, alloc * sizeof(*rows));
				if (!rows)
					abort();
			}
			rows[n++] = (struct row){strdup(code), strdup(name), strdup(field)};
		}
		json_decref(j);
	}
	free(line);
	fclose(f);
	*nrows = n;
	return rows;
}

/* Deterministic, so every run measures the same corpus. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Byte offset after the k-th space of s (or its end). */
static size_t word_cut(const char *s, size_t k)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (s[i] == ' ' && k-- == 0)
			return i;
	return i;
}

static size_t count_words(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* The head of one real name joined to the tail of another. */
static char *recombine(const struct row *a, const struct row *b)
{
	size_t wa = count_words(a->name), wb = count_words(b->name);
	size_t ca = word_cut(a->name, (size_t)(rng() % wa));
	size_t cb = word_cut(b->name, (size_t)(rng() % wb));
	size_t tail = strlen(b->name + cb);
	char *s = malloc(ca + tail + 2);
	if (!s)
		abort();
	memcpy(s, a->name, ca);
	memcpy(s + ca, b->name + cb, tail + 1);
	return s;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static void show_top(const search_index *ix, const struct search_doc *docs)
{
	for (size_t i = 0; i < NQUERIES; i++) {
		arena *a = arena_new(0);
		struct search_query q = {.text = queries[i], .limit = 3, .prefix_last = true};
		struct search_result r;
		search_run(ix, &q, a, &r);
		printf("  %-40s %5zu%s", queries[i], r.total, r.partial ? "p" : " ");
		for (size_t k = 0; k < r.nhits; k++)
			printf(" | %s %.60s", docs[r.hits[k].doc].code, docs[r.hits[k].doc].name);
		printf("\n");
		arena_free(a);
	}
}

static bool per_query;

static void measure(const char *label, const struct search_doc *docs, size_t n, int rounds,
		    bool verbose)
{
	double t0 = now_us();
	search_index *ix = search_build(docs, n);
	double build_ms = (now_us() - t0) / 1e3;
	if (verbose)
		show_top(ix, docs);
	size_t total = NQUERIES * (size_t)rounds;
	double *lat = malloc(total * sizeof(*lat));
	double *cpu = malloc(total * sizeof(*cpu));
	if (!lat || !cpu)
		abort();
	size_t k = 0;
	for (int r = -1; r < rounds; r++) {
		for (size_t i = 0; i < NQUERIES; i++) {
			double s = now_us(), sc = cpu_us();
			arena *a = arena_new(0);
			struct search_query q = {
				.text = queries[i], .limit = 20, .prefix_last = i % 2 == 0};
			struct search_result res;
			search_run(ix, &q, a, &res);
			arena_free(a);
			double e = now_us() - s, ec = cpu_us() - sc;
			if (r >= 0) { /* round -1 warms the caches */
				lat[k] = e;
				cpu[k++] = ec;
			}
		}
	}
	if (per_query) {
		/* Mean per query over the rounds: the slowest are the ones to fix. */
		for (size_t i = 0; i < NQUERIES; i++) {
			double sum = 0;
			for (size_t j = i; j < k; j += NQUERIES)
				sum += cpu[j];
			printf("  %8.1f us cpu  %s\n", sum / (double)rounds, queries[i]);
		}
	}
	qsort(lat, k, sizeof(*lat), cmp_double);
	qsort(cpu, k, sizeof(*cpu), cmp_double);
	printf("%-10s docs %6zu  build %7.1f ms  index %5.1f MiB  queries %6zu\n", label, n,
	       build_ms, (double)search_memory(ix) / (1024.0 * 1024.0), k);
	printf("           wall p50 %7.1f us  p99 %7.1f us  max %8.1f us\n", lat[k / 2],
	       lat[(k * 99) / 100], lat[k - 1]);
	printf("           cpu  p50 %7.1f us  p99 %7.1f us  max %8.1f us\n", cpu[k / 2],
	       cpu[(k * 99) / 100], cpu[k - 1]);
	free(cpu);
	free(lat);
	search_free(ix);
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int rounds = 200;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = true;
		else if (strcmp(argv[i], "-q") == 0)
			per_query = true;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			rounds = (int)strtol(argv[++i], NULL, 10);
	}
	if (rounds < 1)
		rounds = 1;
	size_t np;
	struct row *procs = read_catalogue("data/catalogue/procedures.jsonl", &np);
	if (np == 0) {
		fprintf(stderr, "no procedures read\n");
		return 1;
	}

	struct search_doc *docs = calloc(SYNTHETIC_DOCS, sizeof(*docs));
	char(*codes)[16] = calloc(SYNTHETIC_DOCS, sizeof(*codes));
	if (!docs || !codes)
		abort();
	for (size_t i = 0; i < SYNTHETIC_DOCS; i++) {
		const struct row *a = &procs[i % np];
		if (i < np) {
			docs[i].code = a->code;
			docs[i].name = a->name;
		} else {
			const struct row *b = &procs[rng() % np];
			snprintf(codes[i], sizeof(codes[i]), "9.%06zu", i);
			docs[i].code = codes[i];
			docs[i].name = recombine(a, b);
		}
		docs[i].field_code = a->field;
		docs[i].field_name = a->field;
		docs[i].level = i % 3 ? "province" : "commune";
		docs[i].service_level = i % 2 ? "toan-trinh" : "mot-phan";
	}

	printf("search benchmark: %zu queries x %d rounds per corpus, one thread\n", NQUERIES,
	       rounds);
	measure("demo", docs, np, rounds, verbose);
	measure("synthetic", docs, SYNTHETIC_DOCS, rounds / 4 ? rounds / 4 : 1, false);

	for (size_t i = np; i < SYNTHETIC_DOCS; i++)
		free((char *)docs[i].name);
	free(docs);
	free(codes);
	for (size_t i = 0; i < np; i++) {
		free(procs[i].code);
		free(procs[i].name);
		free(procs[i].field);
	}
	free(procs);
	return 0;
}
