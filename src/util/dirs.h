/* dirs.h — output folders. */
#ifndef TALOT_DIRS_H
#define TALOT_DIRS_H

#include <stdbool.h>

#include "err.h"

/* Creates the folder path and its missing parents (mode 0777 less the
 * umask), like mkdir -p.  An existing folder is fine.  false with e set to
 * one line naming the part that could not be made and why. */
bool mkdir_parents(const char *path, struct err *e);

#endif
