#!/usr/bin/env bash
# test_ingest.sh — talot ingest end to end: captures and LOG lines written
# by gen_capture from one event list (tests/ingest_expect.py), country
# databases written by make_mmdb.pl, and the counts computed independently
# by ingest_expect.py (days cut at JST midnight, excluded prefixes, a
# source network that moves from CN to US between two databases, IPv6).
#
#  - the same events as pcap, pcapng and LOG lines give the same store;
#  - its cells, monthly totals, summed and unique sources equal the
#    independent computation; `info --check` ties the cells to the rows
#    and rollups that render reads;
#  - hourly captures ingested one by one equal the day ingested at once;
#  - re-ingesting a file changes nothing and says so;
#  - a run that fails in the middle, a SIGKILL, and every bad input leave
#    the store unchanged (one line on stderr, exit 1);
#  - CSV and ingest never mix in a sensor-day (both directions);
#  - a month rendered from ingested data (PDF and XLSX).
#
# Environment: TALOT_BIN, TALOT_SRCDIR, GEN_CAPTURE (build/tests/gen_capture).
# Exits 77 (skipped) when perl's MaxMind::DB::Writer or python3 is missing.
set -u

BIN=${TALOT_BIN:?TALOT_BIN must name the talot binary}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
SRC=${TALOT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
GEN=${GEN_CAPTURE:-$(dirname "$BIN")/../tests/gen_capture}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1183248000}
[ -n "${LSAN_OPTIONS:-}" ] && export LSAN_OPTIONS="$LSAN_OPTIONS:print_suppressions=0"
unset TALOT_TEMPLATE_DIR

if ! command -v python3 >/dev/null; then
	echo "SKIP: python3 is not installed"; exit 77
fi
if ! perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
	echo "SKIP: perl's MaxMind::DB::Writer (Debian: libmaxmind-db-writer-perl) is not installed"
	exit 77
fi
if [ ! -x "$GEN" ]; then
	echo "SKIP: gen_capture not built ($GEN)"; exit 77
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/talot-ingest-XXXXXX")
KPID=
cleanup() {
	[ -n "$KPID" ] && kill -9 "$KPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

py() { python3 "$SRC/tests/ingest_expect.py" "$@"; }

py gen "$W" || { bad "ingest_expect.py gen"; finish; }
perl "$SRC/tests/make_mmdb.pl" -t Test-Country-A -e 1796000000 "$W/nets-a.txt" "$W/a.mmdb" &&
	perl "$SRC/tests/make_mmdb.pl" -t Test-Country-B -e 1796100000 "$W/nets-b.txt" "$W/b.mmdb" ||
	{ bad "make_mmdb.pl"; finish; }

ING=(--sensor-map "$W/map.txt" --exclude "$W/exclude.txt" --tz Asia/Tokyo)

# what the store says, in the form of ingest_expect.py's lines
state() {
	local db=$1
	{
		sqlite3 -list -separator ' ' "$db" "SELECT 'cell', c.day, s.name,
			c.proto, c.port, c.cc, c.accesses, c.sources
			FROM ingest_cell c JOIN sensor s ON s.id = c.sensor"
		"$BIN" info --db "$db" --csv | awk -F, 'NR > 1 {
			m = $1; sub("-", "", m)
			if ($10 != $3) print "ingested " $10 " of " $3
			print "month", m, $4, $5, $11, $3 }'
	} | LC_ALL=C sort
}

fmt_ext() { case $1 in pcap) echo pcap ;; pcapng) echo pcapng ;; log) echo log ;; esac; }

# ---- the same events in three formats, two databases ----
py expect "$W" ab >"$W/want-ab" || bad "ingest_expect.py expect"
for f in pcap pcapng log; do
	e=$(fmt_ext $f)
	"$GEN" -f $f "$W/part1.txt" "$W/p1.$e" && "$GEN" -f $f "$W/part2.txt" "$W/p2.$e" ||
		{ bad "gen_capture -f $f"; continue; }
	if "$BIN" ingest --db "$W/$f.db" "${ING[@]}" --geoip "$W/a.mmdb" "$W/p1.$e" >"$W/out1" 2>"$W/err" &&
	    "$BIN" ingest --db "$W/$f.db" "${ING[@]}" --geoip "$W/b.mmdb" "$W/p2.$e" >"$W/out2" 2>>"$W/err"; then ok
	else bad "$f: ingest failed: $(head -n 2 "$W/err")"; continue; fi
	[ -s "$W/err" ] && bad "$f: ingest wrote to stderr: $(head -n 2 "$W/err")"
	state "$W/$f.db" >"$W/got-$f"
	if diff "$W/want-ab" "$W/got-$f" >"$W/diff"; then ok
	else bad "$f: the store differs from the independent count: $(head -n 6 "$W/diff")"; fi
	if "$BIN" info --db "$W/$f.db" --check >/dev/null 2>"$W/err"; then ok
	else bad "$f: info --check: $(cat "$W/err")"; fi
	"$BIN" info --db "$W/$f.db" --csv >"$W/info-$f"
	grep -q 'combined with earlier runs' "$W/out2" && ok || bad "$f: no summary line"
done
for f in pcapng log; do
	if cmp -s "$W/info-pcap" "$W/info-$f"; then ok
	else bad "info --csv of pcap and $f differ: $(diff "$W/info-pcap" "$W/info-$f" | head -4)"; fi
done
# both databases are recorded, and the text table shows the unique figure
"$BIN" info --db "$W/pcap.db" >"$W/info.txt"
if grep -q 'Test-Country-A 2026-11-30.*Test-Country-B 2026-12-01' "$W/info.txt" &&
    grep -q 'unique sources' "$W/info.txt"; then ok
else bad "info does not show the databases and unique sources: $(cat "$W/info.txt")"; fi

# ---- hourly captures one by one == the day at once ----
py expect "$W" a >"$W/want-a"
"$GEN" -f pcap "$W/events.txt" "$W/all.pcap"
"$BIN" ingest --db "$W/once.db" "${ING[@]}" --geoip "$W/a.mmdb" "$W/all.pcap" >/dev/null 2>"$W/err" ||
	bad "ingest all.pcap: $(cat "$W/err")"
n=0
for h in "$W"/hour-*.txt; do
	"$GEN" -f pcap "$h" "${h%.txt}.pcap" || bad "gen $h"
	"$BIN" ingest --db "$W/hourly.db" "${ING[@]}" --geoip "$W/a.mmdb" "${h%.txt}.pcap" >/dev/null 2>"$W/err" ||
		bad "ingest $h: $(cat "$W/err")"
	n=$((n + 1))
done
[ "$n" -ge 10 ] && ok || bad "only $n hourly files"
state "$W/once.db" >"$W/got-once"
state "$W/hourly.db" >"$W/got-hourly"
diff "$W/want-a" "$W/got-once" >"$W/diff" && ok || bad "one run differs from the count: $(head -n 6 "$W/diff")"
diff "$W/got-once" "$W/got-hourly" >"$W/diff" && ok || bad "hourly runs differ from one run: $(head -n 6 "$W/diff")"
"$BIN" info --db "$W/once.db" --csv >"$W/i1"
"$BIN" info --db "$W/hourly.db" --csv >"$W/i2"
cmp -s "$W/i1" "$W/i2" && ok || bad "info --csv of hourly and one run differ"

# ---- re-ingesting a file changes nothing ----
cp "$W/hourly.db" "$W/before.db"
first=$(ls "$W"/hour-*.pcap | head -n 1)
if "$BIN" ingest --db "$W/hourly.db" "${ING[@]}" --geoip "$W/a.mmdb" "$first" >"$W/out" 2>"$W/err" &&
    grep -q 'already ingested' "$W/out"; then ok
else bad "re-ingest: $(cat "$W/out" "$W/err")"; fi
state "$W/hourly.db" >"$W/again"
diff "$W/got-hourly" "$W/again" >/dev/null && ok || bad "re-ingesting changed the store"

# ---- a run failing in the middle changes nothing ----
snap() { "$BIN" info --db "$1" --csv; sqlite3 "$1" "SELECT count(*), sum(accesses) FROM ingest_cell; SELECT count(*) FROM ingest_input"; }
cp "$W/p1.pcap" "$W/fresh.pcap"
printf '\x0a\x0d\x0d\x0a\x00\x00' >"$W/corrupt.pcapng"   # a pcapng header cut short
snap "$W/pcap.db" >"$W/s0"
"$BIN" ingest --db "$W/pcap.db" "${ING[@]}" --geoip "$W/a.mmdb" "$W/all.pcap" "$W/corrupt.pcapng" >/dev/null 2>"$W/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$W/err")" -eq 1 ] && ok || bad "a corrupt second input: exit $rc, $(cat "$W/err")"
snap "$W/pcap.db" >"$W/s1"
cmp -s "$W/s0" "$W/s1" && ok || bad "a failed run changed the store"

# ---- bad inputs: one line, exit 1, store unchanged ----
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x93\x00\x00\x00' >"$W/user0.pcap"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00' >>"$W/user0.pcap"
printf '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13' >>"$W/user0.pcap"
printf '\xd4\xc3\xb2\xa1\x02\x00' >"$W/short.pcap"
{
	echo "2026-11-30T12:00:01+00:00 host kernel: IN=eth0 OUT= MAC= SRC=1.2.3.4 DST=198.51.100.10 LEN=40 PROTO=TCP SPT=1 DPT=23 SYN"
	echo "2026-11-30T12:00:02+00:00 host kernel: IN=eth0 OUT= MAC= SRC=1.2.3 DST=198.51.100.10 LEN=40 PROTO=TCP SPT=1 DPT=23 SYN"
} >"$W/bad.log"
echo "not a database" >"$W/foreign.mmdb"
printf '198.51.100.0/33 s01\n' >"$W/badmap.txt"
printf '3.3.0.0/16\n10.0.0.0/x\n' >"$W/badexcl.txt"
badcase() {
	local name=$1 re=$2; shift 2
	"$BIN" ingest --db "$W/pcap.db" "$@" >/dev/null 2>"$W/err"
	local rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$W/err")" -eq 1 ] && grep -Eq "$re" "$W/err"; then ok
	else bad "$name: exit $rc, stderr: $(head -n 3 "$W/err")"; fi
	snap "$W/pcap.db" >"$W/s2"
	cmp -s "$W/s0" "$W/s2" || bad "$name changed the store"
}
badcase "corrupt header" 'short\.pcap' "${ING[@]}" --geoip "$W/a.mmdb" "$W/p1.pcap" "$W/short.pcap"
badcase "unknown link type" 'user0\.pcap' "${ING[@]}" --geoip "$W/a.mmdb" "$W/user0.pcap"
badcase "bad LOG line" 'bad\.log:2' "${ING[@]}" --geoip "$W/a.mmdb" "$W/bad.log"
badcase "missing mmdb" 'nothere\.mmdb' "${ING[@]}" --geoip "$W/nothere.mmdb" "$W/p1.pcap"
badcase "foreign mmdb" 'foreign\.mmdb' "${ING[@]}" --geoip "$W/foreign.mmdb" "$W/p1.pcap"
badcase "unknown tz" 'Mars/Olympus' --sensor-map "$W/map.txt" --tz Mars/Olympus --geoip "$W/a.mmdb" "$W/p1.pcap"
badcase "bad CIDR in the map" 'badmap\.txt:1' --sensor-map "$W/badmap.txt" --geoip "$W/a.mmdb" "$W/p1.pcap"
badcase "bad CIDR in --exclude" 'badexcl\.txt:2' --sensor s01 --exclude "$W/badexcl.txt" --geoip "$W/a.mmdb" "$W/p1.pcap"
badcase "missing input" 'nosuch\.pcap' --sensor s01 --geoip "$W/a.mmdb" "$W/nosuch.pcap"
# usage errors: exit 2
for args in "--sensor s01" "--sensor s01 --sensor-map $W/map.txt --geoip $W/a.mmdb $W/p1.pcap" \
    "--sensor s01 --geoip $W/a.mmdb" "--sensor bad/name --geoip $W/a.mmdb $W/p1.pcap" \
    "--sensor s01 --geoip $W/a.mmdb --year 99 $W/p1.pcap"; do
	# shellcheck disable=SC2086
	"$BIN" ingest --db "$W/pcap.db" $args >/dev/null 2>"$W/err"
	rc=$?
	[ $rc -eq 2 ] && ok || bad "usage error ($args): exit $rc"
done
"$BIN" ingest --help | grep -q 'sensor-map' && ok || bad "ingest --help"

# ---- CSV and ingest never mix in one sensor-day ----
printf 'day,sensor,proto,port,country,accesses,sources\n2026-12-01,s01,tcp,23,CN,5,2\n' >"$W/mix.csv"
"$BIN" import --db "$W/pcap.db" "$W/mix.csv" >/dev/null 2>"$W/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'ingested from packets' "$W/err" && ok || bad "CSV over ingested: exit $rc $(cat "$W/err")"
snap "$W/pcap.db" >"$W/s2"
cmp -s "$W/s0" "$W/s2" && ok || bad "the refused CSV import changed the store"
"$BIN" import --db "$W/csv.db" "$W/mix.csv" >/dev/null 2>&1 || bad "CSV import"
"$BIN" ingest --db "$W/csv.db" "${ING[@]}" --geoip "$W/a.mmdb" "$W/all.pcap" >/dev/null 2>"$W/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'from a CSV import' "$W/err" && [ "$(wc -l <"$W/err")" -eq 1 ] && ok ||
	bad "ingest over CSV: exit $rc $(cat "$W/err")"

# ---- SIGKILL during an ingest ----
"$GEN" -f pcap random:1500000:7 "$W/big.pcap" || bad "gen big.pcap"
for delay in 0.3 0.8 1.5; do
	cp "$W/before.db" "$W/k.db"
	snap "$W/k.db" >"$W/k0"
	"$BIN" ingest --db "$W/k.db" --sensor s09 --geoip "$W/a.mmdb" "$W/big.pcap" >/dev/null 2>&1 &
	KPID=$!
	sleep "$delay"
	kill -9 "$KPID" 2>/dev/null
	wait "$KPID" 2>/dev/null
	KPID=
	snap "$W/k.db" >"$W/k1"
	if cmp -s "$W/k0" "$W/k1" || ! grep -q '^2026-11,' "$W/k0"; then ok
	else
		# finished before the kill: then it must be the whole run
		grep -q s09 <(sqlite3 "$W/k.db" "SELECT name FROM sensor") && ok ||
			bad "SIGKILL after ${delay}s left a changed store"
	fi
	"$BIN" info --db "$W/k.db" --check >/dev/null 2>"$W/err" && ok || bad "after SIGKILL: $(cat "$W/err")"
done

# ---- a month rendered from ingested data ----
if "$BIN" render --db "$W/pcap.db" --month 2026-12 --out "$W/render" >/dev/null 2>"$W/err" &&
    [ -s "$W/render/talot-2026-12.pdf" ] && [ -s "$W/render/talot-2026-12.xlsx" ]; then ok
else bad "render 2026-12: $(head -n 3 "$W/err")"; fi
if command -v unzip >/dev/null; then
	u=$(awk '$1 == "month" && $2 == "202612" { print $5 }' "$W/want-ab")
	if unzip -p "$W/render/talot-2026-12.xlsx" xl/sharedStrings.xml | grep -q 'ユニーク発信元数' &&
	    unzip -p "$W/render/talot-2026-12.xlsx" 'xl/worksheets/sheet1.xml' | grep -q "<v>$u</v>"; then ok
	else bad "the workbook's summary lacks ユニーク発信元数 = $u"; fi
fi
finish
