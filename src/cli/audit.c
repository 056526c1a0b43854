/*
 * audit.c - `motcua audit verify`: recomputes the audit chain and exits 0
 * only when every entry is intact, naming the first broken one otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/progress.h"
#include "domain/audit.h"

const char cmd_audit_usage[] =
	"usage: motcua audit verify --data DIR\n"
	"  verify    recompute the hash of every audit entry in order; exit 0 when the\n"
	"            chain is intact, 1 naming the first entry that was changed,\n"
	"            removed or reordered\n"
	"  --data DIR  the deployment to check (its database, or MOTCUA_DATABASE)\n";

static int usage(const char *problem, const char *arg)
{
	fprintf(stderr, "motcua audit: %s%s%s\n%s", problem, arg ? " " : "", arg ? arg : "",
		cmd_audit_usage);
	return 2;
}

static void on_progress(void *ud, int64_t done, int64_t total)
{
	struct progress *p = ud;
	if (p->total == 0 && total > 0)
		p->total = total;
	progress_add(p, done - p->done);
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *data = NULL;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'h': fputs(cmd_audit_usage, stdout); return 0;
		case ':': return usage("this flag needs a value:", argv[optind - 1]);
		default: return usage("unknown flag", argv[optind - 1]);
		}
	}
	if (optind >= argc || strcmp(argv[optind], "verify") != 0)
		return usage("say 'verify', not", optind < argc ? argv[optind] : "nothing");
	if (optind + 1 != argc)
		return usage("unexpected argument", argv[optind + 1]);
	if (!data)
		return usage("--data DIR is required", NULL);
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, false, &d) < 0)
		return 1;
	db_conn *c = db_reader(d);
	struct audit_report rep;
	struct progress p;
	progress_start(&p, "audit verify", 0);
	mc_status rc = c ? audit_verify(c, &rep, on_progress, &p) : MC_BUSY;
	if (rc != MC_OK) {
		fprintf(stderr, "motcua audit: cannot read the audit log: %s\n",
			mc_status_name(rc));
		db_close(d);
		return 1;
	}
	progress_done(&p, "entries", rep.first_broken ? "BROKEN" : "intact");
	db_close(d);
	if (rep.first_broken) {
		printf("audit chain broken at entry %lld: %s\n", (long long)rep.first_broken,
		       rep.reason);
		return 1;
	}
	printf("audit chain intact: %lld entries\n", (long long)rep.entries);
	return 0;
}
