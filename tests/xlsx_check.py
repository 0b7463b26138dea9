#!/usr/bin/env python3
"""xlsx_check.py FILE.xlsx — dumps what a test needs to know about a workbook,
one fact per line, tab-separated (standard library only):

  sheet   NAME    PART                      worksheets in order
  cell    SHEET   REF   TYPE  VALUE         every cell; TYPE n (number), s (shared
                                            string), str/inlineStr, b, e; VALUE
                                            resolved ("" for an empty value)
  formula SHEET   REF   TEXT                any cell formula (there should be none)
  numfmt  SHEET   REF   FORMAT              number format of numeric cells
  freeze  SHEET   TOPLEFT                   frozen panes
  filter  SHEET   RANGE                     autofilter
  cols    SHEET   MIN   MAX   WIDTH         column widths
  chart   PART    SHEET KIND  GROUPING NSER TITLE
  series  PART    IDX   CAT   VAL   NAME    COLOR   NPOINTS
  point   PART    IDX   COLOR               pie slice colours
  core    FIELD   VALUE                     docProps/core.xml
  print   SHEET   ORIENTATION FITW  FITH    page setup ("" when not set)
  link    SHEET   REF   TARGET              hyperlinks (#location appended)
  font    PART    TYPEFACES                 the chart's typefaces, sorted,
                                            comma-separated ("" when none)
  catfmt  PART    FORMAT  SKIP              category axis number format and
                                            tickLblSkip ("" when not set)
  textrun PART    N  LANGS LATIN EA CS ORDER  the chart's N text run properties
                                            (a:rPr, a:defRPr, a:endParaRPr):
                                            the sorted sets of their lang
                                            attributes and of their a:latin,
                                            a:ea and a:cs typefaces ("-" for
                                            one without), comma-separated;
                                            ORDER "ok" if every one has them
                                            in schema order latin, ea, cs
  chartlang PART  LANG                      c:lang (the editing language)
Exit 2 if the file is not a readable zip.
"""
import posixpath
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def esc(s):
    return (s or "").replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def out(*fields):
    print("\t".join(esc(str(f)) for f in fields))


def rels(z, part, raw=False):
    d, b = posixpath.split(part)
    p = posixpath.join(d, "_rels", b + ".rels")
    res = {}
    if p not in z.namelist():
        return res
    for r in ET.fromstring(z.read(p)).findall("rel:Relationship", NS):
        if raw:   # external targets as written
            res[r.get("Id")] = r.get("Target")
        else:
            res[r.get("Id")] = posixpath.normpath(posixpath.join(d, r.get("Target")))
    return res


def text_of(el):
    return "".join(t.text or "" for t in el.iter("{%s}t" % NS["m"]))


def main():
    try:
        z = zipfile.ZipFile(sys.argv[1])
    except (OSError, zipfile.BadZipFile) as ex:
        print("not a zip: %s" % ex, file=sys.stderr)
        return 2
    names = set(z.namelist())
    sst = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            sst.append(text_of(si))
    fmts = {}
    xfs = []
    if "xl/styles.xml" in names:
        st = ET.fromstring(z.read("xl/styles.xml"))
        for nf in st.findall("m:numFmts/m:numFmt", NS):
            fmts[int(nf.get("numFmtId"))] = nf.get("formatCode")
        for xf in st.findall("m:cellXfs/m:xf", NS):
            xfs.append(int(xf.get("numFmtId", "0")))
    builtin = {0: "General", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 49: "@"}

    wb = ET.fromstring(z.read("xl/workbook.xml"))
    wbrels = rels(z, "xl/workbook.xml")
    sheet_of_part = {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        part = wbrels[s.get("{%s}id" % NS["r"])]
        name = s.get("name")
        sheet_of_part[part] = name
        out("sheet", name, part)
        ws = ET.fromstring(z.read(part))
        for pane in ws.iter("{%s}pane" % NS["m"]):
            if pane.get("state") == "frozen":
                out("freeze", name, pane.get("topLeftCell"))
        ps = ws.find("m:pageSetup", NS)
        fit = ws.find("m:sheetPr/m:pageSetUpPr", NS)
        fitting = fit is not None and fit.get("fitToPage") in ("1", "true")
        out("print", name, ps.get("orientation", "") if ps is not None else "",
            ps.get("fitToWidth", "1") if fitting else "",
            ps.get("fitToHeight", "1") if fitting else "")
        srels = rels(z, part, raw=True)
        for h in ws.findall("m:hyperlinks/m:hyperlink", NS):
            tgt = h.get("location", "")
            rid = h.get("{%s}id" % NS["r"])
            if rid is not None:
                tgt = srels.get(rid, "") + ("#" + h.get("location")
                                            if h.get("location") else "")
            out("link", name, h.get("ref"), tgt)
        af = ws.find("m:autoFilter", NS)
        if af is not None:
            out("filter", name, af.get("ref"))
        for col in ws.findall("m:cols/m:col", NS):
            out("cols", name, col.get("min"), col.get("max"), col.get("width"))
        for c in ws.iter("{%s}c" % NS["m"]):
            ref = c.get("r")
            t = c.get("t", "n")
            f = c.find("m:f", NS)
            if f is not None:
                out("formula", name, ref, f.text or "")
            v = c.find("m:v", NS)
            if t == "s":
                val = sst[int(v.text)] if v is not None else ""
            elif t == "inlineStr":
                val = text_of(c)
            else:
                val = v.text if v is not None else ""
            if v is None and t == "n" and f is None:
                continue  # a formatted blank
            out("cell", name, ref, t, val)
            if t == "n":
                xf = int(c.get("s", "0"))
                fid = xfs[xf] if xf < len(xfs) else 0
                out("numfmt", name, ref, fmts.get(fid, builtin.get(fid, str(fid))))
        # charts of the sheet's drawing
        for dpart in rels(z, part).values():
            if "/drawings/" not in dpart:
                continue
            drels = rels(z, dpart)
            for cpart in sorted(drels.values()):
                if "/charts/" in cpart:
                    chart(z, cpart, name)

    if "docProps/core.xml" in names:
        core = ET.fromstring(z.read("docProps/core.xml"))
        for tag in ("dc:title", "dc:subject", "dc:creator", "dcterms:created",
                    "dcterms:modified", "cp:lastModifiedBy"):
            el = core.find(tag, NS)
            if el is not None:
                out("core", tag, el.text or "")
    return 0


def color_of(el):
    if el is None:
        return ""
    c = el.find("c:spPr/a:solidFill/a:srgbClr", NS)
    if c is None:
        c = el.find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS)
    return c.get("val") if c is not None else ""


def chart(z, part, sheet):
    root = ET.fromstring(z.read(part))
    faces = sorted({e.get("typeface") for e in root.iter("{%s}latin" % NS["a"])})
    out("font", part, ",".join(faces))
    runs, langs, order_ok = 0, set(), True
    sets = {"latin": set(), "ea": set(), "cs": set()}
    for tag in ("rPr", "defRPr", "endParaRPr"):
        for el in root.iter("{%s}%s" % (NS["a"], tag)):
            runs += 1
            if el.get("lang") is not None:
                langs.add(el.get("lang"))
            kids = [k.tag.split("}")[1] for k in el]
            for f in sets:
                k = el.find("a:" + f, NS)
                sets[f].add(k.get("typeface") if k is not None else "-")
            pos = [kids.index(f) for f in ("latin", "ea", "cs") if f in kids]
            if pos != sorted(pos):
                order_ok = False
    out("textrun", part, runs, ",".join(sorted(langs)),
        *(",".join(sorted(sets[f])) for f in ("latin", "ea", "cs")),
        "ok" if order_ok else "bad")
    cl = root.find("c:lang", NS)
    out("chartlang", part, cl.get("val") if cl is not None else "")
    cax = root.find("c:chart/c:plotArea/c:catAx", NS)
    if cax is None:
        cax = root.find("c:chart/c:plotArea/c:dateAx", NS)
    if cax is not None:
        nf = cax.find("c:numFmt", NS)
        sk = cax.find("c:tickLblSkip", NS)
        out("catfmt", part, nf.get("formatCode") if nf is not None else "",
            sk.get("val") if sk is not None else "")
    plot = root.find("c:chart/c:plotArea", NS)
    title = "".join(t.text or "" for t in
                    root.findall("c:chart/c:title//a:t", NS))
    for kind_el in plot:
        kind = kind_el.tag.split("}")[1]
        if not kind.endswith("Chart"):
            continue
        g = kind_el.find("c:grouping", NS)
        sers = kind_el.findall("c:ser", NS)
        out("chart", part, sheet, kind, g.get("val") if g is not None else "",
            len(sers), title)
        for i, ser in enumerate(sers):
            def f(path):
                el = ser.find(path, NS)
                return el.text if el is not None else ""
            cat = f("c:cat/c:strRef/c:f") or f("c:cat/c:numRef/c:f")
            val = f("c:val/c:numRef/c:f")
            nm = f("c:tx/c:strRef/c:f") or f("c:tx/c:v")
            dpts = ser.findall("c:dPt", NS)
            out("series", part, i, cat, val, nm, color_of(ser), len(dpts))
            for d in dpts:
                out("point", part, d.find("c:idx", NS).get("val"), color_of(d))


if __name__ == "__main__":
    sys.exit(main())
