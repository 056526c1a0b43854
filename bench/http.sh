#!/usr/bin/env bash
# bench/http.sh - motcua against nginx on the same bytes, read path only.
#
# In one run, on loopback (127.0.0.1) only:
#   1. makes a throw-away data directory (motcua init --demo) and starts two
#      `motcua serve` on it: one with its access log written to a file in the
#      temp dir (the production shape: one write(2) per request), one with
#      the access log off;
#   2. fetches / and /healthz from motcua with curl and stores the bodies as
#      static files in a temp web root;
#   3. starts nginx (foreground, generated config in the temp dir) serving
#      those same bytes at the same paths, on two ports: one with the access
#      log off, one with it on (unbuffered, like motcua's);
#   4. for each server and path: 2 s wrk warm-up, then the measured wrk run
#      (requests/s, p50 and p99 latency, socket errors, non-2xx/3xx, and the
#      number of TCP connections the kernel accepted, to show keep-alive);
#      with REPEAT=n the whole set runs n times, interleaved, and the table
#      shows the median of each column (all requests/s values beside it);
#   5. prints a table, the ratios motcua/nginx, the commands and versions.
# Every process it starts is stopped on exit, Ctrl-C or failure.
#
# Run:   make bench            (builds build/motcua first)
#   or   bench/http.sh
# Knobs (environment):
#   DURATION=10s  CONNECTIONS=64  THREADS=2  WARMUP=2s   wrk settings
#   MOTCUA=build/motcua   NGINX=/usr/sbin/nginx   WRK=/usr/bin/wrk
#   ROWS="motcua-log motcua-nolog nginx nginx-log"   which servers to measure
#   REPEAT=1  rounds over all rows (interleaved; the table shows medians)
#   KEEP=1    keep the temp dir (logs, configs, raw wrk output) afterwards
#   PIN=1     pin the servers to CPU 1 and wrk to CPU 0 (default: share both)
#   NICE=-10  run servers and wrk at that nice level (root only), so other work
#             on a shared machine disturbs the numbers less (default: 0)
# Goal: motcua's home page at >= 0.7x nginx's requests/s.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-/usr/bin/wrk}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
ROWS=${ROWS:-motcua-log motcua-nolog nginx nginx-log}
REPEAT=${REPEAT:-1}
KEEP=${KEEP:-0}
PIN=${PIN:-0}
NICE=${NICE:-0}
HOST=127.0.0.1

die() {
	echo "bench: $*" >&2
	exit 1
}

for tool in "$MOTCUA" "$NGINX" "$WRK" curl awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (build with 'make', or install it)"
done
case "$REPEAT" in
'' | *[!0-9]* | 0) die "REPEAT is a whole number >= 1" ;;
esac
case "$DURATION$WARMUP" in
*[!0-9smh]*) die "DURATION and WARMUP are like 10s, 2s or 1m" ;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench.XXXXXX")
PIDS=()

# Stops one process we started: SIGTERM, up to 10 s, then SIGKILL (and its
# direct children, e.g. nginx workers whose master had to be killed).
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

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	if [ "$KEEP" = 1 ]; then
		echo "bench: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() {
	(exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# A loopback port nothing listens on (checked again when we bind).
free_port() {
	local p i
	for ((i = 0; i < 50; i++)); do
		p=$((20000 + RANDOM % 30000))
		port_busy "$p" || {
			echo "$p"
			return 0
		}
	done
	die "no free port found"
}

wait_http() {
	local url=$1 pid=$2 i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# TCP connections the kernel accepted so far (this network namespace).
passive_opens() {
	awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "PassiveOpens") c = i; h = 1 }
		else print $c }' /proc/net/snmp
}

# CPU ticks (user + system, all threads) used so far by the given processes
# and their children (nginx's workers).
proc_ticks() {
	local p t=0 v
	for p in "$@" $(pgrep -P "$1" 2>/dev/null || true); do
		v=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
		t=$((t + v))
	done
	echo "$t"
}

# "busy total" CPU ticks of the whole machine so far.
machine_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat
}

# Percentage of CPU time used by anything else over one second, before we
# start: the servers and wrk share the same cores with whatever runs here.
cpu_busy() {
	local a b
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
		t = y[2] - x[2]; printf "%d", (t > 0) ? 100 * (y[1] - x[1]) / t : 0 }'
}
BUSY=$(cpu_busy)
if [ "$BUSY" -gt 10 ]; then
	echo "bench: WARNING: the CPUs were already ${BUSY}% busy before the benchmark;" \
		"the numbers will be low and noisy" >&2
fi

SRV_CPU=()
WRK_CPU=()
if [ "$PIN" = 1 ]; then
	SRV_CPU=(taskset -c 1)
	WRK_CPU=(taskset -c 0)
fi
if [ "$NICE" != 0 ]; then
	SRV_CPU=(nice -n "$NICE" "${SRV_CPU[@]}")
	WRK_CPU=(nice -n "$NICE" "${WRK_CPU[@]}")
fi

# ---- 1. motcua ----
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
MOTCUA_PORT=$(free_port)
MOTCUA_NOLOG_PORT=$(free_port)
[ "$MOTCUA_PORT" != "$MOTCUA_NOLOG_PORT" ] || die "port clash; run again"

declare -A SERVER_PID

# start_motcua PORT ACCESS_LOG: a server with that access_log setting.
start_motcua() {
	local port=$1 alog=$2 pid
	MOTCUA_ACCESS_LOG=$alog "${SRV_CPU[@]}" "$MOTCUA" serve --data "$DATA" \
		--listen "$HOST:$port" >>"$TMP/motcua-$port.out" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	SERVER_PID[$port]=$pid
	wait_http "http://$HOST:$port/healthz" "$pid" || {
		tail -20 "$TMP/motcua-$port.out" >&2
		die "motcua did not answer /healthz on port $port"
	}
	# The home page is rendered by a worker on first use, then cached.
	curl -fsS -o /dev/null "http://$HOST:$port/"
}

# Both at once on the same data directory (the home page only reads it), so
# the rounds can be interleaved; an idle server costs nothing.
start_motcua "$MOTCUA_PORT" "$TMP/motcua-access.log"
start_motcua "$MOTCUA_NOLOG_PORT" off

# ---- 2. the same bytes as static files ----
WWW=$TMP/www
mkdir -p "$WWW"
curl -fsS -o "$WWW/home.html" "http://$HOST:$MOTCUA_PORT/"
curl -fsS -o "$WWW/healthz.json" "http://$HOST:$MOTCUA_PORT/healthz"

# ---- 3. nginx ----
NGINX_PORT=$(free_port)
NGINX_LOG_PORT=$(free_port)
[ "$(printf '%s\n' "$MOTCUA_PORT" "$MOTCUA_NOLOG_PORT" "$NGINX_PORT" "$NGINX_LOG_PORT" |
	sort -u | wc -l)" = 4 ] || die "port clash; run again"
NG=$TMP/nginx
mkdir -p "$NG/logs"
USER_LINE=
[ "$(id -u)" = 0 ] && USER_LINE="user root;"
# Same security headers as motcua sends, so the responses are comparable.
CSP="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
{
	cat <<EOF
# Generated by bench/http.sh - static copies of motcua's / and /healthz.
$USER_LINE
worker_processes auto;
daemon off;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events {
    worker_connections 4096;
}
http {
    client_body_temp_path $NG/client_body;
    proxy_temp_path $NG/proxy;
    fastcgi_temp_path $NG/fastcgi;
    uwsgi_temp_path $NG/uwsgi;
    scgi_temp_path $NG/scgi;

    types { }
    default_type application/octet-stream;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_errors on;

    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    add_header X-Frame-Options DENY always;
    add_header Content-Security-Policy "$CSP" always;
EOF
	for srv in "$NGINX_PORT off" "$NGINX_LOG_PORT $NG/logs/access.log"; do
		# shellcheck disable=SC2086 # "port log" split into $1 $2
		set -- $srv
		cat <<EOF

    server {
        listen $HOST:$1 backlog=1024;
        root $WWW;
        access_log $2;
        location = / {
            default_type "text/html; charset=utf-8";
            try_files /home.html =404;
        }
        location = /healthz {
            default_type "application/json; charset=utf-8";
            add_header Cache-Control no-store always;
            add_header X-Content-Type-Options nosniff always;
            add_header Referrer-Policy strict-origin-when-cross-origin always;
            add_header X-Frame-Options DENY always;
            add_header Content-Security-Policy "$CSP" always;
            try_files /healthz.json =404;
        }
    }
EOF
	done
	echo "}"
} >"$NG/nginx.conf"

"$NGINX" -t -q -p "$NG" -e "$NG/logs/error.log" -c "$NG/nginx.conf" ||
	die "nginx rejected $NG/nginx.conf"
"${SRV_CPU[@]}" "$NGINX" -p "$NG" -e "$NG/logs/error.log" -c "$NG/nginx.conf" \
	>"$NG/logs/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for p in "$NGINX_PORT" "$NGINX_LOG_PORT"; do
	wait_http "http://$HOST:$p/healthz" "$NGINX_PID" || {
		tail -20 "$NG/logs/error.log" >&2
		die "nginx did not answer on port $p"
	}
done

# ---- same bytes? keep-alive? ----
echo "== responses (body bytes, header bytes, connections for 2 requests)"
for path in / /healthz; do
	for pp in "motcua $MOTCUA_PORT" "nginx $NGINX_PORT"; do
		# shellcheck disable=SC2086
		set -- $pp
		out=$TMP/check-$1$(echo "$path" | tr / _)
		# Two requests on one curl handle: the second must reuse the connection.
		meta=$(curl -fsS -o "$out" -w '%{size_download} %{size_header} %{num_connects}\n' \
			"http://$HOST:$2$path" -o /dev/null "http://$HOST:$2$path" | tr '\n' ' ')
		read -r body1 head1 conn1 _ _ conn2 <<<"$meta"
		printf '  %-7s %-9s body %6s B  headers %4s B  connections %s+%s%s\n' "$1" "$path" \
			"$body1" "$head1" "$conn1" "$conn2" \
			"$([ "$conn2" = 0 ] || echo '  <- keep-alive NOT reused')"
	done
	m=$TMP/check-motcua$(echo "$path" | tr / _)
	n=$TMP/check-nginx$(echo "$path" | tr / _)
	if cmp -s "$m" "$n"; then
		echo "  $path: bodies identical ($(wc -c <"$m") bytes)"
	else
		echo "  $path: BODIES DIFFER (motcua $(wc -c <"$m"), nginx $(wc -c <"$n"))"
	fi
done
echo "  (same security headers on both; nginx adds Server, Last-Modified, ETag, Accept-Ranges"
echo "   and Connection: keep-alive, hence its larger header block)"

# ---- 4. wrk ----
# Converts wrk's 1.23ms / 456.00us / 1.50s to milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}

declare -A QUIET PAIRS CPU_MED RPS RUNS P50S P99S REQS NON2XX CONNS ERRS CPUS OTHERS
HZ=$(getconf CLK_TCK)
COMMANDS=()

# bench_one ROW URL: warm-up, measured run; appends to the row's columns.
bench_one() {
	local row=$1 url=$2 spid=$3 path key out before after rps p50 p99 errs non2xx reqs conns
	local m0 m1 s0 s1 cpu_us others
	path=/${url#http://*/}
	key=$row$path
	"${WRK_CPU[@]}" "$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
	out=$TMP/wrk-$row$(echo "$path" | tr / _)-$round.txt
	[ "$round" = 1 ] &&
		COMMANDS+=("wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $url   # $row")
	before=$(passive_opens)
	m0=$(machine_ticks)
	s0=$(proc_ticks "$spid")
	"${WRK_CPU[@]}" /usr/bin/time -f '%U %S' -o "$out.time" \
		"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out"
	s1=$(proc_ticks "$spid")
	m1=$(machine_ticks)
	after=$(passive_opens)
	conns=$((after - before))
	# Server CPU per request, and the share of the machine others used.
	read -r cpu_us others < <(awk -v m0="$m0" -v m1="$m1" -v s="$((s1 - s0))" \
		-v hz="$HZ" -v out="$out" 'BEGIN {
		split(m0, a, " "); split(m1, b, " ")
		getline w < (out ".time"); split(w, wt, " ")
		while ((getline l < out) > 0) if (l ~ /requests in/) { split(l, f, " "); n = f[1] }
		busy = b[1] - a[1]; all = b[2] - a[2]
		wrk = (wt[1] + wt[2]) * hz
		o = all > 0 ? 100 * (busy - s - wrk) / all : 0
		if (o < 0) o = 0
		printf "%.1f %.0f\n", (n > 0) ? s * 1e6 / hz / n : 0, o }')
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	reqs=$(awk '/requests in/ { print $1 }' "$out")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	errs=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); gsub(/,/, ""); gsub(/ /, "="); print }' "$out")
	errs=${errs:-none}
	non2xx=$(awk '/Non-2xx or 3xx/ { print $NF }' "$out")
	non2xx=${non2xx:-0}
	[ -n "$rps" ] || {
		cat "$out" >&2
		die "could not read wrk's output for $row $path"
	}
	RUNS[$key]="${RUNS[$key]:-} $rps"
	P50S[$key]="${P50S[$key]:-} $p50"
	P99S[$key]="${P99S[$key]:-} $p99"
	CPUS[$key]="${CPUS[$key]:-} $cpu_us"
	OTHERS[$key]="${OTHERS[$key]:-} $others"
	PAIRS[$key]="${PAIRS[$key]:-} $others:$rps"
	REQS[$key]="${REQS[$key]:-} $reqs"
	NON2XX[$key]=$((${NON2XX[$key]:-0} + non2xx))
	CONNS[$key]="${CONNS[$key]:-}${CONNS[$key]:+/}$conns"
	[ "$errs" = none ] || ERRS[$key]="${ERRS[$key]:-}${ERRS[$key]:+; }$errs"
	printf '  %-12s %-8s %10s req/s  p50 %s ms  p99 %s ms  server %s CPU-us/req' \
		"$row" "$path" "$rps" "$p50" "$p99" "$cpu_us"
	printf '  others %s%%  new conns %s  errors: %s\n' "$others" "$conns" "$errs"
}

# median of the numbers given as arguments
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "== wrk: $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up + $DURATION each," \
	"$REPEAT round(s)"
for row in $ROWS; do
	case $row in
	motcua-log | motcua-nolog | nginx | nginx-log) ;;
	*) die "unknown row '$row' in ROWS" ;;
	esac
done
for ((round = 1; round <= REPEAT; round++)); do
	[ "$REPEAT" = 1 ] || echo "  -- round $round"
	for path in /healthz /; do
		for row in $ROWS; do
			case $row in
			motcua-log) port=$MOTCUA_PORT spid=${SERVER_PID[$MOTCUA_PORT]} ;;
			motcua-nolog) port=$MOTCUA_NOLOG_PORT spid=${SERVER_PID[$MOTCUA_NOLOG_PORT]} ;;
			nginx) port=$NGINX_PORT spid=$NGINX_PID ;;
			nginx-log) port=$NGINX_LOG_PORT spid=$NGINX_PID ;;
			esac
			bench_one "$row" "http://$HOST:$port$path" "$spid"
		done
	done
done

RESULTS=()
for path in /healthz /; do
	for row in $ROWS; do
		key=$row$path
		# shellcheck disable=SC2086 # word splitting of the value lists is meant
		RPS[$key]=$(median ${RUNS[$key]})
		# The round least disturbed by other work on the machine.
		# shellcheck disable=SC2086
		QUIET[$key]=$(printf '%s\n' ${PAIRS[$key]} | sort -t: -k1,1n | head -1)
		# shellcheck disable=SC2086,SC2034 # CPU_MED is read through ratio's nameref
		CPU_MED[$key]=$(median ${CPUS[$key]})
		# shellcheck disable=SC2086
		RESULTS+=("$(printf '%-12s %-8s %10s %7s %7s %8s %7s %6s %9s  %-10s %s' "$row" \
			"$path" "${RPS[$key]}" "$(median ${P50S[$key]})" "$(median ${P99S[$key]})" \
			"$(median ${CPUS[$key]})" "$(median ${OTHERS[$key]})" \
			"${NON2XX[$key]}" "${CONNS[$key]}" "${ERRS[$key]:-none}" \
			"$([ "$REPEAT" = 1 ] || echo "${RUNS[$key]# }; quietest ${QUIET[$key]#*:}" \
				"(others ${QUIET[$key]%%:*}%)")")")
		QUIET[$key]=${QUIET[$key]#*:}
	done
done

# ---- 5. report ----
# ratio A B [ARRAY]: A/B of two rows' medians (requests/s by default).
ratio() {
	local -n arr=${3:-RPS}
	local a=${arr[$1]:-} b=${arr[$2]:-}
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "n/a"
		return
	fi
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx", a / b }'
}

echo
echo "== results ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores shared by servers and wrk;" \
	"${BUSY}% busy before the run)"
printf '%-12s %-8s %10s %7s %7s %8s %7s %6s %9s  %-10s %s\n' server path 'req/s' 'p50 ms' \
	'p99 ms' 'CPUus/rq' 'others%' non2xx 'new conns' 'sock.errs' \
	"$([ "$REPEAT" = 1 ] || echo 'req/s of each round')"
printf '%s\n' "${RESULTS[@]}"
echo
echo "  rows: motcua-log = access log to a file (production shape), motcua-nolog = access_log off,"
echo "        nginx = access_log off, nginx-log = access_log to a file (unbuffered)"
echo "  'new conns' = TCP connections the kernel accepted during each measured run (all of"
echo "        loopback, so other local traffic adds to it); with keep-alive ~$CONNECTIONS"
echo "  CPUus/rq = server CPU time (all threads/workers) per request; others% = share of the"
echo "        machine's CPU time used by neither the server nor wrk during the run"
[ "$REPEAT" = 1 ] || echo "  req/s, p50, p99, CPUus/rq, others%: medians of $REPEAT rounds"
echo
echo "== ratios motcua/nginx (requests/s)"
echo "  /healthz   motcua-log/nginx $(ratio motcua-log/healthz nginx/healthz)" \
	"  like for like: log $(ratio motcua-log/healthz nginx-log/healthz)," \
	"no log $(ratio motcua-nolog/healthz nginx/healthz)"
home=$(ratio motcua-log/ nginx/)
echo "  /          motcua-log/nginx $home" \
	"  like for like: log $(ratio motcua-log/ nginx-log/)," \
	"no log $(ratio motcua-nolog/ nginx/)"
if [ "$REPEAT" != 1 ]; then
	echo "  quietest rounds (least other work on the machine):" \
		"/healthz $(ratio motcua-log/healthz nginx/healthz QUIET)" \
		"(log $(ratio motcua-log/healthz nginx-log/healthz QUIET)," \
		"no log $(ratio motcua-nolog/healthz nginx/healthz QUIET))," \
		"/ $(ratio motcua-log/ nginx/ QUIET)" \
		"(log $(ratio motcua-log/ nginx-log/ QUIET), no log $(ratio motcua-nolog/ nginx/ QUIET))"
fi
case $home in
n/a) ;;
*) awk -v r="${home%x}" 'BEGIN { exit !(r >= 0.7) }' &&
	echo "  home page goal (>= 0.70x nginx): met" ||
	echo "  home page goal (>= 0.70x nginx): NOT met" ;;
esac
echo
echo "== server CPU per request, nginx/motcua (above 1 = motcua uses less CPU per request;"
echo "   steadier than requests/s when other work shares the cores)"
echo "  /healthz   $(ratio nginx/healthz motcua-log/healthz CPU_MED) (log on both:" \
	"$(ratio nginx-log/healthz motcua-log/healthz CPU_MED), no log:" \
	"$(ratio nginx/healthz motcua-nolog/healthz CPU_MED))"
echo "  /          $(ratio nginx/ motcua-log/ CPU_MED) (log on both:" \
	"$(ratio nginx-log/ motcua-log/ CPU_MED), no log: $(ratio nginx/ motcua-nolog/ CPU_MED))"

echo
echo "== commands"
echo "  $MOTCUA_SRC init --data DIR --demo   # run from a copy in the temp dir"
echo "  MOTCUA_ACCESS_LOG=TMP/motcua-access.log $MOTCUA_SRC serve --data DIR --listen $HOST:$MOTCUA_PORT"
echo "  MOTCUA_ACCESS_LOG=off $MOTCUA_SRC serve --data DIR --listen $HOST:$MOTCUA_NOLOG_PORT   # motcua-nolog"
echo "  $NGINX -p NGDIR -e NGDIR/logs/error.log -c NGDIR/nginx.conf   # config: KEEP=1 keeps it"
[ "$PIN" = 1 ] && echo "  (servers pinned with taskset -c 1, wrk with taskset -c 0)"
[ "$NICE" != 0 ] && echo "  (servers and wrk run under nice -n $NICE)"
printf '  %s\n' "${COMMANDS[@]}"

echo
echo "== versions"
rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
echo "  motcua      $("$MOTCUA" version 2>&1 | head -1) (git $rev)"
echo "  nginx       $("$NGINX" -v 2>&1 | head -1)"
echo "  wrk         $("$WRK" -v 2>&1 | head -1 || true)"
echo "  libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo unknown)"
echo "  kernel      $(uname -r), $(nproc) cores: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
