/*
 * parlab-simd - the parallelism inside one core: how fast the square-root unit can
 * go, and how close the simd kernel comes to it.
 *
 * For each variant of the simd kernel this CPU can run (or the one --isa names), it
 * measures, in this thread (CPU time, best of several):
 *   - the peak: a long loop of independent square roots, vectorised as the kernel is
 *     (sqrtpeak.c), in ns per root;
 *   - the simd kernel at -n N, in ns per step (one root and one add per step);
 *   - the scalar kernel at the same n, in ns per step;
 * and prints the ratios: simd over the peak (how much the kernel's short inner loops
 * and partial sums cost beside the roots), scalar over simd (what vectorising gave),
 * and scalar over the peak (the most it could give).
 *
 *   bin/parlab-simd
 *   bin/parlab-simd --isa avx2 -n 300
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/die.h"
#include "parlab/kernel.h"
#include "parlab/sqrtpeak.h"
#include "parlab/tool.h"

#define DEFAULT_SIZE 200

/* Every variant's name, best first, as kernel_simd.c and sqrtpeak.c have them. */
#if defined(__x86_64__)
static const char *const isa_names[] = {"avx512f", "avx2", "sse2"};
#else
static const char *const isa_names[] = {"generic"};
#endif
#define ISA_COUNT (sizeof isa_names / sizeof isa_names[0])

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-simd [-n N] [--isa NAME]\n"
            "Measures, for each variant of the simd kernel this CPU can run, the square-root\n"
            "unit's peak (a long loop of independent roots vectorised as the kernel is, ns\n"
            "per root), the simd kernel's and the scalar kernel's ns per step at size N, and\n"
            "their ratios: simd/peak (1 is the most the roots allow), scalar/simd (what\n"
            "vectorising gave) and scalar/peak (the most it could give).  CPU time of this\n"
            "thread, best of several runs; a busy machine slows every figure.\n\n"
            "Options:\n"
            "  -n, --size N    the kernel's size for the step rates (4 to %llu; default %d)\n"
            "      --isa NAME  only this variant (%s; default: every one this CPU has,\n"
            "                  or the one PARLAB_KERNEL_ISA names)\n"
            "  -h, --help      print this help and exit\n"
            "  -V, --version   print the version and exit\n",
            (unsigned long long)KERNEL_MAX_SIZE, DEFAULT_SIZE, kernel_simd_isas());
}

struct request {
    unsigned long long size;
    const char *isa; /* NULL: every variant */
    const char *isa_from; /* "--isa" or "PARLAB_KERNEL_ISA", for messages */
};

enum { OPT_ISA = 1000 };

/* A variant the CPU cannot run, or no variant at all, refused with one line. */
static void check_isa(const char *isa, const char *from)
{
    if (kernel_simd_check_isa(isa) == 0)
        return;
    if (errno == ENOTSUP)
        die_usage("%s '%s': this CPU lacks that instruction set; choose another of %s", from,
                  isa, kernel_simd_isas());
    die_usage("%s '%s' is not a variant of the simd kernel: expected one of %s", from, isa,
              kernel_simd_isas());
}

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *req = ctx;

    switch (opt) {
    case 'n':
        if (cli_parse_count(arg, 4, KERNEL_MAX_SIZE, &req->size) != 0)
            die_usage("invalid value '%s' for --%s: expected a whole number from 4 to %llu", arg,
                      name, (unsigned long long)KERNEL_MAX_SIZE);
        break;
    case OPT_ISA:
        check_isa(arg, "--isa");
        req->isa = arg;
        req->isa_from = "--isa";
        break;
    }
}

/* One row: the three rates of one variant. */
struct row {
    const char *isa;
    double peak, simd, scalar; /* ns per root, ns per step, ns per step */
};

static void measure(const char *isa, uint64_t n, struct row *r)
{
    r->isa = isa;
    if (kernel_simd_force(isa) != 0)
        die_errno("cannot choose the simd kernel's variant %s", isa);
    if (sqrtpeak_ns_per_root(isa, &r->peak) != 0)
        die_errno("cannot measure the square-root unit with %s", isa);
    if (kernel_ns_per_step(KERNEL_SIMD, n, &r->simd) != 0)
        die_errno("cannot time the simd kernel (%s) at n = %llu", isa, (unsigned long long)n);
    /* Scalar beside each variant's runs, so that a row's ratios see the same moment of
     * the machine. */
    if (kernel_ns_per_step(KERNEL_SCALAR, n, &r->scalar) != 0)
        die_errno("cannot time the scalar kernel at n = %llu", (unsigned long long)n);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"size", required_argument, NULL, 'n'},
        {"isa", required_argument, NULL, OPT_ISA},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-simd", usage, "n:", options, false};
    struct request req = {DEFAULT_SIZE, NULL, NULL};
    const char *env = getenv("PARLAB_KERNEL_ISA");
    const char *chosen[ISA_COUNT];
    size_t count = 0;
    char has[64] = "";

    tool_parse(&tool, argc, argv, take_option, &req);
    if (req.isa == NULL && env != NULL && *env != '\0') {
        check_isa(env, "PARLAB_KERNEL_ISA");
        req.isa = env;
        req.isa_from = "PARLAB_KERNEL_ISA";
    }
    for (size_t k = 0; k < ISA_COUNT; k++) {
        if (kernel_simd_check_isa(isa_names[k]) != 0)
            continue;
        snprintf(has + strlen(has), sizeof has - strlen(has), "%s%s", *has ? ", " : "",
                 isa_names[k]);
        if (req.isa == NULL || strcmp(req.isa, isa_names[k]) == 0)
            chosen[count++] = isa_names[k];
    }

    printf("parlab-simd: the square-root unit's peak and the kernels' rates, per variant\n");
    printf("configuration: n = %llu (%llu steps per kernel run); variants: %s (this CPU has "
           "%s)%s%s\n",
           req.size, (unsigned long long)kernel_steps(req.size), req.isa ? req.isa : "all",
           has, req.isa ? ", from " : "", req.isa ? req.isa_from : "");
    printf("method: CPU time of this thread; peak: best of 5 runs of %d x %d roots, "
           "kernels: best of 3 runs each\n\n",
           SQRTPEAK_PASSES, SQRTPEAK_ROOTS);
    fflush(stdout);

    printf("%-8s %13s %13s %15s %10s %12s %12s\n", "variant", "peak ns/root", "simd ns/step",
           "scalar ns/step", "simd/peak", "scalar/simd", "scalar/peak");
    for (size_t k = 0; k < count; k++) {
        struct row r;

        measure(chosen[k], req.size, &r);
        printf("%-8s %13.3f %13.3f %15.3f %10.3f %12.3f %12.3f\n", r.isa, r.peak, r.simd,
               r.scalar, r.simd / r.peak, r.scalar / r.simd, r.scalar / r.peak);
        fflush(stdout);
    }
    return tool_finish();
}
