/* exsol-table: chosen variables of an exsol file as TSV or CSV on stdout, or one
 * candidate's curves. Usage text and options; the stage is libcore/stages/table.c. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the --help text: tools/help/exsol-table.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum { OPT_CSV = 2000, OPT_HEADER, OPT_NO_HEADER, OPT_ROW, OPT_VERBOSE };

static const struct option long_opts[] = {{"variables", required_argument, 0, 'v'},
                                          {"rows", required_argument, 0, 'n'},
                                          {"include", required_argument, 0, 'i'},
                                          {"exclude", required_argument, 0, 'e'},
                                          {"csv", no_argument, 0, OPT_CSV},
                                          {"header", no_argument, 0, OPT_HEADER},
                                          {"no-header", no_argument, 0, OPT_NO_HEADER},
                                          {"row", required_argument, 0, OPT_ROW},
                                          {"list", no_argument, 0, 'l'},
                                          {"quiet", no_argument, 0, 'q'},
                                          {"verbose", no_argument, 0, OPT_VERBOSE},
                                          {"help", no_argument, 0, 'h'},
                                          {"version", no_argument, 0, EXSOL_OPT_VERSION},
                                          {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    struct exsol_stage_table_opts o;
};

static int parse_count(const char *opt, const char *arg, long *out)
{
    char err[256];
    if (exsol_parse_long(arg, out, err, sizeof err) != EXSOL_OK) {
        exsol_error("option %s needs a whole number >= 0, got '%s'", opt, arg);
        return 2;
    }
    return 0;
}

static int table_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    switch (opt) {
    case 'v':
        free((char *)a->o.vars);
        a->o.vars = strdup(arg);
        if (!a->o.vars) {
            exsol_error("out of memory");
            return 1;
        }
        return 0;
    case 'n':
        return parse_count("-n/--rows", arg, &a->o.nrows);
    case 'i':
        a->o.include = arg;
        return 0;
    case 'e':
        a->o.exclude = arg;
        return 0;
    case OPT_ROW:
        return parse_count("--row", arg, &a->o.row);
    case OPT_CSV:
        a->o.csv = 1;
        return 0;
    case 'l':
        a->o.list = 1;
        return 0;
    case OPT_HEADER:
        a->o.header = 1;
        return 0;
    case OPT_NO_HEADER:
        a->o.header = 0;
        return 0;
    case OPT_VERBOSE: /* -v is --variables here */
        exsol_cli_option(&a->cli, 'v', NULL);
        return 0;
    default: /* -q, -h, --version */
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-table",
                                           .usage = exsol_tool_usage,
                                           .options = long_opts,
                                           .shortopts = "v:n:i:e:lqh",
                                           .option = table_option,
                                           .flags = EXSOL_CLI_OWN_OPTIONS};

int main(int argc, char **argv)
{
    struct args a;
    exsol_ds *ds = NULL;
    char err[1024];
    memset(&a, 0, sizeof a);
    a.o.nrows = -1;
    a.o.row = -1;
    a.o.header = 1;
    int rc = 0;
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        rc = a.cli.exit_code;
        goto done;
    }
    a.o.input = a.cli.input;
    if ((rc = exsol_ds_open(a.cli.input, &ds, err, sizeof err)) != 0) {
        exsol_error("%s", err);
        rc = exsol_exit_code(rc);
        goto done;
    }
    rc = exsol_table_print(ds, &a.o, stdout, &exsol_cli_notes);
    rc = rc ? exsol_exit_code(rc) : 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        exsol_error("cannot write to stdout: %s", strerror(errno));
        if (rc == 0)
            rc = 1;
    }
done:
    free((char *)a.o.vars);
    exsol_ds_close(ds);
    exsol_cli_release(&a.cli);
    return rc;
}
