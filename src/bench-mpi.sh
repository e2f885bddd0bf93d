#!/bin/sh
# bench-mpi.sh - what `make bench-mpi` runs: the MPI benchmarks of the README, on
# this machine, in one run, each figure with the CPU model and the machine's load.
#
#   1. ranks with the lock held at W = PUs against parlab-serial on the same jobs
#      (6 x PUs jobs of about 0.25 s, 5 counted runs each): the speedup, and how far
#      it is from the ideal W;
#   2. the per-job cost of each queue: 100000 jobs of one kernel step (n = 4) on W =
#      PUs workers, 3 counted runs each, for parlab-threads, parlab-procs and
#      parlab-mpi (ranks on this host), with parlab-serial as the floor: the wall time
#      per job, which is the queue, the job's records and its clocks.
#
# Each figure is the median of the counted runs (min and max beside it).  The
# programs' own `machine:` lines are kept in the log: a busy machine is said there and
# in the last line here.  Environment: PARLAB_BIN (../bin beside this script), MPIRUN
# (mpirun), OUT (a directory for the CSVs and the log; a new temporary one by default).
set -eu
here=$(dirname "$0")
bin=${PARLAB_BIN:-$here/../bin}
mpirun=${MPIRUN:-mpirun}
for p in parlab-serial parlab-threads parlab-procs parlab-mpi parlab-topo; do
    if [ ! -x "$bin/$p" ]; then
        echo "make bench-mpi: cannot run $bin/$p; run make first" >&2
        exit 1
    fi
done
if ! command -v "$mpirun" >/dev/null 2>&1; then
    echo "make bench-mpi: no $mpirun (Debian: openmpi-bin)" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then # Open MPI refuses root without both; never set for a user
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
fi
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/parlab-bench-mpi.XXXXXX")}
mkdir -p "$out"
log=$out/bench.log
pus=$(($("$bin/parlab-topo" --csv | wc -l) - 1))
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
[ -n "$cpu" ] || cpu=$(uname -m)
echo "make bench-mpi: $cpu, $pus PUs, load $(cut -d' ' -f1-3 /proc/loadavg); CSVs and log in $out" >&2

# run NAME COMMAND...: runs it with its rows in $out/NAME.csv, its output in the log.
run() {
    name=$1
    shift
    echo "== $*" >>"$log"
    if ! "$@" --runs-csv "$out/$name.csv" >>"$log" 2>&1; then
        echo "make bench-mpi: '$*' failed; its output is in $log" >&2
        tail -n 5 "$log" >&2
        exit 1
    fi
}

# stat FILE: "median min max busy" of wall_s over FILE's rows, busy being the most
# other_cpu_s per second of any run.
stat() {
    awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { w[++n] = $col["wall_s"]; o = $col["other_cpu_s"] / $col["wall_s"]; if (o > busy) busy = o }
        END {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
            printf "%.6f %.6f %.6f %.2f\n", n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2, w[1], w[n], busy
        }' "$1"
}

jobs=$((6 * pus))
printf '1. ranks with the lock held, W = %d, %d jobs of about 0.25 s, 5 runs each ...\n' "$pus" "$jobs" >&2
run serial "$bin/parlab-serial" -q -j "$jobs" -t 0.25 -r 5
n=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "size") c = i; next } { s = $c } END { print s }' "$out/serial.csv")
run mpi "$mpirun" -np "$pus" --bind-to core "$bin/parlab-mpi" -q -j "$jobs" -n "$n" -l held -r 5
set -- $(stat "$out/serial.csv")
serial=$1 serial_busy=$4
set -- $(stat "$out/mpi.csv")
awk -v s="$serial" -v m="$1" -v lo="$2" -v hi="$3" -v w="$pus" -v n="$n" 'BEGIN {
    printf "   serial %.3f s, mpi %.3f s (%.3f-%.3f): speedup %.2f at W = %d, %.1f%% of the ideal %d (n = %d)\n",
        s, m, lo, hi, s / m, w, 100 * s / m / w, w, n
}'
busy=$(awk -v a="$serial_busy" -v b="$4" 'BEGIN { print (a > b ? a : b) }')

printf '2. the queue: 100000 jobs of n = 4 on W = %d, 3 runs each ...\n' "$pus" >&2
printf '   %-16s %12s %22s\n' "program" "µs per job" "(min-max)"
for p in serial threads procs mpi; do
    case $p in
    serial) run q-$p "$bin/parlab-serial" -q -j 100000 -n 4 -r 3 ;;
    mpi) run q-$p "$mpirun" -np "$pus" --bind-to core "$bin/parlab-mpi" -q -j 100000 -n 4 -r 3 ;;
    *) run q-$p "$bin/parlab-$p" -q -j 100000 -n 4 -r 3 -w "$pus" ;;
    esac
    set -- $(stat "$out/q-$p.csv")
    busy=$(awk -v a="$busy" -v b="$4" 'BEGIN { print (a > b ? a : b) }')
    awk -v p="parlab-$p" -v m="$1" -v lo="$2" -v hi="$3" 'BEGIN {
        printf "   %-16s %12.2f %10.2f-%.2f\n", p, m / 1e5 * 1e6, lo / 1e5 * 1e6, hi / 1e5 * 1e6
    }'
done
awk -v b="$busy" 'BEGIN {
    if (b > 0.1)
        printf "machine: busy: other programs used up to %.2f CPU-seconds per second during a run; the figures above are not a clean measurement\n", b
    else
        printf "machine: quiet: other programs used at most %.2f CPU-seconds per second during any run\n", b
}'
