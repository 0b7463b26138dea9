/* fuzz_common.h — small helpers shared by the libFuzzer targets.
 *
 * FUZZ_CHECK() aborts (so libFuzzer saves the input as a crash artifact) with
 * the file, line and condition when an invariant does not hold.  Unlike
 * assert() it is never compiled out.
 */
#ifndef TALOT_FUZZ_COMMON_H
#define TALOT_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_CHECK(cond)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",      \
			    __FILE__, __LINE__, #cond);                       \
			abort();                                              \
		}                                                             \
	} while (0)

/* Writes into buf "DIR/NAME.PID" + suffix, DIR being TMPDIR when set and
 * short enough, else /tmp (.ci/fuzz points TMPDIR at /dev/shm where it can,
 * so that writing each input is not disk I/O). */
static inline void
fuzz_tmp_path(char *buf, size_t len, const char *name, const char *suffix)
{
	const char *dir = getenv("TMPDIR");

	if (dir == NULL || *dir == '\0' || strlen(dir) > 40)
		dir = "/tmp";
	snprintf(buf, len, "%s/%s.%ld%s", dir, name, (long)getpid(), suffix);
}

/* A byte reader over the fuzz input: takes fixed-size values from the front
 * and hands out the rest; reads past the end give zeros. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t
fuzz_u64(struct fuzz_in *in, size_t bytes)
{
	uint64_t v = 0;

	for (size_t i = 0; i < bytes; i++) {
		v = v << 8;
		if (in->n > 0) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

static inline double
fuzz_double(struct fuzz_in *in)
{
	uint64_t u = fuzz_u64(in, 8);
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* A malloc'd copy of p[0..n) of exactly n bytes (so that ASan sees any read
 * past the end), or of 1 byte when n is 0. */
static inline char *
fuzz_dup(const void *p, size_t n)
{
	char *d = malloc(n > 0 ? n : 1);

	if (d == NULL)
		abort();
	if (n > 0)
		memcpy(d, p, n);
	return d;
}

/* A malloc'd NUL-terminated copy of p[0..n). */
static inline char *
fuzz_strdup(const void *p, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		abort();
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

/* True if s[0..n) holds a NUL-terminated string. */
static inline bool
fuzz_terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
static inline bool
fuzz_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

#endif
