/*
 * experiment.h - the one path every parlab program follows:
 *
 *   options -> plan -> warm-up run -> counted runs (each validated, printed and
 *   appended to the CSVs) -> summary (median, min, max; speedup over serial).
 */
#ifndef PARLAB_EXPERIMENT_H
#define PARLAB_EXPERIMENT_H

#include "parlab/program.h"

/* Runs `prog` with the command line argc/argv and returns the exit status: 0 on
 * success.  Exits 2 on a bad command line and 1 when a run fails, a result is wrong
 * or a CSV cannot be written, after one line on stderr. */
int experiment_main(const struct program *prog, int argc, char **argv);

#endif
