/* test_xlsx.c — the workbooks, read back.
 *
 * A month model is built by hand from a small month_input, written with
 * bulletin_xlsx_write() and unzipped by tests/xlsx_check.py (python3,
 * standard library), whose one-fact-per-line dump is checked here: the
 * summary numbers, the kinds of the charts and where their series point,
 * number cells stored as numbers, a "=1+1" label kept as a string,
 * byte-identical output under SOURCE_DATE_EPOCH, and (when LibreOffice is
 * installed) a conversion to PDF.  The range model is checked against
 * hand-computed numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin_xlsx.h"
#include "catalog.h"
#include "config.h"
#include "edition.h"
#include "labels.h"
#include "model.h"
#include "range.h"
#include "range_edition.h"
#include "settings.h"
#include "strtab.h"
#include "xlsx_lang.h"
#include "store.h"

#define M_JUNE month_make(2007, 6)
#define SENSORS 2
#define TEST_DATE ((time_t)1183248000)   /* 2007-07-01T00:00:00Z */

/* ---- fixtures ---- */

static char tmpdir[256];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *
tmp_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

static struct catalog *
test_catalog(void)
{
	char dir[300], p[400];
	struct err e = { "" };
	struct catalog *cat;

	tmp_path("tpl", dir, sizeof(dir));
	mkdir(dir, 0700);
	snprintf(p, sizeof(p), "%s/ports.csv", dir);
	write_file(p, "proto,port,label,explanation\n"
	    "tcp,135,135/tcp,RPC\n"
	    "tcp,445,445/tcp,SMB\n"
	    "udp,1026,1026/udp,Messenger\n"
	    "udp,1027,1027/udp,Messenger\n");
	snprintf(p, sizeof(p), "%s/countries.csv", dir);
	/* KR's name is a formula-looking label; JP is missing on purpose */
	write_file(p, "code,name\nCN,中国\nUS,米国\nKR,=1+1\n");
	cat = catalog_load(dir, &e);
	if (cat == NULL)
		fail_msg("catalog: %s", e.msg);
	return cat;
}

static void
add_cell(struct cell **v, size_t *n, struct key k, int64_t a, int64_t s)
{
	for (size_t i = 0; i < *n; i++) {
		if (key_equal(&(*v)[i].key, &k)) {
			(*v)[i].c.accesses += a;
			(*v)[i].c.sources += s;
			return;
		}
	}
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	(*v)[*n].key = k;
	(*v)[*n].c.accesses = a;
	(*v)[*n].c.sources = s;
	(*n)++;
}

static void
add_day(struct day_cell **v, size_t *n, int day, struct key k, int64_t a,
    int64_t s)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	(*v)[*n] = (struct day_cell){ .day = day, .key = k,
		.c = { .accesses = a, .sources = s } };
	(*n)++;
}

/* Six months 2007-01..06 at two sensors; March without data; June observed
 * 4–30 (1–3 unobserved).  June's 1026/udp and 1027/udp more than double
 * May's: the two notable ports. */
static void
fill_input(struct month_input *in)
{
	static const int ports[][2] = { { PROTO_TCP, 135 }, { PROTO_TCP, 445 },
		{ PROTO_UDP, 1026 }, { PROTO_UDP, 1027 }, { PROTO_TCP, 22 } };
	static const char *const ccs[] = { "CN", "US", "KR", "JP" };

	memset(in, 0, sizeof(*in));
	in->month = M_JUNE;
	for (int i = 0; i < MODEL_MONTHS; i++) {
		struct month_data *d = &in->six[i];
		month_t mo = M_JUNE - (MODEL_MONTHS - 1) + i;
		int nd = month_days(mo);

		d->month = mo;
		if (i == 2 || i == 5)
			continue;       /* March: no data; June: below */
		d->sensors = SENSORS;
		d->sensor_days = (int64_t)nd * SENSORS;
		for (int day = 1; day <= nd; day++)
			d->sensors_per_day[day] = SENSORS;
		/* 135/tcp falls gently; 1026/1027 double in June */
		add_cell(&d->ports, &d->nports, key_port(PROTO_TCP, 135),
		    1000 - 40 * i, 300);
		add_cell(&d->ports, &d->nports, key_port(PROTO_TCP, 445),
		    400, 100);
		add_cell(&d->ports, &d->nports, key_port(PROTO_UDP, 1026),
		    100, 30);
		add_cell(&d->ports, &d->nports, key_port(PROTO_UDP, 1027),
		    60, 20);
		add_cell(&d->ports, &d->nports, key_port(PROTO_TCP, 22),
		    54, 27);
		d->total.accesses = 1000 - 40 * i + 400 + 100 + 60 + 54;
		d->total.sources = 300 + 100 + 30 + 20 + 27;
		add_cell(&d->countries, &d->ncountries, key_country("CN"),
		    d->total.accesses / 2, d->total.sources / 2);
		add_cell(&d->countries, &d->ncountries, key_country("US"),
		    d->total.accesses - d->total.accesses / 2,
		    d->total.sources - d->total.sources / 2);
	}
	/* June: day cells, then monthly sums from them */
	{
		struct month_data *d = &in->six[5];

		d->sensors = SENSORS;
		for (int day = 4; day <= 30; day++) {
			int64_t pa[5] = { 20, 10 + day % 3, 10, 5, 2 };
			int64_t ps[5] = { 5, 4, 2, 2, 1 };
			int64_t ca[4] = { 20, 10 + day % 3, 15, 2 };
			int64_t cs[4] = { 5, 4, 4, 1 };

			d->sensors_per_day[day] = SENSORS;
			d->sensor_days += SENSORS;
			for (int p = 0; p < 5; p++) {
				struct key k = key_port(ports[p][0], ports[p][1]);

				add_day(&in->day_ports, &in->nday_ports, day, k,
				    pa[p], ps[p]);
				add_cell(&d->ports, &d->nports, k, pa[p], ps[p]);
				d->total.accesses += pa[p];
				d->total.sources += ps[p];
			}
			for (int c = 0; c < 4; c++) {
				struct key k = key_country(ccs[c]);

				add_day(&in->day_countries, &in->nday_countries,
				    day, k, ca[c], cs[c]);
				add_cell(&d->countries, &d->ncountries, k, ca[c],
				    cs[c]);
			}
		}
	}
}

/* The per-day-country rows of a notable port over May and June. */
static void
notable_rows(const struct key *port, struct port_day_country *rows,
    size_t *n)
{
	*n = 0;
	for (int day = 1; day <= 31; day++) {
		rows[(*n)++] = (struct port_day_country){ .month = M_JUNE - 1,
			.day = day, .cc = "KR", .c = { 2, 1 } };
		rows[(*n)++] = (struct port_day_country){ .month = M_JUNE - 1,
			.day = day, .cc = "CN", .c = { port->port == 1026 ? 1 :
			0, 1 } };
	}
	for (int day = 4; day <= 30; day++) {
		rows[(*n)++] = (struct port_day_country){ .month = M_JUNE,
			.day = day, .cc = "KR", .c = { port->port == 1026 ? 8 :
			4, 2 } };
		rows[(*n)++] = (struct port_day_country){ .month = M_JUNE,
			.day = day, .cc = "US", .c = { 2, 1 } };
	}
}

static void
build_model(struct month_model *m)
{
	struct month_input in;
	struct err e = { "" };
	struct port_day_country rows[200];
	size_t n;

	fill_input(&in);
	if (!model_build(&in, NULL, 0, m, &e))
		fail_msg("model_build: %s", e.msg);
	month_input_finish(&in);
	assert_int_equal(m->nnotable, 2);
	for (size_t i = 0; i < m->nnotable; i++) {
		notable_rows(&m->notable[i].key, rows, &n);
		if (!model_notable_fill(m, i, rows, n, &e))
			fail_msg("model_notable_fill: %s", e.msg);
	}
}

/* ---- writing through the edition, as talot render does ---- */

/* Builds the edition of m with the source tree's templates (strings and
 * settings) and writes its workbook to path. */
static bool
write_month_dated(const struct month_model *m, const struct catalog *cat,
    time_t date, const char *path, struct diag *warn, struct err *e)
{
	const char *src = getenv("TALOT_SRCDIR");
	char dir[1024];
	struct settings set;
	struct strtab *strs;
	struct edition ed;
	struct edition_opts o = { 0 };
	bool ok;

	snprintf(dir, sizeof(dir), "%s/templates/ja", src ? src : TALOT_SRCDIR);
	if (!settings_load(dir, &set, e) ||
	    (strs = strtab_load(dir, e)) == NULL)
		return false;
	o.template_dir = dir;
	o.strings = strs;
	o.settings = &set;
	o.cat = cat;
	o.date = date;
	ok = edition_build(m, &o, &ed, warn, e);
	if (ok) {
		ok = bulletin_xlsx_write(&ed, path, e);
		edition_free(&ed);
	}
	strtab_free(strs);
	return ok;
}

/* The range workbook through its edition, in Japanese, with the source
 * tree's strings and settings and no catalogue (labels by code). */
static bool
write_range(const struct range_model *r, const char *path, struct err *e)
{
	const char *src = getenv("TALOT_SRCDIR");
	char dir[1024];
	struct settings set;
	struct strtab *strs;
	struct range_edition red;
	bool ok;

	snprintf(dir, sizeof(dir), "%s/templates/ja", src ? src : TALOT_SRCDIR);
	if (!settings_load(dir, &set, e) ||
	    (strs = strtab_load(dir, e)) == NULL)
		return false;
	ok = range_edition_build(r, NULL, &set, strs, NULL, 0, TEST_DATE,
	    &red, NULL, e);
	if (ok) {
		ok = bulletin_xlsx_write_range(&red, path, e);
		range_edition_free(&red);
	}
	strtab_free(strs);
	return ok;
}

static bool
write_month(const struct month_model *m, const struct catalog *cat,
    const char *path, struct diag *warn, struct err *e)
{
	return write_month_dated(m, cat, TEST_DATE, path, warn, e);
}

/* ---- reading a workbook back ---- */

static char *
dump(const char *xlsx)
{
	const char *src = getenv("TALOT_SRCDIR");
	char cmd[2048];
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	FILE *p;
	size_t r;

	assert_non_null(buf);
	snprintf(cmd, sizeof(cmd), "python3 '%s/tests/xlsx_check.py' '%s'",
	    src != NULL ? src : TALOT_SRCDIR, xlsx);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((r = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += r;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[len] = '\0';
	assert_int_equal(pclose(p), 0);
	return buf;
}

/* The n-th line (0-based) starting with prefix, copied into line; false if
 * there is none. */
static bool
find_line(const char *d, const char *prefix, size_t nth, char *line,
    size_t len)
{
	size_t plen = strlen(prefix);

	for (const char *p = d; *p != '\0';) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);

		if (l >= plen && strncmp(p, prefix, plen) == 0 && nth-- == 0) {
			snprintf(line, len, "%.*s", (int)l, p);
			return true;
		}
		p += l + (eol ? 1 : 0);
	}
	return false;
}

static size_t
count_lines(const char *d, const char *prefix)
{
	char line[4096];
	size_t n = 0;

	while (find_line(d, prefix, n, line, sizeof(line)))
		n++;
	return n;
}

/* Field i (0-based, tab-separated) of line, in place. */
static const char *
field(char *line, int i)
{
	char *p = line, *t;

	while (i-- > 0) {
		p = strchr(p, '\t');
		if (p == NULL)
			return "";
		p++;
	}
	t = strchr(p, '\t');
	if (t != NULL)
		*t = '\0';
	return p;
}

/* The cell SHEET!REF: its type ("n", "s" …) and value; false if empty. */
static bool
cell(const char *d, const char *sheet, const char *ref, char *type,
    char *value, size_t len)
{
	char prefix[256], line[4096], l2[4096];

	snprintf(prefix, sizeof(prefix), "cell\t%s\t%s\t", sheet, ref);
	if (!find_line(d, prefix, 0, line, sizeof(line)))
		return false;
	memcpy(l2, line, sizeof(l2));
	snprintf(type, 8, "%s", field(line, 3));
	snprintf(value, len, "%s", field(l2, 4));
	return true;
}

static double
cell_number(const char *d, const char *sheet, const char *ref)
{
	char t[8], v[256];

	if (!cell(d, sheet, ref, t, v, sizeof(v)))
		fail_msg("%s!%s is empty", sheet, ref);
	if (strcmp(t, "n") != 0)
		fail_msg("%s!%s is not a number (type %s)", sheet, ref, t);
	return strtod(v, NULL);
}

static void
assert_cell_text(const char *d, const char *sheet, const char *ref,
    const char *want)
{
	char t[8], v[1024];

	if (!cell(d, sheet, ref, t, v, sizeof(v)))
		fail_msg("%s!%s is empty, want '%s'", sheet, ref, want);
	assert_string_equal(t, "s");
	assert_string_equal(v, want);
}

/* The summary value (column B) of the row labelled label (column A). */
static double
summary_number(const char *d, const char *label)
{
	for (int row = 4; row < 40; row++) {
		char ref[16], t[8], v[256];

		snprintf(ref, sizeof(ref), "A%d", row);
		if (cell(d, "概要", ref, t, v, sizeof(v)) &&
		    strcmp(v, label) == 0) {
			snprintf(ref, sizeof(ref), "B%d", row);
			return cell_number(d, "概要", ref);
		}
	}
	fail_msg("no summary row '%s'", label);
	return NAN;
}

static const char *
summary_text(const char *d, const char *label, char *out, size_t len)
{
	for (int row = 4; row < 40; row++) {
		char ref[16], t[8], v[256];

		snprintf(ref, sizeof(ref), "A%d", row);
		if (cell(d, "概要", ref, t, v, sizeof(v)) &&
		    strcmp(v, label) == 0) {
			snprintf(ref, sizeof(ref), "B%d", row);
			if (!cell(d, "概要", ref, t, out, len))
				fail_msg("summary '%s' is empty", label);
			assert_string_equal(t, "s");
			return out;
		}
	}
	fail_msg("no summary row '%s'", label);
	return NULL;
}

static bool
file_equal(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa != NULL && fb != NULL;
	int ca, cb;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			same = false;
		if (ca == EOF || cb == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* ---- month workbook ---- */

/* Every chart's text of dump d in the template's family (BIZ UDPGothic),
 * and at least min_runs text runs, each Japanese with the family as its
 * Latin, East Asian and complex-script typeface, in schema order. */
static void
assert_chart_text_ja(const char *d, size_t min_runs)
{
	char line[4096], l[4096];
	size_t nruns = 0;

	assert_true(count_lines(d, "font\t") > 0);
	for (size_t i = 0; find_line(d, "font\t", i, line, sizeof(line)); i++)
		assert_string_equal(field(line, 2), "BIZ UDPGothic");
	for (size_t i = 0; find_line(d, "textrun\t", i, line, sizeof(line));
	    i++, nruns++) {
		memcpy(l, line, sizeof(l));
		assert_true(atoi(field(l, 2)) > 0);
		memcpy(l, line, sizeof(l));
		assert_string_equal(field(l, 3), "ja-JP");
		for (int k = 4; k <= 6; k++) {
			memcpy(l, line, sizeof(l));
			assert_string_equal(field(l, k), "BIZ UDPGothic");
		}
		memcpy(l, line, sizeof(l));
		assert_string_equal(field(l, 7), "ok");
	}
	assert_true(nruns >= min_runs);
	for (size_t i = 0; find_line(d, "chartlang\t", i, line, sizeof(line));
	    i++)
		assert_string_equal(field(line, 2), "ja-JP");
}

static char *month_dump;       /* the dump of the month workbook */
static struct month_model model;
static struct diag warnings;

static int
setup(void **state)
{
	char path[400];
	struct catalog *cat;
	struct err e = { "" };

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/talot-test-xlsx-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	setenv("SOURCE_DATE_EPOCH", "1183248000", 1);
	build_model(&model);
	cat = test_catalog();
	diag_init(&warnings, DIAG_CAP_DEFAULT);
	if (!write_month(&model, cat, tmp_path("talot-2007-06.xlsx",
	    path, sizeof(path)), &warnings, &e)) {
		fprintf(stderr, "bulletin_xlsx_write: %s\n", e.msg);
		catalog_destroy(cat);
		return -1;
	}
	catalog_destroy(cat);
	month_dump = dump(path);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[400];

	(void)state;
	free(month_dump);
	model_finish(&model);
	diag_finish(&warnings);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (getenv("TALOT_KEEP_TMP") == NULL && system(cmd) != 0)
		return -1;
	return 0;
}

static void
test_summary(void **state)
{
	const char *d = month_dump;
	const struct month_summary *s = model.cur;
	char buf[256];

	(void)state;
	assert_int_equal(s->sensor_days, 27 * SENSORS);
	assert_true(summary_number(d, "観測点数") == s->sensors);
	assert_true(summary_number(d, "観測できた観測点・日数") ==
	    (double)s->sensor_days);
	assert_true(summary_number(d, "観測できなかった観測点・日数") ==
	    (double)model.missing_sensor_days);
	assert_true(summary_number(d, "観測できなかった観測点・日数") == 6);
	assert_true(summary_number(d, "アクセス総数") ==
	    (double)s->total.accesses);
	assert_true(summary_number(d, "発信元数(延べ)") ==
	    (double)s->total.sources);
	assert_float_equal(summary_number(d, "1観測点・1日あたりのアクセス数"),
	    s->accesses_per_sensor_day, 1e-9);
	assert_float_equal(summary_number(d, "1観測点・1日あたりの発信元数"),
	    s->sources_per_sensor_day, 1e-9);
	assert_float_equal(summary_number(d, "発信元1件あたりのアクセス数"),
	    s->accesses_per_source, 1e-9);
	assert_string_equal(summary_text(d, "対象月", buf, sizeof(buf)),
	    "2007年6月");
	assert_string_equal(summary_text(d, "観測期間", buf, sizeof(buf)),
	    "6/4～6/30");
	assert_string_equal(summary_text(d, "観測できなかった日", buf,
	    sizeof(buf)), "6月1日～3日");
	summary_text(d, "6か月の傾向(1観測点・1日あたりのアクセス数)", buf,
	    sizeof(buf));
	assert_true(strstr(buf, "傾向") != NULL || strcmp(buf, "横ばい") == 0);
	/* the notable ports, with ratio and dominant country */
	assert_cell_text(d, "概要", "A21", "1026/udp");
	assert_true(cell_number(d, "概要", "B21") == model.notable[0].prev);
	assert_true(cell_number(d, "概要", "C21") == model.notable[0].cur);
	assert_float_equal(cell_number(d, "概要", "D21"),
	    model.notable[0].ratio, 1e-9);
	assert_cell_text(d, "概要", "E21", model.notable[0].ratio_text);
	assert_cell_text(d, "概要", "F21", "=1+1");
	assert_float_equal(cell_number(d, "概要", "G21"),
	    model.notable[0].dominant_share, 1e-9);
	assert_cell_text(d, "概要", "A22", "1027/udp");
	/* the catalogue gap is reported */
	{
		bool jp = false;

		for (size_t i = 0; i < warnings.nwarnings; i++)
			if (strstr(warnings.warnings[i], "JP") != NULL)
				jp = true;
		assert_true(jp);
	}
}

static void
test_charts(void **state)
{
	const char *d = month_dump;
	size_t n = count_lines(d, "chart\t"), nline = 0, npie = 0,
	    nstacked = 0, npercent = 0;
	char line[4096];

	(void)state;
	/* 図1.1 as two line charts (no secondary axis), one per notable port,
	 * 2.2.x 2, 2.3.x 2, 2.4.x 4, 3.x 4 */
	assert_int_equal(n, 2 + model.nnotable + 12);
	for (size_t i = 0; i < n; i++) {
		char kind[64], grouping[64];

		assert_true(find_line(d, "chart\t", i, line, sizeof(line)));
		snprintf(kind, sizeof(kind), "%s", field(line, 3));
		assert_true(find_line(d, "chart\t", i, line, sizeof(line)));
		snprintf(grouping, sizeof(grouping), "%s", field(line, 4));
		if (strcmp(kind, "lineChart") == 0)
			nline++;
		else if (strcmp(kind, "pieChart") == 0)
			npie++;
		else if (strcmp(kind, "barChart") == 0 &&
		    strcmp(grouping, "stacked") == 0)
			nstacked++;
		else if (strcmp(kind, "barChart") == 0 &&
		    strcmp(grouping, "percentStacked") == 0)
			npercent++;
		else
			fail_msg("unexpected chart %s %s", kind, grouping);
	}
	assert_int_equal(nline, 2);
	assert_int_equal(npie, 4);
	assert_int_equal(nstacked, model.nnotable + 4);
	assert_int_equal(npercent, 4);

	/* the chart files exist as xl/charts/chartN.xml, numbered 1..n */
	for (size_t i = 1; i <= n; i++) {
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "chart\txl/charts/chart%zu.xml\t",
		    i);
		assert_true(find_line(d, prefix, 0, line, sizeof(line)));
	}

	/* every series points into the sheet that holds its chart */
	for (size_t i = 0; find_line(d, "series\t", i, line, sizeof(line));
	    i++) {
		char part[128], prefix[256], cline[4096], quoted[200];
		char l[4096];

		memcpy(l, line, sizeof(l));
		snprintf(part, sizeof(part), "%s", field(l, 1));
		snprintf(prefix, sizeof(prefix), "chart\t%s\t", part);
		assert_true(find_line(d, prefix, 0, cline, sizeof(cline)));
		snprintf(quoted, sizeof(quoted), "'%s'!", field(cline, 2));
		memcpy(l, line, sizeof(l));
		assert_true(strncmp(field(l, 3), quoted, strlen(quoted)) == 0);
		memcpy(l, line, sizeof(l));
		assert_true(strncmp(field(l, 4), quoted, strlen(quoted)) == 0);
		memcpy(l, line, sizeof(l));
		assert_true(strncmp(field(l, 5), quoted, strlen(quoted)) == 0);
	}

	/* exact ranges and titles of a few figures */
	assert_true(find_line(d, "series\txl/charts/chart1.xml\t0\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 3), "'図1.1 推移'!$A$4:$A$9");
	assert_true(find_line(d, "series\txl/charts/chart1.xml\t0\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 4), "'図1.1 推移'!$F$4:$F$9");
	assert_true(find_line(d, "series\txl/charts/chart2.xml\t0\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 4), "'図1.1 推移'!$G$4:$G$9");
	/* notable 1: 31 days of May + 30 of June */
	assert_true(find_line(d, "series\txl/charts/chart3.xml\t0\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 4), "'図2.1.1 1026-udp'!$C$4:$C$64");
	assert_true(find_line(d, "chart\txl/charts/chart3.xml\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 6),
	    "図 2.1.1 2007年5月～2007年6月の1026/udpポートへの発信元地域別アクセス数の変化");
	/* 2.2.1: 30 days, one series per key of ports_acc */
	assert_true(find_line(d, "chart\txl/charts/chart5.xml\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 2), "図2.2.1 日別ポート別アクセス数");
	assert_true(find_line(d, "chart\txl/charts/chart5.xml\t", 0, line,
	    sizeof(line)));
	assert_int_equal(atoi(field(line, 5)), (int)model.ports_acc.nkeys);
	assert_true(find_line(d, "series\txl/charts/chart5.xml\t1\t", 0, line,
	    sizeof(line)));
	{
		char l[4096];

		memcpy(l, line, sizeof(l));
		assert_string_equal(field(l, 3),
		    "'図2.2.1 日別ポート別アクセス数'!$A$4:$A$33");
		memcpy(l, line, sizeof(l));
		assert_string_equal(field(l, 4),
		    "'図2.2.1 日別ポート別アクセス数'!$D$4:$D$33");
		memcpy(l, line, sizeof(l));
		assert_string_equal(field(l, 5),
		    "'図2.2.1 日別ポート別アクセス数'!$D$3");
	}
	/* 2.3.1: a pie titled like the PDF caption, slices in PDF colours */
	assert_true(find_line(d, "chart\txl/charts/chart7.xml\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 6),
	    "図 2.3.1 2007年6月の宛先(ポート種類)別アクセス数の比率");
	assert_true(find_line(d, "chart\txl/charts/chart7.xml\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 3), "pieChart");
	for (size_t k = 0; k < model.ports_acc.nkeys; k++) {
		struct chart_rgb c = label_color(&model, &model.ports_acc.keys[k]);
		char want[8];

		snprintf(want, sizeof(want), "%02lX%02lX%02lX",
		    lround(c.r * 255), lround(c.g * 255), lround(c.b * 255));
		assert_true(find_line(d, "point\txl/charts/chart7.xml\t", k,
		    line, sizeof(line)));
		assert_string_equal(field(line, 3), want);
	}
	/* stacked series coloured by key: 2.4.1's first series is cc_acc[0] */
	assert_true(find_line(d, "series\txl/charts/chart9.xml\t0\t", 0, line,
	    sizeof(line)));
	{
		struct chart_rgb c = label_color(&model, &model.cc_acc.keys[0]);
		char want[8];

		snprintf(want, sizeof(want), "%02lX%02lX%02lX",
		    lround(c.r * 255), lround(c.g * 255), lround(c.b * 255));
		assert_string_equal(field(line, 6), want);
	}
	/* 3.1.1: 100 %-stacked over the six months */
	assert_true(find_line(d, "series\txl/charts/chart13.xml\t0\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 3),
	    "'図3.1.1 月別ポート別アクセス数比率'!$A$4:$A$9");
}

static void
test_cells(void **state)
{
	const char *d = month_dump;
	char line[4096], t[8], v[256];
	size_t nsheets = count_lines(d, "sheet\t");

	(void)state;
	/* no formulas at all; "=1+1" is a string */
	assert_int_equal(count_lines(d, "formula\t"), 0);
	assert_true(find_line(d, "cell\t図2.4.2 地域別アクセス数比率\t", 0, line,
	    sizeof(line)));
	{
		bool found = false;

		for (size_t i = 0; find_line(d, "cell\t", i, line,
		    sizeof(line)); i++) {
			char l[4096];

			memcpy(l, line, sizeof(l));
			if (strcmp(field(l, 4), "=1+1") == 0) {
				memcpy(l, line, sizeof(l));
				assert_string_equal(field(l, 3), "s");
				found = true;
			}
		}
		assert_true(found);
	}
	/* text cells never hold a number; number cells have our formats */
	for (size_t i = 0; find_line(d, "cell\t", i, line, sizeof(line)); i++) {
		char l[4096];
		const char *val;
		char *end;

		memcpy(l, line, sizeof(l));
		if (strcmp(field(l, 3), "s") != 0)
			continue;
		memcpy(l, line, sizeof(l));
		val = field(l, 4);
		if (!(*val >= '0' && *val <= '9') && *val != '-' &&
		    *val != '+' && *val != '.')
			continue;
		strtod(val, &end);
		if (*end == '\0')
			fail_msg("a number stored as text: %s", line);
	}
	for (size_t i = 0; find_line(d, "numfmt\t", i, line, sizeof(line));
	    i++) {
		const char *f = field(line, 3);

		if (strcmp(f, "#,##0") != 0 && strcmp(f, "#,##0.0") != 0 &&
		    strcmp(f, "0.0%") != 0 && strcmp(f, "m/d") != 0)
			fail_msg("unexpected number format: %s", f);
	}
	/* days are date cells shown m/d, the year in the value: Excel's
	 * serial counts days from 1899-12-30 (2007-06-01 is 39234, worked
	 * out with Python's date(2007, 6, 1) - date(1899, 12, 30)) */
	assert_true(cell(d, "図2.2.1 日別ポート別アクセス数", "A4", t, v,
	    sizeof(v)));
	assert_string_equal(t, "n");
	assert_string_equal(v, "39234");
	assert_true(cell_number(d, "図2.2.1 日別ポート別アクセス数", "A33") ==
	    39234 + 29);
	assert_true(find_line(d, "numfmt\t図2.2.1 日別ポート別アクセス数\tA4\t",
	    0, line, sizeof(line)));
	assert_string_equal(field(line, 3), "m/d");
	/* the daily charts' category axes: m/d, a label every few days */
	{
		size_t ndaily = 0;

		for (size_t i = 0; find_line(d, "catfmt\t", i, line,
		    sizeof(line)); i++) {
			char l[4096];

			memcpy(l, line, sizeof(l));
			if (strcmp(field(l, 2), "m/d") != 0)
				continue;
			memcpy(l, line, sizeof(l));
			assert_true(atoi(field(l, 3)) >= 2);
			ndaily++;
		}
		/* 2.1.n, 2.2.1/2, 2.4.1/3 */
		assert_int_equal(ndaily, model.nnotable + 4);
	}
	assert_chart_text_ja(d, 10);
	/* printing: every sheet one page wide; figures and tables landscape;
	 * 図1.1 (six rows, two charts) on one page */
	{
		size_t nprint = 0;

		for (size_t i = 0; find_line(d, "print\t", i, line,
		    sizeof(line)); i++, nprint++) {
			char l[4096];
			bool summary, trend;

			memcpy(l, line, sizeof(l));
			summary = strcmp(field(l, 1), "概要") == 0;
			memcpy(l, line, sizeof(l));
			trend = strcmp(field(l, 1), "図1.1 推移") == 0;
			memcpy(l, line, sizeof(l));
			assert_string_equal(field(l, 3), "1");
			memcpy(l, line, sizeof(l));
			assert_string_equal(field(l, 4), trend ? "1" : "0");
			memcpy(l, line, sizeof(l));
			if (!summary)
				assert_string_equal(field(l, 2), "landscape");
		}
		assert_int_equal(nprint, 1 + 1 + model.nnotable + 12 + 1);
	}
	/* daily values per observed sensor; 1–3 June empty, not 0 */
	assert_false(cell(d, "図2.2.1 日別ポート別アクセス数", "C4", t, v,
	    sizeof(v)));
	assert_false(cell(d, "図2.2.1 日別ポート別アクセス数", "C6", t, v,
	    sizeof(v)));
	assert_true(cell_number(d, "図2.2.1 日別ポート別アクセス数", "B4") == 0);
	/* 6/4, now a date cell (issue 10): 2007-06-01 + 3 */
	assert_true(cell_number(d, "図2.2.1 日別ポート別アクセス数", "A7") ==
	    39234 + 3);
	assert_float_equal(cell_number(d, "図2.2.1 日別ポート別アクセス数",
	    "C7"), model.ports_acc.daily[3], 1e-9);
	assert_float_equal(cell_number(d, "図2.2.1 日別ポート別アクセス数",
	    "C7"), 20.0 / SENSORS, 1e-9);
	/* 図1.1: March without data shows N = 0 and empty per-sensor cells */
	assert_cell_text(d, "図1.1 推移", "A6", "2007年3月");
	assert_true(cell_number(d, "図1.1 推移", "C6") == 0);
	assert_false(cell(d, "図1.1 推移", "F6", t, v, sizeof(v)));
	assert_float_equal(cell_number(d, "図1.1 推移", "F9"),
	    model.cur->accesses_per_sensor_day, 1e-9);
	/* pie table: totals and shares */
	assert_true(cell_number(d, "図2.3.1 ポート別アクセス数比率", "B4") ==
	    (double)model.ports_acc.totals[0]);
	assert_float_equal(cell_number(d, "図2.3.1 ポート別アクセス数比率",
	    "C4"), model.ports_acc.shares[0], 1e-12);
	/* every figure sheet: frozen header, autofilter, widths */
	/* summary, 1.1, notable, 12 figures, the section 4 table */
	assert_int_equal(nsheets, 1 + 1 + model.nnotable + 12 + 1);
	for (size_t i = 1; i < nsheets; i++) {
		char name[256], prefix[300];

		assert_true(find_line(d, "sheet\t", i, line, sizeof(line)));
		snprintf(name, sizeof(name), "%s", field(line, 1));
		snprintf(prefix, sizeof(prefix), "freeze\t%s\tB4", name);
		assert_true(find_line(d, prefix, 0, line, sizeof(line)));
		snprintf(prefix, sizeof(prefix), "filter\t%s\tA3:", name);
		assert_true(find_line(d, prefix, 0, line, sizeof(line)));
		snprintf(prefix, sizeof(prefix), "cols\t%s\t1\t", name);
		assert_true(find_line(d, prefix, 0, line, sizeof(line)));
	}
	/* a Japanese header is wider than an ASCII one of as many chars */
	assert_true(find_line(d, "cols\t図1.1 推移\t6\t", 0, line,
	    sizeof(line)));
	/* "発信元数(件/観測点・日)": 10 full-width and 3 ASCII characters */
	assert_true(atof(field(line, 4)) >= 23);
	assert_true(find_line(d, "core\tdc:creator\t", 0, line, sizeof(line)));
	/* the author of settings.conf, as in the PDF */
	assert_string_equal(field(line, 2), "talot 観測チーム");
	assert_true(find_line(d, "core\tdcterms:created\t", 0, line,
	    sizeof(line)));
	assert_string_equal(field(line, 2), "2007-07-01T00:00:00Z");
}

/* The chart part rewrite on hand-written DrawingML: lang set, a:ea and
 * a:cs after each a:latin, the font added where a run has none. */
static void
test_chart_lang_xml(void **state)
{
	static const char in[] =
	    "<c:lang val=\"en-US\"/><a:p><a:pPr><a:defRPr sz=\"900\">"
	    "<a:solidFill/><a:latin typeface=\"F\" charset=\"0\"/>"
	    "</a:defRPr></a:pPr><a:r><a:rPr lang=\"en-US\" b=\"1\"/>"
	    "<a:t>lang=\"en-US\" &lt;a:rPr</a:t></a:r>"
	    "<a:endParaRPr lang=\"en-US\"></a:endParaRPr></a:p>";
	static const char want[] =
	    "<c:lang val=\"ja-JP\"/><a:p><a:pPr><a:defRPr sz=\"900\">"
	    "<a:solidFill/><a:latin typeface=\"F\" charset=\"0\"/>"
	    "<a:ea typeface=\"F\" charset=\"0\"/>"
	    "<a:cs typeface=\"F\" charset=\"0\"/>"
	    "</a:defRPr></a:pPr><a:r><a:rPr lang=\"ja-JP\" b=\"1\">"
	    "<a:latin typeface=\"G&amp;H\"/><a:ea typeface=\"G&amp;H\"/>"
	    "<a:cs typeface=\"G&amp;H\"/></a:rPr>"
	    "<a:t>lang=\"en-US\" &lt;a:rPr</a:t></a:r>"
	    "<a:endParaRPr lang=\"ja-JP\"><a:latin typeface=\"G&amp;H\"/>"
	    "<a:ea typeface=\"G&amp;H\"/><a:cs typeface=\"G&amp;H\"/>"
	    "</a:endParaRPr></a:p>";
	size_t n = 0;
	char *out;

	(void)state;
	out = xlsx_chart_lang_xml(in, strlen(in), "ja-JP", "G&H", &n);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	free(out);
	/* no font: the runs without one stay without one */
	out = xlsx_chart_lang_xml("<a:rPr lang=\"en-US\"/>", 21, "ja-JP",
	    NULL, &n);
	assert_non_null(out);
	assert_string_equal(out, "<a:rPr lang=\"ja-JP\"/>");
	free(out);
}

static void
test_reproducible(void **state)
{
	char a[400], b[400];
	struct err e = { "" };

	(void)state;
	tmp_path("a.xlsx", a, sizeof(a));
	tmp_path("b.xlsx", b, sizeof(b));
	assert_true(write_month(&model, NULL, a, NULL, &e));
	sleep(1);   /* a clock in the output would now differ */
	assert_true(write_month(&model, NULL, b, NULL, &e));
	assert_true(file_equal(a, b));
	/* written again over itself: replaced atomically, same bytes */
	assert_true(write_month(&model, NULL, b, NULL, &e));
	assert_true(file_equal(a, b));
}

/* The created date is the date given: 0 is 1970-01-01 (libxlsxwriter
 * reads 0 as "now"), the last representable second is written, and a
 * date beyond it (refused by render_date()) never crashes libxlsxwriter. */
static void
test_created_date(void **state)
{
	static const struct {
		time_t date;
		const char *want;
	} cases[] = {
		{ 0, "1970-01-01T00:00:01Z" },
		{ 1, "1970-01-01T00:00:01Z" },
		{ (time_t)253402300799LL, "9999-12-31T23:59:59Z" },
	};
	char path[400], line[256];
	struct err e = { "" };

	(void)state;
	tmp_path("dated.xlsx", path, sizeof(path));
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *d;

		if (!write_month_dated(&model, NULL, cases[i].date, path, NULL,
		    &e))
			fail_msg("%s", e.msg);
		d = dump(path);
		assert_true(find_line(d, "core\tdcterms:created\t", 0, line,
		    sizeof(line)));
		assert_string_equal(field(line, 2), cases[i].want);
		free(d);
	}
	/* a date gmtime() cannot break down (render_date() refuses it
	 * beforehand): a clear error, no crash, no file */
	unlink(path);
	assert_false(write_month_dated(&model, NULL,
	    (time_t)67768036191676800LL, path, NULL, &e));
	assert_non_null(strstr(e.msg, "out of range"));
	assert_true(access(path, F_OK) != 0);
}

static void
test_write_error(void **state)
{
	struct err e = { "" };
	const char *bad = "/nonexistent-talot-dir/talot-2007-06.xlsx";

	(void)state;
	assert_false(write_month(&model, NULL, bad, NULL, &e));
	assert_true(strncmp(e.msg, bad, strlen(bad)) == 0);
	assert_true(access(bad, F_OK) != 0);
}

static bool
on_path(const char *prog)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void
test_libreoffice(void **state)
{
	char cmd[1200], pdf[400], out[300];
	struct stat st;

	(void)state;
	if (!on_path("libreoffice"))
		skip();
	tmp_path("lo", out, sizeof(out));
	snprintf(cmd, sizeof(cmd),
	    "cd '%s' && HOME='%s' libreoffice --headless --convert-to pdf "
	    "--outdir '%s' talot-2007-06.xlsx >/dev/null 2>&1", tmpdir,
	    tmpdir, out);
	assert_int_equal(system(cmd), 0);
	snprintf(pdf, sizeof(pdf), "%s/talot-2007-06.pdf", out);
	assert_int_equal(stat(pdf, &st), 0);
	assert_true(st.st_size > 1000);
}

/* ---- range ---- */

static void
range_input(struct month_data d[3])
{
	memset(d, 0, 3 * sizeof(*d));
	for (int i = 0; i < 3; i++)
		d[i].month = month_make(2007, 1) + i;
	/* January: N 10, A 100, S 40 */
	d[0].sensors = 5;
	d[0].sensor_days = 10;
	d[0].total = (struct counts){ 100, 40 };
	add_cell(&d[0].ports, &d[0].nports, key_port(PROTO_TCP, 135), 60, 20);
	add_cell(&d[0].ports, &d[0].nports, key_port(PROTO_TCP, 445), 40, 20);
	add_cell(&d[0].countries, &d[0].ncountries, key_country("CN"), 70, 25);
	add_cell(&d[0].countries, &d[0].ncountries, key_country("US"), 30, 15);
	/* February: nothing.  March: N 5, A 50, S 10 */
	d[2].sensors = 1;
	d[2].sensor_days = 5;
	d[2].total = (struct counts){ 50, 10 };
	add_cell(&d[2].ports, &d[2].nports, key_port(PROTO_TCP, 445), 30, 6);
	add_cell(&d[2].ports, &d[2].nports, key_port(PROTO_TCP, 22), 20, 4);
	add_cell(&d[2].countries, &d[2].ncountries, key_country("US"), 50, 10);
}

static void
range_free(struct month_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		month_data_finish(&d[i]);
}

static void
test_range_numbers(void **state)
{
	struct month_data d[3];
	struct range_model r;
	struct err e = { "" };
	const struct range_table *t;

	(void)state;
	range_input(d);
	assert_true(range_build(d, 3, &r, &e));
	assert_int_equal(r.nmonths, 3);
	assert_int_equal(r.first, month_make(2007, 1));
	assert_int_equal(r.last, month_make(2007, 3));
	assert_true(r.months[0].has_data);
	assert_float_equal(r.months[0].accesses_per_sensor_day, 10.0, 1e-12);
	assert_float_equal(r.months[0].sources_per_sensor_day, 4.0, 1e-12);
	assert_float_equal(r.months[0].accesses_per_source, 2.5, 1e-12);
	assert_false(r.months[1].has_data);
	assert_int_equal(r.months[1].sensor_days, 0);
	assert_float_equal(r.months[1].accesses_per_sensor_day, 0, 0);
	assert_float_equal(r.months[2].accesses_per_sensor_day, 10.0, 1e-12);
	assert_float_equal(r.months[2].sources_per_sensor_day, 2.0, 1e-12);
	assert_float_equal(r.months[2].accesses_per_source, 5.0, 1e-12);
	/* top ports of January: 135 (60), 445 (40) */
	assert_int_equal(r.months[0].ntop_ports, 2);
	assert_int_equal(r.months[0].top_ports[0].port, 135);
	assert_int_equal(r.months[0].top_ports_accesses[0], 60);
	assert_int_equal(r.months[0].top_ports[1].port, 445);
	assert_int_equal(r.months[2].top_countries[0].cc[0], 'U');
	/* ports by accesses over the range: 445 (70), 135 (60), 22 (20);
	 * the named keys sum to the totals, so no その他 */
	t = &r.ports_acc;
	assert_int_equal(t->nkeys, 3);
	assert_int_equal(t->keys[0].port, 445);
	assert_int_equal(t->keys[1].port, 135);
	assert_int_equal(t->keys[2].port, 22);
	assert_int_equal(t->values[0 * 3 + 0], 40);
	assert_int_equal(t->values[0 * 3 + 1], 60);
	assert_int_equal(t->values[0 * 3 + 2], 0);
	assert_int_equal(t->values[1 * 3 + 0], 0);
	assert_int_equal(t->values[2 * 3 + 0], 30);
	assert_int_equal(t->values[2 * 3 + 2], 20);
	/* sources: 445 (26), 135 (20), 22 (4) */
	t = &r.ports_src;
	assert_int_equal(t->keys[0].port, 445);
	assert_int_equal(t->values[0 * 3 + 0], 20);
	assert_int_equal(t->values[2 * 3 + 0], 6);
	/* countries by accesses: US (80), CN (70) */
	t = &r.cc_acc;
	assert_int_equal(t->nkeys, 2);
	assert_string_equal(t->keys[0].cc, "US");
	assert_string_equal(t->keys[1].cc, "CN");
	assert_int_equal(t->values[0 * 2 + 0], 30);
	assert_int_equal(t->values[2 * 2 + 0], 50);
	/* colour slots: ports then countries in order of appearance */
	assert_int_equal(range_color_slot(&r, &r.ports_acc.keys[0]), 0);
	assert_int_equal(range_color_slot(&r, &(struct key){
	    .kind = KEY_OTHER }), -1);
	range_finish(&r);
	range_finish(&r);   /* twice is fine */
	range_free(d, 3);
}

static void
test_range_other(void **state)
{
	struct month_data d[1];
	struct range_model r;
	struct err e = { "" };
	int64_t sum = 0;

	(void)state;
	memset(d, 0, sizeof(d));
	d[0].month = month_make(2008, 2);
	d[0].sensors = 1;
	d[0].sensor_days = 29;
	for (int p = 1; p <= RANGE_TOP + 2; p++) {
		/* port p has 100 + p accesses: 22 and 23 outside the top 20 */
		add_cell(&d[0].ports, &d[0].nports, key_port(PROTO_TCP, p),
		    100 + (RANGE_TOP + 3 - p), 1);
		d[0].total.accesses += 100 + (RANGE_TOP + 3 - p);
		d[0].total.sources += 1;
	}
	assert_true(range_build(d, 1, &r, &e));
	assert_int_equal(r.ports_acc.nkeys, RANGE_TOP + 1);
	assert_int_equal(r.ports_acc.keys[RANGE_TOP].kind, KEY_OTHER);
	assert_int_equal(r.ports_acc.values[RANGE_TOP], 102 + 101);
	for (size_t k = 0; k < r.ports_acc.nkeys; k++)
		sum += r.ports_acc.values[k];
	assert_int_equal(sum, d[0].total.accesses);
	/* sources tie at 1: ranked by key, 21 and 22 in その他 */
	assert_int_equal(r.ports_src.keys[0].port, 1);
	assert_int_equal(r.ports_src.values[RANGE_TOP], 2);
	/* no country at all: everything is その他, rows still sum up */
	assert_int_equal(r.cc_acc.nkeys, 1);
	assert_int_equal(r.cc_acc.keys[0].kind, KEY_OTHER);
	assert_int_equal(r.cc_acc.values[0], d[0].total.accesses);
	range_finish(&r);
	range_free(d, 1);
}

static void
test_range_errors(void **state)
{
	struct month_data d[2];
	struct range_model r;
	struct err e = { "" };

	(void)state;
	memset(d, 0, sizeof(d));
	d[0].month = month_make(2009, 12);
	d[1].month = month_make(2010, 1);
	assert_false(range_build(d, 2, &r, &e));
	assert_string_equal(e.msg,
	    "2009-12..2010-01: no data (no observed sensor-day in the store)");
	d[1].month = month_make(2010, 2);
	d[0].sensor_days = 1;
	assert_false(range_build(d, 2, &r, &e));
	assert_non_null(strstr(e.msg, "consecutive"));
	assert_false(range_build(d, 0, &r, &e));
	range_finish(&r);
}

static void
test_range_workbook(void **state)
{
	struct month_data d[3];
	struct range_model r;
	struct err e = { "" };
	char path[400], path2[400], line[4096], t[8], v[64];
	char *dd;

	(void)state;
	range_input(d);
	assert_true(range_build(d, 3, &r, &e));
	tmp_path("range.xlsx", path, sizeof(path));
	tmp_path("range2.xlsx", path2, sizeof(path2));
	if (!write_range(&r, path, &e))
		fail_msg("%s", e.msg);
	assert_true(write_range(&r, path2, &e));
	assert_true(file_equal(path, path2));
	dd = dump(path);
	assert_true(find_line(dd, "sheet\t", 0, line, sizeof(line)));
	assert_string_equal(field(line, 1), "月別");
	assert_cell_text(dd, "月別", "A4", "2007年1月");
	assert_true(cell_number(dd, "月別", "C4") == 10);
	assert_true(cell_number(dd, "月別", "D4") == 100);
	assert_float_equal(cell_number(dd, "月別", "F4"), 10.0, 1e-12);
	assert_float_equal(cell_number(dd, "月別", "H4"), 2.5, 1e-12);
	assert_cell_text(dd, "月別", "I4", "135/tcp");
	/* February: a row with N = 0 and empty per-sensor cells */
	assert_cell_text(dd, "月別", "A5", "2007年2月");
	assert_true(cell_number(dd, "月別", "C5") == 0);
	assert_false(cell(dd, "月別", "F5", t, v, sizeof(v)));
	/* tables: months × keys */
	assert_cell_text(dd, "ポート別アクセス数", "B3", "445/tcp");
	assert_true(cell_number(dd, "ポート別アクセス数", "B6") == 30);
	assert_true(cell_number(dd, "ポート別アクセス数", "E6") == 50);
	/* two line charts and a column chart, then a stacked chart per table */
	assert_int_equal(count_lines(dd, "chart\t"), 3 + 4);
	assert_true(find_line(dd, "chart\txl/charts/chart1.xml\t月別\tlineChart",
	    0, line, sizeof(line)));
	assert_true(find_line(dd, "chart\txl/charts/chart3.xml\t月別\tbarChart\tclustered",
	    0, line, sizeof(line)));
	assert_true(find_line(dd, "chart\txl/charts/chart4.xml\tポート別アクセス数\tbarChart\tstacked",
	    0, line, sizeof(line)));
	assert_true(find_line(dd, "series\txl/charts/chart1.xml\t0\t'月別'!$A$4:$A$6\t'月別'!$F$4:$F$6",
	    0, line, sizeof(line)));
	assert_int_equal(count_lines(dd, "formula\t"), 0);
	/* the charts' text as in the month's workbook */
	assert_chart_text_ja(dd, 7);
	free(dd);
	range_finish(&r);
	range_free(d, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_charts),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_created_date),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_chart_lang_xml),
		cmocka_unit_test(test_libreoffice),
		cmocka_unit_test(test_range_numbers),
		cmocka_unit_test(test_range_other),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_range_workbook),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
