/* agg.h — exact counting of inbound events per (day, sensor, protocol,
 * port, country): accesses, and the distinct source addresses.
 *
 * Memory stays flat whatever the input: each event costs a counter update
 * (a hash table of the keys seen since the last drain) and, for its source,
 * one 8-byte (key, IPv4 address) pair appended to a buffer (IPv6: 20
 * bytes), after a small filter that drops a pair just seen.  When the
 * buffer or the key table reaches its bound, agg_full() turns true and the
 * caller drains: the pairs are grouped by key and sorted in place,
 * duplicates dropped, and each key is
 * handed over with its accesses and its sorted unique sources; the caller
 * merges them into what it keeps (the store's sets).  Accesses add and sets
 * union, so draining early never changes a result.
 *
 * Sensor-days (day, sensor) seen since agg_create() are kept (a few bytes
 * each) with their excluded-packet tallies. */
#ifndef TALOT_AGG_H
#define TALOT_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct agg;

/* What one drain hands over per key.  v4 holds IPv4 sources as host-order
 * integers, ascending; v6 IPv6 sources, ascending (memcmp); both valid
 * during the call only. */
struct agg_cell {
	int32_t day;               /* YYYYMMDD */
	uint32_t sensor;           /* the caller's sensor number */
	uint8_t proto;             /* 1, 6, 17 */
	uint16_t port;
	char cc[3];
	int64_t accesses;
	const uint32_t *v4;
	size_t n4;
	const uint8_t (*v6)[16];
	size_t n6;
};

struct agg_sensor_day {
	int32_t day;
	uint32_t sensor;
	int64_t events;            /* counted accesses */
	int64_t excluded;          /* packets from excluded prefixes */
};

/* max_pairs: the pair buffer's entries (0: the default, 3 × 2^20: 24 MB,
 * and a sixteenth as many IPv6 pairs, 4 MB; a drain sorts them in place);
 * max_keys: keys between drains (0: 2^16).
 * NULL when memory runs out. */
struct agg *agg_create(size_t max_pairs, size_t max_keys);
void agg_destroy(struct agg *a);

/* Counts one access.  cc: two letters A-Z (anything else counts as ZZ).
 * family 4 (src[0..3]) or 6.  false when memory runs out (or, with
 * agg_full() true, when the caller did not drain). */
bool agg_add(struct agg *a, int32_t day, uint32_t sensor, uint8_t proto,
    uint16_t port, const char *cc, int family, const uint8_t src[16]);
/* Counts one packet of an excluded source for (day, sensor). */
bool agg_exclude(struct agg *a, int32_t day, uint32_t sensor);
/* True when the caller must drain before the next agg_add(). */
bool agg_full(const struct agg *a);

/* Calls fn for every key counted since the last drain, in order of (day,
 * sensor, protocol, port, country), then forgets them.  false when fn
 * returned false (its e) or memory ran out (e set). */
typedef bool (*agg_cell_fn)(void *ctx, const struct agg_cell *c,
    struct err *e);
bool agg_drain(struct agg *a, agg_cell_fn fn, void *ctx, struct err *e);

/* The sensor-days seen since agg_create(), in the order first seen;
 * valid until the next agg_add/agg_exclude. */
const struct agg_sensor_day *agg_sensor_days(struct agg *a, size_t *n);

/* The number of sensor-days seen so far (lets the caller notice a new
 * one). */
size_t agg_nsensor_days(const struct agg *a);

#endif
