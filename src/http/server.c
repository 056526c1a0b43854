/*
 * server.c - the request lifecycle on top of libmicrohttpd.
 *
 * libmicrohttpd calls the access handler several times per request:
 *   1. headers are in: create the request (arena, route match, limits);
 *   2. zero or more times with body data: append up to the route's limit;
 *   3. once with no data: run the handler, or suspend the connection and
 *      hand the request to a worker, which resumes it when it has replied;
 *   4. after a resume: queue the response the worker prepared.
 * Responses are queued on a later call, never on the first one, because
 * libmicrohttpd 0.9.75 closes the connection otherwise (BRIEF.md: ~5x less
 * throughput). The completion callback logs, counts and frees the arena.
 *
 * libmicrohttpd leaves connections over its limit waiting silently in the
 * listen queue. So its hard limit is set above ours, and connections past our
 * limit (total or per address) are answered 503 with Retry-After and closed.
 */
#include "http/server.h"
#include "http/pagecache.h"

#include <ctype.h>
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/workq.h"
#include "http/accesslog.h"
#include "http/metrics.h"
#include "http/upload.h"

#define IP_BUCKETS 1024

struct ip_count {
	unsigned char addr[16];
	unsigned len;
	unsigned count;
	struct ip_count *next;
};

/* Per-connection state, kept as libmicrohttpd's socket context. */
struct conn_info {
	struct ip_count *ip;
	bool over_limit;
};

struct http_server {
	struct MHD_Daemon *d;
	struct config cfg;
	const struct route *routes;
	size_t nroutes;
	void *app;
	workq *wq;
	pagecache *cache;
	http_metrics *metrics;
	accesslog *alog;
	unsigned short port;
	char tmp_dir[PATH_MAX + 8]; /* DIR/tmp: uploads being received */

	atomic_uint in_flight;
	atomic_bool draining;

	pthread_mutex_t conn_mu;
	unsigned connections;
	struct ip_count *ips[IP_BUCKETS];
};

static const char security_csp[] =
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void *http_app(http_req *r)
{
	return r->srv->app;
}

unsigned short http_server_port(http_server *s)
{
	return s->port;
}

unsigned http_server_in_flight(http_server *s)
{
	return atomic_load(&s->in_flight);
}

void http_server_metrics(http_server *s, buf *out)
{
	buf_printf(out,
		   "# HELP motcua_http_in_flight Requests being processed.\n"
		   "# TYPE motcua_http_in_flight gauge\nmotcua_http_in_flight %u\n",
		   atomic_load(&s->in_flight));
	pthread_mutex_lock(&s->conn_mu);
	unsigned conns = s->connections;
	pthread_mutex_unlock(&s->conn_mu);
	buf_printf(out,
		   "# HELP motcua_http_connections Open client connections.\n"
		   "# TYPE motcua_http_connections gauge\nmotcua_http_connections %u\n",
		   conns);
	buf_printf(out,
		   "# HELP motcua_worker_queue_depth Requests waiting for a worker thread.\n"
		   "# TYPE motcua_worker_queue_depth gauge\nmotcua_worker_queue_depth %u\n",
		   workq_depth(s->wq));
	unsigned long long hits, misses;
	pagecache_stats(s->cache, &hits, &misses);
	buf_printf(
		out,
		"# HELP motcua_page_cache_lookups_total Public pages looked up in the page cache.\n"
		"# TYPE motcua_page_cache_lookups_total counter\n"
		"motcua_page_cache_lookups_total{result=\"hit\"} %llu\n"
		"motcua_page_cache_lookups_total{result=\"miss\"} %llu\n",
		hits, misses);
	metrics_render(s->metrics, s->routes, s->nroutes, out);
}

/* ---- connection accounting ---- */

static unsigned ip_hash(const unsigned char *a, unsigned len)
{
	unsigned h = 2166136261u;
	for (unsigned i = 0; i < len; i++)
		h = (h ^ a[i]) * 16777619u;
	return h % IP_BUCKETS;
}

static unsigned addr_key(const struct sockaddr *sa, unsigned char *key)
{
	if (sa && sa->sa_family == AF_INET) {
		memcpy(key, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		return 16;
	}
	return 0;
}

static void conn_started(http_server *s, struct MHD_Connection *c, void **ctx)
{
	struct conn_info *ci = calloc(1, sizeof(*ci));
	if (!ci)
		abort();
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	unsigned char key[16];
	unsigned len = addr_key(info ? info->client_addr : NULL, key);
	unsigned h = ip_hash(key, len);

	pthread_mutex_lock(&s->conn_mu);
	struct ip_count *ip = s->ips[h];
	while (ip && !(ip->len == len && memcmp(ip->addr, key, len) == 0))
		ip = ip->next;
	if (!ip) {
		ip = calloc(1, sizeof(*ip));
		if (!ip)
			abort();
		memcpy(ip->addr, key, len);
		ip->len = len;
		ip->next = s->ips[h];
		s->ips[h] = ip;
	}
	ip->count++;
	s->connections++;
	ci->ip = ip;
	ci->over_limit = s->connections > s->cfg.max_connections ||
			 ip->count > s->cfg.max_connections_per_ip;
	pthread_mutex_unlock(&s->conn_mu);
	*ctx = ci;
}

static void conn_closed(http_server *s, void **ctx)
{
	struct conn_info *ci = *ctx;
	if (!ci)
		return;
	pthread_mutex_lock(&s->conn_mu);
	s->connections--;
	if (--ci->ip->count == 0) {
		unsigned h = ip_hash(ci->ip->addr, ci->ip->len);
		struct ip_count **pp = &s->ips[h];
		while (*pp != ci->ip)
			pp = &(*pp)->next;
		*pp = ci->ip->next;
		free(ci->ip);
	}
	pthread_mutex_unlock(&s->conn_mu);
	free(ci);
	*ctx = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		conn_started(cls, c, socket_context);
	else
		conn_closed(cls, socket_context);
}

/* ---- requests ---- */

static void release_body(void *p)
{
	http_req *r = p;
	buf_release(&r->body);
	buf_release(&r->out);
	if (r->out_file) /* a file reply that never went out */
		close(r->out_fd);
}

static void pick_language(http_req *r)
{
	enum lang l;
	const char *q = http_query(r, "lang");
	if (q && lang_parse(q, &l) == 0) {
		r->lang = l;
		http_set_cookie(r, "lang", lang_code(l), 365L * 24 * 3600);
		return;
	}
	const char *c = http_cookie(r, "lang");
	if (c && lang_parse(c, &l) == 0) {
		r->lang = l;
		return;
	}
	r->lang = lang_from_accept(http_header(r, "Accept-Language"));
}

static http_req *req_new(http_server *s, struct MHD_Connection *c, const char *url,
			 const char *method)
{
	arena *a = arena_new(16384);
	http_req *r = arena_zalloc(a, sizeof(*r));
	r->a = a;
	r->srv = s;
	r->conn = c;
	r->match.index = -1; /* until routed: a refused request counts as unmatched */
	r->start_us = now_us();
	r->method = arena_strdup(a, method);
	r->path = arena_strdup(a, url);
	r->is_api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;
	r->head = strcmp(method, "HEAD") == 0;
	buf_init(&r->out, 64u << 20);
	buf_init(&r->body, 0);
	arena_cleanup_add(a, release_body, r);
	pick_language(r);
	return r;
}

static bool over_limit(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_info *ci = info ? info->socket_context : NULL;
	return ci && ci->over_limit;
}

static void reply_busy(http_req *r)
{
	http_add_header(r, "Retry-After", "5");
	r->close = true;
	http_reply_error(r, 503, http_msg(r, "error.busy"));
}

struct framing {
	unsigned lengths; /* Content-Length headers */
	const char *first;
	bool differ;  /* two of them disagree */
	bool chunked; /* Transfer-Encoding present */
};

static enum MHD_Result framing_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct framing *f = cls;
	if (strcasecmp(key, "Content-Length") == 0) {
		if (f->lengths++ && strcmp(f->first, value ? value : "") != 0)
			f->differ = true;
		else
			f->first = value ? value : "";
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->chunked = true;
	}
	return MHD_YES;
}

/*
 * A body whose length can be read two ways is how requests are smuggled past
 * a proxy (RFC 9112 6.1, 6.3). libmicrohttpd 0.9.75 takes the first of two
 * disagreeing Content-Length headers, and keeps the connection open after a
 * request with both Content-Length and Transfer-Encoding; both are refused.
 */
static bool ambiguous_length(http_req *r)
{
	struct framing f = {0};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, framing_header, &f);
	return f.differ || (f.lengths && f.chunked);
}

/* "20 MB", or "512 KB" for a limit that is not whole megabytes. */
static const char *size_text(http_req *r, uint64_t n)
{
	if (n % (1u << 20) == 0)
		return arena_printf(r->a, "%llu MB", (unsigned long long)(n >> 20));
	return arena_printf(r->a, "%llu KB", (unsigned long long)((n + 1023) >> 10));
}

static _Atomic(http_auth_resolver) auth_resolver;
static const char *_Atomic session_cookie;

/* Bodies up to this size are read before the principal is looked up. */
#define UPLOAD_EARLY_AUTH_MIN (64u * 1024)

/*
 * Sets up the request on the first call; may already set a reply. Returns
 * true when that reply must go out at once: the connection is over a limit,
 * the body's length is ambiguous or the announced body is too large, and it
 * will be closed either way, so the first-call keep-alive penalty does not
 * matter and the client is not invited to send a body that will be refused.
 */
static bool begin(http_server *s, http_req *r, const char *version)
{
	if (over_limit(r->conn)) {
		reply_busy(r);
		return true;
	}
	/* RFC 9112 3.2: an HTTP/1.1 request without Host is refused. */
	if (strcmp(version, "HTTP/1.1") == 0 && !http_header(r, "Host")) {
		r->close = true;
		http_reply_error(r, 400, http_msg(r, "status.invalid"));
		return true;
	}
	if (ambiguous_length(r)) {
		r->close = true;
		http_reply_error(r, 400, http_msg(r, "status.invalid"));
		return true;
	}
	if (atomic_load(&s->draining))
		r->close = true;
	router_match(s->routes, s->nroutes, r->method, r->path, &r->match);
	if (!r->match.route) {
		if (r->match.path_found) {
			http_add_header(r, "Allow", r->match.allow);
			http_reply_error(r, 405, http_msg(r, "error.method"));
		} else {
			http_reply_error(r, 404, http_msg(r, "error.not_found"));
		}
		return false;
	}
	const struct route *rt = r->match.route;
	bool up = rt->flags & RT_UPLOAD;
	size_t max = rt->max_body ? rt->max_body : up ? s->cfg.upload_max_dossier : s->cfg.max_body;
	buf_init(&r->body, up ? 0 : max); /* an upload's body goes to files */
	r->body.max = max;		  /* still the bound of drain() */
	const char *cl = http_header(r, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > max) {
		r->body_too_large = true;
		r->close = true;
		const char *limit = size_text(r, max);
		http_reply_error(
			r, 413,
			up ? i18n_format(r->a, r->lang, "upload.total_too_large", 1, &limit)
			   : http_msg(r, "error.too_large"));
		return true;
	}
	if (up && rt->roles != ROLE_PUBLIC && !http_header(r, "Authorization") &&
	    !http_header(r, "Cookie")) {
		/* No credentials at all: answered as run_handler would, at
		 * once, before a byte of the body is read (the connection is
		 * closed, as for 413). */
		r->close = true;
		http_add_header(r, "WWW-Authenticate", "Bearer");
		http_reply_error(r, 401, http_msg(r, "error.unauthorized"));
		return true;
	}
	/* Credentials on a large (or unannounced) upload: who sent them is
	 * looked up before the body is read (early_auth, on a worker), so a
	 * stranger cannot stream 100 MiB to disk first. A small body costs
	 * less to read than the extra trip to a worker. */
	if (up && rt->roles != ROLE_PUBLIC && atomic_load(&auth_resolver) &&
	    (!cl || strtoull(cl, NULL, 10) > UPLOAD_EARLY_AUTH_MIN))
		r->early_auth = true;
	if (up) {
		r->upload = upload_new(r->a, http_header(r, "Content-Type"), s->tmp_dir,
				       s->cfg.upload_max_file, max);
		if (!r->upload)
			http_reply_error(r, 415, http_msg(r, "upload.not_multipart"));
	}
	return false;
}

/* Replies for an upload that stopped while streaming: the message names
 * the file that was arriving when a limit was passed. */
static void reply_upload_failure(http_server *s, http_req *r)
{
	const char *file = upload_failed_file(r->upload);
	const char *args[2];
	r->close = true;
	switch (upload_failure(r->upload)) {
	case UPLOAD_FILE_TOO_LARGE:
		args[0] = file;
		args[1] = size_text(r, s->cfg.upload_max_file);
		http_reply_error(r, 413,
				 i18n_format(r->a, r->lang, "upload.file_too_large", 2, args));
		break;
	case UPLOAD_TOO_LARGE:
		args[0] = size_text(r, r->body.max);
		args[1] = file;
		http_reply_error(
			r, 413,
			i18n_format(r->a, r->lang,
				    file ? "upload.request_too_large" : "upload.total_too_large",
				    file ? 2 : 1, args));
		break;
	case UPLOAD_FIELD_TOO_LARGE:
		http_reply_error(r, 413, http_msg(r, "error.too_large"));
		break;
	case UPLOAD_IO: http_reply_error(r, 500, http_msg(r, "error.internal")); break;
	case UPLOAD_MALFORMED:
	case UPLOAD_OK: http_reply_error(r, 400, http_msg(r, "error.form_damaged")); break;
	}
}

static enum MHD_Result queue(http_req *r)
{
	if (!r->status) {
		log_error("route %s %s returned without a reply", r->method,
			  r->match.route ? r->match.route->pattern : r->path);
		http_reply_error(r, 500, http_msg(r, "error.internal"));
	}
	size_t len;
	struct MHD_Response *resp;
	if (r->out_file) {
		len = (size_t)r->out_fd_size;
		/* libmicrohttpd owns the descriptor from here, even on failure. */
		r->out_file = false;
		resp = MHD_create_response_from_fd64(r->out_fd_size, r->out_fd);
		if (!resp)
			close(r->out_fd);
	} else if (r->out_static) {
		len = r->out_static_len;
		resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)r->out_static,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		char *body = buf_detach(&r->out, &len);
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(body);
	}
	if (!resp)
		return MHD_NO;
	r->out.len = len; /* remembered for the access log */
	r->queued = true;
	MHD_add_response_header(resp, "Content-Type",
				r->content_type ? r->content_type : "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy", security_csp);
	for (struct http_header *h = r->headers; h; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
	if (r->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

void http_set_auth_resolver(http_auth_resolver fn)
{
	atomic_store(&auth_resolver, fn);
}

void http_set_session_cookie(const char *name)
{
	atomic_store(&session_cookie, name);
}

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	(void)kind;
	buf *b = cls;
	buf_printf(b, "\x1f%s=%s", k, v ? v : "");
	return MHD_YES;
}

/*
 * RT_CACHE: a GET from someone without a session, with nothing set on the
 * reply yet (a ?lang= switch sets a cookie), may be answered from the page
 * cache. Returns true when it was; otherwise r->cache_key tells the worker
 * to keep what it renders.
 */
static bool cache_try(http_server *s, http_req *r)
{
	const char *cookie = atomic_load(&session_cookie);
	if (strcmp(r->method, "GET") != 0 || r->headers || http_header(r, "Authorization") ||
	    (cookie && http_cookie(r, cookie)))
		return false;
	buf key;
	buf_init(&key, 8192);
	buf_printf(&key, "%s %s", lang_code(r->lang), r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, &key);
	if (!key.overflow)
		r->cache_key = arena_strdup(r->a, buf_str(&key));
	buf_release(&key);
	const char *ct;
	if (r->cache_key && pagecache_get(s->cache, r->cache_key, r->a, &r->out, &ct)) {
		r->status = 200;
		r->content_type = ct;
		return true;
	}
	return false;
}

/* After a worker rendered an RT_CACHE page: keep it if anyone would get the
 * same (a plain 200, no headers of its own). */
static void cache_store(http_server *s, http_req *r)
{
	if (r->cache_key && r->status == 200 && !r->headers && !r->out_static && !r->out.overflow)
		pagecache_put(s->cache, r->cache_key, r->content_type,
			      r->out.data ? r->out.data : "", r->out.len);
}

/*
 * The role check of a protected route; true when the handler may run,
 * otherwise the reply is set: nobody signed in gets 401 (a browser's GET is
 * sent to the sign-in page), someone without the role 403.
 */
static bool check_role(http_req *r)
{
	const struct route *rt = r->match.route;
	if (rt->roles != ROLE_PUBLIC) {
		if (!r->user) {
			if (!r->is_api && (!strcmp(r->method, "GET") || r->head)) {
				/* The path goes back as the "tiep" (next) parameter;
				 * it is percent-encoded byte by byte. */
				buf loc;
				buf_init(&loc, 4096);
				buf_puts(&loc, "/dang-nhap?tiep=");
				for (const unsigned char *p = (const unsigned char *)r->path; *p;
				     p++) {
					if (isalnum(*p) || strchr("/-._~", *p))
						buf_putc(&loc, (char)*p);
					else
						buf_printf(&loc, "%%%02X", *p);
				}
				http_redirect(r, 303, buf_str(&loc));
				buf_release(&loc);
				return false;
			}
			http_add_header(r, "WWW-Authenticate", "Bearer");
			http_reply_error(r, 401, http_msg(r, "error.unauthorized"));
			return false;
		}
		if (!(r->user->roles & rt->roles)) {
			http_reply_error(r, 403, http_msg(r, "status.forbidden"));
			return false;
		}
	}
	return true;
}

/*
 * Runs the route's handler after the role check. Protected routes are
 * RT_WORKER (checked at start), so the principal is known here.
 */
static void run_handler(http_req *r)
{
	const struct route *rt = r->match.route;
	http_auth_resolver auth = atomic_load(&auth_resolver);
	if ((rt->flags & RT_WORKER) && auth && !r->user) {
		auth(r);
		if (r->status)
			return;
	}
	if (!check_role(r))
		return;
	/* Types by content: reads the files, so on this worker (RT_UPLOAD
	 * routes are RT_WORKER), and only for someone allowed to send them. */
	if (r->upload)
		upload_classify(r->upload);
	rt->handler(r);
}

void http_defer(http_req *r, http_handler fn)
{
	r->deferred = fn;
}

static void run_job(void *p)
{
	http_req *r = p;
	if (!r->deferred)
		run_handler(r);
	/* A deferral asked for on a worker simply continues here. */
	while (!r->status && r->deferred) {
		http_handler fn = r->deferred;
		r->deferred = NULL;
		fn(r);
	}
	cache_store(r->srv, r);
	MHD_resume_connection(r->conn);
}

/* Suspends the connection and queues r for a worker (run_job). */
static void to_worker(http_server *s, http_req *r)
{
	r->suspended = true;
	MHD_suspend_connection(r->conn);
	if (workq_push(s->wq, run_job, r) < 0) {
		r->deferred = NULL;
		reply_busy(r);
		MHD_resume_connection(r->conn);
	}
}

/* early_auth on a worker: the principal and the role check, then back to
 * the I/O thread, which replies at once or reads the body. */
static void auth_job(void *p)
{
	http_req *r = p;
	http_auth_resolver auth = atomic_load(&auth_resolver);
	auth(r);
	if (!r->status)
		check_role(r);
	MHD_resume_connection(r->conn);
}

static bool timed_out(http_server *s, http_req *r)
{
	return now_us() - r->start_us > (int64_t)s->cfg.request_timeout * 1000000;
}

/*
 * A reply is decided (404, 405, 413) while the body is still arriving.
 * libmicrohttpd 0.9.75 refuses to queue a response until the whole body is
 * in (MHD_queue_response fails, and the connection is dropped unanswered),
 * so the rest of the body is read and thrown away and the reply goes out at
 * its end. Draining is bounded: past the route's limit plus max_body more
 * bytes, or past request_timeout, the connection is closed without a reply.
 */
static enum MHD_Result drain(http_server *s, http_req *r, size_t n)
{
	r->drained += n;
	if (r->drained > r->body.max + s->cfg.max_body || timed_out(s, r))
		return MHD_NO;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	http_server *s = cls;
	http_req *r = *con_cls;
	if (!r) {
		r = req_new(s, c, url, method);
		*con_cls = r;
		atomic_fetch_add(&s->in_flight, 1);
		if (begin(s, r, version))
			return queue(r);
		if (r->early_auth && !r->status) {
			r->suspended = true;
			MHD_suspend_connection(c);
			if (workq_push(s->wq, auth_job, r) < 0) {
				r->early_auth = false;
				reply_busy(r);
				MHD_resume_connection(c);
			}
		}
		return MHD_YES;
	}
	if (r->early_auth) {
		/* Back from auth_job, before any of the body (the call after a
		 * resume from the first one is a first call again): a refusal
		 * goes out now and the connection closes unread. */
		r->early_auth = false;
		r->suspended = false;
		if (r->status) {
			r->close = true;
			return queue(r);
		}
		return MHD_YES; /* signed in: now the body */
	}
	if (r->queued) {
		*upload_data_size = 0; /* refused body: discard what still comes */
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (r->status)
			return drain(s, r, n); /* 404/405/413 decided: reply at the end */
		if (r->upload) {
			if (upload_feed(r->upload, upload_data, n) < 0) {
				reply_upload_failure(s, r);
				return drain(s, r, n); /* nothing more is written */
			}
		} else if (buf_append(&r->body, upload_data, n) < 0) {
			r->body_too_large = true;
			r->close = true;
			http_reply_error(r, 413, http_msg(r, "error.too_large"));
			return drain(s, r, n);
		}
		if (timed_out(s, r)) {
			/* No reply can be queued mid-body: the status is for the log. */
			r->close = true;
			http_reply_error(r, 408, http_msg(r, "error.timeout"));
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (r->suspended || r->status) {
		r->suspended = false;
		return queue(r);
	}
	if (r->upload) {
		if (upload_finish(r->upload) < 0) {
			reply_upload_failure(s, r);
			return queue(r);
		}
		/* The text fields answer the usual form getters. */
		struct form_field *fields = upload_fields(r->upload);
		r->form = fields ? (void *)fields : (void *)r;
	}
	if ((r->match.route->flags & RT_CACHE) && cache_try(s, r))
		return queue(r);
	if (r->match.route->flags & RT_WORKER) {
		to_worker(s, r);
		return MHD_YES;
	}
	run_handler(r);
	if (!r->status && r->deferred) {
		to_worker(s, r);
		return MHD_YES;
	}
	return queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	http_server *s = cls;
	http_req *r = *con_cls;
	if (!r)
		return;
	int64_t us = now_us() - r->start_us;
	int status = r->status ? r->status : 499; /* client went away first */
	/* A reply that was not sent in full (the client left, the connection
	 * was cut off) is logged as such, not as if it had been delivered. */
	bool complete = r->queued && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK;
	metrics_observe(s->metrics, r->match.index, status, us);
	accesslog_write(s->alog, r->method, r->path,
			r->match.route ? r->match.route->pattern : NULL, status,
			complete ? r->out.len : 0, us, complete);
	arena_free(r->a);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_warn("http: %s", line);
}

/* ---- start and stop ---- */

static int resolve(const struct config *cfg, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	char port[8];
	snprintf(port, sizeof(port), "%u", cfg->listen_port);
	int rc = getaddrinfo(cfg->listen_host, port, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "listen address '%s' is not a numeric IP address: %s",
			 cfg->listen_host, gai_strerror(rc));
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return ss->ss_family;
}

http_server *http_server_start(const struct config *cfg, const struct route *routes, size_t nroutes,
			       void *app, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	int family = resolve(cfg, &ss, err, errlen);
	if (family < 0)
		return NULL;
	for (size_t i = 0; i < nroutes; i++) {
		/* The principal is looked up in the database: on a worker. */
		if ((routes[i].flags & RT_CACHE) &&
		    (routes[i].roles != ROLE_PUBLIC || !(routes[i].flags & RT_WORKER))) {
			snprintf(err, errlen,
				 "route %s %s: RT_CACHE needs a public RT_WORKER route",
				 routes[i].method, routes[i].pattern);
			return NULL;
		}
		if (routes[i].roles != ROLE_PUBLIC && !(routes[i].flags & RT_WORKER)) {
			snprintf(err, errlen, "route %s %s needs a role but is not RT_WORKER",
				 routes[i].method, routes[i].pattern);
			return NULL;
		}
		if ((routes[i].flags & RT_UPLOAD) && !(routes[i].flags & RT_WORKER)) {
			snprintf(err, errlen, "route %s %s takes uploads but is not RT_WORKER",
				 routes[i].method, routes[i].pattern);
			return NULL;
		}
	}
	char tmp_dir[PATH_MAX + 8];
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", cfg->data_dir);
	if (mkdir(tmp_dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", tmp_dir, strerror(errno));
		return NULL;
	}
	upload_clean_tmp(tmp_dir);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	http_server *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->cfg = *cfg;
	s->routes = routes;
	s->nroutes = nroutes;
	s->app = app;
	memcpy(s->tmp_dir, tmp_dir, sizeof(tmp_dir));
	pthread_mutex_init(&s->conn_mu, NULL);
	s->metrics = metrics_new(nroutes);
	s->cache = pagecache_new();
	s->alog = accesslog_open(cfg->access_log, err, errlen);
	if (!s->alog && strcmp(cfg->access_log, "off") != 0)
		goto fail;
	unsigned workers = cfg->workers ? cfg->workers : (unsigned)cores * 2;
	s->wq = workq_new(workers, cfg->max_connections * 2);
	workq_set_spin(s->wq, cfg->worker_spin_us);

	unsigned io = cfg->io_threads ? cfg->io_threads : (unsigned)cores;
	/* Room above our limit so the extra connections can be told 503. */
	unsigned hard = cfg->max_connections +
			(cfg->max_connections / 4 > 64 ? cfg->max_connections / 4 : 64);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			 (family == AF_INET6 ? MHD_USE_IPv6 : 0);
	/* The logger goes first, or libmicrohttpd complains with its own. */
	s->d = MHD_start_daemon(flags, cfg->listen_port, NULL, NULL, on_request, s,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_SOCK_ADDR,
				(struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, io,
				MHD_OPTION_CONNECTION_LIMIT, hard, MHD_OPTION_CONNECTION_TIMEOUT,
				cfg->connection_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				cfg->header_limit, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on %s:%u: %s", cfg->listen_host,
			 cfg->listen_port,
			 errno ? strerror(errno) : "libmicrohttpd refused to start");
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : cfg->listen_port;
	return s;
fail:
	workq_free(s->wq);
	accesslog_close(s->alog);
	metrics_free(s->metrics);
	pagecache_free(s->cache);
	pthread_mutex_destroy(&s->conn_mu);
	free(s);
	return NULL;
}

void http_server_stop(http_server *s, unsigned grace_seconds)
{
	if (!s)
		return;
	atomic_store(&s->draining, true);
	MHD_socket ls = MHD_quiesce_daemon(s->d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	int64_t deadline = now_us() + (int64_t)grace_seconds * 1000000;
	while (atomic_load(&s->in_flight) > 0 && now_us() < deadline) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	unsigned left = atomic_load(&s->in_flight);
	if (left)
		log_warn("http: %u requests still running after %u s; closing them", left,
			 grace_seconds);
	/* Workers first: a worker may still resume a suspended connection. */
	workq_free(s->wq);
	MHD_stop_daemon(s->d);
	accesslog_close(s->alog);
	metrics_free(s->metrics);
	pagecache_free(s->cache);
	for (int i = 0; i < IP_BUCKETS; i++) {
		struct ip_count *ip = s->ips[i];
		while (ip) {
			struct ip_count *n = ip->next;
			free(ip);
			ip = n;
		}
	}
	pthread_mutex_destroy(&s->conn_mu);
	free(s);
}
