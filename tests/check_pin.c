/*
 * check_pin.c - placement policies, planned on synthetic topologies written out here,
 * so that every expected PU can be checked by hand.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/pin.h"
#include "parlab/topo.h"

#include "testutil.h"

#define END -2 /* ends an expected placement */

struct plan_case {
    const char *topology; /* hwloc synthetic description */
    const char *policy;
    unsigned workers;
    int expected[20]; /* OS PU numbers, then END */
};

/* OS numbers equal logical ones in synthetic topologies:
 * "pack:2 core:4 pu:2": core k holds PUs 2k and 2k+1; package 0 holds cores 0-3.
 * "pack:2 numa:2 l3:1 core:4 pu:1": NUMA node k holds PUs 4k .. 4k+3; package 0 holds
 * NUMA nodes 0 and 1. */
static const struct plan_case cases[] = {
    /* close: the first PU of each core in order, the SMT siblings after every core */
    {"pack:2 core:4 pu:2", "close", 1, {0, END}},
    {"pack:2 core:4 pu:2", "close", 2, {0, 2, END}},
    {"pack:2 core:4 pu:2", "close", 3, {0, 2, 4, END}},
    {"pack:2 core:4 pu:2", "close", 16, {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, END}},
    {"pack:2 core:4 pu:2", "close", 18,
     {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0, 2, END}},
    /* spread: across the packages first */
    {"pack:2 core:4 pu:2", "spread", 1, {0, END}},
    {"pack:2 core:4 pu:2", "spread", 2, {0, 8, END}},
    {"pack:2 core:4 pu:2", "spread", 3, {0, 4, 8, END}},
    {"pack:2 core:4 pu:2", "spread", 16, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, END}},
    {"pack:2 core:4 pu:2", "spread", 18,
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, END}},

    {"pack:1 core:2 pu:1", "close", 1, {0, END}},
    {"pack:1 core:2 pu:1", "close", 2, {0, 1, END}},
    {"pack:1 core:2 pu:1", "close", 3, {0, 1, 0, END}},
    {"pack:1 core:2 pu:1", "close", 5, {0, 1, 0, 1, 0, END}},
    {"pack:1 core:2 pu:1", "spread", 1, {0, END}},
    {"pack:1 core:2 pu:1", "spread", 2, {0, 1, END}},
    {"pack:1 core:2 pu:1", "spread", 3, {0, 1, 0, END}},
    {"pack:1 core:2 pu:1", "spread", 5, {0, 1, 0, 1, 0, END}},

    {"pack:2 numa:2 l3:1 core:4 pu:1", "close", 1, {0, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "close", 2, {0, 1, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "close", 3, {0, 1, 2, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "close", 16,
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "close", 17,
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, END}},
    /* spread: packages first (0 | 8), then NUMA nodes within them (0, 4 | 8, 12) */
    {"pack:2 numa:2 l3:1 core:4 pu:1", "spread", 1, {0, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "spread", 2, {0, 8, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "spread", 3, {0, 4, 8, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "spread", 4, {0, 4, 8, 12, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "spread", 16,
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, END}},
    {"pack:2 numa:2 l3:1 core:4 pu:1", "spread", 17,
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, END}},

    /* pus:LIST: in order, wrapping around */
    {"pack:2 core:4 pu:2", "pus:3,0,8-10", 7, {3, 0, 8, 9, 10, 3, 0, END}},
};

START_TEST(placements_follow_the_policy)
{
    const struct plan_case *c = &cases[_i];
    struct topo t;
    struct pin_policy p;
    int pus[32];
    char msg[256];
    unsigned n = 0;

    ck_assert_int_eq(topo_load_synthetic(&t, c->topology), 0);
    ck_assert_int_eq(pin_parse(&p, c->policy, msg, sizeof msg), 0);
    ck_assert_int_eq(pin_plan(&t, &p, c->workers, pus, msg, sizeof msg), 0);
    while (c->expected[n] != END)
        n++;
    ck_assert_uint_eq(n, c->workers);
    for (unsigned w = 0; w < c->workers; w++)
        ck_assert_msg(pus[w] == c->expected[w], "%s, --pin %s, %u workers: worker %u on PU %d, "
                                                "expected %d",
                      c->topology, c->policy, c->workers, w, pus[w], c->expected[w]);
    ck_assert(pin_shared(pus, c->workers) == (c->workers > (unsigned)topo_usable_pus(&t) ||
                                              strncmp(c->policy, "pus:", 4) == 0));
    pin_release(&p);
    topo_release(&t);
}
END_TEST

START_TEST(none_plans_no_pu)
{
    struct topo t;
    struct pin_policy p;
    int pus[3];
    char msg[256];

    ck_assert_int_eq(topo_load_synthetic(&t, "pack:1 core:2 pu:1"), 0);
    pin_policy_init(&p);
    ck_assert_str_eq(p.text, "none");
    ck_assert_int_eq(pin_plan(&t, &p, 3, pus, msg, sizeof msg), 0);
    ck_assert_int_eq(pus[0], -1);
    ck_assert_int_eq(pus[2], -1);
    ck_assert(!pin_shared(pus, 3));
    topo_release(&t);
}
END_TEST

START_TEST(a_listed_pu_the_machine_lacks_is_refused)
{
    struct topo t;
    struct pin_policy p;
    int pus[2];
    char msg[256];

    ck_assert_int_eq(topo_load_synthetic(&t, "pack:1 core:2 pu:1"), 0);
    ck_assert_int_eq(pin_parse(&p, "pus:1,2", msg, sizeof msg), 0);
    ck_assert_int_eq(pin_plan(&t, &p, 2, pus, msg, sizeof msg), -1);
    ck_assert_msg(strstr(msg, "PU 2 does not exist") && strstr(msg, "PUs are 0-1"), "said: %s",
                  msg);
    pin_release(&p);
    topo_release(&t);
}
END_TEST

START_TEST(policies_parse_strictly)
{
    static const char *const bad[] = {"", "foo", "Close", "pus", "pus:", "pus:3-1", "pus:x",
                                      "pus:1,", "pus:,1", "pus:1-", "pus:-1", "pus:1,,2",
                                      "pus: 1", "pus:65536", "pus:0-99999", "pus:1x"};
    struct pin_policy p;
    char msg[256];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char quoted[64];

        ck_assert_msg(pin_parse(&p, bad[i], msg, sizeof msg) == -1, "'%s' was accepted", bad[i]);
        snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
        ck_assert_msg(strstr(msg, "--pin") && strstr(msg, quoted), "'%s': said %s", bad[i], msg);
        ck_assert_int_eq(p.kind, PIN_NONE);
        ck_assert_ptr_null(p.pus);
    }
    ck_assert_int_eq(pin_parse(&p, "pus:0,2,4-7", msg, sizeof msg), 0);
    ck_assert_int_eq(p.kind, PIN_LIST);
    ck_assert_uint_eq(p.npus, 6);
    ck_assert_uint_eq(p.pus[0], 0);
    ck_assert_uint_eq(p.pus[2], 4);
    ck_assert_uint_eq(p.pus[5], 7);
    pin_release(&p);
    ck_assert_int_eq(pin_parse(&p, "spread", msg, sizeof msg), 0);
    ck_assert_int_eq(p.kind, PIN_SPREAD);
    ck_assert_str_eq(p.text, "spread");
}
END_TEST

START_TEST(where_names_core_package_and_numa_node)
{
    struct topo t;
    struct topo_where w;

    ck_assert_int_eq(topo_load_synthetic(&t, "pack:2 numa:2 l3:1 core:4 pu:1"), 0);
    ck_assert_int_eq(topo_usable_pus(&t), 16);
    topo_where(&t, 13, &w);
    ck_assert_int_eq(w.core, 13);
    ck_assert_int_eq(w.package, 1);
    ck_assert_int_eq(w.numa, 3);
    topo_where(&t, 99, &w);
    ck_assert_int_eq(w.core, -1);
    topo_release(&t);
    ck_assert_int_eq(topo_load_synthetic(&t, "core:2 pu:2"), 0); /* no package level */
    topo_where(&t, 3, &w);
    ck_assert_int_eq(w.core, 1);
    ck_assert_int_eq(w.package, -1);
    topo_release(&t);
}
END_TEST

START_TEST(a_synthetic_description_hwloc_refuses_is_an_error)
{
    struct topo t;

    ck_assert_int_eq(topo_load_synthetic(&t, "pack:2 frobs:3"), -1);
    errno = 0; /* hwloc would take hours over this one */
    ck_assert_int_eq(topo_load_synthetic(&t, "pack:1000000000 pu:1000000000"), -1);
    ck_assert_int_eq(errno, E2BIG);
    ck_assert_int_eq(topo_load_synthetic(&t, "pack:16 core:128 pu:3"), -1); /* 6144 */
    ck_assert_int_eq(topo_load_synthetic(&t, "pack:16 core:128 pu:2"), 0);  /* 4096 */
    ck_assert_int_eq(topo_usable_pus(&t), 4096);
    topo_release(&t);
}
END_TEST

/* Levels without a type ("100 100 100") and attributes in parentheses count as well:
 * each of these is refused before hwloc starts building a million objects. */
START_TEST(untyped_levels_and_attributes_count_towards_the_limit)
{
    static const char *const too_large[] = {
        "100 100 100", "pack:2 100 pu:100", "numa:2(memory=1GB) pu:3000",
        "(memory=1GB) 10000", "pack:2 pu:2(indexes=0,1,2,3) 2048",
    };
    struct topo t;

    for (size_t i = 0; i < sizeof too_large / sizeof too_large[0]; i++) {
        errno = 0;
        ck_assert_msg(topo_load_synthetic(&t, too_large[i]) == -1 && errno == E2BIG,
                      "\"%s\" was not refused as too large", too_large[i]);
    }
    ck_assert_int_eq(topo_load_synthetic(&t, "2 4 2"), 0);
    ck_assert_int_eq(topo_usable_pus(&t), 16);
    topo_release(&t);
    ck_assert_int_eq(topo_load_synthetic(&t, "numa:2(memory=1GB) pu:4"), 0);
    ck_assert_int_eq(topo_usable_pus(&t), 8);
    topo_release(&t);
}
END_TEST

static Suite *pin_suite(void)
{
    Suite *s = suite_create("pin");
    TCase *tc = tcase_create("pin");

    tcase_add_loop_test(tc, placements_follow_the_policy, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, none_plans_no_pu);
    tcase_add_test(tc, a_listed_pu_the_machine_lacks_is_refused);
    tcase_add_test(tc, policies_parse_strictly);
    tcase_add_test(tc, where_names_core_package_and_numa_node);
    tcase_add_test(tc, a_synthetic_description_hwloc_refuses_is_an_error);
    tcase_add_test(tc, untyped_levels_and_attributes_count_towards_the_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(pin_suite());
}
