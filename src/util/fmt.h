/* fmt.h — numbers and dates as the bulletin prints them. */
#ifndef TALOT_FMT_H
#define TALOT_FMT_H

#include <stddef.h>
#include <stdint.h>

#define FMT_INT_MAX 32

/* "293,252"; "-1,234".  Returns buf (at least FMT_INT_MAX bytes). */
char *fmt_int(int64_t v, char *buf);
/* Rounds half away from zero to an integer; saturates at INT64 bounds. */
int64_t fmt_round(double v);
/* fmt_int(fmt_round(v)). */
char *fmt_round_int(double v, char *buf);
/* "34.5%" of a share 0..1, with the given decimals. */
char *fmt_percent(double share, int decimals, char *buf, size_t len);

#endif
