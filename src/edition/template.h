/* template.h — Mustache-style expansion of Markdown templates.
 *
 * The bulletin's text lives in editable Markdown files under `templates/`.
 * Before the Markdown is parsed, this module expands placeholders from a
 * value tree built by the caller:
 *
 *   {{name}}               a scalar; Markdown punctuation in the value is
 *                          backslash-escaped unless it was set with
 *                          tpl_set_raw()
 *   {{#name}}…{{/name}}    a section: repeated once per item of a list,
 *                          shown once for true / a non-empty scalar
 *   {{^name}}…{{/name}}    inverted: shown for an empty list, false, or an
 *                          empty scalar
 *   {{! comment }}         dropped (may span lines)
 *   {{> file.md}}          another file of the same template folder
 *
 * Names are made of [A-Za-z0-9_.] (a dot is an ordinary character).
 * Inside a list section a name is looked up in the item first, then in the
 * enclosing sections, then in the root (as Mustache does).  A line that holds
 * only a section, close, comment or partial tag (and blanks) leaves no blank
 * line behind.
 *
 * Errors carry a place: "DIR/FILE:LINE: message".  A name that is neither set
 * in a visible context nor declared is an error, so a typo in a template
 * never renders silently.
 */
#ifndef TALOT_TEMPLATE_H
#define TALOT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Expanded text is capped so a template cannot expand without bound. */
#define TPL_OUTPUT_MAX ((size_t)16 * 1024 * 1024)
/* Partials may include partials up to this depth. */
#define TPL_PARTIAL_DEPTH_MAX 8
/* Sections may nest up to this depth within one file. */
#define TPL_SECTION_DEPTH_MAX 64
#define TPL_STEPS_MAX 100000      /* tokens expanded in one render (a bulletin takes ~500) */

struct tpl_ctx;

/* A new, empty root context, or NULL when out of memory.  The caller owns it
 * and frees it with tpl_ctx_destroy(). */
struct tpl_ctx *tpl_ctx_create(void);

/* Frees c and every context created under it by tpl_section_add().  NULL is
 * accepted.  Only root contexts may be destroyed; item contexts belong to
 * their parent. */
void tpl_ctx_destroy(struct tpl_ctx *c);

/* The setters copy name and value; setting a name again replaces its value
 * (a list cannot be replaced by a scalar or the reverse: false).  They return
 * false when the name is not [A-Za-z0-9_.]+, when a pointer is NULL, or when
 * out of memory. */

/* A scalar, Markdown-escaped on output. */
bool tpl_set(struct tpl_ctx *c, const char *name, const char *value);
/* A scalar inserted as is (Markdown written by an analyst). */
bool tpl_set_raw(struct tpl_ctx *c, const char *name, const char *markdown);
/* tpl_set() with a printf-formatted value. */
bool tpl_setf(struct tpl_ctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A yes/no value: {{#name}} shows its body once if true, never if false. */
bool tpl_set_bool(struct tpl_ctx *c, const char *name, bool v);

/* Adds one item to the list section `name` of c (creating the list if
 * needed) and returns the item's context, or NULL (bad name, `name` already
 * set as a non-list, out of memory).  The item is owned by c and lives as
 * long as c's root; do not destroy it. */
struct tpl_ctx *tpl_section_add(struct tpl_ctx *c, const char *name);

/* Declares `name` as a list section of c, initially empty, so that
 * {{#name}} renders nothing and {{^name}} renders its body rather than
 * failing as unknown.  Declaring an existing list is a no-op. */
bool tpl_declare_section(struct tpl_ctx *c, const char *name);

/* Expands DIR/FILE with c.  Partials are looked up in DIR.  Returns the
 * expanded text (NUL-terminated, malloc'd, the caller frees it), or NULL
 * with e set to "DIR/FILE:LINE: message". */
char *tpl_render_file(const char *dir, const char *file,
    const struct tpl_ctx *c, struct err *e);

/* Expands text with c; name_for_errors prefixes error messages.  There is no
 * template folder, so {{> partial}} is an error.  Returns as
 * tpl_render_file(). */
char *tpl_render_string(const char *name_for_errors, const char *text,
    const struct tpl_ctx *c, struct err *e);

#endif
