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

static bool v4_header(const uint8_t *b, size_t len, size_t *ncont,
    bool *runs, size_t *hdr, uint64_t *card);
static bool v4_decode(const uint8_t *b, size_t len, uint32_t *out,
    size_t *nout);

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
		/* decoded to an array and added: no bitmap per blob (CRoaring
		 * 0.2 allocates each container separately) */
		uint32_t *v;
		size_t nc, hdr, n;
		uint64_t card;
		bool runs;

		if (!v4_header(b + pos, (size_t)l4, &nc, &runs, &hdr, &card))
			goto bad;
		if ((v = malloc((size_t)card * 4 + 1)) == NULL) {
			errno = ENOMEM;
			return false;
		}
		if (!v4_decode(b + pos, (size_t)l4, v, &n)) {
			free(v);
			goto bad;
		}
		if (!v4_ready(s)) {
			free(v);
			errno = ENOMEM;
			return false;
		}
		roaring_bitmap_add_many(s->v4, n, v);
		free(v);
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

/* ---- merging a stored blob with new sources, without building bitmaps
 * (CRoaring 0.2 allocates each 16-bit container separately; a cell of
 * scattered sources has about one address per container) ---- */

enum {
	COOKIE_NORUN = 12346,      /* CRoaring's portable format */
	COOKIE_RUN = 12347,
	NO_OFFSET_MAX = 4,         /* run format: offsets from 4 containers */
	ARRAY_MAX = 4096           /* larger containers are bitsets */
};

static uint32_t
get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
get32le(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32le(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/* The header of a portable bitmap (len bytes at b): its containers, whether
 * it has runs, the header's size and the cardinality; false when it is
 * malformed. */
static bool
v4_header(const uint8_t *b, size_t len, size_t *ncont, bool *runs,
    size_t *hdr, uint64_t *card)
{
	uint32_t cookie;
	size_t n, p;

	if (len < 4)
		return false;
	cookie = get32le(b);
	if ((cookie & 0xffff) == COOKIE_RUN) {
		n = (cookie >> 16) + 1;
		*runs = true;
		p = 4 + (n + 7) / 8;
	} else if (cookie == COOKIE_NORUN) {
		if (len < 8)
			return false;
		n = get32le(b + 4);
		*runs = false;
		p = 8;
		if (n > 65536)
			return false;
	} else
		return false;
	if (p > len || (len - p) / 4 < n)
		return false;
	*card = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && get16(b + p + i * 4) <= get16(b + p + i * 4 - 4))
			return false;
		*card += get16(b + p + i * 4 + 2) + 1;
	}
	*ncont = n;
	*hdr = p;
	return true;
}

/* The addresses of a portable bitmap (len bytes at b), ascending, into
 * out (room for the cardinality v4_header gave); false when malformed. */
static bool
v4_decode(const uint8_t *b, size_t len, uint32_t *out, size_t *nout)
{
	size_t n, p, hdr, o = 0;
	uint64_t card;
	bool runs;

	if (!v4_header(b, len, &n, &runs, &hdr, &card))
		return false;
	p = hdr + n * 4;
	if (!runs || n >= NO_OFFSET_MAX)
		p += n * 4;
	if (p > len)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint32_t hi = get16(b + hdr + i * 4) << 16;
		size_t c = get16(b + hdr + i * 4 + 2) + 1, before = o;

		if (runs && (b[4 + i / 8] >> (i % 8) & 1)) {
			size_t nr;

			if (len - p < 2)
				return false;
			nr = get16(b + p);
			p += 2;
			if ((len - p) / 4 < nr)
				return false;
			for (size_t r = 0; r < nr; r++) {
				uint32_t s = get16(b + p + r * 4);
				uint32_t l = get16(b + p + r * 4 + 2);

				if (s + l > 0xffff || o - before + l + 1 > c ||
				    (o > before && (hi | s) <= out[o - 1]))
					return false;
				for (uint32_t x = s; x <= s + l; x++)
					out[o++] = hi | x;
			}
			p += nr * 4;
		} else if (c > ARRAY_MAX) {
			if (len - p < 8192)
				return false;
			for (uint32_t w = 0; w < 1024; w++) {
				uint64_t bits = 0;

				for (unsigned k = 0; k < 8; k++)
					bits |= (uint64_t)b[p + w * 8 + k] << (k * 8);
				while (bits != 0) {
					if (o - before >= c)
						return false;
					out[o++] = hi | (w * 64 +
					    (uint32_t)__builtin_ctzll(bits));
					bits &= bits - 1;
				}
			}
			p += 8192;
		} else {
			if ((len - p) / 2 < c)
				return false;
			for (size_t k = 0; k < c; k++) {
				uint32_t x = hi | get16(b + p + k * 2);

				if (k > 0 && x <= out[o - 1])
					return false;
				out[o++] = x;
			}
			p += c * 2;
		}
		if (o - before != c)
			return false;
	}
	*nout = o;
	return p == len;
}

/* The next container of v from i (ascending, unique): its end j, and
 * whether runs are its smallest form; *size its bytes. */
static size_t
v4_container(const uint32_t *v, size_t n, size_t i, bool *run, size_t *size)
{
	uint32_t hi = v[i] >> 16;
	size_t j = i + 1, nr = 1, sa, sr;

	for (; j < n && v[j] >> 16 == hi; j++)
		nr += v[j] != v[j - 1] + 1;
	sa = j - i > ARRAY_MAX ? 8192 : (j - i) * 2;
	sr = 2 + nr * 4;
	*run = sr < sa;
	*size = *run ? sr : sa;
	return j;
}

/* The size of the portable bitmap of v (ascending, unique, n > 0), each
 * container in its smallest form as roaring_bitmap_run_optimize leaves
 * it; *ncont and *runs for v4_write. */
static size_t
v4_size(const uint32_t *v, size_t n, size_t *ncont, bool *runs)
{
	size_t nc = 0, body = 0, size;
	bool run, any = false;

	for (size_t i = 0; i < n; nc++) {
		i = v4_container(v, n, i, &run, &size);
		body += size;
		any |= run;
	}
	*ncont = nc;
	*runs = any;
	return (any ? 4 + (nc + 7) / 8 : 8) + nc * 4 +
	    (!any || nc >= NO_OFFSET_MAX ? nc * 4 : 0) + body;
}

static void
v4_write(const uint32_t *v, size_t n, size_t ncont, bool runs, uint8_t *b)
{
	size_t hdr = runs ? 4 + (ncont + 7) / 8 : 8, p, ci = 0, size;
	bool offsets = !runs || ncont >= NO_OFFSET_MAX, run;

	memset(b, 0, hdr);
	if (runs)
		put32le(b, COOKIE_RUN | (uint32_t)(ncont - 1) << 16);
	else {
		put32le(b, COOKIE_NORUN);
		put32le(b + 4, (uint32_t)ncont);
	}
	p = hdr + ncont * 4 + (offsets ? ncont * 4 : 0);
	for (size_t i = 0, j; i < n; i = j, ci++) {
		j = v4_container(v, n, i, &run, &size);
		put16(b + hdr + ci * 4, v[i] >> 16);
		put16(b + hdr + ci * 4 + 2, (uint32_t)(j - i - 1));
		if (offsets)
			put32le(b + hdr + ncont * 4 + ci * 4, (uint32_t)p);
		if (run) {
			uint8_t *q = b + p + 2;

			b[4 + ci / 8] |= (uint8_t)(1u << (ci % 8));
			put16(b + p, (uint32_t)((size - 2) / 4));
			for (size_t k = i; k < j; k++) {
				size_t s = k;

				while (k + 1 < j && v[k + 1] == v[k] + 1)
					k++;
				put16(q, v[s] & 0xffff);
				put16(q + 2, (uint32_t)(k - s));
				q += 4;
			}
		} else if (size == 8192) {
			memset(b + p, 0, 8192);
			for (size_t k = i; k < j; k++) {
				uint32_t x = v[k] & 0xffff;

				b[p + x / 8] |= (uint8_t)(1u << (x % 8));
			}
		} else
			for (size_t k = i; k < j; k++)
				put16(b + p + (k - i) * 2, v[k] & 0xffff);
		p += size;
	}
}

static bool
ascending4(const uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i] <= v[i - 1])
			return false;
	return true;
}

/* a ∪ b (both ascending, unique) into out; its length. */
static size_t
merge4(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    uint32_t *out)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb) {
		uint32_t x = a[i], y = b[j];

		out[k++] = x <= y ? x : y;
		i += x <= y;
		j += y <= x;
	}
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
	return k;
}

uint8_t *
srcset_merge_blob(const void *blob, size_t len, const uint32_t *v4,
    size_t n4, const uint8_t (*v6)[16], size_t n6, size_t *outlen,
    int64_t *count)
{
	const uint8_t *b = blob, (*o6)[16] = NULL;
	uint32_t *old = NULL, *all = NULL;
	size_t pos = 1, nold = 0, no6 = 0, nall, l4, ncont = 0, k;
	uint64_t bl4 = 0, card;
	uint8_t *out = NULL;
	bool runs = false;
	int saved;

	if (!ascending4(v4, n4)) {
		/* not for this path: the general one */
		struct srcset s;

		srcset_init(&s);
		if ((len > 0 && !srcset_add_blob(&s, blob, len)) ||
		    !srcset_add(&s, v4, n4, v6, n6) ||
		    (out = srcset_encode(&s, outlen)) == NULL) {
			saved = errno == EINVAL ? EINVAL : ENOMEM;
			srcset_finish(&s);
			errno = saved;
			return NULL;
		}
		*count = srcset_count(&s);
		srcset_finish(&s);
		return out;
	}
	if (len > 0) {
		size_t hdr, nc;

		if (b[0] != SRCSET_FORMAT || !get_varint(b, len, &pos, &bl4) ||
		    bl4 > len - pos || (len - pos - bl4) % 16 != 0)
			goto bad;
		if (bl4 > 0 && !v4_header(b + pos, (size_t)bl4, &nc, &runs,
		    &hdr, &card))
			goto bad;
		if (bl4 > 0) {
			if ((old = malloc((size_t)card * 4 + 1)) == NULL)
				goto nomem;
			if (!v4_decode(b + pos, (size_t)bl4, old, &nold))
				goto bad;
		}
		o6 = (const uint8_t (*)[16])(b + pos + bl4);
		no6 = (len - pos - (size_t)bl4) / 16;
		for (size_t i = 1; i < no6; i++)
			if (memcmp(o6[i - 1], o6[i], 16) >= 0)
				goto bad;
	}
	if (nold > 0 && n4 > 0) {
		if ((all = malloc((nold + n4) * 4)) == NULL)
			goto nomem;
		nall = merge4(old, nold, v4, n4, all);
	} else
		nall = nold > 0 ? nold : n4;
	{
		const uint32_t *src = all ? all : nold > 0 ? old : v4;
		uint8_t *p;

		l4 = nall > 0 ? v4_size(src, nall, &ncont, &runs) : 0;
		/* IPv6: the old and new merged in the output */
		if ((out = malloc(1 + 10 + l4 + (no6 + n6) * 16)) == NULL)
			goto nomem;
		out[0] = SRCSET_FORMAT;
		k = 1;
		for (uint64_t v = l4; ; v >>= 7) {
			out[k++] = (uint8_t)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
			if (v < 0x80)
				break;
		}
		if (l4 > 0)
			v4_write(src, nall, ncont, runs, out + k);
		p = out + k + l4;
		{
			size_t i = 0, j = 0, m = 0;

			while (i < no6 || j < n6) {
				int c = i >= no6 ? 1 : j >= n6 ? -1 :
				    memcmp(o6[i], v6[j], 16);

				if (c <= 0) {
					memcpy(p + m * 16, o6[i++], 16);
					j += c == 0;
				} else
					memcpy(p + m * 16, v6[j++], 16);
				m++;
			}
			*outlen = k + l4 + m * 16;
			*count = (int64_t)(nall + m);
		}
	}
	free(old);
	free(all);
	return out;
bad:
	free(old);
	free(all);
	errno = EINVAL;
	return NULL;
nomem:
	free(old);
	free(all);
	errno = ENOMEM;
	return NULL;
}
