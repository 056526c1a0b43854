-- 0001: the first tables of the portal. Portable SQL: it runs unchanged on
-- SQLite and PostgreSQL (TEXT and INTEGER only; keys chosen by the
-- application, no auto-increment syntax).

-- Fields (lĩnh vực) group procedures on the portal's pages.
CREATE TABLE field (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	sort INTEGER NOT NULL DEFAULT 0
);

-- Agencies (cơ quan): the province People's Committee, departments,
-- district and commune committees. Extended by the catalogue migrations.
CREATE TABLE agency (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('province', 'department', 'district', 'commune', 'unit')),
	parent_code TEXT REFERENCES agency (code)
);

-- Procedures (thủ tục hành chính). Extended by the catalogue migrations.
CREATE TABLE procedure (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	field_code TEXT REFERENCES field (code),
	published INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX procedure_field ON procedure (field_code, published);

-- Feedback (góp ý) that people send about the portal itself.
CREATE TABLE feedback (
	ref TEXT PRIMARY KEY,
	created_at TEXT NOT NULL,
	name TEXT NOT NULL,
	contact TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	lang TEXT NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at);
