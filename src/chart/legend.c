/* legend.c — legends beside or below a plot, and series markers.
 *
 * A legend goes to the right of the plot when it fits in a given fraction
 * of the width (one column, shrinking the text a little if needed), else
 * below in as many balanced columns as fit.  It never overlaps the plot:
 * chart_legend_place() hands back the remaining area for it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"

static double
col_gap(const struct chart_text *t)
{
	return t->size * 1.4;
}

static double
swatch_width(const struct chart_legend *lg)
{
	for (size_t i = 0; i < lg->n; i++)
		if (lg->items[i].mark != CHART_MARK_BOX)
			return lg->swatch * 2.4;
	return lg->swatch;
}

/* Measures the items at a font scale. */
static void
measure(struct chart_legend *lg, struct chart_text *t, double scale)
{
	double line_h = chart_text_line_height(t, scale);

	lg->scale = scale;
	lg->label_w = 0;
	lg->value_w = 0;
	for (size_t i = 0; i < lg->n; i++) {
		double w;

		chart_text_size(t, lg->items[i].label, scale, &w, NULL);
		if (w > lg->label_w)
			lg->label_w = w;
		if (lg->items[i].value != NULL) {
			chart_text_size(t, lg->items[i].value, scale, &w, NULL);
			if (w > lg->value_w)
				lg->value_w = w;
		}
	}
	lg->row_h = line_h * 1.3;
	lg->swatch = line_h * 0.7;
	lg->col_w = swatch_width(lg) + t->size * 0.4 + lg->label_w;
	if (lg->value_w > 0)
		lg->col_w += t->size * 0.8 + lg->value_w;
}

/* Shrinks the label column so that a column is at most cw wide; false if
 * the labels would keep less than three characters' width. */
static bool
fit_width(struct chart_legend *lg, struct chart_text *t, double cw)
{
	double over = lg->col_w - cw;

	if (over <= 0)
		return true;
	if (lg->label_w - over < t->size * 3)
		return false;
	lg->label_w -= over;
	lg->col_w = cw;
	return true;
}

void
chart_legend_place(struct chart_legend *lg, struct chart_text *t,
		const struct chart_legend_item *items, size_t n, double x,
		double y, double w, double h, double max_right_frac,
		double area[4])
{
	static const double scales[] = { 1.0, 0.9, 0.8 };
	double gap = t->size * 1.2, cg = col_gap(t), frac, max_h;
	double fixed = t->st->legend_width;
	size_t max_rows;

	memset(lg, 0, sizeof *lg);
	lg->items = items;
	lg->n = n;
	lg->shown = n;
	area[0] = x;
	area[1] = y;
	area[2] = w;
	area[3] = h;
	if (n == 0)
		return;

	/* beside the plot: in at most max_right_frac of the width (or the
	 * caller's width), long labels ellipsized */
	for (size_t s = 0; s < 3 && max_right_frac > 0; s++) {
		double cw = fixed > 0 ? fmin(fixed, w * 0.5) :
		    max_right_frac * w;

		measure(lg, t, scales[s]);
		if ((double)n * lg->row_h > h || !fit_width(lg, t, cw))
			continue;
		if (fixed > 0)
			lg->col_w = cw;
		lg->right = true;
		lg->cols = 1;
		lg->rows = n;
		lg->w = lg->col_w;
		lg->h = (double)n * lg->row_h;
		lg->x = x + w - lg->w;
		lg->y = y + (h - lg->h) / 2;
		area[2] = w - lg->w - gap;
		return;
	}

	/* below, in balanced columns, never taking more than 1 - min_plot_frac
	 * of the height: entries beyond are summed up as "… +N" */
	frac = t->st->min_plot_frac > 0 && t->st->min_plot_frac < 1 ?
	    t->st->min_plot_frac : 0.7;
	max_h = (1 - frac) * h - gap * 0.8;
	for (size_t s = 0; s < 3; s++) {
		measure(lg, t, scales[s]);
		lg->cols = (size_t)floor((w + cg) / (lg->col_w + cg));
		if (lg->cols < 1)
			lg->cols = 1;
		if (lg->cols > n)
			lg->cols = n;
		lg->rows = (n + lg->cols - 1) / lg->cols;
		lg->cols = (n + lg->rows - 1) / lg->rows;
		if ((double)lg->rows * lg->row_h <= 0.3 * h)
			break;
	}
	if (lg->col_w > w) {
		/* one column still too wide: ellipsize the labels */
		double shrink = lg->col_w - w;

		lg->label_w = lg->label_w > shrink ? lg->label_w - shrink : 0;
		lg->col_w = w;
	}
	max_rows = max_h > lg->row_h ? (size_t)floor(max_h / lg->row_h) : 1;
	if (lg->rows > max_rows) {
		lg->cols = (size_t)floor((w + cg) / (lg->col_w + cg));
		if (lg->cols < 1)
			lg->cols = 1;
		lg->rows = max_rows;
		if (lg->cols * lg->rows < n) {
			lg->shown = lg->cols * lg->rows - 1;
			snprintf(lg->more, sizeof lg->more, "… +%zu",
			    n - lg->shown);
		}
	}
	lg->right = false;
	lg->w = (double)lg->cols * lg->col_w + (double)(lg->cols - 1) * cg;
	lg->h = (double)lg->rows * lg->row_h;
	lg->x = x + (w - lg->w) / 2;
	lg->y = y + h - lg->h;
	area[3] = h - lg->h - gap * 0.8;
}

void
chart_mark_draw(cairo_t *cr, enum chart_mark mark, double x, double y,
		double r, struct chart_rgb color)
{
	cairo_save(cr);
	cairo_new_path(cr);
	switch (mark) {
	case CHART_MARK_BOX:
	case CHART_MARK_SQUARE:
		r *= 0.88;
		cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
		break;
	case CHART_MARK_TRIANGLE:
		r *= 1.2;
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
		cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
		cairo_close_path(cr);
		break;
	case CHART_MARK_DIAMOND:
		r *= 1.2;
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x + r, y);
		cairo_line_to(cr, x, y + r);
		cairo_line_to(cr, x - r, y);
		cairo_close_path(cr);
		break;
	case CHART_MARK_LINE:
		cairo_restore(cr);
		return;
	case CHART_MARK_CIRCLE:
	default:
		cairo_arc(cr, x, y, r, 0, 2 * CHART_PI);
		break;
	}
	chart_set_rgb(cr, color);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, r * 0.35);
	cairo_stroke(cr);
	cairo_restore(cr);
}

void
chart_legend_draw(struct chart_legend *lg, struct chart_text *t)
{
	cairo_t *cr = t->cr;
	double sw = swatch_width(lg), cg = col_gap(t);

	t->kind = CHART_LABEL_LEGEND;
	if (lg->more[0] != '\0') {
		size_t i = lg->shown, r = i / lg->cols, c = i % lg->cols;

		chart_text_draw(t, lg->more, lg->scale,
		    lg->x + (double)c * (lg->col_w + cg),
		    lg->y + ((double)r + 0.5) * lg->row_h, 0, 0.5, lg->col_w,
		    t->st->text_color);
	}
	for (size_t i = 0; i < lg->shown; i++) {
		const struct chart_legend_item *it = &lg->items[i];
		size_t r = i / lg->cols, c = i % lg->cols;
		double cx = lg->x + (double)c * (lg->col_w + cg);
		double cy = lg->y + ((double)r + 0.5) * lg->row_h;
		double lx = cx + sw + t->size * 0.4;

		cairo_save(cr);
		if (it->mark == CHART_MARK_BOX) {
			chart_set_rgb(cr, it->color);
			cairo_rectangle(cr, cx, cy - lg->swatch / 2,
			    lg->swatch, lg->swatch);
			cairo_fill(cr);
		} else {
			chart_set_rgb(cr, it->color);
			cairo_set_line_width(cr, t->size * 0.2);
			cairo_move_to(cr, cx, cy);
			cairo_line_to(cr, cx + sw, cy);
			cairo_stroke(cr);
			chart_mark_draw(cr, it->mark, cx + sw / 2, cy,
			    lg->swatch * 0.42, it->color);
		}
		cairo_restore(cr);
		chart_text_draw(t, it->label, lg->scale, lx, cy, 0, 0.5,
		    lg->label_w + 0.01, t->st->text_color);
		if (it->value != NULL)
			chart_text_draw(t, it->value, lg->scale, cx + lg->col_w,
			    cy, 1, 0.5, 0, t->st->text_color);
	}
}
