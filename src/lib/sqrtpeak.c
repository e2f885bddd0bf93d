/*
 * sqrtpeak.c - the square-root unit's throughput, measured the way the simd kernel
 * runs: `omp simd` with a reduction, built with the kernel's flags (-fopenmp-simd
 * -fno-math-errno, the Makefile), one body compiled for AVX-512F, AVX2 and the SSE2
 * baseline on x86-64 (one generic body elsewhere), the variant named as
 * kernel_simd.c names its own.
 */
#include "parlab/sqrtpeak.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "parlab/clock.h"
#include "parlab/kernel.h"

/* Under the fuzzers' sanitizers (clang -O1 -fsanitize=address) the checks on each load
 * keep the loop scalar, and clang says so for every variant: the fuzz build only needs
 * the sums right. */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpass-failed"
#endif

/* 4 + k for k < SQRTPEAK_ROOTS, filled once (every variant reads the same). */
static double values[SQRTPEAK_ROOTS] __attribute__((aligned(64)));

static void fill(void)
{
    /* Idempotent, so two threads filling at once write the same numbers. */
    for (int k = 0; k < SQRTPEAK_ROOTS; k++)
        values[k] = 4.0 + (double)k;
}

/*
 * passes x SQRTPEAK_ROOTS independent roots.  The empty asm makes the compiler
 * assume, in every pass, that v may point anywhere and the memory there changed, so
 * each pass takes its roots again instead of reusing the first pass's sum.
 */
static inline __attribute__((always_inline)) double body(uint64_t passes)
{
    double total = 0.0;

    for (uint64_t p = 0; p < passes; p++) {
        double sum = 0.0;
        const double *v = values;

        __asm__ volatile("" : "+r"(v) : : "memory");
#pragma omp simd reduction(+ : sum)
        for (int k = 0; k < SQRTPEAK_ROOTS; k++)
            sum += sqrt(v[k]);
        total += sum;
    }
    return total;
}

#define VARIANT(name, attr)                                                            \
    __attribute__((aligned(64))) attr static double peak_##name(uint64_t passes)      \
    {                                                                                  \
        return body(passes);                                                           \
    }

struct variant {
    const char *name;
    double (*run)(uint64_t passes);
};

#if defined(__x86_64__)
VARIANT(avx512f, __attribute__((target("avx512f"))))
VARIANT(avx2, __attribute__((target("avx2"))))
VARIANT(sse2, )

static const struct variant variants[] = {
    {"avx512f", peak_avx512f},
    {"avx2", peak_avx2},
    {"sse2", peak_sse2},
};
#else
VARIANT(generic, )

static const struct variant variants[] = {
    {"generic", peak_generic},
};
#endif

#define VARIANTS (sizeof variants / sizeof variants[0])

int sqrtpeak_sum(const char *isa, uint64_t passes, double *sum)
{
    /* kernel_simd_check_isa() says whether the CPU has it: the names are the same. */
    if (isa == NULL)
        isa = kernel_simd_isa();
    if (kernel_simd_check_isa(isa) != 0)
        return -1;
    for (size_t k = 0; k < VARIANTS; k++) {
        if (strcmp(variants[k].name, isa) == 0) {
            fill();
            *sum = variants[k].run(passes);
            return 0;
        }
    }
    errno = EINVAL; /* a variant of the kernel this file lacks: a build out of step */
    return -1;
}

double sqrtpeak_expected(uint64_t passes)
{
    double sum = 0.0, c = 0.0;

    for (int k = 0; k < SQRTPEAK_ROOTS; k++) { /* Kahan, as kernel_closed_form */
        double y = sqrt(4.0 + (double)k) - c;
        double t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    return (double)passes * sum;
}

int sqrtpeak_ns_per_root(const char *isa, double *ns)
{
    double best = 0.0, expected = sqrtpeak_expected(SQRTPEAK_PASSES);

    for (int trial = 0; trial < 5; trial++) {
        double t0 = clock_thread_cpu(), sum, t;

        if (t0 < 0 || sqrtpeak_sum(isa, SQRTPEAK_PASSES, &sum) != 0)
            return -1;
        t = clock_thread_cpu() - t0;
        /* The passes' sums added one after another round a little: 1e-12 is wide. */
        if (!(fabs(sum - expected) <= 1e-12 * expected)) {
            errno = EDOM;
            return -1;
        }
        if (trial == 0 || t < best)
            best = t;
    }
    if (!(best > 0)) {
        errno = ERANGE; /* the clock did not move: no rate to give */
        return -1;
    }
    *ns = best * 1e9 / ((double)SQRTPEAK_PASSES * SQRTPEAK_ROOTS);
    return 0;
}
