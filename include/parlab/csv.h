/*
 * csv.h - writing and reading the CSV files (RFC 4180: comma separated, a field with
 * a comma, a quote or a line break is quoted, quotes doubled).
 */
#ifndef PARLAB_CSV_H
#define PARLAB_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Rows built in memory, to be appended to a file in one write. */
struct csv_writer {
    char *data;
    size_t len;
    size_t cap;
    bool at_row_start;
    bool failed; /* an allocation failed: the content is incomplete */
};

/* An empty writer; needs no release until something is put. */
void csv_writer_init(struct csv_writer *w);
void csv_writer_release(struct csv_writer *w);

/* Append one field to the current row.  Strings are quoted when they need it.
 * Doubles print with `digits` significant digits (%.*g), or fixed with `decimals`
 * when put with csv_put_fixed.  Allocation failure sets w->failed. */
void csv_put_str(struct csv_writer *w, const char *s);
void csv_put_int(struct csv_writer *w, long long v);
void csv_put_uint(struct csv_writer *w, unsigned long long v);
void csv_put_double(struct csv_writer *w, double v, int digits);
void csv_put_fixed(struct csv_writer *w, double v, int decimals);

/* Ends the current row with "\n". */
void csv_end_row(struct csv_writer *w);

/* Checks, before a run, that rows could be appended to `path`: its directory exists,
 * an existing path is a regular file (not a directory, a FIFO, a device or
 * /dev/stdout), and an existing non-empty file starts with `header` (and a newline,
 * unless the header is all it holds).
 * Creates nothing.  Returns 0, or -1 with the reason in why. */
int csv_check_target(const char *path, const char *header, char *why, size_t whylen);

/* 1 when the two paths name the same file (the same inode, or, for files not yet
 * created, the same name in the same directory), else 0. */
int csv_same_file(const char *a, const char *b);

/* Rows kept in an unlinked temporary file until they are committed, so that an
 * invocation of any length needs little memory and writes nothing until the end. */
struct csv_spool {
    FILE *file;
    bool failed; /* a write to the spool failed: committing it is refused */
    int error;   /* errno of that failure */
};

/* The directory spools are made in: $TMPDIR, or /tmp when it is unset or empty. */
const char *csv_spool_dir(void);

/* Opens an empty spool, an unlinked file in csv_spool_dir().  Returns 0, or -1 with
 * errno set. */
int csv_spool_open(struct csv_spool *s);

/* Moves w's rows into the spool and empties w.  Returns 0, or -1 with errno set
 * (also when w->failed). */
int csv_spool_add(struct csv_spool *s, struct csv_writer *w);

/* Closes and so deletes the spool. */
void csv_spool_close(struct csv_spool *s);

/* One file to append rows to. */
struct csv_target {
    const char *path;
    const char *header;            /* the file's first line, without the newline */
    const struct csv_spool *rows;
};

/* Appends each target's spooled rows to its file, all or nothing.  Every file is
 * opened and locked with flock() (in the order of their device and inode, so two
 * parlab programs never deadlock) before any is written, so concurrent writers never
 * interleave rows; a new or empty file gets its header first; a file whose first line
 * is another header is refused.  Rows go out in writes that each end with a whole row.
 * A last row without its newline is kept and given one when it is whole (the header's
 * fields or more, no open quote; also a file that is the header alone), and cut off
 * when a killed writer tore it.  On any failure every file is put back as it was, byte
 * for byte (a torn row that was cut off is written back), and a file this call
 * created is removed.  Returns 0, with why empty or saying what was cut off ("cut off
 * the torn last row of 'x.csv' (23 bytes ..., 5 of 17 fields) ..."), or -1 with why
 * saying which file and what went wrong ("cannot write 'x.csv': No space left on
 * device"). */
int csv_commit(const struct csv_target *targets, size_t n, char *why, size_t whylen);

/* A CSV file read into memory: rows of unquoted fields; row 0 is the header. */
struct csv_row {
    size_t nfields;
    char **fields;
    size_t line; /* the line of the file the row starts on, from 1 */
};
struct csv_table {
    char *text;
    size_t nrows;
    struct csv_row *rows;
    /* After csv_parse failed with EINVAL: where and what, as "line 7, column host:
     * a quote opens this field and never closes"; else "". */
    char error[256];
};

/* Parses `len` bytes of CSV text (not NUL terminated) into *t.  Strict RFC 4180: a
 * quote may only open a field and close it (doubled inside), and no row may have
 * more fields than the header, so that a quote left open cannot merge rows unseen.
 * Lines are counted as the file's lines (a quoted field may hold line breaks).
 * Returns 0, or -1 with errno set (ENOMEM; EINVAL for malformed text, with t->error
 * saying where).  On failure *t needs no release. */
int csv_parse(const char *text, size_t len, struct csv_table *t);

/* Reads and parses the file at `path`, a file the parlab programs wrote: as
 * csv_parse, and no quoted field may run on to another line (none of their values
 * holds a line break), so that a quote left open at the end of a row, closed at the
 * end of a later one, is refused too and does not make the rows between one field.
 * Returns 0, or -1 with errno set (EINVAL: t->error says where). */
int csv_read_file(const char *path, struct csv_table *t);

/* Index of the header field `name`, or -1. */
int csv_column(const struct csv_table *t, const char *name);

/* Field `col` of row `row`, or "" when the row is shorter. */
const char *csv_field(const struct csv_table *t, size_t row, int col);

/* After csv_read_file(path, t) failed: into why, "'PATH' line 7, column host: ..."
 * for malformed text (EINVAL), else "cannot read 'PATH': REASON".  Returns -1 and
 * leaves errno as it was. */
int csv_read_error(const struct csv_table *t, const char *path, char *why, size_t whylen);

/* A value of the file that its reader refuses, field col (a column the header has,
 * col >= 0) of row: into why, "'PATH' line 7, column wall_s: \"0x1p3\" WHAT" (the
 * value shortened and its control characters shown as '?', so the message stays one
 * line).  Returns -1 with errno EINVAL. */
int csv_field_error(const struct csv_table *t, const char *path, size_t row, int col,
                    const char *what, char *why, size_t whylen);

/* A time in seconds as the parlab programs write it: decimal digits with a point and
 * an exponent if need be, finite, not negative.  Returns 0, or -1 for anything else
 * ("nan", "inf", "-5", "0x1p3", " 5", "+5", "", "2s"). */
int csv_parse_seconds(const char *s, double *out);

void csv_table_release(struct csv_table *t);

#endif
