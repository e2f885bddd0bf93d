/*
 * parlab-lab - the labs' self-check: a student's answers against the student's own
 * runs, one line per question of the handout.
 *
 * The handout (labs/NN-name.md) says what to run into labs/results/labN/ and asks
 * for a table and answers; the student writes them into labs/results/labN/answers.txt
 * (from the template labs/answers-templates/labN.txt) and runs
 *
 *   bin/parlab-lab check 1                       # labs/results/lab1, its answers.txt
 *   bin/parlab-lab check 3 ~/lab3 -a my-answers.txt
 *   bin/parlab-lab template 2 > answers.txt      # lab 2's keys, to fill in
 *   bin/parlab-lab keys 2                        # how each is checked (Markdown)
 *
 * For each question it says whether the runs it needs are there, whether the machine
 * was quiet while they ran (when not, it says so instead of judging), and whether the
 * answer agrees with what the runs give.  Exit 0 when everything checks, 1 otherwise,
 * 2 for a bad command line.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "parlab/answers.h"
#include "parlab/die.h"
#include "parlab/lab.h"
#include "parlab/tool.h"

/* A path that is a regular file (through any symbolic link) or names nothing yet. */
static bool regular_or_missing(const char *path)
{
    struct stat st;

    return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

struct request {
    const char *answers; /* -a FILE, or NULL for DIR/answers.txt */
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: parlab-lab check N [DIR] [-a FILE]\n"
            "       parlab-lab template N\n"
            "       parlab-lab keys N\n"
            "check: compares lab N's answers (DIR/answers.txt, key = value lines) with the\n"
            "runs in DIR (default labs/results/labN), one line per question of the handout:\n"
            "whether the runs it needs are there, whether the machine was quiet enough while\n"
            "they ran to judge it, and whether the answer agrees with what the runs give.\n"
            "Exit 0 when every answer checks, 1 otherwise.\n"
            "template: prints lab N's answers file with every value empty, to fill in.\n"
            "keys: prints lab N's keys as a Markdown table: how each is computed, and its\n"
            "tolerance.  N is a lab from 1 to 10 (labs/README.md).\n\n"
            "Options:\n"
            "  -a, --answers FILE  (check) the answers file instead of DIR/answers.txt\n"
            "  -h, --help          print this help and exit\n"
            "  -V, --version       print the version and exit\n");
}

static void take_option(int opt, const char *arg, const char *name, void *ctx)
{
    struct request *q = ctx;

    (void)opt;
    q->answers = tool_path(name, arg);
}

/* The lab number N: one of the labs, in decimal, nothing else. */
static int lab_number(const char *text)
{
    const struct lab_info *info;
    char *end;
    long n;

    errno = 0;
    n = strtol(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || n > 1000 ||
        (info = lab_find((int)n)) == NULL)
        die_usage("no lab '%s': the labs are %d to %d", text, lab_infos[0].lab,
                  lab_infos[lab_count - 1].lab);
    return info->lab;
}

static int check(int lab, const char *dir, const char *answers_path)
{
    struct answers a;
    struct lab_check result;
    char *path = NULL;
    bool passed;

    if (dir[0] == '\0')
        die_usage("invalid results directory '': expected a directory's name");
    if (answers_path == NULL) {
        size_t len = strlen(dir) + sizeof "/answers.txt";

        if ((path = malloc(len)) == NULL)
            die("out of memory");
        snprintf(path, len, "%s%sanswers.txt", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
        answers_path = path;
    }
    if (!regular_or_missing(answers_path)) /* a FIFO would wait for a writer forever */
        die_usage("the answers '%s' are not a regular file (a FIFO, a device or a terminal)",
                  answers_path);
    if (answers_load(answers_path, &a) != 0)
        die_errno("cannot read the answers '%s' (copy labs/answers-templates/lab%d.txt there "
                  "and fill it in)", answers_path, lab);
    if (lab_check_run(lab, dir, answers_path, &a, &result) != 0)
        die_errno("cannot check lab %d", lab);
    lab_check_print(&result, stdout);
    passed = lab_check_passed(&result);
    lab_check_release(&result);
    answers_release(&a);
    free(path);
    tool_finish();
    return passed ? EXIT_SUCCESS : EXIT_FAILURE;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"answers", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    static const struct tool tool = {"parlab-lab", usage, "a:", options, true};
    struct request q = {0};
    int first = tool_parse(&tool, argc, argv, take_option, &q), n = argc - first, lab;
    const char *command = n > 0 ? argv[first] : NULL;
    char dir[64];

    if (command == NULL)
        die_usage("give a command: check, template or keys");
    if (strcmp(command, "check") != 0 && strcmp(command, "template") != 0 &&
        strcmp(command, "keys") != 0)
        die_usage("unknown command '%s': check, template or keys", command);
    if (n < 2)
        die_usage("%s needs a lab number", command);
    lab = lab_number(argv[first + 1]);
    if (strcmp(command, "check") == 0) {
        if (n > 3)
            die_usage("unexpected argument '%s'", argv[first + 3]);
        snprintf(dir, sizeof dir, "labs/results/lab%d", lab);
        return check(lab, n == 3 ? argv[first + 2] : dir, q.answers);
    }
    if (n > 2)
        die_usage("unexpected argument '%s'", argv[first + 2]);
    if (q.answers != NULL)
        die_usage("--answers is for check only");
    if (strcmp(command, "template") == 0)
        lab_write_template(lab, stdout);
    else
        lab_write_keys(lab, stdout);
    return tool_finish();
}
