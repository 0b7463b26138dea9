#!/usr/bin/env bash
# talot export over the sample store's six months: each month's row of the
# 月別 sheet equals what 'talot info --csv' says of that month.
set -u
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$TALOT_BIN" demo --db "$tmp/d.db" >/dev/null || { echo "demo failed"; echo "0 passed, 1 failed"; exit 1; }
"$TALOT_BIN" export --db "$tmp/d.db" --month 2007-01 --to 2007-06 --out "$tmp/r.xlsx" 2>"$tmp/err" \
  && ok || bad "export exits 0: $(cat "$tmp/err")"
"$TALOT_BIN" info --db "$tmp/d.db" --csv > "$tmp/info.csv"
python3 "$TALOT_SRCDIR/tests/xlsx_check.py" "$tmp/r.xlsx" > "$tmp/dump.tsv" || bad "workbook readable"
python3 - "$tmp/info.csv" "$tmp/dump.tsv" > "$tmp/cmp.txt" <<'PY'
import csv, sys
info = list(csv.DictReader(open(sys.argv[1])))
cells = {}
for line in open(sys.argv[2], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "cell" and f[1] == "月別":
        cells[f[2]] = (f[3], f[4])
for i, m in enumerate(info):
    row = 4 + i
    y, mo = m["month"].split("-")
    label = f"{int(y)}年{int(mo)}月"
    want = {"A": ("s", label), "B": ("n", m["sensors"]), "C": ("n", m["sensor_days"]),
            "D": ("n", m["accesses"]), "E": ("n", m["sources"])}
    for col, (t, v) in want.items():
        got = cells.get(f"{col}{row}")
        print(("ok" if got == (t, v) else "bad"), m["month"], col, got, (t, v))
    for col, key in (("F", "accesses_per_sensor_day"), ("G", "sources_per_sensor_day")):
        got = cells.get(f"{col}{row}")
        good = got is not None and got[0] == "n" and abs(float(got[1]) - float(m[key])) < 0.00005
        print(("ok" if good else "bad"), m["month"], col, got, m[key])
PY
while read -r verdict rest; do
  if [ "$verdict" = ok ]; then ok; else bad "$rest"; fi
done < "$tmp/cmp.txt"
[ "$(wc -l < "$tmp/cmp.txt")" -eq 42 ] && ok || bad "six months compared"
# --out naming a symlink to somewhere else: the link is replaced by the
# workbook; its target is not written through
echo "do not touch" > "$tmp/elsewhere.txt"
ln -s "$tmp/elsewhere.txt" "$tmp/link.xlsx"
"$TALOT_BIN" export --db "$tmp/d.db" --month 2007-01 --to 2007-06 --out "$tmp/link.xlsx" 2>"$tmp/err" \
  && ok || bad "export through a symlinked --out: $(cat "$tmp/err")"
[ "$(cat "$tmp/elsewhere.txt")" = "do not touch" ] && ok || bad "the symlink's target was written"
[ -f "$tmp/link.xlsx" ] && [ ! -L "$tmp/link.xlsx" ] && ok || bad "--out is a regular file afterwards"
ls -a "$tmp" | grep -q '^\.link\.xlsx\.' && bad "temporary files left" || ok
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
