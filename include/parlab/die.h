/*
 * die.h - how programs report errors: "parlab-threads: cannot write 'x.csv': No space
 * left on device".  Only programs (and experiment_main on their behalf) use these;
 * library functions return errors instead.
 */
#ifndef PARLAB_DIE_H
#define PARLAB_DIE_H

/* Sets the name that starts every message (the program's name), and readies the
 * process for it: descriptors 0 to 2 it was started without are opened on /dev/null
 * (stdout read-only, so that output to it fails visibly), so that no CSV file takes
 * their number; SIGXFSZ is ignored, so that a file-size limit is a write error, rolled
 * back and reported, not a death mid-row.  Call it first in main. */
void die_set_program(const char *name);

/* The name set by die_set_program(). */
const char *die_program(void);

/* Prints "name: message" on stderr and exits 1. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);

/* Prints "name: message: strerror(errno)" on stderr and exits 1. */
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *fmt, ...);

/* Prints "name: message; try 'name --help'" on stderr and exits 2. */
__attribute__((noreturn, format(printf, 1, 2))) void die_usage(const char *fmt, ...);

/* Prints "name: message" on stderr and goes on (before a program dies of a signal). */
__attribute__((format(printf, 1, 2))) void say_error(const char *fmt, ...);

/* Prints "name: warning: message" on stderr and goes on. */
__attribute__((format(printf, 1, 2))) void warn(const char *fmt, ...);

#endif
