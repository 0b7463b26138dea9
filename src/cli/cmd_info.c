#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "fmt.h"
#include "store.h"
#include "store_ingest.h"

static const char help[] =
    "usage: talot info --db FILE [--csv | --check]\n"
    "\n"
    "One line per month held in the store: sensors, observed sensor-days N,\n"
    "accesses A, sources S, A/N and S/N rounded, and the first and last\n"
    "observed day.  --csv prints the same as CSV with exact values.\n"
    "--check verifies that the rollups (day_rollup, month_port,\n"
    "month_country) equal the sums of the detail rows (sensor_day), and that\n"
    "ingested sensor-days equal their source sets: exit 0 if they agree, 1\n"
    "with a line naming the first difference.\n"
    "\n"
    "For months with sensor-days written by talot ingest, a second table gives\n"
    "the exact number of distinct source addresses over the whole month (every\n"
    "day and sensor: ユニーク発信元数) next to the summed sources (延べ), and\n"
    "the geolocation databases used; --csv then adds the columns\n"
    "ingested_sensor_days, unique_sources and geoip.\n";

static void
print_day(int32_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

/* "TYPE YYYY-MM-DD" of each database used in the month, separated by
 * ", " (sep ',') or by sep alone (';' in CSV, where the type's own
 * commas, quotes and control characters become '_'). */
static void
print_geoip(const struct store_ingest_month *m, char sep)
{
	for (size_t i = 0; i < m->ngeoip; i++) {
		time_t t = (time_t)m->geoip[i].build;
		struct tm tm;
		char d[16] = "?";

		if (gmtime_r(&t, &tm) != NULL)
			strftime(d, sizeof(d), "%Y-%m-%d", &tm);
		char type[sizeof(m->geoip[i].type)];

		snprintf(type, sizeof(type), "%s", m->geoip[i].type);
		for (char *p = type; sep != ',' && *p; p++)
			if (*p == ',' || *p == '"' || (unsigned char)*p < 0x20)
				*p = '_';
		if (i > 0)
			printf(sep == ',' ? ", " : "%c", sep);
		printf("%s %s", type, d);
	}
}

/* info --check; closes s. */
static int
check_store(struct store *s, const char *db)
{
	struct store_check c;
	struct err e = { "" };
	char b1[FMT_INT_MAX];
	int64_t ingested = 0;
	int rc = store_check(s, &c, &e);
	char name[512];

	if (rc == 1)
		rc = store_ingest_check(s, &ingested, &e);
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
	if (ingested > 0)
		printf("%s: the %s ingested sensor-days agree with their source sets\n",
		    db, fmt_int(ingested, b1));
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
	struct store_ingest_month *im = NULL;
	size_t n = 0, nim = 0;
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
	if (s == NULL || !store_months(s, &v, &n, &e) ||
	    !store_ingest_months(s, &im, &nim, &e)) {
		fprintf(stderr, "talot info: %s\n", e.msg);
		store_close(s);
		free(v);
		return EXIT_DATA;
	}
	if (csv)
		printf("month,sensors,sensor_days,accesses,sources,"
		    "accesses_per_sensor_day,sources_per_sensor_day,"
		    "first_day,last_day%s\n", nim > 0 ?
		    ",ingested_sensor_days,unique_sources,geoip" : "");
	else
		printf("%-8s %7s %11s %15s %13s %10s %10s  %-10s  %-10s\n",
		    "month", "sensors", "sensor-days", "accesses", "sources",
		    "acc/N", "src/N", "first", "last");
	for (size_t i = 0, j = 0; i < n; i++) {
		char f[16], l[16], a[FMT_INT_MAX], so[FMT_INT_MAX],
		    nd[FMT_INT_MAX], pa[FMT_INT_MAX], ps[FMT_INT_MAX];
		double an = v[i].sensor_days ? (double)v[i].accesses /
		    (double)v[i].sensor_days : 0;
		double sn = v[i].sensor_days ? (double)v[i].sources /
		    (double)v[i].sensor_days : 0;

		print_day(v[i].first_day, f, sizeof(f));
		print_day(v[i].last_day, l, sizeof(l));
		if (csv) {
			printf("%04d-%02d,%d,%lld,%lld,%lld,%.4f,%.4f,%s,%s",
			    v[i].month / 100, v[i].month % 100, v[i].sensors,
			    (long long)v[i].sensor_days,
			    (long long)v[i].accesses, (long long)v[i].sources,
			    an, sn, f, l);
			while (j < nim && im[j].month < v[i].month)
				j++;
			if (nim > 0 && j < nim && im[j].month == v[i].month) {
				printf(",%lld,%lld,", (long long)im[j].sensor_days,
				    (long long)im[j].unique_sources);
				print_geoip(&im[j], ';');
			} else if (nim > 0)
				printf(",0,,");
			printf("\n");
			continue;
		}
		printf("%04d-%02d  %7d %11s %15s %13s %10s %10s  %s  %s\n",
		    v[i].month / 100, v[i].month % 100, v[i].sensors,
		    fmt_int(v[i].sensor_days, nd), fmt_int(v[i].accesses, a),
		    fmt_int(v[i].sources, so), fmt_round_int(an, pa),
		    fmt_round_int(sn, ps), f, l);
	}
	if (nim > 0 && !csv) {
		printf("\ningested months: sources summed per day, sensor and key "
		    "(延べ) and distinct over the whole month (ユニーク発信元数)\n");
		printf("%-8s %16s %13s %15s %13s  %s\n", "month",
		    "ingested/all sd", "sources", "unique sources",
		    "excluded", "geolocation");
		for (size_t j = 0; j < nim; j++) {
			char a[FMT_INT_MAX], b[FMT_INT_MAX], c2[FMT_INT_MAX],
			    d[FMT_INT_MAX], cov[64];
			int64_t all = 0, sum = 0;

			for (size_t i = 0; i < n; i++)
				if (v[i].month == im[j].month) {
					all = v[i].sensor_days;
					sum = v[i].sources;
				}
			snprintf(cov, sizeof(cov), "%s/%s",
			    fmt_int(im[j].sensor_days, a), fmt_int(all, b));
			printf("%04d-%02d  %16s %13s %15s %13s  ",
			    im[j].month / 100, im[j].month % 100, cov,
			    fmt_int(sum, c2), fmt_int(im[j].unique_sources, d),
			    fmt_int(im[j].excluded, a));
			print_geoip(&im[j], ',');
			printf("%s\n", im[j].sensor_days < all ?
			    "  (unique over the ingested sensor-days only)" : "");
		}
	}
	if (n == 0 && !csv)
		printf("(the store holds no data)\n");
	free(v);
	store_ingest_months_free(im, nim);
	store_close(s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "talot info: cannot write the output: %s\n",
		    strerror(errno));
		return EXIT_DATA;
	}
	return EXIT_OK;
}
