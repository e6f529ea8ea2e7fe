/* exsol-reduce: the reducing anneal of every candidate — Ellingham driving force,
 * oxygen exchange, KWN nucleation/growth/coarsening of surface and buried metal
 * particles (libcore/physics/reduce.c, kwn.c, ellingham.c). Reads gen output, adds the
 * reduce variables of docs/schema.md (libcore/schema/reduce.csv); the stage is
 * libcore/stages/reduce.c. */
#include "exsol/cli.h"
#include "exsol/stage.h"

/* the --help text: tools/help/exsol-reduce.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum { OPT_DENSE = 2000 };
static const struct option options[] = {{"dense-fd", no_argument, 0, OPT_DENSE}, {0, 0, 0, 0}};

static int option(void *ctx, int opt, const char *arg)
{
    (void)arg;
    if (opt != OPT_DENSE)
        return EXSOL_CLI_NOT_MINE;
    ((struct exsol_stage_reduce_opts *)ctx)->dense_fd = 1;
    return 0;
}

static const struct exsol_cli_tool tool = {.prog = "exsol-reduce",
                                           .stages = "reduce+defects",
                                           .usage = exsol_tool_usage,
                                           .options = options,
                                           .option = option};

int main(int argc, char **argv)
{
    struct exsol_stage_reduce_opts opts = {0};
    return exsol_cli_stage_main(&tool, &exsol_stage_reduce, &opts, argc, argv);
}
