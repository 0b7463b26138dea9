/* strtab.h — the words of one language: DIR/strings.conf of a template
 * folder, "key = value" lines ('#' comments, UTF-8).  Every caption, axis
 * title, legend, sheet name, summary label and sentence of the program
 * comes from here, so a language is a folder of files, not C code.
 *
 * Values may hold {{name}} placeholders, filled by strtab_expand() from
 * a small table of name/value pairs; an unknown placeholder is an error
 * naming the key.  A key the program asks for and the file lacks is an
 * error naming the key and the file (never a silent fallback to another
 * language). */
#ifndef TALOT_STRTAB_H
#define TALOT_STRTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct strtab;

/* One placeholder value. */
struct str_arg {
	const char *name;
	const char *value;
};

/* Loads DIR/strings.conf; NULL with e "DIR/strings.conf:LINE: …". */
struct strtab *strtab_load(const char *dir, struct err *e);
/* Parses text (for tests); name is used in messages. */
struct strtab *strtab_parse(const char *name, const char *text, size_t len,
    struct err *e);
void strtab_free(struct strtab *s);

/* The raw value of key, or NULL with e naming the key. */
const char *strtab_get(const struct strtab *s, const char *key,
    struct err *e);
/* True if key exists. */
bool strtab_has(const struct strtab *s, const char *key);

/* The value of key with its placeholders filled from args[0..nargs):
 * malloc'd, or NULL with e set. */
char *strtab_expand(const struct strtab *s, const char *key,
    const struct str_arg *args, size_t nargs, struct err *e);

/* Number of keys, and the i-th key (sorted), for consistency tests. */
size_t strtab_count(const struct strtab *s);
const char *strtab_key(const struct strtab *s, size_t i);

#endif
