#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "cmd.h"
#include "demo.h"
#include "fmt.h"
#include "import.h"

static const char help[] =
    "usage: talot demo --db FILE [--csv OUT.csv] [--force]\n"
    "\n"
    "Writes the deterministic sample store: 2007-01..2007-06, 10 sensors,\n"
    "reproducing the June 2007 figures of the model bulletin (A = 293,252,\n"
    "N = 270, 1-3 June unobserved).  The data goes through the normal import;\n"
    "--csv also keeps the generated CSV ('-' writes it to standard output).\n"
    "FILE must not exist: --force imports the sample months into an existing\n"
    "store, replacing what it holds for those sensor-days.\n";

int
cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "csv", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *csv = NULL;
	struct import_summary sum;
	struct store_import *im = NULL;
	struct store *s = NULL;
	struct diag d;
	struct err e = { "" };
	FILE *fp;
	char b1[FMT_INT_MAX];
	int c, rc = EXIT_DATA;
	FILE *msg = stdout;
	struct stat sb;
	bool existed, force = false;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'c':
			csv = optarg;
			break;
		case 'f':
			force = true;
			break;
		default:
			return cmd_option_other("demo", c, help, argv);
		}
	}
	if (db == NULL)
		return cmd_usage_error("demo", "--db FILE is required");
	if (optind < argc)
		return cmd_usage_error("demo", "unexpected argument '%s'",
		    argv[optind]);
	existed = lstat(db, &sb) == 0 || errno != ENOENT;
	if (existed && !force) {
		fprintf(stderr, "talot demo: %s: already exists; the sample "
		    "store is written only to a new file (--force imports it "
		    "into this store)\n", db);
		return EXIT_DATA;
	}
	if (csv != NULL && strcmp(csv, "-") == 0) {
		msg = stderr;   /* stdout holds the CSV */
		if (!demo_write_csv(stdout, &e) || fflush(stdout) != 0 ||
		    ferror(stdout)) {
			if (!e.msg[0])
				err_set(&e, "standard output: %s",
				    strerror(errno));
			fprintf(stderr, "talot demo: %s\n", e.msg);
			return EXIT_DATA;
		}
	} else if (csv != NULL) {
		/* the CSV kept for the user, written atomically */
		struct atomic_file af;

		if (!atomic_begin(&af, csv, &e) || !demo_write_csv(af.fp, &e) ||
		    !atomic_commit(&af, &e)) {
			atomic_abort(&af);
			fprintf(stderr, "talot demo: %s\n", e.msg);
			return EXIT_DATA;
		}
	}
	fp = tmpfile();
	if (fp == NULL) {
		fprintf(stderr, "talot demo: temporary file: %s\n",
		    strerror(errno));
		return EXIT_DATA;
	}
	diag_init(&d, DIAG_CAP_DEFAULT);
	if (!demo_write_csv(fp, &e) || fflush(fp) != 0) {
		if (!e.msg[0])
			err_set(&e, "temporary file: %s", strerror(errno));
		goto out;
	}
	rewind(fp);
	if (!existed)
		atomic_signals_install();
	if ((s = store_open(db, existed ? STORE_WRITE : STORE_CREATE, &e)) ==
	    NULL ||
	    (im = store_import_begin(s, &e)) == NULL ||
	    !import_stream(im, fp, "demo.csv", &d, &e))
		goto out;
	if (d.nerrors > 0)
		goto out;
	if (!store_import_commit(im, &sum, &e))
		goto out;
	store_import_destroy(im);   /* its statements, before the close */
	im = NULL;
	if (!store_publish(s, &e)) {
		import_summary_finish(&sum);
		goto out;
	}
	fprintf(msg, "wrote the sample store %s: %s rows, %lld sensor-days, "
	    "2007-01..2007-06\n", db, fmt_int(sum.rows, b1),
	    (long long)sum.sensor_days);
	import_summary_finish(&sum);
	rc = EXIT_OK;
out:
	if (rc != EXIT_OK) {
		if (e.msg[0])
			fprintf(stderr, "talot demo: %s\n", e.msg);
		diag_print_errors(&d, "talot demo: ");
	}
	store_import_destroy(im);
	store_close(s);   /* a new store not published is removed */
	diag_finish(&d);
	fclose(fp);
	return rc;
}
