/*
 * mail.c - the mail outbox and the job that empties it over SMTP (mail.h).
 *
 * Runs on the jobs thread only (never an HTTP thread), through the outbox
 * walker (outbox.h): libcurl blocks for as long as the mail server takes,
 * bounded by the timeouts set below.
 */
#include "domain/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "app.h"
#include "core/log.h"
#include "domain/identity.h"
#include "domain/outbox.h"

/* Seconds libcurl may spend connecting, and on one whole message. */
#define MAIL_CONNECT_TIMEOUT 10L
#define MAIL_SEND_TIMEOUT    30L

/* Valid UTF-8 without control characters, except those in allowed. */
static bool clean_text(const char *s, size_t n, const char *allowed)
{
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return false;
		if ((cp < 0x20 && !(cp > 0 && strchr(allowed, (int)cp))) ||
		    (cp >= 0x7f && cp < 0xa0))
			return false;
		i += (size_t)k;
	}
	return true;
}

mc_status mail_queue(db_conn *c, const char *to, const char *subject, const char *body)
{
	if (!id_email_valid(to, NULL)) {
		log_warn("mail_queue: the recipient is not a valid address; mail not queued");
		return MC_INVALID;
	}
	size_t sn = subject ? strlen(subject) : 0, bn = body ? strlen(body) : 0;
	if (sn == 0 || sn > MAIL_MAX_SUBJECT || !clean_text(subject, sn, "")) {
		log_warn("mail_queue: the subject must be one line of 1 to %d bytes of UTF-8",
			 MAIL_MAX_SUBJECT);
		return MC_INVALID;
	}
	if (!body || bn > MAIL_MAX_BODY || !clean_text(body, bn, "\t\r\n")) {
		log_warn("mail_queue: the body must be UTF-8 text of at most %d bytes",
			 MAIL_MAX_BODY);
		return MC_INVALID;
	}
	char id[33];
	outbox_new_id(id);
	return db_exec(c,
		       "INSERT INTO mail_outbox (id, to_addr, subject, body, created_at)"
		       " VALUES ($1, $2, $3, $4, $5)",
		       DB_ARGS(DB_TEXT(id), DB_TEXT(to), DB_TEXT(subject), DB_TEXT(body),
			       DB_INT(time(NULL))),
		       NULL);
}

/* ---- the message ---- */

/* RFC 5322 date in Vietnam time, without the C library's locale. */
static int put_date(buf *out, time_t when)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = when + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0700\r\n", days[tm.tm_wday],
			  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			  tm.tm_sec);
}

/* Subject as is when it is printable ASCII, else as RFC 2047 "B" encoded
 * words of at most 75 characters, split between code points and folded. */
static int put_subject(buf *out, const char *s)
{
	size_t n = strlen(s);
	bool ascii = n <= 900;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = s[i] >= 0x20 && s[i] < 0x7f;
	/* "=?" in plain text would be read as an encoded word. */
	if (ascii && !strstr(s, "=?"))
		return buf_printf(out, "Subject: %s\r\n", s);
	if (buf_puts(out, "Subject:") < 0)
		return -1;
	for (size_t i = 0; i < n;) {
		/* 45 bytes of text make 60 of base64: " " + 12 + 60 <= 76
		 * characters a line; the first word shares its line with
		 * "Subject: ", so it takes 39 bytes (52 of base64). */
		size_t max = i ? 45 : 39;
		size_t end = i;
		while (end < n) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + end,
							      (utf8proc_ssize_t)(n - end), &cp);
			size_t step = k > 0 ? (size_t)k : 1;
			if (end + step - i > max)
				break;
			end += step;
		}
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + i, end - i,
				  sodium_base64_VARIANT_ORIGINAL);
		if (buf_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", b64) < 0)
			return -1;
		i = end;
	}
	return buf_puts(out, "\r\n");
}

/* Quoted-printable (RFC 2045 6.7) with CRLF line ends: lines of at most 76
 * characters, trailing white space and a leading dot encoded. */
static int put_quoted_printable(buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' && s[i + 1] == '\n')
			continue;
		if (c == '\n' || c == '\r') {
			if (buf_puts(out, "\r\n") < 0)
				return -1;
			col = 0;
			continue;
		}
		bool at_end = s[i + 1] == '\0' || s[i + 1] == '\n' || s[i + 1] == '\r';
		bool literal =
			(c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
		if (c == '.' && col == 0)
			literal = false;
		char tok[4];
		size_t tn;
		if (literal) {
			tok[0] = (char)c;
			tn = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tn = 3;
		}
		/* Room for the soft break "=" within 76 characters. */
		if (col + tn > 75) {
			if (buf_puts(out, "=\r\n") < 0)
				return -1;
			col = 0;
			if (c == '.') {
				tok[0] = '=';
				tok[1] = '2';
				tok[2] = 'E';
				tn = 3;
			}
		}
		if (buf_append(out, tok, tn) < 0)
			return -1;
		col += tn;
	}
	return buf_puts(out, "\r\n");
}

int mail_compose(buf *out, const char *id, const char *from, const char *to, const char *subject,
		 const char *body, time_t when)
{
	const char *at = strchr(from, '@');
	const char *domain = at ? at + 1 : "localhost";
	if (put_date(out, when) < 0 || buf_printf(out, "From: %s\r\nTo: %s\r\n", from, to) < 0 ||
	    put_subject(out, subject) < 0 ||
	    buf_printf(out,
		       "Message-ID: <%s@%s>\r\n"
		       "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=UTF-8\r\n"
		       "Content-Transfer-Encoding: quoted-printable\r\n"
		       "\r\n",
		       id, domain) < 0 ||
	    put_quoted_printable(out, body) < 0)
		return -1;
	return out->overflow ? -1 : 0;
}

/* ---- sending ---- */

struct upload {
	const char *data;
	size_t len, pos;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t room = size * nmemb, left = u->len - u->pos;
	size_t n = left < room ? left : room;
	memcpy(dst, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* Sends one message; on failure writes the reason to err. */
static bool smtp_send(CURL *h, const struct config *cfg, const char *to, const char *msg,
		      size_t len, char *err, size_t errlen)
{
	char from[300], rcpt_addr[300], curl_err[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof(from), "<%s>", cfg->smtp_from);
	snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_addr);
	struct upload u = {msg, len, 0};
	if (!rcpt) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, MAIL_CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, MAIL_SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	/* A server that stalls must not hold up shutdown. */
	outbox_stop_on_shutdown(h);
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	if (rc == CURLE_OK)
		return true;
	/* curl's own buffer says more than its code's name when it is set. */
	snprintf(err, errlen, "%s (SMTP %ld)", curl_err[0] ? curl_err : curl_easy_strerror(rc),
		 code);
	return false;
}

static enum outbox_verdict mail_send(const struct config *cfg, CURL *h, arena *a,
				     struct outbox_try *t)
{
	(void)a;
	const char *to = db_text(t->r, t->row, 2);
	/* A row written around mail_queue with an address that could never
	 * work (or that would add headers) is given up at once. */
	if (!id_email_valid(to, NULL)) {
		snprintf(t->err, sizeof(t->err), "the recipient is not a valid address");
		return OUTBOX_GIVE_UP;
	}
	buf msg = BUF_INIT(MAIL_MAX_BODY * 3 + 65536);
	enum outbox_verdict v = OUTBOX_RETRY;
	if (mail_compose(&msg, t->id, cfg->smtp_from, to, db_text(t->r, t->row, 3),
			 db_text(t->r, t->row, 4), time(NULL)) < 0)
		snprintf(t->err, sizeof(t->err), "the message could not be composed");
	else if (smtp_send(h, cfg, to, msg.data, msg.len, t->err, sizeof(t->err)))
		v = OUTBOX_SENT;
	buf_release(&msg);
	return v;
}

static mc_status mail_record(db_conn *c, const struct outbox_outcome *o)
{
	if (o->v == OUTBOX_SENT)
		return db_exec(
			c, "UPDATE mail_outbox SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL",
			DB_ARGS(DB_INT(o->now), DB_TEXT(o->id)), NULL);
	/* Given up: attempts at the maximum, so that the job passes it by. */
	int64_t attempts = o->v == OUTBOX_GIVE_UP && o->attempts < MAIL_MAX_ATTEMPTS
				   ? MAIL_MAX_ATTEMPTS
				   : o->attempts;
	return db_exec(
		c,
		"UPDATE mail_outbox SET attempts = $1, last_error = $2,"
		" next_attempt_at = $3 WHERE id = $4 AND sent_at IS NULL",
		DB_ARGS(DB_INT(attempts), DB_TEXT(o->error), DB_INT(o->next), DB_TEXT(o->id)),
		NULL);
}

#define STR_(x) #x
#define STR(x)	STR_(x)

static const struct outbox_channel mail_channel = {
	.name = "mail",
	.select_sql = "SELECT id, attempts, to_addr, subject, body FROM mail_outbox"
		      " WHERE sent_at IS NULL AND attempts < " STR(
			      MAIL_MAX_ATTEMPTS) " AND next_attempt_at <= $1 ORDER BY created_at, "
						 "id LIMIT $2",
	.batch = MAIL_BATCH,
	.max_attempts = MAIL_MAX_ATTEMPTS,
	.send = mail_send,
	.record = mail_record,
};

static atomic_bool warned_no_smtp;

mc_status mail_job_step(struct app *app, time_t deadline)
{
	if (!app->cfg.smtp_url[0]) {
		if (!atomic_exchange(&warned_no_smtp, true))
			log_warn("mail: smtp_url is not set; mail stays queued and is not sent");
		return MC_OK;
	}
	return outbox_walk(app, &mail_channel, deadline);
}
