#!/usr/bin/env bash
# regen-browser-golden.sh — rewrites tests/golden/web-2007-06-375.png, the
# low-resolution screenshot of the sample month's page at 375 px that
# tests/test_browser.sh compares against.  Look at the new image (and at
# the page at phone and desktop widths) before committing it.
#
#   tests/regen-browser-golden.sh        # uses build/src/talot
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TALOT_BIN:-$SRC/build/src/talot}
export SOURCE_DATE_EPOCH=1183248000
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-regen.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$BIN" demo --db "$T/sample.db" >/dev/null
"$BIN" render --db "$T/sample.db" --month 2007-05 --to 2007-06 --out "$T/site" \
    --template "$SRC/templates" --format pdf,xlsx,html --jobs 1 2>/dev/null
python3 "$SRC/tests/browser_check.py" --regen \
    "$SRC/tests/golden/web-2007-06-375.png" "$T/site/talot-2007-06.html"
