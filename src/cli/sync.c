/*
 * sync.c - `motcua export dossiers [--since CURSOR] --data DIR`: the
 * national sync export (domain/sync.h) as JSON lines on standard output,
 * page by page until nothing is left; the last line on standard error is
 * "next cursor: CURSOR", to pass as --since next time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/sync.h"

const char cmd_export_dossiers_usage[] =
	"usage: motcua export dossiers [--since CURSOR] --data DIR\n"
	"  Writes the dossiers changed after CURSOR (all when none) as JSON lines, in\n"
	"  the national portal's vocabulary; prints the next cursor on standard error.\n";

static int usage(const char *problem, const char *arg)
{
	return cli_usage(NULL, cmd_export_dossiers_usage, problem, arg);
}

int cmd_export_dossiers(int argc, char **argv)
{
	const char *since = NULL, *data = NULL;
	for (int i = 2; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--since") == 0  ? &since
				    : strcmp(argv[i], "--data") == 0 ? &data
								     : NULL;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(cmd_export_dossiers_usage, stdout);
			return 0;
		}
		if (!slot)
			return usage("unexpected argument", argv[i]);
		if (++i == argc)
			return usage("this flag needs a value:", argv[i - 1]);
		*slot = argv[i];
	}
	int64_t seq;
	if (!data)
		return usage("--data DIR is required", NULL);
	if (!sync_cursor_parse(since, &seq))
		return usage("not a cursor of this portal:", since);
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0)
		return 1;
	char cursor[32];
	snprintf(cursor, sizeof(cursor), "%s", since && *since ? since : SYNC_CURSOR_START);
	long total = 0;
	int rc = 0;
	for (bool more = true; more && rc == 0;) {
		arena *a = arena_new(0);
		struct sync_page pg;
		if (sync_page(d, a, cursor, SYNC_PAGE_MAX, &pg) != MC_OK) {
			fprintf(stderr, "motcua export: cannot read the dossiers\n");
			rc = 1;
		}
		for (int i = 0; rc == 0 && i < pg.n; i++) {
			json_t *o = sync_row_json(a, &pg.rows[i]);
			char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (!line || printf("%s\n", line) < 0)
				rc = 1;
			free(line);
			json_decref(o);
		}
		if (rc == 0) {
			total += pg.n;
			more = pg.more;
			snprintf(cursor, sizeof(cursor), "%s", pg.next_cursor);
		}
		arena_free(a);
	}
	if (rc == 0 && fflush(stdout) != 0)
		rc = 1;
	if (rc == 0)
		fprintf(stderr, "export: %ld dossiers\nnext cursor: %s\n", total, cursor);
	db_close(d);
	return rc;
}
