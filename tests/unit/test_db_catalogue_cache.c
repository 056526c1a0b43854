/*
 * test_db_catalogue_cache.c - the per-process cache of procedure records
 * and competent agencies (domain/catalogue_cache.h) on SQLite and
 * PostgreSQL: a second read comes from the cache (a change made behind its
 * back is not seen), catalogue_put and agency assignment through the domain
 * make it stale at once, an explicit bump does too, a reader between an
 * edit and its commit cannot keep the old rows cached, what was handed out
 * stays valid after the entry is replaced, unknown codes are not cached and
 * a database the cache does not serve is read through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dbfixture.h"
#include "db/db.h"
#include "domain/catalogue.h"
#include "domain/catalogue_cache.h"
#include "domain/procedure.h"

#define PROC "1.000001"

static mc_status script_fn(db_conn *c, void *p)
{
	return db_exec(c, p, NULL, -1, NULL);
}

static mc_status put_proc(db_conn *c, void *p)
{
	return catalogue_put(c, p, NULL);
}

static mc_status assign_fn(db_conn *c, void *p)
{
	int64_t n;
	(void)p;
	return catalogue_assign_agencies(c, &n);
}

/* Puts the record PROC named name through the domain (catalogue_put). */
static void put_named(struct dbfixture *f, const char *name)
{
	char err[256];
	json_t *j = json_pack("{s:s,s:s,s:s,s:[s]}", "code", PROC, "name", name, "field", "Hộ tịch",
			      "levels", "commune");
	struct procedure_rec p;
	assert_int_equal(procedure_from_json(j, f->a, &p, err, sizeof(err)), 0);
	json_decref(j);
	assert_int_equal(catalogue_cache_write(f->d, put_proc, &p), MC_OK);
}

static int setup(void **state)
{
	if (dbfixture_setup(state, "catcache", NULL) != 0)
		return -1;
	struct dbfixture *f = *state;
	put_named(f, "Đăng ký khai sinh");
	catalogue_cache_attach(f->d);
	return db_write(f->d, script_fn,
			"INSERT INTO agency (code, name, level, identifier) VALUES"
			" ('xa-1', 'UBND xã Yên Mạc', 'commune', '000.00.17.H43')") == MC_OK
		       ? 0
		       : -1;
}

static int teardown(void **state)
{
	catalogue_cache_attach(NULL);
	return dbfixture_teardown(state);
}

/* The record's name and the number of agencies, as the cache gives them;
 * what it hands out lives in a. */
static const char *cached_name(struct dbfixture *f, arena *a, int *n)
{
	struct procedure_rec p;
	const struct dossier_agency *ag;
	assert_int_equal(catalogue_cache_get(f->d, a, PROC, &p, &ag, n), MC_OK);
	return p.name;
}

static void test_hit_and_invalidation(void **state)
{
	struct dbfixture *f = *state;
	int n;
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký khai sinh");
	assert_int_equal(n, 0);

	/* Behind the cache's back (another node, a manual fix): not seen... */
	assert_int_equal(db_write(f->d, script_fn,
				  "UPDATE procedure SET record = REPLACE(record, 'khai sinh',"
				  " 'khai tử')"),
			 MC_OK);
	arena *held = arena_new(0);
	const char *old = cached_name(f, held, &n);
	assert_string_equal(old, "Đăng ký khai sinh");
	/* ...until a bump (or the TTL). */
	unsigned long g = catalogue_cache_generation();
	catalogue_cache_bump();
	assert_true(catalogue_cache_generation() != g);
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký khai tử");
	/* What was handed out before survives the entry's replacement. */
	assert_string_equal(old, "Đăng ký khai sinh");
	arena_free(held);

	/* Edits through the domain are seen at once. */
	put_named(f, "Đăng ký kết hôn");
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký kết hôn");
	assert_int_equal(n, 0);
	assert_int_equal(catalogue_cache_write(f->d, assign_fn, NULL), MC_OK);
	cached_name(f, f->a, &n);
	assert_int_equal(n, 1);
}

/* An edit that reads the cache after its own change and before its commit
 * (as a concurrent submission may): the reader sees the committed, old
 * record and caches it. */
struct put_then_read {
	struct dbfixture *f;
	struct procedure_rec p;
	const char *seen;
};

static mc_status put_then_read_fn(db_conn *c, void *arg)
{
	struct put_then_read *w = arg;
	mc_status rc = catalogue_put(c, &w->p, NULL);
	int n;
	if (rc == MC_OK)
		w->seen = cached_name(w->f, w->f->a, &n);
	return rc;
}

static void test_reader_before_commit_does_not_keep_old_rows(void **state)
{
	struct dbfixture *f = *state;
	int n;
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký khai sinh");
	char err[256];
	json_t *j = json_pack("{s:s,s:s,s:s,s:[s]}", "code", PROC, "name", "Đăng ký khai tử",
			      "field", "Hộ tịch", "levels", "commune");
	struct put_then_read w = {.f = f};
	assert_int_equal(procedure_from_json(j, f->a, &w.p, err, sizeof(err)), 0);
	json_decref(j);
	assert_int_equal(catalogue_cache_write(f->d, put_then_read_fn, &w), MC_OK);
	assert_string_equal(w.seen, "Đăng ký khai sinh"); /* not committed yet */
	/* Once the write returns, the committed record is what the cache gives
	 * (a generation bumped before the commit kept the old one for the TTL). */
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký khai tử");
}

static void test_unknown_and_other_database(void **state)
{
	struct dbfixture *f = *state;
	struct procedure_rec p;
	const struct dossier_agency *ag;
	int n;
	assert_int_equal(catalogue_cache_get(f->d, f->a, "9.999999", &p, &ag, &n), MC_NOT_FOUND);
	assert_int_equal(catalogue_cache_get(f->d, f->a, "../x", &p, &ag, &n), MC_NOT_FOUND);
	/* Not the served database: every read goes to it. */
	catalogue_cache_attach(NULL);
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký khai sinh");
	assert_int_equal(db_write(f->d, script_fn,
				  "UPDATE procedure SET record = REPLACE(record, 'khai sinh',"
				  " 'khai tử')"),
			 MC_OK);
	assert_string_equal(cached_name(f, f->a, &n), "Đăng ký khai tử");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_and_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_before_commit_does_not_keep_old_rows,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_other_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
