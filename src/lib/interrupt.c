/*
 * interrupt.c - SIGINT, SIGTERM and SIGHUP, handled so that nothing is left behind.
 */
#include "parlab/interrupt.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof stop_signals / sizeof stop_signals[0])

static volatile sig_atomic_t deferred;
static volatile sig_atomic_t pending;

static void die_of(int sig)
{
    struct sigaction sa;
    sigset_t set;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

static void on_signal(int sig)
{
    if (deferred) {
        if (pending == 0)
            pending = sig;
        return;
    }
    die_of(sig); /* nothing to clean up: the default action, as if never handled */
}

void interrupt_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a waiting poll() returns EINTR at once */
    for (size_t i = 0; i < NSIGNALS; i++) {
        struct sigaction old;

        /* A signal ignored when we started (nohup, a background job) stays ignored. */
        if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(stop_signals[i], &sa, NULL);
    }
}

void interrupt_defer(bool on)
{
    deferred = on;
    if (!on && pending != 0)
        die_of(pending);
}

int interrupt_pending(void)
{
    return pending;
}

void interrupt_reraise(void)
{
    if (pending != 0)
        die_of(pending);
}

static const char *alarm_message;

static void on_alarm(int sig)
{
    (void)sig;
    if (alarm_message != NULL) {
        ssize_t ignored = write(STDERR_FILENO, alarm_message, strlen(alarm_message));
        (void)ignored;
    }
    _exit(EXIT_FAILURE); /* threads cannot be stopped one by one; nothing was written */
}

void interrupt_alarm(double seconds, const char *message)
{
    struct itimerval timer;
    struct sigaction sa;

    memset(&timer, 0, sizeof timer);
    if (seconds > 0) {
        alarm_message = message;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
        timer.it_value.tv_sec = (time_t)seconds;
        timer.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
        if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0)
            timer.it_value.tv_usec = 1;
    }
    setitimer(ITIMER_REAL, &timer, NULL);
}

void interrupt_reset_in_child(void)
{
    struct sigaction sa;
    sigset_t none;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (size_t i = 0; i < NSIGNALS; i++) {
        struct sigaction old;

        if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(stop_signals[i], &sa, NULL);
    }
    deferred = 0;
    pending = 0;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}
