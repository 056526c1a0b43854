/*
 * audit.c - `motcua audit verify`: recomputes the audit chain and exits 0
 * only when every entry is intact, naming the first broken one otherwise;
 * `motcua audit show HASH`: prints the entry with that hash (every field,
 * for the operator) and whether its content still matches it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/progress.h"
#include "domain/audit.h"

const char cmd_audit_usage[] =
	"usage: motcua audit verify --data DIR\n"
	"       motcua audit show HASH --data DIR\n"
	"  verify    recompute the hash of every audit entry in order; exit 0 when the\n"
	"            chain is intact, 1 naming the first entry that was changed,\n"
	"            removed or reordered\n"
	"  show      print the entry whose hash is HASH (a lookup page's verification\n"
	"            code), one field a line; exit 1 when there is none or when its\n"
	"            content no longer matches the hash\n"
	"  --data DIR  the deployment to check (its database, or MOTCUA_DATABASE)\n";

static int usage(const char *problem, const char *arg)
{
	return cli_usage("audit", cmd_audit_usage, problem, arg);
}

static void on_progress(void *ud, int64_t done, int64_t total)
{
	struct progress *p = ud;
	if (p->total == 0 && total > 0)
		p->total = total;
	progress_add(p, done - p->done);
}

static int show_entry(const char *data, const char *hash)
{
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, false, &d) < 0)
		return 1;
	db_conn *c = db_reader(d);
	arena *a = arena_new(0);
	struct audit_entry e;
	mc_status rc = c ? audit_get(c, a, hash, &e) : MC_BUSY;
	int status = 1;
	if (rc == MC_INVALID) {
		fprintf(stderr, "motcua audit: %s is not a hash: 64 digits 0-9 a-f\n", hash);
	} else if (rc == MC_NOT_FOUND) {
		fprintf(stderr, "motcua audit: no entry has the hash %s\n", hash);
	} else if (rc != MC_OK) {
		fprintf(stderr, "motcua audit: cannot read the audit log: %s\n",
			mc_status_name(rc));
	} else {
		char h[AUDIT_HASH_LEN + 1];
		audit_hash(e.prev_hash, e.n, e.at, e.actor, e.action, e.subject, e.data, h);
		bool ok = strcmp(h, e.hash) == 0;
		printf("n\t%lld\nat\t%s\nactor\t%s\naction\t%s\nsubject\t%s\ndata\t%s\n"
		       "prev_hash\t%s\nhash\t%s\ncontent\t%s\n",
		       (long long)e.n, e.at, e.actor, e.action, e.subject, e.data, e.prev_hash,
		       e.hash, ok ? "matches its hash" : "DOES NOT match its hash");
		status = ok ? 0 : 1;
	}
	arena_free(a);
	db_close(d);
	return status;
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
	bool show = optind < argc && strcmp(argv[optind], "show") == 0;
	if (optind >= argc || (!show && strcmp(argv[optind], "verify") != 0))
		return usage("say 'verify' or 'show', not",
			     optind < argc ? argv[optind] : "nothing");
	if (optind + 1 + show != argc)
		return usage(show ? "show needs one HASH" : "unexpected argument",
			     optind + 1 < argc ? argv[optind + 1] : NULL);
	if (!data)
		return usage("--data DIR is required", NULL);
	if (show)
		return show_entry(data, argv[optind + 1]);
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
