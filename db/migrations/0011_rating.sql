-- 0011: satisfaction ratings (đánh giá mức độ hài lòng, Circular 01/2018/TT-VPCP
-- art. 13; src/domain/rating.h). One rating per dossier, by its applicant,
-- once the result is returned (status 10): the primary key makes a second
-- one, even a concurrent one, fail. Each index is 0 (poor), 1 (acceptable)
-- or 2 (good). The agency's officers may answer the comment once; the
-- answer is seen by the applicant and the agency only.
CREATE TABLE rating (
	dossier_id TEXT PRIMARY KEY REFERENCES dossier (id) ON DELETE CASCADE,
	account_id TEXT NOT NULL REFERENCES account (id),
	agency_code TEXT NOT NULL REFERENCES agency (code),
	time_score INTEGER NOT NULL CHECK (time_score BETWEEN 0 AND 2),
	contacts_score INTEGER NOT NULL CHECK (contacts_score BETWEEN 0 AND 2),
	attitude_score INTEGER NOT NULL CHECK (attitude_score BETWEEN 0 AND 2),
	online_score INTEGER NOT NULL CHECK (online_score BETWEEN 0 AND 2),
	overall_score INTEGER NOT NULL CHECK (overall_score BETWEEN 0 AND 2),
	comment TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	answer TEXT,
	answered_by TEXT REFERENCES account (id),
	answered_at TEXT
);
CREATE INDEX rating_agency ON rating (agency_code, created_at);
