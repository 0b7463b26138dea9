#!/usr/bin/env bash
# bench/ingest.sh — talot ingest against tcpdump on the same capture (run on
# demand, not part of the test suite; see docs/benchmarks.md, "Ingest").
#
# A capture of BENCH_PACKETS packets (default 10,000,000) from the test
# generator (build/tests/gen_capture random:N:SEED: sources drawn from 1 M
# IPv4 addresses, 1/16 IPv6, 24 ports, two JST days) and a test country
# database (tests/make_mmdb.pl).  Then, BENCH_RUNS times (default 3) in
# turns: `tcpdump -r FILE -w /dev/null` and `talot ingest` into a fresh
# store.  Reports the median wall-clock and CPU (user + system) times of
# each, their ratio (target: talot <= 4x tcpdump), and talot's peak RSS
# (/usr/bin/time -v; target <= 64 MB at about 1 M distinct sources).
#
# Environment: BENCH_PACKETS, BENCH_RUNS, BENCH_BUILD (default build),
# BENCH_DIR (scratch folder; default a new one under /tmp, about 700 MB for
# 10 M packets).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build}
N=${BENCH_PACKETS:-10000000}
RUNS=${BENCH_RUNS:-3}
die() { echo "bench/ingest.sh: $*" >&2; exit 1; }
[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_PACKETS must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
command -v tcpdump >/dev/null || die "tcpdump is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time (Debian: time) is not installed"
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
	die "perl's MaxMind::DB::Writer (libmaxmind-db-writer-perl) is not installed"
TALOT=$BUILD/src/talot
GEN=$BUILD/tests/gen_capture
[ -x "$TALOT" ] && [ -x "$GEN" ] || die "build first (ninja -C $BUILD)"

W=${BENCH_DIR:-$(mktemp -d /tmp/talot-bench-ingest-XXXXXX)}
mkdir -p "$W"
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$W"' EXIT

printf '0.0.0.0/1 CN\n128.0.0.0/2 US\n192.0.0.0/3 JP\n2000::/3 DE\n' >"$W/nets.txt"
perl "$ROOT/tests/make_mmdb.pl" "$W/nets.txt" "$W/c.mmdb"
echo "generating $N packets ..."
"$GEN" -f pcap "random:$N:1" "$W/cap.pcap"
echo "capture: $(stat -c %s "$W/cap.pcap") bytes"

# "WALL CPU RSS_KB" of a command, from /usr/bin/time
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$W/t" "$@" >/dev/null 2>"$W/err" ||
		die "$* failed: $(tail -n 3 "$W/err")"
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$W/t"
}

: >"$W/tcpdump"
: >"$W/talot"
for r in $(seq "$RUNS"); do
	cat "$W/cap.pcap" >/dev/null   # the same page cache for both
	measure tcpdump -r "$W/cap.pcap" -w /dev/null >>"$W/tcpdump"
	rm -f "$W/s.db"
	measure "$TALOT" ingest --db "$W/s.db" --sensor s01 --geoip "$W/c.mmdb" \
	    --tz Asia/Tokyo "$W/cap.pcap" >>"$W/talot"
	echo "run $r: tcpdump $(tail -n 1 "$W/tcpdump"), talot $(tail -n 1 "$W/talot") (wall s, cpu s, rss KB)"
done
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
tw=$(cut -d' ' -f1 "$W/tcpdump" | med); tc=$(cut -d' ' -f2 "$W/tcpdump" | med)
iw=$(cut -d' ' -f1 "$W/talot" | med); ic=$(cut -d' ' -f2 "$W/talot" | med)
rss=$(cut -d' ' -f3 "$W/talot" | sort -n | tail -n 1)
"$TALOT" info --db "$W/s.db" | sed -n '/^ingested months/,$p'
awk -v tw="$tw" -v tc="$tc" -v iw="$iw" -v ic="$ic" -v rss="$rss" -v n="$N" 'BEGIN {
	printf "packets %d: tcpdump median %.2f s wall, %.2f s cpu; talot ingest median %.2f s wall, %.2f s cpu\n", n, tw, tc, iw, ic
	printf "ratio talot/tcpdump: %.1fx wall, %.1fx cpu (target <= 4x)\n", iw / tw, ic / (tc > 0 ? tc : 0.01)
	printf "talot peak RSS: %.1f MB (target <= 64 MB)\n", rss / 1024
}'
