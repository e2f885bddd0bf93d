#!/bin/sh
# valgrind-wrap.sh - makes DIR/parlab-* wrappers that run the programs in BIN under
# valgrind's memcheck, so that every program a test starts (directly, from run-all.sh
# or from gnuplot) is checked.  A memory error or a definite leak makes the program
# exit 99, which the test then reports; details go to LOGDIR/<pid>.log.  The tests
# start hundreds of programs, and memcheck's start is most of each one's time: it
# does not read the inlined functions' names (--read-inline-info=no, a fifth less),
# so a report names the function they were inlined into, with the inlined code's own
# file and line; what is found is the same.
#
#   sh tests/valgrind-wrap.sh BIN DIR LOGDIR
set -eu
bin=$(cd "$1" && pwd)
dir=$2
logs=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir" "$logs"
logs=$(cd "$logs" && pwd)
for program in "$bin"/parlab-*; do
    name=$(basename "$program")
    cat >"$dir/$name" <<WRAPPER
#!/bin/sh
# hwloc's x86 backend refuses to work under valgrind, and says so on stderr.
HWLOC_COMPONENTS=-x86 exec valgrind --quiet --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite --read-inline-info=no \\
    --suppressions="$here/valgrind.supp" --log-file="$logs/$name.%p.log" \\
    "$program" "\$@"
WRAPPER
    chmod +x "$dir/$name"
done
