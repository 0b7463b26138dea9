#include <stdio.h>

#include "cmd.h"

int
cmd_render(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "talot render: not built yet\n");
	return EXIT_DATA;
}

int
cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "talot export: not built yet\n");
	return EXIT_DATA;
}
