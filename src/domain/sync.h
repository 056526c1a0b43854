/*
 * sync.h - the national sync export (đồng bộ hồ sơ lên Cổng DVC quốc gia):
 * dossier states in the national portal's vocabulary, incremental by an
 * opaque cursor.
 *
 * Every insert or update of a dossier takes the next number of a counter
 * into dossier.change_seq in the same transaction (migration 0011_sync.*:
 * a trigger; on PostgreSQL the counter row stays locked until commit, so
 * numbers become visible in order). A page holds the submitted dossiers
 * whose number is above the cursor's, in number order; its next cursor
 * carries the last number returned. A client that stores the cursor and
 * asks again gets every later change exactly once (a dossier changed twice
 * between two calls appears once, in its latest state). Drafts (no code)
 * are never exported.
 *
 * A row as JSON: {"code", "procedure", "agency", "agency_identifier",
 * "status" 1-10, "channel" 1-3, "submitted", "received", "due",
 * "finished", "updated"} with times in ISO 8601 at +07:00 (null when
 * unset).
 */
#ifndef MOTCUA_SYNC_H
#define MOTCUA_SYNC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

#define SYNC_PAGE_DEFAULT 500
#define SYNC_PAGE_MAX	  5000

struct sync_row {
	int64_t seq;
	const char *code, *procedure_code, *agency_code;
	const char *agency_identifier; /* NULL when the admin has not set it */
	int status, channel;
	const char *submitted_at, *received_at, *due_at, *finished_at, *updated_at;
};

struct sync_page {
	struct sync_row *rows;
	int n;
	const char *next_cursor; /* pass it back; the same as given when n is 0 */
	bool more;		 /* a full page: ask again at once */
};

/* The cursor before everything ("" or NULL also means that). */
#define SYNC_CURSOR_START "c0"

/* Parses a cursor; false for one this module did not make. */
bool sync_cursor_parse(const char *cursor, int64_t *seq);

/* One page after cursor (NULL or "": from the start). limit 1..SYNC_PAGE_MAX
 * (0: SYNC_PAGE_DEFAULT). MC_INVALID for a malformed cursor or limit. */
mc_status sync_page(db *d, arena *a, const char *cursor, int limit, struct sync_page *out);

/* The row as a new JSON object (see above). */
json_t *sync_row_json(arena *a, const struct sync_row *r);

#endif
