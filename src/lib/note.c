/*
 * note.c - numbered notes under a table, each text once.
 */
#include "parlab/note.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void note_list_init(struct note_list *l)
{
    memset(l, 0, sizeof *l);
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

/* The slot holding `text`, or the empty slot where it belongs. */
static size_t find_slot(const struct note_list *l, const char *text)
{
    size_t mask = l->nslots - 1, slot = (size_t)hash_text(text) & mask;

    while (l->slots[slot] != 0 && strcmp(l->texts[l->slots[slot] - 1], text) != 0)
        slot = (slot + 1) & mask;
    return slot;
}

/* Room for one more note: the array and, kept under half full, the hash table.  A
 * search through the notes for each one made a table of many notes quadratic. */
static int make_room(struct note_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **t = realloc(l->texts, cap * sizeof *t);

        if (t == NULL)
            return -1;
        l->texts = t;
        l->cap = cap;
    }
    if (2 * (l->n + 1) > l->nslots) {
        size_t n = l->nslots ? 2 * l->nslots : 16, *old = l->slots;

        l->slots = calloc(n, sizeof *l->slots);
        if (l->slots == NULL) {
            l->slots = old;
            return -1;
        }
        free(old);
        l->nslots = n;
        for (size_t i = 0; i < l->n; i++) /* every text is new to the new table */
            l->slots[find_slot(l, l->texts[i])] = i + 1;
    }
    return 0;
}

size_t note_add(struct note_list *l, const char *text)
{
    size_t slot;

    if (l->nslots > 0 && l->slots[slot = find_slot(l, text)] != 0)
        return l->slots[slot];
    if (make_room(l) != 0)
        return 0;
    l->texts[l->n] = strdup(text);
    if (l->texts[l->n] == NULL) {
        errno = ENOMEM;
        return 0;
    }
    l->slots[find_slot(l, text)] = ++l->n;
    return l->n;
}

void note_list_print(const struct note_list *l, FILE *out, const char *end)
{
    for (size_t i = 0; i < l->n; i++)
        fprintf(out, "[%zu] %s%s", i + 1, l->texts[i], end);
}

void note_list_release(struct note_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->texts[i]);
    free(l->texts);
    free(l->slots);
    note_list_init(l);
}
