#!/usr/bin/env bash
# test_html.sh — the web edition: --format html writes a valid,
# self-contained, byte-reproducible page and a JSON whose numbers agree
# with the page and the workbook (sample and a fixture); labels and notes
# are escaped or neutralised; the index lists exactly the months whose
# pages are in the folder, newest first.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-html.XXXXXX")
trap 'rm -rf "$T"' EXIT
CHECK="python3 $SRC/tests/web_check.py"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }
check() { # NAME CMD... : ok when CMD exits 0, its output shown otherwise
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "SKIP: $out"
		exit 77
	fi
	if [ $rc -eq 0 ]; then ok "$name"; else bad "$name" "$(echo "$out" | head -8)"; fi
}

# The Nu Html Checker when installed (.ci/install-deps --full), on top of
# the strict html5lib parse that always runs.
VNU=${VNU_JAR:-}
[ -z "$VNU" ] && for c in /opt/talot-vnu/node_modules/vnu-jar/build/dist/vnu.jar \
    /usr/local/lib/node_modules/vnu-jar/build/dist/vnu.jar; do
	[ -f "$c" ] && VNU=$c && break
done
command -v java >/dev/null || VNU=

month() { # NAME DB MONTH [render options...]
	local name=$1 db=$2 m=$3 d=$T/$1
	shift 3
	mkdir -p "$d"
	if ! "$BIN" render --db "$db" --month "$m" --out "$d" \
	    --template "$SRC/templates" --format pdf,xlsx,html "$@" 2>"$d/err"; then
		bad "$name: render" "$(head -3 "$d/err")"
		return 1
	fi
	for f in html json pdf xlsx; do
		[ -s "$d/talot-$m.$f" ] || { bad "$name: talot-$m.$f written"; return 1; }
	done
	check "$name: valid HTML5 (html5lib strict), svg labelled, figures captioned" \
	    $CHECK markup "$d/talot-$m.html"
	if [ -n "$VNU" ]; then
		check "$name: the Nu Html Checker finds no error" \
		    java -jar "$VNU" --errors-only "$d/talot-$m.html" "$d/index.html"
	else
		echo "note: vnu.jar not found: the Nu Html Checker is not run"
	fi
	check "$name: no script, handler, image or external request" \
	    $CHECK safe "$d/talot-$m.html"
	python3 "$SRC/tests/xlsx_check.py" "$d/talot-$m.xlsx" >"$d/dump"
	check "$name: page, JSON and workbook agree" \
	    $CHECK numbers "$d/talot-$m.html" "$d/talot-$m.json" "$d/dump"
	if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
	    "$d/talot-$m.json"; then
		ok "$name: the JSON parses"
	else
		bad "$name: the JSON parses"
	fi
	# the same text as the PDF: every caption of the PDF is in the page
	# (a caption under one of two pies side by side may wrap: joined)
	pdftotext "$d/talot-$m.pdf" - | tr -d '\n' | grep -o '【図[^】]*】' |
	    sort >"$d/cap.pdf"
	python3 - "$d/talot-$m.html" <<'PY' | sort >"$d/cap.html"
import sys, re, html
s = open(sys.argv[1], encoding="utf-8").read()
for c in re.findall(r"<figcaption>(.*?)</figcaption>", s, re.S):
    print(html.unescape(c))
PY
	if [ -s "$d/cap.pdf" ] && diff -q "$d/cap.pdf" "$d/cap.html" >/dev/null; then
		ok "$name: the page has the PDF's $(wc -l <"$d/cap.pdf") captions"
	else
		bad "$name: same captions as the PDF" "$(diff "$d/cap.pdf" "$d/cap.html" | head -4)"
	fi
	# byte-identical under SOURCE_DATE_EPOCH, from another process
	mkdir -p "$d/again"
	"$BIN" render --db "$db" --month "$m" --out "$d/again" \
	    --template "$SRC/templates" --format pdf,xlsx,html "$@" 2>/dev/null
	if cmp -s "$d/talot-$m.html" "$d/again/talot-$m.html" &&
	    cmp -s "$d/talot-$m.json" "$d/again/talot-$m.json"; then
		ok "$name: page and JSON byte-identical on a second run"
	else
		bad "$name: byte-identical" "$(cmp "$d/talot-$m.html" "$d/again/talot-$m.html")"
	fi
}

"$BIN" demo --db "$T/sample.db" >/dev/null || { echo "demo failed"; exit 1; }
month sample "$T/sample.db" 2007-06
grep -q '<meta property="og:description" content="[^"]*293,252' \
    "$T/sample/talot-2007-06.html" &&
    ok "sample: Open Graph description carries the total" ||
    bad "sample: Open Graph description carries the total"
for l in talot-2007-06.pdf talot-2007-06.xlsx talot-2007-06.json index.html; do
	grep -q "href=\"$l\"" "$T/sample/talot-2007-06.html" || bad "sample: link to $l"
done
ok "sample: links to the PDF, the workbook, the JSON and the index"

# a fixture: sensors 3 then 6, outages (as in test_edition.sh)
python3 - "$T/fx.csv" <<'PY'
import sys, datetime
out = open(sys.argv[1], "w")
out.write("day,sensor,proto,port,country,accesses,sources\n")
d = datetime.date(2025, 2, 1)
while d <= datetime.date(2025, 3, 31):
    sensors = ["s1", "s2", "s3"] if d.month == 2 else ["s1", "s2", "s3", "s4", "s5", "s6"]
    for s in sensors:
        if d.month == 3 and (d.day <= 2 or (s == "s2" and 10 <= d.day <= 12)):
            continue
        out.write(f"{d},{s},tcp,445,CN,{30 + d.day},{10}\n")
        out.write(f"{d},{s},tcp,22,US,{20},{5}\n")
        out.write(f"{d},{s},udp,1026,JP,{3},{1}\n")
    d += datetime.timedelta(days=1)
PY
"$BIN" import --db "$T/fx.db" "$T/fx.csv" >/dev/null || { echo "import failed"; exit 1; }
month fixture "$T/fx.db" 2025-03

# ---- a hostile port label and hostile notes ----
cp -r "$SRC/templates" "$T/tpl"
python3 - "$T/tpl/ports.csv" <<'PY'
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("tcp,445,"):
        lines[i] = 'tcp,445,"<b>&""x</script><script>alert(1)</script>",' \
            '"SMB <i>""&</i></script>","SMB <i>""&</i></script>"'
open(p, "w", encoding="utf-8").write("\n".join(lines))
PY
cat >"$T/notes.md" <<'EOF2'
注記 <script>alert(1)</script> と <img src=x onerror=alert(2)>。

<div onclick="alert(3)"><iframe src="https://evil.example/"></iframe></div>

[リンク](javascript:alert(4)) [データ](data:text/html,<script>alert(5)</script>)
![画像](https://evil.example/track.png) [正しいリンク](https://www.ipa.go.jp/)
<a href="javascript:alert(6)">a</a>
EOF2
mkdir -p "$T/evil"
if "$BIN" render --db "$T/sample.db" --month 2007-06 --out "$T/evil" \
    --template "$T/tpl" --notes "$T/notes.md" --format html 2>"$T/evil/err"; then
	P=$T/evil/talot-2007-06.html
	check "hostile label and notes: still valid HTML5" $CHECK markup "$P"
	check "hostile label and notes: no script, handler, image, frame or fetch" \
	    $CHECK safe "$P"
	check "hostile label shown as text" $CHECK text "$P" '<b>&"x</script><script>alert(1)</script>'
	check "raw HTML of the notes shown as text" $CHECK text "$P" '<script>alert(1)</script>'
	if grep -q 'href="https://www.ipa.go.jp/"' "$P" &&
	    ! grep -qi 'href="javascript\|href="data' "$P"; then
		ok "notes: http(s) links kept, javascript:/data: links dropped"
	else
		bad "notes: links"
	fi
	if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
	    "$T/evil/talot-2007-06.json" &&
	    ! grep -q '</script>' "$T/evil/talot-2007-06.json"; then
		ok "hostile label: the JSON parses and holds no '</script>'"
	else
		bad "hostile label in the JSON"
	fi
else
	bad "render with a hostile label and notes" "$(head -3 "$T/evil/err")"
fi

# ---- the index ----
S=$T/site
mkdir -p "$S"
"$BIN" render --db "$T/sample.db" --month 2007-03 --to 2007-04 --out "$S" \
    --format html --jobs 2 2>/dev/null
"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$S" --format html 2>/dev/null
check "index: the three months, newest first" $CHECK index "$S/index.html" 2007-06 2007-04 2007-03
# a JSON without its page is not listed; re-rendering one month keeps the others
cp "$S/talot-2007-03.json" "$S/talot-2007-01.json"
rm "$S/talot-2007-04.html"
"$BIN" render --db "$T/sample.db" --month 2007-06 --out "$S" --format html 2>/dev/null
check "index: only months whose page exists, re-render keeps the others" \
    $CHECK index "$S/index.html" 2007-06 2007-03
grep -q 'href="talot-2007-05.html"' "$S/talot-2007-06.html" &&
    bad "no link to a month without a page" ||
    ok "no link to a month without a page"
"$BIN" render --db "$T/sample.db" --month 2007-05 --out "$S" --format html 2>/dev/null
if grep -q 'href="talot-2007-06.html" rel="next"' "$S/talot-2007-05.html" &&
    ! grep -q 'href="talot-2007-04.html"' "$S/talot-2007-05.html"; then
	ok "a page links to the neighbours whose pages exist, not to others"
else
	bad "neighbours of 2007-05" "$(grep -o '<nav.*</nav>' "$S/talot-2007-05.html")"
fi
check "index: a fourth month added" $CHECK index "$S/index.html" 2007-06 2007-05 2007-03
# a batch whose first month has no data: no link to its missing page
mkdir -p "$T/site2"
"$BIN" render --db "$T/sample.db" --month 2006-12 --to 2007-01 --out "$T/site2" \
    --format html --jobs 1 2>/dev/null
if [ -f "$T/site2/talot-2007-01.html" ] && [ ! -e "$T/site2/talot-2006-12.html" ] &&
    ! grep -q 'talot-2006-12' "$T/site2/talot-2007-01.html"; then
	ok "no link to a month of the batch without data"
else
	bad "no link to a month of the batch without data"
fi
# pdf,xlsx alone leave the index alone
"$BIN" render --db "$T/sample.db" --month 2007-02 --out "$S" 2>/dev/null
check "index: pdf,xlsx renders add no month" $CHECK index "$S/index.html" 2007-06 2007-05 2007-03

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
