#!/bin/sh
# hand-in.sh - what `make hand-in LAB=N` runs: lab N's results directory packed into
# one archive named after the student, for the lecturer to collect.
#
#   sh labs/hand-in.sh N        # from the repository's top directory
#
# The student is LABEL (make hand-in LAB=1 LABEL=ana), else PARLAB_LABEL, else the
# label the runs recorded (the label column of the lab's runs.csv files, when all
# their rows name the same one).  The
# archive, labN-LABEL.tar.gz (the label's characters other than letters, digits,
# '.', '_' and '-' become '_'), holds the results directory as labN-LABEL/: its CSVs,
# figures and answers.txt.  It is written beside a temporary name and renamed, so a
# lecturer's script never collects half an archive; HANDIN=dir puts it elsewhere
# (default: the current directory).  RESULTS: the results directory (default
# labs/results/labN).  A missing lab, results directory or label is one line, exit 2.
set -eu
lab=${1:-}
case $lab in
[1-9] | [1-9][0-9]) ;;
*)
    echo "make hand-in: LAB must be a lab's number, not '$lab'" >&2
    exit 2
    ;;
esac
results=${RESULTS:-labs/results/lab$lab}
# a lab's runs.csv files: at the top (lab 1) or in a directory per experiment (lab 2)
runs=$(find "$results" -name runs.csv -type f 2>/dev/null | sort)
if [ -z "$runs" ]; then
    echo "make hand-in: '$results' holds no runs.csv; run make lab LAB=$lab (or the handout's commands) first" >&2
    exit 2
fi
label=${LABEL:-${PARLAB_LABEL:-}}
if [ -z "$label" ]; then
    # the label the runs recorded, when every row names the same one
    # shellcheck disable=SC2086 # the paths, a line each, have no spaces of their own
    label=$(echo "$runs" | tr '\n' '\0' | xargs -0 awk -F, '
        FNR == 1 { c = 0; for (i = 1; i <= NF; i++) if ($i == "label") c = i; next }
        { l[c ? $c : ""] = 1 }
        END { n = 0; for (k in l) { n++; v = k } if (n == 1) print v }')
fi
if [ -z "$label" ]; then
    echo "make hand-in: give your name: make hand-in LAB=$lab LABEL=your-name (or set PARLAB_LABEL)" >&2
    exit 2
fi
name=lab$lab-$(printf '%s' "$label" | tr -c 'A-Za-z0-9._-' '_')
out=${HANDIN:-.}
if [ ! -d "$out" ]; then
    echo "make hand-in: HANDIN='$out' is not a directory" >&2
    exit 2
fi
stage=$(mktemp -d "${TMPDIR:-/tmp}/parlab-hand-in.XXXXXX")
part="$out/.$name.tar.gz.$$"
trap 'rm -rf "$stage" "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cp -R "$results" "$stage/$name"
tar -C "$stage" -czf "$part" "$name"
mv -f "$part" "$out/$name.tar.gz"
echo "make hand-in: $out/$name.tar.gz holds $(find "$stage/$name" -type f | wc -l | tr -d ' ') files of $results"
