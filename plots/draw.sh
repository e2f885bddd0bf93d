#!/bin/sh
# draw.sh - draws every figure of a results directory, as PNG and as SVG.
#
#   sh plots/draw.sh [DIR [OUTDIR]]     # default: results, into DIR
#
# Reads DIR/runs.csv, DIR/jobs.csv and DIR/slices.csv through
# `parlab-report --figure-data` (bin/, or $PARLAB_BIN), which writes each figure's
# data and settings and the list of figures, then runs plots/FIGURE.gp for each and
# writes OUTDIR/FIGURE.png and OUTDIR/FIGURE.svg.  A figure the results hold no data
# for (no serial run for the speedup, say) is skipped with a line saying why, and so
# is the SVG of one with too many marks for a vector file (a timeline of a million
# jobs).  Stops
# at the first figure gnuplot fails on or warns about, naming it; a figure is written
# whole or not at all.
set -eu
here=$(dirname "$0")
dir=${1:-results}
out=${2:-$dir}
[ -r "$dir/runs.csv" ] || { echo "plots: cannot read '$dir/runs.csv'; run make run-all first" >&2; exit 1; }
mkdir -p "$out"
data=$(mktemp -d)
log=$data/gnuplot.log
trap 'rm -rf "$data" "$out"/.draw.*' EXIT
"${PARLAB_BIN:-bin}/parlab-report" --runs-csv "$dir/runs.csv" --jobs-csv "$dir/jobs.csv" \
    --slices-csv "$dir/slices.csv" --figure-data "$data" || exit 1
drawn=""
while read -r figure has why; do
    case $has in
    yes) formats="png svg" ;;
    png-only)
        formats=png
        rm -f "$out/$figure.svg" # an old one would not match the new PNG
        echo "plots: $figure.svg skipped: $why" >&2
        ;;
    *)
        echo "plots: $figure skipped: $why" >&2
        continue
        ;;
    esac
    for format in $formats; do
        part="$out/.draw.$figure.$format"
        if ! gnuplot -c "$here/$figure.gp" "$data" "$part" "$format" 2>"$log" || [ -s "$log" ]; then
            echo "plots: gnuplot failed on $figure.$format:" >&2
            cat "$log" >&2
            exit 1
        fi
        mv -f "$part" "$out/$figure.$format"
    done
    [ "$formats" = png ] && figure="$figure (png only)"
    drawn="$drawn${drawn:+, }$figure"
done <"$data/figures"
echo "plots: ${drawn:-no figures} (png, svg) in $out/" >&2
