/* Alloy particle magnetism (issue #13; breadth-and-uncertainty.md §4.3, datasets/alloys.csv):
 *  - a Ni3Fe particle (X_Fe = 0.25) has a lower effective anisotropy than a Ni particle of
 *    the same diameter (K1 of disordered Ni-Fe crosses zero near 75-80 % Ni), at 3 to
 *    30 nm, and so a lower blocking temperature: a larger superparamagnetic window;
 *  - permalloy (X_Fe = 0.2): K1 = 0, K_eff is the size term alone;
 *  - M_s(0 K) rises from Ni towards Ni3Fe (Slater-Pauling) and T_C too;
 *  - X = 0 gives back the pure metal's constants (metals.csv), either order of the pair;
 *  - the second dopant's dissolved ions add their Curie term to the pristine film (Fe3+
 *    S = 5/2 on top of Ni2+), and nothing when ion2 is NULL. */
#include "check.h"
#include "exsol/alloy.h"
#include "test_magnet_fixture.h"

#include <math.h>
#include <string.h>

int main(void)
{
    struct exsol_mag_params p = fx_params();
    exsol_mag_model *m = fx_model(&p);
    struct exsol_mag_metal ni = fx_metal("Ni", 2), fe = fx_metal("Fe", 3);
    exsol_alloys *al = NULL;
    char err[256];
    CHECK_EQ_INT(exsol_alloys_load(&al, err, sizeof err), EXSOL_OK);
    if (!al || !m)
        return check_report("test_magnet_alloy");
    struct exsol_mag_metal ni3fe, py, ni0, fe1;
    CHECK_EQ_INT(exsol_mag_alloy_metal(al, &ni, &fe, 0.25, &ni3fe, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_mag_alloy_metal(al, &ni, &fe, 0.20, &py, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_mag_alloy_metal(al, &ni, &fe, 0.0, &ni0, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_mag_alloy_metal(al, &fe, &ni, 1.0, &fe1, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_mag_metal_check(&ni3fe, err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(ni0.Ms_0K_A_m, ni.Ms_0K_A_m, 1e-12, 0);
    CHECK_CLOSE(ni0.K_J_m3, ni.K_J_m3, 1e-12, 0);
    CHECK_CLOSE(ni0.T_C_K, ni.T_C_K, 1e-12, 0);
    CHECK_CLOSE(fe1.Ms_0K_A_m, ni.Ms_0K_A_m, 1e-12, 0); /* Fe-Ni at x(Ni) = 1 */
    CHECK_EQ_INT(ni0.aniso_form, ni.aniso_form);
    CHECK(fabs(py.K_J_m3) < 1e-9);
    CHECK(fabs(ni3fe.K_J_m3) < fabs(ni.K_J_m3));
    CHECK(ni3fe.Ms_0K_A_m > ni.Ms_0K_A_m && ni3fe.T_C_K > ni.T_C_K);
    printf("Ni: Ms0 %.0f kA/m K1 %.2f kJ/m3 T_C %.0f K; Ni3Fe: %.0f, %.2f, %.0f; Py K1 %.2f\n",
           ni.Ms_0K_A_m / 1e3, ni.K_J_m3 / 1e3, ni.T_C_K, ni3fe.Ms_0K_A_m / 1e3,
           ni3fe.K_J_m3 / 1e3, ni3fe.T_C_K, py.K_J_m3 / 1e3);
    const double D[4] = {3e-9, 5e-9, 10e-9, 30e-9};
    for (int i = 0; i < 4; i++) {
        double kn = exsol_mag_keff_J_m3(m, &ni, D[i]),
               ka = exsol_mag_keff_J_m3(m, &ni3fe, D[i]);
        double tn = exsol_mag_tb_K(m, &ni, D[i]), ta = exsol_mag_tb_K(m, &ni3fe, D[i]);
        printf("D %4.0f nm: K_eff Ni %.4g J/m3, Ni3Fe %.4g J/m3; T_B %.3g K, %.3g K\n",
               D[i] * 1e9, kn, ka, tn, ta);
        CHECK(ka < kn);
        CHECK(ta < tn);
        /* permalloy: the size term only (K1 = 0) */
        CHECK_CLOSE(exsol_mag_keff_J_m3(m, &py, D[i]),
                    p.keff_scale * ni.keff_ref_J_m3 *
                        pow(ni.keff_ref_diameter_m / D[i], ni.keff_exponent),
                    1e-12, 0);
    }
    /* the second dopant's ions in the pristine film */
    {
        struct exsol_mag_input in = {.n_bins = 0,
                                     .thickness_m = 30e-9,
                                     .cap_volume_factor = 0.5,
                                     .ion_fraction_pristine = 0.05,
                                     .ion_fraction_reduced = 0.0};
        struct exsol_mag_result r1, r2;
        memset(&r1, 0, sizeof r1);
        memset(&r2, 0, sizeof r2);
        CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &r1, err, sizeof err), EXSOL_OK);
        in.ion2 = &fe;
        in.ion2_fraction_pristine = 0.05;
        CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &r2, err, sizeof err), EXSOL_OK);
        printf("pristine M(300 K, 1 T): Ni2+ %.4g A/m, Ni2+ + Fe3+ %.4g A/m\n",
               r1.M_300K_1T_pristine, r2.M_300K_1T_pristine);
        CHECK(r2.M_300K_1T_pristine > r1.M_300K_1T_pristine);
        CHECK(r2.M_300K_1T_reduced == r1.M_300K_1T_reduced); /* no ions left, no particles */
    }
    /* a pair without magnetic data */
    struct exsol_mag_metal cu = fx_metal("Cu", 2), x;
    CHECK_EQ_INT(exsol_mag_alloy_metal(al, &ni, &cu, 0.5, &x, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strstr(err, "Ni-Cu") != NULL);
    exsol_alloys_free(al);
    exsol_mag_model_destroy(m);
    return check_report("test_magnet_alloy");
}
