/* exsol-gen: candidate films (composition × anneal conditions) as a NetCDF table.
 * Argument parsing and output layout only; the physics is in libcore/composition.c
 * and the grid format in libcore/grid.c. */
#include "exsol/cli.h"
#include "exsol/composition.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/grid.h"
#include "exsol/msg.h"
#include "exsol/params.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W_FORMULA 64
#define W_DOPANT 8
#define W_REASON EXSOL_REASON_MAX
#define MAX_ROWS 100000000.0

static const char usage_text[] =
    "Usage: exsol-gen [options] (--composition FORMULA | --grid FILE) --temperature T --time "
    "t\n"
    "\n"
    "Writes one row per candidate film: every composition (from --composition and/or the\n"
    "grid file) crossed with every anneal temperature, time, H2 and H2O partial pressure\n"
    "and film thickness. Per row: formula, site fractions, A-site vacancy a, as-grown\n"
    "oxygen deficiency delta from charge neutrality (or the net donor excess when delta = 0\n"
    "cannot compensate the cations), Goldschmidt t (r_A averaged over occupied A sites;\n"
    "also with vacancies as r = 0), Bartel tau, the process conditions in SI, and a\n"
    "feasibility flag (t outside [t_min, t_max] or tau >= tau_max) with its reason.\n"
    "\n"
    "Compositions:\n"
    "  -c, --composition F  formula, e.g. La0.2Sr0.7Ni0.1Ti0.9O3 (repeatable; O3-d and\n"
    "                       O3-δ accepted; missing A-site occupancy = A-site vacancy;\n"
    "                       B-site fractions must sum to 1; one dopant besides Ti)\n"
    "  -g, --grid FILE      grid file (key = value; see the README or exsol/grid.h):\n"
    "                       A_donor, A_host, x_donor, A_vacancy, dopant,\n"
    "                       dopant_fraction, include_formula, valence, and the process\n"
    "                       keys temperature, time, h2, h2o, thickness\n"
    "  --valence EL=V       oxidation state of an element (repeatable, e.g. Ni=3);\n"
    "                       defaults from datasets/elements.csv (Ni 2, Co 2, Fe 3, Cu 2,\n"
    "                       Mn 3, Ru 4, Nb 5); overrides the grid's valence lines\n"
    "Anneal (each: a value, a list a,b,c or a range start:stop:step, units required;\n"
    "a flag overrides the grid file's key):\n"
    "  --temperature T      e.g. 550C, 823.15K, 500C:900C:50C       (required)\n"
    "  --time t             e.g. 5h, 30min, 3600s, 1h,5h,20h          (required)\n"
    "  --h2 P               H2 partial pressure: 5%, 0.05bar, 5066Pa  (default 5%)\n"
    "  --h2o P              H2O partial pressure                      (default 3%)\n"
    "  --thickness L        film thickness: 30nm, 0.1um               (default 30nm)\n"
    "                       % and ppm are fractions of p_total (gen parameter, 1 atm)\n"
    "Parameters (datasets/gen-parameters.csv; --set NAME=VALUE): p_total, t_min, t_max,\n"
    "tau_max.\n"
    "\n"
    "Rows are ordered composition-major, then temperature, time, H2, H2O, thickness.\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error, 3 invalid input (unknown\n"
    "element, A-site fractions above 1, a value without unit, an empty range...); on\n"
    "error no output file is written and an existing one is left unchanged.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \\\n"
    "            --h2 5% --h2o 3% --thickness 30nm | exsol-table -v formula,delta_asgrown -\n";

enum { OPT_TEMPERATURE = 2000, OPT_TIME, OPT_H2, OPT_H2O, OPT_THICKNESS, OPT_VALENCE };
static const struct option gen_opts[] = {{"composition", required_argument, 0, 'c'},
                                         {"grid", required_argument, 0, 'g'},
                                         {"temperature", required_argument, 0, OPT_TEMPERATURE},
                                         {"time", required_argument, 0, OPT_TIME},
                                         {"h2", required_argument, 0, OPT_H2},
                                         {"h2o", required_argument, 0, OPT_H2O},
                                         {"thickness", required_argument, 0, OPT_THICKNESS},
                                         {"valence", required_argument, 0, OPT_VALENCE},
                                         {0, 0, 0, 0}};

static const char *const proc_flag[EXSOL_GRID_NPROC] = {"--temperature", "--time", "--h2",
                                                        "--h2o", "--thickness"};
static const enum exsol_qty_kind proc_kind[EXSOL_GRID_NPROC] = {
    EXSOL_QTY_TEMPERATURE, EXSOL_QTY_TIME, EXSOL_QTY_PRESSURE, EXSOL_QTY_PRESSURE,
    EXSOL_QTY_LENGTH};
static const char *const proc_default[EXSOL_GRID_NPROC] = {NULL, NULL, "5%", "3%", "30nm"};

/* What a row needs from a composition (compact: grids may hold 10^5+ of them). */
struct gen_comp {
    char formula[W_FORMULA];
    char dopant[W_DOPANT];
    int dopant_valence;
    int feasible;
    double z, a, x, x_div, delta, net, t, t_vz, tau, r_A, r_B;
    char *reason; /* NULL when feasible */
};

struct gen_args {
    struct exsol_cli cli;
    const char **formulas; /* from the command line */
    size_t n_formulas;
    const char **valence;
    size_t n_valence;
    const char *grid_path;
    const char *proc[EXSOL_GRID_NPROC];

    exsol_chem *chem;
    struct exsol_grid grid;
    struct gen_comp *comp;
    size_t n_comp, cap_comp;
    int warned_radius;
    double *pv[EXSOL_GRID_NPROC];
    size_t pn[EXSOL_GRID_NPROC];
};

static int push_str(const char ***v, size_t *n, const char *s)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return EXSOL_ENOMEM;
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

static void destroy_args(struct gen_args *a)
{
    free(a->formulas);
    free(a->valence);
    for (size_t i = 0; i < a->n_comp; i++)
        free(a->comp[i].reason);
    free(a->comp);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        free(a->pv[k]);
    exsol_grid_release(&a->grid);
    exsol_chem_free(a->chem);
    exsol_cli_release(&a->cli);
}

/* Adds one composition; unless `unique` (the grid already removed duplicates), one
 * whose canonical formula is already there is dropped. */
static int add_comp(struct gen_args *a, const char *formula, int unique,
                    const struct exsol_comp_limits *lim, char *err, size_t errlen)
{
    struct exsol_composition c;
    int rc = exsol_comp_parse(a->chem, formula, &c, err, errlen);
    if (rc)
        return rc;
    if (strlen(c.formula) >= W_FORMULA)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "formula '%s' longer than %d characters",
                            c.formula, W_FORMULA - 1);
    if (!unique)
        for (size_t i = 0; i < a->n_comp; i++)
            if (strcmp(a->comp[i].formula, c.formula) == 0)
                return 0;
    if (c.A_radius_fallback && !a->warned_radius) {
        exsol_warn("%s: an A-site ion has no CN XII radius; using the CN closest to 12 "
                   "(Bartel's rule, confidence U; not repeated for other formulas)",
                   c.formula);
        a->warned_radius = 1;
    }
    if (c.O_formula != 3.0 && fabs(c.O_formula - (3.0 - c.delta_asgrown)) > 1e-9)
        exsol_warn("%s: O%g ignored; the as-grown oxygen follows from neutrality "
                   "(O%g)",
                   formula, c.O_formula, 3.0 - c.delta_asgrown);
    exsol_comp_check(&c, lim);
    if (a->n_comp == a->cap_comp) {
        size_t cap = a->cap_comp ? 2 * a->cap_comp : 64;
        struct gen_comp *nc = realloc(a->comp, cap * sizeof *nc);
        if (!nc)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        a->comp = nc;
        a->cap_comp = cap;
    }
    struct gen_comp *g = &a->comp[a->n_comp];
    memset(g, 0, sizeof *g);
    memcpy(g->formula, c.formula, strlen(c.formula) + 1);
    memcpy(g->dopant, c.dopant, strlen(c.dopant) + 1);
    g->dopant_valence = c.dopant_valence;
    g->feasible = c.feasible;
    g->z = c.dopant_fraction;
    g->a = c.A_vacancy;
    g->x = c.A_donor_fraction;
    g->x_div = c.A_divalent_fraction;
    g->delta = c.delta_asgrown;
    g->net = c.net_donor_asgrown;
    g->t = c.tolerance_factor;
    g->t_vz = c.tolerance_factor_vacancy_zero;
    g->tau = c.bartel_tau;
    g->r_A = c.r_A_mean_m;
    g->r_B = c.r_B_mean_m;
    if (c.reason[0] && !(g->reason = strdup(c.reason)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    a->n_comp++;
    return 0;
}

/* Everything that can fail on the user's input happens here, before any output
 * exists. */
static int prepare(struct gen_args *a, char *err, size_t errlen)
{
    int rc;
    char msg[512];
    const exsol_params *p = a->cli.params;
    const double p_total = exsol_params_get(p, "p_total");
    const struct exsol_comp_limits lim = {exsol_params_get(p, "t_min"),
                                          exsol_params_get(p, "t_max"),
                                          exsol_params_get(p, "tau_max")};

    if ((rc = exsol_chem_load(&a->chem, err, errlen)) != 0)
        return rc;
    if (a->grid_path && (rc = exsol_grid_read(a->grid_path, a->chem, &a->grid, err, errlen)))
        return rc;
    for (size_t i = 0; i < a->n_valence; i++)
        if ((rc = exsol_chem_set_valence_str(a->chem, a->valence[i], msg, sizeof msg)) != 0)
            return exsol_seterr(err, errlen, rc, "--valence: %s", msg);

    for (int k = 0; k < EXSOL_GRID_NPROC; k++) {
        const char *s = a->proc[k], *where = proc_flag[k];
        char wbuf[600];
        if (!s && a->grid.proc[k]) {
            s = a->grid.proc[k];
            snprintf(wbuf, sizeof wbuf, "%s:%d: %s", a->grid_path, a->grid.proc_line[k],
                     exsol_grid_proc_key(k));
            where = wbuf;
        }
        if (!s)
            s = proc_default[k];
        if (!s)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                "missing %s (or '%s = ...' in the grid file)", proc_flag[k],
                                exsol_grid_proc_key(k));
        if ((rc = exsol_parse_list(s, proc_kind[k], p_total, &a->pv[k], &a->pn[k], msg,
                                   sizeof msg)) != 0)
            return exsol_seterr(err, errlen, rc, "%s: %s", where, msg);
    }

    for (size_t i = 0; i < a->grid.n_formulas; i++)
        if ((rc = add_comp(a, a->grid.formulas[i], 1, &lim, msg, sizeof msg)) != 0)
            return exsol_seterr(err, errlen, rc, "%s: %s", a->grid_path, msg);
    for (size_t i = 0; i < a->n_formulas; i++)
        if ((rc = add_comp(a, a->formulas[i], 0, &lim, err, errlen)) != 0)
            return rc;
    if (a->grid.n_skipped)
        exsol_info("%s: %zu sweep points skipped (A-site fractions would be negative)",
                   a->grid_path, a->grid.n_skipped);
    if (a->grid_path)
        exsol_debug("%s: %zu compositions (%zu duplicates dropped)", a->grid_path,
                    a->grid.n_formulas, a->grid.n_duplicates);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        exsol_debug("%s: %zu value%s", proc_flag[k], a->pn[k], a->pn[k] == 1 ? "" : "s");

    double rows = (double)a->n_comp;
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        rows *= (double)a->pn[k];
    if (rows > MAX_ROWS)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%.0f candidates requested; more than %.0f is surely a typo", rows,
                            MAX_ROWS);
    return 0;
}

/* The output variables, attributes included: libcore/schema/gen.csv. */
static int define_output(exsol_ds_out *o, const exsol_params *p, char *err, size_t errlen)
{
    int rc = exsol_schema_define(&exsol_schema_gen, NULL, NULL, o);
    if (!rc)
        rc = exsol_ds_out_put_params(o, p);
    if (rc)
        return exsol_seterr(err, errlen, rc, "cannot define the output variables: %s",
                            exsol_strerror(rc));
    return 0;
}

/* Copies into a zeroed fixed-width slot, truncating (lengths are checked earlier). */
static void copy_text(char *slot, size_t width, const char *s)
{
    size_t n = strlen(s);
    memcpy(slot, s, n < width ? n : width - 1);
}

static int write_rows(struct gen_args *a, exsol_ds_out *o, char *err, size_t errlen)
{
    size_t nproc = 1;
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        nproc *= a->pn[k];
    const size_t nrows = a->n_comp * nproc;
    const size_t B = EXSOL_BLOCK;
    enum {
        D_Z,
        D_A,
        D_X,
        D_DIV,
        D_DELTA,
        D_NET,
        D_T,
        D_TVZ,
        D_TAU,
        D_RA,
        D_RB,
        D_TK,
        D_TS,
        D_H2,
        D_H2O,
        D_THK,
        ND
    };
    static const char *const dname[ND] = {"dopant_fraction",
                                          "A_vacancy",
                                          "A_donor_fraction",
                                          "A_divalent_fraction",
                                          "delta_asgrown",
                                          "net_donor_asgrown",
                                          "tolerance_factor",
                                          "tolerance_factor_vacancy_zero",
                                          "bartel_tau",
                                          "r_A_mean",
                                          "r_B_mean",
                                          "T_anneal",
                                          "t_anneal",
                                          "p_H2",
                                          "p_H2O",
                                          "thickness"};
    double *d = malloc(ND * B * sizeof *d);
    int *iv = malloc(2 * B * sizeof *iv);
    char *tf = malloc(B * W_FORMULA), *td = malloc(B * W_DOPANT), *tr = malloc(B * W_REASON);
    int rc = 0;
    if (!d || !iv || !tf || !td || !tr) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t start = 0; start < nrows && !rc; start += B) {
        size_t cnt = nrows - start < B ? nrows - start : B;
        memset(tf, 0, cnt * W_FORMULA);
        memset(td, 0, cnt * W_DOPANT);
        memset(tr, 0, cnt * W_REASON);
        for (size_t j = 0; j < cnt; j++) {
            size_t r = start + j, rem = r % nproc;
            const struct gen_comp *c = &a->comp[r / nproc];
            size_t idx[EXSOL_GRID_NPROC];
            for (int k = EXSOL_GRID_NPROC - 1; k >= 0; k--) {
                idx[k] = rem % a->pn[k];
                rem /= a->pn[k];
            }
            d[D_Z * B + j] = c->z;
            d[D_A * B + j] = c->a;
            d[D_X * B + j] = c->x;
            d[D_DIV * B + j] = c->x_div;
            d[D_DELTA * B + j] = c->delta;
            d[D_NET * B + j] = c->net;
            d[D_T * B + j] = c->t;
            d[D_TVZ * B + j] = c->t_vz;
            d[D_TAU * B + j] = c->tau;
            d[D_RA * B + j] = c->r_A;
            d[D_RB * B + j] = c->r_B;
            for (int k = 0; k < EXSOL_GRID_NPROC; k++)
                d[(D_TK + k) * B + j] = a->pv[k][idx[k]];
            iv[j] = c->dopant_valence;
            iv[B + j] = c->feasible;
            copy_text(tf + j * W_FORMULA, W_FORMULA, c->formula);
            copy_text(td + j * W_DOPANT, W_DOPANT, c->dopant);
            copy_text(tr + j * W_REASON, W_REASON, c->reason ? c->reason : "");
        }
        for (int k = 0; k < ND && !rc; k++)
            rc = exsol_ds_out_write_double(o, dname[k], start, cnt, d + (size_t)k * B, err,
                                           errlen);
        if (!rc)
            rc = exsol_ds_out_write_int(o, "dopant_valence", start, cnt, iv, err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_int(o, "feasible", start, cnt, iv + B, err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_text(o, "formula", start, cnt, tf, W_FORMULA, err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_text(o, "dopant", start, cnt, td, W_DOPANT, err, errlen);
        if (!rc)
            rc =
                exsol_ds_out_write_text(o, "gen_reason", start, cnt, tr, W_REASON, err, errlen);
    }
cleanup:
    free(d);
    free(iv);
    free(tf);
    free(td);
    free(tr);
    return rc;
}

static int gen_option(void *ctx, int opt, const char *arg)
{
    struct gen_args *a = ctx;
    switch (opt) {
    case 'c':
        return push_str(&a->formulas, &a->n_formulas, arg) ? 1 : 0;
    case 'g':
        if (a->grid_path) {
            exsol_error("--grid given twice");
            return 2;
        }
        a->grid_path = arg;
        return 0;
    case OPT_VALENCE:
        return push_str(&a->valence, &a->n_valence, arg) ? 1 : 0;
    case OPT_TEMPERATURE:
    case OPT_TIME:
    case OPT_H2:
    case OPT_H2O:
    case OPT_THICKNESS:
        if (a->proc[opt - OPT_TEMPERATURE]) {
            exsol_error("%s given twice (use a list a,b,c or a range a:b:step)",
                        proc_flag[opt - OPT_TEMPERATURE]);
            return 2;
        }
        a->proc[opt - OPT_TEMPERATURE] = arg;
        return 0;
    case '?': /* getopt is silent (opterr = 0): name the option here */
        if (optopt && optopt < 256)
            exsol_error("unknown or incomplete option '-%c' (see --help)", optopt);
        else
            exsol_error("unknown or incomplete option '%s' (see --help)", arg);
        return 2;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-gen",
                                           .stages = "gen",
                                           .usage = usage_text,
                                           .options = gen_opts,
                                           .shortopts = "c:g:",
                                           .option = gen_option,
                                           .flags = EXSOL_CLI_NO_INPUT};

/* Creates the output, defines and writes every row, closes it; on failure nothing
 * is left at the output path. */
static int write_output(struct gen_args *a, int argc, char **argv, char *err, size_t errlen)
{
    exsol_ds_out *o = NULL;
    struct exsol_out_opts oo;
    int rc;
    exsol_cli_out_opts(&a->cli, argc, argv, &oo, "exsol candidate films");
    if ((rc = exsol_ds_out_create(a->cli.output, NULL, &oo, &o, err, errlen)) != 0 ||
        (rc = define_output(o, a->cli.params, err, errlen)) != 0 ||
        (rc = exsol_ds_out_enddef(o, err, errlen)) != 0 ||
        (rc = write_rows(a, o, err, errlen)) != 0) {
        exsol_ds_out_abort(o);
        return rc;
    }
    return exsol_ds_out_close(o, err, errlen);
}

static void summary(const struct gen_args *a, double t0)
{
    size_t nproc = 1, infeasible = 0;
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        nproc *= a->pn[k];
    for (size_t i = 0; i < a->n_comp; i++)
        infeasible += !a->comp[i].feasible;
    exsol_info("%zu candidates (%zu compositions x %zu anneals), %zu compositions "
               "flagged infeasible, %.2f s",
               a->n_comp * nproc, a->n_comp, nproc, infeasible, exsol_wtime() - t0);
}

int main(int argc, char **argv)
{
    struct gen_args a;
    char err[1024] = "";
    int rc, status = 0;
    double t0 = exsol_wtime();

    memset(&a, 0, sizeof a);
    exsol_msg_init("exsol-gen");
    if (argc < 2) {
        exsol_error("no arguments: give --composition FORMULA or --grid FILE and the anneal "
                    "(see --help)");
        return 2;
    }
    opterr = 0; /* gen_option names a bad option itself */
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        status = a.cli.exit_code;
        goto cleanup;
    }
    if (!a.n_formulas && !a.grid_path) {
        exsol_error("give --composition FORMULA or --grid FILE (see --help)");
        status = 2;
        goto cleanup;
    }
    if ((rc = prepare(&a, err, sizeof err)) != 0 ||
        (rc = write_output(&a, argc, argv, err, sizeof err)) != 0) {
        exsol_error("%s", err);
        status = exsol_exit_code(rc);
        goto cleanup;
    }
    summary(&a, t0);
cleanup:
    destroy_args(&a);
    return status;
}
