/* ch_http.h — a small client of ClickHouse's HTTP interface (libcurl), and
 * the strict parser of its TabSeparated answers.
 *
 * A store URL is clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE (user and
 * password may be %-escaped; HOST a name, an IPv4 address or [IPv6]).  The
 * password may instead come from TALOT_CLICKHOUSE_PASSWORD.  No message of
 * this module ever contains the password: errors name the URL without it.
 */
#ifndef TALOT_CH_HTTP_H
#define TALOT_CH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CH_NAME_MAX 128

struct ch_url {
	char user[CH_NAME_MAX + 1];      /* "default" when not given */
	char password[CH_NAME_MAX + 1];  /* "" when none */
	char host[CH_NAME_MAX + 1];      /* without brackets */
	bool ipv6;
	unsigned port;
	char database[CH_NAME_MAX + 1];
	char shown[3 * CH_NAME_MAX + 48]; /* the URL without its password */
};

/* Parses url (without reading the environment).  false with e set
 * ("bad ClickHouse URL ...": the text is not repeated, it may hold a
 * password). */
bool ch_url_parse(const char *url, struct ch_url *u, struct err *e);

/* A growing byte buffer. */
struct ch_buf {
	char *p;
	size_t len, cap;
};
bool ch_buf_add(struct ch_buf *b, const void *p, size_t n);
bool ch_buf_printf(struct ch_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a TabSeparated field (escaping \t \n \\ and the rest). */
bool ch_buf_tsv(struct ch_buf *b, const char *s);
void ch_buf_free(struct ch_buf *b);

struct ch_conn;

/* Opens a connection to u (nothing is sent yet).  timeout_s bounds every
 * request.  Owned; free with ch_conn_close(). */
struct ch_conn *ch_conn_open(const struct ch_url *u, long timeout_s,
    struct err *e);
void ch_conn_close(struct ch_conn *c);
const char *ch_conn_name(const struct ch_conn *c);
/* ClickHouse's error code of the last failed request (0: none, or not an
 * answer of the server). */
int ch_conn_last_code(const struct ch_conn *c);

/* Runs sql.  With data != NULL, sql is an INSERT ... FORMAT and data its
 * body.  With out != NULL the answer is appended to it.  use_db false:
 * without the database (to tell "no such database" from other errors).
 * false with e set to one line naming the URL. */
bool ch_exec(struct ch_conn *c, const char *sql, const char *data,
    size_t ndata, struct ch_buf *out, struct err *e);
bool ch_exec_nodb(struct ch_conn *c, const char *sql, struct ch_buf *out,
    struct err *e);

/* ---- TabSeparated answers ---- */
struct ch_table {
	size_t ncols, nrows;
	char **cell;     /* nrows * ncols, unescaped, NUL-terminated */
	char *text;      /* the cells' storage */
};

/* Parses a whole TabSeparated answer of exactly ncols columns (1..64).
 * Strict: every row ends with '\n', has ncols fields, escapes are those
 * ClickHouse writes (\b \f \r \n \t \0 \' \\); \N (NULL) is refused.
 * false with e set ("row R: ..."); t is then empty. */
bool ch_tsv_parse(const char *p, size_t len, size_t ncols,
    struct ch_table *t, struct err *e);
void ch_table_free(struct ch_table *t);
static inline const char *
ch_cell(const struct ch_table *t, size_t row, size_t col)
{
	return t->cell[row * t->ncols + col];
}
/* The code and the one-line message of ClickHouse's exception text (the
 * body of an HTTP error), old ("Code: 81, e.displayText() = DB::Exception:
 * MSG, e.what() = ...") and new ("Code: 81. DB::Exception: MSG. (NAME)")
 * forms; *code 0 when there is none.  msg gets at most msglen - 1 printable
 * bytes (controls become blanks). */
void ch_exception_parse(const char *body, size_t len, int *code, char *msg,
    size_t msglen);
/* Strict decimal integers: optional '-', digits, no blanks, in range. */
bool ch_parse_i64(const char *s, int64_t *v);

#endif
