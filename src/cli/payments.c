/*
 * payments.c - `motcua agencies bank` (an agency's collection account) and
 * `motcua payments import` (a bank statement matched against the fees
 * owed, every matched line recorded in one write, each line reported).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/format.h"
#include "core/progress.h"
#include "domain/backoffice.h"
#include "domain/payment.h"

#define STATEMENT_MAX (64u << 20) /* bytes of one statement file */

const char cmd_payments_usage[] =
	"usage: motcua payments import FILE.csv --data DIR\n"
	"  import  read a bank statement (CSV, comma or semicolon, with a header naming\n"
	"          date, amount, description, reference) and record every line whose\n"
	"          description names the dossier code of an owed fee with its exact\n"
	"          amount; prints each line as matched, unmatched (with the reason) or\n"
	"          duplicate (already recorded or repeated), then a summary. All matched\n"
	"          lines are recorded in one write. Exit 0 also when lines are unmatched.\n";

static int usage(const char *text, const char *cmd, const char *problem, const char *arg)
{
	fprintf(stderr, "motcua %s: %s%s%s\n%s", cmd, problem, arg ? " " : "", arg ? arg : "",
		text);
	return 2;
}

/* The English text of a reason key, for the terminal. */
static const char *reason(const char *key)
{
	static const struct {
		const char *key, *text;
	} t[] = {
		{"payment.bad_bin", "not a known bank BIN"},
		{"payment.bad_account", "the account number must be 6 to 19 digits"},
		{"payment.bad_account_name", "the name must be 1 to 70 characters on one line"},
		{"payment.bad_agency", "no agency given"},
		{"payment.no_code", "no dossier code of an owed fee in the description"},
		{"payment.no_fee", "the dossier owes no fee"},
		{"payment.amount_differs", "the amount differs from the fee owed"},
		{"payment.already_paid", "the fee is already paid"},
		{"payment.duplicate", "already recorded"},
		{"payment.line_columns", "too few columns"},
		{"payment.line_date", "unreadable date"},
		{"payment.line_amount", "unreadable amount (whole đồng)"},
		{"payment.line_text", "not UTF-8 text"},
		{"payment.line_reference", "unreadable reference"},
	};
	for (size_t i = 0; key && i < sizeof t / sizeof *t; i++)
		if (strcmp(t[i].key, key) == 0)
			return t[i].text;
	return key ? key : "";
}

/* "motcua agencies bank ...", dispatched by cmd_agencies (agencies.c). */
int cmd_agencies_bank(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},	   {"bin", required_argument, NULL, 'b'},
		{"account", required_argument, NULL, 'a'}, {"name", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},	   {0, 0, 0, 0},
	};
	const char *data = NULL;
	struct pay_account acct = {0};
	optind = 1;
	opterr = 0;
	int ch;
	const char *u = cmd_agencies_usage;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'b': acct.bin = optarg; break;
		case 'a': acct.account = optarg; break;
		case 'n': acct.name = optarg; break;
		case 'h': fputs(u, stdout); return 0;
		case ':': return usage(u, "agencies", "this flag needs a value:", argv[optind - 1]);
		default: return usage(u, "agencies", "unknown flag", argv[optind - 1]);
		}
	}
	if (optind >= argc || strcmp(argv[optind], "bank") != 0)
		return usage(u, "agencies", "say 'bank', not",
			     optind < argc ? argv[optind] : "nothing");
	if (optind + 2 != argc)
		return usage(u, "agencies", "name one agency code", NULL);
	acct.agency_code = argv[optind + 1];
	if (!data)
		return usage(u, "agencies", "--data DIR is required", NULL);
	bool show = !acct.bin && !acct.account && !acct.name;
	if (!show && (!acct.bin || !acct.account || !acct.name))
		return usage(u, "agencies", "give --bin, --account and --name together", NULL);
	if (!show && pay_account_problem(&acct)) {
		fprintf(stderr, "motcua agencies: %s\n", reason(pay_account_problem(&acct)));
		return 1;
	}
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0)
		return 1;
	int ret = 0;
	if (show) {
		arena *a = arena_new(0);
		db_conn *c = db_reader(d);
		mc_status rc = c ? pay_account_get(c, a, acct.agency_code, &acct) : MC_BUSY;
		if (rc == MC_OK)
			printf("%s\t%s (%s)\t%s\t%s\n", acct.agency_code, acct.bin,
			       pay_bank_name(acct.bin) ? pay_bank_name(acct.bin) : "?",
			       acct.account, acct.name);
		else
			fprintf(stderr, "motcua agencies: %s: %s\n", acct.agency_code,
				rc == MC_NOT_FOUND ? "no account set" : mc_status_name(rc));
		ret = rc == MC_OK ? 0 : 1;
		arena_free(a);
	} else {
		const char *why = NULL;
		mc_status rc = pay_account_set(d, "system", &acct, &why);
		if (rc == MC_OK)
			printf("%s: fees go to %s %s (%s)\n", acct.agency_code,
			       pay_bank_name(acct.bin), acct.account, acct.name);
		else
			fprintf(stderr, "motcua agencies: %s: %s\n", acct.agency_code,
				rc == MC_NOT_FOUND ? "no such agency"
				: why		   ? reason(why)
						   : mc_status_name(rc));
		ret = rc == MC_OK ? 0 : 1;
	}
	db_close(d);
	return ret;
}

static char *read_file(arena *a, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && (size_t)n <= STATEMENT_MAX && fseek(f, 0, SEEK_SET) == 0) {
			data = arena_alloc(a, (size_t)n + 1);
			*len = fread(data, 1, (size_t)n, f);
			data[*len] = '\0';
			if (*len != (size_t)n)
				data = NULL;
		}
	}
	fclose(f);
	return data;
}

int cmd_payments(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *data = NULL, *u = cmd_payments_usage;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'h': fputs(u, stdout); return 0;
		case ':': return usage(u, "payments", "this flag needs a value:", argv[optind - 1]);
		default: return usage(u, "payments", "unknown flag", argv[optind - 1]);
		}
	}
	if (optind >= argc || strcmp(argv[optind], "import") != 0)
		return usage(u, "payments", "say 'import', not",
			     optind < argc ? argv[optind] : "nothing");
	if (optind + 2 != argc)
		return usage(u, "payments", "name one statement file", NULL);
	if (!data)
		return usage(u, "payments", "--data DIR is required", NULL);
	const char *path = argv[optind + 1];
	arena *a = arena_new(0);
	size_t len = 0;
	char *text = read_file(a, path, &len);
	if (!text) {
		fprintf(stderr, "motcua payments: cannot read %s (missing, or over 64 MiB)\n",
			path);
		arena_free(a);
		return 1;
	}
	struct pay_line *lines;
	int n;
	char err[256];
	if (pay_statement_parse(a, text, len, &lines, &n, err, sizeof err) != MC_OK) {
		fprintf(stderr, "motcua payments: %s: %s\n", path, err);
		arena_free(a);
		return 1;
	}
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0) {
		arena_free(a);
		return 1;
	}
	struct progress pr;
	progress_start(&pr, "payments import", n);
	struct pay_summary sum;
	/* Dossiers that waited for these payments move on (WF_FINANCIAL_DONE)
	 * in the import's own write. */
	struct bo_env env = {d,
			     cfg.data_dir,
			     (struct office_hours){cfg.office_open, cfg.receipt_cutoff},
			     cfg.public_url,
			     NULL,
			     false};
	mc_status rc = pay_statement_import(&env, a, "system", lines, n, &sum);
	if (rc != MC_OK) {
		db_close(d);
		fprintf(stderr, "motcua payments: nothing recorded: %s\n", mc_status_name(rc));
		arena_free(a);
		return 1;
	}
	int moved = 0;
	for (int i = 0; i < n; i++)
		moved += lines[i].financial_done;
	db_close(d);
	progress_add(&pr, n);
	progress_done(&pr, "lines", NULL);
	static const char *const names[] = {"matched", "unmatched", "duplicate"};
	for (int i = 0; i < n; i++) {
		const struct pay_line *l = &lines[i];
		printf("line %d\t%s\t%s\t%s\t%s\n", l->line, names[l->outcome],
		       l->code ? l->code : "-",
		       l->amount > 0 ? format_money_vnd(a, l->amount) : "-",
		       l->outcome == PAY_MATCHED ? l->receipt_no : reason(l->why));
	}
	printf("%d matched (%s), %d unmatched, %d duplicate; %d dossiers resume processing\n",
	       sum.matched, format_money_vnd(a, sum.amount), sum.unmatched, sum.duplicate, moved);
	arena_free(a);
	return 0;
}
