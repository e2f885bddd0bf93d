/*
 * die.c - error messages for programs, in git's style: "name: what failed: why".
 */
#include "parlab/die.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *program = "parlab";

/* Descriptors 0, 1 and 2 that the program was started without are opened on
 * /dev/null, so that no file the program opens later takes their place: with stdout
 * closed, the temporary file of the rows would otherwise be descriptor 1 and receive
 * the printed lines.  stdout is opened read-only, so that writing to it fails and the
 * program says so; stdin and stderr as they are used. */
static void keep_std_descriptors(void)
{
    static const int modes[] = {O_RDONLY, O_RDONLY, O_WRONLY};

    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int got = open("/dev/null", modes[fd] | O_CLOEXEC);

            if (got >= 0 && got != fd) { /* a lower one was closed too: it took that */
                dup2(got, fd);
                close(got);
            }
            if (got == fd)
                fcntl(fd, F_SETFD, 0); /* inherited by children as 0, 1, 2 are */
        }
}

void die_set_program(const char *name)
{
    program = name;
    keep_std_descriptors();
    /* A file-size limit (ulimit -f) then makes write() fail with EFBIG, which the
     * CSV commit rolls back with one line, instead of killing the process mid-row. */
    signal(SIGXFSZ, SIG_IGN);
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
