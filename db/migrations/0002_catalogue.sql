-- 0002: the procedure catalogue as the national procedure database records it
-- (Decree 63/2010 art. 8) and agencies as a tree that changes over time.
-- Portable SQL (SQLite and PostgreSQL).

-- Agencies: the national identifier code (V1V2V3.Z1Z2.Y1Y2.MX1X2) is data an
-- admin sets, never computed; units merge, so each has validity dates and
-- a successor.
ALTER TABLE agency ADD COLUMN identifier TEXT;
ALTER TABLE agency ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN valid_from TEXT;
ALTER TABLE agency ADD COLUMN valid_to TEXT;
ALTER TABLE agency ADD COLUMN successor_code TEXT REFERENCES agency (code);
CREATE UNIQUE INDEX agency_identifier ON agency (identifier);
CREATE INDEX agency_parent ON agency (parent_code);

-- Procedures: every field of the national record. Long texts stay text;
-- repeated parts (methods, documents, legal basis, agencies) get tables.
ALTER TABLE procedure ADD COLUMN decision TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN levels TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN applicants TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN steps TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN implementing TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN competent TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN delegated TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN coordinating TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN result_code TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN service_level TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN generated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE procedure ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';

CREATE TABLE procedure_method (
	procedure_code TEXT NOT NULL REFERENCES procedure (code) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	channel TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'post')),
	time_value TEXT NOT NULL DEFAULT '',
	time_unit TEXT NOT NULL DEFAULT '',
	fee_text TEXT NOT NULL DEFAULT '',
	fee_amount INTEGER,
	description TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (procedure_code, seq)
);

CREATE TABLE procedure_document (
	procedure_code TEXT NOT NULL REFERENCES procedure (code) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	case_name TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL,
	originals INTEGER NOT NULL DEFAULT 0,
	copies INTEGER NOT NULL DEFAULT 0,
	template TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (procedure_code, seq)
);

CREATE TABLE procedure_legal (
	procedure_code TEXT NOT NULL REFERENCES procedure (code) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	number TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL,
	PRIMARY KEY (procedure_code, seq)
);

-- Which agencies carry a procedure out in this province.
CREATE TABLE procedure_agency (
	procedure_code TEXT NOT NULL REFERENCES procedure (code) ON DELETE CASCADE,
	agency_code TEXT NOT NULL REFERENCES agency (code),
	PRIMARY KEY (procedure_code, agency_code)
);
CREATE INDEX procedure_agency_agency ON procedure_agency (agency_code);
