#!/usr/bin/env bash
# bench/clickhouse.sh — the ClickHouse store against the SQLite store at a
# given size (issue 14).  For each ROWS given (default 10000000): generates
# a store of about ROWS aggregated rows with bench/gen_large (365 days from
# 2007-01-01, about 1,500 cells per sensor-day, as many sensors as ROWS
# needs), starts one local clickhouse-server on free loopback ports with a
# temporary configuration and data folder, and measures in one run:
#   - the import time of `talot import` into SQLite and into ClickHouse;
#   - the render time of one month (2007-06, PDF + XLSX) from each, after
#     one warm-up render (the median of RUNS renders; both are
#     byte-identical, which is checked);
# then prints one line per size, and how the ClickHouse render time grew
# from the first size to the last.  Not part of the test suite.
#
#   bench/clickhouse.sh 1000000 10000000
#   RUNS=3 TALOT_BIN=build/src/talot GEN=build/bench/gen_large bench/clickhouse.sh 100000000
#   SQLITE=0 bench/clickhouse.sh 30000000     # ClickHouse only ("-" columns)
#
# Wall-clock seconds (ClickHouse works in its own process, so CPU time of
# talot alone would hide it); on a busy machine they are upper bounds.
# Needs clickhouse-server, curl, and disk for about 40 bytes a row (CSV) plus
# both stores.  KEEP=1 keeps the work folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${TALOT_BIN:-$ROOT/build/src/talot}
GEN=${GEN:-$ROOT/build/bench/gen_large}
RUNS=${RUNS:-3}
SQLITE=${SQLITE:-1}
MONTH=2007-06
export SOURCE_DATE_EPOCH=1183248000
SERVER=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
[ -x "$SERVER" ] || { echo "bench/clickhouse.sh: clickhouse-server is not installed" >&2; exit 1; }
[ -x "$GEN" ] || { echo "bench/clickhouse.sh: $GEN is missing (ninja -C build)" >&2; exit 1; }
[ $# -gt 0 ] || set -- 10000000

T=$(mktemp -d "${TMPDIR:-/tmp}/talot-bench-ch.XXXXXX")
SPID=
cleanup() {
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null && { wait "$SPID" 2>/dev/null || true; }
	[ "${KEEP:-0}" = 1 ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT

free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}
HTTP=$(free_port)
TCP=$(free_port)
while [ "$TCP" = "$HTTP" ]; do TCP=$(free_port); done
mkdir -p "$T/ch/data" "$T/ch/tmp" "$T/ch/log"
cat >"$T/ch/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$T/ch/log/server.log</log>
    <errorlog>$T/ch/log/err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>$HTTP</http_port>
  <tcp_port>$TCP</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$T/ch/data/</path>
  <tmp_path>$T/ch/tmp/</tmp_path>
  <user_files_path>$T/ch/data/user_files/</user_files_path>
  <format_schema_path>$T/ch/data/format_schemas/</format_schema_path>
  <users_config>$T/ch/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>536870912</mark_cache_size>
  <uncompressed_cache_size>536870912</uncompressed_cache_size>
  <mlock_executable>false</mlock_executable>
  <timezone>UTC</timezone>
</yandex>
EOF
cat >"$T/ch/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>8000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries>
    <errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows>
    <execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
"$SERVER" --config-file="$T/ch/config.xml" >"$T/ch/log/stdout" 2>&1 &
SPID=$!
for _ in $(seq 1 150); do
	curl -sf "http://127.0.0.1:$HTTP/ping" >/dev/null 2>&1 && break
	sleep 0.2
done
chq() { curl -sS --fail-with-body "http://127.0.0.1:$HTTP/" --data-binary "$1"; }
chq "SELECT 1" >/dev/null

secs() { # CMD...: wall seconds of CMD (its output discarded)
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$T/err" || { echo "bench/clickhouse.sh: $* failed: $(head -n 3 "$T/err")" >&2; exit 1; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
median_render() { # DB OUTDIR: median of RUNS renders after a warm-up
	local all=
	secs "$BIN" render --db "$1" --month "$MONTH" --out "$2" --jobs 1 >/dev/null
	for _ in $(seq "$RUNS"); do
		all="$all $(secs "$BIN" render --db "$1" --month "$MONTH" --out "$2" --jobs 1)"
	done
	printf '%s\n' $all | sort -n | awk '{ v[NR] = $1 } END {
		printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%12s %8s %10s %11s %11s %12s %12s  %s\n' rows sensors csv_MB \
	import_sql import_ch render_sql render_ch identical
first_ch= last_ch= first_rows= last_rows=
for rows in "$@"; do
	sensors=$(( (rows + 365 * 1500 / 2) / (365 * 1500) ))
	[ "$sensors" -ge 1 ] || sensors=1
	cells=$(( rows / (sensors * 365) ))
	[ "$cells" -ge 1 ] || cells=1
	"$GEN" --sensors "$sensors" --days 365 --cells "$cells" --out "$T/in.csv"
	n=$(( $(wc -l <"$T/in.csv") - 1 ))
	mb=$(( $(stat -c %s "$T/in.csv") / 1048576 ))
	rm -f "$T/s.db"
	chq "DROP DATABASE IF EXISTS bench" && chq "CREATE DATABASE bench"
	url="clickhouse://127.0.0.1:$HTTP/bench"
	isql=- rsql=- same=-
	[ "$SQLITE" = 0 ] || isql=$(secs "$BIN" import --db "$T/s.db" "$T/in.csv")
	ich=$(secs "$BIN" import --db "$url" "$T/in.csv")
	rm -f "$T/in.csv"
	rm -rf "$T/o1" "$T/o2"
	mkdir "$T/o1" "$T/o2"
	[ "$SQLITE" = 0 ] || rsql=$(median_render "$T/s.db" "$T/o1")
	rch=$(median_render "$url" "$T/o2")
	if [ "$SQLITE" != 0 ]; then
		same=yes
		for f in "$T"/o1/*; do cmp -s "$f" "$T/o2/${f##*/}" || same=no; done
	fi
	printf '%12d %8d %10d %11s %11s %12s %12s  %s\n' "$n" "$sensors" "$mb" \
		"$isql" "$ich" "$rsql" "$rch" "$same"
	[ -n "$first_ch" ] || { first_ch=$rch; first_rows=$n; }
	last_ch=$rch
	last_rows=$n
	rm -f "$T/s.db"
done
if [ "$first_rows" != "$last_rows" ]; then
	awk -v a="$first_ch" -v b="$last_ch" -v r1="$first_rows" -v r2="$last_rows" 'BEGIN {
		printf "ClickHouse render time from %d to %d rows (x%.1f): %.2f s -> %.2f s (x%.2f)\n",
		    r1, r2, r2 / r1, a, b, (a > 0 ? b / a : 0) }'
fi
