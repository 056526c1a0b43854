/*
 * test_db_officer_update.c - an officer's roles and agency changed after
 * creation (officer_update.h), on SQLite and PostgreSQL: the account
 * changes, the officer's sessions end, their open assigned dossiers at the
 * old agency go back to the unit (version + 1, form-05 holder rows), one
 * perm.officer_update audit entry; bad input and a change out of an agency
 * admin's scope write nothing; no change writes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dbfixture.h"
#include "domain/audit.h"
#include "domain/officer_update.h"
#include "http/router.h"

#define T0 "2026-11-20 08:00:00"

static const char seed[] =
	"INSERT INTO agency (code, name, level) VALUES ('ag-a', 'Sở Tư pháp', 'department'),"
	" ('ag-b', 'Sở Xây dựng', 'department');"
	"INSERT INTO procedure (code, name) VALUES ('p1', 'Đăng ký khai sinh');"
	"INSERT INTO account (id, login, kind, roles, agency_code, full_name, password_hash,"
	" created_at) VALUES"
	" ('o-spec', 'chuyenvien', 'officer', 8, 'ag-a', 'Đinh Văn Hải', 'x', '" T0 "'),"
	" ('o-other', 'chuyenvien2', 'officer', 8, 'ag-a', 'Lê Thị Nga', 'x', '" T0 "'),"
	" ('cit', 'cit', 'citizen', 1, NULL, 'Nguyễn Văn An', 'x', '" T0 "');"
	"INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status, stage,"
	" assignee_id, version, applicant, created_at, updated_at, submitted_at) VALUES"
	" ('d1', 'C1', 'p1', 'ag-a', 'cit', 4, 'assigned', 'o-spec', 2, '{}', '" T0 "', '" T0
	"', '" T0 "'),"
	" ('d2', 'C2', 'p1', 'ag-a', 'cit', 4, 'pending_approval', 'o-spec', 3, '{}', '" T0
	"', '" T0 "', '" T0 "'),"
	" ('d3', 'C3', 'p1', 'ag-a', 'cit', 9, 'done', 'o-spec', 5, '{}', '" T0 "', '" T0 "', '" T0
	"'),"
	" ('d4', 'C4', 'p1', 'ag-a', 'cit', 4, 'assigned', 'o-other', 1, '{}', '" T0 "', '" T0
	"', '" T0 "');"
	"INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task, from_at,"
	" until_at, due_at) VALUES"
	" ('d1', 1, 'ag-a', NULL, 'received', '" T0 "', '" T0 "', '2026-11-27 17:00:00'),"
	" ('d1', 2, 'ag-a', 'o-spec', 'assigned', '" T0 "', NULL, '2026-11-27 17:00:00'),"
	" ('d4', 1, 'ag-a', 'o-other', 'assigned', '" T0 "', NULL, NULL);"
	"INSERT INTO session (token_hash, account_id, kind, created_at, last_seen, expires_at)"
	" VALUES ('h1', 'o-spec', 'web', 1, 1, 2000000000), ('h2', 'o-spec', 'api', 1, 1,"
	" 2000000000), ('h3', 'o-other', 'web', 1, 1, 2000000000)";

static int setup(void **state)
{
	return dbfixture_setup(state, "offupd", seed);
}

/* stage status assignee version of a dossier, as one line. */
static const char *dossier_state(struct dbfixture *f, const char *id)
{
	return dbfixture_text(f,
			      "SELECT stage || ' ' || CAST(status AS TEXT) || ' ' ||"
			      " COALESCE(assignee_id, '-') || ' ' || CAST(version AS TEXT)"
			      " FROM dossier WHERE id = $1",
			      id);
}

static const char *holders_of(struct dbfixture *f, const char *id)
{
	return dbfixture_rows(f,
			      "SELECT n, agency_code, account_id, task,"
			      " CASE WHEN until_at IS NULL THEN 'open' ELSE 'closed' END"
			      " FROM dossier_holder WHERE dossier_id = $1 ORDER BY n",
			      id);
}

/* Everything an update may write, as one line. */
static const char *snapshot(struct dbfixture *f)
{
	return dbfixture_rows(
		f,
		"SELECT (SELECT COUNT(*) FROM account WHERE roles = 8 AND agency_code = 'ag-a'),"
		" (SELECT COUNT(*) FROM session), (SELECT COUNT(*) FROM dossier_holder),"
		" (SELECT SUM(version) FROM dossier), (SELECT COUNT(*) FROM audit_log)",
		NULL);
}

static void test_moved_officer_returns_dossiers(void **state)
{
	struct dbfixture *f = *state;
	struct officer_change in = {.login = "chuyenvien", .agency_code = "ag-b", .actor = "admin"};
	struct officer_change_result out;
	struct account_problem *probs = NULL;
	assert_int_equal(officer_update(f->d, f->a, &in, &out, &probs), MC_OK);
	assert_true(out.changed);
	assert_string_equal(out.id, "o-spec");
	assert_int_equal(out.roles, ROLE_SPECIALIST);
	assert_string_equal(out.agency_code, "ag-b");
	assert_int_equal(out.returned, 2);
	assert_int_equal(out.sessions_ended, 2);
	assert_string_equal(
		dbfixture_text(f, "SELECT agency_code FROM account WHERE id = $1", "o-spec"),
		"ag-b");
	/* With the specialist: back to the unit's queue, where the leader
	 * assigns it again; at the leader: only the assignee goes. */
	assert_string_equal(dossier_state(f, "d1"), "received 2 - 3");
	assert_string_equal(dossier_state(f, "d2"), "pending_approval 4 - 4");
	assert_string_equal(dossier_state(f, "d3"), "done 9 o-spec 5");
	assert_string_equal(dossier_state(f, "d4"), "assigned 4 o-other 1");
	assert_string_equal(holders_of(f, "d1"), "1 ag-a - received closed;"
						 "2 ag-a o-spec assigned closed;"
						 "3 ag-a - received open;");
	assert_string_equal(holders_of(f, "d4"), "1 ag-a o-other assigned open;");
	/* Sessions of this officer only. */
	assert_int_equal(
		dbfixture_count(f, "SELECT COUNT(*) FROM session WHERE account_id = $1", "o-spec"),
		0);
	assert_int_equal(dbfixture_count(f, "SELECT COUNT(*) FROM session", NULL), 1);
	const char *data = dbfixture_text(
		f,
		"SELECT data FROM audit_log WHERE action = 'perm.officer_update' AND subject = $1",
		"account:o-spec");
	assert_non_null(data);
	assert_non_null(strstr(data, "\"agency\":\"ag-b\""));
	/* The state before the change, whatever order jansson keeps. */
	const char *was = strstr(data, "\"before\":{");
	assert_non_null(was);
	assert_non_null(strstr(was, "\"roles\":[\"specialist\"]"));
	assert_non_null(strstr(was, "\"agency\":\"ag-a\""));
	assert_non_null(strstr(data, "\"returned_dossiers\":2"));
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, 1);
}

static void test_roles(void **state)
{
	struct dbfixture *f = *state;
	struct officer_change_result out;
	struct account_problem *probs = NULL;
	/* A role added: the dossiers stay, the sessions end. */
	struct officer_change in = {.login = "chuyenvien", .roles = ROLE_SPECIALIST | ROLE_LEADER};
	assert_int_equal(officer_update(f->d, f->a, &in, &out, &probs), MC_OK);
	assert_true(out.changed);
	assert_int_equal(out.returned, 0);
	assert_int_equal(out.sessions_ended, 2);
	assert_string_equal(dossier_state(f, "d1"), "assigned 4 o-spec 2");
	assert_string_equal(dbfixture_text(f,
					   "SELECT CAST(roles AS TEXT) FROM account WHERE id = $1",
					   "o-spec"),
			    "24");
	/* The specialist role taken away: the dossiers go back. */
	in.roles = ROLE_LEADER;
	assert_int_equal(officer_update(f->d, f->a, &in, &out, &probs), MC_OK);
	assert_int_equal(out.returned, 2);
	assert_string_equal(dossier_state(f, "d1"), "received 2 - 3");
	/* The same again: nothing to change, nothing written. */
	const char *before = snapshot(f);
	assert_int_equal(officer_update(f->d, f->a, &in, &out, &probs), MC_OK);
	assert_false(out.changed);
	assert_string_equal(snapshot(f), before);
	assert_int_equal(dbfixture_count(f,
					 "SELECT COUNT(*) FROM audit_log"
					 " WHERE action = 'perm.officer_update'",
					 NULL),
			 2);
}

static void expect_refused(struct dbfixture *f, struct officer_change in, mc_status want,
			   const char *field, const char *key)
{
	struct officer_change_result out;
	struct account_problem *probs = NULL;
	const char *before = snapshot(f);
	assert_int_equal(officer_update(f->d, f->a, &in, &out, &probs), want);
	if (field) {
		assert_non_null(probs);
		assert_string_equal(probs->field, field);
		assert_string_equal(probs->key, key);
	}
	assert_string_equal(snapshot(f), before);
}

static void test_bad_input_writes_nothing(void **state)
{
	struct dbfixture *f = *state;
	expect_refused(f, (struct officer_change){.login = "khongco", .roles = ROLE_DESK},
		       MC_NOT_FOUND, NULL, NULL);
	expect_refused(f, (struct officer_change){.login = "cit", .roles = ROLE_DESK}, MC_NOT_FOUND,
		       NULL, NULL);
	expect_refused(f, (struct officer_change){.login = "chuyenvien", .agency_code = "ag-x"},
		       MC_INVALID, "agency", "account.err.agency_unknown");
	expect_refused(f, (struct officer_change){.login = "chuyenvien", .roles = ROLE_CITIZEN},
		       MC_INVALID, "role", "account.err.role");
	/* An agency admin: only their officers, only to their agency, never
	 * the system admin role. */
	expect_refused(
		f,
		(struct officer_change){.login = "chuyenvien", .roles = ROLE_DESK, .scope = "ag-b"},
		MC_NOT_FOUND, NULL, NULL);
	expect_refused(f,
		       (struct officer_change){
			       .login = "chuyenvien", .agency_code = "ag-b", .scope = "ag-a"},
		       MC_INVALID, "agency", "account.err.agency_unknown");
	expect_refused(f,
		       (struct officer_change){
			       .login = "chuyenvien", .roles = ROLE_SYSADMIN, .scope = "ag-a"},
		       MC_INVALID, "role", "account.err.role");
	dbfixture_exec(f, "UPDATE account SET roles = 72 WHERE id = 'o-other'");
	expect_refused(f,
		       (struct officer_change){
			       .login = "chuyenvien2", .roles = ROLE_DESK, .scope = "ag-a"},
		       MC_NOT_FOUND, NULL, NULL);
	assert_string_equal(dossier_state(f, "d1"), "assigned 4 o-spec 2");
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, dbfixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_moved_officer_returns_dossiers),
		T(test_roles),
		T(test_bad_input_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
