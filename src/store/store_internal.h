/* store_internal.h — what store.c lends to the other files of the SQLite
 * store (store_ingest.c): the connection and its error wording.  Nothing
 * outside src/store/ includes this. */
#ifndef TALOT_STORE_INTERNAL_H
#define TALOT_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* The store's connection (valid until store_close). */
sqlite3 *store_sqlite_db(struct store *s);
/* Sets e from the connection's last error ("FILE: … while WHAT"); false. */
bool store_sqlite_fail(struct store *s, struct err *e, const char *what);
/* The schema version of the open store (1, or 2 once ingested into). */
int store_sqlite_version(struct store *s);
/* After the commit that made the ingest tables. */
void store_sqlite_set_version(struct store *s, int version);
/* Marks the import as the writing half of talot ingest: it may replace
 * sensor-days that were ingested (a CSV import may not). */
void store_import_for_ingest(struct store_import *im);

#endif
