/* exsol-transport: carriers, mobility and resistivity of every candidate before and
 * after the reducing anneal (libcore/physics/transport.c, defects.c, mobility.c).
 * Reads the gen + reduce variables, adds the transport variables of docs/schema.md. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/transport.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILL_INT (-2147483647) /* NC_FILL_INT */
#define REASON_WIDTH 96

static const char usage_text[] =
    "Usage: exsol-transport [options] [INPUT]\n"
    "\n"
    "Adds, for the pristine (as-grown) and the reduced (exsolved) film of every\n"
    "candidate: free-electron density n_e_*, reduced Fermi level eta_*, mobility\n"
    "mu_300K_*, resistivity rho_300K_* and rho_T_* on `temperature` (2-400 K),\n"
    "log10_rho_ratio, insulating_pristine (n < Mott density), metallic_reduced\n"
    "(eta >= 3, n >= 10 n_Mott, k_F l > 1), drho_dT_sign_*, kF_l_reduced, n_mott_300K,\n"
    "t_switch_transport, transport_status and transport_reason.\n"
    "Physics: frozen cations, oxygen frozen at the anneal (delta_asgrown, delta_reduced),\n"
    "Fermi-Dirac electrons from neutrality; LO/acoustic/ionised-impurity/residual\n"
    "mobility; activated + Efros-Shklovskii conduction of compensated films; Bruggeman\n"
    "effective medium for the metal particles. Parameters: datasets/transport-parameters.csv\n"
    "and datasets/defects-parameters.csv (override with --set NAME=VALUE).\n"
    "INPUT is exsol-reduce output ('-' = stdin, the default); it must hold\n"
    "A_donor_fraction, A_vacancy, dopant_fraction, dopant_valence, delta_asgrown,\n"
    "reduce_status, exsolved_fraction, delta_reduced and metal_volume_fraction.\n"
    "Rows whose reduce_status is not 0 get transport_status 3.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 | exsol-reduce | exsol-transport |\n"
    "      exsol-table -v formula,rho_300K_pristine,rho_300K_reduced,log10_rho_ratio -\n"
    "\n"
    "Options: only the common ones.\n";
static const struct exsol_cli_tool tool = {
    .prog = "exsol-transport", .stages = "transport+defects", .usage = usage_text};

static const char *const in_names[] = {
    "A_donor_fraction", "A_vacancy",         "dopant_fraction", "dopant_valence",
    "delta_asgrown",    "exsolved_fraction", "delta_reduced",   "metal_volume_fraction",
    "reduce_status"};
enum { I_X, I_A, I_Z, I_V, I_D0, I_F, I_D1, I_PHI, I_RS, N_IN };

enum { O_NP, O_NR, O_EP, O_ER, O_MP, O_MR, O_RP, O_RR, O_LR, O_KFL, O_NM, O_TS, N_OD };
static const struct {
    const char *name, *units, *long_name, *comment;
} out_d[N_OD] = {
    {"n_e_pristine", "m-3", "free-electron density of the as-grown film at T_meas",
     "defect solve with delta_asgrown plus the activated channel of compensated films"},
    {"n_e_reduced", "m-3", "free-electron density of the reduced film at T_meas", ""},
    {"eta_pristine", "1", "(E_F - E_c)/kT of the as-grown film at T_meas", ""},
    {"eta_reduced", "1", "(E_F - E_c)/kT of the reduced film at T_meas", ""},
    {"mu_300K_pristine", "m2 V-1 s-1", "electron mobility of the as-grown film at T_meas", ""},
    {"mu_300K_reduced", "m2 V-1 s-1", "electron mobility of the reduced film at T_meas", ""},
    {"rho_300K_pristine", "ohm m", "resistivity of the as-grown film at T_meas", ""},
    {"rho_300K_reduced", "ohm m", "resistivity of the reduced film at T_meas",
     "host through a Bruggeman medium with the exsolved metal fraction"},
    {"log10_rho_ratio", "1", "log10(rho_300K_pristine / rho_300K_reduced)", ""},
    {"kF_l_reduced", "1", "Ioffe-Regel parameter k_F l of the reduced film at T_meas",
     "k_F = (3 pi^2 n / g_valley)^(1/3)"},
    {"n_mott_300K", "m-3", "Mott density (0.26/a_B*)^3 with eps_r(T_meas)", ""},
    {"t_switch_transport", "s",
     "anneal time at which log10_rho_ratio first reaches switch_decades",
     "from the reduce trajectories exsolved_fraction_t and delta_t; fill if never reached "
     "or if the input has no trajectories"},
};
enum { OI_IP, OI_MR, OI_SP, OI_SR, N_OI };
static const struct {
    const char *name, *long_name, *comment;
} out_i[N_OI] = {
    {"insulating_pristine", "as-grown film below the Mott density (1) or not (0)", ""},
    {"metallic_reduced", "reduced film is a degenerate metal (1) or not (0)",
     "eta >= eta_metal, n >= mott_margin n_Mott and k_F l > kFl_min"},
    {"drho_dT_sign_pristine", "sign of drho/dT of the as-grown film at T_meas", ""},
    {"drho_dT_sign_reduced", "sign of drho/dT of the reduced film at T_meas", ""},
};

struct args {
    struct exsol_cli cli;
    exsol_ds *ds;
    exsol_ds_out *out;
    exsol_transport_model *model;
    struct exsol_transport_params tp;
    size_t n, nT, ntime;
    int have_traj;
    double *time, *t_anneal; /* trajectory coordinate and per-row anneal time */
    double *in[N_IN];        /* one block */
    double *ftraj, *dtraj;   /* block × ntime */
    double *od[N_OD];
    int *oi[N_OI], *status;
    char *reason;
    double *rho_p, *rho_r; /* block × nT */
};

static void destroy_data(struct args *a)
{
    for (int k = 0; k < N_IN; k++)
        free(a->in[k]);
    for (int k = 0; k < N_OD; k++)
        free(a->od[k]);
    for (int k = 0; k < N_OI; k++)
        free(a->oi[k]);
    free(a->status), free(a->reason), free(a->rho_p), free(a->rho_r);
    free(a->time), free(a->t_anneal), free(a->ftraj), free(a->dtraj);
    exsol_transport_model_free(a->model);
    exsol_ds_out_abort(a->out);
    exsol_ds_close(a->ds);
    exsol_cli_release(&a->cli);
}

static int setup(void *ctx)
{
    struct args *a = ctx;
    char err[256];
    struct exsol_defect_params dp;
    int rc = exsol_transport_params_from(a->cli.params, &a->tp, err, sizeof err);
    if (!rc)
        rc = exsol_defect_params_from(a->cli.params, &dp, err, sizeof err);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    if ((rc = exsol_transport_model_create(&a->tp, &dp, &a->model)) != 0) {
        exsol_error("cannot build the transport model: %s", exsol_strerror(rc));
        return rc;
    }
    a->nT = exsol_transport_ntemp(a->model);
    if ((rc = exsol_ds_open(a->cli.input, &a->ds, err, sizeof err)) != 0) {
        exsol_error("%s", err);
        return rc;
    }
    for (int k = 0; k < N_IN; k++)
        if (exsol_ds_var_kind(a->ds, in_names[k]) != EXSOL_VK_SCALAR) {
            exsol_error("input has no per-candidate variable '%s' (run exsol-gen and "
                        "exsol-reduce first)",
                        in_names[k]);
            return EXSOL_EMISSINGVAR;
        }
    a->n = exsol_ds_ncandidates(a->ds);
    /* optional trajectories for t_switch_transport */
    const char *d1 = exsol_ds_var_dim(a->ds, "exsolved_fraction_t");
    const char *d2 = exsol_ds_var_dim(a->ds, "delta_t");
    if (d1 && d2 && strcmp(d1, "time") == 0 && strcmp(d2, "time") == 0 &&
        exsol_ds_var_kind(a->ds, "t_anneal") == EXSOL_VK_SCALAR &&
        exsol_ds_dim_len(a->ds, "time", &a->ntime) == 0 && a->ntime > 0) {
        a->time = malloc(a->ntime * sizeof *a->time);
        a->t_anneal = malloc(EXSOL_BLOCK * sizeof *a->t_anneal);
        a->ftraj = malloc((size_t)EXSOL_BLOCK * a->ntime * sizeof *a->ftraj);
        a->dtraj = malloc((size_t)EXSOL_BLOCK * a->ntime * sizeof *a->dtraj);
        if (!a->time || !a->t_anneal || !a->ftraj || !a->dtraj)
            return EXSOL_ENOMEM;
        if ((rc = exsol_ds_read_fixed(a->ds, "time", a->time, a->ntime, err, sizeof err))) {
            exsol_error("%s", err);
            return rc;
        }
        a->have_traj = 1;
    } else {
        exsol_debug("no reduce trajectories: t_switch_transport will be fill");
    }
    size_t B = EXSOL_BLOCK;
    for (int k = 0; k < N_IN; k++)
        if (!(a->in[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_OD; k++)
        if (!(a->od[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_OI; k++)
        if (!(a->oi[k] = malloc(B * sizeof(int))))
            return EXSOL_ENOMEM;
    a->status = malloc(B * sizeof *a->status);
    a->reason = malloc(B * REASON_WIDTH);
    a->rho_p = malloc(B * a->nT * sizeof *a->rho_p);
    a->rho_r = malloc(B * a->nT * sizeof *a->rho_r);
    if (!a->status || !a->reason || !a->rho_p || !a->rho_r)
        return EXSOL_ENOMEM;
    return 0;
}

static int define_output(void *ctx, int argc, char **argv)
{
    struct args *a = ctx;
    int rc =
        exsol_cli_out_create(&a->cli, argc, argv, "exsol transport screen", a->ds, &a->out);
    if (rc)
        return rc;
    exsol_ds_out *o = a->out;
    rc = exsol_ds_out_def_coord(o, "temperature", a->nT, "K", "measurement temperature",
                                exsol_transport_temps(a->model));
    if (!rc)
        rc = exsol_ds_out_def_int(o, "transport_status", "1",
                                  "transport status (0 ok, 1 solver, 2 invalid row, 3 earlier "
                                  "stage failed)");
    if (!rc)
        rc = exsol_ds_out_def_text(o, "transport_reason", REASON_WIDTH,
                                   "why transport failed for the row (\"\" if ok)");
    for (int k = 0; k < N_OD && !rc; k++) {
        rc =
            exsol_ds_out_def_double(o, out_d[k].name, NULL, out_d[k].units, out_d[k].long_name);
        if (!rc && out_d[k].comment[0])
            rc = exsol_ds_out_put_att_text(o, out_d[k].name, "comment", out_d[k].comment);
    }
    for (int k = 0; k < N_OI && !rc; k++) {
        rc = exsol_ds_out_def_int(o, out_i[k].name, "1", out_i[k].long_name);
        if (!rc && out_i[k].comment[0])
            rc = exsol_ds_out_put_att_text(o, out_i[k].name, "comment", out_i[k].comment);
    }
    if (!rc)
        rc = exsol_ds_out_def_double(o, "rho_T_pristine", "temperature", "ohm m",
                                     "resistivity of the as-grown film vs temperature");
    if (!rc)
        rc = exsol_ds_out_def_double(o, "rho_T_reduced", "temperature", "ohm m",
                                     "resistivity of the reduced film vs temperature");
    return exsol_cli_out_enddef(&a->cli, o, rc);
}

/* First anneal time at which the reduced film is switched, interpolated linearly in
 * the log10 ratio between trajectory points; NaN if never. */
static double switch_time(const struct args *a, size_t k, const struct exsol_transport_in *in,
                          double rho_p)
{
    double prev_r = 0.0, prev_t = 0.0;
    for (size_t j = 0; j < a->ntime; j++) {
        struct exsol_transport_in s = *in;
        double f = a->ftraj[k * a->ntime + j], d = a->dtraj[k * a->ntime + j], rho;
        if (!isfinite(f) || !isfinite(d))
            continue;
        s.f_exsolved = fmin(fmax(f, 0.0), 1.0);
        s.delta_reduced = d;
        s.metal_fraction =
            in->f_exsolved > 0 ? in->metal_fraction * s.f_exsolved / in->f_exsolved : 0.0;
        if (exsol_transport_rho_reduced(a->model, &s, &rho) != 0)
            continue;
        double r = log10(rho_p / rho), t = a->time[j] * a->t_anneal[k];
        if (r >= a->tp.switch_decades) {
            if (j == 0 || r == prev_r)
                return t;
            return prev_t + (t - prev_t) * (a->tp.switch_decades - prev_r) / (r - prev_r);
        }
        prev_r = r;
        prev_t = t;
    }
    return NAN;
}

static void compute_row(struct args *a, size_t k, size_t *nfail)
{
    char *reason = a->reason + k * REASON_WIDTH;
    double *rp = a->rho_p + k * a->nT, *rr = a->rho_r + k * a->nT;
    for (int j = 0; j < N_OD; j++)
        a->od[j][k] = NAN;
    for (int j = 0; j < N_OI; j++)
        a->oi[j][k] = FILL_INT;
    for (size_t j = 0; j < a->nT; j++)
        rp[j] = rr[j] = NAN;
    double rs = a->in[I_RS][k];
    if (!(rs == 0.0)) {
        a->status[k] = 3;
        if (isnan(rs))
            snprintf(reason, REASON_WIDTH, "reduce status missing");
        else
            snprintf(reason, REASON_WIDTH, "reduce failed (reduce_status %d)", (int)rs);
        (*nfail)++;
        return;
    }
    struct exsol_transport_in in = {a->in[I_X][k],  a->in[I_A][k],  a->in[I_Z][k],
                                    a->in[I_V][k],  a->in[I_D0][k], a->in[I_F][k],
                                    a->in[I_D1][k], a->in[I_PHI][k]};
    struct exsol_transport_out o;
    int rc = exsol_transport_candidate(a->model, &in, &o, rp, rr, reason, REASON_WIDTH);
    if (rc) {
        a->status[k] = rc == EXSOL_EVALUE ? 2 : 1;
        for (size_t j = 0; j < a->nT; j++)
            rp[j] = rr[j] = NAN;
        (*nfail)++;
        return;
    }
    a->status[k] = 0;
    a->od[O_NP][k] = o.n_pristine_m3;
    a->od[O_NR][k] = o.n_reduced_m3;
    a->od[O_EP][k] = o.eta_pristine;
    a->od[O_ER][k] = o.eta_reduced;
    a->od[O_MP][k] = o.mu_pristine_m2;
    a->od[O_MR][k] = o.mu_reduced_m2;
    a->od[O_RP][k] = o.rho_300K_pristine;
    a->od[O_RR][k] = o.rho_300K_reduced;
    a->od[O_LR][k] = o.log10_rho_ratio;
    a->od[O_KFL][k] = o.kFl_reduced;
    a->od[O_NM][k] = o.n_mott_m3;
    a->od[O_TS][k] = a->have_traj ? switch_time(a, k, &in, o.rho_300K_pristine) : NAN;
    a->oi[OI_IP][k] = o.insulating_pristine;
    a->oi[OI_MR][k] = o.metallic_reduced;
    a->oi[OI_SP][k] = o.drho_dT_sign_pristine;
    a->oi[OI_SR][k] = o.drho_dT_sign_reduced;
}

static int run(void *ctx, size_t *nrows, size_t *nfail_total)
{
    struct args *a = ctx;
    *nrows = a->n;
    char err[256];
    int rc = 0;
    exsol_progress *prog = exsol_progress_create("transport", a->n);
    for (size_t s = 0; s < a->n && !rc; s += EXSOL_BLOCK) {
        size_t cnt = a->n - s < EXSOL_BLOCK ? a->n - s : EXSOL_BLOCK;
        for (int k = 0; k < N_IN && !rc; k++)
            rc = exsol_ds_read_double(a->ds, in_names[k], s, cnt, a->in[k], err, sizeof err);
        if (!rc && a->have_traj) {
            rc = exsol_ds_read_double(a->ds, "t_anneal", s, cnt, a->t_anneal, err, sizeof err);
            if (!rc)
                rc = exsol_ds_read_double(a->ds, "exsolved_fraction_t", s, cnt, a->ftraj, err,
                                          sizeof err);
            if (!rc)
                rc = exsol_ds_read_double(a->ds, "delta_t", s, cnt, a->dtraj, err, sizeof err);
        }
        if (rc)
            break;
        size_t nfail = 0;
        double tc = exsol_wtime();
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : nfail)
        for (size_t k = 0; k < cnt; k++)
            compute_row(a, k, &nfail);
        exsol_cli_compute_add(exsol_wtime() - tc);
        *nfail_total += nfail;
        exsol_ds_out *o = a->out;
        rc = exsol_ds_out_write_int(o, "transport_status", s, cnt, a->status, err, sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_text(o, "transport_reason", s, cnt, a->reason, REASON_WIDTH,
                                         err, sizeof err);
        for (int k = 0; k < N_OD && !rc; k++)
            rc = exsol_ds_out_write_double(o, out_d[k].name, s, cnt, a->od[k], err, sizeof err);
        for (int k = 0; k < N_OI && !rc; k++)
            rc = exsol_ds_out_write_int(o, out_i[k].name, s, cnt, a->oi[k], err, sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_double(o, "rho_T_pristine", s, cnt, a->rho_p, err,
                                           sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_double(o, "rho_T_reduced", s, cnt, a->rho_r, err,
                                           sizeof err);
        exsol_progress_tick(prog, cnt);
    }
    exsol_progress_destroy(prog);
    if (rc)
        exsol_error("%s", err);
    return rc;
}

static const struct exsol_cli_stage stage = {setup, define_output, run, "failed"};

int main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int code = exsol_cli_start(&a.cli, &tool, argc, argv, NULL) == EXSOL_CLI_RUN
                   ? exsol_cli_run_stage(&stage, &a, &a.out, argc, argv)
                   : a.cli.exit_code;
    destroy_data(&a);
    return code;
}
