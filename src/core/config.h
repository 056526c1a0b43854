/*
 * config.h - the server's settings: defaults, then DIR/motcua.conf, then
 * environment variables (MOTCUA_<KEY> upper-cased, e.g. MOTCUA_LISTEN), then
 * command-line flags, each later source overriding the earlier.
 *
 * The file is "key = value" lines; '#' starts a comment. Every key is known
 * and every value is checked: an unknown key or a bad value is an error that
 * names the file, the line and the key, never a silent default.
 */
#ifndef MOTCUA_CONFIG_H
#define MOTCUA_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct config {
	char data_dir[PATH_MAX];
	char listen_host[256];
	unsigned short listen_port;
	unsigned io_threads;	  /* libmicrohttpd pool size; 0 = cores */
	unsigned workers;	  /* worker threads for slow work; 0 = 2 x cores */
	unsigned worker_spin_us;  /* an idle worker polls this long before it sleeps */
	unsigned max_connections; /* answered with 503 above this */
	unsigned max_connections_per_ip;
	unsigned connection_timeout; /* seconds idle before a connection is closed */
	unsigned request_timeout;    /* seconds to receive a whole request body */
	size_t max_body;	     /* default body limit for routes without their own */
	size_t upload_max_file;	     /* one uploaded file (RT_UPLOAD routes) */
	size_t upload_max_dossier;   /* an RT_UPLOAD request without its own max_body */
	size_t header_limit;	     /* memory per connection for headers and cookies */
	char access_log[PATH_MAX];   /* "-" standard output, "off", or a file path */
	char log_level[16];
	char database[1024];	 /* empty: SQLite at DIR/motcua.db */
	unsigned shutdown_grace; /* seconds to finish in-flight requests */
	char site_name[256];	 /* the province name shown in the header */
	int office_open;	 /* minutes after midnight offices open: 7:30 is 450 */
	int receipt_cutoff;	 /* receipts after this count from the next working day */
	/* Outgoing mail and background jobs (domain/mail.h, domain/jobs.h). */
	char smtp_url[1024];	/* smtp://host:port or smtps://...; empty: mail stays queued */
	char smtp_from[256];	/* the From address of outgoing mail */
	unsigned jobs_interval; /* seconds between background job rounds */
	unsigned mail_retry;	/* seconds before the first retry; doubles per attempt */
	char public_url
		[512]; /* "https://host[/path]" without a trailing slash: links on receipts */
	/* Short messages (SMS/Zalo) through a webhook (domain/message.h). */
	char sms_webhook_url[1024];   /* http(s)://...; empty: messages stay queued */
	char sms_webhook_secret[256]; /* HMAC-SHA256 key signing each request body */
	char sms_channel[8];	      /* "sms" or "zalo": the channel of new messages */
	/* Payments (domain/payment.h): the HMAC-SHA256 key the payment gateway
	 * signs its callbacks with; empty: the callback is refused. */
	char payment_callback_secret[256];
	/* Registrations, and password-reset requests, per client address and
	 * hour (domain/account.h, account_limit_hit); 0 = no limit. */
	unsigned signup_limit;
};

/* Fills c with defaults for data directory dir. */
void config_defaults(struct config *c, const char *dir);

/* Sets one key from text; returns 0, or -1 with a message in err. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);

/* Reads DIR/motcua.conf if it exists (absence is fine), then the
 * environment. Returns 0, or -1 with a message naming file:line in err. */
int config_load(struct config *c, char *err, size_t errlen);

/* Writes a commented default file to path (used by `motcua init`). */
int config_write_default(const char *path, char *err, size_t errlen);

#endif
