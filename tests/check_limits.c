/*
 * check_limits.c - descriptors and memory checked before a run (limits.c, plan.c):
 * /proc and cgroup files parsed, the least limit chosen with its source, descriptors
 * counted by number, the payload's memory worked out from where its buffers are
 * touched; and end to end, with a real `ulimit -n`, a soft limit raised and a hard one
 * refused with exactly the descriptors needed, and a payload larger than the memory
 * available refused before a byte of it is mapped.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parlab/limits.h"
#include "parlab/plan.h"
#include "parlab/pool.h"

#include "testutil.h"

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

START_TEST(meminfo_gives_memavailable_in_bytes)
{
    const char *text = "MemTotal:       24683664 kB\n"
                       "MemFree:         1234567 kB\n"
                       "MemAvailable:   24292156 kB\n"
                       "Buffers:          123456 kB\n";
    uint64_t bytes = 0;

    ck_assert_int_eq(limits_parse_kb(text, "MemAvailable", &bytes), 0);
    ck_assert_uint_eq(bytes, (uint64_t)24292156 * 1024);
    ck_assert_int_eq(limits_parse_kb(text, "MemTotal", &bytes), 0);
    ck_assert_uint_eq(bytes, (uint64_t)24683664 * 1024);
    /* /proc/self/status has tabs */
    ck_assert_int_eq(limits_parse_kb("Name:\tx\nVmSize:\t    3892 kB\n", "VmSize", &bytes), 0);
    ck_assert_uint_eq(bytes, 3892 * KiB);
    /* only a whole key at the start of a line, with a number in kB */
    ck_assert_int_eq(limits_parse_kb(text, "Mem", &bytes), -1);
    ck_assert_int_eq(limits_parse_kb(text, "Available", &bytes), -1);
    ck_assert_int_eq(limits_parse_kb("MemAvailable: lots kB\n", "MemAvailable", &bytes), -1);
    ck_assert_int_eq(limits_parse_kb("MemAvailable: 12\n", "MemAvailable", &bytes), -1);
    ck_assert_int_eq(limits_parse_kb("MemAvailable: -12 kB\n", "MemAvailable", &bytes), -1);
    ck_assert_int_eq(limits_parse_kb("", "MemAvailable", &bytes), -1);
}
END_TEST

START_TEST(cgroup_limits_are_numbers_max_or_v1s_no_limit)
{
    uint64_t bytes = 0;

    ck_assert_int_eq(limits_parse_cgroup_limit("max\n", &bytes), 0);
    ck_assert_uint_eq(bytes, LIMITS_NONE);
    ck_assert_int_eq(limits_parse_cgroup_limit("8589934592\n", &bytes), 0);
    ck_assert_uint_eq(bytes, 8 * GiB);
    ck_assert_int_eq(limits_parse_cgroup_limit("9223372036854771712\n", &bytes), 0);
    ck_assert_uint_eq(bytes, LIMITS_NONE); /* v1's "unlimited" */
    ck_assert_int_eq(limits_parse_cgroup_limit("0", &bytes), 0);
    ck_assert_uint_eq(bytes, 0);
    ck_assert_int_eq(limits_parse_cgroup_limit("", &bytes), -1);
    ck_assert_int_eq(limits_parse_cgroup_limit("-1\n", &bytes), -1);
    ck_assert_int_eq(limits_parse_cgroup_limit("12x\n", &bytes), -1);
    ck_assert_int_eq(limits_parse_cgroup_limit("maximum\n", &bytes), -1);
}
END_TEST

START_TEST(memory_stat_values_are_found_by_their_whole_key)
{
    const char *text = "cache 100\ninactive_file 4096\nactive_file 1\ntotal_inactive_file 8192\n";
    uint64_t v = 0;

    ck_assert_int_eq(limits_parse_stat(text, "inactive_file", &v), 0);
    ck_assert_uint_eq(v, 4096);
    ck_assert_int_eq(limits_parse_stat(text, "total_inactive_file", &v), 0);
    ck_assert_uint_eq(v, 8192);
    ck_assert_int_eq(limits_parse_stat(text, "file", &v), -1);
    ck_assert_int_eq(limits_parse_stat(text, "inactive_anon", &v), -1);
}
END_TEST

START_TEST(the_memory_cgroup_comes_from_proc_self_cgroup)
{
    char path[256];
    bool v2 = false;

    /* cgroup v1, as on the development machine; the v2 line is there but empty */
    ck_assert_int_eq(limits_parse_cgroup_path("9:name=systemd:/\n8:pids:/\n"
                                              "4:memory:/process_api/0014\n3:cpuset:/\n0::/\n",
                                              path, sizeof path, &v2),
                     0);
    ck_assert_str_eq(path, "/process_api/0014");
    ck_assert(!v2);
    /* controllers mounted together */
    ck_assert_int_eq(limits_parse_cgroup_path("5:cpu,memory:/a/b\n", path, sizeof path, &v2),
                     0);
    ck_assert_str_eq(path, "/a/b");
    ck_assert(!v2);
    /* cgroup v2 only */
    ck_assert_int_eq(limits_parse_cgroup_path("0::/user.slice/u.service\n", path, sizeof path,
                                              &v2),
                     0);
    ck_assert_str_eq(path, "/user.slice/u.service");
    ck_assert(v2);
    /* "memory" must be a controller of its own, not part of a name */
    ck_assert_int_eq(limits_parse_cgroup_path("4:memoryless:/x\n", path, sizeof path, &v2), -1);
    ck_assert_int_eq(limits_parse_cgroup_path("", path, sizeof path, &v2), -1);
    ck_assert_int_eq(limits_parse_cgroup_path("0::/a/very/long/path\n", path, 8, &v2), -1);
}
END_TEST

START_TEST(the_least_memory_wins_with_its_source)
{
    struct limits_memory m;

    limits_memory_init(&m);
    ck_assert_uint_eq(m.available, LIMITS_NONE);
    ck_assert_str_eq(m.source, "");
    limits_memory_consider(&m, 10 * GiB, "MemAvailable");
    limits_memory_consider(&m, 4 * GiB, "cgroup %d", 1);
    limits_memory_consider(&m, 7 * GiB, "cgroup %d", 2);
    ck_assert_uint_eq(m.available, 4 * GiB);
    ck_assert_str_eq(m.source, "cgroup 1");
}
END_TEST

static void write_in(const char *dir, const char *name, const char *text)
{
    char *path = tu_path(dir, name);

    tu_write_file(path, text);
    free(path);
}

/* A made-up hierarchy of cgroups in a temporary directory: the process's own has no
 * limit, its parent's is lower than the grandparent's, and what it uses less its
 * inactive file cache is taken off. */
START_TEST(a_cgroup_above_the_process_can_set_the_limit)
{
    char *mount = tu_tmpdir(), *a = tu_path(mount, "a"), *ab = tu_path(a, "b");
    struct limits_memory m;

    ck_assert_int_eq(mkdir(a, 0755), 0);
    ck_assert_int_eq(mkdir(ab, 0755), 0);
    write_in(mount, "memory.max", "max\n"); /* the root: no limit */
    write_in(a, "memory.max", "4294967296\n");
    write_in(a, "memory.current", "1073741824\n");
    write_in(a, "memory.stat", "anon 536870912\ninactive_file 536870912\n");
    write_in(ab, "memory.max", "max\n");
    limits_memory_init(&m);
    limits_memory_consider(&m, 20 * GiB, "MemAvailable");
    limits_consider_cgroups(&m, mount, "/a/b", true);
    ck_assert_uint_eq(m.available, 4 * GiB - 512 * MiB);
    ck_assert_msg(strstr(m.source, a) && strstr(m.source, "memory.max"), "%s", m.source);

    /* v1's files, and a path /proc shows from a root that is not the mount's */
    write_in(a, "memory.limit_in_bytes", "2147483648\n");
    write_in(a, "memory.usage_in_bytes", "1073741824\n");
    write_in(a, "memory.stat", "inactive_file 1\ntotal_inactive_file 536870912\n");
    limits_memory_init(&m);
    limits_consider_cgroups(&m, a, "/a/docker/x", false);
    ck_assert_uint_eq(m.available, 2 * GiB - 512 * MiB);
    ck_assert_msg(strstr(m.source, "memory.limit_in_bytes"), "%s", m.source);
    free(a);
    free(ab);
    tu_rmrf(mount);
}
END_TEST

START_TEST(memory_available_here_is_at_most_the_machine_s)
{
    char *text = tu_read_file("/proc/meminfo");
    struct limits_memory m;
    uint64_t total;

    if (text == NULL)
        tu_skip("no /proc/meminfo here");
    ck_assert_int_eq(limits_parse_kb(text, "MemTotal", &total), 0);
    free(text);
    limits_memory_available(&m);
    ck_assert_uint_gt(m.available, 0);
    ck_assert_uint_le(m.available, total);
    ck_assert_msg(m.source[0] != '\0', "no source");
}
END_TEST

START_TEST(bytes_are_named_in_binary_units)
{
    static const struct {
        uint64_t bytes;
        const char *name;
    } cases[] = {
        {0, "0 B"},           {1023, "1023 B"},       {1024, "1.0 KiB"},
        {1536, "1.5 KiB"},    {MiB - 1, "1.0 MiB"},   {512 * MiB, "512.0 MiB"},
        {24 * GiB, "24.0 GiB"}, {(uint64_t)23 * GiB + GiB / 10, "23.1 GiB"},
    };
    char buf[32];

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        limits_name_bytes(cases[k].bytes, buf, sizeof buf);
        ck_assert_str_eq(buf, cases[k].name);
    }
}
END_TEST

START_TEST(the_soft_file_limit_is_raised_only_up_to_the_hard_one)
{
    ck_assert_int_eq(limits_files_choose(10, 20, 30), LIMITS_FILES_ENOUGH);
    ck_assert_int_eq(limits_files_choose(20, 20, 20), LIMITS_FILES_ENOUGH);
    ck_assert_int_eq(limits_files_choose(10, LIMITS_NONE, LIMITS_NONE), LIMITS_FILES_ENOUGH);
    ck_assert_int_eq(limits_files_choose(40, 20, 100), LIMITS_FILES_RAISE);
    ck_assert_int_eq(limits_files_choose(40, 20, 40), LIMITS_FILES_RAISE);
    ck_assert_int_eq(limits_files_choose(40, 20, LIMITS_NONE), LIMITS_FILES_RAISE);
    ck_assert_int_eq(limits_files_choose(41, 20, 40), LIMITS_FILES_SHORT);
}
END_TEST

/* A descriptor counts against the limit only when its number is below it: open()
 * takes the lowest free number. */
START_TEST(descriptors_are_counted_below_a_number)
{
    uint64_t soft, hard, open_now, need;
    int high;

    ck_assert_int_eq(limits_files_get(&soft, &hard), 0);
    high = soft > 1000 ? 900 : (int)soft - 1;
    if (high < 64 || fcntl(high, F_GETFD) != -1)
        tu_skip("descriptor %d cannot be used for the test here", high);
    uint64_t below = limits_open_files((uint64_t)high), all = limits_open_files(LIMITS_NONE);

    ck_assert_int_eq(dup2(0, high), high);
    ck_assert_uint_eq(limits_open_files((uint64_t)high), below);
    ck_assert_uint_eq(limits_open_files((uint64_t)high + 1), below + 1);
    ck_assert_uint_eq(limits_open_files(LIMITS_NONE), all + 1);
    /* few more: the high one is above the limit they need, and takes nothing from it */
    need = limits_files_needed(8, &open_now);
    ck_assert_uint_lt(need, (uint64_t)high);
    ck_assert_uint_eq(need, 8 + open_now);
    ck_assert_uint_eq(open_now, limits_open_files(need));
    /* as many more as its number: then it holds one of theirs */
    need = limits_files_needed((uint64_t)high, &open_now);
    ck_assert_uint_eq(open_now, below + 1);
    ck_assert_uint_eq(need, (uint64_t)high + below + 1);
    close(high);
}
END_TEST

/* Three made-up programs: a backend whose workers share memory, and one whose data
 * crosses to processes, with pool.c's pipes. */
static const struct backend sharing_backend = {
    .name = "parlab-sharing", .workers_are = "sharers", .worker = WORKER_THREAD,
    .max_workers = 1024, .shares_memory = true,
};
static const struct backend crossing_backend = {
    .name = "parlab-crossing", .workers_are = "crossers", .worker = WORKER_PROCESS,
    .max_workers = 1024, .data_crosses = true,
};
static const struct program sharing = {.backend = &sharing_backend};
static const struct program crossing = {.backend = &crossing_backend};
static const struct program piping = {
    .backend = &crossing_backend, .descriptors = pool_descriptors,
    .pipe_memory = pool_pipe_memory,
};

static void fake_plan(struct plan *plan, const struct program *prog, unsigned workers,
                      unsigned jobs, unsigned reps, uint64_t payload, enum transport t)
{
    memset(plan, 0, sizeof *plan);
    plan->prog = prog;
    plan->workers = workers;
    plan->jobs = jobs;
    plan->reps = reps;
    plan->warmup_jobs = jobs < workers ? jobs : workers;
    plan->payload = payload;
    plan->transport = t;
}

START_TEST(the_payload_s_memory_follows_where_its_buffers_are_touched)
{
    const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    struct plan plan;
    struct plan_memory m;

    /* shared memory: any thread may take any job, so as many as all the jobs touch */
    fake_plan(&plan, &sharing, 8, 2, 1, 256 * MiB, TRANSPORT_PIPE);
    plan_payload_memory(&plan, &m);
    ck_assert_uint_eq(m.pair, 512 * MiB);
    ck_assert_uint_eq(m.busy, 4); /* 2 warm-up jobs and 2 counted */
    ck_assert(!m.parent_pair);
    ck_assert_uint_eq(m.touched, 4 * 512 * MiB);
    ck_assert_uint_eq(m.mapped, (8 + 2) * 512 * MiB);
    ck_assert_uint_eq(m.mapped_private, m.mapped);
    fake_plan(&plan, &sharing, 8, 2, 5, 256 * MiB, TRANSPORT_PIPE);
    plan_payload_memory(&plan, &m);
    ck_assert_uint_eq(m.busy, 8);

    /* processes, through pipes: the first jobs go to the first workers, and the parent
     * copies through a pair of its own */
    fake_plan(&plan, &crossing, 8, 3, 5, 256 * MiB, TRANSPORT_PIPE);
    plan_payload_memory(&plan, &m);
    ck_assert_uint_eq(m.busy, 3);
    ck_assert(m.parent_pair);
    ck_assert_uint_eq(m.touched, 4 * 512 * MiB);
    ck_assert_uint_eq(m.mapped_private, m.mapped);

    /* processes, in shared memory: the workers' pairs are shared, the parent's not used */
    fake_plan(&plan, &crossing, 8, 3, 5, 256 * MiB, TRANSPORT_SHM);
    plan_payload_memory(&plan, &m);
    ck_assert(!m.parent_pair);
    ck_assert_uint_eq(m.touched, 3 * 512 * MiB);
    ck_assert_uint_eq(m.mapped, 10 * 512 * MiB);
    ck_assert_uint_eq(m.mapped_private, 2 * 512 * MiB); /* the parent's, and memcpy's */

    /* whole pages, and what the pipes hold: a page of data and one of record per pipe
     * for a small payload, at most the pipe's 1 MiB for a large one */
    fake_plan(&plan, &piping, 4, 2, 1, 1000, TRANSPORT_PIPE);
    plan_payload_memory(&plan, &m);
    ck_assert_uint_eq(m.pair, 2 * page);
    ck_assert_uint_eq(m.pipes, 2 * 2 * (2 * page) + 2 * page);
    ck_assert_uint_eq(m.touched, 3 * m.pair + m.pipes);
    fake_plan(&plan, &piping, 4, 8, 1, 64 * MiB, TRANSPORT_PIPE);
    ck_assert_uint_eq(pool_pipe_memory(&plan), 4 * 2 * MiB);
    fake_plan(&plan, &piping, 4, 8, 1, 64 * MiB, TRANSPORT_SHM);
    ck_assert_uint_eq(pool_pipe_memory(&plan), 4 * 2 * page);
    ck_assert_uint_eq(pool_descriptors(&plan), 2 * 4 + 2);
    plan.payload = 0;
    ck_assert_uint_eq(pool_descriptors(&plan), 2);
}
END_TEST

/* ---- end to end, with real limits --------------------------------------------- */

/* The programs as built, also in the valgrind pass: valgrind opens descriptors and
 * maps memory of its own. */
static const char *plain_bin(void)
{
    return getenv("PARLAB_PLAIN_BIN")  ? getenv("PARLAB_PLAIN_BIN")
           : getenv("PARLAB_BIN") ? getenv("PARLAB_BIN")
                                  : "bin";
}

/* Runs `sh -c "LIMITS && exec BIN/PROGRAM ARGS"`. */
static void run_limited(struct proc_result *r, const char *limits, const char *program,
                        const char *args)
{
    char script[2048];
    const char *argv[] = {"sh", "-c", script, NULL};

    snprintf(script, sizeof script, "%s && exec '%s/%s' %s", limits, plain_bin(), program,
             args);
    tu_run_cmd(r, NULL, argv);
}

static uint64_t hard_file_limit(void)
{
    struct rlimit rl;

    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    return rl.rlim_max == RLIM_INFINITY ? LIMITS_NONE : (uint64_t)rl.rlim_max;
}

/* 40 worker processes with a payload need 82 descriptors for their pipes: with 64 as
 * the soft limit and room under the hard one, the run raises it and succeeds (it used
 * to fail with "Too many open files" after starting), and -v says so. */
START_TEST(a_soft_file_limit_below_the_need_is_raised)
{
    struct tu_results d;
    struct proc_result r;
    char args[1024], *runs;

    if (hard_file_limit() < 200)
        tu_skip("the hard limit on open files is %llu here", (unsigned long long)hard_file_limit());
    tu_results_make(&d);
    snprintf(args, sizeof args, "-n 10 -j 40 -w 40 -r 1 -v --payload 1K --runs-csv '%s'",
             d.runs);
    run_limited(&r, "ulimit -S -n 64", "parlab-procs", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_msg(tu_mentions(r.out, "ulimit -n", NULL) &&
                      tu_number_after(r.out, "raised from") == 64,
                  "said: %s", r.out);
    runs = tu_read_file(d.runs);
    ck_assert_uint_eq(tu_count_lines(runs), 3); /* the header, the earlier row, this run */
    free(runs);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

/* With 64 as the hard limit the same run is refused before anything: one line naming
 * the descriptors needed, the limit and how many are missing, nothing written.  The
 * number is exact: with that many the run succeeds, with one fewer it is refused. */
START_TEST(a_hard_file_limit_below_the_need_is_refused_with_the_number_needed)
{
    struct tu_results d;
    struct proc_result r;
    char args[1024], limit[64];
    double need;

    tu_results_make(&d);
    snprintf(args, sizeof args,
             "-n 10 -j 40 -w 40 -r 1 -q --payload 1K --runs-csv '%s' --jobs-csv '%s'", d.runs,
             d.jobs);
    run_limited(&r, "ulimit -n 64", "parlab-procs", args);
    need = tu_number_after(r.err, "needs");
    ck_assert_msg(r.status == 2 && tu_count_lines(r.err) == 1 &&
                      tu_mentions(r.err, "open files", "ulimit -n", "missing", NULL) &&
                      need >= 2 * 40 + 2 && tu_number_after(r.err, "limit is") == 64 &&
                      tu_has_number(r.err, need - 64),
                  "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, ""); /* refused before the plan is printed */
    tu_results_expect_untouched(&d);
    tu_result_release(&r);

    if (hard_file_limit() < (uint64_t)need) {
        tu_results_remove(&d);
        tu_skip("the hard limit on open files is below the %.0f needed", need);
    }
    snprintf(limit, sizeof limit, "ulimit -n %.0f", need - 1);
    run_limited(&r, limit, "parlab-procs", args);
    ck_assert_msg(r.status == 2 && tu_has_number(r.err, 1), "exit %d: %s", r.status, r.err);
    tu_results_expect_untouched(&d);
    tu_result_release(&r);
    snprintf(limit, sizeof limit, "ulimit -n %.0f", need);
    run_limited(&r, limit, "parlab-procs", args);
    ck_assert_msg(r.status == 0, "exit %d with %.0f descriptors: %s", r.status, need, r.err);
    tu_result_release(&r);
    tu_results_remove(&d);
}
END_TEST

/* Threads and the serial program hold no descriptor per worker: 40 threads and three
 * CSV files run under a limit of 16. */
START_TEST(threads_need_few_descriptors)
{
    struct tu_results d;
    struct proc_result r;
    char args[1024], *slices = NULL;

    tu_results_make(&d);
    slices = tu_path(d.dir, "slices.csv");
    snprintf(args, sizeof args,
             "-n 10 -j 40 -w 40 -r 1 -q --payload 1K --runs-csv '%s' --jobs-csv '%s' "
             "--slices-csv '%s'",
             d.runs, d.jobs, slices);
    run_limited(&r, "ulimit -n 16", "parlab-threads", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    snprintf(args, sizeof args,
             "-n 10 -j 4 -r 1 -q --payload 1K --runs-csv '%s' --jobs-csv '%s' --slices-csv '%s'",
             d.runs, d.jobs, slices);
    run_limited(&r, "ulimit -n 16", "parlab-serial", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    free(slices);
    tu_results_remove(&d);
}
END_TEST

/* Bytes of MemAvailable, read here as the program reads it. */
static uint64_t mem_available(void)
{
    char *text = tu_read_file("/proc/meminfo"), *at;
    unsigned long long kb = 0;

    if (text != NULL && (at = strstr(text, "MemAvailable:")) != NULL)
        sscanf(at, "MemAvailable: %llu kB", &kb);
    free(text);
    return (uint64_t)kb * 1024;
}

/* A payload whose buffers would take more than the memory available (W workers with
 * 2 x 1 GiB each, W chosen from MemAvailable) is refused before any of it is mapped:
 * exit 2, one line naming the payload, the workers, the memory needed and available
 * and where that number came from, nothing written.  The program runs with an address
 * space a little larger than the memory available, so that without the check it would
 * fail to map its buffers rather than meet the OOM killer; so that check must not be
 * the one that speaks. */
START_TEST(a_payload_beyond_the_memory_available_is_refused_before_it_is_mapped)
{
    static const struct {
        const char *program, *transport;
    } cases[] = {
        {"parlab-threads", ""},
        {"parlab-procs", "--transport pipe"},
        {"parlab-procs", "--transport shm"},
    };
    const uint64_t avail = mem_available();
    const unsigned workers = (unsigned)(avail / (2 * GiB)) + 2;
    const bool sanitized = getenv("PARLAB_SANITIZED") && !getenv("PARLAB_PLAIN_BIN");
    struct tu_results d;
    struct proc_result r;
    char args[1024], limit[64];

    if (avail == 0)
        tu_skip("no MemAvailable in /proc/meminfo here");
    if (workers > 1024)
        tu_skip("%u workers of 2 x 1 GiB would be needed to exceed MemAvailable", workers);
    /* AddressSanitizer reserves terabytes of address space: it cannot run under a limit */
    snprintf(limit, sizeof limit, sanitized ? "true" : "ulimit -v %llu",
             (unsigned long long)((avail + 2 * GiB) / 1024));
    tu_results_make(&d);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        snprintf(args, sizeof args, "-n 10 -j %u -w %u -r 1 --payload 1G %s --runs-csv '%s'",
                 workers, workers, cases[k].transport, d.runs);
        run_limited(&r, limit, cases[k].program, args);
        ck_assert_msg(r.status == 2 && tu_count_lines(r.err) == 1 &&
                          tu_mentions(r.err, "--payload 1 GiB", "of memory", "available",
                                      NULL) &&
                          tu_has_number(r.err, workers) &&
                          (strstr(r.err, "MemAvailable") || strstr(r.err, "cgroup")),
                      "%s %s: exit %d: %s", cases[k].program, cases[k].transport, r.status,
                      r.err);
        ck_assert_str_eq(r.out, "");
        tu_results_expect_untouched(&d);
        tu_result_release(&r);
    }
    tu_results_remove(&d);
}
END_TEST

static Suite *limits_suite(void)
{
    Suite *s = suite_create("limits");
    TCase *unit = tcase_create("unit"), *e2e = tcase_create("end to end");

    tcase_add_test(unit, meminfo_gives_memavailable_in_bytes);
    tcase_add_test(unit, cgroup_limits_are_numbers_max_or_v1s_no_limit);
    tcase_add_test(unit, memory_stat_values_are_found_by_their_whole_key);
    tcase_add_test(unit, the_memory_cgroup_comes_from_proc_self_cgroup);
    tcase_add_test(unit, the_least_memory_wins_with_its_source);
    tcase_add_test(unit, a_cgroup_above_the_process_can_set_the_limit);
    tcase_add_test(unit, memory_available_here_is_at_most_the_machine_s);
    tcase_add_test(unit, bytes_are_named_in_binary_units);
    tcase_add_test(unit, the_soft_file_limit_is_raised_only_up_to_the_hard_one);
    tcase_add_test(unit, descriptors_are_counted_below_a_number);
    tcase_add_test(unit, the_payload_s_memory_follows_where_its_buffers_are_touched);
    suite_add_tcase(s, unit);
    tcase_set_timeout(e2e, 60);
    tcase_add_test(e2e, a_soft_file_limit_below_the_need_is_raised);
    tcase_add_test(e2e, a_hard_file_limit_below_the_need_is_refused_with_the_number_needed);
    tcase_add_test(e2e, threads_need_few_descriptors);
    tcase_add_test(e2e, a_payload_beyond_the_memory_available_is_refused_before_it_is_mapped);
    suite_add_tcase(s, e2e);
    return s;
}

int main(void)
{
    return tu_run_suite(limits_suite());
}
