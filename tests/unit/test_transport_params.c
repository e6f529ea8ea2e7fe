/* The transport and defects parameter tables agree with the sourced host table
 * (datasets/host-srtio3.csv), the Barrett constants reproduce the permittivity
 * anchors they were fitted to, and the parameter readers reject inconsistent sets. */
#include "check.h"
#include "exsol/defects.h"
#include "exsol/params.h"
#include "exsol/table.h"
#include "exsol/transport.h"

#include <math.h>

static double host(const exsol_table *t, const char *name)
{
    double v = NAN;
    char err[128];
    if (exsol_table_value(t, &v, err, sizeof err, "name", name, NULL) != 0)
        fprintf(stderr, "host-srtio3: %s\n", err);
    return v;
}

int main(void)
{
    char err[256] = "";
    exsol_table *h = NULL;
    exsol_params *reg = NULL;
    CHECK_EQ_INT(exsol_table_load("host-srtio3", &h, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_params_load("transport+defects", &reg, err, sizeof err), 0);
    if (!h || !reg) {
        fprintf(stderr, "%s\n", err);
        return check_report("test_transport_params");
    }
    struct exsol_transport_params tp;
    struct exsol_defect_params dp;
    CHECK_EQ_INT(exsol_transport_params_from(reg, &tp, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_defect_params_from(reg, &dp, err, sizeof err), 0);

    /* defaults copied from the host table */
    CHECK_CLOSE(tp.barrett_A, host(h, "barrett_A"), 0, 1e-12);
    CHECK_CLOSE(tp.barrett_M_K, host(h, "barrett_M"), 1e-12, 0);
    CHECK_CLOSE(tp.barrett_T0_K, host(h, "barrett_T0"), 1e-12, 0);
    CHECK_CLOSE(tp.barrett_T1_K, host(h, "barrett_T1"), 1e-12, 0);
    CHECK_CLOSE(tp.m_cond, host(h, "m_cond"), 1e-12, 0);
    CHECK_CLOSE(tp.g_valley, host(h, "g_valley"), 1e-12, 0);
    CHECK_CLOSE(tp.mu_LO0_m2, host(h, "mu_LO_0"), 1e-12, 0);
    CHECK_CLOSE(tp.theta_LO_K, host(h, "theta_LO"), 1e-12, 0);
    { /* the metal particles' resistivity is Ni's record in metals.csv */
        exsol_table *mt = NULL;
        double rho = NAN;
        CHECK_EQ_INT(exsol_table_load("metals", &mt, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_table_value(mt, &rho, err, sizeof err, "metal", "Ni", "property",
                                       "resistivity_300K", NULL),
                     0);
        CHECK_CLOSE(tp.rho_Ni_ohm_m, rho, 1e-12, 0);
        exsol_table_free(mt);
    }
    CHECK_CLOSE(dp.a_lattice_m, host(h, "a_lattice"), 1e-12, 0);
    CHECK_CLOSE(dp.m_dos, host(h, "m_dos_low"), 1e-12, 0);
    CHECK_CLOSE(dp.m_dos_high, host(h, "m_dos_high"), 1e-12, 0);
    /* derived rows of the host table are what they say */
    double mt = host(h, "m_t"), ml = host(h, "m_l");
    CHECK_CLOSE(host(h, "m_cond"), 3.0 / (2.0 / mt + 1.0 / ml), 1e-12, 0);
    CHECK_CLOSE(host(h, "m_dos_high"), cbrt(9.0) * cbrt(mt * mt * ml), 0.05, 0);
    CHECK_CLOSE(host(h, "formula_unit_density"), 1.0 / pow(dp.a_lattice_m, 3), 1e-3, 0);
    CHECK_CLOSE(exsol_barrett_eps(&tp, 300.0), host(h, "eps_r_300K"), 0.01, 0);
    CHECK_CLOSE(exsol_barrett_eps(&tp, 1.0), host(h, "eps_r_0K"), 0.03, 0);
    /* the LO law reproduces the typical RT mobility of the table within its spread */
    CHECK_CLOSE(exsol_mobility_lattice(&tp, 300.0), host(h, "mu_300K_typical"), 0.3, 0);

    /* readers reject inconsistent sets */
    struct exsol_transport_params tp2;
    CHECK_EQ_INT(exsol_params_set(reg, "T_min=500", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_transport_params_from(reg, &tp2, err, sizeof err), 4 /* EVALUE */);
    CHECK_EQ_INT(exsol_params_set(reg, "T_min=2", err, sizeof err), 0);
    struct exsol_defect_params dp2;
    CHECK_EQ_INT(exsol_params_set(reg, "m_dos_high=30", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_defect_params_from(reg, &dp2, err, sizeof err), 4);
    CHECK(strstr(err, "monotone") != NULL);
    exsol_params_free(reg);
    exsol_table_free(h);
    return check_report("test_transport_params");
}
