#!/bin/sh
# tests/run-suites.sh JOBS SUITE... - runs the test suites JOBS at a time, each under
# $RUN_SUITE (valgrind's command line, or empty).  A suite's output is printed whole
# when it ends, so that the lines of two suites never interleave; the name of each
# suite that exits non-zero is appended to the file $PARLAB_FAILED.  The valgrind and
# sanitizer passes use it: each suite is one single-threaded process most of the
# time, so two at a time on two PUs take about half as long.
set -u
jobs=$1
shift
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 sh -c '
    out=$(mktemp "${TMPDIR:-/tmp}/parlab-suite-XXXXXX") || exit 1
    # shellcheck disable=SC2086 # RUN_SUITE is a command line
    ${RUN_SUITE:-} "$1" >"$out" 2>&1
    rc=$?
    cat "$out"
    rm -f "$out"
    [ "$rc" = 0 ] || echo "${1##*/}" >>"$PARLAB_FAILED"
    exit 0' sh
