/*
 * mustache.c - compiler and renderer for mustache templates with
 * inheritance (contract in mustache.h).
 *
 * Compiling turns the source into a tree of nodes whose strings are slices of
 * one private copy of the source. Every whitespace rule of the spec is
 * settled there: standalone lines are dropped, the blanks before a standalone
 * partial or parent become its indentation, and a block's intrinsic
 * indentation is cut from the start of each of its lines. Rendering only
 * walks the tree, adding indentation in front of nodes that begin a source
 * line, so a compiled template is never modified and may be shared by
 * threads.
 *
 * It must never trust the template: every index is checked against the
 * source length, nesting is bounded while compiling, and expansion depth,
 * stack depth and work are bounded while rendering.
 */
#include "core/mustache.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"

enum kind {
	K_TEXT,
	K_VAR,	    /* {{name}}: escaped */
	K_RAW,	    /* {{{name}}} or {{&name}} */
	K_SECTION,  /* {{#name}} */
	K_INVERTED, /* {{^name}} */
	K_PARTIAL,  /* {{>name}} */
	K_PARENT,   /* {{<name}}: kids of kind K_BLOCK are its arguments */
	K_BLOCK,    /* {{$name}} */
};

struct node;

struct list {
	struct node *v;
	size_t n, cap;
};

struct node {
	struct list kids;
	const char *s;	 /* text, or the tag's name */
	const char *ind; /* partial, parent: indentation when standalone;
			  * block: indentation added to an argument replacing it */
	size_t n, nind;
	unsigned char kind;
	bool line_start; /* first output of its source line: takes indentation */
	bool alone;	 /* standalone: prints no line of its own. A block's
			  * default content also lost its intrinsic
			  * indentation and takes ind back */
};

struct tpl {
	char *name;
	size_t nlen;
	char *src; /* the nodes point into this copy */
	struct list root;
};

struct mu_set {
	struct tpl **v; /* sorted by name */
	size_t n, cap;
};

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("motcua: out of memory\n", stderr);
		abort();
	}
	return q;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return is_blank(c) || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Names longer than this are cut in messages. */
static int shown(size_t n)
{
	return n > 40 ? 40 : (int)n;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		list_free(&l->v[i].kids);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void tpl_free(struct tpl *t)
{
	if (!t)
		return;
	list_free(&t->root);
	free(t->name);
	free(t->src);
	free(t);
}

/* ---- compiling ---------------------------------------------------------- */

struct frame {
	struct list *list;  /* where nodes go */
	struct node *owner; /* the section, parent or block; NULL at top level */
	size_t open_at;	    /* offset of the opening tag, for messages */
	const char *ded;    /* intrinsic indentation cut from each line */
	size_t nded;
	size_t ws_node;	 /* parent: 1 + index of its leading blanks' text node */
	bool lead;	 /* opening tag had only blanks before it on its line */
	bool open_alone; /* ... and only blanks after it */
};

struct parser {
	const char *src;
	size_t len, pos;
	const char *otag, *ctag; /* current delimiters */
	size_t olen, clen;
	size_t pend;  /* first byte of text not yet made into a node */
	bool dirty;   /* the current line has had a tag or a non-blank byte */
	bool emitted; /* a node was made for the current line */
	int top;
	struct frame fr[MU_MAX_NEST + 1];
	char *err;
	size_t errlen;
};

struct tag {
	size_t at;  /* offset of the opening delimiter */
	size_t end; /* offset just past the closing delimiter */
	size_t eol; /* when right is set: offset past the line end */
	const char *name;
	size_t n;
	char sigil; /* 0 for a plain variable */
	bool left;  /* only blanks before it on its line */
	bool right; /* only blanks after it on its line */
};

static size_t line_of(const struct parser *p, size_t at)
{
	size_t line = 1;
	for (size_t i = 0; i < at && i < p->len; i++)
		line += p->src[i] == '\n';
	return line;
}

static int perr(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say(p->err, p->errlen, "line %zu: %s", line_of(p, at), msg);
	return -1;
}

/* Offset of the first needle at or after from, or SIZE_MAX. */
static size_t find(const struct parser *p, size_t from, const char *needle, size_t n)
{
	while (from < p->len && p->len - from >= n) {
		const char *hit = memchr(p->src + from, needle[0], p->len - from - n + 1);
		if (!hit)
			break;
		size_t at = (size_t)(hit - p->src);
		if (memcmp(hit, needle, n) == 0)
			return at;
		from = at + 1;
	}
	return SIZE_MAX;
}

/* End of a triple mustache: a '}' right before the closing delimiter. */
static size_t find_triple(const struct parser *p, size_t content)
{
	for (size_t from = content;;) {
		size_t at = find(p, from, p->ctag, p->clen);
		if (at == SIZE_MAX || (at > content && p->src[at - 1] == '}'))
			return at == SIZE_MAX ? at : at - 1;
		from = at + 1;
	}
}

static struct node *add(struct parser *p, enum kind kind, const char *s, size_t n, bool alone)
{
	struct list *l = p->fr[p->top].list;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct node *nd = &l->v[l->n++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = (unsigned char)kind;
	nd->s = s;
	nd->n = n;
	if (!alone) {
		nd->line_start = !p->emitted;
		p->emitted = true;
	}
	return nd;
}

static bool in_parent(const struct parser *p)
{
	const struct node *o = p->fr[p->top].owner;
	return o && o->kind == K_PARENT;
}

/* Makes the pending text up to upto a node; text inside a parent tag only
 * separates its blocks, so it is dropped there. */
static void flush(struct parser *p, size_t upto)
{
	if (upto <= p->pend)
		return;
	if (!in_parent(p))
		add(p, K_TEXT, p->src + p->pend, upto - p->pend, false);
	p->pend = upto;
}

/* A source line starts at at: cut the intrinsic indentation of the
 * innermost block whose indentation the line carries. */
static void start_line(struct parser *p, size_t at)
{
	for (int i = p->top; i >= 0; i--) {
		const struct frame *f = &p->fr[i];
		if (f->nded && f->nded <= p->len - at &&
		    memcmp(p->src + at, f->ded, f->nded) == 0) {
			at += f->nded;
			break;
		}
	}
	p->pos = p->pend = at;
	p->dirty = p->emitted = false;
}

/* Moves pos to end, making a text node of each line finished on the way. */
static void scan_text(struct parser *p, size_t end)
{
	size_t i = p->pos;
	while (i < end) {
		char c = p->src[i++];
		if (c == '\n') {
			flush(p, i);
			start_line(p, i);
			i = p->pos;
			assert(i <= end); /* only blanks are cut, and a tag starts with none */
		} else if (!is_blank(c)) {
			p->dirty = true;
		}
	}
	p->pos = end;
}

static void right_clear(const struct parser *p, struct tag *t)
{
	size_t i = t->end;
	while (i < p->len && is_blank(p->src[i]))
		i++;
	if (i < p->len && p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n')
		i++;
	t->right = i == p->len || p->src[i] == '\n';
	t->eol = i < p->len ? i + 1 : i;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Context names are "." or dot-separated non-empty keys; partial, parent
 * and block names are any run of non-blank bytes. */
static int check_name(struct parser *p, const struct tag *t)
{
	if (t->n == 0)
		return perr(p, t->at, "empty tag name");
	for (size_t i = 0; i < t->n; i++)
		if (is_space(t->name[i]))
			return perr(p, t->at, "blank inside tag name '%.*s'", shown(t->n), t->name);
	bool dotted = t->sigil != '>' && t->sigil != '<' && t->sigil != '$' && t->sigil != '/';
	if (!dotted || (t->n == 1 && t->name[0] == '.'))
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->name[i] == '.' && (i == 0 || i + 1 == t->n || t->name[i + 1] == '.'))
			return perr(p, t->at, "bad dotted name '%.*s'", shown(t->n), t->name);
	return 0;
}

static int read_tag(struct parser *p, size_t at, struct tag *t)
{
	memset(t, 0, sizeof(*t));
	t->at = at;
	size_t c = at + p->olen;
	if (c < p->len && strchr("{&#^/!><$=", p->src[c]) && p->src[c] != '\0')
		t->sigil = p->src[c++];
	size_t e = t->sigil == '{' ? find_triple(p, c) : find(p, c, p->ctag, p->clen);
	if (e == SIZE_MAX)
		return perr(p, at, "unclosed tag");
	t->end = e + (t->sigil == '{') + p->clen;
	t->name = p->src + c;
	t->n = e - c;
	if (t->sigil != '=')
		trim(&t->name, &t->n);
	t->left = !p->dirty;
	right_clear(p, t);
	if (t->sigil == '!' || t->sigil == '=')
		return 0;
	return check_name(p, t);
}

/* {{=<% %>=}}: two runs of non-blank bytes without '='. */
static int set_delims(struct parser *p, const struct tag *t)
{
	const char *s = t->name;
	size_t n = t->n;
	if (n == 0 || s[n - 1] != '=')
		return perr(p, t->at, "set-delimiter tag must end with '='");
	n--;
	trim(&s, &n);
	size_t a = 0;
	while (a < n && !is_space(s[a]))
		a++;
	const char *o = s, *c = s + a;
	size_t on = a, cn = n - a;
	trim(&c, &cn);
	bool ok = on && cn && !memchr(o, '=', on) && !memchr(c, '=', cn);
	for (size_t i = 0; ok && i < cn; i++)
		ok = !is_space(c[i]);
	if (!ok)
		return perr(p, t->at,
			    "set-delimiter tag needs two delimiters without blanks or '='");
	p->otag = o;
	p->olen = on;
	p->ctag = c;
	p->clen = cn;
	return 0;
}

/* The tag was inline: the text after it continues the line. */
static void inline_after(struct parser *p, const struct tag *t)
{
	p->pos = p->pend = t->end;
	p->dirty = true;
}

/* The tag was standalone: its blanks and line end are dropped. */
static void alone_after(struct parser *p, const struct tag *t)
{
	if (t->eol > t->at && p->src[t->eol - 1] == '\n') {
		start_line(p, t->eol);
	} else {
		p->pos = p->pend = t->eol;
		p->dirty = true;
	}
}

static int push(struct parser *p, struct node *owner, const struct tag *t)
{
	if (p->top >= MU_MAX_NEST)
		return perr(p, t->at, "sections nested deeper than %d", MU_MAX_NEST);
	struct frame *up = &p->fr[p->top];
	struct frame *f = &p->fr[++p->top];
	memset(f, 0, sizeof(*f));
	f->list = &owner->kids;
	f->owner = owner;
	f->open_at = t->at;
	f->ded = up->ded;
	f->nded = up->nded;
	return 0;
}

static int tag_var(struct parser *p, const struct tag *t, enum kind kind)
{
	flush(p, t->at);
	add(p, kind, t->name, t->n, false);
	inline_after(p, t);
	return 0;
}

/* Comments and set-delimiter tags print nothing. */
static int tag_quiet(struct parser *p, const struct tag *t)
{
	if (t->left && t->right) {
		alone_after(p, t);
	} else {
		flush(p, t->at);
		inline_after(p, t);
	}
	return 0;
}

static int tag_section(struct parser *p, const struct tag *t, enum kind kind)
{
	bool alone = t->left && t->right;
	if (!alone)
		flush(p, t->at);
	struct node *n = add(p, kind, t->name, t->n, alone);
	n->alone = alone;
	if (push(p, n, t) < 0)
		return -1;
	if (alone)
		alone_after(p, t);
	else
		inline_after(p, t);
	return 0;
}

static int tag_partial(struct parser *p, const struct tag *t)
{
	if (t->left && t->right) {
		/* Nothing but blanks since pend: they are the indentation. */
		struct node *n = add(p, K_PARTIAL, t->name, t->n, true);
		n->alone = true;
		n->ind = p->src + p->pend;
		n->nind = t->at - p->pend;
		alone_after(p, t);
	} else {
		flush(p, t->at);
		add(p, K_PARTIAL, t->name, t->n, false);
		inline_after(p, t);
	}
	return 0;
}

/*
 * Whether a parent is standalone is known only at its closing tag, so its
 * leading blanks are kept as a text node that the closing tag may blank.
 */
static int tag_parent(struct parser *p, const struct tag *t)
{
	struct list *l = p->fr[p->top].list;
	const char *ws = p->src + p->pend;
	size_t nws = t->at - p->pend, before = l->n;
	flush(p, t->at);
	size_t ws_node = t->left && l->n > before ? l->n : 0;
	struct node *n = add(p, K_PARENT, t->name, t->n, false);
	if (t->left) {
		n->ind = ws;
		n->nind = nws;
	}
	if (push(p, n, t) < 0)
		return -1;
	struct frame *f = &p->fr[p->top];
	f->lead = t->left;
	f->open_alone = t->left && t->right;
	f->ws_node = ws_node;
	inline_after(p, t);
	return 0;
}

/* Leading blanks of the line starting at at (none at the end of input). */
static size_t blank_run(const struct parser *p, size_t at)
{
	size_t i = at;
	while (i < p->len && is_blank(p->src[i]))
		i++;
	return i - at;
}

/* An argument block ({{$x}} right inside a parent): when its tag ends the
 * line, the next line's blanks are its intrinsic indentation. */
static int tag_argument(struct parser *p, const struct tag *t)
{
	flush(p, t->at);
	struct node *n = add(p, K_BLOCK, t->name, t->n, true);
	if (push(p, n, t) < 0)
		return -1;
	if (!t->right) {
		inline_after(p, t);
		return 0;
	}
	struct frame *f = &p->fr[p->top];
	bool more = t->eol > t->at && p->src[t->eol - 1] == '\n';
	f->ded = p->src + t->eol;
	f->nded = more ? blank_run(p, t->eol) : 0;
	alone_after(p, t);
	return 0;
}

/*
 * A parameter block ({{$x}} anywhere else). Standalone, its content loses
 * the intrinsic indentation, which an argument replacing it gets instead.
 * With only blanks before it, those blanks indent an argument's later lines
 * if the closing tag ends its line too (checked at the closing tag).
 */
static int tag_block(struct parser *p, const struct tag *t)
{
	if (in_parent(p))
		return tag_argument(p, t);
	bool alone = t->left && t->right;
	const char *ws = p->src + p->pend;
	size_t nws = t->at - p->pend;
	if (!alone)
		flush(p, t->at);
	struct node *n = add(p, K_BLOCK, t->name, t->n, alone);
	if (push(p, n, t) < 0)
		return -1;
	struct frame *f = &p->fr[p->top];
	f->lead = t->left;
	if (!alone) {
		if (t->left) {
			n->ind = ws;
			n->nind = nws;
		}
		inline_after(p, t);
		return 0;
	}
	const char *d = p->src + t->eol;
	size_t nd = t->eol > t->at && p->src[t->eol - 1] == '\n' ? blank_run(p, t->eol) : 0;
	n->alone = true;
	n->ind = d;
	n->nind = nd;
	/* Relative to the enclosing block's indentation, already cut. */
	if (f->nded && nd >= f->nded && memcmp(d, f->ded, f->nded) == 0) {
		n->ind += f->nded;
		n->nind -= f->nded;
	}
	f->open_alone = true;
	f->ded = d;
	f->nded = nd;
	alone_after(p, t);
	return 0;
}

static void close_parent(struct parser *p, const struct tag *t, struct frame *f)
{
	struct node *o = f->owner;
	bool alone = f->lead && (t->right || f->open_alone);
	flush(p, t->at);
	p->top--;
	if (!alone) {
		o->nind = 0;
		inline_after(p, t);
		return;
	}
	o->alone = true;
	o->line_start = false;
	if (f->ws_node) {
		struct node *ws = &p->fr[p->top].list->v[f->ws_node - 1];
		ws->n = 0;
		ws->line_start = false;
		ws->alone = true;
	}
	if (t->right) {
		alone_after(p, t);
	} else {
		inline_after(p, t);
		p->emitted = true;
	}
}

/* Closing an argument block: blanks before it are not content, and what
 * follows is parent text, so the line end stays. */
static void close_argument(struct parser *p, const struct tag *t)
{
	if (t->left)
		p->pend = t->at;
	else
		flush(p, t->at);
	p->top--;
	inline_after(p, t);
}

static void close_section(struct parser *p, const struct tag *t, struct frame *f)
{
	struct node *o = f->owner;
	if (o->kind == K_BLOCK && !o->alone && f->lead && !t->right)
		o->nind = 0;
	bool alone = t->left && t->right;
	if (!alone)
		flush(p, t->at);
	p->top--;
	if (alone)
		alone_after(p, t);
	else
		inline_after(p, t);
}

static int tag_close(struct parser *p, const struct tag *t)
{
	if (p->top == 0)
		return perr(p, t->at, "closing tag '%.*s' without an opening tag", shown(t->n),
			    t->name);
	struct frame *f = &p->fr[p->top];
	struct node *o = f->owner;
	if (o->n != t->n || memcmp(o->s, t->name, t->n) != 0)
		return perr(p, t->at, "closing tag '%.*s' does not match '%.*s' opened on line %zu",
			    shown(t->n), t->name, shown(o->n), o->s, line_of(p, f->open_at));
	if (o->kind == K_PARENT)
		close_parent(p, t, f);
	else if (o->kind == K_BLOCK && p->fr[p->top - 1].owner &&
		 p->fr[p->top - 1].owner->kind == K_PARENT)
		close_argument(p, t);
	else
		close_section(p, t, f);
	return 0;
}

static int parse_tag(struct parser *p, size_t at)
{
	struct tag t;
	if (read_tag(p, at, &t) < 0)
		return -1;
	switch (t.sigil) {
	case '{':
	case '&': return tag_var(p, &t, K_RAW);
	case '!': return tag_quiet(p, &t);
	case '=': return set_delims(p, &t) < 0 ? -1 : tag_quiet(p, &t);
	case '#': return tag_section(p, &t, K_SECTION);
	case '^': return tag_section(p, &t, K_INVERTED);
	case '>': return tag_partial(p, &t);
	case '<': return tag_parent(p, &t);
	case '$': return tag_block(p, &t);
	case '/': return tag_close(p, &t);
	default: return tag_var(p, &t, K_VAR);
	}
}

static int parse(struct parser *p)
{
	start_line(p, 0);
	while (p->pos < p->len) {
		size_t at = find(p, p->pos, p->otag, p->olen);
		scan_text(p, at == SIZE_MAX ? p->len : at);
		if (at == SIZE_MAX)
			break;
		if (parse_tag(p, at) < 0)
			return -1;
	}
	flush(p, p->len);
	if (p->top > 0) {
		const struct frame *f = &p->fr[p->top];
		return perr(p, f->open_at, "'%.*s' is never closed", shown(f->owner->n),
			    f->owner->s);
	}
	return 0;
}

static struct tpl *compile(const char *src, size_t len, char *err, size_t errlen)
{
	struct tpl *t = xrealloc(NULL, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->src = xrealloc(NULL, len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	struct parser *p = xrealloc(NULL, sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->src = t->src;
	p->len = len;
	p->otag = "{{";
	p->ctag = "}}";
	p->olen = p->clen = 2;
	p->fr[0].list = &t->root;
	p->err = err;
	p->errlen = errlen;
	int rc = parse(p);
	free(p);
	if (rc < 0) {
		tpl_free(t);
		return NULL;
	}
	return t;
}

/* ---- the set ------------------------------------------------------------ */

static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Index of name, or of where it would go (*found false). */
static size_t set_find(const mu_set *s, const char *name, size_t n, bool *found)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(s->v[mid]->name, s->v[mid]->nlen, name, n);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static const struct tpl *set_get(const mu_set *s, const char *name, size_t n)
{
	bool found;
	size_t i = set_find(s, name, n, &found);
	return found ? s->v[i] : NULL;
}

mu_set *mu_set_new(void)
{
	mu_set *s = xrealloc(NULL, sizeof(*s));
	memset(s, 0, sizeof(*s));
	return s;
}

void mu_set_free(mu_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		tpl_free(s->v[i]);
	free(s->v);
	free(s);
}

int mu_set_add(mu_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	struct tpl *t = compile(src, len, err, errlen);
	if (!t)
		return -1;
	t->nlen = strlen(name);
	t->name = xrealloc(NULL, t->nlen + 1);
	memcpy(t->name, name, t->nlen + 1);
	bool found;
	size_t i = set_find(s, name, t->nlen, &found);
	if (found) {
		tpl_free(s->v[i]);
		s->v[i] = t;
		return 0;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
	s->v[i] = t;
	s->n++;
	return 0;
}

int mu_set_has(const mu_set *s, const char *name)
{
	return set_get(s, name, strlen(name)) != NULL;
}

/* ---- rendering ---------------------------------------------------------- */

/* The three stacks of a render live on the C stack, linked upwards. */
struct scope {
	const json_t *v;
	const struct scope *up;
};

struct indent {
	const char *s;
	size_t n;
	const struct indent *up;
};

struct subs {
	const struct list *args; /* a parent's kids */
	const struct subs *up;
};

struct env {
	const struct scope *sc;
	const struct indent *in; /* NULL: no indentation */
	const struct subs *sb;
};

struct render {
	const mu_set *set;
	buf *out;
	char *err;
	size_t errlen;
	unsigned long steps;
	int depth; /* partials, parents and substitutions being expanded */
	int stack; /* render_list calls on the C stack */
	enum { AS_SOURCE, ALWAYS, NEVER } first; /* indentation of the next node */
};

static int render_list(struct render *r, const struct list *l, const struct env *e);

static int put(struct render *r, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (buf_append(r->out, s, n) < 0) {
		say(r->err, r->errlen, "output larger than %zu bytes", r->out->max);
		return -1;
	}
	return 0;
}

static int put_escaped(struct render *r, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (html_escape(r->out, s, n) < 0) {
		say(r->err, r->errlen, "output larger than %zu bytes", r->out->max);
		return -1;
	}
	return 0;
}

static int step(struct render *r)
{
	if (++r->steps <= MU_MAX_STEPS)
		return 0;
	say(r->err, r->errlen, "render takes more than %lu steps", MU_MAX_STEPS);
	return -1;
}

/* Outermost indentation first. */
static int put_indent(struct render *r, const struct indent *in)
{
	if (!in)
		return 0;
	if (put_indent(r, in->up) < 0 || step(r) < 0)
		return -1;
	return put(r, in->s, in->n);
}

/* Resolves the first key of a dotted name up the context stack, the rest
 * inside what it found only (spec: broken chains do not fall back). */
static const json_t *lookup(struct render *r, const struct scope *sc, const char *name, size_t n)
{
	if (n == 1 && name[0] == '.')
		return sc ? sc->v : NULL;
	const char *dot = memchr(name, '.', n);
	size_t k = dot ? (size_t)(dot - name) : n;
	const json_t *v = NULL;
	for (; sc && !v; sc = sc->up) {
		r->steps++; /* deep stacks make lookups work too */
		if (json_is_object(sc->v))
			v = json_object_getn(sc->v, name, k);
	}
	while (v && k < n) {
		name += k + 1;
		n -= k + 1;
		dot = memchr(name, '.', n);
		k = dot ? (size_t)(dot - name) : n;
		v = json_is_object(v) ? json_object_getn(v, name, k) : NULL;
	}
	return v;
}

static bool truthy(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	return !json_is_array(v) || json_array_size(v) > 0;
}

/* Reals print in the shortest form that reads back the same: 1.21, not
 * 1.2099999999999999645. */
static int real_text(double d, char *s, size_t n)
{
	int len = 0;
	for (int prec = 15; prec <= 17; prec++) {
		len = snprintf(s, n, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	return len;
}

static int put_value(struct render *r, const json_t *v, bool escape)
{
	char num[40];
	const char *s = num;
	size_t n = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {
		n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				     json_integer_value(v));
	} else if (json_is_real(v)) {
		n = (size_t)real_text(json_real_value(v), num, sizeof(num));
	} else if (json_is_boolean(v)) {
		s = json_is_true(v) ? "true" : "false";
		n = strlen(s);
	}
	if (s == num && n >= sizeof(num)) /* cannot happen: num fits any number */
		n = sizeof(num) - 1;
	return escape ? put_escaped(r, s, n) : put(r, s, n);
}

static int expand(struct render *r, const struct list *l, const struct env *e)
{
	if (r->depth >= MU_MAX_DEPTH) {
		say(r->err, r->errlen, "partials, parents or blocks nested deeper than %d",
		    MU_MAX_DEPTH);
		return -1;
	}
	r->depth++;
	int rc = render_list(r, l, e);
	r->depth--;
	return rc;
}

static int render_section(struct render *r, const struct node *n, const struct env *e)
{
	const json_t *v = lookup(r, e->sc, n->s, n->n);
	if (n->kind == K_INVERTED)
		return truthy(v) ? 0 : render_list(r, &n->kids, e);
	if (!truthy(v))
		return 0;
	struct scope sc = {v, e->sc};
	struct env inner = *e;
	inner.sc = &sc;
	if (!json_is_array(v))
		return render_list(r, &n->kids, &inner);
	for (size_t i = 0; i < json_array_size(v); i++) {
		sc.v = json_array_get(v, i);
		if (render_list(r, &n->kids, &inner) < 0)
			return -1;
	}
	return 0;
}

/* A partial is a parent without arguments; a standalone one indents each of
 * its lines, an inline one none. */
static int render_partial(struct render *r, const struct node *n, const struct env *e)
{
	const struct tpl *t = set_get(r->set, n->s, n->n);
	if (!t)
		return 0;
	struct indent in = {n->ind, n->nind, e->in};
	struct subs sb = {&n->kids, e->sb};
	struct env inner = *e;
	inner.in = n->alone ? &in : NULL;
	if (n->kind == K_PARENT)
		inner.sb = &sb;
	return expand(r, &t->root, &inner);
}

/* The argument for block name: the outermost parent passing one wins
 * (spec: top-level substitutions take precedence). */
static const struct node *find_argument(struct render *r, const struct subs *sb, const char *name,
					size_t n)
{
	const struct node *found = NULL;
	for (; sb; sb = sb->up) {
		const struct list *l = sb->args;
		r->steps += l->n;
		for (size_t i = 0; i < l->n; i++) {
			const struct node *a = &l->v[i];
			if (a->kind == K_BLOCK && a->n == n && memcmp(a->s, name, n) == 0) {
				found = a;
				break;
			}
		}
	}
	return found;
}

static int render_block(struct render *r, const struct node *n, const struct env *e)
{
	const struct node *arg = find_argument(r, e->sb, n->s, n->n);
	struct indent in = {n->ind, n->nind, e->in};
	struct env inner = *e;
	if (arg) {
		if (n->nind)
			inner.in = &in;
		/* Where it was written, the argument may start a line or not; what
		 * counts is the site: a standalone one is a line of its own, an
		 * inline one is in the middle of a line already indented. */
		r->first = n->alone ? ALWAYS : NEVER;
		int rc = expand(r, &arg->kids, &inner);
		r->first = AS_SOURCE;
		return rc;
	}
	if (n->alone && n->nind)
		inner.in = &in;
	return render_list(r, &n->kids, &inner);
}

static int render_node(struct render *r, const struct node *n, const struct env *e)
{
	if (step(r) < 0)
		return -1;
	/* A standalone node prints no line of its own: the first node inside it
	 * that does takes over r->first. */
	if (!n->alone) {
		bool indent = r->first == ALWAYS || (n->line_start && r->first == AS_SOURCE);
		r->first = AS_SOURCE;
		if (indent && put_indent(r, e->in) < 0)
			return -1;
	}
	switch ((enum kind)n->kind) {
	case K_TEXT: return put(r, n->s, n->n);
	case K_VAR: return put_value(r, lookup(r, e->sc, n->s, n->n), true);
	case K_RAW: return put_value(r, lookup(r, e->sc, n->s, n->n), false);
	case K_SECTION:
	case K_INVERTED: return render_section(r, n, e);
	case K_PARTIAL:
	case K_PARENT: return render_partial(r, n, e);
	case K_BLOCK: return render_block(r, n, e);
	}
	return 0;
}

static int render_list(struct render *r, const struct list *l, const struct env *e)
{
	if (r->stack >= MU_MAX_STACK) {
		say(r->err, r->errlen, "render nested deeper than %d", MU_MAX_STACK);
		return -1;
	}
	r->stack++;
	int rc = 0;
	for (size_t i = 0; i < l->n && rc == 0; i++)
		rc = render_node(r, &l->v[i], e);
	r->stack--;
	return rc;
}

int mu_render(const mu_set *s, const char *name, const json_t *ctx, buf *out, char *err,
	      size_t errlen)
{
	say(err, errlen, "%s", "");
	const struct tpl *t = set_get(s, name, strlen(name));
	if (!t) {
		say(err, errlen, "unknown template '%s'", name);
		return -1;
	}
	struct render r = {.set = s, .out = out, .err = err, .errlen = errlen};
	struct scope root = {ctx, NULL};
	struct env e = {ctx ? &root : NULL, NULL, NULL};
	return render_list(&r, &t->root, &e);
}

/* jansson's iterators take non-const objects; the partials are only read. */
static int add_partials(mu_set *s, const json_t *partials, char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	char msg[256];
	json_object_foreach((json_t *)partials, key, v)
	{
		if (!json_is_string(v))
			continue;
		if (mu_set_add(s, key, json_string_value(v), json_string_length(v), msg,
			       sizeof(msg)) < 0) {
			say(err, errlen, "partial '%.40s': %s", key, msg);
			return -1;
		}
	}
	return 0;
}

int mu_render_string(const char *src, size_t len, const json_t *partials, const json_t *ctx,
		     buf *out, char *err, size_t errlen)
{
	mu_set *s = mu_set_new();
	int rc = 0;
	if (json_is_object(partials))
		rc = add_partials(s, partials, err, errlen);
	/* No tag can name "" (names are non-empty), so the template added last
	 * under it is reachable only from here. */
	if (rc == 0)
		rc = mu_set_add(s, "", src, len, err, errlen);
	if (rc == 0)
		rc = mu_render(s, "", ctx, out, err, errlen);
	mu_set_free(s);
	return rc;
}
