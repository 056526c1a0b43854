-- 0014: statistics complete and fast (src/domain/stats.h,
-- docs/statistics.md): satisfaction ratings in the counters, a month x unit
-- level for whole-month periods without a field filter, and the indexes the
-- rollup needs to notice new ratings and payments.

-- Ratings (mức độ hài lòng) count on the day the rating was made: how many,
-- and how many not rated "poor" overall (overall_score > 0).
ALTER TABLE stats_day ADD COLUMN rated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_day ADD COLUMN satisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_month ADD COLUMN rated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_month ADD COLUMN satisfied INTEGER NOT NULL DEFAULT 0;

-- The counters per month and unit, summed from stats_month whenever one of
-- the unit's months is rebuilt: a year of the whole province is 12 rows per
-- unit (1,740 for 145 units) whatever the number of dossiers or fields.
CREATE TABLE stats_unit_month (
	month TEXT NOT NULL,
	agency_code TEXT NOT NULL,
	received INTEGER NOT NULL DEFAULT 0,
	recv_desk INTEGER NOT NULL DEFAULT 0,
	recv_online INTEGER NOT NULL DEFAULT 0,
	recv_post INTEGER NOT NULL DEFAULT 0,
	digitised INTEGER NOT NULL DEFAULT 0,
	supplemented INTEGER NOT NULL DEFAULT 0,
	open_ok INTEGER NOT NULL DEFAULT 0,
	open_overdue INTEGER NOT NULL DEFAULT 0,
	finished INTEGER NOT NULL DEFAULT 0,
	early INTEGER NOT NULL DEFAULT 0,
	on_time INTEGER NOT NULL DEFAULT 0,
	late INTEGER NOT NULL DEFAULT 0,
	returned INTEGER NOT NULL DEFAULT 0,
	refused INTEGER NOT NULL DEFAULT 0,
	withdrawn INTEGER NOT NULL DEFAULT 0,
	stopped INTEGER NOT NULL DEFAULT 0,
	fee_due INTEGER NOT NULL DEFAULT 0,
	paid_online INTEGER NOT NULL DEFAULT 0,
	rated INTEGER NOT NULL DEFAULT 0,
	satisfied INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, agency_code)
);

-- Ratings and payments do not move dossier.updated_at: the rollup reads
-- those made since its last round by these.
CREATE INDEX rating_created ON rating (created_at);
CREATE INDEX payment_recorded ON payment (recorded_at);

-- Officer queues (backoffice.c bo_queue_counts / bo_queue_page): only the
-- open dossiers of a unit, in the page's keyset order (due date, else
-- submission time, then id), with every column the counts read, so neither
-- query touches the unit's finished dossiers (most of them) nor the table.
-- The queries repeat this WHERE term word for word (SQLite uses a partial
-- index only then).
CREATE INDEX dossier_open_queue ON dossier (agency_code, (COALESCE(due_at, submitted_at)), id,
	stage, status, due_at, assignee_id) WHERE stage NOT IN ('returned', 'refused', 'stopped');
