/* pack.h — the store's packed cell lists: a sorted run of (key, accesses,
 * sources) as varints, key delta-coded.  Used for a sensor-day's rows and
 * for a day's rollups, so that a day is one read and one write.
 *
 * Blob: varint n, then n × (varint key delta, varint accesses, varint
 * sources); keys strictly increasing; counts >= 0. */
#ifndef TALOT_PACK_H
#define TALOT_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The codes of a key's parts, shared by the SQLite store, the ClickHouse
 * store's import and the ingest aggregator: protocol 1/6/17 as 0/1/2, a
 * country "AA".."ZZ" as 0..675 (anything else as ZZ). */
static inline unsigned
pack_proto_code(unsigned proto)
{
	return proto == 1 ? 0 : proto == 6 ? 1 : 2;
}

static inline unsigned
pack_proto_decode(unsigned c)
{
	return c == 0 ? 1 : c == 1 ? 6 : 17;
}

static inline unsigned
pack_cc_code(const char *cc)
{
	if (cc == NULL || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' ||
	    cc[1] > 'Z' || cc[2] != '\0')
		cc = "ZZ";
	return (unsigned)(cc[0] - 'A') * 26 + (unsigned)(cc[1] - 'A');
}

static inline void
pack_cc_decode(unsigned c, char out[3])
{
	out[0] = (char)('A' + c / 26 % 26);
	out[1] = (char)('A' + c % 26);
	out[2] = '\0';
}

struct pcell {
	uint64_t key;
	int64_t a, s;
};

/* Encodes v (sorted, strictly increasing keys, counts >= 0) into a malloc'd
 * blob; NULL on out of memory. */
uint8_t *pack_encode(const struct pcell *v, size_t n, size_t *len);

/* Decodes blob into a malloc'd array (*out NULL when n is 0); false if the
 * blob is malformed (the store is damaged; errno EINVAL) or memory runs
 * out (errno ENOMEM). */
bool pack_decode(const uint8_t *b, size_t len, struct pcell **out,
    size_t *n);

/* Adds deltas d (sorted, unique keys) to base (sorted, unique keys) into a
 * malloc'd *out, dropping cells that become 0/0.  False on overflow or a
 * negative result (*bad set) or out of memory. */
bool pack_merge(const struct pcell *base, size_t nb, const struct pcell *d,
    size_t nd, struct pcell **out, size_t *n, bool *bad);

#endif
