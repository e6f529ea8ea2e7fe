/* exsol-window: for each film of an exsol-gen output, the anneal window (temperature x
 * time) in which it switches both ways, found by search through the chain's own
 * stages. Usage text and options only; the staging is libcore/stages/window.c, the
 * search libcore/physics/window.c, the schema libcore/schema/window.csv. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: exsol-window [options] [INPUT]\n"
    "\n"
    "For each film of INPUT (exsol-gen output, '-' = stdin, the default), finds where in\n"
    "the anneal temperature-time plane the chain's verdict (exsol-rank's dual_switch:\n"
    "resistivity drop and room-temperature superparamagnet, with its constraints) holds:\n"
    "the lowest and highest temperature at each time sample, the shortest and longest\n"
    "time at each temperature, the window's extremes and widths, and what closes it on\n"
    "each side (limit_* flags: the verdict's and the chain's component flags at the\n"
    "point just outside: no exsolution, not metallic, blocked particles, process window,\n"
    "A-site budget ...). A film that never switches gets window_status 1 and the reason.\n"
    "Rows that differ only in T_anneal and t_anneal are one film (same formula, gas and\n"
    "thickness); the input's anneal temperature and time are not used.\n"
    "Search: a coarse scan in temperature (--T-step), then bisection of every interval\n"
    "whose verdict changes at any time sample, down to --T-tol; times are log-spaced\n"
    "samples --t-tol apart, and one integration serves every time sample of a\n"
    "temperature. Each round runs exsol-reduce, -transport and -magnet (the library\n"
    "stages) on temporary files in $TMPDIR, removed as they are read. Parameters: those\n"
    "of reduce, defects, transport, magnet and rank (--set NAME=VALUE, --params FILE).\n"
    "\n"
    "Output (NetCDF, one row per film on `candidate`): window_status, window_reason,\n"
    "formula, dopant, gas, thickness, input_row, T_window_min/max, t_window_min/max and\n"
    "the T or t there, T_window_width, t_window_decades, limit_T_low/high,\n"
    "limit_t_short/long, n_integrations, n_evaluations, n_rounds, grid_evaluations, and\n"
    "the boundary curves T_min_at_t, T_max_at_t (on t_window) and t_min_at_T, t_max_at_T\n"
    "(on T_window). The summary line gives the evaluations against the brute grid on\n"
    "the same lattice.\n"
    "\n"
    "Options:\n"
    "      --T-range A:B   anneal temperatures to search (default 450C:1000C; a unit on\n"
    "                      B alone applies to A too)\n"
    "      --t-range A:B   anneal times to search (default 0.1h:100h)\n"
    "      --T-tol D       temperature tolerance, the lattice step (default 5K)\n"
    "      --T-step D      coarse scan step, rounded to --T-tol times a power of two\n"
    "                      (default 40K)\n"
    "      --t-tol F       time tolerance: neighbouring samples differ by 1 + F\n"
    "                      (default 10%)\n"
    "      --refine-reasons also bisect where the verdict's reasons change between two\n"
    "                      failing points (finds a window pocket hidden between them;\n"
    "                      more evaluations)\n"
    "      --h2-range A:B  the gas axis: per film (its p_H2O kept), the lowest H2 partial\n"
    "                      pressure in A..B (as exsol-gen's --h2: 0.1%:100%, 100Pa:1bar)\n"
    "                      at which the T-t search still finds a window, by bisection on\n"
    "                      log p_H2; writes p_H2_window_min (fill and the reason when\n"
    "                      even B gives none) and h2_probes, and p_H2 and the window\n"
    "                      columns at that gas\n"
    "      --h2-tol F      relative tolerance of p_H2_window_min (default 10%)\n"
    "\n"
    "Exit status: 0 ok (also when no film has a window), 1 runtime failure, 2 usage error,\n"
    "3 invalid input (a range or tolerance without unit, empty or reversed, as in\n"
    "exsol-gen; not exsol-gen output; truncated); on error no output is written and an\n"
    "existing one is left unchanged.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \\\n"
    "      --h2 5% --h2o 3% --thickness 30nm | exsol-window -o window.nc\n"
    "  exsol-table -v formula,T_window_min,t_at_T_window_min,window_reason window.nc\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \\\n"
    "      --h2o 3% --thickness 30nm | exsol-window --h2-range 0.1%:5% \\\n"
    "      --T-range 500C:700C --t-range 1h:2h |\n"
    "      exsol-table -v formula,p_H2_window_min,T_window_min,window_reason -\n";

enum {
    OPT_T_RANGE = 2000,
    OPT_t_RANGE,
    OPT_T_TOL,
    OPT_T_STEP,
    OPT_t_TOL,
    OPT_REFINE,
    OPT_H2_RANGE,
    OPT_H2_TOL
};
static const struct option window_opts[] = {{"T-range", required_argument, 0, OPT_T_RANGE},
                                            {"t-range", required_argument, 0, OPT_t_RANGE},
                                            {"T-tol", required_argument, 0, OPT_T_TOL},
                                            {"T-step", required_argument, 0, OPT_T_STEP},
                                            {"t-tol", required_argument, 0, OPT_t_TOL},
                                            {"refine-reasons", no_argument, 0, OPT_REFINE},
                                            {"h2-range", required_argument, 0, OPT_H2_RANGE},
                                            {"h2-tol", required_argument, 0, OPT_H2_TOL},
                                            {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    struct exsol_stage_window_opts o;
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
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-window",
                                           .stages = "window+reduce+defects+transport+"
                                                     "magnet+rank",
                                           .usage = usage_text,
                                           .options = window_opts,
                                           .option = window_option};

int main(int argc, char **argv)
{
    struct args a;
    exsol_window *w = NULL;
    exsol_ds_out *o = NULL;
    struct exsol_out_opts oo;
    char err[1024] = "";
    int rc, code;
    double t0 = exsol_wtime();
    memset(&a, 0, sizeof a);
    exsol_stage_window_opts_default(&a.o);
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    exsol_cli_out_opts(&a.cli, argc, argv, &oo, "exsol process windows");
    /* the output first, so a refused stdout (a terminal) fails before the search */
    if (!(rc = exsol_window_create(&w, a.cli.params, a.cli.input, &a.o, &exsol_cli_notes, err,
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
    exsol_cli_release(&a.cli);
    return code;
}
