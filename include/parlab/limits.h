/*
 * limits.h - what this process may hold, looked at before a run starts: descriptors
 * (RLIMIT_NOFILE, `ulimit -n`) and memory (what the machine has available, the limit of
 * the memory cgroup the process is in, RLIMIT_AS and RLIMIT_DATA), so that a run that
 * cannot hold them is refused with one line, instead of failing halfway ("Too many open
 * files") or being killed by the OOM killer.
 *
 * The parsers take the text of the files, so that tests can hand them any; the
 * functions that read /proc and /sys call them.  None of them prints or exits, and
 * all are safe after fork; none is meant for threads that change the limits at once.
 */
#ifndef PARLAB_LIMITS_H
#define PARLAB_LIMITS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* No limit: RLIM_INFINITY, "max", or a cgroup v1 limit too large to be one. */
#define LIMITS_NONE UINT64_MAX

/* ---- descriptors -------------------------------------------------------------- */

/* What to do about RLIMIT_NOFILE for `need` descriptors open at once. */
enum limits_files {
    LIMITS_FILES_ENOUGH, /* the soft limit is need or more */
    LIMITS_FILES_RAISE,  /* the soft limit is lower, the hard limit allows need */
    LIMITS_FILES_SHORT   /* the hard limit is lower than need */
};

/* The choice for soft and hard limits (LIMITS_NONE: unlimited); a pure function. */
enum limits_files limits_files_choose(uint64_t need, uint64_t soft, uint64_t hard);

/* The descriptors open in this process numbered below `below` (from /proc/self/fd,
 * or by asking each number when /proc is missing): open() takes the lowest free
 * number, and RLIMIT_NOFILE bounds the numbers, so these are the ones that count
 * against the limit. */
uint64_t limits_open_files(uint64_t below);

/* The limit that `extra` more descriptors need, open at once besides those open now:
 * the least N with N >= extra + the descriptors open below N (one numbered above N
 * takes no number the new ones could have).  Those counted go into *open_now. */
uint64_t limits_files_needed(uint64_t extra, uint64_t *open_now);

/* This process's RLIMIT_NOFILE into *soft and *hard (LIMITS_NONE for unlimited).
 * Returns 0, or -1 with errno set. */
int limits_files_get(uint64_t *soft, uint64_t *hard);

/* Raises the soft RLIMIT_NOFILE to `need`, the hard one unchanged (children inherit
 * it).  Returns 0, or -1 with errno set (EINVAL when need is above the hard limit). */
int limits_files_raise(uint64_t need);

/* ---- memory ------------------------------------------------------------------- */

/* The value of `key` ("MemAvailable", "VmSize") in text of the form
 * "Key:   1234 kB" (/proc/meminfo, /proc/self/status), in bytes.  Returns 0, or -1
 * when the key is not at the start of a line or its value is not a number. */
int limits_parse_kb(const char *text, const char *key, uint64_t *bytes);

/* A cgroup's memory limit: "max" (v2) or a number of bytes (v1's "no limit" is a
 * number near 2^63: 2^62 or more is taken for none), LIMITS_NONE for none.  Returns
 * 0, or -1 for anything else. */
int limits_parse_cgroup_limit(const char *text, uint64_t *bytes);

/* The value of `key` in memory.stat's text ("inactive_file 4096" lines).  Returns 0,
 * or -1 when there is no such line. */
int limits_parse_stat(const char *text, const char *key, uint64_t *value);

/* The memory cgroup of a process from /proc/PID/cgroup's text: the path on the line
 * whose controllers include "memory" (cgroup v1, *v2 false), else the path on the
 * "0::" line (cgroup v2, *v2 true).  Returns 0, or -1 when there is neither or the
 * path does not fit in len bytes. */
int limits_parse_cgroup_path(const char *text, char *path, size_t len, bool *v2);

/* What memory is left for this process, and where that number came from. */
struct limits_memory {
    uint64_t available; /* bytes: the least of the numbers considered, or LIMITS_NONE */
    char source[320];   /* "MemAvailable in /proc/meminfo", or "" for none */
};

/* Starts with no number: available LIMITS_NONE, source "". */
void limits_memory_init(struct limits_memory *m);

/* Keeps `bytes`, with the source that fmt says, when it is less than m->available. */
void limits_memory_consider(struct limits_memory *m, uint64_t bytes, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The memory this process can still take without swapping or being killed, into *m:
 * /proc/meminfo's MemAvailable, and for the process's memory cgroup and each one above
 * it that has a limit (v1 memory.limit_in_bytes, v2 memory.max), that limit less what
 * the cgroup uses (less its inactive file cache, which can be reclaimed).  The least of
 * them wins; m->available stays LIMITS_NONE when none can be read. */
void limits_memory_available(struct limits_memory *m);

/* The cgroup at mount + path (a path as /proc/self/cgroup shows it) and every one
 * above it up to the mount's root, each with a limit considered as
 * limits_memory_available() does (v2: memory.max, memory.current and memory.stat's
 * inactive_file; v1: memory.limit_in_bytes, memory.usage_in_bytes and
 * total_inactive_file).  A directory that does not exist is passed over. */
void limits_consider_cgroups(struct limits_memory *m, const char *mount, const char *path,
                             bool v2);

/* An address-space limit and what of it is used. */
struct limits_space {
    uint64_t limit; /* bytes, LIMITS_NONE for none */
    uint64_t used;  /* bytes mapped now */
};

/* RLIMIT_AS with /proc/self/status's VmSize (everything mapped), and RLIMIT_DATA with
 * its VmData (private writable mappings: what that limit counts since Linux 4.7).
 * used is 0 when /proc cannot tell.  Return 0, or -1 with errno set. */
int limits_address_space(struct limits_space *as);
int limits_data_space(struct limits_space *data);

/* "23.1 GiB", "512.0 MiB", "4.0 KiB", "100 B" into buf: one decimal, binary units. */
void limits_name_bytes(uint64_t bytes, char *buf, size_t len);

#endif
