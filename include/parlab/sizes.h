/*
 * sizes.h - jobs of unequal size: the kernel n of each job from a rule or a list
 * (--sizes), for the lessons on load balance and the tail of a run.
 *
 *   list:N1,N2,...  job k gets N_(k mod count): "list:200,50" alternates
 *   ramp:A-B        from A for job 0 to B for the last job, linearly, each rounded to
 *                   the nearest whole number (halves up); A > B runs the largest first
 *
 * Every size is a kernel n from 0 to KERNEL_MAX_SIZE.  The functions are pure: safe
 * in threads and after fork.
 */
#ifndef PARLAB_SIZES_H
#define PARLAB_SIZES_H

#include <stddef.h>
#include <stdint.h>

enum sizes_kind {
    SIZES_NONE, /* every job has the plan's one n (-n or -t) */
    SIZES_LIST,
    SIZES_RAMP
};

struct sizes {
    enum sizes_kind kind;
    const char *text; /* the SPEC as given (points at the caller's string), or NULL */
    uint64_t *list;   /* SIZES_LIST: its count sizes (malloc'd) */
    size_t count;
    uint64_t from, to; /* SIZES_RAMP: A and B */
};

/* Sets *s to SIZES_NONE, owning nothing. */
void sizes_init(struct sizes *s);

/* Parses SPEC into *s (which it first sets to SIZES_NONE; s->text points at `text`
 * afterwards).  Returns 0, or -1 with one line in msg saying what is wrong (without
 * the option's name: "a size of 'x' in list:3,x is not ...") and *s left SIZES_NONE;
 * errno ENOMEM when a list could not be allocated (msg says so too).  Release with
 * sizes_release(). */
int sizes_parse(const char *text, struct sizes *s, char *msg, size_t msglen);

/* The n of job `job` (0-based, in queue order) of `jobs` jobs.  Requires a kind other
 * than SIZES_NONE and job < jobs. */
uint64_t sizes_of(const struct sizes *s, unsigned job, unsigned jobs);

/* Frees the list; *s is SIZES_NONE again. */
void sizes_release(struct sizes *s);

#endif
