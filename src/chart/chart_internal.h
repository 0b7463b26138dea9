/* chart_internal.h — helpers shared by the chart files; not public API.
 *
 * chart_text.c: pango text set up once per chart (struct chart_text).
 * axis.c:       value axes (struct chart_axis) and category labels.
 * legend.c:     legend layout and drawing (struct chart_legend).
 * place.c:      label placement with collision avoidance (struct
 *               chart_place), units and reported boxes.
 */
#ifndef TALOT_CHART_INTERNAL_H
#define TALOT_CHART_INTERNAL_H

#include "chart.h"

#define CHART_PI 3.14159265358979323846

/* ---- chart_text.c ---- */

/* Text state for one chart.  chart_text_begin() takes a reference on (or
 * creates) the PangoContext; chart_text_end() releases everything. */
#define CHART_TEXT_SIZES 512   /* slots of chart_text's measured sizes */

struct chart_text {
	struct chart_style *st;
	cairo_t *cr;
	PangoContext *ctx;
	PangoFontDescription *font;
	PangoAttrList *attrs;
	const char *family, *lang;
	double size;             /* base font size */
	bool halo;               /* draw text with a white outline first */
	/* labels measured with this PangoContext, kept on it (so shared by
	 * every chart a document draws with st->pango): a label is measured
	 * to be placed, often more than once and in each chart of a pair,
	 * before it is drawn, and the same labels (days, ports, countries,
	 * ticks) come back in chart after chart: 811 layouts of 262 texts
	 * for the sample month.  NULL when out of memory. */
	struct chart_text_size {
		char *key;      /* family, language and text */
		double size, w, h;
		PangoLayout *layout; /* NULL, or laid out at serial */
		unsigned serial;     /* the context's serial then */
	} *sizes;
	bool own_ctx;            /* ctx made for this chart alone */
	enum chart_label_kind kind; /* reported kind of what is drawn next */
};

bool chart_text_begin(struct chart_text *t, struct chart_style *st, cairo_t *cr);

/* Saves cr and clips it to the chart's rectangle, then insets the
 * rectangle by 2 units so that strokes on its edges stay inside.  The
 * caller restores cr when done. */
void chart_area_clip(cairo_t *cr, double *x, double *y, double *w, double *h);
void chart_text_end(struct chart_text *t);
/* Logical width and height of s at size scale × the base size. */
void chart_text_size(struct chart_text *t, const char *s, double scale,
		double *w, double *h);
/* Draws s so that the point (x, y) is at the fraction (ax, ay) of its
 * logical box (0, 0 = top left; 0.5, 0.5 = centre).  max_w > 0 ellipsizes
 * text wider than max_w.  Counts unknown glyphs into the style. */
void chart_text_draw(struct chart_text *t, const char *s, double scale,
		double x, double y, double ax, double ay, double max_w,
		struct chart_rgb color);
/* The box chart_text_draw() would fill (without max_w). */
struct chart_label_box chart_text_box(struct chart_text *t, const char *s,
		double scale, double x, double y, double ax, double ay);
/* Draws s turned 90° counter-clockwise, centred at (cx, cy). */
void chart_text_draw_vertical(struct chart_text *t, const char *s,
		double scale, double cx, double cy, struct chart_rgb color);
/* Height of one line of text at this scale. */
double chart_text_line_height(struct chart_text *t, double scale);

void chart_set_rgb(cairo_t *cr, struct chart_rgb c);
/* Relative luminance in [0, 1]. */
double chart_rgb_luminance(struct chart_rgb c);

/* ---- axis.c ---- */

/* A value axis: ticks, how to print them and how wide the labels are. */
struct chart_axis {
	struct chart_ticks tk;
	int decimals;
	const char *suffix;      /* appended to each tick label, e.g. "%" */
	const struct chart_unit *unit; /* ticks divided by unit->divisor */
	double label_w;          /* widest tick label */
	double label_h;
};

/* Ticks for data in [lo, hi] (integer steps if integer), measured. */
void chart_axis_init(struct chart_axis *a, struct chart_text *t, double lo,
		double hi, bool integer, size_t target, const char *suffix);
/* The same, leaving room above hi (headroom) and choosing a unit from
 * the style for large values; the axis reaches at least y_max. */
void chart_axis_init_data(struct chart_axis *a, struct chart_text *t,
		double lo, double hi, bool integer, size_t target, double y_max);
/* Axis title with the axis' unit, in buf (title alone when no unit). */
const char *chart_axis_title(const struct chart_axis *a,
		const struct chart_text *t, const char *title, char *buf,
		size_t len);
/* Ticks chosen by the caller. */
void chart_axis_init_ticks(struct chart_axis *a, struct chart_text *t,
		struct chart_ticks tk, const char *suffix);
/* y coordinate of v for an axis drawn from bottom (min) to top (max). */
double chart_axis_map(const struct chart_axis *a, double v, double top,
		double bottom);
/* Light horizontal gridlines across [left, right] at every tick. */
void chart_axis_draw_grid(struct chart_text *t, const struct chart_axis *a,
		double left, double right, double top, double bottom);
/* Tick labels right-aligned before x (left axis) or left-aligned after x
 * (right axis), and the axis line at x. */
void chart_axis_draw_labels(struct chart_text *t, const struct chart_axis *a,
		double x, double top, double bottom, bool right);
/* Tick gap between the axis line and its labels. */
double chart_axis_gap(const struct chart_text *t);

/* Category labels: every k-th label so that none overlaps at slot width. */
size_t chart_axis_categories_every(struct chart_text *t,
		const char *const *cats, size_t ncat, double slot);
/* Draws every k-th label centred under its slot (slots start at left),
 * top at y, shifted to stay within [xmin, xmax]. */
void chart_axis_draw_categories(struct chart_text *t, const char *const *cats,
		size_t ncat, double left, double slot, double y, size_t every,
		double xmin, double xmax);

struct chart_place;
/* Shades the runs of missing categories over [top, bottom] and writes text
 * on each run where it fits (across, else turned), as obstacles in pl. */
void chart_draw_missing(struct chart_text *t, const bool *missing,
		const char *text, size_t ncat, double left, double slot,
		double top, double bottom, struct chart_place *pl);

/* true if every finite value of the arrays is an integer. */
bool chart_values_integer(const double *v, size_t n);

/* ---- legend.c ---- */

enum chart_mark {
	CHART_MARK_BOX,          /* filled square swatch (bars, pies) */
	CHART_MARK_LINE,         /* line segment */
	CHART_MARK_CIRCLE,       /* line segment with a marker */
	CHART_MARK_SQUARE,
	CHART_MARK_TRIANGLE,
	CHART_MARK_DIAMOND,
};

struct chart_legend_item {
	const char *label;
	const char *value;       /* right-aligned second column; may be NULL */
	struct chart_rgb color;
	enum chart_mark mark;
};

/* A placed legend. */
struct chart_legend {
	const struct chart_legend_item *items;
	size_t n;
	double x, y, w, h;       /* its box */
	double scale;            /* font scale */
	size_t cols, rows;
	double col_w, row_h, label_w, value_w, swatch;
	bool right;              /* placed right of the plot (else below) */
	size_t shown;            /* items drawn; the rest summed up in more */
	char more[32];           /* "… +N" or "" */
};

/* Places the legend in the rectangle: to the right if it fits in at most
 * max_right_frac of the width, else below.  *area gets what is left for
 * the plot (x, y, w, h). */
void chart_legend_place(struct chart_legend *lg, struct chart_text *t,
		const struct chart_legend_item *items, size_t n, double x,
		double y, double w, double h, double max_right_frac,
		double area[4]);
void chart_legend_draw(struct chart_legend *lg, struct chart_text *t);
/* A marker of the given shape centred at (x, y) with radius r. */
void chart_mark_draw(cairo_t *cr, enum chart_mark mark, double x, double y,
		double r, struct chart_rgb color);

/* ---- place.c ---- */

/* Obstacles (boxes and line segments) in a uniform grid, and labels placed
 * among them at the first clear candidate position. */
struct chart_place {
	double x, y, w, h;       /* labels stay inside */
	double cell;
	size_t cols, rows;
	struct place_obj *obj;
	size_t nobj, cap;
	size_t *head;            /* per cell: first link, SIZE_MAX = none */
	struct place_link *link;
	size_t nlink, link_cap;
	bool failed;             /* out of memory: nothing more is placed */
};

bool chart_place_init(struct chart_place *p, double x, double y, double w,
		double h, double cell);
void chart_place_free(struct chart_place *p);
void chart_place_box(struct chart_place *p, struct chart_label_box b);
void chart_place_segment(struct chart_place *p, double x0, double y0,
		double x1, double y1);
/* true if b is inside the bounds and clear of every obstacle. */
bool chart_place_clear(const struct chart_place *p,
		const struct chart_label_box *b);
/* The index of the first of the n candidates that is clear (and adds it
 * as an obstacle), or -1. */
int chart_place_take(struct chart_place *p, const struct chart_label_box *cand,
		size_t n);

/* Reports a box to st->labels. */
void chart_report(struct chart_style *st, struct chart_label_box b);
/* Starts a chart's report with its rectangle. */
void chart_report_begin(struct chart_style *st, double x, double y,
		double w, double h);
/* The unit of the style for an axis reaching top, or NULL. */
const struct chart_unit *chart_unit_for(const struct chart_style *st,
		double top);
/* A value with its unit, about 3 significant digits: "1.23億". */
char *chart_format_unit(double v, const struct chart_unit *u, int decimals,
		char *buf, size_t len);

#endif
