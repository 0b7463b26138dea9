/* svg.h — a chart drawn into an in-memory cairo SVG surface and turned
 * into an inline <svg> element for a web page: no XML prolog, ids renamed
 * PREFIX-1, PREFIX-2 … in order of first appearance (unique on the page
 * and independent of cairo's process-wide counters, so the same edition
 * gives the same bytes in any process), role="img" and an aria-label. */
#ifndef TALOT_SVG_H
#define TALOT_SVG_H

#include <stdbool.h>

#include <cairo.h>

#include "err.h"
#include "text.h"

struct svg {
	cairo_surface_t *surf;
	cairo_t *cr;         /* draw here between svg_begin and svg_end */
	struct buf raw;      /* what cairo wrote */
	double w, h;
};

/* A w × h (user units = CSS px) drawing with a white background. */
bool svg_begin(struct svg *s, double w, double h, struct err *e);
/* Finishes the drawing and appends the <svg> element to out; label is the
 * text alternative (plain UTF-8, escaped here).  Frees s in every case. */
bool svg_end(struct svg *s, const char *prefix, const char *label,
    struct buf *out, struct err *e);
/* Frees s without output (after an error). */
void svg_abort(struct svg *s);

/* Appends s to b escaped for HTML text and attribute values. */
void html_escape(struct buf *b, const char *s);

#endif
