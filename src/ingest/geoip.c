/* geoip.c — a source's country from a MaxMind-format database
 * (GeoLite2-Country, GeoIP2-City, DB-IP Country Lite, …) through
 * libmaxminddb.
 *
 * The rule (docs/ingest.md): country.iso_code, else
 * registered_country.iso_code, else "ZZ".  A code that is not two ASCII
 * letters is taken as unknown ("ZZ"); letters are upper-cased.  An address
 * the database has no entry for is "ZZ"; so is an IPv6 address looked up in
 * an IPv4-only database.
 *
 * A database is accepted when its metadata's database_type names country
 * or city data ("Country" or "City", any case): an ASN, ISP or anonymous-IP
 * database has no countries and is refused, as is a file that is not an
 * MMDB.
 *
 * IPv4 addresses in an IPv6 database are looked up where IPv4 lives in it
 * (the ::/96 subtree, as libmaxminddb's MMDB_lookup_sockaddr does).
 *
 * Speed: at open, the IPv4 part of the tree is walked once
 * (MMDB_read_node) into a sorted table of address ranges and their
 * countries (adjacent ranges of one country merged), with an index by
 * /16; an IPv4 lookup is then a short binary search (GeoLite2-Country:
 * a few hundred thousand ranges, about 2 MB).  A tree that cannot be
 * walked (damaged, or larger than its node count allows) falls back to
 * libmaxminddb's lookups, as IPv6 addresses always do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <maxminddb.h>

#include "ingest.h"
#include "ingest_internal.h"

struct geoip {
	MMDB_s db;
	char *path;
	char *type;
	int64_t build;
	/* the IPv4 table: ranges [v4start[i], v4start[i + 1]) have country
	 * v4cc[i]; v4idx[k] is the range holding address k << 16 */
	uint32_t *v4start;
	char (*v4cc)[2];
	size_t nv4;
	uint32_t *v4idx;
};

bool
geoip_cc_normalise(const char *s, size_t len, char cc[3])
{
	if (s != NULL && len == 2) {
		char a = s[0], b = s[1];

		if (a >= 'a' && a <= 'z')
			a = (char)(a - 'a' + 'A');
		if (b >= 'a' && b <= 'z')
			b = (char)(b - 'a' + 'A');
		if (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z') {
			cc[0] = a;
			cc[1] = b;
			cc[2] = '\0';
			return true;
		}
	}
	memcpy(cc, "ZZ", 3);
	return false;
}

/* The iso_code under key (country or registered_country) of an entry;
 * true if it held a usable code. */
static bool
entry_code(MMDB_entry_s *entry, const char *key, char cc[3], int *status)
{
	MMDB_entry_data_s d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = MMDB_get_value(entry, &d, key, "iso_code", NULL);
	if (rc == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR ||
	    rc == MMDB_INVALID_LOOKUP_PATH_ERROR)
		return false;     /* a field of another shape: no code */
	if (rc != MMDB_SUCCESS) {
		*status = rc;
		return false;
	}
	if (!d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return false;
	return geoip_cc_normalise(d.utf8_string, d.data_size, cc);
}

/* The country of one entry by the rule above; false (with *status) only
 * when the database is damaged. */
static bool
entry_country(MMDB_entry_s *entry, char cc[3], int *status)
{
	*status = MMDB_SUCCESS;
	if (entry_code(entry, "country", cc, status))
		return true;
	if (*status != MMDB_SUCCESS)
		return false;
	if (entry_code(entry, "registered_country", cc, status))
		return true;
	if (*status != MMDB_SUCCESS)
		return false;
	memcpy(cc, "ZZ", 3);
	return true;
}

/* ---- the IPv4 table ---------------------------------------------------- */

struct walk {
	struct geoip *g;
	size_t cap, visits, max_visits;
	/* countries of data entries already decoded (by entry offset) */
	uint32_t off[256];
	char cc[256][2];
	bool used[256];
};

static bool
emit(struct walk *w, uint32_t start, const char cc[2])
{
	struct geoip *g = w->g;

	if (g->nv4 > 0 && memcmp(g->v4cc[g->nv4 - 1], cc, 2) == 0)
		return true;          /* one more range of the same country */
	if (g->nv4 == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 4096;
		uint32_t *ns = realloc(g->v4start, nc * sizeof(*ns));
		char (*ncc)[2];

		if (ns == NULL)
			return false;
		g->v4start = ns;
		ncc = realloc(g->v4cc, nc * sizeof(*ncc));
		if (ncc == NULL)
			return false;
		g->v4cc = ncc;
		w->cap = nc;
	}
	g->v4start[g->nv4] = start;
	memcpy(g->v4cc[g->nv4], cc, 2);
	g->nv4++;
	return true;
}

static bool
emit_entry(struct walk *w, uint32_t start, MMDB_entry_s *entry)
{
	unsigned h = (entry->offset * 2654435761u) >> 24;
	char cc[3];
	int status;

	if (!w->used[h] || w->off[h] != entry->offset) {
		if (!entry_country(entry, cc, &status))
			return false;
		w->used[h] = true;
		w->off[h] = entry->offset;
		memcpy(w->cc[h], cc, 2);
	}
	return emit(w, start, w->cc[h]);
}

/* The subtree at node, which holds the addresses prefix/depth. */
static bool
walk_v4(struct walk *w, uint32_t node, int depth, uint32_t prefix)
{
	MMDB_search_node_s sn;

	if (++w->visits > w->max_visits || depth > 31)
		return false;
	if (MMDB_read_node(&w->g->db, node, &sn) != MMDB_SUCCESS)
		return false;
	for (int side = 0; side < 2; side++) {
		uint32_t start = prefix | (uint32_t)side << (31 - depth);
		int type = side ? sn.right_record_type : sn.left_record_type;
		uint64_t rec = side ? sn.right_record : sn.left_record;
		MMDB_entry_s *entry = side ? &sn.right_record_entry :
		    &sn.left_record_entry;

		switch (type) {
		case MMDB_RECORD_TYPE_SEARCH_NODE:
			if (rec > UINT32_MAX ||
			    !walk_v4(w, (uint32_t)rec, depth + 1, start))
				return false;
			break;
		case MMDB_RECORD_TYPE_DATA:
			if (!emit_entry(w, start, entry))
				return false;
			break;
		case MMDB_RECORD_TYPE_EMPTY:
			if (!emit(w, start, "ZZ"))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Builds g's IPv4 table; false if the tree cannot be walked. */
static bool
flatten_v4(struct geoip *g)
{
	struct walk w;
	uint32_t node = 0;
	size_t j = 0;

	memset(&w, 0, sizeof(w));
	w.g = g;
	w.max_visits = (size_t)g->db.metadata.node_count + 64;
	if (g->db.metadata.node_count == 0)
		return false;
	if (g->db.metadata.ip_version == 6) {
		/* IPv4 lives at ::/96 */
		for (int i = 0; i < 96; i++) {
			MMDB_search_node_s sn;

			if (MMDB_read_node(&g->db, node, &sn) != MMDB_SUCCESS)
				return false;
			if (sn.left_record_type == MMDB_RECORD_TYPE_SEARCH_NODE) {
				if (sn.left_record > UINT32_MAX)
					return false;
				node = (uint32_t)sn.left_record;
				continue;
			}
			/* all of IPv4 is one record */
			if (sn.left_record_type == MMDB_RECORD_TYPE_DATA) {
				if (!emit_entry(&w, 0, &sn.left_record_entry))
					return false;
			} else if (sn.left_record_type == MMDB_RECORD_TYPE_EMPTY) {
				if (!emit(&w, 0, "ZZ"))
					return false;
			} else {
				return false;
			}
			goto index;
		}
	} else if (g->db.metadata.ip_version != 4) {
		return false;
	}
	if (!walk_v4(&w, node, 0, 0))
		return false;
index:
	if (g->nv4 == 0 || g->v4start[0] != 0)
		return false;
	g->v4idx = malloc(65536 * sizeof(*g->v4idx));
	if (g->v4idx == NULL)
		return false;
	for (uint32_t k = 0; k < 65536; k++) {
		while (j + 1 < g->nv4 && g->v4start[j + 1] <= k << 16)
			j++;
		g->v4idx[k] = (uint32_t)j;
	}
	return true;
}

/* The country of IPv4 address a from the table. */
static void
lookup_v4(const struct geoip *g, uint32_t a, char cc[3])
{
	uint32_t k = a >> 16;
	size_t lo = g->v4idx[k];
	size_t hi = k < 65535 ? g->v4idx[k + 1] : g->nv4 - 1;

	/* the last range starting at or before a, in [lo, hi] */
	while (lo < hi) {
		size_t m = lo + (hi - lo + 1) / 2;
		if (g->v4start[m] <= a)
			lo = m;
		else
			hi = m - 1;
	}
	cc[0] = g->v4cc[lo][0];
	cc[1] = g->v4cc[lo][1];
	cc[2] = '\0';
}

/* True if word (lower case) occurs in s, ignoring case. */
static bool
has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

struct geoip *
geoip_open(const char *path, struct err *e)
{
	struct geoip *g;
	const char *type;
	int rc;

	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return err_set(e, "%s: out of memory", path), NULL;
	rc = MMDB_open(path, MMDB_MODE_MMAP, &g->db);
	if (rc != MMDB_SUCCESS) {
		if (rc == MMDB_IO_ERROR && errno != 0)
			err_set(e, "%s: %s", path, strerror(errno));
		else
			err_set(e, "%s: not a MaxMind-format (.mmdb) database: %s",
			    path, MMDB_strerror(rc));
		free(g);
		return NULL;
	}
	type = g->db.metadata.database_type;
	if (type == NULL || (!has_word(type, "country") &&
	    !has_word(type, "city"))) {
		err_set(e, "%s: a '%s' database has no country data; give a "
		    "country or city database (GeoLite2-Country, DB-IP Country "
		    "Lite, …)", path, type != NULL ? type : "(untyped)");
		MMDB_close(&g->db);
		free(g);
		return NULL;
	}
	g->path = strdup(path);
	g->type = strdup(type);
	g->build = g->db.metadata.build_epoch > (uint64_t)INT64_MAX ? INT64_MAX :
	    (int64_t)g->db.metadata.build_epoch;
	if (g->path == NULL || g->type == NULL) {
		geoip_close(g);
		return err_set(e, "%s: out of memory", path), NULL;
	}
	if (!flatten_v4(g)) {
		/* not walkable: libmaxminddb looks every address up */
		free(g->v4start);
		free(g->v4cc);
		free(g->v4idx);
		g->v4start = NULL;
		g->v4cc = NULL;
		g->v4idx = NULL;
		g->nv4 = 0;
	}
	return g;
}

void
geoip_close(struct geoip *g)
{
	if (g == NULL)
		return;
	MMDB_close(&g->db);
	free(g->path);
	free(g->type);
	free(g->v4start);
	free(g->v4cc);
	free(g->v4idx);
	free(g);
}

const char *
geoip_type(const struct geoip *g)
{
	return g->type;
}

int64_t
geoip_build_epoch(const struct geoip *g)
{
	return g->build;
}

bool
geoip_country(struct geoip *g, int family, const uint8_t addr[16],
    char cc[3], struct err *e)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s res;
	int rc, status;

	if (family == 4) {
		if (g->v4idx != NULL) {
			lookup_v4(g, (uint32_t)addr[0] << 24 |
			    (uint32_t)addr[1] << 16 | (uint32_t)addr[2] << 8 |
			    addr[3], cc);
			return true;
		}
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, addr, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, addr, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	rc = MMDB_SUCCESS;
	res = MMDB_lookup_sockaddr(&g->db, sa, &rc);
	if (rc == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) {
		memcpy(cc, "ZZ", 3);
		return true;
	}
	if (rc != MMDB_SUCCESS)
		return err_set(e, "%s: lookup failed: %s", g->path,
		    MMDB_strerror(rc));
	if (!res.found_entry) {
		memcpy(cc, "ZZ", 3);
	} else if (!entry_country(&res.entry, cc, &status)) {
		return err_set(e, "%s: damaged database: %s", g->path,
		    MMDB_strerror(status));
	}
	return true;
}
