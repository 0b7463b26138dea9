/* bulletin_pdf.c — the bulletin as an A4 PDF: the expanded template parsed
 * with cmark, typeset with pango, figures from the chart module. */
#define _GNU_SOURCE   /* pthread_setname_np */
#include "bulletin_pdf.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cmark.h>

#include "atomic.h"
#include "chart.h"
#include "figure_chart.h"
#include "config.h"
#include "fmt.h"
#include "pdf_pages.h"
#include "text.h"

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 62.0
#define MARGIN_TOP 72.0
#define MARGIN_BOTTOM 70.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define BODY_SIZE 9.6
#define CHART_H 215.0
#define PIE_H 190.0
#define BLOCK_DEPTH_MAX 32  /* block quotes and lists, one in the other */

struct pdf {
	const struct edition *ed;
	struct err *e;
	cairo_surface_t *surf;
	struct pdf_pages *pages; /* writes the pages to surf */
	cairo_t *cr;         /* the current page's (pdf_pages_begin()) */
	struct text *t;
	double y;            /* next free y on the page */
	struct chart_rgb ink; /* of the text flow_layout() sets */
	int page;            /* 1-based, 0 before the first page */
	int outline_sec;     /* outline id of the current section */
	int depth;           /* of block(): nesting */
	bool in_title;       /* in the title block (title_open()) */
	bool filling;        /* setting text before a figure (figure_block()) */
	bool jlreq;          /* Japanese: spaces by buf_add_prose() */
	char header[640];
	/* block_height()'s measurements, by node: a block is measured for
	 * keeping up to three times before it is drawn, and a layout is the
	 * costliest step of a render */
	struct measured {
		cmark_node *n;
		double h;       /* full height */
		int lines;      /* its lines (0: not text) */
		PangoLayout *l; /* a text paragraph's layout, justified as
		                 * it is drawn; taken by block_draw() */
	} *hc;
	size_t nhc, caphc;
};

/* The colours of body text and of headings. */
#define INK_BODY ((struct chart_rgb){ 0.1, 0.1, 0.1 })
#define INK_HEADING ((struct chart_rgb){ 0.05, 0.18, 0.36 })

static double
bottom(void)
{
	return PAGE_H - MARGIN_BOTTOM;
}

static bool
draw_text_at(struct pdf *p, const char *markup, double size, double x,
    double y, double w, PangoAlignment al, const struct chart_rgb *col)
{
	PangoLayout *l = text_layout(p->t, markup, size, w, al, p->e);

	if (l == NULL)
		return false;
	cairo_save(p->cr);
	if (col)
		cairo_set_source_rgb(p->cr, col->r, col->g, col->b);
	else
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	cairo_restore(p->cr);
	g_object_unref(l);
	return true;
}

/* A rule across the text width at y. */
static void
rule(struct pdf *p, double y, double width, struct chart_rgb c)
{
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN_X, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, y);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
}

/* Ends the current page (if any) with its number, and hands it to the
 * writer.  A page whose drawing failed fails the render: cairo ignores
 * every step after a failed one, and the page would be left blank. */
static bool
page_finish(struct pdf *p)
{
	char num[256], n[16];
	struct chart_rgb grey = { 0.35, 0.35, 0.35 };
	const char *f = p->ed->page_format, *at;
	struct buf b = { 0 };
	cairo_status_t st;
	bool ok;

	if (p->cr == NULL)
		return true;
	snprintf(n, sizeof(n), "%d", p->page);
	at = strstr(f, "{{page}}");
	if (at != NULL)
		snprintf(num, sizeof(num), "%.*s%s%s", (int)(at - f), f, n, at + 8);
	else
		snprintf(num, sizeof(num), "%s", n);
	buf_add_text(&b, num);
	ok = b.oom ? err_set(p->e, "out of memory") : true;
	ok = ok && draw_text_at(p, b.s ? b.s : "", 8.5, MARGIN_X, PAGE_H - 44,
	    CONTENT_W, PANGO_ALIGN_CENTER, &grey);
	buf_free(&b);
	st = pdf_pages_end(p->pages, p->cr);
	p->cr = NULL;
	if (st != CAIRO_STATUS_SUCCESS && ok)
		ok = err_set(p->e, "cannot draw page %d (%s)", p->page,
		    cairo_status_to_string(st));
	return ok;
}

static bool
page_new(struct pdf *p)
{
	struct chart_rgb grey = { 0.35, 0.35, 0.35 };
	struct buf b = { 0 };

	if (!page_finish(p))
		return false;
	p->cr = pdf_pages_begin(p->pages);
	if (p->cr == NULL)
		return err_set(p->e, "out of memory");
	p->page++;
	/* the paper, white: cairo's PDF surface first replays every page
	 * to find what it can draw natively, keeping the union of every
	 * operation's extents, and a union with the one rectangle that
	 * already covers it is free where a union with hundreds of
	 * scattered boxes is not (4 % of a render) */
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_rectangle(p->cr, 0, 0, PAGE_W, PAGE_H);
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	pango_cairo_update_context(p->cr, text_context(p->t));
	buf_add_text(&b, p->header);
	if (!draw_text_at(p, b.s ? b.s : "", 8, MARGIN_X, 38, CONTENT_W,
	    PANGO_ALIGN_LEFT, &grey)) {
		buf_free(&b);
		return false;
	}
	buf_free(&b);
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN_X, 54);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, 54);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
	p->y = MARGIN_TOP;
	return true;
}

/* Makes room for h points, starting a new page if needed. */
static bool
need(struct pdf *p, double h)
{
	if (p->page == 0 || (p->y + h > bottom() && p->y > MARGIN_TOP + 1))
		return page_new(p);
	return true;
}

/* Draws the first nlines lines of a layout (all when nlines < 0) line by
 * line in p->ink, breaking across pages.  p->y ends below the last line
 * drawn, or, when lines are left, where the next one would start.  A new
 * page is a new cairo context (pdf_pages_begin()), so nothing set on the
 * context before the call is left after a break: the colour is set on
 * each line's. */
static bool
flow_layout(struct pdf *p, PangoLayout *l, double x, int nlines)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double y0 = p->y, shift = 0;
	int i = 0;

	do {
		PangoRectangle lr;
		double top, h, base;

		pango_layout_iter_get_line_extents(it, NULL, &lr);
		top = (double)lr.y / PANGO_SCALE;
		h = (double)lr.height / PANGO_SCALE;
		if (nlines >= 0 && i++ >= nlines) {
			p->y = y0 + top - shift;
			break;
		}
		base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		if (y0 + top - shift + h > bottom()) {
			if (!page_new(p)) {
				pango_layout_iter_free(it);
				return false;
			}
			y0 = p->y;
			shift = top;
		}
		cairo_set_source_rgb(p->cr, p->ink.r, p->ink.g, p->ink.b);
		cairo_move_to(p->cr, x + (double)lr.x / PANGO_SCALE,
		    y0 + base - shift);
		pango_cairo_show_layout_line(p->cr,
		    pango_layout_iter_get_line_readonly(it));
		p->y = y0 + top - shift + h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return true;
}

/* Bytes of text laid out in one pango layout at most.  pango shapes the
 * rest of a paragraph again for every line it breaks, so one layout of a
 * long paragraph costs its length squared; flow_markup() lays a paragraph
 * out a chunk at a time instead. */
#define FLOW_CHUNK 1024

/* The attributes of parsed markup, sorted by start, for slicing: those
 * from next on start at or after the current offset, those in open
 * started before it (markup nests, so these are few). */
struct attrs {
	PangoAttribute **v;
	size_t n, next;
	GPtrArray *open;
	GSList *list;
};

static void
attrs_init(struct attrs *a, PangoAttrList *al)
{
	size_t i = 0;

	memset(a, 0, sizeof(*a));
	a->list = pango_attr_list_get_attributes(al);
	a->n = g_slist_length(a->list);
	a->v = g_new(PangoAttribute *, a->n + 1);
	for (GSList *g = a->list; g != NULL; g = g->next)
		a->v[i++] = g->data;
	a->open = g_ptr_array_new();
}

static void
attrs_finish(struct attrs *a)
{
	g_ptr_array_free(a->open, TRUE);
	g_slist_free_full(a->list, (GDestroyNotify)pango_attribute_destroy);
	g_free(a->v);
}

static void
attr_add(PangoAttrList *al, const PangoAttribute *src, size_t off,
    size_t end)
{
	PangoAttribute *c;

	if (src->end_index <= off || src->start_index >= end)
		return;
	c = pango_attribute_copy(src);
	c->start_index = c->start_index > off ? (guint)(c->start_index - off) :
	    0;
	c->end_index = c->end_index < end ? (guint)(c->end_index - off) :
	    (guint)(end - off);
	pango_attr_list_insert(al, c);
}

/* The attributes over text [off, end), moved to start at 0 (off never
 * decreases from one call to the next). */
static PangoAttrList *
attrs_slice(struct attrs *a, size_t off, size_t end)
{
	PangoAttrList *al = pango_attr_list_new();
	GPtrArray *o = a->open;
	size_t k = 0;

	/* attributes that started before off and are still open */
	while (a->next < a->n && a->v[a->next]->start_index < off)
		g_ptr_array_add(o, a->v[a->next++]);
	for (guint i = 0; i < o->len; i++) {
		PangoAttribute *at = g_ptr_array_index(o, i);

		if (at->end_index > off)
			o->pdata[k++] = at;
	}
	g_ptr_array_set_size(o, (guint)k);
	for (guint i = 0; i < o->len; i++)
		attr_add(al, g_ptr_array_index(o, i), off, end);
	for (size_t i = a->next; i < a->n && a->v[i]->start_index < end; i++)
		attr_add(al, a->v[i], off, end);
	return al;
}

/* Typesets markup at x in width w (size points, in p->ink), line by line
 * across pages, FLOW_CHUNK bytes at a time: each chunk's lines but its
 * last are drawn, and the next chunk starts where that last line did, so
 * the lines are those of one layout (pango breaks lines greedily). */
static bool
flow_markup(struct pdf *p, const char *markup, double size, double x,
    double w, PangoAlignment align)
{
	PangoAttrList *all = NULL;
	GError *ge = NULL;
	char *text = NULL;
	struct attrs a;
	size_t len, off = 0;
	bool ok = true;

	if (!pango_parse_markup(markup, -1, 0, &all, &text, NULL, &ge)) {
		err_set(p->e, "bad text markup: %s", ge ? ge->message : "?");
		g_clear_error(&ge);
		return false;
	}
	len = strlen(text);
	attrs_init(&a, all);
	pango_attr_list_unref(all);
	do {
		size_t end = len - off > FLOW_CHUNK ? off + FLOW_CHUNK : len;
		PangoAttrList *al;
		PangoLayout *l;
		int nlines = -1;

		while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
			end--;
		al = attrs_slice(&a, off, end);
		l = text_layout_text(p->t, text + off, end - off, al, size, w,
		    align, p->e);
		pango_attr_list_unref(al);
		if (l == NULL) {
			ok = false;
			break;
		}
		if (end < len && pango_layout_get_line_count(l) > 1) {
			PangoLayoutLine *last;

			nlines = pango_layout_get_line_count(l) - 1;
			last = pango_layout_get_line_readonly(l, nlines);
			if (last->start_index > 0)
				end = off + (size_t)last->start_index;
			else
				nlines = -1;   /* never without progress */
		}
		ok = flow_layout(p, l, x, nlines);
		g_object_unref(l);
		off = end;
	} while (ok && off < len);
	attrs_finish(&a);
	g_free(text);
	return ok;
}

/* A paragraph of markup, justified unless it is code. */
static bool
paragraph(struct pdf *p, const char *markup, double size, double indent,
    double after, bool justify)
{
	bool ok;

	if (!need(p, 2 * size))
		return false;
	p->ink = INK_BODY;
	text_set_justify(p->t, justify);
	ok = flow_markup(p, markup, size, MARGIN_X + indent, CONTENT_W - indent,
	    PANGO_ALIGN_LEFT);
	text_set_justify(p->t, false);
	p->y += after;
	return ok;
}

/* ---- inline Markdown to pango markup ---- */

/* Emphasis, strong and links nested deeper than this are typeset as the
 * text they hold (the styles look the same from a few levels on, and
 * pango's markup parser is slow on deep nesting). */
#define INLINE_DEPTH_MAX 8

/* Appends the pango markup of n's inlines to b, walking the tree with
 * cmark's iterator: no recursion, so no depth overflows the stack. */
static void
inlines(cmark_node *n, struct buf *b, bool jlreq)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	int depth = 0;

	if (it == NULL) {
		b->oom = true;
		return;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		const char *open = NULL, *close = NULL;
		bool enter = ev == CMARK_EVENT_ENTER;

		if (c == n)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			buf_add_prose(b, cmark_node_get_literal(c), jlreq);
			break;
		case CMARK_NODE_CODE:
			buf_adds(b, "<tt>");
			buf_add_text(b, cmark_node_get_literal(c));
			buf_adds(b, "</tt>");
			break;
		case CMARK_NODE_LINEBREAK:
			buf_adds(b, "\n");
			break;
		case CMARK_NODE_STRONG:
			open = "<b>";
			close = "</b>";
			break;
		case CMARK_NODE_EMPH:
			open = "<span foreground=\"#8a2a0a\">";
			close = "</span>";
			break;
		case CMARK_NODE_LINK:
			open = "<span foreground=\"#0b4f8a\" underline=\"single\">";
			close = "</span>";
			break;
		default:
			break;
		}
		if (open == NULL)
			continue;
		if (enter && ++depth <= INLINE_DEPTH_MAX)
			buf_adds(b, open);
		else if (!enter && depth-- <= INLINE_DEPTH_MAX)
			buf_adds(b, close);
	}
	cmark_iter_free(it);
}

/* Appends the text of n's inlines to b, without markup (iteratively). */
static void
plain_text(cmark_node *n, struct buf *b)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	if (it == NULL) {
		b->oom = true;
		return;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);

		if (ev == CMARK_EVENT_ENTER && c != n &&
		    (cmark_node_get_type(c) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(c) == CMARK_NODE_CODE))
			buf_adds(b, cmark_node_get_literal(c));
	}
	cmark_iter_free(it);
}

/* ---- figures ---- */

static double
figure_height(const struct ed_figure *f)
{
	switch (f->kind) {
	case ED_FIG_PIE:
		return PIE_H;
	case ED_FIG_TREND:
		return 190.0;
	default:
		return CHART_H;
	}
}

static cmark_node *lone_image(cmark_node *para);
static bool is_figure(cmark_node *n);
static bool is_port_table(cmark_node *n);

/* Space around a figure: above the chart, between chart and caption,
 * below the caption. */
#define FIG_ABOVE 6.0
#define FIG_GAP 4.0
#define FIG_BELOW 14.0
/* Two pies side by side: the gap between them, and their height. */
#define PIE_PAIR_GAP 14.0
#define PIE_PAIR_H 215.0
/* A chart may shrink to this share of its height to stay on a page. */
#define FIG_SHRINK 0.82

/* A figure laid out but not drawn yet: its chart's height and its
 * caption. */
struct fig {
	const struct ed_figure *f;
	PangoLayout *cap;
	double h, caph;
};

static bool
fig_prepare(struct pdf *p, const char *id, double w, struct fig *fg)
{
	struct buf b = { 0 };

	memset(fg, 0, sizeof(*fg));
	fg->f = edition_figure(p->ed, id);
	if (fg->f == NULL)
		return err_set(p->e, "bulletin.md: figure talot:%s: no such figure this month",
		    id);
	buf_add_text(&b, p->ed->words[ED_W_CAPTION_OPEN]);
	buf_add_text(&b, fg->f->caption);
	buf_add_text(&b, p->ed->words[ED_W_CAPTION_CLOSE]);
	fg->cap = text_layout(p->t, b.oom ? "" : b.s, 8.8, w,
	    PANGO_ALIGN_CENTER, p->e);
	buf_free(&b);
	if (fg->cap == NULL)
		return false;
	fg->caph = text_height(fg->cap);
	fg->h = figure_height(fg->f);
	return true;
}

static void
fig_finish(struct fig *fg)
{
	if (fg->cap != NULL)
		g_object_unref(fg->cap);
	fg->cap = NULL;
}

/* Draws a prepared figure at (x, p->y) in width w with the chart h high;
 * p->y is not moved. */
static bool
fig_draw(struct pdf *p, const struct fig *fg, double x, double w, double h)
{
	double y = p->y + FIG_ABOVE;

	if (!figure_chart_draw(p->ed, fg->f, text_context(p->t), 7.2, p->cr,
	    x, y, w, h, p->e))
		return false;
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	cairo_move_to(p->cr, x, y + h + FIG_GAP);
	pango_cairo_show_layout(p->cr, fg->cap);
	cairo_restore(p->cr);
	return true;
}

/* The figure ids of a row at n: one figure, or two pies side by side
 * (two paragraphs in a row holding a pie each).  0 if n is no figure. */
static int
figure_row(struct pdf *p, cmark_node *n, const char *ids[2])
{
	cmark_node *img = is_figure(n) ? lone_image(n) : NULL, *img2;
	const struct ed_figure *f, *g;

	if (img == NULL)
		return 0;
	ids[0] = cmark_node_get_url(img) + 6;
	img2 = is_figure(cmark_node_next(n)) ?
	    lone_image(cmark_node_next(n)) : NULL;
	if (img2 == NULL)
		return 1;
	ids[1] = cmark_node_get_url(img2) + 6;
	f = edition_figure(p->ed, ids[0]);
	g = edition_figure(p->ed, ids[1]);
	return f != NULL && g != NULL && f->kind == ED_FIG_PIE &&
	    g->kind == ED_FIG_PIE ? 2 : 1;
}

/* The height a row of figures takes on the page at full size; *chart_h
 * (if not NULL) the height of its charts. */
static double
row_height(struct pdf *p, cmark_node *n, double *chart_h)
{
	const char *ids[2];
	int k = figure_row(p, n, ids);
	double w = k == 2 ? (CONTENT_W - PIE_PAIR_GAP) / 2 : CONTENT_W, h = 0;

	if (chart_h != NULL)
		*chart_h = 0;
	for (int i = 0; i < k; i++) {
		struct fig fg;

		if (!fig_prepare(p, ids[i], w, &fg)) {
			p->e->msg[0] = '\0';
			return 0;
		}
		h = fmax(h, (k == 2 ? PIE_PAIR_H : fg.h) + fg.caph);
		if (chart_h != NULL)
			*chart_h = k == 2 ? PIE_PAIR_H : fg.h;
		fig_finish(&fg);
	}
	return k > 0 ? FIG_ABOVE + h + FIG_GAP + FIG_BELOW : 0;
}

/* Draws a row of k figures (1, or 2 pies side by side); a row that does
 * not fit on the rest of the page shrinks a little when that makes it
 * fit, or goes to the next page. */
static bool
figure_row_draw(struct pdf *p, const char *const *ids, int k)
{
	struct fig fg[2];
	double w = k == 2 ? (CONTENT_W - PIE_PAIR_GAP) / 2 : CONTENT_W;
	double h = 0, caph = 0, room, scale = 1;
	bool ok = true;
	int i;

	for (i = 0; i < k && ok; i++) {
		ok = fig_prepare(p, ids[i], w, &fg[i]);
		if (ok) {
			h = fmax(h, k == 2 ? PIE_PAIR_H : fg[i].h);
			caph = fmax(caph, fg[i].caph);
		}
	}
	if (!ok) {
		for (int m = 0; m < i; m++)
			fig_finish(&fg[m]);
		return false;
	}
	/* a figure and its caption stay together */
	room = bottom() - p->y - (FIG_ABOVE + FIG_GAP + caph + FIG_BELOW);
	if (p->page > 0 && room < h && room >= h * FIG_SHRINK)
		scale = room / h;
	ok = need(p, FIG_ABOVE + h * scale + FIG_GAP + caph + FIG_BELOW);
	for (i = 0; i < k && ok; i++)
		ok = fig_draw(p, &fg[i], MARGIN_X + i * (w + PIE_PAIR_GAP), w,
		    h * scale);
	p->y += FIG_ABOVE + h * scale + FIG_GAP + caph + FIG_BELOW;
	for (i = 0; i < k; i++)
		fig_finish(&fg[i]);
	return ok;
}

/* ---- section 4 table ---- */

/* Section 4's table: the width of its first column and the padding of a
 * cell. */
#define TABLE_C1 92.0
#define TABLE_PAD 5.0

static void
table_row_draw(struct pdf *p, PangoLayout *l1, PangoLayout *l2, double h,
    bool header)
{
	const double x = MARGIN_X, c1 = TABLE_C1, pad = TABLE_PAD;

	cairo_save(p->cr);
	if (header) {
		cairo_set_source_rgb(p->cr, 0.90, 0.92, 0.95);
		cairo_rectangle(p->cr, x, p->y, CONTENT_W, h);
		cairo_fill(p->cr);
	}
	cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(p->cr, 0.5);
	cairo_rectangle(p->cr, x, p->y, CONTENT_W, h);
	cairo_move_to(p->cr, x + c1, p->y);
	cairo_line_to(p->cr, x + c1, p->y + h);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	cairo_move_to(p->cr, x + pad, p->y + pad);
	pango_cairo_show_layout(p->cr, l1);
	cairo_move_to(p->cr, x + c1 + pad, p->y + pad);
	pango_cairo_show_layout(p->cr, l2);
	cairo_restore(p->cr);
	p->y += h;
}

/* Makes each reference title in layout l (drawn at x, y) a link to its URL:
 * one rectangle per line the title runs over.  The URLs were checked by
 * the catalogue (RFC 3986 characters only), so only ' needs escaping in
 * cairo's attribute string.  False with p->e set when out of memory. */
static bool
ref_links(struct pdf *p, PangoLayout *l, const struct ed_port_row *r,
    double x, double y)
{
	const char *text = pango_layout_get_text(l);
	size_t from = strlen(text);

	/* the titles follow the explanation, in order */
	for (size_t k = r->nrefs; k-- > 0;) {
		const char *t = r->refs[k].title, *hit = NULL;
		struct buf a = { 0 };
		PangoLayoutIter *it;
		int start, end, nrect = 0;

		for (const char *q = text; (q = strstr(q, t)) != NULL &&
		    (size_t)(q - text) + strlen(t) <= from; q++)
			hit = q;
		if (hit == NULL || *t == '\0')
			continue;
		start = (int)(hit - text);
		end = start + (int)strlen(t);
		from = (size_t)start;
		buf_adds(&a, "uri='");
		for (const char *u = r->refs[k].url; *u != '\0'; u++) {
			if (*u == '\'' || *u == '\\')
				buf_adds(&a, "\\");
			buf_add(&a, u, 1);
		}
		buf_adds(&a, "' rect=[");
		it = pango_layout_get_iter(l);
		do {
			PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
			int y0, y1, *ranges = NULL, n = 0;

			if (line->start_index >= end ||
			    line->start_index + line->length <= start)
				continue;
			pango_layout_iter_get_line_yrange(it, &y0, &y1);
			pango_layout_line_get_x_ranges(line, start, end, &ranges, &n);
			for (int i = 0; i < n; i++) {
				char num[128];

				if (ranges[2 * i + 1] <= ranges[2 * i])
					continue;
				snprintf(num, sizeof(num), "%s%.2f %.2f %.2f %.2f",
				    nrect++ ? " " : "",
				    x + (double)ranges[2 * i] / PANGO_SCALE,
				    y + (double)y0 / PANGO_SCALE,
				    (double)(ranges[2 * i + 1] - ranges[2 * i]) /
				    PANGO_SCALE, (double)(y1 - y0) / PANGO_SCALE);
				buf_adds(&a, num);
			}
			g_free(ranges);
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
		buf_adds(&a, "]");
		if (a.oom || (nrect > 0 && !pdf_pages_link(p->pages, a.s))) {
			buf_free(&a);
			return err_set(p->e, "out of memory");
		}
		buf_free(&a);
	}
	return true;
}

/* A row of the table laid out from its two cells' markup, which it
 * frees; false with p->e set (and *l1, *l2 NULL). */
static bool
cells_layout(struct pdf *p, struct buf *b1, struct buf *b2,
    PangoLayout **l1, PangoLayout **l2)
{
	bool ok;

	*l1 = *l2 = NULL;
	if (!b1->oom && !b2->oom) {
		*l1 = text_layout(p->t, b1->s, 8.6, TABLE_C1 - 2 * TABLE_PAD,
		    PANGO_ALIGN_LEFT, p->e);
		*l2 = *l1 ? text_layout(p->t, b2->s, 8.6,
		    CONTENT_W - TABLE_C1 - 2 * TABLE_PAD, PANGO_ALIGN_LEFT,
		    p->e) : NULL;
		if (*l2 == NULL && *l1 != NULL) {
			g_object_unref(*l1);
			*l1 = NULL;
		}
	}
	ok = *l2 != NULL;
	buf_free(b1);
	buf_free(b2);
	return ok || p->e->msg[0] ? ok : err_set(p->e, "out of memory");
}

/* The table's header row, laid out; false with p->e set. */
static bool
port_head_layout(struct pdf *p, PangoLayout **h1, PangoLayout **h2)
{
	const struct edition *ed = p->ed;
	struct buf b1 = { 0 }, b2 = { 0 };

	buf_adds(&b1, "<b>");
	buf_add_text(&b1, ed->words[ED_W_TABLE_PORT]);
	buf_adds(&b1, "</b>");
	buf_adds(&b2, "<b>");
	buf_add_text(&b2, ed->words[ED_W_TABLE_EXPLANATION]);
	buf_adds(&b2, "</b>");
	return cells_layout(p, &b1, &b2, h1, h2);
}

/* Row i of the table (a port, its accesses and share; its explanation
 * and references), laid out; false with p->e set. */
static bool
port_row_layout(struct pdf *p, size_t i, PangoLayout **l1, PangoLayout **l2)
{
	const struct edition *ed = p->ed;
	const struct ed_port_row *r = &ed->ports[i];
	struct buf b1 = { 0 }, b2 = { 0 };

	buf_add_text(&b1, r->label);
	buf_adds(&b1, "\n<small>");
	buf_add_text(&b1, r->accesses_text);
	buf_adds(&b1, " (");
	buf_add_text(&b1, r->share_text);
	buf_adds(&b1, ")</small>");
	buf_add_text(&b2, r->explanation[0] ? r->explanation :
	    ed->words[ED_W_NO_EXPLANATION]);
	if (r->nrefs > 0) {
		buf_adds(&b2, "\n<small>");
		buf_add_text(&b2, ed->words[ED_W_REFERENCES]);
		for (size_t k = 0; k < r->nrefs; k++) {
			buf_adds(&b2, "\n<span foreground=\"#0b4f8a\" "
			    "underline=\"single\">");
			buf_add_text(&b2, r->refs[k].title);
			buf_adds(&b2, "</span>");
		}
		buf_adds(&b2, "</small>");
	}
	return cells_layout(p, &b1, &b2, l1, l2);
}

static double
row_h(PangoLayout *l1, PangoLayout *l2)
{
	return fmax(text_height(l1), text_height(l2)) + 2 * TABLE_PAD;
}

/* The height the table takes where it starts: its header row and its
 * first row, which always share a page (at most a page; 0 on error or
 * when there are no ports: keeping is a nicety, drawing reports errors). */
static double
port_table_head_height(struct pdf *p)
{
	PangoLayout *h1, *h2, *l1, *l2;
	struct err e = { 0 }, *keep = p->e;
	double h = 0;

	if (p->ed->nports == 0)
		return 0;
	p->e = &e;
	if (port_head_layout(p, &h1, &h2)) {
		if (port_row_layout(p, 0, &l1, &l2)) {
			h = fmin(row_h(h1, h2) + row_h(l1, l2),
			    bottom() - MARGIN_TOP);
			g_object_unref(l1);
			g_object_unref(l2);
		}
		g_object_unref(h1);
		g_object_unref(h2);
	}
	p->e = keep;
	return h;
}

/* The month's top ports with their catalogue explanations.  The header
 * row never ends a page: it starts on a page with room for it and the
 * first row, and is repeated on every page the table reaches. */
static bool
port_table(struct pdf *p)
{
	const struct edition *ed = p->ed;
	PangoLayout *h1, *h2, *l1 = NULL, *l2 = NULL;
	double hh;
	bool ok;

	if (ed->nports == 0) {
		struct buf b = { 0 };

		buf_add_text(&b, ed->words[ED_W_NO_PORTS]);
		ok = b.oom ? err_set(p->e, "out of memory") :
		    paragraph(p, b.s ? b.s : "", BODY_SIZE, 0, 7, true);
		buf_free(&b);
		return ok;
	}
	if (!port_head_layout(p, &h1, &h2))
		return false;
	hh = row_h(h1, h2);
	ok = port_row_layout(p, 0, &l1, &l2) &&
	    need(p, fmin(hh + row_h(l1, l2), bottom() - MARGIN_TOP));
	if (ok)
		table_row_draw(p, h1, h2, hh, true);
	for (size_t i = 0; i < ed->nports && ok; i++) {
		double h;

		if (i > 0 && !port_row_layout(p, i, &l1, &l2)) {
			l1 = l2 = NULL;
			ok = false;
			break;
		}
		h = row_h(l1, l2);
		if (p->y + h > bottom()) {
			ok = page_new(p);
			if (ok)
				table_row_draw(p, h1, h2, hh, true);
		}
		ok = ok && ref_links(p, l2, &ed->ports[i], MARGIN_X +
		    TABLE_C1 + TABLE_PAD, p->y + TABLE_PAD);
		if (ok)
			table_row_draw(p, l1, l2, h, false);
		g_object_unref(l1);
		g_object_unref(l2);
		l1 = l2 = NULL;
	}
	if (l1 != NULL) {
		g_object_unref(l1);
		g_object_unref(l2);
	}
	g_object_unref(h1);
	g_object_unref(h2);
	if (ok)
		p->y += 10;
	return ok;
}

/* ---- blocks ---- */

/* The ranks of headings: 大見出し (##, a rule under it), 中見出し (###),
 * smaller ones; # is the title (title_block()). */
struct hstyle {
	double size, before, after;
	bool rule;
};

static struct hstyle
heading_style(int level)
{
	switch (level) {
	case 1:
		return (struct hstyle){ 18, 0, 8, false };
	case 2:
		return (struct hstyle){ 13.5, 18, 9, true };
	case 3:
		return (struct hstyle){ 11, 11, 5, false };
	default:
		return (struct hstyle){ 10, 8, 4, false };
	}
}

/* The pango markup of heading n: bold. */
static bool
heading_markup(cmark_node *n, struct buf *b)
{
	buf_adds(b, "<b>");
	inlines(n, b, false);   /* not justified: spaces as written */
	buf_adds(b, "</b>");
	return !b->oom;
}

static bool
heading(struct pdf *p, cmark_node *n, int level)
{
	struct buf b = { 0 }, t = { 0 };
	struct hstyle hs = heading_style(level);
	char link[64];
	int id;
	bool ok;

	heading_markup(n, &b);
	plain_text(n, &t);
	if (b.oom || t.oom) {
		buf_free(&b);
		buf_free(&t);
		return err_set(p->e, "out of memory");
	}
	/* the heading stays with what follows (keep_with_next()); here, a
	 * heading never starts in the last lines of a page */
	ok = need(p, hs.before + 3 * hs.size + 3 * BODY_SIZE * 1.45);
	if (ok) {
		if (p->y > MARGIN_TOP + 1)
			p->y += hs.before;
		snprintf(link, sizeof(link), "page=%d pos=[%.1f %.1f]", p->page,
		    MARGIN_X, p->y);
		if (level <= 2)
			p->outline_sec = id = pdf_pages_outline(p->pages,
			    CAIRO_PDF_OUTLINE_ROOT, t.s ? t.s : "", link,
			    CAIRO_PDF_OUTLINE_FLAG_OPEN);
		else
			id = pdf_pages_outline(p->pages, p->outline_sec,
			    t.s ? t.s : "", link, 0);
		if (id < 0) {
			buf_free(&b);
			buf_free(&t);
			return err_set(p->e, "out of memory");
		}
		p->ink = INK_HEADING;
		ok = flow_markup(p, b.s ? b.s : "", hs.size, MARGIN_X, CONTENT_W,
		    level == 1 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
		if (ok && hs.rule)
			rule(p, p->y + 2, 0.8, INK_HEADING);
		p->y += hs.after;
	}
	buf_free(&b);
	buf_free(&t);
	return ok;
}

/* A paragraph holding only an image with a talot: URL. */
static cmark_node *
lone_image(cmark_node *para)
{
	cmark_node *c = cmark_node_first_child(para);
	const char *url;

	if (c == NULL || cmark_node_next(c) != NULL ||
	    cmark_node_get_type(c) != CMARK_NODE_IMAGE)
		return NULL;
	url = cmark_node_get_url(c);
	return url && strncmp(url, "talot:", 6) == 0 ? c : NULL;
}

static bool blocks(struct pdf *p, cmark_node *parent, double indent);
static bool block(struct pdf *p, cmark_node *n, double indent);

static int
node_line(cmark_node *n)
{
	for (; n != NULL; n = cmark_node_parent(n))
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_line(n);
	return 1;
}

/* Height a heading, a text paragraph (its first lines at most when
 * lines > 0) or a row of figures will take (0 for other blocks, or on
 * error: keeping is a nicety, drawing reports errors). */
static double
block_height(struct pdf *p, cmark_node *n, int lines)
{
	struct buf b = { 0 };
	PangoLayout *l = NULL;
	struct err e;
	struct hstyle hs;
	double h = 0;
	int nl = 0;

	for (size_t i = 0; i < p->nhc; i++)
		if (p->hc[i].n == n) {
			h = p->hc[i].h;
			nl = p->hc[i].lines;
			return lines > 0 && nl > lines ? h * lines / nl : h;
		}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		hs = heading_style(cmark_node_get_heading_level(n));
		heading_markup(n, &b);
		if (b.len > FLOW_CHUNK) {
			h = PAGE_H;   /* taller than a page: never kept */
			break;
		}
		l = b.oom ? NULL : text_layout(p->t, b.s ? b.s : "", hs.size,
		    CONTENT_W, PANGO_ALIGN_LEFT, &e);
		if (l != NULL) {
			h = text_height(l) + hs.before + hs.after;
			g_object_unref(l);
			l = NULL;
		}
		break;
	case CMARK_NODE_PARAGRAPH:
		if (lone_image(n) != NULL) {
			h = is_figure(n) ? row_height(p, n, NULL) :
			    is_port_table(n) ? port_table_head_height(p) : 0;
			break;
		}
		inlines(n, &b, p->jlreq);
		if (b.len > FLOW_CHUNK) {   /* depends on lines: not kept */
			buf_free(&b);
			return lines > 0 ? lines * BODY_SIZE * 1.45 : PAGE_H;
		}
		/* laid out as paragraph() will draw it, so that block_draw()
		 * draws this layout instead of making it again */
		text_set_justify(p->t, true);
		l = b.oom ? NULL : text_layout(p->t, b.s ? b.s : "", BODY_SIZE,
		    CONTENT_W, PANGO_ALIGN_LEFT, &e);
		text_set_justify(p->t, false);
		if (l != NULL) {
			nl = pango_layout_get_line_count(l);
			h = text_height(l) + 7;
		}
		break;
	default:
		break;
	}
	buf_free(&b);
	if (p->nhc == p->caphc) {
		size_t nc = p->caphc ? p->caphc * 2 : 64;
		struct measured *v = realloc(p->hc, nc * sizeof(*v));

		if (v == NULL) {   /* not kept: measured again next time */
			if (l != NULL)
				g_object_unref(l);
			goto out;
		}
		p->hc = v;
		p->caphc = nc;
	}
	p->hc[p->nhc++] = (struct measured){ n, h, nl, l };
out:
	return lines > 0 && nl > lines ? h * lines / nl : h;
}

/* Frees block_height()'s measurements (and the layouts not drawn). */
static void
measured_free(struct pdf *p)
{
	for (size_t i = 0; i < p->nhc; i++)
		if (p->hc[i].l != NULL)
			g_object_unref(p->hc[i].l);
	free(p->hc);
	p->hc = NULL;
	p->nhc = p->caphc = 0;
}

/* The layout block_height() made of text paragraph n, now the caller's,
 * or NULL. */
static PangoLayout *
measured_layout(struct pdf *p, cmark_node *n)
{
	for (size_t i = 0; i < p->nhc; i++)
		if (p->hc[i].n == n) {
			PangoLayout *l = p->hc[i].l;

			p->hc[i].l = NULL;
			return l;
		}
	return NULL;
}

static bool
is_text_paragraph(cmark_node *n)
{
	return n != NULL && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
	    lone_image(n) == NULL;
}

static bool
is_port_table(cmark_node *n)
{
	cmark_node *img;

	return n != NULL && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
	    (img = lone_image(n)) != NULL &&
	    strcmp(cmark_node_get_url(img) + 6, "port-table") == 0;
}

static bool
is_figure(cmark_node *n)
{
	cmark_node *img;

	if (n == NULL || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH ||
	    (img = lone_image(n)) == NULL)
		return false;
	return strcmp(cmark_node_get_url(img) + 6, "port-table") != 0;
}

/* The height of n and of what it keeps with: a heading keeps with what
 * follows it (another heading and its own group, the first lines of a
 * paragraph, a row of figures); a paragraph that introduces a figure keeps
 * with that figure unless that would leave more than a third of the page
 * blank (then the figure moves on and text fills the page:
 * figure_block()). */
static double
keep_height(struct pdf *p, cmark_node *n, int depth)
{
	cmark_node *next = cmark_node_next(n);
	double h = block_height(p, n, depth > 0 ? 3 : 0);

	if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
		if (next != NULL && depth < 3 &&
		    (cmark_node_get_type(next) == CMARK_NODE_HEADING ||
		    is_text_paragraph(next) || is_figure(next) ||
		    is_port_table(next)))
			h += keep_height(p, next, depth + 1);
		else
			h += 60;
	} else if (depth == 0 && is_text_paragraph(n) &&
	    (is_figure(next) || is_port_table(next)))
		h += block_height(p, next, 0);
	return h;
}

/* Starts a new page when n's group does not fit in what is left of this
 * one but would on a fresh page.  A heading followed by a paragraph that
 * introduces a figure goes with both when the paragraph would go with its
 * figure (so a heading never ends a page). */
static bool
keep_with_next(struct pdf *p, cmark_node *n)
{
	double h, third = (bottom() - MARGIN_TOP) / 3, room = bottom() - p->y;
	bool heading = cmark_node_get_type(n) == CMARK_NODE_HEADING;
	cmark_node *next = cmark_node_next(n);

	if (!heading && !(is_text_paragraph(n) &&
	    (is_figure(next) || is_port_table(next))))
		return true;
	h = keep_height(p, n, 0);
	if (heading && is_text_paragraph(next) &&
	    (is_figure(cmark_node_next(next)) ||
	    is_port_table(cmark_node_next(next)))) {
		double hh = block_height(p, n, 0);

		if (room - hh < third)
			h = hh + keep_height(p, next, 0);
	}
	if (h <= bottom() - MARGIN_TOP && p->page > 0 && h > room &&
	    (heading || room < third))
		return page_new(p);
	return true;
}

/* ---- the title block ---- */

/* The title block on page 1: the document's first heading (#) centred as
 * the title, the paragraphs right after it centred as its subtitle, then
 * the date of issue and the publisher (title.issued), and a rule. */
static bool
title_open(struct pdf *p, cmark_node *n)
{
	struct buf b = { 0 }, t = { 0 };
	char link[64];
	double size;
	bool ok;

	heading_markup(n, &b);
	plain_text(n, &t);
	if (b.oom || t.oom) {
		buf_free(&b);
		buf_free(&t);
		return err_set(p->e, "out of memory");
	}
	p->y += 6;
	snprintf(link, sizeof(link), "page=%d pos=[%.1f %.1f]", p->page,
	    MARGIN_X, p->y);
	p->outline_sec = pdf_pages_outline(p->pages, CAIRO_PDF_OUTLINE_ROOT,
	    t.s ? t.s : "", link, CAIRO_PDF_OUTLINE_FLAG_OPEN);
	if (p->outline_sec < 0) {
		buf_free(&b);
		buf_free(&t);
		return err_set(p->e, "out of memory");
	}
	/* a title that wraps at 18 pt is set smaller, down to 15 pt, when
	 * that puts it on one line */
	size = heading_style(1).size;
	for (double s = size; s >= 15 && b.len <= FLOW_CHUNK; s -= 1) {
		PangoLayout *l = text_layout(p->t, b.s ? b.s : "", s, CONTENT_W,
		    PANGO_ALIGN_CENTER, p->e);

		if (l == NULL) {
			buf_free(&b);
			buf_free(&t);
			return false;
		}
		if (pango_layout_get_line_count(l) == 1) {
			size = s;
			g_object_unref(l);
			break;
		}
		g_object_unref(l);
	}
	p->ink = INK_HEADING;
	ok = flow_markup(p, b.s ? b.s : "", size, MARGIN_X, CONTENT_W,
	    PANGO_ALIGN_CENTER);
	p->y += 7;
	p->in_title = true;
	buf_free(&b);
	buf_free(&t);
	return ok;
}

/* A paragraph of the title block: the subtitle. */
static bool
title_line(struct pdf *p, cmark_node *n)
{
	struct buf b = { 0 };
	bool ok;

	inlines(n, &b, p->jlreq);
	if (b.oom) {
		buf_free(&b);
		return err_set(p->e, "out of memory");
	}
	p->ink = INK_HEADING;
	ok = flow_markup(p, b.s ? b.s : "", 12, MARGIN_X, CONTENT_W,
	    PANGO_ALIGN_CENTER);
	p->y += 3;
	buf_free(&b);
	return ok;
}

static bool
title_close(struct pdf *p)
{
	struct buf b = { 0 };
	bool ok;

	p->in_title = false;
	buf_add_text(&b, p->ed->issued != NULL ? p->ed->issued : "");
	if (b.oom) {
		buf_free(&b);
		return err_set(p->e, "out of memory");
	}
	p->ink = (struct chart_rgb){ 0.3, 0.3, 0.3 };
	p->y += 4;
	ok = flow_markup(p, b.s ? b.s : "", 9, MARGIN_X, CONTENT_W,
	    PANGO_ALIGN_CENTER);
	if (ok)
		rule(p, p->y + 8, 1.2, INK_HEADING);
	p->y += 14;
	buf_free(&b);
	return ok;
}

static bool
block_draw(struct pdf *p, cmark_node *n, double indent)
{
	struct buf b = { 0 };
	PangoLayout *l;
	cmark_node *img;
	bool ok = true;

	/* the title block ends at the first block that is not a paragraph
	 * of text */
	if (p->in_title && !is_text_paragraph(n) && !title_close(p))
		return false;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		if (cmark_node_get_heading_level(n) == 1 && p->page == 1 &&
		    p->y <= MARGIN_TOP + 1)
			return title_open(p, n);
		return keep_with_next(p, n) &&
		    heading(p, n, cmark_node_get_heading_level(n));
	case CMARK_NODE_PARAGRAPH:
		if (indent == 0 && !p->filling && !keep_with_next(p, n))
			return false;
		img = lone_image(n);
		if (img != NULL) {
			const char *id = cmark_node_get_url(img) + 6;

			if (strcmp(id, "port-table") == 0)
				return port_table(p);
			return figure_row_draw(p, &id, 1);
		}
		if (p->in_title)
			return title_line(p, n);
		if (indent == 0 && (l = measured_layout(p, n)) != NULL) {
			ok = need(p, 2 * BODY_SIZE);
			if (ok) {
				p->ink = INK_BODY;
				ok = flow_layout(p, l, MARGIN_X, -1);
				p->y += 7;
			}
			g_object_unref(l);
			return ok;
		}
		inlines(n, &b, p->jlreq);
		ok = b.oom ? err_set(p->e, "out of memory") :
		    paragraph(p, b.s ? b.s : "", BODY_SIZE, indent, 7, true);
		buf_free(&b);
		return ok;
	case CMARK_NODE_LIST:
		for (cmark_node *it = cmark_node_first_child(n); ok && it;
		    it = cmark_node_next(it)) {
			cmark_node *first = cmark_node_first_child(it);

			if (first && cmark_node_get_type(first) ==
			    CMARK_NODE_PARAGRAPH) {
				buf_adds(&b, "・");
				inlines(first, &b, p->jlreq);
				ok = b.oom ? err_set(p->e, "out of memory") :
				    paragraph(p, b.s ? b.s : "", BODY_SIZE,
				    indent + 10, 3, true);
				buf_free(&b);
				for (cmark_node *r = cmark_node_next(first);
				    ok && r; r = cmark_node_next(r))
					ok = block(p, r, indent + 20);
			} else
				ok = blocks(p, it, indent + 10);
		}
		p->y += 4;
		return ok;
	case CMARK_NODE_BLOCK_QUOTE:
		return blocks(p, n, indent + 14);
	case CMARK_NODE_CODE_BLOCK:
		buf_adds(&b, "<tt>");
		buf_add_text(&b, cmark_node_get_literal(n));
		buf_adds(&b, "</tt>");
		ok = b.oom ? err_set(p->e, "out of memory") :
		    paragraph(p, b.s ? b.s : "", 8.5, indent + 10, 7, false);
		buf_free(&b);
		return ok;
	case CMARK_NODE_THEMATIC_BREAK:
		if (!need(p, 12))
			return false;
		rule(p, p->y + 6, 0.5, (struct chart_rgb){ 0.6, 0.6, 0.6 });
		p->y += 12;
		return true;
	default:
		/* raw HTML is not part of the bulletin's Markdown */
		return true;
	}
}

static bool
block(struct pdf *p, cmark_node *n, double indent)
{
	bool ok;

	/* notes were checked (bulletin_notes_check); this bounds the
	 * recursion for the template itself */
	if (p->depth >= BLOCK_DEPTH_MAX + 2)
		return err_set(p->e,
		    "the expanded bulletin text, line %d: block quotes or lists nested deeper than %d levels",
		    node_line(n), BLOCK_DEPTH_MAX);
	p->depth++;
	ok = block_draw(p, n, indent);
	p->depth--;
	return ok;
}

/* A row of k figures at n (figure_row()); *after is the block after
 * it.  When the row does not fit on the rest of the page, the text
 * paragraphs that follow it and fit there are set first (up to the next
 * heading or figure), so the page is not left blank; figures keep their
 * order. */
static bool
figure_block(struct pdf *p, cmark_node *n, const char *const *ids, int k,
    cmark_node **after)
{
	cmark_node *next = n;
	double chart_h, h;

	for (int i = 0; i < k; i++)
		next = cmark_node_next(next);
	h = row_height(p, n, &chart_h);
	if (p->page > 0 && p->y + h - (1 - FIG_SHRINK) * chart_h > bottom()) {
		p->filling = true;
		while (is_text_paragraph(next) &&
		    p->y + block_height(p, next, 0) <= bottom()) {
			if (!block(p, next, 0)) {
				p->filling = false;
				return false;
			}
			next = cmark_node_next(next);
		}
		p->filling = false;
	}
	*after = next;
	return figure_row_draw(p, ids, k);
}

static bool
blocks(struct pdf *p, cmark_node *parent, double indent)
{
	cmark_node *n = cmark_node_first_child(parent);

	while (n != NULL) {
		const char *ids[2];
		int k = indent == 0 ? figure_row(p, n, ids) : 0;

		if (k > 0) {
			if ((p->in_title && !title_close(p)) ||
			    !figure_block(p, n, ids, k, &n))
				return false;
			continue;
		}
		if (!block(p, n, indent))
			return false;
		n = cmark_node_next(n);
	}
	return !p->in_title || title_close(p);
}

bool
bulletin_notes_check(const char *name, const char *md, struct err *e)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md),
	    CMARK_OPT_DEFAULT);
	cmark_iter *it = doc != NULL ? cmark_iter_new(doc) : NULL;
	cmark_event_type ev;
	int depth = 0;
	bool ok = true;

	if (it == NULL) {
		cmark_node_free(doc);
		return err_set(e, "%s: out of memory", name);
	}
	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		const char *url;

		if (ty == CMARK_NODE_BLOCK_QUOTE || ty == CMARK_NODE_LIST) {
			depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
			if (depth > BLOCK_DEPTH_MAX)
				ok = err_set(e,
				    "%s:%d: block quotes or lists nested deeper than %d levels",
				    name, node_line(n), BLOCK_DEPTH_MAX);
		} else if (ty == CMARK_NODE_IMAGE && ev == CMARK_EVENT_ENTER &&
		    (url = cmark_node_get_url(n)) != NULL &&
		    strncmp(url, "talot:", 6) == 0) {
			if (!edition_figure_known(url + 6, strlen(url + 6)))
				ok = err_set(e,
				    "%s:%d: unknown figure talot:%.64s (known: fig-1.1, fig-notable-N, fig-2.2.1 … fig-3.2.2, port-table)",
				    name, node_line(n), url + 6);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return ok;
}

static bool
iso_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return false;
	return strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* The PDF goes to the atomic file and, for pdf_set_lang(), to a copy in
 * memory. */
struct pdf_out {
	struct atomic_file *af;
	struct buf copy;
};

/* ---- fonts loaded ahead ---- */

struct pdf_preload {
	pthread_t th;
	atomic_bool stop;
	char *family;
	struct text *t;      /* the thread's until it is joined */
};

/* The sizes and weights a bulletin sets text in, in the order a render
 * first needs them (fontconfig's log, FC_DEBUG=1, of the sample in both
 * languages): the running header, the title, the subtitle, the date of
 * issue, a section heading, the body and its key sentence, the port
 * table, the chart labels (a chart's 7.2 points and its smaller 90 %), a
 * subsection heading, the page number, the captions.  A font not listed
 * loads when it is first used, as without a preload. */
static const struct text_font preload_fonts[] = {
	{ 8, false }, { 18, true }, { 12, false }, { 9, false },
	{ 13.5, true }, { BODY_SIZE, false }, { BODY_SIZE, true },
	{ 8.8, false }, { 7.2, false }, { 6.48, false }, { 11, true },
	{ 8.5, false }, { 8.6, true }, { 8.6, false },
};

static void *
preload_main(void *arg)
{
	struct pdf_preload *pl = arg;
	struct err e;

	cairo_t *cr;

	pl->t = text_create(pl->family, &e);
	/* pango keys its fonts by the font options too, which come from the
	 * surface drawn on: a page's */
	cr = pl->t != NULL ? pdf_pages_recording(PAGE_W, PAGE_H) : NULL;
	if (cr != NULL) {
		pango_cairo_update_context(cr, text_context(pl->t));
		cairo_destroy(cr);
		text_preload(pl->t, preload_fonts,
		    sizeof(preload_fonts) / sizeof(*preload_fonts), &pl->stop);
	}
	return NULL;
}

struct pdf_preload *
bulletin_pdf_preload(const char *family)
{
	struct pdf_preload *pl = calloc(1, sizeof(*pl));

	if (pl == NULL)
		return NULL;
	atomic_init(&pl->stop, false);
	pl->family = strdup(family);
	if (pl->family == NULL ||
	    pthread_create(&pl->th, NULL, preload_main, pl) != 0) {
		free(pl->family);
		free(pl);
		return NULL;
	}
	pthread_setname_np(pl->th, "talot-fonts");
	return pl;
}

/* The preloaded fonts' text if its family is family (not NULL), else
 * NULL; frees pl (NULL is allowed). */
static struct text *
preload_take(struct pdf_preload *pl, const char *family)
{
	struct text *t;

	if (pl == NULL)
		return NULL;
	atomic_store(&pl->stop, true);
	pthread_join(pl->th, NULL);
	t = pl->t;
	if (t != NULL && (family == NULL ||
	    strcmp(text_family(t), family) != 0)) {
		text_destroy(t);
		t = NULL;
	}
	free(pl->family);
	free(pl);
	return t;
}

void
bulletin_pdf_preload_free(struct pdf_preload *pl)
{
	text_destroy(preload_take(pl, NULL));
}

static cairo_status_t
write_fp(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf_out *o = closure;

	buf_add(&o->copy, (const char *)data, len);
	return atomic_write(o->af, data, len) && !o->copy.oom ?
	    CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The first n2 bytes of needle in hay[0..n), or NULL. */
static const char *
mem_find(const char *hay, size_t n, const char *needle, size_t n2)
{
	for (size_t i = 0; n2 <= n && i <= n - n2; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n2) == 0)
			return hay + i;
	return NULL;
}

/* The document's language (/Lang in the catalog), which cairo cannot set:
 * appended as an incremental update (PDF 1.7, 7.5.6) that redefines the
 * catalog with /Lang, so every byte cairo wrote stays where it is.  pdf is
 * the document as written; the update goes to af.  false if the document
 * is not shaped as cairo writes it (nothing appended then). */
static bool
pdf_set_lang(const struct buf *pdf, const char *lang, struct atomic_file *af)
{
	const char *d = pdf->s, *cat, *obj, *end, *tr, *sx;
	char head[64], tail[512], xref[128];
	long num, prev;
	size_t n = pdf->len, xoff;
	struct buf u = { 0 };
	bool ok;

	if (d == NULL || n == 0 || strspn(lang, "abcdefghijklmnopqrstuvwxyz-") !=
	    strlen(lang) || strlen(lang) > 16)
		return false;
	/* the catalog object: "N 0 obj\n<< /Type /Catalog ... >>\nendobj" */
	cat = mem_find(d, n, "<< /Type /Catalog", 17);
	if (cat == NULL || cat - d < 8)
		return false;
	for (obj = cat - 1; obj > d && obj[-1] != '\n'; obj--)
		;
	if (sscanf(obj, "%ld 0 obj", &num) != 1 || num <= 0)
		return false;
	end = mem_find(cat, n - (size_t)(cat - d), ">>\nendobj", 9);
	tr = mem_find(d, n, "\ntrailer\n<<", 11);
	sx = mem_find(d, n, "\nstartxref\n", 11);
	if (end == NULL || tr == NULL || sx == NULL || sx < tr ||
	    sscanf(sx + 11, "%ld", &prev) != 1)
		return false;
	/* the new catalog: the old dictionary and /Lang */
	snprintf(head, sizeof(head), "%ld 0 obj\n", num);
	buf_adds(&u, head);
	buf_add(&u, cat, (size_t)(end - cat));
	buf_adds(&u, "   /Lang (");
	buf_adds(&u, lang);
	buf_adds(&u, ")\n>>\nendobj\n");
	snprintf(xref, sizeof(xref), "xref\n%ld 1\n%010zu 00000 n \n", num, n);
	xoff = n + u.len;
	buf_adds(&u, xref);
	/* the trailer: the old one (Size, Root, Info) and /Prev */
	{
		const char *t0 = tr + 9, *t1 = mem_find(t0, (size_t)(sx - t0), ">>",
		    2);

		if (t1 == NULL || (size_t)(t1 - t0) + 64 > sizeof(tail)) {
			buf_free(&u);
			return false;
		}
		snprintf(tail, sizeof(tail), "trailer\n%.*s   /Prev %ld\n>>\n"
		    "startxref\n%zu\n%%%%EOF\n", (int)(t1 - t0), t0, prev,
		    xoff);
	}
	buf_adds(&u, tail);
	ok = !u.oom && atomic_write(af, u.s, u.len);
	buf_free(&u);
	return ok;
}

bool
bulletin_pdf_write(const struct edition *ed, struct pdf_preload *pl,
    const char *path, struct err *e)
{
	struct pdf p;
	struct atomic_file af;
	struct pdf_out po = { .af = &af };
	cmark_node *doc = NULL;
	char date[64];
	cairo_status_t st;
	bool ok = false;

	memset(&p, 0, sizeof(p));
	p.ed = ed;
	p.e = e;
	snprintf(p.header, sizeof(p.header), "%s", ed->header);
	doc = cmark_parse_document(ed->markdown, strlen(ed->markdown),
	    CMARK_OPT_DEFAULT);
	if (doc == NULL) {
		bulletin_pdf_preload_free(pl);
		return err_set(e, "bulletin.md: cannot parse the Markdown");
	}
	if (!atomic_begin(&af, path, e)) {
		bulletin_pdf_preload_free(pl);
		cmark_node_free(doc);
		return false;
	}
	p.surf = cairo_pdf_surface_create_for_stream(write_fp, &po, PAGE_W,
	    PAGE_H);
	p.t = preload_take(pl, ed->font);
	if (p.t == NULL)
		p.t = text_create(ed->font, e);
	if (p.t == NULL)
		goto out;
	text_set_language(p.t, ed->lang);
	text_set_terms(p.t, ed->words[ED_W_NOBREAK]);
	p.jlreq = strcmp(ed->lang, "ja") == 0;
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE,
	    ed->doc_title);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_AUTHOR,
	    ed->author);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_SUBJECT,
	    ed->doc_subject);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR,
	    "talot " TALOT_VERSION);
	if (!iso_date(ed->date, date, sizeof(date))) {
		err_set(e, "%s: the publication date is out of range", path);
		goto out;
	}
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATE_DATE,
	    date);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_MOD_DATE,
	    date);
	/* from here to pdf_pages_finish(), p.surf is the writer's */
	p.pages = pdf_pages_start(p.surf, PAGE_W, PAGE_H);
	if (p.pages == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	if (!page_new(&p) || !blocks(&p, doc, 0) || !page_finish(&p))
		goto out;
	st = pdf_pages_finish(p.pages);
	p.pages = NULL;
	if (st != CAIRO_STATUS_SUCCESS) {
		err_set(e, "%s: cannot write the PDF (%s)", path,
		    cairo_status_to_string(st));
		goto out;
	}
	cairo_surface_finish(p.surf);
	if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS) {
		err_set(e, "%s: cannot write the PDF (%s)", path,
		    cairo_status_to_string(cairo_surface_status(p.surf)));
		goto out;
	}
	cairo_surface_destroy(p.surf);
	p.surf = NULL;
	if (!pdf_set_lang(&po.copy, ed->lang, &af)) {
		err_set(e, "%s: cannot record the document's language", path);
		goto out;
	}
	ok = atomic_commit(&af, e);
out:
	if (p.cr)
		cairo_destroy(p.cr);
	pdf_pages_finish(p.pages);
	buf_free(&po.copy);
	if (p.surf) {
		cairo_surface_finish(p.surf);
		cairo_surface_destroy(p.surf);
	}
	measured_free(&p);
	text_destroy(p.t);
	cmark_node_free(doc);
	if (!ok)
		atomic_abort(&af);
	return ok;
}
