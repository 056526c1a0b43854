/*
 * request.c - request accessors, validating getters and replies.
 *
 * Getters reply for the handler (redis's getLongFromObjectOrReply): when a
 * value is wrong the user gets a 400 that names the parameter and says what
 * is expected, in their language, and the handler simply returns.
 */
#include "http/request.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/html.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/text.h"
#include "http/form.h"

static void drop_file(http_req *r);

static http_error_renderer error_renderer;

void http_set_error_renderer(http_error_renderer fn)
{
	error_renderer = fn;
}

const char *http_msg(http_req *r, const char *key)
{
	return i18n_get(r->lang, key);
}

/* The user-facing name of a parameter: its label from the catalogue
 * ("field.<name>"), or the name itself. */
static const char *label(http_req *r, const char *name)
{
	char key[80];
	snprintf(key, sizeof(key), "field.%s", name);
	const char *l = i18n_lookup(r->lang, key);
	return l ? l : name;
}

static const char *fmt(http_req *r, const char *key, const char *a1, const char *a2, const char *a3)
{
	const char *args[3] = {a1 ? label(r, a1) : NULL, a2, a3};
	return i18n_format(r->a, r->lang, key, 3, args);
}

/* ---- request data ---- */

const char *http_header(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* A peer on loopback is the local nginx (deploy/nginx.conf): its
 * X-Real-IP and X-Forwarded-Proto are believed; anyone else's are not. */
static bool peer_is_proxy(const struct sockaddr *sa)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

static const struct sockaddr *peer(http_req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	return ci ? ci->client_addr : NULL;
}

const char *http_client_addr(http_req *r)
{
	const struct sockaddr *sa = peer(r);
	if (peer_is_proxy(sa)) {
		const char *real = http_header(r, "X-Real-IP");
		if (real && *real && strlen(real) < INET6_ADDRSTRLEN)
			return real;
	}
	char *out = arena_alloc(r->a, INET6_ADDRSTRLEN);
	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
			  INET6_ADDRSTRLEN);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  INET6_ADDRSTRLEN);
	return out;
}

bool http_is_tls(http_req *r)
{
	const char *proto = http_header(r, "X-Forwarded-Proto");
	return proto && strcmp(proto, "https") == 0 && peer_is_proxy(peer(r));
}

const char *http_cookie(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *http_query(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_param(http_req *r, const char *name)
{
	struct route_match *m = &r->match;
	size_t nl = strlen(name);
	for (int i = 0; i < m->nparams; i++)
		if (strncmp(m->names[i], name, nl) == 0 && m->names[i][nl] == '}')
			return arena_strndup(r->a, m->values[i], m->lens[i]);
	return NULL;
}

/* Explains a text problem for parameter name. */
static const char *text_message(http_req *r, enum text_problem p, const char *name, size_t minlen,
				size_t maxlen)
{
	char lo[24], hi[24];
	snprintf(lo, sizeof(lo), "%zu", minlen);
	snprintf(hi, sizeof(hi), "%zu", maxlen);
	switch (p) {
	case TEXT_BAD_UTF8: return fmt(r, "error.field_encoding", name, NULL, NULL);
	case TEXT_TOO_SHORT:
		return minlen <= 1 ? fmt(r, "error.field_required", name, NULL, NULL)
				   : fmt(r, "error.field_too_short", name, lo, NULL);
	case TEXT_TOO_LONG: return fmt(r, "error.field_too_long", name, hi, NULL);
	default: return "";
	}
}

bool http_query_text(http_req *r, const char *name, size_t maxlen, bool required, const char **out)
{
	const char *v = http_query(r, name);
	if (!v || !*v) {
		if (!required) {
			*out = NULL;
			return true;
		}
		http_reply_error(r, 400, fmt(r, "error.field_required", name, NULL, NULL));
		return false;
	}
	enum text_problem p = text_clean(r->a, v, strlen(v), required ? 1 : 0, maxlen, out);
	if (p != TEXT_OK) {
		http_reply_error(r, 400, text_message(r, p, name, 1, maxlen));
		return false;
	}
	return true;
}

static bool int_from(http_req *r, const char *name, const char *v, int64_t min, int64_t max,
		     int64_t *out, const char **msg)
{
	if (parse_int64(v, min, max, out) == 0)
		return true;
	char lo[24], hi[24];
	snprintf(lo, sizeof(lo), "%lld", (long long)min);
	snprintf(hi, sizeof(hi), "%lld", (long long)max);
	*msg = fmt(r, "error.field_int", name, lo, hi);
	return false;
}

bool http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
		    int64_t *out)
{
	const char *v = http_query(r, name);
	if (!v || !*v) {
		*out = def;
		return true;
	}
	const char *msg;
	if (int_from(r, name, v, min, max, out, &msg))
		return true;
	http_reply_error(r, 400, msg);
	return false;
}

/* Parses the body once; false (after replying) when it is not a form. */
static bool load_form(http_req *r, struct form_field **fields)
{
	if (r->form) {
		*fields = r->form == (void *)r ? NULL : r->form;
		return true;
	}
	const char *ct = http_header(r, "Content-Type");
	if (r->body.len && (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)) {
		http_reply_error(r, 415, http_msg(r, "error.not_a_form"));
		return false;
	}
	if (form_parse(r->a, buf_str(&r->body), r->body.len, fields) < 0) {
		http_reply_error(r, 400, http_msg(r, "error.form_damaged"));
		return false;
	}
	/* r itself marks "parsed, no fields" so an empty form is parsed once. */
	r->form = *fields ? (void *)*fields : (void *)r;
	return true;
}

void http_field_error(http_req *r, struct field_error **errs, const char *field, const char *msg)
{
	struct field_error *e = arena_zalloc(r->a, sizeof(*e));
	e->field = field;
	e->message = msg;
	struct field_error **p = errs;
	while (*p)
		p = &(*p)->next;
	*p = e;
}

/* A field problem: recorded for the page, or a 400 right away. */
static bool field_fail(http_req *r, struct field_error **errs, const char *name, const char *msg)
{
	if (errs)
		http_field_error(r, errs, name, msg);
	else if (!r->status)
		http_reply_error(r, 400, msg);
	return false;
}

bool http_form_text(http_req *r, const char *name, size_t minlen, size_t maxlen, const char **out,
		    struct field_error **errs)
{
	struct form_field *fields;
	if (!load_form(r, &fields))
		return false;
	const struct form_field *f = form_find(fields, name);
	const char *v = f ? f->value : "";
	size_t vlen = f ? f->value_len : 0;
	enum text_problem p = text_clean(r->a, v, vlen, minlen, maxlen, out);
	if (p == TEXT_OK)
		return true;
	return field_fail(r, errs, name, text_message(r, p, name, minlen, maxlen));
}

bool http_form_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t *out,
		   struct field_error **errs)
{
	struct form_field *fields;
	if (!load_form(r, &fields))
		return false;
	const struct form_field *f = form_find(fields, name);
	const char *msg;
	if (f && *f->value && int_from(r, name, f->value, min, max, out, &msg))
		return true;
	if (!f || !*f->value)
		msg = fmt(r, "error.field_required", name, NULL, NULL);
	return field_fail(r, errs, name, msg);
}

/* ---- replies ---- */

void http_add_header(http_req *r, const char *name, const char *value)
{
	struct http_header *h = arena_alloc(r->a, sizeof(*h));
	h->name = arena_strdup(r->a, name);
	h->value = arena_strdup(r->a, value);
	h->next = r->headers;
	r->headers = h;
}

void http_set_cookie(http_req *r, const char *name, const char *value, long max_age)
{
	char age[48] = "";
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	http_add_header(r, "Set-Cookie",
			arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value,
				     age, http_is_tls(r) ? "; Secure" : ""));
}

void http_reply_out(http_req *r, int status, const char *content_type)
{
	if (r->out.overflow) {
		log_error("response for %s is larger than its buffer", r->path);
		buf_reset(&r->out);
		status = 500;
		content_type = "text/plain; charset=utf-8";
		buf_puts(&r->out, http_msg(r, "error.internal"));
	}
	r->out_static = NULL;
	drop_file(r);
	r->status = status;
	r->content_type = content_type;
}

/* A reply that replaces a file reply closes the file. */
static void drop_file(http_req *r)
{
	if (r->out_file) {
		close(r->out_fd);
		r->out_file = false;
	}
}

const char *http_content_disposition(arena *a, const char *download_name)
{
	buf ascii, ext;
	buf_init(&ascii, 1024);
	buf_init(&ext, 4096);
	const unsigned char *p = (const unsigned char *)(download_name ? download_name : "");
	for (; *p; p++) {
		/* The fallback for old clients: printable ASCII without quotes,
		 * backslashes or percent signs; a character outside becomes '_',
		 * once per character, not per byte. */
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '%')
			buf_putc(&ascii, (char)*p);
		else if (*p < 0x80 || (*p & 0xc0) == 0xc0)
			buf_putc(&ascii, '_');
		/* RFC 5987 attr-char stays, everything else is percent-encoded. */
		if (isalnum(*p) || strchr("!#$&+-.^_`|~", *p))
			buf_putc(&ext, (char)*p);
		else
			buf_printf(&ext, "%%%02X", *p);
	}
	const char *out = arena_printf(a, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
				       ascii.len ? buf_str(&ascii) : "tep", buf_str(&ext));
	buf_release(&ascii);
	buf_release(&ext);
	return out;
}

void http_reply_file(http_req *r, int fd, uint64_t size, const char *content_type,
		     const char *download_name)
{
	buf_reset(&r->out);
	r->out_static = NULL;
	drop_file(r);
	r->out_file = true;
	r->out_fd = fd;
	r->out_fd_size = size;
	r->status = 200;
	r->content_type = content_type;
	http_add_header(r, "Content-Disposition", http_content_disposition(r->a, download_name));
}

void http_reply_attachment(http_req *r, const char *data, size_t len, const char *content_type,
			   const char *download_name)
{
	http_reply(r, 200, content_type, data, len);
	if (r->status == 200)
		http_add_header(r, "Content-Disposition",
				http_content_disposition(r->a, download_name));
}

void http_reply(http_req *r, int status, const char *content_type, const char *body, size_t len)
{
	buf_reset(&r->out);
	r->out_static = NULL;
	buf_append(&r->out, body, len);
	http_reply_out(r, status, content_type);
}

void http_reply_static(http_req *r, int status, const char *content_type, const char *body,
		       size_t len)
{
	buf_reset(&r->out);
	drop_file(r);
	r->out_static = body;
	r->out_static_len = len;
	r->status = status;
	r->content_type = content_type;
}

static int dump_cb(const char *s, size_t n, void *data)
{
	return buf_append(data, s, n);
}

void http_reply_json(http_req *r, int status, const json_t *doc)
{
	buf_reset(&r->out);
	json_dump_callback(doc, dump_cb, &r->out, JSON_COMPACT);
	buf_putc(&r->out, '\n');
	http_reply_out(r, status, "application/json; charset=utf-8");
}

void http_reply_retry_after(http_req *r, unsigned retry, const char *key)
{
	char secs[16];
	snprintf(secs, sizeof(secs), "%u", retry);
	const char *args[1] = {secs};
	http_add_header(r, "Retry-After", secs);
	http_reply_error(r, 429, i18n_format(r->a, r->lang, key, 1, args));
}

void http_redirect(http_req *r, int status, const char *location)
{
	http_add_header(r, "Location", location);
	http_reply(r, status, "text/plain; charset=utf-8", location, strlen(location));
}

static const char *reason(int status)
{
	const char *s = MHD_get_reason_phrase_for((unsigned)status);
	return s && *s ? s : "Error";
}

void http_reply_error(http_req *r, int status, const char *message)
{
	if (r->is_api || !error_renderer) {
		json_t *doc = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", status, "reason",
					reason(status), "message", message);
		http_reply_json(r, status, doc);
		json_decref(doc);
		if (!r->is_api) {
			/* No renderer yet (early start-up): plain text. */
			http_reply(r, status, "text/plain; charset=utf-8", message,
				   strlen(message));
		}
		return;
	}
	error_renderer(r, status, message);
}

int http_status_of(mc_status s)
{
	switch (s) {
	case MC_OK: return 200;
	case MC_INVALID: return 400;
	case MC_UNAUTHORIZED: return 401;
	case MC_FORBIDDEN: return 403;
	case MC_NOT_FOUND: return 404;
	case MC_CONFLICT: return 409;
	case MC_TOO_LARGE: return 413;
	case MC_BUSY: return 503;
	case MC_INTERNAL: return 500;
	case MC_REPLIED: return 0;
	}
	return 500;
}

void http_reply_status(http_req *r, mc_status s)
{
	if (s == MC_REPLIED)
		return;
	char key[48];
	snprintf(key, sizeof(key), "status.%s", mc_status_name(s));
	if (s == MC_BUSY)
		http_add_header(r, "Retry-After", "5");
	http_reply_error(r, http_status_of(s), http_msg(r, key));
}
