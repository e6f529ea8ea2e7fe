/* Buried particles that reach the film's surface join the surface population (issue
 * #12, defect 6). 900 °C, 20 h, 30 nm film, buried nucleation only (N0_surface = 0):
 * the buried particles grow to the film thickness and cross into the surface
 * population, which therefore fills although it nucleates nothing (the closed
 * buried grid kept it empty and the buried particles piled up at diameter L).
 * At every output time: no buried particle of diameter above L, the dopant balance
 * z = x̄(1 − αφ) + αφ from the recorded distributions to 1e-10 (the transfer moves
 * metal, it makes or loses none), and the structured Jacobian agrees with CVODE's
 * dense difference quotients. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/kwn.h"

#include <math.h>

int main(void)
{
    char err[256];
    struct exsol_kwn_problem p = {0};
    p.T_K = 1173.15;
    p.t_end_s = 20 * 3600.0;
    p.L_m = 30e-9;
    p.D_m2_s = 1e-4 * exp(-2.5 / (8.617333262e-5 * p.T_K)); /* E_a 2.5 eV, D0 1e-4 */
    p.z = 0.1;
    p.x_eq = 4.7e-3;
    p.Vm_metal_m3_mol = 6.59e-6;
    p.a_host_m = 3.905e-10;
    p.gamma_J_m2 = 0.5;
    p.N0_surface_m2 = 0.0;
    p.N0_buried_m3 = 3e25;
    p.f_surface = p.cap_volume_factor = 0.5;
    p.f_buried = 0.5;
    p.incubation_theta = 2.0;
    p.nucleation = 1;
    p.k_chem_m_s = 1e-9;
    p.delta0 = 0.1;
    p.v_dopant = 2.0;
    const double NA = 6.02214076e23;
    double alpha = NA * pow(p.a_host_m, 3) / p.Vm_metal_m3_mol;

    struct exsol_kwn_config cfg;
    exsol_kwn_config_default(&cfg);
    cfg.keep_history = 1;
    exsol_kwn_solver *sb = NULL, *sd = NULL;
    CHECK(exsol_kwn_solver_create(&cfg, &sb, err, sizeof err) == EXSOL_OK);
    cfg.dense_fd = 1;
    CHECK(exsol_kwn_solver_create(&cfg, &sd, err, sizeof err) == EXSOL_OK);
    if (!sb || !sd)
        return check_report("test_kwn_transfer");
    struct exsol_kwn_result r, rd;
    CHECK(exsol_kwn_solve(sb, &p, 0.5e-9, &r, err, sizeof err) == EXSOL_OK);
    CHECK(exsol_kwn_solve(sd, &p, 0.5e-9, &rd, err, sizeof err) == EXSOL_OK);
    CHECK_EQ_INT(r.status, 0);
    CHECK_EQ_INT(rd.status, 0);
    size_t nb = r.nbins, nt = r.ntimes, k = nt - 1;
    double worst = 0.0, big = 0.0;
    for (size_t t = 0; t < nt; t++) {
        double vs = 0.0, vb = 0.0;
        for (size_t i = 0; i < nb; i++) {
            double v = 4.0 / 3.0 * 3.14159265358979323846 * pow(r.radius_m[i], 3);
            double ns = r.hist[t * 2 * nb + i], nbur = r.hist[t * 2 * nb + nb + i];
            vs += ns * v * p.cap_volume_factor;
            vb += nbur * v;
            if (2.0 * (r.radius_m[i] - 0.5 * r.width_m[i]) >= p.L_m)
                big += nbur;
        }
        double phi = vs / p.L_m + vb;
        double e = fabs(r.xbar_t[t] * (1.0 - alpha * phi) + alpha * phi - p.z) / p.z;
        if (e > worst)
            worst = e;
    }
    printf("900C 20h, buried nucleation only: f %.4f surface %.4g um-2 (mean %.3g nm) "
           "buried %.4g m-3 (mean %.3g nm); balance %.3g; steps %ld\n",
           r.f_t[k], r.ns_t[k] * 1e-12, r.ds_t[k] * 1e9, r.nb_t[k], r.db_t[k] * 1e9, worst,
           r.stats.steps);
    printf("dense FD: f %.4f surface %.4g um-2 buried %.4g m-3\n", rd.f_t[k],
           rd.ns_t[k] * 1e-12, rd.nb_t[k]);
    CHECK(big == 0.0);    /* no buried particle larger than the film */
    CHECK(worst < 1e-10); /* metal conserved */
    CHECK(r.f_t[k] > 0.5);
    CHECK(r.ns_t[k] > 0.0); /* the surface received the buried particles that reached it */
    /* they arrive as caps of a sphere's metal at diameter ~L: 2^(1/3) L for 90° */
    CHECK(r.ds_t[k] > p.L_m);
    CHECK_CLOSE(r.f_t[k], rd.f_t[k], 1e-3, 1e-6);
    CHECK_CLOSE(r.ns_t[k], rd.ns_t[k], 2e-2, 1e9);
    exsol_kwn_result_release(&r);
    exsol_kwn_result_release(&rd);
    exsol_kwn_solver_destroy(sb);
    exsol_kwn_solver_destroy(sd);
    return check_report("test_kwn_transfer");
}
