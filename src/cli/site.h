/* site.h — the web site in an output folder: after a render, the index
 * (DIR/index.html) is rebuilt from the months whose page and JSON are in
 * the folder, so re-rendering one month keeps the others. */
#ifndef TALOT_SITE_H
#define TALOT_SITE_H

#include <stdbool.h>

#include "err.h"
#include "model.h"

/* The most languages a site's folder is indexed in. */
#define SITE_LANGS_MAX 8

/* Rebuilds the index of every language in DIR: DIR/index.html from
 * DIR/talot-YYYY-MM.html + .json (Japanese, the default), and
 * DIR/index.LANG.html from DIR/talot-YYYY-MM.LANG.html + .json; each
 * index links to the others (hreflang).  A language with no month gets no
 * index.  false with e naming the file that could not be read or
 * written. */
bool site_index_rebuild(const char *dir, struct err *e);

/* The languages ("ja", "en") whose page and JSON of month m are in DIR,
 * at most max, into langs; returns their number. */
size_t site_page_langs(const char *dir, month_t m, char langs[][8],
    size_t max);

/* The own name of a language ("English") from the JSON of month m in
 * that language in DIR; malloc'd, or NULL when unknown. */
char *site_lang_name(const char *dir, month_t m, const char *lang);

/* True if DIR holds the page of month m ("talot-YYYY-MM.html"). */
bool site_page_exists(const char *dir, month_t m, const char *lang);

/* True if DIR/NAME is a regular file. */
bool site_file_exists(const char *dir, const char *name);

#endif
