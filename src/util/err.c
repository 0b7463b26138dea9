#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return false;
}

void
diag_init(struct diag *d, size_t cap)
{
	memset(d, 0, sizeof(*d));
	d->cap = cap;
}

void
diag_finish(struct diag *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->nkept; i++)
		free(d->errors[i]);
	for (size_t i = 0; i < d->nwarnings; i++)
		free(d->warnings[i]);
	free(d->errors);
	free(d->warnings);
	memset(d, 0, sizeof(*d));
}

static char *
vformat(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s != NULL)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static bool
push(char ***v, size_t *n, char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL) {
		free(s);
		return false;
	}
	nv[(*n)++] = s;
	*v = nv;
	return true;
}

void
diag_error(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	d->nerrors++;
	if (d->nkept >= d->cap)
		return;
	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s != NULL)
		push(&d->errors, &d->nkept, s);
}

void
diag_warning(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s == NULL)
		return;
	for (size_t i = 0; i < d->nwarnings; i++) {
		if (strcmp(d->warnings[i], s) == 0) {
			free(s);
			return;
		}
	}
	push(&d->warnings, &d->nwarnings, s);
}

void
diag_print_errors(const struct diag *d, const char *prefix)
{
	for (size_t i = 0; i < d->nkept; i++)
		fprintf(stderr, "%s%s\n", prefix, d->errors[i]);
	if (d->nerrors > d->nkept)
		fprintf(stderr, "%sand %zu more error%s\n", prefix,
		    d->nerrors - d->nkept, d->nerrors - d->nkept == 1 ? "" : "s");
}

void
diag_print_warnings(const struct diag *d, const char *prefix)
{
	for (size_t i = 0; i < d->nwarnings; i++)
		fprintf(stderr, "%swarning: %s\n", prefix, d->warnings[i]);
}
