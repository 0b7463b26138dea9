#!/usr/bin/env bash
# situations.sh — shared by tests/test_situations.sh and
# tests/regen-golden.sh: renders month 2007-06 of a situation fixture
# (tests/data/situations/NAME/data.csv) in Japanese and English, and
# prints the text of its sections 1 and 2 up to 2.2 as `pdftotext -layout`
# shows it.
#   situation_text BIN SRC WORKDIR NAME LANG   (LANG ja or en)
situation_text() {
	local bin=$1 src=$2 w=$3 name=$4 lang=$5 pdf
	mkdir -p "$w/$name"
	if [ ! -f "$w/$name/s.db" ]; then
		"$bin" import --db "$w/$name/s.db" \
		    "$src/tests/data/situations/$name/data.csv" >/dev/null || return 1
	fi
	if [ ! -f "$w/$name/talot-2007-06.pdf" ]; then
		SOURCE_DATE_EPOCH=1183248000 "$bin" render --db "$w/$name/s.db" \
		    --month 2007-06 --out "$w/$name" --format pdf --lang ja,en \
		    --template "$src/templates" || return 1
	fi
	pdf=$w/$name/talot-2007-06.pdf
	[ "$lang" = en ] && pdf=$w/$name/talot-2007-06.en.pdf
	pdftotext -layout "$pdf" - |
	    awk '/^ *1\. / { p = 1 } /^ *2\.2 / { p = 0 } p'
}
