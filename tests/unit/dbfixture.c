/* dbfixture.c - the database of a DB test (dbfixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testdb.h"
#include "dbfixture.h"

static mc_status exec_fn(db_conn *c, void *sql)
{
	return db_exec(c, sql, NULL, -1, NULL);
}

int dbfixture_open(struct dbfixture *f, const char *name, const char *seed)
{
	memset(f, 0, sizeof(*f));
	if (sodium_init() < 0)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-%s-XXXXXX", name);
	if (!mkdtemp(f->dir)) {
		fprintf(stderr, "# %s: %s\n", f->dir, strerror(errno));
		f->dir[0] = '\0';
		return -1;
	}
	if (testdb_new(f->dir, f->target, sizeof(f->target)) != 0)
		return -1;
	char err[512] = "";
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK ||
	    db_migrate(f->d, NULL, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "# database: %s\n", err);
		return -1;
	}
	if (seed && db_write(f->d, exec_fn, (void *)seed) != MC_OK) {
		fprintf(stderr, "# seeding: %s\n", db_errmsg(db_reader(f->d)));
		return -1;
	}
	f->a = arena_new(0);
	return f->a ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "# could not remove %s\n", path);
	return 0;
}

void dbfixture_close(struct dbfixture *f)
{
	if (f->d)
		db_close(f->d);
	if (f->a)
		arena_free(f->a);
	if (f->dir[0])
		nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	memset(f, 0, sizeof(*f));
}

int dbfixture_setup(void **state, const char *name, const char *seed)
{
	struct dbfixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	return dbfixture_open(f, name, seed);
}

int dbfixture_teardown(void **state)
{
	struct dbfixture *f = *state;
	if (f) {
		dbfixture_close(f);
		free(f);
	}
	*state = NULL;
	return 0;
}

static db_result *query(struct dbfixture *f, const char *sql, const char *arg)
{
	db_result *r;
	db_conn *c = db_reader(f->d);
	mc_status rc = arg ? db_query(c, f->a, sql, DB_ARGS(DB_TEXT(arg)), &r)
			   : db_query(c, f->a, sql, DB_NOARGS, &r);
	if (rc != MC_OK)
		fail_msg("%s: %s", sql, db_errmsg(c));
	return r;
}

const char *dbfixture_text(struct dbfixture *f, const char *sql, const char *arg)
{
	db_result *r = query(f, sql, arg);
	return db_nrows(r) ? db_text(r, 0, 0) : NULL;
}

const char *dbfixture_rows(struct dbfixture *f, const char *sql, const char *arg)
{
	db_result *r = query(f, sql, arg);
	const char *s = "";
	for (int i = 0; i < db_nrows(r); i++)
		for (int j = 0; j < db_ncols(r); j++) {
			const char *v = db_text(r, i, j);
			s = arena_printf(f->a, "%s%s%s%s", s, j ? " " : "", v ? v : "-",
					 j + 1 == db_ncols(r) ? ";" : "");
		}
	return s;
}

int64_t dbfixture_count(struct dbfixture *f, const char *sql, const char *arg)
{
	const char *v = dbfixture_text(f, sql, arg);
	if (!v)
		fail_msg("%s: no row", sql);
	return strtoll(v, NULL, 10);
}

void dbfixture_exec(struct dbfixture *f, const char *sql)
{
	if (db_write(f->d, exec_fn, (void *)sql) != MC_OK)
		fail_msg("%s: %s", sql, db_errmsg(db_reader(f->d)));
}
