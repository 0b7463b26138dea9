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
#include "strings.h"

enum { RENDER_PDF = 1, RENDER_XLSX = 2, RENDER_HTML = 4 };

struct render_job {
	const char *db;
	const char *out_dir;
	int formats;                 /* RENDER_PDF | RENDER_XLSX | RENDER_HTML */
	month_t first, last;         /* the months of this run: a page links
	                              * to a neighbour in this range or whose
	                              * page is already in out_dir */
	const char *template_dir;
	const struct settings *settings;
	const struct catalog *cat;
	const struct strings *strings;  /* the language's words */
	const char *notes_md;        /* or NULL */
	const char *notes_name;
	time_t date;
};

/* Reads month m of the store into a model (one read snapshot).  The model
 * is owned by the caller (model_finish). */
bool render_load_model(const char *db, month_t m, const struct settings *set,
    struct month_model *model, struct err *e);

/* Renders month m; warnings collects data-quality notes. */
bool render_month(const struct render_job *j, month_t m,
    struct diag *warnings, struct err *e);

/* Locates the data folders: DIR given, else the source tree's (a build
 * that was not installed), else the installed one.  Returns a static or
 * given string. */
const char *render_template_dir(const char *given);
/* Points fontconfig at fonts/fonts.conf unless FONTCONFIG_FILE is set;
 * call before anything touches fontconfig (and before fork). */
void render_fonts_init(void);
/* SOURCE_DATE_EPOCH when set and valid, else now. */
time_t render_date(void);

#endif
