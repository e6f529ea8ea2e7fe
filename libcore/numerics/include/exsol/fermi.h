/* Fermi–Dirac integrals and carrier statistics for a parabolic band
 * (defects-and-transport.md §4).
 *
 * F_j(η) = 1/Γ(j+1) ∫_0^∞ x^j dx / (1 + e^{x-η})   (Blakemore normalisation,
 * F_j → e^η for η ≪ 0), with η = (E_F − E_c)/kT. n = N_c F_1/2(η).
 * Accuracy: relative error below 1e-12 for every finite η (series for η < −2,
 * Chebyshev tables on [−2, 42], Sommerfeld expansion above). Pure functions,
 * thread-safe, no allocation. */
#ifndef EXSOL_FERMI_H
#define EXSOL_FERMI_H

/* F_1/2(η); underflows to 0 below η ≈ −745. */
double exsol_fd_half(double eta);
/* F_−1/2(η) = dF_1/2/dη. */
double exsol_fd_mhalf(double eta);
/* F_2(η) (used in the energy average of the ionised-impurity relaxation time). */
double exsol_fd_2(double eta);

/* η such that F_1/2(η) = r, for r > 0 (r = n/N_c). Joyce–Dixon series for r ≤ 10,
 * Sommerfeld asymptote above, then Newton on ln F_1/2 (quadratic: stops once a step
 * is below 1e-7 max(1,|η|), leaving an error below ~1e-13).
 * r ≤ 0 or NaN returns -HUGE_VAL. */
double exsol_fd_half_inv(double r);
/* Same, and F_−1/2 at the result in *fm12 (if non-NULL): taken from the last Newton
 * iterate, so accurate to ~1e-7 relative — enough for scattering rates, and free. */
double exsol_fd_half_inv_d(double r, double *fm12);
/* The unpolished starting value (Joyce–Dixon / Sommerfeld), for tests. */
double exsol_fd_half_inv_approx(double r);

/* Effective density of states N_c = 2 (2π m_dos m0 k T / h²)^{3/2}, m⁻³. */
double exsol_fd_Nc_m3(double T_K, double m_dos);

#endif
