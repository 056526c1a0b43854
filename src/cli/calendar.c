/*
 * calendar.c - `motcua calendar holidays YEAR` and `motcua calendar due`,
 * and the official schedule's edits: `calendar set|unset|import`.
 *
 * Without --data the answers follow the Labour Code's default rules; with
 * --data the admin's official schedule stored in that deployment's database
 * overrides them, exactly as the portal computes due dates. Edits are
 * audited with the actor "cli:<user>" (the Unix user running the command).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lines.h"
#include "core/i18n.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/calendar.h"
#include "domain/schedule.h"

const char cmd_calendar_usage[] =
	"usage: motcua calendar holidays YEAR [--data DIR]\n"
	"       motcua calendar due --from 'YYYY-MM-DD HH:MM' --working-days N [--data DIR]\n"
	"       motcua calendar set YYYY-MM-DD --off|--working [--name TEXT] --data DIR\n"
	"       motcua calendar unset YYYY-MM-DD --data DIR\n"
	"       motcua calendar import FILE --data DIR\n"
	"  holidays  one line per day off of YEAR: YYYY-MM-DD<TAB>name (holidays on\n"
	"            weekends included, then compensatory and announced days)\n"
	"  due       the due date-time N working days after a receipt; a receipt after\n"
	"            the cut-off (receipt_cutoff, 15:00) or on a day off counts from the\n"
	"            next working day at office_open (07:30)\n"
	"  set       make a date a day off (--off, --name required) or a working day\n"
	"            (--working), replacing any earlier override of that date\n"
	"  unset     remove the override of a date: the default rules apply again\n"
	"  import    a year's schedule, one line per date: YYYY-MM-DD<TAB>off|working\n"
	"            <TAB>name; all lines or none; lines starting with # are skipped\n"
	"  --data DIR  use that deployment's official schedule and office hours\n";

static int usage(const char *problem, const char *arg)
{
	return cli_usage("calendar", cmd_calendar_usage, problem, arg);
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

/* The problem key of a schedule check, in English for the terminal. */
static const char *problem_text(const char *key)
{
	char err[256];
	if (i18n_init(err, sizeof(err)) < 0)
		return key;
	return i18n_get(LANG_EN, key);
}

static int open_db(const char *data, db **d)
{
	struct config cfg;
	if (!data) {
		usage("--data DIR is required to change the schedule", NULL);
		return -1;
	}
	return cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, true, d) < 0 ? -1 : 0;
}

static int edit(const char *sub, const char *date_arg, const char *data, int off, int working,
		const char *name)
{
	struct solar_date date;
	if (!date_arg || !date_parse(date_arg, &date))
		return usage("needs a real date YYYY-MM-DD, not", date_arg ? date_arg : "nothing");
	bool set = strcmp(sub, "set") == 0;
	if (set && off + working != 1)
		return usage("set needs exactly one of --off and --working", NULL);
	if (!set && (off || working || name))
		return usage("unset takes only the date and --data", NULL);
	arena *a = arena_new(0);
	const char *clean = "";
	if (name && text_clean(a, name, strlen(name), 0, SCHEDULE_NAME_MAX, &clean) != TEXT_OK) {
		arena_free(a);
		return usage("--name must be UTF-8 text without control characters, at most",
			     "95 characters");
	}
	const char *problem = set ? schedule_check(date, working, clean) : NULL;
	if (problem) {
		fprintf(stderr, "motcua calendar: %s: %s\n", date_arg, problem_text(problem));
		arena_free(a);
		return 1;
	}
	db *d;
	if (open_db(data, &d) < 0) {
		arena_free(a);
		return data ? 1 : 2;
	}
	char actor[96];
	cli_actor(actor, sizeof(actor));
	mc_status rc =
		set ? schedule_set(d, actor, date, working, clean, SCHEDULE_REPLACE, &problem)
		    : schedule_unset(d, actor, date);
	db_close(d);
	arena_free(a);
	if (rc == MC_NOT_FOUND) {
		fprintf(stderr, "motcua calendar: %s has no override to remove\n", date_arg);
		return 1;
	}
	if (rc != MC_OK) {
		fprintf(stderr, "motcua calendar: %s: %s\n", date_arg,
			problem ? problem_text(problem) : mc_status_name(rc));
		return 1;
	}
	printf("%s %s\n", date_arg,
	       set ? (working ? "working day" : "day off") : "override removed");
	return 0;
}

/* One TSV line into *out; the problem's text or NULL. */
static const char *import_line(arena *a, char *text, struct schedule_day *out)
{
	char *kind = strchr(text, '\t');
	char *name = kind ? strchr(kind + 1, '\t') : NULL;
	if (!kind)
		return "expected YYYY-MM-DD<TAB>off|working<TAB>name";
	*kind++ = '\0';
	if (name)
		*name++ = '\0';
	if (!date_parse(text, &out->date))
		return "not a real date YYYY-MM-DD";
	if (strcmp(kind, "off") == 0)
		out->working = false;
	else if (strcmp(kind, "working") == 0)
		out->working = true;
	else
		return "the second column must be 'off' or 'working'";
	const char *clean = "";
	if (name && text_clean(a, name, strlen(name), 0, SCHEDULE_NAME_MAX, &clean) != TEXT_OK)
		return "the name must be UTF-8 text without control characters, at most 95 "
		       "characters";
	out->name = clean;
	const char *key = schedule_check(out->date, out->working, clean);
	return key ? problem_text(key) : NULL;
}

static int import(const char *file, const char *data)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "motcua calendar: cannot open %s\n", file);
		return 1;
	}
	struct line_reader lr = {.f = f, .data = BUF_INIT(1u << 16), .lenient_end = true};
	crypto_hash_sha256_init(&lr.sha);
	arena *a = arena_new(0);
	int cap = 16, n = 0, problems = 0, more;
	struct schedule_day *days = arena_calloc(a, (size_t)cap, sizeof(*days));
	const char *line;
	size_t len;
	struct progress pr;
	progress_start(&pr, "calendar import: checking lines", 0);
	while ((more = lines_next(&lr, &line, &len)) == 1) {
		progress_add(&pr, 1);
		if (len == 0 || line[0] == '#')
			continue;
		if (n == cap) {
			struct schedule_day *grown =
				arena_calloc(a, (size_t)cap * 2, sizeof(*days));
			memcpy(grown, days, sizeof(*days) * (size_t)n);
			days = grown;
			cap *= 2;
		}
		char *copy = arena_strndup(a, line, len);
		const char *why = import_line(a, copy, &days[n]);
		for (int i = 0; !why && i < n; i++)
			if (days[i].date.year == days[n].date.year &&
			    days[i].date.month == days[n].date.month &&
			    days[i].date.day == days[n].date.day)
				why = "this date is already on an earlier line";
		if (why) {
			fprintf(stderr, "%s:%lld: %s\n", file, (long long)lr.lines, why);
			problems++;
		} else {
			n++;
		}
	}
	progress_done(&pr, "lines", NULL);
	if (more < 0) {
		fprintf(stderr, "%s:%lld: cannot read this line\n", file, (long long)lr.lines + 1);
		problems++;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char sha[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256_final(&lr.sha, h);
	sodium_bin2hex(sha, sizeof(sha), h, sizeof(h));
	buf_release(&lr.data);
	fclose(f);
	int rc = 1;
	db *d = NULL;
	if (problems)
		fprintf(stderr, "motcua calendar: %d problem%s; nothing was imported\n", problems,
			problems == 1 ? "" : "s");
	else if (n == 0)
		fprintf(stderr, "motcua calendar: %s holds no dates; nothing was imported\n", file);
	else if (open_db(data, &d) == 0) {
		char actor[96];
		int added = 0, replaced = 0;
		mc_status st = schedule_import(d, cli_actor(actor, sizeof(actor)), days, n, sha,
					       &added, &replaced);
		if (st == MC_OK) {
			printf("imported %s: %d dates (%d added, %d replaced), sha256 %s\n", file,
			       n, added, replaced, sha);
			rc = 0;
		} else {
			fprintf(stderr, "motcua calendar: nothing was imported: %s\n",
				mc_status_name(st));
		}
		db_close(d);
	}
	arena_free(a);
	return rc;
}

int cmd_calendar(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"from", required_argument, NULL, 'f'},
		{"working-days", required_argument, NULL, 'n'},
		{"off", no_argument, NULL, 'o'},
		{"working", no_argument, NULL, 'w'},
		{"name", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *data = NULL, *from = NULL, *days = NULL, *name = NULL;
	int off = 0, working = 0;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'f': from = optarg; break;
		case 'n': days = optarg; break;
		case 'o': off = 1; break;
		case 'w': working = 1; break;
		case 'm': name = optarg; break;
		case 'h': fputs(cmd_calendar_usage, stdout); return 0;
		case ':': return usage("this flag needs a value:", argv[optind - 1]);
		default: return usage("unknown flag", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage("say holidays, due, set, unset or import", NULL);
	const char *sub = argv[optind++];
	if (strcmp(sub, "set") == 0 || strcmp(sub, "unset") == 0 || strcmp(sub, "import") == 0) {
		if (from || days)
			return usage("--from and --working-days belong to 'due'", NULL);
		if (optind != argc - 1)
			return usage(strcmp(sub, "import") == 0 ? "import needs one FILE"
								: "needs one date YYYY-MM-DD",
				     NULL);
		if (strcmp(sub, "import") != 0)
			return edit(sub, argv[optind], data, off, working, name);
		if (off || working || name)
			return usage("import takes only FILE and --data", NULL);
		if (!data)
			return usage("--data DIR is required to change the schedule", NULL);
		return import(argv[optind], data);
	}
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
