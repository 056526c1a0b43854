#!/usr/bin/env bash
# bench/stats.sh - the three read goals of the statistics issue on a large
# database: a dossier lookup by code (p99 goal 2 ms), the first page of an
# officer's queue (10 ms) and a year of statistics for the whole province
# (100 ms), each measured over HTTP on loopback twice: RUNS requests with
# curl, a new process and TCP connection each (so the numbers include the
# handshake), then KA_DURATION on one kept-alive connection with wrk and
# bench/reads.lua (the service time of a request), beside the server's own
# time per request from its access log.
#
# The data: build/bench-gen (bench/gen.c) writes N realistic dossiers
# (default 1,000,000; N=10000000 for the issue's size) over the five years
# ending today into a fresh `motcua init --demo --demo-dossiers 0` data
# directory, on SQLite or, with BACKEND=postgres, on a throw-away
# PostgreSQL cluster on 127.0.0.1 (scripts/pg-cluster.sh; stopped and
# removed on exit). Then one statistics round (`motcua stats rollup`,
# timed: the first round builds everything), and the server.
#
# Run:   make bench-gen && bench/stats.sh
# Knobs: BACKEND=sqlite|postgres  N=1000000  SEED=1  YEARS=5
#        RUNS=200 (curl requests per measure)  KA_DURATION=10s
#        KA_CODES=20000 (codes for the kept-alive lookups)
#        KEEP=1 keeps the data (and the
#        cluster's files; it is stopped)  TMPDIR where the data goes
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
BENCH_GEN=${BENCH_GEN:-$ROOT/build/bench-gen}
PGCTL=$ROOT/scripts/pg-cluster.sh
BACKEND=${BACKEND:-sqlite}
N=${N:-1000000}
SEED=${SEED:-1}
YEARS=${YEARS:-5}
RUNS=${RUNS:-200}
KEEP=${KEEP:-0}
HOST=127.0.0.1

die() {
	echo "bench: $*" >&2
	exit 1
}
case "$BACKEND" in
sqlite) DBTOOL=sqlite3 ;;
postgres) DBTOOL=psql ;;
*) die "BACKEND is sqlite or postgres, not '$BACKEND'" ;;
esac
WRK=${WRK:-/usr/bin/wrk}
for tool in "$MOTCUA" "$BENCH_GEN" "$DBTOOL" "$WRK" curl awk sort; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (make bench-gen)"
done

# REUSE=/tmp/motcua-bench-stats-XXXXXX (a directory kept by KEEP=1, with
# the same BACKEND): measure again on its data, without generating or
# rolling up; a kept PostgreSQL cluster is started again on its files.
REUSE=${REUSE:-}
if [ -n "$REUSE" ]; then
	case "$BACKEND" in
	sqlite) [ -f "$REUSE/data/motcua.db" ] || die "REUSE=$REUSE holds no kept SQLite run" ;;
	postgres) [ -f "$REUSE/pg/data/PG_VERSION" ] || die "REUSE=$REUSE holds no kept PostgreSQL run" ;;
	esac
	TMP=$REUSE
	KEEP=1
else
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench-stats-XXXXXX")
fi
# The PostgreSQL cluster runs as the postgres user when we are root: it
# must be able to reach its directory inside TMP.
chmod 711 "$TMP"
DIR=$TMP/data
PID=
PG_STARTED=0
cleanup() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	if [ "$PG_STARTED" = 1 ]; then "$PGCTL" stop "$TMP/pg" >/dev/null 2>&1 || true; fi
	if [ "$KEEP" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

if [ "$BACKEND" = postgres ]; then
	url=$("$PGCTL" start "$TMP/pg" | tail -1) || die "PostgreSQL did not start"
	PG_STARTED=1
	[ -n "$REUSE" ] || psql -q "$url" -c 'CREATE DATABASE bench' >/dev/null || die "CREATE DATABASE failed"
	export MOTCUA_DATABASE=${url%/*}/bench
fi
# q SQL: one query on the data directory's database, rows as text.
q() {
	if [ "$BACKEND" = postgres ]; then psql -At "$MOTCUA_DATABASE" -c "$1"; else sqlite3 "$DIR/motcua.db" "$1"; fi
}

if [ -z "$REUSE" ]; then
"$MOTCUA" init --data "$DIR" --demo --demo-dossiers 0 >/dev/null
echo "== generating $N dossiers ($BACKEND)"
t0=$(date +%s.%N)
# Ending yesterday (its 17:00 is bench-gen's "now"): the same data for the
# same day and seed. (With the default, today, bench-gen cuts at the clock,
# so nothing is stamped after the run either, but the data is not repeatable.)
"$BENCH_GEN" --data "$DIR" --dossiers "$N" --seed "$SEED" --years "$YEARS" \
	--end "$(TZ=Asia/Ho_Chi_Minh date -d yesterday +%F)"
t1=$(date +%s.%N)
echo "generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
if [ "$BACKEND" = postgres ]; then
	echo "database size: $(q "SELECT pg_size_pretty(pg_database_size(current_database()))")"
else
	echo "database size: $(du -sh "$DIR/motcua.db" | cut -f1) (+ WAL $(du -sh "$DIR/motcua.db-wal" 2>/dev/null | cut -f1))"
fi

echo "== first statistics round (builds every unit-day)"
t0=$(date +%s.%N)
"$MOTCUA" stats rollup --data "$DIR"
t1=$(date +%s.%N)
echo "rollup in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
echo "stats_day rows: $(q 'SELECT COUNT(*) FROM stats_day')"
# RUNS codes to look up, drawn at random from the generated ones.
q "SELECT code FROM dossier ORDER BY random() LIMIT $RUNS" >"$TMP/codes"
fi
mapfile -t CODES <"$TMP/codes"
[ "${#CODES[@]}" -gt 0 ] || die "no dossier codes"

PORT=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
: >"$TMP/access.log"
MOTCUA_ACCESS_LOG="$TMP/access.log" \
	"$MOTCUA" serve --data "$DIR" --listen "$HOST:$PORT" >"$TMP/serve.out" 2>"$TMP/serve.err" &
PID=$!
for _ in $(seq 100); do
	curl -fs "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
BASE=http://$HOST:$PORT

# p50 and p99 in ms of RUNS requests made by the function "$1" (which
# prints curl's time_total for request number $2).
# Also the server's CPU time per request (user + system, from
# /proc/PID/stat; the latencies swing with the machine's load, this much
# less) and the load average.
server_cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
measure() {
	local name=$1 fn=$2 c0 c1
	c0=$(server_cpu)
	for i in $(seq "$RUNS"); do "$fn" "$i"; done | sort -n >"$TMP/times"
	c1=$(server_cpu)
	awk -v name="$name" -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
		-v load="$(cut -d' ' -f1 /proc/loadavg)" '
		{ t[NR] = $1 * 1000 }
		END { p50 = t[int(NR * 0.5) + 1]; i = int(NR * 0.99) + 1; if (i > NR) i = NR;
		      printf "%-34s n=%d  p50 %.2f ms  p99 %.2f ms  server CPU %.2f ms/request  load %s\n",
		             name, NR, p50, t[i], 1000 * ticks / hz / NR, load }' "$TMP/times"
}

lookup() {
	local code=${CODES[$(((${1} - 1) % ${#CODES[@]}))]}
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
echo "status check: lookup $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/dossiers/${CODES[0]}/status")," \
	"queue $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/officer/dossiers?queue=processing")," \
	"stats $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/stats?period=2025")"
measure "lookup by code (goal 2 ms)" lookup
measure "officer queue, first page (10 ms)" queue
measure "a year for the province (100 ms)" year
# The same three on one kept-alive connection (wrk -t1 -c1, bench/reads.lua):
# a request's service time without a TCP handshake, over KA_DURATION and
# KA_CODES different codes; and the server's own time for each request
# (the access log's "us": from the first byte of the request to the last of
# the answer, inside the server).
KA_DURATION=${KA_DURATION:-10s}
KA_CODES=${KA_CODES:-20000}
if [ ! -s "$TMP/codes-ka" ]; then
	q "SELECT code FROM dossier WHERE status > 0 ORDER BY random() LIMIT $KA_CODES" >"$TMP/codes-ka"
fi
server_us() { # $1 = route; the access log's lines after line $2
	tail -n +"$(($2 + 1))" "$TMP/access.log" | grep -F "\"route\":\"$1\"" |
		sed -n 's/.*"us":\([0-9]*\).*/\1/p' | sort -n |
		awk '{ t[NR] = $1 }
		     END { if (!NR) exit; i = int(NR * 0.99) + 1; if (i > NR) i = NR
			   printf "server p50 %.2f ms  p99 %.2f ms", t[int(NR * 0.5) + 1] / 1000, t[i] / 1000 }'
}
measure_ka() { # $1 = name, $2 = route for the access log, then env for reads.lua
	local name=$1 route=$2 c0 c1 l0 res
	shift 2
	l0=$(wc -l <"$TMP/access.log")
	c0=$(server_cpu)
	res=$(env "$@" READ_CODES="$TMP/codes-ka" "$WRK" -t1 -c1 -d"$KA_DURATION" \
		-s "$ROOT/bench/reads.lua" "$BASE" | sed -n 's/^RESULT //p')
	c1=$(server_cpu)
	echo "$res" | awk -v name="$name" -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
		-v load="$(cut -d' ' -f1 /proc/loadavg)" -v srv="$(server_us "$route" "$l0")" '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END { printf "%-34s n=%d  p50 %.2f ms  p99 %.2f ms  (%s)  errors %d  server CPU %.2f ms/request  load %s\n",
		             name, v["n"], v["p50"], v["p99"], srv, v["non2xx"], 1000 * ticks / hz / v["n"], load }'
}
echo "== kept-alive connection, $KA_DURATION each (wrk -t1 -c1, $(wc -l <"$TMP/codes-ka") codes)"
# The machine's floor: /healthz answers on the I/O thread, with no worker
# and no database; what any request pays for the loopback round trip and
# the wake-ups of wrk and of libmicrohttpd's thread.
measure_ka "floor: /healthz (I/O thread only)" "/healthz" READ_KIND=get READ_PATH=/healthz
measure_ka "lookup by code (goal 2 ms)" "/api/v1/dossiers/{code}/status" READ_KIND=lookup
measure_ka "officer queue, first page (10 ms)" "/api/v1/officer/dossiers" READ_KIND=get \
	READ_PATH="/api/v1/officer/dossiers?queue=processing" READ_TOKEN="$TOKEN"
measure_ka "a year for the province (100 ms)" "/api/v1/stats" READ_KIND=get \
	READ_PATH="/api/v1/stats?period=2025"
echo "received in 2025: $(curl -s "$BASE/api/v1/stats?period=2025" | sed -n 's/.*"total":{"received":\([0-9]*\).*/\1/p')"
