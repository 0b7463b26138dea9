#!/usr/bin/env bash
# test_edition.sh — the PDF and the workbook of a month come from one
# edition, so they carry the same captions, axis titles and numbers.
# Checked on the sample and on a fixture with outages and a sensor change.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-edition.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }

check_month() { # NAME DB MONTH
	local name=$1 db=$2 month=$3 d=$T/$1
	mkdir -p "$d"
	if ! "$BIN" render --db "$db" --month "$month" --out "$d" \
	    --template "$SRC/templates" 2>"$d/err"; then
		bad "$name: render" "$(head -3 "$d/err")"
		return
	fi
	pdftotext "$d/talot-$month.pdf" "$d/pdf.txt"
	python3 "$SRC/tests/xlsx_check.py" "$d/talot-$month.xlsx" >"$d/dump"
	# captions: 【…】 in the PDF, cell A1 of each figure sheet in the workbook
	# (a caption under one of two pies side by side may wrap: joined)
	tr -d '\n' <"$d/pdf.txt" | grep -o '【図[^】]*】' | sed 's/^【//; s/】$//' |
	    sort >"$d/cap.pdf"
	awk -F'\t' '$1 == "cell" && $3 == "A1" && $2 != "概要" &&
	    $2 != "4 補足説明" { print $5 }' \
	    "$d/dump" | sort >"$d/cap.xlsx"
	if [ -s "$d/cap.pdf" ] && diff -q "$d/cap.pdf" "$d/cap.xlsx" >/dev/null; then
		ok "$name: the PDF and the workbook have the same $(wc -l <"$d/cap.pdf") captions"
	else
		bad "$name: same captions" "$(diff "$d/cap.pdf" "$d/cap.xlsx" | head -5)"
	fi
	# every workbook chart's title is a caption of the PDF (図1.1 is two
	# charts, each titled with the caption and its measure)
	local missing=0
	while IFS= read -r t; do
		grep -qxF "$t" "$d/cap.pdf" || grep -qF "${t% (*}" "$d/cap.pdf" ||
		    { missing=1; echo "     chart title not in the PDF: $t"; }
	done < <(awk -F'\t' '$1 == "chart" { print $7 }' "$d/dump")
	[ "$missing" = 0 ] && ok "$name: every chart title is a PDF caption" ||
	    bad "$name: chart titles"
	# axis titles and table heads of the workbook appear in the PDF
	for t in 'アクセス数(件/観測点・日)' '発信元数(件/観測点・日)'; do
		if grep -qF "$t" "$d/pdf.txt" &&
		    grep -qF "$t" "$d/dump"; then
			ok "$name: axis title $t in both"
		else
			bad "$name: axis title $t in both"
		fi
	done
	# the pies: the workbook's slice labels are the edition's shares, as on
	# the PDF's pies: they sum to exactly 100.0 and each appears in the PDF
	if python3 - "$d/talot-$month.xlsx" "$d/pdf.txt" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
pdf = open(sys.argv[2], encoding="utf-8").read()
pies = 0
for n in sorted(z.namelist()):
    if not n.startswith("xl/charts/chart"):
        continue
    x = z.read(n).decode("utf-8")
    if "<c:pieChart>" not in x:
        continue
    pies += 1
    labels = re.findall(r"<c:dLbl>.*?<a:t>([^<]*)</a:t>", x)
    labels = [l.replace("&lt;", "<") for l in labels]
    total = sum(0 if l.startswith("<") else round(float(l.rstrip("%")) * 10)
                for l in labels)
    if labels and total != 1000:
        sys.exit(f"{n}: labels {labels} sum to {total / 10}")
    for l in labels:
        if l not in pdf:
            sys.exit(f"{n}: {l} is not on the PDF's pie")
if pies != 4:
    sys.exit(f"{pies} pies")
PY
	then
		ok "$name: the workbook's pie labels are the PDF's shares, summing to 100.0"
	else
		bad "$name: the workbook's pie labels are the PDF's shares"
	fi
	# the headline numbers: summary cells of the workbook, text of the PDF
	local acc n
	acc=$(awk -F'\t' '$1 == "cell" && $2 == "概要" && $3 == "B8" { print $5 }' "$d/dump")
	n=$(LC_ALL=C python3 -c "print(f'{int(float(\"$acc\")):,}')")
	if [ -n "$acc" ] && tr -d '\n' <"$d/pdf.txt" | grep -qF "合計${n}件"; then
		ok "$name: total accesses $n in both"
	else
		bad "$name: total accesses in both" "xlsx B8=$acc"
	fi
}

"$BIN" demo --db "$T/sample.db" >/dev/null || { echo "demo failed"; exit 1; }
check_month sample "$T/sample.db" 2007-06

# a fixture: sensors 3 then 6, an outage of every sensor on days 1-2 and of
# one sensor on days 10-12
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
check_month fixture "$T/fx.db" 2025-03

# every placeholder templates/README.md documents is one the program
# provides: a bulletin.md using each of them (yes/no values and lists as
# sections, a list item's names inside the list) renders, in both languages
# (an unknown placeholder is an error naming it)
names=$(sed -n '/^### Placeholders provided by the program/,/^Yes\/no values/p' \
    "$SRC/templates/README.md" | grep '^|' | cut -d'|' -f2)
top="" item="" nt=0
while IFS= read -r cell; do
	inner=false
	case $cell in *'&nbsp;'*) inner=true ;; esac
	kind=scalar
	case $cell in *'(yes/no)'*) kind=bool ;; *'(list)'*) kind=list ;; esac
	for n in $(grep -o '`[a-z_]*`' <<<"$cell" | tr -d '`'); do
		nt=$((nt + 1))
		if [ "$kind" = scalar ]; then u="{{$n}}"; else u="{{#$n}}x{{/$n}}"; fi
		if $inner; then item="$item $u"; elif [ "$kind" = list ]; then
			top="$top {{#$n}}@ITEM@{{/$n}}"
		else top="$top $u"; fi
	done
done <<<"$names"
body=${top/@ITEM@/$item}
for lang in ja en; do
	rm -rf "$T/tpl"
	cp -r "$SRC/templates" "$T/tpl"
	printf '# {{title}}\n\n%s\n' "$body" >"$T/tpl/$lang/bulletin.md"
	mkdir -p "$T/ph-$lang"
	if [ "$nt" -ge 40 ] && "$BIN" render --db "$T/sample.db" --month 2007-06 \
	    --out "$T/ph-$lang" --template "$T/tpl" --lang "$lang" \
	    --format pdf 2>"$T/ph.err"; then
		ok "$lang: the $nt placeholders templates/README.md documents are all provided"
	else
		bad "$lang: the placeholders templates/README.md documents ($nt)" \
		    "$(head -3 "$T/ph.err")"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
