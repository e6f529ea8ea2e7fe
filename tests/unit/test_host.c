/* Host records (datasets/hosts.csv, exsol/host.h): the default host is SrTiO3 with the
 * valences the physics used to write as literals (Ti4+, O2-, O3: 6 e per formula unit),
 * its constants table loads, an unknown host names the known ones, and malformed rows
 * are refused with the column named; exsol_host_apply reproduces the registry defaults
 * for SrTiO3, puts CaTiO3's constants in, and leaves a --set value alone. */
#include "check.h"
#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/params.h"
#include "exsol/table.h"
#include "exsol/transport.h"

#include <math.h>
#include <string.h>

static const char head[] = "host,A_host,A_valence,B_host,B_valence,anion,anion_valence,"
                           "anion_count,parameters,source,confidence,note\n";

static int from_text(const char *row, struct exsol_host *h, char *err, size_t n)
{
    char text[1024];
    exsol_table *t = NULL;
    snprintf(text, sizeof text, "%s%s\n", head, row);
    int rc = exsol_table_parse("hosts", text, strlen(text), &t, err, n);
    if (rc == EXSOL_OK)
        rc = exsol_host_from_table(t, NULL, h, err, n);
    exsol_table_free(t);
    return rc;
}

/* exsol_host_apply: the default host's file reproduces the registry defaults (so its
 * model is the registry's), CaTiO3's changes a, eps and the LO law, and a --set value
 * wins over the host file. */
static void test_apply(void)
{
    char err[256] = "";
    exsol_params *p = NULL;
    struct exsol_host hs[EXSOL_HOST_MAX];
    size_t nh = 0;
    CHECK_EQ_INT(exsol_params_load("transport+defects", &p, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_host_all(hs, EXSOL_HOST_MAX, &nh, err, sizeof err), EXSOL_OK);
    if (!p || nh < 3) {
        exsol_params_free(p);
        return;
    }
    CHECK_STR(hs[1].name, "CaTiO3");
    CHECK_STR(hs[2].name, "BaTiO3");
    CHECK_EQ_INT(exsol_host_index(hs, nh, "BaTiO3"), 2);
    CHECK_EQ_INT(exsol_host_index(hs, nh, ""), 0);
    CHECK_EQ_INT(exsol_host_index(hs, nh, "KTaO3"), -1);
    struct exsol_defect_params d0, d;
    struct exsol_transport_params t0, t;
    CHECK_EQ_INT(exsol_defect_params_from(p, &d0, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_transport_params_from(p, &t0, err, sizeof err), EXSOL_OK);
    d = d0, t = t0;
    CHECK_EQ_INT(exsol_host_apply(&hs[0], p, &d, &t, err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(d.a_lattice_m, d0.a_lattice_m, 1e-12, 0);
    CHECK_CLOSE(d.Eg0_J, d0.Eg0_J, 1e-12, 0);
    CHECK_CLOSE(d.dH_red_J, d0.dH_red_J, 1e-12, 0);
    CHECK_CLOSE(d.m_dos, d0.m_dos, 1e-12, 0);
    CHECK_CLOSE(d.m_dos_high, d0.m_dos_high, 1e-12, 0);
    CHECK_CLOSE(t.barrett_M_K, t0.barrett_M_K, 1e-12, 0);
    CHECK_CLOSE(t.barrett_T0_K, t0.barrett_T0_K, 1e-12, 0);
    CHECK_CLOSE(t.mu_LO0_m2, t0.mu_LO0_m2, 1e-12, 0);
    CHECK_CLOSE(t.theta_LO_K, t0.theta_LO_K, 1e-12, 0);
    CHECK_CLOSE(t.m_cond, t0.m_cond, 1e-12, 0);
    d = d0, t = t0;
    CHECK_EQ_INT(exsol_host_apply(&hs[1], p, &d, &t, err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(d.a_lattice_m, 3.824e-10, 1e-12, 0);
    CHECK_CLOSE(exsol_barrett_eps(&t, 300.0), 180.0, 2e-3, 0);
    CHECK(exsol_barrett_eps(&t, 2.0) > 300.0);
    CHECK(exsol_mobility_lattice(&t, 300.0) < 0.25 * exsol_mobility_lattice(&t0, 300.0));
    /* --set wins */
    CHECK_EQ_INT(exsol_params_set(p, "a_lattice=3.9", err, sizeof err), EXSOL_OK);
    d = d0, t = t0;
    d.a_lattice_m = 3.9e-10;
    CHECK_EQ_INT(exsol_host_apply(&hs[1], p, &d, &t, err, sizeof err), EXSOL_OK);
    CHECK_CLOSE(d.a_lattice_m, 3.9e-10, 1e-12, 0);
    CHECK_CLOSE(exsol_barrett_eps(&t, 300.0), 180.0, 2e-3, 0);
    exsol_params_free(p);
}

int main(void)
{
    char err[256] = "";
    struct exsol_host h;
    test_apply();
    CHECK_EQ_INT(exsol_host_default(&h, err, sizeof err), EXSOL_OK);
    CHECK_STR(h.name, "SrTiO3");
    CHECK_STR(h.A_host, "Sr");
    CHECK_EQ_INT(h.A_valence, 2);
    CHECK_STR(h.B_host, "Ti");
    CHECK_EQ_INT(h.B_valence, 4);
    CHECK_STR(h.anion, "O");
    CHECK_EQ_INT(h.anion_valence, -2);
    CHECK_CLOSE(h.anion_count, 3.0, 0, 0);
    CHECK(exsol_host_anion_charge(&h) == 6.0); /* exactly: the neutrality keeps its bytes */
    CHECK_STR(h.parameters, "host-srtio3");

    struct exsol_host h2;
    CHECK_EQ_INT(exsol_host_find("SrTiO3", &h2, err, sizeof err), EXSOL_OK);
    CHECK(memcmp(&h, &h2, sizeof h) == 0);
    exsol_table *t = NULL;
    CHECK_EQ_INT(exsol_table_load(h.parameters, &t, err, sizeof err), EXSOL_OK);
    CHECK(exsol_table_find(t, "name", "a_lattice", NULL) >= 0);
    exsol_table_free(t);

    CHECK_EQ_INT(exsol_host_find("KTaO3", &h2, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(strstr(err, "unknown host 'KTaO3'") && strstr(err, "known: SrTiO3"));

    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,-2,3,host-x.csv,s,T,", &h2, err, sizeof err), 0);
    CHECK_STR(h2.parameters, "host-x");
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,2,3,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "anion") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4.5,O,-2,3,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "B_valence") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,-2,0,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "anion_count") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,,4,O,-2,3,host-x.csv,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "B_host") != NULL);
    CHECK_EQ_INT(from_text("X,Sr,2,Ti,4,O,-2,3,host-x,s,T,", &h2, err, sizeof err),
                 EXSOL_EDATASET);
    CHECK(strstr(err, "parameters") != NULL);
    return check_report("test_host");
}
