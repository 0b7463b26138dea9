/* text.h — typesetting with pango for the PDF: one font map and one
 * context per process, Japanese language, hinting and glyph-position
 * rounding off (the same when measuring and drawing), and a check that no
 * glyph is missing from the fonts. */
#ifndef TALOT_TEXT_H
#define TALOT_TEXT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "err.h"

struct text;

/* family e.g. "BIZ UDPGothic".  Owned; free with text_destroy(). */
struct text *text_create(const char *family, struct err *e);
void text_destroy(struct text *t);
PangoContext *text_context(struct text *t);
const char *text_family(const struct text *t);

/* A size (points) and weight of the family. */
struct text_font {
	double size;
	bool bold;
};

/* Loads fonts[0..n) in that order, as the first layout of that size and
 * weight would: pango finds the font with fontconfig and measures it by
 * shaping a sample text, about 0.7 ms a font.  Stops early once *stop is
 * set. */
void text_preload(struct text *t, const struct text_font *fonts, size_t n,
    const atomic_bool *stop);

/* A layout of pango markup at width (points; <= 0 for no wrapping) and
 * size (points).  Returns NULL with e set on bad markup or a glyph missing
 * from the fonts ("glyph missing from the fonts for U+XXXX 'c' in: …").
 * The caller unrefs it. */
PangoLayout *text_layout(struct text *t, const char *markup, double size,
    double width, PangoAlignment align, struct err *e);

/* The same for plain text (len bytes, not terminated) with attrs (not
 * taken over; NULL for none). */
PangoLayout *text_layout_text(struct text *t, const char *text, size_t len,
    PangoAttrList *attrs, double size, double width, PangoAlignment align,
    struct err *e);

/* Marks in attrs the spans of text[0..len) that a line never breaks
 * inside (allow_breaks false): a character that may not start a line with
 * the one before it (、。」ー, small kana…), one that may not end a line
 * with the one after it (（「…), a number with its "約" and its units
 * ("約2倍", "1,234件", "10倍以上", "445/tcp", "2007年6月", "12.5%"), a
 * katakana word, and every occurrence of terms (words separated by
 * spaces, "ぜい弱性 観測点"; NULL for none).  Also turns off hyphens at
 * breaks inside words.  Every layout of text_layout*() has these marks. */
void text_mark_nobreak(const char *text, size_t len, const char *terms,
    PangoAttrList *attrs);

/* The terms of text_mark_nobreak() for the layouts from now on (copied;
 * NULL for none). */
void text_set_terms(struct text *t, const char *terms);

/* Justified lines (the last of each paragraph flush left) for the layouts
 * from now on with PANGO_ALIGN_LEFT and a width; off at first. */
void text_set_justify(struct text *t, bool on);

/* Height and width of a layout in points. */
double text_height(PangoLayout *l);
double text_width(PangoLayout *l);

/* Appends s to a growing markup buffer, escaped (where lines may break is
 * text_mark_nobreak()'s rule, applied to every layout). */
struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_add_text(struct buf *b, const char *s);

/* The same for prose; with jlreq (Japanese), a space the author wrote
 * between Japanese and Latin letters or digits ("図 1.1 に", "UDP の") or
 * between Latin words ("Windows Messenger") is set as U+2005 FOUR-PER-EM
 * SPACE: JLREQ's quarter em, which justification does not stretch (pango
 * stretches only U+0020 and U+00A0 when a line has them, so one space took
 * a whole line's slack; without them it spreads the slack between all
 * characters, as Japanese typesetting does).  Text extraction reads it as
 * a space. */
void buf_add_prose(struct buf *b, const char *s, bool jlreq);
void buf_free(struct buf *b);

/* True if fontconfig has the family itself (not a fallback); else false
 * with e = "font 'X' is not installed (…)". */
bool text_font_available(const char *family, struct err *e);

/* Lays out text (plain, UTF-8) line by line in t's face and fails with e =
 * "WHERE:LINE: glyph missing from the fonts for U+XXXX 'c'" at the first
 * character no font has. */
bool text_check_coverage(struct text *t, const char *where, const char *text,
    struct err *e);

/* Checks a layout drawn elsewhere (charts use their own layouts). */
bool text_check_glyphs(PangoLayout *l, struct err *e);

/* The language of the text laid out from now on ("ja" by default): it
 * chooses glyph shapes and line-breaking rules. */
void text_set_language(struct text *t, const char *lang);

#endif
