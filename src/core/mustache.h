/*
 * mustache.h - the page template engine: mustache, compiled once, rendered
 * many times.
 *
 * Templates are compiled into a set when the server starts; every request
 * then renders by name against a jansson context. The engine implements the
 * mustache spec (interpolation, sections, inverted sections, comments,
 * partials, set delimiters) and template inheritance (parents {{<name}} and
 * blocks {{$name}}), without lambdas. {{name}} is HTML-escaped through
 * html_escape(); {{{name}}} and {{&name}} are not, so they must only ever
 * print text that is already safe HTML.
 *
 * It must never write outside the caller's buffers, recurse without bound
 * or run without bound on a hostile template: nesting is limited when
 * compiling (MU_MAX_NEST), expansion of partials, parents and blocks when
 * rendering (MU_MAX_DEPTH, MU_MAX_STACK), and so is the total work of one
 * render (MU_MAX_STEPS). Output is bounded by the cap of the caller's buf.
 *
 * A set is filled by one thread, then only read: renders of one set from many
 * threads at once are safe. Allocation failure aborts the process, as in buf.
 */
#ifndef MOTCUA_MUSTACHE_H
#define MOTCUA_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"

/* Sections, blocks and parents may nest this deep inside one template. */
#define MU_MAX_NEST 100
/* Partials, parents and block substitutions may nest this deep in a render. */
#define MU_MAX_DEPTH 64
/* Sections, partials and blocks together may nest this deep in a render,
 * which bounds the C stack a render uses. */
#define MU_MAX_STACK 256
/* Tags and text pieces one render may visit before it is refused: about a
 * second of CPU at -O2, ten times any real page. A fuzzing build may lower
 * it with -DMU_MAX_STEPS=... to keep slow inputs fast. */
#ifndef MU_MAX_STEPS
#define MU_MAX_STEPS 10000000UL
#endif

/* A set of named compiled templates; immutable after loading. */
typedef struct mu_set mu_set;

/* An empty set. Never NULL. */
mu_set *mu_set_new(void);

/* Frees the set and every template in it. NULL is fine. */
void mu_set_free(mu_set *s);

/*
 * Compiles len bytes of src under name, replacing a template of that name.
 * Returns 0, or -1 on a syntax error (unclosed tag or section, mismatched
 * closing tag, bad name, bad set-delimiter tag, nesting past MU_MAX_NEST),
 * with "line N: what" in err; the set is then unchanged. src is copied.
 * err may be NULL when errlen is 0.
 */
int mu_set_add(mu_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen);

/* Whether the set holds a template of that name. */
int mu_set_has(const mu_set *s, const char *name);

/*
 * Appends template name rendered against ctx to out. Partials and parents
 * are looked up by name in the same set; a missing one renders as nothing
 * (spec). Returns 0, or -1 with a message in err for an unknown template
 * name, an output cap reached, nesting past MU_MAX_DEPTH or MU_MAX_STACK, or
 * work past MU_MAX_STEPS. On -1, out holds a partial render and out->overflow tells
 * whether the cap was the cause. ctx may be NULL (an empty context).
 */
int mu_render(const mu_set *s, const char *name, const json_t *ctx, buf *out, char *err,
	      size_t errlen);

/*
 * One-off compile and render, for tests and the fuzzer: partials is a JSON
 * object mapping names to template source strings (NULL for none; values
 * that are not strings are skipped). Returns as mu_set_add or mu_render.
 */
int mu_render_string(const char *src, size_t len, const json_t *partials, const json_t *ctx,
		     buf *out, char *err, size_t errlen);

#endif
