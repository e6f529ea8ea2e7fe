/* Holes have their own transport (issue #12, defect 2, transport half). The frozen film
 * of La0.2Sr0.7Ni0.2Ti0.8O3 after exsolution past the A-site budget can come out with
 * its oxygen 1e-3 per f.u. short of compensation (the δ′ interpolation defect measured
 * in review): a p-type film with ~3e19 holes/cm³. Holes of the O 2p band conduct with
 * mu_hole, not the electron mobility, so that film is
 *  - p-type (p_reduced > n_reduced), never metallic_reduced, with a row note;
 *  - a resistivity set by the holes: ρ = 1/(e mu_hole p) within 2 %;
 *  - not a 3-decade switch (with the electron mobility it was about 3.5 decades);
 * while the n-type seed film is untouched (metallic, p negligible). The reduced film
 * counts its dissolved dopant with the anneal valence (v_anneal), the pristine film
 * with its label. */
#include "check.h"
#include "exsol/constants.h"
#include "exsol/defects.h"
#include "exsol/params.h"
#include "exsol/transport.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char err[256] = "";
    exsol_params *reg = NULL;
    struct exsol_transport_params tp;
    struct exsol_defect_params dp;
    exsol_transport_model *m = NULL;
    if (exsol_params_load("transport+defects", &reg, err, sizeof err) ||
        exsol_transport_params_from(reg, &tp, err, sizeof err) ||
        exsol_defect_params_from(reg, &dp, err, sizeof err) ||
        exsol_transport_model_create(&tp, &dp, &m)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return check_report("test_transport_holes");
    }
    CHECK(tp.mu_hole_m2 > 0 && tp.mu_hole_m2 < 1e-4); /* below 1 cm²/Vs */

    /* x 0.2, a 0.1, z 0.2 Ni2+, f 0.6: a′ = 0 (floored), δ′ 1e-3 below compensation */
    double x = 0.2, a = 0.1, z = 0.2, f = 0.6;
    struct exsol_lattice L;
    exsol_lattice_after_exsolution(x, a, z, 2.0, f, &L);
    double dcomp = 0.5 * (-L.x_donor + 2.0 * L.a_vac + 2.0 * L.z_dopant);
    struct exsol_transport_in in = {
        x, a, z, 2.0, 0.5 * (2 * a + 2 * z - x), f, dcomp - 1e-3, 0.02, 2.0, 0.0};
    struct exsol_transport_out o;
    char reason[128];
    CHECK_EQ_INT(exsol_transport_candidate(m, &in, &o, NULL, NULL, reason, sizeof reason), 0);
    double V = pow(dp.a_lattice_m, 3);
    printf("p-type film: n %.3g p %.3g cm-3, rho %.3g ohm cm (pristine %.3g), log10 ratio "
           "%.2f, metallic %d, p-type %d, note '%s'\n",
           o.n_reduced_m3 * 1e-6, o.p_reduced_m3 * 1e-6, o.rho_300K_reduced * 100,
           o.rho_300K_pristine * 100, o.log10_rho_ratio, o.metallic_reduced, o.p_type_reduced,
           reason);
    CHECK_CLOSE(o.p_reduced_m3, 2e-3 / V, 0.05, 0);
    CHECK(o.p_type_reduced == 1);
    CHECK(o.metallic_reduced == 0);
    CHECK(strstr(reason, "p-type") != NULL);
    /* host conduction by holes (the Bruggeman metal term is small at φ = 0.02) */
    CHECK_CLOSE(o.rho_300K_reduced, 1.0 / (EXSOL_E * tp.mu_hole_m2 * o.p_reduced_m3), 0.1, 0);
    CHECK(o.log10_rho_ratio < tp.switch_decades);
    /* the same film without metal: ρ is the hole term alone */
    in.metal_fraction = 0.0;
    CHECK_EQ_INT(exsol_transport_candidate(m, &in, &o, NULL, NULL, reason, sizeof reason), 0);
    CHECK_CLOSE(o.rho_300K_reduced, 1.0 / (EXSOL_E * tp.mu_hole_m2 * o.p_reduced_m3), 0.02, 0);

    /* the n-type seed film (fully exsolved, δ′ = 0): metallic, no holes, no note */
    struct exsol_transport_in seed = {0.2, 0.1, 0.1, 2.0, 0.10, 1.0, 0.0, 0.0184, 2.0, 0.0};
    CHECK_EQ_INT(exsol_transport_candidate(m, &seed, &o, NULL, NULL, reason, sizeof reason), 0);
    CHECK(o.metallic_reduced == 1);
    CHECK(o.p_type_reduced == 0);
    CHECK(o.p_reduced_m3 < 1e-6 * o.n_reduced_m3);
    CHECK(reason[0] == '\0');

    /* the reduced film keeps the dissolved valence of the anneal (v_anneal), the
     * pristine film its label: n_reduced moves by (v_anneal - v) z' per f.u. */
    struct exsol_transport_in a3 = {0.3, 0.0, 0.1, 3.0, 0.0, 0.5, 0.05, 0.0, NAN, 0.0};
    struct exsol_transport_in a25 = a3;
    a25.v_anneal = 2.5;
    struct exsol_transport_out o3, o25;
    CHECK_EQ_INT(exsol_transport_candidate(m, &a3, &o3, NULL, NULL, reason, sizeof reason), 0);
    CHECK_EQ_INT(exsol_transport_candidate(m, &a25, &o25, NULL, NULL, reason, sizeof reason),
                 0);
    exsol_lattice_after_exsolution(0.3, 0.0, 0.1, 3.0, 0.5, &L);
    CHECK_CLOSE(o3.n_reduced_m3 - o25.n_reduced_m3, 0.5 * L.z_dopant / V, 1e-3, 0);
    CHECK(o3.n_pristine_m3 == o25.n_pristine_m3);

    exsol_transport_model_free(m);
    exsol_params_free(reg);
    return check_report("test_transport_holes");
}
