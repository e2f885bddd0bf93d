/*
 * check_payload.c - a job's data (payload.c): sizes parsed and named in binary
 * multiples, outputs that check word by word and fail on any changed bit or the wrong
 * job, and memory shared with forked children only when asked for.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/payload.h"

#include "testutil.h"

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

START_TEST(sizes_parse_in_binary_multiples)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } good[] = {
        {"0", 0},           {"1", 1},           {"4096", 4096},
        {"64K", 64 * KiB},  {"256M", 256 * MiB}, {"1G", GiB},
        {"1048576K", GiB},  {"1024M", GiB},     {"1073741824", GiB},
        {"0K", 0},          {"007", 7},
    };

    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        uint64_t bytes = 12345;

        ck_assert_msg(payload_parse(good[k].text, &bytes) == 0, "'%s' refused", good[k].text);
        ck_assert_uint_eq(bytes, good[k].bytes);
    }
    ck_assert_uint_eq(PAYLOAD_MAX, GiB);
}
END_TEST

START_TEST(other_sizes_are_refused_and_nothing_stored)
{
    static const char *const bad[] = {"", "K", "-1", "+1", " 1", "1 ", "1 K", "1k", "1KB",
                                      "1.5K", "0x10", "1e3", "2G", "1025M", "1048577K",
                                      "1073741825", "18446744073709551616", "1T"};

    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint64_t bytes = 12345;

        ck_assert_msg(payload_parse(bad[k], &bytes) == -1, "'%s' accepted", bad[k]);
        ck_assert_uint_eq(bytes, 12345);
    }
}
END_TEST

START_TEST(sizes_are_named_in_the_largest_whole_unit)
{
    static const struct {
        uint64_t bytes;
        const char *name;
    } names[] = {
        {0, "0 B"},          {100, "100 B"},           {1023, "1023 B"},
        {1024, "1 KiB"},     {1536, "1536 B"},         {4096, "4 KiB"},
        {1000003, "1000003 B"}, {MiB, "1 MiB"},        {256 * MiB, "256 MiB"},
        {MiB + KiB, "1025 KiB"}, {GiB, "1 GiB"},       {3 * GiB, "3 GiB"},
        {GiB + MiB, "1025 MiB"},
    };

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char buf[32];

        payload_name(names[k].bytes, buf, sizeof buf);
        ck_assert_str_eq(buf, names[k].name);
    }
}
END_TEST

/* Sizes around the 8-byte words, with and without a tail. */
static const uint64_t sizes[] = {0, 1, 7, 8, 9, 16, 4096 + 3, 65536};
#define NSIZES (sizeof sizes / sizeof sizes[0])

START_TEST(a_transformed_input_checks_for_its_own_job_only)
{
    const uint64_t bytes = sizes[_i];
    unsigned char *in = malloc(bytes + 1), *out = malloc(bytes + 1), *again = malloc(bytes + 1);

    ck_assert(in && out && again);
    for (unsigned job = 0; job < 3; job++) {
        payload_fill(in, bytes, job);
        payload_fill(again, bytes, job);
        ck_assert(bytes == 0 || memcmp(in, again, bytes) == 0); /* the same input anywhere */
        payload_transform(in, out, bytes, job);
        ck_assert_msg(payload_check(out, bytes, job), "%llu bytes, job %u",
                      (unsigned long long)bytes, job);
        if (bytes > 0) {
            ck_assert_msg(!payload_check(out, bytes, job + 1), "job %u's output passes as "
                                                               "job %u's",
                          job, job + 1);
            ck_assert(!payload_check(in, bytes, job)); /* the input is not the output */
        }
        payload_transform(out, again, bytes, job); /* XOR twice: the input again */
        ck_assert(bytes == 0 || memcmp(again, in, bytes) == 0);
    }
    free(in);
    free(out);
    free(again);
}
END_TEST

START_TEST(one_changed_bit_anywhere_fails_the_check)
{
    const uint64_t bytes = 4096 + 3; /* whole words and a tail of 3 */
    const uint64_t where[] = {0, 7, 8, 2048, 4095, 4096, 4097, 4098};
    unsigned char *in = malloc(bytes), *out = malloc(bytes);

    ck_assert(in && out);
    payload_fill(in, bytes, 5);
    payload_transform(in, out, bytes, 5);
    for (size_t k = 0; k < sizeof where / sizeof where[0]; k++)
        for (int bit = 0; bit < 8; bit += 7) {
            out[where[k]] ^= (unsigned char)(1u << bit);
            ck_assert_msg(!payload_check(out, bytes, 5), "byte %llu bit %d changed, still ok",
                          (unsigned long long)where[k], bit);
            out[where[k]] ^= (unsigned char)(1u << bit);
        }
    ck_assert(payload_check(out, bytes, 5));
    free(in);
    free(out);
}
END_TEST

START_TEST(every_word_of_a_job_is_xored_with_one_key)
{
    const uint64_t words = 64;
    uint64_t in[64], out[64], other[64], key;

    payload_fill((unsigned char *)in, words * 8, 2);
    payload_transform((unsigned char *)in, (unsigned char *)out, words * 8, 2);
    key = in[0] ^ out[0];
    ck_assert_uint_ne(key, 0);
    for (uint64_t w = 1; w < words; w++)
        ck_assert_uint_eq(in[w] ^ out[w], key);
    payload_fill((unsigned char *)other, words * 8, 3); /* another job: another input */
    ck_assert(memcmp(in, other, sizeof in) != 0);
    payload_transform((unsigned char *)other, (unsigned char *)out, words * 8, 3);
    ck_assert_uint_ne(other[0] ^ out[0], key); /* and another key */
}
END_TEST

START_TEST(shared_memory_is_shared_with_children_and_private_is_not)
{
    unsigned char *shared = payload_alloc(64 * KiB, true);
    unsigned char *private = payload_alloc(64 * KiB, false);
    unsigned char *none = payload_alloc(0, false);

    ck_assert(shared && private && none);
    ck_assert_int_eq(shared[64 * KiB - 1], 0); /* fresh memory is zero */
    ck_assert_int_eq(private[12345], 0);
    ck_assert(tu_shared_with_child(shared));
    ck_assert(!tu_shared_with_child(private));
    payload_free(shared, 64 * KiB);
    payload_free(private, 64 * KiB);
    payload_free(none, 0);
    payload_free(NULL, 64 * KiB); /* like free(NULL) */
}
END_TEST

START_TEST(memcpy_bandwidth_is_measured_or_zero)
{
    ck_assert_double_eq(payload_memcpy_bandwidth(0), 0.0);
    ck_assert_double_gt(payload_memcpy_bandwidth(MiB), 0.0);
}
END_TEST

static Suite *payload_suite(void)
{
    Suite *s = suite_create("payload");
    TCase *tc = tcase_create("payload");

    tcase_add_test(tc, sizes_parse_in_binary_multiples);
    tcase_add_test(tc, other_sizes_are_refused_and_nothing_stored);
    tcase_add_test(tc, sizes_are_named_in_the_largest_whole_unit);
    tcase_add_loop_test(tc, a_transformed_input_checks_for_its_own_job_only, 0, (int)NSIZES);
    tcase_add_test(tc, one_changed_bit_anywhere_fails_the_check);
    tcase_add_test(tc, every_word_of_a_job_is_xored_with_one_key);
    tcase_add_test(tc, shared_memory_is_shared_with_children_and_private_is_not);
    tcase_add_test(tc, memcpy_bandwidth_is_measured_or_zero);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(payload_suite());
}
