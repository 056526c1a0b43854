#!/usr/bin/env bash
# bench/pages.sh - the catalogue pages a citizen reads most (a search, a
# procedure page) served by motcua next to nginx serving the same bytes
# from files, on loopback only.
#
# Makes a throw-away demo data directory, starts `motcua serve` (access log
# to a file, the production shape), saves each page's body with curl, starts
# nginx (foreground, generated config) serving those bytes at the same
# paths with the same Content-Type, then runs wrk on each path against
# both and prints requests/s, p99 and the ratio motcua/nginx.
#
# Run:   make && bench/pages.sh
# Knobs: DURATION=10s CONNECTIONS=64 THREADS=2 WARMUP=2s
#        MOTCUA=build/motcua NGINX=/usr/sbin/nginx WRK=/usr/bin/wrk KEEP=1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOTCUA=${MOTCUA:-$ROOT/build/motcua}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-/usr/bin/wrk}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
HOST=127.0.0.1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/motcua-pages.XXXXXX")
MPID="" NPID=""
cleanup() {
	[ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null || true
	[ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== setting up (motcua init --demo)"
"$MOTCUA" init --data "$TMP/data" --demo >/dev/null
MPORT=$(free_port)
echo "access_log = $TMP/access.log" >>"$TMP/data/motcua.conf"
"$MOTCUA" serve --data "$TMP/data" --listen "$HOST:$MPORT" 2>"$TMP/motcua.err" &
MPID=$!
for _ in $(seq 100); do curl -fs "http://$HOST:$MPORT/healthz" >/dev/null && break; sleep 0.1; done

# name | path (as requested) | file name in the web root
PAGES=("search|/thu-tuc?q=dang+ky+khai+sinh|search.html" "procedure|/thu-tuc/1.001193|procedure.html")
mkdir -p "$TMP/www"
for p in "${PAGES[@]}"; do
	IFS='|' read -r name path file <<<"$p"
	curl -fsS -o "$TMP/www/$file" "http://$HOST:$MPORT$path"
done

NPORT=$(free_port)
cat >"$TMP/nginx.conf" <<NGX
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/body; proxy_temp_path $TMP/proxy;
  fastcgi_temp_path $TMP/fcgi; uwsgi_temp_path $TMP/uwsgi; scgi_temp_path $TMP/scgi;
  open_file_cache max=100;
  server {
    listen $HOST:$NPORT;
    root $TMP/www;
    default_type "text/html; charset=utf-8";
    location = /thu-tuc { try_files /search.html =404; }
    location = /thu-tuc/1.001193 { try_files /procedure.html =404; }
  }
}
NGX
"$NGINX" -c "$TMP/nginx.conf" -g 'daemon off;' &
NPID=$!
for _ in $(seq 100); do curl -fs "http://$HOST:$NPORT/thu-tuc" >/dev/null && break; sleep 0.1; done

run() { # port path -> "rps p99"
	"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://$HOST:$1$2" >/dev/null
	"$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://$HOST:$1$2" >"$TMP/wrk.out"
	local rps p99
	rps=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.out")
	p99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.out")
	echo "$rps $p99"
}

printf '\n%-10s %-8s %10s %9s %8s\n' page server "req/s" p99 bytes
for p in "${PAGES[@]}"; do
	IFS='|' read -r name path file <<<"$p"
	read -r mr mp < <(run "$MPORT" "$path")
	read -r nr np < <(run "$NPORT" "$path")
	size=$(stat -c %s "$TMP/www/$file")
	printf '%-10s %-8s %10s %9s %8s\n' "$name" motcua "$mr" "$mp" "$size"
	printf '%-10s %-8s %10s %9s %8s\n' "$name" nginx "$nr" "$np" "$size"
	awk -v a="$mr" -v b="$nr" -v n="$name" 'BEGIN { printf "%-10s ratio motcua/nginx %.2fx\n", n, a / b }'
done
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; motcua $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); $("$NGINX" -v 2>&1)"
