/*
 * it_cli.c - the motcua command line as an operator meets it: --help for
 * each command, exit status 2 with a message for usage errors, 1 for
 * failures, configuration errors that name the file, line and key (or the
 * environment variable), and an 'init' that can be run again safely.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define CMD_MS 60000

/* A scratch directory per test, and the database its data directory uses
 * (made on first use: a PostgreSQL one when the suite runs on PostgreSQL). */
static char scratch[PATH_MAX];
static char db_target[PATH_MAX + 32], db_var[PATH_MAX + 64];

static int scratch_setup(void **state)
{
	db_target[0] = db_var[0] = '\0';
	return it_mkdtemp(scratch);
}

/* The environment that points commands at this test's database. */
static const char *const *db_env(void)
{
	static const char *env[2];
	if (!db_target[0]) {
		char dir[PATH_MAX + 8];
		snprintf(dir, sizeof(dir), "%s/data", scratch);
		assert_int_equal(it_db_new(dir, db_target, sizeof(db_target)), 0);
		if (it_db_is_postgres())
			snprintf(db_var, sizeof(db_var), "MOTCUA_DATABASE=%s", db_target);
	}
	env[0] = db_var[0] ? db_var : NULL;
	env[1] = NULL;
	return env;
}

static int scratch_teardown(void **state)
{
	it_rmtree(scratch);
	return 0;
}

static void assert_has(const char *text, const char *needle, const char *where)
{
	if (!strstr(text, needle))
		fail_msg("%s lacks \"%s\":\n%s", where, needle, text);
}

/* Runs motcua with up to 6 arguments (NULL-terminated) and env. */
static struct it_cmd run_env(const char *const env[], const char *a1, const char *a2,
			     const char *a3, const char *a4, const char *a5, const char *a6)
{
	const char *argv[] = {it_bin(), a1, a2, a3, a4, a5, a6, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, CMD_MS), 0);
	return r;
}

#define run(...) run_env(NULL, __VA_ARGS__)

/* A data directory made by 'init' under the scratch directory. */
static void make_data_dir(char *dir, size_t len)
{
	snprintf(dir, len, "%s/data", scratch);
	struct it_cmd r = run_env(db_env(), "init", "--data", dir, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	it_cmd_free(&r);
}

/* 'serve' on a free port, for cases that must fail before serving; if one
 * does start, it is killed at the deadline and the status is -1. */
static struct it_cmd serve_env(const char *const env[], const char *dir)
{
	char listen[32];
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", it_free_port());
	const char *argv[] = {it_bin(), "serve", "--data", dir, "--listen", listen, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, 10000), 0);
	return r;
}

/* ---- help ---- */

static void test_help_lists_commands(void **state)
{
	struct it_cmd r = run("--help", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "usage: motcua COMMAND", "motcua --help");
	assert_has(r.out, "init", "motcua --help");
	assert_has(r.out, "serve", "motcua --help");
	it_cmd_free(&r);
	r = run("help", "serve", NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "--listen", "motcua help serve");
	it_cmd_free(&r);
}

static void test_init_help_describes_flags(void **state)
{
	struct it_cmd r = run("init", "--help", NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "usage: motcua init", "init --help");
	assert_has(r.out, "--data DIR", "init --help");
	assert_has(r.out, "--demo", "init --help");
	assert_has(r.out, "--demo-dossiers N", "init --help");
	assert_string_equal(r.err, "");
	it_cmd_free(&r);
}

static void test_serve_help_describes_flags(void **state)
{
	struct it_cmd r = run("serve", "--help", NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "usage: motcua serve", "serve --help");
	assert_has(r.out, "--data DIR", "serve --help");
	assert_has(r.out, "--listen HOST:PORT", "serve --help");
	it_cmd_free(&r);
}

/* ---- usage errors: exit 2 ---- */

static void test_no_command_exits_2(void **state)
{
	struct it_cmd r = run(NULL, NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 2);
	assert_has(r.err, "usage: motcua COMMAND", "stderr");
	it_cmd_free(&r);
}

static void test_unknown_command_exits_2(void **state)
{
	struct it_cmd r = run("frobnicate", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 2);
	assert_has(r.err, "frobnicate", "stderr");
	assert_string_equal(r.out, "");
	it_cmd_free(&r);
}

static void test_unknown_flag_exits_2(void **state)
{
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s/data", scratch);
	struct it_cmd r = run("init", "--data", dir, "--bogus", NULL, NULL);
	assert_int_equal(r.status, 2);
	assert_has(r.err, "--bogus", "stderr");
	assert_has(r.err, "usage: motcua init", "stderr");
	it_cmd_free(&r);
	/* serve has no --demo. */
	r = run("serve", "--data", dir, "--demo", NULL, NULL);
	assert_int_equal(r.status, 2);
	assert_has(r.err, "--demo", "stderr");
	it_cmd_free(&r);
}

static void test_missing_data_exits_2(void **state)
{
	static const char *const cmds[] = {"init", "serve"};
	for (int i = 0; i < 2; i++) {
		struct it_cmd r = run(cmds[i], NULL, NULL, NULL, NULL, NULL);
		assert_int_equal(r.status, 2);
		assert_has(r.err, "--data DIR is required", "stderr");
		it_cmd_free(&r);
	}
	/* --data with no value. */
	struct it_cmd r = run("init", "--data", NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 2);
	assert_has(r.err, "--data", "stderr");
	it_cmd_free(&r);
}

/* ---- failures: exit 1 ---- */

static void test_serve_on_missing_dir_exits_1(void **state)
{
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/khong-co", scratch);
	struct it_cmd r = serve_env(NULL, dir);
	assert_int_equal(r.status, 1);
	assert_has(r.err, dir, "stderr");
	assert_has(r.err, "is not a data directory", "stderr");
	assert_has(r.err, "motcua init --data", "stderr");
	it_cmd_free(&r);
}

static void conf_error(const char *line, const char *key)
{
	char dir[PATH_MAX + 8], conf[PATH_MAX + 32];
	make_data_dir(dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/motcua.conf", dir);
	/* The default file plus our line: find which line number it gets. */
	char *text = it_read_file(conf, NULL);
	assert_non_null(text);
	int lineno = it_count(text, "\n") + 1;
	free(text);
	assert_int_equal(it_write_file(conf, line, true), 0);
	char where[PATH_MAX + 48];
	snprintf(where, sizeof(where), "motcua.conf:%d:", lineno);
	struct it_cmd r = serve_env(NULL, dir);
	assert_true(r.status > 0);
	assert_has(r.err, where, "stderr");
	assert_has(r.err, key, "stderr");
	it_cmd_free(&r);
}

static void test_conf_unknown_key_names_file_line_and_key(void **state)
{
	conf_error("max_conections = 10\n", "max_conections");
}

static void test_conf_bad_value_names_file_line_and_key(void **state)
{
	conf_error("max_connections = lots\n", "max_connections");
}

static void test_env_override_bad_value_names_variable(void **state)
{
	char dir[PATH_MAX + 8];
	make_data_dir(dir, sizeof(dir));
	const char *env[] = {"MOTCUA_MAX_BODY=xyz", NULL};
	struct it_cmd r = serve_env(env, dir);
	assert_true(r.status > 0);
	assert_has(r.err, "MOTCUA_MAX_BODY", "stderr");
	assert_has(r.err, "xyz", "stderr");
	it_cmd_free(&r);
}

/* ---- init ---- */

static long long migrations(void)
{
	long long n = it_db_count(db_target, "SELECT count(*) FROM schema_migrations", NULL);
	assert_true(n >= 0);
	return n;
}

static void test_init_twice_applies_migrations_once(void **state)
{
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s/data", scratch);
	struct it_cmd r = run_env(db_env(), "init", "--data", dir, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "is ready", "stdout");
	assert_has(r.err, "applied", "stderr of the first init");
	it_cmd_free(&r);
	long long n = migrations();
	assert_true(n >= 1);

	/* An operator's edit of motcua.conf survives a second init. */
	char conf[PATH_MAX + 32];
	snprintf(conf, sizeof(conf), "%s/motcua.conf", dir);
	assert_int_equal(it_write_file(conf, "site_name = \"Tỉnh Thử\"\n", true), 0);

	r = run_env(db_env(), "init", "--data", dir, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	if (strstr(r.err, "applied"))
		fail_msg("second init applied migrations again:\n%s", r.err);
	it_cmd_free(&r);
	assert_int_equal(migrations(), n);
	char *text = it_read_file(conf, NULL);
	assert_non_null(text);
	assert_has(text, "Tỉnh Thử", "motcua.conf");
	free(text);
}

static void test_init_demo_prints_counts(void **state)
{
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s/data", scratch);
	struct it_cmd r =
		run_env(db_env(), "init", "--data", dir, "--demo", "--demo-dossiers", "0");
	assert_int_equal(r.status, 0);
	long fields, procedures, agencies;
	const char *line = strstr(r.out, "demo: ");
	assert_non_null(line);
	assert_int_equal(sscanf(line, "demo: %ld fields, %ld procedures, %ld agencies loaded",
				&fields, &procedures, &agencies),
			 3);
	/* 1,584 national records and the generated ones (docs/catalogue.md). */
	assert_true(fields > 0 && procedures >= 2100 && agencies > 0);
	it_cmd_free(&r);
	/* The demo again is harmless too. */
	r = run_env(db_env(), "init", "--data", dir, "--demo", "--demo-dossiers", "0");
	assert_int_equal(r.status, 0);
	it_cmd_free(&r);
}

/* ---- user update ---- */

static void test_user_update(void **state)
{
	char dir[PATH_MAX + 8];
	make_data_dir(dir, sizeof(dir));
	assert_int_equal(
		it_db_exec(db_target,
			   "INSERT INTO agency (code, name, level) VALUES"
			   " ('ag-a', 'Sở A', 'department'), ('ag-b', 'Sở B', 'department');"
			   "INSERT INTO account (id, login, kind, roles, agency_code, full_name,"
			   " password_hash, created_at) VALUES ('o1', 'chuyenvien', 'officer', 8,"
			   " 'ag-a', 'Đinh Văn Hải', 'x', '2026-11-20 08:00:00')"),
		0);
	struct it_cmd r =
		run_env(db_env(), "user", "update", "--data", dir, "chuyenvien", "--agency=ag-b");
	if (r.status != 0)
		fail_msg("user update: %d %s", r.status, r.err);
	assert_has(r.out, "updated chuyenvien (specialist, ag-b)", "stdout");
	it_cmd_free(&r);
	assert_int_equal(
		it_db_count(db_target,
			    "SELECT count(*) FROM audit_log WHERE action = 'perm.officer_update'"
			    " AND actor LIKE 'cli:%' AND subject = $1",
			    "account:o1"),
		1);
	r = run_env(db_env(), "user", "update", "--data", dir, "chuyenvien", "--roles=desk,bogus");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "--roles must list", "stderr");
	it_cmd_free(&r);
	r = run_env(db_env(), "user", "update", "--data", dir, "khongco", "--roles=desk");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "no officer with the login khongco", "stderr");
	it_cmd_free(&r);
	r = run_env(db_env(), "user", "update", "--data", dir, "chuyenvien", "--agency=ag-x");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "--agency: There is no agency with this code.", "stderr");
	it_cmd_free(&r);
	assert_int_equal(it_db_count(db_target,
				     "SELECT count(*) FROM account WHERE login = 'chuyenvien'"
				     " AND agency_code = 'ag-b' AND roles = 8",
				     NULL),
			 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, scratch_setup, scratch_teardown)

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		T(test_help_lists_commands),
		T(test_init_help_describes_flags),
		T(test_serve_help_describes_flags),
		T(test_no_command_exits_2),
		T(test_unknown_command_exits_2),
		T(test_unknown_flag_exits_2),
		T(test_missing_data_exits_2),
		T(test_serve_on_missing_dir_exits_1),
		T(test_conf_unknown_key_names_file_line_and_key),
		T(test_conf_bad_value_names_file_line_and_key),
		T(test_env_override_bad_value_names_variable),
		T(test_init_twice_applies_migrations_once),
		T(test_init_demo_prints_counts),
		T(test_user_update),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
