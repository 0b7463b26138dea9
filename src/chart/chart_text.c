/* chart_text.c — pango text for charts.
 *
 * One PangoContext per chart (or the caller's), with hint metrics off,
 * hint style none and glyph positions unrounded, so that text measured for
 * layout is exactly the text drawn, on PDF as on an image.  The language
 * is set on the context and on every layout's attributes so that Han text
 * takes Japanese glyph shapes.  Every drawn layout adds its unknown glyphs
 * to the style.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

#define SIZES_KEY "talot-chart-text-sizes"

static void
sizes_free(void *v)
{
	struct chart_text_size *sz = v;

	for (size_t i = 0; i < CHART_TEXT_SIZES; i++) {
		free(sz[i].key);
		if (sz[i].layout != NULL)
			g_object_unref(sz[i].layout);
	}
	free(sz);
}

bool
chart_text_begin(struct chart_text *t, struct chart_style *st, cairo_t *cr)
{
	cairo_font_options_t *opts;
	PangoLanguage *lang;

	memset(t, 0, sizeof *t);
	t->st = st;
	t->cr = cr;
	t->size = st->font_size > 0 ? st->font_size : 7.5;
	if (st->pango != NULL)
		t->ctx = g_object_ref(st->pango);
	else {
		t->ctx = pango_cairo_create_context(cr);
		t->own_ctx = true;
	}
	if (t->ctx == NULL)
		return false;
	pango_cairo_update_context(cr, t->ctx);

	opts = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(t->ctx, opts);
	cairo_font_options_destroy(opts);
	pango_context_set_round_glyph_positions(t->ctx, FALSE);

	lang = pango_language_from_string(st->language != NULL ?
	    st->language : "ja");
	pango_context_set_language(t->ctx, lang);
	t->attrs = pango_attr_list_new();
	pango_attr_list_insert(t->attrs, pango_attr_language_new(lang));

	t->font = pango_font_description_new();
	pango_font_description_set_family(t->font, st->font_family != NULL ?
	    st->font_family : "sans-serif");
	t->family = st->font_family != NULL ? st->font_family : "sans-serif";
	t->lang = pango_language_to_string(lang);
	t->sizes = g_object_get_data(G_OBJECT(t->ctx), SIZES_KEY);
	if (t->sizes == NULL &&
	    (t->sizes = calloc(CHART_TEXT_SIZES, sizeof *t->sizes)) != NULL)
		g_object_set_data_full(G_OBJECT(t->ctx), SIZES_KEY, t->sizes,
		    sizes_free);
	return true;
}

void
chart_text_end(struct chart_text *t)
{

	if (t->font != NULL)
		pango_font_description_free(t->font);
	if (t->attrs != NULL)
		pango_attr_list_unref(t->attrs);
	if (t->ctx != NULL) {
		if (t->own_ctx)
			chart_text_release(t->ctx);
		g_object_unref(t->ctx);
	}
	memset(t, 0, sizeof *t);
}

/* A new layout of s; the caller unrefs it. */
static PangoLayout *
layout_new(struct chart_text *t, const char *s, double scale)
{
	PangoLayout *l;

	l = pango_layout_new(t->ctx);
	pango_font_description_set_absolute_size(t->font,
	    t->size * scale * PANGO_SCALE);
	pango_layout_set_font_description(l, t->font);
	pango_layout_set_attributes(l, t->attrs);
	pango_layout_set_text(l, s != NULL ? s : "", -1);
	return l;
}

/* The key of a measured text: "family\x1flanguage\x1ftext" (malloc'ed),
 * or NULL. */
static char *
size_key(const struct chart_text *t, const char *s)
{
	size_t a = strlen(t->family), b = strlen(t->lang), c = strlen(s);
	char *k = malloc(a + b + c + 3);

	if (k != NULL) {
		memcpy(k, t->family, a);
		k[a] = '\x1f';
		memcpy(k + a + 1, t->lang, b);
		k[a + 1 + b] = '\x1f';
		memcpy(k + a + b + 2, s, c + 1);
	}
	return k;
}

/* FNV-1a of key and size: the slot of a measured size. */
static size_t
size_slot(const char *key, double size)
{
	uint64_t x = 1469598103934665603u;
	unsigned char b[sizeof size];

	memcpy(b, &size, sizeof b);
	for (size_t i = 0; i < sizeof b; i++)
		x = (x ^ b[i]) * 1099511628211u;
	for (; *key != '\0'; key++)
		x = (x ^ (unsigned char)*key) * 1099511628211u;
	return (size_t)(x % CHART_TEXT_SIZES);
}

void
chart_text_release(PangoContext *ctx)
{
	if (ctx != NULL)
		g_object_set_data(G_OBJECT(ctx), SIZES_KEY, NULL);
}

/* The cache entry of s at scale, filled (its size measured, its layout
 * made) when it was not there or its layout was made before the context
 * last changed; NULL when out of memory.  One slot per hash, replaced on
 * a collision: a cache, not a set. */
static struct chart_text_size *
cached(struct chart_text *t, const char *s, double scale, bool need_layout)
{
	struct chart_text_size *e;
	double size = t->size * scale;
	unsigned serial = pango_context_get_serial(t->ctx);
	char *key;
	PangoLayout *l;
	PangoRectangle log;

	if (t->sizes == NULL || (key = size_key(t, s)) == NULL)
		return NULL;
	e = &t->sizes[size_slot(key, size)];
	if (e->key != NULL && e->size == size && strcmp(e->key, key) == 0 &&
	    (!need_layout || (e->layout != NULL && e->serial == serial))) {
		free(key);
		return e;
	}
	l = layout_new(t, s, scale);
	pango_layout_get_extents(l, NULL, &log);
	free(e->key);
	if (e->layout != NULL)
		g_object_unref(e->layout);
	*e = (struct chart_text_size){ key, size,
	    (double)log.width / PANGO_SCALE, (double)log.height / PANGO_SCALE,
	    l, serial };
	return e;
}

void
chart_text_size(struct chart_text *t, const char *s, double scale,
		double *w, double *h)
{
	struct chart_text_size *e;
	PangoLayout *l;
	PangoRectangle log;

	if (s == NULL)
		s = "";
	if ((e = cached(t, s, scale, false)) != NULL) {
		if (w != NULL)
			*w = e->w;
		if (h != NULL)
			*h = e->h;
		return;
	}
	l = layout_new(t, s, scale);
	pango_layout_get_extents(l, NULL, &log);
	g_object_unref(l);
	if (w != NULL)
		*w = (double)log.width / PANGO_SCALE;
	if (h != NULL)
		*h = (double)log.height / PANGO_SCALE;
}

double
chart_text_line_height(struct chart_text *t, double scale)
{
	double h;

	chart_text_size(t, "0あ", scale, NULL, &h);
	return h;
}

/* Records the first character that came out as an unknown glyph. */
static void
note_unknown(struct chart_text *t, PangoLayout *l)
{
	int n = pango_layout_get_unknown_glyphs_count(l);
	PangoLayoutIter *it;
	const char *text;

	if (n <= 0)
		return;
	t->st->unknown_glyphs += (size_t)n;
	if (t->st->first_unknown[0] != '\0')
		return;
	text = pango_layout_get_text(l);
	it = pango_layout_get_iter(l);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);

		if (run == NULL)
			continue;
		for (int i = 0; i < run->glyphs->num_glyphs; i++) {
			const char *p, *q;
			size_t len;

			if (!(run->glyphs->glyphs[i].glyph &
			    PANGO_GLYPH_UNKNOWN_FLAG))
				continue;
			p = text + run->item->offset +
			    run->glyphs->log_clusters[i];
			q = g_utf8_next_char(p);
			len = (size_t)(q - p);
			if (len >= sizeof t->st->first_unknown)
				len = sizeof t->st->first_unknown - 1;
			memcpy(t->st->first_unknown, p, len);
			t->st->first_unknown[len] = '\0';
			pango_layout_iter_free(it);
			return;
		}
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}

void
chart_text_draw(struct chart_text *t, const char *s, double scale,
		double x, double y, double ax, double ay, double max_w,
		struct chart_rgb color)
{
	struct chart_text_size *e;
	PangoLayout *l;
	PangoRectangle log;
	double w, h;

	if (s == NULL || s[0] == '\0')
		return;
	e = cached(t, s, scale, true);
	l = e != NULL ? g_object_ref(e->layout) : layout_new(t, s, scale);
	pango_layout_get_extents(l, NULL, &log);
	if (max_w > 0 && (double)log.width / PANGO_SCALE > max_w) {
		/* shortened: a layout of its own, not the cached one */
		g_object_unref(l);
		l = layout_new(t, s, scale);
		pango_layout_set_width(l, (int)(max_w * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_get_extents(l, NULL, &log);
	}
	w = (double)log.width / PANGO_SCALE;
	h = (double)log.height / PANGO_SCALE;
	note_unknown(t, l);
	chart_set_rgb(t->cr, color);
	chart_report(t->st, (struct chart_label_box){ x - ax * w, y - ay * h,
	    w, h, t->kind });
	x -= ax * w + (double)log.x / PANGO_SCALE;
	y -= ay * h + (double)log.y / PANGO_SCALE;
	if (t->halo) {
		cairo_save(t->cr);
		cairo_move_to(t->cr, x, y);
		pango_cairo_layout_path(t->cr, l);
		cairo_set_source_rgb(t->cr, 1, 1, 1);
		cairo_set_line_width(t->cr, t->size * 0.3);
		cairo_set_line_join(t->cr, CAIRO_LINE_JOIN_ROUND);
		cairo_stroke(t->cr);
		cairo_restore(t->cr);
	}
	cairo_move_to(t->cr, x, y);
	pango_cairo_show_layout(t->cr, l);
	cairo_new_path(t->cr);
	g_object_unref(l);
}

struct chart_label_box
chart_text_box(struct chart_text *t, const char *s, double scale, double x,
		double y, double ax, double ay)
{
	double w, h;

	chart_text_size(t, s, scale, &w, &h);
	return (struct chart_label_box){ x - ax * w, y - ay * h, w, h,
	    t->kind };
}

void
chart_text_draw_vertical(struct chart_text *t, const char *s, double scale,
		double cx, double cy, struct chart_rgb color)
{
	PangoLayout *l;
	PangoRectangle log;
	double w, h;

	if (s == NULL || s[0] == '\0')
		return;
	l = layout_new(t, s, scale);
	pango_layout_get_extents(l, NULL, &log);
	w = (double)log.width / PANGO_SCALE;
	h = (double)log.height / PANGO_SCALE;
	note_unknown(t, l);
	chart_report(t->st, (struct chart_label_box){ cx - h / 2, cy - w / 2,
	    h, w, t->kind });
	cairo_save(t->cr);
	cairo_translate(t->cr, cx, cy);
	cairo_rotate(t->cr, -CHART_PI / 2);
	pango_cairo_update_layout(t->cr, l);
	chart_set_rgb(t->cr, color);
	cairo_move_to(t->cr, -w / 2 - (double)log.x / PANGO_SCALE,
	    -h / 2 - (double)log.y / PANGO_SCALE);
	pango_cairo_show_layout(t->cr, l);
	cairo_new_path(t->cr);
	cairo_restore(t->cr);
	pango_cairo_update_context(t->cr, t->ctx);
	g_object_unref(l);
}

void
chart_area_clip(cairo_t *cr, double *x, double *y, double *w, double *h)
{
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, *x, *y, *w, *h);
	cairo_clip(cr);
	*x += 2;
	*y += 2;
	*w = *w > 4 ? *w - 4 : 0;
	*h = *h > 4 ? *h - 4 : 0;
}
