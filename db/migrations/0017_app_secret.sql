-- 0017: secrets the whole deployment shares, kept in the database so that
-- every node behind the balancer uses the same value and a backup carries
-- it (motcua backup / restore copy every table). First use: the key of the
-- public payment-receipt verification (payverify.c), made by the first
-- node that starts. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE app_secret (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	created_at TEXT NOT NULL
);
