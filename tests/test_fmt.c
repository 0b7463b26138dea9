/* test_fmt.c — numbers as the bulletin prints them (SPEC §2: rounded to the
 * nearest integer, thousands separators). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "fmt.h"

static void
int_is(int64_t v, const char *want)
{
	char buf[FMT_INT_MAX];

	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(fmt_int(v, buf), buf);
	assert_string_equal(buf, want);
}

static void
test_fmt_int(void **state)
{
	(void)state;
	int_is(0, "0");
	int_is(1, "1");
	int_is(-1, "-1");
	int_is(12, "12");
	int_is(999, "999");
	int_is(1000, "1,000");
	int_is(-999, "-999");
	int_is(-1000, "-1,000");
	int_is(9999, "9,999");
	int_is(100000, "100,000");
	int_is(999999, "999,999");
	int_is(1000000, "1,000,000");
	int_is(293252, "293,252");
	int_is(1086, "1,086");
	int_is(-1234, "-1,234");
	int_is(-1234567, "-1,234,567");
	int_is(INT64_C(1000000000000000), "1,000,000,000,000,000");
	int_is(INT64_MAX, "9,223,372,036,854,775,807");
	int_is(INT64_MIN, "-9,223,372,036,854,775,808");
	int_is(INT64_MIN + 1, "-9,223,372,036,854,775,807");
	/* the longest output fits the documented buffer */
	assert_true(strlen("-9,223,372,036,854,775,808") < FMT_INT_MAX);
}

static void
test_fmt_round(void **state)
{
	char buf[FMT_INT_MAX];

	(void)state;
	assert_int_equal(fmt_round(0.0), 0);
	assert_int_equal(fmt_round(-0.0), 0);
	assert_int_equal(fmt_round(0.4999), 0);
	assert_int_equal(fmt_round(0.5), 1);
	assert_int_equal(fmt_round(1.5), 2);
	assert_int_equal(fmt_round(2.5), 3);     /* half away from zero, not even */
	assert_int_equal(fmt_round(-0.5), -1);
	assert_int_equal(fmt_round(-1.5), -2);
	assert_int_equal(fmt_round(-2.5), -3);
	assert_int_equal(fmt_round(-0.4), 0);
	assert_int_equal(fmt_round(1086.1), 1086);
	assert_int_equal(fmt_round(276.9), 277);
	/* the seed's figures: 293,252 / 270 and sources per sensor-day */
	assert_int_equal(fmt_round(293252.0 / 270.0), 1086);
	assert_int_equal(fmt_round(74790.0 / 270.0), 277);
	assert_int_equal(fmt_round(293252.0 / 74790.0), 4);
	assert_int_equal(fmt_round(NAN), 0);
	assert_int_equal(fmt_round(INFINITY), INT64_MAX);
	assert_int_equal(fmt_round(-INFINITY), INT64_MIN);
	assert_int_equal(fmt_round(1e30), INT64_MAX);
	assert_int_equal(fmt_round(-1e30), INT64_MIN);
	assert_int_equal(fmt_round(1e15 + 0.5), INT64_C(1000000000000001));
	assert_int_equal(fmt_round(4503599627370495.5),
	    INT64_C(4503599627370496));

	assert_string_equal(fmt_round_int(1086.1, buf), "1,086");
	assert_string_equal(fmt_round_int(293251.5, buf), "293,252");
	assert_string_equal(fmt_round_int(-1234.5, buf), "-1,235");
	assert_string_equal(fmt_round_int(NAN, buf), "0");
	assert_string_equal(fmt_round_int(0.2, buf), "0");
}

static void
test_fmt_percent(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(fmt_percent(0.345, 1, buf, sizeof(buf)), "34.5%");
	assert_string_equal(fmt_percent(0.0, 1, buf, sizeof(buf)), "0.0%");
	assert_string_equal(fmt_percent(1.0, 1, buf, sizeof(buf)), "100.0%");
	assert_string_equal(fmt_percent(1.0, 0, buf, sizeof(buf)), "100%");
	assert_string_equal(fmt_percent(0.5, 0, buf, sizeof(buf)), "50%");
	assert_string_equal(fmt_percent(0.12345, 2, buf, sizeof(buf)), "12.35%");
	assert_string_equal(fmt_percent(0.0004, 1, buf, sizeof(buf)), "0.0%");
	assert_string_equal(fmt_percent(0.0005, 2, buf, sizeof(buf)), "0.05%");
	assert_string_equal(fmt_percent(NAN, 1, buf, sizeof(buf)), "0.0%");
	assert_ptr_equal(fmt_percent(0.25, 1, buf, sizeof(buf)), buf);
	/* truncated to the buffer, always terminated */
	memset(buf, 'x', sizeof(buf));
	fmt_percent(0.345, 1, buf, 4);
	assert_string_equal(buf, "34.");
}

/* Half away from zero, judged on the decimal value (fmt.h). */
static void
test_fmt_round_to(void **state)
{
	char buf[FMT_DEC_MAX];

	(void)state;
	assert_true(fmt_round_to(2.5, 0) == 3.0);
	assert_true(fmt_round_to(-2.5, 0) == -3.0);
	assert_true(fmt_round_to(0.125, 2) == 0.13);   /* %.2f gives 0.12 */
	assert_true(fmt_round_to(-0.125, 2) == -0.13);
	assert_true(fmt_round_to(2.675, 2) == 2.68);   /* binary 2.67499999… */
	assert_true(fmt_round_to(1.005, 2) == 1.01);   /* binary 1.00499999… */
	assert_true(fmt_round_to(1.15, 1) == 1.2);     /* 1.15 × 10 = 11.4999… */
	assert_true(fmt_round_to(1.25, 1) == 1.3);
	assert_true(fmt_round_to(1.949, 1) == 1.9);
	assert_true(fmt_round_to(0.49999999999999994, 0) == 0.0);
	assert_true(fmt_round_to(9.995, 2) == 10.0);
	assert_true(fmt_round_to(0.0, 3) == 0.0);
	assert_true(isnan(fmt_round_to(NAN, 1)));
	assert_true(fmt_round_to(INFINITY, 1) == INFINITY);
	assert_true(fmt_round_to(1e20, 1) == 1e20);

	assert_string_equal(fmt_decimal(2.5, 0, buf, sizeof(buf)), "3");
	assert_string_equal(fmt_decimal(0.125, 2, buf, sizeof(buf)), "0.13");
	assert_string_equal(fmt_decimal(2.675, 2, buf, sizeof(buf)), "2.68");
	assert_string_equal(fmt_decimal(9.995, 2, buf, sizeof(buf)), "10.00");
	assert_string_equal(fmt_decimal(99.96, 1, buf, sizeof(buf)), "100.0");
	assert_string_equal(fmt_decimal(0.05, 1, buf, sizeof(buf)), "0.1");
	assert_string_equal(fmt_decimal(0.04999, 1, buf, sizeof(buf)), "0.0");
	assert_string_equal(fmt_decimal(-0.004, 2, buf, sizeof(buf)), "0.00");
	assert_string_equal(fmt_decimal(-0.005, 2, buf, sizeof(buf)), "-0.01");
	assert_string_equal(fmt_decimal(123456.5, 0, buf, sizeof(buf)), "123457");
	assert_string_equal(fmt_decimal(5e-7, 6, buf, sizeof(buf)), "0.000001");
	assert_string_equal(fmt_decimal(4e-7, 6, buf, sizeof(buf)), "0.000000");
	assert_string_equal(fmt_decimal(1e-300, 1, buf, sizeof(buf)), "0.0");
	assert_string_equal(fmt_decimal(0.0, 1, buf, sizeof(buf)), "0.0");
	assert_string_equal(fmt_decimal(NAN, 1, buf, sizeof(buf)), "0.0");
	assert_string_equal(fmt_decimal(-INFINITY, 1, buf, sizeof(buf)), "-inf");
	assert_string_equal(fmt_decimal(1e18, 0, buf, sizeof(buf)),
	    "1000000000000000000");
	assert_string_equal(fmt_decimal(12.5, 0, buf, 2), "1");  /* truncated */
	/* fmt_round agrees: 1.15 → 1 and 1.5 → 2; 1085.5 → 1086 */
	assert_int_equal(fmt_round(1085.5), 1086);
	assert_int_equal(fmt_round(-1085.5), -1086);
	assert_int_equal(fmt_round(0.49999999999999994), 0);
}

static void
test_fmt_percent_half_away(void **state)
{
	char buf[32];

	(void)state;
	/* 2.5 % at 0 decimals: 3 %, not the even 2 % */
	assert_string_equal(fmt_percent(0.025, 0, buf, sizeof(buf)), "3%");
	assert_string_equal(fmt_percent(0.00125, 2, buf, sizeof(buf)), "0.13%");
	assert_string_equal(fmt_percent(0.00125, 1, buf, sizeof(buf)), "0.1%");
	assert_string_equal(fmt_percent(0.0125, 1, buf, sizeof(buf)), "1.3%");
	assert_string_equal(fmt_percent(-0.0125, 1, buf, sizeof(buf)), "-1.3%");
	assert_string_equal(fmt_percent(0.9995, 1, buf, sizeof(buf)), "100.0%");
}

static void
tenths_are(const int64_t *counts, size_t n, const int64_t *want)
{
	int64_t got[16], sum = 0;

	assert_true(fmt_shares_tenths(counts, n, got));
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			print_error("key %zu: %lld tenths, expected %lld\n", i,
			    (long long)got[i], (long long)want[i]);
			fail();
		}
		sum += got[i];
	}
	if (n > 0 && sum != 0)
		assert_int_equal(sum, 1000);
}

static void
test_fmt_shares_tenths(void **state)
{
	/* 1/3 each: 333.3 → floors 999, the one leftover to the first */
	static const int64_t c1[] = { 1, 1, 1 }, w1[] = { 334, 333, 333 };
	/* sum 7: 2/7 = 285.714 (rem 5/7), 1/7 = 142.857 (rem 6/7); floors
	 * 285 × 3 + 142 = 997, leftovers to 1/7 first, then the first two
	 * 2/7 */
	static const int64_t c2[] = { 2, 2, 2, 1 }, w2[] = { 286, 286, 285, 143 };
	/* sum 10,000: 4 is 0.04 % (0.4 tenths, below 0.05 %: keeps 0 even
	 * with the largest remainder); 2003 = 200.3, 7993 = 799.3; one
	 * leftover to 2003 (rem .3, earlier than 7993's .3) */
	static const int64_t c3[] = { 4, 2003, 7993 }, w3[] = { 0, 201, 799 };
	/* exact tenths: nothing to hand out */
	static const int64_t c4[] = { 250, 750, 0 }, w4[] = { 250, 750, 0 };
	/* counts near 2^63: no overflow (sum is 2^64 - 2) */
	static const int64_t c5[] = { INT64_MAX, INT64_MAX },
	    w5[] = { 500, 500 };
	static const int64_t c6[] = { INT64_MAX, 1 }, w6[] = { 1000, 0 };
	/* more leftovers than keys of 0.05 % or more: 1991 of 2001 is 995
	 * rem 5/2001, each 1 is 0 rem 1000/2001 and below 0.05 %; floors 995,
	 * five leftovers: 1991 first (although its remainder is the
	 * smallest), then the first four 1s (plain largest remainder would
	 * give five 1s 0.1 % and 1991 99.5 %) */
	static const int64_t c7[] = { 1991, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
	    w7[] = { 996, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0 };
	static const int64_t zero[] = { 0, 0 }, wz[] = { 0, 0 };
	static const int64_t neg[] = { 5, -1 };
	int64_t out[2];
	char buf[32];

	(void)state;
	tenths_are(c1, 3, w1);
	tenths_are(c2, 4, w2);
	tenths_are(c3, 3, w3);
	tenths_are(c4, 3, w4);
	tenths_are(c5, 2, w5);
	tenths_are(c6, 2, w6);
	tenths_are(c7, 11, w7);
	tenths_are(zero, 2, wz);
	assert_false(fmt_shares_tenths(neg, 2, out));
	assert_true(fmt_shares_tenths(NULL, 0, out));

	assert_string_equal(fmt_tenths_percent(345, 10, buf, sizeof(buf)),
	    "34.5%");
	assert_string_equal(fmt_tenths_percent(1000, 1, buf, sizeof(buf)),
	    "100.0%");
	assert_string_equal(fmt_tenths_percent(0, 4, buf, sizeof(buf)), "<0.1%");
	assert_string_equal(fmt_tenths_percent(0, 0, buf, sizeof(buf)), "0.0%");
	assert_string_equal(fmt_tenths_percent(7, 1, buf, sizeof(buf)), "0.7%");

	assert_string_equal(fmt_share(0.0004, buf, sizeof(buf)), "<0.1%");
	assert_string_equal(fmt_share(0.00049, buf, sizeof(buf)), "<0.1%");
	assert_string_equal(fmt_share(0.0005, buf, sizeof(buf)), "0.1%");
	assert_string_equal(fmt_share(0.0, buf, sizeof(buf)), "0.0%");
	assert_string_equal(fmt_share(0.345, buf, sizeof(buf)), "34.5%");
	assert_string_equal(fmt_share(1.0, buf, sizeof(buf)), "100.0%");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_int),
		cmocka_unit_test(test_fmt_round),
		cmocka_unit_test(test_fmt_percent),
		cmocka_unit_test(test_fmt_round_to),
		cmocka_unit_test(test_fmt_percent_half_away),
		cmocka_unit_test(test_fmt_shares_tenths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
