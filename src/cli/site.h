/* site.h — the web site in an output folder: after a render, the index
 * (DIR/index.html) is rebuilt from the months whose page and JSON are in
 * the folder, so re-rendering one month keeps the others. */
#ifndef TALOT_SITE_H
#define TALOT_SITE_H

#include <stdbool.h>

#include "err.h"
#include "model.h"

/* Rebuilds DIR/index.html from DIR/talot-YYYY-MM.html + .json (months of
 * the default language).  A folder with no such month gets no index.
 * false with e naming the file that could not be read or written. */
bool site_index_rebuild(const char *dir, struct err *e);

/* True if DIR holds the page of month m ("talot-YYYY-MM.html"). */
bool site_page_exists(const char *dir, month_t m, const char *lang);

/* True if DIR/NAME is a regular file. */
bool site_file_exists(const char *dir, const char *name);

#endif
