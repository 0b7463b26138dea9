/* fuzz_format.c — the number and date formatters: fmt_int(), fmt_round(),
 * fmt_round_int(), fmt_percent(), month_parse(), model_ratio_text() and
 * csv_parse_date().
 *
 * Input: 8 bytes int64, 8 bytes double (any bit pattern: NaN, inf,
 * subnormals), 1 byte decimals, 1 byte buffer length, then a string tried
 * as a month "YYYY-MM" and as a date "YYYY-MM-DD".
 *
 * Invariants: fmt_int() output has commas every three digits and parses
 * back to the number; fmt_round() is within 0.5 of its argument and
 * saturates; fmt_percent() and model_ratio_text() stay inside the buffer
 * and, for ratios a model can produce (0 <= r <= 9.2e18), print a
 * non-negative number; a parsed month/date prints back to the same string.
 */
#include <math.h>

#include "csv.h"
#include "fmt.h"
#include "fuzz_common.h"
#include "model.h"

static void
check_int(int64_t v)
{
	char *buf = malloc(FMT_INT_MAX), digits[FMT_INT_MAX], *end;
	size_t len, nd = 0, ngroup = 0;
	long long back;

	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(fmt_int(v, buf) == buf);
	len = strlen(buf);
	FUZZ_CHECK(len < FMT_INT_MAX);
	/* digits in groups of three from the right, first group 1..3 */
	for (size_t i = len; i-- > (buf[0] == '-');) {
		if (buf[i] == ',') {
			FUZZ_CHECK(ngroup == 3 && i > (size_t)(buf[0] == '-'));
			ngroup = 0;
			continue;
		}
		FUZZ_CHECK(buf[i] >= '0' && buf[i] <= '9');
		ngroup++;
		FUZZ_CHECK(ngroup <= 3);
	}
	FUZZ_CHECK(ngroup >= 1);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != ',')
			digits[nd++] = buf[i];
	digits[nd] = '\0';
	FUZZ_CHECK(nd == 1 || digits[buf[0] == '-'] != '0');
	back = strtoll(digits, &end, 10);
	FUZZ_CHECK(*end == '\0' && back == v);
	free(buf);
}

static void
check_round(double d)
{
	int64_t r = fmt_round(d);
	char *buf = malloc(FMT_INT_MAX);

	FUZZ_CHECK(buf != NULL);
	if (isnan(d))
		FUZZ_CHECK(r == 0);
	else if (d >= 9.2e18)
		FUZZ_CHECK(r == INT64_MAX);
	else if (d <= -9.2e18)
		FUZZ_CHECK(r == INT64_MIN);
	else {
		FUZZ_CHECK(fabs((double)r - d) <= 0.5);
		FUZZ_CHECK(d >= 0 ? r >= 0 : r <= 0);
	}
	fmt_round_int(d, buf);
	FUZZ_CHECK(strlen(buf) < FMT_INT_MAX);
	free(buf);
}

static void
check_percent(double share, int decimals, size_t len)
{
	char *buf = malloc(len);
	size_t n;

	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(fmt_percent(share, decimals, buf, len) == buf);
	FUZZ_CHECK(fuzz_terminated(buf, len));
	n = strlen(buf);
	if (n + 1 < len && isfinite(share) && fabs(share) < 1e15) {
		char *end;
		double back;

		FUZZ_CHECK(n >= 2 && buf[n - 1] == '%');
		back = strtod(buf, &end);
		FUZZ_CHECK(end == buf + n - 1);
		if (decimals >= 0 && decimals <= 6)
			FUZZ_CHECK(fabs(back - share * 100.0) <=
			    0.5 * pow(10, -decimals) * 1.0001 +
			    fabs(share) * 1e-12);
	}
	free(buf);
}

static void
check_ratio(double r, size_t len)
{
	char *buf = malloc(len);
	size_t n;

	FUZZ_CHECK(buf != NULL);
	model_ratio_text(r, buf, len);
	FUZZ_CHECK(fuzz_terminated(buf, len));
	n = strlen(buf);
	/* 約 and 倍 are 3 bytes each in UTF-8 */
	if (n + 1 < len && r >= 0 && r <= 9.2e18) {
		char *end;
		double v;

		FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)buf, n));
		/* ten times or more reads "10倍以上" */
		if (strcmp(buf, "10\xE5\x80\x8D\xE4\xBB\xA5\xE4\xB8\x8A") == 0) {
			FUZZ_CHECK(r >= 9.5);
			free(buf);
			return;
		}
		FUZZ_CHECK(r < 10);
		FUZZ_CHECK(n > 6 && memcmp(buf, "\xE7\xB4\x84", 3) == 0 &&
		    memcmp(buf + n - 3, "\xE5\x80\x8D", 3) == 0);
		v = strtod(buf + 3, &end);
		FUZZ_CHECK(end == buf + n - 3);
		FUZZ_CHECK(v >= 0);
		FUZZ_CHECK(fabs(v - r) <= 0.5 + r * 1e-12);
	}
	free(buf);
}

static void
check_month(const char *s)
{
	month_t m;
	char back[16];

	if (!month_parse(s, &m))
		return;
	FUZZ_CHECK(month_year(m) >= 1970 && month_year(m) <= 9999);
	FUZZ_CHECK(month_mon(m) >= 1 && month_mon(m) <= 12);
	FUZZ_CHECK(month_days(m) >= 28 && month_days(m) <= 31);
	snprintf(back, sizeof(back), "%04d-%02d", month_year(m),
	    month_mon(m));
	FUZZ_CHECK(strcmp(back, s) == 0);
}

static void
check_date(const char *s, size_t len)
{
	char *copy = fuzz_dup(s, len), back[16];
	int32_t d = csv_parse_date(copy, len);

	if (d >= 0) {
		FUZZ_CHECK(csv_date_valid(d / 10000, d / 100 % 100, d % 100));
		snprintf(back, sizeof(back), "%04d-%02d-%02d", d / 10000,
		    d / 100 % 100, d % 100);
		FUZZ_CHECK(len == 10 && memcmp(back, s, 10) == 0);
		FUZZ_CHECK(month_days(month_make(d / 10000, d / 100 % 100)) >=
		    d % 100);
	} else {
		FUZZ_CHECK(d == -1);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int64_t v = (int64_t)fuzz_u64(&in, 8);
	double d = fuzz_double(&in);
	int decimals = (int8_t)fuzz_u64(&in, 1) % 24;
	size_t len = 1 + fuzz_u64(&in, 1) % 64;
	char *s = fuzz_strdup(in.p, in.n);

	check_int(v);
	check_int(v / 1000);
	check_int(INT64_MIN);
	check_round(d);
	check_round((double)v);
	check_percent(d, decimals, len);
	check_percent((double)v / 1e6, decimals, 64);
	check_ratio(d, len);
	check_ratio(fabs(d), 32);      /* the model's buffer size */
	check_ratio((double)(v < 0 ? -(v + 1) : v) / 1e3, 32);
	check_month(s);
	check_date((const char *)in.p, in.n);
	free(s);
	return 0;
}
