/* render.h — one month from the store to its files: read the store once
 * (one snapshot), build the model, build the edition, hand it to each
 * renderer (PDF, XLSX). */
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

enum { RENDER_PDF = 1, RENDER_XLSX = 2 };

struct render_job {
	const char *db;
	const char *out_dir;
	int formats;                 /* RENDER_PDF | RENDER_XLSX */
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
/* SOURCE_DATE_EPOCH when set and valid, else now. */
time_t render_date(void);

#endif
