#!/bin/sh
# check-deps.sh - src/deps.sh asks for exactly the packages each make goal needs.
#
#   sh tests/check-deps.sh
#
# Runs deps.sh with PATH set to a directory of fake commands, so nothing real is
# probed or installed: a fake `id` makes it a user without root (there is no sudo),
# a fake apt-get records what it was asked.  Each case compares the package list in
# deps.sh's one line, or apt-get's arguments, with the list the goal needs.  Prints
# one line per failing case and exits 1 if any failed.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
sh=$(command -v sh)
fake=$(mktemp -d "${TMPDIR:-/tmp}/parlab-check-deps.XXXXXX") || exit 1
trap 'rm -rf "$fake"' EXIT
mkdir "$fake/bin"
ln -s "$(command -v rm)" "$fake/bin/rm"

# tool NAME BODY: a fake command in the fake PATH.
tool() {
    printf '#!%s\n%s\n' "$sh" "$2" >"$fake/bin/$1"
    chmod +x "$fake/bin/$1"
}
tool id 'echo 1000'
tool apt-get "echo \"\$*\" >>'$fake/apt-get.log'; exit 0"
tool cc 'exit 0' # a compiler whose -fopenmp works

failed=0 cases=0
fail() {
    echo "check-deps: $*"
    failed=$((failed + 1))
}

# expect "GOALS" "PACKAGES": deps.sh, run for GOALS, stops with one line naming
# PACKAGES (or, for "", prints nothing and exits 0), and installs nothing.
expect() {
    cases=$((cases + 1))
    rm -f "$fake/apt-get.log"
    # shellcheck disable=SC2086 # GOALS are meant to split into words
    out=$(PATH="$fake/bin" CC=cc PARLAB_PYTHON="$fake/bin/python3" "$sh" "$here/src/deps.sh" $1 2>&1)
    status=$?
    lines=$(printf '%s\n' "$out" | grep -c .)
    got=$(printf '%s\n' "$out" | sed -n 's/.*needs these packages: \([^;(]*[^;( ]\).*/\1/p')
    if [ -z "$2" ]; then
        if [ "$status" != 0 ] || [ -n "$out" ]; then
            fail "make $1: wanted nothing, exit $status: $out"
        fi
    elif [ "$status" != 1 ] || [ "$lines" != 1 ] || [ "$got" != "$2" ]; then
        fail "make $1: wanted one line naming '$2', exit $status, $lines lines: $out"
    fi
    [ ! -e "$fake/apt-get.log" ] || fail "make $1: apt-get ran as a user without root"
}

# Nothing installed: no pkg-config, mpirun, gnuplot, valgrind or clang.
expect "" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev"
expect "all" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev"
expect "install" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev"
expect "bin/parlab-serial" "pkg-config libhwloc-dev"
expect "bin/parlab-mpi" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev"
expect "clean" ""
expect "help" ""
expect "run-all" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox"
expect "plots" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox"
expect "class" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox"
expect "lab" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox"
expect "check-labs" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox"
expect "check" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev check gnuplot-nox slurm-wlm"
expect "check-mpi-hosts" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev slurm-wlm"
expect "check-asan" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev check gnuplot-nox"
expect "build/tests/check_csv" "pkg-config libhwloc-dev check"
expect "check-valgrind" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev check gnuplot-nox valgrind"
expect "fuzz" "pkg-config libhwloc-dev clang libclang-rt-dev"
expect "fuzz-short" "pkg-config libhwloc-dev clang libclang-rt-dev"
expect "compare" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox python3-joblib python3-numba"
expect "check-compare" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox python3-joblib python3-numba"
all="pkg-config libhwloc-dev openmpi-bin libopenmpi-dev check gnuplot-nox slurm-wlm valgrind clang libclang-rt-dev python3-joblib python3-numba"
expect "test" "$all"
expect "deps" "$all"
expect "clean all" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev"
expect "plots fuzz" "pkg-config libhwloc-dev openmpi-bin libopenmpi-dev gnuplot-nox clang libclang-rt-dev"

# Some installed: pkg-config knows hwloc and Open MPI but not check, mpirun is there, gnuplot lacks pngcairo, clang
# has no libFuzzer, valgrind is there, slurmd is not (then is).
# shellcheck disable=SC2016 # the fakes' own "$1" and "$@"
tool pkg-config '[ "$1" = --exists ] && { [ "$2" = hwloc ] || [ "$2" = ompi-c ]; }'
tool mpirun 'exit 0'
tool gnuplot 'exit 1'
# shellcheck disable=SC2016
tool clang 'for a in "$@"; do [ "$a" = -fsanitize=fuzzer ] && exit 1; done; exit 0'
tool valgrind 'exit 0'
expect "" ""
expect "plots" "gnuplot-nox"
expect "compare" "gnuplot-nox python3-joblib python3-numba"
expect "check" "check gnuplot-nox slurm-wlm"
expect "check-valgrind" "check gnuplot-nox"
expect "fuzz" "libclang-rt-dev"
expect "test" "check gnuplot-nox slurm-wlm libclang-rt-dev python3-joblib python3-numba"
tool slurmd 'exit 0'
expect "check" "check gnuplot-nox"
expect "test" "check gnuplot-nox libclang-rt-dev python3-joblib python3-numba"
# Debian's Python with joblib but not numba: numba alone.
# shellcheck disable=SC2016
tool python3 'case "$2" in *numba*) exit 1 ;; esac; exit 0'
expect "compare" "gnuplot-nox python3-numba"
rm -f "$fake/bin/python3"

# A compiler whose -fopenmp does not work: gcc, which brings libgomp.
tool cc 'exit 1'
expect "all" "gcc"
tool cc 'exit 0'

# As root, deps.sh installs what is missing, and only that, with apt-get.
tool id 'echo 0'
rm -f "$fake/bin/pkg-config"
for goal in all check; do
    cases=$((cases + 1))
    rm -f "$fake/apt-get.log"
    PATH="$fake/bin" CC=cc PARLAB_PYTHON="$fake/bin/python3" "$sh" "$here/src/deps.sh" $goal >/dev/null 2>&1 ||
        fail "make $goal as root: deps.sh exited $?"
    case $goal in
    all) want="install -y -q --no-install-recommends pkg-config libhwloc-dev libopenmpi-dev" ;;
    check) want="install -y -q --no-install-recommends pkg-config libhwloc-dev libopenmpi-dev check gnuplot-nox" ;;
    esac
    got=$(cat "$fake/apt-get.log" 2>/dev/null)
    [ "$got" = "$want" ] || fail "make $goal as root: apt-get was asked '$got', wanted '$want'"
done

if [ "$failed" != 0 ]; then
    echo "check-deps: $failed of $cases cases FAILED"
    exit 1
fi
echo "check-deps: deps.sh asks for the right packages in all $cases cases"
