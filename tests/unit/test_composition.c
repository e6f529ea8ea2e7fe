/* Composition bookkeeping (defects-and-transport.md §2.4) and tolerance factors (§5):
 * formula parsing, neutrality, t and τ against the reference values, the A-vacancy
 * convention, errors, and the grid-file parser. Tolerances: bookkeeping is exact
 * arithmetic on decimals (1e-12); t and τ are compared with the 3-4 digits the
 * reference quotes (1e-3 absolute, 1e-4 for SrTiO3's 1.0016). */
#include "check.h"
#include "exsol/composition.h"
#include "exsol/error.h"
#include "exsol/grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static exsol_chem *chem;

static int parse(const char *f, struct exsol_composition *c)
{
    char err[256] = "";
    int rc = exsol_comp_parse(chem, f, c, err, sizeof err);
    if (rc)
        fprintf(stderr, "  (parse '%s': %s)\n", f, err);
    return rc;
}

static int parse_err(const char *f, char *err, size_t n)
{
    struct exsol_composition c;
    err[0] = '\0';
    return exsol_comp_parse(chem, f, &c, err, n);
}

static void test_seed(void)
{
    struct exsol_composition c;
    CHECK_EQ_INT(parse("La0.2Sr0.7Ni0.1Ti0.9O3", &c), 0);
    CHECK_STR(c.formula, "La0.2Sr0.7Ni0.1Ti0.9O3");
    CHECK_EQ_INT(c.n_species, 4);
    CHECK_CLOSE(c.cation_charge, 5.80, 0, 1e-12);
    CHECK_CLOSE(c.delta_asgrown, 0.10, 0, 1e-12);
    CHECK(c.delta_asgrown == 0.1); /* printed as 0.1 (snapped), not 0.0999999... */
    CHECK_CLOSE(c.net_donor_asgrown, 0.0, 0, 1e-15);
    CHECK_CLOSE(c.A_vacancy, 0.1, 0, 1e-12);
    CHECK_CLOSE(c.A_donor_fraction, 0.2, 0, 1e-12);
    CHECK_CLOSE(c.A_divalent_fraction, 0.7, 0, 1e-12);
    CHECK_STR(c.dopant, "Ni");
    CHECK_CLOSE(c.dopant_fraction, 0.1, 0, 1e-15);
    CHECK_EQ_INT(c.dopant_valence, 2);
    /* §2.4: n - p = x - 2a - (4 - v)z + 2δ = 0 at the as-grown δ */
    double n = c.A_donor_fraction - 2 * c.A_vacancy -
               (4 - c.dopant_valence) * c.dopant_fraction + 2 * c.delta_asgrown;
    CHECK_CLOSE(n, 0.0, 0, 1e-12);
    /* §5 reference values */
    CHECK_CLOSE(c.tolerance_factor, 0.991, 0, 1e-3);
    CHECK_CLOSE(c.tolerance_factor_vacancy_zero, 0.941, 0, 1e-3);
    CHECK_CLOSE(c.bartel_tau, 3.47, 0, 1e-2);
    CHECK_CLOSE(c.n_A_mean, 2.22, 0, 5e-3);
    CHECK_CLOSE(c.r_A_mean_m, (0.2 * 1.36 + 0.7 * 1.44) / 0.9 * 1e-10, 1e-12, 0);
    CHECK_CLOSE(c.r_B_mean_m, (0.1 * 0.69 + 0.9 * 0.605) * 1e-10, 1e-12, 0);
    CHECK_CLOSE(c.r_O_m, 1.40e-10, 1e-12, 0);
    /* the two conventions differ by ~0.05 (§5) and vacancy-zero is smaller */
    CHECK_CLOSE(c.tolerance_factor - c.tolerance_factor_vacancy_zero, 0.05, 0, 2e-3);
    CHECK(c.feasible == 1 && c.reason[0] == '\0');

    /* variants of the same formula */
    const char *same[] = {"La0.2Sr0.7Ni0.1Ti0.9O3-d", "La0.2Sr0.7Ni0.1Ti0.9O3-\xce\xb4",
                          "Sr0.7La0.2Ti0.9Ni0.1O3", "La.2Sr0.70Ni0.100Ti0.9O2.9",
                          "La0.2Sr0.7Ni0.1Ti0.9O3-delta"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        struct exsol_composition d;
        CHECK_EQ_INT(parse(same[i], &d), 0);
        CHECK_STR(d.formula, "La0.2Sr0.7Ni0.1Ti0.9O3");
        CHECK_CLOSE(d.delta_asgrown, 0.1, 0, 1e-12);
    }
    struct exsol_composition o;
    CHECK_EQ_INT(parse("La0.2Sr0.7Ni0.1Ti0.9O2.9", &o), 0);
    CHECK_CLOSE(o.O_formula, 2.9, 0, 1e-15);
}

static void test_valence_override(void)
{
    struct exsol_composition c;
    char err[256];
    CHECK_EQ_INT(exsol_chem_set_valence_str(chem, "Ni=3", err, sizeof err), 0);
    CHECK_EQ_INT(parse("La0.2Sr0.7Ni0.1Ti0.9O3", &c), 0);
    CHECK_EQ_INT(c.dopant_valence, 3);
    CHECK_CLOSE(c.delta_asgrown, 0.05, 0, 1e-12);    /* §2.4: Ni3+ -> δ = 0.05 */
    CHECK_CLOSE(c.tolerance_factor, 0.998, 0, 1e-3); /* §5: Ni3+-LS */
    CHECK_CLOSE(c.r_B_mean_m, (0.1 * 0.56 + 0.9 * 0.605) * 1e-10, 1e-12, 0);
    /* "3+" and spaces accepted; unknown element and forbidden states rejected */
    CHECK_EQ_INT(exsol_chem_set_valence_str(chem, "Ni = 2+", err, sizeof err), 0);
    int v = 0;
    CHECK_EQ_INT(exsol_chem_valence(chem, "Ni", &v), 0);
    CHECK_EQ_INT(v, 2);
    CHECK_EQ_INT(exsol_chem_set_valence_str(chem, "Ni=5", err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "Ni") != NULL);
    CHECK_EQ_INT(exsol_chem_set_valence_str(chem, "Xx=2", err, sizeof err), EXSOL_EUNKNOWN);
    CHECK_EQ_INT(exsol_chem_set_valence_str(chem, "Ni", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_chem_set_valence_str(chem, "Ni=two", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_chem_valence(chem, "Ni", &v), 0);
    CHECK_EQ_INT(v, 2); /* failed overrides leave the state unchanged */
}

static void test_neutrality_cases(void)
{
    struct exsol_composition c;
    /* n-type as grown: La0.3Sr0.7TiO3 has q = 6.3 -> δ = 0, 0.3 e- per f.u. */
    CHECK_EQ_INT(parse("La0.3Sr0.7TiO3", &c), 0);
    CHECK_STR(c.formula, "La0.3Sr0.7TiO3");
    CHECK_CLOSE(c.delta_asgrown, 0.0, 0, 1e-15);
    CHECK_CLOSE(c.net_donor_asgrown, 0.3, 0, 1e-12);
    CHECK_STR(c.dopant, "none");
    CHECK_CLOSE(c.dopant_fraction, 0.0, 0, 0);
    CHECK_CLOSE(c.A_vacancy, 0.0, 0, 1e-15);
    /* stoichiometric host: δ = 0, nothing left over */
    CHECK_EQ_INT(parse("SrTiO3", &c), 0);
    CHECK_CLOSE(c.delta_asgrown, 0.0, 0, 0);
    CHECK_CLOSE(c.net_donor_asgrown, 0.0, 0, 0);
    /* ionic compensation La0.2Sr0.7TiO3 (§2.2 regime III): exactly neutral, δ = 0 */
    CHECK_EQ_INT(parse("La0.2Sr0.7TiO3", &c), 0);
    CHECK_CLOSE(c.delta_asgrown, 0.0, 0, 1e-12);
    CHECK_CLOSE(c.net_donor_asgrown, 0.0, 0, 1e-12);
    /* Nb donor on B: Nb5+ 0.1 gives net donor 0.1; a fixed co-donor, not the dopant */
    CHECK_EQ_INT(parse("SrNb0.1Ti0.9O3", &c), 0);
    CHECK_CLOSE(c.net_donor_asgrown, 0.1, 0, 1e-12);
    CHECK_STR(c.dopant, "none");
    CHECK_CLOSE(c.B_donor_fraction, 0.1, 0, 1e-15);
    /* Fe3+ default: SrFe0.2Ti0.8O3 -> δ = 0.1 */
    CHECK_EQ_INT(parse("SrFe0.2Ti0.8O3", &c), 0);
    CHECK_CLOSE(c.delta_asgrown, 0.1, 0, 1e-12);
    /* general identity: 2(3 − δ) + net_donor = q for a range of compositions */
    const char *fs[] = {"La0.1Ca0.85Co0.05Ti0.95O3", "Nd0.3Ba0.6Cu0.1Ti0.9O3",
                        "La0.4Sr0.6Mn0.2Ti0.8O3", "Sr0.9Ru0.1Ti0.9O3"};
    for (size_t i = 0; i < sizeof fs / sizeof *fs; i++) {
        CHECK_EQ_INT(parse(fs[i], &c), 0);
        CHECK_CLOSE(2 * (3 - c.delta_asgrown) + c.net_donor_asgrown, c.cation_charge, 0, 1e-12);
        CHECK(c.delta_asgrown >= 0 && c.net_donor_asgrown >= 0);
        CHECK(c.delta_asgrown == 0 || c.net_donor_asgrown == 0);
        CHECK_STR(c.formula, fs[i]);
    }
}

static void test_tolerance_reference(void)
{
    struct exsol_composition c;
    struct exsol_comp_limits lim = {0.825, 1.059, 4.18, 0, 0};
    CHECK_EQ_INT(parse("SrTiO3", &c), 0);
    CHECK_CLOSE(c.tolerance_factor, 1.0016, 0, 1e-4);
    CHECK_CLOSE(c.bartel_tau, 3.80, 0, 1e-2);
    /* τ to full precision from the formula (the reference quotes two decimals; its
     * CaTiO3 3.89 is 3.885 with these radii, hence 1e-2 on the quoted values) */
    {
        double rA = 1.44, rB = 0.605, rO = 1.40, nA = 2.0;
        double tau = rO / rB - nA * (nA - (rA / rB) / log(rA / rB));
        CHECK_CLOSE(c.bartel_tau, tau, 1e-12, 0);
        CHECK_CLOSE(c.tolerance_factor, (rA + rO) / (sqrt(2.0) * (rB + rO)), 1e-12, 0);
    }
    CHECK_CLOSE(c.tolerance_factor, c.tolerance_factor_vacancy_zero, 0, 1e-15);
    exsol_comp_check(&c, &lim);
    CHECK_EQ_INT(c.feasible, 1);
    CHECK_EQ_INT(parse("CaTiO3", &c), 0);
    CHECK_CLOSE(c.tolerance_factor, 0.966, 0, 1e-3);
    CHECK_CLOSE(c.bartel_tau, 3.89, 0, 1e-2);
    CHECK_EQ_INT(parse("BaTiO3", &c), 0);
    CHECK_CLOSE(c.tolerance_factor, 1.062, 0, 1e-3);
    CHECK_CLOSE(c.bartel_tau, 3.75, 0, 1e-2);
    /* §5: BaTiO3 falls just outside t_max while τ classifies it as perovskite */
    exsol_comp_check(&c, &lim);
    CHECK_EQ_INT(c.feasible, 0);
    CHECK(strstr(c.reason, "t_max") != NULL);
    CHECK(strstr(c.reason, "tau") == NULL);
    /* exsolved host (§2.4) */
    CHECK_EQ_INT(parse("La0.222Sr0.778TiO3", &c), 0);
    CHECK_CLOSE(c.tolerance_factor, 0.995, 0, 1e-3);
    /* τ threshold */
    struct exsol_comp_limits tight = {0.825, 1.059, 3.5, 0, 0};
    CHECK_EQ_INT(parse("SrTiO3", &c), 0);
    exsol_comp_check(&c, &tight);
    CHECK_EQ_INT(c.feasible, 0);
    CHECK(strstr(c.reason, "tau") != NULL);
    /* Pr3+ has no XII radius: IX is used (Bartel's rule) and flagged */
    CHECK_EQ_INT(parse("Pr0.2Sr0.7TiO3", &c), 0);
    CHECK_EQ_INT(c.A_radius_fallback, 1);
    CHECK_EQ_INT(c.sp[0].cn, 9);
    CHECK_CLOSE(c.sp[0].radius_m, 1.179e-10, 1e-12, 0);
    CHECK_EQ_INT(parse("La0.2Sr0.7TiO3", &c), 0);
    CHECK_EQ_INT(c.A_radius_fallback, 0);
    /* more A vacancies -> the two conventions move further apart */
    struct exsol_composition c2;
    CHECK_EQ_INT(parse("La0.2Sr0.6TiO3", &c2), 0);
    CHECK(c.tolerance_factor - c.tolerance_factor_vacancy_zero <
          c2.tolerance_factor - c2.tolerance_factor_vacancy_zero);
}

static void test_errors(void)
{
    char err[256];
    CHECK_EQ_INT(parse_err("La0.2Xx0.7Ni0.1Ti0.9O3", err, sizeof err), EXSOL_EUNKNOWN);
    CHECK_STR(err, "unknown element 'Xx' in formula 'La0.2Xx0.7Ni0.1Ti0.9O3'");
    CHECK_EQ_INT(parse_err("La0.2Sr0.7Ni0.05Ti0.9O3", err, sizeof err), EXSOL_EVALUE);
    CHECK_STR(err, "B-site fractions of 'La0.2Sr0.7Ni0.05Ti0.9O3' sum to 0.95, not 1");
    CHECK_EQ_INT(parse_err("La0.4Sr0.7Ni0.1Ti0.9O3", err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "A-site") && strstr(err, "1.1"));
    /* exactly 1 within 1e-9 passes */
    CHECK_EQ_INT(parse_err("La0.3Sr0.7TiO3", err, sizeof err), 0);
    CHECK_EQ_INT(parse_err("SrNi0.1Co0.1Ti0.8O3", err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "two B-site dopants") != NULL);
    CHECK_EQ_INT(parse_err("", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("SrTi", err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "no oxygen") != NULL);
    CHECK_EQ_INT(parse_err("TiO3", err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "no A-site") != NULL);
    CHECK_EQ_INT(parse_err("srTiO3", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("SrSrTiO3", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("Sr1..0TiO3", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("SrTiO3-q", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("SrTiO0", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("SrTiO3Sr", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("Sr-0.1TiO3", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("Sr0,9TiO3", err, sizeof err), EXSOL_EVALUE); /* no comma decimals */
    CHECK_EQ_INT(parse_err("Sr1e0TiO3", err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(parse_err("Srr", err, sizeof err), EXSOL_EUNKNOWN);
    /* a B-site dopant whose oxidation state has no radius: Cu is 2+ only, so force one
     * through a table with Cu3+ allowed but no radius -- covered by the loader; here a
     * long formula is refused cleanly */
    char longf[400];
    memset(longf, 'A', sizeof longf - 1);
    longf[sizeof longf - 1] = '\0';
    CHECK_EQ_INT(parse_err(longf, err, sizeof err), EXSOL_EVALUE);
    /* zero amounts are dropped from the canonical formula */
    struct exsol_composition c;
    CHECK_EQ_INT(parse("La0Sr1Ni0Ti1O3", &c), 0);
    CHECK_STR(c.formula, "SrTiO3");
    CHECK_STR(c.dopant, "none");
}

static void test_format(void)
{
    char b[48];
    CHECK_STR(exsol_comp_format_amount(0.7, b, sizeof b), "0.7");
    CHECK_STR(exsol_comp_format_amount(1.0 - 0.1 - 0.05, b, sizeof b), "0.85");
    CHECK_STR(exsol_comp_format_amount(1.0, b, sizeof b), "1");
    CHECK_STR(exsol_comp_format_amount(0.05, b, sizeof b), "0.05");
    CHECK_STR(exsol_comp_format_amount(0.0, b, sizeof b), "0");
}

static int grid_text(const char *text, struct exsol_grid *g, char *err, size_t n)
{
    return exsol_grid_parse("t.cfg", text, strlen(text), chem, g, err, n);
}

static void test_grid(void)
{
    struct exsol_grid g;
    char err[512];
    const char *seed = "# seed\n"
                       "include_formula = La0.2Sr0.7Ni0.1Ti0.9O3   # LSNT\n"
                       "temperature = 550C\n"
                       "time = 5h\n"
                       "h2 = 5%\n"
                       "h2o = 3%\n"
                       "thickness = 30nm\n";
    CHECK_EQ_INT(grid_text(seed, &g, err, sizeof err), 0);
    CHECK_EQ_INT(g.n_formulas, 1);
    if (g.n_formulas == 1)
        CHECK_STR(g.formulas[0], "La0.2Sr0.7Ni0.1Ti0.9O3");
    CHECK(g.proc[EXSOL_GRID_TEMPERATURE] && !strcmp(g.proc[EXSOL_GRID_TEMPERATURE], "550C"));
    CHECK(g.proc[EXSOL_GRID_THICKNESS] && !strcmp(g.proc[EXSOL_GRID_THICKNESS], "30nm"));
    CHECK_EQ_INT(g.proc_line[EXSOL_GRID_H2], 5);
    exsol_grid_release(&g);

    /* sweep: 1 donor x 2 hosts x 3 x x 2 a x 4 dopants x 2 z = 96, minus none skipped,
     * the seed is generated by the sweep and its explicit copy is a duplicate */
    const char *sweep = "A_donor = La\nA_host = Sr, Ca\nx_donor = 0.1:0.3:0.1\n"
                        "A_vacancy = 0.05, 0.1\ndopant = Ni, Co, Fe, Cu\n"
                        "dopant_fraction = 0.05, 0.1\n"
                        "include_formula = La0.2Sr0.7Ni0.1Ti0.9O3\n";
    CHECK_EQ_INT(grid_text(sweep, &g, err, sizeof err), 0);
    CHECK_EQ_INT(g.n_formulas, 96);
    CHECK_EQ_INT(g.n_skipped, 0);
    CHECK_EQ_INT(g.n_duplicates, 1);
    int found = 0;
    for (size_t i = 0; i < g.n_formulas; i++)
        found += strcmp(g.formulas[i], "La0.2Sr0.7Ni0.1Ti0.9O3") == 0;
    CHECK_EQ_INT(found, 1);
    if (g.n_formulas)
        CHECK_STR(g.formulas[0], "La0.1Sr0.85Ni0.05Ti0.95O3");
    exsol_grid_release(&g);

    /* negative A fractions skipped and counted: x = 0.6, 0.9 with a = 0.2 -> 0.9 skipped */
    CHECK_EQ_INT(grid_text("A_donor = La\nA_host = Sr\nx_donor = 0.6, 0.9\nA_vacancy = 0.2\n",
                           &g, err, sizeof err),
                 0);
    CHECK_EQ_INT(g.n_formulas, 1);
    CHECK_EQ_INT(g.n_skipped, 1);
    if (g.n_formulas)
        CHECK_STR(g.formulas[0], "La0.6Sr0.2TiO3");
    exsol_grid_release(&g);

    /* host only, percentages, valence line */
    CHECK_EQ_INT(grid_text("A_host = Sr\nA_vacancy = 0%, 5%\ndopant = none\nvalence = Ni=3\n",
                           &g, err, sizeof err),
                 0);
    CHECK_EQ_INT(g.n_formulas, 2);
    if (g.n_formulas == 2) {
        CHECK_STR(g.formulas[0], "SrTiO3");
        CHECK_STR(g.formulas[1], "Sr0.95TiO3");
    }
    CHECK_EQ_INT(g.n_valence, 1);
    exsol_grid_release(&g);
    exsol_chem_set_valence(chem, "Ni", 2, NULL, 0);

    /* errors name file:line */
    CHECK_EQ_INT(grid_text("A_host = Sr\nfoo = 1\n", &g, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strncmp(err, "t.cfg:2: unknown key 'foo'", 26) == 0);
    CHECK_EQ_INT(grid_text("A_host = Xx\n", &g, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strncmp(err, "t.cfg:1:", 8) == 0);
    CHECK_EQ_INT(grid_text("A_host = Ti\n", &g, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(grid_text("\n\ninclude_formula = LaXx\n", &g, err, sizeof err),
                 EXSOL_EUNKNOWN);
    CHECK(strncmp(err, "t.cfg:3: unknown element 'Xx'", 29) == 0);
    CHECK_EQ_INT(
        grid_text("include_formula = SrTiO3\ntemperature = 550\n", &g, err, sizeof err),
        EXSOL_EVALUE);
    CHECK(strncmp(err, "t.cfg:2: temperature", 20) == 0);
    CHECK_EQ_INT(
        grid_text("include_formula = SrTiO3\ntime = 5h\ntime = 1h\n", &g, err, sizeof err),
        EXSOL_EVALUE);
    CHECK_EQ_INT(grid_text("include_formula SrTiO3\n", &g, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(grid_text("A_donor = La\nx_donor = 0.1\n", &g, err, sizeof err), EXSOL_EVALUE);
    CHECK(strstr(err, "A_host") != NULL);
    CHECK_EQ_INT(grid_text("A_host = Sr\ndopant = Ni\n", &g, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(grid_text("A_host = Sr\nA_vacancy = 1.5\n", &g, err, sizeof err),
                 EXSOL_EVALUE);
    CHECK_EQ_INT(grid_text("# nothing\n", &g, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(grid_text("A_donor = La\nA_host = Sr\nx_donor = 0.9\nA_vacancy = 0.2\n", &g,
                           err, sizeof err),
                 EXSOL_EVALUE); /* every point skipped: nothing left */
    CHECK_EQ_INT(g.n_formulas, 0);
    CHECK(g.formulas == NULL);
    /* a sweep of 1e10 mostly skipped points is refused, not looped over */
    CHECK_EQ_INT(grid_text("A_donor = La\nA_host = Sr\nx_donor = 0:1:0.00001\n"
                           "A_vacancy = 0:1:0.00001\n",
                           &g, err, sizeof err),
                 EXSOL_EVALUE);
    CHECK(strstr(err, "points") != NULL);
}

/* exsol_chem_load (what exsol-gen uses) refuses B-site dopants that reduce or magnet
 * have no data for, naming what is missing; the seed and Ni3+ pass. */
static void test_gen_refuses_missing_data(void)
{
    char err[512] = "";
    exsol_chem *g = NULL;
    struct exsol_composition c;
    CHECK_EQ_INT(exsol_chem_load(&g, err, sizeof err), 0);
    if (!g)
        return;
    CHECK_EQ_INT(exsol_comp_parse(g, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_comp_parse(g, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    /* Nb is a fixed B-site co-donor (never reduced): accepted without reduce data */
    CHECK_EQ_INT(exsol_comp_parse(g, "SrNb0.1Ti0.9O3", &c, err, sizeof err), 0);
    const char *bad[] = {"Sr0.9Ru0.1Ti0.9O3"};
    for (size_t i = 0; i < 1; i++) {
        CHECK_EQ_INT(exsol_comp_parse(g, bad[i], &c, err, sizeof err), EXSOL_EVALUE);
        CHECK(strstr(err, "lacks the data") &&
              strstr(err, "no metal line (use = metal) in oxides.csv") &&
              strstr(err, "no molar_volume in metals.csv"));
    }
    CHECK_EQ_INT(exsol_chem_set_valence(g, "Ni", 3, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_comp_parse(g, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_chem_set_valence(g, "Fe", 2, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_comp_parse(g, "SrFe0.2Ti0.8O3", &c, err, sizeof err), 0);
    exsol_chem_free(g);
}

/* Issue #13: the A site picks the host (largest A-site fraction among host cations, ties
 * to the earlier hosts.csv row, none: the default), exsol_chem_set_host forces one;
 * Nb5+/Ta5+ are fixed B-site co-donors besides one exsolvable dopant. */
static void test_hosts_and_B_donors(void)
{
    char err[256];
    struct exsol_composition c;
    static const struct {
        const char *f, *host;
    } pick[] = {{"La0.2Sr0.7Ni0.1Ti0.9O3", "SrTiO3"},
                {"La0.2Ca0.7Ni0.1Ti0.9O3", "CaTiO3"},
                {"BaTiO3", "BaTiO3"},
                {"Sr0.3Ca0.6TiO3", "CaTiO3"},
                {"Sr0.45Ca0.45Ni0.1Ti0.9O3", "SrTiO3"},
                {"La0.9Ni0.1Ti0.9O3", "SrTiO3"}};
    for (size_t i = 0; i < sizeof pick / sizeof pick[0]; i++) {
        CHECK_EQ_INT(exsol_comp_parse(chem, pick[i].f, &c, err, sizeof err), 0);
        CHECK_STR(c.host, pick[i].host);
    }
    /* Vegard volume: one host cation gives exactly its host's a³; Sr0.35Ca0.35 the mean */
    double V_sr, V_ca;
    CHECK_EQ_INT(exsol_comp_parse(chem, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    V_sr = c.V_fu_m3;
    CHECK_CLOSE(V_sr, 3.905e-10 * 3.905e-10 * 3.905e-10, 1e-12, 0);
    CHECK_EQ_INT(exsol_comp_parse(chem, "La0.2Ca0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    V_ca = c.V_fu_m3;
    CHECK(V_ca < 0.95 * V_sr);
    CHECK_EQ_INT(exsol_comp_parse(chem, "La0.2Sr0.35Ca0.35Ni0.1Ti0.9O3", &c, err, sizeof err),
                 0);
    CHECK_STR(c.host, "SrTiO3");
    CHECK_CLOSE(c.V_fu_m3, 0.5 * (V_sr + V_ca), 1e-12, 0);
    CHECK_EQ_INT(exsol_comp_parse(chem, "La0.9Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_CLOSE(c.V_fu_m3, V_sr, 0, 0);
    CHECK_EQ_INT(exsol_chem_set_host(chem, "CaTiO3", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_comp_parse(chem, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_STR(c.host, "CaTiO3");
    CHECK_EQ_INT(exsol_chem_set_host(chem, "KTaO3", err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strstr(err, "unknown host 'KTaO3'") != NULL);
    CHECK_EQ_INT(exsol_chem_set_host(chem, "auto", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_comp_parse(chem, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_STR(c.host, "SrTiO3");
    /* SrTi0.9Nb0.05Ni0.05O3: neutrality 2 + 3.6 + 0.25 + 0.1 = 5.95, delta = 0.025 */
    CHECK_EQ_INT(exsol_comp_parse(chem, "SrTi0.9Nb0.05Ni0.05O3", &c, err, sizeof err), 0);
    CHECK_STR(c.formula, "SrNi0.05Nb0.05Ti0.9O3");
    CHECK_STR(c.dopant, "Ni");
    CHECK_CLOSE(c.dopant_fraction, 0.05, 0, 1e-15);
    CHECK_CLOSE(c.B_donor_fraction, 0.05, 0, 1e-15);
    CHECK_CLOSE(c.delta_asgrown, 0.025, 0, 1e-12);
    CHECK_CLOSE(2.0 * (3.0 - c.delta_asgrown) + c.net_donor_asgrown, c.cation_charge, 0, 1e-12);
    /* Nb and Ta together are both fixed donors; with Ni still one dopant */
    CHECK_EQ_INT(exsol_comp_parse(chem, "SrTi0.9Nb0.03Ta0.02Ni0.05O3", &c, err, sizeof err), 0);
    CHECK_CLOSE(c.B_donor_fraction, 0.05, 0, 1e-15);
    CHECK_CLOSE(c.B_fixed_fraction, 0.05, 0, 1e-15);
    /* Nb4+ (isovalent) stays a fixed co-dopant with no charge */
    CHECK_EQ_INT(exsol_chem_set_valence(chem, "Nb", 4, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_comp_parse(chem, "SrTi0.9Nb0.05Ni0.05O3", &c, err, sizeof err), 0);
    CHECK_CLOSE(c.B_donor_fraction, 0.0, 0, 0);
    CHECK_EQ_INT(exsol_chem_set_valence(chem, "Nb", 5, err, sizeof err), 0);
    /* two exsolvable dopants are still refused */
    CHECK_EQ_INT(exsol_comp_parse(chem, "SrTi0.9Co0.05Ni0.05O3", &c, err, sizeof err),
                 EXSOL_EVALUE);
}

/* Two reducible B-site dopants that form an alloy of datasets/alloys.csv (exsol_chem_load
 * only): both are kept (the first in elements.csv order is `dopant`), both count in
 * neutrality (2 delta + q = 6 to 1e-12), z + z2 < 1 is required; a pair without alloy
 * data and three dopants are refused, naming them. */
static void test_two_dopants(void)
{
    exsol_chem *g = NULL;
    struct exsol_composition c;
    char err[256];
    CHECK_EQ_INT(exsol_chem_load(&g, err, sizeof err), 0);
    if (!g)
        return;
    CHECK_EQ_INT(exsol_comp_parse(g, "La0.2Sr0.7Fe0.05Ni0.05Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_STR(c.formula, "La0.2Sr0.7Ni0.05Fe0.05Ti0.9O3");
    CHECK_STR(c.dopant, "Ni");
    CHECK_STR(c.dopant2, "Fe");
    CHECK_CLOSE(c.dopant_fraction, 0.05, 0, 1e-15);
    CHECK_CLOSE(c.dopant2_fraction, 0.05, 0, 1e-15);
    CHECK_EQ_INT(c.dopant_valence, 2);
    CHECK_EQ_INT(c.dopant2_valence, 3);
    /* q = 0.2*3 + 0.7*2 + 0.05*2 + 0.05*3 + 0.9*4 = 5.85: delta = 0.075 */
    CHECK_CLOSE(c.cation_charge, 5.85, 0, 1e-12);
    CHECK_CLOSE(c.delta_asgrown, 0.075, 0, 1e-12);
    CHECK_CLOSE(2.0 * c.delta_asgrown + c.cation_charge, 6.0, 0, 1e-12);
    CHECK_EQ_INT(exsol_comp_parse(g, "SrNi0.05Co0.05Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_STR(c.dopant2, "Co");
    CHECK_EQ_INT(exsol_comp_parse(g, "SrCo0.05Fe0.05Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_STR(c.dopant, "Co");
    CHECK_STR(c.dopant2, "Fe");
    /* one dopant: dopant2 is none */
    CHECK_EQ_INT(exsol_comp_parse(g, "La0.2Sr0.7Ni0.1Ti0.9O3", &c, err, sizeof err), 0);
    CHECK_STR(c.dopant2, "none");
    CHECK(c.dopant2_fraction == 0.0);
    CHECK_EQ_INT(exsol_comp_parse(g, "SrNi0.05Cu0.05Ti0.9O3", &c, err, sizeof err),
                 EXSOL_EVALUE);
    CHECK(strstr(err, "no Ni-Cu alloy data") != NULL);
    CHECK_EQ_INT(exsol_comp_parse(g, "SrNi0.05Co0.05Fe0.05Ti0.85O3", &c, err, sizeof err),
                 EXSOL_EVALUE);
    CHECK(strstr(err, "three B-site dopants (Ni, Co and Fe)") != NULL);
    /* no Ti left: infeasible (z + z2 = 1) */
    CHECK_EQ_INT(exsol_comp_parse(g, "SrNi0.5Fe0.5O3", &c, err, sizeof err), 0);
    struct exsol_comp_limits lim = {0.0, 10.0, 100.0, 0.0, 0.0};
    exsol_comp_check(&c, &lim);
    CHECK(!c.feasible && strstr(c.reason, "no host cation") != NULL);
    exsol_chem_free(g);
}

int main(void)
{
    char err[256];
    /* bookkeeping on every element of the tables (Nb, Mn, Ru included): the handle
     * without the later stages' data check */
    exsol_table *te = NULL, *tr = NULL;
    int rc = exsol_table_load("elements", &te, err, sizeof err);
    if (!rc)
        rc = exsol_table_load("shannon-radii", &tr, err, sizeof err);
    if (!rc)
        rc = exsol_chem_from_tables(te, tr, &chem, err, sizeof err);
    exsol_table_free(te);
    exsol_table_free(tr);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "cannot load element data: %s\n", err);
        return check_report("test_composition");
    }
    test_gen_refuses_missing_data();
    test_two_dopants();
    test_seed();
    test_valence_override();
    test_neutrality_cases();
    test_tolerance_reference();
    test_errors();
    test_format();
    test_grid();
    test_hosts_and_B_donors();
    exsol_chem_free(chem);
    exsol_chem_free(NULL);
    exsol_grid_release(NULL);
    return check_report("test_composition");
}
