#!/bin/sh
# check-exercises.sh - every exercise in labs/exercises: its skeleton (stripped of the
# solutions, as a lecturer hands it out) compiles warning-free and the checker says
# "not done yet" on it (exit 1, the last line); its solution passes (exit 0), with rows
# that parlab-summary reads and, where its trials have several jobs, the jobs' rows
# that parlab-report draws a timeline of; and each broken variant in tests/exercises/
# is caught as tests/exercises/cases.txt says, as often as it says (a race must be
# caught in 19 of 20 checker runs).
#
#   PARLAB_BIN=$PWD/bin sh tests/check-exercises.sh [NAME...]
#
# Runs in the plain pass only (it skips itself under the sanitizers and valgrind: the
# Check suite check_exercise runs the checker there).  Prints one line per failure and
# a last line with the counts; exits 1 if anything failed.
set -u

if [ -n "${PARLAB_SANITIZED:-}${PARLAB_UNDER_VALGRIND:-}" ]; then
    echo "check-exercises: skipped under the sanitizers and valgrind (the plain make check runs it)"
    exit 0
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${PARLAB_BIN:-$here/bin}" && pwd) || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlab-check-exercises.XXXXXX") || exit 1
# $tmp in pgrep's patterns (extended regular expressions), every character literal: a
# TMPDIR such as /home/c++/tmp would otherwise match nothing, or be no pattern at all
tmp_re=$(printf '%s\n' "$tmp" | sed 's/[][\.*^$+?(){}|]/\\&/g')
trap 'rm -rf "$tmp"' EXIT
checker="$bin/parlab-exercise"
failed=0 passed=0

fail() {
    echo "check-exercises: $*"
    failed=$((failed + 1))
}

# check EXPECTED_STATUS PATTERN LOG ARGS...: runs the checker, its output in LOG;
# returns 0 when its status and its last line are as expected.  PATTERN may hold
# alternatives separated by '|' (an outcome that depends on the machine), each a
# shell pattern, and EXPECTED_STATUS as many, in the same order (or one for all).
# The checker's trials run under $tmp (TMPDIR), so that what is left of them is
# found there, not in another check's directory.
check() {
    wants=$1 rest=$2 log=$3
    shift 3
    TMPDIR=$tmp "$checker" "$@" >"$log" 2>&1
    status=$?
    last=$(tail -n 1 "$log")
    while :; do
        alt=${rest%%|*} want=${wants%%|*}
        # shellcheck disable=SC2254 # alt is a pattern
        case $last in $alt) [ "$status" = "$want" ] && return 0 ;; esac
        [ "$alt" = "$rest" ] && return 1
        rest=${rest#*|}
        [ "$want" = "$wants" ] || wants=${wants#*|}
    done
}

# One line, the names a space apart: the broken copies' loop below looks for " NAME ".
names=${*:-$("$checker" --list | awk '{ printf "%s ", $1 }')}
for name in $names; do
    src="$here/labs/exercises/$name.c"
    # The skeleton a student gets: no solution left in it, and "not done yet".
    if ! "$checker" --strip "$src" >"$tmp/$name.c" 2>"$tmp/$name.strip"; then
        fail "$name: --strip failed: $(cat "$tmp/$name.strip")"
        continue
    fi
    if grep -q PARLAB_SOLUTION "$tmp/$name.c"; then
        fail "$name: the stripped skeleton still holds PARLAB_SOLUTION"
    elif check 1 "$name: not done yet: *" "$tmp/$name.skeleton" "$name" "$tmp/$name.c" -w 1,2 -r 1; then
        passed=$((passed + 1))
    else
        fail "$name: the stripped skeleton is not 'not done yet' (exit $status): $last"
        sed 's/^/    /' "$tmp/$name.skeleton" | tail -n 20
    fi
    # The file as it is in the tree is the skeleton too, without -DPARLAB_SOLUTION.
    if check 1 "$name: not done yet: *" "$tmp/$name.asis" "$name" -w 1,2 -r 1; then
        passed=$((passed + 1))
    else
        fail "$name: labs/exercises/$name.c as it is is not 'not done yet' (exit $status): $last"
    fi
    # The solution passes, with rows that parlab-summary reads (not in a student's
    # tree, which has none: make exercise-handout).  One run at W = 1 and 2 is
    # enough to pass or fail: the broken copies below are what runs past the PUs and
    # again and again.
    if ! grep -q PARLAB_SOLUTION "$src"; then
        echo "check-exercises: $name: no solution in this tree (a student's copy): its check skipped"
        continue
    fi
    rm -f "$tmp/runs.csv" "$tmp/jobs.csv"
    if check 0 "$name: done: *" "$tmp/$name.solution" --solution "$name" -r 1 -w 1,2 \
        --runs-csv "$tmp/runs.csv" --jobs-csv "$tmp/jobs.csv"; then
        passed=$((passed + 1))
    else
        fail "$name: the solution does not pass (exit $status): $last"
        sed 's/^/    /' "$tmp/$name.solution" | tail -n 30
        continue
    fi
    if "$bin/parlab-summary" --runs-csv "$tmp/runs.csv" >"$tmp/$name.summary" 2>&1 &&
        grep -q "^exercise-$name-" "$tmp/$name.summary"; then
        passed=$((passed + 1))
    else
        fail "$name: parlab-summary does not show the solution's rows: $(head -n 3 "$tmp/$name.summary")"
    fi
    # An exercise whose trials have several jobs reports them: jobs.csv holds their rows,
    # and parlab-report has a timeline to draw from them.
    if awk -F, 'NR > 1 && $4 > 1 { found = 1 } END { exit !found }' "$tmp/runs.csv"; then
        rm -rf "$tmp/figures"
        mkdir "$tmp/figures"
        if ! [ -s "$tmp/jobs.csv" ] || [ "$(wc -l <"$tmp/jobs.csv")" -le 1 ]; then
            fail "$name: the solution's runs have several jobs each, but jobs.csv holds none"
        elif "$bin/parlab-report" --runs-csv "$tmp/runs.csv" --jobs-csv "$tmp/jobs.csv" \
            --figure-data "$tmp/figures" >"$tmp/$name.report" 2>&1 &&
            grep -q '^timeline yes' "$tmp/figures/figures"; then
            passed=$((passed + 1))
        else
            fail "$name: parlab-report draws no timeline of the solution's jobs: $(
                cat "$tmp/$name.report" "$tmp/figures/figures" 2>/dev/null | head -n 3)"
        fi
    fi
done

[ -f "$here/tests/exercises/cases.txt" ] || {
    echo "check-exercises: $passed passed, $failed failed (no broken copies in this tree)"
    [ "$failed" = 0 ]
    exit
}
# The broken variants: NAME FILE TIMES NEED STATUS PATTERN [OPTIONS...] [# needs N PUs],
# one per line (~ in PATTERN for a space; | between alternatives, in STATUS and PATTERN
# alike).  A line that needs N PUs is skipped, with a line saying so, where this
# process may use fewer.
pus=$(nproc 2>/dev/null || echo 1)
while read -r name file times need want pattern options; do
    case $name in '#'* | '') continue ;; esac
    case " $names " in *" $name "*) ;; *) continue ;; esac
    case $options in
    *'# needs '*)
        want_pus=${options##*# needs }
        want_pus=${want_pus%% *}
        options=${options%%#*}
        if [ "$pus" -lt "$want_pus" ]; then
            echo "check-exercises: $file skipped: it needs $want_pus PUs, this process may use $pus"
            continue
        fi
        ;;
    esac
    pattern=$(echo "$pattern" | tr '~' ' ')
    caught=0 k=0
    while [ $k -lt "$times" ]; do
        k=$((k + 1))
        # shellcheck disable=SC2086
        if check "$want" "$pattern" "$tmp/variant.log" "$name" "$here/tests/exercises/$file" $options; then
            caught=$((caught + 1))
        else
            cp "$tmp/variant.log" "$tmp/variant.missed"
        fi
        # Stop early once NEED is reached, or once the rest cannot reach it.
        [ "$caught" -ge "$need" ] && break
        [ $((caught + times - k)) -lt "$need" ] && break
    done
    # Nothing of the trial left running (a hang, a child it forked).
    if pgrep -f "$tmp_re/parlab-exercise-[A-Za-z0-9]*/$name" >/dev/null 2>&1; then
        fail "$file: a process of its trials is still running"
        pkill -9 -f "$tmp_re/parlab-exercise-[A-Za-z0-9]*/$name"
    fi
    if [ "$caught" -ge "$need" ]; then
        passed=$((passed + 1))
    else
        fail "$file: caught in $caught of $times checker runs, $need needed; last missed:"
        sed 's/^/    /' "$tmp/variant.missed" | tail -n 20
    fi
done <"$here/tests/exercises/cases.txt"

echo "check-exercises: $passed passed, $failed failed"
[ "$failed" = 0 ]
