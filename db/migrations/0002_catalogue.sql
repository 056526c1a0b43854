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

-- Procedures: the whole national record is kept as one JSON document in our
-- catalogue format (src/domain/procedure.h, docs/catalogue.md), which the
-- procedure page renders and export writes back; the columns beside it are
-- what lists, filters and search need.
ALTER TABLE procedure ADD COLUMN levels TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN service_level TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN ministry TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN generated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE procedure ADD COLUMN record TEXT NOT NULL DEFAULT '{}';
ALTER TABLE procedure ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';

-- Which agencies carry a procedure out in this province.
CREATE TABLE procedure_agency (
	procedure_code TEXT NOT NULL REFERENCES procedure (code) ON DELETE CASCADE,
	agency_code TEXT NOT NULL REFERENCES agency (code),
	PRIMARY KEY (procedure_code, agency_code)
);
CREATE INDEX procedure_agency_agency ON procedure_agency (agency_code);
