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

/* Writes the PDF of ed to path atomically; false with e "PATH: reason". */
bool bulletin_pdf_write(const struct edition *ed, const char *path,
    struct err *e);

/* Checks analyst notes (Markdown) before rendering: block quotes and
 * lists nested at most 32 deep, every talot: figure known and its caption
 * at most 120 characters; else false with e = "NAME:LINE: …". */
bool bulletin_notes_check(const char *name, const char *md, struct err *e);

#endif
