#!/usr/bin/env bash
# Builds every libFuzzer target fuzz/fuzz_*.c with clang (ASan + UBSan) into
# build-fuzz/ and runs each for SECONDS (default 30) over a working copy of
# its seed corpus, so the corpora in fuzz/corpus/ are never written to.
# Prints one summary line per target and exits non-zero when a target fails
# to build or finds a crash, leak, timeout or out-of-memory.
#
#   scripts/fuzz.sh [SECONDS]          all targets (make fuzz FUZZ_SECONDS=60)
#   FUZZ_TARGETS="form router" scripts/fuzz.sh 60    some of them
#   scripts/fuzz.sh 0                  build only (to run one by hand)
#
# The working corpus in build-fuzz/corpus/NAME grows from run to run; remove
# it to start again from the seeds. Crash files land in
# build-fuzz/crashes/NAME/, full output in build-fuzz/logs/NAME.log.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

secs=${1:-30}
case "$secs" in
'' | *[!0-9]*) echo "fuzz: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;;
esac
out=build-fuzz
cc=${FUZZ_CC:-clang}
cflags=(-std=c17 -D_GNU_SOURCE -g -O1 "-fsanitize=fuzzer,address,undefined"
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer -Wall -Wextra
	-Wno-unused-parameter -Isrc)

# What each target links besides its own file: the src/ files and the
# pkg-config packages. A new target needs a line here.
sources_for() {
	case "$1" in
	router) echo "src/http/router.c" ;;
	form) echo "src/http/form.c src/core/arena.c src/core/parse.c src/core/text.c" \
		"src/core/i18n.c src/core/assets.c src/core/buf.c src/core/log.c" ;;
	mustache) echo "src/core/mustache.c src/core/buf.c src/core/html.c" ;;
	text) echo "src/core/arena.c src/core/parse.c src/core/text.c" ;;
	search) echo "src/domain/fold.c src/domain/search.c src/core/arena.c src/core/buf.c" ;;
	dvcqg) echo "src/domain/dvcqg.c src/domain/procedure.c src/core/arena.c src/core/parse.c" \
		"src/core/text.c" ;;
	identity) echo "src/domain/identity.c src/core/arena.c src/core/assets.c" ;;
	multipart) echo "src/http/multipart.c src/http/upload.c src/core/arena.c src/core/buf.c" \
		"src/core/text.c src/core/parse.c src/core/log.c" ;;
	calendar) echo "src/domain/calendar.c src/domain/lunar.c src/domain/identity.c" \
		"src/core/arena.c src/core/assets.c src/core/parse.c" ;;
	workflow) echo "src/domain/workflow.c" ;;
	vietqr) echo "src/domain/vietqr.c src/core/arena.c" ;;
	*) return 1 ;;
	esac
}
packages_for() {
	case "$1" in
	router) echo "" ;;
	form) echo "jansson libutf8proc" ;;
	mustache) echo "jansson" ;;
	text) echo "libutf8proc" ;;
	search) echo "libutf8proc" ;;
	dvcqg) echo "jansson libutf8proc" ;;
	identity) echo "libutf8proc" ;;
	multipart) echo "jansson libutf8proc libsodium libarchive libmagic" ;;
	calendar) echo "libutf8proc" ;;
	workflow) echo "" ;;
	vietqr) echo "" ;;
	esac
}

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc not found (scripts/deps.sh installs clang and libclang-rt-14-dev)" >&2
	exit 2
fi

if [ -n "${FUZZ_TARGETS:-}" ]; then
	names=$FUZZ_TARGETS
else
	names=$(for f in fuzz/fuzz_*.c; do basename "$f" .c | sed 's/^fuzz_//'; done)
fi

mkdir -p "$out/logs"
rc=0
built=()
for name in $names; do
	src=fuzz/fuzz_$name.c
	if [ ! -f "$src" ]; then
		echo "fuzz: no $src" >&2
		rc=1
		continue
	fi
	if ! srcs=$(sources_for "$name"); then
		echo "fuzz: $src has no entry in sources_for() in scripts/fuzz.sh" >&2
		rc=1
		continue
	fi
	read -r -a pkgs <<<"$(packages_for "$name")"
	pkg_cflags=() pkg_libs=()
	if [ ${#pkgs[@]} -gt 0 ]; then
		read -r -a pkg_cflags <<<"$(pkg-config --cflags "${pkgs[@]}")"
		read -r -a pkg_libs <<<"$(pkg-config --libs "${pkgs[@]}")"
	fi
	echo "  FUZZ-CC  $out/fuzz_$name"
	# shellcheck disable=SC2086 # srcs is a list of paths without spaces
	if ! "$cc" "${cflags[@]}" "${pkg_cflags[@]}" -o "$out/fuzz_$name" "$src" $srcs \
		"${pkg_libs[@]}" -lm >"$out/logs/$name.build.log" 2>&1; then
		echo "fuzz: building fuzz_$name failed:" >&2
		cat "$out/logs/$name.build.log" >&2
		rc=1
		continue
	fi
	built+=("$name")
done

if [ "$secs" -eq 0 ]; then
	exit $rc
fi

for name in "${built[@]}"; do
	corpus=$out/corpus/$name
	crashes=$out/crashes/$name
	log=$out/logs/$name.log
	mkdir -p "$corpus" "$crashes"
	if [ -d "fuzz/corpus/$name" ]; then
		cp -R fuzz/corpus/"$name"/. "$corpus"/
	fi
	before=$(find "$crashes" -type f | wc -l)
	"$out/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1
	status=$?
	after=$(find "$crashes" -type f | wc -l)
	found=$((after - before))

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -oE '^#[0-9]+.* cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 |
		sed -E 's/.* cov: ([0-9]+) ft: ([0-9]+)/\1 edges, \2 features/')
	files=$(find "$corpus" -type f | wc -l)
	printf 'fuzz_%-9s %10s execs (%s/s), coverage %s, corpus %s files, crashes %s\n' \
		"$name" "${execs:-?}" "${speed:-?}" "${cov:-?}" "$files" "$found"
	if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
		rc=1
		echo "  fuzz_$name failed (exit $status); see $log" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 3 | sed 's/^/  /' >&2
		find "$crashes" -type f -newer "$out/fuzz_$name" | while read -r f; do
			echo "  reproduce: $out/fuzz_$name $f" >&2
		done
	fi
done
exit $rc
