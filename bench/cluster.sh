#!/usr/bin/env bash
# bench/cluster.sh - one node on SQLite vs one and two nodes on PostgreSQL.
#
# On loopback (127.0.0.1) only, with the binary already built (run 'make'
# first; this script builds nothing), measures with wrk the same read and
# write paths in three setups:
#   sqlite    one `motcua serve` on SQLite in a temp data directory;
#   pg-1      one node on a throw-away PostgreSQL (scripts/pg-cluster.sh),
#             database 'bench', `motcua init --demo` + `serve` with
#             MOTCUA_DATABASE=postgres://postgres@127.0.0.1:PORT/bench;
#   pg-2      two nodes on that same database behind a real nginx (upstream
#             keepalive, proxy_http_version 1.1, Connection ""), generated
#             config and every temp path inside the temp dir.
# Paths:
#   GET /thu-tuc?q=dang+ky+khai+sinh   search page (worker; database-built index)
#   GET /api/v1/agencies               worker; a real database query
#   POST /gop-y                        bench/write.lua: csrf cookie/token from
#                                      GET /gop-y, then forms answered 303
# Each run: WARMUP wrk warm-up, then the measured run. For the write runs the
# group-commit counters in /metrics (read from every node directly, before and
# after the measured run) give the average batch: writes / commits.
# Every process and the PostgreSQL cluster are stopped on exit, Ctrl-C or failure.
#
# Run:   make && bench/cluster.sh
# Knobs (environment):
#   DURATION=10s  CONNECTIONS=64  THREADS=2  WARMUP=2s   wrk settings
#   SETUPS="sqlite pg-1 pg-2"   which setups to run
#   NGINX_WORKERS=1   nginx worker_processes for pg-2
#   MOTCUA=build/motcua  NGINX=/usr/sbin/nginx  WRK=/usr/bin/wrk  KEEP=1 keeps the temp dir
# The machine's cores are shared by wrk, nginx, PostgreSQL and the nodes:
# the numbers compare setups, they are not a capacity figure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-/usr/bin/wrk}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
SETUPS=${SETUPS:-sqlite pg-1 pg-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
KEEP=${KEEP:-0}
HOST=127.0.0.1
LUA=$ROOT/bench/write.lua
PGCTL=$ROOT/scripts/pg-cluster.sh
READ_PATHS=("/thu-tuc?q=dang+ky+khai+sinh" "/api/v1/agencies")

die() {
	echo "bench: $*" >&2
	exit 1
}
for tool in "$MOTCUA" "$NGINX" "$WRK" curl awk psql; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (build with 'make', or install it)"
done
case "$DURATION$WARMUP" in
*[!0-9smh]*) die "DURATION and WARMUP are like 10s, 2s or 1m" ;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/motcua-cluster.XXXXXX")
# The PostgreSQL cluster runs as the postgres user when we are root: it must
# be able to reach its directory inside TMP.
chmod 711 "$TMP"
PGDIR=$TMP/pg
PG_STARTED=0
PIDS=()

stop_pid() {
	local pid=$1 kids i
	kill -0 "$pid" 2>/dev/null || return 0
	mapfile -t kids < <(pgrep -P "$pid" 2>/dev/null || true)
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "bench: pid $pid ignored SIGTERM for 10 s; killing it" >&2
		kill -KILL "$pid" "${kids[@]}" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}
stop_all() {
	local pid
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	PIDS=()
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_all
	[ "$PG_STARTED" = 1 ] && "$PGCTL" stop "$PGDIR" || true
	if [ "$KEEP" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USED_PORTS=" "
free_port() {
	local p i
	for ((i = 0; i < 50; i++)); do
		p=$((20000 + RANDOM % 30000))
		case "$USED_PORTS" in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then
			USED_PORTS="$USED_PORTS$p "
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}
wait_http() {
	local url=$1 pid=$2 i
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A private copy: 'make' in another terminal may relink build/motcua mid-run.
for ((i = 0; i < 20; i++)); do
	cp "$MOTCUA" "$TMP/motcua.bin" 2>/dev/null && "$TMP/motcua.bin" version >/dev/null 2>&1 && break
	sleep 1
done
"$TMP/motcua.bin" version >/dev/null 2>&1 || die "$MOTCUA does not run"
MOTCUA_SRC=$MOTCUA
MOTCUA=$TMP/motcua.bin

# start_node NAME DATABASE DEMO(0|1): init a data dir and serve it; prints
# nothing, sets NODE_PORT. DATABASE empty = SQLite in the data dir.
start_node() {
	local name=$1 db=$2 demo=$3 dir=$TMP/$1 port pid
	local env=(env MOTCUA_ACCESS_LOG="$dir.access.log")
	[ -n "$db" ] && env+=(MOTCUA_DATABASE="$db")
	"${env[@]}" "$MOTCUA" init --data "$dir" $([ "$demo" = 1 ] && echo --demo) \
		>"$dir.init.log" 2>&1 || {
		cat "$dir.init.log" >&2
		die "motcua init failed for $name"
	}
	port=$(free_port)
	"${env[@]}" "$MOTCUA" serve --data "$dir" --listen "$HOST:$port" >"$dir.out" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_http "http://$HOST:$port/healthz" "$pid" || {
		tail -20 "$dir.out" >&2
		die "node $name did not answer /healthz"
	}
	NODE_PORT=$port
}

# nginx in front of the ports given; sets FRONT_PORT.
start_nginx() {
	local ng=$TMP/nginx port p pid user_line=
	mkdir -p "$ng/logs"
	port=$(free_port)
	[ "$(id -u)" = 0 ] && user_line="user root;"
	{
		echo "# Generated by bench/cluster.sh"
		echo "$user_line"
		echo "worker_processes $NGINX_WORKERS;"
		echo "pid $ng/nginx.pid;"
		echo "error_log $ng/logs/error.log warn;"
		echo "events { worker_connections 4096; }"
		echo "http {"
		echo "  access_log off;"
		for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $ng/$t;"; done
		echo "  keepalive_requests 100000;"
		echo "  upstream motcua {"
		for p in "$@"; do echo "    server $HOST:$p;"; done
		echo "    keepalive 64;"
		echo "    keepalive_requests 100000;"
		echo "  }"
		echo "  server {"
		echo "    listen $HOST:$port backlog=1024;"
		echo "    location / {"
		echo "      proxy_pass http://motcua;"
		echo "      proxy_http_version 1.1;"
		echo "      proxy_set_header Connection \"\";"
		echo "      proxy_set_header Host \$host;"
		echo "    }"
		echo "  }"
		echo "}"
	} >"$ng/nginx.conf"
	"$NGINX" -t -q -p "$ng" -e "$ng/logs/error.log" -c "$ng/nginx.conf" -g 'daemon off;' ||
		die "nginx rejected $ng/nginx.conf"
	"$NGINX" -p "$ng" -e "$ng/logs/error.log" -c "$ng/nginx.conf" -g 'daemon off;' \
		>"$ng/logs/stdout.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_http "http://$HOST:$port/healthz" "$pid" || {
		tail -20 "$ng/logs/error.log" >&2
		die "nginx did not answer"
	}
	FRONT_PORT=$port
}

to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# Sum of one metric over all nodes' /metrics.
metric_sum() {
	local name=$1 p t=0 v
	for p in "${NODE_PORTS[@]}"; do
		v=$(curl -fsS "http://$HOST:$p/metrics" | awk -v k="$name" '$1 == k { print $2; exit }')
		t=$(awk -v a="$t" -v b="${v:-0}" 'BEGIN { printf "%.0f", a + b }')
	done
	echo "$t"
}

RESULTS=()
COMMANDS=()
# run_wrk SETUP LABEL URL [lua]
run_wrk() {
	local setup=$1 label=$2 url=$3 lua=${4:-} out c0=0 w0=0 c1 w1 batch=- rps p50 p99 errs non2xx
	local sargs=()
	[ -n "$lua" ] && sargs=(-s "$lua")
	out=$TMP/wrk-$setup-$(echo "$label" | tr -c 'a-zA-Z0-9\n' _).txt
	"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${sargs[@]}" "$url" >/dev/null
	if [ -n "$lua" ]; then
		c0=$(metric_sum motcua_db_commits_total)
		w0=$(metric_sum motcua_db_writes_total)
	fi
	COMMANDS+=("$WRK -t$THREADS -c$CONNECTIONS -d$DURATION --latency ${sargs[*]} $url   # $setup")
	"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${sargs[@]}" "$url" >"$out"
	if [ -n "$lua" ]; then
		c1=$(metric_sum motcua_db_commits_total)
		w1=$(metric_sum motcua_db_writes_total)
		batch=$(awk -v c=$((c1 - c0)) -v w=$((w1 - w0)) \
			'BEGIN { if (c > 0) printf "%.2f (%d/%d)", w / c, w, c; else print "n/a" }')
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	[ -n "$rps" ] || {
		cat "$out" >&2
		die "could not read wrk's output for $setup $label"
	}
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	errs=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); gsub(/,/, ""); o = ""
		for (i = 1; i < NF; i += 2) if ($(i + 1) != 0) o = o (o == "" ? "" : " ") $i "=" $(i + 1)
		print o }' "$out")
	non2xx=$(awk '/Non-2xx or 3xx/ { print $NF }' "$out")
	errs="non2xx=${non2xx:-0}${errs:+ $errs}"
	if [ -n "$lua" ]; then
		# write.lua: anything but 303 (and the token GETs) is an error.
		errs="$errs $(awk '/^write.lua:/ { o = $(NF - 3); sub(/,/, "", o); print "other=" o " csrf_mismatch=" $NF }' "$out")"
	fi
	local line
	line=$(printf '%-7s %-31s %10s %9s %9s  %-32s %s' "$setup" "$label" "$rps" "$p50" "$p99" \
		"$errs" "$batch")
	echo "  $line"
	RESULTS+=("$line")
}

check() {
	local url=$1 want=$2 code
	code=$(curl -sS -o /dev/null -w '%{http_code}' "$url")
	[ "$code" = "$want" ] || die "GET $url answered $code, not $want"
}

# bench_setup SETUP BASE_URL: the three paths against one front address.
bench_setup() {
	local setup=$1 base=$2 p
	local code n
	check "$base/gop-y" 200
	# One request per path to every node first: the search index is built on
	# first use, and a node that gets its first /thu-tuc requests many at
	# once can crash (seen on 2026-11-28; see docs/performance-cluster.md).
	for n in "${NODE_PORTS[@]}"; do
		for p in "${READ_PATHS[@]}"; do
			curl -sS -o /dev/null --max-time 30 "http://$HOST:$n$p" || true
		done
	done
	for p in "${READ_PATHS[@]}"; do
		# A path that fails on this setup is reported, not measured: the
		# requests/s of error replies would mean nothing.
		code=$(curl -sS -o /dev/null -w '%{http_code}' "$base$p")
		if [ "$code" != 200 ]; then
			echo "  $setup GET $p answered $code: not measured" >&2
			RESULTS+=("$(printf '%-7s %-31s %10s %9s %9s  %-32s %s' "$setup" "GET $p" - - - \
				"answers $code, not measured" -)")
			continue
		fi
		run_wrk "$setup" "GET $p" "$base$p"
	done
	run_wrk "$setup" "POST /gop-y" "$base/gop-y" "$LUA"
}

echo "== $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))" \
	"shared by wrk, nginx, PostgreSQL and the nodes"
echo "== wrk -t$THREADS -c$CONNECTIONS, $WARMUP warm-up + $DURATION each"
PGURL=
for setup in $SETUPS; do
	case $setup in
	sqlite)
		start_node sqlite "" 1
		NODE_PORTS=("$NODE_PORT")
		bench_setup sqlite "http://$HOST:$NODE_PORT"
		stop_all
		;;
	pg-1 | pg-2)
		if [ -z "$PGURL" ]; then
			url=$("$PGCTL" start "$PGDIR" | tail -1) || die "PostgreSQL did not start"
			PG_STARTED=1
			psql -q "$url" -c 'CREATE DATABASE bench' >/dev/null || die "CREATE DATABASE failed"
			PGURL=${url%/*}/bench
		fi
		if [ "$setup" = pg-1 ]; then
			start_node pg-a "$PGURL" 1
			NODE_PORTS=("$NODE_PORT")
			bench_setup pg-1 "http://$HOST:$NODE_PORT"
		else
			# Reuses the database: init --demo only if pg-1 did not run first.
			if [ -d "$TMP/pg-a" ]; then start_node pg-2a "$PGURL" 0; else start_node pg-2a "$PGURL" 1; fi
			a=$NODE_PORT
			start_node pg-2b "$PGURL" 0
			NODE_PORTS=("$a" "$NODE_PORT")
			start_nginx "$a" "$NODE_PORT"
			bench_setup pg-2 "http://$HOST:$FRONT_PORT"
		fi
		stop_all
		;;
	*) die "unknown setup $setup (sqlite, pg-1, pg-2)" ;;
	esac
done

echo
echo "== results ($(date -u '+%Y-%m-%d %H:%M UTC'); latencies in ms; batch = writes/commit" \
	"over all nodes during the measured run)"
printf '%-7s %-31s %10s %9s %9s  %-32s %s\n' setup path 'req/s' p50 p99 errors batch
printf '%s\n' "${RESULTS[@]}"
echo
echo "== commands"
echo "  $MOTCUA_SRC init --data DIR --demo; $MOTCUA_SRC serve --data DIR --listen $HOST:PORT   # sqlite"
[ -n "$PGURL" ] && {
	echo "  $PGCTL start PGDIR; psql URL -c 'CREATE DATABASE bench'"
	echo "  MOTCUA_DATABASE=postgres://postgres@127.0.0.1:PGPORT/bench $MOTCUA_SRC init --data DIR [--demo]; ... serve"
	echo "  $NGINX -p NGDIR -c NGDIR/nginx.conf -g 'daemon off;'   # pg-2; worker_processes $NGINX_WORKERS"
}
echo "  (each node: MOTCUA_ACCESS_LOG=file, default io_threads/workers)"
printf '  %s\n' "${COMMANDS[@]}"
echo
echo "== versions"
echo "  motcua $("$MOTCUA" version 2>&1 | head -1) (git $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown))"
echo "  $("$NGINX" -v 2>&1 | head -1); $("$WRK" -v 2>&1 | head -1 || true)"
[ -n "$PGURL" ] && echo "  $(psql -At "$PGURL" -c 'SHOW server_version' 2>/dev/null | sed 's/^/PostgreSQL /')"
echo "  kernel $(uname -r), $(nproc) cores: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
