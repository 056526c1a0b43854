#!/usr/bin/env bash
# The project's lint pass: banned unsafe calls (curl's list), file headers,
# and clang-format conformance of the sources. Prints each problem with its
# file and line; exits non-zero when there is any.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0

banned=$(grep -rnE --exclude-dir=node_modules '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atoll|gets)\s*\(' src tests fuzz tools 2>/dev/null)
if [ -n "$banned" ]; then
  echo "lint: banned calls (use snprintf, memcpy, buf_*, parse_int64):"
  echo "$banned"
  rc=1
fi

# Every source file opens with a comment that says what it is for.
for f in $(find src -name '*.[ch]'); do
  if ! head -n 1 "$f" | grep -q '^/\*'; then
    echo "lint: $f does not open with a comment saying what it is for"
    rc=1
  fi
done

if command -v clang-format >/dev/null 2>&1; then
  bad=$(find src -name '*.[ch]' -print0 | xargs -0 clang-format --dry-run 2>&1 | grep -E '^[^ ].*: (warning|error):' | cut -d: -f1 | sort -u)
  if [ -n "$bad" ]; then
    echo "lint: not formatted as .clang-format says (run 'make format'):"
    echo "$bad"
    rc=1
  fi
fi
exit $rc
