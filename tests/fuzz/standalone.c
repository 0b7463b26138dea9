/* standalone.c — a main() for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on each file named on the command line, so
 * that a regression input can be replayed with gcc (and its sanitizers)
 * when clang's libFuzzer is not at hand:
 *
 *   gcc -g -fsanitize=address,undefined -Isrc src/pack.c \
 *       tests/fuzz/fuzz_pack.c tests/fuzz/standalone.c -o /tmp/fuzz_pack
 *   /tmp/fuzz_pack tests/fuzz/regressions/pack/*
 *
 * A target that fails an invariant aborts, so the exit status tells.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int
main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (f == NULL) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				cap = cap == 0 ? 65536 : cap * 2;
				if ((buf = realloc(buf, cap)) == NULL)
					abort();
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		fprintf(stderr, "%s: %zu bytes\n", argv[i], len);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	return 0;
}
