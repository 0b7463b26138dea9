#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the escape of the character at s ("\\x1b" for C0 and DEL,
 * "\\u009b" for C1), 0 if it is printed as it is. */
static size_t
escape_len(const unsigned char *s)
{
	if (*s < 0x20 || *s == 0x7f)
		return 4;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 6;
	return 0;
}

size_t
err_escape(char *dst, size_t len, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	if (len == 0)
		return 0;
	while (*s != '\0') {
		size_t n = escape_len(s), k = 1;

		if (n != 0) {
			if (o + n >= len)
				break;
			if (n == 4)
				snprintf(dst + o, 5, "\\x%02x", *s++);
			else {
				snprintf(dst + o, 7, "\\u%04x", s[1]);
				s += 2;
			}
			o += n;
			continue;
		}
		/* one whole character, never a part of one */
		while (k < 4 && (s[k] & 0xC0) == 0x80)
			k++;
		if (o + k >= len)
			break;
		memcpy(dst + o, s, k);
		o += k;
		s += k;
	}
	dst[o] = '\0';
	return o;
}

/* An owned, escaped copy of s (s itself is freed), or NULL. */
static char *
escaped(char *s)
{
	size_t n = 1;
	char *d;

	if (s == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t k = escape_len(p);

		n += k ? k : 1;
		if (k == 6)
			p++;
	}
	d = malloc(n);
	if (d != NULL)
		err_escape(d, n, s);
	free(s);
	return d;
}

bool
err_set(struct err *e, const char *fmt, ...)
{
	char raw[ERR_MSG_MAX];
	va_list ap;

	if (e == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	err_escape(e->msg, sizeof(e->msg), raw);
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
	s = escaped(vformat(fmt, ap));
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
	s = escaped(vformat(fmt, ap));
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
