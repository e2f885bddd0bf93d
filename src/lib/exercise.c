/*
 * exercise.c - what an exercise's code may call: the TODO mark, the cache line, and
 * the report a harness writes for the checker (exercise.h).
 */
#include "parlab/exercise.h"

#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static bool todo_called;

/* The report's descriptor from the environment, or -1 when there is none. */
static int report_fd(void)
{
    const char *text = getenv(EXERCISE_FD_ENV);
    char *end;
    long fd;

    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    fd = strtol(text, &end, 10);
    return *end == '\0' && errno == 0 && fd > 2 && fd < 1024 ? (int)fd : -1;
}

/* write(2) all of it, again after a signal. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int exercise_report(const char *kind, const char *const *fields, size_t n)
{
    char line[2048];
    size_t used = 0;
    int fd = report_fd(), status;

    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    used = (size_t)snprintf(line, sizeof line, "%s", kind);
    for (size_t i = 0; i < n && used + 2 < sizeof line; i++) {
        line[used++] = '\t';
        for (const char *s = fields[i] ? fields[i] : ""; *s != '\0' && used + 2 < sizeof line;
             s++)
            line[used++] = *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s;
    }
    line[used++] = '\n';
    pthread_mutex_lock(&report_lock);
    status = write_all(fd, line, used);
    pthread_mutex_unlock(&report_lock);
    return status;
}

void exercise_note(const char *format, ...)
{
    char text[1024];
    const char *fields[1] = {text};
    va_list ap;

    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    if (exercise_report("note", fields, 1) != 0)
        printf("%s\n", text);
}

void exercise_todo(const char *file, int line, const char *func, const char *what)
{
    char where[512];
    const char *fields[3] = {func, where, what};
    const char *base = strrchr(file, '/');
    bool first;

    pthread_mutex_lock(&report_lock);
    first = !todo_called;
    todo_called = true;
    pthread_mutex_unlock(&report_lock);
    if (!first)
        return;
    snprintf(where, sizeof where, "%s:%d", base ? base + 1 : file, line);
    if (exercise_report("todo", fields, 3) != 0)
        fprintf(stderr, "%s (%s) is not written yet: %s\n", func, where, what);
}

bool exercise_todo_called(void)
{
    bool called;

    pthread_mutex_lock(&report_lock);
    called = todo_called;
    pthread_mutex_unlock(&report_lock);
    return called;
}

size_t exercise_cache_line(void)
{
    static size_t line;
    hwloc_topology_t topology;

    if (line != 0)
        return line;
    if (hwloc_topology_init(&topology) == 0) {
        if (hwloc_topology_load(topology) == 0) {
            hwloc_obj_t cache = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_L1CACHE, NULL);

            if (cache != NULL && cache->attr != NULL && cache->attr->cache.linesize > 0)
                line = cache->attr->cache.linesize;
        }
        hwloc_topology_destroy(topology);
    }
    if (line == 0) {
        long size = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);

        line = size > 0 ? (size_t)size : 64;
    }
    return line;
}
