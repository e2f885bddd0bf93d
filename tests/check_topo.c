/*
 * check_topo.c - the machine as hwloc sees it (topo.c), on machines described to it
 * (HWLOC_SYNTHETIC, an XML file written here), so that every number is known whatever
 * machine runs the test: packages, cores, PUs and NUMA nodes counted and printed, PUs
 * found by number, descriptions hwloc cannot use refused with the right errno, and
 * this machine loaded in spite of a description, restricted to the PUs it may use.
 */
#include <check.h>
#include <errno.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/topo.h"

#include "testutil.h"

/* "pack:2 core:2 pu:2": package p holds cores 2p and 2p+1, core c holds PUs 2c and
 * 2c+1; OS numbers equal logical ones; hwloc adds one NUMA node for the machine. */
#define SYNTHETIC "pack:2 core:2 pu:2"

/* The number on the line of text that contains `what` ("cores"), or -1. */
static double count_of(const char *text, const char *what)
{
    char line[256];

    return tu_line(text, what, line, sizeof line) ? tu_number_after(line, what) : -1;
}

START_TEST(a_synthetic_machine_from_the_environment_is_loaded)
{
    struct topo t;
    struct topo_where w;
    struct tu_text out;
    char *text, line[256];
    double nums[8];

    setenv("HWLOC_SYNTHETIC", SYNTHETIC, 1);
    ck_assert_int_eq(topo_load(&t), 0);
    unsetenv("HWLOC_SYNTHETIC");
    ck_assert(!t.real); /* binding on it would bind nothing */
    ck_assert_ptr_nonnull(strstr(t.source, "HWLOC_SYNTHETIC"));
    ck_assert_ptr_nonnull(strstr(t.source, SYNTHETIC));
    ck_assert_int_eq(topo_usable_pus(&t), 8); /* every PU of a machine that is not this one */
    ck_assert_ptr_nonnull(topo_pu(&t, 7));
    ck_assert_uint_eq(topo_pu(&t, 7)->os_index, 7);
    ck_assert_ptr_null(topo_pu(&t, 8));
    topo_where(&t, 5, &w);
    ck_assert_int_eq(w.core, 2);
    ck_assert_int_eq(w.package, 1);
    ck_assert_int_eq(w.numa, 0);

    topo_print(&t, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(count_of(text, "packages") == 2 && count_of(text, "cores") == 4 &&
                      count_of(text, "NUMA nodes") == 1 && count_of(text, "L3 caches") == 0,
                  "%s", text);
    ck_assert_msg(count_of(text, "PUs ") == 8 && tu_number_after(text, "up to") == 2,
                  "8 PUs, 2 per core: %s", text);
    ck_assert(tu_line(text, "usable PUs", line, sizeof line)); /* 0-7, 8 of 8 */
    ck_assert_uint_eq(tu_numbers(line, nums, 8), 4);
    ck_assert_msg(nums[0] == 0 && nums[1] == 7 && nums[2] == 8 && nums[3] == 8, "%s", line);
    free(text);
    topo_release(&t);
}
END_TEST

START_TEST(a_machine_without_smt_says_one_pu_per_core)
{
    struct topo t;
    struct tu_text out;
    char *text;

    ck_assert_int_eq(topo_load_synthetic(&t, "pack:1 core:3 pu:1"), 0);
    ck_assert_ptr_nonnull(strstr(t.source, "pack:1 core:3 pu:1"));
    topo_print(&t, tu_text_open(&out));
    text = tu_text_close(&out);
    ck_assert_msg(count_of(text, "cores") == 3 && count_of(text, "PUs ") == 3 &&
                      tu_mentions(text, "SMT off", NULL) && !strstr(text, "up to"),
                  "%s", text);
    free(text);
    topo_release(&t);
}
END_TEST

/* The cores the programs record beside the PUs (runs.csv's `cores`): those holding a
 * usable PU, so fewer than the PUs with SMT, and fewer again when the usable PUs are
 * one core's SMT threads. */
START_TEST(the_usable_cores_hold_the_usable_pus)
{
    struct topo t;

    ck_assert_int_eq(topo_load_synthetic(&t, "core:2 pu:2"), 0);
    ck_assert_int_eq(topo_usable_pus(&t), 4);
    ck_assert_int_eq(topo_usable_cores(&t), 2);
    hwloc_bitmap_only(t.usable_set, 0); /* PUs 0 and 1: the first core's two */
    hwloc_bitmap_set(t.usable_set, 1);
    ck_assert_int_eq(topo_usable_pus(&t), 2);
    ck_assert_int_eq(topo_usable_cores(&t), 1);
    topo_release(&t);
    ck_assert_int_eq(topo_load_synthetic(&t, "pack:2 core:3 pu:1"), 0);
    ck_assert_int_eq(topo_usable_cores(&t), 6);
    ck_assert_int_eq(topo_usable_pus(&t), 6);
    topo_release(&t);
}
END_TEST

/* Writes the synthetic machine `description` as hwloc XML into dir/name; returns the
 * path, which the caller frees. */
static char *write_xml(const char *dir, const char *name, const char *description)
{
    char *path = tu_path(dir, name);
    hwloc_topology_t m;

    ck_assert_int_eq(hwloc_topology_init(&m), 0);
    ck_assert_int_eq(hwloc_topology_set_synthetic(m, description), 0);
    ck_assert_int_eq(hwloc_topology_load(m), 0);
    ck_assert_int_eq(hwloc_topology_export_xml(m, path, 0), 0);
    hwloc_topology_destroy(m);
    return path;
}

START_TEST(a_machine_from_an_xml_file_is_loaded)
{
    char *dir = tu_tmpdir(), *xml = write_xml(dir, "machine.xml", "pack:2 numa:1 core:3 pu:1");
    struct topo t;
    struct topo_where w;

    setenv("HWLOC_XMLFILE", xml, 1);
    ck_assert_int_eq(topo_load(&t), 0);
    unsetenv("HWLOC_XMLFILE");
    ck_assert(!t.real);
    ck_assert_ptr_nonnull(strstr(t.source, xml));
    ck_assert_int_eq(topo_usable_pus(&t), 6);
    topo_where(&t, 4, &w); /* the second core of package 1, in its NUMA node */
    ck_assert_int_eq(w.core, 4);
    ck_assert_int_eq(w.package, 1);
    ck_assert_int_eq(w.numa, 1);
    ck_assert_ptr_null(topo_pu(&t, 6));
    topo_release(&t);
    free(xml);
    tu_rmrf(dir);
}
END_TEST

START_TEST(descriptions_hwloc_cannot_use_are_refused_with_their_errno)
{
    char *dir = tu_tmpdir(), *missing = tu_path(dir, "missing.xml");
    char *junk = tu_path(dir, "junk.xml");
    struct topo t;

    tu_write_file(junk, "<not a topology\n");
    setenv("HWLOC_XMLFILE", missing, 1);
    errno = 0;
    ck_assert_int_eq(topo_load(&t), -1);
    ck_assert_int_eq(errno, ENOENT);
    setenv("HWLOC_XMLFILE", junk, 1);
    errno = 0;
    ck_assert_int_eq(topo_load(&t), -1);
    ck_assert_int_eq(errno, EINVAL); /* where hwloc alone would describe this machine */
    unsetenv("HWLOC_XMLFILE");

    setenv("HWLOC_SYNTHETIC", "pack:2 frobs:3", 1);
    errno = 0;
    ck_assert_int_eq(topo_load(&t), -1);
    ck_assert_int_eq(errno, EINVAL);
    setenv("HWLOC_SYNTHETIC", "pack:4097 pu:1", 1); /* one PU over the limit */
    errno = 0;
    ck_assert_int_eq(topo_load(&t), -1);
    ck_assert_int_eq(errno, E2BIG);
    unsetenv("HWLOC_SYNTHETIC");
    free(missing);
    free(junk);
    tu_rmrf(dir);
}
END_TEST

/* The PUs this process may use, as sched_getaffinity says, and the first of them. */
static int usable_pus(int *first)
{
    cpu_set_t set;

    ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
    *first = -1;
    for (int pu = CPU_SETSIZE - 1; pu >= 0; pu--)
        if (CPU_ISSET(pu, &set))
            *first = pu;
    return CPU_COUNT(&set);
}

START_TEST(this_machine_is_loaded_in_spite_of_a_description)
{
    char *dir = tu_tmpdir(), *xml = write_xml(dir, "other.xml", "pack:4 pu:1");
    char ignored[96];
    struct topo t;
    int first, pus = usable_pus(&first);

    setenv("HWLOC_XMLFILE", xml, 1);
    setenv("HWLOC_SYNTHETIC", SYNTHETIC, 1);
    ck_assert_int_eq(topo_load_this_machine(&t, NULL, ignored, sizeof ignored), 0);
    ck_assert_str_eq(ignored, "HWLOC_XMLFILE, HWLOC_SYNTHETIC");
    ck_assert_ptr_null(getenv("HWLOC_XMLFILE")); /* removed, for the workers too */
    ck_assert_ptr_null(getenv("HWLOC_SYNTHETIC"));
    ck_assert(t.real);
    ck_assert_str_eq(t.source, "this machine");
    ck_assert_int_eq(topo_usable_pus(&t), pus);
    ck_assert_ptr_nonnull(topo_pu(&t, (unsigned)first));
    topo_release(&t);

    ck_assert_int_eq(topo_load_this_machine(&t, NULL, ignored, sizeof ignored), 0);
    ck_assert_str_eq(ignored, "");
    topo_release(&t);
    free(xml);
    tu_rmrf(dir);
}
END_TEST

START_TEST(the_usable_pus_can_be_narrowed_by_a_list)
{
    char ignored[96], list[16];
    struct topo t;
    int first;

    usable_pus(&first);
    snprintf(list, sizeof list, "%d", first);
    ck_assert_int_eq(topo_load_this_machine(&t, list, ignored, sizeof ignored), 0);
    ck_assert_int_eq(topo_usable_pus(&t), 1);
    ck_assert(hwloc_bitmap_isset(t.usable_set, (unsigned)first));
    topo_release(&t);
    errno = 0;
    ck_assert_int_eq(topo_load_this_machine(&t, "x", ignored, sizeof ignored), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0; /* a PU no machine here has: nothing usable is left */
    ck_assert_int_eq(topo_load_this_machine(&t, "100000", ignored, sizeof ignored), -1);
    ck_assert_int_eq(errno, ENODEV);
}
END_TEST

START_TEST(the_hwloc_version_is_the_one_built_against)
{
    char major[16];

    snprintf(major, sizeof major, "%u.", HWLOC_API_VERSION >> 16);
    ck_assert_msg(strncmp(topo_hwloc_version(), major, strlen(major)) == 0, "hwloc %s, API %#x",
                  topo_hwloc_version(), HWLOC_API_VERSION);
}
END_TEST

static Suite *topo_suite(void)
{
    Suite *s = suite_create("topo");
    TCase *tc = tcase_create("topo");

    tcase_add_test(tc, a_synthetic_machine_from_the_environment_is_loaded);
    tcase_add_test(tc, a_machine_without_smt_says_one_pu_per_core);
    tcase_add_test(tc, the_usable_cores_hold_the_usable_pus);
    tcase_add_test(tc, a_machine_from_an_xml_file_is_loaded);
    tcase_add_test(tc, descriptions_hwloc_cannot_use_are_refused_with_their_errno);
    tcase_add_test(tc, this_machine_is_loaded_in_spite_of_a_description);
    tcase_add_test(tc, the_usable_pus_can_be_narrowed_by_a_list);
    tcase_add_test(tc, the_hwloc_version_is_the_one_built_against);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(topo_suite());
}
