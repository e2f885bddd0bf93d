#!/bin/sh
# run-all.sh - what `make run-all` runs: the notebook's four cases, 12 jobs on 3
# workers, at the default size (jobs of about 0.25 s on this machine):
#
#   1. serial                 the baseline, which also chooses the kernel size n
#   2. threads, lock none     numba with nogil=True on joblib's threading backend
#   3. threads, lock held     numba with nogil=False: the GIL serializes the jobs
#   4. procs, lock held       joblib's multiprocessing backend: one GIL per process
#
# and then the pinning comparison: threads and procs, 2 workers, --pin none, close and
# spread, whose PU records stay in results/jobs.csv for the placement figure.
#
# Writes results/runs.csv and results/jobs.csv afresh (into a new directory first,
# moved into place only when every case has succeeded), keeps what the programs
# printed in results/run-all.log, and prints the table of results/runs.csv.
#
# Environment: JOBS (12), WORKERS (3), JOB_SECONDS (0.25), REPS (3).  OpenMP's own
# variables are cleared, so that libgomp's defaults hold (no binding, passive wait):
# the figures should not depend on what the shell happened to export.
set -eu
unset OMP_PROC_BIND OMP_PLACES OMP_WAIT_POLICY OMP_DYNAMIC OMP_THREAD_LIMIT GOMP_SPINCOUNT \
    GOMP_CPU_AFFINITY

bin=bin
out=results
jobs=${JOBS:-12}
workers=${WORKERS:-3}
job_seconds=${JOB_SECONDS:-0.25}
reps=${REPS:-3}

mkdir -p "$out"
new=$(mktemp -d "$out/.new-XXXXXX")
trap 'rm -rf "$new"' EXIT
trap 'echo "make run-all: interrupted; $out/ is unchanged" >&2; exit 130' INT
trap 'echo "make run-all: terminated; $out/ is unchanged" >&2; exit 143' TERM
log=$new/run-all.log
cases=10
n=0

# run_case LABEL PROGRAM OPTION...: one case, appended to the new CSVs.
run_case() {
    label=$1 program=$2
    shift 2
    n=$((n + 1))
    printf '[%d/%d] %-22s ' "$n" "$cases" "$label" >&2
    start=$(date +%s)
    echo "== $program $*" >>"$log"
    if ! "$bin/$program" -q -j "$jobs" -r "$reps" --runs-csv "$new/runs.csv" \
        --jobs-csv "$new/jobs.csv" "$@" >>"$log" 2>&1; then
        echo "FAILED" >&2
        echo "make run-all: case '$label' failed; $out/ is unchanged. Its output:" >&2
        sed -n '/^== '"$program"'/,$p' "$log" | tail -n 5 >&2
        exit 1
    fi
    echo "done in $(($(date +%s) - start)) s" >&2
}

echo "make run-all: the notebook's cases, $jobs jobs on $workers workers, $reps counted runs each" >&2
run_case "serial" parlab-serial -t "$job_seconds"
# The headline each program prints: "parlab-serial 0.1.0: 12 jobs of wait_loop(n = 243) ..."
size=$(sed -n 's/^parlab-serial .* jobs of wait_loop(n = \([0-9]*\)).*/\1/p' "$log" | tail -n 1)
if [ -z "$size" ]; then
    echo "make run-all: cannot find the kernel size in parlab-serial's output; $out/ is unchanged" >&2
    exit 1
fi
echo "      kernel size n = $size (jobs of about $job_seconds s here); every case uses it" >&2
run_case "threads, lock none" parlab-threads -n "$size" -w "$workers" -l none
run_case "threads, lock held" parlab-threads -n "$size" -w "$workers" -l held
run_case "procs, lock held" parlab-procs -n "$size" -w "$workers" -l held
for pin in none close spread; do
    run_case "threads, pin $pin" parlab-threads -n "$size" -w 2 -p "$pin"
    run_case "procs, pin $pin" parlab-procs -n "$size" -w 2 -p "$pin"
done

# The jobs first: results/runs.csv never names runs whose jobs are missing.
for f in jobs.csv runs.csv run-all.log; do
    mv -f "$new/$f" "$out/$f"
done
echo >&2
"$bin/parlab-summary" --runs-csv "$out/runs.csv"
echo
echo "written: $out/runs.csv, $out/jobs.csv (columns in README.md), $out/run-all.log"
