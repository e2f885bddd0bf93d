/*
 * kernel.c - wait_loop(n), its closed form and its calibration.
 */
#include "parlab/kernel.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "parlab/clock.h"

/*
 * An optimisation barrier: after it the compiler must assume *p holds a value it
 * cannot know.  The kernel uses it so that the roots summed for one j cannot be kept
 * from an earlier pass over the same j (the l and m loops repeat the j loop): every
 * one of the C(n,4) steps is really executed, whatever the optimisation flags.
 */
static inline void opaque(double *p)
{
    __asm__ volatile("" : "+m"(*p));
}

/*
 * Aligned to 64 bytes: the same machine code then sits the same way across cache-line
 * and instruction-fetch boundaries in every program.  Without it, where the linker
 * happened to put the function made one program's kernel up to 1.5% faster than
 * another's, which a lecture comparing threads with processes cannot afford.
 */
__attribute__((aligned(64))) double kernel_run(uint64_t n)
{
    /* Each loop level keeps its own partial sum, so rounding errors grow with the
     * depth of the nest (about 4n), not with the number of steps (n^4 / 24). */
    double total = 0.0;

    for (uint64_t m = 0; m < n; m++) {
        double sum_l = 0.0;
        for (uint64_t l = 0; l < m; l++) {
            double sum_j = 0.0;
            for (uint64_t j = 0; j < l; j++) {
                double x = 4.0; /* the notebook's i = i + 4 */
                double sum_i = 0.0;
                opaque(&x);
                for (uint64_t i = 0; i < j; i++) {
                    sum_i += sqrt(x);
                    x += 1.0;
                }
                sum_j += sum_i;
            }
            sum_l += sum_j;
        }
        total += sum_l;
    }
    return total;
}

/* C(k, 2) and C(k, 3) for the positions inside the loops. */
static uint64_t choose2(uint64_t k)
{
    return k < 2 ? 0 : k * (k - 1) / 2;
}

static uint64_t choose3(uint64_t k)
{
    return k < 3 ? 0 : k * (k - 1) / 2 * (k - 2) / 3;
}

/* The largest k in [0, limit] with count(k) <= steps (count grows with k). */
static uint64_t last_below(uint64_t (*count)(uint64_t), uint64_t limit, uint64_t steps)
{
    uint64_t lo = 0, hi = limit;

    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;
        if (count(mid) <= steps)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void kernel_position_of(uint64_t n, uint64_t step, struct kernel_position *p)
{
    uint64_t r;

    p->m = last_below(kernel_steps, n, step);
    r = step - kernel_steps(p->m);
    p->l = last_below(choose3, p->m, r);
    r -= choose3(p->l);
    p->j = last_below(choose2, p->l, r);
    p->i = r - choose2(p->j);
}

double kernel_run_range(uint64_t n, uint64_t from, uint64_t to)
{
    struct kernel_position at;
    uint64_t m, l, j, i, left = to - from;
    double total = 0.0;

    assert(from <= to && to <= kernel_steps(n));
    kernel_position_of(n, from, &at); /* where step `from` lies */
    m = at.m, l = at.l, j = at.j, i = at.i;
    for (; m < n && left > 0; m++, l = 0) { /* the first pass starts inside; the rest whole */
        double sum_l = 0.0;
        for (; l < m && left > 0; l++, j = 0) {
            double sum_j = 0.0;
            for (; j < l && left > 0; j++, i = 0) {
                double x = 4.0 + (double)i, sum_i = 0.0;
                uint64_t count = j - i < left ? j - i : left;

                opaque(&x);
                for (uint64_t k = 0; k < count; k++) {
                    sum_i += sqrt(x);
                    x += 1.0;
                }
                left -= count;
                sum_j += sum_i;
            }
            sum_l += sum_j;
        }
        total += sum_l;
    }
    return total;
}

double kernel_closed_form(uint64_t n)
{
    /* Neumaier's compensated sum of C(n-1-i, 3) * sqrt(i + 4), i = 0 .. n-4.
     * C(k,3) < 2^53 for every k < KERNEL_MAX_SIZE, so each weight is exact. */
    double sum = 0.0, carry = 0.0;

    assert(n <= KERNEL_MAX_SIZE);
    for (uint64_t i = 0; i + 4 <= n; i++) {
        uint64_t k = n - 1 - i;
        double weight = (double)(k * (k - 1) / 2 * (k - 2) / 3);
        double term = weight * sqrt((double)i + 4.0);
        double next = sum + term;

        if (fabs(sum) >= fabs(term))
            carry += (sum - next) + term;
        else
            carry += (term - next) + sum;
        sum = next;
    }
    return sum + carry;
}

uint64_t kernel_steps(uint64_t n)
{
    unsigned __int128 c;

    assert(n <= KERNEL_MAX_SIZE);
    if (n < 4)
        return 0;
    /* Each partial product of consecutive integers divides exactly. */
    c = (unsigned __int128)n * (n - 1) / 2;
    c = c * (n - 2) / 3;
    c = c * (n - 3) / 4;
    return (uint64_t)c;
}

bool kernel_result_ok(double result, double expected)
{
    if (isnan(result) || isnan(expected))
        return false;
    if (expected == 0.0)
        return result == 0.0;
    return fabs(result - expected) <= KERNEL_REL_TOLERANCE * fabs(expected);
}

const char *kernel_kind_name(enum kernel_kind kind)
{
    return kind == KERNEL_SIMD ? "simd" : "scalar";
}

int kernel_kind_parse(const char *text, enum kernel_kind *out)
{
    if (strcmp(text, "scalar") == 0)
        *out = KERNEL_SCALAR;
    else if (strcmp(text, "simd") == 0)
        *out = KERNEL_SIMD;
    else
        return -1;
    return 0;
}

double kernel_run_kind(enum kernel_kind kind, uint64_t n)
{
    return kind == KERNEL_SIMD ? kernel_simd_run(n) : kernel_run(n);
}

double kernel_run_range_kind(enum kernel_kind kind, uint64_t n, uint64_t from, uint64_t to)
{
    return kind == KERNEL_SIMD ? kernel_simd_run_range(n, from, to)
                               : kernel_run_range(n, from, to);
}

const char *kernel_kind_isa(enum kernel_kind kind)
{
    return kind == KERNEL_SIMD ? kernel_simd_isa() : "";
}

/* Best of three CPU times of kernel_run_kind(kind, n) in this thread. */
static int time_kernel(enum kernel_kind kind, uint64_t n, double *best)
{
    static volatile double sink; /* keeps the results alive */

    *best = HUGE_VAL;
    for (int k = 0; k < 3; k++) {
        double t0 = clock_thread_cpu();
        sink = kernel_run_kind(kind, n);
        double t = clock_thread_cpu() - t0;

        if (t0 < 0 || t < 0) {
            errno = EINVAL;
            return -1;
        }
        if (t < *best)
            *best = t;
    }
    (void)sink;
    return 0;
}

int kernel_ns_per_step(enum kernel_kind kind, uint64_t n, double *ns)
{
    double best;

    if (time_kernel(kind, n, &best) != 0)
        return -1;
    *ns = best * 1e9 / (double)kernel_steps(n);
    return 0;
}

/* C(n,3): the passes of the innermost loop in a kernel of size n, as a double. */
static double passes(uint64_t n)
{
    return n < 3 ? 0.0 : (double)n * (double)(n - 1) * (double)(n - 2) / 6.0;
}

int kernel_calibrate(enum kernel_kind kind, double seconds, struct kernel_calibration *cal)
{
    /* Grow n until one call takes 5 ms or more: long enough for the clock, short
     * enough to keep calibration cheap.  Then choose the n whose run the measured
     * rate says comes closest to `seconds`. */
    uint64_t n = 32, prev_n = 0, lo, hi;
    double t = 0.0, prev_t = 0.0, per_step, per_pass = 0.0;

    for (;;) {
        if (time_kernel(kind, n, &t) != 0)
            return -1;
        if (t >= 0.005 || n >= 4096)
            break;
        prev_n = n, prev_t = t;
        n = n * 3 / 2;
    }
    per_step = t / (double)kernel_steps(n);
    cal->ns_per_step = per_step * 1e9;
    if (kind == KERNEL_SIMD && prev_n >= 4) {
        /* The vectorised loop also costs something per pass (its set-up, the last
         * roots that fill no vector), so its time per step falls as n grows: from the
         * last two sizes, t = per_step C(n,4) + per_pass C(n,3).  (The scalar kernel's
         * per pass is too small to measure: its rate is one number, as it was.) */
        double s1 = (double)kernel_steps(prev_n), p1 = passes(prev_n);
        double s2 = (double)kernel_steps(n), p2 = passes(n), det = s1 * p2 - s2 * p1;
        double a = (prev_t * p2 - t * p1) / det, b = (s1 * t - s2 * prev_t) / det;

        if (a > 0 && b >= 0) /* else noise: the one rate */
            per_step = a, per_pass = b;
    }

    lo = 4, hi = KERNEL_MAX_SIZE; /* smallest n predicted to take `seconds`, by bisection */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (per_step * (double)kernel_steps(mid) + per_pass * passes(mid) >= seconds)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo > 4) {
        double below = per_step * (double)kernel_steps(lo - 1) + per_pass * passes(lo - 1);
        double above = per_step * (double)kernel_steps(lo) + per_pass * passes(lo);

        if (seconds - below < above - seconds)
            lo--;
    }
    cal->size = lo;
    cal->per_step_s = per_step;
    cal->per_pass_s = per_pass;
    if (per_pass > 0) /* the rate predicted at the n chosen */
        cal->ns_per_step = (per_step + per_pass * passes(lo) / (double)kernel_steps(lo)) * 1e9;
    return 0;
}

double kernel_predict_seconds(const struct kernel_calibration *cal, uint64_t n)
{
    return cal->per_step_s * (double)kernel_steps(n) + cal->per_pass_s * passes(n);
}
