/* test_import.c — CSV files into the store (SPEC §3): FILE:LINE messages,
 * the cap on them, one transaction for all files, duplicates, headers, and
 * a data set with every port.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "err.h"
#include "import.h"
#include "model.h"
#include "store.h"

static char tmpdir[256];
static char dbpath[300];  /* tmpdir/t.db */

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/talot-test-import-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", tmpdir);
	return 0;
}

static int
teardown_dir(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
tpath(const char *name)
{
	static char buf[32][512];
	static int k;

	k = (k + 1) % 32;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/* Writes text to tmpdir/name; returns the path (valid for a few calls). */
static const char *
wfile(const char *name, const char *text)
{
	const char *p = tpath(name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

struct run {
	bool ok;
	struct diag d;
	struct import_summary sum;
	struct err e;
};

/* import_files(db, files...) with a NULL-terminated list. */
static void
run_import(struct run *r, const char *db, ...)
{
	char *files[16];
	size_t n = 0;
	va_list ap;
	struct store *s;

	memset(r, 0, sizeof(*r));
	va_start(ap, db);
	for (const char *f; (f = va_arg(ap, const char *)) != NULL;)
		files[n++] = (char *)f;
	va_end(ap);
	diag_init(&r->d, DIAG_CAP_DEFAULT);
	s = store_open(db, STORE_WRITE, &r->e);
	if (s == NULL)
		fail_msg("store_open: %s", r->e.msg);
	r->ok = import_files(s, files, n, &r->d, &r->sum, &r->e);
	store_close(s);
}

static void
run_finish(struct run *r)
{
	diag_finish(&r->d);
	import_summary_finish(&r->sum);
}

static void
expect_ok(struct run *r)
{
	if (!r->ok || r->d.nerrors != 0)
		fail_msg("import failed: %s / %s", r->e.msg,
		    r->d.nkept ? r->d.errors[0] : "");
}

/* The i-th kept error is exactly "FILE:LINE: ..." and mentions want. */
static void
expect_error(const struct run *r, size_t i, const char *file,
    unsigned long line, const char *want)
{
	char prefix[600];

	if (i >= r->d.nkept)
		fail_msg("only %zu errors, wanted #%zu at %s:%lu", r->d.nkept, i,
		    file, line);
	snprintf(prefix, sizeof(prefix), "%s:%lu: ", file, line);
	if (strncmp(r->d.errors[i], prefix, strlen(prefix)) != 0)
		fail_msg("error #%zu is '%s', expected it to start with '%s'", i,
		    r->d.errors[i], prefix);
	if (want != NULL && strstr(r->d.errors[i], want) == NULL)
		fail_msg("error #%zu is '%s', expected it to mention '%s'", i,
		    r->d.errors[i], want);
	if (strchr(r->d.errors[i], '\n') != NULL)
		fail_msg("error #%zu spans lines: '%s'", i, r->d.errors[i]);
}

/* Months held by db (0 if none), and their totals. */
static size_t
db_months(const char *db, struct store_month_info **mi)
{
	struct err e = { "" };
	struct store *s = store_open(db, STORE_READ, &e);
	size_t n = 0;

	*mi = NULL;
	if (s == NULL)
		return 0;
	if (!store_months(s, mi, &n, &e))
		fail_msg("store_months: %s", e.msg);
	store_close(s);
	return n;
}

#define HDR CSV_HEADER "\n"

/* ---- tests ---- */

static void
test_good_file(void **state)
{
	const char *db = dbpath;
	const char *f = wfile("a.csv",
	    "# observation export\n"
	    "\n"
	    HDR
	    "2007-06-04,s01,tcp,135,CN,120,31     # distinct sources\n"
	    "2007-06-04,s01,icmp,8,JP,5,2\n"
	    "# a comment between rows\n"
	    "\n"
	    "2007-06-05,s07,*,*,*,0,0\n"
	    "2007-05-31,s01,udp,1026,CN,3,1\n");
	struct run r;
	struct store_month_info *mi;
	size_t n;

	(void)state;
	run_import(&r, db, f, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.rows, 4);
	assert_int_equal(r.sum.sensor_days, 3);
	assert_int_equal(r.sum.replaced, 0);
	assert_int_equal(r.sum.nmonths, 2);
	assert_int_equal(r.sum.months[0], 200705);
	assert_int_equal(r.sum.months[1], 200706);
	run_finish(&r);
	n = db_months(db, &mi);
	assert_int_equal(n, 2);
	assert_int_equal(mi[1].sensor_days, 2);
	assert_int_equal(mi[1].accesses, 125);
	assert_int_equal(mi[1].sources, 33);
	assert_int_equal(mi[1].sensors, 2);
	assert_int_equal(mi[0].accesses, 3);
	free(mi);

	/* again: idempotent, replaced counted */
	run_import(&r, db, f, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.replaced, 3);
	run_finish(&r);
	n = db_months(db, &mi);
	assert_int_equal(n, 2);
	assert_int_equal(mi[1].accesses, 125);
	assert_int_equal(mi[1].sensor_days, 2);
	free(mi);
}

static void
test_crlf_bom_no_final_newline(void **state)
{
	const char *db = dbpath;
	const char *f = wfile("a.csv",
	    "\xEF\xBB\xBF" CSV_HEADER "\r\n"
	    "2007-06-04,s01,tcp,135,CN,120,31\r\n"
	    "2007-06-04,s01,tcp,445,CN,1,1\n"
	    "2007-06-04,s01,tcp,80,CN,2,1");
	struct run r;

	(void)state;
	run_import(&r, db, f, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.rows, 3);
	run_finish(&r);
}

static void
test_error_places(void **state)
{
	const char *db = dbpath;
	const char *f = wfile("bad.csv",
	    HDR                                          /* 1 */
	    "2007-06-04,s01,tcp,135,CN,120,31\n"         /* 2 */
	    "2007-02-29,s01,tcp,135,CN,120,31\n"         /* 3 */
	    "# fine\n"                                   /* 4 */
	    "2007-06-04,s01,TCP,135,CN,120,31\n"         /* 5 */
	    "2007-06-04,s01,tcp,135,CN,120,31\n"         /* 6 duplicate of 2 */
	    "\n"                                         /* 7 */
	    "2007-06-04,s01,tcp,135,cn,1,1\r\n"          /* 8 */
	    "2007-06-04,s01,tcp,65536,CN,1,1\n"          /* 9 */
	    "2007-06-04,s01,tcp,1,CN,1,2\n"              /* 10 */
	    "2007-06-04,s01,tcp,1,CN\n"                  /* 11 */
	    "2007-06-04,s01,tcp,2,CN,1,1");              /* 12 ok */
	struct run r;
	struct store_month_info *mi;

	(void)state;
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 7);
	expect_error(&r, 0, f, 3, "day");
	expect_error(&r, 1, f, 5, "proto");
	expect_error(&r, 2, f, 6, "duplicate");
	expect_error(&r, 3, f, 8, "country");
	expect_error(&r, 4, f, 9, "port");
	expect_error(&r, 5, f, 10, "exceed");
	expect_error(&r, 6, f, 11, "7 fields");
	run_finish(&r);
	/* nothing written */
	assert_int_equal(db_months(db, &mi), 0);
	free(mi);
}

static void
capture_stderr_begin(int *saved, const char *path)
{
	int fd;

	fflush(stderr);
	*saved = dup(2);
	assert_true(*saved >= 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_true(dup2(fd, 2) >= 0);
	close(fd);
}

static char *
capture_stderr_end(int saved, const char *path)
{
	size_t len;

	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	return slurp(path, &len);
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
test_error_cap(void **state)
{
	const char *db = dbpath;
	char *text = malloc(100000);
	size_t o = 0;
	const char *f;
	struct run r;
	int saved;
	char *out;

	(void)state;
	assert_non_null(text);
	o += (size_t)sprintf(text + o, "%s", HDR);
	for (int i = 0; i < 50; i++)
		o += (size_t)sprintf(text + o, "2007-06-04,s01,tcp,%d,XXX,1,1\n", i);
	f = wfile("many.csv", text);
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 50);
	assert_int_equal(r.d.nkept, DIAG_CAP_DEFAULT);
	for (size_t i = 0; i < r.d.nkept; i++)
		expect_error(&r, i, f, i + 2, "country");
	capture_stderr_begin(&saved, tpath("stderr.txt"));
	diag_print_errors(&r.d, "");
	out = capture_stderr_end(saved, tpath("stderr.txt"));
	assert_int_equal(count_lines(out), DIAG_CAP_DEFAULT + 1);
	assert_non_null(strstr(out, "and 30 more errors\n"));
	free(out);
	run_finish(&r);

	/* 21 errors: "and 1 more error" */
	o = (size_t)sprintf(text, "%s", HDR);
	for (int i = 0; i < 21; i++)
		o += (size_t)sprintf(text + o, "2007-06-04,s01,tcp,%d,XXX,1,1\n", i);
	f = wfile("21.csv", text);
	run_import(&r, db, f, NULL);
	assert_int_equal(r.d.nerrors, 21);
	capture_stderr_begin(&saved, tpath("stderr.txt"));
	diag_print_errors(&r.d, "");
	out = capture_stderr_end(saved, tpath("stderr.txt"));
	assert_non_null(strstr(out, "and 1 more error\n"));
	free(out);
	run_finish(&r);

	/* exactly 20: no "more" line */
	o = (size_t)sprintf(text, "%s", HDR);
	for (int i = 0; i < 20; i++)
		o += (size_t)sprintf(text + o, "2007-06-04,s01,tcp,%d,XXX,1,1\n", i);
	f = wfile("20.csv", text);
	run_import(&r, db, f, NULL);
	assert_int_equal(r.d.nerrors, 20);
	capture_stderr_begin(&saved, tpath("stderr.txt"));
	diag_print_errors(&r.d, "");
	out = capture_stderr_end(saved, tpath("stderr.txt"));
	assert_int_equal(count_lines(out), 20);
	assert_null(strstr(out, "more"));
	free(out);
	run_finish(&r);

	/* the cap counts over all files of an import */
	f = wfile("many.csv", text);
	run_import(&r, db, f, tpath("20.csv"), NULL);
	assert_int_equal(r.d.nerrors, 40);
	assert_int_equal(r.d.nkept, 20);
	run_finish(&r);
	free(text);
}

static void
test_one_transaction(void **state)
{
	const char *db = dbpath;
	const char *good = wfile("good.csv", HDR
	    "2007-06-04,s01,tcp,135,CN,120,31\n");
	const char *bad = wfile("bad.csv", HDR
	    "2007-06-04,s02,tcp,135,CN,1,1\n"
	    "2007-06-04,s02,tcp,135,CN,2,x\n");
	const char *good2 = wfile("good2.csv", HDR
	    "2007-06-10,s03,tcp,135,CN,7,7\n");
	struct run r;
	struct store_month_info *mi;
	size_t len1, len2;
	char *b1, *b2;

	(void)state;
	/* second file bad: nothing from the first */
	run_import(&r, db, good, bad, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 1);
	expect_error(&r, 0, bad, 3, "sources");
	run_finish(&r);
	assert_int_equal(db_months(db, &mi), 0);
	free(mi);

	/* first file bad: nothing from the second */
	run_import(&r, db, bad, good, NULL);
	assert_false(r.ok);
	run_finish(&r);
	assert_int_equal(db_months(db, &mi), 0);
	free(mi);

	/* with data already stored: the store is byte-identical after a
	 * refused import that would have replaced a sensor-day */
	run_import(&r, db, good, good2, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.rows, 2);
	assert_int_equal(r.sum.sensor_days, 2);
	run_finish(&r);
	b1 = slurp(db, &len1);
	{
		const char *repl = wfile("repl.csv", HDR
		    "2007-06-04,s01,tcp,135,CN,1,1\n"
		    "2007-06-10,s03,*,*,*,0,0\n");

		run_import(&r, db, repl, bad, NULL);
		assert_false(r.ok);
		run_finish(&r);
	}
	b2 = slurp(db, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(b1, b2, len1);
	free(b1);
	free(b2);
	assert_int_equal(db_months(db, &mi), 1);
	assert_int_equal(mi[0].accesses, 127);
	free(mi);

	/* a file that cannot be opened: fatal, names the file, nothing
	 * written */
	run_import(&r, db, wfile("g3.csv", HDR "2007-06-11,s04,tcp,1,CN,5,5\n"),
	    tpath("missing.csv"), NULL);
	assert_false(r.ok);
	assert_non_null(strstr(r.e.msg, tpath("missing.csv")));
	run_finish(&r);
	/* a folder given as a file */
	run_import(&r, db, tpath("g3.csv"), tmpdir, NULL);
	assert_false(r.ok);
	assert_non_null(strstr(r.e.msg, tmpdir));
	run_finish(&r);
	assert_int_equal(db_months(db, &mi), 1);
	assert_int_equal(mi[0].accesses, 127);
	assert_int_equal(mi[0].sensor_days, 2);
	free(mi);
}

static void
test_duplicates(void **state)
{
	const char *db = dbpath;
	const char *a = wfile("a.csv", HDR
	    "2007-06-04,s01,tcp,135,CN,120,31\n"
	    "2007-06-04,s01,udp,135,CN,1,1\n"
	    "2007-06-04,s01,tcp,135,CN,1,1\n");
	const char *b = wfile("b.csv", HDR
	    "2007-06-04,s01,tcp,445,CN,120,31\n");
	const char *c = wfile("c.csv", HDR
	    "# same key as a.csv:2, spelt with blanks\n"
	    " 2007-06-04 , s01 , tcp , 135 , CN , 9 , 9\n");
	const char *mk = wfile("mk.csv", HDR
	    "2007-06-04,s01,*,*,*,0,0\n");
	const char *mk2 = wfile("mk2.csv", HDR
	    "2007-06-05,s01,*,*,*,0,0\n"
	    "2007-06-05,s01,*,*,*,0,0\n");
	const char *mix = wfile("mix.csv", HDR
	    "2007-06-06,s02,*,*,*,0,0\n"
	    "2007-06-06,s02,tcp,80,US,3,1\n"
	    "2007-06-07,s02,tcp,80,US,3,1\n"
	    "2007-06-07,s02,*,*,*,0,0\n");
	struct run r;
	struct store_month_info *mi;

	(void)state;
	run_import(&r, db, a, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 1);
	expect_error(&r, 0, a, 4, "duplicate");
	run_finish(&r);

	/* across two files of one import: the second occurrence is named */
	run_import(&r, db, b, c, a, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 2);
	expect_error(&r, 0, a, 2, "duplicate");  /* c.csv:3 came first */
	expect_error(&r, 1, a, 4, "duplicate");
	run_finish(&r);

	/* a marker and traffic for one sensor-day in one import */
	run_import(&r, db, b, mk, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, mk, 2, "'*'");
	run_finish(&r);
	run_import(&r, db, mk2, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, mk2, 3, "'*'");
	run_finish(&r);
	run_import(&r, db, mix, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 2);
	expect_error(&r, 0, mix, 3, "'*'");
	expect_error(&r, 1, mix, 5, "'*'");
	run_finish(&r);
	assert_int_equal(db_months(db, &mi), 0);
	free(mi);

	/* in two imports, a marker replaces the traffic: observed, 0 */
	run_import(&r, db, b, NULL);
	expect_ok(&r);
	run_finish(&r);
	run_import(&r, db, mk, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.replaced, 1);
	run_finish(&r);
	assert_int_equal(db_months(db, &mi), 1);
	assert_int_equal(mi[0].sensor_days, 1);
	assert_int_equal(mi[0].accesses, 0);
	assert_int_equal(mi[0].sources, 0);
	free(mi);
}

static void
test_headers(void **state)
{
	const char *db = dbpath;
	struct run r;
	const char *f;

	(void)state;
	/* missing: the first non-comment line is data */
	f = wfile("h1.csv", "# c\n2007-06-04,s01,tcp,135,CN,120,31\n");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 1);
	expect_error(&r, 0, f, 2, "header");
	run_finish(&r);

	/* wrong */
	f = wfile("h2.csv", "day,sensor,proto,port,cc,accesses,sources\n"
	    "2007-06-04,s01,tcp,135,CN,120,31\n");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, f, 1, "header");
	run_finish(&r);
	f = wfile("h3.csv", "DAY,SENSOR,PROTO,PORT,COUNTRY,ACCESSES,SOURCES\n");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, f, 1, "header");
	run_finish(&r);

	/* after comments and blank lines, with blanks and CRLF: fine */
	f = wfile("h4.csv", "# export of 2007-06\r\n\r\n  \n# more\n"
	    " day , sensor , proto , port , country , accesses , sources \r\n"
	    "2007-06-04,s01,tcp,135,CN,120,31\r\n");
	run_import(&r, db, f, NULL);
	expect_ok(&r);
	run_finish(&r);

	/* a second header line is not data */
	f = wfile("h5.csv", HDR HDR "2007-06-04,s01,tcp,135,CN,120,31\n");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, f, 2, NULL);
	run_finish(&r);

	/* empty file, comments only, blank lines only */
	f = wfile("empty.csv", "");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 1);
	assert_int_equal(strncmp(r.d.errors[0], f, strlen(f)), 0);
	assert_int_equal(r.d.errors[0][strlen(f)], ':');
	assert_non_null(strstr(r.d.errors[0], "header"));
	run_finish(&r);
	f = wfile("comments.csv", "# nothing\n# at all\n");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, f, 2, "header");
	run_finish(&r);
	f = wfile("blank.csv", "\n\n\n");
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 1);
	run_finish(&r);

	/* header only: a valid, empty import */
	f = wfile("only.csv", HDR);
	run_import(&r, db, f, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.rows, 0);
	assert_int_equal(r.sum.sensor_days, 0);
	assert_int_equal(r.sum.nmonths, 0);
	run_finish(&r);
}

static void
test_long_and_nul_lines(void **state)
{
	const char *db = dbpath;
	const char *p = tpath("long.csv");
	FILE *f = fopen(p, "wb");
	struct run r;

	(void)state;
	assert_non_null(f);
	fputs(HDR "2007-06-04,s01,tcp,135,CN,120,31\n", f);
	/* line 3: a comment of 1 MB */
	fputc('#', f);
	for (int i = 0; i < 1024 * 1024; i++)
		fputc('x', f);
	fputc('\n', f);
	fputs("2007-06-04,s01,tcp,136,CN,1,1\n", f);       /* 4 */
	fwrite("2007-06-04,s01,tcp,13\0,CN,1,1\n", 1, 30, f); /* 5 */
	fputs("2007-06-04,s01,tcp,137,C,1,1\n", f);         /* 6 */
	assert_int_equal(fclose(f), 0);
	run_import(&r, db, p, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 3);
	expect_error(&r, 0, p, 3, "longer");
	expect_error(&r, 1, p, 5, "NUL");
	expect_error(&r, 2, p, 6, "country");
	run_finish(&r);
}

static void
test_invalid_utf8(void **state)
{
	const char *db = dbpath;
	const char *f = wfile("u.csv", HDR
	    "2007-06-04,s01,tcp,135,CN,120,31 # \xff\n"
	    "# \xc3\x28\n");
	struct run r;

	(void)state;
	run_import(&r, db, f, NULL);
	assert_false(r.ok);
	assert_int_equal(r.d.nerrors, 2);
	expect_error(&r, 0, f, 2, "UTF-8");
	expect_error(&r, 1, f, 3, "UTF-8");
	run_finish(&r);
}

/* Two letters for i < 676. */
static void
cc_of(int i, char cc[3])
{
	cc[0] = (char)('A' + i / 26);
	cc[1] = (char)('A' + i % 26);
	cc[2] = '\0';
}

static void
test_every_port(void **state)
{
	/* tcp 0..65535 once each and icmp 0..255 on one sensor-day, from 250
	 * countries; plus udp ports on a second sensor-day */
	const char *db = dbpath;
	const char *p = tpath("all.csv");
	FILE *f = fopen(p, "wb");
	struct run r;
	int64_t cc_acc[250] = { 0 }, cc_src[250] = { 0 };
	int64_t sum_a = 0, sum_s = 0;
	struct store *s;
	struct err e = { "" };
	struct month_data d;
	struct month_input in;
	int64_t got_a = 0;
	char cc[3];

	(void)state;
	assert_non_null(f);
	fputs(HDR, f);
	for (int port = 0; port < 65536; port++) {
		int64_t a = port + 1, so = 1 + port % 7;

		cc_of(port % 250, cc);
		fprintf(f, "2007-06-04,s01,tcp,%d,%s,%lld,%lld\n", port, cc,
		    (long long)a, (long long)so);
		cc_acc[port % 250] += a;
		cc_src[port % 250] += so;
		sum_a += a;
		sum_s += so;
	}
	for (int t = 0; t < 256; t++) {
		cc_of(t % 250, cc);
		fprintf(f, "2007-06-04,s01,icmp,%d,%s,1,1\n", t, cc);
		cc_acc[t % 250] += 1;
		cc_src[t % 250] += 1;
		sum_a += 1;
		sum_s += 1;
	}
	assert_int_equal(fclose(f), 0);

	run_import(&r, db, p, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.rows, 65536 + 256);
	assert_int_equal(r.sum.sensor_days, 1);
	assert_int_equal(r.sum.nmonths, 1);
	run_finish(&r);

	for (int pass = 0; pass < 2; pass++) {
		s = store_open(db, STORE_READ, &e);
		assert_non_null(s);
		assert_true(store_month_data(s, month_make(2007, 6), &d, &e));
		assert_int_equal(d.sensor_days, 1);
		assert_int_equal(d.total.accesses, sum_a);
		assert_int_equal(d.total.sources, sum_s);
		assert_int_equal(d.nports, 65536 + 256);
		assert_int_equal(d.ncountries, 250);
		for (size_t i = 0; i < d.nports; i++) {
			const struct cell *c = &d.ports[i];

			if (c->key.proto == 6) {
				assert_int_equal(c->c.accesses, c->key.port + 1);
				assert_int_equal(c->c.sources, 1 + c->key.port % 7);
			} else {
				assert_int_equal(c->key.proto, 1);
				assert_int_equal(c->c.accesses, 1);
			}
			got_a += c->c.accesses;
		}
		assert_int_equal(got_a, sum_a);
		got_a = 0;
		for (size_t i = 0; i < d.ncountries; i++) {
			const char *k = d.countries[i].key.cc;
			int idx = (k[0] - 'A') * 26 + (k[1] - 'A');

			assert_true(idx >= 0 && idx < 250);
			assert_int_equal(d.countries[i].c.accesses, cc_acc[idx]);
			assert_int_equal(d.countries[i].c.sources, cc_src[idx]);
		}
		month_data_finish(&d);
		assert_true(store_month_input(s, month_make(2007, 6), &in, &e));
		assert_int_equal(in.nday_ports, 65536 + 256);
		assert_int_equal(in.nday_countries, 250);
		month_input_finish(&in);
		{
			struct port_day_country *v = NULL;
			size_t n = 0;

			assert_true(store_port_day_country(s, key_port(6, 65535),
			    month_make(2007, 5), month_make(2007, 6), &v, &n, &e));
			assert_int_equal(n, 1);
			assert_int_equal(v[0].c.accesses, 65536);
			cc_of(65535 % 250, cc);
			assert_string_equal(v[0].cc, cc);
			free(v);
		}
		store_close(s);

		/* the second pass after re-importing the same file */
		if (pass == 0) {
			run_import(&r, db, p, NULL);
			expect_ok(&r);
			assert_int_equal(r.sum.replaced, 1);
			run_finish(&r);
		}
	}
}

static void
test_summary_many_files(void **state)
{
	const char *db = dbpath;
	const char *a = wfile("a.csv", HDR
	    "2007-01-31,s01,tcp,135,CN,1,1\n"
	    "2007-06-04,s01,tcp,135,CN,1,1\n"
	    "2007-06-04,s01,tcp,445,CN,1,1\n");
	const char *b = wfile("b.csv", HDR
	    "2006-12-01,s02,*,*,*,0,0\n"
	    "2007-06-04,s02,tcp,135,CN,1,1\n");
	const char *c = wfile("c.csv", HDR
	    "2007-03-15,s01,udp,53,US,4,2\n");
	struct run r;
	struct store_month_info *mi;

	(void)state;
	run_import(&r, db, c, b, a, NULL);
	expect_ok(&r);
	assert_int_equal(r.sum.rows, 6);
	assert_int_equal(r.sum.sensor_days, 5);
	assert_int_equal(r.sum.nmonths, 4);
	assert_int_equal(r.sum.months[0], 200612);
	assert_int_equal(r.sum.months[1], 200701);
	assert_int_equal(r.sum.months[2], 200703);
	assert_int_equal(r.sum.months[3], 200706);
	run_finish(&r);
	assert_int_equal(db_months(db, &mi), 4);
	assert_int_equal(mi[0].month, 200612);
	assert_int_equal(mi[0].sensor_days, 1);
	assert_int_equal(mi[0].accesses, 0);
	assert_int_equal(mi[3].sensor_days, 2);
	assert_int_equal(mi[3].accesses, 3);
	free(mi);

	/* the same file twice in one import: its rows are duplicates */
	run_import(&r, db, c, c, NULL);
	assert_false(r.ok);
	expect_error(&r, 0, c, 2, "duplicate");
	run_finish(&r);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)
	const struct CMUnitTest tests[] = {
		T(test_good_file),
		T(test_crlf_bom_no_final_newline),
		T(test_error_places),
		T(test_error_cap),
		T(test_one_transaction),
		T(test_duplicates),
		T(test_headers),
		T(test_long_and_nul_lines),
		T(test_invalid_utf8),
		T(test_every_port),
		T(test_summary_many_files),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
