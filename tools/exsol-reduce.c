/* exsol-reduce: the reducing anneal of every candidate — Ellingham driving force,
 * oxygen exchange, KWN nucleation/growth/coarsening of surface and buried metal
 * particles (libcore/physics/reduce.c, kwn.c, ellingham.c). Reads gen output, adds the
 * reduce variables of docs/schema.md. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/reduce.h"

#define FILL_INT (-2147483647) /* NC_FILL_INT */
#define REASON_WIDTH 128
#define DOPANT_WIDTH 16

static const char usage_text[] =
    "Usage: exsol-reduce [options] [INPUT]\n"
    "\n"
    "Simulates the reducing anneal of every candidate film of INPUT (exsol-gen output;\n"
    "'-' = stdin, the default) and adds: reduce_status/reduce_reason, pO2_gas,\n"
    "pO2_eq_oxide, log10_pO2_margin, x_eq_dopant, D_eff, exsolvable_fraction,\n"
    "exsolved_fraction, delta_reduced, dopant_fraction_lattice, A_vacancy_reduced,\n"
    "A_donor_fraction_reduced, A_B_ratio, surface/buried particle densities and mean\n"
    "diameters, metal_volume_fraction, t_half, t_90, CVODE statistics; size\n"
    "distributions on `radius_bin` (surface per m2, buried per m3) and trajectories on\n"
    "`time` (log-spaced fractions of the anneal).\n"
    "Physics: gas pO2 from H2/H2O (datasets/gas.csv) against the M/MO line\n"
    "(datasets/oxides.csv, Holmes 1986), x_eq = (pO2/pO2_eq)^(v/4)/host_gamma; A-site\n"
    "budget min(z, a); surface-exchange-limited oxygen towards the defect equilibrium of\n"
    "the current cations; Kampmann-Wagner population balance of two populations with\n"
    "classical nucleation, Gibbs-Thomson growth and coarsening, integrated with CVODE\n"
    "(BDF, bordered-band Newton solver). Parameters: datasets/reduce-parameters.csv and\n"
    "datasets/defects-parameters.csv (override with --set NAME=VALUE or --params FILE).\n"
    "INPUT must hold dopant, dopant_fraction, dopant_valence, A_vacancy,\n"
    "A_donor_fraction, delta_asgrown, T_anneal, t_anneal, p_H2, p_H2O and thickness\n"
    "(exit 3 otherwise); rows with feasible = 0 get reduce_status 4, unphysical rows 2,\n"
    "solver failures 1; the batch always goes on. Rows that differ only in t_anneal\n"
    "share one integration, to the longest anneal (each row gets the bytes it gets\n"
    "alone), so a sweep of anneal times costs about its longest time.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |\n"
    "      exsol-reduce | exsol-table -v formula,exsolved_fraction,surface_particle_density -\n"
    "\n"
    "Options:\n"
    "  --dense-fd           use a dense matrix with CVODE's finite-difference Jacobian\n"
    "                       instead of the structured one (slow; for checking)\n";

static const char *const in_names[] = {"dopant_fraction", "dopant_valence", "A_vacancy",
                                       "A_donor_fraction", "delta_asgrown", "T_anneal",
                                       "t_anneal", "p_H2", "p_H2O", "thickness"};
enum { I_Z, I_V, I_A, I_X, I_D0, I_T, I_TS, I_H2, I_H2O, I_L, N_IN };

enum {
    O_PG, O_PE, O_MG, O_XEQ, O_DEFF, O_FEX, O_F, O_DR, O_ZL, O_AR, O_XR, O_AB, O_NS, O_DS,
    O_NB, O_DB, O_PHI, O_TH, O_T9, N_OD
};
static const struct {
    const char *name, *units, *long_name, *comment;
} out_d[N_OD] = {
    {"pO2_gas", "Pa", "oxygen partial pressure of the H2/H2O anneal gas",
     "(p_H2O/p_H2)^2 exp(2 dfG(H2O,g)/RT), datasets/gas.csv"},
    {"pO2_eq_oxide", "Pa", "equilibrium pO2 of the dopant's binary metal/oxide couple",
     "Holmes, O'Neill & Arculus 1986, linearised (datasets/oxides.csv); fill for no dopant"},
    {"log10_pO2_margin", "1", "log10(pO2_eq_oxide / pO2_gas)",
     "> 0: the gas can reduce the binary oxide; fill for no dopant"},
    {"x_eq_dopant", "1", "dopant per B site in equilibrium with the metal at the gas pO2",
     "(pO2_gas/pO2_eq)^(v/4)/host_gamma; fill for no dopant"},
    {"D_eff", "m2 s-1", "effective cation diffusivity at the anneal temperature", ""},
    {"exsolvable_fraction", "1", "fraction of the dopant that can leave the lattice",
     "limited by the A-site budget min(z, budget_factor a) and by x_eq"},
    {"exsolved_fraction", "1", "fraction f of the dopant that left the lattice", ""},
    {"delta_reduced", "1",
     "oxygen deficiency after the anneal, per formula unit of the renormalised host", ""},
    {"dopant_fraction_lattice", "1", "dopant left on the B site, renormalised (z')", ""},
    {"A_vacancy_reduced", "1", "A-site vacancies of the renormalised host (a')", ""},
    {"A_donor_fraction_reduced", "1", "trivalent A-site cations of the renormalised host (x')",
     ""},
    {"A_B_ratio", "1", "A/B cation ratio after the anneal", "(1 - a)/(1 - f z)"},
    {"surface_particle_density", "m-2", "surface (socketed) metal particles per area",
     "particles with radius >= r_detect"},
    {"surface_mean_diameter", "m", "number-mean diameter 2R of the surface particles",
     "radius of curvature of the caps; fill when there are no particles"},
    {"buried_particle_density", "m-3", "buried metal particles per volume",
     "particles with radius >= r_detect"},
    {"buried_mean_diameter", "m", "number-mean diameter of the buried particles",
     "fill when there are no particles"},
    {"metal_volume_fraction", "1", "exsolved metal volume per film volume (both populations)",
     ""},
    {"t_half", "s", "time at which half of the exsolvable dopant has left the lattice",
     "CVODE root; fill if not reached"},
    {"t_90", "s", "time at which 90 % of the exsolvable dopant has left the lattice",
     "CVODE root; fill if not reached"},
};

enum { OI_ST, OI_RHS, OI_JAC, OI_ETF, OI_CVF, N_OI };
static const struct {
    const char *name, *long_name;
} out_i[N_OI] = {
    {"cvode_steps", "CVODE steps for the candidate"},
    {"cvode_rhs_evals", "right-hand-side evaluations (including Jacobian set-up)"},
    {"cvode_jac_evals", "Jacobian evaluations"},
    {"cvode_err_test_fails", "CVODE local error test failures"},
    {"cvode_conv_fails", "CVODE nonlinear convergence failures"},
};

enum { T_F, T_D, T_NS, T_DS, T_NB, T_DB, T_S, N_TR };
static const struct {
    const char *name, *units, *long_name;
} out_t[N_TR] = {
    {"exsolved_fraction_t", "1", "exsolved fraction during the anneal"},
    {"delta_t", "1", "oxygen deficiency (renormalised host) during the anneal"},
    {"surface_particle_density_t", "m-2", "surface particle density during the anneal"},
    {"surface_mean_diameter_t", "m", "surface mean diameter during the anneal (fill if none)"},
    {"buried_particle_density_t", "m-3", "buried particle density during the anneal"},
    {"buried_mean_diameter_t", "m", "buried mean diameter during the anneal (fill if none)"},
    {"time_s", "s", "anneal time of each point on `time`"},
};

struct args {
    struct exsol_cli cli;
    int dense_fd;
    exsol_ds *ds;
    exsol_ds_out *out;
    exsol_ellingham *ell;
    struct exsol_reduce_model model;
    exsol_kwn_solver **solvers;
    int nthreads;
    int have_feasible;
    size_t n, nb, nt;
    double *in[N_IN];
    int *feasible;
    char *dopant;
    double *od[N_OD];
    int *oi[N_OI], *status;
    char *reason;
    double *surf, *bur, *traj[N_TR];
    double *radius, *timefrac;
    /* per block: inputs, runnable rows sorted into groups, group starts, outputs */
    struct exsol_reduce_input *rin, *gin;
    struct exsol_reduce_output *gout;
    size_t *order, *gstart;
};

static void destroy_data(struct args *a)
{
    for (int k = 0; k < N_IN; k++)
        free(a->in[k]);
    for (int k = 0; k < N_OD; k++)
        free(a->od[k]);
    for (int k = 0; k < N_OI; k++)
        free(a->oi[k]);
    for (int k = 0; k < N_TR; k++)
        free(a->traj[k]);
    free(a->feasible), free(a->dopant), free(a->status), free(a->reason);
    free(a->surf), free(a->bur), free(a->radius), free(a->timefrac);
    free(a->rin), free(a->gin), free(a->gout), free(a->order), free(a->gstart);
    if (a->solvers)
        for (int t = 0; t < a->nthreads; t++)
            exsol_kwn_solver_destroy(a->solvers[t]);
    free(a->solvers);
    exsol_ellingham_free(a->ell);
    exsol_ds_out_abort(a->out);
    exsol_ds_close(a->ds);
    exsol_cli_release(&a->cli);
}

static int setup(struct args *a)
{
    char err[256];
    int rc = exsol_ellingham_load(&a->ell, err, sizeof err);
    if (!rc)
        rc = exsol_reduce_model_from(a->cli.params, a->ell, &a->model, err, sizeof err);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    a->model.kwn.dense_fd = a->dense_fd;
    a->nb = a->model.kwn.nbins;
    a->nt = a->model.kwn.ntimes;
    a->nthreads = omp_get_max_threads();
    if (!(a->solvers = calloc((size_t)a->nthreads, sizeof *a->solvers)))
        return EXSOL_ENOMEM;
    for (int t = 0; t < a->nthreads; t++)
        if ((rc = exsol_kwn_solver_create(&a->model.kwn, &a->solvers[t], err, sizeof err))) {
            exsol_error("%s", err);
            return rc;
        }
    if ((rc = exsol_ds_open(a->cli.input, &a->ds, err, sizeof err)) != 0) {
        exsol_error("%s", err);
        return rc;
    }
    for (int k = 0; k < N_IN; k++)
        if (exsol_ds_var_kind(a->ds, in_names[k]) != EXSOL_VK_SCALAR) {
            exsol_error("input has no per-candidate variable '%s' (run exsol-gen first)",
                        in_names[k]);
            return EXSOL_EMISSINGVAR;
        }
    if (exsol_ds_var_kind(a->ds, "dopant") != EXSOL_VK_TEXT) {
        exsol_error("input has no per-candidate text variable 'dopant' (run exsol-gen first)");
        return EXSOL_EMISSINGVAR;
    }
    a->have_feasible = exsol_ds_var_kind(a->ds, "feasible") == EXSOL_VK_SCALAR;
    a->n = exsol_ds_ncandidates(a->ds);
    size_t B = EXSOL_BLOCK, nb = a->nb, nt = a->nt;
    for (int k = 0; k < N_IN; k++)
        if (!(a->in[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_OD; k++)
        if (!(a->od[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_OI; k++)
        if (!(a->oi[k] = malloc(B * sizeof(int))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_TR; k++)
        if (!(a->traj[k] = malloc(B * nt * sizeof(double))))
            return EXSOL_ENOMEM;
    a->feasible = malloc(B * sizeof(int));
    a->dopant = malloc(B * DOPANT_WIDTH);
    a->status = malloc(B * sizeof(int));
    a->reason = malloc(B * REASON_WIDTH);
    a->surf = malloc(B * nb * sizeof(double));
    a->bur = malloc(B * nb * sizeof(double));
    a->radius = malloc(nb * sizeof(double));
    a->timefrac = malloc(nt * sizeof(double));
    a->rin = malloc(B * sizeof *a->rin);
    a->gin = malloc(B * sizeof *a->gin);
    a->gout = malloc(B * sizeof *a->gout);
    a->order = malloc(B * sizeof *a->order);
    a->gstart = malloc((B + 1) * sizeof *a->gstart);
    if (!a->feasible || !a->dopant || !a->status || !a->reason || !a->surf || !a->bur ||
        !a->radius || !a->timefrac || !a->rin || !a->gin || !a->gout || !a->order || !a->gstart)
        return EXSOL_ENOMEM;
    memcpy(a->radius, exsol_kwn_radius(a->solvers[0]), nb * sizeof(double));
    double lf = log10(a->model.kwn.t_first_frac);
    for (size_t k = 0; k < nt; k++) /* as in kwn.c */
        a->timefrac[k] = (k + 1 == nt) ? 1.0 : pow(10.0, lf - lf * (double)k / (double)(nt - 1));
    return 0;
}

static int define_output(struct args *a, int argc, char **argv)
{
    char err[256];
    struct exsol_out_opts oo;
    exsol_cli_out_opts(&a->cli, argc, argv, &oo, "exsol reduce screen");
    int rc = exsol_ds_out_create(a->cli.output, a->ds, &oo, &a->out, err, sizeof err);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    exsol_ds_out *o = a->out;
    rc = exsol_ds_out_def_coord(o, "radius_bin", a->nb, "m",
                                "particle radius (bin centre, log-spaced finite volumes)",
                                a->radius);
    if (!rc)
        rc = exsol_ds_out_def_coord(o, "time", a->nt, "1",
                                    "anneal time as a fraction of t_anneal (log-spaced)",
                                    a->timefrac);
    if (!rc)
        rc = exsol_ds_out_def_int(o, "reduce_status", "1",
                                  "reduce status (0 ok, 1 solver failure, 2 invalid row, 4 not "
                                  "applicable: gen row infeasible)");
    if (!rc)
        rc = exsol_ds_out_def_text(o, "reduce_reason", REASON_WIDTH,
                                   "why the row failed, or a note (\"\" if none)");
    for (int k = 0; k < N_OD && !rc; k++) {
        rc = exsol_ds_out_def_double(o, out_d[k].name, NULL, out_d[k].units, out_d[k].long_name);
        if (!rc && out_d[k].comment[0])
            rc = exsol_ds_out_put_att_text(o, out_d[k].name, "comment", out_d[k].comment);
    }
    for (int k = 0; k < N_OI && !rc; k++)
        rc = exsol_ds_out_def_int(o, out_i[k].name, "1", out_i[k].long_name);
    if (!rc)
        rc = exsol_ds_out_def_fixed(o, "radius_bin_width", "radius_bin", "m",
                                    "width of each radius bin (finite volumes)",
                                    exsol_kwn_width(a->solvers[0]));
    if (!rc)
        rc = exsol_ds_out_def_double(o, "surface_size_distribution", "radius_bin", "m-2",
                                     "surface particles per film area in each radius bin");
    if (!rc)
        rc = exsol_ds_out_put_att_text(o, "surface_size_distribution", "comment",
                                       "spherical caps of radius R and contact angle "
                                       "wetting_angle_deg: volume cap_volume_factor (4 pi/3) R^3");
    if (!rc)
        rc = exsol_ds_out_put_att_double(
            o, "surface_size_distribution", "cap_volume_factor",
            exsol_kwn_wetting_factor(a->model.wetting_angle_rad));
    if (!rc)
        rc = exsol_ds_out_def_double(o, "buried_size_distribution", "radius_bin", "m-3",
                                     "buried particles per film volume in each radius bin");
    for (int k = 0; k < N_TR && !rc; k++)
        rc = exsol_ds_out_def_double(o, out_t[k].name, "time", out_t[k].units,
                                     out_t[k].long_name);
    if (!rc)
        rc = exsol_ds_out_put_params(o, a->cli.params);
    if (rc) {
        const char *m = exsol_ds_out_errmsg(o);
        exsol_error("%s%s", m[0] ? m : exsol_strerror(rc),
                    rc == EXSOL_EFORMAT ? " (has the input been through exsol-reduce?)" : "");
        return rc;
    }
    if ((rc = exsol_ds_out_enddef(o, err, sizeof err)) != 0)
        exsol_error("%s", err);
    return rc;
}

static double nz(double d) { return d > 0.0 ? d : NAN; }

/* Clears row k's outputs; fills *in and returns 1 if the row is to be run. */
static int row_input(struct args *a, size_t k, struct exsol_reduce_input *in, size_t *nfail)
{
    size_t nb = a->nb, nt = a->nt;
    char *reason = a->reason + k * REASON_WIDTH;
    double *sd = a->surf + k * nb, *bd = a->bur + k * nb;
    reason[0] = '\0';
    for (int j = 0; j < N_OD; j++)
        a->od[j][k] = NAN;
    for (int j = 0; j < N_OI; j++)
        a->oi[j][k] = 0;
    for (int j = 0; j < N_TR; j++)
        for (size_t i = 0; i < nt; i++)
            a->traj[j][k * nt + i] = NAN;
    for (size_t i = 0; i < nb; i++)
        sd[i] = bd[i] = NAN;
    if (a->have_feasible && a->feasible[k] != 1) {
        a->status[k] = 4;
        snprintf(reason, REASON_WIDTH, "gen row infeasible");
        (*nfail)++;
        return 0;
    }
    in->dopant = a->dopant + k * DOPANT_WIDTH;
    in->z = a->in[I_Z][k];
    in->valence = a->in[I_V][k];
    in->a_vac = a->in[I_A][k];
    in->x_donor = a->in[I_X][k];
    in->delta0 = a->in[I_D0][k];
    in->T_K = a->in[I_T][k];
    in->t_s = a->in[I_TS][k];
    in->pH2_Pa = a->in[I_H2][k];
    in->pH2O_Pa = a->in[I_H2O][k];
    in->L_m = a->in[I_L][k];
    return 1;
}

/* Stores the outputs of row k and releases o->kwn. */
static void store_row(struct args *a, size_t k, const struct exsol_reduce_input *inp,
                      struct exsol_reduce_output *op, size_t *nfail)
{
    size_t nb = a->nb, nt = a->nt;
    char *reason = a->reason + k * REASON_WIDTH;
    double *sd = a->surf + k * nb, *bd = a->bur + k * nb;
    const struct exsol_reduce_input in = *inp;
    struct exsol_reduce_output o = *op;
    a->status[k] = o.status;
    size_t rl = strlen(o.reason);
    if (rl >= REASON_WIDTH)
        rl = REASON_WIDTH - 1;
    memcpy(reason, o.reason, rl);
    reason[rl] = '\0';
    const struct exsol_kwn_stats *st = &o.kwn.stats;
    a->oi[OI_ST][k] = (int)st->steps;
    a->oi[OI_RHS][k] = (int)st->rhs_evals;
    a->oi[OI_JAC][k] = (int)st->jac_evals;
    a->oi[OI_ETF][k] = (int)st->err_test_fails;
    a->oi[OI_CVF][k] = (int)st->conv_fails;
    if (o.status != 0) {
        (*nfail)++;
        exsol_kwn_result_release(&o.kwn);
        return;
    }
    a->od[O_PG][k] = o.pO2_gas_Pa;
    a->od[O_PE][k] = o.pO2_eq_Pa;
    a->od[O_MG][k] = o.log10_margin;
    a->od[O_XEQ][k] = o.x_eq;
    a->od[O_DEFF][k] = o.D_eff_m2_s;
    a->od[O_FEX][k] = o.exsolvable_fraction;
    a->od[O_F][k] = o.exsolved_fraction;
    a->od[O_DR][k] = o.delta_reduced;
    a->od[O_ZL][k] = o.z_lattice;
    a->od[O_AR][k] = o.a_vac_reduced;
    a->od[O_XR][k] = o.x_donor_reduced;
    a->od[O_AB][k] = o.A_B_ratio;
    a->od[O_NS][k] = o.surface_density_m2;
    a->od[O_DS][k] = o.surface_mean_diameter_m;
    a->od[O_NB][k] = o.buried_density_m3;
    a->od[O_DB][k] = o.buried_mean_diameter_m;
    a->od[O_PHI][k] = o.metal_volume_fraction;
    a->od[O_TH][k] = o.t_half_s;
    a->od[O_T9][k] = o.t_90_s;
    const struct exsol_kwn_result *r = &o.kwn;
    for (size_t i = 0; i < nb; i++) {
        sd[i] = r->surface[i];
        bd[i] = r->buried[i];
    }
    for (size_t i = 0; i < nt; i++) {
        a->traj[T_F][k * nt + i] = r->f_t[i];
        a->traj[T_D][k * nt + i] = r->delta_t[i];
        a->traj[T_NS][k * nt + i] = r->ns_t[i];
        a->traj[T_DS][k * nt + i] = nz(r->ds_t[i]);
        a->traj[T_NB][k * nt + i] = r->nb_t[i];
        a->traj[T_DB][k * nt + i] = nz(r->db_t[i]);
        a->traj[T_S][k * nt + i] = r->time_frac[i] * in.t_s;
    }
    exsol_kwn_result_release(&o.kwn);
}

/* Rows that differ only in their anneal time (exsol_reduce_same_but_time) are
 * run as one group on one trajectory to the longest time (exsol_reduce_run_multi):
 * the same bytes as one by one, for about the cost of the longest. rows[] are the
 * group's row indices in the block, in[] and out[] its inputs and outputs. */
static void compute_group(struct args *a, exsol_kwn_solver *solver, const size_t *rows,
                          const struct exsol_reduce_input *in, size_t n,
                          struct exsol_reduce_output *out, size_t *nfail)
{
    if (exsol_reduce_run_multi(&a->model, solver, in, n, out) != EXSOL_OK) {
        for (size_t j = 0; j < n; j++) {
            exsol_kwn_result_release(&out[j].kwn);
            a->status[rows[j]] = 1;
            snprintf(a->reason + rows[j] * REASON_WIDTH, REASON_WIDTH, "out of memory");
            (*nfail)++;
        }
        return;
    }
    for (size_t j = 0; j < n; j++)
        store_row(a, rows[j], &in[j], &out[j], nfail);
}

static const struct exsol_reduce_input *sort_base;

static int cmp_bits(double x, double y)
{
    unsigned long long u, v;
    memcpy(&u, &x, sizeof u);
    memcpy(&v, &y, sizeof v);
    return (u > v) - (u < v);
}

/* Hottest anneal first (the most CVODE steps: the threads then finish a block
 * together; NaN as -inf), then all other inputs but t_s, then the row index: a
 * total order (on the bits of the numbers, so NaN rows sort too; they never join
 * a group). */
static int cmp_rows(const void *pa, const void *pb)
{
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
    const struct exsol_reduce_input *x = &sort_base[i], *y = &sort_base[j];
    double tx = isnan(x->T_K) ? -INFINITY : x->T_K, ty = isnan(y->T_K) ? -INFINITY : y->T_K;
    int c = (tx < ty) - (tx > ty);
    if (!c)
        c = strcmp(x->dopant, y->dopant);
    double kx[] = {x->z, x->valence, x->a_vac, x->x_donor, x->delta0, x->pH2_Pa, x->pH2O_Pa, x->L_m};
    double ky[] = {y->z, y->valence, y->a_vac, y->x_donor, y->delta0, y->pH2_Pa, y->pH2O_Pa, y->L_m};
    for (size_t m = 0; !c && m < sizeof kx / sizeof kx[0]; m++)
        c = cmp_bits(kx[m], ky[m]);
    return c ? c : (i > j) - (i < j);
}

static int run(struct args *a, size_t *nfail_total)
{
    char err[256];
    int rc = 0;
    exsol_progress *prog = exsol_progress_create("reduce", a->n);
    for (size_t s = 0; s < a->n && !rc; s += EXSOL_BLOCK) {
        size_t cnt = a->n - s < EXSOL_BLOCK ? a->n - s : EXSOL_BLOCK;
        for (int k = 0; k < N_IN && !rc; k++)
            rc = exsol_ds_read_double(a->ds, in_names[k], s, cnt, a->in[k], err, sizeof err);
        if (!rc)
            rc = exsol_ds_read_text(a->ds, "dopant", s, cnt, a->dopant, DOPANT_WIDTH, err,
                                    sizeof err);
        if (!rc && a->have_feasible)
            rc = exsol_ds_read_int(a->ds, "feasible", s, cnt, a->feasible, err, sizeof err);
        if (rc)
            break;
        size_t nfail = 0, nrun = 0, ngroups = 0;
        for (size_t k = 0; k < cnt; k++)
            if (row_input(a, k, &a->rin[k], &nfail))
                a->order[nrun++] = k;
        exsol_progress_tick(prog, cnt - nrun);
        double tc = exsol_wtime();
        sort_base = a->rin;
        qsort(a->order, nrun, sizeof *a->order, cmp_rows);
        for (size_t i = 0; i < nrun; i++)
            if (i == 0 || !exsol_reduce_same_but_time(&a->rin[a->order[i - 1]], &a->rin[a->order[i]]))
                a->gstart[ngroups++] = i;
        a->gstart[ngroups] = nrun;
        for (size_t i = 0; i < nrun; i++)
            a->gin[i] = a->rin[a->order[i]];
#pragma omp parallel num_threads(a->nthreads) reduction(+ : nfail)
        {
            exsol_kwn_solver *solver = a->solvers[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
            for (size_t g = 0; g < ngroups; g++) {
                size_t i0 = a->gstart[g], m = a->gstart[g + 1] - i0;
                compute_group(a, solver, a->order + i0, a->gin + i0, m, a->gout + i0, &nfail);
                exsol_progress_tick(prog, m);
            }
        }
        exsol_cli_compute_add(exsol_wtime() - tc);
        *nfail_total += nfail;
        exsol_ds_out *o = a->out;
        rc = exsol_ds_out_write_int(o, "reduce_status", s, cnt, a->status, err, sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_text(o, "reduce_reason", s, cnt, a->reason, REASON_WIDTH, err,
                                         sizeof err);
        for (int k = 0; k < N_OD && !rc; k++)
            rc = exsol_ds_out_write_double(o, out_d[k].name, s, cnt, a->od[k], err, sizeof err);
        for (int k = 0; k < N_OI && !rc; k++)
            rc = exsol_ds_out_write_int(o, out_i[k].name, s, cnt, a->oi[k], err, sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_double(o, "surface_size_distribution", s, cnt, a->surf, err,
                                           sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_double(o, "buried_size_distribution", s, cnt, a->bur, err,
                                           sizeof err);
        for (int k = 0; k < N_TR && !rc; k++)
            rc = exsol_ds_out_write_double(o, out_t[k].name, s, cnt, a->traj[k], err, sizeof err);
    }
    exsol_progress_destroy(prog);
    if (rc)
        exsol_error("%s", err);
    return rc;
}

static int parse_args(struct args *a, int argc, char **argv)
{
    enum { OPT_DENSE = 2000 };
    static const struct option opts[] = {{"dense-fd", no_argument, 0, OPT_DENSE},
                                         EXSOL_CLI_LONGOPTS,
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, EXSOL_CLI_SHORTOPTS, opts, NULL)) != -1) {
        if (c == OPT_DENSE) {
            a->dense_fd = 1;
            continue;
        }
        int r = exsol_cli_option(&a->cli, c, optarg);
        if (r < 0)
            return a->cli.exit_code ? a->cli.exit_code : 2;
        if (r == 0) {
            fprintf(stderr, "Try 'exsol-reduce --help'.\n");
            return 2;
        }
    }
    if (a->cli.help || a->cli.version)
        return 0;
    if (exsol_cli_finish(&a->cli, argc, argv, optind) != 0)
        return a->cli.exit_code ? a->cli.exit_code : 2;
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int rc = 0, code = 0;
    if (exsol_cli_init(&a.cli, "exsol-reduce", "reduce+defects") != 0) {
        code = a.cli.exit_code ? a.cli.exit_code : 1;
        goto cleanup;
    }
    if ((code = parse_args(&a, argc, argv)) != 0)
        goto cleanup;
    if (a.cli.help) {
        fputs(usage_text, stdout);
        exsol_cli_common_help(stdout);
        goto cleanup;
    }
    if (a.cli.version) {
        exsol_cli_print_version("exsol-reduce");
        goto cleanup;
    }
    double t0 = exsol_wtime();
    size_t nfail = 0;
    rc = setup(&a);
    if (rc == EXSOL_ENOMEM)
        exsol_error("out of memory");
    if (!rc)
        rc = define_output(&a, argc, argv);
    if (!rc)
        rc = run(&a, &nfail);
    if (!rc) {
        char err[256];
        rc = exsol_ds_out_close(a.out, err, sizeof err);
        a.out = NULL;
        if (rc)
            exsol_error("%s", err);
    }
    if (!rc)
        exsol_info("%zu rows, %zu failed or not applicable (%.2f s, %.2f s of it computing)",
                   a.n, nfail, exsol_wtime() - t0, exsol_cli_compute_seconds());
    code = exsol_exit_code(rc);
cleanup:
    destroy_data(&a);
    return code;
}
