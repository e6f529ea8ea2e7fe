/* exsol-ensemble: a probability for every verdict. Each row of an exsol-gen output under
 * N parameter sets drawn from the tables' priors (or read from a member file), through
 * the chain's own stages in-process. Usage text and options only; the sampler is
 * libcore/data/members.c, the staging libcore/stages/ensemble.c. */
#include "exsol/cli.h"
#include "exsol/error.h"
#include "exsol/fit.h"
#include "exsol/members.h"
#include "exsol/msg.h"
#include "exsol/outfile.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the --help text: tools/help/exsol-ensemble.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum {
    OPT_MEMBERS = 2000,
    OPT_SEED,
    OPT_ENSEMBLE,
    OPT_WRITE_MEMBERS,
    OPT_MEMBER_VALUES,
    OPT_SENSITIVITY
};
static const struct option ens_opts[] = {
    {"members", required_argument, 0, OPT_MEMBERS},
    {"seed", required_argument, 0, OPT_SEED},
    {"ensemble", required_argument, 0, OPT_ENSEMBLE},
    {"write-members", required_argument, 0, OPT_WRITE_MEMBERS},
    {"member-values", required_argument, 0, OPT_MEMBER_VALUES},
    {"sensitivity", required_argument, 0, OPT_SENSITIVITY},
    {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    unsigned long long members, seed;
    int drawn_opts; /* --members or --seed given */
    const char *ensemble, *write_members, *member_values, *sensitivity;
};

static int whole(const char *opt, const char *arg, unsigned long long lo, unsigned long long hi,
                 unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!arg[0] || *end || errno || arg[0] == '-' || v < lo || v > hi) {
        exsol_error("%s needs a whole number from %llu to %llu, not '%s'", opt, lo, hi, arg);
        return 2;
    }
    *out = v;
    return 0;
}

static int ens_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    switch (opt) {
    case OPT_MEMBERS:
        a->drawn_opts = 1;
        return whole("--members", arg, 1, 1000000, &a->members);
    case OPT_SEED:
        a->drawn_opts = 1;
        return whole("--seed", arg, 0, ~0ULL, &a->seed);
    case OPT_ENSEMBLE:
        a->ensemble = arg;
        return 0;
    case OPT_WRITE_MEMBERS:
        a->write_members = arg;
        return 0;
    case OPT_MEMBER_VALUES:
        a->member_values = arg;
        return 0;
    case OPT_SENSITIVITY:
        a->sensitivity = arg;
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
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
    exsol_outfile *of[4] = {NULL, NULL, NULL, NULL};
    FILE *fp[4] = {NULL, NULL, NULL, NULL};
    char err[1024] = "";
    int rc, code;
    double t0 = exsol_wtime();
    memset(&a, 0, sizeof a);
    a.members = 64;
    a.seed = 1;
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    if (a.ensemble && a.drawn_opts) {
        exsol_error("--ensemble takes the members from its file: no --members or --seed");
        code = 2;
        goto cleanup;
    }
    const char *paths[4] = {a.cli.output, a.write_members, a.member_values, a.sensitivity};
    rc = a.ensemble
             ? exsol_members_load(a.ensemble, a.cli.params, &m, err, sizeof err)
             : exsol_members_draw(a.cli.params, (size_t)a.members, a.seed, &m, err, sizeof err);
    /* the outputs first, so a refused path fails before the members run */
    for (int k = 0; k < 4 && !rc; k++)
        if (paths[k])
            rc = exsol_outfile_open(paths[k], &of[k], &fp[k], err, sizeof err);
    struct exsol_stage_ensemble_opts o = {0};
    if (!rc)
        rc = exsol_ensemble_create(&e, a.cli.params, a.cli.input, m, &o, &exsol_cli_notes, err,
                                   sizeof err);
    if (!rc)
        rc = exsol_ensemble_run(e, err, sizeof err);
    if (!rc && (rc = exsol_ensemble_write(e, fp[0])))
        exsol_seterr(err, sizeof err, rc, "cannot write the table");
    if (!rc && fp[1] && (rc = exsol_ensemble_write_matrix(m, fp[1])))
        exsol_seterr(err, sizeof err, rc, "cannot write the members");
    if (!rc && fp[2] && (rc = exsol_ensemble_write_members(e, fp[2])))
        exsol_seterr(err, sizeof err, rc, "cannot write the member values");
    if (!rc && fp[3] && (rc = exsol_ensemble_write_sensitivity(e, fp[3])))
        exsol_seterr(err, sizeof err, rc, "cannot write the sensitivities");
    for (int k = 0; k < 4 && !rc; k++)
        if (of[k])
            rc = exsol_outfile_finish(of[k], err, sizeof err);
    for (int k = 0; k < 4 && !rc; k++)
        if (of[k]) {
            rc = exsol_outfile_commit(of[k], err, sizeof err);
            of[k] = NULL;
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
    for (int k = 0; k < 4; k++)
        exsol_outfile_abort(of[k]);
    exsol_ensemble_free(e);
    exsol_members_free(m);
    exsol_cli_release(&a.cli);
    return code;
}
