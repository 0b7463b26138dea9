/* template.c — Mustache-style expansion of Markdown templates.
 *
 * A file is read, checked (UTF-8, no NUL), cut into tokens (text, {{name}},
 * {{#name}}, {{^name}}, {{/name}}, {{> file}}) with sections matched, and
 * only then expanded against the caller's value tree, so a syntax error is
 * reported wherever it is, even in a section that would not be shown.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "template.h"

#include "textfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum value_kind {
	VAL_TEXT,       /* escaped on output */
	VAL_RAW,        /* inserted as is */
	VAL_BOOL,
	VAL_LIST,
};

struct entry {
	char *name;                 /* owned */
	enum value_kind kind;
	char *text;                 /* VAL_TEXT, VAL_RAW: owned */
	bool yes;                   /* VAL_BOOL */
	struct tpl_ctx **items;     /* VAL_LIST: owned */
	size_t nitems;
};

struct tpl_ctx {
	struct tpl_ctx *parent;     /* NULL for a root */
	struct entry *entries;
	size_t nentries;
};

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE,
	TOK_PARTIAL,
};

struct tok {
	enum tok_kind kind;
	const char *s;              /* text, or the name; points into the source */
	size_t len;
	int line;                   /* line of the tag (of the text's start) */
	size_t end;                 /* TOK_SECTION, TOK_INVERTED: index of close */
};

/* One parsed file (or string). */
struct tmpl {
	char *where;                /* "DIR/FILE" or the string's name; owned */
	char *owned;                /* source buffer when read from a file */
	const char *src;
	size_t len;
	struct tok *toks;
	size_t ntoks, captoks;
};

struct frame {
	const struct tpl_ctx *ctx;
	const struct frame *up;
};

struct render {
	const char *dir;            /* NULL: partials refused */
	char *out;
	size_t len, cap;
	size_t steps;               /* tokens expanded, bounded */
	struct err *e;
};

/* ---- value tree ---------------------------------------------------------- */

static bool
name_valid(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

static struct entry *
entry_find(const struct tpl_ctx *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->nentries; i++) {
		struct entry *en = &c->entries[i];

		if (strncmp(en->name, name, len) == 0 && en->name[len] == '\0')
			return en;
	}
	return NULL;
}

/* Returns the entry for name in c, creating an empty one of kind `kind`, or
 * NULL (bad name, kind conflict with a list, out of memory). */
static struct entry *
entry_get(struct tpl_ctx *c, const char *name, enum value_kind kind)
{
	struct entry *en, *nv;
	char *copy;

	if (c == NULL || name == NULL || !name_valid(name, strlen(name)))
		return NULL;
	en = entry_find(c, name, strlen(name));
	if (en != NULL) {
		if ((en->kind == VAL_LIST) != (kind == VAL_LIST))
			return NULL;
		return en;
	}
	copy = strdup(name);
	if (copy == NULL)
		return NULL;
	nv = realloc(c->entries, (c->nentries + 1) * sizeof(*nv));
	if (nv == NULL) {
		free(copy);
		return NULL;
	}
	c->entries = nv;
	en = &c->entries[c->nentries++];
	memset(en, 0, sizeof(*en));
	en->name = copy;
	en->kind = kind;
	return en;
}

static void
ctx_free(struct tpl_ctx *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nentries; i++) {
		struct entry *en = &c->entries[i];

		for (size_t j = 0; j < en->nitems; j++)
			ctx_free(en->items[j]);
		free(en->items);
		free(en->text);
		free(en->name);
	}
	free(c->entries);
	free(c);
}

struct tpl_ctx *
tpl_ctx_create(void)
{
	return calloc(1, sizeof(struct tpl_ctx));
}

void
tpl_ctx_destroy(struct tpl_ctx *c)
{
	ctx_free(c);
}

static bool
set_text(struct tpl_ctx *c, const char *name, const char *value,
    enum value_kind kind)
{
	struct entry *en;
	char *copy;

	if (value == NULL)
		return false;
	en = entry_get(c, name, kind);
	if (en == NULL)
		return false;
	copy = strdup(value);
	if (copy == NULL)
		return false;
	free(en->text);
	en->text = copy;
	en->kind = kind;
	return true;
}

bool
tpl_set(struct tpl_ctx *c, const char *name, const char *value)
{
	return set_text(c, name, value, VAL_TEXT);
}

bool
tpl_set_raw(struct tpl_ctx *c, const char *name, const char *markdown)
{
	return set_text(c, name, markdown, VAL_RAW);
}

bool
tpl_setf(struct tpl_ctx *c, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;
	bool ok;

	if (fmt == NULL)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ok = set_text(c, name, s, VAL_TEXT);
	free(s);
	return ok;
}

bool
tpl_set_bool(struct tpl_ctx *c, const char *name, bool v)
{
	struct entry *en = entry_get(c, name, VAL_BOOL);

	if (en == NULL)
		return false;
	free(en->text);
	en->text = NULL;
	en->kind = VAL_BOOL;
	en->yes = v;
	return true;
}

struct tpl_ctx *
tpl_section_add(struct tpl_ctx *c, const char *name)
{
	struct entry *en = entry_get(c, name, VAL_LIST);
	struct tpl_ctx **nv, *item;

	if (en == NULL)
		return NULL;
	item = tpl_ctx_create();
	if (item == NULL)
		return NULL;
	nv = realloc(en->items, (en->nitems + 1) * sizeof(*nv));
	if (nv == NULL) {
		free(item);
		return NULL;
	}
	en->items = nv;
	item->parent = c;
	en->items[en->nitems++] = item;
	return item;
}

bool
tpl_declare_section(struct tpl_ctx *c, const char *name)
{
	return entry_get(c, name, VAL_LIST) != NULL;
}

/* ---- reading and checking a file ------------------------------------------ */



/* Reads path whole into a NUL-terminated malloc'd buffer. */
static bool
file_read(const char *path, char **out, size_t *outlen, struct err *e)
{
	FILE *f = text_fopen_own(path);
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return err_set(e, "%s: cannot open: %s", path,
		    text_open_strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 8192 : cap * 2;
			nb = realloc(buf, cap + 1);
			if (nb == NULL) {
				err_set(e, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len > TPL_OUTPUT_MAX) {
			err_set(e, "%s: file larger than %zu MiB", path,
			    TPL_OUTPUT_MAX >> 20);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		err_set(e, "%s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return true;
fail:
	fclose(f);
	free(buf);
	return false;
}

/* ---- tokenizer ----------------------------------------------------------- */

static void
tmpl_finish(struct tmpl *t)
{
	free(t->where);
	free(t->owned);
	free(t->toks);
	memset(t, 0, sizeof(*t));
}

static bool
tok_push(struct tmpl *t, enum tok_kind kind, const char *s, size_t len,
    int line, struct err *e)
{
	if (t->ntoks == t->captoks) {
		size_t ncap = t->captoks == 0 ? 64 : t->captoks * 2;
		struct tok *nv = realloc(t->toks, ncap * sizeof(*nv));

		if (nv == NULL)
			return err_set(e, "%s: out of memory", t->where);
		t->toks = nv;
		t->captoks = ncap;
	}
	t->toks[t->ntoks++] = (struct tok){ kind, s, len, line, 0 };
	return true;
}

static const char *
find_close(const char *s, const char *end, bool stop_at_newline)
{
	for (; s + 1 < end; s++) {
		if (s[0] == '}' && s[1] == '}')
			return s;
		if (stop_at_newline && s[0] == '\n')
			return NULL;
	}
	return NULL;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
partial_name_valid(const char *s, size_t len)
{
	if (len == 0 || s[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
		    ch == '-'))
			return false;
		if (ch == '.' && i + 1 < len && s[i + 1] == '.')
			return false;
	}
	return true;
}

/* Cuts t->src into tokens and matches sections. */
static bool
tmpl_parse(struct tmpl *t, struct err *e)
{
	const char *src = t->src, *end = t->src + t->len;
	const char *pos = src;
	size_t open[TPL_SECTION_DEPTH_MAX];
	size_t nopen = 0;
	int line = 1;

	for (;;) {
		const char *p = pos, *q, *close, *after, *ls, *name, *tagend;
		size_t nlen;
		int tagline;
		char sigil = '\0';
		enum tok_kind kind;

		while (p + 1 < end && !(p[0] == '{' && p[1] == '{'))
			p++;
		if (p + 1 >= end)
			p = end;
		tagline = line;
		for (const char *x = pos; x < p; x++)
			if (*x == '\n')
				tagline++;
		if (p == end) {
			if (p > pos && !tok_push(t, TOK_TEXT, pos, (size_t)(p - pos),
			    line, e))
				return false;
			break;
		}
		q = p + 2;
		if (q < end && *q != '\0' && strchr("#^/!>", *q) != NULL)
			sigil = *q++;
		close = find_close(q, end, sigil != '!');
		if (close == NULL)
			return err_set(e, "%s:%d: unterminated {{ (no }} %s)",
			    t->where, tagline,
			    sigil == '!' ? "closes this comment" : "on this line");
		tagend = close + 2;

		/* Standalone: only blanks around the tag on its line(s); then the
		 * whole line goes, its newline included. */
		ls = p;
		after = tagend;
		if (sigil != '\0') {
			const char *b = p, *a = tagend;

			while (b > src && is_blank(b[-1]))
				b--;
			while (a < end && is_blank(*a))
				a++;
			if ((b == src || b[-1] == '\n') &&
			    (a == end || *a == '\n' ||
			    (*a == '\r' && a + 1 < end && a[1] == '\n'))) {
				ls = b;
				after = a == end ? a : a + (*a == '\r' ? 2 : 1);
			}
		}
		if (ls > pos && !tok_push(t, TOK_TEXT, pos, (size_t)(ls - pos),
		    line, e))
			return false;
		line = tagline;
		for (const char *x = p; x < after; x++)
			if (*x == '\n')
				line++;
		pos = after;
		if (sigil == '!')
			continue;

		name = q;
		while (name < close && is_blank(*name))
			name++;
		nlen = (size_t)(close - name);
		while (nlen > 0 && is_blank(name[nlen - 1]))
			nlen--;
		if (nlen == 0)
			return err_set(e, "%s:%d: empty name in %.*s", t->where,
			    tagline, (int)(tagend - p), p);
		if (sigil == '>') {
			if (!partial_name_valid(name, nlen))
				return err_set(e, "%s:%d: partial %.*s must name a "
				    "file in the template folder (letters, digits, "
				    "'_', '-', '.'; no '/' or '..')", t->where,
				    tagline, (int)(tagend - p), p);
		} else if (!name_valid(name, nlen)) {
			return err_set(e, "%s:%d: invalid character in name %.*s "
			    "(allowed: A-Z a-z 0-9 _ .)", t->where, tagline,
			    (int)(tagend - p), p);
		}

		switch (sigil) {
		case '#': kind = TOK_SECTION; break;
		case '^': kind = TOK_INVERTED; break;
		case '/': kind = TOK_CLOSE; break;
		case '>': kind = TOK_PARTIAL; break;
		default: kind = TOK_VAR; break;
		}
		if (kind == TOK_CLOSE) {
			const struct tok *o;

			if (nopen == 0)
				return err_set(e, "%s:%d: close tag {{/%.*s}} "
				    "without an open section", t->where, tagline,
				    (int)nlen, name);
			o = &t->toks[open[nopen - 1]];
			if (o->len != nlen || memcmp(o->s, name, nlen) != 0)
				return err_set(e, "%s:%d: mismatched close tag "
				    "{{/%.*s}}: {{%c%.*s}} from line %d is still open",
				    t->where, tagline, (int)nlen, name,
				    o->kind == TOK_SECTION ? '#' : '^',
				    (int)o->len, o->s, o->line);
			t->toks[open[--nopen]].end = t->ntoks;
		}
		if (kind == TOK_SECTION || kind == TOK_INVERTED) {
			if (nopen == TPL_SECTION_DEPTH_MAX)
				return err_set(e, "%s:%d: sections nested deeper "
				    "than %d", t->where, tagline,
				    TPL_SECTION_DEPTH_MAX);
			open[nopen++] = t->ntoks;
		}
		if (!tok_push(t, kind, name, nlen, tagline, e))
			return false;
	}
	if (nopen > 0) {
		const struct tok *o = &t->toks[open[nopen - 1]];

		return err_set(e, "%s:%d: unclosed section {{%c%.*s}} "
		    "(no {{/%.*s}} before the end of the file)", t->where,
		    o->line, o->kind == TOK_SECTION ? '#' : '^', (int)o->len,
		    o->s, (int)o->len, o->s);
	}
	return true;
}

/* Loads and parses dir/file; `t` is finished by the caller either way. */
static bool
tmpl_load(struct tmpl *t, const char *dir, const char *file, struct err *e)
{
	const char *s;

	memset(t, 0, sizeof(*t));
	t->where = path_join(dir, file);
	if (t->where == NULL)
		return err_set(e, "%s/%s: out of memory", dir, file);
	if (!file_read(t->where, &t->owned, &t->len, e))
		return false;
	if (!text_check(t->where, t->owned, t->len, e))
		return false;
	s = t->owned;
	if (t->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		t->len -= 3;
	}
	t->src = s;
	return tmpl_parse(t, e);
}

/* ---- expansion ----------------------------------------------------------- */

static const struct entry *
lookup(const struct frame *f, const char *name, size_t len)
{
	const struct frame *last = f;
	const struct entry *en;

	for (; f != NULL; f = f->up) {
		if ((en = entry_find(f->ctx, name, len)) != NULL)
			return en;
		last = f;
	}
	for (const struct tpl_ctx *c = last->ctx->parent; c; c = c->parent)
		if ((en = entry_find(c, name, len)) != NULL)
			return en;
	return NULL;
}

static bool
out_reserve(struct render *r, const struct tmpl *t, int line, size_t n)
{
	size_t ncap;
	char *nb;

	if (n > TPL_OUTPUT_MAX || r->len > TPL_OUTPUT_MAX - n)
		return err_set(r->e, "%s:%d: expanded text exceeds %zu MiB "
		    "(is a section repeated without bound?)", t->where, line,
		    TPL_OUTPUT_MAX >> 20);
	if (r->len + n + 1 <= r->cap)
		return true;
	ncap = r->cap == 0 ? 4096 : r->cap;
	while (ncap < r->len + n + 1)
		ncap *= 2;
	nb = realloc(r->out, ncap);
	if (nb == NULL)
		return err_set(r->e, "%s:%d: out of memory", t->where, line);
	r->out = nb;
	r->cap = ncap;
	return true;
}

static bool
out_put(struct render *r, const struct tmpl *t, int line, const char *s,
    size_t n)
{
	if (!out_reserve(r, t, line, n))
		return false;
	memcpy(r->out + r->len, s, n);
	r->len += n;
	return true;
}

/* Characters with a meaning somewhere in Markdown inline or block syntax;
 * CommonMark allows a backslash before any ASCII punctuation. */
static bool
md_special(char c)
{
	return c != '\0' && strchr("\\`*_{}[]()<>#+-.!|~&=", c) != NULL;
}

/* Writes a scalar with Markdown punctuation escaped and line breaks turned
 * into spaces, so a value cannot change the structure around it. */
static bool
out_put_escaped(struct render *r, const struct tmpl *t, int line,
    const char *s)
{
	size_t n = 0;

	for (const char *x = s; *x; x++)
		n += md_special(*x) ? 2 : 1;
	if (!out_reserve(r, t, line, n))
		return false;
	for (const char *x = s; *x; x++) {
		if (md_special(*x))
			r->out[r->len++] = '\\';
		r->out[r->len++] = (*x == '\n' || *x == '\r') ? ' ' : *x;
	}
	return true;
}

static bool render_range(struct render *r, const struct tmpl *t, size_t from,
    size_t to, const struct frame *f, int depth);

static bool
render_partial(struct render *r, const struct tmpl *t, const struct tok *k,
    const struct frame *f, int depth)
{
	struct tmpl sub;
	char *file;
	bool ok;

	if (r->dir == NULL)
		return err_set(r->e, "%s:%d: partial {{> %.*s}} needs a template "
		    "folder", t->where, k->line, (int)k->len, k->s);
	if (depth >= TPL_PARTIAL_DEPTH_MAX)
		return err_set(r->e, "%s:%d: partials nested deeper than %d "
		    "at {{> %.*s}} (does a partial include itself?)", t->where,
		    k->line, TPL_PARTIAL_DEPTH_MAX, (int)k->len, k->s);
	file = strndup(k->s, k->len);
	if (file == NULL)
		return err_set(r->e, "%s:%d: out of memory", t->where, k->line);
	ok = tmpl_load(&sub, r->dir, file, r->e);
	if (!ok && sub.owned == NULL && r->e != NULL) {
		/* Not read at all: say which line asked for it. */
		char msg[ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", r->e->msg);
		err_set(r->e, "%s:%d: partial {{> %s}}: %s", t->where, k->line,
		    file, msg);
	}
	free(file);
	if (ok)
		ok = render_range(r, &sub, 0, sub.ntoks, f, depth + 1);
	tmpl_finish(&sub);
	return ok;
}

static bool
unknown(struct render *r, const struct tmpl *t, const struct tok *k)
{
	const char *sig = k->kind == TOK_SECTION ? "#" :
	    k->kind == TOK_INVERTED ? "^" : "";

	return err_set(r->e, "%s:%d: unknown placeholder {{%s%.*s}}", t->where,
	    k->line, sig, (int)k->len, k->s);
}

static bool
render_range(struct render *r, const struct tmpl *t, size_t from, size_t to,
    const struct frame *f, int depth)
{
	for (size_t i = from; i < to; i++) {
		const struct tok *k = &t->toks[i];
		const struct entry *en;
		bool show;

		/* nested repetition can multiply work without output: bound it */
		if (++r->steps > TPL_STEPS_MAX)
			return err_set(r->e, "%s:%d: the expansion takes more than %d steps (sections repeated inside each other?)",
			    t->where, k->line, TPL_STEPS_MAX);
		switch (k->kind) {
		case TOK_TEXT:
			if (!out_put(r, t, k->line, k->s, k->len))
				return false;
			break;
		case TOK_VAR:
			if ((en = lookup(f, k->s, k->len)) == NULL)
				return unknown(r, t, k);
			if (en->kind == VAL_LIST || en->kind == VAL_BOOL)
				return err_set(r->e, "%s:%d: {{%.*s}} is %s; use "
				    "{{#%.*s}}...{{/%.*s}}", t->where, k->line,
				    (int)k->len, k->s, en->kind == VAL_LIST ?
				    "a list" : "a yes/no value", (int)k->len,
				    k->s, (int)k->len, k->s);
			if (en->kind == VAL_RAW) {
				if (!out_put(r, t, k->line, en->text,
				    strlen(en->text)))
					return false;
			} else if (!out_put_escaped(r, t, k->line, en->text)) {
				return false;
			}
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
			if ((en = lookup(f, k->s, k->len)) == NULL)
				return unknown(r, t, k);
			if (en->kind == VAL_LIST && k->kind == TOK_SECTION) {
				for (size_t j = 0; j < en->nitems; j++) {
					struct frame sub = { en->items[j], f };

					if (!render_range(r, t, i + 1, k->end, &sub,
					    depth))
						return false;
				}
				i = k->end;
				break;
			}
			if (en->kind == VAL_LIST)
				show = en->nitems > 0;
			else if (en->kind == VAL_BOOL)
				show = en->yes;
			else
				show = en->text[0] != '\0';
			if (k->kind == TOK_INVERTED)
				show = !show;
			if (show && !render_range(r, t, i + 1, k->end, f, depth))
				return false;
			i = k->end;
			break;
		case TOK_CLOSE:
			break;
		case TOK_PARTIAL:
			if (!render_partial(r, t, k, f, depth))
				return false;
			break;
		}
	}
	return true;
}

static char *
render(struct tmpl *t, const char *dir, const struct tpl_ctx *c,
    struct err *e)
{
	struct render r = { .dir = dir, .e = e };
	struct frame f = { c, NULL };

	if (c == NULL) {
		err_set(e, "%s: no values to render with", t->where);
		return NULL;
	}
	if (!out_reserve(&r, t, 1, 0) ||
	    !render_range(&r, t, 0, t->ntoks, &f, 0)) {
		free(r.out);
		return NULL;
	}
	r.out[r.len] = '\0';
	return r.out;
}

char *
tpl_render_file(const char *dir, const char *file, const struct tpl_ctx *c,
    struct err *e)
{
	struct tmpl t;
	char *out = NULL;

	if (dir == NULL || file == NULL) {
		err_set(e, "template: no folder or file given");
		return NULL;
	}
	if (tmpl_load(&t, dir, file, e))
		out = render(&t, dir, c, e);
	tmpl_finish(&t);
	return out;
}

char *
tpl_render_string(const char *name_for_errors, const char *text,
    const struct tpl_ctx *c, struct err *e)
{
	struct tmpl t;
	char *out = NULL;

	memset(&t, 0, sizeof(t));
	t.where = strdup(name_for_errors != NULL ? name_for_errors : "template");
	if (t.where == NULL || text == NULL) {
		err_set(e, "template: %s", text == NULL ? "no text" :
		    "out of memory");
		goto done;
	}
	t.src = text;
	t.len = strlen(text);
	if (t.len > TPL_OUTPUT_MAX) {
		err_set(e, "%s: text larger than %zu MiB", t.where,
		    TPL_OUTPUT_MAX >> 20);
		goto done;
	}
	if (text_check(t.where, t.src, t.len, e) && tmpl_parse(&t, e))
		out = render(&t, NULL, c, e);
done:
	tmpl_finish(&t);
	return out;
}
