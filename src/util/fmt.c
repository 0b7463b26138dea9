#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
fmt_int(int64_t v, char *buf)
{
	char tmp[FMT_INT_MAX];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, o = 0;

	do {
		if (n > 0 && n % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = (char)('0' + u % 10);
		u /= 10;
		n++;
	} while (u > 0);
	n = 0;
	if (v < 0)
		buf[n++] = '-';
	while (o > 0)
		buf[n++] = tmp[--o];
	buf[n] = '\0';
	return buf;
}

/* The shortest decimal of a (finite, >= 0) that reads back as a:
 * a = 0.D × 10^*point with D the ndig digits (no trailing zeros).  Tries
 * 15, 16 then 17 significant digits (17 always reads back). */
static void
shortest_digits(double a, char digits[24], int *ndig, int *point)
{
	char s[40];
	int p, n = 0, ex;
	char *e;

	for (p = 15; p < 17; p++) {
		snprintf(s, sizeof(s), "%.*e", p - 1, a);
		if (strtod(s, NULL) == a)
			break;
	}
	if (p == 17)
		snprintf(s, sizeof(s), "%.*e", p - 1, a);
	for (const char *c = s; *c != '\0' && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	e = strchr(s, 'e');
	ex = e != NULL ? atoi(e + 1) : 0;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*ndig = n;
	*point = ex + 1;
}

/* Writes |v| × 10^shift rounded half away from zero to dec places (v
 * finite), with its sign when the result is not zero. */
static void
decimal_round(double v, int shift, int dec, char *buf, size_t len)
{
	char d[24], r[400];
	int nd, point, k, rl, ip, o = 0;
	bool zero = true;
	char out[440];

	if (v == 0) {
		nd = 1;
		d[0] = '0';
		d[1] = '\0';
		point = 1;
	} else
		shortest_digits(fabs(v), d, &nd, &point);
	point += shift;
	k = point + dec;            /* digits kept */
	if (k > (int)sizeof(r) - 2)
		k = (int)sizeof(r) - 2;
	rl = 0;
	if (k < 0)
		rl = 0;
	else {
		bool up = k < nd && d[k] >= '5';

		for (int i = 0; i < k; i++)
			r[rl++] = i < nd ? d[i] : '0';
		if (up) {
			int i = rl - 1;

			while (i >= 0 && r[i] == '9')
				r[i--] = '0';
			if (i >= 0)
				r[i]++;
			else {
				memmove(r + 1, r, (size_t)rl);
				r[0] = '1';
				rl++;
			}
		}
	}
	/* r (rl digits) is the result in units of 10^-dec */
	while (rl < dec + 1) {
		memmove(r + 1, r, (size_t)rl);
		r[0] = '0';
		rl++;
	}
	for (int i = 0; i < rl; i++)
		zero = zero && r[i] == '0';
	if (v < 0 && !zero)
		out[o++] = '-';
	ip = rl - dec;
	{
		int i = 0;

		while (i < ip - 1 && r[i] == '0')
			i++;
		for (; i < ip; i++)
			out[o++] = r[i];
	}
	if (dec > 0) {
		out[o++] = '.';
		for (int i = ip; i < rl; i++)
			out[o++] = r[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

int64_t
fmt_round(double v)
{
	char s[FMT_DEC_MAX];

	if (isnan(v))
		return 0;
	if (v >= 9.2e18)
		return INT64_MAX;
	if (v <= -9.2e18)
		return INT64_MIN;
	if (fabs(v) >= 4503599627370496.0)   /* 2^52: already an integer */
		return (int64_t)v;
	decimal_round(v, 0, 0, s, sizeof(s));
	return strtoll(s, NULL, 10);
}

char *
fmt_round_int(double v, char *buf)
{
	return fmt_int(fmt_round(v), buf);
}

static int
clamp_dec(int decimals)
{
	return decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
}

double
fmt_round_to(double v, int decimals)
{
	char s[FMT_DEC_MAX];

	if (!isfinite(v) || fabs(v) >= 1e17)
		return v;
	decimal_round(v, 0, clamp_dec(decimals), s, sizeof(s));
	return strtod(s, NULL);
}

char *
fmt_decimal(double v, int decimals, char *buf, size_t len)
{
	if (isnan(v))
		v = 0;
	if (isinf(v)) {
		snprintf(buf, len, "%s", v < 0 ? "-inf" : "inf");
		return buf;
	}
	decimal_round(v, 0, clamp_dec(decimals), buf, len);
	return buf;
}

char *
fmt_percent(double share, int decimals, char *buf, size_t len)
{
	char s[440];

	if (!isfinite(share))
		share = 0;
	decimal_round(share, 2, clamp_dec(decimals), s, sizeof(s));
	snprintf(buf, len, "%s%%", s);
	return buf;
}

bool
fmt_shares_tenths(const int64_t *counts, size_t n, int64_t *tenths)
{
	__extension__ typedef unsigned __int128 u128;
	u128 sum = 0;
	int64_t given = 0;

	for (size_t i = 0; i < n; i++) {
		if (counts[i] < 0)
			return false;
		sum += (u128)counts[i];
		tenths[i] = 0;
	}
	if (sum == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		tenths[i] = (int64_t)((u128)counts[i] * 1000 / sum);
		given += tenths[i];
	}
	if (given >= 1000)
		return true;
	/* one leftover tenth at a time, in the order: shares >= 0.05 %
	 * (2000 × count >= sum) first, then by remainder, largest first, ties
	 * to the earlier key; each key gets at most one (fewer than n
	 * leftovers).  No allocation: each pick is the next in that order
	 * after the previous pick. */
	for (int pass = 0; pass < 2 && given < 1000; pass++) {
		u128 lastr = 0;
		size_t lasti = SIZE_MAX;

		while (given < 1000) {
			size_t best = SIZE_MAX;
			u128 bestr = 0;

			for (size_t i = 0; i < n; i++) {
				u128 rem = (u128)counts[i] * 1000 % sum;
				bool tiny = (u128)counts[i] * 2000 < sum;

				if (rem == 0 || tiny != (pass == 1))
					continue;
				if (lasti != SIZE_MAX && (rem > lastr ||
				    (rem == lastr && i <= lasti)))
					continue;   /* picked already */
				if (best == SIZE_MAX || rem > bestr) {
					best = i;
					bestr = rem;
				}
			}
			if (best == SIZE_MAX)
				break;
			tenths[best]++;
			given++;
			lastr = bestr;
			lasti = best;
		}
	}
	return true;
}

char *
fmt_tenths_percent(int64_t tenths, int64_t count, char *buf, size_t len)
{
	if (tenths == 0 && count > 0)
		snprintf(buf, len, "<0.1%%");
	else
		snprintf(buf, len, "%s%lld.%lld%%", tenths < 0 ? "-" : "",
		    (long long)(tenths < 0 ? -(tenths / 10) : tenths / 10),
		    (long long)(tenths < 0 ? -(tenths % 10) : tenths % 10));
	return buf;
}

char *
fmt_share(double share, char *buf, size_t len)
{
	if (isfinite(share) && share > 0 && share < 0.0005)
		snprintf(buf, len, "<0.1%%");
	else
		fmt_percent(share, 1, buf, len);
	return buf;
}
