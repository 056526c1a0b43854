-- When a mail that failed may be tried again (epoch seconds): the mail job
-- backs off after each failure instead of hammering a server that is down.
ALTER TABLE mail_outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
