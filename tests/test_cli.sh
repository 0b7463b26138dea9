#!/usr/bin/env bash
# test_cli.sh — the real talot binary end to end: help and version, usage
# errors (exit 2, one line on stderr), data errors (exit 1, FILE:LINE:
# messages, the store left byte-identical), import and info.
#
# Environment: TALOT_BIN (the binary), TALOT_SRCDIR (the repository root).
# Prints "N passed, N failed" and exits non-zero if anything failed.
set -u

BIN=${TALOT_BIN:?TALOT_BIN must name the talot binary}
SRC=${TALOT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/tests/data/csv
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-test-cli-XXXXXX")
MOUNTED=
trap '[ -n "$MOUNTED" ] && umount "$MOUNTED"; rm -rf "$T"' EXIT

pass=0
fail=0
OUT=$T/stdout
ERR=$T/stderr
HDR='day,sensor,proto,port,country,accesses,sources'

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*" >&2
	if [ -s "$ERR" ]; then sed 's/^/    stderr: /' "$ERR" | head -n 8 >&2; fi
}

# run CMD...: runs talot, keeps stdout/stderr in $OUT/$ERR, status in $rc
run() {
	"$BIN" "$@" >"$OUT" 2>"$ERR"
	rc=$?
}

# expect CODE DESC ARGS...: talot ARGS must exit with CODE
expect() {
	local code=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" -eq "$code" ]; then ok; else bad "$desc: exit $rc, expected $code (talot $*)"; fi
}

# one_line DESC: stderr holds exactly one line
one_line() {
	local n
	n=$(wc -l <"$ERR")
	if [ "$n" -eq 1 ]; then ok; else bad "$1: $n lines on stderr, expected 1"; fi
}

# has FILE REGEX DESC
has() {
	if grep -Eq -- "$2" "$1"; then ok; else bad "$3: no line matching '$2' in $(basename "$1")"; fi
}
hasnt() {
	if grep -Eq -- "$2" "$1"; then bad "$3: unexpected line matching '$2'"; else ok; fi
}

# same FILE COPY DESC: the file is byte-identical to its copy
same() {
	if cmp -s "$1" "$2"; then ok; else bad "$3: $(basename "$1") changed"; fi
}

# ---- help and version ----
expect 0 "--version" --version
has "$OUT" '^talot [0-9]+\.[0-9]+' "--version prints the version"
expect 0 "-V" -V
expect 0 "--help" --help
has "$OUT" '^usage: talot' "--help prints usage"
for c in import info demo render export; do
	expect 0 "$c --help" "$c" --help
	has "$OUT" "usage: talot $c" "$c --help prints its usage"
	if [ -s "$ERR" ]; then bad "$c --help writes to stderr"; else ok; fi
done

# ---- usage errors: exit 2, one line ----
expect 2 "no command"
one_line "no command"
expect 2 "unknown command" frobnicate
one_line "unknown command"
has "$ERR" "frobnicate" "unknown command is named"
for c in import info; do
	expect 2 "$c: unknown option" "$c" --db "$T/x.db" --bogus
	one_line "$c: unknown option"
	has "$ERR" -- "--bogus" "$c: unknown option is named"
	expect 2 "$c: missing --db" "$c"
	one_line "$c: missing --db"
	has "$ERR" -- "--db" "$c: missing --db says so"
	expect 2 "$c: --db without value" "$c" --db
	one_line "$c: --db without value"
	has "$ERR" -- "--db" "$c: missing value names the option"
done
expect 2 "import without CSV" import --db "$T/x.db"
one_line "import without CSV"
expect 2 "info with an extra argument" info --db "$T/x.db" extra
one_line "info with an extra argument"
if [ -e "$T/x.db" ]; then bad "usage errors created the store"; else ok; fi

# ---- import and info ----
DB=$T/store.db
cat >"$T/good.csv" <<EOF
# two sensors, 4 and 5 June 2007
$HDR
2007-06-04,s01,tcp,135,CN,120,31
2007-06-04,s01,icmp,8,JP,5,2
2007-06-05,s07,*,*,*,0,0
EOF
expect 0 "import good CSV" import --db "$DB" "$T/good.csv"
has "$OUT" 'imported 3 rows, 2 sensor-days \(0 replaced\)' "import summary"
has "$OUT" 'months touched: 2007-06$' "import months"
expect 0 "re-import good CSV" import --db "$DB" "$T/good.csv"
has "$OUT" '\(2 replaced\)' "re-import replaces"

expect 0 "info --csv" info --db "$DB" --csv
has "$OUT" '^month,sensors,sensor_days,accesses,sources,accesses_per_sensor_day,sources_per_sensor_day,first_day,last_day$' "info --csv header"
has "$OUT" '^2007-06,2,2,125,33,62\.5000,16\.5000,2007-06-04,2007-06-05$' "info --csv row"
if [ "$(wc -l <"$OUT")" -eq 2 ]; then ok; else bad "info --csv: expected 2 lines"; fi
expect 0 "info" info --db "$DB"
has "$OUT" '^2007-06 ' "info text lists the month"
has "$OUT" '125' "info text shows accesses"

# stdin
printf '%s\n%s\n' "$HDR" '2007-07-01,s01,tcp,445,US,1234,5' |
	"$BIN" import --db "$DB" - >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "import from stdin: exit $rc"; fi
expect 0 "info after stdin" info --db "$DB" --csv
has "$OUT" '^2007-07,1,1,1234,5,' "stdin rows stored"

# ---- data errors: exit 1, FILE:LINE:, the store unchanged ----
cp "$DB" "$T/before.db"
cat >"$T/bad.csv" <<EOF
$HDR
2007-06-04,s01,tcp,135,CN,1,1
2007-02-29,s01,tcp,135,CN,120,31
2007-06-04,s01,tcp,80,cn,1,1
EOF
expect 1 "import bad CSV" import --db "$DB" "$T/good.csv" "$T/bad.csv"
has "$ERR" "^$T/bad.csv:3: .*day" "bad CSV: FILE:LINE: for the date"
has "$ERR" "^$T/bad.csv:4: .*country" "bad CSV: FILE:LINE: for the country"
has "$ERR" "nothing was imported" "bad CSV: says nothing was imported"
same "$DB" "$T/before.db" "bad CSV import"

# the cap
{
	echo "$HDR"
	for i in $(seq 1 50); do echo "2007-06-04,s01,tcp,$i,XXX,1,1"; done
} >"$T/many.csv"
expect 1 "import 50 bad rows" import --db "$DB" "$T/many.csv"
n=$(grep -c "^$T/many.csv:[0-9]*: " "$ERR")
if [ "$n" -eq 20 ]; then ok; else bad "cap: $n FILE:LINE: lines, expected 20"; fi
has "$ERR" 'and 30 more errors' "cap: and 30 more"
same "$DB" "$T/before.db" "capped import"

# every fixture of tests/data/csv
for f in "$DATA"/good-*.csv; do
	expect 0 "fixture $(basename "$f")" import --db "$T/fixtures.db" "$f"
done
while read -r name line word; do
	case $name in '#'* | '') continue ;; esac
	word=${word#\'}
	word=${word%\'}
	f=$DATA/$name
	cp "$DB" "$T/before.db"
	expect 1 "fixture $name" import --db "$DB" "$f"
	if [ "$line" = 0 ]; then
		has "$ERR" "^$f:[0-9]+: .*$(printf '%s' "$word" | sed 's/[*.]/\\&/g')" "fixture $name"
	else
		has "$ERR" "^$f:$line: .*$(printf '%s' "$word" | sed 's/[*.]/\\&/g')" "fixture $name"
	fi
	same "$DB" "$T/before.db" "fixture $name"
done <"$DATA/expect.txt"

# ---- files that are not stores ----
head -c 8192 /dev/urandom >"$T/random.db"
cp "$T/random.db" "$T/random.copy"
expect 1 "info on a random file" info --db "$T/random.db"
one_line "info on a random file"
has "$ERR" "$T/random.db" "info on a random file names it"
same "$T/random.db" "$T/random.copy" "info on a random file"
expect 1 "import into a random file" import --db "$T/random.db" "$T/good.csv"
has "$ERR" "$T/random.db" "import into a random file names it"
same "$T/random.db" "$T/random.copy" "import into a random file"

expect 1 "info on a missing store" info --db "$T/missing.db"
one_line "info on a missing store"
if [ -e "$T/missing.db" ]; then bad "info created the missing store"; else ok; fi

if command -v sqlite3 >/dev/null; then
	sqlite3 "$T/foreign.db" 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'
	cp "$T/foreign.db" "$T/foreign.copy"
	expect 1 "info on another application's SQLite file" info --db "$T/foreign.db"
	has "$ERR" "not a talot store" "foreign SQLite: says why"
	expect 1 "import into another application's SQLite file" import --db "$T/foreign.db" "$T/good.csv"
	same "$T/foreign.db" "$T/foreign.copy" "foreign SQLite file"

	cp "$DB" "$T/newer.db"
	sqlite3 "$T/newer.db" 'PRAGMA user_version=9'
	cp "$T/newer.db" "$T/newer.copy"
	expect 1 "info on a newer store" info --db "$T/newer.db"
	has "$ERR" "newer" "newer store: says why"
	expect 1 "import into a newer store" import --db "$T/newer.db" "$T/good.csv"
	same "$T/newer.db" "$T/newer.copy" "newer store"
fi

# ---- a month whose total exceeds 2^63 (each row, port, country and day
# within range) is refused at import; the store stays readable ----
awk -v h="$HDR" 'BEGIN {
	print h
	for (i = 0; i < 10000; i++) {
		cc = sprintf("%c%c", 65 + i % 26, 65 + int(i / 26) % 26)
		printf "2007-08-%02d,d%d,tcp,%d,%s,1000000000000000,1\n", 1 + i % 30, int(i / 300), i, cc
	}
}' >"$T/huge.csv"
cp "$DB" "$T/before.db"
expect 1 "import of a month over 2^63" import --db "$DB" "$T/huge.csv"
same "$DB" "$T/before.db" "import of a month over 2^63"
expect 0 "info after a month over 2^63" info --db "$DB" --csv

# ---- empty values for paths (issue 15, item 1): a usage error, nothing
# written (SQLite takes "" as a temporary database) ----
cd "$T" || exit 1
for args in "import --db '' $T/good.csv" "import --db= $T/good.csv" \
    "info --db ''" "demo --db ''" "demo --db $T/e1.db --csv ''" \
    "export --db $DB --month 2007-06 --to 2007-06 --out ''" \
    "export --db $DB --month 2007-06 --to 2007-06 --out $T/e.xlsx --template ''" \
    "render --db '' --month 2007-06" "render --db $DB --month 2007-06 --out ''" \
    "render --db $DB --month 2007-06 --out $T/eo --notes ''" \
    "render --db $DB --month 2007-06 --out $T/eo --template=" \
    "import --db $T/e2.db ''"; do
	eval "set -- $args"
	expect 2 "empty value: $args" "$@"
	one_line "empty value: $args"
	has "$ERR" "non-empty value|empty argument" "empty value: $args: says so"
done
if [ -e "$T/e1.db" ] || [ -e "$T/e2.db" ] || [ -e "$T/e.xlsx" ] || [ -e "$T/eo" ]; then
	bad "an empty value left a file"
else ok; fi
cd - >/dev/null || exit 1

# ---- a new store is created exclusively (issue 15, item 3) ----
# first_import DB RESULT_LINE: starts "talot import --db DB -" reading the
# FIFO $T/fifo, writes a header and a row to it, and leaves fd 3 open:
# the import is under way, its store not yet in place.
first_import() {
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	"$BIN" import --db "$1" - <"$T/fifo" >"$T/a.out" 2>"$T/a.err" &
	APID=$!
	exec 3>"$T/fifo"
	printf '%s\n2007-05-01,a01,tcp,80,US,9,9\n' "$HDR" >&3
	sleep 0.3
}
# no_leftovers DIR DESC: nothing but the expected names in DIR
no_leftovers() {
	if ls -A "$1" | grep -q 'tmp-'; then bad "$2: leftovers: $(ls -A "$1" | tr '\n' ' ')"; else ok; fi
}
mkdir -p "$T/race"
# A fails its validation after B created the store: A must not remove it
first_import "$T/race/r.db"
expect 0 "import B while A creates the same store" import --db "$T/race/r.db" "$T/good.csv"
printf 'not,a,row\n' >&3
exec 3>&-
wait "$APID"
if [ $? -eq 1 ]; then ok; else bad "the failing import A did not exit 1"; fi
expect 0 "info after A failed" info --db "$T/race/r.db" --csv
has "$OUT" '^2007-06,2,2,125,33,' "B's committed store survives A's failure"
no_leftovers "$T/race" "A failed"
# A commits after B created the store: A fails, B's store intact
rm -f "$T/race/r.db"
first_import "$T/race/r.db"
expect 0 "import B while A creates the same store (2)" import --db "$T/race/r.db" "$T/good.csv"
exec 3>&-
wait "$APID"
if [ $? -eq 1 ]; then ok; else bad "import A into a store B created meanwhile: not exit 1"; fi
has "$T/a.err" 'created by another process' "A says another process created the store"
expect 0 "info after A's late commit" info --db "$T/race/r.db" --csv
has "$OUT" '^2007-06,2,2,125,33,' "B's store kept"
hasnt "$OUT" '^2007-05' "A's rows not written over B's store"
no_leftovers "$T/race" "A refused"
# SIGTERM and SIGHUP during a first import: no store, no leftovers
for sig in TERM HUP INT; do
	rm -f "$T/race/s.db"
	first_import "$T/race/s.db"
	kill -s "$sig" "$APID"
	exec 3>&-
	wait "$APID"
	if [ -e "$T/race/s.db" ]; then bad "SIG$sig during a first import left a store"; else ok; fi
	no_leftovers "$T/race" "SIG$sig during a first import"
done
# a dangling symlink as --db: refused; the link kept, nothing at its target
ln -s "$T/race/nowhere.db" "$T/race/link.db"
expect 1 "import through a dangling symlink" import --db "$T/race/link.db" "$T/good.csv"
has "$ERR" 'symbolic link to a missing file' "dangling symlink: says why"
if [ -L "$T/race/link.db" ] && [ ! -e "$T/race/nowhere.db" ]; then ok; else bad "dangling symlink: the link or its target changed"; fi
expect 1 "demo through a dangling symlink" demo --db "$T/race/link.db"
if [ -L "$T/race/link.db" ] && [ ! -e "$T/race/nowhere.db" ]; then ok; else bad "demo, dangling symlink: the link or its target changed"; fi

# ---- demo refuses an existing store unless --force (issue 15, item 2) ----
cp "$DB" "$T/keep.db"
cp "$DB" "$T/keep.copy"
expect 1 "demo onto an existing store" demo --db "$T/keep.db"
one_line "demo onto an existing store"
has "$ERR" 'already exists' "demo onto an existing store: says why"
same "$T/keep.db" "$T/keep.copy" "demo onto an existing store"
: >"$T/empty.db"
expect 1 "demo onto an existing empty file" demo --db "$T/empty.db"
if [ -s "$T/empty.db" ]; then bad "demo wrote into an empty file"; else ok; fi
expect 0 "demo --force onto an existing store" demo --db "$T/keep.db" --force
expect 0 "info after demo --force" info --db "$T/keep.db" --csv
has "$OUT" '^2007-01,10,' "demo --force imported the sample months"
has "$OUT" '^2007-07,1,1,1234,5,' "demo --force kept the store's other months"
expect 0 "demo --help mentions --force" demo --help
has "$OUT" '--force' "demo --help: --force"

# ---- outputs that are not regular files (issue 15, item 15) ----
mkdir -p "$T/outs"
mknod "$T/outs/null" c 1 3 2>/dev/null || cp -a /dev/null "$T/outs/null" 2>/dev/null
mkfifo "$T/outs/fifo"
mkdir "$T/outs/dir.xlsx"
ln -s /proc/self/fd/1 "$T/outs/stdout"
ln -s "$T/outs/fifo" "$T/outs/tofifo"
DEMO=$T/demo.db
"$BIN" demo --db "$DEMO" >/dev/null 2>&1
for o in null fifo dir.xlsx stdout tofifo; do
	[ -e "$T/outs/$o" ] || [ -L "$T/outs/$o" ] || continue
	before=$(ls -l "$T/outs/$o")
	expect 1 "export --out $o" export --db "$DEMO" --month 2007-06 --to 2007-06 --out "$T/outs/$o"
	has "$ERR" 'not a regular file|device or file descriptor' "export --out $o: says why"
	expect 1 "demo --csv $o" demo --db "$T/outs/new-$o.db" --csv "$T/outs/$o"
	if [ -e "$T/outs/new-$o.db" ]; then bad "demo --csv $o: wrote the store"; else ok; fi
	after=$(ls -l "$T/outs/$o")
	if [ "$before" = "$after" ]; then ok; else bad "$o was replaced"; fi
done
# render: talot-YYYY-MM.pdf as a FIFO, or a link to a descriptor
mkfifo "$T/outs/talot-2007-06.pdf"
expect 1 "render onto a FIFO" render --db "$DEMO" --month 2007-06 --format pdf --out "$T/outs"
has "$ERR" 'not a regular file' "render onto a FIFO: says why"
if [ -p "$T/outs/talot-2007-06.pdf" ]; then ok; else bad "render replaced the FIFO"; fi
rm -f "$T/outs/talot-2007-06.pdf"
ln -s /proc/self/fd/1 "$T/outs/talot-2007-06.xlsx"
expect 1 "render onto a link to a descriptor" render --db "$DEMO" --month 2007-06 --format xlsx --out "$T/outs"
if [ -L "$T/outs/talot-2007-06.xlsx" ]; then ok; else bad "render replaced the link to a descriptor"; fi
rm -f "$T/outs/talot-2007-06.xlsx"
# the PDF and the workbook are written side by side: when the PDF fails,
# the workbook is not replaced either (nor written when there was none),
# and no temporary file stays behind
mkdir -p "$T/both"
mkfifo "$T/both/talot-2007-06.pdf"
expect 1 "render pdf,xlsx with the PDF onto a FIFO" render --db "$DEMO" --month 2007-06 --format pdf,xlsx --out "$T/both"
if [ "$(wc -l <"$ERR")" = 1 ] && grep -q 'talot-2007-06.pdf.*not a regular file' "$ERR"; then ok
else bad "render pdf,xlsx with a bad PDF target: not one line naming the PDF"; fi
if [ -e "$T/both/talot-2007-06.xlsx" ]; then bad "a workbook was written beside a failed PDF"; else ok; fi
printf 'old workbook\n' >"$T/both/talot-2007-06.xlsx"
expect 1 "render pdf,xlsx over an old workbook, the PDF failing" render --db "$DEMO" --month 2007-06 --format pdf,xlsx --out "$T/both"
if [ "$(cat "$T/both/talot-2007-06.xlsx")" = "old workbook" ]; then ok; else bad "the old workbook was replaced beside a failed PDF"; fi
if [ "$(ls -A "$T/both" | wc -l)" = 2 ]; then ok; else bad "files left by the failed render: $(ls -A "$T/both" | tr '\n' ' ')"; fi
rm -f "$T/both/talot-2007-06.pdf"
expect 0 "render pdf,xlsx" render --db "$DEMO" --month 2007-06 --format pdf,xlsx --out "$T/both"
if [ -s "$T/both/talot-2007-06.pdf" ] && unzip -tq "$T/both/talot-2007-06.xlsx" >/dev/null 2>&1; then ok
else bad "render pdf,xlsx: no PDF, or the workbook is not a whole zip"; fi
# '-' is standard output
"$BIN" demo --db "$T/outs/dash.db" --csv - >"$T/outs/dash.csv" 2>"$ERR"
if [ $? -eq 0 ] && head -n 1 "$T/outs/dash.csv" | grep -q "^$HDR\$" &&
    [ "$(wc -l <"$T/outs/dash.csv")" -gt 400000 ]; then ok; else bad "demo --csv -: no CSV on standard output"; fi
has "$ERR" 'wrote the sample store' "demo --csv -: the message goes to stderr"
if [ -e "$T/outs/-" ]; then bad "demo --csv - wrote a file named -"; else ok; fi

# ---- a store tampered with (issue 15, item 4): out-of-range values are a
# damaged store naming the table; info --check finds rollups that differ --
if command -v sqlite3 >/dev/null 2>&1; then
	expect 0 "info --check on the sample store" info --db "$DEMO" --check
	has "$OUT" 'the rollups agree with the detail rows \(1,778 sensor-days, 178 days, 6 months\)' "info --check: agrees"
	expect 2 "info --check --csv" info --db "$DEMO" --check --csv
	# tamper SQL | what --check says | what export says
	while IFS='|' read -r sql want_check want_export; do
		cp "$DEMO" "$T/tam.db"
		sqlite3 "$T/tam.db" "$sql"
		expect 1 "info --check after: $sql" info --db "$T/tam.db" --check
		one_line "info --check after: $sql"
		has "$ERR" "$want_check" "info --check after: $sql: names the difference"
		if [ -n "$want_export" ]; then
			expect 1 "export after: $sql" export --db "$T/tam.db" --month 2007-06 --to 2007-06 --out "$T/tam.xlsx"
			has "$ERR" "$want_export" "export after: $sql: a damaged store"
		fi
		expect 1 "render after: $sql" render --db "$T/tam.db" --month 2007-06 --format xlsx --out "$T"
		has "$ERR" 'damaged' "render after: $sql: a damaged store"
	done <<'EOT'
UPDATE month_port SET port=9000000000000000000 WHERE month=200706 AND proto=6 AND port=135|table month_port: protocol 6 port 9000000000000000000 out of range|table month_port: protocol 6 port 9000000000000000000 out of range
UPDATE month_port SET proto=99 WHERE month=200706 AND proto=6 AND port=135|table month_port: protocol 99|table month_port: protocol 99
UPDATE month_port SET accesses=accesses+1 WHERE month=200706 AND proto=6 AND port=135|month_port 2007-06, port 135/tcp: 78968 accesses, 14009 sources; the detail rows sum to 78967, 14009|damaged \(table month_port: 2007-06 does not add up
UPDATE month_country SET accesses=-5 WHERE month=200706 AND cc='CN'|table month_country: a negative count|table month_country: a negative count
UPDATE sensor_day SET accesses=9e18 WHERE day=20070604 AND sensor=1|sensor_day 2007-06-04, sensor 1: 197 cells, 9000000000000000000 accesses|damaged \(table month_port: 2007-06 does not add up
UPDATE sensor_day SET day=20070631 WHERE day=20070604 AND sensor=1|day_rollup 2007-06-04, port 8/icmp: 816 accesses, 169 sources; the detail rows sum to 732, 152|table sensor_day: day 20070631 out of range
UPDATE day_rollup SET ports=X'00' WHERE day=20070610|day_rollup 2007-06-10, port 0/icmp: missing; the detail rows sum to 26 accesses, 7 sources|
EOT
	cp "$DEMO" "$T/tam.db"
	sqlite3 "$T/tam.db" "UPDATE day_rollup SET countries=X'01FFFF' WHERE day=20070610"
	expect 1 "render after a bad packed list" render --db "$T/tam.db" --month 2007-06 --format xlsx --out "$T"
	has "$ERR" 'damaged \(table day_rollup' "render after a bad packed list: names day_rollup"
	expect 1 "info --check after a bad packed list" info --db "$T/tam.db" --check
	has "$ERR" 'table day_rollup' "info --check after a bad packed list: names day_rollup"
else
	echo "SKIP: tampered stores (no sqlite3 shell)" >&2
fi

# ---- an export interrupted (SIGTERM, SIGINT, SIGHUP) leaves no temporary
# folder (issue 15, item 16); one killed (SIGKILL) is cleaned by the next
mkdir -p "$T/xk"
t0=$(date +%s.%N)
"$BIN" export --db "$DEMO" --month 2007-01 --to 2007-06 --out "$T/xk/r.xlsx" >/dev/null 2>&1
t1=$(date +%s.%N)
dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
interrupted=0
for frac in 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 0.95; do
	for sig in TERM INT HUP; do
		delay=$(awk -v d="$dur" -v f="$frac" 'BEGIN { printf "%.3f", d * f }')
		"$BIN" export --db "$DEMO" --month 2007-01 --to 2007-06 --out "$T/xk/r.xlsx" >/dev/null 2>&1 &
		xp=$!
		sleep "$delay"
		kill -s "$sig" "$xp" 2>/dev/null
		wait "$xp"
		[ $? -gt 128 ] && interrupted=$((interrupted + 1))
	done
done
left=$(ls -A "$T/xk" | grep -v '^r\.xlsx$')
if [ -z "$left" ]; then ok; else bad "interrupted exports left: $(echo $left)"; fi
if [ "$interrupted" -ge 5 ]; then ok; else bad "only $interrupted of 30 exports were interrupted"; fi
# a SIGKILLed export's folder (a dead process's) goes at the next export;
# that of a process that runs stays
sleep 30 &
live=$!
mkdir "$T/xk/.r.xlsx.$live.tmp-AAAAAA" "$T/xk/.r.xlsx.999999999.tmp-BBBBBB"
: >"$T/xk/.r.xlsx.999999999.tmp-BBBBBB/r.xlsx"
expect 0 "export after a killed export" export --db "$DEMO" --month 2007-01 --to 2007-06 --out "$T/xk/r.xlsx"
if [ -e "$T/xk/.r.xlsx.999999999.tmp-BBBBBB" ]; then bad "a dead export's folder stays"; else ok; fi
if [ -d "$T/xk/.r.xlsx.$live.tmp-AAAAAA" ]; then ok; else bad "the folder of a running process was removed"; fi
kill "$live" 2>/dev/null
wait "$live" 2>/dev/null

# ---- a full disk (issue 15, item 17): import and info say so and name the
# store; the store stays readable and unchanged once space is freed ----
FULL=$T/full
mkdir -p "$FULL"
if mount -t tmpfs -o size=16m tmpfs "$FULL" 2>/dev/null; then
	MOUNTED=$FULL
	cp "$DB" "$FULL/s.db"
	"$BIN" info --db "$FULL/s.db" --csv >"$T/full.before"
	awk -v h="$HDR" 'BEGIN {
		print h
		for (i = 0; i < 100000; i++)
			printf "2008-%02d-%02d,f%d,tcp,%d,CN,%d,1\n", 1 + i % 12, 1 + i % 28, i % 7, i % 65536, 1 + i % 1000
	}' >"$T/full.csv"
	# fill the disk but for 256 KB: the import runs out of space
	dd if=/dev/zero of="$FULL/fill" bs=64k count=1000 2>/dev/null
	rm -f "$FULL/fill"
	avail=$(df -k --output=avail "$FULL" | tail -n 1)
	dd if=/dev/zero of="$FULL/fill" bs=1k count=$((avail - 256)) 2>/dev/null
	expect 1 "import onto a full disk" import --db "$FULL/s.db" "$T/full.csv"
	has "$ERR" "$FULL/s.db: the disk is full" "import onto a full disk: says the disk is full, names the store"
	hasnt "$ERR" 'disk I/O error' "import onto a full disk: no 'disk I/O error'"
	expect 1 "first import onto a full disk" import --db "$FULL/new.db" "$T/full.csv"
	has "$ERR" "$FULL/new.db: the disk is full" "first import onto a full disk: says so"
	if ls -A "$FULL" | grep -q 'new\.db'; then bad "a failed first import on a full disk left files: $(ls -A "$FULL")"; else ok; fi
	# not a byte left: info still reads the store (no room for its -shm)
	dd if=/dev/zero of="$FULL/fill2" bs=1k count=100000 2>/dev/null
	rm -f "$FULL/s.db-shm" "$FULL/s.db-wal"
	expect 0 "info on a full disk" info --db "$FULL/s.db" --csv
	if cmp -s "$OUT" "$T/full.before"; then ok; else bad "info on a full disk: not the store's months"; fi
	expect 1 "import onto a disk without a byte left" import --db "$FULL/s.db" "$T/full.csv"
	has "$ERR" "$FULL/s.db: the disk is full" "import, no byte left: says the disk is full"
	hasnt "$ERR" 'disk I/O error' "import, no byte left: no 'disk I/O error'"
	# space freed: the store is as before, and takes the import
	rm -f "$FULL/fill" "$FULL/fill2"
	expect 0 "info --check after space is freed" info --db "$FULL/s.db" --check
	expect 0 "info after space is freed" info --db "$FULL/s.db" --csv
	if cmp -s "$OUT" "$T/full.before"; then ok; else bad "the store changed after a full disk"; fi
	expect 0 "import after space is freed" import --db "$FULL/s.db" "$T/full.csv"
	expect 0 "info --check after the import" info --db "$FULL/s.db" --check
	umount "$FULL" && MOUNTED=
else
	echo "SKIP: full-disk tests: cannot mount a tmpfs on $FULL (not root, or no mount permission)" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
