-- 0011: finding an audit entry by its hash (GET /api/v1/audit/{hash},
-- motcua audit show HASH): the hash a citizen's lookup page shows is the
-- key anyone may later check, so that lookup must not scan the whole log.
CREATE INDEX audit_log_hash ON audit_log (hash);
