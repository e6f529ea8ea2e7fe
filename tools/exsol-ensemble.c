/* exsol-ensemble: a probability for every verdict. Each row of an exsol-gen output under
 * N parameter sets drawn from the tables' priors (or read from a member file), through
 * the chain's own stages in-process. Usage text and options only; the sampler is
 * libcore/data/members.c, the staging libcore/stages/ensemble.c. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/msg.h"
#include "exsol/outfile.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the --help text: tools/help/exsol-ensemble.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum {
    OPT_WRITE_MEMBERS = 2000,
    OPT_MEMBER_VALUES,
    OPT_SENSITIVITY,
    OPT_SOBOL,
    OPT_SOBOL_PARAMS,
    OPT_SOBOL_FAMILIES,
    OPT_SOBOL_FAMILY,
    OPT_NETCDF,
    OPT_KEEP_MEMBERS,
    OPT_BLOCK_ROWS
};
static const struct option ens_opts[] = {
    EXSOL_CLI_MEMBERS_LONGOPTS,
    {"write-members", required_argument, 0, OPT_WRITE_MEMBERS},
    {"member-values", required_argument, 0, OPT_MEMBER_VALUES},
    {"sensitivity", required_argument, 0, OPT_SENSITIVITY},
    {"sobol", required_argument, 0, OPT_SOBOL},
    {"sobol-params", required_argument, 0, OPT_SOBOL_PARAMS},
    {"sobol-families", required_argument, 0, OPT_SOBOL_FAMILIES},
    {"sobol-family", required_argument, 0, OPT_SOBOL_FAMILY},
    {"netcdf", required_argument, 0, OPT_NETCDF},
    {"keep-members", no_argument, 0, OPT_KEEP_MEMBERS},
    {"block-rows", required_argument, 0, OPT_BLOCK_ROWS},
    {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    struct exsol_cli_members mo;
    const char *write_members, *member_values, *sensitivity, *sobol, *sobol_params, *netcdf;
    const char *sobol_families, *sobol_family;
    int keep_members;
    unsigned long long block_rows;
};

static int ens_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    switch (opt) {
    case OPT_WRITE_MEMBERS:
        a->write_members = arg;
        return 0;
    case OPT_MEMBER_VALUES:
        a->member_values = arg;
        return 0;
    case OPT_SENSITIVITY:
        a->sensitivity = arg;
        return 0;
    case OPT_SOBOL:
        a->sobol = arg;
        return 0;
    case OPT_SOBOL_PARAMS:
        a->sobol_params = arg;
        return 0;
    case OPT_SOBOL_FAMILIES:
        a->sobol_families = arg;
        return 0;
    case OPT_SOBOL_FAMILY:
        a->sobol_family = arg;
        return 0;
    case OPT_NETCDF:
        a->netcdf = arg;
        return 0;
    case OPT_KEEP_MEMBERS:
        a->keep_members = 1;
        return 0;
    case OPT_BLOCK_ROWS:
        return exsol_cli_whole("--block-rows", arg, 1, 100000000, &a->block_rows);
    default:
        return exsol_cli_members_option(&a->mo, opt, arg);
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-ensemble",
                                           .stages = "ensemble+reduce+defects+transport+"
                                                     "magnet+rank",
                                           .usage = exsol_tool_usage,
                                           .options = ens_opts,
                                           .option = ens_option};

int main(int argc, char **argv)
{
    struct args a;
    exsol_members *m = NULL;
    exsol_ensemble *e = NULL;
    exsol_ds_out *nc = NULL;
    struct exsol_out_opts oo;
    enum { NOUT = 6 };
    exsol_outfile *of[NOUT] = {NULL};
    FILE *fp[NOUT] = {NULL};
    char err[1024] = "";
    int rc, code;
    double t0 = exsol_wtime();
    memset(&a, 0, sizeof a);
    exsol_cli_members_init(&a.mo);
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    if ((code = exsol_cli_members_check(&a.mo)) != 0)
        goto cleanup;
    if ((a.sobol || a.sobol_params || a.sobol_families) && (a.mo.ensemble || !a.sobol)) {
        exsol_error("%s", a.sobol          ? "--sobol draws its own design: no --ensemble"
                          : a.sobol_params ? "--sobol-params needs --sobol FILE"
                                           : "--sobol-families needs --sobol FILE");
        code = 2;
        goto cleanup;
    }
    if (a.sobol_family && !a.sobol_families) {
        exsol_error("--sobol-family needs --sobol-families FILE");
        code = 2;
        goto cleanup;
    }
    const char *paths[NOUT] = {a.cli.output,  a.write_members, a.member_values,
                               a.sensitivity, a.sobol,         a.sobol_families};
    int on_stdout = a.netcdf && strcmp(a.netcdf, "-") == 0;
    for (int k = 0; k < NOUT; k++)
        on_stdout += paths[k] && strcmp(paths[k], "-") == 0;
    if (on_stdout > 1) { /* two outputs would be interleaved on one stream */
        exsol_error("only one output can go to stdout ('-'); the table goes there unless "
                    "-o FILE is given");
        code = 2;
        goto cleanup;
    }
    rc = a.sobol ? exsol_cli_members_saltelli(&a.mo, a.cli.params, a.sobol_params, &m, err,
                                              sizeof err)
                 : exsol_cli_members_load(&a.mo, a.cli.params, &m, NULL, 0, err, sizeof err);
    /* the outputs first, so a refused path fails before the members run */
    for (int k = 0; k < NOUT && !rc; k++)
        if (paths[k])
            rc = exsol_outfile_open(paths[k], &of[k], &fp[k], err, sizeof err);
    struct exsol_stage_ensemble_opts o = {0};
    o.block_rows = (size_t)a.block_rows;
    if (!rc)
        rc = exsol_ensemble_create(&e, a.cli.params, a.cli.input, m, &o, &exsol_cli_notes, err,
                                   sizeof err);
    exsol_cli_out_opts(&a.cli, argc, argv, &oo, "exsol ensemble probabilities");
    if (!rc && a.sobol_families) /* a bad family list fails before the members run */
        rc = exsol_ensemble_set_families(e, a.sobol_family, err, sizeof err);
    if (!rc && a.netcdf && a.keep_members)
        rc = exsol_ensemble_keep_members(e, err, sizeof err);
    if (!rc && a.netcdf)
        rc = exsol_ensemble_netcdf_create(e, a.netcdf, &oo, &nc, err, sizeof err);
    /* the member values, sensitivities and Sobol indices are written block by block */
    if (!rc && (rc = exsol_ensemble_stream(e, fp[2], fp[3], fp[4], (size_t)a.mo.members)))
        exsol_seterr(err, sizeof err, rc, "cannot write the Sobol indices");
    if (!rc)
        rc = exsol_ensemble_run(e, err, sizeof err);
    if (!rc && nc &&
        !(rc = exsol_ensemble_write_netcdf(e, nc, a.cli.params, a.keep_members, err,
                                           sizeof err)))
        rc = exsol_ds_out_finish(nc, err, sizeof err);
    if (!rc && (rc = exsol_ensemble_write(e, fp[0])))
        exsol_seterr(err, sizeof err, rc, "cannot write the table");
    if (!rc && fp[1] && (rc = exsol_ensemble_write_matrix(m, fp[1])))
        exsol_seterr(err, sizeof err, rc, "cannot write the members");
    if (!rc && fp[5] &&
        (rc = exsol_ensemble_write_sobol_families(e, (size_t)a.mo.members, fp[5])))
        exsol_seterr(err, sizeof err, rc, "cannot write the family Sobol indices");
    for (int k = 0; k < NOUT && !rc; k++)
        if (of[k])
            rc = exsol_outfile_finish(of[k], err, sizeof err);
    for (int k = 0; k < NOUT && !rc; k++)
        if (of[k]) {
            rc = exsol_outfile_commit(of[k], err, sizeof err);
            of[k] = NULL;
        }
    if (!rc && nc) {
        rc = exsol_ds_out_close(nc, err, sizeof err);
        nc = NULL;
    }
    if (rc) {
        exsol_error("%s", err[0] ? err : exsol_strerror(rc));
        code = exsol_exit_code(rc);
        goto cleanup;
    }
    double dt = exsol_wtime() - t0;
    exsol_info("%zu rows x %zu members (%.2f s, %.3f s per member)", exsol_ensemble_rows(e),
               exsol_members_count(m), dt, dt / (double)exsol_members_count(m));
    code = 0;
cleanup:
    for (int k = 0; k < NOUT; k++)
        exsol_outfile_abort(of[k]);
    exsol_ds_out_abort(nc);
    exsol_ensemble_free(e);
    exsol_members_free(m);
    exsol_cli_release(&a.cli);
    return code;
}
