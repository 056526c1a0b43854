#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks, on loopback.
#
#   scripts/pg-cluster.sh start DIR [PORT]   initdb DIR (if new) and start; prints the URL
#   scripts/pg-cluster.sh stop DIR           stop it (fast shutdown)
#   scripts/pg-cluster.sh kill DIR           kill the postmaster at once (crash test)
#   scripts/pg-cluster.sh url DIR            print the URL of a started cluster
#
# PostgreSQL refuses to run as root, and CI runs as root, so the cluster runs
# as the 'postgres' system user (created by Debian's package) or, failing
# that, 'nobody'. Authentication is 'trust' on 127.0.0.1 only.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|kill|url DIR [PORT]" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_user() {
  if [ "$(id -u)" -eq 0 ]; then
    local u=postgres
    id -u "$u" >/dev/null 2>&1 || u=nobody
    runuser -u "$u" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case "$cmd" in
start)
  port=${3:-$(free_port)}
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    u=postgres; id -u "$u" >/dev/null 2>&1 || u=nobody
    chown "$u" "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_user "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  echo "$port" >"$dir/port"
  [ "$(id -u)" -eq 0 ] && chown "$u" "$dir/port"
  as_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 300 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB -c max_wal_size=256MB" start >/dev/null ||
    { tail -n 20 "$dir/server.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  ;;
kill)
  # SIGKILL, like a crash; then wait until it is gone (or a zombie, which
  # no longer holds the port) so that 'start' can follow at once.
  if [ -f "$dir/data/postmaster.pid" ]; then
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
      case "$state" in ""|Z*) break ;; esac
      sleep 0.1
    done
    rm -f "$dir/data/postmaster.pid" "$dir"/.s.PGSQL.*.lock
  fi
  ;;
url)
  echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
  ;;
*)
  echo "usage: $0 start|stop|kill|url DIR [PORT]" >&2; exit 2 ;;
esac
