#include "text.h"

#include <fontconfig/fontconfig.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct text {
	PangoFontMap *fm;
	PangoContext *ctx;
	char *family;
};

struct text *
text_create(const char *family, struct err *e)
{
	struct text *t = calloc(1, sizeof(*t));
	cairo_font_options_t *fo;

	if (t == NULL || (t->family = strdup(family)) == NULL) {
		free(t);
		err_set(e, "out of memory");
		return NULL;
	}
	t->fm = pango_cairo_font_map_new();
	t->ctx = pango_font_map_create_context(t->fm);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(t->ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(t->ctx, FALSE);
	pango_context_set_language(t->ctx, pango_language_from_string("ja"));
	pango_cairo_context_set_resolution(t->ctx, 72.0);
	return t;
}

void
text_set_language(struct text *t, const char *lang)
{
	pango_context_set_language(t->ctx, pango_language_from_string(lang));
}

void
text_destroy(struct text *t)
{
	if (t == NULL)
		return;
	g_object_unref(t->ctx);
	g_object_unref(t->fm);
	free(t->family);
	free(t);
}

PangoContext *
text_context(struct text *t)
{
	return t->ctx;
}

bool
text_check_glyphs(PangoLayout *l, struct err *e)
{
	PangoLayoutIter *it;
	const char *txt;
	bool ok = true;

	if (pango_layout_get_unknown_glyphs_count(l) == 0)
		return true;
	txt = pango_layout_get_text(l);
	it = pango_layout_get_iter(l);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);

		if (run == NULL)
			continue;
		for (int i = 0; ok && i < run->glyphs->num_glyphs; i++) {
			if (!(run->glyphs->glyphs[i].glyph &
			    PANGO_GLYPH_UNKNOWN_FLAG))
				continue;
			{
				const char *p = txt + run->item->offset +
				    run->glyphs->log_clusters[i];
				gunichar c = g_utf8_get_char(p);
				char ch[8] = { 0 };

				g_unichar_to_utf8(c, ch);
				ok = err_set(e,
				    "glyph missing from the fonts for U+%04X '%s' in: %.60s",
				    (unsigned)c, ch, txt);
			}
		}
	} while (ok && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return ok ? err_set(e, "glyph missing from the fonts in: %.60s", txt) :
	    false;
}

PangoLayout *
text_layout_text(struct text *t, const char *text, size_t len,
    PangoAttrList *attrs, double size, double width, PangoAlignment align,
    struct err *e)
{
	PangoLayout *l = pango_layout_new(t->ctx);
	PangoFontDescription *fd = pango_font_description_new();

	if (len > INT_MAX / 2) {
		g_object_unref(l);
		pango_font_description_free(fd);
		err_set(e, "text of %zu bytes is too long to typeset", len);
		return NULL;
	}
	pango_font_description_set_family(fd, t->family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, text, (int)len);
	if (attrs != NULL)
		pango_layout_set_attributes(l, attrs);
	if (width > 0)
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_line_spacing(l, 1.45f);
	if (!text_check_glyphs(l, e)) {
		g_object_unref(l);
		return NULL;
	}
	return l;
}

PangoLayout *
text_layout(struct text *t, const char *markup, double size, double width,
    PangoAlignment align, struct err *e)
{
	GError *ge = NULL;
	PangoAttrList *attrs = NULL;
	char *text = NULL;
	PangoLayout *l;

	if (!pango_parse_markup(markup, -1, 0, &attrs, &text, NULL, &ge)) {
		err_set(e, "bad text markup: %s", ge ? ge->message : "?");
		g_clear_error(&ge);
		return NULL;
	}
	l = text_layout_text(t, text, strlen(text), attrs, size, width, align,
	    e);
	pango_attr_list_unref(attrs);
	g_free(text);
	return l;
}

double
text_height(PangoLayout *l)
{
	PangoRectangle r;

	pango_layout_get_extents(l, NULL, &r);
	return (double)r.height / PANGO_SCALE;
}

double
text_width(PangoLayout *l)
{
	PangoRectangle r;

	pango_layout_get_extents(l, NULL, &r);
	return (double)r.width / PANGO_SCALE;
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = (b->len + n + 1) * 2;
		char *ns = realloc(b->s, ncap);

		if (ns == NULL) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

static bool
isdigit_c(char c)
{
	return c >= '0' && c <= '9';
}

/* Adds one UTF-8 character (or an escaped ASCII one), returns its length. */
static size_t
add_char(struct buf *b, const char *s)
{
	size_t n = (size_t)(g_utf8_next_char(s) - s);

	/* never step over the end of a cut character */
	for (size_t i = 1; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			n = i;
			break;
		}
	}

	switch (*s) {
	case '&':
		buf_adds(b, "&amp;");
		break;
	case '<':
		buf_adds(b, "&lt;");
		break;
	case '>':
		buf_adds(b, "&gt;");
		break;
	case '"':
		buf_adds(b, "&quot;");
		break;
	case '\'':
		buf_adds(b, "&#39;");
		break;
	default:
		buf_add(b, s, n);
	}
	return n;
}

void
buf_add_text(struct buf *b, const char *s)
{
	while (*s) {
		/* "約" + number + one unit character: never broken */
		bool yaku = strncmp(s, "約", 3) == 0 && isdigit_c(s[3]);

		if (isdigit_c(*s) || yaku) {
			const char *p = s + (yaku ? 3 : 0);

			buf_adds(b, "<span allow_breaks=\"false\">");
			if (yaku)
				buf_add(b, s, 3);
			while (isdigit_c(*p) || ((*p == ',' || *p == '.') &&
			    isdigit_c(p[1])))
				buf_add(b, p++, 1);
			if (*p != '\0' && *p != ' ' && *p != '\n' &&
			    strncmp(p, "、", 3) != 0 && strncmp(p, "。", 3) != 0 &&
			    ((unsigned char)*p >= 0x80 || *p == '%'))
				p += add_char(b, p);
			buf_adds(b, "</span>");
			s = p;
			continue;
		}
		s += add_char(b, s);
	}
}

void
buf_free(struct buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

bool
text_font_available(const char *family, struct err *e)
{
	FcPattern *pat = FcNameParse((const FcChar8 *)"");
	FcPattern *match;
	FcResult res;
	FcChar8 *got = NULL;
	bool ok = false;

	if (pat == NULL)
		return err_set(e, "out of memory");
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(NULL, pat, &res);
	if (match != NULL) {
		for (int i = 0; !ok && FcPatternGetString(match, FC_FAMILY, i,
		    &got) == FcResultMatch; i++)
			ok = g_ascii_strcasecmp((const char *)got, family) == 0;
		FcPatternDestroy(match);
	}
	FcPatternDestroy(pat);
	return ok ? true : err_set(e,
	    "font '%s' is not installed (talot's font is BIZ UDPGothic from fonts-morisawa-bizud-gothic)",
	    family);
}

bool
text_check_coverage(struct text *t, const char *where, const char *text,
    struct err *e)
{
	unsigned long lineno = 1;
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		PangoLayout *l = pango_layout_new(t->ctx);
		PangoFontDescription *fd = pango_font_description_new();
		struct err ge;
		bool ok;

		pango_font_description_set_family(fd, t->family);
		pango_font_description_set_absolute_size(fd, 10 * PANGO_SCALE);
		pango_layout_set_font_description(l, fd);
		pango_font_description_free(fd);
		pango_layout_set_text(l, p, (int)n);
		ok = text_check_glyphs(l, &ge);
		g_object_unref(l);
		if (!ok) {
			const char *msg = strstr(ge.msg, " in: ");

			if (msg != NULL)
				ge.msg[msg - ge.msg] = '\0';
			return err_set(e, "%s:%lu: %s", where, lineno, ge.msg);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		lineno++;
	}
	return true;
}
