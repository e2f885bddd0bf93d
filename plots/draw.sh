#!/bin/sh
# draw.sh - draws every figure of a results directory, as PNG and as SVG.
#
#   sh plots/draw.sh [DIR [OUTDIR]]     # default: results, into DIR
#
# Reads DIR/runs.csv and DIR/jobs.csv (through bin/parlab-report, or
# $PARLAB_BIN/parlab-report) and writes OUTDIR/FIGURE.png and OUTDIR/FIGURE.svg for
# wall-vs-cpu, speedup, amdahl, timeline, placement and copy-cost.  A figure the results hold no data
# for (no serial run for the speedup, say) is skipped with a line saying so.  Stops at
# the first figure gnuplot fails on or warns about, naming it; a figure is written
# whole or not at all.
set -eu
here=$(dirname "$0")
dir=${1:-results}
out=${2:-$dir}
report="${PARLAB_BIN:-bin}/parlab-report --runs $dir/runs.csv --jobs $dir/jobs.csv"
for f in "$dir/runs.csv" "$dir/jobs.csv"; do
    [ -r "$f" ] || { echo "plots: cannot read '$f'; run make run-all first" >&2; exit 1; }
done
mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log" "$out"/.draw.*' EXIT
drawn=""
for figure in wall-vs-cpu speedup amdahl timeline placement copy-cost; do
    # shellcheck disable=SC2086 # $report is a command and its arguments
    if ! blocks=$($report --value "blocks-$figure"); then
        exit 1
    fi
    case " $blocks " in
    *" 1 "*) ;;
    *)
        echo "plots: $figure skipped: these results hold no runs for it" >&2
        continue
        ;;
    esac
    for format in png svg; do
        part="$out/.draw.$figure.$format"
        if ! gnuplot -c "$here/$figure.gp" "$dir/runs.csv" "$dir/jobs.csv" "$part" "$format" \
            2>"$log" || [ -s "$log" ]; then
            echo "plots: gnuplot failed on $figure.$format:" >&2
            cat "$log" >&2
            exit 1
        fi
        mv -f "$part" "$out/$figure.$format"
    done
    drawn="$drawn${drawn:+, }$figure"
done
echo "plots: $drawn (png, svg) in $out/" >&2
