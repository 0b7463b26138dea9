/* sentences.c — the bulletin's words: the sentences the program composes
 * (trend, change, outage, notable ports) from the language's strings, and
 * the template context they and the numbers enter the body text through. */
#include "edition_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "labels.h"
#include "template.h"
#include "textfile.h"

/* A growing string; on failure b->failed is set. */
struct sb {
	char *s;
	size_t len, cap;
};

static void
sb_add(struct ed_build *b, struct sb *t, const char *s)
{
	size_t n = strlen(s ? s : "");

	if (b->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t nc = (t->len + n + 1) * 2;
		char *ns = realloc(t->s, nc);

		if (ns == NULL) {
			b->failed = true;
			err_set(b->e, "out of memory building the edition");
			return;
		}
		t->s = ns;
		t->cap = nc;
	}
	memcpy(t->s + t->len, s ? s : "", n);
	t->len += n;
	t->s[t->len] = '\0';
}

/* Adds an expanded string and frees it. */
static void
sb_take(struct ed_build *b, struct sb *t, char *s)
{
	sb_add(b, t, s);
	free(s);
}

static char *
sb_done(struct ed_build *b, struct sb *t)
{
	if (b->failed) {
		free(t->s);
		return NULL;
	}
	return t->s != NULL ? t->s : ed_strdup(b, "");
}

static char *
num(int64_t v, char *buf)
{
	return fmt_int(v, buf);
}

static const char *const trend_keys[] = {
	[TREND_UNKNOWN] = "trend.unknown",
	[TREND_FLAT] = "trend.flat",
	[TREND_UP_GENTLE] = "trend.up_gentle",
	[TREND_UP] = "trend.up",
	[TREND_DOWN_GENTLE] = "trend.down_gentle",
	[TREND_DOWN] = "trend.down",
};

/* "6月1日～3日" or "6月14日" */
static char *
day_range(struct ed_build *b, int mon, int d1, int d2)
{
	char m[16], a[16], z[16];
	const char *name, *abbr;

	snprintf(m, sizeof(m), "%d", mon);
	snprintf(a, sizeof(a), "%d", d1);
	snprintf(z, sizeof(z), "%d", d2);
	ed_mon_names(b, mon, &name, &abbr);
	if (d1 == d2)
		return ed_expand(b, "format.day_long", (struct str_arg[]){
		    { "mon", m }, { "day", a }, { "mon_name", name },
		    { "mon_abbr", abbr } }, 4);
	return ed_expand(b, "format.day_range", (struct str_arg[]){
	    { "mon", m }, { "first", a }, { "last", z }, { "mon_name", name },
	    { "mon_abbr", abbr } }, 5);
}

/* Runs of consecutive missing days with the same number of sensors. */
struct run {
	int first, last, missing;
};

static size_t
missing_runs(const struct month_model *m, struct run *r, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nmissing && n < max; ) {
		size_t j = i;

		while (j + 1 < m->nmissing &&
		    m->missing[j + 1].day == m->missing[j].day + 1 &&
		    m->missing[j + 1].missing == m->missing[i].missing)
			j++;
		r[n++] = (struct run){ m->missing[i].day, m->missing[j].day,
			m->missing[i].missing };
		i = j + 1;
	}
	return n;
}

char *
ed_outage_list(struct ed_build *b)
{
	const struct month_model *m = b->m;
	struct run r[31];
	size_t n = missing_runs(m, r, 31);
	struct sb t = { 0 };
	char cnt[16];

	if (n == 0)
		return ed_strdup(b, ed_word(b, "word.none"));
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, &t, b->list_sep);
		sb_take(b, &t, day_range(b, month_mon(m->month), r[i].first,
		    r[i].last));
		snprintf(cnt, sizeof(cnt), "%d", r[i].missing);
		if (r[i].missing < m->cur->sensors)
			sb_take(b, &t, ed_expand(b, "outage.sensors_in_parens",
			    (struct str_arg[]){ { "n", cnt } }, 1));
	}
	return sb_done(b, &t);
}

static char *
outage_note(struct ed_build *b)
{
	const struct month_model *m = b->m;
	struct run r[31];
	size_t n = missing_runs(m, r, 31);
	struct sb t = { 0 }, days = { 0 };
	char c1[16], c2[16], c3[16];

	if (n == 0)
		return ed_strdup(b, "");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, &days, b->list_sep);
		sb_take(b, &days, day_range(b, month_mon(m->month),
		    r[i].first, r[i].last));
		if (!m->outage_same_days) {
			snprintf(c1, sizeof(c1), "%d", r[i].missing);
			sb_take(b, &days, ed_expand(b, r[i].missing ==
			    m->cur->sensors ? "outage.all_in_parens" :
			    "outage.sensors_in_parens",
			    (struct str_arg[]){ { "n", c1 } }, 1));
		}
	}
	if (b->failed)
		goto out;
	if (m->outage_same_days) {
		char *first = day_range(b, month_mon(m->month),
		    m->observed_first, m->observed_first);
		char *last = day_range(b, month_mon(m->month),
		    m->observed_last, m->observed_last);

		snprintf(c1, sizeof(c1), "%d", m->ndays - (int)m->nmissing);
		sb_take(b, &t, ed_expand(b, "outage.all", (struct str_arg[]){
		    { "days", days.s }, { "first", first }, { "last", last },
		    { "ndays", c1 } }, 4));
		free(first);
		free(last);
	} else {
		snprintf(c2, sizeof(c2), "%lld",
		    (long long)m->missing_sensor_days);
		snprintf(c3, sizeof(c3), "%d", m->cur->sensors);
		sb_take(b, &t, ed_expand(b, "outage.partial", (struct str_arg[]){
		    { "days", days.s }, { "count", c2 }, { "sensors", c3 } },
		    3));
	}
out:
	free(days.s);
	return sb_done(b, &t);
}

char *
ed_ratio_text(struct ed_build *b, const struct notable *n)
{
	char v[32];
	double r = n->ratio;

	if (!isfinite(r))
		return ed_expand(b, "ratio.new", NULL, 0);
	if (r >= 1.95) {
		char buf[FMT_INT_MAX];

		snprintf(v, sizeof(v), "%s", fmt_round_int(r, buf));
	} else {
		snprintf(v, sizeof(v), "%.1f", floor(r * 10 + 0.5) / 10);
	}
	return ed_expand(b, "ratio.about", (struct str_arg[]){ { "ratio", v } },
	    1);
}

static char *
label_list(struct ed_build *b, const struct key *keys, size_t n)
{
	struct sb t = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, &t, i + 1 == n ?
			    ed_word(b, "format.list_last_sep") : b->list_sep);
		sb_take(b, &t, ed_key_label(b, &keys[i]));
	}
	return sb_done(b, &t);
}

static char *
change_sentence(struct ed_build *b)
{
	const struct month_model *m = b->m;
	const struct month_summary *c = m->cur, *p = &m->six[MODEL_MONTHS - 2];
	struct key keys[MODEL_NOTABLE_MAX];
	char pct[16], *list, *s;
	double r;
	struct str_arg args[3];

	if (!p->has_data)
		return ed_expand(b, "change.no_prev", NULL, 0);
	args[0] = (struct str_arg){ "prev", b->prev_text };
	if (p->total.accesses == 0)
		return ed_expand(b, c->total.accesses == 0 ?
		    "change.both_zero" : "change.prev_zero", args, 1);
	r = c->accesses_per_sensor_day / p->accesses_per_sensor_day;
	snprintf(pct, sizeof(pct), "%.0f", floor(fabs(r - 1) * 100 + 0.5));
	for (size_t i = 0; i < m->nnotable; i++)
		keys[i] = m->notable[i].key;
	list = label_list(b, keys, m->nnotable);
	args[1] = (struct str_arg){ "pct", pct };
	args[2] = (struct str_arg){ "ports", list };
	if (m->nnotable > 0)
		s = ed_expand(b, fabs(r - 1) < 0.05 ? "change.same_notable" :
		    r > 1 ? "change.up_notable" : "change.down_notable", args, 3);
	else
		s = ed_expand(b, fabs(r - 1) < 0.05 ? "change.same" :
		    r > 1 ? "change.up" : "change.down", args, 3);
	free(list);
	return s;
}

/* Every talot: figure named in DIR/bulletin.md (outside {{! comments }})
 * exists; else the error names the template line. */
static bool
check_figures(const char *dir, struct err *e)
{
	char *path = path_join(dir, "bulletin.md"), *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	const char *p;
	FILE *fp;
	bool ok = true;

	if (path == NULL)
		return err_set(e, "out of memory");
	fp = fopen(path, "r");
	if (fp == NULL) {
		free(path);
		return true;   /* the template reader reports it */
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
	    len < (size_t)16 << 20) {
		if (len + n + 1 > cap) {
			char *nb = realloc(buf, cap = (len + n + 1) * 2);

			if (nb == NULL) {
				ok = err_set(e, "out of memory");
				break;
			}
			buf = nb;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(fp);
	if (!ok || buf == NULL) {
		free(buf);
		free(path);
		return ok;
	}
	buf[len] = '\0';
	/* blank out comments, keeping their line breaks */
	for (char *c = strstr(buf, "{{!"); c != NULL; c = strstr(c, "{{!")) {
		char *end = strstr(c, "}}");

		end = end != NULL ? end + 2 : buf + len;
		for (; c < end; c++)
			if (*c != '\n')
				*c = ' ';
	}
	for (p = buf; ok && (p = strstr(p, "](talot:")) != NULL; ) {
		unsigned long lineno = 1;

		p += 8;
		n = strcspn(p, ") \t\n");
		if (edition_figure_known(p, n) ||
		    (n > 12 && strncmp(p, "fig-notable-{{", 14) == 0))
			continue;
		for (const char *q = buf; q < p; q++)
			lineno += *q == '\n';
		ok = err_set(e, "%s:%lu: unknown figure talot:%.*s (known: fig-1.1, fig-notable-N, fig-2.2.1 … fig-3.2.2, port-table)",
		    path, lineno, (int)(n > 64 ? 64 : n), p);
	}
	free(buf);
	free(path);
	return ok;
}

/* "10 sensors" / "1 sensor": KEY_one for 1, KEY_other otherwise. */
static char *
count_text(struct ed_build *b, const char *key, int64_t n)
{
	char k[64], v[FMT_INT_MAX];

	snprintf(k, sizeof(k), "%s_%s", key, n == 1 ? "one" : "other");
	return ed_expand(b, k, (struct str_arg[]){ { "n", fmt_int(n, v) } }, 1);
}

static bool
set_owned(struct tpl_ctx *c, const char *name, char *value)
{
	bool ok = value != NULL && tpl_set(c, name, value);

	free(value);
	return ok;
}

char *
ed_markdown(struct ed_build *b)
{
	const struct month_model *m = b->m;
	const struct edition_opts *o = b->o;
	struct tpl_ctx *c = tpl_ctx_create();
	const struct month_summary *s = m->cur;
	month_t prev = m->month - 1, first = m->month - (MODEL_MONTHS - 1);
	char nb[FMT_INT_MAX];
	struct key top[3];
	size_t n;
	char *md = NULL;
	bool ok;

	if (c == NULL) {
		err_set(b->e, "out of memory");
		b->failed = true;
		return NULL;
	}
	ok = tpl_set(c, "title", b->ed->title) &&
	    tpl_set(c, "subtitle", b->ed->subtitle) &&
	    tpl_set(c, "date", b->ed->date_text) &&
	    tpl_set(c, "author", b->ed->author) &&
	    tpl_set(c, "observatory", o->settings->observatory) &&
	    tpl_set(c, "month", b->month_text) &&
	    tpl_set(c, "prev_month", b->prev_text) &&
	    tpl_set(c, "first_month", b->first_text) &&
	    tpl_setf(c, "year", "%d", month_year(m->month)) &&
	    tpl_setf(c, "mon", "%d", month_mon(m->month)) &&
	    tpl_setf(c, "prev_year", "%d", month_year(prev)) &&
	    tpl_setf(c, "prev_mon", "%d", month_mon(prev)) &&
	    tpl_setf(c, "first_year", "%d", month_year(first)) &&
	    tpl_setf(c, "first_mon", "%d", month_mon(first)) &&
	    tpl_setf(c, "sensors", "%d", s->sensors) &&
	    set_owned(c, "sensors_text", count_text(b, "count.sensors",
	    s->sensors)) &&
	    tpl_set(c, "total_accesses", num(s->total.accesses, nb)) &&
	    tpl_set(c, "per_sensor_accesses",
	    fmt_round_int(s->accesses_per_sensor_day, nb)) &&
	    tpl_set(c, "per_sensor_sources",
	    fmt_round_int(s->sources_per_sensor_day, nb)) &&
	    tpl_set(c, "accesses_per_source",
	    fmt_round_int(s->accesses_per_source, nb)) &&
	    set_owned(c, "trend_sentence", ed_expand(b, trend_keys[m->trend],
	    NULL, 0));
	/* top ports: the leaders, those with >= 10 % of accesses (at least 1,
	 * at most 3) */
	n = 0;
	for (size_t i = 0; i < m->ports_acc.nkeys && n < 3; i++) {
		if (m->ports_acc.keys[i].kind == KEY_OTHER ||
		    (n > 0 && m->ports_acc.shares[i] < 0.10))
			break;
		top[n++] = m->ports_acc.keys[i];
	}
	ok = ok && set_owned(c, "top_ports_sentence", label_list(b, top, n)) &&
	    tpl_set_bool(c, "has_traffic", s->total.accesses > 0) &&
	    set_owned(c, "change_sentence", change_sentence(b)) &&
	    tpl_set_bool(c, "has_outage", m->nmissing > 0) &&
	    set_owned(c, "outage_note", outage_note(b)) &&
	    tpl_set_bool(c, "has_prev", m->six[MODEL_MONTHS - 2].has_data) &&
	    tpl_set_bool(c, "has_notable", m->nnotable > 0) &&
	    tpl_declare_section(c, "notable");
	for (size_t i = 0; ok && i < m->nnotable; i++) {
		const struct notable *nt = &m->notable[i];
		struct tpl_ctx *it = tpl_section_add(c, "notable");
		const char *ex = catalog_port_explanation(o->cat, nt->key.proto,
		    nt->key.port);
		char *dom = ed_key_label(b, &nt->dominant);

		ok = it != NULL && tpl_setf(it, "n", "%zu", i + 1) &&
		    set_owned(it, "port_label", ed_key_label(b, &nt->key)) &&
		    set_owned(it, "ratio_text", ed_ratio_text(b, nt)) &&
		    tpl_set(it, "dominant_country", dom ? dom : "") &&
		    tpl_setf(it, "dominant_share", "%.0f",
		    floor(nt->dominant_share * 100 + 0.5)) &&
		    tpl_set(it, "explanation", ex ? ex : "") &&
		    tpl_set_bool(it, "is_udp", nt->key.proto == PROTO_UDP);
		free(dom);
	}
	if (ok) {
		struct key keys[MODEL_NOTABLE_MAX];

		for (size_t i = 0; i < m->nnotable; i++)
			keys[i] = m->notable[i].key;
		ok = set_owned(c, "notable_labels", label_list(b, keys,
		    m->nnotable));
	}
	ok = ok && tpl_set_bool(c, "has_notes", o->notes_md != NULL) &&
	    tpl_set_raw(c, "notes", o->notes_md ? o->notes_md : "");
	if (b->failed)
		;
	else if (!ok) {
		err_set(b->e, "out of memory building the template values");
		b->failed = true;
	} else if (!check_figures(o->template_dir, b->e))
		b->failed = true;
	else if ((md = tpl_render_file(o->template_dir, "bulletin.md", c,
	    b->e)) == NULL)
		b->failed = true;
	tpl_ctx_destroy(c);
	return md;
}
