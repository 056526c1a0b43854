/*
 * stats.c - GET /api/v1/stats: the figures, rates, 766 scores, targets and
 * months of /thong-ke for the same filters (period, from, to, agency,
 * field, procedure, level), as described in docs/openapi.yaml.
 */
#include "api/api.h"
#include "app.h"
#include "domain/stats.h"
#include "web/web.h"

void api_stats(http_req *r)
{
	struct stats_report rep;
	if (!web_stats_load(r, &rep))
		return;
	json_t *doc = stats_report_json(&rep);
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
