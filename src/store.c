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

#define TALOT_APP_ID 0x54414C4F /* 'TALO' */
#define MAP_FLUSH_AT (1u << 21)

struct store {
	sqlite3 *db;
	char *path;
	bool writable;
	bool in_snapshot;
};

static const char *const schema_v1[] = {
	"CREATE TABLE sensor(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
	"CREATE TABLE sensor_day(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
	" cells INTEGER NOT NULL, accesses INTEGER NOT NULL,"
	" sources INTEGER NOT NULL, PRIMARY KEY(day, sensor)) WITHOUT ROWID",
	"CREATE TABLE detail(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
	" proto INTEGER NOT NULL, port INTEGER NOT NULL, cc TEXT NOT NULL,"
	" accesses INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" PRIMARY KEY(day, sensor, proto, port, cc)) WITHOUT ROWID",
	"CREATE TABLE day_port(day INTEGER NOT NULL, proto INTEGER NOT NULL,"
	" port INTEGER NOT NULL, accesses INTEGER NOT NULL,"
	" sources INTEGER NOT NULL, PRIMARY KEY(day, proto, port)) WITHOUT ROWID",
	"CREATE TABLE day_country(day INTEGER NOT NULL, cc TEXT NOT NULL,"
	" accesses INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" PRIMARY KEY(day, cc)) WITHOUT ROWID",
	"CREATE TABLE port_day_country(proto INTEGER NOT NULL,"
	" port INTEGER NOT NULL, day INTEGER NOT NULL, cc TEXT NOT NULL,"
	" accesses INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" PRIMARY KEY(proto, port, day, cc)) WITHOUT ROWID",
	"CREATE TABLE month_port(month INTEGER NOT NULL, proto INTEGER NOT NULL,"
	" port INTEGER NOT NULL, accesses INTEGER NOT NULL,"
	" sources INTEGER NOT NULL, PRIMARY KEY(month, proto, port)) WITHOUT ROWID",
	"CREATE TABLE month_country(month INTEGER NOT NULL, cc TEXT NOT NULL,"
	" accesses INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" PRIMARY KEY(month, cc)) WITHOUT ROWID",
};

static const char *const tables_v1[] = { "sensor", "sensor_day", "detail",
	"day_port", "day_country", "port_day_country", "month_port",
	"month_country" };

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
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
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
		    !exec(s, "PRAGMA cache_size=-131072", e))
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

enum { R_DP, R_DC, R_PDC, R_MP, R_MC, R_N };

struct store_import {
	struct store *s;
	bool open;                 /* transaction open */
	sqlite3_stmt *ins_detail, *ins_sensor, *has_sd, *old_detail,
	    *del_detail, *del_sd, *ins_sd, *up[R_N];
	struct cmap roll[R_N];
	struct cmap sd;            /* (day, sensor) -> cells, a, s; n bit flags */
	char (*names)[CSV_SENSOR_MAX + 1];
	int64_t *ids;
	size_t nnames, capnames, last;
	int64_t rows, replaced;
	int32_t dmin, dmax;
	bool overflow;
};

enum { SD_MARKER = 1, SD_DATA = 2 };

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
	out[0] = (char)('A' + c / 26);
	out[1] = (char)('A' + c % 26);
	out[2] = '\0';
}

/* keys: day 27 bits, port 16, proto 2, cc 10, month 20 */
static uint64_t
k_dp(int32_t day, unsigned proto, unsigned port)
{
	return (uint64_t)day << 18 | proto_code(proto) << 16 | port;
}

static uint64_t
k_dc(int32_t day, const char *cc)
{
	return (uint64_t)day << 10 | cc_code(cc);
}

static uint64_t
k_pdc(int32_t day, unsigned proto, unsigned port, const char *cc)
{
	return ((uint64_t)proto_code(proto) << 16 | port) << 37 |
	    (uint64_t)day << 10 | cc_code(cc);
}

static bool
add_counts(struct store_import *im, struct slot *sl, int sign, int64_t a,
    int64_t s)
{
	if (sign < 0) {
		a = -a;
		s = -s;
	}
	if (__builtin_add_overflow(sl->a, a, &sl->a) ||
	    __builtin_add_overflow(sl->s, s, &sl->s)) {
		im->overflow = true;
		return false;
	}
	return true;
}

static bool
roll_add(struct store_import *im, int32_t day, unsigned proto, unsigned port,
    const char *cc, int sign, int64_t a, int64_t s, struct err *e)
{
	int32_t month = day / 100;
	uint64_t keys[R_N] = {
		k_dp(day, proto, port), k_dc(day, cc),
		k_pdc(day, proto, port, cc),
		k_dp(month, proto, port), k_dc(month, cc),
	};

	for (int r = 0; r < R_N; r++) {
		bool fresh;
		struct slot *sl = cmap_find(&im->roll[r], keys[r], &fresh);

		if (sl == NULL)
			return err_set(e, "%s: out of memory", im->s->path);
		if (!add_counts(im, sl, sign, a, s))
			return err_set(e,
			    "%s: counts too large: a sum exceeds 2^63", im->s->path);
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

static bool
flush_rollups(struct store_import *im, struct err *e)
{
	for (int r = 0; r < R_N; r++) {
		struct cmap *m = &im->roll[r];
		sqlite3_stmt *st = im->up[r];

		for (size_t i = 0; i < m->cap; i++) {
			struct slot *sl = &m->v[i];
			uint64_t k;
			char cc[3];
			int c = 1;

			/* a zero delta changes nothing: no 0/0 cells are written */
			if (sl->key == 0 || (sl->a == 0 && sl->s == 0))
				continue;
			k = sl->key - 1;
			switch (r) {
			case R_DP:
			case R_MP:
				sqlite3_bind_int64(st, c++, (int64_t)(k >> 18));
				sqlite3_bind_int(st, c++,
				    (int)proto_decode((k >> 16) & 3));
				sqlite3_bind_int(st, c++, (int)(k & 0xffff));
				break;
			case R_DC:
			case R_MC:
				cc_decode(k & 0x3ff, cc);
				sqlite3_bind_int64(st, c++, (int64_t)(k >> 10));
				sqlite3_bind_text(st, c++, cc, 2, SQLITE_TRANSIENT);
				break;
			case R_PDC:
				cc_decode(k & 0x3ff, cc);
				sqlite3_bind_int(st, c++,
				    (int)proto_decode((k >> 53) & 3));
				sqlite3_bind_int(st, c++, (int)((k >> 37) & 0xffff));
				sqlite3_bind_int64(st, c++,
				    (int64_t)((k >> 10) & 0x7ffffff));
				sqlite3_bind_text(st, c++, cc, 2, SQLITE_TRANSIENT);
				break;
			}
			sqlite3_bind_int64(st, c++, sl->a);
			sqlite3_bind_int64(st, c++, sl->s);
			if (!step_done(im->s, st, e, "writing rollups"))
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
	static const char *const up_sql[R_N] = {
		"INSERT INTO day_port VALUES(?,?,?,?,?) ON CONFLICT DO UPDATE"
		" SET accesses=accesses+excluded.accesses,"
		" sources=sources+excluded.sources",
		"INSERT INTO day_country VALUES(?,?,?,?) ON CONFLICT DO UPDATE"
		" SET accesses=accesses+excluded.accesses,"
		" sources=sources+excluded.sources",
		"INSERT INTO port_day_country VALUES(?,?,?,?,?,?) ON CONFLICT DO"
		" UPDATE SET accesses=accesses+excluded.accesses,"
		" sources=sources+excluded.sources",
		"INSERT INTO month_port VALUES(?,?,?,?,?) ON CONFLICT DO UPDATE"
		" SET accesses=accesses+excluded.accesses,"
		" sources=sources+excluded.sources",
		"INSERT INTO month_country VALUES(?,?,?,?) ON CONFLICT DO UPDATE"
		" SET accesses=accesses+excluded.accesses,"
		" sources=sources+excluded.sources",
	};
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
	if ((im->ins_detail = prep(s,
	    "INSERT INTO detail VALUES(?,?,?,?,?,?,?)", e)) == NULL ||
	    (im->ins_sensor = prep(s,
	    "INSERT INTO sensor(name) VALUES(?) ON CONFLICT(name) DO UPDATE"
	    " SET name=excluded.name RETURNING id", e)) == NULL ||
	    (im->has_sd = prep(s,
	    "SELECT 1 FROM sensor_day WHERE day=? AND sensor=?", e)) == NULL ||
	    (im->old_detail = prep(s,
	    "SELECT proto, port, cc, accesses, sources FROM detail"
	    " WHERE day=? AND sensor=?", e)) == NULL ||
	    (im->del_detail = prep(s,
	    "DELETE FROM detail WHERE day=? AND sensor=?", e)) == NULL ||
	    (im->del_sd = prep(s,
	    "DELETE FROM sensor_day WHERE day=? AND sensor=?", e)) == NULL ||
	    (im->ins_sd = prep(s,
	    "INSERT INTO sensor_day VALUES(?,?,?,?,?)", e)) == NULL)
		goto fail;
	for (int r = 0; r < R_N; r++)
		if ((im->up[r] = prep(s, up_sql[r], e)) == NULL)
			goto fail;
	return im;
fail:
	store_import_destroy(im);
	return NULL;
}

/* First row of (day, sensor) in this import: subtract and delete what the
 * store holds for it. */
static bool
replace_sensor_day(struct store_import *im, int32_t day, int64_t sid,
    struct err *e)
{
	struct store *s = im->s;
	int rc;
	bool had;

	sqlite3_bind_int(im->has_sd, 1, day);
	sqlite3_bind_int64(im->has_sd, 2, sid);
	rc = sqlite3_step(im->has_sd);
	sqlite3_reset(im->has_sd);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, e, "reading a sensor-day");
	had = rc == SQLITE_ROW;
	if (!had)
		return true;
	im->replaced++;
	sqlite3_bind_int(im->old_detail, 1, day);
	sqlite3_bind_int64(im->old_detail, 2, sid);
	while ((rc = sqlite3_step(im->old_detail)) == SQLITE_ROW) {
		const unsigned char *cc = sqlite3_column_text(im->old_detail, 2);

		if (cc == NULL || strlen((const char *)cc) != 2) {
			sqlite3_reset(im->old_detail);
			return err_set(e, "%s: the store is damaged (bad country code)",
			    s->path);
		}
		if (!roll_add(im, day,
		    (unsigned)sqlite3_column_int(im->old_detail, 0),
		    (unsigned)sqlite3_column_int(im->old_detail, 1),
		    (const char *)cc, -1,
		    sqlite3_column_int64(im->old_detail, 3),
		    sqlite3_column_int64(im->old_detail, 4), e)) {
			sqlite3_reset(im->old_detail);
			return false;
		}
	}
	sqlite3_reset(im->old_detail);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "reading stored rows");
	sqlite3_bind_int(im->del_detail, 1, day);
	sqlite3_bind_int64(im->del_detail, 2, sid);
	sqlite3_bind_int(im->del_sd, 1, day);
	sqlite3_bind_int64(im->del_sd, 2, sid);
	return step_done(s, im->del_detail, e, "replacing a sensor-day") &&
	    step_done(s, im->del_sd, e, "replacing a sensor-day");
}

int
store_import_row(struct store_import *im, const struct csv_row *r,
    struct err *e)
{
	struct slot *sd;
	bool fresh;
	int64_t sid;
	int rc;

	sid = sensor_id(im, r->sensor, e);
	if (sid < 0)
		return -1;
	if (sid >= (INT64_C(1) << 30))
		return err_set(e, "%s: too many sensors", im->s->path), -1;
	sd = cmap_find(&im->sd, (uint64_t)r->day << 30 | (uint64_t)sid, &fresh);
	if (sd == NULL)
		return err_set(e, "out of memory"), -1;
	if (fresh) {
		if (!replace_sensor_day(im, r->day, sid, e))
			return -1;
		if (r->day < im->dmin)
			im->dmin = r->day;
		if (r->day > im->dmax)
			im->dmax = r->day;
	}
	im->rows++;
	if (r->marker) {
		if (sd->n & SD_MARKER) {
			err_set(e, "duplicate '*' row for %s on %04d-%02d-%02d",
			    r->sensor, r->day / 10000, r->day / 100 % 100,
			    r->day % 100);
			return 0;
		}
		if (sd->n & SD_DATA) {
			err_set(e, "'*' row for %s on %04d-%02d-%02d, which has traffic rows",
			    r->sensor, r->day / 10000, r->day / 100 % 100,
			    r->day % 100);
			return 0;
		}
		sd->n |= SD_MARKER;
		return 1;
	}
	if (sd->n & SD_MARKER) {
		err_set(e, "traffic row for %s on %04d-%02d-%02d, which has a '*' row",
		    r->sensor, r->day / 10000, r->day / 100 % 100, r->day % 100);
		return 0;
	}
	sd->n |= SD_DATA;
	sqlite3_bind_int(im->ins_detail, 1, r->day);
	sqlite3_bind_int64(im->ins_detail, 2, sid);
	sqlite3_bind_int(im->ins_detail, 3, r->proto);
	sqlite3_bind_int(im->ins_detail, 4, r->port);
	sqlite3_bind_text(im->ins_detail, 5, r->cc, 2, SQLITE_STATIC);
	sqlite3_bind_int64(im->ins_detail, 6, r->accesses);
	sqlite3_bind_int64(im->ins_detail, 7, r->sources);
	rc = sqlite3_step(im->ins_detail);
	sqlite3_reset(im->ins_detail);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		err_set(e, "duplicate key: %04d-%02d-%02d,%s,%s,%u,%s appears twice in this import",
		    r->day / 10000, r->day / 100 % 100, r->day % 100, r->sensor,
		    csv_proto_name(r->proto), r->port, r->cc);
		return 0;
	}
	if (rc != SQLITE_DONE) {
		db_fail(im->s, e, "storing a row");
		return -1;
	}
	/* sensor-day totals; cells counted in n above the flag bits */
	sd->n += 4;
	if (!add_counts(im, sd, 1, r->accesses, r->sources) ||
	    !roll_add(im, r->day, r->proto, r->port, r->cc, 1, r->accesses,
	    r->sources, e)) {
		if (im->overflow)
			err_set(e, "counts too large: a sum exceeds 2^63");
		return -1;
	}
	if (im->roll[R_PDC].len >= MAP_FLUSH_AT && !flush_rollups(im, e))
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

	memset(sum, 0, sizeof(*sum));
	if (!flush_rollups(im, e))
		return false;
	for (size_t i = 0; i < im->sd.cap; i++) {
		struct slot *sl = &im->sd.v[i];
		uint64_t k;
		int32_t day, month;
		bool seen = false;

		if (sl->key == 0)
			continue;
		k = sl->key - 1;
		day = (int32_t)(k >> 30);
		sqlite3_bind_int(im->ins_sd, 1, day);
		sqlite3_bind_int64(im->ins_sd, 2, (int64_t)(k & 0x3fffffff));
		sqlite3_bind_int64(im->ins_sd, 3, sl->n >> 2);
		sqlite3_bind_int64(im->ins_sd, 4, sl->a);
		sqlite3_bind_int64(im->ins_sd, 5, sl->s);
		if (!step_done(s, im->ins_sd, e, "writing sensor-days"))
			return false;
		sum->sensor_days++;
		month = day / 100;
		for (size_t m = 0; m < sum->nmonths; m++)
			seen = seen || sum->months[m] == month;
		if (!seen && sum->nmonths < sizeof(sum->months) /
		    sizeof(*sum->months))
			sum->months[sum->nmonths++] = month;
	}
	qsort(sum->months, sum->nmonths, sizeof(*sum->months), month_cmp);
	if (im->replaced > 0) {
		/* replaced cells may have dropped to nothing */
		char sql[256];
		static const char *const zt[] = { "day_port", "day_country",
			"port_day_country" };

		for (size_t t = 0; t < 3; t++) {
			snprintf(sql, sizeof(sql),
			    "DELETE FROM %s WHERE accesses=0 AND sources=0 AND day BETWEEN %d AND %d",
			    zt[t], im->dmin, im->dmax);
			if (!exec(s, sql, e))
				return false;
		}
		snprintf(sql, sizeof(sql),
		    "DELETE FROM month_port WHERE accesses=0 AND sources=0 AND month BETWEEN %d AND %d;"
		    "DELETE FROM month_country WHERE accesses=0 AND sources=0 AND month BETWEEN %d AND %d",
		    im->dmin / 100, im->dmax / 100, im->dmin / 100,
		    im->dmax / 100);
		if (!exec(s, sql, e))
			return false;
	}
	/* SQLite turns an overflowing integer sum into a float: refuse. */
	chk = prep(s,
	    "SELECT (SELECT count(*) FROM month_port WHERE typeof(accesses)<>'integer'"
	    " OR typeof(sources)<>'integer') + (SELECT count(*) FROM month_country"
	    " WHERE typeof(accesses)<>'integer' OR typeof(sources)<>'integer')", e);
	if (chk == NULL)
		return false;
	if (sqlite3_step(chk) == SQLITE_ROW)
		bad = sqlite3_column_int64(chk, 0);
	sqlite3_finalize(chk);
	/* and the months' totals over all sensor-days: SQLite's sum() fails
	 * with "integer overflow" past 2^63 */
	chk = prep(s, "SELECT sum(accesses), sum(sources) FROM sensor_day"
	    " WHERE day BETWEEN ? AND ? GROUP BY day/100", e);
	if (chk == NULL)
		return false;
	sqlite3_bind_int(chk, 1, im->dmin / 100 * 100);
	sqlite3_bind_int(chk, 2, im->dmax / 100 * 100 + 99);
	{
		int rc;

		while ((rc = sqlite3_step(chk)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
			bad++;
	}
	sqlite3_finalize(chk);
	if (bad > 0)
		return err_set(e, "%s: counts too large: a monthly sum would exceed 2^63; nothing was imported",
		    s->path);
	if (!exec(s, "COMMIT", e))
		return false;
	im->open = false;
	sum->rows = im->rows;
	sum->replaced = im->replaced;
	return true;
}

void
store_import_destroy(struct store_import *im)
{
	if (im == NULL)
		return;
	sqlite3_finalize(im->ins_detail);
	sqlite3_finalize(im->ins_sensor);
	sqlite3_finalize(im->has_sd);
	sqlite3_finalize(im->old_detail);
	sqlite3_finalize(im->del_detail);
	sqlite3_finalize(im->del_sd);
	sqlite3_finalize(im->ins_sd);
	for (int r = 0; r < R_N; r++) {
		sqlite3_finalize(im->up[r]);
		cmap_free(&im->roll[r]);
	}
	if (im->open)
		sqlite3_exec(im->s->db, "ROLLBACK", NULL, NULL, NULL);
	cmap_free(&im->sd);
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

static bool
push_cell(struct cell **v, size_t *len, size_t *cap, struct cell c)
{
	if (*len == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		void *nv = realloc(*v, ncap * sizeof(**v));

		if (nv == NULL)
			return false;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*len)++] = c;
	return true;
}

static bool
push_day_cell(struct day_cell **v, size_t *len, size_t *cap,
    struct day_cell c)
{
	if (*len == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		void *nv = realloc(*v, ncap * sizeof(**v));

		if (nv == NULL)
			return false;
		*v = nv;
		*cap = ncap;
	}
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

static bool
load_days(struct store *s, month_t m, bool ports, struct day_cell **out,
    size_t *n, struct err *e)
{
	int32_t from = yyyymm(m) * 100 + 1, to = yyyymm(m) * 100 + 31;
	sqlite3_stmt *st = prep(s, ports ?
	    "SELECT day, proto, port, accesses, sources FROM day_port"
	    " WHERE day BETWEEN ? AND ?" :
	    "SELECT day, cc, accesses, sources FROM day_country"
	    " WHERE day BETWEEN ? AND ?", e);
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct day_cell c;
		bool ok;

		memset(&c, 0, sizeof(c));
		c.day = sqlite3_column_int(st, 0) % 100;
		if (ports) {
			c.key = key_port(sqlite3_column_int(st, 1),
			    sqlite3_column_int(st, 2));
			ok = read_counts(s, st, 3, &c.c, e);
		} else {
			c.key.kind = KEY_COUNTRY;
			ok = read_cc(s, st, 1, c.key.cc, e) &&
			    read_counts(s, st, 2, &c.c, e);
		}
		if (!ok || !push_day_cell(out, n, &cap, c)) {
			sqlite3_finalize(st);
			return ok ? err_set(e, "out of memory") : false;
		}
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
	    "SELECT day, cc, accesses, sources FROM port_day_country"
	    " WHERE proto=? AND port=? AND day BETWEEN ? AND ? ORDER BY day", e);
	struct port_day_country *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, port.proto);
	sqlite3_bind_int(st, 2, port.port);
	sqlite3_bind_int(st, 3, yyyymm(from) * 100 + 1);
	sqlite3_bind_int(st, 4, yyyymm(to) * 100 + 31);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t day = sqlite3_column_int(st, 0);

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			void *nv = realloc(v, ncap * sizeof(*v));

			if (nv == NULL) {
				err_set(e, "out of memory");
				goto fail;
			}
			v = nv;
			cap = ncap;
		}
		v[len].month = month_make(day / 10000, day / 100 % 100);
		v[len].day = day % 100;
		if (!read_cc(s, st, 1, v[len].cc, e) ||
		    !read_counts(s, st, 2, &v[len].c, e))
			goto fail;
		len++;
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
