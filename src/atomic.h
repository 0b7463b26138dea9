/* atomic.h — write a file so that readers see the old one or the whole new
 * one, never half of it: a temporary file in the same folder, flushed,
 * fsync'ed and renamed over the final name.
 *
 * Temporary names are "DIR/.NAME.PID.tmp-XXXXXX": atomic_cleanup() removes
 * those left by processes that no longer run (a crash, a SIGKILL). */
#ifndef TALOT_ATOMIC_H
#define TALOT_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

struct atomic_file {
	char *path;   /* final name (owned) */
	char *tmp;    /* temporary name (owned) */
	FILE *fp;     /* open on tmp, "wb"; may be closed by the caller's
	               * library, see atomic_commit */
	int write_errno; /* set by a writer that saw a write fail */
};

/* fwrite to af->fp, remembering the first failure for atomic_commit. */
bool atomic_write(struct atomic_file *af, const void *data, size_t len);

/* Creates the temporary file (O_EXCL, never following a symlink).  false
 * with e = "PATH: reason" if the folder cannot be written. */
bool atomic_begin(struct atomic_file *af, const char *path, struct err *e);
/* Closes af->fp (if still open), fsyncs, renames over path, fsyncs the
 * folder.  On failure the temporary file is removed and path is untouched. */
bool atomic_commit(struct atomic_file *af, struct err *e);
/* Removes the temporary file; safe after commit and on a zeroed struct. */
void atomic_abort(struct atomic_file *af);

/* On SIGINT, SIGTERM or SIGHUP: remove the temporary files being written,
 * then die of the signal as usual.  Call once per process (again after
 * fork if the child changed its handlers). */
void atomic_signals_install(void);

/* Removes DIR/.BASENAME.PID.tmp-* of dead processes. */
void atomic_cleanup(const char *path);

#endif
