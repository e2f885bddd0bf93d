#!/bin/sh
# check-compare.sh - src/joblib-compare.py writes rows parlab reads, refuses bad input,
# and leaves no worker and no row behind when interrupted; make compare's script
# stops with one line without a runs.csv.
#
#   PARLAB_BIN=$PWD/bin sh tests/check-compare.sh
#
# With tiny sizes (jobs of microseconds, a few runs): about 20 s, most of it joblib's
# and numba's start (numba's cache is kept in $TMPDIR/parlab-numba-UID between runs).
# Skips itself, saying why, where Debian's Python (/usr/bin/python3, or
# $PARLAB_PYTHON) lacks joblib or numba (make check-compare and make test install
# them), and under the sanitizers and valgrind (the programs run as built here).
# Prints one line per failure and a last line with the counts; exits 1 if any failed.
set -u

if [ -n "${PARLAB_SANITIZED:-}${PARLAB_UNDER_VALGRIND:-}" ]; then
    echo "check-compare: skipped under the sanitizers and valgrind (the plain make check runs it)"
    exit 0
fi
python=${PARLAB_PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import joblib, numba' >/dev/null 2>&1; then
    echo "check-compare: skipped: $python lacks joblib or numba (python3-joblib, python3-numba: make check-compare installs them)"
    exit 0
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${PARLAB_BIN:-$here/bin}" && pwd) || exit 1
script=$here/src/joblib-compare.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlab-check-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0 cases=0
fail() {
    echo "check-compare: $*"
    failed=$((failed + 1))
}

# Bad input: exit 2, one line on stderr, nothing on stdout, nothing written.
mkdir "$tmp/empty"
for args in "-j 0" "-j 12abc" "-n -5" "-n 99999999999999999999" "-w" "--bogus" "--cases notebook,bogus" \
    "--cases sweep,sweep" "--backends dask" "--sweep 10" "--sweep 10:0" "--test-time 0" "--outer-reps 1" \
    "-d $tmp/nonexistent -n 10" "-r ''" "--cases notebook"; do
    cases=$((cases + 1))
    # shellcheck disable=SC2086 # the options are meant to split into words
    eval "\"\$python\" \"\$script\" -d \"\$tmp/empty\" $args" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ "$status" != 2 ] || [ "$(grep -c . "$tmp/err")" != 1 ] || [ -s "$tmp/out" ] ||
        [ -n "$(ls -A "$tmp/empty")" ]; then
        fail "joblib-compare.py $args: wanted exit 2 and one line, nothing written; exit $status: $(cat "$tmp/err" "$tmp/out")"
    fi
done
cases=$((cases + 1))
if ! "$python" "$script" --help >"$tmp/out" 2>&1 || ! grep -q '^usage: joblib-compare.py' "$tmp/out"; then
    fail "--help: $(head -3 "$tmp/out")"
fi
cases=$((cases + 1))
[ "$("$python" "$script" --version 2>&1)" = "joblib-compare 0.1.0" ] || fail "--version: $("$python" "$script" --version 2>&1)"

# make compare's script without a runs.csv: one line naming make run-all, exit 1.
cases=$((cases + 1))
PARLAB_BIN=$bin sh "$here/src/compare.sh" "$tmp/empty" >"$tmp/out" 2>&1
status=$?
if [ "$status" != 1 ] || [ "$(grep -c . "$tmp/out")" != 1 ] || ! grep -q 'make run-all' "$tmp/out"; then
    fail "compare.sh without runs.csv: exit $status: $(cat "$tmp/out")"
fi

# A runs.csv of other columns (an older parlab's): refused at once, one line, untouched.
cases=$((cases + 1))
mkdir "$tmp/old"
cp "$here/tests/fixtures/quiet/runs.csv" "$tmp/old/runs.csv"
"$python" "$script" -d "$tmp/old" -n 10 -j 2 -r 1 --cases notebook >"$tmp/out" 2>&1
status=$?
if [ "$status" != 1 ] || [ "$(grep -c . "$tmp/out")" != 1 ] ||
    ! cmp -s "$here/tests/fixtures/quiet/runs.csv" "$tmp/old/runs.csv" || [ -e "$tmp/old/jobs.csv" ]; then
    fail "a runs.csv of other columns: exit $status: $(cat "$tmp/out")"
fi

# A tiny run beside parlab's rows (tests/fixtures/joblib's parlab rows): every column
# of every file, every job ok, and parlab-summary and parlab-report read them.
d=$tmp/results
mkdir "$d"
# (the fixture's rows are from before runs.csv's kernel and isa columns: given them)
head -88 "$here/tests/fixtures/joblib/runs.csv" |
    awk 'NR == 1 { print $0 ",kernel,isa"; next } { print $0 ",scalar," }' >"$d/runs.csv"
cases=$((cases + 1))
if ! "$python" "$script" -d "$d" -n 30 -j 6 -w 2 -r 2 --sweep 12:8,20:8 --sweep-reps 1 \
    --test-time 5 --outer-reps 3 --label tester >"$tmp/out" 2>"$tmp/err"; then
    fail "a tiny run failed: $(cat "$tmp/err")"
else
    head -1 "$tmp/out" | grep -q '^joblib-compare: joblib ' || fail "the configuration is not first: $(head -1 "$tmp/out")"
    grep -q 'every job.s result matched the closed form' "$tmp/out" || fail "no verdict: $(cat "$tmp/out")"
    [ -s "$tmp/err" ] && fail "a tiny run said on stderr: $(cat "$tmp/err")"
    # columns: every row as many fields as the header (RFC 4180: "dynamic,1" is one)
    for f in runs jobs granularity overhead; do
        "$python" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
bad = [i + 1 for i, r in enumerate(rows) if len(r) != len(rows[0])]
sys.exit(f"{sys.argv[1]} line {bad[0]}: not {len(rows[0])} fields" if bad else 0)' "$d/$f.csv" 2>"$tmp/bad" ||
            fail "$(cat "$tmp/bad")"
    done
    got=$("$python" -c 'import csv, sys, collections
c = collections.Counter(r["program"] + "/" + r["lock"] + "/" + r["label"] + "/" + r["schedule"]
                        for r in csv.DictReader(open(sys.argv[1], newline="")) if r["program"].startswith("joblib-"))
print(";".join(f"{n} {k}" for k, n in sorted(c.items())))' "$d/runs.csv")
    want="2 joblib-loky/held/tester/dynamic,1;2 joblib-multiprocessing/held/tester/dynamic,1;2 joblib-serial/none/tester/;2 joblib-threading/held/tester/dynamic,1;2 joblib-threading/none/tester/dynamic,1"
    [ "$got" = "$want" ] || fail "runs.csv's joblib rows: $got, wanted $want"
    [ "$("$python" -c 'import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline="")) if r["ok"] == "1" and r["size"] == "30"))' "$d/jobs.csv")" = 60 ] ||
        fail "jobs.csv: not 60 jobs of n = 30 all ok: $(wc -l <"$d/jobs.csv") lines"
    [ "$(grep -c ',process,' "$d/granularity.csv")" = 4 ] ||
        fail "granularity.csv: not 2 sizes x (multiprocessing, loky): $(cat "$d/granularity.csv")"
    [ "$(awk -F, 'NR > 1 && $1 == "joblib-compare" && $3 == "queue" && $2 == $4' "$d/overhead.csv" | wc -l)" = 3 ] ||
        fail "overhead.csv: not one queue row per backend: $(cat "$d/overhead.csv")"
    "$bin/parlab-summary" --runs-csv "$d/runs.csv" >"$tmp/summary" 2>&1 || fail "parlab-summary: $(cat "$tmp/summary")"
    # joblib-threading's speedup divides by joblib-serial: a number, not "-"
    grep -q '^tester  *joblib-threading lock=none .* [0-9]\.[0-9][0-9]$' "$tmp/summary" ||
        fail "parlab-summary has no speedup of joblib-threading: $(cat "$tmp/summary")"
    "$bin/parlab-summary" --runs-csv "$d/granularity.csv" >"$tmp/summary" 2>&1 ||
        fail "parlab-summary on granularity.csv: $(cat "$tmp/summary")"
    "$bin/parlab-report" --runs-csv "$d/runs.csv" --workers 2 --markdown >"$tmp/report" 2>"$tmp/err" ||
        fail "parlab-report: $(cat "$tmp/err")"
fi

# Interrupted while loky's (then multiprocessing's) workers run: exit 130 (143), a
# line saying nothing was written, no worker left, no row written.
for sig in INT:loky:130 TERM:multiprocessing:143; do
    cases=$((cases + 1))
    name=${sig%%:*} rest=${sig#*:}
    backend=${rest%%:*} want=${rest#*:}
    mkdir "$tmp/$name"
    "$python" "$script" -d "$tmp/$name" --cases overhead --backends "$backend" --test-time 60000 \
        --outer-reps 2 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    kids="" tries=0
    # its workers (at least 2: one per PU, or 1 on one PU beside loky's helpers)
    while [ "$tries" -lt 300 ]; do
        kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null)
        [ "$(echo "$kids" | wc -w)" -ge 2 ] && break
        sleep 0.1
        tries=$((tries + 1))
    done
    sleep 1 # the doubling runs tasks on them
    kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null)
    kill -"$name" "$pid"
    wait "$pid"
    status=$?
    sleep 0.5
    left=""
    for k in $kids; do
        [ -d "/proc/$k" ] && [ "$(awk '{ print $3 }' "/proc/$k/stat" 2>/dev/null)" != Z ] && left="$left $k"
    done
    [ -n "$kids" ] || fail "SIG$name: no worker of $backend appeared"
    [ "$status" = "$want" ] || fail "SIG$name: exit $status, wanted $want: $(cat "$tmp/err")"
    grep -q "interrupted (SIG$name); workers stopped, nothing written" "$tmp/err" || fail "SIG$name: $(cat "$tmp/err")"
    # shellcheck disable=SC2086 # the pids are meant to split into words
    [ -z "$left" ] || { fail "SIG$name: workers$left of $backend still run"; kill $left 2>/dev/null; }
    [ -z "$(ls -A "$tmp/$name")" ] || fail "SIG$name: written: $(ls -A "$tmp/$name")"
done

if [ "$failed" != 0 ]; then
    echo "check-compare: $failed of $cases cases FAILED"
    exit 1
fi
echo "check-compare: joblib-compare.py passed all $cases cases"
