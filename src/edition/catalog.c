/* catalog.c — port and country tables loaded from editable CSV files. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "catalog.h"

#include "textfile.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17

#define CSV_FIELDS_MAX 16   /* columns: the base ones and other languages' */
#define CATALOG_FILE_MAX ((size_t)16 * 1024 * 1024)

struct port_entry {
	uint32_t key;            /* proto << 16 | port */
	char *label;             /* owned; NULL: default label */
	char *explanation;       /* owned; NULL: none */
	struct catalog_ref *refs; /* owned titles and URLs, in file order */
	size_t nrefs;
};

struct catalog {
	struct port_entry *ports;    /* sorted by key */
	size_t nports;
	char *country[26 * 26];      /* owned names, indexed by code */
};

/* ---- CSV reading ---------------------------------------------------------- */

/* A reader over one whole file.  Fields of the current record are unquoted
 * into `buf` and addressed by offsets, since buf may move while growing. */
struct csv {
	const char *where;           /* "DIR/FILE" */
	const char *s, *end;
	int line;                    /* line of *s */
	char *buf;
	size_t len, cap;
	size_t off[CSV_FIELDS_MAX];
	size_t nfields;              /* may exceed CSV_FIELDS_MAX: counted only */
	int record_line;
};

static bool
csv_putc(struct csv *r, char c, struct err *e)
{
	if (r->len + 1 >= r->cap) {
		size_t ncap = r->cap == 0 ? 256 : r->cap * 2;
		char *nb = realloc(r->buf, ncap);

		if (nb == NULL)
			return err_set(e, "%s: out of memory", r->where);
		r->buf = nb;
		r->cap = ncap;
	}
	r->buf[r->len++] = c;
	return true;
}

static bool
csv_field_end(struct csv *r, struct err *e)
{
	if (!csv_putc(r, '\0', e))
		return false;
	r->nfields++;
	if (r->nfields < CSV_FIELDS_MAX)
		r->off[r->nfields] = r->len;
	return true;
}

static const char *
csv_field(const struct csv *r, size_t i)
{
	return r->buf + r->off[i];
}

/* Reads the next record that is not blank and not a `#` comment.  Returns
 * false with *eof set at the end, false with e set on a syntax error. */
static bool
csv_next(struct csv *r, bool *eof, struct err *e)
{
	*eof = false;
	for (;;) {
		if (r->s >= r->end) {
			*eof = true;
			return false;
		}
		if (*r->s == '#' || *r->s == '\n' ||
		    (*r->s == '\r' && r->s + 1 < r->end && r->s[1] == '\n')) {
			while (r->s < r->end && *r->s != '\n')
				r->s++;
			if (r->s < r->end)
				r->s++;
			r->line++;
			continue;
		}
		break;
	}
	r->record_line = r->line;
	r->len = 0;
	r->nfields = 0;
	r->off[0] = 0;
	for (;;) {
		if (r->s < r->end && *r->s == '"') {
			r->s++;
			for (;;) {
				if (r->s >= r->end)
					return err_set(e, "%s:%d: unterminated quoted "
					    "field (a \" is missing)", r->where,
					    r->record_line);
				if (*r->s == '"') {
					if (r->s + 1 < r->end && r->s[1] == '"') {
						r->s++;
					} else {
						r->s++;
						break;
					}
				}
				if (*r->s == '\n')
					r->line++;
				if (!csv_putc(r, *r->s, e))
					return false;
				r->s++;
			}
			if (r->s < r->end && *r->s == '\r' && r->s + 1 < r->end &&
			    r->s[1] == '\n')
				r->s++;
			if (r->s < r->end && *r->s != ',' && *r->s != '\n')
				return err_set(e, "%s:%d: unexpected text after a "
				    "closing quote (write \"\" for a quote inside a "
				    "quoted field)", r->where, r->line);
		} else {
			size_t start = r->len;

			while (r->s < r->end && *r->s == ' ')
				r->s++;
			while (r->s < r->end && *r->s != ',' && *r->s != '\n') {
				if (*r->s == '"')
					return err_set(e, "%s:%d: quote inside an "
					    "unquoted field (quote the whole field "
					    "and double the quote)", r->where, r->line);
				if (!csv_putc(r, *r->s, e))
					return false;
				r->s++;
			}
			while (r->len > start && (r->buf[r->len - 1] == '\r' ||
			    r->buf[r->len - 1] == ' '))
				r->len--;
		}
		if (!csv_field_end(r, e))
			return false;
		if (r->s >= r->end)
			return true;
		if (*r->s == '\n') {
			r->s++;
			r->line++;
			return true;
		}
		r->s++;     /* ',' */
	}
}


/* Reads DIR/FILE whole, checks it, and opens a reader positioned after the
 * header, which must be exactly `header`.  r->buf and *data are owned by
 * the caller, who frees them either way. */
static bool
csv_open(struct csv *r, char **data, const char *path, const char *header,
    size_t nheader, struct err *e)
{
	FILE *f;
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *nb;
	bool eof;
	const char *s;

	memset(r, 0, sizeof(*r));
	*data = NULL;
	r->where = path;
	if ((f = text_fopen_own(path)) == NULL)
		return err_set(e, "%s: cannot open: %s", path,
		    text_open_strerror(errno));
	do {
		if (cap - len < 4096) {
			cap = cap == 0 ? 16384 : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return err_set(e, "%s: out of memory", path);
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len <= CATALOG_FILE_MAX);
	if (ferror(f) || len > CATALOG_FILE_MAX) {
		free(buf);
		fclose(f);
		return err_set(e, "%s: %s", path, len > CATALOG_FILE_MAX ?
		    "file too large" : "read error");
	}
	fclose(f);
	*data = buf;
	if (!text_check(path, buf, len, e))
		return false;
	s = buf;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	r->s = s;
	r->end = buf + len;
	r->line = 1;
	if (!csv_next(r, &eof, e)) {
		if (eof)
			return err_set(e, "%s:1: empty file; expected the header "
			    "line %s", path, header);
		return false;
	}
	{
		const char *h = header;
		bool same = r->nfields >= nheader;

		for (size_t i = 0; same && i < nheader; i++) {
			size_t hl = strcspn(h, ",");

			same = strlen(csv_field(r, i)) == hl &&
			    memcmp(csv_field(r, i), h, hl) == 0;
			h += hl + (h[hl] == ',');
		}
		if (!same)
			return err_set(e, "%s:%d: expected the header line %s",
			    path, r->record_line, header);
		/* further columns: other languages' texts, each once */
		if (r->nfields > CSV_FIELDS_MAX)
			return err_set(e, "%s:%d: more than %d columns",
			    path, r->record_line, CSV_FIELDS_MAX);
		for (size_t i = nheader; i < r->nfields; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(csv_field(r, i), csv_field(r, j)) == 0)
					return err_set(e, "%s:%d: column '%s' given twice",
					    path, r->record_line, csv_field(r, i));
	}
	return true;
}

/* The column of the header named base (lang ja) or base_LANG; -1 if
 * absent. */
static int
lang_column(struct csv *r, const char *base, int ja_col, const char *lang)
{
	char name[64];

	if (lang == NULL || strcmp(lang, "ja") == 0)
		return ja_col;
	snprintf(name, sizeof(name), "%s_%s", base, lang);
	for (size_t i = 0; i < r->nfields && i < CSV_FIELDS_MAX; i++)
		if (strcmp(csv_field(r, i), name) == 0)
			return (int)i;
	return -1;
}

static void
csv_close(struct csv *r, char *data)
{
	free(r->buf);
	free(data);
}

/* ---- loading --------------------------------------------------------------- */

static struct port_entry *port_find_mut(const struct catalog *c, int proto,
    int port);


static int
proto_parse(const char *s)
{
	if (strcmp(s, "tcp") == 0)
		return PROTO_TCP;
	if (strcmp(s, "udp") == 0)
		return PROTO_UDP;
	if (strcmp(s, "icmp") == 0)
		return PROTO_ICMP;
	return -1;
}

static const char *
proto_name(int proto)
{
	return proto == PROTO_TCP ? "tcp" : proto == PROTO_UDP ? "udp" : "icmp";
}

/* Decimal 0..max, digits only. */
static bool
port_parse(const char *s, long max, long *out)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static int
port_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct port_entry *)a)->key;
	uint32_t y = ((const struct port_entry *)b)->key;

	return x < y ? -1 : x > y;
}

static char *
dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (*s == '\0')
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = true;
	return d;
}

static bool
ports_load(struct catalog *c, const char *dir, const char *lang,
    struct err *e)
{
	static const size_t nkeys = (size_t)3 << 16;
	struct csv r;
	char *data = NULL, *path = path_join(dir, "ports.csv");
	int *first = NULL;          /* first line per key; 0 = unseen */
	size_t cap = 0;
	bool ok = false, eof;

	int col_label, col_expl;
	size_t ncols;

	if (path == NULL)
		return err_set(e, "%s/ports.csv: out of memory", dir);
	if (!csv_open(&r, &data, path, "proto,port,label,explanation", 4, e))
		goto done;
	ncols = r.nfields;
	col_label = lang_column(&r, "label", 2, lang);
	if (col_label < 0)
		col_label = 2;     /* a label is the same in every language unless given */
	col_expl = lang_column(&r, "explanation", 3, lang);
	if (col_expl < 0) {
		err_set(e, "%s:%d: no column explanation_%s for the '%s' edition",
		    path, r.record_line, lang, lang);
		goto done;
	}
	if ((first = calloc(nkeys, sizeof(*first))) == NULL) {
		err_set(e, "%s: out of memory", path);
		goto done;
	}
	while (csv_next(&r, &eof, e)) {
		struct port_entry *pe;
		int proto, line = r.record_line;
		long port;
		bool oom = false;
		uint32_t key;
		size_t slot;

		if (r.nfields != ncols) {
			err_set(e, "%s:%d: expected %zu fields (as the header), "
			    "found %zu%s", path, line, ncols, r.nfields,
			    r.nfields > ncols ?
			    " (quote a field that contains a comma)" : "");
			goto done;
		}
		if (col_expl != 3 && *csv_field(&r, 3) != '\0' &&
		    *csv_field(&r, (size_t)col_expl) == '\0') {
			err_set(e, "%s:%d: explanation_%s is empty where the "
			    "Japanese explanation is not", path, line, lang);
			goto done;
		}
		if ((proto = proto_parse(csv_field(&r, 0))) < 0) {
			err_set(e, "%s:%d: unknown protocol '%s' (use tcp, udp "
			    "or icmp)", path, line, csv_field(&r, 0));
			goto done;
		}
		if (!port_parse(csv_field(&r, 1), proto == PROTO_ICMP ? 255 :
		    65535, &port)) {
			err_set(e, "%s:%d: bad %s '%s' (a number 0-%d)", path,
			    line, proto == PROTO_ICMP ? "ICMP type" : "port",
			    csv_field(&r, 1), proto == PROTO_ICMP ? 255 : 65535);
			goto done;
		}
		key = (uint32_t)proto << 16 | (uint32_t)port;
		slot = (size_t)(proto == PROTO_ICMP ? 0 : proto == PROTO_TCP ? 1 :
		    2) << 16 | (size_t)port;
		if (first[slot] != 0) {
			err_set(e, "%s:%d: duplicate entry for %ld/%s (first on "
			    "line %d)", path, line, port, proto_name(proto),
			    first[slot]);
			goto done;
		}
		if (!text_field_check(path, line, "the label",
		    csv_field(&r, 2), CATALOG_LABEL_CHARS, e) ||
		    !text_field_check(path, line, "the explanation",
		    csv_field(&r, 3), CATALOG_EXPLANATION_CHARS, e))
			goto done;
		first[slot] = line;
		if (c->nports == cap) {
			size_t ncap = cap == 0 ? 128 : cap * 2;
			struct port_entry *nv = realloc(c->ports,
			    ncap * sizeof(*nv));

			if (nv == NULL) {
				err_set(e, "%s: out of memory", path);
				goto done;
			}
			c->ports = nv;
			cap = ncap;
		}
		pe = &c->ports[c->nports++];
		memset(pe, 0, sizeof(*pe));
		pe->key = key;
		pe->label = dup_or_null(csv_field(&r, (size_t)col_label), &oom);
		if (pe->label == NULL && !oom)
			pe->label = dup_or_null(csv_field(&r, 2), &oom);
		pe->explanation = dup_or_null(csv_field(&r, (size_t)col_expl),
		    &oom);
		if (oom) {
			err_set(e, "%s: out of memory", path);
			goto done;
		}
	}
	if (!eof)
		goto done;
	if (c->nports > 1)
		qsort(c->ports, c->nports, sizeof(*c->ports), port_cmp);
	ok = true;
done:
	free(first);
	csv_close(&r, data);
	free(path);
	return ok;
}

static bool
countries_load(struct catalog *c, const char *dir, const char *lang,
    struct err *e)
{
	struct csv r;
	char *data = NULL, *path = path_join(dir, "countries.csv");
	int first[26 * 26] = { 0 };
	bool ok = false, eof;

	int col_name;
	size_t ncols;

	if (path == NULL)
		return err_set(e, "%s/countries.csv: out of memory", dir);
	if (!csv_open(&r, &data, path, "code,name", 2, e))
		goto done;
	ncols = r.nfields;
	col_name = lang_column(&r, "name", 1, lang);
	if (col_name < 0) {
		err_set(e, "%s:%d: no column name_%s for the '%s' edition", path,
		    r.record_line, lang, lang);
		goto done;
	}
	while (csv_next(&r, &eof, e)) {
		const char *code, *name;
		int line = r.record_line, idx;

		if (r.nfields != ncols) {
			err_set(e, "%s:%d: expected %zu fields (as the header), "
			    "found %zu", path, line, ncols, r.nfields);
			goto done;
		}
		code = csv_field(&r, 0);
		name = csv_field(&r, (size_t)col_name);
		if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' ||
		    code[1] < 'A' || code[1] > 'Z') {
			err_set(e, "%s:%d: bad country code '%s' (two upper-case "
			    "letters, ISO 3166-1 alpha-2)", path, line, code);
			goto done;
		}
		if (*name == '\0') {
			err_set(e, "%s:%d: empty name for %s", path, line, code);
			goto done;
		}
		if (!text_field_check(path, line, "the name", name,
		    CATALOG_LABEL_CHARS, e))
			goto done;
		idx = (code[0] - 'A') * 26 + (code[1] - 'A');
		if (first[idx] != 0) {
			err_set(e, "%s:%d: duplicate entry for %s (first on line "
			    "%d)", path, line, code, first[idx]);
			goto done;
		}
		first[idx] = line;
		if ((c->country[idx] = strdup(name)) == NULL) {
			err_set(e, "%s: out of memory", path);
			goto done;
		}
	}
	if (eof)
		ok = true;
done:
	csv_close(&r, data);
	free(path);
	return ok;
}

/* ---- references.csv ---------------------------------------------------------- */

static bool
hex_digit(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	    (ch >= 'A' && ch <= 'F');
}

const char *
catalog_url_problem(const char *url)
{
	const char *p, *host;

	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return "is not an http:// or https:// address";
	if (strlen(url) > CATALOG_URL_CHARS)
		return "is longer than " CATALOG_URL_MAX_TEXT " characters";
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#' ||
	    *host == ':' || *host == '@')
		return "has no host name";
	for (p = url; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '%') {
			if (!hex_digit(p[1]) || !hex_digit(p[2]))
				return "has a % not followed by two hex digits";
			continue;
		}
		/* RFC 3986: unreserved, reserved and nothing else */
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~:/?#[]@!$&'()*+,;=",
		    ch) != NULL)
			continue;
		return ch < 0x20 || ch == 0x7F ? "holds a control character" :
		    ch == ' ' ? "holds a space (write %20)" : ch >= 0x80 ?
		    "holds a non-ASCII character (percent-encode it as UTF-8)" :
		    "holds a character not allowed in a URL (percent-encode it)";
	}
	return NULL;
}

static int
column_of(struct csv *r, const char *name)
{
	for (size_t i = 0; i < r->nfields && i < CSV_FIELDS_MAX; i++)
		if (strcmp(csv_field(r, i), name) == 0)
			return (int)i;
	return -1;
}

/* YYYYMM of "YYYY-MM" (1970-01 to 9999-12), else 0. */
static int
yyyymm_parse(const char *v)
{
	int y = 0, m = 0;

	if (strlen(v) != 7 || v[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++) {
		if (i == 4)
			continue;
		if (v[i] < '0' || v[i] > '9')
			return 0;
		if (i < 4)
			y = y * 10 + (v[i] - '0');
		else
			m = m * 10 + (v[i] - '0');
	}
	return y >= 1970 && m >= 1 && m <= 12 ? y * 100 + m : 0;
}

bool
catalog_ref_published(const struct catalog_ref *r, int yyyymm)
{
	return r->published == 0 || r->published <= yyyymm;
}

/* Reads DIR/references.csv when it exists: advisories per port, one line
 * each.  The 'ja' edition reads title and url; another language LANG reads
 * title_LANG (a line whose title_LANG is empty is not shown in that
 * language) and url_LANG where present and not empty, else url. */
static bool
refs_load(struct catalog *c, const char *dir, const char *lang,
    struct err *e)
{
	struct csv r;
	char *data = NULL, *path = path_join(dir, "references.csv");
	struct stat sb;
	bool ok = false, eof, ja = lang == NULL || strcmp(lang, "ja") == 0;
	int col_title = 2, col_url = 3, col_url_lang = -1, col_pub = -1;
	size_t ncols;
	char colname[CSV_FIELDS_MAX][40];

	if (path == NULL)
		return err_set(e, "%s/references.csv: out of memory", dir);
	if (lstat(path, &sb) != 0 && errno == ENOENT) {
		free(path);        /* the references are optional */
		return true;
	}
	if (!csv_open(&r, &data, path, "proto,port,title,url", 4, e))
		goto done;
	ncols = r.nfields;
	if (!ja) {
		char name[64];

		snprintf(name, sizeof(name), "title_%s", lang);
		if ((col_title = column_of(&r, name)) < 0) {
			err_set(e, "%s:%d: no column title_%s for the '%s' edition",
			    path, r.record_line, lang, lang);
			goto done;
		}
		snprintf(name, sizeof(name), "url_%s", lang);
		col_url_lang = column_of(&r, name);
	}
	for (size_t i = 0; i < ncols; i++) {
		const char *h = csv_field(&r, i);

		if (i >= 4 && strcmp(h, "published") == 0) {
			col_pub = (int)i;
		} else if (i >= 4 && ((strncmp(h, "title_", 6) != 0 &&
		    strncmp(h, "url_", 4) != 0) || strlen(h) >= sizeof(colname[0]))) {
			err_set(e, "%s:%d: unknown column '%s' (expected "
			    "title_LANG, url_LANG or published)", path,
			    r.record_line, h);
			goto done;
		}
		snprintf(colname[i], sizeof(colname[0]), "%s", h);
	}
	while (csv_next(&r, &eof, e)) {
		int proto, line = r.record_line;
		long port;
		struct port_entry *pe;
		const char *title, *url;
		bool any_title = false;
		int published = 0;

		if (r.nfields != ncols) {
			err_set(e, "%s:%d: expected %zu fields (as the header), "
			    "found %zu%s", path, line, ncols, r.nfields,
			    r.nfields > ncols ?
			    " (quote a field that contains a comma)" : "");
			goto done;
		}
		if ((proto = proto_parse(csv_field(&r, 0))) < 0) {
			err_set(e, "%s:%d: unknown protocol '%s' (use tcp, udp "
			    "or icmp)", path, line, csv_field(&r, 0));
			goto done;
		}
		if (!port_parse(csv_field(&r, 1), proto == PROTO_ICMP ? 255 :
		    65535, &port)) {
			err_set(e, "%s:%d: bad %s '%s' (a number 0-%d)", path,
			    line, proto == PROTO_ICMP ? "ICMP type" : "port",
			    csv_field(&r, 1), proto == PROTO_ICMP ? 255 : 65535);
			goto done;
		}
		if (col_pub >= 0 && *csv_field(&r, (size_t)col_pub) != '\0' &&
		    (published = yyyymm_parse(csv_field(&r,
		    (size_t)col_pub))) == 0) {
			err_set(e, "%s:%d: bad published month '%s' (YYYY-MM, "
			    "1970-01 to 9999-12, or empty)", path, line,
			    csv_field(&r, (size_t)col_pub));
			goto done;
		}
		/* every field of every language is checked, not only ours */
		for (size_t i = 2; i < ncols; i++) {
			const char *v = csv_field(&r, i);

			if ((int)i == col_pub)
				continue;
			bool is_url = strncmp(colname[i], "url", 3) == 0;
			const char *why;
			char what[64];

			snprintf(what, sizeof(what), "the %s", colname[i]);
			if (!text_field_check(path, line, what, v,
			    is_url ? CATALOG_URL_CHARS : CATALOG_TITLE_CHARS, e))
				goto done;
			if (!is_url) {
				any_title = any_title || *v != '\0';
				continue;
			}
			if ((i == 3 || *v != '\0') &&
			    (why = catalog_url_problem(v)) != NULL) {
				err_set(e, "%s:%d: %s '%s' %s", path, line, what,
				    v, *v ? why : "is empty");
				goto done;
			}
		}
		if (!any_title) {
			err_set(e, "%s:%d: no title in any language", path, line);
			goto done;
		}
		if ((pe = port_find_mut(c, proto, (int)port)) == NULL) {
			err_set(e, "%s:%d: %ld/%s is not in ports.csv (add it there "
			    "first)", path, line, port, proto_name(proto));
			goto done;
		}
		title = csv_field(&r, (size_t)col_title);
		url = col_url_lang >= 0 && *csv_field(&r, (size_t)col_url_lang) ?
		    csv_field(&r, (size_t)col_url_lang) : csv_field(&r,
		    (size_t)col_url);
		if (*title == '\0')
			continue;     /* not in this language */
		if (pe->nrefs == CATALOG_REFS_MAX) {
			err_set(e, "%s:%d: more than %d references for %ld/%s",
			    path, line, CATALOG_REFS_MAX, port, proto_name(proto));
			goto done;
		}
		if (pe->refs == NULL && (pe->refs = calloc(CATALOG_REFS_MAX,
		    sizeof(*pe->refs))) == NULL) {
			err_set(e, "%s: out of memory", path);
			goto done;
		}
		pe->refs[pe->nrefs].title = strdup(title);
		pe->refs[pe->nrefs].url = strdup(url);
		pe->refs[pe->nrefs].published = published;
		pe->nrefs++;
		if (pe->refs[pe->nrefs - 1].title == NULL ||
		    pe->refs[pe->nrefs - 1].url == NULL) {
			err_set(e, "%s: out of memory", path);
			goto done;
		}
	}
	if (eof)
		ok = true;
done:
	csv_close(&r, data);
	free(path);
	return ok;
}

struct catalog *
catalog_load(const char *dir, struct err *e)
{
	return catalog_load_lang(dir, "ja", e);
}

struct catalog *
catalog_load_lang(const char *dir, const char *lang, struct err *e)
{
	struct catalog *c;

	if (dir == NULL) {
		err_set(e, "catalogue: no folder given");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		err_set(e, "%s: out of memory", dir);
		return NULL;
	}
	if (!ports_load(c, dir, lang, e) || !countries_load(c, dir, lang, e) ||
	    !refs_load(c, dir, lang, e)) {
		catalog_destroy(c);
		return NULL;
	}
	return c;
}

void
catalog_destroy(struct catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nports; i++) {
		free(c->ports[i].label);
		free(c->ports[i].explanation);
		for (size_t k = 0; k < c->ports[i].nrefs; k++) {
			free((char *)c->ports[i].refs[k].title);
			free((char *)c->ports[i].refs[k].url);
		}
		free(c->ports[i].refs);
	}
	free(c->ports);
	for (size_t i = 0; i < 26 * 26; i++)
		free(c->country[i]);
	free(c);
}

/* ---- lookups ---------------------------------------------------------------- */

static const struct port_entry *
port_find(const struct catalog *c, int proto, int port)
{
	return port_find_mut(c, proto, port);
}

static struct port_entry *
port_find_mut(const struct catalog *c, int proto, int port)
{
	size_t lo = 0, hi;
	uint32_t key;

	if (c == NULL || proto < 0 || proto > 255 || port < 0 || port > 65535)
		return NULL;
	key = (uint32_t)proto << 16 | (uint32_t)port;
	hi = c->nports;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->ports[mid].key < key)
			lo = mid + 1;
		else if (c->ports[mid].key > key)
			hi = mid;
		else
			return &c->ports[mid];
	}
	return NULL;
}

const char *
catalog_port_label(const struct catalog *c, int proto, int port, char *buf,
    size_t len)
{
	const struct port_entry *pe = port_find(c, proto, port);

	if (pe != NULL && pe->label != NULL)
		return pe->label;
	if (buf == NULL || len == 0)
		return NULL;
	if (proto == PROTO_TCP || proto == PROTO_UDP)
		snprintf(buf, len, "%d/%s", port, proto_name(proto));
	else if (proto == PROTO_ICMP)
		snprintf(buf, len, "ICMP type %d", port);
	else
		snprintf(buf, len, "%d/proto %d", port, proto);
	return buf;
}

size_t
catalog_port_refs(const struct catalog *c, int proto, int port,
    const struct catalog_ref **refs)
{
	const struct port_entry *pe = port_find(c, proto, port);

	*refs = pe != NULL ? pe->refs : NULL;
	return pe != NULL ? pe->nrefs : 0;
}

const char *
catalog_port_explanation(const struct catalog *c, int proto, int port)
{
	const struct port_entry *pe = port_find(c, proto, port);

	return pe != NULL ? pe->explanation : NULL;
}

const char *
catalog_country_name(const struct catalog *c, const char *cc)
{
	if (c == NULL || cc == NULL || cc[0] < 'A' || cc[0] > 'Z' ||
	    cc[1] < 'A' || cc[1] > 'Z' || cc[2] != '\0')
		return NULL;
	return c->country[(cc[0] - 'A') * 26 + (cc[1] - 'A')];
}
