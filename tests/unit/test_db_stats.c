/*
 * test_db_stats.c - statistics on SQLite and PostgreSQL from a hand-made set
 * of dossiers whose every figure is known in advance (early, on time, late,
 * on time only because the supplement restarted the clock, two supplements
 * counted late, open within time, open overdue, paused, withdrawn, refused,
 * stopped, each channel, a draft that never counts), the 766 scores and
 * grades, targets met and not met, then the rollup after changes: time
 * passing (open dossiers become overdue), an approval and a transfer to
 * another unit (the old unit's counts go); fees, online payments and
 * ratings, also on old dossiers; and the set-based first build giving the
 * same rows as the incremental rounds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "db/db.h"
#include "domain/stats.h"

#define A "000.00.16.H43" /* a department */
#define B "000.00.31.H43" /* a commune */

struct fixture {
	char dir[64];
	char target[512];
	db *d;
	arena *a;
};

static mc_status exec_fn(db_conn *c, void *p)
{
	return db_exec(c, (const char *)p, DB_NOARGS, NULL);
}

static void sql(struct fixture *f, const char *s)
{
	if (db_write(f->d, exec_fn, (void *)s) != MC_OK)
		fail_msg("SQL failed: %s", s);
}

/* id, procedure, agency, status, stage, channel, submitted, due, finished, supplements */
static void dossier(struct fixture *f, const char *id, const char *proc, const char *agency,
		    int status, const char *stage, int channel, const char *sub, const char *due,
		    const char *fin, int sup)
{
	char q[1024];
	snprintf(q, sizeof(q),
		 "INSERT INTO dossier (id, code, procedure_code, agency_code, status, stage, "
		 "channel,"
		 " created_at, updated_at, submitted_at, due_at, finished_at, supplements) VALUES"
		 " ('%s', %s%s%s, '%s', '%s', %d, '%s', %d, '2026-10-01 08:00:00',"
		 " '2026-11-29 10:00:00', %s%s%s, %s%s%s, %s%s%s, %d)",
		 id, status ? "'C-" : "", status ? id : "NULL", status ? "'" : "", proc, agency,
		 status, stage, channel, sub ? "'" : "", sub ? sub : "NULL", sub ? "'" : "",
		 due ? "'" : "", due ? due : "NULL", due ? "'" : "", fin ? "'" : "",
		 fin ? fin : "NULL", fin ? "'" : "", sup);
	sql(f, q);
}

static void file_of(struct fixture *f, const char *id)
{
	char q[512];
	snprintf(q, sizeof(q),
		 "INSERT INTO dossier_file (id, dossier_id, slot, name, blob_hash, size, mime,"
		 " uploaded_at) VALUES ('f-%s', '%s', 0, 'to-khai.pdf', 'h1', 10,"
		 " 'application/pdf', '2026-11-01 08:00:00')",
		 id, id);
	sql(f, q);
}

/* A fee owed by dossier id (set at its reception). */
static void fee_of(struct fixture *f, const char *id)
{
	char q[512];
	snprintf(q, sizeof(q),
		 "INSERT INTO dossier_fee (dossier_id, amount, purpose, created_at, created_by)"
		 " VALUES ('%s', 100000, 'Lệ phí', '2026-11-03 09:00:00', 'officer')",
		 id);
	sql(f, q);
}

/* A payment of dossier id from source, recorded at `at`. */
static void payment_of(struct fixture *f, const char *id, const char *source, const char *at)
{
	char q[768];
	snprintf(q, sizeof(q),
		 "INSERT INTO payment (id, dossier_id, source, amount, reference, paid_at,"
		 " recorded_at, recorded_by, receipt_no) VALUES ('p-%s', '%s', '%s', 100000,"
		 " 'ref-%s', '%s', '%s', 'officer', 'BL-%s')",
		 id, id, source, id, at, at, id);
	sql(f, q);
}

/* A rating of dossier id (unit agency) made at `at` with an overall score. */
static void rating_of(struct fixture *f, const char *id, const char *agency, const char *at,
		      int overall)
{
	char q[768];
	snprintf(q, sizeof(q),
		 "INSERT INTO rating (dossier_id, account_id, agency_code, time_score,"
		 " contacts_score, attitude_score, online_score, overall_score, created_at)"
		 " VALUES ('%s', 'citizen', '%s', 2, 2, 2, 2, %d, '%s')",
		 id, agency, overall, at);
	sql(f, q);
}

/* stats_day (without the round time), stats_month, stats_unit_month and
 * stats_seen as text, in key order. */
static char *dump(struct fixture *f)
{
	static const char *const q[] = {
		"SELECT * FROM stats_day ORDER BY day, agency_code, procedure_code",
		"SELECT * FROM stats_month ORDER BY month, agency_code, field_code",
		"SELECT * FROM stats_unit_month ORDER BY month, agency_code",
		"SELECT dossier_id, agency_code, recv_day, end_day FROM stats_seen"
		" ORDER BY dossier_id",
	};
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(1, cap);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		db_result *r;
		assert_int_equal(db_query(db_reader(f->d), f->a, q[i], DB_NOARGS, &r), MC_OK);
		for (int row = 0; row < db_nrows(r); row++) {
			for (int c = 0; c < db_ncols(r); c++) {
				if (i == 0 && c == db_ncols(r) - 3) /* stats_day.at */
					continue;
				const char *v = db_isnull(r, row, c) ? "-" : db_text(r, row, c);
				if (len + strlen(v) + 2 >= cap) {
					cap *= 2;
					out = realloc(out, cap);
					assert_non_null(out);
				}
				len += (size_t)snprintf(out + len, cap - len, "%s%c", v,
							c + 1 < db_ncols(r) ? '|' : '\n');
			}
		}
		len += (size_t)snprintf(out + len, cap - len, "--\n");
	}
	return out;
}

/* The incremental rounds and the set-based build give the same tables. */
static void build_matches(struct fixture *f, const char *now)
{
	char *incremental = dump(f);
	bool done = false;
	int units = 0;
	assert_int_equal(stats_build(f->d, f->a, now, 0, &units, NULL, &done), MC_OK);
	assert_true(done);
	assert_int_equal(units, 2);
	char *built = dump(f);
	assert_true(strlen(built) > 200);
	assert_string_equal(incremental, built);
	free(incremental);
	free(built);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || sodium_init() < 0)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-stats-XXXXXX");
	if (!mkdtemp(f->dir) || testdb_new(f->dir, f->target, sizeof(f->target)) != 0)
		return -1;
	char err[512] = "";
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK ||
	    db_migrate(f->d, NULL, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	f->a = arena_new(0);
	*state = f;
	sql(f,
	    "INSERT INTO field (code, name_vi, name_en) VALUES ('HT', 'Hộ tịch', 'Civil status')");
	sql(f, "INSERT INTO field (code, name_vi, name_en) VALUES ('DD', 'Đất đai', 'Land')");
	sql(f,
	    "INSERT INTO agency (code, name, level) VALUES ('" A "', 'Sở Tư pháp', 'department')");
	sql(f, "INSERT INTO agency (code, name, level) VALUES ('" B "', 'UBND xã Gia Viễn',"
	       " 'commune')");
	sql(f, "INSERT INTO procedure (code, name, field_code) VALUES ('1.001193', 'Đăng ký khai"
	       " sinh', 'HT')");
	sql(f, "INSERT INTO procedure (code, name, field_code) VALUES ('1.000001', 'Cấp giấy"
	       " chứng nhận', 'DD')");
	sql(f, "INSERT INTO blob (hash, size, mime, created_at) VALUES ('h1', 10,"
	       " 'application/pdf', '2026-11-01 08:00:00')");
	const char *P = "1.001193", *Q = "1.000001";
	/* unit A, everything submitted in November 2026 */
	dossier(f, "d1", P, A, 10, "returned", 2, "2026-11-02 08:00:00", "2026-11-10 17:00:00",
		"2026-11-05 10:00:00", 0); /* early, returned */
	dossier(f, "d2", P, A, 9, "done", 1, "2026-11-03 08:00:00", "2026-11-12 17:00:00",
		"2026-11-12 16:00:00", 0); /* on time: the due day */
	dossier(f, "d3", Q, A, 9, "done", 3, "2026-11-04 08:00:00", "2026-11-09 17:00:00",
		"2026-11-11 09:00:00", 0); /* late */
	/* one supplement: the clock restarted on 16/11, due 20/11; late if it
	 * were counted from the submission on 02/11 */
	dossier(f, "d4", P, A, 9, "done", 2, "2026-11-02 08:00:00", "2026-11-20 17:00:00",
		"2026-11-20 10:00:00", 1);
	/* two supplements: late although it ended before its due day */
	dossier(f, "d5", Q, A, 9, "done", 2, "2026-11-02 08:00:00", "2026-11-25 17:00:00",
		"2026-11-18 10:00:00", 2);
	dossier(f, "d6", P, A, 4, "assigned", 1, "2026-11-05 08:00:00", "2026-11-20 17:00:00", NULL,
		0); /* open, overdue */
	dossier(f, "d7", Q, A, 2, "received", 2, "2026-11-25 08:00:00", "2026-12-05 17:00:00", NULL,
		0); /* open, within time */
	dossier(f, "d8", P, A, 8, "stopped", 2, "2026-11-06 08:00:00", "2026-11-16 17:00:00",
		"2026-11-08 09:00:00", 0); /* withdrawn */
	dossier(f, "d9", P, A, 3, "refused", 1, "2026-11-07 08:00:00", NULL, "2026-11-07 10:00:00",
		0);
	dossier(f, "d10", Q, A, 8, "stopped", 1, "2026-11-09 08:00:00", "2026-11-19 17:00:00",
		"2026-11-12 09:00:00", 0); /* stopped by the agency */
	dossier(f, "d11", Q, A, 6, "financial", 2, "2026-11-10 08:00:00", "2026-11-15 17:00:00",
		NULL, 0);					   /* paused: open, not overdue */
	dossier(f, "d12", P, A, 0, "new", 2, NULL, NULL, NULL, 0); /* a draft */
	/* unit B */
	dossier(f, "e1", P, B, 9, "done", 2, "2026-11-02 08:00:00", "2026-11-10 17:00:00",
		"2026-11-03 10:00:00", 0);
	dossier(f, "e2", P, B, 10, "returned", 1, "2026-10-30 08:00:00", "2026-11-03 17:00:00",
		"2026-11-06 10:00:00", 0); /* received in October, late in November */
	file_of(f, "d1");
	file_of(f, "d4");
	file_of(f, "d7");
	file_of(f, "e1");
	sql(f, "INSERT INTO dossier_event (dossier_id, n, at, action, status_from, status_to)"
	       " VALUES ('d8', 1, '2026-11-08 09:00:00', 'withdraw_accept', 7, 8)");
	sql(f, "INSERT INTO account (id, login, kind, full_name, password_hash, created_at)"
	       " VALUES ('citizen', 'citizen', 'citizen', 'Nguyễn Văn A', 'x',"
	       " '2026-01-01 00:00:00')");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", f->dir);
	free(f);
	return 0;
}

static void rollup(struct fixture *f, const char *now)
{
	int keys = -1;
	assert_int_equal(stats_rollup(f->d, f->a, now, 0, &keys), MC_OK);
	assert_true(keys >= 0);
}

static struct stats_report query(struct fixture *f, const char *period, const char *agency,
				 const char *field, const char *level)
{
	struct stats_filter flt = {.agency = agency, .field = field, .level = level};
	const char *why = NULL;
	assert_int_equal(stats_filter_parse(f->a, period, NULL, NULL, "2026-11-30", &flt, &why),
			 MC_OK);
	struct stats_report rep;
	assert_int_equal(stats_query(f->d, f->a, &flt, &rep), MC_OK);
	return rep;
}

/* A date range that is not whole months: read from the day rows. */
static struct stats_report query_days(struct fixture *f, const char *from, const char *to,
				      const char *field, const char *procedure)
{
	struct stats_filter flt = {.field = field, .procedure = procedure};
	const char *why = NULL;
	assert_int_equal(stats_filter_parse(f->a, NULL, from, to, "2026-11-30", &flt, &why), MC_OK);
	struct stats_report rep;
	assert_int_equal(stats_query(f->d, f->a, &flt, &rep), MC_OK);
	return rep;
}

static const struct stats_unit *unit(const struct stats_report *r, const char *code)
{
	for (int i = 0; i < r->nunits; i++)
		if (strcmp(r->units[i].code, code) == 0)
			return &r->units[i];
	fail_msg("no unit %s", code);
	return NULL;
}

#define NEAR(x, y) assert_true(fabs((x) - (y)) < 1e-6)

static void test_figures_and_scores(void **state)
{
	struct fixture *f = *state;
	const char *why;
	assert_int_equal(stats_set_input(f->d, "admin", A, "2026-11", "transparency", 90, &why),
			 MC_OK);
	assert_int_equal(stats_set_target(f->d, "admin", A, 2026, "on_time_rate", 80, &why), MC_OK);
	assert_int_equal(stats_set_target(f->d, "admin", B, 2026, "online_rate", 90, &why), MC_OK);
	rollup(f, "2026-11-30 12:00:00");
	struct stats_report r = query(f, "2026-11", NULL, NULL, NULL);
	assert_int_equal(r.nunits, 2);
	/* ranking: B (index 81.5) before A (56.6) */
	assert_string_equal(r.units[0].code, B);
	assert_string_equal(r.units[1].code, A);
	const struct stats_figures *x = &unit(&r, A)->fig;
	assert_int_equal(x->received, 11);
	assert_int_equal(x->recv_desk, 4);
	assert_int_equal(x->recv_online, 6);
	assert_int_equal(x->recv_post, 1);
	assert_int_equal(x->digitised, 3);
	assert_int_equal(x->supplemented, 2);
	assert_int_equal(x->open_ok, 2);
	assert_int_equal(x->open_overdue, 1);
	assert_int_equal(x->finished, 5);
	assert_int_equal(x->early, 1);
	assert_int_equal(x->on_time, 2);
	assert_int_equal(x->late, 2);
	assert_int_equal(x->returned, 1);
	assert_int_equal(x->refused, 1);
	assert_int_equal(x->withdrawn, 1);
	assert_int_equal(x->stopped, 1);
	NEAR(x->online_rate, 600.0 / 11);
	NEAR(x->on_time_rate, 60.0);
	NEAR(x->digitisation_rate, 300.0 / 11);
	assert_true(x->payment_rate < 0);
	assert_true(x->satisfaction_rate < 0);
	const struct stats_score *s = &unit(&r, A)->score;
	NEAR(s->points[STATS_TRANSPARENCY], 16.2);
	NEAR(s->points[STATS_PROGRESS], 12.0);
	NEAR(s->points[STATS_ONLINE], 72.0 / 11);
	NEAR(s->points[STATS_DIGITISATION], 6.0);
	assert_false(s->has[STATS_PAYMENT]);
	assert_false(s->has[STATS_SATISFACTION]);
	NEAR(s->scored_max, 72);
	NEAR(s->total, 16.2 + 12 + 72.0 / 11 + 6);
	NEAR(s->index, 100 * (16.2 + 12 + 72.0 / 11 + 6) / 72);
	assert_string_equal(s->grade, "stats.grade.average");
	assert_int_equal(unit(&r, A)->ntargets, 1);
	assert_false(unit(&r, A)->targets[0].met);
	NEAR(unit(&r, A)->targets[0].actual, 60);
	/* B: e1 early online, e2 received in October and late in November */
	const struct stats_unit *b = unit(&r, B);
	assert_int_equal(b->fig.received, 1);
	assert_int_equal(b->fig.finished, 2);
	assert_int_equal(b->fig.early, 1);
	assert_int_equal(b->fig.late, 1);
	NEAR(b->score.index, 100.0 * 44 / 54);
	assert_string_equal(b->score.grade, "stats.grade.good");
	assert_true(b->targets[0].met);
	/* totals, months */
	assert_int_equal(r.total.received, 12);
	assert_int_equal(r.total.finished, 7);
	assert_int_equal(r.total.late, 3);
	assert_int_equal(r.nmonths, 1);
	assert_string_equal(r.months[0].month, "2026-11");
	assert_int_equal(r.months[0].received, 12);
	assert_int_equal(r.months[0].on_time_or_early, 4);
	/* the year holds B's October reception too */
	r = query(f, "2026", B, NULL, NULL);
	assert_int_equal(r.total.received, 2);
	assert_int_equal(r.nmonths, 2);
	/* filters: field (Hộ tịch: d1 d2 d4 d6 d8 d9 + e1), level */
	r = query(f, "2026-11", NULL, "HT", NULL);
	assert_int_equal(r.total.received, 7);
	r = query(f, "2026-Q4", NULL, NULL, "commune");
	assert_int_equal(r.nunits, 1);
	assert_int_equal(r.total.received, 2);
	r = query(f, "2026-11", A, NULL, NULL);
	assert_int_equal(r.nunits, 1);
	/* the same from the day rows (a range of days, a procedure) */
	r = query_days(f, "2026-11-01", "2026-11-29", NULL, NULL);
	assert_int_equal(r.total.received, 12);
	assert_int_equal(r.total.finished, 7);
	assert_int_equal(r.total.late, 3);
	assert_int_equal(unit(&r, A)->fig.open_overdue, 1);
	r = query_days(f, "2026-11-01", "2026-11-29", "HT", NULL);
	assert_int_equal(r.total.received, 7);
	r = query_days(f, "2026-11-01", "2026-11-30", NULL, "1.000001"); /* d3 d5 d7 d10 d11 */
	assert_int_equal(r.total.received, 5);
	assert_int_equal(r.total.late, 2);
	r = query_days(f, "2026-11-03", "2026-11-05", NULL, NULL); /* d2 d3 d6; d1 and e1 end */
	assert_int_equal(r.total.received, 3);
	assert_int_equal(r.total.finished, 2);
	assert_int_equal(r.total.early, 2);
}

static void test_rollup_after_changes(void **state)
{
	struct fixture *f = *state;
	rollup(f, "2026-11-30 12:00:00");
	/* time passes: d7's due time (05/12 17:00) goes by */
	rollup(f, "2026-12-06 12:00:00");
	struct stats_report r = query(f, "2026-11", A, NULL, NULL);
	assert_int_equal(r.total.open_ok, 1);
	assert_int_equal(r.total.open_overdue, 2);
	/* d7 approved late, d6 transferred to B */
	sql(f, "UPDATE dossier SET stage = 'done', status = 9, finished_at = '2026-12-06 13:00:00',"
	       " updated_at = '2026-12-06 13:00:00' WHERE id = 'd7'");
	sql(f, "UPDATE dossier SET agency_code = '" B "', updated_at = '2026-12-06 13:00:00'"
	       " WHERE id = 'd6'");
	rollup(f, "2026-12-06 14:00:00");
	r = query(f, "2026-11", A, NULL, NULL);
	assert_int_equal(r.total.received, 10);
	assert_int_equal(r.total.open_ok, 1);
	assert_int_equal(r.total.open_overdue, 0);
	assert_int_equal(r.total.finished, 5);
	r = query(f, "2026-12", A, NULL, NULL);
	assert_int_equal(r.total.received, 0);
	assert_int_equal(r.total.finished, 1);
	assert_int_equal(r.total.late, 1);
	r = query(f, "2026-11", B, NULL, NULL);
	assert_int_equal(r.total.received, 2);
	assert_int_equal(r.total.open_overdue, 1);
	/* the gauges: overdue open dossiers per unit (only B's d6 now) */
	db_result *g;
	assert_int_equal(
		db_query(db_reader(f->d), f->a,
			 "SELECT label, value FROM stats_gauge WHERE name = 'overdue_open'",
			 DB_NOARGS, &g),
		MC_OK);
	assert_int_equal(db_nrows(g), 1);
	assert_string_equal(db_text(g, 0, 0), B);
	assert_int_equal(db_int(g, 0, 1), 1);
	/* a round without changes rebuilds nothing */
	int keys = -1;
	assert_int_equal(stats_rollup(f->d, f->a, "2026-12-06 14:00:00", 0, &keys), MC_OK);
	r = query(f, "2026-11", B, NULL, NULL);
	assert_int_equal(r.total.received, 2);
	/* the set-based build of the same data gives the same rows */
	build_matches(f, "2026-12-06 14:00:00");
	r = query(f, "2026-11", B, NULL, NULL);
	assert_int_equal(r.total.received, 2);
	assert_int_equal(r.total.open_overdue, 1);
}

/* Online payments and satisfaction: fees on d2, d11 (A) and e1 (B); e1
 * paid at the desk (not online); ratings of d1 (06/11, overall good) and
 * d2 (20/11, acceptable) in A. Then, after a round, on old dossiers: d2
 * paid by the gateway and e2 rated poor on 01/12 (B). */
static void test_payments_and_satisfaction(void **state)
{
	struct fixture *f = *state;
	const char *why;
	assert_int_equal(stats_set_input(f->d, "admin", A, "2026-11", "transparency", 90, &why),
			 MC_OK);
	fee_of(f, "d2");
	fee_of(f, "d11");
	fee_of(f, "e1");
	payment_of(f, "e1", "officer", "2026-11-05 10:00:00");
	rating_of(f, "d1", A, "2026-11-06 09:00:00", 2);
	rating_of(f, "d2", A, "2026-11-20 09:00:00", 1);
	rollup(f, "2026-11-30 12:00:00");
	struct stats_report r = query(f, "2026-11", NULL, NULL, NULL);
	const struct stats_figures *a = &unit(&r, A)->fig, *b = &unit(&r, B)->fig;
	assert_int_equal(a->fee_due, 2);
	assert_int_equal(a->paid_online, 0);
	assert_int_equal(a->rated, 2);
	assert_int_equal(a->satisfied, 2);
	NEAR(a->payment_rate, 0);
	NEAR(a->satisfaction_rate, 100);
	assert_int_equal(b->fee_due, 1);
	assert_int_equal(b->paid_online, 0);
	assert_int_equal(b->rated, 0);
	assert_true(b->satisfaction_rate < 0);
	/* later, on old dossiers (updated_at does not move) */
	payment_of(f, "d2", "gateway", "2026-12-01 09:00:00");
	rating_of(f, "e2", B, "2026-12-01 09:00:00", 0);
	rollup(f, "2026-12-01 10:00:00");
	r = query(f, "2026-11", NULL, NULL, NULL);
	a = &unit(&r, A)->fig;
	assert_int_equal(a->paid_online, 1);
	NEAR(a->payment_rate, 50);
	r = query(f, "2026-12", B, NULL, NULL);
	assert_int_equal(r.total.rated, 1);
	assert_int_equal(r.total.satisfied, 0);
	NEAR(r.total.satisfaction_rate, 0);
	/* the year (month x unit rows): every group scores */
	r = query(f, "2026", NULL, NULL, NULL);
	assert_string_equal(r.units[0].code, A);
	const struct stats_unit *ua = unit(&r, A), *ub = unit(&r, B);
	assert_int_equal(ua->fig.received, 11);
	assert_int_equal(ua->fig.fee_due, 2);
	assert_int_equal(ua->fig.paid_online, 1);
	assert_int_equal(ua->fig.rated, 2);
	NEAR(ua->score.points[STATS_PAYMENT], 5);
	NEAR(ua->score.points[STATS_SATISFACTION], 18);
	NEAR(ua->score.scored_max, 100);
	NEAR(ua->score.total, 16.2 + 12 + 72.0 / 11 + 6 + 5 + 18);
	/* B: e1 and e2 received (1 online, 1 digitised), 1 early 1 late, e1's
	 * fee paid at the desk, e2 rated poor */
	assert_int_equal(ub->fig.received, 2);
	assert_int_equal(ub->fig.rated, 1);
	assert_true(ub->score.has[STATS_PAYMENT]);
	NEAR(ub->score.points[STATS_PAYMENT], 0);
	NEAR(ub->score.points[STATS_SATISFACTION], 0);
	NEAR(ub->score.scored_max, 82);
	NEAR(ub->score.total, 10 + 6 + 11);
	assert_int_equal(r.total.fee_due, 3);
	assert_int_equal(r.total.paid_online, 1);
	assert_int_equal(r.total.rated, 3);
	assert_int_equal(r.total.satisfied, 2);
	/* the same from the day rows (by procedure: d2 and d1 are 1.001193) */
	r = query_days(f, "2026-11-01", "2026-12-31", NULL, "1.001193");
	assert_int_equal(r.total.rated, 3);
	assert_int_equal(r.total.paid_online, 1);
	build_matches(f, "2026-12-01 10:00:00");
}

/* Carried over from the previous period (số kỳ trước chuyển qua): three
 * more dossiers of A from before November, c1 received 15/09 and handled
 * 20/10, c2 received 10/10 and refused 15/11, c3 received 20/10 and still
 * open; B's e2 was received 30/10 and handled 06/11. Worked out by hand:
 *   October:  A c1 (ended inside the period)                           1
 *   November: A c2 c3, B e2                                      2 + 1 = 3
 *   December: A c3 d6 d7 d11 (A has no other row in December)          4
 *   08/11-20/11 (day rows): A d2 d3 d4 d5 d6, d8 (withdrawn on 08/11
 *     itself), c2 c3; not d1 (ended 05/11), d9 (refused 07/11), c1     8
 *   08/11-20/11, procedure 1.000001: d3 d5 c2                          3
 *   November, field Hộ tịch: c3, e2                                    2
 *   the year 2026: nothing before it                                   0 */
static void test_carried_over(void **state)
{
	struct fixture *f = *state;
	const char *P = "1.001193", *Q = "1.000001";
	dossier(f, "c1", P, A, 10, "returned", 1, "2026-09-15 08:00:00", "2026-10-25 17:00:00",
		"2026-10-20 10:00:00", 0);
	dossier(f, "c2", Q, A, 3, "refused", 2, "2026-10-10 08:00:00", NULL, "2026-11-15 10:00:00",
		0);
	dossier(f, "c3", P, A, 4, "assigned", 2, "2026-10-20 08:00:00", "2026-12-20 17:00:00", NULL,
		0);
	rollup(f, "2026-11-30 12:00:00");
	struct stats_report r = query(f, "2026-10", NULL, NULL, NULL);
	assert_int_equal(unit(&r, A)->fig.carried, 1);
	assert_int_equal(unit(&r, B)->fig.carried, 0);
	assert_int_equal(r.total.carried, 1);
	r = query(f, "2026-11", NULL, NULL, NULL);
	assert_int_equal(unit(&r, A)->fig.carried, 2);
	assert_int_equal(unit(&r, B)->fig.carried, 1);
	assert_int_equal(r.total.carried, 3);
	assert_int_equal(r.total.received, 12); /* the new ones count in their months */
	r = query(f, "2026-12", NULL, NULL, NULL);
	assert_int_equal(r.nunits, 1);
	assert_string_equal(r.units[0].code, A);
	assert_string_equal(r.units[0].name, "Sở Tư pháp");
	assert_int_equal(r.units[0].fig.carried, 4);
	assert_int_equal(r.units[0].fig.received, 0);
	assert_true(r.units[0].fig.on_time_rate < 0);
	assert_int_equal(r.total.carried, 4);
	r = query_days(f, "2026-11-08", "2026-11-20", NULL, NULL);
	assert_int_equal(unit(&r, A)->fig.carried, 8);
	assert_int_equal(r.total.carried, 8);
	r = query_days(f, "2026-11-08", "2026-11-20", NULL, Q);
	assert_int_equal(r.total.carried, 3);
	r = query(f, "2026-11", NULL, "HT", NULL);
	assert_int_equal(r.total.carried, 2);
	r = query(f, "2026", NULL, NULL, NULL);
	assert_int_equal(r.total.carried, 0);
	r = query(f, "2026-Q4", A, NULL, NULL);
	assert_int_equal(r.total.carried, 1); /* c1 */
	/* c3 handled on 01/12: no longer carried into December; the set-based
	 * build agrees */
	sql(f, "UPDATE dossier SET stage = 'done', status = 9, finished_at = '2026-12-01 09:00:00',"
	       " updated_at = '2026-12-01 09:00:00' WHERE id = 'c3'");
	rollup(f, "2026-12-01 10:00:00");
	r = query(f, "2026-12", A, NULL, NULL);
	assert_int_equal(r.total.carried, 4);
	r = query_days(f, "2026-12-02", "2026-12-31", NULL, NULL);
	assert_int_equal(r.total.carried, 3);
	build_matches(f, "2026-12-01 10:00:00");
	r = query_days(f, "2026-12-02", "2026-12-31", NULL, NULL);
	assert_int_equal(r.total.carried, 3);
}

static void test_filters_and_inputs(void **state)
{
	struct fixture *f = *state;
	struct {
		const char *period, *from, *to, *why;
	} bad[] = {
		{"2026-13", NULL, NULL, "stats.error.period"},
		{"2026-Q5", NULL, NULL, "stats.error.period"},
		{"26", NULL, NULL, "stats.error.period"},
		{"2026", "2026-01-01", NULL, "stats.error.period"},
		{NULL, "2026-02-30", "2026-03-01", "stats.error.period"},
		{NULL, "2026-03-01", "2026-02-01", "stats.error.range"},
		{NULL, "2010-01-01", "2026-02-01", "stats.error.range"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct stats_filter flt = {0};
		const char *why = NULL;
		assert_int_equal(stats_filter_parse(f->a, bad[i].period, bad[i].from, bad[i].to,
						    "2026-11-30", &flt, &why),
				 MC_INVALID);
		assert_string_equal(why, bad[i].why);
	}
	struct stats_filter flt = {.level = "galaxy"};
	const char *why = NULL;
	assert_int_equal(stats_filter_parse(f->a, "2026", NULL, NULL, "2026-11-30", &flt, &why),
			 MC_INVALID);
	flt = (struct stats_filter){.agency = "x' OR 1=1"};
	assert_int_equal(stats_filter_parse(f->a, "2026", NULL, NULL, "2026-11-30", &flt, &why),
			 MC_INVALID);
	flt = (struct stats_filter){0};
	assert_int_equal(stats_filter_parse(f->a, "2024-Q1", NULL, NULL, "2026-11-30", &flt, &why),
			 MC_OK);
	assert_string_equal(flt.from, "2024-01-01");
	assert_string_equal(flt.to, "2024-03-31");
	flt = (struct stats_filter){0};
	assert_int_equal(stats_filter_parse(f->a, "2024-02", NULL, NULL, "2026-11-30", &flt, &why),
			 MC_OK);
	assert_string_equal(flt.to, "2024-02-29");
	flt = (struct stats_filter){0};
	assert_int_equal(
		stats_filter_parse(f->a, NULL, NULL, NULL, "2026-11-30 10:00:00", &flt, &why),
		MC_OK);
	assert_string_equal(flt.from, "2026-01-01");
	assert_string_equal(flt.to, "2026-11-30");
	/* entered values: checked and audited */
	assert_int_equal(stats_set_target(f->d, "admin", A, 2026, "speed", 50, &why), MC_INVALID);
	assert_string_equal(why, "stats.error.metric");
	assert_int_equal(stats_set_target(f->d, "admin", A, 2026, "index", 101, &why), MC_INVALID);
	assert_string_equal(why, "stats.error.value");
	assert_int_equal(stats_set_target(f->d, "admin", "NOPE", 2026, "index", 80, &why),
			 MC_INVALID);
	assert_string_equal(why, "stats.error.agency");
	assert_int_equal(stats_set_input(f->d, "admin", A, "2026-13", "transparency", 80, &why),
			 MC_INVALID);
	assert_int_equal(stats_set_target(f->d, "admin", A, 2026, "index", 85.5, &why), MC_OK);
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), f->a,
				  "SELECT value FROM stats_target WHERE metric = 'index'",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_int(r, 0, 0), 8550);
	assert_int_equal(db_query(db_reader(f->d), f->a,
				  "SELECT COUNT(*) FROM audit_log WHERE action = 'stats.target'",
				  DB_NOARGS, &r),
			 MC_OK);
	assert_int_equal(db_int(r, 0, 0), 1);
	assert_string_equal(stats_grade(90), "stats.grade.excellent");
	assert_string_equal(stats_grade(89.99), "stats.grade.good");
	assert_string_equal(stats_grade(70), "stats.grade.fair");
	assert_string_equal(stats_grade(50), "stats.grade.average");
	assert_string_equal(stats_grade(49.9), "stats.grade.weak");
}

/* How many dossiers whose id matches the LIKE pattern stats_seen holds. */
static int64_t seen_like(struct fixture *f, const char *pattern)
{
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), f->a,
				  "SELECT COUNT(*) FROM stats_seen WHERE dossier_id LIKE $1",
				  DB_ARGS(DB_TEXT(pattern)), &r),
			 MC_OK);
	return db_int(r, 0, 0);
}

/* More changed dossiers than one batch of the rollup reads (10,000), all
 * with the same updated_at: the keyset must go on inside that second from
 * the last id of the previous batch, neither skipping nor repeating one. */
static void test_rollup_batches_within_one_second(void **state)
{
	struct fixture *f = *state;
	enum { BULK = 10050 };
	char q[1024];
	snprintf(q, sizeof(q),
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO dossier (id, code, procedure_code, agency_code, status, stage,"
		 " channel, created_at, updated_at, submitted_at, due_at, finished_at)"
		 " SELECT 'bulk' || i, 'C-bulk' || i, '1.001193', '" B "', 9, 'done', 2,"
		 " '2026-11-20 08:00:00', '2026-11-29 10:00:00', '2026-11-20 08:00:00',"
		 " '2026-11-27 17:00:00', '2026-11-26 10:00:00' FROM n",
		 (int)BULK);
	sql(f, q);
	rollup(f, "2026-11-30 12:00:00");
	assert_int_equal(seen_like(f, "bulk%"), BULK);
	struct stats_report rep = query(f, "2026-11", B, NULL, NULL);
	assert_int_equal(rep.total.received, 1 + BULK); /* e1 and the bulk (e2: October) */
	assert_int_equal(rep.total.early, 1 + BULK);
	/* the set-based build of the same data gives the same rows */
	build_matches(f, "2026-11-30 12:00:00");
}

/* Dossiers stamped after the round's now (a node's clock ahead, imported
 * data) are not "changes behind": more of them than the rebuild threshold
 * (50,000) must not send every round into a full build. */
static void test_future_rows_do_not_rebuild(void **state)
{
	struct fixture *f = *state;
	rollup(f, "2026-11-30 12:00:00");
	sql(f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50001)"
	       " INSERT INTO dossier (id, code, procedure_code, agency_code, status, stage,"
	       " channel, created_at, updated_at, submitted_at, due_at)"
	       " SELECT 'later' || i, 'C-later' || i, '1.001193', '" B "', 1, 'new', 2,"
	       " '2026-12-01 08:00:00', '2026-12-01 08:00:00', '2026-12-01 08:00:00',"
	       " '2026-12-08 17:00:00' FROM n");
	rollup(f, "2026-11-30 12:01:00");
	/* a full build would have counted every dossier, these too */
	assert_int_equal(seen_like(f, "later%"), 0);
	/* once their time comes, the round takes them (a build: so many) */
	rollup(f, "2026-12-01 09:00:00");
	struct stats_report rep = query(f, "2026-12", B, NULL, NULL);
	assert_int_equal(rep.total.received, 50001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_figures_and_scores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollup_after_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters_and_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payments_and_satisfaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollup_batches_within_one_second, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_carried_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_future_rows_do_not_rebuild, setup, teardown),
	};
	fprintf(stderr, "# backend: %s\n", testdb_backend());
	return cmocka_run_group_tests_name("db_stats", tests, NULL, NULL);
}
