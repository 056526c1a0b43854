-- 0008: short messages (tin nhắn SMS/Zalo) waiting for the webhook job
-- (domain/message.h), written in the same transaction as the change they
-- report, like mail_outbox. Portable SQL (SQLite and PostgreSQL); times are
-- Unix seconds.
--
-- id is 32 random hex digits, unique per message, and is sent as the
-- Idempotency-Key header: a receiver that sees an id twice (the node died
-- between the webhook's answer and sent_at) drops the copy. A message is
-- pending while sent_at and failed_at are both NULL; failed_at marks one given
-- up (a permanent 4xx answer, or its last attempt), with the reason in
-- last_error.
CREATE TABLE message_outbox (
	id TEXT PRIMARY KEY,
	channel TEXT NOT NULL CHECK (channel IN ('sms', 'zalo')),
	to_phone TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL DEFAULT 0,
	sent_at INTEGER,
	failed_at INTEGER,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX message_outbox_pending ON message_outbox (sent_at, failed_at, created_at);
