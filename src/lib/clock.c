/*
 * clock.c - wall, thread CPU and process CPU clocks.
 */
#include "parlab/clock.h"

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static double seconds(const struct timespec *ts)
{
    return (double)ts->tv_sec + (double)ts->tv_nsec * 1e-9;
}

static double tv_seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6;
}

double clock_wall(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return -1.0;
    return seconds(&ts);
}

double clock_thread_cpu(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return -1.0;
    return seconds(&ts);
}

static double rusage_cpu(int who)
{
    struct rusage ru;

    if (getrusage(who, &ru) != 0)
        return -1.0;
    return tv_seconds(&ru.ru_utime) + tv_seconds(&ru.ru_stime);
}

void clock_process_cpu(struct cpu_times *t)
{
    t->self = rusage_cpu(RUSAGE_SELF);
    t->children = rusage_cpu(RUSAGE_CHILDREN);
}

void clock_utc_iso8601(char *buf, size_t len, int compact)
{
    struct timespec ts;
    struct tm tm;
    char date[24];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    if (compact) {
        strftime(date, sizeof date, "%Y%m%dT%H%M%S", &tm);
        snprintf(buf, len, "%s.%06ldZ", date, ts.tv_nsec / 1000);
    } else {
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf, len, "%s.%03ldZ", date, ts.tv_nsec / 1000000);
    }
}
