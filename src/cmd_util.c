#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "talot%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'talot %s%s--help')\n", cmd ? cmd : "",
	    cmd ? " " : "");
	return EXIT_USAGE;
}
