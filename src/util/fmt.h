/* fmt.h — numbers and dates as the bulletin prints them.
 *
 * One rounding rule everywhere: half away from zero, judged on the decimal
 * value of a double — the shortest decimal that reads back as the same
 * double (what printf("%.17g") trimmed to the fewest digits shows, as a
 * human would write it).  So 2.5 → 3, 0.125 → 0.13 and 2.675 → 2.68 at two
 * decimals, while 0.49999999999999994 (a different double from 0.5) → 0.
 */
#ifndef TALOT_FMT_H
#define TALOT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FMT_INT_MAX 32
#define FMT_DEC_MAX 48          /* fmt_decimal with decimals <= 6 */

/* "293,252"; "-1,234".  Returns buf (at least FMT_INT_MAX bytes). */
char *fmt_int(int64_t v, char *buf);
/* Rounds half away from zero to an integer; saturates at INT64 bounds. */
int64_t fmt_round(double v);
/* fmt_int(fmt_round(v)). */
char *fmt_round_int(double v, char *buf);
/* v rounded half away from zero to decimals (0..6) places, as a double
 * (the nearest double to the rounded decimal).  NAN stays NAN; infinities
 * and |v| >= 1e17 are returned unchanged. */
double fmt_round_to(double v, int decimals);
/* v rounded half away from zero to decimals (0..6) places, written with
 * exactly that many decimals and no separators ("2.68", "-0.5", "3");
 * never "-0".  NAN gives "0" (with decimals zeros), ±infinity "inf" /
 * "-inf".  Returns buf (truncated to len, always terminated). */
char *fmt_decimal(double v, int decimals, char *buf, size_t len);
/* "34.5%" of a share 0..1, with the given decimals (half away from zero,
 * judged on the decimal value of share × 100). */
char *fmt_percent(double share, int decimals, char *buf, size_t len);
/* Largest-remainder percentages: tenths[i] (per mille, 0..1000) of
 * counts[i] in the sum of counts, summing to exactly 1000 when the sum is
 * positive (all 0 otherwise).  Each tenths[i] is counts[i]×1000/sum rounded
 * down or up (never further than 0.1 % from the exact share).  The leftover
 * tenths go, one each, to the largest remainders (ties: earlier index),
 * first among the keys whose share is at least 0.05 %, so that a share
 * below 0.05 % keeps 0 and reads "<0.1%" (fmt_tenths_percent) unless there
 * are more leftovers than other keys.  false if a count is negative. */
bool fmt_shares_tenths(const int64_t *counts, size_t n, int64_t *tenths);
/* "34.5%" from tenths of a percent; "<0.1%" when tenths is 0 but count
 * (the key's own count) is not.  Returns buf. */
char *fmt_tenths_percent(int64_t tenths, int64_t count, char *buf,
    size_t len);
/* A share 0..1 with one decimal, "<0.1%" when share > 0 but below 0.05 %
 * (never "0.0%" for a non-zero share).  Returns buf. */
char *fmt_share(double share, char *buf, size_t len);

#endif
