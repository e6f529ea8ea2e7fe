/* Unit tests of libcore/physics/magnet.c: special functions, the Stoner–Wohlfarth table,
 * single-particle pieces, the metals table, input validation. */
#include "check.h"
#include "exsol/params.h"
#include "numeric/test_magnet_fixture.h"

static void test_langevin(void)
{
    /* series branch, exact branch and asymptote agree where they meet */
    /* against a 5-term series below 0.1 (truncation < 1e-17 relative) and the
     * direct form in long double above (cancellation costs at most ~1/x² ulp) */
    for (double x = 0.01; x < 40; x *= 1.7) {
        long double lx = x;
        double x2 = x * x;
        double want =
            x < 0.1
                ? x * (1.0 / 3 - x2 * (1.0 / 45 -
                                       x2 * (2.0 / 945 - x2 * (1.0 / 4725 - x2 * 2.0 / 93555))))
                : (double)(1.0L / tanhl(lx) - 1.0L / lx);
        CHECK_CLOSE(exsol_mag_langevin(x), want, 1e-12, 0);
        CHECK_CLOSE(exsol_mag_langevin(-x), -want, 1e-12, 0);
    }
    for (double x = 1e-8; x < 0.01; x *= 3.1) {
        double want = x / 3.0 - x * x * x / 45.0 + 2.0 * pow(x, 5) / 945.0;
        CHECK_CLOSE(exsol_mag_langevin(x), want, 1e-13, 0);
    }
    CHECK_CLOSE(exsol_mag_langevin(1e-9), 1e-9 / 3.0, 1e-12, 0);
    CHECK(exsol_mag_langevin(0.0) == 0.0);
    CHECK_CLOSE(exsol_mag_langevin(1e4), 1.0 - 1e-4, 1e-15, 0);
}

static void test_brillouin(void)
{
    /* B_1/2 = tanh; large S tends to the Langevin function of the same x·(S+1)/S scaling */
    for (double x = 1e-4; x < 30; x *= 2.3)
        CHECK_CLOSE(exsol_mag_brillouin(0.5, x), tanh(x), 1e-9, 1e-15);
    CHECK_CLOSE(exsol_mag_brillouin(1000.0, 2.0), exsol_mag_langevin(2.0), 2e-3, 0);
    /* Curie slope (S+1)/(3S) */
    CHECK_CLOSE(exsol_mag_brillouin(1.0, 1e-6) / 1e-6, 2.0 / 3.0, 1e-9, 0);
    CHECK_CLOSE(exsol_mag_brillouin(1.0, 50.0), 1.0, 1e-9, 0);
    CHECK(exsol_mag_brillouin(0.0, 1.0) == 0.0);
}

/* Coercive reduced field of the tabulated branch at reduced temperature t. */
static double sw_hc(const exsol_mag_model *m, double t)
{
    double lo = -2.0, hi = 0.0;
    if (exsol_mag_sw_descending(m, 0.0, t) <= 0)
        return 0.0;
    for (int i = 0; i < 80; i++) {
        double mid = 0.5 * (lo + hi);
        if (exsol_mag_sw_descending(m, mid, t) > 0)
            hi = mid;
        else
            lo = mid;
    }
    return -0.5 * (lo + hi);
}

static void test_stoner_wohlfarth(const exsol_mag_model *m)
{
    /* random easy axes at T = 0: remanence M_s/2, coercivity 0.48 H_K (reference §4.4;
     * Stoner and Wohlfarth quote 0.479, a direct root solve with 2000 axis angles
     * gives 0.4822: 1 % covers both) */
    CHECK_CLOSE(exsol_mag_sw_descending(m, 0.0, 0.0), 0.5, 2e-3, 0);
    CHECK_CLOSE(sw_hc(m, 0.0), 0.48, 1e-2, 0);
    /* saturation and the symmetric far end */
    CHECK_CLOSE(exsol_mag_sw_descending(m, 50.0, 0.0), 1.0, 1e-3, 0);
    CHECK_CLOSE(exsol_mag_sw_descending(m, -50.0, 0.0), -1.0, 1e-3, 0);
    /* beyond h = 1 every particle has switched: descending = −(value at +h) */
    CHECK_CLOSE(exsol_mag_sw_descending(m, -1.5, 0.0), -exsol_mag_sw_descending(m, 1.5, 0.0),
                1e-3, 0);
    /* monotone descending branch */
    int mono = 1;
    for (double h = 3.0; h > -3.0; h -= 0.01)
        if (exsol_mag_sw_descending(m, h - 0.01, 0.3) >
            exsol_mag_sw_descending(m, h, 0.3) + 1e-12)
            mono = 0;
    CHECK(mono);
    /* thermal activation lowers coercivity, remanence stays (blocked) */
    double h0 = sw_hc(m, 0.0), h25 = sw_hc(m, 0.25), h81 = sw_hc(m, 0.81);
    CHECK(h25 < h0 && h81 < h25);
    CHECK(sw_hc(m, 1.0) < 5e-3); /* table resolution: h step 0.0067 */
    CHECK_CLOSE(exsol_mag_sw_descending(m, 0.0, 0.5), 0.5, 2e-3, 0);
}

static void test_metals(const exsol_mag_model *mod)
{
    struct exsol_mag_metal ni = fx_metal("Ni", 2), co = fx_metal("Co", 2),
                           fe = fx_metal("Fe", 3);
    struct exsol_mag_metal cu = fx_metal("Cu", 2), pd = fx_metal("Pd", 2);
    CHECK_EQ_INT(ni.magnetic, 1);
    CHECK_EQ_INT(ni.aniso_form, EXSOL_MAG_ANISO_CUBIC_NEG);
    CHECK_EQ_INT(fe.aniso_form, EXSOL_MAG_ANISO_CUBIC_POS);
    CHECK_EQ_INT(co.aniso_form, EXSOL_MAG_ANISO_CUBIC_NEG); /* small Co: fcc */
    CHECK_EQ_INT(cu.magnetic, 0);
    CHECK_EQ_INT(pd.magnetic, 0);
    CHECK_CLOSE(ni.ion_mu_eff_muB, 3.2, 1e-12, 0);
    CHECK_CLOSE(ni.ion_spin, 1.0, 0, 0);
    CHECK_CLOSE(pd.ion_spin, 1.0, 0, 0); /* default valence 2 */

    /* Kuz'min M_s(T) of bulk-sized particles reproduces each metal's tabulated
     * M_s(300 K) within 3 % (the s, p values are from a different source). */
    exsol_table *t = NULL;
    char err[256];
    CHECK(exsol_table_load("metals", &t, err, sizeof err) == EXSOL_OK);
    const char *syms[] = {"Ni", "Co", "Fe"};
    struct exsol_mag_metal *mts[] = {&ni, &co, &fe};
    for (int i = 0; i < 3; i++) {
        double ms300;
        CHECK(exsol_table_value(t, &ms300, err, sizeof err, "metal", syms[i], "property",
                                "Ms_300K", NULL) == EXSOL_OK);
        CHECK_CLOSE(exsol_mag_ms_A_m(mod, mts[i], 1e-6, 300.0), ms300, 0.03, 0);
        CHECK_CLOSE(exsol_mag_ms_A_m(mod, mts[i], 1e-6, 0.0), mts[i]->Ms_0K_A_m, 1e-12, 0);
        CHECK(exsol_mag_ms_A_m(mod, mts[i], 1e-6, mts[i]->T_C_K * 1.001) == 0.0);
    }
    struct exsol_mag_metal x;
    CHECK_EQ_INT(exsol_mag_metal_from_table(t, "Xx", 2, &x, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK_EQ_INT(exsol_mag_metal_from_table(t, "Ni", 7, &x, err, sizeof err), EXSOL_EUNKNOWN);
    exsol_table_free(t);

    /* barrier forms: |K1|/12, K1/4 plus each metal's own fitted size term (no
     * scaling of the Ni fit by (M_s/M_s,Ni)²) */
    double D = 1e-5;
    for (int i = 0; i < 3; i++) {
        const struct exsol_mag_metal *q = mts[i];
        double kc =
            q->aniso_form == EXSOL_MAG_ANISO_CUBIC_NEG ? fabs(q->K_J_m3) / 12 : q->K_J_m3 / 4;
        double tail = q->keff_ref_J_m3 * pow(q->keff_ref_diameter_m / D, q->keff_exponent);
        CHECK_CLOSE(exsol_mag_keff_J_m3(mod, q, D), kc + tail, 1e-9, 0);
    }
    CHECK_CLOSE(exsol_mag_keff_J_m3(mod, &ni, 10e-9), 5.7e3 / 12 + 20.06e3, 1e-9, 0);
    CHECK(exsol_mag_keff_J_m3(mod, &cu, 5e-9) == 0.0);
    /* per-metal dead layers and single-domain diameters from metals.csv */
    CHECK(ni.single_domain_diameter_m > 40e-9 && ni.single_domain_diameter_m < 70e-9);
    CHECK(fe.single_domain_diameter_m < ni.single_domain_diameter_m);
    CHECK(ni.dead_layer_m[0] <= ni.dead_layer_m[1]);

    /* a bad metal is refused */
    struct exsol_mag_metal bad = ni;
    bad.K_J_m3 = +5.7e3; /* positive K1 with the cubic_neg form */
    CHECK_EQ_INT(exsol_mag_metal_check(&bad, err, sizeof err), EXSOL_EVALUE);
    bad = ni;
    bad.Ms_0K_A_m = NAN;
    CHECK_EQ_INT(exsol_mag_metal_check(&bad, err, sizeof err), EXSOL_EVALUE);
}

static void test_bad_params(void)
{
    struct exsol_mag_params p = fx_params();
    exsol_mag_model *m = NULL;
    char err[256];
    p.tau_m_s = 1e-12; /* shorter than tau0 */
    CHECK_EQ_INT(exsol_mag_model_create(&p, &m, err, sizeof err), EXSOL_EVALUE);
    CHECK(m == NULL);
    p = fx_params();
    p.n_field = 1;
    CHECK_EQ_INT(exsol_mag_model_create(&p, &m, err, sizeof err), EXSOL_EVALUE);
    p = fx_params();
    p.dead_layer_offset_m = NAN;
    CHECK_EQ_INT(exsol_mag_model_create(&p, &m, err, sizeof err), EXSOL_EVALUE);
    p = fx_params();
    p.air_exposed = 0.5;
    CHECK_EQ_INT(exsol_mag_model_create(&p, &m, err, sizeof err), EXSOL_EVALUE);
    p = fx_params();
    p.spm_bg_field_min_T = p.field_max_T; /* one point: no background line */
    CHECK_EQ_INT(exsol_mag_model_create(&p, &m, err, sizeof err), EXSOL_EVALUE);
    exsol_mag_model_destroy(NULL);
}

static void test_bad_input(const exsol_mag_model *m)
{
    struct exsol_mag_metal ni = fx_metal("Ni", 2);
    double r[2] = {2.5e-9, 3e-9}, s[2] = {1e15, -1.0};
    double curve[201];
    struct exsol_mag_input in = {.n_bins = 2,
                                 .radius_m = r,
                                 .surface_per_m2 = s,
                                 .buried_per_m3 = NULL,
                                 .thickness_m = 30e-9,
                                 .cap_volume_factor = 0.5,
                                 .ion_fraction_pristine = 0.1,
                                 .ion_fraction_reduced = 0.0};
    struct exsol_mag_result res = {0};
    res.M_H_300K_reduced = curve;
    char err[256] = "";
    CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &res, err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "surface") != NULL);
    CHECK(isnan(res.M_300K_1T_reduced) && isnan(res.T_B_median_K) && isnan(curve[100]));
    s[1] = 1e14;
    in.thickness_m = 0.0;
    CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &res, err, sizeof err), EXSOL_EVALUE);
    in.thickness_m = 30e-9;
    r[0] = NAN;
    CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &res, err, sizeof err), EXSOL_EVALUE);
    r[0] = 2.5e-9;
    in.ion_fraction_reduced = -0.1;
    CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &res, err, sizeof err), EXSOL_EVALUE);
    in.ion_fraction_reduced = 0.0;
    CHECK_EQ_INT(exsol_mag_compute(m, &ni, &in, &res, err, sizeof err), EXSOL_OK);
    CHECK(isfinite(res.M_300K_1T_reduced) && isfinite(curve[0]) && isfinite(curve[200]));
}

static void test_registry(void)
{
    /* the parameter registry (what the tool uses) gives the table defaults in SI */
    exsol_params *reg = NULL;
    char err[256];
    CHECK_EQ_INT(exsol_params_load("magnet", &reg, err, sizeof err), EXSOL_OK);
    struct exsol_mag_params p, t = fx_params();
    CHECK_EQ_INT(exsol_mag_params_from_registry(reg, &p, err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(p.tau0_s, 5.5e-11, 1e-12, 0);
    CHECK_CLOSE(p.dead_layer_offset_m, 0.0, 0, 0);
    CHECK_CLOSE(p.spm_moment_min_A, 1.2e-5, 1e-12, 0);
    CHECK_CLOSE(p.spm_Hc_max_A_m, 10.0 * 1e3 / (4 * FX_PI), 1e-12, 0); /* 10 Oe */
    CHECK_CLOSE(p.zfc_field_T, 0.01, 1e-12, 0);
    CHECK_CLOSE(p.host_cell_volume_m3, 59.547e-30, 1e-12, 0);
    CHECK_EQ_INT(p.n_field, 201);
    CHECK_EQ_INT(p.n_T_zfc, 100);
    CHECK(memcmp(&p, &t, sizeof p) == 0);
    /* overrides arrive converted; the tc_xi0 default reproduces its derivation */
    CHECK_EQ_INT(exsol_params_set(reg, "dead_layer_offset=5A", err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_mag_params_from_registry(reg, &p, err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(p.dead_layer_offset_m, 0.5e-9, 1e-12, 0);
    CHECK_CLOSE(t.tc_xi0_m, 3e-9 * pow(1 - 565.0 / 627.0, 1 / 1.4), 1e-4, 0);
    exsol_params_free(reg);
}

int main(void)
{
    test_registry();
    struct exsol_mag_params p = fx_params();
    exsol_mag_model *m = fx_model(&p);
    test_langevin();
    test_brillouin();
    test_stoner_wohlfarth(m);
    test_metals(m);
    test_bad_params();
    test_bad_input(m);
    exsol_mag_model_destroy(m);
    return check_report("test_magnet");
}
