/*
 * db.h - the one database interface of motcua.
 *
 * Domain code talks to storage only through this header: it never sees a
 * sqlite3_stmt or a PGresult, and writes SQL that every backend accepts
 * (placeholders $1, $2 ... numbered in order of first use; RETURNING for
 * generated keys; no backend-specific functions). Each backend lives in its
 * own file behind the function table in db_backend.h.
 *
 * Reads run on the calling thread's own read connection (db_reader). Writes
 * are closures handed to db_write: one writer thread runs the closures that
 * are waiting, each inside its own savepoint, in one transaction, and commits
 * once (group commit); db_write returns only after that commit is durable.
 * db_write blocks its caller, so it is called from worker threads and the
 * CLI, never from an HTTP I/O thread.
 */
#ifndef MOTCUA_DB_H
#define MOTCUA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/status.h"

typedef struct db db;		    /* a database: backend, connections, writer */
typedef struct db_conn db_conn;	    /* one connection, one thread at a time */
typedef struct db_result db_result; /* rows of a query, allocated in an arena */

enum db_type { DB_NULL, DB_INT, DB_TEXT };

typedef struct db_arg {
	enum db_type type;
	int64_t i;
	const char *s;
	size_t len;
} db_arg;

static inline db_arg db_text_arg(const char *s)
{
	return s ? (db_arg){DB_TEXT, 0, s, strlen(s)} : (db_arg){DB_NULL, 0, NULL, 0};
}

#define DB_INT(v)  ((db_arg){DB_INT, (int64_t)(v), NULL, 0})
#define DB_TEXT(v) db_text_arg(v) /* a NULL pointer is SQL NULL */
#define DB_NULLARG ((db_arg){DB_NULL, 0, NULL, 0})
#define DB_ARGS(...)                                                                               \
	((const db_arg[]){__VA_ARGS__}), (int)(sizeof((db_arg[]){__VA_ARGS__}) / sizeof(db_arg))
#define DB_NOARGS NULL, 0

struct db_stats {
	uint64_t commits;	/* group-commit transactions */
	uint64_t writes;	/* closures run */
	uint64_t failed_writes; /* closures whose savepoint was rolled back */
	unsigned queue_depth;	/* closures waiting now */
	uint64_t batch_hist[8]; /* batches of 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64-127, 128+ */
};

/*
 * Opens the database: target is a file path for SQLite, or a postgres://
 * URL. Starts the writer thread. Returns MC_OK, or an error with a message.
 */
mc_status db_open(const char *target, db **out, char *err, size_t errlen);

/* Stops the writer after the queued writes, closes every connection.
 * No thread may use d or its connections afterwards. */
void db_close(db *d);

/* "sqlite" or "postgres". */
const char *db_backend_name(const db *d);

/* The calling thread's read connection, opened on first use. NULL (with the
 * reason logged) when the database cannot be reached. */
db_conn *db_reader(db *d);

/* Runs a statement that returns rows; *out holds them, allocated in a. */
mc_status db_query(db_conn *c, arena *a, const char *sql, const db_arg *args, int nargs,
		   db_result **out);

/* Runs a statement without rows; *changes (may be NULL) gets the count.
 * With nargs < 0, sql is a script of several statements without parameters
 * (migrations). */
mc_status db_exec(db_conn *c, const char *sql, const db_arg *args, int nargs, int64_t *changes);

/* The last error on this connection, for logs. */
const char *db_errmsg(db_conn *c);

typedef mc_status (*db_write_fn)(db_conn *c, void *arg);

/*
 * Runs fn(c, arg) on the writer connection inside a savepoint of the next
 * group-commit transaction. Returns fn's status once the transaction is
 * durably committed; when fn fails its savepoint is rolled back and its
 * status returned; when the commit itself fails, MC_BUSY or MC_INTERNAL.
 * fn must not block on anything but the database.
 */
mc_status db_write(db *d, db_write_fn fn, void *arg);

void db_get_stats(db *d, struct db_stats *out);

/* Result access. Rows and columns count from 0; db_text returns NULL for
 * NULL; db_int returns 0 for NULL or non-numbers. */
int db_nrows(const db_result *r);
int db_ncols(const db_result *r);
const char *db_text(const db_result *r, int row, int col);
size_t db_len(const db_result *r, int row, int col);
int64_t db_int(const db_result *r, int row, int col);
bool db_isnull(const db_result *r, int row, int col);

/* ---- whole-database copies (backup, restore, migrate) ----
 *
 * Tables travel in PostgreSQL's COPY text format, whichever the backend:
 * one line per row, fields separated by tabs, \N for NULL, and backslash
 * escapes for backslash, tab, newline and carriage return. The first line
 * names the columns. One format means a backup of either backend restores
 * into either backend, and `migrate` is a copy between two databases. */

/* Receives one line (without its newline); returns 0, or -1 to stop. */
typedef int (*db_line_fn)(void *ud, const char *line, size_t len);
/* Supplies the next line (without newline); returns 1, 0 at the end, -1 on error. */
typedef int (*db_next_line_fn)(void *ud, const char **line, size_t *len);

/* The application's tables, parents before children (so rows can be loaded
 * in this order with foreign keys on); schema_migrations is left out. */
mc_status db_tables(db_conn *c, arena *a, const char ***names, int *n);

/* Starts and ends a consistent read-only snapshot on a read connection. */
mc_status db_snapshot_begin(db_conn *c);
void db_snapshot_end(db_conn *c);

mc_status db_copy_out(db_conn *c, const char *table, db_line_fn emit, void *ud);
mc_status db_copy_in(db_conn *c, const char *table, db_next_line_fn next, void *ud, int64_t *rows);

/* True for the plain identifiers motcua's schema uses ([a-z0-9_], not
 * starting with a digit): table and column names are checked with this
 * before they are put into SQL text. */
bool db_plain_identifier(const char *s);

/* Inside a write: makes other nodes wait until this transaction ends
 * before they migrate (used by db_migrate). */
mc_status db_lock_migrations(db_conn *c);

/* Applies the migrations compiled into the binary (db/migrations/) that
 * this database has not seen, each once, each in its own transaction.
 * *applied (may be NULL) gets how many ran. */
mc_status db_migrate(db *d, int *applied, char *err, size_t errlen);

#endif
