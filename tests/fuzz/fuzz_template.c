/* fuzz_template.c — tpl_render_string() against a fixed context.
 *
 * Input: TEMPLATE [ '\0' VALUE [ '\0' RAW ] ].  TEMPLATE is rendered with a
 * context holding scalars (title, month, count, empty; `value` = VALUE,
 * Markdown-escaped; `raw` = RAW, inserted as is), two yes/no values (flag,
 * off), a list `items` of two items (name, share; the first also has a
 * nested list `sub` of one item) and a declared empty list `none`.
 *
 * Invariants: no crash or sanitizer report; the result is either text of at
 * most TPL_OUTPUT_MAX bytes or NULL with a non-empty message that carries
 * the template's name; a template without "{{" renders to itself; and
 * "{{value}}" renders VALUE escaped so that unescaping gives VALUE back
 * (line breaks turned into spaces).
 */
#include "fuzz_common.h"
#include "template.h"

static struct tpl_ctx *
context(const char *value, const char *raw)
{
	struct tpl_ctx *c = tpl_ctx_create(), *it, *sub;

	FUZZ_CHECK(c != NULL);
	FUZZ_CHECK(tpl_set(c, "title", "Monthly bulletin *2007*"));
	FUZZ_CHECK(tpl_set(c, "month", "2007-06"));
	FUZZ_CHECK(tpl_setf(c, "count", "%s", "1,234"));
	FUZZ_CHECK(tpl_set(c, "empty", ""));
	FUZZ_CHECK(tpl_set(c, "value", value));
	FUZZ_CHECK(tpl_set_raw(c, "raw", raw));
	FUZZ_CHECK(tpl_set_bool(c, "flag", true));
	FUZZ_CHECK(tpl_set_bool(c, "off", false));
	FUZZ_CHECK(tpl_declare_section(c, "none"));
	FUZZ_CHECK((it = tpl_section_add(c, "items")) != NULL);
	FUZZ_CHECK(tpl_set(it, "name", "135/tcp"));
	FUZZ_CHECK(tpl_set(it, "share", "34.5%"));
	FUZZ_CHECK((sub = tpl_section_add(it, "sub")) != NULL);
	FUZZ_CHECK(tpl_set(sub, "name", "CN"));
	FUZZ_CHECK((it = tpl_section_add(c, "items")) != NULL);
	FUZZ_CHECK(tpl_set(it, "name", "445/tcp"));
	FUZZ_CHECK(tpl_set_raw(it, "share", "**12.0%**"));
	/* a scalar cannot become a list, nor the reverse */
	FUZZ_CHECK(tpl_section_add(c, "title") == NULL);
	FUZZ_CHECK(!tpl_set(c, "items", "x"));
	FUZZ_CHECK(!tpl_set(c, "bad name", "x"));
	return c;
}

static bool
md_special(char c)
{
	return c != '\0' && strchr("\\`*_{}[]()<>#+-.!|~&=", c) != NULL;
}

/* "{{value}}" gives value escaped: every special character behind a
 * backslash, '\n' and '\r' as spaces, nothing else changed. */
static void
check_escape(const struct tpl_ctx *c, const char *value)
{
	struct err e = { { 0 } };
	char *out = tpl_render_string("fuzz", "{{value}}", c, &e);
	const char *o;

	FUZZ_CHECK(out != NULL);
	o = out;
	for (const char *v = value; *v; v++) {
		if (md_special(*v))
			FUZZ_CHECK(*o++ == '\\');
		FUZZ_CHECK(*o++ == ((*v == '\n' || *v == '\r') ? ' ' : *v));
	}
	FUZZ_CHECK(*o == '\0');
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *p = data, *z;
	char *text, *value, *raw, *out;
	struct tpl_ctx *c;
	struct err e;
	size_t tl;

	z = memchr(p, '\0', (size_t)(end - p));
	tl = z != NULL ? (size_t)(z - p) : size;
	text = fuzz_strdup(p, tl);
	p = z != NULL ? z + 1 : end;
	z = memchr(p, '\0', (size_t)(end - p));
	value = fuzz_strdup(p, z != NULL ? (size_t)(z - p) : (size_t)(end - p));
	p = z != NULL ? z + 1 : end;
	raw = fuzz_strdup(p, (size_t)(end - p));

	c = context(value, raw);
	memset(&e, 0, sizeof(e));
	out = tpl_render_string("fuzz.md", text, c, &e);
	if (out != NULL) {
		size_t ol = strlen(out);

		FUZZ_CHECK(ol <= TPL_OUTPUT_MAX);
		if (strstr(text, "{{") == NULL)
			FUZZ_CHECK(strcmp(out, text) == 0);
		free(out);
	} else {
		FUZZ_CHECK(fuzz_terminated(e.msg, sizeof(e.msg)));
		FUZZ_CHECK(strncmp(e.msg, "fuzz.md", 7) == 0);
	}
	check_escape(c, value);
	tpl_ctx_destroy(c);
	free(text);
	free(value);
	free(raw);
	return 0;
}
