/* import.h — CSV files into the store, in one transaction. */
#ifndef TALOT_IMPORT_H
#define TALOT_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "store.h"

/* Streams fp (named name in messages) into im.  Data errors go to d as
 * "NAME:LINE: message" and parsing goes on; returns false only on a fatal
 * error (e set: I/O, store).  Check d->nerrors afterwards. */
bool import_stream(struct store_import *im, FILE *fp, const char *name,
    struct diag *d, struct err *e);

/* Imports all files in one transaction: any error and nothing is written.
 * Returns false if anything failed (errors in d, or a fatal one in e). */
bool import_files(struct store *s, char *const *files, size_t nfiles,
    struct diag *d, struct import_summary *sum, struct err *e);

#endif
