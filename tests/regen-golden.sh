#!/usr/bin/env bash
# regen-golden.sh — rewrites tests/golden/talot-2007-06.txt, the expected
# `pdftotext -layout` text of the sample bulletin (talot demo, 2007-06,
# SOURCE_DATE_EPOCH=1183248000) that tests/test_render.sh compares against.
#
# Run it ONLY after a human has read the diff that test_render.sh printed
# and agrees that every change is intended (lowdown's regen_regress).  It
# prints the same diff again before overwriting; commit the golden file
# together with the change that caused it.
#
#   tests/regen-golden.sh            # uses build/src/talot
#   TALOT_BIN=/path/to/talot tests/regen-golden.sh
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TALOT_BIN:-$SRC/build/src/talot}
GOLDEN=$SRC/tests/golden/talot-2007-06.txt
export SOURCE_DATE_EPOCH=1183248000

T=$(mktemp -d "${TMPDIR:-/tmp}/talot-regen.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$BIN" demo --db "$T/sample.db" >/dev/null
"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$T" --format pdf \
    --template "$SRC/templates"
pdftotext -layout "$T/talot-2007-06.pdf" "$T/new.txt"
mkdir -p "$(dirname "$GOLDEN")"
if [ -f "$GOLDEN" ]; then
	if diff -u "$GOLDEN" "$T/new.txt"; then
		echo "regen-golden.sh: $GOLDEN is up to date"
		exit 0
	fi
fi
cp "$T/new.txt" "$GOLDEN"
echo "regen-golden.sh: wrote $GOLDEN"
