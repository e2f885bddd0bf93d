/*
 * check_csv.c - rows are quoted, appended whole, and read back as written.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parlab/csv.h"

#include "testutil.h"

static const char header[] = "a,b,c";

static void one_row(struct csv_writer *w, const char *a, long long b, double c)
{
    csv_put_str(w, a);
    csv_put_int(w, b);
    csv_put_double(w, c, 17);
    csv_end_row(w);
}

/* Commits the writer's rows to one file through a spool, as the programs do. */
static int csv_append(const char *path, const char *hdr, struct csv_writer *w, char *why,
                      size_t whylen)
{
    struct csv_spool spool;
    struct csv_target target = {path, hdr, &spool};
    int rc;

    ck_assert_int_eq(csv_spool_open(&spool), 0);
    ck_assert_int_eq(csv_spool_add(&spool, w), 0);
    rc = csv_commit(&target, 1, why, whylen);
    csv_spool_close(&spool);
    return rc;
}

START_TEST(fields_that_need_it_are_quoted)
{
    struct csv_writer w;

    csv_writer_init(&w);
    csv_put_str(&w, "plain");
    csv_put_str(&w, "a,b");
    csv_put_str(&w, "say \"hi\"");
    csv_put_str(&w, "two\nlines");
    csv_put_str(&w, "");
    csv_end_row(&w);
    ck_assert_str_eq(w.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
    csv_writer_release(&w);
}
END_TEST

START_TEST(what_is_written_is_read_back)
{
    static const char *const values[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "",
                                         "x\r\ny", "\"", ",,,"};
    const size_t n = sizeof values / sizeof values[0];
    struct csv_writer w;
    struct csv_table t;

    csv_writer_init(&w);
    for (size_t i = 0; i < n; i++)
        csv_put_str(&w, values[i]);
    csv_end_row(&w);
    csv_put_fixed(&w, 0.5, 3);
    csv_put_uint(&w, 18446744073709551615ull);
    csv_end_row(&w);

    ck_assert_int_eq(csv_parse(w.data, w.len, &t), 0);
    ck_assert_uint_eq(t.nrows, 2);
    ck_assert_uint_eq(t.rows[0].nfields, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(t.rows[0].fields[i], values[i]);
    ck_assert_str_eq(csv_field(&t, 1, 0), "0.500");
    ck_assert_str_eq(csv_field(&t, 1, 1), "18446744073709551615");
    ck_assert_str_eq(csv_field(&t, 1, 2), ""); /* past the row's end */
    csv_table_release(&t);
    csv_writer_release(&w);
}
END_TEST

START_TEST(parser_takes_crlf_and_skips_blank_lines)
{
    static const char text[] = "x,y\r\n1,2\r\n\r\n3,\n";
    struct csv_table t;

    ck_assert_int_eq(csv_parse(text, strlen(text), &t), 0);
    ck_assert_uint_eq(t.nrows, 3);
    ck_assert_int_eq(csv_column(&t, "y"), 1);
    ck_assert_int_eq(csv_column(&t, "z"), -1);
    ck_assert_str_eq(csv_field(&t, 1, 1), "2");
    ck_assert_str_eq(csv_field(&t, 2, 0), "3");
    ck_assert_str_eq(csv_field(&t, 2, 1), "");
    csv_table_release(&t);
}
END_TEST

START_TEST(parser_rejects_an_unterminated_quote)
{
    static const char text[] = "a,\"b\n";
    struct csv_table t;

    errno = 0;
    ck_assert_int_eq(csv_parse(text, strlen(text), &t), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* csv_parse refuses text, errno EINVAL, with t.error holding each of the parts. */
static void refused(const char *text, const char *const *parts)
{
    struct csv_table t;

    errno = 0;
    ck_assert_msg(csv_parse(text, strlen(text), &t) == -1, "accepted: %s", text);
    ck_assert_int_eq(errno, EINVAL);
    for (const char *const *p = parts; *p != NULL; p++)
        ck_assert_msg(strstr(t.error, *p) != NULL, "'%s' lacks '%s' (for %s)", t.error, *p, text);
}

#define REFUSED(text, ...) refused(text, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(malformed_quoting_is_refused_with_its_line_and_column)
{
    static const char lines[] = "a,b\n\"x\ny\",1\n\n2,3\n";
    struct csv_table t;

    /* a quoted field may hold line breaks: lines are the file's, not the rows' */
    ck_assert_int_eq(csv_parse(lines, strlen(lines), &t), 0);
    ck_assert_uint_eq(t.nrows, 3);
    ck_assert_uint_eq(t.rows[0].line, 1);
    ck_assert_uint_eq(t.rows[1].line, 2);
    ck_assert_uint_eq(t.rows[2].line, 5);
    csv_table_release(&t);

    /* a quote left open in row 2 and closed by row 3's: no longer one merged row */
    REFUSED("a,b,c\n1,\"2,3\n4,5,\"6\"\n", "line 2, column b", "line 3");
    REFUSED("a,b,c\n\"x\ny\",1,2\n4,\"5\n", "line 4, column b", "never closes");
    REFUSED("a,b,c\n1,\"2\"x,3\n", "line 2, column b", "follows");
    REFUSED("a,b,c\n1,2\"x,3\n", "line 2, column b", "quote");
    REFUSED("a,b\n1,2\n3,4,5\n", "line 3: 3 fields, the header has 2");
    REFUSED("a,\"b\"c\n", "line 1, column 2");
}
END_TEST

START_TEST(a_file_read_back_holds_no_field_across_lines)
{
    /* a quote left open at the end of row 2 and closed at the end of row 4 would make
     * the rows between one field, every row as wide as the header */
    static const char text[] = "a,b\n1,\"x\n2,y\n3,z\"\n4,w\n";
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv");
    struct csv_table t;

    ck_assert_int_eq(csv_parse(text, strlen(text), &t), 0); /* RFC 4180 allows it */
    ck_assert_uint_eq(t.nrows, 3);
    csv_table_release(&t);
    tu_write_file(path, text);
    errno = 0;
    ck_assert_int_eq(csv_read_file(path, &t), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_msg(strstr(t.error, "line 2, column b") && strstr(t.error, "line 4"), "%s",
                  t.error);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(times_in_seconds_are_decimal_finite_and_not_negative)
{
    static const struct {
        const char *text;
        double value;
    } good[] = {{"0", 0},         {"1.5", 1.5},   {"0.000021322", 0.000021322},
                {"1e-05", 1e-05}, {".5", 0.5},    {"12.000000000", 12},
                {"-0.000000000", 0}};
    static const char *const bad[] = {"nan",  "NaN", "inf",  "-inf",  "infinity", "-5",
                                      "-5.00", "0x1p3", "0X10", " 5", "5 ",   "+5",
                                      "",     "2s",  "1e999", "-", ".",    "1,5"};
    double x;

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(csv_parse_seconds(good[i].text, &x) == 0, "refused %s", good[i].text);
        ck_assert_double_eq(x, good[i].value);
        ck_assert(!signbit(x)); /* -0 is 0 */
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(csv_parse_seconds(bad[i], &x) == -1, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(append_writes_the_header_once)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), why[256], *text;
    struct csv_writer w;

    csv_writer_init(&w);
    one_row(&w, "first", 1, 0.25);
    ck_assert_int_eq(csv_check_target(path, header, why, sizeof why), 0);
    ck_assert_int_eq(csv_append(path, header, &w, why, sizeof why), 0);
    ck_assert_uint_eq(w.len, 0); /* the spool took the rows */
    ck_assert_int_eq(csv_check_target(path, header, why, sizeof why), 0);
    one_row(&w, "first", 1, 0.25);
    ck_assert_int_eq(csv_append(path, header, &w, why, sizeof why), 0);
    text = tu_read_file(path);
    ck_assert_str_eq(text, "a,b,c\nfirst,1,0.25\nfirst,1,0.25\n");
    free(text);
    csv_writer_release(&w);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(an_empty_file_gets_the_header)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), why[256], *text;
    struct csv_writer w;

    tu_write_file(path, "");
    csv_writer_init(&w);
    one_row(&w, "r", 2, 1.5);
    ck_assert_int_eq(csv_append(path, header, &w, why, sizeof why), 0);
    text = tu_read_file(path);
    ck_assert_str_eq(text, "a,b,c\nr,2,1.5\n");
    free(text);
    csv_writer_release(&w);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_file_with_other_columns_is_refused_and_kept)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), why[256], *text;
    struct csv_writer w;

    tu_write_file(path, "other,columns\n1,2\n");
    csv_writer_init(&w);
    one_row(&w, "r", 2, 1.5);
    ck_assert_int_eq(csv_check_target(path, header, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, path));
    ck_assert_int_eq(csv_append(path, header, &w, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "other columns"));
    text = tu_read_file(path);
    ck_assert_str_eq(text, "other,columns\n1,2\n");
    free(text);
    csv_writer_release(&w);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_header_prefix_is_not_the_header)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), why[256];

    tu_write_file(path, "a,b,c,d\n1,2,3,4\n");
    ck_assert_int_eq(csv_check_target(path, header, why, sizeof why), -1);
    free(path);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_full_device_fails_with_the_reason)
{
    char why[256];
    struct csv_writer w;

    csv_writer_init(&w);
    one_row(&w, "r", 2, 1.5);
    ck_assert_int_eq(csv_append("/dev/full", header, &w, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "'/dev/full'") && strstr(why, "No space left on device"),
                  "message: %s", why);
    csv_writer_release(&w);
}
END_TEST

START_TEST(a_path_under_a_regular_file_fails_and_creates_nothing)
{
    char *dir = tu_tmpdir(), *file = tu_path(dir, "plain"), *path = tu_path(file, "x.csv");
    char why[256];
    struct csv_writer w;
    struct stat st;

    tu_write_file(file, "not a directory\n");
    csv_writer_init(&w);
    one_row(&w, "r", 2, 1.5);
    ck_assert_int_eq(csv_check_target(path, header, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "Not a directory") != NULL, "message: %s", why);
    ck_assert_int_eq(csv_append(path, header, &w, why, sizeof why), -1);
    ck_assert_int_eq(stat(path, &st), -1);
    csv_writer_release(&w);
    free(path);
    free(file);
    tu_rmrf(dir);
}
END_TEST

START_TEST(a_directory_or_a_missing_directory_is_refused)
{
    char *dir = tu_tmpdir(), *missing = tu_path(dir, "no/such/x.csv"), why[256];

    ck_assert_int_eq(csv_check_target(dir, header, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "directory") != NULL, "message: %s", why);
    ck_assert_int_eq(csv_check_target(missing, header, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "No such file or directory") != NULL, "message: %s", why);
    ck_assert_int_eq(csv_check_target("", header, why, sizeof why), -1);
    free(missing);
    tu_rmrf(dir);
}
END_TEST

START_TEST(commit_is_all_or_nothing_across_files)
{
    char *dir = tu_tmpdir(), *old = tu_path(dir, "old.csv"), *fresh = tu_path(dir, "new.csv");
    char why[256], *text;
    struct csv_writer w;
    struct csv_spool a, b, c;
    struct stat st;

    tu_write_file(old, "a,b,c\nkept,0,0\n");
    csv_writer_init(&w);
    ck_assert_int_eq(csv_spool_open(&a), 0);
    ck_assert_int_eq(csv_spool_open(&b), 0);
    ck_assert_int_eq(csv_spool_open(&c), 0);
    one_row(&w, "a", 1, 1);
    ck_assert_int_eq(csv_spool_add(&a, &w), 0);
    one_row(&w, "b", 2, 2);
    ck_assert_int_eq(csv_spool_add(&b, &w), 0);
    one_row(&w, "c", 3, 3);
    ck_assert_int_eq(csv_spool_add(&c, &w), 0);

    /* The third file cannot take its rows: the first two must be as they were. */
    const struct csv_target targets[] = {
        {old, header, &a}, {fresh, header, &b}, {"/dev/full", header, &c}};
    ck_assert_int_eq(csv_commit(targets, 3, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "/dev/full") != NULL, "message: %s", why);
    text = tu_read_file(old);
    ck_assert_str_eq(text, "a,b,c\nkept,0,0\n");
    free(text);
    ck_assert_int_eq(stat(fresh, &st), -1);

    /* Without it, both are written, and the spools can be committed again. */
    ck_assert_int_eq(csv_commit(targets, 2, why, sizeof why), 0);
    text = tu_read_file(old);
    ck_assert_str_eq(text, "a,b,c\nkept,0,0\na,1,1\n");
    free(text);
    text = tu_read_file(fresh);
    ck_assert_str_eq(text, "a,b,c\nb,2,2\n");
    free(text);
    csv_spool_close(&a);
    csv_spool_close(&b);
    csv_spool_close(&c);
    csv_writer_release(&w);
    free(old);
    free(fresh);
    tu_rmrf(dir);
}
END_TEST

START_TEST(one_file_named_twice_is_refused)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), *other = tu_path(dir, "./x.csv");
    char *dotted = tu_path(dir, "../");
    char why[256];
    struct csv_writer w;
    struct csv_spool a;
    struct stat st;

    ck_assert_int_eq(csv_same_file(path, other), 1); /* neither exists yet */
    ck_assert_int_eq(csv_same_file(path, dotted), 0);
    csv_writer_init(&w);
    ck_assert_int_eq(csv_spool_open(&a), 0);
    one_row(&w, "a", 1, 1);
    ck_assert_int_eq(csv_spool_add(&a, &w), 0);
    const struct csv_target targets[] = {{path, header, &a}, {other, header, &a}};
    ck_assert_int_eq(csv_commit(targets, 2, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "same file") != NULL, "message: %s", why);
    ck_assert_int_eq(stat(path, &st), -1);
    tu_write_file(path, "a,b,c\nkept,0,0\n");
    ck_assert_int_eq(csv_same_file(path, other), 1); /* both exist */
    ck_assert_int_eq(csv_commit(targets, 2, why, sizeof why), -1);
    char *text = tu_read_file(path);
    ck_assert_str_eq(text, "a,b,c\nkept,0,0\n"); /* untouched */
    free(text);
    csv_spool_close(&a);
    csv_writer_release(&w);
    free(path);
    free(other);
    free(dotted);
    tu_rmrf(dir);
}
END_TEST


/* Appends one row to a file holding `before`; returns the file's text after. */
static char *append_one_row(const char *before, int *rc, char *why, size_t whylen)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), *text;
    struct csv_writer w;

    tu_write_file(path, before);
    csv_writer_init(&w);
    one_row(&w, "r", 2, 1.5);
    *rc = csv_append(path, header, &w, why, whylen);
    text = tu_read_file(path);
    csv_writer_release(&w);
    free(path);
    tu_rmrf(dir);
    return text;
}

/* A whole last row that only lacks its newline (a writer stopped between the row and
 * it, an editor saved it so) is kept: the newline first, then the new rows. */
START_TEST(a_whole_last_row_without_its_newline_is_kept)
{
    static const struct {
        const char *before, *after;
    } cases[] = {
        {"a,b,c\nkept,0,0\nlast,1,1", "a,b,c\nkept,0,0\nlast,1,1\nr,2,1.5\n"},
        {"a,b,c\nlast,\"x,y\",\"say \"\"hi\"\"\"", /* commas and quotes inside quotes */
         "a,b,c\nlast,\"x,y\",\"say \"\"hi\"\"\"\nr,2,1.5\n"},
        {"a,b,c\nlast,1,1,extra", "a,b,c\nlast,1,1,extra\nr,2,1.5\n"}, /* not a tear */
        {"a,b,c", "a,b,c\nr,2,1.5\n"}, /* the header alone */
    };
    char why[512];
    int rc;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = append_one_row(cases[i].before, &rc, why, sizeof why);

        ck_assert_msg(rc == 0, "%s: %s", cases[i].before, why);
        ck_assert_str_eq(text, cases[i].after);
        ck_assert_msg(why[0] == '\0', "nothing was cut, yet: %s", why);
        free(text);
    }
}
END_TEST

/* A file that is the header alone, without its newline, is not "other columns". */
START_TEST(a_header_without_its_newline_is_the_header)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), why[256];

    tu_write_file(path, "a,b,c");
    ck_assert_msg(csv_check_target(path, header, why, sizeof why) == 0, "said: %s", why);
    tu_write_file(path, "a,b,cd"); /* but a longer first line is another header */
    ck_assert_int_eq(csv_check_target(path, header, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "other columns"));
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* A torn last row (fewer fields than the header, or an open quote) is cut off, and
 * the commit says so, with the file and the fields it found. */
START_TEST(a_torn_last_row_is_cut_off_and_said)
{
    static const struct {
        const char *before, *after, *why;
    } cases[] = {
        {"a,b,c\nkept,0,0\ntorn,1", "a,b,c\nkept,0,0\nr,2,1.5\n", "2 of 3 fields"},
        {"a,b,c\nkept,0,0\nt", "a,b,c\nkept,0,0\nr,2,1.5\n", "1 of 3 fields"},
        {"a,b,c\nkept,0,0\ntorn,\"x,y,z", "a,b,c\nkept,0,0\nr,2,1.5\n", "open quote"},
    };
    char why[512];
    int rc;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = append_one_row(cases[i].before, &rc, why, sizeof why);

        ck_assert_msg(rc == 0, "%s: %s", cases[i].before, why);
        ck_assert_str_eq(text, cases[i].after);
        ck_assert_msg(strstr(why, "torn") && strstr(why, "x.csv") && strstr(why, cases[i].why),
                      "%s: said '%s'", cases[i].before, why);
        free(text);
    }
}
END_TEST

/* A commit that fails on its second file puts the first back byte for byte: the
 * newline its last row lacked is not added, and a torn row it cut off is back. */
START_TEST(a_failed_commit_puts_back_a_torn_row_and_a_missing_newline)
{
    static const char *const befores[] = {"a,b,c\nkept,0,0\ntorn,1", "a,b,c\nkept,0,0\nlast,1,1",
                                          "a,b,c", "a,b,c\nkept,\"x\ny\",0\ntorn,\"open"};
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), why[512], *text;
    struct csv_writer w;
    struct csv_spool a, b;

    csv_writer_init(&w);
    ck_assert_int_eq(csv_spool_open(&a), 0);
    ck_assert_int_eq(csv_spool_open(&b), 0);
    one_row(&w, "a", 1, 1);
    ck_assert_int_eq(csv_spool_add(&a, &w), 0);
    one_row(&w, "b", 2, 2);
    ck_assert_int_eq(csv_spool_add(&b, &w), 0);
    const struct csv_target targets[] = {{path, header, &a}, {"/dev/full", header, &b}};
    for (size_t i = 0; i < sizeof befores / sizeof befores[0]; i++) {
        tu_write_file(path, befores[i]);
        ck_assert_int_eq(csv_commit(targets, 2, why, sizeof why), -1);
        ck_assert_msg(strstr(why, "/dev/full") && !strstr(why, "put back"), "said: %s", why);
        text = tu_read_file(path);
        ck_assert_str_eq(text, befores[i]);
        free(text);
    }
    csv_spool_close(&a);
    csv_spool_close(&b);
    csv_writer_release(&w);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* A file-size limit (RLIMIT_FSIZE, in a child) during the commit: the file as it was,
 * its torn row too. */
START_TEST(a_file_size_limit_leaves_a_torn_row_in_place)
{
    static const char before[] = "a,b,c\nkept,0,0\ntorn,\"a long field that was cut";
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), *text;
    int status;
    pid_t child;

    tu_write_file(path, before);
    child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        struct rlimit limit = {sizeof before + 16, sizeof before + 16};
        struct csv_writer w;
        char why[512];
        int rc;

        signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails with EFBIG */
        csv_writer_init(&w);
        for (int i = 0; i < 20; i++)
            one_row(&w, "row", i, 0.5);
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
            rc = 3;
        else if (csv_append(path, header, &w, why, sizeof why) == 0)
            rc = 4;
        else
            rc = strstr(why, strerror(EFBIG)) ? 0 : 5;
        csv_writer_release(&w); /* valgrind counts what the child leaves */
        free(path);
        free(dir);
        _exit(rc);
    }
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    text = tu_read_file(path);
    ck_assert_str_eq(text, before);
    free(text);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* The last row is found reading backwards a block at a time: a 10 MB one is found
 * in milliseconds, not the seconds byte by byte took with the lock held (3.4 s). */
START_TEST(a_long_last_row_is_found_quickly)
{
    const size_t len = 10u << 20;
    char *dir = tu_tmpdir(), *path = tu_path(dir, "x.csv"), *text = malloc(len + 64), why[512];
    struct csv_writer w;
    struct timespec t0, t1;
    double seconds;
    size_t used;

    ck_assert_ptr_nonnull(text);
    used = (size_t)sprintf(text, "a,b,c\nlong,");
    memset(text + used, 'y', len);
    used += len;
    used += (size_t)sprintf(text + used, ",1"); /* whole, without its newline */
    tu_write_file(path, text);
    csv_writer_init(&w);
    one_row(&w, "r", 2, 1.5);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(csv_append(path, header, &w, why, sizeof why), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (getenv("PARLAB_UNDER_VALGRIND") == NULL) /* 17 ms here; valgrind is 50 times slower */
        ck_assert_msg(seconds < 1.0, "the commit took %.2f s", seconds);
    free(text);
    text = tu_read_file(path);
    ck_assert_uint_eq(strlen(text), used + strlen("\nr,2,1.5\n"));
    ck_assert_str_eq(text + used, "\nr,2,1.5\n");
    free(text);
    csv_writer_release(&w);
    free(path);
    tu_rmrf(dir);
}
END_TEST

/* Files are locked in the order of their inodes, whatever order they are given in:
 * with the lower one held elsewhere, a commit of (higher, lower) waits without holding
 * the higher one, so a program given the two the other way round can go on. */
START_TEST(files_are_locked_in_one_order_whatever_order_they_are_given_in)
{
    char *dir = tu_tmpdir(), *p = tu_path(dir, "p.csv"), *q = tu_path(dir, "q.csv"), why[256];
    struct csv_spool a, b;
    struct csv_writer w;
    struct stat sp, sq;
    const char *low, *high;
    int lo_fd, hi_fd, status;
    pid_t child;

    tu_write_file(p, "a,b,c\n");
    tu_write_file(q, "a,b,c\n");
    ck_assert_int_eq(stat(p, &sp), 0);
    ck_assert_int_eq(stat(q, &sq), 0);
    low = sp.st_ino < sq.st_ino ? p : q;
    high = low == p ? q : p;
    lo_fd = open(low, O_RDWR);
    hi_fd = open(high, O_RDWR);
    ck_assert_int_ge(lo_fd, 0);
    ck_assert_int_ge(hi_fd, 0);
    ck_assert_int_eq(flock(lo_fd, LOCK_EX), 0); /* held "by another program" */

    child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        csv_writer_init(&w);
        if (csv_spool_open(&a) != 0 || csv_spool_open(&b) != 0)
            _exit(3);
        one_row(&w, "x", 1, 1);
        csv_spool_add(&a, &w);
        one_row(&w, "y", 2, 2);
        csv_spool_add(&b, &w);
        const struct csv_target targets[] = {{high, header, &a}, {low, header, &b}};
        _exit(csv_commit(targets, 2, why, sizeof why) == 0 ? 0 : 4);
    }
    usleep(300000); /* the child is waiting for the lower one by now */
    ck_assert_msg(flock(hi_fd, LOCK_EX | LOCK_NB) == 0,
                  "the commit holds '%s' while it waits for '%s': a program locking them "
                  "the other way round would wait for ever", high, low);
    flock(hi_fd, LOCK_UN);
    flock(lo_fd, LOCK_UN);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(lo_fd);
    close(hi_fd);
    free(p);
    free(q);
    tu_rmrf(dir);
}
END_TEST

static Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");

    tcase_add_test(tc, fields_that_need_it_are_quoted);
    tcase_add_test(tc, what_is_written_is_read_back);
    tcase_add_test(tc, parser_takes_crlf_and_skips_blank_lines);
    tcase_add_test(tc, parser_rejects_an_unterminated_quote);
    tcase_add_test(tc, malformed_quoting_is_refused_with_its_line_and_column);
    tcase_add_test(tc, a_file_read_back_holds_no_field_across_lines);
    tcase_add_test(tc, times_in_seconds_are_decimal_finite_and_not_negative);
    tcase_add_test(tc, append_writes_the_header_once);
    tcase_add_test(tc, an_empty_file_gets_the_header);
    tcase_add_test(tc, a_file_with_other_columns_is_refused_and_kept);
    tcase_add_test(tc, a_header_prefix_is_not_the_header);
    tcase_add_test(tc, a_full_device_fails_with_the_reason);
    tcase_add_test(tc, a_path_under_a_regular_file_fails_and_creates_nothing);
    tcase_add_test(tc, a_directory_or_a_missing_directory_is_refused);
    tcase_add_test(tc, commit_is_all_or_nothing_across_files);
    tcase_add_test(tc, one_file_named_twice_is_refused);
    tcase_add_test(tc, files_are_locked_in_one_order_whatever_order_they_are_given_in);
    tcase_add_test(tc, a_whole_last_row_without_its_newline_is_kept);
    tcase_add_test(tc, a_header_without_its_newline_is_the_header);
    tcase_add_test(tc, a_torn_last_row_is_cut_off_and_said);
    tcase_add_test(tc, a_failed_commit_puts_back_a_torn_row_and_a_missing_newline);
    tcase_add_test(tc, a_file_size_limit_leaves_a_torn_row_in_place);
    tcase_add_test(tc, a_long_last_row_is_found_quickly);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(csv_suite());
}
