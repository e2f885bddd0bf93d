#!/bin/sh
# bench-simd.sh - what `make bench-simd` runs: the benchmarks of the simd kernel in
# the README (issue 16), on this machine, in one run, each figure with the CPU model
# and the machine's load.
#
#   1. bin/parlab-simd at the jobs' n: per variant, the square-root unit's peak (ns
#      per root), the simd and the scalar kernel's ns per step, and their ratios;
#   2. the same 4 x PUs jobs (n chosen for jobs of about 0.1 s with simd) run by
#      parlab-serial --kernel scalar, parlab-serial --kernel simd and parlab-threads
#      --kernel simd -w PUs, one counted run each, by turns (5 rounds: the speed of a
#      virtual machine drifts by several percent over tens of seconds, and each
#      round's ratios see the same drift in all three), and from the rounds:
#        simd serial's ns per step against the peak of its variant (target: within 10%),
#        simd's speedup over scalar against (scalar ns per step) / (peak ns per root),
#          the most vectorising could give,
#        simd threads' speedup over simd serial against min(W, PUs) = PUs (target:
#          within 3%);
#   3. when /usr/bin/python3 has numba: the notebook's numba kernel
#      (src/parlab_joblib.py) at the same n, best of 3 thread CPU times, in ns per
#      step beside parlab's.
#
# Each figure is a median over the rounds (min and max beside it).  Environment:
# PARLAB_BIN (../bin beside this script), OUT (a directory for the CSVs and the log;
# a new temporary one by default), PARLAB_KERNEL_ISA (the simd variant, as for every
# program; default the widest this CPU has).
set -eu
here=$(dirname "$0")
bin=${PARLAB_BIN:-$here/../bin}
. "$here/bench-lib.sh"
bench_start bench-simd parlab-serial parlab-threads parlab-simd parlab-topo

# column FILE NAME: the last row's field NAME.
column() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { v = $c } END { print v }' "$1"
}

run calibrate "$bin/parlab-serial" -q --kernel simd -j "$pus" -t 0.1 -r 1
n=$(column "$out/calibrate.csv" size)
isa=$(column "$out/calibrate.csv" isa)
jobs=$((4 * pus))
rounds=5

printf '1. the square-root unit and the kernels, per variant (parlab-simd -n %d; CPU time of one thread):\n' "$n" >&2
"$bin/parlab-simd" -n "$n" >"$out/simd.txt" 2>>"$log" || {
    echo "make bench-simd: 'parlab-simd -n $n' failed; its output is in $log" >&2
    exit 1
}
sed -n '/peak ns\/root/,$p' "$out/simd.txt" | sed 's/^/   /'
peak=$(awk -v isa="$isa" '$1 == isa { print $2 }' "$out/simd.txt")
if [ -z "$peak" ]; then
    echo "make bench-simd: parlab-simd has no row for $isa, the variant parlab-serial used" >&2
    exit 1
fi

printf '2. %d jobs of n = %d: parlab-serial scalar, parlab-serial simd, parlab-threads simd -w %d, %d rounds by turns ...\n' \
    "$jobs" "$n" "$pus" "$rounds" >&2
i=0
while [ "$i" -lt "$rounds" ]; do
    run scalar "$bin/parlab-serial" -q --kernel scalar -j "$jobs" -n "$n" -r 1
    run simd "$bin/parlab-serial" -q --kernel simd -j "$jobs" -n "$n" -r 1
    run threads "$bin/parlab-threads" -q --kernel simd -w "$pus" -j "$jobs" -n "$n" -r 1
    i=$((i + 1))
done
# The rounds: the i-th row of each file is the i-th round.
awk -F, -v dir="$out" -v w="$pus" -v n="$n" -v jobs="$jobs" -v peak="$peak" -v isa="$isa" '
    function median(a, k,   i, j, t) {
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        lo = a[1]; hi = a[k]
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { wall = $col["wall_s"]; other += $col["other_cpu_s"]; total += wall; runs++ }
    FILENAME ~ /scalar.csv$/ { sc[++ns] = wall; next }
    FILENAME ~ /simd.csv$/ { si[++nm] = wall; next }
    { th[++nt] = wall }
    END {
        steps = n * (n - 1) * (n - 2) * (n - 3) / 24 * jobs
        for (i = 1; i <= nm; i++) { a[i] = si[i] / steps * 1e9; b[i] = sc[i] / steps * 1e9 }
        simd = median(a, nm); slo = lo; shi = hi
        scalar = median(b, nm); clo = lo; chi = hi
        r = simd / peak
        printf "   simd serial: %.3f ns per step of wall time (%.3f-%.3f) with %s; the peak %.3f ns per root (CPU time): %.3f x the peak, %s\n", simd, slo, shi, isa, peak, r, (r <= 1.10 ? "within the 10% target" : "outside the 10% target")
        for (i = 1; i <= nm; i++) a[i] = sc[i] / si[i]
        up = median(a, nm); ulo = lo; uhi = hi
        most = scalar / peak
        printf "   simd over scalar: speedup %.2f (%.2f-%.2f over %d rounds; scalar %.3f ns per step); the most vectorising could give, scalar ns per step / peak ns per root = %.2f: %.0f%% of it\n", up, ulo, uhi, nm, scalar, most, 100 * up / most
        for (i = 1; i <= nm; i++) a[i] = si[i] / th[i]
        t = median(a, nm)
        printf "   simd threads at W = %d: speedup %.2f over simd serial (%.2f-%.2f), ideal min(W, PUs) = %d: %.1f%% of it, %s\n", w, t, lo, hi, w, 100 * t / w, (t >= 0.97 * w ? "within the 3% target" : "outside the 3% target")
        noise = 2 * 0.01 * w * runs
        if (other > noise && other / total > 0.1)
            printf "   machine: busy: other programs used %.2f CPU-seconds per second over these runs; the figures above are not a clean measurement\n", other / total
        else
            printf "   machine: otherwise idle: other programs used %.2f CPU-seconds per second over these runs (%.2f s in %.1f s, within /proc/stat'"'"'s rounding of %.2f s or under 0.1 per second)\n", other / total, other, total, noise
        printf "%.6f\n", simd >(dir "/simd_ns")
    }' "$out/scalar.csv" "$out/simd.csv" "$out/threads.csv"
simd_ns=$(cat "$out/simd_ns")

if /usr/bin/python3 -c 'import numba' 2>/dev/null; then
    printf '3. the notebook'"'"'s numba kernel at n = %d (best of 3 thread CPU times) ...\n' "$n" >&2
    NUMBA_CACHE_DIR=$out/numba-cache /usr/bin/python3 - "$here" "$n" "$simd_ns" "$isa" <<'PY' || exit 1
import sys, time
sys.path.insert(0, sys.argv[1])
import parlab_joblib as pj
n, simd, isa = int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
pj.wait_loop_nogil(4)  # compiled or loaded from the cache before timing
best = None
for _ in range(3):
    t0 = time.thread_time()
    r = pj.wait_loop_nogil(n)
    t = time.thread_time() - t0
    if not pj.result_ok(r, pj.closed_form(n)):
        sys.exit("make bench-simd: the numba kernel's result %r is not the closed form's" % r)
    best = t if best is None or t < best else best
ns = best * 1e9 / pj.steps(n)
print("   numba: %.3f ns per step; parlab-serial --kernel simd (%s): %.3f ns per step, %.2f x as fast"
      % (ns, isa, simd, ns / simd))
PY
else
    echo "3. the numba comparison skipped: /usr/bin/python3 has no numba (Debian: python3-numba; make compare installs it)"
fi
