/* store_sqlite.c — the SQLite back-end of store.h.  The only file that includes sqlite3.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "atomic.h"
#include "pack.h"
#include "store_backend.h"
#include "store_ingest.h"
#include "store_internal.h"

#define TALOT_APP_ID 0x54414C4F /* 'TALO' */

struct store {
	enum store_kind kind;      /* STORE_KIND_SQLITE (0): first */
	sqlite3 *db;
	char *path;
	bool writable;
	bool in_snapshot;
	int version;               /* user_version: 1, or 2 (ingested into) */
	/* STORE_CREATE: the new store, in a private folder until published */
	bool creating;
	struct atomic_file af;
	char *companion[3];        /* af.tmp + "-wal", "-shm", "-journal" */
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
	int sys = sqlite3_system_errno(s->db);

	/* a full disk shows as SQLITE_FULL, or as an I/O error (making the
	 * -shm or -wal file) whose system error is ENOSPC */
	if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR &&
	    (sys == ENOSPC || sys == EDQUOT)))
		return err_set(e, "%s: the disk is full (%s while %s); nothing was changed: free space on its file system and try again",
		    s->path, sys == EDQUOT ? "disk quota exceeded" :
		    "no space left on the device", what);
	if ((rc & 0xff) == SQLITE_IOERR && sys != 0)
		return err_set(e, "%s: %s (%s while %s)", s->path,
		    strerror(sys), sqlite3_errmsg(s->db), what);
	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		return err_set(e, "%s: the store is damaged (%s while %s)",
		    s->path, sqlite3_errmsg(s->db), what);
	if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN)
		return err_set(e, "%s: cannot write the store (%s while %s)",
		    s->path, sqlite3_errmsg(s->db), what);
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

	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return err_set(e, "%s: %s", path, strerror(errno)), -1;
		if (lstat(path, &sb) == 0)
			/* SQLite would create the store at the link's target;
			 * a failure would then leave it there */
			return err_set(e, "%s: a symbolic link to a missing file; give the path of a new store, not a link",
			    path), -1;
		return 0;
	}
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

static bool color_indexes_ensure(struct store *s, struct err *e);

static bool
create_schema(struct store *s, struct err *e)
{
	char sql[128];
	int64_t ntables;

	if (!exec(s, "BEGIN IMMEDIATE", e))
		return false;
	/* another process may have made the schema since we looked */
	if (!pragma_int(s, "SELECT count(*) FROM sqlite_master", &ntables, e))
		goto fail;
	if (ntables > 0)
		return exec(s, "COMMIT", e);
	for (size_t i = 0; i < sizeof(schema_v1) / sizeof(*schema_v1); i++)
		if (!exec(s, schema_v1[i], e))
			goto fail;
	/* a new store has the colour indexes from the start, so that opening
	 * it for writing later changes nothing */
	if (!color_indexes_ensure(s, e))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id=%d",
	    (int)TALOT_APP_ID);
	if (!exec(s, sql, e))
		goto fail;
	/* schema 1: the ingest tables of schema 2 come with the first
	 * ingest (store_ingest.c) */
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", 1);
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

	struct stat sb;

	/* an empty -wal holds no frames: as good as none */
	snprintf(buf, sizeof(buf), "%s-wal", path);
	return stat(buf, &sb) == 0 && sb.st_size > 0;
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

/* STORE_CREATE: a new, empty store in a private folder next to path (see
 * store_publish). */
static struct store *
create_private(const char *path, struct err *e)
{
	static const char *const sfx[] = { "-wal", "-shm", "-journal" };
	struct store *s;
	struct stat sb;

	if (lstat(path, &sb) == 0) {
		if (S_ISLNK(sb.st_mode) && stat(path, &sb) != 0)
			err_set(e, "%s: a symbolic link to a missing file; give the path of a new store, not a link", path);
		else
			err_set(e, "%s: already exists", path);
		return NULL;
	}
	if (errno != ENOENT) {
		err_set(e, "%s: %s", path, strerror(errno));
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		err_set(e, "%s: out of memory", path);
		return NULL;
	}
	s->writable = true;
	s->version = 1;
	/* what earlier creations that were killed (SIGKILL) left behind */
	atomic_cleanup(path, 0);
	if (!atomic_begin_private(&s->af, path, e)) {
		free(s->path);
		free(s);
		return NULL;
	}
	s->creating = true;
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(s->af.tmp) + 16;

		if ((s->companion[i] = malloc(n)) == NULL) {
			err_set(e, "%s: out of memory", path);
			sqlite_store_close(s);
			return NULL;
		}
		snprintf(s->companion[i], n, "%s%s", s->af.tmp, sfx[i]);
		atomic_extra_add(s->companion[i]);
	}
	if (sqlite3_open_v2(s->af.tmp, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (s->db != NULL)
			db_fail(s, e, "creating");
		else
			err_set(e, "%s: cannot create the store", path);
		sqlite_store_close(s);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (!exec(s, "PRAGMA journal_mode=WAL", e) ||
	    !exec(s, "PRAGMA synchronous=NORMAL", e) ||
	    !exec(s, "PRAGMA cache_size=-8192", e) ||
	    !create_schema(s, e)) {
		sqlite_store_close(s);
		return NULL;
	}
	return s;
}

struct store *
sqlite_store_open(const char *path, enum store_mode mode, struct err *e)
{
	struct store *s;
	int hc, flags;
	int64_t app, ver, ntables;
	bool immutable;

	if (path[0] == '\0') {
		/* SQLite would open a temporary database */
		err_set(e, "the store path is empty");
		return NULL;
	}
	if (mode == STORE_CREATE)
		return create_private(path, e);
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
	immutable = !s->writable && !dir_writable(path) && !wal_present(path);
reopen:
	if (immutable) {
		/* a store in a folder we cannot write (a read-only medium):
		 * SQLite cannot make the WAL's shared-memory file there.  With
		 * no -wal file, everything is in the main file: read it as
		 * immutable.  (With a -wal, SQLite reads it read-only.) */
		char *uri = immutable_uri(path);

		if (uri == NULL) {
			sqlite_store_close(s);
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
			sqlite_store_close(s);
			return NULL;
		}
		free(uri);
	} else if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		if (s->db != NULL)
			db_fail(s, e, "opening");
		else
			err_set(e, "%s: cannot open the store", path);
		sqlite_store_close(s);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	if (!pragma_int(s, "PRAGMA application_id", &app, e) ||
	    !pragma_int(s, "PRAGMA user_version", &ver, e) ||
	    !pragma_int(s, "SELECT count(*) FROM sqlite_master", &ntables, e)) {
		int sys = sqlite3_system_errno(s->db);

		if (!s->writable && !immutable && (sys == ENOSPC ||
		    sys == EDQUOT) && !wal_present(path)) {
			/* a full disk has no room for the -shm file; with no
			 * WAL frames the main file holds everything: read it
			 * as immutable */
			sqlite3_close_v2(s->db);
			s->db = NULL;
			e->msg[0] = '\0';
			immutable = true;
			goto reopen;
		}
		goto fail;
	}
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
	 * step in its own transaction.  Schema 2 adds the ingest tables, made
	 * by the first ingest (store_ingest.c). */
	if (!check_tables(s, e))
		goto fail;
	s->version = ver >= 1 ? (int)ver : 1;   /* 0: made just now */
	if (s->version >= 2 && !store_ingest_tables_check(s, e))
		goto fail;
	if (s->writable) {
		if (!color_indexes_ensure(s, e) ||
		    !exec(s, "PRAGMA journal_mode=WAL", e) ||
		    !exec(s, "PRAGMA synchronous=NORMAL", e) ||
		    !exec(s, "PRAGMA cache_size=-8192", e))
			goto fail;
	} else if (!exec(s, "PRAGMA query_only=1", e))
		goto fail;
	return s;
fail:
	sqlite_store_close(s);
	return NULL;
}

/* Removes the private copy of a store being created (not published). */
static void
creating_abort(struct store *s)
{
	for (int i = 0; i < 3; i++) {
		if (s->companion[i] == NULL)
			continue;
		unlink(s->companion[i]);
		atomic_extra_remove(s->companion[i]);
		free(s->companion[i]);
		s->companion[i] = NULL;
	}
	atomic_abort(&s->af);
	s->creating = false;
}

void
sqlite_store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	if (s->creating)
		creating_abort(s);
	free(s->path);
	free(s);
}

bool
sqlite_store_publish(struct store *s, struct err *e)
{
	int fd, rc, er = 0;

	if (!s->creating)
		return true;
	if (s->in_snapshot)
		sqlite_store_snapshot_end(s);
	/* the last connection's close checkpoints and removes the -wal */
	rc = sqlite3_close(s->db);
	if (rc != SQLITE_OK) {
		db_fail(s, e, "closing the new store");
		return false;
	}
	s->db = NULL;
	fd = open(s->af.tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fsync(fd) != 0)
		er = errno;
	if (fd >= 0)
		close(fd);
	/* never over a file that appeared meanwhile (another import) */
	if (er == 0 && link(s->af.tmp, s->path) != 0)
		er = errno;
	if (er != 0) {
		if (er == EEXIST)
			err_set(e, "%s: created by another process during this import; nothing was imported (run the import again)",
			    s->path);
		else if (er == ENOSPC || er == EDQUOT)
			err_set(e, "%s: the disk is full; nothing was imported",
			    s->path);
		else
			err_set(e, "%s: cannot create the store: %s", s->path,
			    strerror(er));
		creating_abort(s);
		return false;
	}
	creating_abort(s);   /* the private name and folder only */
	{
		char *slash = strrchr(s->path, '/'), *dir;

		dir = slash == NULL ? strdup(".") : slash == s->path ?
		    strdup("/") : strndup(s->path, (size_t)(slash - s->path));
		if (dir != NULL && (fd = open(dir, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
		free(dir);
	}
	return true;
}

const char *
sqlite_store_path(const struct store *s)
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
 * Rows are gathered in one map for all sensor-days of the import, keyed by
 * (sensor-day index, cell), so that the order of the rows does not matter.
 * When the maps grow large and at commit, the gathered cells are written as
 * one packed blob per sensor-day touched (merged with what this import
 * wrote for it before).  Rollup deltas are summed in memory per (day, port),
 * (day, country), (day, port, country), (month, port), (month, country) and
 * merged into the per-day blobs at the same times, and into the monthly
 * rows when the monthly maps fill (and at commit): additions commute, so
 * flushing early is always right.  A sensor-day seen
 * for the first time in this import first subtracts what the store held for
 * it.  Memory is bounded by the flush size, not by the number of rows.
 */

enum { R_DP, R_DC, R_PDC, R_MP, R_MC, R_N };

/* flags of a sensor-day seen in this import */
enum { SD_MARKER = 1, SD_TRAFFIC = 2, SD_WRITTEN = 4, SD_DIRTY = 8 };

struct sdinfo {
	int32_t day;
	uint8_t flags;
	int64_t sid;
	size_t name;               /* index in names */
};

#define CELL_BITS 28           /* a cell key (ckey) fits in 28 bits */

struct store_import {
	enum store_kind kind;      /* STORE_KIND_SQLITE (0): first */
	struct store *s;
	bool open;                 /* transaction open */
	sqlite3_stmt *ins_sensor, *get_sd, *put_sd, *get_day, *put_day,
	    *up_mp, *up_mc;
	struct cmap roll[R_N];
	struct cmap sd;            /* day << 30 | sensor id -> a = index in sds */
	struct sdinfo *sds;
	size_t nsds, capsds;
	size_t *dirty;             /* indices in sds written at the next flush */
	size_t ndirty, capdirty;
	struct cmap cells;         /* sds index << CELL_BITS | cell -> counts */
	struct cmap months;        /* YYYYMM touched */
	char (*names)[CSV_SENSOR_MAX + 1];
	int64_t *ids;
	size_t nnames, capnames, last;
	uint32_t *name_hash;       /* open addressing: index in names + 1 */
	size_t cap_hash;
	int64_t rows, replaced, sensor_days;
	int32_t dmin, dmax;
	/* the mixing rule (store_ingest.h): a CSV import refuses ingested
	 * sensor-days; the writing half of an ingest may replace them */
	bool for_ingest;
	sqlite3_stmt *get_ingested;
};

/* Keys inside a day: port = proto 2 bits | port 16; cell = port << 10 | cc */
static uint64_t
pkey(unsigned proto, unsigned port)
{
	return (uint64_t)pack_proto_code(proto) << 16 | port;
}

static uint64_t
ckey(unsigned proto, unsigned port, const char *cc)
{
	return pkey(proto, port) << 10 | pack_cc_code(cc);
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

/* Sorts v by key: a least-significant-digit radix sort by 11-bit digits,
 * skipping the digits all keys share (a flush sorts up to FLUSH_AT entries,
 * the largest part of an import's time with qsort).  False if out of
 * memory. */
static bool
slots_sort(struct slot *v, size_t n)
{
	enum { DBITS = 11, NDIG = (64 + DBITS - 1) / DBITS };
	size_t cnt[1u << DBITS];
	struct slot *tmp, *src = v, *dst;
	uint64_t all_or = 0, all_and = UINT64_MAX;

	if (n < 64) {
		qsort(v, n, sizeof(*v), slot_cmp);
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		all_or |= v[i].key;
		all_and &= v[i].key;
	}
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL)
		return false;
	dst = tmp;
	for (unsigned d = 0; d < NDIG; d++) {
		unsigned sh = d * DBITS;
		uint64_t mask = (UINT64_C(1) << DBITS) - 1;
		size_t sum = 0;

		if ((((all_or ^ all_and) >> sh) & mask) == 0)
			continue;   /* every key has the same digit here */
		memset(cnt, 0, sizeof(cnt));
		for (size_t i = 0; i < n; i++)
			cnt[src[i].key >> sh & mask]++;
		for (size_t b = 0; b < (1u << DBITS); b++) {
			size_t c = cnt[b];

			cnt[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[src[i].key >> sh & mask]++] = src[i];
		dst = src;
		src = src == v ? tmp : v;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	return true;
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
	if (!slots_sort(v, k)) {
		free(v);
		*ok = false;
		return NULL;
	}
	*n = k;
	return v;
}

/* What a packed list's keys are: a cell (port << 10 | country), a port,
 * or a country. */
enum kkind { K_CELL, K_PORT, K_CC };

static bool
key_valid(uint64_t k, enum kkind kind)
{
	switch (kind) {
	case K_CC:
		return k < 26 * 26;
	case K_PORT:
		return k >> 16 <= 2;
	case K_CELL:
		return (k & 0x3ff) < 26 * 26 && k >> 26 <= 2;
	}
	return false;
}

static const char *const kcol[] = { "cells", "ports", "countries" };

/* Decodes the packed list in column col of table, checking its keys. */
static bool
blob_decode(struct store *s, sqlite3_stmt *st, int col, const char *table,
    enum kkind kind, struct pcell **out, size_t *n, struct err *e)
{
	const void *b;
	int len;

	if (sqlite3_column_type(st, col) != SQLITE_BLOB &&
	    sqlite3_column_type(st, col) != SQLITE_NULL)
		return err_set(e, "%s: the store is damaged (table %s: a %s list is not a blob)",
		    s->path, table, kcol[kind]);
	b = sqlite3_column_blob(st, col);
	len = sqlite3_column_bytes(st, col);
	if (len > 0 && b == NULL)
		return err_set(e, "%s: out of memory reading table %s", s->path,
		    table);
	if (!pack_decode(b, (size_t)(len > 0 ? len : 0), out, n))
		return err_set(e, errno == ENOMEM ?
		    "%s: out of memory decoding the store (table %s)" :
		    "%s: the store is damaged (table %s: a packed list does not decode)",
		    s->path, table);
	for (size_t i = 0; i < *n; i++) {
		if (!key_valid((*out)[i].key, kind)) {
			free(*out);
			*out = NULL;
			return err_set(e, "%s: the store is damaged (table %s: a %s key out of range)",
			    s->path, table, kcol[kind]);
		}
	}
	return true;
}

/* A day column value: a valid YYYYMMDD, else the store is damaged. */
static bool
day_ok(struct store *s, sqlite3_stmt *st, int col, const char *table,
    int32_t *day, struct err *e)
{
	int64_t d = sqlite3_column_int64(st, col);

	if (sqlite3_column_type(st, col) != SQLITE_INTEGER ||
	    d < 19700101 || d > 99991231 ||
	    !csv_date_valid((int)(d / 10000), (int)(d / 100 % 100),
	    (int)(d % 100)))
		return err_set(e, "%s: the store is damaged (table %s: day %s out of range)",
		    s->path, table, (const char *)sqlite3_column_text(st, col));
	*day = (int32_t)d;
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
				ok = blob_decode(s, im->get_day, r,
				    "day_rollup", r == R_DP ? K_PORT :
				    r == R_DC ? K_CC : K_CELL, &base[r],
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

/* Adds the monthly maps to the month_port and month_country rows, in key
 * order (the tables' order, so that the upserts walk their B-trees
 * forward instead of jumping around them). */
static bool
flush_months(struct store_import *im, struct err *e)
{
	bool ok = true;

	for (int r = R_MP; ok && r <= R_MC; r++) {
		struct cmap *m = &im->roll[r];
		sqlite3_stmt *st = r == R_MP ? im->up_mp : im->up_mc;
		size_t n;
		struct slot *v = map_sorted(m, &n, &ok);

		if (!ok)
			return err_set(e, "out of memory");
		for (size_t i = 0; ok && i < n; i++) {
			const struct slot *sl = &v[i];
			uint64_t k = sl->key, sub = k & SUB_MASK;
			char cc[3];

			if (sl->a == 0 && sl->s == 0)
				continue;
			sqlite3_bind_int64(st, 1, (int64_t)(k >> SUB_BITS));
			if (r == R_MP) {
				sqlite3_bind_int(st, 2, (int)pack_proto_decode(
				    (unsigned)(sub >> 16) & 3));
				sqlite3_bind_int(st, 3, (int)(sub & 0xffff));
				sqlite3_bind_int64(st, 4, sl->a);
				sqlite3_bind_int64(st, 5, sl->s);
			} else {
				pack_cc_decode((unsigned)sub, cc);
				sqlite3_bind_text(st, 2, cc, 2, SQLITE_TRANSIENT);
				sqlite3_bind_int64(st, 3, sl->a);
				sqlite3_bind_int64(st, 4, sl->s);
			}
			ok = step_done(im->s, st, e, "writing monthly rollups");
		}
		free(v);
		cmap_clear(m);
	}
	return ok;
}

static uint64_t
name_hash(const char *name)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * UINT64_C(0x100000001b3);
	return mix(h);
}

/* Makes room for one more name in names, ids and the hash. */
static bool
names_grow(struct store_import *im)
{
	if (im->nnames == im->capnames) {
		size_t ncap = im->capnames ? im->capnames * 2 : 64;
		void *nn = realloc(im->names, ncap * sizeof(*im->names));
		void *ni;

		if (nn == NULL)
			return false;
		im->names = nn;
		ni = realloc(im->ids, ncap * sizeof(*im->ids));
		if (ni == NULL)
			return false;
		im->ids = ni;
		im->capnames = ncap;
	}
	if ((im->nnames + 1) * 2 > im->cap_hash) {
		size_t ncap = im->cap_hash ? im->cap_hash * 2 : 128;
		uint32_t *nh = calloc(ncap, sizeof(*nh));

		if (nh == NULL || ncap > UINT32_MAX)
			return free(nh), false;
		for (size_t i = 0; i < im->nnames; i++) {
			size_t h = name_hash(im->names[i]) & (ncap - 1);

			while (nh[h] != 0)
				h = (h + 1) & (ncap - 1);
			nh[h] = (uint32_t)i + 1;
		}
		free(im->name_hash);
		im->name_hash = nh;
		im->cap_hash = ncap;
	}
	return true;
}

/* The id of sensor name (added to the store if new); -1 with e set. */
static int64_t
sensor_id(struct store_import *im, const char *name, struct err *e)
{
	size_t h;

	if (im->last < im->nnames && strcmp(im->names[im->last], name) == 0)
		return im->ids[im->last];
	if (!names_grow(im))
		return err_set(e, "out of memory"), -1;
	h = name_hash(name) & (im->cap_hash - 1);
	while (im->name_hash[h] != 0) {
		size_t i = im->name_hash[h] - 1;

		if (strcmp(im->names[i], name) == 0) {
			im->last = i;
			return im->ids[i];
		}
		h = (h + 1) & (im->cap_hash - 1);
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
	im->name_hash[h] = (uint32_t)im->nnames + 1;
	im->last = im->nnames;
	return im->ids[im->nnames++];
}

struct store_import *
sqlite_store_import_begin(struct store *s, struct err *e)
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
	if (s->version >= 2 && (im->get_ingested = prep(s,
	    "SELECT 1 FROM ingest_day WHERE day=? AND sensor=?", e)) == NULL)
		goto fail;
	return im;
fail:
	sqlite_store_import_destroy(im);
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
		ok = blob_decode(im->s, im->get_sd, 0, "sensor_day", K_CELL,
		    v, n, e);
	else if (rc != SQLITE_DONE)
		ok = db_fail(im->s, e, "reading a sensor-day");
	sqlite3_reset(im->get_sd);
	return ok;
}

static const char *
day_str(int32_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d / 10000, d / 100 % 100,
	    d % 100);
	return buf;
}

/* "duplicate key: DAY,SENSOR,PROTO,PORT,CC appears twice in this import" */
static bool
dup_err(struct store_import *im, const struct sdinfo *sd, uint64_t cell,
    struct err *e)
{
	char ds[16], cc[3];
	unsigned port = (unsigned)(cell >> 10);

	pack_cc_decode((unsigned)(cell & 0x3ff), cc);
	return err_set(e, "duplicate key: %s,%s,%s,%u,%s appears twice in this import",
	    day_str(sd->day, ds, sizeof(ds)), im->names[sd->name],
	    csv_proto_name((int)pack_proto_decode(port >> 16 & 3)), port & 0xffff,
	    cc);
}

/* Writes one sensor-day: its cells gathered now (d, sorted), after those
 * this import wrote for it before. */
static bool
write_sensor_day(struct store_import *im, struct sdinfo *sd,
    const struct pcell *d, size_t nd, struct err *e)
{
	struct pcell *old = NULL, *v = NULL;
	size_t nold = 0, n = 0;
	int64_t a = 0, s = 0;
	bool had, ok = true;

	if (sd->flags & SD_WRITTEN) {
		size_t i = 0, j = 0;

		if (!read_sensor_day(im, sd->day, sd->sid, &old, &nold, &had, e))
			return false;
		v = malloc((nold + nd + 1) * sizeof(*v));
		if (v == NULL) {
			free(old);
			return err_set(e, "out of memory");
		}
		while (ok && (i < nold || j < nd)) {
			if (j >= nd || (i < nold && old[i].key < d[j].key))
				v[n++] = old[i++];
			else if (i >= nold || d[j].key < old[i].key)
				v[n++] = d[j++];
			else
				ok = dup_err(im, sd, d[j].key, e);
		}
		free(old);
		d = v;
		nd = n;
	}
	for (size_t i = 0; ok && i < nd; i++) {
		if (__builtin_add_overflow(a, d[i].a, &a) ||
		    __builtin_add_overflow(s, d[i].s, &s))
			ok = err_set(e, "counts too large: a sum exceeds 2^63");
	}
	if (ok) {
		sqlite3_bind_int(im->put_sd, 1, sd->day);
		sqlite3_bind_int64(im->put_sd, 2, sd->sid);
		sqlite3_bind_int64(im->put_sd, 3, (int64_t)nd);
		sqlite3_bind_int64(im->put_sd, 4, a);
		sqlite3_bind_int64(im->put_sd, 5, s);
		ok = bind_blob(im->put_sd, 6, d, nd) ? true :
		    err_set(e, "out of memory");
		ok = ok && step_done(im->s, im->put_sd, e,
		    "writing a sensor-day");
		sqlite3_clear_bindings(im->put_sd);
	}
	free(v);
	sd->flags = (uint8_t)((sd->flags | SD_WRITTEN) & ~SD_DIRTY);
	return ok;
}

static int
size_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return (a > b) - (a < b);
}

/* Writes every sensor-day touched since the last flush. */
static bool
flush_cells(struct store_import *im, struct err *e)
{
	struct slot *v;
	struct pcell *d = NULL;
	size_t n, j = 0;
	bool ok = true;

	v = map_sorted(&im->cells, &n, &ok);
	if (!ok)
		return err_set(e, "out of memory");
	if (n > 0 && (d = malloc(n * sizeof(*d))) == NULL) {
		free(v);
		return err_set(e, "out of memory");
	}
	if (im->ndirty > 1)
		qsort(im->dirty, im->ndirty, sizeof(*im->dirty), size_cmp);
	for (size_t k = 0; ok && k < im->ndirty; k++) {
		size_t idx = im->dirty[k], from = j;

		while (j < n && v[j].key >> CELL_BITS == idx) {
			d[j].key = v[j].key & ((UINT64_C(1) << CELL_BITS) - 1);
			d[j].a = v[j].a;
			d[j].s = v[j].s;
			j++;
		}
		ok = write_sensor_day(im, &im->sds[idx], d + from, j - from, e);
	}
	free(d);
	free(v);
	im->ndirty = 0;
	cmap_clear(&im->cells);
	return ok;
}

static void
mark_dirty(struct store_import *im, size_t idx)
{
	/* room is made before, in sd_get */
	if (!(im->sds[idx].flags & SD_DIRTY)) {
		im->sds[idx].flags |= SD_DIRTY;
		im->dirty[im->ndirty++] = idx;
	}
}

/* The index in sds of (day, sid); a sensor-day new to this import is added
 * and what the store held for it is taken out of the rollups.  -1 with e
 * set. */
static int64_t
sd_get(struct store_import *im, int32_t day, int64_t sid, struct err *e)
{
	struct pcell *old = NULL;
	size_t nold = 0;
	struct slot *sl;
	bool fresh, had, ok = true;

	sl = cmap_find(&im->sd, (uint64_t)day << 30 | (uint64_t)sid, &fresh);
	if (sl == NULL)
		return err_set(e, "out of memory"), -1;
	if (!fresh)
		return sl->a;
	if (im->nsds == im->capsds) {
		size_t ncap = im->capsds ? im->capsds * 2 : 256;
		void *ns = realloc(im->sds, ncap * sizeof(*im->sds));
		void *nd;

		if (ns == NULL)
			goto nomem;
		im->sds = ns;
		nd = realloc(im->dirty, ncap * sizeof(*im->dirty));
		if (nd == NULL)
			goto nomem;
		im->dirty = nd;
		im->capsds = ncap;
	}
	sl->a = (int64_t)im->nsds;
	im->sds[im->nsds].day = day;
	im->sds[im->nsds].sid = sid;
	im->sds[im->nsds].name = im->last;
	im->sds[im->nsds].flags = 0;
	im->nsds++;
	/* first time in this import: replace what the store held */
	if (!read_sensor_day(im, day, sid, &old, &nold, &had, e))
		return -1;
	if (had)
		im->replaced++;
	for (size_t i = 0; ok && i < nold; i++)
		ok = roll_add(im, day, old[i].key, -1, old[i].a, old[i].s, e);
	free(old);
	if (!ok)
		return -1;
	if (cmap_find(&im->months, (uint64_t)(day / 100), &fresh) == NULL)
		goto nomem;
	im->sensor_days++;
	if (day < im->dmin)
		im->dmin = day;
	if (day > im->dmax)
		im->dmax = day;
	return sl->a;
nomem:
	/* the slot stays with a = 0 would point at another sensor-day: the
	 * import is over anyway (fatal error) */
	return err_set(e, "out of memory"), -1;
}

/* Flush when the gathered cells or the day × port × country rollups reach
 * this many entries (the monthly maps: when either of them does): each
 * map then holds at most 4 MB (2^17 slots), and an
 * import's peak memory stays near 45 MB whatever the rows and their order
 * (2^17 entries: 69 MB with the rows sorted by port). */
#define FLUSH_AT (1u << 16)

int
sqlite_store_import_row(struct store_import *im, const struct csv_row *r,
    struct err *e)
{
	char ds[16];
	uint64_t key;
	struct slot *k;
	struct sdinfo *sd;
	int64_t sid, idx;
	bool fresh;
	size_t nsds_before = im->nsds;

	sid = sensor_id(im, r->sensor, e);
	if (sid < 0)
		return -1;
	if (sid >= (INT64_C(1) << 30))
		return err_set(e, "%s: too many sensors", im->s->path), -1;
	idx = sd_get(im, r->day, sid, e);
	if (idx < 0)
		return -1;
	if (im->nsds > nsds_before && !im->for_ingest &&
	    im->get_ingested != NULL) {
		int rc;

		sqlite3_bind_int(im->get_ingested, 1, r->day);
		sqlite3_bind_int64(im->get_ingested, 2, sid);
		rc = sqlite3_step(im->get_ingested);
		sqlite3_reset(im->get_ingested);
		if (rc == SQLITE_ROW) {
			err_set(e, "%s, sensor %s: this sensor-day was ingested from packets (talot ingest); a CSV import cannot replace it: keep CSV and ingested data in separate stores",
			    day_str(r->day, ds, sizeof(ds)), r->sensor);
			return 0;
		}
		if (rc != SQLITE_DONE)
			return db_fail(im->s, e, "reading the ingest record"),
			    -1;
	}
	if ((uint64_t)idx >= UINT64_C(1) << (64 - CELL_BITS))
		return err_set(e, "%s: too many sensor-days", im->s->path), -1;
	sd = &im->sds[idx];
	im->rows++;
	if (r->marker) {
		if (sd->flags & SD_MARKER) {
			err_set(e, "duplicate '*' row for %s on %s", r->sensor,
			    day_str(r->day, ds, sizeof(ds)));
			return 0;
		}
		if (sd->flags & SD_TRAFFIC) {
			err_set(e, "'*' row for %s on %s, which has traffic rows",
			    r->sensor, day_str(r->day, ds, sizeof(ds)));
			return 0;
		}
		sd->flags |= SD_MARKER;
		mark_dirty(im, (size_t)idx);
		return 1;
	}
	if (sd->flags & SD_MARKER) {
		err_set(e, "traffic row for %s on %s, which has a '*' row",
		    r->sensor, day_str(r->day, ds, sizeof(ds)));
		return 0;
	}
	key = ckey(r->proto, r->port, r->cc);
	k = cmap_find(&im->cells, (uint64_t)idx << CELL_BITS | key, &fresh);
	if (k == NULL)
		return err_set(e, "out of memory"), -1;
	if (!fresh) {
		err_set(e, "duplicate key: %s,%s,%s,%u,%s appears twice in this import",
		    day_str(r->day, ds, sizeof(ds)), r->sensor,
		    csv_proto_name(r->proto), r->port, r->cc);
		return 0;
	}
	k->a = r->accesses;
	k->s = r->sources;
	sd->flags |= SD_TRAFFIC;
	mark_dirty(im, (size_t)idx);
	if (!roll_add(im, r->day, key, 1, r->accesses, r->sources, e))
		return -1;
	if ((im->cells.len >= FLUSH_AT || im->roll[R_PDC].len >= FLUSH_AT) &&
	    (!flush_cells(im, e) || !flush_days(im, e)))
		return -1;
	/* the monthly maps on their own: a month's (port) keys come back in
	 * flush after flush, and upserting them each time was two thirds of
	 * an import's time (sums commute, so any flush point is right) */
	if ((im->roll[R_MP].len >= FLUSH_AT || im->roll[R_MC].len >= FLUSH_AT) &&
	    !flush_months(im, e))
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
sqlite_store_import_commit(struct store_import *im, struct import_summary *sum,
    struct err *e)
{
	struct store *s = im->s;
	sqlite3_stmt *chk;
	int32_t *months = NULL;
	int64_t bad = 0;
	int rc;

	memset(sum, 0, sizeof(*sum));
	if (!flush_cells(im, e) || !flush_days(im, e) ||
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
	if (im->months.len > 0 &&
	    (months = malloc(im->months.len * sizeof(*months))) == NULL)
		return err_set(e, "out of memory");
	if (!exec(s, "COMMIT", e)) {
		free(months);
		return false;
	}
	im->open = false;
	sum->rows = im->rows;
	sum->sensor_days = im->sensor_days;
	sum->replaced = im->replaced;
	for (size_t i = 0; i < im->months.cap; i++)
		if (im->months.v[i].key != 0)
			months[sum->nmonths++] = (int32_t)(im->months.v[i].key - 1);
	if (sum->nmonths > 1)
		qsort(months, sum->nmonths, sizeof(*months), month_cmp);
	sum->months = months;
	return true;
}

void
import_summary_finish(struct import_summary *sum)
{
	free(sum->months);
	sum->months = NULL;
	sum->nmonths = 0;
}

void
sqlite_store_import_destroy(struct store_import *im)
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
	sqlite3_finalize(im->get_ingested);
	for (int r = 0; r < R_N; r++)
		cmap_free(&im->roll[r]);
	if (im->open)
		sqlite3_exec(im->s->db, "ROLLBACK", NULL, NULL, NULL);
	cmap_free(&im->sd);
	cmap_free(&im->cells);
	cmap_free(&im->months);
	free(im->sds);
	free(im->dirty);
	free(im->name_hash);
	free(im->names);
	free(im->ids);
	free(im);
}

/* ---- reading ---- */

bool
sqlite_store_months(struct store *s, struct store_month_info **out, size_t *n,
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
		bool ok = day_ok(s, st, 5, "sensor_day", &v[len].first_day, e) &&
		    day_ok(s, st, 6, "sensor_day", &v[len].last_day, e);

		if (ok && (sqlite3_column_type(st, 3) != SQLITE_INTEGER ||
		    sqlite3_column_type(st, 4) != SQLITE_INTEGER ||
		    sqlite3_column_int64(st, 3) < 0 ||
		    sqlite3_column_int64(st, 4) < 0 ||
		    sqlite3_column_int64(st, 4) > sqlite3_column_int64(st, 3)))
			ok = err_set(e, "%s: the store is damaged (table sensor_day: counts out of range in month %s)",
			    s->path, (const char *)sqlite3_column_text(st, 0));
		if (!ok) {
			free(v);
			sqlite3_finalize(st);
			return false;
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
sqlite_store_snapshot_begin(struct store *s, struct err *e)
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
sqlite_store_snapshot_end(struct store *s)
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
		return err_set(e, "%s: the store is damaged (table month_country: bad country code)",
		    s->path);
	cc[0] = (char)t[0];
	cc[1] = (char)t[1];
	cc[2] = '\0';
	return true;
}

static bool
read_counts(struct store *s, sqlite3_stmt *st, int col, const char *table,
    struct counts *c, struct err *e)
{
	if (sqlite3_column_type(st, col) != SQLITE_INTEGER ||
	    sqlite3_column_type(st, col + 1) != SQLITE_INTEGER)
		return err_set(e, "%s: the store is damaged (table %s: a count is not an integer)",
		    s->path, table);
	c->accesses = sqlite3_column_int64(st, col);
	c->sources = sqlite3_column_int64(st, col + 1);
	if (c->accesses < 0 || c->sources < 0)
		return err_set(e, "%s: the store is damaged (table %s: a negative count)",
		    s->path, table);
	if (c->sources > c->accesses)
		return err_set(e, "%s: the store is damaged (table %s: more sources than accesses)",
		    s->path, table);
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
		int32_t day;
		struct counts c;

		if (!day_ok(s, st, 0, "sensor_day", &day, e) ||
		    !read_counts(s, st, 2, "sensor_day", &c, e)) {
			sqlite3_finalize(st);
			return false;
		}
		day %= 100;
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

		int64_t proto = sqlite3_column_int64(st, 0),
		    port = sqlite3_column_int64(st, 1);

		if ((proto != 1 && proto != 6 && proto != 17) || port < 0 ||
		    port > 65535 || (proto == 1 && port > 255) ||
		    sqlite3_column_type(st, 0) != SQLITE_INTEGER ||
		    sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			err_set(e, "%s: the store is damaged (table month_port: protocol %s port %s out of range)",
			    s->path, (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1));
			sqlite3_finalize(st);
			return false;
		}
		c.key = key_port((int)proto, (int)port);
		if (!read_counts(s, st, 2, "month_port", &c.c, e) ||
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
		    !read_counts(s, st, 1, "month_country", &c.c, e) ||
		    !push_cell(&d->countries, &d->ncountries, &cap, c)) {
			sqlite3_finalize(st);
			return e->msg[0] ? false : err_set(e, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "reading countries");
	/* the monthly rollups add up to the sensor-days' totals: a store
	 * edited by hand would otherwise give shares beyond 100 % */
	for (int k = 0; k < 2; k++) {
		const struct cell *v = k == 0 ? d->ports : d->countries;
		size_t n = k == 0 ? d->nports : d->ncountries;
		int64_t a = 0, so = 0;
		bool over = false;

		for (size_t i = 0; i < n; i++)
			over = over ||
			    __builtin_add_overflow(a, v[i].c.accesses, &a) ||
			    __builtin_add_overflow(so, v[i].c.sources, &so);
		if (over || a != d->total.accesses || so != d->total.sources)
			return err_set(e, "%s: the store is damaged (table %s: %04d-%02d does not add up to the sensor-days' totals; 'talot info --check' tells more)",
			    s->path, k == 0 ? "month_port" : "month_country",
			    month_year(m), month_mon(m));
	}
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
	int64_t sa[32] = { 0 }, ss[32] = { 0 };
	bool over = false;
	int rc;

	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t day;
		struct pcell *v;
		size_t nv;

		if (!day_ok(s, st, 0, "day_rollup", &day, e) ||
		    !blob_decode(s, st, 1, "day_rollup", ports ? K_PORT : K_CC,
		    &v, &nv, e)) {
			sqlite3_finalize(st);
			return false;
		}
		for (size_t i = 0; i < nv; i++) {
			struct day_cell c;

			memset(&c, 0, sizeof(c));
			c.day = day % 100;
			if (ports) {
				c.key = key_port((int)pack_proto_decode(
				    (unsigned)(v[i].key >> 16) & 3),
				    (int)(v[i].key & 0xffff));
			} else {
				c.key.kind = KEY_COUNTRY;
				pack_cc_decode((unsigned)v[i].key, c.key.cc);
			}
			c.c.accesses = v[i].a;
			c.c.sources = v[i].s;
			over = over ||
			    __builtin_add_overflow(sa[c.day], v[i].a, &sa[c.day]) ||
			    __builtin_add_overflow(ss[c.day], v[i].s, &ss[c.day]);
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
	/* each day's rollup adds up to its sensor-days' totals */
	st = prep(s, "SELECT day, sum(accesses), sum(sources) FROM sensor_day"
	    " WHERE day BETWEEN ? AND ? GROUP BY day", e);
	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, to);
	while (!over && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int d = sqlite3_column_int(st, 0) % 100;

		if (d < 1 || d > 31)
			continue;   /* load_month refused it */
		if (sqlite3_column_int64(st, 1) != sa[d] ||
		    sqlite3_column_int64(st, 2) != ss[d])
			over = true;
		sa[d] = ss[d] = -1;
	}
	for (int d = 1; !over && d <= 31; d++)
		over = sa[d] > 0 || ss[d] > 0;
	sqlite3_finalize(st);
	if (over)
		return err_set(e, "%s: the store is damaged (table day_rollup: a day of %04d-%02d does not add up to its sensor-days' totals; 'talot info --check' tells more)",
		    s->path, month_year(m), month_mon(m));
	return true;
}

bool
sqlite_store_month_data(struct store *s, month_t m, struct month_data *d,
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

/* Every month whole: the pins need nothing more (month_input.mix_given
 * stays false, and the model computes the traffic mix). */
bool
sqlite_store_month_input(struct store *s, month_t m, const struct key *pins,
    size_t npins, struct month_input *in, struct err *e)
{
	(void)pins;
	(void)npins;
	memset(in, 0, sizeof(*in));
	in->month = m;
	e->msg[0] = '\0';
	for (int i = 0; i < MODEL_MONTHS; i++)
		if (!load_month(s, m - (MODEL_MONTHS - 1) + i, &in->six[i], e))
			goto fail;
	if (!load_days(s, m, true, &in->day_ports, &in->nday_ports, e) ||
	    !load_days(s, m, false, &in->day_countries, &in->nday_countries, e) ||
	    !sqlite_store_color_months(s, &in->color_months, &in->ncolor_months, e) ||
	    !sqlite_store_month_sensors(s, m - 1, &in->sensor_names[0],
	    &in->nsensor_names[0], e) ||
	    !sqlite_store_month_sensors(s, m, &in->sensor_names[1],
	    &in->nsensor_names[1], e) ||
	    !store_ingest_month_unique(s, yyyymm(m), &in->unique_sources,
	    &in->unique_sensor_days, e))
		goto fail;
	return true;
fail:
	month_input_finish(in);
	return false;
}

bool
sqlite_store_port_day_country(struct store *s, struct key port, month_t from,
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
		int32_t day;
		struct pcell *c;
		size_t nc;

		if (!day_ok(s, st, 0, "day_rollup", &day, e) ||
		    !blob_decode(s, st, 1, "day_rollup", K_CELL, &c, &nc, e))
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
			pack_cc_decode((unsigned)(c[i].key & 0x3ff), v[len].cc);
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

/* ---- colours: the keys every month's figures show (colors.h) ---- */

/* Migration step (idempotent, any schema 1 store opened for writing): the
 * indexes that make each month's top ports a short index range, so that
 * sqlite_store_color_months() reads a few rows per month instead of every port.
 * A store that never had them is still read correctly, only slower. */
static bool
color_indexes_ensure(struct store *s, struct err *e)
{
	return exec(s, "CREATE INDEX IF NOT EXISTS month_port_by_accesses"
	    " ON month_port(month, accesses DESC, proto, port)", e) &&
	    exec(s, "CREATE INDEX IF NOT EXISTS month_port_by_sources"
	    " ON month_port(month, sources DESC, proto, port)", e);
}

/* One top list of month ym into out (n set); false with e set. */
static bool
color_list(struct store *s, sqlite3_stmt *st, int32_t ym, bool ports,
    struct cell *out, size_t *n, struct err *e)
{
	int rc;

	*n = 0;
	sqlite3_bind_int(st, 1, ym);
	sqlite3_bind_int(st, 2, MODEL_TOP);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < MODEL_TOP) {
		struct cell *c = &out[*n];

		memset(c, 0, sizeof(*c));
		if (ports)
			c->key = key_port(sqlite3_column_int(st, 0),
			    sqlite3_column_int(st, 1));
		else {
			c->key.kind = KEY_COUNTRY;
			if (!read_cc(s, st, 0, c->key.cc, e))
				break;
		}
		if (!read_counts(s, st, ports ? 2 : 1, ports ? "month_port" :
		    "month_country", &c->c, e))
			break;
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW && *n < MODEL_TOP)
		return false;  /* e set above */
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, e, "reading the months' top keys");
	return true;
}

bool
sqlite_store_color_months(struct store *s, struct color_month **out, size_t *n,
    struct err *e)
{
	static const char *const sql[COLOR_LISTS] = {
		"SELECT proto, port, accesses, sources FROM month_port"
		" WHERE month=?1 AND accesses>0"
		" ORDER BY accesses DESC, proto, port LIMIT ?2",
		"SELECT proto, port, accesses, sources FROM month_port"
		" WHERE month=?1 AND sources>0"
		" ORDER BY sources DESC, proto, port LIMIT ?2",
		"SELECT cc, accesses, sources FROM month_country"
		" WHERE month=?1 AND accesses>0"
		" ORDER BY accesses DESC, cc LIMIT ?2",
		"SELECT cc, accesses, sources FROM month_country"
		" WHERE month=?1 AND sources>0"
		" ORDER BY sources DESC, cc LIMIT ?2",
	};
	sqlite3_stmt *st[COLOR_LISTS] = { NULL, NULL, NULL, NULL }, *range;
	struct color_month *v = NULL;
	size_t len = 0, cap = 0;
	int32_t lo = 0, hi = -1;
	bool ok = false;
	int rc;

	*out = NULL;
	*n = 0;
	range = prep(s, "SELECT min(m), max(m) FROM (SELECT min(month) AS m"
	    " FROM month_port UNION ALL SELECT max(month) FROM month_port"
	    " UNION ALL SELECT min(month) FROM month_country"
	    " UNION ALL SELECT max(month) FROM month_country)", e);
	if (range == NULL)
		return false;
	rc = sqlite3_step(range);
	if (rc == SQLITE_ROW && sqlite3_column_type(range, 0) == SQLITE_INTEGER) {
		lo = sqlite3_column_int(range, 0);
		hi = sqlite3_column_int(range, 1);
	}
	sqlite3_finalize(range);
	if (rc != SQLITE_ROW)
		return db_fail(s, e, "reading the months");
	if (hi < lo)
		return true;
	if (lo / 100 < 1970 || hi / 100 > 9999 || lo % 100 < 1 ||
	    lo % 100 > 12 || hi % 100 < 1 || hi % 100 > 12)
		return err_set(e, "%s: the store is damaged (a month out of range)",
		    s->path);
	for (int l = 0; l < COLOR_LISTS; l++)
		if ((st[l] = prep(s, sql[l], e)) == NULL)
			goto out;
	for (month_t m = month_make(lo / 100, lo % 100);
	    m <= month_make(hi / 100, hi % 100); m++) {
		struct color_month *cm;
		size_t total = 0;
		void *p = v;

		if (!grow(&p, len, &cap, sizeof(*v))) {
			err_set(e, "out of memory");
			goto out;
		}
		v = p;
		cm = &v[len];
		memset(cm, 0, sizeof(*cm));
		cm->month = m;
		for (int l = 0; l < COLOR_LISTS; l++) {
			if (!color_list(s, st[l], yyyymm(m), l < COLOR_CC_ACC,
			    cm->top[l], &cm->n[l], e))
				goto out;
			total += cm->n[l];
		}
		if (total > 0)
			len++;
	}
	ok = true;
out:
	for (int l = 0; l < COLOR_LISTS; l++)
		sqlite3_finalize(st[l]);
	if (!ok) {
		free(v);
		return false;
	}
	*out = v;
	*n = len;
	return true;
}

bool
sqlite_store_month_sensors(struct store *s, month_t m, struct sensor_name **out,
    size_t *n, struct err *e)
{
	sqlite3_stmt *st = prep(s,
	    "SELECT name FROM sensor WHERE id IN (SELECT DISTINCT sensor"
	    " FROM sensor_day WHERE day BETWEEN ? AND ?) ORDER BY name", e);
	struct sensor_name *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return false;
	sqlite3_bind_int(st, 1, yyyymm(m) * 100 + 1);
	sqlite3_bind_int(st, 2, yyyymm(m) * 100 + 31);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(st, 0);

		if (!grow((void **)&v, len, &cap, sizeof(*v))) {
			sqlite3_finalize(st);
			free(v);
			return err_set(e, "out of memory");
		}
		snprintf(v[len].name, sizeof(v[len].name), "%s",
		    name != NULL ? (const char *)name : "");
		len++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return db_fail(s, e, "reading sensor names");
	}
	*out = v;
	*n = len;
	return true;
}

/* ---- checking the rollups against the detail rows ---- */

static const char *
key_str(enum kkind kind, uint64_t k, char *buf, size_t len)
{
	char cc[3];

	if (kind == K_CC) {
		pack_cc_decode((unsigned)k, cc);
		snprintf(buf, len, "country %s", cc);
		return buf;
	}
	if (kind == K_CELL) {
		pack_cc_decode((unsigned)(k & 0x3ff), cc);
		k >>= 10;
	}
	snprintf(buf, len, "port %u/%s%s%s", (unsigned)(k & 0xffff),
	    csv_proto_name((int)pack_proto_decode((unsigned)(k >> 16) & 3)),
	    kind == K_CELL ? " from " : "", kind == K_CELL ? cc : "");
	return buf;
}

/* Compares the detail sums v (sorted; 0/0 entries ignored) with the
 * rollup r (sorted).  false with e set at the first difference. */
static bool
cmp_list(const char *table, const char *when, enum kkind kind,
    const struct slot *v, size_t nv, const struct pcell *r, size_t nr,
    struct err *e)
{
	size_t i = 0, j = 0;
	char k[64];

	for (;;) {
		while (i < nv && v[i].a == 0 && v[i].s == 0)
			i++;
		if (i >= nv && j >= nr)
			return true;
		if (j >= nr || (i < nv && v[i].key < r[j].key))
			return err_set(e, "%s %s, %s: missing; the detail rows sum to %lld accesses, %lld sources",
			    table, when, key_str(kind, v[i].key, k, sizeof(k)),
			    (long long)v[i].a, (long long)v[i].s);
		if (i >= nv || r[j].key < v[i].key)
			return err_set(e, "%s %s, %s: %lld accesses, %lld sources, but no detail row",
			    table, when, key_str(kind, r[j].key, k, sizeof(k)),
			    (long long)r[j].a, (long long)r[j].s);
		if (v[i].a != r[j].a || v[i].s != r[j].s)
			return err_set(e, "%s %s, %s: %lld accesses, %lld sources; the detail rows sum to %lld, %lld",
			    table, when, key_str(kind, r[j].key, k, sizeof(k)),
			    (long long)r[j].a, (long long)r[j].s,
			    (long long)v[i].a, (long long)v[i].s);
		i++;
		j++;
	}
}

struct checker {
	struct store *s;
	sqlite3_stmt *roll, *mp, *mc;
	int rc_roll, rc_mp, rc_mc;     /* last step of each */
	struct cmap day[3], mon[2];
	struct store_check *out;
};

static bool
check_map(struct cmap *m, const char *table, const char *when,
    enum kkind kind, const struct pcell *r, size_t nr, struct err *e)
{
	struct slot *v;
	size_t n;
	bool ok = true;

	v = map_sorted(m, &n, &ok);
	if (!ok)
		return err_set(e, "out of memory");
	ok = cmp_list(table, when, kind, v, n, r, nr, e);
	free(v);
	cmap_clear(m);
	return ok;
}

/* Compares day (or, with day -1, every remaining rollup row) with
 * day_rollup.  Returns 1 same, 0 differs (e), -1 error (e). */
static int
check_day(struct checker *c, int32_t day, struct err *e)
{
	static const enum kkind kinds[3] = { K_PORT, K_CC, K_CELL };
	char when[16];

	for (;;) {
		int32_t rday;
		struct pcell *r[3] = { NULL, NULL, NULL };
		size_t nr[3] = { 0, 0, 0 };
		bool ok = true, has;

		has = c->rc_roll == SQLITE_ROW;
		if (has && !day_ok(c->s, c->roll, 0, "day_rollup", &rday, e))
			return -1;
		if (!has || (day >= 0 && rday > day)) {
			if (day < 0)
				return 1;
			/* no rollup row: the day's maps must be empty */
			day_str(day, when, sizeof(when));
			for (int k = 0; ok && k < 3; k++)
				ok = check_map(&c->day[k], "day_rollup", when,
				    kinds[k], NULL, 0, e);
			return ok ? 1 : 0;
		}
		for (int k = 0; ok && k < 3; k++)
			ok = blob_decode(c->s, c->roll, 1 + k, "day_rollup",
			    kinds[k], &r[k], &nr[k], e);
		if (!ok) {
			for (int k = 0; k < 3; k++)
				free(r[k]);
			return -1;
		}
		day_str(rday, when, sizeof(when));
		for (int k = 0; ok && k < 3; k++) {
			if (day >= 0 && rday == day)
				ok = check_map(&c->day[k], "day_rollup", when,
				    kinds[k], r[k], nr[k], e);
			else {
				struct cmap none = { NULL, 0, 0 };

				ok = check_map(&none, "day_rollup", when,
				    kinds[k], r[k], nr[k], e);
			}
		}
		for (int k = 0; k < 3; k++)
			free(r[k]);
		if (!ok)
			return 0;
		c->out->days++;
		c->rc_roll = sqlite3_step(c->roll);
		if (c->rc_roll != SQLITE_ROW && c->rc_roll != SQLITE_DONE)
			return db_fail(c->s, e, "reading day_rollup"), -1;
		if (day >= 0 && rday == day)
			return 1;
	}
}

/* Reads the rows of st (month_port or month_country) for month into a
 * sorted list; rows of earlier months go to the list too (they have no
 * detail rows: month < first month asked).  -1 error. */
static int
read_month_rows(struct checker *c, bool ports, int32_t month,
    struct pcell **out, size_t *n, struct err *e)
{
	sqlite3_stmt *st = ports ? c->mp : c->mc;
	int *rc = ports ? &c->rc_mp : &c->rc_mc;
	const char *table = ports ? "month_port" : "month_country";
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while (*rc == SQLITE_ROW && sqlite3_column_int64(st, 0) <= month) {
		struct pcell p;
		struct counts cnt;

		if (!read_counts(c->s, st, ports ? 3 : 2, table, &cnt, e))
			return -1;
		if (ports) {
			int64_t proto = sqlite3_column_int64(st, 1),
			    port = sqlite3_column_int64(st, 2);

			if ((proto != 1 && proto != 6 && proto != 17) ||
			    port < 0 || port > 65535)
				return err_set(e, "%s: the store is damaged (table month_port: protocol %s port %s out of range)",
				    c->s->path,
				    (const char *)sqlite3_column_text(st, 1),
				    (const char *)sqlite3_column_text(st, 2)), -1;
			p.key = pkey((unsigned)proto, (unsigned)port);
		} else {
			char cc[3];

			if (!read_cc(c->s, st, 1, cc, e))
				return -1;
			p.key = pack_cc_code(cc);
		}
		p.a = cnt.accesses;
		p.s = cnt.sources;
		if (sqlite3_column_int64(st, 0) == month) {
			void *v = *out;

			if (!grow(&v, *n, &cap, sizeof(p)))
				return free(*out), err_set(e, "out of memory"),
				    -1;
			*out = v;
			(*out)[(*n)++] = p;
		} else if (p.a != 0 || p.s != 0) {
			free(*out);
			return err_set(e, "%s %lld: %lld accesses, but no detail row that month",
			    table, (long long)sqlite3_column_int64(st, 0),
			    (long long)p.a), 0;
		}
		*rc = sqlite3_step(st);
	}
	if (*rc != SQLITE_ROW && *rc != SQLITE_DONE)
		return free(*out), db_fail(c->s, e, "reading monthly rollups"),
		    -1;
	return 1;
}

/* Compares a month (or, month -1, what remains) with month_port and
 * month_country.  1 same, 0 differs, -1 error. */
static int
check_month(struct checker *c, int32_t month, struct err *e)
{
	char when[16];
	int res = 1;

	snprintf(when, sizeof(when), "%04d-%02d", month / 100, month % 100);
	for (int k = 0; res == 1 && k < 2; k++) {
		struct pcell *r;
		size_t nr;

		res = read_month_rows(c, k == 0, month < 0 ? INT32_MAX : month,
		    &r, &nr, e);
		if (res == 1 && month >= 0 &&
		    !check_map(&c->mon[k], k == 0 ? "month_port" :
		    "month_country", when, k == 0 ? K_PORT : K_CC, r, nr, e))
			res = 0;
		if (res == 1 && month < 0 && nr > 0)
			res = (err_set(e, "%s %s: rows without detail rows",
			    k == 0 ? "month_port" : "month_country", when), 0);
		free(r);
	}
	if (res == 1 && month >= 0)
		c->out->months++;
	return res;
}

int
sqlite_store_check(struct store *s, struct store_check *out, struct err *e)
{
	struct checker c;
	sqlite3_stmt *sd;
	int32_t cur_day = -1;
	int rc, res = 1;

	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	c.s = s;
	c.out = out;
	if (!sqlite_store_snapshot_begin(s, e))
		return -1;
	sd = prep(s, "SELECT day, sensor, cells, accesses, sources, data"
	    " FROM sensor_day ORDER BY day, sensor", e);
	c.roll = sd ? prep(s, "SELECT day, ports, countries, port_countries"
	    " FROM day_rollup ORDER BY day", e) : NULL;
	c.mp = c.roll ? prep(s, "SELECT month, proto, port, accesses, sources"
	    " FROM month_port ORDER BY month, proto, port", e) : NULL;
	c.mc = c.mp ? prep(s, "SELECT month, cc, accesses, sources"
	    " FROM month_country ORDER BY month, cc", e) : NULL;
	if (c.mc == NULL) {
		res = -1;
		goto out;
	}
	c.rc_roll = sqlite3_step(c.roll);
	c.rc_mp = sqlite3_step(c.mp);
	c.rc_mc = sqlite3_step(c.mc);
	while (res == 1 && (rc = sqlite3_step(sd)) == SQLITE_ROW) {
		int32_t day;
		struct pcell *v = NULL;
		size_t n = 0;
		int64_t a = 0, so = 0;
		char ds[16];

		if (!day_ok(s, sd, 0, "sensor_day", &day, e) ||
		    !blob_decode(s, sd, 5, "sensor_day", K_CELL, &v, &n, e)) {
			res = -1;
			break;
		}
		if (cur_day >= 0 && day != cur_day) {
			res = check_day(&c, cur_day, e);
			if (res == 1 && day / 100 != cur_day / 100)
				res = check_month(&c, cur_day / 100, e);
		}
		cur_day = day;
		for (size_t i = 0; res == 1 && i < n; i++) {
			uint64_t cell = v[i].key;
			uint64_t keys[5] = { cell >> 10, cell & 0x3ff, cell,
				cell >> 10, cell & 0x3ff };

			if (v[i].a < 0 || v[i].s < 0 || v[i].s > v[i].a ||
			    __builtin_add_overflow(a, v[i].a, &a) ||
			    __builtin_add_overflow(so, v[i].s, &so)) {
				res = (err_set(e, "%s: the store is damaged (table sensor_day: counts out of range on %s)",
				    s->path, day_str(day, ds, sizeof(ds))), -1);
				break;
			}
			for (int k = 0; res == 1 && k < 5; k++) {
				bool fresh;
				struct slot *sl = cmap_find(k < 3 ? &c.day[k] :
				    &c.mon[k - 3], keys[k], &fresh);

				if (sl == NULL)
					res = (err_set(e, "out of memory"), -1);
				else if (!add_counts(sl, 1, v[i].a, v[i].s))
					res = (err_set(e, "%s: counts too large on %s",
					    s->path, day_str(day, ds,
					    sizeof(ds))), -1);
			}
		}
		free(v);
		if (res == 1 && (sqlite3_column_int64(sd, 2) != (int64_t)n ||
		    sqlite3_column_int64(sd, 3) != a ||
		    sqlite3_column_int64(sd, 4) != so))
			res = (err_set(e, "sensor_day %s, sensor %lld: %lld cells, %lld accesses, %lld sources; its rows hold %zu, %lld, %lld",
			    day_str(day, ds, sizeof(ds)),
			    (long long)sqlite3_column_int64(sd, 1),
			    (long long)sqlite3_column_int64(sd, 2),
			    (long long)sqlite3_column_int64(sd, 3),
			    (long long)sqlite3_column_int64(sd, 4), n,
			    (long long)a, (long long)so), 0);
		out->sensor_days++;
	}
	if (res == 1 && rc != SQLITE_DONE)
		res = (db_fail(s, e, "reading sensor_day"), -1);
	if (res == 1 && cur_day >= 0) {
		res = check_day(&c, cur_day, e);
		if (res == 1)
			res = check_month(&c, cur_day / 100, e);
	}
	if (res == 1)
		res = check_day(&c, -1, e);
	if (res == 1)
		res = check_month(&c, -1, e);
out:
	sqlite3_finalize(sd);
	sqlite3_finalize(c.roll);
	sqlite3_finalize(c.mp);
	sqlite3_finalize(c.mc);
	for (int k = 0; k < 3; k++)
		cmap_free(&c.day[k]);
	for (int k = 0; k < 2; k++)
		cmap_free(&c.mon[k]);
	sqlite_store_snapshot_end(s);
	return res;
}

/* ---- for the other files of the SQLite store (store_internal.h) ---- */

sqlite3 *
store_sqlite_db(struct store *s)
{
	/* NULL for a handle of another back-end (a ClickHouse store) */
	return store_kind_of(s) == STORE_KIND_SQLITE ? s->db : NULL;
}

bool
store_sqlite_fail(struct store *s, struct err *e, const char *what)
{
	return db_fail(s, e, what);
}

int
store_sqlite_version(struct store *s)
{
	/* another back-end holds no ingest tables: schema 1 to the callers */
	return store_kind_of(s) == STORE_KIND_SQLITE ? s->version : 1;
}

void
store_sqlite_set_version(struct store *s, int version)
{
	s->version = version;
}

void
store_import_for_ingest(struct store_import *im)
{
	im->for_ingest = true;
}
