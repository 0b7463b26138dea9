/* err.h — error messages that carry a place.
 *
 * A `struct err` holds one fatal, user-facing message ("FILE:LINE: what is
 * wrong").  Functions that can fail take a `struct err *` and return false or
 * NULL; the caller prints err.msg.  A `struct diag` collects many data errors
 * (CSV import) up to a cap and counts the rest, and separately collects
 * warnings (data-quality notes such as a port missing from the catalogue).
 */
#ifndef TALOT_ERR_H
#define TALOT_ERR_H

#include <stdbool.h>
#include <stddef.h>

#define ERR_MSG_MAX 1024

struct err {
	char msg[ERR_MSG_MAX];
};

/* Formats into e->msg (truncating, control characters escaped as by
 * err_escape()); e may be NULL.  Always returns false so
 * that `return err_set(e, ...)` reads naturally. */
bool err_set(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copies src into dst (len bytes, always terminated, cut only between
 * characters) with every control character written as an escape: C0 and
 * DEL as "\x1b", C1 as "\u009b", so that no message echoing input can
 * drive a terminal.  err_set() and diag_*() escape what they format.
 * Returns the length written. */
size_t err_escape(char *dst, size_t len, const char *src);

#define DIAG_CAP_DEFAULT 20

struct diag {
	size_t cap;        /* messages kept; the rest are only counted */
	size_t nerrors;    /* all errors seen, kept or not */
	size_t nkept;
	char **errors;     /* nkept owned strings */
	size_t nwarnings;
	char **warnings;   /* all warnings, owned, de-duplicated */
};

void diag_init(struct diag *d, size_t cap);
void diag_finish(struct diag *d);
void diag_error(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning equal to one already held is not added again. */
void diag_warning(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints kept errors one per line, then "and N more errors" if capped. */
void diag_print_errors(const struct diag *d, const char *prefix);
void diag_print_warnings(const struct diag *d, const char *prefix);

#endif
