/*
 * figures.h - the data of every figure, in one place, in one form.
 *
 * For each figure FIGURE the results hold data for, figures_write() writes two files
 * into a directory:
 *
 *   FIGURE.dat   the points, one block per series (gnuplot's `index`), each block
 *                headed by a comment naming it and its columns, blocks apart by two
 *                blank lines; only series that have points get a block
 *   FIGURE.gp    gnuplot statements the script plots/FIGURE.gp loads: `title`, the
 *                number of blocks `n`, and arrays `names[n]`, `colours[n]` and what
 *                else the figure needs (each file says what it sets)
 *
 * and a file `figures` with one line per figure of the table, in the order of
 * figure_table: "FIGURE yes"; "FIGURE png-only REASON" when it draws more than
 * FIGURES_MAX_SVG_MARKS bars or dots one by one (an SVG keeps every one: 1,000,000
 * jobs in a timeline make 1.3 GB of it, the PNG 60 KB); or "FIGURE no REASON".  The scripts loop over the blocks
 * (`plot for [i = 1:n] data index (i - 1) ...`), so a backend the code has never
 * heard of is drawn as its own series with its own colour.  docs/figures.md describes
 * every file.
 */
#ifndef PARLAB_FIGURES_H
#define PARLAB_FIGURES_H

#include <stddef.h>
#include <stdio.h>

#include "parlab/results.h"

#define FIGURES_MAX_SVG_MARKS 60000 /* about 25 MB of SVG */

struct figure {
    const char *name;  /* "speedup": plots/speedup.gp, results/speedup.png */
    const char *about; /* what it shows, for --help and docs */
};

/* Every figure, in the order draw.sh draws them. */
extern const struct figure figure_table[];
extern const size_t figure_count;

/* Writes the files described above into the existing directory dir.  Returns the
 * number of figures with data, or -1 with why saying which file could not be written. */
int figures_write(const struct results *r, const char *dir, char *why, size_t whylen);

/* s written to f as the figures' files write text, for other files of the same form
 * (the class view's, class.h): as a single-quoted gnuplot string that enhanced text
 * shows as it is. */
void figures_put_gp_string(FILE *f, const char *s);

/* "DIR/NAMEEXT", malloc'd, or NULL when out of memory: a figure's file. */
char *figures_path_in(const char *dir, const char *name, const char *ext);

/* Closes f; -1 when anything written to it was lost (a full disk). */
int figures_close_checked(FILE *f);

#endif
