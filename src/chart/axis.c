/* axis.c — nice 1-2-5 ticks, number formatting, value and category axes. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"

struct chart_ticks
chart_ticks_nice_min(double lo, double hi, size_t target, double min_step)
{
	static const double mult[] = { 1, 2, 5 };
	struct chart_ticks best = { 0, 1, 1, 2 };
	double raw, mag, best_score = INFINITY, best_span = INFINITY;

	if (!isfinite(lo))
		lo = 0;
	if (!isfinite(hi))
		hi = 0;
	if (lo > hi) {
		double tmp = lo;
		lo = hi;
		hi = tmp;
	}
	if (target < 2)
		target = 2;
	if (!(min_step > 0) || !isfinite(min_step))
		min_step = 0;
	if (lo == hi) {
		if (lo == 0)
			hi = 1;
		else if (lo > 0)
			lo = 0;
		else
			hi = 0;
	}
	raw = (hi - lo) / (double)(target - 1);
	mag = pow(10, floor(log10(raw)));
	for (int e = -1; e <= 2; e++) {
		for (size_t k = 0; k < 3; k++) {
			double s = mult[k] * mag * pow(10, e);
			double mn, mx, n, score;

			if (s < min_step)
				continue;
			mn = floor(lo / s + 1e-9) * s;
			mx = ceil(hi / s - 1e-9) * s;
			n = round((mx - mn) / s) + 1;
			score = fabs(n - (double)target);
			if (score < best_score ||
			    (score == best_score && mx - mn < best_span)) {
				best_score = score;
				best_span = mx - mn;
				best = (struct chart_ticks){ mn, mx, s, (size_t)n };
			}
		}
	}
	if (best_score == INFINITY) {
		/* min_step larger than every candidate: one step covers it */
		double s = min_step;

		best.min = floor(lo / s + 1e-9) * s;
		best.max = ceil(hi / s - 1e-9) * s;
		if (best.max <= best.min)
			best.max = best.min + s;
		best.step = s;
		best.n = (size_t)round((best.max - best.min) / s) + 1;
	}
	return best;
}

struct chart_ticks
chart_ticks_nice(double lo, double hi, size_t target)
{
	return chart_ticks_nice_min(lo, hi, target, 0);
}

int
chart_ticks_decimals(const struct chart_ticks *tk)
{
	double d;

	if (!(tk->step > 0) || tk->step >= 1)
		return 0;
	d = ceil(-log10(tk->step) - 1e-9);
	return d > 9 ? 9 : (int)d;
}

/* v >= 0 rounded to decimals, half away from zero, judged on the value's
 * shortest decimal form (2.5 → 3, 1.005 → 1.01 at two decimals), so a
 * label agrees with the text, which rounds the same way. */
static double
round_half_away(double v, int decimals)
{
	char s[64];
	double scale = pow(10, decimals), t;

	if (!isfinite(v) || v >= 1e15)
		return v;
	snprintf(s, sizeof s, "%.15g", v * scale);
	t = floor(strtod(s, NULL) + 0.5);
	return t / scale;
}

char *
chart_format_number(double v, int decimals, char *buf, size_t len)
{
	char digits[400], out[560];
	size_t int_len, o = 0;
	bool nonzero;

	if (buf == NULL || len == 0)
		return buf;
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (isinf(v)) {
		snprintf(buf, len, "%s", v < 0 ? "-∞" : "∞");
		return buf;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	snprintf(digits, sizeof digits, "%.*f", decimals,
	    round_half_away(fabs(v), decimals));
	nonzero = strspn(digits, "0.") != strlen(digits);
	if (v < 0 && nonzero)
		out[o++] = '-';
	int_len = strcspn(digits, ".");
	for (size_t i = 0; i < int_len; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, sizeof out - o, "%s", digits + int_len);
	snprintf(buf, len, "%s", out);
	return buf;
}

bool
chart_values_integer(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] != floor(v[i]))
			return false;
	return true;
}

/* Tick label i of a, with its suffix. */
static void
tick_label(const struct chart_axis *a, size_t i, char *buf, size_t len)
{
	double v = a->tk.min + (double)i * a->tk.step;
	char num[128];

	if (fabs(v) < a->tk.step * 1e-9)
		v = 0;
	if (a->unit != NULL)
		v /= a->unit->divisor;
	chart_format_number(v, a->decimals, num, sizeof num);
	snprintf(buf, len, "%s%s", num, a->suffix != NULL ? a->suffix : "");
}

void
chart_axis_init_ticks(struct chart_axis *a, struct chart_text *t,
		struct chart_ticks tk, const char *suffix)
{
	char buf[160];

	memset(a, 0, sizeof *a);
	a->tk = tk;
	a->decimals = chart_ticks_decimals(&tk);
	a->suffix = suffix;
	a->unit = chart_unit_for(t->st, fmax(fabs(tk.max), fabs(tk.min)));
	if (a->unit != NULL) {
		struct chart_ticks scaled = tk;

		scaled.step /= a->unit->divisor;
		a->decimals = chart_ticks_decimals(&scaled);
	}
	for (size_t i = 0; i < tk.n; i++) {
		double w, h;

		tick_label(a, i, buf, sizeof buf);
		chart_text_size(t, buf, 1, &w, &h);
		if (w > a->label_w)
			a->label_w = w;
		if (h > a->label_h)
			a->label_h = h;
	}
}

void
chart_axis_init(struct chart_axis *a, struct chart_text *t, double lo,
		double hi, bool integer, size_t target, const char *suffix)
{
	chart_axis_init_ticks(a, t,
	    chart_ticks_nice_min(lo, hi, target, integer ? 1 : 0), suffix);
}

void
chart_axis_init_data(struct chart_axis *a, struct chart_text *t, double lo,
		double hi, bool integer, size_t target, double y_max)
{
	if (isfinite(y_max) && y_max > hi)
		hi = y_max;
	/* headroom: the tallest column or point stays below the top */
	if (hi > 0)
		hi += (hi - fmin(lo, 0)) * 0.06;
	chart_axis_init(a, t, lo, hi, integer, target, NULL);
}

const char *
chart_axis_title(const struct chart_axis *a, const struct chart_text *t,
		const char *title, char *buf, size_t len)
{
	const struct chart_style *st = t->st;

	if (title == NULL || a->unit == NULL)
		return title;
	snprintf(buf, len, "%s%s%s%s", title,
	    st->unit_open != NULL ? st->unit_open : " (",
	    a->unit->name != NULL ? a->unit->name : "",
	    st->unit_close != NULL ? st->unit_close : ")");
	return buf;
}

double
chart_axis_map(const struct chart_axis *a, double v, double top, double bottom)
{
	double span = a->tk.max - a->tk.min;

	if (!(span > 0))
		return bottom;
	return bottom - (v - a->tk.min) / span * (bottom - top);
}

double
chart_axis_gap(const struct chart_text *t)
{
	return t->size * 0.5;
}

void
chart_axis_draw_grid(struct chart_text *t, const struct chart_axis *a,
		double left, double right, double top, double bottom)
{
	cairo_t *cr = t->cr;

	cairo_save(cr);
	chart_set_rgb(cr, t->st->grid_color);
	cairo_set_line_width(cr, t->st->line_width * 0.7);
	for (size_t i = 0; i < a->tk.n; i++) {
		double y = chart_axis_map(a,
		    a->tk.min + (double)i * a->tk.step, top, bottom);

		if (fabs(y - bottom) < 0.01)
			continue;       /* the baseline is the x axis */
		cairo_move_to(cr, left, y);
		cairo_line_to(cr, right, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

void
chart_axis_draw_labels(struct chart_text *t, const struct chart_axis *a,
		double x, double top, double bottom, bool right)
{
	char buf[160];
	double gap = chart_axis_gap(t);

	t->kind = CHART_LABEL_TICK;
	for (size_t i = 0; i < a->tk.n; i++) {
		double y = chart_axis_map(a,
		    a->tk.min + (double)i * a->tk.step, top, bottom);

		tick_label(a, i, buf, sizeof buf);
		if (right)
			chart_text_draw(t, buf, 1, x + gap, y, 0, 0.5, 0,
			    t->st->text_color);
		else
			chart_text_draw(t, buf, 1, x - gap, y, 1, 0.5, 0,
			    t->st->text_color);
	}
	cairo_save(t->cr);
	chart_set_rgb(t->cr, t->st->axis_color);
	cairo_set_line_width(t->cr, t->st->line_width);
	cairo_move_to(t->cr, x, top);
	cairo_line_to(t->cr, x, bottom);
	cairo_stroke(t->cr);
	cairo_restore(t->cr);
}

size_t
chart_axis_categories_every(struct chart_text *t, const char *const *cats,
		size_t ncat, double slot)
{
	static const size_t steps[] = { 1, 2, 3, 5, 7, 10, 14, 20, 30, 50 };
	double maxw = 0, need;

	for (size_t i = 0; i < ncat; i++) {
		double w;

		chart_text_size(t, cats[i], 1, &w, NULL);
		if (w > maxw)
			maxw = w;
	}
	need = maxw + t->size * 0.8;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if ((double)steps[i] * slot >= need)
			return steps[i];
	for (size_t k = 100;; k *= 10)
		for (size_t m = 1; m <= 5; m = m == 1 ? 2 : m + 3)
			if ((double)(k * m) * slot >= need || k * m >= ncat)
				return k * m;
}

void
chart_axis_draw_categories(struct chart_text *t, const char *const *cats,
		size_t ncat, double left, double slot, double y, size_t every,
		double xmin, double xmax)
{
	if (every == 0)
		every = 1;
	double prev = -INFINITY;

	t->kind = CHART_LABEL_CATEGORY;
	for (size_t i = 0; i < ncat; i += every) {
		double cx = left + ((double)i + 0.5) * slot, w;

		chart_text_size(t, cats[i], 1, &w, NULL);
		if (w > xmax - xmin)
			w = xmax - xmin;
		if (cx + w / 2 > xmax)
			cx = xmax - w / 2;
		if (cx - w / 2 < xmin)
			cx = xmin + w / 2;
		if (cx - w / 2 < prev)
			continue;       /* pushed onto its neighbour */
		prev = cx + w / 2 + t->size * 0.3;
		chart_text_draw(t, cats[i], 1, cx, y, 0.5, 0, xmax - xmin,
		    t->st->text_color);
	}
}

void
chart_draw_missing(struct chart_text *t, const bool *missing,
		const char *text, size_t ncat, double left, double slot,
		double top, double bottom, struct chart_place *pl)
{
	cairo_t *cr = t->cr;
	double tw = 0, th = 0;

	if (missing == NULL)
		return;
	if (text != NULL && text[0] != '\0')
		chart_text_size(t, text, 0.9, &tw, &th);
	t->kind = CHART_LABEL_NOTE;
	for (size_t i = 0; i < ncat;) {
		size_t j = i;
		double x0, x1, cx, cy;

		if (!missing[i]) {
			i++;
			continue;
		}
		while (j < ncat && missing[j])
			j++;
		x0 = left + (double)i * slot;
		x1 = left + (double)j * slot;
		cairo_save(cr);
		cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
		cairo_rectangle(cr, x0, top, x1 - x0, bottom - top);
		cairo_fill(cr);
		cairo_restore(cr);
		cx = (x0 + x1) / 2;
		if (tw > 0 && x1 - x0 >= tw + 2 && bottom - top >= th + 4) {
			struct chart_label_box b = { cx - tw / 2,
			    bottom - 2 - th, tw, th, CHART_LABEL_NOTE };

			chart_text_draw(t, text, 0.9, b.x, b.y, 0, 0, 0,
			    t->st->axis_color);
			if (pl != NULL)
				chart_place_box(pl, b);
		} else if (tw > 0 && x1 - x0 >= th * 0.9 &&
		    bottom - top >= tw + 4) {
			cy = bottom - 2 - tw / 2;
			chart_text_draw_vertical(t, text, 0.9, cx, cy,
			    t->st->axis_color);
			if (pl != NULL)
				chart_place_box(pl, (struct chart_label_box){
				    cx - th / 2, cy - tw / 2, th, tw,
				    CHART_LABEL_NOTE });
		}
		i = j;
	}
}
