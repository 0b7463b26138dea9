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

#endif
