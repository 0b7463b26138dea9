#include "srcset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <roaring/roaring.h>

enum { SRCSET_FORMAT = 1 };

void
srcset_init(struct srcset *s)
{
	memset(s, 0, sizeof(*s));
}

void
srcset_finish(struct srcset *s)
{
	if (s->v4 != NULL)
		roaring_bitmap_free(s->v4);
	free(s->v6);
	memset(s, 0, sizeof(*s));
}

static bool
v4_ready(struct srcset *s)
{
	if (s->v4 == NULL)
		s->v4 = roaring_bitmap_create();
	return s->v4 != NULL;
}

/* s->v6 ∪ v (sorted, unique) into s->v6. */
static bool
v6_union(struct srcset *s, const uint8_t (*v)[16], size_t n)
{
	uint8_t (*out)[16];
	size_t i = 0, j = 0, k = 0;

	if (n == 0)
		return true;
	if (s->n6 + n < s->n6 || s->n6 + n > SIZE_MAX / 16)
		return false;
	out = malloc((s->n6 + n) * 16);
	if (out == NULL)
		return false;
	while (i < s->n6 || j < n) {
		int c = i >= s->n6 ? 1 : j >= n ? -1 :
		    memcmp(s->v6[i], v[j], 16);

		if (c <= 0) {
			memcpy(out[k++], s->v6[i++], 16);
			if (c == 0)
				j++;
		} else
			memcpy(out[k++], v[j++], 16);
	}
	free(s->v6);
	s->v6 = out;
	s->n6 = k;
	s->cap6 = s->n6 + n;
	return true;
}

bool
srcset_add(struct srcset *s, const uint32_t *v4, size_t n4,
    const uint8_t (*v6)[16], size_t n6)
{
	if (n4 > 0) {
		if (!v4_ready(s))
			return false;
		roaring_bitmap_add_many(s->v4, n4, v4);
	}
	return v6_union(s, v6, n6);
}

static bool
get_varint(const uint8_t *b, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;

	for (unsigned shift = 0; *pos < len && shift < 64; shift += 7) {
		uint8_t c = b[(*pos)++];

		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

bool
srcset_add_blob(struct srcset *s, const void *blob, size_t len)
{
	const uint8_t *b = blob, (*v6)[16];
	size_t pos = 1, n6;
	uint64_t l4;

	if (len == 0 || b[0] != SRCSET_FORMAT || !get_varint(b, len, &pos, &l4) ||
	    l4 > len - pos || (len - pos - l4) % 16 != 0)
		goto bad;
	if (l4 > 0) {
		roaring_bitmap_t *r;

		/* the size check first: the portable reader of this CRoaring
		 * trusts the container headers it reads */
		if (roaring_bitmap_portable_deserialize_size(
		    (const char *)b + pos, (size_t)l4) != l4)
			goto bad;
		r = roaring_bitmap_portable_deserialize_safe(
		    (const char *)b + pos, (size_t)l4);
		if (r == NULL)
			goto bad;
		if (s->v4 == NULL)
			s->v4 = r;
		else {
			roaring_bitmap_or_inplace(s->v4, r);
			roaring_bitmap_free(r);
		}
	}
	pos += (size_t)l4;
	v6 = (const uint8_t (*)[16])(b + pos);
	n6 = (len - pos) / 16;
	for (size_t i = 1; i < n6; i++)
		if (memcmp(v6[i - 1], v6[i], 16) >= 0)
			goto bad;
	if (n6 > 0) {
		/* the blob is not aligned for a copy-free view: copy */
		uint8_t (*tmp)[16] = malloc(n6 * 16);
		bool ok;

		if (tmp == NULL) {
			errno = ENOMEM;
			return false;
		}
		memcpy(tmp, v6, n6 * 16);
		ok = v6_union(s, (const uint8_t (*)[16])tmp, n6);
		free(tmp);
		if (!ok) {
			errno = ENOMEM;
			return false;
		}
	}
	return true;
bad:
	errno = EINVAL;
	return false;
}

bool
srcset_add_set(struct srcset *s, const struct srcset *o)
{
	if (o->v4 != NULL) {
		if (!v4_ready(s))
			return false;
		roaring_bitmap_or_inplace(s->v4, o->v4);
	}
	return v6_union(s, (const uint8_t (*)[16])o->v6, o->n6);
}

int64_t
srcset_count(const struct srcset *s)
{
	return (int64_t)((s->v4 ? roaring_bitmap_get_cardinality(s->v4) : 0) +
	    s->n6);
}

uint8_t *
srcset_encode(struct srcset *s, size_t *len)
{
	size_t l4 = 0, o = 1;
	uint8_t *b;
	uint64_t v;

	if (s->v4 != NULL && roaring_bitmap_is_empty(s->v4)) {
		roaring_bitmap_free(s->v4);
		s->v4 = NULL;
	}
	if (s->v4 != NULL) {
		roaring_bitmap_run_optimize(s->v4);
		l4 = roaring_bitmap_portable_size_in_bytes(s->v4);
	}
	b = malloc(1 + 10 + l4 + s->n6 * 16);
	if (b == NULL)
		return NULL;
	b[0] = SRCSET_FORMAT;
	for (v = l4; v >= 0x80; v >>= 7)
		b[o++] = (uint8_t)(v | 0x80);
	b[o++] = (uint8_t)v;
	if (l4 > 0 && roaring_bitmap_portable_serialize(s->v4,
	    (char *)b + o) != l4) {
		free(b);
		return NULL;
	}
	o += l4;
	if (s->n6 > 0)
		memcpy(b + o, s->v6, s->n6 * 16);
	*len = o + s->n6 * 16;
	return b;
}
