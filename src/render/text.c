#include "text.h"

#include "chart.h"

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
	char *terms;         /* words never broken, separated by spaces */
	bool justify;
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
	/* the font map's resolution too, not only the context's: pango
	 * measures a font's metrics (for line heights) by laying out a sample
	 * text in a context of its own, made at the font map's resolution
	 * (96 dpi by default), which asked fontconfig for a second set of
	 * fonts at every size: 50 font sorts (and 101 threads) for the sample
	 * month instead of 25, 3 % of a render */
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(t->fm), 72.0);
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

const char *
text_family(const struct text *t)
{
	return t->family;
}

void
text_preload(struct text *t, const struct text_font *fonts, size_t n,
    const atomic_bool *stop)
{
	for (size_t i = 0; i < n && !atomic_load(stop); i++) {
		PangoLayout *l = pango_layout_new(t->ctx);
		PangoFontDescription *fd = pango_font_description_new();
		PangoRectangle r;   /* laid out to load and measure the font */

		pango_font_description_set_family(fd, t->family);
		pango_font_description_set_absolute_size(fd,
		    fonts[i].size * PANGO_SCALE);
		if (fonts[i].bold)
			pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
		pango_layout_set_font_description(l, fd);
		pango_font_description_free(fd);
		/* kana, a kanji, Latin and a digit: one font covers them all
		 * (fonts/fonts.conf), and the line height needs its metrics */
		pango_layout_set_text(l, "あ漢Aa1", -1);
		pango_layout_set_line_spacing(l, 1.45f);
		pango_layout_get_extents(l, NULL, &r);
		g_object_unref(l);
	}
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
	chart_text_release(t->ctx);
	g_object_unref(t->ctx);
	g_object_unref(t->fm);
	free(t->family);
	free(t->terms);
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
	{
		PangoAttrList *al = attrs != NULL ?
		    pango_attr_list_copy(attrs) : pango_attr_list_new();

		text_mark_nobreak(text, len, t->terms, al);
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
	}
	if (width > 0)
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	/* justified lines, the last one of a paragraph flush left */
	pango_layout_set_justify(l, t->justify && width > 0 &&
	    align == PANGO_ALIGN_LEFT);
	pango_layout_set_justify_last_line(l, FALSE);
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

/* ---- where a line must not break ---- */

/* Characters that never start a line (JIS X 4051 行頭禁則: closing
 * brackets, punctuation, the prolonged sound mark, small kana, iteration
 * marks, percent) and characters that never end one (opening brackets). */
static const char no_start[] =
    "、。，．,.:;!?)]}）］｝〕〉》」』】〙〗〟’”»・：；？！‐゠–〜～ー"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ゝゞヽヾ々%％‰℃";
static const char no_end[] = "([{（［｛〔〈《「『【〘〖〝‘“«";

/* Units that stay with the number before them ("1,234件", "10倍以上",
 * "445/tcp", "2007年6月", "(1観測点)"); the longest first where one
 * starts another. */
static const char *const units[] = {
	"倍以上", "倍", "件", "%", "％", "年", "か月", "ヶ月", "か所", "か国",
	"月", "日", "時", "分", "秒", "観測点", "点", "万", "億", "兆", "位",
	"回", "個", "種類", "割", "/tcp", "/udp", "×",
};

static bool
is_digit(const char *s)
{
	return *s >= '0' && *s <= '9';
}

/* The kinsoku sets as sorted code points, made once (this is called for
 * every character of every paragraph: scanning the UTF-8 sets each time
 * was a twentieth of a render). */
struct charset {
	gunichar c[160];
	size_t n;
};

static struct charset set_no_start, set_no_end;

static int
uc_cmp(const void *a, const void *b)
{
	gunichar x = *(const gunichar *)a, y = *(const gunichar *)b;

	return x < y ? -1 : x > y;
}

static void
charset_make(struct charset *cs, const char *set)
{
	cs->n = 0;
	for (const char *p = set; *p != '\0' && cs->n < G_N_ELEMENTS(cs->c);
	    p = g_utf8_next_char(p))
		cs->c[cs->n++] = g_utf8_get_char(p);
	qsort(cs->c, cs->n, sizeof(cs->c[0]), uc_cmp);
}

static void
charsets_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		charset_make(&set_no_start, no_start);
		charset_make(&set_no_end, no_end);
		g_once_init_leave(&done, 1);
	}
}

static bool
has_char(const struct charset *cs, gunichar c)
{
	return bsearch(&c, cs->c, cs->n, sizeof(cs->c[0]), uc_cmp) != NULL;
}

static bool
is_katakana(gunichar c)
{
	return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC;
}

/* Length of the number (with its "約", thousands separators, decimals and
 * units, repeated: "2007年6月") at s, 0 if none. */
static size_t
number_span(const char *s, const char *end)
{
	const char *p = s;
	bool any = false;

	if (end - p > 3 && strncmp(p, "約", 3) == 0 && is_digit(p + 3))
		p += 3;
	while (p < end && is_digit(p)) {
		size_t best = 0;

		any = true;
		while (p < end && (is_digit(p) || ((*p == ',' || *p == '.') &&
		    p + 1 < end && is_digit(p + 1))))
			p++;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i]);

			if ((size_t)(end - p) >= n && strncmp(p, units[i], n) == 0 &&
			    n > best)
				best = n;
		}
		/* a Latin unit is a whole word ("2x" but not "2xyz") */
		if (best > 0 && ((unsigned char)p[best - 1] < 0x80) &&
		    p + best < end && g_ascii_isalnum(p[best]))
			best = 0;
		p += best;
		if (best == 0)
			break;
	}
	return any ? (size_t)(p - s) : 0;
}

struct span {
	size_t start, end;
};

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void
text_mark_nobreak(const char *text, size_t len, const char *terms,
    PangoAttrList *attrs)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct span));
	struct term { size_t off, len; };
	GArray *tv = g_array_new(FALSE, FALSE, sizeof(struct term));
	const char *end = text + len, *prev = NULL, *p = text;
	struct span cur = { 0, 0 };

	charsets_init();
	/* the terms, split once */
	for (const char *w = terms; w != NULL && *w != '\0';) {
		size_t wl = strcspn(w, " ");

		if (wl > 0)
			g_array_append_val(tv, ((struct term){
			    (size_t)(w - terms), wl }));
		w += wl;
		w += strspn(w, " ");
	}
	while (p < end) {
		const char *next = g_utf8_find_next_char(p, end);
		gunichar c = g_utf8_get_char_validated(p, end - p);
		size_t n;

		if (next == NULL)
			next = end;
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			prev = p;
			p = next;
			continue;
		}
		if (prev != NULL && has_char(&set_no_start, c))
			g_array_append_val(v, ((struct span){ (size_t)(prev - text),
			    (size_t)(next - text) }));
		if (next < end && has_char(&set_no_end, c)) {
			const char *after = g_utf8_find_next_char(next, end);

			g_array_append_val(v, ((struct span){ (size_t)(p - text),
			    after != NULL ? (size_t)(after - text) : len }));
		}
		if ((prev == NULL || !is_digit(prev)) &&
		    (n = number_span(p, end)) > 0) {
			g_array_append_val(v, ((struct span){ (size_t)(p - text),
			    (size_t)(p - text) + n }));
		}
		if (is_katakana(c) && (prev == NULL ||
		    !is_katakana(g_utf8_get_char(prev)))) {
			const char *q = next;
			int k = 1;

			while (q < end && k < 16 && is_katakana(g_utf8_get_char(q))) {
				q = g_utf8_find_next_char(q, end);
				if (q == NULL)
					q = end;
				k++;
			}
			if (k > 1)
				g_array_append_val(v, ((struct span){
				    (size_t)(p - text), (size_t)(q - text) }));
		}
		for (guint i = 0; i < tv->len; i++) {
			const struct term *t = &g_array_index(tv, struct term, i);
			const char *w = terms + t->off;
			size_t wl = t->len;

			if (*w == *p && (size_t)(end - p) >= wl &&
			    memcmp(p, w, wl) == 0)
				g_array_append_val(v, ((struct span){
				    (size_t)(p - text), (size_t)(p - text) + wl }));
		}
		prev = p;
		p = next;
	}
	/* the last line of a paragraph holds more than a character or two
	 * and its full stop ("…ご覧ください。" never leaves "い。" alone) */
	{
		const char *q = end;
		int k = 0;

		while (q > text && k < 4) {
			q = g_utf8_find_prev_char(text, q);
			if (q == NULL)
				break;
			if (*q == ' ' || *q == '\n')
				break;
			k++;
		}
		if (q != NULL && k == 4)
			g_array_append_val(v, ((struct span){ (size_t)(q - text),
			    len }));
	}
	/* overlapping spans become one; touching ones stay two, as the
	 * break between them is allowed */
	if (v->len > 1)
		qsort(v->data, v->len, sizeof(struct span), span_cmp);
	for (guint i = 0; i <= v->len; i++) {
		struct span s = i < v->len ? g_array_index(v, struct span, i) :
		    (struct span){ len + 1, len + 1 };

		if (cur.end > cur.start && s.start < cur.end) {
			if (s.end > cur.end)
				cur.end = s.end;
			continue;
		}
		/* a span of one character has no inside */
		if (cur.end > cur.start && g_utf8_next_char(text + cur.start) <
		    text + cur.end) {
			PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);

			a->start_index = (guint)cur.start;
			a->end_index = (guint)cur.end;
			pango_attr_list_insert(attrs, a);
		}
		cur = s;
	}
	/* no hyphen where a word that does not fit is broken */
	{
		PangoAttribute *a = pango_attr_insert_hyphens_new(FALSE);

		pango_attr_list_insert_before(attrs, a);
	}
	g_array_free(v, TRUE);
	g_array_free(tv, TRUE);
}

void
text_set_terms(struct text *t, const char *terms)
{
	free(t->terms);
	t->terms = terms != NULL ? strdup(terms) : NULL;
}

void
text_set_justify(struct text *t, bool on)
{
	t->justify = on;
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
	while (*s)
		s += add_char(b, s);
}

/* The last character of the text in markup b (after its tags), 0 if
 * none. */
static gunichar
buf_last_char(const struct buf *b)
{
	const char *e = b->s != NULL ? b->s + b->len : NULL;

	while (e != NULL && e > b->s) {
		if (e[-1] == '>') {
			while (e > b->s && e[-1] != '<')
				e--;
			if (e > b->s)
				e--;
			continue;
		}
		return g_utf8_get_char(g_utf8_find_prev_char(b->s, e));
	}
	return 0;
}

void
buf_add_prose(struct buf *b, const char *s, bool jlreq)
{
	const char *start = s;

	while (*s) {
		/* a space between Japanese and Latin letters or digits, or
		 * between Latin words in Japanese text */
		if (jlreq && *s == ' ' && s[1] != '\0' && s[1] != ' ') {
			gunichar l = s > start ? g_utf8_get_char(
			    g_utf8_find_prev_char(start, s)) : buf_last_char(b);
			gunichar r = g_utf8_get_char(s + 1);

			if (l != 0 && g_unichar_isgraph(l) && g_unichar_isgraph(r) &&
			    !(g_unichar_isdigit(l) && g_unichar_isdigit(r))) {
				buf_adds(b, "\u2005");
				s++;
				continue;
			}
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
