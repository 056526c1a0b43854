/*
 * dbfixture.h - the database of a DB test: a fresh, migrated database on the
 * backend scripts/test.sh chose (testdb.h) in a new temporary directory,
 * optionally seeded with SQL, and removed afterwards.
 *
 * Linked into every unit test binary (Makefile, UNIT_LIB). Per test:
 *
 *	static int setup(void **state) { return dbfixture_setup(state, "merge", seed); }
 *	... cmocka_unit_test_setup_teardown(t, setup, dbfixture_teardown) ...
 *
 * or for a whole group, dbfixture_open(&F, ...) / dbfixture_close(&F).
 */
#ifndef MOTCUA_TEST_DBFIXTURE_H
#define MOTCUA_TEST_DBFIXTURE_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

struct dbfixture {
	char dir[64];	  /* the temporary directory (blobs, the SQLite file) */
	char target[512]; /* what db_open opened: a file or a PostgreSQL URL */
	db *d;
	arena *a; /* freed with the fixture */
};

/* Opens a fresh migrated database in /tmp/motcua-<name>-XXXXXX, then runs
 * seed (statements separated by ';', may be NULL) in one write. Initialises
 * libsodium. 0, or -1 with a message on stderr. */
int dbfixture_open(struct dbfixture *f, const char *name, const char *seed);

/* Closes the database, frees the arena, removes the directory. */
void dbfixture_close(struct dbfixture *f);

/* cmocka setup: a new opened fixture in *state (0, or -1). */
int dbfixture_setup(void **state, const char *name, const char *seed);

/* cmocka teardown of dbfixture_setup. */
int dbfixture_teardown(void **state);

/* The first column of the first row of sql ($1 = arg when not NULL) in
 * f->a, or NULL without a row; fails the test when the query does. */
const char *dbfixture_text(struct dbfixture *f, const char *sql, const char *arg);

/* The same as a number (COUNT(*) and the like); fails without a row. */
int64_t dbfixture_count(struct dbfixture *f, const char *sql, const char *arg);

/* Every row of sql ($1 = arg when not NULL) as text in f->a: columns
 * separated by ' ', each row ended by ';' (NULL shown as "-"); "" without
 * rows. Fails the test when the query does. */
const char *dbfixture_rows(struct dbfixture *f, const char *sql, const char *arg);

/* Runs sql (statements separated by ';') in one write; fails the test when
 * it does not commit. */
void dbfixture_exec(struct dbfixture *f, const char *sql);

#endif
