/*
 * stats.c - `motcua stats`: the values the province sets for the public
 * statistics (docs/statistics.md), each one audited, and a rollup round on
 * demand.
 *   motcua stats target --agency CODE --year YYYY --metric M --value V
 *   motcua stats input --agency CODE --month YYYY-MM --metric transparency --value V
 *   motcua stats rollup
 */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "domain/jobs.h"
#include "domain/stats.h"

const char cmd_stats_usage[] =
	"usage: motcua stats target|input|rollup --data DIR [options]\n"
	"  target   set a unit's target (chỉ tiêu) for a year:\n"
	"           --agency CODE --year YYYY --metric M --value V (0-100), M one of\n"
	"           on_time_rate, online_rate, digitisation_rate, online_payment_rate,\n"
	"           satisfaction_rate (percent) or index (766 points of 100)\n"
	"  input    set a criterion the portal cannot observe, per unit and month:\n"
	"           --agency CODE --month YYYY-MM --metric transparency --value V (0-100)\n"
	"  rollup   run one statistics round now (the server's job does it every\n"
	"           jobs_interval seconds; the first one builds everything, one unit\n"
	"           at a time, with its progress on a terminal). It takes the job's\n"
	"           lease, so it refuses while a running server holds it; it holds\n"
	"           the lease 30 s at a time and renews it every 10 s while it\n"
	"           works, so a server takes the job over within about 30 s plus\n"
	"           jobs_interval of the command being killed\n"
	"  --as NAME  who sets it, for the audit log (default: cli)\n";

static int usage(const char *problem, const char *arg)
{
	fprintf(stderr, "motcua stats: %s%s%s\n%s", problem, arg ? " " : "", arg ? arg : "",
		cmd_stats_usage);
	return 2;
}

/* A first build on a terminal: "statistics: unit 12 of 145". */
static void rollup_progress(void *ctx, int done, int total)
{
	(void)ctx;
	fprintf(stderr, "\rstatistics: first build, unit %d of %d", done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* Seconds of the lease the command holds at a time, and how often a
 * thread renews it while the command works: a killed command (kill -9)
 * stops renewing, and a server's job takes over once CLI_LEASE has run
 * out, at its next round. A round lasts at most CLI_ROUND seconds; after
 * each the command checks that it still holds the lease. */
#define CLI_LEASE 30
#define CLI_RENEW 10
#define CLI_ROUND 100

struct renewer {
	db *d;
	const char *holder;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	atomic_bool lost; /* another holder has the lease (ours ran out) */
};

/* Renews the lease every CLI_RENEW seconds until done. A failed write is
 * tried again at the next turn (the lease still has CLI_LEASE - CLI_RENEW
 * seconds left). */
static void *renew_main(void *p)
{
	struct renewer *r = p;
	pthread_mutex_lock(&r->mu);
	while (!r->done) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += CLI_RENEW;
		pthread_cond_timedwait(&r->cv, &r->mu, &until);
		if (r->done)
			break;
		pthread_mutex_unlock(&r->mu);
		int64_t now = time(NULL);
		bool got = false;
		if (jobs_lease(r->d, "stats", r->holder, now, now + CLI_LEASE, &got) == MC_OK &&
		    !got)
			atomic_store(&r->lost, true);
		pthread_mutex_lock(&r->mu);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Rounds of the rollup until one finishes before its deadline (a first
 * build may need several), while the lease is ours. */
static mc_status rollup_rounds(db *d, const struct renewer *r, int *total)
{
	struct stats_progress pr = {rollup_progress, NULL};
	for (;;) {
		arena *a = arena_new(0);
		if (!a)
			return MC_INTERNAL;
		int keys = 0;
		time_t deadline = time(NULL) + CLI_ROUND;
		mc_status st =
			stats_rollup_progress(d, a, NULL, deadline, &keys, isatty(2) ? &pr : NULL);
		arena_free(a);
		*total += keys;
		if (atomic_load(&r->lost))
			return MC_BUSY;
		/* A round that returned before its deadline has finished. */
		if (st != MC_OK || time(NULL) < deadline)
			return st;
	}
}

/*
 * One rollup on demand, under the "stats" job's lease like a server node
 * (jobs.h): two writers of the same statistics rows would collide. The
 * lease is short and renewed by a thread while the rollup works. MC_BUSY
 * when another node holds the lease (or took it over).
 */
static mc_status rollup(db *d)
{
	char holder[64];
	snprintf(holder, sizeof(holder), "cli:%ld", (long)getpid());
	int64_t now = time(NULL);
	bool got = false;
	mc_status st = jobs_lease(d, "stats", holder, now, now + CLI_LEASE, &got);
	if (st != MC_OK)
		return st;
	if (!got)
		return MC_BUSY;
	struct renewer r = {.d = d,
			    .holder = holder,
			    .mu = PTHREAD_MUTEX_INITIALIZER,
			    .cv = PTHREAD_COND_INITIALIZER};
	atomic_init(&r.lost, false);
	pthread_t t;
	bool renewing = pthread_create(&t, NULL, renew_main, &r) == 0;
	int total = 0;
	st = renewing ? rollup_rounds(d, &r, &total) : MC_INTERNAL; /* no thread: no work */
	if (renewing) {
		pthread_mutex_lock(&r.mu);
		r.done = true;
		pthread_cond_signal(&r.cv);
		pthread_mutex_unlock(&r.mu);
		pthread_join(t, NULL);
	}
	if (st != MC_BUSY)
		jobs_lease_release(d, "stats", holder);
	if (st == MC_OK)
		printf("%d keys rebuilt (unit-days; units in a first build)\n", total);
	return st;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"agency", required_argument, NULL, 'a'},
		{"year", required_argument, NULL, 'y'},
		{"month", required_argument, NULL, 'm'},
		{"metric", required_argument, NULL, 'k'},
		{"value", required_argument, NULL, 'v'},
		{"as", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	const char *data = NULL, *agency = NULL, *year = NULL, *month = NULL, *metric = NULL,
		   *value = NULL, *actor = "cli";
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'a': agency = optarg; break;
		case 'y': year = optarg; break;
		case 'm': month = optarg; break;
		case 'k': metric = optarg; break;
		case 'v': value = optarg; break;
		case 's': actor = optarg; break;
		case 'h': fputs(cmd_stats_usage, stdout); return 0;
		case ':': return usage("this flag needs a value:", argv[optind - 1]);
		default: return usage("unknown flag", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage("say target, input or rollup", NULL);
	const char *what = argv[optind];
	bool target = strcmp(what, "target") == 0, input = strcmp(what, "input") == 0;
	if (!target && !input && strcmp(what, "rollup") != 0)
		return usage("unknown subcommand", what);
	if (!data)
		return usage("--data DIR is required", NULL);
	char *end = NULL;
	double v = value ? strtod(value, &end) : -1;
	if ((target || input) && (!agency || !metric || !value || *end))
		return usage("--agency, --metric and a numeric --value are required", NULL);
	if (target && !year)
		return usage("--year is required", NULL);
	if (input && !month)
		return usage("--month is required", NULL);
	struct config cfg;
	db *d;
	if (cli_load_config(data, &cfg) < 0 || cli_open_db(&cfg, false, &d) < 0)
		return 1;
	const char *why = NULL;
	mc_status st;
	if (target) {
		long y = strtol(year, &end, 10);
		st = *end ? MC_INVALID
			  : stats_set_target(d, actor, agency, (int)y, metric, v, &why);
		if (*end)
			why = "stats.error.year";
	} else if (input) {
		st = stats_set_input(d, actor, agency, month, metric, v, &why);
	} else {
		st = rollup(d);
		if (st == MC_BUSY)
			why = "stats.error.lease";
	}
	db_close(d);
	char err[256];
	if (st != MC_OK && why && i18n_init(err, sizeof(err)) < 0)
		why = NULL;
	if (st != MC_OK) {
		fprintf(stderr, "motcua stats: %s\n",
			why ? i18n_get(LANG_EN, why) : mc_status_name(st));
		return 1;
	}
	return 0;
}
