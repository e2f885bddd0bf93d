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
# through `sbatch --wait`, with srun and then with mpirun, must write the rows.
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
daemons="" # the pid files of the daemons this run started

cleanup() {
    for ns in $made_ns; do
        # Every process still in the namespace is one of this run's (mpirun, orted, ranks).
        pids=$(ip netns pids "$ns" 2>/dev/null)
        # shellcheck disable=SC2086 # a list of pids
        [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    for pidfile in $daemons; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    # Give the daemons a moment to go, then make sure.
    for pidfile in $daemons; do
        n=0
        while [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [ $n -lt 20 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        [ -s "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null
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

# job_hosts JOBS_CSV RANKS_FILE: "job host" for each row of the jobs CSV, from its host
# column, or, without one, from the pid of the rank that ran it and RANKS_FILE's
# "pid host" lines that each rank wrote before it started parlab-mpi.
job_hosts() {
    awk -F, -v ranks="$2" '
        BEGIN { while ((getline line <ranks) > 0) { split(line, f, " "); host[f[1]] = f[2] } }
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { print $col["job"], ("host" in col) ? $col["host"] : host[$col["pid"]] }' "$1"
}

# check_rows WHAT DIR JOBS HOSTS: DIR's runs.csv has one row with every job right, and
# its jobs.csv each job once, run on each of HOSTS (a list) and nowhere else.
check_rows() {
    what=$1 dir=$2 jobs=$3 want_hosts=$4 before=$failed
    if [ ! -s "$dir/runs.csv" ] || [ ! -s "$dir/jobs.csv" ]; then
        fail "$what: no rows written"
        return
    fi
    row=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                   { print $col["jobs"], $col["jobs_ok"], $col["worker_kind"] }' "$dir/runs.csv")
    [ "$row" = "$jobs $jobs rank" ] || fail "$what: runs.csv says '$row', wanted '$jobs $jobs rank'"
    job_hosts "$dir/jobs.csv" "$dir/ranks" >"$dir/job-hosts"
    seen=$(awk '{ print $1 }' "$dir/job-hosts" | sort -n | uniq | tr '\n' ' ')
    want=$(seq 0 $((jobs - 1)) | tr '\n' ' ')
    { [ "$seen" = "$want" ] && [ "$(wc -l <"$dir/job-hosts")" = "$jobs" ]; } ||
        fail "$what: jobs.csv has jobs '${seen% }', wanted each of '${want% }' once"
    got=$(awk '{ print $2 }' "$dir/job-hosts" | sort -u | tr '\n' ' ')
    # shellcheck disable=SC2086 # a list of hosts
    want=$(printf '%s\n' $want_hosts | sort -u | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "$what: the jobs ran on hosts '${got% }', wanted '${want% }'"
    [ "$failed" != "$before" ] || passed=$((passed + 1))
}

# The rank's wrapper: notes "pid host" and becomes parlab-mpi (exec keeps the pid).
cat >"$tmp/rank" <<EOF
#!/bin/sh
echo "\$\$ \$(hostname)" >>"\$PARLAB_RANKS"
exec "$bin/parlab-mpi" "\$@"
EOF
chmod +x "$tmp/rank"

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
    d=$tmp/hosts-run
    mkdir -p "$d"
    : >"$d/ranks"
    # shellcheck disable=SC2086 # $limit is a command and its argument, or nothing
    OMPI_MCA_plm_rsh_agent=$tmp/agent OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include=$cidr OMPI_MCA_osc=pt2pt \
        OMPI_MCA_oob_tcp_if_include=$cidr OMPI_MCA_orte_tmpdir_base=$tmp \
        $limit ${limit:+20} "$tmp/on" "$hosta" mpirun -np 4 --hostfile "$tmp/hostfile" \
        --bind-to none -x PARLAB_RANKS="$d/ranks" "$tmp/rank" -j 12 -n 120 -r 1 -q \
        --runs-csv "$d/runs.csv" --jobs-csv "$d/jobs.csv" >"$d/out" 2>&1
    rc=$?
    if [ "$rc" != 0 ]; then
        tail -n 20 "$d/out"
        fail "two hosts: mpirun -np 4 over $hosta and $hostb exited $rc (its output above)"
        return
    fi
    head -n 1 "$d/jobs.csv" | tr ',' '\n' | grep -qx host ||
        echo "check-mpi-hosts: jobs.csv has no host column; the hosts come from each rank's pid"
    check_rows "two hosts" "$d" 12 "$hosta $hostb"
    for h in $hosta $hostb; do
        [ ! -e "/tmp/ompi.$h.$uid" ] || fail "two hosts: mpirun left /tmp/ompi.$h.$uid"
    done
}

two_hosts

if [ "$failed" != 0 ]; then
    echo "check-mpi-hosts: $failed FAILED, $passed passed, $skipped skipped"
    exit 1
fi
echo "check-mpi-hosts: $passed passed, $failed failed, $skipped skipped"
