/*
 * test_db_schedule.c - the official schedule's edits on SQLite and
 * PostgreSQL: what schedule_check refuses, that set/unset/import change the
 * calendar schedule_load builds (and so due dates), that each commits with
 * exactly its audit entries, and that a write whose audit entry fails leaves
 * nothing behind.
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

#include "../testdb.h"
#include "dbfixture.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/schedule.h"

static int setup(void **state)
{
	return dbfixture_setup(state, "sched", NULL);
}

static struct solar_date day(const char *iso)
{
	struct solar_date d;
	assert_true(date_parse(iso, &d));
	return d;
}

static long long count(struct dbfixture *f, const char *sql)
{
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), a, sql, DB_NOARGS, &r), MC_OK);
	long long n = db_int(r, 0, 0);
	arena_free(a);
	return n;
}

/* The due date n working days after a receipt at 09:00 on iso. */
static const char *due(struct dbfixture *f, const char *iso, int n, char out[17])
{
	work_calendar *cal;
	assert_int_equal(schedule_load(f->d, &cal), MC_OK);
	struct datetime from = {day(iso), 9, 0};
	datetime_format(calendar_due(cal, OFFICE_HOURS_DEFAULT, from, n), out);
	calendar_free(cal);
	return out;
}

static void test_check_refuses_what_makes_no_sense(void **state)
{
	(void)state;
	assert_null(schedule_check(day("2031-03-04"), false, "Nghỉ"));
	assert_string_equal(schedule_check(day("2031-03-04"), false, ""),
			    "calendar.err.name_required");
	assert_string_equal(schedule_check(day("2031-03-04"), false, NULL),
			    "calendar.err.name_required");
	/* A Tuesday is already a working day; a Saturday or a holiday is not. */
	assert_string_equal(schedule_check(day("2031-03-04"), true, "x"),
			    "calendar.err.already_working");
	assert_null(schedule_check(day("2031-03-08"), true, ""));
	assert_null(schedule_check(day("2031-09-02"), true, "Làm việc"));
	assert_string_equal(schedule_check(day("1899-12-30"), false, "x"), "calendar.err.year");
	assert_string_equal(schedule_check(day("2031-03-04"), false, "a\tb"),
			    "calendar.err.name_control");
	char big[SCHEDULE_NAME_MAX + 2];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_string_equal(schedule_check(day("2031-03-04"), false, big),
			    "calendar.err.name_long");
	big[SCHEDULE_NAME_MAX] = '\0';
	assert_null(schedule_check(day("2031-03-04"), false, big));
}

static void test_set_and_unset_move_due_dates_and_are_audited(void **state)
{
	struct dbfixture *f = *state;
	char out[17];
	/* Tuesday 2031-03-04, 09:00 + 2 working days: Thursday. */
	assert_string_equal(due(f, "2031-03-04", 2, out), "2031-03-06 09:00");
	const char *problem = NULL;
	assert_int_equal(schedule_set(f->d, "acc-1", day("2031-03-05"), false, "Nghỉ thử",
				      SCHEDULE_ADD_ONLY, &problem),
			 MC_OK);
	assert_null(problem);
	assert_string_equal(due(f, "2031-03-04", 2, out), "2031-03-07 09:00");
	/* Adding it again is a conflict; replacing is not. */
	assert_int_equal(schedule_set(f->d, "acc-1", day("2031-03-05"), false, "Khác",
				      SCHEDULE_ADD_ONLY, &problem),
			 MC_CONFLICT);
	assert_string_equal(problem, "calendar.err.duplicate");
	assert_int_equal(schedule_set(f->d, "acc-1", day("2031-03-05"), false, "Khác",
				      SCHEDULE_REPLACE, &problem),
			 MC_OK);
	/* A Saturday worked pulls the due date back. */
	assert_int_equal(schedule_set(f->d, "acc-1", day("2031-03-08"), true, "Làm bù",
				      SCHEDULE_REPLACE, &problem),
			 MC_OK);
	assert_string_equal(due(f, "2031-03-06", 2, out), "2031-03-08 09:00");
	assert_int_equal(schedule_set(f->d, "acc-1", day("2031-03-06"), true, "x", SCHEDULE_REPLACE,
				      &problem),
			 MC_INVALID);
	assert_string_equal(problem, "calendar.err.already_working");

	assert_int_equal(schedule_unset(f->d, "acc-2", day("2031-03-05")), MC_OK);
	assert_int_equal(schedule_unset(f->d, "acc-2", day("2031-03-05")), MC_NOT_FOUND);
	assert_string_equal(due(f, "2031-03-04", 2, out), "2031-03-06 09:00");

	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.set'"
				  " AND subject = 'calendar:2031-03-05'"),
			 2);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action ="
				  " 'calendar.unset' AND actor = 'acc-2'"),
			 1);
	/* The failed attempts wrote nothing. */
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), 4);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM calendar_day"), 1);

	arena *a = arena_new(0);
	char hash[AUDIT_HASH_LEN + 1];
	assert_int_equal(audit_latest(db_reader(f->d), a, "calendar:2031-03-05", hash), MC_OK);
	struct audit_entry e;
	assert_int_equal(audit_get(db_reader(f->d), a, hash, &e), MC_OK);
	assert_string_equal(e.action, "calendar.unset");
	assert_string_equal(e.data, "{\"before\":{\"name\":\"Khác\",\"working\":false},"
				    "\"name\":null,\"working\":null}");
	assert_true(audit_public_subject(e.subject));
	assert_false(audit_public_subject("account:acc-1"));
	assert_int_equal(audit_get(db_reader(f->d), a, "ABC", &e), MC_INVALID);
	arena_free(a);
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	assert_int_equal(rep.first_broken, 0);
}

static void test_import_is_all_or_nothing_with_one_entry(void **state)
{
	struct dbfixture *f = *state;
	struct schedule_day days[] = {
		{day("2032-02-09"), false, "Nghỉ Tết thêm", NULL, NULL},
		{day("2032-02-21"), true, "Làm bù", NULL, NULL},
	};
	/* An actor the audit log refuses: the whole write rolls back. */
	assert_int_equal(schedule_import(f->d, "cli:\x01", days, 2, "ab", NULL, NULL), MC_INVALID);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM calendar_day"), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), 0);

	int added = -1, replaced = -1;
	assert_int_equal(schedule_import(f->d, "cli:test", days, 2, "ab", &added, &replaced),
			 MC_OK);
	assert_int_equal(added, 2);
	assert_int_equal(replaced, 0);
	days[0].name = "Nghỉ Tết (sửa)";
	assert_int_equal(schedule_import(f->d, "cli:test", days, 1, "cd", &added, &replaced),
			 MC_OK);
	assert_int_equal(added, 0);
	assert_int_equal(replaced, 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), 2);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action ="
				  " 'calendar.import' AND data LIKE '%\"sha256\":\"cd\"%'"),
			 1);

	json_t *doc;
	assert_int_equal(schedule_year_json(f->d, 2032, &doc), MC_OK);
	size_t i;
	json_t *d;
	int overrides = 0;
	json_array_foreach(json_object_get(doc, "days"), i, d)
	{
		if (!json_is_true(json_object_get(d, "override")))
			continue;
		overrides++;
		assert_string_equal(json_string_value(json_object_get(d, "updated_by")),
				    "cli:test");
	}
	assert_int_equal(overrides, 2);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_refuses_what_makes_no_sense),
		cmocka_unit_test_setup_teardown(test_set_and_unset_move_due_dates_and_are_audited,
						setup, dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_is_all_or_nothing_with_one_entry, setup,
						dbfixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
