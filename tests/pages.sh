#!/usr/bin/env bash
# pages.sh — shared by tests/test_pages.sh and tests/regen-page-golden.sh:
# renders the bulletins whose pages are kept as image goldens and
# rasterises every page at low resolution in grey (pdftoppm -r 20 -gray).
#   sample      the demo store, 2007-06, Japanese and English
#   huge        tests/data/pages/huge.py: counts of about 10^12, six
#               months, an outage (Japanese)
#   countries   tests/data/render/countries-250.csv: the first month, one
#               port, 250 source countries (Japanese)
# pages_render BIN SRC WORKDIR: writes WORKDIR/png/NAME-N.png (NAME:
# sample, sample.en, huge, countries; N the page, 1-based, two digits).
PAGES_DPI=20

pages_render() {
	local bin=$1 src=$2 w=$3 name
	mkdir -p "$w/png" "$w/sample" "$w/huge" "$w/countries"
	export SOURCE_DATE_EPOCH=1183248000
	"$bin" demo --db "$w/sample/s.db" >/dev/null || return 1
	"$bin" render --db "$w/sample/s.db" --month 2007-06 --out "$w/sample" \
	    --format pdf --lang ja,en --template "$src/templates" || return 1
	python3 "$src/tests/data/pages/huge.py" >"$w/huge/data.csv" || return 1
	"$bin" import --db "$w/huge/s.db" "$w/huge/data.csv" >/dev/null || return 1
	"$bin" render --db "$w/huge/s.db" --month 2007-06 --out "$w/huge" \
	    --format pdf --template "$src/templates" || return 1
	"$bin" import --db "$w/countries/s.db" \
	    "$src/tests/data/render/countries-250.csv" >/dev/null || return 1
	"$bin" render --db "$w/countries/s.db" --month 2007-06 \
	    --out "$w/countries" --format pdf --template "$src/templates" \
	    2>/dev/null || return 1
	for name in sample sample.en huge countries; do
		local pdf=$w/${name%.en}/talot-2007-06.pdf
		[ "$name" = sample.en ] && pdf=$w/sample/talot-2007-06.en.pdf
		pdftoppm -png -gray -r "$PAGES_DPI" "$pdf" "$w/png/$name" || return 1
	done
	# pdftoppm numbers pages 1..9 as -1 or -01 depending on the count
	for f in "$w"/png/*-[0-9].png; do
		[ -e "$f" ] && mv "$f" "${f%-*}-0${f##*-}"
	done
	return 0
}
