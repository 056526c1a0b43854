/*
 * fuzz_router.c - libFuzzer target for the route matcher (http/router.c).
 *
 * The input is "METHOD\nPATH": the bytes before the first newline are the
 * method, the rest is the path (no newline: the whole input is the path and
 * the method is GET). Each is matched against a local route table with the
 * same patterns as src/routes.c plus the shapes the portal is growing into
 * (several parameters, a parameter between literals, two methods on one
 * path), all with a dummy handler so the target links without the web layer.
 * Keep the first block in step with src/routes.c by hand. A second table
 * has methods inside other methods (PATCH, PROPPATCH); a third, malformed
 * on purpose, checks that the matcher stays safe and its answer
 * well-formed when Allow overflows or a pattern is broken.
 *
 * Besides crashes and sanitizer reports, the target checks the result
 * against a simple segment-by-segment reference matcher: same route, same
 * parameter values (inside the path, non-empty, no '/'), path_found exactly
 * when some pattern matches, allow NUL-terminated and naming every method of
 * the path. It must never keep state between inputs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dummy(struct http_req *r)
{
	(void)r;
}

static const struct route routes[] = {
	/* as in src/routes.c */
	{"GET", "/", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/gop-y", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"POST", "/gop-y", dummy, ROLE_PUBLIC, RT_WORKER, 16 * 1024},
	{"GET", "/gop-y/{ref}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/agencies", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/agencies/{code}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/fields", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/static/*", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/favicon.ico", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/robots.txt", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/healthz", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/metrics", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/health", dummy, ROLE_PUBLIC, RT_INLINE, 0},

	/* shapes to come: procedures, dossiers, the API, the back office */
	{"GET", "/thu-tuc", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/thu-tuc/{code}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/thu-tuc/{code}/nop", dummy, ROLE_CITIZEN, RT_WORKER, 0},
	{"POST", "/thu-tuc/{code}/nop", dummy, ROLE_CITIZEN, RT_WORKER, 0},
	{"GET", "/ho-so/{code}", dummy, ROLE_CITIZEN, RT_WORKER, 0},
	{"GET", "/ho-so/{code}/tep/{file}", dummy, ROLE_CITIZEN, RT_WORKER, 0},
	{"POST", "/can-bo/ho-so/{code}/{action}", dummy, ROLE_DESK, RT_WORKER, 0},
	{"GET", "/api/v1/procedures", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/procedures/{code}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/api/v1/dossiers/{code}", dummy, ROLE_CITIZEN, RT_WORKER, 0},
	{"PUT", "/api/v1/dossiers/{code}", dummy, ROLE_DESK, RT_WORKER, 0},
	{"DELETE", "/api/v1/dossiers/{code}", dummy, ROLE_DESK, RT_WORKER, 0},
	{"PATCH", "/api/v1/dossiers/{code}", dummy, ROLE_DESK, RT_WORKER, 0},
	{"GET", "/api/v1/a/{p1}/{p2}/{p3}/{p4}/{p5}/{p6}/{p7}/{p8}", dummy, ROLE_SYSADMIN,
	 RT_INLINE, 0},
	{"GET", "/tep/{id}/*", dummy, ROLE_CITIZEN, RT_WORKER, 0},
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Methods that are substrings of one another (PATCH in PROPPATCH, LOCK in
 * UNLOCK) on one path: Allow must still name each of them. */
static const struct route dav[] = {
	{"PROPPATCH", "/dav/{path}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"PATCH", "/dav/{path}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"PROPFIND", "/dav/{path}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"UNLOCK", "/dav/{path}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"LOCK", "/dav/{path}", dummy, ROLE_PUBLIC, RT_WORKER, 0},
	{"GET", "/dav/*", dummy, ROLE_PUBLIC, RT_INLINE, 0},
};

#define NDAV (sizeof(dav) / sizeof(dav[0]))

/* A table the real one should never be: more methods on one path than
 * allow[] holds, a '{' never closed, more parameters than a match holds.
 * Matching over it must stay memory-safe and give a well-formed answer. */
static const struct route crowded[] = {
	{"GET", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"POST", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"PUT", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"DELETE", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"PATCH", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"OPTIONS", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"PROPFIND", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"PROPPATCH", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"MKCOL", "/x", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/{a", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/{1}/{2}/{3}/{4}/{5}/{6}/{7}/{8}/{9}", dummy, ROLE_PUBLIC, RT_INLINE, 0},
	{"GET", "/{p}*", dummy, ROLE_PUBLIC, RT_INLINE, 0},
};

#define NCROWDED (sizeof(crowded) / sizeof(crowded[0]))

struct ref_match {
	int nparams;
	const char *values[ROUTER_MAX_PARAMS];
	size_t lens[ROUTER_MAX_PARAMS];
};

/* The reference: split both on '/', compare segment by segment; "{x}" is a
 * whole non-empty segment, a final "*" segment takes the rest, even empty. */
static bool ref_match_path(const char *pat, const char *path, struct ref_match *rm)
{
	const char *p = pat, *s = path;
	rm->nparams = 0;
	for (;;) {
		if (strcmp(p, "*") == 0)
			return true;
		size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
		if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
			if (slen == 0 || rm->nparams == ROUTER_MAX_PARAMS)
				return false;
			rm->values[rm->nparams] = s;
			rm->lens[rm->nparams] = slen;
			rm->nparams++;
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			return false;
		}
		if (p[plen] == '\0' || s[slen] == '\0')
			return p[plen] == '\0' && s[slen] == '\0';
		p += plen + 1;
		s += slen + 1;
	}
}

/* Does the comma-separated allow list name method exactly? */
static bool allow_has(const char *allow, const char *method)
{
	size_t ml = strlen(method);
	for (const char *a = allow; *a;) {
		size_t l = strcspn(a, ",");
		if (l == ml && memcmp(a, method, ml) == 0)
			return true;
		a += l;
		while (*a == ',' || *a == ' ')
			a++;
	}
	return false;
}

/* Matches over table t[0..n) and compares with the reference. */
static void check(const struct route *t, size_t n, const char *method, const char *path)
{
	struct route_match m;
	router_match(t, n, method, path, &m);

	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	size_t pathlen = strlen(path);
	int ref_index = -1;
	bool ref_found = false;
	struct ref_match ref = {0};
	for (size_t i = 0; i < n; i++) {
		struct ref_match rm;
		if (!ref_match_path(t[i].pattern, path, &rm))
			continue;
		ref_found = true;
		/* every method of a matching path is offered in Allow */
		if (!memchr(m.allow, '\0', sizeof(m.allow)) || !allow_has(m.allow, t[i].method))
			abort();
		if (ref_index < 0 && strcmp(t[i].method, want) == 0) {
			ref_index = (int)i;
			ref = rm;
		}
	}

	if (!memchr(m.allow, '\0', sizeof(m.allow)))
		abort();
	if (m.path_found != ref_found)
		abort();
	if (m.path_found && !m.route && m.allow[0] == '\0')
		abort();
	if (!m.path_found && (m.route || m.allow[0] != '\0'))
		abort();
	if (m.nparams < 0 || m.nparams > ROUTER_MAX_PARAMS)
		abort();
	if (!m.route) {
		if (ref_index >= 0 || m.index != -1 || m.nparams != 0)
			abort();
		return;
	}
	if (m.index != ref_index || m.route != &t[m.index])
		abort();
	if (strcmp(m.route->method, want) != 0)
		abort();
	if (m.nparams != ref.nparams)
		abort();
	const char *pat = m.route->pattern;
	for (int i = 0; i < m.nparams; i++) {
		const char *v = m.values[i];
		size_t l = m.lens[i];
		if (l == 0 || v < path || v + l > path + pathlen || memchr(v, '/', l))
			abort();
		if (v != ref.values[i] || l != ref.lens[i])
			abort();
		/* names point just after a '{' of the pattern, up to its '}' */
		const char *n = m.names[i];
		if (n <= pat || n >= pat + strlen(pat) || n[-1] != '{' || !strchr(n, '}'))
			abort();
	}
}

static void check_crowded(const char *method, const char *path)
{
	struct route_match m;
	router_match(crowded, NCROWDED, method, path, &m);
	if (!memchr(m.allow, '\0', sizeof(m.allow)))
		abort();
	if (m.nparams < 0 || m.nparams > ROUTER_MAX_PARAMS)
		abort();
	if (!m.path_found && (m.route || m.allow[0] != '\0'))
		abort();
	if (m.route && (m.route != &crowded[m.index] || !m.path_found))
		abort();
	size_t pathlen = strlen(path);
	for (int i = 0; i < m.nparams; i++)
		if (m.lens[i] == 0 || m.values[i] < path ||
		    m.values[i] + m.lens[i] > path + pathlen)
			abort();
	/* Every name in Allow is a whole method of the table, even when the
	 * list had to stop short. */
	for (const char *a = m.allow; *a;) {
		size_t l = strcspn(a, ",");
		bool known = false;
		for (size_t i = 0; i < NCROWDED && !known; i++)
			known = strlen(crowded[i].method) == l &&
				memcmp(crowded[i].method, a, l) == 0;
		if (!known)
			abort();
		a += l;
		while (*a == ',' || *a == ' ')
			a++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exact-size heap copies, so reading past the end trips ASan. */
	const uint8_t *nl = memchr(data, '\n', size);
	size_t mlen = nl ? (size_t)(nl - data) : 0;
	const uint8_t *p = nl ? nl + 1 : data;
	size_t plen = size - (size_t)(p - data);
	char *method = malloc(mlen + 1);
	char *path = malloc(plen + 1);
	if (!method || !path)
		abort();
	if (nl)
		memcpy(method, data, mlen);
	method[mlen] = '\0';
	memcpy(path, p, plen);
	path[plen] = '\0';

	const char *meth = nl ? method : "GET";
	check(routes, NROUTES, meth, path);
	/* HEAD must behave as GET, whatever the method was. */
	check(routes, NROUTES, "HEAD", path);
	check(dav, NDAV, meth, path);
	check_crowded(meth, path);

	free(method);
	free(path);
	return 0;
}
