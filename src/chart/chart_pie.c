/* chart_pie.c — pie charts with percentage labels and a legend.
 *
 * Slices run clockwise from 12 o'clock.  A percentage goes inside its
 * slice when the arc has room for it, else the name and percentage go
 * outside at the end of a leader line; outside labels are spread
 * vertically on each side so that none overprints another, the smallest
 * slices losing theirs when the side is full, and each is checked against
 * the others (place.c) before it is drawn.  Slices under 0.5 % get no label on the pie (their
 * percentage is still in the legend).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

#define PIE_MIN_LABEL 0.005     /* smallest slice labelled on the pie */

struct pie_label {
	size_t i;                /* slice */
	double mid;              /* mid angle */
	double y;                /* placed text centre */
	double f;                /* share of the slice */
	bool right;
};

static bool
pie_valid(const struct chart_pie *c, const struct chart_style *st,
		const cairo_t *cr, double w, double h)
{
	if (c == NULL || st == NULL || cr == NULL)
		return false;
	if (!(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h))
		return false;
	if (c->n > 0 && (c->labels == NULL || c->values == NULL ||
	    c->colors == NULL))
		return false;
	return true;
}

static double
pie_value(const struct chart_pie *c, size_t i)
{
	double v = c->values[i];

	return isfinite(v) && v > 0 ? v : 0;
}

static int
by_y(const void *a, const void *b)
{
	const struct pie_label *p = a, *q = b;

	return (p->y > q->y) - (p->y < q->y);
}

static int
by_size(const void *a, const void *b)
{
	const struct pie_label *p = a, *q = b;

	return (p->f < q->f) - (p->f > q->f);
}

/* Spreads labels[0..n) at least sp apart within [lo, hi]; when there are
 * more than fit, the labels of the smallest slices are dropped.  Returns
 * how many are kept (at the front, sorted by y). */
static size_t
spread(struct pie_label *l, size_t n, double sp, double lo, double hi)
{
	size_t fit = hi > lo ? (size_t)floor((hi - lo) / sp) + 1 : 1;

	if (n == 0)
		return 0;
	if (n > fit) {
		qsort(l, n, sizeof *l, by_size);
		n = fit;
	}
	qsort(l, n, sizeof *l, by_y);
	if (l[0].y < lo)
		l[0].y = lo;
	for (size_t k = 1; k < n; k++)
		if (l[k].y < l[k - 1].y + sp)
			l[k].y = l[k - 1].y + sp;
	if (l[n - 1].y > hi)
		l[n - 1].y = hi;
	for (size_t k = n - 1; k > 0; k--)
		if (l[k - 1].y > l[k].y - sp)
			l[k - 1].y = l[k].y - sp;
	if (l[0].y < lo) {
		/* more labels than room: share the room evenly */
		double step = n > 1 ? (hi - lo) / (double)(n - 1) : 0;

		for (size_t k = 0; k < n; k++)
			l[k].y = lo + step * (double)k;
	}
	return n;
}

/* true if the percentage text fits inside its slice */
static bool
label_inside(struct chart_text *t, const char *text, double f, double r)
{
	double tw, th, rr = r * 0.66;

	chart_text_size(t, text, 1, &tw, &th);
	if (f >= 0.12)
		return true;
	return f * 2 * CHART_PI * rr >= hypot(tw, th) * 1.1 && r * 0.3 > th;
}

/* Leaders from the rim of each slice out to its label.  The labels of one
 * side share a column just clear of the circle and of every elbow, so
 * that no text sits on another label's leader. */
static void
draw_outside(struct chart_text *t, const struct pie_label *l, size_t n,
		char (*text)[160], const char *const *names, char (*pct)[32],
		double cx, double cy, double r, double e, double max_w,
		struct chart_place *pl)
{
	cairo_t *cr = t->cr;
	double re = r + e * 0.5, col = 0;

	for (size_t k = 0; k < n; k++) {
		double dy = l[k].y - cy, clear = re * re - dy * dy;

		col = fmax(col, fabs(re * cos(l[k].mid)));
		col = fmax(col, clear > 0 ? sqrt(clear) : 0);
	}
	col += e * 0.5;
	t->kind = CHART_LABEL_VALUE;
	for (size_t k = 0; k < n; k++) {
		double sx = cos(l[k].mid), sy = sin(l[k].mid);
		double side = l[k].right ? 1 : -1;
		struct chart_label_box b;

		b = chart_text_box(t, text[l[k].i], 1, cx + side * col, l[k].y,
		    l[k].right ? 0 : 1, 0.5);
		if (b.w > max_w) {
			if (!l[k].right)
				b.x += b.w - max_w;
			b.w = max_w;
		}
		if (chart_place_take(pl, &b, 1) < 0) {
			if (t->st->labels != NULL)
				t->st->labels->dropped++;
			continue;
		}
		cairo_save(cr);
		chart_set_rgb(cr, t->st->axis_color);
		cairo_set_line_width(cr, t->st->line_width * 0.8);
		cairo_move_to(cr, cx + r * sx, cy + r * sy);
		cairo_line_to(cr, cx + re * sx, cy + re * sy);
		cairo_line_to(cr, cx + side * (col - e * 0.25), l[k].y);
		cairo_stroke(cr);
		cairo_restore(cr);
		if (b.w <= max_w) {
			chart_text_draw(t, text[l[k].i], 1, b.x, l[k].y, 0, 0.5,
			    0, t->st->text_color);
		} else {
			/* too long: the name is ellipsized, never the share */
			double pw, sp = t->size * 0.3, nw;

			chart_text_size(t, pct[l[k].i], 1, &pw, NULL);
			nw = b.w - pw - sp;
			if (nw >= t->size * 2)
				chart_text_draw(t, names[l[k].i], 1, b.x,
				    l[k].y, 0, 0.5, nw, t->st->text_color);
			chart_text_draw(t, pct[l[k].i], 1, b.x + b.w, l[k].y,
			    1, 0.5, 0, t->st->text_color);
		}
	}
}

bool
chart_pie_draw(const struct chart_pie *c, struct chart_style *st,
		cairo_t *cr, double x, double y, double w, double h)
{
	struct chart_text t;
	struct chart_legend lg;
	struct chart_legend_item *items = NULL;
	struct pie_label *lab = NULL;
	char (*pct)[32] = NULL, (*otext)[160] = NULL;
	struct chart_place pl;
	double max_w;
	double total = 0, area[4], line_h, e, pw, ph, lw = 0, r, cx, cy, a;
	size_t nl = 0, nr = 0;
	bool ok = false, outside = false;
	int dec;

	if (!pie_valid(c, st, cr, w, h))
		return false;
	if (c->n > 0) {
		items = calloc(c->n, sizeof *items);
		lab = calloc(c->n, sizeof *lab);
		pct = calloc(c->n, sizeof *pct);
		otext = calloc(c->n, sizeof *otext);
		if (items == NULL || lab == NULL || pct == NULL ||
		    otext == NULL)
			goto err_alloc;
	}
	chart_report_begin(st, x, y, w, h);
	chart_area_clip(cr, &x, &y, &w, &h);
	if (!chart_text_begin(&t, st, cr))
		goto err_text;
	line_h = chart_text_line_height(&t, 1);
	e = t.size * 1.4;
	dec = c->decimals == 0 ? 1 : c->decimals < 0 ? 0 : c->decimals;

	for (size_t i = 0; i < c->n; i++)
		total += pie_value(c, i);
	for (size_t i = 0; i < c->n; i++) {
		items[i].label = c->labels[i];
		items[i].color = c->colors[i];
		items[i].mark = CHART_MARK_BOX;
		if (total > 0 && c->value_texts != NULL &&
		    c->value_texts[i] != NULL) {
			snprintf(pct[i], sizeof pct[i], "%s", c->value_texts[i]);
			items[i].value = pct[i];
			snprintf(otext[i], sizeof otext[i], "%s %s",
			    c->labels[i] != NULL ? c->labels[i] : "", pct[i]);
		} else if (total > 0) {
			chart_format_number(pie_value(c, i) / total * 100, dec,
			    pct[i], sizeof pct[i] - 1);
			snprintf(pct[i] + strlen(pct[i]),
			    sizeof pct[i] - strlen(pct[i]), "%%");
			items[i].value = pct[i];
			/* outside, the name goes with the percentage */
			snprintf(otext[i], sizeof otext[i], "%s %s",
			    c->labels[i] != NULL ? c->labels[i] : "", pct[i]);
		}
	}
	/* room for outside labels: only if some slice needs one */
	max_w = w * 0.24;
	for (size_t i = 0; i < c->n && total > 0; i++) {
		double f = pie_value(c, i) / total, tw;

		if (f < PIE_MIN_LABEL || f >= 0.12)
			continue;
		chart_text_size(&t, otext[i], 1, &tw, NULL);
		if (tw > lw)
			lw = fmin(tw, max_w);
		outside = true;	/* refined once r is known */
	}
	pw = outside ? e + t.size * 0.6 + lw + 2 : t.size * 0.5;
	ph = outside ? e * 0.6 + line_h * 0.6 : t.size * 0.5;
	/* legend beside or below, whichever leaves the larger pie */
	{
		struct chart_legend below;
		double area_b[4], rb;

		chart_legend_place(&lg, &t, items, c->n, x, y, w, h, 0.45,
		    area);
		r = fmin(area[2] / 2 - pw, area[3] / 2 - ph);
		chart_legend_place(&below, &t, items, c->n, x, y, w, h, 0,
		    area_b);
		rb = fmin(area_b[2] / 2 - pw, area_b[3] / 2 - ph);
		if (lg.right && rb > r * 1.15) {
			lg = below;
			memcpy(area, area_b, sizeof area_b);
			r = rb;
		}
	}
	if (r < 2)
		r = 2;
	cx = area[0] + area[2] / 2;
	cy = area[1] + area[3] / 2;
	if (lg.right) {
		/* pie and legend side by side, centred together */
		double gap = t.size * 2;
		double block = 2 * (r + pw) + gap + lg.w;

		if (block < w) {
			cx = x + (w - block) / 2 + pw + r;
			lg.x = cx + r + pw + gap;
		}
	}

	if (!(total > 0)) {
		chart_set_rgb(cr, st->axis_color);
		cairo_set_line_width(cr, st->line_width);
		cairo_arc(cr, cx, cy, r, 0, 2 * CHART_PI);
		cairo_stroke(cr);
		chart_text_draw(&t, st->empty_text, 1.2, cx, cy, 0.5, 0.5,
		    2 * r, st->text_color);
		chart_legend_draw(&lg, &t);
		ok = true;
		goto done;
	}

	a = -CHART_PI / 2;
	for (size_t i = 0; i < c->n; i++) {
		double f = pie_value(c, i) / total, a1 = a + f * 2 * CHART_PI;

		if (f > 0) {
			chart_set_rgb(cr, c->colors[i]);
			if (f >= 0.99999) {
				cairo_arc(cr, cx, cy, r, 0, 2 * CHART_PI);
			} else {
				cairo_move_to(cr, cx, cy);
				cairo_arc(cr, cx, cy, r, a, a1);
				cairo_close_path(cr);
			}
			cairo_fill(cr);
		}
		a = a1;
	}
	/* white edges between slices */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, fmin(0.8, r * 0.02));
	a = -CHART_PI / 2;
	{
		/* an edge only between slices wide enough to show it, so that
		 * thousands of slivers do not turn the pie white */
		double min_arc = fmin(0.8, r * 0.02) * 3, prev = 0;

		for (size_t i = 0; i < c->n; i++) {
			double f = pie_value(c, i) / total;
			double arc = f * 2 * CHART_PI * r;

			if (f > 0 && f < 0.99999 && arc >= min_arc &&
			    prev >= min_arc) {
				cairo_move_to(cr, cx, cy);
				cairo_line_to(cr, cx + r * cos(a),
				    cy + r * sin(a));
			}
			if (f > 0)
				prev = arc;
			a += f * 2 * CHART_PI;
		}
		/* the edge at 12 o'clock, between the last and first slice */
		if (prev >= min_arc && pie_value(c, 0) / total * 2 *
		    CHART_PI * r >= min_arc && pie_value(c, 0) / total <
		    0.99999) {
			cairo_move_to(cr, cx, cy);
			cairo_line_to(cr, cx, cy - r);
		}
	}
	cairo_stroke(cr);

	/* labels: inside where they fit, else outside; outside labels keep
	 * clear of the area's bottom edge (a caption may follow) */
	chart_place_init(&pl, area[0], area[1], area[2],
	    area[3] - line_h * 0.5, t.size * 3);
	t.kind = CHART_LABEL_VALUE;
	a = -CHART_PI / 2;
	for (size_t i = 0; i < c->n; i++) {
		double f = pie_value(c, i) / total, mid = a + f * CHART_PI;
		double rr = r * 0.66;

		a += f * 2 * CHART_PI;
		if (f < PIE_MIN_LABEL)
			continue;
		if (label_inside(&t, pct[i], f, r)) {
			struct chart_rgb tc = chart_rgb_luminance(c->colors[i]) >
			    0.5 ? st->text_color : (struct chart_rgb){ 1, 1, 1 };

			chart_place_box(&pl, chart_text_box(&t, pct[i], 1,
			    cx + rr * cos(mid), cy + rr * sin(mid), 0.5, 0.5));
			chart_text_draw(&t, pct[i], 1, cx + rr * cos(mid),
			    cy + rr * sin(mid), 0.5, 0.5, 0, tc);
			continue;
		}
		if (!outside)
			continue;
		if (cos(mid) >= 0) {
			lab[nr].i = i;
			lab[nr].mid = mid;
			lab[nr].y = cy + (r + e * 0.5) * sin(mid);
			lab[nr].right = true;
			lab[nr].f = f;
			nr++;
		}
	}
	/* left-side labels after the right ones in the same array */
	a = -CHART_PI / 2;
	for (size_t i = 0; i < c->n && outside; i++) {
		double f = pie_value(c, i) / total, mid = a + f * CHART_PI;

		a += f * 2 * CHART_PI;
		if (f < PIE_MIN_LABEL || cos(mid) >= 0)
			continue;
		if (label_inside(&t, pct[i], f, r))
			continue;
		lab[nr + nl].i = i;
		lab[nr + nl].mid = mid;
		lab[nr + nl].y = cy + (r + e * 0.5) * sin(mid);
		lab[nr + nl].right = false;
		lab[nr + nl].f = f;
		nl++;
	}
	{
		size_t kr, kl;
		double lo = area[1] + line_h * 0.55;
		double hi = area[1] + area[3] - line_h * 1.05;

		kr = spread(lab, nr, line_h * 1.08, lo, hi);
		kl = spread(lab + nr, nl, line_h * 1.08, lo, hi);
		if (st->labels != NULL)
			st->labels->dropped += nr - kr + nl - kl;
		draw_outside(&t, lab, kr, otext, c->labels, pct, cx, cy, r, e,
		    max_w, &pl);
		draw_outside(&t, lab + nr, kl, otext, c->labels, pct, cx, cy,
		    r, e, max_w, &pl);
	}
	chart_place_free(&pl);
	chart_legend_draw(&lg, &t);
	ok = true;
done:
	chart_text_end(&t);
err_text:
	cairo_restore(cr);
err_alloc:
	free(otext);
	free(pct);
	free(lab);
	free(items);
	return ok;
}
