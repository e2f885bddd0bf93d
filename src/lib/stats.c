/*
 * stats.c - median, minimum and maximum.
 */
#include "parlab/stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int stats_of(const double *x, size_t n, struct stats *s)
{
    double *sorted;

    if (n == 0) {
        errno = EINVAL;
        return -1;
    }
    sorted = malloc(n * sizeof *sorted);
    if (sorted == NULL)
        return -1;
    memcpy(sorted, x, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    stats_of_sorted(sorted, n, s);
    free(sorted);
    return 0;
}

void stats_of_sorted(const double *sorted, size_t n, struct stats *s)
{
    s->min = sorted[0];
    s->max = sorted[n - 1];
    s->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}
