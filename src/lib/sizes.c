/*
 * sizes.c - each job's kernel n from --sizes: a list that repeats, or a ramp.
 */
#include "parlab/sizes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/kernel.h"

void sizes_init(struct sizes *s)
{
    memset(s, 0, sizeof *s);
    s->kind = SIZES_NONE;
}

void sizes_release(struct sizes *s)
{
    free(s->list);
    sizes_init(s);
}

/* One size, the `len` characters at `text`: a whole number from 0 to KERNEL_MAX_SIZE.
 * Returns 0, or -1 with msg saying which one is wrong. */
static int parse_size(const char *text, size_t len, uint64_t *out, char *msg, size_t msglen)
{
    char word[24];
    unsigned long long v;

    if (len < sizeof word) {
        memcpy(word, text, len);
        word[len] = '\0';
        if (cli_parse_count(word, 0, KERNEL_MAX_SIZE, &v) == 0) {
            *out = v;
            return 0;
        }
    }
    if (len == 0)
        snprintf(msg, msglen, "a size is missing: expected whole numbers from 0 to %llu",
                 (unsigned long long)KERNEL_MAX_SIZE);
    else
        snprintf(msg, msglen, "'%.*s' is not a size: expected whole numbers from 0 to %llu",
                 (int)(len < 32 ? len : 32), text, (unsigned long long)KERNEL_MAX_SIZE);
    return -1;
}

/* "N1,N2,...": at least one size, no empty one. */
static int parse_list(const char *text, struct sizes *s, char *msg, size_t msglen)
{
    size_t count = 1;

    for (const char *p = text; *p != '\0'; p++)
        count += *p == ',';
    s->list = malloc(count * sizeof *s->list);
    if (s->list == NULL) {
        snprintf(msg, msglen, "cannot hold a list of %zu sizes: %s", count, strerror(errno));
        return -1;
    }
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");

        if (parse_size(p, len, &s->list[s->count], msg, msglen) != 0)
            return -1;
        s->count++;
        p += len;
        if (*p == '\0')
            break;
    }
    s->kind = SIZES_LIST;
    return 0;
}

/* "A-B". */
static int parse_ramp(const char *text, struct sizes *s, char *msg, size_t msglen)
{
    const char *dash = strchr(text, '-');

    if (dash == NULL) {
        snprintf(msg, msglen, "expected ramp:A-B with sizes from 0 to %llu",
                 (unsigned long long)KERNEL_MAX_SIZE);
        return -1;
    }
    if (parse_size(text, (size_t)(dash - text), &s->from, msg, msglen) != 0 ||
        parse_size(dash + 1, strlen(dash + 1), &s->to, msg, msglen) != 0)
        return -1;
    s->kind = SIZES_RAMP;
    return 0;
}

int sizes_parse(const char *text, struct sizes *s, char *msg, size_t msglen)
{
    int rc;

    sizes_init(s);
    if (strncmp(text, "list:", 5) == 0) {
        rc = parse_list(text + 5, s, msg, msglen);
    } else if (strncmp(text, "ramp:", 5) == 0) {
        rc = parse_ramp(text + 5, s, msg, msglen);
    } else {
        snprintf(msg, msglen, "expected list:N1,N2,... or ramp:A-B, with sizes from 0 to %llu",
                 (unsigned long long)KERNEL_MAX_SIZE);
        rc = -1;
    }
    if (rc != 0) {
        int saved = errno;

        sizes_release(s);
        errno = saved;
        return -1;
    }
    s->text = text;
    return 0;
}

uint64_t sizes_of(const struct sizes *s, unsigned job, unsigned jobs)
{
    uint64_t last, num;

    if (s->kind == SIZES_LIST)
        return s->list[job % s->count];
    if (jobs <= 1)
        return s->from;
    /* from + (to - from) * job / last, rounded half up, in whole numbers: the sum
     * from * (last - job) + to * job is never negative (n and the jobs are bounded
     * well inside 64 bits) */
    last = jobs - 1;
    num = s->from * (last - job) + s->to * job;
    return (2 * num + last) / (2 * last);
}
