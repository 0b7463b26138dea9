#!/usr/bin/env bash
# regen-page-golden.sh — rewrites tests/golden/pages/*.png, the page images
# of the sample bulletin (ja, en) and of two extreme fixtures that
# tests/test_pages.sh compares against (tests/pages.sh makes them).
#
# Run it ONLY after a human has looked at every new page (pdftoppm -png
# -r 70 of the PDFs, one image per page) and agrees that every change is
# intended; it lists the pages that changed.  Commit the images with the
# change that caused them.
#
#   tests/regen-page-golden.sh           # uses build/src/talot
#   TALOT_BIN=/path/to/talot tests/regen-page-golden.sh
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TALOT_BIN:-$SRC/build/src/talot}
DIFF=${TALOT_PNG_DIFF:-$SRC/build/tests/png_diff}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-regen.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/pages.sh"
pages_render "$BIN" "$SRC" "$T"
G=$SRC/tests/golden/pages
mkdir -p "$G"
for f in "$G"/*.png; do
	[ -e "$f" ] && [ ! -e "$T/png/$(basename "$f")" ] &&
	    { rm "$f"; echo "regen-page-golden.sh: removed $f"; }
done
for f in "$T"/png/*.png; do
	g=$G/$(basename "$f")
	if [ -f "$g" ] && [ -x "$DIFF" ] && "$DIFF" "$g" "$f" >/dev/null; then
		continue
	fi
	cp "$f" "$g"
	echo "regen-page-golden.sh: wrote $g"
done
