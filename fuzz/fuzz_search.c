/*
 * fuzz_search.c - libFuzzer target for what turns citizen text into search
 * keys and results: fold, fold_exact and fold_tokens (domain/fold.c), Telex
 * and VNI decoding of every word, and search_run (domain/search.c) over a
 * small fixed index built once, the only state kept between inputs (it is
 * immutable by contract).
 *
 * Input layout: byte 0 holds options (bit 0 prefix_last, bits 1-3 pick a
 * filter), byte 1 the page offset, byte 2 the limit; the rest is the query
 * text, and is also folded whole. Besides crashes, the target checks what the
 * contracts promise: folded text is lower-case letters and digits in single
 * spaces, folding is idempotent, fold and fold_exact split the same words,
 * decoded syllables fold to plain ASCII letters, and results are ordered,
 * bounded and consistent with their facet counts.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 -D_GNU_SOURCE -Isrc \
 *     fuzz/fuzz_search.c src/domain/fold.c src/domain/search.c src/core/arena.c \
 *     src/core/buf.c $(pkg-config --cflags --libs libutf8proc) -lm -o /tmp/fz_search
 *   /tmp/fz_search -max_total_time=120 fuzz/corpus/search
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/arena.h"
#include "domain/fold.h"
#include "domain/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static const struct search_doc docs[] = {
	{"1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "Ủy ban nhân dân cấp xã",
	 "Tờ khai đăng ký khai sinh", "ho-tich", "commune", "UBXA", "toan-trinh"},
	{"1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch", "Ủy ban nhân dân cấp xã", NULL,
	 "ho-tich", "commune", "UBXA", "mot-phan"},
	{"1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", "Ủy ban nhân dân cấp xã", NULL,
	 "ho-tich", "commune", "UBXA CAXA", "mot-phan"},
	{"1.004222", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", "Công an cấp xã", NULL,
	 "cu-tru", "commune", "CAXA", "toan-trinh"},
	{"1.012783",
	 "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
	 "Đất đai", "Văn phòng đăng ký đất đai", NULL, "dat-dai", "province", "VPDKDD", ""},
	{"3.000348", "Cấp lại giấy phép lái xe", "Sát hạch, cấp giấy phép lái xe", "Sở Xây dựng",
	 NULL, "gplx", "province", "SXD", "toan-trinh"},
	{"2.000986", "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
	 "Hộ tịch", NULL, NULL, "ho-tich", "commune", "UBXA CAXA BHXH", "toan-trinh"},
	{"T.1", "Thay đổi dạng tài liệu", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
#define NDOCS (sizeof(docs) / sizeof(docs[0]))

static bool ascii_lower_alnum(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Lower-case letters and digits in single spaces, no space at either end,
 * valid UTF-8. */
static void check_folded(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return;
	CHECK(s[0] != ' ' && s[n - 1] != ' ');
	CHECK(!strstr(s, "  "));
	for (size_t i = 0; i < n;) {
		uint8_t c = (uint8_t)s[i];
		if (c < 0x80) {
			CHECK(c == ' ' || ascii_lower_alnum(c));
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		CHECK(k > 0);
		utf8proc_category_t cat = utf8proc_category(cp);
		CHECK(cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
		      cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
		      cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND ||
		      cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO);
		i += (size_t)k;
	}
}

static size_t count_words(const char *s)
{
	size_t n = *s ? 1 : 0;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static void check_fold(arena *a, const char *s, size_t n)
{
	const char *f = fold(a, s, n);
	check_folded(f);
	CHECK(strcmp(fold(a, f, strlen(f)), f) == 0);
	struct fold_token *t;
	size_t nt = fold_tokens(a, s, n, SIZE_MAX, &t);
	CHECK(nt == count_words(f));
	const char *e = fold_exact(a, s, n);
	CHECK(count_words(e) == nt);
	for (size_t i = 0; i < nt; i++) {
		CHECK(t[i].folded_len > 0 && strlen(t[i].folded) == t[i].folded_len);
		CHECK(strlen(t[i].exact) == t[i].exact_len);
		/* Each exact word folds back to its folded word. */
		CHECK(strcmp(fold(a, t[i].exact, t[i].exact_len), t[i].folded) == 0);
	}
}

static void check_decoded(arena *a, const char *syllable, size_t typed_len)
{
	if (!syllable)
		return;
	const char *f = fold(a, syllable, strlen(syllable));
	size_t n = strlen(f);
	CHECK(n > 0 && n <= typed_len);
	for (size_t i = 0; i < n; i++)
		CHECK(f[i] >= 'a' && f[i] <= 'z');
}

/* Telex and VNI on every word, and on the raw bytes as if they were one. */
static void check_keys(arena *a, const char *s, size_t n)
{
	struct fold_token *t;
	size_t nt = fold_tokens(a, s, n, 64, &t);
	for (size_t i = 0; i < nt; i++) {
		check_decoded(a, fold_telex(a, t[i].exact, t[i].exact_len), t[i].exact_len);
		check_decoded(a, fold_vni(a, t[i].exact, t[i].exact_len), t[i].exact_len);
	}
	size_t m = n < 20 ? n : 20;
	check_decoded(a, fold_telex(a, s, m), m);
	check_decoded(a, fold_vni(a, s, m), m);
}

static void check_facets(const struct search_facets *f, size_t matches)
{
	for (size_t i = 0; i < f->n; i++) {
		CHECK(f->items[i].count > 0 && f->items[i].count <= matches);
		if (i)
			CHECK(f->items[i - 1].count >= f->items[i].count);
	}
}

static void check_search(const search_index *ix, arena *a, const uint8_t *opt, const char *text)
{
	static const char *const filters[8][2] = {{NULL, NULL},		 {"field", "ho-tich"},
						  {"level", "commune"},	 {"agency", "CAXA"},
						  {"svc", "toan-trinh"}, {"field", "nope"},
						  {"agency", "UBXA"},	 {"svc", ""}};
	const char *const *f = filters[(opt[0] >> 1) & 7];
	struct search_query q = {
		.text = text,
		.prefix_last = opt[0] & 1,
		.offset = opt[1] % 12,
		.limit = opt[2] % 12,
	};
	if (f[0] && f[0][0] == 'f')
		q.field_code = f[1];
	else if (f[0] && f[0][0] == 'l')
		q.level = f[1];
	else if (f[0] && f[0][0] == 'a')
		q.agency_code = f[1];
	else if (f[0] && f[0][0] == 's')
		q.service_level = f[1];
	struct search_result r;
	CHECK(search_run(ix, &q, a, &r) == MC_OK);
	CHECK(r.total <= NDOCS);
	CHECK(r.nhits <= q.limit);
	CHECK(r.nhits == 0 || q.offset + r.nhits <= r.total);
	bool seen[NDOCS] = {false};
	for (size_t i = 0; i < r.nhits; i++) {
		CHECK(r.hits[i].doc < NDOCS);
		CHECK(!seen[r.hits[i].doc]);
		seen[r.hits[i].doc] = true;
		if (i)
			CHECK(r.hits[i - 1].score >= r.hits[i].score);
	}
	check_facets(&r.field_code, NDOCS);
	check_facets(&r.level, NDOCS);
	check_facets(&r.agency_code, NDOCS);
	check_facets(&r.service_level, NDOCS);
	/* With no filter, a dimension of one value per document counts at
	 * most every match. */
	if (!f[0]) {
		size_t sum = 0;
		for (size_t i = 0; i < r.field_code.n; i++)
			sum += r.field_code.items[i].count;
		CHECK(sum <= r.total);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static search_index *ix;
	if (!ix)
		ix = search_build(docs, NDOCS);
	CHECK(ix);
	if (size < 3)
		return 0;
	arena *a = arena_new(0);
	const char *s = (const char *)data + 3;
	size_t n = size - 3;
	check_fold(a, s, n);
	check_keys(a, s, n);
	char *text = arena_strndup(a, s, n);
	check_search(ix, a, data, text);
	arena_free(a);
	return 0;
}
