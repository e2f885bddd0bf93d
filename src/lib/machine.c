/*
 * machine.c - what else the machine did while a run ran (see machine.h).
 */
#include "parlab/machine.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* /proc/stat counts in USER_HZ ticks, which is 100 on every Linux architecture
 * parlab runs on; sysconf says so. */
static double tick_s(void)
{
    long hz = sysconf(_SC_CLK_TCK);

    return hz > 0 ? 1.0 / (double)hz : 0.01;
}

static cpu_set_t default_cpus;
static bool has_default;

void machine_watch_default(const cpu_set_t *cpus)
{
    has_default = cpus != NULL;
    if (cpus != NULL)
        default_cpus = *cpus;
}

void machine_watch_init(struct machine_watch *w)
{
    CPU_ZERO(&w->cpus);
    if (has_default) {
        w->cpus = default_cpus;
        w->known = CPU_COUNT(&w->cpus) > 0 && machine_busy_s(w) >= 0;
        return;
    }
    w->known = sched_getaffinity(0, sizeof w->cpus, &w->cpus) == 0 && machine_busy_s(w) >= 0;
}

int machine_watch_pus(const struct machine_watch *w)
{
    return CPU_COUNT(&w->cpus);
}

double machine_busy_s(const struct machine_watch *w)
{
    FILE *f = fopen("/proc/stat", "re");
    char line[512];
    unsigned long long idle_ticks = 0;
    struct timespec now;
    int seen = 0;

    if (f == NULL)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long user, nice, system, idle, iowait;
        int cpu;

        if (strncmp(line, "cpu", 3) != 0)
            break; /* the per-PU lines come first, after the total */
        if (line[3] < '0' || line[3] > '9')
            continue; /* the total, "cpu  ..." */
        if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu", &cpu, &user, &nice, &system, &idle,
                   &iowait) != 6 ||
            cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &w->cpus))
            continue; /* a PU not ours */
        idle_ticks += idle + iowait;
        seen++;
    }
    fclose(f);
    if (seen != CPU_COUNT(&w->cpus) || seen == 0)
        return -1;
    /* The PUs' time so far, less the time they were idle: the time they were not. */
    return (double)seen * ((double)now.tv_sec + (double)now.tv_nsec * 1e-9) -
           (double)idle_ticks * tick_s();
}

double machine_load_1m(void)
{
    FILE *f = fopen("/proc/loadavg", "re");
    double load;
    int ok;

    if (f == NULL)
        return -1;
    ok = fscanf(f, "%lf", &load) == 1;
    fclose(f);
    return ok && load >= 0 ? load : -1;
}

/* The first word of /sys/class/power_supply/NAME/FILE into buf; "" when unreadable. */
static void supply_value(const char *name, const char *file, char *buf, size_t len)
{
    char path[512];
    FILE *f;

    buf[0] = '\0';
    snprintf(path, sizeof path, "/sys/class/power_supply/%s/%s", name, file);
    if ((f = fopen(path, "re")) == NULL)
        return;
    if (fgets(buf, (int)len, f) == NULL)
        buf[0] = '\0';
    buf[strcspn(buf, " \n")] = '\0';
    fclose(f);
}

const char *machine_on_battery(void)
{
    DIR *d = opendir("/sys/class/power_supply");
    struct dirent *e;
    bool mains_online = false, mains_offline = false, discharging = false;

    if (d == NULL)
        return "";
    while ((e = readdir(d)) != NULL) {
        char type[32], value[32];

        if (e->d_name[0] == '.')
            continue;
        supply_value(e->d_name, "type", type, sizeof type);
        if (strcmp(type, "Mains") == 0) {
            supply_value(e->d_name, "online", value, sizeof value);
            mains_online = mains_online || strcmp(value, "1") == 0;
            mains_offline = mains_offline || strcmp(value, "0") == 0;
        } else if (strcmp(type, "Battery") == 0) {
            supply_value(e->d_name, "status", value, sizeof value);
            discharging = discharging || strcmp(value, "Discharging") == 0;
        }
    }
    closedir(d);
    if (mains_online)
        return "no";
    return mains_offline && discharging ? "yes" : "";
}

double machine_noise_per_s(const struct machine_watch *w, double wall_s)
{
    /* the difference of two readings of a PU's ticks is off by less than one tick */
    return wall_s > 0 ? tick_s() * machine_watch_pus(w) / wall_s : 0;
}
