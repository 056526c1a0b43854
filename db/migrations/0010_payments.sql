-- 0010: fees and payments (phí, lệ phí và thanh toán). Portable SQL.
-- Times are 'YYYY-MM-DD HH:MM:SS' in Vietnam time unless a column says it
-- holds Unix seconds; amounts are whole đồng.

-- The account an agency collects fees into (tài khoản thu phí): shown to
-- applicants with a VietQR code. bin is the bank's NAPAS BIN.
CREATE TABLE agency_bank (
	agency_code TEXT PRIMARY KEY REFERENCES agency (code),
	bin TEXT NOT NULL,
	account TEXT NOT NULL,
	account_name TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL
);

-- The fee a dossier owes (nghĩa vụ tài chính), set by an officer; purpose is
-- what the applicant writes in the transfer (the dossier code), so that a
-- statement line names its dossier.
CREATE TABLE dossier_fee (
	dossier_id TEXT PRIMARY KEY REFERENCES dossier (id) ON DELETE CASCADE,
	amount INTEGER NOT NULL CHECK (amount > 0),
	purpose TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'owed' CHECK (status IN ('owed', 'paid')),
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	paid_at TEXT
);
CREATE INDEX dossier_fee_status ON dossier_fee (status);

-- Money received for a fee, however it came: a bank statement line, an
-- officer who saw it paid, or the payment gateway. (source, reference) is
-- unique, so one bank line or one gateway transaction counts once;
-- receipt_no numbers the electronic receipt (biên lai điện tử).
CREATE TABLE payment (
	id TEXT PRIMARY KEY,
	dossier_id TEXT NOT NULL REFERENCES dossier (id),
	source TEXT NOT NULL CHECK (source IN ('qr-statement', 'officer', 'gateway')),
	amount INTEGER NOT NULL CHECK (amount > 0),
	reference TEXT NOT NULL,
	paid_at TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	receipt_no TEXT NOT NULL UNIQUE,
	UNIQUE (source, reference)
);
CREATE INDEX payment_dossier ON payment (dossier_id);

-- Nonces of gateway callbacks already seen (Unix seconds), so that a
-- replayed callback is refused; rows older than the accepted clock skew
-- are deleted as new ones arrive.
CREATE TABLE payment_nonce (
	nonce TEXT PRIMARY KEY,
	seen_at INTEGER NOT NULL
);
