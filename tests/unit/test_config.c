/*
 * test_config.c - settings (core/config.h): the defaults, config_set for
 * every kind of key with good and bad values (messages name the key, a bad
 * value changes nothing), config_load reading a motcua.conf in a temporary
 * data directory (comments, quotes, CRLF, errors as "file:line"), the
 * environment winning over the file, and config_write_default producing a
 * file that config_load accepts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"

extern char **environ;

struct fixture {
	char dir[64];
	char conf[128];
	struct config c;
	char err[1024];
};

/* Removes every MOTCUA_* variable, so the caller's environment cannot leak
 * into a test. */
static void clear_env(void)
{
	for (;;) {
		char name[256] = "";
		for (char **e = environ; *e; e++) {
			if (strncmp(*e, "MOTCUA_", 7) == 0) {
				const char *eq = strchr(*e, '=');
				size_t n = eq ? (size_t)(eq - *e) : strlen(*e);
				if (n < sizeof(name)) {
					memcpy(name, *e, n);
					name[n] = '\0';
				}
				break;
			}
		}
		if (!*name)
			return;
		unsetenv(name);
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-config-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->conf, sizeof(f->conf), "%s/motcua.conf", f->dir);
	clear_env();
	config_defaults(&f->c, f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->conf);
	rmdir(f->dir);
	clear_env();
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		print_error("\"%s\" does not contain \"%s\"\n", hay, needle);
	assert_non_null(strstr(hay, needle));
}

static void test_defaults(void **state)
{
	(void)state;
	struct config c;
	memset(&c, 0x7f, sizeof(c));
	config_defaults(&c, "/srv/motcua");
	assert_string_equal(c.data_dir, "/srv/motcua");
	assert_string_equal(c.listen_host, "127.0.0.1");
	assert_int_equal(c.listen_port, 8080);
	assert_int_equal(c.io_threads, 0);
	assert_int_equal(c.workers, 0);
	assert_int_equal(c.worker_spin_us, 200);
	assert_true(c.max_connections >= 1);
	assert_true(c.max_connections_per_ip >= 1);
	assert_true(c.max_connections_per_ip <= c.max_connections);
	assert_true(c.connection_timeout >= 1);
	assert_true(c.request_timeout >= 1);
	assert_int_equal(c.max_body, 1u << 20);
	assert_true(c.header_limit >= 8192);
	assert_string_equal(c.access_log, "-");
	assert_string_equal(c.log_level, "info");
	assert_string_equal(c.database, "");
	assert_true(strlen(c.site_name) > 0);

	config_defaults(&c, NULL);
	assert_string_equal(c.data_dir, ".");
}

static void set_ok(struct config *c, const char *key, const char *value)
{
	char err[256] = "";
	int rc = config_set(c, key, value, err, sizeof(err));
	if (rc != 0)
		print_error("config_set(%s, %s): %s\n", key, value, err);
	assert_int_equal(rc, 0);
}

/* A refused value: the message names the key, and the config is as it was. */
static void set_bad(struct config *c, const char *key, const char *value)
{
	char err[256] = "";
	struct config before;
	memcpy(&before, c, sizeof(before));
	int rc = config_set(c, key, value, err, sizeof(err));
	if (rc != -1)
		print_error("config_set(%s, %s) accepted\n", key, value);
	assert_int_equal(rc, -1);
	assert_contains(err, key);
	assert_memory_equal(&before, c, sizeof(before));
}

static void test_set_good(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	set_ok(c, "listen", "0.0.0.0:9000");
	assert_string_equal(c->listen_host, "0.0.0.0");
	assert_int_equal(c->listen_port, 9000);
	set_ok(c, "listen", "[::1]:8081");
	assert_string_equal(c->listen_host, "::1");
	assert_int_equal(c->listen_port, 8081);
	set_ok(c, "io_threads", "64");
	assert_int_equal(c->io_threads, 64);
	set_ok(c, "workers", "0");
	assert_int_equal(c->workers, 0);
	set_ok(c, "max_connections", "100000");
	assert_int_equal(c->max_connections, 100000);
	set_ok(c, "max_connections_per_ip", "1");
	assert_int_equal(c->max_connections_per_ip, 1);
	set_ok(c, "connection_timeout", "3600");
	assert_int_equal(c->connection_timeout, 3600);
	set_ok(c, "request_timeout", "5");
	assert_int_equal(c->request_timeout, 5);
	set_ok(c, "shutdown_grace", "0");
	assert_int_equal(c->shutdown_grace, 0);
	set_ok(c, "max_body", "20M");
	assert_int_equal(c->max_body, 20u << 20);
	set_ok(c, "max_body", "1024");
	assert_int_equal(c->max_body, 1024);
	set_ok(c, "header_limit", "8K");
	assert_int_equal(c->header_limit, 8192);
	set_ok(c, "header_limit", "1M");
	assert_int_equal(c->header_limit, 1u << 20);
	set_ok(c, "access_log", "/var/log/motcua/access.log");
	assert_string_equal(c->access_log, "/var/log/motcua/access.log");
	set_ok(c, "access_log", "off");
	assert_string_equal(c->access_log, "off");
	set_ok(c, "log_level", "debug");
	assert_string_equal(c->log_level, "debug");
	set_ok(c, "log_level", "error");
	assert_string_equal(c->log_level, "error");
	set_ok(c, "database", "postgres://motcua@db/motcua");
	assert_string_equal(c->database, "postgres://motcua@db/motcua");
	set_ok(c, "database", "");
	assert_string_equal(c->database, "");
	set_ok(c, "site_name", "Tỉnh Hà Nam");
	assert_string_equal(c->site_name, "Tỉnh Hà Nam");
	/* The longest string that fits. */
	char name[256];
	memset(name, 'a', 255);
	name[255] = '\0';
	set_ok(c, "site_name", name);
	assert_string_equal(c->site_name, name);
}

static void test_set_bad(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	set_bad(c, "listen", "nohost");
	set_bad(c, "listen", "127.0.0.1:65536");
	set_bad(c, "listen", "");
	set_bad(c, "io_threads", "65");
	set_bad(c, "io_threads", "-1");
	set_bad(c, "io_threads", "four");
	set_bad(c, "io_threads", "");
	set_bad(c, "io_threads", " 4");
	set_bad(c, "worker_spin_us", "10001");
	set_bad(c, "workers", "257");
	set_bad(c, "max_connections", "0");
	set_bad(c, "max_connections_per_ip", "100001");
	set_bad(c, "connection_timeout", "0");
	set_bad(c, "request_timeout", "3601");
	set_bad(c, "shutdown_grace", "601");
	set_bad(c, "max_body", "1000");
	set_bad(c, "max_body", "1T");
	set_bad(c, "max_body", "lots");
	set_bad(c, "max_body", "-1M");
	set_bad(c, "header_limit", "8191");
	set_bad(c, "header_limit", "2M");
	set_bad(c, "log_level", "verbose");
	set_bad(c, "log_level", "");
	char name[257];
	memset(name, 'a', 256);
	name[256] = '\0';
	set_bad(c, "site_name", name);
	static char longpath[PATH_MAX + 1];
	memset(longpath, '/', PATH_MAX);
	longpath[PATH_MAX] = '\0';
	set_bad(c, "access_log", longpath);
	/* Unknown keys, including near misses and struct field names that are
	 * not settings. */
	set_bad(c, "listen_port", "80");
	set_bad(c, "data_dir", "/etc");
	set_bad(c, "LISTEN", "127.0.0.1:80");
	set_bad(c, "", "x");
}

/* Mail settings: a URL libcurl can send to (or empty), a bare address. */
static void test_mail_settings(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	assert_string_equal(c->smtp_url, "");
	assert_int_equal(c->jobs_interval, 10);
	assert_int_equal(c->mail_retry, 60);
	set_ok(c, "smtp_url", "smtp://127.0.0.1:25");
	assert_string_equal(c->smtp_url, "smtp://127.0.0.1:25");
	set_ok(c, "smtp_url", "smtps://user:p%40ss@mail.ninhbinh.gov.vn:465");
	set_ok(c, "smtp_url", "");
	assert_string_equal(c->smtp_url, "");
	set_ok(c, "smtp_from", "no-reply@dichvucong.ninhbinh.gov.vn");
	assert_string_equal(c->smtp_from, "no-reply@dichvucong.ninhbinh.gov.vn");
	set_ok(c, "jobs_interval", "1");
	set_ok(c, "mail_retry", "86400");
	static const char *const bad_urls[] = {
		"http://mail:25", "127.0.0.1:25",	"smtp://",  "smtp://:25", "smtp:///x",
		"smtp://a b:25",  "smtp://host\r\n:25", "SMTP-host"};
	for (size_t i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++)
		set_bad(c, "smtp_url", bad_urls[i]);
	/* The refusal does not repeat a URL that may hold a password. */
	char err[256] = "";
	assert_int_equal(config_set(c, "smtp_url", "ftp://u:secret@h", err, sizeof(err)), -1);
	assert_null(strstr(err, "secret"));
	static const char *const bad_from[] = {
		"",	    "no-reply", "@ninhbinh.gov.vn",	 "a@b",		 "a@b@c.vn",
		"a b@c.vn", "<a@c.vn>", "a@c.vn\r\nBcc: x@y.vn", "a@c.vn,b@c.vn"};
	for (size_t i = 0; i < sizeof(bad_from) / sizeof(bad_from[0]); i++)
		set_bad(c, "smtp_from", bad_from[i]);
	set_bad(c, "jobs_interval", "0");
	set_bad(c, "jobs_interval", "3601");
	set_bad(c, "mail_retry", "0");
}

/* SMS/Zalo webhook settings: an http(s) URL (or empty), a secret of 16
 * bytes or more that a URL needs, a channel of sms or zalo. */
static void test_sms_settings(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	assert_string_equal(c->sms_webhook_url, "");
	assert_string_equal(c->sms_webhook_secret, "");
	assert_string_equal(c->sms_channel, "sms");
	set_ok(c, "sms_webhook_url", "https://sms.ninhbinh.gov.vn/hook?token=abc");
	assert_string_equal(c->sms_webhook_url, "https://sms.ninhbinh.gov.vn/hook?token=abc");
	set_ok(c, "sms_webhook_url", "http://127.0.0.1:9000");
	set_ok(c, "sms_webhook_url", "");
	static const char *const bad_urls[] = {"ftp://h/x",	"127.0.0.1:9000", "http://",
					       "http:///x",	"https://:80",	  "http://a b/",
					       "http://h/\r\n", "http://h/đ"};
	for (size_t i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++)
		set_bad(c, "sms_webhook_url", bad_urls[i]);
	char err[256] = "";
	assert_int_equal(config_set(c, "sms_webhook_url", "ftp://u:secret@h", err, sizeof(err)),
			 -1);
	assert_null(strstr(err, "secret"));
	set_ok(c, "sms_webhook_secret", "0123456789abcdef");
	set_ok(c, "sms_webhook_secret", "");
	set_bad(c, "sms_webhook_secret", "short");
	set_ok(c, "sms_channel", "zalo");
	assert_string_equal(c->sms_channel, "zalo");
	set_bad(c, "sms_channel", "email");
	set_bad(c, "sms_channel", "");
	set_bad(c, "sms_channel", "SMS");
	assert_string_equal(c->sms_channel, "zalo");

	/* A URL without a secret would post unsigned messages: refused. */
	write_file(f->conf, "sms_webhook_url = http://127.0.0.1:9000/sms\n");
	config_defaults(c, f->dir);
	assert_int_equal(config_load(c, f->err, sizeof(f->err)), -1);
	assert_contains(f->err, "sms_webhook_secret");
	write_file(f->conf, "sms_webhook_url = http://127.0.0.1:9000/sms\n"
			    "sms_webhook_secret = \"a secret # of 24 bytes!\"\n"
			    "sms_channel = zalo\n");
	config_defaults(c, f->dir);
	assert_int_equal(config_load(c, f->err, sizeof(f->err)), 0);
	assert_string_equal(c->sms_webhook_secret, "a secret # of 24 bytes!");
	assert_string_equal(c->sms_channel, "zalo");
}

static void test_load_without_file(void **state)
{
	struct fixture *f = *state;
	struct config want;
	config_defaults(&want, f->dir);
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), 0);
	assert_memory_equal(&want, &f->c, sizeof(want));
}

static void test_load_file(void **state)
{
	struct fixture *f = *state;
	write_file(f->conf, "# motcua settings\n"
			    "\n"
			    "   # an indented comment\n"
			    "listen = 0.0.0.0:9090\n"
			    "workers=12\n"
			    "\tmax_body   =   8M   \n"
			    "site_name = \"Tỉnh Ninh Bình #1\"\n"
			    "access_log = \"\"\n"
			    "log_level = warn\r\n"
			    "header_limit = 128K");
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), 0);
	assert_string_equal(f->c.listen_host, "0.0.0.0");
	assert_int_equal(f->c.listen_port, 9090);
	assert_int_equal(f->c.workers, 12);
	assert_int_equal(f->c.max_body, 8u << 20);
	assert_string_equal(f->c.site_name, "Tỉnh Ninh Bình #1");
	assert_string_equal(f->c.access_log, "");
	assert_string_equal(f->c.log_level, "warn");
	assert_int_equal(f->c.header_limit, 128u << 10); /* last line without newline */
	/* Keys not in the file keep their defaults. */
	assert_int_equal(f->c.max_connections, 1024);
	assert_string_equal(f->c.data_dir, f->dir);
}

static void load_fails(struct fixture *f, const char *text, const char *where, const char *what)
{
	write_file(f->conf, text);
	f->err[0] = '\0';
	config_defaults(&f->c, f->dir);
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), -1);
	char loc[256];
	snprintf(loc, sizeof(loc), "%s:%s", f->conf, where);
	assert_contains(f->err, loc);
	assert_contains(f->err, what);
}

static void test_load_errors(void **state)
{
	struct fixture *f = *state;
	load_fails(f, "# ok\nlisten = 127.0.0.1:1\n\nlisten_prot = 80\n", "4:", "listen_prot");
	load_fails(f, "workers = 3\nworkers = many\n", "2:", "workers");
	load_fails(f, "max_body = 1T\n", "1:", "max_body");
	load_fails(f, "\n\n\njust some words\n", "4:", "key = value");
	load_fails(f, "listen = \"127.0.0.1\"\n", "1:", "listen");
	/* A line longer than the reader's line buffer is an error, never a
	 * silently split setting. */
	static char huge[9000];
	memcpy(huge, "site_name = ", 12);
	memset(huge + 12, 'x', sizeof(huge) - 14);
	huge[sizeof(huge) - 2] = '\n';
	huge[sizeof(huge) - 1] = '\0';
	load_fails(f, huge, "1:", "long");
}

static void test_env_overrides_file(void **state)
{
	struct fixture *f = *state;
	write_file(f->conf, "listen = 127.0.0.1:9000\nworkers = 3\n");
	assert_int_equal(setenv("MOTCUA_LISTEN", "0.0.0.0:7000", 1), 0);
	assert_int_equal(setenv("MOTCUA_MAX_BODY", "2M", 1), 0);
	assert_int_equal(setenv("MOTCUA_SITE_NAME", "Tỉnh Quảng Trị", 1), 0);
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), 0);
	assert_string_equal(f->c.listen_host, "0.0.0.0");
	assert_int_equal(f->c.listen_port, 7000);
	assert_int_equal(f->c.workers, 3); /* from the file */
	assert_int_equal(f->c.max_body, 2u << 20);
	assert_string_equal(f->c.site_name, "Tỉnh Quảng Trị");
}

static void test_env_bad_value(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(setenv("MOTCUA_WORKERS", "lots", 1), 0);
	f->err[0] = '\0';
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), -1);
	assert_contains(f->err, "MOTCUA_WORKERS");
	assert_contains(f->err, "lots");
	unsetenv("MOTCUA_WORKERS");

	assert_int_equal(setenv("MOTCUA_LISTEN", "8080", 1), 0);
	f->err[0] = '\0';
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), -1);
	assert_contains(f->err, "MOTCUA_LISTEN");
}

static void test_write_default_roundtrip(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(config_write_default(f->conf, f->err, sizeof(f->err)), 0);
	struct stat st;
	assert_int_equal(stat(f->conf, &st), 0);
	assert_true(st.st_size > 0);
	/* The written file loads, and what it says equals the defaults. */
	struct config want;
	config_defaults(&want, f->dir);
	f->err[0] = '\0';
	if (config_load(&f->c, f->err, sizeof(f->err)) != 0)
		print_error("%s\n", f->err);
	assert_int_equal(config_load(&f->c, f->err, sizeof(f->err)), 0);
	assert_memory_equal(&want, &f->c, sizeof(want));

	/* A directory that does not exist is an error naming the path. */
	char bad[256];
	snprintf(bad, sizeof(bad), "%s/no/such/dir/motcua.conf", f->dir);
	f->err[0] = '\0';
	assert_int_equal(config_write_default(bad, f->err, sizeof(f->err)), -1);
	assert_contains(f->err, bad);
}

/* public_url: an http(s) URL without a trailing slash, query or spaces. */
static void test_public_url(void **state)
{
	struct config c;
	char err[256];
	config_defaults(&c, ".");
	assert_string_equal(c.public_url, "http://127.0.0.1:8080");
	static const char *const good[] = {"https://dichvucong.ninhbinh.gov.vn",
					   "http://[::1]:8080", "https://portal.example.vn/dvc"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(config_set(&c, "public_url", good[i], err, sizeof(err)), 0);
		assert_string_equal(c.public_url, good[i]);
	}
	static const char *const bad[] = {"",
					  "dichvucong.ninhbinh.gov.vn",
					  "ftp://example.vn",
					  "https://",
					  "https://example.vn/",
					  "https://example.vn/a b",
					  "https://example.vn?x=1",
					  "https://exa mple.vn",
					  "https://example.vn/#top"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(config_set(&c, "public_url", bad[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "public_url"));
		assert_string_equal(c.public_url, good[2]); /* unchanged */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_set_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_without_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_overrides_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_bad_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_default_roundtrip, setup, teardown),
		cmocka_unit_test(test_public_url),
		cmocka_unit_test_setup_teardown(test_mail_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sms_settings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
