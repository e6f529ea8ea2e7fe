/* Mobility, permittivity and effective-medium building blocks of the transport
 * stage (defects-and-transport.md §3).
 *
 * Mobility by Matthiessen's rule, 1/μ = 1/μ_LO + 1/μ_ac + 1/μ_II + 1/μ_res:
 *  - LO phonons: [L-32] fits μ0 exp(Θ/T) with Θ ≈ 700 K over 190–500 K. The
 *    scattering rate of polar optical phonons goes with their occupation
 *    1/(e^{Θ/T} − 1), so we use μ0 (e^{Θ/T} − 1): identical within 10 % at 300 K and
 *    exact in spirit at low T, where the LO channel freezes out exponentially.
 *  - acoustic phonons limit clean STO at low T [L-35]; μ_ac ∝ 1/T (degenerate
 *    deformation-potential law), pinned to the clean-crystal records [L-36, 37].
 *  - ionised impurities: Brooks–Herring screened Coulomb scattering. The screening
 *    wave vector is the Fermi–Dirac generalisation of Debye/Thomas–Fermi,
 *    q² = e² (∂n/∂E_F)/(ε0 ε_r) with ∂n/∂E_F = n F_−1/2(η)/(F_1/2(η) kT), and ε_r(T)
 *    from the Barrett formula: the huge low-T permittivity of SrTiO3 screens the
 *    impurities and is why its mobility rises by orders of magnitude on cooling.
 *    τ(E) ∝ E^{3/2}; its transport average over the Fermi–Dirac distribution is
 *    ⟨⟨τ⟩⟩ = τ(kT) · (4/Γ(3/2)) F_2(η)/F_1/2(η) (non-degenerate: 4.51 τ(kT), the
 *    Brooks–Herring prefactor; degenerate: τ(E_F)). The slowly varying logarithm
 *    is evaluated at the energy E* with τ(E*) equal to that average.
 *  - residual short-range (neutral-defect) scattering, μ_res ∝ 1/N_defect, a
 *    calibrated term that keeps heavily doped films at realistic low-T mobility.
 */
#include "exsol/constants.h"
#include "exsol/fermi.h"
#include "exsol/transport.h"

#include <math.h>

double exsol_barrett_eps(const struct exsol_transport_params *tp, double T_K)
{
    double h = 0.5 * tp->barrett_T1_K, x = h / T_K;
    double coth = x > 20.0 ? 1.0 : 1.0 / tanh(x);
    return tp->barrett_A + tp->barrett_M_K / (h * coth - tp->barrett_T0_K);
}

double exsol_mobility_lattice(const struct exsol_transport_params *tp, double T_K)
{
    double inv = 0.0;
    double bose = expm1(tp->theta_LO_K / T_K); /* may be +inf at very low T */
    if (tp->mu_LO0_m2 > 0)
        inv += 1.0 / (tp->mu_LO0_m2 * bose);
    if (tp->mu_ac_ref_m2 > 0)
        inv += T_K / (tp->mu_ac_ref_m2 * tp->T_ac_ref_K);
    return inv > 0 ? 1.0 / inv : HUGE_VAL;
}

double exsol_mobility_ii(const struct exsol_transport_params *tp, double T_K, double eps_r,
                         double n_m3, double eta, double NZ2_m3)
{
    return exsol_mobility_ii_f(tp, T_K, eps_r, n_m3, eta, exsol_fd_half(eta),
                               exsol_fd_mhalf(eta), NZ2_m3);
}

double exsol_mobility_ii_f(const struct exsol_transport_params *tp, double T_K, double eps_r,
                           double n_m3, double eta, double F12, double Fm12, double NZ2_m3)
{
    if (!(NZ2_m3 > 0))
        return HUGE_VAL;
    double kT = EXSOL_KB * T_K, m = tp->m_cond * EXSOL_M0, eps = EXSOL_EPS0 * eps_r;
    double F2 = exsol_fd_2(eta);
    double ratio = F12 > 0 ? F2 / F12 : 1.0;        /* → 1 for η ≪ 0 */
    double avg = 4.0 / 0.88622692545275801 * ratio; /* ⟨⟨τ⟩⟩/τ(kT) */
    double Estar = kT * cbrt(avg * avg);
    double dndE = F12 > 0 ? n_m3 * Fm12 / (F12 * kT) : n_m3 / kT;
    double q2 = EXSOL_E * EXSOL_E * dndE / eps;
    double b = q2 > 0 ? 8.0 * m * Estar / (EXSOL_HBAR * EXSOL_HBAR * q2) : 1e30;
    if (b > 1e30)
        b = 1e30;
    double g = b < 1e-4 ? b * b * (0.5 - 2.0 * b / 3.0) : log1p(b) - b / (1.0 + b);
    /* τ(E*) = 16π √(2m) ε² E*^{3/2} / (N Z² e⁴ g) */
    double tau = 16.0 * EXSOL_PI * sqrt(2.0 * m) * eps * eps * Estar * sqrt(Estar) /
                 (NZ2_m3 * EXSOL_E * EXSOL_E * EXSOL_E * EXSOL_E * g);
    return EXSOL_E * tau / m;
}

double exsol_emt_bruggeman(double s1, double s2, double f2)
{
    double f1 = 1.0 - f2;
    double B = (3.0 * f1 - 1.0) * s1 + (3.0 * f2 - 1.0) * s2;
    double D = sqrt(B * B + 8.0 * s1 * s2);
    if (B >= 0)
        return 0.25 * (B + D);
    /* the same root without cancellation when B < 0 */
    return D - B > 0 ? 2.0 * s1 * s2 / (D - B) : 0.0;
}

double exsol_emt_maxwell_garnett(double sm, double si, double f)
{
    return sm * (si + 2.0 * sm + 2.0 * f * (si - sm)) / (si + 2.0 * sm - f * (si - sm));
}

double exsol_mott_density(const struct exsol_transport_params *tp, double eps_r, double m)
{
    double aB = EXSOL_A0 * eps_r / m;
    double k = tp->mott_const / aB;
    return k * k * k;
}
