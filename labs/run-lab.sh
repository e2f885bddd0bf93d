#!/bin/sh
# run-lab.sh - what `make lab LAB=N` runs: every command of lab N's handout.
#
#   sh labs/run-lab.sh N        # from the repository's top directory
#
# The handout labs/0N-*.md is the lab's run list: its fenced ```sh blocks are run in
# order, each in its own `sh -e` (a command that fails stops the lab, naming the block
# and its line), so `make lab` runs exactly what the handout tells a student to type
# and no second list can go stale.  After a block, the handout may say what it needs
# and what it writes, in comments the student does not see:
#
#   <!-- writes: labs/results/lab1/runs.csv labs/results/lab1/jobs.csv -->
#   <!-- prints: parlab-threads exited with status 139 -->
#   <!-- needs: parlab-threads --schedule -->
#   <!-- needs: mpirun -->
#   <!-- needs: 2 cores -->
#
# A block that wrote a file it names empty or not at all, or whose output (stdout and
# stderr, merged) lacks a line it says it prints (a fixed string: the way to check a
# command that is meant to fail, written `cmd || echo ...`), fails the lab; a block
# that needs an option this build's program does not list in its --help is skipped
# with a line that says so (the options of another branch, before it lands), and so
# is one that needs a program (in bin/ or on PATH, such as Open MPI's mpirun) that is
# not there, or more cores than hold the PUs this machine lets it use (mpirun starts
# no more ranks than cores without --oversubscribe): the other blocks, and the other
# labs, still run.
#
# Environment: RESULTS, where the results go (default labs/results/labN): the
# handout's labs/results/labN is replaced by it, and it must be empty or new, so that a
# lab's results are one lab's runs.  PARLAB_BIN, the programs (default bin/; the
# blocks run with it on PATH and call bin/parlab-...).  LAB_SHRINK=1, for
# tests/check-labs.sh: every kernel size is divided by 5 (`-n 180` -> `-n 36`, also in
# `--sizes ramp:A-B` and `list:N1,N2`), every `-r R` becomes `-r 1` and every size in M
# becomes one in K (`--payload 256M`, `for p in 1M 16M`; G becomes M), so that a lab
# runs in a second or two.  LAB_DIR, the
# handouts (default: this script's directory).  OpenMP's, hwloc's and parlab's fault
# variables are cleared first, and named, as make run-all does: a handout sets them
# where it means to.  Run as root (id -u is 0), a handout that calls mpirun gets
# OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1, without which Open
# MPI refuses root, with a line that says so; never for a user.
set -eu
here=$(dirname "$0")
labs=${LAB_DIR:-$here}
lab=${1:-}

valid=""
for f in "$labs"/0[1-9]-*.md "$labs"/[1-9][0-9]-*.md; do
    [ -e "$f" ] || continue
    n=${f##*/}
    n=${n#0}
    valid="$valid ${n%%-*}"
done
handout=""
case $lab in
[1-9]) for f in "$labs/0$lab"-*.md; do [ -e "$f" ] && handout=$f; done ;;
[1-9][0-9]) for f in "$labs/$lab"-*.md; do [ -e "$f" ] && handout=$f; done ;;
esac
if [ -z "$handout" ]; then
    echo "make lab: LAB must be one of${valid:- (no handouts in $labs)}, not '$lab'" >&2
    exit 2
fi

default=labs/results/lab$lab
results=${RESULTS:-$default}
if [ -e "$results" ] && { [ ! -d "$results" ] || [ -n "$(ls -A "$results")" ]; }; then
    echo "make lab: '$results' already holds files; move it away or give RESULTS=another directory (lab $lab's runs would be added to them)" >&2
    exit 2
fi
bin=${PARLAB_BIN:-bin}
if [ ! -x bin/parlab-serial ] || [ ! -e plots/draw.sh ]; then
    echo "make lab: run it from the repository's top directory (the handouts call bin/parlab-... and plots/draw.sh), after make" >&2
    exit 1
fi
bin=$(cd "$bin" && pwd)
PATH=$bin:$PATH
RESULTS=$results
export PATH RESULTS PARLAB_BIN="$bin"

cleared=""
for var in OMP_NUM_THREADS OMP_PROC_BIND OMP_PLACES OMP_WAIT_POLICY OMP_DYNAMIC \
    OMP_THREAD_LIMIT OMP_MAX_ACTIVE_LEVELS OMP_SCHEDULE GOMP_SPINCOUNT GOMP_CPU_AFFINITY \
    HWLOC_XMLFILE HWLOC_SYNTHETIC HWLOC_FSROOT HWLOC_THISSYSTEM PARLAB_FAULT; do
    if eval "[ -n \"\${$var+set}\" ]"; then
        cleared="$cleared $var"
        unset "$var"
    fi
done
[ -z "$cleared" ] || echo "make lab: cleared${cleared} (the handout sets them where it means to)" >&2
if [ "$(id -u)" = 0 ] && grep -q 'mpirun ' "$handout"; then
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
    echo "make lab: running as root: set OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1, without which Open MPI's mpirun refuses root" >&2
fi
# shellcheck disable=SC3045 # dash, bash and busybox sh all have ulimit -c
ulimit -c 0 2>/dev/null || : # lab 7 crashes workers on purpose: no core files

work=$(mktemp -d "${TMPDIR:-/tmp}/parlab-lab.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The blocks, block.K.sh, and what the comments after each say, block.K.meta:
# "line L", "writes PATH...", "needs PROGRAM [OPTION]" and "prints TEXT" lines.
awk -v work="$work" -v shrink="${LAB_SHRINK:-0}" -v default="$default" '
# Every number in TOKEN divided by 5: -n 180 -> -n 36, ramp:100-250 -> ramp:20-50.
function divide(token,    out) {
    out = ""
    while (match(token, /[0-9]+/)) {
        out = out substr(token, 1, RSTART - 1) int(substr(token, RSTART, RLENGTH) / 5)
        token = substr(token, RSTART + RLENGTH)
    }
    return out token
}
function rewrite(token) {
    if (token ~ /^[ \t]-r/) { sub(/[0-9]+$/, "1", token); return token }
    if (token ~ /[0-9][MG]$/) # a size, such as 256M: 256K
        return substr(token, 1, length(token) - 1) (token ~ /M$/ ? "K" : "M")
    return divide(token)
}
function shrunk(line,    out, s, at, len) {
    out = ""
    s = " " line " "
    while (match(s, /[ \t]-[nr][ \t]+[0-9]+|(ramp|list):[0-9][0-9,-]*|[ \t][0-9]+[MG][^A-Za-z0-9_]/)) {
        at = RSTART; len = RLENGTH # rewrite() matches too, and RSTART is global
        if (substr(s, at + len - 1, 1) !~ /[0-9A-Za-z_]/) len-- # after a size: not its
        out = out substr(s, 1, at - 1) rewrite(substr(s, at, len))
        s = substr(s, at + len)
    }
    out = out s
    return substr(out, 2, length(out) - 2)
}
# LINE with the default results directory replaced by "$RESULTS".
function relocated(line,    out, i) {
    out = ""
    while ((i = index(line, default)) > 0) {
        out = out substr(line, 1, i - 1) "\"$RESULTS\""
        line = substr(line, i + length(default))
    }
    return out line
}
/^```sh[ \t]*$/ && !inside {
    inside = 1
    start = NR
    blocks++
    script = work "/block." blocks ".sh"
    meta = work "/block." blocks ".meta"
    print "line " NR + 1 >meta
    printf "" >script
    next
}
/^```/ && inside { inside = 0; close(script); next }
inside {
    line = $0
    if (shrink == 1) line = shrunk(line)
    print relocated(line) >script
    next
}
/^<!-- (writes|needs|prints):.*-->[ \t]*$/ {
    if (!blocks) { print "a " $2 " comment before the first block, at line " NR; exit 1 }
    kind = $2
    sub(/^<!-- (writes|needs|prints):[ \t]*/, "")
    sub(/[ \t]*-->[ \t]*$/, "")
    print substr(kind, 1, length(kind) - 1), $0 >>meta
    close(meta)
}
END {
    if (inside) { print "a block opened at line " start " is never closed"; exit 1 }
    print blocks >work "/count"
}' "$handout" >"$work/awk.out" || {
    echo "make lab: $handout: $(cat "$work/awk.out")" >&2
    exit 1
}

count=$(cat "$work/count")
ran=0 skipped="" cores=""
# The cores that hold the PUs we may use: parlab-topo's close placement gives each
# worker a core of its own until there are none left.
usable_cores() {
    "$bin/parlab-topo" -w "$(nproc)" -p close --csv 2>/dev/null |
        awk -F, 'NR > 1 { core[$3] = 1 } END { n = 0; for (c in core) n++; print n }'
}
k=0
while [ "$k" -lt "$count" ]; do
    k=$((k + 1))
    line=$(sed -n 's/^line //p' "$work/block.$k.meta")
    where="$handout line $line"
    missing=""
    while read -r program option; do
        [ -n "$program" ] || continue
        if [ "$option" = cores ]; then # "2 cores"
            [ -n "$cores" ] || cores=$(usable_cores)
            [ "$cores" -ge "$program" ] 2>/dev/null ||
                missing="$missing, $program cores (the PUs it may use are on ${cores:-no} core$([ "$cores" = 1 ] || echo s))"
        elif [ ! -x "$bin/$program" ] && [ "${program#parlab-}" != "$program" ]; then
            missing="$missing, $bin/$program (not built)"
        elif [ -z "$option" ]; then # another program, such as mpirun: on PATH
            command -v "$program" >/dev/null 2>&1 || missing="$missing, $program (not on PATH)"
        else
            "$bin/$program" --help 2>&1 | grep -qF -e "$option" || missing="$missing, $program $option"
        fi
    done <<EOF
$(sed -n 's/^needs //p' "$work/block.$k.meta")
EOF
    if [ -n "$missing" ]; then
        echo "== lab $lab, block $k ($where): skipped: it needs${missing#,}, which this build or machine lacks" >&2
        skipped="$skipped $k"
        continue
    fi
    echo "== lab $lab, block $k ($where)" >&2
    # Its output goes to the terminal and into out.K, for the prints comments.
    { status=0; sh -ex "$work/block.$k.sh" 2>&1 || status=$?; echo "$status" >"$work/status"; } |
        tee "$work/out.$k"
    status=$(cat "$work/status")
    if [ "$status" != 0 ]; then
        echo "make lab: lab $lab, block $k ($where) failed: a command in it exited with status $status (see above)" >&2
        exit 1
    fi
    # shellcheck disable=SC2013 # the paths are words: a writes comment names several
    for path in $(sed -n 's/^writes //p' "$work/block.$k.meta"); do
        case $path in
        "$default"/*) path=$RESULTS/${path#"$default"/} ;;
        esac
        if [ ! -s "$path" ]; then
            echo "make lab: lab $lab, block $k ($where) ran, but did not write '$path', which the handout says it writes" >&2
            exit 1
        fi
    done
    while IFS= read -r text; do
        [ -n "$text" ] || continue
        if ! grep -qF -e "$text" "$work/out.$k"; then
            echo "make lab: lab $lab, block $k ($where) ran, but did not print '$text', which the handout says it prints" >&2
            exit 1
        fi
    done <<EOF
$(sed -n 's/^prints //p' "$work/block.$k.meta")
EOF
    ran=$((ran + 1))
done
if [ -n "$skipped" ]; then
    echo "make lab: lab $lab: $ran of $count blocks ran; skipped (for what this build or machine lacks, named above):$skipped; results in $RESULTS/" >&2
else
    echo "make lab: lab $lab: all $count blocks ran; results in $RESULTS/" >&2
fi
