/*
 * dvcqg.c - parser for procedure records crawled from the national
 * public-service portal (see dvcqg.h for the contract).
 *
 * The crawl glued table cells together without separators, so every section
 * parser here looks for the shapes the portal's cells take (a channel name, a
 * number and a unit, "Miễn phí", "1 bản chính", "70/2024/NĐ-CP") and splits
 * at them. Where two readings are possible the parser picks the one the rest
 * of the record supports (a fee note that states the amount) and reports the
 * guess; it never reads past the end of a field. All text is normalised to
 * NFC first, so keywords match whether the portal typed them precomposed or
 * decomposed.
 *
 * Layout: text helpers, then one group of small functions per section
 * (identity, levels, applicants, steps, methods, documents, legal basis,
 * results, conditions), then dvcqg_parse, which runs them in order.
 */
#include "domain/dvcqg.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define NONE_TEXT "Không có thông tin"
#define NPOS	  ((size_t)-1)
#define NELEM(a)  (sizeof(a) / sizeof((a)[0]))

struct span {
	const char *p;
	size_t n;
};

/* What every section parser needs: where to allocate, where to report, and
 * the page text (NFC, white space collapsed) to check extractions against. */
struct ctx {
	arena *a;
	struct dvcqg_report *rep;
	const char *raw;
	size_t rawlen;
};

static const char *const section_names[DVCQG_NSECTIONS] = {"identity", "levels",     "steps",
							   "methods",  "documents",  "legal_basis",
							   "results",  "conditions", "other"};

const char *dvcqg_section_name(enum dvcqg_section s)
{
	return (unsigned)s < DVCQG_NSECTIONS ? section_names[s] : "?";
}

void dvcqg_report_init(struct dvcqg_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

unsigned dvcqg_report_total(const struct dvcqg_report *rep)
{
	unsigned t = 0;
	for (int i = 0; i < DVCQG_NSECTIONS; i++)
		t += rep->counts[i];
	return t;
}

__attribute__((format(printf, 3, 4))) static void problem(struct ctx *c, enum dvcqg_section s,
							  const char *fmt, ...)
{
	c->rep->counts[s]++;
	if (c->rep->nproblems >= DVCQG_MAX_PROBLEMS)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(c->a, fmt, ap);
	va_end(ap);
	struct dvcqg_problem *pr = &c->rep->problems[c->rep->nproblems++];
	pr->section = s;
	pr->message = arena_printf(c->a, "%s: %s", section_names[s], msg);
}

/* ---- characters ---- */

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_ascii_upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

/* The code point at s[i] (i < n) and its length; text here is valid UTF-8,
 * but a stray byte still advances by one so no loop can stall. */
static size_t cp_at(const char *s, size_t n, size_t i, int32_t *cp)
{
	utf8proc_int32_t c = -1;
	utf8proc_ssize_t k =
		utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
	if (k <= 0) {
		*cp = -1;
		return 1;
	}
	*cp = c;
	return (size_t)k;
}

/* Start of the code point that ends at s[i] (i > 0). */
static size_t cp_before(const char *s, size_t i, int32_t *cp)
{
	size_t j = i - 1;
	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
		j--;
	size_t len = cp_at(s, i, j, cp);
	if (j + len != i)
		*cp = -1;
	return j;
}

static bool cp_lower(int32_t cp)
{
	return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static bool cp_upper(int32_t cp)
{
	return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

static bool cp_letter(int32_t cp)
{
	if (cp < 0)
		return false;
	utf8proc_category_t k = utf8proc_category(cp);
	return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
	       k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_LM || k == UTF8PROC_CATEGORY_LO;
}

static bool lower_at(const char *s, size_t n, size_t i)
{
	int32_t cp;
	return i < n && (cp_at(s, n, i, &cp), cp_lower(cp));
}

static bool upper_at(const char *s, size_t n, size_t i)
{
	int32_t cp;
	return i < n && (cp_at(s, n, i, &cp), cp_upper(cp));
}

/* ---- strings ---- */

static bool at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);
	return i <= n && n - i >= k && memcmp(s + i, lit, k) == 0;
}

static size_t find(const char *s, size_t n, size_t from, const char *lit)
{
	size_t k = strlen(lit);
	if (from > n || n - from < k)
		return NPOS;
	const char *hit = memmem(s + from, n - from, lit, k);
	return hit ? (size_t)(hit - s) : NPOS;
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && is_ws(s[i]))
		i++;
	return i;
}

static struct span trim(struct span t)
{
	while (t.n && is_ws(t.p[0])) {
		t.p++;
		t.n--;
	}
	while (t.n && is_ws(t.p[t.n - 1]))
		t.n--;
	return t;
}

static struct span sub(const char *s, size_t from, size_t to)
{
	return (struct span){s + from, to - from};
}

static bool span_is(struct span t, const char *lit)
{
	t = trim(t);
	return t.n == strlen(lit) && memcmp(t.p, lit, t.n) == 0;
}

static bool is_none(struct span t)
{
	return trim(t).n == 0 || span_is(t, NONE_TEXT);
}

/* One line: runs of white space become one space; trimmed. */
static char *line_text(arena *a, struct span t)
{
	t = trim(t);
	char *out = arena_alloc(a, t.n + 1);
	size_t k = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (is_ws(t.p[i])) {
			if (k && out[k - 1] != ' ')
				out[k++] = ' ';
		} else {
			out[k++] = t.p[i];
		}
	}
	out[k] = '\0';
	return out;
}

/* A block keeps its line breaks: CR LF becomes LF, trailing blanks go, at
 * most one empty line in a row; trimmed. */
static char *block_text(arena *a, struct span t)
{
	t = trim(t);
	char *out = arena_alloc(a, t.n + 1);
	size_t k = 0;
	for (size_t i = 0; i < t.n; i++) {
		char ch = t.p[i];
		if (ch == '\r') {
			if (i + 1 < t.n && t.p[i + 1] == '\n')
				continue;
			ch = '\n';
		}
		if (ch == '\n') {
			while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
				k--;
			if (k >= 2 && out[k - 1] == '\n' && out[k - 2] == '\n')
				continue;
		}
		out[k++] = ch;
	}
	out[k] = '\0';
	return out;
}

/* At most 60 code points of t on one line, for messages. */
static const char *excerpt(arena *a, struct span t)
{
	char *line = line_text(a, t);
	size_t cps = 0, i = 0, n = strlen(line);
	while (i < n && cps < 60) {
		int32_t cp;
		i += cp_at(line, n, i, &cp);
		cps++;
	}
	if (i >= n)
		return line;
	return arena_printf(a, "%.*s...", (int)i, line);
}

/* A field's text as NFC, with control characters and no-break spaces turned
 * into plain spaces: the portal's pages carry both, and neither belongs in a
 * record. Returns "" when the key is missing or not a string. */
static struct span field(struct ctx *c, const json_t *rec, const char *key)
{
	const json_t *v = json_object_get(rec, key);
	if (!json_is_string(v))
		return (struct span){"", 0};
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)json_string_value(v),
					  (utf8proc_ssize_t)json_string_length(v), &nfc,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		problem(c, DVCQG_OTHER, "%s is not UTF-8 text", key);
		return (struct span){"", 0};
	}
	char *out = arena_alloc(c->a, (size_t)n + 1);
	size_t k = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		unsigned char b = nfc[i];
		bool c1 = b == 0xc2 && i + 1 < n && (nfc[i + 1] < 0xa0 || nfc[i + 1] == 0xa0);
		if (c1) {
			out[k++] = ' ';
			i++;
		} else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
			out[k++] = ' ';
		} else {
			out[k++] = (char)b;
		}
	}
	out[k] = '\0';
	free(nfc);
	return (struct span){out, k};
}

/* An NFC copy of s (which is valid UTF-8). */
static const char *nfc_copy(arena *a, const char *s)
{
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &nfc,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return s;
	char *out = arena_strndup(a, (const char *)nfc, (size_t)n);
	free(nfc);
	return out;
}

/* Whether text (one line, already collapsed) occurs in the page. */
static bool in_raw(struct ctx *c, const char *text)
{
	size_t n = strlen(text);
	return n == 0 || memmem(c->raw, c->rawlen, text, n) != NULL;
}

static void check_raw(struct ctx *c, enum dvcqg_section s, const char *what, const char *text)
{
	if (!in_raw(c, text))
		problem(c, s, "%s not found in raw_text: '%s'", what,
			excerpt(c->a, (struct span){text, strlen(text)}));
}

/* A growable array in the arena; doubling keeps appends cheap. */
struct vec {
	void *v;
	size_t n, cap, size;
};

static void *vec_push(arena *a, struct vec *vec)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 8;
		void *nv = arena_calloc(a, cap, vec->size);
		if (vec->n)
			memcpy(nv, vec->v, vec->n * vec->size);
		vec->v = nv;
		vec->cap = cap;
	}
	return (char *)vec->v + vec->size * vec->n++;
}

static void push_string(arena *a, struct vec *vec, const char *s)
{
	*(const char **)vec_push(a, vec) = s;
}

/* ---- identity ---- */

/* "Thủ tục " followed by one of these is part of the name itself (a customs
 * procedure, "thủ tục hải quan", is what the record is about), not the new
 * portal's prefix. */
static const char *const prefix_keeps[] = {"hải quan", "đối với", "điện tử"};

/* The display name: the portal's "Thủ tục " prefix dropped where it is a
 * prefix, and the first letter upper case, as the rest of the catalogue
 * writes names. */
static const char *display_name(struct ctx *c, const char *portal)
{
	static const char prefix[] = "Thủ tục ";
	const char *name = portal;
	size_t plen = sizeof(prefix) - 1;
	if (strncmp(portal, prefix, plen) == 0 && portal[plen]) {
		bool keep = false;
		for (size_t i = 0; i < NELEM(prefix_keeps) && !keep; i++)
			keep = strncmp(portal + plen, prefix_keeps[i], strlen(prefix_keeps[i])) ==
			       0;
		if (!keep) {
			name = portal + plen;
			c->rep->name_prefix_dropped = true;
		}
	}
	int32_t cp;
	size_t n = strlen(name);
	size_t len = cp_at(name, n, 0, &cp);
	if (!cp_lower(cp))
		return name;
	utf8proc_uint8_t up[4];
	utf8proc_ssize_t k = utf8proc_encode_char(utf8proc_toupper(cp), up);
	/* A capital can compose with the mark after it where the small letter
	 * did not ("ı" + U+0307 stays two code points, "I" + U+0307 is "İ"). */
	return nfc_copy(c->a, arena_printf(c->a, "%.*s%s", (int)k, (const char *)up, name + len));
}

/* The procedure code the page itself shows after "Mã thủ tục", or NULL. */
static const char *page_code(struct ctx *c)
{
	size_t i = find(c->raw, c->rawlen, 0, "Mã thủ tục");
	if (i == NPOS)
		return NULL;
	i = skip_ws(c->raw, c->rawlen, i + strlen("Mã thủ tục"));
	size_t j = i;
	while (j < c->rawlen && (is_digit(c->raw[j]) || c->raw[j] == '.'))
		j++;
	/* "1.000178Số quyết định": the code is digit.six digits; a longer run
	 * would be digits of the next cell. */
	if (j - i > 8)
		j = i + 8;
	return arena_strndup(c->a, c->raw + i, j - i);
}

static int parse_identity(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	p->code = line_text(c->a, field(c, rec, "ma_thu_tuc"));
	if (!procedure_code_valid(p->code)) {
		problem(c, DVCQG_IDENTITY, "code '%s' is not a national procedure code",
			excerpt(c->a, (struct span){p->code, strlen(p->code)}));
		return -1;
	}
	const char *shown = page_code(c);
	if (!shown)
		problem(c, DVCQG_IDENTITY, "raw_text has no 'Mã thủ tục'");
	else if (strcmp(shown, p->code) != 0) {
		problem(c, DVCQG_IDENTITY,
			"crawl mismatch: the page is for procedure %s, not %s; every field "
			"belongs to that other procedure",
			shown, p->code);
		return -1;
	}
	p->portal_name = line_text(c->a, field(c, rec, "ten_thu_tuc"));
	if (!*p->portal_name) {
		problem(c, DVCQG_IDENTITY, "no name");
		return -1;
	}
	check_raw(c, DVCQG_IDENTITY, "name", p->portal_name);
	p->name = display_name(c, p->portal_name);
	p->field = line_text(c->a, field(c, rec, "linh_vuc"));
	if (!*p->field) {
		problem(c, DVCQG_IDENTITY, "no field (linh_vuc)");
		return -1;
	}
	struct span kind = field(c, rec, "loai_thu_tuc");
	p->kind = is_none(kind) ? "" : line_text(c->a, kind);
	p->decision = line_text(c->a, field(c, rec, "so_quyet_dinh"));
	p->ministry = line_text(c->a, field(c, rec, "source_ministry"));
	return 0;
}

static void parse_source(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	const char *url = line_text(c->a, field(c, rec, "detail_url"));
	if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0)
		p->source_url = url;
	else if (*url)
		problem(c, DVCQG_OTHER, "detail_url is not an http(s) address: '%s'",
			excerpt(c->a, (struct span){url, strlen(url)}));
	p->published = true;
	p->generated = false;
}

/* ---- levels ---- */

static const struct {
	const char *text;
	enum procedure_level level;
} level_texts[] = {
	{"Cấp bộ", PROCEDURE_LEVEL_MINISTRY},	 {"Cấp Bộ", PROCEDURE_LEVEL_MINISTRY},
	{"Cấp tỉnh", PROCEDURE_LEVEL_PROVINCE},	 {"Cấp Tỉnh", PROCEDURE_LEVEL_PROVINCE},
	{"Cấp huyện", PROCEDURE_LEVEL_DISTRICT}, {"Cấp Huyện", PROCEDURE_LEVEL_DISTRICT},
	{"Cấp xã", PROCEDURE_LEVEL_COMMUNE},	 {"Cấp Xã", PROCEDURE_LEVEL_COMMUNE},
	{"Cơ quan khác", PROCEDURE_LEVEL_OTHER},
};

static int parse_levels(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span s = field(c, rec, "cap_thuc_hien");
	size_t i = 0;
	while (i <= s.n) {
		size_t j = find(s.p, s.n, i, ",");
		if (j == NPOS)
			j = s.n;
		struct span item = trim(sub(s.p, i, j));
		bool known = false;
		for (size_t k = 0; k < NELEM(level_texts) && !known; k++)
			if (span_is(item, level_texts[k].text)) {
				p->levels |= level_texts[k].level;
				known = true;
			}
		if (!known && item.n)
			problem(c, DVCQG_LEVELS, "unknown level '%s'", excerpt(c->a, item));
		i = j + 1;
	}
	if (!p->levels) {
		problem(c, DVCQG_LEVELS, "no known level in '%s'", excerpt(c->a, s));
		return -1;
	}
	return 0;
}

/* ---- applicants ---- */

/* "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam, Cán bộ,
 * công chức, viên chức": split at commas outside parentheses that start a
 * new capitalised item, so "Cán bộ, công chức, viên chức" stays one. */
static void parse_applicants(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span s = field(c, rec, "doi_tuong_thuc_hien");
	struct vec out = {.size = sizeof(char *)};
	if (!is_none(s)) {
		int depth = 0;
		size_t start = 0;
		for (size_t i = 0; i <= s.n; i++) {
			if (i < s.n && s.p[i] == '(')
				depth++;
			else if (i < s.n && s.p[i] == ')' && depth > 0)
				depth--;
			bool cut = i == s.n || (s.p[i] == ',' && depth == 0 &&
						upper_at(s.p, s.n, skip_ws(s.p, s.n, i + 1)));
			if (!cut)
				continue;
			struct span item = trim(sub(s.p, start, i));
			if (item.n)
				push_string(c->a, &out, line_text(c->a, item));
			start = i + 1;
		}
	}
	p->applicants = out.v;
	p->napplicants = out.n;
}

/* ---- steps ---- */

/* Whether "Bước" at i starts a step: "Bước 2:" anywhere; "Bước 2 Xem xét"
 * only at the start of a line or sentence, so that prose mentioning a step
 * stays inside its paragraph. Sets *end past the label's number. */
static bool step_marker(const char *s, size_t n, size_t i, size_t *end)
{
	if (!at(s, n, i, "Bước"))
		return false;
	size_t j = i + strlen("Bước");
	while (j < n && s[j] == ' ')
		j++;
	size_t d = j;
	while (j < n && is_digit(s[j]) && j - d < 2)
		j++;
	if (j == d || (j < n && is_digit(s[j])))
		return false;
	*end = j;
	size_t k = j;
	while (k < n && s[k] == ' ')
		k++;
	if (k < n && (s[k] == ':' || s[k] == '.'))
		return true;
	size_t b = i;
	while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	return b == 0 || strchr("\n.:;-+*)", s[b - 1]) != NULL;
}

static void parse_steps(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span s = field(c, rec, "trinh_tu_thuc_hien");
	struct vec out = {.size = sizeof(char *)};
	if (is_none(s)) {
		problem(c, DVCQG_STEPS, "none given");
		return;
	}
	size_t start = 0, end;
	for (size_t i = 0; i < s.n; i++) {
		if (!step_marker(s.p, s.n, i, &end))
			continue;
		struct span before = trim(sub(s.p, start, i));
		if (before.n)
			push_string(c->a, &out, block_text(c->a, before));
		start = i;
		i = end - 1;
	}
	struct span last = trim(sub(s.p, start, s.n));
	if (last.n)
		push_string(c->a, &out, block_text(c->a, last));
	p->steps = out.v;
	p->nsteps = out.n;
}

/* ---- methods ---- */

#define METHODS_HEADER "Hình thức nộpThời gianPhí, lệ phíMô tả"
#define FREE_TIME_MAX  300 /* bytes of a time limit written in words */

static const struct {
	const char *text;
	enum procedure_channel channel;
} channel_texts[] = {
	{"Trực tiếp", PROCEDURE_CHANNEL_DIRECT},
	{"Trực tuyến", PROCEDURE_CHANNEL_ONLINE},
	{"Dịch vụ bưu chính", PROCEDURE_CHANNEL_POST},
};

/* Longer texts first: "Ngày làm việc" before "Ngày". */
static const struct {
	const char *text;
	enum procedure_time_unit unit;
} unit_texts[] = {
	{"Ngày làm việc", PROCEDURE_TIME_WORKING_DAYS},
	{"ngày làm việc", PROCEDURE_TIME_WORKING_DAYS},
	{"Ngày", PROCEDURE_TIME_DAYS},
	{"ngày", PROCEDURE_TIME_DAYS},
	{"Giờ", PROCEDURE_TIME_HOURS},
	{"giờ", PROCEDURE_TIME_HOURS},
	{"Tháng", PROCEDURE_TIME_MONTHS},
	{"tháng", PROCEDURE_TIME_MONTHS},
	{"Năm", PROCEDURE_TIME_YEARS},
	{"năm", PROCEDURE_TIME_YEARS},
};

enum currency { CUR_NONE, CUR_FREE, CUR_VND, CUR_OTHER };

static const struct {
	const char *text;
	enum currency cur;
} currency_texts[] = {
	{"Việt Nam Đồng", CUR_VND}, {"VNĐ", CUR_VND},  {"VND", CUR_VND},
	{"Đồng", CUR_VND},	    {"đồng", CUR_VND}, {"USD", CUR_OTHER},
};

/* The fee cell: "Miễn phí", "Không có thông tin" or an amount with its
 * currency. */
struct fee_cell {
	size_t len;
	enum currency cur; /* CUR_NONE for "Không có thông tin" */
	size_t digits;	   /* bytes of the amount, 0 for the words */
};

struct row_head {
	enum procedure_channel channel;
	size_t time_from, time_to; /* the time cell */
	enum procedure_time_unit unit;
	size_t value_from, value_to; /* the number in the time cell, if any */
	size_t fee_from;
	struct fee_cell fee;
	size_t end;
	bool run_together; /* a bare time number glued to a numeric fee */
	size_t desc_len;   /* bytes after end that belong to this row */
};

static size_t channel_at(const char *s, size_t n, size_t i, enum procedure_channel *ch)
{
	for (size_t k = 0; k < NELEM(channel_texts); k++)
		if (at(s, n, i, channel_texts[k].text)) {
			*ch = channel_texts[k].channel;
			return strlen(channel_texts[k].text);
		}
	return 0;
}

/* A time number: digits, optionally one '.' or ',' and more digits. */
static size_t time_number_at(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n && is_digit(s[j]))
		j++;
	if (j == i)
		return 0;
	if (j + 1 < n && (s[j] == '.' || s[j] == ',') && is_digit(s[j + 1])) {
		j++;
		while (j < n && is_digit(s[j]))
			j++;
	}
	return j - i;
}

/* Whether a time number fits the record's plain decimal: at most six
 * digits before the point (leading zeros aside) and three after. */
static bool time_number_ok(const char *s, size_t len)
{
	size_t i = 0;
	while (i + 1 < len && s[i] == '0' && is_digit(s[i + 1]))
		i++;
	size_t int_digits = 0;
	while (i < len && is_digit(s[i])) {
		i++;
		int_digits++;
	}
	return int_digits <= 6 && (i == len || len - i - 1 <= 3);
}

static size_t unit_at(const char *s, size_t n, size_t i, enum procedure_time_unit *u)
{
	size_t j = i < n && s[i] == ' ' ? i + 1 : i;
	for (size_t k = 0; k < NELEM(unit_texts); k++)
		if (at(s, n, j, unit_texts[k].text)) {
			*u = unit_texts[k].unit;
			return j + strlen(unit_texts[k].text) - i;
		}
	return 0;
}

/* An amount as the fee cell writes it: digits with ',' or '.' between
 * groups. */
static size_t amount_at(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n && (is_digit(s[j]) || ((s[j] == ',' || s[j] == '.') && j > i && j + 1 < n &&
					    is_digit(s[j + 1]))))
		j++;
	return j - i;
}

static size_t currency_at(const char *s, size_t n, size_t i, enum currency *cur)
{
	size_t j = i < n && s[i] == ' ' ? i + 1 : i;
	for (size_t k = 0; k < NELEM(currency_texts); k++)
		if (at(s, n, j, currency_texts[k].text)) {
			*cur = currency_texts[k].cur;
			return j + strlen(currency_texts[k].text) - i;
		}
	return 0;
}

static bool fee_at(const char *s, size_t n, size_t i, struct fee_cell *f)
{
	memset(f, 0, sizeof(*f));
	if (at(s, n, i, "Miễn phí")) {
		f->len = strlen("Miễn phí");
		f->cur = CUR_FREE;
		return true;
	}
	if (at(s, n, i, NONE_TEXT)) {
		f->len = strlen(NONE_TEXT);
		return true;
	}
	size_t d = amount_at(s, n, i);
	size_t k = d ? currency_at(s, n, i + d, &f->cur) : 0;
	if (!k)
		return false;
	f->digits = d;
	f->len = d + k;
	return true;
}

/* A time limit in words ("Không phải trả kết quả cho người nộp thuế")
 * followed by the fee cell: no digits, no line break, no channel name, not
 * too long. Returns the fee's offset or NPOS. */
static size_t free_time_end(const char *s, size_t n, size_t i, struct fee_cell *f)
{
	enum procedure_channel ch;
	if (!upper_at(s, n, i))
		return NPOS; /* "Trực tiếp tại ..." in a description is prose */
	for (size_t j = i; j < n && j - i <= FREE_TIME_MAX; j++) {
		if (is_digit(s[j]) || s[j] == '\n' || (j > i && channel_at(s, n, j, &ch)))
			return NPOS;
		if (j > i && fee_at(s, n, j, f) && f->digits == 0)
			return j;
	}
	return NPOS;
}

/* The time cell after the channel name; fills h and returns true when a
 * fee cell follows it. */
static bool time_and_fee(const char *s, size_t n, size_t j, struct row_head *h)
{
	h->time_from = h->value_from = h->value_to = j;
	h->unit = PROCEDURE_TIME_UNKNOWN;
	size_t k;
	if (at(s, n, j, NONE_TEXT) && fee_at(s, n, j + strlen(NONE_TEXT), &h->fee)) {
		h->fee_from = h->time_to = j + strlen(NONE_TEXT);
		return true;
	}
	size_t num = time_number_at(s, n, j);
	if (num) {
		h->value_to = j + num;
		bool ok = time_number_ok(s + j, num);
		if ((k = unit_at(s, n, j + num, &h->unit)) != 0) {
			h->fee_from = h->time_to = j + num + k;
			return ok && fee_at(s, n, h->fee_from, &h->fee);
		}
		if (fee_at(s, n, j + num, &h->fee) && h->fee.digits == 0) {
			h->fee_from = h->time_to = j + num;
			return ok;
		}
		/* "1100 VNĐ": a bare time and a numeric fee glued together; the
		 * split is settled later against the fee note. */
		if (fee_at(s, n, j, &h->fee) && h->fee.digits >= 2) {
			h->run_together = true;
			h->value_to = h->time_to = h->fee_from = j + 1;
			return true;
		}
		return false;
	}
	size_t e = free_time_end(s, n, j, &h->fee);
	if (e == NPOS)
		return false;
	h->fee_from = h->time_to = e;
	return true;
}

static bool row_head_at(const char *s, size_t n, size_t i, struct row_head *h)
{
	memset(h, 0, sizeof(*h));
	size_t k = channel_at(s, n, i, &h->channel);
	if (!k || !time_and_fee(s, n, i + k, h))
		return false;
	if (!h->run_together)
		h->end = h->fee_from + h->fee.len;
	else
		h->end = h->time_from + h->fee.len;
	return true;
}

/* The first row head at or after from, or n. */
static size_t next_row(const char *s, size_t n, size_t from)
{
	struct row_head h;
	for (size_t i = from; i < n; i++) {
		if ((s[i] == 'T' || s[i] == 'D') && row_head_at(s, n, i, &h))
			return i;
	}
	return n;
}

/* Past the parenthesised note that opens at s[i], or NPOS when it does not
 * close before n. */
static size_t paren_end(const char *s, size_t n, size_t i)
{
	int depth = 0;
	for (size_t j = i; j < n; j++) {
		if (s[j] == '(')
			depth++;
		else if (s[j] == ')' && --depth == 0)
			return j + 1;
	}
	return NPOS;
}

/* An amount's value: "50,000" and "50.000" are fifty thousand; groups after
 * the first must have three digits, or the text is not an amount. */
static int64_t amount_value(const char *s, size_t len)
{
	int64_t v = 0;
	size_t group = 0;
	bool separated = false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ',' || s[i] == '.') {
			if ((separated && group != 3) || group == 0)
				return -1;
			separated = true;
			group = 0;
			continue;
		}
		if (v > PROCEDURE_MAX_FEE / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
		group++;
	}
	if (separated && group != 3)
		return -1;
	return v;
}

static bool among(int64_t v, const int64_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

#define NOTE_AMOUNTS 16

/* The đồng amounts a fee note states ("135.000 đồng/lần", "20.000 vnđ",
 * "5.000đ"). Returns how many, at most NOTE_AMOUNTS. */
static size_t note_amounts(const char *s, size_t n, int64_t *out)
{
	static const char *const units[] = {"đồng", "Đồng", "VNĐ", "vnđ", "VND", "đ"};
	size_t count = 0;
	for (size_t i = 0; i < n && count < NOTE_AMOUNTS; i++) {
		if (!is_digit(s[i]) ||
		    (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == ',')))
			continue;
		size_t d = amount_at(s, n, i);
		size_t j = i + d < n && s[i + d] == ' ' ? i + d + 1 : i + d;
		for (size_t k = 0; k < NELEM(units); k++) {
			if (!at(s, n, j, units[k]))
				continue;
			int64_t v = amount_value(s + i, d);
			if (v > 0 && !among(v, out, count))
				out[count++] = v;
			break;
		}
		i += d;
	}
	return count;
}

/* Settles "1100 VNĐ" (time 1, fee 100? time 11, fee 00?) by the split whose
 * fee, or that fee in thousands, the note states; otherwise one digit of
 * time, reported. */
static void settle_run_together(struct ctx *c, const char *s, struct row_head *h,
				const int64_t *amounts, size_t namounts)
{
	size_t whole = h->fee.digits;
	size_t best = 1;
	bool found = false;
	for (size_t t = 1; t < whole && t <= 3 && !found; t++) {
		const char *f = s + h->time_from + t;
		if (!is_digit(f[0]))
			break;
		int64_t v = amount_value(f, whole - t);
		if (v >= 0 && (among(v, amounts, namounts) || among(v * 1000, amounts, namounts))) {
			best = t;
			found = true;
		}
	}
	h->value_to = h->time_to = h->fee_from = h->time_from + best;
	h->fee.digits = whole - best;
	h->fee.len -= best;
	if (!found)
		problem(c, DVCQG_METHODS, "time and fee run together in '%s'; read as time %.*s",
			excerpt(c->a, sub(s, h->time_from, h->end)), (int)best, s + h->time_from);
}

/* Amounts the description states as a fee ("- Lệ phí : 50.000 Đồng"), the
 * older way of publishing fees when the fee cell is empty. */
static size_t described_fees(const char *s, size_t n, int64_t *out)
{
	size_t count = 0;
	for (size_t i = find(s, n, 0, "phí"); i != NPOS && count < NOTE_AMOUNTS;
	     i = find(s, n, i + 1, "phí")) {
		size_t j = i + strlen("phí");
		while (j < n && (s[j] == ' ' || s[j] == ':'))
			j++;
		size_t d = amount_at(s, n, j);
		enum currency cur = CUR_NONE;
		if (!d || !currency_at(s, n, j + d, &cur) || cur != CUR_VND)
			continue;
		int64_t v = amount_value(s + j, d);
		if (v > 0 && !among(v, out, count))
			out[count++] = v;
	}
	return count;
}

/* The fee in đồng, as the cell and its note together allow. */
static int64_t fee_amount(struct ctx *c, const char *s, const struct row_head *h,
			  const int64_t *amounts, size_t namounts)
{
	const char *cell = s + h->fee_from;
	switch (h->fee.cur) {
	case CUR_FREE:
		if (namounts == 0)
			return 0;
		problem(c, DVCQG_METHODS, "fee says free but its note states an amount: '%s'",
			excerpt(c->a, sub(s, h->fee_from, h->end)));
		return -1;
	case CUR_NONE: {
		if (namounts)
			return namounts == 1 ? amounts[0] : -1;
		int64_t said[NOTE_AMOUNTS];
		size_t nsaid = described_fees(s + h->end, h->desc_len, said);
		return nsaid == 1 ? said[0] : -1;
	}
	case CUR_OTHER: return -1;
	case CUR_VND: break;
	}
	int64_t v = amount_value(cell, h->fee.digits);
	if (v < 0) {
		problem(c, DVCQG_METHODS, "unreadable fee amount '%.*s'", (int)h->fee.len, cell);
		return -1;
	}
	if (among(v, amounts, namounts))
		return v;
	if (v < 1000 && among(v * 1000, amounts, namounts)) {
		problem(c, DVCQG_METHODS, "fee '%.*s' read as %lld đồng from its note",
			(int)h->fee.len, cell, (long long)(v * 1000));
		return v * 1000;
	}
	if (v < 1000) {
		problem(c, DVCQG_METHODS, "fee '%.*s' is too small to be in đồng", (int)h->fee.len,
			cell);
		return -1;
	}
	return v;
}

/* "05" -> "5", "1,5" -> "1.5": the record's plain decimal. */
static const char *time_value(arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	size_t k = 0, i = 0;
	while (i + 1 < len && s[i] == '0' && is_digit(s[i + 1]))
		i++;
	for (; i < len; i++)
		out[k++] = s[i] == ',' ? '.' : s[i];
	out[k] = '\0';
	return out;
}

static void fill_method(struct ctx *c, const char *s, size_t n, struct row_head *h,
			struct procedure_method *m, size_t *next)
{
	size_t p = h->end;
	struct span note = {"", 0};
	if (p < n && s[p] == '(') {
		size_t q = paren_end(s, n, p);
		size_t stop = next_row(s, n, p);
		if (q == NPOS || q > stop)
			q = stop;
		note = sub(s, p, q);
		p = q;
	}
	int64_t amounts[NOTE_AMOUNTS];
	size_t namounts = note_amounts(note.p, note.n, amounts);
	if (h->run_together)
		settle_run_together(c, s, h, amounts, namounts);
	*next = next_row(s, n, p);
	m->channel = h->channel;
	m->time_unit = h->unit;
	m->time_value = time_value(c->a, s + h->value_from, h->value_to - h->value_from);
	struct span tt = sub(s, h->time_from, h->time_to);
	m->time_text = is_none(tt) ? "" : line_text(c->a, tt);
	struct span fee = sub(s, h->fee_from, h->fee_from + h->fee.len);
	m->fee = is_none(fee) ? "" : line_text(c->a, fee);
	if (note.n >= 2 && note.p[0] == '(' && note.p[note.n - 1] == ')')
		note = sub(note.p, 1, note.n - 1);
	m->fee_note = is_none(note) ? "" : block_text(c->a, note);
	h->desc_len = *next - h->end;
	m->fee_amount = fee_amount(c, s, h, amounts, namounts);
	struct span desc = sub(s, p, *next);
	m->description = is_none(desc) ? "" : block_text(c->a, desc);
	check_raw(c, DVCQG_METHODS, "time limit", m->time_text);
	check_raw(c, DVCQG_METHODS, "fee", m->fee);
	if (!*m->time_value && !*m->time_text)
		problem(c, DVCQG_METHODS, "no time limit for %s",
			procedure_channel_name(m->channel));
	else if (m->time_unit == PROCEDURE_TIME_UNKNOWN && *m->time_value)
		problem(c, DVCQG_METHODS, "time limit '%s' for %s has no unit", m->time_text,
			procedure_channel_name(m->channel));
	else if (!*m->time_value)
		problem(c, DVCQG_METHODS, "could not read a time limit in '%s'", excerpt(c->a, tt));
}

static void parse_methods(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span f = field(c, rec, "cach_thuc_thuc_hien");
	struct vec out = {.size = sizeof(struct procedure_method)};
	if (is_none(f)) {
		problem(c, DVCQG_METHODS, "none given");
		return;
	}
	const char *s = f.p;
	size_t n = f.n, pos = 0;
	if (at(s, n, 0, METHODS_HEADER))
		pos = strlen(METHODS_HEADER);
	else
		problem(c, DVCQG_METHODS, "no table header in '%s'", excerpt(c->a, f));
	while (pos < n) {
		struct row_head h;
		if (!row_head_at(s, n, pos, &h)) {
			size_t next = next_row(s, n, pos + 1);
			struct span skipped = trim(sub(s, pos, next));
			if (skipped.n)
				problem(c, DVCQG_METHODS, "could not read a time limit in '%s'",
					excerpt(c->a, skipped));
			pos = next;
			continue;
		}
		fill_method(c, s, n, &h, vec_push(c->a, &out), &pos);
	}
	if (out.n == 0)
		problem(c, DVCQG_METHODS, "no method found");
	p->methods = out.v;
	p->nmethods = out.n;
}

/* ---- documents ---- */

#define DOCS_HEADER "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

/* A count cell: "1 bản chính" or "0 bản chính,1 bản sao". */
struct count_cell {
	size_t from, to;
	int originals, copies;
};

/* The next count cell at or after from. Only the digit right before
 * " bản chính" is the count (the crawl glues "năm 2026" to "1 bản chính"),
 * and "01 bản chính văn bản đề nghị" is prose inside a name: a count is
 * never followed by a space and a lower-case word. */
static bool next_count(const char *s, size_t n, size_t from, struct count_cell *cc)
{
	static const char mark[] = " bản chính";
	for (size_t k = find(s, n, from + 1, mark); k != NPOS; k = find(s, n, k + 1, mark)) {
		if (k < from + 1 || !is_digit(s[k - 1]))
			continue;
		size_t e = k + strlen(mark);
		int copies = 0;
		if (e + 1 < n && s[e] == ',' && is_digit(s[e + 1])) {
			size_t d = e + 1, j = d;
			while (j < n && is_digit(s[j]) && j - d < 2)
				j++;
			if (at(s, n, j, " bản sao")) {
				copies = (int)amount_value(s + d, j - d);
				e = j + strlen(" bản sao");
			}
		}
		if (e < n && s[e] == ' ' && lower_at(s, n, skip_ws(s, n, e)))
			continue;
		/* ": 01 bản chính;" is prose too: a table's count is one digit,
		 * never zero-padded ("Phụ lục số 10" + "1 bản chính" is fine). */
		if (k >= 3 && s[k - 2] == '0' && (k == 3 || !is_digit(s[k - 3])))
			continue;
		if (k >= 2 && s[k - 2] == '(')
			continue; /* "(1 bản chính)" is a remark in a name */
		cc->from = k - 1;
		cc->to = e;
		cc->originals = s[k - 1] - '0';
		cc->copies = copies;
		return true;
	}
	return false;
}

static const char *const template_exts[] = {".docx", ".doc", ".pdf", ".xlsx", ".xls",
					    ".odt",  ".rtf", ".zip", ".rar"};

/* Where a template extension ends the text s[0..n): returns the offset of its
 * dot, or NPOS. */
static size_t ext_dot(const char *s, size_t n)
{
	for (size_t k = 0; k < NELEM(template_exts); k++) {
		size_t len = strlen(template_exts[k]);
		if (n > len && strncasecmp(s + n - len, template_exts[k], len) == 0)
			return n - len;
	}
	return NPOS;
}

/* Words a form file name usually starts with. */
static const char *const template_openers[] = {
	"Mẫu",	    "MẪU",	"Mau",	   "MAU",     "mau so",	 "Phụ lục",
	"PHỤ LỤC",  "Phụ Lục",	"Phu luc", "Phu Luc", "Tờ khai", "To khai",
	"Biểu mẫu", "Bieu mau", "Don ",	   "Mus",     "Ms"};

/* Words a document's name often ends with just before a glued file name
 * ("theo quy địnhvăn bản đề nghị.docx"). */
static const char *const name_endings[] = {"theo mẫu", "theo Mẫu", "quy định"};

static bool opener_at(const char *s, size_t n, size_t i)
{
	for (size_t k = 0; k < NELEM(template_openers); k++)
		if (at(s, n, i, template_openers[k]))
			return true;
	return false;
}

static bool ending_before(const char *s, size_t n, size_t i, const char *const *words,
			  size_t nwords)
{
	for (size_t k = 0; k < nwords; k++) {
		size_t len = strlen(words[k]);
		if (i >= len && at(s, n, i - len, words[k]))
			return true;
	}
	return false;
}

/* Whether the word that ends at s[i] begins with a lower-case letter:
 * "sảnMau", "genDon" are a word of the name glued to a file name, while
 * "MauDanhsach" or "CpmiCpli" are one file name written in camel case. */
static bool word_before_is_lower(const char *s, size_t lo, size_t i, size_t min_letters)
{
	int32_t first = -1;
	size_t letters = 0;
	while (i > lo) {
		int32_t cp;
		size_t j = cp_before(s, i, &cp);
		if (!cp_letter(cp))
			break;
		first = cp;
		letters++;
		i = j;
	}
	return letters >= min_letters && cp_lower(first);
}

static size_t legal_suffix(const char *s, size_t n, size_t i);

/* Whether a legal number ("58/2024/NĐ-CP") ends exactly at s[i]: names
 * often end with one, and the file name is glued to it ("NĐ-CPMus13.docx"). */
static bool legal_number_ends_at(const char *s, size_t lo, size_t i)
{
	size_t j = i;
	while (j > lo && i - j < 24 && s[j - 1] != '/' && !is_ws(s[j - 1]))
		j--;
	if (j == lo || s[j - 1] != '/' || j == i || j < 2 || !is_digit(s[j - 2]))
		return false;
	return legal_suffix(s, i + 1, j) == i - j;
}

/* The text between the last white space and the '.' at s[i]: "NĐ-CP" or
 * "lai" end a sentence, "05A" in "Mẫu 05A.TT41" or "1" in "Mẫu I.1.3" does
 * not. */
static bool dot_ends_sentence(const char *s, size_t lo, size_t i)
{
	size_t b = i;
	while (b > lo && !is_ws(s[b - 1]))
		b--;
	bool digit = false, lower = false, slash = false, paren = false;
	size_t cps = 0;
	for (size_t j = b; j < i;) {
		int32_t cp;
		j += cp_at(s, i, j, &cp);
		cps++;
		digit |= cp >= '0' && cp <= '9';
		lower |= cp_lower(cp);
		slash |= cp == '/';
		paren |= cp == ')';
	}
	if (slash || paren)
		return true;
	if (digit)
		return false;
	if (strspn(s + b, ".") >= i - b)
		return true; /* "môi trường ..Mauso02.docx" */
	return lower || cps > 5 || memchr(s + b, '-', i - b) != NULL;
}

/* Whether a file name can start at s[i] given what precedes it. */
static bool template_boundary(const char *s, size_t n, size_t lo, size_t i)
{
	int32_t b, c;
	size_t bi = cp_before(s, i, &b);
	cp_at(s, n, i, &c);
	if (is_ws(s[i]) || c == '.')
		return false;
	if (b == ';' || b == ':' || b == '\n' || b == 0x201d || b == '"')
		return true;
	if (b == ')')
		return c != '-' && c != '_' && c != ')' && c != '(';
	if (b == '.')
		return (cp_letter(c) || (c >= '0' && c <= '9')) && dot_ends_sentence(s, lo, bi);
	if (ending_before(s, n, i, name_endings, NELEM(name_endings)))
		return true;
	bool glued = cp_letter(b) || (b >= '0' && b <= '9');
	if (glued && opener_at(s, n, i))
		return true;
	if (glued && legal_number_ends_at(s, lo, i))
		return true;
	/* "đường ngang1.3. Don de nghi.docx", "cá nhân7-Mẫu NA6.doc" */
	if (cp_lower(b) && c >= '0' && c <= '9' && word_before_is_lower(s, lo, i, 2))
		return true;
	/* "Phụ lụcXI- TT54.docx" is one file name. */
	if (ending_before(s, n, i, template_openers, NELEM(template_openers)))
		return false;
	return cp_lower(b) && cp_upper(c) && word_before_is_lower(s, lo, i, 1);
}

/* Start of the file name that ends s[lo..end) with its extension at dot, or
 * NPOS when no boundary shows where the document's name stops. */
static size_t template_start(const char *s, size_t lo, size_t dot)
{
	for (size_t i = dot; i > lo;) {
		int32_t cp;
		size_t j = cp_before(s, i, &cp);
		if (j > lo && template_boundary(s, dot, lo, j))
			return j;
		i = j;
	}
	return NPOS;
}

/* Takes the form file names off the end of a document's text, last first,
 * and returns what is left (the document's name). */
static struct span take_templates(struct ctx *c, struct span item, struct vec *names)
{
	const char *s = item.p;
	size_t end = trim(item).n + (size_t)(trim(item).p - s);
	struct vec rev = {.size = sizeof(char *)};
	size_t dot;
	while (end > 0 && (dot = ext_dot(s, end)) != NPOS) {
		size_t start = template_start(s, 0, dot);
		if (start == NPOS) {
			if (end > 80 || rev.n)
				problem(c, DVCQG_DOCUMENTS,
					"cannot tell the form file name from the document "
					"name in '%s'",
					excerpt(c->a, sub(s, 0, end)));
			else
				start = 0;
		}
		if (start == NPOS)
			break;
		push_string(c->a, &rev, line_text(c->a, sub(s, start, end)));
		end = start;
		while (end > 0 && is_ws(s[end - 1]))
			end--;
	}
	for (size_t i = rev.n; i > 0; i--)
		push_string(c->a, names, ((const char **)rev.v)[i - 1]);
	return sub(s, 0, end);
}

static void add_document(struct ctx *c, struct vec *docs, const char *case_name, struct span item,
			 const struct count_cell *cc)
{
	struct vec templates = {.size = sizeof(char *)};
	struct span rest = take_templates(c, item, &templates);
	/* The end of the previous row's sentence: ".Bản sao ..." */
	while (rest.n && strchr(".,;:) ", rest.p[0])) {
		rest.p++;
		rest.n--;
	}
	const char *name = line_text(c->a, rest);
	if (!*name && templates.n)
		name = ((const char **)templates.v)[0];
	if (!*name) {
		problem(c, DVCQG_DOCUMENTS, "a count with no document before it");
		return;
	}
	struct procedure_document *d = vec_push(c->a, docs);
	d->case_name = case_name;
	d->name = name;
	d->originals = cc->originals;
	d->copies = cc->copies;
	d->templates = templates.v;
	d->ntemplates = templates.n;
	check_raw(c, DVCQG_DOCUMENTS, "document name", name);
	for (size_t i = 0; i < templates.n; i++)
		check_raw(c, DVCQG_DOCUMENTS, "form file name", d->templates[i]);
}

/* A case heading: "" for the portal's "--" placeholder. */
static const char *case_heading(arena *a, struct span t)
{
	t = trim(t);
	size_t dashes = 0;
	while (dashes < t.n && t.p[dashes] == '-')
		dashes++;
	if (dashes == t.n)
		return "";
	if (dashes >= 2)
		t = trim(sub(t.p, dashes, t.n));
	return line_text(a, t);
}

/* One table's rows; returns the text after the last count (the next case's
 * heading, or trailing text). */
static struct span parse_table(struct ctx *c, struct span seg, const char *case_name,
			       struct vec *docs)
{
	struct count_cell cc;
	size_t pos = 0;
	while (next_count(seg.p, seg.n, pos, &cc)) {
		add_document(c, docs, case_name, sub(seg.p, pos, cc.from), &cc);
		pos = cc.to;
	}
	if (pos == 0)
		problem(c, DVCQG_DOCUMENTS, "a table without counts: '%s'", excerpt(c->a, seg));
	return sub(seg.p, pos, seg.n);
}

static void parse_documents(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span f = field(c, rec, "thanh_phan_ho_so");
	struct vec docs = {.size = sizeof(struct procedure_document)};
	size_t h = find(f.p, f.n, 0, DOCS_HEADER);
	if (is_none(f) || span_is(f, "--")) {
		problem(c, DVCQG_DOCUMENTS, "none listed");
	} else if (h == NPOS) {
		problem(c, DVCQG_DOCUMENTS, "no document table in '%s'", excerpt(c->a, f));
	} else {
		const char *heading = case_heading(c->a, sub(f.p, 0, h));
		while (h != NPOS) {
			size_t from = h + strlen(DOCS_HEADER);
			size_t next = find(f.p, f.n, from, DOCS_HEADER);
			struct span seg = sub(f.p, from, next == NPOS ? f.n : next);
			struct span tail = parse_table(c, seg, heading, &docs);
			heading = case_heading(c->a, tail);
			if (next == NPOS && *heading)
				problem(c, DVCQG_DOCUMENTS, "text after the last count: '%s'",
					excerpt(c->a, tail));
			h = next;
		}
	}
	p->documents = docs.v;
	p->ndocuments = docs.n;
}

/* ---- legal basis ---- */

#define LEGAL_HEADER "Tên văn bản pháp lýMã văn bản"

/* The issuing bodies' abbreviations that end a legal number ("NĐ-CP",
 * "TT-BTC"). A run of capitals glued to the next title ("NĐ-CPLUẬT") is cut
 * back to the longest of these it starts with. */
static const char *const issuers[] = {
	"CP",	  "TTg",   "BTC",     "BCA",	 "BTP",	    "BNNMT", "NHNN", "BGTVT",
	"BXD",	  "UBND",  "HĐND",    "BTNMT",	 "BNNPTNT", "BKHĐT", "BHXH", "BLĐTBXH",
	"BYT",	  "VPCP",  "BVHTTDL", "BCT",	 "BQP",	    "BNG",   "BNV",  "BTTTT",
	"BKHCN",  "BGDĐT", "TANDTC",  "VKSNDTC", "HĐTP",    "CTN",   "KTNN", "VPQH",
	"NHCSXH", "BTTTT", "UBTVQH",  "QH",	 "BKH",	    "TTLT",  "CSXH"};

/* A capital letter of an issuer's abbreviation; 'Đ' is the only one beyond
 * ASCII. Returns its length in bytes, 0 if none. */
static size_t issuer_letter(const char *s, size_t n, size_t i)
{
	if (i < n && is_ascii_upper(s[i]))
		return 1;
	return at(s, n, i, "Đ") ? strlen("Đ") : 0;
}

static bool issuer_known(const char *s, size_t len)
{
	for (size_t t = 0; t < NELEM(issuers); t++)
		if (strlen(issuers[t]) == len && memcmp(s, issuers[t], len) == 0)
			return true;
	return false;
}

/* The longest known issuer that s[0..len) starts with, or 0. */
static size_t issuer_prefix(const char *s, size_t len)
{
	size_t best = 0;
	for (size_t t = 0; t < NELEM(issuers); t++) {
		size_t l = strlen(issuers[t]);
		if (l <= len && l > best && memcmp(s, issuers[t], l) == 0)
			best = l;
	}
	return best;
}

/* One segment of a suffix, cut back where the next title is glued on: a
 * known issuer is kept whole ("NHNNphân cấp"), otherwise the longest known
 * issuer it starts with ("BCALuật", "CPQUY ĐỊNH"); an unknown run loses a
 * last capital that starts a lower-case word. */
static size_t suffix_segment(const char *s, size_t n, size_t i)
{
	size_t j = i, k;
	while ((k = issuer_letter(s, n, j)) != 0)
		j += k;
	if (j - i == 2 && at(s, n, i, "TT") && j < n && s[j] == 'g' && !lower_at(s, n, j + 1))
		return 3; /* QĐ-TTg */
	if (j - i >= 2 && at(s, n, j - 2, "QH")) {
		size_t d = j;
		while (j < n && is_digit(s[j]) && j - d < 2)
			j++;
		return j - i;
	}
	if (issuer_known(s + i, j - i))
		return j - i;
	size_t best = issuer_prefix(s + i, j - i);
	if (best)
		return best;
	if (j > i && lower_at(s, n, j) && is_ascii_upper(s[j - 1]))
		j--;
	return j - i;
}

static size_t legal_suffix(const char *s, size_t n, size_t i)
{
	size_t j = i;
	for (;;) {
		size_t k = suffix_segment(s, n, j);
		if (k == 0) {
			if (j > i)
				j--; /* the separator belongs to what follows */
			break;
		}
		j += k;
		/* "TT-BTC", "TTLT/BQP-BLĐTBXH-BTC", "TT_BCA" as typed */
		if (j + 1 < n && strchr("-/_", s[j]) && issuer_letter(s, n, j + 1))
			j++;
		else
			break;
	}
	return j - i;
}

struct legal_number {
	size_t from, to;
};

/* The legal number whose first '/' is at or after from: "70/2024/NĐ-CP",
 * "1404/QĐ-UBND", "66.19/2026/NQ-CP", "24/2024". lo bounds how far back its
 * digits may reach (the end of the previous number). */
static bool next_legal_number(const char *s, size_t n, size_t lo, size_t from,
			      struct legal_number *ln)
{
	for (size_t k = from; k < n; k++) {
		if (s[k] != '/' || k == lo || !is_digit(s[k - 1]))
			continue;
		size_t a = k;
		while (a > lo && (is_digit(s[a - 1]) ||
				  (s[a - 1] == '.' && a - 1 > lo && is_digit(s[a - 2]))))
			a--;
		/* "năm 201102/2011/QH13", "ngày 25/01/202640/2026/NĐ-CP": a
		 * year glued to the number. */
		if (k - a > 4 && (at(s, n, a, "19") || at(s, n, a, "20")))
			a += 4;
		while (a < k && s[a] == '.')
			a++; /* "ngày 15/5/2026.55/2026/TT-BTC" */
		if (a == k)
			continue;
		if (a > 0 && s[a - 1] == '/')
			continue; /* "18/01/2024": a date, not a number */
		size_t j = k + 1;
		bool year = j + 4 <= n && is_digit(s[j]) && is_digit(s[j + 1]) &&
			    is_digit(s[j + 2]) && is_digit(s[j + 3]);
		size_t suf;
		if (year && j + 4 < n && s[j + 4] == '/') {
			j += 5;
			suf = legal_suffix(s, n, j);
		} else if (year && trim(sub(s, j + 4, n)).n == 0) {
			j += 4; /* "24/2024" ending the table: a number without issuer */
			suf = 0;
		} else {
			suf = legal_suffix(s, n, j);
			if (suf == 0)
				continue;
		}
		ln->from = a;
		ln->to = j + suf;
		return true;
	}
	return false;
}

/* Whether the number ends a row (the "Mã văn bản" cell) rather than sitting
 * inside a title: cells are glued to their neighbours, prose has spaces. */
static bool number_is_cell(const char *s, size_t n, const struct legal_number *ln)
{
	bool before = ln->from == 0 || !is_ws(s[ln->from - 1]);
	bool after = ln->to >= n || !(is_ws(s[ln->to]) || strchr(",.;)", s[ln->to]));
	size_t rest = ln->to;
	while (rest < n && (is_ws(s[rest]) || strchr(",.;:", s[rest])))
		rest++;
	return before || after || rest == n;
}

static void add_legal(struct ctx *c, struct vec *out, struct span title, struct span number)
{
	const char *t = line_text(c->a, title);
	while (*t == '-' || *t == ':' || *t == ' ')
		t++; /* "NĐ-CP-Quy định": the dash was the number's */
	size_t tl = strlen(t);
	while (tl && (t[tl - 1] == ';' || t[tl - 1] == ',' || t[tl - 1] == ' '))
		tl--;
	t = arena_strndup(c->a, t, tl);
	const char *num = line_text(c->a, number);
	if (!*t && !*num)
		return;
	struct procedure_legal *l = vec_push(c->a, out);
	l->title = *t ? t : num;
	l->number = num;
	check_raw(c, DVCQG_LEGAL, "legal number", num);
	check_raw(c, DVCQG_LEGAL, "legal title", l->title);
}

static void parse_legal(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span f = field(c, rec, "can_cu_phap_ly");
	struct vec out = {.size = sizeof(struct procedure_legal)};
	if (is_none(f)) {
		problem(c, DVCQG_LEGAL, "none given");
		return;
	}
	const char *s = f.p;
	size_t n = f.n, start = 0;
	if (at(s, n, 0, LEGAL_HEADER))
		start = strlen(LEGAL_HEADER);
	else
		problem(c, DVCQG_LEGAL, "no table header in '%s'", excerpt(c->a, f));
	struct legal_number ln, next;
	size_t lo = start;
	bool have = next_legal_number(s, n, lo, start, &ln);
	while (have) {
		bool more = next_legal_number(s, n, ln.to, ln.to, &next);
		bool adjacent = more && next.from == ln.to;
		if (number_is_cell(s, n, &ln) && !adjacent) {
			add_legal(c, &out, sub(s, start, ln.from), sub(s, ln.from, ln.to));
			start = ln.to;
		}
		ln = next;
		have = more;
	}
	struct span rest = trim(sub(s, start, n));
	bool words = false;
	for (size_t i = 0; i < rest.n && !words; i++)
		words = !strchr(".,;:-_/ ", rest.p[i]);
	if (words) {
		problem(c, DVCQG_LEGAL, "no legal number for '%s'", excerpt(c->a, rest));
		add_legal(c, &out, rest, (struct span){"", 0});
	}
	p->legal_basis = out.v;
	p->nlegal_basis = out.n;
}

/* ---- results ---- */

#define PAGE_TAIL "Chọn cơ quan thực hiện" /* the portal's submit widget */

/* A result code after "Mã:": letters, digits and . _ / -, ending at its last
 * digit when letters of the next result's name are glued to it
 * ("KQ.G01.000064Thông báo"). A code without digits must be capitals
 * ("VBTT"); "Mã: Chưa xác định" has no code. */
static size_t result_code_at(const char *s, size_t n, size_t i)
{
	size_t j = i, last_digit = NPOS;
	bool lower = false;
	while (j < n && (is_digit(s[j]) || is_ascii_upper(s[j]) || (s[j] >= 'a' && s[j] <= 'z') ||
			 strchr("._/-", s[j]))) {
		if (is_digit(s[j]))
			last_digit = j;
		j++;
	}
	if (last_digit != NPOS) {
		j = last_digit + 1;
	} else {
		if (j > i && lower_at(s, n, j) && is_ascii_upper(s[j - 1]))
			j--;
		for (size_t k = i; k < j; k++)
			lower |= s[k] >= 'a' && s[k] <= 'z';
		if (lower)
			j = i;
	}
	if (j - i > 64)
		j = i + 64;
	return j - i;
}

static void add_result(struct ctx *c, struct vec *out, struct span name, struct span code)
{
	const char *nm = line_text(c->a, name);
	const char *cd = line_text(c->a, code);
	if (!*nm && !*cd)
		return;
	struct procedure_result *r = vec_push(c->a, out);
	r->name = nm;
	r->code = cd;
	check_raw(c, DVCQG_RESULTS, "result code", cd);
}

static void parse_results(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span f = field(c, rec, "ket_qua_xu_ly");
	struct vec out = {.size = sizeof(struct procedure_result)};
	size_t tail = find(f.p, f.n, 0, PAGE_TAIL);
	if (tail != NPOS)
		f.n = tail;
	size_t kw = find(f.p, f.n, 0, "Từ khóa");
	struct span list = sub(f.p, 0, kw == NPOS ? f.n : kw);
	if (kw != NPOS) {
		size_t d = find(f.p, f.n, kw, "Mô tả");
		struct span note =
			d == NPOS ? (struct span){"", 0} : sub(f.p, d + strlen("Mô tả"), f.n);
		p->result_note = is_none(note) ? "" : block_text(c->a, note);
	}
	if (is_none(list)) {
		problem(c, DVCQG_RESULTS, "none given");
		return;
	}
	size_t pos = 0, m;
	while ((m = find(list.p, list.n, pos, "Mã:")) != NPOS) {
		size_t cs = m + strlen("Mã:");
		while (cs < list.n && list.p[cs] == ' ')
			cs++;
		size_t cl = result_code_at(list.p, list.n, cs);
		if (cl == 0)
			problem(c, DVCQG_RESULTS, "no code after 'Mã:' in '%s'",
				excerpt(c->a, sub(list.p, pos, list.n)));
		add_result(c, &out, sub(list.p, pos, m), sub(list.p, cs, cs + cl));
		pos = cs + cl;
	}
	struct span rest = trim(sub(list.p, pos, list.n));
	if (rest.n) {
		problem(c, DVCQG_RESULTS, "no code for '%s'", excerpt(c->a, rest));
		add_result(c, &out, rest, (struct span){"", 0});
	}
	p->results = out.v;
	p->nresults = out.n;
}

/* ---- conditions, agencies, service level ---- */

static void parse_conditions(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	struct span f = field(c, rec, "yeu_cau_dieu_kien");
	size_t kw = find(f.p, f.n, 0, "Từ khóa");
	if (kw != NPOS && find(f.p, f.n, kw, "Mô tả") != NPOS) {
		problem(c, DVCQG_CONDITIONS,
			"the crawl appended the results' keywords and description; cut off");
		f.n = kw;
	}
	static const char *const nothing[] = {NONE_TEXT, "Không", "Không.", "Không có",
					      "Không có."};
	for (size_t i = 0; i < NELEM(nothing); i++)
		if (span_is(f, nothing[i]))
			f.n = 0;
	p->conditions = block_text(c->a, f);
}

static const char *agency(struct ctx *c, const json_t *rec, const char *key)
{
	struct span f = field(c, rec, key);
	return is_none(f) ? "" : line_text(c->a, f);
}

static void parse_agencies(struct ctx *c, const json_t *rec, struct procedure_rec *p)
{
	p->agency_implementing = agency(c, rec, "co_quan_thuc_hien");
	p->agency_competent = agency(c, rec, "co_quan_co_tham_quyen");
	p->agency_delegated = agency(c, rec, "co_quan_duoc_uy_quyen");
	p->agency_coordinating = agency(c, rec, "co_quan_phoi_hop");
	struct span addr = field(c, rec, "dia_chi_tiep_nhan");
	p->receiving_address = is_none(addr) ? "" : block_text(c->a, addr);
}

/* What a text says about the online service level: the portal writes
 * "dịch vụ công trực tuyến toàn trình" / "trực tuyến một phần" for the
 * procedure itself, and "các TTHC đã toàn trình" about procedures in
 * general, which says nothing about this one. */
static enum procedure_service_level level_said(const char *s)
{
	bool full = strstr(s, "trực tuyến toàn trình") || strstr(s, "dịch vụ công toàn trình");
	bool partial = strstr(s, "trực tuyến một phần") != NULL;
	if (full == partial)
		return PROCEDURE_SERVICE_NONE;
	return full ? PROCEDURE_SERVICE_FULL : PROCEDURE_SERVICE_PARTIAL;
}

/* Decree 42/2022 levels apply only to procedures filed online; the name
 * decides when it says, then the steps, conditions and method descriptions
 * when they agree. Without such a statement the level stays unknown: the
 * portal's own flag is not in the crawl. */
static void decide_service_level(struct procedure_rec *p)
{
	bool online = false;
	for (size_t i = 0; i < p->nmethods; i++)
		online |= p->methods[i].channel == PROCEDURE_CHANNEL_ONLINE;
	p->service_level = PROCEDURE_SERVICE_NONE;
	if (!online)
		return;
	enum procedure_service_level l = level_said(p->portal_name);
	if (l != PROCEDURE_SERVICE_NONE) {
		p->service_level = l;
		return;
	}
	bool full = false, partial = false;
	for (size_t i = 0; i < p->nsteps + p->nmethods + 1; i++) {
		const char *t = i < p->nsteps ? p->steps[i]
				: i < p->nsteps + p->nmethods
					? p->methods[i - p->nsteps].description
					: p->conditions;
		l = level_said(t);
		full |= l == PROCEDURE_SERVICE_FULL;
		partial |= l == PROCEDURE_SERVICE_PARTIAL;
	}
	if (full != partial)
		p->service_level = full ? PROCEDURE_SERVICE_FULL : PROCEDURE_SERVICE_PARTIAL;
}

/* ---- limits ---- */

/* t cut to at most max code points (NFC, trimmed again), reported: a record
 * must stay within what procedure_from_json accepts. */
static const char *fit(struct ctx *c, enum dvcqg_section s, const char *what, const char *t,
		       size_t max)
{
	size_t n = strlen(t), i = 0, cps = 0;
	while (i < n && cps < max) {
		int32_t cp;
		i += cp_at(t, n, i, &cp);
		cps++;
	}
	if (i >= n) {
		/* Every value leaves trimmed, as the record format requires. */
		if (n && (is_ws(t[0]) || is_ws(t[n - 1]))) {
			struct span tr = trim((struct span){t, n});
			return arena_strndup(c->a, tr.p, tr.n);
		}
		return t;
	}
	problem(c, s, "%s is longer than %zu characters; cut", what, max);
	const char *cut = nfc_copy(c->a, arena_strndup(c->a, t, i));
	struct span tr = trim((struct span){cut, strlen(cut)});
	return arena_strndup(c->a, tr.p, tr.n);
}

static size_t fit_count(struct ctx *c, enum dvcqg_section s, const char *what, size_t n)
{
	if (n <= PROCEDURE_MAX_ITEMS)
		return n;
	problem(c, s, "more than %d %s; the rest dropped", PROCEDURE_MAX_ITEMS, what);
	return PROCEDURE_MAX_ITEMS;
}

#define LINE(s, what, field)  (field) = fit(c, (s), (what), (field), PROCEDURE_MAX_LINE)
#define BLOCK(s, what, field) (field) = fit(c, (s), (what), (field), PROCEDURE_MAX_BLOCK)

static void fit_methods(struct ctx *c, struct procedure_rec *p)
{
	p->nmethods = fit_count(c, DVCQG_METHODS, "methods", p->nmethods);
	for (size_t i = 0; i < p->nmethods; i++) {
		struct procedure_method *m = &p->methods[i];
		LINE(DVCQG_METHODS, "a time limit", m->time_text);
		LINE(DVCQG_METHODS, "a fee", m->fee);
		BLOCK(DVCQG_METHODS, "a fee note", m->fee_note);
		BLOCK(DVCQG_METHODS, "a description", m->description);
	}
}

static void fit_documents(struct ctx *c, struct procedure_rec *p)
{
	p->ndocuments = fit_count(c, DVCQG_DOCUMENTS, "documents", p->ndocuments);
	for (size_t i = 0; i < p->ndocuments; i++) {
		struct procedure_document *d = &p->documents[i];
		BLOCK(DVCQG_DOCUMENTS, "a case", d->case_name);
		BLOCK(DVCQG_DOCUMENTS, "a document name", d->name);
		d->ntemplates = fit_count(c, DVCQG_DOCUMENTS, "form files", d->ntemplates);
		for (size_t k = 0; k < d->ntemplates; k++)
			LINE(DVCQG_DOCUMENTS, "a form file name", d->templates[k]);
	}
}

static void fit_lists(struct ctx *c, struct procedure_rec *p)
{
	p->napplicants = fit_count(c, DVCQG_OTHER, "applicants", p->napplicants);
	for (size_t i = 0; i < p->napplicants; i++)
		LINE(DVCQG_OTHER, "an applicant", p->applicants[i]);
	p->nsteps = fit_count(c, DVCQG_STEPS, "steps", p->nsteps);
	for (size_t i = 0; i < p->nsteps; i++)
		BLOCK(DVCQG_STEPS, "a step", p->steps[i]);
	p->nlegal_basis = fit_count(c, DVCQG_LEGAL, "legal bases", p->nlegal_basis);
	for (size_t i = 0; i < p->nlegal_basis; i++) {
		BLOCK(DVCQG_LEGAL, "a legal title", p->legal_basis[i].title);
		LINE(DVCQG_LEGAL, "a legal number", p->legal_basis[i].number);
	}
	p->nresults = fit_count(c, DVCQG_RESULTS, "results", p->nresults);
	for (size_t i = 0; i < p->nresults; i++)
		BLOCK(DVCQG_RESULTS, "a result", p->results[i].name);
}

/* Cuts whatever is longer than the record format allows. The name and code
 * were checked by parse_identity; a name too long is cut like the rest. */
static void fit_record(struct ctx *c, struct procedure_rec *p)
{
	LINE(DVCQG_IDENTITY, "the name", p->name);
	LINE(DVCQG_IDENTITY, "the portal name", p->portal_name);
	LINE(DVCQG_IDENTITY, "the decision", p->decision);
	LINE(DVCQG_IDENTITY, "the kind", p->kind);
	LINE(DVCQG_IDENTITY, "the field", p->field);
	LINE(DVCQG_IDENTITY, "the ministry", p->ministry);
	LINE(DVCQG_OTHER, "the address", p->source_url);
	LINE(DVCQG_OTHER, "an agency", p->agency_implementing);
	LINE(DVCQG_OTHER, "an agency", p->agency_competent);
	LINE(DVCQG_OTHER, "an agency", p->agency_delegated);
	LINE(DVCQG_OTHER, "an agency", p->agency_coordinating);
	BLOCK(DVCQG_OTHER, "the receiving address", p->receiving_address);
	BLOCK(DVCQG_CONDITIONS, "the conditions", p->conditions);
	BLOCK(DVCQG_RESULTS, "the result note", p->result_note);
	fit_methods(c, p);
	fit_documents(c, p);
	fit_lists(c, p);
}

#undef LINE
#undef BLOCK

/* ---- the record ---- */

/* raw_text as one line per page: NFC, runs of white space as one space, so
 * that extracted text can be looked up whatever line breaks the page had. */
static void load_raw(struct ctx *c, const json_t *rec)
{
	struct span raw = field(c, rec, "raw_text");
	const char *line = line_text(c->a, raw);
	c->raw = line;
	c->rawlen = strlen(line);
	if (c->rawlen == 0)
		problem(c, DVCQG_OTHER, "no raw_text to check against");
}

int dvcqg_parse(const json_t *record, arena *a, struct procedure_rec *out, struct dvcqg_report *rep)
{
	struct ctx c = {a, rep, "", 0};
	dvcqg_report_init(rep);
	procedure_init(out);
	if (!json_is_object(record)) {
		problem(&c, DVCQG_IDENTITY, "the record is not a JSON object");
		rep->rejected = true;
		return -1;
	}
	load_raw(&c, record);
	if (parse_identity(&c, record, out) || parse_levels(&c, record, out)) {
		rep->rejected = true;
		return -1;
	}
	parse_source(&c, record, out);
	parse_applicants(&c, record, out);
	parse_steps(&c, record, out);
	parse_methods(&c, record, out);
	parse_documents(&c, record, out);
	parse_legal(&c, record, out);
	parse_results(&c, record, out);
	parse_conditions(&c, record, out);
	parse_agencies(&c, record, out);
	fit_record(&c, out);
	decide_service_level(out);
	return 0;
}
