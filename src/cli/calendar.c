/*
 * calendar.c - `motcua calendar holidays YEAR` and `motcua calendar due`.
 *
 * Without --data the answers follow the Labour Code's default rules; with
 * --data the admin's official schedule stored in that deployment's database
 * overrides them, exactly as the portal computes due dates.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "domain/calendar.h"
#include "domain/schedule.h"

const char cmd_calendar_usage[] =
	"usage: motcua calendar holidays YEAR [--data DIR]\n"
	"       motcua calendar due --from 'YYYY-MM-DD HH:MM' --working-days N [--data DIR]\n"
	"  holidays  one line per day off of YEAR: YYYY-MM-DD<TAB>name (holidays on\n"
	"            weekends included, then compensatory and announced days)\n"
	"  due       the due date-time N working days after a receipt; a receipt after\n"
	"            the cut-off (receipt_cutoff, 15:00) or on a day off counts from the\n"
	"            next working day at office_open (07:30)\n"
	"  --data DIR  use that deployment's official schedule and office hours\n";

static int usage(const char *problem, const char *arg)
{
	fprintf(stderr, "motcua calendar: %s%s%s\n%s", problem, arg ? " " : "", arg ? arg : "",
		cmd_calendar_usage);
	return 2;
}

/* The calendar and office hours: defaults, or those of --data DIR. */
static int load(const char *data, work_calendar **cal, struct office_hours *h)
{
	*h = OFFICE_HOURS_DEFAULT;
	if (!data) {
		*cal = calendar_new();
		return 0;
	}
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0)
		return -1;
	h->open_minute = cfg.office_open;
	h->cutoff_minute = cfg.receipt_cutoff;
	mc_status rc = schedule_load(d, cal);
	db_close(d);
	if (rc != MC_OK) {
		fprintf(stderr, "motcua calendar: cannot read the schedule: %s\n",
			mc_status_name(rc));
		return -1;
	}
	return 0;
}

int cmd_calendar(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"from", required_argument, NULL, 'f'},
		{"working-days", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *data = NULL, *from = NULL, *days = NULL;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'f': from = optarg; break;
		case 'n': days = optarg; break;
		case 'h': fputs(cmd_calendar_usage, stdout); return 0;
		case ':': return usage("this flag needs a value:", argv[optind - 1]);
		default: return usage("unknown flag", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage("say 'holidays' or 'due'", NULL);
	const char *sub = argv[optind++];
	work_calendar *cal;
	struct office_hours hours;
	if (strcmp(sub, "holidays") == 0) {
		int64_t year;
		if (optind != argc - 1 || parse_int64(argv[optind], 1800, 2199, &year) < 0)
			return usage("holidays needs a YEAR from 1800 to 2199, not",
				     optind < argc ? argv[optind] : "nothing");
		if (from || days)
			return usage("--from and --working-days belong to 'due'", NULL);
		if (load(data, &cal, &hours) < 0)
			return 1;
		struct holiday h[CALENDAR_MAX_PER_YEAR * 4];
		int n = calendar_year(cal, (int)year, h, (int)(sizeof(h) / sizeof(h[0])));
		for (int i = 0; i < n; i++) {
			if (h[i].kind == WORKDAY_ANNOUNCED)
				continue; /* a day worked is not a day off */
			char date[11];
			date_format(h[i].date, date);
			printf("%s\t%s\n", date, h[i].name);
		}
		calendar_free(cal);
		return 0;
	}
	if (strcmp(sub, "due") == 0) {
		struct datetime t;
		int64_t n;
		if (optind != argc)
			return usage("unexpected argument", argv[optind]);
		if (!from || !datetime_parse(from, &t))
			return usage("--from needs a date and time 'YYYY-MM-DD HH:MM', not",
				     from ? from : "nothing");
		if (!days || parse_int64(days, 0, 3650, &n) < 0)
			return usage("--working-days needs a whole number from 0 to 3650, not",
				     days ? days : "nothing");
		if (load(data, &cal, &hours) < 0)
			return 1;
		char out[17];
		datetime_format(calendar_due(cal, hours, t, (int)n), out);
		printf("%s\n", out);
		calendar_free(cal);
		return 0;
	}
	return usage("unknown subcommand", sub);
}
