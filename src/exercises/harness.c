/*
 * harness.c - the main of every exercise program but the queue's: runs one part of
 * the exercise once and reports the trial (harness.h, exercise.h).
 */
#include "harness.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/cli.h"
#include "parlab/exercise.h"

void trial_start(struct trial *t)
{
    clock_process_cpu(&t->cpu0);
    t->t0 = clock_wall();
}

void trial_stop(struct trial *t)
{
    struct cpu_times now;

    t->wall_s = clock_wall() - t->t0;
    clock_process_cpu(&now);
    t->cpu_s = now.self - t->cpu0.self;
}

void trial_job(const struct trial *t, unsigned job, int thread, double t_start, double t_end,
               double cpu, double result, bool ok, int pu, uint64_t size)
{
    char f[9][64];
    const char *fields[9];

    snprintf(f[0], sizeof f[0], "%u", job);
    snprintf(f[1], sizeof f[1], "%d", thread);
    snprintf(f[2], sizeof f[2], "%.9f", t_start - t->t0);
    snprintf(f[3], sizeof f[3], "%.9f", t_end - t->t0);
    snprintf(f[4], sizeof f[4], "%.9f", cpu);
    snprintf(f[5], sizeof f[5], "%.17g", result);
    snprintf(f[6], sizeof f[6], "%d", ok ? 1 : 0);
    snprintf(f[7], sizeof f[7], "%d", pu);
    snprintf(f[8], sizeof f[8], "%llu", (unsigned long long)size);
    for (int i = 0; i < 9; i++)
        fields[i] = f[i];
    exercise_report("job", fields, 9);
}

static int usage(const char *why)
{
    fprintf(stderr, "%s: %s (this program is run by parlab-exercise: "
                    "make check-exercise E=%s)\n",
            exercise_harness.name, why, exercise_harness.name);
    return 2;
}

int main(int argc, char **argv)
{
    struct trial t = {.run = 1};
    const struct harness_part *part = NULL;
    unsigned long long v;
    char wall[32], cpu[32], value[32];
    const char *fields[5];

    for (int i = 1; i < argc; i++) {
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(argv[i], "--part") == 0 && arg != NULL) {
            for (unsigned k = 0; k < exercise_harness.nparts; k++)
                if (strcmp(exercise_harness.parts[k].name, arg) == 0)
                    part = &exercise_harness.parts[k];
            if (part == NULL)
                return usage("no such part");
        } else if (strcmp(argv[i], "--size") == 0 && arg != NULL &&
                   cli_parse_count(arg, 1, UINT64_C(1) << 40, &v) == 0) {
            t.size = v;
        } else if (strcmp(argv[i], "--run") == 0 && arg != NULL &&
                   cli_parse_count(arg, 1, 1000000, &v) == 0) {
            t.run = (unsigned)v;
        } else {
            return usage("bad command line");
        }
        i++;
    }
    if (part == NULL || t.size == 0)
        return usage("--part and --size are needed");
    if (getenv(EXERCISE_FD_ENV) == NULL)
        return usage("no report descriptor (" EXERCISE_FD_ENV ")");
    t.part = part->name;
    t.threads = omp_get_max_threads();
    part->run(&t);
    if (exercise_todo_called())
        return 0; /* the report says which function, and nothing was measured */
    snprintf(wall, sizeof wall, "%.9f", t.wall_s);
    snprintf(cpu, sizeof cpu, "%.6f", t.cpu_s);
    snprintf(value, sizeof value, "%.17g", t.value);
    fields[0] = t.ok ? "1" : "0";
    fields[1] = wall;
    fields[2] = cpu;
    fields[3] = value;
    fields[4] = t.detail;
    return exercise_report("result", fields, 5) == 0 ? 0 : 3;
}
