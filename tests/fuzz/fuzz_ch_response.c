/* fuzz_ch_response.c — what the ClickHouse store reads from a server or a
 * user: ch_tsv_parse() of an answer, ch_exception_parse() of an error body,
 * ch_url_parse() of a store URL, ch_parse_i64() of a cell.
 *
 * Input: 1 byte of column count (1 + b % 8), then the body.
 * Invariants: a parsed answer has one row per newline and ncols cells per
 * row, each NUL-terminated inside the text; escaping its cells again
 * (ch_buf_tsv) and parsing gives the same cells; a refused answer leaves
 * the table empty with a message.  An exception message is terminated,
 * shorter than its buffer and has no control bytes.  A parsed URL shows no
 * password, and its shown form parses to the same user, host, port and
 * database with no password.  An integer prints back to the same value.
 */
#include "fuzz_common.h"
#include "ch_http.h"

static void
check_tsv(const char *p, size_t n, size_t ncols)
{
	struct ch_table t, t2;
	struct err e = { "" };
	struct ch_buf b = { 0 };
	size_t nl = 0;

	for (size_t i = 0; i < n; i++)
		nl += p[i] == '\n';
	if (!ch_tsv_parse(p, n, ncols, &t, &e)) {
		FUZZ_CHECK(t.cell == NULL && t.text == NULL && t.nrows == 0);
		FUZZ_CHECK(e.msg[0] != '\0');
		return;
	}
	FUZZ_CHECK(t.nrows == nl && t.ncols == ncols);
	for (size_t r = 0; r < t.nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *cell = ch_cell(&t, r, c);

			FUZZ_CHECK(cell >= t.text && cell <= t.text + n);
			FUZZ_CHECK(ch_buf_tsv(&b, cell));
			FUZZ_CHECK(ch_buf_add(&b, c + 1 < ncols ? "\t" : "\n", 1));
		}
	}
	FUZZ_CHECK(ch_tsv_parse(b.p ? b.p : "", b.len, ncols, &t2, &e));
	FUZZ_CHECK(t2.nrows == t.nrows);
	for (size_t i = 0; i < t.nrows * ncols; i++)
		FUZZ_CHECK(strcmp(t.cell[i], t2.cell[i]) == 0);
	ch_table_free(&t2);
	ch_table_free(&t);
	ch_buf_free(&b);
}

static void
check_exception(const char *p, size_t n)
{
	char msg[64];
	int code;

	memset(msg, 'x', sizeof(msg));
	ch_exception_parse(p, n, &code, msg, sizeof(msg));
	FUZZ_CHECK(code >= 0 && code < 1000000);
	FUZZ_CHECK(memchr(msg, '\0', sizeof(msg)) != NULL);
	for (const char *q = msg; *q; q++)
		FUZZ_CHECK((unsigned char)*q >= 0x20 && *q != 0x7f);
}

static void
check_url(const char *s)
{
	struct ch_url u, u2;
	struct err e = { "" };

	if (!ch_url_parse(s, &u, &e)) {
		FUZZ_CHECK(strncmp(e.msg, "bad ClickHouse URL", 18) == 0);
		return;
	}
	FUZZ_CHECK(u.port >= 1 && u.port <= 65535 && u.user[0] && u.host[0] &&
	    u.database[0]);
	FUZZ_CHECK(ch_url_parse(u.shown, &u2, &e));
	FUZZ_CHECK(strcmp(u.user, u2.user) == 0 && strcmp(u.host, u2.host) == 0 &&
	    u.port == u2.port && strcmp(u.database, u2.database) == 0 &&
	    u2.password[0] == '\0');
}

static void
check_int(const char *s)
{
	int64_t v, w;
	char buf[32];

	if (!ch_parse_i64(s, &v))
		return;
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	FUZZ_CHECK(ch_parse_i64(buf, &w) && w == v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t ncols;

	if (size < 1)
		return 0;
	ncols = 1 + data[0] % 8;
	data++;
	size--;
	check_tsv((const char *)data, size, ncols);
	check_exception((const char *)data, size);
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_url(s);
	check_int(s);
	free(s);
	return 0;
}
