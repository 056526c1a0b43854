/*
 * cli.h - command-line commands beyond init and serve, and the helpers every
 * command shares. Each command returns its exit status: 0 done, 1 failed,
 * 2 usage error; messages go to standard error, results to standard output.
 */
#ifndef MOTCUA_CLI_H
#define MOTCUA_CLI_H

#include <stdbool.h>

#include "core/config.h"
#include "db/db.h"

/* Defaults, DIR/motcua.conf, then the environment; prints the problem. */
int cli_load_config(const char *dir, struct config *cfg);

/* Opens the configured database, applying migrations when migrate is set;
 * prints the problem. */
int cli_open_db(const struct config *cfg, bool migrate, db **out);

/* A usage error: "motcua <cmd>: problem[ arg]" and then text (the command's
 * usage) on standard error. Returns 2, the exit status of a usage error. */
int cli_usage(const char *cmd, const char *text, const char *problem, const char *arg);

/* "cli:<user>" (the Unix user running the command) into out: the actor of
 * audit entries made from the command line. */
const char *cli_actor(char *out, size_t len);

int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_user(int argc, char **argv); /* user.c: officer accounts */
extern const char cmd_user_usage[];
int cmd_audit(int argc, char **argv);
int cmd_agencies(int argc, char **argv); /* agencies.c: merge; bank (payments.c) */
int cmd_agencies_bank(int argc, char **argv);
int cmd_payments(int argc, char **argv); /* payments.c: bank statement import */
extern const char cmd_agencies_usage[], cmd_payments_usage[];
int cmd_stats(int argc, char **argv); /* stats.c: targets, entered values, a rollup round */
extern const char cmd_stats_usage[];
/* sync.c: `export dossiers`, the national sync export (cmd_export hands over) */
int cmd_export_dossiers(int argc, char **argv);
extern const char cmd_export_dossiers_usage[];

extern const char cmd_backup_usage[], cmd_restore_usage[], cmd_migrate_usage[],
	cmd_calendar_usage[], cmd_import_usage[], cmd_export_usage[], cmd_audit_usage[];

#endif
