#!/bin/sh
# compare.sh - make compare: joblib measured beside parlab, into a results directory.
#
#   sh src/compare.sh [DIR]        # default $RESULTS, else results
#
# Runs src/joblib-compare.py (Debian's /usr/bin/python3, or $PARLAB_PYTHON) on DIR,
# whose runs.csv make run-all wrote: the notebook's cases with joblib's backends into
# runs.csv and jobs.csv, the granularity sweep into granularity.csv, joblib's per-task
# cost into overhead.csv (docs/compare.md).  Then redraws DIR's figures
# (plots/draw.sh) and its REPORT.md (parlab-report, as run-all writes it), the report
# replaced whole or not at all.  Extra options for the script in $COMPARE_OPTIONS
# (-r 5, --test-time 200, ...).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${PARLAB_BIN:-$here/../bin}
python=${PARLAB_PYTHON:-/usr/bin/python3}
dir=${1:-${RESULTS:-results}}
workers=${WORKERS:-3}

[ -r "$dir/runs.csv" ] || {
    echo "compare: no '$dir/runs.csv': run make run-all first (joblib's runs go beside parlab's)" >&2
    exit 1
}
start=$(date +%s)
# shellcheck disable=SC2086 # the extra options are meant to split into words
"$python" "$here/joblib-compare.py" -d "$dir" ${COMPARE_OPTIONS:-} || exit $?
WORKERS=$workers PARLAB_BIN=$bin sh "$here/../plots/draw.sh" "$dir" || exit 1
tmp="$dir/.REPORT.md.$$"
trap 'rm -f "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$bin/parlab-report" --runs-csv "$dir/runs.csv" --workers "$workers" --markdown >"$tmp" ||
    ! mv -f "$tmp" "$dir/REPORT.md"; then
    echo "compare: parlab-report failed; '$dir/REPORT.md' is as it was" >&2
    exit 1
fi
echo "make compare: joblib's rows, the figures and $dir/REPORT.md in $(($(date +%s) - start)) s"
