#define _GNU_SOURCE   /* pthread_setattr_default_np */
#include "render.h"

#include <malloc.h>
#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>

#include "bulletin_html.h"
#include "bulletin_json.h"
#include "bulletin_pdf.h"
#include "bulletin_xlsx.h"
#include "edition.h"
#include "config.h"
#include "site.h"
#include "store.h"
#include "strtab.h"

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

/* pango and GLib start threads (fontconfig's font sorting): by default
 * each reserves an 8 MB stack and a 64 MB malloc arena of address space,
 * which a memory limit (ulimit -v) counts, and GLib aborts when a thread
 * cannot start.  Under such a limit, one arena and 2 MB stacks keep a
 * render's address space small and its need predictable
 * (RENDER_MEMORY_NEED).  Without one, three arenas: the workbook's
 * thread, the PDF's and its page writer (pdf_pages.c) then allocate side
 * by side instead of taking turns on one lock (the sample month, two
 * CPUs: one arena 153 ms -> two 122 ms of wall time, and half the system
 * time; with the page writer, two arenas 124 ms -> three 108 ms). */
/* The limits on a process's memory that a render respects, and how a
 * user sets them. */
static const int mem_limits[] = { RLIMIT_AS, RLIMIT_DATA };
static const char *const mem_limit_names[] = { "ulimit -v", "ulimit -d" };

static void
limit_address_space(void)
{
	pthread_attr_t a;
	bool limited = false;

	for (size_t i = 0; i < sizeof(mem_limits) / sizeof(*mem_limits); i++) {
		struct rlimit rl;

		if (getrlimit(mem_limits[i], &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY)
			limited = true;
	}
	mallopt(M_ARENA_MAX, limited ? 1 : 3);
	if (pthread_attr_init(&a) == 0) {
		pthread_attr_setstacksize(&a, (size_t)2 << 20);
		pthread_setattr_default_np(&a);
		pthread_attr_destroy(&a);
	}
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
	limit_address_space();
	/* fontconfig's own FcInit() also parses every template of
	 * /usr/share/fontconfig/conf.avail (for fc-conflist's descriptions):
	 * 43 files and a twentieth of a month's render.  The configuration
	 * is loaded here instead, exactly as FcInit() loads it otherwise. */
	{
		const char *file = getenv("FONTCONFIG_FILE");
		FcConfig *c = file != NULL && *file == '/' ?
		    FcConfigCreate() : NULL;

		if (c != NULL && FcConfigParseAndLoad(c,
		    (const FcChar8 *)file, FcTrue) && FcConfigBuildFonts(c) &&
		    FcConfigSetCurrent(c)) {
#if FC_VERSION >= 21301
			/* fontconfig holds its own reference since 2.13.1 */
			FcConfigDestroy(c);
#endif
			return;
		}
		if (c != NULL)
			FcConfigDestroy(c);
	}
	FcInit();
}

bool
render_date(time_t *date, struct err *e)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	long long v = 0;

	if (s == NULL || *s == '\0') {
		*date = time(NULL);
		return true;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > RENDER_DATE_MAX)
			return err_set(e,
			    "SOURCE_DATE_EPOCH='%.40s' is not a number of seconds 0-%lld (up to 9999-12-31T23:59:59Z)",
			    s, (long long)RENDER_DATE_MAX);
		v = v * 10 + (*p - '0');
	}
	if (v > RENDER_DATE_MAX)
		return err_set(e,
		    "SOURCE_DATE_EPOCH='%.40s' is not a number of seconds 0-%lld (up to 9999-12-31T23:59:59Z)",
		    s, (long long)RENDER_DATE_MAX);
	*date = (time_t)v;
	return true;
}

/* The process's address space in use, in bytes (0 if unknown). */
static unsigned long long
vm_size(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmSize: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

bool
render_memory_check(unsigned long long need, struct err *e)
{
	unsigned long long used = vm_size();

	for (size_t i = 0; i < sizeof(mem_limits) / sizeof(*mem_limits); i++) {
		struct rlimit rl;
		unsigned long long left;

		if (getrlimit(mem_limits[i], &rl) != 0 ||
		    rl.rlim_cur == RLIM_INFINITY)
			continue;
		left = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
		if (left < need)
			return err_set(e,
			    "out of memory: the memory limit (%s %llu) leaves %llu MB, and this needs about %llu MB more; raise the limit",
			    mem_limit_names[i], (unsigned long long)rl.rlim_cur / 1024,
			    left >> 20, need >> 20);
	}
	return true;
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

/* Does month m have (or get in this run) a page?  known_empty: m is
 * known to have no data (so no page will be written for it). */
static bool
has_page(const struct render_job *j, month_t m, const char *lang,
    bool known_empty)
{
	return (m >= j->first && m <= j->last && !known_empty) ||
	    site_page_exists(j->out_dir, m, lang);
}

/* The page and the JSON of the month, linked to its neighbours. */
static bool
write_html(const struct render_job *j, const struct edition *ed,
    bool prev_empty, struct err *e)
{
	char pdf[64], xlsx[64], json[64], prev[64], next[64], page[64];
	char prev_label[16], next_label[16], path[4096], index[32];
	char alt_href[SITE_LANGS_MAX][64], disk[SITE_LANGS_MAX][8];
	char *alt_owned[SITE_LANGS_MAX] = { NULL };
	struct html_alt alts[SITE_LANGS_MAX];
	struct html_links l = { .index = index, .alts = alts };
	month_t m = ed->month;
	size_t ndisk;
	bool ok;

	/* the index and the same month in the other languages: those of
	 * this run, and those whose page is already in the folder */
	if (strcmp(ed->lang, "ja") == 0)
		snprintf(index, sizeof(index), "index.html");
	else
		snprintf(index, sizeof(index), "index.%.7s.html", ed->lang);
	for (size_t i = 0; i < j->nlangs && l.nalts < SITE_LANGS_MAX; i++) {
		struct html_alt *a = &alts[l.nalts];

		if (strcmp(j->langs[i].name, ed->lang) == 0)
			continue;
		a->lang = j->langs[i].name;
		a->href = edition_file_name(m, a->lang, "html",
		    alt_href[l.nalts], sizeof(alt_href[0]));
		a->name = strtab_has(j->langs[i].strings, "lang.name") ?
		    strtab_get(j->langs[i].strings, "lang.name", NULL) : NULL;
		l.nalts++;
	}
	ndisk = site_page_langs(j->out_dir, m, disk, SITE_LANGS_MAX);
	for (size_t i = 0; i < ndisk && l.nalts < SITE_LANGS_MAX; i++) {
		struct html_alt *a = &alts[l.nalts];
		bool known = strcmp(disk[i], ed->lang) == 0;

		for (size_t k = 0; k < l.nalts && !known; k++)
			known = strcmp(alts[k].lang, disk[i]) == 0;
		if (known)
			continue;
		a->lang = disk[i];
		a->href = edition_file_name(m, a->lang, "html",
		    alt_href[l.nalts], sizeof(alt_href[0]));
		a->name = alt_owned[l.nalts] = site_lang_name(j->out_dir, m,
		    disk[i]);
		l.nalts++;
	}

	edition_file_name(m, ed->lang, "json", json, sizeof(json));
	snprintf(path, sizeof(path), "%s/%s", j->out_dir, json);
	if (!bulletin_json_write(ed, path, e))
		return false;
	l.json = json;
	/* the month's other files: written now or already there */
	edition_file_name(m, ed->lang, "pdf", pdf, sizeof(pdf));
	if ((j->formats & RENDER_PDF) || site_file_exists(j->out_dir, pdf))
		l.pdf = pdf;
	edition_file_name(m, ed->lang, "xlsx", xlsx, sizeof(xlsx));
	if ((j->formats & RENDER_XLSX) || site_file_exists(j->out_dir, xlsx))
		l.xlsx = xlsx;
	if (has_page(j, m - 1, ed->lang, prev_empty)) {
		l.prev = edition_file_name(m - 1, ed->lang, "html", prev,
		    sizeof(prev));
		snprintf(prev_label, sizeof(prev_label), "%04d-%02d",
		    month_year(m - 1), month_mon(m - 1));
		l.prev_label = prev_label;
	}
	if (has_page(j, m + 1, ed->lang, false)) {
		l.next = edition_file_name(m + 1, ed->lang, "html", next,
		    sizeof(next));
		snprintf(next_label, sizeof(next_label), "%04d-%02d",
		    month_year(m + 1), month_mon(m + 1));
		l.next_label = next_label;
	}
	snprintf(path, sizeof(path), "%s/%s", j->out_dir,
	    edition_file_name(m, ed->lang, "html", page, sizeof(page)));
	ok = bulletin_html_write(ed, &l, path, e);
	for (size_t i = 0; i < SITE_LANGS_MAX; i++)
		free(alt_owned[i]);
	return ok;
}

/* The workbook, written in a thread of its own while the PDF is set. */
struct xlsx_job {
	const struct edition *ed;
	const char *path;
	struct atomic_file af;
	struct err e;
	bool ok;
};

static void *
xlsx_thread(void *arg)
{
	struct xlsx_job *x = arg;

	x->ok = bulletin_xlsx_write_pending(x->ed, x->path, &x->af, &x->e);
	return NULL;
}

/* The PDF and the workbook of ed, side by side when both are asked for
 * (a render's two largest writers share nothing but the edition, which
 * neither changes).  The workbook is committed only after the PDF: a
 * failed PDF replaces neither file; a failed workbook leaves the PDF
 * written, as when they were written one after the other. */
static bool
write_pdf_xlsx(const struct render_job *j, month_t m, const char *lang,
    const struct edition *ed, struct pdf_preload *pl, struct err *e)
{
	char name[64], pdf[4096], xlsx[4096];
	struct xlsx_job x = { .ed = ed, .path = xlsx };
	pthread_t th;
	bool pdf_ok, threaded;

	snprintf(pdf, sizeof(pdf), "%s/%s", j->out_dir,
	    edition_file_name(m, lang, "pdf", name, sizeof(name)));
	snprintf(xlsx, sizeof(xlsx), "%s/%s", j->out_dir,
	    edition_file_name(m, lang, "xlsx", name, sizeof(name)));
	/* pl is NULL unless a PDF is asked for (render_month()) */
	if (!(j->formats & RENDER_XLSX))
		return !(j->formats & RENDER_PDF) ||
		    bulletin_pdf_write(ed, pl, pdf, e);
	if (!(j->formats & RENDER_PDF))
		return bulletin_xlsx_write(ed, xlsx, e);
	threaded = pthread_create(&th, NULL, xlsx_thread, &x) == 0;
	if (threaded)
		pthread_setname_np(th, "talot-xlsx");
	else
		xlsx_thread(&x);
	pdf_ok = bulletin_pdf_write(ed, pl, pdf, e);
	if (threaded)
		pthread_join(th, NULL);
	if (!pdf_ok) {
		if (x.ok)
			atomic_abort(&x.af);
		return false;
	}
	if (!x.ok) {
		*e = x.e;
		return false;
	}
	return atomic_commit(&x.af, e);
}

bool
render_month(const struct render_job *j, month_t m, struct diag *warnings,
    struct err *e)
{
	struct month_model model;
	struct pdf_preload *pl = NULL;
	bool ok, prev_empty;

	if (j->nlangs == 0)
		return err_set(e, "no language to render");
	/* the first PDF's fonts load while the store is read */
	if (j->formats & RENDER_PDF)
		pl = bulletin_pdf_preload(j->langs[0].settings.font);
	if (!render_load_model(j->db, m, &j->langs[0].settings, &model, e)) {
		bulletin_pdf_preload_free(pl);
		return false;
	}
	ok = true;
	prev_empty = !model.six[MODEL_MONTHS - 2].has_data;
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

		if (!edition_build(&model, &eo, &ed, warnings, e)) {
			ok = false;
			break;
		}
		ok = write_pdf_xlsx(j, m, l->name, &ed, pl, e);
		pl = NULL;
		if (ok && (j->formats & RENDER_HTML))
			ok = write_html(j, &ed, prev_empty, e);
		edition_free(&ed);
	}
	bulletin_pdf_preload_free(pl);
	model_finish(&model);
	return ok;
}
