/*
 * db_pg.c - the PostgreSQL backend (libpq), behind the same function table
 * as SQLite, so domain code does not change.
 *
 * Statements are prepared once per connection (named by a hash of their
 * text) and run with text parameters. When the server goes away (restart,
 * failover, network), the failing call returns MC_BUSY so the request is
 * answered 503, and the next call on that connection reconnects by itself;
 * prepared statements are forgotten with the old connection.
 *
 * A statement that fails inside the writer's transaction aborts it in
 * PostgreSQL (unlike SQLite); the writer's ROLLBACK TO SAVEPOINT restores it,
 * so one failed write never poisons the others in its batch.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "db/db_backend.h"

/* Set-associative, as in db_sqlite.c: a statement's hash picks a set of
 * CACHE_WAYS slots and a new one replaces the least recently used of its
 * set, so two colliding statements of one job stop evicting each other
 * (here each eviction was a DEALLOCATE and a PREPARE round trip). */
#define CACHE_SLOTS 256
#define CACHE_WAYS  4

struct pgc {
	PGconn *h;
	char *target;
	char *cache[CACHE_SLOTS];	      /* SQL text prepared under the name "s<slot>" */
	unsigned long long used[CACHE_SLOTS]; /* uses at the slot's last use */
	unsigned long long uses;
	char err[512];
};

static unsigned hash_sql(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void forget_statements(struct pgc *c)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(c->cache[i]);
		c->cache[i] = NULL;
	}
}

static void note(struct pgc *c, const PGresult *r)
{
	const char *m = r ? PQresultErrorMessage(r) : NULL;
	if (!m || !*m)
		m = PQerrorMessage(c->h);
	snprintf(c->err, sizeof(c->err), "%s", m);
	size_t n = strlen(c->err);
	while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
}

/* Maps SQLSTATE classes to the status vocabulary. */
static mc_status map_state(const PGresult *r, PGconn *h)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(h) != CONNECTION_OK)
		return MC_BUSY;
	if (!st)
		return MC_INTERNAL;
	if (strncmp(st, "23", 2) == 0)
		return MC_CONFLICT; /* integrity constraint violation */
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "57", 2) == 0 || strncmp(st, "53", 2) == 0 ||
	    strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
		return MC_BUSY; /* connection, shutdown, resources, serialization */
	if (strcmp(st, "22001") == 0 || strcmp(st, "54000") == 0)
		return MC_TOO_LARGE;
	return MC_INTERNAL;
}

static mc_status pg_open(struct pgc *c, char *err, size_t errlen)
{
	c->h = PQconnectdb(c->target);
	if (PQstatus(c->h) != CONNECTION_OK) {
		snprintf(err, errlen, "PostgreSQL: %s", PQerrorMessage(c->h));
		size_t n = strlen(err);
		while (n && err[n - 1] == '\n')
			err[--n] = '\0';
		PQfinish(c->h);
		c->h = NULL;
		return MC_BUSY;
	}
	PGresult *r =
		PQexec(c->h, "SET client_min_messages = warning; SET TIME ZONE 'Asia/Ho_Chi_Minh'");
	PQclear(r);
	return MC_OK;
}

/* Reconnects a connection that was lost; MC_OK when usable. */
static mc_status ensure(struct pgc *c)
{
	if (c->h && PQstatus(c->h) == CONNECTION_OK)
		return MC_OK;
	forget_statements(c);
	if (c->h) {
		PQfinish(c->h);
		c->h = NULL;
	}
	char err[512];
	mc_status rc = pg_open(c, err, sizeof(err));
	if (rc != MC_OK) {
		snprintf(c->err, sizeof(c->err), "%s", err);
		return rc;
	}
	log_info("db: reconnected to PostgreSQL");
	return MC_OK;
}

static mc_status pgb_connect(const char *target, bool writer, void **out, char *err, size_t errlen)
{
	struct pgc *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->target = strdup(target);
	if (!c->target)
		abort();
	mc_status rc = pg_open(c, err, errlen);
	if (rc != MC_OK) {
		free(c->target);
		free(c);
		return rc;
	}
	*out = c;
	return MC_OK;
}

static void pgb_disconnect(void *p)
{
	struct pgc *c = p;
	if (!c)
		return;
	forget_statements(c);
	PQfinish(c->h);
	free(c->target);
	free(c);
}

/* Prepares sql under its slot's name unless it already is. */
static mc_status prepare(struct pgc *c, const char *sql, int nargs, char *name, size_t namelen)
{
	unsigned first = (hash_sql(sql) % (CACHE_SLOTS / CACHE_WAYS)) * CACHE_WAYS, slot = first;
	c->uses++;
	for (unsigned i = first; i < first + CACHE_WAYS; i++) {
		if (c->cache[i] && strcmp(c->cache[i], sql) == 0) {
			c->used[i] = c->uses;
			snprintf(name, namelen, "s%u", i);
			return MC_OK;
		}
		/* An empty slot first, else the least recently used. */
		if (!c->cache[i] ? c->cache[slot] != NULL
				 : c->cache[slot] && c->used[i] < c->used[slot])
			slot = i;
	}
	snprintf(name, namelen, "s%u", slot);
	if (c->cache[slot]) {
		char dealloc[32];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", name);
		PQclear(PQexec(c->h, dealloc));
		free(c->cache[slot]);
		c->cache[slot] = NULL;
	}
	PGresult *r = PQprepare(c->h, name, sql, nargs, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		note(c, r);
		mc_status rc = map_state(r, c->h);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	c->cache[slot] = strdup(sql);
	if (!c->cache[slot])
		abort();
	c->used[slot] = c->uses;
	return MC_OK;
}

static mc_status run_once(void *p, arena *a, const char *sql, const db_arg *args, int nargs,
			  db_result **out, int64_t *changes)
{
	struct pgc *c = p;
	mc_status rc = ensure(c);
	if (rc != MC_OK)
		return rc;
	char name[16];
	rc = prepare(c, sql, nargs, name, sizeof(name));
	if (rc != MC_OK)
		return rc;
	const char *vals[64];
	int lens[64];
	char ints[64][24];
	if (nargs > 64) {
		snprintf(c->err, sizeof(c->err), "more than 64 parameters");
		return MC_INTERNAL;
	}
	for (int i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case DB_INT:
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)args[i].i);
			vals[i] = ints[i];
			lens[i] = (int)strlen(ints[i]);
			break;
		case DB_TEXT:
			vals[i] = args[i].s;
			lens[i] = (int)args[i].len;
			break;
		default: vals[i] = NULL; lens[i] = 0;
		}
	}
	PGresult *r = PQexecPrepared(c->h, name, nargs, vals, lens, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		note(c, r);
		rc = map_state(r, c->h);
		PQclear(r);
		return rc;
	}
	if (changes) {
		const char *t = PQcmdTuples(r);
		*changes = t && *t ? strtoll(t, NULL, 10) : 0;
	}
	if (out) {
		int ncols = PQnfields(r), nrows = PQntuples(r), cap = 0;
		if (ncols > 64) {
			PQclear(r);
			snprintf(c->err, sizeof(c->err), "more than 64 columns");
			return MC_INTERNAL;
		}
		db_result *res = db_result_new(a, ncols);
		const char *cells[64];
		size_t clens[64];
		for (int row = 0; row < nrows; row++) {
			for (int col = 0; col < ncols; col++) {
				bool null = PQgetisnull(r, row, col);
				cells[col] = null ? NULL : PQgetvalue(r, row, col);
				clens[col] = null ? 0 : (size_t)PQgetlength(r, row, col);
			}
			db_result_push(res, a, &cap, cells, clens);
		}
		*out = res;
	}
	PQclear(r);
	return MC_OK;
}

static mc_status script_once(void *p, const char *sql)
{
	struct pgc *c = p;
	mc_status rc = ensure(c);
	if (rc != MC_OK)
		return rc;
	PGresult *r = PQexec(c->h, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		note(c, r);
		rc = map_state(r, c->h);
	}
	PQclear(r);
	return rc;
}

/*
 * A connection looks healthy until its first query after the server
 * restarted. When a statement fails because the connection is gone and no
 * transaction was open (so nothing can be lost or done twice), reconnect and
 * run it once more, so the restart costs the caller nothing.
 */
static bool idle(const struct pgc *c)
{
	return !c->h || PQtransactionStatus(c->h) == PQTRANS_IDLE;
}

static bool lost(const struct pgc *c)
{
	return c->h && PQstatus(c->h) != CONNECTION_OK;
}

static mc_status pgb_run(void *p, arena *a, const char *sql, const db_arg *args, int nargs,
			 db_result **out, int64_t *changes)
{
	bool was_idle = idle(p);
	mc_status rc = run_once(p, a, sql, args, nargs, out, changes);
	if (rc == MC_BUSY && was_idle && lost(p))
		rc = run_once(p, a, sql, args, nargs, out, changes);
	return rc;
}

static mc_status pgb_script(void *p, const char *sql)
{
	bool was_idle = idle(p);
	mc_status rc = script_once(p, sql);
	if (rc == MC_BUSY && was_idle && lost(p))
		rc = script_once(p, sql);
	return rc;
}

static const char *pgb_errmsg(void *p)
{
	return ((struct pgc *)p)->err;
}

static mc_status pgb_lock_migrations(void *p)
{
	/* Held until the migration's transaction ends: nodes starting at the
	 * same time apply each migration once, one after the other. */
	return pgb_script(p, "SELECT pg_advisory_xact_lock(7265616479)");
}

/* "c1, c2, ..." and the header line "c1<TAB>c2..." of a table. */
static mc_status column_list(void *p, arena *a, const char *table, buf *sqlcols, buf *header)
{
	db_result *r;
	mc_status rc = pgb_run(p, a,
			       "SELECT column_name::text FROM information_schema.columns"
			       " WHERE table_schema = current_schema() AND table_name = $1"
			       " ORDER BY ordinal_position",
			       (db_arg[]){DB_TEXT(table)}, 1, &r, NULL);
	if (rc != MC_OK)
		return rc;
	for (int i = 0; i < db_nrows(r); i++) {
		const char *col = db_text(r, i, 0);
		if (!db_plain_identifier(col))
			return MC_INVALID;
		buf_printf(sqlcols, "%s%s", i ? ", " : "", col);
		buf_printf(header, "%s%s", i ? "\t" : "", col);
	}
	return db_nrows(r) ? MC_OK : MC_NOT_FOUND;
}

static mc_status pgb_copy_out(void *p, const char *table, db_line_fn emit, void *ud)
{
	struct pgc *c = p;
	if (!db_plain_identifier(table)) {
		snprintf(c->err, sizeof(c->err), "bad table name");
		return MC_INVALID;
	}
	arena *a = arena_new(0);
	buf cols = BUF_INIT(65536), header = BUF_INIT(65536);
	mc_status rc = column_list(p, a, table, &cols, &header);
	if (rc == MC_OK && emit(ud, header.data, header.len) < 0)
		rc = MC_INTERNAL;
	if (rc == MC_OK) {
		char *sql = arena_printf(a, "COPY %s (%s) TO STDOUT", table, cols.data);
		PGresult *r = PQexec(c->h, sql);
		if (PQresultStatus(r) != PGRES_COPY_OUT) {
			note(c, r);
			rc = map_state(r, c->h);
		}
		PQclear(r);
		char *row;
		int n;
		bool stop = false;
		while (rc == MC_OK && (n = PQgetCopyData(c->h, &row, 0)) > 0) {
			/* Keep draining after a failed emit: libpq needs the
			 * copy finished before the connection is usable. */
			if (!stop &&
			    emit(ud, row, (size_t)(n > 0 && row[n - 1] == '\n' ? n - 1 : n)) < 0)
				stop = true;
			PQfreemem(row);
		}
		if (rc == MC_OK) {
			r = PQgetResult(c->h);
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				note(c, r);
				rc = map_state(r, c->h);
			}
			PQclear(r);
			while ((r = PQgetResult(c->h)))
				PQclear(r);
			if (stop)
				rc = MC_INTERNAL;
		}
	}
	buf_release(&cols);
	buf_release(&header);
	arena_free(a);
	return rc;
}

static mc_status pgb_copy_in(void *p, const char *table, db_next_line_fn next, void *ud,
			     int64_t *rows)
{
	struct pgc *c = p;
	const char *line;
	size_t len;
	*rows = 0;
	if (!db_plain_identifier(table) || next(ud, &line, &len) != 1) {
		snprintf(c->err, sizeof(c->err), "%s: missing the line of column names", table);
		return MC_INVALID;
	}
	buf cols = BUF_INIT(65536);
	for (size_t i = 0; i < len; i++)
		buf_putc(&cols, line[i] == '\t' ? ',' : line[i]);
	/* Column names go into SQL text: each must be a plain identifier. */
	arena *a = arena_new(0);
	char *copy = arena_strdup(a, buf_str(&cols));
	mc_status rc = MC_OK;
	for (char *s = copy, *e; s && rc == MC_OK; s = e ? e + 1 : NULL) {
		e = strchr(s, ',');
		if (e)
			*e = '\0';
		if (!db_plain_identifier(s))
			rc = MC_INVALID;
	}
	if (rc != MC_OK) {
		snprintf(c->err, sizeof(c->err), "%s: bad column names", table);
		goto out;
	}
	PGresult *r = PQexec(c->h, arena_printf(a, "COPY %s (%s) FROM STDIN", table, cols.data));
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		note(c, r);
		rc = map_state(r, c->h);
		PQclear(r);
		goto out;
	}
	PQclear(r);
	int more;
	while ((more = next(ud, &line, &len)) == 1) {
		if (PQputCopyData(c->h, line, (int)len) != 1 || PQputCopyData(c->h, "\n", 1) != 1) {
			more = -1;
			break;
		}
		(*rows)++;
	}
	PQputCopyEnd(c->h, more < 0 ? "motcua: input could not be read" : NULL);
	r = PQgetResult(c->h);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		note(c, r);
		rc = more < 0 ? MC_INTERNAL : map_state(r, c->h);
	}
	PQclear(r);
	while ((r = PQgetResult(c->h)))
		PQclear(r);
out:
	buf_release(&cols);
	arena_free(a);
	return rc;
}

const struct db_backend db_pg_backend = {
	.name = "postgres",
	.connect = pgb_connect,
	.disconnect = pgb_disconnect,
	.run = pgb_run,
	.script = pgb_script,
	.errmsg = pgb_errmsg,
	.lock_migrations = pgb_lock_migrations,
	.tables_sql = "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()"
		      " AND tablename <> 'schema_migrations' ORDER BY 1",
	.foreign_keys_sql = "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text"
			    " FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace"
			    " WHERE c.contype = 'f' AND ns.nspname = current_schema()",
	.copy_out = pgb_copy_out,
	.copy_in = pgb_copy_in,
	.snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	.dialect = "postgres",
};
