#!/usr/bin/env bash
# bench/stats.sh - the three read goals of the statistics issue on a large
# database: a dossier lookup by code (p99 goal 2 ms), the first page of an
# officer's queue (10 ms) and a year of statistics for the whole province
# (100 ms), each measured over HTTP on loopback with curl (so the numbers
# include the HTTP round trip).
#
# bench/gen (a generator of realistic dossiers for either backend) is not on
# this branch yet, so this script has its own generator, in SQL, for SQLite:
# N dossiers (default 1,000,000; N=10000000 for the issue's size) spread
# evenly over the demo's 145 units and 2,120 procedures and over five years
# (2022-01-01 .. 2026-12-31, one new dossier every few minutes), with the
# shares: 60 % online, 20 % in person, 20 % by post; 60 % returned, 10 %
# done, 10 % with a specialist (open), 10 % refused, 10 % stopped; due 10
# days after submission, ended 0-14 days after it (so about a third late);
# one dossier in 7 with one supplement, one in 23 with two. Then one
# statistics round (`motcua stats rollup`, timed: the first round builds
# everything), and the server.
#
# Run:   bench/stats.sh            (after 'make')
# Knobs: N=1000000  RUNS=200 (requests per measure)  KEEP=1 keeps the data
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
N=${N:-1000000}
RUNS=${RUNS:-200}
KEEP=${KEEP:-0}
HOST=127.0.0.1

die() {
	echo "bench: $*" >&2
	exit 1
}
for tool in "$MOTCUA" sqlite3 curl awk sort; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

DIR=$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench-stats-XXXXXX")
PID=
cleanup() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	if [ "$KEEP" = 1 ]; then echo "bench: kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT INT TERM

"$MOTCUA" init --data "$DIR" --demo >/dev/null
DB=$DIR/motcua.db
NP=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM procedure')
NA=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM agency')
echo "== generating $N dossiers into $DB"
t0=$(date +%s.%N)
sqlite3 "$DB" <<SQL
PRAGMA synchronous = OFF;
CREATE TEMP TABLE p (i INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO p (i, code) SELECT row_number() OVER (ORDER BY code) - 1, code FROM procedure;
CREATE TEMP TABLE a (i INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO a (i, code) SELECT row_number() OVER (ORDER BY code) - 1, code FROM agency;
CREATE TEMP TABLE g AS
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < $N)
SELECT k,
	datetime('2022-01-01 07:30:00', '+' || (k * 157680000 / $N) || ' seconds') AS sub,
	CASE k % 10 WHEN 7 THEN 'assigned' WHEN 8 THEN 'refused' WHEN 9 THEN 'stopped'
		WHEN 6 THEN 'done' ELSE 'returned' END AS stage
FROM n;
INSERT INTO dossier (id, code, procedure_code, agency_code, status, stage, channel, applicant,
	created_at, updated_at, submitted_at, received_at, due_at, finished_at, supplements)
SELECT 'bench-' || k,
	'BEN.00.00.H43-' || printf('%06d', k / 10000) || '-' || printf('%04d', k % 10000),
	(SELECT code FROM p WHERE i = k % $NP),
	(SELECT code FROM a WHERE i = (k * 7) % $NA),
	CASE stage WHEN 'assigned' THEN 4 WHEN 'refused' THEN 3 WHEN 'stopped' THEN 8
		WHEN 'done' THEN 9 ELSE 10 END,
	stage,
	CASE WHEN k % 5 < 3 THEN 2 WHEN k % 5 = 3 THEN 1 ELSE 3 END,
	'{"name":"Nguyễn Văn Bench"}', sub,
	CASE WHEN stage = 'assigned' THEN sub ELSE datetime(sub, '+' || (k % 15) || ' days') END,
	sub, sub, datetime(date(sub, '+10 days'), '+17 hours'),
	CASE WHEN stage = 'assigned' THEN NULL ELSE datetime(sub, '+' || (k % 15) || ' days') END,
	CASE WHEN k % 23 = 0 THEN 2 WHEN k % 7 = 0 THEN 1 ELSE 0 END
FROM g;
ANALYZE;
SQL
t1=$(date +%s.%N)
echo "generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"

echo "== first statistics round (builds every unit-day)"
t0=$(date +%s.%N)
"$MOTCUA" stats rollup --data "$DIR"
t1=$(date +%s.%N)
echo "rollup in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
echo "stats_day rows: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM stats_day')"

PORT=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
"$MOTCUA" serve --data "$DIR" --listen "$HOST:$PORT" >"$DIR/serve.out" 2>"$DIR/serve.err" &
PID=$!
for _ in $(seq 100); do
	curl -fs "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
BASE=http://$HOST:$PORT

# p50 and p99 in ms of RUNS requests made by the function "$1" (which
# prints curl's time_total for request number $2).
measure() {
	local name=$1 fn=$2
	for i in $(seq "$RUNS"); do "$fn" "$i"; done | sort -n | awk -v name="$name" '
		{ t[NR] = $1 * 1000 }
		END { p50 = t[int(NR * 0.5) + 1]; i = int(NR * 0.99) + 1; if (i > NR) i = NR;
		      printf "%-34s n=%d  p50 %.2f ms  p99 %.2f ms\n", name, NR, p50, t[i] }'
}

lookup() {
	local k=$(((RANDOM * 32768 + RANDOM) % N))
	local code
	code=$(printf 'BEN.00.00.H43-%06d-%04d' $((k / 10000)) $((k % 10000)))
	# A different (loopback-trusted) client address each time: the public
	# lookup budget is per address.
	curl -s -o /dev/null -w '%{time_total}\n' -H "X-Real-IP: 10.9.$((${1} / 250)).$((${1} % 250))" \
		"$BASE/api/v1/dossiers/$code/status"
}

LOGIN=$(awk -F'\t' '$3 == "desk" && $4 == "so-tu-phap" { print $1; exit }' "$DIR/demo-accounts.tsv")
PASS=$(awk -F'\t' '$3 == "desk" && $4 == "so-tu-phap" { print $2; exit }' "$DIR/demo-accounts.tsv")
TOKEN=$(curl -s -H 'Content-Type: application/json' \
	-d "{\"login\":\"$LOGIN\",\"password\":\"$PASS\"}" "$BASE/api/v1/tokens" |
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || die "no API token for $LOGIN"
queue() {
	curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
		"$BASE/api/v1/officer/dossiers?queue=processing"
}

year() {
	curl -s -o /dev/null -w '%{time_total}\n' "$BASE/api/v1/stats?period=2025"
}

echo "== $RUNS requests each (HTTP on loopback, curl)"
echo "status check: lookup $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/dossiers/BEN.00.00.H43-000000-0001/status")," \
	"queue $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/officer/dossiers?queue=processing")," \
	"stats $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/stats?period=2025")"
measure "lookup by code (goal 2 ms)" lookup
measure "officer queue, first page (10 ms)" queue
measure "a year for the province (100 ms)" year
echo "received in 2025: $(curl -s "$BASE/api/v1/stats?period=2025" | sed -n 's/.*"total":{"received":\([0-9]*\).*/\1/p')"
