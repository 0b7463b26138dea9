#!/usr/bin/env python3
"""Writes the situation fixtures (NAME/data.csv) of this folder.

Deterministic and small: a few sensors, a few ports, one row per
(day, sensor, port) with sources = accesses / 10 (at least 1).  Run from
anywhere: python3 tests/data/situations/gen.py.  See README.md for what
each fixture shows; the expected facts are in tests/test_model.c.
"""
import calendar
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "day,sensor,proto,port,country,accesses,sources\n"


def days(y, m):
    return range(1, calendar.monthrange(y, m)[1] + 1)


def row(y, m, d, sensor, port, cc, acc):
    if port.startswith("icmp"):
        proto, num = "icmp", port.split("/")[1]
    else:
        num, proto = port.split("/")
    src = max(1, acc // 10)
    return f"{y:04d}-{m:02d}-{d:02d},{sensor},{proto},{num},{cc},{acc},{src}\n"


def month(y, m, sensors, ports, skip=lambda d, s: False):
    """Every day of y-m, every sensor, every (port, cc, accesses)."""
    out = []
    for d in days(y, m):
        for s in sensors:
            if skip(d, s):
                continue
            for port, cc, acc in ports:
                out.append(row(y, m, d, s, port, cc, acc))
    return out


def write(name, rows):
    os.makedirs(os.path.join(HERE, name), exist_ok=True)
    with open(os.path.join(HERE, name, "data.csv"), "w") as f:
        f.write(HEADER)
        f.writelines(rows)


S2 = ["s1", "s2"]


def main():
    # sensors 3 -> 6, the same traffic per sensor
    flat = [("445/tcp", "CN", 100), ("22/tcp", "US", 50)]
    write("sensors-3-to-6",
          month(2007, 5, ["s1", "s2", "s3"], flat) +
          month(2007, 6, ["s1", "s2", "s3", "s4", "s5", "s6"], flat))

    # a brand-new port (3389/tcp) enters June's top 5
    base = [("135/tcp", "CN", 100), ("445/tcp", "CN", 80),
            ("139/tcp", "US", 60), ("22/tcp", "CN", 40),
            ("80/tcp", "US", 30), ("23/tcp", "KR", 20)]
    write("new-port-top5",
          month(2007, 5, S2, base) +
          month(2007, 6, S2, base + [("3389/tcp", "RU", 50)]))

    # a previous month with one access (1434/udp) and one with ten (23/tcp)
    may = month(2007, 5, S2, [("135/tcp", "CN", 100)])
    may.append(row(2007, 5, 15, "s1", "1434/udp", "CN", 1))
    may.append(row(2007, 5, 1, "s1", "23/tcp", "US", 10))
    write("prev-one-access",
          may + month(2007, 6, S2, [("135/tcp", "CN", 100),
                                    ("1434/udp", "CN", 30),
                                    ("23/tcp", "US", 5)]))

    # a first month: nothing before June
    write("first-month",
          month(2007, 6, S2, [("135/tcp", "CN", 100), ("445/tcp", "US", 50)]))

    # outages: all sensors on 1-2 June, s2 on 10-12 June, s4 all June
    one = [("135/tcp", "CN", 10)]
    write("outages",
          month(2007, 5, ["s1", "s2", "s3", "s4"], one) +
          month(2007, 6, ["s1", "s2", "s3"], one,
                skip=lambda d, s: d <= 2 or (s == "s2" and 10 <= d <= 12)))

    # a port (1433/tcp) that falls to zero
    write("port-falls-to-zero",
          month(2007, 5, S2, [("135/tcp", "CN", 100), ("445/tcp", "US", 50),
                              ("1433/tcp", "CN", 40)]) +
          month(2007, 6, S2, [("135/tcp", "CN", 100), ("445/tcp", "US", 50)]))

    # an ICMP-only month after a TCP month
    write("icmp-after-tcp",
          month(2007, 5, S2, [("135/tcp", "CN", 100), ("445/tcp", "US", 50)]) +
          month(2007, 6, S2, [("icmp/0", "CN", 60), ("icmp/3", "US", 30),
                              ("icmp/8", "CN", 10)]))

    # a new port (1026/udp) whose accesses come all but one from one
    # country (NL, 6,000 of 6,001: 99.98 %, never "100%"; "the
    # Netherlands" in English), and one (3389/tcp) whose main country
    # sends only 40 % (not "most")
    june = month(2007, 6, S2, [("135/tcp", "CN", 100),
                               ("1026/udp", "NL", 100),
                               ("3389/tcp", "CN", 40), ("3389/tcp", "US", 30),
                               ("3389/tcp", "KR", 30)])
    june.append(row(2007, 6, 15, "s1", "1026/udp", "US", 1))
    write("dominant-near-all",
          month(2007, 5, S2, [("135/tcp", "CN", 100)]) + june)

    # six months falling 1000 -> 600, then June up 10 % (660)
    rows = []
    for m, acc in zip(range(1, 7), [1000, 900, 800, 700, 600, 660]):
        rows += month(2007, m, S2, [("135/tcp", "CN", acc)])
    write("trend-reverses", rows)


if __name__ == "__main__":
    main()
