/*
 * check_lab.c - parlab-lab check, the labs' self-check, on the labs' real runs in
 * tests/fixtures/labN (recorded once by tests/fixtures/record-labs.sh on the 2-PU
 * development machine, each with an answers.txt written by hand from its numbers),
 * on lab1-busy (recorded while another program computed), and on copies of them
 * edited to leave runs out, mix machines, or make one case busy, disagreeing or slowed.
 *
 * Every number a test expects is computed here from the fixture's CSV files with the
 * results library or by reading them, never taken from parlab-lab's own output.
 */
#include <check.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "parlab/csv.h"
#include "parlab/lab.h"
#include "parlab/results.h"
#include "parlab/summary.h"
#include "testutil.h"

#define LAB1 "tests/fixtures/lab1"
#define LAB1_BUSY "tests/fixtures/lab1-busy"
#define LAB8 "tests/fixtures/lab8"
#define LAB9 "tests/fixtures/lab9"
#define LAB10 "tests/fixtures/lab10"

/* ---- helpers --------------------------------------------------------------------- */

static void lab_run(struct proc_result *r, const char *const *args)
{
    tu_run(r, "parlab-lab", args);
}

/* A fresh directory holding a copy of the directory tree `from`. */
static char *copy_tree(const char *from)
{
    char *dir = tu_tmpdir(), *src = tu_path(from, ".");
    const char *argv[] = {"cp", "-R", src, dir, NULL};
    struct proc_result r;

    tu_run_cmd(&r, NULL, argv);
    ck_assert_msg(r.status == 0, "cp -R %s %s: %s", src, dir, r.err);
    tu_result_release(&r);
    free(src);
    return dir;
}

/* The line of a question, by its key ("[threads_none.speedup]: "), into buf. */
static bool key_line(const char *out, const char *key, char *buf, size_t len)
{
    char needle[128];

    snprintf(needle, sizeof needle, "[%s]: ", key);
    return tu_line(out, needle, buf, len);
}

/* The line after the one p is in, or NULL after the last. */
static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');

    return nl != NULL && nl[1] != '\0' ? nl + 1 : NULL;
}

/* Whether the line at p (of len bytes) holds needle. */
static bool line_has(const char *p, size_t len, const char *needle)
{
    const char *at = strstr(p, needle);

    return at != NULL && at + strlen(needle) <= p + len;
}

/* Lines of the output that are a question's line with this verdict. */
static size_t count_verdict(const char *out, const char *verdict)
{
    char needle[64];

    snprintf(needle, sizeof needle, "]: %s: ", verdict);
    return fixture_count(out, needle);
}

/* Lines of the output that are a question's line. */
static size_t count_questions(const char *out)
{
    static const char *const verdicts[] = {"agrees", "disagrees", "reported", "not applicable",
                                           "not answered", "unreadable", "missing run",
                                           "not judged"};
    size_t n = 0;

    for (size_t i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++)
        n += count_verdict(out, verdicts[i]);
    return n;
}

/* The keys of lab n, from its template: lines "KEY =". */
static size_t template_keys(int lab, char keys[][64], size_t max)
{
    char n[8];
    const char *args[] = {"template", n, NULL};
    struct proc_result r;
    size_t count = 0;

    snprintf(n, sizeof n, "%d", lab);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 0);
    for (const char *line = r.out; line != NULL && *line != '\0'; line = next_line(line)) {
        size_t len = strcspn(line, "\n");

        if (line[0] != '#' && len > 2 && strncmp(line + len - 2, " =", 2) == 0 && count < max)
            snprintf(keys[count++], 64, "%.*s", (int)(len - 2), line);
    }
    tu_result_release(&r);
    return count;
}

/* The answers file `from` with the line of `key` given `value` instead, written to
 * a new file in dir; returns its path. */
static char *answers_with(const char *from, const char *key, const char *value, const char *dir)
{
    char *text = tu_read_file(from), *path = tu_path(dir, "answers.txt"), *out = NULL;
    size_t len = 0, klen = strlen(key);
    FILE *f = open_memstream(&out, &len);
    bool found = false;

    ck_assert_ptr_nonnull(text);
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, key, klen) == 0 && strncmp(line + klen, " =", 2) == 0) {
            fprintf(f, "%s = %s\n", key, value);
            found = true;
        } else {
            fprintf(f, "%s\n", line);
        }
    }
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_msg(found, "%s has no line for %s", from, key);
    tu_write_file(path, out);
    free(out);
    free(text);
    return path;
}

/* The case of the fixture's runs.csv in dir with this program, lock and W (no pin, no
 * variant), loaded into *s. */
static const struct summary_case *fixture_case(const char *dir, struct summary *s,
                                               const char *program, const char *lock,
                                               unsigned long workers)
{
    char *runs = tu_path(dir, "runs.csv"), why[512];
    const struct summary_case *c;

    ck_assert_msg(summary_load(runs, s, why, sizeof why) == 0, "%s", why);
    c = summary_query(s, &(struct summary_query){.program = program, .lock = lock,
                                                .pin = "none", .workers = workers});
    ck_assert_msg(c != NULL, "%s has no case %s %s W = %lu", runs, program, lock, workers);
    free(runs);
    return c;
}

/* Every question line of out passes (agrees or is reported), but those whose keys
 * are in `except`. */
static void expect_others_pass(const char *out, const char *const *except)
{
    for (const char *line = out; line != NULL && *line != '\0'; line = next_line(line)) {
        size_t len = strcspn(line, "\n");
        bool excepted = false;

        if (!line_has(line, len, "]: ") || strncmp(line, "parlab-lab check", 16) == 0)
            continue;
        for (size_t i = 0; except && except[i] && !excepted; i++) {
            char needle[128];

            snprintf(needle, sizeof needle, "[%s]: ", except[i]);
            excepted = line_has(line, len, needle);
        }
        if (excepted)
            continue;
        ck_assert_msg(line_has(line, len, "]: agrees: ") || line_has(line, len, "]: reported: "),
                      "expected to pass: %.*s", (int)len, line);
    }
}

/* ---- honest answers ---------------------------------------------------------------- */

static const int honest_labs[] = {1, 2, 3, 4, 5, 7, 8, 9, 10};

START_TEST(honest_answers_agree_with_the_student_s_own_runs)
{
    int lab = honest_labs[_i];
    char n[8], dir[64], keys[128][64];
    const char *args[] = {"check", n, dir, NULL};
    struct proc_result r;
    size_t nkeys = template_keys(lab, keys, 128);

    snprintf(n, sizeof n, "%d", lab);
    snprintf(dir, sizeof dir, "tests/fixtures/lab%d", lab);
    lab_run(&r, args);
    ck_assert_msg(r.status == 0, "lab %d: exit %d: %s%s", lab, r.status, r.out, r.err);
    ck_assert_msg(r.err[0] == '\0', "lab %d said on stderr: %s", lab, r.err);
    /* one line per key of the lab, each agreeing or a prediction shown */
    ck_assert_uint_eq(count_questions(r.out), nkeys);
    ck_assert_uint_eq(count_verdict(r.out, "agrees") + count_verdict(r.out, "reported"), nkeys);
    for (size_t i = 0; i < nkeys; i++) {
        char line[4096];

        ck_assert_msg(key_line(r.out, keys[i], line, sizeof line), "no line for %s", keys[i]);
    }
    ck_assert_msg(strstr(r.out, "; everything checks\n") != NULL, "%s", r.out);
    tu_result_release(&r);
}
END_TEST

/* ---- an altered answer ---------------------------------------------------------------- */

#define ALTERED_LINE                                                                      \
    "Record: threads, lock none, speedup [threads_none.speedup]: disagrees: you wrote 2.87; " \
    "your runs give "

START_TEST(an_altered_speedup_is_named_with_both_numbers)
{
    char *dir = tu_tmpdir(), *answers = answers_with(LAB1 "/answers.txt", "threads_none.speedup",
                                                      "2.87", dir);
    const char *args[] = {"check", "1", LAB1, "-a", answers, NULL};
    struct summary s;
    const struct summary_case *c = fixture_case(LAB1, &s, "parlab-threads", "none", 3);
    const char *except[] = {"threads_none.speedup", NULL};
    char line[4096], measured[32];
    struct proc_result r;

    snprintf(measured, sizeof measured, "%.3f", c->speedup);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(count_verdict(r.out, "disagrees"), 1);
    ck_assert(key_line(r.out, "threads_none.speedup", line, sizeof line));
    ck_assert_msg(strncmp(line, ALTERED_LINE, strlen(ALTERED_LINE)) == 0, "said: %s", line);
    ck_assert_msg(strstr(line, measured) != NULL, "no %s in: %s", measured, line);
    expect_others_pass(r.out, except);
    tu_result_release(&r);
    summary_release(&s);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

/* An answer of each kind, altered: the line of exactly that key disagrees and shows
 * what was written and what the runs give, computed here. */
struct altered {
    int lab;
    const char *key, *value;
};

static const struct altered altered[] = {
    {1, "procs_held.cpu_children", "0.30"},
    {1, "explain3.jobs_at_once", "2"},
    {2, "jobs48.W4.measured", "1.50"},
    {2, "unequal.static.last_worker", "0"},
    {3, "F0.25.W2.e", "0.40"},
    {3, "F0.5.W4.predicted", "1.60"},
    {4, "pin_pus:0.threads.pus", "0 1"},
    {5, "switch.handovers", "40"},
    {8, "mpi_held.cpu_children", "0.50"},
    {8, "hybrid.core_over_none", "1.00"},
    {8, "explain2.slots", "3"},
};

/* What the runs give for altered[i], as the line must show it. */
static void expected_number(size_t i, char *text, size_t len)
{
    struct summary s;
    const struct summary_case *c;
    struct csv_table t;

    switch (i) {
    case 0:
        c = fixture_case(LAB1, &s, "parlab-procs", "held", 3);
        snprintf(text, len, "%.3f", c->cpu_children.median);
        break;
    case 1:
        snprintf(text, len, "give 1"); /* the lock held: one job at a time */
        return;
    case 2:
        c = fixture_case("tests/fixtures/lab2/48-jobs", &s, "parlab-threads", "none", 4);
        snprintf(text, len, "%.3f", c->speedup);
        break;
    case 3: { /* the worker of the job that ended last, in every run */
        const char *run = NULL;
        double last = -1;
        long worker = -1;

        tu_read_csv("tests/fixtures/lab2/static/jobs.csv", &t);
        text[0] = '\0';
        for (size_t row = 1; row <= t.nrows; row++) {
            if (row == t.nrows || (run && strcmp(run, tu_field(&t, row, "run_id")) != 0)) {
                snprintf(text + strlen(text), len - strlen(text), "%s%ld", text[0] ? "; " : "",
                         worker);
                last = -1;
            }
            if (row == t.nrows)
                break;
            run = tu_field(&t, row, "run_id");
            if (tu_num(&t, row, "t_end_s") > last) {
                last = tu_num(&t, row, "t_end_s");
                worker = (long)tu_num(&t, row, "worker");
            }
        }
        csv_table_release(&t);
        return;
    }
    case 4:
        c = fixture_case("tests/fixtures/lab3", &s, "parlab-threads", "fraction:0.25", 2);
        snprintf(text, len, "e = %.3f", results_karp_flatt(c->speedup, 2));
        break;
    case 5: /* on 2 PUs, p = min(4, 2) */
        snprintf(text, len, "gives %.3f", results_amdahl(0.5, 2));
        return;
    case 6:
        snprintf(text, len, "the runs: 0; 0; 0");
        return;
    case 8: /* the ranks are not rank 0's children */
        c = fixture_case(LAB8, &s, "parlab-mpi", "held", 2);
        snprintf(text, len, "your runs give %.3f", c->cpu_children.median);
        break;
    case 9: { /* 1 rank x 2 threads: the wall time bound to one core over unbound */
        struct summary s2;
        const struct summary_case *none = fixture_case(LAB8 "/hybrid-none", &s2, "parlab-mpi",
                                                       "none", 2);

        c = fixture_case(LAB8 "/hybrid-core", &s, "parlab-mpi", "none", 2);
        snprintf(text, len, "your runs' %.3f s / %.3f s give %.3f", c->wall.median,
                 none->wall.median, c->wall.median / none->wall.median);
        summary_release(&s2);
        break;
    }
    case 10: /* Open MPI's slots: the cores the runs recorded */
        c = fixture_case(LAB8, &s, "parlab-serial", "none", 1);
        ck_assert_uint_gt(c->cores, 0);
        snprintf(text, len, "your runs recorded %lu", c->cores);
        break;
    case 7: { /* the hand-overs of each run of the switching case */
        double sum = 0;
        const char *run = NULL;

        tu_read_csv("tests/fixtures/lab5/switch-jobs.csv", &t);
        text[0] = '\0';
        for (size_t row = 1; row <= t.nrows; row++) {
            if (row == t.nrows || (run && strcmp(run, tu_field(&t, row, "run_id")) != 0)) {
                snprintf(text + strlen(text), len - strlen(text), "%s%.0f", text[0] ? "; " : "",
                         sum);
                sum = 0;
            }
            if (row == t.nrows)
                break;
            run = tu_field(&t, row, "run_id");
            sum += tu_num(&t, row, "switches");
        }
        csv_table_release(&t);
        return;
    }
    default:
        ck_abort_msg("no expected number for altered[%zu]", i);
    }
    summary_release(&s);
}

START_TEST(an_altered_answer_of_each_kind_disagrees_on_its_own_line)
{
    const struct altered *a = &altered[_i];
    char n[8], from[64], src[80], line[4096], want[256];
    char *dir = tu_tmpdir(), *answers;
    const char *args[] = {"check", n, from, "-a", NULL, NULL};
    const char *except[] = {a->key, NULL};
    struct proc_result r;

    snprintf(n, sizeof n, "%d", a->lab);
    snprintf(from, sizeof from, "tests/fixtures/lab%d", a->lab);
    snprintf(src, sizeof src, "%s/answers.txt", from);
    answers = answers_with(src, a->key, a->value, dir);
    args[4] = answers;
    expected_number(_i, want, sizeof want);
    lab_run(&r, args);
    ck_assert_msg(r.status == 1, "%s: exit %d", a->key, r.status);
    ck_assert_uint_eq(count_verdict(r.out, "disagrees"), 1);
    ck_assert_msg(key_line(r.out, a->key, line, sizeof line), "no line for %s", a->key);
    ck_assert_msg(strstr(line, "]: disagrees: you wrote ") && strstr(line, a->value),
                  "%s: %s", a->key, line);
    ck_assert_msg(strstr(line, want) != NULL, "%s: no '%s' in: %s", a->key, want, line);
    expect_others_pass(r.out, except);
    tu_result_release(&r);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_prediction_is_reported_never_judged)
{
    char *dir = tu_tmpdir(), *answers = answers_with(LAB1 "/answers.txt",
                                                      "predict1.threads_none.wall", "5.0", dir);
    const char *args[] = {"check", "1", LAB1, "-a", answers, NULL};
    struct summary s;
    const struct summary_case *c = fixture_case(LAB1, &s, "parlab-threads", "none", 3);
    char line[4096], want[128];
    struct proc_result r;

    snprintf(want, sizeof want, "you predicted 5.0; your runs measured %.3f (%.0f%% less than "
             "predicted)", c->wall.median, 100 * (5.0 - c->wall.median) / 5.0);
    lab_run(&r, args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.out);
    ck_assert(key_line(r.out, "predict1.threads_none.wall", line, sizeof line));
    ck_assert_msg(strstr(line, "]: reported: ") && strstr(line, want), "said: %s", line);
    tu_result_release(&r);
    summary_release(&s);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_fitted_F_far_from_the_F_set_disagrees_though_it_fits_the_runs)
{
    char *dir = copy_tree("tests/fixtures/lab3"), *answers, *src;
    const char *args[] = {"check", "3", dir, NULL};
    const char *except[] = {"F0.25.W2.measured", "F0.25.W2.e", NULL};
    struct summary s;
    const struct summary_case *c;
    char line[4096], e[16], S[16];
    struct proc_result r;

    /* the F = 0.25 runs on 2 workers made 30% slower: their e lies far from 0.25 */
    fixture_set(dir, &(struct fixture_rows){.program = "parlab-threads", .lock = "fraction:0.25",
                                            .workers = 2},
                "wall_s", NULL, 1.3);
    c = fixture_case(dir, &s, "parlab-threads", "fraction:0.25", 2);
    snprintf(S, sizeof S, "%.2f", c->speedup);
    snprintf(e, sizeof e, "%.2f", results_karp_flatt(c->speedup, 2));
    ck_assert_double_gt(fabs(results_karp_flatt(c->speedup, 2) - 0.25), 0.05);
    src = tu_path(dir, "answers.txt");
    answers = answers_with(src, "F0.25.W2.measured", S, dir);
    free(answers);
    answers = answers_with(src, "F0.25.W2.e", e, dir);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert(key_line(r.out, "F0.25.W2.measured", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: "), "the S that was written: %s", line);
    ck_assert(key_line(r.out, "F0.25.W2.e", line, sizeof line));
    ck_assert_msg(strstr(line, "]: disagrees: ") && strstr(line, "within") &&
                      strstr(line, "the runs do not show the serial fraction that was set"),
                  "said: %s", line);
    expect_others_pass(r.out, except);
    tu_result_release(&r);
    summary_release(&s);
    free(answers);
    free(src);
    tu_rmrf(dir);
}
END_TEST

/* ---- a machine that was not quiet ---------------------------------------------------- */

/* The keys of lab 1 that rest on no time: judged on any machine. */
static const char *const lab1_untimed[] = {"pus", "idle", "explain1.limit",
                                           "explain3.jobs_at_once", NULL};

START_TEST(answers_from_a_busy_machine_are_not_judged)
{
    char *dir = tu_tmpdir(), *answers = answers_with(LAB1_BUSY "/answers.txt",
                                                      "threads_none.speedup", "9.99", dir);
    const char *args[] = {"check", "1", LAB1_BUSY, NULL};
    const char *altered_args[] = {"check", "1", LAB1_BUSY, "-a", answers, NULL};
    char keys[64][64], line[4096];
    size_t nkeys = template_keys(1, keys, 64), timed = 0;
    struct summary s;
    char *runs = tu_path(LAB1_BUSY, "runs.csv"), why[256];
    struct proc_result r;

    /* the fixture: every case was busy */
    ck_assert_msg(summary_load(runs, &s, why, sizeof why) == 0, "%s", why);
    ck_assert_uint_eq(s.ncases, 4);
    for (size_t i = 0; i < s.ncases; i++)
        ck_assert_msg(summary_busy(&s.cases[i]), "case %zu of %s is not busy", i, runs);
    for (int pass = 0; pass < 2; pass++) {
        lab_run(&r, pass == 0 ? args : altered_args);
        ck_assert_int_eq(r.status, 1);
        ck_assert_uint_eq(count_verdict(r.out, "disagrees"), 0);
        timed = 0;
        for (size_t i = 0; i < nkeys; i++) {
            bool untimed = false;

            for (size_t k = 0; lab1_untimed[k]; k++)
                untimed = untimed || strcmp(keys[i], lab1_untimed[k]) == 0;
            ck_assert(key_line(r.out, keys[i], line, sizeof line));
            if (untimed) {
                ck_assert_msg(strstr(line, "]: agrees: "), "said: %s", line);
                continue;
            }
            timed++;
            ck_assert_msg(strstr(line, "]: not judged: the machine was busy: other programs "
                                       "used ") && strstr(line, "CPU-seconds per second"),
                          "said: %s", line);
        }
        ck_assert_uint_eq(count_verdict(r.out, "not judged"), timed);
        tu_result_release(&r);
    }
    summary_release(&s);
    free(runs);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

/* One case of the quiet lab 1 made unclean: exactly the questions that rest on it say
 * so, and the others still agree. */
struct unclean {
    struct fixture_rows rows;
    const char *column;
    double scale;
    const char *value;
    const char *says;
    const char *keys[12];
    const char *disagrees; /* an untimed key whose answer the edit makes wrong, or NULL */
};

static const struct unclean unclean[] = {
    {{.program = "parlab-procs"}, "other_cpu_s", 0, "0.300", "the machine was busy: other "
     "programs used", {"procs_held.wall", "procs_held.cpu_self", "procs_held.cpu_children",
     "procs_held.cpu_wall", "procs_held.speedup", "predict3.procs_held.wall",
     "predict3.procs_held.cpu_self", "predict3.procs_held.cpu_children"}, "idle"},
    {{.program = "parlab-threads", .lock = "held", .rep = 3}, "wall_s", 1.5, NULL,
     "repetitions disagree: the runs of threads, lock held, W = 3, 12 jobs, n = 150 took",
     {"threads_held.wall", "threads_held.cpu_self", "threads_held.cpu_children",
      "threads_held.cpu_wall", "threads_held.speedup", "predict2.threads_held.wall",
      "predict2.threads_held.cpu"}, NULL},
    {{.program = "parlab-threads", .lock = "none"}, "cpu_self_s", 1.5, NULL,
     "slowed: the jobs of threads, lock none, W = 3, 12 jobs, n = 150 took",
     {"threads_none.wall", "threads_none.cpu_self", "threads_none.cpu_children",
      "threads_none.cpu_wall", "threads_none.speedup", "predict1.threads_none.wall",
      "predict1.threads_none.cpu"}, NULL},
    {{.program = "parlab-serial"}, "cpu_self_s", 0.88, NULL,
     "computed only 88% of its wall time",
     {"serial.wall", "serial.cpu_self", "serial.cpu_children", "serial.cpu_wall",
      "threads_none.speedup", "threads_held.speedup", "procs_held.speedup"}, NULL},
};

/* What the line of an unclean case says in numbers, from the edited runs. */
static void unclean_numbers(size_t i, const char *dir, char *text, size_t len)
{
    struct summary s;
    const struct summary_case *c;

    text[0] = '\0';
    if (i == 2) {
        c = fixture_case(dir, &s, "parlab-threads", "none", 3);
        snprintf(text, len, "took %.2f times the CPU time of the same jobs run serially",
                 summary_cpu_ratio(c));
    } else if (i == 3) {
        c = fixture_case(dir, &s, "parlab-serial", "none", 1);
        snprintf(text, len, "(%.3f s of CPU time in %.3f s)",
                 c->cpu_self.median + c->cpu_children.median, c->wall.median);
    } else {
        return;
    }
    summary_release(&s);
}

START_TEST(only_the_questions_that_rest_on_an_unclean_case_are_not_judged)
{
    const struct unclean *u = &unclean[_i];
    char *dir = fixture_copy(LAB1), line[4096], numbers[256];
    const char *args[] = {"check", "1", dir, "-a", LAB1 "/answers.txt", NULL};
    const char *except[14] = {NULL};
    struct proc_result r;
    size_t n = 0;

    fixture_set(dir, &u->rows, u->column, u->value, u->scale);
    unclean_numbers(_i, dir, numbers, sizeof numbers);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    for (; u->keys[n] != NULL; n++) {
        ck_assert(key_line(r.out, u->keys[n], line, sizeof line));
        ck_assert_msg(strstr(line, "]: not judged: ") && strstr(line, u->says),
                      "expected '%s': %s", u->says, line);
        ck_assert_msg(strstr(line, numbers) || strstr(u->keys[n], "speedup"),
                      "expected '%s': %s", numbers, line);
        except[n] = u->keys[n];
    }
    ck_assert_uint_eq(count_verdict(r.out, "not judged"), n);
    if (u->disagrees != NULL) { /* "the machine: lines all said otherwise idle" no more */
        ck_assert(key_line(r.out, u->disagrees, line, sizeof line));
        ck_assert_msg(strstr(line, "]: disagrees: you wrote yes;") && strstr(line, "said busy, so: no"),
                      "said: %s", line);
        except[n] = u->disagrees;
    }
    expect_others_pass(r.out, except);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(repetitions_that_disagree_in_real_runs_are_said_instead_of_judged)
{
    const char *args[] = {"check", "6", "tests/fixtures/lab6", NULL};
    const char *rest[] = {"256M.pipe.wall", "256M.pipe_over_threads", "bandwidth.pipe", NULL};
    char *runs = tu_path("tests/fixtures/lab6", "runs.csv"), why[256], line[4096];
    struct summary s;
    const struct summary_case *pipe;
    struct proc_result r;

    ck_assert_msg(summary_load(runs, &s, why, sizeof why) == 0, "%s", why);
    pipe = summary_query(&s, &(struct summary_query){.program = "parlab-procs", .pin = "none",
                                                    .variant = "payload=256 MiB via pipe"});
    ck_assert_ptr_nonnull(pipe);
    ck_assert_msg(summary_disagrees(pipe) && !summary_busy(pipe), "the fixture changed");
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    for (size_t i = 0; rest[i]; i++) {
        ck_assert(key_line(r.out, rest[i], line, sizeof line));
        ck_assert_msg(strstr(line, "]: not judged: repetitions disagree: the runs of procs, W = "
                                   "2, payload 256M via pipe"), "said: %s", line);
    }
    ck_assert_uint_eq(count_verdict(r.out, "not judged"), 3);
    expect_others_pass(r.out, rest);
    tu_result_release(&r);
    summary_release(&s);
    free(runs);
}
END_TEST

/* ---- missing runs ---------------------------------------------------------------- */

static const char *drop_procs(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, ",parlab-procs,") ? NULL : line;
}

START_TEST(a_missing_run_is_named_with_the_command_that_makes_it)
{
    char *dir = fixture_copy(LAB1), line[4096], want[1024];
    const char *args[] = {"check", "1", dir, "-a", LAB1 "/answers.txt", NULL};
    const char *procs[] = {"procs_held.wall", "procs_held.cpu_self", "procs_held.cpu_children",
                           "procs_held.cpu_wall", "procs_held.speedup", "predict3.procs_held.wall",
                           "predict3.procs_held.cpu_self", "predict3.procs_held.cpu_children",
                           NULL};
    struct proc_result r;
    size_t n = 0;

    fixture_rewrite(dir, "runs.csv", drop_procs);
    snprintf(want, sizeof want, "]: missing run: no run of procs, lock held, W = 3, 12 jobs in "
             "'%s/runs.csv'; make it with: bin/parlab-procs -l held -w 3 -n 150 -r 3 --runs-csv "
             "%s/runs.csv --jobs-csv %s/jobs.csv", dir, dir, dir);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    for (; procs[n]; n++) {
        ck_assert(key_line(r.out, procs[n], line, sizeof line));
        ck_assert_msg(strstr(line, want), "expected '%s': %s", want, line);
    }
    ck_assert_uint_eq(count_verdict(r.out, "missing run"), n);
    expect_others_pass(r.out, procs);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

static const char *drop_mpi(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, ",parlab-mpi,") ? NULL : line;
}

/* An MPI case's command is mpirun's, with -np the ranks (and --oversubscribe, a
 * binding, --threads as the handout has them), never -w. */
START_TEST(a_missing_mpi_run_is_named_with_its_mpirun_command)
{
    char *dir = copy_tree(LAB8), *hybrid = tu_path(dir, "hybrid-core"), line[4096];
    const char *args[] = {"check", "8", dir, "-a", LAB8 "/answers.txt", NULL};
    struct summary s;
    const struct summary_case *serial = fixture_case(LAB8, &s, "parlab-serial", "none", 1);
    unsigned long over = serial->pus + 1;
    struct {
        const char *key;
        char want[1024];
    } lines[4];
    struct proc_result r;

    snprintf(lines[0].want, sizeof lines[0].want, "]: missing run: no run of mpi, lock held, W = "
             "2, mpirun --bind-to none, 12 jobs in '%s/runs.csv'; make it with: mpirun -np 2 "
             "--bind-to none bin/parlab-mpi -l held -n 150 -r 3 --runs-csv %s/runs.csv "
             "--jobs-csv %s/jobs.csv", dir, dir, dir);
    lines[0].key = "mpi_held.wall";
    snprintf(lines[1].want, sizeof lines[1].want, "]: missing run: no run of mpi, lock held, W = "
             "%lu, mpirun --oversubscribe, 12 jobs in '%s/runs.csv'; make it with: mpirun -np "
             "%lu --oversubscribe bin/parlab-mpi -l held -n 150 -r 3 --runs-csv %s/runs.csv "
             "--jobs-csv %s/jobs.csv", over, dir, over, dir, dir);
    lines[1].key = "mpi_over.speedup";
    snprintf(lines[2].want, sizeof lines[2].want, "make it with: mpirun -np 2 --bind-to none "
             "bin/parlab-mpi -l held -p pus:0 -n 150 -r 3 --runs-csv %s/runs.csv", dir);
    lines[2].key = "mpi_pu0.pus";
    snprintf(lines[3].want, sizeof lines[3].want, "]: missing run: there is no '%s/hybrid-core/"
             "runs.csv' (No such file or directory); make it as the handout says, e.g. mpirun "
             "-np 1 --bind-to core bin/parlab-mpi --threads 2 -l none -n 150 -r 3 --runs-csv "
             "%s/hybrid-core/runs.csv --jobs-csv %s/hybrid-core/jobs.csv", dir, dir, dir);
    lines[3].key = "hybrid_core.wall";
    fixture_rewrite(dir, "runs.csv", drop_mpi);
    tu_rmrf(hybrid); /* frees the name */
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        ck_assert(key_line(r.out, lines[i].key, line, sizeof line));
        ck_assert_msg(strstr(line, lines[i].want), "expected '%s': %s", lines[i].want, line);
    }
    ck_assert(strstr(r.out, "[serial.wall]: agrees: ") && strstr(r.out, "[procs_held.wall]: "
                                                                         "agrees: "));
    tu_result_release(&r);
    summary_release(&s);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_speedup_without_its_serial_run_names_the_serial_run_to_make)
{
    char *dir = fixture_copy(LAB1), line[4096], want[1024];
    const char *args[] = {"check", "1", dir, "-a", LAB1 "/answers.txt", NULL};
    const char *keys[] = {"threads_none.speedup", "threads_held.speedup", "procs_held.speedup",
                          NULL};
    struct proc_result r;

    fixture_rewrite(dir, "runs.csv", fixture_no_serial);
    snprintf(want, sizeof want, "has no serial run to divide by: no serial run on host vm "
             "labelled ada; make it with: bin/parlab-serial -n 150 -r 3 --runs-csv %s/runs.csv",
             dir);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    for (size_t i = 0; keys[i]; i++) {
        ck_assert(key_line(r.out, keys[i], line, sizeof line));
        ck_assert_msg(strstr(line, "]: missing run: ") && strstr(line, want), "expected '%s': %s",
                      want, line);
    }
    ck_assert(key_line(r.out, "serial.wall", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: no run of serial, 12 jobs in") &&
                      strstr(line, "make it with: bin/parlab-serial -n 150 -r 3"),
                  "said: %s", line);
    ck_assert_uint_eq(count_verdict(r.out, "missing run"), 7); /* 3 speedups, 4 serial */
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_run_of_another_n_is_named_and_the_right_one_asked_for)
{
    char *dir = fixture_copy(LAB1), line[4096];
    const char *args[] = {"check", "1", dir, "-a", LAB1 "/answers.txt", NULL};
    struct proc_result r;

    fixture_set(dir, &(struct fixture_rows){.program = "parlab-procs"}, "size", "120", 0);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert(key_line(r.out, "procs_held.wall", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: no run of procs, lock held, W = 3, 12 jobs with "
                               "n = 150, the serial run's, in") &&
                      strstr(line, "(there is one with n = 120)") &&
                      strstr(line, "bin/parlab-procs -l held -w 3 -n 150 -r 3"),
                  "said: %s", line);
    tu_result_release(&r);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_missing_directory_or_jobs_file_is_named)
{
    char *dir = copy_tree("tests/fixtures/lab3"), *scaled = tu_path(dir, "scaled"), line[4096];
    char *answers = tu_path(dir, "answers.txt"), *lab1 = fixture_copy(LAB1);
    char *jobs = tu_path(lab1, "jobs.csv");
    const char *args[] = {"check", "3", dir, NULL};
    const char *lab1_args[] = {"check", "1", lab1, "-a", LAB1 "/answers.txt", NULL};
    const char *keys[] = {"scaled.W1.wall", "scaled.W1.measured", "scaled.W2.wall",
                          "scaled.W2.measured", "scaled.W4.wall", "scaled.W4.measured", NULL};
    const char *except[] = {"explain3.jobs_at_once", NULL};
    struct proc_result r;

    tu_rmrf(scaled); /* frees the name */
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    for (size_t i = 0; keys[i]; i++) {
        ck_assert(key_line(r.out, keys[i], line, sizeof line));
        ck_assert_msg(strstr(line, "]: missing run: there is no '") &&
                          strstr(line, "/scaled/runs.csv' (No such file or directory); make it "
                                       "as the handout says, e.g. bin/parlab-threads -l fraction:"),
                      "said: %s", line);
    }
    ck_assert_uint_eq(count_verdict(r.out, "missing run"), 6);
    expect_others_pass(r.out, keys);
    tu_result_release(&r);

    ck_assert_int_eq(remove(jobs), 0);
    lab_run(&r, lab1_args);
    ck_assert_int_eq(r.status, 1);
    ck_assert(key_line(r.out, "explain3.jobs_at_once", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: there is no '") &&
                      strstr(line, "/jobs.csv' for the jobs of threads, lock held, W = 3, 12 "
                                   "jobs; make them with: bin/parlab-threads -l held -w 3 -n 150"),
                  "said: %s", line);
    expect_others_pass(r.out, except);
    tu_result_release(&r);
    free(jobs);
    free(answers);
    tu_rmrf(lab1);
    tu_rmrf(dir);
}
END_TEST

/* ---- the runs of one machine and one student ---------------------------------------- */

/* Adds, after the first serial row, the same row of another host or label. */
static const char *other_host(const char *line, const char **extra)
{
    static char copy[2048];
    static bool done;
    char *at;

    if (strstr(line, ",parlab-serial,") == NULL || done || (at = strstr(line, ",vm,")) == NULL)
        return line;
    snprintf(copy, sizeof copy, "x%.*s,lab-3,%s", (int)(at - line), line, at + 4);
    *extra = copy;
    done = true;
    return line;
}

static const char *other_label(const char *line, const char **extra)
{
    static char copy[2048];
    static bool done;
    size_t len = strlen(line);

    if (strstr(line, ",parlab-serial,") == NULL || done || len < 4 ||
        strcmp(line + len - 4, ",ada") != 0)
        return line;
    snprintf(copy, sizeof copy, "y%.*s,ben", (int)(len - 4), line);
    *extra = copy;
    done = true;
    return line;
}

START_TEST(runs_of_another_machine_or_student_are_a_line_of_their_own)
{
    static fixture_edit *const edits[] = {other_host, other_label};
    static const char *const says[] = {
        "also holds runs of host lab-3: the check uses host vm's only",
        "holds runs labelled 'ben' beside 'ada': the check uses 'ada''s only"};

    for (int k = 0; k < 2; k++) {
        char *dir = fixture_copy(LAB1);
        const char *args[] = {"check", "1", dir, "-a", LAB1 "/answers.txt", NULL};
        struct proc_result r;

        fixture_rewrite(dir, "runs.csv", edits[k]);
        lab_run(&r, args);
        ck_assert_msg(r.status == 1, "edit %d: exit %d", k, r.status);
        ck_assert_msg(strstr(r.out, says[k]) != NULL, "edit %d: %s", k, r.out);
        expect_others_pass(r.out, NULL); /* the answers still agree with the first's runs */
        ck_assert_msg(strstr(r.out, "; 1 problem above; not everything checks"), "%s", r.out);
        tu_result_release(&r);
        tu_rmrf(dir);
    }
}
END_TEST

/* ---- the answers file ----------------------------------------------------------------- */

START_TEST(unknown_keys_and_lines_that_are_no_answer_are_named)
{
    char *dir = tu_tmpdir(), *answers = tu_path(dir, "answers.txt");
    char *text = tu_read_file(LAB1 "/answers.txt"), *more;
    const char *args[] = {"check", "1", LAB1, "-a", answers, NULL};
    size_t lines = tu_count_lines(text);
    struct proc_result r;
    char want[512];

    ck_assert_int_ge(asprintf(&more, "%sthreads_none.wal = 0.36\nF0.25.W2.e = 0.25\njust "
                              "words\npus = 3\ntwo words = 1\n", text), 0);
    tu_write_file(answers, more);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    snprintf(want, sizeof want, "%s line %zu: unknown key 'threads_none.wal' (a typo? lab 1 has "
             "'threads_none.wall')", answers, lines + 1);
    ck_assert_msg(strstr(r.out, want), "expected '%s': %s", want, r.out);
    snprintf(want, sizeof want, "%s line %zu: unknown key 'F0.25.W2.e': lab 1 has no such key; "
             "lab 3 has (is this lab 3's answers file?)", answers, lines + 2);
    ck_assert_msg(strstr(r.out, want), "expected '%s': %s", want, r.out);
    snprintf(want, sizeof want, "%s line %zu: 'just words' is not key = value", answers, lines + 3);
    ck_assert_msg(strstr(r.out, want), "expected '%s': %s", want, r.out);
    snprintf(want, sizeof want, "%s line %zu: 'pus' is given again (first on line 3, whose value "
             "counts): keep one", answers, lines + 4);
    ck_assert_msg(strstr(r.out, want), "expected '%s': %s", want, r.out);
    snprintf(want, sizeof want, "%s line %zu: the key 'two words' has a character", answers,
             lines + 5);
    ck_assert_msg(strstr(r.out, want), "expected '%s': %s", want, r.out);
    expect_others_pass(r.out, NULL);
    ck_assert_msg(strstr(r.out, "; 5 problems above; not everything checks"), "%s", r.out);
    tu_result_release(&r);
    free(more);
    free(text);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

START_TEST(an_empty_value_is_not_answered_and_a_wrong_kind_is_unreadable)
{
    static const struct {
        int lab;
        const char *key, *value, *verdict, *says;
    } cases[] = {
        {1, "serial.wall", "", "not answered", "has no value after 'serial.wall ='"},
        {1, "threads_none.speedup", "1,87", "unreadable",
         "'1,87' is not a number: write the decimal point as a point (1.94)"},
        {1, "threads_none.wall", "fast", "unreadable", "'fast' is not a number such as 1.94"},
        {1, "idle", "maybe", "unreadable", "'maybe' is neither yes nor no"},
        {1, "explain1.limit", "2.5", "unreadable", "'2.5' is not a whole number"},
        {2, "unequal.static.last_jobs", "6 seven", "unreadable",
         "'6 seven' is not whole numbers apart by blanks"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = tu_tmpdir(), n[8], from[64], src[80], line[4096], *answers;
        const char *args[] = {"check", n, from, "-a", NULL, NULL};
        const char *except[] = {cases[i].key, NULL};
        struct proc_result r;

        snprintf(n, sizeof n, "%d", cases[i].lab);
        snprintf(from, sizeof from, "tests/fixtures/lab%d", cases[i].lab);
        snprintf(src, sizeof src, "%s/answers.txt", from);
        answers = answers_with(src, cases[i].key, cases[i].value, dir);
        args[4] = answers;
        lab_run(&r, args);
        ck_assert_msg(r.status == 1, "%s: exit %d", cases[i].key, r.status);
        ck_assert(key_line(r.out, cases[i].key, line, sizeof line));
        ck_assert_msg(strstr(line, cases[i].verdict) && strstr(line, cases[i].says),
                      "expected '%s: %s': %s", cases[i].verdict, cases[i].says, line);
        expect_others_pass(r.out, except);
        tu_result_release(&r);
        free(answers);
        tu_rmrf(dir);
    }
}
END_TEST

START_TEST(the_template_left_empty_answers_nothing)
{
    char *dir = tu_tmpdir(), *answers = tu_path(dir, "answers.txt");
    const char *args[] = {"check", "1", LAB1, "-a", answers, NULL};
    const char *tmpl[] = {"template", "1", NULL};
    char keys[64][64];
    size_t nkeys = template_keys(1, keys, 64);
    struct proc_result r;

    lab_run(&r, tmpl);
    tu_write_file(answers, r.out);
    tu_result_release(&r);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(count_verdict(r.out, "not answered"), nkeys);
    ck_assert_uint_eq(count_questions(r.out), nkeys);
    tu_result_release(&r);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

/* ---- the command line -------------------------------------------------------------- */

START_TEST(bad_usage_is_one_line_and_exit_2)
{
    static const char *const bad[][5] = {
        {NULL},
        {"check", NULL},
        {"check", "11", NULL},
        {"check", "0", NULL},
        {"check", "1x", NULL},
        {"check", "-1", NULL},
        {"check", " 1", NULL},
        {"check", "", NULL},
        {"grade", "1", NULL},
        {"check", "1", "dir", "extra", NULL},
        {"check", "1", "", NULL},
        {"check", "1", "-a", "", NULL},
        {"check", "1", "--answers", NULL},
        {"template", "1", "x", NULL},
        {"template", "1", "-a", "f", NULL},
        {"keys", NULL},
        {"--bogus", NULL},
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct proc_result r;

        lab_run(&r, bad[i]);
        ck_assert_msg(r.status == 2 && tu_count_lines(r.err) == 1 && r.out[0] == '\0' &&
                          strncmp(r.err, "parlab-lab: ", 12) == 0,
                      "case %zu: exit %d, said %s%s", i, r.status, r.out, r.err);
        tu_result_release(&r);
    }
}
END_TEST

START_TEST(help_and_version_go_to_stdout_with_exit_0)
{
    const char *help[] = {"--help", NULL}, *version[] = {"--version", NULL};
    struct proc_result r;

    lab_run(&r, help);
    ck_assert_msg(r.status == 0 && strncmp(r.out, "Usage: parlab-lab check N [DIR]", 31) == 0 &&
                      r.err[0] == '\0', "exit %d: %s%s", r.status, r.out, r.err);
    tu_result_release(&r);
    lab_run(&r, version);
    ck_assert_msg(r.status == 0 && strncmp(r.out, "parlab-lab (parlab) ", 20) == 0,
                  "exit %d: %s%s", r.status, r.out, r.err);
    tu_result_release(&r);
}
END_TEST

START_TEST(an_answers_file_that_cannot_be_read_is_one_line_and_exit_1)
{
    char *dir = tu_tmpdir(), *answers = tu_path(dir, "answers.txt");
    const char *args[] = {"check", "1", dir, NULL};
    struct proc_result r;

    lab_run(&r, args);
    ck_assert_msg(r.status == 1 && tu_count_lines(r.err) == 1 && strstr(r.err, answers) &&
                      strstr(r.err, "labs/answers-templates/lab1.txt") && r.out[0] == '\0',
                  "exit %d: %s", r.status, r.err);
    tu_result_release(&r);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

/* ---- lab 9: the overhead per job and the crossover ---------------------------------- */

/* lab 9's check of dir (answers: its own, or `answers`), into *r. */
static void lab9_run(struct proc_result *r, const char *dir, const char *answers)
{
    const char *args[] = {"check", "9", dir, "-a", answers, NULL};

    lab_run(r, args);
}

/* A number as parlab-lab's lines print it: 3 decimals below 10, 2 below 100, else 0. */
static void printed(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.*f", fabs(x) >= 100 ? 0 : fabs(x) >= 10 ? 2 : 3, x);
}

/* The job duration (serial median wall / jobs) and the speedups of program at W = 2 of
 * the sweep's size with `jobs` jobs, from the fixture's granularity.csv. */
static void sweep_size(const struct summary *s, unsigned long jobs, const char *program,
                       double *job_s, double *speedup)
{
    const struct summary_case *serial = NULL, *c = NULL;

    for (size_t i = 0; i < s->ncases; i++) {
        const struct summary_case *k = &s->cases[i];

        if (k->jobs == jobs && strcmp(k->program, "parlab-serial") == 0)
            serial = k;
        if (k->jobs == jobs && strcmp(k->program, program) == 0 && k->workers == 2)
            c = k;
    }
    ck_assert_msg(serial != NULL && c != NULL, "the fixture has no %s of %lu jobs", program, jobs);
    *job_s = serial->wall.median / (double)jobs;
    *speedup = serial->wall.median / c->wall.median;
}

/* The median_us of the last parlab-overhead row of `ocase` at W = 2 of dir/overhead.csv,
 * and its line, read here with the CSV reader. */
static double last_overhead(const char *dir, const char *ocase, size_t *line)
{
    char *path = tu_path(dir, "overhead.csv");
    struct csv_table t;
    double us = NAN;
    int kcase, kw, kmed;

    tu_read_csv(path, &t);
    kcase = csv_column(&t, "case");
    kw = csv_column(&t, "workers");
    kmed = csv_column(&t, "median_us");
    for (size_t r = 1; r < t.nrows; r++)
        if (strcmp(csv_field(&t, r, kcase), ocase) == 0 && strcmp(csv_field(&t, r, kw), "2") == 0) {
            us = strtod(csv_field(&t, r, kmed), NULL);
            *line = r + 1;
        }
    csv_table_release(&t);
    free(path);
    ck_assert_msg(!isnan(us), "%s has no %s row at W = 2", LAB9, ocase);
    return us;
}

START_TEST(lab9_computes_the_crossover_the_overhead_per_job_and_the_job_duration)
{
    char *runs = tu_path(LAB9, "granularity.csv"), why[256], line[4096], want[512], a[32], b[32];
    struct summary s;
    struct proc_result r;
    double t1, s1, t2, s2, t, x, o;
    size_t at;
    /* the sizes either side of 1.8 (tests/fixtures/lab9/README.md) */
    static const struct {
        const char *key, *program;
        unsigned long below, above;
    } cross[] = {{"threads.crossover", "parlab-threads", 5000, 1200},
                 {"procs.crossover", "parlab-procs", 280, 60}};

    ck_assert_msg(summary_load(runs, &s, why, sizeof why) == 0, "%s", why);
    lab9_run(&r, LAB9, LAB9 "/answers.txt");
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    for (size_t i = 0; i < sizeof cross / sizeof cross[0]; i++) {
        sweep_size(&s, cross[i].below, cross[i].program, &t1, &s1);
        sweep_size(&s, cross[i].above, cross[i].program, &t2, &s2);
        ck_assert_msg(s1 < 1.8 && s2 >= 1.8, "the fixture changed");
        t = t1 * pow(t2 / t1, (1.8 - s1) / (s2 - s1)) * 1e6; /* linear in log t */
        printed(t, a, sizeof a);
        snprintf(want, sizeof want, "interpolated in log t to 1.80, %s (within", a);
        ck_assert(key_line(r.out, cross[i].key, line, sizeof line));
        ck_assert_msg(strstr(line, "]: agrees: ") && strstr(line, want), "want '%s': %s", want,
                      line);
    }
    /* the job duration: serial median wall / jobs, in us */
    sweep_size(&s, 100000, "parlab-threads", &t1, &s1);
    printed(t1 * 1e6, a, sizeof a);
    snprintf(want, sizeof want, "over 100000 jobs give %s (within", a);
    ck_assert(key_line(r.out, "size.n12.job_us", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: ") && strstr(line, want), "want '%s': %s", want, line);
    /* the small sizes took far more CPU time than serially (the queue's), and are judged */
    ck_assert(key_line(r.out, "size.n12.procs.speedup", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: "), "%s", line);
    /* the overhead: the last row of the case at W = 2 (not the older one, not W = 1) */
    o = last_overhead(LAB9, "procs-counter", &at);
    printed(o, a, sizeof a);
    snprintf(want, sizeof want, "overhead.csv' line %zu gives %s (within", at, a);
    ck_assert(key_line(r.out, "o.procs", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: ") && strstr(line, want), "want '%s': %s", want, line);
    o = last_overhead(LAB9, "omp-dynamic1", &at);
    printed(o, a, sizeof a);
    printed(9 * o, b, sizeof b);
    snprintf(want, sizeof want, "line %zu gives o = %s us, and 9 o is %s (within", at, a, b);
    ck_assert(key_line(r.out, "threads.nine_o", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: ") && strstr(line, want), "want '%s': %s", want, line);
    x = last_overhead(LAB9, "fork-per-job", &at);
    printed(x, a, sizeof a);
    ck_assert(key_line(r.out, "o.fork", line, sizeof line));
    ck_assert_msg(strstr(line, a), "want %s: %s", a, line);
    tu_result_release(&r);
    summary_release(&s);
    free(runs);
}
END_TEST

START_TEST(lab9_a_wrong_crossover_or_an_older_overhead_disagrees)
{
    static const char *const keys[] = {"threads.crossover", "o.procs", "procs.nine_o"};
    static const char *const values[] = {"60", "60", "540"}; /* 60: the older row's */
    char *dir = tu_tmpdir(), *answers, line[4096];
    struct proc_result r;

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *except[] = {keys[i], NULL};

        answers = answers_with(LAB9 "/answers.txt", keys[i], values[i], dir);
        lab9_run(&r, LAB9, answers);
        ck_assert_msg(r.status == 1, "%s: exit %d", keys[i], r.status);
        ck_assert_uint_eq(count_verdict(r.out, "disagrees"), 1);
        ck_assert(key_line(r.out, keys[i], line, sizeof line));
        ck_assert_msg(strstr(line, "]: disagrees: you wrote "), "%s", line);
        expect_others_pass(r.out, except);
        tu_result_release(&r);
        free(answers);
    }
    tu_rmrf(dir);
}
END_TEST

/* The sweep's procs rows 20% slower (wall_s, the 9th field): no size reaches 1.8. */
static const char *slower_procs(const char *line, const char **extra)
{
    static char out[1024];
    const char *wall = line;
    char *end;
    double x;

    (void)extra;
    if (strstr(line, ",parlab-procs,") == NULL)
        return line;
    for (int k = 0; k < 8; k++)
        wall = strchr(wall, ',') + 1;
    x = strtod(wall, &end);
    snprintf(out, sizeof out, "%.*s%.9f%s", (int)(wall - line), line, 1.2 * x, end);
    return out;
}

/* The last procs-counter row: other programs busy beside it. */
static const char *busy_procs_counter(const char *line, const char **extra)
{
    static char out[1024];
    size_t len = strlen(line);

    (void)extra;
    if (strstr(line, ",procs-counter,") == NULL || strstr(line, ",80.0,") == NULL ||
        strcmp(line + len - 5, ",0.00") != 0)
        return line;
    snprintf(out, sizeof out, "%.*s,1.00", (int)(len - 5), line);
    return out;
}

START_TEST(lab9_no_crossover_a_busy_overhead_and_missing_files_are_said)
{
    char *dir = copy_tree(LAB9), *file, line[4096];
    char *answers = tu_path(dir, "answers.txt");
    struct proc_result r;

    /* procs never reaches 1.8: not applicable, which passes, and says why */
    fixture_rewrite(dir, "granularity.csv", slower_procs);
    lab9_run(&r, dir, answers);
    ck_assert(key_line(r.out, "procs.crossover", line, sizeof line));
    ck_assert_msg(strstr(line, "]: not applicable: no size of procs, lock none, W = 2 in the "
                               "sweep reaches 90% of the ideal (1.80)") &&
                      strstr(line, "leave it empty (you wrote 802)"),
                  "%s", line);
    ck_assert(key_line(r.out, "threads.crossover", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: "), "%s", line);
    tu_result_release(&r);

    /* other programs busy beside the procs-counter measurement: its o and 9 o not judged */
    fixture_rewrite(dir, "overhead.csv", busy_procs_counter);
    lab9_run(&r, dir, answers);
    for (size_t i = 0; i < 2; i++) {
        ck_assert(key_line(r.out, i ? "procs.nine_o" : "o.procs", line, sizeof line));
        ck_assert_msg(strstr(line, "]: not judged: the machine was busy: other programs used "
                                   "1.00 CPU-seconds beside parlab-overhead's procs-counter at "
                                   "W = 2"),
                      "%s", line);
    }
    ck_assert(key_line(r.out, "o.threads", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: "), "%s", line);
    tu_result_release(&r);

    /* no overhead.csv: its keys name the command that makes it */
    file = tu_path(dir, "overhead.csv");
    ck_assert_int_eq(unlink(file), 0);
    lab9_run(&r, dir, answers);
    ck_assert(key_line(r.out, "o.fork", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: there is no '") &&
                      strstr(line, "bin/parlab-overhead -w 2 --case "
                                   "omp-dynamic1,procs-counter,fork-per-job --overhead-csv "),
                  "%s", line);
    ck_assert(key_line(r.out, "threads.nine_o", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: "), "%s", line);
    tu_result_release(&r);
    free(file);

    /* no granularity.csv: each size names its command, into granularity.csv */
    file = tu_path(dir, "granularity.csv");
    ck_assert_int_eq(unlink(file), 0);
    lab9_run(&r, dir, answers);
    ck_assert(key_line(r.out, "size.n48.threads.speedup", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: ") &&
                      strstr(line, "bin/parlab-threads -l none -w 2 -j 280 -n 48 -r 3 --runs-csv ") &&
                      strstr(line, "/granularity.csv"),
                  "%s", line);
    ck_assert(key_line(r.out, "threads.crossover", line, sizeof line));
    ck_assert_msg(strstr(line, "]: missing run: "), "%s", line);
    ck_assert(key_line(r.out, "big.procs.speedup", line, sizeof line));
    ck_assert_msg(strstr(line, "]: agrees: "), "%s", line);
    tu_result_release(&r);
    free(file);
    free(answers);
    tu_rmrf(dir);
}
END_TEST

/* ---- the template and the keys' table ------------------------------------------- */
/* What `parlab-lab template N` or `keys N` prints, into *r: from parlab-lab, or under
 * valgrind (where a program costs a second) for every lab but the first from the
 * functions it prints with, in this process, which memcheck checks as well. */
static void lab_print(struct proc_result *r, const char *command, int lab)
{
    char n[16];
    const char *args[] = {command, n, NULL};
    struct tu_text t;
    FILE *f;
    int status;

    snprintf(n, sizeof n, "%d", lab);
    if (!tu_under_valgrind() || lab == 1) {
        lab_run(r, args);
        return;
    }
    f = tu_text_open(&t);
    status = strcmp(command, "template") == 0 ? lab_write_template(lab, f)
                                              : lab_write_keys(lab, f);
    *r = (struct proc_result){.status = status == 0 ? 0 : 1, .pid = 0,
                              .out = tu_text_close(&t), .err = strdup("")};
    ck_assert_ptr_nonnull(r->err);
}

/* ---- lab 10: the scalar and the simd kernel ------------------------------------------- */

/* runs.csv without its simd runs (kernel simd: any ISA). */
static const char *no_simd(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, ",simd,") ? NULL : line;
}

/* The simd questions rest on the simd runs, never on the scalar ones of the same
 * program and W: without them each says which run is missing and gives the command,
 * with --kernel simd; the scalar ones still agree. */
START_TEST(lab10_s_simd_questions_need_the_simd_runs)
{
    char *dir = tu_tmpdir(), *runs = tu_path(dir, "runs.csv"), *from = tu_path(LAB10, "runs.csv");
    char *text = tu_read_file(from), line[4096];
    const char *args[] = {"check", "10", dir, "-a", LAB10 "/answers.txt", NULL};
    struct proc_result r;

    ck_assert_ptr_nonnull(text);
    tu_write_file(runs, text);
    fixture_rewrite(dir, "runs.csv", no_simd);
    lab_run(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert(key_line(r.out, "simd.speedup", line, sizeof line));
    ck_assert_msg(strstr(line, "kernel simd") && strstr(line, "bin/parlab-serial -n 150 --kernel simd -r 3"),
                  "%s", line);
    ck_assert(key_line(r.out, "simd_threads.wall", line, sizeof line));
    ck_assert_msg(strstr(line, "bin/parlab-threads -l none -w 2 -n 150 --kernel simd"), "%s", line);
    ck_assert(key_line(r.out, "threads.speedup", line, sizeof line));
    ck_assert_msg(strstr(line, ": agrees: "), "%s", line);
    tu_result_release(&r);
    free(text);
    free(from);
    free(runs);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_templates_and_the_keys_tables_are_up_to_date)
{
    char *doc = tu_read_file("labs/self-check.md");

    ck_assert_ptr_nonnull(doc);
    for (int lab = 1; lab <= lab_infos[lab_count - 1].lab; lab++) {
        char path[64], *file;
        struct proc_result r;

        snprintf(path, sizeof path, "labs/answers-templates/lab%d.txt", lab);
        file = tu_read_file(path);
        ck_assert_msg(file != NULL, "no %s", path);
        lab_print(&r, "template", lab);
        ck_assert_msg(r.status == 0 && strcmp(r.out, file) == 0,
                      "%s differs from parlab-lab template %d: run it again", path, lab);
        tu_result_release(&r);
        lab_print(&r, "keys", lab);
        ck_assert_msg(r.status == 0 && strstr(doc, r.out) != NULL,
                      "labs/self-check.md lacks parlab-lab keys %d's table", lab);
        tu_result_release(&r);
        free(file);
    }
    free(doc);
}
END_TEST

/* An answers file that is a FIFO no one writes into would wait forever: refused. */
START_TEST(an_answers_fifo_is_refused_not_waited_for)
{
    char *dir = tu_tmpdir(), *fifo = tu_path(dir, "answers.txt");
    const char *args[] = {"check", "1", "tests/fixtures/lab1", "-a", fifo, NULL};
    struct proc_result r;

    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    lab_run(&r, args); /* the suite's timeout ends it if it waits */
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(tu_count_lines(r.err) == 1 && strstr(r.err, "not a regular file") &&
                      strstr(r.err, fifo),
                  "said: %s", r.err);
    tu_result_release(&r);
    free(fifo);
    tu_rmrf(dir);
}
END_TEST

static Suite *lab_suite(void)
{
    Suite *s = suite_create("lab");
    TCase *tc = tcase_create("lab");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, honest_answers_agree_with_the_student_s_own_runs, 0,
                        sizeof honest_labs / sizeof honest_labs[0]);
    tcase_add_test(tc, an_answers_fifo_is_refused_not_waited_for);
    tcase_add_test(tc, an_altered_speedup_is_named_with_both_numbers);
    tcase_add_loop_test(tc, an_altered_answer_of_each_kind_disagrees_on_its_own_line, 0,
                        sizeof altered / sizeof altered[0]);
    tcase_add_test(tc, a_prediction_is_reported_never_judged);
    tcase_add_test(tc, a_fitted_F_far_from_the_F_set_disagrees_though_it_fits_the_runs);
    tcase_add_test(tc, answers_from_a_busy_machine_are_not_judged);
    tcase_add_loop_test(tc, only_the_questions_that_rest_on_an_unclean_case_are_not_judged, 0,
                        sizeof unclean / sizeof unclean[0]);
    tcase_add_test(tc, repetitions_that_disagree_in_real_runs_are_said_instead_of_judged);
    tcase_add_test(tc, a_missing_run_is_named_with_the_command_that_makes_it);
    tcase_add_test(tc, a_missing_mpi_run_is_named_with_its_mpirun_command);
    tcase_add_test(tc, a_speedup_without_its_serial_run_names_the_serial_run_to_make);
    tcase_add_test(tc, a_run_of_another_n_is_named_and_the_right_one_asked_for);
    tcase_add_test(tc, a_missing_directory_or_jobs_file_is_named);
    tcase_add_test(tc, runs_of_another_machine_or_student_are_a_line_of_their_own);
    tcase_add_test(tc, unknown_keys_and_lines_that_are_no_answer_are_named);
    tcase_add_test(tc, an_empty_value_is_not_answered_and_a_wrong_kind_is_unreadable);
    tcase_add_test(tc, the_template_left_empty_answers_nothing);
    tcase_add_test(tc, bad_usage_is_one_line_and_exit_2);
    tcase_add_test(tc, help_and_version_go_to_stdout_with_exit_0);
    tcase_add_test(tc, an_answers_file_that_cannot_be_read_is_one_line_and_exit_1);
    tcase_add_test(tc, the_templates_and_the_keys_tables_are_up_to_date);
    tcase_add_test(tc, lab9_computes_the_crossover_the_overhead_per_job_and_the_job_duration);
    tcase_add_test(tc, lab9_a_wrong_crossover_or_an_older_overhead_disagrees);
    tcase_add_test(tc, lab9_no_crossover_a_busy_overhead_and_missing_files_are_said);
    tcase_add_test(tc, lab10_s_simd_questions_need_the_simd_runs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(lab_suite());
}
