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
#      (--pin none is the sweep's W = 2, or a case of its own when MAX_WORKERS is 1)
#   4. the lessons after the notebook, on jobs of about 0.1 s (speedups are ratios,
#      and the lessons should not double run-all's time), after a serial run of such
#      jobs: threads with the lock held and handed over every 5 ms, as CPython's GIL
#      is; then Amdahl's law, threads with a serial fraction F = 0.1, 0.25 and 0.5 of
#      every job, for the sweep's W (F = 0 and 1 are the sweep's lock none and held)
#   5. what moving data costs: payloads of 1 KiB to 256 MiB in and out of every job,
#      for threads, procs with shared memory and procs with pipes (4 jobs on 2
#      workers of a smaller kernel, 2 counted runs each: the data is the point)
#   6. MPI ranks (parlab-mpi under Open MPI's mpirun), beside the cases above: ranks
#      with the lock held at the notebook's W and at every W of the sweep, each next
#      to the threads and procs of its W; and hybrid runs on 2 workers, 1 rank x 2
#      OpenMP threads against 2 ranks x 1 thread, with the lock none and held, next to
#      the notebook's cases (2 x 1 with the lock held is the sweep's W = 2).  Every mpirun runs --bind-to none (the procs they are
#      compared with are not bound either) and --oversubscribe (W beyond the slots
#      Open MPI counts, its cores).  Left out, with a line saying so, where mpirun or
#      parlab-mpi is missing, or with MPI=0.
#   7. the granularity sweep, into granularity.csv (runs.csv's columns, no jobs.csv or
#      slices.csv rows: a run of 1 us jobs has 100,000 of them): at W = PUs, lock none,
#      jobs of about 1 us to 100 ms in half-decade steps (n from the serial run's: a
#      job does C(n,4) steps, so the smallest n whose steps take at least the size),
#      each size's serial run right before its threads, procs (and MPI) runs, with as
#      many jobs as make the serial run last about 0.12 s (a multiple of W, at least
#      4 W); then parlab-overhead's queue cases at W = PUs, into overhead.csv (left out,
#      with a line, where bin/parlab-overhead is missing).  About 25 s to 1 min at the
#      default scale.
#   8. (run right after the lessons of 4.) the parallelism inside each core, on the
#      lessons' kernel size: parlab-serial --kernel simd, and parlab-threads lock none
#      with the scalar and the simd kernel at every W from 1 to PUs, on 2 x PUs jobs
#      (each W the fewest multiple of W not below that, and such a number of jobs a
#      scalar serial run of its own): speedups over the scalar serial run, to see
#      whether vectorising and threads multiply.  A few seconds.
#
# each with a line on stderr: the time it took and an estimate of the time left.  Then
# the figures (plots/draw.sh) and the report (parlab-report --markdown).  All of
# it is written into a new directory beside results/, which replaces results/ only
# when every step has succeeded: a failure leaves the old results/ as it was and
# names the case that failed.
#
# Environment: SCALE=default (jobs of 0.25 s, 3 counted runs) or SCALE=lecture (1 s,
# 5 runs, for figures to project); JOBS (12), WORKERS (3), JOB_SECONDS, REPS,
# MAX_WORKERS (the sweep's largest W, 2 x PUs), PAYLOADS (the payload sizes);
# MPI (1: the MPI cases, which fail the run where they cannot run; 0: none; unset:
# them where mpirun and parlab-mpi are found), MPIRUN (mpirun); GRANULARITY (1: the
# granularity sweep; 0: none), GRANULARITY_US (its job sizes in microseconds, "1 3 10
# 30 ... 100000"), GRANULARITY_RUN_S (its serial runs' length, 0.12); SIMD (1: the
# simd lesson, 8.; 0: none);
# RESULTS (results), PARLAB_BIN (../bin beside this script); RESUME=1 continues an
# interrupted run from its finished cases (kept in .RESULTS.partial beside
# RESULTS, with the settings they were run with).  Each is checked before
# anything runs: a bad one is named, and nothing is written.  OpenMP's and hwloc's
# variables are cleared, and named on stderr, so that libgomp's defaults and this
# machine's topology hold: the figures should not depend on what the shell happened to
# export (OMP_MAX_ACTIVE_LEVELS=0 or OMP_THREAD_LIMIT would fail the threads cases,
# OMP_PLACES or GOMP_CPU_AFFINITY move the threads, HWLOC_THISSYSTEM=0 stops pinning).
set -eu
cleared=""
for var in OMP_PROC_BIND OMP_PLACES OMP_WAIT_POLICY OMP_DYNAMIC OMP_THREAD_LIMIT \
    OMP_MAX_ACTIVE_LEVELS GOMP_SPINCOUNT GOMP_CPU_AFFINITY HWLOC_XMLFILE HWLOC_SYNTHETIC \
    HWLOC_FSROOT HWLOC_THISSYSTEM PARLAB_FAULT_BIND; do
    if eval "[ -n \"\${$var+set}\" ]"; then
        cleared="$cleared $var"
        unset "$var"
    fi
done

here=$(dirname "$0")
bin=${PARLAB_BIN:-$here/../bin}
results=${RESULTS:-results}

# bad NAME VALUE WHAT: the one line for a setting that is not WHAT, and exit 2.
bad() {
    echo "make run-all: $1 must be $3, not '$2'" >&2
    exit 2
}

# count NAME VALUE: VALUE, when it is a whole number of 1 or more (9 digits at most,
# for the shell's arithmetic); else bad.
count() {
    case $2 in
    "" | *[!0-9]* | 0* | ??????????*) bad "$1" "$2" "a whole number from 1 to 999999999" ;;
    esac
    echo "$2"
}

case ${SCALE:-default} in
default) job_seconds=${JOB_SECONDS:-0.25} reps=${REPS:-3} ;;
lecture) job_seconds=${JOB_SECONDS:-1} reps=${REPS:-5} ;;
*) bad SCALE "$SCALE" "default or lecture" ;;
esac
jobs=$(count JOBS "${JOBS:-12}") || exit 2
workers=$(count WORKERS "${WORKERS:-3}") || exit 2
reps=$(count REPS "$reps") || exit 2
[ -z "${MAX_WORKERS:-}" ] || count MAX_WORKERS "$MAX_WORKERS" >/dev/null || exit 2
awk -v t="$job_seconds" 'BEGIN { exit !(t ~ /^([0-9]+\.?[0-9]*|\.[0-9]+)$/ && t + 0 > 0) }' ||
    bad JOB_SECONDS "$job_seconds" "a number of seconds above 0"
case ${RESUME:-0} in
0 | 1) resume=${RESUME:-0} ;;
*) bad RESUME "$RESUME" "1 (continue an interrupted run) or 0" ;;
esac
case ${MPI-auto} in
auto | 0 | 1) mpi=${MPI-auto} ;;
*) bad MPI "$MPI" "1 (the MPI cases) or 0 (none)" ;;
esac
mpirun=${MPIRUN:-mpirun}
case ${GRANULARITY:-1} in
0 | 1) granularity=${GRANULARITY:-1} ;;
*) bad GRANULARITY "$GRANULARITY" "1 (the granularity sweep) or 0 (none)" ;;
esac
case ${SIMD:-1} in
0 | 1) simd=${SIMD:-1} ;;
*) bad SIMD "$SIMD" "1 (the simd lesson) or 0 (none)" ;;
esac
granularity_us=${GRANULARITY_US:-1 3 10 30 100 300 1000 3000 10000 30000 100000}
for us in $granularity_us; do
    count GRANULARITY_US "$us" >/dev/null || exit 2
done
[ -n "$granularity_us" ] || bad GRANULARITY_US "" "job sizes in microseconds, such as 1 10 100"
granularity_run_s=${GRANULARITY_RUN_S:-0.12}
awk -v t="$granularity_run_s" 'BEGIN { exit !(t ~ /^([0-9]+\.?[0-9]*|\.[0-9]+)$/ && t + 0 > 0) }' ||
    bad GRANULARITY_RUN_S "$granularity_run_s" "a number of seconds above 0"
payloads=${PAYLOADS:-1K 8K 64K 512K 4M 32M 256M}
for bytes in $payloads; do
    case ${bytes%[KMG]} in
    "" | *[!0-9]*) bad PAYLOADS "$bytes" "sizes in bytes such as 512, 64K, 4M or 1G" ;;
    esac
done
case /${results%"${results##*[!/]}"} in # its last name, trailing slashes aside
*/ | */. | */..)
    echo "make run-all: RESULTS must end in a directory's own name, not '$results'" \
        "(it is replaced as a whole)" >&2
    exit 2
    ;;
esac
results=${results%"${results##*[!/]}"}
if [ -e "$results" ] && [ ! -d "$results" ]; then
    echo "make run-all: RESULTS must name a directory, and '$results' is a file that is not one" >&2
    exit 2
fi
if [ ! -x "$bin/parlab-topo" ]; then
    echo "make run-all: cannot run $bin/parlab-topo; run make first" >&2
    exit 1
fi
# The MPI cases need Open MPI's mpirun and parlab-mpi.
mpi_missing=""
if [ "$mpi" != 0 ]; then
    command -v "$mpirun" >/dev/null 2>&1 || mpi_missing="no $mpirun (Open MPI's openmpi-bin)"
    [ -x "$bin/parlab-mpi" ] || mpi_missing="${mpi_missing:+$mpi_missing, }no $bin/parlab-mpi"
fi
if [ -n "$mpi_missing" ] && [ "$mpi" = 1 ]; then
    echo "make run-all: MPI=1, but there is $mpi_missing" >&2
    exit 1
fi
[ -n "$mpi_missing" ] && mpi=0
[ "$mpi" = 0 ] || mpi=1
# Open MPI refuses to run as root without these two; they are set for root alone.
if [ "$mpi" = 1 ] && [ "$(id -u)" = 0 ]; then
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
fi

# The lessons and the data cases run smaller kernels than the notebook's n.  A job does
# C(n,4) steps, about n^4 / 24, so its work goes as n^4:
lesson_n_factor=0.795 # 0.795^4 = 0.40: the lessons' jobs do 0.4 times the work, 0.1 s
#                       by default (a speedup is a ratio, and they should not double the time)
data_n_factor=0.55 # 0.55^4 = 0.09: the data cases' kernel, about 23 ms a job by default,
#                    small beside moving the larger payloads (0.05 to 0.8 s a job at 256 MiB)
#                    but long enough to time: the copy-cost figure's reference line
data_jobs=4 data_reps=2 data_workers=2 # the data is the point: few jobs and runs
pin_workers=2 # the pinning comparison: two workers, placed close together or spread

# What the progress lines' estimate of the time left assumes for a case before it runs:
# its jobs' kernel time shared by the workers that run at once, plus its payload moved
# at this rate (filling, copying and checking it; 1 to 4 GB/s on the development
# machine), plus a program's start.  The time the cases so far really took, against
# what this said for them, scales the rest: the estimate learns the machine as it goes.
copy_gbs=1.5
start_s=0.1
mpi_start_s=0.4 # mpirun starting and ending its ranks, on top
warmup_job_s=0.05 # a warm-up job's time at most: PLAN_WARMUP_JOB_SECONDS (include/parlab/plan.h)

# csv_last FILE COLUMN: the value of COLUMN in FILE's last row (fields may be quoted, as
# the programs quote them); fails when the file has no such column or no row.
csv_last() {
    awk -v want="$2" '
        function fields(line, f,   n, i, c, quoted, cur) {
            n = 0; cur = ""; quoted = 0
            for (i = 1; i <= length(line); i++) {
                c = substr(line, i, 1)
                if (quoted && c == "\"" && substr(line, i + 1, 1) == "\"") { cur = cur c; i++ }
                else if (c == "\"") quoted = !quoted
                else if (c == "," && !quoted) { f[++n] = cur; cur = "" }
                else cur = cur c
            }
            f[++n] = cur
            return n
        }
        NR == 1 { for (i = fields($0, head); i > 0; i--) if (head[i] == want) col = i; next }
        { last = $0 }
        END { if (!col || last == "") exit 1; fields(last, row); print row[col] }' "$1"
}

# scaled N FACTOR: the kernel size FACTOR times N, rounded down; or, for a FACTOR of
# t:SECONDS (the granularity sweep's), the smallest n whose C(n,4) steps take at least
# SECONDS, where N's take job_seconds (a job's time goes as its steps).
scaled() {
    awk -v n="$1" -v f="$2" -v s="$job_seconds" '
        function c4(m) { return m * (m - 1) * (m - 2) * (m - 3) / 24 }
        BEGIN {
            if (f !~ /^t:/) { printf "%d", n * f; exit }
            want = c4(n) * substr(f, 3) / s
            for (m = 4; c4(m) < want; m++)
                ;
            printf "%d", m
        }'
}

# about SECONDS: "40 s", "1 min 40 s", "12 min", rounded as an estimate should be (57.5
# s and more is "1 min").
about() {
    awk -v t="$1" 'BEGIN {
        s = t < 9.5 ? int(t + 0.5) : int((t + 2.5) / 5) * 5
        if (s < 60) printf "%d s", s
        else if (t < 600) { t = int((t + 5) / 10) * 10; printf "%d min %d s", t / 60, t % 60 }
        else printf "%d min", int(t / 60 + 0.5)
    }' | sed 's/ 0 s$//'
}

parent=$(dirname "$results")
name=$(basename "$results")
mkdir -p "$parent"
# A run-all killed outright (SIGKILL, a power cut) between the two renames that swap
# the new results in leaves results/ missing and the old one under its temporary
# name, with its pid: the next run puts it back before anything else.
if [ ! -e "$results" ]; then
    for left in "$parent/.$name.old."*; do
        if [ -d "$left" ] && ! kill -0 "${left##*.}" 2>/dev/null; then
            mv "$left" "$results"
            echo "make run-all: $results/ was missing, and a run-all stopped while it" \
                "replaced it had left it as $left: put back" >&2
            break
        fi
    done
fi
new=$(mktemp -d "$parent/.$name.new.XXXXXX")
# mktemp makes it 0700; results/ gets the mode of any directory the user makes.
chmod "$(printf '%o' $((0777 & ~$(umask))))" "$new"
old="$parent/.$name.old.$$"
# An interrupted run's finished cases wait here, with .plan (its cases and machine),
# .done (the cases finished, one label a line) and .size (the n its serial run chose).
partial="$parent/.$name.partial"

# Signals.  Ctrl-C reaches every process of the terminal's group, but `kill -TERM`
# to make reaches make, which hands it to this script alone (the recipe execs it):
# so each program runs as a child the script waits for, and a signal stops that
# child first (SIGTERM: parlab-procs then stops its workers), then removes the new
# directory.  Without stderr (`2>&1 | head`), SIGPIPE would end the script with
# nothing cleaned up: it stops the same way, silently.
# The trap may run inside in_child, whose stderr goes to the log: its message goes
# to the script's own stderr, kept as descriptor 3 (which the programs do not get).
exec 3>&2
child=""
midline="" # a progress line is waiting for its case's time
stop() { # STATUS [WORDS]: stop the child, say WORDS, exit STATUS (the EXIT trap cleans up)
    trap '' INT TERM HUP PIPE
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null || :
        wait "$child" 2>/dev/null || :
    fi
    # The finished cases are kept for RESUME=1 (a case cut short wrote nothing).
    kept_words=""
    if [ -s "$new/.done" ] && rm -rf "$partial" && mv "$new" "$partial" 2>/dev/null; then
        kept_words="; its $(wc -l <"$partial/.done") finished cases are kept, and"
        kept_words="$kept_words make run-all RESUME=1 continues from them"
    fi
    [ -z "${2:-}" ] || [ -z "$midline" ] || echo >&3 || :
    [ -z "${2:-}" ] || echo "make run-all: $2; $results/ is unchanged$kept_words" >&3 || :
    exit "$1"
}
trap 'rm -rf "$new"' EXIT
trap 'stop 130 interrupted' INT
trap 'stop 143 terminated' TERM
trap 'stop 129 "hung up"' HUP
trap 'stop 141' PIPE

# in_child COMMAND...: COMMAND's exit status, with COMMAND run as the child that a
# signal stops (above).
in_child() {
    "$@" 3>&- &
    child=$!
    in_child_status=0
    wait "$child" || in_child_status=$?
    child=""
    return "$in_child_status"
}

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
    [ "$pus" -gt "$most" ] || echo "$pus"
    echo "$most"
)
sweep=$(echo "$sweep" | sort -n -u)

# add KIND LABEL PROGRAM OPTIONS [JOBS]: one case, as a line LABEL|PROGRAM|OPTIONS|JOBS|REPS|
# FACTOR|SECONDS|CSV.  KIND decides its jobs, counted runs and kernel size (FACTOR times the
# n the serial run chooses): notebook, lesson or data; or granularity:SECONDS, jobs of
# about SECONDS each (FACTOR t:SECONDS, see scaled) whose rows go to granularity.csv and
# no jobs or slices CSV; JOBS, when given, its jobs instead.  CSV is the runs CSV its
# rows go to, runs.csv or granularity.csv.  SECONDS is what it should take
# on an idle machine, for the progress lines: its counted runs' jobs and its warm-up's
# (one per worker, of warmup_job_s at most) at the kernel's time, shared by the workers
# that run at once, plus the payload in and out of each job at copy_gbs.
add() {
    case $1 in
    notebook) add_jobs=$jobs add_reps=$reps add_factor=1 ;;
    lesson) add_jobs=$jobs add_reps=$reps add_factor=$lesson_n_factor ;;
    data) add_jobs=$data_jobs add_reps=$data_reps add_factor=$data_n_factor ;;
    granularity:*) add_jobs=$jobs add_reps=$reps add_factor=t:${1#granularity:} ;;
    esac
    add_csv=runs.csv
    case $1 in granularity:*) add_csv=granularity.csv ;; esac
    add_jobs=${5:-$add_jobs}
    echo "$4" | awk -v program="$3" -v jobs="$add_jobs" -v reps="$add_reps" -v f="$add_factor" \
        -v t="$job_seconds" -v pus="$pus" -v gbs="$copy_gbs" -v start="$start_s" \
        -v warm="$warmup_job_s" -v mpi_start="$mpi_start_s" -v csv="$add_csv" \
        -v line="$2|$3|$4|$add_jobs|$add_reps|$add_factor" '
        function bytes(s) { return s * (s ~ /K$/ ? 2^10 : s ~ /M$/ ? 2^20 : s ~ /G$/ ? 2^30 : 1) }
        {
            w = 1; per_rank = 1; serial = 0; payload = 0
            for (i = 1; i < NF; i++)
                if ($i == "-w") w = $(i + 1)
                else if ($i == "--threads") per_rank = $(i + 1)
                else if ($i == "--payload") payload = bytes($(i + 1))
                else if ($i == "-l" && $(i + 1) == "held") serial = 1
                else if ($i == "-l" && $(i + 1) ~ /^fraction:/) serial = substr($(i + 1), 10)
            at_once = w < pus ? w : pus
            if (program == "parlab-mpi" && serial == 1) # a lock per rank, its threads share it
                at_once = w / per_rank < pus ? w / per_rank : pus
            else if (program != "parlab-procs") # threads share one lock (each process has its own)
                at_once = 1 / (serial + (1 - serial) / at_once)
            if (program == "parlab-mpi")
                start += mpi_start
            job = f ~ /^t:/ ? substr(f, 3) : t * f^4; warm_job = job < warm ? job : warm; warm_jobs = jobs < w ? jobs : w
            move = 2 * payload / (gbs * 1e9)
            printf "%s|%.3f|%s\n", line, start + (reps * jobs * job + warm_jobs * warm_job) / at_once \
                + (reps * jobs + warm_jobs) * move, csv
        }'
}

# The cases, in the order they run.  The notebook's come first.
cases=$(
    add notebook "serial" parlab-serial "-t $job_seconds"
    add notebook "threads lock=none W=$workers" parlab-threads "-w $workers -l none"
    add notebook "threads lock=held W=$workers" parlab-threads "-w $workers -l held"
    add notebook "procs lock=held W=$workers" parlab-procs "-w $workers -l held"
    if [ "$mpi" = 1 ]; then
        add notebook "mpi lock=held W=$workers" parlab-mpi "-w $workers -l held"
        # Hybrid: the same 2 workers as 1 rank of 2 threads, which share its lock, and as
        # 2 ranks of 1 thread, each with a lock of its own: plain ranks, as the summary
        # counts them (runs.csv's ranks), so the lock held's is the sweep's W = 2 case
        # when the sweep has one.
        for lock in none held; do
            add notebook "mpi 1x2 lock=$lock" parlab-mpi "-w 2 --threads 2 -l $lock"
            if [ "$lock" = none ] || { [ "$workers" != 2 ] && ! echo "$sweep" | grep -qx 2; }; then
                add notebook "mpi 2x1 lock=$lock" parlab-mpi "-w 2 -l $lock"
            fi
        done
    fi
    # The sweep gives W workers a multiple of W jobs, the fewest not below JOBS (12
    # jobs on 8 workers are two rounds, and could never reach a speedup of 8: 16 can),
    # and such a number of jobs its own serial run to divide by, once.
    baselines=" $jobs "
    for w in $sweep; do
        if [ "$w" != "$workers" ]; then
            wj=$(((jobs + w - 1) / w * w))
            case $baselines in
            *" $wj "*) ;;
            *)
                add notebook "serial, $wj jobs" parlab-serial "" "$wj"
                baselines="$baselines$wj "
                ;;
            esac
            add notebook "threads lock=none W=$w" parlab-threads "-w $w -l none" "$wj"
            add notebook "threads lock=held W=$w" parlab-threads "-w $w -l held" "$wj"
            add notebook "procs lock=held W=$w" parlab-procs "-w $w -l held" "$wj"
            [ "$mpi" = 0 ] || add notebook "mpi lock=held W=$w" parlab-mpi "-w $w -l held" "$wj"
        fi
    done
    w=$pin_workers
    # as many jobs as the --pin none runs they are compared with: the notebook's, or
    # the sweep's for these workers
    wj=$jobs
    [ "$w" = "$workers" ] || wj=$(((jobs + w - 1) / w * w))
    if [ "$w" != "$workers" ] && ! echo "$sweep" | grep -qx "$w"; then
        # Neither the notebook's cases nor the sweep ran --pin none on these workers.
        case $baselines in
        *" $wj "*) ;;
        *) add notebook "serial, $wj jobs" parlab-serial "" "$wj" ;;
        esac
        add notebook "threads pin=none W=$w" parlab-threads "-w $w -l none" "$wj"
        add notebook "procs pin=none W=$w" parlab-procs "-w $w -l held" "$wj"
    fi
    for pin in close spread; do
        add notebook "threads pin=$pin W=$w" parlab-threads "-w $w -l none -p $pin" "$wj"
        add notebook "procs pin=$pin W=$w" parlab-procs "-w $w -l held -p $pin" "$wj"
    done
    # Right before the cases it is the baseline of: the machine's speed drifts by a few
    # percent over minutes, and a speedup divides by it.
    add lesson "serial, shorter jobs" parlab-serial ""
    add lesson "threads lock=held W=$workers switching" parlab-threads \
        "-w $workers -l held --switch-interval 5"
    for f in 0.1 0.25 0.5; do
        for w in $sweep; do
            add lesson "threads F=$f W=$w" parlab-threads "-w $w -l fraction:$f"
        done
    done
    # The simd lesson: speedups over the scalar serial run of the same jobs (each W a
    # multiple of W jobs, the fewest not below 2 x PUs: whole rounds, so that W
    # workers can reach W), the serial runs right before the runs that divide by them.
    if [ "$simd" = 1 ]; then
        simd_jobs=$((2 * pus))
        simd_baselines=" "
        w=1
        while [ "$w" -le "$pus" ]; do
            wj=$(((simd_jobs + w - 1) / w * w))
            case $simd_baselines in
            *" $wj "*) ;;
            *)
                add lesson "simd lesson: serial, $wj jobs" parlab-serial "" "$wj"
                simd_baselines="$simd_baselines$wj "
                ;;
            esac
            [ "$wj" != "$simd_jobs" ] || [ "$w" != 1 ] ||
                add lesson "simd lesson: serial --kernel simd" parlab-serial "--kernel simd" "$wj"
            add lesson "simd lesson: threads W=$w" parlab-threads "-w $w -l none" "$wj"
            add lesson "simd lesson: threads --kernel simd W=$w" parlab-threads \
                "-w $w -l none --kernel simd" "$wj"
            w=$((w + 1))
        done
    fi
    w=$data_workers
    for bytes in $payloads; do
        add data "threads payload=$bytes" parlab-threads "-w $w --payload $bytes"
        add data "procs payload=$bytes shm" parlab-procs "-w $w --payload $bytes --transport shm"
        add data "procs payload=$bytes pipe" parlab-procs "-w $w --payload $bytes --transport pipe"
    done
    # The granularity sweep at W = PUs: each size's serial run right before the runs
    # that divide by it (the machine drifts), all with the jobs that make it last
    # about granularity_run_s.
    if [ "$granularity" = 1 ]; then
        for us in $granularity_us; do
            t=$(awk -v us="$us" 'BEGIN { printf "%.6f", us / 1e6 }')
            gj=$(awk -v t="$t" -v run="$granularity_run_s" -v w="$pus" -v most=1000000 'BEGIN {
                j = int(run / t / w + 0.5) * w
                if (j < 4 * w) j = 4 * w
                if (j > most) j = int(most / w) * w
                print j
            }')
            add "granularity:$t" "granularity ${us} us: serial" parlab-serial "" "$gj"
            add "granularity:$t" "granularity ${us} us: threads W=$pus" parlab-threads \
                "-w $pus -l none" "$gj"
            add "granularity:$t" "granularity ${us} us: procs W=$pus" parlab-procs \
                "-w $pus -l none" "$gj"
            [ "$mpi" = 0 ] || add "granularity:$t" "granularity ${us} us: mpi W=$pus" \
                parlab-mpi "-w $pus -l none" "$gj"
        done
    fi
)
total=$(echo "$cases" | wc -l)
expected=$(echo "$cases" | awk -F'|' '{ s += $7 } END { print s }')

[ -z "$cleared" ] || echo "make run-all: cleared$cleared, so that libgomp's defaults" \
    "and this machine's topology hold" >&2
[ -z "$mpi_missing" ] || echo "make run-all: $mpi_missing: the MPI cases are left out" >&2
echo "make run-all: $jobs jobs per case, $reps counted runs each, $pus PUs," \
    "SCALE=${SCALE:-default}; about $(about "$expected")" >&2
n=0
size=""
done_expected=0
kept=0 # cases kept from an interrupted run
began=$(date +%s.%N)
echo "$cases" >"$new/.cases"
{ echo "$cases"; echo "host $(uname -n), $pus PUs, SCALE=${SCALE:-default}"; } >"$new/.plan"
if [ "$resume" = 1 ] && [ ! -d "$partial" ]; then
    echo "make run-all: RESUME=1, but no interrupted run is kept ($partial): starting afresh" >&2
elif [ "$resume" = 1 ]; then
    # The kept cases count only when they are this run's cases on this machine, and
    # when the runs CSV holds exactly their rows: a case whose program wrote its rows
    # just before the interrupt, and was not yet marked, counts as finished too.
    kept=$(wc -l <"$partial/.done" 2>/dev/null) || kept=0
    if ! cmp -s "$new/.plan" "$partial/.plan"; then
        echo "make run-all: RESUME=1, but the interrupted run in $partial had other settings" \
            "or another machine; run without RESUME=1 to start afresh" >&2
        exit 2
    fi
    # Each runs CSV (runs.csv, granularity.csv) against the rows its cases wrote.
    next_done=0
    for csv in runs.csv granularity.csv; do
        rows=$(($(wc -l <"$partial/$csv" 2>/dev/null || echo 1) - 1))
        kept_rows=$(head -n "$kept" "$new/.cases" |
            awk -F'|' -v csv="$csv" '$8 == csv { s += $5 } END { print s + 0 }')
        next_rows=$(sed -n "$((kept + 1))p" "$new/.cases" |
            awk -F'|' -v csv="$csv" '$8 == csv { s += $5 } END { print s + 0 }')
        if [ "$rows" -eq $((kept_rows + next_rows)) ] && [ "$next_rows" -gt 0 ]; then
            next_done=1
        elif [ "$rows" -ne "$kept_rows" ]; then
            echo "make run-all: RESUME=1, but the $csv in $partial holds $rows rows where its" \
                "$kept finished cases wrote $kept_rows; run without RESUME=1 to start afresh" >&2
            exit 2
        fi
    done
    if [ "$next_done" = 1 ]; then
        sed -n "$((kept + 1))p" "$new/.cases" | cut -d'|' -f1 >>"$partial/.done"
        kept=$((kept + 1))
    fi
    size=$(cat "$partial/.size" 2>/dev/null) || size=""
    cp "$new/.cases" "$partial/.cases"
    rm -rf "$new"
    mv "$partial" "$new"
    echo "make run-all: RESUME=1: continuing after the $kept cases an interrupted run finished" >&2
fi
while IFS='|' read -r label program options case_jobs case_reps factor seconds csv; do
    n=$((n + 1))
    if [ "$n" -le "$kept" ]; then
        printf '[%d/%d] %s ... kept from the interrupted run\n' "$n" "$total" "$label" >&2
        expected=$(awk -v a="$expected" -v b="$seconds" 'BEGIN { print a - b }')
        continue
    fi
    case_size=""
    if [ -n "$size" ]; then
        case_size=$(scaled "$size" "$factor")
    fi
    printf '[%d/%d] %s ... ' "$n" "$total" "$label" >&2
    midline=yes
    start=$(date +%s.%N)
    echo "== $program $options" >>"$log"
    set -- # the launcher: none, or mpirun starting W / T ranks (-w W, --threads T)
    if [ "$program" = parlab-mpi ]; then
        ranks=$(echo "$options" | awk '{
            w = 1; t = 1
            for (i = 1; i < NF; i++)
                if ($i == "-w") w = $(i + 1)
                else if ($i == "--threads") t = $(i + 1)
            print w / t
        }')
        # In a session of its own: Ctrl-C then reaches this script alone, whose one
        # SIGTERM mpirun answers by stopping its ranks (which run in process groups of
        # their own) before it exits; a second signal, the terminal's SIGINT and then
        # the script's, would make it exit at once and leave them running a while.
        set -- setsid "$mpirun" -np "$ranks" --oversubscribe --bind-to none
    fi
    # The granularity sweep's cases write their runs alone: no jobs or slices.
    [ "$csv" = runs.csv ] && set -- "$@" "$bin/$program" --jobs-csv "$new/jobs.csv" \
        --slices-csv "$new/slices.csv"
    [ "$csv" = runs.csv ] || set -- "$@" "$bin/$program"
    # shellcheck disable=SC2086 # options are words
    if ! in_child "$@" -q -j "$case_jobs" -r "$case_reps" ${case_size:+-n "$case_size"} \
        $options --runs-csv "$new/$csv" >>"$log" 2>&1; then
        echo "FAILED" >&2
        midline=""
        cp "$log" "$parent/$name.failed.log"
        echo "make run-all: case '$label' failed (exit status $in_child_status);" \
            "$results/ is unchanged. It said:" >&2
        sed -n '/^== '"$program $options"'$/,$p' "$log" | tail -n +2 | tail -n 5 >&2
        echo "(everything the programs printed is in $parent/$name.failed.log)" >&2
        exit 1
    fi
    # The time left: what the rest should take, scaled by how the cases so far compare
    # with what they should have taken.
    now=$(date +%s.%N)
    done_expected=$(awk -v a="$done_expected" -v b="$seconds" 'BEGIN { print a + b }')
    left=$(awk -v e="$expected" -v d="$done_expected" -v a="$began" -v b="$now" \
        'BEGIN { print (e - d) * (b - a) / d }')
    awk -v a="$start" -v b="$now" 'BEGIN { printf "%.1f s", b - a }' >&2
    if [ "$n" -lt "$total" ]; then echo " (about $(about "$left") left)" >&2; else echo >&2; fi
    midline=""
    echo "$label" >>"$new/.done"
    if [ -z "$size" ]; then
        # The serial run chose n for jobs of about $job_seconds s; its rows say which.
        size=$(csv_last "$new/runs.csv" size) || size=""
        case $size in
        "" | *[!0-9]*)
            echo "make run-all: cannot read the kernel size from the size column of" \
                "$new/runs.csv; $results/ is unchanged" >&2
            exit 1
            ;;
        esac
        echo "$size" >"$new/.size"
        sweep_words=""
        if [ "$granularity" = 1 ]; then
            first_us=${granularity_us%% *} last_us=${granularity_us##* }
            sweep_words=", the granularity sweep $(scaled "$size" "t:$(awk -v us="$first_us" \
                'BEGIN { printf "%.6f", us / 1e6 }')") to $(scaled "$size" "t:$(awk -v us="$last_us" \
                'BEGIN { printf "%.6f", us / 1e6 }')")"
        fi
        echo "      kernel size n = $size (jobs of about $job_seconds s here); the lessons use" \
            "$(scaled "$size" "$lesson_n_factor"), the data cases" \
            "$(scaled "$size" "$data_n_factor")$sweep_words" >&2
    fi
done <"$new/.cases"

# The per-job overheads the granularity figure's prediction needs: parlab-overhead's
# queue cases at W = PUs (a few seconds).  Run again on RESUME=1: its rows go in at once.
if [ "$granularity" = 1 ] && [ ! -x "$bin/parlab-overhead" ]; then
    echo "make run-all: no $bin/parlab-overhead: no overhead.csv, so the granularity" \
        "figure and report have no prediction" >&2
elif [ "$granularity" = 1 ]; then
    # mpi-ranks only where the MPI cases run (MPI=0, or no mpirun: without it, and as
    # root without Open MPI's root variables, which are set only for the MPI cases).
    overhead_cases=queue
    [ "$mpi" = 1 ] || overhead_cases=omp-dynamic1,omp-static,procs-counter,procs-pipe,fork-per-job
    printf 'overhead: queue cases W=%d ... ' "$pus" >&2
    midline=yes
    start=$(date +%s.%N)
    rm -f "$new/overhead.csv"
    echo "== parlab-overhead -q -w $pus --case $overhead_cases" >>"$log"
    if ! in_child "$bin/parlab-overhead" -q -w "$pus" --case "$overhead_cases" \
        --overhead-csv "$new/overhead.csv" >>"$log" 2>&1; then
        echo "FAILED" >&2
        midline=""
        cp "$log" "$parent/$name.failed.log"
        echo "make run-all: parlab-overhead failed (exit status $in_child_status);" \
            "$results/ is unchanged. It said:" >&2
        sed -n '/^== parlab-overhead/,$p' "$log" | tail -n +2 | tail -n 5 >&2
        exit 1
    fi
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s\n", b - a }' >&2
    midline=""
fi

echo "== plots/draw.sh" >>"$log"
if ! in_child env PARLAB_BIN="$bin" WORKERS="$workers" sh "$here/../plots/draw.sh" "$new" \
    2>>"$log"; then
    echo "make run-all: the figures failed; $results/ is unchanged. gnuplot said:" >&2
    sed -n '/^== plots/,$p' "$log" | tail -n +2 | tail -n 5 >&2
    exit 1
fi
if ! in_child "$bin/parlab-report" --runs-csv "$new/runs.csv" --workers "$workers" \
    --markdown >"$new/REPORT.md"; then
    echo "make run-all: the report failed; $results/ is unchanged" >&2
    exit 1
fi

# Everything succeeded: the new directory takes the old one's place, in two renames
# that a signal must not come between (it would leave no results/ at all).  They run
# in a subshell that ignores the signals, as its mv do; one that arrives meanwhile is
# noted here, acted on once both are done, and said as it is.
[ -f "$results/README.md" ] && cp "$results/README.md" "$new/README.md"
rm -f "$new/.cases" "$new/.plan" "$new/.done" "$new/.size"
caught=""
trap 'caught="130 interrupted"' INT
trap 'caught="143 terminated"' TERM
trap 'caught="129 hung up"' HUP
trap 'caught=141' PIPE
(
    trap '' INT TERM HUP
    if [ -d "$results" ]; then
        mv "$results" "$old"
    fi
    mv "$new" "$results" || { [ ! -d "$old" ] || mv "$old" "$results"; exit 1; }
)
trap - EXIT
rm -rf "$old" "$parent/$name.failed.log" "$partial"
if [ -n "$caught" ]; then
    [ "$caught" = 141 ] || echo "make run-all: ${caught#* } as the results were complete:" \
        "$results/ holds this run's" >&2 || :
    exit "${caught%% *}"
fi
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

echo >&2
"$bin/parlab-summary" --runs-csv "$results/runs.csv"
echo
echo "written: $results/REPORT.md, figures (png, svg), runs.csv, jobs.csv$([ "$granularity" = 0 ] || echo ", granularity.csv, overhead.csv") (columns in docs/csv.md), run-all.log"
