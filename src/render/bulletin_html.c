/* bulletin_html.c — the bulletin as one self-contained web page: the
 * edition's Markdown walked with cmark into strictly escaped HTML, every
 * figure as inline SVG drawn by the chart module, the table behind it in a
 * <details> element.  Raw HTML in the Markdown is shown as text; links
 * other than http(s), mailto and in-page ones keep their text only;
 * images other than the edition's figures are dropped (their alt text
 * stays), so nothing in the notes can run a script or fetch anything. */
#include "bulletin_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "atomic.h"
#include "chart.h"
#include "config.h"
#include "figure_chart.h"
#include "svg.h"

#define FIG_W 480.0
#define FIG_H 300.0
#define PIE_H 260.0
#define FONT_SIZE 10.0

const char bulletin_html_css[] =
    ":root{color-scheme:light}"
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;background:#fff;color:#1a1a1a;"
    "font-family:\"BIZ UDPGothic\",\"Hiragino Kaku Gothic ProN\",\"Hiragino Sans\","
    "\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Source Han Sans JP\","
    "\"Yu Gothic UI\",\"Yu Gothic\",Meiryo,\"IPAexGothic\",sans-serif;"
    "font-size:16px;line-height:1.8;overflow-wrap:anywhere;"
    "line-break:strict}"
    "main,nav.site,footer{max-width:48rem;margin:0 auto;padding:0 1rem}"
    "nav.site{display:flex;flex-wrap:wrap;gap:.25rem 1rem;"
    "padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid #ccc;"
    "font-size:.9rem}"
    "nav.site .files{margin-left:auto}"
    "nav.site a{margin-right:.6rem}"
    "nav.site .langs:first-child{margin-left:auto}"
    "a{color:#0b4f8a}a:visited{color:#5b2a86}"
    "a:focus-visible{outline:3px solid #0b4f8a;outline-offset:2px}"
    "h1,h2,h3,h4{color:#0d2e5c;line-height:1.4;word-break:auto-phrase}"
    "h1{font-size:1.6rem;text-align:center;margin:1.5rem 0 .5rem}"
    "h2{font-size:1.3rem;border-bottom:2px solid #0d2e5c;"
    "margin:2.2rem 0 .8rem;padding-bottom:.2rem}"
    "h3{font-size:1.1rem;margin:1.6rem 0 .6rem}"
    "em{font-style:normal;color:#8a2a0a}"
    "strong{font-weight:700}"
    "code{font-family:ui-monospace,\"Noto Sans Mono CJK JP\",monospace}"
    "blockquote{margin:1rem 0;padding:0 1rem;border-left:4px solid #ccc}"
    "figure{margin:1.5rem 0;padding:0}"
    "figure svg{display:block;width:100%;height:auto;max-width:100%}"
    "figcaption{text-align:center;font-size:.95rem;margin:.4rem 0}"
    "details{margin:-1rem 0 1.5rem;font-size:.9rem}"
    "summary{cursor:pointer;color:#0b4f8a}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem;"
    "overflow-wrap:normal;line-break:auto}"
    "th,td{border:1px solid #8c8c8c;padding:.2rem .5rem;"
    "vertical-align:top}"
    "th{background:#e6ebf2;text-align:left;white-space:nowrap}"
    "table.ports td:last-child{min-width:12em}"
    "ul.refs{margin:.4em 0 0;padding-left:1.2em;font-size:.9em}"
    "ul.refs li{overflow-wrap:anywhere}"
    "td.n{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}"
    "table.ports th[scope=row],td.k{white-space:nowrap}"
    "footer{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;"
    "border-top:1px solid #ccc;font-size:.85rem;color:#4d4d4d}"
    "@media print{nav.site{display:none}"
    "body{font-size:10.5pt}main{max-width:none}"
    "figure,table{break-inside:avoid}h2,h3{break-after:avoid}"
    "details>summary{display:none}"
    "a{color:#1a1a1a;text-decoration:none}}";

struct html {
	const struct edition *ed;
	struct text *t;
	struct buf *b;
	struct err *e;
	int sec[7];          /* heading counters per level */
	bool failed;
};

/* ---- figures: the chart ---- */

bool
bulletin_html_chart(const struct edition *ed, const struct ed_figure *f,
    struct text *t, cairo_t *cr, double x, double y, double w, double h,
    struct err *e)
{
	return figure_chart_draw(ed, f, t != NULL ? text_context(t) : NULL,
	    FONT_SIZE, cr, x, y, w, h, e);
}

/* ---- figures: the table behind ---- */

static void
num(struct buf *b, double v, int decimals)
{
	char tmp[64];

	buf_adds(b, "<td class=\"n\">");
	buf_adds(b, chart_format_number(v, decimals, tmp, sizeof(tmp)));
	buf_adds(b, "</td>");
}

static void
count(struct buf *b, int64_t v)
{
	buf_addf(b, "<td class=\"n\">%s</td>", chart_format_number((double)v,
	    0, (char[64]){ 0 }, 64));
}

static void
th(struct buf *b, const char *s)
{
	buf_adds(b, "<th scope=\"col\">");
	html_escape(b, s != NULL ? s : "");
	buf_adds(b, "</th>");
}

static void
row_head(struct buf *b, const char *s)
{
	buf_adds(b, "<th scope=\"row\">");
	html_escape(b, s != NULL ? s : "");
	buf_adds(b, "</th>");
}

static void
figure_table(const struct edition *ed, const struct ed_figure *f,
    struct buf *b)
{
	buf_adds(b, "<div class=\"scroll\"><table>");
	switch (f->kind) {
	case ED_FIG_PIE:
		buf_adds(b, "<thead><tr>");
		th(b, f->key_head);
		th(b, f->value_head);
		th(b, ed->words[ED_W_SHARE]);
		buf_adds(b, "</tr></thead><tbody>");
		for (size_t i = 0; i < f->nseries; i++) {
			buf_adds(b, "<tr>");
			row_head(b, f->series[i].label);
			count(b, f->series[i].total);
			buf_adds(b, "<td class=\"n\">");
			html_escape(b, f->series[i].share_text);
			buf_adds(b, "</td></tr>");
		}
		buf_adds(b, "<tr>");
		row_head(b, ed->words[ED_W_TOTAL]);
		count(b, f->total);
		buf_adds(b, "<td class=\"n\">100.0%</td></tr>");
		break;
	case ED_FIG_SHARES:
		/* keys down, months across */
		buf_adds(b, "<thead><tr>");
		th(b, f->key_head);
		for (size_t c = 0; c < f->ncat; c++)
			th(b, f->cats[c].label);
		buf_adds(b, "</tr></thead><tbody>");
		for (size_t i = 0; i < f->nseries; i++) {
			buf_adds(b, "<tr>");
			row_head(b, f->series[i].label);
			for (size_t c = 0; c < f->ncat; c++) {
				double v = f->series[i].values[c];

				if (isnan(v))
					buf_adds(b, "<td class=\"n\">-</td>");
				else
					buf_addf(b, "<td class=\"n\">%.1f%%</td>", v);
			}
			buf_adds(b, "</tr>");
		}
		break;
	case ED_FIG_TREND:
	case ED_FIG_DAILY:
		/* categories down, series across */
		buf_adds(b, "<thead><tr>");
		th(b, f->x_title);
		th(b, ed->words[ED_W_SENSORS]);
		for (size_t i = 0; i < f->nseries; i++)
			th(b, f->series[i].label);
		buf_adds(b, "</tr></thead><tbody>");
		for (size_t c = 0; c < f->ncat; c++) {
			const struct ed_cat *cat = &f->cats[c];

			buf_adds(b, "<tr>");
			row_head(b, cat->label);
			if (cat->missing && cat->sensors == 0) {
				buf_adds(b, "<td class=\"n\">0</td>");
				buf_addf(b, "<td colspan=\"%zu\">", f->nseries);
				html_escape(b, ed->words[f->kind == ED_FIG_TREND ?
				    ED_W_NO_DATA : ED_W_MISSING]);
				buf_adds(b, "</td></tr>");
				continue;
			}
			count(b, cat->sensors);
			for (size_t i = 0; i < f->nseries; i++)
				num(b, f->series[i].values[c],
				    f->integer_values ? 0 : 1);
			buf_adds(b, "</tr>");
		}
		break;
	}
	buf_adds(b, "</tbody></table></div>");
	if (f->kind == ED_FIG_TREND || f->kind == ED_FIG_DAILY) {
		buf_adds(b, "<p>");
		html_escape(b, f->y_title);
		if (f->y2_title != NULL && f->nseries > 1) {
			buf_adds(b, " / ");
			html_escape(b, f->y2_title);
		}
		buf_adds(b, "</p>");
	}
	if (f->note != NULL && *f->note != '\0') {
		buf_adds(b, "<p>");
		html_escape(b, f->note);
		buf_adds(b, "</p>");
	}
}

static bool
figure(struct html *h, const char *id)
{
	const struct ed_figure *f = edition_figure(h->ed, id);
	struct svg s;
	double fh;
	char prefix[48];

	if (f == NULL)
		return err_set(h->e, "bulletin.md: figure talot:%s: no such figure this month",
		    id);
	fh = f->kind == ED_FIG_PIE ? PIE_H : FIG_H;
	if (!svg_begin(&s, FIG_W, fh, h->e))
		return false;
	if (!bulletin_html_chart(h->ed, f, h->t, s.cr, 4, 4, FIG_W - 8,
	    fh - 8, h->e)) {
		svg_abort(&s);
		return false;
	}
	buf_adds(h->b, "<figure id=\"");
	html_escape(h->b, f->id);
	buf_adds(h->b, "\">\n");
	snprintf(prefix, sizeof(prefix), "%s", f->id);
	for (char *p = prefix; *p; p++)
		if (*p == '.')
			*p = '_';
	if (!svg_end(&s, prefix, f->alt != NULL ? f->alt : f->caption, h->b,
	    h->e))
		return false;
	buf_adds(h->b, "\n<figcaption>");
	html_escape(h->b, h->ed->words[ED_W_CAPTION_OPEN]);
	html_escape(h->b, f->caption);
	html_escape(h->b, h->ed->words[ED_W_CAPTION_CLOSE]);
	buf_adds(h->b, "</figcaption>\n</figure>\n<details class=\"data\"><summary>");
	html_escape(h->b, f->caption);
	buf_adds(h->b, " — ");
	html_escape(h->b, h->ed->words[ED_W_SUMMARY_VALUE]);
	buf_adds(h->b, "</summary>\n");
	figure_table(h->ed, f, h->b);
	buf_adds(h->b, "\n</details>\n");
	return true;
}

static void
port_table(struct html *h)
{
	const struct edition *ed = h->ed;
	struct buf *b = h->b;

	if (ed->nports == 0) {
		buf_adds(b, "<p>");
		html_escape(b, ed->words[ED_W_NO_PORTS]);
		buf_adds(b, "</p>\n");
		return;
	}
	buf_adds(b, "<div class=\"scroll\"><table class=\"ports\"><thead><tr>");
	th(b, ed->words[ED_W_TABLE_PORT]);
	th(b, ed->words[ED_W_TABLE_ACCESSES]);
	th(b, ed->words[ED_W_TABLE_SHARE]);
	th(b, ed->words[ED_W_TABLE_EXPLANATION]);
	buf_adds(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < ed->nports; i++) {
		const struct ed_port_row *r = &ed->ports[i];

		buf_adds(b, "<tr>");
		row_head(b, r->label);
		buf_adds(b, "<td class=\"n\">");
		html_escape(b, r->accesses_text);
		buf_adds(b, "</td><td class=\"n\">");
		html_escape(b, r->share_text);
		buf_adds(b, "</td><td>");
		html_escape(b, r->explanation[0] ? r->explanation :
		    ed->words[ED_W_NO_EXPLANATION]);
		if (r->nrefs > 0) {
			/* the catalogue checked each URL: http(s), RFC 3986 */
			buf_adds(b, "<ul class=\"refs\" aria-label=\"");
			html_escape(b, ed->words[ED_W_REFERENCES]);
			buf_adds(b, "\">");
			for (size_t k = 0; k < r->nrefs; k++) {
				buf_adds(b, "<li><a rel=\"external noopener\" "
				    "href=\"");
				html_escape(b, r->refs[k].url);
				buf_adds(b, "\">");
				html_escape(b, r->refs[k].title);
				buf_adds(b, "</a></li>");
			}
			buf_adds(b, "</ul>");
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table></div>\n");
}

/* ---- Markdown ---- */

/* Only links that cannot run anything or leave the page unasked. */
static bool
safe_url(const char *u)
{
	if (u == NULL || *u == '\0')
		return false;
	if (u[0] == '#')
		return true;
	return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 ||
	    strncmp(u, "mailto:", 7) == 0;
}

static void
inlines(struct html *h, cmark_node *n)
{
	struct buf *b = h->b;

	for (cmark_node *c = cmark_node_first_child(n); c != NULL;
	    c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			html_escape(b, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_HTML_INLINE:
			/* shown, never interpreted */
			html_escape(b, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_CODE:
			buf_adds(b, "<code>");
			html_escape(b, cmark_node_get_literal(c));
			buf_adds(b, "</code>");
			break;
		case CMARK_NODE_SOFTBREAK:
			/* Japanese text joins lines without a space */
			break;
		case CMARK_NODE_LINEBREAK:
			buf_adds(b, "<br>");
			break;
		case CMARK_NODE_STRONG:
			buf_adds(b, "<strong>");
			inlines(h, c);
			buf_adds(b, "</strong>");
			break;
		case CMARK_NODE_EMPH:
			buf_adds(b, "<em>");
			inlines(h, c);
			buf_adds(b, "</em>");
			break;
		case CMARK_NODE_LINK:
			if (safe_url(cmark_node_get_url(c))) {
				const char *title = cmark_node_get_title(c);

				buf_adds(b, "<a href=\"");
				html_escape(b, cmark_node_get_url(c));
				buf_adds(b, "\"");
				if (title != NULL && *title != '\0') {
					buf_adds(b, " title=\"");
					html_escape(b, title);
					buf_adds(b, "\"");
				}
				buf_adds(b, ">");
				inlines(h, c);
				buf_adds(b, "</a>");
			} else
				inlines(h, c);
			break;
		case CMARK_NODE_IMAGE:
			/* no remote or inline images: the alt text only */
			inlines(h, c);
			break;
		default:
			break;
		}
	}
}

static void
plain_text(cmark_node *n, struct buf *b)
{
	for (cmark_node *c = cmark_node_first_child(n); c != NULL;
	    c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			buf_adds(b, cmark_node_get_literal(c));
			break;
		default:
			plain_text(c, b);
		}
	}
}

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

static void
heading(struct html *h, cmark_node *n)
{
	int level = cmark_node_get_heading_level(n);
	struct buf *b = h->b;

	if (level < 1 || level > 6)
		level = 6;
	h->sec[level]++;
	for (int i = level + 1; i <= 6; i++)
		h->sec[i] = 0;
	buf_addf(b, "<h%d id=\"", level);
	if (level == 1)
		buf_addf(b, "title-%d", h->sec[1]);
	else {
		buf_adds(b, "s");
		for (int i = 2; i <= level; i++)
			buf_addf(b, "%s%d", i > 2 ? "-" : "", h->sec[i]);
	}
	buf_adds(b, "\">");
	inlines(h, n);
	buf_addf(b, "</h%d>\n", level);
}

static bool blocks(struct html *h, cmark_node *parent);

static bool
block(struct html *h, cmark_node *n)
{
	struct buf *b = h->b;
	cmark_node *img;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		heading(h, n);
		return true;
	case CMARK_NODE_PARAGRAPH:
		img = lone_image(n);
		if (img != NULL) {
			const char *id = cmark_node_get_url(img) + 6;

			if (strcmp(id, "port-table") == 0) {
				port_table(h);
				return true;
			}
			return figure(h, id);
		}
		buf_adds(b, "<p>");
		inlines(h, n);
		buf_adds(b, "</p>\n");
		return true;
	case CMARK_NODE_LIST: {
		bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
		int start = cmark_node_get_list_start(n);

		if (ordered && start != 1)
			buf_addf(b, "<ol start=\"%d\">\n", start);
		else
			buf_adds(b, ordered ? "<ol>\n" : "<ul>\n");
		for (cmark_node *it = cmark_node_first_child(n); it != NULL;
		    it = cmark_node_next(it)) {
			buf_adds(b, "<li>");
			if (cmark_node_get_list_tight(n)) {
				for (cmark_node *c = cmark_node_first_child(it);
				    c != NULL; c = cmark_node_next(c)) {
					if (cmark_node_get_type(c) ==
					    CMARK_NODE_PARAGRAPH && !lone_image(c))
						inlines(h, c);
					else if (!block(h, c))
						return false;
				}
			} else if (!blocks(h, it))
				return false;
			buf_adds(b, "</li>\n");
		}
		buf_adds(b, ordered ? "</ol>\n" : "</ul>\n");
		return true;
	}
	case CMARK_NODE_BLOCK_QUOTE:
		buf_adds(b, "<blockquote>\n");
		if (!blocks(h, n))
			return false;
		buf_adds(b, "</blockquote>\n");
		return true;
	case CMARK_NODE_CODE_BLOCK:
		buf_adds(b, "<pre><code>");
		html_escape(b, cmark_node_get_literal(n));
		buf_adds(b, "</code></pre>\n");
		return true;
	case CMARK_NODE_HTML_BLOCK:
		/* raw HTML is shown as text, never interpreted */
		buf_adds(b, "<pre>");
		html_escape(b, cmark_node_get_literal(n));
		buf_adds(b, "</pre>\n");
		return true;
	case CMARK_NODE_THEMATIC_BREAK:
		buf_adds(b, "<hr>\n");
		return true;
	default:
		return true;
	}
}

static bool
blocks(struct html *h, cmark_node *parent)
{
	for (cmark_node *n = cmark_node_first_child(parent); n != NULL;
	    n = cmark_node_next(n))
		if (!block(h, n))
			return false;
	return true;
}

/* The first paragraph under the first section heading: the month's
 * headline numbers in the edition's own words (description, Open Graph). */
static void
description(cmark_node *doc, struct buf *out)
{
	bool after_h2 = false;

	for (cmark_node *n = cmark_node_first_child(doc); n != NULL;
	    n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) >= 2)
			after_h2 = true;
		else if (after_h2 && cmark_node_get_type(n) ==
		    CMARK_NODE_PARAGRAPH && lone_image(n) == NULL) {
			plain_text(n, out);
			return;
		}
	}
}

static void
link(struct buf *b, const char *href, const char *rel, const char *text)
{
	if (href == NULL)
		return;
	buf_adds(b, "<a href=\"");
	html_escape(b, href);
	buf_adds(b, "\"");
	if (rel != NULL)
		buf_addf(b, " rel=\"%s\"", rel);
	buf_adds(b, ">");
	html_escape(b, text);
	buf_adds(b, "</a>");
}

void
bulletin_html_alternates(struct buf *b, const struct html_alt *alts,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, "<link rel=\"alternate\" hreflang=\"");
		html_escape(b, alts[i].lang);
		buf_adds(b, "\" href=\"");
		html_escape(b, alts[i].href);
		buf_adds(b, "\">\n");
	}
}

void
bulletin_html_lang_links(struct buf *b, const struct html_alt *alts,
    size_t n)
{
	if (n == 0)
		return;
	buf_adds(b, "<span class=\"langs\">");
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, "<a rel=\"alternate\" hreflang=\"");
		html_escape(b, alts[i].lang);
		buf_adds(b, "\" lang=\"");
		html_escape(b, alts[i].lang);
		buf_adds(b, "\" href=\"");
		html_escape(b, alts[i].href);
		buf_adds(b, "\">");
		html_escape(b, alts[i].name != NULL && alts[i].name[0] ?
		    alts[i].name : alts[i].lang);
		buf_adds(b, "</a>");
	}
	buf_adds(b, "</span>");
}

static void
nav(const struct edition *ed, const struct html_links *l, struct buf *b)
{
	char text[96];

	buf_adds(b, "<nav class=\"site\"><span class=\"months\">");
	link(b, l->index, "index", ed->publisher);
	if (l->prev != NULL) {
		snprintf(text, sizeof(text), "← %s", l->prev_label ?
		    l->prev_label : l->prev);
		link(b, l->prev, "prev", text);
	}
	if (l->next != NULL) {
		snprintf(text, sizeof(text), "%s →", l->next_label ?
		    l->next_label : l->next);
		link(b, l->next, "next", text);
	}
	buf_adds(b, "</span><span class=\"files\">");
	link(b, l->pdf, NULL, "PDF");
	link(b, l->xlsx, NULL, "XLSX");
	link(b, l->json, NULL, "JSON");
	buf_adds(b, "</span>");
	bulletin_html_lang_links(b, l->alts, l->nalts);
	buf_adds(b, "</nav>\n");
}

static void
meta(struct buf *b, const char *attr, const char *name, const char *content)
{
	buf_addf(b, "<meta %s=\"%s\" content=\"", attr, name);
	html_escape(b, content);
	buf_adds(b, "\">\n");
}

bool
bulletin_html_page(const struct edition *ed, const struct html_links *links,
    struct buf *out, struct err *e)
{
	static const struct html_links none;
	struct html h = { .ed = ed, .b = out, .e = e };
	struct buf desc = { 0 };
	cmark_node *doc;
	bool ok = false;

	if (links == NULL)
		links = &none;
	doc = cmark_parse_document(ed->markdown, strlen(ed->markdown),
	    CMARK_OPT_DEFAULT);
	if (doc == NULL)
		return err_set(e, "bulletin.md: cannot parse the Markdown");
	h.t = text_create(ed->font, e);
	if (h.t == NULL)
		goto out;
	description(doc, &desc);
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
	html_escape(out, ed->lang);
	buf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<title>");
	html_escape(out, ed->doc_title);
	buf_adds(out, "</title>\n");
	meta(out, "name", "description", desc.s != NULL ? desc.s : ed->doc_subject);
	meta(out, "name", "author", ed->author);
	meta(out, "name", "generator", "talot " TALOT_VERSION);
	meta(out, "property", "og:type", "article");
	meta(out, "property", "og:title", ed->doc_title);
	meta(out, "property", "og:description", desc.s != NULL ? desc.s :
	    ed->doc_subject);
	meta(out, "property", "og:site_name", ed->publisher);
	meta(out, "property", "og:locale", strcmp(ed->lang, "ja") == 0 ?
	    "ja_JP" : ed->lang);
	bulletin_html_alternates(out, links->alts, links->nalts);
	buf_adds(out, "<style>");
	buf_adds(out, bulletin_html_css);
	buf_adds(out, "</style>\n</head>\n<body>\n");
	nav(ed, links, out);
	buf_adds(out, "<main>\n");
	if (!blocks(&h, doc))
		goto out;
	buf_adds(out, "</main>\n<footer><p>");
	html_escape(out, ed->publisher);
	buf_adds(out, " — ");
	html_escape(out, ed->date_text);
	buf_adds(out, "</p></footer>\n</body>\n</html>\n");
	if (out->oom) {
		err_set(e, "out of memory");
		goto out;
	}
	ok = true;
out:
	buf_free(&desc);
	text_destroy(h.t);
	cmark_node_free(doc);
	return ok;
}

bool
bulletin_html_write(const struct edition *ed, const struct html_links *links,
    const char *path, struct err *e)
{
	struct buf page = { 0 };
	struct atomic_file af;
	char msg[ERR_MSG_MAX];

	if (!bulletin_html_page(ed, links, &page, e)) {
		snprintf(msg, sizeof(msg), "%s", e->msg);
		buf_free(&page);
		return err_set(e, "%s: %s", path, msg);
	}
	if (!atomic_begin(&af, path, e)) {
		buf_free(&page);
		return false;
	}
	atomic_write(&af, page.s, page.len);
	buf_free(&page);
	return atomic_commit(&af, e);
}
