/*
 * test_db_audit.c - the audit chain on SQLite and PostgreSQL: entries chain
 * by hash, concurrent appends form one gapless chain, and changing,
 * removing or reordering a stored entry is found and named.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "dbfixture.h"
#include "db/db.h"
#include "domain/audit.h"

static int setup(void **state)
{
	return dbfixture_setup(state, "audit", NULL);
}

struct entry {
	const char *action, *subject;
	int value;
	char hash[AUDIT_HASH_LEN + 1];
};

static mc_status append_fn(db_conn *c, void *p)
{
	struct entry *e = p;
	json_t *data = json_pack("{s:i,s:s}", "value", e->value, "note", "Tiếp nhận\nhồ sơ");
	mc_status rc = audit_append(c, "system", e->action, e->subject, data, e->hash);
	json_decref(data);
	return rc;
}

static void append(struct dbfixture *f, const char *action, const char *subject, int value)
{
	struct entry e = {action, subject, value, ""};
	assert_int_equal(db_write(f->d, append_fn, &e), MC_OK);
	assert_int_equal(strlen(e.hash), AUDIT_HASH_LEN);
}

static struct audit_report verify(struct dbfixture *f)
{
	struct audit_report rep;
	assert_int_equal(audit_verify(db_reader(f->d), &rep, NULL, NULL), MC_OK);
	return rep;
}

struct tamper {
	const char *sql;
	const char *arg;
};

static mc_status tamper_fn(db_conn *c, void *p)
{
	struct tamper *t = p;
	if (t->arg)
		return db_exec(c, t->sql, DB_ARGS(DB_TEXT(t->arg)), NULL);
	return db_exec(c, t->sql, DB_NOARGS, NULL);
}

/* Changes stored entries behind the chain's back (the writer connection:
 * read connections are read-only). */
static void exec(struct dbfixture *f, const char *sql, const char *arg)
{
	struct tamper t = {sql, arg};
	assert_int_equal(db_write(f->d, tamper_fn, &t), MC_OK);
}

static void test_an_intact_chain_verifies(void **state)
{
	struct dbfixture *f = *state;
	for (int i = 0; i < 10; i++)
		append(f, "dossier.submit", "dossier:000.00.16.H43-261128-0001", i);
	struct audit_report rep = verify(f);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, 10);
	arena *a = arena_new(0);
	char latest[AUDIT_HASH_LEN + 1];
	assert_int_equal(
		audit_latest(db_reader(f->d), a, "dossier:000.00.16.H43-261128-0001", latest),
		MC_OK);
	assert_int_equal(strlen(latest), AUDIT_HASH_LEN);
	assert_int_equal(audit_latest(db_reader(f->d), a, "dossier:none", latest), MC_OK);
	assert_string_equal(latest, "");
	arena_free(a);
}

static void test_a_changed_entry_is_named(void **state)
{
	struct dbfixture *f = *state;
	for (int i = 0; i < 5; i++)
		append(f, "account.login", "account:a1", i);
	exec(f, "UPDATE audit_log SET data = '{\"value\":99}' WHERE n = 3", NULL);
	struct audit_report rep = verify(f);
	assert_int_equal(rep.first_broken, 3);
	assert_non_null(strstr(rep.reason, "content"));
}

static void test_a_rehashed_entry_breaks_the_next(void **state)
{
	struct dbfixture *f = *state;
	for (int i = 0; i < 5; i++)
		append(f, "account.login", "account:a1", i);
	/* A forger who recomputes entry 2's own hash still breaks entry 3. */
	db_conn *c = db_reader(f->d);
	arena *a = arena_new(0);
	db_result *r;
	assert_int_equal(db_query(c, a,
				  "SELECT prev_hash, at, actor, action, subject FROM audit_log"
				  " WHERE n = 2",
				  DB_NOARGS, &r),
			 MC_OK);
	char h[AUDIT_HASH_LEN + 1];
	audit_hash(db_text(r, 0, 0), 2, db_text(r, 0, 1), db_text(r, 0, 2), db_text(r, 0, 3),
		   db_text(r, 0, 4), "{\"value\":7}", h);
	exec(f, "UPDATE audit_log SET data = '{\"value\":7}', hash = $1 WHERE n = 2", h);
	arena_free(a);
	struct audit_report rep = verify(f);
	assert_int_equal(rep.first_broken, 3);
}

static void test_a_removed_entry_is_found(void **state)
{
	struct dbfixture *f = *state;
	for (int i = 0; i < 5; i++)
		append(f, "catalogue.edit", "procedure:1.001193", i);
	exec(f, "DELETE FROM audit_log WHERE n = 4", NULL);
	assert_int_equal(verify(f).first_broken, 4);
}

static void test_a_removed_last_entry_is_found(void **state)
{
	struct dbfixture *f = *state;
	for (int i = 0; i < 3; i++)
		append(f, "catalogue.edit", "procedure:1.001193", i);
	exec(f, "DELETE FROM audit_log WHERE n = 3", NULL);
	assert_int_equal(verify(f).first_broken, 3);
}

static void test_bad_fields_are_refused(void **state)
{
	struct dbfixture *f = *state;
	struct entry e = {"dossier.submit", "line\nbreak", 1, ""};
	assert_int_equal(db_write(f->d, append_fn, &e), MC_INVALID);
	e.subject = "";
	assert_int_equal(db_write(f->d, append_fn, &e), MC_INVALID);
	assert_int_equal(verify(f).entries, 0);
}

#define THREADS 8
#define EACH	25

static void *appender(void *p)
{
	struct dbfixture *f = p;
	for (int i = 0; i < EACH; i++) {
		struct entry e = {"dossier.submit", "dossier:x", i, ""};
		if (db_write(f->d, append_fn, &e) != MC_OK)
			return (void *)1;
	}
	return NULL;
}

static void test_concurrent_appends_form_one_gapless_chain(void **state)
{
	struct dbfixture *f = *state;
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, appender, f), 0);
	for (int i = 0; i < THREADS; i++) {
		void *res;
		pthread_join(t[i], &res);
		assert_null(res);
	}
	struct audit_report rep = verify(f);
	assert_int_equal(rep.first_broken, 0);
	assert_int_equal(rep.entries, THREADS * EACH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_intact_chain_verifies, setup,
						dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_a_changed_entry_is_named, setup,
						dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_a_rehashed_entry_breaks_the_next, setup,
						dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_a_removed_entry_is_found, setup,
						dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_a_removed_last_entry_is_found, setup,
						dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_fields_are_refused, setup,
						dbfixture_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_appends_form_one_gapless_chain,
						setup, dbfixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
