#!/bin/sh
# deps.sh - makes sure the packages parlab builds with are installed.
#
#   sh src/deps.sh
#
# Checks for pkg-config, hwloc and Check (to build and test), gnuplot with its pngcairo
# terminal (to draw the figures), and valgrind, clang and its libFuzzer (for make
# test's memory checks and fuzzing).  Prints nothing and exits 0 when everything
# is there.  Otherwise installs what is
# missing with apt-get when run as root or with sudo (apt-get's progress goes to
# stderr), or prints one line naming the packages on stdout and exits 1.  The
# Makefile runs it before every build and stops with that line, so `make run-all` and
# `make test` work on a fresh Debian or Ubuntu machine with a C compiler and make.
set -u

missing=""
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1" 2>/dev/null; }

command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
have_pc hwloc || missing="$missing libhwloc-dev"
have_pc check || missing="$missing check"
{ command -v gnuplot >/dev/null 2>&1 && gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1; } ||
    missing="$missing gnuplot-nox"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
command -v clang >/dev/null 2>&1 || missing="$missing clang"
# libFuzzer: a program built with -fsanitize=fuzzer links only when it is there.
fuzz_probe=${TMPDIR:-/tmp}/parlab-fuzz-probe.$$
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n; }\n' |
    clang -fsanitize=fuzzer -x c -o "$fuzz_probe" - >/dev/null 2>&1; then
    missing="$missing libclang-rt-dev"
fi
rm -f "$fuzz_probe"

[ -z "$missing" ] && exit 0
missing=${missing# }

if ! command -v apt-get >/dev/null 2>&1; then
    echo "parlab needs these packages: $missing (Debian/Ubuntu names); install them with your package manager"
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
    sudo="sudo"
else
    echo "parlab needs these packages: $missing; install them with: sudo apt-get install $missing"
    exit 1
fi

echo "parlab: installing $missing" >&2
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
echo "parlab needs these packages: $missing; apt-get could not install them (its messages are above)"
exit 1
