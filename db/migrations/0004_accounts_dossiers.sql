-- 0004: accounts and sessions, dossiers (hồ sơ) with their files, the daily
-- dossier-code counter, mail waiting to be sent and job leases. Portable SQL
-- (SQLite and PostgreSQL). Times are text: 'YYYY-MM-DD HH:MM:SS' in Vietnam
-- time (UTC+7) unless a column says it holds Unix seconds.

-- People and organisations who sign in: citizens (công dân), businesses
-- (doanh nghiệp) and officers (cán bộ). roles holds the role bits of
-- src/http/router.h; agency_code scopes officers, leaders and agency admins.
CREATE TABLE account (
	id TEXT PRIMARY KEY,
	login TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('citizen', 'business', 'officer')),
	roles INTEGER NOT NULL DEFAULT 0,
	agency_code TEXT REFERENCES agency (code),
	full_name TEXT NOT NULL,
	id_number TEXT,
	birth_date TEXT,
	gender TEXT,
	tax_code TEXT,
	representative TEXT,
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	consent_at TEXT,
	created_at TEXT NOT NULL,
	closed_at TEXT
);
CREATE UNIQUE INDEX account_id_number ON account (id_number);
CREATE UNIQUE INDEX account_tax_code ON account (tax_code);
CREATE INDEX account_agency ON account (agency_code);

-- Browser sessions and API tokens. Only a SHA-256 of the token is stored.
-- expires_at is the absolute end; last_seen drives the idle timeout and is
-- refreshed at most every few minutes. Times in Unix seconds.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('web', 'api')),
	label TEXT NOT NULL DEFAULT '',
	csrf TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_account ON session (account_id);

-- Counters with a window, shared by every node: failed logins per account
-- and per address, lookups per address. Unix seconds.
CREATE TABLE throttle (
	key TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL,
	count INTEGER NOT NULL
);

-- One-time links for password reset (hash of the token only).
CREATE TABLE password_reset (
	token_hash TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
);

-- Mail waiting to be sent by the mail job (one node at a time, job_lease).
CREATE TABLE mail_outbox (
	id TEXT PRIMARY KEY,
	to_addr TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	sent_at INTEGER,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, created_at);

-- Background jobs run on one node at a time: the holder renews its lease.
CREATE TABLE job_lease (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL DEFAULT '',
	expires_at INTEGER NOT NULL DEFAULT 0
);

-- Uploaded files, content-addressed by SHA-256 (hex). With SQLite the bytes
-- live in DIR/blobs/; with PostgreSQL in blob_chunk rows (base64, at most
-- 1 MiB of bytes each) so that every node can serve them.
CREATE TABLE blob (
	hash TEXT PRIMARY KEY,
	size INTEGER NOT NULL,
	mime TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE blob_chunk (
	hash TEXT NOT NULL REFERENCES blob (hash) ON DELETE CASCADE,
	n INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (hash, n)
);

-- The daily dossier-code counter: one row per agency and receipt day,
-- incremented inside the dossier's own transaction (gapless).
CREATE TABLE dossier_seq (
	agency_code TEXT NOT NULL REFERENCES agency (code),
	day TEXT NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (agency_code, day)
);

-- Dossiers. A draft (status 0) has no code yet; on submission it gets its
-- code and status 1 (new). Status codes are the national portal's 1-10.
-- Channel: 1 in person, 2 online, 3 post. applicant is a JSON snapshot of
-- the applicant's data at submission (name, id number, birth date, phone,
-- email, address, tax code, representative).
CREATE TABLE dossier (
	id TEXT PRIMARY KEY,
	code TEXT UNIQUE,
	procedure_code TEXT NOT NULL REFERENCES procedure (code),
	agency_code TEXT NOT NULL REFERENCES agency (code),
	account_id TEXT REFERENCES account (id),
	status INTEGER NOT NULL DEFAULT 0,
	channel INTEGER NOT NULL DEFAULT 2,
	applicant TEXT NOT NULL DEFAULT '{}',
	return_method TEXT NOT NULL DEFAULT 'online'
		CHECK (return_method IN ('online', 'desk', 'post')),
	return_address TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	submitted_at TEXT,
	due_at TEXT,
	finished_at TEXT
);
CREATE INDEX dossier_account ON dossier (account_id, created_at);
CREATE INDEX dossier_agency ON dossier (agency_code, status);

-- The files of a dossier: slot is the index of the required document in
-- the procedure's record (-1 for an extra file).
CREATE TABLE dossier_file (
	id TEXT PRIMARY KEY,
	dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
	slot INTEGER NOT NULL,
	name TEXT NOT NULL,
	blob_hash TEXT NOT NULL REFERENCES blob (hash),
	size INTEGER NOT NULL,
	mime TEXT NOT NULL,
	uploaded_at TEXT NOT NULL
);
CREATE INDEX dossier_file_dossier ON dossier_file (dossier_id, slot);

-- What happened to a dossier, in order: the public timeline of the lookup
-- page and the base of the audit trail.
CREATE TABLE dossier_event (
	dossier_id TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
	n INTEGER NOT NULL,
	at TEXT NOT NULL,
	account_id TEXT REFERENCES account (id),
	action TEXT NOT NULL,
	status_from INTEGER NOT NULL,
	status_to INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (dossier_id, n)
);
