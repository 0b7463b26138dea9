#!/usr/bin/env bash
# test_browser.sh — the sample month's page and the index in headless
# chromium (tests/browser_check.py): no horizontal scrolling at 375 and
# 1280 px, no console error, no request, and a low-resolution screenshot
# of the page at 375 px compared with tests/golden/web-2007-06-375.png
# (tests/regen-browser-golden.sh rewrites it).  Skips (77) with the reason
# when chromium is missing or cannot start.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-browser.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$BIN" demo --db "$T/sample.db" >/dev/null || { echo "demo failed"; exit 1; }
"$BIN" render --db "$T/sample.db" --month 2007-05 --to 2007-06 --out "$T/site" \
    --template "$SRC/templates" --format pdf,xlsx,html --jobs 1 2>/dev/null ||
    { echo "render failed"; exit 1; }
GOLDEN=$SRC/tests/golden/web-2007-06-375.png
if [ ! -f "$GOLDEN" ]; then
	echo "FAIL no golden $GOLDEN (tests/regen-browser-golden.sh)"
	exit 1
fi
python3 "$SRC/tests/browser_check.py" "$GOLDEN" "$T/site/talot-2007-06.html" \
    "$T/site/index.html"
