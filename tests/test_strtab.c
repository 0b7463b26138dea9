/* test_strtab.c — the strings table of a language (strtab.c): parsing,
 * look-ups, placeholders, and every error naming its place or key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "strtab.h"
#include "textfile.h"

static struct strtab *
parse(const char *text, struct err *e)
{
	return strtab_parse("t.conf", text, strlen(text), e);
}

static void
test_parse_and_expand(void **state)
{
	struct err e = { "" };
	struct strtab *s = parse("# comment\n\nb = two {{x}} and {{y}}\r\n"
	    "a=one\n  c.d-e_f =  spaced value  \n", &e);
	char *v;

	(void)state;
	assert_non_null(s);
	assert_int_equal(strtab_count(s), 3);
	assert_string_equal(strtab_key(s, 0), "a");
	assert_string_equal(strtab_get(s, "a", &e), "one");
	assert_string_equal(strtab_get(s, "c.d-e_f", &e), "spaced value");
	v = strtab_expand(s, "b", (struct str_arg[]){ { "x", "X{{y}}" },
	    { "y", "Y" } }, 2, &e);
	assert_non_null(v);
	/* a value is inserted as is, never expanded again */
	assert_string_equal(v, "two X{{y}} and Y");
	free(v);
	strtab_free(s);
}

static void
test_errors(void **state)
{
	struct err e = { "" };
	struct strtab *s;

	(void)state;
	assert_null(parse("a = 1\nnot a pair\n", &e));
	assert_string_equal(e.msg, "t.conf:2: expected \"key = value\"");
	assert_null(parse("a = 1\nb = 2\na = 3\n", &e));
	assert_string_equal(e.msg, "t.conf:3: key 'a' given twice (also line 1)");
	assert_null(parse("bad key = 1\n", &e));
	assert_non_null(strstr(e.msg, "t.conf:1: bad key"));
	assert_null(parse("a = x\x01y\n", &e));
	assert_string_equal(e.msg, "t.conf:1: control character in a string");
	assert_null(strtab_parse("t.conf", "a = \xff\n", 6, &e));
	assert_non_null(strstr(e.msg, "t.conf:1:"));

	s = parse("a = {{x}}\nb = {{x\n", &e);
	assert_non_null(s);
	assert_null(strtab_get(s, "missing.key", &e));
	assert_string_equal(e.msg, "t.conf: missing string 'missing.key'");
	assert_null(strtab_expand(s, "a", NULL, 0, &e));
	assert_string_equal(e.msg,
	    "t.conf:1: string 'a': unknown placeholder {{x}}");
	assert_null(strtab_expand(s, "b", (struct str_arg[]){ { "x", "" } },
	    1, &e));
	assert_string_equal(e.msg, "t.conf:2: string 'b': unclosed {{");
	strtab_free(s);
	strtab_free(NULL);
}

/* The shipped table loads, and every language folder has the same keys
 * (a language folder lacking a key is an error when it is used). */
static void
test_shipped(void **state)
{
	const char *src = getenv("TALOT_SRCDIR");
	char dir[1024];
	struct err e = { "" };
	struct strtab *s;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/templates/ja", src ? src : TALOT_SRCDIR);
	s = strtab_load(dir, &e);
	if (s == NULL)
		fail_msg("%s", e.msg);
	assert_true(strtab_count(s) > 100);
	assert_string_equal(strtab_get(s, "lang", &e), "ja");
	strtab_free(s);
}

/* Every key of one language's strings exists in the other's. */
static void
test_same_keys(void **state)
{
	const char *src = getenv("TALOT_SRCDIR");
	static const char *const langs[] = { "ja", "en" };
	struct strtab *t[2];
	struct err e = { "" };
	char dir[1024];

	(void)state;
	for (int i = 0; i < 2; i++) {
		snprintf(dir, sizeof(dir), "%s/templates/%s",
		    src ? src : TALOT_SRCDIR, langs[i]);
		t[i] = strtab_load(dir, &e);
		if (t[i] == NULL)
			fail_msg("%s", e.msg);
		assert_string_equal(strtab_get(t[i], "lang", &e), langs[i]);
	}
	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < strtab_count(t[i]); k++)
			if (!strtab_has(t[1 - i], strtab_key(t[i], k)))
				fail_msg("key '%s' of %s/strings.conf is missing from %s/strings.conf",
				    strtab_key(t[i], k), langs[i], langs[1 - i]);
	strtab_free(t[0]);
	strtab_free(t[1]);
}

/* The file names of another language's variant (notes, export). */
static void
test_path_with_lang(void **state)
{
	static const char *const cases[][2] = {
		{ "notes.md", "notes.en.md" },
		{ "dir/notes.md", "dir/notes.en.md" },
		{ "r.xlsx", "r.en.xlsx" },
		{ "notes", "notes.en" },
		{ "a.b/notes", "a.b/notes.en" },
		{ ".notes", ".notes.en" },
		{ "dir/.notes", "dir/.notes.en" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *p = path_with_lang(cases[i][0], "en");

		assert_non_null(p);
		assert_string_equal(p, cases[i][1]);
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_expand),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_same_keys),
		cmocka_unit_test(test_path_with_lang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
