/*
 * smtp.h - a real SMTP server for integration tests: Debian's
 * python3-aiosmtpd on a loopback port, delivering into a maildir, and
 * Python's own e-mail parser reading back what arrived (so RFC 2047
 * subjects and quoted-printable bodies are decoded by code that is not
 * motcua's). Used by it_mail.c and it_notify.c.
 */
#ifndef MOTCUA_IT_SMTP_H
#define MOTCUA_IT_SMTP_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define PYTHON "/usr/bin/python3"

struct smtp {
	char dir[PATH_MAX];	     /* temporary directory */
	char maildir[PATH_MAX + 16]; /* dir/mail */
	char script[PATH_MAX + 16];  /* dir/read.py */
	unsigned short port;
	pid_t pid;
};

/* Makes s's directory and picks a free port (nothing listens yet); 0 or -1. */
int smtp_init(struct smtp *s);

/* Starts aiosmtpd on 127.0.0.1:s->port and waits until it accepts; 0 or -1. */
int smtp_start(struct smtp *s);

/* Stops the server (the maildir stays); smtp_free also removes the directory. */
void smtp_stop(struct smtp *s);
void smtp_free(struct smtp *s);

/* Messages delivered so far; smtp_wait_count waits until at least want
 * arrived (true) or timeout_ms passed. */
int smtp_count(const struct smtp *s);
bool smtp_wait_count(const struct smtp *s, int want, int timeout_ms);

/* Every message delivered so far, decoded by Python: a JSON array of
 * objects {subject, body (LF line ends), to, from, id, date, cte, type}.
 * Fails the cmocka test when the maildir cannot be read. */
json_t *smtp_messages(const struct smtp *s);

/* Sleeps ms milliseconds; true when something accepts connections on
 * 127.0.0.1:port. */
void it_sleep_ms(int ms);
bool it_port_open(unsigned short port);

#endif
