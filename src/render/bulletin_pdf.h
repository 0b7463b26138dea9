/* bulletin_pdf.h — the PDF renderer of an edition (A4 portrait).
 *
 * The body text (Markdown) is parsed with cmark and typeset with pango;
 * figures are drawn by the chart module from the edition's series; the
 * running header, page numbers, metadata and outline come from the
 * edition too.  Reads nothing else. */
#ifndef TALOT_BULLETIN_PDF_H
#define TALOT_BULLETIN_PDF_H

#include <stdbool.h>

#include "edition.h"
#include "err.h"

/* Fonts loaded ahead of a render, in a thread of their own: pango finds
 * and measures a font the first time a size and weight is used (about
 * 17 ms for a bulletin's), and the render would wait for each; started
 * before the store is read, they load while it is. */
struct pdf_preload;

/* Starts loading a bulletin's fonts of family.  NULL when the thread
 * cannot start or memory is short: the fonts then load as they are
 * needed. */
struct pdf_preload *bulletin_pdf_preload(const char *family);

/* Stops the loading (at once) and frees pl; NULL is allowed. */
void bulletin_pdf_preload_free(struct pdf_preload *pl);

/* Writes the PDF of ed to path atomically; false with e "PATH: reason".
 * pl (taken over; NULL for none) gives the fonts already loaded, when
 * its family is ed's. */
bool bulletin_pdf_write(const struct edition *ed, struct pdf_preload *pl,
    const char *path, struct err *e);

/* Checks analyst notes (Markdown) before rendering: block quotes and
 * lists nested at most 32 deep, every talot: figure known and its caption
 * at most 120 characters; else false with e = "NAME:LINE: …". */
bool bulletin_notes_check(const char *name, const char *md, struct err *e);

#endif
