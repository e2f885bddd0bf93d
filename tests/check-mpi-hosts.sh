#!/bin/sh
# check-mpi-hosts.sh - parlab-mpi over two hosts and under Slurm, on one machine.
#
#   PARLAB_BIN=$PWD/bin sh tests/check-mpi-hosts.sh
#
# Two hosts: two network namespaces joined by a veth pair (addresses of a private /24
# that exists only inside them), each "host" with its own hostname and hosts file
# (unshare --uts --mount).  mpirun runs on the first and starts the second's ranks
# through an rsh agent that enters that namespace with a clean environment, as sshd
# would.  `mpirun -np 4` (2 ranks a host) must run every job once, on both hosts, and
# write the rows.  Slurm: munged, slurmctld and slurmd started here with a generated
# slurm.conf (this host as the one node, ports of its own), docs/slurm/parlab-mpi.sbatch
# through sbatch (its job's state asked until it ends), with srun and then with mpirun,
# must write the rows.
#
# Everything it starts (namespaces, daemons, processes, directories) it ends and
# removes on every way out, by the names and pid files it made.  Needs root, `ip
# netns`, unshare and mpirun for the first part, slurmd for the second; where they
# are missing, each part skips itself with a message, counted as skipped.  Skips
# itself under the sanitizers and valgrind (PARLAB_SANITIZED, PARLAB_UNDER_VALGRIND):
# check_mpi runs parlab-mpi there on one host.  Prints one line per failure and a last
# line with the counts; exits 1 if anything failed.
set -u

if [ -n "${PARLAB_SANITIZED:-}${PARLAB_UNDER_VALGRIND:-}" ]; then
    echo "check-mpi-hosts: skipped under the sanitizers and valgrind (the plain make check runs it)"
    exit 0
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${PARLAB_BIN:-$here/bin}" && pwd) || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlab-check-mpi-hosts.XXXXXX") || exit 1
chmod 755 "$tmp" # slurmd's jobs and munged read below it
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout"

failed=0 passed=0 skipped=0
fail() {
    echo "check-mpi-hosts: $*"
    failed=$((failed + 1))
}
skip() {
    echo "check-mpi-hosts: skipped: $*"
    skipped=$((skipped + 1))
}

# Names of this run's own: two runs at once must not share a namespace or a host name.
id=$$
nsa=parlab-a-$id nsb=parlab-b-$id
hosta=pla-$id hostb=plb-$id
net=10.231.7
cidr=$net.0/24
uid=$(id -u)
made_ns=""
conf=""
daemons="" # the pid files of the daemons this run started

cleanup() {
    for ns in $made_ns; do
        # Every process still in the namespace is one of this run's (mpirun, orted, ranks).
        pids=$(ip netns pids "$ns" 2>/dev/null)
        # shellcheck disable=SC2086 # a list of pids
        [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    # A batch job still running (not ended in 30 s): cancelled while slurmctld is there.
    if [ -n "${conf:-}" ] && [ -s "$tmp/slurm/slurmctld.pid" ]; then
        scancel --quiet --partition=parlab 2>/dev/null
        n=0
        while [ -n "$(squeue -h -o %i 2>/dev/null)" ] && [ $n -lt 30 ]; do
            sleep 0.1
            n=$((n + 1))
        done
    fi
    for pidfile in $daemons; do
        pid=$(cat "$pidfile" 2>/dev/null) && kill "$pid" 2>/dev/null
    done
    # Give the daemons a moment to go, then make sure.
    for pidfile in $daemons; do
        n=0
        while pid=$(cat "$pidfile" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && [ $n -lt 20 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        pid=$(cat "$pidfile" 2>/dev/null) && kill -KILL "$pid" 2>/dev/null
    done
    # Open MPI's session directories, if a rank did not get to remove its own.
    for h in $hosta $hostb; do
        rm -rf "/tmp/ompi.$h.$uid"
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# As root Open MPI wants both variables; never set them for a user.
[ "$uid" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# job_hosts JOBS_CSV RANKS_FILE: "run job host" for each row of the jobs CSV, from its
# host column, or, without one, from the pid of the rank that ran it and RANKS_FILE's
# "pid host" lines that each rank wrote before it started parlab-mpi.
job_hosts() {
    awk -F, -v ranks="$2" '
        BEGIN { while ((getline line <ranks) > 0) { split(line, f, " "); host[f[1]] = f[2] } }
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { print $col["run_id"], $col["job"], ("host" in col) ? $col["host"] : host[$col["pid"]] }' "$1"
}

# check_rows WHAT DIR RUNS JOBS HOSTS: DIR's runs.csv has RUNS rows of JOBS jobs each,
# all right, and its jobs.csv each job of each run once, run on each of HOSTS (a list)
# and nowhere else.
check_rows() {
    what=$1 dir=$2 runs=$3 jobs=$4 want_hosts=$5 before=$failed
    if [ ! -s "$dir/runs.csv" ] || [ ! -s "$dir/jobs.csv" ]; then
        fail "$what: no rows written"
        return
    fi
    rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                    { print $col["jobs"], $col["jobs_ok"], $col["worker_kind"] }' "$dir/runs.csv" |
        sort | uniq -c | awk '{ $1 = $1; print }')
    [ "$rows" = "$runs $jobs $jobs rank" ] ||
        fail "$what: runs.csv has '$rows', wanted $runs rows of '$jobs $jobs rank'"
    job_hosts "$dir/jobs.csv" "$dir/ranks" >"$dir/job-hosts"
    want=$(seq 0 $((jobs - 1)) | tr '\n' ' ')
    awk -F, 'NR > 1 { print $1 }' "$dir/runs.csv" >"$dir/run-ids"
    while read -r run; do
        seen=$(awk -v run="$run" '$1 == run { print $2 }' "$dir/job-hosts" | sort -n | tr '\n' ' ')
        [ "$seen" = "$want" ] || fail "$what: run $run has jobs '${seen% }', wanted each of '${want% }' once"
    done <"$dir/run-ids"
    [ "$(wc -l <"$dir/job-hosts")" = $((runs * jobs)) ] ||
        fail "$what: jobs.csv has $(wc -l <"$dir/job-hosts") rows, wanted $((runs * jobs))"
    got=$(awk '{ print $3 }' "$dir/job-hosts" | sort -u | tr '\n' ' ')
    # shellcheck disable=SC2086 # a list of hosts
    want=$(printf '%s\n' $want_hosts | sort -u | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "$what: the jobs ran on hosts '${got% }', wanted '${want% }'"
    [ "$failed" != "$before" ] || passed=$((passed + 1))
}

# The ranks' parlab-mpi, a wrapper: notes "pid host" in $PARLAB_RANKS and becomes the
# build's parlab-mpi (exec keeps the pid).
mkdir "$tmp/bin"
cat >"$tmp/bin/parlab-mpi" <<EOF
#!/bin/sh
echo "\$\$ \$(hostname)" >>"\$PARLAB_RANKS"
exec "$bin/parlab-mpi" "\$@"
EOF
chmod +x "$tmp/bin/parlab-mpi"

# ---- Two hosts: network namespaces, mpirun through an rsh agent ----

two_hosts() {
    command -v mpirun >/dev/null 2>&1 || { skip "two hosts: no mpirun"; return; }
    [ "$uid" = 0 ] || { skip "two hosts: needs root (network namespaces)"; return; }
    command -v unshare >/dev/null 2>&1 || { skip "two hosts: no unshare"; return; }
    if ! ip netns add "$nsa" 2>"$tmp/netns.err"; then
        skip "two hosts: no network namespaces here ($(head -n 1 "$tmp/netns.err"))"
        return
    fi
    made_ns=$nsa
    # The veth pair is made in the namespaces: its names never meet another run's.
    if ! { ip netns add "$nsb" && made_ns="$nsa $nsb" &&
        ip link add veth-a netns "$nsa" type veth peer name veth-b netns "$nsb" &&
        ip -n "$nsa" addr add "$net.1/24" dev veth-a &&
        ip -n "$nsb" addr add "$net.2/24" dev veth-b &&
        ip -n "$nsa" link set lo up && ip -n "$nsb" link set lo up &&
        ip -n "$nsa" link set veth-a up && ip -n "$nsb" link set veth-b up; } 2>"$tmp/netns.err"; then
        skip "two hosts: cannot join the namespaces ($(head -n 1 "$tmp/netns.err"))"
        return
    fi
    printf '127.0.0.1 localhost\n%s.1 %s\n%s.2 %s\n' "$net" "$hosta" "$net" "$hostb" >"$tmp/hosts"
    printf '%s slots=2\n%s slots=2\n' "$hosta" "$hostb" >"$tmp/hostfile"

    # on HOST COMMAND...: runs COMMAND "on" HOST: in its namespace, with its hostname
    # and hosts file.
    cat >"$tmp/on" <<EOF
#!/bin/sh
case \$1 in
$hosta) ns=$nsa ;;
$hostb) ns=$nsb ;;
*) echo "on: no host '\$1'" >&2; exit 255 ;;
esac
host=\$1
shift
exec ip netns exec "\$ns" unshare --uts --mount --propagation private \\
    sh -c 'hostname "\$0" && mount --bind "$tmp/hosts" /etc/hosts && exec "\$@"' "\$host" "\$@"
EOF
    # The rsh agent, called as ssh would be: [options] HOST COMMAND; runs COMMAND with
    # sh on HOST in a clean environment, as sshd would.
    cat >"$tmp/agent" <<EOF
#!/bin/sh
while [ \$# -gt 0 ]; do
    case \$1 in
    -*) shift ;;
    *) break ;;
    esac
done
host=\$1
shift
exec "$tmp/on" "\$host" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root sh -c "\$*"
EOF
    chmod +x "$tmp/on" "$tmp/agent"

    # mpirun on the first host: both hosts' ranks talk over TCP on the /24 alone.
    # Jobs of n = 120 (about 25 ms each): rank 0 answers the other host's takes of the
    # queue only between its own jobs, so with shorter ones the first host's two ranks
    # could run them all before the second host's first take is answered.
    # OMPI_MCA_orte_tmpdir_base keeps the session directories in $tmp.
    # hosts_run DIR ARGS...: that run, its files in DIR; 1 when mpirun failed.
    hosts_run() {
        d=$1
        shift
        mkdir -p "$d"
        : >"$d/ranks"
        # shellcheck disable=SC2086 # $limit is a command and its argument, or nothing
        OMPI_MCA_plm_rsh_agent=$tmp/agent OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include=$cidr OMPI_MCA_osc=pt2pt \
            OMPI_MCA_oob_tcp_if_include=$cidr OMPI_MCA_orte_tmpdir_base=$tmp \
            $limit ${limit:+20} "$tmp/on" "$hosta" mpirun -np 4 --hostfile "$tmp/hostfile" \
            --bind-to none -x PARLAB_RANKS="$d/ranks" "$tmp/bin/parlab-mpi" -j 12 -n 120 -r 1 -q \
            --runs-csv "$d/runs.csv" --jobs-csv "$d/jobs.csv" "$@" >"$d/out" 2>&1
        rc=$?
        [ "$rc" = 0 ] && return 0
        tail -n 20 "$d/out"
        fail "two hosts: mpirun -np 4 over $hosta and $hostb $* exited $rc (its output above)"
        return 1
    }
    hosts_run "$tmp/hosts-run" || return
    head -n 1 "$d/jobs.csv" | tr ',' '\n' | grep -qx host ||
        echo "check-mpi-hosts: jobs.csv has no host column; the hosts come from each rank's pid"
    check_rows "two hosts" "$d" 1 12 "$hosta $hostb"
    # A payload between the hosts: every output checked at rank 0 (jobs_ok), 2 x 64 KiB
    # moved for each job of ranks 1 to 3 and nothing for rank 0's.
    hosts_run "$tmp/hosts-payload" --payload 64K || return
    check_rows "two hosts, --payload 64K" "$d" 1 12 "$hosta $hostb"
    moved=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                     { want = $col["rank"] == 0 ? 0 : 131072; bad += $col["bytes_copied"] != want
                       other += $col["rank"] != 0 }
                     END { print bad + 0, other + 0 }' "$d/jobs.csv")
    [ "${moved% *}" = 0 ] && [ "${moved#* }" -gt 0 ] ||
        fail "two hosts, --payload 64K: $moved (rows whose bytes_copied is not 2 x 64 KiB for ranks 1 to 3 and 0 for rank 0, rows of ranks 1 to 3)"
    for h in $hosta $hostb; do
        [ ! -e "/tmp/ompi.$h.$uid" ] || fail "two hosts: mpirun left /tmp/ompi.$h.$uid"
    done
}

# ---- Slurm on this one node: munged, slurmctld and slurmd of this run's own ----

# port_free PORT: nothing listens on TCP PORT here.
port_free() {
    ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# slurm_start: munged on a socket of its own, slurmctld and slurmd on ports of their
# own, state, spool and PMIx's directories under $tmp/slurm, job ids from this run's
# pid; sets $conf.  Returns 1 with $why set when one
# cannot start.
slurm_start() {
    s=$tmp/slurm
    mkdir -p "$s/state" "$s/spool" "$s/munge" "$s/tmp"
    chown munge:munge "$s/munge" 2>/dev/null
    chmod 755 "$s/munge"
    if ! runuser -u munge -- munged --socket="$s/munge/socket" --pid-file="$s/munge/pid" \
        --log-file="$s/munge/log" --seed-file="$s/munge/seed" 2>"$s/munged.err"; then
        why="munged did not start: $(head -n 1 "$s/munged.err")"
        return 1
    fi
    daemons="$s/munge/pid"
    # Two ports from this run's pid, the next free ones if taken.
    port=$((20000 + (id % 10000) * 2))
    while ! port_free "$port" || ! port_free $((port + 1)); do port=$((port + 2)); done
    node=$(hostname -s)
    cpus=$(slurmd -C | sed -n 's/^NodeName=[^ ]* \(CPUs=.*\) RealMemory=.*/\1/p')
    conf=$s/slurm.conf
    cat >"$conf" <<CONF
ClusterName=parlab$id
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$s/munge/socket
CredType=cred/munge
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool/%n
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
FirstJobId=$((id * 10))
TmpFS=$s/tmp
ReturnToService=2
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 $cpus State=UNKNOWN
PartitionName=parlab Nodes=$node Default=YES MaxTime=10 State=UP
CONF
    export SLURM_CONF="$conf"
    if ! slurmctld -f "$conf" 2>"$s/slurmctld.err"; then
        why="slurmctld did not start: $(head -n 1 "$s/slurmctld.err")"
        return 1
    fi
    daemons="$daemons $s/slurmctld.pid"
    if ! slurmd -f "$conf" 2>"$s/slurmd.err"; then
        why="slurmd did not start: $(head -n 1 "$s/slurmd.err")"
        return 1
    fi
    daemons="$daemons $s/slurmd.pid"
    # The node is up when sinfo says idle.
    n=0
    until [ "$(sinfo -h -n "$node" -o %t 2>/dev/null)" = idle ]; do
        n=$((n + 1))
        if [ $n -gt 100 ]; then
            why="the node did not come up in 10 s: $(tail -n 1 "$s/slurmctld.log")"
            return 1
        fi
        sleep 0.1
    done
}

# slurm_up: starts this run's Slurm where it can, or sets $slurm_why to why not.  It
# runs before the two hosts' test: slurmctld schedules no job until about 3 s after it
# started, which that test's mpirun then fills.
slurm_up() {
    slurm_why=""
    command -v mpirun >/dev/null 2>&1 || { slurm_why="no mpirun"; return; }
    if ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
        slurm_why="no slurmd or munged (Debian's slurm-wlm)"
        return
    fi
    [ "$uid" = 0 ] || { slurm_why="needs root (slurmd)"; return; }
    why=""
    slurm_start || slurm_why=$why
}

slurm() {
    [ -z "$slurm_why" ] || { skip "slurm: $slurm_why"; return; }
    # The README's batch script, as a user would submit it, on 2 tasks (1 on one CPU).
    d=$tmp/slurm-run
    mkdir -p "$d"
    : >"$d/ranks"
    tasks=2
    [ "$(nproc)" -ge 2 ] || tasks=1
    # Submitted, then waited for here: `sbatch --wait` asks for the job's state 2 s and
    # then 8 s after submitting it (slurm 22.05), which was most of this test's time
    # for a job of about 2 s; scontrol is asked every 0.2 s instead, for at most 30 s.
    # shellcheck disable=SC2086 # $limit is a command and its argument, or nothing
    (cd "$d" && PARLAB_BIN=$tmp/bin PARLAB_RANKS=$d/ranks $limit ${limit:+30} sbatch \
        --parsable --ntasks=$tasks --output="$d/out" "$here/docs/slurm/parlab-mpi.sbatch" \
        "$d/runs.csv" "$d/jobs.csv" -j 12 -n 40 -r 1 -q) >"$d/sbatch" 2>"$d/sbatch.err"
    rc=$?
    job=$(sed -n '1{s/;.*//;p;}' "$d/sbatch") # --parsable: "JOBID[;CLUSTER]"
    case $rc:$job in
    0:*[!0-9]* | 0:) rc="0 without a job id" ;;
    esac
    if [ "$rc" != 0 ]; then
        cat "$d/sbatch" "$d/sbatch.err"
        fail "slurm: sbatch docs/slurm/parlab-mpi.sbatch exited $rc (its output above)"
        return
    fi
    end=$(($(date +%s) + 30))
    while :; do
        info=$(scontrol -o show job "$job" 2>&1)
        state=$(echo "$info" | sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p')
        case $state in
        PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED | '') ;;
        *) break ;;
        esac
        if [ "$(date +%s)" -ge "$end" ]; then
            tail -n 20 "$d/out" 2>/dev/null
            fail "slurm: job $job still ${state:-unknown} 30 s after sbatch: $info"
            return
        fi
        sleep 0.2
    done
    code=$(echo "$info" | sed -n 's/.* ExitCode=\([0-9]*:[0-9]*\).*/\1/p')
    if [ "$state" != COMPLETED ] || [ "$code" != 0:0 ]; then
        tail -n 20 "$d/out"
        fail "slurm: docs/slurm/parlab-mpi.sbatch's job ended $state, exit code $code (status:signal; its output above)"
        return
    fi
    before=$failed
    check_rows "slurm (srun, then mpirun)" "$d" 2 12 "$(hostname -s)"
    [ "$failed" = "$before" ] || sed 's/^/check-mpi-hosts: slurm: the batch said: /' "$d/out"
}

slurm_up
two_hosts
slurm

if [ "$failed" != 0 ]; then
    echo "check-mpi-hosts: $failed FAILED, $passed passed, $skipped skipped"
    exit 1
fi
echo "check-mpi-hosts: $passed passed, $failed failed, $skipped skipped"
