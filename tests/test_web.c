/* test_web.c — the pieces of the web edition: HTML and JSON escaping, the
 * SVG of a chart made inline (prolog dropped, ids renamed in order of
 * first appearance so that equal drawings give equal bytes, role and
 * escaped label), and the site index read back from the months' JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin_json.h"
#include "site.h"
#include "svg.h"

static void
test_html_escape(void **state)
{
	struct buf b = { 0 };

	(void)state;
	html_escape(&b, "a<b>&\"c'</script>日本");
	assert_string_equal(b.s,
	    "a&lt;b&gt;&amp;&quot;c&#39;&lt;/script&gt;日本");
	buf_free(&b);
}

static void
test_json_string(void **state)
{
	struct buf b = { 0 };

	(void)state;
	json_string(&b, "x\"\\\n\t</script>&\x01中国");
	assert_string_equal(b.s,
	    "\"x\\\"\\\\\\n\\t\\u003c/script\\u003e\\u0026\\u0001中国\"");
	buf_free(&b);
}

/* A drawing with text (glyph symbols, ids and references). */
static char *
drawing(const char *label)
{
	struct svg s;
	struct buf out = { 0 };
	struct err e = { "" };

	assert_true(svg_begin(&s, 120, 40, &e));
	cairo_set_source_rgb(s.cr, 0, 0, 0);
	cairo_select_font_face(s.cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(s.cr, 12);
	cairo_move_to(s.cr, 4, 20);
	cairo_show_text(s.cr, "135/tcp");
	cairo_rectangle(s.cr, 60, 4, 20, 20);
	cairo_clip(s.cr);
	cairo_paint(s.cr);
	assert_true(svg_end(&s, "fig-x", label, &out, &e));
	return out.s;
}

static void
test_svg_inline(void **state)
{
	char *a, *b, *p;

	(void)state;
	a = drawing("445/tcp <26.9%> & \"x\"");
	b = drawing("445/tcp <26.9%> & \"x\"");
	assert_non_null(a);
	/* cairo's counters moved on between the two: the bytes did not */
	assert_string_equal(a, b);
	assert_null(strstr(a, "<?xml"));
	assert_true(strncmp(a, "<svg role=\"img\" aria-label=\"445/tcp &lt;26.9%&gt; &amp; &quot;x&quot;\"", 70) == 0);
	/* every id and reference carries the prefix */
	for (p = strstr(a, "id=\""); p != NULL; p = strstr(p + 1, "id=\""))
		assert_true(strncmp(p + 4, "fig-x-", 6) == 0);
	for (p = strstr(a, "href=\"#"); p != NULL; p = strstr(p + 1, "href=\"#"))
		assert_true(strncmp(p + 7, "fig-x-", 6) == 0);
	assert_non_null(strstr(a, "id=\"fig-x-1\""));
	/* path coordinates: two decimals at most */
	for (p = strstr(a, " d=\""); p != NULL; p = strstr(p + 1, " d=\"")) {
		const char *end = strchr(p + 4, '"');

		assert_non_null(end);
		for (const char *q = p + 4; q < end; q++)
			if (*q == '.')
				assert_true(q[1] < '0' || q[1] > '9' ||
				    q[2] < '0' || q[2] > '9' ||
				    q[3] < '0' || q[3] > '9');
	}
	assert_non_null(strstr(a, " d=\""));
	assert_true(a[strlen(a) - 1] == '>');
	free(a);
	free(b);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *s = calloc(1, 1 << 20);

	assert_non_null(fp);
	assert_non_null(s);
	assert_true(fread(s, 1, (1 << 20) - 1, fp) > 0);
	fclose(fp);
	return s;
}

#define HEADLINE(m, acc, top) \
	"{\n  \"format\": \"talot-month\",\n  \"lang\": \"ja\",\n" \
	"  \"headline\": {\"month\": \"" m "\", \"month_text\": \"" m " \\\"月\\\"\", " \
	"\"accesses\": " acc ", \"sources\": 10, \"sensors\": 2, \"sensor_days\": 4, " \
	"\"accesses_per_sensor_day\": 1.5, \"sources_per_sensor_day\": null, " \
	"\"accesses_per_source\": 2, \"top_port\": \"" top "\", " \
	"\"notable\": [\"1026/udp\", \"a\\u003cb\"], \"labels\": {\"month\": \"月\", " \
	"\"accesses\": \"アクセス\", \"sources\": \"発信元\", \"sensors\": \"s\", " \
	"\"sensor_days\": \"sd\", \"accesses_per_sensor_day\": \"apsd\", " \
	"\"sources_per_sensor_day\": \"spsd\", \"accesses_per_source\": \"aps\", " \
	"\"top_port\": \"ポート\", \"notable\": \"注目\", \"none\": \"なし\", " \
	"\"title\": \"題\", \"publisher\": \"P&Q\", \"font\": \"Noto Sans CJK JP\"}},\n" \
	"  \"figures\": []\n}\n"

static void
test_site_index(void **state)
{
	char dir[] = "/tmp/talot-test-web.XXXXXX", path[512];
	struct err e = { "" };
	char *s, *a, *b, *c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* an empty folder gets no index */
	assert_true(site_index_rebuild(dir, &e));
	snprintf(path, sizeof(path), "%s/index.html", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	write_file(dir, "talot-2007-05.json", HEADLINE("2007-05", "300", "445/tcp"));
	write_file(dir, "talot-2007-05.html", "x");
	write_file(dir, "talot-2007-06.json", HEADLINE("2007-06", "293252", "<b>&"));
	write_file(dir, "talot-2007-06.html", "x");
	write_file(dir, "talot-2007-04.json", HEADLINE("2007-04", "1", "1/tcp")); /* no page */
	write_file(dir, "talot-2007-03.html", "x"); /* no JSON */
	assert_true(site_index_rebuild(dir, &e));
	s = slurp(path);
	a = strstr(s, "href=\"talot-2007-06.html\"");
	b = strstr(s, "href=\"talot-2007-05.html\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);                   /* newest first */
	assert_null(strstr(s, "talot-2007-04.html"));
	assert_null(strstr(s, "talot-2007-03.html"));
	assert_non_null(strstr(s, "293,252"));
	assert_non_null(strstr(s, "&lt;b&gt;&amp;"));   /* decoded, re-escaped */
	assert_non_null(strstr(s, "1026/udp, a&lt;b"));
	assert_non_null(strstr(s, "2007-06 &quot;月&quot;"));
	assert_non_null(strstr(s, "<html lang=\"ja\">"));
	assert_non_null(strstr(s, "P&amp;Q"));
	c = strstr(s, "<svg role=\"img\" aria-label=\"");
	assert_non_null(c);
	free(s);
	/* a malformed JSON names its file */
	write_file(dir, "talot-2007-07.json", "{\n  \"lang\": \"ja\"\n}\n");
	write_file(dir, "talot-2007-07.html", "x");
	assert_false(site_index_rebuild(dir, &e));
	assert_non_null(strstr(e.msg, "talot-2007-07.json"));
	{
		static const char *const names[] = { "talot-2007-03.html",
			"talot-2007-04.json", "talot-2007-05.json",
			"talot-2007-05.html", "talot-2007-06.json",
			"talot-2007-06.html", "talot-2007-07.json",
			"talot-2007-07.html", "index.html" };

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			unlink(path);
		}
	}
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_svg_inline),
		cmocka_unit_test(test_site_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
