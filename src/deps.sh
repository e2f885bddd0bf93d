#!/bin/sh
# deps.sh - makes sure the packages the make goals need are installed.
#
#   sh src/deps.sh [GOAL...]
#
# GOALs are the Makefile's; none means plain `make`.  What each needs (Debian names):
#
#   any file                      pkg-config, libhwloc-dev, and a $CC (default cc) whose
#                                 -fopenmp works: gcc, which brings OpenMP's libgomp
#   all, install, bin/parlab-mpi  the above and Open MPI for parlab-mpi: openmpi-bin
#                                 (mpirun) and libopenmpi-dev (pkg-config's ompi-c)
#   run-all, plots, class, lab,   all's and gnuplot-nox, with its pngcairo terminal
#   check-labs
#   check-asan                    the above and check (check_figures draws the figures)
#   check-mpi-hosts               all's and slurm-wlm (slurmctld, slurmd and munge), which
#                                 check-mpi-hosts.sh starts for a single-node Slurm
#   check                         check-asan's and check-mpi-hosts'
#   check-valgrind                check-asan's and valgrind
#   fuzz, fuzz-short              any file's and clang with its libFuzzer (libclang-rt-dev)
#   compare, check-compare        run-all's and joblib and numba for Debian's Python 3
#                                 (python3-joblib, python3-numba: src/joblib-compare.py)
#   test, deps                    everything above (make check runs check-compare, which
#                                 skips itself without them; test installs them, so CI
#                                 runs it)
#   clean, help                   nothing
#
# Several goals need the union.  Prints nothing and exits 0 when everything is there.
# Otherwise installs what is missing with apt-get when run as root or with sudo
# (apt-get's progress goes to stderr), or prints one line on stdout naming exactly the
# packages these goals need and do not have, and exits 1.  The Makefile runs it with
# its goals before building and stops with that line, so `make run-all` and `make
# test` work on a fresh Debian or Ubuntu machine with a C compiler and make, and plain
# `make` asks for nothing that only the tests or the figures use.
set -u

goals="make${*:+ $*}"
[ $# -gt 0 ] || set -- all
build="" mpi="" check="" gnuplot="" slurm="" valgrind="" fuzz="" joblib=""
for goal in "$@"; do
    case $goal in
    clean | help) ;;
    all | install | bench-mpi | bench-simd | *parlab-mpi*) build=1 mpi=1 ;;
    run-all | plots | class | lab | check-labs) build=1 mpi=1 gnuplot=1 ;;
    check) build=1 mpi=1 check=1 gnuplot=1 slurm=1 ;;
    check-asan) build=1 mpi=1 check=1 gnuplot=1 ;;
    check-mpi-hosts) build=1 mpi=1 slurm=1 ;;
    build/tests/*) build=1 check=1 ;;
    check-valgrind) build=1 mpi=1 check=1 gnuplot=1 valgrind=1 ;;
    fuzz | fuzz-short | build/fuzz/*) build=1 fuzz=1 ;;
    compare | check-compare) build=1 mpi=1 gnuplot=1 joblib=1 ;;
    test | deps) build=1 mpi=1 check=1 gnuplot=1 slurm=1 valgrind=1 fuzz=1 joblib=1 ;;
    *) build=1 ;;
    esac
done

missing=""
need() { missing="$missing $1"; }
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1" 2>/dev/null; }
probe=${TMPDIR:-/tmp}/parlab-deps-probe.$$

if [ -n "$build" ]; then
    command -v pkg-config >/dev/null 2>&1 || need pkg-config
    have_pc hwloc || need libhwloc-dev
    # parlab-threads uses OpenMP; on Debian gcc brings libgomp.  (With another
    # compiler, set CC=gcc.)
    # shellcheck disable=SC2086 # CC may be a command with options, "ccache gcc"
    printf '#include <omp.h>\nint main(void) { return omp_get_max_threads() < 1; }\n' |
        ${CC:-cc} -fopenmp -x c -o "$probe" - >/dev/null 2>&1 || need gcc
    rm -f "$probe"
fi
if [ -n "$mpi" ]; then
    # Open MPI's own pkg-config name: the mpi*.pc ones are alternatives (maybe MPICH's)
    command -v mpirun >/dev/null 2>&1 || need openmpi-bin
    have_pc ompi-c || need libopenmpi-dev
fi
if [ -n "$check" ]; then
    have_pc check || need check
fi
if [ -n "$gnuplot" ]; then
    { command -v gnuplot >/dev/null 2>&1 && gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1; } ||
        need gnuplot-nox
fi
if [ -n "$slurm" ]; then
    # Only for the tests: nothing of Slurm starts by itself once installed.
    command -v slurmd >/dev/null 2>&1 || need slurm-wlm
fi
if [ -n "$valgrind" ]; then
    command -v valgrind >/dev/null 2>&1 || need valgrind
fi
if [ -n "$fuzz" ]; then
    command -v clang >/dev/null 2>&1 || need clang
    # libFuzzer: a program built with -fsanitize=fuzzer links only when it is there.
    printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n; }\n' |
        clang -fsanitize=fuzzer -x c -o "$probe" - >/dev/null 2>&1 || need libclang-rt-dev
    rm -f "$probe"
fi

if [ -n "$joblib" ]; then
    # Debian's own Python, not whatever python3 comes first in PATH (a pyenv or venv
    # without Debian's packages): the script runs with /usr/bin/python3.
    python=${PARLAB_PYTHON:-/usr/bin/python3}
    "$python" -c 'import joblib' >/dev/null 2>&1 || need python3-joblib
    "$python" -c 'import numba' >/dev/null 2>&1 || need python3-numba
fi

[ -z "$missing" ] && exit 0
missing=${missing# }

if ! command -v apt-get >/dev/null 2>&1; then
    echo "parlab: $goals needs these packages: $missing (Debian/Ubuntu names); install them with your package manager"
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
    sudo="sudo"
else
    echo "parlab: $goals needs these packages: $missing; install them with: sudo apt-get install $missing"
    exit 1
fi

echo "parlab: installing $missing for $goals" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # the package list is meant to split into words
if $sudo apt-get install -y -q --no-install-recommends $missing >&2; then
    exit 0
fi
# A fresh machine may have no package lists yet.
# shellcheck disable=SC2086
if $sudo apt-get update -q >&2 && $sudo apt-get install -y -q --no-install-recommends $missing >&2; then
    exit 0
fi
echo "parlab: $goals needs these packages: $missing; apt-get could not install them (its messages are above)"
exit 1
