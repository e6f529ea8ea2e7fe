/* Transport anchors of defects-and-transport.md §3–4 with the shipped parameters:
 * La:SrTiO3 mobility and resistivity at room temperature, the low-temperature rise,
 * the LSNT switch (compensated insulator -> degenerate metal, > 10^3), the signs of
 * dρ/dT, and the effective-medium bounds for 1.84 vol % Ni. */
#include "check.h"
#include "exsol/defects.h"
#include "exsol/params.h"
#include "exsol/transport.h"

#include <math.h>
#include <stdlib.h>

#define FU_CM3 1.679e22
#define CM2 1e-4     /* cm²/(V s) in m²/(V s) */
#define MOHM_CM 1e-5 /* mΩ cm in Ω m */

static double fu_cm3 = FU_CM3; /* 1/a³ of the parameter set, set in main */

static struct exsol_film la_sto(double n_cm3)
{
    struct exsol_film f = {{n_cm3 / fu_cm3, 0.0, 0.0, 2.0, 0.0}, 0.0, 0.0};
    return f;
}

int main(void)
{
    char err[256] = "";
    exsol_params *reg = NULL;
    int rc = exsol_params_load("transport+defects", &reg, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return check_report("test_transport");
    }
    struct exsol_transport_params tp;
    struct exsol_defect_params dp;
    CHECK_EQ_INT(exsol_transport_params_from(reg, &tp, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_defect_params_from(reg, &dp, err, sizeof err), 0);
    fu_cm3 = 1.0 / pow(dp.a_lattice_m * 100.0, 3);
    CHECK_CLOSE(fu_cm3, FU_CM3, 1e-3, 0);
    exsol_transport_model *m = NULL;
    CHECK_EQ_INT(exsol_transport_model_create(&tp, &dp, &m), 0);
    if (!m)
        return check_report("test_transport");

    /* Barrett permittivity: the two calibration anchors and 77 K (reference §3.1) */
    CHECK_CLOSE(exsol_barrett_eps(&tp, 300.0), 316.3, 0.01, 0);
    CHECK_CLOSE(exsol_barrett_eps(&tp, 2.0), 2.0e4, 0.03, 0);
    CHECK_CLOSE(exsol_barrett_eps(&tp, 77.0), 1750, 0.05, 0);
    /* Mott density at RT: 3e16–3e17 cm⁻³ (reference §3.3) */
    double nc = exsol_mott_density(&tp, 316.3, dp.m_dos) * 1e-6;
    CHECK(nc > 3e15 && nc < 3e17);

    /* La:SrTiO3 anchors: μ(300 K) 4–10 cm²/Vs for 1e19–1e21 cm⁻³ */
    struct exsol_film_point pt, lo;
    const double dens[] = {1e19, 1e20, 1e21, 3.7e21};
    for (int i = 0; i < 4; i++) {
        struct exsol_film f = la_sto(dens[i]);
        CHECK_EQ_INT(exsol_transport_film_at(m, &f, 300.0, &pt), 0);
        CHECK_EQ_INT(exsol_transport_film_at(m, &f, 2.0, &lo), 0);
        printf("La:STO n = %.2g cm-3: mu(300 K) = %.2f, mu(2 K) = %.3g cm2/Vs, rho(300 K) = "
               "%.3g mOhm cm, rho(2 K) = %.3g mOhm cm, eta = %.2f, kFl = %.2f\n",
               dens[i], pt.mu_m2 / CM2, lo.mu_m2 / CM2, pt.rho_ohm_m / MOHM_CM,
               lo.rho_ohm_m / MOHM_CM, pt.eta, pt.kFl);
        /* no freeze-out: all donors free (plus the ~5e15 cm⁻³ activated channel) */
        CHECK_CLOSE(pt.n_m3 * 1e-6, dens[i], 1e-3, 0);
        CHECK(pt.mu_m2 >= 4 * CM2 && pt.mu_m2 <= 10 * CM2);
        CHECK(lo.mu_m2 > pt.mu_m2);
        if (dens[i] <= 1e20) /* orders of magnitude on cooling */
            CHECK(lo.mu_m2 > 100 * pt.mu_m2);
        if (dens[i] == 1e20)
            CHECK(pt.rho_ohm_m >= 6 * MOHM_CM && pt.rho_ohm_m <= 16 * MOHM_CM);
        if (dens[i] == 3.7e21) {
            CHECK(pt.rho_ohm_m >= 0.15 * MOHM_CM && pt.rho_ohm_m <= 0.45 * MOHM_CM);
            /* Ioffe–Regel: k_F l = 3.6–7.5 for μ = 5 (reference §3.3), metallic */
            CHECK(pt.kFl > 1.0 && pt.kFl < 15.0);
            /* the hopping and activated channels are negligible in a degenerate film */
            CHECK(pt.sigma_hop_S_m < 1e-6 * pt.sigma_band_S_m);
        }
    }
    /* clean, lightly doped STO: > 1e4 cm²/Vs at 2 K [L-36, 37] */
    {
        struct exsol_film f = la_sto(2e17);
        CHECK_EQ_INT(exsol_transport_film_at(m, &f, 2.0, &lo), 0);
        printf("clean STO 2e17 cm-3: mu(2 K) = %.3g cm2/Vs\n", lo.mu_m2 / CM2);
        CHECK(lo.mu_m2 > 1e4 * CM2);
    }
    /* above ~200 K the LO law reproduces [L-32]'s μ0 e^{Θ/T} (μ0 = 0.42–1.42) */
    {
        double mu400 = exsol_mobility_lattice(&tp, 400.0) / CM2;
        double mu0 = mu400 / exp(700.0 / 400.0);
        CHECK(mu0 > 0.42 && mu0 < 1.42);
    }

    /* Effective medium (reference §3.5): Ni at 1.84 vol % cannot make the film metallic */
    {
        double s_ni = 1.0 / tp.rho_Ni_ohm_m, s_m = 0.1; /* 1e-3 S/cm matrix */
        double br = exsol_emt_bruggeman(s_m, s_ni, 0.0184) / s_m;
        double mg = exsol_emt_maxwell_garnett(s_m, s_ni, 0.0184) / s_m;
        printf("1.84 vol %% Ni: Bruggeman x%.4f, Maxwell-Garnett x%.4f\n", br, mg);
        CHECK(br > 1.0 && br < 1.08);
        CHECK_CLOSE(mg, (1 + 2 * 0.0184) / (1 - 0.0184), 1e-4, 0); /* +5.6 % */
        CHECK_CLOSE(exsol_emt_bruggeman(s_m, s_ni, 0.0), s_m, 1e-12, 0);
        CHECK_CLOSE(exsol_emt_bruggeman(s_m, s_m, 0.3), s_m, 1e-12, 0);
        CHECK(exsol_emt_bruggeman(s_m, s_ni, 0.30) < 100 * s_m); /* below 1/3 */
        CHECK(exsol_emt_bruggeman(s_m, s_ni, 0.36) > 1e4 * s_m); /* percolated */
        /* symmetric: swapping the phases with f -> 1-f gives the same medium */
        CHECK_CLOSE(exsol_emt_bruggeman(s_ni, s_m, 1 - 0.2),
                    exsol_emt_bruggeman(s_m, s_ni, 0.2), 1e-10, 0);
        /* and it solves its own equation */
        double se = exsol_emt_bruggeman(s_m, s_ni, 0.2);
        CHECK(fabs(0.8 * (s_m - se) / (s_m + 2 * se) + 0.2 * (s_ni - se) / (s_ni + 2 * se)) <
              1e-12);
    }

    /* The seed: LSNT as grown (δ = 0.10, compensated) and fully exsolved, with δ′
     * from the mass-action solve at 550 °C in 5 % H2 + 3 % H2O */
    {
        struct exsol_lattice host;
        exsol_lattice_after_exsolution(0.2, 0.1, 0.1, 2.0, 1.0, &host);
        CHECK_CLOSE(host.x_donor, 0.2222222, 1e-6, 0);
        CHECK(fabs(host.a_vac) < 1e-12);
        CHECK(fabs(host.z_dopant) < 1e-12);
        struct exsol_defect_state s;
        CHECK_EQ_INT(exsol_defect_equilibrium(&dp, &host, 823.15, 8e-27 * 101325.0, &s), 0);
        struct exsol_transport_in in = {0.2, 0.1,     0.1,    2.0, 0.10,
                                        1.0, s.delta, 0.0184, NAN, 0.0};
        struct exsol_transport_out o;
        size_t nT = exsol_transport_ntemp(m);
        double *rp = malloc(nT * sizeof *rp), *rr = malloc(nT * sizeof *rr);
        char reason[128];
        CHECK_EQ_INT(exsol_transport_candidate(m, &in, &o, rp, rr, reason, sizeof reason), 0);
        printf("seed: n %.3g / %.3g cm-3, eta %.2f / %.2f, rho(300 K) %.3g / %.3g ohm cm, "
               "log10 ratio %.2f, kFl %.2f, dsign %d / %d\n",
               o.n_pristine_m3 * 1e-6, o.n_reduced_m3 * 1e-6, o.eta_pristine, o.eta_reduced,
               o.rho_300K_pristine * 100, o.rho_300K_reduced * 100, o.log10_rho_ratio,
               o.kFl_reduced, o.drho_dT_sign_pristine, o.drho_dT_sign_reduced);
        CHECK_EQ_INT(o.insulating_pristine, 1);
        CHECK_EQ_INT(o.metallic_reduced, 1);
        CHECK(o.log10_rho_ratio > 3.0);
        CHECK_CLOSE(o.n_reduced_m3 * 1e-6, 0.2222 * FU_CM3, 0.01, 0);
        CHECK(o.eta_reduced >= 3.0);
        CHECK(o.rho_300K_pristine > 0.2e-2); /* ≳ 0.2–2 Ω cm needed for 10³ (§3.4) */
        CHECK_EQ_INT(o.drho_dT_sign_pristine, -1);
        CHECK_EQ_INT(o.drho_dT_sign_reduced, 1);
        int finite = 1, mono = 1;
        for (size_t i = 0; i < nT; i++) {
            if (!(isfinite(rp[i]) && rp[i] > 0 && isfinite(rr[i]) && rr[i] > 0))
                finite = 0;
            if (i && rr[i] < rr[i - 1] * (1 - 1e-12))
                mono = 0;
        }
        CHECK(finite);
        CHECK(mono); /* a degenerate metal: ρ rises with T over 2–400 K */
        CHECK(rr[0] < rr[nT - 1]);
        /* the Ni particles change the reduced film by a few per cent only */
        struct exsol_transport_in in0 = in;
        in0.metal_fraction = 0.0;
        double rho0, rho1;
        CHECK_EQ_INT(exsol_transport_rho_reduced(m, &in0, &rho0), 0);
        CHECK_EQ_INT(exsol_transport_rho_reduced(m, &in, &rho1), 0);
        CHECK_CLOSE(rho1, o.rho_300K_reduced, 1e-12, 0);
        CHECK(rho0 / rho1 > 1.0 && rho0 / rho1 < 1.08);
        /* not exsolved: the film stays compensated, no switch */
        struct exsol_transport_in none = {0.2, 0.1, 0.1, 2.0, 0.10, 0.0, 0.10, 0.0, NAN, 0.0};
        CHECK_EQ_INT(exsol_transport_candidate(m, &none, &o, NULL, NULL, reason, sizeof reason),
                     0);
        CHECK(fabs(o.log10_rho_ratio) < 1e-9);
        CHECK_EQ_INT(o.metallic_reduced, 0);
        /* frozen-oxygen quench (δ′ = −0.111, reference §2.4): still compensated */
        struct exsol_transport_in quench = {0.2, 0.1,        0.1,    2.0, 0.10,
                                            1.0, -0.1 / 0.9, 0.0184, NAN, 0.0};
        CHECK_EQ_INT(
            exsol_transport_candidate(m, &quench, &o, NULL, NULL, reason, sizeof reason), 0);
        CHECK_EQ_INT(o.metallic_reduced, 0);
        CHECK(o.log10_rho_ratio < 1.0);
        /* invalid input is reported, not turned into NaN */
        struct exsol_transport_in bad = in;
        bad.delta_reduced = NAN;
        reason[0] = '\0';
        CHECK_EQ_INT(exsol_transport_candidate(m, &bad, &o, rp, rr, reason, sizeof reason), 4);
        CHECK(strstr(reason, "delta_reduced") != NULL);
        free(rp);
        free(rr);
    }
    /* robustness: any physical row gives finite, positive numbers (p-type, intrinsic,
     * excess-oxygen and partly exsolved films included); fixed LCG, reproducible */
    {
        unsigned long long st = 12345;
        size_t nT = exsol_transport_ntemp(m), bad = 0, nonfinite = 0;
        double *rp = malloc(nT * sizeof *rp), *rr = malloc(nT * sizeof *rr);
        for (int i = 0; i < 3000; i++) {
            double u[8];
            for (int k = 0; k < 8; k++) {
                st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                u[k] = (double)(st >> 11) / 9007199254740992.0;
            }
            struct exsol_transport_in in = {0.5 * u[0],
                                            0.2 * u[1],
                                            0.2 * u[2],
                                            u[3] < 0.5 ? 2 : 3,
                                            -0.05 + 0.35 * u[4],
                                            u[5],
                                            -0.1 + 0.4 * u[6],
                                            0.05 * u[7],
                                            NAN,
                                            0.0};
            struct exsol_transport_out o;
            char reason[96];
            if (exsol_transport_candidate(m, &in, &o, rp, rr, reason, sizeof reason) != 0) {
                if (bad++ < 3)
                    fprintf(stderr, "row %d failed: %s\n", i, reason);
                continue;
            }
            int ok = isfinite(o.log10_rho_ratio) && o.rho_300K_pristine > 0 &&
                     o.rho_300K_reduced > 0 && isfinite(o.eta_pristine) &&
                     isfinite(o.eta_reduced) && isfinite(o.kFl_reduced);
            for (size_t k = 0; k < nT; k++)
                ok = ok && isfinite(rp[k]) && rp[k] > 0 && isfinite(rr[k]) && rr[k] > 0;
            nonfinite += !ok;
        }
        CHECK_EQ_INT(bad, 0);
        CHECK_EQ_INT(nonfinite, 0);
        free(rp);
        free(rr);
    }
    exsol_transport_model_free(m);
    exsol_params_free(reg);
    return check_report("test_transport");
}
