-- 0003: the year's official schedule as the admin enters it: each row makes
-- a date a day off (working = 0: a swap day, an extra holiday) or a working
-- day (working = 1: a Saturday worked, a default holiday cancelled), and
-- wins over the rules computed from the Labour Code for that date.
CREATE TABLE calendar_day (
	date TEXT PRIMARY KEY,
	working INTEGER NOT NULL CHECK (working IN (0, 1)),
	name TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL DEFAULT ''
);
