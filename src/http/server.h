/*
 * server.h - the HTTP server: libmicrohttpd with an epoll internal thread
 * pool, one arena per request, per-route body limits, connection limits
 * answered with 503, worker threads for slow handlers (suspend/resume),
 * security headers, access log and request metrics.
 *
 * The server routes and replies; it never decides anything about the domain.
 */
#ifndef MOTCUA_SERVER_H
#define MOTCUA_SERVER_H

#include <stddef.h>

#include "core/buf.h"
#include "core/config.h"
#include "http/request.h"
#include "http/router.h"

typedef struct http_server http_server;

/*
 * Starts serving routes[0..nroutes) on cfg's address. app is handed back to
 * handlers by http_app(). Returns NULL with a message in err on failure.
 */
http_server *http_server_start(const struct config *cfg, const struct route *routes, size_t nroutes,
			       void *app, char *err, size_t errlen);

/*
 * Stops accepting connections, lets in-flight requests finish (at most
 * grace_seconds), then closes every connection and frees the server.
 */
void http_server_stop(http_server *s, unsigned grace_seconds);

/* The application context given at start. */
void *http_app(http_req *r);

/* The port actually bound (useful with port 0). */
unsigned short http_server_port(http_server *s);

/* Appends the request metrics in Prometheus text format. */
void http_server_metrics(http_server *s, buf *out);

/* Requests begun and not yet completed. */
unsigned http_server_in_flight(http_server *s);

#endif
