/*
 * request.h - what a handler sees: the request, its arena, typed getters
 * that validate and reply 400 themselves, and the reply functions.
 *
 * A handler is a flat list of steps:
 *
 *	int64_t page;
 *	if (!http_query_int(r, "trang", 1, 10000, 1, &page))
 *		return;                    // 400 already sent, with the reason
 *	...
 *	page_render(r, 200, "home", ctx);
 *
 * Everything allocated with r->a is freed when the request completes. A
 * handler replies exactly once; a handler that returns without replying gets
 * a 500 (and a log line naming the route), never a hung connection.
 */
#ifndef MOTCUA_REQUEST_H
#define MOTCUA_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/status.h"
#include "http/router.h"

struct http_server;

struct http_header {
	const char *name, *value;
	struct http_header *next;
};

/* A field's validation problem, shown next to the field on a form page. */
struct field_error {
	const char *field;
	const char *message;
	struct field_error *next;
};

/*
 * Who is making the request, when anyone is signed in: set before the
 * handler runs on worker-thread routes (see http_set_auth_resolver). All
 * strings live in the request arena.
 */
struct principal {
	const char *account_id;
	const char *login;
	const char *name;	 /* full name, for the page header */
	const char *kind;	 /* "citizen", "business" or "officer" */
	unsigned roles;		 /* enum role bits */
	const char *agency_code; /* officers: the agency they act for; else NULL */
	const char *csrf;	 /* the session's CSRF token ("" for API tokens) */
	bool api;		 /* signed in with a bearer token, not a cookie */
};

typedef struct http_req {
	arena *a;
	struct http_server *srv;
	void *conn; /* struct MHD_Connection */
	const char *method;
	const char *path; /* decoded, without the query string */
	struct route_match match;
	enum lang lang;
	bool is_api; /* path under /api/: errors in JSON */
	bool head;   /* HEAD: headers only */

	buf body; /* request body, capped at the route's limit */
	bool body_too_large;
	size_t drained;		      /* body bytes thrown away after a reply was decided */
	void *form;		      /* parsed form fields (form.c), lazily */
	struct upload *upload;	      /* RT_UPLOAD routes: the streamed files (upload.h) */
	const struct principal *user; /* NULL: nobody signed in (or an inline route) */
	const char *cache_key;	      /* RT_CACHE: where the reply may be kept */

	/* response */
	int status; /* 0 until a reply is set */
	const char *content_type;
	buf out;
	const char *out_static; /* set by http_reply_static: body not copied */
	size_t out_static_len;
	int out_fd; /* set by http_reply_file (when out_file): sent from the file */
	bool out_file;
	uint64_t out_fd_size;
	struct http_header *headers;
	bool close; /* ask the client to close the connection */

	/* bookkeeping for logs and metrics */
	int64_t start_us;
	bool suspended;
	bool queued;
	bool early_auth;       /* suspended before the body for the principal (server.c) */
	http_handler deferred; /* set by http_defer */
} http_req;

/* ---- request data ---- */

/* A request header or cookie, NULL when absent. */
const char *http_header(http_req *r, const char *name);
const char *http_cookie(http_req *r, const char *name);

/* The client's IP address as text. Behind the local nginx (a loopback
 * peer) it is nginx's X-Real-IP. */
const char *http_client_addr(http_req *r);

/* True when the request came through the TLS-terminating proxy
 * (X-Forwarded-Proto: https from a loopback peer): cookies get Secure. */
bool http_is_tls(http_req *r);

/* The value of path parameter {name}; the router guarantees it exists for
 * names in the route's pattern. */
const char *http_param(http_req *r, const char *name);

/* Raw query value (already percent-decoded), NULL when absent. */
const char *http_query(http_req *r, const char *name);

/*
 * Typed getters. Each returns true with *out set (def when absent and not
 * required), or false after replying 400 with a message that names the
 * parameter and what was wrong.
 *
 * Text is checked to be valid UTF-8 without control characters, trimmed of
 * surrounding spaces, and at most maxlen bytes.
 */
bool http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
		    int64_t *out);
bool http_query_text(http_req *r, const char *name, size_t maxlen, bool required, const char **out);

/*
 * Form fields from an application/x-www-form-urlencoded body. When errs is
 * NULL these behave like the query getters (400 on a bad value); otherwise a
 * problem is appended to *errs for the page to show beside the field, and
 * false is returned without replying.
 */
bool http_form_text(http_req *r, const char *name, size_t minlen, size_t maxlen, const char **out,
		    struct field_error **errs);
bool http_form_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t *out,
		   struct field_error **errs);

/* Appends a problem of field to *errs (for checks the getters cannot make,
 * like "an email or a phone number"). */
void http_field_error(http_req *r, struct field_error **errs, const char *field,
		      const char *message);

/* The message for key in the request's language (see core/i18n.h). */
const char *http_msg(http_req *r, const char *key);

/*
 * Continues the request on a worker thread: the handler returns at once
 * without replying, and fn(r) runs on a worker and replies there. For an
 * inline handler with a fast path (a cache) and a slow one (the database).
 */
void http_defer(http_req *r, http_handler fn);

/* ---- replies ---- */

/* Adds a response header; name and value are copied into the arena. */
void http_add_header(http_req *r, const char *name, const char *value);

/* Sets a cookie with Path=/, HttpOnly and SameSite=Lax (and Secure behind TLS). max_age < 0 omits
 * Max-Age (a session cookie). */
void http_set_cookie(http_req *r, const char *name, const char *value, long max_age);

/* Replies with body bytes (copied) and a content type. */
void http_reply(http_req *r, int status, const char *content_type, const char *body, size_t len);

/* Replies with bytes that live as long as the process (embedded files):
 * sent without a copy. */
void http_reply_static(http_req *r, int status, const char *content_type, const char *body,
		       size_t len);

/*
 * Replies 200 with the size bytes of the open file fd (which the server
 * closes), as an attachment: Content-Disposition carries download_name as
 * an ASCII fallback and as RFC 5987 filename*=UTF-8''... (RFC 6266).
 */
void http_reply_file(http_req *r, int fd, uint64_t size, const char *content_type,
		     const char *download_name);

/* The same for bytes in memory (a blob assembled from the database):
 * copied, and sent as an attachment named download_name. */
void http_reply_attachment(http_req *r, const char *data, size_t len, const char *content_type,
			   const char *download_name);

/* The Content-Disposition value http_reply_file sends (exposed for tests). */
const char *http_content_disposition(arena *a, const char *download_name);

/* Replies with the contents of r->out, already filled by the caller. */
void http_reply_out(http_req *r, int status, const char *content_type);

/* Replies with a JSON document (serialized compactly; ownership stays). */
void http_reply_json(http_req *r, int status, const json_t *doc);

/* Replies 429 with Retry-After: retry seconds, and the message of key
 * with those seconds as {1} (for budgets per address or per account). */
void http_reply_retry_after(http_req *r, unsigned retry, const char *key);

/* Replies 3xx with a Location. */
void http_redirect(http_req *r, int status, const char *location);

/*
 * Replies with an error page for browsers or {"error": {...}} under /api/.
 * message is shown to the user as is (already translated).
 */
void http_reply_error(http_req *r, int status, const char *message);

/* Maps the status vocabulary to HTTP, the only place that does so. */
int http_status_of(mc_status s);

/* Replies for an mc_status from the domain, with a translated message. */
void http_reply_status(http_req *r, mc_status s);

/*
 * Resolves the signed-in principal of a request (session cookie or bearer
 * token) and sets r->user; runs on a worker thread before every RT_WORKER
 * handler. It may reply itself (an expired session, say); the handler then
 * does not run. Set once at start-up by the accounts module.
 */
typedef void (*http_auth_resolver)(http_req *r);
void http_set_auth_resolver(http_auth_resolver fn);

/* The cookie that carries a session: requests with it are never answered
 * from the page cache (they may see their own name in the header). */
void http_set_session_cookie(const char *name);

/* The renderer for HTML error pages (set by the web layer at start-up). */
typedef void (*http_error_renderer)(http_req *r, int status, const char *message);
void http_set_error_renderer(http_error_renderer fn);

#endif
