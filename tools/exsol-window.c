/* exsol-window: for each film of an exsol-gen output, the anneal window (temperature x
 * time) in which it switches both ways, found by search through the chain's own
 * stages. Usage text and options only; the staging is libcore/stages/window.c, the
 * search libcore/physics/window.c, the schema libcore/schema/window.csv. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/msg.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the --help text: tools/help/exsol-window.txt, embedded at build time */
extern const char exsol_tool_usage[];

enum {
    OPT_T_RANGE = 2000,
    OPT_t_RANGE,
    OPT_T_TOL,
    OPT_T_STEP,
    OPT_t_TOL,
    OPT_REFINE,
    OPT_H2_RANGE,
    OPT_H2_TOL,
    OPT_P_MIN
};
static const struct option window_opts[] = {{"T-range", required_argument, 0, OPT_T_RANGE},
                                            {"t-range", required_argument, 0, OPT_t_RANGE},
                                            {"T-tol", required_argument, 0, OPT_T_TOL},
                                            {"T-step", required_argument, 0, OPT_T_STEP},
                                            {"t-tol", required_argument, 0, OPT_t_TOL},
                                            {"refine-reasons", no_argument, 0, OPT_REFINE},
                                            {"h2-range", required_argument, 0, OPT_H2_RANGE},
                                            {"h2-tol", required_argument, 0, OPT_H2_TOL},
                                            {"p-min", required_argument, 0, OPT_P_MIN},
                                            EXSOL_CLI_MEMBERS_LONGOPTS,
                                            {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    struct exsol_stage_window_opts o;
    struct exsol_cli_members mo;
    int ensemble_form; /* --members, --seed, --ensemble or --p-min given */
};

/* exit 3 (invalid input) with the parser's message, as exsol-gen does */
static int refused(int rc, const char *err)
{
    if (rc)
        exsol_error("%s", err);
    return rc ? 3 : 0;
}

static int window_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    char err[256];
    switch (opt) {
    case OPT_T_RANGE:
        return refused(exsol_parse_range("--T-range", arg, EXSOL_QTY_TEMPERATURE, &a->o.T_lo_K,
                                         &a->o.T_hi_K, err, sizeof err),
                       err);
    case OPT_t_RANGE:
        return refused(exsol_parse_range("--t-range", arg, EXSOL_QTY_TIME, &a->o.t_lo_s,
                                         &a->o.t_hi_s, err, sizeof err),
                       err);
    case OPT_T_TOL:
        return refused(exsol_parse_delta_T("--T-tol", arg, &a->o.T_tol_K, err, sizeof err),
                       err);
    case OPT_T_STEP:
        return refused(exsol_parse_delta_T("--T-step", arg, &a->o.T_step_K, err, sizeof err),
                       err);
    case OPT_t_TOL:
        if (exsol_parse_quantity(arg, EXSOL_QTY_FRACTION, EXSOL_P_TOTAL_DEFAULT_PA, &a->o.t_tol,
                                 err, sizeof err) ||
            !(a->o.t_tol > 0)) {
            exsol_error("--t-tol needs a fraction > 0 such as 10%%, not '%s'", arg);
            return 3;
        }
        return 0;
    case OPT_H2_RANGE:
        if (refused(exsol_parse_range("--h2-range", arg, EXSOL_QTY_PRESSURE, &a->o.h2_lo_Pa,
                                      &a->o.h2_hi_Pa, err, sizeof err),
                    err))
            return 3;
        if (!(a->o.h2_lo_Pa > 0 && a->o.h2_hi_Pa > a->o.h2_lo_Pa)) {
            exsol_error("--h2-range needs a start below its end, both above 0 Pa, not '%s'",
                        arg);
            return 3;
        }
        return 0;
    case OPT_H2_TOL:
        if (exsol_parse_quantity(arg, EXSOL_QTY_FRACTION, EXSOL_P_TOTAL_DEFAULT_PA,
                                 &a->o.h2_tol, err, sizeof err) ||
            !(a->o.h2_tol > 0 && a->o.h2_tol <= 10)) {
            exsol_error("--h2-tol needs a fraction in (0, 1000%%] such as 10%%, not '%s'", arg);
            return 3;
        }
        return 0;
    case OPT_REFINE:
        a->o.refine_reasons = 1;
        return 0;
    case OPT_P_MIN:
        a->ensemble_form = 1;
        if (exsol_parse_quantity(arg, EXSOL_QTY_FRACTION, EXSOL_P_TOTAL_DEFAULT_PA, &a->o.p_min,
                                 err, sizeof err) ||
            !(a->o.p_min > 0 && a->o.p_min <= 1)) {
            exsol_error("--p-min needs a probability in (0, 1] such as 0.5 or 90%%, not '%s'",
                        arg);
            return 3;
        }
        return 0;
    default:
        a->ensemble_form |= opt == EXSOL_CLI_OPT_MEMBERS || opt == EXSOL_CLI_OPT_SEED ||
                            opt == EXSOL_CLI_OPT_ENSEMBLE;
        return exsol_cli_members_option(&a->mo, opt, arg);
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-window",
                                           .stages = "window+reduce+defects+transport+"
                                                     "magnet+rank",
                                           .usage = exsol_tool_usage,
                                           .options = window_opts,
                                           .option = window_option};

int main(int argc, char **argv)
{
    struct args a;
    exsol_members *m = NULL;
    char desc[600] = "";
    exsol_window *w = NULL;
    exsol_ds_out *o = NULL;
    struct exsol_out_opts oo;
    char err[1024] = "";
    int rc, code;
    double t0 = exsol_wtime();
    memset(&a, 0, sizeof a);
    exsol_stage_window_opts_default(&a.o);
    exsol_cli_members_init(&a.mo);
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    if ((code = exsol_cli_members_check(&a.mo)) != 0)
        goto cleanup;
    exsol_cli_out_opts(&a.cli, argc, argv, &oo, "exsol process windows");
    rc = a.ensemble_form ? exsol_cli_members_load(&a.mo, a.cli.params, &m, desc, sizeof desc,
                                                  err, sizeof err)
                         : 0;
    a.o.members = m;
    a.o.members_desc = desc;
    /* the output first, so a refused stdout (a terminal) fails before the search */
    if (!rc &&
        !(rc = exsol_window_create(&w, a.cli.params, a.cli.input, &a.o, &exsol_cli_notes, err,
                                   sizeof err)) &&
        !(rc = exsol_ds_out_create(a.cli.output, NULL, &oo, &o, err, sizeof err)) &&
        !(rc = exsol_window_run(w, err, sizeof err)) &&
        !(rc = exsol_window_write(w, o, a.cli.params, err, sizeof err))) {
        rc = exsol_ds_out_close(o, err, sizeof err);
        o = NULL;
    }
    if (rc) {
        exsol_error("%s", err[0] ? err : exsol_strerror(rc));
        code = exsol_exit_code(rc);
        goto cleanup;
    }
    exsol_window_note_totals(w, exsol_wtime() - t0);
    code = 0;
cleanup:
    exsol_ds_out_abort(o);
    exsol_window_free(w);
    exsol_members_free(m);
    exsol_cli_release(&a.cli);
    return code;
}
