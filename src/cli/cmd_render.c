#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "dirs.h"
#include "bulletin_pdf.h"
#include "cmd.h"
#include "edition.h"
#include "render.h"
#include "site.h"
#include "text.h"
#include "textfile.h"

static const char help[] =
    "usage: talot render --db FILE --month YYYY-MM [--to YYYY-MM] [--out DIR]\n"
    "                    [--format pdf,xlsx,html] [--jobs N] [--template DIR]\n"
    "                    [--notes FILE.md] [--lang ja,en]\n"
    "\n"
    "Renders the monthly bulletin of YYYY-MM as DIR/talot-YYYY-MM.pdf and\n"
    "DIR/talot-YYYY-MM.xlsx (written atomically; DIR defaults to '.').\n"
    "  --to YYYY-MM     render every month from --month to this one\n"
    "  --format LIST    any of pdf, xlsx, html, comma-separated (default pdf,xlsx);\n"
    "                   html writes DIR/talot-YYYY-MM.html and .json and\n"
    "                   rebuilds DIR/index.html from the months in DIR\n"
    "  --jobs N         months rendered at once (default: the number of cores)\n"
    "  --template DIR   template folder (bulletin.md, ports.csv, countries.csv …)\n"
    "  --notes FILE.md  analyst commentary (Markdown) for section 2, in the first\n"
    "                   language; another language L reads FILE.L.md if present\n"
    "  --lang LIST      ja (the default), en, or ja,en; other languages than ja\n"
    "                   write talot-YYYY-MM.L.pdf and .L.xlsx\n"
    "SOURCE_DATE_EPOCH, when set, dates the documents: the same store, template\n"
    "and date give byte-identical files.  It takes seconds since 1970 (digits\n"
    "only, 0 to 253402300799 = 9999-12-31T23:59:59Z); another value is a usage\n"
    "error (exit 2).\n";

/* The face named in settings.conf exists, and every character of the
 * notes has a glyph (else the error names the notes' line). */
static bool
check_fonts(const struct settings *set, const char *tdir, const char *notes,
    const char *notes_md, struct err *e)
{
	struct text *t;
	bool ok;

	if (!text_font_available(set->font, e)) {
		char msg[ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		return err_set(e, "%s/settings.conf: %s", tdir, msg);
	}
	if (notes_md == NULL)
		return true;
	t = text_create(set->font, e);
	if (t == NULL)
		return false;
	ok = text_check_coverage(t, notes, notes_md, e);
	text_destroy(t);
	return ok;
}

static bool
parse_formats(const char *s, int *out)
{
	char tmp[64], *tok, *save = NULL;

	*out = 0;
	if (strlen(s) >= sizeof(tmp))
		return false;
	strcpy(tmp, s);
	for (tok = strtok_r(tmp, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "pdf") == 0)
			*out |= RENDER_PDF;
		else if (strcmp(tok, "xlsx") == 0)
			*out |= RENDER_XLSX;
		else if (strcmp(tok, "html") == 0)
			*out |= RENDER_HTML;
		else
			return false;
	}
	return *out != 0;
}

static void
print_warnings(struct diag *d)
{
	diag_print_warnings(d, "talot render: ");
}

/* Set in a batch worker whose stderr shows the parent's progress line:
 * messages first clear that line. */
static bool clear_progress;

static int
one_month(const struct render_job *j, month_t m)
{
	struct diag d;
	struct err e = { "" };
	bool ok;

	diag_init(&d, DIAG_CAP_DEFAULT);
	ok = render_month(j, m, &d, &e);
	if (clear_progress && (d.nwarnings > 0 || !ok))
		fputs("\r\033[K", stderr);
	print_warnings(&d);
	diag_finish(&d);
	if (!ok) {
		char mon[16];

		snprintf(mon, sizeof(mon), "%04d-%02d:", month_year(m),
		    month_mon(m));
		if (strncmp(e.msg, mon, strlen(mon)) == 0)
			fprintf(stderr, "talot render: %s\n", e.msg);
		else
			fprintf(stderr, "talot render: %s %s\n", mon, e.msg);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

/* The batch's running workers, for the signal handler: on SIGINT or
 * SIGTERM the parent stops starting months and passes the signal on (a
 * worker removes its temporary files and dies). */
#define WORKERS_MAX 256
static volatile sig_atomic_t interrupted;
static volatile pid_t workers[WORKERS_MAX];

static void
on_signal(int sig)
{
	int saved = errno;

	interrupted = 1;
	for (int i = 0; i < WORKERS_MAX; i++)
		if (workers[i] > 0)
			kill(workers[i], sig);
	errno = saved;
}

/* The temporary files of worker pid (reaped: dead) for month m; never
 * those of another process, such as a concurrent render of m. */
static void
remove_month_leftovers(const struct render_job *j, month_t m, pid_t pid)
{
	static const char *const exts[] = { "pdf", "xlsx", "html", "json" };
	char path[4096], name[64];

	for (size_t l = 0; l < j->nlangs; l++)
		for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
			snprintf(path, sizeof(path), "%s/%s", j->out_dir,
			    edition_file_name(m, j->langs[l].name, exts[i],
			    name, sizeof(name)));
			atomic_cleanup(path, (long)pid);
		}
}

static int
batch(const struct render_job *j, month_t from, month_t to, int jobs)
{
	int total = to - from + 1, done = 0, failed = 0, running = 0;
	month_t next = from, wmonth[WORKERS_MAX];
	bool tty = isatty(STDERR_FILENO);
	struct timespec t0, t1;
	struct sigaction sa;
	sigset_t block, old;

	if (jobs > WORKERS_MAX)
		jobs = WORKERS_MAX;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < total) {
		int status, slot;
		siginfo_t info;
		pid_t pid;

		while (!interrupted && running < jobs && next <= to) {
			for (slot = 0; workers[slot] > 0; slot++)
				;
			/* no signal between fork and the worker's handlers */
			sigprocmask(SIG_BLOCK, &block, &old);
			pid = fork();
			if (pid == 0) {
				atomic_signals_install();
				sigprocmask(SIG_SETMASK, &old, NULL);
				clear_progress = tty;
				_exit(one_month(j, next));
			}
			if (pid > 0) {
				workers[slot] = pid;
				wmonth[slot] = next;
			}
			sigprocmask(SIG_SETMASK, &old, NULL);
			if (pid < 0) {
				fprintf(stderr, "talot render: fork: %s\n",
				    strerror(errno));
				break;
			}
			next++;
			running++;
		}
		if (running == 0)
			break;
		/* wait without reaping: until reaped, a worker's pid stays
		 * its own, so the signal handler never hits a reused pid */
		memset(&info, 0, sizeof(info));
		if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		pid = info.si_pid;
		for (slot = 0; slot < WORKERS_MAX && workers[slot] != pid; slot++)
			;
		sigprocmask(SIG_BLOCK, &block, &old);
		if (slot < WORKERS_MAX)
			workers[slot] = 0;
		waitpid(pid, &status, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (slot == WORKERS_MAX)
			continue;
		running--;
		done++;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			failed++;
			if (!WIFEXITED(status)) {
				remove_month_leftovers(j, wmonth[slot], pid);
				if (!interrupted)
					fprintf(stderr, "%stalot render: %04d-%02d: worker killed by signal %d\n",
					    tty ? "\r\033[K" : "",
					    month_year(wmonth[slot]),
					    month_mon(wmonth[slot]),
					    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
			}
		}
		if (tty) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "\r\033[K[%d/%d] %04d-%02d  %.1f s", done,
			    total, month_year(wmonth[slot]),
			    month_mon(wmonth[slot]),
			    (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	if (interrupted) {
		fprintf(stderr, "talot render: interrupted: %d of %d months written\n",
		    done - failed, total);
		return 130;
	}
	fprintf(stderr, "talot render: %d month%s written, %d failed\n",
	    done - failed, done - failed == 1 ? "" : "s", failed + (total - done));
	return failed || done < total ? EXIT_DATA : EXIT_OK;
}

int
cmd_render(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "month", required_argument, NULL, 'm' },
		{ "to", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "template", required_argument, NULL, 'T' },
		{ "notes", required_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *mon = NULL, *to = NULL, *notes = NULL,
	    *tdir = NULL, *langlist = "ja";
	struct render_job j;
	struct lang_ctx langs[LANGS_MAX];
	char names[LANGS_MAX][8];
	size_t nlangs = 0;
	struct diag lwarn;
	struct err e = { "" };
	month_t from, until;
	struct stat sb;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c, rc;

	memset(&j, 0, sizeof(j));
	j.out_dir = ".";
	j.formats = RENDER_PDF | RENDER_XLSX;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'm':
			mon = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'o':
			j.out_dir = optarg;
			break;
		case 'f':
			if (!parse_formats(optarg, &j.formats))
				return cmd_usage_error("render",
				    "--format takes pdf, xlsx, html or a list like pdf,xlsx,html, not '%s'",
				    optarg);
			break;
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (*end != '\0' || jobs < 1 || jobs > 256)
				return cmd_usage_error("render",
				    "--jobs takes a number 1-256, not '%s'", optarg);
			break;
		case 'T':
			tdir = optarg;
			break;
		case 'n':
			notes = optarg;
			break;
		case 'L':
			langlist = optarg;
			break;
		default:
			return cmd_option_other("render", c, help, argv);
		}
	}
	if (optind < argc)
		return cmd_usage_error("render", "unexpected argument '%s'",
		    argv[optind]);
	if (db == NULL)
		return cmd_usage_error("render", "--db FILE is required");
	if (mon == NULL)
		return cmd_usage_error("render", "--month YYYY-MM is required");
	if (!month_parse(mon, &from))
		return cmd_usage_error("render", "--month '%s' is not YYYY-MM",
		    mon);
	until = from;
	if (to != NULL && !month_parse(to, &until))
		return cmd_usage_error("render", "--to '%s' is not YYYY-MM", to);
	if (until < from)
		return cmd_usage_error("render",
		    "--to %s is before --month %s (the range is backwards)", to,
		    mon);
	if (until - from >= 1200)
		return cmd_usage_error("render", "a range of more than 100 years");
	if (!langs_parse(langlist, names, &nlangs))
		return cmd_usage_error("render",
		    "--lang takes languages like ja, en or ja,en, not '%s'",
		    langlist);
	if (tdir != NULL && *tdir == '\0')
		return cmd_usage_error("render", "--template needs a folder");
	if (*j.out_dir == '\0')
		return cmd_usage_error("render", "--out needs a folder");
	if (!mkdir_parents(j.out_dir, &e)) {
		fprintf(stderr, "talot render: %s\n", e.msg);
		return EXIT_DATA;
	}
	if (stat(j.out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    access(j.out_dir, W_OK) != 0) {
		int errnum = errno;

		if (stat(j.out_dir, &sb) != 0)
			err_set(&e, "%s: no such folder", j.out_dir);
		else if (!S_ISDIR(sb.st_mode))
			err_set(&e, "%s: not a folder", j.out_dir);
		else
			err_set(&e, "%s: folder cannot be written (%s)",
			    j.out_dir, strerror(errnum));
		fprintf(stderr, "talot render: %s\n", e.msg);
		return EXIT_DATA;
	}
	j.db = db;
	diag_init(&lwarn, DIAG_CAP_DEFAULT);
	if (!langs_load(render_template_dir(tdir), names, nlangs, notes, langs,
	    &lwarn, &e)) {
		fprintf(stderr, "talot render: %s\n", e.msg);
		diag_finish(&lwarn);
		return EXIT_DATA;
	}
	diag_print_warnings(&lwarn, "talot render: ");
	diag_finish(&lwarn);
	j.langs = langs;
	j.nlangs = nlangs;
	if (!render_memory_check(RENDER_MEMORY_NEED, &e)) {
		fprintf(stderr, "talot render: %s\n", e.msg);
		langs_free(langs, nlangs);
		return EXIT_DATA;
	}
	if (!render_date(&j.date, &e)) {
		langs_free(langs, nlangs);
		return cmd_usage_error("render", "%s", e.msg);
	}
	j.first = from;
	j.last = (j.formats & RENDER_HTML) ? until : from - 1;
	for (month_t m = from; m <= until; m++) {
		static const char *const exts[] = { "pdf", "xlsx", "html",
			"json" };
		char path[4096], name[64];

		for (size_t l = 0; l < nlangs; l++)
			for (size_t i = 0; i < 4; i++) {
				snprintf(path, sizeof(path), "%s/%s", j.out_dir,
				    edition_file_name(m, langs[l].name, exts[i],
				    name, sizeof(name)));
				atomic_cleanup(path, false);
			}
	}
	render_fonts_init();
	for (size_t l = 0; l < nlangs; l++)
		if (!check_fonts(&langs[l].settings, langs[l].dir,
		    langs[l].notes_name, langs[l].notes_md, &e)) {
			fprintf(stderr, "talot render: %s\n", e.msg);
			langs_free(langs, nlangs);
			return EXIT_DATA;
		}
	if (from == until) {
		atomic_signals_install();
		rc = one_month(&j, from);
	}
	else
		rc = batch(&j, from, until, (int)jobs);
	/* the index lists the months whose pages are in the folder now,
	 * including those of earlier runs */
	if ((j.formats & RENDER_HTML) && rc != 130) {
		char idx[4096];

		snprintf(idx, sizeof(idx), "%s/index.html", j.out_dir);
		atomic_cleanup(idx, false);
		if (!site_index_rebuild(j.out_dir, &e)) {
			fprintf(stderr, "talot render: %s\n", e.msg);
			if (rc == EXIT_OK)
				rc = EXIT_DATA;
		}
	}
	langs_free(langs, nlangs);
	return rc;
}
