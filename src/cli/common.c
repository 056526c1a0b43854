/* common.c - configuration and database opening shared by the commands. */
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/log.h"

int cli_load_config(const char *dir, struct config *cfg)
{
	char err[512];
	config_defaults(cfg, dir);
	if (config_load(cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return -1;
	}
	enum log_level lvl;
	if (log_level_parse(cfg->log_level, &lvl) == 0)
		log_set_level(lvl);
	return 0;
}

const char *cli_actor(char *out, size_t len)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *user = pw && pw->pw_name ? pw->pw_name : getenv("USER");
	snprintf(out, len, "cli:%s", user && *user ? user : "unknown");
	return out;
}

int cli_open_db(const struct config *cfg, bool migrate, db **out)
{
	char path[PATH_MAX + 16], err[512];
	const char *target = cfg->database;
	if (!*target) {
		snprintf(path, sizeof(path), "%s/motcua.db", cfg->data_dir);
		target = path;
	}
	if (db_open(target, out, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "motcua: cannot open the database: %s\n", err);
		return -1;
	}
	if (!migrate)
		return 0;
	int applied;
	if (db_migrate(*out, &applied, err, sizeof(err)) != MC_OK) {
		fprintf(stderr, "motcua: %s\n", err);
		db_close(*out);
		return -1;
	}
	if (applied)
		log_info("database %s: applied %d migration%s", db_backend_name(*out), applied,
			 applied == 1 ? "" : "s");
	return 0;
}

int cli_usage(const char *cmd, const char *text, const char *problem, const char *arg)
{
	fprintf(stderr, "motcua%s%s: %s%s%s\n%s", cmd ? " " : "", cmd ? cmd : "", problem,
		arg ? " " : "", arg ? arg : "", text);
	return 2;
}
