/* bulletin_pdf.c — the bulletin as an A4 PDF: the expanded template parsed
 * with cmark, typeset with pango, figures from the chart module. */
#include "bulletin_pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cmark.h>

#include "atomic.h"
#include "chart.h"
#include "config.h"
#include "fmt.h"
#include "labels.h"
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
#define CAPTION_CHARS_MAX 120  /* a figure's caption in the notes */

struct pdf {
	const struct month_model *m;
	const struct catalog *cat;
	const struct bulletin_opts *o;
	struct diag *warn;
	struct err *e;
	cairo_surface_t *surf;
	cairo_t *cr;
	struct text *t;
	double y;            /* next free y on the page */
	int page;            /* 1-based, 0 before the first page */
	int outline_sec;     /* outline id of the current section */
	bool failed;
	int depth;           /* of block(): nesting */
	char header[640];
};

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

static void
page_finish(struct pdf *p)
{
	char num[32];
	struct chart_rgb grey = { 0.35, 0.35, 0.35 };

	if (p->page == 0)
		return;
	snprintf(num, sizeof(num), "- %d -", p->page);
	draw_text_at(p, num, 8.5, MARGIN_X, PAGE_H - 44, CONTENT_W,
	    PANGO_ALIGN_CENTER, &grey);
	cairo_show_page(p->cr);
}

static bool
page_new(struct pdf *p)
{
	struct chart_rgb grey = { 0.35, 0.35, 0.35 };
	struct buf b = { 0 };

	page_finish(p);
	p->page++;
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
 * line, breaking across pages.  p->y ends below the last line drawn, or,
 * when lines are left, where the next one would start. */
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

/* Typesets markup at x in width w (size points, colour already set on
 * p->cr), line by line across pages, FLOW_CHUNK bytes at a time: each
 * chunk's lines but its last are drawn, and the next chunk starts where
 * that last line did, so the lines are those of one layout (pango breaks
 * lines greedily). */
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

static bool
paragraph(struct pdf *p, const char *markup, double size, double indent,
    double after)
{
	bool ok;

	if (!need(p, 2 * size))
		return false;
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	ok = flow_markup(p, markup, size, MARGIN_X + indent, CONTENT_W - indent,
	    PANGO_ALIGN_LEFT);
	cairo_restore(p->cr);
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
inlines(cmark_node *n, struct buf *b)
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
			buf_add_text(b, cmark_node_get_literal(c));
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

static void
day_labels(const char **cats, char (*store)[16], month_t mon, int ndays,
    size_t off)
{
	for (int d = 1; d <= ndays; d++) {
		snprintf(store[off + (size_t)d - 1], 16, "%d/%d", month_mon(mon), d);
		cats[off + (size_t)d - 1] = store[off + (size_t)d - 1];
	}
}

static bool
check_chart(struct pdf *p, struct chart_style *st)
{
	if (st->unknown_glyphs > 0)
		return err_set(p->e, "glyph missing from the fonts for '%s' in a chart label",
		    st->first_unknown);
	return true;
}

static void
style_init(struct pdf *p, struct chart_style *st)
{
	chart_style_defaults(st);
	st->pango = text_context(p->t);
	st->font_family = p->o->settings->font;
	st->font_size = 7.2;
}

static bool
fig_daily(struct pdf *p, const struct breakdown *b, const char *ylab,
    double x, double y, double w, double h)
{
	const char *cats[31];
	char store[31][16];
	char labels[MODEL_TOP + 1][LABEL_MAX];
	struct chart_series ser[MODEL_TOP + 1];
	struct chart_style st;
	struct chart_bar bar;

	day_labels(cats, store, p->m->month, b->ndays, 0);
	for (size_t i = 0; i < b->nkeys; i++) {
		ser[i].label = label_key(p->cat, &b->keys[i], labels[i],
		    sizeof(labels[i]), p->warn);
		ser[i].color = label_color(p->m, &b->keys[i]);
		ser[i].values = b->daily + i * (size_t)b->ndays;
	}
	memset(&bar, 0, sizeof(bar));
	bar.mode = CHART_BAR_STACKED;
	bar.categories = cats;
	bar.ncat = (size_t)b->ndays;
	bar.series = ser;
	bar.nseries = b->nkeys;
	bar.y_label = ylab;
	style_init(p, &st);
	return chart_bar_draw(&bar, &st, p->cr, x, y, w, h) &&
	    check_chart(p, &st);
}

static bool
fig_pie(struct pdf *p, const struct breakdown *b, double x, double y,
    double w, double h)
{
	const char *labels[MODEL_TOP + 1];
	char store[MODEL_TOP + 1][LABEL_MAX];
	double vals[MODEL_TOP + 1];
	struct chart_rgb cols[MODEL_TOP + 1];
	struct chart_style st;
	struct chart_pie pie;

	for (size_t i = 0; i < b->nkeys; i++) {
		labels[i] = label_key(p->cat, &b->keys[i], store[i],
		    sizeof(store[i]), p->warn);
		vals[i] = (double)b->totals[i];
		cols[i] = label_color(p->m, &b->keys[i]);
	}
	memset(&pie, 0, sizeof(pie));
	pie.labels = labels;
	pie.values = vals;
	pie.colors = cols;
	pie.n = b->nkeys;
	pie.decimals = 1;
	style_init(p, &st);
	return chart_pie_draw(&pie, &st, p->cr, x, y, w, h) &&
	    check_chart(p, &st);
}

static bool
fig_six(struct pdf *p, const struct six_shares *t, double x, double y,
    double w, double h)
{
	const char *cats[MODEL_MONTHS];
	char cstore[MODEL_MONTHS][32];
	char labels[MODEL_TOP + 1][LABEL_MAX];
	double vals[MODEL_TOP + 1][MODEL_MONTHS];
	struct chart_series ser[MODEL_TOP + 1];
	struct chart_style st;
	struct chart_bar bar;

	for (int i = 0; i < MODEL_MONTHS; i++)
		cats[i] = label_month(p->m->six[i].month, cstore[i],
		    sizeof(cstore[i]));
	for (size_t k = 0; k < t->nkeys; k++) {
		for (int i = 0; i < MODEL_MONTHS; i++)
			vals[k][i] = t->shares[i][k] * 100.0;
		ser[k].label = label_key(p->cat, &t->keys[k], labels[k],
		    sizeof(labels[k]), p->warn);
		ser[k].color = label_color(p->m, &t->keys[k]);
		ser[k].values = vals[k];
	}
	memset(&bar, 0, sizeof(bar));
	bar.mode = CHART_BAR_PERCENT;
	bar.categories = cats;
	bar.ncat = MODEL_MONTHS;
	bar.series = ser;
	bar.nseries = t->nkeys;
	bar.y_label = "比率(%)";
	style_init(p, &st);
	return chart_bar_draw(&bar, &st, p->cr, x, y, w, h) &&
	    check_chart(p, &st);
}

static bool
fig_trend(struct pdf *p, double x, double y, double w, double h)
{
	const char *cats[MODEL_MONTHS];
	char cstore[MODEL_MONTHS][32];
	double acc[MODEL_MONTHS], src[MODEL_MONTHS];
	struct chart_series ser[2];
	struct chart_style st;
	struct chart_line line;

	for (int i = 0; i < MODEL_MONTHS; i++) {
		const struct month_summary *s = &p->m->six[i];

		cats[i] = label_month(s->month, cstore[i], sizeof(cstore[i]));
		acc[i] = s->has_data ? s->accesses_per_sensor_day : NAN;
		src[i] = s->has_data ? s->sources_per_sensor_day : NAN;
	}
	ser[0].label = "アクセス数";
	ser[0].color = chart_palette(0);
	ser[0].values = acc;
	ser[1].label = "発信元数";
	ser[1].color = chart_palette(1);
	ser[1].values = src;
	memset(&line, 0, sizeof(line));
	line.categories = cats;
	line.ncat = MODEL_MONTHS;
	line.series = ser;
	line.nseries = 2;
	line.y_label = "アクセス数(件/観測点・日)";
	line.y2_label = "発信元数(/観測点・日)";
	line.markers = true;
	line.value_labels = true;
	style_init(p, &st);
	return chart_line_draw(&line, &st, p->cr, x, y, w, h) &&
	    check_chart(p, &st);
}

static bool
fig_notable(struct pdf *p, const struct notable *n, double x, double y,
    double w, double h)
{
	size_t ncat = (size_t)(n->ndays_prev + n->ndays_cur);
	const char **cats = calloc(ncat, sizeof(*cats));
	char (*store)[16] = calloc(ncat, sizeof(*store));
	char labels[MODEL_NOTABLE_CC + 1][LABEL_MAX];
	struct chart_series ser[MODEL_NOTABLE_CC + 1];
	double sep = (double)n->ndays_prev - 1;
	struct chart_style st;
	struct chart_bar bar;
	bool ok;

	if (cats == NULL || store == NULL) {
		free(cats);
		free(store);
		return err_set(p->e, "out of memory");
	}
	day_labels(cats, store, p->m->month - 1, n->ndays_prev, 0);
	day_labels(cats, store, p->m->month, n->ndays_cur,
	    (size_t)n->ndays_prev);
	for (size_t i = 0; i < n->ncc; i++) {
		ser[i].label = label_key(p->cat, &n->cc[i], labels[i],
		    sizeof(labels[i]), p->warn);
		ser[i].color = label_color(p->m, &n->cc[i]);
		ser[i].values = n->daily + i * ncat;
	}
	memset(&bar, 0, sizeof(bar));
	bar.mode = CHART_BAR_STACKED;
	bar.categories = cats;
	bar.ncat = ncat;
	bar.series = ser;
	bar.nseries = n->ncc;
	bar.y_label = "アクセス数(件/観測点)";
	bar.separators = &sep;
	bar.nseparators = 1;
	style_init(p, &st);
	ok = chart_bar_draw(&bar, &st, p->cr, x, y, w, h) &&
	    check_chart(p, &st);
	free(cats);
	free(store);
	return ok;
}

/* Draws figure id into (x, y, w, h); *h_out is the height it needs. */
static bool
figure_draw(struct pdf *p, const char *id, double x, double y, double w,
    bool measure, double *h_out)
{
	const struct month_model *m = p->m;
	bool pie = strncmp(id, "fig-2.3.", 8) == 0 ||
	    strcmp(id, "fig-2.4.2") == 0 || strcmp(id, "fig-2.4.4") == 0;
	double h = pie ? PIE_H : strcmp(id, "fig-1.1") == 0 ? 190.0 : CHART_H;

	*h_out = h;
	if (measure)
		return true;
	if (strcmp(id, "fig-1.1") == 0)
		return fig_trend(p, x, y, w, h);
	if (strcmp(id, "fig-2.2.1") == 0)
		return fig_daily(p, &m->ports_acc, "アクセス数(件/観測点)", x, y, w, h);
	if (strcmp(id, "fig-2.2.2") == 0)
		return fig_daily(p, &m->ports_src, "発信元数(/観測点)", x, y, w, h);
	if (strcmp(id, "fig-2.3.1") == 0)
		return fig_pie(p, &m->ports_acc, x, y, w, h);
	if (strcmp(id, "fig-2.3.2") == 0)
		return fig_pie(p, &m->ports_src, x, y, w, h);
	if (strcmp(id, "fig-2.4.1") == 0)
		return fig_daily(p, &m->cc_acc, "アクセス数(件/観測点)", x, y, w, h);
	if (strcmp(id, "fig-2.4.2") == 0)
		return fig_pie(p, &m->cc_acc, x, y, w, h);
	if (strcmp(id, "fig-2.4.3") == 0)
		return fig_daily(p, &m->cc_src, "発信元数(/観測点)", x, y, w, h);
	if (strcmp(id, "fig-2.4.4") == 0)
		return fig_pie(p, &m->cc_src, x, y, w, h);
	if (strcmp(id, "fig-3.1.1") == 0)
		return fig_six(p, &m->six_ports_acc, x, y, w, h);
	if (strcmp(id, "fig-3.1.2") == 0)
		return fig_six(p, &m->six_ports_src, x, y, w, h);
	if (strcmp(id, "fig-3.2.1") == 0)
		return fig_six(p, &m->six_cc_acc, x, y, w, h);
	if (strcmp(id, "fig-3.2.2") == 0)
		return fig_six(p, &m->six_cc_src, x, y, w, h);
	if (strncmp(id, "fig-notable-", 12) == 0) {
		long k = strtol(id + 12, NULL, 10);

		if (k < 1 || (size_t)k > m->nnotable)
			return err_set(p->e, "%s/bulletin.md: figure talot:%s: no such notable port",
			    p->o->template_dir, id);
		return fig_notable(p, &m->notable[k - 1], x, y, w, h);
	}
	return err_set(p->e, "%s/bulletin.md: unknown figure talot:%s",
	    p->o->template_dir, id);
}

static bool
figure(struct pdf *p, const char *id, const char *caption)
{
	struct buf b = { 0 };
	PangoLayout *cap;
	double h, ch;
	bool ok;

	buf_adds(&b, "【");
	buf_add_text(&b, caption);
	buf_adds(&b, "】");
	cap = text_layout(p->t, b.oom ? "" : b.s, 8.8, CONTENT_W,
	    PANGO_ALIGN_CENTER, p->e);
	buf_free(&b);
	if (cap == NULL)
		return false;
	ch = text_height(cap);
	if (!figure_draw(p, id, 0, 0, 0, true, &h)) {
		g_object_unref(cap);
		return false;
	}
	/* a figure and its caption stay together */
	if (!need(p, 6 + h + 4 + ch + 12)) {
		g_object_unref(cap);
		return false;
	}
	p->y += 6;
	ok = figure_draw(p, id, MARGIN_X, p->y, CONTENT_W, false, &h);
	p->y += h + 4;
	if (ok) {
		cairo_save(p->cr);
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
		cairo_move_to(p->cr, MARGIN_X, p->y);
		pango_cairo_show_layout(p->cr, cap);
		cairo_restore(p->cr);
	}
	p->y += ch + 14;
	g_object_unref(cap);
	return ok;
}

/* ---- section 4 table ---- */

/* Lays out one table row; false with p->e set. */
static bool
table_row_layout(struct pdf *p, const char *m1, const char *m2, double c1,
    double pad, PangoLayout **l1, PangoLayout **l2)
{
	*l1 = text_layout(p->t, m1, 8.6, c1 - 2 * pad, PANGO_ALIGN_LEFT, p->e);
	*l2 = *l1 ? text_layout(p->t, m2, 8.6, CONTENT_W - c1 - 2 * pad,
	    PANGO_ALIGN_LEFT, p->e) : NULL;
	if (*l2 == NULL) {
		if (*l1)
			g_object_unref(*l1);
		return false;
	}
	return true;
}

static void
table_row_draw(struct pdf *p, PangoLayout *l1, PangoLayout *l2, double c1,
    double pad, double h, bool header)
{
	double x = MARGIN_X;

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

/* The month's top ports with their catalogue explanations; the header row
 * is repeated on every page the table reaches. */
static bool
port_table(struct pdf *p)
{
	const struct breakdown *b = &p->m->ports_acc;
	const double c1 = 92, pad = 5;
	PangoLayout *h1, *h2;
	double hh;
	size_t nrows = 0;

	for (size_t i = 0; i < b->nkeys; i++)
		nrows += b->keys[i].kind != KEY_OTHER;
	if (nrows == 0)
		return paragraph(p, "この月にアクセスのあった宛先はありません。",
		    BODY_SIZE, 0, 7);
	if (!table_row_layout(p, "<b>ポート種類</b>", "<b>解説</b>", c1, pad,
	    &h1, &h2))
		return false;
	hh = fmax(text_height(h1), text_height(h2)) + 2 * pad;
	if (!need(p, 3 * hh)) {
		g_object_unref(h1);
		g_object_unref(h2);
		return false;
	}
	table_row_draw(p, h1, h2, c1, pad, hh, true);
	for (size_t i = 0; i < b->nkeys; i++) {
		struct buf b1 = { 0 }, b2 = { 0 };
		PangoLayout *l1, *l2;
		char lab[LABEL_MAX];
		const char *ex;
		double h;
		bool ok;

		if (b->keys[i].kind == KEY_OTHER)
			continue;
		label_key(p->cat, &b->keys[i], lab, sizeof(lab), p->warn);
		buf_add_text(&b1, lab);
		ex = catalog_port_explanation(p->cat, b->keys[i].proto,
		    b->keys[i].port);
		buf_add_text(&b2, ex ? ex : "(解説なし)");
		ok = !b1.oom && !b2.oom && table_row_layout(p, b1.s, b2.s, c1,
		    pad, &l1, &l2);
		buf_free(&b1);
		buf_free(&b2);
		if (!ok) {
			g_object_unref(h1);
			g_object_unref(h2);
			return p->e->msg[0] ? false : err_set(p->e, "out of memory");
		}
		h = fmax(text_height(l1), text_height(l2)) + 2 * pad;
		if (p->y + h > bottom()) {
			ok = page_new(p);
			if (ok)
				table_row_draw(p, h1, h2, c1, pad, hh, true);
		}
		if (ok)
			table_row_draw(p, l1, l2, c1, pad, h, false);
		g_object_unref(l1);
		g_object_unref(l2);
		if (!ok) {
			g_object_unref(h1);
			g_object_unref(h2);
			return false;
		}
	}
	g_object_unref(h1);
	g_object_unref(h2);
	p->y += 10;
	return true;
}

/* ---- blocks ---- */

static bool
heading(struct pdf *p, cmark_node *n, int level)
{
	struct buf b = { 0 }, t = { 0 };
	double size = level == 1 ? 17 : level == 2 ? 13 : 11;
	char link[64];
	bool ok;
	double h;
	PangoLayout *l;

	inlines(n, &b);
	plain_text(n, &t);
	if (b.oom || t.oom) {
		buf_free(&b);
		buf_free(&t);
		return err_set(p->e, "out of memory");
	}
	buf_adds(&b, "");
	/* the height of a heading that fits on a page, to keep it with the
	 * next lines; a longer one flows over pages like a paragraph */
	h = 0;
	if (b.len <= FLOW_CHUNK) {
		l = text_layout(p->t, b.s ? b.s : "", size, CONTENT_W,
		    PANGO_ALIGN_LEFT, p->e);
		if (l == NULL) {
			buf_free(&b);
			buf_free(&t);
			return false;
		}
		h = text_height(l);
		g_object_unref(l);
	}
	ok = need(p, (level == 1 ? 0 : 10) + h + 30);
	if (ok) {
		if (level > 1 && p->y > MARGIN_TOP + 1)
			p->y += level == 2 ? 12 : 8;
		snprintf(link, sizeof(link), "page=%d pos=[%.1f %.1f]", p->page,
		    MARGIN_X, p->y);
		if (level <= 2)
			p->outline_sec = cairo_pdf_surface_add_outline(p->surf,
			    CAIRO_PDF_OUTLINE_ROOT, t.s ? t.s : "", link,
			    CAIRO_PDF_OUTLINE_FLAG_OPEN);
		else
			cairo_pdf_surface_add_outline(p->surf, p->outline_sec,
			    t.s ? t.s : "", link, 0);
		cairo_save(p->cr);
		cairo_set_source_rgb(p->cr, 0.05, 0.18, 0.36);
		ok = flow_markup(p, b.s ? b.s : "", size, MARGIN_X, CONTENT_W,
		    level == 1 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
		if (ok && level == 2) {
			cairo_set_line_width(p->cr, 0.8);
			cairo_move_to(p->cr, MARGIN_X, p->y + 2);
			cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y + 2);
			cairo_stroke(p->cr);
		}
		cairo_restore(p->cr);
		p->y += level == 1 ? 10 : 7;
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

/* Height a heading, a text paragraph or a figure will take (0 for other
 * blocks, or on error: keeping is a nicety, drawing reports errors). */
static double
block_height(struct pdf *p, cmark_node *n)
{
	struct buf b = { 0 };
	PangoLayout *l;
	cmark_node *img;
	struct err e;
	double h = 0, size;
	int level;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		level = cmark_node_get_heading_level(n);
		size = level == 1 ? 17 : level == 2 ? 13 : 11;
		inlines(n, &b);
		if (b.len > FLOW_CHUNK) {
			h = PAGE_H;   /* taller than a page: never kept */
			break;
		}
		l = b.oom ? NULL : text_layout(p->t, b.s ? b.s : "", size,
		    CONTENT_W, PANGO_ALIGN_LEFT, &e);
		if (l != NULL) {
			h = text_height(l) + (level == 1 ? 10 : 19 + 12);
			g_object_unref(l);
		}
		break;
	case CMARK_NODE_PARAGRAPH:
		img = lone_image(n);
		if (img != NULL) {
			const char *id = cmark_node_get_url(img) + 6;

			if (strcmp(id, "port-table") != 0 &&
			    figure_draw(p, id, 0, 0, 0, true, &h))
				h += 6 + 4 + 14 + 14;
			else
				h = 0;
			break;
		}
		inlines(n, &b);
		if (b.len > FLOW_CHUNK) {
			h = PAGE_H;   /* taller than a page: never kept */
			break;
		}
		l = b.oom ? NULL : text_layout(p->t, b.s ? b.s : "", BODY_SIZE,
		    CONTENT_W, PANGO_ALIGN_LEFT, &e);
		if (l != NULL) {
			h = text_height(l) + 7;
			g_object_unref(l);
		}
		break;
	default:
		break;
	}
	buf_free(&b);
	return h;
}

static bool
is_text_paragraph(cmark_node *n)
{
	return n != NULL && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
	    lone_image(n) == NULL;
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
 * follows it (a paragraph, a figure, another heading and its own group), a
 * paragraph that introduces a figure keeps with that figure. */
static double
keep_height(struct pdf *p, cmark_node *n, int depth)
{
	cmark_node *next = cmark_node_next(n);
	double h = block_height(p, n);

	if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
		if (next != NULL && depth < 3 &&
		    (cmark_node_get_type(next) == CMARK_NODE_HEADING ||
		    is_text_paragraph(next) || is_figure(next)))
			h += keep_height(p, next, depth + 1);
		else
			h += 60;
	} else if (is_text_paragraph(n) && is_figure(next))
		h += block_height(p, next);
	return h;
}

/* Starts a new page when n's group does not fit in what is left of this
 * one but would on a fresh page. */
static bool
keep_with_next(struct pdf *p, cmark_node *n)
{
	double h;

	if (cmark_node_get_type(n) != CMARK_NODE_HEADING &&
	    !(is_text_paragraph(n) && is_figure(cmark_node_next(n))))
		return true;
	h = keep_height(p, n, 0);
	if (h <= bottom() - MARGIN_TOP && p->page > 0 && p->y + h > bottom())
		return page_new(p);
	return true;
}

static bool
block_draw(struct pdf *p, cmark_node *n, double indent)
{
	struct buf b = { 0 };
	cmark_node *img;
	bool ok = true;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		return keep_with_next(p, n) &&
		    heading(p, n, cmark_node_get_heading_level(n));
	case CMARK_NODE_PARAGRAPH:
		if (indent == 0 && !keep_with_next(p, n))
			return false;
		img = lone_image(n);
		if (img != NULL) {
			const char *id = cmark_node_get_url(img) + 6;

			if (strcmp(id, "port-table") == 0)
				return port_table(p);
			plain_text(img, &b);
			ok = b.oom ? err_set(p->e, "out of memory") :
			    figure(p, id, b.s ? b.s : "");
			buf_free(&b);
			return ok;
		}
		inlines(n, &b);
		ok = b.oom ? err_set(p->e, "out of memory") :
		    paragraph(p, b.s ? b.s : "", BODY_SIZE, indent, 7);
		buf_free(&b);
		return ok;
	case CMARK_NODE_LIST:
		for (cmark_node *it = cmark_node_first_child(n); ok && it;
		    it = cmark_node_next(it)) {
			cmark_node *first = cmark_node_first_child(it);

			if (first && cmark_node_get_type(first) ==
			    CMARK_NODE_PARAGRAPH) {
				buf_adds(&b, "・");
				inlines(first, &b);
				ok = b.oom ? err_set(p->e, "out of memory") :
				    paragraph(p, b.s ? b.s : "", BODY_SIZE,
				    indent + 10, 3);
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
		    paragraph(p, b.s ? b.s : "", 8.5, indent + 10, 7);
		buf_free(&b);
		return ok;
	case CMARK_NODE_THEMATIC_BREAK:
		if (!need(p, 12))
			return false;
		cairo_save(p->cr);
		cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN_X, p->y + 6);
		cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y + 6);
		cairo_stroke(p->cr);
		cairo_restore(p->cr);
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
		    "%s/bulletin.md:%d: block quotes or lists nested deeper than %d levels",
		    p->o->template_dir, node_line(n), BLOCK_DEPTH_MAX);
	p->depth++;
	ok = block_draw(p, n, indent);
	p->depth--;
	return ok;
}

static bool
blocks(struct pdf *p, cmark_node *parent, double indent)
{
	for (cmark_node *n = cmark_node_first_child(parent); n != NULL;
	    n = cmark_node_next(n))
		if (!block(p, n, indent))
			return false;
	return true;
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
			struct buf cap = { 0 };
			size_t nchars = 0;

			if (!bulletin_figure_known(url + 6, strlen(url + 6))) {
				ok = err_set(e,
				    "%s:%d: unknown figure talot:%.64s (known: fig-1.1, fig-notable-N, fig-2.2.1 … fig-3.2.2, port-table)",
				    name, node_line(n), url + 6);
				continue;
			}
			/* a caption is one or two lines under its figure */
			plain_text(n, &cap);
			for (size_t i = 0; i < cap.len; i++)
				nchars += ((unsigned char)cap.s[i] & 0xC0) != 0x80;
			if (cap.oom)
				ok = err_set(e, "%s: out of memory", name);
			else if (nchars > CAPTION_CHARS_MAX)
				ok = err_set(e,
				    "%s:%d: the caption of talot:%.64s is longer than %d characters",
				    name, node_line(n), url + 6, CAPTION_CHARS_MAX);
			buf_free(&cap);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return ok;
}

static void
iso_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	/* render_date() keeps t within 0 … 9999-12-31T23:59:59Z */
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

static cairo_status_t
write_fp(void *closure, const unsigned char *data, unsigned int len)
{
	return atomic_write(closure, data, len) ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

bool
bulletin_pdf_write(const struct month_model *m, const struct catalog *cat,
    const struct bulletin_opts *o, const char *path, struct diag *warnings,
    struct err *e)
{
	struct pdf p;
	struct atomic_file af;
	char *md;
	cmark_node *doc = NULL;
	char date[64], title[256], mon[32];
	bool ok = false;

	memset(&p, 0, sizeof(p));
	p.m = m;
	p.cat = cat;
	p.o = o;
	p.warn = warnings;
	p.e = e;
	md = bulletin_markdown(m, cat, o, warnings, e);
	if (md == NULL)
		return false;
	doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	free(md);
	if (doc == NULL)
		return err_set(e, "%s/bulletin.md: cannot parse the Markdown",
		    o->template_dir);
	if (!atomic_begin(&af, path, e)) {
		cmark_node_free(doc);
		return false;
	}
	p.surf = cairo_pdf_surface_create_for_stream(write_fp, &af, PAGE_W,
	    PAGE_H);
	p.cr = cairo_create(p.surf);
	p.t = text_create(o->settings->font, e);
	if (p.t == NULL)
		goto out;
	label_month(m->month, mon, sizeof(mon));
	snprintf(title, sizeof(title),
	    "インターネット定点観測での観測状況について(%s)", mon);
	snprintf(p.header, sizeof(p.header), "%s — %s", title,
	    o->settings->observatory);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_AUTHOR,
	    o->settings->author);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_SUBJECT,
	    "インターネット定点観測 月次レポート");
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_KEYWORDS,
	    "TALOT, 定点観測, 不正アクセス, ポートスキャン");
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR,
	    "talot " TALOT_VERSION);
	iso_date(o->date, date, sizeof(date));
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATE_DATE,
	    date);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_MOD_DATE,
	    date);
	if (!page_new(&p) || !blocks(&p, doc, 0))
		goto out;
	page_finish(&p);
	p.page = 0;
	cairo_destroy(p.cr);
	p.cr = NULL;
	cairo_surface_finish(p.surf);
	if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS) {
		err_set(e, "%s: cannot write the PDF (%s)", path,
		    cairo_status_to_string(cairo_surface_status(p.surf)));
		goto out;
	}
	cairo_surface_destroy(p.surf);
	p.surf = NULL;
	ok = atomic_commit(&af, e);
out:
	if (p.cr)
		cairo_destroy(p.cr);
	if (p.surf) {
		cairo_surface_finish(p.surf);
		cairo_surface_destroy(p.surf);
	}
	text_destroy(p.t);
	cmark_node_free(doc);
	if (!ok)
		atomic_abort(&af);
	return ok;
}
