/*
 * check_judges.c - what the exercises' judges say about speed, from cells written by
 * hand (checker.h): a comparison only when the machine was quiet, each part ran more
 * than once and the runs' ranges do not overlap; never a failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/checker.h"

#include "testutil.h"

/* One cell by hand: part, W, right runs, min, median, max, busy rate (-1: /proc/stat
 * unread, -2: too short to tell), value. */
struct cell_spec {
    const char *part;
    unsigned threads, runs;
    double min, median, max, busy, value;
};

/* Runs exercise `name`'s judge on the cells, with `pus` PUs; returns what it said
 * (malloc'd) and checks that it said nothing that makes the verdict "wrong". */
static char *judge(const char *name, unsigned pus, const struct cell_spec *spec, size_t n)
{
    const struct exercise *ex = exercise_find(name);
    struct part_result *parts;
    struct check_state st = {0};
    struct tu_text out;
    char *text;

    ck_assert_ptr_nonnull(ex);
    ck_assert_ptr_nonnull(ex->judge);
    parts = calloc(ex->nparts, sizeof *parts);
    ck_assert_ptr_nonnull(parts);
    for (size_t p = 0; p < ex->nparts; p++) {
        parts[p].part = &ex->parts[p];
        parts[p].cells = calloc(n, sizeof *parts[p].cells);
        ck_assert_ptr_nonnull(parts[p].cells);
        for (size_t k = 0; k < n; k++) {
            struct part_cell *c;

            if (strcmp(spec[k].part, ex->parts[p].name) != 0)
                continue;
            c = &parts[p].cells[parts[p].ncells++];
            c->threads = spec[k].threads;
            c->runs = c->right = spec[k].runs;
            c->wall_min = spec[k].min;
            c->wall_median = spec[k].median;
            c->wall_max = spec[k].max;
            c->cpu_median = spec[k].median * spec[k].threads;
            c->busy_known = spec[k].busy != -1;
            c->too_short = spec[k].busy == -2;
            c->busy_rate = spec[k].busy > 0 ? spec[k].busy : 0;
            c->value_median = spec[k].value;
        }
        parts[p].skipped = parts[p].ncells == 0;
    }
    st.ex = ex;
    st.parts = parts;
    st.nparts = ex->nparts;
    st.pus = pus;
    st.out = tu_text_open(&out);
    ex->judge(&st);
    text = tu_text_close(&out);
    ck_assert_msg(st.failures == 0, "a speed sentence failed the verdict: %s", text);
    for (size_t p = 0; p < ex->nparts; p++)
        free(parts[p].cells);
    free(parts);
    return text;
}

START_TEST(schedule_says_dynamic_beat_static_and_the_tail_when_it_clearly_did)
{
    static const struct cell_spec cells[] = {
        {"serial", 1, 3, 0.18, 0.18, 0.19, 0, 0},
        {"static", 1, 3, 0.18, 0.18, 0.19, 0, 0},
        {"static", 2, 3, 0.140, 0.142, 0.145, 0, 0.0791},
        {"dynamic", 1, 3, 0.18, 0.18, 0.19, 0, 0},
        {"dynamic", 2, 3, 0.091, 0.092, 0.094, 0, 0.0042},
        {"static", 4, 3, 0.30, 0.31, 0.32, 0, 0.1}, /* W beyond the PUs: not compared */
        {"dynamic", 4, 3, 0.05, 0.05, 0.05, 0, 0},
    };
    char *text = judge("schedule", 2, cells, sizeof cells / sizeof cells[0]);

    ck_assert_msg(strstr(text, "schedule_dynamic was 1.54x as fast as schedule_static with 2 "
                               "threads") != NULL &&
                      strstr(text, "0.0791 s apart (the tail") != NULL &&
                      strstr(text, "0.0042 s apart") != NULL,
                  "%s", text);
    free(text);
}
END_TEST

START_TEST(schedule_compares_nothing_on_a_busy_machine_with_one_run_or_overlapping_runs)
{
    struct cell_spec busy[] = {
        {"static", 2, 3, 0.140, 0.142, 0.145, 0.6, 0.08},
        {"dynamic", 2, 3, 0.091, 0.092, 0.094, 0, 0.004},
    };
    static const struct cell_spec once[] = {
        {"static", 2, 1, 0.14, 0.14, 0.14, 0, 0.08},
        {"dynamic", 2, 1, 0.09, 0.09, 0.09, 0, 0.004},
    };
    static const struct cell_spec overlap[] = {
        {"static", 2, 3, 0.10, 0.12, 0.15, 0, 0.02},
        {"dynamic", 2, 3, 0.09, 0.10, 0.11, 0, 0.004},
    };
    char *text = judge("schedule", 2, busy, 2);

    ck_assert_msg(strstr(text, "other programs used 0.6 PUs") != NULL &&
                      strstr(text, "as fast as") == NULL,
                  "%s", text);
    free(text);
    text = judge("schedule", 2, once, 2);
    ck_assert_msg(strstr(text, "one run each") != NULL && strstr(text, "as fast as") == NULL,
                  "%s", text);
    free(text);
    busy[0].busy = -1;
    text = judge("schedule", 2, busy, 2);
    ck_assert_msg(strstr(text, "could not be read") != NULL && strstr(text, "as fast as") == NULL,
                  "%s", text);
    free(text);
    busy[0].busy = -2;
    text = judge("schedule", 2, busy, 2);
    ck_assert_msg(strstr(text, "too short to tell") != NULL && strstr(text, "as fast as") == NULL,
                  "%s", text);
    free(text);
    text = judge("schedule", 2, overlap, 2);
    ck_assert_msg(strstr(text, "took about as long") != NULL && strstr(text, "as fast as") == NULL,
                  "%s", text);
    free(text);
}
END_TEST

START_TEST(schedule_on_one_pu_says_there_is_nothing_to_compare)
{
    static const struct cell_spec cells[] = {
        {"static", 1, 3, 0.18, 0.18, 0.19, 0, 0},
        {"static", 2, 3, 0.18, 0.18, 0.19, 0, 0.1},
        {"dynamic", 1, 3, 0.18, 0.18, 0.19, 0, 0},
        {"dynamic", 2, 3, 0.10, 0.10, 0.10, 0, 0},
    };
    char *text = judge("schedule", 1, cells, sizeof cells / sizeof cells[0]);

    ck_assert_msg(strstr(text, "with one PU") != NULL && strstr(text, "as fast as") == NULL,
                  "%s", text);
    free(text);
}
END_TEST

START_TEST(histogram_orders_lock_atomic_and_private_only_as_measured)
{
    static const struct cell_spec cells[] = {
        {"serial", 1, 3, 0.10, 0.10, 0.11, 0, 0},
        {"lock", 2, 3, 0.30, 0.31, 0.33, 0, 0},
        {"atomic", 2, 3, 0.09, 0.10, 0.11, 0, 0},
        {"private", 2, 3, 0.049, 0.050, 0.052, 0, 0},
    };
    static const struct cell_spec reversed[] = {
        {"lock", 2, 3, 0.30, 0.31, 0.33, 0, 0},
        {"atomic", 2, 3, 0.04, 0.04, 0.045, 0, 0},
        {"private", 2, 3, 0.05, 0.05, 0.06, 0, 0},
    };
    char *text = judge("histogram", 2, cells, sizeof cells / sizeof cells[0]);

    ck_assert_msg(strstr(text, "histogram_lock took 3.1 times as long as histogram_atomic") !=
                          NULL &&
                      strstr(text, "histogram_atomic took 2.0 times as long as "
                                   "histogram_private") != NULL,
                  "%s", text);
    free(text);
    text = judge("histogram", 2, reversed, sizeof reversed / sizeof reversed[0]);
    ck_assert_msg(strstr(text, "histogram_atomic was faster than histogram_private") != NULL &&
                      strstr(text, "took 2.0 times") == NULL,
                  "%s", text);
    free(text);
}
END_TEST

START_TEST(histogram_compares_nothing_on_a_busy_machine_or_with_overlapping_runs)
{
    static const struct cell_spec busy[] = {
        {"lock", 2, 3, 0.30, 0.31, 0.33, 0.9, 0},
        {"atomic", 2, 3, 0.09, 0.10, 0.11, 0, 0},
        {"private", 2, 3, 0.049, 0.050, 0.052, 0, 0},
    };
    static const struct cell_spec overlap[] = {
        {"lock", 2, 3, 0.30, 0.31, 0.33, 0, 0},
        {"atomic", 2, 3, 0.05, 0.10, 0.11, 0, 0},
        {"private", 2, 3, 0.049, 0.050, 0.052, 0, 0},
    };
    char *text = judge("histogram", 2, busy, 3);

    ck_assert_msg(strstr(text, "histogram_lock against histogram_atomic with 2 threads") !=
                          NULL &&
                      strstr(text, "says little") != NULL &&
                      strstr(text, "histogram_atomic took 2.0 times as long") != NULL,
                  "%s", text);
    ck_assert_msg(strstr(text, "histogram_lock took") == NULL, "%s", text);
    free(text);
    text = judge("histogram", 2, overlap, 3);
    ck_assert_msg(strstr(text, "histogram_atomic and histogram_private with 2 threads took "
                               "about as long") != NULL,
                  "%s", text);
    free(text);
}
END_TEST

static Suite *judges_suite(void)
{
    Suite *s = suite_create("judges");
    TCase *tc = tcase_create("judges");

    tcase_add_test(tc, schedule_says_dynamic_beat_static_and_the_tail_when_it_clearly_did);
    tcase_add_test(tc, schedule_compares_nothing_on_a_busy_machine_with_one_run_or_overlapping_runs);
    tcase_add_test(tc, schedule_on_one_pu_says_there_is_nothing_to_compare);
    tcase_add_test(tc, histogram_orders_lock_atomic_and_private_only_as_measured);
    tcase_add_test(tc, histogram_compares_nothing_on_a_busy_machine_or_with_overlapping_runs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(judges_suite());
}
