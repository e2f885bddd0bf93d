/*
 * stats.h - median, minimum and maximum of repeated measurements.
 */
#ifndef PARLAB_STATS_H
#define PARLAB_STATS_H

#include <stddef.h>

struct stats {
    double median; /* the middle value; the mean of the two middle ones for even n */
    double min;
    double max;
};

/* Summarises x[0..n-1] (n >= 1; x is not changed).  Returns 0, or -1 with errno
 * set (EINVAL for n == 0, ENOMEM). */
int stats_of(const double *x, size_t n, struct stats *s);

/* The same for x[0..n-1] in ascending order already (n >= 1): no copy, no sort. */
void stats_of_sorted(const double *sorted, size_t n, struct stats *s);

#endif
