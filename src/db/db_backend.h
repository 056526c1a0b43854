/*
 * db_backend.h - what a storage backend implements (private to src/db/).
 *
 * A backend turns SQL text and db_args into rows; it knows nothing of the
 * writer thread, the connection registry or migrations, which live in db.c
 * and are the same for every backend.
 */
#ifndef MOTCUA_DB_BACKEND_H
#define MOTCUA_DB_BACKEND_H

#include "db/db.h"

struct db_result {
	int nrows, ncols;
	char **cells; /* nrows * ncols, NULL for SQL NULL */
	size_t *lens;
};

struct db_backend {
	const char *name;
	/* Opens a connection; writer is true for the single writing connection. */
	mc_status (*connect)(const char *target, bool writer, void **conn, char *err,
			     size_t errlen);
	void (*disconnect)(void *conn);
	/* Runs one statement; out may be NULL when rows are not wanted. */
	mc_status (*run)(void *conn, arena *a, const char *sql, const db_arg *args, int nargs,
			 db_result **out, int64_t *changes);
	/* Runs a script of several statements without parameters. */
	mc_status (*script)(void *conn, const char *sql);
	const char *(*errmsg)(void *conn);
	/* Serialises migrations between nodes for the current transaction;
	 * NULL when the backend needs nothing (SQLite has one writer). */
	mc_status (*lock_migrations)(void *conn);
	/* Queries listing the application's tables (one column: the name;
	 * schema_migrations left out) and their foreign keys (two columns:
	 * child table, parent table), for copying tables in order. */
	const char *tables_sql;
	const char *foreign_keys_sql;
	/* Streams a table as PostgreSQL COPY text: first a line of column
	 * names separated by tabs, then one line per row. */
	mc_status (*copy_out)(void *conn, const char *table, db_line_fn emit, void *ud);
	/* Loads lines in the copy_out format into a table. */
	mc_status (*copy_in)(void *conn, const char *table, db_next_line_fn next, void *ud,
			     int64_t *rows);
	/* SQL that starts a consistent read-only snapshot. */
	const char *snapshot_sql;
	/* Suffix of migration files meant only for this backend ("sqlite"). */
	const char *dialect;
};

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

/* Helpers for backends: build a result in an arena. */
db_result *db_result_new(arena *a, int ncols);
void db_result_push(db_result *r, arena *a, int *cap, const char *const *cells, const size_t *lens);

#endif
