#!/bin/sh
# bench-mpi.sh - what `make bench-mpi` runs: the MPI benchmarks of the README, on
# this machine, in one run, each figure with the CPU model and the machine's load.
#
#   1. ranks with the lock held at W = PUs against parlab-serial on the same jobs
#      (6 x PUs jobs of about 0.25 s, 5 pairs of runs, serial and ranks by turns):
#      the speedup of each pair, their median, and how far it is from the ideal W;
#   2. the per-job cost of each queue: 100000 jobs of one kernel step (n = 4) on W =
#      PUs workers, 3 counted runs each, for parlab-threads, parlab-procs and
#      parlab-mpi (ranks on this host), with parlab-serial as the floor: the wall time
#      per job, which is the queue, the job's records and its clocks; and what W
#      workers add to a job beside serial's one, W x (wall per job) - serial's, the
#      queue's cost per job to the worker that takes it.
#
# Each figure is a median (min and max beside it).  The
# programs' own `machine:` lines are kept in the log: a busy machine is said there and
# in the last line here.  Environment: PARLAB_BIN (../bin beside this script), MPIRUN
# (mpirun), OUT (a directory for the CSVs and the log; a new temporary one by default).
set -eu
here=$(dirname "$0")
bin=${PARLAB_BIN:-$here/../bin}
mpirun=${MPIRUN:-mpirun}
if ! command -v "$mpirun" >/dev/null 2>&1; then
    echo "make bench-mpi: no $mpirun (Debian: openmpi-bin)" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then # Open MPI refuses root without both; never set for a user
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
fi
. "$here/bench-lib.sh"
bench_start bench-mpi parlab-serial parlab-threads parlab-procs parlab-mpi parlab-topo

# stat FILE: "median min max other wall runs" of wall_s over FILE's rows, with the
# other programs' CPU time and the wall time summed over its runs.
stat() {
    awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { w[++n] = $col["wall_s"]; wall += $col["wall_s"]; other += $col["other_cpu_s"] }
        END {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
            printf "%.6f %.6f %.6f %.3f %.6f %d\n", n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2, w[1], w[n], other, wall, n
        }' "$1"
}

# What the runs so far say of other programs: their CPU time, the wall time, the runs.
other=0 wall=0 runs=0
tally() {
    other=$(awk -v a="$other" -v b="$1" 'BEGIN { print a + b }')
    wall=$(awk -v a="$wall" -v b="$2" 'BEGIN { print a + b }')
    runs=$((runs + $3))
}

jobs=$((6 * pus))
pairs=5
printf '1. ranks with the lock held, W = %d, %d jobs of about 0.25 s: %d pairs of runs ...\n' \
    "$pus" "$jobs" "$pairs" >&2
# n for jobs of about 0.25 s, then serial and ranks by turns, one counted run each: the
# speed of a virtual machine drifts by several percent over tens of seconds, and each
# pair's ratio sees the same drift in both runs.
run calibrate "$bin/parlab-serial" -q -j "$pus" -t 0.25 -r 1
n=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "size") c = i; next } { s = $c } END { print s }' "$out/calibrate.csv")
i=0
while [ "$i" -lt "$pairs" ]; do
    run serial "$bin/parlab-serial" -q -j "$jobs" -n "$n" -r 1
    run mpi "$mpirun" -np "$pus" --bind-to core "$bin/parlab-mpi" -q -j "$jobs" -n "$n" -l held -r 1
    i=$((i + 1))
done
for f in serial mpi; do
    set -- $(stat "$out/$f.csv")
    tally "$4" "$5" "$6"
done
# the pairs' speedups: the i-th serial run's wall time over the i-th ranks' run's
awk -F, -v w="$pus" -v n="$n" '
    FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_s") c = i; next }
    FILENAME ~ /serial.csv$/ { s[++ns] = $c; next }
    { m[++nm] = $c }
    END {
        for (i = 1; i <= nm; i++) r[i] = s[i] / m[i]
        for (i = 1; i <= nm; i++) for (j = i + 1; j <= nm; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
        med = nm % 2 ? r[(nm + 1) / 2] : (r[nm / 2] + r[nm / 2 + 1]) / 2
        printf "   speedup %.2f (%.2f-%.2f over %d pairs) at W = %d: %.1f%% of the ideal %d (n = %d; ", med, r[1], r[nm], nm, w, 100 * med / w, w, n
        for (i = 1; i <= ns; i++) { ss += s[i]; mm += m[i] }
        printf "serial %.3f s, ranks %.3f s on average)\n", ss / ns, mm / nm
    }' "$out/serial.csv" "$out/mpi.csv"

printf '2. the queue: 100000 jobs of n = 4 on W = %d, 3 runs each ...\n' "$pus" >&2
printf '   %-16s %12s %16s %22s\n' "program" "µs per job" "(min-max)" "W x that - serial's"
for p in serial threads procs mpi; do
    case $p in
    serial) run q-$p "$bin/parlab-serial" -q -j 100000 -n 4 -r 3 ;;
    mpi) run q-$p "$mpirun" -np "$pus" --bind-to core "$bin/parlab-mpi" -q -j 100000 -n 4 -r 3 ;;
    *) run q-$p "$bin/parlab-$p" -q -j 100000 -n 4 -r 3 -w "$pus" ;;
    esac
    set -- $(stat "$out/q-$p.csv")
    tally "$4" "$5" "$6"
    [ "$p" != serial ] || floor=$1
    awk -v p="parlab-$p" -v m="$1" -v lo="$2" -v hi="$3" -v s="$floor" -v w="$pus" 'BEGIN {
        printf "   %-16s %12.2f %10.2f-%.2f", p, m / 1e5 * 1e6, lo / 1e5 * 1e6, hi / 1e5 * 1e6
        if (p != "parlab-serial")
            printf " %15.2f", (w * m - s) / 1e5 * 1e6
        printf "\n"
    }'
done
# /proc/stat counts in ticks of 0.01 s: each run's two readings may be off by one per
# PU, so other programs' time below that is no evidence either way.
awk -v o="$other" -v w="$wall" -v n="$runs" -v p="$pus" 'BEGIN {
    noise = 2 * 0.01 * p * n
    if (o > noise && o / w > 0.1)
        printf "machine: busy: other programs used %.2f CPU-seconds per second over these runs; the figures above are not a clean measurement\n", o / w
    else
        printf "machine: otherwise idle: other programs used %.2f CPU-seconds per second over these runs (%.2f s in %.1f s, within /proc/stat'"'"'s rounding of %.2f s or under 0.1 per second)\n", o / w, o, w, noise
}'
