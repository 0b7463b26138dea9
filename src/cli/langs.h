/* langs.h — the languages a render writes (--lang ja,en): for each, its
 * template folder, settings, strings, catalogue and notes.
 *
 * A template base folder holds one folder per language (DIR/ja, DIR/en …:
 * bulletin.md, contact.md, settings.conf, strings.conf) and the tables
 * shared by every language (DIR/ports.csv, DIR/countries.csv, with one
 * column per language).  A folder that itself holds bulletin.md is one
 * language's folder (its strings.conf says which); its tables are its own
 * or its parent's. */
#ifndef TALOT_LANGS_H
#define TALOT_LANGS_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "err.h"
#include "settings.h"
#include "strtab.h"

#define LANGS_MAX 8

struct lang_ctx {
	char name[8];              /* "ja" */
	char *dir;                 /* the language's template folder */
	char *tables_dir;          /* where ports.csv and countries.csv are */
	struct settings settings;
	struct strtab *strings;
	struct catalog *cat;
	char *notes_md;            /* commentary in this language, or NULL */
	char *notes_name;
};

/* Parses "ja", "en", "ja,en" into names (each 2-3 lower-case letters, no
 * repeats); false if malformed. */
bool langs_parse(const char *list, char names[LANGS_MAX][8], size_t *n);

/* Loads every language of names from the base folder.  notes (may be NULL)
 * is the commentary of the first language; another language L takes the
 * file with ".L" before the extension (notes.en.md) when it exists, and
 * has no commentary otherwise (a warning in warn).  false with e naming
 * the file and line at fault. */
bool langs_load(const char *base, char names[LANGS_MAX][8], size_t n,
    const char *notes, struct lang_ctx *out, struct diag *warn,
    struct err *e);
void langs_free(struct lang_ctx *l, size_t n);

/* Reads a notes file (at most 1 MiB of UTF-8 without NUL). */
char *langs_read_notes(const char *path, struct err *e);

#endif
