/*
 * stats.c - the statistics rollup, its queries and the 766 index (stats.h).
 */
#include "domain/stats.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/log.h"
#include "domain/audit.h"
#include "domain/jobs.h"

/* Stages where the dossier is over: nothing runs any more. */
#define TERMINAL "('refused', 'stopped', 'done', 'returned')"
/* Stages whose clock runs (backoffice.h's overdue queue, plus new ones):
 * past due_at they are overdue. Paused (financial) and supplement stages
 * are open but not overdue. */
#define RUNNING "('new', 'received', 'assigned', 'pending_approval', 'withdrawal')"
#define OVERDUE "(d.stage IN " RUNNING " AND d.due_at IS NOT NULL AND d.due_at < $4)"
/* Dossiers read per write of the rollup. */
#define ROLLUP_BATCH 10000
/* Seconds re-read before the watermark: a write stamped before the
 * previous round that committed after it. */
#define ROLLUP_OVERLAP 30

static const char *const group_names[STATS_NGROUPS] = {
	"transparency", "progress", "online", "digitisation", "payment", "satisfaction",
};
static const int group_weights[STATS_NGROUPS] = {18, 20, 12, 22, 10, 18};

const char *stats_group_name(enum stats_group g)
{
	return (unsigned)g < STATS_NGROUPS ? group_names[g] : "";
}

int stats_group_weight(enum stats_group g)
{
	return (unsigned)g < STATS_NGROUPS ? group_weights[g] : 0;
}

/*
 * The grade (xếp loại) of a 766 index of 100 points. Sources checked in
 * session 6: the ends are confirmed by a press summary of Decision
 * 766/QĐ-TTg (23/6/2022), not by its text: "Units with a total mark of
 * 90-100 are ranked excellent, while those receiving less than 50 points
 * are rated as weak" (https://en.vneconomy.vn/customs-sector-improving-
 * online-administrative-procedures.htm). The middle bands (good >= 80,
 * fair >= 70, average >= 50) were not found in any stored source; the
 * Decision's appendix should be checked before they are relied on.
 */
const char *stats_grade(double index)
{
	if (index >= 90)
		return "stats.grade.excellent";
	if (index >= 80)
		return "stats.grade.good";
	if (index >= 70)
		return "stats.grade.fair";
	if (index >= 50)
		return "stats.grade.average";
	return "stats.grade.weak";
}

static const char *vn_stamp(arena *a, time_t t)
{
	t += 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "YYYY-MM-DD HH:MM:SS" (Vietnam) -> Unix seconds; -1 when malformed. */
static time_t vn_parse(const char *s)
{
	struct tm tm = {0};
	if (!s || sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm) - 7 * 3600;
}

/* ---------------------------------------------------------------- rollup */

struct key {
	const char *agency;
	char day[11];
};

struct keyset {
	struct key *k;
	int n, cap;
	arena *a;
};

static void key_add(struct keyset *s, const char *agency, const char *stamp)
{
	if (!agency || !stamp || strlen(stamp) < 10)
		return;
	for (int i = s->n - 1; i >= 0 && i >= s->n - 8; i--) /* cheap dedupe of runs */
		if (strcmp(s->k[i].agency, agency) == 0 && strncmp(s->k[i].day, stamp, 10) == 0)
			return;
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 256;
		struct key *k = arena_alloc(s->a, (size_t)cap * sizeof(*k));
		if (s->n)
			memcpy(k, s->k, (size_t)s->n * sizeof(*k));
		s->k = k;
		s->cap = cap;
	}
	struct key *k = &s->k[s->n++];
	k->agency = arena_strdup(s->a, agency);
	memcpy(k->day, stamp, 10);
	k->day[10] = 0;
}

static int key_cmp(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int c = strcmp(a->agency, b->agency);
	return c ? c : strcmp(a->day, b->day);
}

static void key_unique(struct keyset *s)
{
	if (s->n < 2)
		return;
	qsort(s->k, (size_t)s->n, sizeof(*s->k), key_cmp);
	int w = 1;
	for (int i = 1; i < s->n; i++)
		if (key_cmp(&s->k[i], &s->k[w - 1]) != 0)
			s->k[w++] = s->k[i];
	s->n = w;
}

/* The day before day "YYYY-MM-DD". */
static void prev_day(const char *day, char out[11])
{
	struct tm tm = {0};
	if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		snprintf(out, 11, "0000-00-00");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday -= 1;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The day after day "YYYY-MM-DD". */
static void next_day(const char *day, char out[11])
{
	struct tm tm = {0};
	if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		snprintf(out, 11, "9999-12-31");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += 1;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

#define DONE "d.stage IN ('done', 'returned')"
#define WITHDRAWN                                                                                  \
	"EXISTS (SELECT 1 FROM dossier_event v WHERE v.dossier_id = d.id"                          \
	" AND v.action = 'withdraw_accept')"
#define ONE(cond) "CASE WHEN " cond " THEN 1 ELSE 0 END"
/* Payments that count as online (thanh toán trực tuyến): a gateway
 * callback or a bank transfer by VietQR matched from a statement; not an
 * officer recording money taken at the desk. */
#define ONLINE_PAYMENT "p.source IN ('gateway', 'qr-statement')"
#define HAS_FEE	       "EXISTS (SELECT 1 FROM dossier_fee e WHERE e.dossier_id = d.id)"

/* The counters of stats_day, stats_month and stats_unit_month, in the order
 * of struct stats_figures: the one list every SQL text below is made from.
 * Each is C(column, value for a dossier received that day, value for a
 * dossier ended that day, value for a rating made that day) (days_sql's
 * three arms); F(...) for the first, X(...) for the others. */
/* clang-format off */
#define COUNTERS(F, X)                                                                             \
	F(received, "1", "0", "0")                                                                 \
	X(recv_desk, ONE("d.channel = 1"), "0", "0")                                              \
	X(recv_online, ONE("d.channel = 2"), "0", "0")                                            \
	X(recv_post, ONE("d.channel = 3"), "0", "0")                                              \
	X(digitised, ONE("EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_id = d.id)"), "0", "0") \
	X(supplemented, ONE("d.supplements > 0"), "0", "0")                                       \
	X(open_ok, ONE("d.stage NOT IN " TERMINAL " AND NOT " OVERDUE), "0", "0")                 \
	X(open_overdue, ONE(OVERDUE), "0", "0")                                                   \
	X(finished, "0", ONE(DONE), "0")                                                          \
	X(early, "0", ONE(DONE " AND d.supplements <= 1 AND d.due_at IS NOT NULL"                 \
		" AND substr(d.finished_at, 1, 10) < substr(d.due_at, 1, 10)"), "0")               \
	X(on_time, "0", ONE(DONE " AND d.supplements <= 1 AND (d.due_at IS NULL"                  \
		" OR (substr(d.finished_at, 1, 10) >= substr(d.due_at, 1, 10)"                     \
		" AND d.finished_at <= d.due_at))"), "0")                                          \
	X(late, "0", ONE(DONE " AND (d.supplements > 1 OR d.finished_at > d.due_at)"), "0")       \
	X(returned, "0", ONE("d.stage = 'returned'"), "0")                                        \
	X(refused, "0", ONE("d.stage = 'refused'"), "0")                                          \
	X(withdrawn, "0", ONE("d.stage = 'stopped' AND " WITHDRAWN), "0")                         \
	X(stopped, "0", ONE("d.stage = 'stopped' AND NOT " WITHDRAWN), "0")                       \
	X(fee_due, ONE(HAS_FEE), "0", "0")                                                        \
	X(paid_online, ONE(HAS_FEE " AND EXISTS (SELECT 1 FROM payment p"                         \
		" WHERE p.dossier_id = d.id AND " ONLINE_PAYMENT ")"), "0", "0")                   \
	X(rated, "0", "0", "1")                                                                   \
	X(satisfied, "0", "0", ONE("r.overall_score > 0"))
/* clang-format on */
#define NCOUNTERS		    20
#define COL_FIRST(c, rv, en, rt)    #c
#define COL_NEXT(c, rv, en, rt)	    ", " #c
#define SUM_FIRST(c, rv, en, rt)    "SUM(s." #c ")"
#define SUM_NEXT(c, rv, en, rt)	    ", SUM(s." #c ")"
#define XSUM_FIRST(c, rv, en, rt)   "SUM(x." #c ")"
#define XSUM_NEXT(c, rv, en, rt)    ", SUM(x." #c ")"
#define RECV_FIRST(c, rv, en, rt)   rv " AS " #c
#define RECV_NEXT(c, rv, en, rt)    ", " rv " AS " #c
#define END_FIRST(c, rv, en, rt)    en
#define END_NEXT(c, rv, en, rt)	    ", " en
#define RATING_FIRST(c, rv, en, rt) rt
#define RATING_NEXT(c, rv, en, rt)  ", " rt
#define COLS			    COUNTERS(COL_FIRST, COL_NEXT)
#define SUMS			    COUNTERS(SUM_FIRST, SUM_NEXT)

/* The rows of unit $3 between day $1 (inclusive) and day $2 (exclusive),
 * as of $4 (now): one per dossier received, one per dossier ended and one
 * per rating made in the range, summed per day and procedure. The
 * incremental rollup calls it for one day, the first build for all time
 * ('0000-00-00' .. '9999-99-99'): one SQL text, so both give the same
 * figures. Indexes: dossier_agency_submitted, dossier_agency_finished,
 * rating_agency. */
static const char days_sql[] =
	"INSERT INTO stats_day (day, agency_code, procedure_code, " COLS ", at)"
	" SELECT x.day, $3, x.procedure_code, " COUNTERS(
		XSUM_FIRST,
		XSUM_NEXT) ", $4 FROM ("
			   " SELECT substr(d.submitted_at, 1, 10) AS day, d.procedure_code AS "
			   "procedure_code, " COUNTERS(
				   RECV_FIRST,
				   RECV_NEXT) " FROM dossier d WHERE d.agency_code = $3 AND "
					      "d.status > 0"
					      " AND d.submitted_at >= $1 AND d.submitted_at < $2"
					      " UNION ALL"
					      " SELECT substr(d.finished_at, 1, 10), "
					      "d.procedure_code, " COUNTERS(
						      END_FIRST,
						      END_NEXT) " FROM dossier d WHERE "
								"d.agency_code = $3 AND d.status > "
								"0"
								" AND d.finished_at >= $1 AND "
								"d.finished_at < $2"
								" UNION ALL"
								" SELECT substr(r.created_at, 1, "
								"10), d.procedure_code, " COUNTERS(
									RATING_FIRST,
									RATING_NEXT) " FROM rating "
										     "r JOIN "
										     "dossier d ON "
										     "d.id = "
										     "r.dossier_id"
										     " WHERE "
										     "r.agency_"
										     "code = $3 "
										     "AND "
										     "r.created_at "
										     ">= $1 AND "
										     "r.created_at "
										     "< $2"
										     ") x GROUP BY "
										     "x.day, "
										     "x.procedure_"
										     "code";

/* stats_month of unit $1 from its day rows between $2 and $3 (days, $3
 * excluded), then stats_unit_month from those. */
static const char month_sql[] =
	"INSERT INTO stats_month (month, agency_code, field_code, " COLS ")"
	" SELECT substr(s.day, 1, 7), s.agency_code, COALESCE(p.field_code, ''), " SUMS
	" FROM stats_day s LEFT JOIN procedure p ON p.code = s.procedure_code"
	" WHERE s.agency_code = $1 AND s.day >= $2 AND s.day < $3"
	" GROUP BY substr(s.day, 1, 7), s.agency_code, COALESCE(p.field_code, '')";
static const char unit_month_sql[] = "INSERT INTO stats_unit_month (month, agency_code, " COLS ")"
				     " SELECT s.month, s.agency_code, " SUMS " FROM stats_month s"
				     " WHERE s.agency_code = $1 AND s.month >= $2 AND s.month < $3"
				     " GROUP BY s.month, s.agency_code";

/* A range of a unit's rows: days [day_from, day_to), months [month_from,
 * month_to). */
struct range {
	const char *unit, *day_from, *day_to, *month_from, *month_to;
};

/* Rebuilds the unit's day rows of the range. */
static mc_status days_rebuild(db_conn *c, const struct range *g, const char *now)
{
	mc_status st =
		db_exec(c,
			"DELETE FROM stats_day WHERE agency_code = $1 AND day >= $2"
			" AND day < $3",
			DB_ARGS(DB_TEXT(g->unit), DB_TEXT(g->day_from), DB_TEXT(g->day_to)), NULL);
	if (st == MC_OK)
		st = db_exec(c, days_sql,
			     DB_ARGS(DB_TEXT(g->day_from), DB_TEXT(g->day_to), DB_TEXT(g->unit),
				     DB_TEXT(now)),
			     NULL);
	return st;
}

/* Re-sums the unit's months of the range (the range is whole months). */
static mc_status months_rebuild(db_conn *c, const struct range *g)
{
	mc_status st = db_exec(
		c,
		"DELETE FROM stats_month WHERE agency_code = $1 AND month >= $2"
		" AND month < $3",
		DB_ARGS(DB_TEXT(g->unit), DB_TEXT(g->month_from), DB_TEXT(g->month_to)), NULL);
	if (st == MC_OK)
		st = db_exec(c, month_sql,
			     DB_ARGS(DB_TEXT(g->unit), DB_TEXT(g->day_from), DB_TEXT(g->day_to)),
			     NULL);
	if (st == MC_OK)
		st = db_exec(
			c,
			"DELETE FROM stats_unit_month WHERE agency_code = $1 AND month >= $2"
			" AND month < $3",
			DB_ARGS(DB_TEXT(g->unit), DB_TEXT(g->month_from), DB_TEXT(g->month_to)),
			NULL);
	if (st == MC_OK)
		st = db_exec(
			c, unit_month_sql,
			DB_ARGS(DB_TEXT(g->unit), DB_TEXT(g->month_from), DB_TEXT(g->month_to)),
			NULL);
	return st;
}

/* Re-sums the month of key k (the keys are sorted, so each month once). */
static mc_status month_rebuild(db_conn *c, const struct key *k)
{
	char month[8], first[16], next[24], next_month[16];
	snprintf(month, sizeof(month), "%.7s", k->day);
	snprintf(first, sizeof(first), "%s-01", month);
	int y = (k->day[0] - '0') * 1000 + (k->day[1] - '0') * 100 + (k->day[2] - '0') * 10 +
		(k->day[3] - '0');
	int m = (k->day[5] - '0') * 10 + (k->day[6] - '0');
	snprintf(next, sizeof(next), "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	snprintf(next_month, sizeof(next_month), "%.7s", next);
	struct range g = {k->agency, first, next, month, next_month};
	return months_rebuild(c, &g);
}

struct seen {
	const char *id, *agency, *recv_day, *end_day;
};

struct batch {
	struct keyset *keys;
	struct seen *seen;
	int nseen;
	const char *now, *watermark;
};

static mc_status state_put(db_conn *c, const char *key, const char *value)
{
	return db_exec(c,
		       "INSERT INTO stats_state (key, value) VALUES ($1, $2)"
		       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		       DB_ARGS(DB_TEXT(key), DB_TEXT(value)), NULL);
}

static mc_status batch_write(db_conn *c, void *p)
{
	struct batch *b = p;
	mc_status st = MC_OK;
	for (int i = 0; i < b->keys->n && st == MC_OK; i++) {
		const struct key *k = &b->keys->k[i];
		char next[11];
		next_day(k->day, next);
		struct range g = {k->agency, k->day, next, NULL, NULL};
		st = days_rebuild(c, &g, b->now);
		/* the month, once after its last day of this unit in the batch */
		const struct key *n = i + 1 < b->keys->n ? &b->keys->k[i + 1] : NULL;
		if (st == MC_OK &&
		    (!n || strcmp(n->agency, k->agency) != 0 || strncmp(n->day, k->day, 7) != 0))
			st = month_rebuild(c, k);
	}
	for (int i = 0; i < b->nseen && st == MC_OK; i++) {
		const struct seen *s = &b->seen[i];
		st = db_exec(c,
			     "INSERT INTO stats_seen (dossier_id, agency_code, recv_day, end_day)"
			     " VALUES ($1, $2, $3, $4) ON CONFLICT (dossier_id) DO UPDATE SET"
			     " agency_code = excluded.agency_code, recv_day = excluded.recv_day,"
			     " end_day = excluded.end_day",
			     DB_ARGS(DB_TEXT(s->id), DB_TEXT(s->agency), DB_TEXT(s->recv_day),
				     DB_TEXT(s->end_day)),
			     NULL);
	}
	if (st == MC_OK && b->watermark)
		st = state_put(c, "watermark", b->watermark);
	if (st != MC_OK)
		log_error("stats: rollup write failed: %s", db_errmsg(c));
	return st;
}

static const char *state_get(db_conn *rd, arena *a, const char *key, const char *dflt)
{
	db_result *r;
	if (db_query(rd, a, "SELECT value FROM stats_state WHERE key = $1", DB_ARGS(DB_TEXT(key)),
		     &r) != MC_OK ||
	    db_nrows(r) == 0)
		return dflt;
	return db_text(r, 0, 0);
}

static const char *day_of(arena *a, const char *stamp)
{
	return stamp && strlen(stamp) >= 10 ? arena_strndup(a, stamp, 10) : NULL;
}

static mc_status write_keys(db *d, struct batch *b)
{
	key_unique(b->keys);
	/* Large key sets go in several writes so that the writer is never held
	 * long; the watermark goes with the last one. */
	struct keyset all = *b->keys;
	const char *wm = b->watermark;
	mc_status st = MC_OK;
	for (int off = 0; off < all.n || off == 0; off += 200) {
		struct keyset part = all;
		part.k = all.k + off;
		part.n = all.n - off < 200 ? all.n - off : 200;
		bool last = off + 200 >= all.n;
		struct batch one = {&part, last ? b->seen : NULL, last ? b->nseen : 0, b->now,
				    last ? wm : NULL};
		st = db_write(d, batch_write, &one);
		if (st != MC_OK || last)
			break;
	}
	return st;
}

/* ---- the first build (set-based) ----
 *
 * When more than REBUILD_BEHIND dossiers changed since the watermark (a
 * database that had dossiers before the statistics, a restore, a node that
 * was stopped for long), the per-key path would rebuild hundreds of thousands of unit-days one
 * by one. The build instead takes one unit per write and rebuilds all of
 * its days, months and stats_seen rows with days_sql over all time: three
 * index range scans and a GROUP BY, whatever the number of days. State:
 * 'build_at' (the round's time the build counts as of; it becomes the
 * watermark at the end) and 'build_next' (units below it are done), so a
 * build cut by the lease deadline goes on in the next round. stats_seen is
 * emptied when a build starts and each dossier is recorded by the first
 * unit that counts it (DO NOTHING): a dossier transferred during the build
 * is changed after build_at, and the incremental pass that follows then
 * rebuilds both the unit in stats_seen and its current one. */
#define REBUILD_BEHIND 50000

struct build {
	const char *unit, *at, *next; /* next: the unit after, NULL at the end */
	bool start;
};

static mc_status build_write(db_conn *c, void *p)
{
	const struct build *b = p;
	mc_status st = MC_OK;
	if (b->start) {
		st = db_exec(c, "DELETE FROM stats_seen", DB_NOARGS, NULL);
		if (st == MC_OK)
			st = state_put(c, "build_at", b->at);
		if (st == MC_OK)
			st = state_put(c, "build_next", "");
		return st;
	}
	if (b->unit) {
		struct range g = {b->unit, "0000-00-00", "9999-99-99", "0000-00", "9999-99"};
		st = days_rebuild(c, &g, b->at);
		if (st == MC_OK)
			st = months_rebuild(c, &g);
		if (st == MC_OK)
			st = db_exec(c,
				     "INSERT INTO stats_seen (dossier_id, agency_code, recv_day,"
				     " end_day) SELECT d.id, d.agency_code,"
				     " substr(d.submitted_at, 1, 10), substr(d.finished_at, 1, 10)"
				     " FROM dossier d WHERE d.agency_code = $1 AND d.status > 0"
				     " ON CONFLICT (dossier_id) DO NOTHING",
				     DB_ARGS(DB_TEXT(b->unit)), NULL);
		if (st == MC_OK)
			st = state_put(c, "build_next", b->unit);
	}
	if (st == MC_OK && !b->next) {
		st = state_put(c, "watermark", b->at);
		if (st == MC_OK)
			st = state_put(c, "now", b->at);
		if (st == MC_OK)
			st = db_exec(c,
				     "DELETE FROM stats_state WHERE key IN ('build_at',"
				     " 'build_next')",
				     DB_NOARGS, NULL);
	}
	if (st != MC_OK)
		log_error("stats: first build write failed: %s", db_errmsg(c));
	return st;
}

/* More than REBUILD_BEHIND dossiers changed since the watermark, up to
 * now. Rows stamped after now (another node's clock ahead, imported data)
 * are not counted: the round reads only up to now, so they would never
 * move the watermark and every round would start a full build again
 * (bench/gen's ten million had 69,137 such rows: the server rebuilt
 * everything in a loop). */
static bool far_behind(db_conn *rd, arena *a, const char *wm, const char *now)
{
	db_result *r;
	return db_query(rd, a,
			"SELECT COUNT(*) FROM (SELECT 1 FROM dossier WHERE updated_at >= $1"
			" AND updated_at <= $2 LIMIT $3) t",
			DB_ARGS(DB_TEXT(wm), DB_TEXT(now), DB_INT(REBUILD_BEHIND + 1)),
			&r) == MC_OK &&
	       db_int(r, 0, 0) > REBUILD_BEHIND;
}

mc_status stats_build(db *d, arena *a, const char *now, time_t deadline, int *units,
		      const struct stats_progress *pr, bool *done)
{
	db_conn *rd = db_reader(d);
	if (!rd)
		return MC_BUSY;
	if (!now)
		now = vn_stamp(a, time(NULL));
	*done = false;
	const char *at = state_get(rd, a, "build_at", NULL);
	if (!at) {
		struct build b = {.at = now, .start = true};
		mc_status st = db_write(d, build_write, &b);
		if (st != MC_OK)
			return st;
		at = now;
		log_info("stats: first build (set-based) as of %s", at);
	}
	const char *after = state_get(rd, a, "build_next", "");
	db_result *all;
	mc_status st = db_query(rd, a,
				"SELECT code, CASE WHEN code <= $1 THEN 1 ELSE 0 END FROM agency"
				" ORDER BY code",
				DB_ARGS(DB_TEXT(after)), &all);
	if (st != MC_OK)
		return st;
	int total = db_nrows(all), i = 0;
	while (i < total && db_int(all, i, 1))
		i++;
	for (; i <= total; i++) {
		struct build b = {.unit = i < total ? db_text(all, i, 0) : NULL,
				  .at = at,
				  .next = i + 1 < total ? db_text(all, i + 1, 0) : NULL};
		if ((st = db_write(d, build_write, &b)) != MC_OK)
			return st;
		if (pr && pr->fn)
			pr->fn(pr->ctx, i < total ? i + 1 : total, total);
		if (b.unit && units)
			(*units)++;
		if (!b.unit || !b.next)
			break;
		if ((deadline && time(NULL) >= deadline) || jobs_stopping())
			return MC_OK;
	}
	*done = true;
	return MC_OK;
}

struct gauges {
	const char *now;
	db_result *overdue;
	int64_t mail_backlog;
};

static mc_status gauges_write(db_conn *c, void *p)
{
	const struct gauges *g = p;
	mc_status st = db_exec(c, "DELETE FROM stats_gauge", DB_NOARGS, NULL);
	for (int i = 0; st == MC_OK && i < db_nrows(g->overdue); i++)
		st = db_exec(c,
			     "INSERT INTO stats_gauge (name, label, value) VALUES"
			     " ('overdue_open', $1, $2)",
			     DB_ARGS(DB_TEXT(db_text(g->overdue, i, 0)),
				     DB_INT(db_int(g->overdue, i, 1))),
			     NULL);
	if (st == MC_OK)
		st = db_exec(c,
			     "INSERT INTO stats_gauge (name, label, value) VALUES"
			     " ('outbox_backlog', 'mail', $1)",
			     DB_ARGS(DB_INT(g->mail_backlog)), NULL);
	if (st == MC_OK)
		st = state_put(c, "now", g->now);
	return st;
}

/* Keys of what changed since the last round (from, to] without moving a
 * dossier: open dossiers whose due time passed (reception day), ratings
 * made (their day) and payments recorded (the dossier's reception day). */
static mc_status side_keys(db_conn *rd, arena *a, const char *from, const char *to,
			   struct keyset *keys)
{
	static const char *const sql[] = {
		"SELECT d.agency_code, d.submitted_at FROM dossier d"
		" WHERE d.stage IN " RUNNING " AND d.due_at > $1 AND d.due_at <= $2",
		"SELECT r.agency_code, r.created_at FROM rating r"
		" WHERE r.created_at > $1 AND r.created_at <= $2",
		"SELECT d.agency_code, d.submitted_at FROM payment p"
		" JOIN dossier d ON d.id = p.dossier_id"
		" WHERE p.recorded_at > $1 AND p.recorded_at <= $2",
	};
	for (size_t q = 0; q < sizeof(sql) / sizeof(sql[0]); q++) {
		db_result *r;
		mc_status st = db_query(rd, a, sql[q], DB_ARGS(DB_TEXT(from), DB_TEXT(to)), &r);
		if (st != MC_OK)
			return st;
		for (int i = 0; i < db_nrows(r); i++)
			key_add(keys, db_text(r, i, 0), db_text(r, i, 1));
	}
	return MC_OK;
}

mc_status stats_rollup(db *d, arena *a, const char *now, time_t deadline, int *nkeys)
{
	return stats_rollup_progress(d, a, now, deadline, nkeys, NULL);
}

mc_status stats_rollup_progress(db *d, arena *a, const char *now, time_t deadline, int *nkeys,
				const struct stats_progress *pr)
{
	db_conn *rd = db_reader(d);
	if (!rd)
		return MC_BUSY;
	if (!now)
		now = vn_stamp(a, time(NULL));
	if (nkeys)
		*nkeys = 0;
	const char *wm = state_get(rd, a, "watermark", "0000-00-00 00:00:00");
	mc_status st;
	if (state_get(rd, a, "build_at", NULL) || far_behind(rd, a, wm, now)) {
		bool done;
		st = stats_build(d, a, now, deadline, nkeys, pr, &done);
		if (st != MC_OK || !done)
			return st;
		wm = state_get(rd, a, "watermark", wm);
	}
	const char *last_now = state_get(rd, a, "now", "0000-00-00 00:00:00");
	time_t w = vn_parse(wm);
	const char *lo = w > ROLLUP_OVERLAP ? vn_stamp(a, w - ROLLUP_OVERLAP) : wm;
	time_t ln = vn_parse(last_now);
	const char *last_lo = ln > ROLLUP_OVERLAP ? vn_stamp(a, ln - ROLLUP_OVERLAP) : last_now;
	/*
	 * Dossiers changed since the watermark, in keyset batches: from
	 * (from, after_id) exclusive, i.e. updated_at > from, or = from with a
	 * greater id. The batch's lower bound is the one range on updated_at
	 * the planner sees: written as "updated_at > $3 OR (updated_at = $3
	 * AND ...)" SQLite derived updated_at >= '' from the OR and walked the
	 * whole dossier_updated index every round (bench/stats.sh: 0.1 s of a
	 * reader's CPU per round at a million dossiers, ~1 s at ten million).
	 * The first batch starts at lo with no id to skip ('' is below every
	 * id).
	 */
	const char *from = lo, *after_id = "";
	for (;;) {
		db_result *r;
		st = db_query(
			rd, a,
			"SELECT d.id, d.agency_code, d.submitted_at, d.finished_at, d.updated_at,"
			" s.agency_code, s.recv_day, s.end_day FROM dossier d"
			" LEFT JOIN stats_seen s ON s.dossier_id = d.id"
			" WHERE d.updated_at >= $1 AND d.updated_at <= $2 AND d.status > 0"
			" AND NOT (d.updated_at = $1 AND d.id <= $3)"
			" ORDER BY d.updated_at, d.id LIMIT $4",
			DB_ARGS(DB_TEXT(from), DB_TEXT(now), DB_TEXT(after_id),
				DB_INT(ROLLUP_BATCH)),
			&r);
		if (st != MC_OK) {
			log_error("stats: reading changes failed: %s", db_errmsg(rd));
			return st;
		}
		int n = db_nrows(r);
		struct keyset keys = {.a = a};
		struct batch b = {&keys, arena_calloc(a, (size_t)n + 1, sizeof(struct seen)), n,
				  now, NULL};
		for (int i = 0; i < n; i++) {
			const char *agency = db_text(r, i, 1);
			key_add(&keys, agency, db_text(r, i, 2));
			key_add(&keys, agency, db_text(r, i, 3));
			if (!db_isnull(r, i, 5)) {
				key_add(&keys, db_text(r, i, 5), db_text(r, i, 6));
				key_add(&keys, db_text(r, i, 5), db_text(r, i, 7));
			}
			b.seen[i] =
				(struct seen){db_text(r, i, 0), agency, day_of(a, db_text(r, i, 2)),
					      day_of(a, db_text(r, i, 3))};
		}
		if (n > 0) {
			from = db_text(r, n - 1, 4);
			after_id = db_text(r, n - 1, 0);
			b.watermark = from;
			st = write_keys(d, &b);
			if (st != MC_OK)
				return st;
			if (nkeys)
				*nkeys += keys.n;
		}
		if (n < ROLLUP_BATCH)
			break;
		/* out of time (the lease) or stopping: the next round goes on
		 * from the watermark written with the last batch */
		if ((deadline && time(NULL) >= deadline) || jobs_stopping())
			return MC_OK;
	}
	/* Overdue since the last round, ratings and payments. The due times
	 * are exact (no overlap: a due time is not a write); ratings and
	 * payments re-read the overlap like dossiers. */
	struct keyset keys = {.a = a};
	st = side_keys(rd, a, last_now, now, &keys);
	if (st == MC_OK && strcmp(last_lo, last_now) != 0)
		st = side_keys(rd, a, last_lo, last_now, &keys);
	if (st != MC_OK)
		return st;
	struct batch b = {&keys, NULL, 0, now, NULL};
	if (keys.n > 0 && (st = write_keys(d, &b)) != MC_OK)
		return st;
	if (nkeys)
		*nkeys += keys.n;
	/* Gauges, then the round's time. */
	struct gauges g = {0};
	db_result *m;
	st = db_query(rd, a,
		      "SELECT d.agency_code, COUNT(*) FROM dossier d WHERE d.stage IN " RUNNING
		      " AND d.due_at < $1 GROUP BY d.agency_code ORDER BY d.agency_code",
		      DB_ARGS(DB_TEXT(now)), &g.overdue);
	if (st == MC_OK)
		st = db_query(rd, a, "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL",
			      DB_NOARGS, &m);
	if (st != MC_OK)
		return st;
	g.mail_backlog = db_int(m, 0, 0);
	g.now = now;
	return db_write(d, gauges_write, &g);
}

mc_status stats_job_step(struct app *app, time_t deadline)
{
	arena *a = arena_new(0);
	if (!a)
		return MC_INTERNAL;
	int keys = 0;
	mc_status st = stats_rollup(app->db, a, NULL, deadline, &keys);
	if (st == MC_OK && keys > 0)
		log_info("stats: %d unit-days rebuilt", keys);
	arena_free(a);
	return st;
}

/* ---------------------------------------------------------------- filters */

static bool code_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || *p == '.' || *p == '-' || *p == '_'))
			return false;
	return true;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* "YYYY-MM-DD" that exists in the calendar. */
static bool day_ok(const char *s)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-' || y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1)
		return false;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 ? leap : 0);
}

static int month_days(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 ? leap : 0);
}

/* The year of "YYYY-..." (already checked). */
static int year_of(const char *s)
{
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

static const char *const levels[] = {"province", "department", "district", "commune", "unit"};

mc_status stats_filter_parse(arena *a, const char *period, const char *from, const char *to,
			     const char *today, struct stats_filter *f, const char **why)
{
	*why = NULL;
	int y = 0, q = 0, m = 0;
	char tail;
	size_t len = period ? strlen(period) : 0;
	if (!empty(period)) {
		if (!empty(from) || !empty(to)) {
			*why = "stats.error.period";
			return MC_INVALID;
		}
		if (len == 4 && sscanf(period, "%4d%c", &y, &tail) == 1 && y >= 2000 && y <= 2999) {
			f->from = arena_printf(a, "%04d-01-01", y);
			f->to = arena_printf(a, "%04d-12-31", y);
		} else if (len == 7 && sscanf(period, "%4d-Q%1d%c", &y, &q, &tail) == 2 &&
			   y >= 2000 && y <= 2999 && q >= 1 && q <= 4) {
			f->from = arena_printf(a, "%04d-%02d-01", y, 3 * q - 2);
			f->to = arena_printf(a, "%04d-%02d-%02d", y, 3 * q, month_days(y, 3 * q));
		} else if (len == 7 && period[4] == '-' &&
			   sscanf(period, "%4d-%2d%c", &y, &m, &tail) == 2 && y >= 2000 &&
			   y <= 2999 && m >= 1 && m <= 12) {
			f->from = arena_printf(a, "%04d-%02d-01", y, m);
			f->to = arena_printf(a, "%04d-%02d-%02d", y, m, month_days(y, m));
		} else {
			*why = "stats.error.period";
			return MC_INVALID;
		}
		f->period = arena_strdup(a, period);
	} else if (!empty(from) || !empty(to)) {
		if (!day_ok(from) || !day_ok(to)) {
			*why = "stats.error.period";
			return MC_INVALID;
		}
		int fy = year_of(from), ty = year_of(to);
		if (strcmp(from, to) > 0 || ty - fy > 5) {
			*why = "stats.error.range";
			return MC_INVALID;
		}
		f->from = arena_strdup(a, from);
		f->to = arena_strdup(a, to);
		f->period = arena_printf(a, "%s..%s", from, to);
	} else {
		if (!today || strlen(today) < 10)
			return MC_INTERNAL;
		f->from = arena_printf(a, "%.4s-01-01", today);
		f->to = arena_strndup(a, today, 10);
		f->period = arena_strndup(a, today, 4);
	}
	f->year = year_of(f->to);
	const char *const codes[] = {f->agency, f->field, f->procedure};
	for (int i = 0; i < 3; i++)
		if (!empty(codes[i]) && !code_ok(codes[i])) {
			*why = "stats.error.filter";
			return MC_INVALID;
		}
	if (empty(f->agency))
		f->agency = NULL;
	if (empty(f->field))
		f->field = NULL;
	if (empty(f->procedure))
		f->procedure = NULL;
	if (empty(f->level)) {
		f->level = NULL;
	} else {
		bool ok = false;
		for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			ok = ok || strcmp(f->level, levels[i]) == 0;
		if (!ok) {
			*why = "stats.error.filter";
			return MC_INVALID;
		}
	}
	return MC_OK;
}

/* ---------------------------------------------------------------- queries */

static double rate(int64_t num, int64_t den)
{
	return den > 0 ? 100.0 * (double)num / (double)den : -1;
}

static void figures_rates(struct stats_figures *x)
{
	x->online_rate = rate(x->recv_online, x->received);
	x->on_time_rate = rate(x->early + x->on_time, x->finished);
	x->digitisation_rate = rate(x->digitised, x->received);
	x->payment_rate = rate(x->paid_online, x->fee_due);
	x->satisfaction_rate = rate(x->satisfied, x->rated);
}

static void figures_add(struct stats_figures *t, const struct stats_figures *x)
{
	int64_t *dst = &t->received;
	const int64_t *src = &x->received;
	for (int i = 0; i < NCOUNTERS; i++)
		dst[i] += src[i];
	t->carried += x->carried;
}

static void figures_read(const db_result *r, int row, int col, struct stats_figures *x)
{
	int64_t *dst = &x->received;
	for (int i = 0; i < NCOUNTERS; i++)
		dst[i] = db_int(r, row, col + i);
	figures_rates(x);
}

/* FROM ... WHERE of a filter, with its arguments from $1. */
struct where {
	const char *month_expr; /* the month of a row */
	char sql[512];
	db_arg args[6];
	int nargs;
};

/* Whole months without a procedure filter: stats_month answers. */
static bool monthly(const struct stats_filter *f)
{
	if (f->procedure || strcmp(f->from + 8, "01") != 0)
		return false;
	int y = year_of(f->to), m = (f->to[5] - '0') * 10 + (f->to[6] - '0');
	char last[11];
	snprintf(last, sizeof(last), "%.7s-%02d", f->to, month_days(y, m));
	return strcmp(last, f->to) == 0;
}

static void where_build(arena *a, const struct stats_filter *f, struct where *w)
{
	w->nargs = 0;
	w->month_expr = "substr(s.day, 1, 7)";
	int n;
	bool by_month = monthly(f);
	if (by_month) {
		/* without a field: one row per unit and month (stats_unit_month) */
		w->month_expr = "s.month";
		w->args[w->nargs++] = DB_TEXT(arena_strndup(a, f->from, 7));
		w->args[w->nargs++] = DB_TEXT(arena_strndup(a, f->to, 7));
		n = snprintf(w->sql, sizeof(w->sql),
			     " FROM %s s JOIN agency a ON a.code = s.agency_code"
			     " WHERE s.month >= $1 AND s.month <= $2",
			     f->field ? "stats_month" : "stats_unit_month");
	} else {
		w->args[w->nargs++] = DB_TEXT(f->from);
		w->args[w->nargs++] = DB_TEXT(f->to);
		n = snprintf(w->sql, sizeof(w->sql),
			     " FROM stats_day s JOIN agency a ON a.code = s.agency_code"
			     " LEFT JOIN procedure p ON p.code = s.procedure_code"
			     " WHERE s.day >= $1 AND s.day <= $2");
	}
	const char *cols[] = {"s.agency_code", by_month ? "s.field_code" : "p.field_code",
			      "s.procedure_code", "a.level"};
	const char *vals[] = {f->agency, f->field, f->procedure, f->level};
	for (int i = 0; i < 4; i++) {
		if (!vals[i])
			continue;
		w->args[w->nargs++] = DB_TEXT(vals[i]);
		n += snprintf(w->sql + n, sizeof(w->sql) - (size_t)n, " AND %s = $%d", cols[i],
			      w->nargs);
	}
}

static void score_compute(struct stats_score *s, const struct stats_figures *x, double transparency)
{
	double rates[STATS_NGROUPS] = {transparency,	     x->on_time_rate, x->online_rate,
				       x->digitisation_rate, x->payment_rate, x->satisfaction_rate};
	memset(s, 0, sizeof(*s));
	for (int g = 0; g < STATS_NGROUPS; g++) {
		if (rates[g] < 0)
			continue;
		s->has[g] = true;
		s->points[g] = group_weights[g] * rates[g] / 100.0;
		s->total += s->points[g];
		s->scored_max += group_weights[g];
	}
	s->index = s->scored_max > 0 ? 100.0 * s->total / s->scored_max : 0;
	s->grade = s->scored_max > 0 ? stats_grade(s->index) : NULL;
}

static const char *const target_metrics[] = {"on_time_rate",	  "online_rate",
					     "digitisation_rate", "online_payment_rate",
					     "satisfaction_rate", "index"};
#define NTARGET_METRICS (int)(sizeof(target_metrics) / sizeof(target_metrics[0]))

bool stats_target_metric_ok(const char *metric)
{
	for (int i = 0; metric && i < NTARGET_METRICS; i++)
		if (strcmp(metric, target_metrics[i]) == 0)
			return true;
	return false;
}

static double metric_actual(const struct stats_unit *u, const char *metric)
{
	const double v[] = {
		u->fig.on_time_rate,	  u->fig.online_rate,
		u->fig.digitisation_rate, u->fig.payment_rate,
		u->fig.satisfaction_rate, u->score.scored_max > 0 ? u->score.index : -1};
	for (int i = 0; i < NTARGET_METRICS; i++)
		if (strcmp(metric, target_metrics[i]) == 0)
			return v[i];
	return -1;
}

static int unit_cmp(const void *x, const void *y)
{
	const struct stats_unit *a = x, *b = y;
	if (a->score.index != b->score.index)
		return a->score.index > b->score.index ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* Transparency per unit: the mean of the months entered in the period. */
static mc_status transparency_read(db_conn *rd, arena *a, const struct stats_filter *f,
				   db_result **out)
{
	return db_query(
		rd, a,
		"SELECT agency_code, SUM(value), COUNT(*) FROM stats_input"
		" WHERE metric = 'transparency' AND month >= $1 AND month <= $2"
		" GROUP BY agency_code",
		DB_ARGS(DB_TEXT(arena_strndup(a, f->from, 7)), DB_TEXT(arena_strndup(a, f->to, 7))),
		out);
}

/* Received minus ended per unit of the rows before the period, with the
 * name and level of the unit. Whole months before the period's month from
 * the month rows (from the beginning, '0000-01-01', to the last day of the
 * month before), then the days of the period's month before its first day
 * from stats_day: where_build picks the table of each part, so the filters
 * mean what they mean for the period. A year of the province reads 12 rows
 * per unit and year of history. */
#define CARRIED_SQL                                                                                \
	"SELECT s.agency_code, MIN(a.name), MIN(a.level), SUM(s.received) - SUM(s.finished) -"     \
	" SUM(s.refused) - SUM(s.withdrawn) - SUM(s.stopped)%s GROUP BY s.agency_code"

struct carried {
	db_result *part[2];
};

static mc_status carried_read(db_conn *rd, arena *a, const struct stats_filter *f,
			      struct carried *c)
{
	int y = year_of(f->from), m = (f->from[5] - '0') * 10 + (f->from[6] - '0');
	if (m == 1) {
		y--;
		m = 12;
	} else {
		m--;
	}
	struct stats_filter before = *f;
	before.from = "0000-01-01";
	before.to = arena_printf(a, "%04d-%02d-%02d", y, m, month_days(y, m));
	struct stats_filter days = *f;
	days.from = arena_printf(a, "%.7s-01", f->from);
	char prev[11];
	prev_day(f->from, prev);
	days.to = arena_strdup(a, prev);
	const struct stats_filter *parts[2] = {&before,
					       strcmp(f->from + 8, "01") != 0 ? &days : NULL};
	for (int i = 0; i < 2; i++) {
		c->part[i] = NULL;
		if (!parts[i])
			continue;
		struct where w;
		where_build(a, parts[i], &w);
		mc_status st = db_query(rd, a, arena_printf(a, CARRIED_SQL, w.sql), w.args, w.nargs,
					&c->part[i]);
		if (st != MC_OK)
			return st;
	}
	return MC_OK;
}

/* The carried count of unit code. */
static int64_t carried_of(const struct carried *c, const char *code)
{
	int64_t n = 0;
	for (int i = 0; i < 2; i++)
		for (int j = 0; c->part[i] && j < db_nrows(c->part[i]); j++)
			if (strcmp(db_text(c->part[i], j, 0), code) == 0)
				n += db_int(c->part[i], j, 3);
	return n;
}

/* The score and targets of unit u (its figures read); adds its
 * transparency to *tsum / *tcount. */
static void unit_finish(arena *a, struct stats_unit *u, db_result *t, db_result *tg, double *tsum,
			int *tcount)
{
	double tr = -1;
	for (int j = 0; j < db_nrows(t); j++)
		if (strcmp(db_text(t, j, 0), u->code) == 0 && db_int(t, j, 2) > 0) {
			tr = (double)db_int(t, j, 1) / 100.0 / (double)db_int(t, j, 2);
			*tsum += tr;
			(*tcount)++;
		}
	score_compute(&u->score, &u->fig, tr);
	u->targets = arena_calloc(a, NTARGET_METRICS, sizeof(*u->targets));
	for (int j = 0; j < db_nrows(tg); j++) {
		if (strcmp(db_text(tg, j, 0), u->code) != 0 || u->ntargets >= NTARGET_METRICS)
			continue;
		struct stats_target *x = &u->targets[u->ntargets++];
		x->metric = db_text(tg, j, 1);
		x->value = (double)db_int(tg, j, 2) / 100.0;
		x->actual = metric_actual(u, x->metric);
		x->met = x->actual >= 0 && x->actual + 1e-9 >= x->value;
	}
}

/* Whether unit code is among units[0..n). */
static bool unit_listed(const struct stats_unit *units, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(units[i].code, code) == 0)
			return true;
	return false;
}

mc_status stats_query(db *d, arena *a, const struct stats_filter *f, struct stats_report *out)
{
	memset(out, 0, sizeof(*out));
	out->filter = *f;
	db_conn *rd = db_reader(d);
	if (!rd)
		return MC_BUSY;
	struct where w;
	where_build(a, f, &w);
	db_result *r, *t, *tg, *m;
	mc_status st =
		db_query(rd, a,
			 arena_printf(a,
				      "SELECT s.agency_code, MIN(a.name), MIN(a.level), " SUMS
				      "%s GROUP BY s.agency_code",
				      w.sql),
			 w.args, w.nargs, &r);
	if (st == MC_OK)
		st = transparency_read(rd, a, f, &t);
	if (st == MC_OK)
		st = db_query(rd, a,
			      "SELECT agency_code, metric, value FROM stats_target WHERE year = $1"
			      " ORDER BY agency_code, metric",
			      DB_ARGS(DB_INT(f->year)), &tg);
	if (st == MC_OK)
		st = db_query(rd, a,
			      arena_printf(a,
					   "SELECT %s, SUM(s.received),"
					   " SUM(s.recv_online), SUM(s.finished), SUM(s.early) +"
					   " SUM(s.on_time)%s GROUP BY %s ORDER BY %s",
					   w.month_expr, w.sql, w.month_expr, w.month_expr),
			      w.args, w.nargs, &m);
	if (st != MC_OK) {
		log_error("stats: query failed: %s", db_errmsg(rd));
		return st;
	}
	struct carried c;
	st = carried_read(rd, a, f, &c);
	if (st != MC_OK) {
		log_error("stats: query failed: %s", db_errmsg(rd));
		return st;
	}
	int n = db_nrows(r), extra = 0;
	for (int i = 0; i < 2; i++)
		extra += c.part[i] ? db_nrows(c.part[i]) : 0;
	out->units = arena_calloc(a, (size_t)(n + extra) + 1, sizeof(*out->units));
	double tsum = 0;
	int tcount = 0;
	for (int i = 0; i < n; i++) {
		struct stats_unit *u = &out->units[i];
		u->code = db_text(r, i, 0);
		u->name = db_text(r, i, 1);
		u->level = db_text(r, i, 2);
		figures_read(r, i, 3, &u->fig);
		u->fig.carried = carried_of(&c, u->code);
	}
	/* units with dossiers carried over and no row in the period: listed
	 * too (their backlog is part of the report) */
	for (int i = 0; i < 2; i++)
		for (int j = 0; c.part[i] && j < db_nrows(c.part[i]); j++) {
			const char *code = db_text(c.part[i], j, 0);
			int64_t k = carried_of(&c, code);
			if (k == 0 || unit_listed(out->units, n, code))
				continue;
			struct stats_unit *u = &out->units[n++];
			u->code = code;
			u->name = db_text(c.part[i], j, 1);
			u->level = db_text(c.part[i], j, 2);
			figures_rates(&u->fig);
			u->fig.carried = k;
		}
	out->nunits = n;
	for (int i = 0; i < n; i++) {
		figures_add(&out->total, &out->units[i].fig);
		unit_finish(a, &out->units[i], t, tg, &tsum, &tcount);
	}
	figures_rates(&out->total);
	score_compute(&out->score, &out->total, tcount ? tsum / tcount : -1);
	qsort(out->units, (size_t)n, sizeof(*out->units), unit_cmp);
	out->nmonths = db_nrows(m);
	out->months = arena_calloc(a, (size_t)out->nmonths + 1, sizeof(*out->months));
	for (int i = 0; i < out->nmonths; i++) {
		struct stats_month *x = &out->months[i];
		snprintf(x->month, sizeof(x->month), "%.7s", db_text(m, i, 0));
		x->received = db_int(m, i, 1);
		x->recv_online = db_int(m, i, 2);
		x->finished = db_int(m, i, 3);
		x->on_time_or_early = db_int(m, i, 4);
	}
	out->as_of = state_get(rd, a, "now", NULL);
	return MC_OK;
}

/* ---------------------------------------------------------------- inputs */

struct setval {
	const char *actor, *agency, *metric, *when; /* when: year as text or month */
	int year;
	int64_t value; /* hundredths */
	bool target;
	const char *now;
	bool unknown_agency;
};

static mc_status setval_write(db_conn *c, void *p)
{
	struct setval *v = p;
	arena *a = arena_new(0);
	if (!a)
		return MC_INTERNAL;
	db_result *r;
	mc_status st = db_query(c, a, "SELECT 1 FROM agency WHERE code = $1",
				DB_ARGS(DB_TEXT(v->agency)), &r);
	if (st == MC_OK && db_nrows(r) == 0) {
		v->unknown_agency = true;
		st = MC_INVALID;
	}
	if (st == MC_OK && v->target)
		st = db_exec(c,
			     "INSERT INTO stats_target (agency_code, year, metric, value, set_by,"
			     " set_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_code,"
			     " year, metric) DO UPDATE SET value = excluded.value,"
			     " set_by = excluded.set_by, set_at = excluded.set_at",
			     DB_ARGS(DB_TEXT(v->agency), DB_INT(v->year), DB_TEXT(v->metric),
				     DB_INT(v->value), DB_TEXT(v->actor), DB_TEXT(v->now)),
			     NULL);
	else if (st == MC_OK)
		st = db_exec(c,
			     "INSERT INTO stats_input (agency_code, month, metric, value, set_by,"
			     " set_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_code,"
			     " month, metric) DO UPDATE SET value = excluded.value,"
			     " set_by = excluded.set_by, set_at = excluded.set_at",
			     DB_ARGS(DB_TEXT(v->agency), DB_TEXT(v->when), DB_TEXT(v->metric),
				     DB_INT(v->value), DB_TEXT(v->actor), DB_TEXT(v->now)),
			     NULL);
	if (st == MC_OK) {
		json_t *data = json_pack("{s:s,s:s,s:f}", "metric", v->metric,
					 v->target ? "year" : "month", v->when, "value",
					 (double)v->value / 100.0);
		char hash[AUDIT_HASH_LEN + 1];
		st = audit_append(c, v->actor, v->target ? "stats.target" : "stats.input",
				  arena_printf(a, "agency:%s", v->agency), data, hash);
		json_decref(data);
	}
	arena_free(a);
	return st;
}

static mc_status setval(db *d, struct setval *v, double value, const char **why)
{
	if (!(value >= 0 && value <= 100)) {
		*why = "stats.error.value";
		return MC_INVALID;
	}
	if (!code_ok(v->agency)) {
		*why = "stats.error.agency";
		return MC_INVALID;
	}
	v->value = (int64_t)(value * 100.0 + 0.5);
	arena *a = arena_new(0);
	if (!a)
		return MC_INTERNAL;
	v->now = vn_stamp(a, time(NULL));
	mc_status st = db_write(d, setval_write, v);
	if (st == MC_INVALID && v->unknown_agency)
		*why = "stats.error.agency";
	arena_free(a);
	return st;
}

mc_status stats_set_target(db *d, const char *actor, const char *agency, int year,
			   const char *metric, double value, const char **why)
{
	*why = NULL;
	if (!stats_target_metric_ok(metric)) {
		*why = "stats.error.metric";
		return MC_INVALID;
	}
	if (year < 2000 || year > 2999) {
		*why = "stats.error.year";
		return MC_INVALID;
	}
	char ys[8];
	snprintf(ys, sizeof(ys), "%d", year);
	struct setval v = {.actor = actor,
			   .agency = agency,
			   .metric = metric,
			   .when = ys,
			   .year = year,
			   .target = true};
	return setval(d, &v, value, why);
}

mc_status stats_set_input(db *d, const char *actor, const char *agency, const char *month,
			  const char *metric, double value, const char **why)
{
	*why = NULL;
	if (!metric || strcmp(metric, "transparency") != 0) {
		*why = "stats.error.metric";
		return MC_INVALID;
	}
	char day[16];
	snprintf(day, sizeof(day), "%.7s-01", month ? month : "");
	if (!month || strlen(month) != 7 || !day_ok(day)) {
		*why = "stats.error.period";
		return MC_INVALID;
	}
	struct setval v = {.actor = actor, .agency = agency, .metric = metric, .when = month};
	return setval(d, &v, value, why);
}

/* ---------------------------------------------------------------- JSON */

static json_t *rate_json(double v)
{
	return v < 0 ? json_null() : json_real((double)(int64_t)(v * 100 + 0.5) / 100);
}

static json_t *figures_json(const struct stats_figures *x)
{
	json_t *j = json_object();
	static const char *const names[NCOUNTERS] = {"received",
						     "received_desk",
						     "received_online",
						     "received_post",
						     "digitised",
						     "supplemented",
						     "open_within_time",
						     "open_overdue",
						     "finished",
						     "early",
						     "on_time",
						     "late",
						     "returned",
						     "refused",
						     "withdrawn",
						     "stopped",
						     "fee_due",
						     "paid_online",
						     "rated",
						     "satisfied"};
	const int64_t *v = &x->received;
	for (int i = 0; i < NCOUNTERS; i++)
		json_object_set_new(j, names[i], json_integer(v[i]));
	json_object_set_new(j, "carried_over", json_integer(x->carried));
	json_object_set_new(j, "online_rate", rate_json(x->online_rate));
	json_object_set_new(j, "on_time_rate", rate_json(x->on_time_rate));
	json_object_set_new(j, "digitisation_rate", rate_json(x->digitisation_rate));
	json_object_set_new(j, "online_payment_rate", rate_json(x->payment_rate));
	json_object_set_new(j, "satisfaction_rate", rate_json(x->satisfaction_rate));
	return j;
}

static json_t *score_json(const struct stats_score *s)
{
	json_t *groups = json_object();
	for (int g = 0; g < STATS_NGROUPS; g++)
		json_object_set_new(groups, group_names[g],
				    json_pack("{s:i,s:o}", "weight", group_weights[g], "points",
					      s->has[g] ? rate_json(s->points[g]) : json_null()));
	const char *grade = s->grade ? s->grade + strlen("stats.grade.") : NULL;
	return json_pack("{s:o,s:o,s:o,s:o,s:s?}", "groups", groups, "total", rate_json(s->total),
			 "scored_max", rate_json(s->scored_max), "index",
			 s->grade ? rate_json(s->index) : json_null(), "grade", grade);
}

json_t *stats_report_json(const struct stats_report *r)
{
	const struct stats_filter *f = &r->filter;
	json_t *units = json_array(), *months = json_array();
	for (int i = 0; i < r->nunits; i++) {
		const struct stats_unit *u = &r->units[i];
		json_t *targets = json_array();
		for (int k = 0; k < u->ntargets; k++)
			json_array_append_new(targets,
					      json_pack("{s:s,s:o,s:o,s:b}", "metric",
							u->targets[k].metric, "value",
							rate_json(u->targets[k].value), "actual",
							rate_json(u->targets[k].actual), "met",
							u->targets[k].met));
		json_array_append_new(
			units, json_pack("{s:i,s:s,s:s,s:s,s:o,s:o,s:o}", "rank", i + 1, "code",
					 u->code, "name", u->name ? u->name : "", "level",
					 u->level ? u->level : "", "figures", figures_json(&u->fig),
					 "score", score_json(&u->score), "targets", targets));
	}
	for (int i = 0; i < r->nmonths; i++)
		json_array_append_new(
			months,
			json_pack("{s:s,s:I,s:I,s:I,s:I}", "month", r->months[i].month, "received",
				  (json_int_t)r->months[i].received, "received_online",
				  (json_int_t)r->months[i].recv_online, "finished",
				  (json_int_t)r->months[i].finished, "on_time_or_early",
				  (json_int_t)r->months[i].on_time_or_early));
	return json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:o,s:o}", "period",
			 f->period ? f->period : "", "from", f->from, "to", f->to, "agency",
			 f->agency, "field", f->field, "procedure", f->procedure, "level", f->level,
			 "as_of", r->as_of, "total", figures_json(&r->total), "score",
			 score_json(&r->score), "units", units, "months", months);
}

mc_status stats_list_targets(db *d, arena *a, int year, struct stats_target_row **out, int *n)
{
	db_conn *rd = db_reader(d);
	if (!rd)
		return MC_BUSY;
	db_result *r;
	mc_status st =
		db_query(rd, a,
			 "SELECT t.agency_code, a.name, t.metric, t.value, t.set_by, t.set_at"
			 " FROM stats_target t JOIN agency a ON a.code = t.agency_code"
			 " WHERE t.year = $1 ORDER BY a.name, t.agency_code, t.metric",
			 DB_ARGS(DB_INT(year)), &r);
	if (st != MC_OK)
		return st;
	*n = db_nrows(r);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++)
		(*out)[i] = (struct stats_target_row){
			db_text(r, i, 0), db_text(r, i, 1), db_text(r, i, 2),
			db_text(r, i, 4), db_text(r, i, 5), (double)db_int(r, i, 3) / 100.0};
	return MC_OK;
}
