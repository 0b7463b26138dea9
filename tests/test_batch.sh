#!/usr/bin/env bash
# test_batch.sh — the batch render end to end (SPEC §6): `talot render --month
# A --to B [--jobs N]` forks one worker per month.
#
#   1. a batch over the sample store writes 12 files, exit 0, a summary line;
#   2. an empty month in the range is named on one line, the other months are
#      written, exit 1, no file for the empty month;
#   3. --jobs 1, 2 and 6 (and a single-month render) give byte-identical
#      files under a fixed SOURCE_DATE_EPOCH;
#   4. SIGINT to the process group / SIGTERM to the parent during a batch:
#      no partial file, the previous files kept, no temporary file left, no
#      worker left, exit 130 (or the signal); a worker killed mid-batch is
#      named and the batch goes on; a SIGTERM that reaches the parent while
#      it is not blocked in wait() (made deterministic with strace's syscall
#      delay, when strace is there) is still passed to the running workers;
#   5. SIGKILL (and SIGINT, SIGTERM) of a single-month render mid-write: the
#      previous files intact, no partial file under the final name, leftover
#      temporary files removed by the next render of that month (and only
#      those of dead processes);
#   6. a progress line "[k/N] YYYY-MM" on a terminal (under script(1)), none
#      when stderr is redirected, and messages not glued to it;
#   7. renders of 2007-06 racing imports that replace 2007-06: every PDF shows
#      the total before or the total after (合計N件), and is byte-identical to
#      the PDF of one of the two states: one read snapshot per render.
#
# Environment: TALOT_BIN (the binary), TALOT_SRCDIR (the repository root).
# Needs pdfinfo, pdftotext (poppler-utils), unzip, setsid and script
# (util-linux), optionally strace; the checks that need a missing tool are
# skipped.  About 30-40 s on 2 cores.  Uses
# bench/gen_large from the build tree next to TALOT_BIN when it exists.
# Prints "N passed, N failed" and exits non-zero if anything failed.
set -u

BIN=${TALOT_BIN:?TALOT_BIN must name the talot binary}
SRC=${TALOT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
export TALOT_SRCDIR=$SRC
NEW_EPOCH=1183248000   # 2007-07-01
OLD_EPOCH=1180000000   # 2007-05-24: "the previous files" differ from new ones
export SOURCE_DATE_EPOCH=$NEW_EPOCH
export LC_ALL=C

T=$(mktemp -d "${TMPDIR:-/tmp}/talot-test-batch-XXXXXX")
BG=()   # process ids (and group ids, as -PGID) started in the background
cleanup() {
	local p
	for p in "${BG[@]+"${BG[@]}"}"; do
		kill -KILL -- "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# a private copy: a rebuild during the run must not change the binary under
# the test, nor an edit of the templates (the fonts stay in the source tree)
GEN=$(dirname "$BIN")/../bench/gen_large
cp "$BIN" "$T/talot" && BIN=$T/talot
cp -R "$SRC/templates" "$T/templates" && export TALOT_TEMPLATE_DIR=$T/templates

pass=0
fail=0
ERR=$T/stderr

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*" >&2
}
# bad_err FILE DESC: a failure, with the first lines of FILE (a stderr)
bad_err() {
	local f=$1
	shift
	bad "$@"
	if [ -s "$f" ]; then
		grep -av 'is not in the port catalogue' "$f" | head -n 6 |
		    sed 's/^/    stderr: /' >&2
	fi
}
note() { echo "note: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

HAVE_PDF=1; have pdfinfo && have pdftotext || HAVE_PDF=0
HAVE_UNZIP=1; have unzip || HAVE_UNZIP=0
[ $HAVE_PDF = 1 ] || note "pdfinfo/pdftotext missing: PDF checks skipped"
[ $HAVE_UNZIP = 1 ] || note "unzip missing: XLSX checks skipped"

# launcher for a background talot in its own process group and session, with
# SIGINT at its default (a non-interactive shell starts background commands
# with SIGINT ignored); the pid of the launched command is talot's own pid.
LAUNCH=()
if have setsid; then
	LAUNCH=(setsid)
	if env --default-signal=INT true 2>/dev/null; then
		LAUNCH+=(env --default-signal=INT,QUIT)
	fi
fi

# months A B: the YYYY-MM months from A to B
months() {
	local y=${1%-*} m=${1#*-} ey=${2%-*} em=${2#*-}
	y=$((10#$y)); m=$((10#$m)); ey=$((10#$ey)); em=$((10#$em))
	while [ $((y * 12 + m)) -le $((ey * 12 + em)) ]; do
		printf '%04d-%02d\n' "$y" "$m"
		m=$((m + 1))
		if [ $m -gt 12 ]; then m=1; y=$((y + 1)); fi
	done
}
# expected_files A B [FORMATS]: the sorted names a batch A..B writes
expected_files() {
	local mon f
	for mon in $(months "$1" "$2"); do
		for f in ${3:-pdf xlsx}; do echo "talot-$mon.$f"; done
	done | LC_ALL=C sort
}
# listing DIR: every name in DIR (hidden ones too), sorted
listing() { (cd "$1" && LC_ALL=C ls -A) ; }
# tmpfiles DIR: the talot temporary files in DIR
tmpfiles() { find "$1" -maxdepth 1 -name '.talot-*' -printf '%f\n' | LC_ALL=C sort; }

# no_tmp DIR DESC
no_tmp() {
	local left
	left=$(tmpfiles "$1")
	if [ -z "$left" ]; then ok; else bad "$2: temporary files left: $(echo $left)"; fi
}
# valid FILE: a complete PDF (pdfinfo) or XLSX (unzip -t)
valid() {
	case $1 in
	*.pdf) [ $HAVE_PDF = 0 ] || pdfinfo "$1" >/dev/null 2>&1 ;;
	*.xlsx) [ $HAVE_UNZIP = 0 ] || unzip -tq "$1" >/dev/null 2>&1 ;;
	*) return 1 ;;
	esac
}
# all_valid DIR DESC: every talot-* file of DIR opens
all_valid() {
	local f n=0 badf=""
	for f in "$1"/talot-*; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		valid "$f" || badf="$badf $(basename "$f")"
	done
	if [ -z "$badf" ]; then ok; else bad "$2: damaged files:$badf"; fi
}
# same_dirs A B DESC: the same names, every file byte-identical
same_dirs() {
	local f diffs=""
	if [ "$(listing "$1")" != "$(listing "$2")" ]; then
		bad "$3: different file lists: [$(listing "$1" | tr '\n' ' ')] vs [$(listing "$2" | tr '\n' ' ')]"
		return
	fi
	for f in $(listing "$1"); do
		cmp -s "$1/$f" "$2/$f" || diffs="$diffs $f"
	done
	if [ -z "$diffs" ]; then ok; else bad "$3: files differ:$diffs"; fi
}
# pdf_total FILE: the 合計N件 number of section 1, digits only
pdf_total() {
	pdftotext -enc UTF-8 -raw "$1" - 2>/dev/null | tr -d '\n' |
	    grep -o '合計[0-9,]*件' | head -n 1 | tr -cd '0-9'
}
# render ARGS...: talot render ARGS, stderr in $ERR, status in $rc
render() {
	"$BIN" render "$@" >/dev/null 2>"$ERR"
	rc=$?
}

# ---- the stores and the reference files ----
DEMO=$T/demo.db
if ! "$BIN" demo --db "$DEMO" --csv "$T/demo.csv" >/dev/null 2>"$ERR"; then
	bad_err "$ERR" "talot demo failed: nothing else can be tested"
	echo "$pass passed, $fail failed"
	exit 1
fi
mkdir "$T/old"   # the same months rendered with an older date
SOURCE_DATE_EPOCH=$OLD_EPOCH render --db "$DEMO" --month 2007-01 --to 2007-06 \
    --out "$T/old" --jobs 2
[ $rc -eq 0 ] || bad_err "$ERR" "setup: rendering the previous files: exit $rc"

# ==== 1. a batch over the sample store ====
B1=$T/b1
mkdir "$B1"
render --db "$DEMO" --month 2007-01 --to 2007-06 --out "$B1" --jobs 2
cp "$ERR" "$T/b1.err"
if [ $rc -eq 0 ]; then ok; else bad_err "$ERR" "batch 2007-01..06: exit $rc, expected 0"; fi
if [ "$(listing "$B1")" = "$(expected_files 2007-01 2007-06)" ]; then ok; else
	bad "batch 2007-01..06: wrote [$(listing "$B1" | tr '\n' ' ')], expected the 12 talot-2007-0[1-6].{pdf,xlsx}"
fi
if [ "$(tail -n 1 "$ERR")" = "talot render: 6 months written, 0 failed" ]; then ok; else
	bad_err "$ERR" "batch 2007-01..06: last line of stderr is '$(tail -n 1 "$ERR")'"
fi
n=$(grep -c 'months\? written' "$ERR")
if [ "$n" -eq 1 ]; then ok; else bad "batch 2007-01..06: $n summary lines"; fi
no_tmp "$B1" "batch 2007-01..06"
all_valid "$B1" "batch 2007-01..06"
# the previous files really are different (else tests 4-5 prove less)
for f in $(listing "$B1"); do
	cmp -s "$B1/$f" "$T/old/$f" && note "$f does not depend on SOURCE_DATE_EPOCH"
done
# --format pdf alone
mkdir "$T/b1p"
render --db "$DEMO" --month 2007-05 --to 2007-06 --out "$T/b1p" --format pdf --jobs 2
if [ $rc -eq 0 ] && [ "$(listing "$T/b1p")" = "$(expected_files 2007-05 2007-06 pdf)" ] &&
    cmp -s "$T/b1p/talot-2007-06.pdf" "$B1/talot-2007-06.pdf"; then ok; else
	bad_err "$ERR" "batch --format pdf: exit $rc, wrote [$(listing "$T/b1p" | tr '\n' ' ')]"
fi

# ==== 2. an empty month in the range ====
# empty_range A B EMPTY... : the batch A..B writes every month but the empty
# ones, names each empty month on exactly one line, exits 1
empty_range() {
	local a=$1 b=$2 d=$T/empty-$1-$2 mon want nfail nok line
	shift 2
	mkdir "$d"
	render --db "$DEMO" --month "$a" --to "$b" --out "$d" --jobs 2
	if [ $rc -eq 1 ]; then ok; else bad_err "$ERR" "batch $a..$b with empty months: exit $rc, expected 1"; fi
	want=$(for mon in $(months "$a" "$b"); do
		case " $* " in *" $mon "*) ;; *) expected_files "$mon" "$mon" ;; esac
	done | LC_ALL=C sort)
	if [ "$(listing "$d")" = "$want" ]; then ok; else
		bad "batch $a..$b: wrote [$(listing "$d" | tr '\n' ' ')], expected [$(echo $want)]"
	fi
	for mon in "$@"; do
		n=$(grep -c -- "$mon" "$ERR")
		line=$(grep -- "$mon" "$ERR" | head -n 1)
		if [ "$n" -eq 1 ] && [[ $line == "talot render: $mon: "* ]]; then ok; else
			bad_err "$ERR" "batch $a..$b: the empty month $mon is named on $n lines (expected one 'talot render: $mon: ...')"
		fi
	done
	nfail=$#
	nok=$(( $(months "$a" "$b" | wc -l) - nfail ))
	line="talot render: $nok month$([ $nok -eq 1 ] || echo s) written, $nfail failed"
	if [ "$(tail -n 1 "$ERR")" = "$line" ]; then ok; else
		bad_err "$ERR" "batch $a..$b: last line '$(tail -n 1 "$ERR")', expected '$line'"
	fi
	for mon in $(months "$a" "$b"); do
		for f in pdf xlsx; do
			[ -e "$d/talot-$mon.$f" ] || continue
			if cmp -s "$d/talot-$mon.$f" "$B1/talot-$mon.$f"; then ok; else
				bad "batch $a..$b: talot-$mon.$f differs from the full batch's"
			fi
		done
	done
	no_tmp "$d" "batch $a..$b"
}
empty_range 2006-12 2007-02 2006-12
empty_range 2007-05 2007-08 2007-07 2007-08
empty_range 2008-01 2008-02 2008-01 2008-02

# ==== 3. --jobs does not change a byte ====
for j in 1 6; do
	mkdir "$T/j$j"
	render --db "$DEMO" --month 2007-01 --to 2007-06 --out "$T/j$j" --jobs "$j"
	if [ $rc -eq 0 ]; then ok; else bad_err "$ERR" "batch --jobs $j: exit $rc"; fi
	same_dirs "$T/j$j" "$B1" "--jobs $j vs --jobs 2"
done
mkdir "$T/single"
for mon in 2007-01 2007-06; do
	render --db "$DEMO" --month "$mon" --out "$T/single"
	[ $rc -eq 0 ] || bad_err "$ERR" "render $mon alone: exit $rc"
done
for f in talot-2007-01.pdf talot-2007-01.xlsx talot-2007-06.pdf talot-2007-06.xlsx; do
	if cmp -s "$T/single/$f" "$B1/$f"; then ok; else bad "$f: a single-month render differs from the batch's"; fi
done

# ==== 4. SIGINT to the group, SIGTERM to the parent, during a batch ====
# interrupt MODE WHEN JOBS PREV: MODE group-INT (SIGINT to the process group,
# as a terminal's ^C) or parent-TERM (SIGTERM to the batch process only); WHEN
# a delay in seconds after the start, or FILE: as soon as the temporary file
# of FILE (e.g. talot-2007-03.pdf) exists, so that a worker is mid-write
# whatever the speed of the machine; PREV 1 when the folder holds the
# previous files
interrupted_runs=0
interrupt() {
	local mode=$1 when=$2 jobs=$3 prev=$4 d pid pg rc f i t0 t1 left desc
	d=$T/int-$mode-$when-$jobs
	mkdir "$d"
	[ "$prev" = 1 ] && cp -p "$T/old"/talot-* "$d/"
	"${LAUNCH[@]}" "$BIN" render --db "$DEMO" --month 2007-01 --to 2007-06 \
	    --out "$d" --jobs "$jobs" >/dev/null 2>"$d.err" &
	pid=$!
	BG+=("-$pid" "$pid")
	case $when in
	talot-*)
		for ((i = 0; i < 2000; i++)); do
			compgen -G "$d/.$when.*.tmp-*" >/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.005
		done
		;;
	*) sleep "$when" ;;
	esac
	pg=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')
	if [ -n "$pg" ] && [ "$pg" != "$pid" ]; then
		bad "$mode at $when: talot is not its own process group ($pg)"
	fi
	t0=$(date +%s%N)
	case $mode in
	group-INT) kill -INT -- "-$pid" 2>/dev/null ;;
	parent-TERM) kill -TERM "$pid" 2>/dev/null ;;
	esac
	wait "$pid" 2>/dev/null
	rc=$?
	t1=$(date +%s%N)
	desc="$mode at $when (--jobs $jobs$([ "$prev" = 1 ] && echo ', previous files present'))"
	if [ $rc -eq 0 ]; then
		note "$desc: the batch ended before the signal"
	elif [ $rc -eq 130 ] || { [ $mode = parent-TERM ] && [ $rc -eq 143 ]; }; then
		ok
		interrupted_runs=$((interrupted_runs + 1))
	else
		bad_err "$d.err" "$desc: exit $rc, expected 130"
	fi
	if [ $(( (t1 - t0) / 1000000 )) -le 5000 ]; then ok; else
		bad "$desc: took $(( (t1 - t0) / 1000000 )) ms to stop after the signal"
	fi
	sleep 0.05
	if kill -0 -- "-$pid" 2>/dev/null; then
		bad "$desc: processes of the batch still run after it exited: $(ps -o pid=,args= -g "$pid" | tr '\n' ';')"
		kill -KILL -- "-$pid" 2>/dev/null
	else
		ok
	fi
	no_tmp "$d" "$desc"
	all_valid "$d" "$desc"
	for f in $(listing "$d"); do
		case $f in
		talot-*) ;;
		*) continue ;;
		esac
		if cmp -s "$d/$f" "$B1/$f" || { [ "$prev" = 1 ] && cmp -s "$d/$f" "$T/old/$f"; }; then ok; else
			bad "$desc: $f is neither the previous file nor a complete new one"
		fi
	done
	if [ "$prev" = 1 ]; then
		left=$(expected_files 2007-01 2007-06 | while read -r f; do [ -e "$d/$f" ] || echo "$f"; done)
		if [ -z "$left" ]; then ok; else bad "$desc: previous files destroyed: $(echo $left)"; fi
	elif [ $rc -ne 0 ] && [ "$(listing "$d" | wc -l)" -ge 12 ]; then
		note "$desc: every month was written all the same"
	fi
	if [ $rc -ne 0 ] && [ "$(grep -cv 'is not in the port catalogue\|worker killed by signal' "$d.err")" -gt 1 ]; then
		bad_err "$d.err" "$desc: more than one line besides the warnings on stderr"
	fi
}
if [ ${#LAUNCH[@]} -eq 0 ]; then
	note "setsid missing: test 4 skipped"
else
	interrupt group-INT 0.05 2 1
	interrupt group-INT 0.3 2 0
	interrupt group-INT talot-2007-01.pdf 2 1
	interrupt group-INT talot-2007-03.xlsx 2 0
	interrupt group-INT talot-2007-05.pdf 1 1
	interrupt parent-TERM 0.05 2 0
	interrupt parent-TERM 0.3 2 1
	interrupt parent-TERM talot-2007-02.pdf 2 1
	interrupt parent-TERM talot-2007-04.xlsx 2 0
	interrupt parent-TERM talot-2007-06.pdf 1 1
	if [ $interrupted_runs -ge 6 ]; then ok; else
		bad "test 4: only $interrupted_runs of 10 batches were interrupted"
	fi
fi

# a worker killed (SIGKILL, the OOM killer) mid-write: the batch goes on,
# names the month, exits 1; the month keeps its previous files
d=$T/workerkill
mkdir "$d"
cp -p "$T/old"/talot-* "$d/"
"$BIN" render --db "$DEMO" --month 2007-01 --to 2007-06 --out "$d" --jobs 1 \
    >/dev/null 2>"$d.err" &
pid=$!
BG+=("$pid")
f=
for ((i = 0; i < 2000; i++)); do
	f=$(compgen -G "$d/.talot-2007-03.pdf.*.tmp-*") && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.005
done
w=${f##*/.talot-2007-03.pdf.}
w=${w%%.*}
if [ -n "$f" ] && [ -n "$w" ]; then
	kill -KILL "$w" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	desc="batch with the worker of 2007-03 killed"
	if [ $rc -eq 1 ]; then ok; else bad_err "$d.err" "$desc: exit $rc, expected 1"; fi
	n=$(grep -c 2007-03 "$d.err")
	line=$(grep 2007-03 "$d.err" | head -n 1)
	if [ "$n" -eq 1 ] && [[ $line == "talot render: 2007-03: "* ]]; then ok; else
		bad_err "$d.err" "$desc: 2007-03 named on $n lines"
	fi
	if [ "$(tail -n 1 "$d.err")" = "talot render: 5 months written, 1 failed" ]; then ok; else
		bad_err "$d.err" "$desc: last line '$(tail -n 1 "$d.err")'"
	fi
	for f in $(expected_files 2007-01 2007-06); do
		case $f in
		talot-2007-03.*) ref=$T/old/$f ;;
		*) ref=$B1/$f ;;
		esac
		if cmp -s "$d/$f" "$ref"; then ok; else bad "$desc: $f is not the $([ "$ref" = "$B1/$f" ] && echo new || echo previous) file"; fi
	done
	left=$(tmpfiles "$d" | grep -v "^\.talot-2007-03\.pdf\.$w\.tmp-")
	if [ -z "$left" ]; then ok; else bad "$desc: temporary files left: $(echo $left)"; fi
	[ -n "$(tmpfiles "$d")" ] && note "$desc: its temporary file stays until the next render of 2007-03"
	render --db "$DEMO" --month 2007-03 --out "$d"
	no_tmp "$d" "$desc, then render 2007-03 again"
else
	bad "batch with a worker killed: never saw the temporary file of 2007-03"
	wait "$pid" 2>/dev/null
fi

# a worker killed while another render of the same month runs (issue 15,
# item 16): the batch's cleanup removes only the dead worker's temporary
# files, never the concurrent render's file in progress
d=$T/concurrent
mkdir "$d"
"$BIN" render --db "$DEMO" --month 2007-03 --out "$d" --format pdf \
    >/dev/null 2>"$d.single.err" &
sp=$!
BG+=("$sp")
f=
for ((i = 0; i < 2000; i++)); do
	f=$(compgen -G "$d/.talot-2007-03.pdf.$sp.tmp-*") && break
	kill -0 "$sp" 2>/dev/null || break
	sleep 0.005
done
if [ -n "$f" ]; then
	kill -STOP "$sp"
	"$BIN" render --db "$DEMO" --month 2007-02 --to 2007-04 --out "$d" \
	    --format pdf --jobs 1 >/dev/null 2>"$d.err" &
	pid=$!
	BG+=("$pid")
	wf=
	for ((i = 0; i < 2000; i++)); do
		wf=$(compgen -G "$d/.talot-2007-03.pdf.*.tmp-*" | grep -v "\.$sp\.tmp-") && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.005
	done
	w=${wf##*/.talot-2007-03.pdf.}
	w=${w%%.*}
	if [ -n "$wf" ] && [ -n "$w" ]; then
		kill -KILL "$w" 2>/dev/null
		wait "$pid" 2>/dev/null
		if [ -e "$f" ]; then ok; else bad "a killed worker's cleanup removed a concurrent render's temporary file"; fi
		kill -CONT "$sp"
		wait "$sp"
		rc=$?
		if [ $rc -eq 0 ]; then ok; else bad_err "$d.single.err" "the concurrent render of 2007-03 failed (exit $rc)"; fi
		if pdfinfo "$d/talot-2007-03.pdf" >/dev/null 2>&1; then ok; else bad "the concurrent render's PDF is not a PDF"; fi
		no_tmp "$d" "a worker killed during a concurrent render"
	else
		bad "concurrent render: never saw the batch's temporary file of 2007-03"
		kill -CONT "$sp"
		wait "$pid" "$sp" 2>/dev/null
	fi
else
	bad "concurrent render: never saw its temporary file"
	wait "$sp" 2>/dev/null
fi

# SIGTERM to the batch process while it is not blocked in wait() (here: while
# fork() returns, delayed by strace) must still reach the running workers.
# The worker is stopped (SIGSTOP) meanwhile, so a forwarded SIGTERM shows as
# pending in /proc/PID/status; then it is let go (SIGCONT).
if have strace && strace -o /dev/null -e trace=clone \
    -e inject=clone:delay_exit=10000 true 2>/dev/null; then
	d=$T/termrace
	mkdir "$d"
	# (LeakSanitizer cannot run under ptrace: off for this run only)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o /dev/null -e trace=clone -e inject=clone:delay_exit=1500000 \
	    "$BIN" render --db "$DEMO" --month 2007-01 --to 2007-06 --out "$d" \
	    --jobs 1 >/dev/null 2>"$d.err" &
	sp=$!
	BG+=("$sp")
	f=
	for ((i = 0; i < 1000; i++)); do
		f=$(compgen -G "$d/.talot-2007-01.pdf.*.tmp-*") && break
		kill -0 "$sp" 2>/dev/null || break
		sleep 0.002
	done
	w=${f##*/.talot-2007-01.pdf.}
	w=${w%%.*}
	p=
	[ -n "$w" ] && p=$(ps -o ppid= -p "$w" 2>/dev/null | tr -d ' ')
	if [ -n "$f" ] && [ -n "$p" ]; then
		BG+=("$w" "$p")
		kill -STOP "$w"
		kill -TERM "$p"
		sleep 1.8   # the fork of the parent returns; the parent waits
		pend=$(awk '/^(SigPnd|ShdPnd):/ { print $2 }' "/proc/$w/status" 2>/dev/null | tr '\n' ' ')
		forwarded=0
		for m in $pend; do
			[ $(( 0x$m & 0x4000 )) -ne 0 ] && forwarded=1
		done
		kill -CONT "$w"
		wait "$sp" 2>/dev/null
		rc=$?
		desc="SIGTERM to the batch while fork() returns"
		if [ $forwarded = 1 ]; then ok; else
			bad "$desc: never passed to the running worker (its pending signals: $pend); the batch writes 2007-01 all the same"
		fi
		if [ $rc -eq 130 ] || [ $rc -eq 143 ]; then ok; else bad_err "$d.err" "$desc: exit $rc"; fi
		no_tmp "$d" "$desc"
		all_valid "$d" "$desc"
	else
		note "SIGTERM race: the worker of 2007-01 was not seen; skipped"
		wait "$sp" 2>/dev/null
	fi
else
	note "strace (with syscall injection) missing: the SIGTERM race check skipped"
fi

# ==== 5. a single-month render killed mid-write ====
# The large store (bench/gen_large) when it was built, else the sample store.
KDB=$DEMO
if [ -x "$GEN" ]; then
	if "$GEN" --sensors 10 --days 120 --cells 800 --out "$T/large.csv" 2>/dev/null &&
	    "$BIN" import --db "$T/large.db" "$T/large.csv" >/dev/null 2>"$ERR"; then
		KDB=$T/large.db
	else
		note "the large store could not be made; using the sample store"
	fi
	rm -f "$T/large.csv"
fi
KM=2007-02
mkdir "$T/k-new" "$T/k-old"
render --db "$KDB" --month $KM --out "$T/k-new"
[ $rc -eq 0 ] || bad_err "$ERR" "setup: render $KM: exit $rc"
SOURCE_DATE_EPOCH=$OLD_EPOCH render --db "$KDB" --month $KM --out "$T/k-old"
[ $rc -eq 0 ] || bad_err "$ERR" "setup: render $KM (old date): exit $rc"

leftovers=0
# killrun SIG WAITFOR DELAY: render KM over the previous files; WAITFOR pdf or
# xlsx waits for that temporary file to appear, "start" does not; then DELAY
# seconds, then the signal
killrun() {
	local sig=$1 waitfor=$2 delay=$3 d pid rc f i left desc
	d=$T/kill-$sig-$waitfor-$delay
	desc="kill -$sig $delay s after $waitfor"
	mkdir "$d"
	cp -p "$T/k-old"/talot-* "$d/"
	"${LAUNCH[@]}" "$BIN" render --db "$KDB" --month $KM --out "$d" >/dev/null 2>"$d.err" &
	pid=$!
	BG+=("$pid")
	if [ "$waitfor" != start ]; then
		for ((i = 0; i < 1000; i++)); do
			compgen -G "$d/.talot-$KM.$waitfor.*.tmp-*" >/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.005
		done
	fi
	sleep "$delay"
	kill "-$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	case $sig in KILL) want=137 ;; INT) want=130 ;; TERM) want=143 ;; esac
	if [ $rc -eq 0 ]; then
		note "$desc: the render ended before the signal"
	elif [ $rc -eq $want ] || [ $rc -eq 130 ]; then
		ok
	else
		bad_err "$d.err" "$desc: exit $rc, expected $want"
	fi
	for f in talot-$KM.pdf talot-$KM.xlsx; do
		if cmp -s "$d/$f" "$T/k-old/$f" || cmp -s "$d/$f" "$T/k-new/$f"; then ok; else
			bad "$desc: $f is neither the previous file nor the complete new one"
		fi
	done
	# only the final names and temporary files of the killed process
	left=$(listing "$d" | grep -v -x -e "talot-$KM.pdf" -e "talot-$KM.xlsx" \
	    -e "\.talot-$KM\.\(pdf\|xlsx\)\.$pid\.tmp-.*")
	if [ -z "$left" ]; then ok; else bad "$desc: unexpected files: $(echo $left)"; fi
	if [ $sig = KILL ]; then
		[ -n "$(tmpfiles "$d")" ] && leftovers=$((leftovers + 1))
	else
		no_tmp "$d" "$desc (the signal handler)"
	fi
	# the next render of that month in that folder cleans up
	render --db "$KDB" --month $KM --out "$d"
	if [ $rc -eq 0 ]; then ok; else bad_err "$ERR" "$desc, then render again: exit $rc"; fi
	no_tmp "$d" "$desc, then render again"
	same_dirs "$d" "$T/k-new" "$desc, then render again"
}
if [ ${#LAUNCH[@]} -eq 0 ]; then LAUNCH=(env); fi
for delay in 0 0.04 0.1; do killrun KILL pdf $delay; done
for delay in 0 0.03; do killrun KILL xlsx $delay; done
for delay in 0.05 0.15 0.25; do killrun KILL start $delay; done
killrun INT pdf 0.02
killrun TERM pdf 0.02
killrun TERM xlsx 0
if [ $leftovers -ge 1 ]; then ok; else
	bad "test 5: no SIGKILL ever left a temporary file: the render was never caught mid-write"
fi
# planted temporary files: one of a dead process (removed), one of a live
# process (this shell: kept, it may still be written)
d=$T/planted
mkdir "$d"
bash -c 'exit 0' &
dead=$!
wait "$dead"
: >"$d/.talot-$KM.pdf.$dead.tmp-AbC123"
: >"$d/.talot-$KM.xlsx.$dead.tmp-dEf456"
: >"$d/.talot-$KM.pdf.$$.tmp-LiVe00"
render --db "$KDB" --month $KM --out "$d"
[ $rc -eq 0 ] || bad_err "$ERR" "planted temporary files: render exit $rc"
if [ "$(tmpfiles "$d")" = ".talot-$KM.pdf.$$.tmp-LiVe00" ]; then ok; else
	bad "planted temporary files: left [$(tmpfiles "$d" | tr '\n' ' ')], expected only the live process's"
fi
# a batch cleans its months too
: >"$d/.talot-2007-03.pdf.$dead.tmp-GhI789"
render --db "$KDB" --month 2007-02 --to 2007-03 --out "$d" --format pdf --jobs 2
if [ "$(tmpfiles "$d")" = ".talot-$KM.pdf.$$.tmp-LiVe00" ]; then ok; else
	bad "planted temporary files, batch: left [$(tmpfiles "$d" | tr '\n' ' ')]"
fi

# ==== 6. the progress line ====
PROG='\[[0-9]+/[0-9]+\]'
if grep -aEq "$PROG" "$T/b1.err" || grep -aq $'\r' "$T/b1.err"; then
	bad "progress line written although stderr is not a terminal: $(grep -aE "$PROG" "$T/b1.err" | head -n 1)"
else
	ok
fi
if have script; then
	d=$T/tty
	mkdir "$d"
	cmd=$(printf '%q ' "$BIN" render --db "$DEMO" --month 2006-12 --to 2007-03 --out "$d" --jobs 1)
	script -qec "$cmd" /dev/null </dev/null >"$T/tty.out" 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then ok; else bad_err "$T/tty.out" "batch on a terminal: exit $rc, expected 1"; fi
	# one line per \r or \n; terminal escapes (erase line ...) dropped
	tr '\r' '\n' <"$T/tty.out" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' >"$T/tty.lines"
	for k in 1 2 3 4; do
		mon=$(months 2006-12 2007-03 | sed -n "${k}p")
		if grep -aEq "^\[$k/4\] $mon" "$T/tty.lines"; then ok; else
			bad_err "$T/tty.out" "batch on a terminal: no progress line '[$k/4] $mon'"
		fi
	done
	if grep -aq '^talot render: 3 months written, 1 failed' "$T/tty.lines"; then ok; else
		bad_err "$T/tty.out" "batch on a terminal: no summary line"
	fi
	# messages (warnings, the failed month) start a line of their own
	glued=$(grep -a 'talot render:' "$T/tty.lines" | grep -av '^talot render:' | head -n 2)
	if [ -z "$glued" ]; then ok; else
		bad "batch on a terminal: messages written after the progress line on the same line: $(echo "$glued" | cut -c1-100 | sed 's/^/[/;s/$/]/' | tr '\n' ' ')"
	fi
else
	note "script (util-linux) missing: the terminal half of test 6 skipped"
fi

# ==== 7. renders racing imports of the same month ====
if [ $HAVE_PDF = 1 ]; then
	C=$T/conc.db
	cp "$DEMO" "$C"
	[ -s "$DEMO-wal" ] && cp "$DEMO-wal" "$C-wal"
	# June of sensor s01 as it is (jun1) and with 3x the accesses, 2x the
	# sources (jun3): small imports, so that commits come often
	awk -F, 'NR == 1 || /^2007-06-[0-9]*,s01,/' "$T/demo.csv" >"$T/jun1.csv"
	awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
	    /^2007-06-[0-9]*,s01,/ { if ($3 != "*") { $6 *= 3; $7 *= 2 } print }' \
	    "$T/demo.csv" >"$T/jun3.csv"
	before=$(awk -F, '/^2007-06-/ && $3 != "*" { s += $6 } END { print s }' "$T/demo.csv")
	after=$(awk -F, '/^2007-06-/ && $3 != "*" { s += ($2 == "s01" ? 3 : 1) * $6 } END { print s }' "$T/demo.csv")
	d=$T/conc
	mkdir "$d"
	render --db "$C" --month 2007-06 --format pdf --out "$d"
	got=$(pdf_total "$d/talot-2007-06.pdf")
	if [ "$got" = "$before" ]; then ok; else bad "concurrency: the total before is '$got', expected $before"; fi
	cp "$d/talot-2007-06.pdf" "$T/before.pdf"
	"$BIN" import --db "$C" "$T/jun3.csv" >/dev/null 2>"$ERR" || bad_err "$ERR" "concurrency: import jun3"
	render --db "$C" --month 2007-06 --format pdf --out "$d"
	got=$(pdf_total "$d/talot-2007-06.pdf")
	if [ "$got" = "$after" ]; then ok; else bad "concurrency: the total after is '$got', expected $after"; fi
	cp "$d/talot-2007-06.pdf" "$T/after.pdf"
	# the importer: jun1, jun3, jun1 ... until told to stop (at most 1000)
	(
		i=0
		while [ ! -e "$T/stop" ] && [ $i -lt 1000 ]; do
			f=$T/jun1.csv
			[ $((i % 2)) -eq 1 ] && f=$T/jun3.csv
			"$BIN" import --db "$C" "$f" >/dev/null 2>>"$T/import.err" ||
			    echo "import $i: exit $?" >>"$T/import.err"
			i=$((i + 1))
			echo $i >"$T/imports"
		done
	) &
	imp=$!
	BG+=("$imp")
	sleep 0.05
	nb=0; na=0; nother=0
	for i in $(seq 1 30); do
		render --db "$C" --month 2007-06 --format pdf --out "$d"
		if [ $rc -ne 0 ]; then
			bad_err "$ERR" "concurrency: render $i during imports: exit $rc"
			continue
		fi
		got=$(pdf_total "$d/talot-2007-06.pdf")
		if [ "$got" = "$before" ]; then nb=$((nb + 1))
		elif [ "$got" = "$after" ]; then na=$((na + 1))
		else
			nother=$((nother + 1))
			bad "concurrency: render $i shows the total '$got', neither $before nor $after"
			cp "$d/talot-2007-06.pdf" "$T/mixed-$i.pdf"
		fi
		# the whole document, not only the total, is one of the two states
		if cmp -s "$d/talot-2007-06.pdf" "$T/before.pdf" ||
		    cmp -s "$d/talot-2007-06.pdf" "$T/after.pdf"; then ok; else
			bad "concurrency: render $i (total $got) is neither the PDF of before nor the PDF of after: figures read from two states"
			cp "$d/talot-2007-06.pdf" "$T/mixed-$i.pdf"
		fi
		no_tmp "$d" "concurrency: render $i"
	done
	: >"$T/stop"
	wait "$imp"
	nimp=$(cat "$T/imports" 2>/dev/null || echo 0)
	if [ $nother -eq 0 ]; then ok; fi
	if [ "$nimp" -ge 4 ]; then ok; else bad "concurrency: only $nimp imports ran during the renders"; fi
	if [ -s "$T/import.err" ] && grep -q 'exit' "$T/import.err"; then
		bad_err "$T/import.err" "concurrency: an import failed while renders ran"
	else
		ok
	fi
	note "concurrency: $nimp imports; totals seen: before $nb, after $na, other $nother"
else
	note "pdftotext missing: test 7 skipped"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
