/* exsol-cat: concatenates exsol files (shards of one run) along `candidate`.
 * The first file sets the variables, coordinates and parameters; every other
 * file must match them. With one input it converts between formats (e.g. a CDF5
 * pipe into a compressed NETCDF4 file with -o). */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* the --help text: tools/help/exsol-cat.txt, embedded at build time */
extern const char exsol_tool_usage[];

static const struct exsol_cli_tool tool = {
    .prog = "exsol-cat", .usage = exsol_tool_usage, .flags = EXSOL_CLI_MANY_INPUTS};

int main(int argc, char **argv)
{
    struct exsol_cli cli;
    char err[1024];
    exsol_ds *first = NULL, *next = NULL;
    exsol_ds_out *out = NULL;
    int rc = EXSOL_OK;
    if (exsol_cli_start(&cli, &tool, argc, argv, NULL) == EXSOL_CLI_EXIT) {
        exsol_cli_release(&cli);
        return cli.exit_code;
    }
    char *stdin_only[] = {"-"};
    char **inputs = optind < argc ? argv + optind : stdin_only;
    int ninputs = optind < argc ? argc - optind : 1;
    int nstdin = 0;
    for (int i = 0; i < ninputs; i++)
        nstdin += strcmp(inputs[i], "-") == 0;
    if (nstdin > 1) {
        exsol_error("stdin ('-') can be read only once");
        return 2;
    }

    double t0 = exsol_wtime();
    struct exsol_out_opts oo;
    exsol_cli_out_opts(&cli, argc, argv, &oo, NULL);
    if ((rc = exsol_ds_open(inputs[0], &first, err, sizeof err)) ||
        (rc = exsol_ds_out_create(cli.output, first, &oo, &out, err, sizeof err)) ||
        (rc = exsol_ds_out_enddef(out, err, sizeof err)))
        goto fail;
    size_t total = exsol_ds_ncandidates(first);
    for (int i = 1; i < ninputs; i++) {
        if ((rc = exsol_ds_open(inputs[i], &next, err, sizeof err)) ||
            (rc = exsol_ds_out_append(out, next, err, sizeof err)))
            goto fail;
        total += exsol_ds_ncandidates(next);
        exsol_debug("%s: %zu candidates", inputs[i], exsol_ds_ncandidates(next));
        exsol_ds_close(next);
        next = NULL;
    }
    rc = exsol_ds_out_close(out, err, sizeof err);
    out = NULL;
    if (rc)
        goto fail;
    exsol_info("%d file%s, %zu candidates, %.2f s", ninputs, ninputs == 1 ? "" : "s", total,
               exsol_wtime() - t0);
    exsol_ds_close(first);
    exsol_cli_release(&cli);
    return 0;
fail:
    exsol_error("%s", err);
    exsol_ds_out_abort(out);
    exsol_ds_close(next);
    exsol_ds_close(first);
    exsol_cli_release(&cli);
    return exsol_exit_code(rc);
}
