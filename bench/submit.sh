#!/usr/bin/env bash
# bench/submit.sh - durable online dossier submissions per second, next to
# the raw SQLite ceiling of one durable commit per row, in the same run.
#
# On loopback (127.0.0.1) only: makes a throw-away data directory (motcua
# init), imports one bench procedure (one required document), adds 100
# agencies with identifier codes (the daily code sequence of one agency
# stops at 9999) and a citizen with an API token (rows written with the
# sqlite3 shell: only the token's SHA-256 is stored), starts `motcua serve`,
# checks one submission by hand (must answer 201), then runs wrk with
# bench/submit.lua: each request is a small form plus one small PDF as
# multipart/form-data, answered 201 only after its write is durable (WAL,
# synchronous=FULL, group commit). A build without the upload module
# answers multipart with 415: the script then says so and measures the same
# form urlencoded, without a file. Last, the sqlite3 shell inserts ROWS rows
# one transaction each into a fresh WAL database with synchronous=FULL on
# the same filesystem: the ceiling without group commit.
#
# Run:   make && bench/submit.sh
# Knobs (environment):
#   DURATION=10s  CONNECTIONS=64  THREADS=2  WARMUP=2s   wrk settings
#   WORKERS=      motcua worker threads (default: its own)
#   ROWS=3000     rows for the raw SQLite ceiling
#   MOTCUA=build/motcua  WRK=/usr/bin/wrk  KEEP=1 keeps the temp dir
#   DATA_PARENT=  where the temp dir goes (default $TMPDIR or /tmp)
#   PERF=1        record `perf record -g` of the server during the measured
#                 run and print the top of `perf report --no-children`
#                 (PERF_TOP=40 lines; PERF_BIN=/usr/bin/perf)
# Besides requests/s the script prints the server's CPU time per request
# (utime+stime of the motcua process from /proc/PID/stat before and after
# the measured run, divided by the requests wrk completed) and the load
# average: robust while other work shares the machine. It also prints the
# CPU per request of the single db writer thread alone (the thread named
# "db-writer", from /proc/PID/task/TID/stat): the serial step that caps
# submissions per second.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
WRK=${WRK:-/usr/bin/wrk}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
WORKERS=${WORKERS:-}
ROWS=${ROWS:-3000}
KEEP=${KEEP:-0}
PERF=${PERF:-0}
PERF_BIN=${PERF_BIN:-/usr/bin/perf}
PERF_TOP=${PERF_TOP:-40}
HOST=127.0.0.1
LUA=$ROOT/bench/submit.lua

die() {
	echo "bench: $*" >&2
	exit 1
}
for tool in "$MOTCUA" "$WRK" curl awk sqlite3 sha256sum od; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (build with 'make', or install it)"
done
case "$DURATION$WARMUP$ROWS" in
*[!0-9smh]*) die "DURATION and WARMUP are like 10s, 2s or 1m; ROWS a number" ;;
esac

[ "$PERF" != 1 ] || [ -x "$PERF_BIN" ] || die "PERF=1 needs $PERF_BIN"

# utime+stime of a process in clock ticks (fields 14 and 15 of
# /proc/PID/stat, counted after the ')' that ends the command name).
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# The id of the thread of process $1 named $2 (empty when there is none).
thread_id() {
	local t
	for t in /proc/"$1"/task/*; do
		if [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ]; then
			echo "${t##*/}"
			return
		fi
	done
}

TMP=$(mktemp -d "${DATA_PARENT:-${TMPDIR:-/tmp}}/motcua-submit.XXXXXX")
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
cp "$MOTCUA" "$TMP/motcua.bin"
"$TMP/motcua.bin" version >/dev/null 2>&1 || die "$MOTCUA does not run"
MOTCUA_SRC=$MOTCUA
MOTCUA=$TMP/motcua.bin
DATA=$TMP/data
DB=$DATA/motcua.db
"$MOTCUA" init --data "$DATA" >"$TMP/init.log" 2>&1 || {
	cat "$TMP/init.log" >&2
	die "motcua init failed"
}

# The bench procedures: 9.990001 needs one document, 9.990002 only takes
# an optional one (for a build that cannot receive files).
cat >"$TMP/procedures.jsonl" <<'JSON'
{"code":"9.990001","name":"Thủ tục đo hiệu năng","field":"Đo hiệu năng","levels":["province"],"service_level":"toan-trinh","methods":[{"channel":"online","time_value":"3","time_unit":"working_days"}],"documents":[{"name":"Tờ khai","originals":1,"copies":0}]}
{"code":"9.990002","name":"Thủ tục đo hiệu năng không tệp","field":"Đo hiệu năng","levels":["province"],"service_level":"toan-trinh","methods":[{"channel":"online","time_value":"3","time_unit":"working_days"}],"documents":[{"name":"Giấy tờ khác (nếu có)","originals":0,"copies":1}]}
JSON
"$MOTCUA" import procedures "$TMP/procedures.jsonl" --data "$DATA" >>"$TMP/init.log" 2>&1 ||
	die "import failed: $(tail -3 "$TMP/init.log")"

token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
now=$(date +%s)
{
	echo "BEGIN;"
	for ((i = 0; i < 100; i++)); do
		printf "INSERT INTO agency (code, name, level, identifier) VALUES ('bench-%03d', 'Cơ quan đo %d', 'department', '000.%02d.99.H43');\n" "$i" "$i" "$i"
		printf "INSERT INTO procedure_agency VALUES ('9.990001', 'bench-%03d'), ('9.990002', 'bench-%03d');\n" "$i" "$i"
	done
	echo "INSERT INTO account (id, login, kind, roles, full_name, id_number, birth_date, phone, address, password_hash, created_at) VALUES ('bench-citizen', 'bench', 'citizen', 1, 'Nguyễn Văn Đo', '037090123456', '1990-09-05', '0912345678', 'Hoa Lư', 'x', '2026-01-01 00:00:00');"
	echo "INSERT INTO session (token_hash, account_id, kind, created_at, last_seen, expires_at) VALUES ('$hash', 'bench-citizen', 'api', $now, $now, $((now + 86400)));"
	echo "COMMIT;"
} | sqlite3 -bail "$DB" || die "setup rows failed"

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

# One submission by hand, so a broken setup fails loudly before wrk runs.
printf '%%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%%%EOF\n' >"$TMP/to-khai.pdf"
common=(-H "Authorization: Bearer $token" -o "$TMP/first.json" -w '%{http_code}')
code=$(curl -sS "${common[@]}" -F procedure=9.990001 -F agency=bench-000 \
	-F "name=Nguyễn Văn Đo" -F id_number=037090123456 -F birth_date=05/09/1990 \
	-F phone=0912345678 -F "address=Số 1 đường Lê Lợi" -F return_method=online \
	-F "doc_0=@$TMP/to-khai.pdf;type=application/pdf" "$BASE/api/v1/dossiers")
mode=multipart procedure=9.990001 what="small form + one small PDF (multipart)"
if [ "$code" = 415 ]; then
	echo "bench: this build has no upload module (multipart answered 415):" \
		"measuring the form without a file" >&2
	mode=form procedure=9.990002 what="small form, no file (urlencoded; build without uploads)"
	code=$(curl -sS "${common[@]}" --data-urlencode procedure=9.990002 \
		--data-urlencode agency=bench-000 --data-urlencode "name=Nguyễn Văn Đo" \
		--data-urlencode id_number=037090123456 --data-urlencode birth_date=05/09/1990 \
		--data-urlencode phone=0912345678 --data-urlencode "address=Số 1 đường Lê Lợi" \
		--data-urlencode return_method=online "$BASE/api/v1/dossiers")
fi
[ "$code" = 201 ] || die "POST /api/v1/dossiers answered $code, not 201: $(cat "$TMP/first.json")"

export SUBMIT_TOKEN=$token SUBMIT_MODE=$mode SUBMIT_PROCEDURE=$procedure SUBMIT_AGENCIES=100
echo "== POST /api/v1/dossiers: $what; $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up + $DURATION"
"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$BASE/api/v1/dossiers" >/dev/null
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM dossier WHERE status = 1")
cmd=("$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$BASE/api/v1/dossiers")
PERF_PID=
if [ "$PERF" = 1 ]; then
	"$PERF_BIN" record -g -o "$TMP/perf.data" -p "$PID" >"$TMP/perf.log" 2>&1 &
	PERF_PID=$!
	sleep 0.5
fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
wtid=$(thread_id "$PID" db-writer)
wtick0=$([ -z "$wtid" ] || cpu_ticks "$PID/task/$wtid")
tick0=$(cpu_ticks "$PID")
"${cmd[@]}" >"$TMP/wrk.txt"
tick1=$(cpu_ticks "$PID")
wtick1=$([ -z "$wtid" ] || cpu_ticks "$PID/task/$wtid")
load1=$(cut -d' ' -f1 /proc/loadavg)
if [ -n "$PERF_PID" ]; then
	kill -INT "$PERF_PID" 2>/dev/null || true
	wait "$PERF_PID" 2>/dev/null || true
fi
after=$(sqlite3 "$DB" "SELECT COUNT(*) FROM dossier WHERE status = 1")
cat "$TMP/wrk.txt"
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.txt")
nreq=$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")
hz=$(getconf CLK_TCK)
cpu_us=$(awk -v t=$((tick1 - tick0)) -v hz="$hz" -v n="${nreq:-0}" \
	'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "n/a" }')
cpu_s=$(awk -v t=$((tick1 - tick0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
writer_cpu="n/a (no thread named db-writer)"
if [ -n "$wtid" ]; then
	writer_cpu=$(awk -v t=$((wtick1 - wtick0)) -v hz="$hz" -v n="${nreq:-0}" \
		'BEGIN { if (n > 0) printf "%.0f µs  (%.2f s", t * 1e6 / hz / n, t / hz; else printf "n/a  (0 s" }')
	writer_cpu="$writer_cpu of the db-writer thread's CPU)"
fi
gaps=$(sqlite3 "$DB" "SELECT COUNT(*) FROM dossier_seq s WHERE s.last <> (SELECT COUNT(*) FROM dossier d WHERE d.agency_code = s.agency_code AND d.code LIKE '%-' || substr(replace(s.day, '-', ''), 3) || '-%')")

echo
echo "== raw SQLite ceiling: $ROWS single-row transactions, WAL, synchronous=FULL"
RAW=$TMP/raw.db
sqlite3 "$RAW" "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);" >/dev/null
{
	echo "PRAGMA synchronous=FULL;"
	for ((i = 0; i < ROWS; i++)); do
		echo "INSERT INTO t (v) VALUES ('hồ sơ $i');"
	done
} >"$TMP/raw.sql"
t0=$(date +%s.%N)
sqlite3 "$RAW" <"$TMP/raw.sql"
t1=$(date +%s.%N)
raw=$(awk -v n="$ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')

echo
echo "== result"
echo "  durable submissions/s  $rps  (dossiers stored during the run: $((after - before)); agencies whose daily sequence does not match their dossiers: $gaps)"
echo "  raw SQLite commits/s   $raw  (one row per transaction, same filesystem)"
echo "  ratio                  $(awk -v a="$rps" -v b="$raw" 'BEGIN { printf "%.2fx", a / b }')"
echo "  server CPU/request     $cpu_us µs  ($cpu_s s of motcua CPU for $nreq requests)"
echo "  writer CPU/request     $writer_cpu"
echo "  load average           $load before, $load1 after the measured run"
if [ -n "$PERF_PID" ]; then
	echo
	echo "== perf report --no-children (top $PERF_TOP lines; data in $TMP/perf.data)"
	"$PERF_BIN" report -i "$TMP/perf.data" --no-children --percent-limit 0.5 --stdio \
		-g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n "$PERF_TOP" || true
fi
echo
echo "== setup"
echo "  ${WORKERS:+MOTCUA_WORKERS=$WORKERS }$MOTCUA_SRC serve --data DIR --listen $HOST:$port"
echo "  ${cmd[*]}   (SUBMIT_MODE=$mode)"
echo "  database on $(df -PT "$TMP" | awk 'NR == 2 { print $2 " (" $1 ")" }'), WAL, synchronous=FULL;" \
	"$(nproc) cores; motcua git $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
