/* render.h — one month from the store to its files: read the store once
 * (one snapshot), build the model, build the edition, hand it to each
 * renderer (PDF, XLSX, HTML with its JSON). */
#ifndef TALOT_RENDER_H
#define TALOT_RENDER_H

#include <stdbool.h>
#include <time.h>

#include "catalog.h"
#include "err.h"
#include "model.h"
#include "settings.h"
#include "langs.h"
#include "strtab.h"

enum { RENDER_PDF = 1, RENDER_XLSX = 2, RENDER_HTML = 4 };

struct render_job {
	const char *db;
	const char *out_dir;
	int formats;                 /* RENDER_PDF | RENDER_XLSX | RENDER_HTML */
	month_t first, last;         /* the months of this run: a page links
	                              * to a neighbour in this range or whose
	                              * page is already in out_dir */
	const struct lang_ctx *langs;  /* the editions to write, in order */
	size_t nlangs;
	time_t date;
};

/* Reads month m of the store into a model (one read snapshot).  The model
 * is owned by the caller (model_finish). */
bool render_load_model(const char *db, month_t m, const struct settings *set,
    struct month_model *model, struct err *e);

/* Renders month m in every language of j (the model is built once, with
 * the notable ports pinned by the first language's settings); warnings
 * collects data-quality notes. */
bool render_month(const struct render_job *j, month_t m,
    struct diag *warnings, struct err *e);

/* Locates the data folders: DIR given, else the source tree's (a build
 * that was not installed), else the installed one.  Returns a static or
 * given string. */
const char *render_template_dir(const char *given);
/* Points fontconfig at fonts/fonts.conf unless FONTCONFIG_FILE is set;
 * call before anything touches fontconfig (and before fork). */
void render_fonts_init(void);
/* Memory a render of one month takes beyond what the process holds when
 * it starts rendering (fonts, fontconfig's caches, pango's threads and
 * their stacks, cairo, libxlsxwriter), measured under `ulimit -v` on the
 * sample month with a margin; and what an export of a range takes. */
#define RENDER_MEMORY_NEED (64ULL << 20)
#define EXPORT_MEMORY_NEED (32ULL << 20)

/* Checks that the address-space and data limits (ulimit -v, -d) leave
 * need bytes beyond what the process uses now: GLib and fontconfig abort
 * or crash when an allocation fails, so a render that would run out is
 * refused before it starts.  False with e = "out of memory: …". */
bool render_memory_check(unsigned long long need, struct err *e);

/* The latest date both the PDF (cairo) and the workbook (libxlsxwriter's
 * four-digit years) can write: 9999-12-31T23:59:59Z. */
#define RENDER_DATE_MAX 253402300799LL

/* The documents' date: SOURCE_DATE_EPOCH when set (digits only, 0 to
 * RENDER_DATE_MAX), now when unset or empty.  The one place that reads the
 * variable.  False with e naming the value otherwise: callers report it
 * as a usage error (exit 2) before writing anything. */
bool render_date(time_t *date, struct err *e);

#endif
