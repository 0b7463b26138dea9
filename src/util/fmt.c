#include "fmt.h"

#include <math.h>
#include <stdio.h>

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

int64_t
fmt_round(double v)
{
	if (isnan(v))
		return 0;
	if (v >= 9.2e18)
		return INT64_MAX;
	if (v <= -9.2e18)
		return INT64_MIN;
	return (int64_t)llround(v);
}

char *
fmt_round_int(double v, char *buf)
{
	return fmt_int(fmt_round(v), buf);
}

char *
fmt_percent(double share, int decimals, char *buf, size_t len)
{
	snprintf(buf, len, "%.*f%%", decimals, isnan(share) ? 0.0 :
	    share * 100.0);
	return buf;
}
