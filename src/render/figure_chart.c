/* figure_chart.c — an edition's figure drawn by the chart module: the one
 * place that turns a figure (categories, labelled and coloured series,
 * shares, missing days, units, its pair) into the chart module's structs,
 * so the PDF and the web page draw every figure alike. */
#include "figure_chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct fc {
	const struct edition *ed;
	cairo_t *cr;
	struct err *e;
};

/* A figure's chart, ready to measure and draw: the chart module's structs
 * pointing into arrays made from the edition's figure. */
struct prep {
	const struct ed_figure *f;
	const char **cats, **labels, **texts;
	struct chart_series *ser;
	double *vals;
	struct chart_rgb *cols;
	bool *missing;
	double sep;
	struct chart_line line;
	struct chart_bar bar;
	struct chart_pie pie;
};

static void
prep_free(struct prep *c)
{
	free(c->cats);
	free(c->labels);
	free(c->texts);
	free(c->ser);
	free(c->vals);
	free(c->cols);
	free(c->missing);
}

static bool
prep_init(struct fc *p, struct prep *c, const struct ed_figure *f)
{
	size_t ns = f->nseries, nc = f->ncat;

	memset(c, 0, sizeof(*c));
	c->f = f;
	c->cats = calloc(nc ? nc : 1, sizeof(*c->cats));
	c->missing = calloc(nc ? nc : 1, sizeof(*c->missing));
	c->ser = calloc(ns ? ns : 1, sizeof(*c->ser));
	c->labels = calloc(ns ? ns : 1, sizeof(*c->labels));
	c->texts = calloc(ns ? ns : 1, sizeof(*c->texts));
	c->vals = calloc(ns ? ns : 1, sizeof(*c->vals));
	c->cols = calloc(ns ? ns : 1, sizeof(*c->cols));
	if (c->cats == NULL || c->missing == NULL || c->ser == NULL ||
	    c->labels == NULL || c->texts == NULL || c->vals == NULL ||
	    c->cols == NULL) {
		prep_free(c);
		return err_set(p->e, "out of memory");
	}
	for (size_t i = 0; i < nc; i++) {
		c->cats[i] = f->cats[i].label;
		c->missing[i] = f->cats[i].missing;
	}
	for (size_t i = 0; i < ns; i++) {
		c->ser[i].label = f->series[i].label;
		c->ser[i].color = f->series[i].color;
		c->ser[i].values = f->series[i].values;
		c->labels[i] = f->series[i].label;
		c->texts[i] = f->series[i].share_text;
		c->vals[i] = (double)f->series[i].total;
		c->cols[i] = f->series[i].color;
	}
	c->sep = f->separator;
	switch (f->kind) {
	case ED_FIG_TREND:
		c->line = (struct chart_line){
			.categories = c->cats, .ncat = nc, .series = c->ser,
			.nseries = ns, .y_label = f->y_title,
			.y2_label = ns > 1 ? f->y2_title : NULL,
			.markers = true, .value_labels = true,
			.value_decimals = f->integer_values ? 0 : -1,
			.missing = c->missing,
			.missing_text = p->ed->words[ED_W_NO_DATA],
		};
		break;
	case ED_FIG_DAILY:
	case ED_FIG_SHARES:
		c->bar = (struct chart_bar){
			.mode = f->kind == ED_FIG_SHARES ? CHART_BAR_PERCENT :
			    CHART_BAR_STACKED,
			.categories = c->cats, .ncat = nc, .series = c->ser,
			.nseries = ns, .y_label = f->y_title,
			.separators = f->separator >= 0 ? &c->sep : NULL,
			.nseparators = f->separator >= 0 ? 1 : 0,
			.missing = c->missing,
			.missing_text = f->kind == ED_FIG_DAILY ?
			    p->ed->words[ED_W_MISSING] :
			    p->ed->words[ED_W_NO_DATA],
		};
		break;
	case ED_FIG_PIE:
		c->pie = (struct chart_pie){
			.labels = c->labels, .values = c->vals,
			.colors = c->cols, .n = ns, .decimals = 1,
			.value_texts = c->texts,
		};
		break;
	}
	return true;
}

/* The largest stacked total of a daily figure, for a common scale. */
static double
prep_top(const struct prep *c)
{
	double top = 0;

	for (size_t i = 0; i < c->f->ncat; i++) {
		double sum = 0;

		for (size_t k = 0; k < c->f->nseries; k++)
			if (isfinite(c->f->series[k].values[i]) &&
			    c->f->series[k].values[i] > 0)
				sum += c->f->series[k].values[i];
		top = fmax(top, sum);
	}
	return top;
}

static bool
prep_measure(struct fc *p, struct prep *c, struct chart_style *st,
    double w, double h, struct chart_geometry *g)
{
	if (c->f->kind == ED_FIG_TREND)
		return chart_line_measure(&c->line, st, p->cr, w, h, g);
	if (c->f->kind == ED_FIG_PIE)
		return false;
	return chart_bar_measure(&c->bar, st, p->cr, w, h, g);
}

static bool
prep_draw(struct fc *p, struct prep *c, struct chart_style *st, double x,
    double y, double w, double h)
{
	switch (c->f->kind) {
	case ED_FIG_TREND:
		return chart_line_draw(&c->line, st, p->cr, x, y, w, h);
	case ED_FIG_DAILY:
	case ED_FIG_SHARES:
		return chart_bar_draw(&c->bar, st, p->cr, x, y, w, h);
	case ED_FIG_PIE:
		return chart_pie_draw(&c->pie, st, p->cr, x, y, w, h);
	}
	return false;
}

/* The chart of figure f in (x, y, w, h), from the edition's series.  A
 * figure of a pair (2.2.1 and 2.2.2 …) shares its partner's plot geometry,
 * and a daily pair its scale, so the two read side by side. */
bool
figure_chart_draw(const struct edition *ed, const struct ed_figure *f,
    PangoContext *pango, double font_size, cairo_t *cr, double x, double y,
    double w, double h, struct err *e)
{
	struct fc fc = { .ed = ed, .cr = cr, .e = e };
	struct fc *p = &fc;
	const struct ed_figure *g = f->pair[0] ? edition_figure(ed, f->pair) :
	    NULL;
	struct prep c, cg;
	struct chart_style st;
	bool ok;

	if (!prep_init(p, &c, f))
		return false;
	chart_style_defaults(&st);
	st.pango = pango;
	st.font_family = ed->font;
	st.font_size = font_size;
	st.language = ed->lang;
	st.empty_text = ed->words[ED_W_NO_DATA];
	st.units = ed->units;
	st.nunits = ed->nunits;
	st.unit_open = ed->unit_open;
	st.unit_close = ed->unit_close;
	if (g != NULL && g->kind == f->kind && prep_init(p, &cg, g)) {
		struct chart_geometry g1, g2;

		if (f->kind == ED_FIG_DAILY) {
			double top = fmax(prep_top(&c), prep_top(&cg));

			c.bar.y_max = top;
			cg.bar.y_max = top;
		}
		if (prep_measure(p, &c, &st, w, h, &g1) &&
		    prep_measure(p, &cg, &st, w, h, &g2)) {
			chart_geometry_merge(&g1, &g2);
			chart_geometry_apply(&st, &g1);
		}
		prep_free(&cg);
		/* measuring drew nothing, but may have noted glyphs */
		st.unknown_glyphs = 0;
	}
	ok = prep_draw(p, &c, &st, x, y, w, h);
	if (!ok)
		err_set(e, "figure %s: cannot draw the chart", f->id);
	else if (st.unknown_glyphs > 0)
		ok = err_set(e, "glyph missing from the fonts for '%s' in a chart label",
		    st.first_unknown);
	prep_free(&c);
	return ok;
}
