/*
 * mail.c - the mail outbox and the job that empties it over SMTP (mail.h).
 *
 * Runs on the jobs thread only (never an HTTP thread): libcurl blocks for as
 * long as the mail server takes, bounded by the timeouts set below.
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
#include "domain/jobs.h"

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
	unsigned char raw[16];
	char id[33];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(id, sizeof(id), raw, sizeof(raw));
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

static int progress_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)ud, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return jobs_stopping() ? 1 : 0;
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
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
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

struct outcome {
	const char *id;
	bool sent;
	const char *error;
	int64_t now, next, attempts;
};

static mc_status record_fn(db_conn *c, void *p)
{
	struct outcome *o = p;
	if (o->sent)
		return db_exec(
			c, "UPDATE mail_outbox SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL",
			DB_ARGS(DB_INT(o->now), DB_TEXT(o->id)), NULL);
	return db_exec(
		c,
		"UPDATE mail_outbox SET attempts = $1, last_error = $2,"
		" next_attempt_at = $3 WHERE id = $4 AND sent_at IS NULL",
		DB_ARGS(DB_INT(o->attempts), DB_TEXT(o->error), DB_INT(o->next), DB_TEXT(o->id)),
		NULL);
}

static atomic_bool warned_no_smtp;

mc_status mail_job_step(struct app *app, time_t deadline)
{
	const struct config *cfg = &app->cfg;
	if (!cfg->smtp_url[0]) {
		if (!atomic_exchange(&warned_no_smtp, true))
			log_warn("mail: smtp_url is not set; mail stays queued and is not sent");
		return MC_OK;
	}
	db_conn *rd = db_reader(app->db);
	if (!rd)
		return MC_BUSY;
	arena *a = arena_new(0);
	db_result *r;
	mc_status st = db_query(
		rd, a,
		"SELECT id, to_addr, subject, body, attempts FROM mail_outbox"
		" WHERE sent_at IS NULL AND attempts < $1 AND next_attempt_at <= $2"
		" ORDER BY created_at, id LIMIT $3",
		DB_ARGS(DB_INT(MAIL_MAX_ATTEMPTS), DB_INT(time(NULL)), DB_INT(MAIL_BATCH)), &r);
	if (st != MC_OK) {
		log_error("mail: reading the outbox failed: %s", db_errmsg(rd));
		goto out;
	}
	if (db_nrows(r) == 0)
		goto out;
	CURL *h = curl_easy_init();
	if (!h) {
		log_error("mail: libcurl could not start");
		st = MC_INTERNAL;
		goto out;
	}
	int sent = 0, failed = 0;
	for (int i = 0; i < db_nrows(r); i++) {
		if (time(NULL) >= deadline || jobs_stopping())
			break;
		const char *id = db_text(r, i, 0), *to = db_text(r, i, 1);
		buf msg = BUF_INIT(MAIL_MAX_BODY * 3 + 65536);
		char err[512] = "";
		bool ok = false;
		int64_t attempts = db_int(r, i, 4) + 1;
		/* A row written around mail_queue with an address that could
		 * never work (or that would add headers) is given up at once. */
		if (!id_email_valid(to, NULL)) {
			snprintf(err, sizeof(err), "the recipient is not a valid address");
			attempts = MAIL_MAX_ATTEMPTS;
		} else if (mail_compose(&msg, id, cfg->smtp_from, to, db_text(r, i, 2),
					db_text(r, i, 3), time(NULL)) < 0)
			snprintf(err, sizeof(err), "the message could not be composed");
		else
			ok = smtp_send(h, cfg, to, msg.data, msg.len, err, sizeof(err));
		buf_release(&msg);
		int64_t now = time(NULL);
		struct outcome o = {.id = id,
				    .sent = ok,
				    .error = err,
				    .now = now,
				    .next = now + jobs_backoff(cfg->mail_retry, attempts),
				    .attempts = attempts};
		mc_status w = db_write(app->db, record_fn, &o);
		if (w != MC_OK)
			log_error("mail: recording the outcome of %s failed (%s); it may be sent "
				  "again",
				  id, mc_status_name(w));
		if (ok) {
			sent++;
		} else {
			failed++;
			if (attempts >= MAIL_MAX_ATTEMPTS)
				log_error("mail: %s given up at attempt %lld: %s", id,
					  (long long)attempts, err);
			else
				log_warn("mail: %s not sent (attempt %lld): %s", id,
					 (long long)attempts, err);
		}
	}
	curl_easy_cleanup(h);
	if (sent || failed)
		log_info("mail: %d sent, %d failed", sent, failed);
out:
	arena_free(a);
	return st;
}
