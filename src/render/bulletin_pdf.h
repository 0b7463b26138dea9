/* bulletin_pdf.h — the monthly bulletin as a PDF (A4, Japanese).
 *
 * The text comes from the template folder (bulletin.md expanded with the
 * model's numbers, then parsed as Markdown with cmark); figures are drawn
 * by the chart module into the page. */
#ifndef TALOT_BULLETIN_PDF_H
#define TALOT_BULLETIN_PDF_H

#include <stdbool.h>
#include <time.h>

#include "catalog.h"
#include "err.h"
#include "model.h"
#include "settings.h"

struct bulletin_opts {
	const char *template_dir;   /* holds bulletin.md and partials */
	const char *notes_md;       /* analyst commentary (Markdown) or NULL */
	const char *notes_name;     /* its file name, for messages */
	const struct settings *settings;
	time_t date;                /* document date (SOURCE_DATE_EPOCH) */
};

/* Expands the bulletin template for m: a malloc'd Markdown text, or NULL
 * with e naming the template file and line. */
char *bulletin_markdown(const struct month_model *m,
    const struct catalog *cat, const struct bulletin_opts *o,
    struct diag *warnings, struct err *e);

/* True if talot:ID (n bytes) names a figure the bulletin can draw. */
bool bulletin_figure_known(const char *id, size_t n);

/* Checks analyst notes (Markdown) before rendering: block quotes and
 * lists nested at most 32 deep, every talot: figure known and its caption
 * at most 120 characters; else false with e = "NAME:LINE: …". */
bool bulletin_notes_check(const char *name, const char *md, struct err *e);

/* Writes the PDF to path atomically.  warnings collects catalogue gaps. */
bool bulletin_pdf_write(const struct month_model *m,
    const struct catalog *cat, const struct bulletin_opts *o,
    const char *path, struct diag *warnings, struct err *e);

#endif
