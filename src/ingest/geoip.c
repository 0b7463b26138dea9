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
 * (libmaxminddb's MMDB_lookup_sockaddr with an AF_INET address starts at
 * the IPv4 subtree).  Results for IPv4 are kept in a small direct-mapped
 * cache keyed by the /24, so repeated sources cost one comparison.
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

#define CACHE_BITS 16

struct cache_slot {
	uint32_t key;        /* the /24 (addr >> 8), or the address itself */
	uint8_t exact;       /* 1: key is a whole address; 2: empty */
	char cc[2];
};

struct geoip {
	MMDB_s db;
	char *path;
	char *type;
	int64_t build;
	struct cache_slot *cache;
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
	g->cache = malloc(sizeof(*g->cache) << CACHE_BITS);
	if (g->path == NULL || g->type == NULL || g->cache == NULL) {
		geoip_close(g);
		return err_set(e, "%s: out of memory", path), NULL;
	}
	for (size_t i = 0; i < (size_t)1 << CACHE_BITS; i++)
		g->cache[i].exact = 2;
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
	free(g->cache);
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

static struct cache_slot *
slot(const struct geoip *g, uint32_t net24)
{
	uint32_t h = net24 * 2654435761u;
	return &g->cache[h >> (32 - CACHE_BITS)];
}

bool
geoip_country(struct geoip *g, int family, const uint8_t addr[16],
    char cc[3], struct err *e)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s res;
	uint32_t a4 = 0;
	struct cache_slot *cs = NULL;
	int rc, status;

	if (family == 4) {
		a4 = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
		    (uint32_t)addr[2] << 8 | addr[3];
		cs = slot(g, a4 >> 8);
		if ((cs->exact == 0 && cs->key == a4 >> 8) ||
		    (cs->exact == 1 && cs->key == a4)) {
			cc[0] = cs->cc[0];
			cc[1] = cs->cc[1];
			cc[2] = '\0';
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
	if (cs != NULL) {
		/* the network the answer holds for, as an IPv4 length */
		int plen = g->db.metadata.ip_version == 6 ? res.netmask - 96 :
		    res.netmask;
		if (plen <= 24) {
			cs->exact = 0;
			cs->key = a4 >> 8;
		} else {
			cs->exact = 1;
			cs->key = a4;
		}
		cs->cc[0] = cc[0];
		cs->cc[1] = cc[1];
	}
	return true;
}
