#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "cmd.h"
#include "fmt.h"
#include "import.h"

static const char help[] =
    "usage: talot import --db FILE CSV...\n"
    "\n"
    "Imports observation CSV files (header 'day,sensor,proto,port,country,\n"
    "accesses,sources') into the store FILE, creating it if needed.  All files\n"
    "form one transaction: on any error nothing is written.  Rows for a\n"
    "sensor-day replace what the store holds for that sensor-day, so importing\n"
    "a file twice changes nothing.  '-' reads standard input.\n";

int
cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct import_summary sum;
	struct store *s;
	struct diag d;
	struct err e = { "" };
	char b1[FMT_INT_MAX], b2[FMT_INT_MAX];
	int c, rc = EXIT_OK;
	struct stat sb;
	bool existed, ok;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		default:
			return cmd_option_other("import", c, help, argv);
		}
	}
	if (db == NULL)
		return cmd_usage_error("import", "--db FILE is required");
	if (optind >= argc)
		return cmd_usage_error("import", "no CSV file given");
	/* a new store is made aside and put in place only once its import
	 * committed: a failed or interrupted first import leaves nothing */
	existed = lstat(db, &sb) == 0 || errno != ENOENT;
	if (!existed)
		atomic_signals_install();
	s = store_open(db, existed ? STORE_WRITE : STORE_CREATE, &e);
	if (s == NULL) {
		fprintf(stderr, "talot import: %s\n", e.msg);
		return EXIT_DATA;
	}
	diag_init(&d, DIAG_CAP_DEFAULT);
	ok = import_files(s, argv + optind, (size_t)(argc - optind), &d, &sum,
	    &e);
	if (ok && !store_publish(s, &e)) {
		import_summary_finish(&sum);
		ok = false;
	}
	if (!ok) {
		if (e.msg[0])
			fprintf(stderr, "talot import: %s\n", e.msg);
		diag_print_errors(&d, "");
		fprintf(stderr, "talot import: nothing was imported (%zu error%s)\n",
		    d.nerrors + (e.msg[0] != '\0'),
		    d.nerrors + (e.msg[0] != '\0') == 1 ? "" : "s");
		rc = EXIT_DATA;
	} else {
		printf("imported %s rows, %s sensor-days (%lld replaced) into %s\n",
		    fmt_int(sum.rows, b1), fmt_int(sum.sensor_days, b2),
		    (long long)sum.replaced, store_path(s));
		printf("months touched:");
		for (size_t i = 0; i < sum.nmonths; i++)
			printf(" %04d-%02d", sum.months[i] / 100,
			    sum.months[i] % 100);
		printf("\n");
		import_summary_finish(&sum);
	}
	diag_finish(&d);
	store_close(s);   /* a new store not published is removed */
	return rc;
}
