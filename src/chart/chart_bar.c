/* chart_bar.c — stacked and 100 %-stacked column charts.
 *
 * Layout, outside in: legend (right or below), y-axis title above the
 * axis, tick labels left of the plot, category labels (thinned so that
 * none overlaps) and the x title under it.  Columns take 70 % of their
 * slot, stacked bottom to top in series order with a hairline of white
 * between components.
 */
#include <math.h>
#include <stdlib.h>

#include "chart_internal.h"

static bool
bar_valid(const struct chart_bar *c, const struct chart_style *st,
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
	if (c->nseparators > 0 && c->separators == NULL)
		return false;
	if (c->mode != CHART_BAR_STACKED && c->mode != CHART_BAR_PERCENT)
		return false;
	for (size_t j = 0; j < c->nseries && c->ncat > 0; j++)
		if (c->series[j].values == NULL)
			return false;
	return true;
}

static double
bar_value(const struct chart_bar *c, size_t j, size_t i)
{
	double v = c->series[j].values[i];

	return isfinite(v) && v > 0 ? v : 0;
}

/* The stacked components of every column, bottom to top: one path and
 * one stroke per series, and one stroke for all the hairlines, so that a
 * chart of 61 days x 11 series is 12 operations for cairo, not 700 (the
 * PDF's page output dominated a render).  A component is a vertical line
 * as wide as the column with butt caps, which covers exactly its
 * rectangle: the PDF writes it as two points ("x y0 m x y1 l") where a
 * rectangle in a path of many takes four and a closepath, which halves
 * the numbers printed and compressed for the columns.  The hairlines
 * stay white lines drawn over the columns (not gaps between them), so
 * that viewers draw them at least a pixel wide at any zoom. */
static void
draw_columns(const struct chart_bar *c, struct chart_text *t,
		const struct chart_axis *ax, const double *totals, double left,
		double slot, double bw, double top, double bottom)
{
	cairo_t *cr = t->cr;
	double *cum;

	if (c->ncat == 0 || (cum = calloc(c->ncat, sizeof *cum)) == NULL)
		return;
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_width(cr, bw);
	for (size_t j = 0; j < c->nseries; j++) {
		bool any = false;

		for (size_t i = 0; i < c->ncat; i++) {
			double scale = 1, v, y0, y1;
			double cx = left + ((double)i + 0.5) * slot;

			if (c->mode == CHART_BAR_PERCENT) {
				if (!(totals[i] > 0))
					continue;
				scale = 100 / totals[i];
			}
			v = bar_value(c, j, i) * scale;
			if (v <= 0)
				continue;
			y0 = chart_axis_map(ax, cum[i], top, bottom);
			y1 = chart_axis_map(ax, cum[i] + v, top, bottom);
			cairo_move_to(cr, cx, y0);
			cairo_line_to(cr, cx, y1);
			cum[i] += v;
			any = true;
		}
		if (any) {
			chart_set_rgb(cr, c->series[j].color);
			cairo_stroke(cr);
		}
	}
	/* hairlines between components, only where both are visible */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, 0.35);
	for (size_t i = 0; i < c->ncat; i++) {
		double scale = 1, total = totals[i], at = 0;
		double bx = left + ((double)i + 0.5) * slot - bw / 2;

		if (c->mode == CHART_BAR_PERCENT) {
			if (!(total > 0))
				continue;
			scale = 100 / total;
		}
		for (size_t j = 0; j + 1 < c->nseries; j++) {
			double y, below, above;

			at += bar_value(c, j, i) * scale;
			y = chart_axis_map(ax, at, top, bottom);
			if (bottom - y < 0.8 || y - chart_axis_map(ax,
			    total * scale, top, bottom) < 0.8)
				continue;
			/* only between components tall enough to show it,
			 * so that thousands of thin ones do not turn the
			 * column white */
			below = bar_value(c, j, i) * scale;
			above = bar_value(c, j + 1, i) * scale;
			if (chart_axis_map(ax, 0, top, bottom) -
			    chart_axis_map(ax, fmin(below, above), top,
			    bottom) < 1.2)
				continue;
			cairo_move_to(cr, bx, y);
			cairo_line_to(cr, bx + bw, y);
		}
	}
	cairo_stroke(cr);
	free(cum);
}

static void
bar_axis(const struct chart_bar *c, struct chart_text *t, double hi,
		bool integer, struct chart_axis *ax)
{
	if (c->mode == CHART_BAR_PERCENT)
		chart_axis_init_ticks(ax, t,
		    (struct chart_ticks){ 0, 100, 20, 6 }, "%");
	else
		chart_axis_init_data(ax, t, 0, hi, integer, 6, c->y_max);
}

/* Totals of the columns, their maximum and whether all are integers. */
static double
bar_high(const struct chart_bar *c, double *totals, bool *integer)
{
	double hi = 0;

	*integer = true;
	for (size_t i = 0; i < c->ncat; i++) {
		double sum = 0;

		for (size_t j = 0; j < c->nseries; j++)
			sum += bar_value(c, j, i);
		if (totals != NULL)
			totals[i] = sum;
		if (sum > hi)
			hi = sum;
	}
	for (size_t j = 0; j < c->nseries; j++)
		if (!chart_values_integer(c->series[j].values, c->ncat))
			*integer = false;
	return hi;
}

bool
chart_bar_measure(const struct chart_bar *c, struct chart_style *st,
		cairo_t *cr, double w, double h, struct chart_geometry *g)
{
	struct chart_text t;
	struct chart_legend lg;
	struct chart_legend_item *items = NULL;
	struct chart_axis ax;
	struct chart_labels *saved;
	double area[4], x = 0, y = 0, hi;
	bool integer;

	if (g == NULL || !bar_valid(c, st, cr, w, h))
		return false;
	if (c->nseries > 0 &&
	    (items = calloc(c->nseries, sizeof *items)) == NULL)
		return false;
	for (size_t j = 0; j < c->nseries; j++) {
		items[j].label = c->series[j].label;
		items[j].color = c->series[j].color;
		items[j].mark = CHART_MARK_BOX;
	}
	saved = st->labels;
	st->labels = NULL;
	cairo_save(cr);
	chart_area_clip(cr, &x, &y, &w, &h);
	if (chart_text_begin(&t, st, cr)) {
		hi = bar_high(c, NULL, &integer);
		chart_legend_place(&lg, &t, items, c->nseries, x, y, w, h, 0.3,
		    area);
		bar_axis(c, &t, hi, integer, &ax);
		g->axis_width = ax.label_w;
		g->axis2_width = 0;
		g->legend_width = lg.right ? lg.w : 0;
		chart_text_end(&t);
	}
	cairo_restore(cr);
	cairo_restore(cr);
	st->labels = saved;
	free(items);
	return true;
}

void
chart_geometry_merge(struct chart_geometry *a, const struct chart_geometry *b)
{
	a->axis_width = fmax(a->axis_width, b->axis_width);
	a->axis2_width = fmax(a->axis2_width, b->axis2_width);
	a->legend_width = fmax(a->legend_width, b->legend_width);
}

void
chart_geometry_apply(struct chart_style *st, const struct chart_geometry *g)
{
	st->axis_width = g->axis_width;
	st->axis2_width = g->axis2_width;
	st->legend_width = g->legend_width;
}

bool
chart_bar_draw(const struct chart_bar *c, struct chart_style *st,
		cairo_t *cr, double x, double y, double w, double h)
{
	struct chart_text t;
	struct chart_legend lg;
	struct chart_legend_item *items = NULL;
	struct chart_axis ax;
	double *totals = NULL, area[4], line_h, hi = 0, slot, bw, gap;
	double top, bottom, left, right, title_h;
	bool integer = true, ok = false;
	size_t every;
	char title[256];
	const char *yl;

	if (!bar_valid(c, st, cr, w, h))
		return false;
	chart_report_begin(st, x, y, w, h);
	if (c->nseries > 0 &&
	    (items = calloc(c->nseries, sizeof *items)) == NULL)
		return false;
	if (c->ncat > 0 && (totals = calloc(c->ncat, sizeof *totals)) == NULL)
		goto err_totals;
	chart_area_clip(cr, &x, &y, &w, &h);
	if (!chart_text_begin(&t, st, cr))
		goto err_text;
	line_h = chart_text_line_height(&t, 1);
	gap = chart_axis_gap(&t);

	hi = bar_high(c, totals, &integer);

	/* legend: top component first when beside the plot, as stacked */
	for (size_t j = 0; j < c->nseries; j++) {
		items[j].label = c->series[c->nseries - 1 - j].label;
		items[j].color = c->series[c->nseries - 1 - j].color;
		items[j].mark = CHART_MARK_BOX;
	}
	chart_legend_place(&lg, &t, items, c->nseries, x, y, w, h, 0.3, area);
	if (!lg.right)
		for (size_t j = 0; j < c->nseries; j++) {
			items[j].label = c->series[j].label;
			items[j].color = c->series[j].color;
		}

	bar_axis(c, &t, hi, integer, &ax);
	yl = chart_axis_title(&ax, &t, c->y_label, title, sizeof title);
	title_h = c->y_label != NULL ? line_h * 1.5 : 0;
	top = area[1] + title_h + ax.label_h / 2;
	bottom = area[1] + area[3] - line_h - gap * 0.6;
	if (c->x_label != NULL)
		bottom -= line_h * 1.4;
	left = area[0] + fmax(ax.label_w, st->axis_width) + gap;
	right = area[0] + area[2] - (lg.right ? 0 : gap);
	if (bottom < top + 1)
		bottom = top + 1;
	if (right < left + 1)
		right = left + 1;
	slot = (right - left) / (double)(c->ncat > 0 ? c->ncat : 1);
	bw = fmin(slot * 0.7, t.size * 6);
	every = c->label_every > 0 ? c->label_every :
	    chart_axis_categories_every(&t, c->categories, c->ncat, slot);

	chart_draw_missing(&t, c->missing, c->missing_text, c->ncat, left,
	    slot, top, bottom, NULL);
	chart_axis_draw_grid(&t, &ax, left, right, top, bottom);

	cairo_save(cr);
	draw_columns(c, &t, &ax, totals, left, slot, bw, top, bottom);
	cairo_restore(cr);

	cairo_save(cr);
	chart_set_rgb(cr, st->axis_color);
	cairo_set_line_width(cr, st->line_width * 0.8);
	{
		static const double dash[] = { 2, 1.5 };

		cairo_set_dash(cr, dash, 2, 0);
	}
	for (size_t k = 0; k < c->nseparators; k++) {
		double sx = left + (c->separators[k] + 1) * slot;

		if (!isfinite(sx) || sx <= left || sx >= right)
			continue;
		cairo_move_to(cr, sx, top);
		cairo_line_to(cr, sx, bottom);
	}
	cairo_stroke(cr);
	cairo_restore(cr);

	/* x axis (baseline), y axis and labels */
	cairo_save(cr);
	chart_set_rgb(cr, st->axis_color);
	cairo_set_line_width(cr, st->line_width);
	cairo_move_to(cr, left, bottom);
	cairo_line_to(cr, right, bottom);
	cairo_stroke(cr);
	cairo_restore(cr);
	chart_axis_draw_labels(&t, &ax, left, top, bottom, false);
	/* category labels keep clear of the tick labels beside them */
	chart_axis_draw_categories(&t, c->categories, c->ncat, left, slot,
	    bottom + gap * 0.6, every, left - gap * 0.5, area[0] + area[2]);

	t.kind = CHART_LABEL_TITLE;
	if (c->y_label != NULL)
		chart_text_draw(&t, yl, 1, area[0], area[1], 0, 0,
		    area[2], st->text_color);
	if (c->x_label != NULL)
		chart_text_draw(&t, c->x_label, 1, (left + right) / 2,
		    area[1] + area[3], 0.5, 1, area[2], st->text_color);
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
	free(totals);
err_totals:
	free(items);
	return ok;
}
