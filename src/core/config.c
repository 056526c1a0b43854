/*
 * config.c - one table of keys, each with its parser, used by the file
 * reader, the environment reader and the CLI alike.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/parse.h"

enum kind {
	K_STR,
	K_UINT,
	K_SIZE,
	K_LISTEN,
	K_LEVEL,
	K_CLOCK,
	K_SMTP_URL,
	K_MAILBOX,
	K_URL,
	K_WEBHOOK,
	K_SECRET,
	K_CHANNEL
};

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	size_t size; /* K_STR: capacity */
	int64_t min, max;
	const char *help;
};

#define F(field) offsetof(struct config, field), sizeof(((struct config *)0)->field)

static const struct key keys[] = {
	{"listen", K_LISTEN, 0, 0, 0, 0, "address and port to serve on"},
	{"io_threads", K_UINT, F(io_threads), 0, 64, "HTTP I/O threads (0 = number of cores)"},
	{"workers", K_UINT, F(workers), 0, 256,
	 "worker threads for database and slow work (0 = 2 x cores)"},
	{"worker_spin_us", K_UINT, F(worker_spin_us), 0, 10000,
	 "microseconds an idle worker polls for the next request before it sleeps (0 = never)"},
	{"max_connections", K_UINT, F(max_connections), 1, 100000,
	 "connections served at once; more get 503"},
	{"max_connections_per_ip", K_UINT, F(max_connections_per_ip), 1, 100000,
	 "connections from one address; more get 503"},
	{"connection_timeout", K_UINT, F(connection_timeout), 1, 3600,
	 "seconds a silent connection is kept"},
	{"request_timeout", K_UINT, F(request_timeout), 1, 3600,
	 "seconds allowed to send a whole request"},
	{"max_body", K_SIZE, F(max_body), 1024, INT64_MAX,
	 "largest request body by default (e.g. 1M)"},
	{"upload_max_file", K_SIZE, F(upload_max_file), 1024, INT64_MAX,
	 "largest uploaded file (e.g. 20M)"},
	{"upload_max_dossier", K_SIZE, F(upload_max_dossier), 1024, INT64_MAX,
	 "largest upload request, all files of a dossier together (e.g. 100M)"},
	{"header_limit", K_SIZE, F(header_limit), 8192, 1 << 20,
	 "memory per connection for headers and cookies"},
	{"access_log", K_STR, F(access_log), 0, 0, "'-' for standard output, 'off', or a file"},
	{"log_level", K_LEVEL, F(log_level), 0, 0, "debug, info, warn or error"},
	{"database", K_STR, F(database), 0, 0,
	 "empty for SQLite in the data directory, or postgres://..."},
	{"shutdown_grace", K_UINT, F(shutdown_grace), 0, 600,
	 "seconds to finish requests on SIGTERM"},
	{"site_name", K_STR, F(site_name), 0, 0, "the province shown in the page header"},
	{"office_open", K_CLOCK, F(office_open), 0, 0, "when offices open, HH:MM (07:30)"},
	{"receipt_cutoff", K_CLOCK, F(receipt_cutoff), 0, 0,
	 "receipts after this time (HH:MM, 15:00) count from the next working day"},
	{"smtp_url", K_SMTP_URL, F(smtp_url), 0, 0,
	 "mail server, smtp://host:port or smtps://user:password@host:port; empty: mail is "
	 "queued, not sent"},
	{"smtp_from", K_MAILBOX, F(smtp_from), 0, 0, "the From address of outgoing mail"},
	{"jobs_interval", K_UINT, F(jobs_interval), 1, 3600,
	 "seconds between rounds of background jobs (mail, reminders)"},
	{"mail_retry", K_UINT, F(mail_retry), 1, 86400,
	 "seconds before a failed mail or short message is retried; doubles per attempt, "
	 "10 attempts"},
	{"public_url", K_URL, F(public_url), 0, 0,
	 "the portal's address as the public reaches it, for links on receipts (no trailing /)"},
	{"sms_webhook_url", K_WEBHOOK, F(sms_webhook_url), 0, 0,
	 "where SMS/Zalo messages are POSTed as JSON, http(s)://...; empty: messages are queued, "
	 "not sent"},
	{"sms_webhook_secret", K_SECRET, F(sms_webhook_secret), 16, 0,
	 "key of the X-Motcua-Signature HMAC-SHA256 of each webhook body (16 characters or "
	 "more; required with sms_webhook_url)"},
	{"sms_channel", K_CHANNEL, F(sms_channel), 0, 0,
	 "channel of notices by phone: sms or zalo"},
	{"payment_callback_secret", K_STR, F(payment_callback_secret), 0, 0,
	 "key the payment gateway signs callbacks with (HMAC-SHA256); empty: callbacks refused"},
	{"signup_limit", K_UINT, F(signup_limit), 0, 100000,
	 "registrations (and, apart, password-reset requests) per client address and hour; "
	 "0: no limit"},
};

/* A URL libcurl may send mail to: smtp:// or smtps://, then a host, no
 * spaces or control characters. Empty is allowed (mail not sent). */
static bool smtp_url_ok(const char *v)
{
	if (!*v)
		return true;
	const char *rest;
	if (strncmp(v, "smtp://", 7) == 0)
		rest = v + 7;
	else if (strncmp(v, "smtps://", 8) == 0)
		rest = v + 8;
	else
		return false;
	if (!*rest || *rest == '/' || *rest == ':')
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f)
			return false;
	return true;
}

/* A bare address: one '@' with text on both sides, a dot in the domain,
 * none of the characters that would break a mail header. */
static bool mailbox_ok(const char *v)
{
	const char *at = strchr(v, '@');
	if (!at || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.') || !at[1])
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f ||
		    strchr("<>,;\"\\", *p))
			return false;
	return true;
}

/* A URL libcurl may POST to: http:// or https://, then a host, printable
 * ASCII without spaces. Empty is allowed (messages not sent). */
static bool webhook_url_ok(const char *v)
{
	if (!*v)
		return true;
	const char *rest;
	if (strncmp(v, "http://", 7) == 0)
		rest = v + 7;
	else if (strncmp(v, "https://", 8) == 0)
		rest = v + 8;
	else
		return false;
	if (!*rest || *rest == '/' || *rest == ':' || *rest == '?' || *rest == '#')
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return false;
	return true;
}

void config_defaults(struct config *c, const char *dir)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->data_dir, sizeof(c->data_dir), "%s", dir ? dir : ".");
	snprintf(c->listen_host, sizeof(c->listen_host), "127.0.0.1");
	c->listen_port = 8080;
	c->max_connections = 1024;
	/* haltpoll's default window (guest_halt_poll_ns): a thread woken on an
	 * idle virtual CPU costs ~100 µs on the VMs measured. */
	c->worker_spin_us = 200;
	c->max_connections_per_ip = 256;
	c->connection_timeout = 30;
	c->request_timeout = 60;
	c->max_body = 1u << 20;
	c->upload_max_file = 20u << 20;
	c->upload_max_dossier = 100u << 20;
	/* libmicrohttpd zeroes this pool after every keep-alive request, so a
	 * generous default costs CPU on every request (docs/performance.md). */
	c->header_limit = 16u << 10;
	snprintf(c->access_log, sizeof(c->access_log), "-");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	c->shutdown_grace = 20;
	c->office_open = 7 * 60 + 30;
	c->receipt_cutoff = 15 * 60;
	snprintf(c->site_name, sizeof(c->site_name), "Tỉnh Ninh Bình");
	snprintf(c->smtp_from, sizeof(c->smtp_from), "no-reply@localhost.localdomain");
	c->jobs_interval = 10;
	c->mail_retry = 60;
	snprintf(c->public_url, sizeof(c->public_url), "http://127.0.0.1:8080");
	snprintf(c->sms_channel, sizeof(c->sms_channel), "sms");
	c->signup_limit = 20;
}

/* An absolute http(s) URL: scheme, a host of letters, digits, '.', '-', ':' (a port) or
 * '[...]' (IPv6), then an optional path of printable ASCII without spaces, and no trailing
 * slash (receipts append "/tra-cuu?ma=..."), no query and no fragment. */
static bool public_url_valid(const char *s)
{
	size_t skip;
	if (strncmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return false;
	const char *h = s + skip;
	size_t hl = strcspn(h, "/");
	if (hl == 0)
		return false;
	for (size_t i = 0; i < hl; i++)
		if (!isalnum((unsigned char)h[i]) && !strchr(".-:[]", h[i]))
			return false;
	for (const char *p = h + hl; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '?' || *p == '#')
			return false;
	size_t n = strlen(s);
	return s[n - 1] != '/';
}

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

int config_set(struct config *c, const char *name, const char *value, char *err, size_t errlen)
{
	const struct key *k = find_key(name);
	if (!k) {
		snprintf(err, errlen, "unknown setting '%s'", name);
		return -1;
	}
	char *field = (char *)c + k->off;
	int64_t v;
	size_t sz;
	int64_t minutes;
	enum log_level lvl;
	switch (k->kind) {
	case K_STR:
		if (strlen(value) >= k->size) {
			snprintf(err, errlen, "%s: value is longer than %zu bytes", name,
				 k->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_UINT:
		if (parse_int64(value, k->min, k->max, &v) < 0) {
			snprintf(err, errlen, "%s: '%s' is not a whole number from %lld to %lld",
				 name, value, (long long)k->min, (long long)k->max);
			return -1;
		}
		*(unsigned *)(void *)field = (unsigned)v;
		return 0;
	case K_SIZE:
		if (parse_size(value, (size_t)k->max, &sz) < 0 || sz < (size_t)k->min) {
			snprintf(err, errlen,
				 "%s: '%s' is not a size from %lld bytes (use K, M or G)", name,
				 value, (long long)k->min);
			return -1;
		}
		*(size_t *)(void *)field = sz;
		return 0;
	case K_LISTEN:
		if (parse_listen(value, c->listen_host, sizeof(c->listen_host), &c->listen_port) <
		    0) {
			snprintf(err, errlen, "listen: '%s' is not HOST:PORT (e.g. 127.0.0.1:8080)",
				 value);
			return -1;
		}
		return 0;
	case K_CLOCK:
		if (strlen(value) != 5 || value[2] != ':' ||
		    parse_int64((char[]){value[0], value[1], 0}, 0, 23, &v) < 0 ||
		    parse_int64((char[]){value[3], value[4], 0}, 0, 59, &minutes) < 0) {
			snprintf(err, errlen, "%s: '%s' is not a time of day HH:MM (e.g. 15:00)",
				 name, value);
			return -1;
		}
		*(int *)(void *)field = (int)(v * 60 + minutes);
		return 0;
	case K_SMTP_URL:
	case K_MAILBOX:
		if (strlen(value) >= k->size) {
			snprintf(err, errlen, "%s: value is longer than %zu bytes", name,
				 k->size - 1);
			return -1;
		}
		if (k->kind == K_SMTP_URL && !smtp_url_ok(value)) {
			snprintf(
				err, errlen,
				"smtp_url: not smtp://host:port or smtps://host:port (the value is "
				"not repeated: it may hold a password)");
			return -1;
		}
		if (k->kind == K_MAILBOX && !mailbox_ok(value)) {
			snprintf(err, errlen,
				 "%s: '%s' is not an e-mail address such as "
				 "no-reply@dichvucong.ninhbinh.gov.vn",
				 name, value);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_URL:
		if (strlen(value) >= k->size || !public_url_valid(value)) {
			snprintf(err, errlen,
				 "%s: '%s' is not an http(s) URL without a trailing slash "
				 "(e.g. https://dichvucong.ninhbinh.gov.vn)",
				 name, value);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_WEBHOOK:
		/* Neither value is repeated: a URL may hold a token. */
		if (strlen(value) >= k->size || !webhook_url_ok(value)) {
			snprintf(err, errlen,
				 "%s: not an http:// or https:// URL of at most %zu bytes without "
				 "spaces (the value is not repeated: it may hold a token)",
				 name, k->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_SECRET:
		if (*value && (strlen(value) < (size_t)k->min || strlen(value) >= k->size)) {
			snprintf(err, errlen, "%s: must be %lld to %zu bytes long (or empty)", name,
				 (long long)k->min, k->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_CHANNEL:
		if (strcmp(value, "sms") != 0 && strcmp(value, "zalo") != 0) {
			snprintf(err, errlen, "%s: '%s' is not sms or zalo", name, value);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case K_LEVEL:
		if (log_level_parse(value, &lvl) < 0 || strlen(value) >= k->size) {
			snprintf(err, errlen,
				 "log_level: '%s' is not one of debug, info, warn, error", value);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	}
	return -1;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096], msg[512];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line is too long", path, lineno);
			rc = -1;
			break;
		}
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		} else {
			/* "key = value  # note": a comment after white space;
			 * quote a value that must contain " #". */
			char *hash = strstr(value, " #");
			if (!hash)
				hash = strstr(value, "\t#");
			if (hash) {
				*hash = '\0';
				value = trim(value);
			}
		}
		if (config_set(c, key, value, msg, sizeof(msg)) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static int load_env(struct config *c, char *err, size_t errlen)
{
	char msg[512];
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char var[64] = "MOTCUA_";
		size_t n = strlen(var);
		for (const char *p = keys[i].name; *p && n < sizeof(var) - 1; p++)
			var[n++] = (char)toupper((unsigned char)*p);
		var[n] = '\0';
		const char *v = getenv(var);
		if (!v)
			continue;
		if (config_set(c, keys[i].name, v, msg, sizeof(msg)) < 0) {
			snprintf(err, errlen, "environment %s: %s", var, msg);
			return -1;
		}
	}
	return 0;
}

int config_load(struct config *c, char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/motcua.conf", c->data_dir);
	if (load_file(c, path, err, errlen) < 0 || load_env(c, err, errlen) < 0)
		return -1;
	/* An unsigned webhook would let anyone who learns its address send
	 * texts in the province's name. */
	if (c->sms_webhook_url[0] && !c->sms_webhook_secret[0]) {
		snprintf(err, errlen, "sms_webhook_secret must be set when sms_webhook_url is");
		return -1;
	}
	return 0;
}

int config_write_default(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wx");
	if (!f) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct config d;
	config_defaults(&d, ".");
	fprintf(f, "# motcua configuration. Every key can also be set in the environment\n"
		   "# as MOTCUA_<KEY>, which wins over this file. A '#' after white space\n"
		   "# starts a comment; quote a value that must contain one.\n\n");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fprintf(f, "# %s: %s\n", keys[i].name, keys[i].help);
	fprintf(f, "\nlisten = %s:%u\n", d.listen_host, d.listen_port);
	fprintf(f, "max_connections = %u\nmax_body = 1M\naccess_log = -\n", d.max_connections);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
