/*
 * router.h - the shape of a route and the matcher over one route table.
 *
 * The table itself lives in src/routes.c, the one place to read every URL of
 * motcua. Patterns are literal segments and {name} parameters matching one
 * non-empty segment ("/thu-tuc/{code}"); a trailing "*" after the last
 * slash matches the rest of the path ("/static/" followed by "*"). Matching is by path
 * first, so a path that exists under another method gets 405 with Allow.
 */
#ifndef MOTCUA_ROUTER_H
#define MOTCUA_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct http_req;

typedef void (*http_handler)(struct http_req *r);

/* Roles, as bits; a route requires any one of the bits it names. */
enum role {
	ROLE_PUBLIC = 0,
	ROLE_CITIZEN = 1u << 0,	   /* công dân */
	ROLE_BUSINESS = 1u << 1,   /* tổ chức, doanh nghiệp */
	ROLE_DESK = 1u << 2,	   /* cán bộ bộ phận một cửa */
	ROLE_SPECIALIST = 1u << 3, /* chuyên viên */
	ROLE_LEADER = 1u << 4,	   /* lãnh đạo */
	ROLE_AGENCY_ADMIN = 1u << 5,
	ROLE_SYSADMIN = 1u << 6,
};

enum route_flags {
	RT_INLINE = 0,	     /* handler runs on the I/O thread: no blocking work */
	RT_WORKER = 1u << 0, /* handler runs on a worker thread (database, slow work) */
	/* multipart/form-data streamed to temporary files (http/upload.h), never
	 * held in memory; always with RT_WORKER. max_body 0 means the
	 * upload_max_dossier setting. */
	RT_UPLOAD = 1u << 1,
	/* a public page anyone without a session sees the same: kept a few
	 * seconds and answered on the I/O thread (http/pagecache.h); always
	 * with RT_WORKER, which renders it on a miss */
	RT_CACHE = 1u << 2
};

struct route {
	const char *method;  /* "GET", "POST", ... */
	const char *pattern; /* "/thu-tuc/{code}" */
	http_handler handler;
	unsigned roles; /* ROLE_PUBLIC or a mask of roles */
	unsigned flags;
	size_t max_body; /* 0: the configured default */
};

#define ROUTER_MAX_PARAMS 8

struct route_match {
	const struct route *route; /* NULL: no route for this path and method */
	int index;		   /* index in the table, for metrics */
	bool path_found;	   /* some route has this path (so 405, not 404) */
	int nparams;
	const char *names[ROUTER_MAX_PARAMS];
	const char *values[ROUTER_MAX_PARAMS]; /* point into the scratch copy */
	size_t lens[ROUTER_MAX_PARAMS];
	char allow[64]; /* "GET, POST" when path_found */
};

/*
 * Matches method and path against routes[0..n). path must be the decoded
 * path without the query string. Parameter values point into path. HEAD
 * matches GET routes.
 */
void router_match(const struct route *routes, size_t n, const char *method, const char *path,
		  struct route_match *m);

#endif
