# bench-lib.sh - what the benchmark scripts (bench-mpi.sh, bench-simd.sh) share; sourced.
#
#   bench_start GOAL PROGRAM...   checks that each PROGRAM is in $bin, then sets out (OUT,
#                                 or a new temporary directory), log, pus and cpu, and
#                                 says on stderr what machine this is
#   run NAME COMMAND...           runs COMMAND with its rows in $out/NAME.csv and its
#                                 output in the log; a failure stops the benchmark
#
# Expects bin (the programs' directory) to be set.

bench_start() {
    bench_goal=$1
    shift
    for p in "$@"; do
        if [ ! -x "$bin/$p" ]; then
            echo "make $bench_goal: cannot run $bin/$p; run make first" >&2
            exit 1
        fi
    done
    out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/parlab-$bench_goal.XXXXXX")}
    mkdir -p "$out"
    log=$out/bench.log
    pus=$(($("$bin/parlab-topo" --csv | wc -l) - 1))
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    [ -n "$cpu" ] || cpu=$(uname -m)
    echo "make $bench_goal: $cpu, $pus PUs, load $(cut -d' ' -f1-3 /proc/loadavg);" \
        "CSVs and log in $out" >&2
}

run() {
    name=$1
    shift
    echo "== $*" >>"$log"
    if ! "$@" --runs-csv "$out/$name.csv" >>"$log" 2>&1; then
        echo "make $bench_goal: '$*' failed; its output is in $log" >&2
        tail -n 5 "$log" >&2
        exit 1
    fi
}
