/* LSW coarsening limit of the KWN solver (kinetics-and-magnetism.md §3.4): with
 * nucleation off and an LSW-shaped initial distribution, the mean radius follows
 * <R>³ − <R0>³ = K t with K within 10 % of K_LSW = (8/9) γ D c∞ V_m²/(R_g T) at the
 * default resolution (120 log bins on 0.2–150 nm), and the number density falls
 * as 1/t at long times. The first-order upwind scheme of the prototype gave
 * 1.74 K_LSW here (§3.2a). */
#include "check.h"
#include "exsol/error.h"
#include "exsol/kwn.h"

#include <math.h>
#include <stdlib.h>

/* LSW size distribution in u = R/<R> (support u < 1.5). */
static double lsw_shape(double u)
{
    if (u <= 0.0 || u >= 1.5)
        return 0.0;
    return u * u * pow(3.0 / (3.0 + u), 7.0 / 3.0) * pow(1.5 / (1.5 - u), 11.0 / 3.0) *
           exp(-u / (1.5 - u));
}

int main(void)
{
    const double NA = 6.02214076e23, RG = 8.314462618;
    struct exsol_kwn_config cfg;
    exsol_kwn_config_default(&cfg);
    cfg.ntimes = 41;
    if (getenv("NB"))
        cfg.nbins = (size_t)atoi(getenv("NB"));
    if (getenv("RMAX"))
        cfg.r_max_m = atof(getenv("RMAX"));
    cfg.t_first_frac = 1e-3;
    exsol_kwn_solver *s = NULL;
    char err[256];
    CHECK(exsol_kwn_solver_create(&cfg, &s, err, sizeof err) == EXSOL_OK);
    if (!s)
        return check_report("test_kwn_lsw");
    size_t nb = cfg.nbins;
    const double *R = exsol_kwn_radius(s), *w = exsol_kwn_width(s);

    struct exsol_kwn_problem p = {0};
    p.T_K = 1100.0;
    p.L_m = 1e-5; /* thick: the buried cap (L/2) lies beyond the grid */
    p.D_m2_s = 1e-19;
    p.x_eq = 1e-3;
    p.Vm_metal_m3_mol = 6.59e-6;
    p.a_host_m = 3.905e-10;
    p.gamma_J_m2 = 0.2;
    p.f_surface = p.f_buried = p.cap_volume_factor = 1.0;
    p.incubation_theta = 2.0;
    p.nucleation = 0;
    p.v_dopant = 2.0;
    p.delta0 = 0.0;
    double R0 = 5e-9, phi0 = 0.01;
    double *nb0 = calloc(nb, sizeof(double));
    double v3 = 0.0;
    for (size_t i = 0; i < nb; i++) {
        nb0[i] = lsw_shape(R[i] / R0) * w[i];
        v3 += nb0[i] * 4.0 / 3.0 * 3.14159265358979323846 * R[i] * R[i] * R[i];
    }
    for (size_t i = 0; i < nb; i++)
        nb0[i] *= phi0 / v3; /* per m³, metal volume fraction phi0 */
    double alpha = NA * pow(p.a_host_m, 3) / p.Vm_metal_m3_mol;
    double lc = 2.0 * p.gamma_J_m2 * p.Vm_metal_m3_mol / (RG * p.T_K);
    double xbar0 = p.x_eq * exp(lc / R0);
    p.z = xbar0 * (1.0 - alpha * phi0) + alpha * phi0;
    p.init_buried = nb0;
    double cinf = p.x_eq / (NA * pow(p.a_host_m, 3));
    double K = 8.0 / 9.0 * p.gamma_J_m2 * p.D_m2_s * cinf * p.Vm_metal_m3_mol *
               p.Vm_metal_m3_mol / (RG * p.T_K);
    double t0 = pow(R0, 3) / K;
    p.t_end_s = 30.0 * t0;

    struct exsol_kwn_result r;
    int rc = exsol_kwn_solve(s, &p, 0.0, &r, err, sizeof err);
    CHECK(rc == EXSOL_OK);
    CHECK_EQ_INT(r.status, 0);
    if (rc == EXSOL_OK && r.status == 0) {
        /* least-squares slope of <R>³ against t over t >= 3 t0 */
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (size_t k = 0; k < r.ntimes; k++) {
            double t = r.time_frac[k] * p.t_end_s;
            if (t < 3.0 * t0)
                continue;
            double rm = 0.5 * r.db_t[k];
            double y = rm * rm * rm;
            sx += t;
            sy += y;
            sxx += t * t;
            sxy += t * y;
            n++;
        }
        double Kfit = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        printf("K_fit/K_LSW = %.4f (n = %d), steps %ld, rhs %ld\n", Kfit / K, n, r.stats.steps,
               r.stats.rhs_evals);
        CHECK_CLOSE(Kfit, K, 0.10, 0.0);
        /* N ∝ 1/t: log-slope over the last decade-fraction vs -t/(t+t0) */
        size_t k1 = r.ntimes - 9, k2 = r.ntimes - 1;
        double t1 = r.time_frac[k1] * p.t_end_s, t2 = r.time_frac[k2] * p.t_end_s;
        double slope = log(r.nb_t[k2] / r.nb_t[k1]) / log(t2 / t1);
        printf("d ln N / d ln t = %.4f over [%.3g, %.3g] t0\n", slope, t1 / t0, t2 / t0);
        CHECK_CLOSE(slope, -1.0, 0.12, 0.0);
        /* metal is conserved during coarsening (only the solute excess changes) */
        CHECK_CLOSE(r.phi_t[r.ntimes - 1], phi0, 0.01, 0.0);
    }
    exsol_kwn_result_release(&r);
    free(nb0);
    exsol_kwn_solver_destroy(s);
    return check_report("test_kwn_lsw");
}
