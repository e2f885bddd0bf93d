#!/usr/bin/python3
"""joblib-compare.py - the notebook's joblib cases, measured beside parlab's.

The lecture's notebook runs 12 jobs of its numba kernel on 3 workers with joblib:
threads that release the GIL, threads that hold it, and processes, and reads wall
time against the parent's CPU time.  This script runs those cases (and loky, joblib's
default process backend) on the same machine as parlab, with parlab's kernel
accumulation, so that every job's result is checked against the closed form, and
writes its runs in parlab's runs.csv schema: parlab-summary, parlab-report and the
figures then show joblib beside parlab.  Also the granularity sweep (speedup against
job size, one job per task) and joblib's per-task cost by the EPCC method.

    /usr/bin/python3 src/joblib-compare.py [-d DIR] [-n N] [-j JOBS] [-w W] [-r R] ...

make compare runs it on $RESULTS and redraws the figures and the report.  Options:
--help; docs/compare.md says what each case is and how to read the rows.
"""
import argparse
import datetime
import fcntl
import math
import os
import resource
import signal
import socket
import statistics
import sys
import time

VERSION = "0.1.0"  # parlab's (Makefile VERSION)
PROG = "joblib-compare"

RUNS_HEADER = ("run_id,program,workers,jobs,size,lock,pin,rep,wall_s,cpu_self_s,cpu_children_s,"
               "jobs_ok,host,pus,started_at,omp_binding,switch_ms,payload_bytes,transport,"
               "memcpy_gbs,worker_kind,other_cpu_s,load_1m,on_battery,cores,sizes,schedule,"
               "label,ranks,kernel,isa")  # include/parlab/run.h RUNS_CSV_HEADER
JOBS_HEADER = ("run_id,job,worker,pid,tid,pu_start,pu_end,t_start_s,t_end_s,cpu_s,lock_wait_s,"
               "result,ok,pu_planned,bound,switches,copy_s,bytes_copied,size,host,rank,thread,kernel")
OVERHEAD_HEADER = ("program,case,kind,backend,workers,work_us,inner_reps,outer_reps,test_time_s,"
                   "reference_us,mean_us,median_us,min_us,max_us,sd_us,outliers,host,pus,"
                   "started_at,label,load_1m,other_cpu_s")  # COMMON.md, issue 15

BACKENDS = ("threading", "multiprocessing", "loky")
PACKAGES = "python3-joblib python3-numba"


class Usage(Exception):
    """Bad input: one line, exit 2, nothing written."""


class Interrupted(Exception):
    """SIGINT, SIGTERM or SIGHUP: workers stopped, nothing written."""


def fail(message, status=1):
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(status)


# ---- options ----------------------------------------------------------------------


def count(text, name, low=1, high=1 << 31):
    """A whole number in [low, high]: '-5', '12abc', '' and '1e3' are errors."""
    if not text.isascii() or not text.isdigit():
        raise Usage(f"{name} wants a whole number, not '{text}'")
    value = int(text)
    if not low <= value <= high:
        raise Usage(f"{name} wants a number from {low} to {high}, not '{text}'")
    return value


def seconds(text, name, low, high):
    try:
        value = float(text)
    except ValueError:
        raise Usage(f"{name} wants a number, not '{text}'") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise Usage(f"{name} wants a number from {low:g} to {high:g}, not '{text}'")
    return value


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Usage(message)


def parse(argv):
    p = Parser(prog=PROG, add_help=False, allow_abbrev=False,
               usage="joblib-compare.py [-d DIR] [-n N] [-j JOBS] [-w W] [-r R] [--cases LIST] "
                     "[--backends LIST] [--sweep N:J,...] [--sweep-reps R] [--test-time MS] [--outer-reps N] "
                     "[--overhead-n N] [--label NAME] [--help] [--version]",
               description="The notebook's joblib cases, the granularity sweep and joblib's "
                           "per-task cost, as rows in parlab's CSV files (docs/compare.md).")
    p.add_argument("-d", "--dir", default=os.environ.get("RESULTS") or "results",
                   help="the results directory: its runs.csv, jobs.csv, granularity.csv and "
                        "overhead.csv get the rows (default $RESULTS, else results)")
    p.add_argument("-n", "--size", help="the kernel's n of the notebook cases (default: the n "
                   "of DIR/runs.csv's first parlab-serial run of JOBS jobs, the notebook's baseline "
                   "as the report takes it)")
    p.add_argument("-j", "--jobs", default="12", help="jobs per notebook run (default 12)")
    p.add_argument("-w", "--workers", default="3", help="workers of the notebook cases "
                   "(default 3, the notebook's)")
    p.add_argument("-r", "--reps", default="3", help="counted runs of each case, after one "
                   "uncounted warm-up (default 3)")
    p.add_argument("--cases", default="notebook,sweep,overhead",
                   help="what to run: a comma list of notebook, sweep, overhead "
                        "(default all three)")
    p.add_argument("--backends", default=",".join(BACKENDS),
                   help="joblib's backends to run beside joblib-serial: a comma list of "
                        "threading, multiprocessing, loky (default all three)")
    p.add_argument("--sweep", help="the sweep's runs as N:JOBS,... (default: the sizes and "
                   "job counts of DIR/granularity.csv's parlab-serial rows, else jobs of "
                   "about 1 us to 100 ms in half-decade steps)")
    p.add_argument("--sweep-reps", help="counted runs of each sweep case (default R)")
    p.add_argument("--test-time", default="100", help="per-task cost: inner repetitions are "
                   "doubled until one test lasts this many ms (default 100)")
    p.add_argument("--outer-reps", default="20", help="per-task cost: timed outer "
                   "repetitions, after one warm-up (default 20)")
    p.add_argument("--overhead-n", default="12", help="per-task cost: the kernel's n of one "
                   "task (default 12: about a microsecond)")
    p.add_argument("--label", default=os.environ.get("PARLAB_LABEL", ""),
                   help="who measured (default $PARLAB_LABEL)")
    p.add_argument("-h", "--help", action="store_true", help="this text")
    p.add_argument("--version", action="store_true", help="the version")
    o = p.parse_args(argv)
    if o.help:
        p.print_help()
        sys.exit(0)
    if o.version:
        print(f"{PROG} {VERSION}")
        sys.exit(0)
    o.jobs = count(o.jobs, "-j")
    o.workers = count(o.workers, "-w", 1, 1024)
    o.reps = count(o.reps, "-r", 1, 1000)
    o.sweep_reps = count(o.sweep_reps, "--sweep-reps", 1, 1000) if o.sweep_reps else o.reps
    o.outer_reps = count(o.outer_reps, "--outer-reps", 2, 10000)
    o.test_time = seconds(o.test_time, "--test-time", 0.001, 60000) / 1e3
    o.overhead_n = count(o.overhead_n, "--overhead-n", 4, 1000)
    if o.size is not None:
        o.size = count(o.size, "-n", 4, 3000)
    o.cases = o.cases.split(",")
    for c in o.cases:
        if c not in ("notebook", "sweep", "overhead"):
            raise Usage(f"--cases: '{c}' is not notebook, sweep or overhead")
    if len(set(o.cases)) != len(o.cases):
        raise Usage("--cases names a case twice")
    o.backends = o.backends.split(",")
    for b in o.backends:
        if b not in BACKENDS:
            raise Usage(f"--backends: '{b}' is not threading, multiprocessing or loky")
    if len(set(o.backends)) != len(o.backends):
        raise Usage("--backends names a backend twice")
    o.backends = [b for b in BACKENDS if b in o.backends]
    if o.sweep is not None:
        o.sweep = [sweep_pair(t) for t in o.sweep.split(",")]
    if o.label and (len(o.label) > 64 or not o.label.isprintable() or not o.label.isascii()):
        raise Usage("--label wants 1 to 64 printable characters")
    if o.dir == "":
        raise Usage("-d wants a directory")
    return o


def sweep_pair(text):
    n, sep, jobs = text.partition(":")
    if not sep:
        raise Usage(f"--sweep wants N:JOBS pairs, not '{text}'")
    return count(n, "--sweep's N", 4, 3000), count(jobs, "--sweep's JOBS", 1, 10 ** 7)


# ---- the machine ------------------------------------------------------------------


def pus_allowed():
    return sorted(os.sched_getaffinity(0))


def cores_of(pus):
    """The cores holding the PUs (sysfs topology), or None where it does not say."""
    cores = set()
    for pu in pus:
        base = f"/sys/devices/system/cpu/cpu{pu}/topology/"
        try:
            with open(base + "physical_package_id") as f:
                package = f.read().strip()
            with open(base + "core_id") as f:
                cores.add((package, f.read().strip()))
        except OSError:
            return None
    return len(cores) or None


def on_battery():
    """machine_on_battery() of src/lib/machine.c: yes, no, or '' when it does not say."""
    root = "/sys/class/power_supply"
    online = offline = discharging = False

    def value(name, file):
        try:
            with open(f"{root}/{name}/{file}") as f:
                words = f.read().split()
            return words[0] if words else ""
        except (OSError, IndexError):
            return ""
    try:
        names = [n for n in os.listdir(root) if not n.startswith(".")]
    except OSError:
        return ""
    for name in names:
        kind = value(name, "type")
        if kind == "Mains":
            online |= value(name, "online") == "1"
            offline |= value(name, "online") == "0"
        elif kind == "Battery":
            discharging |= value(name, "status") == "Discharging"
    return "no" if online else "yes" if offline and discharging else ""


def busy_s(pus):
    """machine_busy_s(): the PUs' time on the monotonic clock less their idle and iowait
    time in /proc/stat (docs/csv.md, other_cpu_s), or None."""
    tick = 1.0 / os.sysconf("SC_CLK_TCK")
    idle = seen = 0
    try:
        with open("/proc/stat") as f:
            now = time.monotonic()
            for line in f:
                if not line.startswith("cpu"):
                    break
                field = line.split()
                if field[0] == "cpu" or int(field[0][3:]) not in pus:
                    continue
                idle += int(field[4]) + int(field[5])
                seen += 1
    except (OSError, ValueError, IndexError):
        return None
    return seen * now - idle * tick if seen == len(pus) else None


def load_1m():
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def children_cpu():
    """CPU seconds so far of each live child of this process (/proc/PID/stat's utime and
    stime): loky's workers live on between runs, so RUSAGE_CHILDREN never counts them."""
    tick = 1.0 / os.sysconf("SC_CLK_TCK")
    pids = set()
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                pids.update(int(p) for p in f.read().split())
    except OSError:
        return {}
    cpu = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                field = f.read().rpartition(")")[2].split()
            cpu[pid] = (int(field[11]) + int(field[12])) * tick
        except (OSError, ValueError, IndexError):
            pass
    return cpu


def rusage_cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def utc(compact):
    now = datetime.datetime.now(datetime.timezone.utc)
    if compact:
        return now.strftime("%Y%m%dT%H%M%S.%fZ")
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


# ---- CSV --------------------------------------------------------------------------


def field(value):
    text = "" if value is None else str(value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def row(*values):
    return ",".join(field(v) for v in values) + "\n"


def fixed(value, digits):
    return f"{value:.{digits}f}" if value is not None else ""


def commit(targets):
    """Appends each (path, header, rows) at once, as csv_commit() does: every file
    opened and locked with flock() (in the order of device and inode) before any is
    written; a new or empty file gets its header; a file with another header, or whose
    last row is torn, is refused; on any failure every file is cut back to its old size
    and a file this call created is removed.  Raises OSError or ValueError."""
    opened = []
    try:
        for path, header, rows in targets:
            if not rows:
                continue
            created = not os.path.exists(path)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            opened.append([fd, path, header, rows, created, None])
        opened.sort(key=lambda o: (os.fstat(o[0]).st_dev, os.fstat(o[0]).st_ino))
        for o in opened:
            fcntl.flock(o[0], fcntl.LOCK_EX)
        for o in opened:
            fd, path, header = o[0], o[1], o[2]
            size = os.fstat(fd).st_size
            o[5] = size
            if size > 0:
                first = os.pread(fd, len(header) + 1, 0).decode("utf-8", "replace")
                if first != header + "\n":
                    raise ValueError(f"'{path}' holds other columns than {PROG} writes "
                                     f"(its first line is not the header of docs/csv.md)")
                if os.pread(fd, 1, size - 1) != b"\n":
                    raise ValueError(f"'{path}' ends in a torn row: the next parlab program "
                                     f"to write it repairs it; run again after that")
        for o in opened:
            fd, header, rows, size = o[0], o[2], o[3], o[5]
            text = ("" if size > 0 else header + "\n") + "".join(rows)
            data, at = text.encode(), size
            while data:
                n = os.pwrite(fd, data, at)
                data, at = data[n:], at + n
            os.fsync(fd)
    except BaseException:
        for o in opened:
            try:
                if o[4]:
                    os.unlink(o[1])
                elif o[5] is not None:
                    os.ftruncate(o[0], o[5])
            except OSError:
                pass
        raise
    finally:
        for o in opened:
            os.close(o[0])


def read_csv(path):
    """The rows of a CSV file as dicts, or None when it is missing."""
    import csv
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError:
        return None


# ---- runs -------------------------------------------------------------------------


class Machine:
    def __init__(self, label):
        self.host = socket.gethostname() or "unknown"  # gethostname(), as plan.c: the same host
        self.pus = pus_allowed()
        self.cores = cores_of(self.pus)
        self.label = label
        self.on_battery = on_battery()
        self.pid = os.getpid()


class Case:
    """One way of running: program (joblib-X), its backend, workers, lock."""

    def __init__(self, program, backend, workers, lock, hold_gil):
        self.program, self.backend, self.workers = program, backend, workers
        self.lock, self.hold_gil = lock, hold_gil
        self.kind = "process" if backend in ("multiprocessing", "loky") else "thread"


def run_once(case, n, jobs):
    """One run: a Parallel of the case's backend made and left around the jobs, as the
    notebook does (loky's workers outlive it: joblib keeps one executor per process).
    Returns the measurements and the job tuples, sorted by job."""
    import joblib
    import parlab_joblib as k

    expected = k.closed_form(n)
    load = load_1m()
    started_at = utc(False)
    before_children = children_cpu()
    busy0 = busy_s(set(M.pus))
    self0, child0 = rusage_cpu(resource.RUSAGE_SELF), rusage_cpu(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    calls = (joblib.delayed(k.run_job)(case.hold_gil, n, job, t0) for job in range(jobs))
    if case.backend is None:  # joblib-serial: Parallel's sequential backend, in this thread
        with joblib.Parallel(n_jobs=1) as parallel:
            records = parallel(calls)
    else:  # one task per job (batch_size=1): the schedule is dynamic,1
        with joblib.Parallel(n_jobs=case.workers, backend=case.backend, batch_size=1) as parallel:
            records = parallel(calls)
    wall = time.monotonic() - t0
    cpu_self = rusage_cpu(resource.RUSAGE_SELF) - self0
    cpu_children = rusage_cpu(resource.RUSAGE_CHILDREN) - child0
    busy1 = busy_s(set(M.pus))
    after_children = children_cpu()
    # CPU of the live workers (loky's), which no rusage counts: not this run's others'.
    workers_cpu = sum(max(0.0, cpu - before_children.get(pid, 0.0))
                      for pid, cpu in after_children.items())
    other = None
    if busy0 is not None and busy1 is not None:
        other = max(0.0, (busy1 - busy0) - (cpu_self + cpu_children + workers_cpu))
    records = sorted(records)
    bad = [r for r in records if not k.result_ok(r[8], expected)]
    if len(records) != jobs or bad:
        first = bad[0] if bad else None
        raise RuntimeError(f"{case.program}: job {first[0] if first else '?'} of n = {n} gave "
                           f"{first[8] if first else 'no result'!r}, the closed form says "
                           f"{expected!r}; nothing written")
    return dict(wall=wall, cpu_self=cpu_self, cpu_children=cpu_children, other=other,
                load=load, started_at=started_at, records=records)


def case_rows(case, n, jobs, reps, with_jobs):
    """A warm-up run, then reps counted runs of the case: their runs.csv rows (and
    jobs.csv rows) and their wall times."""
    run_once(case, n, jobs)
    stamp = utc(True)
    runs, job_rows, walls = [], [], []
    schedule = "" if case.backend is None else "dynamic,1"
    for rep in range(1, reps + 1):
        m = run_once(case, n, jobs)
        run_id = f"{stamp}-{M.host}-{M.pid}-{rep}"
        workers = 1 if case.backend is None else case.workers
        runs.append(row(run_id, case.program, workers, jobs, n, case.lock, "none", rep,
                        fixed(m["wall"], 9), fixed(m["cpu_self"], 6),
                        fixed(m["cpu_children"], 6), jobs, M.host, len(M.pus), m["started_at"],
                        "", "", 0, "memory" if case.kind == "thread" else "", "", case.kind,
                        fixed(m["other"], 2), fixed(m["load"], 2), M.on_battery,
                        M.cores or "", "", schedule, M.label, "", "scalar", ""))
        walls.append((m["wall"], m["cpu_self"] + m["cpu_children"]))
        if with_jobs:
            lanes = {}  # worker numbers 0 .. W-1 in the order the workers began
            for r in sorted(m["records"], key=lambda r: r[5]):
                lanes.setdefault((r[1], r[2]), len(lanes))
            for job, pid, tid, pu0, pu1, ts, te, cpu, result in m["records"]:
                job_rows.append(row(run_id, job, lanes[(pid, tid)], pid, tid, pu0, pu1,
                                    fixed(ts, 9), fixed(te, 9), fixed(cpu, 9), fixed(0, 9),
                                    f"{result:.17g}", 1, "", "no", 0, fixed(0, 9), 0, n,
                                    M.host, "", "", "scalar"))
    if case.backend == "loky":
        # loky keeps its workers for the next call, and they went on using CPU after
        # the last call returned (up to a whole PU during the next case's runs, which
        # other_cpu_s then counted against them): stopped here, and started again by
        # the next loky case's warm-up run.
        shutdown_loky()
    # Progress, for a sweep of minutes: what was measured, before the table at the end.
    print(f"  {case.program} lock {case.lock}, W = {1 if case.backend is None else case.workers}, "
          f"{jobs} jobs of n = {n}: median wall {median([w for w, _ in walls]):.3f} s",
          flush=True)
    return runs, job_rows, walls


# ---- per-task cost (EPCC) ---------------------------------------------------------


def overhead(backend, workers, n, test_time, outer_reps):
    """joblib's cost per task on `backend` with W workers, by the EPCC method: the
    reference runs `inner` tasks in a plain loop; the test runs inner x W tasks through
    one Parallel (batch_size=1), entered once so that the pool's start is not counted;
    overhead per task = (test - reference) / inner.  inner is doubled until one test
    lasts test_time."""
    import joblib
    import parlab_joblib as k

    def reference(inner):
        t = time.monotonic()
        for _ in range(inner):
            k.tiny(n)
        return time.monotonic() - t

    with joblib.Parallel(n_jobs=workers, backend=backend, batch_size=1) as parallel:
        def test(inner):
            t = time.monotonic()
            parallel(joblib.delayed(k.tiny)(n) for _ in range(inner * workers))
            return time.monotonic() - t

        test(4)  # the untimed warm-up: the workers exist and have run a task
        inner = 1
        while test(inner) < test_time and inner < 1 << 24:
            inner *= 2
        load = load_1m()
        started_at = utc(False)
        busy0 = busy_s(set(M.pus))
        cpu0 = (rusage_cpu(resource.RUSAGE_SELF) + rusage_cpu(resource.RUSAGE_CHILDREN),
                children_cpu())
        refs, costs = [], []
        for _ in range(outer_reps):
            r = reference(inner)
            t = test(inner)
            refs.append(r / inner)
            costs.append((t - r) / inner)
        busy1 = busy_s(set(M.pus))
        own = (rusage_cpu(resource.RUSAGE_SELF) + rusage_cpu(resource.RUSAGE_CHILDREN)
               - cpu0[0] + sum(max(0.0, c - cpu0[1].get(p, 0.0))
                               for p, c in children_cpu().items()))
    other = None if busy0 is None or busy1 is None else max(0.0, busy1 - busy0 - own)
    mean = statistics.fmean(costs)
    sd = statistics.stdev(costs)
    outliers = sum(1 for c in costs if abs(c - mean) > 3 * sd)
    us = 1e6
    return dict(backend=backend, inner=inner, work_us=statistics.fmean(refs) * us,
                mean=mean * us, median=statistics.median(costs) * us, min=min(costs) * us,
                max=max(costs) * us, sd=sd * us, outliers=outliers, started_at=started_at,
                load=load, other=other)


# ---- the plan ---------------------------------------------------------------------


def notebook_size(o, runs):
    if o.size is not None:
        return o.size, "-n"
    sizes = [r.get("size") for r in runs or [] if r.get("program") == "parlab-serial"
             and r.get("jobs") == str(o.jobs) and r.get("lock") == "none"]
    sizes = [s for s in sizes if s and s.isdigit()]
    if not sizes:
        raise Usage(f"'{o.dir}/runs.csv' has no parlab-serial runs of {o.jobs} jobs to take n "
                    f"from: give -n N")
    # The first, as parlab-report's notebook section takes its serial case (results.c).
    return int(sizes[0]), f"{o.dir}/runs.csv's parlab-serial runs of {o.jobs} jobs"


def sweep_plan(o, workers):
    """(n, jobs) of each sweep size, and where they came from."""
    if o.sweep is not None:
        return o.sweep, "--sweep"
    rows = read_csv(os.path.join(o.dir, "granularity.csv"))
    walls = {}  # (n, jobs) -> parlab-serial's wall times, in the file's order
    for r in rows or []:
        if r.get("program") == "parlab-serial" and (r.get("size") or "").isdigit() \
                and (r.get("jobs") or "").isdigit():
            pair = (int(r["size"]), int(r["jobs"]))
            if 4 <= pair[0] <= 3000:
                try:
                    walls.setdefault(pair, []).append(float(r.get("wall_s") or "nan"))
                except ValueError:
                    walls.setdefault(pair, [])
    if walls:
        # parlab's sizes, but joblib's own job counts: parlab chose them so that its
        # serial run lasts about GRANULARITY_RUN_S, and joblib's sequential backend adds
        # its own cost to every task (about 20 us here), which at 1 us jobs would make
        # the same 100000 jobs a run of seconds on each backend.  So as many jobs as
        # fill the same time with that cost added, never more than parlab's (the
        # speedups divide by joblib-serial of the same jobs, so they still compare).
        task = sequential_task_s()
        pairs = []
        for (n, jobs), w in walls.items():
            w = [x for x in w if x == x]
            if not w:
                pairs.append((n, jobs))
                continue
            job = median(w) / jobs
            fill = math.ceil(median(w) / (job + task) / workers) * workers
            pairs.append((n, max(min(jobs, 4 * workers), min(jobs, fill))))
        return pairs, (f"{o.dir}/granularity.csv's parlab-serial sizes, as many jobs as "
                       f"fill the same time with joblib's {task * 1e6:.0f} us a task")
    # Our own: jobs of about 1 us to 100 ms in half-decade steps, sized by the
    # kernel's rate here; jobs so that a serial run lasts about 0.15 s, a multiple of
    # W and at least 4 W (COMMON.md's granularity sweep).
    import parlab_joblib as k
    k.wait_loop_nogil(150)
    t = time.thread_time()
    k.wait_loop_nogil(150)
    ns = max(0.05, (time.thread_time() - t) * 1e9 / k.steps(150))
    pairs = []
    for step in range(11):
        target = 1e-6 * 10 ** (step / 2)
        n = 4
        while k.steps(n + 1) * ns * 1e-9 <= target:
            n += 1
        jobs = max(4 * workers, math.ceil(0.15 / target / workers) * workers)
        if (n, jobs) not in pairs:
            pairs.append((n, jobs))
    return pairs, "jobs of about 1 us to 100 ms at this machine's kernel rate"


def sequential_task_s():
    """What joblib's sequential backend adds to a task, in seconds: 2000 tasks of
    n = 4 (no work to speak of) through Parallel(n_jobs=1), best of three."""
    import joblib
    import parlab_joblib as k

    best = math.inf
    for _ in range(3):
        t0 = time.monotonic()
        with joblib.Parallel(n_jobs=1) as parallel:
            parallel(joblib.delayed(k.run_job)(False, 4, job, t0) for job in range(2000))
        best = min(best, (time.monotonic() - t0) / 2000)
    return best


def median(values):
    return statistics.median(values) if values else float("nan")


def main(argv):
    global M
    try:
        o = parse(argv)
    except Usage as e:
        print(f"{PROG}: {e} (try --help)", file=sys.stderr)
        return 2
    if not os.path.isdir(o.dir):
        print(f"{PROG}: '{o.dir}' is not a directory (make run-all writes results/) "
              "(try --help)", file=sys.stderr)
        return 2
    runs = read_csv(os.path.join(o.dir, "runs.csv"))
    try:
        n, n_from = notebook_size(o, runs) if "notebook" in o.cases else (None, "")
    except Usage as e:
        print(f"{PROG}: {e} (try --help)", file=sys.stderr)
        return 2
    # Files this run would be refused by, said before minutes of measuring (commit()
    # checks again under the lock).
    wanted = {"notebook": [("runs.csv", RUNS_HEADER), ("jobs.csv", JOBS_HEADER)],
              "sweep": [("granularity.csv", RUNS_HEADER)],
              "overhead": [("overhead.csv", OVERHEAD_HEADER)]}
    for name, header in (t for c in o.cases for t in wanted[c]):
        path = os.path.join(o.dir, name)
        try:
            with open(path, "rb") as f:
                first = f.readline().decode("utf-8", "replace").rstrip("\r\n")
        except FileNotFoundError:
            continue
        except OSError as e:
            fail(f"cannot read '{path}': {e.strerror}")
        if first and first != header:
            fail(f"'{path}' holds other columns than parlab's programs write now (an older "
                 "parlab's?): move it away, or give another -d")
    # Before numba is imported anywhere: its cache outside the source tree, and no
    # bytecode written beside the sources, in this process and in every worker.
    os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(
        os.environ.get("TMPDIR") or "/tmp", f"parlab-numba-{os.getuid()}"))
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import joblib
        import numba
    except ImportError as e:
        fail(f"needs {PACKAGES} for /usr/bin/python3 ({e.name} is missing): make compare "
             "installs them")
    M = Machine(o.label)
    W = len(M.pus)
    print(f"{PROG}: joblib {joblib.__version__}, numba {numba.__version__}, Python "
          f"{sys.version.split()[0]}; host {M.host}, {W} PUs ({M.cores or '?'} cores), "
          f"load {fixed(load_1m(), 2) or '?'}; rows into {o.dir}/"
          + (f"; label {M.label}" if M.label else ""))
    if "notebook" in o.cases:
        print(f"  notebook: {o.jobs} jobs of n = {n} (from {n_from}) on {o.workers} workers, "
              f"1 warm-up + {o.reps} counted runs each: joblib-serial, threading lock none "
              "(nogil kernel) and held (GIL kernel), multiprocessing and loky lock held; "
              "one task per job (batch_size=1) -> runs.csv, jobs.csv")
    if "sweep" in o.cases:
        pairs, pairs_from = sweep_plan(o, W)
        print(f"  sweep: {len(pairs)} sizes (from {pairs_from}) at W = {W}, lock none, "
              f"1 warm-up + {o.sweep_reps} counted runs each, joblib-serial and the three "
              "backends, batch_size=1 (joblib's auto batching would hide the per-task cost) "
              "-> granularity.csv")
    if "overhead" in o.cases:
        print(f"  per-task cost: EPCC method at W = {W}, tasks of n = {o.overhead_n}, test "
              f"time {o.test_time * 1e3:g} ms, {o.outer_reps} outer reps, batch_size=1, one "
              "pool per backend (its start not counted) -> overhead.csv")
    sys.stdout.flush()

    import parlab_joblib  # noqa: F401 (compiles the kernels, or loads them from the cache)
    out = {"runs": [], "jobs": [], "granularity": [], "overhead": []}
    table = []
    if "notebook" in o.cases:
        w = o.workers
        cases = [Case("joblib-serial", None, 1, "none", False),
                 Case("joblib-threading", "threading", w, "none", False),
                 Case("joblib-threading", "threading", w, "held", True),
                 Case("joblib-multiprocessing", "multiprocessing", w, "held", True),
                 Case("joblib-loky", "loky", w, "held", True)]
        cases = [c for c in cases if c.backend is None or c.backend in o.backends]
        base = None
        for c in cases:
            r, j, walls = case_rows(c, n, o.jobs, o.reps, True)
            out["runs"] += r
            out["jobs"] += j
            wall = median([x[0] for x in walls])
            cpu = median([x[1] for x in walls])
            base = wall if base is None else base
            table.append(f"  {c.program:<23} W={c.workers:<3} lock {c.lock:<5} wall "
                         f"{wall:8.3f} s [{min(x[0] for x in walls):.3f}-"
                         f"{max(x[0] for x in walls):.3f}]  parent's CPU {cpu:8.3f} s  "
                         f"speedup {base / wall:5.2f}")
    if "sweep" in o.cases:
        cases = [Case("joblib-serial", None, 1, "none", False)] + \
                [Case(f"joblib-{b}", b, W, "none", False) for b in o.backends]
        table.append(f"  sweep at W = {W} (speedup over joblib-serial, median wall):")
        table.append("    job (us)   " + "".join(f"{b:>17}" for b in o.backends))
        for size, jobs in pairs:
            walls = {}
            for c in cases:
                r, _, w = case_rows(c, size, jobs, o.sweep_reps, False)
                out["granularity"] += r
                walls[c.program] = median([x[0] for x in w])
            serial = walls["joblib-serial"]
            table.append(f"    {serial / jobs * 1e6:9.1f}   " + "".join(
                f"{serial / walls['joblib-' + b]:17.2f}" for b in o.backends))
    if "overhead" in o.cases:
        table.append(f"  per-task cost at W = {W} (us per task, EPCC; tasks of n = "
                     f"{o.overhead_n}):")
        for b in o.backends:
            m = overhead(b, W, o.overhead_n, o.test_time, o.outer_reps)
            out["overhead"].append(row(
                PROG, f"joblib-{b}", "queue", f"joblib-{b}", W, fixed(m["work_us"], 3),
                m["inner"], o.outer_reps, fixed(o.test_time, 6), fixed(m["work_us"], 3),
                fixed(m["mean"], 3), fixed(m["median"], 3), fixed(m["min"], 3),
                fixed(m["max"], 3), fixed(m["sd"], 3), m["outliers"], M.host, W,
                m["started_at"], M.label, fixed(m["load"], 2), fixed(m["other"], 2)))
            table.append(f"    joblib-{b:<16} mean {m['mean']:8.1f}  median {m['median']:8.1f}"
                         f"  min {m['min']:8.1f}  max {m['max']:8.1f}  sd {m['sd']:7.1f}  "
                         f"outliers {m['outliers']}  (inner {m['inner']}, work "
                         f"{m['work_us']:.2f} us)")
    shutdown_loky()
    d = o.dir
    commit([(os.path.join(d, "jobs.csv"), JOBS_HEADER, out["jobs"]),
            (os.path.join(d, "runs.csv"), RUNS_HEADER, out["runs"]),
            (os.path.join(d, "granularity.csv"), RUNS_HEADER, out["granularity"]),
            (os.path.join(d, "overhead.csv"), OVERHEAD_HEADER, out["overhead"])])
    print(f"{PROG}: every job's result matched the closed form; medians of the counted "
          "runs (speedups over joblib-serial):")
    print("\n".join(table))
    written = [f for f, k in (("runs.csv", "runs"), ("jobs.csv", "jobs"),
                              ("granularity.csv", "granularity"), ("overhead.csv", "overhead"))
               if out[k]]
    print(f"{PROG}: rows appended to {', '.join(os.path.join(d, f) for f in written)}")
    return 0


def shutdown_loky():
    """Stops loky's workers, which joblib keeps for the next Parallel otherwise."""
    loky = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(loky, "_executor", None) if loky is not None else None
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)


def on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def default_signals():
    """In a forked multiprocessing worker: the default actions back.  Its pool ends it
    with SIGTERM, which must end it even while it waits in C for its next task (a
    Python handler would only set a flag there, and the pool's join would wait for
    ever)."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


M = None

if __name__ == "__main__":
    status = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
    for s in status:
        signal.signal(s, on_signal)
    os.register_at_fork(after_in_child=default_signals)
    try:
        sys.exit(main(sys.argv[1:]))
    except (Interrupted, KeyboardInterrupt) as e:
        # Ignore further signals while the workers are stopped: joblib's Parallel has
        # terminated its pool on the way out; loky's executor is shut down here.
        for s in status:
            signal.signal(s, signal.SIG_IGN)
        shutdown_loky()
        name = str(e) if isinstance(e, Interrupted) else "SIGINT"
        print(f"{PROG}: interrupted ({name}); workers stopped, nothing written", file=sys.stderr)
        sys.exit(status.get(getattr(signal, name, signal.SIGINT), 130))
    except (RuntimeError, OSError, ValueError) as e:
        shutdown_loky()
        fail(str(e))
