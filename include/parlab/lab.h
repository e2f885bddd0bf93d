/*
 * lab.h - the labs' self-check: a student's answers file (answers.h) against the
 * student's own results directory, one verdict per question.
 *
 * Each lab's questions are rows of one table in lab.c: the key the answers file
 * gives it ("threads_none.speedup"), the question as the handout numbers it
 * ("Record: threads, lock none, speedup"), what to write, the runs it rests on (a
 * case: program, lock, W, jobs, pin... and the subdirectory of the lab's results),
 * how the number is computed from them, and the tolerance.  Adding a lab, or a
 * question, is adding rows.
 *
 * For each question the check says whether the runs it needs are there (the same
 * jobs and n as the lab's serial run, one host, one label), whether the machine was
 * quiet enough while they ran to trust them (summary_clean, and serial CPU time close
 * to wall time): when not, it says so instead of judging the answer; and else
 * whether the answer agrees with the numbers the runs give.  Predictions are
 * reported beside the measurement, never judged.  Every number comes from the
 * student's own files: nothing is compared with another machine's.
 */
#ifndef PARLAB_LAB_H
#define PARLAB_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "parlab/answers.h"

/* A serial run whose CPU time is less than this share of its wall time waited for
 * a PU: other programs had it, and its wall time is no clean baseline. */
#define LAB_SERIAL_CPU_SHARE 0.9

/* A lab the self-check knows. */
struct lab_info {
    int lab;
    const char *title;   /* "wall time against CPU time" */
    const char *handout; /* "labs/01-wall-cpu.md" */
};

/* The lab numbered `lab`, or NULL. */
const struct lab_info *lab_find(int lab);

/* The labs, in order, and their count. */
extern const struct lab_info lab_infos[];
extern const size_t lab_count;

/* What a question's line says. */
enum lab_verdict {
    LAB_AGREES,         /* the answer is within the tolerance of the runs' number */
    LAB_DISAGREES,      /* it is not */
    LAB_REPORTED,       /* a prediction, shown beside the measurement */
    LAB_NOT_APPLICABLE, /* the question has no answer on this machine (e on 1 PU) */
    LAB_NOT_ANSWERED,   /* no value in the answers file */
    LAB_UNREADABLE,     /* a value that is not what the question asks for */
    LAB_MISSING,        /* the runs it needs are not in the results */
    LAB_NOT_JUDGED,     /* the machine was not quiet while they ran */
    LAB_NVERDICTS
};

/* "agrees", "disagrees", ... as the lines say them. */
const char *lab_verdict_name(enum lab_verdict v);

/* A verdict that passes: agrees, reported, not applicable. */
bool lab_verdict_passes(enum lab_verdict v);

/* One line of the check: a question's verdict, or (question NULL) a problem with the
 * answers file or the results that is no question's. */
struct lab_line {
    const char *question; /* the handout's name for it, or NULL */
    const char *key;      /* its key, or NULL */
    enum lab_verdict verdict;
    char *text;           /* what the line says after the verdict; for a problem, all */
    size_t line;          /* a problem of the answers file: its line; else 0 */
};

struct lab_check {
    const struct lab_info *info;
    char *header;                /* what was checked: the directory, host, PUs, label */
    struct lab_line *notes;      /* what the check could not tell (not failures) */
    size_t nnotes;
    struct lab_line *problems;   /* the answers file's and the results' problems */
    size_t nproblems;
    struct lab_line *lines;      /* one per question, in the handout's order */
    size_t nlines;
    size_t counts[LAB_NVERDICTS];
};

/* Checks lab `lab`'s answers `a` (read from answers_path, named in the lines)
 * against the results in dir into *out.  Returns 0, or -1 with errno ENOMEM (or
 * EINVAL for a lab it does not know).  Release with lab_check_release. */
int lab_check_run(int lab, const char *dir, const char *answers_path, const struct answers *a,
                  struct lab_check *out);

/* Every question's verdict passes and there are no problems. */
bool lab_check_passed(const struct lab_check *c);

/* The header, the notes, the problems, a line per question ("QUESTION [KEY]:
 * VERDICT: TEXT") and a last line counting the verdicts. */
void lab_check_print(const struct lab_check *c, FILE *out);

void lab_check_release(struct lab_check *c);

/* Lab `lab`'s answers template: a comment on the format, and each key with an empty
 * value after a comment saying what to write.  Returns 0, or -1 (EINVAL) for a lab
 * it does not know. */
int lab_write_template(int lab, FILE *out);

/* Lab `lab`'s keys as a Markdown table: key, question, what to write, how the check
 * computes it from the results, and the tolerance.  Returns 0 or -1 (EINVAL). */
int lab_write_keys(int lab, FILE *out);

#endif
