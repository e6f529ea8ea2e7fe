/* Fermi–Dirac integrals F_−1/2, F_1/2, F_2 and the inverse of F_1/2.
 *
 * Why this split: the transport stage evaluates F_1/2 millions of times (defect
 * solves at every temperature of every candidate), so quadrature is out. The
 * integrand 1/(1+e^{x−η}) makes F_j an analytic function of η whose nearest
 * singularities sit at η = ±iπ; Chebyshev series on width-1 intervals therefore
 * converge geometrically (ratio ≈ 12.6), and degree 13 reaches ~1e-14.
 * The tables come from fermi_cheb.py (mpmath polylogarithm, 30 digits).
 *   η < −2:  F_j = Σ_k (−1)^{k+1} e^{kη}/k^{j+1}  (e^{η} ≤ 0.14: 20 terms suffice);
 *   η > 42:  Sommerfeld series F_j = η^{j+1}/Γ(j+2) [1 + Σ c_k η^{−2k}]; for
 *            half-integer j the exponentially small reflection term cos(πj)F_j(−η)
 *            vanishes identically, so five terms give < 1e-13 relative at η = 42.
 */
#include "exsol/fermi.h"

#include "exsol/constants.h"
#include "fermi_cheb.h"

#include <math.h>
#include <stddef.h>

#define SERIES_TERMS 40

enum fd_order { FD_MHALF, FD_HALF, FD_TWO };

/* Alternating series, valid for η < 0; used below −2 where e^η ≤ 0.135, so at
 * most ~20 terms reach the 1e-17 cut. */
static double fd_series(double eta, enum fd_order j)
{
    double e = exp(eta), t = e, sum = 0.0;
    for (int k = 1; k <= SERIES_TERMS; k++) {
        double dk = (double)k;
        double kpow = j == FD_HALF ? dk * sqrt(dk) : j == FD_MHALF ? sqrt(dk) : dk * dk * dk;
        double term = t / kpow;
        sum += (k & 1) ? term : -term;
        if (term <= 1e-17 * sum)
            break;
        t *= e;
    }
    return sum;
}

static double cheb_eval(const double (*tab)[FERMI_CHEB_NC], double eta)
{
    int i = (int)((eta - FERMI_CHEB_LO) / FERMI_CHEB_WIDTH);
    if (i < 0)
        i = 0;
    if (i >= FERMI_CHEB_NINT)
        i = FERMI_CHEB_NINT - 1;
    double a = FERMI_CHEB_LO + FERMI_CHEB_WIDTH * i;
    double t = 2.0 * (eta - a) / FERMI_CHEB_WIDTH - 1.0, t2 = 2.0 * t;
    const double *c = tab[i];
    double b1 = 0.0, b2 = 0.0;
    for (int k = FERMI_CHEB_NC - 1; k >= 1; k--) {
        double b0 = t2 * b1 - b2 + c[k];
        b2 = b1;
        b1 = b0;
    }
    return t * b1 - b2 + c[0];
}

double exsol_fd_half(double eta)
{
    if (eta < FERMI_CHEB_LO)
        return fd_series(eta, FD_HALF);
    if (eta <= FERMI_CHEB_HI)
        return cheb_eval(fermi_cheb_p12, eta);
    double u = 1.0 / (eta * eta);
    double s = 1.0 + u * (1.2337005501361698 +
                          u * (1.0654119331844017 +
                               u * (9.7015185549591268 +
                                    u * (242.71504814667832 + u * 11865.691745445624))));
    return 0.75225277806367505 * eta * sqrt(eta) * s;
}

double exsol_fd_mhalf(double eta)
{
    if (eta < FERMI_CHEB_LO)
        return fd_series(eta, FD_MHALF);
    if (eta <= FERMI_CHEB_HI)
        return cheb_eval(fermi_cheb_m12, eta);
    double u = 1.0 / (eta * eta);
    double s =
        1.0 -
        u * (0.41123351671205661 +
             u * (1.7756865553073361 +
                  u * (29.10455566487738 + u * (1051.765208635606 + u * 67238.919890858533))));
    return 1.1283791670955126 * sqrt(eta) * s;
}

double exsol_fd_2(double eta)
{
    if (eta < FERMI_CHEB_LO)
        return fd_series(eta, FD_TWO);
    if (eta <= FERMI_CHEB_HI)
        return cheb_eval(fermi_cheb_p2, eta);
    /* exact for integer order: F_2(η) = η³/6 + π²η/6 + F_2(−η), last term < e^−42 */
    return eta * eta * eta / 6.0 + 1.6449340668482264 * eta + exp(-eta);
}

double exsol_fd_half_inv_approx(double r)
{
    if (!(r > 0.0))
        return -HUGE_VAL;
    if (r <= 10.0) {
        /* Joyce & Dixon, Appl. Phys. Lett. 31, 354 (1977) [L-42] */
        const double A1 = 3.53553390593273762e-1, A2 = -4.95008973e-3, A3 = 1.48386e-4,
                     A4 = -4.42563e-6;
        return log(r) + r * (A1 + r * (A2 + r * (A3 + r * A4)));
    }
    /* Sommerfeld: F_1/2 ≈ (4/3√π) η^{3/2} (1 + π²/8η²) -> η² ≈ (3√π r/4)^{4/3} − π²/6 */
    double y = pow(0.75 * sqrt(EXSOL_PI) * r, 4.0 / 3.0) - EXSOL_PI * EXSOL_PI / 6.0;
    return sqrt(y);
}

double exsol_fd_half_inv_d(double r, double *fm12)
{
    double dF = NAN;
    if (!(r > 0.0)) {
        if (fm12)
            *fm12 = 0.0;
        return -HUGE_VAL;
    }
    double eta = exsol_fd_half_inv_approx(r);
    /* A1 and A2 are the exact Taylor coefficients of the inverse series and A3, A4
     * nearly so: below r = 1e-3 the remainder (~r^5) is under 1e-15 */
    if (r > 1e-3) {
        for (int it = 0; it < 12; it++) {
            double F = exsol_fd_half(eta);
            dF = exsol_fd_mhalf(eta);
            if (!(F > 0.0) || !(dF > 0.0))
                break;
            /* Newton on F_1/2 itself: F is increasing and convex and the start is
             * within 3e-3 (Joyce–Dixon) or 1e-2 (Sommerfeld) of the root, so the
             * iteration is quadratic from the first step; after a step of size s the
             * error is ~s² (F''/F' ≤ 1), so a step under 1e-7 leaves < 1e-14 and
             * needs no confirming evaluation. */
            double step = (F - r) / dF;
            eta -= step;
            if (fabs(step) <= 1e-7 * fmax(1.0, fabs(eta)))
                break;
        }
    }
    if (fm12)
        *fm12 = isfinite(dF) ? dF : exsol_fd_mhalf(eta);
    return eta;
}

double exsol_fd_half_inv(double r)
{
    return exsol_fd_half_inv_d(r, NULL);
}

double exsol_fd_Nc_m3(double T_K, double m_dos)
{
    /* 2 (2π m0 k / h²)^{3/2} = 4.8294e21 m⁻³ K^{-3/2} (CODATA 2018 constants) */
    const double m0 = EXSOL_M0, kB = EXSOL_KB, h = EXSOL_H;
    double x = 2.0 * EXSOL_PI * m_dos * m0 * kB * T_K / (h * h);
    return 2.0 * x * sqrt(x);
}
