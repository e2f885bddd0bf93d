/*
 * exercise.h - what a student's exercise file may call, and how an exercise's harness
 * reports a trial to the checker (parlab-exercise).
 *
 * An exercise (labs/exercises/NAME.c) is one file with a marked place for the
 * student's code.  It is linked with its harness (src/exercises/NAME.c), which calls
 * the student's functions once per trial and checks every result exactly, and with
 * libparlab.  The checker starts the program once per trial, in a process of its own
 * under a time limit, and reads what the trial found from a pipe whose descriptor is
 * in the environment (EXERCISE_FD_ENV), so whatever the student prints on stdout
 * cannot be taken for a result.
 *
 * The report is lines of tab-separated fields:
 *   todo    FUNCTION  FILE:LINE  WHAT         a part still says EXERCISE_TODO
 *   result  OK        WALL_S     CPU_S  VALUE  DETAIL   one per trial, last
 *   job     JOB  THREAD  T_START_S  T_END_S  CPU_S  RESULT  OK  PU  SIZE
 *   note    TEXT                              shown to the student as is
 */
#ifndef PARLAB_EXERCISE_H
#define PARLAB_EXERCISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The environment variable that holds the report's descriptor. */
#define EXERCISE_FD_ENV "PARLAB_EXERCISE_FD"

/* In a skeleton, where the student's code goes: the checker then says "not done yet"
 * and names the function and the line.  The function should return right after it. */
#define EXERCISE_TODO(what) exercise_todo(__FILE__, __LINE__, __func__, (what))

/* Reports that `func` (at file:line) is not written yet, once per process: on the
 * report, or on stderr when the program runs without the checker.  Safe in threads. */
void exercise_todo(const char *file, int line, const char *func, const char *what);

/* True once exercise_todo() has been called in this process. */
bool exercise_todo_called(void);

/* The size in bytes of a cache line of the first level data cache, as hwloc finds it
 * (64 on x86); sysconf's, or 64, where hwloc does not say.  Loads the topology on the
 * first call: call it before a parallel region, not inside one. */
size_t exercise_cache_line(void);

/* ---- for harnesses (src/exercises/) ------------------------------------------- */

/* Writes one line of the report: the fields joined by tabs (a tab or a line break in
 * a field becomes a space).  Returns 0, or -1 with errno set.  Safe in threads. */
int exercise_report(const char *kind, const char *const *fields, size_t n);

/* exercise_report() with a printf-style note. */
void exercise_note(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
