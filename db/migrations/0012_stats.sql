-- 0012: public statistics and the Decision 766/QĐ-TTg index
-- (src/domain/stats.h, docs/statistics.md). Portable SQL (SQLite and
-- PostgreSQL); days are text 'YYYY-MM-DD', times 'YYYY-MM-DD HH:MM:SS',
-- Vietnam time.

-- The rollup job finds what changed since its watermark by updated_at
-- (every back-office move sets it), and open dossiers that became overdue
-- since its last round by due_at. The per-day re-aggregation reads a
-- unit's dossiers of one day by reception and by end.
CREATE INDEX dossier_updated ON dossier (updated_at);
CREATE INDEX dossier_stage_due ON dossier (stage, due_at);
CREATE INDEX dossier_agency_submitted ON dossier (agency_code, submitted_at);
CREATE INDEX dossier_agency_finished ON dossier (agency_code, finished_at);

-- Counters per day, unit and procedure (field and level come from the
-- procedure and the unit at query time). A dossier counts on the day it
-- was submitted for received / channel / digitised / supplemented / open_*
-- and on the day it ended (finished_at) for the outcomes. open_ok and
-- open_overdue are as of the round that wrote the row (at).
CREATE TABLE stats_day (
	day TEXT NOT NULL,
	agency_code TEXT NOT NULL,
	procedure_code TEXT NOT NULL,
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
	at TEXT NOT NULL,
	PRIMARY KEY (day, agency_code, procedure_code)
);
CREATE INDEX stats_day_agency ON stats_day (agency_code, day);

-- The same counters per month, unit and field, summed from stats_day by
-- the job whenever one of the month's days is rebuilt: whole-month periods
-- (a month, a quarter, a year) without a procedure filter read these, a
-- few rows per unit and month instead of one per day and procedure.
-- field_code '' for procedures without a field.
CREATE TABLE stats_month (
	month TEXT NOT NULL,
	agency_code TEXT NOT NULL,
	field_code TEXT NOT NULL,
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
	PRIMARY KEY (month, agency_code, field_code)
);

-- Where each dossier was last counted (unit, reception day, end day), so a
-- transfer to another unit or a new end day re-aggregates the old keys too.
CREATE TABLE stats_seen (
	dossier_id TEXT PRIMARY KEY,
	agency_code TEXT NOT NULL,
	recv_day TEXT,
	end_day TEXT
);

-- The job's state: 'watermark' (the last updated_at taken in) and 'now'
-- (when the last round ran), and domain gauges for /metrics computed by the
-- job (name, label): overdue open dossiers per unit, outbox backlog.
CREATE TABLE stats_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE stats_gauge (
	name TEXT NOT NULL,
	label TEXT NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (name, label)
);

-- Targets (chỉ tiêu) the province sets per unit and year: metric is one of
-- on_time_rate, online_rate, digitisation_rate, online_payment_rate,
-- satisfaction_rate (percent) or index (points of 100). Audited.
CREATE TABLE stats_target (
	agency_code TEXT NOT NULL REFERENCES agency (code),
	year INTEGER NOT NULL,
	metric TEXT NOT NULL,
	value INTEGER NOT NULL, -- hundredths: 8550 is 85.50
	set_by TEXT NOT NULL,
	set_at TEXT NOT NULL,
	PRIMARY KEY (agency_code, year, metric)
);

-- Criteria the portal cannot observe (transparency: procedures published
-- on time, at the desk and on the portal), entered by the province per
-- unit and month as a percentage 0-100. Audited.
CREATE TABLE stats_input (
	agency_code TEXT NOT NULL REFERENCES agency (code),
	month TEXT NOT NULL,
	metric TEXT NOT NULL,
	value INTEGER NOT NULL, -- hundredths: 8550 is 85.50
	set_by TEXT NOT NULL,
	set_at TEXT NOT NULL,
	PRIMARY KEY (agency_code, month, metric)
);
