/* store.c — see store.h.  The only file that includes sqlite3.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pack.h"

#define TALOT_APP_ID 0x54414C4F /* 'TALO' */
#define MAP_FLUSH_AT (1u << 19)

struct store {
	sqlite3 *db;
	char *path;
	bool writable;
	bool in_snapshot;
};

static const char *const schema_v1[] = {
	"CREATE TABLE sensor(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
	/* one row per observed sensor-day; data = its rows, packed (pack.h)
	 * with key (proto code << 16 | port) << 10 | country code */
	"CREATE TABLE sensor_day(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
	" cells INTEGER NOT NULL, accesses INTEGER NOT NULL,"
	" sources INTEGER NOT NULL, data BLOB NOT NULL,"
	" PRIMARY KEY(day, sensor))",
	/* one row per day: the day's sums over sensors, packed, per port,
	 * per country and per (port, country) */
	"CREATE TABLE day_rollup(day INTEGER PRIMARY KEY, ports BLOB NOT NULL,"
	" countries BLOB NOT NULL, port_countries BLOB NOT NULL)",
	"CREATE TABLE month_port(month INTEGER NOT NULL, proto INTEGER NOT NULL,"
	" port INTEGER NOT NULL, accesses INTEGER NOT NULL,"
	" sources INTEGER NOT NULL, PRIMARY KEY(month, proto, port)) WITHOUT ROWID",
	"CREATE TABLE month_country(month INTEGER NOT NULL, cc TEXT NOT NULL,"
	" accesses INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" PRIMARY KEY(month, cc)) WITHOUT ROWID",
};

static const char *const tables_v1[] = { "sensor", "sensor_day",
	"day_rollup", "month_port", "month_country" };

/* ---- helpers ---- */

static bool
db_fail(struct store *s, struct err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(s->db);

	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		return err_set(e, "%s: the store is damaged (%s while %s)",
		    s->path, sqlite3_errmsg(s->db), what);
	if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN)
		return err_set(e, "%s: cannot write the store (%s while %s)",
		    s->path, sqlite3_errmsg(s->db), what);
	if ((rc & 0xff) == SQLITE_FULL)
		return err_set(e, "%s: disk full while %s", s->path, what);
	if ((rc & 0xff) == SQLITE_BUSY)
		return err_set(e, "%s: the store is locked by another process (%s)",
		    s->path, what);
	return err_set(e, "%s: %s while %s", s->path, sqlite3_errmsg(s->db),
	    what);
}

static bool
exec(struct store *s, const char *sql, struct err *e)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, e, "updating the store");
	return true;
}

static sqlite3_stmt *
prep(struct store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		db_fail(s, e, "reading the store");
		return NULL;
	}
	return st;
}

static bool
pragma_int(struct store *s, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *st = prep(s, sql, e);
	bool ok;

	if (st == NULL)
		return false;
	ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok)
		*out = sqlite3_column_int64(st, 0);
	else
		db_fail(s, e, "reading the store header");
	sqlite3_finalize(st);
	return ok;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Looks at the file header without SQLite: 1 = a talot (or empty SQLite)
 * file worth opening, 0 = missing or empty, -1 = refused (e set). */
static int
check_header(const char *path, struct err *e)
{
	unsigned char h[100];
	struct stat sb;
	ssize_t n;
	int fd;

	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 :
		    (err_set(e, "%s: %s", path, strerror(errno)), -1);
	if (!S_ISREG(sb.st_mode))
		return err_set(e, "%s: not a regular file", path), -1;
	if (sb.st_size == 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "%s: %s", path, strerror(errno)), -1;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n < (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return err_set(e,
		    "%s: not a talot store (not an SQLite database); nothing was changed",
		    path), -1;
	if (be32(h + 68) != TALOT_APP_ID && be32(h + 68) != 0)
		return err_set(e,
		    "%s: not a talot store (an SQLite database of another application); nothing was changed",
		    path), -1;
	if (be32(h + 68) == TALOT_APP_ID && be32(h + 60) > STORE_SCHEMA_VERSION)
		return err_set(e,
		    "%s: made by a newer talot (store schema %u, this talot knows %d); upgrade talot",
		    path, be32(h + 60), STORE_SCHEMA_VERSION), -1;
	return 1;
}

static bool
create_schema(struct store *s, struct err *e)
{
	char sql[128];

	if (!exec(s, "BEGIN IMMEDIATE", e))
		return false;
	for (size_t i = 0; i < sizeof(schema_v1) / sizeof(*schema_v1); i++)
		if (!exec(s, schema_v1[i], e))
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id=%d",
	    (int)TALOT_APP_ID);
	if (!exec(s, sql, e))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d",
	    STORE_SCHEMA_VERSION);
	if (!exec(s, sql, e) || !exec(s, "COMMIT", e))
		goto fail;
	return true;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return false;
}

static bool
check_tables(struct store *s, struct err *e)
{
	sqlite3_stmt *st = prep(s,
	    "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?",
	    e);

	if (st == NULL)
		return false;
	for (size_t i = 0; i < sizeof(tables_v1) / sizeof(*tables_v1); i++) {
		sqlite3_bind_text(st, 1, tables_v1[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return db_fail(s, e, "reading the schema");
		}
		if (sqlite3_column_int(st, 0) != 1) {
			sqlite3_finalize(st);
			return err_set(e,
			    "%s: the store is damaged (table %s is missing)",
			    s->path, tables_v1[i]);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return true;
}

void
store_remove(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char buf[4096];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
		snprintf(buf, sizeof(buf), "%s%s", path, sfx[i]);
		unlink(buf);
	}
}

/* "file:PATH?immutable=1" with PATH escaped for a URI. */
static char *
immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *u = malloc(n * 3 + 32), *o = u;

	if (u == NULL)
		return NULL;
	o += sprintf(o, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			o += sprintf(o, "%%%02X", (unsigned char)*p);
		else
			*o++ = *p;
	}
	strcpy(o, "?immutable=1");
	return u;
}

static bool
wal_present(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s-wal", path);
	return access(buf, F_OK) == 0;
}

static bool
dir_writable(const char *path)
{
	char buf[4096], *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (slash == NULL)
		return access(".", W_OK) == 0;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return access(buf, W_OK) == 0;
}

struct store *
store_open(const char *path, enum store_mode mode, struct err *e)
{
	struct store *s;
	int hc, flags;
	int64_t app, ver, ntables;

	hc = check_header(path, e);
	if (hc < 0)
		return NULL;
	if (hc == 0 && mode == STORE_READ) {
		err_set(e, "%s: no such store (create one with 'talot import' or 'talot demo')",
		    path);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		err_set(e, "%s: out of memory", path);
		return NULL;
	}
	s->writable = mode == STORE_WRITE;
	flags = s->writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
	    SQLITE_OPEN_READONLY;
	if (!s->writable && !dir_writable(path) && !wal_present(path)) {
		/* a store in a folder we cannot write (a read-only medium):
		 * SQLite cannot make the WAL's shared-memory file there.  With
		 * no -wal file, everything is in the main file: read it as
		 * immutable.  (With a -wal, SQLite reads it read-only.) */
		char *uri = immutable_uri(path);

		if (uri == NULL) {
			store_close(s);
			err_set(e, "%s: out of memory", path);
			return NULL;
		}
		flags |= SQLITE_OPEN_URI;
		if (sqlite3_open_v2(uri, &s->db, flags | SQLITE_OPEN_NOMUTEX,
		    NULL) != SQLITE_OK) {
			free(uri);
			if (s->db != NULL)
				db_fail(s, e, "opening");
			else
				err_set(e, "%s: cannot open the store", path);
			store_close(s);
			return NULL;
		}
		free(uri);
	} else if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		if (s->db != NULL)
			db_fail(s, e, "opening");
		else
			err_set(e, "%s: cannot open the store", path);
		store_close(s);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	if (!pragma_int(s, "PRAGMA application_id", &app, e) ||
	    !pragma_int(s, "PRAGMA user_version", &ver, e) ||
	    !pragma_int(s, "SELECT count(*) FROM sqlite_master", &ntables, e))
		goto fail;
	if (app == 0 && ver == 0 && ntables == 0) {
		if (!s->writable) {
			err_set(e, "%s: the store is empty", path);
			goto fail;
		}
		if (!create_schema(s, e))
			goto fail;
	} else if (app != TALOT_APP_ID) {
		err_set(e, "%s: not a talot store (an SQLite database of another application); nothing was changed",
		    path);
		goto fail;
	} else if (ver > STORE_SCHEMA_VERSION) {
		err_set(e, "%s: made by a newer talot (store schema %lld, this talot knows %d); upgrade talot",
		    path, (long long)ver, STORE_SCHEMA_VERSION);
		goto fail;
	} else if (ver < 1) {
		err_set(e, "%s: the store is damaged (schema version %lld)", path,
		    (long long)ver);
		goto fail;
	}
	/* Schema 1 is the first: later versions migrate forward here, each
	 * step in its own transaction. */
	if (!check_tables(s, e))
		goto fail;
	if (s->writable) {
		if (!exec(s, "PRAGMA journal_mode=WAL", e) ||
		    !exec(s, "PRAGMA synchronous=NORMAL", e) ||
		    !exec(s, "PRAGMA cache_size=-65536", e))
			goto fail;
	} else if (!exec(s, "PRAGMA query_only=1", e))
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

/* ---- counting map: uint64 key -> counts, open addressing ---- */

struct slot {
	uint64_t key;      /* key + 1; 0 = empty */
	int64_t a, s, n;
};

struct cmap {
	struct slot *v;
	size_t cap, len;
};

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static struct slot *
cmap_find(struct cmap *m, uint64_t key, bool *fresh)
{
	size_t i;

	if (m->len * 2 >= m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 4096;
		struct slot *nv = calloc(ncap, sizeof(*nv));

		if (nv == NULL)
			return NULL;
		for (size_t k = 0; k < m->cap; k++) {
			if (m->v[k].key == 0)
				continue;
			i = mix(m->v[k].key) & (ncap - 1);
			while (nv[i].key != 0)
				i = (i + 1) & (ncap - 1);
			nv[i] = m->v[k];
		}
		free(m->v);
		m->v = nv;
		m->cap = ncap;
	}
	key++;
	i = mix(key) & (m->cap - 1);
	while (m->v[i].key != 0 && m->v[i].key != key)
		i = (i + 1) & (m->cap - 1);
	*fresh = m->v[i].key == 0;
	if (*fresh) {
		m->v[i].key = key;
		m->len++;
	}
	return &m->v[i];
}

static void
cmap_clear(struct cmap *m)
{
	if (m->v != NULL)
		memset(m->v, 0, m->cap * sizeof(*m->v));
	m->len = 0;
}

static void
cmap_free(struct cmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- import ---- */

/*
 * Rows are gathered per sensor-day (a small hash finds duplicate keys at
 * once) and written as one packed blob per sensor-day.  Rollup deltas are
 * summed in memory per (day, port), (day, country), (day, port, country),
 * (month, port), (month, country) and merged into the per-day blobs and the
 * monthly rows when the maps grow large and at commit: additions commute,
 * so flushing early is always right.  A sensor-day seen for the first time
 * in this import first subtracts what the store held for it.
 */

enum { R_DP, R_DC, R_PDC, R_MP, R_MC, R_N };

struct store_import {
	struct store *s;
	bool open;                 /* transaction open */
	sqlite3_stmt *ins_sensor, *get_sd, *put_sd, *get_day, *put_day,
	    *up_mp, *up_mc;
	struct cmap roll[R_N];
	struct cmap sd;            /* (day, sensor) seen: n = flags */
	/* the sensor-day being gathered */
	bool have_cur, cur_marker;
	int32_t cur_day;
	int64_t cur_sid;
	struct cmap cur_keys;      /* key -> index (in a) */
	struct pcell *buf;
	size_t nbuf, capbuf;
	char (*names)[CSV_SENSOR_MAX + 1];
	int64_t *ids;
	size_t nnames, capnames, last;
	int64_t rows, replaced, sensor_days;
	int32_t dmin, dmax;
	int32_t months[240];
	size_t nmonths;
};

enum { SD_MARKER = 2 };   /* flags of a (day, sensor) seen in this import */

static unsigned
proto_code(unsigned proto)
{
	return proto == 1 ? 0 : proto == 6 ? 1 : 2;
}

static unsigned
proto_decode(unsigned c)
{
	return c == 0 ? 1 : c == 1 ? 6 : 17;
}

static unsigned
cc_code(const char *cc)
{
	return (unsigned)(cc[0] - 'A') * 26 + (unsigned)(cc[1] - 'A');
}

static void
cc_decode(unsigned c, char out[3])
{
	out[0] = (char)('A' + c / 26 % 26);
	out[1] = (char)('A' + c % 26);
	out[2] = '\0';
}

/* Keys inside a day: port = proto 2 bits | port 16; cell = port << 10 | cc */
static uint64_t
pkey(unsigned proto, unsigned port)
{
	return (uint64_t)proto_code(proto) << 16 | port;
}

static uint64_t
ckey(unsigned proto, unsigned port, const char *cc)
{
	return pkey(proto, port) << 10 | cc_code(cc);
}

/* Map keys: day (or month) in the high bits, the in-day key below. */
#define SUB_BITS 28
#define SUB_MASK ((UINT64_C(1) << SUB_BITS) - 1)

static bool
add_counts(struct slot *sl, int sign, int64_t a, int64_t s)
{
	if (sign < 0) {
		a = -a;
		s = -s;
	}
	return !__builtin_add_overflow(sl->a, a, &sl->a) &&
	    !__builtin_add_overflow(sl->s, s, &sl->s);
}

static bool
roll_add(struct store_import *im, int32_t day, uint64_t cell, int sign,
    int64_t a, int64_t s, struct err *e)
{
	uint64_t port = cell >> 10, cc = cell & 0x3ff;
	uint64_t keys[R_N] = {
		(uint64_t)day << SUB_BITS | port,
		(uint64_t)day << SUB_BITS | cc,
		(uint64_t)day << SUB_BITS | cell,
		(uint64_t)(day / 100) << SUB_BITS | port,
		(uint64_t)(day / 100) << SUB_BITS | cc,
	};

	for (int r = 0; r < R_N; r++) {
		bool fresh;
		struct slot *sl = cmap_find(&im->roll[r], keys[r], &fresh);

		if (sl == NULL)
			return err_set(e, "%s: out of memory", im->s->path);
		if (!add_counts(sl, sign, a, s))
			return err_set(e, "counts too large: a sum exceeds 2^63");
	}
	return true;
}

static bool
step_done(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, what);
	return true;
}

static int
slot_cmp(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

/* The map's entries, sorted by key; *n set.  NULL if empty or no memory. */
static struct slot *
map_sorted(struct cmap *m, size_t *n, bool *ok)
{
	struct slot *v;
	size_t k = 0;

	*n = 0;
	if (m->len == 0)
		return NULL;
	v = malloc(m->len * sizeof(*v));
	if (v == NULL) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->v[i].key == 0)
			continue;
		v[k] = m->v[i];
		v[k++].key--;
	}
	qsort(v, k, sizeof(*v), slot_cmp);
	*n = k;
	return v;
}

static bool
blob_decode(struct store *s, sqlite3_stmt *st, int col, struct pcell **out,
    size_t *n, struct err *e)
{
	const void *b = sqlite3_column_blob(st, col);
	int len = sqlite3_column_bytes(st, col);

	if (!pack_decode(b, (size_t)(len > 0 ? len : 0), out, n))
		return err_set(e, errno == ENOMEM ?
		    "%s: out of memory decoding the store" :
		    "%s: the store is damaged (a packed list does not decode)",
		    s->path);
	return true;
}

/* Merges the deltas of one day (v[*i..] with that day) into base. */
static bool
merge_day(struct store *s, const struct pcell *base, size_t nb,
    struct slot *v, size_t nv, size_t *i, uint64_t day, struct pcell **out,
    size_t *n, struct err *e)
{
	size_t j = *i, k = 0;
	struct pcell *d;
	bool bad = false, ok;

	while (j < nv && v[j].key >> SUB_BITS == day)
		j++;
	d = malloc((j - *i + 1) * sizeof(*d));
	if (d == NULL)
		return err_set(e, "out of memory");
	for (size_t x = *i; x < j; x++) {
		if (v[x].a == 0 && v[x].s == 0)
			continue;
		d[k].key = v[x].key & SUB_MASK;
		d[k].a = v[x].a;
		d[k].s = v[x].s;
		k++;
	}
	*i = j;
	ok = pack_merge(base, nb, d, k, out, n, &bad);
	free(d);
	if (!ok)
		return bad ? err_set(e,
		    "%s: counts too large, or the store is damaged (a rollup went below zero)",
		    s->path) : err_set(e, "out of memory");
	return true;
}

static bool
bind_blob(sqlite3_stmt *st, int col, const struct pcell *v, size_t n)
{
	size_t len;
	uint8_t *b = pack_encode(v, n, &len);

	if (b == NULL)
		return false;
	return sqlite3_bind_blob64(st, col, b, len, free) == SQLITE_OK;
}

/* Merges the per-day maps into day_rollup rows. */
static bool
flush_days(struct store_import *im, struct err *e)
{
	struct store *s = im->s;
	struct slot *v[3];
	size_t n[3], at[3] = { 0, 0, 0 };
	bool ok = true;

	for (int r = 0; r < 3; r++)
		v[r] = map_sorted(&im->roll[r], &n[r], &ok);
	if (!ok) {
		for (int r = 0; r < 3; r++)
			free(v[r]);
		return err_set(e, "out of memory");
	}
	for (;;) {
		uint64_t day = UINT64_MAX;
		struct pcell *base[3] = { NULL, NULL, NULL },
		    *merged[3] = { NULL, NULL, NULL };
		size_t nbase[3] = { 0, 0, 0 }, nmerged[3] = { 0, 0, 0 };
		int rc;

		for (int r = 0; r < 3; r++)
			if (at[r] < n[r] && v[r][at[r]].key >> SUB_BITS < day)
				day = v[r][at[r]].key >> SUB_BITS;
		if (day == UINT64_MAX)
			break;
		sqlite3_bind_int64(im->get_day, 1, (int64_t)day);
		rc = sqlite3_step(im->get_day);
		if (rc == SQLITE_ROW) {
			for (int r = 0; ok && r < 3; r++)
				ok = blob_decode(s, im->get_day, r, &base[r],
				    &nbase[r], e);
		} else if (rc != SQLITE_DONE)
			ok = db_fail(s, e, "reading a day's rollups");
		sqlite3_reset(im->get_day);
		for (int r = 0; ok && r < 3; r++)
			ok = merge_day(s, base[r], nbase[r], v[r], n[r], &at[r],
			    day, &merged[r], &nmerged[r], e);
		if (ok) {
			sqlite3_bind_int64(im->put_day, 1, (int64_t)day);
			for (int r = 0; ok && r < 3; r++)
				if (!bind_blob(im->put_day, 2 + r, merged[r],
				    nmerged[r]))
					ok = err_set(e, "out of memory");
			ok = ok && step_done(s, im->put_day, e,
			    "writing a day's rollups");
			sqlite3_clear_bindings(im->put_day);
		}
		for (int r = 0; r < 3; r++) {
			free(base[r]);
			free(merged[r]);
		}
		if (!ok)
			break;
	}
	for (int r = 0; r < 3; r++) {
		free(v[r]);
		cmap_clear(&im->roll[r]);
	}
	return ok;
}

static bool
flush_months(struct store_import *im, struct err *e)
{
	for (int r = R_MP; r <= R_MC; r++) {
		struct cmap *m = &im->roll[r];
		sqlite3_stmt *st = r == R_MP ? im->up_mp : im->up_mc;

		for (size_t i = 0; i < m->cap; i++) {
			struct slot *sl = &m->v[i];
			uint64_t k, sub;
			char cc[3];

			if (sl->key == 0 || (sl->a == 0 && sl->s == 0))
				continue;
			k = sl->key - 1;
			sub = k & SUB_MASK;
			sqlite3_bind_int64(st, 1, (int64_t)(k >> SUB_BITS));
			if (r == R_MP) {
				sqlite3_bind_int(st, 2, (int)proto_decode(
				    (unsigned)(sub >> 16) & 3));
				sqlite3_bind_int(st, 3, (int)(sub & 0xffff));
				sqlite3_bind_int64(st, 4, sl->a);
				sqlite3_bind_int64(st, 5, sl->s);
			} else {
				cc_decode((unsigned)sub, cc);
				sqlite3_bind_text(st, 2, cc, 2, SQLITE_TRANSIENT);
				sqlite3_bind_int64(st, 3, sl->a);
				sqlite3_bind_int64(st, 4, sl->s);
			}
			if (!step_done(im->s, st, e, "writing monthly rollups"))
				return false;
		}
		cmap_clear(m);
	}
	return true;
}

static int64_t
sensor_id(struct store_import *im, const char *name, struct err *e)
{
	if (im->last < im->nnames && strcmp(im->names[im->last], name) == 0)
		return im->ids[im->last];
	for (size_t i = 0; i < im->nnames; i++) {
		if (strcmp(im->names[i], name) == 0) {
			im->last = i;
			return im->ids[i];
		}
	}
	if (im->nnames == im->capnames) {
		size_t ncap = im->capnames ? im->capnames * 2 : 64;
		void *nn = realloc(im->names, ncap * sizeof(*im->names));
		void *ni;

		if (nn == NULL)
			return err_set(e, "out of memory"), -1;
		im->names = nn;
		ni = realloc(im->ids, ncap * sizeof(*im->ids));
		if (ni == NULL)
			return err_set(e, "out of memory"), -1;
		im->ids = ni;
		im->capnames = ncap;
	}
	sqlite3_bind_text(im->ins_sensor, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(im->ins_sensor) != SQLITE_ROW) {
		sqlite3_reset(im->ins_sensor);
		db_fail(im->s, e, "adding a sensor");
		return -1;
	}
	im->ids[im->nnames] = sqlite3_column_int64(im->ins_sensor, 0);
	sqlite3_reset(im->ins_sensor);
	strcpy(im->names[im->nnames], name);
	im->last = im->nnames;
	return im->ids[im->nnames++];
}

struct store_import *
store_import_begin(struct store *s, struct err *e)
{
	struct store_import *im;

	if (!s->writable) {
		err_set(e, "%s: opened read-only", s->path);
		return NULL;
	}
	im = calloc(1, sizeof(*im));
	if (im == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	im->s = s;
	im->dmin = INT32_MAX;
	if (!exec(s, "BEGIN IMMEDIATE", e))
		goto fail;
	im->open = true;
	if ((im->ins_sensor = prep(s,
	    "INSERT INTO sensor(name) VALUES(?) ON CONFLICT(name) DO UPDATE"
	    " SET name=excluded.name RETURNING id", e)) == NULL ||
	    (im->get_sd = prep(s,
	    "SELECT data FROM sensor_day WHERE day=? AND sensor=?", e)) == NULL ||
	    (im->put_sd = prep(s,
	    "INSERT OR REPLACE INTO sensor_day(day, sensor, cells, accesses,"
	    " sources, data) VALUES(?,?,?,?,?,?)", e)) == NULL ||
	    (im->get_day = prep(s,
	    "SELECT ports, countries, port_countries FROM day_rollup"
	    " WHERE day=?", e)) == NULL ||
	    (im->put_day = prep(s,
	    "INSERT OR REPLACE INTO day_rollup(day, ports, countries,"
	    " port_countries) VALUES(?,?,?,?)", e)) == NULL ||
	    (im->up_mp = prep(s,
	    "INSERT INTO month_port VALUES(?,?,?,?,?) ON CONFLICT DO UPDATE"
	    " SET accesses=accesses+excluded.accesses,"
	    " sources=sources+excluded.sources", e)) == NULL ||
	    (im->up_mc = prep(s,
	    "INSERT INTO month_country VALUES(?,?,?,?) ON CONFLICT DO UPDATE"
	    " SET accesses=accesses+excluded.accesses,"
	    " sources=sources+excluded.sources", e)) == NULL)
		goto fail;
	return im;
fail:
	store_import_destroy(im);
	return NULL;
}

/* Reads the stored blob of (day, sid) into *v; *had false if none. */
static bool
read_sensor_day(struct store_import *im, int32_t day, int64_t sid,
    struct pcell **v, size_t *n, bool *had, struct err *e)
{
	int rc;
	bool ok = true;

	*v = NULL;
	*n = 0;
	sqlite3_bind_int(im->get_sd, 1, day);
	sqlite3_bind_int64(im->get_sd, 2, sid);
	rc = sqlite3_step(im->get_sd);
	*had = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ok = blob_decode(im->s, im->get_sd, 0, v, n, e);
	else if (rc != SQLITE_DONE)
		ok = db_fail(im->s, e, "reading a sensor-day");
	sqlite3_reset(im->get_sd);
	return ok;
}

static int
pcell_cmp(const void *pa, const void *pb)
{
	const struct pcell *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

/* Writes the sensor-day being gathered. */
static bool
flush_current(struct store_import *im, struct err *e)
{
	int64_t a = 0, s = 0;
	bool ok;

	if (!im->have_cur)
		return true;
	if (im->nbuf > 1)
		qsort(im->buf, im->nbuf, sizeof(*im->buf), pcell_cmp);
	for (size_t i = 0; i < im->nbuf; i++) {
		if (__builtin_add_overflow(a, im->buf[i].a, &a) ||
		    __builtin_add_overflow(s, im->buf[i].s, &s))
			return err_set(e, "counts too large: a sum exceeds 2^63");
	}
	sqlite3_bind_int(im->put_sd, 1, im->cur_day);
	sqlite3_bind_int64(im->put_sd, 2, im->cur_sid);
	sqlite3_bind_int64(im->put_sd, 3, (int64_t)im->nbuf);
	sqlite3_bind_int64(im->put_sd, 4, a);
	sqlite3_bind_int64(im->put_sd, 5, s);
	ok = bind_blob(im->put_sd, 6, im->buf, im->nbuf) ? true :
	    err_set(e, "out of memory");
	ok = ok && step_done(im->s, im->put_sd, e, "writing a sensor-day");
	sqlite3_clear_bindings(im->put_sd);
	im->have_cur = false;
	im->nbuf = 0;
	cmap_clear(&im->cur_keys);
	return ok;
}

static bool
buf_push(struct store_import *im, uint64_t key, int64_t a, int64_t s)
{
	if (im->nbuf == im->capbuf) {
		size_t ncap = im->capbuf ? im->capbuf * 2 : 4096;
		struct pcell *nb = realloc(im->buf, ncap * sizeof(*nb));

		if (nb == NULL)
			return false;
		im->buf = nb;
		im->capbuf = ncap;
	}
	im->buf[im->nbuf].key = key;
	im->buf[im->nbuf].a = a;
	im->buf[im->nbuf].s = s;
	im->nbuf++;
	return true;
}

/* Makes (day, sid) the sensor-day being gathered. */
static bool
switch_sensor_day(struct store_import *im, int32_t day, int64_t sid,
    struct err *e)
{
	struct pcell *old = NULL;
	size_t nold = 0;
	struct slot *sd;
	bool fresh, had, ok;

	if (!flush_current(im, e))
		return false;
	sd = cmap_find(&im->sd, (uint64_t)day << 30 | (uint64_t)sid, &fresh);
	if (sd == NULL)
		return err_set(e, "out of memory");
	if (!read_sensor_day(im, day, sid, &old, &nold, &had, e))
		return false;
	ok = true;
	if (fresh) {
		/* first time in this import: replace what the store held */
		if (had)
			im->replaced++;
		for (size_t i = 0; ok && i < nold; i++)
			ok = roll_add(im, day, old[i].key, -1, old[i].a, old[i].s,
			    e);
		im->sensor_days++;
		if (day < im->dmin)
			im->dmin = day;
		if (day > im->dmax)
			im->dmax = day;
		{
			bool seen = false;

			for (size_t m = 0; m < im->nmonths; m++)
				seen = seen || im->months[m] == day / 100;
			if (!seen && im->nmonths < sizeof(im->months) /
			    sizeof(*im->months))
				im->months[im->nmonths++] = day / 100;
		}
	} else {
		/* gathered before in this import: continue from it */
		for (size_t i = 0; ok && i < nold; i++) {
			bool f;
			struct slot *k = cmap_find(&im->cur_keys, old[i].key, &f);

			ok = k != NULL && buf_push(im, old[i].key, old[i].a,
			    old[i].s);
			if (!ok)
				err_set(e, "out of memory");
		}
	}
	free(old);
	im->have_cur = ok;
	im->cur_day = day;
	im->cur_sid = sid;
	im->cur_marker = (sd->n & SD_MARKER) != 0;
	return ok;
}

static const char *
day_str(int32_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d / 10000, d / 100 % 100,
	    d % 100);
	return buf;
}

int
store_import_row(struct store_import *im, const struct csv_row *r,
    struct err *e)
{
	char ds[16];
	uint64_t key;
	struct slot *k;
	int64_t sid;
	bool fresh;

	sid = sensor_id(im, r->sensor, e);
	if (sid < 0)
		return -1;
	if (sid >= (INT64_C(1) << 30))
		return err_set(e, "%s: too many sensors", im->s->path), -1;
	if (!im->have_cur || im->cur_day != r->day || im->cur_sid != sid) {
		if (!switch_sensor_day(im, r->day, sid, e))
			return -1;
	}
	im->rows++;
	if (r->marker) {
		struct slot *sd;

		if (im->cur_marker) {
			err_set(e, "duplicate '*' row for %s on %s", r->sensor,
			    day_str(r->day, ds, sizeof(ds)));
			return 0;
		}
		if (im->nbuf > 0) {
			err_set(e, "'*' row for %s on %s, which has traffic rows",
			    r->sensor, day_str(r->day, ds, sizeof(ds)));
			return 0;
		}
		im->cur_marker = true;
		sd = cmap_find(&im->sd, (uint64_t)r->day << 30 | (uint64_t)sid,
		    &fresh);
		if (sd != NULL)
			sd->n |= SD_MARKER;
		return 1;
	}
	if (im->cur_marker) {
		err_set(e, "traffic row for %s on %s, which has a '*' row",
		    r->sensor, day_str(r->day, ds, sizeof(ds)));
		return 0;
	}
	key = ckey(r->proto, r->port, r->cc);
	k = cmap_find(&im->cur_keys, key, &fresh);
	if (k == NULL)
		return err_set(e, "out of memory"), -1;
	if (!fresh) {
		err_set(e, "duplicate key: %s,%s,%s,%u,%s appears twice in this import",
		    day_str(r->day, ds, sizeof(ds)), r->sensor,
		    csv_proto_name(r->proto), r->port, r->cc);
		return 0;
	}
	if (!buf_push(im, key, r->accesses, r->sources))
		return err_set(e, "out of memory"), -1;
	if (!roll_add(im, r->day, key, 1, r->accesses, r->sources, e))
		return -1;
	if (im->roll[R_PDC].len >= MAP_FLUSH_AT &&
	    (!flush_days(im, e) || !flush_months(im, e)))
		return -1;
	return 1;
}

static int
month_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

bool
store_import_commit(struct store_import *im, struct import_summary *sum,
    struct err *e)
{
	struct store *s = im->s;
	sqlite3_stmt *chk;
	int64_t bad = 0;
	int rc;

	memset(sum, 0, sizeof(*sum));
	if (!flush_current(im, e) || !flush_days(im, e) ||
	    !flush_months(im, e))
		return false;
	if (im->replaced > 0) {
		/* replaced cells may have dropped to nothing */
		static const char *const zsql[] = {
			"DELETE FROM month_port WHERE accesses=0 AND sources=0"
			" AND month BETWEEN ? AND ?",
			"DELETE FROM month_country WHERE accesses=0 AND sources=0"
			" AND month BETWEEN ? AND ?",
		};

		for (size_t i = 0; i < 2; i++) {
			sqlite3_stmt *st = prep(s, zsql[i], e);
			bool ok;

			if (st == NULL)
				return false;
			sqlite3_bind_int(st, 1, im->dmin / 100);
			sqlite3_bind_int(st, 2, im->dmax / 100);
			ok = step_done(s, st, e, "removing emptied rollups");
			sqlite3_finalize(st);
			if (!ok)
				return false;
		}
	}
	/* SQLite turns an overflowing integer sum into a float, and sum()
	 * over sensor-days fails past 2^63: refuse both. */
	chk = prep(s,
	    "SELECT (SELECT count(*) FROM month_port WHERE typeof(accesses)<>'integer'"
	    " OR typeof(sources)<>'integer') + (SELECT count(*) FROM month_country"
	    " WHERE typeof(accesses)<>'integer' OR typeof(sources)<>'integer')", e);
	if (chk == NULL)
		return false;
	if (sqlite3_step(chk) == SQLITE_ROW)
		bad = sqlite3_column_int64(chk, 0);
	sqlite3_finalize(chk);
	chk = prep(s, "SELECT sum(accesses), sum(sources) FROM sensor_day"
	    " WHERE day BETWEEN ? AND ? GROUP BY day/100", e);
	if (chk == NULL)
		return false;
	sqlite3_bind_int(chk, 1, im->dmin / 100 * 100);
	sqlite3_bind_int(chk, 2, im->dmax / 100 * 100 + 99);
	while ((rc = sqlite3_step(chk)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		bad++;
	sqlite3_finalize(chk);
	if (bad > 0)
		return err_set(e, "%s: counts too large: a monthly sum would exceed 2^63; nothing was imported",
		    s->path);
	if (!exec(s, "COMMIT", e))
		return false;
	im->open = false;
	sum->rows = im->rows;
	sum->sensor_days = im->sensor_days;
	sum->replaced = im->replaced;
	sum->nmonths = im->nmonths;
	memcpy(sum->months, im->months, im->nmonths * sizeof(*im->months));
	qsort(sum->months, sum->nmonths, sizeof(*sum->months), month_cmp);
	return true;
}

void
store_import_destroy(struct store_import *im)
{
	if (im == NULL)
		return;
	sqlite3_finalize(im->ins_sensor);
	sqlite3_finalize(im->get_sd);
	sqlite3_finalize(im->put_sd);
	sqlite3_finalize(im->get_day);
	sqlite3_finalize(im->put_day);
	sqlite3_finalize(im->up_mp);
	sqlite3_finalize(im->up_mc);
	for (int r = 0; r < R_N; r++)
		cmap_free(&im->roll[r]);
	if (im->open)
		sqlite3_exec(im->s->db, "ROLLBACK", NULL, NULL, NULL);
	cmap_free(&im->sd);
	cmap_free(&im->cur_keys);
	free(im->buf);
	free(im->names);
	free(im->ids);
	free(im);
}

/* ---- reading ---- */

bool
store_months(struct store *s, struct store_month_info **out, size_t *n,
    struct err *e)
{
	sqlite3_stmt *st = prep(s,
	    "SELECT day/100, count(DISTINCT sensor), count(*), sum(accesses),"
	    " sum(sources), min(day), max(day) FROM sensor_day"
	    " GROUP BY day/100 ORDER BY day/100", e);
	struct store_month_info *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (st == NULL)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			void *nv = realloc(v, ncap * sizeof(*v));

			if (nv == NULL) {
				free(v);
				sqlite3_finalize(st);
				return err_set(e, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		v[len].month = sqlite3_column_int(st, 0);
		v[len].sensors = sqlite3_column_int(st, 1);
		v[len].sensor_days = sqlite3_column_int64(st, 2);
		v[len].accesses = sqlite3_column_int64(st, 3);
		v[len].sources = sqlite3_column_int64(st, 4);
		v[len].first_day = sqlite3_column_int(st, 5);
		v[len].last_day = sqlite3_column_int(st, 6);
		len++;
	}
	if (rc != SQLITE_DONE) {
		db_fail(s, e, "listing months");
		free(v);
		sqlite3_finalize(st);
		return false;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return true;
}

bool
store_snapshot_begin(struct store *s, struct err *e)
{
	/* A deferred transaction takes its read snapshot at the first read;
	 * read the schema now so that the snapshot starts here. */
	if (!exec(s, "BEGIN", e))
		return false;
	if (sqlite3_exec(s->db, "SELECT count(*) FROM sensor", NULL, NULL,
	    NULL) != SQLITE_OK) {
		db_fail(s, e, "starting a read");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	s->in_snapshot = true;
	return true;
}

void
store_snapshot_end(struct store *s)
{
	if (s->in_snapshot)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	s->in_snapshot = false;
}

static int32_t
yyyymm(month_t m)
{
	return month_year(m) * 100 + month_mon(m);
}

/* Room for one more element of elem bytes in *v (len used, *cap held). */
static bool
grow(void **v, size_t len, size_t *cap, size_t elem)
{
	size_t ncap;
	void *nv;

	if (len < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 256;
	nv = realloc(*v, ncap * elem);
	if (nv == NULL)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

static bool
push_cell(struct cell **v, size_t *len, size_t *cap, struct cell c)
{
	void *p = *v;

	if (!grow(&p, *len, cap, sizeof(c)))
		return false;
	*v = p;
	(*v)[(*len)++] = c;
	return true;
}

static bool
push_day_cell(struct day_cell **v, size_t *len, size_t *cap,
    struct day_cell c)
{
	void *p = *v;

	if (!grow(&p, *len, cap, sizeof(c)))
		return false;
	*v = p;
	(*v)[(*len)++] = c;
	return true;
}

static bool
read_cc(struct store *s, sqlite3_stmt *st, int col, char cc[3],
    struct err *e)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	if (t == NULL || strlen((const char *)t) != 2 || t[0] < 'A' ||
	    t[0] > 'Z' || t[1] < 'A' || t[1] > 'Z')
		return err_set(e, "%s: the store is damaged (bad country code)",
		    s->path);
	cc[0] = (char)t[0];
	cc[1] = (char)t[1];
	cc[2] = '\0';
	return true;
}

static bool
read_counts(struct store *s, sqlite3_stmt *st, int col, struct counts *c,
    struct err *e)
{
	if (sqlite3_column_type(st, col) != SQLITE_INTEGER ||
	    sqlite3_column_type(st, col + 1) != SQLITE_INTEGER)
		return err_set(e, "%s: the store is damaged (a count is not an integer)",
		    s->path);
	c->accesses = sqlite3_column_int64(st, col);
	c->sources = sqlite3_column_int64(st, col + 1);
	if (c->accesses < 0 || c->sources < 0)
		return err_set(e, "%s: the store is damaged (a negative count)",
		    s->path);
	return true;
}

static bool
load_month(struct store *s, month_t m, struct month_data *d, struct err *e)
{
	int32_t from = yyyymm(m) * 100 + 1, to = yyyymm(m) * 100 + 31;
	sqlite3_stmt *st;
	size_t cap;
	int rc;

	memset(d, 0, sizeof(*d));
	d->month = m;
	st = prep(s, "SELECT day, count(*), sum(accesses), sum(sources)"
	    " FROM sensor_day WHERE day BETWEEN ? AND ? GROUP BY day", e);
	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int day = sqlite3_column_int(st, 0) % 100;
		struct counts c;

		if (!read_counts(s, st, 2, &c, e)) {
			sqlite3_finalize(st);
			return false;
		}
		d->sensors_per_day[day] = sqlite3_column_int(st, 1);
		d->sensor_days += sqlite3_column_int(st, 1);
		if (__builtin_add_overflow(d->total.accesses, c.accesses,
		    &d->total.accesses) ||
		    __builtin_add_overflow(d->total.sources, c.sources,
		    &d->total.sources)) {
			sqlite3_finalize(st);
			return err_set(e, "%s: counts too large in %04d-%02d",
			    s->path, month_year(m), month_mon(m));
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "reading sensor-days");

	st = prep(s, "SELECT count(DISTINCT sensor) FROM sensor_day"
	    " WHERE day BETWEEN ? AND ?", e);
	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		d->sensors = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(s, e, "reading sensors");

	st = prep(s, "SELECT proto, port, accesses, sources FROM month_port"
	    " WHERE month=?", e);
	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, yyyymm(m));
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cell c;

		c.key = key_port(sqlite3_column_int(st, 0),
		    sqlite3_column_int(st, 1));
		if (!read_counts(s, st, 2, &c.c, e) ||
		    !push_cell(&d->ports, &d->nports, &cap, c)) {
			sqlite3_finalize(st);
			return e->msg[0] ? false : err_set(e, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "reading ports");

	st = prep(s, "SELECT cc, accesses, sources FROM month_country"
	    " WHERE month=?", e);
	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, yyyymm(m));
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cell c;

		memset(&c, 0, sizeof(c));
		c.key.kind = KEY_COUNTRY;
		if (!read_cc(s, st, 0, c.key.cc, e) ||
		    !read_counts(s, st, 1, &c.c, e) ||
		    !push_cell(&d->countries, &d->ncountries, &cap, c)) {
			sqlite3_finalize(st);
			return e->msg[0] ? false : err_set(e, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "reading countries");
	return true;
}

/* Decodes the day_rollup column col of M's days into day cells. */
static bool
load_days(struct store *s, month_t m, bool ports, struct day_cell **out,
    size_t *n, struct err *e)
{
	int32_t from = yyyymm(m) * 100 + 1, to = yyyymm(m) * 100 + 31;
	sqlite3_stmt *st = prep(s, ports ?
	    "SELECT day, ports FROM day_rollup WHERE day BETWEEN ? AND ?" :
	    "SELECT day, countries FROM day_rollup WHERE day BETWEEN ? AND ?",
	    e);
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int day = sqlite3_column_int(st, 0) % 100;
		struct pcell *v;
		size_t nv;

		if (!blob_decode(s, st, 1, &v, &nv, e)) {
			sqlite3_finalize(st);
			return false;
		}
		for (size_t i = 0; i < nv; i++) {
			struct day_cell c;

			memset(&c, 0, sizeof(c));
			c.day = day;
			if (ports) {
				c.key = key_port((int)proto_decode(
				    (unsigned)(v[i].key >> 16) & 3),
				    (int)(v[i].key & 0xffff));
			} else {
				c.key.kind = KEY_COUNTRY;
				cc_decode((unsigned)v[i].key, c.key.cc);
			}
			c.c.accesses = v[i].a;
			c.c.sources = v[i].s;
			if (!push_day_cell(out, n, &cap, c)) {
				free(v);
				sqlite3_finalize(st);
				return err_set(e, "out of memory");
			}
		}
		free(v);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "reading daily rollups");
	return true;
}

bool
store_month_data(struct store *s, month_t m, struct month_data *d,
    struct err *e)
{
	e->msg[0] = '\0';
	if (!load_month(s, m, d, e)) {
		month_data_finish(d);
		return false;
	}
	return true;
}

void
month_data_finish(struct month_data *d)
{
	free(d->ports);
	free(d->countries);
	d->ports = NULL;
	d->countries = NULL;
	d->nports = d->ncountries = 0;
}

bool
store_month_input(struct store *s, month_t m, struct month_input *in,
    struct err *e)
{
	memset(in, 0, sizeof(*in));
	in->month = m;
	e->msg[0] = '\0';
	for (int i = 0; i < MODEL_MONTHS; i++)
		if (!load_month(s, m - (MODEL_MONTHS - 1) + i, &in->six[i], e))
			goto fail;
	if (!load_days(s, m, true, &in->day_ports, &in->nday_ports, e) ||
	    !load_days(s, m, false, &in->day_countries, &in->nday_countries, e))
		goto fail;
	return true;
fail:
	month_input_finish(in);
	return false;
}

bool
store_port_day_country(struct store *s, struct key port, month_t from,
    month_t to, struct port_day_country **rows, size_t *n, struct err *e)
{
	sqlite3_stmt *st = prep(s,
	    "SELECT day, port_countries FROM day_rollup"
	    " WHERE day BETWEEN ? AND ? ORDER BY day", e);
	uint64_t lo = pkey(port.proto, port.port) << 10, hi = lo | 0x3ff;
	struct port_day_country *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, yyyymm(from) * 100 + 1);
	sqlite3_bind_int(st, 2, yyyymm(to) * 100 + 31);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t day = sqlite3_column_int(st, 0);
		struct pcell *c;
		size_t nc;

		if (!blob_decode(s, st, 1, &c, &nc, e))
			goto fail;
		for (size_t i = 0; i < nc; i++) {
			if (c[i].key < lo || c[i].key > hi)
				continue;
			if (len == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				void *nv = realloc(v, ncap * sizeof(*v));

				if (nv == NULL) {
					free(c);
					err_set(e, "out of memory");
					goto fail;
				}
				v = nv;
				cap = ncap;
			}
			v[len].month = month_make(day / 10000, day / 100 % 100);
			v[len].day = day % 100;
			cc_decode((unsigned)(c[i].key & 0x3ff), v[len].cc);
			v[len].c.accesses = c[i].a;
			v[len].c.sources = c[i].s;
			len++;
		}
		free(c);
	}
	if (rc != SQLITE_DONE) {
		db_fail(s, e, "reading a port's countries");
		goto fail;
	}
	sqlite3_finalize(st);
	*rows = v;
	*n = len;
	return true;
fail:
	sqlite3_finalize(st);
	free(v);
	return false;
}
