/*
 * search.c - the catalogue search index and its query engine.
 *
 * The index holds: a sorted dictionary of folded terms with one posting list
 * each (document, precomputed BM25 weight over all fields); a sorted
 * dictionary of exact name words (with diacritics) with the documents that
 * use them, for the diacritics bonus; a deletion neighbourhood (hashes of
 * every term with one byte removed) for one-edit typos; the folded name of
 * every document as term ids, for proximity; codes sorted forwards and
 * backwards; and the facet values. It is built in search_build and never
 * written again, so queries share it without locks.
 *
 * A query must never allocate outside the caller's arena, never write to the
 * index, and never do work that grows faster than the postings it reads plus
 * a sort of one page.
 */
#include "domain/search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fold.h"

#define MAX_DOCS 100000000u
#define NO_VALUE UINT32_MAX

/* Query limits: beyond these, text is ignored, not rejected. */
#define MAX_QUERY_BYTES	    4096
#define MAX_QUERY_WORDS	    15 /* one bit each in a uint16_t; bit 15 is CODE_FLAG */
#define CODE_FLAG	    0x8000u
#define MAX_ALTS	    3 /* raw, Telex-decoded, VNI-decoded */
#define MAX_PREFIX_TERMS    64
#define MAX_TYPO_TERMS	    32
#define MAX_TYPO_CANDIDATES 512
#define PREFIX_MIN_LEN	    3
#define TYPO_MIN_LEN	    4
#define RARE_EXACT_DF	    3 /* see expand_word */
#define TYPO_MAX_LEN	    32
#define MAX_CODE_LEN	    64
#define MAX_LIMIT	    1000
#define RERANK_WINDOW	    100

/* Index limits: a field longer than this many words is cut. */
#define MAX_FIELD_WORDS 4096

enum field { F_NAME, F_FIELD, F_AGENCY, F_DOCS, NFIELDS };
enum dim { D_FIELD, D_LEVEL, D_AGENCY, D_SERVICE, NDIMS };

/* The name says what a procedure is; the field groups it; agencies and
 * required documents only hint. */
static const float field_weight[NFIELDS] = {3.0f, 1.0f, 0.7f, 0.4f};
#define BM25_K1 1.2f
#define BM25_B	0.75f

/* How much a match counts, relative to an exact word. */
#define FACTOR_EXACT	   1.0f
#define FACTOR_PREFIX_BASE 0.5f /* plus 0.4 x the typed share of the term */
#define FACTOR_PREFIX_LEN  0.4f
#define FACTOR_TYPO	   0.45f
/* Share of a word's score added when its diacritics match the name's. */
#define DIACRITICS_BONUS 0.25f
/* Score multiplier for names where all neighbouring query words stand
 * next to each other (scaled down for fewer pairs). */
#define PROXIMITY_BONUS 0.15f
/* Code matches rank above any text score (15 words at most, each worth
 * at most a few hundred). */
#define CODE_EXACT_SCORE  1.0e6f
#define CODE_SUFFIX_SCORE 5.0e5f
#define CODE_PREFIX_SCORE 2.5e5f

struct posting {
	uint32_t doc;
	float score; /* idf x field-weighted BM25 term frequency */
};

/* Distinct strings in strcmp order. */
struct strtab {
	uint32_t n;
	const char **str;
	uint32_t *len;
};

struct del_entry {
	uint64_t hash; /* of a term with one byte removed */
	uint32_t term;
};

/* What every match reads (filters, facets, ties), 32 bytes so that two
 * share a cache line and none straddles one. */
struct dhot {
	uint32_t facet[NDIMS]; /* value ids, facet[d].n when empty; D_AGENCY
				* unused (see agency_*) */
	uint32_t agency_off, agency_n;
	uint32_t name_rank, code_rank;
};

/* What only the best hits or code lookups read. */
struct sdoc {
	const char *code;	 /* as given */
	const char *code_key;	 /* trimmed, ASCII lower-cased */
	uint32_t fwd_off, fwd_n; /* name term ids in fwd[] */
};

struct search_index {
	arena *mem; /* owns everything below */
	uint32_t ndocs;
	struct sdoc *docs;
	struct dhot *hot;
	struct strtab terms;
	uint32_t *df;
	uint32_t *post_off; /* terms.n + 1 */
	struct posting *post;
	struct strtab exact;
	uint32_t *exact_off; /* exact.n + 1 */
	uint32_t *exact_docs;
	struct del_entry *del;
	size_t ndel;
	uint32_t *fwd;
	uint32_t *agency_ids;
	const char **code_keys; /* code_key per doc, for range searches */
	uint32_t *by_code;	/* docs in code_key order */
	uint32_t *by_rcode;	/* docs in reversed code_key order */
	const char **rcode;	/* reversed code_key per doc */
	struct strtab facet[NDIMS];
};

/* ======================================================================
 * Small helpers
 * ====================================================================== */

static void *xrealloc(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		fputs("motcua: search index too large\n", stderr);
		abort();
	}
	size_t bytes = count * size;
	void *q = realloc(p, bytes ? bytes : 1);
	if (!q) {
		fputs("motcua: out of memory\n", stderr);
		abort();
	}
	return q;
}

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#define HASH_SEED 0xcbf29ce484222325ull

/* FNV-1a of s[0..n) without the byte at skip (skip == n: the whole string). */
static uint64_t hash_without(const char *s, size_t n, size_t skip)
{
	uint64_t h = hash_bytes(HASH_SEED, s, skip < n ? skip : n);
	if (skip < n)
		h = hash_bytes(h, s + skip + 1, n - skip - 1);
	return h;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* First index in t whose string is >= s. */
static uint32_t strtab_lower(const struct strtab *t, const char *s)
{
	uint32_t lo = 0, hi = t->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->str[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t strtab_find(const struct strtab *t, const char *s)
{
	uint32_t i = strtab_lower(t, s);
	return i < t->n && strcmp(t->str[i], s) == 0 ? i : NO_VALUE;
}

/* ======================================================================
 * Building: string interning
 * ====================================================================== */

struct interner {
	uint32_t n, nslots; /* nslots is a power of two */
	uint32_t *slot;	    /* id + 1; 0 when empty */
	const char **str;
	uint32_t *len;
	uint64_t *hash;
	uint32_t alloc;
};

static void interner_release(struct interner *in)
{
	free(in->slot);
	free(in->str);
	free(in->len);
	free(in->hash);
	memset(in, 0, sizeof(*in));
}

static void interner_grow(struct interner *in)
{
	uint32_t nslots = in->nslots ? in->nslots * 2 : 256;
	uint32_t *slot = xrealloc(NULL, nslots, sizeof(*slot));
	memset(slot, 0, (size_t)nslots * sizeof(*slot));
	for (uint32_t id = 0; id < in->n; id++) {
		uint32_t i = (uint32_t)in->hash[id] & (nslots - 1);
		while (slot[i])
			i = (i + 1) & (nslots - 1);
		slot[i] = id + 1;
	}
	free(in->slot);
	in->slot = slot;
	in->nslots = nslots;
}

/* The id of s[0..n), copying it into mem the first time it is seen. */
static uint32_t intern(struct interner *in, arena *mem, const char *s, size_t n)
{
	if ((size_t)in->n * 2 >= in->nslots)
		interner_grow(in);
	uint64_t h = hash_bytes(HASH_SEED, s, n);
	uint32_t i = (uint32_t)h & (in->nslots - 1);
	for (; in->slot[i]; i = (i + 1) & (in->nslots - 1)) {
		uint32_t id = in->slot[i] - 1;
		if (in->hash[id] == h && in->len[id] == n && memcmp(in->str[id], s, n) == 0)
			return id;
	}
	if (in->n == in->alloc) {
		in->alloc = in->alloc ? in->alloc * 2 : 256;
		in->str = xrealloc(in->str, in->alloc, sizeof(*in->str));
		in->len = xrealloc(in->len, in->alloc, sizeof(*in->len));
		in->hash = xrealloc(in->hash, in->alloc, sizeof(*in->hash));
	}
	uint32_t id = in->n++;
	in->str[id] = arena_strndup(mem, s, n);
	in->len[id] = (uint32_t)n;
	in->hash[id] = h;
	in->slot[i] = id + 1;
	return id;
}

struct str_id {
	const char *s;
	uint32_t id;
};

static int cmp_str_id(const void *x, const void *y)
{
	const struct str_id *a = x, *b = y;
	int c = strcmp(a->s, b->s);
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Moves the interned strings into t in sorted order; returns remap[old id]
 * = new id (caller frees). */
static uint32_t *interner_sort(struct interner *in, arena *mem, struct strtab *t)
{
	struct str_id *v = xrealloc(NULL, in->n, sizeof(*v));
	for (uint32_t i = 0; i < in->n; i++)
		v[i] = (struct str_id){in->str[i], i};
	qsort(v, in->n, sizeof(*v), cmp_str_id);
	uint32_t *remap = xrealloc(NULL, in->n, sizeof(*remap));
	t->n = in->n;
	t->str = arena_calloc(mem, in->n ? in->n : 1, sizeof(*t->str));
	t->len = arena_calloc(mem, in->n ? in->n : 1, sizeof(*t->len));
	for (uint32_t i = 0; i < in->n; i++) {
		remap[v[i].id] = i;
		t->str[i] = v[i].s;
		t->len[i] = in->len[v[i].id];
	}
	free(v);
	return remap;
}

/* ======================================================================
 * Building: documents
 * ====================================================================== */

struct builder {
	search_index *ix;
	arena *tmp; /* scratch that lives for the whole build */
	struct interner terms, exact, facet[NDIMS];
	uint32_t *tok;	     /* term ids of every field of every doc */
	uint32_t *tok_exact; /* exact id per name word, NO_VALUE elsewhere */
	size_t ntok, tok_alloc;
	uint32_t *field_off; /* ndocs * NFIELDS + 1 offsets into tok */
	const char **name_folded, **name_exact;
	uint32_t *agency; /* facet ids, agency_off/agency_n in docs */
	size_t nagency, agency_alloc;
};

static void push_token(struct builder *b, uint32_t term, uint32_t exact)
{
	if (b->ntok == b->tok_alloc) {
		b->tok_alloc = b->tok_alloc ? b->tok_alloc * 2 : 4096;
		b->tok = xrealloc(b->tok, b->tok_alloc, sizeof(*b->tok));
		b->tok_exact = xrealloc(b->tok_exact, b->tok_alloc, sizeof(*b->tok_exact));
	}
	b->tok[b->ntok] = term;
	b->tok_exact[b->ntok] = exact;
	b->ntok++;
}

static const char *join_tokens(arena *a, const struct fold_token *t, size_t n, bool exact)
{
	size_t total = 1;
	for (size_t i = 0; i < n; i++)
		total += (exact ? t[i].exact_len : t[i].folded_len) + 1;
	char *s = arena_alloc(a, total);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			s[k++] = ' ';
		size_t l = exact ? t[i].exact_len : t[i].folded_len;
		memcpy(s + k, exact ? t[i].exact : t[i].folded, l);
		k += l;
	}
	s[k] = '\0';
	return s;
}

static void index_fields(struct builder *b, uint32_t d, const struct search_doc *doc,
			 arena *scratch)
{
	const char *text[NFIELDS] = {doc->name, doc->field_name, doc->agency_names,
				     doc->document_names};
	for (int f = 0; f < NFIELDS; f++) {
		const char *s = or_empty(text[f]);
		struct fold_token *t;
		size_t n = fold_tokens(scratch, s, strlen(s), MAX_FIELD_WORDS, &t);
		/* Term offsets are 32-bit; a catalogue that large loses text. */
		if (b->ntok + n > UINT32_MAX)
			n = 0;
		b->field_off[(size_t)d * NFIELDS + (size_t)f] = (uint32_t)b->ntok;
		for (size_t i = 0; i < n; i++) {
			uint32_t term = intern(&b->terms, b->ix->mem, t[i].folded, t[i].folded_len);
			uint32_t ex = f == F_NAME ? intern(&b->exact, b->ix->mem, t[i].exact,
							   t[i].exact_len)
						  : NO_VALUE;
			push_token(b, term, ex);
		}
		if (f == F_NAME) {
			b->name_folded[d] = join_tokens(b->tmp, t, n, false);
			b->name_exact[d] = join_tokens(b->tmp, t, n, true);
		}
	}
}

static uint32_t facet_value(struct builder *b, enum dim dim, const char *s)
{
	if (!s || !*s)
		return NO_VALUE;
	return intern(&b->facet[dim], b->ix->mem, s, strlen(s));
}

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';';
}

static void index_agencies(struct builder *b, struct dhot *sd, const char *codes)
{
	sd->agency_off = (uint32_t)b->nagency;
	for (const char *p = or_empty(codes); *p;) {
		while (*p && is_separator(*p))
			p++;
		const char *start = p;
		while (*p && !is_separator(*p))
			p++;
		if (p == start)
			continue;
		uint32_t id = intern(&b->facet[D_AGENCY], b->ix->mem, start, (size_t)(p - start));
		bool dup = false;
		for (size_t i = sd->agency_off; i < b->nagency; i++)
			dup = dup || b->agency[i] == id;
		if (dup)
			continue;
		if (b->nagency == b->agency_alloc) {
			b->agency_alloc = b->agency_alloc ? b->agency_alloc * 2 : 1024;
			b->agency = xrealloc(b->agency, b->agency_alloc, sizeof(*b->agency));
		}
		b->agency[b->nagency++] = id;
	}
	sd->agency_n = (uint32_t)(b->nagency - sd->agency_off);
}

static const char *code_key(arena *a, const char *code)
{
	const char *s = or_empty(code);
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *k = arena_strndup(a, s, n);
	for (size_t i = 0; i < n; i++)
		if (k[i] >= 'A' && k[i] <= 'Z')
			k[i] = (char)(k[i] - 'A' + 'a');
	return k;
}

static void index_doc(struct builder *b, uint32_t d, const struct search_doc *doc)
{
	search_index *ix = b->ix;
	struct sdoc *sd = &ix->docs[d];
	arena *scratch = arena_new(16384);
	index_fields(b, d, doc, scratch);
	arena_free(scratch);
	sd->code = arena_strdup(ix->mem, or_empty(doc->code));
	sd->code_key = code_key(ix->mem, doc->code);
	struct dhot *h = &ix->hot[d];
	h->facet[D_FIELD] = facet_value(b, D_FIELD, doc->field_code);
	h->facet[D_LEVEL] = facet_value(b, D_LEVEL, doc->level);
	h->facet[D_SERVICE] = facet_value(b, D_SERVICE, doc->service_level);
	h->facet[D_AGENCY] = NO_VALUE;
	index_agencies(b, h, doc->agency_codes);
}

/* ======================================================================
 * Building: dictionaries and postings
 * ====================================================================== */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

struct tf_rec {
	uint32_t term, doc;
	uint16_t tf[NFIELDS];
};

/* One record per (term, doc) with the term's count in each field, in doc
 * order; fills df. */
static struct tf_rec *collect_tf(struct builder *b, uint32_t *df, size_t *nrec)
{
	search_index *ix = b->ix;
	struct tf_rec *rec = xrealloc(NULL, b->ntok ? b->ntok : 1, sizeof(*rec));
	uint64_t *keys = xrealloc(NULL, b->ntok ? b->ntok : 1, sizeof(*keys));
	size_t n = 0;
	for (uint32_t d = 0; d < ix->ndocs; d++) {
		size_t k = 0;
		for (int f = 0; f < NFIELDS; f++) {
			size_t fa = b->field_off[(size_t)d * NFIELDS + (size_t)f];
			size_t fb = b->field_off[(size_t)d * NFIELDS + (size_t)f + 1];
			for (size_t i = fa; i < fb; i++)
				keys[k++] = ((uint64_t)b->tok[i] << 3) | (uint64_t)f;
		}
		qsort(keys, k, sizeof(*keys), cmp_u64);
		for (size_t i = 0; i < k;) {
			uint32_t term = (uint32_t)(keys[i] >> 3);
			struct tf_rec *r = &rec[n++];
			memset(r, 0, sizeof(*r));
			r->term = term;
			r->doc = d;
			for (; i < k && (uint32_t)(keys[i] >> 3) == term; i++) {
				unsigned f = (unsigned)(keys[i] & 7);
				if (r->tf[f] < UINT16_MAX)
					r->tf[f]++;
			}
			df[term]++;
		}
	}
	free(keys);
	*nrec = n;
	return rec;
}

static float bm25_weight(const struct tf_rec *r, const uint32_t *flen, const float *avg)
{
	float w = 0;
	for (int f = 0; f < NFIELDS; f++) {
		if (!r->tf[f] || avg[f] <= 0)
			continue;
		float tf = r->tf[f];
		float norm = 1 - BM25_B + BM25_B * (float)flen[f] / avg[f];
		w += field_weight[f] * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm);
	}
	return w;
}

/* Words in field f of doc d. Some records carry the national portal's
 * prefix "Thủ tục" before the name and some do not: it must not make the
 * same procedure rank lower for being longer. */
static uint32_t field_len(const struct builder *b, uint32_t d, int f, uint32_t thu, uint32_t tuc)
{
	size_t k = (size_t)d * NFIELDS + (size_t)f;
	uint32_t from = b->field_off[k], n = b->field_off[k + 1] - from;
	if (f == F_NAME && n > 2 && b->tok[from] == thu && b->tok[from + 1] == tuc)
		n -= 2;
	return n;
}

static void build_postings(struct builder *b)
{
	search_index *ix = b->ix;
	uint32_t nt = ix->terms.n;
	uint32_t *df = arena_calloc(ix->mem, nt ? nt : 1, sizeof(*df));
	size_t nrec;
	struct tf_rec *rec = collect_tf(b, df, &nrec);

	/* Average field lengths, for BM25's length normalisation. */
	uint32_t thu = strtab_find(&ix->terms, "thu"), tuc = strtab_find(&ix->terms, "tuc");
	float avg[NFIELDS] = {0};
	for (uint32_t d = 0; d < ix->ndocs; d++)
		for (int f = 0; f < NFIELDS; f++)
			avg[f] += (float)field_len(b, d, f, thu, tuc);
	for (int f = 0; f < NFIELDS; f++)
		avg[f] = ix->ndocs ? avg[f] / (float)ix->ndocs : 0;

	uint32_t *off = arena_calloc(ix->mem, (size_t)nt + 1, sizeof(*off));
	for (uint32_t t = 0; t < nt; t++)
		off[t + 1] = off[t] + df[t];
	uint32_t *fill = xrealloc(NULL, nt ? nt : 1, sizeof(*fill));
	memcpy(fill, off, (size_t)nt * sizeof(*fill));
	struct posting *post = arena_calloc(ix->mem, nrec ? nrec : 1, sizeof(*post));
	float n = (float)ix->ndocs;
	for (size_t i = 0; i < nrec; i++) {
		const struct tf_rec *r = &rec[i];
		uint32_t flen[NFIELDS];
		for (int f = 0; f < NFIELDS; f++)
			flen[f] = field_len(b, r->doc, f, thu, tuc);
		float d = (float)df[r->term];
		float idf = logf(1 + (n - d + 0.5f) / (d + 0.5f));
		/* Records come in doc order, so each list is sorted by doc. */
		post[fill[r->term]++] = (struct posting){r->doc, idf * bm25_weight(r, flen, avg)};
	}
	free(fill);
	free(rec);
	ix->df = df;
	ix->post_off = off;
	ix->post = post;
}

/* Documents per exact name word, for the diacritics bonus. */
static void build_exact(struct builder *b)
{
	search_index *ix = b->ix;
	uint32_t ne = ix->exact.n;
	uint32_t *off = arena_calloc(ix->mem, (size_t)ne + 1, sizeof(*off));
	uint64_t *pairs = NULL;
	size_t np = 0, alloc = 0;
	for (uint32_t d = 0; d < ix->ndocs; d++) {
		size_t fa = b->field_off[(size_t)d * NFIELDS + F_NAME];
		size_t fb = b->field_off[(size_t)d * NFIELDS + F_NAME + 1];
		for (size_t i = fa; i < fb; i++) {
			if (np == alloc) {
				alloc = alloc ? alloc * 2 : 4096;
				pairs = xrealloc(pairs, alloc, sizeof(*pairs));
			}
			pairs[np++] = ((uint64_t)b->tok_exact[i] << 32) | d;
		}
	}
	if (np)
		qsort(pairs, np, sizeof(*pairs), cmp_u64);
	uint32_t *docs = arena_calloc(ix->mem, np ? np : 1, sizeof(*docs));
	size_t k = 0;
	for (size_t i = 0; i < np; i++) {
		if (i && pairs[i] == pairs[i - 1])
			continue;
		uint32_t e = (uint32_t)(pairs[i] >> 32);
		docs[k++] = (uint32_t)pairs[i];
		off[e + 1]++;
	}
	for (uint32_t e = 0; e < ne; e++)
		off[e + 1] += off[e];
	free(pairs);
	ix->exact_off = off;
	ix->exact_docs = docs;
}

static int cmp_del(const void *x, const void *y)
{
	const struct del_entry *a = x, *b = y;
	if (a->hash != b->hash)
		return (a->hash > b->hash) - (a->hash < b->hash);
	return (a->term > b->term) - (a->term < b->term);
}

/* Every term of 4+ bytes (not a number) with each byte removed in turn:
 * a query word one edit away shares one of these or is one of them. */
static void build_deletions(search_index *ix)
{
	size_t n = 0;
	for (uint32_t t = 0; t < ix->terms.n; t++) {
		uint32_t l = ix->terms.len[t];
		if (l >= TYPO_MIN_LEN && l <= TYPO_MAX_LEN + 1 && !all_digits(ix->terms.str[t], l))
			n += l;
	}
	struct del_entry *del = arena_calloc(ix->mem, n ? n : 1, sizeof(*del));
	size_t k = 0;
	for (uint32_t t = 0; t < ix->terms.n; t++) {
		uint32_t l = ix->terms.len[t];
		const char *s = ix->terms.str[t];
		if (l < TYPO_MIN_LEN || l > TYPO_MAX_LEN + 1 || all_digits(s, l))
			continue;
		for (uint32_t i = 0; i < l; i++)
			del[k++] = (struct del_entry){hash_without(s, l, i), t};
	}
	qsort(del, k, sizeof(*del), cmp_del);
	ix->del = del;
	ix->ndel = k;
}

static void build_forward(struct builder *b)
{
	search_index *ix = b->ix;
	size_t total = 0;
	for (uint32_t d = 0; d < ix->ndocs; d++)
		total += b->field_off[(size_t)d * NFIELDS + F_NAME + 1] -
			 b->field_off[(size_t)d * NFIELDS + F_NAME];
	ix->fwd = arena_calloc(ix->mem, total ? total : 1, sizeof(*ix->fwd));
	size_t k = 0;
	for (uint32_t d = 0; d < ix->ndocs; d++) {
		size_t fa = b->field_off[(size_t)d * NFIELDS + F_NAME];
		size_t fb = b->field_off[(size_t)d * NFIELDS + F_NAME + 1];
		ix->docs[d].fwd_off = (uint32_t)k;
		ix->docs[d].fwd_n = (uint32_t)(fb - fa);
		if (fb > fa)
			memcpy(ix->fwd + k, b->tok + fa, (fb - fa) * sizeof(*ix->fwd));
		k += fb - fa;
	}
}

struct doc_key {
	const char *k1, *k2, *k3;
	uint32_t doc;
};

static int cmp_doc_key(const void *x, const void *y)
{
	const struct doc_key *a = x, *b = y;
	int c = strcmp(a->k1, b->k1);
	if (!c && a->k2)
		c = strcmp(a->k2, b->k2);
	if (!c && a->k3)
		c = strcmp(a->k3, b->k3);
	return c ? c : (a->doc > b->doc) - (a->doc < b->doc);
}

/* Sorts the docs by (k1, k2, k3, doc id) into order[]. */
static void sort_docs(struct doc_key *keys, uint32_t n, uint32_t *order)
{
	qsort(keys, n, sizeof(*keys), cmp_doc_key);
	for (uint32_t i = 0; i < n; i++)
		order[i] = keys[i].doc;
}

static char *reversed(arena *a, const char *s)
{
	size_t n = strlen(s);
	char *r = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		r[i] = s[n - 1 - i];
	r[n] = '\0';
	return r;
}

/* Code order breaks score ties; name order lists a browse. */
static void build_orders(struct builder *b)
{
	search_index *ix = b->ix;
	uint32_t n = ix->ndocs;
	struct doc_key *keys = xrealloc(NULL, n ? n : 1, sizeof(*keys));
	uint32_t *order = xrealloc(NULL, n ? n : 1, sizeof(*order));
	ix->by_code = arena_calloc(ix->mem, n ? n : 1, sizeof(uint32_t));
	ix->by_rcode = arena_calloc(ix->mem, n ? n : 1, sizeof(uint32_t));
	ix->rcode = arena_calloc(ix->mem, n ? n : 1, sizeof(char *));
	ix->code_keys = arena_calloc(ix->mem, n ? n : 1, sizeof(char *));
	for (uint32_t d = 0; d < n; d++)
		ix->code_keys[d] = ix->docs[d].code_key;

	for (uint32_t d = 0; d < n; d++)
		keys[d] = (struct doc_key){ix->docs[d].code_key, NULL, NULL, d};
	sort_docs(keys, n, ix->by_code);
	for (uint32_t i = 0; i < n; i++)
		ix->hot[ix->by_code[i]].code_rank = i;

	for (uint32_t d = 0; d < n; d++) {
		ix->rcode[d] = reversed(ix->mem, ix->docs[d].code_key);
		keys[d] = (struct doc_key){ix->rcode[d], NULL, NULL, d};
	}
	sort_docs(keys, n, ix->by_rcode);

	for (uint32_t d = 0; d < n; d++)
		keys[d] = (struct doc_key){b->name_folded[d], b->name_exact[d],
					   ix->docs[d].code_key, d};
	sort_docs(keys, n, order);
	for (uint32_t i = 0; i < n; i++)
		ix->hot[order[i]].name_rank = i;
	free(order);
	free(keys);
}

static void build_facets(struct builder *b)
{
	search_index *ix = b->ix;
	for (int dim = 0; dim < NDIMS; dim++) {
		uint32_t *remap = interner_sort(&b->facet[dim], ix->mem, &ix->facet[dim]);
		if (dim == D_AGENCY) {
			for (size_t i = 0; i < b->nagency; i++)
				b->agency[i] = remap[b->agency[i]];
		} else {
			/* An empty value becomes id n, one past the real values,
			 * so counting needs no branch. */
			for (uint32_t d = 0; d < ix->ndocs; d++) {
				uint32_t *v = &ix->hot[d].facet[dim];
				*v = *v == NO_VALUE ? ix->facet[dim].n : remap[*v];
			}
		}
		free(remap);
	}
	ix->agency_ids = arena_calloc(ix->mem, b->nagency ? b->nagency : 1, sizeof(uint32_t));
	if (b->nagency)
		memcpy(ix->agency_ids, b->agency, b->nagency * sizeof(uint32_t));
}

static void build_dictionaries(struct builder *b)
{
	search_index *ix = b->ix;
	uint32_t *remap = interner_sort(&b->terms, ix->mem, &ix->terms);
	for (size_t i = 0; i < b->ntok; i++)
		b->tok[i] = remap[b->tok[i]];
	free(remap);
	remap = interner_sort(&b->exact, ix->mem, &ix->exact);
	for (size_t i = 0; i < b->ntok; i++)
		if (b->tok_exact[i] != NO_VALUE)
			b->tok_exact[i] = remap[b->tok_exact[i]];
	free(remap);
}

static void builder_release(struct builder *b)
{
	interner_release(&b->terms);
	interner_release(&b->exact);
	for (int i = 0; i < NDIMS; i++)
		interner_release(&b->facet[i]);
	free(b->tok);
	free(b->tok_exact);
	free(b->field_off);
	free(b->agency);
	arena_free(b->tmp);
}

search_index *search_build(const struct search_doc *docs, size_t n)
{
	if (n > MAX_DOCS || (n && !docs))
		return NULL;
	arena *mem = arena_new(1 << 20);
	search_index *ix = arena_zalloc(mem, sizeof(*ix));
	ix->mem = mem;
	ix->ndocs = (uint32_t)n;
	ix->docs = arena_calloc(mem, n ? n : 1, sizeof(*ix->docs));
	ix->hot = arena_calloc(mem, n ? n : 1, sizeof(*ix->hot));

	struct builder b = {.ix = ix, .tmp = arena_new(1 << 20)};
	b.field_off = xrealloc(NULL, n * NFIELDS + 1, sizeof(*b.field_off));
	b.name_folded = arena_calloc(b.tmp, n ? n : 1, sizeof(char *));
	b.name_exact = arena_calloc(b.tmp, n ? n : 1, sizeof(char *));
	for (uint32_t d = 0; d < n; d++)
		index_doc(&b, d, &docs[d]);
	b.field_off[n * NFIELDS] = (uint32_t)b.ntok;

	build_dictionaries(&b);
	build_postings(&b);
	build_exact(&b);
	build_deletions(ix);
	build_forward(&b);
	build_orders(&b);
	build_facets(&b);
	builder_release(&b);
	return ix;
}

void search_free(search_index *ix)
{
	if (ix)
		arena_free(ix->mem);
}

size_t search_count(const search_index *ix)
{
	return ix ? ix->ndocs : 0;
}

size_t search_memory(const search_index *ix)
{
	return ix ? arena_used(ix->mem) : 0;
}

const char *search_code(const search_index *ix, uint32_t doc)
{
	return ix && doc < ix->ndocs ? ix->docs[doc].code : NULL;
}

/* ======================================================================
 * Querying: words and their expansions
 * ====================================================================== */

struct expansion {
	uint32_t term;
	float factor;
};

struct qword {
	const char *alt[MAX_ALTS]; /* folded readings: raw, then decoded */
	size_t alt_len[MAX_ALTS];
	int nalt;
	const char *exact[MAX_ALTS]; /* forms with diacritics */
	int nexact;
	bool optional; /* a function word: scores, never required */
	struct expansion *exp;
	size_t nexp, exp_cap;
};

/* Per-document accumulator, one per document for the query's lifetime. */
struct acc {
	float score;
	float cur;	/* the best score of the word being added */
	uint16_t mask;	/* words matched, plus CODE_FLAG */
	uint16_t bonus; /* words that already got the diacritics bonus */
};

struct candidate {
	float score;
	uint32_t tie; /* code_rank or name_rank: smaller first */
	uint32_t doc;
};

struct qctx {
	const search_index *ix;
	const struct search_query *q;
	arena *a;
	struct qword w[MAX_QUERY_WORDS];
	size_t nw;
	bool marked; /* the query carries diacritics, typed or decoded */
	uint16_t required;
	int nrequired; /* bits in required */
	struct acc *acc;
	uint32_t *touched;
	size_t ntouched;
	bool code_like;
	char code[MAX_CODE_LEN + 1];
	size_t code_len;
	struct term_bits *tbits; /* for proximity, built by rerank */
	size_t ntbits;
};

/* Words that join others: never required, so "giấy phép cho người" does
 * not fail on "cho". The unmarked list avoids words whose other readings
 * carry meaning ("cua" is also "cửa", "cho" also "chợ"). */
static const char *const function_words_marked[] = {
	"và", "của",  "các", "cho", "với", "tại", "theo", "trong", "được", "là",  "có", "những",
	"để", "hoặc", "về",  "đã",  "bị",  "thì", "này",  "khi",   "từ",   "đối", NULL};
static const char *const function_words_plain[] = {"va",   "cac", "voi",  "duoc", "nhung",
						   "hoac", "thi", "theo", NULL};

static bool in_words(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static void add_alt(struct qword *w, const char *s, size_t n)
{
	for (int i = 0; i < w->nalt; i++)
		if (w->alt_len[i] == n && memcmp(w->alt[i], s, n) == 0)
			return;
	if (w->nalt < MAX_ALTS) {
		w->alt[w->nalt] = s;
		w->alt_len[w->nalt++] = n;
	}
}

static void add_exact(struct qword *w, const char *s)
{
	for (int i = 0; i < w->nexact; i++)
		if (strcmp(w->exact[i], s) == 0)
			return;
	if (w->nexact < MAX_ALTS)
		w->exact[w->nexact++] = s;
}

/* Reads a typed word as Telex (letters only) or VNI (letters and digits,
 * starting with a letter); NULL when it reads as neither. */
static const char *decode_keys(arena *a, const char *s, size_t n)
{
	bool digits = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits = true;
		else if (s[i] < 'a' || s[i] > 'z')
			return NULL;
	}
	return digits ? fold_vni(a, s, n) : fold_telex(a, s, n);
}

static void parse_word(struct qctx *c, const struct fold_token *t)
{
	struct qword *w = &c->w[c->nw++];
	memset(w, 0, sizeof(*w));
	add_alt(w, t->folded, t->folded_len);
	bool plain = is_ascii(t->exact, t->exact_len);
	bool optional = plain ? in_words(t->folded, function_words_plain)
			      : in_words(t->exact, function_words_marked);
	if (plain) {
		const char *dec = decode_keys(c->a, t->exact, t->exact_len);
		if (dec) {
			const char *f = fold(c->a, dec, strlen(dec));
			if (*f)
				add_alt(w, f, strlen(f));
			add_exact(w, dec);
			optional = optional || in_words(dec, function_words_marked);
			c->marked = true;
		}
	} else {
		c->marked = true;
	}
	add_exact(w, t->exact);
	w->optional = optional;
	if (!optional)
		c->required |= (uint16_t)(1u << (c->nw - 1));
}

static void push_exp(struct qword *w, uint32_t term, float factor)
{
	if (w->nexp < w->exp_cap)
		w->exp[w->nexp++] = (struct expansion){term, factor};
}

struct df_term {
	uint32_t df, term;
};

static int cmp_df_term(const void *x, const void *y)
{
	const struct df_term *a = x, *b = y;
	if (a->df != b->df)
		return a->df < b->df ? 1 : -1;
	return (a->term > b->term) - (a->term < b->term);
}

/* Terms that start with p, the most frequent MAX_PREFIX_TERMS of them. */
static void add_prefixes(struct qctx *c, struct qword *w, const char *p, size_t n)
{
	const search_index *ix = c->ix;
	uint32_t lo = strtab_lower(&ix->terms, p), hi = ix->terms.n;
	uint32_t a = lo, b = hi;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (strncmp(ix->terms.str[mid], p, n) <= 0)
			a = mid + 1;
		else
			b = mid;
	}
	hi = a;
	if (lo >= hi)
		return;
	struct df_term *v = arena_alloc(c->a, (size_t)(hi - lo) * sizeof(*v));
	for (uint32_t t = lo; t < hi; t++)
		v[t - lo] = (struct df_term){ix->df[t], t};
	size_t nv = hi - lo;
	if (nv > MAX_PREFIX_TERMS) {
		qsort(v, nv, sizeof(*v), cmp_df_term);
		nv = MAX_PREFIX_TERMS;
	}
	for (size_t i = 0; i < nv; i++) {
		uint32_t len = ix->terms.len[v[i].term];
		if (len == n)
			continue; /* the word itself, added as exact */
		push_exp(w, v[i].term,
			 FACTOR_PREFIX_BASE + FACTOR_PREFIX_LEN * (float)n / (float)len);
	}
}

/* Whether a and b are at most one edit apart: insert, delete, substitute,
 * or swap two neighbouring bytes (optimal string alignment). */
static bool within_one_edit(const char *a, size_t la, const char *b, size_t lb)
{
	if (la < lb) {
		const char *t = a;
		a = b;
		b = t;
		size_t tl = la;
		la = lb;
		lb = tl;
	}
	if (la - lb > 1)
		return false;
	size_t i = 0;
	while (i < lb && a[i] == b[i])
		i++;
	if (la != lb)
		return memcmp(a + i + 1, b + i, lb - i) == 0;
	if (i == la)
		return true;
	if (memcmp(a + i + 1, b + i + 1, la - i - 1) == 0)
		return true;
	return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	       memcmp(a + i + 2, b + i + 2, la - i - 2) == 0;
}

static size_t del_lower(const search_index *ix, uint64_t h)
{
	size_t lo = 0, hi = ix->ndel;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->del[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void push_candidate(uint32_t *cand, size_t *n, uint32_t term)
{
	if (*n < MAX_TYPO_CANDIDATES)
		cand[(*n)++] = term;
}

/* Terms one edit from q: a term that is q minus a byte is in the dictionary;
 * a term that, minus a byte, is q or q minus a byte shares a hash in the
 * deletion neighbourhood. Hash collisions are weeded out by the check. */
static void add_typos(struct qctx *c, struct qword *w, const char *q, size_t n)
{
	const search_index *ix = c->ix;
	if (n > TYPO_MAX_LEN)
		return;
	uint32_t *cand = arena_alloc(c->a, MAX_TYPO_CANDIDATES * sizeof(*cand));
	size_t nc = 0;
	char tmp[TYPO_MAX_LEN + 1];
	for (size_t i = 0; i <= n; i++) {
		uint64_t h = hash_without(q, n, i);
		for (size_t k = del_lower(ix, h); k < ix->ndel && ix->del[k].hash == h; k++)
			push_candidate(cand, &nc, ix->del[k].term);
		if (i < n) {
			memcpy(tmp, q, i);
			memcpy(tmp + i, q + i + 1, n - i - 1);
			tmp[n - 1] = '\0';
			uint32_t t = strtab_find(&ix->terms, tmp);
			if (t != NO_VALUE)
				push_candidate(cand, &nc, t);
		}
	}
	size_t added = 0;
	for (size_t i = 0; i < nc && added < MAX_TYPO_TERMS; i++) {
		const char *s = ix->terms.str[cand[i]];
		size_t l = ix->terms.len[cand[i]];
		if ((l == n && memcmp(s, q, n) == 0) || all_digits(s, l) ||
		    !within_one_edit(s, l, q, n))
			continue;
		push_exp(w, cand[i], FACTOR_TYPO);
		added++;
	}
}

static int cmp_expansion(const void *x, const void *y)
{
	const struct expansion *a = x, *b = y;
	if (a->term != b->term)
		return (a->term > b->term) - (a->term < b->term);
	return (a->factor < b->factor) - (a->factor > b->factor);
}

/* Sorted by term, each term once with its best factor. */
static void merge_expansions(struct qword *w)
{
	qsort(w->exp, w->nexp, sizeof(*w->exp), cmp_expansion);
	size_t k = 0;
	for (size_t i = 0; i < w->nexp; i++)
		if (k == 0 || w->exp[k - 1].term != w->exp[i].term)
			w->exp[k++] = w->exp[i];
	w->nexp = k;
}

/* Exact matches always; prefixes for the autocompleted last word, or for a
 * word of 3+ letters that matches nothing exactly; typos only then, and for
 * 4+ letters. Exact words never widen into neighbours, so a correct query
 * is not diluted by look-alikes, unless the exact word is rare
 * (RARE_EXACT_DF documents or fewer): "khia" is a real word ("khía"), but
 * someone typing it far more likely meant "khai". */
static void expand_word(struct qctx *c, struct qword *w, bool prefix_word)
{
	w->exp_cap = MAX_ALTS * (1 + MAX_PREFIX_TERMS + MAX_TYPO_TERMS);
	w->exp = arena_alloc(c->a, w->exp_cap * sizeof(*w->exp));
	bool exact = false;
	for (int i = 0; i < w->nalt; i++) {
		uint32_t t = strtab_find(&c->ix->terms, w->alt[i]);
		if (t != NO_VALUE) {
			push_exp(w, t, FACTOR_EXACT);
			exact |= c->ix->df[t] > RARE_EXACT_DF;
		}
	}
	for (int i = 0; i < w->nalt; i++) {
		size_t n = w->alt_len[i];
		if (prefix_word || (!exact && n >= PREFIX_MIN_LEN))
			add_prefixes(c, w, w->alt[i], n);
		if (!exact && n >= TYPO_MIN_LEN && !all_digits(w->alt[i], n))
			add_typos(c, w, w->alt[i], n);
	}
	merge_expansions(w);
}

/* ======================================================================
 * Querying: scoring
 * ====================================================================== */

static inline void touch(struct qctx *c, uint32_t doc)
{
	if (!c->acc[doc].mask)
		c->touched[c->ntouched++] = doc;
}

/* Adds word i: each document keeps the best of the word's expansions. */
static void score_word(struct qctx *c, size_t i)
{
	const search_index *ix = c->ix;
	const struct qword *w = &c->w[i];
	uint16_t bit = (uint16_t)(1u << i);
	for (size_t e = 0; e < w->nexp; e++) {
		float factor = w->exp[e].factor;
		const struct posting *p = ix->post + ix->post_off[w->exp[e].term];
		const struct posting *end = ix->post + ix->post_off[w->exp[e].term + 1];
		for (; p < end; p++) {
			struct acc *x = &c->acc[p->doc];
			float s = p->score * factor;
			if (!(x->mask & bit)) {
				touch(c, p->doc);
				x->mask |= bit;
				x->cur = s;
				x->score += s;
			} else if (s > x->cur) {
				x->score += s - x->cur;
				x->cur = s;
			}
		}
	}
	if (!c->marked)
		return;
	/* Same letters and same marks as the name: "dạng" over "đăng". */
	for (int k = 0; k < w->nexact; k++) {
		uint32_t e = strtab_find(&ix->exact, w->exact[k]);
		if (e == NO_VALUE)
			continue;
		for (uint32_t j = ix->exact_off[e]; j < ix->exact_off[e + 1]; j++) {
			struct acc *x = &c->acc[ix->exact_docs[j]];
			if ((x->mask & bit) && !(x->bonus & bit)) {
				x->bonus |= bit;
				x->score += DIACRITICS_BONUS * x->cur;
			}
		}
	}
}

/* A whole query like "1.001193", "001193" or "2.000986": no spaces, only
 * ASCII letters, digits, dots and dashes, with at least three digits. */
static void detect_code(struct qctx *c, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n > MAX_CODE_LEN)
		return;
	size_t digits = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch >= '0' && ch <= '9')
			digits++;
		else if (!((ch >= 'a' && ch <= 'z') || ch == '.' || ch == '-'))
			return;
		c->code[i] = ch;
	}
	if (digits < 3)
		return;
	c->code[n] = '\0';
	c->code_len = n;
	c->code_like = true;
}

static void mark_code(struct qctx *c, uint32_t doc, float score)
{
	struct acc *x = &c->acc[doc];
	if (x->mask & CODE_FLAG)
		return; /* an earlier, better kind of code match */
	touch(c, doc);
	x->mask |= CODE_FLAG;
	x->score += score;
}

/* [*lo, *hi) of order[] whose key (keys[doc]) starts with p[0..n). */
static void key_range(const char *const *keys, const uint32_t *order, uint32_t count, const char *p,
		      size_t n, uint32_t *lo, uint32_t *hi)
{
	uint32_t a = 0, b = count;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (strncmp(keys[order[mid]], p, n) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	b = count;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (strncmp(keys[order[mid]], p, n) <= 0)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}

/* Equal codes, then codes ending with the query, then codes starting with
 * it (4+ characters, so "1.0" does not list half the catalogue). */
static void score_codes(struct qctx *c)
{
	const search_index *ix = c->ix;
	uint32_t lo, hi;
	key_range(ix->code_keys, ix->by_code, ix->ndocs, c->code, c->code_len, &lo, &hi);
	for (uint32_t i = lo; i < hi; i++)
		if (ix->docs[ix->by_code[i]].code_key[c->code_len] == '\0')
			mark_code(c, ix->by_code[i], CODE_EXACT_SCORE);

	char rev[MAX_CODE_LEN + 1];
	for (size_t i = 0; i < c->code_len; i++)
		rev[i] = c->code[c->code_len - 1 - i];
	rev[c->code_len] = '\0';
	uint32_t rlo, rhi;
	key_range(ix->rcode, ix->by_rcode, ix->ndocs, rev, c->code_len, &rlo, &rhi);
	for (uint32_t i = rlo; i < rhi; i++)
		mark_code(c, ix->by_rcode[i], CODE_SUFFIX_SCORE);

	if (c->code_len >= 4)
		for (uint32_t i = lo; i < hi; i++)
			mark_code(c, ix->by_code[i], CODE_PREFIX_SCORE);
}

/* Without -mpopcnt, __builtin_popcount is a library call in the hot loop. */
static inline int popcount16(uint32_t v)
{
	v = v - ((v >> 1) & 0x5555u);
	v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
	v = (v + (v >> 4)) & 0x0f0fu;
	return (int)((v + (v >> 8)) & 0x1fu);
}

/* The fewest required words a document must match: all of them, or when
 * nothing matches them all, the most any document matches (at least half,
 * so one stray word does not return half the catalogue). */
static int required_matches(struct qctx *c, bool *partial)
{
	int need = c->nrequired = popcount16(c->required);
	*partial = false;
	if (need == 0)
		return -1;
	int best = 0;
	for (size_t i = 0; i < c->ntouched; i++) {
		uint16_t m = c->acc[c->touched[i]].mask;
		if ((m & CODE_FLAG) || (m & c->required) == c->required)
			return need;
		int k = popcount16(m & c->required);
		if (k > best)
			best = k;
	}
	if (c->code_like || need < 2 || best * 2 < need || best == 0)
		return need;
	*partial = true;
	return best;
}

/* ======================================================================
 * Querying: filters, facets, ordering
 * ====================================================================== */

struct filters {
	bool on[NDIMS];
	uint32_t id[NDIMS]; /* NO_VALUE: the value is unknown, nothing passes */
};

static void resolve_filters(const search_index *ix, const struct search_query *q, struct filters *f)
{
	const char *v[NDIMS] = {q->field_code, q->level, q->agency_code, q->service_level};
	for (int d = 0; d < NDIMS; d++) {
		f->on[d] = v[d] && *v[d];
		f->id[d] = f->on[d] ? strtab_find(&ix->facet[d], v[d]) : NO_VALUE;
	}
}

static bool has_agency(const search_index *ix, const struct dhot *sd, uint32_t id)
{
	for (uint32_t i = 0; i < sd->agency_n; i++)
		if (ix->agency_ids[sd->agency_off + i] == id)
			return true;
	return false;
}

/* Bit d set when the document passes dimension d's filter. */
static unsigned filter_bits(const search_index *ix, const struct filters *f, uint32_t doc)
{
	const struct dhot *sd = &ix->hot[doc];
	unsigned bits = 0;
	for (int d = 0; d < NDIMS; d++) {
		bool ok;
		if (!f->on[d])
			ok = true;
		else if (f->id[d] == NO_VALUE)
			ok = false;
		else if (d == D_AGENCY)
			ok = has_agency(ix, sd, f->id[d]);
		else
			ok = sd->facet[d] == f->id[d];
		if (ok)
			bits |= 1u << d;
	}
	return bits;
}

struct facet_counts {
	uint32_t *count[NDIMS];
};

#define ALL_DIMS ((1u << NDIMS) - 1)

static void count_facets(const search_index *ix, struct facet_counts *fc, uint32_t doc,
			 unsigned bits)
{
	const struct dhot *sd = &ix->hot[doc];
	/* A dimension counts documents passing the other dimensions' filters,
	 * not its own: with no filter failing, every dimension counts. */
	for (int d = 0; d < NDIMS; d++) {
		if ((bits | (1u << d)) != ALL_DIMS)
			continue;
		if (d == D_AGENCY) {
			const uint32_t *id = ix->agency_ids + sd->agency_off;
			for (uint32_t i = 0; i < sd->agency_n; i++)
				fc->count[d][id[i]]++;
		} else {
			/* Empty values count in a slot past the real ones. */
			fc->count[d][sd->facet[d]]++;
		}
	}
}

static int cmp_facet(const void *x, const void *y)
{
	const struct search_facet *a = x, *b = y;
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->value, b->value);
}

static void facet_list(const struct strtab *values, const uint32_t *count, arena *a,
		       struct search_facets *out)
{
	size_t n = 0;
	for (uint32_t i = 0; i < values->n; i++)
		n += count[i] != 0;
	struct search_facet *items = arena_alloc(a, (n ? n : 1) * sizeof(*items));
	size_t k = 0;
	for (uint32_t i = 0; i < values->n; i++)
		if (count[i])
			items[k++] = (struct search_facet){values->str[i], count[i]};
	qsort(items, n, sizeof(*items), cmp_facet);
	out->items = items;
	out->n = n;
}

/* Higher score first, then the smaller tie-breaker, then the smaller doc. */
static bool ranks_before(const struct candidate *a, const struct candidate *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (a->tie != b->tie)
		return a->tie < b->tie;
	return a->doc < b->doc;
}

static int cmp_candidate(const void *x, const void *y)
{
	const struct candidate *a = x, *b = y;
	if (ranks_before(a, b))
		return -1;
	return ranks_before(b, a) ? 1 : 0;
}

/* Min-heap on rank: the root is the worst of the best k kept so far. */
static void sift_down(struct candidate *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && ranks_before(&h[w], &h[l]))
			w = l;
		if (r < n && ranks_before(&h[w], &h[r]))
			w = r;
		if (w == i)
			return;
		struct candidate t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

/* Moves the best k of v[0..n) to v[0..k) in rank order; returns k. */
static size_t select_best(struct candidate *v, size_t n, size_t k)
{
	if (k > n)
		k = n;
	if (k == 0)
		return 0;
	for (size_t i = k / 2; i-- > 0;)
		sift_down(v, k, i);
	for (size_t i = k; i < n; i++) {
		if (ranks_before(&v[i], &v[0])) {
			v[0] = v[i];
			sift_down(v, k, 0);
		}
	}
	qsort(v, k, sizeof(*v), cmp_candidate);
	return k;
}

struct term_bits {
	uint32_t term;
	uint32_t bits; /* the query words this term matches */
};

static int cmp_term_bits(const void *x, const void *y)
{
	const struct term_bits *a = x, *b = y;
	return (a->term > b->term) - (a->term < b->term);
}

/* One sorted table of every expansion with the words it serves, so a name
 * position costs one binary search whatever the number of words. */
static void build_term_bits(struct qctx *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nw; i++)
		n += c->w[i].nexp;
	struct term_bits *t = arena_alloc(c->a, (n ? n : 1) * sizeof(*t));
	size_t k = 0;
	for (size_t i = 0; i < c->nw; i++)
		for (size_t e = 0; e < c->w[i].nexp; e++)
			t[k++] = (struct term_bits){c->w[i].exp[e].term, 1u << i};
	qsort(t, k, sizeof(*t), cmp_term_bits);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && t[m - 1].term == t[i].term)
			t[m - 1].bits |= t[i].bits;
		else
			t[m++] = t[i];
	}
	c->tbits = t;
	c->ntbits = m;
}

static uint32_t term_bits_of(const struct qctx *c, uint32_t term)
{
	size_t lo = 0, hi = c->ntbits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->tbits[mid].term < term)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->ntbits && c->tbits[lo].term == term ? c->tbits[lo].bits : 0;
}

/* Share of neighbouring query word pairs that stand side by side, in
 * order, somewhere in the document's name. */
static float adjacency(const struct qctx *c, uint32_t doc)
{
	const struct sdoc *sd = &c->ix->docs[doc];
	const uint32_t *t = c->ix->fwd + sd->fwd_off;
	uint32_t prev = 0, pairs = 0;
	for (uint32_t p = 0; p < sd->fwd_n; p++) {
		uint32_t cur = term_bits_of(c, t[p]);
		pairs |= (prev << 1) & cur;
		prev = cur;
	}
	return (float)popcount16(pairs) / (float)(c->nw - 1);
}

/* Proximity only reorders the best RERANK_WINDOW: whatever the page asked
 * for, those stay above the rest, so pages never overlap or skip. */
static void rerank(struct qctx *c, struct candidate *v, size_t k)
{
	if (c->nw < 2)
		return;
	size_t n = k < RERANK_WINDOW ? k : RERANK_WINDOW;
	build_term_bits(c);
	for (size_t i = 0; i < n; i++)
		v[i].score *= 1 + PROXIMITY_BONUS * adjacency(c, v[i].doc);
	qsort(v, n, sizeof(*v), cmp_candidate);
}

/* ======================================================================
 * Querying: the whole run
 * ====================================================================== */

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* The last word is a prefix unless the text ends in a separator. */
static bool ends_in_word(const char *s, size_t n)
{
	if (n == 0)
		return false;
	unsigned char ch = (unsigned char)s[n - 1];
	return ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

static void parse_query(struct qctx *c, const char *text)
{
	size_t n = strnlen(text, MAX_QUERY_BYTES);
	struct fold_token *t;
	size_t nt = fold_tokens(c->a, text, n, MAX_QUERY_WORDS, &t);
	for (size_t i = 0; i < nt; i++)
		parse_word(c, &t[i]);
	/* "thủ tục ..." is how many names begin, and how many citizens begin
	 * a query; names without the prefix must still match. */
	if (c->nw > 2 && strcmp(c->w[0].alt[0], "thu") == 0 && strcmp(c->w[1].alt[0], "tuc") == 0) {
		c->w[0].optional = c->w[1].optional = true;
		c->required &= (uint16_t)~3u;
	}
	bool prefix_last = c->q->prefix_last && ends_in_word(text, n);
	for (size_t i = 0; i < c->nw; i++)
		expand_word(c, &c->w[i], prefix_last && i + 1 == c->nw);
	detect_code(c, text, n);
}

static inline bool enough(const struct qctx *c, uint16_t mask, int need)
{
	if (need < 0)
		return false;
	if (need == c->nrequired)
		return (mask & c->required) == c->required;
	return popcount16(mask & c->required) >= need;
}

/* Matching documents that pass the filters, with facet counts; returns how
 * many were stored in v. */
static size_t gather(struct qctx *c, bool browse, int need, const struct filters *f,
		     struct facet_counts *fc, struct candidate *v)
{
	const search_index *ix = c->ix;
	/* When a large share of the catalogue was touched, walking every
	 * document in order reads memory sequentially and beats jumping
	 * through the touched list. */
	bool scan = browse || c->ntouched > ix->ndocs / 4;
	size_t n = scan ? ix->ndocs : c->ntouched;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t doc = scan ? (uint32_t)i : c->touched[i];
		float score = 0;
		if (!browse) {
			const struct acc *x = &c->acc[doc];
			if (!(x->mask & CODE_FLAG) && !enough(c, x->mask, need))
				continue;
			score = x->score;
		}
		unsigned bits = filter_bits(ix, f, doc);
		count_facets(ix, fc, doc, bits);
		if (bits != ALL_DIMS)
			continue;
		const struct dhot *h = &ix->hot[doc];
		v[k++] = (struct candidate){score, browse ? h->name_rank : h->code_rank, doc};
	}
	return k;
}

static void emit(const struct qctx *c, struct candidate *v, size_t k, struct search_result *out)
{
	const struct search_query *q = c->q;
	size_t limit = q->limit < MAX_LIMIT ? q->limit : MAX_LIMIT;
	size_t want = q->offset < k ? k - q->offset : 0;
	if (want > limit)
		want = limit;
	struct search_hit *hits = arena_alloc(c->a, (want ? want : 1) * sizeof(*hits));
	for (size_t i = 0; i < want; i++)
		hits[i] = (struct search_hit){v[q->offset + i].doc, v[q->offset + i].score};
	out->hits = hits;
	out->nhits = want;
}

static void finish_facets(const search_index *ix, const struct facet_counts *fc, arena *a,
			  struct search_result *out)
{
	facet_list(&ix->facet[D_FIELD], fc->count[D_FIELD], a, &out->field_code);
	facet_list(&ix->facet[D_LEVEL], fc->count[D_LEVEL], a, &out->level);
	facet_list(&ix->facet[D_AGENCY], fc->count[D_AGENCY], a, &out->agency_code);
	facet_list(&ix->facet[D_SERVICE], fc->count[D_SERVICE], a, &out->service_level);
}

mc_status search_run(const search_index *ix, const struct search_query *q, arena *a,
		     struct search_result *out)
{
	if (!ix || !q || !a || !out)
		return MC_INVALID;
	memset(out, 0, sizeof(*out));
	struct qctx *c = arena_zalloc(a, sizeof(*c));
	c->ix = ix;
	c->q = q;
	c->a = a;
	bool browse = blank(q->text);
	int need = -1;
	if (!browse) {
		c->acc = arena_calloc(a, ix->ndocs ? ix->ndocs : 1, sizeof(*c->acc));
		c->touched = arena_alloc(a, (ix->ndocs ? ix->ndocs : 1) * sizeof(*c->touched));
		parse_query(c, q->text);
		for (size_t i = 0; i < c->nw; i++)
			score_word(c, i);
		if (c->code_like)
			score_codes(c);
		need = required_matches(c, &out->partial);
	}
	out->browse = browse;

	struct filters f;
	resolve_filters(ix, q, &f);
	struct facet_counts fc;
	for (int d = 0; d < NDIMS; d++)
		fc.count[d] = arena_calloc(a, (size_t)ix->facet[d].n + 1, sizeof(uint32_t));
	size_t cap = browse ? ix->ndocs : c->ntouched;
	struct candidate *v = arena_alloc(a, (cap ? cap : 1) * sizeof(*v));
	size_t n = gather(c, browse, need, &f, &fc, v);
	out->total = n;

	size_t limit = q->limit < MAX_LIMIT ? q->limit : MAX_LIMIT;
	size_t k = q->offset > n ? n : q->offset + limit;
	if (!browse && k < RERANK_WINDOW)
		k = RERANK_WINDOW;
	k = select_best(v, n, k);
	if (!browse)
		rerank(c, v, k);
	emit(c, v, k, out);
	finish_facets(ix, &fc, a, out);
	return MC_OK;
}
