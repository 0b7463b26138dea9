/* test_text.c — where lines break in the PDF's text: a paragraph laid out
 * at every width from very narrow to wide never breaks inside a term or a
 * number with its unit, never starts a line with a closing bracket,
 * punctuation, the prolonged sound mark or a small kana and never ends one
 * with an opening bracket; justified lines fill the width and the last line
 * of a paragraph does not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "text.h"

#define FAMILY "BIZ UDPGothic"

static const char para[] =
    "インターネットにつながったコンピュータのぜい弱性を狙うアクセスは"
    "(1観測点)あたり1,234件で、前月の10倍以上になりました。"
    "445/tcpへのアクセスは2007年6月に12.5%増え、約2倍です。"
    "「ワーム」の活動によるものと考えられ、ちょっとしたメッセージ、"
    "ポップアップ(スパム)メッセージの送信にも使われます。";

/* Spans that must stay on one line. */
static const char *const kept[] = {
	"ぜい弱性", "(1観測点)", "1,234件", "10倍以上", "445/tcp",
	"2007年6月", "12.5%", "約2倍", "コンピュータ", "メッセージ",
};

/* Never at the start of a line, never at its end. */
static const char *const bad_start[] = {
	"、", "。", ")", "」", "ー", "っ", "ょ", "ッ", "%",
};
static const char *const bad_end[] = { "(", "「" };

static int
setup(void **state)
{
	struct err e;
	struct text *t;

	t = text_create(FAMILY, &e);
	if (t == NULL)
		return -1;
	text_set_language(t, "ja");
	text_set_terms(t, "ぜい弱性");
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	text_destroy(*state);
	return 0;
}

static bool
starts_with(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

/* Checks the breaks of the paragraph laid out at width w. */
static int
check_width(struct text *t, double w, bool justify)
{
	struct err e;
	PangoLayout *l;
	GSList *lines;
	int n = 0;

	text_set_justify(t, justify);
	l = text_layout_text(t, para, strlen(para), NULL, 9.6, w,
	    PANGO_ALIGN_LEFT, &e);
	assert_non_null(l);
	lines = pango_layout_get_lines_readonly(l);
	for (GSList *g = lines; g != NULL; g = g->next) {
		PangoLayoutLine *ln = g->data;
		size_t at = (size_t)ln->start_index;

		n++;
		if (at == 0)
			continue;
		for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
			const char *k = para;

			while ((k = strstr(k, kept[i])) != NULL) {
				size_t s = (size_t)(k - para);

				if (at > s && at < s + strlen(kept[i]))
					fail_msg("width %.0f: a line breaks inside '%s' at '%.12s'",
					    w, kept[i], para + at);
				k += strlen(kept[i]);
			}
		}
		for (size_t i = 0; i < sizeof(bad_start) / sizeof(bad_start[0]);
		    i++)
			if (starts_with(para + at, bad_start[i]))
				fail_msg("width %.0f: a line starts with '%s'", w,
				    bad_start[i]);
		for (size_t i = 0; i < sizeof(bad_end) / sizeof(bad_end[0]); i++) {
			size_t bl = strlen(bad_end[i]);

			if (at >= bl && strncmp(para + at - bl, bad_end[i], bl) == 0)
				fail_msg("width %.0f: a line ends with '%s'", w,
				    bad_end[i]);
		}
	}
	g_object_unref(l);
	return n;
}

static void
test_breaks(void **state)
{
	struct text *t = *state;
	int most = 0;

	/* from about 6 characters a line to the whole paragraph on 3 lines */
	for (double w = 60; w <= 700; w += 0.5) {
		int n = check_width(t, w, (int)(w * 2) % 2 == 0);

		if (n > most)
			most = n;
	}
	assert_true(most > 20);   /* narrow widths did break it a lot */
}

/* Justified: every line but the last as wide as the column; the last one
 * flush left and shorter. */
static void
test_justify(void **state)
{
	struct text *t = *state;
	struct err e;
	PangoLayout *l;
	int n, i = 0;
	const double w = 200;

	text_set_justify(t, true);
	l = text_layout_text(t, para, strlen(para), NULL, 9.6, w,
	    PANGO_ALIGN_LEFT, &e);
	assert_non_null(l);
	n = pango_layout_get_line_count(l);
	assert_true(n > 5);
	for (GSList *g = pango_layout_get_lines_readonly(l); g != NULL;
	    g = g->next, i++) {
		PangoRectangle r;

		pango_layout_line_get_extents(g->data, NULL, &r);
		if (i < n - 1)
			assert_float_equal((double)r.width / PANGO_SCALE, w, 0.05);
		else
			assert_true((double)r.width / PANGO_SCALE < w - 5);
		assert_int_equal(r.x, 0);
	}
	g_object_unref(l);
	text_set_justify(t, false);
}

/* The marks themselves: one span for "約2倍", none of one character, the
 * spans of touching marks not merged (a break between them is allowed). */
static void
test_marks(void **state)
{
	PangoAttrList *al = pango_attr_list_new();
	const char *s = "約2倍 A 445/tcp 1";
	GSList *list, *g;
	int spans = 0;

	(void)state;
	text_mark_nobreak(s, strlen(s), NULL, al);
	list = pango_attr_list_get_attributes(al);
	for (g = list; g != NULL; g = g->next) {
		PangoAttribute *a = g->data;

		if (a->klass->type != PANGO_ATTR_ALLOW_BREAKS)
			continue;
		if (spans == 0) {
			assert_int_equal(a->start_index, 0);
			assert_int_equal(a->end_index, strlen("約2倍"));
		} else {
			assert_int_equal(a->start_index, strlen("約2倍 A "));
			assert_int_equal(a->end_index, strlen("約2倍 A 445/tcp"));
		}
		spans++;
	}
	assert_int_equal(spans, 2);
	g_slist_free_full(list, (GDestroyNotify)pango_attribute_destroy);
	pango_attr_list_unref(al);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_breaks),
		cmocka_unit_test(test_justify),
	};
	struct err e;

	if (getenv("FONTCONFIG_FILE") == NULL)
		setenv("FONTCONFIG_FILE", TALOT_SRCDIR "/fonts/fonts.conf", 1);
	if (!text_font_available(FAMILY, &e)) {
		printf("SKIP: %s\n", e.msg);
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
