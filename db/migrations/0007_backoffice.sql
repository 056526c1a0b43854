-- 0007: the one-stop back office (src/domain/backoffice.h). Portable SQL
-- (SQLite and PostgreSQL); times are text 'YYYY-MM-DD HH:MM:SS', Vietnam time.

-- Where a dossier is in the workflow (wf_stage_name of workflow.h), its
-- version for optimistic concurrency (+1 on every move), the specialist it
-- is assigned to, and the clock: received_at starts the time limit,
-- paused_at is set while it is stopped (financial obligation), paused_days
-- counts the working days it stood still, apology_at the one apology (form
-- 04), supplements the supplement requests (more than one counts late).
-- applicant_search holds the applicant's folded name, ID number and tax
-- code (fold.h) for the officers' search.
ALTER TABLE dossier ADD COLUMN stage TEXT NOT NULL DEFAULT 'new';
ALTER TABLE dossier ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN assignee_id TEXT REFERENCES account (id);
ALTER TABLE dossier ADD COLUMN received_at TEXT;
ALTER TABLE dossier ADD COLUMN paused_at TEXT;
ALTER TABLE dossier ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN apology_at TEXT;
ALTER TABLE dossier ADD COLUMN supplements INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN applicant_search TEXT NOT NULL DEFAULT '';

-- Existing dossiers: the stage from the national status (4 processing is
-- taken as with a specialist; nobody is assigned yet, so the leader acts).
UPDATE dossier SET stage = CASE status
	WHEN 2 THEN 'received' WHEN 3 THEN 'refused' WHEN 4 THEN 'assigned'
	WHEN 5 THEN 'supplement' WHEN 6 THEN 'financial' WHEN 7 THEN 'withdrawal'
	WHEN 8 THEN 'stopped' WHEN 9 THEN 'done' WHEN 10 THEN 'returned' ELSE 'new' END;
UPDATE dossier SET received_at = submitted_at WHERE status IN (2, 4, 6, 7, 8, 9, 10);

CREATE INDEX dossier_queue ON dossier (agency_code, stage, due_at, id);
CREATE INDEX dossier_queue_new ON dossier (agency_code, stage, submitted_at, id);
CREATE INDEX dossier_assignee ON dossier (assignee_id, stage);

-- The form an event issued (1-5; 0 none).
ALTER TABLE dossier_event ADD COLUMN form INTEGER NOT NULL DEFAULT 0;

-- The process control slip (form 05): who held the dossier, from when to
-- when, and by when. until_at NULL: the current holder (one per dossier).
-- account_id NULL: the unit as a whole (the desk, the leader's inbox).
CREATE TABLE dossier_holder (
	dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
	n INTEGER NOT NULL,
	agency_code TEXT NOT NULL REFERENCES agency (code),
	account_id TEXT REFERENCES account (id),
	task TEXT NOT NULL,
	from_at TEXT NOT NULL,
	until_at TEXT,
	due_at TEXT,
	PRIMARY KEY (dossier_id, n)
);

-- Forms issued for a dossier (01-05), stored as blobs (blob.h).
CREATE TABLE dossier_form (
	dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
	form INTEGER NOT NULL,
	n INTEGER NOT NULL,
	blob_hash TEXT NOT NULL REFERENCES blob (hash),
	created_at TEXT NOT NULL,
	PRIMARY KEY (dossier_id, form, n)
);

-- Existing submitted dossiers: one open holder row, at the desk for new
-- ones, with the agency otherwise; finished ones get a closed row.
INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task, from_at, until_at,
	due_at)
SELECT id, 1, agency_code, NULL, stage, COALESCE(received_at, submitted_at),
	CASE WHEN status IN (3, 8, 9, 10) THEN COALESCE(finished_at, updated_at) ELSE NULL END,
	due_at
FROM dossier WHERE status > 0 AND submitted_at IS NOT NULL;
