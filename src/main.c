/*
 * main.c - the motcua command line: one table of commands, each with its own
 * flags and --help. Commands print what they did and exit 0, or print what
 * was wrong and exit non-zero (2 for a usage error, 1 for a failure).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "domain/catalogue_cache.h"
#include "domain/dossier_notice.h"
#include "domain/jobs.h"
#include "domain/notify.h"
#include "domain/session.h"
#include "cli/cli.h"
#include "core/assets.h"
#include "core/i18n.h"
#include "core/log.h"
#include "domain/demo.h"
#include "domain/demo_dossiers.h"
#include "domain/payverify.h"
#include "web/web.h"

#define MOTCUA_VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;
};

static int cmd_init(int argc, char **argv);
static int cmd_serve(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{"init", cmd_init, "create a data directory (database, files, configuration)",
	 "usage: motcua init --data DIR [--demo [--shape 2025-07-01|2020-01-01]\n"
	 "                  [--demo-dossiers N]]\n"
	 "  --data DIR     directory to create or bring up to date\n"
	 "  --demo         also load the Ninh Bình demo catalogue, agencies and demo\n"
	 "                 accounts (their passwords in DIR/demo-accounts.tsv)\n"
	 "  --shape DATE   which shape of the province: 2025-07-01 (two levels, the\n"
	 "                 default) or 2020-01-01 (with districts, as the portal went live)\n"
	 "  --demo-dossiers N  with --demo: N demo dossiers over the past year, in every\n"
	 "                 stage (default 480; 0: none; skipped when dossiers exist)\n"},
	{"serve", cmd_serve, "serve the portal over HTTP",
	 "usage: motcua serve --data DIR [--listen HOST:PORT]\n"
	 "  --data DIR          data directory made by 'motcua init'\n"
	 "  --listen HOST:PORT  address to serve on (default 127.0.0.1:8080)\n"
	 "Settings come from DIR/motcua.conf, then MOTCUA_* environment variables,\n"
	 "then flags. SIGTERM or SIGINT stops gracefully.\n"},
	{"backup", cmd_backup, "copy the database and uploaded files into one archive",
	 cmd_backup_usage},
	{"restore", cmd_restore, "load a backup archive into an empty data directory",
	 cmd_restore_usage},
	{"migrate", cmd_migrate, "copy this deployment's database to PostgreSQL",
	 cmd_migrate_usage},
	{"import", cmd_import, "load procedures or agencies from a file (all or nothing)",
	 cmd_import_usage},
	{"export", cmd_export, "write procedures, agencies or dossiers (sync) as JSON lines",
	 cmd_export_usage},
	{"calendar", cmd_calendar, "public holidays and due dates in working days",
	 cmd_calendar_usage},
	{"user", cmd_user, "add, update and list officer accounts", cmd_user_usage},
	{"audit", cmd_audit, "verify the audit chain", cmd_audit_usage},
	{"agencies", cmd_agencies,
	 "merge agencies into a successor; set the bank account an agency collects fees into",
	 cmd_agencies_usage},
	{"payments", cmd_payments, "record a bank statement's payments of fees",
	 cmd_payments_usage},
	{"stats", cmd_stats, "statistics targets, entered values and a rollup round",
	 cmd_stats_usage},
	{"version", cmd_version, "print the version", "usage: motcua version\n"},
	{"help", cmd_help, "list the commands", "usage: motcua help [COMMAND]\n"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int usage_error(const struct command *c, const char *what, const char *arg)
{
	fprintf(stderr, "motcua %s: %s%s%s\n%s", c->name, what, arg ? " " : "", arg ? arg : "",
		c->usage);
	return 2;
}

/* Flags shared by commands that work on a data directory. */
struct dir_opts {
	const char *data;
	const char *listen;
	int demo;
	const char *shape;
	int demo_dossiers; /* --demo-dossiers N; -1: the default spread */
};

static int parse_dir_opts(const struct command *c, int argc, char **argv, struct dir_opts *o,
			  bool allow_listen, bool allow_demo)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"listen", required_argument, NULL, 'l'},
		{"demo", no_argument, NULL, 'D'},
		{"shape", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{"demo-dossiers", required_argument, NULL, 'N'},
		{0, 0, 0, 0},
	};
	memset(o, 0, sizeof(*o));
	o->demo_dossiers = -1;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': o->data = optarg; break;
		case 'l':
			if (!allow_listen)
				return usage_error(c, "unknown flag", "--listen");
			o->listen = optarg;
			break;
		case 'D':
			if (!allow_demo)
				return usage_error(c, "unknown flag", "--demo");
			o->demo = 1;
			break;
		case 'S':
			if (!allow_demo)
				return usage_error(c, "unknown flag", "--shape");
			o->shape = optarg;
			break;
		case 'N': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!allow_demo)
				return usage_error(c, "unknown flag", "--demo-dossiers");
			if (*optarg == '\0' || *end || v < 0 || v > 100000)
				return usage_error(
					c, "--demo-dossiers takes a number 0-100000:", optarg);
			o->demo_dossiers = (int)v;
			break;
		}
		case 'h': fputs(c->usage, stdout); return -1;
		case ':': return usage_error(c, "this flag needs a value:", argv[optind - 1]);
		default: return usage_error(c, "unknown flag", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(c, "unexpected argument", argv[optind]);
	if (!o->data || !*o->data)
		return usage_error(c, "--data DIR is required", NULL);
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0750) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "motcua: cannot create %s: %s\n", path, strerror(errno));
	return -1;
}

static int cmd_init(int argc, char **argv)
{
	const struct command *c = find_command("init");
	struct dir_opts o;
	int rc = parse_dir_opts(c, argc, argv, &o, false, true);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (o.shape && !o.demo)
		return usage_error(c, "--shape goes with --demo", NULL);
	if (o.demo_dossiers >= 0 && !o.demo)
		return usage_error(c, "--demo-dossiers goes with --demo", NULL);
	char blobs[PATH_MAX + 8], conf[PATH_MAX + 16], err[512];
	snprintf(blobs, sizeof(blobs), "%s/blobs", o.data);
	snprintf(conf, sizeof(conf), "%s/motcua.conf", o.data);
	if (make_dir(o.data) < 0 || make_dir(blobs) < 0)
		return 1;
	if (config_write_default(conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return 1;
	}
	struct config cfg;
	db *d;
	if (cli_load_config(o.data, &cfg) < 0 || cli_open_db(&cfg, true, &d) < 0)
		return 1;
	if (o.demo) {
		struct demo_counts n;
		if (demo_load(d, o.shape ? o.shape : DEMO_SHAPE_2025, &n, err, sizeof(err)) !=
		    MC_OK) {
			fprintf(stderr, "motcua: loading the demo data failed: %s\n", err);
			db_close(d);
			return 1;
		}
		printf("demo: %d fields, %d procedures, %d agencies loaded, %d procedure-agency "
		       "assignments\n",
		       n.fields, n.procedures, n.agencies, n.assigned);
		int accounts;
		if (demo_accounts(d, o.data, &accounts, err, sizeof(err)) != MC_OK) {
			fprintf(stderr, "motcua: creating the demo accounts failed: %s\n", err);
			db_close(d);
			return 1;
		}
		printf("demo: %d accounts, passwords in %s/demo-accounts.tsv\n", accounts, o.data);
		struct demo_dossier_counts dc;
		int nd = o.demo_dossiers >= 0 ? o.demo_dossiers : DEMO_DOSSIERS_DEFAULT;
		if (demo_dossiers(d, o.data, nd, &dc, err, sizeof(err)) != MC_OK) {
			fprintf(stderr, "motcua: creating the demo dossiers failed: %s\n", err);
			db_close(d);
			return 1;
		}
		if (dc.total)
			printf("demo: %d hồ sơ mẫu: %d online, %d at the desk, %d by post; %d "
			       "returned "
			       "(%d late), %d refused, %d stopped, %d supplemented, %d with fees, "
			       "%d "
			       "open\n",
			       dc.total, dc.online, dc.desk, dc.post, dc.returned, dc.late,
			       dc.refused, dc.stopped, dc.supplemented, dc.financial, dc.open);
	}
	db_close(d);
	printf("data directory %s is ready\n", o.data);
	return 0;
}

mu_set *app_load_templates(char *err, size_t errlen)
{
	mu_set *s = mu_set_new();
	const char *prefix = "templates/", *ext = ".mustache";
	for (const struct asset *a = motcua_assets; a->name; a++) {
		size_t n = strlen(a->name);
		if (strncmp(a->name, prefix, strlen(prefix)) != 0 ||
		    n < strlen(prefix) + strlen(ext) || strcmp(a->name + n - strlen(ext), ext) != 0)
			continue;
		char name[256], msg[256];
		snprintf(name, sizeof(name), "%.*s", (int)(n - strlen(prefix) - strlen(ext)),
			 a->name + strlen(prefix));
		if (mu_set_add(s, name, a->data, a->len, msg, sizeof(msg)) < 0) {
			snprintf(err, errlen, "%s: %s", a->name, msg);
			mu_set_free(s);
			return NULL;
		}
	}
	return s;
}

static int wait_for_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	int sig = 0;
	sigwait(&set, &sig);
	return sig;
}

static int cmd_serve(int argc, char **argv)
{
	const struct command *c = find_command("serve");
	struct dir_opts o;
	int rc = parse_dir_opts(c, argc, argv, &o, true, false);
	if (rc)
		return rc < 0 ? 0 : rc;
	static struct app app;
	char err[512];
	if (cli_load_config(o.data, &app.cfg) < 0)
		return 1;
	if (o.listen && config_set(&app.cfg, "listen", o.listen, err, sizeof(err)) < 0)
		return usage_error(c, err, NULL);
	struct stat st;
	if (stat(o.data, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"motcua serve: %s is not a data directory; create it with "
			"'motcua init --data %s'\n",
			o.data, o.data);
		return 1;
	}
	if (i18n_init(err, sizeof(err)) < 0 ||
	    !(app.templates = app_load_templates(err, sizeof(err)))) {
		fprintf(stderr, "motcua: %s\n", err);
		return 1;
	}
	static_init();
	http_set_error_renderer(page_error);
	http_set_auth_resolver(session_resolve);
	http_set_session_cookie(SESSION_COOKIE);

	/* Block the stop signals in every thread; main waits for them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (cli_open_db(&app.cfg, true, &app.db) < 0)
		return 1;
	if (payverify_init(app.db, err, sizeof(err)) < 0) {
		fprintf(stderr, "motcua: %s\n", err);
		db_close(app.db);
		return 1;
	}
	catalogue_cache_attach(app.db);
	notify_set_channel(app.cfg.sms_channel);
	dossier_notice_set_origin(app.cfg.public_url);
	app.started = time(NULL);
	app.srv =
		http_server_start(&app.cfg, motcua_routes, motcua_nroutes, &app, err, sizeof(err));
	if (!app.srv) {
		fprintf(stderr, "motcua: %s\n", err);
		db_close(app.db);
		return 1;
	}
	log_info("motcua %s serving http://%s:%u/ (data %s, database %s)", MOTCUA_VERSION,
		 app.cfg.listen_host, http_server_port(app.srv), o.data, db_backend_name(app.db));
	if (jobs_start(&app) != MC_OK)
		log_error("background jobs did not start: mail stays queued");
	int sig = wait_for_signal();
	log_info("%s received: finishing %u requests in flight, then stopping",
		 sig == SIGINT ? "SIGINT" : "SIGTERM", http_server_in_flight(app.srv));
	http_server_stop(app.srv, app.cfg.shutdown_grace);
	jobs_stop();
	db_close(app.db);
	mu_set_free(app.templates);
	i18n_release();
	log_info("stopped");
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	printf("motcua %s\n", MOTCUA_VERSION);
	return 0;
}

static void overview(FILE *f)
{
	fprintf(f, "motcua - public-service portal and electronic one-stop back office\n\n"
		   "usage: motcua COMMAND [FLAGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'motcua COMMAND --help' describes a command's flags.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		const struct command *c = find_command(argv[1]);
		if (!c) {
			fprintf(stderr, "motcua: no command '%s'\n", argv[1]);
			return 2;
		}
		fputs(c->usage, stdout);
		return 0;
	}
	overview(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		overview(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv);
	const struct command *c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "motcua: no command '%s'; 'motcua help' lists them\n", argv[1]);
		return 2;
	}
	return c->run(argc - 1, argv + 1);
}
