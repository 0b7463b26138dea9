/* ch_text.c — see ch_http.h: the text side of the ClickHouse client (URLs,
 * buffers, TabSeparated answers, exception texts), without libcurl, so that
 * the fuzz target links it alone. */
#include "ch_http.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- URL ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %-decodes p[0..n) into out (cap bytes); false if malformed or too long,
 * or if it would hold a NUL. */
static bool
pct_decode(const char *p, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return false;
			h = hexval(p[i + 1]);
			l = hexval(p[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return false;
			c = h * 16 + l;
			i += 2;
		}
		if (k + 1 >= cap)
			return false;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return true;
}

static bool
bad_url(struct err *e, const char *why)
{
	return err_set(e, "bad ClickHouse URL (%s): expected clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE",
	    why);
}

bool
ch_url_parse(const char *url, struct ch_url *u, struct err *e)
{
	const char *p, *slash, *at, *colon, *hs, *he, *ps;
	size_t n;
	unsigned long port = 0;

	memset(u, 0, sizeof(*u));
	if (strncmp(url, "clickhouse://", 13) != 0)
		return bad_url(e, "it does not start with clickhouse://");
	p = url + 13;
	slash = strchr(p, '/');
	if (slash == NULL)
		return bad_url(e, "no /DATABASE");
	/* the user information ends at the last '@' before the path */
	at = NULL;
	for (const char *q = p; q < slash; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		colon = memchr(p, ':', (size_t)(at - p));
		if (!pct_decode(p, (size_t)((colon ? colon : at) - p), u->user,
		    sizeof(u->user)) || (colon != NULL &&
		    !pct_decode(colon + 1, (size_t)(at - colon - 1), u->password,
		    sizeof(u->password))))
			return bad_url(e, "malformed or too long user or password");
		if (u->user[0] == '\0')
			return bad_url(e, "an empty user name");
		for (const char *q = u->user; *q; q++)
			if (!isalnum((unsigned char)*q) && *q != '_' &&
			    *q != '-' && *q != '.')
				return bad_url(e, "a user name of letters, digits, '_', '-' and '.' only");
		hs = at + 1;
	} else {
		snprintf(u->user, sizeof(u->user), "default");
		hs = p;
	}
	if (hs < slash && *hs == '[') {
		he = memchr(hs, ']', (size_t)(slash - hs));
		if (he == NULL || he == hs + 1)
			return bad_url(e, "a malformed [IPv6] host");
		u->ipv6 = true;
		n = (size_t)(he - hs - 1);
		ps = he + 1;
		for (const char *q = hs + 1; q < he; q++)
			if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
				return bad_url(e, "a malformed [IPv6] host");
		hs++;
	} else {
		he = memchr(hs, ':', (size_t)(slash - hs));
		if (he == NULL)
			return bad_url(e, "no :PORT");
		n = (size_t)(he - hs);
		ps = he;
		for (const char *q = hs; q < he; q++)
			if (!isalnum((unsigned char)*q) && *q != '-' && *q != '.')
				return bad_url(e, "a host name of letters, digits, '-' and '.' only");
	}
	if (n == 0 || n >= sizeof(u->host))
		return bad_url(e, "an empty or too long host");
	memcpy(u->host, hs, n);
	u->host[n] = '\0';
	if (ps >= slash || *ps != ':' || ps + 1 == slash)
		return bad_url(e, "no :PORT");
	for (const char *q = ps + 1; q < slash; q++) {
		if (!isdigit((unsigned char)*q) || port > 65535)
			return bad_url(e, "a port of 1 to 65535");
		port = port * 10 + (unsigned long)(*q - '0');
	}
	if (port < 1 || port > 65535)
		return bad_url(e, "a port of 1 to 65535");
	u->port = (unsigned)port;
	p = slash + 1;
	n = strlen(p);
	if (n == 0 || n >= sizeof(u->database))
		return bad_url(e, "an empty or too long database name");
	if (!isalpha((unsigned char)p[0]) && p[0] != '_')
		return bad_url(e, "a database name of letters, digits and '_', not starting with a digit");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_')
			return bad_url(e, "a database name of letters, digits and '_', not starting with a digit");
	memcpy(u->database, p, n + 1);
	snprintf(u->shown, sizeof(u->shown), "clickhouse://%s@%s%s%s:%u/%s",
	    u->user, u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "", u->port,
	    u->database);
	return true;
}

/* ---- buffers ---- */

bool
ch_buf_add(struct ch_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL)
			return false;
		b->p = np;
		b->cap = cap;
	}
	if (n > 0 && p != NULL)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

bool
ch_buf_printf(struct ch_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t)n < sizeof(small))
		return ch_buf_add(b, small, (size_t)n);
	if (!ch_buf_add(b, NULL, (size_t)n))   /* room; len moves on */
		return false;
	b->len -= (size_t)n;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}

bool
ch_buf_tsv(struct ch_buf *b, const char *s)
{
	for (; *s; s++) {
		const char *esc = NULL;

		switch (*s) {
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\\': esc = "\\\\"; break;
		case '\r': esc = "\\r"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\'': esc = "\\'"; break;
		default: break;
		}
		if (!(esc ? ch_buf_add(b, esc, 2) : ch_buf_add(b, s, 1)))
			return false;
	}
	return true;
}

void
ch_buf_free(struct ch_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* One line of ClickHouse's exception text: its code and message, both
 * old ("Code: 81, e.displayText() = DB::Exception: MSG, e.what() = ...")
 * and new ("Code: 81. DB::Exception: MSG. (NAME) (version ...)") forms. */
void
ch_exception_parse(const char *body, size_t len, int *code, char *msg,
    size_t msglen)
{
	const char *p = body, *end = body + len, *m;
	size_t n;

	*code = 0;
	msg[0] = '\0';
	if (len > 6 && strncmp(p, "Code: ", 6) == 0) {
		int v = 0;

		for (p += 6; p < end && isdigit((unsigned char)*p) && v < 100000;
		    p++)
			v = v * 10 + (*p - '0');
		*code = v;
	}
	m = NULL;
	for (const char *q = body; q + 15 <= end; q++)
		if (memcmp(q, "DB::Exception: ", 15) == 0) {
			m = q + 15;
			break;
		}
	if (m == NULL)
		m = body;
	for (n = 0; m + n < end && m[n] != '\n'; n++)
		;
	/* drop the old form's ", e.what() = DB::Exception" tail */
	for (size_t i = 0; i + 11 <= n; i++)
		if (memcmp(m + i, ", e.what() ", 11) == 0) {
			n = i;
			break;
		}
	if (n >= msglen)
		n = msglen - 1;
	for (size_t i = 0; i < n; i++)
		msg[i] = (m[i] >= 0x20 && m[i] != 0x7f) ? m[i] : ' ';
	msg[n] = '\0';
}

/* ---- TabSeparated ---- */

void
ch_table_free(struct ch_table *t)
{
	free(t->cell);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

bool
ch_tsv_parse(const char *p, size_t len, size_t ncols, struct ch_table *t,
    struct err *e)
{
	size_t nlines = 0, ncells, k = 0, row = 0, col = 0;
	char *w;

	memset(t, 0, sizeof(*t));
	if (ncols < 1 || ncols > 64)
		return err_set(e, "bad column count %zu", ncols);
	if (len > 0 && p[len - 1] != '\n')
		return err_set(e, "the answer does not end with a newline");
	for (size_t i = 0; i < len; i++)
		nlines += p[i] == '\n';
	if (nlines > SIZE_MAX / ncols / sizeof(char *))
		return err_set(e, "the answer is too large");
	ncells = nlines * ncols;
	t->ncols = ncols;
	t->nrows = nlines;
	t->text = malloc(len + 1);
	t->cell = malloc((ncells ? ncells : 1) * sizeof(*t->cell));
	if (t->text == NULL || t->cell == NULL) {
		ch_table_free(t);
		return err_set(e, "out of memory");
	}
	w = t->text;
	t->cell[0] = w;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (c == '\\') {
			if (++i >= len)
				goto bad_escape;
			switch (p[i]) {
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '0': c = '\0'; break;
			case '\'': c = '\''; break;
			case '\\': c = '\\'; break;
			default:
				goto bad_escape;
			}
			if (c == '\0') {
				ch_table_free(t);
				return err_set(e, "row %zu: a NUL byte in a field",
				    row + 1);
			}
			w[k++] = c;
		} else if (c == '\t' || c == '\n') {
			w[k++] = '\0';
			if (col + 1 < ncols && c == '\n') {
				ch_table_free(t);
				return err_set(e, "row %zu: %zu fields, expected %zu",
				    row + 1, col + 1, ncols);
			}
			if (col + 1 == ncols && c == '\t') {
				ch_table_free(t);
				return err_set(e, "row %zu: more than %zu fields",
				    row + 1, ncols);
			}
			if (c == '\n') {
				row++;
				col = 0;
			} else
				col++;
			if (row < nlines)
				t->cell[row * ncols + col] = w + k;
		} else
			w[k++] = c;
	}
	return true;
bad_escape:
	ch_table_free(t);
	return err_set(e, "row %zu: an unknown escape in a field", row + 1);
}

bool
ch_parse_i64(const char *s, int64_t *v)
{
	bool neg = *s == '-';
	uint64_t x = 0, lim;

	if (neg)
		s++;
	if (*s == '\0')
		return false;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (x > (lim - (uint64_t)(*s - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}
