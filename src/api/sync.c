/*
 * sync.c - GET /api/v1/sync/dossiers?cursor=&limit= for the national
 * portal's sync (domain/sync.h): the system admin, or an API token of that
 * account. {"dossiers": [...], "next_cursor", "more"}.
 */
#include <stdlib.h>

#include "api/api.h"
#include "app.h"
#include "domain/sync.h"

void api_sync_dossiers(http_req *r)
{
	struct app *app = http_app(r);
	const char *limit_text = http_query(r, "limit");
	long limit = 0;
	if (limit_text && *limit_text) {
		char *end = NULL;
		limit = strtol(limit_text, &end, 10);
		if (!end || *end || limit < 1 || limit > SYNC_PAGE_MAX)
			limit = -1;
	}
	struct sync_page pg;
	mc_status rc = limit < 0
			       ? MC_INVALID
			       : sync_page(app->db, r->a, http_query(r, "cursor"), (int)limit, &pg);
	if (rc == MC_INVALID) {
		http_reply_error(r, 400, http_msg(r, "sync.error.cursor"));
		return;
	}
	if (rc != MC_OK) {
		http_reply_status(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, sync_row_json(r->a, &pg.rows[i]));
	json_t *doc = json_pack("{s:o,s:s,s:b}", "dossiers", items, "next_cursor", pg.next_cursor,
				"more", pg.more);
	http_add_header(r, "Cache-Control", "no-store");
	http_reply_json(r, 200, doc);
	json_decref(doc);
}
