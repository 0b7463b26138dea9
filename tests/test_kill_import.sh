#!/usr/bin/env bash
# test_kill_import.sh — SIGKILL during `talot import` (SPEC §3: one import is
# one transaction).  The sample store gives state A (`talot info --csv`); a
# complete import of a large CSV into a copy gives state B.  Then, several
# times, the same import is started on a fresh copy of A and killed with -9
# after a delay spread over the import's duration: the store must still open
# (`talot info` exits 0) and show exactly A or B, never a mix.  At the end a
# killed store must accept the import again and reach B.
#
# Environment: TALOT_BIN (the binary), TALOT_SRCDIR (the repository root),
# TALOT_GEN_LARGE (optional: bench/gen_large; found next to the build
# otherwise, else the demo CSV is reworked into the large CSV).
# Prints "N passed, N failed" and exits non-zero if anything failed.
set -u

BIN=${TALOT_BIN:?TALOT_BIN must name the talot binary}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/talot-kill-XXXXXX")
IMPORT_PID=
cleanup() {
	[ -n "$IMPORT_PID" ] && kill -9 "$IMPORT_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

now() { date +%s.%N; }

# ---- state A: the sample store ----
if "$BIN" demo --db "$W/a.db" --csv "$W/demo.csv" >/dev/null 2>"$W/err"; then ok
else bad "talot demo: $(head -n 2 "$W/err")"; finish; fi
"$BIN" info --db "$W/a.db" --csv >"$W/A" 2>"$W/err" || { bad "info on the sample store: $(head -n 2 "$W/err")"; finish; }

# ---- the large CSV ----
GEN=${TALOT_GEN_LARGE:-$(dirname "$BIN")/../bench/gen_large}
if [ -x "$GEN" ] && "$GEN" --sensors 10 --days 60 --cells 1500 --out "$W/big.csv" >/dev/null 2>&1; then
	echo "large CSV: gen_large, $(($(wc -l <"$W/big.csv") - 1)) rows"
else
	# the sample data with every count doubled (sources <= accesses holds)
	awk -F, 'BEGIN { OFS = "," }
		NR == 1 || /^#/ || $3 == "*" { print; next }
		{ $6 = $6 * 2; print }' "$W/demo.csv" >"$W/big.csv"
	echo "large CSV: the demo CSV reworked, $(($(wc -l <"$W/big.csv") - 1)) rows"
fi
rm -f "$W/demo.csv"

# ---- state B: a complete import, timed ----
cp "$W/a.db" "$W/b.db"
t0=$(now)
if "$BIN" import --db "$W/b.db" "$W/big.csv" >/dev/null 2>"$W/err"; then ok
else bad "the complete import failed: $(head -n 3 "$W/err")"; finish; fi
t1=$(now)
dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
"$BIN" info --db "$W/b.db" --csv >"$W/B"
if cmp -s "$W/A" "$W/B"; then bad "state B equals state A: the import changed nothing"; finish; else ok; fi
echo "a complete import takes ${dur} s"

# ---- kill -9 at delays spread over the import ----
HAVE_SQLITE3=0
command -v sqlite3 >/dev/null 2>&1 && HAVE_SQLITE3=1
mid=0
for frac in 0.02 0.1 0.25 0.4 0.55 0.7 0.85 1.1; do
	delay=$(awk -v d="$dur" -v f="$frac" 'BEGIN { x = d * f; if (x < 0.05) x = 0.05; printf "%.3f", x }')
	rm -f "$W"/k.db*
	cp "$W/a.db" "$W/k.db"
	"$BIN" import --db "$W/k.db" "$W/big.csv" >/dev/null 2>"$W/err" &
	IMPORT_PID=$!
	sleep "$delay"
	kill -9 "$IMPORT_PID" 2>/dev/null
	wait "$IMPORT_PID" 2>/dev/null
	rc=$?
	IMPORT_PID=
	what="killed after ${delay} s"
	[ "$rc" -eq 137 ] || what="$what (the import had ended, exit $rc)"
	if "$BIN" info --db "$W/k.db" >/dev/null 2>"$W/err"; then ok
	else bad "$what: talot info fails: $(head -n 2 "$W/err")"; continue; fi
	"$BIN" info --db "$W/k.db" --csv >"$W/K" 2>/dev/null
	if cmp -s "$W/K" "$W/A"; then
		ok; state=A
		[ "$rc" -eq 137 ] && mid=$((mid + 1))
	elif cmp -s "$W/K" "$W/B"; then
		ok; state=B
	else
		bad "$what: the store is neither state A nor state B:"
		diff "$W/A" "$W/K" | sed 's/^/    /' | head -n 10 >&2
		state=?
	fi
	if [ "$HAVE_SQLITE3" = 1 ]; then
		ic=$(sqlite3 "$W/k.db" 'PRAGMA integrity_check' 2>&1 | head -n 3)
		if [ "$ic" = ok ]; then ok; else bad "$what: integrity_check: $ic"; fi
	fi
	echo "$what: state $state"
done
[ "$mid" -gt 0 ] || echo "note: no kill landed in the middle of the import (state A with exit 137)"

# ---- the last killed store takes the import again ----
rm -f "$W"/k.db*
cp "$W/a.db" "$W/k.db"
"$BIN" import --db "$W/k.db" "$W/big.csv" >/dev/null 2>&1 &
IMPORT_PID=$!
sleep "$(awk -v d="$dur" 'BEGIN { x = d * 0.5; if (x < 0.05) x = 0.05; printf "%.3f", x }')"
kill -9 "$IMPORT_PID" 2>/dev/null
wait "$IMPORT_PID" 2>/dev/null
IMPORT_PID=
if "$BIN" import --db "$W/k.db" "$W/big.csv" >/dev/null 2>"$W/err"; then ok
else bad "import after a kill fails: $(head -n 3 "$W/err")"; fi
"$BIN" info --db "$W/k.db" --csv >"$W/K" 2>/dev/null
if cmp -s "$W/K" "$W/B"; then ok; else bad "import after a kill does not reach state B"; fi

# ---- SIGKILL during a first import: no store at the final name (the new
# store is made aside); the next import removes the dead one's folder ----
mkdir -p "$W/first"
"$BIN" import --db "$W/first/n.db" "$W/big.csv" >/dev/null 2>"$W/err" &
IMPORT_PID=$!
sleep "$(awk -v d="$dur" 'BEGIN { x = d * 0.5; if (x < 0.05) x = 0.05; printf "%.3f", x }')"
kill -9 "$IMPORT_PID" 2>/dev/null
wait "$IMPORT_PID" 2>/dev/null
rc=$?
IMPORT_PID=
if [ "$rc" -eq 137 ]; then
	if [ -e "$W/first/n.db" ]; then bad "a first import killed mid-way left a store"; else ok; fi
else
	echo "note: the first import ended before the kill (exit $rc)"
fi
if "$BIN" import --db "$W/first/n.db" "$W/big.csv" >/dev/null 2>"$W/err"; then ok
else bad "import after a killed first import fails: $(head -n 3 "$W/err")"; fi
left=$(ls -A "$W/first" | grep -v '^n\.db$')
if [ -z "$left" ]; then ok; else bad "a killed first import's leftovers stay: $(echo $left)"; fi
"$BIN" info --db "$W/first/n.db" --check >/dev/null 2>"$W/err" && ok || bad "info --check after a killed first import: $(head -n 2 "$W/err")"
finish
