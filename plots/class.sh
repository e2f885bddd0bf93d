#!/bin/sh
# class.sh - what `make class` runs: a class's results side by side, as a table and
# figures.
#
#   sh plots/class.sh CLASS_DIR [OUTDIR]     # OUTDIR: results by default
#
# CLASS_DIR holds one results directory per student and machine (each with the
# runs.csv the parlab programs wrote: a student's results/, handed in).  Runs
# parlab-class (in ../bin beside this script, or $PARLAB_BIN) on every entry of
# CLASS_DIR but OUTDIR and hidden ones, and writes OUTDIR/class.md (the table in Markdown),
# OUTDIR/class.csv (the same as CSV), and OUTDIR/class-speedup, class-pus and
# class-amdahl as PNG and SVG, each drawn by plots/FIGURE.gp.  An entry parlab-class
# cannot use (no runs.csv, malformed, no serial run, several hosts mixed, empty, a
# file) is named on stderr with its reason and left out; a figure without data is
# skipped with a line saying what it needs, and an old one of its name removed.
# Stops at the first figure gnuplot fails on or warns about; each file is written
# whole or not at all.  Exits 1 when no entry could be used, 2 without CLASS_DIR.
set -eu
here=$(dirname "$0")
bin=${PARLAB_BIN:-$here/../bin}

say() {
    echo "class: $*" >&2 || :
}

class=${1:-}
out=${2:-results}
if [ -z "$class" ]; then
    say "give the directory of the students' results: make class CLASS=DIR [RESULTS=OUTDIR]"
    exit 2
fi
if [ ! -d "$class" ]; then
    say "cannot read the class's directory '$class': it is not a directory"
    exit 2
fi
mkdir -p "$out"
data=""
parts="$out/.class.$$" # this run's parts: NAME is added
trap 'rm -rf ${data:+"$data"} "$parts".*' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
data=$(mktemp -d)
log=$data/gnuplot.log

# Every entry of the class's directory, OUTDIR aside, as arguments (names may hold
# spaces); hidden ones (.DS_Store) are no submission.
set --
for entry in "$class"/*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    [ "$entry" -ef "$out" ] && continue
    set -- "$@" "$entry"
done
if [ $# = 0 ]; then
    say "'$class' is empty: it should hold one results directory per student and machine"
    exit 1
fi
"$bin/parlab-class" --markdown --csv "$parts.csv" --figure-data "$data" "$@" >"$parts.md" ||
    exit 1
mv -f "$parts.md" "$out/class.md"
mv -f "$parts.csv" "$out/class.csv"
drawn=""
while read -r figure has why; do
    if [ "$has" != yes ]; then
        rm -f "$out/$figure.png" "$out/$figure.svg"
        say "$figure skipped: $why"
        continue
    fi
    for format in png svg; do
        part="$parts.$figure.$format"
        if ! gnuplot -c "$here/$figure.gp" "$data" "$part" "$format" 2>"$log" || [ -s "$log" ]; then
            say "gnuplot failed on $figure.$format:"
            cat "$log" >&2 || :
            exit 1
        fi
        mv -f "$part" "$out/$figure.$format"
    done
    drawn="$drawn${drawn:+, }$figure"
done <"$data/class-figures"
say "class.md, class.csv and ${drawn:-no figures} (png, svg) in $out/"
