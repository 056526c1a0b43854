-- 0018 (PostgreSQL; the SQLite twin is 0018_event_timeline.sqlite.sql):
-- the public lookup (src/domain/lookup.c) reads every event of one
-- dossier: the primary key's index now also carries the columns it shows,
-- so the timeline is an index-only scan of one leaf page instead of one
-- heap page per event (events of a dossier are appended over weeks among
-- everyone else's). Same number of indexes to write as before.
ALTER TABLE dossier_event DROP CONSTRAINT dossier_event_pkey,
	ADD CONSTRAINT dossier_event_pkey PRIMARY KEY (dossier_id, n) INCLUDE (at, action, status_to);
