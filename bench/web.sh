#!/usr/bin/env bash
# bench/web.sh — what the web edition of a month costs next to its PDF:
# renders the sample month (talot demo, 2007-06) with --format pdf, then
# with --format html (the page, its JSON and the index), RUNS times each,
# and prints the median CPU time (user + system) and the output sizes.  Both include
# loading the month and building the edition (the same for both), so the
# difference is the renderers'.  Not part of the test suite.
#
#   bench/web.sh            # RUNS=7, build/src/talot
#   RUNS=15 TALOT_BIN=... bench/web.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${TALOT_BIN:-$ROOT/build/src/talot}
RUNS=${RUNS:-7}
MONTH=${MONTH:-2007-06}
export SOURCE_DATE_EPOCH=1183248000
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-bench-web.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$BIN" demo --db "$T/s.db" >/dev/null

median() { # times, one a line
	sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
measure() { # FORMAT: median CPU seconds (user + system) of the render
	# (CPU time, not wall time: the figure holds on a busy machine)
	for _ in $(seq "$RUNS"); do
		rm -rf "$T/out"
		local TIMEFORMAT='%U %S'
		{ time "$BIN" render --db "$T/s.db" --month "$MONTH" \
		    --out "$T/out" --format "$1" 2>/dev/null; } 2>&1 |
		    awk '{ print $1 + $2 }'
	done | median
}
pdf=$(measure pdf)
pdf_size=$(stat -c %s "$T/out/talot-$MONTH.pdf")
html=$(measure html)
html_size=$(stat -c %s "$T/out/talot-$MONTH.html")
json_size=$(stat -c %s "$T/out/talot-$MONTH.json")
gz_size=$(gzip -9 -c "$T/out/talot-$MONTH.html" | wc -c)
printf 'month %s, median of %d runs\n' "$MONTH" "$RUNS"
printf '  --format pdf   %6.3f s   PDF %d bytes\n' "$pdf" "$pdf_size"
printf '  --format html  %6.3f s   page %d bytes (%d gzipped), JSON %d bytes\n' \
    "$html" "$html_size" "$gz_size" "$json_size"
awk -v h="$html" -v p="$pdf" 'BEGIN { printf "  html / pdf     %6.2f\n", h / p }'
