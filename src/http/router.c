/*
 * router.c - linear match over the route table. With a few dozen routes a
 * scan of short string comparisons costs less than building a trie, and it
 * keeps the table the single source of truth.
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

/* Matches one pattern; fills params on success. */
static bool match_path(const char *pat, const char *path, struct route_match *m)
{
	int np = 0;
	const char *p = pat, *s = path;
	while (*p && *s) {
		if (p[0] == '*' && p[1] == '\0')
			goto done; /* wildcard tail: anything, including "/" */
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close || np == ROUTER_MAX_PARAMS)
				return false;
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (len == 0)
				return false;
			m->names[np] = p + 1;
			m->values[np] = s;
			m->lens[np] = len;
			np++;
			p = close + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*s || (*p && !(p[0] == '*' && p[1] == '\0')))
		return false;
done:
	m->nparams = np;
	return true;
}

/* Is method already a whole name in the ", "-separated list? strstr alone
 * would take PATCH for listed once PROPPATCH is, and LOCK once UNLOCK is. */
static bool allow_lists(const char *allow, const char *method)
{
	size_t ml = strlen(method);
	if (ml == 0)
		return true; /* nothing to list */
	for (const char *a = allow; (a = strstr(a, method)) != NULL; a++)
		if ((a == allow || a[-1] == ' ') && (a[ml] == ',' || a[ml] == '\0'))
			return true;
	return false;
}

void router_match(const struct route *routes, size_t n, const char *method, const char *path,
		  struct route_match *m)
{
	memset(m, 0, sizeof(*m));
	m->index = -1;
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	size_t alen = 0;
	for (size_t i = 0; i < n; i++) {
		struct route_match tmp;
		memset(&tmp, 0, sizeof(tmp));
		if (!match_path(routes[i].pattern, path, &tmp))
			continue;
		if (strcmp(routes[i].method, want) == 0 && !m->route) {
			int keep_allow = m->path_found;
			char allow[64];
			memcpy(allow, m->allow, sizeof(allow));
			*m = tmp;
			m->route = &routes[i];
			m->index = (int)i;
			m->path_found = keep_allow;
			memcpy(m->allow, allow, sizeof(allow));
		}
		m->path_found = true;
		if (!allow_lists(m->allow, routes[i].method)) {
			int w = snprintf(m->allow + alen, sizeof(m->allow) - alen, "%s%s",
					 alen ? ", " : "", routes[i].method);
			if (w > 0 && (size_t)w < sizeof(m->allow) - alen)
				alen += (size_t)w;
			else
				m->allow[alen] = '\0'; /* no room: no half a name either */
		}
	}
}
