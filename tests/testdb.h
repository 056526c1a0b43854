/*
 * testdb.h - which database a test runs on.
 *
 * scripts/test.sh runs the database-facing tests twice: on SQLite, and with
 * MOTCUA_TEST_BACKEND=postgres and MOTCUA_TEST_PG=<URL of a throw-away
 * cluster it started>. testdb_new() gives each test a fresh, empty
 * database: a file path under dir for SQLite, or a new PostgreSQL database
 * (CREATE DATABASE) whose URL is returned. Header-only so every test binary
 * can use it without build changes.
 */
#ifndef MOTCUA_TESTDB_H
#define MOTCUA_TESTDB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline bool testdb_is_postgres(void)
{
	const char *b = getenv("MOTCUA_TEST_BACKEND");
	return b && strcmp(b, "postgres") == 0 && getenv("MOTCUA_TEST_PG");
}

static inline const char *testdb_backend(void)
{
	return testdb_is_postgres() ? "postgres" : "sqlite";
}

/*
 * Writes into out the target of a fresh database: "<dir>/motcua.db" for
 * SQLite, or a new PostgreSQL database's URL. Returns 0, or -1 with a
 * message on stderr.
 */
static inline int testdb_new(const char *dir, char *out, size_t outlen)
{
	if (!testdb_is_postgres()) {
		snprintf(out, outlen, "%s/motcua.db", dir);
		return 0;
	}
	static unsigned counter;
	const char *admin = getenv("MOTCUA_TEST_PG");
	char name[64];
	snprintf(name, sizeof(name), "t_%ld_%u_%u", (long)getpid(), counter++,
		 (unsigned)(rand() & 0xffff));
	PGconn *c = PQconnectdb(admin);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "testdb: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	char sql[128];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "testdb: %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	/* Replace the database name at the end of the admin URL. */
	const char *slash = strrchr(admin, '/');
	size_t base = slash ? (size_t)(slash - admin) : strlen(admin);
	snprintf(out, outlen, "%.*s/%s", (int)base, admin, name);
	return ok ? 0 : -1;
}

#endif
