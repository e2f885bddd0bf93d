#!/bin/sh
# check.sh - what `make check-exercise E=NAME [FILE=path] [LABEL=you]` runs: the checker
# on exercise NAME, its rows appended to labs/results/exercises/ (or $RESULTS).
#
#   make check-exercise E=pi                 # labs/exercises/pi.c, as you left it
#   make check-exercise E=pi FILE=~/pi.c     # another file
#   make check-exercise E=pi ARGS='-p reduction -v'
#
# E, FILE, ARGS, LABEL (or PARLAB_LABEL) and RESULTS come in the environment.  Exit
# status: the checker's (0 done, 1 not done yet or wrong, 2 a bad command line).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PARLAB_BIN:-$here/bin}
name=${E:-}
if [ -z "$name" ]; then
    echo "make check-exercise: give the exercise, as E=NAME; the exercises:" >&2
    "$bin/parlab-exercise" --list >&2
    exit 2
fi
out=${RESULTS:-labs/results/exercises}
mkdir -p -- "$out" || exit 1
label=${LABEL:-${PARLAB_LABEL:-}}
set -- "$name"
[ -n "${FILE:-}" ] && set -- "$@" "$FILE"
[ -n "$label" ] && set -- "$@" --label "$label"
# shellcheck disable=SC2086
exec "$bin/parlab-exercise" ${ARGS:-} --runs-csv "$out/runs.csv" --jobs-csv "$out/jobs.csv" "$@"
