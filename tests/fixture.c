/*
 * fixture.c - copies of the results fixtures, edited line by line.
 */
#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

char *fixture_copy(const char *from)
{
    /* runs.csv and jobs.csv must be there; the others are copied where they are */
    static const char *const names[] = {"runs.csv", "jobs.csv", "slices.csv", "granularity.csv",
                                        "overhead.csv"};
    char *dir = tu_tmpdir();

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *src = tu_path(from, names[i]), *dst = tu_path(dir, names[i]);
        char *text = tu_read_file(src);

        ck_assert_msg(text != NULL || i >= 2, "cannot read %s", src);
        if (text != NULL)
            tu_write_file(dst, text);
        free(text);
        free(src);
        free(dst);
    }
    return dir;
}

void fixture_rewrite(const char *dir, const char *file, fixture_edit *edit)
{
    char *path = tu_path(dir, file), *text = tu_read_file(path), *line, *save = NULL;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(f);
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        const char *extra = NULL, *kept = edit(line, &extra);

        if (kept != NULL)
            fprintf(f, "%s\n", kept);
        if (extra != NULL)
            fprintf(f, "%s\n", extra);
    }
    ck_assert_int_eq(fclose(f), 0);
    tu_write_file(path, out);
    free(out);
    free(text);
    free(path);
}

const char *fixture_serial_only(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, "parlab-threads") || strstr(line, "parlab-procs") ? NULL : line;
}

const char *fixture_no_serial(const char *line, const char **extra)
{
    (void)extra;
    return strstr(line, "parlab-serial") ? NULL : line;
}

/* The fake backend's copy of a procs row, or NULL. */
static const char *fake_runs(const char *line, const char **extra)
{
    static char header[4096], row[4096];
    const char *procs = strstr(line, ",parlab-procs,");

    if (strncmp(line, "run_id,", 7) == 0) {
        if (strstr(line, ",worker_kind") != NULL)
            return line;
        snprintf(header, sizeof header, "%s,worker_kind", line);
        return header;
    }
    if (procs != NULL) {
        /* the fixture may lack the worker_kind column: its rows then end before it */
        snprintf(row, sizeof row, "fake-%.*s,parlab-fake,%s%s", (int)(procs - line), line,
                 procs + strlen(",parlab-procs,"), strstr(line, ",process") ? "" : ",process");
        *extra = row;
    }
    return line;
}

static char **procs_runs; /* the run ids of the procs runs, NULL-terminated */

static const char *fake_jobs(const char *line, const char **extra)
{
    static char row[4096];

    for (char **id = procs_runs; *id != NULL; id++)
        if (strncmp(line, *id, strlen(*id)) == 0 && line[strlen(*id)] == ',') {
            snprintf(row, sizeof row, "fake-%s", line);
            *extra = row;
        }
    return line;
}

void fixture_add_fake_backend(const char *dir)
{
    char *path = tu_path(dir, "runs.csv"), *text = tu_read_file(path);
    size_t n = 0;

    ck_assert_ptr_nonnull(text);
    procs_runs = calloc(fixture_count(text, "\n") + 1, sizeof *procs_runs);
    ck_assert_ptr_nonnull(procs_runs);
    for (const char *p = text; (p = strstr(p, ",parlab-procs,")) != NULL; p++) {
        const char *start = p;

        while (start > text && start[-1] != '\n')
            start--;
        procs_runs[n] = strndup(start, (size_t)(p - start));
        ck_assert_ptr_nonnull(procs_runs[n]);
        n++;
    }
    ck_assert_uint_gt(n, 0);
    fixture_rewrite(dir, "runs.csv", fake_runs);
    fixture_rewrite(dir, "jobs.csv", fake_jobs);
    for (size_t i = 0; i < n; i++)
        free(procs_runs[i]);
    free(procs_runs);
    procs_runs = NULL;
    free(text);
    free(path);
}

/* fixture_add_simd's edit: the three columns. */
static const char *simd_columns(const char *line, const char **extra)
{
    static char buf[1024];

    (void)extra;
    snprintf(buf, sizeof buf, "%s%s", line,
             strncmp(line, "run_id,", 7) == 0 ? ",kernel,isa,other_cpu_s" : ",,,0.000000");
    return buf;
}

void fixture_add_simd(const char *dir, const char *busy_s)
{
    static const struct {
        const char *id, *program, *workers, *wall[3];
    } runs[] = {
        {"simd-serial", "parlab-serial", "1", {"0.450000000", "0.500000000", "0.550000000"}},
        {"simd-threads-1", "parlab-threads", "1", {"0.450000000", "0.500000000", "0.550000000"}},
        {"simd-threads-2", "parlab-threads", "2", {"0.245000000", "0.255000000", "0.265000000"}},
    };
    char *path = tu_path(dir, "runs.csv");
    FILE *f;

    fixture_rewrite(dir, "runs.csv", simd_columns);
    f = fopen(path, "a");
    ck_assert_ptr_nonnull(f);
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++)
        for (int rep = 0; rep < 3; rep++)
            fprintf(f,
                    "20261125T153740.000000Z-vm-%s-%d,%s,%s,4,80,none,none,%d,%s,0.500000,"
                    "0.000000,4,vm,2,2026-11-25T15:37:40.%03dZ,,simd,avx2,%s\n",
                    runs[k].id, rep + 1, runs[k].program, runs[k].workers, rep + 1,
                    runs[k].wall[rep], (int)k * 10 + rep,
                    strcmp(runs[k].workers, "2") == 0 && k == 2 ? busy_s : "0.000000");
    ck_assert_int_eq(fclose(f), 0);
    free(path);
}

char *fixture_line(const char *text, const char *prefix)
{
    for (const char *p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (strncmp(p, prefix, strlen(prefix)) == 0)
            return strndup(p, strcspn(p, "\n"));
    return NULL;
}

size_t fixture_count(const char *text, const char *needle)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Splits a CSV line of parlab's at its commas, in place; a quoted field ("dynamic,1")
 * keeps its quotes, and may hold no quote itself. */
static size_t split_fields(char *line, char **fields, size_t most)
{
    size_t n = 0;

    for (char *p = line;; p++) {
        ck_assert_uint_lt(n, most);
        fields[n++] = p;
        if (*p == '"') {
            char *close = strchr(p + 1, '"');

            ck_assert_msg(close != NULL && close[1] != '"', "a quote in a field of: %s", line);
            p = close + 1;
        }
        p += strcspn(p, ",");
        if (*p == '\0')
            return n;
        *p = '\0';
    }
}

static bool matches(const char *want, const char *have)
{
    return want == NULL || strcmp(want, have) == 0;
}

size_t fixture_set(const char *dir, const struct fixture_rows *which, const char *column,
                   const char *value, double scale)
{
    enum { MOST = 64 };
    char *path = tu_path(dir, "runs.csv"), *text = tu_read_file(path), *line, *save = NULL;
    char *header[MOST], *out = NULL, number[64];
    size_t len = 0, ncols = 0, changed = 0;
    int col = -1, c_program = -1, c_lock = -1, c_workers = -1, c_switch = -1, c_payload = -1,
        c_pin = -1, c_rep = -1;
    FILE *f = open_memstream(&out, &len);

    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(f);
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *fields[MOST];
        size_t n;

        if (ncols == 0) { /* the header: where each column is */
            fprintf(f, "%s\n", line);
            ncols = split_fields(line, header, MOST);
            for (size_t k = 0; k < ncols; k++) {
                int *at = strcmp(header[k], column) == 0        ? &col
                          : strcmp(header[k], "program") == 0   ? &c_program
                          : strcmp(header[k], "lock") == 0      ? &c_lock
                          : strcmp(header[k], "workers") == 0   ? &c_workers
                          : strcmp(header[k], "switch_ms") == 0 ? &c_switch
                          : strcmp(header[k], "payload_bytes") == 0 ? &c_payload
                          : strcmp(header[k], "pin") == 0       ? &c_pin
                          : strcmp(header[k], "rep") == 0       ? &c_rep
                                                                : NULL;
                if (at != NULL)
                    *at = (int)k;
            }
            ck_assert_msg(col >= 0, "%s has no column %s", path, column);
            continue;
        }
        n = split_fields(line, fields, MOST);
        ck_assert_uint_eq(n, ncols);
        if (matches(which->program, fields[c_program]) && matches(which->lock, fields[c_lock]) &&
            (which->workers == 0 || strtoul(fields[c_workers], NULL, 10) == which->workers) &&
            (c_switch < 0 || matches(which->switch_ms, fields[c_switch])) &&
            (c_payload < 0 || matches(which->payload, fields[c_payload])) &&
            matches(which->pin, fields[c_pin]) &&
            (which->rep == 0 || strtol(fields[c_rep], NULL, 10) == which->rep)) {
            if (value == NULL) {
                snprintf(number, sizeof number, "%.9f", strtod(fields[col], NULL) * scale);
                fields[col] = number;
            } else {
                fields[col] = (char *)value;
            }
            changed++;
        }
        for (size_t k = 0; k < n; k++)
            fprintf(f, "%s%s", k ? "," : "", fields[k]);
        fprintf(f, "\n");
    }
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_msg(changed > 0, "no row of %s matches", path);
    tu_write_file(path, out);
    free(out);
    free(text);
    free(path);
    return changed;
}
