/*
 * fuzz_csv.c - libFuzzer over CSV quoting and parsing: whatever a file holds parses
 * without a crash, and every row it yields, written out again with parlab's quoting,
 * parses back to the same fields; what it refuses, it says where in one line.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parlab/csv.h"

#define REQUIRE(condition)                                                               \
    do {                                                                                 \
        if (!(condition))                                                                \
            __builtin_trap();                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_table first, again;
    struct csv_writer w;

    if (csv_parse((const char *)data, size, &first) != 0) {
        /* malformed quoting, a row wider than the header: refused, as it should be,
         * saying where in one line */
        REQUIRE(errno != EINVAL ||
                (strncmp(first.error, "line ", 5) == 0 && strchr(first.error, '\n') == NULL &&
                 strchr(first.error, '\r') == NULL));
        return 0;
    }
    csv_writer_init(&w);
    for (size_t r = 0; r < first.nrows; r++) {
        for (size_t f = 0; f < first.rows[r].nfields; f++)
            csv_put_str(&w, first.rows[r].fields[f]);
        csv_end_row(&w);
    }
    REQUIRE(!w.failed);
    REQUIRE(csv_parse(w.data ? w.data : "", w.len, &again) == 0);
    REQUIRE(again.nrows == first.nrows);
    for (size_t r = 0; r < first.nrows; r++) {
        REQUIRE(again.rows[r].nfields == first.rows[r].nfields);
        for (size_t f = 0; f < first.rows[r].nfields; f++)
            REQUIRE(strcmp(again.rows[r].fields[f], first.rows[r].fields[f]) == 0);
    }
    csv_table_release(&again);
    csv_table_release(&first);
    csv_writer_release(&w);
    return 0;
}
