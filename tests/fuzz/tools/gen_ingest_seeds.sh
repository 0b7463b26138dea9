#!/usr/bin/env bash
# gen_ingest_seeds.sh — writes the seed corpora of fuzz_capture,
# fuzz_logline and fuzz_mmdb from tests/gen_capture and tests/make_mmdb.pl:
#
#   tests/fuzz/tools/gen_ingest_seeds.sh BUILD_DIR
#
# (BUILD_DIR holds tests/gen_capture, e.g. build).  Each seed starts with
# the target's mode byte (see the target's header).
set -euo pipefail
cd "$(dirname "$0")/../../.."
gen=$1/tests/gen_capture
out=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/capture" "$out/logline" "$out/mmdb"
cat >"$tmp/ev.txt" <<'EV'
2026-11-30T14:59:59Z 203.0.113.5 192.0.2.1 tcp 23
2026-11-30T15:00:00Z 203.0.113.6 192.0.2.1 udp 53 vlan=100,200
2026-11-30T15:00:01Z 2001:db8:1::5 2001:db8::1 tcp 22 ext=hop,rt,dst
2026-11-30T15:00:02Z 2001:db8:1::5 2001:db8::1 icmp6 128
2026-11-30T15:00:03Z 198.51.100.7 192.0.2.1 icmp 8 frag=first ipopt
2026-11-30T15:00:03Z 198.51.100.7 192.0.2.1 icmp 8 frag=later
2026-11-30T15:00:04Z 198.51.100.7 192.0.2.1 tcp 80 flags=SA
2026-11-30T15:00:06Z 198.51.100.7 192.0.2.1 tcp 80 short
2026-11-30T15:00:07Z 198.51.100.7 192.0.2.1 arp 0
2026-11-30T15:00:08Z 198.51.100.7 192.0.2.1 47 0
2026-11-30T15:00:09Z 2001:db8:1::6 2001:db8::1 udp 500 frag=first
EV
# file mode (odd first byte): every link type, pcap and pcapng, one cut
for l in en10mb sll sll2 raw null loop; do
  for f in pcap pcapng; do
    "$gen" -f $f -l $l "$tmp/ev.txt" "$tmp/c"
    { printf '\001'; cat "$tmp/c"; } >"$out/capture/file-$l.$f"
  done
done
"$gen" -f pcap -T 9 "$tmp/ev.txt" "$tmp/c"
{ printf '\001'; cat "$tmp/c"; } >"$out/capture/file-cut.pcap"
# decoder mode (even first byte, then the link type index): single packets
# of the raw link type, taken from a raw pcap (24-byte header, 16 per record)
"$gen" -f pcap -l raw "$tmp/ev.txt" "$tmp/r"
python3 - "$tmp/r" "$out/capture" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
off, i = 24, 0
while off + 16 <= len(d):
    cap = struct.unpack('<I', d[off + 8:off + 12])[0]
    open('%s/decode-raw-%02d' % (sys.argv[2], i), 'wb').write(
        b'\x00\x03' + d[off + 16:off + 16 + cap])
    off += 16 + cap
    i += 1
PY
# logline: year and Tokyo set (byte 3), each time stamp style
for t in "iso +09:00" "iso Z" "syslog +09:00" "unix Z"; do
  set -- $t
  "$gen" -f log -t "$1" -o "$2" "$tmp/ev.txt" "$tmp/l"
  { printf '\003'; cat "$tmp/l"; } >"$out/logline/log-$1-${2/:/}"
done
# mmdb: small country databases
printf '203.0.113.0/24 CN\n198.51.100.0/25 - JP\n2001:db8:1::/48 -\n192.0.2.0/28 us KR\n' >"$tmp/g.txt"
SOURCE_DATE_EPOCH=1183248000 perl tests/make_mmdb.pl "$tmp/g.txt" "$out/mmdb/country6.mmdb"
printf '203.0.113.0/24 CN\n' >"$tmp/g4.txt"
SOURCE_DATE_EPOCH=1183248000 perl tests/make_mmdb.pl -4 -t GeoIP2-City "$tmp/g4.txt" "$out/mmdb/city4.mmdb"
echo "seeds written under $out/{capture,logline,mmdb}"
