/* srcset.h — exact sets of source addresses, as the store keeps them for
 * ingested sensor-days (one set per day × sensor × protocol/port × country,
 * and one per sensor-day), so that separate runs combine into the exact
 * distinct union.
 *
 * IPv4: a CRoaring bitmap (32-bit addresses in host order).
 * IPv6: a sorted array of unique 16-byte addresses, merged on union.  Any
 * split of the 128 bits (a /64 prefix, a hash) would count two hosts as
 * one; IPv6 sources of unsolicited traffic are few (the space cannot be
 * swept), so the plain array is both exact and small.
 *
 * Blob: byte 1 (the format), varint L, L bytes of the IPv4 bitmap in
 * CRoaring's portable format (L = 0: none), then the IPv6 addresses,
 * 16 bytes each, strictly increasing. */
#ifndef TALOT_SRCSET_H
#define TALOT_SRCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct srcset {
	void *v4;                  /* roaring_bitmap_t, made on first use */
	uint8_t (*v6)[16];
	size_t n6, cap6;
};

/* An empty set; srcset_finish() frees what it gathered. */
void srcset_init(struct srcset *s);
void srcset_finish(struct srcset *s);

/* Adds IPv4 addresses (any order, duplicates allowed) and IPv6 addresses
 * (sorted, unique).  false when memory runs out. */
bool srcset_add(struct srcset *s, const uint32_t *v4, size_t n4,
    const uint8_t (*v6)[16], size_t n6);
/* Adds a stored blob.  false when it is malformed (errno EINVAL: the store
 * is damaged) or memory runs out (errno ENOMEM). */
bool srcset_add_blob(struct srcset *s, const void *blob, size_t len);
/* Adds another set. */
bool srcset_add_set(struct srcset *s, const struct srcset *o);

/* The blob of (the stored blob of len bytes ∪ v4 ∪ v6), without bitmaps
 * in memory (len 0: no stored blob; v4 ascending and unique for speed, any
 * order works; v6 ascending, unique): malloc'd, *outlen and *count (its
 * distinct addresses) set.  NULL when the blob is malformed (errno EINVAL)
 * or memory runs out (ENOMEM). */
uint8_t *srcset_merge_blob(const void *blob, size_t len, const uint32_t *v4,
    size_t n4, const uint8_t (*v6)[16], size_t n6, size_t *outlen,
    int64_t *count);

/* The number of distinct addresses. */
int64_t srcset_count(const struct srcset *s);

/* The blob of s (malloc'd, *len set); NULL when memory runs out.  Compacts
 * the IPv4 bitmap first (runs). */
uint8_t *srcset_encode(struct srcset *s, size_t *len);

#endif
