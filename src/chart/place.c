/* place.c — label placement with collision avoidance, reported boxes and
 * units for large values.
 *
 * A chart_place holds what labels must not cover: boxes (markers, text
 * already drawn) and line segments (series lines), filed in a uniform grid
 * so that a test touches only the objects near the label.  A label is
 * offered a list of candidate positions in order of preference (above its
 * point, below, beside...); it takes the first that lies inside the bounds
 * and clear of everything, and becomes an obstacle itself.  A label with
 * no clear candidate is dropped, so callers offer labels in priority
 * order.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

struct place_obj {
	bool segment;
	double x0, y0, x1, y1;   /* box corners, or segment ends */
};

struct place_link {
	size_t obj;
	size_t next;
};

#define PLACE_MAX_CELLS 65536

bool
chart_place_init(struct chart_place *p, double x, double y, double w,
		double h, double cell)
{
	memset(p, 0, sizeof *p);
	p->x = x;
	p->y = y;
	p->w = w > 0 ? w : 0;
	p->h = h > 0 ? h : 0;
	if (!(cell > 0))
		cell = 10;
	while ((p->w / cell + 1) * (p->h / cell + 1) > PLACE_MAX_CELLS)
		cell *= 2;
	p->cell = cell;
	p->cols = (size_t)(p->w / cell) + 1;
	p->rows = (size_t)(p->h / cell) + 1;
	p->head = malloc(p->cols * p->rows * sizeof *p->head);
	if (p->head == NULL) {
		p->failed = true;
		return false;
	}
	for (size_t i = 0; i < p->cols * p->rows; i++)
		p->head[i] = SIZE_MAX;
	return true;
}

void
chart_place_free(struct chart_place *p)
{
	free(p->head);
	free(p->obj);
	free(p->link);
	memset(p, 0, sizeof *p);
}

static size_t
clampi(double v, size_t n)
{
	if (!(v > 0))
		return 0;
	if (v >= (double)(n - 1))
		return n - 1;
	return (size_t)v;
}

/* Grid cells covered by [x0, x1] × [y0, y1]. */
static void
cells(const struct chart_place *p, double x0, double y0, double x1,
		double y1, size_t *c0, size_t *r0, size_t *c1, size_t *r1)
{
	*c0 = clampi((x0 - p->x) / p->cell, p->cols);
	*c1 = clampi((x1 - p->x) / p->cell, p->cols);
	*r0 = clampi((y0 - p->y) / p->cell, p->rows);
	*r1 = clampi((y1 - p->y) / p->cell, p->rows);
}

static void
add(struct chart_place *p, struct place_obj o)
{
	size_t c0, r0, c1, r1;

	if (p->failed)
		return;
	if (p->nobj == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct place_obj *n = realloc(p->obj, cap * sizeof *n);

		if (n == NULL) {
			p->failed = true;
			return;
		}
		p->obj = n;
		p->cap = cap;
	}
	p->obj[p->nobj] = o;
	cells(p, fmin(o.x0, o.x1), fmin(o.y0, o.y1), fmax(o.x0, o.x1),
	    fmax(o.y0, o.y1), &c0, &r0, &c1, &r1);
	for (size_t r = r0; r <= r1; r++)
		for (size_t c = c0; c <= c1; c++) {
			size_t k = r * p->cols + c;

			if (p->nlink == p->link_cap) {
				size_t cap = p->link_cap ? p->link_cap * 2 : 256;
				struct place_link *n = realloc(p->link,
				    cap * sizeof *n);

				if (n == NULL) {
					p->failed = true;
					return;
				}
				p->link = n;
				p->link_cap = cap;
			}
			p->link[p->nlink] = (struct place_link){ p->nobj,
			    p->head[k] };
			p->head[k] = p->nlink++;
		}
	p->nobj++;
}

void
chart_place_box(struct chart_place *p, struct chart_label_box b)
{
	add(p, (struct place_obj){ false, b.x, b.y, b.x + b.w, b.y + b.h });
}

void
chart_place_segment(struct chart_place *p, double x0, double y0, double x1,
		double y1)
{
	if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	add(p, (struct place_obj){ true, x0, y0, x1, y1 });
}

/* Liang–Barsky: does the segment cross the open box? */
static bool
segment_hits(const struct place_obj *o, double bx0, double by0, double bx1,
		double by1)
{
	double t0 = 0, t1 = 1, dx = o->x1 - o->x0, dy = o->y1 - o->y0;
	double pp[4] = { -dx, dx, -dy, dy };
	double qq[4] = { o->x0 - bx0, bx1 - o->x0, o->y0 - by0, by1 - o->y0 };

	for (int i = 0; i < 4; i++) {
		if (pp[i] == 0) {
			if (qq[i] <= 0)
				return false;
			continue;
		}
		double r = qq[i] / pp[i];

		if (pp[i] < 0) {
			if (r > t1)
				return false;
			if (r > t0)
				t0 = r;
		} else {
			if (r < t0)
				return false;
			if (r < t1)
				t1 = r;
		}
	}
	return t0 < t1;
}

bool
chart_place_clear(const struct chart_place *p, const struct chart_label_box *b)
{
	double x0 = b->x, y0 = b->y, x1 = b->x + b->w, y1 = b->y + b->h;
	const double eps = 1e-6;
	size_t c0, r0, c1, r1;

	if (p->failed || p->head == NULL)
		return false;
	if (x0 < p->x - eps || y0 < p->y - eps || x1 > p->x + p->w + eps ||
	    y1 > p->y + p->h + eps)
		return false;
	cells(p, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
	for (size_t r = r0; r <= r1; r++)
		for (size_t c = c0; c <= c1; c++)
			for (size_t k = p->head[r * p->cols + c]; k != SIZE_MAX;
			    k = p->link[k].next) {
				const struct place_obj *o = &p->obj[p->link[k].obj];

				if (o->segment) {
					if (segment_hits(o, x0, y0, x1, y1))
						return false;
				} else if (o->x0 < x1 - eps && x0 < o->x1 - eps &&
				    o->y0 < y1 - eps && y0 < o->y1 - eps)
					return false;
			}
	return true;
}

int
chart_place_take(struct chart_place *p, const struct chart_label_box *cand,
		size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (chart_place_clear(p, &cand[i])) {
			chart_place_box(p, cand[i]);
			return (int)i;
		}
	return -1;
}

void
chart_report_begin(struct chart_style *st, double x, double y, double w,
		double h)
{
	if (st->labels == NULL)
		return;
	st->labels->x = x;
	st->labels->y = y;
	st->labels->w = w;
	st->labels->h = h;
}

void
chart_report(struct chart_style *st, struct chart_label_box b)
{
	struct chart_labels *l = st->labels;

	if (l == NULL)
		return;
	if (l->box != NULL && l->n < l->cap)
		l->box[l->n] = b;
	l->n++;
}

/* Without a caller's scheme, values of 10^8 and more (tick labels of
 * eleven characters and more) are written in powers of ten, so that the
 * tick labels never squeeze the plot. */
static const struct chart_unit neutral_units[] = {
	{ 1e6, "×10^6", NULL }, { 1e9, "×10^9", NULL },
	{ 1e12, "×10^12", NULL }, { 1e15, "×10^15", NULL },
	{ 1e18, "×10^18", NULL },
};

const struct chart_unit *
chart_unit_for(const struct chart_style *st, double top)
{
	const struct chart_unit *best = NULL, *units = st->units;
	double from = st->unit_from > 0 ? st->unit_from : 1e6;
	size_t n = st->nunits;

	if (units == NULL) {
		units = neutral_units;
		n = sizeof neutral_units / sizeof neutral_units[0];
		from = 1e8;
	}
	if (!(fabs(top) >= from))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct chart_unit *u = &units[i];

		if (!(u->divisor > 1) || !isfinite(u->divisor) ||
		    u->divisor > fabs(top))
			continue;
		if (best == NULL || u->divisor > best->divisor)
			best = u;
	}
	return best;
}

char *
chart_format_unit(double v, const struct chart_unit *u, int decimals,
		char *buf, size_t len)
{
	char num[128];

	if (u == NULL)
		return chart_format_number(v, decimals, buf, len);
	v /= u->divisor;
	decimals = fabs(v) >= 100 || v == 0 ? 0 : fabs(v) >= 10 ? 1 : 2;
	chart_format_number(v, decimals, num, sizeof num);
	snprintf(buf, len, "%s%s", num, u->label != NULL ? u->label :
	    u->name != NULL ? u->name : "");
	return buf;
}
