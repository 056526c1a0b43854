/*
 * message.c - the short-message outbox and the job that posts it to the
 * SMS/Zalo webhook (message.h).
 *
 * Runs on the jobs thread only (never an HTTP thread), through the outbox
 * walker (outbox.h): libcurl blocks for as long as the webhook takes,
 * bounded by the timeouts set below.
 */
#include "domain/message.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/text.h"
#include "domain/identity.h"
#include "domain/outbox.h"

/* Seconds libcurl may spend connecting, and on one whole request. */
#define MESSAGE_CONNECT_TIMEOUT 10L
#define MESSAGE_SEND_TIMEOUT	20L
/* Bytes of the webhook's answer kept in last_error. */
#define MESSAGE_ANSWER_KEPT 200

static bool channel_ok(const char *ch)
{
	return ch && (strcmp(ch, "sms") == 0 || strcmp(ch, "zalo") == 0);
}

mc_status message_queue(db_conn *c, const char *channel, const char *phone, const char *text)
{
	char national[16];
	if (!channel_ok(channel)) {
		log_warn("message_queue: the channel must be sms or zalo; message not queued");
		return MC_INVALID;
	}
	if (!id_phone_valid(phone, national, NULL)) {
		log_warn("message_queue: the recipient is not a Vietnamese mobile number; message "
			 "not queued");
		return MC_INVALID;
	}
	arena *a = arena_new(0);
	const char *clean = NULL;
	if (!text || text_clean(a, text, strlen(text), 1, MESSAGE_MAX_CHARS, &clean) != TEXT_OK ||
	    strchr(clean, '\t') || strchr(clean, '\r')) {
		log_warn("message_queue: the text must be 1 to %d characters of UTF-8 without "
			 "control characters; message not queued",
			 MESSAGE_MAX_CHARS);
		arena_free(a);
		return MC_INVALID;
	}
	char id[33];
	outbox_new_id(id);
	mc_status st =
		db_exec(c,
			"INSERT INTO message_outbox (id, channel, to_phone, body, created_at)"
			" VALUES ($1, $2, $3, $4, $5)",
			DB_ARGS(DB_TEXT(id), DB_TEXT(channel),
				DB_TEXT(arena_printf(a, "+84%s", national + 1)), DB_TEXT(clean),
				DB_INT(time(NULL))),
			NULL);
	arena_free(a);
	return st;
}

char *message_json(arena *a, const char *id, const char *channel, const char *to, const char *text,
		   time_t created_at)
{
	time_t t = created_at + 7 * 3600;
	struct tm tm;
	char when[32];
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+07:00", &tm);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "channel", channel, "to", to,
			      "text", text, "created_at", when);
	if (!o)
		return NULL;
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return NULL;
	char *copy = arena_strdup(a, s);
	free(s);
	return copy;
}

void message_sign(const char *secret, const void *body, size_t len, char out[MESSAGE_SIGNATURE_LEN])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, MESSAGE_SIGNATURE_LEN - 7, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

/* ---- sending ---- */

/* The start of the webhook's answer, for last_error. */
struct answer {
	char text[MESSAGE_ANSWER_KEPT + 1];
	size_t len;
};

static size_t write_cb(char *src, size_t size, size_t nmemb, void *ud)
{
	struct answer *ans = ud;
	size_t n = size * nmemb;
	for (size_t i = 0; i < n && ans->len < MESSAGE_ANSWER_KEPT; i++)
		ans->text[ans->len++] = (unsigned char)src[i] < 0x20 ? ' ' : src[i];
	ans->text[ans->len] = '\0';
	return n;
}

/* Posts one message; on failure writes the reason to err and any wait the
 * webhook asked for (Retry-After, seconds) to *retry_after. */
static enum outbox_verdict post(CURL *h, const struct config *cfg, const char *id, const char *body,
				char *err, size_t errlen, long *retry_after)
{
	char sig[MESSAGE_SIGNATURE_LEN], sig_h[MESSAGE_SIGNATURE_LEN + 32], key_h[96];
	char curl_err[CURL_ERROR_SIZE] = "";
	message_sign(cfg->sms_webhook_secret, body, strlen(body), sig);
	snprintf(sig_h, sizeof(sig_h), "X-Motcua-Signature: %s", sig);
	snprintf(key_h, sizeof(key_h), "Idempotency-Key: %s", id);
	struct curl_slist *hd = NULL, *next;
	static const char *const fixed[] = {"Content-Type: application/json; charset=utf-8",
					    "Expect:"};
	for (size_t i = 0; i < 2; i++)
		if ((next = curl_slist_append(hd, fixed[i])))
			hd = next;
	if ((next = curl_slist_append(hd, key_h)))
		hd = next;
	if (!next || !(next = curl_slist_append(hd, sig_h))) {
		curl_slist_free_all(hd);
		snprintf(err, errlen, "out of memory");
		return OUTBOX_RETRY;
	}
	hd = next;
	struct answer ans = {.len = 0};
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, cfg->sms_webhook_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, MESSAGE_CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, MESSAGE_SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "motcua");
	/* A webhook that stalls must not hold up shutdown. */
	outbox_stop_on_shutdown(h);
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_off_t wait = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &wait);
	curl_slist_free_all(hd);
	*retry_after = wait > 0 && wait < 86400 ? (long)wait : 0;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
		return OUTBOX_RETRY;
	}
	if (code >= 200 && code < 300)
		return OUTBOX_SENT;
	/* Kept as text: cut back to whole characters, and dropped when it is
	 * not UTF-8 at all (the database would refuse it). */
	while (ans.len > 0 && !utf8_valid_text(ans.text, ans.len))
		ans.text[--ans.len] = '\0';
	snprintf(err, errlen, "HTTP %ld: %s", code, ans.text);
	if (code == 408 || code == 429 || code >= 500)
		return OUTBOX_RETRY;
	return OUTBOX_GIVE_UP;
}

static enum outbox_verdict message_send(const struct config *cfg, CURL *h, arena *a,
					struct outbox_try *t)
{
	const char *body =
		message_json(a, t->id, db_text(t->r, t->row, 2), db_text(t->r, t->row, 3),
			     db_text(t->r, t->row, 4), (time_t)db_int(t->r, t->row, 5));
	if (!body) {
		snprintf(t->err, sizeof(t->err), "the request body could not be composed");
		return OUTBOX_GIVE_UP;
	}
	return post(h, cfg, t->id, body, t->err, sizeof(t->err), &t->retry_after);
}

static mc_status message_record(db_conn *c, const struct outbox_outcome *o)
{
	if (o->v == OUTBOX_SENT)
		return db_exec(c,
			       "UPDATE message_outbox SET sent_at = $1, attempts = $2"
			       " WHERE id = $3 AND sent_at IS NULL",
			       DB_ARGS(DB_INT(o->now), DB_INT(o->attempts), DB_TEXT(o->id)), NULL);
	return db_exec(c,
		       "UPDATE message_outbox SET attempts = $1, last_error = $2,"
		       " next_attempt_at = $3, failed_at = $4 WHERE id = $5 AND sent_at IS NULL",
		       DB_ARGS(DB_INT(o->attempts), DB_TEXT(o->error), DB_INT(o->next),
			       o->v == OUTBOX_GIVE_UP ? DB_INT(o->now) : DB_NULLARG,
			       DB_TEXT(o->id)),
		       NULL);
}

static const struct outbox_channel message_channel = {
	.name = "messages",
	.select_sql = "SELECT id, attempts, channel, to_phone, body, created_at"
		      " FROM message_outbox WHERE sent_at IS NULL AND failed_at IS NULL"
		      " AND next_attempt_at <= $1 ORDER BY created_at, id LIMIT $2",
	.batch = MESSAGE_BATCH,
	.max_attempts = MESSAGE_MAX_ATTEMPTS,
	.send = message_send,
	.record = message_record,
};

static atomic_bool warned_no_url;

mc_status message_job_step(struct app *app, time_t deadline)
{
	if (!app->cfg.sms_webhook_url[0]) {
		if (!atomic_exchange(&warned_no_url, true))
			log_warn("messages: sms_webhook_url is not set; SMS/Zalo messages stay "
				 "queued and are not sent");
		return MC_OK;
	}
	return outbox_walk(app, &message_channel, deadline);
}
