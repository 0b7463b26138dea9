#!/usr/bin/env bash
# test_pages.sh — image goldens of the PDF: every page of the sample
# bulletin (Japanese and English) and of two extreme fixtures (counts of
# about 10^12; the first month with 250 countries), rasterised in grey at
# 20 dpi by tests/pages.sh, equal to tests/golden/pages/*.png within the
# tolerance of tests/png_diff.c (a moved line, figure or label fails;
# antialiasing does not).  The same pages, no more, no fewer; and no page
# but the last of a bulletin more than a third blank.
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
# page fill: no page but the last of a bulletin leaves more than a third of
# its text area blank
for name in sample sample.en huge countries; do
	last=$(cd "$T/png" && ls -- "$name"-[0-9]*.png | sort | tail -1)
	worst=0 at=""
	for f in "$T/png/$name"-[0-9]*.png; do
		[ "$(basename "$f")" = "$last" ] && continue
		b=$("$DIFF" --blank "$f")
		if awk -v b="$b" -v w="$worst" 'BEGIN { exit !(b > w) }'; then
			worst=$b at=$(basename "$f")
		fi
	done
	if awk -v b="$worst" 'BEGIN { exit !(b <= 1 / 3) }'; then
		ok "$name: no page but the last is more than a third blank (most: $worst${at:+ on $at})"
	else
		bad "$name: $at leaves $worst of its text area blank (at most 1/3)"
	fi
done
# section 4's table: its header row never ends a page (the page that
# holds a header also holds a row of the table under it: a line with more
# than the page number)
if command -v pdftotext >/dev/null; then
	for name in sample sample.en huge countries; do
		pdf=$T/${name%.en}/talot-2007-06.pdf
		[ "$name" = sample.en ] && pdf=$T/sample/talot-2007-06.en.pdf
		head='^ *(ポート種類 +解説|Port +Explanation) *$'
		n=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
		lone="" seen=0
		for ((pg = 1; pg <= n; pg++)); do
			pdftotext -layout -f "$pg" -l "$pg" "$pdf" "$T/page.txt"
			grep -Eq "$head" "$T/page.txt" || continue
			seen=$((seen + 1))
			awk -v h="$head" '$0 ~ h { on = 1; next }
			    on && /[^-[:space:][:digit:]]/ { found = 1 }
			    END { exit !found }' "$T/page.txt" || lone="$lone $pg"
		done
		if [ "$seen" -eq 0 ]; then
			bad "$name: section 4's table header found on no page"
		elif [ -z "$lone" ]; then
			ok "$name: the table header is followed by a row on each of its $seen page(s)"
		else
			bad "$name: the table header ends page(s)$lone"
		fi
	done
fi
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
