/* svg.c — charts as inline SVG elements. */
#include "svg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>

void
html_escape(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_adds(b, rep);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	struct buf *b = closure;

	buf_add(b, (const char *)data, len);
	return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

bool
svg_begin(struct svg *s, double w, double h, struct err *e)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
	s->h = h;
	s->surf = cairo_svg_surface_create_for_stream(to_buf, &s->raw, w, h);
	cairo_svg_surface_restrict_to_version(s->surf, CAIRO_SVG_VERSION_1_1);
	cairo_svg_surface_set_document_unit(s->surf, CAIRO_SVG_UNIT_USER);
	s->cr = cairo_create(s->surf);
	if (cairo_status(s->cr) != CAIRO_STATUS_SUCCESS) {
		svg_abort(s);
		return err_set(e, "cannot create an SVG surface");
	}
	cairo_set_source_rgb(s->cr, 1, 1, 1);
	cairo_paint(s->cr);
	return true;
}

void
svg_abort(struct svg *s)
{
	if (s->cr)
		cairo_destroy(s->cr);
	if (s->surf) {
		cairo_surface_finish(s->surf);
		cairo_surface_destroy(s->surf);
	}
	buf_free(&s->raw);
	memset(s, 0, sizeof(*s));
}

/* The ids met so far, in order. */
struct ids {
	char **name;
	size_t n, cap;
	bool oom;
};

static size_t
id_number(struct ids *t, const char *name, size_t len)
{
	char *copy;

	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->name[i]) == len && memcmp(t->name[i], name, len) == 0)
			return i + 1;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 32;
		char **nn = realloc(t->name, ncap * sizeof(*nn));

		if (nn == NULL) {
			t->oom = true;
			return 0;
		}
		t->name = nn;
		t->cap = ncap;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		t->oom = true;
		return 0;
	}
	memcpy(copy, name, len);
	copy[len] = '\0';
	t->name[t->n++] = copy;
	return t->n;
}

/* Copies cairo's SVG to out with the prolog dropped, the root element
 * given a role and a label, and every id (definitions and references)
 * renamed. */
static bool
rewrite(const char *in, const char *prefix, const char *label,
    struct buf *out)
{
	static const char *const marks[] = { "id=\"", "href=\"#", "url(#" };
	struct ids t = { 0 };
	const char *p = strstr(in, "<svg"), *next[3];

	if (p == NULL)
		return false;
	/* the root element's attributes come first */
	buf_add(out, p, 4);
	buf_adds(out, " role=\"img\" aria-label=\"");
	html_escape(out, label);
	buf_adds(out, "\"");
	p += 4;
	for (size_t m = 0; m < 3; m++)
		next[m] = strstr(p, marks[m]);
	for (;;) {
		const char *best = NULL, *name;
		size_t bm = 0, len, num;

		for (size_t m = 0; m < 3; m++)
			if (next[m] != NULL && (best == NULL || next[m] < best)) {
				best = next[m];
				bm = m;
			}
		if (best == NULL) {
			buf_adds(out, p);
			break;
		}
		name = best + strlen(marks[bm]);
		len = strcspn(name, bm == 2 ? ")" : "\"");
		num = id_number(&t, name, len);
		buf_add(out, p, (size_t)(name - p));
		buf_addf(out, "%s-%zu", prefix, num);
		p = name + len;
		/* search again only for the mark just passed */
		next[bm] = strstr(p, marks[bm]);
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.name[i]);
	free(t.name);
	/* drop a trailing newline */
	while (out->len > 0 && out->s[out->len - 1] == '\n')
		out->s[--out->len] = '\0';
	return !t.oom && !out->oom;
}

/* Copies the path data d="…" of in with coordinates rounded to 1/100 of
 * a unit (cairo writes six decimals; a hundredth of a CSS pixel is below
 * what any screen shows): a fifth less to download. */
static void
shorten_paths(const char *in, struct buf *out)
{
	const char *p = in, *d;

	while ((d = strstr(p, " d=\"")) != NULL) {
		const char *end = strchr(d + 4, '"');

		if (end == NULL)
			break;
		buf_add(out, p, (size_t)(d + 4 - p));
		for (p = d + 4; p < end;) {
			const char *q = p;

			if (*q == '-')
				q++;
			while (q < end && *q >= '0' && *q <= '9')
				q++;
			if (q < end && *q == '.' && q > p && q - p < 16) {
				const char *ip = *p == '-' ? p + 1 : p, *f = q + 1;
				int64_t v = 0;
				int dig[3] = { 0, 0, 0 };
				char tmp[32];
				size_t n = 0;

				for (const char *c = ip; c < q; c++)
					v = v * 10 + (*c - '0');
				for (int i = 0; i < 3 && f + i < end &&
				    f[i] >= '0' && f[i] <= '9'; i++)
					dig[i] = f[i] - '0';
				/* hundredths, half away from zero */
				v = v * 100 + dig[0] * 10 + dig[1] + (dig[2] >= 5);
				q++;
				while (q < end && *q >= '0' && *q <= '9')
					q++;
				if (*p == '-' && v != 0)
					tmp[n++] = '-';
				n += (size_t)snprintf(tmp + n, sizeof(tmp) - n,
				    "%lld", (long long)(v / 100));
				if (v % 100 != 0) {
					tmp[n++] = '.';
					tmp[n++] = (char)('0' + v % 100 / 10);
					if (v % 10 != 0)
						tmp[n++] = (char)('0' + v % 10);
				}
				buf_add(out, tmp, n);
				p = q;
			} else {
				/* not a decimal number: copy up to the next char */
				if (q == p)
					q++;
				buf_add(out, p, (size_t)(q - p));
				p = q;
			}
		}
	}
	buf_adds(out, p);
}

bool
svg_end(struct svg *s, const char *prefix, const char *label,
    struct buf *out, struct err *e)
{
	bool ok;

	cairo_destroy(s->cr);
	s->cr = NULL;
	cairo_surface_finish(s->surf);
	ok = cairo_surface_status(s->surf) == CAIRO_STATUS_SUCCESS &&
	    !s->raw.oom && s->raw.s != NULL;
	cairo_surface_destroy(s->surf);
	s->surf = NULL;
	if (!ok) {
		svg_abort(s);
		return err_set(e, "%s: cannot write the SVG", prefix);
	}
	{
		struct buf ids = { 0 };

		ok = rewrite(s->raw.s, prefix, label, &ids);
		if (ok)
			shorten_paths(ids.s, out);
		ok = ok && !out->oom;
		buf_free(&ids);
	}
	svg_abort(s);
	return ok ? true : err_set(e, "%s: cannot rewrite the SVG (out of memory?)",
	    prefix);
}
