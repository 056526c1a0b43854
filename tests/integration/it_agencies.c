/*
 * it_agencies.c - `motcua agencies merge` as an operator meets it: usage
 * errors exit 2, a dry run prints what would move and changes nothing, the
 * merge prints what moved and a summary line, a second merge and an unknown
 * agency exit 1 with a clear message (in Vietnamese under a vi locale), and
 * the audit chain still verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define CMD_MS 60000

static char scratch[PATH_MAX];
static char dir[PATH_MAX + 8];
static char db_target[PATH_MAX + 32], db_var[PATH_MAX + 64];

static const char seed[] =
	"INSERT INTO agency (code, name, level, parent_code) VALUES"
	" ('tinh', 'Tỉnh Ninh Bình', 'province', NULL),"
	" ('xa-a', 'Xã Ninh Hải', 'commune', 'tinh'),"
	" ('xa-b', 'Xã Ninh Xuân', 'commune', 'tinh'),"
	" ('xa-moi', 'Phường Hoa Lư', 'commune', 'tinh'),"
	" ('so-x', 'Sở Xây dựng', 'department', 'tinh');"
	"INSERT INTO field (code, name_vi, name_en) VALUES ('ho-tich', 'Hộ tịch', 'Civil status');"
	"INSERT INTO procedure (code, name, field_code, levels) VALUES"
	" ('p1', 'Đăng ký khai sinh', 'ho-tich', 'commune'),"
	" ('p2', 'Đăng ký kết hôn', 'ho-tich', 'commune');"
	"INSERT INTO procedure_agency (procedure_code, agency_code) VALUES ('p1', 'xa-a'),"
	" ('p2', 'xa-a'), ('p2', 'xa-b'), ('p2', 'xa-moi');"
	"INSERT INTO account (id, login, kind, roles, agency_code, full_name, password_hash,"
	" created_at) VALUES ('o-a', 'oa', 'officer', 4, 'xa-a', 'Đinh Văn Hải', 'x',"
	" '2026-01-01 00:00:00');"
	"INSERT INTO dossier (id, code, procedure_code, agency_code, origin_agency_code, status,"
	" applicant, created_at, updated_at, submitted_at) VALUES"
	" ('d1', '000.00.31.H43-261120-0001', 'p1', 'xa-a', 'xa-a', 4,"
	"  '{\"name\":\"Nguyễn Văn An\"}', '2026-11-20 08:00:00', '2026-11-20 08:00:00',"
	"  '2026-11-20 08:00:00'),"
	" ('d2', '000.00.31.H43-261120-0002', 'p1', 'xa-a', 'xa-a', 10,"
	"  '{\"name\":\"Trần Thị Hường\"}', '2026-11-20 08:00:00', '2026-11-20 08:00:00',"
	"  '2026-11-20 08:00:00')";

/* A data directory made by 'init' (on PostgreSQL when the suite runs
 * there), with the agencies above. */
static int setup(void **state)
{
	if (it_mkdtemp(scratch) != 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/data", scratch);
	if (it_db_new(dir, db_target, sizeof(db_target)) != 0)
		return -1;
	db_var[0] = '\0';
	if (it_db_is_postgres())
		snprintf(db_var, sizeof(db_var), "MOTCUA_DATABASE=%s", db_target);
	const char *argv[] = {it_bin(), "init", "--data", dir, NULL};
	const char *env[] = {db_var[0] ? db_var : NULL, NULL};
	struct it_cmd r;
	if (it_run(&r, argv, env, CMD_MS) != 0 || r.status != 0) {
		fprintf(stderr, "# init failed\n");
		return -1;
	}
	it_cmd_free(&r);
	return it_db_exec(db_target, seed);
}

static int teardown(void **state)
{
	it_rmtree(scratch);
	return 0;
}

static void assert_has(const char *text, const char *needle, const char *where)
{
	if (!strstr(text, needle))
		fail_msg("%s lacks \"%s\":\n%s", where, needle, text);
}

/* Runs `motcua agencies ARGS...` (NULL-terminated, at most 8) under
 * locale, pointed at this test's database. */
static struct it_cmd agencies(const char *locale, ...)
{
	const char *argv[12] = {it_bin(), "agencies"};
	int n = 2;
	va_list ap;
	va_start(ap, locale);
	const char *arg;
	while (n < 11 && (arg = va_arg(ap, const char *)) != NULL)
		argv[n++] = arg;
	va_end(ap);
	argv[n] = NULL;
	char lc[64];
	snprintf(lc, sizeof(lc), "LC_ALL=%s", locale);
	const char *env[] = {lc, db_var[0] ? db_var : NULL, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, CMD_MS), 0);
	return r;
}

/* Checks a command's exit status and that its standard error says text. */
static void expect(struct it_cmd r, int status, const char *text)
{
	if (r.status != status)
		fail_msg("exit status %d, wanted %d:\n%s", r.status, status, r.err);
	assert_has(r.err, text, "stderr");
	it_cmd_free(&r);
}

static long long merged_count(void)
{
	return it_db_count(db_target, "SELECT COUNT(*) FROM agency WHERE merged_at IS NOT NULL",
			   NULL);
}

static void test_usage_errors_exit_2(void **state)
{
	struct it_cmd r = agencies("C", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "usage: motcua agencies merge --data DIR --into NEW", "--help");
	it_cmd_free(&r);
	static const char *const cases[][5] = {
		{NULL},
		{"split", NULL},
		{"merge", "--data", dir, NULL},
		{"merge", "--data", dir, "--into", "xa-moi"},
		{"merge", "--into", "xa-moi", "xa-a", NULL},
		{"merge", "--data", dir, "--bogus", NULL},
	};
	static const char *const says[] = {
		"merge?",	    "unknown subcommand",     "--into NEW is required",
		"at least one OLD", "--data DIR is required", "unknown flag",
	};
	for (size_t i = 0; i < sizeof(says) / sizeof(says[0]); i++) {
		r = agencies("C", cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4],
			     NULL);
		if (r.status != 2)
			fail_msg("case %zu exited %d:\n%s", i, r.status, r.err);
		assert_has(r.err, says[i], "stderr");
		assert_has(r.err, "usage:", "stderr");
		it_cmd_free(&r);
	}
	assert_int_equal(merged_count(), 0);
}

static void test_dry_run_then_merge_then_refusal(void **state)
{
	struct it_cmd r = agencies("C", "merge", "--data", dir, "--dry-run", "--into", "xa-moi",
				   "xa-a", "xa-b", NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "would merge into xa-moi\tPhường Hoa Lư", "dry-run stdout");
	assert_has(r.out, "xa-a\tXã Ninh Hải", "dry-run stdout");
	assert_has(r.out, "procedures:     2 (1 not yet at xa-moi)", "dry-run stdout");
	assert_has(r.err,
		   "would move 3 procedure links, 1 officers, 1 open dossiers; nothing changed",
		   "dry-run stderr");
	it_cmd_free(&r);
	assert_int_equal(merged_count(), 0);
	assert_int_equal(it_db_count(db_target,
				     "SELECT COUNT(*) FROM dossier WHERE agency_code = 'xa-moi'",
				     NULL),
			 0);

	r = agencies("C", "merge", "--data", dir, "--into", "xa-moi", "xa-a", "xa-b", NULL);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "merged into xa-moi\tPhường Hoa Lư", "stdout");
	assert_has(r.out, "open dossiers:  1", "stdout");
	assert_has(r.out, "finished dossiers stay: 1", "stdout");
	assert_has(r.err, "agencies merge: 2 agencies in ", "stderr");
	assert_has(r.err, "moved 3 procedure links, 1 officers, 1 open dossiers", "stderr");
	it_cmd_free(&r);
	assert_int_equal(merged_count(), 2);
	assert_int_equal(it_db_count(db_target,
				     "SELECT COUNT(*) FROM dossier WHERE agency_code = $1",
				     "xa-moi"),
			 1);
	assert_int_equal(it_db_count(db_target,
				     "SELECT COUNT(*) FROM account WHERE agency_code = $1",
				     "xa-moi"),
			 1);

	expect(agencies("C", "merge", "--data", dir, "--into", "xa-moi", "xa-a", NULL), 1,
	       "Xã Ninh Hải (xa-a) was already merged into Phường Hoa Lư (xa-moi) on ");
	expect(agencies("vi_VN.UTF-8", "merge", "--data", dir, "--into", "xa-moi", "xa-a", NULL), 1,
	       "Xã Ninh Hải (xa-a) đã sáp nhập vào Phường Hoa Lư (xa-moi) ngày ");
	assert_int_equal(merged_count(), 2);

	const char *argv[] = {it_bin(), "audit", "verify", "--data", dir, NULL};
	const char *env[] = {db_var[0] ? db_var : NULL, NULL};
	assert_int_equal(it_run(&r, argv, env, CMD_MS), 0);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "3 entries", "audit verify");
	it_cmd_free(&r);
}

static void test_bad_agencies_exit_1(void **state)
{
	expect(agencies("C", "merge", "--data", dir, "--into", "xa-moi", "xa-a", "khong-co", NULL),
	       1, "There is no agency with code khong-co.");
	expect(agencies("C", "merge", "--data", dir, "--into", "so-x", "xa-a", NULL), 1,
	       "Cannot merge Xã Ninh Hải (xa-a) (commune level) into Sở Xây dựng (so-x)");
	assert_int_equal(merged_count(), 0);
	assert_int_equal(it_db_count(db_target,
				     "SELECT COUNT(*) FROM procedure_agency WHERE agency_code = $1",
				     "xa-a"),
			 2);
}

/* GET path from the server: the body of its 200 answer (malloc'd). */
static char *page(const struct it_server *s, const char *path)
{
	struct http_resp resp;
	int rc = http_fetch(s->port, "GET", path, NULL, NULL, 0, &resp);
	if (rc != 0)
		fail_msg("GET %s: no answer (%d)", path, rc);
	if (resp.status != 200)
		fail_msg("GET %s: %d", path, resp.status);
	char *body = strdup(resp.body);
	http_resp_free(&resp);
	return body;
}

/* The portal while and after units merge: an old code still looks up and
 * shows the agency handling it now; the old unit's page names its
 * successor; the list leaves it out unless asked. */
static void test_pages_after_merge(void **state)
{
	struct it_server s;
	struct it_server_opts o = {0};
	assert_int_equal(it_server_start(&s, &o), 0);
	assert_int_equal(it_db_exec(s.db_path, seed), 0);
	/* xa-a carries only p1, which xa-moi lacks: the merge moves a link
	 * without changing how many there are. */
	assert_int_equal(it_db_exec(s.db_path, "DELETE FROM procedure_agency WHERE"
					       " procedure_code = 'p2' AND agency_code = 'xa-a'"),
			 0);
	/* The search snapshot as it was before (the agency pages use it). */
	char *body = page(&s, "/thu-tuc?co-quan=xa-moi");
	free(body);
	const char *argv[] = {it_bin(), "agencies", "merge", "--data", s.data,
			      "--into", "xa-moi",   "xa-a",  NULL};
	const char *env[] = {s.db_env[0] ? s.db_env : NULL, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, CMD_MS), 0);
	if (r.status != 0)
		fail_msg("merge exited %d:\n%s", r.status, r.err);
	it_cmd_free(&r);

	/* The successor shows the procedures of the old unit once the search
	 * snapshot is next checked (CATALOGUE_CHECK_SECONDS); each try has its
	 * own URL, so the page cache does not answer it. */
	bool shown = false;
	for (int i = 0; i < 30 && !shown; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/co-quan/xa-moi?thu=%d", i);
		body = page(&s, path);
		shown = strstr(body, "Đăng ký khai sinh") != NULL;
		free(body);
		if (!shown)
			usleep(500 * 1000);
	}
	if (!shown)
		fail_msg("the successor's page lacks the procedures it took over");
	body = page(&s, "/tra-cuu?ma=000.00.31.H43-261120-0001");
	assert_has(body, "Phường Hoa Lư", "lookup page of an open dossier");
	free(body);
	body = page(&s, "/tra-cuu?ma=000.00.31.H43-261120-0002");
	assert_has(body, "Xã Ninh Hải", "lookup page of a finished dossier");
	free(body);
	body = page(&s, "/co-quan/xa-a");
	assert_has(body, "Đã sáp nhập vào <a href=\"/co-quan/xa-moi\">Phường Hoa Lư</a>",
		   "page of the old unit");
	free(body);
	body = page(&s, "/co-quan");
	if (strstr(body, "/co-quan/xa-a\""))
		fail_msg("the merged unit is listed:\n%s", body);
	assert_has(body, "/co-quan/xa-b\"", "agency list");
	free(body);
	body = page(&s, "/co-quan?sap-nhap=1");
	assert_has(body, "/co-quan/xa-a\"", "agency list with merged units");
	free(body);
	assert_int_equal(it_server_stop(&s), 0);
	it_server_free(&s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		T(test_usage_errors_exit_2),
		T(test_dry_run_then_merge_then_refusal),
		T(test_bad_agencies_exit_1),
		cmocka_unit_test(test_pages_after_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
