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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_int),
		cmocka_unit_test(test_fmt_round),
		cmocka_unit_test(test_fmt_percent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
