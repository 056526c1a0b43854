/*
 * it_bench_gen.c - build/bench-gen (bench/gen.c) on a demo data directory
 * without demo dossiers, on either backend: 5,000 dossiers over one year;
 * codes unique, gapless per agency and day and matching dossier_seq; every
 * stage present; each dossier's events a legal path of the workflow table
 * ending in its stage; due dates after submission; the public lookup of a
 * generated code; a statistics round whose received total is the count;
 * flags checked; a second run refused without --append; the same seed
 * giving the same rows in a second data directory; no row stamped after
 * the run without an --end in the future; and a killed `motcua stats
 * rollup` holding the statistics job's lease only briefly.
 */
#include <fcntl.h>
#include <libgen.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "db/db.h"
#include "domain/workflow.h"
#include "harness.h"

#define N	  "5000" /* as text, for the command line */
#define NDOSSIERS 5000

static struct it_server srv;
static char gen_bin[PATH_MAX];

/* Runs bench-gen on s's data directory with extra arguments (NULL-ended). */
static struct it_cmd gen_run(const struct it_server *s, const char *first, ...)
{
	const char *argv[24] = {gen_bin, "--data", s->data};
	int n = 3;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 23; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	const char *env[] = {s->db_env[0] ? s->db_env : NULL, NULL};
	struct it_cmd r;
	if (it_run(&r, argv, env, 600000) != 0)
		fail_msg("cannot run %s", gen_bin);
	return r;
}

static int generate(struct it_server *s)
{
	struct it_cmd r = gen_run(s, "--dossiers", N, "--years", "1", "--seed", "7", "--end",
				  "2026-11-27", "--batch", "1000", NULL);
	if (r.status != 0)
		fprintf(stderr, "bench-gen failed (%d): %s\n", r.status, r.err);
	else
		it_note("%s", r.out);
	int rc = r.status == 0 ? 0 : -1;
	it_cmd_free(&r);
	return rc;
}

static int group_setup(void **state)
{
	(void)state;
	char bin[PATH_MAX];
	snprintf(bin, sizeof(bin), "%s", it_bin());
	snprintf(gen_bin, sizeof(gen_bin), "%s/bench-gen", dirname(bin));
	struct it_server_opts o = {.demo = true, .demo_dossiers = 0};
	if (it_server_start(&srv, &o) != 0 || it_server_stop(&srv) != 0)
		return -1;
	if (generate(&srv) != 0)
		return -1;
	return it_server_restart(&srv);
}

static int group_teardown(void **state)
{
	(void)state;
	int rc = it_server_stop(&srv);
	it_server_free(&srv);
	return rc;
}

static long long count(const char *sql)
{
	return it_db_count(srv.db_path, sql, NULL);
}

static void test_every_dossier_generated(void **state)
{
	(void)state;
	assert_int_equal(count("SELECT COUNT(*) FROM dossier"), NDOSSIERS);
	assert_int_equal(count("SELECT COUNT(DISTINCT code) FROM dossier"), NDOSSIERS);
	/* spread over more than a few agencies and procedures, communes first */
	assert_true(count("SELECT COUNT(DISTINCT agency_code) FROM dossier") > 100);
	assert_true(count("SELECT COUNT(DISTINCT procedure_code) FROM dossier") > 100);
	assert_true(count("SELECT COUNT(*) FROM dossier d JOIN agency a ON a.code = d.agency_code"
			  " WHERE a.level = 'commune'") > NDOSSIERS / 2);
	/* all three channels, applicants as JSON with a name */
	assert_int_equal(count("SELECT COUNT(DISTINCT channel) FROM dossier"), 3);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE applicant NOT LIKE"
			       " '{\"name\":\"%' OR applicant_search = ''"),
			 0);
	/* each dossier at a competent agency */
	assert_int_equal(count("SELECT COUNT(*) FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM"
			       " procedure_agency pa WHERE pa.procedure_code = d.procedure_code"
			       " AND pa.agency_code = d.agency_code)"),
			 0);
}

static void test_codes_gapless_and_counted(void **state)
{
	(void)state;
	/* the agency's identifier, the submission day */
	assert_int_equal(count("SELECT COUNT(*) FROM dossier d JOIN agency a ON a.code ="
			       " d.agency_code WHERE substr(d.code, 1, length(a.identifier) + 1)"
			       " <> a.identifier || '-' OR substr(d.code, length(d.code) - 10, 6)"
			       " <> substr(d.submitted_at, 3, 2) || substr(d.submitted_at, 6, 2) ||"
			       " substr(d.submitted_at, 9, 2)"),
			 0);
	/* 1..n per agency and day, and dossier_seq.last = n */
	assert_int_equal(
		count("SELECT COUNT(*) FROM (SELECT agency_code, substr(code, length(code) - 10, 6)"
		      " AS d, COUNT(*) AS n, MIN(CAST(substr(code, length(code) - 3, 4) AS"
		      " INTEGER)) AS lo, MAX(CAST(substr(code, length(code) - 3, 4) AS INTEGER))"
		      " AS hi FROM dossier GROUP BY agency_code, substr(code, length(code) - 10, "
		      "6))"
		      " g LEFT JOIN dossier_seq s ON s.agency_code = g.agency_code AND"
		      " substr(s.day, 3, 2) || substr(s.day, 6, 2) || substr(s.day, 9, 2) = g.d"
		      " WHERE g.lo <> 1 OR g.hi <> g.n OR s.last IS NULL OR s.last <> g.n"),
		0);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier_seq s WHERE NOT EXISTS (SELECT 1"
			       " FROM dossier d WHERE d.agency_code = s.agency_code AND"
			       " substr(d.submitted_at, 1, 10) = s.day)"),
			 0);
}

static void test_every_stage_present(void **state)
{
	(void)state;
	for (int s = 0; s < WF_NSTAGES; s++) {
		long long n =
			it_db_count(srv.db_path, "SELECT COUNT(*) FROM dossier WHERE stage = $1",
				    wf_stage_name((enum wf_stage)s));
		it_note("%-17s %lld", wf_stage_name((enum wf_stage)s), n);
		assert_true(n > 0);
	}
	/* mostly finished: the old ones are */
	assert_true(count("SELECT COUNT(*) FROM dossier WHERE stage = 'returned'") > NDOSSIERS / 2);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE status = 0 OR code IS NULL"), 0);
	/* supplements about 1 in 7, two in about 1 in 30 */
	long long sup = count("SELECT COUNT(*) FROM dossier WHERE supplements > 0");
	long long two = count("SELECT COUNT(*) FROM dossier WHERE supplements > 1");
	assert_true(sup > NDOSSIERS / 10 && sup < NDOSSIERS / 5);
	assert_true(two > NDOSSIERS / 60 && two < NDOSSIERS / 15);
	assert_true(count("SELECT COUNT(*) FROM rating") > 0);
	assert_true(count("SELECT COUNT(*) FROM payment") > 0);
	assert_int_equal(count("SELECT COUNT(*) FROM payment p JOIN dossier_fee f ON f.dossier_id ="
			       " p.dossier_id WHERE f.status <> 'paid' OR f.amount <> p.amount"),
			 0);
	assert_int_equal(count("SELECT COUNT(*) FROM rating r JOIN dossier d ON d.id ="
			       " r.dossier_id WHERE d.status <> 10 OR r.account_id <>"
			       " d.account_id"),
			 0);
}

/* Replays every dossier's events through the workflow table. */
static void test_events_follow_the_workflow(void **state)
{
	(void)state;
	db *d;
	char err[256];
	if (db_open(srv.db_path, &d, err, sizeof(err)) != MC_OK)
		fail_msg("db_open: %s", err);
	arena *a = arena_new(0);
	db_conn *c = db_reader(d);
	assert_non_null(c);
	db_result *r;
	assert_int_equal(db_query(c, a,
				  "SELECT d.id, d.stage, d.status, d.version, e.n, e.action,"
				  " e.status_from, e.status_to, e.at, d.submitted_at, d.updated_at"
				  " FROM dossier d JOIN dossier_event e ON e.dossier_id = d.id"
				  " ORDER BY d.id, e.n",
				  DB_NOARGS, &r),
			 MC_OK);
	int dossiers = 0;
	for (int i = 0; i < db_nrows(r);) {
		const char *id = db_text(r, i, 0);
		enum wf_stage st = WF_NEW;
		int j = i;
		assert_string_equal(db_text(r, i, 5), "submitted");
		assert_int_equal(db_int(r, i, 6), 0);
		assert_int_equal(db_int(r, i, 7), 1);
		assert_string_equal(db_text(r, i, 8), db_text(r, i, 9));
		for (j = i + 1; j < db_nrows(r) && strcmp(db_text(r, j, 0), id) == 0; j++) {
			int act = wf_action_parse(db_text(r, j, 5));
			assert_true(act >= 0);
			const struct wf_transition *t = wf_find(st, (enum wf_action)act);
			if (!t)
				fail_msg("%s: %s from %s", id, db_text(r, j, 5), wf_stage_name(st));
			assert_int_equal(db_int(r, j, 4), j - i + 1);
			assert_int_equal(db_int(r, j, 6), wf_status_code(st));
			assert_int_equal(db_int(r, j, 7), wf_status_code(t->to));
			assert_true(strcmp(db_text(r, j, 8), db_text(r, j - 1, 8)) >= 0);
			st = t->to;
		}
		assert_string_equal(db_text(r, i, 1), wf_stage_name(st));
		assert_int_equal(db_int(r, i, 2), wf_status_code(st));
		assert_int_equal(db_int(r, i, 3), j - i - 1);
		assert_string_equal(db_text(r, j - 1, 8), db_text(r, i, 10));
		dossiers++;
		i = j;
	}
	assert_int_equal(dossiers, NDOSSIERS);
	arena_free(a);
	db_close(d);
	/* one open holder for each open dossier, none for a finished one nor
	 * for one just submitted (nobody has moved it yet) */
	assert_int_equal(count("SELECT COUNT(*) FROM dossier d WHERE (SELECT COUNT(*) FROM"
			       " dossier_holder h WHERE h.dossier_id = d.id AND h.until_at IS"
			       " NULL) <> CASE WHEN d.stage IN ('refused', 'stopped', 'returned')"
			       " OR d.version = 0 THEN 0 ELSE 1 END"),
			 0);
}

static void test_dates_in_order(void **state)
{
	(void)state;
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE due_at <= submitted_at OR"
			       " received_at < submitted_at OR finished_at < submitted_at OR"
			       " due_at < received_at"),
			 0);
	/* the submissions fall in office hours */
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE substr(submitted_at, 12, 5)"
			       " < '07:30' OR substr(submitted_at, 12, 5) >= '16:30' OR"
			       " (substr(submitted_at, 12, 5) >= '11:30' AND"
			       " substr(submitted_at, 12, 5) < '13:30')"),
			 0);
	/* dossiers with a time limit have a due date once received */
	assert_true(count("SELECT COUNT(*) FROM dossier WHERE due_at IS NOT NULL") > 0);
	assert_true(count("SELECT COUNT(*) FROM dossier WHERE finished_at > due_at") > 0);
}

static void test_lookup_of_a_generated_code(void **state)
{
	(void)state;
	char *code = NULL;
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT code FROM dossier WHERE stage = 'returned' ORDER BY code"
				   " LIMIT 1",
				   NULL, &code, 1),
			 1);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/status", code);
	struct http_resp r;
	assert_response(http_fetch(srv.port, "GET", path, NULL, NULL, 0, &r), &r, 200);
	assert_non_null(strstr(r.body, code));
	assert_non_null(strstr(r.body, "\"return_result\""));
	http_resp_free(&r);
	free(code);
}

/* While the server's statistics job holds its lease, `motcua stats rollup`
 * refuses (two writers of the same rows collided on PostgreSQL); with the
 * server stopped (its lease released) the round runs and counts everything. */
static void test_stats_round_counts_everything(void **state)
{
	(void)state;
	const char *argv[] = {it_bin(), "stats", "rollup", "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd r;
	int held = 0;
	for (int i = 0; i < 300 && !held; i++) {
		held = count("SELECT COUNT(*) FROM job_lease WHERE name = 'stats'"
			     " AND holder NOT LIKE 'cli:%'");
		if (!held)
			usleep(100 * 1000);
	}
	assert_int_equal(held, 1);
	assert_int_equal(it_run(&r, argv, env, 600000), 0);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "statistics job is running"));
	it_cmd_free(&r);
	assert_int_equal(it_server_stop(&srv), 0);
	assert_int_equal(it_run(&r, argv, env, 600000), 0);
	if (r.status != 0)
		fail_msg("stats rollup: %s", r.err);
	it_cmd_free(&r);
	assert_int_equal(count("SELECT SUM(received) FROM stats_day"), NDOSSIERS);
	assert_int_equal(it_server_restart(&srv), 0);
}

/* The clock as the database stamps it (UTC+7), plus seconds. */
static void vn_now(char out[20], int plus)
{
	time_t t = time(NULL) + 7 * 3600 + plus;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Rows of a data directory stamped after at (any time column bench-gen
 * writes; due dates are deadlines, not stamps). */
static long long stamped_after(const struct it_server *s, const char *at)
{
	return it_db_count(
		s->db_path,
		"SELECT (SELECT COUNT(*) FROM dossier WHERE created_at > $1 OR updated_at > $1 OR"
		" submitted_at > $1 OR received_at > $1 OR finished_at > $1 OR paused_at > $1)"
		" + (SELECT COUNT(*) FROM dossier_event WHERE at > $1)"
		" + (SELECT COUNT(*) FROM dossier_holder WHERE from_at > $1 OR until_at > $1)"
		" + (SELECT COUNT(*) FROM dossier_fee WHERE created_at > $1 OR paid_at > $1)"
		" + (SELECT COUNT(*) FROM payment WHERE paid_at > $1 OR recorded_at > $1)"
		" + (SELECT COUNT(*) FROM rating WHERE created_at > $1)"
		" + (SELECT COUNT(*) FROM account WHERE created_at > $1)",
		at);
}

/* Without --end (today) nothing is stamped after the run, whatever the
 * hour: before 17:00 (UTC+7) the old generator stamped the rest of the
 * day. An --end in the future still gives later stamps (so the count can
 * see them). */
static void test_nothing_stamped_after_the_run(void **state)
{
	(void)state;
	struct it_server three;
	struct it_server_opts o = {.demo = true, .demo_dossiers = 0};
	assert_int_equal(it_server_start(&three, &o), 0);
	assert_int_equal(it_server_stop(&three), 0);
	struct it_cmd r = gen_run(&three, "--dossiers", "3000", "--years", "1", "--seed", "11",
				  "--batch", "1000", NULL);
	if (r.status != 0)
		fail_msg("bench-gen: %s", r.err);
	it_cmd_free(&r);
	char after[20];
	vn_now(after, 0);
	assert_int_equal(it_db_count(three.db_path, "SELECT COUNT(*) FROM dossier", NULL), 3000);
	assert_int_equal(stamped_after(&three, after), 0);
	char end[20];
	vn_now(end, 60 * 86400);
	end[10] = '\0';
	r = gen_run(&three, "--dossiers", "1000", "--years", "1", "--seed", "12", "--end", end,
		    "--append", NULL);
	if (r.status != 0)
		fail_msg("bench-gen --end %s: %s", end, r.err);
	it_cmd_free(&r);
	assert_true(stamped_after(&three, after) > 0);
	it_server_free(&three);
}

/* Starts `motcua stats rollup` on srv's data directory; its pid. */
static pid_t rollup_spawn(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		if (srv.db_env[0])
			putenv(srv.db_env);
		execl(it_bin(), it_bin(), "stats", "rollup", "--data", srv.data, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Seconds left of holder's lease of the stats job; <= 0 when it does not
 * hold it (another does, or it was released). */
static long long lease_left(const char *holder)
{
	long long e = it_db_count(
		srv.db_path,
		"SELECT expires_at FROM job_lease WHERE name = 'stats' AND holder = $1", holder);
	return e > 0 ? e - (long long)time(NULL) : -1;
}

/* `motcua stats rollup` killed (kill -9) in the middle of a first build:
 * its lease is short (30 s; it renews it while it works), so the server's
 * job takes over within the lease and one jobs_interval (10 s), not the
 * two minutes the command used to hold. */
static void test_killed_rollup_frees_the_lease(void **state)
{
	(void)state;
	assert_int_equal(it_server_stop(&srv), 0); /* releases the server's lease */
	long long left = -1;
	for (int attempt = 0; attempt < 3 && left < 0; attempt++) {
		/* a first build, so the round lasts (about a second here) */
		char sql[256], at[20];
		vn_now(at, 0);
		snprintf(sql, sizeof(sql),
			 "DELETE FROM stats_state WHERE key IN ('build_at', 'build_next');"
			 " INSERT INTO stats_state (key, value) VALUES ('build_at', '%s'),"
			 " ('build_next', '')",
			 at);
		assert_int_equal(it_db_exec(srv.db_path, sql), 0);
		char want[32];
		pid_t pid = rollup_spawn();
		assert_true(pid > 0);
		snprintf(want, sizeof(want), "cli:%ld", (long)pid);
		long long l = -1;
		for (int i = 0; i < 20000 && l <= 0; i++) {
			l = lease_left(want);
			if (l <= 0)
				usleep(500);
		}
		bool seen = l > 0;
		kill(pid, SIGSTOP);
		/* still working when stopped: the lease is still its own */
		l = lease_left(want);
		if (seen && l > 0)
			left = l;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		it_note("attempt %d: %s, %lld s of the lease left", attempt + 1,
			seen ? "caught working" : "not caught", l);
	}
	if (left < 0)
		fail_msg("the rollup was never caught holding its lease");
	assert_true(left <= 30);
	/* the server's job takes the lease over once it runs out */
	time_t t0 = time(NULL);
	assert_int_equal(it_server_restart(&srv), 0);
	int taken = 0;
	while (!taken && time(NULL) - t0 < 90) {
		taken = count("SELECT COUNT(*) FROM job_lease WHERE name = 'stats'"
			      " AND holder NOT LIKE 'cli:%'");
		if (!taken)
			usleep(200 * 1000);
	}
	long long waited = (long long)(time(NULL) - t0);
	it_note("the server's job took the lease over after %lld s", waited);
	assert_int_equal(taken, 1);
	assert_true(waited <= 30 + 10 + 15); /* lease, one round, a restart under load */
}

static void test_flags_checked_and_second_run_refused(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
		{"--dossiers", "0"},	 {"--dossiers", "12x"}, {"--years", "21"},
		{"--end", "2026-02-30"}, {"--batch", "5"},	{"--seed", "-1"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct it_cmd r = gen_run(&srv, bad[i][0], bad[i][1], NULL);
		assert_int_equal(r.status, 2);
		assert_non_null(strstr(r.err, bad[i][0]));
		it_cmd_free(&r);
	}
	struct it_cmd r = gen_run(&srv, "--dossiers", "10", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "--append"));
	it_cmd_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier"), NDOSSIERS);
}

/* The same seed in a second data directory gives the same rows; --append
 * then adds more with codes still gapless. */
static void test_same_seed_same_dossiers(void **state)
{
	(void)state;
	struct it_server two;
	struct it_server_opts o = {.demo = true, .demo_dossiers = 0};
	assert_int_equal(it_server_start(&two, &o), 0);
	assert_int_equal(it_server_stop(&two), 0);
	assert_int_equal(generate(&two), 0);
	static const char digest[] =
		"SELECT COUNT(*) FROM dossier WHERE id IN (SELECT id FROM dossier ORDER BY id LIMIT"
		" 300) AND code || stage || COALESCE(due_at, '-') || applicant = $1";
	char *cols[2] = {NULL, NULL};
	assert_int_equal(
		it_db_row(srv.db_path, "SELECT COUNT(*), SUM(version) FROM dossier", NULL, cols, 2),
		1);
	char *cols2[2] = {NULL, NULL};
	assert_int_equal(it_db_row(two.db_path, "SELECT COUNT(*), SUM(version) FROM dossier", NULL,
				   cols2, 2),
			 1);
	assert_string_equal(cols[0], cols2[0]);
	assert_string_equal(cols[1], cols2[1]);
	for (int i = 0; i < 2; i++) {
		free(cols[i]);
		free(cols2[i]);
	}
	/* the first 300 dossiers, field by field */
	for (int i = 0; i < 300; i += 37) {
		char sql[256], *v = NULL;
		snprintf(sql, sizeof(sql),
			 "SELECT code || stage || COALESCE(due_at, '-') || applicant FROM dossier"
			 " ORDER BY id LIMIT 1 OFFSET %d",
			 i);
		assert_int_equal(it_db_row(two.db_path, sql, NULL, &v, 1), 1);
		assert_int_equal(it_db_count(srv.db_path, digest, v), 1);
		free(v);
	}
	struct it_cmd r = gen_run(&two, "--dossiers", "700", "--years", "1", "--seed", "8", "--end",
				  "2026-11-27", "--append", NULL);
	assert_int_equal(r.status, 0);
	it_cmd_free(&r);
	assert_int_equal(it_db_count(two.db_path, "SELECT COUNT(DISTINCT code) FROM dossier", NULL),
			 NDOSSIERS + 700);
	assert_int_equal(
		it_db_count(two.db_path,
			    "SELECT COUNT(*) FROM (SELECT agency_code, substr(code, length(code) -"
			    " 10, 6) AS d, COUNT(*) AS n FROM dossier GROUP BY agency_code,"
			    " substr(code, length(code) - 10, 6)) g JOIN dossier_seq s ON"
			    " s.agency_code = g.agency_code AND substr(s.day, 3, 2) ||"
			    " substr(s.day, 6, 2) || substr(s.day, 9, 2) = g.d WHERE s.last <> g.n",
			    NULL),
		0);
	it_server_free(&two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_dossier_generated),
		cmocka_unit_test(test_codes_gapless_and_counted),
		cmocka_unit_test(test_every_stage_present),
		cmocka_unit_test(test_events_follow_the_workflow),
		cmocka_unit_test(test_dates_in_order),
		cmocka_unit_test(test_lookup_of_a_generated_code),
		cmocka_unit_test(test_stats_round_counts_everything),
		cmocka_unit_test(test_killed_rollup_frees_the_lease),
		cmocka_unit_test(test_flags_checked_and_second_run_refused),
		cmocka_unit_test(test_same_seed_same_dossiers),
		cmocka_unit_test(test_nothing_stamped_after_the_run),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
