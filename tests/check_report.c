/*
 * check_report.c - parlab-report --markdown: the numbers each section states, on the
 * fixtures in tests/fixtures (small: round numbers, see its README; lessons: a real
 * run of every experiment).  Sentences are found by the series they begin with and
 * checked for their numbers, so rewording one does not fail a test and a wrong
 * number does.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "testutil.h"

/* parlab-report --markdown on dir's CSV files; fails the test unless it exits 0. */
static void markdown(struct proc_result *r, const char *dir)
{
    char *runs = tu_path(dir, "runs.csv");
    const char *args[] = {"--runs-csv", runs, "--markdown", NULL};

    tu_run(r, "parlab-report", args);
    ck_assert_msg(r->status == 0, "parlab-report exited %d: %s", r->status, r->err);
    free(runs);
}

/* The line of out starting with prefix holds each of the numbers (as text). */
static void expect_line(const char *out, const char *prefix, const char *const *numbers)
{
    char *line = fixture_line(out, prefix);

    ck_assert_msg(line != NULL, "the report has no line starting with: %s", prefix);
    for (const char *const *n = numbers; *n != NULL; n++)
        ck_assert_msg(strstr(line, *n) != NULL, "'%s' lacks %s", line, *n);
    free(line);
}

#define EXPECT(out, prefix, ...) expect_line(out, prefix, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(the_report_states_the_fixtures_numbers)
{
    /* Serial takes 2.0 s; threads with the lock released 1.0 s, held 2.0 s; procs with
     * 3 workers 1.25 s, 0.001 s of it their parent's own CPU time. */
    struct proc_result r;

    markdown(&r, FIXTURE_SMALL);
    /* the tables: structure and numbers */
    ck_assert_ptr_nonnull(strstr(r.out, "| serial | 1 | 2.000 (1.900–2.100) | 2.000 | 0.000 | 1.00 |"));
    ck_assert_ptr_nonnull(strstr(r.out, "| threads, lock none | 3 | 1.000 (0.900–1.100) | 2.000 | 0.000 | 2.00 |"));
    ck_assert_ptr_nonnull(strstr(r.out, "| procs, lock held | 3 | 1.250 (1.150–1.350) | 0.001 | 2.000 | 1.60 |"));
    ck_assert_ptr_nonnull(strstr(r.out, "| 3 | 2.00 (1.82–2.22) | 1.00 (0.95–1.05) | 1.60 (1.48–1.74) |"));
    ck_assert_ptr_nonnull(strstr(r.out, "| close | threads, lock none | 1.000 (0.900–1.100) | 4 of 4 | 0 of 4 |"));
    /* the sentences: their numbers */
    EXPECT(r.out, "Machine **vm**", "2 usable PUs", "n = 80", "4 jobs per run", "3 counted");
    EXPECT(r.out, "- **serial**", "4 jobs", "2.00 s");
    EXPECT(r.out, "- **threads, lock none**: 3 workers", "2.00", "2 PUs");
    EXPECT(r.out, "- **threads, lock held**: 3 workers", "1.00", "4 jobs");
    EXPECT(r.out, "- **procs, lock held**: 3 workers", "1.60", "0.001 s", "2.00 s");
    EXPECT(r.out, "- **threads, lock none**: the speedup", "2.00 at W = 2", "2 PUs",
           "2.00 at W = 4");
    EXPECT(r.out, "- **threads, lock held**: the speedup", "1.00");
    EXPECT(r.out, "- **threads, lock none**: up to", "3 of the 4 jobs", "2 PUs");
    EXPECT(r.out, "- **threads, lock held**: the 4 jobs", "0.01 s");
    EXPECT(r.out, "- **close**", "8 of 8");
    EXPECT(r.out, "- **none**", "0 of 8");
    ck_assert_ptr_nonnull(strstr(r.out, "(speedup.png)"));
    tu_result_release(&r);
}
END_TEST

/* Each serial fraction's speedup divides by the serial run of jobs of the same size:
 * run-all runs the lessons on shorter jobs than the notebook's cases. */
static const char *three_runs(const char *line, const char **extra)
{
    static const char *const rows[] = {
        "a,parlab-serial,1,4,80,none,none,1,2.0,2.0,0.0,4,vm,2,2026-11-25T16:53:12.209Z,,,0,memory,",
        "b,parlab-serial,1,4,60,none,none,1,1.0,1.0,0.0,4,vm,2,2026-11-25T16:53:13.209Z,,,0,memory,",
        "c,parlab-threads,2,4,60,fraction:0.5,none,1,0.8,1.0,0.0,4,vm,2,"
        "2026-11-25T16:53:14.209Z,,,0,memory,",
    };
    static size_t next;

    if (strncmp(line, "run_id,", 7) == 0) {
        next = 0;
        return line;
    }
    *extra = next < 3 ? rows[next++] : NULL;
    return NULL;
}

/* tests/fixtures/joblib: parlab's runs, then joblib-compare's notebook cases (12 jobs
 * of n = 146 on 3 workers): the section sets each beside parlab's same case, its
 * speedup over joblib-serial (0.424 s), parlab's over parlab-serial (0.597 s). */
START_TEST(joblib_s_cases_are_set_beside_parlab_s)
{
    char *dir = fixture_copy("tests/fixtures/joblib"), *part;
    struct proc_result r;

    markdown(&r, dir);
    part = strstr(r.out, "## 9. joblib beside parlab\n");
    ck_assert_msg(part != NULL, "no joblib section: %s", r.out);
    ck_assert_ptr_nonnull(strstr(part, "| joblib-threading | none | 3 | 0.236 | 0.446 | 1.79 | "
                                       "threads | 0.311 | 0.596 | 1.92 |\n"));
    ck_assert_ptr_nonnull(strstr(part, "| joblib-loky | held | 3 | 0.232 | 0.005 | 1.83 | "
                                       "procs | 0.313 | 0.000 | 1.90 |\n"));
    EXPECT(part, "- **joblib-serial**", "12 jobs", "n = 146", "0.424 s", "0.597 s");
    EXPECT(part, "- **joblib-threading, lock none, W = 3**", "1.79", "1.92", "93%", "1.89 times");
    EXPECT(part, "- **joblib-threading, lock held, W = 3**", "0.91", "1.00", "one of its 3");
    EXPECT(part, "- **joblib-loky, lock held, W = 3**", "1.83", "1.90", "within 5%", "0.005 s",
           "not reaped");
    /* the fixture's multiprocessing runs used 1.27 times the serial CPU time */
    EXPECT(part, "- **joblib-multiprocessing, lock held, W = 3**", "not a clean measurement");
    /* the notebook's sections never divide joblib's cases by parlab-serial */
    ck_assert_ptr_null(strstr(r.out, "2.53"));
    tu_result_release(&r);

    /* other programs beside loky's runs: no sentence rests on them */
    fixture_set(dir, &(struct fixture_rows){.program = "joblib-loky"}, "other_cpu_s", "0.30", 0);
    markdown(&r, dir);
    part = strstr(r.out, "## 9. joblib beside parlab\n");
    ck_assert_ptr_nonnull(part);
    EXPECT(part, "- **joblib-loky, lock held, W = 3**", "not a clean measurement");
    ck_assert_ptr_null(strstr(part, "within 5%"));
    tu_result_release(&r);
    tu_rmrf(dir);

    /* without joblib's rows, no such section */
    markdown(&r, FIXTURE_QUIET);
    ck_assert_ptr_null(strstr(r.out, "joblib"));
    tu_result_release(&r);
}
END_TEST

START_TEST(a_speedup_divides_by_the_serial_run_of_its_own_size)
{
    char *dir = fixture_copy(FIXTURE_LESSONS);
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", three_runs);
    markdown(&r, dir); /* 1.0 / 0.8, not 2.0 / 0.8 */
    ck_assert_msg(strstr(r.out, "| 2 | 1.25 (1.33) |"), "said: %s", r.out);
    EXPECT(r.out, "- **F = 0.5**", "1.25", "1.33", "-6%");
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* Every row of granularity.csv as busy as one PU (other_cpu_s = wall_s). */
static const char *busy_granularity(const char *line, const char **extra)
{
    static char out[1024];
    char *fields[40], copy[1024];
    size_t n = 0;

    (void)extra;
    if (strncmp(line, "run_id,", 7) == 0)
        return line;
    snprintf(copy, sizeof copy, "%s", line);
    /* the fixture's fields hold no comma but "dynamic,1" (schedule, field 27) */
    for (char *p = copy, *f = copy; n < 40; p++) {
        if (*p == '"')
            for (p++; *p && *p != '"'; p++)
                ;
        if (*p == ',' || *p == '\0') {
            bool end = *p == '\0';

            *p = '\0';
            fields[n++] = f;
            f = p + 1;
            if (end)
                break;
        }
    }
    fields[21] = fields[8]; /* other_cpu_s: the wall time's worth */
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "," : "", fields[i]);
    return out;
}

/* The crossovers: interpolated in log t (tests/fixtures/granularity/README.md: 31.6 us
 * and 464 us), beside 9 o from overhead.csv; not reached by mpi, which has no overhead
 * row; busy runs get the cautious sentence; without granularity.csv no section. */
START_TEST(the_granularity_section_states_the_crossovers)
{
    char *dir = fixture_copy(FIXTURE_GRANULARITY), *path;
    struct proc_result r;

    markdown(&r, dir);
    ck_assert_ptr_nonnull(strstr(r.out, "## 8. When parallel pays: job size"));
    EXPECT(r.out, "- **threads** (W = 2)", "1.60 at 10 us", "2.00 at 100 us", "**31.6 us**",
           "o = 1 us", "9 o = 9 us", "at 10 us its runs paid 2.5 us per job");
    {   /* threads have no parent process to speak of */
        const char *line = strstr(r.out, "- **threads**");
        ck_assert_ptr_nonnull(line);
        ck_assert_ptr_null(memmem(line, strcspn(line, "\n"), "parent process", 14));
    }
    EXPECT(r.out, "- **procs** (W = 2)", "**464 us**", "o = 10 us", "9 o = 90 us",
           "at 100 us its runs paid 25 us per job",
           "its parent process used 1 us of CPU per job");
    EXPECT(r.out, "- **mpi** (W = 2)", "not reached up to 1 ms", "1.50",
           "no queue row for parlab-mpi", "at 1 ms its runs paid 333 us per job");
    ck_assert_ptr_null(strstr(r.out, "Not a clean measurement"));
    tu_result_release(&r);

    fixture_rewrite(dir, "granularity.csv", busy_granularity);
    path = tu_path(dir, "overhead.csv");
    ck_assert_int_eq(unlink(path), 0);
    free(path);
    markdown(&r, dir);
    EXPECT(r.out, "- **threads** (W = 2)", "**31.6 us**", "Not a clean measurement",
           "other programs used");
    ck_assert_ptr_null(strstr(r.out, "9 o ="));
    ck_assert_ptr_nonnull(strstr(r.out, "There is no `overhead.csv`"));
    tu_result_release(&r);
    tu_rmrf(dir);

    markdown(&r, FIXTURE_SMALL);
    ck_assert_ptr_null(strstr(r.out, "When parallel pays"));
    tu_result_release(&r);
}
END_TEST

/* The simd section (fixture_add_simd): vectorising multiplies by 4.00 (79.03 ns per step
 * against 316.14: 0.5 s and 2.0 s of CPU over 4 x C(80,4) steps), threads by 2.00 at
 * W = 2, and simd threads' 7.84 is 2.0% below 4 x 2: they multiply, within 3%.  Busy
 * simd threads carry no verdict; without simd runs there is no section. */
START_TEST(the_simd_section_says_whether_the_two_multiply)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *busy = fixture_copy(FIXTURE_SMALL);
    struct proc_result r;
    const char *section;

    fixture_add_simd(dir, "0.000000");
    markdown(&r, dir);
    section = strstr(r.out, "## 10. The parallelism inside each core");
    ck_assert_msg(section != NULL, "no section: %s", r.out);
    ck_assert_ptr_nonnull(strstr(section, "its avx2 variant"));
    ck_assert_ptr_nonnull(strstr(section, "n = 80"));
    ck_assert_ptr_nonnull(strstr(section, "| simd threads | 2 | 0.255 | 0.500 | 7.84 (7.55–8.16) |"));
    EXPECT(section, "- **Vectorising** multiplies", "by 4.00", "avx2", "79.03 ns", "316.14");
    EXPECT(section, "- **Threads** multiply", "by 2.00 at W = 2", "ideal 2");
    EXPECT(section, "- **Together**", "7.84", "4.00 x 2 = 8.00", "they multiply together",
           "within 3%", "2.0% below");
    ck_assert_ptr_null(strstr(section, "not a clean measurement"));
    ck_assert_ptr_null(strstr(section, "too short"));
    tu_result_release(&r);

    fixture_add_simd(busy, "0.255000"); /* one PU's worth beside the W = 2 simd runs */
    markdown(&r, busy);
    section = strstr(r.out, "## 10. The parallelism inside each core");
    ck_assert_ptr_nonnull(section);
    EXPECT(section, "- **Vectorising** multiplies", "by 4.00");
    EXPECT(section, "- **Both, W = 2**", "7.84", "not a clean measurement",
           "other programs used", "nothing is concluded");
    EXPECT(section, "- **Together**", "cannot be told");
    ck_assert_ptr_null(strstr(section, "multiply together"));
    tu_result_release(&r);
    tu_rmrf(dir);
    tu_rmrf(busy);

    markdown(&r, FIXTURE_SMALL);
    ck_assert_ptr_null(strstr(r.out, "## 10."));
    tu_result_release(&r);
}
END_TEST

START_TEST(the_report_refuses_bad_requests)
{
    static const char *const bad[][3] = {
        {"--data", "speedup", NULL}, {"--figure-data", "", NULL}, {"--markdown", "--figure-data", "x"},
        {"-w", "0", NULL},       {"--runs-csv", "", NULL},        {"--runs", "x", NULL},
        {"--markdown=yes", NULL, NULL}, {"--markdown", "extra", NULL}, {NULL, NULL, NULL}};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[] = {bad[i][0], bad[i][1], bad[i][2], NULL};
        struct proc_result r;

        tu_run(&r, "parlab-report", args);
        ck_assert_msg(r.status == 2 && tu_count_lines(r.err) == 1 && r.out[0] == '\0',
                      "case %zu: exit %d, said %s", i, r.status, r.err);
        tu_result_release(&r);
    }
}
END_TEST

START_TEST(unreadable_results_are_one_line)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv");
    const char *missing[] = {"--runs-csv", runs, "--markdown", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-report", missing);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 && strstr(r.err, runs),
                  "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    tu_write_file(runs, "not,a,runs,file\n1,2,3,4\n");
    tu_run(&r, "parlab-report", missing);
    ck_assert_msg(r.status == 1 && strstr(r.err, "not a parlab runs CSV"), "said %s", r.err);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(serial_runs_alone_make_a_short_report)
{
    char *dir = fixture_copy(FIXTURE_SMALL);
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", fixture_serial_only);
    markdown(&r, dir);
    ck_assert_ptr_null(strstr(r.out, "| threads"));
    EXPECT(r.out, "- **serial**", "4 jobs", "2.00 s");
    ck_assert_ptr_null(strstr(r.out, "0 workers"));
    ck_assert_ptr_null(strstr(r.out, "## 5."));
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(without_serial_runs_there_is_no_speedup)
{
    char *dir = fixture_copy(FIXTURE_SMALL);
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", fixture_no_serial);
    markdown(&r, dir);
    ck_assert_ptr_nonnull(strstr(r.out, "| threads, lock none | 3 | 1.000 (0.900–1.100) | 2.000 | 0.000 | – [1] |"));
    ck_assert_ptr_nonnull(strstr(r.out, "\n[1] no serial run on host vm.\n"));
    ck_assert_ptr_null(strstr(r.out, "speedup of"));
    ck_assert_ptr_null(strstr(r.out, "(speedup.png)"));
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* The serial runs of the lessons fixture (a real run) relabelled to another kernel
 * size: those of n = `from` (0: all of them) now of n - 1, as a -t that chose another n
 * for serial than for the others leaves them. */
static unsigned long relabel_from;

static const char *serial_one_smaller(const char *line, const char **extra)
{
    static char row[4096];
    const char *p = line;
    unsigned long n;
    char *end;

    (void)extra;
    if (strstr(line, ",parlab-serial,") == NULL)
        return line;
    for (int comma = 0; comma < 4; comma++) /* to the fifth field, size */
        p = strchr(p, ',') + 1;
    n = strtoul(p, &end, 10);
    if (relabel_from != 0 && n != relabel_from)
        return line;
    snprintf(row, sizeof row, "%.*s%lu%s", (int)(p - line), line, n - 1, end);
    return row;
}

/* The rows of a Markdown table of section `heading` that start with "| " and a digit
 * (its W rows): true when none of them holds a decimal point, that is a number. */
static bool no_number_in_rows(const char *out, const char *heading, const char *next)
{
    const char *at = strstr(out, heading), *stop = at ? strstr(at, next) : NULL;

    ck_assert_msg(at != NULL, "no section %s in: %s", heading, out);
    for (const char *line = at; line != NULL && (stop == NULL || line < stop);
         line = strchr(line + 1, '\n')) {
        const char *l = line[0] == '\n' ? line + 1 : line, *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l) : strlen(l);

        if (len > 2 && l[0] == '|' && l[2] >= '0' && l[2] <= '9' && memchr(l, '.', len))
            return false;
    }
    return true;
}

START_TEST(a_case_without_a_serial_run_of_its_size_has_a_note_and_no_speedup)
{
    char *dir = fixture_copy(FIXTURE_LESSONS);
    struct proc_result r;

    relabel_from = 108; /* the notebook's and the sweep's size; n = 85 keeps its own */
    fixture_rewrite(dir, "runs.csv", serial_one_smaller);
    markdown(&r, dir);
    ck_assert_msg(strstr(r.out, "| threads, lock none | 3 | 0.022 (0.022–0.022) | 0.042 | "
                                "0.000 | – [1] |") &&
                      strstr(r.out, "| procs, lock held | 3 |") &&
                      strstr(r.out, "\n[1] no serial run with n = 108 on host vm; nearest n = "
                                    "107.\n") &&
                      strstr(r.out, "- **threads, lock none**: no speedup to give [1]."),
                  "said: %.3000s", r.out);
    ck_assert_msg(strstr(r.out, "kernel `wait_loop(n = 107)`, 4 jobs per run (serial; the "
                                "notebook's other cases: n = 108)"),
                  "said: %.3000s", r.out);
    ck_assert_ptr_null(strstr(r.out, "speedup of"));
    /* the sweep: no number, each case's note */
    ck_assert_msg(strstr(r.out, "| 2 | – [1] | – [1] | – [1] |"), "said: %.3000s", r.out);
    ck_assert(no_number_in_rows(r.out, "## 2.", "## 3."));
    /* Amdahl: F = 0 and 1 are of n = 108, the other fractions of n = 85 */
    ck_assert_msg(strstr(r.out,
                         "| 2 | – [1] | 1.78 (1.82) | 1.59 (1.60) | 1.29 (1.33) | – [1] |"),
                  "said: %.3000s", r.out);
    EXPECT(r.out, "- **F = 0**: no speedup at W = 2 [1]", "Amdahl");
    EXPECT(r.out, "- **F = 0.5**", "1.29", "Karp–Flatt");
    ck_assert_ptr_null(strstr(r.out, "- **F = 1**: at W"));
    tu_result_release(&r);
    tu_rmrf(dir);

    dir = fixture_copy(FIXTURE_LESSONS);
    relabel_from = 0; /* every serial run: nothing divides */
    fixture_rewrite(dir, "runs.csv", serial_one_smaller);
    markdown(&r, dir);
    ck_assert(no_number_in_rows(r.out, "## 2.", "## 3."));
    ck_assert(no_number_in_rows(r.out, "## 3.", "## 4."));
    ck_assert_msg(strstr(r.out, "## 4.") && /* the timeline's own note */
                      strstr(strstr(r.out, "## 4."),
                             "\n[1] no serial run with n = 85 on host vm; nearest n = 84.\n"),
                  "said: %.3000s", r.out);
    EXPECT(r.out, "- **threads, lock held, handed over (switch=5ms)**", "no serial time",
           "[1]");
    ck_assert_ptr_null(strstr(r.out, "times as long"));
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* The lessons fixture with its serial run of n = 108 moved to the end of the file,
 * after that of n = 85. */
static const char *serial_108_last(const char *line, const char **extra)
{
    static char kept[4096];

    if (strncmp(line, "run_id,", 7) == 0)
        kept[0] = '\0';
    if (strstr(line, ",parlab-serial,1,4,108,") != NULL) {
        snprintf(kept, sizeof kept, "%s", line);
        return NULL;
    }
    if (strstr(line, ",parlab-serial,1,4,85,") != NULL && kept[0] != '\0')
        *extra = kept; /* the last serial row of the fixture: 108 again after it */
    return line;
}

START_TEST(the_notebook_s_serial_row_is_the_one_its_speedups_divide_by)
{
    char *dir = fixture_copy(FIXTURE_LESSONS);
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", serial_108_last);
    markdown(&r, dir); /* the first serial case is of n = 85, the notebook's of 108 */
    ck_assert_msg(strstr(r.out, "| serial | 1 | 0.043 (0.043–0.043) | 0.043 | 0.000 | 1.00 |") &&
                      strstr(r.out, "kernel `wait_loop(n = 108)`, 4 jobs per run and"),
                  "said: %.3000s", r.out);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

/* A backend no source file names, from its rows alone: its own row in every table. */
START_TEST(a_backend_the_code_does_not_know_gets_its_own_rows)
{
    char *dir = fixture_copy(FIXTURE_LESSONS), *procs, *fake;
    struct proc_result r;

    fixture_add_fake_backend(dir);
    markdown(&r, dir);
    procs = fixture_line(r.out, "| procs, lock held | 3 |");
    fake = fixture_line(r.out, "| fake, lock held | 3 |");
    ck_assert_msg(procs && fake, "said: %s", r.out);
    ck_assert_str_eq(procs + strlen("| procs"), fake + strlen("| fake")); /* the same numbers */
    ck_assert_ptr_nonnull(strstr(r.out, "| procs, lock held | fake, lock held |")); /* sweep */
    ck_assert_ptr_nonnull(strstr(r.out, "| close | fake, lock held |"));           /* pinning */
    ck_assert_ptr_nonnull(strstr(r.out, " fake: through pipes |"));                /* payloads */
    EXPECT(r.out, "- **fake, lock held**: up to", "of the 4 jobs");                /* timeline */
    /* its workers are processes: the parent's CPU time is the evidence, as for procs */
    EXPECT(r.out, "- **fake, lock held**: 3 workers", "0.000 s");
    free(procs);
    free(fake);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST


/* Two machines' runs in one file: a copy of every row under another host, first. */
static const char *second_host(const char *line, const char **extra)
{
    static char row[4096];
    const char *vm = strstr(line, ",vm,");

    if (strncmp(line, "run_id,", 7) == 0 || vm == NULL)
        return line;
    snprintf(row, sizeof row, "big-%.*s,bigbox,8,%s", (int)(vm - line), line,
             strchr(vm + 4, ',') + 1); /* bigbox: 8 PUs */
    *extra = line; /* vm's row after bigbox's */
    return row;
}

START_TEST(one_machine_is_reported_and_the_others_named)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *runs = tu_path(dir, "runs.csv");
    const char *vm[] = {"--runs-csv", runs, "--host", "vm", "--markdown", NULL};
    const char *none[] = {"--runs-csv", runs, "--host", "nowhere", "--markdown", NULL};
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", second_host);
    markdown(&r, dir); /* the first row's machine: bigbox, 8 PUs, and vm named */
    EXPECT(r.out, "Machine **bigbox**", "8 usable PUs");
    EXPECT(r.out, "**The runs CSV also holds runs of 1 other machine", "vm", "--host");
    ck_assert_ptr_nonnull(strstr(r.out, "| serial | 1 | 2.000 (1.900–2.100) | 2.000 | 0.000 | 1.00 |"));
    tu_result_release(&r);
    tu_run(&r, "parlab-report", vm); /* vm's numbers, not a mixture */
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    EXPECT(r.out, "Machine **vm**", "2 usable PUs");
    ck_assert_ptr_nonnull(strstr(r.out, "| 3 | 2.00 (1.82–2.22) | 1.00 (0.95–1.05) | 1.60 (1.48–1.74) |"));
    EXPECT(r.out, "**The runs CSV also holds runs of 1 other machine", "bigbox");
    tu_result_release(&r);
    tu_run(&r, "parlab-report", none);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 && strstr(r.err, "'nowhere'") &&
                      strstr(r.err, "bigbox") && strstr(r.err, "vm"),
                  "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(one_worker_is_a_notebook_case_too)
{
    const char *args[] = {"--runs-csv", FIXTURE_SMALL "/runs.csv", "-w", "1", "--markdown", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-report", args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "| threads, lock none | 1 | 2.000 (1.900–2.100) |"));
    EXPECT(r.out, "- **threads, lock none**: 1 worker", "1.00");
    tu_result_release(&r);
}
END_TEST

START_TEST(a_jobs_csv_named_on_the_command_line_must_be_there)
{
    const char *args[] = {"--runs-csv", FIXTURE_SMALL "/runs.csv", "--jobs-csv", "typo.csv",
                          "--markdown", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-report", args);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 && strstr(r.err, "'typo.csv'") &&
                      r.out[0] == '\0',
                  "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
}
END_TEST

/* A worker count far beyond any that runs: the tables go by the counts there are. */
static const char *huge_workers(const char *line, const char **extra)
{
    static char row[4096];
    const char *p = strstr(line, ",parlab-threads,3,");

    (void)extra;
    if (p == NULL)
        return line;
    snprintf(row, sizeof row, "%.*s,parlab-threads,4000000000,%s", (int)(p - line), line,
             p + strlen(",parlab-threads,3,"));
    return row;
}

static const char *bad_time(const char *line, const char **extra)
{
    static char row[4096];
    const char *p = strstr(line, ",1.900000000,");

    (void)extra;
    if (p == NULL)
        return line;
    snprintf(row, sizeof row, "%.*s,nan,%s", (int)(p - line), line, p + strlen(",1.900000000,"));
    return row;
}

START_TEST(strange_values_end_in_a_report_or_one_line)
{
    char *dir = fixture_copy(FIXTURE_SMALL), *runs = tu_path(dir, "runs.csv");
    const char *args[] = {"--runs-csv", runs, "--markdown", NULL};
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", huge_workers);
    markdown(&r, dir); /* in a moment, not a loop over four billion W */
    ck_assert_ptr_nonnull(strstr(r.out, "| 4000000000 |"));
    tu_result_release(&r);
    tu_rmrf(dir);
    dir = fixture_copy(FIXTURE_SMALL);
    free(runs);
    runs = tu_path(dir, "runs.csv");
    args[1] = runs;
    fixture_rewrite(dir, "runs.csv", bad_time);
    tu_run(&r, "parlab-report", args);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 &&
                      strstr(r.err, "line 2, column wall_s") && strstr(r.err, "\"nan\""),
                  "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

/* Sets field col (from 0) of line `line` (from 1) of dir/file to value. */
static void set_field(const char *dir, const char *file, size_t line, size_t col,
                      const char *value)
{
    char *path = tu_path(dir, file), *text = tu_read_file(path), *p = text, *end, *out;
    size_t n;

    for (size_t k = 1; k < line; k++) {
        p = strchr(p, '\n');
        ck_assert_ptr_nonnull(p);
        p++;
    }
    for (size_t k = 0; k < col; k++) {
        p = strpbrk(p, ",\n");
        ck_assert_msg(p != NULL && *p == ',', "%s line %zu has no field %zu", file, line, col);
        p++;
    }
    end = p + strcspn(p, ",\n");
    n = strlen(text) + strlen(value) + 1;
    out = malloc(n);
    ck_assert_ptr_nonnull(out);
    snprintf(out, n, "%.*s%s%s", (int)(p - text), text, value, end);
    tu_write_file(path, out);
    free(out);
    free(text);
    free(path);
}

/* parlab-report --markdown on dir fails with one line that names dir/file and holds
 * each of the parts. */
static void refused(const char *dir, const char *file, const char *const *parts)
{
    char *runs = tu_path(dir, "runs.csv"), *path = tu_path(dir, file);
    const char *args[] = {"--runs-csv", runs, "--markdown", NULL};
    struct proc_result r;

    tu_run(&r, "parlab-report", args);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 && strstr(r.err, path) &&
                      r.out[0] == '\0',
                  "exit %d: %s", r.status, r.err);
    for (const char *const *p = parts; *p != NULL; p++)
        ck_assert_msg(strstr(r.err, *p) != NULL, "'%s' lacks '%s'", r.err, *p);
    tu_result_release(&r);
    free(path);
    free(runs);
}

#define REFUSED(dir, file, ...) refused(dir, file, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(bad_times_and_open_quotes_are_named_by_file_line_and_column)
{
    static const struct {
        const char *fixture, *file;
        size_t line, col;
        const char *value, *where;
    } bad[] = {
        {FIXTURE_SMALL, "runs.csv", 2, 8, "0x1p3", "line 2, column wall_s"},
        {FIXTURE_SMALL, "runs.csv", 3, 9, "-5.00", "line 3, column cpu_self_s"},
        {FIXTURE_SMALL, "jobs.csv", 3, 8, "0x1p3", "line 3, column t_end_s"},
        {FIXTURE_SMALL, "jobs.csv", 4, 9, "inf", "line 4, column cpu_s"},
        {FIXTURE_SMALL, "jobs.csv", 2, 10, "-1", "line 2, column lock_wait_s"},
        {FIXTURE_LESSONS, "slices.csv", 2, 4, "nan", "line 2, column t_start_s"},
    };
    char quoted[32], *dir;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dir = fixture_copy(bad[i].fixture);
        set_field(dir, bad[i].file, bad[i].line, bad[i].col, bad[i].value);
        snprintf(quoted, sizeof quoted, "\"%s\"", bad[i].value);
        REFUSED(dir, bad[i].file, bad[i].where, quoted);
        tu_rmrf(dir);
    }
    /* a quote left open on line 3, closed at the end of line 5: the rows between would
     * have become one field of line 3's row */
    dir = fixture_copy(FIXTURE_SMALL);
    set_field(dir, "jobs.csv", 3, 14, "\"no");
    set_field(dir, "jobs.csv", 5, 14, "no\"");
    REFUSED(dir, "jobs.csv", "line 3, column bound", "line 5");
    tu_rmrf(dir);
    dir = fixture_copy(FIXTURE_SMALL);
    set_field(dir, "runs.csv", 4, 12, "\"vm");
    REFUSED(dir, "runs.csv", "line 4, column host", "never closes");
    tu_rmrf(dir);
}
END_TEST

START_TEST(switching_that_cut_no_job_is_not_called_interleaving)
{
    struct proc_result r;
    char *line;

    markdown(&r, FIXTURE_LESSONS); /* its jobs end within the 5 ms interval */
    line = fixture_line(r.out, "- **threads, lock held, handed over");
    ck_assert_ptr_nonnull(line);
    ck_assert_msg(strstr(line, "0 hand-overs") && !strstr(line, "interleaved"), "%s", line);
    free(line);
    tu_result_release(&r);
}
END_TEST

/* ---- how clean the measurements are: a quiet and a busy machine's real runs -------- */

/* The report of a copy of fixture `from` after edit(dir) changed it. */
static void markdown_edited(struct proc_result *r, const char *from, void (*edit)(const char *))
{
    char *dir = fixture_copy(from);

    edit(dir);
    markdown(r, dir);
    tu_rmrf(dir);
}

/* The share of the fixture's runs during which other programs used more than a tenth
 * of a CPU-second per second: what the fixture itself says of its machine. */
static double busy_share(const char *fixture)
{
    char *path = tu_path(fixture, "runs.csv");
    struct csv_table t;
    size_t busy = 0, runs;

    tu_read_csv(path, &t);
    runs = t.nrows - 1;
    for (size_t k = 1; k < t.nrows; k++)
        busy += tu_num(&t, k, "other_cpu_s") > 0.1 * tu_num(&t, k, "wall_s") + 0.02;
    free(path);
    csv_table_release(&t);
    return runs > 0 ? (double)busy / (double)runs : 0;
}

/* The report's first section, up to "## 1." (a copy). */
static char *conditions(const char *out)
{
    const char *from = strstr(out, "## How clean the measurements are"), *to = strstr(out, "## 1.");

    ck_assert_msg(from != NULL && to != NULL && from < to,
                  "the conditions are not said before the notebook's cases: %.300s", out);
    return strndup(from, (size_t)(to - from));
}

START_TEST(a_busy_machine_is_said_first_and_no_lesson_rests_on_its_speedups)
{
    static const char *const notebook[] = {"- **threads, lock none**: 3 workers",
                                           "- **threads, lock held**: 3 workers",
                                           "- **procs, lock held**: 3 workers"};
    struct proc_result r;
    char *first;

    ck_assert_msg(busy_share(FIXTURE_BUSY) > 0.5, "the busy fixture was not recorded busy");
    markdown(&r, FIXTURE_BUSY);
    first = conditions(r.out);
    ck_assert_msg(strstr(first, "**The machine was busy**") && strstr(first, "CPU-seconds per"),
                  "said: %s", first);
    ck_assert_ptr_null(strstr(first, "Otherwise idle"));
    /* no conclusion that rests on a speedup */
    ck_assert_ptr_null(strstr(r.out, "ran in parallel on the"));
    ck_assert_ptr_null(strstr(r.out, "add nothing"));
    ck_assert_ptr_null(strstr(r.out, "the speedup grows to"));
    ck_assert_ptr_null(strstr(r.out, "from the speedup alone"));
    for (size_t i = 0; i < sizeof notebook / sizeof notebook[0]; i++)
        EXPECT(r.out, notebook[i], "not a clean measurement");
    ck_assert_uint_eq(fixture_count(r.out, "- **F = "),
                      fixture_count(r.out, "so the fit says little about F"));
    /* what the jobs' intervals and the CPU times show still holds */
    EXPECT(r.out, "- **threads, lock held**: 3 workers", "the 12 jobs ran one at a time");
    EXPECT(r.out, "- **procs, lock held**: 3 workers", "the parent's own CPU time");
    EXPECT(r.out, "- **threads, lock held**: the speedups", "intervals still show one job at a time");
    free(first);
    tu_result_release(&r);
}
END_TEST

START_TEST(a_quiet_machine_states_every_lesson)
{
    struct proc_result r;
    char *first;

    ck_assert_msg(busy_share(FIXTURE_QUIET) == 0, "the quiet fixture was not recorded quiet");
    markdown(&r, FIXTURE_QUIET);
    first = conditions(r.out);
    ck_assert_msg(strstr(first, "Otherwise idle") && !strstr(first, "busy**") &&
                      !strstr(first, "disagree**"),
                  "said: %s", first);
    ck_assert_ptr_null(strstr(r.out, "not a clean"));
    ck_assert_ptr_null(strstr(r.out, "impossible"));
    EXPECT(r.out, "- **serial**: 12 jobs", "CPU time equals wall time");
    EXPECT(r.out, "- **threads, lock none**: 3 workers", "the jobs ran in parallel on the 2 PUs");
    EXPECT(r.out, "- **threads, lock held**: 3 workers", "the 12 jobs ran one at a time");
    EXPECT(r.out, "- **procs, lock held**: 3 workers", "the parent's own CPU time");
    EXPECT(r.out, "- **threads, lock none**: the speedup grows to", "at W = 2");
    EXPECT(r.out, "- **procs, lock held**: the speedup grows to", "at W = 2");
    EXPECT(r.out, "- **threads, lock held**: the speedup", "one job at a time");
    EXPECT(r.out, "- **F = 0.25**", "Karp–Flatt");
    free(first);
    tu_result_release(&r);
}
END_TEST

static void serial_three_times_as_long(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-serial"}, "wall_s", NULL, 3.0);
}

START_TEST(a_speedup_above_the_pus_is_named_impossible)
{
    struct proc_result r;

    markdown_edited(&r, FIXTURE_QUIET, serial_three_times_as_long);
    EXPECT(r.out, "- **threads, lock none**: 3 workers", "more than the 2 PUs can give",
           "impossible");
    EXPECT(r.out, "- **threads, lock none**: the speedups", "not clean measurements",
           "above what the PUs can give");
    ck_assert_ptr_null(strstr(r.out, "ran in parallel on the"));
    tu_result_release(&r);
}
END_TEST

static void one_repetition_twice_as_long(const char *dir)
{
    fixture_set(dir,
                &(struct fixture_rows){.program = "parlab-threads", .lock = "none", .workers = 3,
                                       .pin = "none", .switch_ms = "", .payload = "0", .rep = 3},
                "wall_s", NULL, 2.0);
}

START_TEST(repetitions_that_disagree_are_said_first)
{
    struct proc_result r;
    char *first;

    markdown_edited(&r, FIXTURE_QUIET, one_repetition_twice_as_long);
    first = conditions(r.out);
    ck_assert_msg(strstr(first, "**The repetitions disagree** in 1 of the") &&
                      strstr(first, "threads, lock none, W = 3"),
                  "said: %s", first);
    EXPECT(r.out, "- **threads, lock none**: 3 workers", "not a clean measurement",
           "3 runs disagree by");
    ck_assert_ptr_null(strstr(r.out, "ran in parallel on the"));
    free(first);
    tu_result_release(&r);
}
END_TEST

static void on_battery(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = NULL}, "on_battery", "yes", 0);
}

static void unrecorded(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = NULL}, "other_cpu_s", "", 0);
}

static void busy_serial_runs(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-serial"}, "other_cpu_s", "5.0", 0);
}

START_TEST(battery_and_unrecorded_machines_are_said_first)
{
    struct proc_result r;
    char *first;

    markdown_edited(&r, FIXTURE_QUIET, on_battery);
    first = conditions(r.out);
    ck_assert_msg(strstr(first, "ran on battery"), "said: %s", first);
    free(first);
    tu_result_release(&r);

    markdown_edited(&r, FIXTURE_QUIET, unrecorded);
    first = conditions(r.out);
    ck_assert_msg(strstr(first, "do not record what else the machine did") &&
                      !strstr(first, "Otherwise idle"),
                  "said: %s", first);
    free(first);
    tu_result_release(&r);
}
END_TEST

START_TEST(a_busy_serial_run_makes_every_speedup_unclean)
{
    struct proc_result r;

    markdown_edited(&r, FIXTURE_QUIET, busy_serial_runs);
    EXPECT(r.out, "- **threads, lock none**: 3 workers", "during the serial run it divides by");
    EXPECT(r.out, "- **serial**", "other programs used");
    ck_assert_ptr_null(strstr(r.out, "ran in parallel on the"));
    ck_assert_ptr_null(strstr(r.out, "the speedup grows to"));
    tu_result_release(&r);
}
END_TEST

static void slow_half_serial_phase(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.lock = "fraction:0.5", .workers = 2}, "wall_s", NULL,
                2.5);
}

static void switching_twice_as_fast(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-threads", .switch_ms = "5"},
                "wall_s", NULL, 0.5);
}

START_TEST(an_impossible_serial_fraction_or_switching_time_is_named)
{
    struct proc_result r;

    markdown_edited(&r, FIXTURE_QUIET, slow_half_serial_phase);
    EXPECT(r.out, "- **F = 0.5**", "outside 0 to 1 even at the ends", "impossible");
    tu_result_release(&r);

    markdown_edited(&r, FIXTURE_QUIET, switching_twice_as_fast);
    EXPECT(r.out, "- **threads, lock held, handed over", "which jobs that hold one lock cannot be");
    ck_assert_ptr_null(strstr(r.out, "times as long"));
    tu_result_release(&r);
}
END_TEST

/* A real run on an otherwise idle machine during which the parallel jobs of three
 * cases took up to 1.9 times the CPU time of the same jobs run serially: the PUs
 * computed slower, which no other program's CPU time shows. */
START_TEST(slowed_pus_are_said_first_though_no_other_program_ran)
{
    struct proc_result r;
    char *first;

    ck_assert_msg(busy_share(FIXTURE_SLOWED) == 0, "the slowed fixture shows other programs");
    markdown(&r, FIXTURE_SLOWED);
    first = conditions(r.out);
    ck_assert_msg(strstr(first, "**The PUs computed slower**") &&
                      strstr(first, "threads, lock fraction:0.1, W = 2") &&
                      !strstr(first, "Otherwise idle") && !strstr(first, "busy**"),
                  "said: %s", first);
    EXPECT(r.out, "- **F = 0.1**", "times the CPU time of the same jobs run serially",
           "so the fit says little about F");
    /* the notebook's cases ran at full speed, and keep their lessons */
    EXPECT(r.out, "- **threads, lock none**: 3 workers", "the jobs ran in parallel on the 2 PUs");
    free(first);
    tu_result_release(&r);
}
END_TEST

/* ---- MPI ranks (tests/fixtures/mpi: see its README) ------------------------------- */

START_TEST(the_mpi_section_states_the_fixtures_numbers)
{
    struct proc_result r;

    markdown(&r, FIXTURE_MPI);
    ck_assert_ptr_nonnull(strstr(r.out, "\n## 7. MPI ranks\n"));
    /* ranks against processes at each W: speedups, and where the CPU time was counted */
    ck_assert_msg(strstr(r.out, "| 2 | 2.00 (1.82–2.22) | 1.000 / 0.001 / 2.000 | 1.96 "
                                "(1.79–2.17) | 1.020 / 2.000 / 0.000 |"),
                  "said: %s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "| 3 | 1.60 (1.48–1.74) | 1.250 / 0.001 / 2.000 | 1.60 "
                                        "(1.48–1.74) | 1.250 / 2.000 / 0.000 |"));
    EXPECT(r.out, "- **mpi, lock held against procs, lock held**", "at W = 1, 2, 3, 4",
           "within 5%", "1.96 against 2.00 at W = 2");
    EXPECT(r.out, "- **mpi, lock held, W = 3**", "up to 3 of the 4 jobs", "none waited",
           "`cpu_self_s` is 2.000 s", "`cpu_children_s` 0.000 s", "0.001 s of its own and 2.000 s",
           "r0 1.000 s, r1 0.500 s, r2 0.500 s (2.000 s in all)", "1.60 times the wall time");
    /* the hybrid splits: 1 x 2 and 2 x 1 apart, the 2 x 1 lock-held one the sweep's W = 2 */
    ck_assert_ptr_nonnull(strstr(r.out, "| 1 x 2 | none | 2 | 1.040 (0.940–1.140) | 2.000 | 1.92 |\n"
                                        "| 2 x 1 | none | 2 | 1.000 (0.900–1.100) | 2.000 | 2.00 |\n"
                                        "| 1 x 2 | held | 2 | 2.000 (1.900–2.100) | 2.000 | 1.00 |\n"
                                        "| 2 x 1 | held | 2 | 1.020 (0.920–1.120) | 2.000 | 1.96 |\n"));
    EXPECT(r.out, "- **lock none, W = 2**", "1 rank x 2 threads", "speedup 1.92",
           "2 ranks x 1 thread", "speedup 2.00", "within 5% of each other");
    EXPECT(r.out, "- **lock held, W = 2**", "the jobs ran one at a time in each rank",
           "speedup 1.00", "each rank with its own lock", "speedup 1.96",
           "2 ranks x 1 thread split gives 1.96 times the speedup of the 1 rank x 2 threads");
    /* the sweep and the notebook: the ranks of one thread, never a hybrid split */
    ck_assert_ptr_nonnull(strstr(r.out, "| mpi, lock held | 3 | 1.250 (1.150–1.350) | 2.000 | 0.000 | 1.60 |"));
    ck_assert_ptr_nonnull(strstr(r.out, "| 2 | 2.00 (1.82–2.22) | 2.00 (1.82–2.22) | 1.96 (1.79–2.17) |"));
    EXPECT(r.out, "- **mpi, lock none**: only W = 2 has a speedup", "2.00");
    EXPECT(r.out, "- **mpi, lock held**: 3 workers", "1.60", "ran in parallel");
    ck_assert_ptr_null(strstr(r.out, "not a clean"));
    tu_result_release(&r);
}
END_TEST

/* Results without MPI rows have no MPI section, as those without pinned or payload runs
 * have none of theirs. */
START_TEST(results_without_mpi_ranks_have_no_mpi_section)
{
    static const char *const fixtures[] = {FIXTURE_SMALL, FIXTURE_QUIET, FIXTURE_LESSONS};

    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        struct proc_result r;

        markdown(&r, fixtures[i]);
        ck_assert_msg(!strstr(r.out, "## 7.") && !strstr(r.out, "MPI") && !strstr(r.out, "rank"),
                      "%s: %s", fixtures[i], r.out);
        tu_result_release(&r);
    }
}
END_TEST

static void four_ranks_half_as_fast_again(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-mpi", .workers = 4}, "wall_s",
                NULL, 1.5);
}

static void three_ranks_busy(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-mpi", .workers = 3},
                "other_cpu_s", "5.00", 0);
}

static void every_rank_busy(const char *dir)
{
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-mpi"}, "other_cpu_s", "5.00", 0);
}

START_TEST(ranks_and_processes_apart_are_named_and_unclean_ones_left_out)
{
    struct proc_result r;

    markdown_edited(&r, FIXTURE_MPI, four_ranks_half_as_fast_again);
    EXPECT(r.out, "- **mpi, lock held against procs, lock held**",
           "at W = 4 the ranks' speedup is 33% below the processes' (1.33 against 2.00)",
           "W = 1, 2, 3, 4");
    ck_assert_ptr_null(strstr(r.out, "within 5% of the processes'"));
    tu_result_release(&r);

    /* a busy W: named, and the comparison rests on the others */
    markdown_edited(&r, FIXTURE_MPI, three_ranks_busy);
    EXPECT(r.out, "- **mpi, lock held against procs, lock held**", "at W = 1, 2, 4",
           "within 5%", "W = 3 is not a clean measurement", "does not rest on it");
    tu_result_release(&r);
}
END_TEST

/* When every MPI run was busy, no sentence rests on the ranks' speedups; what the jobs'
 * intervals and the CPU times show still holds. */
START_TEST(busy_ranks_carry_no_comparison)
{
    struct proc_result r;

    markdown_edited(&r, FIXTURE_MPI, every_rank_busy);
    EXPECT(r.out, "- **mpi, lock held against procs, lock held**",
           "not clean measurements at any W", "W = 1, 2, 3, 4",
           "cannot say how ranks compare with processes");
    EXPECT(r.out, "- **lock none, W = 2**", "not a clean measurement",
           "cannot say which split is faster");
    EXPECT(r.out, "- **lock held, W = 2**", "the jobs ran one at a time in each rank",
           "up to 2 jobs were in progress at once", "cannot say which split is faster");
    EXPECT(r.out, "- **mpi, lock held, W = 3**", "none waited", "r0 1.000 s");
    ck_assert_ptr_null(strstr(r.out, "within 5%"));
    ck_assert_ptr_null(strstr(r.out, "times the speedup of"));
    ck_assert_ptr_nonnull(strstr(r.out, "**The machine was busy**"));
    tu_result_release(&r);
}
END_TEST

/* Without the jobs CSV the section gives the runs' numbers and says what it cannot. */
START_TEST(without_the_jobs_csv_the_mpi_section_says_what_it_cannot)
{
    char *dir = fixture_copy(FIXTURE_MPI), *jobs = tu_path(dir, "jobs.csv");
    struct proc_result r;

    ck_assert_int_eq(unlink(jobs), 0);
    markdown(&r, dir);
    ck_assert_ptr_nonnull(strstr(r.out, "\n## 7. MPI ranks\n"));
    EXPECT(r.out, "- **lock held, W = 2**", "without the jobs CSV nothing here says how many",
           "speedup 1.00", "speedup 1.96");
    EXPECT(r.out, "- **mpi, lock held, W = 3**", "`cpu_self_s` is 2.000 s");
    ck_assert_ptr_null(strstr(r.out, "one at a time in each rank"));
    ck_assert_ptr_null(strstr(r.out, "by rank:"));
    tu_result_release(&r);
    free(jobs);
    tu_rmrf(dir);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_report_states_the_fixtures_numbers);
    tcase_add_test(tc, a_speedup_divides_by_the_serial_run_of_its_own_size);
    tcase_add_test(tc, joblib_s_cases_are_set_beside_parlab_s);
    tcase_add_test(tc, the_report_refuses_bad_requests);
    tcase_add_test(tc, unreadable_results_are_one_line);
    tcase_add_test(tc, serial_runs_alone_make_a_short_report);
    tcase_add_test(tc, without_serial_runs_there_is_no_speedup);
    tcase_add_test(tc, a_case_without_a_serial_run_of_its_size_has_a_note_and_no_speedup);
    tcase_add_test(tc, the_notebook_s_serial_row_is_the_one_its_speedups_divide_by);
    tcase_add_test(tc, a_backend_the_code_does_not_know_gets_its_own_rows);
    tcase_add_test(tc, one_machine_is_reported_and_the_others_named);
    tcase_add_test(tc, one_worker_is_a_notebook_case_too);
    tcase_add_test(tc, a_jobs_csv_named_on_the_command_line_must_be_there);
    tcase_add_test(tc, strange_values_end_in_a_report_or_one_line);
    tcase_add_test(tc, switching_that_cut_no_job_is_not_called_interleaving);
    tcase_add_test(tc, bad_times_and_open_quotes_are_named_by_file_line_and_column);
    tcase_add_test(tc, a_busy_machine_is_said_first_and_no_lesson_rests_on_its_speedups);
    tcase_add_test(tc, a_quiet_machine_states_every_lesson);
    tcase_add_test(tc, a_speedup_above_the_pus_is_named_impossible);
    tcase_add_test(tc, repetitions_that_disagree_are_said_first);
    tcase_add_test(tc, battery_and_unrecorded_machines_are_said_first);
    tcase_add_test(tc, a_busy_serial_run_makes_every_speedup_unclean);
    tcase_add_test(tc, an_impossible_serial_fraction_or_switching_time_is_named);
    tcase_add_test(tc, slowed_pus_are_said_first_though_no_other_program_ran);
    tcase_add_test(tc, the_mpi_section_states_the_fixtures_numbers);
    tcase_add_test(tc, results_without_mpi_ranks_have_no_mpi_section);
    tcase_add_test(tc, ranks_and_processes_apart_are_named_and_unclean_ones_left_out);
    tcase_add_test(tc, busy_ranks_carry_no_comparison);
    tcase_add_test(tc, without_the_jobs_csv_the_mpi_section_says_what_it_cannot);
    tcase_add_test(tc, the_granularity_section_states_the_crossovers);
    tcase_add_test(tc, the_simd_section_says_whether_the_two_multiply);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(report_suite());
}
