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

/* Runs of consecutive missing days with the same number of sensors (the
 * model's outage ranges). */
struct run {
	int first, last, missing;
	bool all;
};

static size_t
missing_runs(const struct month_model *m, struct run *r, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->noutages && n < max; i++)
		r[n++] = (struct run){ m->outages[i].first_day,
			m->outages[i].last_day, m->outages[i].missing,
			m->outages[i].all };
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
		if (!r[i].all)
			sb_take(b, &t, ed_expand(b, r[i].missing == 1 ?
			    "outage.sensors_in_parens_one" :
			    "outage.sensors_in_parens_other",
			    (struct str_arg[]){ { "n", cnt } }, 1));
	}
	return sb_done(b, &t);
}

static char *sensors_gone(struct ed_build *b);

static char *
outage_note(struct ed_build *b)
{
	const struct month_model *m = b->m;
	struct run r[31];
	size_t n = missing_runs(m, r, 31);
	struct sb t = { 0 }, days = { 0 };
	char c1[16], c2[16], c3[16];

	if (n == 0)
		return m->nsensors_gone > 0 ? sensors_gone(b) : ed_strdup(b, "");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, &days, b->list_sep);
		sb_take(b, &days, day_range(b, month_mon(m->month),
		    r[i].first, r[i].last));
		if (!m->outage_same_days) {
			snprintf(c1, sizeof(c1), "%d", r[i].missing);
			sb_take(b, &days, ed_expand(b, r[i].all ?
			    "outage.all_in_parens" : r[i].missing == 1 ?
			    "outage.sensors_in_parens_one" :
			    "outage.sensors_in_parens_other",
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
	if (m->nsensors_gone > 0) {
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, sensors_gone(b));
	}
out:
	free(days.s);
	return sb_done(b, &t);
}

char *
ed_ratio_text(struct ed_build *b, const struct notable *n)
{
	char v[FMT_DEC_MAX];

	if (n->no_data_cur)
		return ed_expand(b, "ratio.none", NULL, 0);
	if (n->is_new)
		return ed_expand(b, "ratio.new", NULL, 0);
	if (!n->has_ratio)
		return ed_expand(b, "ratio.no_prev", NULL, 0);
	if (n->ratio_ten_plus)
		return ed_expand(b, "ratio.ten_plus", NULL, 0);
	fmt_decimal(n->ratio_display, n->ratio_display < 2 ? 1 : 0, v,
	    sizeof(v));
	return ed_expand(b, "ratio.about", (struct str_arg[]){ { "ratio", v } },
	    1);
}

/* "1026/udpポート" / "Ping(ICMP)": what an access is aimed at, in a
 * sentence or a caption (an ICMP message is not a port). */
char *
ed_target(struct ed_build *b, const struct key *k)
{
	char *label = ed_key_label(b, k), *t;

	t = ed_expand(b, k->kind == KEY_PORT && k->proto == PROTO_ICMP ?
	    "target.icmp" : "target.port",
	    (struct str_arg[]){ { "label", label } }, 1);
	free(label);
	return t;
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
pct_text(double rel, char *buf, size_t len)
{
	return fmt_decimal(fabs(rel) * 100, 0, buf, len);
}

/* "1026/udp(約2倍)", "9999/tcp(新たに観測)", "445/tcp(約40%減)" */
static char *
change_item(struct ed_build *b, const struct port_change *c, bool rise)
{
	char *label = ed_key_label(b, &c->key), *t, v[FMT_DEC_MAX];
	struct str_arg args[2] = { { "port", label }, { "ratio", v } };

	v[0] = '\0';
	if (rise && c->is_new)
		t = ed_expand(b, "change.item_new", args, 1);
	else if (!rise && c->vanished)
		t = ed_expand(b, "change.item_vanished", args, 1);
	else if (rise && isfinite(c->ratio) && c->ratio >= 10)
		t = ed_expand(b, "change.item_ten_plus", args, 1);
	else if (rise) {
		double r = fmt_round_to(c->ratio, c->ratio < 2 ? 1 : 0);

		fmt_decimal(r, r < 2 ? 1 : 0, v, sizeof(v));
		t = ed_expand(b, "change.item_ratio", args, 2);
	} else {
		pct_text(1 - c->ratio, v, sizeof(v));
		args[1].name = "pct";
		t = ed_expand(b, "change.item_fall", args, 2);
	}
	free(label);
	return t;
}

static char *
change_list(struct ed_build *b, const struct port_change *c, size_t n,
    bool rise)
{
	struct sb t = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, &t, i + 1 == n ?
			    ed_word(b, "format.list_last_sep") : b->list_sep);
		sb_take(b, &t, change_item(b, &c[i], rise));
	}
	return sb_done(b, &t);
}

/* The month against the previous one: the level per sensor per day, a
 * changed mix, the largest rises and falls (new and vanished ports
 * included), every part only when it is true. */
static char *
change_sentence(struct ed_build *b)
{
	const struct month_model *m = b->m;
	const struct month_summary *c = m->cur, *p = &m->six[MODEL_MONTHS - 2];
	struct str_arg args[3];
	struct sb t = { 0 };
	char pct[FMT_DEC_MAX], *list;
	double rel = m->change_relative;
	bool same;

	if (!m->has_prev)
		return ed_expand(b, "change.no_prev", NULL, 0);
	args[0] = (struct str_arg){ "prev", b->prev_text };
	if (p->total.accesses == 0)
		return ed_expand(b, c->total.accesses == 0 ?
		    "change.both_zero" : "change.prev_zero", args, 1);
	pct_text(rel, pct, sizeof(pct));
	args[1] = (struct str_arg){ "pct", pct };
	same = strcmp(pct, "0") == 0 || fabs(rel) < 0.05;
	sb_take(b, &t, ed_expand(b, same ? "change.level_same" : rel > 0 ?
	    "change.level_up" : "change.level_down", args, 2));
	if (m->mix_changed) {
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, "change.mix", args, 1));
	}
	if (m->nrises > 0) {
		list = change_list(b, m->rises, m->nrises, true);
		args[2] = (struct str_arg){ "list", list };
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, m->nrises == 1 ?
		    "change.rises_one" : "change.rises_other", args, 3));
		free(list);
	}
	if (m->nfalls > 0) {
		list = change_list(b, m->falls, m->nfalls, false);
		args[2] = (struct str_arg){ "list", list };
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, m->nfalls == 1 ?
		    "change.falls_one" : "change.falls_other", args, 3));
		free(list);
	}
	if (same && !m->mix_changed && m->nrises == 0 && m->nfalls == 0) {
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, "change.none", args, 1));
	}
	return sb_done(b, &t);
}

/* The trend of the six months, and the last month when it goes the other
 * way. */
static char *
trend_sentence(struct ed_build *b)
{
	const struct month_model *m = b->m;
	struct sb t = { 0 };
	char pct[FMT_DEC_MAX];

	sb_take(b, &t, ed_expand(b, trend_keys[m->trend], NULL, 0));
	if (m->reverses) {
		pct_text(m->change_relative, pct, sizeof(pct));
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, m->change_relative > 0 ?
		    "trend.reverse_up" : "trend.reverse_down",
		    (struct str_arg[]){ { "month", b->month_text },
		    { "prev", b->prev_text }, { "pct", pct } }, 3));
	}
	return sb_done(b, &t);
}

static char *
name_list(struct ed_build *b, const struct sensor_name *v, size_t n)
{
	struct sb t = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, &t, i + 1 == n ?
			    ed_word(b, "format.list_last_sep") : b->list_sep);
		sb_add(b, &t, v[i].name);
	}
	return sb_done(b, &t);
}

/* Sensors observed in M-1 and on no day of M, named. */
static char *
sensors_gone(struct ed_build *b)
{
	const struct month_model *m = b->m;
	char *names = name_list(b, m->sensors_gone, m->nsensors_gone), *t;

	t = ed_expand(b, m->nsensors_gone == 1 ? "sensors.gone_one" :
	    "sensors.gone_other", (struct str_arg[]){ { "names", names },
	    { "month", b->month_text }, { "prev", b->prev_text } }, 3);
	free(names);
	return t;
}

/* The number of sensors against M-1, and the ones that joined. */
static char *
sensors_sentence(struct ed_build *b)
{
	const struct month_model *m = b->m;
	struct sb t = { 0 };
	char n[FMT_INT_MAX], pn[FMT_INT_MAX];
	struct str_arg args[4] = { { "month", b->month_text },
		{ "prev", b->prev_text }, { "n", n }, { "prev_n", pn } };

	if (!m->sensors_changed)
		return ed_strdup(b, "");
	fmt_int(m->cur->sensors, n);
	fmt_int(m->sensors_prev, pn);
	sb_take(b, &t, ed_expand(b, m->cur->sensors > m->sensors_prev ?
	    "sensors.more" : "sensors.fewer", args, 4));
	if (m->nsensors_added > 0) {
		char *names = name_list(b, m->sensors_added,
		    m->nsensors_added);

		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, m->nsensors_added == 1 ?
		    "sensors.added_one" : "sensors.added_other",
		    (struct str_arg[]){ { "names", names },
		    { "month", b->month_text } }, 2));
		free(names);
	}
	return sb_done(b, &t);
}

/* A country's name as running text names it: with the article for the
 * codes strings.conf lists in country.the ("the United States"). */
static char *
country_in_text(struct ed_build *b, const struct key *k)
{
	char *name = ed_key_label(b, k), *t;
	const char *the = ed_word(b, "country.the");
	size_t n = strlen(k->cc);

	if (name == NULL || k->kind != KEY_COUNTRY || n == 0)
		return name;
	for (const char *p = the; *p != '\0';) {
		size_t w;

		while (*p == ' ')
			p++;
		w = strcspn(p, " ");
		if (w == n && strncmp(p, k->cc, n) == 0) {
			t = ed_expand(b, "country.with_the",
			    (struct str_arg[]){ { "name", name } }, 1);
			free(name);
			return t;
		}
		p += w;
	}
	return name;
}

/* The dominant country's share of a notable port's accesses, in whole
 * percent; one decimal, rounded towards the truth, where whole percent
 * would say 100 for a share below it or 0 for a share above it (the
 * share is exactly 100 % only when every access came from it:
 * notable.dominant_all). */
static void
dominant_share_text(const struct notable *nt, char *buf, size_t len)
{
	double pct = nt->dominant_share * 100;

	fmt_decimal(pct, 0, buf, len);
	if (nt->dominant_accesses < nt->cur && strcmp(buf, "100") == 0)
		fmt_decimal(fmin(floor(pct * 10) / 10, 99.9), 1, buf, len);
	else if (nt->dominant_accesses > 0 && strcmp(buf, "0") == 0)
		fmt_decimal(fmax(ceil(pct * 10) / 10, 0.1), 1, buf, len);
}

/* The paragraph of notable port i. */
static char *
notable_sentence(struct ed_build *b, const struct notable *nt)
{
	struct sb t = { 0 };
	char *target = ed_target(b, &nt->key), *label, *ratio;
	char rate[FMT_INT_MAX], share[FMT_DEC_MAX];
	struct str_arg args[5];

	fmt_round_int(nt->cur_rate, rate);
	ratio = ed_ratio_text(b, nt);
	args[0] = (struct str_arg){ "target", target };
	args[1] = (struct str_arg){ "month", b->month_text };
	args[2] = (struct str_arg){ "prev", b->prev_text };
	args[3] = (struct str_arg){ "rate", rate };
	args[4] = (struct str_arg){ "ratio", ratio };
	sb_take(b, &t, ed_expand(b, nt->no_data_cur ? "notable.none" :
	    nt->is_new ? "notable.new" : nt->has_ratio ? "notable.ratio" :
	    "notable.no_prev", args, 5));
	free(ratio);
	if (nt->has_dominant && nt->cur > 0) {
		/* all, more than half ("most"), or only the largest */
		bool all = nt->dominant_accesses == nt->cur;
		bool most = nt->dominant_accesses > nt->cur -
		    nt->dominant_accesses;

		label = country_in_text(b, &nt->dominant);
		dominant_share_text(nt, share, sizeof(share));
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, all ? "notable.dominant_all" :
		    most ? "notable.dominant" : "notable.dominant_largest",
		    (struct str_arg[]){ { "country", label },
		    { "share", share } }, 2));
		free(label);
	}
	if (model_icmp_is_response(&nt->key)) {
		label = ed_key_label(b, &nt->key);
		sb_add(b, &t, ed_word(b, "format.sentence_sep"));
		sb_take(b, &t, ed_expand(b, "notable.icmp_response",
		    (struct str_arg[]){ { "label", label } }, 1));
		free(label);
	}
	free(target);
	return sb_done(b, &t);
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
	bool ok, any_udp = false, any_icmp = false;

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
	    set_owned(c, "sources_text", count_text(b, "count.sources",
	    fmt_round(s->sources_per_sensor_day))) &&
	    set_owned(c, "unknown_sources_text", count_text(b,
	    "count.unknown_sources", fmt_round(s->sources_per_sensor_day))) &&
	    tpl_set(c, "total_accesses", num(s->total.accesses, nb)) &&
	    tpl_set(c, "per_sensor_accesses",
	    fmt_round_int(s->accesses_per_sensor_day, nb)) &&
	    tpl_set(c, "per_sensor_sources",
	    fmt_round_int(s->sources_per_sensor_day, nb)) &&
	    tpl_set(c, "accesses_per_source",
	    fmt_round_int(s->accesses_per_source, nb)) &&
	    set_owned(c, "trend_sentence", trend_sentence(b)) &&
	    set_owned(c, "sensors_sentence", sensors_sentence(b));
	/* top ports: the leaders, those with >= 10 % of accesses (at least 1,
	 * at most 3) */
	n = 0;
	for (size_t i = 0; i < m->ports_acc.nkeys && n < 3; i++) {
		if (m->ports_acc.keys[i].kind == KEY_OTHER ||
		    (n > 0 && m->ports_acc.shares[i] < 0.10))
			break;
		top[n++] = m->ports_acc.keys[i];
	}
	{
		char *list = label_list(b, top, n);

		ok = ok && list != NULL &&
		    tpl_set(c, "top_ports_sentence", list) &&
		    set_owned(c, "top_sentence", ed_expand(b, n == 1 ?
		    "top.one" : "top.other", (struct str_arg[]){
		    { "month", b->month_text }, { "list", list } }, 2));
		free(list);
	}
	ok = ok &&
	    tpl_set_bool(c, "has_traffic", s->total.accesses > 0) &&
	    set_owned(c, "change_sentence", change_sentence(b)) &&
	    tpl_set_bool(c, "has_outage", m->nmissing > 0 ||
	    m->nsensors_gone > 0) &&
	    set_owned(c, "outage_note", outage_note(b)) &&
	    tpl_set_bool(c, "has_prev", m->has_prev) &&
	    tpl_set_bool(c, "has_notable", m->nnotable > 0) &&
	    tpl_declare_section(c, "notable");
	for (size_t i = 0; ok && i < m->nnotable; i++) {
		const struct notable *nt = &m->notable[i];
		struct tpl_ctx *it = tpl_section_add(c, "notable");
		const char *ex = catalog_port_explanation(o->cat, nt->key.proto,
		    nt->key.port);

		any_udp = any_udp || (nt->key.proto == PROTO_UDP &&
		    nt->cur > 0);
		any_icmp = any_icmp || nt->key.proto == PROTO_ICMP;
		ok = it != NULL && tpl_setf(it, "n", "%zu", i + 1) &&
		    set_owned(it, "port_label", ed_key_label(b, &nt->key)) &&
		    set_owned(it, "target", ed_target(b, &nt->key)) &&
		    set_owned(it, "notable_sentence", notable_sentence(b, nt)) &&
		    tpl_set(it, "explanation", ex ? ex : "");
	}
	if (ok) {
		struct key keys[MODEL_NOTABLE_MAX];
		char *list;

		for (size_t i = 0; i < m->nnotable; i++)
			keys[i] = m->notable[i].key;
		list = label_list(b, keys, m->nnotable);
		ok = list != NULL && tpl_set(c, "notable_labels", list) &&
		    set_owned(c, "notable_heading", ed_expand(b, any_icmp ?
		    "notable.heading_mixed" : "notable.heading_ports",
		    (struct str_arg[]){ { "list", list } }, 1)) &&
		    set_owned(c, "notable_intro", ed_expand(b, "notable.intro",
		    (struct str_arg[]){ { "month", b->month_text },
		    { "prev", b->prev_text }, { "what", ed_word(b,
		    m->nnotable == 1 ? (any_icmp ? "notable.this_target" :
		    "notable.this_port") : (any_icmp ? "notable.these_targets" :
		    "notable.these_ports")) } }, 3)) &&
		    tpl_set_bool(c, "any_udp", any_udp) &&
		    set_owned(c, "udp_caveat", ed_expand(b, "notable.udp_caveat",
		    NULL, 0));
		free(list);
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
