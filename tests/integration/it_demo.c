/*
 * it_demo.c - `motcua init --demo` with its default year of demo dossiers
 * (src/domain/demo_dossiers.c): every national status is there, every
 * dossier's history is a legal path of the workflow table from stage new
 * to its stage now, the audit chain verifies, each demo officer's queues
 * have rows, a demo citizen has dossiers, and a second init gives the same
 * dossier codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "db/db.h"
#include "domain/workflow.h"
#include "harness.h"
#include "signin.h"

static struct it_server srv;

static int group_setup(void **state)
{
	struct it_server_opts o = {.demo = true, .demo_dossiers = -1};
	return it_server_start(&srv, &o);
}

static int group_teardown(void **state)
{
	int rc = it_server_stop(&srv);
	it_server_free(&srv);
	return rc;
}

/* Every row of sql on target (no arguments): a tab-joined line per row,
 * in one malloc'd string; *rows gets their count. */
static char *rows_of(const char *target, const char *sql, int *rows)
{
	db *d;
	char err[256];
	if (db_open(target, &d, err, sizeof(err)) != MC_OK)
		fail_msg("db_open %s: %s", target, err);
	arena *a = arena_new(0);
	db_result *r;
	db_conn *c = db_reader(d);
	assert_non_null(c);
	assert_int_equal(db_query(c, a, sql, NULL, 0, &r), MC_OK);
	size_t cap = 1024, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = '\0';
	*rows = db_nrows(r);
	for (int i = 0; i < db_nrows(r); i++)
		for (int k = 0; k < db_ncols(r); k++) {
			const char *v = db_text(r, i, k);
			size_t n = strlen(v ? v : "") + 2;
			if (len + n + 1 > cap) {
				cap = (len + n + 1) * 2;
				out = realloc(out, cap);
				assert_non_null(out);
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "",
						k + 1 < db_ncols(r) ? '\t' : '\n');
		}
	arena_free(a);
	db_close(d);
	return out;
}

static void test_init_printed_a_summary(void **state)
{
	char *out = it_read_file(srv.init_out, NULL);
	assert_non_null(out);
	const char *line = strstr(out, " hồ sơ mẫu: ");
	while (line && line > out && line[-1] != '\n')
		line--;
	int n = 0;
	if (!line || sscanf(line, "demo: %d hồ sơ mẫu:", &n) != 1)
		fail_msg("no summary in:\n%s", out);
	assert_true(n >= 400 && n <= 800);
	assert_int_equal(
		it_db_count(srv.db_path, "SELECT COUNT(*) FROM dossier WHERE status > 0", NULL), n);
	free(out);
}

static void test_every_status_is_present(void **state)
{
	for (int s = 1; s <= 10; s++) {
		char v[16];
		snprintf(v, sizeof(v), "%d", s);
		long long n = it_db_count(
			srv.db_path,
			"SELECT COUNT(*) FROM dossier WHERE status = CAST($1 AS INTEGER)", v);
		if (n < 1)
			fail_msg("no demo dossier with status %d", s);
	}
	/* Spread over the past year, never in the future. */
	long long months =
		it_db_count(srv.db_path,
			    "SELECT COUNT(DISTINCT substr(submitted_at, 1, 7)) FROM dossier", NULL);
	assert_true(months >= 12);
}

/* Each history, replayed on the workflow table from stage new, is legal
 * and ends in the dossier's stage. */
static void test_every_history_is_legal(void **state)
{
	int n;
	char *rows = rows_of(srv.db_path,
			     "SELECT d.code, d.stage, e.action, e.at FROM dossier d"
			     " JOIN dossier_event e ON e.dossier_id = d.id"
			     " WHERE d.status > 0 ORDER BY d.code, e.n",
			     &n);
	assert_true(n > 1000);
	char code[64] = "", stage_now[32] = "", prev_at[32] = "";
	int stage = -1, dossiers = 0;
	for (char *line = rows, *next; *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		char c[64], st[32], action[40], at[32];
		assert_int_equal(
			sscanf(line, "%63[^\t]\t%31[^\t]\t%39[^\t]\t%31[^\n]", c, st, action, at),
			4);
		if (strcmp(c, code) != 0) {
			if (dossiers && strcmp(wf_stage_name((enum wf_stage)stage), stage_now) != 0)
				fail_msg("%s ends in %s, replayed %s", code, stage_now,
					 wf_stage_name((enum wf_stage)stage));
			dossiers++;
			snprintf(code, sizeof(code), "%s", c);
			snprintf(stage_now, sizeof(stage_now), "%s", st);
			if (strcmp(action, "submitted") != 0)
				fail_msg("%s starts with %s", c, action);
			stage = WF_NEW;
			snprintf(prev_at, sizeof(prev_at), "%s", at);
			continue;
		}
		if (strcmp(at, prev_at) < 0)
			fail_msg("%s: %s at %s before %s", c, action, at, prev_at);
		snprintf(prev_at, sizeof(prev_at), "%s", at);
		int act = wf_action_parse(action);
		const struct wf_transition *t =
			act < 0 ? NULL : wf_find((enum wf_stage)stage, (enum wf_action)act);
		if (!t)
			fail_msg("%s: %s is not legal in stage %s", c, action,
				 wf_stage_name((enum wf_stage)stage));
		stage = (int)t->to;
	}
	if (strcmp(wf_stage_name((enum wf_stage)stage), stage_now) != 0)
		fail_msg("%s ends in %s, replayed %s", code, stage_now,
			 wf_stage_name((enum wf_stage)stage));
	assert_true(dossiers >= 400);
	free(rows);
}

static void test_audit_chain_verifies(void **state)
{
	const char *argv[] = {it_bin(), "audit", "verify", "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	assert_int_equal(it_run(&cmd, argv, env, 60000), 0);
	if (cmd.status != 0)
		fail_msg("audit verify: %d\n%s%s", cmd.status, cmd.out, cmd.err);
	it_cmd_free(&cmd);
}

/* The queue counts of one demo officer, through the API. */
static json_t *queues_of(const char *login)
{
	char *cols[1];
	assert_int_equal(
		it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1", login, cols, 1),
		1);
	struct it_user u;
	assert_int_equal(it_signin(srv.db_path, cols[0], "api", &u), 0);
	free(cols[0]);
	struct http_resp r;
	assert_int_equal(
		http_fetch(srv.port, "GET", "/api/v1/officer/queues", u.headers, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	http_resp_free(&r);
	assert_non_null(j);
	json_t *q = json_incref(json_object_get(j, "queues"));
	json_decref(j);
	assert_non_null(q);
	return q;
}

static void test_every_officer_queue_has_rows(void **state)
{
	const char *desks[] = {"motcua.stp", "motcua.xa", "lanhdao.stp", "lanhdao.xa"};
	const char *queues[] = {"new", "processing", "approval", "overdue", "return"};
	for (size_t i = 0; i < sizeof(desks) / sizeof(desks[0]); i++) {
		json_t *q = queues_of(desks[i]);
		for (size_t k = 0; k < sizeof(queues) / sizeof(queues[0]); k++)
			if (json_integer_value(json_object_get(q, queues[k])) < 1)
				fail_msg("%s: queue %s is empty", desks[i], queues[k]);
		json_decref(q);
	}
}

static void test_a_demo_citizen_has_dossiers(void **state)
{
	long long n =
		it_db_count(srv.db_path,
			    "SELECT COUNT(*) FROM dossier d JOIN account a ON a.id = d.account_id"
			    " WHERE a.login = $1",
			    "037090001234");
	assert_true(n >= 3);
	/* Past moves are quiet: the demo fills no outbox. */
	assert_int_equal(it_db_count(srv.db_path, "SELECT COUNT(*) FROM message_outbox", NULL), 0);
}

static void test_a_second_init_gives_the_same_codes(void **state)
{
	struct it_server two;
	struct it_server_opts o = {.demo = true, .demo_dossiers = -1};
	assert_int_equal(it_server_start(&two, &o), 0);
	const char *sql = "SELECT code, status FROM dossier WHERE status > 0 ORDER BY code";
	int n1, n2;
	char *a = rows_of(srv.db_path, sql, &n1);
	char *b = rows_of(two.db_path, sql, &n2);
	assert_int_equal(it_server_stop(&two), 0);
	it_server_free(&two);
	assert_int_equal(n1, n2);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_printed_a_summary),
		cmocka_unit_test(test_every_status_is_present),
		cmocka_unit_test(test_every_history_is_legal),
		cmocka_unit_test(test_audit_chain_verifies),
		cmocka_unit_test(test_every_officer_queue_has_rows),
		cmocka_unit_test(test_a_demo_citizen_has_dossiers),
		cmocka_unit_test(test_a_second_init_gives_the_same_codes),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
