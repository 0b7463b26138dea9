#!/usr/bin/python3
"""baseline.py: the usual pipeline that talot replaces, for bench/pipeline.

What a team without talot would write: a Python script on Debian's
python3-matplotlib and python3-xlsxwriter that reads one month from a
SQLite database of the import rows and writes the bulletin's 15 figures as
a PDF (matplotlib) and a workbook with the table behind each figure and a
native chart (xlsxwriter).  It does less than talot (no sentences, no
layout, no colour that stays the same over months), so the comparison
favours it.

    baseline.py --db ROWS.db --month YYYY-MM --out DIR [--templates DIR]
    baseline.py --load CSV --db ROWS.db      # once: the CSV into ROWS.db

ROWS.db holds one table `row` with the CSV's columns and an index on day
(`--load` makes it, like `talot import` makes talot's store; the bench
does not time either).  The month's figures follow SPEC section 4:

  1.1        six months, accesses and sources per sensor per day (lines)
  2.1.1-2    the two notable ports (rate per sensor-day up most against
             M-1, at least 1.5x): daily accesses over M-1..M by country
  2.2.1-2    daily accesses and sources by port, top 10 + other
  2.3.1-2    port shares of the month (pies)
  2.4.1-4    daily accesses and sources by country, and their pies
  3.1.1-2    port shares per month over six months (100 % stacked bars)
  3.2.1-2    the same by country
"""
import argparse
import csv
import datetime
import os
import sqlite3
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager, ticker  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
import xlsxwriter  # noqa: E402

TOP = 10
OTHER = "その他"
FONT_DIR = "/usr/share/fonts/truetype/bizud-gothic"


def load(csv_path, db_path):
    """The import CSV into a plain table with an index on day."""
    if os.path.exists(db_path):
        os.remove(db_path)
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE row(day TEXT, sensor TEXT, proto TEXT, port TEXT,"
                " country TEXT, accesses INTEGER, sources INTEGER)")
    with open(csv_path, newline="", encoding="utf-8") as f:
        rd = csv.reader(line for line in f if not line.startswith("#"))
        next(rd)
        con.executemany("INSERT INTO row VALUES (?,?,?,?,?,?,?)", rd)
    con.execute("CREATE INDEX row_day ON row(day)")
    con.commit()
    con.close()


def month_add(ym, k):
    y, m = ym
    m += k
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return (y, m)


def ymstr(ym):
    return "%04d-%02d" % ym


def jmonth(ym):
    return "%d年%d月" % ym


def read_names(templates):
    countries, ports = {}, {}
    with open(os.path.join(templates, "countries.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            countries[r["code"]] = r["name"]
    with open(os.path.join(templates, "ports.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ports[(r["proto"], r["port"])] = r["label"]
    return countries, ports


def port_label(ports, proto, port):
    return ports.get((proto, port)) or "%s/%s" % (port, proto)


def top_keys(totals, n=TOP):
    return [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def collapse(rows, keys):
    """{day: {key: v}} -> {day: {key or OTHER: v}} for the top keys."""
    keep = set(keys)
    out = {}
    for d, kv in rows.items():
        o = out.setdefault(d, {})
        for k, v in kv.items():
            kk = k if k in keep else OTHER
            o[kk] = o.get(kk, 0) + v
    return out


class Bulletin:
    def __init__(self, pdf, wb, styles):
        self.pdf, self.wb, self.styles = pdf, wb, styles
        self.nsheet = 0

    def sheet(self, title, header, rows):
        self.nsheet += 1
        ws = self.wb.add_worksheet("図%d" % self.nsheet)
        ws.write(0, 0, title, self.styles["title"])
        for c, h in enumerate(header):
            ws.write(2, c, h, self.styles["head"])
            ws.set_column(c, c, max(8, 2 * len(str(h)) + 2))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, float) and c > 0 and header[c].endswith("%"):
                    ws.write_number(3 + r, c, v, self.styles["pct"])
                elif isinstance(v, (int, float)):
                    ws.write_number(3 + r, c, v, self.styles["num"])
                else:
                    ws.write_string(3 + r, c, str(v))
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, 2 + len(rows), len(header) - 1)
        return ws, ws.get_name()

    def xl_chart(self, ws, name, kind, subtype, nrows, ncols, title, first_col=1):
        ch = self.wb.add_chart({"type": kind, "subtype": subtype} if subtype
                               else {"type": kind})
        for c in range(first_col, ncols):
            s = {"name": [name, 2, c],
                 "categories": [name, 3, 0, 2 + nrows, 0],
                 "values": [name, 3, c, 2 + nrows, c]}
            if kind == "pie":
                s["data_labels"] = {"percentage": True}
            ch.add_series(s)
        ch.set_title({"name": title, "name_font": {"size": 10}})
        ch.set_size({"width": 720, "height": 360})
        ws.insert_chart(2, ncols + 1, ch)

    def stacked_days(self, title, ylabel, days, series, day_fmt):
        """Daily stacked bars; series = [(name, [values by day])]."""
        fig, ax = plt.subplots(figsize=(8.3, 4.2))
        bottom = [0.0] * len(days)
        x = list(range(len(days)))
        for name, vals in series:
            ax.bar(x, vals, bottom=bottom, label=name, width=0.8)
            bottom = [b + v for b, v in zip(bottom, vals)]
        step = max(1, len(days) // 10)
        ax.set_xticks(x[::step])
        ax.set_xticklabels([day_fmt(d) for d in days[::step]])
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
        ax.set_title(title, fontsize=10)
        fig.tight_layout()
        self.pdf.savefig(fig)
        plt.close(fig)
        header = ["日付"] + [n for n, _ in series]
        rows = [[day_fmt(d)] + [vals[i] for _, vals in series]
                for i, d in enumerate(days)]
        ws, name = self.sheet(title, header, rows)
        self.xl_chart(ws, name, "column", "stacked", len(rows), len(header), title)

    def pie(self, title, items):
        """items = [(name, value)] in order, OTHER last."""
        total = sum(v for _, v in items) or 1
        fig, ax = plt.subplots(figsize=(8.3, 4.6))
        ax.pie([v for _, v in items], labels=[n for n, _ in items],
               autopct="%.1f%%", startangle=90, counterclock=False,
               textprops={"fontsize": 8})
        ax.axis("equal")
        ax.legend([f"{n}  {100.0 * v / total:.1f}%" for n, v in items],
                  loc="center left", bbox_to_anchor=(1.05, 0.5), fontsize=8)
        ax.set_title(title, fontsize=10)
        fig.tight_layout()
        self.pdf.savefig(fig)
        plt.close(fig)
        header = ["項目", "値", "比率 %"]
        rows = [[n, v, v / total] for n, v in items]
        ws, name = self.sheet(title, header, rows)
        ch = self.wb.add_chart({"type": "pie"})
        ch.add_series({"name": title,
                       "categories": [name, 3, 0, 2 + len(rows), 0],
                       "values": [name, 3, 1, 2 + len(rows), 1],
                       "data_labels": {"percentage": True, "category": True}})
        ch.set_title({"name": title, "name_font": {"size": 10}})
        ch.set_size({"width": 720, "height": 400})
        ws.insert_chart(2, 4, ch)

    def percent_months(self, title, months, series):
        """100 % stacked bars per month; series = [(name, [values by month])]."""
        tot = [sum(vals[i] for _, vals in series) or 1 for i in range(len(months))]
        fig, ax = plt.subplots(figsize=(8.3, 4.2))
        left = [0.0] * len(months)
        y = list(range(len(months)))
        for name, vals in series:
            share = [100.0 * v / t for v, t in zip(vals, tot)]
            ax.barh(y, share, left=left, label=name, height=0.6)
            left = [a + b for a, b in zip(left, share)]
        ax.set_yticks(y)
        ax.set_yticklabels(months)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
        ax.set_title(title, fontsize=10)
        fig.tight_layout()
        self.pdf.savefig(fig)
        plt.close(fig)
        header = ["月"] + [n for n, _ in series]
        rows = [[m] + [vals[i] for _, vals in series] for i, m in enumerate(months)]
        ws, name = self.sheet(title, header, rows)
        self.xl_chart(ws, name, "bar", "percent_stacked", len(rows), len(header), title)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--load")
    ap.add_argument("--month")
    ap.add_argument("--out", default=".")
    ap.add_argument("--templates", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "templates"))
    a = ap.parse_args()
    if a.load:
        load(a.load, a.db)
        return 0
    if not a.month:
        ap.error("--month is required")

    ym = tuple(int(x) for x in a.month.split("-"))
    months = [month_add(ym, k) for k in range(-5, 1)]
    lo = ymstr(months[0]) + "-01"
    hi = ymstr(month_add(ym, 1)) + "-01"
    mlo = ymstr(ym) + "-01"
    plo = ymstr(month_add(ym, -1)) + "-01"
    countries, ports = read_names(a.templates)
    con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    q = con.execute

    # six months: totals and observed sensor-days
    tot = {m: (0, 0, 0) for m in map(ymstr, months)}
    for m, acc, src, n in q(
            "SELECT substr(day,1,7), SUM(accesses), SUM(sources),"
            " COUNT(DISTINCT day || ',' || sensor) FROM row"
            " WHERE day >= ? AND day < ? GROUP BY 1", (lo, hi)):
        tot[m] = (acc, src, n)
    # per month x port and per month x country
    mport, mcountry = {}, {}
    for m, pr, po, acc, src in q(
            "SELECT substr(day,1,7), proto, port, SUM(accesses), SUM(sources)"
            " FROM row WHERE day >= ? AND day < ? AND proto != '*'"
            " GROUP BY 1, 2, 3", (lo, hi)):
        mport.setdefault(m, {})[(pr, po)] = (acc, src)
    for m, cc, acc, src in q(
            "SELECT substr(day,1,7), country, SUM(accesses), SUM(sources)"
            " FROM row WHERE day >= ? AND day < ? AND country != '*'"
            " GROUP BY 1, 2", (lo, hi)):
        mcountry.setdefault(m, {})[cc] = (acc, src)
    # the month's days: observed sensors, per port, per country
    nsens = dict(q("SELECT day, COUNT(DISTINCT sensor) FROM row"
                   " WHERE day >= ? AND day < ? GROUP BY day", (mlo, hi)))
    dport_a, dport_s, dcountry_a, dcountry_s = {}, {}, {}, {}
    for d, pr, po, acc, src in q(
            "SELECT day, proto, port, SUM(accesses), SUM(sources) FROM row"
            " WHERE day >= ? AND day < ? AND proto != '*' GROUP BY 1, 2, 3",
            (mlo, hi)):
        dport_a.setdefault(d, {})[(pr, po)] = acc / nsens[d]
        dport_s.setdefault(d, {})[(pr, po)] = src / nsens[d]
    for d, cc, acc, src in q(
            "SELECT day, country, SUM(accesses), SUM(sources) FROM row"
            " WHERE day >= ? AND day < ? AND country != '*' GROUP BY 1, 2",
            (mlo, hi)):
        dcountry_a.setdefault(d, {})[cc] = acc / nsens[d]
        dcountry_s.setdefault(d, {})[cc] = src / nsens[d]

    # notable ports: rate per sensor-day up most against M-1, >= 1.5x
    cur, prev = ymstr(ym), ymstr(month_add(ym, -1))
    ncur, nprev = tot[cur][2] or 1, tot[prev][2] or 1
    rise = []
    for k, (acc, _) in mport.get(cur, {}).items():
        before = mport.get(prev, {}).get(k, (0, 0))[0] / nprev
        now = acc / ncur
        if before == 0 or now >= 1.5 * before:
            rise.append((-(now - before), k))
    notable = [k for _, k in sorted(rise)[:2]]

    wb = xlsxwriter.Workbook(os.path.join(a.out, "baseline-%s.xlsx" % cur))
    styles = {"title": wb.add_format({"bold": True}),
              "head": wb.add_format({"bold": True, "bg_color": "#DDDDDD"}),
              "num": wb.add_format({"num_format": "#,##0"}),
              "pct": wb.add_format({"num_format": "0.0%"})}
    pdf = PdfPages(os.path.join(a.out, "baseline-%s.pdf" % cur))
    b = Bulletin(pdf, wb, styles)

    # summary sheet and page
    acc, src, n = tot[cur]
    summary = [("総アクセス数", acc), ("観測点・日", n),
               ("1観測点・1日あたりアクセス数", round(acc / max(n, 1))),
               ("1観測点・1日あたり発信元数", round(src / max(n, 1)))]
    ws = wb.add_worksheet("概要")
    for r, (k, v) in enumerate(summary):
        ws.write_string(r, 0, k)
        ws.write_number(r, 1, v, styles["num"])
    ws.set_column(0, 0, 34)
    fig = plt.figure(figsize=(8.3, 11.7))
    fig.text(0.5, 0.92, "インターネット定点観測での観測状況について(%s)" % jmonth(ym),
             ha="center", fontsize=14)
    for i, (k, v) in enumerate(summary):
        fig.text(0.15, 0.85 - 0.03 * i, "%s: %s" % (k, format(v, ",")), fontsize=11)
    pdf.savefig(fig)
    plt.close(fig)

    # Fig 1.1: six months, two axes
    mnames = [jmonth(m) for m in months]
    pa = [tot[ymstr(m)][0] / max(tot[ymstr(m)][2], 1) for m in months]
    ps = [tot[ymstr(m)][1] / max(tot[ymstr(m)][2], 1) for m in months]
    title = "図 1.1 1観測点での1日あたりのアクセス数および発信元数"
    fig, ax = plt.subplots(figsize=(8.3, 4.2))
    ax2 = ax.twinx()
    l1 = ax.plot(mnames, pa, marker="o", label="アクセス数")
    l2 = ax2.plot(mnames, ps, marker="s", color="C1", label="発信元数")
    ax.set_ylim(0, max(pa + [1]) * 1.15)
    ax2.set_ylim(0, max(ps + [1]) * 1.15)
    for x, v in zip(mnames, pa):
        ax.annotate(format(round(v), ","), (x, v), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=8)
    for x, v in zip(mnames, ps):
        ax2.annotate(format(round(v), ","), (x, v), textcoords="offset points",
                     xytext=(0, 6), ha="center", fontsize=8)
    ax.set_ylabel("件/観測点・日")
    ax.legend(l1 + l2, [ln.get_label() for ln in l1 + l2], loc="lower left")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    pdf.savefig(fig)
    plt.close(fig)
    ws, name = b.sheet(title, ["月", "アクセス数", "発信元数"],
                       [[m, a_, s_] for m, a_, s_ in zip(mnames, pa, ps)])
    b.xl_chart(ws, name, "line", None, 6, 3, title)

    def mday(d):
        return "%d/%d" % (int(d[5:7]), int(d[8:10]))

    def month_days(first, last_excl):
        d = datetime.date.fromisoformat(first)
        end = datetime.date.fromisoformat(last_excl)
        out = []
        while d < end:
            out.append(d.isoformat())
            d += datetime.timedelta(days=1)
        return out

    # Fig 2.1.x: notable ports, daily accesses over M-1..M by country
    for i, k in enumerate(notable):
        rows = {}
        for d, cc, acc_, n_ in q(
                "SELECT day, country, SUM(accesses), 0 FROM row WHERE day >= ?"
                " AND day < ? AND proto = ? AND port = ? GROUP BY 1, 2",
                (plo, hi, k[0], k[1])):
            rows.setdefault(d, {})[cc] = acc_
        sens = dict(q("SELECT day, COUNT(DISTINCT sensor) FROM row"
                      " WHERE day >= ? AND day < ? GROUP BY day", (plo, hi)))
        per = {d: {c: v / sens[d] for c, v in kv.items()} for d, kv in rows.items()}
        ctot = {}
        for kv in rows.values():
            for c, v in kv.items():
                ctot[c] = ctot.get(c, 0) + v
        keys = top_keys(ctot, 8)
        per = collapse(per, keys)
        days = month_days(plo, hi)
        series = [(countries.get(c, c), [per.get(d, {}).get(c, 0) for d in days])
                  for c in keys + ([OTHER] if len(ctot) > len(keys) else [])]
        b.stacked_days("図 2.1.%d %s～%sの%sへの発信元地域別アクセス数の変化"
                       % (i + 1, jmonth(month_add(ym, -1)), jmonth(ym),
                          port_label(ports, *k)),
                       "アクセス数(件/観測点・日)", days, series, mday)

    days = month_days(mlo, hi)

    def daily(title, ylabel, per, totals, label):
        keys = top_keys(totals)
        per = collapse(per, keys)
        series = [(label(k), [per.get(d, {}).get(k, 0) for d in days]) for k in keys]
        if len(totals) > len(keys):
            series.append((OTHER, [per.get(d, {}).get(OTHER, 0) for d in days]))
        b.stacked_days(title, ylabel, days, series, mday)

    def pie(title, totals, label):
        keys = top_keys(totals)
        items = [(label(k), totals[k]) for k in keys]
        rest = sum(v for k, v in totals.items() if k not in set(keys))
        if rest:
            items.append((OTHER, rest))
        b.pie(title, items)

    def six(title, idx, table, label):
        cur_t = {k: v[idx] for k, v in table.get(cur, {}).items()}
        keys = top_keys(cur_t)
        series = []
        for k in keys:
            series.append((label(k), [table.get(ymstr(m), {}).get(k, (0, 0))[idx]
                                      for m in months]))
        series.append((OTHER, [sum(v[idx] for kk, v in table.get(ymstr(m), {}).items()
                                   if kk not in set(keys)) for m in months]))
        b.percent_months(title, mnames, series)

    def plabel(k):
        return port_label(ports, *k)

    def clabel(c):
        return countries.get(c, c)

    pa_tot = {k: v[0] for k, v in mport.get(cur, {}).items()}
    ps_tot = {k: v[1] for k, v in mport.get(cur, {}).items()}
    ca_tot = {k: v[0] for k, v in mcountry.get(cur, {}).items()}
    cs_tot = {k: v[1] for k, v in mcountry.get(cur, {}).items()}
    jm = jmonth(ym)
    daily("図 2.2.1 %sの一方的なアクセス状況(アクセス数)" % jm,
          "アクセス数(件/観測点・日)", dport_a, pa_tot, plabel)
    daily("図 2.2.2 %sの一方的なアクセス状況(発信元数)" % jm,
          "発信元数(件/観測点・日)", dport_s, ps_tot, plabel)
    pie("図 2.3.1 %sの宛先(ポート種類)別アクセス数の比率" % jm, pa_tot, plabel)
    pie("図 2.3.2 %sの宛先(ポート種類)別発信元数の比率" % jm, ps_tot, plabel)
    daily("図 2.4.1 %sの発信元地域別アクセス数の変化" % jm,
          "アクセス数(件/観測点・日)", dcountry_a, ca_tot, clabel)
    pie("図 2.4.2 %sの発信元地域別アクセス数の比率" % jm, ca_tot, clabel)
    daily("図 2.4.3 %sの発信元地域別発信元数の変化" % jm,
          "発信元数(件/観測点・日)", dcountry_s, cs_tot, clabel)
    pie("図 2.4.4 %sの発信元地域別発信元数の比率" % jm, cs_tot, clabel)
    span = "%s～%s" % (mnames[0], mnames[-1])
    six("図 3.1.1 %sの宛先(ポート種類)別アクセス数の比率" % span, 0, mport, plabel)
    six("図 3.1.2 %sの宛先(ポート種類)別発信元数の比率" % span, 1, mport, plabel)
    six("図 3.2.1 %sの発信元地域別アクセス数の比率" % span, 0, mcountry, clabel)
    six("図 3.2.2 %sの発信元地域別発信元数の比率" % span, 1, mcountry, clabel)

    pdf.close()
    wb.close()
    con.close()
    return 0


if __name__ == "__main__":
    for f in ("BIZUDPGothic-Regular.ttf", "BIZUDPGothic-Bold.ttf"):
        p = os.path.join(FONT_DIR, f)
        if os.path.exists(p):
            font_manager.fontManager.addfont(p)
    matplotlib.rcParams["font.family"] = "BIZ UDPGothic"
    matplotlib.rcParams["pdf.fonttype"] = 42    # TrueType subsets, as talot embeds
    sys.exit(main())
