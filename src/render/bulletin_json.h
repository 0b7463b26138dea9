/* bulletin_json.h — the month's numbers as JSON (docs/json.md): totals,
 * every figure's series with labels, colours and values, the notable
 * ports, the section 4 table and the daily numbers per port.  Reads the
 * edition only. */
#ifndef TALOT_BULLETIN_JSON_H
#define TALOT_BULLETIN_JSON_H

#include <stdbool.h>

#include "edition.h"
#include "err.h"
#include "text.h"

/* Writes the JSON of ed to path atomically; false with e "PATH: reason". */
bool bulletin_json_write(const struct edition *ed, const char *path,
    struct err *e);

/* Appends the JSON to out. */
bool bulletin_json_build(const struct edition *ed, struct buf *out,
    struct err *e);

/* Appends s as a JSON string literal (quotes included). */
void json_string(struct buf *b, const char *s);

#endif
