/* chart.h — bar, pie and line charts drawn with cairo and pango.
 *
 * The chart module knows charts, not the data they come from: every chart
 * takes plain arrays of labels, values and colours.  A chart draws into the
 * caller's cairo_t inside the rectangle (x, y, w, h) in user units (points
 * on a PDF page) and never creates a surface, so the same call fills a PDF
 * page, a PNG in a test or an SVG.  Every draw function saves and restores
 * the cairo state, paints nothing outside its rectangle and paints no
 * background (the caller does).
 *
 * Ownership: the chart functions borrow every pointer in the structs below
 * for the duration of the call only; they keep nothing.  They write only to
 * the OUT fields of struct chart_style.
 *
 * Return values: true after drawing (even if some glyph was missing: the
 * caller checks st->unknown_glyphs); false on invalid input (NULL pointer
 * with a non-zero count, non-positive rectangle), in which case nothing is
 * drawn.  An empty chart (ncat == 0, or all values zero in a pie) draws its
 * frame and the note "データなし".
 */
#ifndef TALOT_CHART_H
#define TALOT_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

/* Colours: components in [0, 1]. */
struct chart_rgb {
	double r, g, b;
};

/* The i-th colour of a colour-blind-safe palette of 10 (Okabe–Ito and Paul
 * Tol colours; every pair, and each with the grey, stays distinct under
 * deuteranopia and protanopia).  Wraps after chart_palette_size() colours:
 * a caller that needs distinct colours asks for fewer. */
struct chart_rgb chart_palette(size_t i);
/* A neutral grey for the remainder ("その他"). */
struct chart_rgb chart_palette_other(void);
size_t chart_palette_size(void);
/* A colour from "#RRGGBB" or "RRGGBB"; false (and *out untouched) if the
 * text is not such a colour. */
bool chart_rgb_parse(const char *text, struct chart_rgb *out);

/* Placed text, reported to the caller (tests): every text a chart draws
 * (titles, tick and category labels, value labels, legend entries, notes)
 * and every marker, as its box in user units.  The caller owns the array;
 * the chart appends to it. */
enum chart_label_kind {
	CHART_LABEL_TITLE,       /* axis titles */
	CHART_LABEL_TICK,        /* value axis tick labels */
	CHART_LABEL_CATEGORY,    /* category labels */
	CHART_LABEL_VALUE,       /* value labels by points, pie labels */
	CHART_LABEL_LEGEND,      /* legend labels and values */
	CHART_LABEL_NOTE,        /* empty-chart note, missing-category words */
	CHART_LABEL_MARKER,      /* a marker (not text): labels avoid it */
};
struct chart_label_box {
	double x, y, w, h;
	enum chart_label_kind kind;
};
struct chart_labels {
	struct chart_label_box *box; /* cap boxes, caller's */
	size_t cap;
	size_t n;                /* OUT: boxes reported (only cap are stored) */
	size_t dropped;          /* OUT: value labels left out for lack of room */
	double x, y, w, h;       /* OUT: the rectangle of the last chart drawn */
};

/* A unit for large values: values are divided by divisor, the name is
 * written in the axis title, and label (name when NULL) after a value in a
 * data label, e.g. {1e4, "万"}, {1e8, "億"}, or {1e6, "millions",
 * " million"}: "(in millions)" on the axis, "167 million" at a point. */
struct chart_unit {
	double divisor;
	const char *name;
	const char *label;
};

/* Appearance shared by all charts.  Fill with chart_style_defaults(), then
 * change fields.  The same style may be passed to many charts: the OUT
 * fields accumulate over all of them. */
struct chart_style {
	/* Optional: reuse this context for all layouts (caller owns it).  The
	 * chart sets on it the font options (hint metrics off, hint style
	 * none), turns glyph-position rounding off, sets the language and
	 * updates it to the cairo_t's transformation, and keeps on it the
	 * labels it measured and laid out, shared by every chart drawn with
	 * it; the caller releases them with chart_text_release() before it
	 * frees the context (the layouts hold references to it).  NULL: a
	 * context is made from the cairo_t for each chart and freed
	 * afterwards. */
	PangoContext *pango;
	const char *font_family;     /* default "BIZ UDPGothic" */
	double font_size;            /* user units (points on PDF), default 7.5 */
	const char *language;        /* default "ja" */
	struct chart_rgb text_color; /* default #333333 */
	struct chart_rgb axis_color; /* axes and tick marks, default #595959 */
	struct chart_rgb grid_color; /* gridlines, default #D9D9D9 */
	double line_width;           /* axis line width, default 0.6 */
	const char *empty_text;      /* note for empty charts, default "データなし" */
	/* Optional, zero = off or automatic: */
	const struct chart_unit *units; /* nunits units, any order: a value axis
	                             * whose top reaches unit_from uses the
	                             * largest unit not above it.  NULL: axes
	                             * reaching 10^8 use "×10^6", "×10^9"... */
	size_t nunits;
	double unit_from;            /* default 1e6 */
	const char *unit_open;       /* before the unit name in the axis title,
	                              * default " (" ; e.g. "(単位: " */
	const char *unit_close;      /* after it, default ")" */
	double axis_width;           /* width for the left tick labels (0 = as
	                              * measured); see chart_geometry */
	double axis2_width;          /* the same for a right axis */
	double legend_width;         /* width of a legend beside the plot (0 =
	                              * as measured; labels are ellipsized) */
	double min_plot_frac;        /* a legend below never leaves the plot less
	                              * than this fraction of the height; default
	                              * 0.7 (entries beyond are summed up as
	                              * "… +N") */
	struct chart_labels *labels; /* OUT: placed boxes, if non-NULL */
	size_t unknown_glyphs;       /* OUT: accumulated pango_layout_get_unknown_glyphs_count() */
	char first_unknown[8];       /* OUT: UTF-8 of the first char drawn with an unknown glyph */
};
void chart_style_defaults(struct chart_style *st);

/* Frees the labels the charts kept on ctx (see chart_style.pango). */
void chart_text_release(PangoContext *ctx);

/* One stacked component, one line or one slice set. */
struct chart_series {
	const char *label;       /* legend text (UTF-8, may be Japanese); NULL = "" */
	struct chart_rgb color;
	const double *values;    /* ncat values (NAN = gap for lines, 0 for bars) */
};

enum chart_bar_mode {
	CHART_BAR_STACKED,       /* stacked columns, y axis in data units */
	CHART_BAR_PERCENT,       /* each column scaled to 100 %; zero column stays empty */
};

/* Stacked columns.  Negative and NAN values are drawn as 0.  If every value
 * is an integer the y axis uses integer steps only. */
struct chart_bar {
	enum chart_bar_mode mode;
	const char *const *categories; /* ncat x labels, e.g. "6/4", "2007年1月" */
	size_t ncat;
	const struct chart_series *series; /* nseries, bottom to top */
	size_t nseries;
	const char *y_label;     /* axis title above the y axis, e.g. "アクセス数(件)"; may be NULL */
	const char *x_label;     /* title under the x labels; may be NULL */
	size_t label_every;      /* show every k-th category label; 0 = automatic */
	const double *separators;/* vertical separators after these category indexes */
	size_t nseparators;
	/* Optional (zero = none): */
	const bool *missing;     /* ncat flags: category without data, shaded */
	const char *missing_text;/* word written on shaded runs, e.g. "欠測" */
	double y_max;            /* the axis reaches at least this */
};
bool chart_bar_draw(const struct chart_bar *c, struct chart_style *st, cairo_t *cr,
		double x, double y, double w, double h);

/* A pie, clockwise from 12 o'clock in the given order.  Percentages are
 * printed inside large slices; small ones get their name and percentage
 * outside, with a leader line, clear of each other and of the bottom
 * 0.5 line of the rectangle (the smallest are left out when there is no
 * room); slices under 0.5 % get no label on the pie.  The legend shows each
 * label with its percentage.  Negative and NAN values count as 0. */
#define CHART_PIE_NO_DECIMALS (-1)
struct chart_pie {
	const char *const *labels; /* n legend labels */
	const double *values;      /* n values */
	const struct chart_rgb *colors; /* n colours */
	size_t n;
	int decimals;            /* percentage decimals; 0 = default (1); CHART_PIE_NO_DECIMALS = none */
	const char *const *value_texts; /* optional: n texts shown instead of
	                          * the computed percentages (e.g. shares
	                          * rounded to sum to 100.0 by the caller) */
};
bool chart_pie_draw(const struct chart_pie *c, struct chart_style *st, cairo_t *cr,
		double x, double y, double w, double h);

/* Lines over categories.  With y2_label non-NULL and nseries >= 2,
 * series[1] is drawn against a right axis with its own scale and the other
 * series against the left axis; the two axis titles then carry the line
 * samples and no separate legend is drawn.  Series are told apart by
 * colour, by marker shape (circle, square, triangle, diamond; later series
 * a little larger) and by dashes (every second series), so coinciding
 * series stay visible.  Value labels are placed clear of lines, markers
 * and each other (extremes first); those with no room are left out. */
struct chart_line {
	const char *const *categories;
	size_t ncat;
	const struct chart_series *series;
	size_t nseries;
	const char *y_label;     /* left axis title; may be NULL */
	const char *y2_label;    /* right axis title; non-NULL enables the right axis */
	bool markers;            /* draw a marker at each point */
	bool value_labels;       /* print each value (rounded, thousands separators) by its point */
	int value_decimals;      /* decimals of those labels; < 0 = 1 unless the value is whole */
	size_t label_every;      /* as in chart_bar; 0 = automatic */
	/* Optional (zero = none): */
	const bool *missing;     /* as in chart_bar */
	const char *missing_text;
	double y_max;            /* the left axis reaches at least this */
	double y2_max;           /* the right axis reaches at least this */
};
bool chart_line_draw(const struct chart_line *c, struct chart_style *st, cairo_t *cr,
		double x, double y, double w, double h);

/* Common plot geometry for figures shown together (a pair on one page):
 * measure each chart with the style it will be drawn with, merge, and
 * set st->axis_width, axis2_width and legend_width from the result
 * (chart_geometry_apply) before drawing each.  Together with the same
 * rectangle size and y_max this gives the same plot rectangle and ticks. */
struct chart_geometry {
	double axis_width, axis2_width, legend_width;
};
bool chart_bar_measure(const struct chart_bar *c, struct chart_style *st,
		cairo_t *cr, double w, double h, struct chart_geometry *g);
bool chart_line_measure(const struct chart_line *c, struct chart_style *st,
		cairo_t *cr, double w, double h, struct chart_geometry *g);
/* a = the larger of a and b in each field. */
void chart_geometry_merge(struct chart_geometry *a,
		const struct chart_geometry *b);
void chart_geometry_apply(struct chart_style *st,
		const struct chart_geometry *g);

/* Nice axis: given data [lo, hi] and a target tick count, choose a step of
 * 1, 2 or 5 × 10^k and an axis [min, max] that are multiples of the step
 * and cover the data; n is the number of ticks including both ends.
 * lo == hi == 0 gives [0, 1]; NAN or infinite input is treated as 0. */
struct chart_ticks {
	double min, max, step;
	size_t n;
};
struct chart_ticks chart_ticks_nice(double lo, double hi, size_t target);
/* The same with a step no smaller than min_step (e.g. 1 for counts). */
struct chart_ticks chart_ticks_nice_min(double lo, double hi, size_t target, double min_step);
/* Decimals needed to print every tick of tk exactly (0 for steps >= 1). */
int chart_ticks_decimals(const struct chart_ticks *tk);

/* "1,234,567" (rounded to integer when decimals is 0) or "1,234.5" with
 * decimals (0..9); "-" for NAN.  Writes at most len bytes including the NUL
 * (truncating); returns buf. */
char *chart_format_number(double v, int decimals, char *buf, size_t len);

#endif
