#!/bin/sh
# run-all.sh - what `make run-all` runs: every experiment, its figures and its report.
#
#   1. the notebook's cases, 12 jobs on 3 workers: serial (which also chooses the
#      kernel size n for jobs of about 0.25 s here); threads, lock none; threads,
#      lock held; procs, lock held
#   2. the worker sweep, W = 1 to 2 x PUs, for those three ways of running (every W up
#      to 8; beyond, steps of about half again: 1 2 3 4 6 9 13 ... with PUs and 2 x PUs
#      always among them, so that a 64-PU machine is swept in minutes, not hours)
#   3. the pinning comparison: threads and procs on 2 workers, --pin close and spread
#      (--pin none is the sweep's W = 2)
#   4. the lessons after the notebook, on jobs of about 0.1 s (speedups are ratios,
#      and the lessons should not double run-all's time), after a serial run of such
#      jobs: threads with the lock held and handed over every 5 ms, as CPython's GIL
#      is; then Amdahl's law, threads with a serial fraction F = 0.1, 0.25 and 0.5 of
#      every job, for the sweep's W (F = 0 and 1 are the sweep's lock none and held)
#   5. what moving data costs: payloads of 1 KiB to 256 MiB in and out of every job,
#      for threads, procs with shared memory and procs with pipes (4 jobs on 2
#      workers of a smaller kernel, 2 counted runs each: the data is the point)
#
# then the figures (plots/draw.sh) and the report (parlab-report --markdown).  All of
# it is written into a new directory beside results/, which replaces results/ only
# when every step has succeeded: a failure leaves the old results/ as it was and
# names the case that failed.
#
# Environment: SCALE=default (jobs of 0.25 s, 3 counted runs) or SCALE=lecture (1 s,
# 5 runs, for figures to project); JOBS (12), WORKERS (3), JOB_SECONDS, REPS,
# MAX_WORKERS (the sweep's largest W, 2 x PUs), PAYLOADS (the payload sizes);
# RESULTS (results), PARLAB_BIN (bin).  OpenMP's and hwloc's variables are cleared so
# that libgomp's defaults and this machine's topology hold: the figures should not
# depend on what the shell happened to export.
set -eu
unset OMP_PROC_BIND OMP_PLACES OMP_WAIT_POLICY OMP_DYNAMIC OMP_THREAD_LIMIT GOMP_SPINCOUNT \
    GOMP_CPU_AFFINITY HWLOC_XMLFILE HWLOC_SYNTHETIC HWLOC_FSROOT PARLAB_FAULT_BIND

bin=${PARLAB_BIN:-bin}
results=${RESULTS:-results}
case ${SCALE:-default} in
default) job_seconds=${JOB_SECONDS:-0.25} reps=${REPS:-3} ;;
lecture) job_seconds=${JOB_SECONDS:-1} reps=${REPS:-5} ;;
*)
    echo "make run-all: SCALE must be default or lecture, not '$SCALE'" >&2
    exit 2
    ;;
esac
jobs=${JOBS:-12}
workers=${WORKERS:-3}
here=$(dirname "$0")

parent=$(dirname "$results")
name=$(basename "$results")
mkdir -p "$parent"
new=$(mktemp -d "$parent/.$name.new.XXXXXX")
old="$parent/.$name.old.$$"
trap 'rm -rf "$new"' EXIT
trap 'echo "make run-all: interrupted; $results/ is unchanged" >&2; exit 130' INT
trap 'echo "make run-all: terminated; $results/ is unchanged" >&2; exit 143' TERM
log=$new/run-all.log

# The usable PUs, as the programs will see them.
pus=$(($("$bin/parlab-topo" --csv | wc -l) - 1))
most=${MAX_WORKERS:-$((2 * pus))}
sweep=$(
    w=1
    while [ "$w" -le "$most" ]; do
        echo "$w"
        if [ "$most" -le 8 ]; then w=$((w + 1)); else w=$((w * 3 / 2 > w ? w * 3 / 2 : w + 1)); fi
    done
    echo "$pus"
    echo "$most"
) 
sweep=$(echo "$sweep" | sort -n -u)

# The cases, one per line: LABEL|PROGRAM|OPTIONS.  The notebook's come first.
cases=$(
    echo "serial|parlab-serial|-t $job_seconds"
    echo "threads lock=none W=$workers|parlab-threads|-w $workers -l none"
    echo "threads lock=held W=$workers|parlab-threads|-w $workers -l held"
    echo "procs lock=held W=$workers|parlab-procs|-w $workers -l held"
    for w in $sweep; do
        if [ "$w" != "$workers" ]; then
            echo "threads lock=none W=$w|parlab-threads|-w $w -l none"
            echo "threads lock=held W=$w|parlab-threads|-w $w -l held"
            echo "procs lock=held W=$w|parlab-procs|-w $w -l held"
        fi
    done
    for pin in close spread; do
        echo "threads pin=$pin W=2|parlab-threads|-w 2 -l none -p $pin"
        echo "procs pin=$pin W=2|parlab-procs|-w 2 -l held -p $pin"
    done
    # Right before the cases it is the baseline of: the machine's speed drifts by a few
    # percent over minutes, and a speedup divides by it.
    echo "serial, shorter jobs|parlab-serial||lesson"
    echo "threads lock=held W=$workers switching|parlab-threads|-w $workers -l held --switch-interval 5|lesson"
    for f in 0.1 0.25 0.5; do
        for w in $sweep; do
            echo "threads F=$f W=$w|parlab-threads|-w $w -l fraction:$f|lesson"
        done
    done
    for bytes in ${PAYLOADS:-1K 8K 64K 512K 4M 32M 256M}; do
        echo "threads payload=$bytes|parlab-threads|-w 2 --payload $bytes|data"
        echo "procs payload=$bytes shm|parlab-procs|-w 2 --payload $bytes --transport shm|data"
        echo "procs payload=$bytes pipe|parlab-procs|-w 2 --payload $bytes --transport pipe|data"
    done
)
total=$(echo "$cases" | wc -l)

echo "make run-all: $jobs jobs per case, $reps counted runs each, $pus PUs, SCALE=${SCALE:-default}" >&2
n=0
size=""
echo "$cases" >"$new/.cases"
while IFS='|' read -r label program options scale; do
    n=$((n + 1))
    case_jobs=$jobs case_reps=$reps case_size=$size
    if [ "$scale" = data ]; then # the data is the point: a smaller kernel, fewer jobs
        case_jobs=4 case_reps=2
        case_size=$(awk -v n="$size" 'BEGIN { printf "%d", n * 0.55 }')
    elif [ "$scale" = lesson ]; then # jobs of 0.4 times the size's: 0.1 s by default
        case_size=$(awk -v n="$size" 'BEGIN { printf "%d", n * 0.795 }')
    fi
    printf '[%d/%d] %s ... ' "$n" "$total" "$label" >&2
    start=$(date +%s.%N)
    echo "== $program $options" >>"$log"
    # shellcheck disable=SC2086 # options are words
    if ! "$bin/$program" -q -j "$case_jobs" -r "$case_reps" ${case_size:+-n "$case_size"} $options \
        --runs-csv "$new/runs.csv" --jobs-csv "$new/jobs.csv" --slices-csv "$new/slices.csv" \
        >>"$log" 2>&1; then
        echo "FAILED" >&2
        cp "$log" "$parent/$name.failed.log"
        echo "make run-all: case '$label' failed; $results/ is unchanged. It said:" >&2
        sed -n '/^== '"$program $options"'$/,$p' "$log" | tail -n +2 | tail -n 5 >&2
        echo "(everything the programs printed is in $parent/$name.failed.log)" >&2
        exit 1
    fi
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s\n", b - a }' >&2
    if [ -z "$size" ]; then
        # The headline each program prints: "parlab-serial 0.1.0: 12 jobs of wait_loop(n = 243) ..."
        size=$(sed -n 's/^parlab-serial .* jobs of wait_loop(n = \([0-9]*\)).*/\1/p' "$log" | tail -n 1)
        if [ -z "$size" ]; then
            echo "make run-all: cannot find the kernel size in parlab-serial's output; $results/ is unchanged" >&2
            exit 1
        fi
        echo "      kernel size n = $size (jobs of about $job_seconds s here); every case uses it" >&2
    fi
done <"$new/.cases"
rm -f "$new/.cases"

echo "== plots/draw.sh" >>"$log"
if ! PARLAB_BIN=$bin sh "$here/../plots/draw.sh" "$new" 2>>"$log"; then
    echo "make run-all: the figures failed; $results/ is unchanged. gnuplot said:" >&2
    sed -n '/^== plots/,$p' "$log" | tail -n +2 | tail -n 5 >&2
    exit 1
fi
if ! "$bin/parlab-report" --runs-csv "$new/runs.csv" --workers "$workers" \
    --markdown >"$new/REPORT.md"; then
    echo "make run-all: the report failed; $results/ is unchanged" >&2
    exit 1
fi

# Everything succeeded: the new directory takes the old one's place.
[ -f "$results/README.md" ] && cp "$results/README.md" "$new/README.md"
if [ -d "$results" ]; then
    mv "$results" "$old"
fi
mv "$new" "$results"
rm -rf "$old" "$parent/$name.failed.log"
trap - EXIT

echo >&2
"$bin/parlab-summary" --runs-csv "$results/runs.csv"
echo
echo "written: $results/REPORT.md, figures (png, svg), runs.csv, jobs.csv (columns in README.md), run-all.log"
