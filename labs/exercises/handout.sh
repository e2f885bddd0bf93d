#!/bin/sh
# handout.sh - what `make exercise-handout` runs: parlab's tree as students get it for
# the exercises, every exercise's file replaced by its skeleton and no solution left
# anywhere, packed into ARCHIVE (default build/parlab-exercises.tar.gz).
#
# The tree is the committed files (git ls-files; every file when there is no git) less
# tests/exercises/ (the broken copies, which hold the solutions around their bugs);
# each labs/exercises/*.c is passed through `parlab-exercise --strip`.  The student's
# tree builds and checks as the full one does (make, make check-exercise E=NAME);
# check-exercises.sh skips the solutions there, and says so.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
archive=${1:-build/parlab-exercises.tar.gz}
bin=${PARLAB_BIN:-$here/bin}
[ -x "$bin/parlab-exercise" ] || (cd "$here" && make --no-print-directory bin/parlab-exercise)
stage=$(mktemp -d "${TMPDIR:-/tmp}/parlab-handout.XXXXXX")
trap 'rm -rf "$stage" "$archive.tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
tree="$stage/parlab-exercises"
mkdir -p "$tree"
cd "$here"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files >"$stage/files"
else
    find . -path ./build -prune -o -path ./bin -prune -o -path ./.git -prune -o -type f -print \
        >"$stage/files"
fi
while IFS= read -r f; do
    case $f in ./*) f=${f#./} ;; esac
    case $f in tests/exercises/*) continue ;; esac
    mkdir -p "$tree/$(dirname "$f")"
    case $f in
    labs/exercises/*.c) "$bin/parlab-exercise" --strip "$f" >"$tree/$f" ;;
    *) cp -p "$f" "$tree/$f" ;;
    esac
done <"$stage/files"
if grep -rl PARLAB_SOLUTION "$tree/labs/exercises" --include='*.c' >/dev/null 2>&1; then
    echo "make exercise-handout: a solution is left in the handout" >&2
    exit 1
fi
mkdir -p "$(dirname "$archive")"
tar -C "$stage" -czf "$archive.tmp" parlab-exercises
mv "$archive.tmp" "$archive"
n=$(ls "$tree"/labs/exercises/*.c | wc -l)
echo "make exercise-handout: $archive: parlab's tree with $n exercise skeletons and no solution"
