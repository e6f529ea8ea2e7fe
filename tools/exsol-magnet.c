/* exsol-magnet: magnetisation of every candidate before and after the reducing anneal
 * (libcore/physics/magnet.c). Reads the gen + reduce variables, adds the magnet
 * variables of docs/schema.md (libcore/schema/magnet.csv); the stage is
 * libcore/stages/magnet.c. */
#include "exsol/cli.h"
#include "exsol/stage.h"

/* the --help text: tools/help/exsol-magnet.txt, embedded at build time */
extern const char exsol_tool_usage[];
static const struct exsol_cli_tool tool = {
    .prog = "exsol-magnet", .stages = "magnet", .usage = exsol_tool_usage};

int main(int argc, char **argv)
{
    return exsol_cli_stage_main(&tool, &exsol_stage_magnet, NULL, argc, argv);
}
