-- 0011 (SQLite; the PostgreSQL twin is 0011_sync.postgres.sql): the change
-- counter behind the national sync export (src/domain/sync.h). Every
-- insert or update of a dossier takes the next number of sync_head into
-- dossier.change_seq, inside the same transaction; a reader that stored
-- the last number it saw gets every later change exactly once. SQLite has
-- one writer, so numbers commit in order.
CREATE TABLE sync_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n INTEGER NOT NULL
);
ALTER TABLE dossier ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
UPDATE dossier SET change_seq = s.rn
FROM (SELECT id, row_number() OVER (ORDER BY updated_at, id) AS rn FROM dossier) AS s
WHERE s.id = dossier.id;
-- The counter row appears with the first numbered dossier (so a fresh
-- database stays empty and can take a restore).
INSERT INTO sync_head (id, n) SELECT 1, MAX(change_seq) FROM dossier HAVING COUNT(*) > 0;
CREATE INDEX dossier_change ON dossier (change_seq);

-- A row inserted with its number (a restore, a copy between backends)
-- keeps it; sync_head comes back from the same backup.
CREATE TRIGGER dossier_change_insert AFTER INSERT ON dossier
WHEN NEW.change_seq = 0
BEGIN
	INSERT INTO sync_head (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1;
	UPDATE dossier SET change_seq = (SELECT n FROM sync_head WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER dossier_change_update AFTER UPDATE ON dossier
WHEN NEW.change_seq = OLD.change_seq
BEGIN
	INSERT INTO sync_head (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1;
	UPDATE dossier SET change_seq = (SELECT n FROM sync_head WHERE id = 1) WHERE id = NEW.id;
END;
