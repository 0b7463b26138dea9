/* pdf_pages.h — a PDF's pages drawn in one thread and written in another.
 *
 * cairo's PDF surface does most of its work when a page ends: it replays
 * the page to find what it can draw natively, prints every operator and
 * number, and compresses the stream (about half of a bulletin's render).
 * Here each page is drawn into a recording surface of its own; a writer
 * thread paints it onto the PDF surface (one form XObject a page) and ends
 * the page there, while the caller draws the next.  The PDF surface itself
 * is touched by the writer alone, so the outline entries and link areas,
 * which belong to the PDF surface, are queued in order with the pages.
 *
 * Without a thread (pthread_create() failed) every step runs at once in
 * the caller's thread, with the same result. */
#ifndef TALOT_PDF_PAGES_H
#define TALOT_PDF_PAGES_H

#include <stdbool.h>

#include <cairo-pdf.h>

struct pdf_pages;

/* Starts writing pages of w × h points to surf, which the caller keeps
 * and finishes after pdf_pages_finish().  NULL when out of memory. */
struct pdf_pages *pdf_pages_start(cairo_surface_t *surf, double w, double h);

/* A context for the next page, on a recording surface of the page's size;
 * pdf_pages_end() ends it.  NULL when out of memory. */
cairo_t *pdf_pages_begin(struct pdf_pages *pp);

/* A context on a recording surface of w × h points, as pdf_pages_begin()
 * gives a page (its font options are a page's); NULL when out of
 * memory. */
cairo_t *pdf_pages_recording(double w, double h);

/* Ends the page begun last: cr (from pdf_pages_begin()) is destroyed and
 * the page goes to the writer, unless cr or its surface is in error: a
 * drawing step that failed leaves the rest of the page undrawn, so that
 * error is returned and the page is not written (the link areas and
 * outline entries given for it then go with the next: the caller is to
 * stop). */
cairo_status_t pdf_pages_end(struct pdf_pages *pp, cairo_t *cr);

/* A link area on the current page: cairo's CAIRO_TAG_LINK attributes,
 * with the areas as rect=[...] in page coordinates. */
bool pdf_pages_link(struct pdf_pages *pp, const char *attrs);

/* An outline entry under parent (0: the root, else an id this function
 * returned), as cairo_pdf_surface_add_outline() takes it.  Returns the
 * entry's id, or -1 when out of memory. */
int pdf_pages_outline(struct pdf_pages *pp, int parent, const char *title,
    const char *link, cairo_pdf_outline_flags_t flags);

/* Waits until every page queued is written, stops the writer and frees
 * pp (NULL is allowed).  Returns the writer's first error on its context
 * (the PDF surface's own errors are the surface's status). */
cairo_status_t pdf_pages_finish(struct pdf_pages *pp);

#endif
