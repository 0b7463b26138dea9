#!/usr/bin/env bash
# test_situations.sh — every sentence stays true in the situations that
# would make it false (issue 9): for each fixture of tests/data/situations,
# sections 1 and 2 of the Japanese and English bulletins equal a golden
# text (tests/golden/situations/, rewritten by tests/regen-golden.sh after
# a human has read the diff), and the facts are checked one by one.
set -u
BIN=${TALOT_BIN:?}
SRC=${TALOT_SRCDIR:?}
. "$SRC/tests/situations.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/talot-sit.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '     %s\n' "$@"; }
# text of NAME LANG with line breaks removed (a sentence may wrap: in
# English a break stands for a space)
flat() {
	if [ "$2" = en ]; then tr '\n' ' ' <"$T/$1.$2.txt" | tr -s ' '
	else sed 's/^ *//' "$T/$1.$2.txt" | tr -d '\n'; fi
}
has() { # NAME LANG TEXT
	if flat "$1" "$2" | grep -qF -- "$3"; then ok "$1/$2: has '$3'"
	else bad "$1/$2: has '$3'"; fi
}
hasnt() { # NAME LANG REGEX
	if flat "$1" "$2" | grep -qE -- "$3"; then
		bad "$1/$2: never '$3'" "$(flat "$1" "$2" | grep -oE -- ".{0,30}$3.{0,30}" | head -2)"
	else ok "$1/$2: never '$3'"; fi
}

for d in "$SRC"/tests/data/situations/*/; do
	name=$(basename "$d")
	for lang in ja en; do
		if ! situation_text "$BIN" "$SRC" "$T" "$name" "$lang" \
		    >"$T/$name.$lang.txt" 2>"$T/$name.err"; then
			bad "$name/$lang: render" "$(head -3 "$T/$name.err")"
			continue
		fi
		golden=$SRC/tests/golden/situations/$name.$lang.txt
		if [ ! -f "$golden" ]; then
			bad "$name/$lang: golden" "$golden is missing: run tests/regen-golden.sh"
		elif diff -u "$golden" "$T/$name.$lang.txt" >"$T/diff"; then
			ok "$name/$lang: sections 1-2 equal the golden text"
		else
			bad "$name/$lang: sections 1-2 equal the golden text" "$(head -30 "$T/diff")"
		fi
	done
	# an English bulletin has nothing Japanese
	if LC_ALL=C.UTF-8 grep -qP '[\x{3000}-\x{30ff}\x{3400}-\x{9fff}\x{ff00}-\x{ffef}]' \
	    "$T/$name.en.txt" 2>/dev/null; then
		bad "$name/en: nothing Japanese"
	else
		ok "$name/en: nothing Japanese"
	fi
done

# sensors 3 -> 6, traffic per sensor unchanged: no rise, the change said
has sensors-3-to-6 ja "2007年6月の観測点は6か所で、2007年5月の3か所から増えました。"
has sensors-3-to-6 ja "観測点s4、s5、s6が2007年6月から観測に加わりました。"
has sensors-3-to-6 ja "2007年5月とほぼ同じ水準でした"
hasnt sensors-3-to-6 ja "倍"
hasnt sensors-3-to-6 ja "大きく増えた宛先"
has sensors-3-to-6 ja "2007年5月と比べて、目立って増加した宛先はありませんでした。"
has sensors-3-to-6 en "In June 2007 there were 6 sensors, up from 3 in May 2007."
hasnt sensors-3-to-6 en "×"
# a brand-new port in the top 5: notable, newly observed, not a ratio
has new-port-top5 ja "3389/tcpポートへのアクセスは2007年6月に新たに観測されたもので"
has new-port-top5 ja "2.1 3389/tcpポートを狙ったアクセス"
hasnt new-port-top5 ja "3389/tcpポートへのアクセス数は"
has new-port-top5 ja "このポートへの発信元地域別アクセス数の変化"
has new-port-top5 en "Accesses to 3389/tcp were newly observed in June 2007"
has new-port-top5 en "this port by source country"
# one access in May: newly observed; a ratio of 31: "10倍以上", separators
has prev-one-access ja "1434/udpポートへのアクセスは2007年6月に新たに観測された"
has prev-one-access ja "2007年5月の10倍以上になりました"
hasnt prev-one-access ja "約[0-9,]{3,}倍"
has prev-one-access en "10× or more"
# a first month: nothing compares with the month before
has first-month ja "前月の観測データがないため、前月との比較はできません。"
has first-month ja "前月の観測データがないため、増加した宛先は判断できません。"
hasnt first-month ja "と比べて"
hasnt first-month ja "2007年5月(と|の|から|に|には)"
hasnt first-month en "against|(of|from|in|than) May 2007"
# outages: ranges, every sensor, units, a sensor down the whole month named
has outages ja "6月1日～2日(全観測点)"
has outages ja "6月10日～12日(1観測点)"
has outages ja "計9観測点・日"
has outages ja "観測点s4は、2007年5月には観測していましたが、2007年6月は全期間にわたって観測できませんでした。"
hasnt outages ja "[^0-9]: "
has outages en "June 10–12 (1 sensor)"
has outages en "June 1–2 (all sensors)"
has outages en "Sensor s4, which observed in May 2007, could not observe at all in June 2007."
# a port that falls to zero is named as a fall
has port-falls-to-zero ja "大きく減った宛先は1433/tcp(観測されなくなりました)です。"
has port-falls-to-zero en "The largest fall was at 1433/tcp (no longer observed)."
# ICMP only after TCP: messages, not ports; backscatter; the mix changed
hasnt icmp-after-tcp ja "\\(ICMP\\) ?ポート"
hasnt icmp-after-tcp ja "ほぼ同じ水準"
has icmp-after-tcp ja "宛先の内訳は2007年5月から大きく変わっています。"
has icmp-after-tcp ja "バックスキャッタ"
has icmp-after-tcp ja "135/tcp(観測されなくなりました)"
has icmp-after-tcp ja "これらの宛先への発信元地域別アクセス数の変化"
has icmp-after-tcp en "The mix of destinations, however, changed markedly from May 2007."
hasnt icmp-after-tcp en "\\(ICMP\\) port"
# a falling trend that the last month reverses says so
has trend-reverses ja "減少傾向にあるようです。ただし、2007年6月は2007年5月と比べて約10%増えています。"
has trend-reverses en "However, June 2007 rose by about 10% against May 2007."

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
