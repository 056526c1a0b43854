/* i18n.c - catalogue loading, lookup and placeholder filling. */
#include "core/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/assets.h"
#include "core/buf.h"
#include "core/log.h"

static json_t *tables[LANG_COUNT]; /* flat: "home.title" -> text */
static json_t *trees[LANG_COUNT];  /* nested, for templates: home -> title -> text */
static const char *const codes[LANG_COUNT] = {"vi", "en"};

static json_t *load(const char *name, char *err, size_t errlen)
{
	const struct asset *a = asset_find(name);
	if (!a) {
		snprintf(err, errlen, "%s is missing from the build", name);
		return NULL;
	}
	json_error_t je;
	json_t *t = json_loadb(a->data, a->len, 0, &je);
	if (!t || !json_is_object(t)) {
		snprintf(err, errlen, "%s:%d:%d: %s", name, je.line, je.column,
			 t ? "not an object" : je.text);
		json_decref(t);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(t, k, v)
	{
		if (!json_is_string(v)) {
			snprintf(err, errlen, "%s: \"%s\" is not a string", name, k);
			json_decref(t);
			return NULL;
		}
	}
	return t;
}

/* Every key of a must be in b. */
static int same_keys(json_t *a, json_t *b, const char *an, const char *bn, char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	json_object_foreach(a, k, v)
	{
		if (!json_object_get(b, k)) {
			snprintf(err, errlen, "message \"%s\" is in %s but not in %s", k, an, bn);
			return -1;
		}
	}
	return 0;
}

/* {"home.title": x} -> {"home": {"title": x}}, so templates can say
 * {{t.home.title}} with ordinary mustache dotted names. */
static json_t *nest(json_t *flat, char *err, size_t errlen)
{
	json_t *root = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(flat, k, v)
	{
		json_t *node = root;
		char part[128];
		const char *s = k;
		for (;;) {
			const char *dot = strchr(s, '.');
			size_t n = dot ? (size_t)(dot - s) : strlen(s);
			if (n == 0 || n >= sizeof(part))
				goto bad;
			memcpy(part, s, n);
			part[n] = '\0';
			if (!dot) {
				if (json_object_get(node, part))
					goto bad;
				json_object_set(node, part, v);
				break;
			}
			json_t *child = json_object_get(node, part);
			if (!child) {
				child = json_object();
				json_object_set_new(node, part, child);
			} else if (!json_is_object(child)) {
				goto bad;
			}
			node = child;
			s = dot + 1;
		}
	}
	return root;
bad:
	snprintf(err, errlen, "message key \"%s\" clashes with another key", k);
	json_decref(root);
	return NULL;
}

int i18n_init(char *err, size_t errlen)
{
	i18n_release();
	tables[LANG_VI] = load("locale/vi.json", err, errlen);
	tables[LANG_EN] = tables[LANG_VI] ? load("locale/en.json", err, errlen) : NULL;
	if (!tables[LANG_VI] || !tables[LANG_EN] ||
	    same_keys(tables[LANG_VI], tables[LANG_EN], "vi", "en", err, errlen) < 0 ||
	    same_keys(tables[LANG_EN], tables[LANG_VI], "en", "vi", err, errlen) < 0) {
		i18n_release();
		return -1;
	}
	for (int i = 0; i < LANG_COUNT; i++) {
		trees[i] = nest(tables[i], err, errlen);
		if (!trees[i]) {
			i18n_release();
			return -1;
		}
	}
	return 0;
}

void i18n_release(void)
{
	for (int i = 0; i < LANG_COUNT; i++) {
		json_decref(tables[i]);
		json_decref(trees[i]);
		tables[i] = trees[i] = NULL;
	}
}

const char *i18n_lookup(enum lang l, const char *key)
{
	json_t *v = tables[l] ? json_object_get(tables[l], key) : NULL;
	return v ? json_string_value(v) : NULL;
}

const char *i18n_get(enum lang l, const char *key)
{
	json_t *v = tables[l] ? json_object_get(tables[l], key) : NULL;
	if (!v) {
		log_warn("i18n: no message \"%s\"", key);
		return key;
	}
	return json_string_value(v);
}

const char *i18n_format(arena *a, enum lang l, const char *key, int nargs, const char *const *args)
{
	const char *s = i18n_get(l, key);
	buf b = BUF_INIT(64 * 1024);
	while (*s) {
		if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}') {
			int i = s[1] - '1';
			if (i < nargs && args[i])
				buf_puts(&b, args[i]);
			s += 3;
			continue;
		}
		buf_putc(&b, *s++);
	}
	char *out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

json_t *i18n_table(enum lang l)
{
	return trees[l];
}

const char *lang_code(enum lang l)
{
	return codes[l];
}

int lang_parse(const char *s, enum lang *out)
{
	for (int i = 0; i < LANG_COUNT; i++)
		if (s && strcasecmp(s, codes[i]) == 0) {
			*out = (enum lang)i;
			return 0;
		}
	return -1;
}

enum lang lang_from_accept(const char *h)
{
	enum lang best = LANG_VI;
	double best_q = -1;
	while (h && *h) {
		while (*h == ' ' || *h == ',')
			h++;
		const char *tag = h;
		while (*h && *h != ',' && *h != ';' && *h != ' ')
			h++;
		size_t tl = (size_t)(h - tag);
		double q = 1.0;
		while (*h && *h != ',') {
			if (strncmp(h, ";q=", 3) == 0)
				q = strtod(h + 3, NULL);
			h++;
		}
		enum lang l;
		char code[3] = {0};
		if (tl >= 2 && (tl == 2 || tag[2] == '-')) {
			code[0] = (char)tolower((unsigned char)tag[0]);
			code[1] = (char)tolower((unsigned char)tag[1]);
			/* q=0 means "not acceptable" (RFC 9110, 12.4.2). */
			if (lang_parse(code, &l) == 0 && q > 0 && q > best_q) {
				best = l;
				best_q = q;
			}
		}
	}
	return best;
}
