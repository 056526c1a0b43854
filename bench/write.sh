#!/usr/bin/env bash
# bench/write.sh - the write path: POST /gop-y (feedback form) under wrk.
#
# On loopback (127.0.0.1) only: makes a throw-away data directory
# (motcua init --demo), starts `motcua serve` with the access log to a file,
# then runs wrk with bench/write.lua, which fetches a CSRF cookie and token
# with GET /gop-y and then posts valid forms (each answered 303 after the
# row is committed). Every POST goes through a worker thread and the single
# SQLite writer (WAL, synchronous=FULL) with group commit; /metrics is read
# before and after the measured run to report the average batch size
# (motcua_db_writes_total / motcua_db_commits_total) and its histogram.
# The server is stopped on exit, Ctrl-C or failure.
#
# Run:   bench/write.sh              (after 'make')
# Knobs (environment):
#   DURATION=10s  CONNECTIONS=64  THREADS=2  WARMUP=2s   wrk settings
#   WORKERS=      motcua worker threads (default: its own, 2 x cores)
#   MOTCUA=build/motcua  WRK=/usr/bin/wrk  KEEP=1 keeps the temp dir
#   DATA_PARENT=  where the temp dir goes (default $TMPDIR or /tmp); fsync
#                 cost depends on that filesystem, so it is printed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
WRK=${WRK:-/usr/bin/wrk}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
WORKERS=${WORKERS:-}
KEEP=${KEEP:-0}
HOST=127.0.0.1
LUA=$ROOT/bench/write.lua

die() {
	echo "bench: $*" >&2
	exit 1
}
for tool in "$MOTCUA" "$WRK" curl awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (build with 'make', or install it)"
done
case "$DURATION$WARMUP" in
*[!0-9smh]*) die "DURATION and WARMUP are like 10s, 2s or 1m" ;;
esac

TMP=$(mktemp -d "${DATA_PARENT:-${TMPDIR:-/tmp}}/motcua-write.XXXXXX")
PID=
cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -TERM "$PID" 2>/dev/null || true
		for ((i = 0; i < 100; i++)); do
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	if [ "$KEEP" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=
for ((i = 0; i < 50; i++)); do
	p=$((20000 + RANDOM % 30000))
	if ! (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then
		port=$p
		break
	fi
done
[ -n "$port" ] || die "no free port found"

# A private copy: 'make' in another terminal may relink build/motcua mid-run.
for ((i = 0; i < 20; i++)); do
	cp "$MOTCUA" "$TMP/motcua.bin" 2>/dev/null && "$TMP/motcua.bin" version >/dev/null 2>&1 && break
	sleep 1 # being relinked
done
"$TMP/motcua.bin" version >/dev/null 2>&1 || die "$MOTCUA does not run"
MOTCUA_SRC=$MOTCUA
MOTCUA=$TMP/motcua.bin
DATA=$TMP/data
"$MOTCUA" init --data "$DATA" --demo >"$TMP/init.log" 2>&1 || {
	cat "$TMP/init.log" >&2
	die "motcua init failed"
}
env MOTCUA_ACCESS_LOG="$TMP/access.log" ${WORKERS:+MOTCUA_WORKERS=$WORKERS} \
	"$MOTCUA" serve --data "$DATA" --listen "$HOST:$port" >"$TMP/motcua.out" 2>&1 &
PID=$!
for ((i = 0; i < 100; i++)); do
	kill -0 "$PID" 2>/dev/null || break
	curl -fsS -o /dev/null --max-time 1 "http://$HOST:$port/healthz" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "http://$HOST:$port/healthz" || {
	tail -20 "$TMP/motcua.out" >&2
	die "motcua did not answer /healthz"
}
BASE=http://$HOST:$port

# One post by hand first, so a broken form fails loudly before wrk runs.
jar=$TMP/cookies
form=$(curl -fsS -c "$jar" "$BASE/gop-y")
tok=$(sed -n 's/.*name="csrf" value="\([0-9a-f]\{64\}\)".*/\1/p' <<<"$form" | head -1)
[ -n "$tok" ] || die "no csrf token in GET /gop-y"
code=$(curl -sS -b "$jar" -o /dev/null -w '%{http_code}' \
	--data-urlencode "csrf=$tok" --data-urlencode "name=Nguyễn Văn Thử" \
	--data-urlencode "contact=0912345678" --data-urlencode "subject=Góp ý kiểm tra" \
	--data-urlencode "body=Nội dung kiểm tra trước khi đo." "$BASE/gop-y")
[ "$code" = 303 ] || die "POST /gop-y answered $code, not 303"

# metric NAME [LABELS]: the value of one sample in /metrics.
metrics() { curl -fsS "$BASE/metrics"; }
sample() {
	awk -v k="$1" '$1 == k { print $2; exit }' <<<"$2"
}

echo "== POST /gop-y: $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up + $DURATION"
"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$BASE/gop-y" >/dev/null
m0=$(metrics)
cmd=("$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$BASE/gop-y")
"${cmd[@]}" >"$TMP/wrk.txt"
m1=$(metrics)
cat "$TMP/wrk.txt"

delta() {
	awk -v a="$(sample "$1" "$m0")" -v b="$(sample "$1" "$m1")" 'BEGIN { print b - a }'
}
commits=$(delta motcua_db_commits_total)
writes=$(delta motcua_db_writes_total)
failed=$(delta motcua_db_failed_writes_total)
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.txt")

echo
echo "== group commit during the measured run"
echo "  commits $commits, writes $writes, failed writes $failed"
awk -v w="$writes" -v c="$commits" 'BEGIN {
	if (c > 0) printf "  average batch: %.2f writes per commit\n", w / c }'
echo "  batch size histogram (commits in each bucket, this run):"
prev=0
for le in 1 3 7 15 31 63 127 +Inf; do
	k="motcua_db_commit_batch_size_bucket{le=\"$le\"}"
	d=$(delta "$k")
	printf '    <= %-4s %s\n' "$le" "$((d - prev))"
	prev=$d
done
echo "  requests/s $rps (wrk; includes the few GET /gop-y for the token)"

echo
echo "== setup"
echo "  ${WORKERS:+MOTCUA_WORKERS=$WORKERS }MOTCUA_ACCESS_LOG=TMP/access.log $MOTCUA_SRC serve --data DIR --listen $HOST:$port"
echo "  ${cmd[*]}"
echo "  motcua workers: ${WORKERS:-default (2 x $(nproc) cores)}; database on" \
	"$(df -PT "$TMP" | awk 'NR == 2 { print $2 " (" $1 ")" }'), WAL, synchronous=FULL"
echo "  motcua git $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)," \
	"$("$WRK" -v 2>&1 | head -1 || true)"
