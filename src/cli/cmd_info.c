#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fmt.h"
#include "store.h"

static const char help[] =
    "usage: talot info --db FILE [--csv | --check]\n"
    "\n"
    "One line per month held in the store: sensors, observed sensor-days N,\n"
    "accesses A, sources S, A/N and S/N rounded, and the first and last\n"
    "observed day.  --csv prints the same as CSV with exact values.\n"
    "--check verifies that the rollups (day_rollup, month_port,\n"
    "month_country) equal the sums of the detail rows (sensor_day): exit 0\n"
    "if they agree, 1 with a line naming the first difference.\n";

static void
print_day(int32_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

/* info --check; closes s. */
static int
check_store(struct store *s, const char *db)
{
	struct store_check c;
	struct err e = { "" };
	char b1[FMT_INT_MAX];
	int rc = store_check(s, &c, &e);
	char name[512];

	/* db is the store's name without a password; closing frees it */
	snprintf(name, sizeof(name), "%s", db);
	db = name;
	store_close(s);
	if (rc < 0) {
		fprintf(stderr, "talot info: %s\n", e.msg);
		return EXIT_DATA;
	}
	if (rc == 0) {
		fprintf(stderr, "talot info: %s: the rollups differ from the "
		    "detail rows: %s\n", db, e.msg);
		return EXIT_DATA;
	}
	printf("%s: the rollups agree with the detail rows (%s sensor-days, "
	    "%lld days, %lld months)\n", db, fmt_int(c.sensor_days, b1),
	    (long long)c.days, (long long)c.months);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_DATA;
}

int
cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "csv", no_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	bool csv = false, check = false;
	struct store_month_info *v = NULL;
	size_t n = 0;
	struct store *s;
	struct err e = { "" };
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'c':
			csv = true;
			break;
		case 'k':
			check = true;
			break;
		default:
			return cmd_option_other("info", c, help, argv);
		}
	}
	if (db == NULL)
		return cmd_usage_error("info", "--db FILE is required");
	if (optind < argc)
		return cmd_usage_error("info", "unexpected argument '%s'",
		    argv[optind]);
	if (csv && check)
		return cmd_usage_error("info", "--csv and --check do not go together");
	s = store_open(db, STORE_READ, &e);
	if (s != NULL && check)
		return check_store(s, store_path(s));
	if (s == NULL || !store_months(s, &v, &n, &e)) {
		fprintf(stderr, "talot info: %s\n", e.msg);
		store_close(s);
		return EXIT_DATA;
	}
	if (csv)
		printf("month,sensors,sensor_days,accesses,sources,"
		    "accesses_per_sensor_day,sources_per_sensor_day,"
		    "first_day,last_day\n");
	else
		printf("%-8s %7s %11s %15s %13s %10s %10s  %-10s  %-10s\n",
		    "month", "sensors", "sensor-days", "accesses", "sources",
		    "acc/N", "src/N", "first", "last");
	for (size_t i = 0; i < n; i++) {
		char f[16], l[16], a[FMT_INT_MAX], so[FMT_INT_MAX],
		    nd[FMT_INT_MAX], pa[FMT_INT_MAX], ps[FMT_INT_MAX];
		double an = v[i].sensor_days ? (double)v[i].accesses /
		    (double)v[i].sensor_days : 0;
		double sn = v[i].sensor_days ? (double)v[i].sources /
		    (double)v[i].sensor_days : 0;

		print_day(v[i].first_day, f, sizeof(f));
		print_day(v[i].last_day, l, sizeof(l));
		if (csv) {
			printf("%04d-%02d,%d,%lld,%lld,%lld,%.4f,%.4f,%s,%s\n",
			    v[i].month / 100, v[i].month % 100, v[i].sensors,
			    (long long)v[i].sensor_days,
			    (long long)v[i].accesses, (long long)v[i].sources,
			    an, sn, f, l);
			continue;
		}
		printf("%04d-%02d  %7d %11s %15s %13s %10s %10s  %s  %s\n",
		    v[i].month / 100, v[i].month % 100, v[i].sensors,
		    fmt_int(v[i].sensor_days, nd), fmt_int(v[i].accesses, a),
		    fmt_int(v[i].sources, so), fmt_round_int(an, pa),
		    fmt_round_int(sn, ps), f, l);
	}
	if (n == 0 && !csv)
		printf("(the store holds no data)\n");
	free(v);
	store_close(s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "talot info: cannot write the output: %s\n",
		    strerror(errno));
		return EXIT_DATA;
	}
	return EXIT_OK;
}
