/* exsol-gen: candidate films (composition × anneal conditions) as a NetCDF table.
 * Usage text and options only; the staging and the rows are libcore/stages/gen.c,
 * the physics libcore/physics/composition.c and grid.c, the schema
 * libcore/schema/gen.csv. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/stage.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* the --help text: tools/help/exsol-gen.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum {
    OPT_TEMPERATURE = 2000,
    OPT_TIME,
    OPT_H2,
    OPT_H2O,
    OPT_THICKNESS,
    OPT_VALENCE,
    OPT_SUBSTRATE,
    OPT_STRAIN
};
static const struct option gen_opts[] = {{"composition", required_argument, 0, 'c'},
                                         {"grid", required_argument, 0, 'g'},
                                         {"temperature", required_argument, 0, OPT_TEMPERATURE},
                                         {"time", required_argument, 0, OPT_TIME},
                                         {"h2", required_argument, 0, OPT_H2},
                                         {"h2o", required_argument, 0, OPT_H2O},
                                         {"thickness", required_argument, 0, OPT_THICKNESS},
                                         {"valence", required_argument, 0, OPT_VALENCE},
                                         {"substrate", required_argument, 0, OPT_SUBSTRATE},
                                         {"strain", required_argument, 0, OPT_STRAIN},
                                         {0, 0, 0, 0}};

struct gen_args {
    struct exsol_cli cli;
    struct exsol_stage_gen_opts o;
};

static int gen_option(void *ctx, int opt, const char *arg)
{
    struct gen_args *a = ctx;
    switch (opt) {
    case 'c':
        a->o.formulas[a->o.n_formulas++] = arg; /* room for argc */
        return 0;
    case 'g':
        if (a->o.grid_path) {
            exsol_error("--grid given twice");
            return 2;
        }
        a->o.grid_path = arg;
        return 0;
    case OPT_VALENCE:
        a->o.valence[a->o.n_valence++] = arg;
        return 0;
    case OPT_SUBSTRATE:
    case OPT_STRAIN: {
        const char **slot = opt == OPT_SUBSTRATE ? &a->o.substrate : &a->o.strain;
        if (*slot) {
            exsol_error("%s given twice (use a list a,b,c)",
                        opt == OPT_SUBSTRATE ? "--substrate" : "--strain");
            return 2;
        }
        *slot = arg;
        return 0;
    }
    case OPT_TEMPERATURE:
    case OPT_TIME:
    case OPT_H2:
    case OPT_H2O:
    case OPT_THICKNESS:
        if (a->o.proc[opt - OPT_TEMPERATURE]) {
            exsol_error("%s given twice (use a list a,b,c or a range a:b:step)",
                        exsol_gen_proc_flag[opt - OPT_TEMPERATURE]);
            return 2;
        }
        a->o.proc[opt - OPT_TEMPERATURE] = arg;
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-gen",
                                           .stages = "gen",
                                           .usage = exsol_tool_usage,
                                           .options = gen_opts,
                                           .shortopts = "c:g:",
                                           .option = gen_option,
                                           .flags = EXSOL_CLI_NO_INPUT};

int main(int argc, char **argv)
{
    struct gen_args a;
    exsol_gen *g = NULL;
    struct exsol_out_opts oo;
    char err[1024] = "";
    int rc, status = 0;

    memset(&a, 0, sizeof a);
    exsol_msg_init("exsol-gen");
    if (argc < 2) {
        exsol_error("no arguments: give --composition FORMULA or --grid FILE and the anneal "
                    "(see --help)");
        return 2;
    }
    if (!(a.o.formulas = calloc((size_t)argc, sizeof *a.o.formulas)) ||
        !(a.o.valence = calloc((size_t)argc, sizeof *a.o.valence))) {
        exsol_error("out of memory");
        status = 1;
        goto cleanup;
    }
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        status = a.cli.exit_code;
        goto cleanup;
    }
    exsol_cli_out_opts(&a.cli, argc, argv, &oo, "exsol candidate films");
    if ((rc = exsol_gen_create(&g, a.cli.params, &a.o, &exsol_cli_notes, err, sizeof err)) ||
        (rc = exsol_gen_write(g, a.cli.output, &oo, a.cli.params, err, sizeof err))) {
        exsol_error("%s", err);
        status = exsol_exit_code(rc);
        goto cleanup;
    }
cleanup:
    exsol_gen_free(g);
    free(a.o.formulas);
    free(a.o.valence);
    exsol_cli_release(&a.cli);
    return status;
}
