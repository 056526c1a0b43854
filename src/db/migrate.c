/*
 * migrate.c - versioned schema migrations, compiled into the binary from
 * db/migrations/.
 *
 * A migration is NNNN_name.sql (for every backend) or NNNN_name.<dialect>.sql
 * (for one backend only, when SQL must differ). Its version is the file name
 * without the dialect and extension. Each runs once, in its own transaction,
 * together with the row in schema_migrations that records it, so a failed
 * migration leaves nothing behind and is retried at the next start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/assets.h"
#include "core/log.h"
#include "db/db.h"

#define PREFIX "db/migrations/"

struct mig_job {
	const char *version;
	const char *sql;
	char *err;
	size_t errlen;
};

static mc_status apply(db_conn *c, void *arg)
{
	struct mig_job *m = arg;
	int64_t n;
	mc_status rc = db_lock_migrations(c);
	if (rc != MC_OK) {
		snprintf(m->err, m->errlen, "waiting for other nodes' migrations: %s",
			 db_errmsg(c));
		return rc;
	}
	arena *a = arena_new(0);
	db_result *r;
	rc = db_query(c, a, "SELECT version FROM schema_migrations WHERE version = $1",
		      DB_ARGS(DB_TEXT(m->version)), &r);
	if (rc == MC_OK && db_nrows(r) > 0) {
		arena_free(a);
		m->version = NULL; /* already there: another node applied it */
		return MC_OK;
	}
	arena_free(a);
	if (rc != MC_OK) {
		snprintf(m->err, m->errlen, "reading schema_migrations: %s", db_errmsg(c));
		return rc;
	}
	/* Progress for the rare long one (a table rebuilt at millions of rows):
	 * its name before on a terminal, its time after when it took a while. */
	if (isatty(STDERR_FILENO))
		log_info("applying migration %s", m->version);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = db_exec(c, m->sql, NULL, -1, NULL); /* nargs -1: a script */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == MC_OK && took >= 1.0)
		log_info("migration %s took %.1f s", m->version, took);
	if (rc != MC_OK) {
		snprintf(m->err, m->errlen, "migration %s: %s", m->version, db_errmsg(c));
		return rc;
	}
	rc = db_exec(c, "INSERT INTO schema_migrations (version) VALUES ($1)",
		     DB_ARGS(DB_TEXT(m->version)), &n);
	if (rc != MC_OK)
		snprintf(m->err, m->errlen, "recording migration %s: %s", m->version, db_errmsg(c));
	return rc;
}

static mc_status create_table(db_conn *c, void *arg)
{
	(void)arg;
	mc_status rc = db_lock_migrations(c);
	if (rc != MC_OK)
		return rc;
	return db_exec(c,
		       "CREATE TABLE IF NOT EXISTS schema_migrations ("
		       " version TEXT PRIMARY KEY,"
		       " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
		       DB_NOARGS, NULL);
}

static int cmp_names(const void *a, const void *b)
{
	const struct asset *x = *(const struct asset *const *)a,
			   *y = *(const struct asset *const *)b;
	return strcmp(x->name, y->name);
}

/* Splits "db/migrations/0002_x.sqlite.sql" into version "0002_x" and dialect
 * "sqlite" (empty when the file is for every backend). */
static int split_name(arena *a, const char *name, char **version, char **dialect)
{
	const char *base = name + strlen(PREFIX);
	size_t n = strlen(base);
	if (n < 5 || strcmp(base + n - 4, ".sql") != 0)
		return -1;
	char *stem = arena_strndup(a, base, n - 4);
	char *dot = strchr(stem, '.');
	*dialect = dot ? arena_strdup(a, dot + 1) : arena_strdup(a, "");
	if (dot)
		*dot = '\0';
	*version = stem;
	return 0;
}

mc_status db_migrate(db *d, int *applied, char *err, size_t errlen)
{
	if (applied)
		*applied = 0;
	mc_status rc = db_write(d, create_table, NULL);
	if (rc != MC_OK) {
		snprintf(err, errlen, "cannot create schema_migrations");
		return rc;
	}
	const struct asset *list[512];
	size_t n = 0;
	for (const struct asset *a = motcua_assets; a->name && n < 512; a++)
		if (strncmp(a->name, PREFIX, strlen(PREFIX)) == 0)
			list[n++] = a;
	qsort(list, n, sizeof(list[0]), cmp_names);

	arena *ar = arena_new(0);
	const char *mine = db_backend_name(d);
	for (size_t i = 0; i < n && rc == MC_OK; i++) {
		char *version, *dialect;
		if (split_name(ar, list[i]->name, &version, &dialect) < 0)
			continue;
		if (*dialect && strcmp(dialect, mine) != 0)
			continue;
		struct mig_job m = {
			.version = version, .sql = list[i]->data, .err = err, .errlen = errlen};
		rc = db_write(d, apply, &m);
		if (rc == MC_OK && m.version && applied)
			(*applied)++;
	}
	arena_free(ar);
	return rc;
}
