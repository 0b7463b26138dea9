#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"
#include "err.h"

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	char raw[ERR_MSG_MAX], msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	err_escape(msg, sizeof(msg), raw);   /* arguments echo input */
	fprintf(stderr, "talot%s%s: %s", cmd ? " " : "", cmd ? cmd : "", msg);
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
