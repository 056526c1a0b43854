/*
 * stats.h - public statistics (thống kê) and the Decision 766/QĐ-TTg
 * quality index (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục
 * vụ người dân, doanh nghiệp), per unit, field, procedure, level and period.
 * Every formula and its source: docs/statistics.md.
 *
 * Incremental: queries never read the dossier table. The rollup job
 * (stats_job_step, job "stats", one node at a time under its lease)
 * re-aggregates into stats_day only the (unit, day) keys touched since its
 * watermark: dossiers whose updated_at moved (every back-office move sets
 * it), the keys where such a dossier was counted before (stats_seen, so a
 * transfer or a new end day leaves nothing stale), and the reception days
 * of open dossiers whose due time passed since the last round (they move
 * from "open, within time" to "open, overdue"), the days of ratings made and
 * the reception days of dossiers paid since the last round (neither moves
 * updated_at). A round is idempotent and
 * re-reads a two-minute overlap before the watermark, so a write that
 * committed late is never missed. The job runs every jobs_interval seconds,
 * so figures are at most a minute behind with the default settings.
 *
 * How a dossier counts (Decision 766, BRIEF.md):
 *   on the day it was submitted: received, by channel (1 desk, 2 online,
 *     3 post), digitised (its files are stored), supplemented (at least one
 *     supplement request), fee_due (a fee was set) and paid_online (and paid
 *     by gateway or VietQR transfer), and, while open, open_ok /
 *     open_overdue (due_at passed as of the round);
 *   on the day it ended (finished_at): finished (approved: stages done and
 *     returned) split into early (ended on an earlier day than due_at), on
 *     time (due day, not after due_at; no due date counts on time) and late
 *     (after due_at, or more than one supplement request whatever the
 *     dates); returned, refused, withdrawn, stopped.
 *   on the day a rating was made: rated, satisfied (overall score 1 or 2).
 *   due_at already carries the deductions of the back office: it restarts
 *   from zero after a supplement and moves by the paused working days of a
 *   financial obligation (backoffice.h, clock rules).
 */
#ifndef MOTCUA_STATS_H
#define MOTCUA_STATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct app;

/* ---- the rollup ---- */

/* One round: re-aggregates what changed up to now ("YYYY-MM-DD HH:MM:SS",
 * Vietnam time; NULL: the clock) and refreshes the gauges. *keys (may be
 * NULL) gets the number of (unit, day) keys rebuilt. One db_write per
 * batch of keys; safe to run twice. With a deadline (0: none) a round with
 * a large backlog (the first one on an existing database) stops between
 * batches when it passes, and the next round goes on from the watermark. */
mc_status stats_rollup(db *d, arena *a, const char *now, time_t deadline, int *keys);

/* Progress of a long round (the first build): fn(ctx, units done, units). */
struct stats_progress {
	void (*fn)(void *ctx, int done, int total);
	void *ctx;
};

/* stats_rollup, reporting the progress of a first build. When more than
 * 50,000 dossiers changed since the watermark (statistics never built on
 * an existing database, a restore, a long stop), the round is a
 * stats_build instead, then the usual pass; *keys then also counts units. */
mc_status stats_rollup_progress(db *d, arena *a, const char *now, time_t deadline, int *keys,
				const struct stats_progress *pr);

/* The set-based first build: one write per unit rebuilding all of its
 * days, months and stats_seen rows with a few INSERT ... SELECT ... GROUP
 * BY statements (the same SQL as the per-key path, over all time), as of
 * now (NULL: the clock), which becomes the watermark. With a deadline it
 * may stop between units (*done false) and the next call (or rollup round)
 * goes on. *units (may be NULL) gets the units built. */
mc_status stats_build(db *d, arena *a, const char *now, time_t deadline, int *units,
		      const struct stats_progress *pr, bool *done);

/* The jobs.h step of job "stats". */
mc_status stats_job_step(struct app *app, time_t deadline);

/* ---- queries ---- */

enum stats_group {
	STATS_TRANSPARENCY, /* công khai, minh bạch: 18 */
	STATS_PROGRESS,	    /* tiến độ, kết quả giải quyết: 20 */
	STATS_ONLINE,	    /* cung cấp dịch vụ trực tuyến: 12 */
	STATS_DIGITISATION, /* số hóa hồ sơ: 22 */
	STATS_PAYMENT,	    /* thanh toán trực tuyến: 10 */
	STATS_SATISFACTION, /* mức độ hài lòng: 18 */
	STATS_NGROUPS
};

/* "transparency", "progress", ... and the group's weight in points. */
const char *stats_group_name(enum stats_group g);
int stats_group_weight(enum stats_group g);

/* What to count. from/to are days "YYYY-MM-DD", inclusive; the other
 * filters are NULL for all. level: an agency level (province, department,
 * district, commune, unit). */
struct stats_filter {
	const char *from, *to;
	const char *agency, *field, *procedure, *level;
	const char *period; /* as given: "2026", "2026-Q3", "2026-11", or from..to */
	int year;	    /* the year of "to": targets are per year */
};

/* Reads a period: "YYYY", "YYYY-QN", "YYYY-MM", or NULL/"" with from and to
 * ("YYYY-MM-DD" each, from <= to, at most 5 years apart); nothing at all is
 * the current year up to today. MC_INVALID with *why an i18n key
 * ("stats.error.period", "stats.error.range") for anything else. Also
 * checks the shape of the other filters (codes of [0-9A-Za-z._-], a known
 * level). */
mc_status stats_filter_parse(arena *a, const char *period, const char *from, const char *to,
			     const char *today, struct stats_filter *f, const char **why);

/* The counters and rates; a rate is -1 when there is nothing to divide by
 * (shown as "no data"). */
struct stats_figures {
	int64_t received, recv_desk, recv_online, recv_post, digitised, supplemented;
	int64_t open_ok, open_overdue;
	int64_t finished, early, on_time, late, returned, refused, withdrawn, stopped;
	int64_t fee_due, paid_online; /* on the reception day: owes a fee; paid it online */
	int64_t rated, satisfied;     /* on the rating's day: rated; overall score above 0 */
	/* carried over from the previous period (số kỳ trước chuyển qua):
	 * received before the period's first day and not ended (handled,
	 * refused, withdrawn, stopped) before it. The report's "received for
	 * handling" (số hồ sơ nhận giải quyết) is carried + received. Not one
	 * of the day counters: the received minus the ended of every row
	 * before the period (whole months from stats_unit_month / stats_month,
	 * the days of the first month from stats_day). */
	int64_t carried;
	double online_rate;	  /* recv_online / received */
	double on_time_rate;	  /* (early + on_time) / finished */
	double digitisation_rate; /* digitised / received */
	double payment_rate;	  /* paid_online / fee_due */
	double satisfaction_rate; /* satisfied / rated */
};

/* The 766 score: each group's points (weight x its rate), whether the
 * group has data, the sum, the weights of the groups with data, and the
 * index: 100 x total / scored_max (the grade is read on the index). */
struct stats_score {
	double points[STATS_NGROUPS];
	bool has[STATS_NGROUPS];
	double total, scored_max, index;
	const char *grade; /* i18n key "stats.grade.excellent" ... "stats.grade.weak";
			      NULL without any data */
};

/* "excellent" >= 90, "good" >= 80, "fair" >= 70, "average" >= 50, else
 * "weak" (as i18n keys "stats.grade.*"). */
const char *stats_grade(double index);

/* A target and whether it is met by the period's figure. */
struct stats_target {
	const char *metric;
	double value, actual; /* actual -1: no data */
	bool met;
};

struct stats_unit {
	const char *code, *name, *level;
	struct stats_figures fig;
	struct stats_score score;
	struct stats_target *targets;
	int ntargets;
};

/* One month of the period (for the charts). */
struct stats_month {
	char month[8]; /* "YYYY-MM" */
	int64_t received, recv_online, finished, on_time_or_early;
};

struct stats_report {
	struct stats_filter filter;
	struct stats_figures total;
	struct stats_score score; /* of the whole selection */
	struct stats_unit *units; /* ranked: index descending, then code */
	int nunits;
	struct stats_month *months;
	int nmonths;
	const char *as_of; /* the last rollup round, NULL before the first */
};

/* Everything for the filter, from stats_day and the entered values. */
mc_status stats_query(db *d, arena *a, const struct stats_filter *f, struct stats_report *out);

/* The report as the JSON of GET /api/v1/stats (docs/openapi.yaml): rates
 * and points rounded to 2 decimals, null for "no data". New reference. */
json_t *stats_report_json(const struct stats_report *r);

/* ---- values the province enters (audited) ---- */

/* on_time_rate, online_rate, digitisation_rate, online_payment_rate,
 * satisfaction_rate, index. */
bool stats_target_metric_ok(const char *metric);

/* Sets (or replaces) a target: value in percent / points, 0-100. One
 * write with its audit entry ("stats.target", subject "agency:<code>").
 * MC_INVALID (*why) for a bad metric, year, value or unknown agency. */
mc_status stats_set_target(db *d, const char *actor, const char *agency, int year,
			   const char *metric, double value, const char **why);

/* The targets of a year, by unit then metric. */
struct stats_target_row {
	const char *agency_code, *agency_name, *metric, *set_by, *set_at;
	double value;
};
mc_status stats_list_targets(db *d, arena *a, int year, struct stats_target_row **out, int *n);

/* Sets the transparency percentage (0-100) of a unit for a month
 * "YYYY-MM" (metric "transparency"), audited as "stats.input". */
mc_status stats_set_input(db *d, const char *actor, const char *agency, const char *month,
			  const char *metric, double value, const char **why);

#endif
