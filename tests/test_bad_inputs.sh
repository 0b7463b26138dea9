#!/usr/bin/env bash
# test_bad_inputs.sh — the bad-input catalogue (tests/bad/cases.tsv, described
# in tests/bad/README.md): every input talot reads, made wrong on purpose.
# Each case is one check: the exit status is the expected one (and < 128),
# stderr is one line matching the case's regex (or, for `multi` cases, error
# lines and one summary line), and the store and the output folders are left
# exactly as they were (no temporary file either).
#
# Environment: TALOT_BIN (the binary), TALOT_SRCDIR (the repository root),
# TALOT_BAD_ONLY (optional: a regex; run only the cases whose name matches),
# TALOT_KEEP=1 (keep the scratch folder).
# Prints "N passed, N failed" and exits non-zero if anything failed.
set -u

BIN=${TALOT_BIN:?TALOT_BIN must name the talot binary}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
SRC=${TALOT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SRC=$(cd "$SRC" && pwd)
BAD=$SRC/tests/bad
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1183248000}
# LeakSanitizer lists the suppressions it used (fontconfig's caches, held
# by pango's threads when a render stops early) on stderr: not a message of
# talot's.  Real leaks are still reported, and fail the one-line check.
[ -n "${LSAN_OPTIONS:-}" ] && export LSAN_OPTIONS="$LSAN_OPTIONS:print_suppressions=0"
unset TALOT_TEMPLATE_DIR
W=$(mktemp -d "${TMPDIR:-/tmp}/talot-bad-XXXXXX")
MOUNTS=()

cleanup() {
	local m
	for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
	if [ "${TALOT_KEEP:-0}" = 1 ]; then
		echo "kept $W" >&2
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass=0
fail=0
skip=0
skipped=()

talot() { "$BIN" "$@"; }

# ---- shared fixtures: the demo store and good outputs ----------------------

if ! "$BIN" demo --db "$W/pristine.db" >/dev/null 2>"$W/err"; then
	echo "FAIL: setup: talot demo failed: $(head -n 3 "$W/err")" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$W/good"
if ! "$BIN" render --db "$W/pristine.db" --month 2007-06 --out "$W/good" \
    >/dev/null 2>"$W/err" ||
   ! "$BIN" export --db "$W/pristine.db" --month 2007-01 --to 2007-06 \
    --out "$W/good/range.xlsx" >/dev/null 2>>"$W/err"; then
	echo "FAIL: setup: rendering the good outputs failed: $(head -n 3 "$W/err")" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

HAVE_SQLITE3=0
command -v sqlite3 >/dev/null 2>&1 && HAVE_SQLITE3=1

# Can we mount (root, in a namespace that allows it)?  Probed once.
CAN_MOUNT=0
if [ "$(id -u)" = 0 ] && mkdir -p "$W/probe" &&
   mount -t tmpfs -o size=64k tmpfs "$W/probe" 2>/dev/null; then
	umount "$W/probe" && CAN_MOUNT=1
fi

# The read-only bind mount, made on first use: a demo store + good outputs.
RO_STATE=none     # none | ok | failed
ro_mount() {
	[ "$RO_STATE" = ok ] && return 0
	[ "$RO_STATE" = failed ] && return 1
	RO_STATE=failed
	[ "$CAN_MOUNT" = 1 ] || return 1
	mkdir -p "$W/ro-src" "$W/ro" || return 1
	cp "$W/pristine.db" "$W/ro-src/store.db" && cp "$W/good/"* "$W/ro-src/" || return 1
	mount --bind "$W/ro-src" "$W/ro" 2>/dev/null || return 1
	MOUNTS+=("$W/ro")
	mount -o remount,bind,ro "$W/ro" 2>/dev/null || return 1
	if touch "$W/ro/.probe" 2>/dev/null; then
		rm -f "$W/ro/.probe"
		return 1
	fi
	RO_STATE=ok
}

# ---- generated inputs -------------------------------------------------------

HDR='day,sensor,proto,port,country,accesses,sources'

# gen KIND DIR: writes the input and prints its path
gen() {
	local f
	case $1 in
	long-line)
		f=$2/long-line.csv
		{
			printf '%s\n2007-07-01,s01,tcp,135,CN,120,31\n' "$HDR"
			printf '2007-07-01,s01,tcp,80,CN,1,1   # '
			head -c 1048576 /dev/zero | tr '\0' x
			printf '\n'
		} >"$f" ;;
	sum-overflow)
		f=$2/sum-overflow.csv
		awk -v h="$HDR" 'BEGIN { print h
			for (d = 1; d <= 30; d++) for (p = 1; p <= 310; p++)
				printf "2007-09-%02d,s01,tcp,%d,CN,1000000000000000,1\n", d, p }' >"$f" ;;
	many-errors)
		f=$2/many-errors.csv
		{ echo "$HDR"; for _ in $(seq 25); do echo '2007-07-0x,s01,tcp,80,CN,1,1'; done; } >"$f" ;;
	rows)
		f=$2/rows.csv
		awk -v h="$HDR" 'BEGIN { print h
			for (d = 1; d <= 20; d++) for (s = 1; s <= 10; s++) for (p = 1; p <= 300; p++)
				printf "2007-08-%02d,s%02d,tcp,%d,CN,%d,%d\n", d, s, p, 100 + p, 1 + p % 50 }' >"$f" ;;
	big-notes)
		f=$2/big-notes.md
		head -c 1048577 /dev/zero | tr '\0' a >"$f" ;;
	deep-quotes)
		f=$2/deep-quotes.md
		{ printf 'intro\n\n'; head -c 400000 /dev/zero | sed 's/\x0\x0/> /g'; printf 'x\n'; } >"$f" ;;
	deep-lists)
		f=$2/deep-lists.md
		awk 'BEGIN { printf "intro\n\n"; for (i = 0; i < 600; i++) { for (j = 0; j < i; j++) printf "  "; print "- x" } }' >"$f" ;;
	notes-figure)
		f=$2/notes-figure.md
		printf 'first\n\nsecond\n\n![図 9.9](talot:fig-9.9)\n' >"$f" ;;
	notes-caption)
		f=$2/notes-caption.md
		{ printf 'first\n\n![図 '; head -c 40000 /dev/zero | tr '\0' x; printf '](talot:fig-1.1)\n'; } >"$f" ;;
	notes-esc)
		f=$2/notes-esc.md
		printf 'テスト\n\n\033[31m です。\n' >"$f" ;;
	*)
		return 1 ;;
	esac
	echo "$f"
}

# ---- state snapshots ----------------------------------------------------------

# store_state PATH: the store file and its -wal (absent = empty)
store_state() {
	local p=$1
	if [ -d "$p" ]; then
		echo "dir"
	elif [ -f "$p" ]; then
		sha1sum <"$p" | cut -d' ' -f1
	else
		echo "absent"
	fi
	if [ -s "$p-wal" ]; then
		echo "wal $(sha1sum <"$p-wal" | cut -d' ' -f1)"
	fi
}

# dir_state DIR: names and bytes of everything inside
dir_state() {
	[ -n "$1" ] && [ -d "$1" ] || return 0
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r f; do
		if [ -f "$f" ]; then
			printf '%s %s\n' "$f" "$(sha1sum <"$f" | cut -d' ' -f1)"
		else
			printf '%s\n' "$f"
		fi
	done)
}

# ---- one case -------------------------------------------------------------------

# check_lines FLAGS REGEX ERRFILE: prints a reason and returns 1 on failure
check_lines() {
	local flags=$1 re=$2 err=$3 n first last mid_bad more total
	n=$(wc -l <"$err")
	if [ -s "$err" ] && [ -n "$(tail -c 1 "$err")" ]; then
		n=$((n + 1))      # last line without a newline
	fi
	first=$(head -n 1 "$err")
	if [[ ",$flags," != *,multi,* ]]; then
		if [ "$n" -ne 1 ]; then
			echo "$n lines on stderr, expected exactly 1"
			return 1
		fi
		if ! grep -Eq -- "$re" <<<"$first"; then
			echo "stderr does not match /$re/"
			return 1
		fi
		return 0
	fi
	if [ "$n" -lt 2 ]; then
		# a multi case may still fail with a single line if that line
		# is the one expected (e.g. the store could not be opened)
		if [ "$n" -eq 1 ] && grep -Eq -- "$re" <<<"$first"; then
			return 0
		fi
		echo "$n lines on stderr, expected error lines and a summary"
		return 1
	fi
	if ! grep -Eq -- "$re" <<<"$first"; then
		echo "first stderr line does not match /$re/"
		return 1
	fi
	last=$(tail -n 1 "$err")
	mid_bad=$(sed '$d' "$err" | grep -Ev -- '^([^ ]+:[0-9]+: |talot [a-z]+: |and [0-9]+ more errors?$)' | head -n 1)
	if [ -n "$mid_bad" ]; then
		echo "unexpected stderr line: $mid_bad"
		return 1
	fi
	if [[ $last =~ ^talot\ import:\ nothing\ was\ imported\ \(([0-9]+)\ errors?\)$ ]]; then
		total=${BASH_REMATCH[1]}
		more=$(sed -n 's/^and \([0-9]*\) more errors*$/\1/p' "$err" | head -n 1)
		n=$(( $(sed '$d' "$err" | grep -cv '^and [0-9]* more error') + ${more:-0} ))
		if [ "$n" -ne "$total" ]; then
			echo "summary says $total errors, $n reported"
			return 1
		fi
	elif ! [[ $last =~ ^talot\ render:\ [0-9]+\ months?\ written,\ [0-9]+\ failed$ ]]; then
		echo "last stderr line is not a summary: $last"
		return 1
	fi
	return 0
}

run_case() {
	local name=$1 setup=$2 flags=$3 want=$4 re=$5 cmd=$6
	local T=$W/c/$name db out tpl="" genf="" ro="" full="" why="" item
	local before_db before_out before_ro before_full rc
	T=$W/c/$name
	mkdir -p "$T"
	out=$T/out
	mkdir -p "$out" && cp "$W/good/"* "$out/"
	db=$T/store.db
	local dbkind=demo
	IFS=, read -r -a items <<<"$setup"
	for item in "${items[@]}"; do
		case $item in
		-|"") ;;
		db=*) dbkind=${item#db=} ;;
		tpl|tpl=*)
			local from=$name
			[ "$item" != tpl ] && from=${item#tpl=}
			tpl=$T/tpl
			# the tables (ports.csv, countries.csv) are shared by the
			# languages; every other file of a case is the Japanese
			# folder's (ja/)
			cp -r "$SRC/templates" "$tpl" || why="cannot copy the templates"
			for f in "$BAD/$from/template/"* "$BAD/$from/template/".remove; do
				[ -e "$f" ] || continue
				case ${f##*/} in
				ports.csv|countries.csv) cp -r "$f" "$tpl/" ;;
				*) cp -r "$f" "$tpl/ja/" ;;
				esac
			done
			if [ -f "$tpl/ja/.remove" ]; then
				# names of files the case removes, wherever they are
				(cd "$tpl" && xargs rm -f <ja/.remove)
				(cd "$tpl/ja" && xargs rm -f <.remove && rm -f .remove)
			fi ;;
		gen=*)
			genf=$(gen "${item#gen=}" "$T") || { why="unknown setup $item"; } ;;
		ro)
			if ro_mount; then ro=$W/ro; else why="skip: no read-only bind mount (needs root and mount)"; fi ;;
		full=*)
			local f=${item#full=} kb
			if [ "$CAN_MOUNT" != 1 ]; then
				why="skip: cannot mount a small tmpfs (needs root and mount)"
			else
				# room for the old file and half of a new one
				kb=$(( ( $(stat -c %s "$W/good/$f") + 4095 ) / 4096 * 4 ))
				kb=$(( kb + kb / 2 ))
				mkdir -p "$T/full"
				if mount -t tmpfs -o size=${kb}k tmpfs "$T/full" 2>/dev/null; then
					MOUNTS+=("$T/full")
					full=$T/full
					cp "$W/good/$f" "$full/"
				else
					why="skip: mount -t tmpfs failed"
				fi
			fi ;;
		*) why="unknown setup $item" ;;
		esac
	done
	case $dbkind in
	demo) cp "$W/pristine.db" "$db" ;;
	none) ;;
	empty) : >"$db" ;;
	dir) mkdir "$db" ;;
	random) head -c 65536 /dev/urandom >"$db" ;;
	half)
		cp "$W/pristine.db" "$db"
		truncate -s $(( $(stat -c %s "$db") / 2 )) "$db" ;;
	page)
		local ps
		cp "$W/pristine.db" "$db"
		ps=$(od -An -tu1 -j16 -N2 "$db" | awk '{ print $1 * 256 + $2 }')
		[ "$ps" = 1 ] && ps=65536
		head -c "$ps" /dev/zero | tr '\0' '\377' |
		    dd of="$db" bs="$ps" seek=3 conv=notrunc status=none ;;
	newer|foreign)
		if [ "$HAVE_SQLITE3" != 1 ]; then
			why="skip: the sqlite3 shell is not installed"
		elif [ "$dbkind" = newer ]; then
			cp "$W/pristine.db" "$db"
			sqlite3 "$db" 'PRAGMA user_version=99' >/dev/null
		else
			sqlite3 "$db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1);' >/dev/null
		fi ;;
	ro)
		if ro_mount; then db=$W/ro/store.db; ro=$W/ro
		else why="skip: no read-only bind mount (needs root and mount)"; fi ;;
	*) why="unknown store setup db=$dbkind" ;;
	esac

	if [[ $why == skip:* ]]; then
		skip=$((skip + 1))
		skipped+=("$name (${why#skip: })")
		echo "SKIP: $name: ${why#skip: }"
		return
	elif [ -n "$why" ]; then
		fail=$((fail + 1))
		echo "FAIL: $name: $why" >&2
		return
	fi

	cmd=${cmd//@BAD@/$BAD}
	cmd=${cmd//@T@/$T}
	cmd=${cmd//@DB@/$db}
	cmd=${cmd//@OUT@/$out}
	cmd=${cmd//@TPL@/$tpl}
	cmd=${cmd//@GEN@/$genf}
	cmd=${cmd//@RO@/$ro}
	cmd=${cmd//@FULL@/$full}

	before_db=$(store_state "$db")
	before_out=$(dir_state "$out")
	before_ro=$(dir_state "$ro")
	before_full=$(dir_state "$full")

	(cd "$T" && eval "$cmd") >"$T/.stdout" 2>"$T/.stderr" </dev/null
	rc=$?
	# a read-only open may leave an empty -wal and a -shm: not a change
	local reasons=()
	if [ "$rc" -ge 128 ]; then
		reasons+=("exit $rc (killed by signal $((rc - 128))), expected $want")
	elif [ "$rc" -ne "$want" ]; then
		reasons+=("exit $rc, expected $want")
	fi
	if [[ ",$flags," == *,accept,* ]]; then
		if [ -s "$T/.stderr" ]; then
			reasons+=("stderr not empty")
		fi
		if ! grep -Eq -- "$re" <<<"$(head -n 1 "$T/.stdout")"; then
			reasons+=("stdout does not match /$re/")
		fi
	else
		local r
		if ! r=$(check_lines "$flags" "$re" "$T/.stderr"); then
			reasons+=("$r")
		fi
		[ "$(store_state "$db")" = "$before_db" ] ||
			reasons+=("the store changed ($(store_state "$db" | tr '\n' ' ')instead of $(echo "$before_db" | tr '\n' ' '))")
		[ "$(dir_state "$out")" = "$before_out" ] ||
			reasons+=("the output folder changed: $(diff <(echo "$before_out") <(dir_state "$out") | grep '^[<>]' | tr '\n' ' ')")
		[ "$(dir_state "$ro")" = "$before_ro" ] ||
			reasons+=("the read-only folder changed")
		[ "$(dir_state "$full")" = "$before_full" ] ||
			reasons+=("the full folder changed: $(diff <(echo "$before_full") <(dir_state "$full") | grep '^[<>]' | tr '\n' ' ')")
	fi
	if [ -n "$full" ]; then
		umount "$full" 2>/dev/null
		unset 'MOUNTS[${#MOUNTS[@]}-1]'
	fi

	if [ ${#reasons[@]} -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok: $name"
	else
		fail=$((fail + 1))
		{
			echo "FAIL: $name: $(IFS=';'; echo "${reasons[*]}")"
			echo "    command: $cmd"
			sed 's/^/    stderr: /' "$T/.stderr" | cut -c1-300 | head -n 6
		} >&2
	fi
	[ "${TALOT_KEEP:-0}" = 1 ] || rm -rf "$T"
}

# ---- the catalogue ------------------------------------------------------------

ncases=0
while IFS=$'\t' read -r name setup flags want re cmd; do
	case $name in '#'*|'') continue ;; esac
	if [ -n "${TALOT_BAD_ONLY:-}" ] && ! [[ $name =~ $TALOT_BAD_ONLY ]]; then
		continue
	fi
	ncases=$((ncases + 1))
	if [ -z "${cmd:-}" ]; then
		fail=$((fail + 1))
		echo "FAIL: $name: malformed line in cases.tsv (6 tab-separated columns)" >&2
		continue
	fi
	run_case "$name" "$setup" "$flags" "$want" "$re" "$cmd"
done <"$BAD/cases.tsv"

if [ "$ncases" -eq 0 ]; then
	echo "FAIL: no case in $BAD/cases.tsv" >&2
	fail=$((fail + 1))
fi
if [ "$skip" -gt 0 ]; then
	echo "$skip skipped:"
	printf '  %s\n' "${skipped[@]}"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
