/* tzday.c — days cut in a time zone of the system's tz database.
 *
 * The C library does the zone arithmetic (TZ, tzset, localtime_r, mktime)
 * from the zone's file under TZDIR or /usr/share/zoneinfo.  glibc takes an
 * unknown zone for UTC without a word, so ingest_tz_open() first checks
 * that the zone's file exists and is a TZif file.
 *
 * Speed: each handle keeps the UTC intervals of the last two days it cut;
 * an event inside one costs a few comparisons.  Only an event outside it asks the
 * C library again (about 40 calls of localtime_r to find the new day's
 * bounds by bisection, so a day with a DST change is cut exactly too).
 *
 * The C library's zone is process-wide: while it computes, this file sets
 * TZ to the zone and restores it afterwards.  Not for use from threads.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ingest.h"
#include "ingest_internal.h"

#define ZONE_MAX 128

struct ingest_tz {
	char tzenv[PATH_MAX + 2];   /* ":/usr/share/zoneinfo/Asia/Tokyo" */
	/* the last two days cut: [lo, hi) in UTC seconds is day `day`
	 * (two, so that packets a little out of order around midnight do not
	 * recompute the day each time) */
	struct {
		int64_t lo, hi;
		int32_t day;
	} c[2];
	/* the last local day converted back (ingest_tz_utc): its midnight in
	 * UTC when the offset is one all day, else day_u = -1 */
	int32_t day_u;
	int64_t off_u;              /* local minus UTC, seconds */
};

static char *saved_tz;
static bool saved_tz_set;

/* Sets TZ to the zone (restore_tz() puts the old value back). */
static void
use_tz(const struct ingest_tz *tz)
{
	const char *cur = getenv("TZ");

	saved_tz_set = cur != NULL;
	free(saved_tz);
	saved_tz = cur != NULL ? strdup(cur) : NULL;
	if (cur != NULL && saved_tz == NULL)
		saved_tz_set = false;
	setenv("TZ", tz->tzenv, 1);
	tzset();
}

static void
restore_tz(void)
{
	if (saved_tz_set && saved_tz != NULL)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);
	saved_tz = NULL;
	saved_tz_set = false;
}

/* YYYYMMDD of t in the zone set by use_tz(). */
static int32_t
local_day(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
}

static bool
zone_name_ok(const char *z)
{
	size_t n = strlen(z);

	if (n == 0 || n > ZONE_MAX || z[0] == '/' || z[0] == '.' ||
	    strstr(z, "..") != NULL || strstr(z, "//") != NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = z[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '_' ||
		    c == '-' || c == '+'))
			return false;
	}
	return true;
}

struct ingest_tz *
ingest_tz_open(const char *zone, struct err *e)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	char magic[4];
	struct ingest_tz *tz;
	struct stat sb;
	FILE *fp;
	int n;

	if (zone == NULL || !zone_name_ok(zone))
		return err_set(e, "time zone '%s' is not a zone name of the tz "
		    "database (such as Asia/Tokyo or UTC)", zone != NULL ?
		    zone : ""), NULL;
	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	n = snprintf(path, sizeof(path), "%s/%s", dir, zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return err_set(e, "time zone '%s': name too long", zone), NULL;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return err_set(e, "unknown time zone '%s' (no %s; is tzdata "
		    "installed?)", zone, path), NULL;
	fp = fopen(path, "rb");
	if (fp == NULL)
		return err_set(e, "time zone '%s': %s: %s", zone, path,
		    strerror(errno)), NULL;
	if (fread(magic, 1, 4, fp) != 4 || memcmp(magic, "TZif", 4) != 0) {
		fclose(fp);
		return err_set(e, "time zone '%s': %s is not a tz database file",
		    zone, path), NULL;
	}
	fclose(fp);
	tz = calloc(1, sizeof(*tz));
	if (tz == NULL)
		return err_set(e, "out of memory"), NULL;
	snprintf(tz->tzenv, sizeof(tz->tzenv), ":%s", path);
	for (int i = 0; i < 2; i++) {
		tz->c[i].lo = 1;
		tz->c[i].hi = 0;   /* empty intervals: the first call computes */
	}
	tz->day_u = -1;
	return tz;
}

void
ingest_tz_free(struct ingest_tz *tz)
{
	free(tz);
}

/* The first t in (a, b] with local_day(t) > day, given local_day(a) <= day
 * < local_day(b). */
static int64_t
bisect(int64_t a, int64_t b, int32_t day)
{
	while (b - a > 1) {
		int64_t m = a + (b - a) / 2;
		if (local_day(m) > day)
			b = m;
		else
			a = m;
	}
	return b;
}

int32_t
ingest_tz_day(const struct ingest_tz *ctz, int64_t sec)
{
	/* the cache is not part of the handle's value */
	struct ingest_tz *tz = (struct ingest_tz *)ctz;
	int64_t lo, hi;
	int32_t day;

	if (sec >= tz->c[0].lo && sec < tz->c[0].hi)
		return tz->c[0].day;
	if (sec >= tz->c[1].lo && sec < tz->c[1].hi) {
		/* the other day again: make it the first */
		lo = tz->c[0].lo;
		hi = tz->c[0].hi;
		day = tz->c[0].day;
		tz->c[0] = tz->c[1];
		tz->c[1].lo = lo;
		tz->c[1].hi = hi;
		tz->c[1].day = day;
		return tz->c[0].day;
	}
	use_tz(tz);
	day = local_day(sec);
	/* no zone is 30 hours off its day's midnight: the day starts after
	 * sec - 30 h and ends before sec + 30 h.  bisect() finds the first
	 * second whose day exceeds the one given. */
	lo = local_day(sec - 108000) < day ?
	    bisect(sec - 108000, sec, day - 1) : sec;
	if (lo != sec && local_day(lo) != day)
		lo = sec;          /* a day split by a jump back: no cache */
	hi = local_day(sec + 108000) > day ?
	    bisect(sec, sec + 108000, day) : sec + 1;
	restore_tz();
	tz->c[1] = tz->c[0];
	tz->c[0].lo = lo;
	tz->c[0].hi = hi;
	tz->c[0].day = day;
	return day;
}

int64_t
ingest_tz_utc(const struct ingest_tz *ctz, int y, int mon, int d, int h,
    int mi, int s)
{
	struct ingest_tz *tz = (struct ingest_tz *)ctz;
	int32_t day = y * 10000 + mon * 100 + d;
	int64_t civil = ingest_days_from_civil(y, mon, d) * 86400 + h * 3600 +
	    mi * 60 + s;
	struct tm tm;
	time_t t;

	if (day == tz->day_u)
		return civil - tz->off_u;
	use_tz(tz);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	/* is the offset one all day?  Then later stamps of this day need no
	 * call at all. */
	{
		struct tm a, b;
		time_t t0, t1;
		int64_t midnight = ingest_days_from_civil(y, mon, d) * 86400;

		memset(&a, 0, sizeof(a));
		a.tm_year = y - 1900;
		a.tm_mon = mon - 1;
		a.tm_mday = d;
		a.tm_isdst = -1;
		b = a;
		b.tm_hour = 23;
		b.tm_min = 59;
		b.tm_sec = 59;
		t0 = mktime(&a);
		t1 = mktime(&b);
		if (t0 != (time_t)-1 && t1 != (time_t)-1 &&
		    midnight - (int64_t)t0 == midnight + 86399 - (int64_t)t1 &&
		    (int64_t)t - civil == (int64_t)t0 - midnight) {
			tz->day_u = day;
			tz->off_u = midnight - (int64_t)t0;
		} else {
			tz->day_u = -1;
		}
	}
	restore_tz();
	return (int64_t)t;
}
