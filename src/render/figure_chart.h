/* figure_chart.h — an edition's figure drawn by the chart module, for
 * every renderer that draws charts (PDF, web page). */
#ifndef TALOT_FIGURE_CHART_H
#define TALOT_FIGURE_CHART_H

#include <stdbool.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "edition.h"
#include "err.h"

/* Draws figure f of ed into (x, y, w, h) of cr with the language's words,
 * units and shares, and the plot geometry of its pair; pango (may be
 * NULL) is reused for the layouts.  false with e set: a glyph missing
 * from the fonts, out of memory, or a chart that cannot be drawn. */
bool figure_chart_draw(const struct edition *ed, const struct ed_figure *f,
    PangoContext *pango, double font_size, cairo_t *cr, double x, double y,
    double w, double h, struct err *e);

#endif
