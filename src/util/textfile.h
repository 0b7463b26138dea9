/* textfile.h — checks and paths shared by the readers of text files
 * (CSV, templates, catalogues). */
#ifndef TALOT_TEXTFILE_H
#define TALOT_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF); else false with *bad (may be NULL) = the offset
 * of the first bad byte. */
bool utf8_valid(const char *s, size_t len, size_t *bad);

/* Checks that s[0..len) is UTF-8 without NUL bytes; false with e set to
 * "WHERE:LINE: …" naming the line of the first bad byte. */
bool text_check(const char *where, const char *s, size_t len,
    struct err *e);

/* Checks one field or value read from WHERE at LINE: no control
 * character (C0 including tab and line breaks, DEL, C1), and at most max
 * characters (0: any number).  False with e = "WHERE:LINE: WHAT holds the
 * control character U+000B (…)" or "… WHAT is longer than MAX characters". */
bool text_field_check(const char *where, int line, const char *what,
    const char *s, size_t max, struct err *e);

/* errno of text_fopen_own() for a file that is not a regular one. */
#define EFTYPE_TEXT EINVAL

/* Opens a file of a template folder for reading: never through a symbolic
 * link (partials, ports.csv … that point out of the folder would be read
 * and published) and only a regular file (not a FIFO or a device).  NULL
 * with errno set: ELOOP for a link, EFTYPE_TEXT for another kind of file,
 * as fopen() otherwise. */
FILE *text_fopen_own(const char *path);

/* strerror() with the two refusals of text_fopen_own() in words. */
const char *text_open_strerror(int errnum);

/* "DIR/FILE" (one slash), malloc'd; NULL on out of memory. */
/* A language's variant of a file name: "DIR/notes.md" → "DIR/notes.en.md",
 * "r.xlsx" → "r.en.xlsx", "notes" → "notes.en".  malloc'd; NULL on out
 * of memory. */
char *path_with_lang(const char *path, const char *lang);

char *path_join(const char *dir, const char *file);

#endif
