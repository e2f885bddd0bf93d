/*
 * limits.c - descriptors and memory this process may take, read from /proc and /sys.
 */
#include "parlab/limits.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* cgroup v1 says "no limit" with the largest page count in bytes (9223372036854771712
 * on 4 KiB pages); no machine has 2^62 bytes. */
#define CGROUP_NO_LIMIT ((uint64_t)1 << 62)

/* Where the memory controller's hierarchies are mounted: cgroup v1's, and v2's in a
 * pure v2 system and in a hybrid one. */
static const char *const v1_mounts[] = {"/sys/fs/cgroup/memory"};
static const char *const v2_mounts[] = {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"};

/* ---- descriptors -------------------------------------------------------------- */

enum limits_files limits_files_choose(uint64_t need, uint64_t soft, uint64_t hard)
{
    if (soft >= need)
        return LIMITS_FILES_ENOUGH;
    return hard >= need ? LIMITS_FILES_RAISE : LIMITS_FILES_SHORT;
}

static uint64_t from_rlim(rlim_t v)
{
    return v == RLIM_INFINITY ? LIMITS_NONE : (uint64_t)v;
}

uint64_t limits_open_files(uint64_t below)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    uint64_t n = 0;

    if (d == NULL) { /* no /proc: ask each number, up to a bound that ends the loop */
        uint64_t last = below < (1u << 20) ? below : (1u << 20);

        for (uint64_t fd = 0; fd < last; fd++)
            n += fcntl((int)fd, F_GETFD) != -1;
        return n;
    }
    while ((e = readdir(d)) != NULL) {
        char *end;
        unsigned long fd = strtoul(e->d_name, &end, 10);

        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && *end == '\0' && fd < below &&
            (int)fd != dirfd(d)) /* the directory's own descriptor is ours, and gone soon */
            n++;
    }
    closedir(d);
    return n;
}

uint64_t limits_files_needed(uint64_t extra, uint64_t *open_now)
{
    uint64_t limit = extra, n;

    /* Each pass counts below a higher limit; it ends when no more are found. */
    while ((n = limits_open_files(limit)) + extra > limit)
        limit = n + extra;
    *open_now = n;
    return limit;
}

int limits_files_get(uint64_t *soft, uint64_t *hard)
{
    struct rlimit r;

    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return -1;
    *soft = from_rlim(r.rlim_cur);
    *hard = from_rlim(r.rlim_max);
    return 0;
}

int limits_files_raise(uint64_t need)
{
    struct rlimit r;

    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return -1;
    if (r.rlim_max != RLIM_INFINITY && need > (uint64_t)r.rlim_max) {
        errno = EINVAL;
        return -1;
    }
    r.rlim_cur = (rlim_t)need;
    return setrlimit(RLIMIT_NOFILE, &r);
}

/* ---- parsing ------------------------------------------------------------------ */

/* The decimal number at s (no sign, at least one digit) into *v; the end in *end. */
static int parse_u64(const char *s, uint64_t *v, const char **end)
{
    char *e;
    unsigned long long x;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    x = strtoull(s, &e, 10);
    if (errno != 0)
        return -1;
    *v = x;
    *end = e;
    return 0;
}

/* The line of text that starts with `key` followed by `sep`: the rest of it, or NULL. */
static const char *line_value(const char *text, const char *key, char sep)
{
    size_t len = strlen(key);

    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, key, len) == 0 && line[len] == sep)
            return line + len + 1;
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return NULL;
}

int limits_parse_kb(const char *text, const char *key, uint64_t *bytes)
{
    const char *v = line_value(text, key, ':'), *end;
    uint64_t kb;

    if (v == NULL)
        return -1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (parse_u64(v, &kb, &end) != 0 || strncmp(end, " kB", 3) != 0 ||
        kb > UINT64_MAX / 1024)
        return -1;
    *bytes = kb * 1024;
    return 0;
}

int limits_parse_cgroup_limit(const char *text, uint64_t *bytes)
{
    const char *end;
    uint64_t v;

    if (strcmp(text, "max") == 0 || strcmp(text, "max\n") == 0) {
        *bytes = LIMITS_NONE;
        return 0;
    }
    if (parse_u64(text, &v, &end) != 0 || (*end != '\0' && strcmp(end, "\n") != 0))
        return -1;
    *bytes = v >= CGROUP_NO_LIMIT ? LIMITS_NONE : v;
    return 0;
}

int limits_parse_stat(const char *text, const char *key, uint64_t *value)
{
    const char *v = line_value(text, key, ' '), *end;

    return v == NULL ? -1 : parse_u64(v, value, &end);
}

/* Copies the path that starts at p (up to the end of its line) into path. */
static int copy_path(const char *p, char *path, size_t len)
{
    size_t n = strcspn(p, "\n");

    if (n == 0 || p[0] != '/' || n >= len)
        return -1;
    memcpy(path, p, n);
    path[n] = '\0';
    return 0;
}

/* True when the comma-separated list [list, end) holds `name`. */
static bool list_has(const char *list, const char *end, const char *name)
{
    size_t len = strlen(name);

    while (list < end) {
        const char *comma = memchr(list, ',', (size_t)(end - list));
        const char *stop = comma ? comma : end;

        if ((size_t)(stop - list) == len && strncmp(list, name, len) == 0)
            return true;
        list = stop + 1;
    }
    return false;
}

int limits_parse_cgroup_path(const char *text, char *path, size_t len, bool *v2)
{
    const char *unified = NULL;

    /* Each line: "ID:CONTROLLERS:PATH"; v2's is "0::PATH". */
    for (const char *line = text; line != NULL && *line != '\0';) {
        const char *c1 = strchr(line, ':'), *nl = strchr(line, '\n');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

        if (c2 != NULL && (nl == NULL || c2 < nl)) {
            if (list_has(c1 + 1, c2, "memory")) {
                *v2 = false;
                return copy_path(c2 + 1, path, len);
            }
            if (c2 == c1 + 1 && strncmp(line, "0:", 2) == 0)
                unified = c2 + 1;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (unified == NULL)
        return -1;
    *v2 = true;
    return copy_path(unified, path, len);
}

/* ---- memory ------------------------------------------------------------------- */

void limits_memory_init(struct limits_memory *m)
{
    m->available = LIMITS_NONE;
    m->source[0] = '\0';
}

void limits_memory_consider(struct limits_memory *m, uint64_t bytes, const char *fmt, ...)
{
    va_list ap;

    if (bytes >= m->available)
        return;
    m->available = bytes;
    va_start(ap, fmt);
    vsnprintf(m->source, sizeof m->source, fmt, ap);
    va_end(ap);
}

/* The first 16 KiB of a file, NUL terminated, into buf.  Returns 0, or -1. */
static int read_text(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t used = 0;
    ssize_t n;

    if (fd < 0)
        return -1;
    while (used + 1 < len && ((n = read(fd, buf + used, len - 1 - used)) > 0 ||
                              (n < 0 && errno == EINTR)))
        used += n > 0 ? (size_t)n : 0;
    close(fd);
    buf[used] = '\0';
    return used > 0 ? 0 : -1;
}

/* The limit of the cgroup in directory dir, less what it uses that cannot be
 * reclaimed, as the least so far. */
static void consider_cgroup(struct limits_memory *m, const char *dir, bool v2)
{
    const char *limit_file = v2 ? "memory.max" : "memory.limit_in_bytes";
    char path[4096 + 64], text[16384], limit_name[32], used_name[32];
    uint64_t limit, used, inactive;

    snprintf(path, sizeof path, "%s/%s", dir, limit_file);
    if (read_text(path, text, sizeof text) != 0 || limits_parse_cgroup_limit(text, &limit) != 0 ||
        limit == LIMITS_NONE)
        return;
    snprintf(path, sizeof path, "%s/%s", dir, v2 ? "memory.current" : "memory.usage_in_bytes");
    if (read_text(path, text, sizeof text) != 0 || limits_parse_cgroup_limit(text, &used) != 0 ||
        used == LIMITS_NONE)
        used = 0; /* unknown: the limit alone */
    snprintf(path, sizeof path, "%s/memory.stat", dir);
    if (used > 0 && read_text(path, text, sizeof text) == 0 &&
        limits_parse_stat(text, v2 ? "inactive_file" : "total_inactive_file", &inactive) == 0)
        used -= inactive < used ? inactive : used; /* file cache, dropped first */
    limits_name_bytes(limit, limit_name, sizeof limit_name);
    limits_name_bytes(used, used_name, sizeof used_name);
    limits_memory_consider(m, used < limit ? limit - used : 0,
                           "the memory cgroup's limit of %s less the %s it uses, in %s/%s",
                           limit_name, used_name, dir, limit_file);
}

/* The cgroup at mount + path and every one above it, up to the mount's root.  A
 * directory that does not exist is passed over: in a container the mount's root can
 * be the process's own cgroup, whose path /proc shows from the host's root. */
void limits_consider_cgroups(struct limits_memory *m, const char *mount, const char *path,
                             bool v2)
{
    char dir[4096];
    size_t root = strlen(mount);

    if ((size_t)snprintf(dir, sizeof dir, "%s%s", mount, strcmp(path, "/") ? path : "") >=
        sizeof dir)
        return;
    for (;;) {
        if (access(dir, F_OK) == 0)
            consider_cgroup(m, dir, v2);
        char *slash = strrchr(dir, '/');
        if (strlen(dir) <= root || slash == NULL || (size_t)(slash - dir) < root)
            break;
        *slash = '\0';
    }
}

void limits_memory_available(struct limits_memory *m)
{
    char text[16384], path[4096];
    uint64_t bytes;
    bool v2;

    limits_memory_init(m);
    if (read_text("/proc/meminfo", text, sizeof text) == 0 &&
        limits_parse_kb(text, "MemAvailable", &bytes) == 0)
        limits_memory_consider(m, bytes, "MemAvailable in /proc/meminfo");
    if (read_text("/proc/self/cgroup", text, sizeof text) != 0 ||
        limits_parse_cgroup_path(text, path, sizeof path, &v2) != 0)
        return;
    if (v2)
        for (size_t i = 0; i < sizeof v2_mounts / sizeof v2_mounts[0]; i++)
            limits_consider_cgroups(m, v2_mounts[i], path, true);
    else
        for (size_t i = 0; i < sizeof v1_mounts / sizeof v1_mounts[0]; i++)
            limits_consider_cgroups(m, v1_mounts[i], path, false);
}

static int space(int resource, const char *key, struct limits_space *s)
{
    struct rlimit r;
    char text[16384];

    if (getrlimit(resource, &r) != 0)
        return -1;
    s->limit = from_rlim(r.rlim_cur);
    if (read_text("/proc/self/status", text, sizeof text) != 0 ||
        limits_parse_kb(text, key, &s->used) != 0)
        s->used = 0;
    return 0;
}

int limits_address_space(struct limits_space *as)
{
    return space(RLIMIT_AS, "VmSize", as);
}

int limits_data_space(struct limits_space *data)
{
    return space(RLIMIT_DATA, "VmData", data);
}

void limits_name_bytes(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = (double)bytes;
    size_t u = 0;

    if (bytes < 1024) {
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
        return;
    }
    v /= 1024;
    while (v >= 1023.95 && u + 1 < sizeof units / sizeof units[0]) { /* never "1024.0" */
        v /= 1024;
        u++;
    }
    snprintf(buf, len, "%.1f %s", v, units[u]);
}
