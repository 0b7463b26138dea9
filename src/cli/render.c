#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>

#include "bulletin_pdf.h"
#include "bulletin_xlsx.h"
#include "edition.h"
#include "config.h"
#include "store.h"

static bool
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *
render_template_dir(const char *given)
{
	if (given != NULL)
		return given;
	if (getenv("TALOT_TEMPLATE_DIR") != NULL)
		return getenv("TALOT_TEMPLATE_DIR");
	if (is_dir(TALOT_SRCDIR "/templates"))
		return TALOT_SRCDIR "/templates";
	return TALOT_DATADIR "/templates";
}

void
render_fonts_init(void)
{
	struct stat sb;

	if (getenv("FONTCONFIG_FILE") == NULL) {
		if (stat(TALOT_SRCDIR "/fonts/fonts.conf", &sb) == 0)
			setenv("FONTCONFIG_FILE", TALOT_SRCDIR "/fonts/fonts.conf", 1);
		else if (stat(TALOT_DATADIR "/fonts/fonts.conf", &sb) == 0)
			setenv("FONTCONFIG_FILE", TALOT_DATADIR "/fonts/fonts.conf", 1);
	}
	FcInit();
}

time_t
render_date(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s != NULL && *s != '\0') {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

bool
render_load_model(const char *db, month_t m, const struct settings *set,
    struct month_model *model, struct err *e)
{
	struct month_input in;
	struct key pins[MODEL_NOTABLE_MAX];
	size_t npins = settings_pins(set, m, pins, MODEL_NOTABLE_MAX);
	struct store *s = store_open(db, STORE_READ, e);
	bool ok;

	memset(model, 0, sizeof(*model));
	if (s == NULL)
		return false;
	/* one read of the store: everything the month needs, in one snapshot */
	ok = store_month_read(s, m, pins, npins, &in, e);
	store_close(s);
	if (!ok)
		return false;
	ok = model_build(&in, pins, npins, model, e);
	month_input_finish(&in);
	return ok;
}

bool
render_month(const struct render_job *j, month_t m, struct diag *warnings,
    struct err *e)
{
	struct month_model model;
	bool ok;

	if (j->nlangs == 0)
		return err_set(e, "no language to render");
	if (!render_load_model(j->db, m, &j->langs[0].settings, &model, e))
		return false;
	ok = true;
	for (size_t i = 0; ok && i < j->nlangs; i++) {
		const struct lang_ctx *l = &j->langs[i];
		struct edition ed;
		struct edition_opts eo = {
			.template_dir = l->dir,
			.strings = l->strings,
			.settings = &l->settings,
			.cat = l->cat,
			.notes_md = l->notes_md,
			.notes_name = l->notes_name,
			.date = j->date,
		};
		char name[64], path[4096];

		if (!edition_build(&model, &eo, &ed, warnings, e)) {
			ok = false;
			break;
		}
		if (j->formats & RENDER_PDF) {
			snprintf(path, sizeof(path), "%s/%s", j->out_dir,
			    edition_file_name(m, l->name, "pdf", name,
			    sizeof(name)));
			ok = bulletin_pdf_write(&ed, path, e);
		}
		if (ok && (j->formats & RENDER_XLSX)) {
			snprintf(path, sizeof(path), "%s/%s", j->out_dir,
			    edition_file_name(m, l->name, "xlsx", name,
			    sizeof(name)));
			ok = bulletin_xlsx_write(&ed, path, e);
		}
		edition_free(&ed);
	}
	model_finish(&model);
	return ok;
}
