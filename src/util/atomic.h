/* atomic.h — write a file so that readers see the old one or the whole new
 * one, never half of it: a temporary file in the same folder, flushed,
 * fsync'ed and renamed over the final name.
 *
 * Temporary names are "DIR/.NAME.PID.tmp-XXXXXX": a file made with O_EXCL
 * (atomic_begin), or a private folder (mode 0700) holding NAME
 * (atomic_begin_private) for libraries that open the file by name
 * themselves, so that nobody can plant a symlink where they write.
 * atomic_cleanup() removes what processes that no longer run left behind
 * (a crash, a SIGKILL); the signal handlers remove it on SIGINT/TERM/HUP. */
#ifndef TALOT_ATOMIC_H
#define TALOT_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

struct atomic_file {
	char *path;      /* final name (owned) */
	char *tmp;       /* temporary file name (owned) */
	char *dir;       /* private folder holding tmp, or NULL (owned) */
	FILE *fp;        /* open on tmp, "wb" (atomic_begin only) */
	int write_errno; /* set by a writer that saw a write fail */
};

/* true if path may be replaced: missing, a regular file or a symlink to
 * one (or to nothing).  A device (/dev/null), FIFO, socket or folder, or a
 * symlink to one (/dev/stdout), is refused with e set: renaming over it
 * would replace the node.  atomic_begin*() check it first. */
bool atomic_target_check(const char *path, struct err *e);

/* Creates the temporary file (O_EXCL, never following a symlink).  false
 * with e = "PATH: reason" if the folder cannot be written. */
bool atomic_begin(struct atomic_file *af, const char *path, struct err *e);
/* Creates a private temporary folder; af->tmp names the file to write in
 * it, af->fp is NULL. */
bool atomic_begin_private(struct atomic_file *af, const char *path,
    struct err *e);
/* fwrite to af->fp, remembering the first failure for atomic_commit. */
bool atomic_write(struct atomic_file *af, const void *data, size_t len);
/* Closes af->fp (if open), fsyncs, renames over path, fsyncs the folder.
 * On failure the temporary file is removed and path is untouched. */
bool atomic_commit(struct atomic_file *af, struct err *e);
/* Removes the temporary file; safe after commit and on a zeroed struct. */
void atomic_abort(struct atomic_file *af);

/* Registers (or forgets) one more file for the signal handlers to remove,
 * such as the -wal and -shm companions of a database being created in a
 * private folder (atomic_begin_private).  Removed before the folders. */
void atomic_extra_add(const char *path);
void atomic_extra_remove(const char *path);

/* On SIGINT, SIGTERM or SIGHUP: remove the temporary files being written,
 * then die of the signal as usual. */
void atomic_signals_install(void);

/* Removes DIR/.BASENAME.PID.tmp-* (files or private folders) of processes
 * that no longer run: with owner 0, of any such process; with owner > 0,
 * only of that one (a worker just reaped).  The files of a process that
 * runs (a concurrent render of the same month) are never touched. */
void atomic_cleanup(const char *path, long owner);

#endif
