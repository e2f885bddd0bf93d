/*
 * die.c - error messages for programs, in git's style: "name: what failed: why".
 */
#include "parlab/die.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *program = "parlab";

void die_set_program(const char *name)
{
    program = name;
}

const char *die_program(void)
{
    return program;
}

__attribute__((format(printf, 2, 0))) static void say(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
    fflush(stdout); /* what was printed before the error comes before it */
    fprintf(stderr, "%s: %s", program, prefix);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "%s\n", suffix);
}

void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("", fmt, ap, "");
    va_end(ap);
    exit(EXIT_FAILURE);
}

void die_errno(const char *fmt, ...)
{
    char reason[256];
    va_list ap;

    snprintf(reason, sizeof reason, ": %s", strerror(errno)); /* before any other call */
    va_start(ap, fmt);
    say("", fmt, ap, reason);
    va_end(ap);
    exit(EXIT_FAILURE);
}

void die_usage(const char *fmt, ...)
{
    char hint[128];
    va_list ap;

    snprintf(hint, sizeof hint, "; try '%s --help'", program);
    va_start(ap, fmt);
    say("", fmt, ap, hint);
    va_end(ap);
    exit(2);
}

void say_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("", fmt, ap, "");
    va_end(ap);
}

void warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("warning: ", fmt, ap, "");
    va_end(ap);
}
