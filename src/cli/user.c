/*
 * user.c - `motcua user add`, `motcua user update` and `motcua user list`:
 * officer accounts (cán bộ) from the command line, for the first system
 * admin and for scripts.
 * A new officer's password is generated, printed once and never stored in
 * clear; problems are printed per flag in English.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "domain/account.h"
#include "domain/officer_update.h"

const char cmd_user_usage[] =
	"usage: motcua user add --data DIR --login LOGIN --name \"FULL NAME\"\n"
	"                       --role desk|specialist|leader|agency-admin|sysadmin\n"
	"                       [--agency CODE] [--email EMAIL]\n"
	"       motcua user update --data DIR LOGIN [--roles ROLE[,ROLE...]] [--agency CODE]\n"
	"       motcua user list --data DIR [--agency CODE]\n"
	"  add     creates an officer and prints the generated password once; every\n"
	"          role but sysadmin needs --agency, the code of an existing agency\n"
	"  update  sets the officer's roles (replacing them) and/or agency; ends the\n"
	"          officer's sessions; moved to another agency (or no longer a\n"
	"          specialist), their open assigned dossiers go back to the unit\n"
	"  list    one line per officer: login, roles, agency, status, name\n";

static int usage(const char *problem, const char *arg)
{
	return cli_usage("user", cmd_user_usage, problem, arg);
}

/* The flag a problem's field came from. */
static const char *flag_of(const char *field)
{
	if (strcmp(field, "full_name") == 0)
		return "--name";
	if (strcmp(field, "login") == 0)
		return "--login";
	if (strcmp(field, "agency") == 0)
		return "--agency";
	if (strcmp(field, "email") == 0)
		return "--email";
	return "--role";
}

static int add(db *d, const struct officer_input *in)
{
	arena *a = arena_new(0);
	char password[ACCOUNT_PW_LEN + 1];
	struct account_problem *probs = NULL;
	char actor[96];
	struct officer_input by = *in;
	by.actor = cli_actor(actor, sizeof(actor));
	mc_status rc = account_officer_create(d, a, &by, password, &probs, NULL);
	int status = 0;
	if (rc == MC_INVALID) {
		for (const struct account_problem *p = probs; p; p = p->next)
			fprintf(stderr, "motcua user add: %s: %s\n", flag_of(p->field),
				account_problem_message(a, LANG_EN, p));
		status = 1;
	} else if (rc != MC_OK) {
		fprintf(stderr, "motcua user add: cannot create the account: %s\n",
			mc_status_name(rc));
		status = 1;
	} else {
		printf("created %s (%s%s%s)\npassword: %s\n", in->login,
		       account_role_name(in->roles), in->agency_code ? ", " : "",
		       in->agency_code ? in->agency_code : "", password);
		printf("the password is shown only this once; hand it over safely\n");
	}
	arena_free(a);
	return status;
}

/* "desk,leader" -> role bits; 0 when a name is not an officer role. */
static unsigned parse_roles(const char *list)
{
	unsigned bits = 0;
	char name[32];
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof(name))
			return 0;
		memcpy(name, p, n);
		name[n] = '\0';
		unsigned bit = account_role_parse(name);
		if (!bit)
			return 0;
		bits |= bit;
		p += n + (p[n] == ',');
	}
	return bits;
}

static void print_roles(unsigned roles)
{
	const char *sep = "";
	for (unsigned bit = 1; bit <= (1u << 6); bit <<= 1)
		if (roles & bit) {
			printf("%s%s", sep, account_role_name(bit));
			sep = ",";
		}
}

static int update(db *d, struct officer_change *in)
{
	arena *a = arena_new(0);
	char actor[96];
	in->actor = cli_actor(actor, sizeof(actor));
	struct officer_change_result out;
	struct account_problem *probs = NULL;
	mc_status rc = officer_update(d, a, in, &out, &probs);
	int status = 0;
	if (rc == MC_INVALID) {
		for (const struct account_problem *p = probs; p; p = p->next)
			fprintf(stderr, "motcua user update: %s: %s\n",
				strcmp(p->field, "agency") == 0 ? "--agency" : "--roles",
				account_problem_message(a, LANG_EN, p));
		status = 1;
	} else if (rc == MC_NOT_FOUND) {
		fprintf(stderr, "motcua user update: no officer with the login %s\n", in->login);
		status = 1;
	} else if (rc != MC_OK) {
		fprintf(stderr, "motcua user update: cannot change the account: %s\n",
			mc_status_name(rc));
		status = 1;
	} else {
		printf("%s %s (", out.changed ? "updated" : "unchanged", in->login);
		print_roles(out.roles);
		printf("%s%s)\n", out.agency_code ? ", " : "",
		       out.agency_code ? out.agency_code : "");
		if (out.changed)
			printf("%lld session(s) ended, %lld open dossier(s) returned to the unit\n",
			       (long long)out.sessions_ended, (long long)out.returned);
	}
	arena_free(a);
	return status;
}

static int list(db *d, const char *agency)
{
	arena *a = arena_new(0);
	struct account *offs;
	int n;
	mc_status rc = account_officers(d, a, agency, &offs, &n);
	if (rc != MC_OK) {
		fprintf(stderr, "motcua user list: %s\n", mc_status_name(rc));
		arena_free(a);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		printf("%s\t", offs[i].login);
		print_roles(offs[i].roles);
		printf("\t%s\t%s\t%s\n", offs[i].agency_code ? offs[i].agency_code : "-",
		       offs[i].closed_at ? "disabled" : "active", offs[i].full_name);
	}
	arena_free(a);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"login", required_argument, NULL, 'l'},
		{"name", required_argument, NULL, 'n'},
		{"role", required_argument, NULL, 'r'},
		{"agency", required_argument, NULL, 'a'},
		{"email", required_argument, NULL, 'e'},
		{"roles", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc >= 2) {
			fputs(cmd_user_usage, stdout);
			return 0;
		}
		return usage("add, update or list?", NULL);
	}
	const char *sub = argv[1];
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "update") != 0)
		return usage("unknown subcommand", sub);
	const char *data = NULL, *role = NULL, *roles = NULL;
	struct officer_input in = {0};
	int ac = argc - 1; /* flags follow the subcommand */
	char **av = argv + 1;
	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(ac, av, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'l': in.login = optarg; break;
		case 'n': in.full_name = optarg; break;
		case 'r': role = optarg; break;
		case 'a': in.agency_code = optarg; break;
		case 'e': in.email = optarg; break;
		case 'R': roles = optarg; break;
		case 'h': fputs(cmd_user_usage, stdout); return 0;
		case ':': return usage("this flag needs a value:", av[optind - 1]);
		default: return usage("unknown flag", av[optind - 1]);
		}
	}
	bool adding = strcmp(sub, "add") == 0, updating = strcmp(sub, "update") == 0;
	if (updating && optind < ac && !in.login)
		in.login = av[optind++];
	if (optind < ac)
		return usage("unexpected argument", av[optind]);
	if (!data || !*data)
		return usage("--data DIR is required", NULL);
	struct officer_change change = {0};
	if (roles && !updating)
		return usage("--roles is for update; add takes --role", NULL);
	if (updating) {
		if (!in.login)
			return usage("update needs the officer's LOGIN", NULL);
		if (in.full_name || role || in.email)
			return usage("update takes only LOGIN, --roles and --agency", NULL);
		if (!roles && !in.agency_code)
			return usage("update needs --roles or --agency", NULL);
		change = (struct officer_change){.login = in.login, .agency_code = in.agency_code};
		if (roles && !(change.roles = parse_roles(roles)))
			return usage("--roles must list desk, specialist, leader, agency-admin or "
				     "sysadmin separated by commas, not",
				     roles);
	} else if (adding) {
		if (!in.login)
			return usage("--login is required", NULL);
		if (!in.full_name)
			return usage("--name is required", NULL);
		if (!role)
			return usage("--role is required", NULL);
		in.roles = account_role_parse(role);
		if (!in.roles)
			return usage("--role must be desk, specialist, leader, agency-admin or "
				     "sysadmin, not",
				     role);
	} else if (in.login || in.full_name || role || in.email) {
		return usage("list takes only --data and --agency", NULL);
	}
	char err[256];
	if (i18n_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return 1;
	}
	struct config cfg;
	db *d;
	int status = 1;
	if (cli_load_config(data, &cfg) == 0 && cli_open_db(&cfg, true, &d) == 0) {
		status = adding	    ? add(d, &in)
			 : updating ? update(d, &change)
				    : list(d, in.agency_code);
		db_close(d);
	}
	i18n_release();
	return status;
}
