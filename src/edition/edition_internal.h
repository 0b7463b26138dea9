/* edition_internal.h — what the files of the edition layer share while an
 * edition is built (edition.c, figures.c, sentences.c). */
#ifndef TALOT_EDITION_INTERNAL_H
#define TALOT_EDITION_INTERNAL_H

#include "edition.h"

struct ed_build {
	const struct month_model *m;
	const struct edition_opts *o;
	struct edition *ed;
	struct diag *warnings;
	struct err *e;
	bool failed;               /* e is set */
	char *month_text;          /* "2007年6月" */
	char *prev_text;           /* "2007年5月" */
	char *first_text;          /* "2007年1月" */
	const char *list_sep;      /* "、" */
	const char *lt01;          /* "<0.1%" */
};

/* Allocation and string helpers: on failure they set b->failed and e. */
void *ed_calloc(struct ed_build *b, size_t n, size_t size);
char *ed_strdup(struct ed_build *b, const char *s);
char *ed_expand(struct ed_build *b, const char *key,
    const struct str_arg *args, size_t nargs);
const char *ed_word(struct ed_build *b, const char *key);
char *ed_month_text(struct ed_build *b, month_t m);
/* The names of month mon (1..12) in this language: month.N, month_abbr.N. */
void ed_mon_names(struct ed_build *b, int mon, const char **name,
    const char **abbr);
char *ed_key_label(struct ed_build *b, const struct key *k);
void ed_share_texts(struct ed_build *b, struct ed_series *s, size_t n,
    int64_t total);

/* figures.c */
bool ed_figures_build(struct ed_build *b);
void ed_figure_free(struct ed_figure *f);

/* sentences.c */
/* "約2倍", "新たに観測", … */
char *ed_ratio_text(struct ed_build *b, const struct notable *n);
/* "1026/udpポート", "Ping(ICMP)": what an access aims at. */
char *ed_target(struct ed_build *b, const struct key *k);
/* The unobserved days for the summary: "6/1～6/3", "6/10～6/12(1観測点)" */
char *ed_outage_list(struct ed_build *b);
/* The body text (the template expanded with every sentence). */
char *ed_markdown(struct ed_build *b);

#endif
