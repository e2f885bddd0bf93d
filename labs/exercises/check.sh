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
# Before anything is made: a name that is no exercise (or an option, E=--list) is a
# mistake, and no results directory is made for it.
if ! "$bin/parlab-exercise" --list | awk -v n="$name" '$1 == n { found = 1 } END { exit !found }'; then
    echo "make check-exercise: no exercise '$name'; the exercises:" >&2
    "$bin/parlab-exercise" --list >&2
    exit 2
fi
out=${RESULTS:-labs/results/exercises}
mkdir -p -- "$out" || exit 1
label=${LABEL:-${PARLAB_LABEL:-}}
file=${FILE:-}
case $file in '~/'*) file=$HOME/${file#'~/'} ;; esac # FILE=~/pi.c, from a shell that left it
set -- "$name"
[ -n "$file" ] && set -- "$@" "$file"
[ -n "$label" ] && set -- "$@" --label "$label"
set -f # ARGS split into words, never expanded as file names (--label 'a*')
# shellcheck disable=SC2086
exec "$bin/parlab-exercise" ${ARGS:-} --runs-csv "$out/runs.csv" --jobs-csv "$out/jobs.csv" "$@"
