#!/usr/bin/env python3
"""browser_check.py — loads pages in headless chromium through the DevTools
protocol (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4, no
websocket needed) and checks what only a browser can tell:

  * at 375 px (a phone, mobile viewport) and 1280 px the page's scroll
    width equals the viewport width (no horizontal scrolling);
  * no console error, no uncaught exception, no log error (a blocked
    request or a CSP violation shows up there) and no request other than
    the page itself;
  * a low-resolution screenshot of the top of the page at 375 px matches
    an image golden within a tolerance (--regen rewrites it).

usage: browser_check.py [--regen] GOLDEN.png PAGE.html [OTHER.html...]
Exit 77 (skip) when chromium is missing or cannot start, with the reason.
"""
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SHOT_W, SHOT_H, SHOT_SCALE = 375, 1600, 0.25
TOLERANCE = 6.0  # mean absolute difference per channel (0..255)


def skip(msg):
    print(f"SKIP: {msg}")
    sys.exit(77)


class Browser:
    def __init__(self, exe):
        self.tmp = tempfile.mkdtemp(prefix="talot-chromium.")
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()

        def child():
            a, b = os.dup(cmd_r), os.dup(res_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.p = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-pipe", "--hide-scrollbars",
             "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking",
             "--disable-sync", "--disable-component-update",
             "--mute-audio", f"--user-data-dir={self.tmp}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=child)
        os.close(cmd_r)
        os.close(res_w)
        self.w, self.r = cmd_w, res_r
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        os.close(self.w)
        os.close(self.r)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def read_msg(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self.r], [], [], left)
            if ready:
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        m = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = session
        os.write(self.w, json.dumps(m).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            r = self.read_msg(deadline)
            if r.get("id") == self.next_id:
                if "error" in r:
                    raise RuntimeError(f"{method}: {r['error']}")
                return r.get("result", {})
            self.events.append(r)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                del self.events[i]
                return e
        while True:
            e = self.read_msg(deadline)
            if e.get("method") == method:
                return e
            self.events.append(e)


def png_decode(data):
    """(width, height, rows of RGB bytes) of an 8-bit RGB/RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("unsupported PNG")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        prev = line
        rgb = bytearray()
        for x in range(w):
            rgb += line[x * bpp:x * bpp + 3]
        rows.append(rgb)
    return w, h, rows


def compare(golden, shot):
    gw, gh, g = png_decode(golden)
    sw, sh, s = png_decode(shot)
    if (gw, gh) != (sw, sh):
        return f"size {sw}x{sh}, golden {gw}x{gh}"
    total = sum(abs(x - y) for ra, rb in zip(g, s) for x, y in zip(ra, rb))
    mean = total / (gw * gh * 3)
    print(f"screenshot: mean difference {mean:.2f} (tolerance {TOLERANCE})")
    return None if mean <= TOLERANCE else f"differs from the golden by {mean:.2f}"


def main():
    args = sys.argv[1:]
    regen = args and args[0] == "--regen"
    if regen:
        args = args[1:]
    golden, pages = args[0], args[1:]
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser",
                "google-chrome") if shutil.which(n)), None)
    if exe is None:
        skip("chromium is not installed (.ci/install-deps --full installs it)")
    try:
        b = Browser(exe)
        target = next(t for t in b.send("Target.getTargets")["targetInfos"]
                      if t["type"] == "page")
        sid = b.send("Target.attachToTarget", {"targetId": target["targetId"],
                     "flatten": True})["sessionId"]
    except Exception as e:  # noqa: BLE001 - any start failure is a skip
        skip(f"chromium did not start or answer ({e})")
    fails = []
    try:
        for m in ("Page.enable", "Runtime.enable", "Log.enable",
                  "Network.enable"):
            b.send(m, session=sid)
        for page in pages:
            url = "file://" + os.path.abspath(page)
            name = os.path.basename(page)
            for width in (375, 1280):
                b.send("Emulation.setDeviceMetricsOverride", {
                    "width": width, "height": 900, "deviceScaleFactor": 1,
                    "mobile": width < 600}, session=sid)
                b.events.clear()
                b.send("Page.navigate", {"url": url}, session=sid)
                b.wait_event("Page.loadEventFired")
                r = b.send("Runtime.evaluate", {"expression":
                    "JSON.stringify([document.documentElement.scrollWidth,"
                    "document.documentElement.clientWidth,"
                    "document.querySelectorAll('svg').length])",
                    "returnByValue": True}, session=sid)
                sw, cw, nsvg = json.loads(r["result"]["value"])
                print(f"{name} at {width} px: scroll width {sw}, "
                      f"viewport {cw}, {nsvg} svg")
                if sw != cw or cw != width:
                    fails.append(f"{name} at {width} px: scroll width {sw} "
                                 f"!= viewport {cw}")
                # a moment for late messages, then look at what came
                try:
                    b.send("Runtime.evaluate", {"expression": "1"},
                           session=sid)
                except Exception:
                    pass
                for e in b.events:
                    m, p = e.get("method"), e.get("params", {})
                    if m == "Runtime.exceptionThrown":
                        fails.append(f"{name}: exception {p}")
                    elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                        fails.append(f"{name}: console error {p.get('args')}")
                    elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                        fails.append(f"{name}: {p['entry']['text']}")
                    elif m == "Network.requestWillBeSent" and \
                            p["request"]["url"] != url:
                        fails.append(f"{name}: request {p['request']['url']}")
                if width == 375 and page == pages[0]:
                    shot = b.send("Page.captureScreenshot", {
                        "format": "png", "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": SHOT_W,
                                 "height": SHOT_H, "scale": SHOT_SCALE}},
                        session=sid)
                    import base64
                    png = base64.b64decode(shot["data"])
                    if regen or not os.path.exists(golden):
                        open(golden, "wb").write(png)
                        print(f"wrote {golden}" + ("" if regen else
                              " (no golden yet: look at it and commit it)"))
                    else:
                        open(os.path.join(os.path.dirname(os.path.abspath(page)),
                             "shot-375.png"), "wb").write(png)
                        d = compare(open(golden, "rb").read(), png)
                        if d:
                            fails.append(f"screenshot at 375 px: {d} "
                                         f"(tests/regen-browser-golden.sh)")
                # the tables behind the figures, opened: wide ones scroll
                # in their own box, never the page
                r = b.send("Runtime.evaluate", {"expression":
                    "document.querySelectorAll('details').forEach("
                    "d => d.open = true);"
                    "JSON.stringify([document.documentElement.scrollWidth,"
                    "document.querySelectorAll('details[open]').length])",
                    "returnByValue": True}, session=sid)
                sw2, nopen = json.loads(r["result"]["value"])
                print(f"{name} at {width} px, {nopen} tables open: "
                      f"scroll width {sw2}")
                if sw2 != width:
                    fails.append(f"{name} at {width} px with the tables "
                                 f"open: scroll width {sw2}")
    finally:
        b.close()
    for f in fails:
        print("FAIL", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
