/*
 * metrics.h - request counters and a latency histogram per route, kept with
 * relaxed atomics so recording costs a few additions on the hot path and no
 * lock. Rendered in Prometheus text exposition format.
 */
#ifndef MOTCUA_METRICS_H
#define MOTCUA_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/router.h"

typedef struct http_metrics http_metrics;

http_metrics *metrics_new(size_t nroutes);
void metrics_free(http_metrics *m);

/* Records one finished request; route_index -1 is "no route". */
void metrics_observe(http_metrics *m, int route_index, int status, int64_t usec);

/* Appends motcua_http_requests_total and motcua_http_request_duration_seconds. */
void metrics_render(http_metrics *m, const struct route *routes, size_t nroutes, buf *out);

#endif
