#!/usr/bin/env bash
# Colours in the workbooks: a port and a country keep one colour in every
# chart of two months' workbooks although their ranks differ (23/tcp and
# RU first in March 2025, fifth in November), and no chart shows two
# series or slices with one colour, also in a month of 3,000 near-equal
# ports.  Series are matched by their names (the cells their c:tx points
# at), pie slices by their category cells.
set -u
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - > "$tmp/in.csv" <<'PY'
ports = [23, 445, 22, 80, 443, 135, 139, 3389, 1433, 8080, 25, 53]
ccs = ["RU", "CN", "US", "JP", "KR", "TW", "BR", "DE", "FR", "GB", "IN", "NL"]
print("day,sensor,proto,port,country,accesses,sources")
for i, (p, c) in enumerate(zip(ports, ccs)):
    nov = (i + 4) % 12
    for d in (1, 2):
        print(f"2025-03-0{d},s01,tcp,{p},{c},{2000 - 100 * i},{200 - 10 * i}")
        print(f"2025-11-0{d},s01,tcp,{p},{c},{2000 - 100 * nov},{200 - 10 * nov}")
for i in range(3000):
    cc = chr(65 + i % 30 // 26) + chr(65 + i % 30 % 26)
    print(f"2025-12-01,s01,udp,{20000 + i},{cc},{500 + i * 7919 % 23},{50 + i * 6007 % 19}")
PY
"$TALOT_BIN" import --db "$tmp/s.db" "$tmp/in.csv" >/dev/null 2>"$tmp/err" \
  && ok || bad "import: $(cat "$tmp/err")"
mkdir -p "$tmp/out"
for m in 2025-03 2025-11 2025-12; do
  "$TALOT_BIN" render --db "$tmp/s.db" --month $m --format xlsx --out "$tmp/out" \
    >/dev/null 2>"$tmp/err" && ok || bad "render $m: $(cat "$tmp/err")"
  python3 "$TALOT_SRCDIR/tests/xlsx_check.py" "$tmp/out/talot-$m.xlsx" \
    > "$tmp/$m.tsv" && ok || bad "workbook $m readable"
done
# the range workbook of talot export: no chart repeats a colour either
"$TALOT_BIN" export --db "$tmp/s.db" --month 2025-03 --to 2025-12 \
  --out "$tmp/out/range.xlsx" >/dev/null 2>"$tmp/err" && ok || bad "export: $(cat "$tmp/err")"
python3 "$TALOT_SRCDIR/tests/xlsx_check.py" "$tmp/out/range.xlsx" \
  > "$tmp/range.tsv" && ok || bad "range workbook readable"
python3 - "$tmp/2025-03.tsv" "$tmp/2025-11.tsv" "$tmp/2025-12.tsv" "$tmp/range.tsv" > "$tmp/cmp.txt" <<'PY'
import re, sys

def load(path):
    cells, charts = {}, {}
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "cell":
            cells[(f[1], f[2])] = f[4]
        elif f[0] == "series":
            charts.setdefault(f[1], {"series": [], "points": []})
            charts[f[1]]["series"].append(f)
        elif f[0] == "point":
            charts.setdefault(f[1], {"series": [], "points": []})
            charts[f[1]]["points"].append(f)

    def ref(r):
        m = re.fullmatch(r"'?(.*?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?", r)
        if not m:
            return [r]
        sheet, c1, r1, c2, r2 = m.groups()
        if c2 is None:
            return [cells.get((sheet, f"{c1}{r1}"), "")]
        return [cells.get((sheet, f"{c1}{r}"), "") for r in range(int(r1), int(r2) + 1)]

    out = {}
    for part, ch in charts.items():
        entries = []
        if ch["points"]:
            cats = ref(ch["series"][0][3])
            for p in ch["points"]:
                entries.append((cats[int(p[2])], p[3]))
        else:
            for s in ch["series"]:
                entries.append((ref(s[5])[0], s[6]))
        out[part] = entries
    return out

books = [load(p) for p in sys.argv[1:]]
names = ["2025-03", "2025-11", "2025-12", "range"]
for name, book in zip(names, books):
    n = 0
    for part, entries in book.items():
        cols = [c for _, c in entries]
        dup = {c for c in cols if cols.count(c) > 1}
        print("ok" if not dup else "bad", name, part, "distinct colours",
              [e for e in entries if e[1] in dup])
        n += len(entries)
    print("ok" if n > 0 else "bad", name, "has coloured series", n)
colour = {}
for name, book in zip(names[:2], books[:2]):
    for part, entries in book.items():
        for label, c in entries:
            colour.setdefault(label, set()).add((c, name))
both = 0
for label, seen in sorted(colour.items()):
    months = {m for _, m in seen}
    cols = {c for c, _ in seen}
    if len(months) == 2:
        both += 1
    print("ok" if len(cols) == 1 else "bad", "one colour for", label, sorted(seen))
print("ok" if both >= 16 else "bad", "names in both months", both)
for want in ("23/tcp", "ロシア"):
    print("ok" if want in colour and len({m for _, m in colour[want]}) == 2 else "bad",
          want, "in both workbooks")
PY
while read -r verdict rest; do
  if [ "$verdict" = ok ]; then ok; else bad "$rest"; fi
done < "$tmp/cmp.txt"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
