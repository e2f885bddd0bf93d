/*
 * note.h - numbered notes under a table: a cell that cannot hold a number holds a
 * marker ("- [1]") instead, and the reason is written once below the table, however
 * many cells share it.
 */
#ifndef PARLAB_NOTE_H
#define PARLAB_NOTE_H

#include <stddef.h>
#include <stdio.h>

struct note_list {
    char **texts;   /* in the order they were first given; texts[k] is note k + 1 */
    size_t n, cap;
    size_t *slots;  /* a hash table of the texts: an index + 1, or 0 for an empty slot */
    size_t nslots;  /* 0 or a power of two, over twice n */
};

/* An empty list; release it with note_list_release. */
void note_list_init(struct note_list *l);

/* The number of the note with this text (copied), 1 for the first: the same number
 * for the same text.  Returns 0 when out of memory (errno ENOMEM). */
size_t note_add(struct note_list *l, const char *text);

/* Prints each note as "[k] text" and `end`: "\n" for a plain list, "\n\n" for
 * Markdown, where each note is then a paragraph of its own. */
void note_list_print(const struct note_list *l, FILE *out, const char *end);

void note_list_release(struct note_list *l);

#endif
