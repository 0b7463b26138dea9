#include "pack.h"

#include <errno.h>
#include <stdlib.h>

static size_t
put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static bool
get_varint(const uint8_t *b, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift = 0;

	while (*pos < len && shift < 64) {
		uint8_t c = b[(*pos)++];

		/* the tenth byte holds bit 63 only: anything wider is no
		 * 64-bit value */
		if (shift == 63 && (c & 0x7e) != 0)
			return false;
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return true;
		}
		shift += 7;
	}
	return false;
}

uint8_t *
pack_encode(const struct pcell *v, size_t n, size_t *len)
{
	uint8_t *b = malloc(10 + n * 30), *nb;
	size_t o = 0;
	uint64_t prev = 0;

	if (b == NULL)
		return NULL;
	o += put_varint(b + o, n);
	for (size_t i = 0; i < n; i++) {
		o += put_varint(b + o, v[i].key - prev);
		o += put_varint(b + o, (uint64_t)v[i].a);
		o += put_varint(b + o, (uint64_t)v[i].s);
		prev = v[i].key;
	}
	nb = realloc(b, o ? o : 1);
	*len = o;
	return nb ? nb : b;
}

bool
pack_decode(const uint8_t *b, size_t len, struct pcell **out, size_t *n)
{
	size_t pos = 0;
	uint64_t cnt, key = 0;
	struct pcell *v;

	*out = NULL;
	*n = 0;
	errno = EINVAL;   /* malformed, unless malloc says ENOMEM */
	if (len == 0)
		return true;
	if (!get_varint(b, len, &pos, &cnt) || cnt > len)
		return false;
	if (cnt == 0)
		return pos == len;
	v = malloc((size_t)cnt * sizeof(*v));
	if (v == NULL)
		return false;
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t d, a, s;

		if (!get_varint(b, len, &pos, &d) ||
		    !get_varint(b, len, &pos, &a) ||
		    !get_varint(b, len, &pos, &s) || (i > 0 && d == 0) ||
		    a > INT64_MAX || s > INT64_MAX || key + d < key) {
			free(v);
			return false;
		}
		key += d;
		v[i].key = key;
		v[i].a = (int64_t)a;
		v[i].s = (int64_t)s;
	}
	if (pos != len) {
		free(v);
		return false;
	}
	*out = v;
	*n = (size_t)cnt;
	return true;
}

bool
pack_merge(const struct pcell *base, size_t nb, const struct pcell *d,
    size_t nd, struct pcell **out, size_t *n, bool *bad)
{
	struct pcell *v = malloc((nb + nd + 1) * sizeof(*v));
	size_t i = 0, j = 0, k = 0;

	*bad = false;
	if (v == NULL)
		return false;
	while (i < nb || j < nd) {
		struct pcell c;

		if (j >= nd || (i < nb && base[i].key < d[j].key))
			c = base[i++];
		else if (i >= nb || d[j].key < base[i].key)
			c = d[j++];
		else {
			c = base[i];
			if (__builtin_add_overflow(c.a, d[j].a, &c.a) ||
			    __builtin_add_overflow(c.s, d[j].s, &c.s))
				*bad = true;
			i++;
			j++;
		}
		if (c.a < 0 || c.s < 0)
			*bad = true;
		if (c.a != 0 || c.s != 0)
			v[k++] = c;
	}
	if (*bad) {
		free(v);
		return false;
	}
	*out = v;
	*n = k;
	return true;
}
