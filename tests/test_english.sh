#!/usr/bin/env bash
# test_english.sh — the English edition (--lang en, ja,en): the same
# numbers and figures as the Japanese one, a golden text, nothing Japanese
# in any English output, and a missing English string named as an error.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1183248000}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-en.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }
has() { # NAME FILE TEXT
	if tr '\n' ' ' <"$2" | grep -qF -- "$3"; then ok "$1"; else bad "$1" "missing: $3"; fi
}
# Japanese script anywhere in FILE: Hiragana, Katakana, CJK ideographs,
# CJK punctuation and full-width forms
japanese() {
	python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
if sys.argv[1].endswith(".html"):
    # the link to the Japanese edition names it in Japanese, marked lang="ja"
    t = re.sub(r'<a [^>]*\blang="ja"[^>]*>[^<]*</a>', "", t)
m = re.search(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]", t)
if m:
    i = m.start()
    print(repr(t[max(0, i - 40):i + 20]))
    sys.exit(0)
sys.exit(1)
PY
}
no_japanese() { # NAME FILE
	local hit
	if hit=$(japanese "$2"); then bad "$1" "$hit"; else ok "$1"; fi
}

"$BIN" demo --db "$T/sample.db" >/dev/null || { echo "demo failed"; exit 1; }

# a batch of both languages: 4 files a month, 8 with the web edition
mkdir -p "$T/b"
if "$BIN" render --db "$T/sample.db" --month 2007-01 --to 2007-06 \
    --out "$T/b" --lang ja,en --jobs 2 2>"$T/b.err"; then
	n=$(ls "$T/b" | grep -c '^talot-2007-0[1-6]\(\.en\)\?\.\(pdf\|xlsx\)$')
	[ "$n" = 24 ] && ok "batch ja,en: 4 files for each of 6 months" ||
	    bad "batch ja,en: 4 files for each of 6 months" "$(ls "$T/b")"
else
	bad "batch ja,en" "$(head -3 "$T/b.err")"
fi
mkdir -p "$T/w"
if "$BIN" render --db "$T/sample.db" --month 2007-01 --to 2007-06 \
    --out "$T/w" --lang ja,en --jobs 2 --format pdf,xlsx,html 2>"$T/w.err"; then
	n=$(ls "$T/w" | grep -c '^talot-2007-0[1-6]\(\.en\)\?\.\(pdf\|xlsx\|html\|json\)$')
	[ "$n" = 48 ] && ok "batch ja,en with html: 8 files for each of 6 months" ||
	    bad "batch ja,en with html: 8 files for each of 6 months" "$(ls "$T/w")"
	for f in "$T"/w/talot-2007-0[16].en.html "$T"/w/talot-2007-0[16].en.json; do
		no_japanese "$(basename "$f"): nothing Japanese" "$f"
	done
	has "en page: lang=en" "$T/w/talot-2007-06.en.html" '<html lang="en"'
	has "en page: 293,252" "$T/w/talot-2007-06.en.html" "293,252"
else
	bad "batch ja,en with html" "$(head -3 "$T/w.err")"
fi

# June 2007 in English: golden text, the seed's numbers, 15 figures
pdftotext -layout "$T/b/talot-2007-06.en.pdf" "$T/en.txt"
pdftotext "$T/b/talot-2007-06.en.pdf" "$T/en.raw"
golden=$SRC/tests/golden/talot-2007-06.en.txt
if [ ! -f "$golden" ]; then
	bad "golden English text" "$golden is missing: run tests/regen-golden.sh"
elif diff -u "$golden" "$T/en.txt" >"$T/golden.diff"; then
	ok "pdftotext -layout equals tests/golden/talot-2007-06.en.txt"
else
	bad "pdftotext -layout equals tests/golden/talot-2007-06.en.txt" \
	    "$(head -40 "$T/golden.diff")"
fi
has "en: total 293,252" "$T/en.raw" "293,252 unsolicited accesses"
has "en: 1,086 accesses per sensor per day" "$T/en.raw" "1,086 accesses a day"
has "en: from 277 sources" "$T/en.raw" "from 277 sources"
has "en: 1026/udp notable" "$T/en.raw" "Accesses to 1026/udp in June 2007 were about 2×"
has "en: 1027/udp notable" "$T/en.raw" "Accesses to 1027/udp in June 2007 were about 2×"
has "en: mostly from China" "$T/en.raw" "Most came from China"
has "en: gentle decrease" "$T/en.raw" "gentle downward trend"
has "en: outage as a range" "$T/en.raw" "June 1–3"
n=$(grep -c '^Fig\. [0-9]' "$T/en.raw")
[ "$n" = 15 ] && ok "en: 15 figure captions" || bad "en: 15 figure captions" "found $n"
pdfinfo "$T/b/talot-2007-06.en.pdf" >"$T/info"
has "en: PDF title in English" "$T/info" "Internet Fixed-Point Observation: Monthly Report, June 2007"

# the PDF's language: /Lang in the catalog (an incremental update after
# cairo's document), read without a complaint by poppler
for f in talot-2007-06.en.pdf:en talot-2007-06.pdf:ja; do
	pdf=$T/b/${f%%:*} want=${f##*:}
	got=$(python3 -c 'import re,sys; d=open(sys.argv[1],"rb").read(); print(" ".join(x.decode() for x in re.findall(rb"/Lang \((\w+)\)", d)))' "$pdf")
	errs=$( { pdfinfo "$pdf" >/dev/null; pdftotext "$pdf" /dev/null; } 2>&1 )
	if [ "$got" = "$want" ] && [ -z "$errs" ]; then
		ok "${f%%:*}: the document's language is $want"
	else
		bad "${f%%:*}: the document's language is $want" "got '$got'" "$errs"
	fi
done

# nothing Japanese in any English output
for m in 01 06; do
	pdftotext "$T/b/talot-2007-$m.en.pdf" "$T/en-$m.txt"
	pdfinfo "$T/b/talot-2007-$m.en.pdf" >>"$T/en-$m.txt"
	no_japanese "en 2007-$m: PDF text and metadata" "$T/en-$m.txt"
	python3 "$SRC/tests/xlsx_check.py" "$T/b/talot-2007-$m.en.xlsx" >"$T/en-$m.dump"
	no_japanese "en 2007-$m: workbook (cells, sheets, charts, properties)" "$T/en-$m.dump"
	# chart text stays libxlsxwriter's en-US, with no East Asian typeface
	if awk -F'\t' '$1 == "textrun" { n++; if ($4 != "en-US" || $6 != "-" || $7 != "-") b++ }
	    $1 == "chartlang" && $3 != "en-US" { b++ } END { exit !(n > 0 && b == 0) }' \
	    "$T/en-$m.dump"; then
		ok "en 2007-$m: chart text is en-US"
	else
		bad "en 2007-$m: chart text is en-US" "$(grep -m3 '^textrun' "$T/en-$m.dump")"
	fi
done
# the same numbers in both languages: every numeric cell of every sheet
python3 "$SRC/tests/xlsx_check.py" "$T/b/talot-2007-06.xlsx" >"$T/ja-06.dump"
awk -F'\t' '$1 == "cell" && $4 == "n" { print $5 }' "$T/ja-06.dump" >"$T/ja.nums"
awk -F'\t' '$1 == "cell" && $4 == "n" { print $5 }' "$T/en-06.dump" >"$T/en.nums"
if [ -s "$T/ja.nums" ] && cmp -s "$T/ja.nums" "$T/en.nums"; then
	ok "ja and en workbooks: the same $(wc -l <"$T/ja.nums") numbers in the same cells"
else
	bad "ja and en workbooks: the same numbers" "$(diff "$T/ja.nums" "$T/en.nums" | head -5)"
fi

# the range workbook (talot export) in both languages
if "$BIN" export --db "$T/sample.db" --month 2007-01 --to 2007-06 \
    --out "$T/range.xlsx" --lang ja,en 2>"$T/range.err" &&
    [ -s "$T/range.xlsx" ] && [ -s "$T/range.en.xlsx" ]; then
	ok "export --lang ja,en: range.xlsx and range.en.xlsx"
	python3 "$SRC/tests/xlsx_check.py" "$T/range.en.xlsx" >"$T/range.en.dump"
	no_japanese "export en: nothing Japanese in the range workbook" "$T/range.en.dump"
	python3 "$SRC/tests/xlsx_check.py" "$T/range.xlsx" >"$T/range.ja.dump"
	awk -F'\t' '$1 == "cell" && $4 == "n" { print $5 }' "$T/range.ja.dump" >"$T/r.ja"
	awk -F'\t' '$1 == "cell" && $4 == "n" { print $5 }' "$T/range.en.dump" >"$T/r.en"
	if [ -s "$T/r.ja" ] && cmp -s "$T/r.ja" "$T/r.en"; then
		ok "export: the same numbers in both languages"
	else
		bad "export: the same numbers in both languages"
	fi
else
	bad "export --lang ja,en" "$(head -3 "$T/range.err")"
fi

# fixtures: first month, outages, zero traffic, many countries, huge counts
for f in only-month single-sensor zero-traffic countries-250 big-counts unknown-port; do
	csv=$SRC/tests/data/render/$f.csv
	[ -f "$csv" ] || continue
	"$BIN" import --db "$T/$f.db" "$csv" >/dev/null 2>&1 || { bad "$f: import"; continue; }
	mon=$("$BIN" info --db "$T/$f.db" --csv | awk -F, 'NR > 1 { m = $1 } END { print m }')
	mkdir -p "$T/$f"
	if ! "$BIN" render --db "$T/$f.db" --month "$mon" --out "$T/$f" \
	    --lang en 2>"$T/$f.err"; then
		bad "$f: English render" "$(head -3 "$T/$f.err")"
		continue
	fi
	pdftotext "$T/$f/talot-$mon.en.pdf" "$T/$f.txt"
	python3 "$SRC/tests/xlsx_check.py" "$T/$f/talot-$mon.en.xlsx" >>"$T/$f.txt"
	no_japanese "$f: nothing Japanese in the English PDF and workbook" "$T/$f.txt"
done
# huge counts: the axis title says "(in millions)", a point's label "167
# million" (a number takes the singular, after a space), never "167millions"
if [ -s "$T/big-counts.txt" ]; then
	if grep -qF "(in millions)" "$T/big-counts.txt" &&
	    grep -qE "(^| )167 million( |$)" "$T/big-counts.txt" &&
	    grep -qE "(^| )33\.3 million( |$)" "$T/big-counts.txt" &&
	    ! grep -qE "[0-9] ?(thousands|millions|billions|trillions)" "$T/big-counts.txt"; then
		ok "big-counts: '(in millions)' on the axis, '167 million' at a point"
	else
		bad "big-counts: '(in millions)' on the axis, '167 million' at a point" \
		    "$(grep -E "illion" "$T/big-counts.txt" | head -4)"
	fi
fi

# bad_strings WHAT SED PATTERN: the English strings.conf edited by SED
# fails the render with exit 1 and one line matching PATTERN, no file
bad_strings() {
	rm -rf "$T/tplb" "$T/badout"
	cp -r "$SRC/templates" "$T/tplb"
	sed -i "$2" "$T/tplb/en/strings.conf"
	mkdir -p "$T/badout"
	"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$T/badout" \
	    --template "$T/tplb" --lang en 2>"$T/bad.err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q -- "$3" "$T/bad.err" &&
	    [ "$(grep -c . "$T/bad.err")" = 1 ] && [ -z "$(ls "$T/badout")" ]; then
		ok "$1: exit 1, one line naming it, no file"
	else
		bad "$1: exit 1, one line naming it, no file" "exit $rc" \
		    "$(head -3 "$T/bad.err")" "$(ls "$T/badout")"
	fi
}
# a missing English string is an error naming the key, never Japanese
bad_strings "a missing English string" '/^trend\.down_gentle =/d' \
    "missing string 'trend.down_gentle'"
# a data label's unit with an unterminated quote, or text after its quote
bad_strings "scale.units with an unterminated quote" \
    's|^scale\.units = .*|scale.units = 1e6:millions:" million|' \
    "scale.units: expected DIVISOR:NAME"
bad_strings "scale.units with text after the quote" \
    's|^scale\.units = .*|scale.units = 1e6:millions:" million"x|' \
    "scale.units: expected DIVISOR:NAME"
# a language without its folder
mkdir -p "$T/miss"
"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$T/miss" \
    --lang fr 2>"$T/fr.err"
rc=$?
if [ "$rc" = 1 ] && grep -q "no template folder for the language 'fr'" "$T/fr.err"; then
	ok "--lang fr without templates/fr: exit 1 naming the folder"
else
	bad "--lang fr" "exit $rc" "$(head -3 "$T/fr.err")"
fi
"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$T/miss" \
    --lang ja,ja 2>"$T/jj.err"
[ $? = 2 ] && ok "--lang ja,ja is a usage error" || bad "--lang ja,ja is a usage error"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
