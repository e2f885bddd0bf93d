/*
 * backend.c - the table of the backends parlab ships.
 */
#include "parlab/backend.h"

#include <string.h>

/* The colours match the lecture's figures: grey for the baseline, blue for threads,
 * green for processes, mauve for MPI ranks; a figure gives a backend's further series (another lock) and
 * unknown backends spare colours of its own palette. */
const struct backend backend_serial = {
    .name = "parlab-serial",
    .label = "serial",
    .colour = "#555555",
    .workers_are = "thread (the main one)",
    .worker_is = "thread (the main one)",
    .worker = WORKER_THREAD,
    .max_workers = 1,
    .baseline = true,
    .shares_memory = true,
    .schedule = "", /* one worker, the jobs in order: nothing is shared out */
};
const struct backend backend_threads = {
    .name = "parlab-threads",
    .label = "threads",
    .colour = "#4c72b0",
    .workers_are = "OpenMP threads",
    .worker_is = "OpenMP thread",
    .openmp = true,
    .worker = WORKER_THREAD,
    .max_workers = 1024,
    .shares_memory = true,
};
const struct backend backend_procs = {
    .name = "parlab-procs",
    .label = "procs",
    .colour = "#55a868",
    .workers_are = "processes",
    .worker_is = "process",
    .worker = WORKER_PROCESS,
    .max_workers = 1024,
    .data_crosses = true,
    .stops_workers = true,
    .schedule = "dynamic,1", /* one queue in shared memory, one job at a time */
};

const struct backend backend_mpi = {
    .name = "parlab-mpi",
    .label = "mpi",
    .colour = "#b07aa1",
    .workers_are = "MPI ranks",
    .worker_is = "MPI rank",
    .worker = WORKER_RANK,
    .max_workers = 1024,
    .data_crosses = true, /* processes, possibly on other hosts */
    .transport = "mpi",   /* from rank 0 and back, by MPI messages (src/parlab-mpi.c) */
    .transport_is = "sent by MPI between rank 0 and the rank that runs the job (rank 0's "
                    "own stay in place)",
    .stops_workers = true, /* rank 0 arms the timer; mpirun stops the rest */
    .hybrid = true,        /* --threads T: OpenMP threads in each rank */
    .schedule = "dynamic,1", /* one counter at rank 0, one job at a time */
};

const struct backend *const backend_table[] = {&backend_serial, &backend_threads, &backend_procs,
                                               &backend_mpi};
const size_t backend_count = sizeof backend_table / sizeof backend_table[0];

const struct backend *backend_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < backend_count; i++)
        if (strcmp(backend_table[i]->name, name) == 0)
            return backend_table[i];
    return NULL;
}

const struct backend *backend_describe(const char *name, enum worker_kind kind,
                                       struct backend *scratch)
{
    const struct backend *known = backend_find(name);

    if (known != NULL)
        return known;
    memset(scratch, 0, sizeof *scratch);
    scratch->name = name;
    scratch->label = strncmp(name, "parlab-", 7) == 0 && name[7] != '\0' ? name + 7 : name;
    scratch->colour = NULL;
    scratch->workers_are = kind == WORKER_THREAD    ? "threads"
                           : kind == WORKER_PROCESS ? "processes"
                           : kind == WORKER_RANK    ? "ranks"
                                                    : "workers";
    scratch->worker = kind;
    scratch->max_workers = 1024;
    scratch->shares_memory = kind == WORKER_THREAD;
    scratch->data_crosses = kind == WORKER_PROCESS || kind == WORKER_RANK;
    scratch->stops_workers = scratch->data_crosses;
    return scratch;
}

size_t backend_suite_length(const char *program)
{
    static const char exercise[] = "exercise-", joblib[] = "joblib-";
    const char *last;

    if (program == NULL)
        return 0;
    /* joblib-PART: the suite "joblib", whatever the part ("joblib-loky") */
    if (strncmp(program, joblib, sizeof joblib - 1) == 0)
        return program[sizeof joblib - 1] != '\0' ? sizeof joblib - 2 : 0;
    if (strncmp(program, exercise, sizeof exercise - 1) != 0)
        return 0;
    last = strrchr(program, '-');
    /* a name and a part, both non-empty: "exercise-pi-serial", not "exercise-pi" */
    if (last <= program + sizeof exercise - 1 || last[1] == '\0')
        return 0;
    return (size_t)(last - program);
}

bool backend_suite_exercise(const char *program)
{
    return backend_suite_length(program) > 0 && strncmp(program, "exercise-", 9) == 0;
}

bool backend_suite_baseline(const char *program)
{
    size_t n = backend_suite_length(program);

    return n > 0 && strcmp(program + n, "-serial") == 0;
}

static const char *const kind_names[] = {
    [WORKER_THREAD] = "thread",
    [WORKER_PROCESS] = "process",
    [WORKER_RANK] = "rank",
    [WORKER_UNKNOWN] = "unknown",
};

const char *worker_kind_name(enum worker_kind kind)
{
    return (unsigned)kind <= WORKER_UNKNOWN ? kind_names[kind] : "unknown";
}

enum worker_kind worker_kind_parse(const char *text)
{
    for (unsigned k = WORKER_THREAD; k < WORKER_UNKNOWN; k++)
        if (text != NULL && strcmp(text, kind_names[k]) == 0)
            return (enum worker_kind)k;
    return WORKER_UNKNOWN;
}
