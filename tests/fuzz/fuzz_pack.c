/* fuzz_pack.c — pack_decode() of arbitrary bytes (the store may be
 * damaged), pack_encode() and pack_merge().
 *
 * Invariants: a blob that decodes holds strictly increasing keys and
 * counts >= 0, and no more cells than bytes; encoding the cells and decoding
 * again gives the same cells, never a longer blob, and the very same bytes
 * when the input was canonical; merging a list with itself doubles every
 * count (or fails with *bad on overflow), merging with its negation gives
 * an empty list, and merging with an empty list gives the list without its
 * 0/0 cells.
 */
#include "fuzz_common.h"
#include "pack.h"

static bool
same(const struct pcell *a, const struct pcell *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].key != b[i].key || a[i].a != b[i].a || a[i].s != b[i].s)
			return false;
	return true;
}

static void
check_merge(const struct pcell *v, size_t n)
{
	struct pcell *out = NULL, *neg;
	size_t nout = 0, nz = 0;
	bool bad, ok, overflow = false;

	for (size_t i = 0; i < n; i++) {
		if (v[i].a > INT64_MAX / 2 || v[i].s > INT64_MAX / 2)
			overflow = true;
		if (v[i].a != 0 || v[i].s != 0)
			nz++;
	}
	ok = pack_merge(v, n, v, n, &out, &nout, &bad);
	if (ok) {
		FUZZ_CHECK(!overflow && !bad);
		FUZZ_CHECK(nout == nz);
		for (size_t i = 0, k = 0; i < n; i++) {
			if (v[i].a == 0 && v[i].s == 0)
				continue;
			FUZZ_CHECK(out[k].key == v[i].key &&
			    out[k].a == 2 * v[i].a && out[k].s == 2 * v[i].s);
			k++;
		}
		free(out);
	} else {
		FUZZ_CHECK(overflow && bad);
	}

	/* with an empty list: the 0/0 cells go */
	ok = pack_merge(v, n, NULL, 0, &out, &nout, &bad);
	FUZZ_CHECK(ok && !bad && nout == nz);
	free(out);
	ok = pack_merge(NULL, 0, v, n, &out, &nout, &bad);
	FUZZ_CHECK(ok && !bad && nout == nz);
	free(out);

	/* with its negation: nothing left */
	neg = malloc((n + 1) * sizeof(*neg));
	FUZZ_CHECK(neg != NULL);
	for (size_t i = 0; i < n; i++)
		neg[i] = (struct pcell){ v[i].key, -v[i].a, -v[i].s };
	ok = pack_merge(v, n, neg, n, &out, &nout, &bad);
	FUZZ_CHECK(ok && !bad && nout == 0);
	free(out);
	/* the negation alone is refused as negative */
	ok = pack_merge(NULL, 0, neg, n, &out, &nout, &bad);
	FUZZ_CHECK(ok == (nz == 0));
	if (ok)
		free(out);
	else
		FUZZ_CHECK(bad);
	free(neg);
}

/* The format's varint, read strictly: at most 10 bytes, and the 10th may
 * only hold bit 63 (a longer value does not fit in 64 bits). */
static bool
ref_varint(const uint8_t *b, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < 10 && *pos < len; i++) {
		uint8_t c = b[(*pos)++];

		if (i == 9 && c > 1)
			return false;
		r |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

/* A reference decoder of pack.h's format; true if b is a valid blob. */
static bool
ref_valid(const uint8_t *b, size_t len)
{
	size_t pos = 0;
	uint64_t cnt, key = 0;

	if (len == 0)
		return true;
	if (!ref_varint(b, len, &pos, &cnt) || cnt > len)
		return false;
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t d, a, s;

		if (!ref_varint(b, len, &pos, &d) ||
		    !ref_varint(b, len, &pos, &a) ||
		    !ref_varint(b, len, &pos, &s) || (i > 0 && d == 0) ||
		    a > INT64_MAX || s > INT64_MAX || key + d < key)
			return false;
		key += d;
	}
	return pos == len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *blob = (uint8_t *)fuzz_dup(data, size), *enc;
	struct pcell *v = NULL, *again = NULL;
	size_t n = 99, n2 = 99, elen = 0;

	bool valid = ref_valid(data, size);

	if (!pack_decode(blob, size, &v, &n)) {
		FUZZ_CHECK(v == NULL && n == 0);
		FUZZ_CHECK(!valid);
		free(blob);
		return 0;
	}
	/* a varint wider than 64 bits is damage, not a value */
	FUZZ_CHECK(valid);
	FUZZ_CHECK(n <= size);
	FUZZ_CHECK((n == 0) == (v == NULL));
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(v[i].a >= 0 && v[i].s >= 0);
		if (i > 0)
			FUZZ_CHECK(v[i].key > v[i - 1].key);
	}
	enc = pack_encode(v, n, &elen);
	FUZZ_CHECK(enc != NULL);
	FUZZ_CHECK(elen <= size || (size == 0 && elen == 1));
	FUZZ_CHECK(pack_decode(enc, elen, &again, &n2));
	FUZZ_CHECK(n2 == n && same(v, again, n));
	/* canonical input: the very same bytes */
	{
		uint8_t *enc2;
		size_t elen2;

		enc2 = pack_encode(again, n2, &elen2);
		FUZZ_CHECK(enc2 != NULL && elen2 == elen &&
		    memcmp(enc, enc2, elen) == 0);
		free(enc2);
	}
	if (elen == size)
		FUZZ_CHECK(memcmp(enc, blob, size) == 0);
	check_merge(v, n);
	free(enc);
	free(again);
	free(v);
	free(blob);
	return 0;
}
