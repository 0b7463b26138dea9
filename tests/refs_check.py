#!/usr/bin/env python3
"""refs_check.py TABLES_DIR LANG BASE — checks that the advisories of
TABLES_DIR/references.csv for the month's top ports reach all four formats
of one month: BASE.pdf (link annotations with /URI), BASE.xlsx (hyperlink
cells of the section 4 sheet), BASE.html (<a href> in the port table) and
BASE.json (ports[].references).  The expected list is computed here from
the CSV alone (title/url, or title_LANG and url_LANG falling back to url),
for the ports the JSON lists, in their order.  Prints one line per
disagreement and exits 1 if there is any; standard library only.
"""
import csv
import html.parser
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def expected_refs(tables, lang, month):
    """The advisories of each port for the bulletin of month ("YYYY-MM"):
    those published by the end of that month, or with no month given."""
    out = {}
    with open(tables + "/references.csv", encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(line for line in f
                                      if line.strip() and not line.startswith("#"))]
    head = rows[0]
    col = {h: i for i, h in enumerate(head)}
    tcol = col["title"] if lang == "ja" else col["title_" + lang]
    ucol = col["url"] if lang == "ja" else col.get("url_" + lang)
    pcol = col.get("published")
    for r in rows[1:]:
        title = r[tcol]
        if not title:
            continue
        if pcol is not None and r[pcol] and r[pcol] > month:
            continue
        url = r[ucol] if ucol is not None and r[ucol] else r[col["url"]]
        out.setdefault((r[0], int(r[1])), []).append((title, url))
    return out


def port_key(label):
    m = re.fullmatch(r"(\d+)/(tcp|udp)", label)
    return (m.group(2), int(m.group(1))) if m else None


def pdf_uris(path):
    data = open(path, "rb").read()
    uris = []
    for m in re.finditer(rb"/URI\s*\(((?:\\.|[^\\)])*)\)", data):
        s = re.sub(rb"\\(.)", rb"\1", m.group(1))
        uris.append(s.decode("latin-1"))
    rects = re.findall(rb"/Subtype\s*/Link", data)
    return uris, len(rects)


def xlsx_cells(path, sheet_name):
    return xlsx_links(path, sheet_name, cells_only=True)


def xlsx_links(path, sheet_name, cells_only=False):
    z = zipfile.ZipFile(path)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iter(REL + "Relationship")}
    part = None
    for s in wb.iter(M + "sheet"):
        if s.get("name") == sheet_name:
            part = "xl/" + target[s.get(R + "id")]
    if part is None:
        return None
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(M + "si"):
            shared.append("".join(t.text or "" for t in si.iter(M + "t")))
    ws = ET.fromstring(z.read(part))
    cells = {}
    for c in ws.iter(M + "c"):
        v = c.find(M + "v")
        if v is not None and c.get("t") == "s":
            cells[c.get("r")] = shared[int(v.text)]
    if cells_only:
        return cells
    relpart = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    srels = {}
    if relpart in z.namelist():
        for r in ET.fromstring(z.read(relpart)).iter(REL + "Relationship"):
            srels[r.get("Id")] = (r.get("Target"), r.get("TargetMode"))
    links = []
    for h in ws.iter(M + "hyperlink"):
        ref = h.get("ref")
        url, mode = srels.get(h.get(R + "id"), (None, None))
        if url is not None and h.get("location"):
            url += "#" + h.get("location")   # Excel keeps a fragment apart
        row = int(re.sub(r"[A-Z]+", "", ref))
        links.append((row, ref, cells.get(ref), url, mode))
    links.sort(key=lambda x: (x[0], len(x[1]), x[1]))
    return links


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_refs = 0
        self.cur = None
        self.links = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "ul" and a.get("class") == "refs":
            self.in_refs += 1
        if tag == "a" and self.in_refs:
            self.cur = [a.get("href"), "", a.get("rel") or ""]

    def handle_endtag(self, tag):
        if tag == "ul" and self.in_refs:
            self.in_refs -= 1
        if tag == "a" and self.cur is not None:
            self.links.append(tuple(self.cur))
            self.cur = None

    def handle_data(self, d):
        if self.cur is not None:
            self.cur[1] += d


def main():
    tables, lang, base = sys.argv[1:4]
    sheet = sys.argv[4] if len(sys.argv) > 4 else None
    bad = []
    js = json.load(open(base + ".json", encoding="utf-8"))
    exp_all = expected_refs(tables, lang, js["month"])
    expected = []
    for p in js["ports"]:
        want = exp_all.get(port_key(p["port"]), [])
        got = [(r["title"], r["url"]) for r in p["references"]]
        if got != want:
            bad.append("json %s: %r, expected %r" % (p["port"], got, want))
        expected.append(want)
    flat = [r for refs in expected for r in refs]
    if not flat:
        bad.append("no references expected: the test would prove nothing")

    uris, nlinks = pdf_uris(base + ".pdf")
    if sorted(uris) != sorted(u for _, u in flat) or nlinks != len(flat):
        bad.append("pdf: %d links %r, expected %r" % (nlinks, sorted(uris),
                                                      sorted(u for _, u in flat)))

    p = Links()
    p.feed(open(base + ".html", encoding="utf-8").read())
    got = [(t, h) for h, t, _ in p.links]
    if got != flat:
        bad.append("html: %r, expected %r" % (got, flat))
    if any("noopener" not in rel.split() for _, _, rel in p.links):
        bad.append("html: a reference link without rel=noopener")
    if p.scripts:
        bad.append("html: %d script elements" % p.scripts)

    if sheet is not None:
        links = xlsx_links(base + ".xlsx", sheet)
        if links is None:
            bad.append("xlsx: no sheet %s" % sheet)
        else:
            got = [(text, url) for _, _, text, url, _ in links]
            if got != flat:
                bad.append("xlsx: %r, expected %r" % (got, flat))
            if any(mode != "External" for *_, mode in links):
                bad.append("xlsx: a link that is not external")
            # column E, one advisory a row, the port's label in column A
            cells = xlsx_cells(base + ".xlsx", sheet)
            want_rows = []
            for p, refs in zip(js["ports"], expected):
                want_rows += [p["port"]] * len(refs)
            got_rows = [cells.get("A%d" % row) for row, *_ in links]
            if [ref[0] for _, ref, *_ in links] != ["E"] * len(links) or got_rows != want_rows:
                bad.append("xlsx: links in %r naming %r, expected column E naming %r" %
                           ([ref for _, ref, *_ in links], got_rows, want_rows))
    for b in bad:
        print(b)
    print("%d references checked" % len(flat))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
