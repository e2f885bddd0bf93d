#!/bin/sh
# draw.sh - draws every figure of a results directory, as PNG and as SVG.
#
#   sh plots/draw.sh [DIR [OUTDIR]]     # default: results, into DIR
#
# Reads DIR/runs.csv (and the jobs.csv and slices.csv beside it) through
# `parlab-report --figure-data` (in ../bin beside this script, or $PARLAB_BIN), which
# writes each figure's data and settings and the list of figures, then runs
# plots/FIGURE.gp for each and writes OUTDIR/FIGURE.png and OUTDIR/FIGURE.svg.  With
# WORKERS set, the notebook's figures are of that many workers (parlab-report
# --workers; make run-all sets it to its own).  A figure the results hold no data for
# (no serial run for the speedup, say) is skipped with a line saying what is missing
# and which command adds it (docs/figures.md lists what each needs), and an old
# FIGURE.png and FIGURE.svg in OUTDIR are removed, so that OUTDIR shows the data; so is
# the SVG of one with too many marks for a vector file (a timeline of a million jobs).
# Stops at the first figure gnuplot fails on or warns about, naming it; a figure is
# written whole or not at all, also when interrupted, and two draws into one OUTDIR
# at once do not meet.
set -eu
here=$(dirname "$0")
bin=${PARLAB_BIN:-$here/../bin}
dir=${1:-results}
out=${2:-$dir}

# say MESSAGE: a line on stderr; a closed or full stderr does not stop the drawing.
say() {
    echo "plots: $*" >&2 || :
}

[ -r "$dir/runs.csv" ] || {
    say "cannot read '$dir/runs.csv': make run-all writes it, as does each program with --runs-csv '$dir/runs.csv'"
    exit 1
}
mkdir -p "$out"
# dash runs no EXIT trap on a signal: each ends the script through exit, which does.
data=""
parts="$out/.draw.$$" # this draw's parts: FIGURE.FORMAT is added
trap 'rm -rf ${data:+"$data"} "$parts".*' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
data=$(mktemp -d)
log=$data/gnuplot.log
# shellcheck disable=SC2086 # the option and its value are two words
"$bin/parlab-report" --runs-csv "$dir/runs.csv" ${WORKERS:+--workers "$WORKERS"} \
    --figure-data "$data" || exit 1
drawn=""
while read -r figure has why; do
    case $has in
    yes) formats="png svg" ;;
    png-only)
        formats=png
        rm -f "$out/$figure.svg" # an old one would not match the new PNG
        say "$figure.svg skipped: $why"
        ;;
    *)
        rm -f "$out/$figure.png" "$out/$figure.svg" # nor would old ones match the data
        say "$figure skipped: $why"
        continue
        ;;
    esac
    for format in $formats; do
        part="$parts.$figure.$format"
        if ! gnuplot -c "$here/$figure.gp" "$data" "$part" "$format" 2>"$log" || [ -s "$log" ]; then
            say "gnuplot failed on $figure.$format:"
            cat "$log" >&2 || :
            exit 1
        fi
        mv -f "$part" "$out/$figure.$format"
    done
    [ "$formats" = png ] && figure="$figure (png only)"
    drawn="$drawn${drawn:+, }$figure"
done <"$data/figures"
say "${drawn:-no figures} (png, svg) in $out/"
