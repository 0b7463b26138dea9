/* prefix.c — a table of IPv4 and IPv6 prefixes with longest-prefix match:
 * the sensor map ("CIDR NAME" lines) and the exclusion list ("CIDR" lines).
 *
 * File format (docs/ingest.md): one prefix per line, fields separated by
 * blanks, '#' starts a comment, blank lines are ignored.  A prefix with
 * host bits set (192.0.2.1/24) is refused, as it is most likely a typing
 * error; the same prefix twice with different names is refused; the same
 * prefix twice with the same name (or in an exclusion list) is harmless.
 * An address without a length is the host itself (/32 or /128).
 *
 * Lookup: for each prefix length in use, a sorted array of the masked
 * networks; a match tries the lengths from the longest down, each by
 * binary search.  Nothing is allocated per lookup.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "csv.h"
#include "ingest.h"
#include "ingest_internal.h"

struct pfx {
	uint64_t hi, lo;      /* the masked network; IPv4 in hi's low 32 bits */
	uint32_t name;        /* index into names */
	uint32_t line;
};

struct level {
	int plen;
	size_t n;
	struct pfx *v;        /* sorted by (hi, lo) */
};

struct family_table {
	struct level *lv;     /* longest first */
	size_t nlv;
};

struct prefix_table {
	struct family_table f4, f6;
	char **names;
	size_t nnames;
	bool with_names;
};

static uint64_t
load64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The 128-bit key of addr masked to plen bits. */
static void
key(int family, const uint8_t addr[16], int plen, uint64_t *hi, uint64_t *lo)
{
	if (family == 4) {
		uint32_t a = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
		    (uint32_t)addr[2] << 8 | addr[3];
		*hi = plen == 0 ? 0 : a & (0xffffffffu << (32 - plen));
		*lo = 0;
		return;
	}
	*hi = load64(addr);
	*lo = load64(addr + 8);
	if (plen <= 64) {
		*lo = 0;
		*hi = plen == 0 ? 0 : *hi & (~UINT64_C(0) << (64 - plen));
	} else if (plen < 128) {
		*lo &= ~UINT64_C(0) << (128 - plen);
	}
}

bool
prefix_parse_cidr(const char *s, size_t len, int *family, uint8_t addr[16],
    int *plen, char *msg, size_t msglen)
{
	char buf[64];
	const char *slash;
	size_t alen;
	int max;

	slash = memchr(s, '/', len);
	alen = slash != NULL ? (size_t)(slash - s) : len;
	if (alen == 0 || alen >= sizeof(buf) || memchr(s, '\0', len) != NULL) {
		snprintf(msg, msglen, "not an address or prefix");
		return false;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = 6;
		max = 128;
	} else {
		snprintf(msg, msglen, "'%s' is not an IPv4 or IPv6 address",
		    buf);
		return false;
	}
	if (slash == NULL) {
		*plen = max;
		return true;
	}
	{
		size_t n = len - alen - 1;
		int v = 0;

		if (n == 0 || n > 3) {
			snprintf(msg, msglen, "'%s/…': the prefix length must "
			    "be 0-%d", buf, max);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			char c = slash[1 + i];
			if (c < '0' || c > '9') {
				snprintf(msg, msglen, "'%s/…': the prefix length "
				    "must be 0-%d", buf, max);
				return false;
			}
			v = v * 10 + (c - '0');
		}
		if (v > max) {
			snprintf(msg, msglen, "'%s/%d': the prefix length must be "
			    "0-%d", buf, v, max);
			return false;
		}
		*plen = v;
	}
	{
		uint64_t hi, lo, mhi, mlo;

		key(*family, addr, max, &hi, &lo);
		key(*family, addr, *plen, &mhi, &mlo);
		if (hi != mhi || lo != mlo) {
			uint8_t net[16];
			char nbuf[64];

			memcpy(net, addr, 16);
			for (int b = *plen; b < max; b++)
				net[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
			inet_ntop(*family == 4 ? AF_INET : AF_INET6, net, nbuf,
			    sizeof(nbuf));
			snprintf(msg, msglen, "'%s/%d' has host bits set; the "
			    "network is %s/%d", buf, *plen, nbuf, *plen);
			return false;
		}
	}
	return true;
}

static void
family_free(struct family_table *f)
{
	for (size_t i = 0; i < f->nlv; i++)
		free(f->lv[i].v);
	free(f->lv);
}

void
prefix_table_free(struct prefix_table *t)
{
	if (t == NULL)
		return;
	family_free(&t->f4);
	family_free(&t->f6);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t);
}

/* Raw entries while loading. */
struct raw {
	int family, plen;
	uint64_t hi, lo;
	uint32_t name, line;
};

static int
cmp_raw(const void *a_, const void *b_)
{
	const struct raw *a = a_, *b = b_;

	if (a->family != b->family)
		return a->family - b->family;
	if (a->plen != b->plen)
		return b->plen - a->plen;          /* longest first */
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static uint32_t
intern(struct prefix_table *t, const char *s, size_t n, bool *oom)
{
	char **nn;

	for (size_t i = 0; i < t->nnames; i++)
		if (strlen(t->names[i]) == n && memcmp(t->names[i], s, n) == 0)
			return (uint32_t)i;
	nn = realloc(t->names, (t->nnames + 1) * sizeof(*nn));
	if (nn == NULL) {
		*oom = true;
		return 0;
	}
	t->names = nn;
	t->names[t->nnames] = strndup(s, n);
	if (t->names[t->nnames] == NULL) {
		*oom = true;
		return 0;
	}
	return (uint32_t)t->nnames++;
}

/* Builds the levels of one family from raw[0..n) (sorted by cmp_raw). */
static bool
build(struct family_table *f, const struct raw *r, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i, k = 0;
		struct level *lv;

		while (j < n && r[j].plen == r[i].plen)
			j++;
		lv = realloc(f->lv, (f->nlv + 1) * sizeof(*lv));
		if (lv == NULL)
			return false;
		f->lv = lv;
		lv = &f->lv[f->nlv++];
		lv->plen = r[i].plen;
		lv->n = 0;
		lv->v = malloc((j - i) * sizeof(*lv->v));
		if (lv->v == NULL)
			return false;
		for (size_t m = i; m < j; m++) {
			/* duplicates were checked: keep one */
			if (k > 0 && lv->v[k - 1].hi == r[m].hi &&
			    lv->v[k - 1].lo == r[m].lo)
				continue;
			lv->v[k++] = (struct pfx){ r[m].hi, r[m].lo, r[m].name,
				r[m].line };
		}
		lv->n = k;
		i = j;
	}
	return true;
}

struct prefix_table *
prefix_table_load(const char *path, bool with_names, struct err *e)
{
	struct prefix_table *t;
	struct raw *raw = NULL;
	size_t nraw = 0, craw = 0, n4;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	uint32_t lineno = 0;
	bool oom = false;
	FILE *fp;

	fp = fopen(path, "rb");
	if (fp == NULL)
		return err_set(e, "%s: %s", path, strerror(errno)), NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		fclose(fp);
		return err_set(e, "out of memory"), NULL;
	}
	t->with_names = with_names;
	while ((got = getline(&line, &cap, fp)) >= 0) {
		size_t len = (size_t)got;
		const char *f[3];
		size_t fl[3];
		int nf = 0, family, plen;
		uint8_t addr[16];
		char msg[160];
		char *hash;
		size_t p = 0;

		lineno++;
		if (memchr(line, '\0', len) != NULL) {
			err_set(e, "%s:%u: a NUL byte; not a text file", path,
			    lineno);
			goto fail;
		}
		hash = memchr(line, '#', len);
		if (hash != NULL)
			len = (size_t)(hash - line);
		while (p < len) {
			size_t s;
			while (p < len && (line[p] == ' ' || line[p] == '\t' ||
			    line[p] == '\r' || line[p] == '\n'))
				p++;
			if (p >= len)
				break;
			s = p;
			while (p < len && line[p] != ' ' && line[p] != '\t' &&
			    line[p] != '\r' && line[p] != '\n')
				p++;
			if (nf < 3) {
				f[nf] = line + s;
				fl[nf] = p - s;
			}
			nf++;
		}
		if (nf == 0)
			continue;
		if (nf != (with_names ? 2 : 1)) {
			err_set(e, "%s:%u: expected %s", path, lineno, with_names ?
			    "a prefix and a sensor name (192.0.2.0/24 s01)" :
			    "one prefix per line (192.0.2.0/24)");
			goto fail;
		}
		if (!prefix_parse_cidr(f[0], fl[0], &family, addr, &plen, msg,
		    sizeof(msg))) {
			err_set(e, "%s:%u: %s", path, lineno, msg);
			goto fail;
		}
		if (with_names && !csv_sensor_valid(f[1], fl[1])) {
			err_set(e, "%s:%u: sensor name '%.*s' must be 1-%d of "
			    "A-Z a-z 0-9 _ . -", path, lineno,
			    (int)(fl[1] > 80 ? 80 : fl[1]), f[1], CSV_SENSOR_MAX);
			goto fail;
		}
		if (nraw == craw) {
			size_t nc = craw ? craw * 2 : 64;
			struct raw *nr = realloc(raw, nc * sizeof(*nr));
			if (nr == NULL) {
				oom = true;
				goto fail;
			}
			raw = nr;
			craw = nc;
		}
		raw[nraw].family = family;
		raw[nraw].plen = plen;
		key(family, addr, plen, &raw[nraw].hi, &raw[nraw].lo);
		raw[nraw].line = lineno;
		raw[nraw].name = with_names ? intern(t, f[1], fl[1], &oom) : 0;
		if (oom)
			goto fail;
		nraw++;
	}
	if (ferror(fp)) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (nraw > 0)
		qsort(raw, nraw, sizeof(*raw), cmp_raw);
	for (size_t i = 1; i < nraw; i++) {
		const struct raw *a = &raw[i - 1], *b = &raw[i];
		if (a->family == b->family && a->plen == b->plen &&
		    a->hi == b->hi && a->lo == b->lo && a->name != b->name) {
			err_set(e, "%s:%u: this prefix is mapped to '%s' on line "
			    "%u and to '%s' here", path, b->line,
			    t->names[a->name], a->line, t->names[b->name]);
			goto fail;
		}
	}
	n4 = 0;
	while (n4 < nraw && raw[n4].family == 4)
		n4++;
	if (!build(&t->f4, raw, n4) || !build(&t->f6, raw + n4, nraw - n4)) {
		oom = true;
		goto fail;
	}
	free(raw);
	free(line);
	fclose(fp);
	return t;
fail:
	if (oom)
		err_set(e, "%s: out of memory", path);
	free(raw);
	free(line);
	fclose(fp);
	prefix_table_free(t);
	return NULL;
}

const char *
prefix_table_match(const struct prefix_table *t, int family,
    const uint8_t addr[16])
{
	const struct family_table *f;

	if (t == NULL)
		return NULL;
	f = family == 4 ? &t->f4 : &t->f6;
	for (size_t i = 0; i < f->nlv; i++) {
		const struct level *lv = &f->lv[i];
		struct pfx k;
		size_t a = 0, b = lv->n;

		key(family, addr, lv->plen, &k.hi, &k.lo);
		while (a < b) {
			size_t m = a + (b - a) / 2;
			const struct pfx *p = &lv->v[m];

			if (p->hi == k.hi && p->lo == k.lo)
				return t->with_names ? t->names[p->name] : "";
			if (p->hi < k.hi || (p->hi == k.hi && p->lo < k.lo))
				a = m + 1;
			else
				b = m;
		}
	}
	return NULL;
}
