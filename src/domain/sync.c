/*
 * sync.c - the national sync export: see sync.h.
 */
#include "domain/sync.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool sync_cursor_parse(const char *cursor, int64_t *seq)
{
	*seq = 0;
	if (!cursor || !*cursor)
		return true;
	if (cursor[0] != 'c' || !cursor[1] || strlen(cursor) > 20)
		return false;
	int64_t v = 0;
	for (const char *p = cursor + 1; *p; p++) {
		if (*p < '0' || *p > '9' || (p == cursor + 1 && *p == '0' && p[1]))
			return false;
		v = v * 10 + (*p - '0');
	}
	*seq = v;
	return true;
}

mc_status sync_page(db *d, arena *a, const char *cursor, int limit, struct sync_page *out)
{
	memset(out, 0, sizeof(*out));
	int64_t after;
	if (!sync_cursor_parse(cursor, &after) || limit < 0 || limit > SYNC_PAGE_MAX)
		return MC_INVALID;
	if (limit == 0)
		limit = SYNC_PAGE_DEFAULT;
	db_result *r;
	/* The agency's identifier in a subquery, not a join: with the join
	 * SQLite walked every agency through dossier_agency and sorted all
	 * their dossiers for each page (0.7 s a page at 200,000 dossiers);
	 * alone in FROM, dossier is read in dossier_change order and the scan
	 * stops at the limit. agency_code is NOT NULL REFERENCES agency, so
	 * no row is lost or added. */
	mc_status rc = db_query(
		db_reader(d), a,
		"SELECT d.change_seq, d.code, d.procedure_code, d.agency_code,"
		" (SELECT g.identifier FROM agency g WHERE g.code = d.agency_code),"
		" d.status, d.channel, d.submitted_at, d.received_at, d.due_at, d.finished_at,"
		" d.updated_at FROM dossier d"
		" WHERE d.change_seq > $1 AND d.code IS NOT NULL AND d.status > 0"
		" ORDER BY d.change_seq LIMIT $2",
		DB_ARGS(DB_INT(after), DB_INT(limit)), &r);
	if (rc != MC_OK)
		return rc;
	out->n = db_nrows(r);
	out->rows = arena_alloc(a, sizeof(*out->rows) * (size_t)(out->n ? out->n : 1));
#define OPT(i, k) (db_isnull(r, i, k) ? NULL : db_text(r, i, k))
	for (int i = 0; i < out->n; i++)
		out->rows[i] = (struct sync_row){db_int(r, i, 0),
						 db_text(r, i, 1),
						 db_text(r, i, 2),
						 db_text(r, i, 3),
						 OPT(i, 4),
						 (int)db_int(r, i, 5),
						 (int)db_int(r, i, 6),
						 OPT(i, 7),
						 OPT(i, 8),
						 OPT(i, 9),
						 OPT(i, 10),
						 OPT(i, 11)};
#undef OPT
	int64_t last = out->n ? out->rows[out->n - 1].seq : after;
	out->next_cursor = arena_printf(a, "c%" PRId64, last);
	out->more = out->n == limit;
	return MC_OK;
}

/* "YYYY-MM-DD HH:MM[:SS]" (Vietnam time) as ISO 8601 at +07:00. */
static json_t *iso(arena *a, const char *s)
{
	if (!s || strlen(s) < 16)
		return json_null();
	return json_string(
		arena_printf(a, "%.10sT%.5s:%s+07:00", s, s + 11, strlen(s) >= 19 ? s + 17 : "00"));
}

json_t *sync_row_json(arena *a, const struct sync_row *r)
{
	return json_pack("{s:s,s:s,s:s,s:s?,s:i,s:i,s:o,s:o,s:o,s:o,s:o}", "code", r->code,
			 "procedure", r->procedure_code, "agency", r->agency_code,
			 "agency_identifier", r->agency_identifier, "status", r->status, "channel",
			 r->channel, "submitted", iso(a, r->submitted_at), "received",
			 iso(a, r->received_at), "due", iso(a, r->due_at), "finished",
			 iso(a, r->finished_at), "updated", iso(a, r->updated_at));
}
