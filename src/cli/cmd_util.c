#include <getopt.h>
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

int
cmd_option_other(const char *cmd, int c, const char *help, char **argv)
{
	if (c == 'h') {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if (c == ':')
		return cmd_usage_error(cmd, "%s needs a value", argv[optind - 1]);
	return cmd_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}
