#!/bin/sh
# check-labs.sh - every command block of every handout in labs/ runs, and writes what
# the handout says it writes.
#
#   PARLAB_BIN=$PWD/bin sh tests/check-labs.sh
#
# For each labs/0N-*.md, labs/run-lab.sh N runs its ```sh blocks shrunk
# (LAB_SHRINK=1: kernel sizes divided by 5, -r 1, payloads in K instead of M) in a
# new temporary directory that holds bin/ (the build's programs) and plots/, and
# checks each <!-- writes: ... --> file and <!-- prints: ... --> line.  Each handout
# must state that rule in its last line and have its answers in labs/answers/ under
# the same name.  Broken copies of handouts (a command that fails, a file not
# written, a command meant to crash that fails otherwise, an mpirun that should refuse
# and does not) must fail, naming the block, so that this test cannot pass by running
# nothing.  Blocks that need an option or a program this build or machine lacks
# (<!-- needs: ... -->) are skipped and counted; lab 8 run without parlab-mpi and
# mpirun, and on one PU, must skip its MPI blocks, say why, and still run the first;
# where it has them and 2 cores, it must skip none; lab 9 on one PU must skip all four
# of its blocks, saying they need 2 cores.  Skips
# itself under the sanitizers and valgrind (PARLAB_SANITIZED, PARLAB_UNDER_VALGRIND):
# the Check suites run the programs there; this runs them as built.  Prints one line
# per failure and a last line with the counts; exits 1 if anything failed.
set -u

if [ -n "${PARLAB_SANITIZED:-}${PARLAB_UNDER_VALGRIND:-}" ]; then
    echo "check-labs: skipped under the sanitizers and valgrind (the plain make check runs it)"
    exit 0
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${PARLAB_BIN:-$here/bin}" && pwd) || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlab-check-labs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 120"
# Open MPI's mpirun, the build's parlab-mpi and 2 cores, which lab 8 needs beyond its
# first block (the cores that hold the PUs we may use, as labs/run-lab.sh counts them)
cores=$("$bin/parlab-topo" -w "$(nproc)" -p close --csv 2>/dev/null |
    awk -F, 'NR > 1 { core[$3] = 1 } END { n = 0; for (c in core) n++; print n }')
mpi=""
command -v mpirun >/dev/null 2>&1 && [ -x "$bin/parlab-mpi" ] && [ "${cores:-0}" -ge 2 ] && mpi=yes

failed=0 handouts=0 ran=0 skipped=0
fail() {
    echo "check-labs: $*"
    failed=$((failed + 1))
}

# lab N [LAB_DIR [BIN]]: labs/run-lab.sh N, shrunk, in a fresh directory, with the
# programs in BIN (default: the build's); its status, its output in $tmp/N.log.
lab() {
    dir=$(mktemp -d "$tmp/run.XXXXXX") || return 1
    programs=${3:-$bin}
    ln -s "$programs" "$dir/bin"
    ln -s "$here/plots" "$dir/plots"
    # shellcheck disable=SC2086 # $limit and $wrap are commands and their arguments, or nothing
    (cd "$dir" && LAB_SHRINK=1 LAB_DIR=${2:-$here/labs} PARLAB_BIN="$programs" RESULTS='' \
        $limit ${wrap:-} sh "$here/labs/run-lab.sh" "$1") >"$tmp/$1.log" 2>&1
}

for handout in "$here"/labs/0[1-9]-*.md "$here"/labs/[1-9][0-9]-*.md; do
    [ -e "$handout" ] || continue
    handouts=$((handouts + 1))
    name=${handout##*/}
    n=${name#0}
    n=${n%%-*}
    [ -e "$here/labs/answers/$name" ] || fail "$name: no answers in labs/answers/$name"
    last=$(grep . "$handout" | tail -n 1)
    case $last in
    *tests/check-labs.sh*) ;;
    *) fail "$name: its last line does not say how tests/check-labs.sh shrinks it" ;;
    esac
    if lab "$n"; then
        blocks=$(grep -c '^== lab' "$tmp/$n.log")
        skips=$(grep -c '^== lab .*: skipped:' "$tmp/$n.log")
        ran=$((ran + blocks - skips))
        skipped=$((skipped + skips))
        grep '^== lab .*: skipped:' "$tmp/$n.log" | sed 's/^== /check-labs: /'
        # where Open MPI and 2 cores are there, lab 8 must have run its MPI blocks
        [ "$n" != 8 ] || [ -z "$mpi" ] || [ "$skips" = 0 ] ||
            fail "$name: mpirun, bin/parlab-mpi and $cores cores are there, yet $skips of its blocks were skipped"
    else
        tail -n 30 "$tmp/$n.log"
        fail "$name: make lab LAB=$n, shrunk, failed (its output above)"
    fi
done
[ "$handouts" -ge 1 ] || fail "no handouts in labs/"

# The test must see a broken handout: a command that fails; a file not written; a
# command meant to fail that fails otherwise (a bad option: exit 2 where the handout
# expects the crash's 139, and its `|| echo` would hide it).
broken=0
# broken N FILE SED-EXPRESSION BLOCK: a copy of FILE, changed by SED-EXPRESSION, fails in
# its block BLOCK, and says so.
broken() {
    broken=$((broken + 1))
    copy=$tmp/broken$broken
    mkdir -p "$copy"
    sed "$3" "$here/labs/$2" >"$copy/$2"
    if cmp -s "$here/labs/$2" "$copy/$2"; then
        fail "broken copy $broken: labs/$2 no longer has what '$3' breaks"
    elif lab "$1" "$copy"; then
        fail "broken copy $broken: labs/$2 changed by '$3' passed"
    elif ! grep -q "^make lab: lab $1, block $4 " "$tmp/$1.log"; then
        tail -n 5 "$tmp/$1.log"
        fail "broken copy $broken: labs/$2 changed by '$3' fails, but not naming block $4"
    fi
}
broken 1 01-wall-cpu.md 's/parlab-threads -l held /parlab-threads -l hold /' 2
broken 1 01-wall-cpu.md 's|writes: labs/results/lab1/runs.csv|writes: labs/results/lab1/no-such.csv|' 2
broken 7 07-crashes.md 's/segv:3 bin.parlab-threads -q/segv:3 bin\/parlab-threads -Q/' 1
if [ -n "$mpi" ]; then
    # P + 1 ranks without --oversubscribe: refused, so the block fails
    broken 8 08-mpi.md 's/ --oversubscribe / /' 2
    # the command that mpirun should refuse asks for 1 rank: it runs, and the refusal
    # the handout says it prints is missing
    # shellcheck disable=SC2016 # the handout's $((p + 1)), to match, not to expand
    broken 8 08-mpi.md 's/-np \$((p + 1)) bin/-np 1 bin/' 2
fi

# Without Open MPI: lab 8's copy needs a program no machine has instead of mpirun, and
# runs with programs that lack parlab-mpi; its first block still runs, the others are
# skipped, each with a line naming what it lacks.
nompi=$tmp/no-mpi
mkdir -p "$nompi/bin" "$nompi/labs"
for program in "$bin"/parlab-*; do
    [ "${program##*/}" = parlab-mpi ] || ln -s "$program" "$nompi/bin/${program##*/}"
done
sed 's/<!-- needs: mpirun -->/<!-- needs: no-such-mpirun -->/' "$here/labs/08-mpi.md" \
    >"$nompi/labs/08-mpi.md"
if ! lab 8 "$nompi/labs" "$nompi/bin"; then
    tail -n 5 "$tmp/8.log"
    fail "lab 8 without Open MPI failed instead of skipping its MPI blocks"
elif ! grep -q '^== lab 8, block 1 (' "$tmp/8.log" ||
    [ "$(grep '^== lab 8, block .*: skipped: it needs no-such-mpirun (not on PATH), ' "$tmp/8.log" |
        grep -cF "$nompi/bin/parlab-mpi (not built)")" != 4 ] ||
    ! grep -q '^make lab: lab 8: 1 of 5 blocks ran; skipped (for what this build or machine lacks, named above): 2 3 4 5;' "$tmp/8.log"; then
    grep '^== \|^make lab' "$tmp/8.log"
    fail "lab 8 without Open MPI did not run block 1 and skip blocks 2 to 5, naming mpirun and parlab-mpi"
fi
# On one PU (taskset -c 0 stands in for a 1-PU machine, where mpirun refuses 2 ranks
# without --oversubscribe and nothing runs in parallel), lab 8 runs its first block and
# skips the others, saying that they need 2 cores.
if command -v taskset >/dev/null 2>&1; then
    wrap="taskset -c 0"
    lab 8
    status=$?
    wrap=""
    if [ "$status" != 0 ]; then
        tail -n 5 "$tmp/8.log"
        fail "lab 8 on one core failed instead of skipping its MPI blocks"
    elif ! grep -q '^== lab 8, block 1 (' "$tmp/8.log" ||
        [ "$(grep -c '^== lab 8, block .*: skipped: it needs .*2 cores (the PUs it may use are on 1 core)' "$tmp/8.log")" != 4 ]; then
        grep '^== \|^make lab' "$tmp/8.log"
        fail "lab 8 on one core did not run block 1 and skip blocks 2 to 5 for want of 2 cores"
    fi
fi

# Lab 9 on one PU: parlab-overhead refuses more workers than PUs, and nothing runs in
# parallel: every block is skipped, each with a line saying it needs 2 cores.
if command -v taskset >/dev/null 2>&1; then
    wrap="taskset -c 0"
    lab 9
    status=$?
    wrap=""
    if [ "$status" != 0 ]; then
        tail -n 5 "$tmp/9.log"
        fail "lab 9 on one core failed instead of skipping its blocks"
    elif [ "$(grep -c '^== lab 9, block .*: skipped: it needs .*2 cores (the PUs it may use are on 1 core)' "$tmp/9.log")" != 4 ] ||
        ! grep -q '^make lab: lab 9: 0 of 4 blocks ran; skipped (for what this build or machine lacks, named above): 1 2 3 4;' "$tmp/9.log"; then
        grep '^== \|^make lab' "$tmp/9.log"
        fail "lab 9 on one core did not skip its 4 blocks for want of 2 cores"
    fi
fi

# make hand-in: one archive named after the student, from LABEL or the runs' label;
# without a name, or without results, one line and exit 2, and no archive.
hand=$tmp/hand-in
mkdir -p "$hand/res/tail" "$hand/out"
"$bin/parlab-serial" -n 30 -j 2 -r 1 -q --label "Ana Lee" --runs-csv "$hand/res/tail/runs.csv" \
    >/dev/null || fail "hand-in: parlab-serial --label failed"
if ! (cd "$here" && RESULTS=$hand/res HANDIN=$hand/out sh labs/hand-in.sh 2 >/dev/null) ||
    ! tar -tzf "$hand/out/lab2-Ana_Lee.tar.gz" | grep -q '^lab2-Ana_Lee/tail/runs.csv$'; then
    fail "hand-in: no lab2-Ana_Lee.tar.gz holding tail/runs.csv from the runs' label"
fi
(cd "$here" && RESULTS=$hand/res HANDIN=$hand/out LABEL=bo sh labs/hand-in.sh 2 >/dev/null) &&
    [ -s "$hand/out/lab2-bo.tar.gz" ] || fail "hand-in: LABEL=bo made no lab2-bo.tar.gz"
"$bin/parlab-serial" -n 30 -j 2 -r 1 -q --label other --runs-csv "$hand/res/runs.csv" >/dev/null
for case in "two labels:2:$hand/res" "no results:2:$hand/none" "bad lab:x:$hand/res"; do
    what=${case%%:*} rest=${case#*:}
    err=$(cd "$here" && RESULTS=${rest#*:} HANDIN=$hand/out sh labs/hand-in.sh "${rest%%:*}" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] ||
        fail "hand-in, $what: exit $rc, said: $err"
done
[ "$(ls -A "$hand/out" | wc -l)" = 2 ] || fail "hand-in: left $(ls -A "$hand/out")"

if [ "$failed" != 0 ]; then
    echo "check-labs: $failed FAILED ($handouts handouts)"
    exit 1
fi
echo "check-labs: every command block of the $handouts handouts runs: $ran blocks ran, $skipped skipped (for what this build or machine lacks); $broken broken copies fail; lab 8 skips its MPI blocks without Open MPI and on one PU, lab 9 its blocks on one PU"
