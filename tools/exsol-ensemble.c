/* exsol-ensemble: a probability for every verdict. Each row of an exsol-gen output under
 * N parameter sets drawn from the tables' priors (or read from a member file), through
 * the chain's own stages in-process. Usage text and options only; the sampler is
 * libcore/data/members.c, the staging libcore/stages/ensemble.c. */
#include "exsol/cli.h"
#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/msg.h"
#include "exsol/outfile.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: exsol-ensemble [options] [INPUT]\n"
    "\n"
    "For each row of INPUT (exsol-gen output, '-' = stdin, the default), the probability\n"
    "of the chain's verdicts over an ensemble of parameter sets: N members drawn from the\n"
    "priors of datasets/*-parameters.csv (column `prior`: every U parameter that is not\n"
    "`fixed`; Latin hypercube, counter-based, so the members depend on --seed and N alone,\n"
    "not on --threads), or the members of a file (--ensemble). Every row sees the same\n"
    "members (common random numbers: differences between rows are paired). A parameter\n"
    "given with --set or --params is held at that value in every member. Each member runs\n"
    "exsol-reduce, -transport and -magnet (the library stages) on temporary files in\n"
    "$TMPDIR, removed as they are read, and takes exsol-rank's verdict row by row.\n"
    "\n"
    "Output (TSV, one line per input row): input_row, formula, T_anneal (K), t_anneal (s),\n"
    "members, failed (members on which a stage failed: no switch there), P_metallic\n"
    "(compensated insulator -> degenerate metal, ratio constraint met), P_spm_300K\n"
    "(spm_300K_reduced), P_dual (exsol-rank's dual_switch) with its Wilson 90 % interval\n"
    "P_dual_lo90/hi90, and p10/p50/p90 over the members of log10_rho_ratio,\n"
    "M_300K_1T_reduced (A/m), surface_particle_density (m-2), surface_mean_diameter (m).\n"
    "\n"
    "Options:\n"
    "      --members N      draw N members (default 64)\n"
    "      --seed S         seed of the draws, a whole number (default 1)\n"
    "      --ensemble FILE  take the members from FILE instead (TSV: header 'member' and\n"
    "                       parameter names, one line per member; what\n"
    "                       --write-members writes)\n"
    "      --write-members FILE  write the members' parameter values to FILE\n"
    "      --member-values FILE  write every (row, member) verdict and value to FILE\n"
    "      --sensitivity FILE    write per row and drawn parameter Spearman's rank\n"
    "                       correlation with dual_switch and the four quantities\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error, 3 invalid input (not exsol-gen\n"
    "output, a bad member file); on error no output is written and an existing one is\n"
    "left unchanged.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --grid recipes/grids/lsnt.cfg | exsol-ensemble --members 64 --seed 1\n";

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
                                           .usage = usage_text,
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
             ? exsol_members_read(a.ensemble, a.cli.params, &m, err, sizeof err)
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
