#!/usr/bin/env bash
# regen-golden.sh — rewrites the expected `pdftotext -layout` texts of the
# sample bulletin (talot demo, 2007-06, SOURCE_DATE_EPOCH=1183248000) that
# the tests compare against: tests/golden/talot-2007-06.txt (Japanese, read
# by tests/test_render.sh) and tests/golden/talot-2007-06.en.txt (English,
# read by tests/test_english.sh), and sections 1-2 of each situation
# fixture in both languages (tests/golden/situations/, read by
# tests/test_situations.sh).
#
# Run it ONLY after a human has read the diff that the tests printed and
# agrees that every change is intended (lowdown's regen_regress).  It prints
# the same diff again before overwriting; commit the golden files together
# with the change that caused them.
#
#   tests/regen-golden.sh            # uses build/src/talot
#   TALOT_BIN=/path/to/talot tests/regen-golden.sh
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TALOT_BIN:-$SRC/build/src/talot}
export SOURCE_DATE_EPOCH=1183248000

T=$(mktemp -d "${TMPDIR:-/tmp}/talot-regen.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$BIN" demo --db "$T/sample.db" >/dev/null
"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$T" --format pdf \
    --template "$SRC/templates" --lang ja,en
mkdir -p "$SRC/tests/golden"
for name in talot-2007-06 talot-2007-06.en; do
	golden=$SRC/tests/golden/$name.txt
	pdftotext -layout "$T/$name.pdf" "$T/$name.txt"
	if [ -f "$golden" ] && diff -u "$golden" "$T/$name.txt"; then
		echo "regen-golden.sh: $golden is up to date"
		continue
	fi
	cp "$T/$name.txt" "$golden"
	echo "regen-golden.sh: wrote $golden"
done

# the situation fixtures: sections 1 and 2 in both languages
. "$SRC/tests/situations.sh"
mkdir -p "$SRC/tests/golden/situations"
for d in "$SRC"/tests/data/situations/*/; do
	name=$(basename "$d")
	for lang in ja en; do
		golden=$SRC/tests/golden/situations/$name.$lang.txt
		situation_text "$BIN" "$SRC" "$T/sit" "$name" "$lang" >"$T/sit.txt"
		if [ -f "$golden" ] && diff -u "$golden" "$T/sit.txt"; then
			continue
		fi
		cp "$T/sit.txt" "$golden"
		echo "regen-golden.sh: wrote $golden"
	done
done
