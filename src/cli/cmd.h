/* cmd.h — the subcommands.  Each takes argv after the command name
 * (argv[0] is the command) and returns the process exit status:
 * 0 success, 1 data or I/O error, 2 usage error. */
#ifndef TALOT_CMD_H
#define TALOT_CMD_H

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

int cmd_import(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Prints "talot CMD: msg" and a hint to stderr; returns EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The options every command shares, for getopt_long's result c: --help
 * (prints help, EXIT_OK), a missing value and an unknown option (usage
 * errors). */
int cmd_option_other(const char *cmd, int c, const char *help, char **argv);

/* Refuses an empty argument, and an empty value of an option naming a file
 * (--db, --out, --template, --notes, --csv: "--db ''", "--out="), as a
 * usage error before the command parses argv (argv[0] is
 * the command): SQLite takes "" for a temporary database, so the data of
 * "import --db ''" would go nowhere.  Returns EXIT_OK or EXIT_USAGE. */
int cmd_args_check(const char *cmd, int argc, char **argv);

#endif
