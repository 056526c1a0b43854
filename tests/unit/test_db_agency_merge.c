/*
 * test_db_agency_merge.c - merging agencies (sáp nhập) on SQLite and
 * PostgreSQL: procedures, open officers and open dossiers move to the
 * successor, finished dossiers and the receiving unit stay, old codes still
 * look up, the audit chain holds one entry per unit and verifies; a second
 * merge and every kind of bad input are refused with nothing written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbfixture.h"
#include "core/i18n.h"
#include "db/db.h"
#include "domain/agency.h"
#include "domain/agency_merge.h"
#include "domain/audit.h"
#include "domain/lookup.h"

#define CODE_A1 "000.00.31.H43-261120-0001"
#define CODE_A3 "000.00.31.H43-261120-0003"
#define CODE_B1 "000.00.32.H43-261120-0001"

static const char seed[] =
	"INSERT INTO agency (code, name, level, parent_code, valid_to, successor_code) VALUES"
	" ('tinh', 'Tỉnh Ninh Bình', 'province', NULL, NULL, NULL),"
	" ('huyen', 'Huyện Hoa Lư', 'district', 'tinh', NULL, NULL),"
	" ('xa-a', 'Xã Ninh Hải', 'commune', 'huyen', NULL, NULL),"
	" ('xa-b', 'Xã Ninh Xuân', 'commune', 'huyen', NULL, NULL),"
	" ('xa-moi', 'Phường Hoa Lư', 'commune', 'tinh', NULL, NULL),"
	" ('xa-cu', 'Xã Ninh Vân', 'commune', 'tinh', '2020-01-01', NULL),"
	" ('xa-c', 'Xã Ninh Thắng', 'commune', 'huyen', NULL, 'xa-b'),"
	" ('so-x', 'Sở Giao thông vận tải', 'department', 'tinh', NULL, NULL),"
	" ('so-y', 'Sở Xây dựng', 'department', 'tinh', NULL, NULL),"
	" ('so-con', 'Chi cục Giám định', 'department', 'so-y', NULL, NULL),"
	" ('don-vi', 'Trung tâm Đăng kiểm', 'unit', 'so-x', NULL, NULL);"
	"INSERT INTO procedure (code, name) VALUES ('p1', 'Đăng ký khai sinh'),"
	" ('p2', 'Đăng ký kết hôn'), ('p3', 'Chứng thực bản sao');"
	"INSERT INTO procedure_agency (procedure_code, agency_code) VALUES ('p1', 'xa-a'),"
	" ('p2', 'xa-a'), ('p2', 'xa-b'), ('p3', 'xa-b'), ('p2', 'xa-moi');"
	"INSERT INTO account (id, login, kind, roles, agency_code, full_name, password_hash,"
	" created_at, closed_at) VALUES"
	" ('o-a1', 'oa1', 'officer', 4, 'xa-a', 'Đinh Văn Hải', 'x', '2026-01-01 00:00:00', NULL),"
	" ('o-a2', 'oa2', 'officer', 4, 'xa-a', 'Lê Thị Nga', 'x', '2026-01-01 00:00:00',"
	"  '2026-06-01 00:00:00'),"
	" ('o-b', 'ob', 'officer', 8, 'xa-b', 'Phạm Văn Xuân', 'x', '2026-01-01 00:00:00', NULL),"
	" ('cit', 'cit', 'citizen', 1, NULL, 'Nguyễn Văn An', 'x', '2026-01-01 00:00:00', NULL);"
	"INSERT INTO dossier (id, code, procedure_code, agency_code, origin_agency_code,"
	" account_id, status, applicant, created_at, updated_at, submitted_at) VALUES"
	" ('d-a1', '" CODE_A1 "', 'p1', 'xa-a', 'xa-a', 'cit', 1, '{\"name\":\"Nguyễn Văn An\"}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00'),"
	" ('d-a2', '000.00.31.H43-261120-0002', 'p1', 'xa-a', 'xa-a', 'cit', 4, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00'),"
	" ('d-a3', '" CODE_A3 "', 'p1', 'xa-a', 'xa-a', 'cit', 9, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00'),"
	" ('d-a4', NULL, 'p2', 'xa-a', 'xa-a', 'cit', 0, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', NULL),"
	" ('d-a5', '000.00.31.H43-261120-0005', 'p2', 'xa-a', 'xa-a', 'cit', 7, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00'),"
	" ('d-b1', '" CODE_B1 "', 'p3', 'xa-b', NULL, 'cit', 5, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00'),"
	" ('d-b2', '000.00.32.H43-261120-0002', 'p3', 'xa-b', 'xa-b', 'cit', 10, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00'),"
	" ('d-b3', '000.00.32.H43-261120-0003', 'p3', 'xa-b', 'xa-b', 'cit', 3, '{}',"
	"  '2026-11-20 08:00:00', '2026-11-20 08:00:00', '2026-11-20 08:00:00')";

static int setup(void **state)
{
	return dbfixture_setup(state, "merge", seed);
}

static int group_setup(void **state)
{
	char err[256];
	return i18n_init(err, sizeof(err));
}

static int group_teardown(void **state)
{
	i18n_release();
	return 0;
}

/* Everything a merge may change, as one line, to compare before/after. */
static const char *snapshot(struct dbfixture *f)
{
	static const char *const sql[] = {
		"SELECT COUNT(*) FROM procedure_agency WHERE agency_code = 'xa-moi'",
		"SELECT COUNT(*) FROM procedure_agency",
		"SELECT COUNT(*) FROM account WHERE agency_code IN ('xa-moi', 'so-y', 'tinh')",
		"SELECT COUNT(*) FROM dossier WHERE agency_code IN ('xa-moi', 'so-y', 'tinh')",
		"SELECT COUNT(*) FROM agency WHERE merged_at IS NOT NULL OR valid_to IS NOT NULL",
		"SELECT COUNT(*) FROM agency WHERE parent_code = 'tinh'",
		"SELECT COUNT(*) FROM audit_log",
	};
	const char *s = "";
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		s = arena_printf(f->a, "%s %lld", s, (long long)dbfixture_count(f, sql[i], NULL));
	return s;
}

static void merge_ok(struct dbfixture *f, const char *into, const char *const *olds, int n,
		     struct agency_merge_plan *p)
{
	mc_status rc = agency_merge(f->d, f->a, "system", into, olds, n, p);
	if (rc != MC_OK)
		fail_msg("merge into %s: %s %s", into, mc_status_name(rc),
			 agency_merge_problem(f->a, LANG_EN, p));
}

static const char *agency_of(struct dbfixture *f, const char *dossier)
{
	return dbfixture_text(f, "SELECT agency_code FROM dossier WHERE id = $1", dossier);
}

static const char *origin_of(struct dbfixture *f, const char *dossier)
{
	return dbfixture_text(f, "SELECT origin_agency_code FROM dossier WHERE id = $1", dossier);
}

static void test_merge_moves_open_work_and_keeps_history(void **state)
{
	struct dbfixture *f = *state;
	const char *olds[] = {"xa-a", "xa-b"};
	struct agency_merge_plan p;
	merge_ok(f, "xa-moi", olds, 2, &p);
	assert_string_equal(p.into, "xa-moi");
	assert_non_null(p.merged_at);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].procedures, 2);
	assert_int_equal(p.items[0].new_procedures, 1); /* p2 was there already */
	assert_int_equal(p.items[0].officers, 1);	/* the closed account stays */
	assert_int_equal(p.items[0].open_dossiers, 3);
	assert_int_equal(p.items[0].drafts, 1);
	assert_int_equal(p.items[0].finished_dossiers, 1);
	assert_int_equal(p.items[1].procedures, 2);
	assert_int_equal(p.items[1].new_procedures, 1);
	assert_int_equal(p.items[1].officers, 1);
	assert_int_equal(p.items[1].open_dossiers, 1);
	assert_int_equal(p.items[1].finished_dossiers, 2);

	/* Procedures: p1, p2, p3 at the successor, once each; none left. */
	assert_int_equal(
		dbfixture_count(f, "SELECT COUNT(*) FROM procedure_agency WHERE agency_code = $1",
				"xa-moi"),
		3);
	assert_int_equal(
		dbfixture_count(f,
				"SELECT COUNT(*) FROM procedure_agency WHERE agency_code IN"
				" ('xa-a', 'xa-b')",
				NULL),
		0);
	/* Officers. */
	assert_string_equal(
		dbfixture_text(f, "SELECT agency_code FROM account WHERE id = $1", "o-a1"),
		"xa-moi");
	assert_string_equal(
		dbfixture_text(f, "SELECT agency_code FROM account WHERE id = $1", "o-b"),
		"xa-moi");
	assert_string_equal(
		dbfixture_text(f, "SELECT agency_code FROM account WHERE id = $1", "o-a2"), "xa-a");
	/* Open dossiers move, keeping their codes and the receiving unit. */
	static const char *const moved[][2] = {
		{"d-a1", "xa-a"}, {"d-a2", "xa-a"}, {"d-a5", "xa-a"}, {"d-b1", "xa-b"}};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(agency_of(f, moved[i][0]), "xa-moi");
		assert_string_equal(origin_of(f, moved[i][0]), moved[i][1]);
	}
	assert_string_equal(dbfixture_text(f, "SELECT code FROM dossier WHERE id = $1", "d-a1"),
			    CODE_A1);
	/* Finished ones stay; the draft was never received, so it moves whole. */
	static const char *const stay[][2] = {{"d-a3", "xa-a"}, {"d-b2", "xa-b"}, {"d-b3", "xa-b"}};
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(agency_of(f, stay[i][0]), stay[i][1]);
		assert_string_equal(origin_of(f, stay[i][0]), stay[i][1]);
	}
	assert_string_equal(agency_of(f, "d-a4"), "xa-moi");
	assert_string_equal(origin_of(f, "d-a4"), "xa-moi");

	/* The old unit stays, marked; it leaves the current list. */
	struct agency g;
	assert_int_equal(agency_get(f->d, f->a, "xa-a", &g), MC_OK);
	assert_string_equal(g.successor_code, "xa-moi");
	assert_non_null(g.merged_at);
	assert_non_null(g.valid_to);
	struct agency_filter filter = {.level = "commune", .current_only = true};
	struct agency *list;
	int n;
	assert_int_equal(agency_list(f->d, f->a, &filter, &list, &n), MC_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(list[i].code, "xa-a") == 0 || strcmp(list[i].code, "xa-b") == 0)
			fail_msg("%s is still listed as current", list[i].code);
	assert_true(n >= 1);

	/* Old codes still look up, showing who handles them now. */
	struct lookup_result lr;
	assert_int_equal(lookup_dossier(f->d, f->a, CODE_A1, NULL, &lr), MC_OK);
	assert_string_equal(lr.agency_code, "xa-moi");
	assert_int_equal(lookup_dossier(f->d, f->a, CODE_A3, NULL, &lr), MC_OK);
	assert_string_equal(lr.agency_code, "xa-a");

	/* Audit: one entry per old unit and one for the successor. */
	assert_int_equal(
		dbfixture_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'agency.merge'",
				NULL),
		3);
	const char *data =
		dbfixture_text(f, "SELECT data FROM audit_log WHERE subject = $1", "agency:xa-a");
	assert_non_null(data);
	assert_non_null(strstr(data, "\"into\":\"xa-moi\""));
	assert_non_null(strstr(data, "\"open_dossiers\":3"));
	assert_non_null(strstr(data, "\"officers\":1"));
	assert_non_null(strstr(data, "\"procedures\":2"));
	data = dbfixture_text(f, "SELECT data FROM audit_log WHERE subject = $1", "agency:xa-moi");
	assert_non_null(data);
	assert_non_null(strstr(data, "\"from\":[\"xa-a\",\"xa-b\"]"));
	assert_non_null(strstr(data, "\"open_dossiers\":4"));
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, 3);
}

static void test_second_merge_is_refused(void **state)
{
	struct dbfixture *f = *state;
	const char *olds[] = {"xa-a"};
	struct agency_merge_plan p;
	merge_ok(f, "xa-moi", olds, 1, &p);
	const char *before = snapshot(f);
	assert_int_equal(agency_merge(f->d, f->a, "system", "xa-moi", olds, 1, &p), MC_INVALID);
	assert_string_equal(p.problem, "merge.err.already");
	const char *msg = agency_merge_problem(f->a, LANG_VI, &p);
	assert_non_null(strstr(msg, "đã sáp nhập vào Phường Hoa Lư (xa-moi)"));
	/* Nor can anything merge into the old unit now. */
	const char *other[] = {"xa-b"};
	assert_int_equal(agency_merge(f->d, f->a, "system", "xa-a", other, 1, &p), MC_INVALID);
	assert_string_equal(p.problem, "merge.err.into_merged");
	assert_string_equal(snapshot(f), before);
}

struct bad_case {
	const char *into;
	const char *olds[3];
	int n;
	const char *problem;
};

static void test_bad_input_writes_nothing(void **state)
{
	struct dbfixture *f = *state;
	static const struct bad_case cases[] = {
		{"khong-co", {"xa-a"}, 1, "merge.err.unknown"},
		{"Bad Code!", {"xa-a"}, 1, "merge.err.unknown"},
		{NULL, {"xa-a"}, 1, "merge.err.unknown"},
		{"xa-moi", {NULL}, 0, "merge.err.none"},
		{"xa-moi", {"xa-a", "khong-co"}, 2, "merge.err.unknown"},
		{"xa-moi", {"xa-moi"}, 1, "merge.err.self"},
		{"xa-moi", {"xa-a", "xa-b", "xa-a"}, 3, "merge.err.twice"},
		{"so-x", {"xa-a"}, 1, "merge.err.level"},
		{"xa-moi", {"so-x"}, 1, "merge.err.level"},
		{"xa-moi", {"tinh"}, 1, "merge.err.level"},
		{"xa-cu", {"xa-a"}, 1, "merge.err.into_ended"},
		{"xa-moi", {"xa-c"}, 1, "merge.err.successor"},
		{"so-con", {"so-y"}, 1, "merge.err.above"},
	};
	const char *before = snapshot(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		struct agency_merge_plan p;
		mc_status rc = agency_merge(f->d, f->a, "system", c->into, c->olds, c->n, &p);
		if (rc != MC_INVALID || !p.problem || strcmp(p.problem, c->problem) != 0)
			fail_msg("case %zu: %s %s, wanted %s", i, mc_status_name(rc),
				 p.problem ? p.problem : "(no problem)", c->problem);
		assert_true(*agency_merge_problem(f->a, LANG_EN, &p));
		assert_int_equal(agency_merge_check(f->d, f->a, c->into, c->olds, c->n, &p),
				 MC_INVALID);
		assert_string_equal(p.problem, c->problem);
		assert_string_equal(snapshot(f), before);
	}
	/* Levels are named in the message. */
	const char *olds[] = {"xa-a"};
	struct agency_merge_plan p;
	assert_int_equal(agency_merge(f->d, f->a, "system", "so-x", olds, 1, &p), MC_INVALID);
	const char *msg = agency_merge_problem(f->a, LANG_VI, &p);
	assert_non_null(strstr(msg, "Xã Ninh Hải (xa-a) (cấp xã)"));
	assert_non_null(strstr(msg, "(sở, ban, ngành)"));
}

static void test_dry_run_counts_and_writes_nothing(void **state)
{
	struct dbfixture *f = *state;
	const char *before = snapshot(f);
	const char *olds[] = {"xa-a", "xa-b"};
	struct agency_merge_plan p;
	assert_int_equal(agency_merge_check(f->d, f->a, "xa-moi", olds, 2, &p), MC_OK);
	assert_null(p.merged_at);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].open_dossiers, 3);
	assert_int_equal(p.items[0].officers, 1);
	assert_int_equal(p.items[1].open_dossiers, 1);
	assert_int_equal(p.items[1].procedures, 2);
	assert_string_equal(snapshot(f), before);
}

static void test_sub_units_get_the_right_parent(void **state)
{
	struct dbfixture *f = *state;
	/* A district abolished: its communes become the province's. */
	const char *district[] = {"huyen"};
	struct agency_merge_plan p;
	merge_ok(f, "xa-moi", district, 1, &p);
	assert_int_equal(p.items[0].subunits, 3);
	assert_string_equal(p.items[0].subunits_to, "tinh");
	assert_string_equal(
		dbfixture_text(f, "SELECT parent_code FROM agency WHERE code = $1", "xa-a"),
		"tinh");
	assert_string_equal(
		dbfixture_text(f, "SELECT parent_code FROM agency WHERE code = $1", "xa-c"),
		"tinh");
	/* Departments merged: the units go to the successor department. */
	const char *dept[] = {"so-x"};
	merge_ok(f, "so-y", dept, 1, &p);
	assert_string_equal(
		dbfixture_text(f, "SELECT parent_code FROM agency WHERE code = $1", "don-vi"),
		"so-y");
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, 4);
}

static mc_status holders_fn(db_conn *c, void *arg)
{
	(void)arg;
	return db_exec(c,
		       "UPDATE dossier SET version = 3, assignee_id = 'o-a1' WHERE id = 'd-a2';"
		       "UPDATE dossier SET version = 1 WHERE id IN ('d-b1', 'd-a3');"
		       "INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task,"
		       " from_at, until_at, due_at) VALUES"
		       " ('d-a2', 1, 'xa-a', NULL, 'received', '2026-11-20 08:00:00',"
		       "  '2026-11-20 09:00:00', NULL),"
		       " ('d-a2', 2, 'xa-a', 'o-a1', 'assigned', '2026-11-20 09:00:00', NULL,"
		       "  '2026-11-27 17:00:00'),"
		       " ('d-b1', 1, 'xa-b', 'cit', 'supplement', '2026-11-20 08:00:00', NULL,"
		       "  NULL),"
		       " ('d-a3', 1, 'xa-a', 'o-a1', 'done', '2026-11-20 08:00:00',"
		       "  '2026-11-21 08:00:00', NULL)",
		       NULL, -1, NULL);
}

/* One line per holder row of a dossier: "n agency account task open|closed due". */
static const char *holders_of(struct dbfixture *f, const char *dossier)
{
	return dbfixture_rows(f,
			      "SELECT n, agency_code, account_id, task,"
			      " CASE WHEN until_at IS NULL THEN 'open' ELSE 'closed' END, due_at"
			      " FROM dossier_holder WHERE dossier_id = $1 ORDER BY n",
			      dossier);
}

static void test_moved_dossiers_get_a_new_version_and_holder(void **state)
{
	struct dbfixture *f = *state;
	assert_int_equal(db_write(f->d, holders_fn, NULL), MC_OK);
	const char *olds[] = {"xa-a", "xa-b"};
	struct agency_merge_plan p;
	merge_ok(f, "xa-moi", olds, 2, &p);
	/* Open dossiers: version + 1, so a page loaded before is stale. */
	static const char *const versions[][2] = {{"d-a1", "1"}, {"d-a2", "4"}, {"d-a5", "1"},
						  {"d-b1", "2"}, {"d-a3", "1"}, {"d-b2", "0"},
						  {"d-a4", "0"}};
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		const char *v = dbfixture_text(f, "SELECT version FROM dossier WHERE id = $1",
					       versions[i][0]);
		if (!v || strcmp(v, versions[i][1]) != 0)
			fail_msg("%s: version %s, expected %s", versions[i][0], v ? v : "none",
				 versions[i][1]);
	}
	/* Form 05: the holder at the old unit closed, the same holder, task and
	 * deadline at the new one; finished dossiers untouched. */
	assert_string_equal(holders_of(f, "d-a2"),
			    "1 xa-a - received closed -;"
			    "2 xa-a o-a1 assigned closed 2026-11-27 17:00:00;"
			    "3 xa-moi o-a1 assigned open 2026-11-27 17:00:00;");
	assert_string_equal(holders_of(f, "d-b1"), "1 xa-b cit supplement closed -;"
						   "2 xa-moi cit supplement open -;");
	assert_string_equal(holders_of(f, "d-a3"), "1 xa-a o-a1 done closed -;");
	/* The old row closes when the new one opens. */
	assert_int_equal(
		dbfixture_count(f,
				"SELECT COUNT(*) FROM dossier_holder h JOIN dossier_holder g"
				" ON g.dossier_id = h.dossier_id AND g.n = h.n + 1"
				" WHERE h.dossier_id = $1 AND h.until_at = g.from_at",
				"d-a2"),
		2);
	assert_string_equal(
		dbfixture_text(f,
			       "SELECT from_at FROM dossier_holder WHERE dossier_id = $1"
			       " AND until_at IS NULL",
			       "d-b1"),
		p.merged_at);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, dbfixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_merge_moves_open_work_and_keeps_history),
		T(test_second_merge_is_refused),
		T(test_bad_input_writes_nothing),
		T(test_dry_run_counts_and_writes_nothing),
		T(test_sub_units_get_the_right_parent),
		T(test_moved_dossiers_get_a_new_version_and_holder),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
