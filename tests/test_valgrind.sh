#!/usr/bin/env bash
# A render of the sample month under valgrind: no definite leak from talot
# (library-internal caches are listed, with reasons, in valgrind.supp).
set -u
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
if ldd "$TALOT_BIN" | grep -q libasan; then echo "sanitizer build: skipped"; exit 77; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$TALOT_BIN" demo --db "$tmp/d.db" >/dev/null || { echo "demo failed"; exit 1; }
for fmt in pdf xlsx; do
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --error-exitcode=9 \
    --suppressions="$TALOT_SRCDIR/tests/valgrind.supp" \
    "$TALOT_BIN" render --db "$tmp/d.db" --month 2007-06 --out "$tmp" --format $fmt
  rc=$?
  if [ $rc -ne 0 ]; then echo "valgrind: render --format $fmt exit $rc"; echo "0 passed, 1 failed"; exit 1; fi
done
echo "2 passed, 0 failed"
