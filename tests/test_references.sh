#!/usr/bin/env bash
# test_references.sh — the catalogue's advisories (templates/references.csv)
# reach every format: clickable links in the PDF's section 4 table,
# hyperlink cells in the workbook's section 4 sheet, <a href> in the web
# page and references[] in the JSON, in both languages; hostile titles and
# URLs are escaped; a bad URL is refused with FILE:LINE and writes nothing;
# without references.csv there are no links.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-refs.XXXXXX")
trap 'rm -rf "$T"' EXIT
CHECK="python3 $SRC/tests/refs_check.py"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }
check() { # NAME CMD...
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name ($(echo "$out" | tail -1))"
	else bad "$name" "$(echo "$out" | head -8)"; fi
}

"$BIN" demo --db "$T/s.db" >/dev/null || { echo "demo failed"; exit 1; }

# ---- the sample, both languages ----
mkdir -p "$T/a"
if "$BIN" render --db "$T/s.db" --month 2007-06 --out "$T/a" \
    --template "$SRC/templates" --format pdf,xlsx,html --lang ja,en 2>"$T/a.err"; then
	check "sample ja: PDF, workbook, page and JSON carry the references" \
	    $CHECK "$SRC/templates" ja "$T/a/talot-2007-06" "4 補足説明"
	check "sample en: PDF, workbook, page and JSON carry the references" \
	    $CHECK "$SRC/templates" en "$T/a/talot-2007-06.en" "4 Port notes"
	# the seed's 参考情報 (MS03-043 for 1026/udp) is among them, as a link
	if grep -q '/URI *(https://learn.microsoft.com/ja-jp/security-updates/securitybulletins/2003/ms03-043)' \
	    "$T/a/talot-2007-06.pdf"; then ok "sample: the PDF links MS03-043 (the seed's reference)"
	else bad "sample: the PDF links MS03-043"; fi
	if pdftotext "$T/a/talot-2007-06.pdf" - | grep -q 'メッセンジャ サービスのバッファオーバーランにより'; then
		ok "sample: the PDF shows the reference's title"
	else bad "sample: the PDF shows the reference's title"; fi
else
	bad "sample: render" "$(head -3 "$T/a.err")"
fi

# ---- a bulletin never cites its future: published after June 2007 ----
if [ -f "$T/a/talot-2007-06.pdf" ]; then
	if grep -q -E '/URI *\(https://[^)]*(ms08-067|ms17-010|ms12-020|CVE-2019-0708)' \
	    "$T/a/talot-2007-06.pdf" "$T/a/talot-2007-06.en.pdf" ||
	    grep -q -E 'ms08-067|ms17-010' "$T/a/talot-2007-06.html" "$T/a/talot-2007-06.json"; then
		bad "sample: an advisory published after June 2007 is cited"
	else ok "sample: no advisory published after June 2007 (MS08-067, MS17-010) is cited"; fi
fi
mkdir -p "$T/p/tpl" "$T/p/o"
cp -r "$SRC/templates/." "$T/p/tpl/"
cat >"$T/p/tpl/references.csv" <<'CSV'
proto,port,title,url,title_en,url_en,published
tcp,135,published in the month,https://example.org/in,in,,2007-06
tcp,135,published the month after,https://example.org/after,after,,2007-07
tcp,135,no month given,https://example.org/undated,undated,,
CSV
if "$BIN" render --db "$T/s.db" --month 2007-06 --out "$T/p/o" \
    --template "$T/p/tpl" --format pdf,html --lang ja 2>"$T/p.err"; then
	if grep -q 'example.org/in' "$T/p/o/talot-2007-06.json" &&
	    grep -q 'example.org/undated' "$T/p/o/talot-2007-06.json" &&
	    ! grep -q 'example.org/after' "$T/p/o/talot-2007-06.json" "$T/p/o/talot-2007-06.pdf" \
	        "$T/p/o/talot-2007-06.html"; then
		ok "published: the month's and undated advisories are cited, the next month's is not"
	else bad "published: filter" "$(grep -o 'example.org/[a-z]*' "$T/p/o/talot-2007-06.json" | tr '\n' ' ')"; fi
	check "published: every format agrees with the filtered table" \
	    $CHECK "$T/p/tpl" ja "$T/p/o/talot-2007-06"
else
	bad "published: render" "$(head -3 "$T/p.err")"
fi
printf 'proto,port,title,url,published\ntcp,135,x,https://example.org/x,2007-13\n' >"$T/p/tpl/references.csv"
rm -rf "$T/p/o"; mkdir -p "$T/p/o"
"$BIN" render --db "$T/s.db" --month 2007-06 --out "$T/p/o" --template "$T/p/tpl" \
    --format pdf 2>"$T/p2.err"; rc=$?
if [ $rc -eq 1 ] && grep -q "references.csv:2: bad published month '2007-13'" "$T/p2.err" &&
    [ "$(wc -l <"$T/p2.err")" -eq 1 ] && [ -z "$(ls "$T/p/o")" ]; then
	ok "published: a bad month is one line naming references.csv:2, exit 1, no file"
else bad "published: a bad month" "rc $rc: $(head -2 "$T/p2.err")"; fi

# ---- hostile text: a title with markup, a URL with & and ' ----
cp -r "$SRC/templates" "$T/tpl"
cat >"$T/tpl/references.csv" <<'CSV'
proto,port,title,url,title_en,url_en
tcp,135,"<script>alert(1)</script> & ""quoted"" 'x'",https://example.org/a?x=1&y='2'#f,"</script><b>en</b>",
tcp,135,二つ目,http://example.org/%E3%81%82,,
CSV
mkdir -p "$T/b"
if "$BIN" render --db "$T/s.db" --month 2007-06 --out "$T/b" \
    --template "$T/tpl" --format pdf,xlsx,html --lang ja,en 2>"$T/b.err"; then
	check "hostile ja: the same title and URL in every format, no script" \
	    $CHECK "$T/tpl" ja "$T/b/talot-2007-06" "4 補足説明"
	check "hostile en: only the line with an English title, no script" \
	    $CHECK "$T/tpl" en "$T/b/talot-2007-06.en" "4 Port notes"
	if grep -q "y=\\\\\?'2'#f" "$T/b/talot-2007-06.pdf" && ! grep -q '<script>' "$T/b/talot-2007-06.html"; then
		ok "hostile: the PDF keeps the apostrophe of the URL; the page has no raw <script>"
	else bad "hostile: apostrophe in the PDF URI or raw <script> in the page"; fi
	check "hostile: the page is still valid HTML5" \
	    python3 "$SRC/tests/web_check.py" markup "$T/b/talot-2007-06.html"
	check "hostile: the page runs nothing and fetches nothing" \
	    python3 "$SRC/tests/web_check.py" safe "$T/b/talot-2007-06.html"
else
	bad "hostile: render" "$(head -3 "$T/b.err")"
fi

# ---- a bad URL: FILE:LINE, exit 1, nothing written ----
printf 'proto,port,title,url,title_en,url_en\n# c\ntcp,135,t,https://example.org/,t,\ntcp,445,t,javascript:alert(1),t,\n' \
    >"$T/tpl/references.csv"
mkdir -p "$T/c"
"$BIN" render --db "$T/s.db" --month 2007-06 --out "$T/c" --template "$T/tpl" \
    --format pdf,xlsx,html 2>"$T/c.err"
rc=$?
want="$T/tpl/references.csv:4: the url 'javascript:alert(1)' is not an http:// or https:// address"
if [ $rc -eq 1 ] && [ "$(grep -v '^$' "$T/c.err" | wc -l)" -eq 1 ] &&
    grep -qF "$want" "$T/c.err" && [ -z "$(ls -A "$T/c")" ]; then
	ok "bad URL: exit 1, one line naming references.csv:4, no file"
else
	bad "bad URL: exit 1, one line, no file" "rc=$rc" "$(head -3 "$T/c.err")" "$(ls "$T/c")"
fi

# ---- no references.csv: no links anywhere ----
rm "$T/tpl/references.csv"
mkdir -p "$T/d"
if "$BIN" render --db "$T/s.db" --month 2007-06 --out "$T/d" --template "$T/tpl" \
    --format pdf,xlsx,html 2>"$T/d.err"; then
	n=$(grep -c '/URI' "$T/d/talot-2007-06.pdf")
	r=$(python3 -c 'import json,sys; print(sum(len(p["references"]) for p in json.load(open(sys.argv[1]))["ports"]))' \
	    "$T/d/talot-2007-06.json")
	h=$(grep -c 'class="refs"' "$T/d/talot-2007-06.html")
	if [ "$n" -eq 0 ] && [ "$r" -eq 0 ] && [ "$h" -eq 0 ]; then
		ok "no references.csv: no link in the PDF, none in the JSON or the page"
	else bad "no references.csv: no links" "pdf $n json $r html $h"; fi
else
	bad "no references.csv: render" "$(head -3 "$T/d.err")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
