/* main.c — talot: monthly bulletins of internet fixed-point observation. */
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"

static const char usage[] =
    "usage: talot COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  import  --db FILE CSV...            import observation CSV (one transaction)\n"
    "  ingest  --db FILE (--sensor NAME | --sensor-map FILE) --geoip FILE.mmdb\n"
    "          [--tz ZONE] [--exclude FILE] [--year YYYY] CAPTURE-OR-LOG...\n"
    "                                      count packets and firewall LOG lines\n"
    "  info    --db FILE [--csv]           months, sensors and coverage of a store\n"
    "  demo    --db FILE [--csv OUT]       write the deterministic sample store\n"
    "  render  --db FILE --month YYYY-MM [--to YYYY-MM] [--out DIR]\n"
    "          [--format pdf,xlsx] [--jobs N] [--template DIR] [--notes FILE.md]\n"
    "  export  --db FILE --month YYYY-MM --to YYYY-MM --out FILE.xlsx\n"
    "\n"
    "'talot COMMAND --help' describes a command; 'talot --version' prints the version.\n";

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "import", cmd_import }, { "ingest", cmd_ingest },
		{ "info", cmd_info },
		{ "demo", cmd_demo }, { "render", cmd_render },
		{ "export", cmd_export },
	};

	/* a file size limit (ulimit -f) is reported as a write error, not
	 * death by SIGXFSZ */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2)
		return cmd_usage_error(NULL, "missing command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("talot %s\n", TALOT_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmd_args_check(cmds[i].name, argc - 1,
			    argv + 1) != EXIT_OK ? EXIT_USAGE :
			    cmds[i].fn(argc - 1, argv + 1);
	return cmd_usage_error(NULL, "unknown command '%s'", argv[1]);
}
