#!/bin/sh
# draw.sh - draws every figure of a results directory, as PNG and as SVG.
#
#   sh plots/draw.sh [DIR [OUTDIR]]     # default: results, into DIR
#
# Reads DIR/runs.csv and DIR/jobs.csv (through bin/parlab-report, or
# $PARLAB_BIN/parlab-report) and writes OUTDIR/FIGURE.png and OUTDIR/FIGURE.svg for
# wall-vs-cpu, speedup, timeline and placement.  Stops at the first figure gnuplot
# fails on, or warns about, naming it.
set -eu
here=$(dirname "$0")
dir=${1:-results}
out=${2:-$dir}
for f in "$dir/runs.csv" "$dir/jobs.csv"; do
    [ -r "$f" ] || { echo "plots: cannot read '$f'; run make run-all first" >&2; exit 1; }
done
mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for figure in wall-vs-cpu speedup timeline placement; do
    for format in png svg; do
        if ! gnuplot -c "$here/$figure.gp" "$dir/runs.csv" "$dir/jobs.csv" \
            "$out/$figure.$format" "$format" 2>"$log" || [ -s "$log" ]; then
            echo "plots: gnuplot failed on $figure.$format:" >&2
            cat "$log" >&2
            exit 1
        fi
    done
done
echo "plots: wall-vs-cpu, speedup, timeline and placement (png, svg) in $out/" >&2
