#!/usr/bin/env bash
# test_pages.sh — image goldens of the PDF: every page of the sample
# bulletin (Japanese and English) and of two extreme fixtures (counts of
# about 10^12; the first month with 250 countries), rasterised in grey at
# 20 dpi by tests/pages.sh, equal to tests/golden/pages/*.png within the
# tolerance of tests/png_diff.c (a moved line, figure or label fails;
# antialiasing does not).  The same pages, no more, no fewer.
# tests/regen-page-golden.sh rewrites the goldens after a human has looked
# at the new pages.  Skips (77) when pdftoppm or python3 is missing.
set -u
SRC=${TALOT_SRCDIR:?}
BIN=${TALOT_BIN:?}
DIFF=${TALOT_PNG_DIFF:?}
GOLDEN=$SRC/tests/golden/pages
for tool in pdftoppm python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is not installed (poppler-utils, python3)"
		exit 77
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-pages.XXXXXX")
trap 'rm -rf "$T"' EXIT
npass=0
nfail=0
ok() { echo "ok   $1"; npass=$((npass + 1)); }
bad() {
	echo "FAIL $1"
	shift
	for l in "$@"; do echo "     $l"; done
	nfail=$((nfail + 1))
}

. "$SRC/tests/pages.sh"
if ! pages_render "$BIN" "$SRC" "$T" 2>"$T/err"; then
	bad "render the bulletins of the page goldens" "$(head -5 "$T/err")"
	echo "$npass passed, $nfail failed"
	exit 1
fi
(cd "$GOLDEN" && ls -- *.png) >"$T/want" 2>/dev/null
(cd "$T/png" && ls -- *.png) >"$T/got"
if [ -s "$T/want" ] && diff -q "$T/want" "$T/got" >/dev/null; then
	ok "the same $(wc -l <"$T/got") pages as the goldens"
else
	bad "the same pages as the goldens (tests/regen-page-golden.sh)" \
	    "$(diff "$T/want" "$T/got" | head -8)"
fi
while read -r f; do
	[ -f "$T/png/$f" ] || continue
	if out=$("$DIFF" "$GOLDEN/$f" "$T/png/$f"); then
		ok "$f: $out"
	else
		bad "$f differs from its golden (if intended: look at the pages, then tests/regen-page-golden.sh)" "$out"
	fi
done <"$T/want"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
