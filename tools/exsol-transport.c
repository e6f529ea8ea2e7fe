/* exsol-transport: carriers, mobility and resistivity of every candidate before and
 * after the reducing anneal (libcore/physics/transport.c, defects.c, mobility.c).
 * Reads the gen + reduce variables, adds the transport variables of docs/schema.md
 * (libcore/schema/transport.csv); the stage is libcore/stages/transport.c. */
#include "exsol/cli.h"
#include "exsol/stage.h"

/* the --help text: tools/help/exsol-transport.txt, embedded at build time */
extern const char exsol_tool_usage[];
static const struct exsol_cli_tool tool = {
    .prog = "exsol-transport", .stages = "transport+defects", .usage = exsol_tool_usage};

int main(int argc, char **argv)
{
    return exsol_cli_stage_main(&tool, &exsol_stage_transport, NULL, argc, argv);
}
