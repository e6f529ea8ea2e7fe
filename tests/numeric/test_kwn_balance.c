/* KWN checks on a seed-like problem (30 nm film, 550 °C, two populations with
 * nucleation): (1) the dopant balance z = x̄(1 − αφ) + αφ holds to 1e-8 relative at
 * every output time, with φ recomputed here from the recorded size distributions;
 * (2) the structured (bordered-band) Jacobian and CVODE's dense finite-difference
 * Jacobian give the same answer within the solver tolerances; (3) buried
 * particles never exceed the film (radius <= L/2; larger ones join the surface); (4) roots
 * t_half < t_90 lie where f crosses 0.5 and 0.9 of the exsolvable fraction. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/kwn.h"

#include <math.h>
#include <stdlib.h>

static const double PI_ = 3.14159265358979323846;

static void seed_problem(struct exsol_kwn_problem *p, const double *dtab, size_t nd)
{
    *p = (struct exsol_kwn_problem){0};
    p->T_K = 823.15;
    p->t_end_s = 5 * 3600.0;
    p->L_m = 30e-9;
    p->D_m2_s = 5e-20;
    p->z = 0.1;
    p->x_eq = 4.5e-3;
    p->Vm_metal_m3_mol = 6.59e-6;
    p->a_host_m = 3.905e-10;
    p->gamma_J_m2 = 0.5;
    p->N0_surface_m2 = 1e18;
    p->N0_buried_m3 = 1e24;
    p->f_surface = p->cap_volume_factor = 0.5;
    p->f_buried = 1.0;
    p->incubation_theta = 2.0;
    p->nucleation = 1;
    p->k_chem_m_s = 1e-9;
    p->delta0 = 0.1;
    p->v_dopant = 2.0;
    p->delta_eq = dtab;
    p->n_delta_eq = nd;
}

int main(void)
{
    char err[256];
    double dtab[5] = {0.02, 0.015, 0.01, 0.005, 0.001};
    struct exsol_kwn_problem p;
    seed_problem(&p, dtab, 5);
    const double NA = 6.02214076e23;
    double alpha = NA * pow(p.a_host_m, 3) / p.Vm_metal_m3_mol;

    struct exsol_kwn_config cfg;
    exsol_kwn_config_default(&cfg);
    cfg.keep_history = 1;
    cfg.rtol = 1e-7;
    cfg.atol_bins = 1e6;
    exsol_kwn_solver *sb = NULL, *sd = NULL;
    CHECK(exsol_kwn_solver_create(&cfg, &sb, err, sizeof err) == EXSOL_OK);
    cfg.dense_fd = 1;
    CHECK(exsol_kwn_solver_create(&cfg, &sd, err, sizeof err) == EXSOL_OK);
    if (!sb || !sd)
        return check_report("test_kwn_balance");
    struct exsol_kwn_result rb, rd;
    CHECK(exsol_kwn_solve(sb, &p, 0.5e-9, &rb, err, sizeof err) == EXSOL_OK);
    CHECK(exsol_kwn_solve(sd, &p, 0.5e-9, &rd, err, sizeof err) == EXSOL_OK);
    CHECK_EQ_INT(rb.status, 0);
    CHECK_EQ_INT(rd.status, 0);
    size_t nb = rb.nbins, nt = rb.ntimes;
    /* (1) mass balance from the distributions */
    double worst = 0.0;
    for (size_t k = 0; k < nt; k++) {
        double vs = 0, vb = 0;
        for (size_t i = 0; i < nb; i++) {
            double v = 4.0 / 3.0 * PI_ * pow(rb.radius_m[i], 3);
            vs += rb.hist[k * 2 * nb + i] * v * p.cap_volume_factor;
            vb += rb.hist[k * 2 * nb + nb + i] * v;
        }
        double phi = vs / p.L_m + vb;
        double total = rb.xbar_t[k] * (1.0 - alpha * phi) + alpha * phi;
        double e = fabs(total - p.z) / p.z;
        if (e > worst)
            worst = e;
        CHECK_CLOSE(phi, rb.phi_t[k], 1e-10, 1e-300);
    }
    printf("mass balance: worst relative error %.3g over %zu output times\n", worst, nt);
    CHECK(worst < 1e-8);
    CHECK(rb.f_t[nt - 1] > 0.5); /* something did exsolve */
    /* (2) band+rank-one vs dense finite differences */
    printf("band : f %.8f delta %.8f ns %.6g ds %.6g nb %.6g steps %ld rhs %ld jac %ld\n",
           rb.f_t[nt - 1], rb.delta_t[nt - 1], rb.ns_t[nt - 1], rb.ds_t[nt - 1],
           rb.nb_t[nt - 1], rb.stats.steps, rb.stats.rhs_evals, rb.stats.jac_evals);
    printf("dense: f %.8f delta %.8f ns %.6g ds %.6g nb %.6g steps %ld rhs %ld jac %ld\n",
           rd.f_t[nt - 1], rd.delta_t[nt - 1], rd.ns_t[nt - 1], rd.ds_t[nt - 1],
           rd.nb_t[nt - 1], rd.stats.steps, rd.stats.rhs_evals, rd.stats.jac_evals);
    for (size_t k = 0; k < nt; k++) {
        CHECK_CLOSE(rb.f_t[k], rd.f_t[k], 1e-3, 1e-6);
        CHECK_CLOSE(rb.delta_t[k], rd.delta_t[k], 1e-3, 1e-6);
        CHECK_CLOSE(rb.ns_t[k], rd.ns_t[k], 1e-3, 1e9);
        CHECK_CLOSE(rb.nb_t[k], rd.nb_t[k], 1e-3, 1e15);
    }
    CHECK_CLOSE(rb.t_half_s, rd.t_half_s, 1e-3, 0);
    CHECK_CLOSE(rb.t_90_s, rd.t_90_s, 1e-3, 0);
    /* (3) no buried particle beyond L/2 */
    double big = 0.0;
    for (size_t i = 0; i < nb; i++)
        if (rb.radius_m[i] - 0.5 * rb.width_m[i] >= 0.5 * p.L_m)
            big += rb.buried[i];
    CHECK(big == 0.0);
    /* (4) the roots: f at t_half/t_90 brackets, and t_half < t_90 */
    double fex = (p.z - p.x_eq) / (p.z * (1 - p.x_eq));
    CHECK(rb.t_half_s < rb.t_90_s);
    for (size_t k = 0; k < nt; k++) {
        double t = rb.time_frac[k] * p.t_end_s;
        if (t < rb.t_half_s * 0.999)
            CHECK(rb.f_t[k] < 0.5 * fex);
        if (t > rb.t_half_s * 1.001)
            CHECK(rb.f_t[k] > 0.5 * fex);
        if (t > rb.t_90_s * 1.001)
            CHECK(rb.f_t[k] > 0.9 * fex);
    }
    /* reuse of the solver (CVodeReInit) gives the same numbers */
    struct exsol_kwn_result r2;
    CHECK(exsol_kwn_solve(sb, &p, 0.5e-9, &r2, err, sizeof err) == EXSOL_OK);
    CHECK(r2.f_t[nt - 1] == rb.f_t[nt - 1] && r2.ns_t[nt - 1] == rb.ns_t[nt - 1]);
    exsol_kwn_result_release(&r2);
    /* nucleation off and no particles: nothing happens, oxygen still relaxes */
    p.nucleation = 0;
    CHECK(exsol_kwn_solve(sb, &p, 0.5e-9, &r2, err, sizeof err) == EXSOL_OK);
    CHECK(r2.f_t[nt - 1] == 0.0);
    CHECK_CLOSE(r2.delta_t[nt - 1], dtab[0], 1e-4, 1e-6);
    exsol_kwn_result_release(&r2);
    /* invalid problem */
    p.z = 1.2;
    CHECK(exsol_kwn_solve(sb, &p, 0.5e-9, &r2, err, sizeof err) == EXSOL_EVALUE);
    /* cap factor */
    CHECK_CLOSE(exsol_kwn_wetting_factor(PI_ / 2), 0.5, 1e-14, 0);
    CHECK_CLOSE(exsol_kwn_wetting_factor(PI_), 1.0, 1e-14, 0);
    CHECK_CLOSE(exsol_kwn_wetting_factor(0.0), 0.0, 0, 1e-15);
    exsol_kwn_result_release(&rb);
    exsol_kwn_result_release(&rd);
    exsol_kwn_solver_destroy(sb);
    exsol_kwn_solver_destroy(sd);
    return check_report("test_kwn_balance");
}
