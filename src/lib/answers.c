/*
 * answers.c - a student's answers file read into keys and values.
 */
#include "parlab/answers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most of a line a problem quotes: enough to recognise it. */
#define QUOTE_MAX 60

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("_.,:+-", c) != NULL;
}

/* s without the blanks at its ends, in place. */
static char *trim(char *s)
{
    size_t len;

    while (blank(*s))
        s++;
    len = strlen(s);
    while (len > 0 && blank(s[len - 1]))
        s[--len] = '\0';
    return s;
}

/* The first QUOTE_MAX bytes of s, control characters as '?', "..." when cut. */
static void quote(const char *s, char *out, size_t len)
{
    size_t n = 0;

    for (; *s != '\0' && n < QUOTE_MAX && n + 4 < len; s++)
        out[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    if (*s != '\0' && n + 4 < len)
        n += (size_t)snprintf(out + n, len - n, "...");
    out[n] = '\0';
}

static int add_problem(struct answers *a, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int add_problem(struct answers *a, size_t line, const char *fmt, ...)
{
    struct answers_problem *p = realloc(a->problems, (a->nproblems + 1) * sizeof *p);
    char text[256];
    va_list ap;

    if (p == NULL)
        return -1;
    a->problems = p;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if ((p[a->nproblems].text = strdup(text)) == NULL)
        return -1;
    p[a->nproblems++].line = line;
    return 0;
}

static int add_answer(struct answers *a, const char *key, const char *value, size_t line)
{
    struct answer *it = realloc(a->items, (a->n + 1) * sizeof *it);

    if (it == NULL)
        return -1;
    a->items = it;
    it[a->n] = (struct answer){strdup(key), strdup(value), line};
    if (it[a->n].key == NULL || it[a->n].value == NULL) {
        free(it[a->n].key);
        free(it[a->n].value);
        return -1;
    }
    a->n++;
    return 0;
}

/* The value of a line, its comment cut off: a '#' after a blank, or at its start. */
static char *value_of(char *after_equals)
{
    char *v = trim(after_equals);

    for (char *p = v; *p != '\0'; p++)
        if (*p == '#' && (p == v || blank(p[-1]))) {
            *p = '\0';
            break;
        }
    return trim(v);
}

/* One line of the file (its newline removed). */
static int read_line(struct answers *a, char *text, size_t line)
{
    char *s = trim(text), *eq, *key, q[QUOTE_MAX + 8];
    const struct answer *first;

    if (*s == '\0' || *s == '#')
        return 0;
    if ((eq = strchr(s, '=')) == NULL) {
        quote(s, q, sizeof q);
        return add_problem(a, line, "'%s' is not key = value", q);
    }
    *eq = '\0';
    key = trim(s);
    if (*key == '\0') {
        quote(value_of(eq + 1), q, sizeof q);
        return add_problem(a, line, "'= %s' has no key before its '='", q);
    }
    for (const char *p = key; *p != '\0'; p++)
        if (!key_char(*p)) {
            quote(key, q, sizeof q);
            return add_problem(a, line, "the key '%s' has a character keys do not have "
                               "(letters, digits and _.,:+- only)", q);
        }
    if ((first = answers_find(a, key)) != NULL) {
        quote(key, q, sizeof q);
        return add_problem(a, line, "'%s' is given again (first on line %zu, whose value "
                           "counts): keep one", q, first->line);
    }
    return add_answer(a, key, value_of(eq + 1), line);
}

int answers_load(const char *path, struct answers *a)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t cap = 0, line = 0;
    int saved;

    *a = (struct answers){0};
    if (f == NULL)
        return -1;
    errno = 0;
    for (ssize_t len; (len = getline(&text, &cap, f)) >= 0;) {
        for (ssize_t i = 0; i < len; i++) /* a NUL byte would end the line early */
            if (text[i] == '\0')
                text[i] = ' ';
        if (read_line(a, text, ++line) != 0) {
            errno = ENOMEM;
            goto fail;
        }
    }
    if (ferror(f))
        goto fail;
    free(text);
    if (fclose(f) != 0) {
        f = NULL;
        goto fail;
    }
    return 0;
fail:
    saved = errno ? errno : EIO;
    free(text);
    if (f != NULL)
        fclose(f);
    answers_release(a);
    errno = saved;
    return -1;
}

const struct answer *answers_find(const struct answers *a, const char *key)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->items[i].key, key) == 0)
            return &a->items[i];
    return NULL;
}

void answers_release(struct answers *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->items[i].key);
        free(a->items[i].value);
    }
    free(a->items);
    for (size_t i = 0; i < a->nproblems; i++)
        free(a->problems[i].text);
    free(a->problems);
    *a = (struct answers){0};
}
