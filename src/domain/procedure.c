/*
 * procedure.c - the procedure record's enums, its JSON form and the strict
 * reader for it. The writer emits keys in one fixed order so that the shipped
 * catalogue is byte-for-byte reproducible; the reader refuses anything it does
 * not understand rather than guessing, because its input may come from any
 * province's export.
 */
#include "domain/procedure.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

static const char *const level_names[] = {"ministry", "province", "district", "commune", "other"};
static const char *const channel_names[] = {"direct", "online", "post"};
static const char *const unit_names[] = {"", "working_days", "days", "hours", "months", "years"};
static const char *const service_names[] = {"", "toan-trinh", "mot-phan"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *procedure_level_name(enum procedure_level l)
{
	for (size_t i = 0; i < NELEM(level_names); i++)
		if (l == (1u << i))
			return level_names[i];
	return "";
}

const char *procedure_channel_name(enum procedure_channel c)
{
	return (size_t)c < NELEM(channel_names) ? channel_names[c] : "";
}

const char *procedure_time_unit_name(enum procedure_time_unit u)
{
	return (size_t)u < NELEM(unit_names) ? unit_names[u] : "";
}

const char *procedure_service_level_name(enum procedure_service_level s)
{
	return (size_t)s < NELEM(service_names) ? service_names[s] : "";
}

int procedure_level_parse(const char *s)
{
	int i = name_index(level_names, NELEM(level_names), s);
	return i < 0 ? -1 : (int)(1u << i);
}

int procedure_channel_parse(const char *s)
{
	return name_index(channel_names, NELEM(channel_names), s);
}

int procedure_time_unit_parse(const char *s)
{
	return name_index(unit_names, NELEM(unit_names), s);
}

int procedure_service_level_parse(const char *s)
{
	return name_index(service_names, NELEM(service_names), s);
}

void procedure_init(struct procedure_rec *p)
{
	memset(p, 0, sizeof(*p));
	p->code = p->name = p->portal_name = p->decision = p->kind = p->field = "";
	p->ministry = p->conditions = p->result_note = "";
	p->agency_implementing = p->agency_competent = p->agency_delegated = "";
	p->agency_coordinating = p->receiving_address = p->source_url = "";
	p->published = true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool procedure_code_valid(const char *code)
{
	if (!code || strlen(code) != 8 || code[0] < '1' || code[0] > '9' || code[1] != '.')
		return false;
	for (int i = 2; i < 8; i++)
		if (!is_digit(code[i]))
			return false;
	return true;
}

/* ---- writing ---- */

static json_t *string_array(const char *const *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	return arr;
}

static json_t *levels_json(unsigned levels)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < NELEM(level_names); i++)
		if (levels & (1u << i))
			json_array_append_new(arr, json_string(level_names[i]));
	return arr;
}

static json_t *method_json(const struct procedure_method *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "channel", json_string(procedure_channel_name(m->channel)));
	json_object_set_new(o, "time_value", json_string(m->time_value));
	json_object_set_new(o, "time_unit", json_string(procedure_time_unit_name(m->time_unit)));
	json_object_set_new(o, "time_text", json_string(m->time_text));
	json_object_set_new(o, "fee", json_string(m->fee));
	json_object_set_new(o, "fee_note", json_string(m->fee_note));
	json_object_set_new(o, "fee_amount", json_integer(m->fee_amount));
	json_object_set_new(o, "description", json_string(m->description));
	return o;
}

static json_t *document_json(const struct procedure_document *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "case", json_string(d->case_name));
	json_object_set_new(o, "name", json_string(d->name));
	json_object_set_new(o, "originals", json_integer(d->originals));
	json_object_set_new(o, "copies", json_integer(d->copies));
	json_object_set_new(o, "templates", string_array(d->templates, d->ntemplates));
	return o;
}

static json_t *legal_json(const struct procedure_legal *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "title", json_string(l->title));
	json_object_set_new(o, "number", json_string(l->number));
	return o;
}

static json_t *result_json(const struct procedure_result *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "code", json_string(r->code));
	return o;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v ? v : ""));
}

json_t *procedure_to_json(const struct procedure_rec *p)
{
	json_t *o = json_object();
	set_str(o, "code", p->code);
	set_str(o, "name", p->name);
	set_str(o, "portal_name", p->portal_name);
	set_str(o, "decision", p->decision);
	set_str(o, "kind", p->kind);
	set_str(o, "field", p->field);
	set_str(o, "ministry", p->ministry);
	json_object_set_new(o, "levels", levels_json(p->levels));
	json_object_set_new(o, "applicants", string_array(p->applicants, p->napplicants));
	json_object_set_new(o, "steps", string_array(p->steps, p->nsteps));
	json_t *arr = json_array();
	for (size_t i = 0; i < p->nmethods; i++)
		json_array_append_new(arr, method_json(&p->methods[i]));
	json_object_set_new(o, "methods", arr);
	arr = json_array();
	for (size_t i = 0; i < p->ndocuments; i++)
		json_array_append_new(arr, document_json(&p->documents[i]));
	json_object_set_new(o, "documents", arr);
	arr = json_array();
	for (size_t i = 0; i < p->nlegal_basis; i++)
		json_array_append_new(arr, legal_json(&p->legal_basis[i]));
	json_object_set_new(o, "legal_basis", arr);
	set_str(o, "conditions", p->conditions);
	arr = json_array();
	for (size_t i = 0; i < p->nresults; i++)
		json_array_append_new(arr, result_json(&p->results[i]));
	json_object_set_new(o, "results", arr);
	set_str(o, "result_note", p->result_note);
	set_str(o, "agency_implementing", p->agency_implementing);
	set_str(o, "agency_competent", p->agency_competent);
	set_str(o, "agency_delegated", p->agency_delegated);
	set_str(o, "agency_coordinating", p->agency_coordinating);
	set_str(o, "receiving_address", p->receiving_address);
	set_str(o, "service_level", procedure_service_level_name(p->service_level));
	set_str(o, "source_url", p->source_url);
	json_object_set_new(o, "published", json_boolean(p->published));
	json_object_set_new(o, "generated", json_boolean(p->generated));
	return o;
}

/* ---- reading ---- */

/* Where the reader is, for error messages: the path of the object being read
 * ("methods[2]."), the arena, and the caller's error buffer. */
struct reader {
	arena *a;
	char *err;
	size_t errlen;
	const char *path;
};

/* Up to 40 bytes of s for a message, never half a UTF-8 sequence, with
 * control characters shown as '?': keys and values come from outside, and
 * the message must stay one line of valid text. Returns out (64 bytes). */
static const char *quote(char out[64], const char *s)
{
	size_t n = 0;
	while (s[n] && n < 40)
		n++;
	while (n > 0 && s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0) {
			out[k++] = '?'; /* a C1 control, two bytes */
			i++;
		} else {
			out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		}
	}
	out[k] = '\0';
	return out;
}

__attribute__((format(printf, 3, 4))) static int fail(struct reader *r, const char *key,
						      const char *fmt, ...)
{
	if (!r->errlen)
		return -1;
	/* An element's own problem ("methods[2]") drops the path's last dot. */
	size_t plen = strlen(r->path);
	if (!*key && plen && r->path[plen - 1] == '.')
		plen--;
	/* A key from outside may be long; its first 40 bytes name it well enough. */
	char q[64];
	int n = snprintf(r->err, r->errlen, "%.*s%s: ", (int)plen, r->path, quote(q, key));
	if (n >= 0 && (size_t)n < r->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

enum text_kind { TEXT_LINE, TEXT_BLOCK };

/* Copies one JSON string value in: valid UTF-8, no NUL, no control
 * characters (and no line breaks or tabs in a one-line field), NFC, trimmed,
 * at most the kind's length. */
static int read_text(struct reader *r, const char *key, const json_t *v, enum text_kind kind,
		     const char **out)
{
	if (!json_is_string(v))
		return fail(r, key, "must be a string");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (strlen(s) != len)
		return fail(r, key, "contains a NUL character");
	if (kind == TEXT_LINE && strpbrk(s, "\t\r\n"))
		return fail(r, key, "must be one line");
	size_t max = kind == TEXT_LINE ? PROCEDURE_MAX_LINE : PROCEDURE_MAX_BLOCK;
	switch (text_clean(r->a, s, len, 0, max, out)) {
	case TEXT_OK: return 0;
	case TEXT_BAD_UTF8: return fail(r, key, "is not UTF-8 text (or holds control characters)");
	case TEXT_TOO_LONG: return fail(r, key, "is longer than %zu characters", max);
	case TEXT_TOO_SHORT: break;
	}
	return fail(r, key, "is too short");
}

/* A key of obj that may be absent; absent leaves *out as it was. */
static int opt_text(struct reader *r, const json_t *obj, const char *key, enum text_kind kind,
		    const char **out)
{
	const json_t *v = json_object_get(obj, key);
	return v ? read_text(r, key, v, kind, out) : 0;
}

static int req_text(struct reader *r, const json_t *obj, const char *key, enum text_kind kind,
		    const char **out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return fail(r, key, "is required");
	if (read_text(r, key, v, kind, out))
		return -1;
	if (!**out)
		return fail(r, key, "must not be empty");
	return 0;
}

static int opt_bool(struct reader *r, const json_t *obj, const char *key, bool *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fail(r, key, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

static int opt_int(struct reader *r, const json_t *obj, const char *key, int64_t min, int64_t max,
		   int64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return fail(r, key, "must be an integer");
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return fail(r, key, "must be between %lld and %lld", (long long)min,
			    (long long)max);
	*out = n;
	return 0;
}

/* Refuses keys that are not in allowed (NULL-terminated): a misspelt key in
 * an import must not silently drop a value. */
static int only_keys(struct reader *r, const json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v)
	{
		bool known = false;
		for (size_t i = 0; allowed[i] && !known; i++)
			known = strcmp(allowed[i], key) == 0;
		if (!known)
			return fail(r, key, "is not a known field");
	}
	return 0;
}

/* An optional array key: sets *arr (NULL when absent) and *n. */
static int opt_array(struct reader *r, const json_t *obj, const char *key, const json_t **arr,
		     size_t *n)
{
	*arr = json_object_get(obj, key);
	*n = 0;
	if (!*arr)
		return 0;
	if (!json_is_array(*arr))
		return fail(r, key, "must be an array");
	*n = json_array_size(*arr);
	if (*n > PROCEDURE_MAX_ITEMS)
		return fail(r, key, "has more than %d elements", PROCEDURE_MAX_ITEMS);
	return 0;
}

static int read_string_array(struct reader *r, const json_t *obj, const char *key,
			     enum text_kind kind, const char ***out, size_t *nout)
{
	const json_t *arr;
	size_t n;
	if (opt_array(r, obj, key, &arr, &n))
		return -1;
	const char **v = arena_calloc(r->a, n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s[%zu]", key, i);
		if (read_text(r, name, json_array_get(arr, i), kind, &v[i]))
			return -1;
		if (!*v[i])
			return fail(r, name, "must not be empty");
	}
	*out = v;
	*nout = n;
	return 0;
}

static int read_levels(struct reader *r, const json_t *obj, unsigned *out)
{
	char q[64];
	const json_t *arr = json_object_get(obj, "levels");
	if (!arr)
		return fail(r, "levels", "is required");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(r, "levels", "must be a non-empty array");
	unsigned levels = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		char name[32];
		snprintf(name, sizeof(name), "levels[%zu]", i);
		if (!json_is_string(v))
			return fail(r, name, "must be a string");
		int l = procedure_level_parse(json_string_value(v));
		if (l < 0)
			return fail(r, name, "unknown level '%s'", quote(q, json_string_value(v)));
		if (levels & (unsigned)l)
			return fail(r, name, "repeats '%s'", json_string_value(v));
		levels |= (unsigned)l;
	}
	*out = levels;
	return 0;
}

static int read_enum(struct reader *r, const json_t *obj, const char *key,
		     int (*parse)(const char *), int *out)
{
	char q[64];
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail(r, key, "must be a string");
	int e = parse(json_string_value(v));
	if (e < 0)
		return fail(r, key, "unknown value '%s'", quote(q, json_string_value(v)));
	*out = e;
	return 0;
}

/* "3", "0.5", "120": a plain decimal, as dvcqg writes it. */
static bool time_value_valid(const char *s)
{
	size_t i = 0, int_digits = 0, frac_digits = 0;
	while (is_digit(s[i])) {
		i++;
		int_digits++;
	}
	if (int_digits == 0 || int_digits > 6 || (int_digits > 1 && s[0] == '0'))
		return false;
	if (s[i] == '.') {
		for (i++; is_digit(s[i]); i++)
			frac_digits++;
		if (frac_digits == 0 || frac_digits > 3)
			return false;
	}
	return s[i] == '\0';
}

static int read_method(struct reader *r, const json_t *o, struct procedure_method *m)
{
	char q[64];
	static const char *const keys[] = {"channel",	 "time_value",	"time_unit",
					   "time_text",	 "fee",		"fee_note",
					   "fee_amount", "description", NULL};
	if (!json_is_object(o))
		return fail(r, "", "must be an object");
	if (only_keys(r, o, keys))
		return -1;
	m->time_value = m->time_text = m->fee = m->fee_note = m->description = "";
	m->fee_amount = -1;
	int channel = -1, unit = PROCEDURE_TIME_UNKNOWN;
	if (!json_object_get(o, "channel"))
		return fail(r, "channel", "is required");
	if (read_enum(r, o, "channel", procedure_channel_parse, &channel) ||
	    read_enum(r, o, "time_unit", procedure_time_unit_parse, &unit) ||
	    opt_text(r, o, "time_value", TEXT_LINE, &m->time_value) ||
	    opt_text(r, o, "time_text", TEXT_LINE, &m->time_text) ||
	    opt_text(r, o, "fee", TEXT_LINE, &m->fee) ||
	    opt_text(r, o, "fee_note", TEXT_BLOCK, &m->fee_note) ||
	    opt_int(r, o, "fee_amount", -1, PROCEDURE_MAX_FEE, &m->fee_amount) ||
	    opt_text(r, o, "description", TEXT_BLOCK, &m->description))
		return -1;
	m->channel = (enum procedure_channel)channel;
	m->time_unit = (enum procedure_time_unit)unit;
	if (*m->time_value && !time_value_valid(m->time_value))
		return fail(r, "time_value", "must be a number like 3 or 0.5, not '%s'",
			    quote(q, m->time_value));
	if (unit != PROCEDURE_TIME_UNKNOWN && !*m->time_value)
		return fail(r, "time_unit", "needs a time_value");
	return 0;
}

static int read_document(struct reader *r, const json_t *o, struct procedure_document *d)
{
	static const char *const keys[] = {"case",   "name",	  "originals",
					   "copies", "templates", NULL};
	if (!json_is_object(o))
		return fail(r, "", "must be an object");
	if (only_keys(r, o, keys))
		return -1;
	d->case_name = "";
	int64_t originals = 0, copies = 0;
	if (opt_text(r, o, "case", TEXT_BLOCK, &d->case_name) ||
	    req_text(r, o, "name", TEXT_BLOCK, &d->name) ||
	    opt_int(r, o, "originals", 0, PROCEDURE_MAX_COUNT, &originals) ||
	    opt_int(r, o, "copies", 0, PROCEDURE_MAX_COUNT, &copies) ||
	    read_string_array(r, o, "templates", TEXT_LINE, &d->templates, &d->ntemplates))
		return -1;
	d->originals = (int)originals;
	d->copies = (int)copies;
	return 0;
}

static int read_legal(struct reader *r, const json_t *o, struct procedure_legal *l)
{
	static const char *const keys[] = {"title", "number", NULL};
	if (!json_is_object(o))
		return fail(r, "", "must be an object");
	l->title = l->number = "";
	if (only_keys(r, o, keys) || opt_text(r, o, "title", TEXT_BLOCK, &l->title) ||
	    opt_text(r, o, "number", TEXT_LINE, &l->number))
		return -1;
	if (!*l->title && !*l->number)
		return fail(r, "title", "and number must not both be empty");
	return 0;
}

static bool result_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      strchr("._/-", c)))
			return false;
	}
	return true;
}

static int read_result(struct reader *r, const json_t *o, struct procedure_result *res)
{
	char q[64];
	static const char *const keys[] = {"name", "code", NULL};
	if (!json_is_object(o))
		return fail(r, "", "must be an object");
	res->name = res->code = "";
	if (only_keys(r, o, keys) || opt_text(r, o, "name", TEXT_BLOCK, &res->name) ||
	    opt_text(r, o, "code", TEXT_LINE, &res->code))
		return -1;
	if (!*res->name && !*res->code)
		return fail(r, "name", "and code must not both be empty");
	if (!result_code_valid(res->code))
		return fail(r, "code", "must be letters, digits and . _ / - (at most 64), not '%s'",
			    quote(q, res->code));
	return 0;
}

/* Reads the array under key with one element reader, setting r->path to
 * "key[i]." while each element is read. */
static int read_objects(struct reader *r, const json_t *obj, const char *key, size_t size,
			int (*one)(struct reader *, const json_t *, void *), void **out,
			size_t *nout)
{
	const json_t *arr;
	size_t n;
	if (opt_array(r, obj, key, &arr, &n))
		return -1;
	char *v = arena_calloc(r->a, n + 1, size);
	const char *outer = r->path;
	char path[64];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s[%zu].", key, i);
		r->path = path;
		if (one(r, json_array_get(arr, i), v + i * size)) {
			r->path = outer;
			return -1;
		}
	}
	r->path = outer;
	*out = v;
	*nout = n;
	return 0;
}

static int one_method(struct reader *r, const json_t *o, void *m)
{
	return read_method(r, o, m);
}

static int one_document(struct reader *r, const json_t *o, void *d)
{
	return read_document(r, o, d);
}

static int one_legal(struct reader *r, const json_t *o, void *l)
{
	return read_legal(r, o, l);
}

static int one_result(struct reader *r, const json_t *o, void *res)
{
	return read_result(r, o, res);
}

static int read_identity(struct reader *r, const json_t *j, struct procedure_rec *p)
{
	char q[64];
	if (req_text(r, j, "code", TEXT_LINE, &p->code))
		return -1;
	if (!procedure_code_valid(p->code))
		return fail(r, "code", "must look like 1.001193, not '%s'", quote(q, p->code));
	if (req_text(r, j, "name", TEXT_LINE, &p->name) ||
	    opt_text(r, j, "portal_name", TEXT_LINE, &p->portal_name) ||
	    opt_text(r, j, "decision", TEXT_LINE, &p->decision) ||
	    opt_text(r, j, "kind", TEXT_LINE, &p->kind) ||
	    req_text(r, j, "field", TEXT_LINE, &p->field) ||
	    opt_text(r, j, "ministry", TEXT_LINE, &p->ministry) || read_levels(r, j, &p->levels))
		return -1;
	if (!*p->portal_name)
		p->portal_name = p->name;
	return 0;
}

static int read_agencies(struct reader *r, const json_t *j, struct procedure_rec *p)
{
	if (opt_text(r, j, "agency_implementing", TEXT_LINE, &p->agency_implementing) ||
	    opt_text(r, j, "agency_competent", TEXT_LINE, &p->agency_competent) ||
	    opt_text(r, j, "agency_delegated", TEXT_LINE, &p->agency_delegated) ||
	    opt_text(r, j, "agency_coordinating", TEXT_LINE, &p->agency_coordinating) ||
	    opt_text(r, j, "receiving_address", TEXT_BLOCK, &p->receiving_address))
		return -1;
	return 0;
}

static int read_source(struct reader *r, const json_t *j, struct procedure_rec *p)
{
	int level = PROCEDURE_SERVICE_NONE;
	if (read_enum(r, j, "service_level", procedure_service_level_parse, &level) ||
	    opt_text(r, j, "source_url", TEXT_LINE, &p->source_url) ||
	    opt_bool(r, j, "published", &p->published) ||
	    opt_bool(r, j, "generated", &p->generated))
		return -1;
	p->service_level = (enum procedure_service_level)level;
	if (*p->source_url && strncmp(p->source_url, "https://", 8) != 0 &&
	    strncmp(p->source_url, "http://", 7) != 0)
		return fail(r, "source_url", "must be an http(s) address");
	return 0;
}

static const char *const record_keys[] = {"code",
					  "name",
					  "portal_name",
					  "decision",
					  "kind",
					  "field",
					  "ministry",
					  "levels",
					  "applicants",
					  "steps",
					  "methods",
					  "documents",
					  "legal_basis",
					  "conditions",
					  "results",
					  "result_note",
					  "agency_implementing",
					  "agency_competent",
					  "agency_delegated",
					  "agency_coordinating",
					  "receiving_address",
					  "service_level",
					  "source_url",
					  "published",
					  "generated",
					  NULL};

int procedure_from_json(const json_t *j, arena *a, struct procedure_rec *out, char *err,
			size_t errlen)
{
	struct reader r = {a, err, errlen, ""};
	if (errlen)
		err[0] = '\0';
	procedure_init(out);
	if (!json_is_object(j))
		return fail(&r, "record", "must be a JSON object");
	void *methods = NULL, *documents = NULL, *legal = NULL, *results = NULL;
	if (only_keys(&r, j, record_keys) || read_identity(&r, j, out) ||
	    read_string_array(&r, j, "applicants", TEXT_LINE, &out->applicants,
			      &out->napplicants) ||
	    read_string_array(&r, j, "steps", TEXT_BLOCK, &out->steps, &out->nsteps) ||
	    read_objects(&r, j, "methods", sizeof(struct procedure_method), one_method, &methods,
			 &out->nmethods) ||
	    read_objects(&r, j, "documents", sizeof(struct procedure_document), one_document,
			 &documents, &out->ndocuments) ||
	    read_objects(&r, j, "legal_basis", sizeof(struct procedure_legal), one_legal, &legal,
			 &out->nlegal_basis) ||
	    opt_text(&r, j, "conditions", TEXT_BLOCK, &out->conditions) ||
	    read_objects(&r, j, "results", sizeof(struct procedure_result), one_result, &results,
			 &out->nresults) ||
	    opt_text(&r, j, "result_note", TEXT_BLOCK, &out->result_note) ||
	    read_agencies(&r, j, out) || read_source(&r, j, out))
		return -1;
	out->methods = methods;
	out->documents = documents;
	out->legal_basis = legal;
	out->results = results;
	return 0;
}

/* ---- comparing ---- */

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool strings_eq(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

static bool method_eq(const struct procedure_method *a, const struct procedure_method *b)
{
	return a->channel == b->channel && str_eq(a->time_value, b->time_value) &&
	       a->time_unit == b->time_unit && str_eq(a->time_text, b->time_text) &&
	       str_eq(a->fee, b->fee) && str_eq(a->fee_note, b->fee_note) &&
	       a->fee_amount == b->fee_amount && str_eq(a->description, b->description);
}

static bool document_eq(const struct procedure_document *a, const struct procedure_document *b)
{
	return str_eq(a->case_name, b->case_name) && str_eq(a->name, b->name) &&
	       a->originals == b->originals && a->copies == b->copies &&
	       strings_eq(a->templates, a->ntemplates, b->templates, b->ntemplates);
}

static bool parts_eq(const struct procedure_rec *a, const struct procedure_rec *b)
{
	if (a->nmethods != b->nmethods || a->ndocuments != b->ndocuments ||
	    a->nlegal_basis != b->nlegal_basis || a->nresults != b->nresults)
		return false;
	for (size_t i = 0; i < a->nmethods; i++)
		if (!method_eq(&a->methods[i], &b->methods[i]))
			return false;
	for (size_t i = 0; i < a->ndocuments; i++)
		if (!document_eq(&a->documents[i], &b->documents[i]))
			return false;
	for (size_t i = 0; i < a->nlegal_basis; i++)
		if (!str_eq(a->legal_basis[i].title, b->legal_basis[i].title) ||
		    !str_eq(a->legal_basis[i].number, b->legal_basis[i].number))
			return false;
	for (size_t i = 0; i < a->nresults; i++)
		if (!str_eq(a->results[i].name, b->results[i].name) ||
		    !str_eq(a->results[i].code, b->results[i].code))
			return false;
	return true;
}

bool procedure_equal(const struct procedure_rec *a, const struct procedure_rec *b)
{
	return str_eq(a->code, b->code) && str_eq(a->name, b->name) &&
	       str_eq(a->portal_name, b->portal_name) && str_eq(a->decision, b->decision) &&
	       str_eq(a->kind, b->kind) && str_eq(a->field, b->field) &&
	       str_eq(a->ministry, b->ministry) && a->levels == b->levels &&
	       strings_eq(a->applicants, a->napplicants, b->applicants, b->napplicants) &&
	       strings_eq(a->steps, a->nsteps, b->steps, b->nsteps) && parts_eq(a, b) &&
	       str_eq(a->conditions, b->conditions) && str_eq(a->result_note, b->result_note) &&
	       str_eq(a->agency_implementing, b->agency_implementing) &&
	       str_eq(a->agency_competent, b->agency_competent) &&
	       str_eq(a->agency_delegated, b->agency_delegated) &&
	       str_eq(a->agency_coordinating, b->agency_coordinating) &&
	       str_eq(a->receiving_address, b->receiving_address) &&
	       a->service_level == b->service_level && str_eq(a->source_url, b->source_url) &&
	       a->published == b->published && a->generated == b->generated;
}
