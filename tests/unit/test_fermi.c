/* F_1/2, F_−1/2, F_2 and the inverse of F_1/2 against an independent quadrature.
 *
 * Reference values: composite 12-point Gauss–Legendre on the integrals with the
 * substitution x = t² (which removes the x^{±1/2} endpoint singularities), panels
 * aligned with the Fermi edge t = √η. The quadrature checks itself: the same
 * integral with twice as many panels must agree to 1e-12 relative, otherwise the
 * test fails (so a wrong reference cannot make a wrong library pass). */
#include "check.h"
#include "exsol/fermi.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846

static const double gl_x[6] = {0.1252334085114689, 0.3678314989981802, 0.5873179542866175,
                               0.7699026741943047, 0.9041172563704749, 0.9815606342467192};
static const double gl_w[6] = {0.2491470458134028, 0.2334925365383548, 0.2031674267230659,
                               0.1600783285433462, 0.1069393259953184, 0.0471753363865118};

/* integrand in t (x = t²) for order j: 2 t^{2j+1} / (1 + e^{t² − η}) / Γ(j+1) */
static double integrand(int twoj, double t, double eta)
{
    double x = t * t, d = x - eta;
    double fermi = d > 0 ? exp(-d) / (1.0 + exp(-d)) : 1.0 / (1.0 + exp(d));
    switch (twoj) {
    case -1:
        return 2.0 * fermi / sqrt(PI);
    case 1:
        return 4.0 * x * fermi / sqrt(PI);
    case 2:
        return 2.0 * x * t * fermi; /* j = 1 (dF_2/dη = F_1) */
    default:
        return x * x * t * fermi; /* j = 2: 2 t^5 f / Γ(3) */
    }
}

static double quad_range(int twoj, double eta, double a, double b, int panels)
{
    double h = (b - a) / panels, sum = 0.0;
    for (int p = 0; p < panels; p++) {
        double c = a + (p + 0.5) * h, r = 0.5 * h;
        for (int k = 0; k < 6; k++)
            sum +=
                gl_w[k] * r *
                (integrand(twoj, c - r * gl_x[k], eta) + integrand(twoj, c + r * gl_x[k], eta));
    }
    return sum;
}

static double quad_n(int twoj, double eta, int panels)
{
    double t0 = eta > 0 ? sqrt(eta) : 0.0;
    double tmax = sqrt((eta > 0 ? eta : 0.0) + 60.0);
    double s = 0.0;
    if (t0 > 0)
        s += quad_range(twoj, eta, 0.0, t0, panels);
    s += quad_range(twoj, eta, t0, tmax, panels);
    return s;
}

static int quad_bad = 0;
static double quad(int twoj, double eta)
{
    double a = quad_n(twoj, eta, 60), b = quad_n(twoj, eta, 120);
    if (!(fabs(a - b) <= 1e-12 * fabs(b)))
        quad_bad++;
    return b;
}

int main(void)
{
    double worst[3] = {0, 0, 0}, worst_inv = 0, worst_inv_r = 0;
    for (int i = 0; i <= 600; i++) {
        double eta = -10.0 + 0.1 * i + 0.0137; /* off the table knots */
        double q12 = quad(1, eta), qm12 = quad(-1, eta), q2 = quad(4, eta);
        worst[0] = fmax(worst[0], fabs(exsol_fd_half(eta) / q12 - 1));
        worst[1] = fmax(worst[1], fabs(exsol_fd_mhalf(eta) / qm12 - 1));
        worst[2] = fmax(worst[2], fabs(exsol_fd_2(eta) / q2 - 1));
        double ei = exsol_fd_half_inv(q12);
        worst_inv = fmax(worst_inv, fabs(ei - eta) / fmax(1.0, fabs(eta)));
        worst_inv_r = fmax(worst_inv_r, fabs(exsol_fd_half(ei) / q12 - 1));
    }
    CHECK_EQ_INT(quad_bad, 0);
    printf(
        "max rel err on [-10, 50]: F1/2 %.2e  F-1/2 %.2e  F2 %.2e  inverse eta %.2e r %.2e\n",
        worst[0], worst[1], worst[2], worst_inv, worst_inv_r);
    CHECK(worst[0] < 1e-6);
    CHECK(worst[1] < 1e-6);
    CHECK(worst[2] < 1e-6);
    CHECK(worst_inv < 1e-6);
    CHECK(worst_inv_r < 1e-6);
    /* the tables are much better than the requirement: catch a regenerated table
     * that silently lost digits */
    CHECK(worst[0] < 1e-11);

    /* across the piece boundaries (series/table at −2, table/asymptote at 42) */
    const double knots[] = {-2.0, 0.0, 20.0, 42.0};
    for (int k = 0; k < 4; k++) {
        /* value just below + slope × 2e-9 must give the value just above */
        double lo = knots[k] - 1e-9, hi = knots[k] + 1e-9;
        double d12 = exsol_fd_mhalf(knots[k]), d2 = quad(2, knots[k]);
        double dm12 = (quad(-1, knots[k] + 1e-3) - quad(-1, knots[k] - 1e-3)) / 2e-3;
        CHECK_CLOSE(exsol_fd_half(lo) + 2e-9 * d12, exsol_fd_half(hi), 1e-12, 0);
        CHECK_CLOSE(exsol_fd_mhalf(lo) + 2e-9 * dm12, exsol_fd_mhalf(hi), 1e-12, 0);
        CHECK_CLOSE(exsol_fd_2(lo) + 2e-9 * d2, exsol_fd_2(hi), 1e-12, 0);
    }
    /* deep degenerate range */
    for (double eta = 60; eta <= 400; eta *= 1.7) {
        CHECK_CLOSE(exsol_fd_half(eta), quad(1, eta), 1e-9, 0);
        CHECK_CLOSE(exsol_fd_mhalf(eta), quad(-1, eta), 1e-9, 0);
        CHECK_CLOSE(exsol_fd_half_inv(exsol_fd_half(eta)), eta, 1e-10, 0);
    }

    /* Boltzmann limit: F_j → e^η, corrections −e^{2η}/2^{j+1} + e^{3η}/3^{j+1} */
    for (double eta = -40; eta <= -10; eta += 5) {
        double e = exp(eta);
        CHECK_CLOSE(exsol_fd_half(eta), e * (1 - e / pow(2, 1.5) + e * e / pow(3, 1.5)), 1e-12,
                    0);
        CHECK_CLOSE(exsol_fd_mhalf(eta), e * (1 - e / sqrt(2) + e * e / sqrt(3)), 1e-12, 0);
        CHECK_CLOSE(exsol_fd_half_inv(exsol_fd_half(eta)), eta, 0, 1e-9);
        /* inverse of r = e^η is η + r/2^{3/2} to first order */
        CHECK_CLOSE(exsol_fd_half_inv(e), eta + e / pow(2, 1.5), 0, 1e-9);
    }
    /* Sommerfeld leading term for η ≫ 1 */
    CHECK_CLOSE(exsol_fd_half(1e4), 4.0 / (3.0 * sqrt(PI)) * pow(1e4, 1.5), 1e-7, 0);
    /* derivative consistency: F_−1/2 = dF_1/2/dη */
    for (double eta = -5; eta < 45; eta += 3.3) {
        double h = 1e-5;
        CHECK_CLOSE((exsol_fd_half(eta + h) - exsol_fd_half(eta - h)) / (2 * h),
                    exsol_fd_mhalf(eta), 1e-8, 0);
    }

    /* Joyce–Dixon start: errors quoted in the reference (1e-7 at r = 1, 3e-3 at r = 8) */
    double eta1 = exsol_fd_half_inv(1.0), eta8 = exsol_fd_half_inv(8.0);
    CHECK(fabs(exsol_fd_half_inv_approx(1.0) - eta1) < 1e-6);
    CHECK(fabs(exsol_fd_half_inv_approx(8.0) - eta8) < 5e-3);
    CHECK(fabs(exsol_fd_half_inv_approx(20.0) - exsol_fd_half_inv(20.0)) < 2e-2);
    /* reference table §4: n = 1e21 cm⁻³, m_D = 1.8, 300 K: η = +7.7 */
    double Nc = exsol_fd_Nc_m3(300.0, 1.8);
    CHECK_CLOSE(exsol_fd_half_inv(1e27 / Nc), 7.7, 0, 0.06);
    /* N_c = 2.509e19 (m_D)^{3/2} cm⁻³ at 300 K */
    CHECK_CLOSE(exsol_fd_Nc_m3(300.0, 1.0), 2.509e25, 1e-3, 0);
    CHECK_CLOSE(exsol_fd_Nc_m3(900.0, 4.0) / exsol_fd_Nc_m3(300.0, 4.0), pow(3.0, 1.5), 1e-12,
                0);
    CHECK(exsol_fd_half_inv(0.0) == -HUGE_VAL);
    CHECK(exsol_fd_half_inv(-1.0) == -HUGE_VAL);
    return check_report("test_fermi");
}
