#!/usr/bin/env python3
"""ingest_expect.py — the test events of tests/test_ingest.sh, and what
talot ingest must count from them, computed here independently (python's
ipaddress and datetime; no code shared with talot).

  ingest_expect.py gen DIR
      writes DIR/events.txt (every event), DIR/part1.txt and DIR/part2.txt
      (before and after the split time), DIR/hour-HH.txt (by UTC hour),
      DIR/nets-a.txt and DIR/nets-b.txt (two country databases: one source
      network moves from CN to US), DIR/map.txt (sensor map), DIR/exclude.txt
  ingest_expect.py expect DIR PLAN
      PLAN "a" (every event located with database A) or "ab" (part1 with A,
      part2 with B).  Prints, sorted:
        cell DAY SENSOR PROTO PORT CC ACCESSES SOURCES
        month YYYYMM ACCESSES SOURCES(summed) UNIQUE SENSOR_DAYS
      Days are cut at JST midnight; excluded sources are not counted;
      TCP with ACK and ICMPv6 are not counted.
"""
import datetime
import ipaddress
import random
import sys

JST = datetime.timezone(datetime.timedelta(hours=9))
START = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.timezone.utc)
SPLIT = datetime.datetime(2026, 11, 30, 18, 30, tzinfo=datetime.timezone.utc)

NETS_A = """\
1.0.0.0/8 CN
2.0.0.0/8 US
3.0.0.0/8 JP
4.4.0.0/16 KR
5.5.5.0/24 CN
6.6.0.0/16 - TW
2001:db8:a::/48 DE
"""
# B: 5.5.5.0/24 moved from CN to US
NETS_B = NETS_A.replace("5.5.5.0/24 CN", "5.5.5.0/24 US")
MAP = """\
# sensor map
198.51.100.0/25 s01
198.51.100.128/25 s02
2001:db8:100::/48 s03
"""
EXCLUDE = """\
# a research scanner
3.3.0.0/16
"""


def parse_nets(text):
    nets = []
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        f = line.split()
        cc = None if f[1] == "-" else f[1]
        rcc = f[2] if len(f) > 2 else cc
        rcc = None if rcc == "-" else rcc
        nets.append((ipaddress.ip_network(f[0]), cc, rcc))
    return nets


def country(nets, addr):
    a = ipaddress.ip_address(addr)
    best = None
    for net, cc, rcc in nets:
        if a.version == net.version and a in net:
            if best is None or net.prefixlen > best[0].prefixlen:
                best = (net, cc, rcc)
    if best is None:
        return "ZZ"
    return best[1] or best[2] or "ZZ"


def prefixes(text):
    out = []
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line:
            f = line.split()
            out.append((ipaddress.ip_network(f[0]), f[1] if len(f) > 1 else ""))
    return out


def match(table, addr):
    a = ipaddress.ip_address(addr)
    best = None
    for net, name in table:
        if a.version == net.version and a in net:
            if best is None or net.prefixlen > best[0].prefixlen:
                best = (net, name)
    return None if best is None else best[1]


def make_events():
    rnd = random.Random(20261130)
    srcs4 = ["1.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255)) for _ in range(60)]
    srcs4 += ["2.0.0.%d" % i for i in range(1, 30)]
    srcs4 += ["4.4.%d.1" % i for i in range(10)]
    srcs4 += ["5.5.5.%d" % i for i in range(1, 8)]         # moves CN -> US
    srcs4 += ["6.6.1.%d" % i for i in range(1, 5)]         # registered TW
    srcs4 += ["3.3.0.%d" % i for i in range(1, 6)]         # excluded
    srcs4 += ["3.4.0.%d" % i for i in range(1, 6)]         # JP, counted
    srcs4 += ["9.9.9.%d" % i for i in range(1, 4)]         # not in the db
    srcs6 = ["2001:db8:a::%x" % i for i in range(1, 9)] + ["2001:db8:ff::1"]
    dsts4 = ["198.51.100.%d" % i for i in (10, 20, 130, 200)] + ["203.0.113.5"]
    dsts6 = ["2001:db8:100::1", "2001:db8:100::2", "2001:db8:200::1"]
    kinds = [("tcp", 23, ""), ("tcp", 445, ""), ("tcp", 22, ""),
             ("udp", 53, ""), ("udp", 1434, ""), ("icmp", 8, ""),
             ("tcp", 80, "flags=SA")]
    events = []
    t = START
    for i in range(2400):
        t += datetime.timedelta(seconds=rnd.randrange(1, 40))
        if rnd.random() < 0.12:
            src, dst = rnd.choice(srcs6), rnd.choice(dsts6)
            proto, port, attr = rnd.choice(kinds + [("icmp6", 128, "")])
            if proto == "icmp":
                proto, port = "icmp6", 128
        else:
            src, dst = rnd.choice(srcs4), rnd.choice(dsts4)
            proto, port, attr = rnd.choice(kinds)
        stamp = t.strftime("%Y-%m-%dT%H:%M:%SZ")
        events.append((t, "%s %s %s %s %d%s" % (stamp, src, dst, proto, port,
                                                (" " + attr) if attr else "")))
    return events


def gen(d):
    events = make_events()
    with open(d + "/events.txt", "w") as f:
        f.writelines(line + "\n" for _, line in events)
    with open(d + "/part1.txt", "w") as f:
        f.writelines(line + "\n" for t, line in events if t < SPLIT)
    with open(d + "/part2.txt", "w") as f:
        f.writelines(line + "\n" for t, line in events if t >= SPLIT)
    hours = {}
    for t, line in events:
        hours.setdefault(t.strftime("%d%H"), []).append(line)
    for h, lines in hours.items():
        with open(d + "/hour-%s.txt" % h, "w") as f:
            f.writelines(line + "\n" for line in lines)
    for name, text in (("nets-a.txt", NETS_A), ("nets-b.txt", NETS_B),
                       ("map.txt", MAP), ("exclude.txt", EXCLUDE)):
        with open(d + "/" + name, "w") as f:
            f.write(text)


def expect(d, plan):
    nets_a, nets_b = parse_nets(NETS_A), parse_nets(NETS_B)
    smap, excl = prefixes(MAP), prefixes(EXCLUDE)
    cells, months = {}, {}
    for t, line in make_events():
        f = line.split()
        src, dst, proto, port = f[1], f[2], f[3], int(f[4])
        if proto == "icmp6" or "flags=SA" in f[5:]:
            continue
        sensor = match(smap, dst)
        if sensor is None:
            continue
        day = t.astimezone(JST).strftime("%Y%m%d")
        if match(excl, src) is not None:
            months.setdefault(day[:6], {"a": 0, "src": set(), "sd": set()})["sd"].add((day, sensor))
            continue
        nets = nets_b if plan == "ab" and t >= SPLIT else nets_a
        cc = country(nets, src)
        pnum = {"tcp": 6, "udp": 17, "icmp": 1}[proto]
        c = cells.setdefault((day, sensor, pnum, port, cc), [0, set()])
        c[0] += 1
        c[1].add(ipaddress.ip_address(src))
        m = months.setdefault(day[:6], {"a": 0, "src": set(), "sd": set()})
        m["a"] += 1
        m["src"].add(ipaddress.ip_address(src))
        m["sd"].add((day, sensor))
    out = []
    summed = {}
    for (day, sensor, pnum, port, cc), (a, s) in cells.items():
        out.append("cell %s %s %d %d %s %d %d" % (day, sensor, pnum, port, cc, a, len(s)))
        summed[day[:6]] = summed.get(day[:6], 0) + len(s)
    for m, v in months.items():
        out.append("month %s %d %d %d %d" % (m, v["a"], summed.get(m, 0), len(v["src"]), len(v["sd"])))
    print("\n".join(sorted(out)))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    else:
        expect(sys.argv[2], sys.argv[3])
