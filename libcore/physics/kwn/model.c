/* The KWN model of exsol/kwn.h that does not depend on the discretisation of the
 * size distributions (kinetics-and-magnetism.md §3):
 *
 * - Solubility with the room the metal needs (breadth-and-uncertainty.md §2.3): with
 *   y = fz exsolved per B site and a′(y) = 1 − (1 − a)/(1 − y), two channels feed
 *   one pool, x_V = x_eq a_ref/max(a′, 1e-12) (one A vacancy per exsolved metal,
 *   mass action) and x_S = x_eq exp(ε_acc/kT) (A-rich/RP accommodation; buried
 *   particles ε_acc − Δε_b), x_eq,eff = (1/x_V + 1/x_S)⁻¹ per population. Without
 *   accommodation (p->accommodation = 0) x_eq,eff = x_eq.
 * - Growth (§3.2, diffusion-limited, Gibbs–Thomson), driven by the dissolved solute
 *   x̄ = (z − αφ)/(1 − αφ):
 *   v(R) = (D/R)(x̄ − x_i(R))/(α − x_i(R)), x_i(R) = x_eq,eff exp(2γV_m/(R R_g T)).
 *   Surface caps use the same law with their radius of curvature (exact for a
 *   hemisphere, whose diffusion field and volume are both half a sphere's).
 * - Nucleation (§3.1, kawin forms): ΔG_v = R_g T ln(x̄/x_eq,eff)/V_m,
 *   R* = 2γ/ΔG_v, G_s = f·16πγ³/(3ΔG_v²), Z = V_m/(2π N_A R*²)·sqrt(γ/k_B T),
 *   β* = 4π R*² x_av D/a⁴ (kawin's binary x·D form, a = host lattice parameter),
 *   τ = 1/(θ β* Z²), J = N0 Z β* exp(−G_s/k_B T) exp(−τ/t); new particles enter at
 *   R_nuc = R* + ½ sqrt(k_B T/(πγ)).
 * - Mass balance: φ = Σ V_i N_i over both populations (caps: times the cap volume
 *   factor); x̄ follows from the closure, so the dopant balance is exact at every
 *   state.
 * - Oxygen: surface exchange towards δ_eq(f), from the caller's evaluator (reduce:
 *   the exact defect equilibrium of the current cations) or its table. */
#include "exsol/constants.h"
#include "scheme.h"

#include <math.h>

#define GT_EXP_MAX 40.0

double exsol_kwn_wetting_factor(double theta_rad)
{
    double c = cos(theta_rad);
    return (2.0 + c) * (1.0 - c) * (1.0 - c) / 4.0;
}

int exsol_kwn_problem_valid(const struct exsol_kwn_problem *p)
{
    return !(!(p->T_K > 0) || !(p->L_m > 0) || !(p->D_m2_s > 0) || !(p->z >= 0 && p->z < 1) ||
             !(p->x_eq > 0) || !(p->Vm_metal_m3_mol > 0) || !(p->a_host_m > 0) ||
             !(p->gamma_J_m2 > 0) || !(p->N0_surface_m2 >= 0) || !(p->N0_buried_m3 >= 0) ||
             !(p->f_surface > 0) || !(p->f_buried > 0) || !(p->cap_volume_factor > 0) ||
             !(p->incubation_theta > 0) || !(p->k_chem_m_s >= 0) || !isfinite(p->delta0) ||
             !(p->v_dopant >= 0) ||
             (p->accommodation &&
              (!(p->a_vac >= 0 && p->a_vac < 1) || !(p->a_ref > 0) || !(p->eps_acc_J >= 0) ||
               !(p->d_eps_buried_J >= 0) || isnan(p->eps_acc_J - p->d_eps_buried_J))) ||
             (p->alloy && (!(p->z2 > 0 && p->z2 < p->z) || !(p->x_eq2 > 0) ||
                           !(p->D2_m2_s > 0) || !(p->v_dopant2 >= 0) ||
                           !isfinite(p->rk_L_J_mol[0] + p->rk_L_J_mol[1] + p->rk_L_J_mol[2]) ||
                           p->init_surface || p->init_buried)));
}

/* 1/x_S of one population: 0 (channel closed) for an infinite or huge ε/kT. */
static double inv_xS(const struct exsol_kwn_problem *p, double eps_J)
{
    double e = eps_J / (EXSOL_KB * p->T_K);
    if (!(e < 700.0))
        return 0.0;
    return exp(-e) / p->x_eq;
}

static double xeq_eff(const struct exsol_kwn_problem *p, double inv_xs, double aphi)
{
    if (!p->accommodation)
        return p->x_eq;
    double ap = 1.0 - (1.0 - p->a_vac) / (1.0 - aphi);
    if (!(ap > 1e-12))
        ap = 1e-12;
    double inv_xv = ap / (p->x_eq * p->a_ref);
    return 1.0 / (inv_xv + inv_xs);
}

double exsol_kwn_model_xeq(const struct exsol_kwn_model *m, double aphi, int buried)
{
    return xeq_eff(m->p, buried ? m->inv_xS_b : m->inv_xS_s, aphi);
}

double exsol_kwn_equilibrium_fraction(const struct exsol_kwn_problem *p)
{
    if (!(p->z > 0))
        return 0.0;
    if (!p->accommodation)
        return (p->z > p->x_eq) ? (p->z - p->x_eq) / (p->z * (1.0 - p->x_eq)) : 0.0;
    /* the buried population's solubility is the lower (Δε_b >= 0): the film ends in
     * equilibrium with it. g(y) = x̄(y) − x_eq,eff(y) falls with y. */
    double ixs = inv_xS(p, p->eps_acc_J - p->d_eps_buried_J);
    double ixs_s = inv_xS(p, p->eps_acc_J);
    if (ixs_s > ixs)
        ixs = ixs_s;
    double lo = 0.0, hi = p->z;
    if (!(p->z - xeq_eff(p, ixs, 0.0) > 0.0))
        return 0.0;
    for (int it = 0; it < 200 && hi - lo > 1e-15 * p->z; it++) {
        double y = 0.5 * (lo + hi);
        if ((p->z - y) / (1.0 - y) - xeq_eff(p, ixs, y) > 0.0)
            lo = y;
        else
            hi = y;
    }
    return 0.5 * (lo + hi) / p->z;
}

void exsol_kwn_model_init(struct exsol_kwn_model *m, const struct exsol_kwn_problem *p)
{
    m->p = p;
    m->D = p->D_m2_s;
    m->L = p->L_m;
    m->alpha = EXSOL_NA * p->a_host_m * p->a_host_m * p->a_host_m / p->Vm_metal_m3_mol;
    m->lc = 2.0 * p->gamma_J_m2 * p->Vm_metal_m3_mol / (EXSOL_RGAS * p->T_K);
    m->N0s_sc = p->N0_surface_m2 / EXSOL_KWN_NSC;
    m->N0b_sc = p->N0_buried_m3 * p->L_m / EXSOL_KWN_NSC;
    m->inv_xS_s = p->accommodation ? inv_xS(p, p->eps_acc_J) : 0.0;
    m->inv_xS_b = p->accommodation ? inv_xS(p, p->eps_acc_J - p->d_eps_buried_J) : 0.0;
    /* alloys: no closed form of the equilibrium split; no t_half/t_90 roots */
    m->f_ex = p->alloy ? 0.0 : exsol_kwn_equilibrium_fraction(p);
}

double exsol_kwn_critical_radius(const struct exsol_kwn_problem *p, double aphi)
{
    double xbar = (p->z - aphi) / (1.0 - aphi);
    double ixs = 0.0;
    if (p->accommodation) {
        ixs = inv_xS(p, p->eps_acc_J - p->d_eps_buried_J);
        double ixs_s = inv_xS(p, p->eps_acc_J);
        if (ixs_s > ixs)
            ixs = ixs_s;
    }
    double xeq = xeq_eff(p, ixs, aphi);
    if (!(xbar > xeq) || !(p->T_K > 0))
        return NAN;
    return 2.0 * p->gamma_J_m2 * p->Vm_metal_m3_mol / (EXSOL_RGAS * p->T_K * log(xbar / xeq));
}

double exsol_kwn_model_xav(const struct exsol_kwn_model *m, double aphi)
{
    double xav = (m->p->z - aphi) / (1.0 - aphi);
    if (xav < 1e-300)
        xav = 1e-300;
    return xav;
}

double exsol_kwn_model_gt(const struct exsol_kwn_model *m, double R_m)
{
    double e = m->lc / R_m;
    if (e > GT_EXP_MAX)
        e = GT_EXP_MAX;
    return exp(e);
}

double exsol_kwn_model_xi(const struct exsol_kwn_model *m, double gt, double xeq)
{
    double xi = xeq * gt;
    if (xi > 0.5 * m->alpha)
        xi = 0.5 * m->alpha;
    return xi;
}

double exsol_kwn_model_growth_coef(const struct exsol_kwn_model *m, double R_m, double xi)
{
    return m->D / (R_m * (m->alpha - xi));
}

/* The nucleation rate for the driving force lnS = ln(x̄/x_eq) (binary) or ln S* (alloy)
 * and the attachment product xav·D. */
static double nucleation_core(const struct exsol_kwn_model *m, double lnS, double xav, double D,
                              double fbar, double t, double *Rnuc)
{
    const struct exsol_kwn_problem *p = m->p;
    double T = p->T_K, g = p->gamma_J_m2, Vm = p->Vm_metal_m3_mol;
    double dGv = EXSOL_RGAS * T * lnS / Vm;
    if (!(dGv > 0.0))
        return 0.0;
    double Rs = 2.0 * g / dGv;
    double Gs = fbar * 16.0 * EXSOL_PI * g * g * g / (3.0 * dGv * dGv);
    double Z = Vm / (2.0 * EXSOL_PI * EXSOL_NA * Rs * Rs) * sqrt(g / (EXSOL_KB * T));
    double a2 = p->a_host_m * p->a_host_m;
    double beta = 4.0 * EXSOL_PI * Rs * Rs * xav * D / (a2 * a2);
    double tau = 1.0 / (p->incubation_theta * beta * Z * Z);
    *Rnuc = Rs + 0.5 * sqrt(EXSOL_KB * T / (EXSOL_PI * g));
    double ex = -Gs / (EXSOL_KB * T) - tau / t;
    if (ex < -700.0)
        return 0.0;
    return Z * beta * exp(ex);
}

double exsol_kwn_model_nucleation(const struct exsol_kwn_model *m, double xav, double xeq,
                                  double fbar, double t, double *Rnuc)
{
    *Rnuc = 0.0;
    if (!m->p->nucleation || t <= 0.0 || xav <= xeq)
        return 0.0;
    return nucleation_core(m, log(xav / xeq), xav, m->D, fbar, t, Rnuc);
}

double exsol_kwn_model_nucleation_lnS(const struct exsol_kwn_model *m, double lnS, double xD,
                                      double fbar, double t, double *Rnuc)
{
    *Rnuc = 0.0;
    if (!m->p->nucleation || t <= 0.0 || !(lnS > 0.0) || !(xD > 0.0))
        return 0.0;
    return nucleation_core(m, lnS, xD, 1.0, fbar, t, Rnuc);
}

/* ---- alloys (breadth-and-uncertainty.md §4.1) ---------------------------- */

void exsol_kwn_alloy_activity(const struct exsol_kwn_problem *p, double X, double *ln_a1,
                              double *ln_a2)
{
    const double *L = p->rk_L_J_mol;
    double u = 1.0 - 2.0 * X;
    double P = L[0] + u * (L[1] + u * L[2]);
    double dP = L[1] + 2.0 * L[2] * u; /* dP/du; du/dX = -2 */
    double G = X * (1.0 - X) * P;
    double dG = u * P - 2.0 * X * (1.0 - X) * dP;
    double RT = EXSOL_RGAS * p->T_K;
    /* mu_1^ex = G - X G', mu_2^ex = G + (1 - X) G' */
    *ln_a1 = log(fmax(1.0 - X, 1e-300)) + (G - X * dG) / RT;
    *ln_a2 = log(fmax(X, 1e-300)) + (G + (1.0 - X) * dG) / RT;
}

/* h(X) = ln(s2/a2) - ln(s1/a1): +inf at X -> 0, -inf at X -> 1. */
static double tangent_gap(const struct exsol_kwn_problem *p, double ls1, double ls2, double X)
{
    double la1, la2;
    exsol_kwn_alloy_activity(p, X, &la1, &la2);
    return (ls2 - la2) - (ls1 - la1);
}

double exsol_kwn_alloy_nucleus(const struct exsol_kwn_problem *p, double s1, double s2,
                               double *X)
{
    double ls1 = log(fmax(s1, 1e-300)), ls2 = log(fmax(s2, 1e-300));
    /* bisection on u = ln(X/(1 - X)); the ideal root u = ln(s2/s1) brackets a start */
    double lo = -690.0, hi = 690.0;
    for (int it = 0; it < 120 && hi - lo > 1e-10; it++) {
        double u = 0.5 * (lo + hi);
        double Xu = 1.0 / (1.0 + exp(-u));
        if (tangent_gap(p, ls1, ls2, Xu) > 0.0)
            lo = u;
        else
            hi = u;
    }
    double Xs = 1.0 / (1.0 + exp(-0.5 * (lo + hi)));
    double la1, la2;
    exsol_kwn_alloy_activity(p, Xs, &la1, &la2);
    *X = Xs;
    return ls1 - la1;
}

/* δ_eq(f): the problem's exact evaluator if it has one; else a cubic Hermite with
 * centred slopes (one-sided at the ends) in the table on f = i/(n − 1); δ0 without
 * either. */
double exsol_kwn_delta_eq(const struct exsol_kwn_problem *p, double f)
{
    if (p->delta_eq_fn)
        return p->delta_eq_fn(p->delta_eq_ctx, f);
    size_t n = p->n_delta_eq;
    if (!p->delta_eq || n == 0)
        return p->delta0;
    if (n == 1)
        return p->delta_eq[0];
    double h = 1.0 / (double)(n - 1);
    if (f <= 0.0)
        return p->delta_eq[0];
    if (f >= 1.0)
        return p->delta_eq[n - 1];
    size_t i = (size_t)(f / h);
    if (i >= n - 1)
        i = n - 2;
    double t = (f - (double)i * h) / h;
    const double *d = p->delta_eq;
    double m0 = (i == 0) ? d[1] - d[0] : 0.5 * (d[i + 1] - d[i - 1]);
    double m1 = (i + 1 == n - 1) ? d[n - 1] - d[n - 2] : 0.5 * (d[i + 2] - d[i]);
    double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * d[i] + (t3 - 2 * t2 + t) * m0 +
           (-2 * t3 + 3 * t2) * d[i + 1] + (t3 - t2) * m1;
}

/* dq̃/dt = −(1 − fz)(k_chem/L)(δ_eq(f) − δ′), δ′ = 3 − (q̃ − (v/2) z f)/(1 − fz). */
double exsol_kwn_model_oxygen_rate(const struct exsol_kwn_model *m, double aphi, double q)
{
    const struct exsol_kwn_problem *p = m->p;
    double zf = aphi; /* f·z */
    double f = (p->z > 0.0) ? aphi / p->z : 0.0;
    double dprime = 3.0 - (q - 0.5 * p->v_dopant * zf) / (1.0 - zf);
    return -(1.0 - zf) * (p->k_chem_m_s / m->L) * (exsol_kwn_delta_eq(p, f) - dprime);
}

double exsol_kwn_model_oxygen_rate_alloy(const struct exsol_kwn_model *m, double aphi,
                                         double a2, double q)
{
    const struct exsol_kwn_problem *p = m->p;
    double a1 = aphi - a2;
    double dprime = 3.0 - (q - 0.5 * (p->v_dopant * a1 + p->v_dopant2 * a2)) / (1.0 - aphi);
    double deq = p->delta_eq2_fn ? p->delta_eq2_fn(p->delta_eq_ctx, a1, a2)
                                 : exsol_kwn_delta_eq(p, p->z > 0.0 ? aphi / p->z : 0.0);
    return -(1.0 - aphi) * (p->k_chem_m_s / m->L) * (deq - dprime);
}

double exsol_kwn_model_oxygen_jac(const struct exsol_kwn_model *m)
{
    return -m->p->k_chem_m_s / m->L;
}

double exsol_kwn_model_oxygen_initial(const struct exsol_kwn_model *m, double aphi)
{
    const struct exsol_kwn_problem *p = m->p;
    return (3.0 - p->delta0) * (1.0 - aphi) + 0.5 * p->v_dopant * aphi;
}

void exsol_kwn_model_report(const struct exsol_kwn_model *m, double phi, double q, double *f,
                            double *xbar, double *delta)
{
    const struct exsol_kwn_problem *p = m->p;
    double aphi = m->alpha * phi;
    *f = (p->z > 0.0) ? aphi / p->z : 0.0;
    *xbar = (p->z - aphi) / (1.0 - aphi);
    *delta = 3.0 - (q - 0.5 * p->v_dopant * aphi) / (1.0 - aphi);
}

void exsol_kwn_model_report_alloy(const struct exsol_kwn_model *m, double phi, double a2,
                                  double q, double *f, double *xbar, double *delta)
{
    const struct exsol_kwn_problem *p = m->p;
    double aphi = m->alpha * phi;
    *f = (p->z > 0.0) ? aphi / p->z : 0.0;
    *xbar = (p->z - aphi) / (1.0 - aphi);
    *delta = 3.0 - (q - 0.5 * (p->v_dopant * (aphi - a2) + p->v_dopant2 * a2)) / (1.0 - aphi);
}

double exsol_kwn_sphere_volume(double R_m)
{
    return 4.0 * EXSOL_PI / 3.0 * R_m * R_m * R_m;
}

double exsol_kwn_model_dphi_surface(const struct exsol_kwn_model *m, double vol_m3)
{
    return EXSOL_KWN_NSC / m->p->L_m * vol_m3 * m->p->cap_volume_factor;
}

double exsol_kwn_model_dphi_buried(const struct exsol_kwn_model *m, double vol_m3)
{
    return EXSOL_KWN_NSC / m->p->L_m * vol_m3;
}

size_t exsol_kwn_film_cap(const struct exsol_kwn_model *m, const double *edge, size_t n)
{
    for (size_t k = 1; k <= n; k++)
        if (edge[k] >= 0.5 * m->p->L_m)
            return k;
    return n;
}
