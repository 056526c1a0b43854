/*
 * agency_merge.h - merging agencies (sáp nhập đơn vị hành chính), as in the
 * 2025 two-level reorganisation: communes and wards merged, districts
 * abolished, departments merged.
 *
 * Merging OLD... into NEW, in ONE write:
 *   - the procedures each OLD carries out (procedure_agency) move to NEW,
 *     without duplicates;
 *   - officers' scopes: open (not closed) accounts of OLD get agency_code
 *     NEW; closed accounts keep the agency they worked for;
 *   - open dossiers (status 1 new, 2 received, 4 processing, 5 supplement
 *     requested, 6 financial obligation, 7 withdrawal requested) and drafts
 *     get agency_code NEW. Their codes do not change: a code is unique and
 *     lookups go by code, so old codes stay valid and show the agency
 *     handling them now. origin_agency_code (the agency that received the
 *     dossier) never changes, so statistics keep history by the old units;
 *     a draft was never received, so its origin moves with it. Finished
 *     dossiers (3, 8, 9, 10) stay with the agency that finished them;
 *   - current sub-units of OLD get a new parent: NEW when OLD and NEW are
 *     of the same level, OLD's own parent otherwise (a district's communes
 *     become the province's, as in 2025);
 *   - OLD stays as a row: successor_code = NEW, merged_at = now and
 *     valid_to = the day before (at the latest), so it leaves the current
 *     lists but keeps its name for history and old dossier codes;
 *   - one audit entry per OLD (action "agency.merge", subject
 *     "agency:<old>", data {into, procedures, officers, open_dossiers}) and
 *     one for NEW (subject "agency:<new>", data {from, procedures,
 *     officers, open_dossiers}).
 *
 * Refused (nothing written) unless: NEW exists and is current (not merged,
 * no successor, valid_to not passed); at least one OLD; each OLD exists,
 * is not NEW, is named once, was not merged already, has no other recorded
 * successor, and is not above NEW in the agency tree when its sub-units
 * would move to NEW (that would make a cycle). Levels must fit the reform
 * (OLD -> allowed NEW):
 *   province   -> province                        (provinces merged)
 *   department -> department                      (departments merged)
 *   district   -> province, department, commune  (district level abolished:
 *                                                  its tasks go up or down)
 *   commune    -> commune                         (communes and wards merged)
 *   unit       -> unit, department
 * As NEW is current and every OLD is not yet merged, the successor links
 * can form no cycle.
 */
#ifndef MOTCUA_AGENCY_MERGE_H
#define MOTCUA_AGENCY_MERGE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/status.h"
#include "db/db.h"

/* What moves (or would move) from one OLD agency. */
struct agency_merge_item {
	const char *code, *name, *level;
	int64_t procedures;	   /* its procedure links (moved to NEW) */
	int64_t new_procedures;	   /* of those, links NEW does not have yet (a dry
				    * run counts each OLD against NEW as it is) */
	int64_t officers;	   /* open officer accounts */
	int64_t open_dossiers;	   /* status 1, 2, 4, 5, 6, 7 */
	int64_t drafts;		   /* status 0 */
	int64_t finished_dossiers; /* stay with OLD */
	int64_t subunits;	   /* current sub-units that get a new parent */
	const char *subunits_to;   /* their new parent (NULL: the top of the tree) */
};

struct agency_merge_plan {
	const char *into, *into_name, *into_level;
	struct agency_merge_item *items;
	int n;
	const char *merged_at; /* "YYYY-MM-DD HH:MM:SS", set by agency_merge */
	/* Why it was refused (MC_INVALID): an i18n key ("merge.err.*") and its
	 * arguments {1} to {4}. */
	const char *problem;
	const char *args[4];
};

/*
 * Checks the merge of olds[0..nold) into `into` and counts what would move,
 * on a read connection; nothing is written (--dry-run). MC_INVALID with
 * out->problem set when it would be refused; MC_BUSY/MC_INTERNAL when the
 * database could not be read. Everything lives in a.
 */
mc_status agency_merge_check(db *d, arena *a, const char *into, const char *const *olds, int nold,
			     struct agency_merge_plan *out);

/*
 * Checks again and merges, in one db_write (the checks run inside it, on
 * the state being changed). actor is "system" or an account id, for the
 * audit entries. MC_INVALID with out->problem when refused, nothing
 * written; MC_OK with the counts of what moved.
 */
mc_status agency_merge(db *d, arena *a, const char *actor, const char *into,
		       const char *const *olds, int nold, struct agency_merge_plan *out);

/* The refusal of a plan in language l ("" when there is none). */
const char *agency_merge_problem(arena *a, enum lang l, const struct agency_merge_plan *p);

#endif
