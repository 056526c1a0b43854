/* metrics.c - fixed arrays of atomic counters; no allocation after start. */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404,
			       405, 408, 409, 413, 415, 422, 429, 431, 500, 503};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1) /* + "other" */

static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				0.1,	0.25,  0.5,    1,     2.5,  5,	   10};
#define NBUCKET (sizeof(bounds) / sizeof(bounds[0]))

struct route_stats {
	atomic_uint_fast64_t by_status[NSTATUS];
	atomic_uint_fast64_t buckets[NBUCKET + 1];
	atomic_uint_fast64_t sum_us;
};

struct http_metrics {
	size_t n; /* routes + 1 for "no route" */
	struct route_stats *r;
};

http_metrics *metrics_new(size_t nroutes)
{
	http_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		abort();
	m->n = nroutes + 1;
	m->r = calloc(m->n, sizeof(*m->r));
	if (!m->r)
		abort();
	return m;
}

void metrics_free(http_metrics *m)
{
	if (!m)
		return;
	free(m->r);
	free(m);
}

static size_t status_slot(int status)
{
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS - 1;
}

void metrics_observe(http_metrics *m, int route_index, int status, int64_t usec)
{
	size_t ri =
		route_index < 0 || (size_t)route_index >= m->n - 1 ? m->n - 1 : (size_t)route_index;
	struct route_stats *rs = &m->r[ri];
	atomic_fetch_add_explicit(&rs->by_status[status_slot(status)], 1, memory_order_relaxed);
	size_t b = 0;
	double sec = (double)usec / 1e6;
	while (b < NBUCKET && sec > bounds[b])
		b++;
	atomic_fetch_add_explicit(&rs->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&rs->sum_us, (uint_fast64_t)(usec < 0 ? 0 : usec),
				  memory_order_relaxed);
}

static const char *label(const struct route *routes, size_t nroutes, size_t i, const char **method)
{
	if (i >= nroutes) {
		*method = "";
		return "unmatched";
	}
	*method = routes[i].method;
	return routes[i].pattern;
}

void metrics_render(http_metrics *m, const struct route *routes, size_t nroutes, buf *out)
{
	buf_puts(out, "# HELP motcua_http_requests_total HTTP requests by route and status.\n"
		      "# TYPE motcua_http_requests_total counter\n");
	for (size_t i = 0; i < m->n; i++) {
		const char *method, *route = label(routes, nroutes, i, &method);
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v =
				atomic_load_explicit(&m->r[i].by_status[s], memory_order_relaxed);
			if (!v)
				continue;
			if (s < NSTATUS - 1)
				buf_printf(out,
					   "motcua_http_requests_total{method=\"%s\",route=\"%s\","
					   "status=\"%d\"} %llu\n",
					   method, route, statuses[s], (unsigned long long)v);
			else
				buf_printf(out,
					   "motcua_http_requests_total{method=\"%s\",route=\"%s\","
					   "status=\"other\"} %llu\n",
					   method, route, (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP motcua_http_request_duration_seconds Time from first byte of the "
		      "request to completion.\n"
		      "# TYPE motcua_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < m->n; i++) {
		const char *method, *route = label(routes, nroutes, i, &method);
		uint64_t cum = 0;
		for (size_t b = 0; b <= NBUCKET; b++)
			cum += atomic_load_explicit(&m->r[i].buckets[b], memory_order_relaxed);
		if (!cum)
			continue;
		uint64_t run = 0;
		for (size_t b = 0; b < NBUCKET; b++) {
			run += atomic_load_explicit(&m->r[i].buckets[b], memory_order_relaxed);
			buf_printf(out,
				   "motcua_http_request_duration_seconds_bucket{method=\"%s\","
				   "route=\"%s\",le=\"%g\"} %llu\n",
				   method, route, bounds[b], (unsigned long long)run);
		}
		buf_printf(out,
			   "motcua_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
			   "le=\"+Inf\"} %llu\n",
			   method, route, (unsigned long long)cum);
		buf_printf(out,
			   "motcua_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} "
			   "%.6f\n",
			   method, route,
			   (double)atomic_load_explicit(&m->r[i].sum_us, memory_order_relaxed) /
				   1e6);
		buf_printf(out,
			   "motcua_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} "
			   "%llu\n",
			   method, route, (unsigned long long)cum);
	}
}
