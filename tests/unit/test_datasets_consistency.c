/* The datasets agree with each other about every metal exsol-gen accepts and about the
 * host (datasets/elements.csv, oxides.csv, metals.csv, hosts.csv, transport-parameters):
 *  - every dopant of the default screen (Ni, Co, Fe, Cu) is accepted by gen;
 *  - every B-site dopant gen accepts at its default valence loads in reduce (oxide
 *    line and molar volume, exsol_ellingham_pO2_eq_atm; the dissolved valence states
 *    of its one-electron couples, exsol_ellingham_valence, each with ion rows mu_eff
 *    and spin in metals.csv) and in magnet
 *    (exsol_mag_metal_from_table), and has density and molar mass with
 *    molar_volume = molar_mass/density within 1 %;
 *  - every fixed B-site co-donor (role donor_B: Nb, Ta) is accepted by gen and counted
 *    as B_donor_fraction = y (v - B_valence), never as the exsolvable dopant (the later
 *    stages need nothing else for it: it is never reduced and is not magnetic);
 *  - every host record's (hosts.csv) valences are those of its elements in
 *    elements.csv, and its constants table loads with every constant exsol_host_apply
 *    puts into reduce and transport;
 *  - transport's rho_Ni default is Ni's resistivity_300K;
 *  - gen's and reduce's p_total (total pressure of the anneal gas) are equal;
 *  - alloys.csv: gen accepts Ni-Fe, Ni-Co and Co-Fe; each pair has its Redlich-Kister
 *    terms and magnetic tables whose pure ends are the metals.csv values, every row a
 *    source and confidence, every U row a prior holding its value.
 * The same checks run on copies of the datasets (EXSOL_DATADIR) with one row removed
 * and must then find the problem. */
#include "check.h"
#include "exsol/alloy.h"
#include "exsol/composition.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/magnet.h"
#include "exsol/params.h"
#include "exsol/reduce.h"
#include "exsol/strain.h"
#include "exsol/table.h"
#include "exsol/transport.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char problems[4096];

static void problem(const char *fmt, const char *a, const char *b)
    __attribute__((format(printf, 1, 0)));
static void problem(const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(problems);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(problems + used, sizeof problems - used, fmt, a, b);
#pragma GCC diagnostic pop
    used = strlen(problems);
    snprintf(problems + used, sizeof problems - used, "\n");
}

static int element_valence(const exsol_table *el, const char *sym, char site, int *v)
{
    long r = exsol_table_find(el, "element", sym, NULL);
    if (r < 0 || exsol_table_cell(el, (size_t)r, exsol_table_col(el, "site"))[0] != site)
        return -1;
    *v = atoi(exsol_table_cell(el, (size_t)r, exsol_table_col(el, "default_valence")));
    return 0;
}

/* Runs every check on the tables as loaded now; returns the number of problems. */
static int consistency(void)
{
    char err[512];
    int n0 = 0;
    exsol_table *el = NULL, *mt = NULL;
    exsol_chem *chem = NULL;
    exsol_ellingham *ell = NULL;
    exsol_params *reg = NULL;
    problems[0] = '\0';
    if (exsol_table_load("elements", &el, err, sizeof err) ||
        exsol_table_load("metals", &mt, err, sizeof err) ||
        exsol_chem_load(&chem, err, sizeof err) ||
        exsol_ellingham_load(&ell, err, sizeof err) ||
        exsol_params_load("transport+defects", &reg, err, sizeof err)) {
        problem("cannot load the datasets: %s%s", err, "");
        goto done;
    }
    /* the default screen's dopants */
    static const char *const screen[] = {"Ni", "Co", "Fe", "Cu"};
    for (size_t i = 0; i < sizeof screen / sizeof *screen; i++) {
        char f[64];
        struct exsol_composition c;
        snprintf(f, sizeof f, "La0.2Sr0.7%s0.1Ti0.9O3", screen[i]);
        if (exsol_comp_parse(chem, f, &c, err, sizeof err) != 0)
            problem("default-screen dopant %s refused by gen: %s", screen[i], err);
    }
    /* every B-site dopant gen accepts */
    const struct exsol_host *host = exsol_chem_host(chem);
    int ce = exsol_table_col(el, "element"), accepted = 0;
    for (size_t r = 0; r < exsol_table_nrows(el); r++) {
        const char *sym = exsol_table_cell(el, r, ce);
        int v;
        if (element_valence(el, sym, 'B', &v) || strcmp(sym, host->B_host) == 0)
            continue;
        char f[64];
        struct exsol_composition c;
        if (exsol_chem_fixed_donor(chem, sym)) {
            snprintf(f, sizeof f, "SrTi0.9%s0.05Ni0.05O3", sym);
            if (exsol_comp_parse(chem, f, &c, err, sizeof err) != 0)
                problem("fixed B-site donor %s refused by gen: %s", sym, err);
            else if (strcmp(c.dopant, "Ni") != 0 ||
                     fabs(c.B_donor_fraction - 0.05 * (v - host->B_valence)) > 1e-12)
                problem("fixed B-site donor %s: not counted as B_donor_fraction%s", sym, "");
            continue;
        }
        snprintf(f, sizeof f, "La0.2Sr0.7%s0.1Ti0.9O3", sym);
        if (exsol_comp_parse(chem, f, &c, err, sizeof err) != 0)
            continue; /* refused, with a message naming what is missing */
        accepted++;
        double pO2, Vm = NAN, rho, M;
        if (exsol_ellingham_pO2_eq_atm(ell, sym, 1000.0, &pO2, &Vm) != EXSOL_OK || !(Vm > 0))
            problem("%s: gen accepts it but reduce has no oxide line or molar volume%s", sym,
                    "");
        /* the dissolved states at the anneal (oxides.csv ion steps) each have an ion
         * record, so magnet can use the anneal valence exsol-reduce writes */
        struct exsol_valence_state vs;
        if (exsol_ellingham_valence(ell, sym, 1000.0, 1e-20, &vs) != EXSOL_OK)
            problem("%s: gen accepts it but reduce has no dissolved-valence data%s", sym, "");
        else
            for (int w = (int)vs.v_min; w <= (int)vs.v_max; w++) {
                char ion[16];
                double mu, S;
                snprintf(ion, sizeof ion, "%s%d+", sym, w);
                if (exsol_table_value(mt, &mu, NULL, 0, "metal", ion, "property", "mu_eff",
                                      NULL) ||
                    exsol_table_value(mt, &S, NULL, 0, "metal", ion, "property", "spin", NULL))
                    problem("%s: dissolved state %s at the anneal has no mu_eff/spin rows", sym,
                            ion);
            }
        struct exsol_mag_metal m;
        if (exsol_mag_metal_from_table(mt, sym, 0, &m, err, sizeof err) != EXSOL_OK)
            problem("%s: gen accepts it but magnet cannot load it: %s", sym, err);
        if (exsol_table_value(mt, &rho, NULL, 0, "metal", sym, "property", "density", NULL) ||
            exsol_table_value(mt, &M, NULL, 0, "metal", sym, "property", "molar_mass", NULL))
            problem("%s: no density or molar_mass in metals.csv%s", sym, "");
        else if (Vm > 0 && !(fabs(Vm - M / rho) <= 0.01 * Vm))
            problem("%s: molar_volume is not molar_mass/density within 1 %%%s", sym, "");
    }
    if (accepted < 4)
        problem("gen accepts fewer than the four default-screen dopants%s%s", "", "");
    /* every host record against elements.csv, and its constants */
    struct exsol_host hosts[EXSOL_HOST_MAX];
    size_t nh = 0;
    if (exsol_host_all(hosts, EXSOL_HOST_MAX, &nh, err, sizeof err))
        problem("hosts.csv: %s%s", err, "");
    for (size_t i = 0; i < nh; i++) {
        const struct exsol_host *hh = &hosts[i];
        int v;
        if (element_valence(el, hh->B_host, 'B', &v) || v != hh->B_valence)
            problem("host %s: B_host %s is not a B-site element of that valence", hh->name,
                    hh->B_host);
        if (element_valence(el, hh->A_host, 'A', &v) || v != hh->A_valence)
            problem("host %s: A_host %s is not an A-site element of that valence", hh->name,
                    hh->A_host);
        if (element_valence(el, hh->anion, 'X', &v) || v != hh->anion_valence)
            problem("host %s: anion %s is not an X-site element of that valence", hh->name,
                    hh->anion);
        exsol_table *hp = NULL;
        if (exsol_table_load(hh->parameters, &hp, err, sizeof err))
            problem("host constants: %s%s", err, "");
        exsol_table_free(hp);
        struct exsol_defect_params dp;
        struct exsol_transport_params tp;
        memset(&dp, 0, sizeof dp);
        memset(&tp, 0, sizeof tp);
        if (exsol_host_apply(hh, NULL, &dp, &tp, err, sizeof err))
            problem("host %s: %s", hh->name, err);
        /* a formula of its A cation is written in it */
        char f[64];
        struct exsol_composition c;
        snprintf(f, sizeof f, "La0.1%s0.8Ni0.1Ti0.9O3", hh->A_host);
        if (exsol_comp_parse(chem, f, &c, err, sizeof err) || strcmp(c.host, hh->name) != 0)
            problem("host %s: a formula with its A cation is not written in it (%s)", hh->name,
                    f);
    }
    /* the exsolved metal's resistivity */
    double rho_ni, rho_reg;
    if (exsol_table_value(mt, &rho_ni, NULL, 0, "metal", "Ni", "property", "resistivity_300K",
                          NULL) ||
        exsol_params_lookup(reg, "rho_Ni", &rho_reg) || rho_ni != rho_reg)
        problem("transport's rho_Ni is not Ni's resistivity_300K in metals.csv%s%s", "", "");
    /* alloys.csv: each pair is two dopants gen accepts together, reduce gets its
     * Redlich-Kister terms and magnet its tables, whose ends are the pure metals of
     * metals.csv; every row has units, source and confidence, every U row a prior
     * that parses with its value inside */
    {
        exsol_table *at = NULL;
        exsol_alloys *al = NULL;
        if (exsol_table_load("alloys", &at, err, sizeof err) ||
            exsol_alloys_load(&al, err, sizeof err)) {
            problem("alloys.csv: %s%s", err, "");
        } else {
            int cp = exsol_table_col(at, "pair"), cc = exsol_table_col(at, "confidence"),
                cpr = exsol_table_col(at, "prior"), cs = exsol_table_col(at, "source"),
                cv = exsol_table_col(at, "value");
            for (size_t r = 0; r < exsol_table_nrows(at); r++) {
                const char *pn = exsol_table_cell(at, r, cp);
                char a1[8] = "", a2[8] = "";
                const char *dash = strchr(pn, '-');
                if (dash && (size_t)(dash - pn) < sizeof a1) {
                    memcpy(a1, pn, (size_t)(dash - pn));
                    snprintf(a2, sizeof a2, "%s", dash + 1);
                }
                const char *conf = cc >= 0 ? exsol_table_cell(at, r, cc) : "";
                if (!exsol_table_cell(at, r, cs)[0] || !strchr("LDTUN", conf[0]) || !conf[0])
                    problem("alloys.csv pair %s: a row without source or confidence%s", pn, "");
                struct exsol_prior pr;
                if (conf[0] == 'U') {
                    const char *ptxt = cpr >= 0 ? exsol_table_cell(at, r, cpr) : "";
                    double v = atof(exsol_table_cell(at, r, cv));
                    if (!ptxt[0] || exsol_prior_parse(ptxt, NAN, NAN, &pr, err, sizeof err) ||
                        (pr.kind != EXSOL_PRIOR_FIXED && !(v >= pr.lo && v <= pr.hi)))
                        problem("alloys.csv pair %s: a U row without a prior holding its value "
                                "(%s)",
                                pn, ptxt);
                }
                if (r > 0 && strcmp(pn, exsol_table_cell(at, r - 1, cp)) == 0)
                    continue; /* each pair once below */
                char f[64];
                struct exsol_composition c;
                snprintf(f, sizeof f, "SrTi0.9%s0.05%s0.05O3", a1, a2);
                if (exsol_comp_parse(chem, f, &c, err, sizeof err) != 0 ||
                    strcmp(c.dopant2, "none") == 0)
                    problem("alloys.csv pair %s: gen does not accept it (%s)", pn, err);
                double L[3];
                if (!exsol_alloys_has_pair(al, a1, a2) ||
                    exsol_alloys_rk(al, a2, a1, 1000.0, L) != EXSOL_OK)
                    problem("alloys.csv pair %s: incomplete (L0..L2 with _T, Ms_0K, K1, T_C)%s",
                            pn, "");
                static const char *const prop[3] = {"Ms_0K", "K", "T_C"};
                for (int end = 0; end < 2; end++) {
                    const char *sym = end ? a2 : a1;
                    double v[3], want[3];
                    if (exsol_alloys_magnet(al, a1, a2, end, &v[0], &v[1], &v[2]) != EXSOL_OK)
                        continue;
                    for (int k = 0; k < 3; k++)
                        if (exsol_table_value(mt, &want[k], NULL, 0, "metal", sym, "property",
                                              prop[k], NULL) ||
                            !(fabs(v[k] - want[k]) <= 1e-9 * fabs(want[k])))
                            problem("alloys.csv pair %s: its pure-%s end differs from "
                                    "metals.csv",
                                    pn, sym);
                    /* the x column is that of the second element: x = 0 and 1 present */
                    char xs[4];
                    snprintf(xs, sizeof xs, "%d", end);
                    if (exsol_table_find(at, "pair", pn, "property", "T_C", "x", xs, NULL) < 0)
                        problem("alloys.csv pair %s: no T_C row at the pure-%s end", pn, sym);
                }
            }
        }
        exsol_table_free(at);
        exsol_alloys_free(al);
        /* the pairs issue #13 names */
        static const char *const pairs[3][2] = {{"Ni", "Fe"}, {"Ni", "Co"}, {"Co", "Fe"}};
        for (int i = 0; i < 3; i++) {
            char f[64];
            struct exsol_composition c;
            snprintf(f, sizeof f, "SrTi0.9%s0.05%s0.05O3", pairs[i][0], pairs[i][1]);
            if (exsol_comp_parse(chem, f, &c, err, sizeof err) != 0)
                problem("alloy pair %s-%s refused by gen", pairs[i][0], pairs[i][1]);
        }
    }
    /* gen and reduce agree on the total pressure of the anneal gas */
    {
        exsol_params *pg = NULL, *pr = NULL;
        double a = NAN, b = NAN;
        if (exsol_params_load("gen", &pg, err, sizeof err) ||
            exsol_params_load("reduce+defects", &pr, err, sizeof err) ||
            exsol_params_lookup(pg, "p_total", &a) || exsol_params_lookup(pr, "p_total", &b) ||
            a != b)
            problem("gen's and reduce's p_total differ or are missing%s%s", "", "");
        exsol_params_free(pg);
        exsol_params_free(pr);
    }
done:
    for (const char *p = problems; *p; p++)
        n0 += *p == '\n';
    exsol_table_free(el);
    exsol_table_free(mt);
    exsol_chem_free(chem);
    exsol_ellingham_free(ell);
    exsol_params_free(reg);
    return n0;
}

/* A copy of datasets/<table>.csv in dir without the lines starting with `drop`. */
static int copy_without(const char *src, const char *dir, const char *table, const char *drop)
{
    char in[1024], out[1024], line[4096];
    snprintf(in, sizeof in, "%s/datasets/%s.csv", src, table);
    snprintf(out, sizeof out, "%s/%s.csv", dir, table);
    FILE *fi = fopen(in, "r"), *fo = fopen(out, "w");
    int removed = 0;
    while (fi && fo && fgets(line, sizeof line, fi)) {
        if (strncmp(line, drop, strlen(drop)) == 0) {
            removed++;
            continue;
        }
        fputs(line, fo);
    }
    if (fi)
        fclose(fi);
    if (fo)
        fclose(fo);
    return removed;
}

static void expect_caught(const char *src, const char *table, const char *drop,
                          const char *needle)
{
    char dir[] = "/tmp/exsol-datasets-XXXXXX", path[1200];
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    CHECK(copy_without(src, dir, table, drop) > 0);
    setenv("EXSOL_DATADIR", dir, 1);
    int n = consistency();
    unsetenv("EXSOL_DATADIR");
    CHECK(n > 0);
    CHECK(strstr(problems, needle) != NULL);
    if (n == 0 || !strstr(problems, needle))
        fprintf(stderr, "  without '%s' in %s.csv: %d problems:\n%s", drop, table, n, problems);
    snprintf(path, sizeof path, "%s/%s.csv", dir, table);
    unlink(path);
    rmdir(dir);
}

/* Every U-tagged parameter of every stage table has a prior (fixed for choices and
 * verdict criteria), its support lies inside [min, max] and holds the default; an
 * arrhenius prior's product stays inside the bounds over the reference parameter's
 * support (issue #14). */
static void test_priors(void)
{
    static const char *const stages[] = {"defects", "gen",       "magnet", "rank",
                                         "reduce",  "transport", "window"};
    const double kB = 1.380649e-23;
    for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++) {
        exsol_params *p = NULL;
        char err[512];
        CHECK_EQ_INT(exsol_params_load(stages[s], &p, err, sizeof err), 0);
        for (size_t i = 0; p && i < exsol_params_count(p); i++) {
            const char *name = exsol_params_name(p, i);
            const struct exsol_prior *pr = exsol_params_prior(p, i);
            if (exsol_params_confidence(p, i) != 'U')
                continue;
            if (!pr) {
                fprintf(stderr, "%s: U parameter %s has no prior\n", stages[s], name);
                CHECK(0);
                continue;
            }
            if (pr->kind == EXSOL_PRIOR_FIXED)
                continue;
            double lo_si, hi_si, mn = exsol_params_min(p, i), mx = exsol_params_max(p, i);
            const char *unit = exsol_params_unit(p, i);
            CHECK(exsol_unit_to_si(unit, pr->lo, &lo_si, NULL) == 0);
            CHECK(exsol_unit_to_si(unit, pr->hi, &hi_si, NULL) == 0);
            if (pr->ref_param[0]) {
                long r = -1;
                for (size_t j = 0; j < exsol_params_count(p); j++)
                    if (strcmp(exsol_params_name(p, j), pr->ref_param) == 0)
                        r = (long)j;
                const struct exsol_prior *rp = r >= 0 ? exsol_params_prior(p, (size_t)r) : NULL;
                double elo, ehi;
                CHECK(rp != NULL && !rp->ref_param[0]);
                if (!rp)
                    continue;
                CHECK(exsol_unit_to_si(exsol_params_unit(p, (size_t)r), rp->lo, &elo, NULL) ==
                      0);
                CHECK(exsol_unit_to_si(exsol_params_unit(p, (size_t)r), rp->hi, &ehi, NULL) ==
                      0);
                double v = exsol_params_value(p, i) *
                           exp(-exsol_params_value(p, (size_t)r) / (kB * pr->ref_T));
                if (!(v >= lo_si * (1 - 1e-9) && v <= hi_si * (1 + 1e-9)))
                    fprintf(stderr, "%s: %s's default is outside its prior\n", stages[s], name);
                CHECK(v >= lo_si * (1 - 1e-9) && v <= hi_si * (1 + 1e-9));
                lo_si *= exp(elo / (kB * pr->ref_T));
                hi_si *= exp(ehi / (kB * pr->ref_T));
            } else {
                double v = exsol_params_value(p, i);
                if (!(v >= lo_si - 1e-12 * fabs(lo_si) && v <= hi_si + 1e-12 * fabs(hi_si)))
                    fprintf(stderr, "%s: %s's default is outside its prior\n", stages[s], name);
                CHECK(v >= lo_si - 1e-12 * fabs(lo_si) && v <= hi_si + 1e-12 * fabs(hi_si));
            }
            const int in_lo = isnan(mn) || lo_si >= mn - 1e-9 * fabs(mn);
            const int in_hi = isnan(mx) || hi_si <= mx + 1e-9 * fabs(mx);
            if (!in_lo || !in_hi)
                fprintf(stderr, "%s: %s's prior [%g, %g] leaves [%g, %g] (SI)\n", stages[s],
                        name, lo_si, hi_si, mn, mx);
            CHECK(in_lo);
            CHECK(in_hi);
        }
        exsol_params_free(p);
    }
}

/* datasets/anchors.csv: the columns a calibration reads, >= 10 rows across Ni, Co and
 * Fe, A-deficient and stoichiometric, each marked fit or hold-out with a source; every
 * substrate named (A or A/B) is a row of substrates.csv. */
static void test_anchors(void)
{
    exsol_table *t = NULL;
    char err[512];
    CHECK_EQ_INT(exsol_table_load("anchors", &t, err, sizeof err), 0);
    if (!t)
        return;
    static const char *const cols[] = {"id",
                                       "composition",
                                       "dopant",
                                       "A_site",
                                       "form",
                                       "thickness",
                                       "T_anneal",
                                       "t_anneal",
                                       "x_H2",
                                       "x_H2O",
                                       "diameter",
                                       "density",
                                       "exsolved_fraction",
                                       "observable",
                                       "value",
                                       "scatter",
                                       "source",
                                       "use",
                                       "substrate"};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        CHECK(exsol_table_col(t, cols[k]) >= 0);
    int ni = 0, co = 0, fe = 0, adef = 0, stoich = 0, fit = 0;
    int cd = exsol_table_col(t, "dopant"), ca = exsol_table_col(t, "A_site"),
        cu = exsol_table_col(t, "use"), cs = exsol_table_col(t, "source"),
        csub = exsol_table_col(t, "substrate");
    for (size_t r = 0; cd >= 0 && ca >= 0 && cu >= 0 && cs >= 0 && r < exsol_table_nrows(t);
         r++) {
        const char *d = exsol_table_cell(t, r, cd), *a = exsol_table_cell(t, r, ca),
                   *u = exsol_table_cell(t, r, cu);
        ni += strstr(d, "Ni") != NULL;
        co += strstr(d, "Co") != NULL;
        fe += strstr(d, "Fe") != NULL;
        adef += strcmp(a, "A-deficient") == 0;
        stoich += strcmp(a, "stoichiometric") == 0;
        fit += strcmp(u, "fit") == 0;
        CHECK(strcmp(u, "fit") == 0 || strcmp(u, "hold-out") == 0);
        CHECK(exsol_table_cell(t, r, cs)[0] != '\0');
        const char *sub = csub >= 0 ? exsol_table_cell(t, r, csub) : "";
        for (const char *q = sub; *q;) {
            size_t n = strcspn(q, "/");
            char name[32];
            double a_m;
            snprintf(name, sizeof name, "%.*s", (int)n, q);
            CHECK_EQ_INT(exsol_substrate_lattice(name, &a_m, err, sizeof err), 0);
            q += n + (q[n] == '/');
        }
    }
    CHECK(exsol_table_nrows(t) >= 10);
    CHECK(ni > 0 && co > 0 && fe > 0 && adef > 0 && stoich > 0 && fit > 0);
    exsol_table_free(t);
}

int main(void)
{
    test_anchors();
    test_priors();
    int n = consistency();
    CHECK_EQ_INT(n, 0);
    if (n)
        fprintf(stderr, "%s", problems);
    const char *src = getenv("EXSOL_SRC");
    if (!src) {
        fprintf(stderr, "EXSOL_SRC not set: removal checks skipped\n");
        CHECK(0);
        return check_report("test_datasets_consistency");
    }
    expect_caught(src, "oxides", "Ni,2Ni + O2 = 2NiO,", "default-screen dopant Ni refused");
    expect_caught(src, "metals", "Cu1+,", "dissolved state Cu1+ at the anneal");
    expect_caught(src, "metals", "Co,T_C,", "default-screen dopant Co refused");
    expect_caught(src, "metals", "Fe,density,", "Fe: no density");
    expect_caught(src, "metals", "Ni,resistivity_300K,", "rho_Ni");
    expect_caught(src, "elements", "Ti,", "host SrTiO3: B_host Ti");
    expect_caught(src, "host-catio3", "barrett_M,",
                  "host CaTiO3: host-catio3.csv has no usable barrett_M");
    expect_caught(src, "shannon-radii", "Ta,",
                  "fixed B-site donor Ta refused by gen: no Shannon radius");
    expect_caught(src, "alloys", "Fe-Ni,T_C,1,", "no T_C row at the pure-Ni end");
    expect_caught(src, "alloys", "Co-Fe,L1_T,", "alloys.csv pair Co-Fe: incomplete");
    expect_caught(src, "alloys", "Co-Ni,", "alloy pair Ni-Co refused by gen");
    return check_report("test_datasets_consistency");
}
