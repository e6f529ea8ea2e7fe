/* Options every tool shares, so that each tool's main stays short and they all
 * behave alike (bcftools/curl style):
 *   -o, --output FILE   output path ("-" = stdout, the default)
 *   -q, --quiet / -v, --verbose
 *   --threads N         OpenMP threads (default: all cores)
 *   --set NAME=VALUE    override a model parameter (repeatable)
 *   --params FILE       read parameter overrides from FILE
 *   --no-history        do not prepend to the `history` attribute
 *   -h, --help / --version
 * Most tools declare a struct exsol_cli_tool and call exsol_cli_start (below); the
 * pieces it is made of stay public for a tool that runs its own loop:
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

#include "exsol/params.h"

#include <getopt.h>
#include <stdio.h>

enum {
    EXSOL_OPT_THREADS = 1000,
    EXSOL_OPT_SET,
    EXSOL_OPT_PARAMS,
    EXSOL_OPT_NO_HISTORY,
    EXSOL_OPT_VERSION,
    EXSOL_OPT_COMPRESSION
};

#define EXSOL_CLI_SHORTOPTS "o:qvh"
#define EXSOL_CLI_LONGOPTS                                                                     \
    {"output", required_argument, 0, 'o'}, {"quiet", no_argument, 0, 'q'},                     \
        {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},                       \
        {"threads", required_argument, 0, EXSOL_OPT_THREADS},                                  \
        {"set", required_argument, 0, EXSOL_OPT_SET},                                          \
        {"params", required_argument, 0, EXSOL_OPT_PARAMS},                                    \
        {"no-history", no_argument, 0, EXSOL_OPT_NO_HISTORY},                                  \
        {"compression", required_argument, 0, EXSOL_OPT_COMPRESSION},                          \
    {                                                                                          \
        "version", no_argument, 0, EXSOL_OPT_VERSION                                           \
    }

struct exsol_cli {
    const char *prog;
    const char *output; /* default "-" */
    const char *input;  /* default "-" (set by exsol_cli_finish) */
    int no_history;
    int compression;      /* --compression: enum exsol_compression */
    int threads;          /* 0 = all cores */
    int help;             /* -h seen */
    int version;          /* --version seen */
    exsol_params *params; /* NULL if the tool has no parameters */
    int exit_code;        /* set when exsol_cli_option/finish fail: 2 or 3 */
};

/* A tool's command line, declared once (git/bcftools style): exsol_cli_start
 * initialises `cli`, parses argv and handles everything common, so a tool's main is
 *     static const struct exsol_cli_tool tool = {.prog = "exsol-x", .stages = "x",
 *                                                .usage = usage_text, ...};
 *     if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT)
 *         return a.cli.exit_code;   // help/version shown (0) or an error reported
 * Every option goes first to `option` (if any), which returns 0 when it took the
 * option, EXSOL_CLI_NOT_MINE to pass it on to the common options, or an exit status
 * 1..3 after reporting the error. An unknown option or a missing argument never
 * reaches `option`: exsol_cli_start prints one line in the same words for every tool
 * ("unknown option '--foo' (see --help)", "option '-o' needs an argument (see --help)")
 * and exits 2. */
enum {
    EXSOL_CLI_NO_INPUT = 1 << 0,    /* positional arguments refused ("reads no input file") */
    EXSOL_CLI_MANY_INPUTS = 1 << 1, /* positional arguments left to the tool (from optind) */
    EXSOL_CLI_OWN_OPTIONS = 1 << 2  /* `options`/`shortopts` are the whole option table:
                                       no EXSOL_CLI_LONGOPTS, no common help block */
};
enum { EXSOL_CLI_NOT_MINE = -1 };
enum { EXSOL_CLI_RUN = 0, EXSOL_CLI_EXIT = 1 };

struct exsol_cli_tool {
    const char *prog;
    const char *stages;           /* parameter registry to load, or NULL */
    const char *usage;            /* --help text; the common block follows it */
    const struct option *options; /* the tool's long options, {0}-terminated, or NULL */
    const char *shortopts;        /* the tool's short options, e.g. "c:g:", or NULL */
    int (*option)(void *ctx, int opt, const char *arg);
    unsigned flags; /* EXSOL_CLI_* above */
};

/* exsol_cli_init + option loop + help/version + exsol_cli_finish. Returns
 * EXSOL_CLI_RUN when the tool should go on, EXSOL_CLI_EXIT when it should return
 * cli->exit_code (0 after --help/--version, 1..3 after a reported error). */
int exsol_cli_start(struct exsol_cli *cli, const struct exsol_cli_tool *tool, int argc,
                    char **argv, void *ctx);

/* The body every filter stage (exsol-reduce, -transport, -magnet) shares: setup,
 * define the output, run over the candidates, close the output, one summary line
 * "<nrows> rows, <nfail> <failed> (<t> s)". `setup` may return EXSOL_ENOMEM
 * unreported ("out of memory" is said here); every other error the callbacks return
 * they have reported. `*out` is the output define_output created; it is closed here
 * and set to NULL (on failure the tool's cleanup aborts it). Returns the exit status. */
struct exsol_ds_out;
struct exsol_cli_stage {
    int (*setup)(void *ctx);
    int (*define_output)(void *ctx, int argc, char **argv);
    int (*run)(void *ctx, size_t *nrows, size_t *nfail);
    const char *failed; /* wording of the summary, e.g. "failed" */
};
/* Seconds a stage spends computing (the parallel per-candidate work, not reading,
 * writing or setting up): tools add to it, and the -v summary line reports it
 * beside the wall time, so the share of I/O can be read off any run. */
void exsol_cli_compute_add(double seconds);
/* -v: the model parameters in use, one debug line each (value in SI, origin). */
void exsol_cli_debug_params(const struct exsol_cli *cli);
double exsol_cli_compute_seconds(void);

int exsol_cli_run_stage(const struct exsol_cli_stage *st, void *ctx, struct exsol_ds_out **out,
                        int argc, char **argv);

/* A stage's notes (struct exsol_stage_notes) printed as exsol_warn, exsol_info or
 * exsol_debug lines. */
struct exsol_stage_notes;
extern const struct exsol_stage_notes exsol_cli_notes;

/* A filter tool's whole run over a stage of libcore/stages (exsol/stage.h): create
 * the stage from cli->params and cli->input, define the output from its schema,
 * run the block loop with a progress bar, close the output, print the summary
 * line; every error is reported. Returns the exit status. */
struct exsol_stage_type;
int exsol_cli_stage_run(struct exsol_cli *cli, const struct exsol_stage_type *st,
                        const void *opts, int argc, char **argv);
/* exsol_cli_start + exsol_cli_stage_run + exsol_cli_release: a filter tool's main.
 * `opts` is the stage's option struct, also the ctx of tool->option. */
int exsol_cli_stage_main(const struct exsol_cli_tool *tool, const struct exsol_stage_type *st,
                         void *opts, int argc, char **argv);

/* Output helpers for a stage's define_output, errors reported:
 * exsol_cli_out_create opens cli->output as a copy of `in` with the history and
 * title of the command line; exsol_cli_out_enddef takes the status of the tool's own
 * definitions: on 0 it records cli->params and ends define mode, otherwise it
 * reports the output's message (with a hint when the input already holds this
 * stage's variables, EXSOL_EFORMAT). Both return 0 or the EXSOL_* code. */
struct exsol_ds;
int exsol_cli_out_create(const struct exsol_cli *cli, int argc, char **argv, const char *title,
                         const struct exsol_ds *in, struct exsol_ds_out **out);
int exsol_cli_out_enddef(const struct exsol_cli *cli, struct exsol_ds_out *o, int rc);

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
/* The same, without --set/--params for a tool that has no model parameters. */
void exsol_cli_common_help_for(FILE *fp, int has_params);
/* Prints "<prog> (exsol) <version>" and library versions to stdout. */
void exsol_cli_print_version(const char *prog);
/* Output options derived from the command line (history, argv). */
struct exsol_out_opts;
void exsol_cli_out_opts(const struct exsol_cli *cli, int argc, char **argv,
                        struct exsol_out_opts *o, const char *title);
void exsol_cli_release(struct exsol_cli *cli);

/* The ensemble options of exsol-ensemble and exsol-window (tools/common/members_opt.c):
 * --members N (default 64) and --seed S (default 1) draw from the priors, --ensemble FILE
 * reads a member file; the two ways exclude each other. A tool lists
 * EXSOL_CLI_MEMBERS_LONGOPTS in its option table and passes its option codes on to
 * exsol_cli_members_option (an exit status, 0, or EXSOL_CLI_NOT_MINE). */
enum { EXSOL_CLI_OPT_MEMBERS = 1900, EXSOL_CLI_OPT_SEED, EXSOL_CLI_OPT_ENSEMBLE };
#define EXSOL_CLI_MEMBERS_LONGOPTS                                                             \
    {"members", required_argument, 0, EXSOL_CLI_OPT_MEMBERS},                                  \
        {"seed", required_argument, 0, EXSOL_CLI_OPT_SEED},                                    \
    {                                                                                          \
        "ensemble", required_argument, 0, EXSOL_CLI_OPT_ENSEMBLE                               \
    }
struct exsol_cli_members {
    unsigned long long members, seed;
    int drawn_opts; /* --members or --seed given */
    const char *ensemble;
};
struct exsol_members;
/* A whole-number option value in [lo, hi]: 0, or 2 (usage) with one line "OPT needs a
 * whole number from LO to HI, not 'ARG'" (tools/common/members_opt.c). */
int exsol_cli_whole(const char *opt, const char *arg, unsigned long long lo,
                    unsigned long long hi, unsigned long long *out);
void exsol_cli_members_init(struct exsol_cli_members *mo);
int exsol_cli_members_option(struct exsol_cli_members *mo, int opt, const char *arg);
/* 2 with a message when --ensemble comes with --members or --seed, else 0. */
int exsol_cli_members_check(const struct exsol_cli_members *mo);
/* Draws or reads the members for registry p; desc (may be NULL) says which, in words. */
/* The Saltelli design of exsol-ensemble --sobol over --members (the base sample) and
 * --seed, varying the comma-separated parameters of list (NULL: every drawn one). */
int exsol_cli_members_saltelli(const struct exsol_cli_members *mo, const exsol_params *p,
                               const char *list, struct exsol_members **m, char *err,
                               size_t errlen);
int exsol_cli_members_load(const struct exsol_cli_members *mo, const exsol_params *p,
                           struct exsol_members **m, char *desc, size_t desclen, char *err,
                           size_t errlen);

#endif
