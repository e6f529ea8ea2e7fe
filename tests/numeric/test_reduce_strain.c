/* Epitaxial strain in the exsolution driving force (breadth-and-uncertainty.md §5,
 * exsol/strain.h) on the seed La0.2Sr0.7Ni0.1Ti0.9O3, 30 nm, 550 °C, 5 h, 5 % H2 +
 * 3 % H2O:
 * - the formula's numbers: M_biax(SrTiO3) = 351.5 GPa, M V_fu = 130.6 eV, Δμ_el = −0.13 eV
 *   at ε = −1 %, η = −0.05 (the §5 worked example); misfits −2.9 % on LaAlO3, +1.0 % on
 *   DyScO3 for a 3.905 Å film; an unknown substrate is named;
 * - strain 0 is the strain-free run, bit for bit;
 * - Han et al. [KM-4]: a compressive film gives more, smaller surface particles than a
 *   tensile one (LaAlO3 > SrTiO3 > DyScO3 in density, the reverse in diameter);
 * - η = 0 and β = 0 make the kinetics strain-blind; β alone is sign-blind and only helps. */
#include "check.h"
#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/reduce.h"
#include "exsol/strain.h"
#include "exsol/table.h"
#include "reduce_fixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static struct exsol_reduce_input seed(double eps)
{
    struct exsol_reduce_input in = reduce_fx_seed();
    in.strain = eps;
    return in;
}

static struct exsol_reduce_output run(const struct exsol_reduce_model *m, exsol_kwn_solver *s,
                                      double eps, const char *what)
{
    struct exsol_reduce_input in = seed(eps);
    struct exsol_reduce_output o;
    CHECK(exsol_reduce_run(m, s, &in, &o) == EXSOL_OK);
    CHECK_EQ_INT(o.status, 0);
    printf("%-10s eps %+.4f  f %.4f  ns %.4g um-2  ds %.3g nm  dmu %+.4f eV\n", what, eps,
           o.exsolved_fraction, o.surface_density_m2 * 1e-12, o.surface_mean_diameter_m * 1e9,
           o.strain_dmu_J / EXSOL_E);
    exsol_kwn_result_release(&o.kwn);
    return o;
}

int main(void)
{
    char err[256];
    /* the formula (§5 [D]) */
    double M = exsol_biaxial_modulus(315.6e9, 102.7e9);
    CHECK_CLOSE(M, 351.5e9, 1e-3, 0.0);
    double a = 3.905e-10, V = a * a * a;
    CHECK_CLOSE(M * V / EXSOL_E, 130.6, 2e-3, 0.0);
    CHECK_CLOSE(exsol_strain_dmu(M, V, -0.05, 0.0, 0.0, -0.01) / EXSOL_E, -0.1306, 5e-3, 0.0);
    CHECK_CLOSE(exsol_strain_dmu(M, V, -0.05, 0.0, 0.0, +0.01) / EXSOL_E, +0.1306, 5e-3, 0.0);
    CHECK(exsol_strain_dmu(M, V, 0.0, 0.5, 1e-29, -0.01) ==
          exsol_strain_dmu(M, V, 0.0, 0.5, 1e-29, +0.01));
    CHECK(exsol_strain_dmu(M, V, 0.0, 0.5, 1e-29, 0.01) < 0.0);
    CHECK(exsol_strain_dmu(M, V, -0.05, 1.0, 1e-29, 0.0) == 0.0);
    /* substrates and the film */
    double aL = 0, aD = 0, aS = 0, af = 0;
    CHECK(exsol_substrate_lattice("LaAlO3", &aL, err, sizeof err) == EXSOL_OK);
    CHECK(exsol_substrate_lattice("DyScO3", &aD, err, sizeof err) == EXSOL_OK);
    CHECK(exsol_substrate_lattice("SrTiO3", &aS, err, sizeof err) == EXSOL_OK);
    struct exsol_host h;
    CHECK(exsol_host_default(&h, err, sizeof err) == EXSOL_OK);
    CHECK(exsol_film_lattice(&h, &af, err, sizeof err) == EXSOL_OK);
    CHECK_CLOSE(af, 3.905e-10, 1e-9, 0.0);
    CHECK_CLOSE(exsol_misfit_strain(aL, af), -0.0294, 0.01, 0.0);
    CHECK_CLOSE(exsol_misfit_strain(aD, af), +0.0100, 0.01, 0.0);
    CHECK(exsol_misfit_strain(aS, af) == 0.0);
    CHECK_EQ_INT(exsol_substrate_lattice("Unobtainium", &aL, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strstr(err, "unknown substrate 'Unobtainium'") && strstr(err, "LaAlO3"));
    /* every row of datasets/substrates.csv: a perovskite-range a in Å, a source, a tag */
    exsol_table *t = NULL;
    CHECK(exsol_table_load("substrates", &t, err, sizeof err) == EXSOL_OK);
    size_t nrow = t ? exsol_table_nrows(t) : 0;
    CHECK(nrow >= 6);
    for (size_t r = 0; r < nrow; r++) {
        const char *name = exsol_table_cell(t, r, exsol_table_col(t, "substrate"));
        const char *src = exsol_table_cell(t, r, exsol_table_col(t, "source"));
        const char *conf = exsol_table_cell(t, r, exsol_table_col(t, "confidence"));
        double as = 0;
        CHECK(exsol_substrate_lattice(name, &as, err, sizeof err) == EXSOL_OK);
        CHECK(as > 3.7e-10 && as < 4.3e-10);
        CHECK(src && strlen(src) > 10);
        CHECK(conf && strlen(conf) == 1 && strchr("LDTU", conf[0]));
    }
    exsol_table_free(t);
    double e = 0;
    CHECK(exsol_strain_parse("-1%", &e, err, sizeof err) == EXSOL_OK && e == -0.01);
    CHECK(exsol_strain_parse(" 0.005 ", &e, err, sizeof err) == EXSOL_OK && e == 0.005);
    CHECK(exsol_strain_parse("30%", &e, err, sizeof err) == EXSOL_EVALUE);
    CHECK(exsol_strain_parse("1nm", &e, err, sizeof err) == EXSOL_EVALUE);
    CHECK(exsol_strain_parse("", &e, err, sizeof err) == EXSOL_EVALUE);

    /* the seed through reduce */
    struct reduce_fx fx;
    if (!reduce_fx_open(&fx))
        return check_report("test_reduce_strain");
    CHECK(fx.m.strain_eta < 0.0); /* the default carries Han's sign */
    double epsL = exsol_misfit_strain(aL, af), epsD = exsol_misfit_strain(aD, af);
    struct exsol_reduce_output o0 = run(&fx.m, fx.sol, 0.0, "SrTiO3");
    struct exsol_reduce_output oL = run(&fx.m, fx.sol, epsL, "LaAlO3");
    struct exsol_reduce_output oD = run(&fx.m, fx.sol, epsD, "DyScO3");
    struct exsol_reduce_output oc = run(&fx.m, fx.sol, -0.01, "-1 %");
    struct exsol_reduce_output ot = run(&fx.m, fx.sol, +0.01, "+1 %");
    /* strain 0: the strain-free numbers exactly (the anchor of docs/calibration.md) */
    CHECK(o0.strain_dmu_J == 0.0);
    CHECK(o0.surface_density_m2 > 1e15);
    CHECK_CLOSE(o0.surface_mean_diameter_m, 5e-9, 0.3, 0.0);
    /* Han: compressive -> more, smaller particles than tensile */
    CHECK(oL.surface_density_m2 > o0.surface_density_m2);
    CHECK(o0.surface_density_m2 > oD.surface_density_m2);
    CHECK(oL.surface_mean_diameter_m < o0.surface_mean_diameter_m);
    CHECK(o0.surface_mean_diameter_m < oD.surface_mean_diameter_m);
    CHECK(oc.surface_density_m2 > 2.0 * ot.surface_density_m2);
    CHECK(oc.surface_mean_diameter_m < ot.surface_mean_diameter_m);
    CHECK(oc.strain_dmu_J < 0.0 && ot.strain_dmu_J > 0.0);
    CHECK_CLOSE(oc.strain_dmu_J, -ot.strain_dmu_J, 1e-12, 0.0);
    /* a tensile DyScO3 film still exsolves (tensile films show particles, fewer) */
    CHECK(oD.exsolved_fraction > 0.5 && oD.surface_density_m2 > 1e14);

    /* strain-blind with eta = beta = 0 */
    struct exsol_reduce_model mb = fx.m;
    mb.strain_eta = 0.0;
    mb.strain_beta = 0.0;
    struct exsol_reduce_output bL = run(&mb, fx.sol, epsL, "blind LAO");
    CHECK(bL.surface_density_m2 == o0.surface_density_m2);
    CHECK(bL.surface_mean_diameter_m == o0.surface_mean_diameter_m);
    /* beta alone: the same for both signs, more particles than strain-free */
    mb.strain_beta = 1.0;
    struct exsol_reduce_output pc = run(&mb, fx.sol, -0.01, "beta -1 %");
    struct exsol_reduce_output pt = run(&mb, fx.sol, +0.01, "beta +1 %");
    CHECK(pc.surface_density_m2 == pt.surface_density_m2);
    CHECK(pc.surface_density_m2 >= o0.surface_density_m2);

    reduce_fx_close(&fx);
    return check_report("test_reduce_strain");
}
