#!/usr/bin/env bash
# test_site_lang.sh — the web site in two languages: index.html lists the
# Japanese months, index.en.html the English ones (the English words, no
# Japanese but the marked link), each index and each month page links to
# its other-language version (hreflang alternates in the head and the
# nav), the English pages link to the English index; a language rendered
# later links to the one already in the folder; re-rendering one language
# keeps the other's index; every page is valid HTML5 and fetches nothing.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-site.XXXXXX")
trap 'rm -rf "$T"' EXIT
CHECK="python3 $SRC/tests/web_check.py"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }
check() { # NAME CMD...
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"
	else bad "$name" "$(echo "$out" | head -8)"; fi
}
VNU=${VNU_JAR:-}
[ -z "$VNU" ] && for c in /opt/talot-vnu/node_modules/vnu-jar/build/dist/vnu.jar \
    /usr/local/lib/node_modules/vnu-jar/build/dist/vnu.jar; do
	[ -f "$c" ] && VNU=$c && break
done
command -v java >/dev/null || VNU=

"$BIN" demo --db "$T/s.db" >/dev/null || { echo "demo failed"; exit 1; }

# ---- both languages in one run ----
S=$T/site
mkdir -p "$S"
if ! "$BIN" render --db "$T/s.db" --month 2007-04 --to 2007-06 --out "$S" \
    --template "$SRC/templates" --format html --lang ja,en 2>"$T/err"; then
	bad "render 2007-04..06 ja,en" "$(head -3 "$T/err")"
	echo "$pass passed, $fail failed"
	exit 1
fi
check "index.html: the Japanese months, newest first" \
    $CHECK index "$S/index.html" 2007-06 2007-05 2007-04
check "index.en.html: the English months, newest first, lang=en" \
    $CHECK langindex "$S/index.en.html" en 2007-06 2007-05 2007-04
check "index.html links index.en.html (hreflang en)" \
    $CHECK alternates "$S/index.html" en=index.en.html
check "index.en.html links index.html (hreflang ja)" \
    $CHECK alternates "$S/index.en.html" ja=index.html
for m in 2007-04 2007-06; do
	check "talot-$m.html links its English version" \
	    $CHECK alternates "$S/talot-$m.html" en=talot-$m.en.html
	check "talot-$m.en.html links its Japanese version" \
	    $CHECK alternates "$S/talot-$m.en.html" ja=talot-$m.html
done
if grep -q 'href="index.en.html" rel="index"' "$S/talot-2007-06.en.html" &&
    grep -q 'href="index.html" rel="index"' "$S/talot-2007-06.html"; then
	ok "each month page links the index of its own language"
else
	bad "each month page links the index of its own language" \
	    "$(grep -o '<a href="index[^>]*>' "$S"/talot-2007-06*.html)"
fi
for f in index.html index.en.html talot-2007-06.en.html; do
	check "$f: no script, handler, image or fetch" $CHECK safe "$S/$f"
done
check "talot-2007-06.en.html: valid HTML5 (strict html5lib)" \
    $CHECK markup "$S/talot-2007-06.en.html"
check "index.en.html: English words and months" \
    $CHECK text "$S/index.en.html" "June 2007"
# nothing Japanese in the English index but the marked link to 日本語
if python3 - "$S/index.en.html" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
links = re.findall(r'<a [^>]*\blang="ja"[^>]*>([^<]*)</a>', t)
t = re.sub(r'<a [^>]*\blang="ja"[^>]*>[^<]*</a>', "", t)
m = re.search(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]", t)
sys.exit(1 if m or links != ["日本語"] else 0)
PY
then ok "index.en.html: nothing Japanese but the link 日本語 (lang=ja)"
else bad "index.en.html: nothing Japanese but the link 日本語"; fi
if [ -n "$VNU" ]; then
	check "the Nu Html Checker finds no error in both indexes and pages" \
	    java -jar "$VNU" --errors-only "$S/index.html" "$S/index.en.html" \
	    "$S/talot-2007-06.html" "$S/talot-2007-06.en.html"
else
	echo "note: vnu.jar not found: the Nu Html Checker is not run"
fi

# ---- re-rendering one language keeps the other's index ----
"$BIN" render --db "$T/s.db" --month 2007-05 --out "$S" --template "$SRC/templates" \
    --format html --lang en 2>"$T/err" || bad "re-render 2007-05 en" "$(head -3 "$T/err")"
check "after an English re-render: index.html keeps the three months" \
    $CHECK index "$S/index.html" 2007-06 2007-05 2007-04
check "after an English re-render: index.en.html keeps the three months" \
    $CHECK langindex "$S/index.en.html" en 2007-06 2007-05 2007-04
rm "$S/talot-2007-04.en.html"
"$BIN" render --db "$T/s.db" --month 2007-06 --out "$S" --template "$SRC/templates" \
    --format html --lang ja 2>"$T/err" || bad "re-render 2007-06 ja" "$(head -3 "$T/err")"
check "a removed English page leaves index.en.html" \
    $CHECK langindex "$S/index.en.html" en 2007-06 2007-05

# ---- a language rendered later links to the one in the folder ----
L=$T/later
mkdir -p "$L"
"$BIN" render --db "$T/s.db" --month 2007-06 --out "$L" --template "$SRC/templates" \
    --format html --lang ja 2>/dev/null
[ -f "$L/index.en.html" ] && bad "a Japanese-only site has no index.en.html" ||
    ok "a Japanese-only site has no index.en.html"
check "a Japanese-only index has no language link" $CHECK alternates "$L/index.html"
"$BIN" render --db "$T/s.db" --month 2007-06 --out "$L" --template "$SRC/templates" \
    --format html --lang en 2>/dev/null
check "the English page rendered later links the Japanese one already there" \
    $CHECK alternates "$L/talot-2007-06.en.html" ja=talot-2007-06.html
if grep -q '>日本語</a>' "$L/talot-2007-06.en.html"; then
	ok "its link names the language as the Japanese JSON does (日本語)"
else bad "its link names the language 日本語"; fi
check "then index.html links index.en.html" \
    $CHECK alternates "$L/index.html" en=index.en.html

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
