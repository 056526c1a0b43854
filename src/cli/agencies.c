/*
 * agencies.c - `motcua agencies merge`: merging agencies into a successor
 * (sáp nhập), as in the 2025 reorganisation. The rules and what moves are
 * in src/domain/agency_merge.h. What moves (or would move, --dry-run) is
 * printed per agency on standard output; the summary line goes to standard
 * error. Refusals are printed in Vietnamese when LANG or LC_MESSAGES asks
 * for it (vi...), in English otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/format.h"
#include "core/i18n.h"
#include "core/progress.h"
#include "domain/agency_merge.h"

const char cmd_agencies_usage[] =
	"usage: motcua agencies merge --data DIR --into NEW [--dry-run] OLD...\n"
	"  merge  moves the procedures, officers and open dossiers of each OLD agency\n"
	"         to NEW and marks OLD merged into NEW (one transaction, audited);\n"
	"         dossier codes stay valid, finished dossiers and statistics stay\n"
	"         with the old units. NEW and OLD are agency codes (motcua export\n"
	"         agencies lists them). Levels: commune into commune, department\n"
	"         into department, province into province, district into province,\n"
	"         department or commune, unit into unit or department.\n"
	"  --dry-run  print what would move and change nothing\n"
	"usage: motcua agencies bank AGENCY --data DIR --bin BIN --account NUMBER --name NAME\n"
	"       motcua agencies bank AGENCY --data DIR      (show the account)\n"
	"  bank   set the account the agency collects fees into (shown to applicants\n"
	"         with a VietQR code): BIN is the bank's 6-digit NAPAS BIN (970436\n"
	"         Vietcombank, 970418 BIDV, 970405 Agribank, 970415 VietinBank ...),\n"
	"         NUMBER 6 to 19 digits, NAME the account holder as the bank has it\n";

static int usage(const char *problem, const char *arg)
{
	return cli_usage("agencies", cmd_agencies_usage, problem, arg);
}

/* The language of messages, from the locale environment. */
static enum lang env_lang(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "vi", 2) == 0 ? LANG_VI : LANG_EN;
	}
	return LANG_EN;
}

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_item(const struct agency_merge_plan *p, const struct agency_merge_item *it)
{
	printf("%s\t%s\n", it->code, it->name);
	printf("  procedures:     %lld (%lld not yet at %s)\n", (long long)it->procedures,
	       (long long)it->new_procedures, p->into);
	printf("  officers:       %lld\n", (long long)it->officers);
	printf("  open dossiers:  %lld%s", (long long)it->open_dossiers, it->drafts ? "" : "\n");
	if (it->drafts)
		printf(" (and %lld %s)\n", (long long)it->drafts,
		       plural(it->drafts, "draft", "drafts"));
	printf("  finished dossiers stay: %lld\n", (long long)it->finished_dossiers);
	if (it->subunits)
		printf("  sub-units:      %lld, to %s\n", (long long)it->subunits,
		       it->subunits_to ? it->subunits_to : "the top of the tree");
}

static int merge(db *d, const char *into, const char *const *olds, int nold, bool dry_run)
{
	arena *a = arena_new(0);
	struct agency_merge_plan plan;
	struct progress pr;
	progress_start(&pr, dry_run ? "agencies merge (dry run)" : "agencies merge", nold);
	mc_status rc = dry_run ? agency_merge_check(d, a, into, olds, nold, &plan)
			       : agency_merge(d, a, "system", into, olds, nold, &plan);
	int status = 0;
	if (rc == MC_INVALID && plan.problem) {
		fprintf(stderr, "%smotcua agencies merge: %s\n", pr.tty ? "\r\033[K" : "",
			agency_merge_problem(a, env_lang(), &plan));
		status = 1;
	} else if (rc != MC_OK) {
		fprintf(stderr, "%smotcua agencies merge: cannot merge: %s\n",
			pr.tty ? "\r\033[K" : "", mc_status_name(rc));
		status = 1;
	} else {
		printf("%s %s\t%s\n", dry_run ? "would merge into" : "merged into", plan.into,
		       plan.into_name);
		int64_t procs = 0, officers = 0, open = 0;
		for (int i = 0; i < plan.n; i++) {
			print_item(&plan, &plan.items[i]);
			procs += plan.items[i].procedures;
			officers += plan.items[i].officers;
			open += plan.items[i].open_dossiers;
		}
		progress_add(&pr, plan.n);
		const char *note = arena_printf(
			a, "%s%lld procedure links, %lld officers, %lld open dossiers%s",
			dry_run ? "would move " : "moved ", (long long)procs, (long long)officers,
			(long long)open, dry_run ? "; nothing changed" : "");
		progress_done(&pr, plural(plan.n, "agency", "agencies"), note);
	}
	arena_free(a);
	return status;
}

int cmd_agencies(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"into", required_argument, NULL, 'i'},
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc >= 2) {
			fputs(cmd_agencies_usage, stdout);
			return 0;
		}
		return usage("merge?", NULL);
	}
	if (strcmp(argv[1], "bank") == 0)
		return cmd_agencies_bank(argc, argv);
	if (strcmp(argv[1], "merge") != 0)
		return usage("unknown subcommand", argv[1]);
	const char *data = NULL, *into = NULL;
	bool dry_run = false;
	int ac = argc - 1; /* flags follow the subcommand */
	char **av = argv + 1;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(ac, av, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'i': into = optarg; break;
		case 'n': dry_run = true; break;
		case 'h': fputs(cmd_agencies_usage, stdout); return 0;
		case ':': return usage("this flag needs a value:", av[optind - 1]);
		default: return usage("unknown flag", av[optind - 1]);
		}
	}
	if (!data || !*data)
		return usage("--data DIR is required", NULL);
	if (!into || !*into)
		return usage("--into NEW is required", NULL);
	if (optind >= ac)
		return usage("name at least one OLD agency to merge into", into);
	char err[256];
	if (i18n_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return 1;
	}
	struct config cfg;
	db *d;
	int status = 1;
	if (cli_load_config(data, &cfg) == 0 && cli_open_db(&cfg, true, &d) == 0) {
		status = merge(d, into, (const char *const *)(av + optind), ac - optind, dry_run);
		db_close(d);
	}
	i18n_release();
	return status;
}
