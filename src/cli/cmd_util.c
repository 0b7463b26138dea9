#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* The options naming a file or folder. */
static bool
path_option(const char *a, size_t len)
{
	static const char *const names[] = { "--db", "--out", "--template",
		"--notes", "--csv", "--geoip", "--sensor-map",
		"--exclude" };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strlen(names[i]) == len && strncmp(a, names[i], len) == 0)
			return true;
	return false;
}

int
cmd_args_check(const char *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;

		if (strcmp(a, "--") == 0)
			break;
		eq = strchr(a, '=');
		if (eq != NULL && eq[1] == '\0' && path_option(a,
		    (size_t)(eq - a)))
			return cmd_usage_error(cmd, "%.*s needs a non-empty value",
			    (int)(eq - a), a);
		if (a[0] != '\0')
			continue;
		if (i > 1 && path_option(argv[i - 1], strlen(argv[i - 1])))
			return cmd_usage_error(cmd, "%s needs a non-empty value",
			    argv[i - 1]);
		if (i > 1 && strncmp(argv[i - 1], "--", 2) == 0 &&
		    strchr(argv[i - 1], '=') == NULL)
			continue;   /* another option's value: its own check */
		return cmd_usage_error(cmd, "an empty argument (argument %d)",
		    i);
	}
	return EXIT_OK;
}
