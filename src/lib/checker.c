/*
 * checker.c - the single source stripped, a child under a time limit, and the
 * judge's helpers (checker.h).
 */
#include "parlab/checker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parlab/clock.h"
#include "parlab/exercise.h"
#include "parlab/interrupt.h"

/* ---- the exercises ---------------------------------------------------------------- */

const struct exercise *exercise_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < exercise_count; i++)
        if (strcmp(exercise_table[i]->name, name) == 0)
            return exercise_table[i];
    return NULL;
}

const struct part_cell *check_cell(const struct check_state *st, const char *name,
                                   unsigned threads)
{
    for (size_t p = 0; p < st->nparts; p++) {
        const struct part_result *r = &st->parts[p];

        if (strcmp(r->part->name, name) != 0 || r->todo || r->skipped)
            continue;
        for (size_t c = 0; c < r->ncells; c++)
            if (r->cells[c].threads == threads && r->cells[c].runs > 0)
                return &r->cells[c];
    }
    return NULL;
}

static void say(struct check_state *st, bool failure, const char *format, va_list ap)
{
    char text[1024];

    vsnprintf(text, sizeof text, format, ap);
    fprintf(st->out, "  %s %s\n", failure ? "WRONG:" : "-", text);
    if (failure && st->failures++ == 0)
        snprintf(st->first_failure, sizeof st->first_failure, "%s", text);
}

void check_fail(struct check_state *st, const char *format, ...)
{
    va_list ap;

    va_start(ap, format);
    say(st, true, format, ap);
    va_end(ap);
}

void check_say(struct check_state *st, const char *format, ...)
{
    va_list ap;

    va_start(ap, format);
    say(st, false, format, ap);
    va_end(ap);
}

/* ---- the single source -------------------------------------------------------------- */

/* The directive of a line ("ifdef" for "  #  ifdef X"), into word; its argument's first
 * word into arg.  Returns false when the line is no directive. */
static bool directive(const char *line, char *word, size_t wlen, char *arg, size_t alen)
{
    size_t n = 0;

    while (*line == ' ' || *line == '\t')
        line++;
    if (*line++ != '#')
        return false;
    while (*line == ' ' || *line == '\t')
        line++;
    for (n = 0; line[n] >= 'a' && line[n] <= 'z' && n + 1 < wlen; n++)
        word[n] = line[n];
    word[n] = '\0';
    line += n;
    while (*line == ' ' || *line == '\t')
        line++;
    for (n = 0; (line[n] == '_' || (line[n] >= 'A' && line[n] <= 'Z') ||
                 (line[n] >= 'a' && line[n] <= 'z') || (line[n] >= '0' && line[n] <= '9')) &&
                n + 1 < alen;
         n++)
        arg[n] = line[n];
    arg[n] = '\0';
    return true;
}

int exercise_strip(FILE *in, FILE *out, bool solution, char *why, size_t whylen)
{
    enum { OUTSIDE, KEEP_FIRST, DROP_FIRST } state = OUTSIDE;
    char *line = NULL, word[16], arg[64], opener[16] = "";
    size_t cap = 0;
    ssize_t len;
    unsigned long number = 0, opened = 0;
    int depth = 0, blocks = 0, status = -1;
    bool keep = true, divided = false;

    why[0] = '\0';
    errno = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        bool is, print = keep;

        number++;
        if (memchr(line, '\0', (size_t)len) != NULL) {
            snprintf(why, whylen, "line %lu holds a NUL byte: not a C file?", number);
            goto done;
        }
        is = directive(line, word, sizeof word, arg, sizeof arg);
        if (state == OUTSIDE) {
            if (is && (strcmp(word, "ifdef") == 0 || strcmp(word, "ifndef") == 0) &&
                strcmp(arg, "PARLAB_SOLUTION") == 0) {
                bool first_is_solution = strcmp(word, "ifdef") == 0;

                state = first_is_solution == solution ? KEEP_FIRST : DROP_FIRST;
                keep = state == KEEP_FIRST;
                opened = number;
                snprintf(opener, sizeof opener, "%s", word);
                depth = 0;
                divided = false;
                blocks++;
                continue;
            }
        } else if (is) {
            if (strncmp(word, "if", 2) == 0) {
                depth++;
            } else if (strcmp(word, "endif") == 0 && depth > 0) {
                depth--;
            } else if (strcmp(word, "endif") == 0) {
                state = OUTSIDE;
                keep = true;
                continue;
            } else if (strcmp(word, "else") == 0 && depth == 0) {
                if (divided) {
                    snprintf(why, whylen, "line %lu: a second #else in the PARLAB_SOLUTION "
                                          "block of line %lu",
                             number, opened);
                    goto done;
                }
                divided = true;
                keep = state == DROP_FIRST;
                continue;
            } else if ((strcmp(word, "elif") == 0 || strncmp(word, "elif", 4) == 0) &&
                       depth == 0) {
                snprintf(why, whylen, "line %lu: #elif in the PARLAB_SOLUTION block of line %lu "
                                      "(only #else may divide it)",
                         number, opened);
                goto done;
            }
            if (strstr(line, "PARLAB_SOLUTION") != NULL) {
                snprintf(why, whylen, "line %lu: PARLAB_SOLUTION tested again inside its own "
                                      "block of line %lu",
                         number, opened);
                goto done;
            }
        }
        /* Anywhere else the name would stay in the skeleton: tested another way, or
         * named on a line of its own (a directive continued with a backslash) */
        if (strstr(line, "PARLAB_SOLUTION") != NULL) {
            snprintf(why, whylen, "line %lu: PARLAB_SOLUTION may only be tested by #ifdef or "
                                  "#ifndef, alone on its line",
                     number);
            goto done;
        }
        if (print && fwrite(line, 1, (size_t)len, out) != (size_t)len) {
            snprintf(why, whylen, "cannot write: %s", strerror(errno ? errno : EIO));
            goto done;
        }
    }
    if (ferror(in) || (len < 0 && errno == ENOMEM)) {
        snprintf(why, whylen, "cannot read: %s", strerror(errno ? errno : EIO));
        goto done;
    }
    if (state != OUTSIDE) {
        snprintf(why, whylen, "line %lu: the #%s PARLAB_SOLUTION is never closed", opened,
                 opener);
        goto done;
    }
    if (fflush(out) == EOF || ferror(out)) {
        snprintf(why, whylen, "cannot write: %s", strerror(errno ? errno : EIO));
        goto done;
    }
    status = blocks;
done:
    free(line);
    return status;
}

/* ---- a child under a time limit --------------------------------------------------- */

#define REPORT_MAX (1u << 20)

/* The largest file a child may write: its output, a program exercise's CSVs, the
 * compiler's program. */
#define CHILD_MAX_FILE ((rlim_t)256 << 20)

/* In the child of `parent`: never returns. */
static void start_child(char *const argv[], char *const env[], const char *log, int report_fd,
                        pid_t parent)
{
    int out, null, fd = -1;

    setpgid(0, 0);
    /* A checker killed outright (SIGKILL, the OOM killer) cannot stop its trial: the
     * kernel does, instead of leaving a hanging one to run for ever. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(126);
    interrupt_reset_in_child();
    signal(SIGPIPE, SIG_DFL); /* parlab-exercise ignores it; an ignored signal stays so */
    /* The report's end first, above the standard descriptors and not close-on-exec:
     * with a closed stdout, pipe2() may have given it descriptor 1.  (A shell's
     * `>&$FD` takes one digit: it is 3 to 9 here.) */
    if (report_fd >= 0 && (fd = fcntl(report_fd, F_DUPFD, 3)) < 0)
        _exit(126);
    /* A program that prints without end fills the log only this far, then dies of
     * SIGXFSZ, which is named like any other signal. */
    {
        struct rlimit most = {CHILD_MAX_FILE, CHILD_MAX_FILE};
        struct rlimit now;

        if (getrlimit(RLIMIT_FSIZE, &now) == 0 && now.rlim_cur > CHILD_MAX_FILE)
            setrlimit(RLIMIT_FSIZE, &most);
    }
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    out = log != NULL ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : null;
    if (null < 0 || out < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(126);
    if (fd >= 0) {
        char text[16];

        snprintf(text, sizeof text, "%d", fd);
        if (setenv(EXERCISE_FD_ENV, text, 1) != 0)
            _exit(126);
    } else {
        unsetenv(EXERCISE_FD_ENV);
    }
    for (size_t i = 0; env != NULL && env[i] != NULL; i++)
        if (putenv(env[i]) != 0)
            _exit(126);
    execv(argv[0], argv);
    _exit(127);
}

/* Appends what the pipe holds now to *buf, setting *cut when some of it did not fit;
 * returns false at its end (or an error). */
static bool drain(int fd, char **buf, size_t *len, size_t *cap, bool *cut)
{
    char chunk[4096];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0)
            return errno == EINTR || errno == EAGAIN;
        if (*len + (size_t)n + 1 > *cap && *len < REPORT_MAX) {
            size_t want = *cap ? *cap * 2 : 8192;
            char *p;

            while (want < *len + (size_t)n + 1)
                want *= 2;
            p = realloc(*buf, want);
            if (p == NULL)
                return false;
            *buf = p;
            *cap = want;
        }
        if (*len + (size_t)n + 1 <= *cap) {
            memcpy(*buf + *len, chunk, (size_t)n);
            *len += (size_t)n;
            (*buf)[*len] = '\0';
        } else {
            *cut = true;
        }
    }
    return false;
}

/* In a subreaper (PR_SET_CHILD_SUBREAPER): kills what a child left running outside its
 * process group (a daemon that called setsid()), which the kernel gave to us when its
 * parent died, and what that leaves in turn; reaps them all.  Every child of this
 * process is taken for one of those. */
static void kill_adopted(void)
{
    char path[64];
    int is = 0;

    if (prctl(PR_GET_CHILD_SUBREAPER, &is) != 0 || !is)
        return;
    snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long)getpid());
    for (int round = 0; round < 100; round++) { /* each round, the ones given us since */
        pid_t left[64];
        size_t n = 0;
        long child;
        FILE *f = fopen(path, "r");

        if (f == NULL)
            return;
        while (n < 64 && fscanf(f, "%ld", &child) == 1)
            left[n++] = (pid_t)child;
        fclose(f);
        if (n == 0)
            return;
        for (size_t i = 0; i < n; i++) {
            kill(-left[i], SIGKILL); /* the group it made itself, if it did */
            kill(left[i], SIGKILL);
        }
        for (size_t i = 0; i < n; i++)
            while (waitpid(left[i], NULL, 0) < 0 && errno == EINTR)
                ;
    }
}

int checker_spawn(char *const argv[], char *const env[], const char *log, double timeout,
                  char **report, struct child_end *end)
{
    int fds[2];
    size_t len = 0, cap = 0;
    char *buf = NULL;
    bool open_pipe = true;
    double t0 = clock_wall();
    pid_t pid, parent = getpid();

    memset(end, 0, sizeof *end);
    if (report != NULL)
        *report = NULL;
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        int saved = errno;

        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0)
        start_child(argv, env, log, report != NULL ? fds[1] : -1, parent);
    setpgid(pid, pid); /* also here, so that the group exists before it is killed */
    end->pid = pid;
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    for (;;) {
        siginfo_t info = {0};
        struct pollfd p = {.fd = fds[0], .events = POLLIN};

        /* Ended?  Asked without reaping it, so that its group's number stays its own
         * until the group is killed below. */
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid)
            break;
        if (interrupt_pending()) {
            end->interrupted = true;
            break;
        }
        if (clock_wall() - t0 > timeout) {
            end->timed_out = true;
            break;
        }
        if (poll(&p, 1, open_pipe ? 20 : 0) > 0 && open_pipe)
            open_pipe = drain(fds[0], &buf, &len, &cap, &end->report_cut);
        else if (!open_pipe)
            poll(NULL, 0, 20);
    }
    end->wall_s = clock_wall() - t0;
    kill(-pid, SIGKILL); /* the child if it still runs, and whatever it started */
    {
        struct rusage use = {0};

        while (wait4(pid, &end->status, 0, &use) < 0 && errno == EINTR)
            ;
        end->cpu_s = (double)use.ru_utime.tv_sec + (double)use.ru_utime.tv_usec * 1e-6 +
                     (double)use.ru_stime.tv_sec + (double)use.ru_stime.tv_usec * 1e-6;
    }
    kill_adopted();
    if (open_pipe)
        drain(fds[0], &buf, &len, &cap, &end->report_cut);
    close(fds[0]);
    if (report != NULL)
        *report = buf;
    else
        free(buf);
    return 0;
}

void checker_describe_end(const struct child_end *end, double timeout, char *text, size_t len)
{
    if (end->interrupted)
        snprintf(text, len, "stopped: the checker was interrupted");
    else if (end->timed_out)
        snprintf(text, len, "ran past its %g s limit and was stopped", timeout);
    else if (WIFSIGNALED(end->status))
        snprintf(text, len, "was killed by signal %d (%s)", WTERMSIG(end->status),
                 strsignal(WTERMSIG(end->status)));
    else if (WIFEXITED(end->status))
        snprintf(text, len, "ended with exit status %d", WEXITSTATUS(end->status));
    else
        snprintf(text, len, "ended in an unknown way");
}
