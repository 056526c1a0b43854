/*
 * search.h - finding a procedure (thủ tục hành chính) in the catalogue from
 * what a citizen types: with or without diacritics, in any case, as raw
 * Telex or VNI keystrokes, with typos, half-typed words, or a procedure code.
 *
 * The index lives in memory. It is built once from a snapshot of the
 * catalogue, copies everything it needs, and is immutable afterwards, so any
 * number of threads may query it at once without locks; rebuild and swap it
 * when the catalogue changes. A query allocates only from the caller's arena
 * (a few arrays sized by the number of documents, no per-posting mallocs).
 * This module must never touch storage or know about HTTP: the caller turns
 * hits back into procedures through its own document array.
 *
 * Matching, in short (search.c says why):
 *  - the query and the documents are folded (domain/fold.h); each query word
 *    matches a document term that is equal; that starts with it (the last
 *    word when prefix_last, or any word of 3+ letters that matches nothing
 *    exactly); or, for a word of 4+ letters that matches nothing exactly and
 *    is not all digits, that is one edit away (insert, delete, substitute or
 *    swap two neighbours). A word that reads as Telex or VNI ("ddawng",
 *    "dang5") also matches as decoded, and keeps its raw reading.
 *  - a document must match every query word, except a few function words
 *    ("và", "của", "cho", ...) that only add score. When no document matches
 *    them all, the documents matching the most words are returned instead and
 *    result.partial is set. A query made only of function words or of
 *    nothing matchable returns nothing.
 *  - a query shaped like a procedure code ("1.001193", "001193", "2.000986")
 *    also matches codes equal to it, ending with it or starting with it, and
 *    those rank above every text match (equal first).
 *  - ranking: BM25 per field (name weighs most, then field, agency, document
 *    names); exact word > prefix > typo; a bonus per word whose diacritics
 *    match the document name's when the query carries any (typed or decoded
 *    from Telex/VNI); among the best 100, a bonus for query words that stand
 *    next to each other in the name. Ties go to the smaller code.
 */
#ifndef MOTCUA_SEARCH_H
#define MOTCUA_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"

/* One procedure as the index sees it. NULL fields count as empty. */
struct search_doc {
	const char *code;	    /* "1.001193" */
	const char *name;	    /* "Thủ tục đăng ký khai sinh" */
	const char *field_name;	    /* lĩnh vực, "Hộ tịch" */
	const char *agency_names;   /* implementing agencies, any separators */
	const char *document_names; /* required documents, any separators */
	/* facets: */
	const char *field_code;	   /* "ho-tich" */
	const char *level;	   /* "province", "commune", ... */
	const char *agency_codes;  /* space-separated */
	const char *service_level; /* "toan-trinh", "mot-phan", "" */
};

typedef struct search_index search_index;

/*
 * Builds the index over docs[0..n). Document i is hit number i in results.
 * The strings are copied; docs may be freed afterwards. Building takes
 * about 15 us per document. Returns NULL only when docs is NULL with n > 0
 * or n does not fit the index (more than 100 million documents).
 */
search_index *search_build(const struct search_doc *docs, size_t n);

/* Frees the index and everything it owns. NULL is fine. */
void search_free(search_index *ix);

/* Number of documents, and bytes the index holds (for metrics and tuning). */
size_t search_count(const search_index *ix);
size_t search_memory(const search_index *ix);

/* The code of document doc as it was given to search_build. */
const char *search_code(const search_index *ix, uint32_t doc);

struct search_query {
	const char *text; /* NULL or blank: browse (see search_run) */
	/* Facet filters; NULL or "" = any. */
	const char *field_code, *level, *agency_code, *service_level;
	size_t offset, limit; /* the page of hits; limit is capped at 1000 */
	bool prefix_last;     /* autocomplete: the last word is a prefix, unless
			       * the text ends with a space */
};

struct search_hit {
	uint32_t doc; /* index into the docs given to search_build */
	float score;
};

struct search_facet {
	const char *value; /* owned by the index */
	uint32_t count;
};

/* Values with a non-zero count, most frequent first, then by value. */
struct search_facets {
	const struct search_facet *items;
	size_t n;
};

struct search_result {
	size_t total; /* matches that pass every filter */
	const struct search_hit *hits;
	size_t nhits; /* hits [offset, offset + limit) of total */
	/*
	 * Counts over the text matches. Each dimension applies the filters of
	 * the other dimensions but not its own, so a list of checkboxes shows
	 * how many procedures each choice would give (the count of the chosen
	 * value equals total). Documents with an empty value are not counted
	 * in that dimension.
	 */
	struct search_facets field_code, level, agency_code, service_level;
	bool partial; /* no document matched every word; these match most */
	bool browse;  /* blank text: every document passing the filters, by name */
};

/*
 * Runs q against ix. Everything in *out is allocated in a (facet values
 * point into ix, so ix must outlive the result). A blank or NULL text lists
 * every document that passes the filters, ordered by name; a text with
 * nothing matchable (punctuation, function words, unknown words) gives an
 * empty result. Only the first 4 KiB and 15 words of the text are read.
 * Returns MC_OK, or MC_INVALID when ix, q or out is NULL.
 */
mc_status search_run(const search_index *ix, const struct search_query *q, arena *a,
		     struct search_result *out);

#endif
