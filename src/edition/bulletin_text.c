/* bulletin_text.c — the bulletin's words: the template context built from
 * the month model, and the sentences the program composes (trend, change,
 * outage). */
#include "bulletin_pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "labels.h"
#include "template.h"
#include "textfile.h"

static const char *
trend_sentence(enum trend t)
{
	switch (t) {
	case TREND_FLAT:
		return "この図を見ると、期待しない(一方的な)アクセスは、ほぼ横ばいで推移しているようです。";
	case TREND_UP_GENTLE:
		return "この図を見ると、期待しない(一方的な)アクセスは、緩やかですが増加傾向にあるようです。";
	case TREND_UP:
		return "この図を見ると、期待しない(一方的な)アクセスは、増加傾向にあるようです。";
	case TREND_DOWN_GENTLE:
		return "この図を見ると、期待しない(一方的な)アクセスは、緩やかですが減少傾向にあるようです。";
	case TREND_DOWN:
		return "この図を見ると、期待しない(一方的な)アクセスは、減少傾向にあるようです。";
	default:
		return "観測データのある月が少ないため、傾向はまだ判断できません。";
	}
}

/* "6月1日から3日まで" / "6月14日" lists, and the outage sentence. */
static void
outage_note(const struct month_model *m, char *buf, size_t len)
{
	int mon = month_mon(m->month);
	size_t o = 0;

	if (m->outage_same_days) {
		/* every sensor missed the same days: say what was observed */
		char days[512];
		size_t d = 0;

		for (size_t i = 0; i < m->nmissing && d < sizeof(days) - 32; ) {
			size_t j = i;

			while (j + 1 < m->nmissing &&
			    m->missing[j + 1].day == m->missing[j].day + 1)
				j++;
			if (d > 0)
				d += (size_t)snprintf(days + d, sizeof(days) - d, "、");
			if (j > i)
				d += (size_t)snprintf(days + d, sizeof(days) - d,
				    "%d月%d日から%d日まで", mon, m->missing[i].day,
				    m->missing[j].day);
			else
				d += (size_t)snprintf(days + d, sizeof(days) - d,
				    "%d月%d日", mon, m->missing[i].day);
			i = j + 1;
		}
		snprintf(buf, len,
		    "%sは全観測点で観測できなかったため、%d月%d日から%d月%d日までの観測データ(観測日数%d日)で集計しています。1観測点・1日あたりの値は観測できた日だけで計算しており、欠けた日の分だけ月の合計は少なくなっています。",
		    days, mon, m->observed_first, mon, m->observed_last,
		    m->ndays - (int)m->nmissing);
		return;
	}
	o += (size_t)snprintf(buf + o, len - o, "次の日は一部の観測点で観測できませんでした: ");
	for (size_t i = 0; i < m->nmissing && o < len - 64; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%d月%d日(%d観測点)",
		    i ? "、" : "", mon, m->missing[i].day, m->missing[i].missing);
	if (o < len - 1)
		snprintf(buf + o, len - o,
		    "。欠けた観測点・日(計%lld)は集計から除いており、1日あたりの値はその日に観測できた観測点の数で割っています。",
		    (long long)m->missing_sensor_days);
}

static void
change_sentence(const struct month_model *m, const struct catalog *cat,
    char *buf, size_t len)
{
	const struct month_summary *c = m->cur, *p = &m->six[MODEL_MONTHS - 2];
	int pmon = month_mon(p->month);
	double r;

	if (!p->has_data) {
		snprintf(buf, len, "前月の観測データがないため、前月との比較はできません。");
		return;
	}
	if (p->total.accesses == 0) {
		snprintf(buf, len, c->total.accesses == 0 ?
		    "%d月と同じく、一方的なアクセスは観測されませんでした。" :
		    "%d月には一方的なアクセスが観測されなかったため、前月との比較はできません。",
		    pmon);
		return;
	}
	r = c->accesses_per_sensor_day / p->accesses_per_sensor_day;
	if (m->nnotable > 0) {
		char l[LABEL_MAX], list[512] = "";
		size_t o = 0;

		for (size_t i = 0; i < m->nnotable; i++) {
			label_key(cat, &m->notable[i].key, l, sizeof(l), NULL);
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
			    i ? "、" : "", l);
		}
		if (fabs(r - 1) < 0.05)
			snprintf(buf, len,
			    "1観測点・1日あたりのアクセス数は%d月とほぼ同じ水準でしたが、%sへのアクセスが増加しました。",
			    pmon, list);
		else
			snprintf(buf, len,
			    "1観測点・1日あたりのアクセス数は%d月と比べて約%.0f%%%sし、%sへのアクセスが増加しました。",
			    pmon, fabs(r - 1) * 100, r > 1 ? "増加" : "減少", list);
		return;
	}
	if (fabs(r - 1) < 0.05)
		snprintf(buf, len,
		    "全体的には%d月とほぼ同じ状況で、目立った変化はありませんでした。",
		    pmon);
	else
		snprintf(buf, len,
		    "1観測点・1日あたりのアクセス数は%d月と比べて約%.0f%%%sしました。",
		    pmon, fabs(r - 1) * 100, r > 1 ? "増加" : "減少");
}

static const char *const figure_ids[] = {
	"fig-1.1", "fig-2.2.1", "fig-2.2.2", "fig-2.3.1", "fig-2.3.2",
	"fig-2.4.1", "fig-2.4.2", "fig-2.4.3", "fig-2.4.4", "fig-3.1.1",
	"fig-3.1.2", "fig-3.2.1", "fig-3.2.2", "port-table",
};

bool
bulletin_figure_known(const char *id, size_t n)
{
	for (size_t i = 0; i < sizeof(figure_ids) / sizeof(*figure_ids); i++)
		if (strlen(figure_ids[i]) == n && strncmp(id, figure_ids[i], n) == 0)
			return true;
	return n > 12 && strncmp(id, "fig-notable-", 12) == 0;
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
		bool known = false;

		p += 8;
		n = strcspn(p, ") \t\n");
		known = bulletin_figure_known(p, n);
		if (known)
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

char *
bulletin_markdown(const struct month_model *m, const struct catalog *cat,
    const struct bulletin_opts *o, struct diag *warnings, struct err *e)
{
	struct tpl_ctx *c = tpl_ctx_create();
	const struct month_summary *s = m->cur;
	month_t prev = m->month - 1, first = m->month - (MODEL_MONTHS - 1);
	char b[FMT_INT_MAX], text[4096], l[LABEL_MAX];
	size_t n, off;
	char *md = NULL;
	bool ok;

	if (c == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	ok = tpl_set(c, "title", "インターネット定点観測での観測状況について") &&
	    tpl_set(c, "observatory", o->settings->observatory) &&
	    tpl_setf(c, "year", "%d", month_year(m->month)) &&
	    tpl_setf(c, "mon", "%d", month_mon(m->month)) &&
	    tpl_setf(c, "prev_year", "%d", month_year(prev)) &&
	    tpl_setf(c, "prev_mon", "%d", month_mon(prev)) &&
	    tpl_setf(c, "first_year", "%d", month_year(first)) &&
	    tpl_setf(c, "first_mon", "%d", month_mon(first)) &&
	    tpl_setf(c, "sensors", "%d", s->sensors) &&
	    tpl_set(c, "total_accesses", fmt_int(s->total.accesses, b)) &&
	    tpl_set(c, "per_sensor_accesses",
	    fmt_round_int(s->accesses_per_sensor_day, b)) &&
	    tpl_set(c, "per_sensor_sources",
	    fmt_round_int(s->sources_per_sensor_day, b)) &&
	    tpl_set(c, "accesses_per_source",
	    fmt_round_int(s->accesses_per_source, b)) &&
	    tpl_set(c, "trend_sentence", trend_sentence(m->trend));
	/* top ports: the leaders, those with >= 10 % of accesses (at least 1,
	 * at most 3) */
	text[0] = '\0';
	off = 0;
	n = 0;
	for (size_t i = 0; i < m->ports_acc.nkeys && n < 3; i++) {
		if (m->ports_acc.keys[i].kind == KEY_OTHER ||
		    (n > 0 && m->ports_acc.shares[i] < 0.10))
			break;
		label_key(cat, &m->ports_acc.keys[i], l, sizeof(l), warnings);
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%s",
		    n ? "、" : "", l);
		n++;
	}
	ok = ok && tpl_set(c, "top_ports_sentence", text) &&
	    tpl_set_bool(c, "has_traffic", s->total.accesses > 0);
	change_sentence(m, cat, text, sizeof(text));
	ok = ok && tpl_set(c, "change_sentence", text);
	ok = ok && tpl_set_bool(c, "has_outage", m->nmissing > 0);
	outage_note(m, text, sizeof(text));
	ok = ok && tpl_set(c, "outage_note", m->nmissing ? text : "");
	ok = ok && tpl_set_bool(c, "has_notable", m->nnotable > 0) &&
	    tpl_declare_section(c, "notable");
	text[0] = '\0';
	off = 0;
	for (size_t i = 0; ok && i < m->nnotable; i++) {
		const struct notable *nt = &m->notable[i];
		struct tpl_ctx *it = tpl_section_add(c, "notable");
		const char *ex = catalog_port_explanation(cat, nt->key.proto,
		    nt->key.port);
		char dom[LABEL_MAX];

		label_key(cat, &nt->key, l, sizeof(l), warnings);
		label_key(cat, &nt->dominant, dom, sizeof(dom), warnings);
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%s",
		    i ? "、" : "", l);
		ok = it != NULL && tpl_setf(it, "n", "%zu", i + 1) &&
		    tpl_set(it, "port_label", l) &&
		    tpl_set(it, "ratio_text", nt->ratio_text) &&
		    tpl_set(it, "dominant_country", dom) &&
		    tpl_setf(it, "dominant_share", "%.0f",
		    nt->dominant_share * 100) &&
		    tpl_set(it, "explanation", ex ? ex : "") &&
		    tpl_set_bool(it, "is_udp", nt->key.proto == PROTO_UDP);
	}
	ok = ok && tpl_set(c, "notable_labels", text);
	ok = ok && tpl_set_bool(c, "has_notes", o->notes_md != NULL) &&
	    tpl_set_raw(c, "notes", o->notes_md ? o->notes_md : "");
	if (!ok)
		err_set(e, "out of memory building the template values");
	else if (check_figures(o->template_dir, e))
		md = tpl_render_file(o->template_dir, "bulletin.md", c, e);
	tpl_ctx_destroy(c);
	return md;
}
