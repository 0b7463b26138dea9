/* labels.h — what the reader sees for a key, shared by every renderer:
 * its label ("135/tcp", "Ping(ICMP)", "中国", "その他") and its colour
 * (one per port and per country in all figures of a bulletin). */
#ifndef TALOT_LABELS_H
#define TALOT_LABELS_H

#include <stddef.h>

#include "catalog.h"
#include "err.h"
#include "chart.h"
#include "model.h"

#define LABEL_OTHER "その他"
#define LABEL_MAX 128

/* Writes the label of k into buf and returns buf.  A country missing from
 * the catalogue is shown by its code; a missing port by "N/proto".  When d
 * is not NULL, such gaps are reported there as warnings. */
const char *label_key(const struct catalog *cat, const struct key *k,
    char *buf, size_t len, struct diag *d);

/* The colour of k in model m: palette slot, grey for その他. */
struct chart_rgb label_color(const struct month_model *m, const struct key *k);

/* "2007年6月" */
const char *label_month(month_t m, char *buf, size_t len);

#endif
