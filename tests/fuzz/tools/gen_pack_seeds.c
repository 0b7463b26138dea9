/* gen_pack_seeds.c — writes the seed corpus of fuzz_pack with pack_encode()
 * itself, so the seeds are exactly what the store writes.
 *
 *   cc -Isrc src/pack.c tests/fuzz/tools/gen_pack_seeds.c -o /tmp/gen
 *   /tmp/gen tests/fuzz/corpus/pack
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pack.h"

static void
put(const char *dir, const char *name, const struct pcell *v, size_t n)
{
	char path[512];
	size_t len;
	uint8_t *b = pack_encode(v, n, &len);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (b == NULL || (f = fopen(path, "wb")) == NULL ||
	    fwrite(b, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	free(b);
}

int
main(int argc, char **argv)
{
	/* key = proto << 16 | port for rows; country keys are small */
	static const struct pcell day[] = {
		{ 1u << 16 | 8, 7, 7 }, { 6u << 16 | 135, 120, 31 },
		{ 6u << 16 | 445, 5, 1 }, { 17u << 16 | 1026, 40, 2 },
	};
	static const struct pcell big[] = {
		{ 0, 0, 0 }, { 1, INT64_MAX, INT64_MAX },
		{ UINT64_MAX, INT64_MAX / 2, 1 },
	};
	static const struct pcell half[] = {
		{ 3, INT64_MAX / 2, INT64_MAX / 2 }, { 4, 1000000000000000, 1 },
	};
	struct pcell many[200];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < 200; i++)
		many[i] = (struct pcell){ i * i + 1, (int64_t)(i * 37 % 1000),
			(int64_t)(i % 7) };
	put(argv[1], "empty", NULL, 0);
	put(argv[1], "one", day + 1, 1);
	put(argv[1], "sensor-day", day, 4);
	put(argv[1], "extremes", big, 3);
	put(argv[1], "half-max", half, 2);
	put(argv[1], "many", many, 200);
	return 0;
}
