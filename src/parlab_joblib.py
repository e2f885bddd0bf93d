"""parlab_joblib - the notebook's kernel in numba, for src/joblib-compare.py.

A module of its own, not part of the script, because joblib's process backends run
the jobs in other interpreters: loky's workers are fresh ones that import what they
run by name, and a function of the script's __main__ would travel pickled by value,
its numba kernels with it.  Importing this module compiles the kernels (or loads them
from numba's cache, NUMBA_CACHE_DIR, which the script sets before anything imports
numba); every function here is safe in a thread and in a forked or spawned worker.
"""
import ctypes
import math
import os
import threading
import time

import numba

# The notebook's two kernels, written as it writes them (four nested loops, the root of
# i + 4 in the innermost), but every root added into the result exactly as parlab's
# kernel_run (src/lib/kernel.c) adds them: one partial sum per loop level, in the same
# order, so the result matches kernel_closed_form within KERNEL_REL_TOLERANCE and
# nothing can be optimised away.  numba compiles without fastmath, so LLVM keeps the
# additions in this order.  Two functions, not one compiled twice, so that numba's
# cache keeps each under its own name.


@numba.jit("float64(int64)", nopython=True, nogil=True, cache=True)  # release the GIL
def wait_loop_nogil(n):
    total = 0.0
    for m in range(n):
        sum_l = 0.0
        for l in range(m):  # noqa: E741 (the notebook's name)
            sum_j = 0.0
            for j in range(l):
                sum_i = 0.0
                for i in range(j):
                    i = i + 4
                    sum_i += math.sqrt(i)
                sum_j += sum_i
            sum_l += sum_j
        total += sum_l
    return total


@numba.jit("float64(int64)", nopython=True, nogil=False, cache=True)  # hold the GIL
def wait_loop_withgil(n):
    total = 0.0
    for m in range(n):
        sum_l = 0.0
        for l in range(m):  # noqa: E741
            sum_j = 0.0
            for j in range(l):
                sum_i = 0.0
                for i in range(j):
                    i = i + 4
                    sum_i += math.sqrt(i)
                sum_j += sum_i
            sum_l += sum_j
        total += sum_l
    return total


KERNEL_REL_TOLERANCE = 1e-12  # include/parlab/kernel.h
KERNEL_MAX_SIZE = 145056


def closed_form(n):
    """kernel_closed_form(n): the sum over i of C(n-1-i, 3) sqrt(i + 4), added with
    Neumaier's compensated summation as src/lib/kernel.c adds it."""
    total = carry = 0.0
    for i in range(0, n - 3):
        k = n - 1 - i
        term = float(k * (k - 1) // 2 * (k - 2) // 3) * math.sqrt(i + 4.0)
        nxt = total + term
        if abs(total) >= abs(term):
            carry += (total - nxt) + term
        else:
            carry += (term - nxt) + total
        total = nxt
    return total + carry


def steps(n):
    """C(n, 4): the kernel's innermost steps."""
    return n * (n - 1) * (n - 2) * (n - 3) // 24 if n >= 4 else 0


def result_ok(result, expected):
    """kernel_result_ok: within KERNEL_REL_TOLERANCE, never a NaN."""
    if math.isnan(result) or math.isnan(expected):
        return False
    if expected == 0.0:
        return result == 0.0
    return abs(result - expected) <= KERNEL_REL_TOLERANCE * abs(expected)


try:
    _libc = ctypes.CDLL(None, use_errno=True)
    _sched_getcpu = _libc.sched_getcpu
    _sched_getcpu.restype = ctypes.c_int
    _sched_getcpu.argtypes = []
except (OSError, AttributeError):  # not glibc: the PU is then unknown, -1 as parlab writes it
    _sched_getcpu = None


def getcpu():
    """The PU this thread runs on now (sched_getcpu), or -1."""
    return _sched_getcpu() if _sched_getcpu is not None else -1


def run_job(hold_gil, n, job, t0):
    """One job: the kernel of size n, timed like parlab's (src/lib/job.c): t_start and
    t_end on CLOCK_MONOTONIC (time.monotonic), seconds since t0, the run's start in
    the parent (the clock is the machine's, so it compares across processes), the
    thread's CPU time of the kernel call, and where it ran."""
    kernel = wait_loop_withgil if hold_gil else wait_loop_nogil
    pu_start = getcpu()
    c0 = time.thread_time()
    t_start = time.monotonic()
    result = kernel(n)
    t_end = time.monotonic()
    cpu = time.thread_time() - c0
    return (job, os.getpid(), threading.get_native_id(), pu_start, getcpu(), t_start - t0,
            t_end - t0, cpu, result)


def tiny(n):
    """The work of one repetition in the per-task cost measurement: the kernel alone."""
    return wait_loop_nogil(n)
