-- 0011 (PostgreSQL; the SQLite twin is 0011_sync.sqlite.sql): the change
-- counter behind the national sync export (src/domain/sync.h). Every
-- insert or update of a dossier takes the next number of sync_head into
-- dossier.change_seq, inside the same transaction. Updating the one
-- sync_head row locks it until commit (as audit_head does), so numbers
-- commit in order even with several nodes: a reader that stored the last
-- number it saw gets every later change exactly once.
CREATE TABLE sync_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n BIGINT NOT NULL
);
ALTER TABLE dossier ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
UPDATE dossier SET change_seq = s.rn
FROM (SELECT id, row_number() OVER (ORDER BY updated_at, id) AS rn FROM dossier) AS s
WHERE s.id = dossier.id;
-- The counter row appears with the first numbered dossier (so a fresh
-- database stays empty and can take a restore).
INSERT INTO sync_head (id, n) SELECT 1, MAX(change_seq) FROM dossier HAVING COUNT(*) > 0;
CREATE INDEX dossier_change ON dossier (change_seq);

CREATE FUNCTION dossier_change_seq() RETURNS trigger AS $$
BEGIN
	-- A row inserted with its number (a restore, a copy between backends)
	-- keeps it; sync_head comes back from the same backup.
	IF TG_OP = 'INSERT' AND NEW.change_seq > 0 THEN
		RETURN NEW;
	END IF;
	INSERT INTO sync_head (id, n) VALUES (1, 1)
	ON CONFLICT (id) DO UPDATE SET n = sync_head.n + 1
	RETURNING n INTO NEW.change_seq;
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dossier_change BEFORE INSERT OR UPDATE ON dossier
FOR EACH ROW EXECUTE FUNCTION dossier_change_seq();
