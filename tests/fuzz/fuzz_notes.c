/* fuzz_notes.c — analyst notes (Markdown) through the PDF's text path:
 * bulletin_notes_check(), cmark, then the bulletin's own block and inline
 * typesetting (flow over pages with pango, FLOW_CHUNK at a time) into a
 * PDF surface that is thrown away.
 *
 * The renderer's functions are static: this file includes bulletin_pdf.c.
 * Figures (talot: images) need a month model and are taken out of the tree
 * before typesetting; everything else is typeset as in `talot render
 * --notes`.
 *
 * Input: the notes file, as bytes (not UTF-8 or holding NUL: refused as the
 * notes reader does).
 *
 * Invariants: no crash, sanitizer report or stack overflow; a refusal or a
 * typesetting error (a glyph missing from the fonts) comes with a message;
 * no page's cairo context ends in error (a drawing bug, such as a
 * cairo_restore() across a page break); and, run with -timeout, no input
 * takes super-linear time (a slow input is a finding).
 */
#define _GNU_SOURCE   /* bulletin_pdf.c's pthread_setname_np, before any
                       * header */
#include "fuzz_common.h"

#include <fontconfig/fontconfig.h>

#include "textfile.h"
#include "../../src/render/bulletin_pdf.c"

static cairo_status_t
discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* Unlinks and frees the paragraphs holding a talot: figure. */
static void
drop_figures(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **v = NULL;
	size_t n = 0, cap = 0;
	cmark_event_type ev;

	FUZZ_CHECK(it != NULL);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		const char *url;

		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(c) != CMARK_NODE_IMAGE ||
		    (url = cmark_node_get_url(c)) == NULL ||
		    strncmp(url, "talot:", 6) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = realloc(v, cap * sizeof(*v));
			FUZZ_CHECK(v != NULL);
		}
		v[n++] = c;
	}
	cmark_iter_free(it);
	/* replace each image by its alt text's first node, or nothing */
	for (size_t i = 0; i < n; i++) {
		cmark_node_unlink(v[i]);
		cmark_node_free(v[i]);
	}
	free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct text *t;
	/* the parts of an edition the typesetting of text reads */
	static struct edition ed = {
		.lang = "ja", .font = (char *)"BIZ UDPGothic",
		.page_format = (char *)"- {{page}} -", .header = (char *)"fuzz",
	};
	struct err e = { "" };
	struct pdf p;
	cmark_node *doc;
	char *md;
	bool ok;

	if (t == NULL) {
		setenv("FONTCONFIG_FILE", "fonts/fonts.conf", 0);
		FcInit();
		t = text_create(ed.font, &e);
		FUZZ_CHECK(t != NULL);
	}
	if (size > 1024 * 1024)
		return 0;
	md = malloc(size + 1);
	FUZZ_CHECK(md != NULL);
	memcpy(md, data, size);
	md[size] = '\0';
	if (!text_check("notes.md", md, size, &e)) {
		FUZZ_CHECK(e.msg[0] != '\0');
		free(md);
		return 0;
	}
	if (!bulletin_notes_check("notes.md", md, &e)) {
		FUZZ_CHECK(strncmp(e.msg, "notes.md:", 9) == 0);
		free(md);
		return 0;
	}
	doc = cmark_parse_document(md, size, CMARK_OPT_DEFAULT);
	free(md);
	FUZZ_CHECK(doc != NULL);
	drop_figures(doc);

	memset(&p, 0, sizeof(p));
	p.ed = &ed;
	p.e = &e;
	p.t = t;
	p.surf = cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W,
	    PAGE_H);
	p.pages = pdf_pages_start(p.surf, PAGE_W, PAGE_H);
	FUZZ_CHECK(p.pages != NULL);
	snprintf(p.header, sizeof(p.header), "fuzz");
	ok = page_new(&p) && blocks(&p, doc, 0);
	/* nothing drawn below the body */
	if (ok)
		FUZZ_CHECK(p.y <= bottom() + 30);
	ok = ok && page_finish(&p);
	if (!ok) {
		FUZZ_CHECK(e.msg[0] != '\0');
		FUZZ_CHECK(strncmp(e.msg, "cannot draw page", 16) != 0);
	}
	measured_free(&p);
	if (p.cr != NULL)
		cairo_destroy(p.cr);
	FUZZ_CHECK(pdf_pages_finish(p.pages) == CAIRO_STATUS_SUCCESS);
	cairo_surface_finish(p.surf);
	cairo_surface_destroy(p.surf);
	cmark_node_free(doc);
	return 0;
}
