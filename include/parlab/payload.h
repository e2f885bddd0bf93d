/*
 * payload.h - the data a job takes and returns, for the lesson on what crossing a
 * process boundary costs.
 *
 * Job k's input is a pattern of `bytes` bytes that depends on k; its output is the
 * input with every 64-bit word XOR-ed with a key that depends on k.  Both can be
 * computed again anywhere, so an output is checked word by word, wherever it ended up
 * (in shared memory, or copied through a pipe), without keeping the input.
 */
#ifndef PARLAB_PAYLOAD_H
#define PARLAB_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest payload: 1 GiB. */
#define PAYLOAD_MAX ((uint64_t)1 << 30)

/* Parses "0", "4096", "64K", "256M", "1G" (binary multiples: K = 1024).  Returns 0,
 * or -1 for anything else or more than PAYLOAD_MAX. */
int payload_parse(const char *text, uint64_t *bytes);

/* "256 MiB", "4 KiB", "100 B" into buf. */
void payload_name(uint64_t bytes, char *buf, size_t len);

/* Fills in[0 .. bytes-1] with job k's input. */
void payload_fill(unsigned char *in, uint64_t bytes, unsigned job);

/* The job's work on its data: out = in with every word XOR-ed with job k's key.
 * in and out may not overlap. */
void payload_transform(const unsigned char *in, unsigned char *out, uint64_t bytes,
                       unsigned job);

/* True when out is exactly job k's output. */
bool payload_check(const unsigned char *out, uint64_t bytes, unsigned job);

/* memcpy()'s bandwidth on this machine for `bytes` bytes, in bytes per second: the
 * best of three copies between two fresh buffers.  Returns 0 when they cannot be
 * allocated. */
double payload_memcpy_bandwidth(uint64_t bytes);

/* `bytes` bytes of anonymous memory, shared with forked children or private.  NULL
 * with errno set on failure; freed with payload_free. */
unsigned char *payload_alloc(uint64_t bytes, bool shared);
void payload_free(unsigned char *p, uint64_t bytes);

#endif
