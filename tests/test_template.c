/* test_template.c — the template engine: every construct, every error with
 * its line, escaping, partials, the bad fixtures and the real bulletin. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "template.h"

static const char *
srcdir(void)
{
	const char *s = getenv("TALOT_SRCDIR");

	return s != NULL ? s : ".";
}

static char *
path2(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* Renders text and checks the result. */
static void
check(const struct tpl_ctx *c, const char *text, const char *want)
{
	struct err e = { "" };
	char *out = tpl_render_string("t.md", text, c, &e);

	if (out == NULL)
		fail_msg("unexpected error: %s", e.msg);
	assert_string_equal(out, want);
	free(out);
}

/* Renders text and checks the error message. */
static void
check_err(const struct tpl_ctx *c, const char *text, const char *want)
{
	struct err e = { "" };
	char *out = tpl_render_string("t.md", text, c, &e);

	if (out != NULL)
		fail_msg("expected error \"%s\", got output \"%s\"", want, out);
	assert_string_equal(e.msg, want);
}

static void
test_scalar(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();

	(void)state;
	assert_true(tpl_set(c, "year", "2007"));
	assert_true(tpl_setf(c, "total", "%d,%03d", 293, 252));
	assert_true(tpl_set(c, "a.b_C9", "dotted"));
	assert_true(tpl_set(c, "empty", ""));
	check(c, "{{year}}年 {{ total }}件 {{a.b_C9}}[{{empty}}]",
	    "2007年 293,252件 dotted[]");
	/* Setting again replaces. */
	assert_true(tpl_set(c, "year", "2008"));
	check(c, "{{year}}", "2008");
	check(c, "", "");
	check(c, "no tags\n", "no tags\n");
	check(c, "single { brace } and }} alone", "single { brace } and }} alone");
	tpl_ctx_destroy(c);
}

static void
test_escape(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();

	(void)state;
	assert_true(tpl_set(c, "v", "a*b_c`d[e](f)<g>#h\\i!j|k~l&m"));
	assert_true(tpl_set(c, "num", "1,086"));
	assert_true(tpl_set(c, "list", "- item\n1. two"));
	assert_true(tpl_set(c, "label", "Ping(ICMP)"));
	assert_true(tpl_set(c, "jp", "中国、米国"));
	check(c, "{{v}}",
	    "a\\*b\\_c\\`d\\[e\\]\\(f\\)\\<g\\>\\#h\\\\i\\!j\\|k\\~l\\&m");
	check(c, "{{num}} {{jp}}", "1,086 中国、米国");
	/* A line break in a value cannot start a new Markdown block. */
	check(c, "x {{list}}", "x \\- item 1\\. two");
	check(c, "**{{label}}**", "**Ping\\(ICMP\\)**");
	/* Raw values are inserted as they are. */
	assert_true(tpl_set_raw(c, "notes", "**太字** と [リンク](http://x)\n\n- 箇条"));
	check(c, "{{notes}}\n", "**太字** と [リンク](http://x)\n\n- 箇条\n");
	tpl_ctx_destroy(c);
}

static void
test_bool_sections(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();

	(void)state;
	assert_true(tpl_set_bool(c, "yes", true));
	assert_true(tpl_set_bool(c, "no", false));
	assert_true(tpl_set(c, "full", "x"));
	assert_true(tpl_set(c, "blank", ""));
	check(c, "[{{#yes}}Y{{/yes}}][{{#no}}N{{/no}}]", "[Y][]");
	check(c, "[{{^yes}}Y{{/yes}}][{{^no}}N{{/no}}]", "[][N]");
	check(c, "[{{#full}}F{{full}}{{/full}}][{{#blank}}B{{/blank}}]",
	    "[Fx][]");
	check(c, "[{{^full}}F{{/full}}][{{^blank}}B{{/blank}}]", "[][B]");
	/* A value can be changed from bool to scalar and back. */
	assert_true(tpl_set(c, "yes", "text"));
	check(c, "{{yes}}", "text");
	assert_true(tpl_set_bool(c, "yes", false));
	check(c, "[{{#yes}}Y{{/yes}}]", "[]");
	tpl_ctx_destroy(c);
}

static void
test_list_sections(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();
	struct tpl_ctx *it;

	(void)state;
	assert_true(tpl_set(c, "mon", "6"));
	assert_true(tpl_set(c, "n", "R"));
	for (int i = 1; i <= 3; i++) {
		it = tpl_section_add(c, "items");
		assert_non_null(it);
		assert_true(tpl_setf(it, "n", "%d", i));
		assert_true(tpl_set_bool(it, "odd", i % 2 == 1));
	}
	/* The item's own name wins; parents are searched for the rest. */
	check(c, "{{#items}}{{n}}/{{mon}}{{#odd}}*{{/odd}} {{/items}}{{n}}",
	    "1/6* 2/6 3/6* R");
	check(c, "{{^items}}none{{/items}}", "");
	/* An empty, declared list. */
	assert_true(tpl_declare_section(c, "empty"));
	assert_true(tpl_declare_section(c, "empty"));
	check(c, "[{{#empty}}x{{/empty}}][{{^empty}}none{{/empty}}]",
	    "[][none]");
	/* Declaring an existing list keeps its items. */
	assert_true(tpl_declare_section(c, "items"));
	check(c, "{{#items}}{{n}}{{/items}}", "123");
	/* A list cannot become a scalar or the reverse. */
	assert_false(tpl_set(c, "items", "x"));
	assert_false(tpl_set_bool(c, "items", true));
	assert_null(tpl_section_add(c, "mon"));
	assert_false(tpl_declare_section(c, "mon"));
	tpl_ctx_destroy(c);
}

static void
test_nested_lookup(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();

	(void)state;
	assert_true(tpl_set(c, "sep", ";"));
	assert_true(tpl_set(c, "who", "root"));
	for (int i = 0; i < 2; i++) {
		struct tpl_ctx *o = tpl_section_add(c, "outer");

		assert_true(tpl_setf(o, "name", "o%d", i));
		assert_true(tpl_setf(o, "who", "outer%d", i));
		assert_true(tpl_declare_section(o, "inner"));
		for (int j = 0; j < i + 1; j++) {
			struct tpl_ctx *in = tpl_section_add(o, "inner");

			assert_true(tpl_setf(in, "v", "%d", j));
		}
	}
	/* Root-level list looked up from inside another list: the enclosing
	 * item comes before the root (Mustache's context stack). */
	assert_non_null(tpl_section_add(c, "once"));
	check(c, "{{#outer}}{{name}}:{{#inner}}{{name}}.{{v}}{{sep}}{{/inner}} "
	    "{{/outer}}", "o0:o0.0; o1:o1.0;o1.1; ");
	check(c, "{{#outer}}{{#once}}{{who}}{{/once}},{{/outer}}",
	    "outer0,outer1,");
	check_err(c, "{{#outer}}\n{{#inner}}\n{{nope}}\n{{/inner}}\n{{/outer}}\n",
	    "t.md:3: unknown placeholder {{nope}}");
	tpl_ctx_destroy(c);
}

static void
test_item_context_parents(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();
	struct tpl_ctx *it;
	struct err e;
	char *out;

	(void)state;
	assert_true(tpl_set(c, "top", "T"));
	it = tpl_section_add(c, "l");
	assert_true(tpl_set(it, "own", "O"));
	/* Rendering with an item context still sees its parents. */
	out = tpl_render_string("t.md", "{{own}}{{top}}", it, &e);
	assert_non_null(out);
	assert_string_equal(out, "OT");
	free(out);
	tpl_ctx_destroy(c);
}

static void
test_comments_and_standalone(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();

	(void)state;
	assert_true(tpl_set_bool(c, "yes", true));
	assert_true(tpl_set_bool(c, "no", false));
	assert_true(tpl_set(c, "x", "X"));
	check(c, "a{{! a comment }}b", "ab");
	check(c, "a\n{{! multi\nline\ncomment }}\nb\n", "a\nb\n");
	check(c, "a\n{{#yes}}\nin\n{{/yes}}\nb\n", "a\nin\nb\n");
	check(c, "a\n{{#no}}\nin\n{{/no}}\nb\n", "a\nb\n");
	check(c, "a\n  {{^no}}  \n\tin\n\t{{/no}}\t\nb\n", "a\n\tin\nb\n");
	check(c, "a\r\n{{#yes}}\r\nin\r\n{{/yes}}\r\nb\r\n", "a\r\nin\r\nb\r\n");
	/* At the very end, without a newline. */
	check(c, "a\n{{#yes}}\nin\n{{/yes}}", "a\nin\n");
	/* Not standalone: other text on the line, or a variable tag. */
	check(c, "a {{#yes}}in{{/yes}}\n", "a in\n");
	check(c, "{{#yes}}in{{/yes}}\n", "in\n");
	check(c, "  {{x}}  \nb", "  X  \nb");
	/* Line numbers stay right after removed lines and comments. */
	check_err(c, "{{! one\ntwo }}\n{{#yes}}\n\n{{bad}}\n{{/yes}}\n",
	    "t.md:5: unknown placeholder {{bad}}");
	tpl_ctx_destroy(c);
}

static void
test_errors(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();
	char deep[TPL_SECTION_DEPTH_MAX * 16 + 64];
	size_t n = 0;

	(void)state;
	assert_true(tpl_set(c, "x", "X"));
	assert_true(tpl_set_bool(c, "b", true));
	assert_non_null(tpl_section_add(c, "l"));
	check_err(c, "a\nb\n{{foo}}\n", "t.md:3: unknown placeholder {{foo}}");
	check_err(c, "{{#foo}}\n{{/foo}}\n", "t.md:1: unknown placeholder {{#foo}}");
	check_err(c, "\n{{^foo}}{{/foo}}", "t.md:2: unknown placeholder {{^foo}}");
	check_err(c, "a\n{{#b}}\nx\n", "t.md:2: unclosed section {{#b}} "
	    "(no {{/b}} before the end of the file)");
	check_err(c, "{{#b}}\n{{^l}}\n{{/b}}\n", "t.md:3: mismatched close tag "
	    "{{/b}}: {{^l}} from line 2 is still open");
	check_err(c, "\n\n{{/b}}", "t.md:3: close tag {{/b}} without an open "
	    "section");
	check_err(c, "a\nb {{x\n}}", "t.md:2: unterminated {{ (no }} on this "
	    "line)");
	check_err(c, "a {{x}} {{", "t.md:1: unterminated {{ (no }} on this "
	    "line)");
	check_err(c, "a\n{{! never closed\n", "t.md:2: unterminated {{ (no }} "
	    "closes this comment)");
	check_err(c, "\n{{}}", "t.md:2: empty name in {{}}");
	check_err(c, "{{#  }}", "t.md:1: empty name in {{#  }}");
	check_err(c, "{{/}}", "t.md:1: empty name in {{/}}");
	check_err(c, "{{>}}", "t.md:1: empty name in {{>}}");
	check_err(c, "\n\n\n{{fo-o}}", "t.md:4: invalid character in name "
	    "{{fo-o}} (allowed: A-Z a-z 0-9 _ .)");
	check_err(c, "{{a b}}", "t.md:1: invalid character in name {{a b}} "
	    "(allowed: A-Z a-z 0-9 _ .)");
	check_err(c, "{{{x}}}", "t.md:1: invalid character in name {{{x}} "
	    "(allowed: A-Z a-z 0-9 _ .)");
	check_err(c, "{{名前}}", "t.md:1: invalid character in name {{名前}} "
	    "(allowed: A-Z a-z 0-9 _ .)");
	check_err(c, "a\n{{l}}", "t.md:2: {{l}} is a list; use {{#l}}...{{/l}}");
	check_err(c, "{{b}}", "t.md:1: {{b}} is a yes/no value; use "
	    "{{#b}}...{{/b}}");
	check_err(c, "\n{{> part.md}}", "t.md:2: partial {{> part.md}} needs a "
	    "template folder");
	check_err(c, "ok\nbad \xC3\x28\n", "t.md:2: invalid UTF-8; save the "
	    "file as UTF-8");
	check_err(c, "\xED\xA0\x80", "t.md:1: invalid UTF-8; save the file as "
	    "UTF-8");   /* a surrogate */
	check_err(c, "\xC0\xAF", "t.md:1: invalid UTF-8; save the file as "
	    "UTF-8");   /* overlong */
	check_err(c, "\xE3\x81", "t.md:1: invalid UTF-8; save the file as "
	    "UTF-8");   /* truncated */
	/* A syntax error is found even in a section that is not shown. */
	assert_true(tpl_set_bool(c, "no", false));
	check_err(c, "{{#no}}\n{{x-y}}\n{{/no}}\n", "t.md:2: invalid character "
	    "in name {{x-y}} (allowed: A-Z a-z 0-9 _ .)");
	/* Nesting is bounded. */
	for (int i = 0; i <= TPL_SECTION_DEPTH_MAX; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{{#b}}");
	check_err(c, deep, "t.md:1: sections nested deeper than 64");
	/* Names given to the setters are checked too. */
	assert_false(tpl_set(c, "bad-name", "x"));
	assert_false(tpl_set(c, "", "x"));
	assert_false(tpl_set(c, "x", NULL));
	assert_false(tpl_set(NULL, "x", "y"));
	assert_null(tpl_section_add(c, "a b"));
	tpl_ctx_destroy(c);
}

static void
test_output_cap(void **state)
{
	struct tpl_ctx *c = tpl_ctx_create();
	size_t big = (size_t)1 << 20;
	char *text = malloc(big + 32);
	struct err e;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < 20; i++)
		assert_non_null(tpl_section_add(c, "l"));
	strcpy(text, "{{#l}}");
	memset(text + 6, 'x', big);
	strcpy(text + 6 + big, "{{/l}}");
	assert_null(tpl_render_string("t.md", text, c, &e));
	assert_string_equal(e.msg, "t.md:1: expanded text exceeds 16 MiB (is a "
	    "section repeated without bound?)");
	free(text);
	tpl_ctx_destroy(c);
}

/* Writes a file into dir. */
static void
put(const char *dir, const char *name, const char *text)
{
	char *p = path2(dir, name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void
rm(const char *dir, const char *name)
{
	char *p = path2(dir, name);

	unlink(p);
	free(p);
}

static void
test_partials(void **state)
{
	char dir[] = "/tmp/talot-tpl-XXXXXX";
	struct tpl_ctx *c = tpl_ctx_create();
	struct tpl_ctx *it;
	struct err e;
	char *out, *want;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "main.md", "# {{t}}\n\n{{> part-1.md}}\n{{#l}}\n- {{> item.md}}\n"
	    "{{/l}}\nend\n");
	put(dir, "part-1.md", "{{! contact }}\nfrom {{who}}  \nmail\n");
	put(dir, "item.md", "{{v}}/{{t}}");
	put(dir, "bad.md", "a\n{{> broken.md}}\n");
	put(dir, "broken.md", "ok\n\n{{#x}}\n");
	assert_true(tpl_set(c, "t", "T"));
	assert_true(tpl_set(c, "who", "me"));
	for (int i = 0; i < 2; i++) {
		it = tpl_section_add(c, "l");
		assert_true(tpl_setf(it, "v", "%d", i));
	}
	out = tpl_render_file(dir, "main.md", c, &e);
	if (out == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(out, "# T\n\nfrom me  \nmail\n- 0/T\n- 1/T\nend\n");
	free(out);
	/* An error inside a partial names the partial and its line. */
	assert_null(tpl_render_file(dir, "bad.md", c, &e));
	want = path2(dir, "broken.md:3: unclosed section {{#x}} (no {{/x}} "
	    "before the end of the file)");
	assert_string_equal(e.msg, want);
	free(want);
	/* The top-level file missing. */
	assert_null(tpl_render_file(dir, "none.md", c, &e));
	want = path2(dir, "none.md: cannot open: No such file or directory");
	assert_string_equal(e.msg, want);
	free(want);
	/* A trailing slash on the folder is fine. */
	{
		char *d2 = path2(dir, "");

		out = tpl_render_file(d2, "item.md", c, &e);
		assert_null(out);       /* {{v}} is only set in the items */
		want = path2(dir, "item.md:1: unknown placeholder {{v}}");
		assert_string_equal(e.msg, want);
		free(want);
		free(d2);
	}
	rm(dir, "main.md");
	rm(dir, "part-1.md");
	rm(dir, "item.md");
	rm(dir, "bad.md");
	rm(dir, "broken.md");
	rmdir(dir);
	tpl_ctx_destroy(c);
}

struct bad_case {
	const char *file;
	const char *where;    /* file named in the message */
	int line;             /* 0: no line */
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "unknown.md", "unknown.md", 3, "unknown placeholder {{foo}}" },
	{ "unclosed.md", "unclosed.md", 2, "unclosed section {{#x}} (no {{/x}} "
	    "before the end of the file)" },
	{ "mismatched.md", "mismatched.md", 5, "mismatched close tag {{/x}}: "
	    "{{#y}} from line 3 is still open" },
	{ "stray-close.md", "stray-close.md", 3, "close tag {{/x}} without an "
	    "open section" },
	{ "unterminated.md", "unterminated.md", 2, "unterminated {{ (no }} on "
	    "this line)" },
	{ "unterminated-comment.md", "unterminated-comment.md", 2,
	    "unterminated {{ (no }} closes this comment)" },
	{ "empty-name.md", "empty-name.md", 3, "empty name in {{ }}" },
	{ "empty-section-name.md", "empty-section-name.md", 8,
	    "empty name in {{#}}" },
	{ "bad-char.md", "bad-char.md", 2, "invalid character in name {{fo-o}} "
	    "(allowed: A-Z a-z 0-9 _ .)" },
	{ "bad-utf8.md", "bad-utf8.md", 3, "invalid UTF-8; save the file as "
	    "UTF-8" },
	{ "nul.md", "nul.md", 2, "NUL byte in text; save the file as plain "
	    "UTF-8 text" },
	{ "partial-outside.md", "partial-outside.md", 2, "partial "
	    "{{> ../templates-bad/unknown.md}} must name a file in the template "
	    "folder (letters, digits, '_', '-', '.'; no '/' or '..')" },
	{ "partial-absolute.md", "partial-absolute.md", 1, "partial "
	    "{{> /etc/passwd}} must name a file in the template folder (letters, "
	    "digits, '_', '-', '.'; no '/' or '..')" },
	{ "partial-missing.md", "partial-missing.md", 4, "partial "
	    "{{> no-such.md}}: @/no-such.md: cannot open: No such file or "
	    "directory" },
	{ "self.md", "self.md", 2, "partials nested deeper than 8 at "
	    "{{> self.md}} (does a partial include itself?)" },
	{ "includes-bad.md", "unknown.md", 3, "unknown placeholder {{foo}}" },
	{ "missing.md", "missing.md", 0, "cannot open: No such file or "
	    "directory" },
};

/* Replaces each '@' in msg by dir. */
static char *
expand_at(const char *msg, const char *dir)
{
	size_t n = strlen(msg) + 1;
	char *out, *o;

	for (const char *p = msg; *p; p++)
		if (*p == '@')
			n += strlen(dir);
	out = o = malloc(n);
	assert_non_null(out);
	for (const char *p = msg; *p; p++) {
		if (*p == '@') {
			strcpy(o, dir);
			o += strlen(dir);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static void
test_bad_fixtures(void **state)
{
	char *dir = path2(srcdir(), "tests/data/templates-bad");
	struct tpl_ctx *c = tpl_ctx_create();

	(void)state;
	assert_true(tpl_set(c, "x", "X"));
	assert_true(tpl_set_bool(c, "has", true));
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct err e = { "" };
		char *out = tpl_render_file(dir, bc->file, c, &e);
		char want[2048], *msg = expand_at(bc->msg, dir);

		if (bc->line > 0)
			snprintf(want, sizeof(want), "%s/%s:%d: %s", dir,
			    bc->where, bc->line, msg);
		else
			snprintf(want, sizeof(want), "%s/%s: %s", dir, bc->where,
			    msg);
		free(msg);
		if (out != NULL)
			fail_msg("%s: expected an error, got output", bc->file);
		if (strcmp(e.msg, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", bc->file, e.msg, want);
	}
	tpl_ctx_destroy(c);
	free(dir);
}

/* Fills every placeholder the renderer provides, as for June 2007. */
static struct tpl_ctx *
bulletin_ctx(bool notable, bool outage, bool notes)
{
	struct tpl_ctx *c = tpl_ctx_create();
	static const char *const labels[] = { "1026/udp", "Ping(ICMP)" };

	assert_non_null(c);
	assert_true(tpl_set(c, "title", "インターネット定点観測での観測状況について"));
	assert_true(tpl_set(c, "observatory", "TALOT2"));
	assert_true(tpl_set(c, "subtitle", "TALOT2 2007年6月の観測結果"));
	assert_true(tpl_set(c, "date", "2007年7月1日"));
	assert_true(tpl_set(c, "author", "talot 観測チーム"));
	assert_true(tpl_set(c, "month", "2007年6月"));
	assert_true(tpl_set(c, "prev_month", "2007年5月"));
	assert_true(tpl_set(c, "first_month", "2007年1月"));
	assert_true(tpl_set_bool(c, "has_prev", true));
	assert_true(tpl_set(c, "year", "2007"));
	assert_true(tpl_set(c, "mon", "6"));
	assert_true(tpl_set(c, "prev_year", "2007"));
	assert_true(tpl_set(c, "prev_mon", "5"));
	assert_true(tpl_set(c, "first_year", "2007"));
	assert_true(tpl_set(c, "first_mon", "1"));
	assert_true(tpl_set(c, "sensors", "10"));
	assert_true(tpl_set(c, "total_accesses", "293,252"));
	assert_true(tpl_set(c, "per_sensor_accesses", "1,086"));
	assert_true(tpl_set(c, "per_sensor_sources", "277"));
	assert_true(tpl_set(c, "accesses_per_source", "4"));
	assert_true(tpl_set(c, "trend_sentence", "期待しない(一方的な)アクセスは、"
	    "緩やかな減少傾向にあります。"));
	assert_true(tpl_set(c, "top_ports_sentence", "135/tcp、445/tcp"));
	assert_true(tpl_set(c, "top_sentence", "2007年6月に最も多くのアクセスが"
	    "届いた宛先は、135/tcp、445/tcpでした。"));
	assert_true(tpl_set(c, "sensors_sentence", ""));
	assert_true(tpl_set(c, "sensors_text", "10か所の観測点"));
	assert_true(tpl_set(c, "sources_text", "277"));
	assert_true(tpl_set(c, "unknown_sources_text", "277"));
	assert_true(tpl_set_bool(c, "has_traffic", true));
	assert_true(tpl_set(c, "change_sentence", "1026/udp、1027/udpへの"
	    "アクセスが増加しました。"));
	assert_true(tpl_set_bool(c, "has_outage", outage));
	assert_true(tpl_set(c, "outage_note", "6月1日から3日までは保守のため、"
	    "6月4日から30日までの観測データで集計しています。"));
	assert_true(tpl_set_bool(c, "has_notable", notable));
	assert_true(tpl_set(c, "notable_labels", "1026/udp、Ping(ICMP)"));
	assert_true(tpl_set(c, "notable_heading",
	    "1026/udp、Ping(ICMP)へのアクセスの増加"));
	assert_true(tpl_set(c, "notable_intro", "2007年5月から2007年6月までの"
	    "2か月間について、これらの宛先への発信元地域別アクセス数の変化を"
	    "次の図に示します。"));
	assert_true(tpl_set_bool(c, "any_udp", true));
	assert_true(tpl_set(c, "udp_caveat", "UDP のアクセスは発信元のアドレスを"
	    "容易に偽装できるため、地域の内訳はおおよその目安としてご覧ください。"));
	assert_true(tpl_declare_section(c, "notable"));
	for (int i = 0; notable && i < 2; i++) {
		struct tpl_ctx *it = tpl_section_add(c, "notable");

		assert_non_null(it);
		assert_true(tpl_setf(it, "n", "%d", i + 1));
		assert_true(tpl_set(it, "port_label", labels[i]));
		assert_true(tpl_set(it, "target", i == 0 ? "1026/udpポート" :
		    "Ping(ICMP)"));
		assert_true(tpl_set(it, "notable_sentence", i == 0 ?
		    "2007年6月の1026/udpポートへのアクセス数は約2倍になりました。" :
		    "Ping(ICMP)へのアクセスは新たに観測されたものです。"));
		assert_true(tpl_set(it, "explanation", i == 0 ?
		    "Windows Messenger サービスを悪用したものです。" : ""));
	}
	assert_true(tpl_set_bool(c, "has_notes", notes));
	assert_true(tpl_set_raw(c, "notes", notes ? "分析者の**コメント**です。" :
	    ""));
	return c;
}

static char *
render_bulletin(const struct tpl_ctx *c)
{
	char *dir = path2(srcdir(), "templates/ja");
	struct err e = { "" };
	char *out = tpl_render_file(dir, "bulletin.md", c, &e);

	if (out == NULL)
		fail_msg("%s", e.msg);
	free(dir);
	return out;
}

static void
test_real_bulletin(void **state)
{
	struct tpl_ctx *c = bulletin_ctx(true, true, true);
	char *out = render_bulletin(c);
	static const char *const want[] = {
		"# インターネット定点観測での観測状況について\n",
		"合計293,252件",
		"\n![](talot:fig-1.1)\n",
		"**注意** 6月1日から3日までは保守のため",
		"分析者の**コメント**です。",
		"### 2.1 1026/udp、Ping\\(ICMP\\)へのアクセスの増加",
		"2007年6月の1026/udpポートへのアクセス数は約2倍になりました。\n\n"
		    "Ping\\(ICMP\\)へのアクセスは新たに観測されたものです。",
		"これらの宛先への発信元地域別アクセス数の変化",
		"\n![](talot:fig-notable-1)\n",
		"\n![](talot:fig-notable-2)\n",
		"\nUDP のアクセスは発信元のアドレスを容易に偽装できるため",
		"**1026/udpについて** Windows Messenger",
		"\n![](talot:fig-2.3.1)\n",
		"](talot:fig-2.2.1)", "](talot:fig-2.2.2)", "](talot:fig-2.3.2)",
		"](talot:fig-2.4.1)", "](talot:fig-2.4.2)", "](talot:fig-2.4.3)",
		"](talot:fig-2.4.4)", "](talot:fig-3.1.1)", "](talot:fig-3.1.2)",
		"](talot:fig-3.2.1)", "](talot:fig-3.2.2)",
		"\n\n![](talot:port-table)\n\n",
		"## お問い合わせ先\n\ntalot 観測チーム(TALOT2 運用担当)  \n"
		    "E-mail: talot@example.org\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(out, want[i]) == NULL)
			fail_msg("missing \"%s\" in:\n%s", want[i], out);
	assert_null(strstr(out, "{{"));
	assert_null(strstr(out, "}}"));
	assert_null(strstr(out, "\n\n\n"));
	/* The UDP caveat once for the section, the explanation only when
	 * there is one. */
	assert_null(strstr(strstr(out, "UDP のアクセスは") + 1,
	    "UDP のアクセスは"));
	assert_null(strstr(out, "**Ping\\(ICMP\\)について**"));
	assert_int_equal(out[0], '#');
	free(out);
	tpl_ctx_destroy(c);

	/* A quiet month: no outage, no notable port, no notes. */
	c = bulletin_ctx(false, false, false);
	out = render_bulletin(c);
	assert_non_null(strstr(out, "### 2.1 前月から増加したアクセス"));
	assert_null(strstr(out, "注意"));
	assert_null(strstr(out, "talot:fig-notable"));
	assert_null(strstr(out, "\n\n\n"));
	free(out);
	tpl_ctx_destroy(c);
}

static void
test_destroy_null(void **state)
{
	(void)state;
	tpl_ctx_destroy(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalar),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_bool_sections),
		cmocka_unit_test(test_list_sections),
		cmocka_unit_test(test_nested_lookup),
		cmocka_unit_test(test_item_context_parents),
		cmocka_unit_test(test_comments_and_standalone),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_real_bulletin),
		cmocka_unit_test(test_destroy_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
