/* ch_http.c — see ch_http.h: requests over libcurl.
 *
 * libcurl is loaded (dlopen) when the first ClickHouse store is opened, not
 * linked: its libraries (TLS, HTTP/2, LDAP, SSH ...) would otherwise be
 * mapped into every talot run, SQLite stores included, and count against a
 * memory limit (ulimit -v) that a render must fit in. */
#include "ch_http.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

/* ---- HTTP ---- */

/* ---- libcurl, loaded on first use ---- */

static struct {
	void *lib;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} cu;

static bool
curl_load(const char *name, struct err *e)
{
	static const char *const libs[] = { "libcurl.so.4",
		"libcurl-gnutls.so.4", "libcurl-nss.so.4" };
	void *lib = NULL;

	if (cu.lib != NULL)
		return true;
	for (size_t i = 0; lib == NULL && i < sizeof(libs) / sizeof(*libs); i++)
		lib = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL)
		return err_set(e, "%s: the ClickHouse store needs libcurl (libcurl.so.4), which cannot be loaded: install libcurl4",
		    name);
#define SYM(f, s) \
	if ((*(void **)&cu.f = dlsym(lib, s)) == NULL) { \
		dlclose(lib); \
		return err_set(e, "%s: libcurl lacks %s", name, s); \
	}
	SYM(global_init, "curl_global_init")
	SYM(global_cleanup, "curl_global_cleanup")
	SYM(easy_init, "curl_easy_init")
	SYM(easy_cleanup, "curl_easy_cleanup")
	SYM(easy_reset, "curl_easy_reset")
	SYM(easy_setopt, "curl_easy_setopt")
	SYM(easy_perform, "curl_easy_perform")
	SYM(easy_getinfo, "curl_easy_getinfo")
	SYM(easy_strerror, "curl_easy_strerror")
	SYM(easy_escape, "curl_easy_escape")
	SYM(free, "curl_free")
	SYM(slist_append, "curl_slist_append")
	SYM(slist_free_all, "curl_slist_free_all")
#undef SYM
	cu.lib = lib;
	return true;
}


struct ch_conn {
	CURL *curl;
	struct ch_url u;
	long timeout;
	int last_code;
	char base[CH_NAME_MAX * 2 + 32];
	char ua_user[CH_NAME_MAX + 32];
	char ua_key[CH_NAME_MAX + 32];
};

static int curl_users;

struct ch_conn *
ch_conn_open(const struct ch_url *u, long timeout_s, struct err *e)
{
	struct ch_conn *c;

	if (!curl_load(u->shown, e))
		return NULL;
	if (curl_users++ == 0 && cu.global_init(CURL_GLOBAL_DEFAULT) != 0) {
		curl_users = 0;
		err_set(e, "%s: cannot initialise libcurl", u->shown);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->curl = cu.easy_init()) == NULL) {
		free(c);
		if (--curl_users == 0)
			cu.global_cleanup();
		err_set(e, "%s: out of memory", u->shown);
		return NULL;
	}
	c->u = *u;
	c->timeout = timeout_s;
	snprintf(c->base, sizeof(c->base), "http://%s%s%s:%u/",
	    u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "", u->port);
	snprintf(c->ua_user, sizeof(c->ua_user), "X-ClickHouse-User: %s",
	    u->user);
	snprintf(c->ua_key, sizeof(c->ua_key), "X-ClickHouse-Key: %s",
	    u->password);
	return c;
}

void
ch_conn_close(struct ch_conn *c)
{
	if (c == NULL)
		return;
	cu.easy_cleanup(c->curl);
	/* the password is not left in freed memory */
	memset(c->ua_key, 0, sizeof(c->ua_key));
	memset(c->u.password, 0, sizeof(c->u.password));
	free(c);
	if (--curl_users == 0)
		cu.global_cleanup();
}

const char *
ch_conn_name(const struct ch_conn *c)
{
	return c->u.shown;
}

int
ch_conn_last_code(const struct ch_conn *c)
{
	return c->last_code;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct ch_buf *b = arg;

	if (!ch_buf_add(b, p, size * n))
		return 0;
	return size * n;
}

static bool
http_fail(struct ch_conn *c, long status, const struct ch_buf *body,
    const char *sql, struct err *e)
{
	char msg[300];
	int code;
	const char *name = c->u.shown;

	ch_exception_parse(body->p ? body->p : "", body->len, &code, msg,
	    sizeof(msg));
	c->last_code = code;
	switch (code) {
	case 192: /* UNKNOWN_USER */
	case 193: /* WRONG_PASSWORD */
	case 194: /* REQUIRED_PASSWORD */
	case 516: /* AUTHENTICATION_FAILED */
		return err_set(e, "%s: authentication failed for user %s (check the user and TALOT_CLICKHOUSE_PASSWORD)",
		    name, c->u.user);
	case 81:  /* UNKNOWN_DATABASE */
		return err_set(e, "%s: wrong database: the server has no database %s",
		    name, c->u.database);
	case 159: /* TIMEOUT_EXCEEDED */
		return err_set(e, "%s: timed out after %ld s", name, c->timeout);
	default:
		break;
	}
	(void)sql;
	if (code == 0)
		return err_set(e, "%s: the server answered HTTP %ld (is this ClickHouse's HTTP port?)",
		    name, status);
	return err_set(e, "%s: ClickHouse error %d: %s", name, code, msg);
}

static bool
request(struct ch_conn *c, bool use_db, const char *sql, const char *data,
    size_t ndata, struct ch_buf *out, struct err *e)
{
	struct ch_buf url = { 0 }, body = { 0 };
	struct curl_slist *hdr = NULL, *h;
	char *esc = NULL;
	CURLcode rc;
	long status = 0;
	bool ok = false;

	c->last_code = 0;
	if (!ch_buf_printf(&url, "%s?", c->base) ||
	    (use_db && !ch_buf_printf(&url, "database=%s&", c->u.database)) ||
	    !ch_buf_printf(&url, "max_execution_time=%ld", c->timeout) ||
	    /* every insert, with rows in the body or not (the commit record
	     * is an INSERT ... VALUES): a Distributed table writes to its
	     * shards before answering, so that what an import wrote is there
	     * for the next reader, and a commit record follows its rows */
	    !ch_buf_printf(&url, "&insert_distributed_sync=1"))
		goto oom;
	if (data != NULL) {
		esc = cu.easy_escape(c->curl, sql, 0);
		if (esc == NULL || !ch_buf_printf(&url, "&query=%s", esc))
			goto oom;
	} else if (!ch_buf_printf(&url, "&wait_end_of_query=1")) {
		/* the server buffers the whole answer: an error after the
		 * first rows is an HTTP error, not a truncated 200 */
		goto oom;
	}
	if ((h = cu.slist_append(hdr, c->ua_user)) == NULL)
		goto oom;
	hdr = h;
	if (c->u.password[0] != '\0') {
		if ((h = cu.slist_append(hdr, c->ua_key)) == NULL)
			goto oom;
		hdr = h;
	}
	if ((h = cu.slist_append(hdr, "Expect:")) == NULL)
		goto oom;
	hdr = h;
	cu.easy_reset(c->curl);
	cu.easy_setopt(c->curl, CURLOPT_URL, url.p);
	cu.easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdr);
	cu.easy_setopt(c->curl, CURLOPT_POST, 1L);
	cu.easy_setopt(c->curl, CURLOPT_POSTFIELDS, data ? data : sql);
	cu.easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)(data ? ndata : strlen(sql)));
	cu.easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	cu.easy_setopt(c->curl, CURLOPT_WRITEDATA, &body);
	cu.easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	cu.easy_setopt(c->curl, CURLOPT_TIMEOUT, c->timeout + 5);
	cu.easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http");
	cu.easy_setopt(c->curl, CURLOPT_NOPROXY, "*");
	rc = cu.easy_perform(c->curl);
	if (rc != CURLE_OK) {
		switch (rc) {
		case CURLE_COULDNT_CONNECT:
		case CURLE_COULDNT_RESOLVE_HOST:
			err_set(e, "%s: unreachable (%s)", c->u.shown,
			    cu.easy_strerror(rc));
			break;
		case CURLE_OPERATION_TIMEDOUT:
			err_set(e, "%s: timed out after %ld s", c->u.shown,
			    c->timeout);
			break;
		case CURLE_GOT_NOTHING:
		case CURLE_RECV_ERROR:
		case CURLE_SEND_ERROR:
		case CURLE_PARTIAL_FILE:
			err_set(e, "%s: unreachable (the connection was lost: %s)",
			    c->u.shown, cu.easy_strerror(rc));
			break;
		case CURLE_WRITE_ERROR:
			err_set(e, "%s: out of memory reading the answer",
			    c->u.shown);
			break;
		default:
			err_set(e, "%s: %s", c->u.shown, cu.easy_strerror(rc));
			break;
		}
		goto out;
	}
	cu.easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		http_fail(c, status, &body, sql, e);
		goto out;
	}
	if (out != NULL && body.len > 0 && !ch_buf_add(out, body.p, body.len))
		goto oom;
	ok = true;
	goto out;
oom:
	err_set(e, "%s: out of memory", c->u.shown);
out:
	cu.free(esc);
	cu.slist_free_all(hdr);
	ch_buf_free(&url);
	ch_buf_free(&body);
	return ok;
}

bool
ch_exec(struct ch_conn *c, const char *sql, const char *data, size_t ndata,
    struct ch_buf *out, struct err *e)
{
	return request(c, true, sql, data, ndata, out, e);
}

bool
ch_exec_nodb(struct ch_conn *c, const char *sql, struct ch_buf *out,
    struct err *e)
{
	return request(c, false, sql, NULL, 0, out, e);
}

