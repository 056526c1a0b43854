/*
 * message.h - short messages (tin nhắn) to a phone by SMS or Zalo: queued in
 * message_outbox with the change they report, posted later by the "messages"
 * background job (domain/jobs.h) to the operator's webhook, which hands them
 * to an SMS or Zalo gateway (docs/notifications.md).
 *
 * The request: POST sms_webhook_url with Content-Type application/json and
 * the body {"id", "channel", "to", "text", "created_at"} (message_json),
 * headers Idempotency-Key: <id> and X-Motcua-Signature: sha256=<hex
 * HMAC-SHA256 of the body's bytes, keyed with sms_webhook_secret>.
 *
 * The answer: 2xx = sent (sent_at); 408, 429, 5xx, no answer or a timeout =
 * try again after mail_retry seconds, doubled per attempt (capped at 6
 * hours, or later when the answer has Retry-After), at most
 * MESSAGE_MAX_ATTEMPTS times; any other status (4xx, 3xx) = failed for good
 * (failed_at), never retried. The reason of the last failure stays in
 * last_error. With sms_webhook_url empty nothing is sent: messages stay
 * queued.
 *
 * Delivery is at least once: a node that dies after the webhook answered
 * 2xx but before sent_at commits posts the message again, with the same
 * Idempotency-Key, so that the receiver can drop the copy.
 */
#ifndef MOTCUA_MESSAGE_H
#define MOTCUA_MESSAGE_H

#include <stddef.h>
#include <time.h>

#include "core/arena.h"
#include "core/status.h"
#include "db/db.h"

struct app;

#define MESSAGE_MAX_ATTEMPTS 10
#define MESSAGE_BATCH	     20
#define MESSAGE_MAX_CHARS    1000 /* code points of text */
/* "sha256=" and 64 hex digits, NUL-terminated. */
#define MESSAGE_SIGNATURE_LEN 72

/*
 * Queues a message on c, which must be the connection of a db_write
 * closure. channel is "sms" or "zalo"; phone a Vietnamese mobile number
 * (identity.h rules), stored as +84...; text 1 to MESSAGE_MAX_CHARS code
 * points of UTF-8 without control characters but newlines (stored NFC).
 * Returns MC_INVALID (with a log line) when one is not, or the database
 * status.
 */
mc_status message_queue(db_conn *c, const char *channel, const char *phone, const char *text);

/* The request body of one message, compact JSON in a (NULL when out of
 * memory); created_at is shown as ISO 8601 in Vietnam time. */
char *message_json(arena *a, const char *id, const char *channel, const char *to, const char *text,
		   time_t created_at);

/* out = "sha256=" + the hex HMAC-SHA256 of body[0..len) keyed with secret. */
void message_sign(const char *secret, const void *body, size_t len,
		  char out[MESSAGE_SIGNATURE_LEN]);

/*
 * One round of the messages job: posts at most MESSAGE_BATCH pending
 * messages, oldest first, stopping early when the clock passes deadline.
 * Returns MC_OK, or the database status when the outbox could not be read.
 */
mc_status message_job_step(struct app *app, time_t deadline);

#endif
