/* Frozen-cation defect chemistry: neutrality and mass action to solver precision,
 * the LSNT anchors of defects-and-transport.md §2.4, Brouwer slopes, and why the
 * electron activity (not n) must enter the mass-action law. Parameters come from
 * datasets/defects-parameters.csv (the shipped defaults). */
#include "check.h"
#include "exsol/defects.h"
#include "exsol/fermi.h"
#include "exsol/params.h"

#include <math.h>
#include <stdlib.h>

#define KB 1.380649e-23
#define ATM 101325.0
#define FU_CM3 1.679e22 /* formula units per cm³ (a = 3.905 Å) */

static const double T_anneal = 823.15;     /* 550 °C */
static const double pO2_gas = 8e-27 * ATM; /* 5% H2 + 3% H2O at 550 °C (Pa) */

/* mass action (1) recomputed from a solved state: returns ln of the ratio to K_red */
static double mass_action_log_error(const struct exsol_defect_params *dp, double T,
                                    double pO2_Pa, const struct exsol_defect_state *s)
{
    double V = pow(dp->a_lattice_m, 3);
    double m = exsol_defect_mdos(dp, s->n_m3);
    double ae = exsol_fd_Nc_m3(T, m) * V * exp(s->eta);
    double u = s->delta / (1.0 - s->delta / dp->delta_max); /* dilute-equivalent */
    double lnK = log(dp->K_red0) - dp->dH_red_J / (KB * T);
    return log(u) + 2.0 * log(ae) + 0.5 * log(pO2_Pa / ATM) - lnK;
}

int main(void)
{
    char err[256] = "";
    exsol_params *reg = NULL;
    int rc = exsol_params_load("defects", &reg, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return check_report("test_defects");
    }
    struct exsol_defect_params dp;
    CHECK_EQ_INT(exsol_defect_params_from(reg, &dp, err, sizeof err), 0);
    CHECK_CLOSE(1.0 / pow(dp.a_lattice_m * 100, 3), FU_CM3, 1e-3, 0);

    const struct exsol_lattice lsnt = {0.2, 0.1, 0.1, 2.0, 0.0};
    const struct exsol_lattice host = {0.2 / 0.9, 0.0, 0.0, 2.0, 0.0}; /* La0.222Sr0.778TiO3 */
    struct exsol_defect_state s, f;

    /* 1. neutrality < 1e-10 and mass action over a sweep of lattices, T and pO2 */
    double worst_res = 0, worst_ma = 0;
    int fails = 0;
    for (double x = 0; x <= 0.4; x += 0.1)
        for (double a = 0; a <= 0.15; a += 0.05)
            for (double z = 0; z <= 0.2; z += 0.1)
                for (double T = 600; T <= 1600; T += 250)
                    for (double lp = -35; lp <= 0; lp += 5) {
                        struct exsol_lattice L = {x, a, z, 2.0, 0.0};
                        double p = pow(10, lp) * ATM;
                        if (exsol_defect_equilibrium(&dp, &L, T, p, &s)) {
                            fails++;
                            continue;
                        }
                        worst_res = fmax(worst_res, s.residual);
                        worst_ma = fmax(worst_ma, fabs(mass_action_log_error(&dp, T, p, &s)));
                        CHECK(s.delta >= 0 && s.delta <= dp.delta_max);
                        /* frozen at 2 K and 300 K with that δ */
                        for (double Tm = 2; Tm <= 400; Tm += 298) {
                            if (exsol_defect_frozen(&dp, &L, s.delta, Tm, &f))
                                fails++;
                            else
                                worst_res = fmax(worst_res, f.residual);
                        }
                    }
    printf("sweep: worst relative residual %.2e, worst |ln mass-action error| %.2e\n",
           worst_res, worst_ma);
    CHECK_EQ_INT(fails, 0);
    CHECK(worst_res < 1e-10);
    CHECK(worst_ma < 1e-8);

    /* 2. anchors over the K_red0 uncertainty range (±2 decades around the default) */
    double K0_default = dp.K_red0;
    double aB_m = 0.0529177e-9 * 316.3 / dp.m_dos; /* hydrogenic radius, 300 K */
    double n_mott_m3 = pow(0.26 / aB_m, 3);
    for (double K0 = K0_default / 100; K0 <= K0_default * 100.1; K0 *= 10) {
        dp.K_red0 = K0;
        /* (a) pristine LSNT in the gas at 550 °C stays compensated: δ ≈ 0.10, n ≪ n_Mott */
        CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &lsnt, T_anneal, pO2_gas, &s), 0);
        CHECK_CLOSE(s.delta, 0.10, 1e-4, 0);
        CHECK(s.n_m3 < 0.1 * n_mott_m3);
        CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, s.delta, 300.0, &f), 0);
        CHECK(f.n_m3 < 0.1 * n_mott_m3);
        /* (b) fully exsolved host: electronic compensation, δ′ ≈ 0, n = 0.222 e/f.u. */
        CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &host, T_anneal, pO2_gas, &s), 0);
        CHECK(s.delta < 1e-3);
        CHECK_EQ_INT(exsol_defect_frozen(&dp, &host, s.delta, 300.0, &f), 0);
        CHECK_CLOSE(f.n_m3 * 1e-6, 0.2222 * FU_CM3, 0.01, 0); /* ≈ 3.73e21 cm⁻³ */
        CHECK(f.eta >= 3.0);
    }
    dp.K_red0 = K0_default;
    printf("pristine LSNT at 550 C: n = %.3g cm-3 (Mott %.3g); host n(300 K) = %.4g cm-3, "
           "eta = %.2f\n",
           (exsol_defect_equilibrium(&dp, &lsnt, T_anneal, pO2_gas, &s), s.n_m3 * 1e-6),
           n_mott_m3 * 1e-6,
           (exsol_defect_equilibrium(&dp, &host, T_anneal, pO2_gas, &s),
            exsol_defect_frozen(&dp, &host, s.delta, 300.0, &f), f.n_m3 * 1e-6),
           f.eta);

    /* 3. activity vs n: at the anneal the host electrons are degenerate, so the
     * activity N_c e^η exceeds n and a Boltzmann law (n in place of the activity)
     * would overestimate δ′ by (a_e/n)² */
    CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &host, T_anneal, pO2_gas, &s), 0);
    {
        double V = pow(dp.a_lattice_m, 3);
        double ae = exsol_fd_Nc_m3(T_anneal, exsol_defect_mdos(&dp, s.n_m3)) * V * exp(s.eta);
        printf("host at 550 C: eta = %.2f, activity/n = %.2f\n", s.eta, ae / s.n);
        CHECK(s.eta > 1.0);
        CHECK(ae / s.n > 2.0);
        /* ratio e^η/F_1/2(η) is the exact activity coefficient */
        CHECK_CLOSE(ae / s.n, exp(s.eta) / exsol_fd_half(s.eta), 1e-9, 0);
    }
    /* non-degenerate limit: activity → n */
    {
        struct exsol_lattice und = {0, 0, 0, 2, 0};
        CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &und, 1000.0, 1e-5 * ATM, &s), 0);
        CHECK(s.eta < -5);
        CHECK_CLOSE(exp(s.eta) / exsol_fd_half(s.eta), 1.0, 1e-2, 0);
    }

    /* 4. Brouwer slopes: undoped, very reducing: n = 2[V_O] ∝ pO2^{-1/6};
     * donor-doped at intermediate pO2: n = [D], flat */
    {
        struct exsol_lattice und = {0, 0, 0, 2, 0}, don = {0.02, 0, 0, 2, 0};
        double n1, n2;
        exsol_defect_equilibrium(&dp, &und, 1100.0, 1e-22 * ATM, &s);
        n1 = s.n;
        exsol_defect_equilibrium(&dp, &und, 1100.0, 1e-20 * ATM, &s);
        n2 = s.n;
        CHECK(s.eta < -3); /* non-degenerate, so the textbook slope applies */
        CHECK_CLOSE(log(n2 / n1) / log(100.0), -1.0 / 6.0, 0.02, 0);
        exsol_defect_equilibrium(&dp, &don, 1100.0, 1e-12 * ATM, &s);
        n1 = s.n;
        exsol_defect_equilibrium(&dp, &don, 1100.0, 1e-10 * ATM, &s);
        n2 = s.n;
        CHECK(fabs(log(n2 / n1) / log(100.0)) < 0.01);
        CHECK_CLOSE(n2, 0.02, 0.01, 0);
    }

    /* 5. site exclusion: extreme reduction saturates at δ_max, never beyond */
    {
        struct exsol_lattice und = {0, 0, 0, 2, 0};
        CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &und, 1600.0, 1e-40 * ATM, &s), 0);
        CHECK(s.delta <= dp.delta_max);
        CHECK(s.residual < 1e-10);
    }

    /* 6. frozen: δ decides n exactly when holes are negligible; quench arithmetic of
     * §2.4: LSNT at δ = 0.10 is compensated, δ = 0.15 gives n = 0.1 e/f.u. */
    CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, 0.15, 300.0, &f), 0);
    CHECK_CLOSE(f.n, 0.10, 1e-12, 0);
    CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, 0.10, 300.0, &f), 0);
    CHECK(f.n_m3 < 1e6); /* < 1 cm⁻³: intrinsic level of a 3.1 eV gap */
    CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, 0.10, 2.0, &f), 0);
    CHECK(f.residual < 1e-10);
    /* acceptor excess frozen: holes */
    CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, 0.09, 300.0, &f), 0);
    CHECK_CLOSE(f.p, 0.02, 1e-9, 0);

    /* 7. invalid input */
    CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, 0.1, 0.0, &f), 4 /* EXSOL_EVALUE */);
    CHECK_EQ_INT(exsol_defect_frozen(&dp, &lsnt, NAN, 300.0, &f), 4);
    CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &lsnt, 800.0, 0.0, &s), 4);

    /* 8. DOS mass law: knots and monotone n(η) */
    CHECK_CLOSE(exsol_defect_mdos(&dp, 1e24), dp.m_dos, 1e-12, 0);
    CHECK_CLOSE(exsol_defect_mdos(&dp, 1e27), dp.m_dos_high, 1e-12, 0);
    {
        double prev = 0;
        int mono = 1;
        for (double eta = -20; eta < 60; eta += 0.05) {
            double n = exsol_defect_n_of_eta(&dp, eta, 300.0);
            if (!(n > prev))
                mono = 0;
            prev = n;
            /* consistency: n = N_c(m(n)) F_1/2(η) */
            double m = exsol_defect_mdos(&dp, n);
            if (fabs(n / (exsol_fd_Nc_m3(300.0, m) * exsol_fd_half(eta)) - 1) > 1e-12)
                mono = 0;
        }
        CHECK(mono);
    }
    exsol_params_free(reg);
    return check_report("test_defects");
}
