/*
 * interrupt.h - Ctrl-C (SIGINT), SIGTERM and SIGHUP: stop without leaving anything
 * behind.
 *
 * A program that has nothing to clean up simply dies of the signal: its rows are still
 * in unlinked temporary files, which vanish with it.  While a fork pool waits for its
 * children, the signal is only noted, so that the pool can stop and reap them first;
 * the program then dies of the same signal (interrupt_reraise), so that the shell
 * sees exit status 130 or 143.  While rows are appended to the CSV files, signals are
 * deferred too, so that no file is left with half a row: the program dies of them
 * once the rows are complete.  Deferring works whichever thread the signal lands on.
 */
#ifndef PARLAB_INTERRUPT_H
#define PARLAB_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

/* Installs the handlers.  Call once, from the main thread, before any worker starts. */
void interrupt_install(void);

/* While on, a signal is noted (interrupt_pending) instead of ending the process at
 * once; turning it off with a signal noted ends the process with that signal.  Set
 * it only from the main thread. */
void interrupt_defer(bool on);

/* The signal noted while deferred, or 0. */
int interrupt_pending(void);

/* Dies of the noted signal, with its default action.  Returns only when none is
 * noted. */
void interrupt_reraise(void);

/* Ends the process with exit status 1 after `seconds`, writing `message` (kept, not
 * copied) to stderr first: the time limit of a program whose workers are threads,
 * which cannot be stopped one by one.  0 seconds disarms the timer. */
void interrupt_alarm(double seconds, const char *message);

/* In a forked child: the default actions again, and nothing held back. */
void interrupt_reset_in_child(void);

#endif
