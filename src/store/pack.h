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
