/* cmd_export.c — `talot export`: a range of months as one workbook. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "bulletin_xlsx.h"
#include "cmd.h"
#include "config.h"
#include "range.h"
#include "render.h"
#include "langs.h"
#include "range_edition.h"
#include "store.h"
#include "textfile.h"

static const char help[] =
    "usage: talot export --db FILE --month YYYY-MM --to YYYY-MM --out FILE.xlsx\n"
    "                    [--template DIR] [--lang ja,en]\n"
    "\n"
    "Writes one workbook for the months YYYY-MM .. YYYY-MM (inclusive): a\n"
    "sheet 月別 with one row per month (sensors, observed sensor-days N,\n"
    "accesses A, sources S, A/N, S/N, A/S, the top 3 ports and countries)\n"
    "with line and column charts, and monthly tables of accesses and sources\n"
    "per port and per country (top 20 over the range + その他).  Months\n"
    "without data appear with N = 0.  The file is replaced atomically.\n"
    "Port and country labels come from DIR/ports.csv and DIR/countries.csv\n"
    "(default: as talot render: TALOT_TEMPLATE_DIR, the source tree's, the\n"
    "installed templates).  --lang LIST (ja, en or ja,en) writes the workbook\n"
    "in each language: the first to FILE.xlsx, another L to FILE.L.xlsx.\n";

/* Reads first..last from the store in one snapshot.  *out owned by the
 * caller: month_data_finish() each, then free(). */
static bool
read_months(struct store *s, month_t first, month_t last,
    struct month_data **out, struct err *e)
{
	size_t n = (size_t)(last - first + 1);
	struct month_data *d = calloc(n, sizeof(*d));
	bool ok = true;

	if (d == NULL)
		return err_set(e, "out of memory");
	if (!store_snapshot_begin(s, e)) {
		free(d);
		return false;
	}
	for (size_t i = 0; i < n && ok; i++)
		ok = store_month_data(s, first + (month_t)i, &d[i], e);
	store_snapshot_end(s);
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			month_data_finish(&d[i]);
		free(d);
		return false;
	}
	*out = d;
	return true;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "month", required_argument, NULL, 'm' },
		{ "to", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "template", required_argument, NULL, 'T' },
		{ "lang", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *from_s = NULL, *to_s = NULL, *out = NULL;
	const char *tdir_opt = NULL, *langlist = "ja";
	month_t from, to;
	struct store *s = NULL;
	struct lang_ctx langs[LANGS_MAX];
	char names[LANGS_MAX][8];
	size_t nlangs = 0;
	bool loaded = false;
	struct color_month *cm = NULL;
	size_t ncm = 0;
	struct month_data *data = NULL;
	struct range_model r = { 0 };
	struct diag warn;
	struct err e = { "" };
	size_t n = 0;
	time_t date;
	int c, rc = EXIT_DATA;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'm':
			from_s = optarg;
			break;
		case 't':
			to_s = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'T':
			tdir_opt = optarg;
			break;
		case 'L':
			langlist = optarg;
			break;
		default:
			return cmd_option_other("export", c, help, argv);
		}
	}
	if (optind < argc)
		return cmd_usage_error("export", "unexpected argument '%s'",
		    argv[optind]);
	if (db == NULL)
		return cmd_usage_error("export", "--db FILE is required");
	if (from_s == NULL)
		return cmd_usage_error("export", "--month YYYY-MM is required");
	if (to_s == NULL)
		return cmd_usage_error("export", "--to YYYY-MM is required");
	if (out == NULL)
		return cmd_usage_error("export", "--out FILE.xlsx is required");
	if (!month_parse(from_s, &from))
		return cmd_usage_error("export", "--month '%s' is not YYYY-MM",
		    from_s);
	if (!month_parse(to_s, &to))
		return cmd_usage_error("export", "--to '%s' is not YYYY-MM",
		    to_s);
	if (to < from)
		return cmd_usage_error("export",
		    "--to %s is before --month %s", to_s, from_s);
	if (to - from + 1 > RANGE_MONTHS_MAX)
		return cmd_usage_error("export",
		    "%s..%s is longer than %d months", from_s, to_s,
		    RANGE_MONTHS_MAX);
	n = (size_t)(to - from + 1);
	if (!render_date(&date, &e))
		return cmd_usage_error("export", "%s", e.msg);
	if (!render_memory_check(EXPORT_MEMORY_NEED, &e)) {
		fprintf(stderr, "talot export: %s\n", e.msg);
		return EXIT_DATA;
	}

	if (!langs_parse(langlist, names, &nlangs))
		return cmd_usage_error("export",
		    "--lang takes languages like ja, en or ja,en, not '%s'",
		    langlist);

	/* SIGINT/TERM/HUP remove the workbook being written; a SIGKILLed
	 * export's leftovers go at the next export to the same file */
	atomic_signals_install();
	atomic_cleanup(out, 0);
	diag_init(&warn, DIAG_CAP_DEFAULT);
	/* the same templates as talot render */
	if (!langs_load(render_template_dir(tdir_opt), names, nlangs, NULL,
	    langs, &warn, &e)) {
		fprintf(stderr, "talot export: %s\n", e.msg);
		goto out;
	}
	loaded = true;
	s = store_open(db, STORE_READ, &e);
	if (s == NULL || !read_months(s, from, to, &data, &e) ||
	    !store_color_months(s, &cm, &ncm, &e) ||
	    !range_build(data, n, &r, &e)) {
		fprintf(stderr, "talot export: %s\n", e.msg);
		goto out;
	}
	for (size_t i = 0; i < nlangs; i++) {
		struct range_edition red;
		char *path = i == 0 ? strdup(out) : path_with_lang(out, langs[i].name);
		bool ok;

		if (path == NULL) {
			fprintf(stderr, "talot export: out of memory\n");
			goto out;
		}
		ok = range_edition_build(&r, langs[i].cat, &langs[i].settings,
		    langs[i].strings, cm, ncm, date, &red, &warn, &e);
		if (ok) {
			ok = bulletin_xlsx_write_range(&red, path, &e);
			range_edition_free(&red);
		}
		free(path);
		if (!ok) {
			fprintf(stderr, "talot export: %s\n", e.msg);
			goto out;
		}
	}
	rc = EXIT_OK;
out:
	diag_print_warnings(&warn, "talot export: ");
	diag_finish(&warn);
	range_finish(&r);
	if (data != NULL) {
		for (size_t i = 0; i < n; i++)
			month_data_finish(&data[i]);
		free(data);
	}
	free(cm);
	store_close(s);
	if (loaded)
		langs_free(langs, nlangs);
	return rc;
}
