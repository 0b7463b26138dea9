/* cmd_ingest.c — talot ingest: packet captures and firewall LOG lines into
 * the store, with countries, exact distinct sources and days cut in the
 * observatory's time zone.
 *
 * readers (ingest_read_file) → per event: sensor (--sensor or the map of
 * destination prefixes), excluded prefixes, country, day → the aggregator
 * (agg.h) → drained into the store's source sets (store_ingest.h), all in
 * one transaction. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#if TALOT_HAVE_LIBCRYPTO
#include <openssl/evp.h>
#else
#include <glib.h>
#endif

#include "agg.h"
#include "atomic.h"
#include "cmd.h"
#include "csv.h"
#include "fmt.h"
#include "ingest.h"
#include "render.h"
#include "settings.h"
#include "store_ingest.h"
#include "textfile.h"

static const char help[] =
    "usage: talot ingest --db FILE (--sensor NAME | --sensor-map FILE)\n"
    "                    --geoip FILE.mmdb [--tz ZONE] [--exclude FILE]\n"
    "                    [--year YYYY] [--template DIR] INPUT...\n"
    "\n"
    "Counts the inbound packets of captures (pcap, pcapng) and the records of\n"
    "iptables/nftables LOG lines into the store FILE (created if needed): per\n"
    "day, sensor, protocol/port and source country, the accesses and the exact\n"
    "number of distinct source addresses.  The format of each INPUT is found\n"
    "from its content.  All inputs form one transaction: on any error nothing\n"
    "is written.\n"
    "\n"
    "  --sensor NAME      every packet of the inputs reached this sensor\n"
    "  --sensor-map FILE  'CIDR NAME' lines: the sensor of each destination\n"
    "                     (longest prefix); packets to other addresses are\n"
    "                     not counted (reported)\n"
    "  --geoip FILE.mmdb  a MaxMind-format country database (GeoLite2-Country,\n"
    "                     DB-IP Country Lite); its type and build date are\n"
    "                     recorded for every sensor-day\n"
    "  --tz ZONE          the time zone that cuts days (Asia/Tokyo); default:\n"
    "                     'timezone' in the template's settings.conf, else UTC\n"
    "  --exclude FILE     'CIDR' lines: sources not counted (tallied)\n"
    "  --year YYYY        the year of traditional syslog stamps (Nov 30 12:00:01)\n"
    "  --template DIR     where settings.conf is looked for (as talot render)\n"
    "\n"
    "Runs combine exactly: ingesting the hourly captures of a day one by one\n"
    "gives the same counts as the day at once (accesses add, sources are the\n"
    "distinct union).  An input whose content was ingested before is skipped\n"
    "and said so.  A sensor-day imported from CSV is never combined with\n"
    "packets, nor an ingested one replaced by CSV.\n";

#define GEO_CACHE_BITS 16

struct geo_cache_slot {
	uint32_t addr1;          /* IPv4 address + 1; 0 = empty */
	char cc[3];
};

struct run {
	const char *sensor;        /* --sensor, or NULL */
	struct prefix_table *map, *exclude;
	struct geoip *geo;
	struct ingest_tz *tz;
	struct agg *agg;
	struct store_ingest *in;
	/* sensor names: index = agg's sensor number */
	char **names;
	size_t nnames, capnames;
	size_t sd_seen;            /* agg's sensor-days checked so far */
	struct geo_cache_slot *cache;
	/* this run's tallies */
	int64_t no_sensor, excluded, counted;
	const char *path;          /* the input being read */
};

static bool
sensor_name_ok(const char *s)
{
	return csv_sensor_valid(s, strlen(s));
}

/* The number of sensor name (added when new); -1 with e set. */
static int64_t
sensor_number(struct run *r, const char *name, struct err *e)
{
	for (size_t i = r->nnames; i-- > 0;)
		if (strcmp(r->names[i], name) == 0)
			return (int64_t)i;
	if (!sensor_name_ok(name))
		return err_set(e, "sensor name '%s': 1 to %d letters, digits, '_', '.' or '-'",
		    name, CSV_SENSOR_MAX), -1;
	if (r->nnames == r->capnames) {
		size_t ncap = r->capnames ? r->capnames * 2 : 16;
		void *n = realloc(r->names, ncap * sizeof(*r->names));

		if (n == NULL)
			return err_set(e, "out of memory"), -1;
		r->names = n;
		r->capnames = ncap;
	}
	if ((r->names[r->nnames] = strdup(name)) == NULL)
		return err_set(e, "out of memory"), -1;
	return (int64_t)r->nnames++;
}

static bool
to_store(void *ctx, const struct agg_cell *c, struct err *e)
{
	struct run *r = ctx;
	struct store_ingest_cell sc;

	memset(&sc, 0, sizeof(sc));
	sc.day = c->day;
	sc.sensor = r->names[c->sensor];
	sc.proto = c->proto;
	sc.port = c->port;
	memcpy(sc.cc, c->cc, 3);
	sc.accesses = c->accesses;
	sc.v4 = c->v4;
	sc.n4 = c->n4;
	sc.v6 = c->v6;
	sc.n6 = c->n6;
	return store_ingest_cell(r->in, &sc, e);
}

/* Checks the sensor-days agg met since the last call (the mixing rule). */
static bool
new_sensor_days(struct run *r, struct err *e)
{
	size_t n;
	const struct agg_sensor_day *sd = agg_sensor_days(r->agg, &n);

	for (; r->sd_seen < n; r->sd_seen++)
		if (!store_ingest_sensor_day(r->in, sd[r->sd_seen].day,
		    r->names[sd[r->sd_seen].sensor], e))
			return false;
	return true;
}

static bool
country(struct run *r, const struct ingest_event *ev, char cc[3],
    struct err *e)
{
	struct geo_cache_slot *c;
	uint32_t a;

	if (ev->family != 4)
		return geoip_country(r->geo, ev->family, ev->src, cc, e);
	a = (uint32_t)ev->src[0] << 24 | (uint32_t)ev->src[1] << 16 |
	    (uint32_t)ev->src[2] << 8 | ev->src[3];
	c = &r->cache[(a * UINT32_C(2654435761)) >> (32 - GEO_CACHE_BITS)];
	if (a != UINT32_MAX && c->addr1 == a + 1) {
		memcpy(cc, c->cc, 3);
		return true;
	}
	if (!geoip_country(r->geo, 4, ev->src, cc, e))
		return false;
	if (a != UINT32_MAX) {
		c->addr1 = a + 1;
		memcpy(c->cc, cc, 3);
	}
	return true;
}

static bool
on_event(void *ctx, const struct ingest_event *ev, struct err *e)
{
	struct run *r = ctx;
	int64_t sensor;
	int32_t day;
	char cc[3];

	if (r->sensor != NULL)
		sensor = 0;
	else {
		const char *name = prefix_table_match(r->map, ev->family,
		    ev->dst);

		if (name == NULL) {
			r->no_sensor++;
			return true;
		}
		if ((sensor = sensor_number(r, name, e)) < 0) {
			char msg[ERR_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s", e->msg);
			return err_set(e, "%s: %s", r->path, msg);
		}
	}
	day = ingest_tz_day(r->tz, ev->sec);
	if (day < 19700101 || day > 99991231)
		return err_set(e, "%s: a packet dated outside 1970-9999 (%lld)",
		    r->path, (long long)ev->sec);
	if (r->exclude != NULL &&
	    prefix_table_match(r->exclude, ev->family, ev->src) != NULL) {
		r->excluded++;
		if (!agg_exclude(r->agg, day, (uint32_t)sensor))
			return err_set(e, "out of memory");
		return agg_nsensor_days(r->agg) == r->sd_seen ||
		    new_sensor_days(r, e);
	}
	if (!country(r, ev, cc, e))
		return false;
	if (agg_full(r->agg) && !agg_drain(r->agg, to_store, r, e))
		return false;
	if (!agg_add(r->agg, day, (uint32_t)sensor, ev->proto, ev->port, cc,
	    ev->family, ev->src))
		return err_set(e, "out of memory");
	r->counted++;
	return agg_nsensor_days(r->agg) == r->sd_seen || new_sensor_days(r, e);
}

/* SHA-256 of the file's content as 64 hex digits into hex. */
static bool
file_sha256(const char *path, char hex[65], int64_t *bytes, struct err *e)
{
	unsigned char *buf, md[32];
	ssize_t n;
	bool ok = true;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
#if TALOT_HAVE_LIBCRYPTO
	EVP_MD_CTX *ck;
#else
	GChecksum *ck;
	gsize mdlen = sizeof(md);
#endif

	if (fd < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	buf = malloc(1 << 20);
#if TALOT_HAVE_LIBCRYPTO
	ck = EVP_MD_CTX_new();
	if (ck != NULL && EVP_DigestInit_ex(ck, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ck);
		ck = NULL;
	}
#else
	ck = g_checksum_new(G_CHECKSUM_SHA256);
#endif
	if (buf == NULL || ck == NULL) {
		close(fd);
		free(buf);
#if TALOT_HAVE_LIBCRYPTO
		EVP_MD_CTX_free(ck);
#else
		if (ck)
			g_checksum_free(ck);
#endif
		return err_set(e, "out of memory");
	}
	*bytes = 0;
	while ((n = read(fd, buf, 1 << 20)) > 0) {
#if TALOT_HAVE_LIBCRYPTO
		ok = ok && EVP_DigestUpdate(ck, buf, (size_t)n) == 1;
#else
		g_checksum_update(ck, buf, (gssize)n);
#endif
		*bytes += n;
	}
	if (n < 0)
		ok = err_set(e, "%s: %s", path, strerror(errno));
#if TALOT_HAVE_LIBCRYPTO
	if (ok && EVP_DigestFinal_ex(ck, md, NULL) != 1)
		ok = err_set(e, "%s: SHA-256 failed", path);
	EVP_MD_CTX_free(ck);
#else
	g_checksum_get_digest(ck, md, &mdlen);
	g_checksum_free(ck);
#endif
	for (int i = 0; ok && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	close(fd);
	free(buf);
	return ok;
}

/* The template folder whose settings.conf gives the time zone: DIR itself
 * when it is one language's folder, else DIR/ja. */
static char *
settings_dir(const char *tdir)
{
	const char *base = render_template_dir(tdir);
	char *p = path_join(base, "bulletin.md");
	struct stat sb;
	bool one = p != NULL && stat(p, &sb) == 0;

	free(p);
	return one ? strdup(base) : path_join(base, "ja");
}

static const char *
format_name(enum ingest_format f)
{
	return f == INGEST_PCAP ? "pcap" : f == INGEST_PCAPNG ? "pcapng" :
	    "LOG lines";
}

static void
print_summary(const struct ingest_file_stats *tot, size_t files,
    size_t skipped_files, const struct run *r,
    const struct store_ingest_summary *sum, const char *db)
{
	char b1[FMT_INT_MAX], b2[FMT_INT_MAX], b3[FMT_INT_MAX];
	bool any = false;

	printf("ingested %zu input%s (%zu already ingested, skipped): %s packets or lines, %s events\n",
	    files, files == 1 ? "" : "s", skipped_files,
	    fmt_int(tot->packets, b1), fmt_int(tot->events, b2));
	printf("not counted:");
	for (int k = 0; k < INGEST_SKIP_N; k++) {
		if (tot->skipped[k] == 0)
			continue;
		printf("%s %s %s", any ? "," : "",
		    ingest_skip_name((enum ingest_skip)k),
		    fmt_int(tot->skipped[k], b1));
		any = true;
	}
	if (r->no_sensor > 0) {
		printf("%s not to a sensor address %s", any ? "," : "",
		    fmt_int(r->no_sensor, b1));
		any = true;
	}
	printf("%s\n", any ? "" : " nothing");
	printf("excluded prefixes: %s packets\n", fmt_int(r->excluded, b1));
	printf("counted: %s accesses into %s (%s sensor-days written, %s combined with earlier runs)\n",
	    fmt_int(r->counted, b1), db, fmt_int(sum->import.sensor_days, b2),
	    fmt_int(sum->import.replaced, b3));
	printf("months touched:");
	for (size_t i = 0; i < sum->import.nmonths; i++)
		printf(" %04d-%02d", sum->import.months[i] / 100,
		    sum->import.months[i] % 100);
	printf("%s\n", sum->import.nmonths ? "" : " none");
}

int
cmd_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "sensor", required_argument, NULL, 's' },
		{ "sensor-map", required_argument, NULL, 'm' },
		{ "geoip", required_argument, NULL, 'g' },
		{ "tz", required_argument, NULL, 'z' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "year", required_argument, NULL, 'y' },
		{ "template", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *mapfile = NULL, *geofile = NULL, *zone = NULL,
	    *exclfile = NULL, *tdir = NULL;
	char zone_buf[64], zone_from[600], gbuild[32];
	struct ingest_read_opts ro;
	struct ingest_file_stats tot;
	struct store_ingest_summary sum;
	struct run r;
	struct store *s = NULL;
	struct err e = { "" };
	struct stat sb;
	size_t files = 0, skipped = 0;
	int c, year = 0, rc = EXIT_DATA;
	bool existed, committed = false;
	time_t gt;
	struct tm gtm;

	memset(&r, 0, sizeof(r));
	memset(&tot, 0, sizeof(tot));
	memset(&sum, 0, sizeof(sum));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 's':
			r.sensor = optarg;
			break;
		case 'm':
			mapfile = optarg;
			break;
		case 'g':
			geofile = optarg;
			break;
		case 'z':
			zone = optarg;
			break;
		case 'x':
			exclfile = optarg;
			break;
		case 'T':
			tdir = optarg;
			break;
		case 'y': {
			char *end;
			long y;

			errno = 0;
			y = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    y < 1970 || y > 9999)
				return cmd_usage_error("ingest",
				    "--year takes a year 1970-9999, not '%s'",
				    optarg);
			year = (int)y;
			break;
		}
		default:
			return cmd_option_other("ingest", c, help, argv);
		}
	}
	if (db == NULL)
		return cmd_usage_error("ingest", "--db FILE is required");
	if ((r.sensor == NULL) == (mapfile == NULL))
		return cmd_usage_error("ingest",
		    "give either --sensor NAME or --sensor-map FILE");
	if (geofile == NULL)
		return cmd_usage_error("ingest", "--geoip FILE.mmdb is required");
	if (optind >= argc)
		return cmd_usage_error("ingest", "no capture or log file given");
	if (r.sensor != NULL && !sensor_name_ok(r.sensor))
		return cmd_usage_error("ingest",
		    "--sensor '%s': 1 to %d letters, digits, '_', '.' or '-'",
		    r.sensor, CSV_SENSOR_MAX);
	if (zone != NULL && zone[0] == '\0')
		return cmd_usage_error("ingest", "--tz needs a zone name");

	/* the time zone: --tz, settings.conf, UTC */
	if (zone != NULL)
		snprintf(zone_from, sizeof(zone_from), "--tz");
	else {
		struct settings st;
		char *dir = settings_dir(tdir);

		if (dir == NULL) {
			fprintf(stderr, "talot ingest: out of memory\n");
			return EXIT_DATA;
		}
		if (!settings_load(dir, &st, &e)) {
			fprintf(stderr, "talot ingest: %s\n", e.msg);
			free(dir);
			return EXIT_DATA;
		}
		if (st.timezone[0] != '\0') {
			snprintf(zone_buf, sizeof(zone_buf), "%s", st.timezone);
			zone = zone_buf;
			snprintf(zone_from, sizeof(zone_from),
			    "timezone of %s/settings.conf", dir);
		} else {
			zone = "UTC";
			snprintf(zone_from, sizeof(zone_from),
			    "no timezone in %s/settings.conf", dir);
		}
		free(dir);
	}
	if ((r.tz = ingest_tz_open(zone, &e)) == NULL ||
	    (r.geo = geoip_open(geofile, &e)) == NULL ||
	    (mapfile != NULL &&
	    (r.map = prefix_table_load(mapfile, true, &e)) == NULL) ||
	    (exclfile != NULL &&
	    (r.exclude = prefix_table_load(exclfile, false, &e)) == NULL))
		goto out;
	if (r.sensor != NULL && sensor_number(&r, r.sensor, &e) < 0)
		goto out;
	r.agg = agg_create(0, 0);
	r.cache = calloc((size_t)1 << GEO_CACHE_BITS, sizeof(*r.cache));
	if (r.agg == NULL || r.cache == NULL) {
		err_set(&e, "out of memory");
		goto out;
	}
	gt = (time_t)geoip_build_epoch(r.geo);
	if (gmtime_r(&gt, &gtm) == NULL ||
	    strftime(gbuild, sizeof(gbuild), "%Y-%m-%d", &gtm) == 0)
		snprintf(gbuild, sizeof(gbuild), "?");
	printf("time zone: %s (%s)\n", zone, zone_from);
	printf("geolocation: %s, built %s (%s)\n", geoip_type(r.geo), gbuild,
	    geofile);

	/* a new store is made aside and put in place only once committed */
	existed = lstat(db, &sb) == 0 || errno != ENOENT;
	if (!existed)
		atomic_signals_install();
	s = store_open(db, existed ? STORE_WRITE : STORE_CREATE, &e);
	if (s == NULL || (r.in = store_ingest_begin(s, &e)) == NULL)
		goto out;
	memset(&ro, 0, sizeof(ro));
	ro.year = year;
	ro.tz = r.tz;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		struct ingest_file_stats st;
		enum ingest_format fmt;
		char hex[65], prev[512], when[32];
		int64_t bytes = 0, at = 0;
		int seen;

		if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			err_set(&e, "%s: not a regular file", path);
			goto out;
		}
		if (!file_sha256(path, hex, &bytes, &e))
			goto out;
		seen = store_ingest_input_seen(r.in, hex, prev, sizeof(prev),
		    &at, &e);
		if (seen < 0)
			goto out;
		if (seen) {
			time_t t = (time_t)at;
			struct tm tm;

			if (gmtime_r(&t, &tm) == NULL || strftime(when,
			    sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm) == 0)
				snprintf(when, sizeof(when), "?");
			printf("%s: already ingested (the same content as %s, ingested %s); skipped, nothing changes\n",
			    path, prev, when);
			skipped++;
			continue;
		}
		if (!ingest_detect(path, &fmt, &e))
			goto out;
		memset(&st, 0, sizeof(st));
		r.path = path;
		if (!ingest_read_file(path, &ro, on_event, &r, &st, &e)) {
			if (e.msg[0] == '\0')
				err_set(&e, "%s: cannot be read", path);
			goto out;
		}
		if (st.truncated)
			fprintf(stderr, "talot ingest: warning: %s: truncated at byte %lld; ingested up to the last complete packet\n",
			    path, (long long)st.truncated_at);
		if (!store_ingest_input_add(r.in, hex, path, bytes,
		    format_name(fmt), st.packets, st.events, st.truncated, &e))
			goto out;
		printf("%s: %s, %lld packets or lines, %lld events\n", path,
		    format_name(fmt), (long long)st.packets,
		    (long long)st.events);
		tot.packets += st.packets;
		tot.events += st.events;
		for (int k = 0; k < INGEST_SKIP_N; k++)
			tot.skipped[k] += st.skipped[k];
		files++;
	}
	if (!agg_drain(r.agg, to_store, &r, &e) || !new_sensor_days(&r, &e))
		goto out;
	{
		size_t nsd;
		const struct agg_sensor_day *sd = agg_sensor_days(r.agg, &nsd);

		for (size_t i = 0; i < nsd; i++)
			if (!store_ingest_note(r.in, sd[i].day,
			    r.names[sd[i].sensor], sd[i].excluded,
			    geoip_type(r.geo), geoip_build_epoch(r.geo), &e))
				goto out;
	}
	/* the pair buffer is not needed for the commit */
	agg_destroy(r.agg);
	r.agg = NULL;
	if (!store_ingest_commit(r.in, &sum, &e))
		goto out;
	committed = true;
	/* its statements would keep the new store from closing */
	store_ingest_destroy(r.in);
	r.in = NULL;
	if (!store_publish(s, &e))
		goto out;
	print_summary(&tot, files, skipped, &r, &sum, db);
	if (fflush(stdout) != 0 || ferror(stdout))
		fprintf(stderr, "talot ingest: cannot write the summary: %s\n",
		    strerror(errno));
	rc = EXIT_OK;
out:
	if (rc != EXIT_OK)
		fprintf(stderr, "talot ingest: %s%s\n", e.msg, committed ?
		    "" : "; nothing was written");
	import_summary_finish(&sum.import);
	store_ingest_destroy(r.in);
	store_close(s);   /* a new store not published is removed */
	agg_destroy(r.agg);
	free(r.cache);
	prefix_table_free(r.map);
	prefix_table_free(r.exclude);
	geoip_close(r.geo);
	ingest_tz_free(r.tz);
	for (size_t i = 0; i < r.nnames; i++)
		free(r.names[i]);
	free(r.names);
	return rc;
}
