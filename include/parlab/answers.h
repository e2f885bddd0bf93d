/*
 * answers.h - a student's answers file: plain text, one `key = value` a line.
 *
 *   # Record: threads, lock none
 *   threads_none.wall = 0.65
 *   threads_none.speedup = 1.9     # a comment after the value
 *   serial.cpu_children =          # empty: not answered yet
 *
 * Blank lines and lines whose first character other than a blank is '#' are ignored;
 * a '#' after a blank ends a value.  Keys are letters, digits and the characters
 * "_.,:+-"; values are whatever follows the '=', blanks around it removed.  What a key
 * means, and whether its value is a number, is the self-check's business (lab.h):
 * here a file is only read.  A line that is not `key = value`, a key with other
 * characters or one given twice is kept as a problem with its line number, and the
 * rest of the file is read on.
 */
#ifndef PARLAB_ANSWERS_H
#define PARLAB_ANSWERS_H

#include <stddef.h>

struct answer {
    char *key, *value; /* value "" when the line gives none */
    size_t line;       /* 1 for the file's first */
};

/* A line of the file that could not be read as an answer. */
struct answers_problem {
    size_t line;
    char *text; /* "'threads_none.wall 0.65' is not key = value", without the line */
};

struct answers {
    struct answer *items; /* in file order, each key once (the first line of a key) */
    size_t n;
    struct answers_problem *problems; /* in file order */
    size_t nproblems;
};

/* Reads the answers file at path into *a.  Returns 0 (problems in the file are in
 * a->problems), or -1 with errno set when the file cannot be read or memory ran out,
 * and nothing to release.  Release with answers_release. */
int answers_load(const char *path, struct answers *a);

/* The answer with this key, or NULL when the file does not give it. */
const struct answer *answers_find(const struct answers *a, const char *key);

void answers_release(struct answers *a);

#endif
