-- 0006: the audit chain (nhật ký kiểm toán). Every entry carries the SHA-256
-- of the previous entry and of its own content, so changing, removing or
-- reordering any stored entry breaks the chain from there on (motcua audit
-- verify). audit_head is one row, created by the first append (so a fresh
-- database holds no rows and can take a restore): updating it for the next
-- number locks it, which orders appends from every node into one chain.
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n INTEGER NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE audit_log (
	n INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	subject TEXT NOT NULL,
	data TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, n);
