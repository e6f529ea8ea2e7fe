/* exsol-fit: the posterior of reduce's uncertain parameters given the fit anchors
 * (issue #14). Options and the call only; the calibration is libcore/stages/fit.c, the
 * sampler libcore/data/sampler.c, the posterior file libcore/io/posterior.c. */
#include "exsol/cli.h"
#include "exsol/error.h"
#include "exsol/fit.h"
#include "exsol/msg.h"
#include "exsol/outfile.h"
#include "exsol/posterior.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the --help text: tools/help/exsol-fit.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum {
    OPT_ANCHORS = 2000,
    OPT_FIT_PARAMS,
    OPT_WALKERS,
    OPT_STEPS,
    OPT_BURN,
    OPT_THIN,
    OPT_SEED,
    OPT_INIT,
    OPT_RESIDUALS,
    OPT_PREDICT
};
static const struct option fit_opts[] = {{"anchors", required_argument, 0, OPT_ANCHORS},
                                         {"fit-params", required_argument, 0, OPT_FIT_PARAMS},
                                         {"walkers", required_argument, 0, OPT_WALKERS},
                                         {"steps", required_argument, 0, OPT_STEPS},
                                         {"burn", required_argument, 0, OPT_BURN},
                                         {"thin", required_argument, 0, OPT_THIN},
                                         {"seed", required_argument, 0, OPT_SEED},
                                         {"init", required_argument, 0, OPT_INIT},
                                         {"residuals", required_argument, 0, OPT_RESIDUALS},
                                         {"predict", required_argument, 0, OPT_PREDICT},
                                         {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    struct exsol_fit_opts o;
    unsigned long long walkers, steps, burn, thin, seed, predict;
    int burn_given;
    const char *residuals;
};

static int fit_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    switch (opt) {
    case OPT_ANCHORS:
        a->o.anchors = arg;
        return 0;
    case OPT_FIT_PARAMS:
        a->o.fit_params = arg;
        return 0;
    case OPT_WALKERS:
        return exsol_cli_whole("--walkers", arg, 4, 100000, &a->walkers);
    case OPT_STEPS:
        return exsol_cli_whole("--steps", arg, 1, 10000000, &a->steps);
    case OPT_BURN:
        a->burn_given = 1;
        return exsol_cli_whole("--burn", arg, 0, 10000000, &a->burn);
    case OPT_THIN:
        return exsol_cli_whole("--thin", arg, 1, 10000000, &a->thin);
    case OPT_SEED:
        return exsol_cli_whole("--seed", arg, 0, ~0ULL, &a->seed);
    case OPT_PREDICT:
        return exsol_cli_whole("--predict", arg, 1, 100000, &a->predict);
    case OPT_INIT:
        if (strcmp(arg, "prior") && strcmp(arg, "ball")) {
            exsol_error("--init takes 'prior' or 'ball', not '%s'", arg);
            return 2;
        }
        a->o.init = strcmp(arg, "ball") == 0 ? EXSOL_FIT_INIT_BALL : EXSOL_FIT_INIT_PRIOR;
        return 0;
    case OPT_RESIDUALS:
        a->residuals = arg;
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-fit",
                                           .stages = "reduce+defects",
                                           .usage = exsol_tool_usage,
                                           .options = fit_opts,
                                           .option = fit_option,
                                           .flags = EXSOL_CLI_NO_INPUT};

int main(int argc, char **argv)
{
    struct args a;
    exsol_fit *f = NULL;
    exsol_posterior_file *pf = NULL;
    exsol_outfile *rf = NULL;
    FILE *rfp = NULL;
    char err[1024] = "";
    int rc, code;
    double t0 = exsol_wtime();
    memset(&a, 0, sizeof a);
    a.walkers = 32, a.steps = 1000, a.thin = 1, a.seed = 1, a.predict = 200;
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    a.o.walkers = (size_t)a.walkers, a.o.steps = (size_t)a.steps;
    a.o.burn = (size_t)(a.burn_given ? a.burn : a.steps / 2);
    a.o.thin = (size_t)a.thin, a.o.seed = a.seed, a.o.predict_members = (size_t)a.predict;
    a.o.notes = &exsol_cli_notes;
    /* the outputs first, so a refused path fails before the sampling */
    rc = exsol_posterior_open(a.cli.output, &pf, err, sizeof err);
    if (!rc && a.residuals)
        rc = exsol_outfile_open(a.residuals, &rf, &rfp, err, sizeof err);
    if (!rc)
        rc = exsol_fit_create(&f, a.cli.params, &a.o, err, sizeof err);
    if (!rc)
        rc = exsol_fit_run(f, err, sizeof err);
    if (!rc)
        rc = exsol_fit_write_posterior(f, pf, a.cli.no_history, argc, argv, err, sizeof err);
    if (!rc && rfp && (rc = exsol_fit_write_residuals(f, rfp)))
        exsol_seterr(err, sizeof err, rc, "cannot write the residual table");
    if (!rc && rf)
        rc = exsol_outfile_finish(rf, err, sizeof err);
    if (!rc) {
        rc = exsol_posterior_commit(pf, err, sizeof err);
        pf = NULL;
    }
    if (!rc && rf) {
        rc = exsol_outfile_commit(rf, err, sizeof err);
        rf = NULL;
    }
    if (rc) {
        exsol_error("%s", err[0] ? err : exsol_strerror(rc));
        code = exsol_exit_code(rc);
        goto cleanup;
    }
    exsol_info("%zu parameters, %llu walkers x %llu steps (%.1f s)", exsol_fit_nparams(f),
               a.walkers, a.steps, exsol_wtime() - t0);
    code = 0;
cleanup:
    exsol_posterior_abort(pf);
    exsol_outfile_abort(rf);
    exsol_fit_free(f);
    exsol_cli_release(&a.cli);
    return code;
}
