/* Options every tool shares, so that each tool's main stays short and they all
 * behave alike (bcftools/curl style):
 *   -o, --output FILE   output path ("-" = stdout, the default)
 *   -q, --quiet / -v, --verbose
 *   --threads N         OpenMP threads (default: all cores)
 *   --set NAME=VALUE    override a model parameter (repeatable)
 *   --params FILE       read parameter overrides from FILE
 *   --no-history        do not prepend to the `history` attribute
 *   -h, --help / --version
 * Usage:
 *   static const struct option opts[] = { {"foo",1,0,'f'}, EXSOL_CLI_LONGOPTS, {0,0,0,0} };
 *   struct exsol_cli cli; exsol_cli_init(&cli, "exsol-reduce", "reduce+defects");
 *   while ((c = getopt_long(argc, argv, "f:" EXSOL_CLI_SHORTOPTS, opts, NULL)) != -1) {
 *       int r = exsol_cli_option(&cli, c, optarg);     // 1 handled, 0 not ours, <0 error
 *       ...
 *   }
 *   exsol_cli_finish(&cli, argc, argv, optind);        // input path, threads, verbosity
 * The parameter registry (cli.params) is loaded by exsol_cli_init when `stages` is
 * non-NULL; --set/--params apply to it in command-line order. Errors are reported
 * through exsol_error() by these helpers (they belong to the tool side). */
#ifndef EXSOL_CLI_H
#define EXSOL_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "exsol/params.h"

enum {
    EXSOL_OPT_THREADS = 1000,
    EXSOL_OPT_SET,
    EXSOL_OPT_PARAMS,
    EXSOL_OPT_NO_HISTORY,
    EXSOL_OPT_VERSION
};

#define EXSOL_CLI_SHORTOPTS "o:qvh"
#define EXSOL_CLI_LONGOPTS                                                                \
    {"output", required_argument, 0, 'o'}, {"quiet", no_argument, 0, 'q'},                \
        {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},                  \
        {"threads", required_argument, 0, EXSOL_OPT_THREADS},                             \
        {"set", required_argument, 0, EXSOL_OPT_SET},                                     \
        {"params", required_argument, 0, EXSOL_OPT_PARAMS},                               \
        {"no-history", no_argument, 0, EXSOL_OPT_NO_HISTORY},                             \
        {"version", no_argument, 0, EXSOL_OPT_VERSION}

struct exsol_cli {
    const char *prog;
    const char *output;   /* default "-" */
    const char *input;    /* default "-" (set by exsol_cli_finish) */
    int no_history;
    int threads;          /* 0 = all cores */
    int help;             /* -h seen */
    int version;          /* --version seen */
    exsol_params *params; /* NULL if the tool has no parameters */
    int exit_code;        /* set when exsol_cli_option/finish fail: 2 or 3 */
};

/* Loads the parameter registry for `stages` (may be NULL). Returns 0 or an
 * EXSOL_* error (already reported). */
int exsol_cli_init(struct exsol_cli *cli, const char *prog, const char *stages);
/* Handles a common option. Returns 1 if handled, 0 if not a common option, -1 on
 * error (reported; cli->exit_code set). */
int exsol_cli_option(struct exsol_cli *cli, int opt, const char *arg);
/* After option parsing: takes at most one positional INPUT, applies --threads
 * (omp_set_num_threads) and verbosity. Returns 0 or -1 (reported). */
int exsol_cli_finish(struct exsol_cli *cli, int argc, char **argv, int optind_);
/* Prints the common-options block of the usage text to `fp`. */
void exsol_cli_common_help(FILE *fp);
/* Prints "<prog> (exsol) <version>" and library versions to stdout. */
void exsol_cli_print_version(const char *prog);
/* Output options derived from the command line (history, argv). */
struct exsol_out_opts;
void exsol_cli_out_opts(const struct exsol_cli *cli, int argc, char **argv,
                        struct exsol_out_opts *o, const char *title);
void exsol_cli_release(struct exsol_cli *cli);

#endif
