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

/* Appearance shared by all charts.  Fill with chart_style_defaults(), then
 * change fields.  The same style may be passed to many charts: the OUT
 * fields accumulate over all of them. */
struct chart_style {
	/* Optional: reuse this context for all layouts (caller owns it).  The
	 * chart sets on it the font options (hint metrics off, hint style
	 * none), turns glyph-position rounding off, sets the language and
	 * updates it to the cairo_t's transformation.  NULL: a context is
	 * made from the cairo_t for each chart and freed afterwards. */
	PangoContext *pango;
	const char *font_family;     /* default "Noto Sans CJK JP" */
	double font_size;            /* user units (points on PDF), default 7.5 */
	const char *language;        /* default "ja" */
	struct chart_rgb text_color; /* default #333333 */
	struct chart_rgb axis_color; /* axes and tick marks, default #595959 */
	struct chart_rgb grid_color; /* gridlines, default #D9D9D9 */
	double line_width;           /* axis line width, default 0.6 */
	const char *empty_text;      /* note for empty charts, default "データなし" */
	size_t unknown_glyphs;       /* OUT: accumulated pango_layout_get_unknown_glyphs_count() */
	char first_unknown[8];       /* OUT: UTF-8 of the first char drawn with an unknown glyph */
};
void chart_style_defaults(struct chart_style *st);

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
};
bool chart_bar_draw(const struct chart_bar *c, struct chart_style *st, cairo_t *cr,
		double x, double y, double w, double h);

/* A pie, clockwise from 12 o'clock in the given order.  Percentages are
 * printed inside large slices and outside (with a leader line) for small
 * ones; slices under 0.5 % get no label on the pie.  The legend shows each
 * label with its percentage.  Negative and NAN values count as 0. */
#define CHART_PIE_NO_DECIMALS (-1)
struct chart_pie {
	const char *const *labels; /* n legend labels */
	const double *values;      /* n values */
	const struct chart_rgb *colors; /* n colours */
	size_t n;
	int decimals;            /* percentage decimals; 0 = default (1); CHART_PIE_NO_DECIMALS = none */
};
bool chart_pie_draw(const struct chart_pie *c, struct chart_style *st, cairo_t *cr,
		double x, double y, double w, double h);

/* Lines over categories.  With y2_label non-NULL and nseries >= 2,
 * series[1] is drawn against a right axis with its own scale and the other
 * series against the left axis.  Series are told apart by colour and by
 * marker shape (circle, square, triangle, diamond). */
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
};
bool chart_line_draw(const struct chart_line *c, struct chart_style *st, cairo_t *cr,
		double x, double y, double w, double h);

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
