/*
 * payload.c - a job's input and output data, made and checked word by word.
 */
#include "parlab/payload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "parlab/clock.h"

int payload_parse(const char *text, uint64_t *bytes)
{
    unsigned long long v;
    uint64_t unit = 1;
    char *end;

    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0)
        return -1;
    if (strcmp(end, "K") == 0)
        unit = (uint64_t)1 << 10;
    else if (strcmp(end, "M") == 0)
        unit = (uint64_t)1 << 20;
    else if (strcmp(end, "G") == 0)
        unit = (uint64_t)1 << 30;
    else if (*end != '\0')
        return -1;
    if (v > PAYLOAD_MAX / unit)
        return -1;
    *bytes = v * unit;
    return 0;
}

void payload_name(uint64_t bytes, char *buf, size_t len)
{
    if (bytes >= ((uint64_t)1 << 30) && bytes % ((uint64_t)1 << 30) == 0)
        snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
    else if (bytes >= ((uint64_t)1 << 20) && bytes % ((uint64_t)1 << 20) == 0)
        snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
    else
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
}

/* Word w of job k's input: a cheap mix of the two (splitmix64's finaliser). */
static inline uint64_t input_word(uint64_t w, unsigned job)
{
    uint64_t z = w * UINT64_C(0x9E3779B97F4A7C15) + (uint64_t)job * UINT64_C(0xBF58476D1CE4E5B9);

    z ^= z >> 31;
    return z * UINT64_C(0x94D049BB133111EB);
}

static inline uint64_t key_of(unsigned job)
{
    return UINT64_C(0x5A5A5A5A5A5A5A5A) ^ ((uint64_t)job << 17);
}

void payload_fill(unsigned char *in, uint64_t bytes, unsigned job)
{
    uint64_t words = bytes / 8, tail;

    for (uint64_t w = 0; w < words; w++) {
        uint64_t v = input_word(w, job);
        memcpy(in + 8 * w, &v, 8);
    }
    tail = input_word(words, job);
    memcpy(in + 8 * words, &tail, bytes % 8);
}

void payload_transform(const unsigned char *in, unsigned char *out, uint64_t bytes,
                       unsigned job)
{
    uint64_t key = key_of(job), words = bytes / 8;

    for (uint64_t w = 0; w < words; w++) {
        uint64_t v;
        memcpy(&v, in + 8 * w, 8);
        v ^= key;
        memcpy(out + 8 * w, &v, 8);
    }
    for (uint64_t b = 8 * words; b < bytes; b++)
        out[b] = in[b] ^ (unsigned char)(key >> (8 * (b % 8)));
}

bool payload_check(const unsigned char *out, uint64_t bytes, unsigned job)
{
    uint64_t key = key_of(job), words = bytes / 8, tail = input_word(words, job) ^ key;
    uint64_t bad = 0;

    for (uint64_t w = 0; w < words; w++) {
        uint64_t v;
        memcpy(&v, out + 8 * w, 8);
        bad |= v ^ (input_word(w, job) ^ key);
    }
    return bad == 0 && memcmp(out + 8 * words, &tail, bytes % 8) == 0;
}

unsigned char *payload_alloc(uint64_t bytes, bool shared)
{
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
                   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void payload_free(unsigned char *p, uint64_t bytes)
{
    if (p != NULL)
        munmap(p, bytes ? bytes : 1);
}

double payload_memcpy_bandwidth(uint64_t bytes)
{
    unsigned char *a = payload_alloc(bytes, false), *b = payload_alloc(bytes, false);
    double best = 0;

    if (a == NULL || b == NULL || bytes == 0) {
        payload_free(a, bytes);
        payload_free(b, bytes);
        return 0;
    }
    memset(a, 1, bytes); /* touch both, so no page fault is timed */
    memset(b, 2, bytes);
    for (int k = 0; k < 3; k++) {
        double t0 = clock_wall();
        memcpy(b, a, bytes);
        double t = clock_wall() - t0;
        if (t > 0 && bytes / t > best)
            best = (double)bytes / t;
    }
    if (b[bytes - 1] != 1) /* the copy happened, and the compiler knows it must */
        best = 0;
    payload_free(a, bytes);
    payload_free(b, bytes);
    return best;
}
