-- 0018 (SQLite; the PostgreSQL twin is 0018_event_timeline.postgres.sql):
-- a dossier's events stored together, in their order. The public lookup
-- (src/domain/lookup.c) reads every event of one dossier; in a rowid table
-- each event of a dossier sits on another page (events are appended over
-- weeks among everyone else's), so a lookup at ten million dossiers read
-- one table page per event after the primary key's index. As a WITHOUT
-- ROWID table the primary key (dossier_id, n) is the table itself: the
-- timeline is one leaf page, and each new event writes one B-tree instead
-- of two (the table and the key's index). Rows are small (the note is
-- usually empty), which is what WITHOUT ROWID suits.
-- Nothing reads dossier_event's rowid, and no trigger or view names it.
-- While the table is copied, the writer's page cache may grow to 2 GiB
-- (64 MiB otherwise, src/db/db_sqlite.c), so that the new table's pages
-- (0.5 GB at one million dossiers) wait in memory instead of being spilled
-- into the WAL: with millions of frames in the WAL of one open transaction,
-- every page read searches all of them (sqlite3WalFindFrame), and the copy
-- slows down more with every row (ten million dossiers: see
-- docs/performance.md "Session 6"). cache_spill cannot be turned off here:
-- SQLite ignores it inside a transaction, and migrations run in one.
PRAGMA cache_size = -2097152;
CREATE TABLE dossier_event_0018 (
	dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
	n INTEGER NOT NULL,
	at TEXT NOT NULL,
	account_id TEXT REFERENCES account (id),
	action TEXT NOT NULL,
	status_from INTEGER NOT NULL,
	status_to INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	form INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (dossier_id, n)
) WITHOUT ROWID;
INSERT INTO dossier_event_0018
	(dossier_id, n, at, account_id, action, status_from, status_to, note, form)
SELECT dossier_id, n, at, account_id, action, status_from, status_to, note, form
FROM dossier_event ORDER BY dossier_id, n;
DROP TABLE dossier_event;
ALTER TABLE dossier_event_0018 RENAME TO dossier_event;
PRAGMA cache_size = -65536;
