/* chart_line.c — line charts over categories, optionally with a second
 * value axis on the right.
 *
 * Points sit at the centres of the category slots (as columns would), so a
 * line chart lines up with a column chart of the same categories.  NAN
 * values break the line.  With two axes, each axis title starts with the
 * line-and-marker sample of its series so the reader knows which is which.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "chart_internal.h"

static const enum chart_mark marks[] = {
	CHART_MARK_CIRCLE, CHART_MARK_SQUARE, CHART_MARK_TRIANGLE,
	CHART_MARK_DIAMOND,
};

static bool
line_valid(const struct chart_line *c, const struct chart_style *st,
		const cairo_t *cr, double w, double h)
{
	if (c == NULL || st == NULL || cr == NULL)
		return false;
	if (!(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h))
		return false;
	if (c->ncat > 0 && c->categories == NULL)
		return false;
	if (c->nseries > 0 && c->series == NULL)
		return false;
	for (size_t j = 0; j < c->nseries && c->ncat > 0; j++)
		if (c->series[j].values == NULL)
			return false;
	return true;
}

static bool
on_right(const struct chart_line *c, size_t j)
{
	return c->y2_label != NULL && c->nseries >= 2 && j == 1;
}

/* Axis for the series on one side. */
/* Gives the right axis as many intervals as the left one, with the
 * smallest nice step (1-2-5 × 10^k) that still covers its data, so that
 * both sets of ticks sit on the same gridlines. */
static void
align_right_axis(struct chart_text *t, const struct chart_axis *l,
		struct chart_axis *r)
{
	static const double m[] = { 1, 2, 2.5, 5, 10 };
	double n, need, mag, step = 0;
	struct chart_ticks tk;

	if (l->tk.step <= 0 || l->tk.min != 0 || r->tk.min != 0)
		return;
	n = round((l->tk.max - l->tk.min) / l->tk.step);
	if (n < 1)
		return;
	/* the right data's top: its own nice axis may overshoot, use it */
	need = r->tk.max / n;
	if (need <= 0)
		return;
	mag = pow(10, floor(log10(need)));
	for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++) {
		if (m[i] * mag >= need * (1 - 1e-9)) {
			step = m[i] * mag;
			break;
		}
	}
	if (step <= 0)
		return;
	if (r->decimals == 0 && step < 1)
		step = 1;
	tk.min = 0;
	tk.step = step;
	tk.n = (size_t)n + 1;
	tk.max = step * n;
	chart_axis_init_ticks(r, t, tk, r->suffix);
}

static void
side_axis(const struct chart_line *c, struct chart_text *t, bool right,
		struct chart_axis *ax)
{
	double lo = 0, hi = 0;
	bool integer = true;

	for (size_t j = 0; j < c->nseries; j++) {
		if (on_right(c, j) != right)
			continue;
		for (size_t i = 0; i < c->ncat; i++) {
			double v = c->series[j].values[i];

			if (!isfinite(v))
				continue;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
		if (!chart_values_integer(c->series[j].values, c->ncat))
			integer = false;
	}
	chart_axis_init_data(ax, t, lo, hi, integer, 6,
	    right ? c->y2_max : c->y_max);
}

/* Line and marker sample of series j, width sw, centred vertically at y. */
static void
draw_sample(const struct chart_line *c, struct chart_text *t, size_t j,
		double x, double y, double sw)
{
	cairo_t *cr = t->cr;

	cairo_save(cr);
	chart_set_rgb(cr, c->series[j].color);
	cairo_set_line_width(cr, t->size * 0.2);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + sw, y);
	cairo_stroke(cr);
	if (c->markers)
		chart_mark_draw(cr, marks[j % 4], x + sw / 2, y,
		    t->size * 0.3, c->series[j].color);
	cairo_restore(cr);
}

/* Marker radius of series j: later series (drawn underneath) a little
 * larger, so that coinciding points still show both shapes. */
static double
mark_r(const struct chart_text *t, size_t j)
{
	return t->size * 0.3 * (1 + 0.25 * (double)(j % 4));
}

static void
draw_series(const struct chart_line *c, struct chart_text *t, size_t j,
		const struct chart_axis *ax, double left, double slot,
		double top, double bottom, struct chart_place *pl)
{
	static const double dash[] = { 3.5, 1.8 };
	cairo_t *cr = t->cr;
	const double *v = c->series[j].values;
	bool pen = false;
	double px0 = 0, py0 = 0;

	cairo_save(cr);
	chart_set_rgb(cr, c->series[j].color);
	cairo_set_line_width(cr, t->size * 0.2);
	if (j % 2 == 1)
		cairo_set_dash(cr, dash, 2, 0);  /* visible where lines meet */
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	for (size_t i = 0; i < c->ncat; i++) {
		double px = left + ((double)i + 0.5) * slot;
		double py = chart_axis_map(ax, v[i], top, bottom);

		if (!isfinite(v[i])) {
			pen = false;
			continue;
		}
		if (pen) {
			cairo_line_to(cr, px, py);
			chart_place_segment(pl, px0, py0, px, py);
		} else
			cairo_move_to(cr, px, py);
		pen = true;
		px0 = px;
		py0 = py;
	}
	cairo_stroke(cr);
	for (size_t i = 0; i < c->ncat; i++) {
		double px = left + ((double)i + 0.5) * slot;
		double py = chart_axis_map(ax, v[i], top, bottom);
		bool alone = (i == 0 || !isfinite(v[i - 1])) &&
		    (i + 1 == c->ncat || !isfinite(v[i + 1]));

		double r = c->markers ? mark_r(t, j) * 1.25 : t->size * 0.25;
		struct chart_label_box b;

		if (!isfinite(v[i]))
			continue;
		if (c->markers)
			chart_mark_draw(cr, marks[j % 4], px, py,
			    mark_r(t, j), c->series[j].color);
		else if (alone)
			chart_mark_draw(cr, CHART_MARK_CIRCLE, px, py,
			    t->size * 0.2, c->series[j].color);
		b = (struct chart_label_box){ px - r, py - r, 2 * r, 2 * r,
		    CHART_LABEL_MARKER };
		chart_place_box(pl, b);
		if (c->markers || alone)
			chart_report(t->st, b);
	}
	cairo_restore(cr);
}

static int
by_rank(const void *a, const void *b)
{
	const size_t *p = a, *q = b;

	return (p[0] > q[0]) - (p[0] < q[0]);
}

/* Value labels by their points, in the series' colour, placed among the
 * lines, markers and earlier labels inside the plot: above the point,
 * else below, else beside; a label with no clear place is dropped.  The
 * extremes of each series are placed first, then the rest left to
 * right. */
static void
draw_values(const struct chart_line *c, struct chart_text *t,
		const struct chart_axis *axl, const struct chart_axis *axr,
		double left, double slot, double top, double bottom,
		struct chart_place *pl)
{
	size_t n = c->ncat * c->nseries, k = 0, (*order)[3];
	double off = t->size * 0.35;

	(void)top;
	if (n == 0 || (order = calloc(n, sizeof *order)) == NULL)
		return;
	for (size_t j = 0; j < c->nseries; j++) {
		const double *v = c->series[j].values;
		size_t imax = SIZE_MAX, imin = SIZE_MAX;

		for (size_t i = 0; i < c->ncat; i++) {
			if (!isfinite(v[i]))
				continue;
			if (imax == SIZE_MAX || v[i] > v[imax])
				imax = i;
			if (imin == SIZE_MAX || v[i] < v[imin])
				imin = i;
		}
		for (size_t i = 0; i < c->ncat; i++) {
			size_t rank = i == imax ? 0 : i == imin ? 1 : 2;

			if (!isfinite(v[i]))
				continue;
			order[k][0] = rank * c->nseries * c->ncat + j * c->ncat + i;
			order[k][1] = j;
			order[k][2] = i;
			k++;
		}
	}
	qsort(order, k, sizeof *order, by_rank);
	t->kind = CHART_LABEL_VALUE;
	for (size_t q = 0; q < k; q++) {
		size_t j = order[q][1], i = order[q][2];
		const struct chart_axis *ax = on_right(c, j) ? axr : axl;
		struct chart_rgb col = c->series[j].color;
		double v = c->series[j].values[i], px, py, tw, th, d, dec;
		struct chart_label_box cand[8];
		char buf[96];
		int got;

		px = left + ((double)i + 0.5) * slot;
		py = chart_axis_map(ax, v, top, bottom);
		dec = c->value_decimals >= 0 ? c->value_decimals :
		    v == floor(v) ? 0 : 1;
		chart_format_unit(v, ax->unit, (int)dec, buf, sizeof buf);
		chart_text_size(t, buf, 0.9, &tw, &th);
		d = off + (c->markers ? mark_r(t, j) * 1.25 : 0);
		cand[0] = (struct chart_label_box){ px - tw / 2, py - d - th, tw, th, CHART_LABEL_VALUE };
		cand[1] = (struct chart_label_box){ px - tw / 2, py + d, tw, th, CHART_LABEL_VALUE };
		cand[2] = (struct chart_label_box){ px + d * 0.7, py - d - th, tw, th, CHART_LABEL_VALUE };
		cand[3] = (struct chart_label_box){ px - d * 0.7 - tw, py - d - th, tw, th, CHART_LABEL_VALUE };
		cand[4] = (struct chart_label_box){ px + d * 0.7, py + d, tw, th, CHART_LABEL_VALUE };
		cand[5] = (struct chart_label_box){ px - d * 0.7 - tw, py + d, tw, th, CHART_LABEL_VALUE };
		cand[6] = (struct chart_label_box){ px + d, py - th / 2, tw, th, CHART_LABEL_VALUE };
		cand[7] = (struct chart_label_box){ px - d - tw, py - th / 2, tw, th, CHART_LABEL_VALUE };
		got = chart_place_take(pl, cand, 8);
		if (got < 0) {
			if (t->st->labels != NULL)
				t->st->labels->dropped++;
			continue;
		}
		if (chart_rgb_luminance(col) > 0.75)
			col = t->st->text_color;
		t->halo = true;
		chart_text_draw(t, buf, 0.9, cand[got].x, cand[got].y, 0, 0, 0,
		    col);
		t->halo = false;
	}
	free(order);
}

/* Legend items of c (none with two axes: the axis titles carry the
 * samples) and both axes. */
static void
line_layout(const struct chart_line *c, struct chart_text *t,
		struct chart_legend_item *items, struct chart_legend *lg,
		double x, double y, double w, double h, double area[4],
		struct chart_axis *axl, struct chart_axis *axr)
{
	bool dual = c->y2_label != NULL && c->nseries >= 2;

	for (size_t j = 0; j < c->nseries; j++) {
		items[j].label = c->series[j].label;
		items[j].color = c->series[j].color;
		items[j].mark = c->markers ? marks[j % 4] : CHART_MARK_LINE;
	}
	chart_legend_place(lg, t, items, dual ? 0 : c->nseries, x, y, w, h,
	    0.28, area);
	side_axis(c, t, false, axl);
	if (dual) {
		side_axis(c, t, true, axr);
		align_right_axis(t, axl, axr);
	} else
		*axr = *axl;
}

bool
chart_line_measure(const struct chart_line *c, struct chart_style *st,
		cairo_t *cr, double w, double h, struct chart_geometry *g)
{
	struct chart_text t;
	struct chart_legend lg;
	struct chart_legend_item *items = NULL;
	struct chart_axis axl, axr;
	double area[4], x = 0, y = 0;
	struct chart_labels *saved;

	if (g == NULL || !line_valid(c, st, cr, w, h))
		return false;
	if (c->nseries > 0 &&
	    (items = calloc(c->nseries, sizeof *items)) == NULL)
		return false;
	saved = st->labels;
	st->labels = NULL;
	cairo_save(cr);
	chart_area_clip(cr, &x, &y, &w, &h);
	if (chart_text_begin(&t, st, cr)) {
		line_layout(c, &t, items, &lg, x, y, w, h, area, &axl, &axr);
		g->axis_width = axl.label_w;
		g->axis2_width = c->y2_label != NULL && c->nseries >= 2 ?
		    axr.label_w : 0;
		g->legend_width = lg.right ? lg.w : 0;
		chart_text_end(&t);
	}
	cairo_restore(cr);
	cairo_restore(cr);
	st->labels = saved;
	free(items);
	return true;
}

bool
chart_line_draw(const struct chart_line *c, struct chart_style *st,
		cairo_t *cr, double x, double y, double w, double h)
{
	struct chart_text t;
	struct chart_legend lg;
	struct chart_legend_item *items = NULL;
	struct chart_axis axl, axr;
	struct chart_place pl;
	double area[4], line_h, gap, title_h, top, bottom, left, right, slot;
	double sw, ceiling, lw, rw;
	bool dual, ok = false;
	size_t every;
	char title[2][256];
	const char *yl, *y2l;

	if (!line_valid(c, st, cr, w, h))
		return false;
	if (c->nseries > 0 &&
	    (items = calloc(c->nseries, sizeof *items)) == NULL)
		return false;
	chart_report_begin(st, x, y, w, h);
	chart_area_clip(cr, &x, &y, &w, &h);
	if (!chart_text_begin(&t, st, cr))
		goto err_text;
	dual = c->y2_label != NULL && c->nseries >= 2;
	line_h = chart_text_line_height(&t, 1);
	gap = chart_axis_gap(&t);
	sw = t.size * 2;

	line_layout(c, &t, items, &lg, x, y, w, h, area, &axl, &axr);
	yl = chart_axis_title(&axl, &t, c->y_label, title[0], sizeof title[0]);
	y2l = chart_axis_title(&axr, &t, c->y2_label, title[1], sizeof title[1]);
	lw = fmax(axl.label_w, st->axis_width);
	rw = fmax(axr.label_w, st->axis2_width);

	title_h = c->y_label != NULL || dual ? line_h * 1.5 : 0;
	ceiling = area[1] + title_h;
	top = ceiling + axl.label_h / 2;
	if (c->value_labels)
		top += line_h * 0.6;
	bottom = area[1] + area[3] - line_h - gap * 0.6;
	left = area[0] + lw + gap;
	right = area[0] + area[2] - (dual ? rw + gap : gap);
	if (bottom < top + 1)
		bottom = top + 1;
	if (right < left + 1)
		right = left + 1;
	slot = (right - left) / (double)(c->ncat > 0 ? c->ncat : 1);
	every = c->label_every > 0 ? c->label_every :
	    chart_axis_categories_every(&t, c->categories, c->ncat, slot);
	chart_place_init(&pl, left + 1, ceiling, right - left - 2,
	    bottom - 1 - ceiling, t.size * 2);

	chart_draw_missing(&t, c->missing, c->missing_text, c->ncat, left,
	    slot, top, bottom, &pl);
	chart_axis_draw_grid(&t, &axl, left, right, top, bottom);
	cairo_save(cr);
	chart_set_rgb(cr, st->axis_color);
	cairo_set_line_width(cr, st->line_width);
	cairo_move_to(cr, left, bottom);
	cairo_line_to(cr, right, bottom);
	cairo_stroke(cr);
	/* small ticks at the labelled categories */
	cairo_set_line_width(cr, st->line_width * 0.8);
	for (size_t i = 0; i < c->ncat; i += every ? every : 1) {
		cairo_move_to(cr, left + ((double)i + 0.5) * slot, bottom);
		cairo_line_to(cr, left + ((double)i + 0.5) * slot,
		    bottom + gap * 0.4);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
	chart_axis_draw_labels(&t, &axl, left, top, bottom, false);
	if (dual)
		chart_axis_draw_labels(&t, &axr, right, top, bottom, true);
	/* category labels keep clear of the tick labels beside them */
	chart_axis_draw_categories(&t, c->categories, c->ncat, left, slot,
	    bottom + gap * 0.8, every, left - gap * 0.5,
	    dual ? right + gap * 0.5 : area[0] + area[2]);

	for (size_t j = c->nseries; j-- > 0;)
		draw_series(c, &t, j, on_right(c, j) ? &axr : &axl, left, slot,
		    top, bottom, &pl);
	if (c->value_labels)
		draw_values(c, &t, &axl, &axr, left, slot, top, bottom, &pl);
	chart_place_free(&pl);

	t.kind = CHART_LABEL_TITLE;
	if (dual) {
		double tw, half = (area[2] - 2 * (sw + gap) - gap) / 2;

		if (half < 0)
			half = 0;
		draw_sample(c, &t, 0, area[0], area[1] + line_h / 2, sw);
		chart_text_draw(&t, yl, 1, area[0] + sw + gap,
		    area[1], 0, 0, half, st->text_color);
		chart_text_size(&t, y2l, 1, &tw, NULL);
		if (tw > half)
			tw = half;
		draw_sample(c, &t, 1, area[0] + area[2] - tw - gap - sw,
		    area[1] + line_h / 2, sw);
		chart_text_draw(&t, y2l, 1, area[0] + area[2], area[1],
		    1, 0, half, st->text_color);
	} else if (c->y_label != NULL) {
		chart_text_draw(&t, yl, 1, area[0], area[1], 0, 0,
		    area[2], st->text_color);
	}
	t.kind = CHART_LABEL_NOTE;
	if (c->ncat == 0 || c->nseries == 0)
		chart_text_draw(&t, st->empty_text, 1.2, (left + right) / 2,
		    (top + bottom) / 2, 0.5, 0.5, right - left,
		    st->text_color);
	chart_legend_draw(&lg, &t);
	ok = true;

	chart_text_end(&t);
err_text:
	cairo_restore(cr);
	free(items);
	return ok;
}
