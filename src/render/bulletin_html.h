/* bulletin_html.h — the web edition: one self-contained HTML page per
 * month (inline CSS, figures as inline SVG from the chart module, the
 * table behind every figure, no script, no external request).
 *
 * The renderer reads the edition only.  What lies around the page (the
 * month's other files, its neighbours, the index) is told by the caller
 * in struct html_links, which names files relative to the page. */
#ifndef TALOT_BULLETIN_HTML_H
#define TALOT_BULLETIN_HTML_H

#include <stdbool.h>

#include "edition.h"
#include "err.h"
#include "text.h"

/* The same page in another language. */
struct html_alt {
	const char *lang;            /* "en" */
	const char *href;            /* "talot-2007-06.en.html" */
	const char *name;            /* the language's own name: "English" */
};

/* File names relative to the page; NULL = no link. */
struct html_links {
	const char *pdf, *xlsx, *json;
	const char *prev, *next;     /* neighbouring months' pages */
	const char *prev_label, *next_label; /* e.g. "2007-05" */
	const char *index;           /* the site index */
	const struct html_alt *alts; /* other languages' pages, in the head
	                              * (hreflang alternates) and the nav */
	size_t nalts;
};

/* Appends <link rel="alternate" hreflang=…> for each of alts[0..n), the
 * page's own language included by the caller if wanted. */
void bulletin_html_alternates(struct buf *b, const struct html_alt *alts,
    size_t n);

/* Appends the language links of a nav: <a hreflang lang>name</a>. */
void bulletin_html_lang_links(struct buf *b, const struct html_alt *alts,
    size_t n);

/* Writes the page of ed to path atomically; links may be NULL.  false
 * with e "PATH: reason". */
bool bulletin_html_write(const struct edition *ed,
    const struct html_links *links, const char *path, struct err *e);

/* Appends the page to out (the same bytes bulletin_html_write writes). */
bool bulletin_html_page(const struct edition *ed,
    const struct html_links *links, struct buf *out, struct err *e);

/* Draws figure f of ed with the chart module into cr's rectangle; t gives
 * the pango context.  Shared by the page and the site index. */
bool bulletin_html_chart(const struct edition *ed, const struct ed_figure *f,
    struct text *t, cairo_t *cr, double x, double y, double w, double h,
    struct err *e);

/* The style sheet shared by the page and the site index. */
extern const char bulletin_html_css[];

#endif
