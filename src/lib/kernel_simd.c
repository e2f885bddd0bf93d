/*
 * kernel_simd.c - the same kernel, its innermost loop vectorised with `omp simd`.
 *
 * Built with -fopenmp-simd (the simd construct without libgomp: no threads) and
 * -fno-math-errno (a square root that may set errno cannot become one vsqrtpd; the
 * argument here is never negative).  Not with -ffast-math or -ffp-contract=fast:
 * the result is checked against the closed form, and the reduction's reordering is
 * the only one allowed (docs/kernel.md).
 *
 * One body, compiled three times on x86-64 (AVX-512F, AVX2 and the baseline SSE2)
 * with target attributes, once elsewhere; the variant is chosen once, at the first
 * call, from what the CPU supports, or from PARLAB_KERNEL_ISA.
 */
#include "parlab/kernel.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* As in kernel.c: the compiler must assume *p changed, so the roots of one j are
 * computed again in every pass of the l and m loops. */
static inline void opaque(double *p)
{
    __asm__ volatile("" : "+m"(*p));
}

/*
 * The innermost loop: sqrt(base + k) for k < count.  The index is an int (count is
 * below KERNEL_MAX_SIZE): converting a 64-bit index to double has no packed
 * instruction before AVX-512DQ, and with it gcc does not vectorise the loop.  The
 * reduction keeps one partial sum per vector lane, added at the end: a different
 * order from kernel_run's, with errors no larger (each lane sums a quarter or an
 * eighth of the roots).
 */
static inline __attribute__((always_inline)) double inner(double base, int count)
{
    double sum = 0.0;

#pragma omp simd reduction(+ : sum)
    for (int k = 0; k < count; k++)
        sum += sqrt(base + (double)k);
    return sum;
}

/*
 * For l below TRIANGLE_ROWS the two inner loops, j < l and i < j, run as one: the i of
 * every (j, i) in the loops' order (0; 0 1; 0 1 2; ...) is kept in a table, and a pass
 * takes the roots of its first C(l,2) entries, the same steps in the same order.  The
 * innermost loop alone averages only l/2 roots, and each pass of it ends in a reduction
 * of the lanes and a remainder: with 8 lanes (AVX-512) that cost was as large as the
 * roots themselves (1.9 times the square-root unit's time per root at n = 260).  One
 * pass over C(l,2) roots pays it once per l.  The table, C(256,2) ints (128 KiB), is
 * filled before main, while the process has one thread.
 */
/* C(k, 2): the entries of the triangle's first k rows. */
static inline uint64_t choose2(uint64_t k)
{
    return k < 2 ? 0 : k * (k - 1) / 2;
}

#define TRIANGLE_ROWS 256
static int triangle[TRIANGLE_ROWS * (TRIANGLE_ROWS - 1) / 2];

__attribute__((constructor)) static void fill_triangle(void)
{
    int t = 0;

    for (int j = 0; j < TRIANGLE_ROWS - 1; j++)
        for (int i = 0; i <= j; i++)
            triangle[t++] = i;
}

/* sqrt(base + triangle[t]) for from <= t < from + count. */
static inline __attribute__((always_inline)) double inner_triangle(double base, int from,
                                                                   int count)
{
    const int *at = triangle + from;
    double sum = 0.0;

#pragma omp simd reduction(+ : sum)
    for (int k = 0; k < count; k++)
        sum += sqrt(base + (double)at[k]);
    return sum;
}

/* kernel_run(n), with the partial sums of every loop level kept as kernel_run keeps
 * them (below TRIANGLE_ROWS the lanes' partial sums take the j level's place). */
static inline __attribute__((always_inline)) double run_body(uint64_t n)
{
    double total = 0.0;

    for (int m = 0; m < (int)n; m++) {
        double sum_l = 0.0;
        for (int l = 0; l < m; l++) {
            double sum_j = 0.0;
            if (l < TRIANGLE_ROWS) {
                double base = 4.0;
                opaque(&base);
                sum_l += inner_triangle(base, 0, (int)choose2((uint64_t)l));
                continue;
            }
            for (int j = 0; j < l; j++) {
                double base = 4.0; /* the notebook's i = i + 4 */
                opaque(&base);
                sum_j += inner(base, j);
            }
            sum_l += sum_j;
        }
        total += sum_l;
    }
    return total;
}

/* kernel_run_range(n, from, to), its innermost loop vectorised. */
static inline __attribute__((always_inline)) double range_body(uint64_t n, uint64_t from,
                                                               uint64_t to)
{
    struct kernel_position start;
    uint64_t m, l, j, i, left = to - from;
    double total = 0.0;

    kernel_position_of(n, from, &start); /* where step `from` lies */
    m = start.m, l = start.l, j = start.j, i = start.i;

    for (; m < n && left > 0; m++, l = 0) {
        double sum_l = 0.0;
        for (; l < m && left > 0; l++, j = 0, i = 0) {
            double sum_j = 0.0;
            if (l < TRIANGLE_ROWS) { /* from (j, i) on, as one pass (run_body) */
                uint64_t at = choose2(j) + i, count = choose2(l) - at;
                double base = 4.0;

                if (count > left)
                    count = left;
                opaque(&base);
                sum_l += inner_triangle(base, (int)at, (int)count);
                left -= count;
                continue;
            }
            for (; j < l && left > 0; j++, i = 0) {
                double base = 4.0 + (double)i;
                uint64_t count = j - i < left ? j - i : left;

                opaque(&base);
                sum_j += inner(base, (int)count);
                left -= count;
            }
            sum_l += sum_j;
        }
        total += sum_l;
    }
    return total;
}

#define VARIANT(name, attr)                                                            \
    __attribute__((aligned(64))) attr static double run_##name(uint64_t n)            \
    {                                                                                  \
        return run_body(n);                                                            \
    }                                                                                  \
    attr static double range_##name(uint64_t n, uint64_t from, uint64_t to)          \
    {                                                                                  \
        return range_body(n, from, to);                                                \
    }

struct variant {
    const char *name;
    double (*run)(uint64_t n);
    double (*range)(uint64_t n, uint64_t from, uint64_t to);
};

#if defined(__x86_64__)
VARIANT(avx512f, __attribute__((target("avx512f"))))
VARIANT(avx2, __attribute__((target("avx2"))))
VARIANT(sse2, )

/* Best first. */
static const struct variant variants[] = {
    {"avx512f", run_avx512f, range_avx512f},
    {"avx2", run_avx2, range_avx2},
    {"sse2", run_sse2, range_sse2},
};

static bool cpu_has(const struct variant *v)
{
    __builtin_cpu_init();
    if (strcmp(v->name, "avx512f") == 0)
        return __builtin_cpu_supports("avx512f");
    if (strcmp(v->name, "avx2") == 0)
        return __builtin_cpu_supports("avx2");
    return true; /* SSE2 is part of x86-64 */
}
#else
VARIANT(generic, )

static const struct variant variants[] = {
    {"generic", run_generic, range_generic},
};

static bool cpu_has(const struct variant *v)
{
    (void)v;
    return true;
}
#endif

#define VARIANTS (sizeof variants / sizeof variants[0])

/* The chosen variant's index + 1; 0 until the first choice.  Every thread that finds
 * 0 makes the same choice, so a race between two first calls is harmless. */
static int chosen;

static int find(const char *name)
{
    for (size_t k = 0; k < VARIANTS; k++)
        if (strcmp(variants[k].name, name) == 0)
            return (int)k;
    return -1;
}

int kernel_simd_check_isa(const char *name)
{
    int k;

    if (name == NULL)
        return 0;
    k = find(name);
    if (k < 0) {
        errno = EINVAL;
        return -1;
    }
    if (!cpu_has(&variants[k])) {
        errno = ENOTSUP;
        return -1;
    }
    return 0;
}

const char *kernel_simd_isas(void)
{
#if defined(__x86_64__)
    return "sse2, avx2, avx512f";
#else
    return "generic";
#endif
}

int kernel_simd_force(const char *name)
{
    int k = 0;

    if (name == NULL) { /* as at the first call: PARLAB_KERNEL_ISA, else the best */
        const char *env = getenv("PARLAB_KERNEL_ISA");

        /* A value the CPU cannot run is refused at program start (cli_parse()); here
         * it falls back to the best variant rather than fail in a worker. */
        if (env != NULL && *env != '\0' && kernel_simd_check_isa(env) == 0) {
            k = find(env);
        } else {
            while (!cpu_has(&variants[k]))
                k++;
        }
    } else if (kernel_simd_check_isa(name) != 0) {
        return -1;
    } else {
        k = find(name);
    }
    __atomic_store_n(&chosen, k + 1, __ATOMIC_RELAXED);
    return 0;
}

static const struct variant *current(void)
{
    int k = __atomic_load_n(&chosen, __ATOMIC_RELAXED);

    if (k == 0) {
        kernel_simd_force(NULL);
        k = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    }
    return &variants[k - 1];
}

const char *kernel_simd_isa(void)
{
    return current()->name;
}

double kernel_simd_run(uint64_t n)
{
    assert(n <= KERNEL_MAX_SIZE);
    return current()->run(n);
}

double kernel_simd_run_range(uint64_t n, uint64_t from, uint64_t to)
{
    assert(from <= to && to <= kernel_steps(n));
    return current()->range(n, from, to);
}
