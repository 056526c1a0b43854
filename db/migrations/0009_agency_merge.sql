-- 0009: merging agencies (sáp nhập đơn vị), as in the 2025 reorganisation
-- (communes merged, districts abolished). Portable SQL (SQLite and
-- PostgreSQL).

-- A merged agency stays as a row, so old dossiers, statistics and dossier
-- codes keep its name: successor_code (0002) names the agency it was merged
-- into, valid_to ends its life the day before the merge, and merged_at
-- (Vietnam time, 'YYYY-MM-DD HH:MM:SS') says that `motcua agencies merge`
-- moved its procedures, officers and open dossiers. NULL: never merged
-- (a successor_code without merged_at is only declared by an import).
ALTER TABLE agency ADD COLUMN merged_at TEXT;

-- The agency that received a dossier, never changed by a merge (agency_code
-- is the agency handling it now): statistics keep history by the old
-- units. Set with agency_code when a dossier is created.
ALTER TABLE dossier ADD COLUMN origin_agency_code TEXT REFERENCES agency (code);
UPDATE dossier SET origin_agency_code = agency_code;
CREATE INDEX dossier_origin_agency ON dossier (origin_agency_code, status);
