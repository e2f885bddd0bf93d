/*
 * csv.c - building rows in memory, appending them to a file whole, reading them back.
 */
#include "parlab/csv.h"
#include "parlab/fault.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- writing rows ---------------------------------------------------------- */

void csv_writer_init(struct csv_writer *w)
{
    w->data = NULL;
    w->len = w->cap = 0;
    w->at_row_start = true;
    w->failed = false;
}

void csv_writer_release(struct csv_writer *w)
{
    free(w->data);
    csv_writer_init(w);
}

static bool reserve(struct csv_writer *w, size_t extra)
{
    size_t cap;
    char *data;

    if (w->failed)
        return false;
    if (w->len + extra + 1 <= w->cap)
        return true;
    cap = w->cap ? w->cap : 256;
    while (cap < w->len + extra + 1)
        cap *= 2;
    data = realloc(w->data, cap);
    if (data == NULL) {
        w->failed = true;
        return false;
    }
    w->data = data;
    w->cap = cap;
    return true;
}

static void put_bytes(struct csv_writer *w, const char *s, size_t n)
{
    if (!reserve(w, n))
        return;
    memcpy(w->data + w->len, s, n);
    w->len += n;
    w->data[w->len] = '\0';
}

static void begin_field(struct csv_writer *w)
{
    if (!w->at_row_start)
        put_bytes(w, ",", 1);
    w->at_row_start = false;
}

__attribute__((format(printf, 2, 3))) static void put_format(struct csv_writer *w,
                                                            const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) { /* cannot happen for numbers */
        w->failed = true;
        return;
    }
    begin_field(w);
    put_bytes(w, buf, (size_t)n);
}

void csv_put_str(struct csv_writer *w, const char *s)
{
    begin_field(w);
    if (strpbrk(s, ",\"\r\n") == NULL) {
        put_bytes(w, s, strlen(s));
        return;
    }
    put_bytes(w, "\"", 1);
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        put_bytes(w, s, (size_t)(q - s));
        put_bytes(w, "\"\"", 2);
    }
    put_bytes(w, s, strlen(s));
    put_bytes(w, "\"", 1);
}

void csv_put_int(struct csv_writer *w, long long v)
{
    put_format(w, "%lld", v);
}

void csv_put_uint(struct csv_writer *w, unsigned long long v)
{
    put_format(w, "%llu", v);
}

void csv_put_double(struct csv_writer *w, double v, int digits)
{
    put_format(w, "%.*g", digits, v);
}

void csv_put_fixed(struct csv_writer *w, double v, int decimals)
{
    put_format(w, "%.*f", decimals, v);
}

void csv_end_row(struct csv_writer *w)
{
    put_bytes(w, "\n", 1);
    w->at_row_start = true;
}

/* ---- appending to a file ----------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int fail(char *why, size_t whylen,
                                                     const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    errno = saved;
    return -1;
}

/* 1 when the file open as fd starts with header + newline, or is the header alone
 * without its newline (a writer stopped between the two, or an editor left it so), 0
 * when it starts with something else, -1 on a read error. */
static int starts_with_header(int fd, const char *header)
{
    size_t n = strlen(header) + 1;
    char *buf = malloc(n);
    ssize_t got;
    int match;

    if (buf == NULL)
        return -1;
    do
        got = pread(fd, buf, n, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        free(buf);
        return -1;
    }
    match = (size_t)got >= n - 1 && memcmp(buf, header, n - 1) == 0 &&
            ((size_t)got == n - 1 || buf[n - 1] == '\n' || buf[n - 1] == '\r');
    free(buf);
    return match;
}

int csv_check_target(const char *path, const char *header, char *why, size_t whylen)
{
    struct stat st;
    char *copy;
    int fd, match;

    if (path[0] == '\0')
        return fail(why, whylen, "an empty file name is not a CSV file");
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && stat(path, &st) != 0 &&
        errno == ENOENT) { /* the commit's O_EXCL would not follow it */
        char target[256];
        ssize_t len = readlink(path, target, sizeof target - 1);

        target[len > 0 ? len : 0] = '\0';
        return fail(why, whylen,
                    "cannot write '%s': it is a symbolic link to '%s', which does not exist",
                    path, target);
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return fail(why, whylen, "cannot write '%s': it is a directory", path);
        if (!S_ISREG(st.st_mode)) /* a FIFO, a device, /dev/stdout: no rollback, and a
                                   * FIFO without a reader would block the commit */
            return fail(why, whylen,
                        "cannot write '%s': it is not a regular file (a FIFO, a device or a "
                        "terminal); the rows go to files only",
                        path);
        if (st.st_size == 0)
            return 0;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return fail(why, whylen, "cannot read '%s': %s", path, strerror(errno));
        match = starts_with_header(fd, header);
        close(fd);
        if (match < 0)
            return fail(why, whylen, "cannot read '%s': %s", path, strerror(errno));
        if (!match)
            return fail(why, whylen,
                        "'%s' holds other columns than these rows (first line is not \"%.40s...\"); "
                        "write to a new file",
                        path, header);
        if (access(path, W_OK) != 0)
            return fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
        return 0;
    }
    if (errno != ENOENT)
        return fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));

    copy = strdup(path); /* the file is new: its directory must take it */
    if (copy == NULL)
        return fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
    const char *dir = dirname(copy);
    int rc = 0;
    if (stat(dir, &st) != 0)
        rc = fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = fail(why, whylen, "cannot write '%s': %s", path, strerror(ENOTDIR));
    else if (access(dir, W_OK | X_OK) != 0)
        rc = fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
    free(copy);
    return rc;
}

int csv_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    char *ca, *cb, *ra = NULL, *rb = NULL;
    int same = 0;

    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    /* One of them does not exist yet: compare the real directories and the names. */
    ca = strdup(a);
    cb = strdup(b);
    if (ca && cb) {
        ra = realpath(dirname(ca), NULL);
        rb = realpath(dirname(cb), NULL);
    }
    if (ra && rb) {
        free(ca);
        free(cb);
        ca = strdup(a);
        cb = strdup(b);
        same = ca && cb && strcmp(ra, rb) == 0 && strcmp(basename(ca), basename(cb)) == 0;
    }
    free(ra);
    free(rb);
    free(ca);
    free(cb);
    return same;
}

const char *csv_spool_dir(void)
{
    const char *dir = getenv("TMPDIR");

    return dir != NULL && dir[0] != '\0' ? dir : "/tmp";
}

int csv_spool_open(struct csv_spool *s)
{
    const char *dir = csv_spool_dir();
    size_t len = strlen(dir) + sizeof "/parlab-rows-XXXXXX";
    char *name = malloc(len);
    int fd, saved;

    s->failed = false;
    s->error = 0;
    s->file = NULL;
    if (name == NULL)
        return -1;
    snprintf(name, len, "%s/parlab-rows-XXXXXX", dir);
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0) {
        unlink(name); /* gone when it is closed, whatever happens */
        s->file = fdopen(fd, "w+");
        if (s->file == NULL) {
            saved = errno;
            close(fd);
            errno = saved;
        }
    }
    saved = errno;
    free(name);
    errno = saved;
    return s->file == NULL ? -1 : 0;
}

int csv_spool_add(struct csv_spool *s, struct csv_writer *w)
{
    if (w->failed) {
        s->failed = true;
        s->error = ENOMEM;
    } else if (w->len > 0 && fwrite(w->data, 1, w->len, s->file) != w->len) {
        s->failed = true;
        s->error = errno ? errno : EIO;
    }
    w->len = 0;
    w->at_row_start = true;
    w->failed = false;
    if (s->failed) {
        errno = s->error;
        return -1;
    }
    return 0;
}

void csv_spool_close(struct csv_spool *s)
{
    if (s->file != NULL)
        fclose(s->file);
    s->file = NULL;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Copies the whole spool to fd in writes that each end with a whole row, so that a
 * process killed between two writes leaves only whole rows behind. */
static int copy_spool(const struct csv_spool *s, int fd)
{
    char buf[1 << 16];
    size_t have = 0, n;

    if (s->failed) {
        errno = s->error;
        return -1;
    }
    if (fflush(s->file) != 0)
        return -1;
    rewind(s->file);
    while ((n = fread(buf + have, 1, sizeof buf - have, s->file)) > 0 || have > 0) {
        size_t whole;

        have += n;
        whole = have;
        while (whole > 0 && buf[whole - 1] != '\n')
            whole--;
        if (whole == 0 || n == 0) /* a row longer than the buffer, or the end */
            whole = have;
        if (write_all(fd, buf, whole) != 0)
            return -1;
        fault_after_write(); /* PARLAB_FAULT=crash-in-commit: die between two writes */
        memmove(buf, buf + whole, have - whole);
        have -= whole;
    }
    return ferror(s->file) ? -1 : 0;
}

/* Reads len bytes at offset, all of them: -1 with errno set on an error, EIO when the
 * file is shorter than that. */
static int pread_all(int fd, char *buf, size_t len, off_t offset)
{
    while (len > 0) {
        ssize_t n = pread(fd, buf, len, offset);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
        offset += n;
    }
    return 0;
}

/* Where the last line of the file's first `size` bytes starts: just after its last
 * newline, or 0 when it has none.  Read backwards a block at a time, with the file
 * locked: a 10 MB last line costs 160 reads, not ten million.  -1 on a read error. */
static off_t last_line_start(int fd, off_t size)
{
    char buf[1 << 16];

    for (off_t end = size; end > 0;) {
        size_t n = end < (off_t)sizeof buf ? (size_t)end : sizeof buf;
        const char *newline;

        if (pread_all(fd, buf, n, end - (off_t)n) != 0)
            return -1;
        newline = memrchr(buf, '\n', n);
        if (newline != NULL)
            return end - (off_t)n + (newline - buf) + 1;
        end -= (off_t)n;
    }
    return 0;
}

/* The fields of one row as csv_parse() reads it (a quote opens a quoted field only at
 * the field's start); *open tells whether the row ends inside a quoted field. */
static size_t count_fields(const char *row, size_t len, bool *open)
{
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN } state = FIELD_START;
    size_t fields = 1;

    for (size_t i = 0; i < len; i++) {
        char c = row[i];

        if (state == QUOTED) {
            state = c == '"' ? QUOTE_SEEN : QUOTED;
        } else if (c == ',') {
            fields++;
            state = FIELD_START;
        } else if (state == FIELD_START && c == '"') {
            state = QUOTED;
        } else if (state == QUOTE_SEEN && c == '"') {
            state = QUOTED; /* a doubled quote: still inside */
        } else {
            state = UNQUOTED;
        }
    }
    *open = state == QUOTED;
    return fields;
}

/* A target while it is being committed. */
struct open_target {
    int fd;
    off_t old_size;      /* -1 until the file is locked, or when it is not a regular file */
    bool created;
    dev_t dev;
    ino_t ino;
    /* A last row without its newline, found when the file is locked: */
    bool add_newline;    /* it is whole (the header's fields, no open quote): kept */
    char *torn;          /* it is torn: its bytes, cut off while the rows are written and
                          * put back if the commit fails */
    size_t torn_len;
    off_t torn_at;       /* where it starts: the file's length once it is cut off */
    bool cut;            /* it has been cut off */
    char torn_why[64];   /* "5 of 17 fields", "an open quote" */
};

/* A file that does not end with a newline: its last row is whole and only lacks the
 * newline (a writer was stopped between the row and it, or an editor saved it so), and
 * is kept; or it is torn (a writer was killed in the middle of a write(): fewer fields
 * than the header, or an open quote), and is cut off so that the new rows start on a
 * line of their own.  A row torn inside its last field looks whole, and is kept.
 * Nothing is changed yet: append_rows() and roll_back() do it.  Called with o's file
 * locked, its header checked.  Returns 0, or -1 with errno set. */
static int examine_last_row(struct open_target *o, const char *header)
{
    off_t start = last_line_start(o->fd, o->old_size);
    size_t len, fields, want;
    bool open, open_header;
    char *row;

    if (start < 0)
        return -1;
    if (start == o->old_size)
        return 0; /* it ends with a newline */
    if (start == 0) { /* the header alone: starts_with_header() said it is whole */
        o->add_newline = true;
        return 0;
    }
    if ((uintmax_t)(o->old_size - start) > SIZE_MAX) {
        errno = EFBIG;
        return -1;
    }
    len = (size_t)(o->old_size - start);
    row = malloc(len);
    if (row == NULL)
        return -1;
    if (pread_all(o->fd, row, len, start) != 0) {
        int saved = errno;
        free(row);
        errno = saved;
        return -1;
    }
    fields = count_fields(row, len, &open);
    want = count_fields(header, strlen(header), &open_header);
    if (!open && fields >= want) { /* more fields is not a tear: not ours to cut */
        o->add_newline = true;
        free(row);
        return 0;
    }
    if (open)
        snprintf(o->torn_why, sizeof o->torn_why, "an open quote");
    else
        snprintf(o->torn_why, sizeof o->torn_why, "%zu of %zu fields", fields, want);
    o->torn = row;
    o->torn_len = len;
    o->torn_at = start;
    return 0;
}

/* Opens targets[i], creating it if need be, without locking it yet; `opened` holds
 * targets 0 .. i-1, opened already. */
static int open_target(const struct csv_target *targets, struct open_target *opened, size_t i,
                       char *why, size_t whylen)
{
    struct open_target *o = &opened[i];
    const char *path = targets[i].path;
    struct stat st;

    o->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    o->created = o->fd >= 0;
    if (o->fd < 0 && errno == EEXIST)
        o->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (o->fd < 0)
        return fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
    if (fstat(o->fd, &st) != 0)
        return fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
    for (size_t k = 0; k < i; k++) /* locking it a second time would hang */
        if (opened[k].dev == st.st_dev && opened[k].ino == st.st_ino) {
            o->created = false;
            errno = EINVAL;
            return fail(why, whylen, "'%s' and '%s' are the same file", targets[k].path, path);
        }
    o->dev = st.st_dev;
    o->ino = st.st_ino;
    return 0;
}

/* Locks the opened targets[i] and checks its header. */
static int lock_target(const struct csv_target *targets, struct open_target *opened, size_t i,
                       char *why, size_t whylen)
{
    struct open_target *o = &opened[i];
    const char *path = targets[i].path, *header = targets[i].header;
    struct stat st;
    int rc;

    for (;;) {
        /* One writer at a time: another program committing to this file waits here. */
        do
            rc = flock(o->fd, LOCK_EX);
        while (rc != 0 && errno == EINTR);
        if (rc != 0 || fstat(o->fd, &st) != 0)
            return fail(why, whylen, "cannot write '%s': %s", path, strerror(errno));
        if (st.st_nlink > 0 || !S_ISREG(st.st_mode))
            break;
        close(o->fd); /* its creator failed and removed it while we waited: again */
        o->fd = -1;
        if (open_target(targets, opened, i, why, whylen) != 0)
            return -1;
    }
    o->old_size = S_ISREG(st.st_mode) ? st.st_size : -1;
    if (o->old_size > 0) {
        int match = starts_with_header(o->fd, header);

        if (match < 0)
            return fail(why, whylen, "cannot read '%s': %s", path, strerror(errno));
        if (!match) {
            errno = EINVAL;
            return fail(why, whylen,
                        "'%s' holds other columns than these rows; write to a new file", path);
        }
        if (examine_last_row(o, header) != 0)
            return fail(why, whylen, "cannot read '%s': %s", path, strerror(errno));
    }
    return 0;
}

/* Writes a locked target's rows: first what its last row needs (the newline it lacks,
 * or a torn one cut off), or the header into a new or empty file; then the spooled
 * rows.  Returns 0, or -1 with errno set; roll_back() undoes all of it. */
static int append_rows(struct open_target *o, const struct csv_target *t)
{
    if (o->torn != NULL) {
        if (ftruncate(o->fd, o->torn_at) != 0)
            return -1;
        o->cut = true;
    }
    if (o->add_newline && write_all(o->fd, "\n", 1) != 0)
        return -1;
    if (o->old_size <= 0 &&
        (write_all(o->fd, t->header, strlen(t->header)) != 0 || write_all(o->fd, "\n", 1) != 0))
        return -1;
    return copy_spool(t->rows, o->fd);
}

/* Puts a target back as it was before the commit, byte for byte: truncated to its old
 * length, and a torn last row that was cut off written back after it (the file is
 * open with O_APPEND).  Returns 0, or -1 with errno set when the torn row could not be
 * put back. */
static int roll_back(struct open_target *o)
{
    if (o->old_size < 0) /* not locked yet, or not a regular file */
        return 0;
    if (ftruncate(o->fd, o->cut ? o->torn_at : o->old_size) != 0) {
        /* nothing more to do: the first failure is the one reported */
    }
    return o->cut ? write_all(o->fd, o->torn, o->torn_len) : 0;
}

/* Adds to `why` that o's torn last row was cut off. */
static void note_cut(const struct open_target *o, const char *path, char *why, size_t whylen)
{
    size_t used = strlen(why);

    snprintf(why + used, whylen - used,
             "%scut off the torn last row of '%s' (%zu bytes after its last newline, %s): a "
             "writer was killed in the middle of it",
             used ? "; " : "", path, o->torn_len, o->torn_why);
}

/* The order the files are locked in: by device and inode, the same in every program,
 * so that two programs given the same files in another order never wait on each
 * other for ever. */
static const struct open_target *ordering;

static int lock_order(const void *pa, const void *pb)
{
    const struct open_target *a = &ordering[*(const size_t *)pa];
    const struct open_target *b = &ordering[*(const size_t *)pb];

    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    return (a->ino > b->ino) - (a->ino < b->ino);
}

int csv_commit(const struct csv_target *targets, size_t n, char *why, size_t whylen)
{
    struct open_target *open_targets = calloc(n ? n : 1, sizeof *open_targets);
    size_t opened = 0, i;
    int saved, rc = 0;

    why[0] = '\0';
    if (open_targets == NULL)
        return fail(why, whylen, "cannot write '%s': %s", n ? targets[0].path : "",
                    strerror(errno));
    for (i = 0; i < n; i++) {
        open_targets[i].fd = -1;
        open_targets[i].old_size = -1; /* nothing to truncate until the file is locked */
        opened = i + 1;
        if (open_target(targets, open_targets, i, why, whylen) != 0)
            goto rollback;
    }
    {
        size_t order[n ? n : 1];

        for (i = 0; i < n; i++)
            order[i] = i;
        ordering = open_targets;
        qsort(order, n, sizeof order[0], lock_order);
        for (i = 0; i < n; i++)
            if (lock_target(targets, open_targets, order[i], why, whylen) != 0)
                goto rollback;
    }
    for (i = 0; i < n; i++)
        if (append_rows(&open_targets[i], &targets[i]) != 0) {
            fail(why, whylen, "cannot write '%s': %s", targets[i].path, strerror(errno));
            goto rollback;
        }
    for (i = 0; i < n; i++) /* what was mended, for the caller to say */
        if (open_targets[i].cut)
            note_cut(&open_targets[i], targets[i].path, why, whylen);
    for (i = 0; i < n; i++) { /* closing gives the locks back */
        if (close(open_targets[i].fd) != 0 && rc == 0)
            rc = fail(why, whylen, "cannot write '%s': %s", targets[i].path, strerror(errno));
        free(open_targets[i].torn);
    }
    free(open_targets);
    return rc;

rollback:
    saved = errno;
    for (i = 0; i < opened; i++) {
        struct open_target *o = &open_targets[i];

        if (o->fd >= 0 && roll_back(o) != 0) {
            size_t used = strlen(why);

            snprintf(why + used, whylen - used,
                     "; the torn last row of '%s' (%zu bytes) could not be put back: %s",
                     targets[i].path, o->torn_len, strerror(errno));
        }
        if (o->fd >= 0 && o->created)
            unlink(targets[i].path);
        if (o->fd >= 0)
            close(o->fd);
        free(o->torn);
    }
    free(open_targets);
    errno = saved;
    return -1;
}

/* ---- reading ------------------------------------------------------------------ */

static int add_pointer(char ***v, size_t *n, size_t *cap, char *p)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, c * sizeof *nv);
        if (nv == NULL)
            return -1;
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = p;
    return 0;
}

static int add_row(struct csv_table *t, size_t *cap, char **fields, size_t nfields, size_t line)
{
    if (t->nrows == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        struct csv_row *nr = realloc(t->rows, c * sizeof *nr);
        if (nr == NULL)
            return -1;
        t->rows = nr;
        *cap = c;
    }
    t->rows[t->nrows].fields = fields;
    t->rows[t->nrows].line = line;
    t->rows[t->nrows++].nfields = nfields;
    return 0;
}

/* s for a one-line message: at most `max` bytes of it, control characters as '?',
 * "..." when it was cut. */
static void shown(const char *s, size_t max, char *buf, size_t len)
{
    size_t n = 0;

    if (max + 4 > len) /* room for "..." and the NUL */
        max = len - 4;
    for (; *s != '\0' && n < max; s++, n++)
        buf[n] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    memcpy(buf + n, *s != '\0' ? "..." : "", *s != '\0' ? 4 : 1);
}

/* "column wall_s", by the header's name for field `col` (from 0), or "column 3" (from
 * 1) where the header has none: the header itself, a row longer than it. */
static void column_name(const struct csv_table *t, size_t col, char *buf, size_t len)
{
    if (t->nrows > 0 && col < t->rows[0].nfields && t->rows[0].fields[col][0] != '\0') {
        char name[48];

        shown(t->rows[0].fields[col], 40, name, sizeof name);
        snprintf(buf, len, "column %s", name);
    } else {
        snprintf(buf, len, "column %zu", col + 1);
    }
}

/* Says into t->error what is wrong at `line` (and in field `field`, unless it is
 * SIZE_MAX: the whole row). */
__attribute__((format(printf, 4, 5))) static void parse_error(struct csv_table *t, size_t line,
                                                             size_t field, const char *fmt,
                                                             ...)
{
    char where[64] = "", what[160]; /* with "line N, ": less than t->error's 256 */
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (field != SIZE_MAX)
        column_name(t, field, where, sizeof where);
    snprintf(t->error, sizeof t->error, "line %zu%s%s: %s", line, where[0] ? ", " : "", where,
             what);
}

/* 1 when r is at the end of a line: "\n", "\r\n" (counted at its "\n") or a lone "\r". */
static int ends_line(const char *r, const char *end)
{
    return *r == '\n' || (*r == '\r' && !(r + 1 < end && r[1] == '\n'));
}

/* csv_parse on text that the table takes over: len + 1 bytes from malloc.  With
 * one_line_rows, a quoted field that runs on to another line is refused. */
static int parse_owned(char *text, size_t len, bool one_line_rows, struct csv_table *t)
{
    size_t rows_cap = 0, line = 1;
    char *r, *end, *wp;

    t->nrows = 0;
    t->rows = NULL;
    t->error[0] = '\0';
    t->text = text;
    t->text[len] = '\0';

    /* Fields are unquoted in place: the write pointer wp never passes the read
     * pointer r, and each field's end is marked with a NUL after its delimiter has
     * been read.  `line` is the line r is on. */
    r = wp = t->text;
    end = t->text + len;
    while (r < end) {
        /* as many fields as the header, as a rule: one allocation a row */
        size_t nfields = 0, fields_cap = t->nrows > 0 ? t->rows[0].nfields : 0, row_line = line;
        char **fields = fields_cap ? malloc(fields_cap * sizeof *fields) : NULL;
        char delim;

        if (fields_cap > 0 && fields == NULL)
            goto fail;

        do {
            char *start = wp;
            size_t field_line = line;

            if (*r == '"') {
                for (r++;; r++) {
                    if (r >= end) {
                        parse_error(t, field_line, nfields,
                                    "a quote opens this field and never closes");
                        goto malformed;
                    }
                    if (*r == '"') {
                        if (r + 1 < end && r[1] == '"')
                            r++;
                        else
                            break;
                    } else if (ends_line(r, end)) {
                        line++;
                    }
                    *wp++ = *r;
                }
                r++; /* the closing quote: a delimiter must follow it */
                if (one_line_rows && line != field_line) {
                    parse_error(t, field_line, nfields,
                                "the quote that opens this field closes on line %zu: a quote "
                                "left open? (no field of these files holds a line break)",
                                line);
                    goto malformed;
                }
                if (r < end && *r != ',' && *r != '\n' && *r != '\r') {
                    if (line == field_line)
                        parse_error(t, field_line, nfields,
                                    "text follows the quote that closes this field");
                    else /* most likely a quote left open, closed by another field's */
                        parse_error(t, field_line, nfields,
                                    "the quote that opens this field closes on line %zu, "
                                    "where text follows it (a quote left open?)",
                                    line);
                    goto malformed;
                }
            }
            for (; r < end && *r != ',' && *r != '\n' && *r != '\r'; r++) {
                if (*r == '"') {
                    parse_error(t, field_line, nfields,
                                "a quote inside a field that does not start with one");
                    goto malformed;
                }
                *wp++ = *r;
            }
            delim = r < end ? *r : '\n';
            if (r < end)
                r++;
            if (delim == '\r' && r < end && *r == '\n')
                r++;
            if (delim != ',')
                line++;
            *wp++ = '\0';
            if (add_pointer(&fields, &nfields, &fields_cap, start) != 0) {
                free(fields);
                goto fail;
            }
        } while (delim == ',');

        if (nfields == 1 && fields[0][0] == '\0') { /* a blank line */
            free(fields);
            continue;
        }
        if (t->nrows > 0 && nfields > t->rows[0].nfields) { /* rows merged by a quote? */
            if (line - row_line > 1)
                parse_error(t, row_line, SIZE_MAX,
                            "%zu fields, the header has %zu (a quoted field runs on to line "
                            "%zu: a quote left open?)",
                            nfields, t->rows[0].nfields, line - 1);
            else
                parse_error(t, row_line, SIZE_MAX, "%zu fields, the header has %zu", nfields,
                            t->rows[0].nfields);
            goto malformed;
        }
        if (add_row(t, &rows_cap, fields, nfields, row_line) != 0) {
            free(fields);
            goto fail;
        }
        continue;
    malformed:
        free(fields);
        goto invalid;
    }
    return 0;
invalid:
    csv_table_release(t);
    errno = EINVAL;
    return -1;
fail:
    csv_table_release(t);
    return -1;
}

int csv_parse(const char *text, size_t len, struct csv_table *t)
{
    char *copy = malloc(len + 1);

    t->nrows = 0;
    t->rows = NULL;
    t->text = NULL;
    t->error[0] = '\0';
    if (copy == NULL)
        return -1;
    memcpy(copy, text, len);
    return parse_owned(copy, len, false, t);
}

int csv_read_file(const char *path, struct csv_table *t)
{
    char *buf = NULL;
    size_t len = 0, cap = 65536;
    struct stat st;
    int fd, saved;

    t->nrows = 0;
    t->rows = NULL;
    t->text = NULL;
    t->error[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size >= cap)
        cap = (size_t)st.st_size + 1; /* one read for the whole file, as a rule */
    for (;;) {
        ssize_t n;

        if (buf == NULL || len + 1 == cap) { /* room for the parser's NUL */
            size_t c = buf == NULL ? cap : cap * 2;
            char *nb = realloc(buf, c);
            if (nb == NULL)
                goto fail;
            buf = nb;
            cap = c;
        }
        n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    return parse_owned(buf, len, true, t); /* the table owns buf, also when it fails */
fail:
    saved = errno;
    free(buf);
    close(fd);
    errno = saved;
    return -1;
}

int csv_column(const struct csv_table *t, const char *name)
{
    if (t->nrows == 0)
        return -1;
    for (size_t i = 0; i < t->rows[0].nfields; i++)
        if (strcmp(t->rows[0].fields[i], name) == 0)
            return (int)i;
    return -1;
}

const char *csv_field(const struct csv_table *t, size_t row, int col)
{
    if (row >= t->nrows || col < 0 || (size_t)col >= t->rows[row].nfields)
        return "";
    return t->rows[row].fields[col];
}

void csv_table_release(struct csv_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        free(t->rows[i].fields);
    free(t->rows);
    free(t->text);
    t->rows = NULL;
    t->text = NULL;
    t->nrows = 0;
}

int csv_read_error(const struct csv_table *t, const char *path, char *why, size_t whylen)
{
    int saved = errno;

    if (saved == EINVAL && t->error[0] != '\0')
        snprintf(why, whylen, "'%s' %s", path, t->error);
    else
        snprintf(why, whylen, "cannot read '%s': %s", path, strerror(saved));
    errno = saved;
    return -1;
}

int csv_field_error(const struct csv_table *t, const char *path, size_t row, int col,
                    const char *what, char *why, size_t whylen)
{
    char where[64], value[64];

    assert(col >= 0); /* a column the caller found */
    column_name(t, (size_t)col, where, sizeof where);
    shown(csv_field(t, row, col), 40, value, sizeof value);
    snprintf(why, whylen, "'%s' line %zu, %s: \"%s\" %s", path,
             row < t->nrows ? t->rows[row].line : 0, where, value, what);
    errno = EINVAL;
    return -1;
}

int csv_parse_seconds(const char *s, double *out)
{
    /* "-0.000000000" is a zero (a tiny negative difference printed with %.9f) */
    const char *digits = s[0] == '-' ? s + 1 : s;
    char *end;

    if (!((digits[0] >= '0' && digits[0] <= '9') ||
          (digits[0] == '.' && digits[1] >= '0' && digits[1] <= '9')) ||
        s[strspn(s, "0123456789.eE+-")] != '\0') /* no hex, nan, inf, blanks */
        return -1;
    errno = 0;
    *out = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(*out) || *out < 0)
        return -1;
    if (*out == 0)
        *out = 0; /* not -0 */
    return 0;
}
