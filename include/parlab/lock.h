/*
 * lock.h - the global lock: parlab's stand-in for Python's GIL.
 *
 * There is one lock per process.  Threads of one process share it, so a job that
 * holds it keeps the other threads' jobs waiting, as numba's nogil=False keeps
 * other Python threads waiting.  A forked child gets its own copy, as each Python
 * process has its own interpreter lock, so processes never wait for each other.
 */
#ifndef PARLAB_LOCK_H
#define PARLAB_LOCK_H

enum lock_mode {
    LOCK_NONE, /* jobs run without the lock (numba nogil=True) */
    LOCK_HELD  /* each job holds the lock for its whole kernel call (nogil=False) */
};

/* "none" or "held". */
const char *lock_mode_name(enum lock_mode mode);

/* Parses "none" or "held" into *mode.  Returns 0, or -1 for anything else. */
int lock_mode_parse(const char *text, enum lock_mode *mode);

/* Takes and gives back the process's global lock.  Thread-safe.  Must not be held
 * across fork(). */
void lock_take(void);
void lock_give(void);

#endif
