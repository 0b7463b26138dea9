#!/usr/bin/env bash
# test_render.sh — end-to-end tests of `talot render --format pdf`.
#
#  1. golden text: the sample store (talot demo) rendered for 2007-06 with a
#     fixed SOURCE_DATE_EPOCH; `pdftotext -layout` of the PDF must equal
#     tests/golden/talot-2007-06.txt.  When the bulletin changes on purpose,
#     look at the diff this test prints, and only then run
#     tests/regen-golden.sh to rewrite the golden file (commit both).
#  2. structure: 15 figure captions, metadata, embedded subset fonts,
#     bookmarks, page numbers, byte-identical output for the same
#     SOURCE_DATE_EPOCH.
#  3. edge cases: each tests/data/render/*.csv fixture imported into a fresh
#     store and rendered; failing renders (no data, missing folder, broken
#     template) exit 1, name the problem, and leave no file behind.
#  4. every page of the sample PDF rasterised with pdftoppm (into
#     $TALOT_PNG_DIR when set, for a human to look at).
#
# Environment: TALOT_BIN (the binary), TALOT_SRCDIR (the repository root);
# both default to this checkout's build.  Needs poppler-utils (pdftotext,
# pdfinfo, pdffonts, pdftoppm) and python3.  Prints "N passed, N failed" and
# exits 1 on any failure (77 = skipped when a tool is missing).
set -u

SRC=${TALOT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${TALOT_BIN:-$SRC/build/src/talot}
DATA=$SRC/tests/data/render
GOLDEN=$SRC/tests/golden/talot-2007-06.txt
EPOCH=1183248000            # 2007-07-01T00:00:00Z
export SOURCE_DATE_EPOCH=$EPOCH

for tool in pdftotext pdfinfo pdffonts pdftoppm python3 cmp diff; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "test_render.sh: $tool not found: skipped"
		exit 77
	fi
done
if [ ! -x "$BIN" ]; then
	echo "test_render.sh: $BIN is not an executable (set TALOT_BIN)"
	exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/talot-render-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

npass=0
nfail=0
pass() {
	npass=$((npass + 1))
	echo "ok   $1"
}
fail() {
	nfail=$((nfail + 1))
	echo "FAIL $1"
	shift
	for l in "$@"; do
		printf '     %s\n' "$l"
	done
}
# check NAME COMMAND...: passes when the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "command: $*"; fi
}
# has NAME FILE STRING: the text FILE contains STRING (fixed string), also
# across a line break (FILE.flat: the lines joined, leading blanks dropped)
has() {
	if grep -qF -- "$3" "$2" ||
	    { [ -f "$2.flat" ] && grep -qF -- "$3" "$2.flat"; } ||
	    { [ -f "$2.read" ] && grep -qF -- "$3" "$2.read"; }; then
		pass "$1"
	else
		fail "$1" "'$3' not found in $(basename "$2")"
	fi
}
# hasnt NAME FILE REGEX: no line of FILE matches REGEX
hasnt() {
	local hit
	hit=$(grep -nE -- "$3" "$2" | head -3)
	if [ -z "$hit" ]; then
		pass "$1"
	else
		fail "$1" "unexpected /$3/ in $(basename "$2"):" "$hit"
	fi
}
# render DB MONTH OUTDIR [ARGS...]: stderr in OUTDIR.err, status in $rc
render() {
	local db=$1 month=$2 out=$3
	shift 3
	"$BIN" render --db "$db" --month "$month" --out "$out" --format pdf \
	    --template "$SRC/templates" "$@" 2>"$out.err"
	rc=$?
}
# text PDF: pdftotext -layout to PDF.txt (and PDF.txt.flat); stderr quiet
text() {
	pdftotext -layout "$1" "$1.txt" 2>"$1.txt.err"
	sed 's/^[[:space:]]*//' "$1.txt" | tr -d '\n' >"$1.txt.flat"
	# in reading order, lines joined: a caption wrapped under one of two
	# pies side by side reads whole
	pdftotext "$1" - 2>/dev/null | tr -d '\n' >"$1.txt.read"
	if [ -s "$1.txt.err" ]; then
		fail "pdftotext $(basename "$1") without complaint" \
		    "$(head -3 "$1.txt.err")"
	fi
}
# fixture NAME: imports tests/data/render/NAME.csv into $T/NAME/s.db and
# renders 2007-06 into $T/NAME/out; sets $rc, $pdf, $txt, $err
fixture() {
	local n=$1
	mkdir -p "$T/$n/out"
	if ! "$BIN" import --db "$T/$n/s.db" "$DATA/$n.csv" >"$T/$n/import.out" \
	    2>&1; then
		fail "$n: import" "$(head -3 "$T/$n/import.out")"
	fi
	render "$T/$n/s.db" 2007-06 "$T/$n/out"
	pdf=$T/$n/out/talot-2007-06.pdf
	txt=$pdf.txt
	err=$T/$n/out.err
	if [ "$rc" -eq 0 ] && [ -s "$pdf" ]; then
		pass "$n: render exits 0 and writes the PDF"
		text "$pdf"
	else
		fail "$n: render exits 0 and writes the PDF" "exit $rc" \
		    "$(head -3 "$err")"
		: >"$txt"
	fi
}

# ---------------------------------------------------------------------------
# 1. the sample store, June 2007: golden text
# ---------------------------------------------------------------------------
SAMPLE=$T/sample.db
if ! "$BIN" demo --db "$SAMPLE" >"$T/demo.out" 2>&1; then
	fail "demo writes the sample store" "$(cat "$T/demo.out")"
	echo "$npass passed, $nfail failed"
	exit 1
fi
mkdir -p "$T/a" "$T/b"
render "$SAMPLE" 2007-06 "$T/a"
PDF=$T/a/talot-2007-06.pdf
if [ "$rc" -eq 0 ] && [ -s "$PDF" ]; then
	pass "sample: render 2007-06 exits 0 and writes talot-2007-06.pdf"
else
	fail "sample: render 2007-06" "exit $rc" "$(head -5 "$T/a.err")"
	echo "$npass passed, $nfail failed"
	exit 1
fi
if [ -s "$T/a.err" ]; then
	fail "sample: no warning on stderr" "$(head -5 "$T/a.err")"
else
	pass "sample: no warning on stderr"
fi
text "$PDF"
TXT=$PDF.txt

if [ ! -f "$GOLDEN" ]; then
	fail "sample: golden text" "$GOLDEN is missing: run tests/regen-golden.sh"
elif diff -u "$GOLDEN" "$TXT" >"$T/golden.diff"; then
	pass "sample: pdftotext -layout equals tests/golden/talot-2007-06.txt"
else
	fail "sample: pdftotext -layout equals tests/golden/talot-2007-06.txt" \
	    "diff (expected -> actual); if the change is intended, run tests/regen-golden.sh:"
	head -80 "$T/golden.diff" | sed 's/^/     /'
fi

# the seed's June figures, whatever the golden says
has "sample: total 293,252" "$TXT" "293,252"
has "sample: 1,086 accesses per sensor per day" "$TXT" "1,086件"
has "sample: 277 sources per sensor per day" "$TXT" "平均277の発信元"
has "sample: about 4 accesses per source" "$TXT" "約4件"
has "sample: section 2.1 names 1026/udp and 1027/udp" "$TXT" \
    "2.1 1026/udp、1027/udpポートを狙ったアクセス"
has "sample: 中国 dominates the notable ports" "$TXT" "中国が"
has "sample: ratio 約2倍" "$TXT" "約2倍"
has "sample: gentle decrease over six months" "$TXT" "緩やかですが減少傾向"
has "sample: outage note for 1-3 June" "$TXT" "6月1日～3日は全観測点で"
has "sample: 135/tcp leads" "$TXT" "135/tcp、445/tcp"
has "sample: section 4 table" "$TXT" "ポート種類"
hasnt "sample: no NaN or inf" "$TXT" '(^|[^a-zA-Z])(nan|NaN|inf|Inf)([^a-zA-Z]|$)'
hasnt "sample: no 、 or 。 at a line start" "$TXT" '^[[:space:]]*[、。，．）」』]'

# ---------------------------------------------------------------------------
# 2. structure
# ---------------------------------------------------------------------------
ncap=$(grep -o '【図 ' "$TXT" | wc -l)
if [ "$ncap" -eq 15 ]; then
	pass "structure: 15 figure captions"
else
	fail "structure: 15 figure captions" "found $ncap"
fi
for f in 1.1 2.1.1 2.1.2 2.2.1 2.2.2 2.3.1 2.3.2 2.4.1 2.4.2 2.4.3 2.4.4 \
    3.1.1 3.1.2 3.2.1 3.2.2; do
	if ! grep -qF "【図 $f " "$TXT"; then
		fail "structure: caption 図 $f" "missing"
	fi
done
has "structure: caption in the seed's form" "$TXT" \
    "【図 2.3.1 2007年6月の宛先(ポート種類)別アクセス数の比率】"

pdfinfo "$PDF" >"$T/info" 2>"$T/info.err"
title=$(sed -n 's/^Title: *//p' "$T/info")
author=$(sed -n 's/^Author: *//p' "$T/info")
pages=$(sed -n 's/^Pages: *//p' "$T/info")
created=$(sed -n 's/^CreationDate: *//p' "$T/info")
if [[ $title == *インターネット定点観測での観測状況について* && $title == *2007年6月* ]]; then
	pass "structure: metadata title"
else
	fail "structure: metadata title" "Title: '$title'"
fi
if [ -n "$author" ]; then pass "structure: metadata author"; else
	fail "structure: metadata author" "no Author"; fi
if [[ $created == *2007* ]]; then
	pass "structure: creation date from SOURCE_DATE_EPOCH"
else
	fail "structure: creation date from SOURCE_DATE_EPOCH" "CreationDate: '$created'"
fi
if [ -n "$pages" ] && [ "$pages" -ge 6 ]; then
	pass "structure: $pages pages (>= 6)"
else
	fail "structure: at least 6 pages" "Pages: '$pages'"
fi
if grep -q 'A4' "$T/info"; then pass "structure: A4"; else
	fail "structure: A4" "$(grep 'Page size' "$T/info")"; fi
# page numbers "- N -" on every page
missing=""
for ((i = 1; i <= ${pages:-0}; i++)); do
	grep -qE -- "-[[:space:]]*${i}[[:space:]]*-" "$TXT" || missing="$missing $i"
done
if [ -z "$missing" ]; then pass "structure: page numbers"; else
	fail "structure: page numbers" "missing on:$missing"; fi

# fonts: every font embedded and subset
pdffonts "$PDF" >"$T/fonts" 2>&1
nfonts=$(tail -n +3 "$T/fonts" | grep -c .)
badfonts=$(tail -n +3 "$T/fonts" | awk '$(NF-4) != "yes" || $(NF-3) != "yes" || $1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/')
if [ "$nfonts" -ge 1 ] && [ -z "$badfonts" ]; then
	pass "structure: $nfonts fonts, all embedded and subset"
else
	fail "structure: all fonts embedded and subset" "$(cat "$T/fonts")"
fi
# one family with a real bold: BIZ UDPGothic Regular and Bold, no other
# face (no fallback family, no synthetic bold)
faces=$(tail -n +3 "$T/fonts" | awk '{ sub(/^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/, "", $1); print $1 }' | sort -u | tr '\n' ' ')
if [ "$faces" = "BIZUDPGothic-Bold BIZUDPGothic-Regular " ]; then
	pass "fonts: only BIZ UDPGothic Regular and Bold"
else
	fail "fonts: only BIZ UDPGothic Regular and Bold" "$(cat "$T/fonts")"
fi

# bookmarks: read the outline from the raw PDF (cairo writes plain objects)
outline_ok=0
python3 - "$PDF" >"$T/outline" 2>&1 <<'EOF' || outline_ok=$?
import re, sys, zlib
data = open(sys.argv[1], "rb").read()
def pdfstr(s):
    if s.startswith(b"<"):
        b = bytes.fromhex(s[1:-1].decode())
        return b[2:].decode("utf-16-be") if b[:2] == b"\xfe\xff" else b.decode("latin-1")
    s = s[1:-1]
    if s[:2] == b"\xfe\xff":
        return s[2:].decode("utf-16-be", "replace")
    return s.decode("latin-1")
objs = re.findall(rb"\d+ 0 obj(.*?)endobj", data, re.S)
if b"/ObjStm" in data:
    print("ERROR: object streams: cannot read the outline")
    sys.exit(1)
if not any(b"/Type /Outlines" in o or b"/Type/Outlines" in o for o in objs):
    print("ERROR: no /Outlines dictionary")
    sys.exit(1)
for o in objs:
    if b"/Parent" in o and b"/Title" in o:
        m = re.search(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", o, re.S)
        if m:
            print(pdfstr(m.group(1)))
EOF
if [ "$outline_ok" -ne 0 ]; then
	fail "structure: bookmarks" "$(cat "$T/outline")"
else
	nbm=$(grep -c . "$T/outline")
	miss=""
	for b in "1. 一般のインターネット利用者の皆さんへ" "2. 2007年6月のアクセス状況" \
	    "2.1 1026/udp、1027/udp" "2.2 " "2.3 " "2.4 " "3. 統計情報" "3.1 " \
	    "3.2 " "4. 補足説明" "お問い合わせ先"; do
		grep -qF -- "$b" "$T/outline" || miss="$miss [$b]"
	done
	if [ -z "$miss" ] && [ "$nbm" -ge 11 ]; then
		pass "structure: $nbm bookmarks, one per section"
	else
		fail "structure: one bookmark per section" "missing:$miss" \
		    "found: $(tr '\n' '|' <"$T/outline")"
	fi
fi

# byte-identical output for the same store, template and SOURCE_DATE_EPOCH
render "$SAMPLE" 2007-06 "$T/b"
if [ "$rc" -eq 0 ] && cmp -s "$PDF" "$T/b/talot-2007-06.pdf"; then
	pass "structure: two renders with the same SOURCE_DATE_EPOCH are byte-identical"
else
	fail "structure: byte-identical renders" "exit $rc" \
	    "$(cmp "$PDF" "$T/b/talot-2007-06.pdf" 2>&1)"
fi
# ... and another date changes the metadata and the date of issue on page
# 1 only, nothing else of the text
mkdir -p "$T/c"
SOURCE_DATE_EPOCH=1185926400 render "$SAMPLE" 2007-06 "$T/c"
pdftotext -layout "$T/c/talot-2007-06.pdf" "$T/c.txt" 2>/dev/null
if [ "$rc" -eq 0 ] && grep -qF '2007年7月1日発行' "$TXT" &&
    grep -qF '2007年8月1日発行' "$T/c.txt" &&
    cmp -s <(sed 's/2007年7月1日発行/DATE/' "$TXT") \
    <(sed 's/2007年8月1日発行/DATE/' "$T/c.txt") &&
    pdfinfo "$T/c/talot-2007-06.pdf" | grep -q 'CreationDate:.*Aug  1.*2007'; then
	pass "structure: SOURCE_DATE_EPOCH dates the document"
else
	fail "structure: SOURCE_DATE_EPOCH dates the document" \
	    "$(pdfinfo "$T/c/talot-2007-06.pdf" 2>&1 | grep Date)"
fi

# ---------------------------------------------------------------------------
# 3. edge cases
# ---------------------------------------------------------------------------

# only M has data: no notable port; the six-month figures render with gaps
fixture only-month
has "only-month: total 1,980" "$txt" "合計1,980件"
has "only-month: 33 accesses, 10 sources per sensor per day" "$txt" \
    "平均10の発信元から33件"
has "only-month: 2.1 says a rise cannot be told (no previous month)" "$txt" \
    "前月の観測データがないため、増加した宛先は判断できません"
hasnt "only-month: no sentence compares with the empty month" "$txt" "と比べて"
hasnt "only-month: no notable figure" "$txt" '【図 2\.1\.'
has "only-month: no comparison with an empty month" "$txt" "前月の観測データがない"
has "only-month: trend cannot be judged" "$txt" "傾向はまだ判断できません"
has "only-month: Fig 1.1 with the empty months" "$txt" "2007年1月"
has "only-month: Fig 3.1.1 renders" "$txt" "【図 3.1.1 "
n=$(grep -o '【図 ' "$txt" | wc -l)
if [ "$n" -eq 13 ]; then pass "only-month: 13 figures (no 2.1.x)"; else
	fail "only-month: 13 figures (no 2.1.x)" "found $n"; fi

# one sensor; 1026/udp 2.4x against May
fixture single-sensor
has "single-sensor: 1 sensor" "$txt" "1か所の観測点"
has "single-sensor: total 660" "$txt" "合計660件"
has "single-sensor: 22 accesses, 5 sources per sensor per day" "$txt" \
    "平均5の発信元から22件"
has "single-sensor: 1026/udp notable, 約2倍" "$txt" "2007年5月の約2倍"
has "single-sensor: all from 中国" "$txt" "発信元の地域はすべて中国でした"
hasnt "single-sensor: no share stated when all came from one country" "$txt" \
    "100%を占めて"
has "single-sensor: Fig 2.1.1" "$txt" "【図 2.1.1 "

# one port only
fixture one-port
has "one-port: total 600" "$txt" "合計600件"
has "one-port: 445/tcp is the top port" "$txt" "宛先は、445/tcpでした"
has "one-port: no change against May" "$txt" "ほぼ同じ水準でした。全体として、目立った変化はありませんでした。"
has "one-port: pie shows 100%" "$txt" "100.0%"
hasnt "one-port: no その他 anywhere (nothing outside the top)" "$txt" 'その他'

# 250 countries, most not in the country table
fixture countries-250
has "countries-250: total 31,375" "$txt" "合計31,375件"
if grep -q 'country code AA' "$err"; then
	pass "countries-250: warning names country code AA"
else
	fail "countries-250: warning names country code AA" "$(head -3 "$err")"
fi
if grep -qE '(^|[[:space:]])AA[[:space:]]+[0-9.]+%' "$txt"; then
	pass "countries-250: AA shown as its code in the pie legend"
else
	fail "countries-250: AA shown as its code in the pie legend" \
	    "$(grep -n 'AA' "$txt" | head -3)"
fi
has "countries-250: a known country by its Japanese name (AD アンドラ)" "$txt" "アンドラ"
has "countries-250: その他 in the country pie" "$txt" "その他"

# counts above 2^32
fixture big-counts
has "big-counts: 5,000,000,000 exactly" "$txt" "合計5,000,000,000件"
has "big-counts: 166,666,667 per sensor per day" "$txt" "166,666,667件"
has "big-counts: 33,333,333 sources per sensor per day" "$txt" "33,333,333の発信元"
hasnt "big-counts: no negative numbers" "$txt" '-[0-9]{1,3},[0-9]{3}'
hasnt "big-counts: no 32-bit wrap (705,032,704)" "$txt" '705,032,704'

# all traffic zero on observed days (only marker rows), May and June
fixture zero-traffic
has "zero-traffic: total 0" "$txt" "合計0件"
hasnt "zero-traffic: no NaN or inf in the text" "$txt" \
    '(^|[^a-zA-Z])(nan|NaN|inf|Inf)([^a-zA-Z]|$)'
n=$(grep -o '【図 ' "$txt" | wc -l)
if [ "$n" -ge 13 ]; then pass "zero-traffic: all figures drawn ($n)"; else
	fail "zero-traffic: all figures drawn" "found $n"; fi

# May observed without traffic, June with traffic: no finite ratio
fixture prev-zero
hasnt "prev-zero: no NaN or inf in the text" "$txt" \
    '(^|[^a-zA-Z])(nan|NaN|inf|Inf)([^a-zA-Z]|$)'

# a port missing from the catalogue
fixture unknown-port
if grep -q 'port 54321/tcp is not in the port catalogue' "$err"; then
	pass "unknown-port: warning names 54321/tcp"
else
	fail "unknown-port: warning names 54321/tcp" "$(head -3 "$err")"
fi
# section 4's table: the row for 54321/tcp, without explanation
sec4=$(sed -n '/4\. 補足説明/,$p' "$txt")
if grep -qE '54321/tcp[[:space:]]+\(解説なし\)' <<<"$sec4"; then
	pass "unknown-port: section 4 lists 54321/tcp without explanation"
else
	fail "unknown-port: section 4 lists 54321/tcp without explanation" \
	    "$(grep -n '54321' <<<"$sec4" | head -3)"
fi
if grep -qE '135/tcp[[:space:]]+Windows' <<<"$sec4"; then
	pass "unknown-port: section 4 explains 135/tcp"
else
	fail "unknown-port: section 4 explains 135/tcp" "$(grep -n '135/tcp' <<<"$sec4")"
fi

# a month with no data: exit 1, one line naming the month, no file
mkdir -p "$T/nodata"
render "$SAMPLE" 2008-01 "$T/nodata"
nlines=$(grep -c . "$T/nodata.err")
if [ "$rc" -eq 1 ] && [ "$nlines" -eq 1 ] && grep -q '2008-01' "$T/nodata.err"; then
	pass "no-data: exit 1 with one line naming 2008-01"
else
	fail "no-data: exit 1 with one line naming 2008-01" "exit $rc" \
	    "$(head -3 "$T/nodata.err")"
fi
if [ -z "$(ls -A "$T/nodata")" ]; then
	pass "no-data: nothing written"
else
	fail "no-data: nothing written" "$(ls -A "$T/nodata")"
fi
# the month before the sample's first month, in a fixture store
mkdir -p "$T/nodata2"
render "$T/only-month/s.db" 2007-05 "$T/nodata2"
if [ "$rc" -eq 1 ] && grep -q '2007-05' "$T/nodata2.err" &&
    [ -z "$(ls -A "$T/nodata2")" ]; then
	pass "no-data: 2007-05 of a June-only store fails, no file"
else
	fail "no-data: 2007-05 of a June-only store fails, no file" "exit $rc" \
	    "$(head -3 "$T/nodata2.err")"
fi

# an output folder that does not exist is created with its parents
"$BIN" render --db "$SAMPLE" --month 2007-06 --out "$T/does/not/exist" \
    --format pdf --template "$SRC/templates" 2>"$T/nofolder.err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$T/does/not/exist/talot-2007-06.pdf" ]; then
	pass "out-parents: --out DIR and its parents are created"
else
	fail "out-parents: --out DIR and its parents are created" "exit $rc" \
	    "$(head -3 "$T/nofolder.err")"
fi
# one that cannot be created (a parent is a file): one line naming it
: >"$T/plainfile"
"$BIN" render --db "$SAMPLE" --month 2007-06 --out "$T/plainfile/sub" \
    --format pdf --template "$SRC/templates" 2>"$T/nofolder.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'plainfile' "$T/nofolder.err" &&
    [ "$(grep -c . "$T/nofolder.err")" -eq 1 ]; then
	pass "no-folder: exit 1 with one line naming the folder"
else
	fail "no-folder: exit 1 with one line naming the folder" "exit $rc" \
	    "$(head -3 "$T/nofolder.err")"
fi

# an existing PDF is left intact when a render fails
mkdir -p "$T/keep"
render "$SAMPLE" 2007-06 "$T/keep"
cp "$T/keep/talot-2007-06.pdf" "$T/keep.orig"
cp -r "$SRC/templates" "$T/tpl-unknown"
line=$(grep -n '^## 4\. 補足説明' "$T/tpl-unknown/ja/bulletin.md" | cut -d: -f1)
line=$((line + 2))
sed -i "${line}s/\$/ {{nope}}/" "$T/tpl-unknown/ja/bulletin.md"
SOURCE_DATE_EPOCH=1 "$BIN" render --db "$SAMPLE" --month 2007-06 \
    --out "$T/keep" --format pdf --template "$T/tpl-unknown" 2>"$T/keep.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "bulletin.md:$line:" "$T/keep.err" &&
    grep -q 'nope' "$T/keep.err"; then
	pass "broken template: exit 1 with bulletin.md:$line: naming {{nope}}"
else
	fail "broken template: exit 1 with bulletin.md:$line:" "exit $rc" \
	    "$(head -3 "$T/keep.err")"
fi
check "broken template: the previous PDF is byte-identical" \
    cmp -s "$T/keep.orig" "$T/keep/talot-2007-06.pdf"
leftover=$(find "$T/keep" -mindepth 1 ! -name talot-2007-06.pdf)
if [ -z "$leftover" ]; then
	pass "broken template: no temporary file left"
else
	fail "broken template: no temporary file left" "$leftover"
fi
# a failure while the PDF is being written (an unknown figure is found by
# the typesetter, after the temporary file was opened)
cp -r "$SRC/templates" "$T/tpl-figure"
printf '\n![図 9.9 存在しない図](talot:fig-9.9)\n' >>"$T/tpl-figure/ja/bulletin.md"
SOURCE_DATE_EPOCH=1 "$BIN" render --db "$SAMPLE" --month 2007-06 \
    --out "$T/keep" --format pdf --template "$T/tpl-figure" 2>"$T/keep2.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'fig-9.9' "$T/keep2.err"; then
	pass "unknown figure: exit 1 naming talot:fig-9.9"
else
	fail "unknown figure: exit 1 naming talot:fig-9.9" "exit $rc" \
	    "$(head -3 "$T/keep2.err")"
fi
check "unknown figure: the previous PDF is byte-identical" \
    cmp -s "$T/keep.orig" "$T/keep/talot-2007-06.pdf"
leftover=$(find "$T/keep" -mindepth 1 ! -name talot-2007-06.pdf)
if [ -z "$leftover" ]; then
	pass "unknown figure: no temporary file (.talot-*) left"
else
	fail "unknown figure: no temporary file (.talot-*) left" "$leftover"
fi

# --notes FILE.md: the analyst's commentary appears in the PDF
mkdir -p "$T/notes"
render "$SAMPLE" 2007-06 "$T/notes" --notes "$DATA/notes.md"
if [ "$rc" -eq 0 ]; then
	text "$T/notes/talot-2007-06.pdf"
	has "notes: the commentary is in the PDF" "$T/notes/talot-2007-06.pdf.txt" \
	    "NOTES-MARKER-7f3a"
	has "notes: Markdown emphasis rendered as text" \
	    "$T/notes/talot-2007-06.pdf.txt" "分析者のコメント"
	hasnt "notes: no Markdown syntax left" "$T/notes/talot-2007-06.pdf.txt" \
	    '\*\*分析者'
else
	fail "notes: render with --notes" "exit $rc" "$(head -3 "$T/notes.err")"
fi
mkdir -p "$T/notes2"
render "$SAMPLE" 2007-06 "$T/notes2" --notes "$T/no-such-notes.md"
if [ "$rc" -ne 0 ] && grep -q 'no-such-notes.md' "$T/notes2.err" &&
    [ -z "$(ls -A "$T/notes2")" ]; then
	pass "notes: a missing notes file fails, naming it"
else
	fail "notes: a missing notes file fails, naming it" "exit $rc" \
	    "$(head -3 "$T/notes2.err")"
fi

# a glyph missing from the fonts is an error, never silent tofu
printf 'テスト \xee\x80\x80 です。\n' >"$T/tofu.md"     # U+E000, private use
mkdir -p "$T/tofu"
render "$SAMPLE" 2007-06 "$T/tofu" --notes "$T/tofu.md"
if [ "$rc" -eq 1 ] && grep -q 'U+E000' "$T/tofu.err" &&
    [ -z "$(ls -A "$T/tofu")" ]; then
	pass "tofu: a glyph missing from the fonts fails, naming U+E000, no file"
else
	fail "tofu: a glyph missing from the fonts fails, naming U+E000, no file" \
	    "exit $rc" "$(head -3 "$T/tofu.err")" "$(ls -A "$T/tofu")"
fi

# ---------------------------------------------------------------------------
# 3b. hostile notes (issue 15): content taller than a page flows over pages,
#     never clipped and never over the footer; deep nesting is refused
# ---------------------------------------------------------------------------
# in_body PDF: every word lies between the header rule and the footer's
# page number (pdftotext -bbox); prints the first offender
in_body() {
	pdftotext -bbox "$1" - 2>/dev/null | python3 -c '
import re, sys
bad = []
for m in re.finditer(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\">([^<]*)</word>", sys.stdin.read()):
    y0, y1, w = float(m.group(2)), float(m.group(4)), m.group(5)
    # the footer holds only "- N -" (at y 797); the body ends at 771.9
    if y1 > 773 and not re.fullmatch(r"[-0-9]+", w):
        bad.append("%s at y %.1f-%.1f" % (w[:20], y0, y1))
print(bad[0] if bad else "")'
}
# count_chars FILE CHAR: how many times CHAR occurs in the text FILE
count_chars() {
	python3 -c 'import sys; print(open(sys.argv[1], encoding="utf-8").read().count(sys.argv[2]))' "$1" "$2"
}
mkdir -p "$T/hostile"
python3 - "$T/hostile" <<'PY'
import sys
d = sys.argv[1]
open(d + "/heading.md", "w").write("## " + "見出し" * 3000 + "\n\n本文。\n")
open(d + "/para.md", "w").write("ぱ" * 60000 + "\n")
open(d + "/word.md", "w").write("w" * 200000 + "\n")
open(d + "/code.md", "w").write("```\n" + "".join("code line %d\tend\n" % i for i in range(1500)) + "```\n")
PY
for kind in heading para word code; do
	mkdir -p "$T/hostile/$kind"
	render "$SAMPLE" 2007-06 "$T/hostile/$kind" --notes "$T/hostile/$kind.md"
	pdf=$T/hostile/$kind/talot-2007-06.pdf
	if [ "$rc" -ne 0 ]; then
		fail "hostile $kind: renders" "exit $rc" "$(head -3 "$T/hostile/$kind.err")"
		continue
	fi
	pdftotext "$pdf" "$pdf.txt" 2>/dev/null
	case $kind in
	heading) ch=見; want=3000 ;;
	para) ch=ぱ; want=60000 ;;
	word) ch=w; want=200000 ;;
	code) ch=end; want=1500 ;;
	esac
	got=$(count_chars "$pdf.txt" "$ch")
	if [ "$got" -ge "$want" ]; then
		pass "hostile $kind: all of it is in the PDF ($got × $ch)"
	else
		fail "hostile $kind: all of it is in the PDF" "$got of $want × $ch"
	fi
	off=$(in_body "$pdf")
	if [ -z "$off" ]; then
		pass "hostile $kind: nothing below the body or over the footer"
	else
		fail "hostile $kind: nothing below the body or over the footer" "$off"
	fi
done

# the longest explanation ports.csv accepts (1,000 characters) fits in one
# row of the port table: all of it, inside the body
cp -r "$SRC/templates" "$T/tpl-long"
python3 - "$T/tpl-long/ports.csv" <<'PY'
import csv, io, sys
p = sys.argv[1]
rows = list(csv.reader(open(p, encoding="utf-8", newline="")))
for r in rows:
    if r[:2] in (["tcp", "445"], ["tcp", "135"]):
        r[3] = "説" * 1000
out = io.StringIO()
csv.writer(out, lineterminator="\n").writerows(rows)
open(p, "w", encoding="utf-8").write(out.getvalue())
PY
mkdir -p "$T/hostile/long-ex"
"$BIN" render --db "$SAMPLE" --month 2007-06 --out "$T/hostile/long-ex" \
    --format pdf --template "$T/tpl-long" 2>"$T/hostile/long-ex.err"
rc=$?
pdf=$T/hostile/long-ex/talot-2007-06.pdf
if [ "$rc" -eq 0 ]; then
	pdftotext "$pdf" "$pdf.txt" 2>/dev/null
	got=$(count_chars "$pdf.txt" 説)
	if [ "$got" -ge 2000 ]; then
		pass "1,000-character explanations: all of them in the port table ($got)"
	else
		fail "1,000-character explanations: all of them in the port table" "$got of 2000"
	fi
	off=$(in_body "$pdf")
	if [ -z "$off" ]; then
		pass "1,000-character explanations: nothing over the footer"
	else
		fail "1,000-character explanations: nothing over the footer" "$off"
	fi
else
	fail "1,000-character explanations: render" "exit $rc" "$(head -3 "$T/hostile/long-ex.err")"
fi

# ---------------------------------------------------------------------------
# 3c. under a memory limit (ulimit -v): a render either completes or ends
#     with one "out of memory" line and exit 1, never a crash (issue 15)
# ---------------------------------------------------------------------------
if (ulimit -v 100000 && "$BIN" --help >/dev/null 2>&1); then
	mkdir -p "$T/mem"
	for kb in 200000 150000 120000 100000 150000 200000; do
		rm -rf "$T/mem/ok"; mkdir "$T/mem/ok"
		(ulimit -v $kb && exec "$BIN" render --db "$SAMPLE" --month 2007-06 \
		    --out "$T/mem/ok" --template "$SRC/templates") >/dev/null 2>"$T/mem/ok.err"
		rc=$?
		if [ "$rc" -eq 0 ] && [ "$(ls "$T/mem/ok" | wc -l)" -eq 2 ]; then
			pass "ulimit -v $kb: render completes"
		else
			fail "ulimit -v $kb: render completes" "exit $rc" "$(head -3 "$T/mem/ok.err")"
		fi
	done
	for cmd in render export; do
		rm -rf "$T/mem/low"; mkdir "$T/mem/low"
		if [ $cmd = render ]; then
			args=(render --db "$SAMPLE" --month 2007-06 --out "$T/mem/low")
			kb=60000
		else
			args=(export --db "$SAMPLE" --month 2007-01 --to 2007-06 --out "$T/mem/low/r.xlsx")
			kb=40000
		fi
		(ulimit -v $kb && exec "$BIN" "${args[@]}") >/dev/null 2>"$T/mem/low.err"
		rc=$?
		if [ "$rc" -eq 1 ] && [ "$(wc -l <"$T/mem/low.err")" -eq 1 ] &&
		    grep -q "^talot $cmd: out of memory: the memory limit (ulimit -v $kb)" "$T/mem/low.err" &&
		    [ -z "$(ls -A "$T/mem/low")" ]; then
			pass "ulimit -v $kb: $cmd says out of memory in one line, exit 1, no file"
		else
			fail "ulimit -v $kb: $cmd says out of memory in one line, exit 1, no file" \
			    "exit $rc" "$(head -3 "$T/mem/low.err")" "$(ls -A "$T/mem/low")"
		fi
	done
else
	echo "skip ulimit -v: the binary cannot start under a memory limit (a sanitizer build)"
fi

# ---------------------------------------------------------------------------
# 4. page images (for humans: TALOT_PNG_DIR)
# ---------------------------------------------------------------------------
PNG=${TALOT_PNG_DIR:-$T/png}
mkdir -p "$PNG"
if pdftoppm -png -r 70 "$PDF" "$PNG/talot-2007-06" 2>"$T/ppm.err" &&
    [ ! -s "$T/ppm.err" ]; then
	npng=$(find "$PNG" -maxdepth 1 -name 'talot-2007-06-*.png' | wc -l)
	if [ "$npng" -eq "${pages:-0}" ]; then
		pass "pages: $npng pages rasterised${TALOT_PNG_DIR:+ into $PNG}"
	else
		fail "pages: every page rasterised" "$npng PNGs for $pages pages"
	fi
else
	fail "pages: pdftoppm renders the PDF without complaint" \
	    "$(head -3 "$T/ppm.err")"
fi

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
