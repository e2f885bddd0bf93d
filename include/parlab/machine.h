/*
 * machine.h - what else the machine did while a run ran.  A speedup measured on a
 * laptop that was also compiling, browsing or on battery is not the speedup of the
 * code: each run records the evidence, so that what is said about it can follow from
 * it.  Linux only: /proc/stat, /proc/loadavg and /sys/class/power_supply; where one
 * cannot be read, its value is unknown, never guessed.
 */
#ifndef PARLAB_MACHINE_H
#define PARLAB_MACHINE_H

#include <sched.h>
#include <stdbool.h>

/* The PUs a run may use, fixed before any worker binds itself (a bound main thread's
 * own mask would shrink to one PU). */
struct machine_watch {
    cpu_set_t cpus;
    bool known;     /* the mask and /proc/stat could be read */
};

/* Takes this process's affinity mask as the PUs to watch, or the PUs given to
 * machine_watch_default. */
void machine_watch_init(struct machine_watch *w);

/* From now on machine_watch_init watches `cpus` (NULL: the process's mask again).  For
 * a program whose workers are processes it did not start, on PUs its own mask may not
 * hold: parlab-mpi's rank 0, which mpirun may bind to one core while the other ranks
 * of its host run on the others, watches all of theirs. */
void machine_watch_default(const cpu_set_t *cpus);

/* Busy seconds of the watched PUs, as a running total whose differences are what a
 * run measures: their time on CLOCK_MONOTONIC less their idle and iowait time in
 * /proc/stat, so that user, system, interrupts and steal (a hypervisor giving the PU
 * to another machine) all count as busy.  Not the sum of /proc/stat's busy fields:
 * those are sampled at the scheduler's tick, and threads that wake each other every
 * few milliseconds were counted there 20% beyond their own CPU time on an idle
 * machine; idle time is measured, not sampled, on tickless kernels.  /proc/stat
 * gives it in clock ticks of 1/100 s, so two readings differ by up to 0.01 s per PU
 * from the rounding alone.  Returns -1 when it cannot be read. */
double machine_busy_s(const struct machine_watch *w);

/* How many PUs the watch covers. */
int machine_watch_pus(const struct machine_watch *w);

/* The 1-minute load average, from /proc/loadavg, or -1. */
double machine_load_1m(void);

/* Whether the machine runs on battery: "yes" when a power supply of type Mains says
 * online 0 and a battery says Discharging, "no" when a Mains supply is online, ""
 * when the system does not say (most desktops, servers and virtual machines). */
const char *machine_on_battery(void);

/* The CPU-seconds per second that others' busy time `other_s` over `wall_s` is
 * noise: below this, the readings' rounding (under 0.01 s per PU) could make it.  Used to say "otherwise idle" honestly. */
double machine_noise_per_s(const struct machine_watch *w, double wall_s);

#endif
