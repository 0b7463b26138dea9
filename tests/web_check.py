#!/usr/bin/env python3
"""web_check.py — checks of the web edition (tests/test_html.sh).

  web_check.py markup PAGE           valid HTML5 (strict html5lib parse),
                                     svg role + label, figure captions,
                                     heading ids, head metadata
  web_check.py safe PAGE             no script, handler, javascript:/data:
                                     URL, image or external request
  web_check.py numbers PAGE JSON DUMP  the page, the JSON and the workbook
                                     (xlsx_check.py dump) agree
  web_check.py index INDEX M...      the index lists exactly months M…,
                                     in this order
  web_check.py text PAGE STRING      STRING is in the page's text (parsed)
  web_check.py langindex INDEX LANG M...  the index of language LANG lists
                                     exactly the pages talot-M.LANG.html
  web_check.py alternates PAGE LANG=HREF...  the page's hreflang alternates
                                     (<link> in the head and the nav's
                                     links, each marked lang) are exactly
                                     these
Exit 0 when every check passes; prints one line per failure.
"""
import json
import re
import sys

try:
    import html5lib
except ImportError:  # Debian's python3-html5lib under another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import html5lib
    except ImportError:
        html5lib = None

fails = []


def fail(msg):
    fails.append(msg)


def parse(path, strict=True):
    if html5lib is None:
        print("SKIP: python3-html5lib is not installed")
        sys.exit(77)
    data = open(path, "rb").read()
    p = html5lib.HTMLParser(strict=strict, namespaceHTMLElements=False)
    try:
        doc = p.parse(data)
    except html5lib.html5parser.ParseError as e:
        fail(f"{path}: not valid HTML5: {e}")
        doc = html5lib.HTMLParser(namespaceHTMLElements=False).parse(data)
    return doc, data.decode("utf-8")


def local(tag):
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def text_of(el):
    return "".join(el.itertext())


def markup(path):
    doc, raw = parse(path)
    if not raw.startswith("<!DOCTYPE html>"):
        fail("no <!DOCTYPE html>")
    if not doc.get("lang"):
        fail("<html> has no lang")
    head = doc.find("head")
    title = head.find("title") if head is not None else None
    if title is None or not (title.text or "").strip():
        fail("no <title>")
    metas = {(m.get("name") or m.get("property")): m.get("content")
             for m in doc.iter("meta")}
    for k in ("description", "viewport", "og:title", "og:description",
              "og:type"):
        if not metas.get(k):
            fail(f"no <meta {k}>")
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        fail(f"duplicate ids: {sorted(dup)[:5]}")
    svgs = [e for e in doc.iter() if local(e.tag) == "svg"]
    if not svgs:
        fail("no <svg>")
    for s in svgs:
        if s.get("role") != "img" or not (s.get("aria-label") or "").strip():
            fail(f"<svg> without role=img and aria-label: {s.attrib}")
        if s.get("viewBox") is None:
            fail("<svg> without viewBox (cannot scale)")
    figs = list(doc.iter("figure"))
    for f in figs:
        cap = f.find("figcaption")
        if cap is None or not text_of(cap).strip():
            fail(f"figure {f.get('id')} without a caption")
        if not any(local(e.tag) == "svg" for e in f.iter()):
            fail(f"figure {f.get('id')} without an svg")
        if f.get("id", "").startswith("fig-") and data_table(doc, f) is None:
            fail(f"figure {f.get('id')} without its table")
    for h in ("h1", "h2", "h3", "h4"):
        for e in doc.iter(h):
            if not e.get("id"):
                fail(f"<{h}> without id: {text_of(e)[:40]}")
    if "details" in raw and not list(doc.iter("details")):
        fail("no <details>")
    print(f"markup: {len(svgs)} svg, {len(figs)} figures, "
          f"{len(list(doc.iter('details')))} tables")


def safe(path):
    doc, raw = parse(path, strict=False)
    for e in doc.iter():
        t = local(e.tag)
        if t == "link" and (e.get("rel") or "").split() == ["alternate"] \
                and re.fullmatch(r"[A-Za-z0-9._-]+", e.get("href") or ""):
            # the same page in another language, a file beside it: a
            # browser fetches nothing for it
            continue
        if t in ("script", "img", "iframe", "object", "embed", "link",
                 "image", "audio", "video", "source", "foreignObject",
                 "base", "form"):
            fail(f"<{t}> element in the page")
        for k, v in e.attrib.items():
            kl = local(k).lower()
            if kl.startswith("on"):
                fail(f"event handler {kl}= on <{t}>")
            if kl in ("href", "src", "action", "formaction", "srcset",
                      "poster", "data"):
                vl = v.strip().lower()
                if vl.startswith(("javascript:", "data:", "vbscript:")):
                    fail(f"{kl}={v[:40]} on <{t}>")
                if kl != "href" or t != "a":
                    if not vl.startswith("#"):
                        fail(f"{kl}={v[:40]} on <{t}> (fetch)")
            if kl == "style" and "url(" in v and "url(#" not in v:
                fail(f"style with url() on <{t}>")
        if t == "meta" and (e.get("http-equiv") or "").lower() == "refresh":
            fail("meta refresh")
    if re.search(r"url\((?!#)", " ".join(
            (e.text or "") for e in doc.iter("style"))):
        fail("url() in the style sheet")
    print("safe: checked")


def cell_table(table):
    rows = []
    for tr in table.iter("tr"):
        rows.append([text_of(c).strip() for c in tr if local(c.tag) in
                     ("td", "th")])
    return rows


def data_table(doc, fig):
    """The table in the <details> that follows figure fig."""
    for parent in doc.iter():
        kids = list(parent)
        if fig in kids:
            nxt = kids[kids.index(fig) + 1]
            if nxt.tag != "details":
                fail(f"figure {fig.get('id')}: no <details> after it")
            return nxt.find(".//table")
    return None


def num(s):
    return float(s.replace(",", "").replace("%", ""))


def numbers(page, jpath, dump):
    doc, raw = parse(page, strict=False)
    j = json.load(open(jpath, encoding="utf-8"))
    cells = {}
    for line in open(dump, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "cell":
            cells[(f[1], f[2])] = f[4]
    # summary: JSON rows = the workbook's summary sheet
    n = 0
    for r in j["summary"]:
        if r["kind"] not in ("count", "decimal"):
            continue
        row = [k[1][1:] for k, v in cells.items()
               if k[0] == "概要" and k[1].startswith("A") and v == r["label"]]
        if not row:
            fail(f"summary {r['label']} not in the workbook")
            continue
        v = cells.get(("概要", "B" + row[0]))
        if v is None or abs(float(v) - r["value"]) > 1e-6 * max(1, abs(r["value"])):
            fail(f"summary {r['label']}: JSON {r['value']} workbook {v}")
        n += 1
    h = j["headline"]
    text = re.sub(r"\s+", "", text_of(doc.find("body")))
    tot = f"{h['accesses']:,}"
    if tot not in text:
        fail(f"total accesses {tot} not in the page")
    # daily: every record of the month is in some port's row
    recs = sum(p["records"] or 0 for d in j["daily"] for p in d["ports"])
    if recs != h["accesses"]:
        fail(f"daily records sum to {recs}, total accesses {h['accesses']}")
    srcs = sum(p["sources"] or 0 for d in j["daily"] for p in d["ports"])
    if srcs != h["sources"]:
        fail(f"daily sources sum to {srcs}, total sources {h['sources']}")
    # pies: JSON series = the page's table = the workbook's sheet
    figs = {f.get("id"): f for f in doc.iter("figure")}
    npies = 0
    for f in j["figures"]:
        if f["kind"] != "pie":
            continue
        npies += 1
        el = figs.get(f["id"])
        if el is None:
            fail(f"{f['id']} not in the page")
            continue
        rows = {r[0]: r for r in cell_table(data_table(doc, el))}
        sheet = {}
        for (s, ref), v in cells.items():
            if s == f["sheet"] and ref.startswith("A"):
                b = cells.get((s, "B" + ref[1:]))
                sheet[v] = b
        for s in f["series"]:
            r = rows.get(s["label"])
            if r is None or num(r[1]) != s["total"] or r[2] != s["share_text"]:
                fail(f"{f['id']} {s['label']}: page {r} JSON {s['total']} {s['share_text']}")
            b = sheet.get(s["label"])
            if b is None or float(b) != s["total"]:
                fail(f"{f['id']} {s['label']}: workbook {b} JSON {s['total']}")
    # daily figures: per-sensor values in the page = JSON (1 decimal)
    for f in j["figures"]:
        if f["kind"] != "daily" or f["id"] not in figs:
            continue
        rows = cell_table(data_table(doc, figs[f["id"]]))
        for ci, c in enumerate(f["categories"]):
            r = rows[ci + 1]
            if c["missing"] and c["sensors"] == 0:
                continue
            for si, s in enumerate(f["series"]):
                v = s["values"][ci]
                if v is None:
                    continue
                if abs(num(r[si + 2]) - v) > 0.05 + 1e-9:
                    fail(f"{f['id']} {c['label']} {s['label']}: page {r[si + 2]} JSON {v}")
    print(f"numbers: {n} summary rows, {npies} pies, daily tables agree")


def index(path, months):
    doc, raw = parse(path)
    links = []
    for tr in doc.iter("tr"):
        th = tr.find("th")
        a = th.find("a") if th is not None else None
        if a is not None:
            links.append(a.get("href"))
    want = [f"talot-{m}.html" for m in months]
    if links != want:
        fail(f"index lists {links}, expected {want}")
    svgs = [e for e in doc.iter() if local(e.tag) == "svg"]
    if len(svgs) != 1 or svgs[0].get("role") != "img" or not svgs[0].get("aria-label"):
        fail("index: no labelled trend svg")
    print(f"index: {len(links)} months")


def langindex(path, lang, months):
    doc, raw = parse(path)
    if doc.get("lang") != lang:
        fail(f"<html lang={doc.get('lang')!r}>, expected {lang!r}")
    links = []
    for tr in doc.iter("tr"):
        th = tr.find("th")
        a = th.find("a") if th is not None else None
        if a is not None:
            links.append(a.get("href"))
    want = [f"talot-{m}.{lang}.html" for m in months]
    if links != want:
        fail(f"index lists {links}, expected {want}")
    print(f"langindex: {len(links)} months")


def alternates(path, pairs):
    doc, raw = parse(path)
    want = sorted(tuple(p.split("=", 1)) for p in pairs)
    head = sorted((e.get("hreflang"), e.get("href"))
                  for e in doc.find("head").iter("link")
                  if e.get("rel") == "alternate")
    nav = sorted((e.get("hreflang"), e.get("href"))
                 for e in doc.find("body").iter("a")
                 if e.get("rel") == "alternate")
    if head != want:
        fail(f"head alternates {head}, expected {want}")
    if nav != want:
        fail(f"nav language links {nav}, expected {want}")
    for e in doc.find("body").iter("a"):
        if e.get("rel") == "alternate" and e.get("lang") != e.get("hreflang"):
            fail(f"language link without lang: {e.attrib}")
        if e.get("rel") == "alternate" and not (e.text or "").strip():
            fail(f"language link without a name: {e.attrib}")
    print(f"alternates: {len(head)}")


def text(path, s):
    doc, raw = parse(path, strict=False)
    if s not in text_of(doc.find("body")):
        fail(f"{s!r} not in the page's text")


def main():
    cmd = sys.argv[1]
    if cmd == "markup":
        markup(sys.argv[2])
    elif cmd == "safe":
        safe(sys.argv[2])
    elif cmd == "langindex":
        langindex(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == "alternates":
        alternates(sys.argv[2], sys.argv[3:])
    elif cmd == "numbers":
        numbers(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "index":
        index(sys.argv[2], sys.argv[3:])
    elif cmd == "text":
        text(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
    for f in fails[:20]:
        print("FAIL", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
