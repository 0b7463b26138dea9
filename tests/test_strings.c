/* test_strings.c — the strings table of a language (strings.c): parsing,
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
#include "strings.h"

static struct strings *
parse(const char *text, struct err *e)
{
	return strings_parse("t.conf", text, strlen(text), e);
}

static void
test_parse_and_expand(void **state)
{
	struct err e = { "" };
	struct strings *s = parse("# comment\n\nb = two {{x}} and {{y}}\r\n"
	    "a=one\n  c.d-e_f =  spaced value  \n", &e);
	char *v;

	(void)state;
	assert_non_null(s);
	assert_int_equal(strings_count(s), 3);
	assert_string_equal(strings_key(s, 0), "a");
	assert_string_equal(strings_get(s, "a", &e), "one");
	assert_string_equal(strings_get(s, "c.d-e_f", &e), "spaced value");
	v = strings_expand(s, "b", (struct str_arg[]){ { "x", "X{{y}}" },
	    { "y", "Y" } }, 2, &e);
	assert_non_null(v);
	/* a value is inserted as is, never expanded again */
	assert_string_equal(v, "two X{{y}} and Y");
	free(v);
	strings_free(s);
}

static void
test_errors(void **state)
{
	struct err e = { "" };
	struct strings *s;

	(void)state;
	assert_null(parse("a = 1\nnot a pair\n", &e));
	assert_string_equal(e.msg, "t.conf:2: expected \"key = value\"");
	assert_null(parse("a = 1\nb = 2\na = 3\n", &e));
	assert_string_equal(e.msg, "t.conf:3: key 'a' given twice (also line 1)");
	assert_null(parse("bad key = 1\n", &e));
	assert_non_null(strstr(e.msg, "t.conf:1: bad key"));
	assert_null(parse("a = x\x01y\n", &e));
	assert_string_equal(e.msg, "t.conf:1: control character in a string");
	assert_null(strings_parse("t.conf", "a = \xff\n", 6, &e));
	assert_non_null(strstr(e.msg, "t.conf:1:"));

	s = parse("a = {{x}}\nb = {{x\n", &e);
	assert_non_null(s);
	assert_null(strings_get(s, "missing.key", &e));
	assert_string_equal(e.msg, "t.conf: missing string 'missing.key'");
	assert_null(strings_expand(s, "a", NULL, 0, &e));
	assert_string_equal(e.msg,
	    "t.conf:1: string 'a': unknown placeholder {{x}}");
	assert_null(strings_expand(s, "b", (struct str_arg[]){ { "x", "" } },
	    1, &e));
	assert_string_equal(e.msg, "t.conf:2: string 'b': unclosed {{");
	strings_free(s);
	strings_free(NULL);
}

/* The shipped table loads, and every language folder has the same keys
 * (a language folder lacking a key is an error when it is used). */
static void
test_shipped(void **state)
{
	const char *src = getenv("TALOT_SRCDIR");
	char dir[1024];
	struct err e = { "" };
	struct strings *s;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/templates", src ? src : TALOT_SRCDIR);
	s = strings_load(dir, &e);
	if (s == NULL)
		fail_msg("%s", e.msg);
	assert_true(strings_count(s) > 100);
	assert_string_equal(strings_get(s, "lang", &e), "ja");
	strings_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_expand),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
